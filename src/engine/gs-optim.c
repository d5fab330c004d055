/* gs-optim.c */
#include "gs-optim.h"

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

#if defined(__x86_64__) && !defined(GS_REAL_DOUBLE)
#define GS_SPAN __attribute__ ((target_clones ("avx2", "default")))
#else
#define GS_SPAN
#endif
#define LANES 8

/* The update of one value: d = the step to add to w. */
#define STEP_SGD      d = -lr * gi;
#define STEP_MOMENTUM m[i] = mu * m[i] + gi; d = -lr * m[i];
#define STEP_NESTEROV m[i] = mu * m[i] + gi; d = -lr * (gi + mu * m[i]);
#define STEP_RMSPROP  m[i] = al * m[i] + omal * gi * gi; d = -lr * gi / (sqrt (m[i]) + eps);
#define STEP_ADAM     m[i] = b1 * m[i] + omb1 * gi; v[i] = b2 * v[i] + omb2 * gi * gi; \
                      d = -(lr / bc1) * m[i] / (sqrt (v[i]) / bc2 + eps);
#define STEP_ADAMW    STEP_ADAM d -= lr * wd * w[i];

/* One loop per rule so each vectorises; sums in LANES float accumulators
 * (fixed order) for the probes. coupled: weight decay added to g. */
#define UPDATE_LOOP(STEP, coupled)                                          \
  while (i + LANES <= n)                                                    \
    for (int l = 0; l < LANES; l++, i++)                                    \
      {                                                                     \
        gs_real g0 = g[i], gi = coupled ? g0 + wd * w[i] : g0, d, w0 = w[i]; \
        STEP                                                                \
        w[i] = w0 + d;                                                      \
        acc[0][l] += g0 * g0, acc[1][l] += fabs (g0), acc[2][l] += w0 * w0; \
        acc[3][l] += w[i] * w[i], acc[4][l] += d * d;                       \
      }                                                                     \
  for (; i < n; i++)                                                        \
    {                                                                       \
      gs_real g0 = g[i], gi = coupled ? g0 + wd * w[i] : g0, d, w0 = w[i];  \
      STEP                                                                  \
      w[i] = w0 + d;                                                        \
      acc[0][0] += g0 * g0, acc[1][0] += fabs (g0), acc[2][0] += w0 * w0;   \
      acc[3][0] += w[i] * w[i], acc[4][0] += d * d;                         \
    }

GS_SPAN static void
update_chunk (const GsOptim *o, gs_real *w, const gs_real *g, gs_real *m,
              gs_real *v, size_t n, GsUpdateSums *s)
{
  const GsConfig *c = &o->config;
  const gs_real lr = (gs_real) c->lr, wd = (gs_real) c->weight_decay;
  const gs_real mu = (gs_real) c->momentum, eps = (gs_real) c->eps;
  /* 1 - beta in double: (1 - (float) 0.999) is off by 1.3e-5 */
  const gs_real al = (gs_real) c->alpha, omal = (gs_real) (1 - c->alpha);
  const gs_real b1 = (gs_real) c->beta1, omb1 = (gs_real) (1 - c->beta1);
  const gs_real b2 = (gs_real) c->beta2, omb2 = (gs_real) (1 - c->beta2);
  const gs_real bc1 = (gs_real) (1 - pow (c->beta1, o->t));
  const gs_real bc2 = (gs_real) sqrt (1 - pow (c->beta2, o->t));
  float acc[5][LANES] = { { 0 } };
  double sum[5] = { 0 };
  size_t i = 0;

  switch (c->optimizer)
    {
    case GS_OPTIM_MOMENTUM: UPDATE_LOOP (STEP_MOMENTUM, TRUE) break;
    case GS_OPTIM_NESTEROV: UPDATE_LOOP (STEP_NESTEROV, TRUE) break;
    case GS_OPTIM_RMSPROP: UPDATE_LOOP (STEP_RMSPROP, TRUE) break;
    case GS_OPTIM_ADAM: UPDATE_LOOP (STEP_ADAM, TRUE) break;
    case GS_OPTIM_ADAMW: UPDATE_LOOP (STEP_ADAMW, FALSE) break;
    case GS_OPTIM_SGD:
    case GS_N_OPTIMIZERS:
    default:
      if (wd != 0)
        { UPDATE_LOOP (STEP_SGD, TRUE) }
      else
        { UPDATE_LOOP (STEP_SGD, FALSE) }
      break;
    }
  for (int k = 0; k < 5; k++)
    for (int l = 0; l < LANES; l++)
      sum[k] += acc[k][l];
  *s = (GsUpdateSums) { sum[0], sum[1], sum[2], sum[3], sum[4] };
}

void
gs_optim_update (GsOptim *o, gs_real *params, const gs_real *grads,
                 size_t offset, size_t n, GsUpdateSums *sums)
{
  const size_t n_chunks = (n + CHUNK - 1) / CHUNK;
  GsUpdateSums partial[256];
  GsUpdateSums *p = n_chunks <= 256 ? partial : g_new (GsUpdateSums, n_chunks);

#pragma omp parallel for schedule(static) if (n >= GS_PAR_MIN)
  for (size_t c = 0; c < n_chunks; c++)
    {
      size_t off = offset + c * CHUNK;
      update_chunk (o, params + off, grads + off,
                    o->m ? o->m + off : NULL, o->v ? o->v + off : NULL,
                    MIN (CHUNK, offset + n - off), &p[c]);
    }
  *sums = (GsUpdateSums) { 0 };
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
