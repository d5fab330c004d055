/* bench-gemm.h: one GEMM of a training step, and what each library's
 * backend (gemm-LIB.c) provides. Row-major, C (M, N) = op(A) op(B) + beta C. */
#pragma once

typedef enum
{
  BENCH_FWD,
  BENCH_DW,
  BENCH_DX,
} BenchKind;

typedef struct
{
  BenchKind kind;
  int       ta, tb;
  int       M, N, K;
  float    *A, *B, *C;
  float     beta;
  int       skip; /* set by bench_prepare: the library has no kernel */
} BenchCall;

extern const char BENCH_LIB[];

/* Once before timing (JIT, primitive creation); FALSE on an error. Marks
 * the calls it has no kernel for (they are not timed). */
int  bench_prepare (BenchCall *calls, int n);
void bench_run (const BenchCall *c, int index);
