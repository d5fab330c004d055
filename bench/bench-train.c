/* bench-train.c: training throughput of Gradscope and the SGEMM bound.
 *
 *   bench-train --batch B --reps R [--width W] [--depth D] [--no-probes] [--data DIR]
 *               [--train-only] [--set OPTION=VALUE ...]
 *
 * Trains the baseline preset for R + 1 full epochs of Fashion-MNIST (54 000
 * samples; the first epoch is a warm-up) and prints one JSON line: median
 * samples/s over the timed epochs (training time only, evaluation excluded),
 * and the SGEMM bound: the time the engine's GEMM (gs_gemm: its library,
 * oneDNN or OpenBLAS as built, and its fixed tiles) takes for the same
 * GEMMs alone (forward, dW and dX of every Linear layer, one epoch's worth
 * of batches) on one set of buffers, so operands stay hotter than in
 * training. GFLOP/s count those GEMMs' flops; gemm_gflops_in_training is
 * samples/s times a sample's GEMM flops, gemm_share_of_step the part of the
 * training steps' time spent in gs_gemm (timed around each call, the
 * evaluation left out), gemm_gflops_inside_steps the GEMMs' own speed there. --width and --depth change
 * the preset's net; --set any other training option (gradscope-cli train's
 * names: activation=identity, say). The thread count is OMP_NUM_THREADS. It also measures
 * this machine's single-precision FMA peak on that many threads (the
 * issue's goals are fractions of it), and prints GEMM GFLOP/s in training
 * (samples/s times the GEMM flops of a sample) over that peak. */
#include <math.h>
#include "gs-omp.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-gemm.h"
#include "gs-runtime.h"
#include "gs-trainer.h"
#include "peak.h"

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Seconds for one epoch of the network's GEMMs, median of reps: the
 * engine's own gs_gemm (its library, its tiles) on one set of buffers. */
static double
gemm_epoch (int batch, int width, int depth, int reps, double *flops)
{
  const int n = 54000, n_layers = depth + 1;
  float    *x = calloc ((size_t) batch * MAX (784, width), 4),
        *y = calloc ((size_t) batch * MAX (784, width), 4);
  float *w = calloc ((size_t) MAX (784, width) * width, 4),
        *g = calloc ((size_t) MAX (784, width) * width, 4);
  double *times = calloc (reps, sizeof (double)), t_median;

  *flops = 0;
  for (int r = -1; r < reps; r++)
    {
      double t = omp_get_wtime ();
      for (int s = 0; s < n; s += batch)
        {
          int B = s + batch <= n ? batch : n - s;
          for (int l = 0; l < n_layers; l++)
            {
              int in = l ? width : 784, out = l < depth ? width : 10;
              gs_gemm (FALSE, TRUE, B, out, in, 1, x, in, w, in, 1, y, out);
              gs_gemm (TRUE, FALSE, out, in, B, 1, y, out, x, in, 0, g, in);
              if (l > 0)
                gs_gemm (FALSE, FALSE, B, in, out, 1, y, out, w, in, 0, x, in);
              if (r < 0)
                *flops += 2.0 * B * in * out * (l > 0 ? 3 : 2);
            }
        }
      if (r >= 0)
        times[r] = omp_get_wtime () - t;
    }
  t_median = median (times, reps);
  free (x), free (y), free (w), free (g), free (times);
  return t_median;
}

/* Training's GEMM seconds per epoch, evaluation left out: the gs_gemm
 * clock read after each epoch's last step and after its evaluation. */
typedef struct
{
  double at_step, at_epoch, train[64];
  int    epochs;
} GemmClock;

static void
on_event (GsTrainerEvent event, const GsProgress *p, gpointer data)
{
  GemmClock *g = data;

  if (event == GS_TRAINER_EVENT_STEP)
    g->at_step = gs_gemm_seconds ();
  else if (event == GS_TRAINER_EVENT_EPOCH && g->epochs < (int) G_N_ELEMENTS (g->train))
    {
      g->train[g->epochs++] = g->at_step - g->at_epoch;
      g->at_epoch = gs_gemm_seconds ();
    }
}

int
main (int argc, char **argv)
{
  int         batch = 512, reps = 3;
  gboolean    probes = TRUE, train_only = FALSE;
  const char *dir = "/usr/share/datasets/fashion-mnist";
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = NULL;
  g_autoptr (GsTrainer) t = NULL;
  GsConfig  c;
  GsRecord *rec;
  double   *sps, *gemm_share, gemm_s, flops, peak, in_training, share;
  GemmClock clock = { 0 };
  int       width = 128, depth = 7;

  gs_runtime_prepare (argv, 10000); /* as gradscope-cli runs (gs-runtime.h) */
  gs_config_load_preset (&c, "baseline", NULL);
  for (int i = 1; i < argc; i++)
    if (!strcmp (argv[i], "--set") && i + 1 < argc)
      {
        g_auto (GStrv) kv = g_strsplit (argv[++i], "=", 2);
        if (!kv[1] || !gs_config_set (&c, kv[0], kv[1], &error))
          {
            fprintf (stderr, "bench-train: --set %s: %s\n", argv[i],
                     error ? error->message : "needs NAME=VALUE");
            return 2;
          }
      }
    else if (!strcmp (argv[i], "--batch") && i + 1 < argc)
      batch = atoi (argv[++i]);
    else if (!strcmp (argv[i], "--reps") && i + 1 < argc)
      reps = atoi (argv[++i]);
    else if (!strcmp (argv[i], "--width") && i + 1 < argc)
      width = atoi (argv[++i]);
    else if (!strcmp (argv[i], "--depth") && i + 1 < argc)
      depth = atoi (argv[++i]);
    else if (!strcmp (argv[i], "--no-probes"))
      probes = FALSE;
    else if (!strcmp (argv[i], "--train-only")) /* for profiles: no bound, no peak */
      train_only = TRUE;
    else if (!strcmp (argv[i], "--data") && i + 1 < argc)
      dir = argv[++i];
    else
      {
        fprintf (stderr,
                 "bench-train: unknown option or missing value: %s (see the comment at the top of "
                 "bench/bench-train.c)\n",
                 argv[i]);
        return 2;
      }
  if (batch < 1 || reps < 1 || width < 1 || depth < 1)
    {
      fprintf (stderr, "bench-train: --batch, --reps, --width and --depth must be positive\n");
      return 2;
    }
  if ((data = gs_dataset_load_dir (dir, &error)) == NULL)
    {
      fprintf (stderr, "bench-train: %s\n", error->message);
      return 1;
    }
  c.batch_size = batch;
  c.width = width;
  c.depth = depth;
  c.epochs = reps + 1;
  if ((t = gs_trainer_new (&c, data, &error)) == NULL)
    {
      fprintf (stderr, "bench-train: %s\n", error->message);
      return 1;
    }
  gs_trainer_set_probes (t, probes);
  gs_trainer_set_callback (t, on_event, &clock);
  gs_gemm_set_timing (TRUE);
  gs_trainer_run (t, NULL);
  gs_gemm_set_timing (FALSE);
  rec = gs_trainer_get_record (t);
  sps = g_new (double, reps);
  gemm_share = g_new (double, reps);
  for (int e = 0; e < reps; e++)
    {
      const GsEpochStats *st = gs_record_epoch (rec, e + 1);
      sps[e] = st->samples / st->seconds;
      gemm_share[e] = e + 1 < clock.epochs ? clock.train[e + 1] / st->seconds : NAN;
    }
  share = median (gemm_share, reps);
  if (train_only)
    {
      printf ("{\"impl\": \"gradscope\", \"gemm\": \"%s\", \"batch\": %d, \"samples_per_s\": %.1f, "
              "\"gemm_share_of_step\": %.3f}\n",
              gs_gemm_library (), batch, median (sps, reps), share);
      g_free (sps), g_free (gemm_share);
      return 0;
    }
  gemm_s = gemm_epoch (batch, width, depth, reps, &flops);
  peak = bench_fma_peak ();
  in_training = median (sps, reps) * flops / 54000 * 1e-9;
  printf ("{\"impl\": \"gradscope\", \"gemm\": \"%s\", \"batch\": %d, \"width\": %d, \"depth\": %d, "
          "\"threads\": %d, \"probes\": %s, \"samples_per_s\": %.1f, \"gemm_gflops_in_training\": %.1f, "
          "\"gemm_share_of_step\": %.3f, \"gemm_gflops_inside_steps\": %.1f, "
          "\"sgemm_epoch_s\": %.4f, \"sgemm_samples_per_s\": %.1f, \"sgemm_gflops\": %.1f, "
          "\"fma_peak_gflops\": %.1f, \"of_peak\": %.3f}\n",
          gs_gemm_library (), batch, width, depth, omp_get_max_threads (), probes ? "true" : "false",
          median (sps, reps), in_training, share, in_training / share, gemm_s, 54000 / gemm_s,
          flops / gemm_s * 1e-9, peak, in_training / peak);
  g_free (sps), g_free (gemm_share);
  return 0;
}
