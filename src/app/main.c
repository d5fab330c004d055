/* main.c: gradscope, the GUI. */
#define G_LOG_DOMAIN "gs-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gs-application.h"
#include "gs-runtime.h"

int
main (int argc, char *argv[])
{
  g_autoptr (GsApplication) app = NULL;

  /* the main thread must draw on time: no spinning workers */
  gs_runtime_prefer_passive_omp (argv, 0);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, GS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_ ("Gradscope"));

  app = gs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
