/* gs-figure-view.h: one live figure, drawn by the plot library. */
#pragma once

#include <gtk/gtk.h>
#include "gs-plot.h"
#include "gs-plot-enums.h"

G_BEGIN_DECLS

#define GS_TYPE_FIGURE_VIEW (gs_figure_view_get_type ())
G_DECLARE_FINAL_TYPE (GsFigureView, gs_figure_view, GS, FIGURE_VIEW, GtkWidget)

GsFigure   gs_figure_view_get_figure (GsFigureView *self);
void       gs_figure_view_set_runs (GsFigureView *self, GsRecord *const *runs, guint n_runs);
void       gs_figure_view_set_presentation (GsFigureView *self, gboolean presentation);
void       gs_figure_view_set_hist_kind (GsFigureView *self, GsHistKind kind);
GsHistKind gs_figure_view_get_hist_kind (GsFigureView *self);
char      *gs_figure_view_describe_at (GsFigureView *self, double x, double y);
char      *gs_figure_view_check_layout (GsFigureView *self);
void       gs_figure_view_set_cursor_step (GsFigureView *self, guint step);
void       gs_figure_view_get_style (GsFigureView *self, GsPlotStyle *style);
void       gs_figure_view_set_color_range (GsFigureView *self, const GsPlotStyle *style);

G_END_DECLS
