/* gs-window.h: the main window: set up a run, train it, watch it.
 *
 * What the application (gs-application.c) asks of it; the rest is in
 * gs-window-private.h.
 */
#pragma once

#include <gtk/gtk.h>
#include "gs-run.h"

G_BEGIN_DECLS

#define GS_TYPE_WINDOW (gs_window_get_type ())
G_DECLARE_FINAL_TYPE (GsWindow, gs_window, GS, WINDOW, GtkApplicationWindow)

GsWindow   *gs_window_new (GtkApplication *application);
gboolean    gs_window_load_preset (GsWindow *self, const char *id, GError **error);
gboolean    gs_window_set_option (GsWindow *self, const char *name, const char *value, GError **error);
void        gs_window_set_data_folder (GsWindow *self, const char *folder);
void        gs_window_start (GsWindow *self);
void        gs_window_set_paused (GsWindow *self, gboolean paused);
void        gs_window_stop (GsWindow *self);
gboolean    gs_window_show_figure (GsWindow *self, const char *name);
const char *gs_window_get_figure_name (GsWindow *self);
/* NULL when the figure on screen is whole at its size, else what is wrong,
 * with the figure's name and size. */
char *gs_window_check_layout (GsWindow *self);
/* The presets of the runs on screen, left to right. */
char **gs_window_dup_showing (GsWindow *self);
int    gs_window_get_lesson_step (GsWindow *self);
GsRun *gs_window_open_run (GsWindow *self, const char *path, GError **error);
guint  gs_window_open_folder (GsWindow *self, const char *path, GError **error);
void   gs_window_set_replay (GsWindow *self, gboolean playing, guint steps_per_s);
void   gs_window_set_lesson_step (GsWindow *self, int index);
/* Trains the lesson's runs in the background; epochs 0: the lesson panel's. */
void     gs_window_prepare_lesson (GsWindow *self, int epochs);
gboolean gs_window_get_preparing (GsWindow *self);
gboolean gs_window_get_data_ready (GsWindow *self);

G_END_DECLS
