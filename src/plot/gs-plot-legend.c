/* gs-plot-legend.c: keys: a legend box in a corner of a plot, and the row
 * of layer colours above the papers' figures. */
#define G_LOG_DOMAIN "gs-plot-legend"

#include "gs-plot-private.h"

static void
legend_line (GsPlotCtx *ctx, double x, double y, double len, const GsRgba *c, double dash)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  if (dash > 0)
    cairo_set_dash (cr, (double[]){ dash, dash * 0.6 }, 2, 0);
  cairo_set_line_width (cr, ctx->style->line_width);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + len, y);
  _gs_set_color (cr, c, 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
_gs_legend (GsPlotCtx         *ctx,
            const GsRect      *plot,
            const char *const *names,
            const GsRgba      *colors,
            const double      *dashes,
            guint              n,
            GsCorner           corner)
{
  double pad = ctx->pad, row = ctx->line_h[GS_TEXT_TICK] * 1.1;
  double sample = ctx->line_h[GS_TEXT_TICK] * 1.6, text_w = 0, w, h;

  if (ctx->query || n == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      _gs_text_size (ctx, GS_TEXT_TICK, names[i], &w, &h);
      text_w = MAX (text_w, w);
    }
  /* A legend is whole or absent: shortened names would say nothing. */
  double max_text = plot->w * 0.75 - sample - pad * 2.5;
  if (text_w > max_text || n * row + pad > plot->h * 0.8)
    return;
  guint  rows = n;
  double bw = sample + pad * 2.5 + text_w, bh = rows * row + pad;
  double bx = corner == GS_CORNER_TOP_LEFT ? plot->x + pad * 0.5 : plot->x + plot->w - bw - pad * 0.5;
  double by = corner == GS_CORNER_BOTTOM_RIGHT ? plot->y + plot->h - bh - pad * 0.5 : plot->y + pad * 0.5;

  cairo_rectangle (ctx->cr, bx, by, bw, bh);
  _gs_set_color (ctx->cr, &ctx->style->background, 0.85);
  cairo_fill (ctx->cr);
  for (guint i = 0; i < rows; i++)
    {
      double y = by + pad * 0.5 + row * (i + 0.5);
      legend_line (ctx, bx + pad * 0.5, y, sample, &colors[i], dashes ? dashes[i] : 0);
      _gs_text_fit (ctx, GS_TEXT_TICK, names[i], bx + pad * 1.5 + sample, y, text_w + 1, 0, 0.5,
                    &ctx->style->foreground);
    }
}

/* A one-line key "— layer 1  — layer 3 ..." right-aligned at the top of r;
 * returns the height it takes (0 if it does not fit). */
static double
layer_key_row (GsPlotCtx *ctx, const GsRect *r, const guint *layers, guint n, guint n_layers)
{
  double row = ctx->line_h[GS_TEXT_TICK] * 1.3, sample = ctx->line_h[GS_TEXT_TICK] * 1.2;
  double gap = ctx->pad, w, h, total = 0;
  char   text[GS_MAX_PICKED_LAYERS][64];

  n = MIN (n, GS_MAX_PICKED_LAYERS);
  for (guint i = 0; i < n; i++)
    {
      g_snprintf (text[i], sizeof text[i], _ ("layer %u"), layers[i] + 1);
      _gs_text_size (ctx, GS_TEXT_TICK, text[i], &w, &h);
      total += sample + gap * 0.4 + w + (i + 1 < n ? gap * 1.2 : 0);
    }
  if (n == 0 || total > r->w - 2 * ctx->pad || r->h < row * 6)
    return 0;
  double x = r->x + r->w - ctx->pad - total, y = r->y + row * 0.5;
  for (guint i = 0; i < n; i++)
    {
      GsRgba c;
      _gs_layer_color (ctx->style, layers[i], n_layers, &c);
      _gs_text_size (ctx, GS_TEXT_TICK, text[i], &w, &h);
      if (!ctx->query)
        {
          cairo_set_line_width (ctx->cr, ctx->style->line_width * 1.5);
          cairo_move_to (ctx->cr, x, y);
          cairo_line_to (ctx->cr, x + sample, y);
          _gs_set_color (ctx->cr, &c, 1.0);
          cairo_stroke (ctx->cr);
        }
      _gs_text (ctx, GS_TEXT_TICK, text[i], x + sample + gap * 0.4, y, 0, 0.5, &ctx->style->foreground);
      x += sample + gap * 0.4 + w + gap * 1.2;
    }
  return row;
}

/* The layer key row at the top of body (first run's layers), body shrunk
 * below it. */
void
_gs_layer_key_above (GsPlotCtx *ctx, GsRect *body)
{
  GsRecord *rec;
  guint     layers[GS_MAX_PICKED_LAYERS], nl;
  double    h;

  if (ctx->n_runs == 0)
    return;
  rec = ctx->runs[0];
  nl = _gs_pick_layers (gs_record_n_layers (rec) - 1, GS_MAX_PICKED_LAYERS, layers);
  h = layer_key_row (ctx, body, layers, nl, gs_record_n_layers (rec));
  body->y += h, body->h -= h;
}

static void
key_sample (GsPlotCtx *ctx, const GsKeyItem *it, double x, double y, double len, double h)
{
  cairo_t *cr = ctx->cr;

  if (ctx->query)
    return;
  switch (it->kind)
    {
    case GS_KEY_BAR:
      cairo_rectangle (cr, x, y - h * 0.3, len, h * 0.6);
      _gs_set_color (cr, &it->color, 1.0);
      cairo_fill (cr);
      break;
    case GS_KEY_TICK:
      cairo_move_to (cr, x + len / 2, y - h * 0.45);
      cairo_line_to (cr, x + len / 2, y + h * 0.45);
      _gs_set_color (cr, &it->color, 1.0);
      cairo_set_line_width (cr, ctx->style->line_width * 1.2);
      cairo_stroke (cr);
      break;
    case GS_KEY_ZERO:
      cairo_rectangle (cr, x + len / 2 - h * 0.3, y - h * 0.3, h * 0.6, h * 0.6);
      _gs_set_color (cr, &it->color, 1.0);
      cairo_set_line_width (cr, ctx->style->axis_width);
      cairo_stroke (cr);
      break;
    case GS_KEY_DOT:
      cairo_save (cr);
      cairo_set_dash (cr, (double[]){ 1.5, 2.5 }, 2, 0);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + len, y);
      cairo_set_line_width (cr, ctx->style->line_width * 0.8);
      _gs_set_color (cr, &it->color, 1.0);
      cairo_stroke (cr);
      cairo_restore (cr);
      break;
    case GS_KEY_LINE:
    case GS_KEY_DASH:
    default:
      legend_line (ctx, x, y, len, &it->color, it->kind == GS_KEY_DASH ? ctx->pad * 0.6 : 0);
      break;
    }
}

/* Lays the items out in rows (drawing them when draw); returns the height,
 * 0 when they need more than max_rows rows or an item is wider than r. */
static double
key_layout (GsPlotCtx       *ctx,
            const GsRect    *r,
            const GsKeyItem *items,
            guint            n,
            gboolean         brief,
            guint            max_rows,
            gboolean         draw)
{
  const double row = ctx->line_h[GS_TEXT_TICK] * 1.3, sample = ctx->line_h[GS_TEXT_TICK] * 1.2;
  const double gap = ctx->pad, x0 = r->x + ctx->pad, x1 = r->x + r->w - ctx->pad;
  double       x = x0, y = r->y + row * 0.5;
  guint        rows = 1;

  for (guint i = 0; i < n; i++)
    {
      const char *text = brief && items[i].brief ? items[i].brief : items[i].text;
      double      w, h, item_w;
      _gs_text_size (ctx, GS_TEXT_TICK, text, &w, &h);
      item_w = sample + gap * 0.4 + w;
      if (item_w > x1 - x0)
        return 0;
      if (x + item_w > x1)
        x = x0, y += row, rows++;
      if (rows > max_rows)
        return 0;
      if (draw)
        {
          key_sample (ctx, &items[i], x, y, sample, ctx->line_h[GS_TEXT_TICK]);
          _gs_text (ctx, GS_TEXT_TICK, text, x + sample + gap * 0.4, y, 0, 0.5, &ctx->style->foreground);
        }
      x += item_w + gap * 1.2;
    }
  return y + row * 0.5 - r->y;
}

double
_gs_key_rows (GsPlotCtx *ctx, const GsRect *r, const GsKeyItem *items, guint n)
{
  const double row = ctx->line_h[GS_TEXT_TICK] * 1.3;
  /* at most a fifth of the height; past two rows the brief texts */
  const guint max_rows = (guint) MAX (r->h * 0.2 / row, 0);

  for (int brief = 0; brief < 2; brief++)
    {
      guint limit = brief ? max_rows : MIN (max_rows, 2u);
      if (key_layout (ctx, r, items, n, brief, limit, FALSE) > 0)
        return key_layout (ctx, r, items, n, brief, limit, TRUE);
    }
  return 0;
}
