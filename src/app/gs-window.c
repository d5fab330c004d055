/* gs-window.c: the main window: set up a run, train it, watch it.
 *
 * The window owns the session's runs (one GsRunRow each in the run list),
 * the data set they train on, and at most one active run. Figures show the
 * selected runs, or the newest one; they are refreshed when a shown run
 * reports a new snapshot. Every action's enabled state is decided in
 * gs_window_update_actions().
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gs-config-panel.h"
#include "gs-figure-view.h"
#include "gs-lesson.h"
#include "gs-run-list.h"
#include "gs-runfile.h"
#include "gs-timeline.h"
#include "gs-window.h"
#include "gs-init-probe.h"
#include "gs-worker.h"

struct _GsWindow
{
  GtkApplicationWindow  parent_instance;

  /* template */
  GtkWidget            *start_button;
  GsConfigPanel        *config_panel;
  GsRunList            *run_list;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkLabel             *run_title;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkStack             *figure_stack;
  GtkDropDown          *hist_kind_dropdown;
  GtkWidget            *sidebar;
  GtkRevealer          *undo_revealer;
  GtkLabel             *undo_label;
  GsTimeline           *timeline;
  GtkRevealer          *lesson_revealer;
  GsLesson             *lesson;
  GtkRevealer          *pair_revealer;
  GtkLabel             *pair_label;

  GSettings            *settings;     /* NULL when the schema is not installed */
  GsSharedData         *data;
  GsInitProbe          *init_probe;  /* the "At Init" figure */
  GCancellable         *data_cancellable;
  GsRun                *current;      /* the active run, or NULL */
  GtkNativeDialog      *chooser;      /* the open file chooser, if any */
  GsRun                *pair_run;     /* "run again with one change" of this run */
  gboolean              start_pending;
  gboolean              paused;
  gboolean              presentation;
  gboolean              lesson_active;
  gboolean              fullscreened_by_presentation;
};

G_DEFINE_FINAL_TYPE (GsWindow, gs_window, GTK_TYPE_APPLICATION_WINDOW)

static void request_init_signal (GsWindow *self);

enum { PROP_0, PROP_PAUSED, PROP_PRESENTATION, PROP_SIDEBAR_VISIBLE, PROP_LESSON, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void gs_window_update_actions (GsWindow *self);
static void apply_lesson_step (GsWindow *self);
static void update_lesson_hint (GsWindow *self);

static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, GS_APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("GSettings schema %s not installed: settings are not remembered", GS_APP_ID);
      return NULL;
    }
  return g_settings_new (GS_APP_ID);
}

static void
show_banner (GsWindow   *self,
             const char *message)
{
  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static void
hide_banner (GsWindow *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

/* The selected runs, oldest first (left in side-by-side figures). */
static GPtrArray *
shown_runs (GsWindow *self)
{
  return gs_run_list_dup_selected (self->run_list);
}

static GsFigureView *
visible_figure (GsWindow *self)
{
  return GS_FIGURE_VIEW (gtk_stack_get_visible_child (self->figure_stack));
}

/* The timeline spans the longest run shown; it follows a live one. */
static void
update_timeline (GsWindow  *self,
                 GPtrArray *runs,
                 GPtrArray *records)
{
  guint n_steps = 0, per_epoch = 1;
  gboolean live = FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      GsRecord *rec = g_ptr_array_index (records, i);
      if (gs_record_n_steps (rec) >= n_steps)
        {
          n_steps = gs_record_n_steps (rec);
          per_epoch = gs_record_steps_per_epoch (rec);
        }
    }
  for (guint i = 0; i < runs->len; i++)
    live |= gs_run_is_active (g_ptr_array_index (runs, i));
  gs_timeline_set_range (self->timeline, n_steps, per_epoch, live);
  gtk_widget_set_visible (GTK_WIDGET (self->timeline), records->len > 0);
}

static void
on_timeline_step (GsWindow *self)
{
  guint step = gs_timeline_get_step (self->timeline);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child))
      gs_figure_view_set_cursor_step (GS_FIGURE_VIEW (child), step);
}

static void
refresh_figures (GsWindow *self)
{
  g_autoptr(GPtrArray) runs = shown_runs (self);
  g_autoptr(GPtrArray) records = g_ptr_array_new ();

  for (guint i = 0; i < runs->len; i++)
    if (gs_run_get_record (g_ptr_array_index (runs, i)) != NULL)
      g_ptr_array_add (records, gs_run_get_record (g_ptr_array_index (runs, i)));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child)
        && gs_figure_view_get_figure (GS_FIGURE_VIEW (child)) != GS_FIGURE_SIGNAL_INIT)
      gs_figure_view_set_runs (GS_FIGURE_VIEW (child),
                               (GsRecord *const *) records->pdata, records->len);
  update_timeline (self, runs, records);
}

static char *
format_duration (double seconds)
{
  int s = (int) round (seconds);

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

/* 12345 -> "12 345", with a narrow no-break space. */
static char *
format_count (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", MAX (value, 0));
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, "\u202f");
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* "Epoch 2 of 10 · step 1 200 of 4 690 · 12 300 samples/s · 1:20 left" */
static void
update_progress (GsWindow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *eta = NULL;
  g_autofree char *speed = NULL;
  const GsProgress *p;

  if (self->current == NULL)
    return;

  if (gs_run_is_stopping (self->current))
    {
      gtk_label_set_text (self->progress_label, _("Stopping…"));
      return;
    }
  if (!gs_run_is_prepared (self->current))
    {
      gtk_label_set_text (self->progress_label, _("Building the network…"));
      gtk_progress_bar_pulse (self->progress_bar);
      return;
    }
  p = gs_run_get_progress (self->current);
  eta = format_duration (p->eta);
  speed = format_count (p->samples_per_s);
  text = g_strdup_printf (_("Epoch %d of %d  ·  step %u of %u  ·  %s samples/s  ·  %s left"),
                          MAX (p->epoch, 1), p->n_epochs, p->step, p->n_steps,
                          speed, eta);
  if (gs_run_get_state (self->current) == GS_RUN_PAUSED)
    {
      g_autofree char *paused = g_strdup_printf (_("Paused  ·  %s"), text);
      gtk_label_set_text (self->progress_label, paused);
    }
  else
    gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 p->n_steps > 0 ? (double) p->step / p->n_steps : 0);
}

static void
update_title (GsWindow *self)
{
  g_autoptr(GPtrArray) runs = shown_runs (self);
  g_autoptr(GString) title = g_string_new (NULL);

  for (guint i = 0; i < runs->len; i++)
    g_string_append_printf (title, "%s%u. %s", i > 0 ? _("  vs  ") : "",
                            gs_run_get_number (g_ptr_array_index (runs, i)),
                            gs_run_get_title (g_ptr_array_index (runs, i)));
  gtk_label_set_text (self->run_title, runs->len > 0 ? title->str : _("No run selected"));
}

static gboolean
run_is_shown (GsWindow *self,
              GsRun    *run)
{
  return gs_run_list_is_selected (self->run_list, run);
}

static void
on_run_updated (GsWindow *self,
                GsRun    *run)
{
  if (self->run_list == NULL)  /* disposed */
    return;
  if (run == self->current)
    update_progress (self);
  if (run_is_shown (self, run))
    refresh_figures (self);
}

static void
on_run_list_error (GsWindow   *self,
                   const char *message)
{
  show_banner (self, message);
}

static void
on_library_loaded (GsWindow *self)
{
  if (self->lesson_active)
    apply_lesson_step (self);
  gs_window_update_actions (self);
}

/* The undo bar follows the run list's pending deletion. */
static void
on_pending_delete (GsWindow *self)
{
  GsRun *run = gs_run_list_get_pending_delete (self->run_list);

  if (run != NULL)
    {
      /* Translators: %u is a run number, %s its name */
      g_autofree char *text = g_strdup_printf (_("Run %u deleted: %s"), gs_run_get_number (run),
                                               gs_run_get_title (run));
      gtk_label_set_text (self->undo_label, text);
    }
  gtk_revealer_set_reveal_child (self->undo_revealer, run != NULL);
}

/* "Run 2: finished in 12 s  ·  test accuracy 84.1 %" */
static void
show_final_progress (GsWindow *self,
                     GsRun    *run)
{
  g_autofree char *status = gs_run_dup_status (run);
  double acc = gs_run_get_accuracy (run);
  g_autofree char *text = NULL;
  GsRecord *record = gs_run_get_record (run);
  gboolean test = record != NULL && gs_record_has_test (record);

  if (isfinite (acc) && gs_run_get_state (run) != GS_RUN_FAILED)
    text = g_strdup_printf (test ? _("Run %u: %s  ·  test accuracy %.1f %%")
                                 : _("Run %u: %s  ·  validation accuracy %.1f %%"),
                            gs_run_get_number (run), status, 100 * acc);
  else
    text = g_strdup_printf (_("Run %u: %s"), gs_run_get_number (run), status);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 gs_run_get_state (run) == GS_RUN_FINISHED ? 1.0 : 0.0);
}

static void
on_run_finished (GsWindow *self,
                 GsRun    *run)
{
  if (self->run_list == NULL)  /* disposed */
    return;
  if (run != self->current)
    return;

  g_clear_object (&self->current);
  gs_run_list_autosave (self->run_list, run);
  if (self->lesson_active)
    update_lesson_hint (self);
  show_final_progress (self, run);
  if (gs_run_get_state (run) == GS_RUN_FAILED)
    show_banner (self, gs_run_get_error (run));
  if (self->paused)
    {
      self->paused = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
    }
  gs_window_update_actions (self);
}

/* Adds a run to the list and shows it alone. */
static void
add_run (GsWindow *self,
         GsRun    *run)
{
  g_signal_connect_object (run, "updated", G_CALLBACK (on_run_updated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "finished", G_CALLBACK (on_run_finished), self, G_CONNECT_SWAPPED);
  gs_run_list_add (self->run_list, run);
}


/* The same experiment: what a lesson step asks for, whatever the length
 * of the run, its seed or how much data it used. */
static gboolean
same_experiment (const GsConfig *a,
                 const GsConfig *b)
{
  GsConfig ca = *a, cb = *b;

  ca.epochs = cb.epochs = 1;
  ca.limit_train = cb.limit_train = 0;
  ca.seed = cb.seed = 0;
  ca.hist_per_epoch = cb.hist_per_epoch = 0;
  ca.batch_size = cb.batch_size = 1;
  return g_str_equal (ca.preset, cb.preset) && gs_config_equal (&ca, &cb);
}

/* The newest run of the list (this session's first, then saved ones)
 * that is a run of the step's preset. */
static GsRun *
find_lesson_run (GsWindow           *self,
                 const GsLessonStep *step)
{
  g_autoptr(GPtrArray) runs = gs_run_list_dup_runs (self->run_list);
  GsConfig config;

  gs_config_init_defaults (&config);
  if (!gs_config_load_preset (&config, step->preset, NULL))
    return NULL;
  for (guint i = 0; i < runs->len; i++)
    {
      GsRun *run = g_ptr_array_index (runs, i);
      if (gs_run_get_record (run) != NULL && !gs_run_is_active (run) &&
          same_experiment (gs_run_get_config (run), &config))
        return run;
    }
  return NULL;
}

static void
highlight_figure (GsWindow   *self,
                  const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkStackPage *page = gtk_stack_get_page (self->figure_stack, child);

      if (name != NULL && g_strcmp0 (gtk_stack_page_get_name (page), name) == 0)
        gtk_widget_add_css_class (child, "lesson-focus");
      else
        gtk_widget_remove_css_class (child, "lesson-focus");
    }
}

static void
update_lesson_hint (GsWindow *self)
{
  const GsLessonStep *step = gs_lesson_get_step (gs_lesson_get_index (self->lesson));
  GsRun *run = find_lesson_run (self, step);
  g_autofree char *hint = NULL;

  if (run != NULL)
    /* Translators: %u is a run number, %s its name */
    hint = g_strdup_printf (_("Showing run %u, %s. Ctrl+click another run to compare."),
                            gs_run_get_number (run), gs_run_get_title (run));
  else
    hint = g_strdup (_("No run of this experiment yet: press Start to train it, or open a saved "
                       "run with Ctrl+O."));
  gs_lesson_set_hint (self->lesson, hint);
}

static void
apply_lesson_step (GsWindow *self)
{
  const GsLessonStep *step = gs_lesson_get_step (gs_lesson_get_index (self->lesson));
  GsRun *run;

  if (!self->lesson_active)
    return;
  if (self->current == NULL)
    gs_config_panel_load_preset (self->config_panel, step->preset, NULL);
  run = find_lesson_run (self, step);
  if (run != NULL)
    gs_window_select_runs (self, &run, 1);
  gs_window_show_figure (self, step->figure);
  if (step->hist_kind >= 0)
    gtk_drop_down_set_selected (self->hist_kind_dropdown, step->hist_kind);
  highlight_figure (self, step->figure);
  update_lesson_hint (self);
  gs_window_update_actions (self);
}

static void
set_lesson_active (GsWindow *self,
                   gboolean  active)
{
  active = !!active;
  if (self->lesson_active == active)
    return;
  self->lesson_active = active;
  gtk_revealer_set_reveal_child (self->lesson_revealer, active);
  if (active)
    apply_lesson_step (self);
  else
    highlight_figure (self, NULL);
  gs_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LESSON]);
}

static void
lesson_move_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  guint index = gs_lesson_get_index (self->lesson);

  if (g_str_equal (action_name, "win.lesson-next"))
    index++;
  else if (index > 0)
    index--;
  gs_lesson_set_index (self->lesson, index);
  apply_lesson_step (self);
}

static void
gs_window_update_actions (GsWindow *self)
{
  gboolean active = self->current != NULL;
  gboolean stopping = active && gs_run_is_stopping (self->current);
  gboolean valid = gs_config_panel_get_valid (self->config_panel);
  gboolean have_data = self->data != NULL || self->data_cancellable != NULL;
  g_autoptr(GPtrArray) shown = shown_runs (self);
  GsRun *single = shown->len == 1 ? g_ptr_array_index (shown, 0) : NULL;
  gboolean one_done = single != NULL && !gs_run_is_active (single) &&
                      gs_run_get_record (single) != NULL;

  const char *problem = gs_config_panel_get_problem (self->config_panel);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", !active && valid && have_data);
  gtk_widget_set_tooltip_text (self->start_button,
                               problem != NULL ? problem
                               : _("Train the Network Set Up in the Sidebar (Space)"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", active && !stopping);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", active && !stopping);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-or-pause",
                                 active || (valid && have_data));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", one_done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-again", one_done && !active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-pair", self->pair_run != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.timeline-move", shown->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lesson-next",
                                 self->lesson_active &&
                                 gs_lesson_get_index (self->lesson) + 1 < gs_lesson_get_n_steps ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lesson-previous",
                                 self->lesson_active && gs_lesson_get_index (self->lesson) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", shown->len > 0);
}

static void
set_data_info (GsWindow *self)
{
  const GsDataset *data = self->data != NULL ? gs_shared_data_get (self->data) : NULL;
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  g_autofree char *where = NULL;

  if (data == NULL)
    return;
  if (data->builtin)
    {
      gs_config_panel_set_data (self->config_panel, _("Built-in synthetic set"),
                                _("Fashion-MNIST was not found"),
                                _("Runs train on a small made-up set. For the real one, install "
                                  "Debian’s dataset-fashion-mnist package, set $GRADSCOPE_DATA, "
                                  "or choose a folder of IDX files with the button above."),
                                FALSE);
      return;
    }
  train = format_count (data->train.n);
  test = format_count (data->test.n);
  gs_config_panel_set_data (self->config_panel, data->name, data->source, NULL, FALSE);
  /* Translators: training and test image counts, then a folder */
  where = g_strdup_printf (_("%s training and %s test images from %s"), train, test, data->source);
  gs_config_panel_set_data_tooltip (self->config_panel, where);
}

static void
load_data_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GsDataset *data = gs_dataset_find (task_data, &error);

  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) gs_dataset_free);
}

static void
load_data_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GsWindow *self = GS_WINDOW (object);
  g_autoptr(GError) error = NULL;
  GsDataset *data = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->data_cancellable);

  if (data == NULL)
    {
      show_banner (self, error->message);
      if (self->data == NULL)
        gs_config_panel_set_data (self->config_panel, _("No data set"), NULL, error->message, TRUE);
      self->start_pending = FALSE;
    }
  else
    {
      g_clear_pointer (&self->data, gs_shared_data_unref);
      self->data = gs_shared_data_new (data);
      set_data_info (self);
      request_init_signal (self);
    }
  gs_window_update_actions (self);
  if (self->start_pending)
    {
      self->start_pending = FALSE;
      gs_window_start (self);
    }
}

/* folder: NULL = the usual search order, "builtin" = the built-in set. */
static void
load_data (GsWindow   *self,
           const char *folder)
{
  g_autoptr(GTask) task = NULL;

  if (self->data_cancellable != NULL)
    g_cancellable_cancel (self->data_cancellable);
  g_clear_object (&self->data_cancellable);
  self->data_cancellable = g_cancellable_new ();

  gs_config_panel_set_data (self->config_panel, _("Loading data set…"), folder, NULL, FALSE);
  task = g_task_new (self, self->data_cancellable, load_data_done, NULL);
  g_task_set_source_tag (task, load_data);
  g_task_set_task_data (task, g_strdup (folder), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  gs_worker_run (task, load_data_thread);
  gs_window_update_actions (self);
}

/* "Learning rate 0.01 → 0.1": what the sidebar changes from the pair run. */
static void
update_pair_label (GsWindow *self)
{
  const GsConfig *before, *now;
  guint n_options, n_changed = 0;
  const GsOptionSpec *options = gs_config_options (&n_options);
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autofree char *text = NULL;

  if (self->pair_run == NULL)
    return;
  before = gs_run_get_config (self->pair_run);
  now = gs_config_panel_get_config (self->config_panel);
  for (guint i = 0; i < n_options; i++)
    {
      g_autofree char *a = gs_config_get (before, options[i].name);
      g_autofree char *b = gs_config_get (now, options[i].name);

      if (g_strcmp0 (a, b) == 0)
        continue;
      n_changed++;
      g_string_append_printf (changes, "%s%s %s → %s", changes->len > 0 ? ", " : "",
                              _(options[i].label), a, b);
    }
  if (n_changed == 0)
    text = g_strdup_printf (_("Run %u again with one change: change one option in the sidebar, "
                              "then Start. Same seed and same mini-batches; the two runs open "
                              "side by side."), gs_run_get_number (self->pair_run));
  else if (n_changed == 1)
    /* Translators: %u is a run number, %s a change such as "Learning rate 0.01 → 0.1" */
    text = g_strdup_printf (_("Run %u again with %s. Same seed and same mini-batches."),
                            gs_run_get_number (self->pair_run), changes->str);
  else
    text = g_strdup_printf (ngettext ("Run %u again with %u changes: %s. More than one "
                                      "change makes the comparison harder to read.",
                                      "Run %u again with %u changes: %s. More than one "
                                      "change makes the comparison harder to read.", n_changed),
                            gs_run_get_number (self->pair_run), n_changed, changes->str);
  gtk_label_set_text (self->pair_label, text);
}

static void
set_pair_run (GsWindow *self,
              GsRun    *run)
{
  g_set_object (&self->pair_run, run);
  gtk_revealer_set_reveal_child (self->pair_revealer, run != NULL);
  update_pair_label (self);
  gs_window_update_actions (self);
}

/* The "At Init" figure follows the sidebar, not the runs. */
static void
request_init_signal (GsWindow *self)
{
  if (self->data != NULL && gs_config_panel_get_valid (self->config_panel))
    gs_init_probe_request (self->init_probe, gs_config_panel_get_config (self->config_panel),
                           self->data);
}

static void
on_init_ready (GsWindow *self, GsRecord *rec, const char *error)
{
  GtkWidget *view;

  if (self->figure_stack == NULL)
    return;
  view = gtk_stack_get_child_by_name (self->figure_stack, "signal-init");

  if (view != NULL)
    gs_figure_view_set_runs (GS_FIGURE_VIEW (view), rec ? &rec : NULL, rec ? 1 : 0);
}

static void
on_config_changed (GsWindow *self)
{
  update_pair_label (self);
  request_init_signal (self);
  if (self->settings != NULL)
    {
      g_autofree char *text = gs_config_panel_to_string (self->config_panel);
      g_settings_set_string (self->settings, "last-config", text);
    }
  gs_window_update_actions (self);
}

static void
on_selection_changed (GsWindow *self)
{
  g_autoptr(GPtrArray) runs = shown_runs (self);

  /* While nothing trains, the progress line describes the newest run shown. */
  if (self->current == NULL && runs->len > 0)
    show_final_progress (self, g_ptr_array_index (runs, runs->len - 1));
  else if (self->current == NULL)
    {
      gtk_label_set_text (self->progress_label, "");
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
    }
  refresh_figures (self);
  update_title (self);
  gs_window_update_actions (self);
}

static void
save_window_state (GsWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
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
      load_data (self, NULL);
      return;
    }

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  config = g_settings_get_string (self->settings, "last-config");
  if (config[0] != '\0')
    gs_config_panel_from_string (self->config_panel, config);
  else
    gs_config_panel_load_preset (self->config_panel, "baseline", NULL);

  folder = g_settings_get_string (self->settings, "data-folder");
  load_data (self, folder[0] != '\0' ? folder : NULL);
}

static void
set_chooser (GsWindow        *self,
             GtkNativeDialog *chooser)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
}

static GtkFileChooserNative *
new_chooser (GsWindow             *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept,
             GCallback             on_response)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                                               accept, _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", on_response, self, G_CONNECT_SWAPPED);
  set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  return chooser;
}

static char *
chooser_path (GtkNativeDialog *chooser,
              int              response)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  return file != NULL ? g_file_get_path (file) : NULL;
}

static void
on_data_chosen (GsWindow        *self,
                int              response,
                GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);

  if (path != NULL)
    gs_window_set_data_folder (self, path);
}

static void
choose_data_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _("Choose a Folder With IDX Files"),
                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Use Folder"),
                         G_CALLBACK (on_data_chosen));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
add_run_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Gradscope Runs"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "*.json.gz");
  gtk_file_filter_add_pattern (filter, "*.gsrun");
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
on_open_chosen (GsWindow        *self,
                int              response,
                GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);
  g_autoptr(GError) error = NULL;

  if (path != NULL && gs_window_open_run (self, path, &error) == NULL)
    show_banner (self, error->message);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _("Open Run"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                         G_CALLBACK (on_open_chosen));
  add_run_filters (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GsRun *
single_shown_run (GsWindow *self)
{
  g_autoptr(GPtrArray) runs = shown_runs (self);

  return runs->len == 1 ? g_ptr_array_index (runs, 0) : NULL;
}

static void
on_save_chosen (GsWindow        *self,
                int              response,
                GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);
  g_autoptr(GError) error = NULL;
  GsRun *run = single_shown_run (self);

  if (path != NULL && run != NULL && !gs_window_save_run (self, run, path, &error))
    show_banner (self, error->message);
}

static char *
file_name_for (GsRun      *run,
               const char *suffix)
{
  const GsConfig *config = gs_run_get_config (run);
  const char *preset = config->preset[0] != '\0' ? config->preset : "run";

  return g_strdup_printf ("%s-%u%s", preset, gs_run_get_number (run), suffix);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GsRun *run = single_shown_run (self);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (run == NULL)
    return;
  chooser = new_chooser (self, _("Save Run"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                         G_CALLBACK (on_save_chosen));
  add_run_filters (GTK_FILE_CHOOSER (chooser));
  name = file_name_for (run, ".json.gz");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct {
  const char *id;
  const char *label;
  int width, height;
  double dpi;
} ExportSize;

static const ExportSize export_sizes[] = {
  { "slide", N_("Slide, 1920 × 1080"), 1920, 1080, 192 },
  { "column", N_("Paper column, 3.5 in at 300 dpi"), 1050, 750, 300 },
  { "double", N_("Two paper columns, 7 in at 300 dpi"), 2100, 1200, 300 },
  { "screen", N_("As on screen"), 0, 0, 96 },
};

static void
add_export_choices (GtkFileChooser *chooser)
{
  const char *ids[G_N_ELEMENTS (export_sizes) + 1] = { NULL };
  const char *labels[G_N_ELEMENTS (export_sizes) + 1] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (export_sizes); i++)
    {
      ids[i] = export_sizes[i].id;
      labels[i] = _(export_sizes[i].label);
    }
  gtk_file_chooser_add_choice (chooser, "size", _("Size"), ids, labels);
  gtk_file_chooser_set_choice (chooser, "size", "slide");
  gtk_file_chooser_add_choice (chooser, "background", _("Dark background"), NULL, NULL);
  gtk_file_chooser_set_choice (chooser, "background", "false");
}

static const char *
export_format (const char *path)
{
  if (g_str_has_suffix (path, ".svg"))
    return "svg";
  if (g_str_has_suffix (path, ".pdf"))
    return "pdf";
  return "png";
}

static void
on_export_chosen (GsWindow        *self,
                  int              response,
                  GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);
  g_autoptr(GError) error = NULL;
  const char *size, *dark;

  if (path == NULL)
    return;
  size = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "size");
  dark = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "background");
  if (!g_str_has_suffix (path, ".png") && !g_str_has_suffix (path, ".svg") &&
      !g_str_has_suffix (path, ".pdf"))
    {
      char *with_suffix = g_strconcat (path, ".png", NULL);
      g_free (path);
      path = with_suffix;
    }
  if (!gs_window_export_figure (self, path, size, g_strcmp0 (dark, "true") == 0, &error))
    show_banner (self, error->message);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GsFigure figure = gs_figure_view_get_figure (visible_figure (self));
  g_autofree char *name = g_strdup_printf ("%s.png", gs_figure_name (figure));
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _("Export Figure"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                         G_CALLBACK (on_export_chosen));
  add_export_choices (GTK_FILE_CHOOSER (chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  gs_window_start (GS_WINDOW (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  gs_window_stop (GS_WINDOW (widget));
}

static void
start_or_pause_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);

  if (self->current != NULL)
    gs_window_set_paused (self, !self->paused);
  else
    gs_window_start (self);
}

static void
run_again_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GsRun *run = single_shown_run (self);

  if (run != NULL)
    gs_window_run_again (self, run);
}

static void
cancel_pair_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  set_pair_run (GS_WINDOW (widget), NULL);
}

static void
timeline_move_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  int move = g_variant_get_int32 (param);

  if (move == G_MININT32)
    gs_timeline_set_step (self->timeline, 1);
  else if (move == G_MAXINT32)
    gs_timeline_set_step (self->timeline, 0);
  else
    gs_timeline_move (self->timeline, move);
}

static void
delete_run_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GsRun *run = gs_window_get_run (self, g_variant_get_uint32 (param));

  if (run != NULL)
    gs_window_delete_run (self, run);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  gs_window_undo_delete (GS_WINDOW (widget));
}

static void
dismiss_banner_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  hide_banner (GS_WINDOW (widget));
}

static void
on_hist_kind_changed (GsWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child))
      gs_figure_view_set_hist_kind (GS_FIGURE_VIEW (child),
                                    gtk_drop_down_get_selected (self->hist_kind_dropdown));
}

static void
on_visible_figure_changed (GsWindow *self)
{
  GsFigure figure = gs_figure_view_get_figure (visible_figure (self));

  gtk_widget_set_visible (GTK_WIDGET (self->hist_kind_dropdown),
                          figure == GS_FIGURE_HISTOGRAMS);
}

static void
set_presentation (GsWindow *self,
                  gboolean  presentation)
{
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  if (presentation)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
  /* Full screen too, and back only if presentation mode made it so. */
  if (presentation && !gtk_window_is_fullscreen (GTK_WINDOW (self)))
    {
      self->fullscreened_by_presentation = TRUE;
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else if (!presentation && self->fullscreened_by_presentation)
    {
      self->fullscreened_by_presentation = FALSE;
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child))
      gs_figure_view_set_presentation (GS_FIGURE_VIEW (child), presentation);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
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
  set_chooser (self, NULL);
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

  G_OBJECT_CLASS (gs_window_parent_class)->finalize (object);
}

static void
gs_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GsWindow *self = GS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      gs_window_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_PRESENTATION:
      set_presentation (self, g_value_get_boolean (value));
      break;
    case PROP_SIDEBAR_VISIBLE:
      if (self->sidebar != NULL)
        gtk_widget_set_visible (self->sidebar, g_value_get_boolean (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_LESSON:
      set_lesson_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_window_class_init (GsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gs_window_dispose;
  object_class->finalize = gs_window_finalize;
  object_class->get_property = gs_window_get_property;
  object_class->set_property = gs_window_set_property;
  window_class->close_request = gs_window_close_request;

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIDEBAR_VISIBLE] =
    g_param_spec_boolean ("sidebar-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LESSON] =
    g_param_spec_boolean ("lesson", NULL, NULL, FALSE,
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
  gtk_widget_class_bind_template_child_full (widget_class, "sidebar_paned", FALSE,
                                             G_STRUCT_OFFSET (GsWindow, sidebar));

  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_property_action (widget_class, "win.pause", "paused");
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.start-or-pause", NULL, start_or_pause_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.choose-data", NULL, choose_data_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL, dismiss_banner_action);
  gtk_widget_class_install_action (widget_class, "win.delete-run", "u", delete_run_action);
  gtk_widget_class_install_action (widget_class, "win.run-again", NULL, run_again_action);
  gtk_widget_class_install_property_action (widget_class, "win.lesson", "lesson");
  gtk_widget_class_install_action (widget_class, "win.lesson-next", NULL, lesson_move_action);
  gtk_widget_class_install_action (widget_class, "win.lesson-previous", NULL, lesson_move_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-pair", NULL, cancel_pair_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-move", "i", timeline_move_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_install_property_action (widget_class, "win.sidebar", "sidebar-visible");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.start-or-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.presentation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.sidebar", NULL);
  /* Reached only when the focused widget does not use the key itself. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "win.timeline-move", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "win.timeline-move", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_SHIFT_MASK, "win.timeline-move", "i", -10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_SHIFT_MASK, "win.timeline-move", "i", 10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "win.timeline-move", "i", G_MININT32);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "win.timeline-move", "i", G_MAXINT32);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run-again", NULL);
  /* Presentation clickers send Page Down / Page Up. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "win.lesson-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "win.lesson-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, GDK_CONTROL_MASK, "win.lesson", NULL);
}

static void
gs_window_init (GsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->init_probe = gs_init_probe_new ();
  g_signal_connect_object (self->init_probe, "ready", G_CALLBACK (on_init_ready), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->config_panel, "changed",
                            G_CALLBACK (on_config_changed), self);
  g_signal_connect_swapped (self->run_list, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->run_list, "library-loaded",
                            G_CALLBACK (on_library_loaded), self);
  g_signal_connect_swapped (self->run_list, "error",
                            G_CALLBACK (on_run_list_error), self);
  g_signal_connect_swapped (self->run_list, "notify::pending-delete",
                            G_CALLBACK (on_pending_delete), self);
  g_signal_connect_swapped (self->figure_stack, "notify::visible-child",
                            G_CALLBACK (on_visible_figure_changed), self);
  g_signal_connect_swapped (self->hist_kind_dropdown, "notify::selected",
                            G_CALLBACK (on_hist_kind_changed), self);
  g_signal_connect_swapped (self->timeline, "notify::step",
                            G_CALLBACK (on_timeline_step), self);

  self->settings = settings_new_if_installed ();
  restore_state (self);
  on_selection_changed (self);
  on_visible_figure_changed (self);
}

GsWindow *
gs_window_new (GtkApplication *application)
{
  return g_object_new (GS_TYPE_WINDOW, "application", application, NULL);
}

gboolean
gs_window_load_preset (GsWindow    *self,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return gs_config_panel_load_preset (self->config_panel, id, error);
}

gboolean
gs_window_set_option (GsWindow    *self,
                      const char  *name,
                      const char  *value,
                      GError     **error)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return gs_config_panel_set_option (self->config_panel, name, value, error);
}

/* folder: a folder with IDX files, "builtin", or NULL or "" to search the
 * usual places. Ignored while a run is active (it reads the data set). */
void
gs_window_set_data_folder (GsWindow   *self,
                           const char *folder)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  if (folder != NULL && folder[0] == '\0')
    folder = NULL;
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "data-folder", folder != NULL ? folder : "");
  load_data (self, folder);
}

gboolean
gs_window_get_data_ready (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return self->data != NULL && self->data_cancellable == NULL;
}

GsConfigPanel *
gs_window_get_config_panel (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return self->config_panel;
}

GsFigureView *
gs_window_get_visible_figure (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return visible_figure (self);
}

/* TRUE when the runs train on the built-in synthetic set. */
gboolean
gs_window_get_data_builtin (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return self->data != NULL && gs_shared_data_get (self->data)->builtin;
}

/* Starts a run of the sidebar's configuration; waits for a data set that
 * is still loading. Does nothing while a run is active. */
void
gs_window_start (GsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GsRun) run = NULL;

  g_return_if_fail (GS_IS_WINDOW (self));

  if (self->current != NULL || !gs_config_panel_get_valid (self->config_panel))
    return;
  if (self->data_cancellable != NULL || self->data == NULL)
    {
      self->start_pending = self->data_cancellable != NULL;
      return;
    }

  hide_banner (self);
  run = gs_run_new (gs_config_panel_get_config (self->config_panel), self->data,
                    gs_run_list_next_number (self->run_list));
  if (!gs_run_start (run, &error))
    {
      show_banner (self, error->message);
      return;
    }
  self->current = g_object_ref (run);
  add_run (self, run);
  if (self->pair_run != NULL)
    {
      GsRun *both[2] = { self->pair_run, run };
      gs_window_select_runs (self, both, 2);
      set_pair_run (self, NULL);
    }
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->progress_label, _("Starting…"));
  gs_window_update_actions (self);
}

void
gs_window_set_paused (GsWindow *self,
                      gboolean  paused)
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
  gtk_label_set_text (self->progress_label, _("Stopping…"));
  gs_window_update_actions (self);
}

/* name: a figure's name ("heatmap", "curves", ...). */
gboolean
gs_window_show_figure (GsWindow   *self,
                       const char *name)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);

  if (gtk_stack_get_child_by_name (self->figure_stack, name) == NULL)
    return FALSE;
  gtk_stack_set_visible_child_name (self->figure_stack, name);
  return TRUE;
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
gs_window_get_run (GsWindow *self,
                   guint     number)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return gs_run_list_get_run (self->run_list, number);
}

/* Shows these runs' figures side by side. */
void
gs_window_select_runs (GsWindow  *self,
                       GsRun    **runs,
                       guint      n_runs)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  gs_run_list_select (self->run_list, runs, n_runs);
}

/* Adds a saved run to the session and shows it. */
GsRun *
gs_window_open_run (GsWindow    *self,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GsRecord) record = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GsRun) run = NULL;

  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);

  record = gs_runfile_load (path, error);
  if (record == NULL)
    return NULL;
  base = g_path_get_basename (path);
  run = gs_run_new_from_record (record, gs_run_list_next_number (self->run_list), base);
  add_run (self, run);
  gs_window_update_actions (self);
  return run;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* Every run file of a folder (a sweep's output, say), selected together as
 * one comparison. Files that do not load are skipped; the error names the
 * first of them when none loads. Returns the number of runs opened. */
guint
gs_window_open_folder (GsWindow    *self,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) first_error = NULL;
  const char *name;

  g_return_val_if_fail (GS_IS_WINDOW (self), 0);
  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".json.gz"))
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) local = NULL;
      GsRun *run = gs_window_open_run (self, g_ptr_array_index (names, i), &local);
      if (run != NULL)
        g_ptr_array_add (runs, g_object_ref (run));
      else if (first_error == NULL)
        first_error = g_steal_pointer (&local);
    }
  if (runs->len == 0)
    {
      if (first_error != NULL)
        g_propagate_error (error, g_steal_pointer (&first_error));
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("%s holds no run files (*.json, *.json.gz)"), path);
      return 0;
    }
  gs_window_select_runs (self, (GsRun **) runs->pdata, runs->len);
  return runs->len;
}

gboolean
gs_window_save_run (GsWindow    *self,
                    GsRun       *run,
                    const char  *path,
                    GError     **error)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (GS_IS_RUN (run), FALSE);
  g_return_val_if_fail (!gs_run_is_active (run), FALSE);

  if (gs_run_get_record (run) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Run %u has no record to save: %s"), gs_run_get_number (run),
                   gs_run_get_error (run));
      return FALSE;
    }
  return gs_runfile_save (gs_run_get_record (run), path, error);
}

/* Exports the figure shown, for the runs shown, as PNG, SVG or PDF (from
 * the file name). size_id: "slide", "column", "double" or "screen". */
gboolean
gs_window_export_figure (GsWindow    *self,
                         const char  *path,
                         const char  *size_id,
                         gboolean     dark,
                         GError     **error)
{
  GsFigureView *view;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  const ExportSize *size = &export_sizes[0];
  GsPlotStyle style;
  int width, height;

  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);

  view = visible_figure (self);
  runs = shown_runs (self);
  for (guint i = 0; i < G_N_ELEMENTS (export_sizes); i++)
    if (g_strcmp0 (size_id, export_sizes[i].id) == 0)
      size = &export_sizes[i];
  width = size->width > 0 ? size->width : gtk_widget_get_width (GTK_WIDGET (view));
  height = size->height > 0 ? size->height : gtk_widget_get_height (GTK_WIDGET (view));

  for (guint i = 0; i < runs->len; i++)
    if (gs_run_get_record (g_ptr_array_index (runs, i)) != NULL)
      g_ptr_array_add (records, gs_run_get_record (g_ptr_array_index (runs, i)));
  gs_plot_style_init (&style, dark, self->presentation);
  style.hist_kind = gs_figure_view_get_hist_kind (view);
  style.cursor_step = gs_timeline_get_step (self->timeline);
  return gs_plot_export (gs_figure_view_get_figure (view), (GsRecord *const *) records->pdata,
                         records->len, export_format (path), path, width, height,
                         size->dpi, &style, error);
}

/* Removes a saved run from the list; its file goes when the undo bar does
 * (after a few seconds, at the next delete, or when the window closes). */
void
gs_window_delete_run (GsWindow *self,
                      GsRun    *run)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  gs_run_list_delete (self->run_list, run);
}

void
gs_window_undo_delete (GsWindow *self)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  gs_run_list_undo_delete (self->run_list);
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

/* Sets the sidebar to this run's configuration (same seed: same initial
 * weights and mini-batch order) and waits for one change and Start; the
 * new run then opens beside this one. */
void
gs_window_run_again (GsWindow *self,
                     GsRun    *run)
{
  const GsConfig *config;
  guint n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);
  g_autoptr(GString) text = g_string_new (NULL);
  GsConfig preset;

  g_return_if_fail (GS_IS_WINDOW (self));
  g_return_if_fail (GS_IS_RUN (run));

  if (gs_run_get_record (run) == NULL)
    return;
  config = gs_run_get_config (run);
  gs_config_init_defaults (&preset);
  g_string_append_printf (text, "preset=%s custom=%s", config->preset,
                          config->preset[0] != '\0' &&
                          gs_config_load_preset (&preset, config->preset, NULL) &&
                          gs_config_equal (&preset, config) ? "false" : "true");
  for (guint i = 0; i < n_options; i++)
    {
      g_autofree char *value = gs_config_get (config, options[i].name);
      g_string_append_printf (text, " %s=%s", options[i].name, value);
    }
  set_pair_run (self, run);
  gs_config_panel_from_string (self->config_panel, text->str);
  gs_window_select_runs (self, &run, 1);
}

GsRun *
gs_window_get_pair_run (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return self->pair_run;
}

guint
gs_window_get_timeline_step (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), 0);
  return gs_timeline_get_step (self->timeline);
}

void
gs_window_set_timeline_step (GsWindow *self,
                             guint     step)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  gs_timeline_set_step (self->timeline, step);
}

void
gs_window_set_replay (GsWindow *self,
                      gboolean  playing,
                      guint     steps_per_s)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  if (steps_per_s > 0)
    gs_timeline_set_speed (self->timeline, steps_per_s);
  gs_timeline_set_playing (self->timeline, playing);
}

gboolean
gs_window_get_replaying (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return gs_timeline_get_playing (self->timeline);
}

/* Opens the lesson at a step (0-based), or ends it (index < 0). */
void
gs_window_set_lesson_step (GsWindow *self,
                           int       index)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  if (index < 0)
    {
      set_lesson_active (self, FALSE);
      return;
    }
  gs_lesson_set_index (self->lesson, index);
  if (self->lesson_active)
    apply_lesson_step (self);
  else
    set_lesson_active (self, TRUE);
}

int
gs_window_get_lesson_step (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), -1);
  return self->lesson_active ? (int) gs_lesson_get_index (self->lesson) : -1;
}
