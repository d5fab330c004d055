/* gs-dataset-private.h: what the data-set files share (gs-dataset.c: a
 * folder and the search for one; gs-idx.c: one IDX file;
 * gs-dataset-builtin.c: the synthetic set). */
#pragma once

#include "gs-dataset.h"

G_BEGIN_DECLS

#define GS_IMAGE_ROWS 28
#define GS_IMAGE_COLS 28
#define GS_N_CLASSES  10

/* path: FORMAT, as g_set_error() would, after the path. */
void gs_dataset_set_error (GError **error, GsDatasetError code, const char *path, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
/* Memory for a split's images, freed with g_free (); NULL when there is
 * none (try), or abort (the other). */
guint8 *gs_dataset_images_try_alloc (gsize size);
guint8 *gs_dataset_images_alloc (gsize size);
/* A data set of 28x28 images in 10 classes, with empty splits. */
GsDataset *gs_dataset_new_empty (const char *name, const char *source, gboolean builtin);
/* gs_idx_read () that also checks the dimension count: 3 for images (which
 * must be 28x28), 1 for labels, 0 for any. */
guint8 *gs_idx_read_checked (
    const char *path, guint want_dims, guint *n_dims, guint dims[3], gsize *n_bytes, GError **error);

G_END_DECLS
