/* gs-window-private.h: what the gs-window*.c files share, and what the
 * tests reach into.
 *
 * gs-window.c          lifecycle, the run being trained, the progress line
 * gs-window-actions.c  the win.* actions, key bindings, their enabled state
 * gs-window-figures.c  the figure stack, the timeline, presentation mode
 * gs-window-files.c    data sets, file choosers, opening, saving, export
 * gs-window-lesson.c   lesson mode
 * gs-window-prepare.c  Prepare Lesson, in the background
 * gs-window-fullscreen.c  the header bar at the top edge in full screen
 * gs-window-pair.c     Run Again with one change
 */
#pragma once

#include "gs-config-panel.h"
#include "gs-figure-view.h"
#include "gs-init-probe.h"
#include "gs-lesson.h"
#include "gs-run-list.h"
#include "gs-shared-data.h"
#include "gs-timeline.h"
#include "gs-window.h"

G_BEGIN_DECLS

struct _GsWindow
{
  GtkApplicationWindow parent_instance;

  /* template */
  GtkWidget      *start_button;
  GsConfigPanel  *config_panel;
  GsRunList      *run_list;
  GtkRevealer    *banner_revealer;
  GtkLabel       *banner_label;
  GtkLabel       *run_title;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  GtkStack       *figure_stack;
  GtkDropDown    *hist_kind_dropdown;
  GtkWidget      *sidebar;
  GtkRevealer    *undo_revealer;
  GtkLabel       *undo_label;
  GsTimeline     *timeline;
  GtkRevealer    *lesson_revealer;
  GsLesson       *lesson;
  GtkRevealer    *pair_revealer;
  GtkLabel       *pair_label;
  GtkWidget      *lesson_missing; /* over the figures: the step's run is missing */
  GtkLabel       *missing_title;
  GtkLabel       *missing_detail;
  GtkWidget      *header_bar;
  GtkWidget      *header_slot;     /* holds the header bar when not in full screen */
  GtkRevealer    *header_revealer; /* holds the header bar in full screen */

  GSettings       *settings; /* NULL when the schema is not installed */
  GsSharedData    *data;
  GsInitProbe     *init_probe; /* the "At Init" figure */
  GCancellable    *data_cancellable;
  GsRun           *current;     /* the active run, or NULL */
  GsConfig         live_config; /* current's configuration as changed so far (gs-window-live.c) */
  GtkNativeDialog *chooser;     /* the open file chooser, if any */
  GsRun           *pair_run;    /* "run again with one change" of this run */
  gboolean         start_pending;
  gboolean         paused;
  gboolean         presentation;
  gboolean         lesson_active;
  gboolean         fullscreened_by_presentation;
  gpointer         preparing; /* the lesson's preparation in progress, or NULL */
  guint            header_hide_id;
  char            *color_range; /* "absolute", "fit" or "LO:HI" (gs-window-figures.c) */
};

/* gs-window.c */
void       _gs_window_show_banner (GsWindow *self, const char *message);
void       _gs_window_hide_banner (GsWindow *self);
GPtrArray *_gs_window_dup_shown_runs (GsWindow *self);
GsRun     *_gs_window_get_single_shown_run (GsWindow *self);
void       _gs_window_add_run (GsWindow *self, GsRun *run);
void       _gs_window_request_init_signal (GsWindow *self);

/* gs-window-actions.c */
void _gs_window_class_init_actions (GtkWidgetClass *widget_class);
void _gs_window_update_actions (GsWindow *self);
void _gs_window_init_keys (GsWindow *self);

/* gs-window-figures.c */
GPtrArray *_gs_window_dup_records (GPtrArray *runs);
void       _gs_window_refresh_figures (GsWindow *self);
void       _gs_window_init_figures (GsWindow *self);
void       _gs_window_set_presentation (GsWindow *self, gboolean presentation);
/* "absolute", "fit" or "LO:HI" for every figure; FALSE (error set, nothing
 * changed) when the text is none of those. */
gboolean _gs_window_set_color_range (GsWindow *self, const char *text, GError **error);
/* win.color-range-dialog: the range typed by hand. */
void _gs_window_color_range_dialog (GtkWidget *widget, const char *action_name, GVariant *param);
void _gs_window_show_figure_at (GsWindow *self, int index, int delta);

/* gs-window-files.c */
void _gs_window_load_data (GsWindow *self, const char *folder);
void _gs_window_set_chooser (GsWindow *self, GtkNativeDialog *chooser);
void _gs_window_choose_data (GsWindow *self);
void _gs_window_choose_open (GsWindow *self);
void _gs_window_choose_save (GsWindow *self);
void _gs_window_choose_export (GsWindow *self);
/* What an export of the shown figure draws; records: the shown runs'
 * (borrowed pointers: unref the array only). */
typedef struct
{
  GsFigure    fig;
  GPtrArray  *records;
  GsPlotStyle style;
  int         width, height;
  double      dpi;
} GsWindowExport;
void _gs_window_export_setup (GsWindow *self, const char *size_id, gboolean dark, GsWindowExport *out);
/* gs-window-video.c: format "webm", "mp4" or "gif", in the background. */
void _gs_window_export_video (
    GsWindow *self, const char *path, const char *format, const char *size_id, gboolean dark, double seconds);
void _gs_window_choose_export_data (GsWindow *self);
void _gs_window_class_init_figure_actions (GtkWidgetClass *widget_class);

/* gs-window-lesson.c */
void _gs_window_set_lesson_active (GsWindow *self, gboolean active);
void _gs_window_apply_lesson_step (GsWindow *self);
void _gs_window_lesson_next (GsWindow *self);
void _gs_window_lesson_previous (GsWindow *self);
void _gs_window_refresh_lesson (GsWindow *self);
void _gs_window_train_lesson_step (GsWindow *self);

/* gs-window-prepare.c */
void _gs_window_prepare_lesson (GsWindow *self);
void _gs_window_cancel_prepare (GsWindow *self);

/* gs-window-fullscreen.c */
void _gs_window_init_fullscreen (GsWindow *self);

/* gs-window-pair.c */
void _gs_window_set_pair_run (GsWindow *self, GsRun *run);
void _gs_window_update_pair_label (GsWindow *self);
void _gs_window_run_again (GsWindow *self, GsRun *run);
/* gs-window-live.c */
void     _gs_window_begin_live (GsWindow *self);
void     _gs_window_end_live (GsWindow *self);
void     _gs_window_apply_live_changes (GsWindow *self);
gboolean _gs_window_check_live_option (GsWindow *self, const char *name, const char *value, GError **error);
void     _gs_window_repeat_schedule (GsWindow *self, GsRun *run, GsRun *from);

/* For the tests (tests/app/test-window.c) and benchmarks. */
gboolean       gs_window_get_data_builtin (GsWindow *self);
GsConfigPanel *gs_window_get_config_panel (GsWindow *self);
GsFigureView  *gs_window_get_visible_figure (GsWindow *self);
GsRun         *gs_window_get_current_run (GsWindow *self);
guint          gs_window_get_n_runs (GsWindow *self);
GsRun         *gs_window_get_run (GsWindow *self, guint number);
void           gs_window_select_runs (GsWindow *self, GsRun **runs, guint n_runs);
gboolean       gs_window_save_run (GsWindow *self, GsRun *run, const char *path, GError **error);
gboolean       gs_window_export_figure (
          GsWindow *self, const char *path, const char *size_id, gboolean dark, GError **error);
void        gs_window_delete_run (GsWindow *self, GsRun *run);
void        gs_window_flush_deletes (GsWindow *self);
gboolean    gs_window_get_library_idle (GsWindow *self);
const char *gs_window_get_library_dir (GsWindow *self);
GsRun      *gs_window_get_pair_run (GsWindow *self);
guint       gs_window_get_timeline_step (GsWindow *self);
void        gs_window_set_timeline_step (GsWindow *self, guint step);
gboolean    gs_window_get_replaying (GsWindow *self);
gboolean    gs_window_get_header_visible (GsWindow *self);

G_END_DECLS
