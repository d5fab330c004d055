/* gs-window.h: the main window: set up a run, train it, watch it. */
#pragma once

#include <gtk/gtk.h>
#include "gs-config-panel.h"
#include "gs-figure-view.h"
#include "gs-run.h"

G_BEGIN_DECLS

#define GS_TYPE_WINDOW (gs_window_get_type ())
G_DECLARE_FINAL_TYPE (GsWindow, gs_window, GS, WINDOW, GtkApplicationWindow)

GsWindow *gs_window_new             (GtkApplication  *application);
gboolean  gs_window_load_preset     (GsWindow        *self,
                                     const char      *id,
                                     GError         **error);
gboolean  gs_window_set_option      (GsWindow        *self,
                                     const char      *name,
                                     const char      *value,
                                     GError         **error);
void      gs_window_set_data_folder (GsWindow        *self,
                                     const char      *folder);
gboolean  gs_window_get_data_ready  (GsWindow        *self);
GsConfigPanel *gs_window_get_config_panel   (GsWindow *self);
GsFigureView  *gs_window_get_visible_figure (GsWindow *self);
gboolean  gs_window_get_data_builtin (GsWindow        *self);
void      gs_window_start           (GsWindow        *self);
void      gs_window_set_paused      (GsWindow        *self,
                                     gboolean         paused);
void      gs_window_stop            (GsWindow        *self);
gboolean  gs_window_show_figure     (GsWindow        *self,
                                     const char      *name);
GsRun    *gs_window_get_current_run (GsWindow        *self);
guint     gs_window_get_n_runs      (GsWindow        *self);
GsRun    *gs_window_get_run         (GsWindow        *self,
                                     guint            number);
GsRun    *gs_window_open_run        (GsWindow        *self,
                                     const char      *path,
                                     GError         **error);
guint     gs_window_open_folder     (GsWindow        *self,
                                     const char      *path,
                                     GError         **error);
gboolean  gs_window_save_run        (GsWindow        *self,
                                     GsRun           *run,
                                     const char      *path,
                                     GError         **error);
gboolean  gs_window_export_figure   (GsWindow        *self,
                                     const char      *path,
                                     const char      *size_id,
                                     gboolean         dark,
                                     GError         **error);
void      gs_window_select_runs     (GsWindow        *self,
                                     GsRun          **runs,
                                     guint            n_runs);
void      gs_window_delete_run      (GsWindow        *self,
                                     GsRun           *run);
void      gs_window_undo_delete     (GsWindow        *self);
void      gs_window_flush_deletes   (GsWindow        *self);
gboolean  gs_window_get_library_idle (GsWindow       *self);
const char *gs_window_get_library_dir (GsWindow      *self);
void      gs_window_run_again       (GsWindow        *self,
                                     GsRun           *run);
GsRun    *gs_window_get_pair_run    (GsWindow        *self);
guint     gs_window_get_timeline_step (GsWindow      *self);
void      gs_window_set_timeline_step (GsWindow      *self,
                                       guint          step);
void      gs_window_set_replay      (GsWindow        *self,
                                     gboolean         playing,
                                     guint            steps_per_s);
gboolean  gs_window_get_replaying   (GsWindow        *self);
void      gs_window_set_lesson_step (GsWindow        *self,
                                     int              index);
int       gs_window_get_lesson_step (GsWindow        *self);

G_END_DECLS
