/* test-killsave.c: kill -9 in the middle of gs_runfile_save() never damages
 * the file being replaced.
 *
 * A large run (8 Linear layers, 40 000 steps, 400 histogram checkpoints:
 * about 6 MB unpacked, saves take tens of milliseconds) is saved once as the
 * good file. Then, several times, a forked child saves the same run over it
 * in a loop and the parent kills it with SIGKILL after a random delay. After
 * each kill the file must still load and be byte for byte the good one. The
 * temporary files a killed save leaves behind are counted: they never take
 * the good file's name, and a folder's run list ignores them (they end in
 * ".gsrun.XXXXXX"). Every other kill waits until the
 * temporary appears, so some kills surely land while it is being written.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gs-record.h"
#include "gs-runfile.h"

#define N_LAYERS      8
#define N_STEPS       40000
#define N_CHECKPOINTS 400
#define N_KILLS       12
#define RUN_NAME      ("run" GS_RUNFILE_SUFFIX)

static GsRecord *
make_large_record (void)
{
  GsConfig  config;
  GsRecord *rec;
  GRand    *rand = g_rand_new_with_seed (7);
  float     probes[N_LAYERS * GS_N_PROBES];
  GsHist    hists[N_LAYERS * GS_N_HIST_KINDS];
  float     values[512];

  gs_config_init_defaults (&config);
  g_assert_true (gs_config_load_preset (&config, "baseline", NULL));
  rec = gs_record_new (&config, N_LAYERS, 100, "synthetic for test-killsave");
  for (guint s = 1; s <= N_STEPS; s++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
        probes[i] = (float) g_rand_double (rand);
      gs_record_append_step (rec, probes, (float) (2.3 / sqrt (s)), (float) g_rand_double (rand));
      if (s % (N_STEPS / N_CHECKPOINTS) == 0)
        {
          for (guint h = 0; h < G_N_ELEMENTS (hists); h++)
            {
              for (guint i = 0; i < G_N_ELEMENTS (values); i++)
                values[i] = (float) g_rand_double_range (rand, -1, 1);
              gs_hist_build (&hists[h], values, G_N_ELEMENTS (values), TRUE);
            }
          gs_record_add_checkpoint (rec, s, hists);
        }
      if (s % 100 == 0)
        {
          GsEpochStats e = { (int) (s / 100), 0, s, 0.5, 0.8, 0.6, 0.75, 1.0, 51200 };
          gs_record_add_epoch (rec, &e);
        }
    }
  gs_record_set_test (rec, 0.55, 0.81);
  gs_record_set_finished (rec, FALSE, 123.0);
  g_rand_free (rand);
  return rec;
}

static guint
count_temporaries (const char *dir, const char *base)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint       n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_str_equal (name, base))
      {
        /* Only g_file_set_contents' temporaries: NAME.XXXXXX */
        g_assert_true (g_str_has_prefix (name, base));
        g_assert_false (gs_runfile_is_run_name (name));
        n++;
      }
  return n;
}

static void
test_kill_during_save (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gs-killsave-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, RUN_NAME, NULL);
  g_autoptr (GsRecord) rec = make_large_record ();
  g_autoptr (GError) error = NULL;
  g_autofree char *good = NULL;
  gsize            good_len;
  gint64           t0;
  double           save_ms;
  GRand           *rand = g_rand_new_with_seed (20261123);
  guint            mid_save = 0;

  t0 = g_get_monotonic_time ();
  g_assert_true (gs_runfile_save (rec, path, &error));
  g_assert_no_error (error);
  save_ms = (g_get_monotonic_time () - t0) / 1e3;
  g_assert_true (g_file_get_contents (path, &good, &good_len, NULL));
  g_test_message ("good file: %" G_GSIZE_FORMAT " bytes, one save %.0f ms", good_len, save_ms);

  for (int k = 0; k < N_KILLS; k++)
    {
      /* Anywhere in the first few saves: before, inside and between. */
      guint delay_us = g_rand_int_range (rand, 1000, (gint32) (3 * save_ms * 1000) + 2000);
      g_autoptr (GsRecord) loaded = NULL;
      g_autofree char *now = NULL;
      gsize            now_len;
      int              status;
      pid_t            pid = fork ();

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          for (;;)
            if (!gs_runfile_save (rec, path, NULL))
              _exit (2);
        }
      if (k % 2 == 0)
        g_usleep (delay_us);
      else
        {
          /* Wait for the temporary to appear: kill while it is written. */
          gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
          guint  before = count_temporaries (dir, RUN_NAME);
          while (count_temporaries (dir, RUN_NAME) == before && g_get_monotonic_time () < end)
            g_usleep (100);
          delay_us = 0;
        }
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

      loaded = gs_runfile_load (path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      g_assert_cmpuint (gs_record_n_steps (loaded), ==, N_STEPS);
      g_assert_cmpuint (gs_record_n_checkpoints (loaded), ==, N_CHECKPOINTS);
      g_assert_cmpfloat (gs_record_test_accuracy (loaded), ==, gs_record_test_accuracy (rec));
      g_assert_true (g_file_get_contents (path, &now, &now_len, NULL));
      g_assert_cmpuint (now_len, ==, good_len);
      g_assert_true (memcmp (now, good, good_len) == 0);
      if (count_temporaries (dir, RUN_NAME) > mid_save)
        mid_save++;
      if (delay_us > 0)
        g_test_message ("kill %d after %.1f ms: file intact", k + 1, delay_us / 1e3);
      else
        g_test_message ("kill %d while the temporary was written: file intact", k + 1);
    }
  /* The test is only worth something if kills landed inside a save. */
  g_test_message ("%u of %d kills left a temporary behind (killed mid-save)", mid_save, N_KILLS);
  g_assert_cmpuint (mid_save, >=, 1);

  {
    g_autoptr (GPtrArray) runs = gs_runfile_list_dir (dir, NULL);
    g_assert_cmpuint (runs->len, ==, 1);
  }
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_remove (p);
      }
  }
  g_rmdir (dir);
  g_rand_free (rand);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runfile/kill-during-save", test_kill_during_save);
  return g_test_run ();
}
