/* gs-shared-data.h: a data set shared by the window and the trainer
 * threads that read it; freed when the last holder lets go. */
#pragma once

#include "gs-dataset.h"

G_BEGIN_DECLS

typedef struct _GsSharedData GsSharedData;

GsSharedData    *gs_shared_data_new (GsDataset *data);
GsSharedData    *gs_shared_data_ref (GsSharedData *self);
void             gs_shared_data_unref (GsSharedData *self);
const GsDataset *gs_shared_data_get (GsSharedData *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsSharedData, gs_shared_data_unref)

G_END_DECLS
