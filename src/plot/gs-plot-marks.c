/* gs-plot-marks.c: marks on a step axis: epoch boundaries, the phases of
 * layer-wise training, the changes made while the run trained
 * (interventions), where a run diverged, and the replay cursor. */
#define G_LOG_DOMAIN "gs-plot-marks"

#include <math.h>

#include "gs-plot-private.h"

/* A line readable on any colour of the map: dark halo, light core. */
static void
halo_line (GsPlotCtx *ctx, double x, double y0, double y1, double w, gboolean dashed)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  if (dashed)
    cairo_set_dash (cr, (double[]){ 4 * w, 3 * w }, 2, 0);
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
mark_label (GsPlotCtx *ctx, const GsPanel *p, double x, const char *text, const char *short_text, int slot)
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
  guint  n_ep = gs_record_n_epochs (rec);
  guint  shown = _gs_cursor_step (rec, ctx->style->cursor_step);
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

/* Where each phase of a layer-wise run begins and, labelled, which layers
 * it trains (the others are frozen or not added yet). */
static void
phase_marks (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p, double per_step, gboolean labelled)
{
  if (gs_record_n_phases (rec) < 2)
    return;
  for (guint i = 0; i < gs_record_n_phases (rec); i++)
    {
      const GsPhase *s = gs_record_phase (rec, i);
      double         x = _gs_axis_pos (&p->x, per_step * (s->step > 0 ? s->step - 1 : 0));
      if (s->step > 1)
        halo_line (ctx, x, p->plot.y, p->plot.y + p->plot.h, ctx->style->axis_width * 1.2, TRUE);
      if (!labelled)
        continue;
      /* TRANSLATORS: a phase of greedy layer-wise training, marked on the
         figures' time axis: the phase and the hidden layers it trains (the
         others are frozen) */
      g_autofree char *text = g_strdup_printf (_ ("phase %d · trains %d–%d"), (int) i + 1,
                                               s->lowest_trainable + 1, s->active_depth);
      /* TRANSLATORS: the same when the long form is too wide (a third of
         the figure's width) */
      g_autofree char *brief = g_strdup_printf (C_ ("short", "phase %d"), (int) i + 1);
      mark_label (ctx, p, x, text, brief, i % 2);
    }
}

/* Each change made while the run trained, where it took effect: the cause
 * the figure's change answers. Labelled as the phases are (the curves'
 * legends leave no room); only those up to the replay cursor, as the
 * figure shows only those steps. */
static void
intervention_marks (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p, double per_step, gboolean labelled)
{
  const guint shown = _gs_cursor_step (rec, ctx->style->cursor_step);
  const int   first_slot = gs_record_n_phases (rec) >= 2 ? 3 : 0;

  for (guint i = 0; i < gs_record_n_interventions (rec); i++)
    {
      const GsIntervention *iv = gs_record_intervention (rec, i);
      double                x = _gs_axis_pos (&p->x, per_step * (iv->step - 1));
      if (iv->step > shown + 1 || per_step * (iv->step - 1) > p->x.hi)
        continue;
      halo_line (ctx, x, p->plot.y, p->plot.y + p->plot.h, ctx->style->axis_width * 1.6, FALSE);
      if (!labelled)
        continue;
      /* TRANSLATORS: a change made while the run trained, marked on the
         figures' time axis: the option, its old and its new value */
      g_autofree char *text = g_strdup_printf (_ ("%s: %s → %s"), iv->option, iv->from, iv->to);
      g_autofree char *brief = g_strdup_printf ("%s=%s", iv->option, iv->to);
      mark_label (ctx, p, x, text, brief, first_slot + (int) (i % 2));
    }
}

/* The marks of training's time line on a step axis, x = per_step *
 * (step - 1): phases and interventions, labelled or not. */
void
_gs_phase_marks (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p, double per_step, gboolean labelled)
{
  if (ctx->query)
    return;
  phase_marks (ctx, rec, p, per_step, labelled);
  intervention_marks (ctx, rec, p, per_step, labelled);
}

void
_gs_heat_marks (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p, gboolean labelled)
{
  guint  cursor = ctx->style->cursor_step, step;
  double w = ctx->style->axis_width;

  if (ctx->query)
    return;
  epoch_lines (ctx, rec, p);
  _gs_phase_marks (ctx, rec, p, 1, labelled);
  if (labelled && gs_record_diverged (rec, &step, NULL, NULL))
    {
      g_autofree char *text = g_strdup_printf (_ ("diverged at step %u"), step);
      mark_label (ctx, p, _gs_axis_pos (&p->x, step), text, NULL, 2);
    }
  if (cursor > 0 && cursor < gs_record_n_steps (rec))
    halo_line (ctx, _gs_axis_pos (&p->x, cursor), p->plot.y, p->plot.y + p->plot.h, w * 1.5, FALSE);
}
