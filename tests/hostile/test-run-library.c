/* test-run-library.c: the saved-runs list sweeps the temporaries a killed
 * save leaves (NAME.gsrun.XXXXXX, which SIGKILL cannot clean up): one an
 * hour old is removed by the scan, a fresh one (a save under way) is kept,
 * neither is listed, and a file that only looks alike is not touched. */
#include <glib.h>
#include <glib/gstdio.h>
#include <utime.h>

#include "gs-run-library.h"

static char *
touch (const char *dir, const char *name, gint64 age_s)
{
  char          *path = g_build_filename (dir, name, NULL);
  gint64         t = g_get_real_time () / G_USEC_PER_SEC - age_s;
  struct utimbuf times = { t, t };

  g_assert_true (g_file_set_contents (path, "partial", -1, NULL));
  g_assert_cmpint (utime (path, &times), ==, 0);
  return path;
}

static void
test_sweep (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gs-library-XXXXXX", NULL);
  g_autofree char *stale = touch (dir, "20260101-000000-relu.gsrun.Ab12Cd", 2 * 3600);
  g_autofree char *fresh = touch (dir, "20260101-000001-relu.gsrun.Zz98Yy", 10);
  g_autofree char *other = touch (dir, "notes.txt.Ab12Cd", 2 * 3600);
  g_autoptr (GsRunLibrary) lib = gs_run_library_new (dir);
  g_autoptr (GPtrArray) entries = gs_run_library_scan (lib);

  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_unlink (fresh), g_unlink (other), g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile/run-library/sweep-temporaries", test_sweep);
  return g_test_run ();
}
