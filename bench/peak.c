/* peak.c: this machine's single-precision FMA peak, measured: independent
 * chains of vector FMAs on every thread of an OpenMP team (one thread in a
 * build without OpenMP), the best of 512- and 256-bit vectors. bench-train
 * and bench-gemm print their GFLOP/s over it. */
#include <immintrin.h>
#include <math.h>
#include <time.h>

#include "peak.h"

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Independent FMA chains: latency x pipes, with room, and no more than the
 * vector registers hold beside the two operands (16 ymm without AVX-512:
 * 16 chains there spill to the stack and halve the rate on AVX2 cores). */
#define PEAK_ACC     16
#define PEAK_ACC_256 12

/* GFLOP/s of one thread's FMA chains over n iterations, as 512- or 256-bit
 * vectors (a core may run either at its peak; the faster one counts). */
__attribute__ ((target ("avx512f"))) static double
fma_chains_512 (long n)
{
  __m512 acc[PEAK_ACC], a = _mm512_set1_ps (0.999999f), b = _mm512_set1_ps (1e-7f);
  double t = now ();
  float  sink[16] = { 0 };

  for (int i = 0; i < PEAK_ACC; i++)
    acc[i] = _mm512_set1_ps ((float) i);
  for (long k = 0; k < n; k++)
#pragma GCC unroll 16 /* the chains in registers, not in acc[] */
    for (int i = 0; i < PEAK_ACC; i++)
      acc[i] = _mm512_fmadd_ps (acc[i], a, b);
  t = now () - t;
  for (int i = 1; i < PEAK_ACC; i++)
    acc[0] = _mm512_add_ps (acc[0], acc[i]);
  _mm512_storeu_ps (sink, acc[0]);
  return sink[0] == 12345.f ? 0 : 2.0 * 16 * PEAK_ACC * n / t * 1e-9; /* sink: keep the loop */
}

__attribute__ ((target ("avx2,fma"))) static double
fma_chains_256 (long n)
{
  __m256 acc[PEAK_ACC_256], a = _mm256_set1_ps (0.999999f), b = _mm256_set1_ps (1e-7f);
  double t = now ();
  float  sink[8] = { 0 };

  for (int i = 0; i < PEAK_ACC_256; i++)
    acc[i] = _mm256_set1_ps ((float) i);
  for (long k = 0; k < n; k++)
#pragma GCC unroll 16 /* the chains in registers, not in acc[] */
    for (int i = 0; i < PEAK_ACC_256; i++)
      acc[i] = _mm256_fmadd_ps (acc[i], a, b);
  t = now () - t;
  for (int i = 1; i < PEAK_ACC_256; i++)
    acc[0] = _mm256_add_ps (acc[0], acc[i]);
  _mm256_storeu_ps (sink, acc[0]);
  return sink[0] == 12345.f ? 0 : 2.0 * 8 * PEAK_ACC_256 * n / t * 1e-9;
}

/* The FMA peak of all OMP_NUM_THREADS threads at once: each thread's best
 * of 5 runs of about 50 ms, summed. */
double
bench_fma_peak (void)
{
  const int has512 = __builtin_cpu_supports ("avx512f"), has256 = __builtin_cpu_supports ("fma");
  double    total = 0;

#ifdef _OPENMP /* bench-gemm: one thread, no OpenMP */
#pragma omp parallel reduction(+ : total)
#endif
  {
    double best = 0;
    for (int r = 0; r < 5; r++)
      {
        if (has512)
          best = fmax (best, fma_chains_512 (4000000 / 2));
        if (has256)
          best = fmax (best, fma_chains_256 (4000000));
      }
    total += best;
  }
  return total;
}
