/* gs-plot-activations.c: what the hidden layers' outputs do over training,
 * on the heatmap's layer x step grid.
 *
 * Top: the spread of each layer's activations (their standard deviation),
 * white for none. A sigmoid net whose units all sit near 0.5 shows pale
 * rows, one whose units use their whole range dark ones; the mean says
 * little (a sigmoid's is 0.5 either way), so it is only in the tooltip.
 * Below: the fraction of saturated units, those where the activation's
 * derivative f'(z) is at most 5% of its largest value (a sigmoid's tails,
 * a ReLU's negative side), from 0 (white) to 100% (red). Heat rows, not
 * lines: every layer is shown and none needs a legend.
 */
#define G_LOG_DOMAIN "gs-plot-activations"

#include <math.h>

#include "gs-plot-private.h"

/* TRANSLATORS: the title of the activations figure's upper panel */
#define SPREAD_TITLE _ ("Spread of activations (std)")
/* TRANSLATORS: the title of the activations figure's lower panel: units whose
   activation's derivative f′ is at most 5 % of its largest value */
#define SAT_TITLE _ ("Saturated units (f′ ≤ 5 % of its maximum)")
/* TRANSLATORS: the shortest title of the activations' lower panel */
#define SAT_TITLE_SHORT _ ("Saturated")

typedef struct
{
  GsHeatSpec spread, sat;
} ActSpecs;

/* The tooltip of the upper panel also gives the mean. */
static void
spread_query (GsPlotCtx *ctx, GsRecord *rec, const ActSpecs *s, const GsPanel *p)
{
  g_autofree char *answer = NULL;

  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  _gs_heat_query (ctx, rec, &s->spread, p);
  answer = g_steal_pointer (&ctx->answer);
  if (answer == NULL)
    return;
  guint            stride = MAX (gs_record_stride (rec), 1);
  guint            col = (guint) (_gs_axis_value (&p->x, ctx->qx) / stride);
  guint            layer = (guint) floor (_gs_axis_value (&p->y, ctx->qy) + 0.5) - 1;
  g_autofree char *mean = _gs_format_value (gs_record_series (rec, GS_PROBE_ACT_MEAN, layer)[col]);
  /* TRANSLATORS: appended to a tooltip, e.g. "... · mean 0.50" */
  _gs_answer (ctx, g_strdup_printf (_ ("%s · mean %s"), answer, mean));
}

/* The largest spread a bounded activation allows (half its range), the
 * same for every run of it: a run alone is not fitted to look spread out.
 * 0 for unbounded ones (ReLU ...): their range is fitted to the runs. */
static double
spread_limit (GsPlotCtx *ctx)
{
  double hi = 0;

  for (guint r = 0; r < ctx->n_runs; r++)
    switch (gs_record_config (ctx->runs[r])->activation)
      {
      case GS_ACT_SIGMOID:
        hi = MAX (hi, 0.5);
        break;
      case GS_ACT_TANH:
      case GS_ACT_SOFTSIGN:
        hi = MAX (hi, 1.0);
        break;
      default:
        return 0;
      }
  return hi;
}

static void
heat_row (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, const GsPanel *p, gboolean labelled)
{
  _gs_heat_draw (ctx, rec, spec, p);
  _gs_heat_marks (ctx, rec, p, labelled);
  _gs_panel_axes (ctx, p);
}

/* left: the leftmost column, which labels the layer axis; bottom: the
 * lowest row, which labels the step axis */
static void
run_column (GsPlotCtx      *ctx,
            guint           r,
            gboolean        left,
            gboolean        bottom_row,
            const GsRect   *outer,
            const ActSpecs *s,
            GsRect         *bar)
{
  GsRecord        *rec = ctx->runs[r];
  g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
  /* the same plot height above and below: the lowest row's bottom panel
   * also holds the step axis */
  double  axis = bottom_row ? ctx->line_h[GS_TEXT_TICK] + ctx->line_h[GS_TEXT_LABEL] + ctx->pad : 0;
  double  split = (outer->h - axis) * 0.5;
  GsPanel top = { .outer = { outer->x, outer->y, outer->w, split },
                  .title = name ? name : SPREAD_TITLE,
                  .title_short = name ? name : _ ("Spread (std)") };
  GsPanel bottom = { .outer = { outer->x, outer->y + split, outer->w, outer->h - split },
                     .title = SAT_TITLE,
                     .title_short = SAT_TITLE_SHORT };

  _gs_heat_panel_init (ctx, rec, &s->spread, &top);
  _gs_heat_panel_init (ctx, rec, &s->sat, &bottom);
  top.xlabel = top.xlabel_short = NULL;
  top.no_xticks = TRUE;
  if (!left)
    top.ylabel = bottom.ylabel = top.ylabel_short = bottom.ylabel_short = NULL;
  if (!bottom_row)
    {
      bottom.xlabel = bottom.xlabel_short = NULL;
      bottom.no_xticks = TRUE;
    }
  _gs_align_panels (ctx, &top, &bottom);
  if (top.plot.w < 2 || top.plot.h < 2 || bottom.plot.h < 2)
    return;
  heat_row (ctx, rec, &s->spread, &top, TRUE);
  spread_query (ctx, rec, s, &top);
  heat_row (ctx, rec, &s->sat, &bottom, FALSE);
  _gs_heat_query (ctx, rec, &s->sat, &bottom);
  if (r == 0)
    {
      bar[0].y = top.plot.y, bar[0].h = top.plot.h;
      bar[1].y = bottom.plot.y, bar[1].h = bottom.plot.h;
    }
}

void
_gs_plot_activations (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  ActSpecs s = {
    .spread = { .probe = GS_PROBE_ACT_STD,
                .map = GS_HEAT_BLUES,
                .hidden_only = TRUE,
                .bar_label = _ ("activation std"),
                .bar_label_short = _ ("std"),
                .quantity = _ ("activation std") },
    .sat = { .probe = GS_PROBE_ACT_SAT,
             .map = GS_HEAT_REDS,
             .factor = 100,
             .hidden_only = TRUE,
             .fixed = TRUE,
             .hi = 100,
             .bar_label = _ ("saturated (%)"),
             .bar_label_short = "%",
             .quantity = _ ("saturated units (%)") },
  };
  GsRect body;

  _gs_titled_body (ctx, area, with_title, _ ("Activations per layer"), &body);
  s.spread.hi = spread_limit (ctx);
  s.spread.fixed = s.spread.hi > 0;
  _gs_heat_range (ctx, &s.spread);
  _gs_heat_range (ctx, &s.sat);
  double cbw = MAX (_gs_colorbar_width (ctx, &s.spread), _gs_colorbar_width (ctx, &s.sat));
  if (body.w < cbw * 2.2)
    cbw = 0;
  GsRect cols = { body.x, body.y, body.w - cbw, body.h };
  GsRect bar[2] = { { body.x + body.w - cbw, body.y, cbw, 0 }, { body.x + body.w - cbw, body.y, cbw, 0 } };
  /* runs side by side, or stacked where the columns would be too narrow
   * for their axes (a comparison in a dashboard cell) */
  gboolean stack = ctx->n_runs > 1 && cols.w / ctx->n_runs < ctx->line_h[GS_TEXT_TICK] * 12;
  double   axis = ctx->line_h[GS_TEXT_TICK] + ctx->line_h[GS_TEXT_LABEL] + ctx->pad;
  double   row_h = (cols.h - axis) / ctx->n_runs;
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRect outer = cols;
      if (stack)
        outer.y = cols.y + r * row_h, outer.h = row_h + (r + 1 == ctx->n_runs ? axis : 0);
      else
        _gs_split_cols (&cols, ctx->n_runs, ctx->pad, r, &outer);
      run_column (ctx, r, stack || r == 0, !stack || r + 1 == ctx->n_runs, &outer, &s, bar);
    }
  if (cbw > 0)
    {
      _gs_colorbar (ctx, &s.spread, &bar[0]);
      _gs_colorbar (ctx, &s.sat, &bar[1]);
    }
}
