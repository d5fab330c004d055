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

GsInitProbe *gs_init_probe_new (void);
/* Starts a computation for config on data (both copied or referenced);
 * "ready" is emitted on the main context with the record (or NULL and the
 * error message when the config cannot be built). A computation still
 * running for an older request is cancelled: its result would not be
 * shown. */
void gs_init_probe_request (GsInitProbe *self, const GsConfig *config, GsSharedData *data);
/* Cancels the running computation and drops a waiting request; "ready" is
 * not emitted for them. For a window that closes. */
void gs_init_probe_cancel (GsInitProbe *self);

G_END_DECLS
