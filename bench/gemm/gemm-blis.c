/* gemm-blis.c: the bench's backend for BLIS's typed API (general strides,
 * no CBLAS layer in between), one thread. */
#include <blis.h>

#include "bench-gemm.h"

const char BENCH_LIB[] = "blis";

int
bench_prepare (BenchCall *calls, int n)
{
  (void) calls;
  (void) n;
  bli_thread_set_num_threads (1);
  return 1;
}

void
bench_run (const BenchCall *c, int index)
{
  float one = 1, beta = c->beta;
  /* row-major: row stride = leading dimension, column stride 1 */
  inc_t rsa = c->ta ? c->M : c->K, rsb = c->tb ? c->K : c->N;
  (void) index;
  bli_sgemm (c->ta ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, c->tb ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, c->M,
             c->N, c->K, &one, c->A, rsa, 1, c->B, rsb, 1, &beta, c->C, c->N, 1);
}
