/* gs-figure-view.c: one live figure, drawn by the plot library.
 *
 * The widget keeps references to the records it was given and redraws only
 * when it gets new ones (gs_figure_view_set_runs(), at most 10 times a
 * second while training); there is no timer. Drawing goes through
 * gs_plot_render(), the same function the exporter uses.
 */
#define G_LOG_DOMAIN "gs-figure-view"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-figure-view.h"

struct _GsFigureView
{
  GtkWidget parent_instance;

  GsFigure     figure;
  GPtrArray   *runs; /* of GsRecord, ref'd */
  gboolean     presentation;
  GsHistKind   hist_kind;
  guint        cursor_step; /* 0 = latest */
  GsColorScale color_scale;
  double       color_lo, color_hi;
};

G_DEFINE_FINAL_TYPE (GsFigureView, gs_figure_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_FIGURE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static gboolean
is_dark (GsFigureView *self)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  gboolean     dark = FALSE;

  g_object_get (settings, "gtk-application-prefer-dark-theme", &dark, NULL);
  return dark;
}

static void
snapshot_placeholder (GsFigureView *self, GtkSnapshot *snapshot, int width, int height)
{
  g_autoptr (PangoLayout) layout = NULL;
  int     text_w, text_h;
  GdkRGBA color;

  layout
      = gtk_widget_create_pango_layout (GTK_WIDGET (self), _ ("Press Start to train, or open a saved run"));
  pango_layout_get_pixel_size (layout, &text_w, &text_h);
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  color.alpha *= 0.55f;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((width - text_w) / 2.f, (height - text_h) / 2.f));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
gs_figure_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GsFigureView *self = GS_FIGURE_VIEW (widget);
  int           width = gtk_widget_get_width (widget);
  int           height = gtk_widget_get_height (widget);
  GsPlotStyle   style;
  cairo_t      *cr;

  if (width <= 0 || height <= 0)
    return;
  if (self->runs->len == 0)
    {
      snapshot_placeholder (self, snapshot, width, height);
      return;
    }

  gs_figure_view_get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gs_plot_render (self->figure, (GsRecord *const *) self->runs->pdata, self->runs->len, cr, width, height,
                  &style);
  cairo_destroy (cr);
}

static gboolean
on_query_tooltip (GsFigureView *self, int x, int y, gboolean keyboard_mode, GtkTooltip *tooltip)
{
  g_autofree char *text = NULL;

  if (keyboard_mode)
    return FALSE;
  text = gs_figure_view_describe_at (self, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
gs_figure_view_finalize (GObject *object)
{
  GsFigureView *self = GS_FIGURE_VIEW (object);

  g_ptr_array_unref (self->runs);

  G_OBJECT_CLASS (gs_figure_view_parent_class)->finalize (object);
}

static void
gs_figure_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GsFigureView *self = GS_FIGURE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FIGURE:
      g_value_set_enum (value, self->figure);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_figure_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GsFigureView *self = GS_FIGURE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FIGURE:
      self->figure = g_value_get_enum (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_figure_view_class_init (GsFigureViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gs_figure_view_finalize;
  object_class->get_property = gs_figure_view_get_property;
  object_class->set_property = gs_figure_view_set_property;

  widget_class->snapshot = gs_figure_view_snapshot;

  properties[PROP_FIGURE]
      = g_param_spec_enum ("figure", NULL, NULL, GS_TYPE_FIGURE, GS_FIGURE_HEATMAP,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* glib-mkenums nicks the values after their identifiers; the .ui files
   * name figures as gs_figure_name() does. */
  GEnumClass *figures = g_type_class_ref (GS_TYPE_FIGURE);
  for (guint f = 0; f < GS_N_FIGURES; f++)
    g_assert (g_str_equal (g_enum_get_value (figures, f)->value_nick, gs_figure_name (f)));
  g_type_class_unref (figures);

  gtk_widget_class_set_css_name (widget_class, "figureview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_figure_view_init (GsFigureView *self)
{
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) gs_record_unref);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

GsFigure
gs_figure_view_get_figure (GsFigureView *self)
{
  g_return_val_if_fail (GS_IS_FIGURE_VIEW (self), GS_FIGURE_HEATMAP);
  return self->figure;
}

/* Takes a reference on each record; redraws once. */
void
gs_figure_view_set_runs (GsFigureView *self, GsRecord *const *runs, guint n_runs)
{
  g_return_if_fail (GS_IS_FIGURE_VIEW (self));

  g_ptr_array_set_size (self->runs, 0);
  for (guint i = 0; i < n_runs; i++)
    g_ptr_array_add (self->runs, gs_record_ref (runs[i]));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gs_figure_view_set_presentation (GsFigureView *self, gboolean presentation)
{
  g_return_if_fail (GS_IS_FIGURE_VIEW (self));

  if (self->presentation == !!presentation)
    return;
  self->presentation = !!presentation;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gs_figure_view_get_style (GsFigureView *self, GsPlotStyle *style)
{
  g_return_if_fail (GS_IS_FIGURE_VIEW (self));
  gs_plot_style_init (style, is_dark (self), self->presentation);
  style->hist_kind = self->hist_kind;
  style->cursor_step = self->cursor_step;
  style->color_scale = self->color_scale;
  style->color_lo = self->color_lo;
  style->color_hi = self->color_hi;
}

/* The colour range of style (gs_plot_style_set_color_range()): ABSOLUTE
 * (the default, the same colours for every run), FITTED to the runs shown,
 * or CUSTOM lo..hi. */
void
gs_figure_view_set_color_range (GsFigureView *self, const GsPlotStyle *style)
{
  g_return_if_fail (GS_IS_FIGURE_VIEW (self));

  self->color_scale = style->color_scale;
  self->color_lo = style->color_lo;
  self->color_hi = style->color_hi;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Shows the state at this step (0 = the latest). */
void
gs_figure_view_set_cursor_step (GsFigureView *self, guint step)
{
  g_return_if_fail (GS_IS_FIGURE_VIEW (self));

  if (self->cursor_step == step)
    return;
  self->cursor_step = step;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gs_figure_view_set_hist_kind (GsFigureView *self, GsHistKind kind)
{
  g_return_if_fail (GS_IS_FIGURE_VIEW (self));
  g_return_if_fail (kind < GS_N_HIST_KINDS);

  if (self->hist_kind == kind)
    return;
  self->hist_kind = kind;
  if (self->figure == GS_FIGURE_HISTOGRAMS || self->figure == GS_FIGURE_DASHBOARD)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

GsHistKind
gs_figure_view_get_hist_kind (GsFigureView *self)
{
  g_return_val_if_fail (GS_IS_FIGURE_VIEW (self), GS_HIST_WEIGHT);
  return self->hist_kind;
}

/* NULL when the figure on screen is whole at the widget's size (see
 * gs_plot_check_layout()), else what is wrong. */
char *
gs_figure_view_check_layout (GsFigureView *self)
{
  GsPlotStyle style;

  g_return_val_if_fail (GS_IS_FIGURE_VIEW (self), NULL);

  gs_figure_view_get_style (self, &style);
  return gs_plot_check_layout (self->figure, (GsRecord *const *) self->runs->pdata, self->runs->len,
                               gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)), &style);
}

/* What is drawn under (x, y) in widget coordinates, e.g. "layer 1 · step
 * 120 · ‖∂L/∂W‖₂ = 3.2e-05"; NULL where there is no data. */
char *
gs_figure_view_describe_at (GsFigureView *self, double x, double y)
{
  GsPlotStyle style;
  char       *text;

  g_return_val_if_fail (GS_IS_FIGURE_VIEW (self), NULL);

  if (self->runs->len == 0)
    return NULL;
  gs_figure_view_get_style (self, &style);
  text = gs_plot_describe_at (self->figure, (GsRecord *const *) self->runs->pdata, self->runs->len,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)), &style, x, y);
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}
