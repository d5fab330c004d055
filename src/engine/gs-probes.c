/* gs-probes.c: per-layer probes and checkpoint histograms from the net. */
#define G_LOG_DOMAIN "gs-probes"

#include "gs-probes.h"

#include <math.h>
#include "gs-omp.h"

static float *
row (float *probes, int layer)
{
  return probes + (size_t) layer * GS_N_PROBES;
}

void
gs_probes_clear (float *probes, int n_layers)
{
  for (size_t i = 0; i < (size_t) n_layers * GS_N_PROBES; i++)
    probes[i] = NAN;
}

/* The head has no activation: its probes are those of the logits, and its
 * signal is dL/dlogits (the forward and backward kernels gather neither). */
static void
head_forward (const GsNet *net, int B, float *p)
{
  const size_t k = (size_t) B * net->n_classes;
  double       m = gs_sum (net->logits, k) / k;

  p[GS_PROBE_ACT_MEAN] = (float) m;
  p[GS_PROBE_ACT_STD] = (float) sqrt (MAX (gs_sumsq (net->logits, k) / k - m * m, 0));
  p[GS_PROBE_SIGNAL_NORM] = p[GS_PROBE_DZ_NORM] = (float) sqrt (gs_sumsq (net->dlogits, k));
}

static void
back_norms (const double *sq, float *p)
{
  p[GS_PROBE_SIGNAL_NORM] = (float) sqrt (sq[GS_BACK_SIGNAL]);
  p[GS_PROBE_ACT_IN_NORM] = (float) sqrt (sq[GS_BACK_ACT_IN]);
  p[GS_PROBE_DACT_NORM] = (float) sqrt (sq[GS_BACK_DACT]);
  p[GS_PROBE_DZ_NORM] = (float) sqrt (sq[GS_BACK_DZ]);
  p[GS_PROBE_WT_NORM] = (float) sqrt (sq[GS_BACK_WT]);
}

void
gs_probes_forward (const GsNet *net, int B, int depth_used, int lowest, float *probes)
{
  const size_t n = (size_t) B * net->width;

  gs_probes_clear (probes, net->n_layers);
  for (int l = 0; l < net->depth; l++)
    {
      float *p = row (probes, l);
      double mean, std, sat;
      if (!gs_net_layer_used (net, l, depth_used))
        continue;
      gs_act_stats_finish (net->act_stats + 3 * l, n, &mean, &std, &sat);
      p[GS_PROBE_ACT_MEAN] = (float) mean;
      p[GS_PROBE_ACT_STD] = (float) std;
      p[GS_PROBE_ACT_SAT] = (float) sat;
      if (gs_net_layer_trained (net, l, depth_used, lowest))
        back_norms (net->signal_sq + (size_t) l * GS_N_BACK_SUMS, p);
    }
  head_forward (net, B, row (probes, net->depth));
  /* the head's W^T dL/dlogits is all of dL/dh_top: no skip path ends there */
  if (depth_used > 0 && gs_net_layer_trained (net, depth_used - 1, depth_used, lowest))
    row (probes, net->depth)[GS_PROBE_WT_NORM] = row (probes, depth_used - 1)[GS_PROBE_SIGNAL_NORM];
}

static void
set_weights (float *p, double grad_sq, double grad_abs, size_t n_weights, double w_sq)
{
  p[GS_PROBE_GRAD_NORM] = (float) sqrt (grad_sq);
  p[GS_PROBE_GRAD_MEAN_ABS] = (float) (grad_abs / n_weights);
  p[GS_PROBE_WEIGHT_NORM] = (float) sqrt (w_sq);
}

void
gs_probes_update (float *probes, int layer, const GsUpdateSums *sums, size_t n_weights)
{
  float *p = row (probes, layer);

  set_weights (p, sums->grad_sq, sums->grad_abs, n_weights, sums->w_new_sq);
  p[GS_PROBE_UPDATE_RATIO] = (float) (sqrt (sums->upd_sq) / sqrt (sums->w_sq));
}

void
gs_probes_weights (const GsNet *net, float *probes)
{
  for (int l = 0; l < net->n_layers; l++)
    {
      const GsLayerView *v = &net->layers[l];
      set_weights (row (probes, l), gs_sumsq (v->gw, v->n_weights), gs_sumabs (v->gw, v->n_weights),
                   v->n_weights, gs_sumsq (v->w, v->n_weights));
    }
}

/* The histograms of one layer: weights, gradients, activations, signal. */
static void
layer_hist (const GsNet *net, int B, int depth_used, int lowest, int l, int kind, GsHist *h)
{
  const GsLayerView *v = &net->layers[l];
  const gboolean     used = gs_net_layer_used (net, l, depth_used);
  const gboolean     trained = gs_net_layer_trained (net, l, depth_used, lowest);
  const size_t       na = (size_t) B * (l == net->depth ? net->n_classes : net->width);

  switch (kind)
    {
    case GS_HIST_WEIGHT:
      gs_hist_build (h, v->w, v->n_weights, TRUE);
      break;
    case GS_HIST_GRAD:
      gs_hist_build (h, v->gw, trained ? v->n_weights : 0, TRUE);
      break;
    case GS_HIST_ACT:
      gs_hist_build (h, l == net->depth ? net->logits : net->a[l], used ? na : 0, FALSE);
      break;
    default:
      gs_hist_build (h, l == net->depth ? net->dlogits : net->dh[l], trained ? na : 0, TRUE);
      break;
    }
}

void
gs_probes_hists (const GsNet *net, int B, int depth_used, int lowest, GsHist *hists)
{
  const int n = net->n_layers * GS_N_HIST_KINDS;

  GS_PARALLEL (1, "omp parallel for schedule(dynamic)",
               for (int i = 0; i < n; i++) layer_hist (net, B, depth_used, lowest, i / GS_N_HIST_KINDS,
                                                       i % GS_N_HIST_KINDS, hists + i););
}
