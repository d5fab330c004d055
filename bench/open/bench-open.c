/* bench-open.c: how long opening a 100-epoch run file takes.
 *
 *   bench-open [RUN_FILE ...]
 *
 * Without arguments it first writes a run shaped like a real 100-epoch run
 * of the seed network (8 Linear layers, batch 512 on Fashion-MNIST: 10 600
 * steps, 4 histogram checkpoints per epoch plus one, every probe filled
 * with noise that compresses no better than real data) into a temporary
 * folder. For each file it measures, median of 7 after one warm-up:
 *
 *   load   gs_runfile_load(): gunzip, parse, base64, checks
 *   draw   the dashboard figure at 1270 x 700 px, what the window draws
 *          right after opening it
 *
 * and fails (exit 1) when load + draw is 1 s or more.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gs-plot.h"
#include "gs-record.h"
#include "gs-runfile.h"

#define N_LAYERS        8
#define STEPS_PER_EPOCH 106
#define N_EPOCHS        100
#define HIST_PER_EPOCH  4
#define REPEATS         7
#define BUDGET_S        1.0

static GsRecord *
make_100_epoch_record (void)
{
  GsConfig  config;
  GsRecord *rec;
  GRand    *rand = g_rand_new_with_seed (100);
  float     probes[N_LAYERS * GS_N_PROBES];
  GsHist    hists[N_LAYERS * GS_N_HIST_KINDS];
  float     values[2048];
  guint     step = 0;

  gs_config_init_defaults (&config);
  gs_config_load_preset (&config, "baseline", NULL);
  rec = gs_record_new (&config, N_LAYERS, STEPS_PER_EPOCH, "Fashion-MNIST (synthetic run)");
  for (int e = 1; e <= N_EPOCHS; e++)
    {
      GsEpochStats stats = { e, 0, 0, 0, 0, 0, 0, 1.5, STEPS_PER_EPOCH * 512 };

      for (int s = 0; s < STEPS_PER_EPOCH; s++)
        {
          step++;
          for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
            probes[i]
                = (float) (exp (-(double) (i / GS_N_PROBES) * 2) * g_rand_double_range (rand, 0.5, 1.5));
          gs_record_append_step (rec, probes, (float) (2.3 * exp (-step / 4000.0)),
                                 (float) g_rand_double (rand));
          if (step == 1 || s % (STEPS_PER_EPOCH / HIST_PER_EPOCH) == 0)
            {
              for (guint h = 0; h < G_N_ELEMENTS (hists); h++)
                {
                  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
                    values[i] = (float) (g_rand_double_range (rand, -1, 1) * g_rand_double (rand));
                  gs_hist_build (&hists[h], values, G_N_ELEMENTS (values), TRUE);
                }
              gs_record_add_checkpoint (rec, step, hists);
            }
        }
      stats.last_step = step;
      stats.train_loss = stats.val_loss = 2.3 * exp (-step / 4000.0);
      stats.train_acc = stats.val_acc = 1 - exp (-step / 3000.0) * 0.9;
      gs_record_add_epoch (rec, &stats);
    }
  gs_record_set_test (rec, 0.5, 0.85);
  gs_record_set_finished (rec, FALSE, 150);
  g_rand_free (rand);
  return rec;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return v[n / 2];
}

/* Returns load + draw, median, in seconds. */
static double
bench_file (const char *path)
{
  double      load_s[REPEATS], draw_s[REPEATS];
  GStatBuf    st;
  GsRecord   *rec = NULL;
  GsPlotStyle style;
  double      load, draw;

  gs_plot_style_init (&style, FALSE, FALSE);
  for (int r = -1; r < REPEATS; r++)
    {
      g_autoptr (GError) error = NULL;
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1270, 700);
      cairo_t         *cr = cairo_create (surface);
      gint64           t0 = g_get_monotonic_time (), t1, t2;

      g_clear_pointer (&rec, gs_record_unref);
      rec = gs_runfile_load (path, &error);
      if (rec == NULL)
        {
          fprintf (stderr, "bench-open: %s\n", error->message);
          exit (1);
        }
      t1 = g_get_monotonic_time ();
      gs_plot_render (GS_FIGURE_DASHBOARD, &rec, 1, cr, 1270, 700, &style);
      cairo_surface_flush (surface);
      t2 = g_get_monotonic_time ();
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      if (r >= 0)
        {
          load_s[r] = (t1 - t0) / 1e6;
          draw_s[r] = (t2 - t1) / 1e6;
        }
    }
  load = median (load_s, REPEATS);
  draw = median (draw_s, REPEATS);
  printf ("%-40s %7.1f MB  %5u steps  %4u epochs  load %6.0f ms  draw %5.0f ms  total %6.0f ms\n", path,
          g_stat (path, &st) == 0 ? st.st_size / 1e6 : 0.0, gs_record_n_steps (rec), gs_record_n_epochs (rec),
          1e3 * load, 1e3 * draw, 1e3 * (load + draw));
  gs_record_unref (rec);
  return load + draw;
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  double           worst = 0;

  if (argc < 2)
    {
      g_autoptr (GsRecord) rec = make_100_epoch_record ();
      g_autoptr (GError) error = NULL;

      dir = g_dir_make_tmp ("bench-open-XXXXXX", NULL);
      path = g_build_filename (dir, "synthetic-100-epochs.json.gz", NULL);
      if (!gs_runfile_save (rec, path, &error))
        {
          fprintf (stderr, "bench-open: %s\n", error->message);
          return 1;
        }
      worst = bench_file (path);
      g_remove (path);
      g_rmdir (dir);
    }
  for (int i = 1; i < argc; i++)
    {
      double seconds = bench_file (argv[i]);
      worst = MAX (worst, seconds);
    }

  printf ("bench-open: slowest open %.0f ms (budget %.0f ms): %s\n", 1e3 * worst, 1e3 * BUDGET_S,
          worst < BUDGET_S ? "ok" : "TOO SLOW");
  return worst < BUDGET_S ? 0 : 1;
}
