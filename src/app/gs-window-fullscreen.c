/* gs-window-fullscreen.c: full screen keeps the controls reachable.
 *
 * GTK hides a window's title bar in full screen, and with it the figure
 * tabs, Start/Stop and the menu; so the header bar is not the title bar
 * but the top of the content (as libadwaita's windows do), and in full
 * screen it moves into a revealer over the top of the window: it slides in when the
 * pointer reaches the top edge (and for a moment on entering full screen,
 * so the class sees where it went), and out again when the pointer leaves
 * it. The keys work either way (Alt+1…9, Ctrl+Page Up/Down, Escape).
 */
#define G_LOG_DOMAIN "gs-window-fullscreen"

#include "config.h"

#include "gs-window-private.h"

#define EDGE_PX       3    /* how close to the top edge reveals the header */
#define HIDE_DELAY_MS 800  /* after the pointer leaves it */
#define SHOW_FIRST_MS 2000 /* on entering full screen */

static gboolean
hide_header (gpointer user_data)
{
  GsWindow *self = user_data;

  self->header_hide_id = 0;
  gtk_revealer_set_reveal_child (self->header_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

static void
hide_later (GsWindow *self, guint ms)
{
  g_clear_handle_id (&self->header_hide_id, g_source_remove);
  self->header_hide_id = g_timeout_add (ms, hide_header, self);
}

static void
reveal_header (GsWindow *self)
{
  g_clear_handle_id (&self->header_hide_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->header_revealer, TRUE);
}

/* A menu or popover of the header bar is open: keep the header. */
static gboolean
header_in_use (GsWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && gtk_widget_is_ancestor (focus, self->header_bar)
         && gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL;
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, GsWindow *self)
{
  double height;

  if (!gtk_window_is_fullscreen (GTK_WINDOW (self)))
    return;
  height = gtk_widget_get_height (self->header_bar);
  if (y <= EDGE_PX)
    reveal_header (self);
  else if (gtk_revealer_get_reveal_child (self->header_revealer) && y > height + EDGE_PX
           && self->header_hide_id == 0 && !header_in_use (self))
    hide_later (self, HIDE_DELAY_MS);
  else if (y <= height)
    g_clear_handle_id (&self->header_hide_id, g_source_remove);
}

/* Moves the one header bar between the top of the window and the
 * revealer over the figures. */
static void
on_fullscreened (GsWindow *self)
{
  GtkWidget *header = g_object_ref (self->header_bar);
  gboolean   full = gtk_window_is_fullscreen (GTK_WINDOW (self));

  if (full && gtk_widget_get_parent (header) == self->header_slot)
    {
      gtk_box_remove (GTK_BOX (self->header_slot), header);
      gtk_revealer_set_child (self->header_revealer, header);
      reveal_header (self);
      hide_later (self, SHOW_FIRST_MS);
    }
  else if (!full && gtk_widget_get_parent (header) != self->header_slot)
    {
      g_clear_handle_id (&self->header_hide_id, g_source_remove);
      gtk_revealer_set_reveal_child (self->header_revealer, FALSE);
      gtk_revealer_set_child (self->header_revealer, NULL);
      gtk_box_append (GTK_BOX (self->header_slot), header);
    }
  g_object_unref (header);
  _gs_window_update_actions (self);
}

void
_gs_window_init_fullscreen (GsWindow *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();


  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect_swapped (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), self);
}

/* For the tests: whether the header bar is on screen. */
gboolean
gs_window_get_header_visible (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  if (!gtk_window_is_fullscreen (GTK_WINDOW (self)))
    return gtk_widget_get_mapped (self->header_bar);
  return gtk_revealer_get_child_revealed (self->header_revealer)
         || gtk_revealer_get_reveal_child (self->header_revealer);
}
