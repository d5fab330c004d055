/* gs-plot-gradnorm.c: ‖∂L/∂W‖₂ per layer at the shown step, on a log axis;
 * one run also shows step 1, dashed, for how far the profile has moved. */
#define G_LOG_DOMAIN "gs-plot-gradnorm"

#include <math.h>

#include "gs-plot-private.h"

static float
profile_value (GsPlotCtx *ctx, guint r, guint l, gboolean first)
{
  GsRecord *rec = ctx->runs[r];
  if (l >= gs_record_n_layers (rec) || gs_record_n_steps (rec) == 0)
    return NAN;
  if (first)
    return gs_record_first_step_probe (rec, GS_PROBE_GRAD_NORM, l);
  return _gs_probe_at (rec, GS_PROBE_GRAD_NORM, l, ctx->style->cursor_step);
}

/* Showing step 1 itself: no separate "step 1" reference profile. */
static gboolean
single_step (GsPlotCtx *ctx)
{
  return _gs_cursor_step (ctx->runs[0], ctx->style->cursor_step) <= 1;
}

static void
profile_range (GsPlotCtx *ctx, GsAxis *y)
{
  double   vmin = INFINITY, vmax = 0;
  gboolean first = ctx->n_runs == 1;

  for (guint r = 0; r < ctx->n_runs; r++)
    for (guint l = 0; l < gs_record_n_layers (ctx->runs[r]); l++)
      for (int f = 0; f <= first; f++)
        {
          double v = profile_value (ctx, r, l, f);
          if (isfinite (v) && v > 0)
            vmin = MIN (vmin, v), vmax = MAX (vmax, v);
        }
  if (vmax <= 0)
    vmin = vmax = 1e-3;
  *y = (GsAxis){ .log = TRUE };
  _gs_log_range (vmin, vmax, &y->lo, &y->hi);
}

static void
profile_line (GsPlotCtx *ctx, const GsPanel *p, guint r, gboolean first, const GsRgba *line, double dash)
{
  cairo_t           *cr = ctx->cr;
  guint              n = gs_record_n_layers (ctx->runs[r]);
  double             rad = ctx->style->line_width * 1.3 + 1.2;
  double             spacing = p->plot.w / (p->x.hi - p->x.lo);
  g_autofree double *xs = g_new (double, n), *ys = g_new (double, n);

  for (guint l = 0; l < n; l++)
    {
      xs[l] = _gs_axis_pos (&p->x, l + 1);
      ys[l] = _gs_axis_pos (&p->y, profile_value (ctx, r, l, first));
    }
  _gs_polyline (ctx, xs, ys, n, dash, line, first ? 0.6 : 1.0);
  if (spacing < rad * 2.5)
    return;
  for (guint l = 0; l < n; l++)
    {
      GsRgba c;
      double x = xs[l], y = ys[l];
      _gs_layer_color (ctx->style, l, n, &c);
      if (!isfinite (y))
        {
          /* NaN, Inf or exactly zero: a cross on the bottom edge. */
          double yb = p->plot.y + p->plot.h - rad;
          cairo_move_to (cr, x - rad, yb - rad);
          cairo_line_to (cr, x + rad, yb + rad);
          cairo_move_to (cr, x + rad, yb - rad);
          cairo_line_to (cr, x - rad, yb + rad);
          _gs_set_color (cr, &c, 1.0);
          cairo_stroke (cr);
          continue;
        }
      _gs_markers (ctx, x, y, rad, r % 2 == 1);
      if (first)
        {
          _gs_set_color (cr, &ctx->style->background, 1.0);
          cairo_fill_preserve (cr);
          _gs_set_color (cr, &c, 1.0);
          cairo_set_line_width (cr, ctx->style->line_width * 0.7);
          cairo_stroke (cr);
        }
      else
        {
          _gs_set_color (cr, &c, 1.0);
          cairo_fill (cr);
        }
    }
}

static void
profile_query (GsPlotCtx *ctx, const GsPanel *p)
{
  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  guint    l = (guint) MAX (floor (_gs_axis_value (&p->x, ctx->qx) + 0.5), 1) - 1;
  GString *s = g_string_new (NULL);
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      if (l >= gs_record_n_layers (rec))
        continue;
      g_autofree char *v = _gs_format_value (profile_value (ctx, r, l, FALSE));
      _gs_answer_line (ctx, s, r);
      g_string_append_printf (s, _ ("layer %u · step %u · ‖∂L/∂W‖₂ = %s"), l + 1,
                              _gs_cursor_step (rec, ctx->style->cursor_step), v);
    }
  _gs_answer_lines (ctx, s);
}

/* The key above the plot, never over the profile: step 1 against the
 * step shown, or which line is which run. Returns the height taken. */
static double
profile_key (GsPlotCtx *ctx, const GsRect *outer)
{
  GsKeyItem        items[8];
  g_autofree char *now = NULL, *first = NULL;
  char            *run_names[8] = { NULL };
  guint            n = 0;

  if (ctx->n_runs == 1 && single_step (ctx))
    return 0;
  if (ctx->n_runs == 1)
    {
      guint step = _gs_cursor_step (ctx->runs[0], ctx->style->cursor_step);
      now = g_strdup_printf (_ ("step %u"), step);
      first = g_strdup_printf (_ ("step %u"), 1);
      items[n++] = (GsKeyItem){ first, NULL, GS_KEY_DASH, ctx->style->muted };
      items[n++] = (GsKeyItem){ now, NULL, GS_KEY_LINE, ctx->style->foreground };
    }
  else
    for (guint r = 0; r < MIN (ctx->n_runs, 8u); r++, n++)
      {
        run_names[r] = _gs_run_label (ctx, r);
        items[n] = (GsKeyItem){ run_names[r], NULL, r % 2 ? GS_KEY_DASH : GS_KEY_LINE, { 0 } };
        _gs_run_color (ctx->style, r, &items[n].color);
      }
  double h = _gs_key_rows (ctx, outer, items, n);
  for (guint r = 0; r < 8; r++)
    g_free (run_names[r]);
  return h;
}

void
_gs_plot_gradnorm (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsPanel p = { .outer = *area,
                .xlabel = _ ("layer (1 = input)"),
                .ylabel = _ ("‖∂L/∂W‖₂ (log)"),
                .ylabel_short = "‖∂L/∂W‖₂" };
  guint   n = _gs_max_layers (ctx);

  _gs_titled_body (ctx, area, with_title, _ ("Gradient norm per layer"), &p.outer);
  double key = profile_key (ctx, &p.outer);
  p.outer.y += key, p.outer.h -= key;
  p.x = (GsAxis){ .lo = 0.5, .hi = n + 0.5, .integer = TRUE };
  profile_range (ctx, &p.y);
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_panel_frame (ctx, &p);
  if (!ctx->query)
    {
      _gs_panel_clip (ctx, &p);
      for (guint r = 0; r < ctx->n_runs; r++)
        {
          GsRgba c;
          _gs_run_color (ctx->style, r, &c);
          if (ctx->n_runs == 1 && !single_step (ctx))
            profile_line (ctx, &p, r, TRUE, &ctx->style->muted, ctx->pad);
          profile_line (ctx, &p, r, FALSE, &c, r % 2 ? ctx->pad : 0);
        }
      cairo_restore (ctx->cr);
    }
  _gs_panel_axes (ctx, &p);
  profile_query (ctx, &p);
}
