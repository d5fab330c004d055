/* test-papers-plot.c: the papers' figures (bands, init-hist, signal-init)
 * on real records: one-step records from gs_signal_at_init() and short
 * training runs on the built-in data set; every format at paper and slide
 * size, no text overlap, hover text, degenerate records.
 *
 * Set GS_PLOT_KEEP=DIR to keep the rendered files for a look.
 */
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "gs-plot-private.h"
#include "gs-signal.h"
#include "gs-trainer.h"

static const GsFigure paper_figures[] = {
  GS_FIGURE_PERCENTILES,
  GS_FIGURE_INIT_HIST,
  GS_FIGURE_AT_INIT,
};

static GsDataset *data;
static char      *out_dir;

static GsConfig
preset (const char *id, const char *const *settings)
{
  GsConfig c;
  g_assert_true (gs_config_load_preset (&c, id, NULL));
  for (guint i = 0; settings && settings[i]; i += 2)
    g_assert_true (gs_config_set (&c, settings[i], settings[i + 1], NULL));
  return c;
}

static GsRecord *
at_init (const char *id, const char *const *settings)
{
  GsConfig c = preset (id, settings);
  g_autoptr (GError) error = NULL;
  GsRecord *rec = gs_signal_at_init (&c, data, 128, NULL, &error);
  g_assert_no_error (error);
  return rec;
}

static GsRecord *
trained (const char *id, const char *const *settings)
{
  GsConfig c = preset (id, settings);
  g_autoptr (GError) error = NULL;
  g_autoptr (GsTrainer) t = gs_trainer_new (&c, data, &error);
  g_assert_no_error (error);
  g_assert_true (gs_trainer_run (t, &error));
  return gs_record_ref (gs_trainer_get_record (t));
}

static const char *const short_run[] = { "epochs", "2", "limit-train", "400", NULL };

/* A record with steps but no histogram checkpoints, and one with nothing. */
static GsRecord *
no_checkpoints (gboolean any_step)
{
  GsConfig  c = preset ("glorot-sigmoid", NULL);
  GsRecord *rec = gs_record_new (&c, c.depth + 1, 10, "synthetic");
  float     probes[5 * GS_N_PROBES];
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    probes[i] = 0.5f;
  for (guint s = 0; any_step && s < 10; s++)
    gs_record_append_step (rec, probes, 2.3f, 0.1f);
  return rec;
}

static void
check_no_overlap (GsFigure f, GsRecord **runs, guint n, const char *what)
{
  static const struct
  {
    double   w, h;
    gboolean slides;
  } sizes[] = {
    { 336, 240, FALSE },   { 672, 448, FALSE },  { 1280, 720, FALSE },
    { 1920, 1080, FALSE }, { 1920, 1080, TRUE },
  };

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
            if (ra->x < -1 || ra->y < -1 || ra->x + ra->w > sizes[i].w + 1 || ra->y + ra->h > sizes[i].h + 1)
              g_error ("%s %s %gx%g: text %u leaves the page", what, gs_figure_name (f), sizes[i].w,
                       sizes[i].h, a);
            for (guint b = a + 1; b < boxes->len; b++)
              {
                const GsRect *rb = &g_array_index (boxes, GsRect, b);
                double        ix = MIN (ra->x + ra->w, rb->x + rb->w) - MAX (ra->x, rb->x);
                double        iy = MIN (ra->y + ra->h, rb->y + rb->h) - MAX (ra->y, rb->y);
                if (ix > 1 && iy > 1)
                  g_error ("%s %s %gx%g%s: texts %u and %u overlap (%g,%g %gx%g / "
                           "%g,%g %gx%g)",
                           what, gs_figure_name (f), sizes[i].w, sizes[i].h, sizes[i].slides ? " slides" : "",
                           a, b, ra->x, ra->y, ra->w, ra->h, rb->x, rb->y, rb->w, rb->h);
              }
          }
      }
}

static void
export_all (GsFigure f, GsRecord **runs, guint n, const char *what)
{
  static const char *const formats[] = { "png", "svg", "pdf" };
  static const struct
  {
    int      w, h;
    double   dpi;
    gboolean slides;
  } sizes[] = {
    { 1050, 750, 300, FALSE },
    { 1920, 1080, 96, TRUE },
  };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        GsPlotStyle style;
        g_autoptr (GError) error = NULL;
        g_autofree char *name = g_strdup_printf ("%s-%s-%s.%s", what, gs_figure_name (f),
                                                 sizes[s].slides ? "slide" : "paper", formats[i]);
        g_autofree char *path = g_build_filename (out_dir, name, NULL);
        gs_plot_style_init (&style, FALSE, sizes[s].slides);
        g_assert_true (gs_plot_export (f, runs, n, formats[i], path, sizes[s].w, sizes[s].h, sizes[s].dpi,
                                       &style, &error));
        g_assert_no_error (error);
        if (i == 0)
          {
            cairo_surface_t *png = cairo_image_surface_create_from_png (path);
            g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
            g_assert_cmpint (cairo_image_surface_get_width (png), ==, sizes[s].w);
            g_assert_cmpint (cairo_image_surface_get_height (png), ==, sizes[s].h);
            cairo_surface_destroy (png);
          }
        else
          {
            GStatBuf st;
            g_assert_cmpint (g_stat (path, &st), ==, 0);
            g_assert_cmpint (st.st_size, >, 200);
          }
      }
}

/* Somewhere on the figure, hovering says something with a layer in it
 * ("layer 3", or "lớp 3" in the papers-plot-vi test). */
static void
check_hover (GsFigure f, GsRecord **runs, guint n)
{
  const char      *layer_n = _ ("layer %u");
  g_autofree char *layer = g_strndup (layer_n, strcspn (layer_n, "%"));
  gboolean         found = FALSE;

  for (double y = 20; y < 720 && !found; y += 13)
    for (double x = 20; x < 1280 && !found; x += 17)
      {
        g_autofree char *s = gs_plot_describe_at (f, runs, n, 1280, 720, NULL, x, y);
        found = s != NULL && strstr (s, layer) != NULL;
      }
  if (!found)
    g_error ("%s: no hover text anywhere", gs_figure_name (f));
}

static void
check_figures (GsRecord **runs, guint n, const char *what, gboolean hover)
{
  for (guint i = 0; i < G_N_ELEMENTS (paper_figures); i++)
    {
      export_all (paper_figures[i], runs, n, what);
      check_no_overlap (paper_figures[i], runs, n, what);
      if (hover)
        check_hover (paper_figures[i], runs, n);
    }
}

static void
test_names (void)
{
  static const char *const names[] = { "bands", "init-hist", "signal-init" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GsFigure f;
      g_assert_true (gs_figure_from_name (names[i], &f));
      g_assert_cmpint (f, ==, paper_figures[i]);
      g_assert_nonnull (gs_figure_title (f));
    }
}

/* Glorot & Bengio's tanh pair at init, side by side; and one alone. */
static void
test_at_init (void)
{
  g_autoptr (GsRecord) std = at_init ("glorot-tanh-standard", NULL);
  g_autoptr (GsRecord) norm = at_init ("glorot-tanh-normalized", NULL);
  GsRecord *pair[] = { std, norm };
  check_figures (&std, 1, "tanh-standard", TRUE);
  check_figures (pair, 2, "tanh-pair", TRUE);
}

/* He et al.: 30 ReLU layers, Xavier against He (no activation-input band:
 * ReLU cannot be inverted; the ReLU zeros make one tall bin). */
static void
test_deep_relu (void)
{
  g_autoptr (GsRecord) xavier = at_init ("he-relu-deep", NULL);
  g_autoptr (GsRecord) he = at_init ("he-relu-deep-he", NULL);
  GsRecord *pair[] = { xavier, he };
  check_figures (pair, 2, "relu-pair", TRUE);
}

/* Trained: Glorot's sigmoid net and Ioffe's BatchNorm net. */
static void
test_trained (void)
{
  g_autoptr (GsRecord) sig = trained ("glorot-sigmoid", short_run);
  g_autoptr (GsRecord) bn = trained ("ioffe-bn", short_run);
  GsRecord *pair[] = { sig, bn };
  check_figures (&sig, 1, "glorot-sigmoid", TRUE);
  check_figures (pair, 2, "sigmoid-bn", TRUE);
}

/* Nothing recorded yet, steps without histograms, one layer, a wide deep
 * net: every figure draws something (a "no data" note at least). */
static void
test_degenerate (void)
{
  static const char *const one[] = { "depth", "1", "width", "1", NULL };
  static const char *const deep[] = { "depth", "64", "width", "8", "activation", "sigmoid", NULL };
  g_autoptr (GsRecord) empty = no_checkpoints (FALSE);
  g_autoptr (GsRecord) bare = no_checkpoints (TRUE);
  g_autoptr (GsRecord) tiny = at_init ("glorot-tanh-standard", one);
  g_autoptr (GsRecord) d64 = at_init ("he-relu-deep", deep);
  check_figures (&empty, 1, "empty", FALSE);
  check_figures (&bare, 1, "bare", FALSE);
  check_figures (&tiny, 1, "depth1", FALSE);
  check_figures (&d64, 1, "depth64", TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* GS_TEST_LOCALEDIR (the build's po/): figures in $LANGUAGE */
  if (g_getenv ("GS_TEST_LOCALEDIR"))
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GS_TEST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    }
  data = gs_dataset_new_builtin ();
  const char      *keep = g_getenv ("GS_PLOT_KEEP");
  g_autofree char *tmp = keep ? NULL : g_dir_make_tmp ("gs-papers-XXXXXX", NULL);
  out_dir = keep ? g_strdup (keep) : g_strdup (tmp);
  g_test_add_func ("/papers-plot/names", test_names);
  g_test_add_func ("/papers-plot/at-init", test_at_init);
  g_test_add_func ("/papers-plot/deep-relu", test_deep_relu);
  g_test_add_func ("/papers-plot/trained", test_trained);
  g_test_add_func ("/papers-plot/degenerate", test_degenerate);
  int rc = g_test_run ();
  if (!keep)
    {
      g_autoptr (GDir) dir = g_dir_open (out_dir, 0, NULL);
      const char *name;
      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *path = g_build_filename (out_dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (out_dir);
    }
  gs_dataset_free (data);
  g_free (out_dir);
  return rc;
}
