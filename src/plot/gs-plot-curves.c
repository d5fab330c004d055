/* gs-plot-curves.c: loss and accuracy per epoch, train and validation,
 * over the per-step series (faint); the test accuracy as a dotted line. */
#define G_LOG_DOMAIN "gs-plot-curves"

#include <math.h>

#include "gs-plot-private.h"

typedef enum
{
  CURVE_LOSS,
  CURVE_ACC
} CurveKind;

static double
epoch_value (const GsEpochStats *e, CurveKind kind, gboolean val)
{
  if (kind == CURVE_LOSS)
    return val ? e->val_loss : e->train_loss;
  return 100 * (val ? e->val_acc : e->train_acc);
}

static gboolean
epoch_shown (GsPlotCtx *ctx, GsRecord *rec, const GsEpochStats *e)
{
  guint c = ctx->style->cursor_step;
  return c == 0 || e->last_step <= c;
}

static double
epochs_span (GsPlotCtx *ctx)
{
  double hi = 1;
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      double    spe = MAX (gs_record_steps_per_epoch (rec), 1);
      hi = MAX (hi, gs_record_n_epochs (rec));
      hi = MAX (hi, gs_record_n_steps (rec) / spe);
    }
  return ceil (hi - 1e-9);
}

static void
curve_range (GsPlotCtx *ctx, CurveKind kind, double *lo, double *hi)
{
  double vmin = INFINITY, vmax = -INFINITY;

  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord    *rec = ctx->runs[r];
      const float *s = kind == CURVE_LOSS ? gs_record_loss_series (rec) : gs_record_accuracy_series (rec);
      double       k = kind == CURVE_LOSS ? 1 : 100;
      guint        n = _gs_cursor_column (rec, ctx->style->cursor_step);
      for (guint c = 0; c < n; c++)
        if (isfinite (s[c]))
          vmin = MIN (vmin, s[c] * k), vmax = MAX (vmax, s[c] * k);
      for (guint i = 0; i < gs_record_n_epochs (rec); i++)
        for (int v = 0; v < 2; v++)
          {
            double x = epoch_value (gs_record_epoch (rec, i), kind, v);
            if (isfinite (x))
              vmin = MIN (vmin, x), vmax = MAX (vmax, x);
          }
    }
  if (!isfinite (vmin))
    vmin = 0, vmax = kind == CURVE_LOSS ? 1 : 100;
  if (kind == CURVE_ACC)
    {
      *lo = MAX (0, floor ((vmin - 2) / 10) * 10);
      *hi = MIN (100, MAX (*lo + 10, ceil ((vmax + 2) / 10) * 10));
      return;
    }
  *lo = 0;
  *hi = vmax > 0 ? vmax * 1.05 : 1;
}

static void
epoch_line (GsPlotCtx *ctx, const GsPanel *p, GsRecord *rec, CurveKind kind, gboolean val, const GsRgba *c)
{
  double             rad = ctx->style->line_width + 1.0;
  guint              n = gs_record_n_epochs (rec);
  g_autofree double *xs = g_new (double, n), *ys = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      const GsEpochStats *e = gs_record_epoch (rec, i);
      xs[i] = _gs_axis_pos (&p->x, e->epoch);
      ys[i] = epoch_shown (ctx, rec, e) ? _gs_axis_pos (&p->y, epoch_value (e, kind, val)) : NAN;
    }
  _gs_polyline (ctx, xs, ys, n, val ? ctx->pad : 0, c, 1.0);
  if (p->plot.w / MAX (n, 1) >= rad * 3)
    _gs_point_marks (ctx, xs, ys, n, rad, val, c);
}

static void
test_line (GsPlotCtx *ctx, const GsPanel *p, GsRecord *rec, const GsRgba *c)
{
  cairo_t *cr = ctx->cr;

  if (!gs_record_has_test (rec) || ctx->style->cursor_step != 0)
    return;
  double y = _gs_axis_pos (&p->y, 100 * gs_record_test_accuracy (rec));
  if (!isfinite (y))
    return;
  cairo_save (cr);
  cairo_set_dash (cr, (double[]){ 1.5, 2.5 }, 2, 0);
  cairo_move_to (cr, p->plot.x, y);
  cairo_line_to (cr, p->plot.x + p->plot.w, y);
  cairo_set_line_width (cr, ctx->style->line_width * 0.8);
  _gs_set_color (cr, c, 0.9);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
curve_data (GsPlotCtx *ctx, const GsPanel *p, CurveKind kind)
{
  cairo_t *cr = ctx->cr;

  _gs_panel_clip (ctx, p);
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord    *rec = ctx->runs[r];
      GsRgba       c;
      const float *s = kind == CURVE_LOSS ? gs_record_loss_series (rec) : gs_record_accuracy_series (rec);
      _gs_run_color (ctx->style, r, &c);
      _gs_series_path (ctx, p, s, _gs_cursor_column (rec, ctx->style->cursor_step),
                       MAX (gs_record_stride (rec), 1), 1.0 / MAX (gs_record_steps_per_epoch (rec), 1),
                       kind == CURVE_LOSS ? 1 : 100);
      cairo_set_line_width (cr, ctx->style->line_width * 0.6);
      _gs_set_color (cr, &c, 0.3);
      cairo_stroke (cr);
      epoch_line (ctx, p, rec, kind, FALSE, &c);
      epoch_line (ctx, p, rec, kind, TRUE, &c);
      if (kind == CURVE_ACC)
        test_line (ctx, p, rec, &c);
    }
  cairo_restore (cr);
  /* the lines only: the legend's corner is where labels would go */
  if (ctx->n_runs == 1)
    _gs_phase_marks (ctx, ctx->runs[0], p, 1.0 / MAX (gs_record_steps_per_epoch (ctx->runs[0]), 1), FALSE);
}

/* One key above both panels, never over the curves: the line styles, then
 * each run's colour with its test accuracy. */
static double
curve_key (GsPlotCtx *ctx, const GsRect *body)
{
  GsKeyItem items[12];
  char     *owned[12] = { NULL };
  guint     n = 0;
  gboolean  any_test = FALSE;

  for (guint r = 0; r < ctx->n_runs; r++)
    any_test = any_test || (gs_record_has_test (ctx->runs[r]) && ctx->style->cursor_step == 0);
  /* TRANSLATORS: legend of the loss and accuracy curves: the training and
     the validation split */
  items[n++] = (GsKeyItem){ C_ ("split", "train"), NULL, GS_KEY_LINE, ctx->style->muted };
  items[n++] = (GsKeyItem){ C_ ("split", "validation"), NULL, GS_KEY_DASH, ctx->style->muted };
  if (any_test)
    /* TRANSLATORS: legend: the accuracy on the test split, after training */
    items[n++] = (GsKeyItem){ C_ ("split", "test"), NULL, GS_KEY_DOT, ctx->style->muted };
  for (guint r = 0; r < ctx->n_runs && n < G_N_ELEMENTS (items); r++)
    {
      GsRecord        *rec = ctx->runs[r];
      g_autofree char *name = _gs_run_label (ctx, r);
      char            *brief = NULL;
      if (gs_record_has_test (rec) && ctx->style->cursor_step == 0)
        /* TRANSLATORS: a run in the key and its test accuracy */
        owned[n] = g_strdup_printf (_ ("%s: test %.1f%%"), name, 100 * gs_record_test_accuracy (rec));
      else
        owned[n] = g_strdup (name);
      brief = ctx->n_runs > 1 ? NULL : owned[n];
      items[n] = (GsKeyItem){ owned[n], brief, GS_KEY_LINE, { 0 } };
      _gs_run_color (ctx->style, r, &items[n++].color);
    }
  double h = _gs_key_rows (ctx, body, items, n);
  for (guint i = 0; i < n; i++)
    g_free (owned[i]);
  return h;
}

static void
curve_query (GsPlotCtx *ctx, const GsPanel *p, CurveKind kind)
{
  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  int      ep = (int) floor (_gs_axis_value (&p->x, ctx->qx) + 0.5);
  GString *s = g_string_new (NULL);
  for (guint r = 0; r < ctx->n_runs; r++)
    for (guint i = 0; i < gs_record_n_epochs (ctx->runs[r]); i++)
      {
        const GsEpochStats *e = gs_record_epoch (ctx->runs[r], i);
        if (e->epoch != ep || !epoch_shown (ctx, ctx->runs[r], e))
          continue;
        _gs_answer_line (ctx, s, r);
        if (kind == CURVE_LOSS)
          g_string_append_printf (s, _ ("epoch %d · train loss %.3f · validation %.3f"), ep, e->train_loss,
                                  e->val_loss);
        else
          g_string_append_printf (s, _ ("epoch %d · train accuracy %.1f%% · validation %.1f%%"), ep,
                                  100 * e->train_acc, 100 * e->val_acc);
      }
  _gs_answer_lines (ctx, s);
}

static void
curve_panel (GsPlotCtx *ctx, const GsRect *outer, CurveKind kind)
{
  GsPanel p = { .outer = *outer,
                .xlabel = _ ("epoch"),
                /* TRANSLATORS: axis labels of the loss and accuracy curves */
                .ylabel = kind == CURVE_LOSS ? _ ("loss (cross-entropy)") : _ ("accuracy (%)"),
                .ylabel_short = kind == CURVE_LOSS ? _ ("loss") : "%" };

  p.x = (GsAxis){ .lo = 0, .hi = epochs_span (ctx), .integer = TRUE };
  p.y = (GsAxis){ 0 };
  curve_range (ctx, kind, &p.y.lo, &p.y.hi);
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_panel_frame (ctx, &p);
  if (!ctx->query)
    {
      curve_data (ctx, &p, kind);
    }
  _gs_panel_axes (ctx, &p);
  curve_query (ctx, &p, kind);
}

void
_gs_plot_curves (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsRect body, a, b;

  _gs_titled_body (ctx, area, with_title, _ ("Loss and accuracy"), &body);
  double key = curve_key (ctx, &body);
  body.y += key, body.h -= key;
  if (body.h > body.w * 0.8)
    {
      a = (GsRect){ body.x, body.y, body.w, body.h / 2 - ctx->pad * 0.5 };
      b = (GsRect){ body.x, body.y + body.h / 2 + ctx->pad * 0.5, body.w, a.h };
    }
  else
    {
      _gs_split_cols (&body, 2, ctx->pad, 0, &a);
      _gs_split_cols (&body, 2, ctx->pad, 1, &b);
    }
  curve_panel (ctx, &a, CURVE_LOSS);
  curve_panel (ctx, &b, CURVE_ACC);
}
