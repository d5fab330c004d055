/* gs-plot-histograms.c: per-layer histograms over time, as small multiples.
 *
 * One panel per layer, each with its own value range (gradients of
 * different layers differ by decades; the tick labels show by how much).
 * One run: a ridgeline of checkpoints, step 1 at the back, the shown step
 * in front. Several runs: the shown checkpoint of each, overlaid.
 */
#define G_LOG_DOMAIN "gs-plot-histograms"

#include <math.h>

#include "gs-plot-private.h"

#define MAX_PANELS 12

#define MAX_RIDGES 6

/* The checkpoint nearest to the cursor (the last one when it is 0), or -1. */
static int
shown_checkpoint (GsRecord *rec, guint cursor)
{
  guint n = gs_record_n_checkpoints (rec);
  int   best = -1;
  guint best_d = G_MAXUINT;

  if (n == 0)
    return -1;
  if (cursor == 0)
    return (int) n - 1;
  for (guint i = 0; i < n; i++)
    {
      guint s = gs_record_checkpoint_step (rec, i);
      guint d = s > cursor ? s - cursor : cursor - s;
      if (d < best_d)
        best_d = d, best = (int) i;
    }
  return best;
}

static void
layer_range (GsPlotCtx *ctx, GsHistKind kind, guint layer, double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      int       last = shown_checkpoint (rec, ctx->style->cursor_step);
      if (layer >= gs_record_n_layers (rec))
        continue;
      for (int cp = 0; cp <= last; cp++)
        {
          const GsHist *h = gs_record_hist (rec, cp, kind, layer);
          if (isfinite (h->lo) && isfinite (h->hi))
            *lo = MIN (*lo, h->lo), *hi = MAX (*hi, h->hi);
        }
    }
  if (!isfinite (*lo))
    *lo = -1, *hi = 1;
  if (*hi - *lo <= 0)
    {
      double d = fabs (*lo) > 0 ? fabs (*lo) * 0.1 : 1e-3;
      *lo -= d, *hi += d;
    }
  /* Round out to ticks: +-m for symmetric ranges, else two nice steps. */
  if (fabs (*lo + *hi) <= 1e-6 * (*hi - *lo))
    {
      double m = *hi, e = pow (10, floor (log10 (m)));
      double f = m / e;
      *hi = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e;
      *lo = -*hi;
      return;
    }
  double step = _gs_nice_step ((*hi - *lo) / 2);
  *lo = floor (*lo / step) * step;
  *hi = ceil (*hi / step) * step;
}

/* One histogram as a closed path above the baseline; amp is its height. */
static void
hist_path (GsPlotCtx *ctx, const GsPanel *p, const GsHist *h, double base, double amp)
{
  cairo_t *cr = ctx->cr;
  guint32  max = 0;

  for (int b = 0; b < GS_HIST_BINS; b++)
    max = MAX (max, h->counts[b]);
  if (max == 0 || !isfinite (h->lo) || !isfinite (h->hi))
    return;
  if (h->hi <= h->lo)
    {
      /* every value equal (e.g. all-zero gradients): a spike */
      double x = _gs_axis_pos (&p->x, h->lo);
      cairo_rectangle (cr, x - 1, base - amp, 2, amp);
      return;
    }
  double bw = (h->hi - h->lo) / GS_HIST_BINS;
  cairo_move_to (cr, _gs_axis_pos (&p->x, h->lo), base);
  for (int b = 0; b < GS_HIST_BINS; b++)
    cairo_line_to (cr, _gs_axis_pos (&p->x, h->lo + (b + 0.5) * bw), base - amp * h->counts[b] / max);
  cairo_line_to (cr, _gs_axis_pos (&p->x, h->hi), base);
  cairo_close_path (cr);
}

static void
draw_ridges (GsPlotCtx *ctx, GsRecord *rec, guint layer, const GsPanel *p, const GsRgba *c)
{
  cairo_t   *cr = ctx->cr;
  int        last = shown_checkpoint (rec, ctx->style->cursor_step);
  GsHistKind kind = ctx->style->hist_kind;
  guint      room = (guint) (p->plot.h / (ctx->line_h[GS_TEXT_TICK] * 0.6));
  guint      n = MIN ((guint) last + 1, CLAMP (room, 1u, (guint) MAX_RIDGES));
  double     off = n > 1 ? p->plot.h * 0.5 / (n - 1) : 0;
  double     amp = p->plot.h - (n - 1) * off;

  for (guint i = 0; i < n; i++)
    {
      int    cp = n == 1 ? last : (int) ((guint64) i * last / (n - 1));
      double base = p->plot.y + p->plot.h - (n - 1 - i) * off;
      /* Opaque fills (the colour pre-mixed with the background) hide the
       * ridges behind in one pass. */
      double        a = n == 1 ? 0.55 : 0.15 + 0.55 * i / (n - 1);
      const GsRgba *bg = &ctx->style->background;
      hist_path (ctx, p, gs_record_hist (rec, cp, kind, layer), base, amp * 0.95);
      cairo_set_source_rgb (cr, bg->r + (c->r - bg->r) * a, bg->g + (c->g - bg->g) * a,
                            bg->b + (c->b - bg->b) * a);
      cairo_fill_preserve (cr);
      /* Only the front ridge is outlined: the fills separate the others,
       * and outlining every spiky ridge costs most of the figure's time. */
      if (i + 1 < n)
        {
          cairo_new_path (cr);
          continue;
        }
      _gs_set_color (cr, c, 1.0);
      cairo_set_line_width (cr, ctx->style->line_width * 0.8);
      cairo_stroke (cr);
    }
}

static void
draw_overlay (GsPlotCtx *ctx, guint layer, const GsPanel *p)
{
  cairo_t *cr = ctx->cr;

  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      int       cp = shown_checkpoint (rec, ctx->style->cursor_step);
      GsRgba    c;
      if (cp < 0 || layer >= gs_record_n_layers (rec))
        continue;
      _gs_run_color (ctx->style, r, &c);
      hist_path (ctx, p, gs_record_hist (rec, cp, ctx->style->hist_kind, layer), p->plot.y + p->plot.h,
                 p->plot.h * 0.95);
      _gs_set_color (cr, &c, 0.12);
      cairo_fill_preserve (cr);
      _gs_set_color (cr, &c, 1.0);
      cairo_set_line_width (cr, ctx->style->line_width * 0.8);
      cairo_stroke (cr);
    }
}

static void
hist_query (GsPlotCtx *ctx, guint layer, const GsPanel *p)
{
  GsRecord *rec = ctx->runs[0];
  int       cp = shown_checkpoint (rec, ctx->style->cursor_step);

  if (!ctx->query || cp < 0 || layer >= gs_record_n_layers (rec)
      || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  const GsHist *h = gs_record_hist (rec, cp, ctx->style->hist_kind, layer);
  double        v = _gs_axis_value (&p->x, ctx->qx), bw = (h->hi - h->lo) / GS_HIST_BINS;
  guint64       total = 0;
  for (int b = 0; b < GS_HIST_BINS; b++)
    total += h->counts[b];
  if (!(bw > 0) || total == 0 || v < h->lo || v > h->hi)
    return;
  int              b = CLAMP ((int) ((v - h->lo) / bw), 0, GS_HIST_BINS - 1);
  g_autofree char *a = _gs_format_value (h->lo + b * bw);
  g_autofree char *z = _gs_format_value (h->lo + (b + 1) * bw);
  /* TRANSLATORS: a hover text: layer, step, what the histogram counts, the
     bin's range, and the share of the values in that bin */
  _gs_answer (ctx, g_strdup_printf (_ ("layer %u · step %u · %s in [%s, %s]: %.1f%% of values"), layer + 1,
                                    gs_record_checkpoint_step (rec, cp),
                                    _gs_hist_kind_label (ctx->style->hist_kind), a, z,
                                    100.0 * h->counts[b] / total));
}

/* Too narrow for end ticks: the range is written in the corner instead. */
static char *
range_text (const GsAxis *x)
{
  char   a[32], b[32];
  double step = (x->hi - x->lo) / 2;

  _gs_format_tick (x->hi, step, b, sizeof b);
  if (fabs (x->lo + x->hi) <= 1e-6 * (x->hi - x->lo))
    return g_strdup_printf ("±%s", b);
  _gs_format_tick (x->lo, step, a, sizeof a);
  return g_strdup_printf ("%s … %s", a, b);
}

static void
range_note (GsPlotCtx *ctx, const GsPanel *p)
{
  g_autofree char *text = range_text (&p->x);

  /* In the title row, right-aligned, where it overlaps nothing. */
  double w, h, tw = 0;
  _gs_text_size (ctx, GS_TEXT_TICK, text, &w, &h);
  if (p->title)
    _gs_text_size (ctx, GS_TEXT_LABEL, p->title, &tw, &h);
  double right = p->outer.x + p->outer.w;
  if (!p->title || p->plot.x + tw + ctx->pad + w > right)
    return;
  _gs_text (ctx, GS_TEXT_TICK, text, right, p->outer.y + ctx->line_h[GS_TEXT_LABEL] / 2, 1, 0.5,
            &ctx->style->muted);
  /* for the layout tests: both ends of the x axis are labelled, and the
   * panel has no other label (the footer names the axis) */
  if (ctx->panels && ctx->panels->len > 0)
    {
      GsPanelBox *box = &g_array_index (ctx->panels, GsPanelBox, ctx->panels->len - 1);
      box->n_xticks = 2;
      box->labels = TRUE;
    }
}

/* Several runs: a line sample and the label of each, in one centred row. */
static double
run_key (GsPlotCtx *ctx, const GsRect *body)
{
  double row = ctx->line_h[GS_TEXT_TICK] + ctx->pad * 0.5, sample = ctx->pad * 3;
  double total = 0, w, h;
  char  *labels[6];
  guint  n = MIN (ctx->n_runs, 6u);

  if (ctx->n_runs < 2)
    return 0;
  for (guint r = 0; r < n; r++)
    {
      labels[r] = _gs_run_label (ctx, r);
      _gs_text_size (ctx, GS_TEXT_TICK, labels[r], &w, &h);
      total += sample + ctx->pad * 0.5 + w + ctx->pad * 2;
    }
  double x = body->x + MAX (0, (body->w - total) / 2), y = body->y + body->h - row / 2;
  for (guint r = 0; r < n; r++)
    {
      GsRgba c;
      _gs_run_color (ctx->style, r, &c);
      if (!ctx->query && x + sample < body->x + body->w)
        {
          cairo_move_to (ctx->cr, x, y);
          cairo_line_to (ctx->cr, x + sample, y);
          cairo_set_line_width (ctx->cr, ctx->style->line_width);
          _gs_set_color (ctx->cr, &c, 1.0);
          cairo_stroke (ctx->cr);
        }
      x += sample + ctx->pad * 0.5;
      _gs_text_size (ctx, GS_TEXT_TICK, labels[r], &w, &h);
      _gs_text_fit (ctx, GS_TEXT_TICK, labels[r], x, y, body->x + body->w - x, 0, 0.5,
                    &ctx->style->foreground);
      x += w + ctx->pad * 2;
      g_free (labels[r]);
    }
  return row;
}

static void
layer_panel (GsPlotCtx *ctx, guint layer, guint n_layers, const GsRect *outer)
{
  g_autofree char *title = NULL;
  GsRgba           c, tc;
  GsPanel          p = { .outer = *outer, .title_color = &tc, .no_yticks = TRUE };

  _gs_layer_color (ctx->style, layer, n_layers, &c);
  /* Light layer colours (sand, cyan) are too pale for text on white. */
  double k = ctx->style->dark ? 1.0 : 0.7;
  tc = (GsRgba){ c.r * k, c.g * k, c.b * k, 1.0 };
  layer_range (ctx, ctx->style->hist_kind, layer, &p.x.lo, &p.x.hi);
  title = layer + 1 == n_layers && n_layers > 1 ? g_strdup_printf (_ ("layer %u (output)"), layer + 1)
                                                : g_strdup_printf (_ ("layer %u"), layer + 1);
  /* the long title only with room beside it for the range note */
  g_autofree char *note = range_text (&p.x);
  double           tw, th, nw;
  _gs_text_size (ctx, GS_TEXT_LABEL, title, &tw, &th);
  _gs_text_size (ctx, GS_TEXT_TICK, note, &nw, &th);
  if (tw + nw > outer->w - ctx->pad * 4)
    {
      g_free (title);
      title = g_strdup_printf (_ ("layer %u"), layer + 1);
    }
  if (outer->h >= ctx->line_h[GS_TEXT_LABEL] * 3)
    p.title = title;
  p.y = (GsAxis){ .lo = 0, .hi = 1 };
  if (!_gs_panel_layout (ctx, &p))
    return;
  if (!ctx->query)
    {
      cairo_save (ctx->cr);
      cairo_rectangle (ctx->cr, p.plot.x, p.plot.y - 1, p.plot.w, p.plot.h + 1);
      cairo_clip (ctx->cr);
      if (ctx->n_runs == 1)
        draw_ridges (ctx, ctx->runs[0], layer, &p, &c);
      else
        draw_overlay (ctx, layer, &p);
      cairo_restore (ctx->cr);
    }
  _gs_panel_axes (ctx, &p);
  if (p.xt.n < 3)
    range_note (ctx, &p);
  hist_query (ctx, layer, &p);
}

/* Columns and rows for n panels in a w x h box, panels about 1.4:1. */
static void
grid_shape (guint n, double w, double h, guint *cols, guint *rows)
{
  double best = -1;

  *cols = 1;
  for (guint c = 1; c <= n; c++)
    {
      guint  r = (n + c - 1) / c;
      double score = MIN (w / c / 1.4, h / r);
      if (score > best)
        best = score, *cols = c;
    }
  *rows = (n + *cols - 1) / *cols;
}

static char *
footer_text (GsPlotCtx *ctx)
{
  const char *what = _gs_hist_kind_label (ctx->style->hist_kind);
  GsRecord   *rec = ctx->runs[0];
  int         cp = shown_checkpoint (rec, ctx->style->cursor_step);

  /* TRANSLATORS: %s is what the histograms count, e.g. "weight value"; each
     layer's panel has its own x range */
  if (ctx->n_runs > 1 || cp <= 0)
    return g_strdup_printf (_ ("%s (range per layer)"), what);
  /* TRANSLATORS: the histograms of one layer are drawn as ridgelines, the
     first checkpoint at the back, the one shown at the front */
  return g_strdup_printf (_ ("%s (range per layer) · ridges: step %u (back) → %u (front)"), what,
                          gs_record_checkpoint_step (rec, 0), gs_record_checkpoint_step (rec, cp));
}

void
_gs_plot_histograms (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsRect body;
  guint  n_layers = _gs_max_layers (ctx), cols, rows;

  _gs_titled_body (ctx, area, with_title, _gs_hist_kind_title (ctx->style->hist_kind), &body);
  if (shown_checkpoint (ctx->runs[0], ctx->style->cursor_step) < 0)
    {
      _gs_no_data (ctx, &body, _ ("No histogram checkpoints yet"));
      return;
    }
  body.h -= run_key (ctx, &body);
  double           foot = ctx->line_h[GS_TEXT_LABEL] + ctx->pad * 0.5, w, h;
  g_autofree char *footer = footer_text (ctx);
  _gs_text_size (ctx, GS_TEXT_LABEL, footer, &w, &h);
  _gs_text_fit (ctx, GS_TEXT_LABEL, w <= body.w ? footer : _gs_hist_kind_label (ctx->style->hist_kind),
                body.x + body.w / 2, body.y + body.h, body.w, 0.5, 1.0, &ctx->style->foreground);
  body.h -= foot;
  body.x += ctx->pad * 0.5;
  body.w -= ctx->pad * 0.5;
  /* Deep networks: at most MAX_PANELS layers (half in the dashboard), spread evenly from the input
   * to the output and named in their titles; the same ones at every size,
   * so a thumbnail shows what the slide does. */
  guint n = MIN (n_layers, with_title ? MAX_PANELS : MAX_PANELS / 2); /* a dashboard cell: fewer */
  grid_shape (n, body.w, body.h, &cols, &rows);
  double cw = body.w / cols, rh = body.h / rows;
  for (guint i = 0; i < n; i++)
    {
      guint  l = n == n_layers || n == 1 ? i : i * (n_layers - 1) / (n - 1);
      guint  row = i / cols, col = i % cols; /* reading order from layer 1 */
      double gap = cols > 1 ? ctx->pad * 1.5 : 0;
      GsRect outer = { body.x + col * cw, body.y + row * rh, cw - gap, rh };
      layer_panel (ctx, l, n_layers, &outer);
    }
}
