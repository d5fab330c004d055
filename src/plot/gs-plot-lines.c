/* gs-plot-lines.c: line figures: the per-layer gradient-norm profile and
 * the loss/accuracy curves. Series are averaged down to the pixel width. */
#include <math.h>
#include <string.h>

#include "gs-plot-private.h"

void
_gs_series_path (GsPlotCtx *ctx, const GsPanel *p, const float *s, guint n_show,
                 guint stride, double x_scale, double y_scale)
{
  cairo_t *cr = ctx->cr;
  /* one point every 2 px: smooth enough, half the stroking work */
  guint nb = MIN (n_show, (guint) MAX (ceil (p->plot.w / 2), 1));
  gboolean pen = FALSE;

  for (guint b = 0; b < nb; b++)
    {
      guint c0 = (guint) ((guint64) b * n_show / nb);
      guint c1 = MAX ((guint) ((guint64) (b + 1) * n_show / nb), c0 + 1);
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
        _gs_markers (ctx, x, y, ctx->style->line_width, FALSE);   /* one step: a ring */
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

/* Gradient norm profile -------------------------------------------------- */

static float
profile_value (GsPlotCtx *ctx, guint r, guint l, gboolean first)
{
  GsRecord *rec = ctx->runs[r];
  if (l >= gs_record_n_layers (rec) || gs_record_n_steps (rec) == 0)
    return NAN;
  if (first)
    return gs_record_first_step_probe (rec, GS_PROBE_GRAD_NORM, l);
  return _gs_probe_at (rec, GS_PROBE_GRAD_NORM, l, ctx->style->cursor_step);
}

/* Showing step 1 itself: no separate "step 1" reference profile. */
static gboolean
single_step (GsPlotCtx *ctx)
{
  return _gs_cursor_step (ctx->runs[0], ctx->style->cursor_step) <= 1;
}

static void
profile_range (GsPlotCtx *ctx, GsAxis *y)
{
  double vmin = INFINITY, vmax = 0;
  gboolean first = ctx->n_runs == 1;

  for (guint r = 0; r < ctx->n_runs; r++)
    for (guint l = 0; l < gs_record_n_layers (ctx->runs[r]); l++)
      for (int f = 0; f <= first; f++)
        {
          double v = profile_value (ctx, r, l, f);
          if (isfinite (v) && v > 0)
            vmin = MIN (vmin, v), vmax = MAX (vmax, v);
        }
  if (vmax <= 0)
    vmin = vmax = 1e-3;
  *y = (GsAxis) { .log = TRUE };
  _gs_log_range (vmin, vmax, &y->lo, &y->hi);
}

static void
profile_line (GsPlotCtx *ctx, const GsPanel *p, guint r, gboolean first,
              const GsRgba *line, double dash)
{
  cairo_t *cr = ctx->cr;
  guint n = gs_record_n_layers (ctx->runs[r]);
  double rad = ctx->style->line_width * 1.3 + 1.2;
  double spacing = p->plot.w / (p->x.hi - p->x.lo);
  gboolean pen = FALSE;

  cairo_save (cr);
  if (dash > 0)
    cairo_set_dash (cr, (double[]) { dash, dash * 0.6 }, 2, 0);
  for (guint l = 0; l < n; l++)
    {
      double x = _gs_axis_pos (&p->x, l + 1);
      double y = _gs_axis_pos (&p->y, profile_value (ctx, r, l, first));
      if (!isfinite (y))
        pen = FALSE;
      else if (pen)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y), pen = TRUE;
    }
  cairo_set_line_width (cr, ctx->style->line_width);
  _gs_set_color (cr, line, first ? 0.6 : 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
  if (spacing < rad * 2.5)
    return;
  for (guint l = 0; l < n; l++)
    {
      GsRgba c;
      double v = profile_value (ctx, r, l, first);
      double x = _gs_axis_pos (&p->x, l + 1), y = _gs_axis_pos (&p->y, v);
      _gs_layer_color (ctx->style, l, n, &c);
      if (!isfinite (y))
        {
          /* NaN, Inf or exactly zero: a cross on the bottom edge. */
          double yb = p->plot.y + p->plot.h - rad;
          cairo_move_to (cr, x - rad, yb - rad);
          cairo_line_to (cr, x + rad, yb + rad);
          cairo_move_to (cr, x + rad, yb - rad);
          cairo_line_to (cr, x - rad, yb + rad);
          _gs_set_color (cr, &c, 1.0);
          cairo_stroke (cr);
          continue;
        }
      _gs_markers (ctx, x, y, rad, r % 2 == 1);
      if (first)
        {
          _gs_set_color (cr, &ctx->style->background, 1.0);
          cairo_fill_preserve (cr);
          _gs_set_color (cr, &c, 1.0);
          cairo_set_line_width (cr, ctx->style->line_width * 0.7);
          cairo_stroke (cr);
        }
      else
        {
          _gs_set_color (cr, &c, 1.0);
          cairo_fill (cr);
        }
    }
}

static void
profile_query (GsPlotCtx *ctx, const GsPanel *p)
{
  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  guint l = (guint) MAX (floor (_gs_axis_value (&p->x, ctx->qx) + 0.5), 1) - 1;
  GString *s = g_string_new (NULL);
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      if (l >= gs_record_n_layers (rec))
        continue;
      g_autofree char *v = _gs_format_value (profile_value (ctx, r, l, FALSE));
      g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
      if (s->len)
        g_string_append_c (s, '\n');
      if (name)
        g_string_append_printf (s, "%s: ", name);
      g_string_append_printf (s, _("layer %u · step %u · ‖∂L/∂W‖₂ = %s"), l + 1,
                              _gs_cursor_step (rec, ctx->style->cursor_step), v);
    }
  if (s->len)
    _gs_answer (ctx, g_string_free (s, FALSE));
  else
    g_string_free (s, TRUE);
}

static void
profile_legend (GsPlotCtx *ctx, const GsPanel *p)
{
  const char *names[8];
  GsRgba colors[8];
  double dashes[8];
  g_autofree char *now = NULL, *first = NULL;
  char *run_names[8] = { NULL };
  guint n = 0;

  if (ctx->n_runs == 1 && single_step (ctx))
    return;
  if (ctx->n_runs == 1)
    {
      guint step = _gs_cursor_step (ctx->runs[0], ctx->style->cursor_step);
      now = g_strdup_printf (_("step %u"), step);
      first = g_strdup_printf (_("step %u"), 1);
      names[0] = first;
      colors[0] = ctx->style->muted;
      dashes[0] = ctx->pad;
      names[1] = now;
      colors[1] = ctx->style->foreground;
      dashes[1] = 0;
      n = 2;
    }
  else
    for (guint r = 0; r < MIN (ctx->n_runs, 8u); r++, n++)
      {
        run_names[r] = _gs_run_label (ctx, r);
        names[r] = run_names[r];
        _gs_run_color (ctx->style, r, &colors[r]);
        dashes[r] = r % 2 ? ctx->pad : 0;
      }
  /* Put the legend over the low end of the profile, where there is room. */
  GsRecord *rec = ctx->runs[0];
  guint last = gs_record_n_layers (rec) - 1;
  double v0 = profile_value (ctx, 0, 0, FALSE), v1 = profile_value (ctx, 0, last, FALSE);
  gboolean right = !(v1 < v0) || !isfinite (v0);
  _gs_legend (ctx, &p->plot, names, colors, dashes, n,
              right ? GS_CORNER_TOP_LEFT : GS_CORNER_TOP_RIGHT);
  for (guint r = 0; r < 8; r++)
    g_free (run_names[r]);
}

void
_gs_plot_gradnorm (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsPanel p = { .outer = *area, .xlabel = _("layer (1 = input)"),
                .ylabel = _("‖∂L/∂W‖₂ (log)"), .ylabel_short = "‖∂L/∂W‖₂" };
  guint n = _gs_max_layers (ctx);

  if (with_title)
    {
      g_autofree char *name = _gs_title_suffix (ctx);
      g_autofree char *title = g_strconcat (_("Gradient norm per layer"), name ? " — " : "",
                                            name, NULL);
      double h = _gs_figure_header (ctx, area, title);
      p.outer.y += h;
      p.outer.h -= h;
    }
  p.x = (GsAxis) { .lo = 0.5, .hi = n + 0.5, .integer = TRUE };
  profile_range (ctx, &p.y);
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_panel_frame (ctx, &p);
  if (!ctx->query)
    {
      cairo_save (ctx->cr);
      cairo_rectangle (ctx->cr, p.plot.x, p.plot.y, p.plot.w, p.plot.h);
      cairo_clip (ctx->cr);
      for (guint r = 0; r < ctx->n_runs; r++)
        {
          GsRgba c;
          _gs_run_color (ctx->style, r, &c);
          if (ctx->n_runs == 1 && !single_step (ctx))
            profile_line (ctx, &p, r, TRUE, &ctx->style->muted, ctx->pad);
          profile_line (ctx, &p, r, FALSE, &c, r % 2 ? ctx->pad : 0);
        }
      cairo_restore (ctx->cr);
      profile_legend (ctx, &p);
    }
  _gs_panel_axes (ctx, &p);
  profile_query (ctx, &p);
}

/* Loss and accuracy curves ----------------------------------------------- */

typedef enum { CURVE_LOSS, CURVE_ACC } CurveKind;

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
      double spe = MAX (gs_record_steps_per_epoch (rec), 1);
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
      GsRecord *rec = ctx->runs[r];
      const float *s = kind == CURVE_LOSS ? gs_record_loss_series (rec)
                                          : gs_record_accuracy_series (rec);
      double k = kind == CURVE_LOSS ? 1 : 100;
      guint n = _gs_cursor_column (rec, ctx->style->cursor_step);
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
epoch_line (GsPlotCtx *ctx, const GsPanel *p, GsRecord *rec, CurveKind kind,
            gboolean val, const GsRgba *c)
{
  cairo_t *cr = ctx->cr;
  double rad = ctx->style->line_width + 1.0;
  gboolean pen = FALSE;
  guint n = gs_record_n_epochs (rec);

  cairo_save (cr);
  if (val)
    cairo_set_dash (cr, (double[]) { ctx->pad, ctx->pad * 0.6 }, 2, 0);
  for (guint i = 0; i < n; i++)
    {
      const GsEpochStats *e = gs_record_epoch (rec, i);
      double y = _gs_axis_pos (&p->y, epoch_value (e, kind, val));
      if (!epoch_shown (ctx, rec, e) || !isfinite (y))
        {
          pen = FALSE;
          continue;
        }
      double x = _gs_axis_pos (&p->x, e->epoch);
      if (pen)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y), pen = TRUE;
    }
  cairo_set_line_width (cr, ctx->style->line_width);
  _gs_set_color (cr, c, 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
  if (p->plot.w / MAX (n, 1) < rad * 3)
    return;
  for (guint i = 0; i < n; i++)
    {
      const GsEpochStats *e = gs_record_epoch (rec, i);
      double y = _gs_axis_pos (&p->y, epoch_value (e, kind, val));
      if (epoch_shown (ctx, rec, e) && isfinite (y))
        _gs_markers (ctx, _gs_axis_pos (&p->x, e->epoch), y, rad, val);
    }
  _gs_set_color (cr, c, 1.0);
  cairo_fill (cr);
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
  cairo_set_dash (cr, (double[]) { 1.5, 2.5 }, 2, 0);
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

  cairo_save (cr);
  cairo_rectangle (cr, p->plot.x, p->plot.y, p->plot.w, p->plot.h);
  cairo_clip (cr);
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      GsRgba c;
      const float *s = kind == CURVE_LOSS ? gs_record_loss_series (rec)
                                          : gs_record_accuracy_series (rec);
      _gs_run_color (ctx->style, r, &c);
      _gs_series_path (ctx, p, s, _gs_cursor_column (rec, ctx->style->cursor_step),
                       MAX (gs_record_stride (rec), 1),
                       1.0 / MAX (gs_record_steps_per_epoch (rec), 1),
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
}

static void
curve_legend (GsPlotCtx *ctx, const GsPanel *p, CurveKind kind)
{
  const char *names[10];
  GsRgba colors[10];
  double dashes[10];
  char *owned[10] = { NULL };
  guint n = 0;

  /* TRANSLATORS: legend of the loss and accuracy curves: the training and
     the validation split */
  names[n] = C_("split", "train"), colors[n] = ctx->style->muted, dashes[n++] = 0;
  names[n] = C_("split", "validation"), colors[n] = ctx->style->muted, dashes[n++] = ctx->pad;
  GsRecord *first = ctx->runs[0];
  if (kind == CURVE_ACC && gs_record_has_test (first) && ctx->style->cursor_step == 0)
    {
      /* TRANSLATORS: legend: the accuracy on the test split */
      owned[n] = g_strdup_printf (_("test %.1f%%"), 100 * gs_record_test_accuracy (first));
      names[n] = owned[n], colors[n] = ctx->style->muted, dashes[n++] = 1.5;
    }
  for (guint r = 0; ctx->n_runs > 1 && r < ctx->n_runs && n < 10; r++, n++)
    {
      owned[n] = _gs_run_label (ctx, r);
      names[n] = owned[n];
      _gs_run_color (ctx->style, r, &colors[n]);
      dashes[n] = 0;
    }
  /* Loss falls and accuracy rises: those corners stay empty. */
  _gs_legend (ctx, &p->plot, names, colors, dashes, n,
              kind == CURVE_LOSS ? GS_CORNER_TOP_RIGHT : GS_CORNER_BOTTOM_RIGHT);
  for (guint i = 0; i < n; i++)
    g_free (owned[i]);
}

static void
curve_query (GsPlotCtx *ctx, const GsPanel *p, CurveKind kind)
{
  if (!ctx->query || !_gs_rect_contains (&p->plot, ctx->qx, ctx->qy))
    return;
  int ep = (int) floor (_gs_axis_value (&p->x, ctx->qx) + 0.5);
  GString *s = g_string_new (NULL);
  for (guint r = 0; r < ctx->n_runs; r++)
    for (guint i = 0; i < gs_record_n_epochs (ctx->runs[r]); i++)
      {
        const GsEpochStats *e = gs_record_epoch (ctx->runs[r], i);
        if (e->epoch != ep || !epoch_shown (ctx, ctx->runs[r], e))
          continue;
        g_autofree char *name = ctx->n_runs > 1 ? _gs_run_label (ctx, r) : NULL;
        if (s->len)
          g_string_append_c (s, '\n');
        if (name)
          g_string_append_printf (s, "%s: ", name);
        if (kind == CURVE_LOSS)
          g_string_append_printf (s, _("epoch %d · train loss %.3f · validation %.3f"), ep,
                                  e->train_loss, e->val_loss);
        else
          g_string_append_printf (s, _("epoch %d · train accuracy %.1f%% · validation %.1f%%"),
                                  ep, 100 * e->train_acc, 100 * e->val_acc);
      }
  if (s->len)
    _gs_answer (ctx, g_string_free (s, FALSE));
  else
    g_string_free (s, TRUE);
}

static void
curve_panel (GsPlotCtx *ctx, const GsRect *outer, CurveKind kind)
{
  GsPanel p = { .outer = *outer, .xlabel = _("epoch"),
                /* TRANSLATORS: axis labels of the loss and accuracy curves */
                .ylabel = kind == CURVE_LOSS ? _("loss (cross-entropy)") : _("accuracy (%)"),
                .ylabel_short = kind == CURVE_LOSS ? _("loss") : "%" };

  p.x = (GsAxis) { .lo = 0, .hi = epochs_span (ctx), .integer = TRUE };
  p.y = (GsAxis) { 0 };
  curve_range (ctx, kind, &p.y.lo, &p.y.hi);
  if (!_gs_panel_layout (ctx, &p))
    return;
  _gs_panel_frame (ctx, &p);
  if (!ctx->query)
    {
      curve_data (ctx, &p, kind);
      curve_legend (ctx, &p, kind);
    }
  _gs_panel_axes (ctx, &p);
  curve_query (ctx, &p, kind);
}

void
_gs_plot_curves (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  GsRect body = *area, a, b;

  if (with_title)
    {
      g_autofree char *name = _gs_title_suffix (ctx);
      g_autofree char *title = g_strconcat (_("Loss and accuracy"), name ? " — " : "", name,
                                            NULL);
      double h = _gs_figure_header (ctx, area, title);
      body.y += h;
      body.h -= h;
    }
  if (body.h > body.w * 0.8)
    {
      a = (GsRect) { body.x, body.y, body.w, body.h / 2 - ctx->pad * 0.5 };
      b = (GsRect) { body.x, body.y + body.h / 2 + ctx->pad * 0.5, body.w, a.h };
    }
  else
    {
      _gs_split_cols (&body, 2, ctx->pad, 0, &a);
      _gs_split_cols (&body, 2, ctx->pad, 1, &b);
    }
  curve_panel (ctx, &a, CURVE_LOSS);
  curve_panel (ctx, &b, CURVE_ACC);
}
