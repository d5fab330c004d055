/* gs-plot-heatmap.c: ‖∂L/∂W‖₂ per layer and step, one panel per run on one
 * log colour scale (the image: gs-plot-heat.c). */
#define G_LOG_DOMAIN "gs-plot-heatmap"

#include "gs-plot-private.h"

static void
heat_panel (GsPlotCtx *ctx, guint r, const GsRect *outer, const GsHeatSpec *spec, GsRect *bar_rect)
{
  GsRecord        *rec = ctx->runs[r];
  g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
  GsPanel          p = { .outer = *outer, .title = name };

  _gs_heat_panel_init (ctx, rec, spec, &p);
  if (r > 0)
    p.ylabel = NULL;
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_heat_draw (ctx, rec, spec, &p);
  _gs_heat_marks (ctx, rec, &p, TRUE);
  _gs_panel_axes (ctx, &p);
  _gs_heat_query (ctx, rec, spec, &p);
  if (r == 0)
    {
      bar_rect->y = p.plot.y;
      bar_rect->h = p.plot.h;
    }
}

void
_gs_plot_heatmap (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  /* TRANSLATORS: an axis label: the gradient norm on a log scale */
  GsHeatSpec spec = { .probe = GS_PROBE_GRAD_NORM,
                      .bar_label = _ ("‖∂L/∂W‖₂ (log)"),
                      .bar_label_short = "‖∂L/∂W‖₂",
                      .quantity = "‖∂L/∂W‖₂" };
  GsRect     body;

  _gs_titled_body (ctx, area, with_title, _ ("Gradient magnitude per layer"), &body);
  _gs_heat_range (ctx, &spec);
  double cbw = _gs_colorbar_width (ctx, &spec);
  if (body.w < cbw * 2.2)
    cbw = 0;
  GsRect panels = { body.x, body.y, body.w - cbw, body.h };
  GsRect bar = { body.x + body.w - cbw, body.y, cbw, body.h };
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRect outer;
      _gs_split_cols (&panels, ctx->n_runs, ctx->pad, r, &outer);
      heat_panel (ctx, r, &outer, &spec, &bar);
    }
  if (cbw > 0)
    _gs_colorbar (ctx, &spec, &bar);
}
