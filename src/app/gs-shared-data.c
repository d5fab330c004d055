/* gs-shared-data.c: a data set shared by the window and the trainer
 * threads that read it. The window may choose another folder, or close,
 * while a thread still builds its network on the old set. */
#define G_LOG_DOMAIN "gs-shared-data"

#include "config.h"

#include "gs-shared-data.h"

struct _GsSharedData
{
  GsDataset *data;
};

static void
clear (gpointer box)
{
  GsSharedData *self = box;

  g_clear_pointer (&self->data, gs_dataset_free);
}

/* Takes ownership of data. */
GsSharedData *
gs_shared_data_new (GsDataset *data)
{
  GsSharedData *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_atomic_rc_box_new0 (GsSharedData);
  self->data = data;
  return self;
}

GsSharedData *
gs_shared_data_ref (GsSharedData *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
gs_shared_data_unref (GsSharedData *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, clear);
}

const GsDataset *
gs_shared_data_get (GsSharedData *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->data;
}
