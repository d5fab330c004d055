/* gs-plot-papers.c: what the bands, init-hist and signal-init figures share. */
#include <math.h>

#include "gs-plot-papers.h"

guint
_gs_pick_layers (guint n_hidden, guint max, guint *out)
{
  guint n = MIN (n_hidden, max);

  for (guint i = 0; i < n; i++)
    out[i] = n == 1 ? n_hidden - 1 : i * (n_hidden - 1) / (n - 1);
  return n;
}

int
_gs_init_checkpoint (GsRecord *rec)
{
  if (gs_record_n_checkpoints (rec) == 0 || gs_record_checkpoint_step (rec, 0) != 1)
    return -1;
  return 0;
}

double
_gs_layer_key_row (GsPlotCtx *ctx, const GsRect *r, const guint *layers, guint n,
                   guint n_layers)
{
  double row = ctx->line_h[GS_TEXT_TICK] * 1.3, sample = ctx->line_h[GS_TEXT_TICK] * 1.2;
  double gap = ctx->pad, w, h, total = 0;
  char text[GS_PAPERS_MAX_LAYERS][64];

  n = MIN (n, GS_PAPERS_MAX_LAYERS);
  for (guint i = 0; i < n; i++)
    {
      g_snprintf (text[i], sizeof text[i], _("layer %u"), layers[i] + 1);
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
      _gs_text (ctx, GS_TEXT_TICK, text[i], x + sample + gap * 0.4, y, 0, 0.5,
                &ctx->style->foreground);
      x += sample + gap * 0.4 + w + gap * 1.2;
    }
  return row;
}

void
_gs_titled_body (GsPlotCtx *ctx, const GsRect *area, gboolean with_title,
                 const char *title, GsRect *body)
{
  *body = *area;
  if (!with_title)
    return;
  g_autofree char *name = _gs_title_suffix (ctx);
  g_autofree char *full = g_strconcat (title, name ? " — " : "", name, NULL);
  double h = _gs_figure_header (ctx, area, full);
  body->y += h;
  body->h -= h;
}

/* The layer key row at the top of body (first run's layers), body shrunk
 * below it. */
void
_gs_papers_key_above (GsPlotCtx *ctx, GsRect *body)
{
  GsRecord *rec;
  guint layers[GS_PAPERS_MAX_LAYERS], nl;
  double h;

  if (ctx->n_runs == 0)
    return;
  rec = ctx->runs[0];
  nl = _gs_pick_layers (gs_record_n_layers (rec) - 1, GS_PAPERS_MAX_LAYERS, layers);
  h = _gs_layer_key_row (ctx, body, layers, nl, gs_record_n_layers (rec));
  body->y += h, body->h -= h;
}
