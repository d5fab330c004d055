/* gemm-cblas.c: the bench's backend for any CBLAS (OpenBLAS; BLIS's
 * CBLAS layer), one thread. */
#include <cblas.h>

#include "bench-gemm.h"

const char BENCH_LIB[] = BENCH_LIB_NAME;

int
bench_prepare (BenchCall *calls, int n)
{
  (void) calls;
  (void) n;
  return 1;
}

void
bench_run (const BenchCall *c, int index)
{
  int lda = c->ta ? c->M : c->K, ldb = c->tb ? c->K : c->N;
  (void) index;
  cblas_sgemm (CblasRowMajor, c->ta ? CblasTrans : CblasNoTrans, c->tb ? CblasTrans : CblasNoTrans, c->M,
               c->N, c->K, 1, c->A, lda, c->B, ldb, c->beta, c->C, c->N);
}
