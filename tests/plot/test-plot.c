/* test-plot.c: every figure in every format, the vanishing-gradient pixels,
 * degenerate records, ticks, hover text and export errors.
 *
 * Set GS_PLOT_KEEP=DIR to keep the rendered files for a look.
 */
#ifndef GS_XMLLINT
#define GS_XMLLINT ""
#endif
#ifndef GS_PDFINFO
#define GS_PDFINFO ""
#endif
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "gs-plot-private.h"
#include "plot-test-train.h"

typedef struct
{
  const char *preset;
  guint       depth, epochs, spe, steps; /* steps: 0 = epochs * spe */
  double      decay;                     /* grad norm ratio per layer towards the input */
  gboolean    diverge;                   /* last quarter of the steps NaN / Inf */
  gboolean    zero_layer;                /* layer 1 gets all-zero gradients */
  gboolean    stages;                    /* layer-wise stage starts */
  guint       checkpoints_per_epoch;
} Syn;

static char *keep_dir;
static char *tmp_dir;

/* Records ----------------------------------------------------------------- */

static double
syn_grad (const Syn *syn, guint step, guint total, guint l)
{
  guint  n_layers = syn->depth + 1;
  double t = (double) step / MAX (total, 1);

  if (syn->zero_layer && l == 0)
    return 0;
  return 0.1 * pow (syn->decay, -(double) (n_layers - 1 - l)) * (1 + 0.2 * sin (step / 7.0 + l)) * exp (-t);
}

static void
fill_probes (const Syn *syn, guint step, guint total, float *probes)
{
  guint  n_layers = syn->depth + 1;
  double t = (double) step / MAX (total, 1);

  for (guint l = 0; l < n_layers; l++)
    {
      float *p = probes + l * GS_N_PROBES;
      double g = syn_grad (syn, step, total, l);
      p[GS_PROBE_GRAD_NORM] = g;
      p[GS_PROBE_GRAD_MEAN_ABS] = g / 100;
      p[GS_PROBE_SIGNAL_NORM] = g / 2;
      /* the backward's norms: f' takes 0.2 of the signal, W^T the rest */
      p[GS_PROBE_ACT_IN_NORM] = l + 1 < n_layers ? g / 2 : NAN;
      p[GS_PROBE_DACT_NORM] = l + 1 < n_layers ? g / 10 : NAN;
      p[GS_PROBE_DZ_NORM] = l + 1 < n_layers ? g / 10 : g / 2;
      p[GS_PROBE_WT_NORM] = l > 0 ? syn_grad (syn, step, total, l - 1) / 2 : NAN;
      p[GS_PROBE_ACT_MEAN] = syn->decay > 1 ? 0.5 + 0.1 * sin (step / 11.0 + l) : 0.3 - 0.05 * l;
      p[GS_PROBE_ACT_STD] = 0.2;
      p[GS_PROBE_ACT_SAT] = syn->decay > 1 ? MIN (1, 0.2 + 0.6 * t * (l + 1) / n_layers) : 0.02;
      p[GS_PROBE_UPDATE_RATIO] = 1e-3;
      p[GS_PROBE_WEIGHT_NORM] = 5;
      if (syn->diverge && step > total * 3 / 4)
        for (int k = 0; k < GS_N_PROBES; k++)
          p[k] = k % 2 ? INFINITY : NAN;
      if (syn->stages && l + 1 < n_layers)
        {
          /* as the trainer records them: stage 1 uses layers 1-2, stage 2
           * trains 3.. with 1-2 frozen; probes of idle layers are NaN */
          gboolean stage1 = step <= total / 2;
          gboolean used = !stage1 || l < 2, trained = used && (stage1 || l >= 2);
          for (int k = 0; k < GS_N_PROBES; k++)
            {
              gboolean forward = k == GS_PROBE_ACT_MEAN || k == GS_PROBE_ACT_STD || k == GS_PROBE_ACT_SAT;
              if (forward ? !used : !trained)
                p[k] = NAN;
            }
        }
    }
}

static void
add_checkpoint (GsRecord *rec, const Syn *syn, guint step, guint total, GRand *rng)
{
  guint              n_layers = syn->depth + 1, n = 400;
  g_autofree GsHist *hists = g_new0 (GsHist, n_layers * GS_N_HIST_KINDS);
  g_autofree float  *v = g_new (float, n);
  double             t = (double) step / MAX (total, 1);

  for (guint l = 0; l < n_layers; l++)
    for (int k = 0; k < GS_N_HIST_KINDS; k++)
      {
        double scale = k == GS_HIST_WEIGHT ? 0.05 * (1 + t)
                                           : 0.1 * pow (syn->decay, -(double) (n_layers - 1 - l)) / 30;
        for (guint i = 0; i < n; i++)
          {
            double x = g_rand_double_range (rng, -1, 1) + g_rand_double_range (rng, -1, 1);
            v[i] = k == GS_HIST_ACT ? 1 / (1 + exp (-3 * x)) : x * scale;
            if (k == GS_HIST_GRAD && syn->zero_layer && l == 0)
              v[i] = 0;
          }
        gs_hist_build (&hists[l * GS_N_HIST_KINDS + k], v, n, k != GS_HIST_ACT);
      }
  gs_record_add_checkpoint (rec, step, hists);
}

static GsRecord *
synthetic (const Syn *syn)
{
  GsConfig config;
  guint    total = syn->steps ? syn->steps : syn->epochs * syn->spe;
  g_autoptr (GRand) rng = g_rand_new_with_seed (42);
  g_autofree float *probes = g_new (float, (syn->depth + 1) * GS_N_PROBES);

  g_assert_true (gs_config_load_preset (&config, syn->preset, NULL));
  config.depth = syn->depth;
  GsRecord *rec = gs_record_new (&config, syn->depth + 1, syn->spe, "synthetic");
  if (syn->stages)
    {
      gs_record_add_stage_start (rec, 1, 1, 2, 0);
      gs_record_add_stage_start (rec, total / 2 + 1, 2, syn->depth, 2);
    }
  guint every = MAX (syn->spe / MAX (syn->checkpoints_per_epoch, 1), 1);
  for (guint s = 1; s <= total; s++)
    {
      fill_probes (syn, s, total, probes);
      double t = (double) s / total;
      gs_record_append_step (rec, probes, 2.3 * exp (-3 * t) + 0.3, 0.1 + 0.8 * (1 - exp (-3 * t)));
      if (s == 1 || s % every == 0)
        add_checkpoint (rec, syn, s, total, rng);
      if (s % syn->spe == 0 && s / syn->spe <= syn->epochs)
        {
          guint        e = s / syn->spe;
          GsEpochStats st = { .epoch = e,
                              .last_step = s,
                              .train_loss = 2.3 * exp (-3 * t) + 0.3,
                              .train_acc = 0.1 + 0.8 * (1 - exp (-3 * t)),
                              .val_loss = 2.3 * exp (-3 * t) + 0.35,
                              .val_acc = 0.1 + 0.78 * (1 - exp (-3 * t)) };
          gs_record_add_epoch (rec, &st);
        }
    }
  if (syn->diverge)
    gs_record_set_diverged (rec, total * 3 / 4 + 1, 0, "NaN in gradient");
  else if (total > 0)
    gs_record_set_test (rec, 0.4, 0.853);
  return rec;
}

static const Syn sigmoid_syn = { "baseline", 8, 3, 60, 0, 10, FALSE, FALSE, FALSE, 2 };
static const Syn relu_syn = { "relu", 8, 3, 60, 0, 1, FALSE, FALSE, FALSE, 2 };

/* Helpers ----------------------------------------------------------------- */

static char *
out_path (const char *name)
{
  return g_build_filename (keep_dir ? keep_dir : tmp_dir, name, NULL);
}

static char *
run_tool (const char *tool, const char *arg, int *status)
{
  g_autoptr (GError) error = NULL;
  char       *out = NULL;
  const char *argv[] = { tool, arg, NULL };
  const char *argv2[] = { tool, "--noout", arg, NULL };
  gboolean    xml = g_str_has_suffix (tool, "xmllint");

  g_assert_true (g_spawn_sync (NULL, (char **) (xml ? argv2 : argv), NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, status, &error));
  g_assert_no_error (error);
  return out;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
check_png (const char *path, int w, int h, double dpi)
{
  cairo_surface_t   *s = cairo_image_surface_create_from_png (path);
  g_autofree guint8 *data = NULL;
  gsize              len;

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, h);
  cairo_surface_destroy (s);
  g_assert_true (g_file_get_contents (path, (char **) &data, &len, NULL));
  g_assert_cmpuint (len, >, 33 + 21);
  g_assert_cmpmem (data + 37, 4, "pHYs", 4);
  g_assert_cmpuint (read_be32 (data + 41), ==, (guint32) lround (dpi / 0.0254));
  g_assert_cmpuint (data[49], ==, 1);
}

static void
check_svg (const char *path, const char *const *labels)
{
  g_autofree char *text = NULL;
  int              status;
  const char      *xmllint = GS_XMLLINT;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<svg"));
  if (xmllint && *xmllint)
    {
      g_autofree char *out = run_tool (xmllint, path, &status);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  else
    g_test_message ("xmllint not found: SVG not validated");
  for (guint i = 0; labels[i]; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (labels[i], -1);
      /* a <text> element that starts with the label */
      g_autofree char *needle = g_strdup_printf ("xml:space=\"preserve\">%s", escaped);
      if (!strstr (text, needle))
        g_error ("%s: no text element “%s”", path, labels[i]);
    }
}

static void
check_pdf (const char *path, int w, int h, double dpi)
{
  const char *pdfinfo = GS_PDFINFO;
  int         status;

  if (!pdfinfo || !*pdfinfo)
    {
      g_test_message ("pdfinfo not found: PDF only checked for its header");
      g_autofree char *head = NULL;
      g_assert_true (g_file_get_contents (path, &head, NULL, NULL));
      g_assert_true (g_str_has_prefix (head, "%PDF-"));
      return;
    }
  g_autofree char *out = run_tool (pdfinfo, path, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "Pages:           1\n"));
  g_autofree char *size
      = g_strdup_printf ("Page size:       %g x %g pts", round (w * 72.0 / dpi * 1000) / 1000,
                         round (h * 72.0 / dpi * 1000) / 1000);
  if (!strstr (out, size))
    g_error ("%s: expected “%s” in:\n%s", path, size, out);
}

static const char *const *
figure_labels (GsFigure fig)
{
  static const char *const heat[]
      = { "‖∂L/∂W‖₂ (log)", "layer (1 = input)", "training step (white lines: epochs)", NULL };
  static const char *const hist[] = { "layer 1", "layer 2", "weight value", NULL };
  static const char *const norm[] = { "‖∂L/∂W‖₂ (log)", "layer (1 = input)", NULL };
  static const char *const act[] = { "Saturated units (f′ ≤ 5 % of its maximum)",
                                     "Spread of activations (std)", "activation std", NULL };
  static const char *const curves[] = { "loss (cross-entropy)", "accuracy (%)", "epoch", NULL };
  static const char *const dash[]
      = { "‖∂L/∂W‖₂ per layer and step", "Loss and accuracy", "Activations", NULL };
  static const char *const bands[]
      = { "Activations: mean, 2nd–98th percentile", "|∂L/∂h| (log)", "layer 1", NULL };
  static const char *const  init_hist[] = { "Activations at step 1", "∂L/∂h", NULL };
  static const char *const  signal[] = { "activation std (log)", "Backward pass", NULL };
  static const char *const  shrink[] = { "Running product", "f′: activation", "layer", NULL };
  static const char *const *all[] = { heat, hist, norm, act, curves, dash, bands, init_hist, signal, shrink };
  G_STATIC_ASSERT (G_N_ELEMENTS (all) == GS_N_FIGURES);
  return all[fig];
}

/* What the plot-vi test expects: the texts of figure_labels() and each
 * figure's title, from po/vi.po. */
static const char *const *
figure_labels_vi (GsFigure fig)
{
  static const char *const heat[] = { "Độ lớn gradient theo lớp", "‖∂L/∂W‖₂ (thang log)", "lớp (1 = đầu vào)",
                                      "bước huấn luyện (vạch trắng: epoch)", NULL };
  static const char *const hist[] = { "Histogram trọng số", "lớp 1", "lớp 2", "giá trị trọng số", NULL };
  static const char *const norm[]
      = { "Chuẩn gradient theo lớp", "‖∂L/∂W‖₂ (thang log)", "lớp (1 = đầu vào)", NULL };
  static const char *const act[] = { "Kích hoạt theo lớp", "Nơ-ron bão hòa (f′ ≤ 5 % giá trị lớn nhất)",
                                     "độ lệch chuẩn kích hoạt", NULL };
  static const char *const curves[]
      = { "Hàm mất mát và độ chính xác", "hàm mất mát (entropy chéo)", "độ chính xác (%)", "epoch", NULL };
  static const char *const dash[]
      = { "‖∂L/∂W‖₂ theo lớp và bước", "Hàm mất mát và độ chính xác", "Kích hoạt", NULL };
  static const char *const bands[] = { "Dải phân vị theo lớp", "Kích hoạt: trung bình, phân vị 2–98", NULL };
  static const char *const init_hist[] = { "Histogram lúc khởi tạo", "Kích hoạt ở bước 1", NULL };
  static const char *const signal[] = { "Lan truyền tín hiệu lúc khởi tạo", "Lan truyền ngược",
                                        "độ lệch chuẩn kích hoạt (thang log)", NULL };
  /* not translated yet: nothing to look for */
  static const char *const  shrink[] = { NULL };
  static const char *const *all[] = { heat, hist, norm, act, curves, dash, bands, init_hist, signal, shrink };
  G_STATIC_ASSERT (G_N_ELEMENTS (all) == GS_N_FIGURES);
  return all[fig];
}

/* Tests ------------------------------------------------------------------- */

static void
test_names (void)
{
  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    {
      GsFigure back = GS_N_FIGURES;
      g_assert_true (gs_figure_from_name (gs_figure_name (f), &back));
      g_assert_cmpint (back, ==, f);
    }
  g_assert_cmpstr (gs_figure_name (GS_FIGURE_HEATMAP), ==, "heatmap");
  g_assert_cmpstr (gs_figure_name (GS_FIGURE_DASHBOARD), ==, "dashboard");
  g_assert_false (gs_figure_from_name ("pie", NULL));
  g_assert_false (gs_figure_from_name (NULL, NULL));
}

static void
test_formats (void)
{
  g_autoptr (GsRecord) rec = synthetic (&sigmoid_syn);
  GsRecord                *runs[] = { rec };
  static const char *const formats[] = { "png", "svg", "pdf" };
  GsPlotStyle              style;

  gs_plot_style_init (&style, FALSE, FALSE);
  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autofree char *name = g_strdup_printf ("fig-%s.%s", gs_figure_name (f), formats[i]);
        g_autofree char *path = out_path (name);
        /* a paper column; the dashboard gets the double column */
        int    w = f == GS_FIGURE_DASHBOARD ? 2100 : 1050, h = f == GS_FIGURE_DASHBOARD ? 1400 : 750;
        double dpi = 300;
        g_assert_true (gs_plot_export (f, runs, 1, formats[i], path, w, h, dpi, &style, &error));
        g_assert_no_error (error);
        if (i == 0)
          check_png (path, w, h, dpi);
        else if (i == 1)
          check_svg (path, figure_labels (f));
        else
          check_pdf (path, w, h, dpi);
      }
}

/* A 100-epoch run's heatmap SVG embeds one raster and stays under 1 MB. */
static void
test_svg_size (void)
{
  Syn syn = sigmoid_syn;
  syn.epochs = 100;
  syn.spe = 200;
  syn.checkpoints_per_epoch = 1;
  g_autoptr (GsRecord) rec = synthetic (&syn);
  GsRecord        *runs[] = { rec };
  g_autofree char *path = out_path ("heatmap-100-epochs.svg");
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  g_assert_cmpuint (gs_record_n_columns (rec), >, 4000);
  g_assert_true (gs_plot_export (GS_FIGURE_HEATMAP, runs, 1, "svg", path, 1920, 1080, 96, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("100-epoch heatmap SVG: %ld bytes", (long) st.st_size);
  g_assert_cmpint (st.st_size, <, 1000 * 1000);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  guint images = 0;
  for (const char *p = text; (p = strstr (p, "<image")); p++)
    images++;
  g_assert_cmpuint (images, ==, 1);
}

/* Presentation style: no text under 11 pt on a 1920 x 1080 slide. */
static void
test_presentation_sizes (void)
{
  g_autoptr (GsRecord) rec = synthetic (&sigmoid_syn);
  GsRecord        *runs[] = { rec };
  GsPlotStyle      style;
  g_autofree char *path = out_path ("dashboard-slide.svg");
  g_autofree char *text = NULL;
  guint            n = 0;

  gs_plot_style_init (&style, TRUE, TRUE);
  g_assert_true (gs_plot_export (GS_FIGURE_DASHBOARD, runs, 1, "svg", path, 1920, 1080, 96, &style, NULL));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; (p = strstr (p, "font-size=\"")); p++, n++)
    {
      double pt = g_ascii_strtod (p + strlen ("font-size=\""), NULL);
      if (pt < 11 - 1e-6)
        g_error ("text of %.2f pt at slide size", pt);
    }
  g_assert_cmpuint (n, >, 20);
}

static double
color_dist (const guint8 *bgra, const double rgb[3])
{
  return fabs (bgra[2] - rgb[0] * 255) + fabs (bgra[1] - rgb[1] * 255) + fabs (bgra[0] - rgb[2] * 255);
}

/* The index of the nearest viridis entry, and how near it is. */
static int
viridis_index (const guint8 *bgra, double *dist)
{
  int best = -1;
  *dist = INFINITY;
  for (int i = 0; i < 256; i++)
    {
      double rgb[3];
      _gs_viridis (i / 255.0, rgb);
      double d = color_dist (bgra, rgb);
      if (d < *dist)
        *dist = d, best = i;
    }
  return best;
}

/* The synthetic runs span more decades than the absolute range, and these
 * tests read map colours: the scale fitted to them. */
static const GsPlotStyle *
fitted_style (void)
{
  static GsPlotStyle s;
  gs_plot_style_init (&s, FALSE, FALSE);
  s.color_scale = GS_COLOR_SCALE_FITTED;
  return &s;
}

static cairo_surface_t *
render (GsFigure f, GsRecord **runs, guint n, int w, int h, const GsPlotStyle *style)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t         *cr = cairo_create (s);
  gs_plot_render (f, runs, n, cr, w, h, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* Walks up from the bottom at x until the hover text starts with prefix. */
static gboolean
find_row (GsFigure f, GsRecord **runs, guint n, int w, int h, double x, const char *prefix, double *y_out)
{
  for (double y = h - 1; y > 0; y -= 1)
    {
      g_autofree char *d = gs_plot_describe_at (f, runs, n, w, h, NULL, x, y);
      if (d && g_str_has_prefix (d, prefix))
        {
          *y_out = y - 2; /* a little inside the row */
          return TRUE;
        }
    }
  return FALSE;
}

static int
heat_index_at (GsRecord *rec, const char *layer_prefix, int w, int h)
{
  GsRecord   *runs[] = { rec };
  double      y = 0, dist;
  GsPlotStyle fitted;
  gs_plot_style_init (&fitted, FALSE, FALSE);
  fitted.color_scale = GS_COLOR_SCALE_FITTED; /* the synthetic runs span more than the absolute range */
  cairo_surface_t *s = render (GS_FIGURE_HEATMAP, runs, 1, w, h, &fitted);
  const guint8    *data = cairo_image_surface_get_data (s);
  int              stride = cairo_image_surface_get_stride (s);
  double           x = w * 0.4;

  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 1, w, h, x, layer_prefix, &y));
  const guint8 *px = data + (int) y * stride + (int) x * 4;
  int           idx = viridis_index (px, &dist);
  g_assert_cmpfloat (dist, <, 12); /* it is a colour of the map */
  cairo_surface_destroy (s);
  return idx;
}

static void
test_vanishing_pixels (void)
{
  g_autoptr (GsRecord) sig = synthetic (&sigmoid_syn);
  g_autoptr (GsRecord) relu = synthetic (&relu_syn);

  int sig_first = heat_index_at (sig, "layer 1 ", 800, 500);
  int sig_last = heat_index_at (sig, "layer 9 ", 800, 500);
  int relu_first = heat_index_at (relu, "layer 1 ", 800, 500);
  g_test_message ("viridis index: sigmoid layer 1 %d, layer 9 %d; relu layer 1 %d", sig_first, sig_last,
                  relu_first);
  g_assert_cmpint (sig_first, <, 40);
  g_assert_cmpint (sig_last, >, 180);
  g_assert_cmpint (relu_first, >, 80);
}

/* Two runs side by side share one scale: relu's first layer stays bright. */
static void
test_shared_scale (void)
{
  g_autoptr (GsRecord) sig = synthetic (&sigmoid_syn);
  g_autoptr (GsRecord) relu = synthetic (&relu_syn);
  GsRecord   *runs[] = { sig, relu };
  int         w = 1200, h = 500;
  double      y = 0, dist;
  GsPlotStyle fitted;
  gs_plot_style_init (&fitted, FALSE, FALSE);
  fitted.color_scale = GS_COLOR_SCALE_FITTED;
  cairo_surface_t *s = render (GS_FIGURE_HEATMAP, runs, 2, w, h, &fitted);
  const guint8    *data = cairo_image_surface_get_data (s);
  int              stride = cairo_image_surface_get_stride (s);
  double           xl = w * 0.25, xr = w * 0.7;

  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 2, w, h, xl, "layer 1 ", &y));
  int left = viridis_index (data + (int) y * stride + (int) xl * 4, &dist);
  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 2, w, h, xr, "layer 1 ", &y));
  int right = viridis_index (data + (int) y * stride + (int) xr * 4, &dist);
  g_assert_cmpint (left, <, 40);
  g_assert_cmpint (right, >, left + 100);
  cairo_surface_destroy (s);
}

static void
render_all_sizes (GsRecord *rec, const char *tag)
{
  GsRecord *runs[] = { rec };
  static const struct
  {
    int      w, h;
    double   dpi;
    gboolean slides;
  } sizes[] = {
    { 1050, 750, 300, FALSE },
    { 1920, 1080, 96, FALSE },
    { 400, 300, 96, FALSE },
    { 1920, 1080, 96, TRUE },
  };

  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      for (int dark = 0; dark < 2; dark++)
        {
          GsPlotStyle style;
          g_autoptr (GError) error = NULL;
          g_autofree char *name
              = g_strdup_printf ("%s-%s-%dx%d%s%s.png", tag, gs_figure_name (f), sizes[i].w, sizes[i].h,
                                 sizes[i].slides ? "-slide" : "", dark ? "-dark" : "");
          g_autofree char *path = out_path (name);
          gs_plot_style_init (&style, dark, sizes[i].slides);
          style.hist_kind = GS_HIST_GRAD;
          g_assert_true (
              gs_plot_export (f, runs, 1, "png", path, sizes[i].w, sizes[i].h, sizes[i].dpi, &style, &error));
          g_assert_no_error (error);
          for (double fx = 0.1; fx < 1; fx += 0.2)
            g_free (gs_plot_describe_at (f, runs, 1, 600, 400, &style, 600 * fx, 400 * fx));
        }
}

static void
test_degenerate_one_step (void)
{
  Syn syn = { "baseline", 4, 0, 100, 1, 10, FALSE, FALSE, FALSE, 1 };
  g_autoptr (GsRecord) rec = synthetic (&syn);
  g_assert_cmpuint (gs_record_n_steps (rec), ==, 1);
  render_all_sizes (rec, "one-step");
}

static void
test_degenerate_empty (void)
{
  Syn syn = { "baseline", 4, 0, 100, 0, 10, FALSE, FALSE, FALSE, 1 };
  g_autoptr (GsRecord) rec = synthetic (&syn);
  GsRecord *runs[] = { rec };
  g_assert_cmpuint (gs_record_n_steps (rec), ==, 0);
  render_all_sizes (rec, "empty");
  g_assert_null (gs_plot_describe_at (GS_FIGURE_HEATMAP, runs, 1, 600, 400, NULL, 300, 200));
  /* no runs at all */
  cairo_surface_destroy (render (GS_FIGURE_DASHBOARD, NULL, 0, 300, 200, NULL));
}

static void
test_degenerate_zero_epochs (void)
{
  Syn syn = { "baseline", 4, 0, 1000, 300, 10, FALSE, FALSE, FALSE, 1 };
  g_autoptr (GsRecord) rec = synthetic (&syn);
  g_assert_cmpuint (gs_record_n_epochs (rec), ==, 0);
  render_all_sizes (rec, "zero-epochs");
}

static void
test_degenerate_zero_layer (void)
{
  Syn syn = sigmoid_syn;
  syn.zero_layer = TRUE;
  g_autoptr (GsRecord) rec = synthetic (&syn);
  GsRecord *runs[] = { rec };
  double    y = 0, x = 800 * 0.4;
  render_all_sizes (rec, "zero-layer");
  /* an exact zero has its own colour, keyed "0: no gradient", not a map
   * colour and not a gap */
  cairo_surface_t *s = render (GS_FIGURE_HEATMAP, runs, 1, 800, 500, NULL);
  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 1, 800, 500, x, "layer 1 ", &y));
  const guint8 *px
      = cairo_image_surface_get_data (s) + (int) y * cairo_image_surface_get_stride (s) + (int) x * 4;
  guint32 zero = _gs_heat_end_argb (0);
  g_assert_cmpuint (px[2], ==, (zero >> 16) & 0xff);
  g_assert_cmpuint (px[1], ==, (zero >> 8) & 0xff);
  g_assert_cmpuint (px[0], ==, zero & 0xff);
  cairo_surface_destroy (s);
  g_autofree char *svg = out_path ("zero-layer.svg");
  g_autofree char *text = NULL;
  g_assert_true (gs_plot_export (GS_FIGURE_HEATMAP, runs, 1, "svg", svg, 800, 500, 96, NULL, NULL));
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, ">0: no gradient<"));
}

static void
test_degenerate_nan (void)
{
  Syn syn = sigmoid_syn;
  syn.diverge = TRUE;
  g_autoptr (GsRecord) rec = synthetic (&syn);
  GsRecord *runs[] = { rec };
  int       w = 800, h = 500;
  double    y = 0, dist;

  render_all_sizes (rec, "nan");
  /* a NaN cell is hatched, not painted with a colour of the map */
  cairo_surface_t *s = render (GS_FIGURE_HEATMAP, runs, 1, w, h, fitted_style ());
  const guint8    *data = cairo_image_surface_get_data (s);
  int              stride = cairo_image_surface_get_stride (s);
  double           x = w * 0.78;
  g_autofree char *d = NULL;
  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 1, w, h, x, "layer 3 ", &y));
  d = gs_plot_describe_at (GS_FIGURE_HEATMAP, runs, 1, w, h, NULL, x, y);
  g_assert_nonnull (strstr (d, "= NaN"));
  guint far = 0;
  for (int dx = -6; dx <= 6; dx++)
    {
      viridis_index (data + (int) y * stride + ((int) x + dx) * 4, &dist);
      far += dist > 60;
    }
  g_assert_cmpuint (far, >=, 10);
  /* a finite cell to its left is a map colour */
  viridis_index (data + (int) y * stride + (int) (w * 0.3) * 4, &dist);
  g_assert_cmpfloat (dist, <, 12);
  cairo_surface_destroy (s);
}

/* Layer-wise: layers a stage leaves frozen are a flat grey, neither a map
 * colour nor the hatching that marks a diverged run. */
static void
test_layerwise_idle (void)
{
  Syn syn = sigmoid_syn;
  syn.stages = TRUE;
  g_autoptr (GsRecord) rec = synthetic (&syn);
  GsRecord        *runs[] = { rec };
  int              w = 800, h = 500;
  double           y = 0, dist;
  cairo_surface_t *s = render (GS_FIGURE_HEATMAP, runs, 1, w, h, fitted_style ());
  const guint8    *data = cairo_image_surface_get_data (s);
  int              stride = cairo_image_surface_get_stride (s);
  double           x = w * 0.7; /* stage 2: layer 1 frozen */

  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 1, w, h, x, "layer 1 ", &y));
  const guint8 *px = data + (int) y * stride + (int) x * 4;
  for (int dx = -6; dx <= 6; dx++)
    g_assert_cmpmem (px + dx * 4, 4, px, 4);        /* flat: no hatch lines */
  g_assert_true (px[0] == px[1] && px[1] == px[2]); /* grey */
  g_assert_cmpuint (px[0], <, 250);                 /* not the background */
  viridis_index (px, &dist);
  g_assert_cmpfloat (dist, >, 12); /* not a colour of the map */
  /* in stage 1 the same layer is trained: a map colour */
  viridis_index (data + (int) y * stride + (int) (w * 0.2) * 4, &dist);
  g_assert_cmpfloat (dist, <, 12);
  cairo_surface_destroy (s);
}

static void
test_degenerate_depth (gconstpointer data)
{
  guint depth = GPOINTER_TO_UINT (data);
  Syn   syn = { "baseline", depth, 2, 40, 0, depth > 10 ? 1.3 : 10, FALSE, FALSE, TRUE, 2 };
  g_autoptr (GsRecord) rec = synthetic (&syn);
  GsRecord        *runs[] = { rec };
  g_autofree char *tag = g_strdup_printf ("depth%u", depth);

  render_all_sizes (rec, tag);
  g_autofree char *d = gs_plot_describe_at (GS_FIGURE_HEATMAP, runs, 1, 1000, 700, NULL, 500, 350);
  g_assert_nonnull (d);
  g_assert_true (g_str_has_prefix (d, "layer "));
  double y = 0;
  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 1, 1000, 700, 500, "layer 1 ", &y));
}

static void
test_compare_runs (void)
{
  g_autoptr (GsRecord) sig = synthetic (&sigmoid_syn);
  g_autoptr (GsRecord) relu = synthetic (&relu_syn);
  GsRecord *runs[] = { sig, relu };

  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    {
      g_autofree char *name = g_strdup_printf ("compare-%s.png", gs_figure_name (f));
      g_autofree char *path = out_path (name);
      g_assert_true (gs_plot_export (f, runs, 2, "png", path, 1920, 1080, 96, NULL, NULL));
      check_png (path, 1920, 1080, 96);
    }
  g_autofree char *d = gs_plot_describe_at (GS_FIGURE_NORMS, runs, 2, 800, 500, NULL, 400, 250);
  g_assert_nonnull (d);
  g_assert_nonnull (strstr (d, "baseline"));
  g_assert_nonnull (strstr (d, "relu"));
}

static GsRecord *
train (const char *preset)
{
  return plot_test_train (preset, 0);
}

static void
test_real_runs (void)
{
  g_autoptr (GsRecord) base = train ("baseline");
  g_autoptr (GsRecord) relu = train ("relu");
  GsRecord                *runs[] = { base, relu };
  static const char *const formats[] = { "png", "svg", "pdf" };
  int                      w = 1400, h = 600;
  double                   y = 0, dist;

  g_assert_cmpuint (gs_record_n_epochs (base), ==, 2);
  g_assert_cmpuint (gs_record_n_checkpoints (base), >, 1);
  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      for (guint n = 1; n <= 2; n++)
        {
          g_autoptr (GError) error = NULL;
          g_autofree char *name = g_strdup_printf ("real%u-%s.%s", n, gs_figure_name (f), formats[i]);
          g_autofree char *path = out_path (name);
          g_assert_true (gs_plot_export (f, runs, n, formats[i], path, 2100, 1400, 300, NULL, &error));
          g_assert_no_error (error);
          if (i == 0)
            check_png (path, 2100, 1400, 300);
          else if (i == 1 && n == 1)
            check_svg (path, figure_labels (f));
          else if (i == 2)
            check_pdf (path, 2100, 1400, 300);
        }
  /* Side by side on one scale: baseline's input layer is near the dark end
   * of the map, relu's is not. */
  cairo_surface_t *s = render (GS_FIGURE_HEATMAP, runs, 2, w, h, NULL);
  const guint8    *data = cairo_image_surface_get_data (s);
  int              stride = cairo_image_surface_get_stride (s);
  double           xl = w * 0.25, xr = w * 0.7;
  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 2, w, h, xl, "layer 1 ", &y));
  int left = viridis_index (data + (int) y * stride + (int) xl * 4, &dist);
  g_assert_cmpfloat (dist, <, 12);
  g_assert_true (find_row (GS_FIGURE_HEATMAP, runs, 2, w, h, xr, "layer 1 ", &y));
  int right = viridis_index (data + (int) y * stride + (int) xr * 4, &dist);
  g_assert_cmpfloat (dist, <, 12);
  g_test_message ("real runs, layer 1 viridis index: baseline %d, relu %d", left, right);
  /* the absolute scale (1e-8..10): baseline's ~1e-6 sits low, relu's high */
  g_assert_cmpint (left, <, 80);
  g_assert_cmpint (right, >, left + 60);
  cairo_surface_destroy (s);
}

static void
test_describe (void)
{
  g_autoptr (GsRecord) rec = synthetic (&sigmoid_syn);
  GsRecord   *runs[] = { rec };
  GsPlotStyle style;

  gs_plot_style_init (&style, FALSE, FALSE);
  g_autofree char *d = gs_plot_describe_at (GS_FIGURE_HEATMAP, runs, 1, 800, 500, &style, 400, 250);
  g_assert_nonnull (d);
  g_assert_true (g_str_has_prefix (d, "layer "));
  g_assert_nonnull (strstr (d, "‖∂L/∂W‖₂ = "));
  g_assert_null (gs_plot_describe_at (GS_FIGURE_HEATMAP, runs, 1, 800, 500, &style, 1, 1));
  /* the dashboard answers for the figure under the pointer */
  g_autofree char *dh = gs_plot_describe_at (GS_FIGURE_DASHBOARD, runs, 1, 1600, 900, &style, 500, 250);
  g_assert_nonnull (dh);
  g_assert_nonnull (strstr (dh, "‖∂L/∂W‖₂ = "));
  /* the curves cell, bottom right: epoch 2 somewhere across it */
  gboolean epoch2 = FALSE;
  for (double x = 1200; x < 1600 && !epoch2; x += 5)
    {
      g_autofree char *dc = gs_plot_describe_at (GS_FIGURE_DASHBOARD, runs, 1, 1600, 900, &style, x, 650);
      epoch2 = dc && strstr (dc, "epoch 2 · train loss");
    }
  g_assert_true (epoch2);
  g_autofree char *g = gs_plot_describe_at (GS_FIGURE_NORMS, runs, 1, 800, 500, &style, 400, 250);
  g_assert_nonnull (g);
  g_assert_nonnull (strstr (g, "step 180"));
  /* replay: the cursor changes what the hover reports */
  style.cursor_step = 30;
  g_autofree char *c = gs_plot_describe_at (GS_FIGURE_NORMS, runs, 1, 800, 500, &style, 400, 250);
  g_assert_nonnull (strstr (c, "step 30 "));
  style.cursor_step = 0;
  style.hist_kind = GS_HIST_GRAD;
  g_autofree char *h = NULL;
  for (double y = 60; y < 480 && !h; y += 5)
    h = gs_plot_describe_at (GS_FIGURE_HISTOGRAMS, runs, 1, 800, 500, &style, 100, y);
  g_assert_nonnull (h);
  g_assert_nonnull (strstr (h, "% of values"));
}

static void
test_cursor_render (void)
{
  g_autoptr (GsRecord) rec = synthetic (&sigmoid_syn);
  GsRecord   *runs[] = { rec };
  GsPlotStyle style;

  gs_plot_style_init (&style, FALSE, FALSE);
  style.cursor_step = 70;
  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    {
      g_autofree char *name = g_strdup_printf ("cursor-%s.png", gs_figure_name (f));
      g_autofree char *path = out_path (name);
      g_assert_true (gs_plot_export (f, runs, 1, "png", path, 1600, 900, 96, &style, NULL));
    }
  /* the heatmap shows nothing after the cursor */
  g_assert_null (gs_plot_describe_at (GS_FIGURE_HEATMAP, runs, 1, 800, 500, &style, 760, 250));
}

static void
test_ticks (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t         *cr = cairo_create (s);
  GsPlotStyle      style;
  GsPlotCtx        ctx;

  g_assert_cmpfloat (_gs_nice_step (0.7), ==, 1);
  g_assert_cmpfloat (_gs_nice_step (1.3), ==, 2);
  g_assert_cmpfloat (_gs_nice_step (3), ==, 5);
  g_assert_cmpfloat (fabs (_gs_nice_step (0.031) - 0.05), <, 1e-12);
  gs_plot_style_init (&style, FALSE, FALSE);
  _gs_ctx_init (&ctx, cr, &style, NULL, 0);
  for (double len = 40; len < 2000; len *= 1.37)
    for (int k = 0; k < 4; k++)
      {
        static const double ranges[4][2] = { { 0, 93800 }, { -0.03, 0.05 }, { 0.5, 9.5 }, { -2e-5, 2e-5 } };
        GsAxis              a = { .lo = ranges[k][0], .hi = ranges[k][1], .p0 = 0, .p1 = len };
        GsTicks             t;
        _gs_axis_ticks (&ctx, &a, TRUE, &t);
        for (guint i = 1; i < t.n; i++)
          {
            double w0, w1, h;
            _gs_text_size (&ctx, GS_TEXT_TICK, t.text[i - 1], &w0, &h);
            _gs_text_size (&ctx, GS_TEXT_TICK, t.text[i], &w1, &h);
            double gap = _gs_axis_pos (&a, t.v[i]) - _gs_axis_pos (&a, t.v[i - 1]);
            if (gap < (w0 + w1) / 2 + 2)
              g_error ("ticks %s and %s overlap at length %g", t.text[i - 1], t.text[i], len);
          }
        if (len > 300)
          g_assert_cmpuint (t.n, >=, 2);
      }
  GsAxis  la = { .lo = -7, .hi = -1, .log = TRUE, .p0 = 0, .p1 = 600 };
  GsTicks lt;
  _gs_axis_ticks (&ctx, &la, TRUE, &lt);
  g_assert_cmpuint (lt.n, ==, 7);
  g_assert_cmpstr (lt.text[0], ==, "10⁻⁷");
  g_assert_cmpfloat (fabs (lt.v[6] - 0.1), <, 1e-12);
  char buf[32];
  _gs_format_tick (-0.5, 0.5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "−0.5");
  _gs_format_tick (20000, 10000, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "20k");
  _gs_format_tick (2e-5, 1e-5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "2×10⁻⁵");
  _gs_format_tick (-1e-5, 1e-5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "−10⁻⁵");
  _gs_ctx_clear (&ctx);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* No two texts overlap and none leaves the page, for every figure at sizes
 * from a paper column to a slide. */
static void
check_no_overlap (GsRecord **runs, guint n, const char *what)
{
  static const struct
  {
    double   w, h;
    gboolean slides;
  } sizes[] = {
    { 336, 240, FALSE }, /* 3.5 x 2.5 in */
    { 672, 448, FALSE }, /* 7 in double column */
    { 1280, 720, FALSE }, { 1920, 1080, FALSE }, { 1920, 1080, TRUE },
  };

  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      for (int dark = 0; dark < 2; dark++)
        {
          GsPlotStyle style;
          g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (GsRect));
          gs_plot_style_init (&style, dark, sizes[i].slides);
          _gs_plot_render_text_boxes (f, runs, n, sizes[i].w, sizes[i].h, &style, boxes);
          g_assert_cmpuint (boxes->len, >, 0);
          for (guint a = 0; a < boxes->len; a++)
            {
              const GsRect *ra = &g_array_index (boxes, GsRect, a);
              if (ra->x < -1 || ra->y < -1 || ra->x + ra->w > sizes[i].w + 1
                  || ra->y + ra->h > sizes[i].h + 1)
                g_error ("%s %s %gx%g: text %u (%g,%g %gx%g) leaves the page", what, gs_figure_name (f),
                         sizes[i].w, sizes[i].h, a, ra->x, ra->y, ra->w, ra->h);
              for (guint b = a + 1; b < boxes->len; b++)
                {
                  const GsRect *rb = &g_array_index (boxes, GsRect, b);
                  double        ix = MIN (ra->x + ra->w, rb->x + rb->w) - MAX (ra->x, rb->x);
                  double        iy = MIN (ra->y + ra->h, rb->y + rb->h) - MAX (ra->y, rb->y);
                  if (ix > 1 && iy > 1)
                    g_error ("%s %s %gx%g%s: texts %u and %u overlap (%g,%g %gx%g / "
                             "%g,%g %gx%g)",
                             what, gs_figure_name (f), sizes[i].w, sizes[i].h,
                             sizes[i].slides ? " slides" : "", a, b, ra->x, ra->y, ra->w, ra->h, rb->x, rb->y,
                             rb->w, rb->h);
                }
            }
        }
}

static void
test_no_overlap (void)
{
  g_autoptr (GsRecord) sig = synthetic (&sigmoid_syn);
  g_autoptr (GsRecord) relu = synthetic (&relu_syn);
  Syn deep = { "baseline", 49, 2, 40, 0, 1.3, FALSE, FALSE, TRUE, 2 };
  g_autoptr (GsRecord) d49 = synthetic (&deep);
  Syn nan = sigmoid_syn;
  nan.diverge = TRUE;
  g_autoptr (GsRecord) bad = synthetic (&nan);
  Syn one = { "baseline", 4, 0, 100, 1, 10, FALSE, FALSE, FALSE, 1 };
  g_autoptr (GsRecord) first = synthetic (&one);
  GsRecord *pair[] = { sig, relu };

  check_no_overlap (&sig, 1, "sigmoid");
  check_no_overlap (pair, 2, "sigmoid+relu");
  check_no_overlap (&d49, 1, "depth 49");
  check_no_overlap (&bad, 1, "diverged");
  check_no_overlap (&first, 1, "one step");
}

static guint
text_boxes (GsFigure f, GsRecord *rec)
{
  GsPlotStyle style;
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (GsRect));

  gs_plot_style_init (&style, FALSE, FALSE);
  _gs_plot_render_text_boxes (f, &rec, 1, 1280, 720, &style, boxes);
  return boxes->len;
}

/* Each change made while the run trained is a labelled mark on the step
 * axis of the heatmaps (the gradient's and the activations'), the
 * dashboard's among them; no label overlaps another text at any size. */
static void
test_intervention_marks (void)
{
  g_autoptr (GsRecord) plain = synthetic (&sigmoid_syn);
  g_autoptr (GsRecord) changed = synthetic (&sigmoid_syn);
  GsIntervention a = { 61, 2, "gradnorm", "none", "signal" }, b = { 130, 3, "optimizer", "sgd", "adam" };

  gs_record_add_intervention (changed, &a);
  gs_record_add_intervention (changed, &b);
  g_assert_cmpuint (text_boxes (GS_FIGURE_HEATMAP, changed), ==, text_boxes (GS_FIGURE_HEATMAP, plain) + 2);
  g_assert_cmpuint (text_boxes (GS_FIGURE_ACTIVATIONS, changed), ==,
                    text_boxes (GS_FIGURE_ACTIVATIONS, plain) + 2);
  g_assert_cmpuint (text_boxes (GS_FIGURE_DASHBOARD, changed), >, text_boxes (GS_FIGURE_DASHBOARD, plain));
  check_no_overlap (&changed, 1, "interventions");
}

static void
test_layer_colors (void)
{
  GsPlotStyle style;
  GsRgba      a, b, c;

  gs_plot_style_init (&style, FALSE, FALSE);
  _gs_layer_color (&style, 0, 9, &a);
  _gs_layer_color (&style, 0, 50, &b);
  g_assert_cmpfloat (fabs (a.r - b.r) + fabs (a.g - b.g) + fabs (a.b - b.b), <, 1e-9);
  _gs_layer_color (&style, 8, 9, &a);
  _gs_layer_color (&style, 49, 50, &b);
  g_assert_cmpfloat (fabs (a.r - b.r) + fabs (a.g - b.g) + fabs (a.b - b.b), <, 1e-9);
  _gs_layer_color (&style, 1, 9, &c);
  g_assert_cmpfloat (fabs (a.r - c.r) + fabs (a.g - c.g) + fabs (a.b - c.b), >, 0.3);
}

/* Under LANGUAGE=vi with the build's catalogue (meson test plot-vi): every
 * figure's texts are Vietnamese, in the SVG's <text> elements, in hover
 * texts and in export errors. */
static void
test_vietnamese (void)
{
  if (!g_getenv ("GS_TEST_LOCALEDIR") || g_strcmp0 (g_getenv ("LANGUAGE"), "vi") != 0)
    {
      g_test_skip ("needs LANGUAGE=vi and GS_TEST_LOCALEDIR (meson test plot-vi)");
      return;
    }
  g_autoptr (GsRecord) rec = synthetic (&sigmoid_syn);
  GsRecord   *runs[] = { rec };
  GsPlotStyle style;

  g_assert_cmpstr (gs_figure_title (GS_FIGURE_HEATMAP), ==, "Bản đồ nhiệt gradient");
  gs_plot_style_init (&style, FALSE, FALSE);
  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("vi-%s.svg", gs_figure_name (f));
      g_autofree char *path = out_path (name);
      g_autofree char *text = NULL;
      g_assert_true (gs_plot_export (f, runs, 1, "svg", path, 1280, 720, 96, &style, &error));
      g_assert_no_error (error);
      check_svg (path, figure_labels_vi (f));
      /* no English left: the first label of the C-locale test is gone */
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_autofree char *english = g_strdup_printf ("xml:space=\"preserve\">%s", figure_labels (f)[0]);
      g_assert_null (strstr (text, english));
    }
  g_autofree char *d = gs_plot_describe_at (GS_FIGURE_HEATMAP, runs, 1, 800, 500, NULL, 400, 250);
  g_assert_nonnull (d);
  g_assert_true (g_str_has_prefix (d, "lớp "));
  g_assert_nonnull (strstr (d, "bước "));
  /* hover texts anywhere on any figure: no English word left */
  for (GsFigure f = 0; f < GS_N_FIGURES; f++)
    {
      guint n = 0;
      for (double y = 10; y < 720; y += 23)
        for (double x = 10; x < 1280; x += 31)
          {
            g_autofree char *h = gs_plot_describe_at (f, runs, 1, 1280, 720, NULL, x, y);
            if (!h)
              continue;
            if (n++ == 0)
              g_test_message ("%s: %s", gs_figure_name (f), h);
            if (strstr (h, "layer") || strstr (h, "step") || strstr (h, "train") || strstr (h, "value")
                || strstr (h, "mean") || strstr (h, "median"))
              g_error ("%s: English in hover text “%s”", gs_figure_name (f), h);
          }
      g_assert_cmpuint (n, >, 0);
    }
  g_autoptr (GError) e = NULL;
  g_assert_false (gs_plot_export (GS_FIGURE_HEATMAP, runs, 1, "gif", "/tmp/x.gif", 100, 100, 96, NULL, &e));
  g_assert_true (g_str_has_prefix (e->message, "Không xuất được “/tmp/x.gif”"));
}

static void
test_export_errors (void)
{
  g_autoptr (GsRecord) rec = synthetic (&sigmoid_syn);
  GsRecord *runs[] = { rec };
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  g_assert_false (gs_plot_export (GS_FIGURE_HEATMAP, runs, 1, "gif", "/tmp/x.gif", 100, 100, 96, NULL, &e1));
  g_assert_error (e1, GS_PLOT_ERROR, GS_PLOT_ERROR_FORMAT);
  g_assert_nonnull (strstr (e1->message, "/tmp/x.gif"));
  g_assert_false (gs_plot_export (GS_FIGURE_HEATMAP, runs, 1, "png", "/nonexistent-dir/sub/fig.png", 100, 100,
                                  96, NULL, &e2));
  g_assert_error (e2, GS_PLOT_ERROR, GS_PLOT_ERROR_WRITE);
  g_assert_nonnull (strstr (e2->message, "/nonexistent-dir/sub/fig.png"));
  g_assert_false (gs_plot_export (GS_FIGURE_HEATMAP, runs, 1, "svg", "/tmp/y.svg", 0, 100, 96, NULL, &e3));
  g_assert_error (e3, GS_PLOT_ERROR, GS_PLOT_ERROR_SIZE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* GS_TEST_LOCALEDIR (the build's po/): figures in $LANGUAGE, bound as the
   * app and the CLI bind it; without it, the C locale's English. */
  if (g_getenv ("GS_TEST_LOCALEDIR"))
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GS_TEST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    }
  keep_dir = g_strdup (g_getenv ("GS_PLOT_KEEP"));
  if (keep_dir)
    g_mkdir_with_parents (keep_dir, 0755);
  tmp_dir = g_dir_make_tmp ("gs-plot-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/plot/names", test_names);
  g_test_add_func ("/plot/ticks", test_ticks);
  g_test_add_func ("/plot/layer-colors", test_layer_colors);
  g_test_add_func ("/plot/formats", test_formats);
  g_test_add_func ("/plot/no-overlap", test_no_overlap);
  g_test_add_func ("/plot/intervention-marks", test_intervention_marks);
  g_test_add_func ("/plot/svg-size", test_svg_size);
  g_test_add_func ("/plot/presentation-sizes", test_presentation_sizes);
  g_test_add_func ("/plot/vanishing-pixels", test_vanishing_pixels);
  g_test_add_func ("/plot/shared-scale", test_shared_scale);
  g_test_add_func ("/plot/describe", test_describe);
  g_test_add_func ("/plot/cursor", test_cursor_render);
  g_test_add_func ("/plot/compare-runs", test_compare_runs);
  g_test_add_func ("/plot/real-runs", test_real_runs);
  g_test_add_func ("/plot/export-errors", test_export_errors);
  g_test_add_func ("/plot/vietnamese", test_vietnamese);
  g_test_add_func ("/plot/degenerate/one-step", test_degenerate_one_step);
  g_test_add_func ("/plot/degenerate/empty", test_degenerate_empty);
  g_test_add_func ("/plot/degenerate/zero-epochs", test_degenerate_zero_epochs);
  g_test_add_func ("/plot/degenerate/zero-layer", test_degenerate_zero_layer);
  g_test_add_func ("/plot/layerwise-idle", test_layerwise_idle);
  g_test_add_func ("/plot/degenerate/nan-inf", test_degenerate_nan);
  g_test_add_data_func ("/plot/degenerate/depth-0", GUINT_TO_POINTER (0), test_degenerate_depth);
  g_test_add_data_func ("/plot/degenerate/depth-1", GUINT_TO_POINTER (1), test_degenerate_depth);
  g_test_add_data_func ("/plot/degenerate/depth-49", GUINT_TO_POINTER (49), test_degenerate_depth);

  int status = g_test_run ();
  if (!keep_dir)
    {
      g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
      const char *name;
      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
          g_unlink (p);
        }
      g_rmdir (tmp_dir);
    }
  g_free (tmp_dir);
  g_free (keep_dir);
  return status;
}
