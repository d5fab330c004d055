/* fuzz-common.h: what the fuzz targets share.
 *
 * The same target source builds two ways: with clang's libFuzzer
 * (bench/fuzz.sh), and with gcc as a plain program, fuzz-replay.c, that
 * feeds it every file of the seed corpus and of past crashes (meson test).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Puts data into an in-memory file and returns a path to it
 * ("/proc/self/fd/N"), valid until the next call: the loaders take paths. */
const char *gs_fuzz_write_file (const guint8 *data, gsize size);

/* Stops the program (a finding) when cond is false; unlike g_assert it is
 * never compiled out. */
#define GS_FUZZ_CHECK(cond)                       \
  do                                              \
    {                                             \
      if (!(cond))                                \
        gs_fuzz_fail (#cond, __FILE__, __LINE__); \
    }                                             \
  while (0)
G_NORETURN void gs_fuzz_fail (const char *what, const char *file, int line);
