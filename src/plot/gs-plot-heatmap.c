/* gs-plot-heatmap.c: a per-layer probe as a layer x step image.
 *
 * The cells become one ARGB32 image, one pixel per cell (columns decimated
 * to the device width on raster targets), scaled up with a NEAREST filter:
 * cheap to draw and a single small raster inside SVG and PDF. Layer 1 (the
 * input side) is the bottom row. NaN/Inf cells stay transparent and are
 * hatched: a diverged run shows a marked gap, not a colour.
 */
#include <math.h>
#include <string.h>

#include "gs-plot-private.h"

#define MAX_VECTOR_COLUMNS 2048
/* SVG viewers ignore the NEAREST filter and smooth the raster: in vector
 * output every cell is several pixels, so the blur stays at the edges.
 * Repeated rows cost next to nothing in PNG (the "Up" filter). */
#define VECTOR_MIN_ROWS 256
#define VECTOR_MIN_COLUMNS 512
#define MAX_DECADES 12

/* Layer-wise runs leave layers frozen (no gradient) or not yet added (no
 * activation): their probes are NaN by design, which is no gap. */
static gboolean
layer_active (GsRecord *rec, GsProbe probe, guint layer, guint column)
{
  const guint step = column * MAX (gs_record_stride (rec), 1) + 1;
  const GsStageStart *st = NULL;
  const gboolean forward = probe == GS_PROBE_ACT_MEAN || probe == GS_PROBE_ACT_STD
                           || probe == GS_PROBE_ACT_SAT;

  if (layer + 1 == gs_record_n_layers (rec))
    return TRUE;
  for (guint i = 0; i < gs_record_n_stages (rec); i++)
    if (gs_record_stage (rec, i)->step <= step)
      st = gs_record_stage (rec, i);
  if (st == NULL)
    return TRUE;
  return (int) layer < st->active_depth && (forward || (int) layer >= st->lowest_trainable);
}

static void
scan_range (GsRecord *rec, const GsHeatSpec *spec, guint cursor,
            double *vmin, double *vmax, gboolean *gap, gboolean *idle)
{
  guint n_show = _gs_cursor_column (rec, cursor);

  for (guint l = 0; l < gs_record_n_layers (rec); l++)
    {
      const float *s = gs_record_series (rec, spec->probe, l);
      for (guint c = 0; c < n_show; c++)
        {
          double v = s[c];
          if (!isfinite (v) && !layer_active (rec, spec->probe, l, c))
            *idle = TRUE;
          else if (!isfinite (v))
            *gap = TRUE;
          else if (spec->diverging)
            *vmax = MAX (*vmax, fabs (v));
          else if (v > 0)
            *vmin = MIN (*vmin, v), *vmax = MAX (*vmax, v);
        }
    }
}

/* One colour range over every run drawn, so side-by-side panels compare. */
void
_gs_heat_range (GsPlotCtx *ctx, GsHeatSpec *spec)
{
  double vmin = INFINITY, vmax = 0;

  spec->has_gap = spec->has_idle = FALSE;
  for (guint r = 0; r < ctx->n_runs; r++)
    scan_range (ctx->runs[r], spec, ctx->style->cursor_step, &vmin, &vmax,
                &spec->has_gap, &spec->has_idle);
  if (spec->diverging)
    {
      double m = vmax > 0 ? vmax : 1;
      double e = pow (10, floor (log10 (m)));
      spec->hi = ceil (m / e * 2 - 1e-9) / 2 * e;   /* round up to a half step */
      spec->lo = -spec->hi;
      return;
    }
  if (vmax <= 0)
    vmin = vmax = 1e-3;
  _gs_log_range (vmin, vmax, &spec->lo, &spec->hi);
  spec->lo = MAX (spec->lo, spec->hi - MAX_DECADES);
}

static double
color_t (const GsHeatSpec *spec, double v)
{
  if (spec->diverging)
    return v / spec->hi;                 /* -1 .. 1 */
  if (v <= 0)
    return 0;
  return (log10 (v) - spec->lo) / (spec->hi - spec->lo);
}

static guint32
cell_argb (const GsHeatSpec *spec, double v)
{
  if (!isfinite (v))
    return 0;
  double t = color_t (spec, v);
  return spec->diverging ? _gs_diverging_argb (t) : _gs_viridis_argb (t);
}

/* Mean of columns [c0, c1); NaN (or Inf) wins, as when the record merges. */
static double
column_mean (const float *s, guint c0, guint c1)
{
  double sum = 0;
  for (guint c = c0; c < c1; c++)
    sum += s[c];
  return sum / MAX (c1 - c0, 1);
}

static guint
image_columns (GsPlotCtx *ctx, guint n_show, double width)
{
  if (ctx->vector)
    return MIN (n_show, MAX_VECTOR_COLUMNS);
  double dx = width, dy = 0;
  cairo_user_to_device_distance (ctx->cr, &dx, &dy);
  guint device_w = (guint) ceil (hypot (dx, dy));
  return CLAMP (device_w, 1u, n_show);
}

/* Flat, between background and text: no colour of the map, no hatch. */
static guint32
idle_argb (GsPlotCtx *ctx)
{
  const GsRgba *b = &ctx->style->background, *f = &ctx->style->muted;
  const double k = 0.22;

  return 0xff000000u | (guint32) (255 * (b->r + k * (f->r - b->r))) << 16
         | (guint32) (255 * (b->g + k * (f->g - b->g))) << 8
         | (guint32) (255 * (b->b + k * (f->b - b->b)));
}

/* iw cells per row, each kc x kr pixels. */
static cairo_surface_t *
build_image (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, guint n_show,
             guint iw, guint kc, guint kr)
{
  const guint32 idle = idle_argb (ctx);
  guint n_layers = gs_record_n_layers (rec);
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, iw * kc,
                                                     n_layers * kr);
  guint8 *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);

  for (guint l = 0; l < n_layers; l++)
    {
      const float *s = gs_record_series (rec, spec->probe, l);
      guint8 *first = data + (gsize) (n_layers - 1 - l) * kr * stride;
      guint32 *row = (guint32 *) first;
      for (guint j = 0; j < iw; j++)
        {
          guint c0 = (guint) ((guint64) j * n_show / iw);
          guint c1 = MAX ((guint) ((guint64) (j + 1) * n_show / iw), c0 + 1);
          double v = column_mean (s, c0, c1);
          guint32 px = !isfinite (v) && !layer_active (rec, spec->probe, l, c0)
                       ? idle : cell_argb (spec, v);
          for (guint k = 0; k < kc; k++)
            row[j * kc + k] = px;
        }
      for (guint k = 1; k < kr; k++)
        memcpy (first + (gsize) k * stride, first, (gsize) iw * kc * 4);
    }
  cairo_surface_mark_dirty (img);
  return img;
}

/* Diagonal lines over every transparent (non-finite) cell of the image. */
static void
hatch_gaps (GsPlotCtx *ctx, cairo_surface_t *img, const GsRect *r)
{
  cairo_t *cr = ctx->cr;
  int iw = cairo_image_surface_get_width (img), ih = cairo_image_surface_get_height (img);
  int stride = cairo_image_surface_get_stride (img);
  const guint8 *data = cairo_image_surface_get_data (img);
  double cw = r->w / iw, ch = r->h / ih;
  gboolean any = FALSE;

  for (int i = 0; i < ih; i++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) i * stride);
      for (int j = 0; j < iw; j++)
        {
          if (row[j] != 0)
            continue;
          int j0 = j;
          while (j < iw && row[j] == 0)
            j++;
          cairo_rectangle (cr, r->x + j0 * cw, r->y + i * ch, (j - j0) * cw, ch);
          any = TRUE;
        }
    }
  if (!any)
    return;
  cairo_save (cr);
  cairo_clip_preserve (cr);
  _gs_set_color (cr, &ctx->style->background, 1.0);
  cairo_fill (cr);
  double step = ctx->pad * 0.9;
  for (double d = -r->h; d < r->w; d += step)
    {
      cairo_move_to (cr, r->x + d, r->y + r->h);
      cairo_line_to (cr, r->x + d + r->h, r->y);
    }
  cairo_set_line_width (cr, ctx->style->axis_width);
  _gs_set_color (cr, &ctx->style->foreground, 0.7);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
_gs_heat_panel_init (GsPlotCtx *ctx, GsRecord *rec, GsPanel *p)
{
  guint n_layers = gs_record_n_layers (rec);
  guint steps = gs_record_n_columns (rec) * MAX (gs_record_stride (rec), 1);

  p->x = (GsAxis) { .lo = 0, .hi = MAX (steps, 1), .integer = TRUE };
  p->y = (GsAxis) { .lo = 0.5, .hi = n_layers + 0.5, .integer = TRUE };
  p->xlabel = gs_record_n_epochs (rec) > 1 ? _("training step (white lines: epochs)")
                                           : _("training step");
  p->ylabel = _("layer (1 = input)");
  /* TRANSLATORS: a short axis label, when "layer (1 = input)" does not fit */
  p->ylabel_short = _("layer");
  p->xlabel_short = _("training step");
}

void
_gs_heat_draw (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec,
               const GsPanel *p)
{
  guint n_show = _gs_cursor_column (rec, ctx->style->cursor_step);
  guint stride = MAX (gs_record_stride (rec), 1);

  if (ctx->query)
    return;
  if (n_show == 0)
    {
      _gs_no_data (ctx, &p->plot, _("No steps recorded yet"));
      return;
    }
  double x1 = _gs_axis_pos (&p->x, (double) n_show * stride);
  GsRect r = { p->plot.x, p->plot.y, x1 - p->plot.x, p->plot.h };
  guint n_layers = gs_record_n_layers (rec);
  guint iw = image_columns (ctx, n_show, r.w), kc = 1, kr = 1;
  if (ctx->vector)
    {
      kc = (VECTOR_MIN_COLUMNS + iw - 1) / iw;
      kr = MIN ((VECTOR_MIN_ROWS + n_layers - 1) / n_layers, 32u);
    }
  cairo_surface_t *img = build_image (ctx, rec, spec, n_show, iw, kc, kr);
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  cairo_rectangle (cr, r.x, r.y, r.w, r.h);
  cairo_clip (cr);
  cairo_translate (cr, r.x, r.y);
  cairo_scale (cr, r.w / (iw * kc), r.h / (n_layers * kr));
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  if (spec->has_gap)
    hatch_gaps (ctx, img, &r);
  cairo_surface_destroy (img);
}

/* A line readable on any colour of the map: dark halo, light core. */
static void
halo_line (GsPlotCtx *ctx, double x, double y0, double y1, double w, gboolean dashed)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  if (dashed)
    cairo_set_dash (cr, (double[]) { 4 * w, 3 * w }, 2, 0);
  cairo_move_to (cr, x, y0);
  cairo_line_to (cr, x, y1);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.45);
  cairo_set_line_width (cr, w * 2.5);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_set_line_width (cr, w);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* text, or short_text (may be NULL) when text is wider than a third of the plot. */
static void
mark_label (GsPlotCtx *ctx, const GsPanel *p, double x, const char *text,
            const char *short_text, int slot)
{
  double w, h;

  _gs_text_size (ctx, GS_TEXT_TICK, text, &w, &h);
  if (w * 3 > p->plot.w && short_text)
    {
      text = short_text;
      _gs_text_size (ctx, GS_TEXT_TICK, text, &w, &h);
    }
  if (w * 3 > p->plot.w || (slot + 1) * h * 1.1 + ctx->pad > p->plot.h * 0.6)
    return;
  x = MIN (x + ctx->pad * 0.4, p->plot.x + p->plot.w - w - ctx->pad * 0.2);
  double y = p->plot.y + ctx->pad * 0.3 + slot * h * 1.1;
  cairo_rectangle (ctx->cr, x - 2, y, w + 4, h);
  _gs_set_color (ctx->cr, &ctx->style->background, 0.8);
  cairo_fill (ctx->cr);
  _gs_text (ctx, GS_TEXT_TICK, text, x, y, 0, 0, &ctx->style->foreground);
}

static void
epoch_lines (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p)
{
  guint n_ep = gs_record_n_epochs (rec);
  guint shown = _gs_cursor_step (rec, ctx->style->cursor_step);
  double min_gap = ctx->pad * 0.8;

  if (n_ep < 2)
    return;
  guint every = (guint) ceil (min_gap / (p->plot.w / n_ep));
  every = every <= 1 ? 1 : (guint) _gs_nice_step (every);
  for (guint i = 0; i + 1 < n_ep; i++)
    {
      const GsEpochStats *e = gs_record_epoch (rec, i);
      if ((guint) e->epoch % every != 0 || e->last_step >= p->x.hi || e->last_step >= shown)
        continue;
      double x = _gs_axis_pos (&p->x, e->last_step);
      halo_line (ctx, x, p->plot.y, p->plot.y + p->plot.h, ctx->style->axis_width * 0.6, FALSE);
    }
}

void
_gs_heat_marks (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p)
{
  guint cursor = ctx->style->cursor_step, step;
  double w = ctx->style->axis_width;

  if (ctx->query)
    return;
  epoch_lines (ctx, rec, p);
  for (guint i = 0; i < gs_record_n_stages (rec); i++)
    {
      const GsStageStart *s = gs_record_stage (rec, i);
      double x = _gs_axis_pos (&p->x, s->step > 0 ? s->step - 1 : 0);
      if (s->step > 1)
        halo_line (ctx, x, p->plot.y, p->plot.y + p->plot.h, w * 1.2, TRUE);
      /* TRANSLATORS: a stage of greedy layer-wise training, marked on the heatmap */
      g_autofree char *text = g_strdup_printf (_("stage %d"), s->stage);
      /* TRANSLATORS: the same when "stage %d" is too wide for the heatmap (a
         third of its width): an abbreviation if your language has a usual
         one, else the same as "stage %d" */
      g_autofree char *brief = g_strdup_printf (C_("short", "stage %d"), s->stage);
      mark_label (ctx, p, x, text, brief, i % 2);
    }
  if (gs_record_diverged (rec, &step, NULL, NULL))
    {
      g_autofree char *text = g_strdup_printf (_("diverged at step %u"), step);
      mark_label (ctx, p, _gs_axis_pos (&p->x, step), text, NULL, 2);
    }
  if (cursor > 0 && cursor < gs_record_n_steps (rec))
    halo_line (ctx, _gs_axis_pos (&p->x, cursor), p->plot.y, p->plot.y + p->plot.h,
               w * 1.5, FALSE);
}

static void
colorbar_ticks (GsPlotCtx *ctx, const GsHeatSpec *spec, GsAxis *a, GsTicks *t)
{
  *a = (GsAxis) { .lo = spec->lo, .hi = spec->hi, .log = !spec->diverging,
                  .p0 = a->p0, .p1 = a->p1 };
  _gs_axis_ticks (ctx, a, FALSE, t);
}

/* The key of the flat grey cells of layer-wise runs. */
static const char *
idle_text (gboolean forward)
{
  /* TRANSLATORS: colour keys of the heatmaps of greedy layer-wise training:
     grey cells are layers not added to the network yet (activations) or
     frozen, not trained (gradients) */
  return forward ? _("not added yet") : _("not trained");
}

double
_gs_colorbar_width (GsPlotCtx *ctx, const GsHeatSpec *spec)
{
  double w, h, kw = 0;
  const char *sample = spec->diverging ? "−0.00" : "10⁻¹⁰";
  const gboolean forward = spec->probe == GS_PROBE_ACT_MEAN || spec->probe == GS_PROBE_ACT_STD
                           || spec->probe == GS_PROBE_ACT_SAT;

  _gs_text_size (ctx, GS_TEXT_TICK, sample, &w, &h);
  if (spec->has_idle)
    _gs_text_size (ctx, GS_TEXT_TICK, idle_text (forward), &kw, &h);
  else if (spec->has_gap)
    _gs_text_size (ctx, GS_TEXT_TICK, "NaN/Inf", &kw, &h);
  /* the keys sit below the bar, where the rotated label is not */
  kw -= ctx->line_h[GS_TEXT_LABEL] + ctx->pad * 0.4;
  return ctx->pad * 1.2 + ctx->pad * 1.6 + ctx->pad * 0.9 + MAX (w, kw) + ctx->pad * 0.5
         + ctx->line_h[GS_TEXT_LABEL] + ctx->pad * 0.5;
}

static void
gap_key (GsPlotCtx *ctx, double x, double y, double bw)
{
  cairo_t *cr = ctx->cr;
  double h = ctx->line_h[GS_TEXT_TICK];

  cairo_save (cr);
  cairo_rectangle (cr, x, y, bw, h);
  cairo_clip_preserve (cr);
  _gs_set_color (cr, &ctx->style->background, 1.0);
  cairo_fill (cr);
  for (double d = -h; d < bw; d += ctx->pad * 0.9)
    {
      cairo_move_to (cr, x + d, y + h);
      cairo_line_to (cr, x + d + h, y);
    }
  cairo_set_line_width (cr, ctx->style->axis_width);
  _gs_set_color (cr, &ctx->style->foreground, 0.7);
  cairo_stroke (cr);
  cairo_restore (cr);
  _gs_text (ctx, GS_TEXT_TICK, "NaN/Inf", x + bw + ctx->pad * 0.5, y + h / 2,
            0, 0.5, &ctx->style->foreground);
}

static void
idle_key (GsPlotCtx *ctx, double x, double y, double bw, gboolean forward)
{
  const guint32 c = idle_argb (ctx);

  cairo_rectangle (ctx->cr, x, y, bw, ctx->line_h[GS_TEXT_TICK]);
  cairo_set_source_rgb (ctx->cr, (c >> 16 & 0xff) / 255.0, (c >> 8 & 0xff) / 255.0,
                        (c & 0xff) / 255.0);
  cairo_fill (ctx->cr);
  _gs_text (ctx, GS_TEXT_TICK, idle_text (forward), x + bw + ctx->pad * 0.5,
            y + ctx->line_h[GS_TEXT_TICK] / 2, 0, 0.5, &ctx->style->foreground);
}

void
_gs_colorbar (GsPlotCtx *ctx, const GsHeatSpec *spec, const GsRect *r)
{
  cairo_t *cr = ctx->cr;
  double bx = r->x + ctx->pad * 1.2, bw = ctx->pad * 1.6, y0 = r->y, y1 = r->y + r->h;
  GsAxis a = { 0 };
  GsTicks t;

  if (ctx->query || r->h < ctx->line_h[GS_TEXT_TICK] * 2)
    return;
  if (spec->has_gap)
    {
      gap_key (ctx, bx, y1 - ctx->line_h[GS_TEXT_TICK], bw);
      y1 -= ctx->line_h[GS_TEXT_TICK] * 1.6;
    }
  if (spec->has_idle)
    {
      idle_key (ctx, bx, y1 - ctx->line_h[GS_TEXT_TICK], bw,
                spec->probe == GS_PROBE_ACT_MEAN || spec->probe == GS_PROBE_ACT_STD
                || spec->probe == GS_PROBE_ACT_SAT);
      y1 -= ctx->line_h[GS_TEXT_TICK] * 1.6;
    }
  cairo_pattern_t *grad = cairo_pattern_create_linear (0, y1, 0, y0);
  for (int i = 0; i <= 32; i++)
    {
      double rgb[3], t01 = i / 32.0;
      if (spec->diverging)
        _gs_diverging (t01 * 2 - 1, rgb);
      else
        _gs_viridis (t01, rgb);
      cairo_pattern_add_color_stop_rgb (grad, t01, rgb[0], rgb[1], rgb[2]);
    }
  cairo_rectangle (cr, bx, y0, bw, y1 - y0);
  cairo_set_source (cr, grad);
  cairo_fill (cr);
  cairo_pattern_destroy (grad);

  a.p0 = y1;
  a.p1 = y0;
  colorbar_ticks (ctx, spec, &a, &t);
  double tick = ctx->pad * 0.5, tx = bx + bw;
  _gs_set_color (cr, &ctx->style->foreground, 1.0);
  cairo_set_line_width (cr, ctx->style->axis_width);
  for (guint i = 0; i < t.n; i++)
    {
      double y = _gs_axis_pos (&a, t.v[i]);
      cairo_move_to (cr, tx, y);
      cairo_line_to (cr, tx + tick, y);
    }
  cairo_stroke (cr);
  for (guint i = 0; i < t.n; i++)
    _gs_text (ctx, GS_TEXT_TICK, t.text[i], tx + tick + ctx->pad * 0.4,
              _gs_axis_pos (&a, t.v[i]), 0, 0.5, &ctx->style->foreground);
  double lw, lh;
  const char *text = spec->bar_label;
  _gs_text_size (ctx, GS_TEXT_LABEL, text, &lw, &lh);
  if (lw > y1 - y0 + ctx->pad * 2 && spec->bar_label_short)
    text = spec->bar_label_short;
  g_autofree char *label = _gs_text_ellipsize (ctx, GS_TEXT_LABEL, text,
                                               y1 - y0 + ctx->pad * 2);
  if (label)
    _gs_text_vertical (ctx, GS_TEXT_LABEL, label,
                       r->x + r->w - ctx->line_h[GS_TEXT_LABEL] / 2 - ctx->pad * 0.3,
                       (y0 + y1) / 2, &ctx->style->foreground);
}

static char *
step_text (GsRecord *rec, guint col)
{
  guint stride = MAX (gs_record_stride (rec), 1), spe = gs_record_steps_per_epoch (rec);
  guint s0 = col * stride + 1, s1 = MIN ((col + 1) * stride, gs_record_n_steps (rec));
  guint epoch = (s0 - 1) / MAX (spe, 1) + 1;

  if (s1 > s0)
    return g_strdup_printf (_("steps %u–%u (epoch %u)"), s0, s1, epoch);
  return g_strdup_printf (_("step %u (epoch %u)"), s0, epoch);
}

void
_gs_heat_query (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec,
                const GsPanel *p)
{
  guint n_show = _gs_cursor_column (rec, ctx->style->cursor_step);
  guint n_layers = gs_record_n_layers (rec), stride = MAX (gs_record_stride (rec), 1);

  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  double step = _gs_axis_value (&p->x, ctx->qx);
  double lv = _gs_axis_value (&p->y, ctx->qy);
  if (step < 0 || lv < 0.5)
    return;
  guint col = (guint) (step / stride), layer = (guint) floor (lv + 0.5) - 1;
  if (col >= n_show || layer >= n_layers)
    return;
  g_autofree char *when = step_text (rec, col);
  g_autofree char *value = _gs_format_value (gs_record_series (rec, spec->probe, layer)[col]);
  g_autofree char *which = layer + 1 == n_layers
                           ? g_strdup_printf (_("layer %u (output)"), layer + 1)
                           : g_strdup_printf (_("layer %u"), layer + 1);
  _gs_answer (ctx, g_strdup_printf ("%s · %s · %s = %s", which, when, spec->quantity, value));
}

static void
heat_panel (GsPlotCtx *ctx, guint r, const GsRect *outer, const GsHeatSpec *spec,
            GsRect *bar_rect)
{
  GsRecord *rec = ctx->runs[r];
  g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
  GsPanel p = { .outer = *outer, .title = name };

  _gs_heat_panel_init (ctx, rec, &p);
  if (r > 0)
    p.ylabel = NULL;
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_heat_draw (ctx, rec, spec, &p);
  _gs_heat_marks (ctx, rec, &p);
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
  GsHeatSpec spec = { .probe = GS_PROBE_GRAD_NORM, .bar_label = _("‖∂L/∂W‖₂ (log)"),
                      .bar_label_short = "‖∂L/∂W‖₂", .quantity = "‖∂L/∂W‖₂" };
  GsRect body = *area;

  if (with_title)
    {
      g_autofree char *name = _gs_title_suffix (ctx);
      g_autofree char *title = g_strconcat (_("Gradient magnitude per layer"),
                                            name ? " — " : "", name, NULL);
      double h = _gs_figure_header (ctx, area, title);
      body.y += h;
      body.h -= h;
    }
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
