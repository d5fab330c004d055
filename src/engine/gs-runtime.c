/* gs-runtime.c */
#define G_LOG_DOMAIN "gs-runtime"

#include "gs-runtime.h"

#include <cblas.h>
#include <unistd.h>

/* OMP_WAIT_POLICY (gs-runtime.h); TRUE if it set anything */
static gboolean
prefer_passive_omp (guint spin_count)
{
  if (g_getenv ("OMP_WAIT_POLICY") != NULL)
    return FALSE;
  g_setenv ("OMP_WAIT_POLICY", "passive", TRUE);
  if (spin_count > 0 && g_getenv ("GOMP_SPINCOUNT") == NULL)
    {
      char count[32];
      g_snprintf (count, sizeof count, "%u", spin_count);
      g_setenv ("GOMP_SPINCOUNT", count, TRUE);
    }
  return TRUE;
}

/* OPENBLAS_CORETYPE (gs-runtime.h); TRUE if it set it */
static gboolean
fix_openblas_core (void)
{
#if defined(__x86_64__)
  static const char *const pre_avx2[]
      = { "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Sandybridge" };
  const char *core = openblas_get_corename ();
  gboolean    stale = FALSE;

  if (g_getenv ("OPENBLAS_CORETYPE") != NULL || core == NULL || !__builtin_cpu_supports ("avx2")
      || !__builtin_cpu_supports ("fma"))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (pre_avx2); i++)
    stale = stale || g_ascii_strcasecmp (core, pre_avx2[i]) == 0;
  if (!stale)
    return FALSE;
  g_setenv ("OPENBLAS_CORETYPE",
            __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
                    && __builtin_cpu_supports ("avx512vl") && __builtin_cpu_supports ("avx512dq")
                ? "SkylakeX"
                : "Haswell",
            TRUE);
  return TRUE;
#else
  return FALSE;
#endif
}

void
gs_runtime_prepare (char **argv, guint spin_count)
{
  const gboolean omp = prefer_passive_omp (spin_count);

  if (fix_openblas_core () | omp)
    execv ("/proc/self/exe", argv);
}
