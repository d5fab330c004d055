/* test-hostile.c: the engine under hostile limits (issue 15).
 *
 * /hostile/memory-guard: in a child whose address space is capped at what it
 * uses plus 1 GB, the memory guard reports at most that much, refuses a
 * configuration that needs more (saying how much it needs and has) and
 * accepts a small one.
 * /hostile/dataset-one-copy: a data set whose images unpack to 300 MB loads
 * in a child capped at its use plus 420 MB: the payload is read into the
 * buffer training uses, never copied into a second one (which needs 600).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gs-dataset.h"
#include "gs-gzip.h"
#include "gs-trainer.h"

static guint64
vm_size (void)
{
  g_autofree char *statm = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  return g_ascii_strtoull (statm, NULL, 10) * (guint64) sysconf (_SC_PAGESIZE);
}

static void
cap_address_space (guint64 extra)
{
  struct rlimit rl = { vm_size () + extra, vm_size () + extra };

  g_assert_cmpint (setrlimit (RLIMIT_AS, &rl), ==, 0);
}

static void
test_memory_guard (void)
{
  if (g_test_subprocess ())
    {
      GsConfig big, small;
      gsize    need, have;
      g_autoptr (GError) error = NULL;

      cap_address_space ((guint64) 1 << 30);
      g_assert_cmpuint (gs_trainer_memory_available (), <=, (guint64) 1 << 30);
      g_assert_cmpuint (gs_trainer_memory_available (), >=, (guint64) 1 << 29);
      gs_config_init_defaults (&big);
      big.width = 4096, big.depth = 8, big.batch_size = 12288;
      g_assert_false (gs_trainer_memory_fits (&big, 784, 10, &need, &have));
      g_assert_cmpuint (have, <=, (guint64) 1 << 30);
      g_assert_false (gs_trainer_check_memory (&big, 784, 10, &error));
      g_assert_nonnull (strstr (error->message, "needs about 11.64 GB"));
      g_assert_nonnull (strstr (error->message, "but this process may have 1.0"));
      gs_config_init_defaults (&small);
      g_assert_true (gs_trainer_check_memory (&small, 784, 10, NULL));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
write_idx (const char *path, guint dims_n, const guint *dims, gsize payload, gboolean gz)
{
  gsize   head = 4 + 4 * dims_n;
  guint8 *buf = g_malloc0 (head + payload);

  buf[2] = 0x08, buf[3] = (guint8) dims_n;
  for (guint i = 0; i < dims_n; i++)
    for (int b = 0; b < 4; b++)
      buf[4 + 4 * i + b] = (guint8) (dims[i] >> (24 - 8 * b));
  if (gz)
    {
      g_autoptr (GBytes) z = gs_gzip_compress ((const char *) buf, head + payload);
      g_assert_true (g_file_set_contents (path, g_bytes_get_data (z, NULL), g_bytes_get_size (z), NULL));
    }
  else
    g_assert_true (g_file_set_contents (path, (const char *) buf, head + payload, NULL));
  g_free (buf);
}

static void
test_dataset_one_copy (void)
{
  static char *dir;
  const guint  n = 382653; /* 300 MB of 28x28 images */

  if (g_test_subprocess ())
    {
      g_autoptr (GError) error = NULL;
      cap_address_space ((guint64) 420 << 20);
      g_autoptr (GsDataset) ds = gs_dataset_load_dir (g_getenv ("GS_HOSTILE_DIR"), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ds->train.n, ==, n);
      return;
    }
  if (g_strcmp0 (g_getenv ("GS_SANITIZED"), "none") != 0 && g_getenv ("GS_SANITIZED"))
    {
      /* ASan maps terabytes of shadow memory: no RLIMIT_AS can be set under it */
      g_test_skip ("an address-space limit cannot be tested under AddressSanitizer");
      return;
    }
  dir = g_dir_make_tmp ("gs-hostile-XXXXXX", NULL);
  g_autofree char *ti = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);
  g_autofree char *tl = g_build_filename (dir, "train-labels-idx1-ubyte", NULL);
  g_autofree char *ei = g_build_filename (dir, "t10k-images-idx3-ubyte", NULL);
  g_autofree char *el = g_build_filename (dir, "t10k-labels-idx1-ubyte", NULL);
  write_idx (ti, 3, (guint[]){ n, 28, 28 }, (gsize) n * 784, TRUE);
  write_idx (tl, 1, (guint[]){ n }, n, FALSE);
  write_idx (ei, 3, (guint[]){ 10, 28, 28 }, 10 * 784, FALSE);
  write_idx (el, 1, (guint[]){ 10 }, 10, FALSE);
  g_setenv ("GS_HOSTILE_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unlink (ti), g_unlink (tl), g_unlink (ei), g_unlink (el), g_rmdir (dir);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile/memory-guard", test_memory_guard);
  g_test_add_func ("/hostile/dataset-one-copy", test_dataset_one_copy);
  return g_test_run ();
}
