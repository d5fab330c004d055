/* gs-run-list.c: the sidebar's list of runs.
 *
 * This session's runs come first, newest on top; below a "Saved Runs"
 * heading, the runs of earlier sessions read from the run library at
 * start-up (in a worker thread), a file that could not be read listed with
 * its error. Every run that ends with something recorded is saved to the
 * library (gs_run_list_autosave(), also in a worker). Deleting a saved run
 * takes its row out at once and keeps the file until the deletion is
 * final: after UNDO_SECONDS, at the next deletion, or when the list goes.
 *
 * A run keeps its number across sessions: the library names its file
 * "<time>-<preset>-<number>[-diverged]", and at start-up the list reads
 * the numbers back from the names (no file is opened for that), so new
 * runs continue after the highest. A file with a number an earlier file
 * has (older Gradscopes counted from 1 every session) gets the next free
 * one, in name order, and is renamed to carry it; a file named otherwise
 * (copied in by hand) gets the next free number for the session. A run stopped before its first
 * step leaves the list and is not saved; its number is given back.
 */
#define G_LOG_DOMAIN "gs-run-list"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gs-run-library.h"
#include "gs-run-list.h"
#include "gs-run-row.h"
#include "gs-runfile.h"

#define UNDO_SECONDS 8

struct _GsRunList
{
  GtkWidget parent_instance;

  GtkListBox *list_box;

  GsRunLibrary *library;
  GCancellable *cancellable;    /* library scan and saves */
  GsRun        *pending_delete; /* out of the list, file kept until final */
  int           pending_index;
  guint         undo_timeout_id;
  guint         n_saving;
  guint         n_numbers;     /* the highest number handed out so far */
  GHashTable   *saved_numbers; /* library file path -> its run number */
  gboolean      library_loaded;
};

G_DEFINE_FINAL_TYPE (GsRunList, gs_run_list, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PENDING_DELETE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum
{
  SELECTION_CHANGED,
  LIBRARY_LOADED,
  ERROR,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static GtkWidget *
find_row (GsRunList *self, GsRun *run)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GS_IS_RUN_ROW (child) && gs_run_row_get_run (GS_RUN_ROW (child)) == run)
      return child;
  return NULL;
}

static GPtrArray *
collect_runs (GsRunList *self, gboolean selected_only)
{
  GPtrArray *runs = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
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
compare_run_numbers (gconstpointer a, gconstpointer b)
{
  GsRun *ra = *(GsRun **) a;
  GsRun *rb = *(GsRun **) b;

  return (int) gs_run_get_number (ra) - (int) gs_run_get_number (rb);
}

static void
update_header (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  GsRun *run = GS_IS_RUN_ROW (row) ? gs_run_row_get_run (GS_RUN_ROW (row)) : NULL;
  GsRun *prev = before != NULL && GS_IS_RUN_ROW (before) ? gs_run_row_get_run (GS_RUN_ROW (before)) : NULL;
  GtkWidget *header;

  if (run == NULL || !gs_run_get_from_library (run) || (prev != NULL && gs_run_get_from_library (prev)))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  if (gtk_list_box_row_get_header (row) != NULL)
    return;
  header = gtk_label_new (_ ("Saved Runs"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "run-list-heading");
  gtk_list_box_row_set_header (row, header);
}

static void
on_selected_rows_changed (GsRunList *self)
{
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* "20261201-072455-relu-3-diverged.gsrun" -> 3, and where the digits
 * are in the name; 0 if the name has no number. */
static guint
number_in_name (const char *name, gsize *start, gsize *len)
{
  g_autofree char *stem = g_strdup (name);
  char            *dot = strchr (stem, '.');
  char            *dash;
  guint64          n;

  if (dot != NULL)
    *dot = '\0';
  if (g_str_has_suffix (stem, "-diverged"))
    stem[strlen (stem) - strlen ("-diverged")] = '\0';
  dash = strrchr (stem, '-');
  /* after "YYYYMMDD-HHMMSS-" and a preset */
  if (dash == NULL || dash - stem < (ptrdiff_t) strlen ("YYYYMMDD-HHMMSS-x")
      || !g_ascii_string_to_unsigned (dash + 1, 10, 1, G_MAXUINT / 2, &n, NULL))
    return 0;
  *start = dash + 1 - stem;
  *len = strlen (dash + 1);
  return (guint) n;
}

/* A file whose number an earlier file has (Gradscopes before this one
 * counted from 1 every session) is renamed to carry its new one, so that
 * it keeps it; the old path if that fails. */
static char *
renumber_file (const char *path, gsize start, gsize len, guint number)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *new_name = g_strdup_printf ("%.*s%u%s", (int) start, name, number, name + start + len);
  g_autofree char *new_path = g_build_filename (dir, new_name, NULL);

  if (g_file_test (new_path, G_FILE_TEST_EXISTS) || g_rename (path, new_path) != 0)
    return g_strdup (path);
  g_debug ("%s renumbered as %s", path, new_name);
  return g_steal_pointer (&new_path);
}

/* Gives every file of the library its number, before any run of this
 * session takes one. */
static void
number_saved_runs (GsRunList *self)
{
  g_autoptr (GPtrArray) paths = gs_runfile_list_dir (gs_run_library_get_dir (self->library), NULL);
  g_autoptr (GHashTable) taken = g_hash_table_new (NULL, NULL);
  gsize start, len;

  if (paths == NULL)
    return; /* no folder yet */
  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (paths, i));
      self->n_numbers = MAX (self->n_numbers, number_in_name (name, &start, &len));
    }
  for (guint i = 0; i < paths->len; i++)
    {
      const char      *found = g_ptr_array_index (paths, i);
      g_autofree char *name = g_path_get_basename (found);
      guint            n = number_in_name (name, &start, &len);
      char            *path;

      if (n == 0 || g_hash_table_contains (taken, GUINT_TO_POINTER (n)))
        {
          guint fresh = ++self->n_numbers;
          path = n != 0 ? renumber_file (found, start, len, fresh) : g_strdup (found);
          n = fresh;
        }
      else
        path = g_strdup (found);
      g_hash_table_add (taken, GUINT_TO_POINTER (n));
      g_hash_table_insert (self->saved_numbers, path, GUINT_TO_POINTER (n));
    }
}

static guint
saved_number (GsRunList *self, const char *path)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->saved_numbers, path));

  return n != 0 ? n : gs_run_list_next_number (self); /* written since start-up */
}

static void
on_library_scanned (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = gs_run_library_scan_finish (GS_RUN_LIBRARY (object), result, &error);
  GsRunList *self = user_data;

  if (entries == NULL)
    return; /* cancelled: the list is gone */
  /* Newest first, as this session's runs. */
  for (guint i = entries->len; i-- > 0;)
    {
      GsRunLibraryEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GsRun) run = NULL;
      guint number = saved_number (self, entry->path);

      if (entry->record != NULL)
        run = gs_run_new_from_record (entry->record, number);
      else
        run = gs_run_new_from_error (entry->path, entry->error, number);
      gs_run_set_file (run, entry->path);
      gs_run_set_from_library (run, TRUE);
      gtk_list_box_append (self->list_box, gs_run_row_new (run));
    }
  self->library_loaded = TRUE;
  g_signal_emit (self, signals[LIBRARY_LOADED], 0);
}

static void
on_autosaved (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GsRun) run = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = gs_run_library_save_finish (GS_RUN_LIBRARY (object), result, &error);
  GsRunList       *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the list is gone */
  self = g_object_get_data (G_OBJECT (run), "gs-run-list");
  if (path != NULL)
    gs_run_set_file (run, path);
  self->n_saving--;
  if (error != NULL)
    g_signal_emit (self, signals[ERROR], 0, error->message);
}

static void
finish_pending_delete (GsRunList *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsRun) run = g_steal_pointer (&self->pending_delete);

  g_clear_handle_id (&self->undo_timeout_id, g_source_remove);
  if (run == NULL)
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_DELETE]);
  if (gs_run_get_file (run) != NULL && !gs_run_library_delete (self->library, gs_run_get_file (run), &error))
    g_signal_emit (self, signals[ERROR], 0, error->message);
}

static gboolean
undo_timeout (gpointer data)
{
  GsRunList *self = data;

  self->undo_timeout_id = 0;
  finish_pending_delete (self);
  return G_SOURCE_REMOVE;
}

static void
gs_run_list_dispose (GObject *object)
{
  GsRunList *self = GS_RUN_LIST (object);

  if (self->list_box != NULL)
    g_signal_handlers_disconnect_by_data (self->list_box, self);
  finish_pending_delete (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->library);
  g_clear_pointer (&self->saved_numbers, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_RUN_LIST);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (gs_run_list_parent_class)->dispose (object);
}

static void
gs_run_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_PENDING_DELETE:
      g_value_set_object (value, GS_RUN_LIST (object)->pending_delete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_run_list_class_init (GsRunListClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_run_list_dispose;
  object_class->get_property = gs_run_list_get_property;

  /* A saved run taken out of the list whose file is not deleted yet. */
  properties[PROP_PENDING_DELETE]
      = g_param_spec_object ("pending-delete", NULL, NULL, GS_TYPE_RUN,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The saved runs are listed. */
  signals[LIBRARY_LOADED] = g_signal_new ("library-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A save or a deletion failed: the message names the file. */
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradscope/Gradscope/ui/gs-run-list.ui");
  gtk_widget_class_bind_template_child (widget_class, GsRunList, list_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gs_run_list_init (GsRunList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_header_func (self->list_box, update_header, NULL, NULL);
  g_signal_connect_swapped (self->list_box, "selected-rows-changed", G_CALLBACK (on_selected_rows_changed),
                            self);

  self->cancellable = g_cancellable_new ();
  self->library = gs_run_library_new (NULL);
  self->saved_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  number_saved_runs (self);
  gs_run_library_scan_async (self->library, self->cancellable, on_library_scanned, self);
}

GPtrArray *
gs_run_list_dup_runs (GsRunList *self)
{
  g_return_val_if_fail (GS_IS_RUN_LIST (self), NULL);
  return collect_runs (self, FALSE);
}

GPtrArray *
gs_run_list_dup_selected (GsRunList *self)
{
  GPtrArray *runs;

  g_return_val_if_fail (GS_IS_RUN_LIST (self), NULL);

  runs = collect_runs (self, TRUE);
  g_ptr_array_sort (runs, compare_run_numbers);
  return runs;
}

/* Runs are numbered in the order they join the list, after the saved ones. */
guint
gs_run_list_next_number (GsRunList *self)
{
  g_return_val_if_fail (GS_IS_RUN_LIST (self), 0);
  return ++self->n_numbers;
}

/* A run stopped before its first step has nothing to show or keep: it
 * leaves the list, the run below it is shown, and its number is free
 * again if no later run took one. */
static void
on_run_finished (GsRunList *self, GsRun *run)
{
  GsRecord  *record = gs_run_get_record (run);
  GtkWidget *row = find_row (self, run);
  gboolean   selected;
  int        index;

  if (row == NULL || gs_run_get_state (run) != GS_RUN_STOPPED
      || (record != NULL && gs_record_n_steps (record) > 0))
    return;
  selected = gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row));
  index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  if (gs_run_get_number (run) == self->n_numbers)
    self->n_numbers--;
  g_signal_handlers_block_by_func (self->list_box, on_selected_rows_changed, self);
  gtk_list_box_remove (self->list_box, row);
  g_signal_handlers_unblock_by_func (self->list_box, on_selected_rows_changed, self);
  if (selected && gtk_list_box_get_selected_rows (self->list_box) == NULL)
    {
      GtkListBoxRow *next = gtk_list_box_get_row_at_index (self->list_box, index);
      if (next != NULL)
        gtk_list_box_select_row (self->list_box, next);
    }
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* Puts a new run on top and shows it alone. */
void
gs_run_list_add (GsRunList *self, GsRun *run)
{
  GtkWidget *row;

  g_return_if_fail (GS_IS_RUN_LIST (self));
  g_return_if_fail (GS_IS_RUN (run));

  g_signal_connect_object (run, "finished", G_CALLBACK (on_run_finished), self, G_CONNECT_SWAPPED);
  row = gs_run_row_new (run);
  gtk_list_box_prepend (self->list_box, row);
  gtk_list_box_unselect_all (self->list_box);
  gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (row));
}

void
gs_run_list_select (GsRunList *self, GsRun **runs, guint n_runs)
{
  g_return_if_fail (GS_IS_RUN_LIST (self));

  gtk_list_box_unselect_all (self->list_box);
  for (guint i = 0; i < n_runs; i++)
    {
      GtkWidget *row = find_row (self, runs[i]);
      if (row != NULL)
        gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (row));
    }
}

gboolean
gs_run_list_is_selected (GsRunList *self, GsRun *run)
{
  GtkWidget *row;

  g_return_val_if_fail (GS_IS_RUN_LIST (self), FALSE);

  row = find_row (self, run);
  return row != NULL && gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row));
}

GsRun *
gs_run_list_get_run (GsRunList *self, guint number)
{
  g_autoptr (GPtrArray) runs = NULL;

  g_return_val_if_fail (GS_IS_RUN_LIST (self), NULL);

  runs = collect_runs (self, FALSE);
  for (guint i = 0; i < runs->len; i++)
    if (gs_run_get_number (g_ptr_array_index (runs, i)) == number)
      return g_ptr_array_index (runs, i);
  return NULL;
}

guint
gs_run_list_get_n_runs (GsRunList *self)
{
  g_autoptr (GPtrArray) runs = NULL;

  g_return_val_if_fail (GS_IS_RUN_LIST (self), 0);
  runs = collect_runs (self, FALSE);
  return runs->len;
}

/* Saves a run that ended with something recorded (finished, stopped or
 * diverged; the record says which) to the library, once. */
void
gs_run_list_autosave (GsRunList *self, GsRun *run)
{
  GsRecord        *record = gs_run_get_record (run);
  GsRunState       state = gs_run_get_state (run);
  const GsConfig  *config = gs_run_get_config (run);
  g_autofree char *stem = NULL;

  g_return_if_fail (GS_IS_RUN_LIST (self));
  g_return_if_fail (GS_IS_RUN (run));

  if (record == NULL || gs_record_n_steps (record) == 0 || gs_run_get_file (run) != NULL
      || state == GS_RUN_FAILED || gs_run_is_active (run))
    return;
  stem = g_strdup_printf ("%s-%u%s", config->preset[0] != '\0' ? config->preset : "custom",
                          gs_run_get_number (run), state == GS_RUN_DIVERGED ? "-diverged" : "");
  self->n_saving++;
  g_object_set_data (G_OBJECT (run), "gs-run-list", self);
  gs_run_library_save_async (self->library, record, stem, self->cancellable, on_autosaved,
                             g_object_ref (run));
}

/* Takes a saved run out of the list; see gs_run_list_undo_delete(). */
void
gs_run_list_delete (GsRunList *self, GsRun *run)
{
  GtkWidget *row;

  g_return_if_fail (GS_IS_RUN_LIST (self));
  g_return_if_fail (GS_IS_RUN (run));

  row = find_row (self, run);
  if (row == NULL || gs_run_is_active (run)
      || !gs_run_library_contains (self->library, gs_run_get_file (run)))
    return;
  finish_pending_delete (self);

  self->pending_delete = g_object_ref (run);
  self->pending_index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  gtk_list_box_remove (self->list_box, row);
  self->undo_timeout_id = g_timeout_add_seconds (UNDO_SECONDS, undo_timeout, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_DELETE]);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* Puts the run taken out last back where it was, and shows it. */
void
gs_run_list_undo_delete (GsRunList *self)
{
  g_autoptr (GsRun) run = NULL;

  g_return_if_fail (GS_IS_RUN_LIST (self));

  run = g_steal_pointer (&self->pending_delete);
  g_clear_handle_id (&self->undo_timeout_id, g_source_remove);
  if (run == NULL)
    return;
  gtk_list_box_insert (self->list_box, gs_run_row_new (run), self->pending_index);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_DELETE]);
  gs_run_list_select (self, &run, 1);
}

/* Makes a pending deletion final now. */
void
gs_run_list_flush_deletes (GsRunList *self)
{
  g_return_if_fail (GS_IS_RUN_LIST (self));
  finish_pending_delete (self);
}

GsRun *
gs_run_list_get_pending_delete (GsRunList *self)
{
  g_return_val_if_fail (GS_IS_RUN_LIST (self), NULL);
  return self->pending_delete;
}

/* TRUE once the saved runs are listed and no save is under way. */
gboolean
gs_run_list_get_library_idle (GsRunList *self)
{
  g_return_val_if_fail (GS_IS_RUN_LIST (self), FALSE);
  return self->library_loaded && self->n_saving == 0;
}

const char *
gs_run_list_get_library_dir (GsRunList *self)
{
  g_return_val_if_fail (GS_IS_RUN_LIST (self), NULL);
  return gs_run_library_get_dir (self->library);
}
