/* gs-plot-bands.c: per-layer percentile bands over training, as small
 * multiples.
 *
 * One row per quantity, one column per shown layer (the first, the top one
 * and some between), each cell a single band over the training steps; in a
 * comparison each cell overlays the runs, one colour each. A row shares
 * its y axis across layers and runs, so cells compare at a glance. The
 * rows: the activations (mean, 2nd-98th percentile), the activation's
 * input (median, 15th-85th percentile, as Ioffe & Szegedy's Fig. 1; only
 * for activations that can be inverted) and the size of the
 * back-propagated signal |dL/dh| (median, 25th-75th percentile) on a log
 * axis, where a vanishing gradient is a band sinking layer by layer.
 *
 * The record keeps 64-bin histograms at checkpoints, not the values:
 * percentiles are read off the histograms (to within one bin; |dL/dh| off
 * the histogram folded at zero, 32 bins) and the activation's input is
 * the inverse activation of the activation percentiles (exact for
 * monotonic activations, up to the bin).
 */
#define G_LOG_DOMAIN "gs-plot-bands"

#include <math.h>

#include "gs-plot-private.h"
#include "gs-signal.h"

/* Few enough bands per row for the eye to follow the sinking signal. */
#define COLUMNS 4

typedef enum
{
  BAND_ACT,
  BAND_PRE,
  BAND_SIGNAL,
  N_BANDS
} BandKind;

typedef struct
{
  const char *title, *title_short, *ylabel, *ylabel_short, *quantity;
  double      q_lo, q_hi;
} BandSpec;

/* Texts marked with N_(), translated where drawn; short labels are symbols. */
static const BandSpec band_specs[N_BANDS] = {
  { N_ ("Activations: mean, 2nd–98th percentile"), N_ ("Activations"), N_ ("activation"), "a",
    N_ ("activation"), 0.02, 0.98 },
  /* TRANSLATORS: f is the activation function; its input is y in f(y) */
  { N_ ("Activation input: median, 15th–85th percentile"), N_ ("Activation input"), N_ ("input to f"), "y",
    N_ ("activation input"), 0.15, 0.85 },
  { N_ ("Backprop signal |∂L/∂h|: median, 25th–75th percentile"), "|∂L/∂h|", N_ ("|∂L/∂h| (log)"), "|∂L/∂h|",
    "|∂L/∂h|", 0.25, 0.75 },
};

/* The q-quantile of |x| from a histogram symmetric around zero: its two
 * halves folded into one of GS_HIST_BINS / 2 bins on [0, hi]. */
static double
abs_quantile (const GsHist *h, double q)
{
  GsHist folded = { .lo = 0, .hi = h->hi };

  if (!(h->hi > 0) || fabs (h->lo + h->hi) > 1e-6 * h->hi)
    return NAN;
  /* half bins: bin k of |x| spans [k, k + 1) * hi / 32; put it in the two
   * 64-bin slots it covers, half each, so gs_hist_quantile reads it */
  for (int k = 0; k < GS_HIST_BINS / 2; k++)
    {
      guint32 c = h->counts[GS_HIST_BINS / 2 + k] + h->counts[GS_HIST_BINS / 2 - 1 - k];
      folded.counts[2 * k] = c / 2;
      folded.counts[2 * k + 1] = c - c / 2;
    }
  return gs_hist_quantile (&folded, q);
}

/* Line, low and high of a band at one checkpoint; FALSE if not recorded
 * (or, on the log axis, not positive). */
static gboolean
band_at (GsRecord *rec, BandKind kind, guint cp, guint layer, double v[3])
{
  GsActivation    act = gs_record_config (rec)->activation;
  const BandSpec *s = &band_specs[kind];
  const GsHist   *h = gs_record_hist (rec, cp, kind == BAND_SIGNAL ? GS_HIST_SIGNAL : GS_HIST_ACT, layer);

  if (h == NULL)
    return FALSE;
  if (kind == BAND_SIGNAL)
    {
      v[0] = abs_quantile (h, 0.5);
      v[1] = abs_quantile (h, s->q_lo);
      v[2] = abs_quantile (h, s->q_hi);
      return v[0] > 0 && v[1] > 0 && v[2] > 0 && isfinite (v[2]);
    }
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

/* What the grid shows: its rows, its layers (the same for every run: those
 * of the shallowest) and the last step drawn. */
typedef struct
{
  BandKind kinds[N_BANDS];
  guint    nk;
  guint    layers[GS_MAX_PICKED_LAYERS];
  guint    nl;
  double   last;
} Grid;

/* One y range per row, over every shown layer and run: every checkpoint,
 * not only those up to the cursor, so the axis holds still while scrubbing. */
static void
band_range (GsPlotCtx *ctx, const Grid *g, BandKind kind, GsAxis *y)
{
  double lo = INFINITY, hi = -INFINITY, v[3];

  for (guint r = 0; r < ctx->n_runs; r++)
    for (guint i = 0; i < g->nl; i++)
      for (guint cp = 0; cp < gs_record_n_checkpoints (ctx->runs[r]); cp++)
        if (band_at (ctx->runs[r], kind, cp, g->layers[i], v))
          lo = MIN (lo, v[1]), hi = MAX (hi, v[2]);
  if (kind == BAND_SIGNAL)
    {
      *y = (GsAxis){ .log = TRUE };
      _gs_log_range (lo, hi, &y->lo, &y->hi);
      return;
    }
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

static void
band_segment (GsPlotCtx     *ctx,
              const GsPanel *p,
              double         px,
              const double  *prev,
              double         x,
              const double  *v,
              const GsRgba  *c)
{
  cairo_t *cr = ctx->cr;

  cairo_move_to (cr, px, _gs_axis_pos (&p->y, prev[1]));
  cairo_line_to (cr, x, _gs_axis_pos (&p->y, v[1]));
  cairo_line_to (cr, x, _gs_axis_pos (&p->y, v[2]));
  cairo_line_to (cr, px, _gs_axis_pos (&p->y, prev[2]));
  cairo_close_path (cr);
  _gs_set_color (cr, c, 0.22);
  cairo_fill (cr);
  cairo_move_to (cr, px, _gs_axis_pos (&p->y, prev[0]));
  cairo_line_to (cr, x, _gs_axis_pos (&p->y, v[0]));
  _gs_set_color (cr, c, 1.0);
  cairo_stroke (cr);
}

/* One checkpoint alone: an error bar, dodged sideways per run. */
static void
band_bar (GsPlotCtx *ctx, const GsPanel *p, double x, const double *v, const GsRgba *c)
{
  cairo_t *cr = ctx->cr;

  cairo_move_to (cr, x, _gs_axis_pos (&p->y, v[1]));
  cairo_line_to (cr, x, _gs_axis_pos (&p->y, v[2]));
  _gs_set_color (cr, c, 0.6);
  cairo_stroke (cr);
  _gs_markers (ctx, x, _gs_axis_pos (&p->y, v[0]), ctx->style->line_width * 1.5, FALSE);
  _gs_set_color (cr, c, 1.0);
  cairo_fill (cr);
}

static void
draw_band (GsPlotCtx *ctx, guint r, BandKind kind, guint layer, const GsPanel *p, const GsRgba *c)
{
  GsRecord *rec = ctx->runs[r];
  guint     n_cp = shown_checkpoints (ctx, rec);
  double    prev[3] = { NAN }, v[3], px = 0;

  cairo_set_line_width (ctx->cr, ctx->style->line_width);
  for (guint cp = 0; cp < n_cp; cp++)
    {
      double   x = _gs_axis_pos (&p->x, gs_record_checkpoint_step (rec, cp));
      gboolean ok = band_at (rec, kind, cp, layer, v);
      if (ok && n_cp == 1)
        band_bar (ctx, p, x + (r - (ctx->n_runs - 1) / 2.0) * (ctx->style->line_width * 4 + 2), v, c);
      if (ok && isfinite (prev[0]))
        band_segment (ctx, p, px, prev, x, v, c);
      for (int i = 0; i < 3; i++)
        prev[i] = ok ? v[i] : NAN;
      px = x;
    }
}

static void
band_answer (GsPlotCtx *ctx, BandKind kind, guint layer, guint step, const double *v)
{
  const BandSpec  *s = &band_specs[kind];
  g_autofree char *a = _gs_format_value (v[0]);
  g_autofree char *b = _gs_format_value (v[1]);
  g_autofree char *c = _gs_format_value (v[2]);

  /* TRANSLATORS: a hover text: layer, step, the quantity (e.g. "activation")
     and its mean or median, then the band's percentiles (e.g. 2–98%) and
     their values */
  if (kind == BAND_ACT)
    _gs_answer (ctx,
                g_strdup_printf (_ ("layer %d · step %u · %s mean %s, %g–%g%% ≈ %s … %s "
                                    "(from a 64-bin histogram)"),
                                 layer + 1, step, _ (s->quantity), a, 100 * s->q_lo, 100 * s->q_hi, b, c));
  else
    _gs_answer (ctx,
                g_strdup_printf (_ ("layer %d · step %u · %s median %s, %g–%g%% ≈ %s … %s "
                                    "(from a 64-bin histogram)"),
                                 layer + 1, step, _ (s->quantity), a, 100 * s->q_lo, 100 * s->q_hi, b, c));
}

/* The run whose line is nearest the pointer, at the nearest checkpoint. */
static void
band_query (GsPlotCtx *ctx, BandKind kind, guint layer, const GsPanel *p)
{
  double   step, want, best = INFINITY, v[3], pick[3] = { 0 };
  guint    pick_step = 0;
  gboolean any = FALSE;

  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  step = _gs_axis_value (&p->x, ctx->qx), want = ctx->qy;
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      guint     n_cp = shown_checkpoints (ctx, rec), cp = 0;
      for (guint k = 1; k < n_cp; k++)
        if (fabs (gs_record_checkpoint_step (rec, k) - step)
            < fabs (gs_record_checkpoint_step (rec, cp) - step))
          cp = k;
      if (n_cp == 0 || !band_at (rec, kind, cp, layer, v) || fabs (_gs_axis_pos (&p->y, v[0]) - want) >= best)
        continue;
      best = fabs (_gs_axis_pos (&p->y, v[0]) - want), any = TRUE;
      pick_step = gs_record_checkpoint_step (rec, cp);
      pick[0] = v[0], pick[1] = v[1], pick[2] = v[2];
    }
  if (any)
    band_answer (ctx, kind, layer, pick_step, pick);
}

/* The activation's input where every run's activation can be inverted;
 * the same layers at every size, so a thumbnail shows what the slide does. */
static void
grid_init (GsPlotCtx *ctx, const GsRect *body, Grid *g)
{
  gboolean invertible = TRUE;
  guint    n_hidden = G_MAXUINT, n_cp = 0;

  g->last = 2;
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      invertible = invertible && gs_activation_invertible (gs_record_config (rec)->activation);
      n_hidden = MIN (n_hidden, gs_record_n_layers (rec) - 1);
      guint n = shown_checkpoints (ctx, rec);
      n_cp = MAX (n_cp, n);
      if (gs_record_n_checkpoints (rec) > 0)
        g->last = MAX (g->last, gs_record_checkpoint_step (rec, gs_record_n_checkpoints (rec) - 1));
    }
  g->nk = 0;
  g->kinds[g->nk++] = BAND_ACT;
  if (invertible)
    g->kinds[g->nk++] = BAND_PRE;
  g->kinds[g->nk++] = BAND_SIGNAL;
  g->nl = n_cp == 0 || n_hidden == 0 || n_hidden == G_MAXUINT
              ? 0
              : _gs_pick_layers (n_hidden, COLUMNS, g->layers);
}

static void
band_color (GsPlotCtx *ctx, guint r, guint layer, GsRgba *c)
{
  if (ctx->n_runs > 1)
    _gs_run_color (ctx->style, r, c);
  else
    _gs_layer_color (ctx->style, layer, gs_record_n_layers (ctx->runs[0]), c);
}

static void
cell_draw (GsPlotCtx *ctx, BandKind kind, guint layer, GsPanel *p)
{
  _gs_panel_frame (ctx, p);
  if (!ctx->query)
    {
      _gs_panel_clip (ctx, p);
      for (guint r = 0; r < ctx->n_runs; r++)
        {
          GsRgba c;
          band_color (ctx, r, layer, &c);
          draw_band (ctx, r, kind, layer, p, &c);
          _gs_phase_marks (ctx, ctx->runs[r], p, 1, FALSE);
        }
      cairo_restore (ctx->cr);
    }
  _gs_panel_axes (ctx, p);
  band_query (ctx, kind, layer, p);
}

/* Row k's cells, laid out twice: first to find the widest left margin, so
 * the columns line up across rows. */
static void
row_panels (GsPlotCtx *ctx, const Grid *g, guint k, const GsRect *row, GsPanel *cells)
{
  const BandSpec *s = &band_specs[g->kinds[k]];
  gboolean        bottom = k + 1 == g->nk;
  GsAxis          y;

  band_range (ctx, g, g->kinds[k], &y);
  for (guint i = 0; i < g->nl; i++)
    {
      GsRect box;
      _gs_split_cols (row, g->nl, ctx->pad, i, &box);
      cells[i] = (GsPanel){ .outer = box,
                            /* column headers: the same layers in every row */
                            .title = k == 0 ? g_strdup_printf (_ ("layer %u"), g->layers[i] + 1) : NULL,
                            .ylabel = i == 0 ? _ (s->ylabel) : NULL,
                            .ylabel_short = i == 0 ? s->ylabel_short : NULL,
                            .no_xticks = !bottom,
                            .no_yticks = i > 0,
                            .x = { .lo = 0, .hi = g->last, .integer = TRUE },
                            .y = y };
      if (bottom)
        {
          cells[i].xlabel = _ ("step");
          cells[i].xlabel_short = NULL;
        }
    }
}

static double
row_title (GsPlotCtx *ctx, BandKind kind, const GsRect *row)
{
  const BandSpec *s = &band_specs[kind];
  double          w, h;

  _gs_text_size (ctx, GS_TEXT_LABEL, _ (s->title), &w, &h);
  _gs_text_fit (ctx, GS_TEXT_LABEL, w <= row->w ? _ (s->title) : _ (s->title_short), row->x, row->y, row->w,
                0, 0, &ctx->style->foreground);
  return ctx->line_h[GS_TEXT_LABEL] * 1.15;
}

/* Cells laid out once in an even split, to measure their margins; then
 * every plot gets the same width, the first column the room its ticks and
 * label take, so the columns line up across rows. */
static void
draw_grid (GsPlotCtx *ctx, const Grid *g, const GsRect *body)
{
  GsPanel cells[N_BANDS][GS_MAX_PICKED_LAYERS];
  double  h = body->h / g->nk, first = 0, other = 0, right = 0;

  for (guint k = 0; k < g->nk; k++)
    {
      GsRect row = { body->x, body->y + k * h, body->w, h };
      row.y += row_title (ctx, g->kinds[k], &row);
      row.h = body->y + (k + 1) * h - row.y;
      row_panels (ctx, g, k, &row, cells[k]);
      for (guint i = 0; i < g->nl; i++)
        {
          GsPanel *p = &cells[k][i];
          _gs_panel_layout (ctx, p);
          double left = p->plot.x - p->outer.x;
          *(i == 0 ? &first : &other) = MAX (i == 0 ? first : other, left);
          right = MAX (right, p->outer.x + p->outer.w - p->plot.x - p->plot.w);
        }
    }
  other += ctx->pad * 1.5;
  double pw = (body->w - first - (g->nl - 1) * other - g->nl * right) / g->nl;
  for (guint k = 0; k < g->nk; k++)
    for (guint i = 0; i < g->nl; i++)
      {
        GsPanel *p = &cells[k][i];
        p->outer.x = i == 0 ? body->x : body->x + first + pw + right + (i - 1) * (other + pw + right);
        p->outer.w = (i == 0 ? first : other) + pw + right;
        p->min_left = i == 0 ? first : other;
        if (pw > 2 && _gs_panel_layout (ctx, p))
          cell_draw (ctx, g->kinds[k], g->layers[i], p);
        g_free ((char *) p->title);
      }
}

/* In a comparison, which colour is which run. */
static void
run_key (GsPlotCtx *ctx, GsRect *body)
{
  GsKeyItem items[8];
  char     *names[8] = { NULL };
  guint     n = MIN (ctx->n_runs, 8u);

  if (ctx->n_runs < 2)
    return;
  for (guint r = 0; r < n; r++)
    {
      names[r] = _gs_run_label (ctx, r);
      items[r] = (GsKeyItem){ names[r], NULL, GS_KEY_BAR, { 0 } };
      _gs_run_color (ctx->style, r, &items[r].color);
    }
  double h = _gs_key_rows (ctx, body, items, n);
  for (guint r = 0; r < n; r++)
    g_free (names[r]);
  body->y += h, body->h -= h;
}

void
_gs_plot_bands (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsRect body;
  Grid   g;

  _gs_titled_body (ctx, area, with_title, _ ("Percentile bands per layer"), &body);
  run_key (ctx, &body);
  grid_init (ctx, &body, &g);
  if (g.nl == 0)
    {
      _gs_no_data (ctx, &body, _ ("No histogram checkpoints yet"));
      return;
    }
  draw_grid (ctx, &g, &body);
}
