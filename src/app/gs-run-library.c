/* gs-run-library.c: runs saved automatically, and read back at the next
 * start.
 *
 * Files are named "YYYYMMDD-HHMMSS-<preset>-<n>[-diverged].gsrun" (older
 * Gradscopes wrote .json.gz: every run-file name gs_runfile_list_dir()
 * lists is read); they are listed in the order they were written
 * (modification time). Saving goes through gs_runfile_save() (a temporary
 * in the same folder, fsync, rename), in a worker thread: a finished record
 * is immutable, so the thread may read it. A save killed half-way leaves
 * only a temporary "NAME.gsrun.XXXXXX", which the scan skips, and removes
 * once it is an hour old. A file that cannot be read is
 * listed with its error; the others still load.
 */
#define G_LOG_DOMAIN "gs-run-library"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gs-run-library.h"
#include "gs-runfile.h"
#include "gs-worker.h"

#define STALE_TEMPORARY_S (60 * 60)

struct _GsRunLibrary
{
  GObject parent_instance;

  char *dir;
};

G_DEFINE_FINAL_TYPE (GsRunLibrary, gs_run_library, G_TYPE_OBJECT)

void
gs_run_library_entry_free (GsRunLibraryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->path);
  g_clear_pointer (&entry->record, gs_record_unref);
  g_free (entry->error);
  g_free (entry);
}

/* "x.gsrun.AB12CD": what g_file_set_contents_full() writes before the
 * rename. */
static gboolean
is_temporary_name (const char *name)
{
  const char      *dot = strrchr (name, '.');
  g_autofree char *head = NULL;

  if (dot == NULL || strlen (dot + 1) != 6)
    return FALSE;
  head = g_strndup (name, dot - name);
  return gs_runfile_is_run_name (head);
}

static void
remove_if_stale (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) == 0
      && (gint64) st.st_mtime + STALE_TEMPORARY_S < g_get_real_time () / G_USEC_PER_SEC)
    g_remove (path);
}

typedef struct
{
  char  *path;
  gint64 mtime;
} DatedFile;

static void
dated_file_free (DatedFile *f)
{
  g_free (f->path);
  g_free (f);
}

/* Oldest first; names break ties (they start with the time). */
static int
compare_files (gconstpointer a, gconstpointer b)
{
  const DatedFile *fa = *(DatedFile **) a;
  const DatedFile *fb = *(DatedFile **) b;

  if (fa->mtime != fb->mtime)
    return fa->mtime < fb->mtime ? -1 : 1;
  return g_strcmp0 (fa->path, fb->path);
}

static void
scan_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_task_return_pointer (task, gs_run_library_scan (source_object), (GDestroyNotify) g_ptr_array_unref);
}

static char *
unique_path (const char *dir, const char *stem)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint i = 1;; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf ("%s-%s" GS_RUNFILE_SUFFIX, stamp, stem)
                                     : g_strdup_printf ("%s-%s-%u" GS_RUNFILE_SUFFIX, stamp, stem, i);
      char            *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
}

typedef struct
{
  GsRecord *record;
  char     *stem;
} SaveData;

static void
save_data_free (SaveData *data)
{
  gs_record_unref (data->record);
  g_free (data->stem);
  g_free (data);
}

static void
save_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GsRunLibrary    *self = source_object;
  SaveData        *data = task_data;
  GError          *error = NULL;
  g_autofree char *path = NULL;

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _ ("Could not create the folder for saved runs %s: %s"), self->dir,
                               g_strerror (saved_errno));
      return;
    }
  path = unique_path (self->dir, data->stem);
  if (!gs_runfile_save (data->record, path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&path), g_free);
}

static void
gs_run_library_finalize (GObject *object)
{
  GsRunLibrary *self = GS_RUN_LIBRARY (object);

  g_free (self->dir);

  G_OBJECT_CLASS (gs_run_library_parent_class)->finalize (object);
}

static void
gs_run_library_class_init (GsRunLibraryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gs_run_library_finalize;
}

static void
gs_run_library_init (GsRunLibrary *self)
{
}

/* dir: NULL for $XDG_DATA_HOME/gradscope/runs. */
GsRunLibrary *
gs_run_library_new (const char *dir)
{
  GsRunLibrary *self = g_object_new (GS_TYPE_RUN_LIBRARY, NULL);

  self->dir
      = dir != NULL ? g_strdup (dir) : g_build_filename (g_get_user_data_dir (), "gradscope", "runs", NULL);
  return self;
}

const char *
gs_run_library_get_dir (GsRunLibrary *self)
{
  g_return_val_if_fail (GS_IS_RUN_LIBRARY (self), NULL);
  return self->dir;
}

/* TRUE if path is a file of the library (and so may be deleted with it). */
gboolean
gs_run_library_contains (GsRunLibrary *self, const char *path)
{
  g_autofree char *parent = NULL;

  g_return_val_if_fail (GS_IS_RUN_LIBRARY (self), FALSE);

  if (path == NULL)
    return FALSE;
  parent = g_path_get_dirname (path);
  return g_str_equal (parent, self->dir);
}

/* Removes what saves killed half-way left, once it is old. */
static void
remove_stale_temporaries (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (is_temporary_name (name))
      {
        g_autofree char *file = g_build_filename (path, name, NULL);
        remove_if_stale (file);
      }
}

/* Reads every run file of the folder, oldest first: a GPtrArray of
 * GsRunLibraryEntry. A missing folder is an empty library. Blocks. */
GPtrArray *
gs_run_library_scan (GsRunLibrary *self)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) gs_run_library_entry_free);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) dated_file_free);
  g_autoptr (GPtrArray) paths = NULL;

  g_return_val_if_fail (GS_IS_RUN_LIBRARY (self), NULL);

  remove_stale_temporaries (self->dir);
  if ((paths = gs_runfile_list_dir (self->dir, NULL)) == NULL)
    return entries;
  for (guint i = 0; i < paths->len; i++)
    {
      DatedFile *f = g_new0 (DatedFile, 1);
      GStatBuf   st;

      f->path = g_strdup (g_ptr_array_index (paths, i));
      f->mtime = g_stat (f->path, &st) == 0 ? (gint64) st.st_mtime : 0;
      g_ptr_array_add (files, f);
    }
  g_ptr_array_sort (files, compare_files);

  for (guint i = 0; i < files->len; i++)
    {
      GsRunLibraryEntry *entry = g_new0 (GsRunLibraryEntry, 1);
      g_autoptr (GError) error = NULL;
      DatedFile *f = g_ptr_array_index (files, i);

      entry->path = g_strdup (f->path);
      entry->record = gs_runfile_load (entry->path, &error);
      if (entry->record == NULL)
        entry->error = g_strdup (error->message);
      g_ptr_array_add (entries, entry);
    }
  return entries;
}

void
gs_run_library_scan_async (GsRunLibrary       *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (GS_IS_RUN_LIBRARY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gs_run_library_scan_async);
  gs_worker_run (task, scan_thread);
}

GPtrArray *
gs_run_library_scan_finish (GsRunLibrary *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Saves a finished record as a new file named after stem ("relu-3"); the
 * callback's _finish() returns its path. */
void
gs_run_library_save_async (GsRunLibrary       *self,
                           GsRecord           *record,
                           const char         *stem,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (GS_IS_RUN_LIBRARY (self));
  g_return_if_fail (record != NULL);

  data = g_new0 (SaveData, 1);
  data->record = gs_record_ref (record);
  data->stem = g_strdup (stem);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gs_run_library_save_async);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  gs_worker_run (task, save_thread);
}

char *
gs_run_library_save_finish (GsRunLibrary *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
gs_run_library_delete (GsRunLibrary *self, const char *path, GError **error)
{
  g_return_val_if_fail (GS_IS_RUN_LIBRARY (self), FALSE);
  g_return_val_if_fail (gs_run_library_contains (self, path), FALSE);

  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), _ ("Could not delete %s: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
