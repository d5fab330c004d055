/* main.c: gradscope, the GUI. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <unistd.h>

#include "gs-application.h"

/* libgomp reads OMP_WAIT_POLICY once, when it is loaded, and by default
 * spin-waits: on two shared cores that starves the GTK main thread. Set it
 * and start again, unless the user chose a policy. */
static void
ensure_passive_omp (char **argv)
{
  if (g_getenv ("OMP_WAIT_POLICY") != NULL)
    return;
  g_setenv ("OMP_WAIT_POLICY", "passive", TRUE);
  execv ("/proc/self/exe", argv);
  /* If the re-exec fails we still run, only less smoothly. */
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GsApplication) app = NULL;

  ensure_passive_omp (argv);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, GS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_("Gradscope"));

  app = gs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
