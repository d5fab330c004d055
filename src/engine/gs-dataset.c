/* gs-dataset.c: data sets: a folder of IDX files, and where to find one.
 *
 * One IDX file is read by gs-idx.c, the built-in synthetic set is made by
 * gs-dataset-builtin.c; this file puts four IDX files together into the
 * training and test splits, and searches the usual places for them.
 */
#define G_LOG_DOMAIN "gs-dataset"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gs-dataset-private.h"

G_DEFINE_QUARK (gs - dataset - error - quark, gs_dataset_error)

/* Memory for a split's images, which training reads a row at a time in
 * random order: on 2 MB pages where the kernel offers them, so that each
 * row is not also a TLB miss. */
guint8 *
gs_dataset_images_try_alloc (gsize size)
{
  const gsize huge = (gsize) 2 << 20;
  void       *p = NULL;

  if (size < huge || posix_memalign (&p, huge, size) != 0)
    return g_try_malloc (size);
#ifdef MADV_HUGEPAGE
  madvise (p, size, MADV_HUGEPAGE);
#endif
  return p;
}

guint8 *
gs_dataset_images_alloc (gsize size)
{
  guint8 *p = gs_dataset_images_try_alloc (size);

  if (p == NULL)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, size);
  return p;
}

/* Every message starts with the path, so the user knows which file to fix. */
void
gs_dataset_set_error (GError **error, GsDatasetError code, const char *path, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, GS_DATASET_ERROR, code, "%s: %s", path, what);
}

static const char *const idx_names[4] = {
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
};

/* --- Loading a folder ---------------------------------------------------- */

/* The path of name or name.gz in dir (plain preferred: no inflating), or
 * NULL when neither is there. */
static char *
find_idx_file (const char *dir, const char *name)
{
  g_autofree char *plain = g_build_filename (dir, name, NULL);
  GStatBuf         st;
  if (g_lstat (plain, &st) == 0)
    return g_steal_pointer (&plain);

  g_autofree char *gz = g_strconcat (plain, ".gz", NULL);
  if (g_lstat (gz, &st) == 0)
    return g_steal_pointer (&gz);
  return NULL;
}

static char *
require_idx_file (const char *dir, const char *name, GError **error)
{
  char *path = find_idx_file (dir, name);

  if (path == NULL)
    {
      g_autofree char *plain = g_build_filename (dir, name, NULL);
      gs_dataset_set_error (error, GS_DATASET_ERROR_NOT_FOUND, plain,
                            "file not found (neither %s nor %s.gz is in the folder)", name, name);
    }
  return path;
}

static gboolean
dir_has_idx_files (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (idx_names); i++)
    {
      g_autofree char *path = find_idx_file (dir, idx_names[i]);
      if (path != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The folder that holds the files: dir itself (Debian, or a torchvision raw
 * folder given directly), dir/FashionMNIST/raw (torchvision root) or dir/raw
 * (torchvision's FashionMNIST folder). NULL when none has any. */
static char *
resolve_layout (const char *dir)
{
  static const char *const subdirs[] = { ".", "FashionMNIST/raw", "raw" };

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *candidate = i == 0 ? g_strdup (dir) : g_build_filename (dir, subdirs[i], NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_DIR) && dir_has_idx_files (candidate))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

static gboolean
check_labels (const char *path, const guint8 *labels, guint n, GError **error)
{
  for (guint i = 0; i < n; i++)
    if (labels[i] >= GS_N_CLASSES)
      {
        gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path, "label %u at index %u is outside 0..9",
                              labels[i], i);
        return FALSE;
      }
  return TRUE;
}

/* Loads one split's images and labels into split, all or nothing. */
static gboolean
load_split (const char *dir, const char *images_name, const char *labels_name, GsSplit *split, GError **error)
{
  guint n_dims, idims[3], ldims[3];
  gsize n_bytes;

  g_autofree char *images_path = require_idx_file (dir, images_name, error);
  if (images_path == NULL)
    return FALSE;
  g_autofree char *labels_path = require_idx_file (dir, labels_name, error);
  if (labels_path == NULL)
    return FALSE;

  g_autofree guint8 *images = gs_idx_read_checked (images_path, 3, &n_dims, idims, &n_bytes, error);
  if (images == NULL)
    return FALSE;
  if (idims[0] == 0)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, images_path, "the file holds no images");
      return FALSE;
    }
  g_autofree guint8 *labels = gs_idx_read_checked (labels_path, 1, &n_dims, ldims, &n_bytes, error);
  if (labels == NULL)
    return FALSE;
  if (ldims[0] != idims[0])
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_MISMATCH, labels_path,
                            "%u labels, but %s holds %u images", ldims[0], images_path, idims[0]);
      return FALSE;
    }
  if (!check_labels (labels_path, labels, ldims[0], error))
    return FALSE;

  split->n = idims[0];
  split->images = g_steal_pointer (&images); /* gs_idx_read_checked () put it where training wants it */
  split->labels = g_steal_pointer (&labels);
  return TRUE;
}

GsDataset *
gs_dataset_new_empty (const char *name, const char *source, gboolean builtin)
{
  GsDataset *ds = g_new0 (GsDataset, 1);

  ds->name = g_strdup (name);
  ds->source = g_strdup (source);
  ds->builtin = builtin;
  ds->rows = GS_IMAGE_ROWS;
  ds->cols = GS_IMAGE_COLS;
  ds->n_classes = GS_N_CLASSES;
  return ds;
}

/* dir is a folder we may list and open files in; else an error that says
 * which of missing, a symlink loop, unreadable or not a folder it is. */
static gboolean
check_folder (const char *dir, GError **error)
{
  GStatBuf st;
  int      err = g_stat (dir, &st) == 0 ? 0 : errno;

  if (*dir == '\0')
    g_set_error_literal (error, GS_DATASET_ERROR, GS_DATASET_ERROR_NOT_FOUND,
                         "an empty data folder name (give --data DIR, or --data builtin)");
  else if (err == ENOENT)
    gs_dataset_set_error (error, GS_DATASET_ERROR_NOT_FOUND, dir, "folder not found");
  else if (err == ELOOP)
    gs_dataset_set_error (error, GS_DATASET_ERROR_READ, dir,
                          "cannot open the folder: too many levels of symbolic links (a symlink loop)");
  else if (err != 0)
    gs_dataset_set_error (error, GS_DATASET_ERROR_READ, dir, "cannot open the folder: %s", g_strerror (err));
  else if (!S_ISDIR (st.st_mode))
    gs_dataset_set_error (error, GS_DATASET_ERROR_NOT_FOUND, dir, "not a folder");
  else if (g_access (dir, R_OK | X_OK) != 0)
    gs_dataset_set_error (error, GS_DATASET_ERROR_READ, dir, "cannot read the folder: permission denied");
  else
    return TRUE;
  return FALSE;
}

GsDataset *
gs_dataset_load_dir (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_folder (dir, error))
    return NULL;

  /* With no file anywhere, name the files missing from dir itself. */
  g_autofree char *folder = resolve_layout (dir);
  if (folder == NULL)
    folder = g_strdup (dir);

  g_autofree char *lower = g_ascii_strdown (folder, -1);
  g_autoptr (GsDataset) ds = gs_dataset_new_empty (
      strstr (lower, "fashion") != NULL ? "Fashion-MNIST" : "IDX data set", folder, FALSE);
  if (!load_split (folder, idx_names[0], idx_names[1], &ds->train, error)
      || !load_split (folder, idx_names[2], idx_names[3], &ds->test, error))
    return NULL;
  return g_steal_pointer (&ds);
}

/* --- Finding a data set -------------------------------------------------- */

const char *
gs_dataset_install_hint (void)
{
  return "Install Debian's dataset-fashion-mnist package "
         "(sudo apt install dataset-fashion-mnist) or point --data / "
         "$GRADSCOPE_DATA at a folder of IDX files.";
}

GsDataset *
gs_dataset_find (const char *user_dir, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A folder the user chose (by option or by $GRADSCOPE_DATA) is never
   * replaced by another one: a wrong one is an error, not a fallback. */
  if (user_dir == NULL && g_getenv ("GRADSCOPE_DATA") && *g_getenv ("GRADSCOPE_DATA"))
    user_dir = g_getenv ("GRADSCOPE_DATA");
  if (user_dir != NULL)
    {
      if (g_strcmp0 (user_dir, "builtin") == 0)
        return gs_dataset_new_builtin ();
      return gs_dataset_load_dir (user_dir, error);
    }

  g_autofree char  *xdg = g_build_filename (g_get_user_data_dir (), "gradscope", "fashion-mnist", NULL);
  const char *const candidates[] = {
    xdg,
    "data/FashionMNIST/raw",
    "/usr/share/datasets/fashion-mnist",
  };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *dir = candidates[i];

      /* A folder that is absent or holds none of the files is not a data
       * set someone meant to give us; one with bad files is. */
      if (dir == NULL || *dir == '\0' || !g_file_test (dir, G_FILE_TEST_IS_DIR))
        continue;
      g_autofree char *folder = resolve_layout (dir);
      if (folder == NULL)
        {
          g_debug ("%s: no IDX files, skipped", dir);
          continue;
        }
      return gs_dataset_load_dir (dir, error);
    }
  return gs_dataset_new_builtin ();
}

void
gs_dataset_free (GsDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->name);
  g_free (ds->source);
  g_free (ds->train.images);
  g_free (ds->train.labels);
  g_free (ds->test.images);
  g_free (ds->test.labels);
  g_free (ds);
}
