/* gs-signal.c: one forward/backward at initialisation, as a one-step record;
 * the inverses of the activations. */
#define G_LOG_DOMAIN "gs-signal"

#include "gs-signal.h"

#include <math.h>

#include "gs-net.h"
#include "gs-probes.h"
#include "gs-trainer.h"

static guint
batch_size (const GsDataset *data, guint n_samples)
{
  guint n = n_samples ? n_samples : GS_SIGNAL_DEFAULT_SAMPLES;
  return MIN (n, data->train.n);
}

/* The first n training images as floats in [0, 1] (x / 255, as the trainer). */
static void
load_first (gs_real *x, guint8 *labels, const GsDataset *data, guint n)
{
  const gsize n_in = (gsize) data->rows * data->cols;

  for (gsize i = 0; i < n * n_in; i++)
    x[i] = data->train.images[i] / 255.0f;
  for (guint r = 0; r < n; r++)
    labels[r] = data->train.labels[r];
}

GsRecord *
gs_signal_at_init (
    const GsConfig *config, const GsDataset *data, guint n_samples, const gint *cancel, GError **error)
{
  g_return_val_if_fail (config != NULL && data != NULL, NULL);
  if (!gs_config_validate (config, error))
    return NULL;
  if (data->train.n == 0)
    {
      g_set_error (error, GS_TRAINER_ERROR, GS_TRAINER_ERROR_DATA, "data set %s has no training samples",
                   data->source);
      return NULL;
    }
  const int B = (int) batch_size (data, n_samples);
  const int n_in = (int) (data->rows * data->cols);
  GsConfig  c = *config; /* the record keeps the config as given */
  c.batch_size = B;
  if (!gs_trainer_check_memory (&c, n_in, data->n_classes, error))
    return NULL;
  /* the whole network (a layer-wise run ends up there) */
  GsNet             *net = gs_net_new (config, n_in, (int) data->n_classes, B);
  GsRng              rng;
  g_autofree guint8 *labels = g_new (guint8, B);
  g_autofree float  *probes = g_new (float, (gsize) net->n_layers *GS_N_PROBES);
  g_autofree GsHist *hists = g_new (GsHist, (gsize) net->n_layers * GS_N_HIST_KINDS);
  int                correct;

  net->cancel = cancel;
  gs_rng_init_stream (&rng, config->seed, GS_RNG_STREAM_INIT); /* the run's weights */
  gs_net_init (net, &rng);
  net->probes = TRUE;
  load_first (net->x, labels, data, B);
  gs_net_forward (net, B, net->depth, TRUE);
  double loss = gs_net_loss (net, labels, B, &correct);
  gs_net_backward (net, B, net->depth, 0);
  if (gs_net_cancelled (net))
    {
      g_set_error_literal (error, GS_TRAINER_ERROR, GS_TRAINER_ERROR_CANCELLED,
                           "the signal at initialisation was cancelled");
      gs_net_free (net);
      return NULL;
    }
  /* the trainer's step-1 probes, before the update: no update ratio */
  gs_probes_forward (net, B, net->depth, 0, probes);
  gs_probes_weights (net, probes);
  gs_probes_hists (net, B, net->depth, 0, hists);

  GsRecord *rec = gs_record_new (config, net->n_layers, 1, data->name);
  gs_record_append_step (rec, probes, (float) (loss / B), (float) correct / B);
  gs_record_add_checkpoint (rec, 1, hists);
  gs_record_set_finished (rec, TRUE, 0);
  gs_net_free (net);
  return rec;
}

double
gs_signal_input_std (const GsDataset *data, guint n_samples)
{
  const gsize n = (gsize) batch_size (data, n_samples) * data->rows * data->cols;
  double      s = 0, s2 = 0;

  if (n == 0)
    return NAN;
  for (gsize i = 0; i < n; i++)
    {
      double v = data->train.images[i] / 255.0;
      s += v;
      s2 += v * v;
    }
  s /= n;
  return sqrt (MAX (s2 / n - s * s, 0));
}

gboolean
gs_activation_invertible (GsActivation act)
{
  return act != GS_ACT_RELU && act != GS_ACT_GELU;
}

gboolean
gs_activation_inverse (GsActivation act, double a, double *y)
{
  const double e = 1e-6;

  switch (act)
    {
    case GS_ACT_SIGMOID:
      a = CLAMP (a, e, 1 - e);
      *y = log (a / (1 - a));
      return TRUE;
    case GS_ACT_TANH:
      *y = atanh (CLAMP (a, -1 + e, 1 - e));
      return TRUE;
    case GS_ACT_SOFTSIGN:
      a = CLAMP (a, -1 + e, 1 - e);
      *y = a / (1 - fabs (a));
      return TRUE;
    case GS_ACT_LEAKY_RELU:
      *y = a >= 0 ? a : a / 0.01;
      return TRUE;
    case GS_ACT_ELU:
      *y = a >= 0 ? a : log (MAX (a + 1, e));
      return TRUE;
    case GS_ACT_IDENTITY:
      *y = a;
      return TRUE;
    case GS_ACT_RELU:
    case GS_ACT_GELU:
    case GS_N_ACTIVATIONS:
    default:
      return FALSE;
    }
}
