/* gs-plot-axis.c: axes, ticks and panels.
 *
 * Ticks are chosen for the space they get: the densest nice-number step
 * (1, 2, 5 x 10^k; whole decades on log axes) whose labels, measured with the
 * real font, do not touch. So labels never overlap at any size; on a tiny
 * panel there are just fewer of them.
 */
#include <math.h>
#include <string.h>

#include "gs-plot-private.h"

gboolean
_gs_rect_contains (const GsRect *r, double x, double y)
{
  return x >= r->x && x <= r->x + r->w && y >= r->y && y <= r->y + r->h;
}

static double
axis_t (const GsAxis *a, double lv)
{
  double span = a->hi - a->lo;
  return span > 0 ? (lv - a->lo) / span : 0.5;
}

double
_gs_axis_pos (const GsAxis *a, double v)
{
  if (a->log)
    {
      if (!(v > 0) || !isfinite (v))
        return NAN;
      v = log10 (v);
    }
  return a->p0 + axis_t (a, v) * (a->p1 - a->p0);
}

double
_gs_axis_value (const GsAxis *a, double pos)
{
  double t = a->p1 != a->p0 ? (pos - a->p0) / (a->p1 - a->p0) : 0.5;
  double v = a->lo + t * (a->hi - a->lo);
  return a->log ? pow (10, v) : v;
}

double
_gs_nice_step (double raw)
{
  if (!(raw > 0) || !isfinite (raw))
    return 1;
  double e = floor (log10 (raw));
  double f = raw / pow (10, e);
  double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nf * pow (10, e);
}

/* Whole decades around [vmin, vmax], at least one decade wide. */
void
_gs_log_range (double vmin, double vmax, double *lo, double *hi)
{
  if (!(vmin > 0) || !(vmax >= vmin) || !isfinite (vmax))
    {
      *lo = -1;
      *hi = 0;
      return;
    }
  *lo = floor (log10 (vmin) + 1e-9);
  *hi = ceil (log10 (vmax) - 1e-9);
  if (*hi - *lo < 1)
    {
      if (*hi == *lo)
        (*lo)--, (*hi)++;
      else
        (*hi)++;
    }
}

static const char *const superscripts[] = {
  "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
};

static void
append_superscript (GString *s, int k)
{
  char digits[16];

  if (k < 0)
    g_string_append (s, "⁻");
  g_snprintf (digits, sizeof digits, "%d", ABS (k));
  for (const char *d = digits; *d; d++)
    g_string_append (s, superscripts[*d - '0']);
}

void
_gs_format_decade (int k, char *buf, gsize n)
{
  GString *s = g_string_new ("10");
  append_superscript (s, k);
  g_strlcpy (buf, s->str, n);
  g_string_free (s, TRUE);
}

/* "-" -> "−" (U+2212), which lines up with "+" and digits. */
static void
copy_with_minus (const char *src, char *buf, gsize n)
{
  GString *s = g_string_new (NULL);
  for (const char *p = src; *p; p++)
    if (*p == '-')
      g_string_append (s, "−");
    else
      g_string_append_c (s, *p);
  g_strlcpy (buf, s->str, n);
  g_string_free (s, TRUE);
}

void
_gs_format_tick (double v, double step, char *buf, gsize n)
{
  char tmp[64];
  double av = fabs (v);

  if (av < step * 1e-6)
    {
      g_strlcpy (buf, "0", n);
      return;
    }
  if (step < 1e-3 || av >= 1e7)
    {
      int e = (int) floor (log10 (av) + 1e-9);
      int dec = MAX (0, e - (int) floor (log10 (step) + 1e-9));
      GString *s = g_string_new (NULL);
      g_string_printf (s, "%.*f", MIN (dec, 6), v / pow (10, e));
      while (strchr (s->str, '.') && strchr ("0.", s->str[s->len - 1]))
        g_string_truncate (s, s->len - 1);
      if (strcmp (s->str, "1") == 0 || strcmp (s->str, "-1") == 0)
        g_string_append (s, "0");     /* 10^e, not 1×10^e */
      else
        g_string_append (s, "×10");
      append_superscript (s, e);
      copy_with_minus (s->str, buf, n);
      g_string_free (s, TRUE);
      return;
    }
  if (av >= 1e4 && step >= 1000)
    {
      int dec = MAX (0, -(int) floor (log10 (step / 1000) + 1e-9));
      g_snprintf (tmp, sizeof tmp, "%.*fk", dec, v / 1000);
    }
  else
    {
      int dec = MAX (0, -(int) floor (log10 (step) + 1e-9));
      g_snprintf (tmp, sizeof tmp, "%.*f", MIN (dec, 6), v);
    }
  copy_with_minus (tmp, buf, n);
}

char *
_gs_format_value (double v)
{
  char tmp[64];

  if (isnan (v))
    return g_strdup ("NaN");
  if (isinf (v))
    return g_strdup (v > 0 ? "+Inf" : "−Inf");
  if (v == 0)
    return g_strdup ("0");
  double av = fabs (v);
  g_snprintf (tmp, sizeof tmp, av < 1e-3 || av >= 1e5 ? "%.2g" : "%.3g", v);
  return g_strdup (tmp);
}

static double
widest (GsPlotCtx *ctx, const GsTicks *t, gboolean measure_all)
{
  double best = 0, w, h;
  gsize longest = 0;
  guint pick = 0;

  for (guint i = 0; i < t->n; i++)
    {
      if (measure_all)
        {
          _gs_text_size (ctx, GS_TEXT_TICK, t->text[i], &w, &h);
          best = MAX (best, w);
        }
      else if (strlen (t->text[i]) > longest)
        longest = strlen (t->text[i]), pick = i;
    }
  if (!measure_all && t->n > 0)
    _gs_text_size (ctx, GS_TEXT_TICK, t->text[pick], &best, &h);
  return best;
}

/* One or two decades: 1, 2, 5 x 10^k, if they fit (closest pair: 5 -> 10). */
static gboolean
log_ticks_125 (GsPlotCtx *ctx, const GsAxis *a, double len, double need_h,
               gboolean horizontal, GsTicks *t)
{
  static const int mult[] = { 1, 2, 5 };
  int k0 = (int) floor (a->lo + 1e-9), k1 = (int) ceil (a->hi - 1e-9);

  t->n = 0;
  for (int k = k0; k <= k1; k++)
    for (guint m = 0; m < G_N_ELEMENTS (mult) && t->n < GS_MAX_TICKS; m++)
      {
        double lv = k + log10 (mult[m]);
        if (lv < a->lo - 1e-9 || lv > a->hi + 1e-9)
          continue;
        char decade[24];
        t->v[t->n] = mult[m] * pow (10, k);
        _gs_format_decade (k, decade, sizeof decade);
        if (m == 0)
          g_strlcpy (t->text[t->n], decade, sizeof t->text[0]);
        else
          g_snprintf (t->text[t->n], sizeof t->text[0], "%d×%s", mult[m], decade);
        t->n++;
      }
  t->max_w = widest (ctx, t, FALSE);
  double extent = horizontal ? t->max_w + ctx->pad * 2 : need_h;
  return log10 (2) * len / (a->hi - a->lo) >= extent;
}

static gboolean
log_ticks (GsPlotCtx *ctx, const GsAxis *a, double len, double need_h,
           gboolean horizontal, GsTicks *t)
{
  static const int strides[] = { 1, 2, 3, 5, 10, 20, 50 };
  int k0 = (int) ceil (a->lo - 1e-9), k1 = (int) floor (a->hi + 1e-9);

  if (k1 < k0)
    return FALSE;
  if (a->hi - a->lo <= 2 + 1e-9 && log_ticks_125 (ctx, a, len, need_h, horizontal, t))
    return TRUE;
  for (guint s = 0; s < G_N_ELEMENTS (strides); s++)
    {
      int st = strides[s];
      t->n = 0;
      for (int k = k0; k <= k1 && t->n < GS_MAX_TICKS; k++)
        if (k % st == 0)
          {
            t->v[t->n] = pow (10, k);
            _gs_format_decade (k, t->text[t->n], sizeof t->text[0]);
            t->n++;
          }
      if (t->n == 0 || k1 - k0 + 1 > GS_MAX_TICKS * st)
        continue;
      t->max_w = widest (ctx, t, FALSE);
      double extent = horizontal ? t->max_w + ctx->pad * 2 : need_h;
      if (st * len / (a->hi - a->lo) >= extent || t->n == 1)
        return TRUE;
    }
  t->n = 0;
  return TRUE;
}

static void
linear_ticks (GsPlotCtx *ctx, const GsAxis *a, double len, double need_h,
              gboolean horizontal, GsTicks *t)
{
  double range = a->hi - a->lo, last = 0;
  int max_n = (int) CLAMP (len / need_h, 1, GS_MAX_TICKS - 2);

  t->n = 0;
  if (!(range > 0))
    {
      t->v[0] = a->lo;
      _gs_format_tick (a->lo, fabs (a->lo) > 0 ? fabs (a->lo) : 1, t->text[0],
                       sizeof t->text[0]);
      t->n = 1;
      t->max_w = widest (ctx, t, TRUE);
      return;
    }
  for (int target = max_n; target >= 1; target--)
    {
      double step = _gs_nice_step (range / target);
      if (a->integer && step < 1)
        step = 1;
      if (step == last)
        continue;
      last = step;
      t->n = 0;
      for (double v = ceil (a->lo / step - 1e-9) * step;
           v <= a->hi + step * 1e-9 && t->n < GS_MAX_TICKS; v += step)
        {
          double r = fabs (v) < step * 1e-9 ? 0 : v;
          t->v[t->n] = r;
          _gs_format_tick (r, step, t->text[t->n], sizeof t->text[0]);
          t->n++;
        }
      t->max_w = widest (ctx, t, FALSE);
      double extent = horizontal ? t->max_w + ctx->pad * 2 : need_h;
      if (step * len / range >= extent)
        break;
      if (target == 1)
        t->n = MIN (t->n, 1u);
    }
  if (!horizontal)
    t->max_w = widest (ctx, t, TRUE);
}

void
_gs_axis_ticks (GsPlotCtx *ctx, const GsAxis *a, gboolean horizontal,
                GsTicks *t)
{
  double len = fabs (a->p1 - a->p0);
  double need_h = ctx->line_h[GS_TEXT_TICK] * 1.15;

  t->n = 0;
  t->max_w = 0;
  if (len < 1)
    return;
  if (a->log && log_ticks (ctx, a, len, need_h, horizontal, t))
    return;
  linear_ticks (ctx, a, len, need_h, horizontal, t);
}

/* Margins for the text around the plot rectangle. */
static void
panel_margins (GsPlotCtx *ctx, GsPanel *p, double *top, double *bottom)
{
  double tick_h = ctx->line_h[GS_TEXT_TICK], lab_h = ctx->line_h[GS_TEXT_LABEL];
  double pad = ctx->pad, tick_len = pad * 0.6;
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
  p->plot = (GsRect) { p->outer.x + left, p->y.p1,
                       p->outer.w - left - right, p->y.p0 - p->y.p1 };
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

static void
draw_ticks (GsPlotCtx *ctx, const GsPanel *p)
{
  cairo_t *cr = ctx->cr;
  const GsRgba *fg = &ctx->style->foreground;
  double tick_len = ctx->pad * 0.6, gap = ctx->pad * 0.3;
  double xmin = p->outer.x, xmax = p->outer.x + p->outer.w;

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
    _gs_text (ctx, GS_TEXT_TICK, p->yt.text[i], p->plot.x - tick_len - gap,
              _gs_axis_pos (&p->y, p->yt.v[i]), 1.0, 0.5, fg);
  for (guint i = 0; i < p->xt.n; i++)
    {
      double w, h, x = _gs_axis_pos (&p->x, p->xt.v[i]);
      _gs_text_size (ctx, GS_TEXT_TICK, p->xt.text[i], &w, &h);
      x = CLAMP (x, xmin + w / 2, xmax - w / 2);
      _gs_text (ctx, GS_TEXT_TICK, p->xt.text[i], x,
                p->plot.y + p->plot.h + tick_len + gap * 0.5, 0.5, 0.0, fg);
    }
}

static void
draw_labels (GsPlotCtx *ctx, const GsPanel *p)
{
  const GsRgba *fg = &ctx->style->foreground;
  double pad = ctx->pad;

  if (p->xlabel)
    {
      /* Centred under the plot, inside the panel. */
      double w, h, y = p->outer.y + p->outer.h - pad * 0.3;
      double cx = p->plot.x + p->plot.w / 2;
      double room = 2 * MIN (cx - p->outer.x, p->outer.x + p->outer.w - cx);
      const char *text = p->xlabel;
      _gs_text_size (ctx, GS_TEXT_LABEL, text, &w, &h);
      if (w > room && p->xlabel_short)
        text = p->xlabel_short;
      _gs_text_fit (ctx, GS_TEXT_LABEL, text, cx, y, room, 0.5, 1.0, fg);
    }
  if (p->ylabel)
    {
      double w, h;
      const char *text = p->ylabel;
      _gs_text_size (ctx, GS_TEXT_LABEL, text, &w, &h);
      if (w > p->plot.h + pad && p->ylabel_short)
        text = p->ylabel_short;
      g_autofree char *shown = _gs_text_ellipsize (ctx, GS_TEXT_LABEL, text,
                                                   p->plot.h + pad);
      double x = p->outer.x + pad * 0.3 + ctx->line_h[GS_TEXT_LABEL] / 2;
      if (shown)
        _gs_text_vertical (ctx, GS_TEXT_LABEL, shown, x,
                           p->plot.y + p->plot.h / 2, fg);
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
  if (p->title)
    {
      const GsRgba *c = p->title_color ? p->title_color : &ctx->style->foreground;
      double x = p->hide_labels ? p->outer.x : MIN (p->plot.x, p->outer.x + ctx->pad * 2);
      _gs_text_fit (ctx, GS_TEXT_LABEL, p->title, x, p->outer.y,
                    p->outer.x + p->outer.w - x, 0.0, 0.0, c);
    }
}

void
_gs_no_data (GsPlotCtx *ctx, const GsRect *r, const char *what)
{
  _gs_text_fit (ctx, GS_TEXT_LABEL, what, r->x + r->w / 2, r->y + r->h / 2,
                r->w, 0.5, 0.5, &ctx->style->muted);
}
