/* gs-plot-init-hist.c: histograms at initialisation, overlaid by layer.
 *
 * Glorot & Bengio's Figs. 6-7: the step-1 checkpoint (taken on the first
 * batch before any update) of the activations (left) and the back-propagated
 * signal dL/dh (right), one outline per shown layer on one value axis. Each
 * layer's counts are scaled to its own tallest bin (= 1): layers whose
 * values are 1000 times narrower would otherwise be one needle flattening
 * the others; how wide each layer spreads is read off the x axis.
 */
#define G_LOG_DOMAIN "gs-plot-init-hist"

#include <math.h>

#include "gs-plot-private.h"

typedef struct
{
  GsHistKind  kind;
  const char *title, *xlabel, *xlabel_short;
} InitSpec;

/* Texts marked with N_(), translated where drawn. */
static const InitSpec init_specs[2] = {
  { GS_HIST_ACT, N_ ("Activations at step 1"), N_ ("activation value"), "a" },
  { GS_HIST_SIGNAL, N_ ("Backprop signal ∂L/∂h"), "∂L/∂h", "∂L/∂h" },
};

static double
hist_total (const GsHist *h)
{
  double t = 0;
  for (int i = 0; i < GS_HIST_BINS; i++)
    t += h->counts[i];
  return t;
}

static double
hist_peak (const GsHist *h)
{
  double m = 0;
  for (int i = 0; i < GS_HIST_BINS; i++)
    m = MAX (m, h->counts[i]);
  return m;
}

/* Counts relative to the layer's tallest bin. */
static double
bin_density (const GsHist *h, double peak, int i)
{
  return peak > 0 ? h->counts[i] / peak : 0;
}

/* The x range of all shown histograms. */
static gboolean
init_range (GsRecord *rec, int cp, const InitSpec *s, const guint *layers, guint nl, GsAxis *x, GsAxis *y)
{
  double lo = INFINITY, hi = -INFINITY, top = 0;

  for (guint i = 0; i < nl; i++)
    {
      const GsHist *h = gs_record_hist (rec, cp, s->kind, layers[i]);
      if (h == NULL || hist_total (h) == 0 || !isfinite (h->lo) || !isfinite (h->hi))
        continue;
      lo = MIN (lo, h->lo), hi = MAX (hi, h->hi);
      top = 1;
    }
  if (!(hi > lo))
    {
      double c = isfinite (lo) ? lo : 0;
      lo = c - 1, hi = c + 1;
    }
  double m = (hi - lo) * 0.03; /* keeps the end ticks off the y axis's labels */
  *x = (GsAxis){ .lo = lo - m, .hi = hi + m };
  /* 0 sits a little above the x axis: its label clears the x tick labels */
  *y = (GsAxis){ .lo = -0.07, .hi = 1.05 };
  return top > 0;
}

static void
outline (GsPlotCtx *ctx, const GsPanel *p, const GsHist *h, const GsRgba *c)
{
  cairo_t *cr = ctx->cr;
  double   t = hist_peak (h), w = (h->hi - h->lo) / GS_HIST_BINS;
  double   base = _gs_axis_pos (&p->y, 0);

  if (t == 0 || !(w > 0))
    return;
  cairo_move_to (cr, _gs_axis_pos (&p->x, h->lo), base);
  for (int i = 0; i < GS_HIST_BINS; i++)
    {
      double y = _gs_axis_pos (&p->y, bin_density (h, t, i));
      cairo_line_to (cr, _gs_axis_pos (&p->x, h->lo + i * w), y);
      cairo_line_to (cr, _gs_axis_pos (&p->x, h->lo + (i + 1) * w), y);
    }
  cairo_line_to (cr, _gs_axis_pos (&p->x, h->hi), base);
  _gs_set_color (cr, c, 0.12);
  cairo_fill_preserve (cr);
  _gs_set_color (cr, c, 1.0);
  cairo_stroke (cr);
}

static void
init_query (
    GsPlotCtx *ctx, GsRecord *rec, int cp, const InitSpec *s, const guint *layers, guint nl, const GsPanel *p)
{
  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  double x = _gs_axis_value (&p->x, ctx->qx), want = _gs_axis_value (&p->y, ctx->qy);
  double best = INFINITY, dens = 0;
  int    layer = -1;
  for (guint i = 0; i < nl; i++)
    {
      const GsHist *h = gs_record_hist (rec, cp, s->kind, layers[i]);
      double        t = h ? hist_peak (h) : 0, w = h ? (h->hi - h->lo) / GS_HIST_BINS : 0;
      if (t == 0 || !(w > 0) || x < h->lo || x > h->hi)
        continue;
      double d = bin_density (h, t, MIN ((int) ((x - h->lo) / w), GS_HIST_BINS - 1));
      if (fabs (d - want) < best)
        best = fabs (d - want), dens = d, layer = (int) layers[i];
    }
  if (layer < 0)
    return;
  const GsHist    *h = gs_record_hist (rec, cp, s->kind, layer);
  g_autofree char *v = _gs_format_value (x), *d = _gs_format_value (dens);
  g_autofree char *sd = _gs_format_value (h->std);
  /* TRANSLATORS: a hover text: layer, the value under the pointer, the bin's
     count relative to the layer's tallest bin, and the layer's standard
     deviation */
  _gs_answer (ctx, g_strdup_printf (_ ("layer %d · step 1 · %s ≈ %s: %s of the layer's peak "
                                       "count (std %s)"),
                                    layer + 1, _ (s->xlabel), v, d, sd));
}

static void
init_panel (GsPlotCtx *ctx, GsRecord *rec, const InitSpec *s, const GsRect *outer, gboolean first)
{
  guint   layers[GS_MAX_PICKED_LAYERS];
  guint   nl = _gs_pick_layers (gs_record_n_layers (rec) - 1, GS_MAX_PICKED_LAYERS, layers);
  int     cp = _gs_init_checkpoint (rec);
  GsPanel p = { .outer = *outer,
                .title = _ (s->title),
                .xlabel = _ (s->xlabel),
                .xlabel_short = s->xlabel_short,
                /* TRANSLATORS: axis label: each layer's counts divided by its tallest bin */
                .ylabel = first ? _ ("count / layer's peak") : NULL,
                .ylabel_short = first ? _ ("count") : NULL,
                .no_yticks = !first }; /* the same 0..1 scale as its left neighbour */

  if (cp < 0 || nl == 0 || !init_range (rec, cp, s, layers, nl, &p.x, &p.y))
    {
      _gs_no_data (ctx, outer, _ ("No histograms at step 1"));
      return;
    }
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_panel_frame (ctx, &p);
  if (!ctx->query)
    {
      _gs_panel_clip (ctx, &p);
      cairo_set_line_width (ctx->cr, ctx->style->line_width);
      cairo_set_line_join (ctx->cr, CAIRO_LINE_JOIN_ROUND);
      for (guint i = 0; i < nl; i++)
        {
          GsRgba c;
          _gs_layer_color (ctx->style, layers[i], gs_record_n_layers (rec), &c);
          outline (ctx, &p, gs_record_hist (rec, cp, s->kind, layers[i]), &c);
        }
      cairo_restore (ctx->cr);
    }
  _gs_panel_axes (ctx, &p);
  init_query (ctx, rec, cp, s, layers, nl, &p);
}

void
_gs_plot_init_hist (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsRect body;

  _gs_titled_body (ctx, area, with_title, _ ("Histograms at initialisation"), &body);
  _gs_layer_key_above (ctx, &body);
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRect           col, half;
      g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
      _gs_split_cols (&body, ctx->n_runs, ctx->pad * 2, r, &col);
      if (name)
        {
          double h = ctx->line_h[GS_TEXT_LABEL] + ctx->pad * 0.5;
          if (col.h > h * 4)
            {
              _gs_text_fit (ctx, GS_TEXT_LABEL, name, col.x + ctx->pad, col.y, col.w - ctx->pad, 0, 0,
                            &ctx->style->foreground);
              col.y += h, col.h -= h;
            }
        }
      /* two runs: activations above the signal; one run: side by side */
      for (guint k = 0; k < 2; k++)
        {
          if (ctx->n_runs == 1)
            _gs_split_cols (&col, 2, ctx->pad * 2, k, &half);
          else
            half = (GsRect){ col.x, col.y + k * col.h / 2, col.w, col.h / 2 };
          init_panel (ctx, ctx->runs[r], &init_specs[k], &half, k == 0 || ctx->n_runs > 1);
        }
    }
}
