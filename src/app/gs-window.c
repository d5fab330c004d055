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
#include "gs-run-row.h"
#include "gs-runfile.h"
#include "gs-window.h"

struct _GsWindow
{
  GtkApplicationWindow  parent_instance;

  /* template */
  GtkWidget            *start_button;
  GsConfigPanel        *config_panel;
  GtkListBox           *run_list;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkLabel             *run_title;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkStack             *figure_stack;
  GtkDropDown          *hist_kind_dropdown;
  GtkWidget            *sidebar;

  GSettings            *settings;     /* NULL when the schema is not installed */
  GsSharedData         *data;
  GCancellable         *data_cancellable;
  GsRun                *current;      /* the active run, or NULL */
  GtkNativeDialog      *chooser;      /* the open file chooser, if any */
  guint                 n_runs;
  gboolean              start_pending;
  gboolean              paused;
  gboolean              presentation;
};

G_DEFINE_FINAL_TYPE (GsWindow, gs_window, GTK_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_PAUSED, PROP_PRESENTATION, PROP_SIDEBAR_VISIBLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void gs_window_update_actions (GsWindow *self);

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

/* Runs in list order, as GsRunRow children of the list box. */
static GPtrArray *
list_runs (GsWindow *self,
           gboolean  selected_only)
{
  GPtrArray *runs = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->run_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (!GS_IS_RUN_ROW (child))
        continue;
      if (selected_only && !gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (child)))
        continue;
      g_ptr_array_add (runs, gs_run_row_get_run (GS_RUN_ROW (child)));
    }
  return runs;
}

static int
compare_run_numbers (gconstpointer a,
                     gconstpointer b)
{
  GsRun *ra = *(GsRun **) a;
  GsRun *rb = *(GsRun **) b;

  return (int) gs_run_get_number (ra) - (int) gs_run_get_number (rb);
}

/* The selected runs, oldest first (left in side-by-side figures). */
static GPtrArray *
shown_runs (GsWindow *self)
{
  GPtrArray *runs = list_runs (self, TRUE);

  g_ptr_array_sort (runs, compare_run_numbers);
  return runs;
}

static GtkWidget *
find_row (GsWindow *self,
          GsRun    *run)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->run_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GS_IS_RUN_ROW (child) && gs_run_row_get_run (GS_RUN_ROW (child)) == run)
      return child;
  return NULL;
}

static GsFigureView *
visible_figure (GsWindow *self)
{
  return GS_FIGURE_VIEW (gtk_stack_get_visible_child (self->figure_stack));
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
    if (GS_IS_FIGURE_VIEW (child))
      gs_figure_view_set_runs (GS_FIGURE_VIEW (child),
                               (GsRecord *const *) records->pdata, records->len);
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
  GtkWidget *row = find_row (self, run);

  return row != NULL && gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row));
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
  GtkWidget *row = gs_run_row_new (run);

  g_signal_connect_object (run, "updated", G_CALLBACK (on_run_updated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "finished", G_CALLBACK (on_run_finished), self, G_CONNECT_SWAPPED);
  gtk_list_box_prepend (self->run_list, row);
  gtk_list_box_unselect_all (self->run_list);
  gtk_list_box_select_row (self->run_list, GTK_LIST_BOX_ROW (row));
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
  g_task_run_in_thread (task, load_data_thread);
  gs_window_update_actions (self);
}

static void
on_config_changed (GsWindow *self)
{
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GS_TYPE_CONFIG_PANEL);
  g_type_ensure (GS_TYPE_FIGURE_VIEW);

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
}

static void
gs_window_init (GsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->config_panel, "changed",
                            G_CALLBACK (on_config_changed), self);
  g_signal_connect_swapped (self->run_list, "selected-rows-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->figure_stack, "notify::visible-child",
                            G_CALLBACK (on_visible_figure_changed), self);
  g_signal_connect_swapped (self->hist_kind_dropdown, "notify::selected",
                            G_CALLBACK (on_hist_kind_changed), self);

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
                    self->n_runs + 1);
  if (!gs_run_start (run, &error))
    {
      show_banner (self, error->message);
      return;
    }
  self->n_runs++;
  self->current = g_object_ref (run);
  add_run (self, run);
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
  g_autoptr(GPtrArray) runs = NULL;

  g_return_val_if_fail (GS_IS_WINDOW (self), 0);
  runs = list_runs (self, FALSE);
  return runs->len;
}

/* The run with this number (1-based, in start order), or NULL. */
GsRun *
gs_window_get_run (GsWindow *self,
                   guint     number)
{
  g_autoptr(GPtrArray) runs = NULL;

  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  runs = list_runs (self, FALSE);
  for (guint i = 0; i < runs->len; i++)
    if (gs_run_get_number (g_ptr_array_index (runs, i)) == number)
      return g_ptr_array_index (runs, i);
  return NULL;
}

/* Shows these runs' figures side by side. */
void
gs_window_select_runs (GsWindow  *self,
                       GsRun    **runs,
                       guint      n_runs)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  gtk_list_box_unselect_all (self->run_list);
  for (guint i = 0; i < n_runs; i++)
    {
      GtkWidget *row = find_row (self, runs[i]);
      if (row != NULL)
        gtk_list_box_select_row (self->run_list, GTK_LIST_BOX_ROW (row));
    }
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
  run = gs_run_new_from_record (record, ++self->n_runs, base);
  add_run (self, run);
  gs_window_update_actions (self);
  return run;
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
  return gs_plot_export (gs_figure_view_get_figure (view), (GsRecord *const *) records->pdata,
                         records->len, export_format (path), path, width, height,
                         size->dpi, &style, error);
}
