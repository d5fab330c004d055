/* gs-net.c: building, initialising, forward and backward of the MLP. */
#define G_LOG_DOMAIN "gs-net"

#include "gs-net.h"

#include <math.h>
#include "gs-omp.h"
#include <string.h>

static gboolean
has_affine_norm (const GsConfig *c)
{
  return c->norm == GS_NORM_BATCH || c->norm == GS_NORM_LAYER;
}

static void
set_skips (GsNet *net)
{
  const GsConfig *c = &net->config;

  for (int i = 0; i < GS_MAX_DEPTH; i++)
    net->skip_from[i] = -1;
  if (c->skip == GS_SKIP_SEED)
    {
      net->skip_from[2] = 0; /* h3 += h1 */
      net->skip_from[6] = 3; /* h7 += h4 */
    }
  else if (c->skip == GS_SKIP_EVERY)
    for (int i = c->skip_every; i < net->depth; i += c->skip_every)
      net->skip_from[i] = i - c->skip_every;
}

static void
layout_params (GsNet *net)
{
  size_t off = 0;

  for (int l = 0; l < net->n_layers; l++)
    {
      GsLayerView *v = &net->layers[l];
      gboolean     hidden = l < net->depth;
      v->n_in = l == 0 ? net->n_in : net->width;
      v->n_out = hidden ? net->width : net->n_classes;
      v->offset = off;
      v->n_weights = (size_t) v->n_in * v->n_out;
      v->count = v->n_weights + v->n_out + (hidden && has_affine_norm (&net->config) ? 2 * v->n_out : 0);
      off += v->count;
    }
  net->n_params = off;
  net->params = g_new0 (gs_real, net->n_params);
  net->grads = g_new0 (gs_real, net->n_params);
  for (int l = 0; l < net->n_layers; l++)
    {
      GsLayerView *v = &net->layers[l];
      gboolean     norm = l < net->depth && has_affine_norm (&net->config);
      v->w = net->params + v->offset;
      v->b = v->w + v->n_weights;
      v->gamma = norm ? v->b + v->n_out : NULL;
      v->beta = norm ? v->gamma + v->n_out : NULL;
      v->gw = net->grads + v->offset;
      v->gb = v->gw + v->n_weights;
      v->ggamma = norm ? v->gb + v->n_out : NULL;
      v->gbeta = norm ? v->ggamma + v->n_out : NULL;
    }
}

/* Carves the activation buffers out of one allocation. */
static void
layout_activations (GsNet *net)
{
  const size_t   bw = (size_t) net->batch_cap * net->width;
  const size_t   stat = MAX ((size_t) net->batch_cap, (size_t) net->width);
  const gboolean norm = net->config.norm != GS_NORM_NONE;
  const gboolean skip = net->config.skip != GS_SKIP_NONE;
  const int      d = net->depth;
  size_t         wt = 0, total = (size_t) net->batch_cap * net->n_in + (size_t) d * bw * (2 + norm + skip + 1)
                         + 2 * (size_t) d * stat + 2 * bw + 2 * (size_t) net->batch_cap * net->n_classes;
  gs_real *p;

  for (int l = 0; l < net->n_layers; l++)
    wt = MAX (wt, net->layers[l].n_weights);
  total += wt;
  net->mem = p = g_new0 (gs_real, total);
  net->z = g_new (gs_real *, d);
  net->y = g_new (gs_real *, d);
  net->a = g_new (gs_real *, d);
  net->h = g_new (gs_real *, d);
  net->dh = g_new (gs_real *, d);
  net->norm_mean = g_new (gs_real *, d);
  net->norm_rstd = g_new (gs_real *, d);
  net->x = p, p += (size_t) net->batch_cap * net->n_in;
  for (int i = 0; i < d; i++)
    {
      net->z[i] = p, p += bw;
      net->y[i] = norm ? (p += bw) - bw : net->z[i];
      net->a[i] = p, p += bw;
      net->h[i] = skip ? (p += bw) - bw : net->a[i];
      net->dh[i] = p, p += bw;
      net->norm_mean[i] = p, p += stat;
      net->norm_rstd[i] = p, p += stat;
    }
  /* layers with no skip path into them pass a through unchanged */
  for (int i = 0; i < d; i++)
    if (net->skip_from[i] < 0)
      net->h[i] = net->a[i];
  net->dtmp = p, p += bw;
  net->dtmp2 = p, p += bw;
  net->logits = p, p += (size_t) net->batch_cap * net->n_classes;
  net->dlogits = p, p += (size_t) net->batch_cap * net->n_classes;
  net->wt = p, p += wt;
  g_assert ((size_t) (p - net->mem) <= total);
}

GsNet *
gs_net_new (const GsConfig *config, int n_in, int n_classes, int batch_cap)
{
  GsNet *net = g_new0 (GsNet, 1);

  net->config = *config;
  net->n_in = n_in;
  net->n_classes = n_classes;
  net->depth = config->depth;
  net->width = config->width;
  net->n_layers = config->depth + 1;
  net->batch_cap = batch_cap;
  net->layers = g_new0 (GsLayerView, net->n_layers);
  set_skips (net);
  layout_params (net);
  layout_activations (net);
  net->act_stats = g_new0 (double, (size_t) net->depth * 3 + 1);
  net->signal_sq = g_new0 (double, ((size_t) net->depth + 1) * GS_N_BACK_SUMS);
  net->run_mean = g_new0 (gs_real, (size_t) net->depth * net->width);
  net->run_var = g_new0 (gs_real, (size_t) net->depth * net->width);
  return net;
}

void
gs_net_free (GsNet *net)
{
  if (net == NULL)
    return;
  g_free (net->params);
  g_free (net->grads);
  g_free (net->layers);
  g_free (net->mem);
  g_free (net->z);
  g_free (net->y);
  g_free (net->a);
  g_free (net->h);
  g_free (net->dh);
  g_free (net->norm_mean);
  g_free (net->norm_rstd);
  g_free (net->run_mean);
  g_free (net->run_var);
  g_free (net->act_stats);
  g_free (net->signal_sq);
  g_free (net);
}

static void
fill_uniform (gs_real *x, size_t n, double bound, GsRng *rng)
{
  for (size_t i = 0; i < n; i++)
    x[i] = (gs_real) ((2 * gs_rng_uniform (rng) - 1) * bound);
}

static void
fill_normal (gs_real *x, size_t n, double std, GsRng *rng)
{
  for (size_t i = 0; i < n; i++)
    x[i] = (gs_real) (gs_rng_normal (rng) * std);
}

/* LAPACK (OpenBLAS ships it): Householder QR of a tall column-major matrix. */
#ifdef GS_REAL_DOUBLE
#define GEQRF dgeqrf_
#define ORGQR dorgqr_
#else
#define GEQRF sgeqrf_
#define ORGQR sorgqr_
#endif
extern void GEQRF (const int *m,
                   const int *n,
                   gs_real   *a,
                   const int *lda,
                   gs_real   *tau,
                   gs_real   *work,
                   const int *lwork,
                   int       *info);
extern void ORGQR (const int     *m,
                   const int     *n,
                   const int     *k,
                   gs_real       *a,
                   const int     *lda,
                   const gs_real *tau,
                   gs_real       *work,
                   const int     *lwork,
                   int           *info);

/* Orthonormal rows (n_out <= n_in) or columns (n_out > n_in): Q of the QR
 * of a Gaussian matrix, columns signed by R's diagonal (as torch.nn.init.
 * orthogonal_). LAPACK runs on one thread here: its threaded kernels would
 * give different bits for different thread counts. */
static void
fill_orthogonal (gs_real *w, int n_out, int n_in, GsRng *rng)
{
  const int m = MAX (n_out, n_in), n = MIN (n_out, n_in);
  const int saved_threads = omp_get_max_threads ();
  gs_real  *a = g_new (gs_real, (size_t) m * n), *tau = g_new (gs_real, n);
  gs_real  *sign = g_new (gs_real, n), query;
  int       lwork = -1, info = 0;
  gs_real  *work;

  for (size_t i = 0; i < (size_t) m * n; i++)
    a[i] = (gs_real) gs_rng_normal (rng);
  omp_set_num_threads (1);
  GEQRF (&m, &n, a, &m, tau, &query, &lwork, &info);
  lwork = MAX ((int) query, n);
  work = g_new (gs_real, lwork);
  GEQRF (&m, &n, a, &m, tau, work, &lwork, &info);
  for (int j = 0; j < n; j++)
    sign[j] = a[j + (size_t) j * m] < 0 ? -1 : 1;
  ORGQR (&m, &n, &n, a, &m, tau, work, &lwork, &info);
  omp_set_num_threads (saved_threads);
  g_assert (info == 0); /* only bad arguments fail, and these are ours */
  for (int j = 0; j < n; j++)
    for (int i = 0; i < m; i++)
      a[i + (size_t) j * m] *= sign[j];
  /* column j of Q is row j of W (n_out <= n_in) or column j of W */
  if (n_out <= n_in)
    memcpy (w, a, sizeof (gs_real) * m * n);
  else
    for (int j = 0; j < n; j++)
      for (int i = 0; i < m; i++)
        w[(size_t) i * n_in + j] = a[i + (size_t) j * m];
  g_free (a), g_free (tau), g_free (sign), g_free (work);
}

void
gs_net_init_layer (GsNet *net, int l, GsRng *rng)
{
  gs_net_init_layer_with (net, l, net->config.init, rng);
}

void
gs_net_init_layer_with (GsNet *net, int l, GsInit init, GsRng *rng)
{
  GsLayerView    *v = &net->layers[l];
  const double    fan_in = v->n_in, fan_out = v->n_out;
  const GsConfig *c = &net->config;

  memset (v->b, 0, v->n_out * sizeof (gs_real));
  switch (init)
    {
    case GS_INIT_DEFAULT:
      fill_uniform (v->w, v->n_weights, 1 / sqrt (fan_in), rng);
      fill_uniform (v->b, v->n_out, 1 / sqrt (fan_in), rng);
      break;
    case GS_INIT_NORMAL:
      fill_normal (v->w, v->n_weights, c->init_std, rng);
      break;
    case GS_INIT_XAVIER_UNIFORM:
      fill_uniform (v->w, v->n_weights, sqrt (6 / (fan_in + fan_out)), rng);
      break;
    case GS_INIT_XAVIER_NORMAL:
      fill_normal (v->w, v->n_weights, sqrt (2 / (fan_in + fan_out)), rng);
      break;
    case GS_INIT_HE_UNIFORM:
      fill_uniform (v->w, v->n_weights, sqrt (6 / fan_in), rng);
      break;
    case GS_INIT_HE_NORMAL:
      fill_normal (v->w, v->n_weights, sqrt (2 / fan_in), rng);
      break;
    case GS_INIT_LECUN:
      fill_normal (v->w, v->n_weights, sqrt (1 / fan_in), rng);
      break;
    case GS_INIT_ORTHOGONAL:
    case GS_N_INITS:
    default:
      fill_orthogonal (v->w, v->n_out, v->n_in, rng);
      break;
    }
  if (v->gamma)
    for (int j = 0; j < v->n_out; j++)
      v->gamma[j] = 1, v->beta[j] = 0;
  if (l < net->depth)
    for (int j = 0; j < net->width; j++)
      {
        net->run_mean[(size_t) l * net->width + j] = 0;
        net->run_var[(size_t) l * net->width + j] = 1;
      }
}

gboolean
gs_net_cancelled (const GsNet *net)
{
  return net->cancel != NULL && g_atomic_int_get (net->cancel) != 0;
}

void
gs_net_init (GsNet *net, GsRng *rng)
{
  for (int l = 0; l < net->n_layers && !gs_net_cancelled (net); l++)
    gs_net_init_layer (net, l, rng);
}

static void
norm_forward (GsNet *net, int i, int B, gboolean train)
{
  const GsLayerView *v = &net->layers[i];
  const int          W = net->width;
  gs_real           *rm = net->run_mean + (size_t) i * W, *rv = net->run_var + (size_t) i * W;

  switch (net->config.norm)
    {
    case GS_NORM_BATCH:
      if (train)
        gs_batchnorm_forward (net->y[i], net->norm_mean[i], net->norm_rstd[i], rm, rv, net->z[i], v->gamma,
                              v->beta, B, W);
      else
        gs_batchnorm_forward_eval (net->y[i], net->z[i], rm, rv, v->gamma, v->beta, B, W);
      break;
    case GS_NORM_LAYER:
      gs_layernorm_forward (net->y[i], net->norm_mean[i], net->norm_rstd[i], net->z[i], v->gamma, v->beta, B,
                            W);
      break;
    case GS_NORM_CUSTOM:
      gs_customnorm_forward (net->y[i], net->norm_mean[i], net->z[i], (size_t) B * W);
      break;
    case GS_NORM_BATCHSTD: /* batch statistics in evaluation too */
      gs_batchstd_forward (net->y[i], net->norm_mean[i], net->norm_rstd[i], net->z[i], B, W);
      break;
    case GS_NORM_NONE:
    case GS_N_NORMS:
    default:
      break;
    }
}

void
gs_net_forward (GsNet *net, int B, int depth_used, gboolean train)
{
  const gs_real     *in = net->x;
  const size_t       n = (size_t) B * net->width;
  const GsLayerView *head = &net->layers[net->depth];

  for (int i = 0; i < depth_used; i++)
    {
      if (gs_net_cancelled (net))
        return;
      const GsLayerView *v = &net->layers[i];
      double            *stats = train && net->probes ? net->act_stats + 3 * i : NULL;
      if (net->config.norm == GS_NORM_NONE)
        {
          gs_linear_act_forward (net->z[i], net->a[i], in, v->w, v->b, net->wt, B, v->n_in, v->n_out,
                                 net->config.activation, stats);
        }
      else
        {
          gs_linear_forward (net->z[i], in, v->w, v->b, net->wt, B, v->n_in, v->n_out);
          norm_forward (net, i, B, train);
          gs_act_forward (net->a[i], net->y[i], n, net->config.activation, stats);
        }
      if (net->skip_from[i] >= 0)
        {
          const gs_real *a = net->a[i], *s = net->h[net->skip_from[i]];
          gs_real       *h = net->h[i];
          GS_PARALLEL_SIMD (n >= GS_PAR_MIN, for (size_t k = 0; k < n; k++) h[k] = a[k] + s[k];);
        }
      in = net->h[i];
    }
  gs_linear_forward (net->logits, in, head->w, head->b, net->wt, B, depth_used > 0 ? net->width : net->n_in,
                     net->n_classes);
}

double
gs_net_loss (GsNet *net, const guint8 *labels, int B, int *correct)
{
  return gs_softmax_xent (net->dlogits, net->logits, labels, B, net->n_classes, correct);
}

/* dz_i from dy (the signal after the activation's derivative). */
static const gs_real *
norm_backward (GsNet *net, int i, int B, const gs_real *dy)
{
  const GsLayerView *v = &net->layers[i];
  const int          W = net->width;

  switch (net->config.norm)
    {
    case GS_NORM_BATCH:
      gs_batchnorm_backward (net->dtmp2, v->ggamma, v->gbeta, dy, net->z[i], net->norm_mean[i],
                             net->norm_rstd[i], v->gamma, B, W);
      return net->dtmp2;
    case GS_NORM_LAYER:
      gs_layernorm_backward (net->dtmp2, v->ggamma, v->gbeta, dy, net->z[i], net->norm_mean[i],
                             net->norm_rstd[i], v->gamma, B, W);
      return net->dtmp2;
    case GS_NORM_CUSTOM:
      gs_customnorm_backward (net->dtmp2, dy, net->y[i], net->norm_mean[i], (size_t) B * W);
      return net->dtmp2;
    case GS_NORM_BATCHSTD:
      gs_batchstd_backward (net->dtmp2, dy, net->z[i], net->norm_mean[i], net->norm_rstd[i], B, W);
      return net->dtmp2;
    case GS_NORM_NONE:
    case GS_N_NORMS:
    default:
      return dy;
    }
}

static void
add_into (gs_real *dst, const gs_real *src, size_t n, gboolean overwrite)
{
  if (overwrite)
    memcpy (dst, src, n * sizeof (gs_real));
  else
    GS_PARALLEL_SIMD (n >= GS_PAR_MIN, for (size_t k = 0; k < n; k++) dst[k] += src[k];);
}

/* dL/dh_{i-1} (+)= W_i^T dz. With probes, sq receives the sum of squares
 * of W_i^T dz alone: when skip paths have already added into dL/dh_{i-1}
 * it is computed in the scratch buffer dz does not use, then added;
 * otherwise it is all of dL/dh_{i-1}, whose sum layer i-1 takes anyway:
 * DEFER_WT says so until then. */
#define DEFER_WT (-1.0)

static void
linear_backward (GsNet *net, int i, int B, int lowest, const gs_real *dz, gboolean accumulate, double *sq)
{
  const GsLayerView *v = &net->layers[i];
  const size_t       n = (size_t) B * net->width;
  gs_real           *din = i - 1 >= lowest ? net->dh[i - 1] : NULL;
  gs_real           *out = din && sq && accumulate ? (dz == net->dtmp ? net->dtmp2 : net->dtmp) : din;

  gs_linear_backward (out, v->gw, v->gb, dz, i > 0 ? net->h[i - 1] : net->x, v->w, B, v->n_in, v->n_out,
                      accumulate && out == din ? 1 : 0);
  if (sq && din)
    *sq = out == din && !accumulate ? DEFER_WT : gs_sumsq (out, n);
  if (out != din)
    add_into (din, out, n, FALSE);
}

/* Layer i's backward from dL/dh_i to dL/dz_i; returns dz. */
static const gs_real *
block_backward (GsNet *net, int i, int B, double *sq)
{
  const size_t n = (size_t) B * net->width;
  gs_real     *da = net->dh[i];
  double       act_sq[2];

  if (net->config.gradnorm == GS_GRADNORM_SIGNAL)
    {
      if (sq)
        sq[GS_BACK_SIGNAL] = gs_sumsq (da, n);
      memcpy (net->dtmp, da, n * sizeof (gs_real));
      gs_gradnorm_signal (net->dtmp, n);
      da = net->dtmp;
    }
  gs_act_backward (net->dtmp, da, net->y[i], net->a[i], n, net->config.activation, sq ? act_sq : NULL);
  const gs_real *dz = norm_backward (net, i, B, net->dtmp);
  if (sq == NULL)
    return dz;
  if (net->config.gradnorm != GS_GRADNORM_SIGNAL)
    sq[GS_BACK_SIGNAL] = act_sq[0];
  sq[GS_BACK_ACT_IN] = act_sq[0];
  sq[GS_BACK_DACT] = act_sq[1];
  sq[GS_BACK_DZ] = dz == net->dtmp ? act_sq[1] : gs_sumsq (dz, n);
  sq[GS_BACK_WT] = NAN;
  return dz;
}

void
gs_net_backward (GsNet *net, int B, int depth_used, int lowest)
{
  const size_t       n = (size_t) B * net->width;
  const GsLayerView *head = &net->layers[net->depth];
  gboolean           filled[GS_MAX_DEPTH] = { FALSE }; /* dh[i] holds a contribution */
  const int          top = depth_used - 1;

  gs_linear_backward (top >= lowest ? net->dh[top] : NULL, head->gw, head->gb, net->dlogits,
                      top >= 0 ? net->h[top] : net->x, head->w, B, head->n_in, head->n_out, 0);
  if (top >= 0)
    filled[top] = TRUE;
  for (int i = top; i >= lowest; i--)
    {
      if (gs_net_cancelled (net))
        return;
      const int s = net->skip_from[i];
      double   *sq = net->probes ? net->signal_sq + (size_t) i * GS_N_BACK_SUMS : NULL;

      if (s >= lowest)
        {
          add_into (net->dh[s], net->dh[i], n, !filled[s]);
          filled[s] = TRUE;
        }
      const gs_real *dz = block_backward (net, i, B, sq);
      if (sq && i < top && sq[GS_N_BACK_SUMS + GS_BACK_WT] == DEFER_WT)
        sq[GS_N_BACK_SUMS + GS_BACK_WT] = sq[GS_BACK_SIGNAL];
      linear_backward (net, i, B, lowest, dz, i > 0 && filled[i - 1], sq ? sq + GS_BACK_WT : NULL);
      if (i > 0)
        filled[i - 1] = TRUE;
    }
}
