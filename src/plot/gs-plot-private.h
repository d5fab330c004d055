/* gs-plot-private.h: what the figure files share inside src/plot.
 *
 * A figure is drawn in three steps: lay out panels (margins from measured
 * text), draw data into each panel's plot rectangle, draw axes on top. The
 * same code answers hover queries: with ctx->query set, nothing heavy is
 * drawn and the panel under (qx, qy) writes ctx->answer.
 */
#pragma once

/* Figure texts are translated in the "gradscope" domain (config.h), with
 * g_dgettext: the CLI binds the domain without calling textdomain(). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include "gs-plot.h"

G_BEGIN_DECLS

typedef struct
{
  double x, y, w, h;
} GsRect;

typedef enum
{
  GS_TEXT_TICK,
  GS_TEXT_LABEL,
  GS_TEXT_TITLE,
  GS_N_TEXT_ROLES
} GsTextRole;

typedef struct
{
  cairo_t              *cr;
  const GsPlotStyle    *style;
  GsRecord *const      *runs;
  guint                 n_runs;
  PangoLayout          *layout; /* reused for every text */
  PangoFontDescription *fonts[GS_N_TEXT_ROLES];
  double                line_h[GS_N_TEXT_ROLES]; /* px: height of one line of text */
  double                pad;                     /* px: the basic gap, follows font size */
  double                type_k;                  /* type size: this times the style's */
  gboolean              vector;                  /* SVG/PDF/recording target */
  GString              *svg_text;                /* non-NULL: text goes to <text> elements */
  GArray               *text_boxes;              /* non-NULL: every text's GsRect (tests) */
  GArray               *panels;                  /* non-NULL: every panel drawn, GsPanelBox (tests) */
  GPtrArray            *cut_texts;               /* non-NULL: every text shortened or dropped (tests) */
  gboolean              query;                   /* describe_at: hit-test only */
  double                qx, qy;
  char                 *answer;
} GsPlotCtx;

/* A figure (gs-plot-heatmap.c ...): draws into area, its title included
 * when with_title. */
typedef void (*GsFigureFunc) (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);

/* What the layout placed, for tests: a panel's plot rectangle and what its
 * axes carry. */
typedef struct
{
  GsRect   plot;
  gboolean labels;                   /* ticks and axis labels drawn (not given up for room) */
  guint    n_xticks, n_yticks;       /* tick labels drawn */
  gboolean want_xticks, want_yticks; /* the panel has ticks on that axis at all */
  gboolean xlabel, ylabel;           /* the panel has that axis label */
} GsPanelBox;

/* gs-plot.c: for tests, the boxes (GsRect, user space) of all text drawn,
 * the panels (GsPanelBox) and the texts cut short (char *); any may be
 * NULL. */
void _gs_plot_render_layout (GsFigure           fig,
                             GsRecord *const   *runs,
                             guint              n_runs,
                             double             width,
                             double             height,
                             const GsPlotStyle *style,
                             GArray            *boxes,
                             GArray            *panels,
                             GPtrArray         *cut_texts);
/* gs-plot.c: for tests, the boxes (GsRect, user space) of all text drawn. */
void _gs_plot_render_text_boxes (GsFigure           fig,
                                 GsRecord *const   *runs,
                                 guint              n_runs,
                                 double             width,
                                 double             height,
                                 const GsPlotStyle *style,
                                 GArray            *boxes);

/* gs-plot-text.c: the context, text and hover answers */
void
_gs_ctx_init (GsPlotCtx *ctx, cairo_t *cr, const GsPlotStyle *style, GsRecord *const *runs, guint n_runs);
void _gs_ctx_clear (GsPlotCtx *ctx);
/* Type k times the style's size (fonts, line heights, padding). */
void _gs_ctx_scale_type (GsPlotCtx *ctx, double k);
/* The first answer given is kept; text is taken. */
void _gs_answer (GsPlotCtx *ctx, char *text);
/* Run r's line of an answer in s; then _gs_answer_lines() answers with s. */
void _gs_answer_line (GsPlotCtx *ctx, GString *s, guint r);
void _gs_answer_lines (GsPlotCtx *ctx, GString *s);
void _gs_text_size (GsPlotCtx *ctx, GsTextRole role, const char *text, double *w, double *h);
/* Anchors ax, ay in 0..1 of the text box (0, 0 = top left). */
void _gs_text (GsPlotCtx    *ctx,
               GsTextRole    role,
               const char   *text,
               double        x,
               double        y,
               double        ax,
               double        ay,
               const GsRgba *c);
/* Rotated 90 degrees counter-clockwise, centred on (cx, cy). */
void
_gs_text_vertical (GsPlotCtx *ctx, GsTextRole role, const char *text, double cx, double cy, const GsRgba *c);
/* Shortened with an ellipsis to fit max_w; returns FALSE if nothing fits. */
gboolean _gs_text_fit (GsPlotCtx    *ctx,
                       GsTextRole    role,
                       const char   *text,
                       double        x,
                       double        y,
                       double        max_w,
                       double        ax,
                       double        ay,
                       const GsRgba *c);

char *_gs_text_ellipsize (GsPlotCtx *ctx, GsTextRole role, const char *text, double max_w);

/* gs-plot-colormap.c */
void    _gs_viridis (double t, double rgb[3]);
guint32 _gs_viridis_argb (double t);
void    _gs_diverging (double t, double rgb[3]); /* t in -1..1 */
guint32 _gs_diverging_argb (double t);
void    _gs_layer_color (const GsPlotStyle *style, guint layer, guint n_layers, GsRgba *out);
void    _gs_run_color (const GsPlotStyle *style, guint run, GsRgba *out);
void    _gs_set_color (cairo_t *cr, const GsRgba *c, double alpha);

/* gs-plot-format.c */
void  _gs_format_decade (int k, char *buf, gsize n);
void  _gs_format_tick (double v, double step, char *buf, gsize n);
char *_gs_format_value (double v);

/* gs-plot-axis.c */
typedef struct
{
  double   lo, hi; /* data range; log10 of the values when log */
  gboolean log;
  gboolean integer; /* ticks at whole numbers only */
  double   p0, p1;  /* user-space positions of lo and hi */
} GsAxis;

#define GS_MAX_TICKS 32
typedef struct
{
  guint  n;
  double v[GS_MAX_TICKS]; /* raw values (10^k on log axes) */
  char   text[GS_MAX_TICKS][32];
  double max_w; /* px: widest label */
} GsTicks;

double _gs_axis_pos (const GsAxis *a, double v);
double _gs_axis_value (const GsAxis *a, double pos);
double _gs_nice_step (double raw);
void   _gs_log_range (double vmin, double vmax, double *lo, double *hi);
void   _gs_axis_ticks (GsPlotCtx *ctx, const GsAxis *a, gboolean horizontal, GsTicks *t);

/* gs-plot-layout.c */
typedef struct
{
  GsRect        outer;       /* given */
  GsRect        plot;        /* computed by _gs_panel_layout */
  GsAxis        x, y;        /* ranges given; positions computed */
  const char   *title;       /* may be NULL */
  const char   *title_short; /* used when the title does not fit (may be NULL) */
  const GsRgba *title_color;
  const char   *xlabel, *ylabel;
  const char   *xlabel_short, *ylabel_short; /* used when the label does not fit */
  gboolean      no_xticks;                   /* e.g. a panel sharing its x axis with the one below */
  gboolean      no_yticks;                   /* e.g. ridgelines: the y axis has no scale */
  gboolean      hide_labels;                 /* set by layout when the panel is too small */
  double        right_reserve;               /* px kept free on the right (colour bar) */
  double        min_left;                    /* px: at least this left margin (aligns stacked panels) */
  GsTicks       xt, yt;
} GsPanel;

gboolean _gs_rect_contains (const GsRect *r, double x, double y);
double   _gs_figure_header (GsPlotCtx *ctx, const GsRect *area, const char *title);
/* Draws a figure title when with_title and shrinks body by its height. */
void
_gs_titled_body (GsPlotCtx *ctx, const GsRect *area, gboolean with_title, const char *title, GsRect *body);
void     _gs_split_cols (const GsRect *r, guint n, double gap, guint i, GsRect *out);
void     _gs_no_data (GsPlotCtx *ctx, const GsRect *r, const char *what);
gboolean _gs_panel_layout (GsPlotCtx *ctx, GsPanel *p);
void     _gs_align_panels (GsPlotCtx *ctx, GsPanel *a, GsPanel *b);
void     _gs_panel_frame (GsPlotCtx *ctx, const GsPanel *p);
/* cairo_save () and a clip to the plot rectangle; the caller restores. */
void _gs_panel_clip (GsPlotCtx *ctx, const GsPanel *p);
void _gs_panel_axes (GsPlotCtx *ctx, const GsPanel *p);

/* gs-plot-runs.c */
char *_gs_run_name (GsRecord *rec);
char *_gs_run_label (GsPlotCtx *ctx, guint r);
char *_gs_title_suffix (GsPlotCtx *ctx);
guint _gs_cursor_column (GsRecord *rec, guint cursor_step);
guint _gs_cursor_step (GsRecord *rec, guint cursor_step);
float _gs_probe_at (GsRecord *rec, GsProbe probe, guint layer, guint cursor_step);
guint _gs_max_layers (GsPlotCtx *ctx);
#define GS_MAX_PICKED_LAYERS 6
/* Up to max hidden layers (0 .. n_hidden-1) spread from input to top, the
 * first and the top one always among them. Returns how many. */
guint _gs_pick_layers (guint n_hidden, guint max, guint *out);
/* The histogram checkpoint taken at step 1 (at initialisation), or -1. */
int         _gs_init_checkpoint (GsRecord *rec);
const char *_gs_hist_kind_label (GsHistKind kind);
const char *_gs_hist_kind_title (GsHistKind kind);

/* gs-plot-legend.c */
typedef enum
{
  GS_CORNER_TOP_LEFT,
  GS_CORNER_TOP_RIGHT,
  GS_CORNER_BOTTOM_RIGHT
} GsCorner;
void _gs_legend (GsPlotCtx         *ctx,
                 const GsRect      *plot,
                 const char *const *names,
                 const GsRgba      *colors,
                 const double      *dashes,
                 guint              n,
                 GsCorner           corner);
/* The key of the first run's picked layers, at the top of body; body
 * shrinks below it. */
void _gs_layer_key_above (GsPlotCtx *ctx, GsRect *body);

/* A one-line (wrapping) key of what a figure draws, above its panels. */
typedef enum
{
  GS_KEY_BAR,  /* a filled block */
  GS_KEY_TICK, /* a short vertical stroke */
  GS_KEY_ZERO, /* the open square of exact zeros */
  GS_KEY_LINE,
  GS_KEY_DASH,
  GS_KEY_DOT, /* a dotted line, as the test accuracy's */
} GsKeyKind;

typedef struct
{
  const char *text, *brief; /* brief: when the key is short of room (may be NULL) */
  GsKeyKind   kind;
  GsRgba      color;
} GsKeyItem;

/* Draws the items in rows at the top of r, wrapped to its width, in at most
 * a fifth of its height: the full texts in up to two rows, else the brief
 * ones; returns the height taken (0 when it does not fit). */
double _gs_key_rows (GsPlotCtx *ctx, const GsRect *r, const GsKeyItem *items, guint n);

/* gs-plot-series.c */
/* A series of n_show stored columns as a path, averaged down to the plot
 * width; x of column c is its mid step times x_scale; NaN breaks the line. */
void _gs_series_path (GsPlotCtx     *ctx,
                      const GsPanel *p,
                      const float   *s,
                      guint          n_show,
                      guint          stride,
                      double         x_scale,
                      double         y_scale);
void _gs_markers (GsPlotCtx *ctx, double x, double y, double r, gboolean square);
/* A line through (x[i], y[i]), broken where y is not finite; dashed when
 * dash > 0. */
void _gs_polyline (
    GsPlotCtx *ctx, const double *x, const double *y, guint n, double dash, const GsRgba *c, double alpha);
/* A filled marker at every finite point. */
void _gs_point_marks (
    GsPlotCtx *ctx, const double *x, const double *y, guint n, double r, gboolean square, const GsRgba *c);

/* gs-plot-heat.c: the layer x step image of the heatmap and activations */
typedef enum
{
  GS_HEAT_LOG,       /* magnitudes, viridis on a log scale */
  GS_HEAT_DIVERGING, /* signed values, range symmetric around zero */
  GS_HEAT_REDS,      /* 0..hi, white to red (e.g. the saturated fraction) */
  GS_HEAT_BLUES,     /* 0..hi, white to blue (e.g. the activations' spread) */
} GsHeatMap;

typedef struct
{
  GsProbe     probe;
  GsHeatMap   map;
  double      factor;                        /* values are shown times this (0: 1), e.g. 100 for % */
  gboolean    hidden_only;                   /* no row for the output layer (it has no activation) */
  double      lo, hi;                        /* colour range: log10 for magnitudes */
  gboolean    fixed;                         /* the style's absolute or custom range, not fitted */
  gboolean    has_under, has_over, has_zero; /* some value below, above the range; exactly 0 */
  gboolean    has_gap;                       /* some shown value is NaN or Inf */
  gboolean    has_idle;                      /* some layer is frozen or not yet added (layer-wise) */
  const char *bar_label, *bar_label_short;
  const char *quantity; /* for tooltips, e.g. "‖∂L/∂W‖₂" */
} GsHeatSpec;

void _gs_heat_range (GsPlotCtx *ctx, GsHeatSpec *spec);
void _gs_heat_panel_init (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, GsPanel *p);
/* gs-plot-colormap.c: a linear map's colour at t (-1..1; 0..1 for REDS and
 * BLUES), and any map's at t01 along its colour bar. */
guint32 _gs_heat_map_argb (const GsHeatSpec *spec, double t);
void    _gs_heat_map_rgb (const GsHeatSpec *spec, double t01, double rgb[3]);
/* The rows drawn: every layer, or the hidden ones. */
guint _gs_heat_rows (GsRecord *rec, const GsHeatSpec *spec);
void  _gs_heat_draw (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, const GsPanel *p);
void  _gs_heat_query (GsPlotCtx *ctx, GsRecord *rec, const GsHeatSpec *spec, const GsPanel *p);
/* Activation probes (the forward pass), not gradient ones. */
gboolean _gs_probe_forward (GsProbe probe);
/* The flat colour of idle cells (layers frozen or not added yet). */
guint32 _gs_heat_idle_argb (GsPlotCtx *ctx);
void    _gs_heat_hatch (GsPlotCtx *ctx, const GsRect *r);
/* which < 0: below the range, > 0: above it, 0: exactly zero. */
guint32 _gs_heat_end_argb (int which);

/* gs-plot-marks.c */
/* A heat panel's marks on its step axis: epochs, phases, interventions,
 * divergence and the cursor; labelled, or lines only (the lower of two
 * stacked panels). */
void _gs_heat_marks (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p, gboolean labelled);
/* A time line's marks, x = per_step * (step - 1): the phases and the
 * interventions, labelled on request. */
void _gs_phase_marks (GsPlotCtx *ctx, GsRecord *rec, const GsPanel *p, double per_step, gboolean labelled);

/* gs-plot-colorbar.c */
double _gs_colorbar_width (GsPlotCtx *ctx, const GsHeatSpec *spec);
void   _gs_colorbar (GsPlotCtx *ctx, const GsHeatSpec *spec, const GsRect *r);

/* gs-plot-shrink.c: the factors of one run at the cursor, per Linear layer
 * (input side first, the head last). act = ‖f′⊙δ̃‖/‖δ̃‖, norm = the
 * gradient-signal standardisation and the normalisation's backward,
 * weights = ‖Wᵀ∂L/∂z‖/‖∂L/∂z‖, skip = what skip paths add; crossing is
 * their product (the lowest trained layer's ends at ∂L/∂z), reach =
 * ‖∂L/∂z‖/‖∂L/∂logits‖ as the product of the factors above. NaN: not
 * measured. Returns the layers filled (all of the run's). */
typedef struct
{
  double act, norm, weights, skip, crossing, reach;
} GsShrinkRow;
guint _gs_shrink_rows (GsRecord *rec, guint cursor_step, GsShrinkRow *rows);

/* gs-plot-csv.c: the table behind a figure, CSV text (newly allocated). */
char *_gs_plot_csv (GsFigure fig, GsRecord *const *runs, guint n_runs, const GsPlotStyle *style);

/* The figures, one file each (GsFigureFunc). */
void _gs_plot_heatmap (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_histograms (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_gradnorm (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_activations (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_curves (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_dashboard (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_bands (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_init_hist (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_signal_init (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);
void _gs_plot_shrink (GsPlotCtx *ctx, const GsRect *area, gboolean with_title);

G_END_DECLS
