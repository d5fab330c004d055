/* gs-plot-colorbar.c: the colour scale beside a heat image, with keys for
 * the hatched (NaN/Inf) and the flat grey (idle layer) cells. */
#define G_LOG_DOMAIN "gs-plot-colorbar"

#include "gs-plot-private.h"

static void
colorbar_ticks (GsPlotCtx *ctx, const GsHeatSpec *spec, GsAxis *a, GsTicks *t)
{
  *a = (GsAxis){ .lo = spec->lo, .hi = spec->hi, .log = spec->map == GS_HEAT_LOG, .p0 = a->p0, .p1 = a->p1 };
  _gs_axis_ticks (ctx, a, FALSE, t);
}

/* The key of the flat grey cells of layer-wise runs. */
static const char *
idle_text (gboolean forward)
{
  /* TRANSLATORS: colour keys of the heatmaps of greedy layer-wise training:
     grey cells are layers not added to the network yet (activations) or
     frozen, not trained (gradients) */
  return forward ? _ ("not added yet") : _ ("not trained");
}

static const char *
zero_text (void)
{
  /* TRANSLATORS: the colour key of heatmap cells whose value is exactly 0 */
  return _ ("0: no gradient");
}

static void
set_argb (cairo_t *cr, guint32 c)
{
  cairo_set_source_rgb (cr, (c >> 16 & 0xff) / 255.0, (c >> 8 & 0xff) / 255.0, (c & 0xff) / 255.0);
}

static void
zero_key (GsPlotCtx *ctx, double x, double y, double bw)
{
  cairo_rectangle (ctx->cr, x, y, bw, ctx->line_h[GS_TEXT_TICK]);
  set_argb (ctx->cr, _gs_heat_end_argb (0));
  cairo_fill (ctx->cr);
  _gs_text (ctx, GS_TEXT_TICK, zero_text (), x + bw + ctx->pad * 0.5, y + ctx->line_h[GS_TEXT_TICK] / 2, 0,
            0.5, &ctx->style->foreground);
}

/* matplotlib's "extend": a triangle past the end of the bar in the colour
 * of the values beyond it; apex_y is its tip. */
static void
end_triangle (GsPlotCtx *ctx, double x, double bw, double base_y, double apex_y, int which)
{
  cairo_move_to (ctx->cr, x, base_y);
  cairo_line_to (ctx->cr, x + bw, base_y);
  cairo_line_to (ctx->cr, x + bw / 2, apex_y);
  cairo_close_path (ctx->cr);
  set_argb (ctx->cr, _gs_heat_end_argb (which));
  cairo_fill_preserve (ctx->cr);
  _gs_set_color (ctx->cr, &ctx->style->muted, 1.0);
  cairo_set_line_width (ctx->cr, ctx->style->axis_width * 0.75);
  cairo_stroke (ctx->cr);
}

double
_gs_colorbar_width (GsPlotCtx *ctx, const GsHeatSpec *spec)
{
  double w, h, kw = 0;
  const char *sample = spec->map == GS_HEAT_LOG ? "10⁻¹⁰" : spec->map == GS_HEAT_DIVERGING ? "−0.00" : "100";
  const gboolean forward = _gs_probe_forward (spec->probe);

  _gs_text_size (ctx, GS_TEXT_TICK, sample, &w, &h);
  if (spec->has_idle)
    _gs_text_size (ctx, GS_TEXT_TICK, idle_text (forward), &kw, &h);
  else if (spec->has_gap)
    _gs_text_size (ctx, GS_TEXT_TICK, "NaN/Inf", &kw, &h);
  if (spec->has_zero)
    {
      double zw;
      _gs_text_size (ctx, GS_TEXT_TICK, zero_text (), &zw, &h);
      kw = MAX (kw, zw);
    }
  /* the keys sit below the bar, where the rotated label is not */
  kw -= ctx->line_h[GS_TEXT_LABEL] + ctx->pad * 0.4;
  return ctx->pad * 1.2 + ctx->pad * 1.6 + ctx->pad * 0.9 + MAX (w, kw) + ctx->pad * 0.5
         + ctx->line_h[GS_TEXT_LABEL] + ctx->pad * 0.5;
}

static void
gap_key (GsPlotCtx *ctx, double x, double y, double bw)
{
  double h = ctx->line_h[GS_TEXT_TICK];

  cairo_rectangle (ctx->cr, x, y, bw, h);
  _gs_heat_hatch (ctx, &(GsRect){ x, y, bw, h });
  _gs_text (ctx, GS_TEXT_TICK, "NaN/Inf", x + bw + ctx->pad * 0.5, y + h / 2, 0, 0.5,
            &ctx->style->foreground);
}

static void
idle_key (GsPlotCtx *ctx, double x, double y, double bw, gboolean forward)
{
  const guint32 c = _gs_heat_idle_argb (ctx);

  cairo_rectangle (ctx->cr, x, y, bw, ctx->line_h[GS_TEXT_TICK]);
  cairo_set_source_rgb (ctx->cr, (c >> 16 & 0xff) / 255.0, (c >> 8 & 0xff) / 255.0, (c & 0xff) / 255.0);
  cairo_fill (ctx->cr);
  _gs_text (ctx, GS_TEXT_TICK, idle_text (forward), x + bw + ctx->pad * 0.5,
            y + ctx->line_h[GS_TEXT_TICK] / 2, 0, 0.5, &ctx->style->foreground);
}

void
_gs_colorbar (GsPlotCtx *ctx, const GsHeatSpec *spec, const GsRect *r)
{
  cairo_t *cr = ctx->cr;
  double   bx = r->x + ctx->pad * 1.2, bw = ctx->pad * 1.6, y0 = r->y, y1 = r->y + r->h;
  GsAxis   a = { 0 };
  GsTicks  t;

  if (ctx->query || r->h < ctx->line_h[GS_TEXT_TICK] * 2)
    return;
  if (spec->has_gap)
    {
      gap_key (ctx, bx, y1 - ctx->line_h[GS_TEXT_TICK], bw);
      y1 -= ctx->line_h[GS_TEXT_TICK] * 1.6;
    }
  if (spec->has_idle)
    {
      idle_key (ctx, bx, y1 - ctx->line_h[GS_TEXT_TICK], bw, _gs_probe_forward (spec->probe));
      y1 -= ctx->line_h[GS_TEXT_TICK] * 1.6;
    }
  if (spec->has_zero)
    {
      zero_key (ctx, bx, y1 - ctx->line_h[GS_TEXT_TICK], bw);
      y1 -= ctx->line_h[GS_TEXT_TICK] * 1.6;
    }
  /* a fixed range always shows its ends: the same bar for every run */
  double tri = bw * 0.9;
  if (spec->map == GS_HEAT_LOG && (spec->fixed || spec->has_over) && y1 - y0 > tri * 4)
    {
      end_triangle (ctx, bx, bw, y0 + tri, y0, 1);
      y0 += tri;
    }
  if (spec->map == GS_HEAT_LOG && (spec->fixed || spec->has_under) && y1 - y0 > tri * 3)
    {
      end_triangle (ctx, bx, bw, y1 - tri, y1, -1);
      y1 -= tri;
    }
  cairo_pattern_t *grad = cairo_pattern_create_linear (0, y1, 0, y0);
  for (int i = 0; i <= 32; i++)
    {
      double rgb[3], t01 = i / 32.0;
      _gs_heat_map_rgb (spec, t01, rgb);
      cairo_pattern_add_color_stop_rgb (grad, t01, rgb[0], rgb[1], rgb[2]);
    }
  cairo_rectangle (cr, bx, y0, bw, y1 - y0);
  cairo_set_source (cr, grad);
  cairo_fill (cr);
  cairo_pattern_destroy (grad);

  a.p0 = y1;
  a.p1 = y0;
  colorbar_ticks (ctx, spec, &a, &t);
  double tick = ctx->pad * 0.5, tx = bx + bw;
  _gs_set_color (cr, &ctx->style->foreground, 1.0);
  cairo_set_line_width (cr, ctx->style->axis_width);
  for (guint i = 0; i < t.n; i++)
    {
      double y = _gs_axis_pos (&a, t.v[i]);
      cairo_move_to (cr, tx, y);
      cairo_line_to (cr, tx + tick, y);
    }
  cairo_stroke (cr);
  for (guint i = 0; i < t.n; i++)
    _gs_text (ctx, GS_TEXT_TICK, t.text[i], tx + tick + ctx->pad * 0.4, _gs_axis_pos (&a, t.v[i]), 0, 0.5,
              &ctx->style->foreground);
  double      lw, lh;
  const char *text = spec->bar_label;
  _gs_text_size (ctx, GS_TEXT_LABEL, text, &lw, &lh);
  if (lw > y1 - y0 + ctx->pad * 2 && spec->bar_label_short)
    text = spec->bar_label_short;
  g_autofree char *label = _gs_text_ellipsize (ctx, GS_TEXT_LABEL, text, y1 - y0 + ctx->pad * 2);
  if (label)
    _gs_text_vertical (ctx, GS_TEXT_LABEL, label,
                       r->x + r->w - ctx->line_h[GS_TEXT_LABEL] / 2 - ctx->pad * 0.3, (y0 + y1) / 2,
                       &ctx->style->foreground);
}
