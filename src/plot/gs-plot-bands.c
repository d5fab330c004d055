/* gs-plot-bands.c: per-layer percentile bands over training.
 *
 * Stacked panels on one step axis, one band per shown layer: the
 * activations (mean, 2nd-98th percentile), the activation's input (median,
 * 15th-85th percentile, as Ioffe & Szegedy's Fig. 1; only for activations
 * that can be inverted) and the back-propagated signal dL/dh (median,
 * 2nd-98th percentile). The record keeps 64-bin histograms at checkpoints,
 * not the values: percentiles are read off the histograms (to within one
 * bin) and the activation's input is the inverse activation of the
 * activation percentiles (exact for monotonic activations, up to the bin).
 */
#define G_LOG_DOMAIN "gs-plot-bands"

#include <math.h>

#include "gs-plot-private.h"
#include "gs-signal.h"

typedef enum
{
  BAND_ACT,
  BAND_PRE,
  BAND_SIGNAL,
  N_BANDS
} BandKind;

typedef struct
{
  const char *title, *ylabel, *ylabel_short, *quantity;
  double      q_lo, q_hi;
} BandSpec;

/* Texts marked with N_(), translated where drawn; short labels are symbols. */
static const BandSpec band_specs[N_BANDS] = {
  { N_ ("Activations: mean, 2nd–98th percentile"), N_ ("activation"), "a", N_ ("activation"), 0.02, 0.98 },
  /* TRANSLATORS: f is the activation function; its input is y in f(y) */
  { N_ ("Activation input: median, 15th–85th percentile"), N_ ("input to f"), "y", N_ ("activation input"),
    0.15, 0.85 },
  { N_ ("Backprop signal ∂L/∂h: median, 2nd–98th percentile"), "∂L/∂h", "∂L/∂h", "∂L/∂h", 0.02, 0.98 },
};

/* Line, low and high of a band at one checkpoint; FALSE if not recorded. */
static gboolean
band_at (GsRecord *rec, BandKind kind, guint cp, guint layer, double v[3])
{
  GsActivation    act = gs_record_config (rec)->activation;
  const BandSpec *s = &band_specs[kind];
  const GsHist   *h = gs_record_hist (rec, cp, kind == BAND_SIGNAL ? GS_HIST_SIGNAL : GS_HIST_ACT, layer);

  if (h == NULL)
    return FALSE;
  v[0] = kind == BAND_ACT ? h->mean : gs_hist_quantile (h, 0.5);
  v[1] = gs_hist_quantile (h, s->q_lo);
  v[2] = gs_hist_quantile (h, s->q_hi);
  if (kind == BAND_PRE)
    for (int i = 0; i < 3; i++)
      if (!gs_activation_inverse (act, v[i], &v[i]))
        return FALSE;
  return isfinite (v[0]) && isfinite (v[1]) && isfinite (v[2]);
}

/* Checkpoints at or before the cursor. */
static guint
shown_checkpoints (GsPlotCtx *ctx, GsRecord *rec)
{
  guint step = _gs_cursor_step (rec, ctx->style->cursor_step), n = 0;

  while (n < gs_record_n_checkpoints (rec) && gs_record_checkpoint_step (rec, n) <= step)
    n++;
  return n;
}

static void
band_range (GsPlotCtx *ctx, GsRecord *rec, BandKind kind, const guint *layers, guint nl, GsAxis *y)
{
  double lo = INFINITY, hi = -INFINITY, v[3];
  guint  n_cp = shown_checkpoints (ctx, rec);

  for (guint i = 0; i < nl; i++)
    for (guint cp = 0; cp < n_cp; cp++)
      if (band_at (rec, kind, cp, layers[i], v))
        lo = MIN (lo, v[1]), hi = MAX (hi, v[2]);
  if (!(hi >= lo))
    lo = -1, hi = 1;
  if (hi - lo < 1e-12 * MAX (fabs (hi), 1e-30) || hi == lo)
    {
      double d = fabs (hi) > 0 ? fabs (hi) * 0.1 : 1;
      lo -= d, hi += d;
    }
  double m = (hi - lo) * 0.04;
  *y = (GsAxis){ .lo = lo - m, .hi = hi + m };
}

/* dodge: this layer's place among the shown ones, so that with a single
 * checkpoint the error bars of the layers stand side by side. */
static void
draw_layer_band (
    GsPlotCtx *ctx, GsRecord *rec, BandKind kind, guint layer, const GsPanel *p, guint n_cp, double dodge)
{
  cairo_t *cr = ctx->cr;
  double   prev[3] = { NAN }, v[3], px = 0;
  GsRgba   c;

  _gs_layer_color (ctx->style, layer, gs_record_n_layers (rec), &c);
  cairo_set_line_width (cr, ctx->style->line_width);
  for (guint cp = 0; cp < n_cp; cp++)
    {
      double   x = _gs_axis_pos (&p->x, gs_record_checkpoint_step (rec, cp));
      gboolean ok = band_at (rec, kind, cp, layer, v);
      if (ok && n_cp == 1)
        {
          /* one checkpoint: an error bar */
          x += dodge * (ctx->style->line_width * 4 + 2);
          cairo_move_to (cr, x, _gs_axis_pos (&p->y, v[1]));
          cairo_line_to (cr, x, _gs_axis_pos (&p->y, v[2]));
          _gs_set_color (cr, &c, 0.6);
          cairo_stroke (cr);
          _gs_markers (ctx, x, _gs_axis_pos (&p->y, v[0]), ctx->style->line_width * 1.5, FALSE);
          _gs_set_color (cr, &c, 1.0);
          cairo_fill (cr);
        }
      if (ok && isfinite (prev[0]))
        {
          cairo_move_to (cr, px, _gs_axis_pos (&p->y, prev[1]));
          cairo_line_to (cr, x, _gs_axis_pos (&p->y, v[1]));
          cairo_line_to (cr, x, _gs_axis_pos (&p->y, v[2]));
          cairo_line_to (cr, px, _gs_axis_pos (&p->y, prev[2]));
          cairo_close_path (cr);
          _gs_set_color (cr, &c, 0.16);
          cairo_fill (cr);
          cairo_move_to (cr, px, _gs_axis_pos (&p->y, prev[0]));
          cairo_line_to (cr, x, _gs_axis_pos (&p->y, v[0]));
          _gs_set_color (cr, &c, 1.0);
          cairo_stroke (cr);
        }
      for (int i = 0; i < 3; i++)
        prev[i] = ok ? v[i] : NAN;
      px = x;
    }
}

static void
band_query (
    GsPlotCtx *ctx, GsRecord *rec, BandKind kind, const guint *layers, guint nl, const GsPanel *p, guint n_cp)
{
  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy) || n_cp == 0)
    return;
  double step = _gs_axis_value (&p->x, ctx->qx), want = _gs_axis_value (&p->y, ctx->qy);
  guint  best_cp = 0;
  for (guint cp = 1; cp < n_cp; cp++)
    if (fabs (gs_record_checkpoint_step (rec, cp) - step)
        < fabs (gs_record_checkpoint_step (rec, best_cp) - step))
      best_cp = cp;
  double best = INFINITY, v[3], pick[3] = { 0 };
  int    layer = -1;
  for (guint i = 0; i < nl; i++)
    if (band_at (rec, kind, best_cp, layers[i], v) && fabs (v[0] - want) < best)
      {
        best = fabs (v[0] - want), layer = (int) layers[i];
        pick[0] = v[0], pick[1] = v[1], pick[2] = v[2];
      }
  if (layer < 0)
    return;
  const BandSpec  *s = &band_specs[kind];
  g_autofree char *a = _gs_format_value (pick[0]);
  g_autofree char *b = _gs_format_value (pick[1]);
  g_autofree char *c = _gs_format_value (pick[2]);
  /* TRANSLATORS: a hover text: layer, step, the quantity (e.g. "activation")
     and its mean or median, then the band's percentiles (e.g. 2–98%) and
     their values */
  guint cp_step = gs_record_checkpoint_step (rec, best_cp);
  if (kind == BAND_ACT)
    _gs_answer (ctx,
                g_strdup_printf (_ ("layer %d · step %u · %s mean %s, %g–%g%% ≈ %s … %s "
                                    "(from a 64-bin histogram)"),
                                 layer + 1, cp_step, _ (s->quantity), a, 100 * s->q_lo, 100 * s->q_hi, b, c));
  else
    _gs_answer (ctx,
                g_strdup_printf (_ ("layer %d · step %u · %s median %s, %g–%g%% ≈ %s … %s "
                                    "(from a 64-bin histogram)"),
                                 layer + 1, cp_step, _ (s->quantity), a, 100 * s->q_lo, 100 * s->q_hi, b, c));
}

/* The derived activation input only where there is room for three panels
 * (not in a paper column). */
static guint
band_kinds (GsPlotCtx *ctx, GsRecord *rec, double height, BandKind *kinds)
{
  guint n = 0;

  kinds[n++] = BAND_ACT;
  if (gs_activation_invertible (gs_record_config (rec)->activation)
      && height / 3 >= 7 * ctx->line_h[GS_TEXT_LABEL])
    kinds[n++] = BAND_PRE;
  kinds[n++] = BAND_SIGNAL;
  return n;
}

static void
panel_init (GsPlotCtx    *ctx,
            GsRecord     *rec,
            guint         r,
            BandKind      kind,
            gboolean      bottom,
            const GsRect *outer,
            double        last,
            const guint  *layers,
            guint         nl,
            GsPanel      *p)
{
  const BandSpec *s = &band_specs[kind];

  *p = (GsPanel){ .outer = *outer,
                  .title = _ (s->title),
                  .ylabel = r == 0 ? _ (s->ylabel) : NULL,
                  .ylabel_short = r == 0 ? s->ylabel_short : NULL,
                  .no_xticks = !bottom };
  if (bottom)
    {
      p->xlabel = _ ("step (percentiles read off 64-bin histograms)");
      /* TRANSLATORS: a short axis label: training step */
      p->xlabel_short = _ ("step");
    }
  p->x = (GsAxis){ .lo = 0, .hi = MAX (last, 2), .integer = TRUE };
  band_range (ctx, rec, kind, layers, nl, &p->y);
}

static void
panel_draw (
    GsPlotCtx *ctx, GsRecord *rec, BandKind kind, GsPanel *p, const guint *layers, guint nl, guint n_cp)
{
  if (!_gs_panel_layout (ctx, p))
    return;
  _gs_panel_frame (ctx, p);
  if (!ctx->query)
    {
      _gs_panel_clip (ctx, p);
      for (guint i = 0; i < nl; i++)
        draw_layer_band (ctx, rec, kind, layers[i], p, n_cp, i - (nl - 1) / 2.0);
      _gs_phase_marks (ctx, rec, p, 1, FALSE);
      cairo_restore (ctx->cr);
    }
  _gs_panel_axes (ctx, p);
  band_query (ctx, rec, kind, layers, nl, p, n_cp);
}

static void
run_column (GsPlotCtx *ctx, guint r, const GsRect *outer)
{
  GsRecord        *rec = ctx->runs[r];
  BandKind         kinds[N_BANDS];
  guint            nk = band_kinds (ctx, rec, outer->h, kinds), layers[GS_MAX_PICKED_LAYERS];
  guint            nl = _gs_pick_layers (gs_record_n_layers (rec) - 1, GS_MAX_PICKED_LAYERS, layers);
  guint            n_cp = shown_checkpoints (ctx, rec);
  double           last = n_cp ? gs_record_checkpoint_step (rec, n_cp - 1) : 1;
  GsPanel          panels[N_BANDS];
  double           left = 0, h = outer->h / nk;
  g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
  g_autofree char *title = NULL;

  if (n_cp == 0 || gs_record_n_layers (rec) < 2)
    {
      _gs_no_data (ctx, outer, _ ("No histogram checkpoints yet"));
      return;
    }
  /* lay out all panels once to find the widest left margin, so that the
   * stacked plots share one left edge */
  for (guint k = 0; k < nk; k++)
    {
      GsRect box = { outer->x, outer->y + k * h, outer->w, h };
      panel_init (ctx, rec, r, kinds[k], k + 1 == nk, &box, last, layers, nl, &panels[k]);
      if (k == 0 && name)
        panels[k].title = title = g_strconcat (name, " — ", _ (band_specs[kinds[k]].title), NULL);
      _gs_panel_layout (ctx, &panels[k]);
      left = MAX (left, panels[k].plot.x - outer->x);
    }
  for (guint k = 0; k < nk; k++)
    {
      panels[k].min_left = left;
      panel_draw (ctx, rec, kinds[k], &panels[k], layers, nl, n_cp);
    }
}

void
_gs_plot_bands (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsRect body;

  _gs_titled_body (ctx, area, with_title, _ ("Percentile bands per layer"), &body);
  _gs_layer_key_above (ctx, &body);
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRect outer;
      _gs_split_cols (&body, ctx->n_runs, ctx->pad * 2, r, &outer);
      run_column (ctx, r, &outer);
    }
}
