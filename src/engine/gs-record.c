/* gs-record.c: the run record, bounded and safe to snapshot from any thread. */
#define G_LOG_DOMAIN "gs-record"

#include "gs-record-private.h"

#include <math.h>
#include <string.h>

#define LOSS_SERIES(r) ((r)->n_layers * GS_N_PROBES)
#define ACC_SERIES(r)  ((r)->n_layers * GS_N_PROBES + 1)

static void
grow (GsRecord *rec, guint capacity)
{
  float *s = g_new (float, (gsize) rec->n_series *capacity);

  for (guint i = 0; i < rec->n_series && rec->n_columns > 0; i++)
    memcpy (s + (gsize) i * capacity, rec->series + (gsize) i * rec->capacity,
            rec->n_columns * sizeof (float));
  g_free (rec->series);
  rec->series = s;
  rec->capacity = capacity;
}

gboolean
gs_probe_geometric (GsProbe probe)
{
  return probe == GS_PROBE_SIGNAL_NORM || (probe >= GS_PROBE_ACT_IN_NORM && probe <= GS_PROBE_WT_NORM);
}

/* Whether series i (a probe, the loss or the accuracy) is merged by its
 * geometric mean. */
static gboolean
series_geometric (const GsRecord *rec, guint i)
{
  return i < rec->n_layers * GS_N_PROBES && gs_probe_geometric (i % GS_N_PROBES);
}

/* Halve the column count: pairs are averaged (NaN and Inf propagate). */
static void
merge_columns (GsRecord *rec)
{
  for (guint i = 0; i < rec->n_series; i++)
    {
      float   *s = rec->series + (gsize) i * rec->capacity;
      gboolean geo = series_geometric (rec, i);
      for (guint c = 0; c < rec->n_columns / 2; c++)
        s[c] = geo ? (float) sqrt ((double) s[2 * c] * s[2 * c + 1]) : 0.5f * (s[2 * c] + s[2 * c + 1]);
    }
  rec->n_columns /= 2;
  rec->stride *= 2;
}

static GArray *
copy_array (GArray *a)
{
  GArray *b = g_array_sized_new (FALSE, FALSE, g_array_get_element_size (a), a->len);

  g_array_append_vals (b, a->data, a->len);
  return b;
}

static void
record_free (GsRecord *rec)
{
  g_mutex_clear (&rec->lock);
  g_free (rec->dataset);
  g_free (rec->series);
  g_free (rec->accum);
  g_free (rec->last);
  g_free (rec->first_step);
  g_free (rec->first_epoch);
  g_array_unref (rec->checkpoint_steps);
  g_array_unref (rec->hists);
  g_array_unref (rec->epochs);
  g_array_unref (rec->phases);
  g_array_unref (rec->epoch_grad);
  g_free (rec->epoch_grad_sum);
  g_array_unref (rec->interventions);
  g_free (rec->diverged_what);
  g_free (rec);
}

GsRecord *
gs_record_new (const GsConfig *config, guint n_layers, guint steps_per_epoch, const char *dataset_name)
{
  GsRecord *rec = g_new0 (GsRecord, 1);
  gsize     np = (gsize) n_layers * GS_N_PROBES;

  g_return_val_if_fail (config != NULL && n_layers > 0, NULL);
  rec->ref_count = 1;
  g_mutex_init (&rec->lock);
  rec->config = *config;
  rec->dataset = g_strdup (dataset_name ? dataset_name : "");
  rec->n_layers = n_layers;
  rec->steps_per_epoch = MAX (steps_per_epoch, 1);
  rec->n_series = (guint) np + 2;
  rec->stride = 1;
  rec->accum = g_new0 (double, rec->n_series);
  rec->last = g_new (float, np);
  rec->first_step = g_new (float, np);
  rec->first_epoch = g_new0 (double, np);
  for (gsize i = 0; i < np; i++)
    rec->last[i] = rec->first_step[i] = NAN;
  grow (rec, 256);
  rec->checkpoint_steps = g_array_new (FALSE, FALSE, sizeof (guint));
  rec->hists = g_array_new (FALSE, FALSE, sizeof (GsHist));
  rec->epochs = g_array_new (FALSE, FALSE, sizeof (GsEpochStats));
  rec->phases = g_array_new (FALSE, FALSE, sizeof (GsPhase));
  rec->epoch_grad = g_array_new (FALSE, FALSE, sizeof (float));
  rec->epoch_grad_sum = g_new0 (double, n_layers);
  rec->interventions = g_array_new (FALSE, FALSE, sizeof (GsIntervention));
  rec->checkpoint_skip = 1;
  rec->diverged_layer = -1;
  return rec;
}

GsRecord *
gs_record_ref (GsRecord *rec)
{
  g_atomic_int_inc (&rec->ref_count);
  return rec;
}

void
gs_record_unref (GsRecord *rec)
{
  if (rec != NULL && g_atomic_int_dec_and_test (&rec->ref_count))
    record_free (rec);
}

GsRecord *
gs_record_snapshot (GsRecord *rec)
{
  GsRecord *s = g_new0 (GsRecord, 1);
  gsize     np = (gsize) rec->n_layers * GS_N_PROBES;

  g_mutex_lock (&rec->lock);
  *s = *rec;
  s->ref_count = 1;
  g_mutex_init (&s->lock);
  s->dataset = g_strdup (rec->dataset);
  s->capacity = MAX (rec->n_columns, 1);
  s->series = g_new (float, (gsize) s->n_series * s->capacity);
  for (guint i = 0; i < rec->n_series; i++)
    memcpy (s->series + (gsize) i * s->capacity, rec->series + (gsize) i * rec->capacity,
            rec->n_columns * sizeof (float));
  s->accum = g_memdup2 (rec->accum, rec->n_series * sizeof (double));
  s->last = g_memdup2 (rec->last, np * sizeof (float));
  s->first_step = g_memdup2 (rec->first_step, np * sizeof (float));
  s->first_epoch = g_memdup2 (rec->first_epoch, np * sizeof (double));
  s->checkpoint_steps = copy_array (rec->checkpoint_steps);
  s->hists = copy_array (rec->hists);
  s->epochs = copy_array (rec->epochs);
  s->phases = copy_array (rec->phases);
  s->epoch_grad = copy_array (rec->epoch_grad);
  s->epoch_grad_sum = g_memdup2 (rec->epoch_grad_sum, rec->n_layers * sizeof (double));
  s->interventions = copy_array (rec->interventions);
  s->diverged_what = g_strdup (rec->diverged_what);
  g_mutex_unlock (&rec->lock);
  return s;
}

static void
open_column_if_needed (GsRecord *rec)
{
  if (rec->accum_count > 0 && rec->accum_count < rec->stride)
    return;
  /* the open column is full (or none is open): start a new one */
  if (rec->n_columns == GS_RECORD_MAX_COLUMNS)
    merge_columns (rec);
  if (rec->n_columns == rec->capacity)
    grow (rec, MIN (rec->capacity * 2, GS_RECORD_MAX_COLUMNS));
  rec->n_columns++;
  /* after a merge the new last column may already hold stride/2 steps'
   * worth of data; we keep columns aligned by starting fresh */
  memset (rec->accum, 0, rec->n_series * sizeof (double));
  rec->accum_count = 0;
}

void
gs_record_append_step (GsRecord *rec, const float *probes, float loss, float accuracy)
{
  gsize np = (gsize) rec->n_layers * GS_N_PROBES;
  guint col;

  g_mutex_lock (&rec->lock);
  open_column_if_needed (rec);
  col = rec->n_columns - 1;
  rec->accum_count++;
  for (guint i = 0; i < rec->n_series; i++)
    {
      float    v = i < np ? probes[i] : (i == np ? loss : accuracy);
      gboolean geo = series_geometric (rec, i);
      rec->accum[i] += geo ? log (v) : v;
      double m = rec->accum[i] / rec->accum_count;
      rec->series[(gsize) i * rec->capacity + col] = (float) (geo ? exp (m) : m);
    }
  memcpy (rec->last, probes, np * sizeof (float));
  if (rec->n_steps == 0)
    memcpy (rec->first_step, probes, np * sizeof (float));
  if (rec->n_steps < rec->steps_per_epoch)
    {
      for (gsize i = 0; i < np; i++)
        rec->first_epoch[i] += probes[i];
      rec->first_epoch_steps++;
    }
  for (guint l = 0; l < rec->n_layers; l++)
    rec->epoch_grad_sum[l] += probes[(gsize) l * GS_N_PROBES + GS_PROBE_GRAD_NORM];
  rec->epoch_grad_steps++;
  rec->n_steps++;
  g_mutex_unlock (&rec->lock);
}

guint
gs_record_max_checkpoints (guint n_layers)
{
  return MAX (64u,
              GS_RECORD_MAX_HIST_BYTES / ((gsize) MAX (n_layers, 1) * GS_N_HIST_KINDS * sizeof (GsHist)));
}

/* Keep checkpoints 0, 2, 4, ...: the stored ones stay every skip-th
 * offered, with skip doubled. */
static void
halve_checkpoints (GsRecord *rec)
{
  const guint per = rec->n_layers * GS_N_HIST_KINDS, n = rec->checkpoint_steps->len;

  for (guint i = 0; 2 * i < n; i++)
    {
      g_array_index (rec->checkpoint_steps, guint, i) = g_array_index (rec->checkpoint_steps, guint, 2 * i);
      memmove (&g_array_index (rec->hists, GsHist, (gsize) i * per),
               &g_array_index (rec->hists, GsHist, (gsize) 2 * i * per), per * sizeof (GsHist));
    }
  g_array_set_size (rec->checkpoint_steps, (n + 1) / 2);
  g_array_set_size (rec->hists, (gsize) (n + 1) / 2 * per);
  rec->checkpoint_skip *= 2;
}

void
gs_record_reserve_checkpoints (GsRecord *rec, guint n)
{
  const gsize per = (gsize) rec->n_layers * GS_N_HIST_KINDS;
  guint       len, max = gs_record_max_checkpoints (rec->n_layers);

  g_mutex_lock (&rec->lock);
  len = rec->checkpoint_steps->len;
  n = len < max ? MIN (n, max - len) : 0; /* at max they are halved, not grown */
  /* a GArray keeps its room when it is made shorter again */
  g_array_set_size (rec->checkpoint_steps, len + n);
  g_array_set_size (rec->checkpoint_steps, len);
  g_array_set_size (rec->hists, (len + n) * per);
  g_array_set_size (rec->hists, len * per);
  g_mutex_unlock (&rec->lock);
}

void
gs_record_add_checkpoint (GsRecord *rec, guint step, const GsHist *hists)
{
  g_mutex_lock (&rec->lock);
  if (rec->checkpoints_offered++ % rec->checkpoint_skip == 0)
    {
      if (rec->checkpoint_steps->len >= gs_record_max_checkpoints (rec->n_layers))
        halve_checkpoints (rec);
      /* after halving, this one may fall between the kept ones */
      if ((rec->checkpoints_offered - 1) % rec->checkpoint_skip == 0)
        {
          g_array_append_val (rec->checkpoint_steps, step);
          g_array_append_vals (rec->hists, hists, rec->n_layers * GS_N_HIST_KINDS);
        }
    }
  g_mutex_unlock (&rec->lock);
}

void
gs_record_add_epoch (GsRecord *rec, const GsEpochStats *stats)
{
  GsEpochStats e = *stats;

  g_mutex_lock (&rec->lock);
  e.phase = (int) rec->phases->len;
  if (rec->phases->len > 0)
    {
      GsPhase *ph = &g_array_index (rec->phases, GsPhase, rec->phases->len - 1);
      ph->epochs++;
      ph->val_acc = e.val_acc;
    }
  g_array_append_val (rec->epochs, e);
  for (guint l = 0; l < rec->n_layers; l++)
    {
      float m = rec->epoch_grad_steps ? (float) (rec->epoch_grad_sum[l] / rec->epoch_grad_steps) : NAN;
      g_array_append_val (rec->epoch_grad, m);
      rec->epoch_grad_sum[l] = 0;
    }
  rec->epoch_grad_steps = 0;
  g_mutex_unlock (&rec->lock);
}

void
gs_record_add_intervention (GsRecord *rec, const GsIntervention *iv)
{
  g_mutex_lock (&rec->lock);
  if (rec->interventions->len < GS_MAX_INTERVENTIONS)
    g_array_append_val (rec->interventions, *iv);
  g_mutex_unlock (&rec->lock);
}

void
gs_record_add_phase (GsRecord *rec, guint step, int stage, int active_depth, int lowest_trainable)
{
  GsPhase p = { step, stage, active_depth, lowest_trainable, 0, NAN, NAN };

  g_mutex_lock (&rec->lock);
  g_array_append_val (rec->phases, p);
  g_mutex_unlock (&rec->lock);
}

void
gs_record_set_phase_test (GsRecord *rec, double accuracy)
{
  g_mutex_lock (&rec->lock);
  if (rec->phases->len > 0)
    g_array_index (rec->phases, GsPhase, rec->phases->len - 1).test_acc = accuracy;
  g_mutex_unlock (&rec->lock);
}

void
gs_record_set_test (GsRecord *rec, double loss, double accuracy)
{
  g_mutex_lock (&rec->lock);
  rec->has_test = TRUE;
  rec->test_loss = loss;
  rec->test_acc = accuracy;
  g_mutex_unlock (&rec->lock);
}

void
gs_record_set_diverged (GsRecord *rec, guint step, int layer, const char *what)
{
  g_mutex_lock (&rec->lock);
  rec->diverged = TRUE;
  rec->diverged_step = step;
  rec->diverged_layer = layer;
  g_free (rec->diverged_what);
  rec->diverged_what = g_strdup (what);
  g_mutex_unlock (&rec->lock);
}

void
gs_record_set_finished (GsRecord *rec, gboolean stopped_early, double seconds)
{
  g_mutex_lock (&rec->lock);
  rec->finished = TRUE;
  rec->stopped_early = stopped_early;
  rec->seconds = seconds;
  g_mutex_unlock (&rec->lock);
}

/* Reading: callers own a snapshot or a finished record. */

const GsConfig *
gs_record_config (const GsRecord *rec)
{
  return &rec->config;
}
const char *
gs_record_dataset (const GsRecord *rec)
{
  return rec->dataset;
}
guint
gs_record_n_layers (const GsRecord *rec)
{
  return rec->n_layers;
}
guint
gs_record_steps_per_epoch (const GsRecord *rec)
{
  return rec->steps_per_epoch;
}
guint
gs_record_n_steps (const GsRecord *rec)
{
  return rec->n_steps;
}
guint
gs_record_n_columns (const GsRecord *rec)
{
  return rec->n_columns;
}
guint
gs_record_stride (const GsRecord *rec)
{
  return rec->stride;
}

const float *
gs_record_series (const GsRecord *rec, GsProbe probe, guint layer)
{
  g_return_val_if_fail (probe < GS_N_PROBES && layer < rec->n_layers, NULL);
  return rec->series + (gsize) (layer * GS_N_PROBES + probe) * rec->capacity;
}

const float *
gs_record_loss_series (const GsRecord *rec)
{
  return rec->series + (gsize) LOSS_SERIES (rec) * rec->capacity;
}

const float *
gs_record_accuracy_series (const GsRecord *rec)
{
  return rec->series + (gsize) ACC_SERIES (rec) * rec->capacity;
}

const float *
gs_record_last_probes (const GsRecord *rec, guint layer)
{
  g_return_val_if_fail (layer < rec->n_layers, NULL);
  return rec->last + (gsize) layer * GS_N_PROBES;
}

float
gs_record_first_step_probe (const GsRecord *rec, GsProbe probe, guint layer)
{
  g_return_val_if_fail (probe < GS_N_PROBES && layer < rec->n_layers, NAN);
  return rec->first_step[layer * GS_N_PROBES + probe];
}

float
gs_record_first_epoch_probe (const GsRecord *rec, GsProbe probe, guint layer)
{
  g_return_val_if_fail (probe < GS_N_PROBES && layer < rec->n_layers, NAN);
  if (rec->first_epoch_steps == 0)
    return NAN;
  return (float) (rec->first_epoch[layer * GS_N_PROBES + probe] / rec->first_epoch_steps);
}

guint
gs_record_n_epochs (const GsRecord *rec)
{
  return rec->epochs->len;
}

const GsEpochStats *
gs_record_epoch (const GsRecord *rec, guint i)
{
  g_return_val_if_fail (i < rec->epochs->len, NULL);
  return &g_array_index (rec->epochs, GsEpochStats, i);
}

float
gs_record_epoch_grad_norm (const GsRecord *rec, guint i, guint layer)
{
  g_return_val_if_fail (i < rec->epochs->len && layer < rec->n_layers, NAN);
  return g_array_index (rec->epoch_grad, float, (gsize) i * rec->n_layers + layer);
}

guint
gs_record_n_interventions (const GsRecord *rec)
{
  return rec->interventions->len;
}

const GsIntervention *
gs_record_intervention (const GsRecord *rec, guint i)
{
  g_return_val_if_fail (i < rec->interventions->len, NULL);
  return &g_array_index (rec->interventions, GsIntervention, i);
}

guint
gs_record_n_checkpoints (const GsRecord *rec)
{
  return rec->checkpoint_steps->len;
}

guint
gs_record_checkpoint_step (const GsRecord *rec, guint cp)
{
  g_return_val_if_fail (cp < rec->checkpoint_steps->len, 0);
  return g_array_index (rec->checkpoint_steps, guint, cp);
}

const GsHist *
gs_record_hist (const GsRecord *rec, guint cp, GsHistKind kind, guint layer)
{
  g_return_val_if_fail (cp < rec->checkpoint_steps->len && kind < GS_N_HIST_KINDS && layer < rec->n_layers,
                        NULL);
  return &g_array_index (rec->hists, GsHist, ((gsize) cp * rec->n_layers + layer) * GS_N_HIST_KINDS + kind);
}

guint
gs_record_n_phases (const GsRecord *rec)
{
  return rec->phases->len;
}

const GsPhase *
gs_record_phase (const GsRecord *rec, guint i)
{
  g_return_val_if_fail (i < rec->phases->len, NULL);
  return &g_array_index (rec->phases, GsPhase, i);
}

gboolean
gs_record_has_test (const GsRecord *rec)
{
  return rec->has_test;
}
double
gs_record_test_loss (const GsRecord *rec)
{
  return rec->test_loss;
}
double
gs_record_test_accuracy (const GsRecord *rec)
{
  return rec->test_acc;
}
double
gs_record_seconds (const GsRecord *rec)
{
  return rec->seconds;
}

gboolean
gs_record_diverged (const GsRecord *rec, guint *step, int *layer, const char **what)
{
  if (step)
    *step = rec->diverged_step;
  if (layer)
    *layer = rec->diverged_layer;
  if (what)
    *what = rec->diverged_what;
  return rec->diverged;
}

gboolean
gs_record_finished (const GsRecord *rec, gboolean *stopped_early)
{
  if (stopped_early)
    *stopped_early = rec->stopped_early;
  return rec->finished;
}
