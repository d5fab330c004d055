/* gs-intervention-json.h: interventions in JSON, for run files and
 * summaries (apart from gs-intervention.h, which gs-record.h includes, so
 * that what only reads records needs no json-glib). */
#pragma once

#include <json-glib/json-glib.h>

#include "gs-intervention.h"

G_BEGIN_DECLS

/* One change as run files and JSON summaries write it: an object with
 * step, epoch, option, from, to. Reading checks each (the option live,
 * both values valid for it); the error names the member. */
void     gs_intervention_build_json (JsonBuilder *b, const GsIntervention *iv);
gboolean gs_intervention_from_json (JsonObject *o, GsIntervention *out, GError **error);

G_END_DECLS
