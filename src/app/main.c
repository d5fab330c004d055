/* main.c: gradscope, the GUI. */
#define G_LOG_DOMAIN "gs-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gs-application.h"
#include "gs-early.h" /* fail fast, not hang, under a small ulimit -v */
#include "gs-runtime.h"

/* Where the translations are: the install prefix's locale folder when
 * this is the installed program; run from elsewhere, the one next to the
 * program: PREFIX/share/locale for an install moved or staged in a
 * DESTDIR, BUILD/po (where po/meson.build writes the .mo files) for the
 * program in BUILD/src/app, as scripts/run.sh starts it. */
static char *
find_localedir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  const char      *near[] = { "../share/locale", "../../po" };

  if (dir == NULL || g_str_equal (dir, GS_BINDIR))
    return g_strdup (GS_LOCALEDIR);
  for (guint i = 0; i < G_N_ELEMENTS (near); i++)
    {
      g_autofree char *path = g_build_filename (dir, near[i], NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        return g_file_get_path (file); /* without the ".." */
    }
  return g_strdup (GS_LOCALEDIR);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GsApplication) app = NULL;
  g_autofree char *localedir = find_localedir ();

  /* the main thread must draw on time: no spinning workers */
  gs_runtime_prepare (argv, 0);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_ ("Gradscope"));
  g_debug ("translations from %s", localedir);

  app = gs_application_new ();
  /* `gradscope --help` says what it is, in the user's language. */
  g_application_set_option_context_summary (
      G_APPLICATION (app), _ ("Watch gradients vanish, layer by layer, while a deep network trains"));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
