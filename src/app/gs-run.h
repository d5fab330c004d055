/* gs-run.h: one training run of the session, live or finished.
 *
 * A GsRun owns a trainer and the thread that drives it. The trainer thread
 * only copies progress and posts idles; everything a GsRun emits is emitted
 * on the main thread.
 */
#pragma once

#include <glib-object.h>
#include "gs-config.h"
#include "gs-dataset.h"
#include "gs-record.h"
#include "gs-trainer.h"
#include "gs-shared-data.h"

G_BEGIN_DECLS

typedef enum
{
  GS_RUN_READY, /* created, not started */
  GS_RUN_RUNNING,
  GS_RUN_PAUSED,
  GS_RUN_FINISHED, /* all epochs done */
  GS_RUN_STOPPED,  /* stopped by the user */
  GS_RUN_DIVERGED, /* NaN or Inf, stopped by the trainer */
  GS_RUN_FAILED,   /* the trainer reported an error */
} GsRunState;

#define GS_TYPE_RUN (gs_run_get_type ())
G_DECLARE_FINAL_TYPE (GsRun, gs_run, GS, RUN, GObject)

GsRun *gs_run_new (const GsConfig *config, GsSharedData *data, guint number);
GsRun *gs_run_new_from_record (GsRecord *record, guint number);
/* A run file that could not be read: listed with its error, no record. */
GsRun *gs_run_new_from_error (const char *path, const char *message, guint number);
/* Changes to make while it trains (Run Again repeats a run's), before
 * gs_run_start (); a schedule the run cannot hold fails the run. */
void     gs_run_set_schedule (GsRun *self, const GsIntervention *list, guint n);
gboolean gs_run_start (GsRun *self, GError **error);
/* While it trains or is paused: a live option from the next step on, or an
 * error naming the option (nothing changes then). */
gboolean gs_run_change (GsRun *self, const char *option, const char *value, GError **error);
void     gs_run_set_paused (GsRun *self, gboolean paused);
void     gs_run_stop (GsRun *self);
void     gs_run_stop_and_wait (GsRun *self);

GsRunState        gs_run_get_state (GsRun *self);
gboolean          gs_run_is_active (GsRun *self);
gboolean          gs_run_is_prepared (GsRun *self);
gboolean          gs_run_is_stopping (GsRun *self);
const GsProgress *gs_run_get_progress (GsRun *self);
GsRecord         *gs_run_get_record (GsRun *self);
const GsConfig   *gs_run_get_config (GsRun *self);
const char       *gs_run_get_title (GsRun *self);
const char       *gs_run_get_error (GsRun *self);
guint             gs_run_get_number (GsRun *self);
double            gs_run_get_accuracy (GsRun *self);
char             *gs_run_dup_status (GsRun *self);
/* The file the run is saved in (autosave or a file opened), or NULL. */
const char *gs_run_get_file (GsRun *self);
void        gs_run_set_file (GsRun *self, const char *path);
/* TRUE for runs of an earlier session, listed from the run library. */
gboolean gs_run_get_from_library (GsRun *self);
void     gs_run_set_from_library (GsRun *self, gboolean from_library);

G_END_DECLS
