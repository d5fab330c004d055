/* gs-run-row.h: one run in the window's run list. */
#pragma once

#include <gtk/gtk.h>
#include "gs-run.h"

G_BEGIN_DECLS

#define GS_TYPE_RUN_ROW (gs_run_row_get_type ())
G_DECLARE_FINAL_TYPE (GsRunRow, gs_run_row, GS, RUN_ROW, GtkListBoxRow)

GtkWidget *gs_run_row_new (GsRun *run);
GsRun     *gs_run_row_get_run (GsRunRow *self);

G_END_DECLS
