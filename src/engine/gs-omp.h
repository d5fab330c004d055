/* gs-omp.h: OpenMP's runtime calls, or their one-thread stand-ins when the
 * build has no OpenMP (-Dopenmp=disabled): the pragmas are then ignored and
 * everything runs on one thread, with the same results (every reduction has
 * a fixed order whatever the thread count).
 */
#pragma once

#include "config.h"

#ifdef GS_HAVE_OPENMP
#include <omp.h>
#else
#include <glib.h>

static inline int
omp_get_max_threads (void)
{
  return 1;
}
static inline int
omp_get_num_procs (void)
{
  return 1;
}
static inline void
omp_set_num_threads (int n)
{
  (void) n;
}
static inline int
omp_in_parallel (void)
{
  return 0;
}
static inline double
omp_get_wtime (void)
{
  return g_get_monotonic_time () / 1e6;
}
#endif

/* GS_PARALLEL (cond, "omp parallel for ...", for (...) body): the loop on
 * the team when cond holds and more than one thread is available, else
 * right here, outside any parallel region. libgomp allocates (and frees) a
 * team for every region that runs on one thread, an if (false) clause's
 * too, so a region taken on one thread would break a training step's "no
 * allocation" (tests/engine/test-alloc.c). The loop's body is the same in
 * both: the same bits (a static schedule splits iterations, not sums).
 * Inside a parallel region (nested) it runs here too. GS_PARALLEL_SIMD:
 * the same with "omp parallel for simd schedule(static)", and "omp simd"
 * here. */
static inline int
gs_parallel (int cond)
{
  return cond && omp_get_max_threads () > 1 && !omp_in_parallel (); /* nested: one thread */
}

#define GS_PARALLEL(cond, pragma, ...) \
  do                                   \
    {                                  \
      if (gs_parallel (cond))          \
        {                              \
          _Pragma (pragma) __VA_ARGS__ \
        }                              \
      else                             \
        {                              \
          __VA_ARGS__                  \
        }                              \
    }                                  \
  while (0)

#define GS_PARALLEL_SIMD(cond, ...)                                      \
  do                                                                     \
    {                                                                    \
      if (gs_parallel (cond))                                            \
        {                                                                \
          _Pragma ("omp parallel for simd schedule(static)") __VA_ARGS__ \
        }                                                                \
      else                                                               \
        {                                                                \
          _Pragma ("omp simd") __VA_ARGS__                               \
        }                                                                \
    }                                                                    \
  while (0)
