/* gs-dataset.h: image classification data sets (IDX files or built-in).
 *
 * Images stay as bytes (0..255); the trainer converts each mini-batch to
 * floats in [0, 1] when it needs it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GS_DATASET_ERROR (gs_dataset_error_quark ())
typedef enum
{
  GS_DATASET_ERROR_NOT_FOUND, /* folder or file missing */
  GS_DATASET_ERROR_READ,      /* I/O error, unreadable */
  GS_DATASET_ERROR_GZIP,      /* corrupt gzip stream */
  GS_DATASET_ERROR_FORMAT,    /* bad magic, dimensions, truncation, labels */
  GS_DATASET_ERROR_MISMATCH,  /* images and labels disagree */
  GS_DATASET_ERROR_TOO_LARGE, /* claims more than we will allocate */
} GsDatasetError;
GQuark gs_dataset_error_quark (void);

typedef struct
{
  guint   n;      /* number of samples */
  guint8 *images; /* (n, rows * cols), row-major, 0..255 */
  guint8 *labels; /* (n), 0..n_classes-1 */
} GsSplit;

typedef struct
{
  char    *name;   /* "Fashion-MNIST", "built-in synthetic", ... */
  char    *source; /* folder it was read from, or "built-in" */
  gboolean builtin;
  guint    rows, cols; /* 28 x 28 */
  guint    n_classes;  /* 10 */
  GsSplit  train;      /* the 60 000 training images (train + validation) */
  GsSplit  test;       /* the 10 000 test images */
} GsDataset;

/* The largest image count a file may claim before we refuse to allocate. */
#define GS_DATASET_MAX_IMAGES 10000000u

/* Reads one IDX file (gzipped or raw, told apart by content). dims receives
 * the dimensions (at most 3); returns the payload bytes, or NULL and an error
 * naming the file and the problem. */
guint8 *gs_idx_read (const char *path, guint *n_dims, guint dims[3], gsize *n_bytes, GError **error);

/* Loads {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] from dir, or from
 * dir/FashionMNIST/raw (torchvision layout). */
GsDataset *gs_dataset_load_dir (const char *dir, GError **error);

/* A small synthetic 28x28, 10-class set made in code (deterministic). */
GsDataset *gs_dataset_new_builtin (void);

/* Looks in: user_dir (if not NULL; "builtin" means the built-in set), else
 * $GRADSCOPE_DATA (if set), else $XDG_DATA_HOME/gradscope/fashion-mnist,
 * ./data/FashionMNIST/raw, /usr/share/datasets/fashion-mnist; falls back to
 * the built-in set when none of the last three holds data. A folder the
 * user named (option or $GRADSCOPE_DATA) that is missing or empty is an
 * error; an error in any folder that holds IDX files is reported, not
 * skipped. */
GsDataset *gs_dataset_find (const char *user_dir, GError **error);

/* How to get the real data set, one line, for messages. */
const char *gs_dataset_install_hint (void);

void gs_dataset_free (GsDataset *ds);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsDataset, gs_dataset_free)

G_END_DECLS
