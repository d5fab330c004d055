/* gs-run-list.h: the sidebar's list of runs: this session's, newest first,
 * then the saved runs of earlier sessions (the run library). */
#pragma once

#include <gtk/gtk.h>
#include "gs-run.h"

G_BEGIN_DECLS

#define GS_TYPE_RUN_LIST (gs_run_list_get_type ())
G_DECLARE_FINAL_TYPE (GsRunList, gs_run_list, GS, RUN_LIST, GtkWidget)

/* In list order. */
GPtrArray *gs_run_list_dup_runs (GsRunList *self);
/* The selected runs, oldest first (left in side-by-side figures). */
GPtrArray *gs_run_list_dup_selected (GsRunList *self);
guint      gs_run_list_next_number (GsRunList *self);
void       gs_run_list_add (GsRunList *self, GsRun *run);
void       gs_run_list_select (GsRunList *self, GsRun **runs, guint n_runs);
gboolean   gs_run_list_is_selected (GsRunList *self, GsRun *run);
GsRun     *gs_run_list_get_run (GsRunList *self, guint number);
guint      gs_run_list_get_n_runs (GsRunList *self);

void        gs_run_list_autosave (GsRunList *self, GsRun *run);
void        gs_run_list_delete (GsRunList *self, GsRun *run);
void        gs_run_list_undo_delete (GsRunList *self);
void        gs_run_list_flush_deletes (GsRunList *self);
GsRun      *gs_run_list_get_pending_delete (GsRunList *self);
gboolean    gs_run_list_get_library_idle (GsRunList *self);
const char *gs_run_list_get_library_dir (GsRunList *self);

G_END_DECLS
