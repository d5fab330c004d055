/* gs-fpmode.c */
#include "gs-fpmode.h"

#include "gs-omp.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>

#define FLUSH_BITS 0x8040u /* MXCSR: FTZ (bit 15), DAZ (bit 6) */

static guint
get_mode (void)
{
  return _mm_getcsr () & FLUSH_BITS;
}

/* on every thread of the team, and on this one (one thread without OpenMP) */
static void
set_mode (guint mode)
{
#pragma omp parallel
  _mm_setcsr ((_mm_getcsr () & ~FLUSH_BITS) | mode);
}
#else
#define FLUSH_BITS 0u

static guint
get_mode (void)
{
  return 0;
}

static void
set_mode (guint mode)
{
  (void) mode;
}
#endif

guint
gs_fpmode_flush_subnormals (void)
{
  const guint old = get_mode ();

  g_return_val_if_fail (!omp_in_parallel (), old);
  set_mode (FLUSH_BITS);
  return old;
}

void
gs_fpmode_restore (guint mode)
{
  g_return_if_fail (!omp_in_parallel ());
  set_mode (mode);
}
