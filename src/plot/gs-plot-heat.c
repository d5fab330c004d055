/* gs-plot-heat.c: a per-layer probe as a layer x step image (the heatmap
 * and the activations figures).
 *
 * The cells become one ARGB32 image, one pixel per cell (columns decimated
 * to the device width on raster targets), scaled up with a NEAREST filter:
 * cheap to draw and a single small raster inside SVG and PDF. Layer 1 (the
 * input side) is the bottom row. NaN/Inf cells stay transparent and are
 * hatched: a diverged run shows a marked gap, not a colour.
 */
#define G_LOG_DOMAIN "gs-plot-heat"

#include <math.h>
#include <string.h>

#include "gs-plot-private.h"

#define MAX_VECTOR_COLUMNS 2048
/* SVG viewers ignore the NEAREST filter and smooth the raster: in vector
 * output every cell is several pixels, so the blur stays at the edges.
 * Repeated rows cost next to nothing in PNG (the "Up" filter). */
#define VECTOR_MIN_ROWS    256
#define VECTOR_MIN_COLUMNS 512
#define MAX_DECADES        12

gboolean
_gs_probe_forward (GsProbe probe)
{
  return probe == GS_PROBE_ACT_MEAN || probe == GS_PROBE_ACT_STD || probe == GS_PROBE_ACT_SAT;
}

/* Layer-wise runs leave layers frozen (no gradient) or not yet added (no
 * activation): their probes are NaN by design, which is no gap. */
static gboolean
layer_active (GsRecord *rec, GsProbe probe, guint layer, guint column)
{
  const guint         step = column * MAX (gs_record_stride (rec), 1) + 1;
  const GsStageStart *st = NULL;
  const gboolean      forward = _gs_probe_forward (probe);

  if (layer + 1 == gs_record_n_layers (rec))
    return TRUE;
  for (guint i = 0; i < gs_record_n_stages (rec); i++)
    if (gs_record_stage (rec, i)->step <= step)
      st = gs_record_stage (rec, i);
  if (st == NULL)
    return TRUE;
  return (int) layer < st->active_depth && (forward || (int) layer >= st->lowest_trainable);
}

/* Every stored column, not only those up to the cursor: the range must not
 * move while scrubbing or replaying. */
static void
scan_range (GsRecord *rec, GsHeatSpec *spec, double *vmin, double *vmax)
{
  guint n_show = gs_record_n_columns (rec);

  for (guint l = 0; l < _gs_heat_rows (rec, spec); l++)
    {
      const float *s = gs_record_series (rec, spec->probe, l);
      for (guint c = 0; c < n_show; c++)
        {
          double v = s[c];
          if (!isfinite (v) && !layer_active (rec, spec->probe, l, c))
            spec->has_idle = TRUE;
          else if (!isfinite (v))
            spec->has_gap = TRUE;
          else if (spec->map != GS_HEAT_LOG)
            *vmax = MAX (*vmax, fabs (v));
          else if (v == 0)
            spec->has_zero = TRUE;
          else if (v > 0)
            *vmin = MIN (*vmin, v), *vmax = MAX (*vmax, v);
        }
    }
}

static double
heat_factor (const GsHeatSpec *spec)
{
  return spec->factor > 0 ? spec->factor : 1;
}

guint
_gs_heat_rows (GsRecord *rec, const GsHeatSpec *spec)
{
  guint n = gs_record_n_layers (rec);
  return spec->hidden_only && n > 1 ? n - 1 : n;
}

/* One colour range over every run drawn, so side-by-side panels compare;
 * for magnitudes by default the style's fixed one, the same for every run. */
void
_gs_heat_range (GsPlotCtx *ctx, GsHeatSpec *spec)
{
  const GsPlotStyle *st = ctx->style;
  double             vmin = INFINITY, vmax = 0;

  spec->has_gap = spec->has_idle = spec->has_zero = FALSE;
  for (guint r = 0; r < ctx->n_runs; r++)
    scan_range (ctx->runs[r], spec, &vmin, &vmax);
  if (spec->map != GS_HEAT_LOG)
    {
      /* a linear map given its range (fixed) keeps it; else up to a half step */
      double m = vmax > 0 ? vmax * heat_factor (spec) : 1;
      double e = pow (10, floor (log10 (m)));
      if (!spec->fixed)
        spec->hi = ceil (m / e * 2 - 1e-9) / 2 * e;
      spec->lo = spec->map == GS_HEAT_DIVERGING ? -spec->hi : 0;
      return;
    }
  spec->fixed = st->color_scale != GS_COLOR_SCALE_FITTED;
  if (spec->fixed)
    {
      spec->lo = log10 (st->color_scale == GS_COLOR_SCALE_CUSTOM ? st->color_lo : GS_COLOR_ABSOLUTE_LO);
      spec->hi = log10 (st->color_scale == GS_COLOR_SCALE_CUSTOM ? st->color_hi : GS_COLOR_ABSOLUTE_HI);
    }
  else
    {
      if (vmax <= 0)
        vmin = vmax = 1e-3;
      _gs_log_range (vmin, vmax, &spec->lo, &spec->hi);
      spec->lo = MAX (spec->lo, spec->hi - MAX_DECADES);
    }
  spec->has_under = vmax > 0 && log10 (vmin) < spec->lo;
  spec->has_over = vmax > 0 && log10 (vmax) > spec->hi;
}

/* Beyond the range's ends (the colour bar's triangles) and exact zeros:
 * colours viridis never takes. */
#define UNDER_ARGB 0xff000000u /* black, past viridis' dark purple */
#define OVER_ARGB  0xffd55e00u /* Okabe–Ito vermilion */
#define ZERO_ARGB  0xffcc79a7u /* Okabe–Ito reddish purple: "0: no gradient" */

guint32
_gs_heat_end_argb (int which)
{
  return which < 0 ? UNDER_ARGB : which > 0 ? OVER_ARGB : ZERO_ARGB;
}

static double
color_t (const GsHeatSpec *spec, double v)
{
  if (spec->map != GS_HEAT_LOG)
    return v * heat_factor (spec) / spec->hi; /* -1 .. 1 */
  if (v <= 0)
    return 0;
  return (log10 (v) - spec->lo) / (spec->hi - spec->lo);
}

static guint32
cell_argb (const GsHeatSpec *spec, double v)
{
  if (!isfinite (v))
    return 0;
  if (spec->map != GS_HEAT_LOG)
    return _gs_heat_map_argb (spec, color_t (spec, v));
  if (v == 0)
    return ZERO_ARGB;
  double t = color_t (spec, v);
  if (t < 0 || t > 1)
    return t < 0 ? UNDER_ARGB : OVER_ARGB;
  return _gs_viridis_argb (t);
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
guint32
_gs_heat_idle_argb (GsPlotCtx *ctx)
{
  const GsRgba *b = &ctx->style->background, *f = &ctx->style->muted;
  const double  k = 0.22;

  return 0xff000000u | (guint32) (255 * (b->r + k * (f->r - b->r))) << 16
         | (guint32) (255 * (b->g + k * (f->g - b->g))) << 8 | (guint32) (255 * (b->b + k * (f->b - b->b)));
}

/* iw cells per row, each kc x kr pixels. */
static cairo_surface_t *
build_image (
    GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, guint n_show, guint iw, guint kc, guint kr)
{
  const guint32    idle = _gs_heat_idle_argb (ctx);
  guint            n_layers = _gs_heat_rows (rec, spec);
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, iw * kc, n_layers * kr);
  guint8          *data = cairo_image_surface_get_data (img);
  int              stride = cairo_image_surface_get_stride (img);

  for (guint l = 0; l < n_layers; l++)
    {
      const float *s = gs_record_series (rec, spec->probe, l);
      guint8      *first = data + (gsize) (n_layers - 1 - l) * kr * stride;
      guint32     *row = (guint32 *) first;
      for (guint j = 0; j < iw; j++)
        {
          guint   c0 = (guint) ((guint64) j * n_show / iw);
          guint   c1 = MAX ((guint) ((guint64) (j + 1) * n_show / iw), c0 + 1);
          double  v = column_mean (s, c0, c1);
          guint32 px = !isfinite (v) && !layer_active (rec, spec->probe, l, c0) ? idle : cell_argb (spec, v);
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
  cairo_t      *cr = ctx->cr;
  int           iw = cairo_image_surface_get_width (img), ih = cairo_image_surface_get_height (img);
  int           stride = cairo_image_surface_get_stride (img);
  const guint8 *data = cairo_image_surface_get_data (img);
  double        cw = r->w / iw, ch = r->h / ih;
  gboolean      any = FALSE;

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
  if (any)
    _gs_heat_hatch (ctx, r);
}

/* The current path filled with the background and hatched with diagonal
 * lines across r (NaN/Inf: no colour of the map). */
void
_gs_heat_hatch (GsPlotCtx *ctx, const GsRect *r)
{
  cairo_t *cr = ctx->cr;

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
_gs_heat_panel_init (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, GsPanel *p)
{
  guint n_layers = _gs_heat_rows (rec, spec);
  guint steps = gs_record_n_columns (rec) * MAX (gs_record_stride (rec), 1);

  p->x = (GsAxis){ .lo = 0, .hi = MAX (steps, 1), .integer = TRUE };
  p->y = (GsAxis){ .lo = 0.5, .hi = n_layers + 0.5, .integer = TRUE };
  p->xlabel = gs_record_n_epochs (rec) > 1 ? _ ("training step (white lines: epochs)") : _ ("training step");
  p->ylabel = _ ("layer (1 = input)");
  /* TRANSLATORS: a short axis label, when "layer (1 = input)" does not fit */
  p->ylabel_short = _ ("layer");
  p->xlabel_short = _ ("training step");
}

void
_gs_heat_draw (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, const GsPanel *p)
{
  guint n_show = _gs_cursor_column (rec, ctx->style->cursor_step);
  guint stride = MAX (gs_record_stride (rec), 1);

  if (ctx->query)
    return;
  if (n_show == 0)
    {
      _gs_no_data (ctx, &p->plot, _ ("No steps recorded yet"));
      return;
    }
  double x1 = _gs_axis_pos (&p->x, (double) n_show * stride);
  GsRect r = { p->plot.x, p->plot.y, x1 - p->plot.x, p->plot.h };
  guint  n_layers = _gs_heat_rows (rec, spec);
  guint  iw = image_columns (ctx, n_show, r.w), kc = 1, kr = 1;
  if (ctx->vector)
    {
      kc = (VECTOR_MIN_COLUMNS + iw - 1) / iw;
      kr = MIN ((VECTOR_MIN_ROWS + n_layers - 1) / n_layers, 32u);
    }
  cairo_surface_t *img = build_image (ctx, rec, spec, n_show, iw, kc, kr);
  cairo_t         *cr = ctx->cr;

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

static char *
step_text (GsRecord *rec, guint col)
{
  guint stride = MAX (gs_record_stride (rec), 1), spe = gs_record_steps_per_epoch (rec);
  guint s0 = col * stride + 1, s1 = MIN ((col + 1) * stride, gs_record_n_steps (rec));
  guint epoch = (s0 - 1) / MAX (spe, 1) + 1;

  if (s1 > s0)
    return g_strdup_printf (_ ("steps %u–%u (epoch %u)"), s0, s1, epoch);
  return g_strdup_printf (_ ("step %u (epoch %u)"), s0, epoch);
}

void
_gs_heat_query (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, const GsPanel *p)
{
  guint n_show = _gs_cursor_column (rec, ctx->style->cursor_step);
  guint n_layers = _gs_heat_rows (rec, spec), stride = MAX (gs_record_stride (rec), 1);

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
  g_autofree char *value
      = _gs_format_value (gs_record_series (rec, spec->probe, layer)[col] * heat_factor (spec));
  g_autofree char *which = layer + 1 == gs_record_n_layers (rec)
                               ? g_strdup_printf (_ ("layer %u (output)"), layer + 1)
                               : g_strdup_printf (_ ("layer %u"), layer + 1);
  _gs_answer (ctx, g_strdup_printf ("%s · %s · %s = %s", which, when, spec->quantity, value));
}
