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
static inline double
omp_get_wtime (void)
{
  return g_get_monotonic_time () / 1e6;
}
#endif
