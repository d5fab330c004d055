/* gs-window-files.c: what the window reads and writes: the data set runs
 * train on, run files opened one by one or a folder at a time, saved runs
 * and exported figures, and the file choosers that ask for them.
 *
 * The data set loads on a worker thread; a Start pressed meanwhile waits
 * for it (start_pending).
 */
#define G_LOG_DOMAIN "gs-window-files"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gs-format.h"
#include "gs-runfile.h"
#include "gs-window-private.h"
#include "gs-worker.h"

/* The data set in use; problem: why another one could not be loaded. */
static void
set_data_info (GsWindow *self, const char *problem)
{
  const GsDataset *data = self->data != NULL ? gs_shared_data_get (self->data) : NULL;
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  g_autofree char *where = NULL;

  g_autofree char *hint = NULL;

  if (data == NULL)
    return;
  if (problem != NULL)
    /* Translators: %s is why a folder could not be used; the data set above stays */
    hint = g_strdup_printf (_ ("%s Runs still train on the data set above."), problem);
  if (data->builtin)
    {
      gs_config_panel_set_data (self->config_panel, _ ("Built-in synthetic set"),
                                _ ("Fashion-MNIST was not found"),
                                _ ("Runs train on a small made-up set. For the real one, install "
                                   "Debian’s dataset-fashion-mnist package, set $GRADSCOPE_DATA, "
                                   "or choose a folder of IDX files with the button above."),
                                FALSE);
      if (hint != NULL)
        gs_config_panel_set_data (self->config_panel, _ ("Built-in synthetic set"),
                                  _ ("Fashion-MNIST was not found"), hint, TRUE);
      return;
    }
  train = gs_format_count (data->train.n);
  test = gs_format_count (data->test.n);
  gs_config_panel_set_data (self->config_panel, data->name, data->source, hint, hint != NULL);
  /* Translators: training and test image counts, then a folder */
  where = g_strdup_printf (_ ("%s training and %s test images from %s"), train, test, data->source);
  gs_config_panel_set_data_tooltip (self->config_panel, where);
}

static void
load_data_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GError    *error = NULL;
  GsDataset *data = gs_dataset_find (task_data, &error);

  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) gs_dataset_free);
}

static void
load_data_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GsWindow *self = GS_WINDOW (object);
  g_autoptr (GError) error = NULL;
  GsDataset *data = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->data_cancellable);

  if (data == NULL)
    {
      /* The sidebar shows what Start will train on: the data set kept. */
      _gs_window_show_banner (self, error->message);
      if (self->data == NULL)
        gs_config_panel_set_data (self->config_panel, _ ("No data set"), NULL, error->message, TRUE);
      else
        set_data_info (self, error->message);
      self->start_pending = FALSE;
    }
  else
    {
      const char *folder = g_task_get_task_data (G_TASK (result));

      /* Only a folder that loads is tried again at the next start. */
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "data-folder", folder != NULL ? folder : "");
      g_clear_pointer (&self->data, gs_shared_data_unref);
      self->data = gs_shared_data_new (data);
      set_data_info (self, NULL);
      _gs_window_request_init_signal (self);
    }
  _gs_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "data-ready");
  if (self->start_pending)
    {
      self->start_pending = FALSE;
      gs_window_start (self);
    }
}

/* folder: NULL = the usual search order, "builtin" = the built-in set. */
void
_gs_window_load_data (GsWindow *self, const char *folder)
{
  g_autoptr (GTask) task = NULL;

  if (self->data_cancellable != NULL)
    g_cancellable_cancel (self->data_cancellable);
  g_clear_object (&self->data_cancellable);
  self->data_cancellable = g_cancellable_new ();

  gs_config_panel_set_data (self->config_panel, _ ("Loading data set…"), folder, NULL, FALSE);
  task = g_task_new (self, self->data_cancellable, load_data_done, NULL);
  g_task_set_source_tag (task, _gs_window_load_data);
  g_task_set_task_data (task, g_strdup (folder), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  gs_worker_run (task, load_data_thread);
  _gs_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "data-ready");
}

void
_gs_window_set_chooser (GsWindow *self, GtkNativeDialog *chooser)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
}

static GtkFileChooserNative *
new_chooser (
    GsWindow *self, const char *title, GtkFileChooserAction action, const char *accept, GCallback on_response)
{
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _ ("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", on_response, self, G_CONNECT_SWAPPED);
  _gs_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  return chooser;
}

static char *
chooser_path (GtkNativeDialog *chooser, int response)
{
  g_autoptr (GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  return file != NULL ? g_file_get_path (file) : NULL;
}

static void
on_data_chosen (GsWindow *self, int response, GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);

  if (path != NULL)
    gs_window_set_data_folder (self, path);
}

void
_gs_window_choose_data (GsWindow *self)
{
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _ ("Choose a Folder With IDX Files"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                         _ ("_Use Folder"), G_CALLBACK (on_data_chosen));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
add_run_filters (GtkFileChooser *chooser)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Gradscope Runs"));
  for (const char *const *s = gs_runfile_suffixes (); *s != NULL; s++)
    {
      g_autofree char *pattern = g_strconcat ("*", *s, NULL);
      gtk_file_filter_add_pattern (filter, pattern);
    }
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
on_open_chosen (GsWindow *self, int response, GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);
  g_autoptr (GError) error = NULL;

  if (path != NULL && gs_window_open_run (self, path, &error) == NULL)
    _gs_window_show_banner (self, error->message);
}

void
_gs_window_choose_open (GsWindow *self)
{
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _ ("Open Run"), GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"),
                         G_CALLBACK (on_open_chosen));
  add_run_filters (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_save_chosen (GsWindow *self, int response, GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);
  g_autoptr (GError) error = NULL;
  GsRun *run = _gs_window_get_single_shown_run (self);

  if (path != NULL && run != NULL && !gs_window_save_run (self, run, path, &error))
    _gs_window_show_banner (self, error->message);
}

static char *
file_name_for (GsRun *run, const char *suffix)
{
  const GsConfig *config = gs_run_get_config (run);
  const char     *preset = config->preset[0] != '\0' ? config->preset : "run";

  return g_strdup_printf ("%s-%u%s", preset, gs_run_get_number (run), suffix);
}

void
_gs_window_choose_save (GsWindow *self)
{
  GsRun                *run = _gs_window_get_single_shown_run (self);
  g_autofree char      *name = NULL;
  GtkFileChooserNative *chooser;

  if (run == NULL)
    return;
  chooser = new_chooser (self, _ ("Save Run"), GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"),
                         G_CALLBACK (on_save_chosen));
  add_run_filters (GTK_FILE_CHOOSER (chooser));
  name = file_name_for (run, GS_RUNFILE_SUFFIX);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct
{
  const char *id;
  const char *label;
  int         width, height;
  double      dpi;
} ExportSize;

/* The Export dialog's Format choice; "auto" follows the file name. */
static const char *format_ids[] = { "auto", "png", "svg", "pdf", "webm", "mp4", "gif", NULL };
static const char *format_labels[]
    = { N_ ("From the file name"), N_ ("PNG image"),   N_ ("SVG drawing"),  N_ ("PDF document"),
        N_ ("Video (WebM)"),       N_ ("Video (MP4)"), N_ ("Animated GIF"), NULL };
static const char *length_ids[] = { "5", "10", "20", "30", NULL };
static const char *length_labels[]
    = { N_ ("5 seconds"), N_ ("10 seconds"), N_ ("20 seconds"), N_ ("30 seconds"), NULL };

static const ExportSize export_sizes[] = {
  { "slide", N_ ("Slide, 1920 × 1080"), 1920, 1080, 192 },
  { "column", N_ ("Paper column, 3.5 in at 300 dpi"), 1050, 750, 300 },
  { "double", N_ ("Two paper columns, 7 in at 300 dpi"), 2100, 1200, 300 },
  { "screen", N_ ("As on screen"), 0, 0, 96 },
};

static void
add_export_choices (GtkFileChooser *chooser)
{
  const char *ids[G_N_ELEMENTS (export_sizes) + 1] = { NULL };
  const char *labels[G_N_ELEMENTS (export_sizes) + 1] = { NULL };
  const char *formats[G_N_ELEMENTS (format_labels)] = { NULL };
  const char *lengths[G_N_ELEMENTS (length_labels)] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (export_sizes); i++)
    {
      ids[i] = export_sizes[i].id;
      labels[i] = _ (export_sizes[i].label);
    }
  for (guint i = 0; format_labels[i] != NULL; i++)
    formats[i] = _ (format_labels[i]);
  for (guint i = 0; length_labels[i] != NULL; i++)
    lengths[i] = _ (length_labels[i]);
  gtk_file_chooser_add_choice (chooser, "size", _ ("Size"), ids, labels);
  gtk_file_chooser_set_choice (chooser, "size", "slide");
  gtk_file_chooser_add_choice (chooser, "background", _ ("Dark background"), NULL, NULL);
  gtk_file_chooser_set_choice (chooser, "background", "false");
  gtk_file_chooser_add_choice (chooser, "format", _ ("Format"), format_ids, formats);
  gtk_file_chooser_set_choice (chooser, "format", "auto");
  gtk_file_chooser_add_choice (chooser, "length", _ ("Video length"), length_ids, lengths);
  gtk_file_chooser_set_choice (chooser, "length", "10");
}

/* The suffix of path if it is an export format's ("png" for "a/b.png"). */
static const char *
known_suffix (const char *path)
{
  const char *dot = strrchr (path, '.');

  for (guint i = 1; dot != NULL && format_ids[i] != NULL; i++)
    if (g_ascii_strcasecmp (dot + 1, format_ids[i]) == 0)
      return format_ids[i];
  return NULL;
}

static const char *
export_format (const char *path)
{
  if (g_str_has_suffix (path, ".csv"))
    return "csv";
  return known_suffix (path) ? known_suffix (path) : "png";
}

/* path ending in .FORMAT, the Format choice's ("auto": the name's, else png). */
static char *
with_suffix (const char *path, const char *format)
{
  const char *has = known_suffix (path);

  if (format == NULL || g_strcmp0 (format, "auto") == 0)
    format = has ? has : "png";
  if (g_strcmp0 (has, format) == 0)
    return g_strdup (path);
  if (has != NULL)
    return g_strdup_printf ("%.*s.%s", (int) (strlen (path) - strlen (has) - 1), path, format);
  return g_strconcat (path, ".", format, NULL);
}

static void
on_export_chosen (GsWindow *self, int response, GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);
  g_autoptr (GError) error = NULL;
  GtkFileChooser *c = GTK_FILE_CHOOSER (chooser);
  const char     *size, *dark, *format, *length;

  if (path == NULL)
    return;
  size = gtk_file_chooser_get_choice (c, "size");
  dark = gtk_file_chooser_get_choice (c, "background");
  length = gtk_file_chooser_get_choice (c, "length");
  g_autofree char *out = with_suffix (path, gtk_file_chooser_get_choice (c, "format"));
  format = export_format (out);
  if (g_str_equal (format, "webm") || g_str_equal (format, "mp4") || g_str_equal (format, "gif"))
    _gs_window_export_video (self, out, format, size, g_strcmp0 (dark, "true") == 0,
                             length ? g_ascii_strtod (length, NULL) : 10);
  else if (!gs_window_export_figure (self, out, size, g_strcmp0 (dark, "true") == 0, &error))
    _gs_window_show_banner (self, error->message);
}

/* A save chooser named after the shown figure, e.g. "heatmap.png". */
static GtkFileChooserNative *
figure_chooser (GsWindow *self, const char *title, const char *suffix, GCallback on_response)
{
  GsFigure              figure = gs_figure_view_get_figure (gs_window_get_visible_figure (self));
  g_autofree char      *name = g_strdup_printf ("%s.%s", gs_figure_name (figure), suffix);
  GtkFileChooserNative *chooser
      = new_chooser (self, title, GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), on_response);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  return chooser;
}

void
_gs_window_choose_export (GsWindow *self)
{
  GtkFileChooserNative *chooser
      = figure_chooser (self, _ ("Export Figure"), "png", G_CALLBACK (on_export_chosen));

  add_export_choices (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_data_chosen (GsWindow *self, int response, GtkNativeDialog *chooser)
{
  g_autofree char *path = chooser_path (chooser, response);
  g_autoptr (GError) error = NULL;

  if (path != NULL && !gs_window_export_figure (self, path, "screen", FALSE, &error))
    _gs_window_show_banner (self, error->message);
}

/* The numbers the shown figure draws, as a CSV table (docs/figures.md). */
void
_gs_window_choose_export_data (GsWindow *self)
{
  GtkFileChooserNative *chooser
      = figure_chooser (self, _ ("Export Data"), "csv", G_CALLBACK (on_export_data_chosen));

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* folder: a folder with IDX files, "builtin", or NULL or "" to search the
 * usual places; remembered for the next start once it has loaded. A run in
 * progress keeps the data set it started with. */
void
gs_window_set_data_folder (GsWindow *self, const char *folder)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  if (folder != NULL && folder[0] == '\0')
    folder = NULL;
  _gs_window_load_data (self, folder);
}

gboolean
gs_window_get_data_ready (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return self->data != NULL && self->data_cancellable == NULL;
}

/* TRUE when the runs train on the built-in synthetic set. */
gboolean
gs_window_get_data_builtin (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return self->data != NULL && gs_shared_data_get (self->data)->builtin;
}

/* Adds a saved run to the session and shows it. */
GsRun *
gs_window_open_run (GsWindow *self, const char *path, GError **error)
{
  g_autoptr (GsRecord) record = NULL;
  g_autoptr (GsRun) run = NULL;

  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);

  record = gs_runfile_load (path, error);
  if (record == NULL)
    return NULL;
  run = gs_run_new_from_record (record, gs_run_list_next_number (self->run_list));
  _gs_window_add_run (self, run);
  _gs_window_update_actions (self);
  return run;
}

/* Every run file of a folder (a sweep's output, say), selected together as
 * one comparison. Files that do not load are skipped; the error names the
 * first of them when none loads. Returns the number of runs opened. */
guint
gs_window_open_folder (GsWindow *self, const char *path, GError **error)
{
  g_autoptr (GPtrArray) paths = NULL;
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) first_error = NULL;

  g_return_val_if_fail (GS_IS_WINDOW (self), 0);

  if ((paths = gs_runfile_list_dir (path, error)) == NULL)
    return 0;
  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr (GError) local = NULL;
      GsRun *run = gs_window_open_run (self, g_ptr_array_index (paths, i), &local);
      if (run != NULL)
        g_ptr_array_add (runs, g_object_ref (run));
      else if (first_error == NULL)
        first_error = g_steal_pointer (&local);
    }
  if (runs->len > 0)
    gs_window_select_runs (self, (GsRun **) runs->pdata, runs->len);
  else if (first_error != NULL)
    g_propagate_error (error, g_steal_pointer (&first_error));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("%s holds no run files (*%s)"), path,
                 GS_RUNFILE_SUFFIX);
  return runs->len;
}

gboolean
gs_window_save_run (GsWindow *self, GsRun *run, const char *path, GError **error)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (GS_IS_RUN (run), FALSE);
  g_return_val_if_fail (!gs_run_is_active (run), FALSE);

  if (gs_run_get_record (run) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("Run %u has no record to save: %s"),
                   gs_run_get_number (run), gs_run_get_error (run));
      return FALSE;
    }
  return gs_runfile_save (gs_run_get_record (run), path, error);
}

/* What an export of the shown figure draws: the runs shown, the style on
 * screen, the size asked for ("slide", "column", "double" or "screen"). */
void
_gs_window_export_setup (GsWindow *self, const char *size_id, gboolean dark, GsWindowExport *out)
{
  GsFigureView *view = gs_window_get_visible_figure (self);
  g_autoptr (GPtrArray) runs = _gs_window_dup_shown_runs (self);
  const ExportSize *size = &export_sizes[0];
  GsPlotStyle       shown;

  for (guint i = 0; i < G_N_ELEMENTS (export_sizes); i++)
    if (g_strcmp0 (size_id, export_sizes[i].id) == 0)
      size = &export_sizes[i];
  out->fig = gs_figure_view_get_figure (view);
  out->width = size->width > 0 ? size->width : gtk_widget_get_width (GTK_WIDGET (view));
  out->height = size->height > 0 ? size->height : gtk_widget_get_height (GTK_WIDGET (view));
  out->dpi = size->dpi;
  out->records = _gs_window_dup_records (runs);
  gs_plot_style_init (&out->style, dark, self->presentation);
  out->style.hist_kind = gs_figure_view_get_hist_kind (view);
  out->style.cursor_step = gs_timeline_get_step (self->timeline);
  gs_figure_view_get_style (view, &shown);
  out->style.color_scale = shown.color_scale;
  out->style.color_lo = shown.color_lo;
  out->style.color_hi = shown.color_hi;
}

/* Exports the figure shown, for the runs shown, as PNG, SVG or PDF (from
 * the file name). size_id: "slide", "column", "double" or "screen". */
gboolean
gs_window_export_figure (GsWindow *self, const char *path, const char *size_id, gboolean dark, GError **error)
{
  GsWindowExport e;
  gboolean       ok;

  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  _gs_window_export_setup (self, size_id, dark, &e);
  ok = gs_plot_export (e.fig, (GsRecord *const *) e.records->pdata, e.records->len, export_format (path),
                       path, e.width, e.height, e.dpi, &e.style, error);
  g_ptr_array_unref (e.records);
  return ok;
}
