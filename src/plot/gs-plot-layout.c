/* gs-plot-layout.c: where things go: a figure's title, its columns, and
 * panels (margins from measured text around a plot rectangle, its grid,
 * axes, ticks and labels). */
#define G_LOG_DOMAIN "gs-plot-layout"

#include <string.h>

#include "gs-plot-private.h"

gboolean
_gs_rect_contains (const GsRect *r, double x, double y)
{
  return x >= r->x && x <= r->x + r->w && y >= r->y && y <= r->y + r->h;
}

/* A run description ("baseline, lr=0.1, epochs=2") shortened at its commas
 * to fit max_w: whole settings dropped from the end, "…" in their place,
 * never a word cut. */
static char *
shorten_settings (GsPlotCtx *ctx, GsTextRole role, const char *text, double max_w)
{
  g_autofree char *s = g_strdup (text);
  double           w, h;

  _gs_text_size (ctx, role, s, &w, &h);
  while (w > max_w)
    {
      char *comma = g_strrstr (s, ", ");
      if (comma == NULL)
        break;
      strcpy (comma, ", …");
      _gs_text_size (ctx, role, s, &w, &h);
      if (w <= max_w)
        break;
      *comma = '\0';
    }
  return g_steal_pointer (&s);
}

/* Draws a figure title at the top of area; returns the height it takes. */
double
_gs_figure_header (GsPlotCtx *ctx, const GsRect *area, const char *title)
{
  double h = ctx->line_h[GS_TEXT_TITLE];

  double      w, th, max_w = area->w - 2 * ctx->pad, x = area->x + ctx->pad;
  const char *dash = strstr (title, " — ");

  if (area->h < h * 3)
    return 0;
  _gs_text_size (ctx, GS_TEXT_TITLE, title, &w, &th);
  if (w > max_w && dash && area->h > h * 6)
    {
      /* Too long for one line: the run's description goes on a second. */
      g_autofree char *head = g_strndup (title, dash - title);
      double           h2 = ctx->line_h[GS_TEXT_LABEL];
      _gs_text_fit (ctx, GS_TEXT_TITLE, head, x, area->y + ctx->pad * 0.5, max_w, 0, 0,
                    &ctx->style->foreground);
      g_autofree char *settings = shorten_settings (ctx, GS_TEXT_LABEL, dash + strlen (" — "), max_w);
      _gs_text_fit (ctx, GS_TEXT_LABEL, settings, x, area->y + ctx->pad * 0.5 + h, max_w, 0, 0,
                    &ctx->style->foreground);
      return h + h2 + ctx->pad;
    }
  _gs_text_fit (ctx, GS_TEXT_TITLE, title, x, area->y + ctx->pad * 0.5, max_w, 0, 0, &ctx->style->foreground);
  return h + ctx->pad;
}

void
_gs_titled_body (GsPlotCtx *ctx, const GsRect *area, gboolean with_title, const char *title, GsRect *body)
{
  *body = *area;
  if (!with_title)
    return;
  g_autofree char *name = _gs_title_suffix (ctx);
  g_autofree char *full = g_strconcat (title, name ? " — " : "", name, NULL);
  double           h = _gs_figure_header (ctx, area, full);
  body->y += h;
  body->h -= h;
}

void
_gs_split_cols (const GsRect *r, guint n, double gap, guint i, GsRect *out)
{
  double w = (r->w - gap * (n - 1)) / MAX (n, 1);
  *out = (GsRect){ r->x + i * (w + gap), r->y, w, r->h };
}

void
_gs_no_data (GsPlotCtx *ctx, const GsRect *r, const char *what)
{
  _gs_text_fit (ctx, GS_TEXT_LABEL, what, r->x + r->w / 2, r->y + r->h / 2, r->w, 0.5, 0.5,
                &ctx->style->muted);
}

/* Margins for the text around the plot rectangle. */
static void
panel_margins (GsPlotCtx *ctx, GsPanel *p, double *top, double *bottom)
{
  double   tick_h = ctx->line_h[GS_TEXT_TICK], lab_h = ctx->line_h[GS_TEXT_LABEL];
  double   pad = ctx->pad, tick_len = pad * 0.6;
  gboolean labels = !p->hide_labels;

  /* The top tick label sticks out half a line above the plot. */
  *top = (p->title ? lab_h + pad * 0.3 : 0) + tick_h * 0.5 + pad * 0.2;
  *bottom = tick_len + pad * 0.3;
  if (labels && !p->no_xticks)
    *bottom += tick_h;
  if (labels && p->xlabel)
    *bottom += pad * 0.3 + lab_h;
}

gboolean
_gs_panel_layout (GsPlotCtx *ctx, GsPanel *p)
{
  double top, bottom, pad = ctx->pad, tick_len = pad * 0.6;
  double tick_h = ctx->line_h[GS_TEXT_TICK], lab_h = ctx->line_h[GS_TEXT_LABEL];

  panel_margins (ctx, p, &top, &bottom);
  p->y.p0 = p->outer.y + p->outer.h - bottom;
  p->y.p1 = p->outer.y + top;
  memset (&p->yt, 0, sizeof p->yt);
  memset (&p->xt, 0, sizeof p->xt);
  if (!p->hide_labels && !p->no_yticks)
    _gs_axis_ticks (ctx, &p->y, FALSE, &p->yt);
  double left = tick_len + pad * 0.3;
  if (!p->hide_labels)
    left += p->yt.max_w + pad * 0.3 + (p->ylabel ? lab_h + pad * 0.4 : 0);
  left = MAX (left, p->min_left);
  double right = p->right_reserve + (p->hide_labels ? pad * 0.3 : tick_h * 1.2);
  p->plot = (GsRect){ p->outer.x + left, p->y.p1, p->outer.w - left - right, p->y.p0 - p->y.p1 };
  if (!p->hide_labels && (p->plot.w < tick_h * 4 || p->plot.h < tick_h * 2.5))
    {
      p->hide_labels = TRUE;
      return _gs_panel_layout (ctx, p);
    }
  p->x.p0 = p->plot.x;
  p->x.p1 = p->plot.x + p->plot.w;
  if (!p->hide_labels && !p->no_xticks)
    _gs_axis_ticks (ctx, &p->x, TRUE, &p->xt);
  return p->plot.w >= 2 && p->plot.h >= 2;
}

/* Stacked panels: the same left edge, so their x axes line up. */
void
_gs_align_panels (GsPlotCtx *ctx, GsPanel *a, GsPanel *b)
{
  _gs_panel_layout (ctx, a);
  _gs_panel_layout (ctx, b);
  double left = MAX (a->plot.x - a->outer.x, b->plot.x - b->outer.x);
  a->min_left = b->min_left = left;
  _gs_panel_layout (ctx, a);
  _gs_panel_layout (ctx, b);
}

void
_gs_panel_frame (GsPlotCtx *ctx, const GsPanel *p)
{
  cairo_t *cr = ctx->cr;

  if (ctx->query)
    return;
  _gs_set_color (cr, &ctx->style->grid, 1.0);
  cairo_set_line_width (cr, ctx->style->axis_width * 0.75);
  for (guint i = 0; i < p->yt.n; i++)
    {
      double y = _gs_axis_pos (&p->y, p->yt.v[i]);
      cairo_move_to (cr, p->plot.x, y);
      cairo_line_to (cr, p->plot.x + p->plot.w, y);
    }
  for (guint i = 0; i < p->xt.n; i++)
    {
      double x = _gs_axis_pos (&p->x, p->xt.v[i]);
      cairo_move_to (cr, x, p->plot.y);
      cairo_line_to (cr, x, p->plot.y + p->plot.h);
    }
  cairo_stroke (cr);
}

/* Clips what follows to the plot rectangle, until the caller's
 * cairo_restore (). */
void
_gs_panel_clip (GsPlotCtx *ctx, const GsPanel *p)
{
  cairo_save (ctx->cr);
  cairo_rectangle (ctx->cr, p->plot.x, p->plot.y, p->plot.w, p->plot.h);
  cairo_clip (ctx->cr);
}

static void
draw_ticks (GsPlotCtx *ctx, const GsPanel *p)
{
  cairo_t      *cr = ctx->cr;
  const GsRgba *fg = &ctx->style->foreground;
  double        tick_len = ctx->pad * 0.6, gap = ctx->pad * 0.3;
  double        xmin = p->outer.x, xmax = p->outer.x + p->outer.w;

  for (guint i = 0; i < p->yt.n; i++)
    {
      double y = _gs_axis_pos (&p->y, p->yt.v[i]);
      cairo_move_to (cr, p->plot.x, y);
      cairo_line_to (cr, p->plot.x - tick_len, y);
    }
  for (guint i = 0; i < p->xt.n; i++)
    {
      double x = _gs_axis_pos (&p->x, p->xt.v[i]);
      cairo_move_to (cr, x, p->plot.y + p->plot.h);
      cairo_line_to (cr, x, p->plot.y + p->plot.h + tick_len);
    }
  _gs_set_color (cr, fg, 1.0);
  cairo_stroke (cr);
  for (guint i = 0; i < p->yt.n; i++)
    _gs_text (ctx, GS_TEXT_TICK, p->yt.text[i], p->plot.x - tick_len - gap, _gs_axis_pos (&p->y, p->yt.v[i]),
              1.0, 0.5, fg);
  for (guint i = 0; i < p->xt.n; i++)
    {
      double w, h, x = _gs_axis_pos (&p->x, p->xt.v[i]);
      _gs_text_size (ctx, GS_TEXT_TICK, p->xt.text[i], &w, &h);
      x = CLAMP (x, xmin + w / 2, xmax - w / 2);
      _gs_text (ctx, GS_TEXT_TICK, p->xt.text[i], x, p->plot.y + p->plot.h + tick_len + gap * 0.5, 0.5, 0.0,
                fg);
    }
}

static void
draw_labels (GsPlotCtx *ctx, const GsPanel *p)
{
  const GsRgba *fg = &ctx->style->foreground;
  double        pad = ctx->pad;

  if (p->xlabel)
    {
      /* Centred under the plot, inside the panel. */
      double      w, h, y = p->outer.y + p->outer.h - pad * 0.3;
      double      cx = p->plot.x + p->plot.w / 2;
      double      room = 2 * MIN (cx - p->outer.x, p->outer.x + p->outer.w - cx);
      const char *text = p->xlabel;
      _gs_text_size (ctx, GS_TEXT_LABEL, text, &w, &h);
      if (w > room && p->xlabel_short)
        text = p->xlabel_short;
      _gs_text_fit (ctx, GS_TEXT_LABEL, text, cx, y, room, 0.5, 1.0, fg);
    }
  if (p->ylabel)
    {
      double      w, h;
      const char *text = p->ylabel;
      _gs_text_size (ctx, GS_TEXT_LABEL, text, &w, &h);
      if (w > p->plot.h + pad && p->ylabel_short)
        text = p->ylabel_short;
      g_autofree char *shown = _gs_text_ellipsize (ctx, GS_TEXT_LABEL, text, p->plot.h + pad);
      double           x = p->outer.x + pad * 0.3 + ctx->line_h[GS_TEXT_LABEL] / 2;
      if (shown)
        _gs_text_vertical (ctx, GS_TEXT_LABEL, shown, x, p->plot.y + p->plot.h / 2, fg);
    }
}

void
_gs_panel_axes (GsPlotCtx *ctx, const GsPanel *p)
{
  cairo_t *cr = ctx->cr;

  if (ctx->query)
    return;
  cairo_set_line_width (cr, ctx->style->axis_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  cairo_move_to (cr, p->plot.x, p->plot.y);
  cairo_line_to (cr, p->plot.x, p->plot.y + p->plot.h);
  cairo_line_to (cr, p->plot.x + p->plot.w, p->plot.y + p->plot.h);
  _gs_set_color (cr, &ctx->style->foreground, 1.0);
  cairo_stroke (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  if (!p->hide_labels)
    {
      draw_ticks (ctx, p);
      draw_labels (ctx, p);
    }
  if (ctx->panels)
    {
      GsPanelBox b = { p->plot,
                       !p->hide_labels,
                       p->hide_labels ? 0 : p->xt.n,
                       p->hide_labels ? 0 : p->yt.n,
                       !p->no_xticks,
                       !p->no_yticks,
                       p->xlabel != NULL,
                       p->ylabel != NULL };
      g_array_append_val (ctx->panels, b);
    }
  if (p->title)
    {
      const GsRgba *c = p->title_color ? p->title_color : &ctx->style->foreground;
      double        x = p->hide_labels ? p->outer.x : MIN (p->plot.x, p->outer.x + ctx->pad * 2), w, h;
      const char   *title = p->title;
      _gs_text_size (ctx, GS_TEXT_LABEL, title, &w, &h);
      if (w > p->outer.x + p->outer.w - x && p->title_short)
        title = p->title_short;
      _gs_text_fit (ctx, GS_TEXT_LABEL, title, x, p->outer.y, p->outer.x + p->outer.w - x, 0.0, 0.0, c);
    }
}
