/* gs-plot.c: figure names, styles, rendering, hover and export.
 *
 * Export lays a figure out for its physical size: user space is always
 * pixels at 96 dpi, so a 1050 x 750 px PNG at 300 dpi is drawn into a
 * 336 x 240 box scaled by 300/96, and 9 pt text prints as 9 pt.
 */
#define G_LOG_DOMAIN "gs-plot"

#include <math.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <zlib.h>

#include "gs-plot-private.h"

/* Six figures on a page need more room than one. */
#define DASHBOARD_MIN_W 1400
#define DASHBOARD_MIN_H 860
/* and twelve small multiples more than one panel */
#define PERCENTILES_MIN_W 800
#define PERCENTILES_MIN_H 540

/* The figures: the enum's names (the app's GType nicks them the same way),
 * titles, and the function that draws each. */
static const struct
{
  const char  *name, *title;
  GsFigureFunc draw;
  double       min_w, min_h; /* px: the smallest page its normal type fits (0: 640 x 400) */
} figures[GS_N_FIGURES] = {
  [GS_FIGURE_HEATMAP] = { "heatmap", N_ ("Gradient heatmap"), _gs_plot_heatmap },
  [GS_FIGURE_HISTOGRAMS] = { "histograms", N_ ("Histograms"), _gs_plot_histograms },
  [GS_FIGURE_NORMS] = { "norms", N_ ("Gradient norm per layer"), _gs_plot_gradnorm },
  [GS_FIGURE_ACTIVATIONS] = { "activations", N_ ("Activations"), _gs_plot_activations },
  [GS_FIGURE_CURVES] = { "curves", N_ ("Loss and accuracy"), _gs_plot_curves },
  [GS_FIGURE_DASHBOARD]
  = { "dashboard", N_ ("Dashboard"), _gs_plot_dashboard, DASHBOARD_MIN_W, DASHBOARD_MIN_H },
  [GS_FIGURE_PERCENTILES] = { "percentiles", N_ ("Percentile bands per layer"), _gs_plot_bands,
                              PERCENTILES_MIN_W, PERCENTILES_MIN_H },
  [GS_FIGURE_INIT_HIST] = { "init-hist", N_ ("Histograms at initialisation"), _gs_plot_init_hist },
  [GS_FIGURE_AT_INIT] = { "at-init", N_ ("Signal propagation at initialisation"), _gs_plot_signal_init },
  [GS_FIGURE_SHRINK] = { "shrink", N_ ("Why the gradient shrinks"), _gs_plot_shrink },
};

/* The window's tab order, then the papers' figure. */
static const GsFigure tab_order[GS_N_FIGURES]
    = { GS_FIGURE_HEATMAP,    GS_FIGURE_NORMS,       GS_FIGURE_SHRINK, GS_FIGURE_ACTIVATIONS,
        GS_FIGURE_HISTOGRAMS, GS_FIGURE_PERCENTILES, GS_FIGURE_CURVES, GS_FIGURE_AT_INIT,
        GS_FIGURE_DASHBOARD,  GS_FIGURE_INIT_HIST };

/* Names of earlier versions, still accepted everywhere. */
static const struct
{
  const char *old;
  GsFigure    fig;
} old_names[] = {
  { "gradnorm", GS_FIGURE_NORMS },
  { "bands", GS_FIGURE_PERCENTILES },
  { "signal-init", GS_FIGURE_AT_INIT },
};

G_DEFINE_QUARK (gs - plot - error - quark, gs_plot_error)

const char *
gs_figure_name (GsFigure f)
{
  g_return_val_if_fail (f < GS_N_FIGURES, NULL);
  return figures[f].name;
}

const char *
gs_figure_title (GsFigure f)
{
  g_return_val_if_fail (f < GS_N_FIGURES, NULL);
  return _ (figures[f].title);
}

gboolean
gs_figure_from_name (const char *name, GsFigure *out)
{
  GsFigure found = GS_N_FIGURES;

  for (guint i = 0; name && i < GS_N_FIGURES; i++)
    if (g_ascii_strcasecmp (name, figures[i].name) == 0)
      found = i;
  for (guint i = 0; name && i < G_N_ELEMENTS (old_names); i++)
    if (g_ascii_strcasecmp (name, old_names[i].old) == 0)
      found = old_names[i].fig;
  if (found == GS_N_FIGURES)
    return FALSE;
  if (out)
    *out = found;
  return TRUE;
}

char *
gs_figure_list (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < GS_N_FIGURES; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", figures[tab_order[i]].name);
  return g_string_free (s, FALSE);
}

static GsRgba
rgb (guint32 hex)
{
  return (GsRgba){ ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0, 1.0 };
}

void
gs_plot_style_init (GsPlotStyle *s, gboolean dark, gboolean presentation)
{
  memset (s, 0, sizeof *s);
  s->dark = dark;
  s->presentation = presentation;
  g_strlcpy (s->font_family, "DejaVu Sans, Cantarell, sans-serif", sizeof s->font_family);
  /* Presentation: nothing under 11 pt at slide size (1920 x 1080). */
  s->font_size = presentation ? 16 : 8;
  s->label_size = presentation ? 18 : 9;
  s->title_size = presentation ? 22 : 10;
  s->line_width = presentation ? 3 : 1.4;
  s->axis_width = presentation ? 1.6 : 0.8;
  /* presentation: full contrast, read from the back of a classroom */
  if (presentation)
    {
      s->background = dark ? rgb (0x000000) : rgb (0xffffff);
      s->foreground = dark ? rgb (0xffffff) : rgb (0x000000);
      s->muted = dark ? rgb (0xcccccc) : rgb (0x404040);
      s->grid = dark ? rgb (0x4d4d4d) : rgb (0xcccccc);
    }
  else
    {
      s->background = dark ? rgb (0x1e1e1e) : rgb (0xffffff);
      s->foreground = dark ? rgb (0xeeeeee) : rgb (0x1a1a1a);
      s->muted = dark ? rgb (0x9a9a9a) : rgb (0x6b6b6b);
      s->grid = dark ? rgb (0x363636) : rgb (0xe8e8e8);
    }
  s->fill_background = TRUE;
  s->hist_kind = GS_HIST_WEIGHT;
  s->cursor_step = 0;
  s->color_scale = GS_COLOR_SCALE_ABSOLUTE;
  s->color_lo = GS_COLOR_ABSOLUTE_LO;
  s->color_hi = GS_COLOR_ABSOLUTE_HI;
}

static gboolean
parse_magnitude (const char *text, double *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out) && *out > 0;
}

gboolean
gs_plot_style_set_color_range (GsPlotStyle *s, const char *what, const char *text, GError **error)
{
  g_auto (GStrv) parts = NULL;
  double lo, hi;

  if (g_strcmp0 (text, "absolute") == 0 || g_strcmp0 (text, "fit") == 0)
    {
      s->color_scale = text[0] == 'a' ? GS_COLOR_SCALE_ABSOLUTE : GS_COLOR_SCALE_FITTED;
      s->color_lo = GS_COLOR_ABSOLUTE_LO, s->color_hi = GS_COLOR_ABSOLUTE_HI;
      return TRUE;
    }
  parts = g_strsplit (text ? text : "", ":", 3);
  if (g_strv_length (parts) != 2 || !parse_magnitude (parts[0], &lo) || !parse_magnitude (parts[1], &hi)
      || !(lo < hi))
    {
      g_set_error (error, GS_PLOT_ERROR, GS_PLOT_ERROR_FORMAT,
                   _ ("%s: expected LO:HI with 0 < LO < HI (e.g. 1e-8:10), “absolute” or “fit”, got “%s”"),
                   what, text ? text : "");
      return FALSE;
    }
  s->color_scale = GS_COLOR_SCALE_CUSTOM;
  s->color_lo = lo, s->color_hi = hi;
  return TRUE;
}

/* The first thing a page too small for a figure gives up is type size:
 * below the smallest page its normal type fits (its min_w x min_h), and
 * for presentation type (twice the normal) below 1.5 times that page, the
 * type shrinks with the page (to half at most, a quarter for presentation
 * type), so a thumbnail is the figure scaled down, not one with panels
 * missing. */
static void
fit_type (GsPlotCtx *ctx, GsFigure fig, double width, double height)
{
  double min_w = figures[fig].min_w > 0 ? figures[fig].min_w : 640;
  double min_h = figures[fig].min_h > 0 ? figures[fig].min_h : 400;
  double k = ctx->style->presentation ? 1.5 : 1;

  k = MIN (1.0, MIN (width / (min_w * k), height / (min_h * k)));
  if (k < 1)
    _gs_ctx_scale_type (ctx, MAX (k, ctx->style->presentation ? 0.25 : 0.5));
}

static void
render_ctx (GsPlotCtx *ctx, GsFigure fig, double width, double height)
{
  GsRect   area = { 0, 0, width, height };
  cairo_t *cr = ctx->cr;

  fit_type (ctx, fig, width, height);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (ctx->style->fill_background && !ctx->query)
    {
      _gs_set_color (cr, &ctx->style->background, 1.0);
      cairo_paint (cr);
    }
  if (ctx->n_runs == 0)
    _gs_no_data (ctx, &area, _ ("No run to show"));
  else
    figures[fig].draw (ctx, &area, TRUE);
  cairo_restore (cr);
}

void
gs_plot_render (GsFigure           fig,
                GsRecord *const   *runs,
                guint              n_runs,
                cairo_t           *cr,
                double             width,
                double             height,
                const GsPlotStyle *style)
{
  GsPlotCtx   ctx;
  GsPlotStyle fallback;

  g_return_if_fail (fig < GS_N_FIGURES && cr != NULL);
  g_return_if_fail (runs != NULL || n_runs == 0);
  if (!style)
    {
      gs_plot_style_init (&fallback, FALSE, FALSE);
      style = &fallback;
    }
  if (!(width > 0 && height > 0))
    return;
  _gs_ctx_init (&ctx, cr, style, runs, n_runs);
  render_ctx (&ctx, fig, width, height);
  _gs_ctx_clear (&ctx);
}

char *
gs_plot_describe_at (GsFigure           fig,
                     GsRecord *const   *runs,
                     guint              n_runs,
                     double             width,
                     double             height,
                     const GsPlotStyle *style,
                     double             x,
                     double             y)
{
  GsPlotCtx   ctx;
  GsPlotStyle fallback;

  g_return_val_if_fail (fig < GS_N_FIGURES, NULL);
  if (!style)
    {
      gs_plot_style_init (&fallback, FALSE, FALSE);
      style = &fallback;
    }
  if (n_runs == 0 || !(width > 0 && height > 0))
    return NULL;
  /* The same layout code runs, on a tiny surface, drawing nothing heavy. */
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t         *cr = cairo_create (s);
  _gs_ctx_init (&ctx, cr, style, runs, n_runs);
  ctx.query = TRUE;
  ctx.qx = x;
  ctx.qy = y;
  render_ctx (&ctx, fig, width, height);
  char *answer = g_steal_pointer (&ctx.answer);
  _gs_ctx_clear (&ctx);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return answer;
}

void
_gs_plot_render_text_boxes (GsFigure           fig,
                            GsRecord *const   *runs,
                            guint              n_runs,
                            double             width,
                            double             height,
                            const GsPlotStyle *style,
                            GArray            *boxes)
{
  _gs_plot_render_layout (fig, runs, n_runs, width, height, style, boxes, NULL, NULL);
}

void
_gs_plot_render_layout (GsFigure           fig,
                        GsRecord *const   *runs,
                        guint              n_runs,
                        double             width,
                        double             height,
                        const GsPlotStyle *style,
                        GArray            *boxes,
                        GArray            *panels,
                        GPtrArray         *cut_texts)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t         *cr = cairo_create (s);
  GsPlotCtx        ctx;

  _gs_ctx_init (&ctx, cr, style, runs, n_runs);
  ctx.text_boxes = boxes;
  ctx.panels = panels;
  ctx.cut_texts = cut_texts;
  render_ctx (&ctx, fig, width, height);
  _gs_ctx_clear (&ctx);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* Export ------------------------------------------------------------------ */

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* cairo writes no pHYs chunk: insert one right after IHDR (33 bytes in). */
static void
png_insert_phys (GByteArray *png, double dpi)
{
  guint8  chunk[21];
  guint32 ppm = (guint32) lround (dpi / 0.0254);

  if (png->len < 33)
    return;
  put_be32 (chunk, 9);
  memcpy (chunk + 4, "pHYs", 4);
  put_be32 (chunk + 8, ppm);
  put_be32 (chunk + 12, ppm);
  chunk[16] = 1; /* unit: metre */
  put_be32 (chunk + 17, crc32 (0, chunk + 4, 13));
  g_array_insert_vals ((GArray *) png, 33, chunk, sizeof chunk);
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Makes cairo's SVG keep text as text: the <text> elements collected while
 * drawing go last (text is always on top of the data), and scaled-up heatmap
 * rasters are drawn with crisp cells. */
static void
svg_splice_text (GByteArray *svg, const GString *text)
{
  static const char style[]
      = "<style>image{image-rendering:optimizeSpeed;image-rendering:pixelated}</style>\n";
  const char *end_tag = "</svg>";
  guint       at = svg->len;

  for (guint i = svg->len >= 6 ? svg->len - 6 : 0; i > 0; i--)
    if (memcmp (svg->data + i, end_tag, 6) == 0)
      {
        at = i;
        break;
      }
  g_array_insert_vals ((GArray *) svg, at, (const guint8 *) text->str, text->len);
  g_array_insert_vals ((GArray *) svg, at, (const guint8 *) style, strlen (style));
}

static cairo_surface_t *
create_surface (const char *format, GByteArray *bytes, int w, int h, double dpi)
{
  double wpt = w * 72.0 / dpi, hpt = h * 72.0 / dpi;

  if (g_str_equal (format, "png"))
    return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  if (g_str_equal (format, "svg"))
    {
      cairo_surface_t *s = cairo_svg_surface_create_for_stream (append_bytes, bytes, wpt, hpt);
      cairo_svg_surface_restrict_to_version (s, CAIRO_SVG_VERSION_1_1);
      return s;
    }
  cairo_surface_t *s = cairo_pdf_surface_create_for_stream (append_bytes, bytes, wpt, hpt);
  cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_CREATOR, "Gradscope");
  return s;
}

static gboolean
check_args (const char *format, const char *path, int w, int h, double dpi, GError **error)
{
  if (!format
      || !(g_str_equal (format, "png") || g_str_equal (format, "svg") || g_str_equal (format, "pdf")
           || g_str_equal (format, "csv")))
    {
      g_set_error (error, GS_PLOT_ERROR, GS_PLOT_ERROR_FORMAT,
                   _ ("Cannot export “%s”: unknown format “%s” (use png, svg, pdf or csv)"), path,
                   format ? format : "");
      return FALSE;
    }
  if (w < 16 || h < 16 || w > 16384 || h > 16384 || !(dpi >= 10 && dpi <= 2400))
    {
      g_set_error (error, GS_PLOT_ERROR, GS_PLOT_ERROR_SIZE,
                   _ ("Cannot export “%s”: size %d × %d px at %g dpi is out of range "
                      "(16–16384 px, 10–2400 dpi)"),
                   path, w, h, dpi);
      return FALSE;
    }
  return TRUE;
}

static void
export_draw (GsFigure           fig,
             GsRecord *const   *runs,
             guint              n_runs,
             cairo_surface_t   *surface,
             gboolean           is_png,
             gboolean           is_svg,
             int                w,
             int                h,
             double             dpi,
             const GsPlotStyle *style,
             GString           *svg_text)
{
  cairo_t  *cr = cairo_create (surface);
  double    user_w = w * 96.0 / dpi, user_h = h * 96.0 / dpi;
  GsPlotCtx ctx;

  /* PNG device units are pixels; SVG/PDF device units are points. */
  if (is_png)
    cairo_scale (cr, dpi / 96.0, dpi / 96.0);
  else
    cairo_scale (cr, 72.0 / 96.0, 72.0 / 96.0);
  _gs_ctx_init (&ctx, cr, style, runs, n_runs);
  if (is_svg)
    ctx.svg_text = svg_text;
  render_ctx (&ctx, fig, user_w, user_h);
  _gs_ctx_clear (&ctx);
  cairo_destroy (cr);
}

static gboolean
write_out (const char *path, GByteArray *bytes, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (g_file_set_contents (path, (const char *) bytes->data, bytes->len, &local))
    return TRUE;
  g_set_error (error, GS_PLOT_ERROR, GS_PLOT_ERROR_WRITE, _ ("Cannot write “%s”: %s"), path, local->message);
  return FALSE;
}

gboolean
gs_plot_export (GsFigure           fig,
                GsRecord *const   *runs,
                guint              n_runs,
                const char        *format,
                const char        *path,
                int                width_px,
                int                height_px,
                double             dpi,
                const GsPlotStyle *style,
                GError           **error)
{
  GsPlotStyle fallback;

  g_return_val_if_fail (fig < GS_N_FIGURES && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!check_args (format, path, width_px, height_px, dpi, error))
    return FALSE;
  if (!style)
    {
      gs_plot_style_init (&fallback, FALSE, FALSE);
      style = &fallback;
    }
  if (g_str_equal (format, "csv"))
    {
      g_autofree char *csv = _gs_plot_csv (fig, runs, n_runs, style);
      g_autoptr (GByteArray) table = g_byte_array_new ();
      g_byte_array_append (table, (const guint8 *) csv, strlen (csv));
      return write_out (path, table, error);
    }
  gboolean is_png = g_str_equal (format, "png"), is_svg = g_str_equal (format, "svg");
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autoptr (GString) svg_text = g_string_new (NULL);
  cairo_surface_t *surface = create_surface (format, bytes, width_px, height_px, dpi);
  export_draw (fig, runs, n_runs, surface, is_png, is_svg, width_px, height_px, dpi, style, svg_text);
  cairo_status_t status = is_png ? cairo_surface_write_to_png_stream (surface, append_bytes, bytes)
                                 : (cairo_surface_finish (surface), cairo_surface_status (surface));
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GS_PLOT_ERROR, GS_PLOT_ERROR_WRITE, _ ("Cannot write “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (is_png)
    png_insert_phys (bytes, dpi);
  if (is_svg)
    svg_splice_text (bytes, svg_text);
  return write_out (path, bytes, error);
}
