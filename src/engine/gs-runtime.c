/* gs-runtime.c */
#define G_LOG_DOMAIN "gs-runtime"

#include "gs-runtime.h"

#include <unistd.h>

void
gs_runtime_prefer_passive_omp (char **argv, guint spin_count)
{
  if (g_getenv ("OMP_WAIT_POLICY") != NULL)
    return;
  g_setenv ("OMP_WAIT_POLICY", "passive", TRUE);
  if (spin_count > 0 && g_getenv ("GOMP_SPINCOUNT") == NULL)
    {
      char count[32];
      g_snprintf (count, sizeof count, "%u", spin_count);
      g_setenv ("GOMP_SPINCOUNT", count, TRUE);
    }
  execv ("/proc/self/exe", argv);
}
