/* gs-window-actions.c: the window's win.* actions and their keys (the
 * class's keys in a capture-phase controller, the others as bindings).
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

static void
next_figure (GsWindow *self)
{
  _gs_window_show_figure_at (self, 0, 1);
}

static void
previous_figure (GsWindow *self)
{
  _gs_window_show_figure_at (self, 0, -1);
}

/* Escape: out of full screen, and out of presentation mode if it made it. */
static void
leave_fullscreen (GsWindow *self)
{
  if (self->presentation && self->fullscreened_by_presentation)
    _gs_window_set_presentation (self, FALSE);
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
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
  { "win.prepare-lesson", _gs_window_prepare_lesson },
  { "win.cancel-prepare", _gs_window_cancel_prepare },
  { "win.lesson-train-step", _gs_window_train_lesson_step },
  { "win.next-figure", next_figure },
  { "win.previous-figure", previous_figure },
  { "win.leave-fullscreen", leave_fullscreen },
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
show_figure_at_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  _gs_window_show_figure_at (GS_WINDOW (widget), g_variant_get_int32 (param), 0);
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.prepare-lesson",
                                 self->preparing == NULL && self->data != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-prepare", self->preparing != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lesson-train-step",
                                 self->lesson_active && !active && have_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-fullscreen",
                                 gtk_window_is_fullscreen (GTK_WINDOW (self)));
}

/* The text the focus is in, if the user is typing: a field of the
 * sidebar or of the lesson panel. */
static GtkWidget *
editing_text (GsWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && (GTK_IS_TEXT (focus) || GTK_IS_TEXT_VIEW (focus)) ? focus : NULL;
}

/* Ends the edit of a field: its value is applied (a spin button reads
 * what was typed), and the keyboard goes to the figures. */
static void
commit_field (GsWindow *self, GtkWidget *text)
{
  GtkWidget *spin = gtk_widget_get_ancestor (text, GTK_TYPE_SPIN_BUTTON);
  GtkWidget *figure = gtk_stack_get_visible_child (self->figure_stack);

  if (spin != NULL)
    gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  else
    gtk_widget_activate (text);
  if (figure != NULL)
    gtk_widget_grab_focus (figure);
}

static gboolean
leave_field (gpointer user_data)
{
  g_autoptr (GsWindow) self = user_data;
  GtkWidget *figure = gtk_stack_get_visible_child (self->figure_stack);

  if (figure != NULL && editing_text (self) != NULL)
    gtk_widget_grab_focus (figure);
  return G_SOURCE_REMOVE;
}

/* The keys a class relies on, before any widget sees them, whatever has
 * the focus: a presentation clicker's Page Down / Page Up move the lesson
 * (so do Right / Left unless a field is being typed in), Space starts and
 * pauses unless a field is, Ctrl+Return starts, Alt+1…9 and Ctrl+Page
 * Up/Down switch figures, Escape leaves full screen. An open menu or list
 * keeps its keys. */
static const char *
class_key_action (GsWindow *self, guint keyval, GdkModifierType mods, GtkWidget *text, int *figure)
{
  const gboolean page_down = keyval == GDK_KEY_Page_Down || keyval == GDK_KEY_KP_Page_Down;
  const gboolean page_up = keyval == GDK_KEY_Page_Up || keyval == GDK_KEY_KP_Page_Up;
  const gboolean enter = keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter;

  if (mods == GDK_ALT_MASK && keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    return *figure = keyval - GDK_KEY_1, "win.show-figure-at";
  if (mods == GDK_CONTROL_MASK && (page_down || page_up))
    return page_down ? "win.next-figure" : "win.previous-figure";
  if (mods == GDK_CONTROL_MASK && enter)
    return "win.start";
  if (mods != 0)
    return NULL;
  if (self->lesson_active && (page_down || (text == NULL && keyval == GDK_KEY_Right)))
    return "win.lesson-next";
  if (self->lesson_active && (page_up || (text == NULL && keyval == GDK_KEY_Left)))
    return "win.lesson-previous";
  /* a number never holds a space: in a number field Space still starts */
  if (keyval == GDK_KEY_space
      && (text == NULL || gtk_widget_get_ancestor (text, GTK_TYPE_SPIN_BUTTON) != NULL))
    return "win.start-or-pause";
  if (keyval == GDK_KEY_Escape && gtk_window_is_fullscreen (GTK_WINDOW (self)))
    return "win.leave-fullscreen";
  return NULL;
}

static gboolean
on_key_pressed (
    GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state, GsWindow *self)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  GtkWidget      *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget      *text = editing_text (self);
  GtkWidget      *popover;
  int             figure = 0;
  const char     *action;

  if (focus != NULL && (popover = gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER)) != NULL)
    {
      /* a list that the teacher opened keeps its keys, but not the clicker's */
      if (!self->lesson_active || mods != 0 || (keyval != GDK_KEY_Page_Down && keyval != GDK_KEY_Page_Up))
        return FALSE;
      gtk_popover_popdown (GTK_POPOVER (popover));
      text = NULL;
    }
  action = class_key_action (self, keyval, mods, text, &figure);
  if (action == NULL)
    {
      /* Enter applies a field (its own handler runs first); then the
       * keyboard goes back to the figures, where Space starts. */
      if (text != NULL && mods == 0 && (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter))
        g_idle_add (leave_field, g_object_ref (self));
      return FALSE;
    }
  if (text != NULL && (g_str_equal (action, "win.start") || g_str_equal (action, "win.start-or-pause")))
    commit_field (self, text);
  gtk_widget_activate_action_variant (
      GTK_WIDGET (self), action,
      g_str_equal (action, "win.show-figure-at") ? g_variant_new_int32 (figure) : NULL);
  return TRUE; /* also when the action is off: a clicker never scrolls a list */
}

void
_gs_window_init_keys (GsWindow *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
}

static void
add_key_bindings (GtkWidgetClass *widget_class)
{
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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, GDK_CONTROL_MASK, "win.lesson", NULL);
}

void
_gs_window_class_init_actions (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (simple_actions); i++)
    gtk_widget_class_install_action (widget_class, simple_actions[i].name, NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.delete-run", "u", delete_run_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-move", "i", timeline_move_action);
  gtk_widget_class_install_action (widget_class, "win.show-figure-at", "i", show_figure_at_action);
  gtk_widget_class_install_property_action (widget_class, "win.pause", "paused");
  gtk_widget_class_install_property_action (widget_class, "win.lesson", "lesson");
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_install_property_action (widget_class, "win.sidebar", "sidebar-visible");
  _gs_window_class_init_figure_actions (widget_class);
  add_key_bindings (widget_class);
}
