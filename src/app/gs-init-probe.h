/* gs-init-probe.h: the signal through the sidebar's network at
 * initialisation, recomputed in a worker thread whenever the configuration
 * changes (the "At Init" figure). Only the newest request's result is
 * delivered. */
#pragma once

#include <glib-object.h>

#include "gs-config.h"
#include "gs-record.h"
#include "gs-shared-data.h"

G_BEGIN_DECLS

#define GS_TYPE_INIT_PROBE (gs_init_probe_get_type ())
G_DECLARE_FINAL_TYPE (GsInitProbe, gs_init_probe, GS, INIT_PROBE, GObject)

GsInitProbe *gs_init_probe_new     (void);
/* Starts a computation for config on data (both copied or referenced);
 * "ready" is emitted on the main context with the record (or NULL and the
 * error message when the config cannot be built). */
void         gs_init_probe_request (GsInitProbe     *self,
                                    const GsConfig  *config,
                                    GsSharedData    *data);

G_END_DECLS
