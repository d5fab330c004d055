/* fuzz-replay.c: runs a fuzz target over files instead of under libFuzzer.
 *
 * Usage: fuzz-replay-TARGET DIR_OR_FILE ...
 * Feeds every regular file (folders are read one level deep, sorted) to
 * LLVMFuzzerTestOneInput. A crash or failed check aborts the program, so
 * meson test reports the input that broke; missing folders are skipped,
 * but no input at all is an error (a lost corpus must not pass quietly).
 */
#include "fuzz-common.h"

#include <stdio.h>
#include <string.h>

/* libFuzzer's own mutator, for a target's custom one; never called here. */
size_t LLVMFuzzerMutate (uint8_t *data, size_t size, size_t max_size);
size_t
LLVMFuzzerMutate (uint8_t *data, size_t size, size_t max_size)
{
  (void) data, (void) max_size;
  return size;
}

static gboolean
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize            len;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      fprintf (stderr, "fuzz-replay: %s\n", error->message);
      return FALSE;
    }
  /* Print first, so the log names the input that crashes. */
  fprintf (stderr, "replay %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
  LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Adds the files of dir (or dir itself, a file) to paths. */
static void
collect (const char *arg, GPtrArray *paths)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (g_file_test (arg, G_FILE_TEST_IS_REGULAR))
    {
      g_ptr_array_add (paths, g_strdup (arg));
      return;
    }
  if (!g_file_test (arg, G_FILE_TEST_IS_DIR))
    return;
  dir = g_dir_open (arg, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (arg, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  guint ok = 0;

  for (int i = 1; i < argc; i++)
    collect (argv[i], paths);
  g_ptr_array_sort (paths, compare_names);
  for (guint i = 0; i < paths->len; i++)
    ok += replay_file (g_ptr_array_index (paths, i));
  printf ("%u of %u inputs replayed\n", ok, paths->len);
  return paths->len > 0 && ok == paths->len ? 0 : 1;
}
