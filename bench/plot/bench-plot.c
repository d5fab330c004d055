/* bench-plot.c: how long each figure takes to draw a 100-epoch run.
 *
 *   bench-plot [--frames N] [--width W --height H] [--presentation]
 *
 * The record is synthetic (9 layers, 938 steps per epoch: Fashion-MNIST at
 * batch 64, so 93,800 steps decimated to 8192 columns; 4 histogram
 * checkpoints per epoch). Each figure is drawn N times onto an ARGB32 image
 * surface, as the GUI's widget does; the median and minimum are printed.
 * The goal is the dashboard under 16 ms at 1920 x 1080.
 */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "gs-plot.h"

#define DEPTH        8
#define EPOCHS       100
#define SPE          938
#define CP_PER_EPOCH 4

static void
checkpoint (GsRecord *rec, guint step, GRand *rng)
{
  guint              n_layers = DEPTH + 1, n = 2000;
  g_autofree GsHist *h = g_new0 (GsHist, n_layers * GS_N_HIST_KINDS);
  g_autofree float  *v = g_new (float, n);

  for (guint l = 0; l < n_layers; l++)
    for (int k = 0; k < GS_N_HIST_KINDS; k++)
      {
        double scale = k == GS_HIST_WEIGHT ? 0.05 : pow (10, -(double) (n_layers - l));
        for (guint i = 0; i < n; i++)
          v[i] = (g_rand_double (rng) + g_rand_double (rng) - 1) * scale;
        gs_hist_build (&h[l * GS_N_HIST_KINDS + k], v, n, k != GS_HIST_ACT);
      }
  gs_record_add_checkpoint (rec, step, h);
}

static GsRecord *
make_record (void)
{
  GsConfig config;
  guint    n_layers = DEPTH + 1, total = EPOCHS * SPE;
  float    probes[(DEPTH + 1) * GS_N_PROBES];
  g_autoptr (GRand) rng = g_rand_new_with_seed (7);

  if (!gs_config_load_preset (&config, "baseline", NULL))
    gs_config_init_defaults (&config);
  GsRecord *rec = gs_record_new (&config, n_layers, SPE, "synthetic");
  for (guint s = 1; s <= total; s++)
    {
      double t = (double) s / total;
      for (guint l = 0; l < n_layers; l++)
        {
          float *p = probes + l * GS_N_PROBES;
          for (int k = 0; k < GS_N_PROBES; k++)
            p[k] = 0.5f;
          p[GS_PROBE_GRAD_NORM] = pow (10, -(double) (n_layers - l)) * (1 + 0.3 * g_rand_double (rng));
          p[GS_PROBE_ACT_MEAN] = 0.5 + 0.1 * sin (s / 100.0 + l);
          p[GS_PROBE_ACT_SAT] = t * (l + 1) / n_layers;
        }
      gs_record_append_step (rec, probes, 2.3 * exp (-3 * t) + 0.3, 0.9 - 0.8 * exp (-3 * t));
      if (s == 1 || s % (SPE / CP_PER_EPOCH) == 0)
        checkpoint (rec, s, rng);
      if (s % SPE == 0)
        {
          GsEpochStats e = { .epoch = s / SPE,
                             .last_step = s,
                             .train_loss = 2.3 * exp (-3 * t),
                             .train_acc = 0.9 - 0.8 * exp (-3 * t),
                             .val_loss = 2.3 * exp (-3 * t),
                             .val_acc = 0.88 - 0.8 * exp (-3 * t) };
          gs_record_add_epoch (rec, &e);
        }
    }
  gs_record_set_test (rec, 0.4, 0.85);
  return rec;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
bench_figure (GsFigure fig, GsRecord *rec, int w, int h, int frames, const GsPlotStyle *style)
{
  cairo_surface_t   *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t           *cr = cairo_create (s);
  GsRecord          *runs[] = { rec };
  g_autofree double *ms = g_new (double, frames);
  g_autofree double *cpu = g_new (double, frames);

  for (int i = 0; i < 3; i++)
    gs_plot_render (fig, runs, 1, cr, w, h, style);
  for (int i = 0; i < frames; i++)
    {
      gint64  t0 = g_get_monotonic_time ();
      clock_t c0 = clock ();
      gs_plot_render (fig, runs, 1, cr, w, h, style);
      cairo_surface_flush (s);
      cpu[i] = (clock () - c0) * 1000.0 / CLOCKS_PER_SEC;
      ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (ms, frames, sizeof *ms, cmp_double);
  qsort (cpu, frames, sizeof *cpu, cmp_double);
  /* CPU time is what the drawing costs; wall time adds whatever else the
   * (shared, 2-core) machine was doing. */
  g_print ("%-12s %dx%d  wall median %6.2f ms  min %6.2f ms  cpu median %6.2f ms  (%d frames)\n",
           gs_figure_name (fig), w, h, ms[frames / 2], ms[0], cpu[frames / 2], frames);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* Hover text: the same layout code, nothing heavy drawn. */
static void
bench_hover (GsRecord *rec, int w, int h, int frames, const GsPlotStyle *style)
{
  GsRecord          *runs[] = { rec };
  g_autofree double *ms = g_new (double, frames);

  for (int i = 0; i < frames; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_free (gs_plot_describe_at (GS_FIGURE_DASHBOARD, runs, 1, w, h, style, w * 0.3, h * 0.3));
      ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (ms, frames, sizeof *ms, cmp_double);
  g_print ("%-12s %dx%d  wall median %6.2f ms  (describe_at, %d calls)\n", "hover", w, h, ms[frames / 2],
           frames);
}

int
main (int argc, char **argv)
{
  int          frames = 30, w = 1920, h = 1080;
  gboolean     presentation = FALSE;
  GOptionEntry entries[]
      = { { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Frames per figure (30)", "N" },
          { "width", 0, 0, G_OPTION_ARG_INT, &w, "Width in px (1920)", "PX" },
          { "height", 0, 0, G_OPTION_ARG_INT, &h, "Height in px (1080)", "PX" },
          { "presentation", 0, 0, G_OPTION_ARG_NONE, &presentation, "Presentation style", NULL },
          { NULL } };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- time figure drawing");
  g_autoptr (GError) error = NULL;
  GsPlotStyle style;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("bench-plot: %s\n", error->message);
      return 2;
    }
  frames = CLAMP (frames, 1, 100000);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GsRecord) rec = make_record ();
  g_print ("record: %u steps, %u columns (stride %u), %u checkpoints, built in %.0f ms\n",
           gs_record_n_steps (rec), gs_record_n_columns (rec), gs_record_stride (rec),
           gs_record_n_checkpoints (rec), (g_get_monotonic_time () - t0) / 1000.0);
  gs_plot_style_init (&style, FALSE, presentation);
  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    bench_figure (f, rec, w, h, frames, &style);
  bench_hover (rec, w, h, frames, &style);
  return 0;
}
