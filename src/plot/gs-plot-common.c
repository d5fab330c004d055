/* gs-plot-common.c: run names, the replay cursor, headers and legends. */
#include <math.h>
#include <string.h>

#include "gs-plot-private.h"

char *
_gs_run_name (GsRecord *rec)
{
  g_autofree char *desc = gs_config_describe (gs_record_config (rec));
  if (!desc || !*desc)
    /* TRANSLATORS: the name of a training run without a description */
    return g_strdup (_("run"));
  if (gs_record_diverged (rec, NULL, NULL, NULL))
    /* TRANSLATORS: %s is a run's settings, e.g. "baseline, lr=0.1" */
    return g_strdup_printf (_("%s (diverged)"), desc);
  return g_steal_pointer (&desc);
}

static char **
run_tokens (GsRecord *rec)
{
  g_autofree char *desc = gs_config_describe (gs_record_config (rec));
  return g_strsplit (desc && *desc ? desc : _("run"), ", ", -1);
}

static gboolean
token_common (GsPlotCtx *ctx, const char *token, gboolean first)
{
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      g_auto(GStrv) t = run_tokens (ctx->runs[r]);
      gboolean found = first ? g_strcmp0 (t[0], token) == 0
                             : g_strv_contains ((const char *const *) t + 1, token);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* A run's name in a comparison: what tells it apart from the others. */
char *
_gs_run_label (GsPlotCtx *ctx, guint r)
{
  if (ctx->n_runs < 2)
    return _gs_run_name (ctx->runs[r]);
  g_auto(GStrv) t = run_tokens (ctx->runs[r]);
  GString *s = g_string_new (t[0]);
  for (guint i = 1; t[i]; i++)
    if (!token_common (ctx, t[i], FALSE))
      g_string_append_printf (s, ", %s", t[i]);
  if (gs_record_diverged (ctx->runs[r], NULL, NULL, NULL))
    {
      g_autofree char *tokens = g_string_free (s, FALSE);
      return g_strdup_printf (_("%s (diverged)"), tokens);
    }
  return g_string_free (s, FALSE);
}

/* What a figure's title names: the run, or the settings all runs share. */
char *
_gs_title_suffix (GsPlotCtx *ctx)
{
  if (ctx->n_runs == 1)
    return _gs_run_name (ctx->runs[0]);
  g_auto(GStrv) t = run_tokens (ctx->runs[0]);
  GString *s = g_string_new (NULL);
  for (guint i = 0; t[i]; i++)
    if (token_common (ctx, t[i], i == 0))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", t[i]);
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

/* The step shown: the cursor, or the latest step when the cursor is 0. */
guint
_gs_cursor_step (GsRecord *rec, guint cursor_step)
{
  guint n = gs_record_n_steps (rec);
  return cursor_step == 0 || cursor_step > n ? n : cursor_step;
}

/* How many stored columns lie at or before the cursor. */
guint
_gs_cursor_column (GsRecord *rec, guint cursor_step)
{
  guint n_cols = gs_record_n_columns (rec), stride = MAX (gs_record_stride (rec), 1);
  guint step = _gs_cursor_step (rec, cursor_step);
  if (step >= gs_record_n_steps (rec))
    return n_cols;
  return MIN (n_cols, (step + stride - 1) / stride);
}

float
_gs_probe_at (GsRecord *rec, GsProbe probe, guint layer, guint cursor_step)
{
  guint n_steps = gs_record_n_steps (rec), n_cols = gs_record_n_columns (rec);

  if (n_steps == 0 || n_cols == 0 || layer >= gs_record_n_layers (rec))
    return NAN;
  if (cursor_step == 0 || cursor_step >= n_steps)
    return gs_record_last_probes (rec, layer)[probe];
  guint col = (cursor_step - 1) / MAX (gs_record_stride (rec), 1);
  return gs_record_series (rec, probe, layer)[MIN (col, n_cols - 1)];
}

/* Draws a figure title at the top of area; returns the height it takes. */
double
_gs_figure_header (GsPlotCtx *ctx, const GsRect *area, const char *title)
{
  double h = ctx->line_h[GS_TEXT_TITLE];

  double w, th, max_w = area->w - 2 * ctx->pad, x = area->x + ctx->pad;
  const char *dash = strstr (title, " — ");

  if (area->h < h * 3)
    return 0;
  _gs_text_size (ctx, GS_TEXT_TITLE, title, &w, &th);
  if (w > max_w && dash && area->h > h * 6)
    {
      /* Too long for one line: the run's description goes on a second. */
      g_autofree char *head = g_strndup (title, dash - title);
      double h2 = ctx->line_h[GS_TEXT_LABEL];
      _gs_text_fit (ctx, GS_TEXT_TITLE, head, x, area->y + ctx->pad * 0.5, max_w, 0, 0,
                    &ctx->style->foreground);
      _gs_text_fit (ctx, GS_TEXT_LABEL, dash + strlen (" — "), x,
                    area->y + ctx->pad * 0.5 + h, max_w, 0, 0, &ctx->style->foreground);
      return h + h2 + ctx->pad;
    }
  _gs_text_fit (ctx, GS_TEXT_TITLE, title, x, area->y + ctx->pad * 0.5, max_w, 0, 0,
                &ctx->style->foreground);
  return h + ctx->pad;
}

void
_gs_split_cols (const GsRect *r, guint n, double gap, guint i, GsRect *out)
{
  double w = (r->w - gap * (n - 1)) / MAX (n, 1);
  *out = (GsRect) { r->x + i * (w + gap), r->y, w, r->h };
}

static void
legend_line (GsPlotCtx *ctx, double x, double y, double len, const GsRgba *c,
             double dash)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  if (dash > 0)
    cairo_set_dash (cr, (double[]) { dash, dash * 0.6 }, 2, 0);
  cairo_set_line_width (cr, ctx->style->line_width);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + len, y);
  _gs_set_color (cr, c, 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
_gs_legend (GsPlotCtx *ctx, const GsRect *plot, const char *const *names,
            const GsRgba *colors, const double *dashes, guint n,
            GsCorner corner)
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
  guint rows = n;
  double bw = sample + pad * 2.5 + text_w, bh = rows * row + pad;
  double bx = corner == GS_CORNER_TOP_LEFT ? plot->x + pad * 0.5
                                           : plot->x + plot->w - bw - pad * 0.5;
  double by = corner == GS_CORNER_BOTTOM_RIGHT ? plot->y + plot->h - bh - pad * 0.5
                                               : plot->y + pad * 0.5;

  cairo_rectangle (ctx->cr, bx, by, bw, bh);
  _gs_set_color (ctx->cr, &ctx->style->background, 0.85);
  cairo_fill (ctx->cr);
  for (guint i = 0; i < rows; i++)
    {
      double y = by + pad * 0.5 + row * (i + 0.5);
      legend_line (ctx, bx + pad * 0.5, y, sample, &colors[i], dashes ? dashes[i] : 0);
      _gs_text_fit (ctx, GS_TEXT_TICK, names[i], bx + pad * 1.5 + sample, y,
                    text_w + 1, 0, 0.5, &ctx->style->foreground);
    }
}

void
_gs_answer (GsPlotCtx *ctx, char *text)
{
  if (ctx->answer)
    g_free (text);
  else
    ctx->answer = text;
}

const char *
_gs_hist_kind_label (GsHistKind kind)
{
  switch (kind)
    {
    case GS_HIST_WEIGHT: return _("weight value");
    case GS_HIST_GRAD: return _("weight gradient ∂L/∂W");
    case GS_HIST_ACT: return _("activation value");
    case GS_HIST_SIGNAL: return _("backprop signal ∂L/∂h");
    case GS_N_HIST_KINDS:
    default: break;
    }
  return _("value");
}

const char *
_gs_hist_kind_title (GsHistKind kind)
{
  switch (kind)
    {
    case GS_HIST_WEIGHT: return _("Weight histograms");
    case GS_HIST_GRAD: return _("Weight-gradient histograms");
    case GS_HIST_ACT: return _("Activation histograms");
    case GS_HIST_SIGNAL: return _("Backprop-signal histograms");
    case GS_N_HIST_KINDS:
    default: break;
    }
  return _("Histograms");
}

/* The most layers any of the runs drawn has (at least 1). */
guint
_gs_max_layers (GsPlotCtx *ctx)
{
  guint n = 1;

  for (guint r = 0; r < ctx->n_runs; r++)
    n = MAX (n, gs_record_n_layers (ctx->runs[r]));
  return n;
}
