/* gs-optim.c */
#define G_LOG_DOMAIN "gs-optim"

#include "gs-optim.h"
#include "gs-omp.h"
#include "gs-simd.h"

#include <math.h>
#include <string.h>

#define CHUNK 4096

GsOptim *
gs_optim_new (const GsConfig *config, size_t n_params)
{
  GsOptim *o = g_new0 (GsOptim, 1);

  o->config = *config;
  o->n = n_params;
  if (config->optimizer != GS_OPTIM_SGD)
    o->m = g_new0 (gs_real, n_params);
  if (config->optimizer == GS_OPTIM_ADAM || config->optimizer == GS_OPTIM_ADAMW)
    o->v = g_new0 (gs_real, n_params);
  return o;
}

void
gs_optim_free (GsOptim *o)
{
  if (o == NULL)
    return;
  g_free (o->m);
  g_free (o->v);
  g_free (o);
}

void
gs_optim_reset (GsOptim *o)
{
  if (o->m)
    memset (o->m, 0, o->n * sizeof (gs_real));
  if (o->v)
    memset (o->v, 0, o->n * sizeof (gs_real));
  o->t = 0;
}

void
gs_optim_begin_step (GsOptim *o)
{
  o->t++;
}

#define LANES 8
#ifdef GS_REAL_DOUBLE
#define SQRT sqrt
#else
#define SQRT sqrtf
#endif

/* The update of value j: d = the step to add to w[j]. */
#define STEP_SGD d = -lr * gi;
#define STEP_MOMENTUM    \
  m[j] = mu * m[j] + gi; \
  d = -lr * m[j];
#define STEP_NESTEROV    \
  m[j] = mu * m[j] + gi; \
  d = -lr * (gi + mu * m[j]);
/* The square-root rules in gs_real, in PyTorch's order (addcdiv: the
 * quotient first, then the step size), so that they vectorise. */
#define STEP_RMSPROP                 \
  m[j] = al * m[j] + omal * gi * gi; \
  d = -lr * (gi / (SQRT (m[j]) + eps));
#define STEP_ADAM                    \
  m[j] = b1 * m[j] + omb1 * gi;      \
  v[j] = b2 * v[j] + omb2 * gi * gi; \
  d = -step * (m[j] / (SQRT (v[j]) / bc2 + eps));
#define STEP_ADAMW STEP_ADAM d -= lr * wd * w[j];

/* LANES values in one vector: the probe sums accumulate lane by lane, in
 * registers (GCC's own vectoriser kept them in memory, one lane at a
 * time). The generic vectors do the same IEEE operations per lane on
 * every target. */
typedef gs_real VReal __attribute__ ((vector_size (LANES * sizeof (gs_real))));

#ifdef GS_REAL_DOUBLE
typedef gint64 VBits __attribute__ ((vector_size (LANES * sizeof (gs_real))));
#define ABS_MASK G_GINT64_CONSTANT (0x7fffffffffffffff)
#else
typedef gint32 VBits __attribute__ ((vector_size (LANES * sizeof (gs_real))));
#define ABS_MASK 0x7fffffff
#endif
#define VLOAD(v, p)  memcpy (&(v), (p), sizeof (v))
#define VSTORE(p, v) memcpy ((p), &(v), sizeof (v))
#define VABS(x)      ((VReal) ((VBits) (x) &ABS_MASK))

/* The same rules on LANES values at once (vd from vgi; m and v at i): the
 * same operations in the same order as the scalar rules, lane by lane. */
#define VSTEP_SGD vd = -lr * vgi;
#define VSTEP_MOMENTUM \
  VReal vm;            \
  VLOAD (vm, m + i);   \
  vm = mu * vm + vgi;  \
  VSTORE (m + i, vm);  \
  vd = -lr * vm;
#define VSTEP_NESTEROV \
  VReal vm;            \
  VLOAD (vm, m + i);   \
  vm = mu * vm + vgi;  \
  VSTORE (m + i, vm);  \
  vd = -lr * (vgi + mu * vm);
#define VSQRT(out, x)             \
  for (int l = 0; l < LANES; l++) \
    (out)[l] = SQRT ((x)[l]);
#define VSTEP_RMSPROP              \
  VReal vm, vs;                    \
  VLOAD (vm, m + i);               \
  vm = al * vm + omal * vgi * vgi; \
  VSTORE (m + i, vm);              \
  VSQRT (vs, vm);                  \
  vd = -lr * (vgi / (vs + eps));
#define VSTEP_ADAM                        \
  VReal vm, vv, vs;                       \
  VLOAD (vm, m + i), VLOAD (vv, v + i);   \
  vm = b1 * vm + omb1 * vgi;              \
  vv = b2 * vv + omb2 * vgi * vgi;        \
  VSTORE (m + i, vm), VSTORE (v + i, vv); \
  VSQRT (vs, vv);                         \
  vd = -step * (vm / (vs / bc2 + eps));
#define VSTEP_ADAMW VSTEP_ADAM vd -= lr * wd * vw0;

/* The scale of g's squares in a chunk: 1, unless its largest |g| is below
 * 2^-40; then the power of two that brings it to [0.5, 1). The squares of
 * a 50-layer sigmoid net's lower layers' gradients (1e-20 and far less)
 * underflow in float (below 1e-19 with subnormals flushed, gs-fpmode.h),
 * and their norms were recorded as 0, "no gradient". Scaled by a power of
 * two, every square and partial sum is the same float times scale^2: the
 * same bits as unscaled, without the underflow. */
GS_SPAN static gs_real
square_scale (const gs_real *g, size_t n)
{
#ifdef GS_REAL_DOUBLE
  (void) g, (void) n;
  return 1; /* no underflow in double */
#else
  guint32 top = 0; /* the largest |g|'s bits: they order as the values do */
  float   m;
  int     e;

  for (size_t i = 0; i < n; i++)
    {
      guint32 b;
      memcpy (&b, g + i, sizeof b);
      top = MAX (top, b & 0x7fffffffu);
    }
  memcpy (&m, &top, sizeof m);
  if (!(m < 0x1p-40f) || m == 0) /* NaN, infinities and zeros too */
    return 1;
  frexpf (m, &e);
  return ldexpf (1, -e);
#endif
}

/* One loop per rule; the five probe sums in LANES accumulators (a fixed
 * order; the tail adds to lane 0), g's squares times scale^2. coupled:
 * weight decay added to g. */
#define UPDATE_LOOP(RULE, coupled)                                                       \
  for (; i + LANES <= n; i += LANES)                                                     \
    {                                                                                    \
      VReal vg, vw0, vgi, vd, vw1;                                                       \
      VLOAD (vg, g + i), VLOAD (vw0, w + i);                                             \
      vgi = coupled ? vg + wd * vw0 : vg;                                                \
      VSTEP_##RULE vw1 = vw0 + vd;                                                       \
      VSTORE (w + i, vw1);                                                               \
      acc[0] += (vg * vscale) * (vg * vscale), acc[1] += VABS (vg), acc[2] += vw0 * vw0; \
      acc[3] += vw1 * vw1, acc[4] += vd * vd;                                            \
    }                                                                                    \
  for (; i < n; i++)                                                                     \
    {                                                                                    \
      const size_t j = i;                                                                \
      gs_real      g0 = g[j], gi = coupled ? g0 + wd * w[j] : g0, d, w0 = w[j];          \
      STEP_##RULE  w[j] = w0 + d;                                                        \
      acc[0][0] += (g0 * scale) * (g0 * scale), acc[1][0] += fabs (g0);                  \
      acc[2][0] += w0 * w0;                                                              \
      acc[3][0] += w[j] * w[j], acc[4][0] += d * d;                                      \
    }

GS_SPAN static void
update_chunk (
    const GsOptim *o, gs_real *w, const gs_real *g, gs_real *m, gs_real *v, size_t n, GsUpdateSums *s)
{
  const GsConfig *c = &o->config;
  const gs_real   lr = (gs_real) c->lr, wd = (gs_real) c->weight_decay;
  const gs_real   mu = (gs_real) c->momentum, eps = (gs_real) c->eps;
  /* 1 - beta in double: (1 - (float) 0.999) is off by 1.3e-5 */
  const gs_real al = (gs_real) c->alpha, omal = (gs_real) (1 - c->alpha);
  const gs_real b1 = (gs_real) c->beta1, omb1 = (gs_real) (1 - c->beta1);
  const gs_real b2 = (gs_real) c->beta2, omb2 = (gs_real) (1 - c->beta2);
  const gs_real step = (gs_real) (c->lr / (1 - pow (c->beta1, o->t)));
  const gs_real bc2 = (gs_real) sqrt (1 - pow (c->beta2, o->t));
  const gs_real scale = square_scale (g, n);
  const VReal   vscale = (VReal){ 0 } + scale;
  VReal         acc[5] = { { 0 } };
  double        sum[5] = { 0 };
  size_t        i = 0;

  switch (c->optimizer)
    {
    case GS_OPTIM_MOMENTUM:
      UPDATE_LOOP (MOMENTUM, TRUE) break;
    case GS_OPTIM_NESTEROV:
      UPDATE_LOOP (NESTEROV, TRUE) break;
    case GS_OPTIM_RMSPROP:
      UPDATE_LOOP (RMSPROP, TRUE) break;
    case GS_OPTIM_ADAM:
      UPDATE_LOOP (ADAM, TRUE) break;
    case GS_OPTIM_ADAMW:
      UPDATE_LOOP (ADAMW, FALSE) break;
    case GS_OPTIM_SGD:
    case GS_N_OPTIMIZERS:
    default:
      if (wd != 0)
        {
          UPDATE_LOOP (SGD, TRUE)
        }
      else
        {
          UPDATE_LOOP (SGD, FALSE)
        }
      break;
    }
  for (int k = 0; k < 5; k++)
    for (int l = 0; l < LANES; l++)
      sum[k] += acc[k][l];
  *s = (GsUpdateSums){ sum[0] / ((double) scale * scale), sum[1], sum[2], sum[3], sum[4] };
}

void
gs_optim_update (
    GsOptim *o, gs_real *params, const gs_real *grads, size_t offset, size_t n, GsUpdateSums *sums)
{
  const size_t  n_chunks = (n + CHUNK - 1) / CHUNK;
  GsUpdateSums  partial[256];
  GsUpdateSums *p = n_chunks <= 256 ? partial : g_new (GsUpdateSums, n_chunks);

  GS_PARALLEL (
      n >= GS_PAR_MIN, "omp parallel for schedule(static)", for (size_t c = 0; c < n_chunks; c++) {
        size_t off = offset + c * CHUNK;
        update_chunk (o, params + off, grads + off, o->m ? o->m + off : NULL, o->v ? o->v + off : NULL,
                      MIN (CHUNK, offset + n - off), &p[c]);
      });
  *sums = (GsUpdateSums){ 0 };
  for (size_t c = 0; c < n_chunks; c++)
    {
      sums->grad_sq += p[c].grad_sq;
      sums->grad_abs += p[c].grad_abs;
      sums->w_sq += p[c].w_sq;
      sums->w_new_sq += p[c].w_new_sq;
      sums->upd_sq += p[c].upd_sq;
    }
  if (p != partial)
    g_free (p);
}
