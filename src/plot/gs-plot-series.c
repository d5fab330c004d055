/* gs-plot-series.c: data lines: a stored series averaged down to the
 * pixel width, lines through points (broken at NaN), and point markers. */
#define G_LOG_DOMAIN "gs-plot-series"

#include <math.h>

#include "gs-plot-private.h"

void
_gs_series_path (GsPlotCtx     *ctx,
                 const GsPanel *p,
                 const float   *s,
                 guint          n_show,
                 guint          stride,
                 double         x_scale,
                 double         y_scale)
{
  cairo_t *cr = ctx->cr;
  /* one point every 2 px: smooth enough, half the stroking work */
  guint    nb = MIN (n_show, (guint) MAX (ceil (p->plot.w / 2), 1));
  gboolean pen = FALSE;

  for (guint b = 0; b < nb; b++)
    {
      guint  c0 = (guint) ((guint64) b * n_show / nb);
      guint  c1 = MAX ((guint) ((guint64) (b + 1) * n_show / nb), c0 + 1);
      double sum = 0;
      for (guint c = c0; c < c1; c++)
        sum += s[c];
      double v = sum / (c1 - c0) * y_scale;
      double x = _gs_axis_pos (&p->x, (c0 + c1) * 0.5 * stride * x_scale);
      double y = _gs_axis_pos (&p->y, v);
      if (!isfinite (y))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, x, y);
      else if (nb == 1)
        _gs_markers (ctx, x, y, ctx->style->line_width, FALSE); /* one step: a ring */
      else
        cairo_move_to (cr, x, y);
      pen = TRUE;
    }
}

void
_gs_markers (GsPlotCtx *ctx, double x, double y, double r, gboolean square)
{
  if (square)
    cairo_rectangle (ctx->cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
  else
    {
      cairo_new_sub_path (ctx->cr);
      cairo_arc (ctx->cr, x, y, r, 0, 2 * G_PI);
    }
}

/* A line through the points (x[i], y[i]) in user space; a non-finite y
 * breaks it. Dashed (dash, 0.6 dash) when dash > 0. */
void
_gs_polyline (
    GsPlotCtx *ctx, const double *x, const double *y, guint n, double dash, const GsRgba *c, double alpha)
{
  cairo_t *cr = ctx->cr;
  gboolean pen = FALSE;

  cairo_save (cr);
  if (dash > 0)
    cairo_set_dash (cr, (double[]){ dash, dash * 0.6 }, 2, 0);
  for (guint i = 0; i < n; i++)
    if (!isfinite (y[i]))
      pen = FALSE;
    else if (pen)
      cairo_line_to (cr, x[i], y[i]);
    else
      cairo_move_to (cr, x[i], y[i]), pen = TRUE;
  cairo_set_line_width (cr, ctx->style->line_width);
  _gs_set_color (cr, c, alpha);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* A filled marker of radius r at every point with a finite y. */
void
_gs_point_marks (
    GsPlotCtx *ctx, const double *x, const double *y, guint n, double r, gboolean square, const GsRgba *c)
{
  for (guint i = 0; i < n; i++)
    if (isfinite (y[i]))
      _gs_markers (ctx, x[i], y[i], r, square);
  _gs_set_color (ctx->cr, c, 1.0);
  cairo_fill (ctx->cr);
}
