/* gs-plot.h: Gradscope's figures, drawn on any cairo_t.
 *
 * The on-screen widgets and the exporters call the same gs_plot_render():
 * what is seen is what is exported. User units are pixels at 96 dpi; font
 * sizes in the style are points at that resolution.
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "gs-record.h"

G_BEGIN_DECLS

/* The one list of figure names: the window's tabs, `gradscope-cli export
 * --figure`, D-Bus app.show-figure and the lessons all use them. The app's
 * GS_TYPE_FIGURE is made from this enum by glib-mkenums (src/app/meson.build),
 * so the nicks ("heatmap", "norms", "at-init") follow the identifiers and
 * gs_figure_name() must give the same (the figure view asserts it). */
typedef enum
{
  GS_FIGURE_HEATMAP,     /* ||dL/dW||_2, layer x step, log colour scale */
  GS_FIGURE_HISTOGRAMS,  /* per-layer histograms over time (style->hist_kind) */
  GS_FIGURE_NORMS,       /* ||dL/dW||_2 per layer at one step, log axis (was "gradnorm") */
  GS_FIGURE_ACTIVATIONS, /* saturation over time; mean +- std per layer */
  GS_FIGURE_CURVES,      /* loss and accuracy per epoch */
  GS_FIGURE_DASHBOARD,   /* the main figures on one page */
  GS_FIGURE_PERCENTILES, /* per-layer percentile bands over training (was "bands") */
  GS_FIGURE_INIT_HIST,   /* step-1 histograms overlaid by layer (Glorot & Bengio 6-7) */
  GS_FIGURE_AT_INIT,     /* activation std and gradient per layer at step 1 (was "signal-init") */
  GS_FIGURE_SHRINK,      /* why the gradient shrinks: per-layer factors of the backward signal */
  GS_N_FIGURES           /*< skip >*/
} GsFigure;

const char *gs_figure_name (GsFigure f);
/* A human title, e.g. "Gradient heatmap", translated. */
const char *gs_figure_title (GsFigure f);
/* Also takes the old names "gradnorm", "bands" and "signal-init" (saved
 * settings, scripts, lessons), in any case. */
gboolean gs_figure_from_name (const char *name, GsFigure *out);
/* "heatmap, norms, ...": every name, in the order of the window's tabs. */
char *gs_figure_list (void);

#define GS_PLOT_ERROR (gs_plot_error_quark ())
typedef enum /*< skip >*/
{
  GS_PLOT_ERROR_FORMAT, /* unknown format name */
  GS_PLOT_ERROR_SIZE,   /* width, height or dpi out of range */
  GS_PLOT_ERROR_WRITE,  /* the file could not be written */
} GsPlotError;
GQuark gs_plot_error_quark (void);

typedef struct
{
  double r, g, b, a;
} GsRgba;

/* How the gradient heatmap maps magnitudes to colours. ABSOLUTE (the
 * default): one fixed range for every run and export, so a colour means the
 * same value everywhere; FITTED: the range of the runs drawn (all their
 * steps, so it holds still while scrubbing); CUSTOM: color_lo..color_hi.
 * Values outside the range get the end colours of the colour bar's
 * triangles; exact zeros their own keyed colour. */
typedef enum /*< skip >*/
{
  GS_COLOR_SCALE_ABSOLUTE,
  GS_COLOR_SCALE_FITTED,
  GS_COLOR_SCALE_CUSTOM,
} GsColorScale;

#define GS_COLOR_ABSOLUTE_LO 1e-8
#define GS_COLOR_ABSOLUTE_HI 1e1

typedef struct
{
  gboolean     dark;
  gboolean     presentation;
  char         font_family[64]; /* pango family list, e.g. "Cantarell, DejaVu Sans" */
  double       font_size;       /* pt: tick labels, legends */
  double       label_size;      /* pt: axis labels */
  double       title_size;      /* pt: figure and panel titles */
  double       line_width;      /* px: data lines */
  double       axis_width;      /* px: axes and ticks */
  GsRgba       background;
  GsRgba       foreground; /* text, axes */
  GsRgba       muted;      /* secondary text, faint reference lines */
  GsRgba       grid;
  gboolean     fill_background; /* FALSE: leave the surface transparent */
  GsHistKind   hist_kind;       /* what the histograms figure shows */
  guint        cursor_step;     /* 0 = latest; else show the state at this step */
  GsColorScale color_scale;
  double       color_lo, color_hi; /* CUSTOM: magnitudes, 0 < lo < hi */
} GsPlotStyle;

void gs_plot_style_init (GsPlotStyle *s, gboolean dark, gboolean presentation);
/* "absolute", "fit" or "LO:HI" (e.g. "1e-6:1") into s's colour scale; the
 * error names what is wrong (prefixed with what, e.g. "--color-range"). */
gboolean gs_plot_style_set_color_range (GsPlotStyle *s, const char *what, const char *text, GError **error);

/* Draws the figure for 1..n runs (side by side or overlaid, one shared
 * colour scale) into the box (0, 0, width, height) of cr's user space. */
void gs_plot_render (GsFigure           fig,
                     GsRecord *const   *runs,
                     guint              n_runs,
                     cairo_t           *cr,
                     double             width,
                     double             height,
                     const GsPlotStyle *style);

/* format "png" | "svg" | "pdf" | "csv" (the figure's numbers, a tidy
 * table; size and dpi are then not used). PNG is width_px x height_px with pHYs
 * metadata for dpi; SVG/PDF pages are width_px x height_px at dpi. Text is
 * laid out for the physical size, so 1050 x 750 px at 300 dpi is a 3.5 in
 * paper-column figure with 9 pt text. The error names the path. */
gboolean gs_plot_export (GsFigure           fig,
                         GsRecord *const   *runs,
                         guint              n_runs,
                         const char        *format,
                         const char        *path,
                         int                width_px,
                         int                height_px,
                         double             dpi,
                         const GsPlotStyle *style,
                         GError           **error);

/* For hover tooltips: describes the value under (x, y) of a figure drawn
 * with gs_plot_render() at width x height, e.g.
 * "layer 1 · step 120 · ‖∂L/∂W‖₂ = 3.2e-05"; NULL if nothing is there. */
char *gs_plot_describe_at (GsFigure           fig,
                           GsRecord *const   *runs,
                           guint              n_runs,
                           double             width,
                           double             height,
                           const GsPlotStyle *style,
                           double             x,
                           double             y);

/* NULL when the figure drawn at width x height is whole: every panel it has
 * on a 3840 x 2160 page, each with its ticks and labels, and no text cut,
 * overlapping or off the page; else what is wrong (for tests and the
 * class rehearsal; untranslated). */
char *gs_plot_check_layout (GsFigure           fig,
                            GsRecord *const   *runs,
                            guint              n_runs,
                            double             width,
                            double             height,
                            const GsPlotStyle *style);

G_END_DECLS
