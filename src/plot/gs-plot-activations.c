/* gs-plot-activations.c: what the layers' outputs do over training.
 *
 * Top: mean activation per layer and step on a diverging map centred on
 * zero. Below, on the same step axis: the fraction of saturated units
 * (f'(y) <= 5% of its maximum) per layer, one line per layer colour.
 */
#define G_LOG_DOMAIN "gs-plot-activations"

#include <math.h>

#include "gs-plot-private.h"

static void
saturation_lines (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p)
{
  guint    n_layers = gs_record_n_layers (rec);
  guint    n_show = _gs_cursor_column (rec, ctx->style->cursor_step);
  cairo_t *cr = ctx->cr;

  _gs_panel_clip (ctx, p);
  cairo_set_line_width (cr, ctx->style->line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint l = 0; l < n_layers; l++)
    {
      GsRgba c;
      _gs_layer_color (ctx->style, l, n_layers, &c);
      _gs_series_path (ctx, p, gs_record_series (rec, GS_PROBE_ACT_SAT, l), n_show,
                       MAX (gs_record_stride (rec), 1), 1.0, 100.0);
      _gs_set_color (cr, &c, 1.0);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* Line samples with layer names, in the column right of the plots; as many
 * layers as fit, spread from input to output. */
static void
layer_key (GsPlotCtx *ctx, GsRecord *rec, const GsRect *r)
{
  guint    n_layers = gs_record_n_layers (rec);
  double   row = ctx->line_h[GS_TEXT_TICK] * 1.05, sample = ctx->line_h[GS_TEXT_TICK];
  guint    n = MIN (n_layers, (guint) MAX (r->h / row, 0));
  cairo_t *cr = ctx->cr;

  if (ctx->query || n == 0)
    return;
  if (n < n_layers && n > 1 && n_layers > 2)
    n = MIN (n, 6u);
  cairo_set_line_width (cr, ctx->style->line_width * 1.5);
  for (guint i = 0; i < n; i++)
    {
      guint  l = n == 1 ? 0 : i * (n_layers - 1) / (n - 1);
      double y = r->y + row * (i + 0.5);
      GsRgba c;
      _gs_layer_color (ctx->style, l, n_layers, &c);
      cairo_move_to (cr, r->x + ctx->pad, y);
      cairo_line_to (cr, r->x + ctx->pad + sample, y);
      _gs_set_color (cr, &c, 1.0);
      cairo_stroke (cr);
      g_autofree char *text = g_strdup_printf (_ ("layer %u"), l + 1);
      _gs_text_fit (ctx, GS_TEXT_TICK, text, r->x + ctx->pad * 1.5 + sample, y,
                    r->w - ctx->pad * 1.5 - sample, 0, 0.5, &ctx->style->foreground);
    }
}

static double
layer_key_width (GsPlotCtx *ctx)
{
  double           w, h;
  g_autofree char *widest = g_strdup_printf (_ ("layer %u"), 99);
  _gs_text_size (ctx, GS_TEXT_TICK, widest, &w, &h);
  return w + ctx->line_h[GS_TEXT_TICK] + ctx->pad * 2;
}

static void
saturation_query (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p)
{
  guint n_show = _gs_cursor_column (rec, ctx->style->cursor_step);
  guint stride = MAX (gs_record_stride (rec), 1);

  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  double step = _gs_axis_value (&p->x, ctx->qx);
  guint  col = step > 0 ? (guint) (step / stride) : 0;
  if (col >= n_show)
    return;
  double want = _gs_axis_value (&p->y, ctx->qy), best = INFINITY;
  guint  pick = 0;
  for (guint l = 0; l < gs_record_n_layers (rec); l++)
    {
      double d = fabs (100 * gs_record_series (rec, GS_PROBE_ACT_SAT, l)[col] - want);
      if (d < best)
        best = d, pick = l;
    }
  double v = gs_record_series (rec, GS_PROBE_ACT_SAT, pick)[col];
  _gs_answer (ctx, g_strdup_printf (_ ("layer %u · step %u · saturated units = %.1f%%"), pick + 1,
                                    col * stride + 1, 100 * v));
}

static void
run_column (GsPlotCtx *ctx, guint r, const GsRect *outer, const GsHeatSpec *spec, GsRect *bar, GsRect *key)
{
  GsRecord        *rec = ctx->runs[r];
  g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
  double           split = outer->h * 0.5;
  GsPanel          top = { .outer = { outer->x, outer->y, outer->w, split },
                           .title = name ? name : _ ("Mean activation (0 = white)") };
  GsPanel          bottom = { .outer = { outer->x, outer->y + split, outer->w, outer->h - split },
                              /* TRANSLATORS: units whose activation's derivative is near zero */
                              .title = _ ("Saturated units"),
                              .ylabel = _ ("saturated (%)"),
                              .ylabel_short = "%" };

  _gs_heat_panel_init (ctx, rec, &top);
  bottom.xlabel = top.xlabel;
  bottom.xlabel_short = top.xlabel_short;
  top.xlabel = NULL;
  top.no_xticks = TRUE;
  bottom.x = top.x;
  bottom.y = (GsAxis){ .lo = 0, .hi = 100 };
  if (r > 0)
    top.ylabel = bottom.ylabel = top.ylabel_short = bottom.ylabel_short = NULL;
  _gs_align_panels (ctx, &top, &bottom);
  if (top.plot.w < 2 || top.plot.h < 2 || bottom.plot.h < 2)
    return;
  _gs_heat_draw (ctx, rec, spec, &top);
  _gs_heat_marks (ctx, rec, &top);
  _gs_panel_axes (ctx, &top);
  _gs_heat_query (ctx, rec, spec, &top);
  _gs_panel_frame (ctx, &bottom);
  if (!ctx->query)
    {
      saturation_lines (ctx, rec, &bottom);
    }
  _gs_panel_axes (ctx, &bottom);
  saturation_query (ctx, rec, &bottom);
  if (r == 0)
    {
      bar->y = top.plot.y, bar->h = top.plot.h;
      key->y = bottom.plot.y, key->h = bottom.plot.h;
    }
}

void
_gs_plot_activations (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsHeatSpec spec = { .probe = GS_PROBE_ACT_MEAN,
                      .diverging = TRUE,
                      .bar_label = _ ("mean activation"),
                      .bar_label_short = _ ("mean"),
                      .quantity = _ ("mean activation") };
  GsRect     body;

  _gs_titled_body (ctx, area, with_title, _ ("Activations per layer"), &body);
  _gs_heat_range (ctx, &spec);
  double cbw = MAX (_gs_colorbar_width (ctx, &spec), layer_key_width (ctx));
  if (body.w < cbw * 2.2)
    cbw = 0;
  GsRect cols = { body.x, body.y, body.w - cbw, body.h };
  GsRect bar = { body.x + body.w - cbw, body.y, cbw, body.h * 0.5 };
  GsRect key = { bar.x, body.y, cbw, 0 };
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRect outer;
      _gs_split_cols (&cols, ctx->n_runs, ctx->pad, r, &outer);
      run_column (ctx, r, &outer, &spec, &bar, &key);
    }
  if (cbw > 0)
    {
      _gs_colorbar (ctx, &spec, &bar);
      layer_key (ctx, ctx->runs[0], &key);
    }
}
