/* gs-plot-papers.h: the figures of the classic papers' settings (bands,
 * init-hist, signal-init) and what they share. Private to src/plot. */
#pragma once

#include "gs-plot-private.h"

G_BEGIN_DECLS

#define GS_PAPERS_MAX_LAYERS 6

/* Up to max hidden layers (0 .. n_hidden-1) spread from input to top, the
 * first and the top one always among them. Returns how many. */
guint   _gs_pick_layers (guint n_hidden, guint max, guint *out);
/* The histogram checkpoint taken at step 1 (at initialisation), or -1. */
int     _gs_init_checkpoint (GsRecord *rec);
/* A one-line key "— layer 1  — layer 3 ..." right-aligned at the top of r;
 * returns the height it takes (0 if it does not fit). */
double  _gs_layer_key_row (GsPlotCtx *ctx, const GsRect *r, const guint *layers,
                           guint n, guint n_layers);
/* Draws a figure title when with_title and shrinks body by its height. */
void    _gs_titled_body (GsPlotCtx *ctx, const GsRect *area, gboolean with_title,
                         const char *title, GsRect *body);

void    _gs_plot_bands (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void    _gs_plot_init_hist (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void    _gs_plot_signal_init (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);

void    _gs_papers_key_above (GsPlotCtx *ctx, GsRect *body);

G_END_DECLS
