/* gs-record-private.h: the record's layout, for the run-file reader. */
#pragma once

#include "gs-record.h"
#include "gs-intervention.h"

G_BEGIN_DECLS

struct _GsRecord
{
  gint     ref_count;
  GMutex   lock;
  GsConfig config;
  char    *dataset;
  guint    n_layers;
  guint    steps_per_epoch;
  guint    n_series; /* n_layers * GS_N_PROBES + 2 (loss, accuracy) */

  guint   n_steps;
  guint   n_columns;
  guint   stride;
  guint   capacity;    /* columns allocated per series */
  float  *series;      /* (n_series, capacity) */
  double *accum;       /* (n_series): sums over the open column */
  guint   accum_count; /* steps in the open column */

  float  *last;        /* (n_layers, GS_N_PROBES) */
  float  *first_step;  /* (n_layers, GS_N_PROBES) */
  double *first_epoch; /* (n_layers, GS_N_PROBES) sums over epoch 1 */
  guint   first_epoch_steps;

  GArray *checkpoint_steps; /* guint */
  GArray *hists;            /* GsHist, (n_checkpoints, n_layers, GS_N_HIST_KINDS) */
  guint   checkpoint_skip;  /* keep every skip-th checkpoint offered (power of 2) */
  guint   checkpoints_offered;
  GArray *epochs;           /* GsEpochStats */
  GArray *phases;           /* GsPhase */
  GArray *epoch_grad;       /* float, (n_epochs, n_layers): mean GS_PROBE_GRAD_NORM */
  double *epoch_grad_sum;   /* (n_layers) over the open epoch */
  guint   epoch_grad_steps; /* steps in it */
  GArray *interventions;    /* GsIntervention, as applied */

  gboolean has_test;
  double   test_loss, test_acc;
  gboolean diverged;
  guint    diverged_step;
  int      diverged_layer;
  char    *diverged_what;
  gboolean finished, stopped_early;
  double   seconds;
};

G_END_DECLS
