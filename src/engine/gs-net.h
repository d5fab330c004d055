/* gs-net.h: the MLP. Hidden block i (0-based):
 *
 *   z_i = Linear_i (h_{i-1})          h_{-1} = input x
 *   y_i = norm (z_i)                  (y_i = z_i without normalisation)
 *   a_i = act (y_i)
 *   h_i = a_i + h_{skip_from[i]}      (h_i = a_i without a skip path)
 *   logits = Linear_head (h_{depth-1})
 *
 * With gradient normalisation "signal", the backward signal arriving at a_i
 * is standardised before it goes through act'.
 *
 * All parameters live in one buffer, all gradients in another, each layer a
 * view: [W (out, in) | b (out) | gamma (out) | beta (out)] (gamma and beta
 * for batch and layer norm only), hidden layers first, then the head.
 */
#pragma once

#include "gs-ops.h"
#include "gs-rng.h"

G_BEGIN_DECLS

typedef struct
{
  int      n_in, n_out;
  size_t   offset;                   /* into params / grads */
  size_t   n_weights;                /* n_out * n_in */
  size_t   count;                    /* all parameters of the layer */
  gs_real *w, *b, *gamma, *beta;     /* views into params */
  gs_real *gw, *gb, *ggamma, *gbeta; /* views into grads */
} GsLayerView;

/* The sums of squares a training-mode backward gathers per hidden layer i,
 * in the order the signal meets them: dL/dh_i, the signal entering act'
 * (standardised by gradient normalisation "signal", else dL/dh_i again),
 * dL/dy_i = act' * that, dL/dz_i (after the norm's backward), and
 * W_i^T dL/dz_i before skip paths add into dL/dh_{i-1} (not computed for
 * the lowest trained layer). */
typedef enum
{
  GS_BACK_SIGNAL,
  GS_BACK_ACT_IN,
  GS_BACK_DACT,
  GS_BACK_DZ,
  GS_BACK_WT,
  GS_N_BACK_SUMS
} GsBackSum;

typedef struct _GsNet
{
  GsConfig config;
  int      n_in, n_classes, depth, width;
  int      n_layers; /* depth + 1 Linear layers */
  int      batch_cap;
  int      skip_from[GS_MAX_DEPTH]; /* -1 = none */

  size_t       n_params;
  gs_real     *params;             /* (n_params) */
  gs_real     *grads;              /* (n_params) */
  GsLayerView *layers;             /* (n_layers) */
  gs_real     *run_mean, *run_var; /* (depth, width) batch norm running stats */

  /* activations for a batch of up to batch_cap samples */
  gs_real  *x;                      /* (B, n_in) the input batch */
  gs_real **z, **y, **a, **h;       /* (depth) pointers to (B, width); y[i] is
                                * z[i] without norm, h[i] is a[i] without a
                                * skip path into layer i */
  gs_real **norm_mean, **norm_rstd; /* (depth) pointers to (max(B, width)) */
  gs_real  *logits;                 /* (B, n_classes) */
  /* backward */
  gs_real **dh;           /* (depth) pointers to (B, width): dL/dh_i */
  gs_real  *dtmp, *dtmp2; /* (B, width) scratch */
  gs_real  *dlogits;      /* (B, n_classes) */
  gs_real  *wt;           /* the largest layer's W^T: the forward's scratch */
  gs_real  *mem;          /* the one allocation behind all of the above */

  /* probes, gathered during training-mode passes when probes is TRUE */
  gboolean probes;
  double  *act_stats; /* (depth, 3): sum a, sum a^2, saturated count */
  double  *signal_sq; /* (depth, GS_N_BACK_SUMS): see GsBackSum */

  /* when set and non-zero (read atomically, written from any thread),
   * init, forward and backward return at the next layer, their work left
   * half done: only for a pass whose result is to be thrown away */
  const gint *cancel;
} GsNet;

GsNet *gs_net_new (const GsConfig *config, int n_in, int n_classes, int batch_cap);
void   gs_net_free (GsNet *net);

void gs_net_init_layer (GsNet *net, int layer, GsRng *rng);
/* As gs_net_init_layer(), with another initialisation (a layer-wise
 * phase's fresh head is PyTorch's default, whatever the config says). */
void     gs_net_init_layer_with (GsNet *net, int layer, GsInit init, GsRng *rng);
void     gs_net_init (GsNet *net, GsRng *rng);
gboolean gs_net_cancelled (const GsNet *net);

/* A pass that goes through hidden layers 0..depth_used-1 and trains
 * lowest..depth_used-1 uses and trains the head as well. */
static inline gboolean
gs_net_layer_used (const GsNet *net, int layer, int depth_used)
{
  return layer == net->depth || layer < depth_used;
}

static inline gboolean
gs_net_layer_trained (const GsNet *net, int layer, int depth_used, int lowest)
{
  return layer == net->depth || (layer < depth_used && layer >= lowest);
}

/* Forward over net->x (B rows) through hidden layers 0..depth_used-1 and the
 * head. train selects batch statistics (and updates running ones). */
void gs_net_forward (GsNet *net, int B, int depth_used, gboolean train);
/* Loss of net->logits; fills net->dlogits. Returns the summed loss. */
double gs_net_loss (GsNet *net, const guint8 *labels, int B, int *correct);
/* Gradients of the layers lowest..depth_used-1 and the head (others are
 * left alone). Needs a training-mode forward of the same batch. */
void gs_net_backward (GsNet *net, int B, int depth_used, int lowest);

G_END_DECLS
