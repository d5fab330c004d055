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

/* One chunk, with its probe sums. */
static void
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
  double gsq = 0, gabs = 0, wsq = 0, wnsq = 0, usq = 0;

  for (size_t i = 0; i < n; i++)
    {
      gs_real gi = g[i], d;
      gsq += (double) gi * gi;
      gabs += fabs (gi);
      wsq += (double) w[i] * w[i];
      if (c->optimizer != GS_OPTIM_ADAMW)
        gi += wd * w[i];
      switch (c->optimizer)
        {
        case GS_OPTIM_MOMENTUM:
          m[i] = mu * m[i] + gi;
          d = -lr * m[i];
          break;
        case GS_OPTIM_NESTEROV:
          m[i] = mu * m[i] + gi;
          d = -lr * (gi + mu * m[i]);
          break;
        case GS_OPTIM_RMSPROP:
          m[i] = al * m[i] + omal * gi * gi;
          d = -lr * gi / (sqrt (m[i]) + eps);
          break;
        case GS_OPTIM_ADAM:
        case GS_OPTIM_ADAMW:
          m[i] = b1 * m[i] + omb1 * gi;
          v[i] = b2 * v[i] + omb2 * gi * gi;
          d = -(lr / bc1) * m[i] / (sqrt (v[i]) / bc2 + eps);
          if (c->optimizer == GS_OPTIM_ADAMW)
            d -= lr * wd * w[i];
          break;
        case GS_OPTIM_SGD:
        case GS_N_OPTIMIZERS:
        default:
          d = -lr * gi;
          break;
        }
      w[i] += d;
      usq += (double) d * d;
      wnsq += (double) w[i] * w[i];
    }
  *s = (GsUpdateSums) { gsq, gabs, wsq, wnsq, usq };
}

void
gs_optim_update (GsOptim *o, gs_real *params, const gs_real *grads,
                 size_t offset, size_t n, GsUpdateSums *sums)
{
  const size_t n_chunks = (n + CHUNK - 1) / CHUNK;
  GsUpdateSums partial[64];
  GsUpdateSums *p = n_chunks <= 64 ? partial : g_new (GsUpdateSums, n_chunks);

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
