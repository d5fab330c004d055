/* gs-intervention.h: changes made to a run while it trains.
 *
 * An intervention sets one live option (GsOptionSpec.live: it keeps the
 * network's shape and parameters meaningful) from a step on: step S is the
 * first step trained with the new value. A schedule is a list of them
 * given before the run (gradscope-cli train --at, --at-epoch); the trainer
 * applies each before its step, as it does a change made while the run
 * trains (gs_trainer_change ()), and the record keeps every one it applied
 * with the value it replaced.
 */
#pragma once


#include "gs-config.h"

G_BEGIN_DECLS

/* At most this many per run: a schedule and a run file hold no more. */
#define GS_MAX_INTERVENTIONS 256

typedef struct
{
  guint step;  /* first step with the new value, 1-based; 0 in a schedule given by epoch */
  int   epoch; /* the epoch that step falls in, 1-based */
  char  option[24];
  char  from[40]; /* the value replaced, as the option table spells it ("" in a schedule) */
  char  to[40];
} GsIntervention;

/* "STEP:OPTION=VALUE", or with by_epoch "EPOCH:OPTION=VALUE" (the change
 * applies at the epoch's first step). The option must be live and the
 * value valid for it; errors start with the flag and the text
 * ("--at 5:depth=3: ..."). The step's range is checked by the trainer,
 * which knows the run's length. */
gboolean gs_intervention_parse (const char *text, gboolean by_epoch, GsIntervention *out, GError **error);
/* Appends the entries of a space-separated list of "at=STEP:OPTION=VALUE"
 * and "at-epoch=EPOCH:OPTION=VALUE" (a preset's schedule) to out. */
gboolean gs_intervention_parse_list (const char *text, GArray *out, GError **error);
/* Sets a live option in *config: an error naming it when it is unknown,
 * cannot change live or the value is not valid; *config is then unchanged. */
gboolean gs_intervention_set (GsConfig *config, const char *option, const char *value, GError **error);
/* How a schedule entry was written: "--at 5:lr=0.1" or "--at-epoch 2:lr=0.1". */
char *gs_intervention_flag_text (const GsIntervention *iv);
/* A mark's label: "lr=0.1". */
char *gs_intervention_label (const GsIntervention *iv);

G_END_DECLS
