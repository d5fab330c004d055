/* gs-early.h: a check that runs before any shared library starts. Include
 * it once, in the file that holds main ().
 *
 * OpenBLAS's constructor (gotoblas_init -> blas_thread_init ->
 * blas_memory_alloc) maps a 128 MB buffer for each of its threads and, when
 * mmap fails, retries for ever: under an address-space limit (ulimit -v)
 * that leaves less than that, the program hangs before main, where no code
 * of ours runs (docs/install.md has the measurements). An executable's
 * .preinit_array runs before every shared library's constructor, so here we
 * reserve, and at once release, what OpenBLAS is about to map; if the
 * limit refuses it, we say so and exit instead of hanging. libc is not
 * initialised yet: system calls and plain code only.
 */
#pragma once

#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What OpenBLAS maps per thread (BUFFER_SIZE, 128 MB, plus a guard), and
 * what its start-up needs beside: measured, docs/install.md. */
#define GS_EARLY_BLAS_BUFFER (((size_t) 128 << 20) + ((size_t) 64 << 10))
#define GS_EARLY_MARGIN      ((size_t) 16 << 20)

static void
gs_early_write (const char *s)
{
  size_t n = 0;

  while (s[n])
    n++;
  if (write (2, s, n) < 0)
    return;
}

static void
gs_early_write_mb (size_t bytes)
{
  char   buf[24];
  size_t v = bytes >> 20;
  int    i = sizeof buf - 1;

  buf[i] = '\0';
  do
    buf[--i] = (char) ('0' + v % 10);
  while ((v /= 10) > 0 && i > 0);
  gs_early_write (buf + i);
  gs_early_write (" MB");
}

/* The threads OpenBLAS (the OpenMP build) starts: OMP_NUM_THREADS, else
 * the CPUs this process may run on. */
static size_t
gs_early_threads (char **envp)
{
  unsigned char mask[128];
  long          got;
  size_t        n = 0;

  for (char **e = envp; e && *e; e++)
    {
      const char *p = *e, *k = "OMP_NUM_THREADS=";
      while (*k && *p == *k)
        p++, k++;
      if (*k == '\0')
        {
          while (*p >= '0' && *p <= '9' && n < 4096)
            n = n * 10 + (size_t) (*p++ - '0');
          if (n > 0)
            return n;
        }
    }
  /* the raw system call: glibc's wrapper needs _GNU_SOURCE before any header */
  got = syscall (SYS_sched_getaffinity, 0, sizeof mask, mask);
  for (long i = 0; i < got; i++)
    for (unsigned b = mask[i]; b; b &= b - 1)
      n++;
  return n > 0 ? n : 1;
}

static void
gs_early_check_address_space (int argc, char **argv, char **envp)
{
  struct rlimit rl;
  size_t        need;
  void         *p;

  (void) argc;
  if (getrlimit (RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
    return;
  need = gs_early_threads (envp) * GS_EARLY_BLAS_BUFFER + GS_EARLY_MARGIN;
  p = mmap (NULL, need, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p != MAP_FAILED)
    {
      munmap (p, need);
      return;
    }
  gs_early_write (argv && argv[0] ? argv[0] : "gradscope");
  gs_early_write (": the address-space limit (ulimit -v) of ");
  gs_early_write_mb ((size_t) rl.rlim_cur);
  gs_early_write (" is too small: OpenBLAS needs about ");
  gs_early_write_mb (need);
  gs_early_write (" more to start its threads, and would hang. Raise the limit, or set OMP_NUM_THREADS=1 "
                  "(128 MB less per thread).\n");
  _exit (1);
}

__attribute__ ((section (".preinit_array"),
                used)) static void (*const gs_early_preinit) (int, char **, char **)
    = gs_early_check_address_space;
