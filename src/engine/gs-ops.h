/* gs-ops.h: layer kernels, forward and backward side by side (llm.c style).
 *
 * Arguments: outputs first, then inputs, then sizes. Matrices are row-major;
 * a batch is (B, n) with one sample per row. Backward functions accumulate
 * parameter gradients only where they say so.
 *
 * The numeric type is gs_real: float in the engine, double in the build the
 * gradient checks use (GS_REAL_DOUBLE), so those checks can be tight.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include "gs-config.h"

G_BEGIN_DECLS

#ifdef GS_REAL_DOUBLE
typedef double gs_real;
#else
typedef float gs_real;
#endif

/* Work below this many elements stays on one thread: a parallel region
 * costs more than it saves (measured in bench/). */
#define GS_PAR_MIN 32768

/* Deterministic reductions: fixed chunks, fixed combination order, the same
 * result for any thread count. */
double   gs_sum (const gs_real *x, size_t n);
double   gs_sumsq (const gs_real *x, size_t n);
double   gs_sumabs (const gs_real *x, size_t n);
double   gs_dot (const gs_real *x, const gs_real *y, size_t n);
gboolean gs_all_finite (const gs_real *x, size_t n);

/* dst (cols, rows) = src (rows, cols) transposed. */
void gs_transpose (gs_real *dst, const gs_real *src, int rows, int cols);

/* Linear: out (B, n_out) = in (B, n_in) W^T + b; W is (n_out, n_in); wt
 * is scratch for W^T (n_in x n_out values): the GEMM multiplies by W^T made
 * beforehand, which every library here runs faster than by W transposed
 * in place (bench/RESULTS.md). With b NULL the bias is left out. */
void gs_linear_forward (gs_real       *out,
                        const gs_real *in,
                        const gs_real *w,
                        const gs_real *b,
                        gs_real       *wt,
                        int            B,
                        int            n_in,
                        int            n_out);
/* dw (n_out, n_in) = dout^T in; db (n_out) = column sums of dout (both
 * overwritten, skipped when NULL); din (B, n_in) = dout W (overwritten when
 * din_beta == 0, added to when 1; skipped when NULL). */
void gs_linear_backward (gs_real       *din,
                         gs_real       *dw,
                         gs_real       *db,
                         const gs_real *dout,
                         const gs_real *in,
                         const gs_real *w,
                         int            B,
                         int            n_in,
                         int            n_out,
                         gs_real        din_beta);

/* Activations, elementwise over n values. backward: dy = f'(y) * da, from
 * the input y and the output a.
 *
 * Probes ride along chunk by chunk while the data is in L1: stats (may be
 * NULL) receives the sum and sum of squares of a and the count of values
 * where f'(y) <= 5% of f's largest derivative (saturated); sumsq (may be
 * NULL) the sums of squares of da and of dy = f'(y) da. */
void gs_act_forward (gs_real *a, const gs_real *y, size_t n, GsActivation f, double stats[3]);
void gs_act_backward (gs_real       *dy,
                      const gs_real *da,
                      const gs_real *y,
                      const gs_real *a,
                      size_t         n,
                      GsActivation   f,
                      double         sumsq[2]);
void gs_act_stats_finish (const double stats[3], size_t n, double *mean, double *std, double *saturated);
/* A Linear layer and its activation: z (B, n) = in (B, n_in) W^T + b, a =
 * f(z) (a NULL: none, gs_linear_forward), block by block of rows on the
 * team, so that each block's output is read while still in cache (the
 * GEMM's epilogue). wt as gs_linear_forward's; stats as gs_act_forward's
 * (summed in chunks of whole rows: the same bits on any thread count). */
void gs_linear_act_forward (gs_real       *z,
                            gs_real       *a,
                            const gs_real *in,
                            const gs_real *w,
                            const gs_real *b,
                            gs_real       *wt,
                            int            B,
                            int            n_in,
                            int            n,
                            GsActivation   f,
                            double         stats[3]);

/* BatchNorm1d (train mode): per column over the batch. mean, rstd (n).
 * Running statistics use momentum 0.1 and the unbiased variance (PyTorch). */
#define GS_NORM_EPS 1e-5
void gs_batchnorm_forward (gs_real       *y,
                           gs_real       *mean,
                           gs_real       *rstd,
                           gs_real       *run_mean,
                           gs_real       *run_var,
                           const gs_real *x,
                           const gs_real *gamma,
                           const gs_real *beta,
                           int            B,
                           int            n);
void gs_batchnorm_forward_eval (gs_real       *y,
                                const gs_real *x,
                                const gs_real *run_mean,
                                const gs_real *run_var,
                                const gs_real *gamma,
                                const gs_real *beta,
                                int            B,
                                int            n);
/* dx overwritten; dgamma, dbeta (n) overwritten. */
void gs_batchnorm_backward (gs_real       *dx,
                            gs_real       *dgamma,
                            gs_real       *dbeta,
                            const gs_real *dy,
                            const gs_real *x,
                            const gs_real *mean,
                            const gs_real *rstd,
                            const gs_real *gamma,
                            int            B,
                            int            n);

/* Batch standardisation without parameters (notebook B's BatchNorm1d,
 * created inside forward so never registered or switched to eval): the
 * training-mode batchnorm with gamma 1 and beta 0, no running statistics,
 * in evaluation too. The batchnorm functions above do this when gamma,
 * beta (and dgamma, dbeta, run_mean, run_var) are NULL. */
void gs_batchstd_forward (gs_real *y, gs_real *mean, gs_real *rstd, const gs_real *x, int B, int n);
void gs_batchstd_backward (
    gs_real *dx, const gs_real *dy, const gs_real *x, const gs_real *mean, const gs_real *rstd, int B, int n);

/* LayerNorm over each row's n features; mean, rstd (B). */
void gs_layernorm_forward (gs_real       *y,
                           gs_real       *mean,
                           gs_real       *rstd,
                           const gs_real *x,
                           const gs_real *gamma,
                           const gs_real *beta,
                           int            B,
                           int            n);
void gs_layernorm_backward (gs_real       *dx,
                            gs_real       *dgamma,
                            gs_real       *dbeta,
                            const gs_real *dy,
                            const gs_real *x,
                            const gs_real *mean,
                            const gs_real *rstd,
                            const gs_real *gamma,
                            int            B,
                            int            n);

/* The seed's "custom norm": y = (x - mean(x)) / std(x) over the whole
 * tensor of n values, unbiased std (torch.std), no epsilon, no parameters.
 * stats[0] = mean, stats[1] = std. */
void gs_customnorm_forward (gs_real *y, gs_real stats[2], const gs_real *x, size_t n);
void
gs_customnorm_backward (gs_real *dx, const gs_real *dy, const gs_real *y, const gs_real stats[2], size_t n);

/* The seed's gradient normalisation, a backward-only rule (in place):
 * g -> (g - mean g) / (std g + 1e-6), population std over all n values. */
#define GS_GRADNORM_EPS 1e-6
void gs_gradnorm_signal (gs_real *g, size_t n);

/* Pixels: rows idx[0..B) of images (n_in bytes each) into x, each byte as
 * b / 255 (torchvision's ToTensor). */
void gs_gather_rows_to_unit (gs_real *x, const guint8 *images, const guint32 *idx, int B, int n_in);

/* Softmax cross-entropy, mean over the batch. dlogits (B, k) = (p - onehot) / B.
 * Returns the summed loss (not the mean); *correct counts argmax hits. */
double
gs_softmax_xent (gs_real *dlogits, const gs_real *logits, const guint8 *labels, int B, int k, int *correct);

G_END_DECLS
