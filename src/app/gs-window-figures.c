/* gs-window-figures.c: the window's figure stack and the timeline under it.
 *
 * Every figure shows the runs selected in the run list, at the timeline's
 * step; presentation mode enlarges them all and goes full screen.
 */
#define G_LOG_DOMAIN "gs-window-figures"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-window-private.h"

static GsFigureView *
visible_figure (GsWindow *self)
{
  return GS_FIGURE_VIEW (gtk_stack_get_visible_child (self->figure_stack));
}

/* The timeline spans the longest run shown; it follows a live one. */
static void
update_timeline (GsWindow *self, GPtrArray *runs, GPtrArray *records)
{
  guint    n_steps = 0, per_epoch = 1;
  gboolean live = FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      GsRecord *rec = g_ptr_array_index (records, i);
      if (gs_record_n_steps (rec) >= n_steps)
        {
          n_steps = gs_record_n_steps (rec);
          per_epoch = gs_record_steps_per_epoch (rec);
        }
    }
  for (guint i = 0; i < runs->len; i++)
    live |= gs_run_is_active (g_ptr_array_index (runs, i));
  gs_timeline_set_range (self->timeline, n_steps, per_epoch, live);
  gtk_widget_set_visible (GTK_WIDGET (self->timeline), records->len > 0);
}

static void
on_timeline_step (GsWindow *self)
{
  guint step = gs_timeline_get_step (self->timeline);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child))
      gs_figure_view_set_cursor_step (GS_FIGURE_VIEW (child), step);
}

/* The records of these runs that have one (borrowed), in the same order. */
GPtrArray *
_gs_window_dup_records (GPtrArray *runs)
{
  GPtrArray *records = g_ptr_array_new ();

  for (guint i = 0; i < runs->len; i++)
    if (gs_run_get_record (g_ptr_array_index (runs, i)) != NULL)
      g_ptr_array_add (records, gs_run_get_record (g_ptr_array_index (runs, i)));
  return records;
}

void
_gs_window_refresh_figures (GsWindow *self)
{
  g_autoptr (GPtrArray) runs = _gs_window_dup_shown_runs (self);
  g_autoptr (GPtrArray) records = _gs_window_dup_records (runs);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child) && gs_figure_view_get_figure (GS_FIGURE_VIEW (child)) != GS_FIGURE_AT_INIT)
      gs_figure_view_set_runs (GS_FIGURE_VIEW (child), (GsRecord *const *) records->pdata, records->len);
  update_timeline (self, runs, records);
}

static void
on_hist_kind_changed (GsWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child))
      gs_figure_view_set_hist_kind (GS_FIGURE_VIEW (child),
                                    gtk_drop_down_get_selected (self->hist_kind_dropdown));
}

static void
on_visible_figure_changed (GsWindow *self)
{
  GsFigure figure = gs_figure_view_get_figure (visible_figure (self));

  gtk_widget_set_visible (GTK_WIDGET (self->hist_kind_dropdown), figure == GS_FIGURE_HISTOGRAMS);
  g_object_notify (G_OBJECT (self), "figure");
}

void
_gs_window_set_presentation (GsWindow *self, gboolean presentation)
{
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  if (presentation)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
  /* Full screen too, and back only if presentation mode made it so. */
  if (presentation && !gtk_window_is_fullscreen (GTK_WINDOW (self)))
    {
      self->fullscreened_by_presentation = TRUE;
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else if (!presentation && self->fullscreened_by_presentation)
    {
      self->fullscreened_by_presentation = FALSE;
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child))
      gs_figure_view_set_presentation (GS_FIGURE_VIEW (child), presentation);
  g_object_notify (G_OBJECT (self), "presentation");
}

/* A click on a figure takes the keyboard from the sidebar, so Space and
 * the arrows do what the figures' keys say, not what a field would. */
static void
on_figure_pressed (GtkGestureClick *gesture, int n_press, double x, double y, GsWindow *self)
{
  GtkWidget *visible = gtk_stack_get_visible_child (self->figure_stack);

  if (visible != NULL)
    gtk_widget_grab_focus (visible);
}

void
_gs_window_init_figures (GsWindow *self)
{
  GtkGesture *click;

  g_signal_connect_swapped (self->figure_stack, "notify::visible-child",
                            G_CALLBACK (on_visible_figure_changed), self);
  g_signal_connect_swapped (self->hist_kind_dropdown, "notify::selected", G_CALLBACK (on_hist_kind_changed),
                            self);
  g_signal_connect_swapped (self->timeline, "notify::step", G_CALLBACK (on_timeline_step), self);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, TRUE);
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_figure_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->figure_stack), GTK_EVENT_CONTROLLER (click));
  on_visible_figure_changed (self);
}

GsFigureView *
gs_window_get_visible_figure (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return visible_figure (self);
}

/* name: a figure's name as the CLI and D-Bus spell it ("heatmap",
 * "curves", ...; gs_figure_from_name() takes the older names too). */
gboolean
gs_window_show_figure (GsWindow *self, const char *name)
{
  GsFigure figure;

  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);

  if (!gs_figure_from_name (name, &figure))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child) && gs_figure_view_get_figure (GS_FIGURE_VIEW (child)) == figure)
      {
        gtk_stack_set_visible_child (self->figure_stack, child);
        return TRUE;
      }
  return FALSE;
}

/* The name of the figure on screen (gs_figure_name()). */
const char *
gs_window_get_figure_name (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return gs_figure_name (gs_figure_view_get_figure (visible_figure (self)));
}

char *
gs_window_check_layout (GsWindow *self)
{
  GsFigureView    *view;
  g_autofree char *problem = NULL;

  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  view = visible_figure (self);
  problem = gs_figure_view_check_layout (view);
  if (problem == NULL)
    return NULL;
  return g_strdup_printf ("%s at %dx%d: %s", gs_figure_name (gs_figure_view_get_figure (view)),
                          gtk_widget_get_width (GTK_WIDGET (view)), gtk_widget_get_height (GTK_WIDGET (view)),
                          problem);
}

/* The tab at index (from 0), or the one delta tabs away (wrapping). */
void
_gs_window_show_figure_at (GsWindow *self, int index, int delta)
{
  GtkWidget *visible = gtk_stack_get_visible_child (self->figure_stack);
  int        n = 0, at = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child), n++)
    if (child == visible)
      at = n;
  if (n == 0)
    return;
  index = delta != 0 ? ((at + delta) % n + n) % n : index;
  if (index < 0 || index >= n)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (index-- == 0)
      gtk_stack_set_visible_child (self->figure_stack, child);
}


gboolean
_gs_window_set_color_range (GsWindow *self, const char *text, GError **error)
{
  g_autoptr (GError) local = NULL;
  GsPlotStyle style;

  gs_plot_style_init (&style, FALSE, FALSE);
  if (!gs_plot_style_set_color_range (&style, _ ("Colour range"), text, &local))
    {
      if (error == NULL)
        g_warning ("%s", local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GS_IS_FIGURE_VIEW (child))
      gs_figure_view_set_color_range (GS_FIGURE_VIEW (child), &style);
  if (g_strcmp0 (self->color_range, text) != 0)
    {
      g_free (self->color_range);
      self->color_range = g_strdup (text);
      g_object_notify (G_OBJECT (self), "color-range");
    }
  return TRUE;
}

void
_gs_window_class_init_figure_actions (GtkWidgetClass *widget_class)
{
  /* its state is the range: "absolute", "fit" or "LO:HI" */
  gtk_widget_class_install_property_action (widget_class, "win.color-scale", "color-range");
  gtk_widget_class_install_action (widget_class, "win.color-range-dialog", NULL,
                                   _gs_window_color_range_dialog);
}

guint
gs_window_get_timeline_step (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), 0);
  return gs_timeline_get_step (self->timeline);
}

void
gs_window_set_timeline_step (GsWindow *self, guint step)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  gs_timeline_set_step (self->timeline, step);
}

void
gs_window_set_replay (GsWindow *self, gboolean playing, guint steps_per_s)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  if (steps_per_s > 0)
    gs_timeline_set_speed (self->timeline, steps_per_s);
  gs_timeline_set_playing (self->timeline, playing);
}

gboolean
gs_window_get_replaying (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return gs_timeline_get_playing (self->timeline);
}

/* The Colour Range dialog: a range typed by hand, checked as export
 * --color-range checks it; a bad one is said in the dialog, which stays. */
typedef struct
{
  GsWindow *window;
  GtkEntry *lo, *hi;
  GtkLabel *error;
} RangeDialog;

static void
on_range_response (GtkDialog *dialog, int response, RangeDialog *d)
{
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_APPLY)
    {
      g_autofree char *text = g_strdup_printf ("%s:%s", gtk_editable_get_text (GTK_EDITABLE (d->lo)),
                                               gtk_editable_get_text (GTK_EDITABLE (d->hi)));
      if (!_gs_window_set_color_range (d->window, text, &error))
        {
          gtk_label_set_text (d->error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (d->error), TRUE);
          return;
        }
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkEntry *
range_entry (GtkGrid *grid, int row, const char *label, const char *text)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);
  GtkWidget *e = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), e);
  gtk_editable_set_text (GTK_EDITABLE (e), text);
  gtk_entry_set_activates_default (GTK_ENTRY (e), TRUE);
  gtk_grid_attach (grid, l, 0, row, 1, 1);
  gtk_grid_attach (grid, e, 1, row, 1, 1);
  return GTK_ENTRY (e);
}

void
_gs_window_color_range_dialog (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GsWindow    *self = GS_WINDOW (widget);
  RangeDialog *d = g_new0 (RangeDialog, 1);
  g_auto (GStrv) parts = g_strsplit (self->color_range, ":", 2);
  gboolean   custom = g_strv_length (parts) == 2;
  GtkWidget *dialog = gtk_dialog_new_with_buttons (
      _ ("Colour Range"), GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_USE_HEADER_BAR, _ ("_Cancel"),
      GTK_RESPONSE_CANCEL, _ ("_Apply"), GTK_RESPONSE_APPLY, NULL);
  GtkWidget *box = gtk_dialog_get_content_area (GTK_DIALOG (dialog));
  GtkGrid   *grid = GTK_GRID (gtk_grid_new ());
  GtkWidget *intro = gtk_label_new (_ ("The gradient magnitudes ‖∂L/∂W‖₂ the heatmaps’ colours span, the "
                                       "same for every run shown and exported. Values beyond it take "
                                       "the end colours."));

  d->window = self;
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (intro), 40);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 12);
  gtk_box_append (GTK_BOX (box), intro);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (grid));
  gtk_box_set_spacing (GTK_BOX (box), 12);
  gtk_widget_set_margin_start (box, 18), gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 12), gtk_widget_set_margin_bottom (box, 18);
  d->lo = range_entry (grid, 0, _ ("_From"), custom ? parts[0] : "1e-8");
  d->hi = range_entry (grid, 1, _ ("_To"), custom ? parts[1] : "10");
  d->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (d->error, TRUE);
  gtk_label_set_xalign (d->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (d->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (d->error), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (d->error));
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_APPLY);
  g_object_set_data_full (G_OBJECT (dialog), "gs-range", d, g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_range_response), d);
  gtk_window_present (GTK_WINDOW (dialog));
}
