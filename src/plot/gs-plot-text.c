/* gs-plot-text.c: the drawing context, all text (pango) and hover answers.
 *
 * One PangoLayout is reused for every string. Hinted metrics are off so a
 * figure lays out the same on screen, in a PNG at any dpi and in a PDF.
 * For SVG, text is not drawn as glyph outlines (cairo's SVG backend would)
 * but collected as <text> elements, so the exported file keeps real text.
 */
#define G_LOG_DOMAIN "gs-plot-text"

#include <math.h>
#include <string.h>

#include "gs-plot-private.h"

static double
role_points (const GsPlotStyle *style, GsTextRole role)
{
  switch (role)
    {
    case GS_TEXT_TICK:
      return style->font_size;
    case GS_TEXT_LABEL:
      return style->label_size;
    case GS_TEXT_TITLE:
      return style->title_size;
    case GS_N_TEXT_ROLES:
    default:
      break;
    }
  return style->font_size;
}

void
_gs_ctx_init (GsPlotCtx *ctx, cairo_t *cr, const GsPlotStyle *style, GsRecord *const *runs, guint n_runs)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->cr = cr;
  ctx->style = style;
  ctx->runs = runs;
  ctx->n_runs = n_runs;

  cairo_surface_type_t type = cairo_surface_get_type (cairo_get_target (cr));
  ctx->vector = type == CAIRO_SURFACE_TYPE_SVG || type == CAIRO_SURFACE_TYPE_PDF
                || type == CAIRO_SURFACE_TYPE_PS || type == CAIRO_SURFACE_TYPE_RECORDING;

  PangoContext *pc = pango_cairo_create_context (cr);
  pango_cairo_context_set_resolution (pc, 96.0);
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pc, fo);
  cairo_font_options_destroy (fo);
  ctx->layout = pango_layout_new (pc);
  g_object_unref (pc);

  _gs_ctx_scale_type (ctx, 1.0);
}

void
_gs_ctx_scale_type (GsPlotCtx *ctx, double k)
{
  for (int r = 0; r < GS_N_TEXT_ROLES; r++)
    {
      PangoFontDescription *fd = pango_font_description_from_string (ctx->style->font_family);
      pango_font_description_set_size (fd, (int) (role_points (ctx->style, r) * k * PANGO_SCALE));
      if (r == GS_TEXT_TITLE)
        pango_font_description_set_weight (fd, PANGO_WEIGHT_BOLD);
      g_clear_pointer (&ctx->fonts[r], pango_font_description_free);
      ctx->fonts[r] = fd;
      double w;
      _gs_text_size (ctx, r, "Ag", &w, &ctx->line_h[r]);
    }
  ctx->pad = ctx->line_h[GS_TEXT_TICK] * 0.5;
  ctx->type_k = k;
}

void
_gs_ctx_clear (GsPlotCtx *ctx)
{
  for (int r = 0; r < GS_N_TEXT_ROLES; r++)
    g_clear_pointer (&ctx->fonts[r], pango_font_description_free);
  g_clear_object (&ctx->layout);
  g_clear_pointer (&ctx->answer, g_free);
}

/* A hover query's answer: the first panel that gives one keeps it. */
void
_gs_answer (GsPlotCtx *ctx, char *text)
{
  if (ctx->answer)
    g_free (text);
  else
    ctx->answer = text;
}

/* Starts run r's line of an answer that may cover several runs: a line
 * break after the previous one and, when runs are compared, r's label. */
void
_gs_answer_line (GsPlotCtx *ctx, GString *s, guint r)
{
  g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;

  if (s->len)
    g_string_append_c (s, '\n');
  if (name)
    g_string_append_printf (s, "%s: ", name);
}

/* Answers with the lines in s, if any; frees s. */
void
_gs_answer_lines (GsPlotCtx *ctx, GString *s)
{
  if (s->len)
    _gs_answer (ctx, g_string_free (s, FALSE));
  else
    g_string_free (s, TRUE);
}

static void
set_text (GsPlotCtx *ctx, GsTextRole role, const char *text)
{
  pango_layout_set_font_description (ctx->layout, ctx->fonts[role]);
  pango_layout_set_text (ctx->layout, text, -1);
}

void
_gs_text_size (GsPlotCtx *ctx, GsTextRole role, const char *text, double *w, double *h)
{
  PangoRectangle logical;

  set_text (ctx, role, text);
  pango_layout_get_extents (ctx->layout, NULL, &logical);
  *w = (double) logical.width / PANGO_SCALE;
  *h = (double) logical.height / PANGO_SCALE;
}

static void
svg_color (GString *s, const char *attr, const GsRgba *c)
{
  g_string_append_printf (s, " %s=\"#%02x%02x%02x\"", attr, (int) lround (CLAMP (c->r, 0, 1) * 255),
                          (int) lround (CLAMP (c->g, 0, 1) * 255), (int) lround (CLAMP (c->b, 0, 1) * 255));
  if (c->a < 1.0)
    g_string_append_printf (s, " %s-opacity=\"%.3g\"", attr, c->a);
}

/* A <text> element at the baseline start (ux, uy) in user space. */
static void
svg_text (GsPlotCtx    *ctx,
          GsTextRole    role,
          const char   *text,
          double        ux,
          double        uy,
          gboolean      vertical,
          const GsRgba *c)
{
  double dx = ux, dy = uy, sx = 1, sy = 0;
  cairo_user_to_device (ctx->cr, &dx, &dy);
  cairo_user_to_device_distance (ctx->cr, &sx, &sy);
  double           size = role_points (ctx->style, role) * ctx->type_k * 96.0 / 72.0 * hypot (sx, sy);
  g_autofree char *family = g_markup_escape_text (ctx->style->font_family, -1);
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  GString         *s = ctx->svg_text;

  g_string_append_printf (s,
                          "<text x=\"%.2f\" y=\"%.2f\" font-family=\"%s\" "
                          "font-size=\"%.2f\"",
                          dx, dy, family, size);
  if (role == GS_TEXT_TITLE)
    g_string_append (s, " font-weight=\"bold\"");
  if (vertical)
    g_string_append_printf (s, " transform=\"rotate(-90 %.2f %.2f)\"", dx, dy);
  svg_color (s, "fill", c);
  g_string_append_printf (s, " xml:space=\"preserve\">%s</text>\n", escaped);
}

static double
baseline (GsPlotCtx *ctx)
{
  return (double) pango_layout_get_baseline (ctx->layout) / PANGO_SCALE;
}

void
_gs_text (GsPlotCtx    *ctx,
          GsTextRole    role,
          const char   *text,
          double        x,
          double        y,
          double        ax,
          double        ay,
          const GsRgba *c)
{
  double w, h;

  if (ctx->query || !text || !*text)
    return;
  _gs_text_size (ctx, role, text, &w, &h);
  double x0 = x - ax * w, y0 = y - ay * h;
  if (ctx->text_boxes)
    g_array_append_val (ctx->text_boxes, ((GsRect){ x0, y0, w, h }));
  if (ctx->svg_text)
    {
      svg_text (ctx, role, text, x0, y0 + baseline (ctx), FALSE, c);
      return;
    }
  _gs_set_color (ctx->cr, c, 1.0);
  cairo_move_to (ctx->cr, x0, y0);
  pango_cairo_show_layout (ctx->cr, ctx->layout);
}

void
_gs_text_vertical (GsPlotCtx *ctx, GsTextRole role, const char *text, double cx, double cy, const GsRgba *c)
{
  double w, h;

  if (ctx->query || !text || !*text)
    return;
  _gs_text_size (ctx, role, text, &w, &h);
  if (ctx->text_boxes)
    g_array_append_val (ctx->text_boxes, ((GsRect){ cx - h / 2, cy - w / 2, h, w }));
  if (ctx->svg_text)
    {
      /* The baseline start of the rotated text, see the matrix below. */
      svg_text (ctx, role, text, cx - h / 2 + baseline (ctx), cy + w / 2, TRUE, c);
      return;
    }
  cairo_save (ctx->cr);
  cairo_translate (ctx->cr, cx, cy);
  cairo_rotate (ctx->cr, -G_PI / 2);
  pango_cairo_update_layout (ctx->cr, ctx->layout);
  _gs_set_color (ctx->cr, c, 1.0);
  cairo_move_to (ctx->cr, -w / 2, -h / 2);
  pango_cairo_show_layout (ctx->cr, ctx->layout);
  cairo_restore (ctx->cr);
  pango_cairo_update_layout (ctx->cr, ctx->layout);
}

/* text, or its longest prefix (whole characters) that fits with "…". */
char *
_gs_text_ellipsize (GsPlotCtx *ctx, GsTextRole role, const char *text, double max_w)
{
  glong  n = g_utf8_strlen (text, -1);
  double w, h;

  _gs_text_size (ctx, role, text, &w, &h);
  if (w <= max_w)
    return g_strdup (text);
  if (ctx->cut_texts)
    g_ptr_array_add (ctx->cut_texts, g_strdup (text));
  glong keep = (glong) (n * max_w / w);
  while (keep > 0)
    {
      const char      *end = g_utf8_offset_to_pointer (text, keep);
      g_autofree char *prefix = g_strndup (text, end - text);
      char            *candidate = g_strconcat (g_strchomp (prefix), "…", NULL);
      _gs_text_size (ctx, role, candidate, &w, &h);
      if (w <= max_w)
        return candidate;
      g_free (candidate);
      keep = MIN (keep - 1, (glong) (keep * max_w / w));
    }
  return NULL;
}

gboolean
_gs_text_fit (GsPlotCtx    *ctx,
              GsTextRole    role,
              const char   *text,
              double        x,
              double        y,
              double        max_w,
              double        ax,
              double        ay,
              const GsRgba *c)
{
  if (ctx->query || !text || !*text)
    return TRUE;
  g_autofree char *shown = _gs_text_ellipsize (ctx, role, text, max_w);
  if (!shown)
    return FALSE;
  _gs_text (ctx, role, shown, x, y, ax, ay, c);
  return TRUE;
}
