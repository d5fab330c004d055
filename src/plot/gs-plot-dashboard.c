/* gs-plot-dashboard.c: every figure on one page.
 *
 *   +----------------------+----------------------+
 *   | heatmap              | why it shrinks       |
 *   +-----------+----------+-----------+----------+
 *   | norms     | histograms | activations | curves |
 *   +-----------+----------+-----------+----------+
 *
 * Narrow pages (portrait) stack the figures in one column instead.
 */
#define G_LOG_DOMAIN "gs-plot-dashboard"

#include "gs-plot-private.h"

#define HEAT   _ ("‖∂L/∂W‖₂ per layer and step")
#define NORM   _ ("‖∂L/∂W‖₂ per layer")
#define CURVES _ ("Loss and accuracy")
#define SHRINK _ ("Why the gradient shrinks")
/* TRANSLATORS: short for "Why the gradient shrinks" */
#define SHRINK_SHORT _ ("Why it shrinks")
/* TRANSLATORS: short titles of the dashboard's cells, used when the full
   title does not fit */
#define HEAT_SHORT _ ("Gradients")
#define HIST_SHORT _ ("Histograms")
#define ACT_TITLE  _ ("Activations")
/* TRANSLATORS: short for "Loss and accuracy" */
#define CURVES_SHORT _ ("Loss, acc.")

static void
cell (GsPlotCtx   *ctx,
      GsFigureFunc func,
      const char  *title,
      const char  *short_title,
      double       x,
      double       y,
      double       w,
      double       h)
{
  double gap = ctx->pad * 2.5;
  GsRect r = { x + gap * 0.5, y + gap * 0.2, w - gap, h - gap * 0.4 };
  double th = ctx->line_h[GS_TEXT_LABEL] * 1.2;

  if (r.w < 4 || r.h < th * 2)
    return;
  double tw, tth;
  _gs_text_size (ctx, GS_TEXT_LABEL, title, &tw, &tth);
  _gs_text_fit (ctx, GS_TEXT_LABEL, tw <= r.w ? title : short_title, r.x, r.y, r.w, 0, 0,
                &ctx->style->foreground);
  GsRect body = { r.x, r.y + th, r.w, r.h - th };
  func (ctx, &body, FALSE);
}

static const char *
hist_title (GsPlotCtx *ctx)
{
  return _gs_hist_kind_title (ctx->style->hist_kind);
}

void
_gs_plot_dashboard (GsPlotCtx *ctx, const GsRect *area, gboolean with_title)
{
  g_autofree char *versus = NULL;
  for (guint r = 0; r < ctx->n_runs && ctx->n_runs > 1; r++)
    {
      g_autofree char *name = _gs_run_label (ctx, r);
      /* TRANSLATORS: two runs compared, e.g. "baseline vs relu" */
      char *longer = versus ? g_strdup_printf (_ ("%s vs %s"), versus, name) : g_steal_pointer (&name);
      g_free (versus);
      versus = longer;
    }
  g_autofree char *common = _gs_title_suffix (ctx);
  GString         *names = g_string_new (versus);
  if (common)
    g_string_append_printf (names, "%s%s", names->len ? " · " : "", common);
  g_autofree char *title = g_strconcat ("Gradscope — ", names->str, NULL);
  g_string_free (names, TRUE);
  double head = with_title ? _gs_figure_header (ctx, area, title) : 0;
  double x = area->x, y = area->y + head, w = area->w, h = area->h - head;

  if (w < h)
    {
      double rh = h / 6;
      cell (ctx, _gs_plot_heatmap, HEAT, HEAT_SHORT, x, y, w, rh);
      cell (ctx, _gs_plot_shrink, SHRINK, SHRINK_SHORT, x, y + rh, w, rh);
      cell (ctx, _gs_plot_gradnorm, NORM, "‖∂L/∂W‖₂", x, y + 2 * rh, w, rh);
      cell (ctx, _gs_plot_histograms, hist_title (ctx), HIST_SHORT, x, y + 3 * rh, w, rh);
      cell (ctx, _gs_plot_activations, ACT_TITLE, ACT_TITLE, x, y + 4 * rh, w, rh);
      cell (ctx, _gs_plot_curves, CURVES, CURVES_SHORT, x, y + 5 * rh, w, rh);
      return;
    }
  double h1 = h * 0.5, cw = w / 4;
  cell (ctx, _gs_plot_heatmap, HEAT, HEAT_SHORT, x, y, 2 * cw, h1);
  cell (ctx, _gs_plot_shrink, SHRINK, SHRINK_SHORT, x + 2 * cw, y, 2 * cw, h1);
  cell (ctx, _gs_plot_gradnorm, NORM, "‖∂L/∂W‖₂", x, y + h1, cw, h - h1);
  cell (ctx, _gs_plot_histograms, hist_title (ctx), HIST_SHORT, x + cw, y + h1, cw, h - h1);
  cell (ctx, _gs_plot_activations, ACT_TITLE, ACT_TITLE, x + 2 * cw, y + h1, cw, h - h1);
  cell (ctx, _gs_plot_curves, CURVES, CURVES_SHORT, x + 3 * cw, y + h1, cw, h - h1);
}
