/* gs-plot-signal-init.c: signal propagation at initialisation.
 *
 * From the step-1 probes (taken on the first batch, before any update) of
 * any record, or of the one-step record gs_signal_at_init() makes without
 * training: left, forward: the activation std per layer; right, backward:
 * the weight-gradient norm ‖∂L/∂W‖₂ per layer and the std of the
 * back-propagated signal ∂L/∂h (from the step-1 histograms). Log axes, so a
 * geometric decay with depth (2^-L under Xavier + ReLU) is a straight line.
 * Several runs overlay in their run colours.
 */
#define G_LOG_DOMAIN "gs-plot-signal-init"

#include <math.h>

#include "gs-plot-private.h"

typedef enum
{
  SIG_ACT_STD,
  SIG_GRAD_NORM,
  SIG_SIGNAL_STD
} SigQuantity;

/* Marked with N_(), translated where shown. */
static const char *const sig_names[] = { N_ ("activation std"), "‖∂L/∂W‖₂", N_ ("std of ∂L/∂h") };

static double
sig_value (GsRecord *rec, SigQuantity q, guint layer)
{
  if (gs_record_n_steps (rec) == 0 || layer >= gs_record_n_layers (rec))
    return NAN;
  switch (q)
    {
    case SIG_ACT_STD:
      /* the head's "activations" are logits: not part of the forward story */
      if (layer + 1 == gs_record_n_layers (rec))
        return NAN;
      return gs_record_first_step_probe (rec, GS_PROBE_ACT_STD, layer);
    case SIG_GRAD_NORM:
      return gs_record_first_step_probe (rec, GS_PROBE_GRAD_NORM, layer);
    case SIG_SIGNAL_STD:
    default:
      {
        int           cp = _gs_init_checkpoint (rec);
        const GsHist *h = cp < 0 ? NULL : gs_record_hist (rec, cp, GS_HIST_SIGNAL, layer);
        return h && h->std > 0 ? h->std : NAN;
      }
    }
}

static gboolean
sig_range (GsPlotCtx *ctx, const SigQuantity *qs, guint nq, GsAxis *y)
{
  double vmin = INFINITY, vmax = 0;

  for (guint r = 0; r < ctx->n_runs; r++)
    for (guint k = 0; k < nq; k++)
      for (guint l = 0; l < gs_record_n_layers (ctx->runs[r]); l++)
        {
          double v = sig_value (ctx->runs[r], qs[k], l);
          if (isfinite (v) && v > 0)
            vmin = MIN (vmin, v), vmax = MAX (vmax, v);
        }
  *y = (GsAxis){ .log = TRUE };
  if (vmax <= 0)
    {
      _gs_log_range (1e-3, 1, &y->lo, &y->hi);
      return FALSE;
    }
  _gs_log_range (vmin, vmax, &y->lo, &y->hi);
  return TRUE;
}

static void
sig_line (GsPlotCtx     *ctx,
          const GsPanel *p,
          GsRecord      *rec,
          SigQuantity    q,
          const GsRgba  *c,
          gboolean       dashed,
          gboolean       square)
{
  guint              n = gs_record_n_layers (rec);
  double             rad = ctx->style->line_width * 1.2 + 1;
  g_autofree double *xs = g_new (double, n), *ys = g_new (double, n);

  for (guint l = 0; l < n; l++)
    {
      double v = sig_value (rec, q, l);
      xs[l] = _gs_axis_pos (&p->x, l + 1);
      ys[l] = v > 0 ? _gs_axis_pos (&p->y, v) : NAN;
    }
  _gs_polyline (ctx, xs, ys, n, dashed ? ctx->pad : 0, c, 1.0);
  if (p->plot.w / MAX (n, 1) > rad * 3)
    _gs_point_marks (ctx, xs, ys, n, rad, square, c);
}

static void
sig_query (GsPlotCtx *ctx, const GsPanel *p, const SigQuantity *qs, guint nq)
{
  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  guint    l = (guint) MAX (floor (_gs_axis_value (&p->x, ctx->qx) + 0.5), 1) - 1;
  GString *s = g_string_new (NULL);
  for (guint r = 0; r < ctx->n_runs; r++)
    for (guint k = 0; k < nq; k++)
      {
        GsRecord *rec = ctx->runs[r];
        if (l >= gs_record_n_layers (rec))
          continue;
        g_autofree char *v = _gs_format_value (sig_value (rec, qs[k], l));
        _gs_answer_line (ctx, s, r);
        /* TRANSLATORS: a hover text: layer, at initialisation, quantity = value */
        g_string_append_printf (s, _ ("layer %u · at init · %s = %s"), l + 1, _ (sig_names[qs[k]]), v);
      }
  _gs_answer_lines (ctx, s);
}

static void
sig_legend (GsPlotCtx *ctx, const GsPanel *p, gboolean backward)
{
  const char *names[8];
  GsRgba      colors[8];
  double      dashes[8];
  char       *labels[8] = { NULL };
  guint       n = 0;

  if (backward)
    {
      names[0] = _ (sig_names[SIG_GRAD_NORM]), colors[0] = ctx->style->foreground, dashes[0] = 0;
      names[1] = _ (sig_names[SIG_SIGNAL_STD]), colors[1] = ctx->style->foreground;
      dashes[1] = ctx->pad;
      n = 2;
    }
  else if (ctx->n_runs > 1)
    for (; n < MIN (ctx->n_runs, 8u); n++)
      {
        labels[n] = _gs_run_label (ctx, n);
        names[n] = labels[n];
        _gs_run_color (ctx->style, n, &colors[n]);
        dashes[n] = 0;
      }
  _gs_legend (ctx, &p->plot, names, colors, dashes, n, GS_CORNER_BOTTOM_RIGHT);
  for (guint i = 0; i < 8; i++)
    g_free (labels[i]);
}

static void
sig_panel (GsPlotCtx *ctx, const GsRect *outer, gboolean backward)
{
  static const SigQuantity fwd[] = { SIG_ACT_STD };
  static const SigQuantity bwd[] = { SIG_GRAD_NORM, SIG_SIGNAL_STD };
  const SigQuantity       *qs = backward ? bwd : fwd;
  guint                    nq = backward ? 2 : 1, n = _gs_max_layers (ctx);
  GsPanel                  p = { .outer = *outer,
                                 .title = backward ? _ ("Backward pass") : _ ("Forward pass"),
                                 .xlabel = _ ("layer (1 = input side, last = output)"),
                                 .xlabel_short = _ ("layer"),
                                 /* TRANSLATORS: axis labels on log scales; std = standard deviation */
                                 .ylabel = backward ? _ ("‖∂L/∂W‖₂, std ∂L/∂h (log)") : _ ("activation std (log)"),
                                 /* TRANSLATORS: short axis labels, when the long ones do not fit */
                                 .ylabel_short = backward ? _ ("gradient") : _ ("std") };

  p.x = (GsAxis){ .lo = 0.5, .hi = n + 0.5, .integer = TRUE };
  /* a decade of room at the bottom for the legend, where decaying lines end */
  if (sig_range (ctx, qs, nq, &p.y) && (backward || ctx->n_runs > 1))
    p.y.lo -= 1;
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_panel_frame (ctx, &p);
  if (!ctx->query)
    {
      _gs_panel_clip (ctx, &p);
      for (guint r = 0; r < ctx->n_runs; r++)
        for (guint k = 0; k < nq; k++)
          {
            GsRgba c;
            _gs_run_color (ctx->style, r, &c);
            sig_line (ctx, &p, ctx->runs[r], qs[k], &c, k == 1, r % 2 == 1);
          }
      cairo_restore (ctx->cr);
    }
  _gs_panel_axes (ctx, &p);
  sig_query (ctx, &p, qs, nq);
  sig_legend (ctx, &p, backward);
}

void
_gs_plot_signal_init (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsRect body, half;

  _gs_titled_body (ctx, area, with_title, _ ("Signal propagation at initialisation"), &body);
  for (guint k = 0; k < 2; k++)
    {
      _gs_split_cols (&body, 2, ctx->pad * 2, k, &half);
      sig_panel (ctx, &half, k == 1);
    }
}
