/* gs-record.h: everything a run records, per layer and per step.
 *
 * A record is written by one trainer thread and read by others. Readers never
 * look at a live record directly: gs_record_snapshot() returns a consistent
 * immutable copy (cheap: a few MB at most), which figures draw from. A
 * finished record (or one loaded from a file) may be read directly.
 *
 * Layers are the Linear layers, input side first: 0 .. depth-1 are the
 * hidden layers, depth is the output layer ("head").
 *
 * Step series are bounded: when more than GS_RECORD_MAX_COLUMNS steps have
 * been recorded, neighbouring columns are merged (averaged; NaN wins) and the
 * stride doubles. Column c covers steps [c*stride + 1, (c+1)*stride].
 * The backward-signal norms (gs_probe_geometric()) are merged by their
 * geometric mean, so ratios of merged columns are the merged ratios and the
 * shrink figure's product of factors stays exact on long runs.
 */
#pragma once

#include <glib.h>
#include "gs-config.h"
#include "gs-hist.h"
#include "gs-intervention.h"

G_BEGIN_DECLS

typedef enum
{
  GS_PROBE_GRAD_NORM,     /* ||dL/dW||_2 of the layer's weight */
  GS_PROBE_GRAD_MEAN_ABS, /* mean |dL/dW| */
  GS_PROBE_SIGNAL_NORM,   /* ||dL/dh||_2 / batch of the layer's output signal */
  GS_PROBE_ACT_MEAN,      /* mean of the layer's output (after activation) */
  GS_PROBE_ACT_STD,       /* std of the same */
  GS_PROBE_ACT_SAT,       /* fraction of units where f'(y) <= 5% of max f' */
  GS_PROBE_UPDATE_RATIO,  /* ||W_new - W_old||_2 / ||W_old||_2 */
  GS_PROBE_WEIGHT_NORM,   /* ||W||_2 after the step */
  /* The backward signal crossing the layer (gs-net.h, GsBackSum), L2 norms
   * over the batch; hidden layers only, except as noted. */
  GS_PROBE_ACT_IN_NORM, /* the signal entering act' (= SIGNAL_NORM unless gradnorm "signal") */
  GS_PROBE_DACT_NORM,   /* ||act'(y) * that|| = ||dL/dy|| */
  GS_PROBE_DZ_NORM,     /* ||dL/dz||, into the weights (head: ||dL/dlogits||) */
  GS_PROBE_WT_NORM,     /* ||W^T dL/dz|| before skip paths add (NaN for the lowest trained layer) */
  GS_N_PROBES
} GsProbe;

typedef enum
{
  GS_HIST_WEIGHT,
  GS_HIST_GRAD,
  GS_HIST_ACT,
  GS_HIST_SIGNAL,
  GS_N_HIST_KINDS
} GsHistKind;

#define GS_RECORD_MAX_COLUMNS 8192

/* TRUE for the probes whose columns are geometric means. */
gboolean gs_probe_geometric (GsProbe probe);

typedef struct
{
  int    epoch;                 /* 1-based, cumulative over phases */
  int    stage;                 /* 0 = not layer-wise, else 1-based stage */
  int    phase;                 /* 1-based phase (set by gs_record_add_epoch); 0 = unknown (old files) */
  guint  last_step;             /* global step count at the end of the epoch */
  double train_loss, train_acc; /* mean over the epoch's batches */
  double val_loss, val_acc;
  double seconds; /* wall time of the epoch (training only) */
  guint  samples; /* training samples seen in the epoch */
} GsEpochStats;

typedef struct _GsRecord GsRecord;

GsRecord *
gs_record_new (const GsConfig *config, guint n_layers, guint steps_per_epoch, const char *dataset_name);
GsRecord *gs_record_ref (GsRecord *rec);
void      gs_record_unref (GsRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsRecord, gs_record_unref)
GsRecord *gs_record_snapshot (GsRecord *rec);

/* Writing (trainer thread). probes is (n_layers, GS_N_PROBES) row-major. */
void gs_record_append_step (GsRecord *rec, const float *probes, float loss, float accuracy);
/* hists is (n_layers, GS_N_HIST_KINDS). Checkpoints are bounded like the
 * step columns: past gs_record_max_checkpoints(), every other one is
 * dropped and from then on only every 2nd (4th, ...) offered is kept. */
void gs_record_add_checkpoint (GsRecord *rec, guint step, const GsHist *hists);
/* Room for n more checkpoints, made before an epoch, so that adding them
 * inside its training steps allocates nothing. */
void gs_record_reserve_checkpoints (GsRecord *rec, guint n);
/* Also closes the epoch's mean gradient norms (gs_record_epoch_grad_norm ()). */
void gs_record_add_epoch (GsRecord *rec, const GsEpochStats *stats);
/* A change applied to the run (gs-intervention.h). */
void gs_record_add_intervention (GsRecord *rec, const GsIntervention *iv);
/* A phase begins at step; its epochs (gs_record_add_epoch) count towards it. */
void gs_record_add_phase (GsRecord *rec, guint step, int stage, int active_depth, int lowest_trainable);
/* The test accuracy measured when the current phase ended. */
void gs_record_set_phase_test (GsRecord *rec, double accuracy);
void gs_record_set_test (GsRecord *rec, double loss, double accuracy);
void gs_record_set_diverged (GsRecord *rec, guint step, int layer, const char *what);
void gs_record_set_finished (GsRecord *rec, gboolean stopped_early, double seconds);

/* Reading. */
const GsConfig *gs_record_config (const GsRecord *rec);
const char     *gs_record_dataset (const GsRecord *rec);
guint           gs_record_n_layers (const GsRecord *rec);
guint           gs_record_steps_per_epoch (const GsRecord *rec);
guint           gs_record_n_steps (const GsRecord *rec);   /* steps recorded */
guint           gs_record_n_columns (const GsRecord *rec); /* stored columns */
guint           gs_record_stride (const GsRecord *rec);    /* steps per column */
/* (n_columns) floats. */
const float *gs_record_series (const GsRecord *rec, GsProbe probe, guint layer);
const float *gs_record_loss_series (const GsRecord *rec);
const float *gs_record_accuracy_series (const GsRecord *rec);
/* The probes of the last recorded step, exact (not averaged): (GS_N_PROBES). */
const float *gs_record_last_probes (const GsRecord *rec, guint layer);
/* Step 1's probes and the mean over the steps of epoch 1 (NaN if none). */
float gs_record_first_step_probe (const GsRecord *rec, GsProbe probe, guint layer);
float gs_record_first_epoch_probe (const GsRecord *rec, GsProbe probe, guint layer);

guint               gs_record_n_epochs (const GsRecord *rec);
const GsEpochStats *gs_record_epoch (const GsRecord *rec, guint i);
/* Epoch i's mean over its steps of the layer's ||dL/dW|| (NaN if not
 * recorded: probes off, or a file older than version 4). */
float gs_record_epoch_grad_norm (const GsRecord *rec, guint i, guint layer);

/* The changes applied while the run trained, in the order applied. */
guint                 gs_record_n_interventions (const GsRecord *rec);
const GsIntervention *gs_record_intervention (const GsRecord *rec, guint i);

/* The most histogram checkpoints a record of n_layers keeps (they take at
 * most GS_RECORD_MAX_HIST_BYTES); run-file readers refuse more. */
#define GS_RECORD_MAX_HIST_BYTES (64u << 20)
guint         gs_record_max_checkpoints (guint n_layers);
guint         gs_record_n_checkpoints (const GsRecord *rec);
guint         gs_record_checkpoint_step (const GsRecord *rec, guint cp);
const GsHist *gs_record_hist (const GsRecord *rec, guint cp, GsHistKind kind, guint layer);

/* A phase of training (gs_config_plan_phases()): every run has at least
 * one; layer-wise runs one per frozen or fine-tuning phase. Files older
 * than version 3 have phases only for layer-wise runs, and their epochs,
 * val_acc and test_acc are derived (NaN test). */
typedef struct
{
  guint  step;             /* first step of the phase */
  int    stage;            /* 1-based stage, 0 = not layer-wise */
  int    active_depth;     /* hidden layers in use */
  int    lowest_trainable; /* first hidden layer that is trained (0-based) */
  int    epochs;           /* epochs trained in the phase */
  double val_acc;          /* after its last epoch, NaN before one */
  double test_acc;         /* at its end, NaN if not measured */
} GsPhase;
guint          gs_record_n_phases (const GsRecord *rec);
const GsPhase *gs_record_phase (const GsRecord *rec, guint i);

/* The older names, for figures written before phases. */
typedef GsPhase GsStageStart;
static inline guint
gs_record_n_stages (const GsRecord *rec)
{
  return gs_record_n_phases (rec);
}
static inline const GsStageStart *
gs_record_stage (const GsRecord *rec, guint i)
{
  return gs_record_phase (rec, i);
}
static inline void
gs_record_add_stage_start (GsRecord *rec, guint step, int stage, int active_depth, int lowest_trainable)
{
  gs_record_add_phase (rec, step, stage, active_depth, lowest_trainable);
}

gboolean gs_record_has_test (const GsRecord *rec);
double   gs_record_test_loss (const GsRecord *rec);
double   gs_record_test_accuracy (const GsRecord *rec);
gboolean gs_record_diverged (const GsRecord *rec, guint *step, int *layer, const char **what);
gboolean gs_record_finished (const GsRecord *rec, gboolean *stopped_early);
double   gs_record_seconds (const GsRecord *rec);

G_END_DECLS
