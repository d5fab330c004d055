/* gs-window-actions.c: the window's win.* actions and their keys.
 *
 * Actions without a parameter are one table, each a function of the
 * window; the paused, presentation, sidebar, lesson and fullscreen
 * toggles are property actions. Which actions are enabled is decided in
 * one place, _gs_window_update_actions(), called whenever what it reads
 * changes.
 */
#define G_LOG_DOMAIN "gs-window-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-window-private.h"

static void
start_or_pause (GsWindow *self)
{
  if (self->current != NULL)
    gs_window_set_paused (self, !self->paused);
  else
    gs_window_start (self);
}

static void
run_again (GsWindow *self)
{
  GsRun *run = _gs_window_get_single_shown_run (self);

  if (run != NULL)
    _gs_window_run_again (self, run);
}

static void
cancel_pair (GsWindow *self)
{
  _gs_window_set_pair_run (self, NULL);
}

static void
undo_delete (GsWindow *self)
{
  gs_run_list_undo_delete (self->run_list);
}

static const struct
{
  const char *name;
  void (*activate) (GsWindow *self);
} simple_actions[] = {
  { "win.start", gs_window_start },
  { "win.stop", gs_window_stop },
  { "win.start-or-pause", start_or_pause },
  { "win.open", _gs_window_choose_open },
  { "win.save", _gs_window_choose_save },
  { "win.export", _gs_window_choose_export },
  { "win.export-data", _gs_window_choose_export_data },
  { "win.choose-data", _gs_window_choose_data },
  { "win.dismiss-banner", _gs_window_hide_banner },
  { "win.run-again", run_again },
  { "win.lesson-next", _gs_window_lesson_next },
  { "win.lesson-previous", _gs_window_lesson_previous },
  { "win.cancel-pair", cancel_pair },
  { "win.undo-delete", undo_delete },
};

static void
simple_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  for (guint i = 0; i < G_N_ELEMENTS (simple_actions); i++)
    if (g_str_equal (simple_actions[i].name, action_name))
      simple_actions[i].activate (GS_WINDOW (widget));
}

static void
timeline_move_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GsWindow *self = GS_WINDOW (widget);
  int       move = g_variant_get_int32 (param);

  if (move == G_MININT32)
    gs_timeline_set_step (self->timeline, 1);
  else if (move == G_MAXINT32)
    gs_timeline_set_step (self->timeline, 0);
  else
    gs_timeline_move (self->timeline, move);
}

static void
delete_run_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GsRun    *run = gs_window_get_run (self, g_variant_get_uint32 (param));

  if (run != NULL)
    gs_window_delete_run (self, run);
}

void
_gs_window_update_actions (GsWindow *self)
{
  gboolean active = self->current != NULL;
  gboolean stopping = active && gs_run_is_stopping (self->current);
  gboolean valid = gs_config_panel_get_valid (self->config_panel);
  gboolean have_data = self->data != NULL || self->data_cancellable != NULL;
  g_autoptr (GPtrArray) shown = _gs_window_dup_shown_runs (self);
  GsRun   *single = shown->len == 1 ? g_ptr_array_index (shown, 0) : NULL;
  gboolean one_done = single != NULL && !gs_run_is_active (single) && gs_run_get_record (single) != NULL;

  const char *problem = gs_config_panel_get_problem (self->config_panel);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", !active && valid && have_data);
  gtk_widget_set_tooltip_text (
      self->start_button, problem != NULL ? problem : _ ("Train the Network Set Up in the Sidebar (Space)"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", active && !stopping);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", active && !stopping);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-or-pause", active || (valid && have_data));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", one_done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-again", one_done && !active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-pair", self->pair_run != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.timeline-move", shown->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lesson-next",
                                 self->lesson_active
                                     && gs_lesson_get_index (self->lesson) + 1 < gs_lesson_get_n_steps ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lesson-previous",
                                 self->lesson_active && gs_lesson_get_index (self->lesson) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", shown->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-data", shown->len > 0);
}

static void
add_key_bindings (GtkWidgetClass *widget_class)
{
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.start-or-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.presentation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.sidebar", NULL);
  /* Reached only when the focused widget does not use the key itself. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "win.timeline-move", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "win.timeline-move", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_SHIFT_MASK, "win.timeline-move", "i",
                                       -10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_SHIFT_MASK, "win.timeline-move", "i",
                                       10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "win.timeline-move", "i", G_MININT32);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "win.timeline-move", "i", G_MAXINT32);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run-again", NULL);
  /* Presentation clickers send Page Down / Page Up. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "win.lesson-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "win.lesson-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, GDK_CONTROL_MASK, "win.lesson", NULL);
}

void
_gs_window_class_init_actions (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (simple_actions); i++)
    gtk_widget_class_install_action (widget_class, simple_actions[i].name, NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.delete-run", "u", delete_run_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-move", "i", timeline_move_action);
  gtk_widget_class_install_property_action (widget_class, "win.pause", "paused");
  gtk_widget_class_install_property_action (widget_class, "win.lesson", "lesson");
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_install_property_action (widget_class, "win.sidebar", "sidebar-visible");
  _gs_window_class_init_figure_actions (widget_class);
  add_key_bindings (widget_class);
}
