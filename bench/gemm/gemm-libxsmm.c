/* gemm-libxsmm.c: the bench's backend for libxsmm's JIT kernels, one
 * kernel per call dispatched before timing. libxsmm is column-major: the
 * row-major C = op(A) op(B) is C^T = op(B)^T op(A)^T in its terms. */
#include <libxsmm.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-gemm.h"

const char BENCH_LIB[] = "libxsmm";

static libxsmm_smmfunction *kernels;

int
bench_prepare (BenchCall *calls, int n)
{
  libxsmm_init ();
  kernels = calloc (n, sizeof *kernels);
  for (int i = 0; i < n; i++)
    {
      BenchCall      *c = &calls[i];
      libxsmm_blasint lda = c->tb ? c->K : c->N, ldb = c->ta ? c->M : c->K, ldc = c->N;
      float           alpha = 1, beta = c->beta;
      int flags = (c->tb ? LIBXSMM_GEMM_FLAG_TRANS_A : 0) | (c->ta ? LIBXSMM_GEMM_FLAG_TRANS_B : 0);
      int prefetch = LIBXSMM_PREFETCH_NONE;
      kernels[i] = libxsmm_smmdispatch (c->N, c->M, c->K, &lda, &ldb, &ldc, &alpha, &beta, &flags, &prefetch);
      if (!kernels[i])
        {
          fprintf (stderr, "bench-gemm: libxsmm has no kernel for %dx%dx%d ta=%d tb=%d\n", c->M, c->N, c->K,
                   c->ta, c->tb);
          calls[i].skip = 1;
        }
    }
  return 1;
}

void
bench_run (const BenchCall *c, int index)
{
  kernels[index](c->B, c->A, c->C);
}
