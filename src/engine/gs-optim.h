/* gs-optim.h: update rules over flat parameter segments (PyTorch semantics).
 *
 * State (momentum / first and second moments) lives in buffers as large as
 * the parameter buffer, so a segment of parameters has its state at the same
 * offset. */
#pragma once

#include "gs-ops.h"

G_BEGIN_DECLS

typedef struct
{
  GsConfig config;
  size_t   n;
  gs_real *m; /* (n) momentum buffer / first moment / rmsprop square avg */
  gs_real *v; /* (n) second moment (adam, adamw) */
  int      t; /* steps taken since the last reset */
} GsOptim;

GsOptim *gs_optim_new (const GsConfig *config, size_t n_params);
void     gs_optim_free (GsOptim *o);
void     gs_optim_reset (GsOptim *o);
void     gs_optim_begin_step (GsOptim *o);
/* Sums gathered in the same pass as the update, for the probes. */
typedef struct
{
  double grad_sq;  /* sum g^2 (the raw gradient, before weight decay) */
  double grad_abs; /* sum |g| */
  double w_sq;     /* sum w^2 before the update */
  double w_new_sq; /* sum w^2 after */
  double upd_sq;   /* sum (w_new - w)^2 */
} GsUpdateSums;

/* Updates params[offset, offset + n) from grads at the same offsets. */
void gs_optim_update (
    GsOptim *o, gs_real *params, const gs_real *grads, size_t offset, size_t n, GsUpdateSums *sums);

G_END_DECLS
