/* gs-plot-shrink.c: why the gradient shrinks. Per layer, the factor by
 * which the backward signal changes crossing it, split into the
 * activation's derivative and the weights (and, where the net has them, its
 * normalisation and skip paths); beside it the running product down the
 * layers: the signal that reaches each layer's weights, relative to the
 * output, which is the heatmap's slope.
 *
 * The factors are ratios of the norms the backward measures one after the
 * other (GS_PROBE_SIGNAL_NORM ... GS_PROBE_WT_NORM), so their product
 * telescopes: it is the measured ratio ‖∂L/∂z₁‖ / ‖∂L/∂logits‖ exactly
 * (docs/figures.md, "Why the gradient shrinks").
 */
#define G_LOG_DOMAIN "gs-plot-shrink"

#include <math.h>

#include "gs-plot-private.h"

/* a / b, with 0 / 0 = 1: a signal that is already zero stays zero. */
static double
ratio (double a, double b)
{
  return a == 0 && b == 0 ? 1 : a / b;
}

guint
_gs_shrink_rows (GsRecord *rec, guint cursor_step, GsShrinkRow *rows)
{
  const guint n = gs_record_n_layers (rec), head = n - 1;
  double      arriving = 1; /* ‖∂L/∂h_l‖ relative to ‖∂L/∂logits‖ */

#define V(p, l) ((double) _gs_probe_at (rec, GS_PROBE_##p, (l), cursor_step))
  for (guint l = 0; l < n; l++)
    rows[l] = (GsShrinkRow){ NAN, NAN, NAN, NAN, NAN, NAN };
  if (gs_record_n_steps (rec) == 0)
    return n;
  rows[head].reach = 1;
  for (int l = (int) head; l >= 0; l--)
    {
      GsShrinkRow *r = &rows[l];
      const double sig = l == (int) head ? V (DZ_NORM, l) : V (SIGNAL_NORM, l);
      if (!isfinite (sig))
        break;
      if (l < (int) head)
        {
          r->act = ratio (V (DACT_NORM, l), V (ACT_IN_NORM, l));
          r->norm = ratio (V (ACT_IN_NORM, l), sig) * ratio (V (DZ_NORM, l), V (DACT_NORM, l));
          r->reach = arriving * r->act * r->norm;
        }
      const double wt = V (WT_NORM, l), below = l > 0 ? V (SIGNAL_NORM, l - 1) : NAN;
      if (isfinite (wt) && isfinite (below))
        {
          r->weights = ratio (wt, V (DZ_NORM, l));
          r->skip = ratio (below, wt);
        }
      r->crossing
          = (l < (int) head ? r->act * r->norm : 1) * (isfinite (r->weights) ? r->weights * r->skip : 1);
      arriving *= r->crossing;
    }
#undef V
  return n;
}

/* The lowest layer with a factor, and the product of the factors down to
 * its weights (NaN when none). */
static double
shrink_product (const GsShrinkRow *rows, guint n, guint *lowest)
{
  for (guint l = 0; l < n; l++)
    if (isfinite (rows[l].reach) || (rows[l].reach == 0))
      {
        if (lowest)
          *lowest = l;
        return rows[l].reach;
      }
  return NAN;
}

enum
{
  BAR_ACT,
  BAR_WEIGHTS,
  BAR_OTHER,
  N_BARS
};

static const guint32 bar_hex[N_BARS] = { 0xE69F00, 0x0072B2, 0x009E73 };

static double
bar_value (const GsShrinkRow *r, int bar)
{
  switch (bar)
    {
    case BAR_ACT:
      return r->act;
    case BAR_WEIGHTS:
      return r->weights;
    default:
      return r->norm * (isfinite (r->skip) ? r->skip : 1);
    }
}

static void
bar_color (int bar, GsRgba *c)
{
  guint32 hex = bar_hex[bar];
  *c = (GsRgba){ ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0, 1 };
}

typedef struct
{
  GsShrinkRow *rows[8];
  guint        n_layers[8];
  gboolean     other; /* some layer has a normalisation or skip factor */
  gboolean     zero;  /* some factor or product is exactly 0 */
  double       fmin, fmax, rmin, rmax;
} Shrink;

static void
widen (double v, double *lo, double *hi)
{
  if (isfinite (v) && v > 0)
    *lo = MIN (*lo, v), *hi = MAX (*hi, v);
}

static void
shrink_gather (GsPlotCtx *ctx, Shrink *s)
{
  s->fmin = s->rmin = 1, s->fmax = s->rmax = 1;
  s->other = s->zero = FALSE;
  for (guint r = 0; r < MIN (ctx->n_runs, 8u); r++)
    {
      guint n = gs_record_n_layers (ctx->runs[r]);
      s->rows[r] = g_new (GsShrinkRow, n);
      s->n_layers[r] = _gs_shrink_rows (ctx->runs[r], ctx->style->cursor_step, s->rows[r]);
      for (guint l = 0; l < n; l++)
        {
          const GsShrinkRow *row = &s->rows[r][l];
          double             o = bar_value (row, BAR_OTHER);
          for (int b = 0; b < N_BARS; b++)
            widen (bar_value (row, b), &s->fmin, &s->fmax);
          widen (row->crossing, &s->fmin, &s->fmax);
          widen (row->reach, &s->rmin, &s->rmax);
          if (isfinite (o) && fabs (log10 (o)) > 1e-3)
            s->other = TRUE;
          if (row->act == 0 || row->weights == 0 || o == 0 || row->reach == 0)
            s->zero = TRUE;
        }
    }
}

static void
shrink_clear (GsPlotCtx *ctx, Shrink *s)
{
  for (guint r = 0; r < MIN (ctx->n_runs, 8u); r++)
    g_free (s->rows[r]);
}

/* x of v on a log axis, or the left edge for an exact zero. */
static double
log_pos (const GsPanel *p, double v)
{
  return v == 0 ? p->plot.x : _gs_axis_pos (&p->x, v);
}

/* The "0: no gradient" mark: an open square on the left edge. */
static void
zero_mark (GsPlotCtx *ctx, double x, double y, double r, const GsRgba *c)
{
  cairo_rectangle (ctx->cr, x + r * 0.3, y - r, 2 * r, 2 * r);
  _gs_set_color (ctx->cr, c, 1.0);
  cairo_set_line_width (ctx->cr, ctx->style->axis_width);
  cairo_stroke (ctx->cr);
}

static void
factor_bars (GsPlotCtx *ctx, const GsPanel *p, const Shrink *s, guint r)
{
  const guint  n = s->n_layers[r], nb = s->other ? 3 : 2;
  const double row_h = fabs (_gs_axis_pos (&p->y, 2) - _gs_axis_pos (&p->y, 1));
  const double bh = MAX (row_h * 0.8 / nb, 1), x1 = _gs_axis_pos (&p->x, 1);

  for (guint l = 0; l < n; l++)
    {
      const GsShrinkRow *row = &s->rows[r][l];
      double             yc = _gs_axis_pos (&p->y, l + 1), y0 = yc - bh * nb / 2;
      for (guint b = 0; b < nb; b++)
        {
          double v = bar_value (row, b), x = log_pos (p, v);
          GsRgba c;
          bar_color (b, &c);
          if (!(v >= 0) || isinf (v))
            continue;
          if (v == 0)
            zero_mark (ctx, p->plot.x, y0 + bh * (b + 0.5), MIN (bh / 2, ctx->pad / 2), &c);
          cairo_rectangle (ctx->cr, MIN (x, x1), y0 + bh * b, fabs (x - x1), bh * 0.92);
          _gs_set_color (ctx->cr, &c, 1.0);
          cairo_fill (ctx->cr);
        }
      /* the whole crossing: a tick across the bars */
      if (isfinite (row->crossing) && row->crossing > 0)
        {
          double x = _gs_axis_pos (&p->x, row->crossing);
          cairo_move_to (ctx->cr, x, y0 - bh * 0.3);
          cairo_line_to (ctx->cr, x, y0 + bh * (nb + 0.3));
          _gs_set_color (ctx->cr, &ctx->style->foreground, 1.0);
          cairo_set_line_width (ctx->cr, ctx->style->line_width * 1.2);
          cairo_stroke (ctx->cr);
        }
    }
}

static void
reach_line (GsPlotCtx *ctx, const GsPanel *p, const Shrink *s, guint r)
{
  const guint        n = s->n_layers[r];
  g_autofree double *xs = g_new (double, n), *ys = g_new (double, n);
  GsRgba             c;
  double             rad = ctx->style->line_width * 1.3 + 1.2;

  _gs_run_color (ctx->style, r, &c);
  for (guint l = 0; l < n; l++)
    {
      double v = s->rows[r][l].reach;
      xs[l] = v > 0 && isfinite (v) ? _gs_axis_pos (&p->x, v) : NAN;
      ys[l] = _gs_axis_pos (&p->y, l + 1);
      if (v == 0)
        zero_mark (ctx, p->plot.x, ys[l], rad, &c);
    }
  /* _gs_polyline breaks at non-finite y: swap the roles by drawing it here */
  gboolean pen = FALSE;
  for (guint l = 0; l < n; l++)
    {
      if (!isfinite (xs[l]))
        {
          pen = FALSE;
          continue;
        }
      (pen ? cairo_line_to : cairo_move_to) (ctx->cr, xs[l], ys[l]);
      pen = TRUE;
    }
  cairo_save (ctx->cr);
  if (r % 2)
    cairo_set_dash (ctx->cr, (double[]){ ctx->pad, ctx->pad * 0.6 }, 2, 0);
  _gs_set_color (ctx->cr, &c, 1.0);
  cairo_set_line_width (ctx->cr, ctx->style->line_width);
  cairo_stroke (ctx->cr);
  cairo_restore (ctx->cr);
  if (p->plot.h / MAX (n, 1) < rad * 2.5)
    return;
  for (guint l = 0; l < n; l++)
    if (isfinite (xs[l]))
      _gs_markers (ctx, xs[l], ys[l], rad, r % 2 == 1);
  _gs_set_color (ctx->cr, &c, 1.0);
  cairo_fill (ctx->cr);
}

/* The reference line at a factor of 1 (nothing changes). */
static void
unit_line (GsPlotCtx *ctx, const GsPanel *p)
{
  double x = _gs_axis_pos (&p->x, 1);
  cairo_move_to (ctx->cr, x, p->plot.y);
  cairo_line_to (ctx->cr, x, p->plot.y + p->plot.h);
  _gs_set_color (ctx->cr, &ctx->style->muted, 1.0);
  cairo_set_line_width (ctx->cr, ctx->style->axis_width);
  cairo_stroke (ctx->cr);
}

static void
shrink_query (GsPlotCtx *ctx, const GsPanel *p, const Shrink *s, guint r, gboolean reach)
{
  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  guint l = (guint) MAX (floor (_gs_axis_value (&p->y, ctx->qy) + 0.5), 1) - 1;
  if (l >= s->n_layers[r])
    return;
  const GsShrinkRow *row = &s->rows[r][l];
  g_autofree char   *a = _gs_format_value (row->act), *w = _gs_format_value (row->weights);
  g_autofree char   *o = _gs_format_value (bar_value (row, BAR_OTHER)), *x = _gs_format_value (row->crossing);
  g_autofree char   *q = _gs_format_value (row->reach);
  if (reach)
    _gs_answer (ctx, g_strdup_printf (_ ("layer %u · ‖∂L/∂z‖ = %s × ‖∂L/∂logits‖"), l + 1, q));
  else
    _gs_answer (
        ctx, g_strdup_printf (_ ("layer %u · f′ × %s · weights × %s · norm and skip × %s · whole layer × %s"),
                              l + 1, a, w, o, x));
}

/* symmetric: factors below 1 shrink the signal as far as those above grow it */
static void
panel_setup (GsPanel *p, const GsRect *outer, guint n_layers, double lo, double hi, gboolean symmetric)
{
  p->outer = *outer;
  p->y = (GsAxis){ .lo = 0.5, .hi = n_layers + 0.5, .integer = TRUE };
  p->x = (GsAxis){ .log = TRUE };
  _gs_log_range (lo, hi, &p->x.lo, &p->x.hi);
  if (symmetric)
    {
      double k = MAX (MAX (-p->x.lo, p->x.hi), 1);
      p->x.lo = -k, p->x.hi = k;
    }
}

/* The key above the panels: every bar kind drawn, the crossing tick, the
 * zero mark, and the runs of the reach panel. */
static double
shrink_key (GsPlotCtx *ctx, const GsRect *body, const Shrink *s)
{
  GsKeyItem items[N_BARS + 2 + 8];
  char     *names[8] = { NULL };
  guint     n = 0;

  items[n++] = (GsKeyItem){ _ ("f′: activation"), "f′", GS_KEY_BAR, { 0 } };
  items[n++] = (GsKeyItem){ _ ("Wᵀ: weights"), "Wᵀ", GS_KEY_BAR, { 0 } };
  if (s->other)
    items[n++] = (GsKeyItem){ _ ("normalisation and skip"), _ ("norm, skip"), GS_KEY_BAR, { 0 } };
  for (guint b = 0; b < n; b++)
    bar_color (b, &items[b].color);
  items[n++] = (GsKeyItem){ _ ("whole layer"), _ ("layer"), GS_KEY_TICK, ctx->style->foreground };
  if (s->zero)
    items[n++] = (GsKeyItem){ _ ("0: no gradient"), "0", GS_KEY_ZERO, ctx->style->foreground };
  for (guint r = 0; ctx->n_runs > 1 && r < MIN (ctx->n_runs, 8u); r++)
    {
      names[r] = _gs_run_label (ctx, r);
      items[n] = (GsKeyItem){ names[r], NULL, r % 2 ? GS_KEY_DASH : GS_KEY_LINE, { 0 } };
      _gs_run_color (ctx->style, r, &items[n++].color);
    }
  double h = _gs_key_rows (ctx, body, items, n);
  for (guint r = 0; r < 8; r++)
    g_free (names[r]);
  return h;
}

/* Under the panels, for one run: the product of the factors beside the
 * measured ratio it explains. */
static double
shrink_footer (GsPlotCtx *ctx, const GsRect *body, const Shrink *s)
{
  guint  low = 0;
  double prod = ctx->n_runs == 1 ? shrink_product (s->rows[0], s->n_layers[0], &low) : NAN;
  double h = ctx->line_h[GS_TEXT_TICK] * 1.3;

  if (!(prod >= 0) || body->h < h * 8)
    return 0;
  double measured
      = _gs_probe_at (ctx->runs[0], GS_PROBE_DZ_NORM, low, ctx->style->cursor_step)
        / _gs_probe_at (ctx->runs[0], GS_PROBE_DZ_NORM, s->n_layers[0] - 1, ctx->style->cursor_step);
  g_autofree char *p = _gs_format_value (prod), *m = _gs_format_value (measured);
  /* the long text, else the short one, else none: never cut */
  char *texts[2] = {
    g_strdup_printf (_ ("product of the factors down to layer %u: %s; measured ‖∂L/∂z%u‖ / ‖∂L/∂logits‖: %s"),
                     low + 1, p, low + 1, m),
    g_strdup_printf (_ ("product %s = measured %s"), p, m),
  };
  double taken = 0, w, th;
  for (guint i = 0; i < 2 && taken == 0; i++)
    {
      _gs_text_size (ctx, GS_TEXT_TICK, texts[i], &w, &th);
      if (w > body->w - 2 * ctx->pad)
        continue;
      _gs_text (ctx, GS_TEXT_TICK, texts[i], body->x + ctx->pad, body->y + body->h - h / 2, 0, 0.5,
                &ctx->style->muted);
      taken = h;
    }
  g_free (texts[0]);
  g_free (texts[1]);
  return taken;
}

static void
factor_panel (GsPlotCtx *ctx, const GsRect *col, const Shrink *s, guint r, gboolean share_y, gboolean share_x)
{
  g_autofree char *label = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
  GsRgba           c;
  GsPanel          p = { .xlabel = _ ("factor crossing the layer (log)"),
                         .xlabel_short = _ ("factor (log)"),
                         .ylabel = _ ("layer (1 = input, top = output)"),
                         .ylabel_short = _ ("layer") };

  _gs_run_color (ctx->style, r, &c);
  /* small multiples: one row per layer in every panel; side by side the
   * layer axis is labelled once, on the left, stacked the factor axis once,
   * at the bottom */
  panel_setup (&p, col, _gs_max_layers (ctx), s->fmin, s->fmax, TRUE);
  if (share_y)
    p.ylabel = NULL, p.no_yticks = TRUE;
  if (share_x)
    p.xlabel = NULL, p.no_xticks = TRUE;
  p.title = label ? label : _ ("Factor per layer");
  p.title_color = label ? &c : NULL;
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_panel_frame (ctx, &p);
  if (!ctx->query)
    {
      _gs_panel_clip (ctx, &p);
      unit_line (ctx, &p);
      factor_bars (ctx, &p, s, r);
      cairo_restore (ctx->cr);
    }
  _gs_panel_axes (ctx, &p);
  shrink_query (ctx, &p, s, r, FALSE);
}

/* share_y: beside the factor panels, on their rows and their layer axis */
static void
reach_panel (GsPlotCtx *ctx, const GsRect *col, const Shrink *s, gboolean share_y)
{
  GsPanel p = { .title = _ ("Running product"),
                .title_short = _ ("Product"),
                .xlabel = _ ("‖∂L/∂z‖ / ‖∂L/∂logits‖ (log)"),
                .xlabel_short = _ ("signal (log)"),
                .ylabel = _ ("layer (1 = input, top = output)"),
                .ylabel_short = _ ("layer") };

  panel_setup (&p, col, _gs_max_layers (ctx), s->rmin, s->rmax, FALSE);
  if (share_y)
    p.ylabel = NULL, p.no_yticks = TRUE;
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_panel_frame (ctx, &p);
  if (!ctx->query)
    {
      _gs_panel_clip (ctx, &p);
      unit_line (ctx, &p);
      for (guint r = 0; r < MIN (ctx->n_runs, 8u); r++)
        reach_line (ctx, &p, s, r);
      cairo_restore (ctx->cr);
    }
  _gs_panel_axes (ctx, &p);
  shrink_query (ctx, &p, s, 0, TRUE);
}

void
_gs_plot_shrink (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsRect body, col;
  Shrink s;
  guint  nr = MIN (ctx->n_runs, 8u);

  _gs_titled_body (ctx, area, with_title, _ ("Why the gradient shrinks"), &body);
  if (gs_record_n_steps (ctx->runs[0]) == 0)
    {
      _gs_no_data (ctx, &body, _ ("No steps recorded yet"));
      return;
    }
  if (!isfinite (_gs_probe_at (ctx->runs[0], GS_PROBE_DZ_NORM, gs_record_n_layers (ctx->runs[0]) - 1,
                               ctx->style->cursor_step)))
    {
      _gs_no_data (ctx, &body,
                   _ ("Recorded before Gradscope measured these factors (run file version 1 or 2)"));
      return;
    }
  shrink_gather (ctx, &s);
  double key_h = shrink_key (ctx, &body, &s);
  body.y += key_h, body.h -= key_h;
  body.h -= shrink_footer (ctx, &body, &s);
  /* The reach panel takes as much room as the factor panels together. */
  GsRect left = body, right = body;
  left.w = body.w * (nr > 1 ? 0.68 : 0.5);
  right.x = left.x + left.w + ctx->pad, right.w = body.w - left.w - ctx->pad;
  /* too narrow for the runs side by side: one above the other */
  gboolean stacked
      = nr > 1 && left.w / nr < ctx->line_h[GS_TEXT_TICK] * 14 && left.h / nr > ctx->line_h[GS_TEXT_TICK] * 9;
  for (guint r = 0; r < nr; r++)
    {
      if (stacked)
        {
          double h = (left.h - ctx->pad * (nr - 1)) / nr;
          col = (GsRect){ left.x, left.y + r * (h + ctx->pad), left.w, h };
        }
      else
        {
          /* the first panel also carries the layer axis: wider by its margin */
          double tw, th, m, w;
          _gs_text_size (ctx, GS_TEXT_TICK, "88", &tw, &th);
          m = tw + ctx->line_h[GS_TEXT_LABEL] + ctx->pad * 1.6;
          w = (left.w - ctx->pad * (nr - 1) - m) / nr;
          col = (GsRect){ left.x + (r ? m + r * (w + ctx->pad) : 0), left.y, w + (r ? 0 : m), left.h };
        }
      factor_panel (ctx, &col, &s, r, !stacked && r > 0, stacked && r + 1 < nr);
    }
  reach_panel (ctx, &right, &s, nr > 1 && !stacked);
  shrink_clear (ctx, &s);
}
