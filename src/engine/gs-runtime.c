/* gs-runtime.c */
#include "gs-runtime.h"

#include <unistd.h>

void
gs_runtime_prefer_passive_omp (char **argv)
{
  if (g_getenv ("OMP_WAIT_POLICY") != NULL)
    return;
  g_setenv ("OMP_WAIT_POLICY", "passive", TRUE);
  execv ("/proc/self/exe", argv);
}
