/* fuzz-common.c: an in-memory file for the loaders that take a path. */
#define _GNU_SOURCE
#include "fuzz-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int  mem_fd = -1;
static char mem_path[64];

static void
write_all (int fd, const guint8 *data, gsize size)
{
  while (size > 0)
    {
      ssize_t n = write (fd, data, size);
      if (n <= 0)
        gs_fuzz_fail ("write to the in-memory file", __FILE__, __LINE__);
      data += n;
      size -= (gsize) n;
    }
}

const char *
gs_fuzz_write_file (const guint8 *data, gsize size)
{
  if (mem_fd < 0)
    {
      mem_fd = memfd_create ("gs-fuzz", MFD_CLOEXEC);
      if (mem_fd < 0)
        gs_fuzz_fail ("memfd_create", __FILE__, __LINE__);
      g_snprintf (mem_path, sizeof mem_path, "/proc/self/fd/%d", mem_fd);
    }
  if (ftruncate (mem_fd, 0) != 0 || lseek (mem_fd, 0, SEEK_SET) != 0)
    gs_fuzz_fail ("reset the in-memory file", __FILE__, __LINE__);
  write_all (mem_fd, data, size);
  return mem_path;
}

void
gs_fuzz_fail (const char *what, const char *file, int line)
{
  fprintf (stderr, "%s:%d: check failed: %s\n", file, line, what);
  abort ();
}
