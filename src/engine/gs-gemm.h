/* gs-gemm.h: the engine's one GEMM. Row-major, C (M, N) = alpha op(A)
 * op(B) + beta C, computed in fixed tiles of C, each tile by one thread:
 * the same bits whatever the number of threads. The library behind it is
 * chosen at build time (meson -Dgemm: libxsmm, OpenBLAS or oneDNN); gs_gemm_library()
 * names it. */
#pragma once

#include <glib.h>
#include "gs-ops.h"

G_BEGIN_DECLS

void gs_gemm (gboolean       ta,
              gboolean       tb,
              int            M,
              int            N,
              int            K,
              gs_real        alpha,
              const gs_real *A,
              int            lda,
              const gs_real *B,
              int            ldb,
              gs_real        beta,
              gs_real       *C,
              int            ldc);

/* C (M, N) = A B as one tile: whole, on the calling thread (a thread's
 * block of a larger product, in a parallel loop: gs_linear_act_forward). */
void
gs_gemm_tile (int M, int N, int K, const gs_real *A, int lda, const gs_real *B, int ldb, gs_real *C, int ldc);

const char *gs_gemm_library (void);

/* The seconds the calling thread has spent in gs_gemm since it turned
 * timing on (bench-train: the GEMMs' share of a training step). Off, the
 * default, it costs a test per call. */
void   gs_gemm_set_timing (gboolean on);
double gs_gemm_seconds (void);

G_END_DECLS
