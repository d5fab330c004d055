/* test-truth.c: figures that tell the truth (issue 13).
 *
 * - one absolute colour scale: two single-run heatmaps of really trained
 *   runs (baseline, batchnorm) put layer 1 in clearly different colours;
 *   scrubbing does not change a cell's colour, on any scale;
 * - the shrink figure's factors multiply to the measured ratio of the
 *   backward signal's norms at the two ends (baseline, relu, batchnorm,
 *   skip), also on merged columns of a long record;
 * - the CSV tables hold the record's values;
 * - a grid of sizes and styles where no panel is dropped, no axis loses its
 *   ticks or labels, and no text overlaps, leaves the page or is cut.
 *
 * Set GS_PLOT_KEEP=DIR to keep the rendered files.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "gs-plot-private.h"
#include "plot-test-train.h"

static GsRecord         *trained[4]; /* baseline, relu, batchnorm, skip */
static const char *const trained_presets[] = { "baseline", "relu", "batchnorm", "skip" };
static char             *tmp_dir;

static GsRecord *
run_of (const char *preset)
{
  for (guint i = 0; i < G_N_ELEMENTS (trained_presets); i++)
    if (g_str_equal (preset, trained_presets[i]))
      {
        if (trained[i] == NULL)
          trained[i] = plot_test_train (preset, 50); /* 20 steps an epoch: room for a cursor */
        return trained[i];
      }
  g_assert_not_reached ();
}

static char *
out_path (const char *name)
{
  const char *keep = g_getenv ("GS_PLOT_KEEP");
  return g_build_filename (keep && *keep ? keep : tmp_dir, name, NULL);
}

/* Colour ---------------------------------------------------------------- */

static cairo_surface_t *
render (GsFigure f, GsRecord **runs, guint n, int w, int h, const GsPlotStyle *style)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t         *cr = cairo_create (s);
  gs_plot_render (f, runs, n, cr, w, h, style);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* The y of layer's row at x, found with the hover texts. */
static double
row_y (GsRecord *rec, int w, int h, double x, guint layer, const GsPlotStyle *style)
{
  g_autofree char *prefix = g_strdup_printf ("layer %u ", layer);
  for (double y = h - 1; y > 0; y -= 1)
    {
      g_autofree char *d = gs_plot_describe_at (GS_FIGURE_HEATMAP, &rec, 1, w, h, style, x, y);
      if (d && g_str_has_prefix (d, prefix))
        return y - 2;
    }
  g_error ("no row for layer %u", layer);
}

static void
pixel_at (cairo_surface_t *s, double x, double y, double rgb[3])
{
  const guint8 *p
      = cairo_image_surface_get_data (s) + (int) y * cairo_image_surface_get_stride (s) + (int) x * 4;
  rgb[0] = p[2] / 255.0, rgb[1] = p[1] / 255.0, rgb[2] = p[0] / 255.0;
}

/* The viridis position of a colour (0..1), or -1 if it is no map colour. */
static double
viridis_t (const double rgb[3])
{
  double best = -1, dist = INFINITY;
  for (int i = 0; i < 256; i++)
    {
      double c[3];
      _gs_viridis (i / 255.0, c);
      double d = fabs (c[0] - rgb[0]) + fabs (c[1] - rgb[1]) + fabs (c[2] - rgb[2]);
      if (d < dist)
        dist = d, best = i / 255.0;
    }
  return dist < 0.06 ? best : -1;
}

/* Baseline and batchnorm exported alone: layer 1 at the colour of its own
 * value on the one absolute scale, so the two differ clearly. */
static void
test_absolute_scale (void)
{
  const char *presets[] = { "baseline", "batchnorm" };
  double      t[2];
  int         w = 900, h = 500;

  for (guint i = 0; i < 2; i++)
    {
      GsRecord        *rec = run_of (presets[i]);
      double           x = w * 0.5, rgb[3];
      g_autofree char *name = g_strdup_printf ("absolute-%s.png", presets[i]);
      g_autofree char *path = out_path (name);
      g_assert_true (gs_plot_export (GS_FIGURE_HEATMAP, &rec, 1, "png", path, w, h, 96, NULL, NULL));
      cairo_surface_t *s = render (GS_FIGURE_HEATMAP, &rec, 1, w, h, NULL);
      pixel_at (s, x, row_y (rec, w, h, x, 1, NULL), rgb);
      cairo_surface_destroy (s);
      t[i] = viridis_t (rgb);
      /* where the run's mean layer-1 gradient sits on 1e-8..10 */
      const float *g = gs_record_series (rec, GS_PROBE_GRAD_NORM, 0);
      double       sum = 0;
      for (guint c = 0; c < gs_record_n_columns (rec); c++)
        sum += log10 (g[c]);
      double want = (sum / gs_record_n_columns (rec) + 8) / 9;
      g_test_message ("%s: layer 1 at %.3f of the map, its gradients at %.3f", presets[i], t[i], want);
      g_assert_cmpfloat (t[i], >=, 0);
      g_assert_cmpfloat (fabs (t[i] - want), <, 0.08);
    }
  g_assert_cmpfloat (t[1] - t[0], >, 0.3);
}

/* Gradients that fall three decades over 200 steps: a range fitted to the
 * steps before the cursor would move with it. */
static GsRecord *
decaying_record (void)
{
  GsConfig config;
  float    probes[3 * GS_N_PROBES];

  gs_config_init_defaults (&config);
  config.depth = 2;
  GsRecord *rec = gs_record_new (&config, 3, 50, "synthetic");
  for (guint s = 0; s < 200; s++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
        probes[i] = 1e-2 * pow (10, -3.0 * s / 200) * (1 + i / GS_N_PROBES);
      gs_record_append_step (rec, probes, 1, 0.5);
    }
  return rec;
}

/* Moving the cursor leaves every cell before it as it was. */
static void
check_scrub (GsRecord *rec)
{
  int         w = 900, h = 500;
  GsPlotStyle style;

  for (int fitted = 0; fitted < 2; fitted++)
    {
      gs_plot_style_init (&style, FALSE, FALSE);
      style.color_scale = fitted ? GS_COLOR_SCALE_FITTED : GS_COLOR_SCALE_ABSOLUTE;
      cairo_surface_t *all = render (GS_FIGURE_HEATMAP, &rec, 1, w, h, &style);
      double           x = w * 0.15, y = row_y (rec, w, h, x, 1, &style), before[3], after[3];
      pixel_at (all, x, y, before);
      for (guint step = 5; step < gs_record_n_steps (rec); step += gs_record_n_steps (rec) / 3)
        {
          style.cursor_step = step;
          cairo_surface_t *part = render (GS_FIGURE_HEATMAP, &rec, 1, w, h, &style);
          /* a cell left of the cursor: the first tenth of the steps */
          if (step > gs_record_n_steps (rec) / 4)
            {
              pixel_at (part, x, y, after);
              for (int k = 0; k < 3; k++)
                g_assert_cmpfloat (after[k], ==, before[k]);
            }
          cairo_surface_destroy (part);
        }
      cairo_surface_destroy (all);
    }
}

static void
test_scrub_keeps_colours (void)
{
  g_autoptr (GsRecord) decaying = decaying_record ();
  check_scrub (run_of ("baseline"));
  check_scrub (decaying);
}

/* The shrink factors ----------------------------------------------------- */

static void
check_product (GsRecord *rec, guint cursor, const char *what)
{
  guint                   n = gs_record_n_layers (rec);
  g_autofree GsShrinkRow *rows = g_new (GsShrinkRow, n);
  double                  product = 1;

  _gs_shrink_rows (rec, cursor, rows);
  /* down from the output: every layer's factor, then layer 1's up to its
   * weights */
  for (guint l = n - 1; l > 0; l--)
    {
      g_assert_cmpfloat (
          fabs (rows[l].crossing
                - (l + 1 < n ? rows[l].act * rows[l].norm : 1) * rows[l].weights * rows[l].skip),
          <=, 1e-12 * rows[l].crossing);
      product *= rows[l].crossing;
    }
  product *= rows[0].act * rows[0].norm;
  double measured = (double) _gs_probe_at (rec, GS_PROBE_DZ_NORM, 0, cursor)
                    / _gs_probe_at (rec, GS_PROBE_DZ_NORM, n - 1, cursor);
  g_test_message ("%s at step %u: product %.9g, measured %.9g", what, cursor, product, measured);
  g_assert_true (isfinite (product) && product > 0);
  g_assert_cmpfloat (fabs (product / measured - 1), <, 1e-6);
  g_assert_cmpfloat (fabs (rows[0].reach / measured - 1), <, 1e-6);
}

static void
test_decomposition (gconstpointer data)
{
  const char *preset = data;
  GsRecord   *rec = run_of (preset);
  guint       n = gs_record_n_layers (rec);

  check_product (rec, 0, preset);
  check_product (rec, gs_record_n_steps (rec) / 2, preset);
  check_product (rec, 1, preset);
  if (gs_record_config (rec)->activation == GS_ACT_SIGMOID)
    {
      g_autofree GsShrinkRow *rows = g_new (GsShrinkRow, n);
      _gs_shrink_rows (rec, 0, rows);
      for (guint l = 0; l + 1 < n; l++)
        g_assert_cmpfloat (rows[l].act, <=, 0.25 + 1e-6); /* sigmoid' <= 1/4 */
    }
}

/* A long record merges columns; the signal norms merge by their geometric
 * mean, so the product stays the measured ratio on the merged columns. */
static void
test_decomposition_merged (void)
{
  GsConfig config;
  GRand   *rng = g_rand_new_with_seed (7);
  float    probes[4 * GS_N_PROBES];

  gs_config_init_defaults (&config);
  config.depth = 3;
  GsRecord          *rec = gs_record_new (&config, 4, 100, "synthetic");
  const guint        n_steps = 3 * GS_RECORD_MAX_COLUMNS;
  g_autofree double *log_act = g_new (double, n_steps);
  for (guint s = 0; s < n_steps; s++)
    {
      double sig = 1; /* ‖∂L/∂logits‖ */
      for (int l = 3; l >= 0; l--)
        {
          float *p = probes + l * GS_N_PROBES;
          for (int k = 0; k < GS_N_PROBES; k++)
            p[k] = 1;
          if (l == 3)
            {
              p[GS_PROBE_SIGNAL_NORM] = p[GS_PROBE_DZ_NORM] = sig;
              p[GS_PROBE_WT_NORM] = sig *= g_rand_double_range (rng, 0.1, 10);
              continue;
            }
          p[GS_PROBE_SIGNAL_NORM] = p[GS_PROBE_ACT_IN_NORM] = sig;
          p[GS_PROBE_DACT_NORM] = sig * g_rand_double_range (rng, 0.01, 0.25);
          p[GS_PROBE_DZ_NORM] = p[GS_PROBE_DACT_NORM] * g_rand_double_range (rng, 0.5, 2);
          p[GS_PROBE_WT_NORM] = l > 0 ? p[GS_PROBE_DZ_NORM] * g_rand_double_range (rng, 0.1, 10) : NAN;
          sig = p[GS_PROBE_WT_NORM];
        }
      log_act[s] = log ((double) probes[GS_PROBE_DACT_NORM] / probes[GS_PROBE_ACT_IN_NORM]);
      gs_record_append_step (rec, probes, 1, 0.5);
    }
  guint stride = gs_record_stride (rec), cursor = n_steps / 3, col = (cursor - 1) / stride;
  g_assert_cmpuint (stride, >, 1);
  check_product (rec, cursor, "merged columns");
  /* the merged column's factor is the geometric mean of its steps' factors */
  double sum = 0;
  for (guint s = col * stride; s < (col + 1) * stride; s++)
    sum += log_act[s];
  g_autofree GsShrinkRow *rows = g_new (GsShrinkRow, 4);
  _gs_shrink_rows (rec, cursor, rows);
  g_test_message ("layer 1 f' factor: column %.9g, geometric mean of its %u steps %.9g", rows[0].act, stride,
                  exp (sum / stride));
  g_assert_cmpfloat (fabs (rows[0].act / exp (sum / stride) - 1), <, 1e-5);
  gs_record_unref (rec);
  g_rand_free (rng);
}

/* CSV ----------------------------------------------------------------- */

static char **
csv_rows (GsFigure fig, GsRecord *rec, const char *name)
{
  g_autofree char *path = out_path (name);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (gs_plot_export (fig, &rec, 1, "csv", path, 100, 100, 96, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return g_strsplit (g_strchomp (text), "\n", -1);
}

/* The last n fields of a row (the run label may hold commas). */
static double
field (const char *row, guint from_end)
{
  g_auto (GStrv) f = g_strsplit (row, ",", -1);
  guint n = g_strv_length (f);
  return g_ascii_strtod (f[n - 1 - from_end], NULL);
}

static void
test_csv_values (void)
{
  GsRecord *rec = run_of ("baseline");
  guint     n_layers = gs_record_n_layers (rec), n_cols = gs_record_n_columns (rec);

  g_auto (GStrv) heat = csv_rows (GS_FIGURE_HEATMAP, rec, "heatmap.csv");
  g_assert_cmpstr (heat[0], ==, "run,layer,first_step,last_step,grad_norm_l2");
  g_assert_cmpuint (g_strv_length (heat), ==, 1 + n_layers * n_cols);
  for (guint l = 0; l < n_layers; l++)
    for (guint c = 0; c < n_cols; c++)
      {
        const char *row = heat[1 + l * n_cols + c];
        g_assert_cmpfloat ((float) field (row, 0), ==, gs_record_series (rec, GS_PROBE_GRAD_NORM, l)[c]);
        g_assert_cmpfloat (field (row, 3), ==, l + 1);
      }

  g_auto (GStrv) shrink = csv_rows (GS_FIGURE_SHRINK, rec, "shrink.csv");
  g_autofree GsShrinkRow *rows = g_new (GsShrinkRow, n_layers);
  _gs_shrink_rows (rec, 0, rows);
  g_assert_true (g_str_has_prefix (shrink[0], "run,layer,step,activation_factor"));
  for (guint l = 0; l < n_layers; l++)
    {
      g_assert_cmpfloat (fabs (field (shrink[1 + l], 0) / rows[l].reach - 1), <, 1e-8);
      g_assert_cmpfloat (fabs (field (shrink[1 + l], 1) / rows[l].crossing - 1), <, 1e-8);
    }

  g_auto (GStrv) curves = csv_rows (GS_FIGURE_CURVES, rec, "curves.csv");
  g_assert_cmpstr (curves[0], ==, "run,epoch,last_step,split,loss_nats,accuracy_fraction");
  const GsEpochStats *e = gs_record_epoch (rec, 0);
  g_assert_cmpfloat (fabs (field (curves[1], 1) - e->train_loss), <, 1e-8 * e->train_loss);
  g_assert_cmpfloat (fabs (field (curves[2], 0) - e->val_acc), <, 1e-8);
  g_assert_nonnull (strstr (curves[2], ",validation,"));

  g_auto (GStrv) bins = csv_rows (GS_FIGURE_HISTOGRAMS, rec, "histograms.csv");
  const GsHist *h = gs_record_hist (rec, 0, GS_HIST_WEIGHT, 0);
  g_assert_cmpstr (bins[0], ==, "run,step,layer,kind,bin_low,bin_high,count");
  g_assert_cmpfloat (field (bins[1], 0), ==, h->counts[0]);
  g_assert_cmpfloat ((float) field (bins[1], 2), ==, h->lo);
}

/* Layout grid ------------------------------------------------------------ */

typedef struct
{
  int      w, h;
  gboolean slides;
} Size;

/* Pages, and the figure area of the window at 1280x800 beside the sidebar
 * (860x640) or the lesson panel (900x560), and at 1920x1080 beside both
 * (1300x860). */
static const Size grid[] = {
  { 640, 400, FALSE },   { 640, 400, TRUE },   { 1280, 800, FALSE },  { 1280, 800, TRUE },
  { 1920, 1080, FALSE }, { 1920, 1080, TRUE }, { 3840, 2160, FALSE }, { 3840, 2160, TRUE },
  { 860, 640, FALSE },   { 860, 640, TRUE },   { 900, 560, TRUE },    { 1300, 860, TRUE },
};

/* What is wrong with one layout, or NULL. */
static char *
layout_problem (GsFigure f, GsRecord **runs, guint n, const Size *sz, gboolean dark)
{
  GsPlotStyle style;

  gs_plot_style_init (&style, dark, sz->slides);
  return gs_plot_check_layout (f, runs, n, sz->w, sz->h, &style);
}

/* Every figure in the grid of sizes and styles, for the given figures;
 * returns how many layouts failed, each named in the test log. */
static guint
check_grid (GsRecord **runs, guint n, const GsFigure *figs, guint n_figs, const char *what)
{
  guint failed = 0;

  for (guint k = 0; k < n_figs; k++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (grid); i++)
        for (int dark = 0; dark < 2; dark++)
          {
            g_autofree char *problem = layout_problem (figs[k], runs, n, &grid[i], dark);
            if (problem == NULL)
              continue;
            failed++;
            g_test_message ("%s %s %dx%d%s%s: %s", what, gs_figure_name (figs[k]), grid[i].w, grid[i].h,
                            grid[i].slides ? " presentation" : "", dark ? " dark" : "", problem);
          }
    }
  return failed;
}

/* A deep (64 layers) and a wide (1024 units) net, trained a few steps. */
static GsRecord *
big_run (int depth, int width)
{
  g_autoptr (GsDataset) data = gs_dataset_new_builtin ();
  g_autoptr (GError) error = NULL;
  GsConfig config;

  g_assert_true (gs_config_load_preset (&config, "baseline", &error));
  config.depth = depth, config.width = width;
  config.epochs = 2, config.limit_train = 200, config.batch_size = 50, config.seed = 1;
  g_autoptr (GsTrainer) t = gs_trainer_new (&config, data, &error);
  g_assert_no_error (error);
  g_assert_true (gs_trainer_run (t, &error));
  return gs_record_ref (gs_trainer_get_record (t));
}

/* The baseline with two changes made while it trained: gradient
 * normalisation switched on, then the lowest layers frozen (a new span of
 * the phase): labelled marks on the time axes. */
static GsRecord *
changed_run (void)
{
  g_autoptr (GsDataset) data = gs_dataset_new_builtin ();
  g_autoptr (GError) error = NULL;
  GsIntervention iv[2];
  GsConfig       config;

  g_assert_true (gs_config_load_preset (&config, "baseline", &error));
  config.epochs = 2, config.limit_train = 1000, config.batch_size = 50, config.seed = 1;
  g_assert_true (gs_intervention_parse ("9:gradnorm=signal", FALSE, &iv[0], &error));
  g_assert_true (gs_intervention_parse ("2:freeze=3", TRUE, &iv[1], &error));
  g_autoptr (GsTrainer) t = gs_trainer_new (&config, data, &error);
  g_assert_no_error (error);
  g_assert_true (gs_trainer_add_schedule (t, iv, 2, &error));
  g_assert_true (gs_trainer_run (t, &error));
  return gs_record_ref (gs_trainer_get_record (t));
}

/* Every figure, alone and compared, at every size and style; the deep and
 * wide nets, and a run changed while it trained. */
static void
test_layout_grid (void)
{
  GsFigure  figs[GS_N_FIGURES];
  GsRecord *one = run_of ("baseline");
  GsRecord *two[] = { run_of ("baseline"), run_of ("batchnorm") };
  g_autoptr (GsRecord) deep = big_run (64, 32);
  g_autoptr (GsRecord) wide = big_run (3, 1024);
  g_autoptr (GsRecord) changed = changed_run ();
  guint failed = 0;

  for (guint f = 0; f < GS_N_FIGURES; f++)
    figs[f] = (GsFigure) f;
  failed += check_grid (&one, 1, figs, GS_N_FIGURES, "baseline");
  failed += check_grid (two, 2, figs, GS_N_FIGURES, "baseline+batchnorm");
  failed += check_grid (&deep, 1, figs, GS_N_FIGURES, "depth 64");
  failed += check_grid (&wide, 1, figs, GS_N_FIGURES, "width 1024");
  g_assert_cmpuint (gs_record_n_interventions (changed), ==, 2);
  failed += check_grid (&changed, 1, figs, GS_N_FIGURES, "changed while training");
  g_assert_cmpuint (failed, ==, 0);
}

/* The test must catch a broken layout: figures drawn into pages far below
 * the smallest the grid holds (type shrinks to half its size, no further)
 * lose ticks or panels, and the check says so for each. */
static void
test_layout_check_fails (void)
{
  GsRecord  *one = run_of ("baseline");
  const Size tiny = { 90, 56, FALSE };

  for (guint f = 0; f < GS_N_FIGURES; f++)
    {
      g_autofree char *problem = layout_problem ((GsFigure) f, &one, 1, &tiny, FALSE);
      g_test_message ("%s at 90x56: %s", gs_figure_name ((GsFigure) f), problem);
      g_assert_nonnull (problem);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("gs-truth-XXXXXX", NULL);
  g_test_add_func ("/truth/absolute-scale", test_absolute_scale);
  g_test_add_func ("/truth/scrub-keeps-colours", test_scrub_keeps_colours);
  for (guint i = 0; i < G_N_ELEMENTS (trained_presets); i++)
    {
      g_autofree char *name = g_strdup_printf ("/truth/decomposition/%s", trained_presets[i]);
      g_test_add_data_func (name, trained_presets[i], test_decomposition);
    }
  g_test_add_func ("/truth/decomposition/merged-columns", test_decomposition_merged);
  g_test_add_func ("/truth/csv-values", test_csv_values);
  g_test_add_func ("/truth/layout-grid", test_layout_grid);
  g_test_add_func ("/truth/layout-check-fails", test_layout_check_fails);
  int status = g_test_run ();
  for (guint i = 0; i < G_N_ELEMENTS (trained); i++)
    g_clear_pointer (&trained[i], gs_record_unref);
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
