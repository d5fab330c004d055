/* gs-application.c: the Gradscope application and its app. actions.
 *
 * GtkApplication exports these actions on the session bus, so a lesson can
 * be scripted from outside (see the README):
 *   app.load-preset 's'   app.set-option '(ss)'   app.set-data 's'
 *   app.start  app.pause  app.resume  app.stop
 *   app.show-figure 's' (its state is the figure on screen)
 *   app.open-run 's' (a run file, or a folder of them)
 *   app.lesson 'i' (a step from 1, 0 ends it; its state is the step)
 *   app.prepare-lesson 'i' (epochs per run, 0 = the lesson panel's)
 *   app.showing: no activation; its state is the presets of the runs on
 *     screen, left to right
 *   app.replay 'u' (steps per second, 0 pauses)
 *   app.check-layout: its state becomes what is wrong with the figure on
 *     screen at its size ("" when every panel, tick and label is whole)
 *   app.quit  app.about  app.shortcuts
 * Actions about a run go to the active window.
 */
#define G_LOG_DOMAIN "gs-application"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-application.h"
#include "gs-window.h"
#include "gs-worker.h"

struct _GsApplication
{
  GtkApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (GsApplication, gs_application, GTK_TYPE_APPLICATION)

static GsWindow *
get_window (GsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (gs_window_new (GTK_APPLICATION (self)));
      gtk_window_present (window);
    }
  return GS_WINDOW (window);
}

static void
warn_error (const char *action, GError *error)
{
  g_warning ("app.%s: %s", action, error->message);
}

static void
load_preset_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!gs_window_load_preset (get_window (user_data), g_variant_get_string (param, NULL), &error))
    warn_error ("load-preset", error);
}

static void
set_option_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  const char *name, *value;

  g_variant_get (param, "(&s&s)", &name, &value);
  if (!gs_window_set_option (get_window (user_data), name, value, &error))
    warn_error ("set-option", error);
}

static void
set_data_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gs_window_set_data_folder (get_window (user_data), g_variant_get_string (param, NULL));
}

static void
start_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gs_window_start (get_window (user_data));
}

static void
pause_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gs_window_set_paused (get_window (user_data), TRUE);
}

static void
resume_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gs_window_set_paused (get_window (user_data), FALSE);
}

static void
stop_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gs_window_stop (get_window (user_data));
}

static void
show_figure_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *name = g_variant_get_string (param, NULL);

  if (!gs_window_show_figure (get_window (user_data), name))
    g_warning ("app.show-figure: no figure named “%s”", name);
}

/* The state becomes what is wrong with the figure on screen ("" when it is
 * whole): the class rehearsal's layout check of the real window. */
static void
check_layout_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_autofree char *problem = gs_window_check_layout (get_window (user_data));

  g_simple_action_set_state (action, g_variant_new_string (problem ? problem : ""));
}

static void
open_run_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  const char *path = g_variant_get_string (param, NULL);
  GsWindow   *window = get_window (user_data);

  if (g_file_test (path, G_FILE_TEST_IS_DIR) ? gs_window_open_folder (window, path, &error) == 0
                                             : gs_window_open_run (window, path, &error) == NULL)
    warn_error ("open-run", error);
}

/* gradscope FILE|FOLDER ...: run files, or folders of them as comparisons. */
static void
gs_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      if (path != NULL)
        g_action_group_activate_action (G_ACTION_GROUP (app), "open-run", g_variant_new_string (path));
    }
}

static void
lesson_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gs_window_set_lesson_step (get_window (user_data), g_variant_get_int32 (param) - 1);
}

static void
prepare_lesson_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gs_window_prepare_lesson (get_window (user_data), g_variant_get_int32 (param));
}

static void
replay_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  guint speed = g_variant_get_uint32 (param);

  gs_window_set_replay (get_window (user_data), speed > 0, speed);
}

/* Closing each window stops its run and joins the trainer thread. */
static void
quit_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  while (windows != NULL)
    {
      GtkWindow *window = windows->data;
      windows = windows->next;
      gtk_window_close (window);
    }
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  static const char *authors[] = { "The Gradscope authors", NULL };

  gtk_show_about_dialog (GTK_WINDOW (get_window (user_data)), "program-name", _ ("Gradscope"),
                         "logo-icon-name", GS_APP_ID, "version", PACKAGE_VERSION, "comments",
                         _ ("Watch gradients vanish, layer by layer, while a deep network trains"), "website",
                         "https://github.com/gradscope/gradscope", "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors, "translator-credits", _ ("translator-credits"), NULL);
}

static void
shortcuts_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gtk_widget_activate_action (GTK_WIDGET (get_window (user_data)), "win.show-help-overlay", NULL);
}

static const GActionEntry app_actions[] = {
  { "load-preset", load_preset_activated, "s" },
  { "set-option", set_option_activated, "(ss)" },
  { "set-data", set_data_activated, "s" },
  { "start", start_activated },
  { "pause", pause_activated },
  { "resume", resume_activated },
  { "stop", stop_activated },
  { "show-figure", show_figure_activated, "s", "'heatmap'" },
  { "open-run", open_run_activated, "s" },
  { "check-layout", check_layout_activated, NULL, "''" },
  { "lesson", lesson_activated, "i", "0" },
  { "prepare-lesson", prepare_lesson_activated, "i" },
  { "showing", NULL, NULL, "@as []" },
  { "replay", replay_activated, "u" },
  { "quit", quit_activated },
  { "about", about_activated },
  { "shortcuts", shortcuts_activated },
};

static void
gs_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (GS_APPLICATION (app))));
}

static void
load_style (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/gradscope/Gradscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* The lesson step (from 1, 0 = no lesson), the figure on screen and the
 * presets of the runs it shows are the states of app.lesson,
 * app.show-figure and app.showing, so a script reads them with
 * org.gtk.Actions.Describe. */
static void
sync_states (GsWindow *window, GParamSpec *pspec, GActionMap *app)
{
  GAction *lesson = g_action_map_lookup_action (app, "lesson");
  GAction *figure = g_action_map_lookup_action (app, "show-figure");
  GAction *showing = g_action_map_lookup_action (app, "showing");
  g_auto (GStrv) presets = gs_window_dup_showing (window);

  g_simple_action_set_state (G_SIMPLE_ACTION (lesson),
                             g_variant_new_int32 (gs_window_get_lesson_step (window) + 1));
  g_simple_action_set_state (G_SIMPLE_ACTION (figure),
                             g_variant_new_string (gs_window_get_figure_name (window)));
  g_simple_action_set_state (G_SIMPLE_ACTION (showing),
                             g_variant_new_strv ((const char *const *) presets, -1));
  /* a script waits for the data set, and for a preparation to end: the
   * action is off meanwhile */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (app, "prepare-lesson")),
                               gs_window_get_data_ready (window) && !gs_window_get_preparing (window));
}

static void
on_window_added (GtkApplication *app, GtkWindow *window)
{
  if (!GS_IS_WINDOW (window))
    return;
  g_signal_connect_object (window, "notify::lesson-step", G_CALLBACK (sync_states), app, 0);
  g_signal_connect_object (window, "notify::figure", G_CALLBACK (sync_states), app, 0);
  g_signal_connect_object (window, "notify::showing", G_CALLBACK (sync_states), app, 0);
  g_signal_connect_object (window, "notify::preparing", G_CALLBACK (sync_states), app, 0);
  g_signal_connect_object (window, "notify::data-ready", G_CALLBACK (sync_states), app, 0);
  sync_states (GS_WINDOW (window), NULL, G_ACTION_MAP (app));
}

static void
gs_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (gs_application_parent_class)->startup (app);

  load_style ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  gtk_window_set_default_icon_name (GS_APP_ID);
}

/* Quit and the last window's close both end here: the process may exit
 * only once its worker threads are done. */
static void
gs_application_shutdown (GApplication *app)
{
  gs_worker_wait_all ();
  G_APPLICATION_CLASS (gs_application_parent_class)->shutdown (app);
}

static void
gs_application_class_init (GsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = gs_application_activate;
  app_class->open = gs_application_open;
  app_class->startup = gs_application_startup;
  app_class->shutdown = gs_application_shutdown;
}

static void
gs_application_init (GsApplication *self)
{
}

GsApplication *
gs_application_new (void)
{
  return g_object_new (GS_TYPE_APPLICATION, "application-id", GS_APP_ID, "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/gradscope/Gradscope", NULL);
}
