/* gs-plot-axis.c: axes: data to position and back, and their ticks.
 *
 * Ticks are chosen for the space they get: the densest nice-number step
 * (1, 2, 5 x 10^k; whole decades on log axes) whose labels, measured with the
 * real font, do not touch. So labels never overlap at any size; on a tiny
 * panel there are just fewer of them.
 */
#define G_LOG_DOMAIN "gs-plot-axis"

#include <math.h>
#include <string.h>

#include "gs-plot-private.h"

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

static double
widest (GsPlotCtx *ctx, const GsTicks *t, gboolean measure_all)
{
  double best = 0, w, h;
  gsize  longest = 0;
  guint  pick = 0;

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
log_ticks_125 (GsPlotCtx *ctx, const GsAxis *a, double len, double need_h, gboolean horizontal, GsTicks *t)
{
  static const int mult[] = { 1, 2, 5 };
  int              k0 = (int) floor (a->lo + 1e-9), k1 = (int) ceil (a->hi - 1e-9);

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
log_ticks (GsPlotCtx *ctx, const GsAxis *a, double len, double need_h, gboolean horizontal, GsTicks *t)
{
  static const int strides[] = { 1, 2, 3, 5, 10, 20, 50 };
  int              k0 = (int) ceil (a->lo - 1e-9), k1 = (int) floor (a->hi + 1e-9);

  if (k1 < k0)
    return FALSE;
  if (a->hi - a->lo <= 2 + 1e-9 && log_ticks_125 (ctx, a, len, need_h, horizontal, t))
    return TRUE;
  for (guint s = 0; s < G_N_ELEMENTS (strides); s++)
    {
      int st = strides[s];
      /* ticks on multiples of the stride, unless that leaves one: then from
       * the first decade, so both ends of a short axis keep a label */
      int first = k0 + ((st - k0 % st) % st + st) % st; /* the first multiple of st */
      int base = first + st > k1 && k1 - k0 >= st ? k0 : 0;
      t->n = 0;
      for (int k = k0; k <= k1 && t->n < GS_MAX_TICKS; k++)
        if (((k - base) % st + st) % st == 0)
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

/* A short axis with no round step that fits: its two ends, when their
 * labels fit (an integer axis 0..4 gets "0" and "4"). */
static void
end_ticks (GsPlotCtx *ctx, const GsAxis *a, double len, gboolean horizontal, GsTicks *t)
{
  GsTicks e = { .n = 2 };
  double  range = a->hi - a->lo;

  /* round values just inside the ends: 0.1 and 0.9 on 0.05 .. 0.95 */
  double step = a->integer ? 1 : _gs_nice_step (range / 5);
  e.v[0] = ceil (a->lo / step - 1e-9) * step;
  e.v[1] = floor (a->hi / step + 1e-9) * step;
  if (!(e.v[1] > e.v[0]))
    return;
  for (guint i = 0; i < 2; i++)
    _gs_format_tick (e.v[i], step, e.text[i], sizeof e.text[0]);
  e.max_w = widest (ctx, &e, FALSE);
  double extent = horizontal ? e.max_w + ctx->pad * 2 : ctx->line_h[GS_TEXT_TICK] * 1.15;
  if ((e.v[1] - e.v[0]) * len / range >= extent)
    *t = e;
}

static void
linear_ticks (GsPlotCtx *ctx, const GsAxis *a, double len, double need_h, gboolean horizontal, GsTicks *t)
{
  double range = a->hi - a->lo, last = 0;
  int    max_n = (int) CLAMP (len / need_h, 1, GS_MAX_TICKS - 2);

  t->n = 0;
  if (!(range > 0))
    {
      t->v[0] = a->lo;
      _gs_format_tick (a->lo, fabs (a->lo) > 0 ? fabs (a->lo) : 1, t->text[0], sizeof t->text[0]);
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
      for (double v = ceil (a->lo / step - 1e-9) * step; v <= a->hi + step * 1e-9 && t->n < GS_MAX_TICKS;
           v += step)
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
  if (t->n < 2)
    end_ticks (ctx, a, len, horizontal, t);
  if (!horizontal)
    t->max_w = widest (ctx, t, TRUE);
}

void
_gs_axis_ticks (GsPlotCtx *ctx, const GsAxis *a, gboolean horizontal, GsTicks *t)
{
  double len = fabs (a->p1 - a->p0);
  double need_h = ctx->line_h[GS_TEXT_TICK] * 1.15;

  t->n = 0;
  t->max_w = 0;
  if (len < 1)
    return;
  if (a->log && log_ticks (ctx, a, len, need_h, horizontal, t))
    return;
  /* A vertical axis keeps two lines of text between its ticks, as
   * matplotlib's do, unless that leaves fewer than two. */
  if (!horizontal)
    {
      linear_ticks (ctx, a, len, need_h * 2, horizontal, t);
      if (t->n >= 2)
        return;
    }
  linear_ticks (ctx, a, len, need_h, horizontal, t);
}
