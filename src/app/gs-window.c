/* gs-window.c: the main window: set up a run, train it, watch it.
 *
 * The window owns the session's runs (one GsRunRow each in the run list),
 * the data set they train on, and at most one active run. Figures show the
 * selected runs, or the newest one; they are refreshed when a shown run
 * reports a new snapshot. This file holds the window's life and the run
 * being trained; gs-window-private.h says where the rest is.
 */
#define G_LOG_DOMAIN "gs-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gs-format.h"
#include "gs-window-private.h"

G_DEFINE_FINAL_TYPE (GsWindow, gs_window, GTK_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_PAUSED,
  PROP_PRESENTATION,
  PROP_SIDEBAR_VISIBLE,
  PROP_LESSON,
  PROP_LESSON_STEP,
  PROP_FIGURE,
  PROP_SHOWING,
  PROP_PREPARING,
  PROP_DATA_READY,
  PROP_COLOR_RANGE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, GS_APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("GSettings schema %s not installed: settings are not remembered", GS_APP_ID);
      return NULL;
    }
  return g_settings_new (GS_APP_ID);
}

void
_gs_window_show_banner (GsWindow *self, const char *message)
{
  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

void
_gs_window_hide_banner (GsWindow *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

/* The selected runs, oldest first (left in side-by-side figures). */
GPtrArray *
_gs_window_dup_shown_runs (GsWindow *self)
{
  return gs_run_list_dup_selected (self->run_list);
}

GsRun *
_gs_window_get_single_shown_run (GsWindow *self)
{
  g_autoptr (GPtrArray) runs = _gs_window_dup_shown_runs (self);

  return runs->len == 1 ? g_ptr_array_index (runs, 0) : NULL;
}

static char *
format_duration (double seconds)
{
  int s = (int) round (seconds);

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

/* "Epoch 2 of 10 · step 1 200 of 4 690 · 12 300 samples/s · 1:20 left" */
static void
update_progress (GsWindow *self)
{
  g_autofree char  *text = NULL;
  g_autofree char  *eta = NULL;
  g_autofree char  *speed = NULL;
  const GsProgress *p;

  if (self->current == NULL)
    return;

  if (gs_run_is_stopping (self->current))
    {
      gtk_label_set_text (self->progress_label, _ ("Stopping…"));
      return;
    }
  if (!gs_run_is_prepared (self->current))
    {
      gtk_label_set_text (self->progress_label, _ ("Building the network…"));
      gtk_progress_bar_pulse (self->progress_bar);
      return;
    }
  p = gs_run_get_progress (self->current);
  eta = format_duration (p->eta);
  speed = gs_format_count (p->samples_per_s);
  text = g_strdup_printf (_ ("Epoch %d of %d  ·  step %u of %u  ·  %s samples/s  ·  %s left"),
                          MAX (p->epoch, 1), p->n_epochs, p->step, p->n_steps, speed, eta);
  if (gs_run_get_state (self->current) == GS_RUN_PAUSED)
    {
      g_autofree char *paused = g_strdup_printf (_ ("Paused  ·  %s"), text);
      gtk_label_set_text (self->progress_label, paused);
    }
  else
    gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, p->n_steps > 0 ? (double) p->step / p->n_steps : 0);
}

/* The runs shown, "3. relu  vs  5. baseline", above the figures and in
 * the window's title (what a task switcher or a screen recording shows). */
static void
update_title (GsWindow *self)
{
  g_autoptr (GPtrArray) runs = _gs_window_dup_shown_runs (self);
  g_autoptr (GString) title = g_string_new (NULL);
  g_autofree char *window_title = NULL;

  for (guint i = 0; i < runs->len; i++)
    g_string_append_printf (title, "%s%u. %s", i > 0 ? _ ("  vs  ") : "",
                            gs_run_get_number (g_ptr_array_index (runs, i)),
                            gs_run_get_title (g_ptr_array_index (runs, i)));
  gtk_label_set_text (self->run_title, runs->len > 0 ? title->str : _ ("No run selected"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_title), runs->len > 0 ? title->str : NULL);
  /* Translators: the runs shown, then the application's name */
  window_title
      = runs->len > 0 ? g_strdup_printf (_ ("%s — Gradscope"), title->str) : g_strdup (_ ("Gradscope"));
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

/* "Run 3: 84.1 %  ·  Run 5: 61.0 %": how each run of a comparison ended. */
static void
show_compared_progress (GsWindow *self, GPtrArray *runs)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < runs->len; i++)
    {
      GsRun           *run = g_ptr_array_index (runs, i);
      double           acc = gs_run_get_accuracy (run);
      g_autofree char *status = gs_run_dup_status (run);

      if (i > 0)
        g_string_append (text, "  ·  ");
      if (isfinite (acc) && gs_run_get_state (run) != GS_RUN_FAILED)
        g_string_append_printf (text, _ ("Run %u: %.1f %%"), gs_run_get_number (run), 100 * acc);
      else
        g_string_append_printf (text, _ ("Run %u: %s"), gs_run_get_number (run), status);
    }
  gtk_label_set_text (self->progress_label, text->str);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
}

static gboolean
run_is_shown (GsWindow *self, GsRun *run)
{
  return gs_run_list_is_selected (self->run_list, run);
}

static void
on_run_updated (GsWindow *self, GsRun *run)
{
  if (self->run_list == NULL) /* disposed */
    return;
  if (run == self->current)
    update_progress (self);
  if (run_is_shown (self, run))
    _gs_window_refresh_figures (self);
}

static void
on_run_list_error (GsWindow *self, const char *message)
{
  _gs_window_show_banner (self, message);
}

static void
on_library_loaded (GsWindow *self)
{
  if (self->lesson_active)
    _gs_window_apply_lesson_step (self);
  _gs_window_update_actions (self);
}

/* The undo bar follows the run list's pending deletion. */
static void
on_pending_delete (GsWindow *self)
{
  GsRun *run = gs_run_list_get_pending_delete (self->run_list);

  if (run != NULL)
    {
      /* Translators: %u is a run number, %s its name */
      g_autofree char *text
          = g_strdup_printf (_ ("Run %u deleted: %s"), gs_run_get_number (run), gs_run_get_title (run));
      gtk_label_set_text (self->undo_label, text);
    }
  gtk_revealer_set_reveal_child (self->undo_revealer, run != NULL);
}

/* "Run 2: finished in 12 s  ·  test accuracy 84.1 %" */
static void
show_final_progress (GsWindow *self, GsRun *run)
{
  g_autofree char *status = gs_run_dup_status (run);
  double           acc = gs_run_get_accuracy (run);
  g_autofree char *text = NULL;
  GsRecord        *record = gs_run_get_record (run);
  gboolean         test = record != NULL && gs_record_has_test (record);

  if (isfinite (acc) && gs_run_get_state (run) != GS_RUN_FAILED)
    text = g_strdup_printf (test ? _ ("Run %u: %s  ·  test accuracy %.1f %%")
                                 : _ ("Run %u: %s  ·  validation accuracy %.1f %%"),
                            gs_run_get_number (run), status, 100 * acc);
  else
    text = g_strdup_printf (_ ("Run %u: %s"), gs_run_get_number (run), status);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, gs_run_get_state (run) == GS_RUN_FINISHED ? 1.0 : 0.0);
}

/* While nothing trains, the progress line describes the runs shown. */
static void
show_shown_progress (GsWindow *self)
{
  g_autoptr (GPtrArray) runs = _gs_window_dup_shown_runs (self);

  if (runs->len > 1)
    show_compared_progress (self, runs);
  else if (runs->len > 0)
    show_final_progress (self, g_ptr_array_index (runs, 0));
  else
    {
      gtk_label_set_text (self->progress_label, "");
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
    }
}

static void
on_run_finished (GsWindow *self, GsRun *run)
{
  if (self->run_list == NULL) /* disposed */
    return;
  if (run != self->current)
    return;

  g_clear_object (&self->current);
  _gs_window_end_live (self);
  gs_run_list_autosave (self->run_list, run);
  if (self->lesson_active)
    _gs_window_refresh_lesson (self);
  if (run_is_shown (self, run))
    show_shown_progress (self);
  else
    show_final_progress (self, run);
  if (gs_run_get_state (run) == GS_RUN_FAILED)
    _gs_window_show_banner (self, gs_run_get_error (run));
  if (self->paused)
    {
      self->paused = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
    }
  _gs_window_update_actions (self);
}

/* Adds a run to the list and shows it alone. */
void
_gs_window_add_run (GsWindow *self, GsRun *run)
{
  g_signal_connect_object (run, "updated", G_CALLBACK (on_run_updated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "finished", G_CALLBACK (on_run_finished), self, G_CONNECT_SWAPPED);
  gs_run_list_add (self->run_list, run);
}

/* The "At Init" figure follows the sidebar, not the runs. */
void
_gs_window_request_init_signal (GsWindow *self)
{
  if (self->data != NULL && gs_config_panel_get_valid (self->config_panel))
    gs_init_probe_request (self->init_probe, gs_config_panel_get_config (self->config_panel), self->data);
}

static void
on_init_ready (GsWindow *self, GsRecord *rec, const char *error)
{
  GtkWidget *view;

  if (self->figure_stack == NULL)
    return;
  view = gtk_stack_get_child_by_name (self->figure_stack, "at-init");

  if (view != NULL)
    gs_figure_view_set_runs (GS_FIGURE_VIEW (view), rec ? &rec : NULL, rec ? 1 : 0);
}

static void
on_config_changed (GsWindow *self)
{
  _gs_window_apply_live_changes (self);
  _gs_window_update_pair_label (self);
  _gs_window_request_init_signal (self);
  if (self->settings != NULL)
    {
      g_autofree char *text = gs_config_panel_to_string (self->config_panel);
      g_settings_set_string (self->settings, "last-config", text);
    }
  _gs_window_update_actions (self);
}

static void
on_selection_changed (GsWindow *self)
{
  if (self->current == NULL)
    show_shown_progress (self);
  _gs_window_refresh_figures (self);
  update_title (self);
  _gs_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWING]);
}

/* The Runs pane gets back the height it had: once the sidebar is laid out
 * (its handle can move), the handle goes that far above its lowest place.
 * Afterwards the paned keeps the pane's height as the window resizes. */
static void
on_sidebar_laid_out (GsWindow *self)
{
  int max = 0, min = 0, wanted = g_settings_get_int (self->settings, "runs-height");

  g_object_get (self->sidebar, "max-position", &max, NULL);
  if (max <= 0)
    return;
  g_signal_handlers_disconnect_by_func (self->sidebar, on_sidebar_laid_out, self);
  gtk_widget_measure (GTK_WIDGET (self->run_list), GTK_ORIENTATION_VERTICAL, -1, &min, NULL, NULL, NULL);
  if (wanted > min)
    gtk_paned_set_position (GTK_PANED (self->sidebar), MAX (max - (wanted - min), 0));
}

static void
save_window_state (GsWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  if (gtk_widget_get_visible (self->sidebar))
    g_settings_set_int (self->settings, "runs-height", gtk_widget_get_height (GTK_WIDGET (self->run_list)));
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
restore_state (GsWindow *self)
{
  g_autofree char *config = NULL;
  g_autofree char *folder = NULL;

  if (self->settings == NULL)
    {
      gs_config_panel_load_preset (self->config_panel, "baseline", NULL);
      _gs_window_load_data (self, NULL);
      return;
    }

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect_object (self->sidebar, "notify::max-position", G_CALLBACK (on_sidebar_laid_out), self,
                           G_CONNECT_SWAPPED);

  config = g_settings_get_string (self->settings, "last-config");
  if (config[0] != '\0')
    gs_config_panel_from_string (self->config_panel, config);
  else
    gs_config_panel_load_preset (self->config_panel, "baseline", NULL);

  folder = g_settings_get_string (self->settings, "data-folder");
  _gs_window_load_data (self, folder[0] != '\0' ? folder : NULL);
}

static gboolean
gs_window_close_request (GtkWindow *window)
{
  GsWindow *self = GS_WINDOW (window);

  /* Stop and join the trainer thread before the data set goes away. */
  if (self->current != NULL)
    gs_run_stop_and_wait (self->current);
  save_window_state (self);

  return GTK_WINDOW_CLASS (gs_window_parent_class)->close_request (window);
}

static void
gs_window_dispose (GObject *object)
{
  GsWindow *self = GS_WINDOW (object);

  if (self->current != NULL)
    gs_run_stop_and_wait (self->current);
  g_clear_object (&self->current);
  g_clear_object (&self->pair_run);
  _gs_window_cancel_prepare (self);
  self->preparing = NULL; /* its worker finishes on its own; the app waits for it */
  g_clear_handle_id (&self->header_hide_id, g_source_remove);
  /* its worker may finish after this window is gone: stop listening now */
  if (self->init_probe != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->init_probe, self);
      gs_init_probe_cancel (self->init_probe);
    }
  g_clear_object (&self->init_probe);
  if (self->data_cancellable != NULL)
    g_cancellable_cancel (self->data_cancellable);
  g_clear_object (&self->data_cancellable);
  _gs_window_set_chooser (self, NULL);
  /* Taking the list apart emits selection changes: stop listening first. */
  if (self->run_list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->run_list, self);
      g_signal_handlers_disconnect_by_data (self->config_panel, self);
      g_signal_handlers_disconnect_by_data (self->figure_stack, self);
      g_signal_handlers_disconnect_by_data (self->hist_kind_dropdown, self);
      g_signal_handlers_disconnect_by_data (self->timeline, self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gs_window_parent_class)->dispose (object);
}

static void
gs_window_finalize (GObject *object)
{
  GsWindow *self = GS_WINDOW (object);

  g_clear_pointer (&self->data, gs_shared_data_unref);
  g_free (self->color_range);

  G_OBJECT_CLASS (gs_window_parent_class)->finalize (object);
}

static void
gs_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GsWindow *self = GS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    case PROP_SIDEBAR_VISIBLE:
      g_value_set_boolean (value, self->sidebar == NULL || gtk_widget_get_visible (self->sidebar));
      break;
    case PROP_LESSON:
      g_value_set_boolean (value, self->lesson_active);
      break;
    case PROP_LESSON_STEP:
      g_value_set_int (value, gs_window_get_lesson_step (self));
      break;
    case PROP_FIGURE:
      g_value_set_string (value, gs_window_get_figure_name (self));
      break;
    case PROP_SHOWING:
      g_value_take_boxed (value, gs_window_dup_showing (self));
      break;
    case PROP_PREPARING:
      g_value_set_boolean (value, self->preparing != NULL);
      break;
    case PROP_DATA_READY:
      g_value_set_boolean (value, gs_window_get_data_ready (self));
      break;
    case PROP_COLOR_RANGE:
      g_value_set_string (value, self->color_range ? self->color_range : "absolute");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GsWindow *self = GS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      gs_window_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_PRESENTATION:
      _gs_window_set_presentation (self, g_value_get_boolean (value));
      break;
    case PROP_SIDEBAR_VISIBLE:
      if (self->sidebar != NULL)
        gtk_widget_set_visible (self->sidebar, g_value_get_boolean (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_LESSON:
      _gs_window_set_lesson_active (self, g_value_get_boolean (value));
      break;
    case PROP_COLOR_RANGE:
      _gs_window_set_color_range (self, g_value_get_string (value), NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_window_class_init (GsWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gs_window_dispose;
  object_class->finalize = gs_window_finalize;
  object_class->get_property = gs_window_get_property;
  object_class->set_property = gs_window_set_property;
  window_class->close_request = gs_window_close_request;

  properties[PROP_PAUSED] = g_param_spec_boolean (
      "paused", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENTATION]
      = g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIDEBAR_VISIBLE]
      = g_param_spec_boolean ("sidebar-visible", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LESSON] = g_param_spec_boolean (
      "lesson", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The lesson's step from 0, -1 when the lesson is off. */
  properties[PROP_LESSON_STEP] = g_param_spec_int ("lesson-step", NULL, NULL, -1, G_MAXINT, -1,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The figure on screen, by its name (gs_figure_name()). */
  properties[PROP_FIGURE]
      = g_param_spec_string ("figure", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The presets of the runs on screen, left to right ("" for none). */
  properties[PROP_SHOWING]
      = g_param_spec_boxed ("showing", NULL, NULL, G_TYPE_STRV, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* "Prepare Lesson" is training the lesson's runs. */
  properties[PROP_PREPARING]
      = g_param_spec_boolean ("preparing", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* A data set is loaded and none is loading. */
  properties[PROP_DATA_READY]
      = g_param_spec_boolean ("data-ready", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The heatmaps' colour range: "absolute", "fit" or "LO:HI", as
   * export --color-range takes it (the state of win.color-scale). */
  properties[PROP_COLOR_RANGE]
      = g_param_spec_string ("color-range", NULL, NULL, "absolute",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GS_TYPE_CONFIG_PANEL);
  g_type_ensure (GS_TYPE_LESSON);
  g_type_ensure (GS_TYPE_RUN_LIST);
  g_type_ensure (GS_TYPE_FIGURE_VIEW);
  g_type_ensure (GS_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradscope/Gradscope/ui/gs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GsWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, config_panel);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, run_list);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, run_title);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, figure_stack);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, hist_kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, undo_revealer);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, undo_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, pair_revealer);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, lesson_revealer);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, lesson);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, pair_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, lesson_missing);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, missing_title);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, missing_detail);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, header_revealer);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, header_slot);
  gtk_widget_class_bind_template_child_full (widget_class, "sidebar_paned", FALSE,
                                             G_STRUCT_OFFSET (GsWindow, sidebar));

  _gs_window_class_init_actions (widget_class);
}

static void
gs_window_init (GsWindow *self)
{
  self->color_range = g_strdup ("absolute");
  gtk_widget_init_template (GTK_WIDGET (self));

  self->init_probe = gs_init_probe_new ();
  g_signal_connect_object (self->init_probe, "ready", G_CALLBACK (on_init_ready), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->config_panel, "changed", G_CALLBACK (on_config_changed), self);
  g_signal_connect_swapped (self->run_list, "selection-changed", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->run_list, "library-loaded", G_CALLBACK (on_library_loaded), self);
  g_signal_connect_swapped (self->run_list, "error", G_CALLBACK (on_run_list_error), self);
  g_signal_connect_swapped (self->run_list, "notify::pending-delete", G_CALLBACK (on_pending_delete), self);
  _gs_window_init_figures (self);
  _gs_window_init_fullscreen (self);
  _gs_window_init_keys (self);

  self->settings = settings_new_if_installed ();
  restore_state (self);
  on_selection_changed (self);
}

GsWindow *
gs_window_new (GtkApplication *application)
{
  return g_object_new (GS_TYPE_WINDOW, "application", application, NULL);
}

gboolean
gs_window_load_preset (GsWindow *self, const char *id, GError **error)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return gs_config_panel_load_preset (self->config_panel, id, error);
}

gboolean
gs_window_set_option (GsWindow *self, const char *name, const char *value, GError **error)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return _gs_window_check_live_option (self, name, value, error)
         && gs_config_panel_set_option (self->config_panel, name, value, error);
}

GsConfigPanel *
gs_window_get_config_panel (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return self->config_panel;
}

/* Starts a run of the sidebar's configuration; waits for a data set that
 * is still loading. Does nothing while a run is active. */
void
gs_window_start (GsWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsRun) run = NULL;

  g_return_if_fail (GS_IS_WINDOW (self));

  if (self->current != NULL || !gs_config_panel_get_valid (self->config_panel))
    return;
  if (self->data_cancellable != NULL || self->data == NULL)
    {
      self->start_pending = self->data_cancellable != NULL;
      return;
    }

  _gs_window_hide_banner (self);
  run = gs_run_new (gs_config_panel_get_config (self->config_panel), self->data,
                    gs_run_list_next_number (self->run_list));
  _gs_window_repeat_schedule (self, run, self->pair_run);
  if (!gs_run_start (run, &error))
    {
      _gs_window_show_banner (self, error->message);
      return;
    }
  self->current = g_object_ref (run);
  _gs_window_begin_live (self);
  _gs_window_add_run (self, run);
  if (self->pair_run != NULL)
    {
      GsRun *both[2] = { self->pair_run, run };
      gs_window_select_runs (self, both, 2);
      _gs_window_set_pair_run (self, NULL);
    }
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->progress_label, _ ("Starting…"));
  _gs_window_refresh_lesson (self);
  _gs_window_update_actions (self);
}

void
gs_window_set_paused (GsWindow *self, gboolean paused)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  paused = !!paused;
  if (self->current == NULL || self->paused == paused)
    return;
  self->paused = paused;
  gs_run_set_paused (self->current, paused);
  update_progress (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

void
gs_window_stop (GsWindow *self)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  self->start_pending = FALSE;
  if (self->current == NULL)
    return;
  /* The trainer still measures the test set: say so at once. */
  gs_run_stop (self->current);
  gtk_label_set_text (self->progress_label, _ ("Stopping…"));
  _gs_window_update_actions (self);
}

GsRun *
gs_window_get_current_run (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return self->current;
}

guint
gs_window_get_n_runs (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), 0);
  return gs_run_list_get_n_runs (self->run_list);
}

/* The run with this number (1-based, in the order runs joined the list), or
 * NULL. */
GsRun *
gs_window_get_run (GsWindow *self, guint number)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return gs_run_list_get_run (self->run_list, number);
}

char **
gs_window_dup_showing (GsWindow *self)
{
  g_autoptr (GPtrArray) runs = NULL;
  GStrvBuilder *builder = g_strv_builder_new ();
  char        **showing;

  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  runs = _gs_window_dup_shown_runs (self);
  for (guint i = 0; i < runs->len; i++)
    g_strv_builder_add (builder, gs_run_get_config (g_ptr_array_index (runs, i))->preset);
  showing = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return showing;
}

/* Shows these runs' figures side by side. */
void
gs_window_select_runs (GsWindow *self, GsRun **runs, guint n_runs)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  gs_run_list_select (self->run_list, runs, n_runs);
}

/* Removes a saved run from the list; its file goes when the undo bar does
 * (after a few seconds, at the next delete, or when the window closes). */
void
gs_window_delete_run (GsWindow *self, GsRun *run)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  gs_run_list_delete (self->run_list, run);
}

/* Deletes the file of a run removed with gs_window_delete_run() now. */
void
gs_window_flush_deletes (GsWindow *self)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  gs_run_list_flush_deletes (self->run_list);
}

/* TRUE once the saved runs are listed, and no autosave is under way. */
gboolean
gs_window_get_library_idle (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return gs_run_list_get_library_idle (self->run_list);
}

const char *
gs_window_get_library_dir (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return gs_run_list_get_library_dir (self->run_list);
}
