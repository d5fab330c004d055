/* gs-run.c: one training run of the session, live or finished.
 *
 * Threads: the worker thread builds the trainer (gs_trainer_new() can take
 * a long time for wide orthogonal layers, so never on the main thread) and
 * then runs it. The trainer calls back in that thread after every step;
 * the callback copies the progress under a mutex and posts at most one
 * idle per UPDATE_INTERVAL_US. The idle takes a snapshot of the record on
 * the main thread and emits ::updated. When the trainer returns, the
 * thread posts a last idle that joins it and emits ::finished.
 *
 * The mutex guards what both threads touch: the progress, the trainer
 * pointer (published by the worker once built), the stop and pause
 * requests made before it existed, and the ids of idles not yet run (so
 * that gs_run_stop_and_wait() can remove them). The worker holds a
 * reference on the run and on the data set until its last idle.
 */
#define G_LOG_DOMAIN "gs-run"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "gs-omp.h"
#include "gs-run.h"

/* Ten snapshots a second look live and leave the cores to training: at 30
 * the dashboard (11 ms a draw) cost training 29% on two cores. Fewer when
 * the window's thread spent more than its budget on the last one: at most
 * WINDOW_SHARE of training's cores (the dashboard on two cores under Xvfb:
 * 2 to 4 a second), at least one a second. */
#define UPDATE_INTERVAL_US     (G_USEC_PER_SEC / 10)
#define MAX_UPDATE_INTERVAL_US G_USEC_PER_SEC
#define WINDOW_SHARE           0.025

struct _GsRun
{
  GObject parent_instance;

  GsConfig      config;
  GArray       *schedule; /* GsIntervention, set before the start */
  GsSharedData *data;     /* until the thread has finished */
  GsRecord     *live;     /* the trainer's record, ref'd once built */
  GsRecord     *view;     /* what figures draw: a snapshot, or live once finished */
  GThread      *thread;
  char         *title;
  char         *error;
  char         *file;
  gboolean      from_library;
  GsRunState    state;
  guint         number;
  GsProgress    progress_shown;

  GMutex     lock;    /* guards the fields below */
  GsTrainer *trainer; /* NULL until built, and once finished */
  GsProgress progress;
  gint64     last_update;
  gint64     interval;         /* us between snapshots, set by the main thread */
  gint64     main_cpu_at_view; /* the main thread's CPU time at the last one */
  guint      update_id;
  guint      finish_id;
  gboolean   stop_requested;
  gboolean   pause_requested;
  GError    *run_error;
};

G_DEFINE_FINAL_TYPE (GsRun, gs_run, G_TYPE_OBJECT)

enum
{
  UPDATED,
  FINISHED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_STATE,
  PROP_FILE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
gs_run_set_state (GsRun *self, GsRunState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* The trainer, if built and not finished (main thread). */
static GsTrainer *
get_trainer (GsRun *self)
{
  GsTrainer *trainer;

  g_mutex_lock (&self->lock);
  trainer = self->trainer;
  g_mutex_unlock (&self->lock);
  return trainer;
}

/* FALSE while there is no record to view yet. */
static gboolean
take_view (GsRun *self)
{
  GsTrainer *trainer = get_trainer (self);

  if (self->live == NULL && trainer != NULL)
    self->live = gs_record_ref (gs_trainer_get_record (trainer));
  if (self->live == NULL)
    return FALSE;

  g_clear_pointer (&self->view, gs_record_unref);
  if (trainer != NULL)
    self->view = gs_record_snapshot (self->live);
  else
    self->view = gs_record_ref (self->live);
  return TRUE;
}

static void
gs_run_refresh_view (GsRun *self)
{
  if (take_view (self))
    g_signal_emit (self, signals[UPDATED], 0);
}

/* The main thread's CPU time, us. */
static gint64
main_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Main thread: the next interval from what the window's thread spent since
 * the last snapshot (drawing it, mostly). */
static gint64
next_interval (GsRun *self)
{
  const gint64 now = main_cpu_us (), spent = self->main_cpu_at_view ? now - self->main_cpu_at_view : 0;
  const double budget = WINDOW_SHARE * MAX (1, omp_get_num_procs ());

  self->main_cpu_at_view = now;
  return CLAMP ((gint64) (spent / budget), UPDATE_INTERVAL_US, MAX_UPDATE_INTERVAL_US);
}

static gboolean
update_idle (gpointer data)
{
  GsRun *self = data;
  gint64 interval = next_interval (self);

  g_mutex_lock (&self->lock);
  self->update_id = 0;
  self->interval = interval;
  g_mutex_unlock (&self->lock);

  if (gs_run_is_active (self))
    gs_run_refresh_view (self);
  return G_SOURCE_REMOVE;
}

/* Worker thread, lock held. */
static void
post_update_locked (GsRun *self)
{
  if (self->update_id != 0)
    return;
  self->last_update = g_get_monotonic_time ();
  self->update_id
      = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_idle, g_object_ref (self), g_object_unref);
}

/* Called in the worker thread after every step and epoch. */
static void
on_trainer_event (GsTrainerEvent event, const GsProgress *progress, gpointer user_data)
{
  GsRun *self = user_data;

  g_mutex_lock (&self->lock);
  self->progress = *progress;
  if (event != GS_TRAINER_EVENT_STEP || g_get_monotonic_time () - self->last_update >= self->interval)
    post_update_locked (self);
  g_mutex_unlock (&self->lock);
}

static GsRunState
final_state (GsRun *self)
{
  gboolean stopped_early = FALSE;

  if (self->error != NULL || self->live == NULL)
    return self->error != NULL ? GS_RUN_FAILED : GS_RUN_STOPPED;
  if (gs_record_diverged (self->live, NULL, NULL, NULL))
    return GS_RUN_DIVERGED;
  /* Not finished: stopped before training began. */
  if (!gs_record_finished (self->live, &stopped_early))
    return GS_RUN_STOPPED;
  return stopped_early ? GS_RUN_STOPPED : GS_RUN_FINISHED;
}

/* Main thread, once the worker has posted its last idle. */
static void
gs_run_finish (GsRun *self)
{
  g_autoptr (GError) error = NULL;
  GsTrainer *trainer;
  gboolean   have_view;

  g_clear_pointer (&self->thread, g_thread_join);

  g_mutex_lock (&self->lock);
  error = g_steal_pointer (&self->run_error);
  trainer = g_steal_pointer (&self->trainer);
  g_mutex_unlock (&self->lock);

  if (error != NULL)
    self->error = g_strdup (error->message);
  if (self->live == NULL && trainer != NULL)
    self->live = gs_record_ref (gs_trainer_get_record (trainer));
  g_clear_pointer (&trainer, gs_trainer_free);
  g_clear_pointer (&self->data, gs_shared_data_unref);

  /* Before the state changes: its listeners (the run's row) read the view,
   * which is still NULL when the run ended before its first update. */
  have_view = take_view (self);
  gs_run_set_state (self, final_state (self));
  if (have_view)
    g_signal_emit (self, signals[UPDATED], 0);
  g_signal_emit (self, signals[FINISHED], 0);
}

static gboolean
finish_idle (gpointer data)
{
  GsRun *self = data;

  g_mutex_lock (&self->lock);
  self->finish_id = 0;
  g_mutex_unlock (&self->lock);
  gs_run_finish (self);
  return G_SOURCE_REMOVE;
}

/* Worker: publishes the trainer and applies what was asked meanwhile.
 * FALSE if a stop came in while it was being built. */
static gboolean
publish_trainer (GsRun *self, GsTrainer *trainer)
{
  gboolean stop, pause;

  g_mutex_lock (&self->lock);
  self->trainer = trainer;
  stop = self->stop_requested;
  pause = self->pause_requested;
  post_update_locked (self);
  g_mutex_unlock (&self->lock);

  if (pause)
    gs_trainer_pause (trainer, TRUE);
  return !stop;
}

/* On two cores the trainer's threads and the window's main thread want the
 * same cores: training yields (nice +5, inherited by the OpenMP workers this
 * thread starts), so the window draws on time; idle cores still go to it. */
static void
yield_to_the_window (void)
{
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 5) != 0)
    g_debug ("could not lower the training thread's priority");
}

/* The thread owns one reference, handed over to the finish idle. */
static gpointer
train_thread (gpointer data)
{
  GsRun     *self = data;
  GError    *error = NULL;
  GsTrainer *trainer;

  yield_to_the_window ();

  trainer = gs_trainer_new (&self->config, gs_shared_data_get (self->data), &error);
  if (trainer != NULL && self->schedule != NULL
      && !gs_trainer_add_schedule (trainer, (const GsIntervention *) (gpointer) self->schedule->data,
                                   self->schedule->len, &error))
    g_clear_pointer (&trainer, gs_trainer_free);
  if (trainer != NULL)
    {
      gs_trainer_set_callback (trainer, on_trainer_event, self);
      if (publish_trainer (self, trainer))
        gs_trainer_run (trainer, &error);
    }

  g_mutex_lock (&self->lock);
  self->run_error = error;
  /* Above redraws: Stop should show within a frame or two. */
  self->finish_id = g_idle_add_full (G_PRIORITY_DEFAULT, finish_idle, self, g_object_unref);
  g_mutex_unlock (&self->lock);
  return NULL;
}

static void
gs_run_dispose (GObject *object)
{
  GsRun *self = GS_RUN (object);

  /* The worker holds a reference, so we only get here when it is done. */
  g_assert (self->thread == NULL);
  g_clear_pointer (&self->trainer, gs_trainer_free);
  g_clear_pointer (&self->data, gs_shared_data_unref);
  g_clear_pointer (&self->view, gs_record_unref);
  g_clear_pointer (&self->live, gs_record_unref);
  g_clear_pointer (&self->schedule, g_array_unref);

  G_OBJECT_CLASS (gs_run_parent_class)->dispose (object);
}

static void
gs_run_finalize (GObject *object)
{
  GsRun *self = GS_RUN (object);

  g_free (self->title);
  g_free (self->error);
  g_free (self->file);
  g_clear_error (&self->run_error);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gs_run_parent_class)->finalize (object);
}

static void
gs_run_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GsRun *self = GS_RUN (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_run_class_init (GsRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gs_run_dispose;
  object_class->finalize = gs_run_finalize;
  object_class->get_property = gs_run_get_property;

  properties[PROP_STATE]
      = g_param_spec_int ("state", NULL, NULL, GS_RUN_READY, GS_RUN_FAILED, GS_RUN_READY,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] = g_param_spec_string (
      "file", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A new snapshot or new progress is available (at most 10 times a
   * second, fewer when drawing them costs more: next_interval()). */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                   NULL, G_TYPE_NONE, 0);
  /* The thread has ended: finished, stopped, diverged or failed. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 0);
}

static void
gs_run_init (GsRun *self)
{
  g_mutex_init (&self->lock);
  self->interval = UPDATE_INTERVAL_US;
}

/* A run of config on data, not started; the network is built by
 * gs_run_start()'s thread, so errors come with ::finished. */
GsRun *
gs_run_new (const GsConfig *config, GsSharedData *data, guint number)
{
  GsRun *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (GS_TYPE_RUN, NULL);
  self->config = *config;
  self->data = gs_shared_data_ref (data);
  self->number = number;
  self->title = gs_config_describe (config);
  self->progress.n_epochs = config->epochs;
  return self;
}

/* The title is the run's description only: where it came from is the
 * file's (gs_run_set_file()), which the run list shows in a tooltip. */
GsRun *
gs_run_new_from_record (GsRecord *record, guint number)
{
  GsRun *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (GS_TYPE_RUN, NULL);
  self->config = *gs_record_config (record);
  self->number = number;
  self->live = gs_record_ref (record);
  self->view = gs_record_ref (record);
  self->title = gs_config_describe (&self->config);
  self->state = final_state (self);
  return self;
}

GsRun *
gs_run_new_from_error (const char *path, const char *message, guint number)
{
  GsRun *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (GS_TYPE_RUN, NULL);
  gs_config_init_defaults (&self->config);
  self->number = number;
  self->title = g_path_get_basename (path);
  self->file = g_strdup (path);
  self->error = g_strdup (message != NULL ? message : _ ("Unreadable run file"));
  self->state = GS_RUN_FAILED;
  return self;
}

void
gs_run_set_schedule (GsRun *self, const GsIntervention *list, guint n)
{
  g_return_if_fail (GS_IS_RUN (self));
  g_return_if_fail (self->state == GS_RUN_READY);

  g_clear_pointer (&self->schedule, g_array_unref);
  self->schedule = g_array_sized_new (FALSE, FALSE, sizeof (GsIntervention), n);
  g_array_append_vals (self->schedule, list, n);
}

gboolean
gs_run_change (GsRun *self, const char *option, const char *value, GError **error)
{
  GsTrainer *trainer;

  g_return_val_if_fail (GS_IS_RUN (self), FALSE);

  trainer = gs_run_is_active (self) ? get_trainer (self) : NULL;
  if (trainer == NULL)
    {
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                   gs_run_is_active (self)
                       ? _ ("--%s: the network is still being built; change it in a moment")
                       : _ ("--%s: the run is not training"),
                   option);
      return FALSE;
    }
  /* the trainer stays valid until ::finished, which runs on this thread */
  return gs_trainer_change (trainer, option, value, error);
}

gboolean
gs_run_start (GsRun *self, GError **error)
{
  g_return_val_if_fail (GS_IS_RUN (self), FALSE);
  g_return_val_if_fail (self->state == GS_RUN_READY, FALSE);
  g_return_val_if_fail (self->data != NULL, FALSE);

  self->thread = g_thread_try_new ("gs-trainer", train_thread, g_object_ref (self), error);
  if (self->thread == NULL)
    {
      g_object_unref (self);
      return FALSE;
    }
  gs_run_set_state (self, GS_RUN_RUNNING);
  return TRUE;
}

void
gs_run_set_paused (GsRun *self, gboolean paused)
{
  GsTrainer *trainer;

  g_return_if_fail (GS_IS_RUN (self));

  if (!gs_run_is_active (self))
    return;

  g_mutex_lock (&self->lock);
  self->pause_requested = paused;
  trainer = self->trainer;
  g_mutex_unlock (&self->lock);

  if (trainer != NULL)
    gs_trainer_pause (trainer, paused);
  gs_run_set_state (self, paused ? GS_RUN_PAUSED : GS_RUN_RUNNING);
  /* Show the last steps at once rather than waiting for the trainer. */
  gs_run_refresh_view (self);
}

/* Asks the trainer to stop; ::finished follows within one step, or once
 * the network is built. Returns the trainer if there is one (main thread:
 * it stays valid until ::finished). */
static GsTrainer *
request_stop (GsRun *self)
{
  GsTrainer *trainer;

  g_mutex_lock (&self->lock);
  self->stop_requested = TRUE;
  trainer = self->trainer;
  g_mutex_unlock (&self->lock);

  if (trainer != NULL)
    gs_trainer_stop (trainer);
  return trainer;
}

void
gs_run_stop (GsRun *self)
{
  g_return_if_fail (GS_IS_RUN (self));

  if (gs_run_is_active (self))
    request_stop (self);
}

/* Stops and joins the thread now, for closing the window. A thread still
 * building its network cannot be interrupted: it is left to finish on its
 * own (it holds what it needs) and the run counts as stopped. */
void
gs_run_stop_and_wait (GsRun *self)
{
  guint update_id, finish_id;

  g_return_if_fail (GS_IS_RUN (self));

  if (self->thread == NULL)
    return;

  g_object_ref (self);
  if (request_stop (self) == NULL)
    {
      gs_run_set_state (self, GS_RUN_STOPPED);
      g_object_unref (self);
      return;
    }
  g_clear_pointer (&self->thread, g_thread_join);

  g_mutex_lock (&self->lock);
  update_id = self->update_id;
  finish_id = self->finish_id;
  self->update_id = self->finish_id = 0;
  g_mutex_unlock (&self->lock);

  if (update_id != 0)
    g_source_remove (update_id);
  if (finish_id != 0)
    {
      g_source_remove (finish_id);
      gs_run_finish (self);
    }
  g_object_unref (self);
}

GsRunState
gs_run_get_state (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), GS_RUN_READY);
  return self->state;
}

gboolean
gs_run_is_active (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), FALSE);
  return self->state == GS_RUN_RUNNING || self->state == GS_RUN_PAUSED;
}

/* TRUE once Stop was asked for, until ::finished. */
gboolean
gs_run_is_stopping (GsRun *self)
{
  gboolean stopping;

  g_return_val_if_fail (GS_IS_RUN (self), FALSE);

  g_mutex_lock (&self->lock);
  stopping = self->stop_requested && gs_run_is_active (self);
  g_mutex_unlock (&self->lock);
  return stopping;
}

/* FALSE while the worker still builds the network. */
gboolean
gs_run_is_prepared (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), FALSE);
  return self->live != NULL;
}

/* The progress as of now (main thread only). */
const GsProgress *
gs_run_get_progress (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), NULL);

  g_mutex_lock (&self->lock);
  self->progress_shown = self->progress;
  g_mutex_unlock (&self->lock);
  return &self->progress_shown;
}

/* A consistent record to draw from, replaced on every ::updated; NULL
 * until the network is built, and for a run that failed to build. */
GsRecord *
gs_run_get_record (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), NULL);
  return self->view;
}

const GsConfig *
gs_run_get_config (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), NULL);
  return &self->config;
}

const char *
gs_run_get_title (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), NULL);
  return self->title;
}

const char *
gs_run_get_error (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), NULL);
  return self->error;
}

guint
gs_run_get_number (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), 0);
  return self->number;
}

/* Test accuracy when the run has one, else the last validation accuracy,
 * else NaN. A fraction in 0..1. */
double
gs_run_get_accuracy (GsRun *self)
{
  guint n_epochs;

  g_return_val_if_fail (GS_IS_RUN (self), NAN);

  if (self->view == NULL)
    return NAN;
  if (gs_record_has_test (self->view))
    return gs_record_test_accuracy (self->view);
  n_epochs = gs_record_n_epochs (self->view);
  if (n_epochs > 0)
    return gs_record_epoch (self->view, n_epochs - 1)->val_acc;
  return NAN;
}

static char *
dup_diverged_status (GsRun *self)
{
  guint       step = 0;
  int         layer = -1;
  const char *what = NULL;

  gs_record_diverged (self->view, &step, &layer, &what);
  if (layer >= 0)
    return g_strdup_printf (_ ("Diverged at step %u, layer %d"), step, layer + 1);
  return g_strdup_printf (_ ("Diverged at step %u"), step);
}

/* One line for the run list: what the run is doing or how it ended. */
char *
gs_run_dup_status (GsRun *self)
{
  const GsProgress *p;

  g_return_val_if_fail (GS_IS_RUN (self), NULL);

  switch (self->state)
    {
    case GS_RUN_READY:
      return g_strdup (_ ("Ready"));
    case GS_RUN_RUNNING:
    case GS_RUN_PAUSED:
      if (!gs_run_is_prepared (self))
        return g_strdup (_ ("Building the network…"));
      p = gs_run_get_progress (self);
      return g_strdup_printf (self->state == GS_RUN_PAUSED ? _ ("Paused in epoch %d of %d")
                                                           : _ ("Training, epoch %d of %d"),
                              MAX (p->epoch, 1), p->n_epochs);
    case GS_RUN_STOPPED:
      return g_strdup (_ ("Stopped"));
    case GS_RUN_DIVERGED:
      return dup_diverged_status (self);
    case GS_RUN_FAILED:
      /* A run file's error starts with its path: the row shows the name. */
      if (self->file != NULL && g_str_has_prefix (self->error, self->file)
          && g_str_has_prefix (self->error + strlen (self->file), ": "))
        return g_strdup (self->error + strlen (self->file) + 2);
      return g_strdup (self->error);
    case GS_RUN_FINISHED:
    default:
      return g_strdup_printf (_ ("Finished in %.0f s"), gs_record_seconds (self->view));
    }
}

const char *
gs_run_get_file (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), NULL);
  return self->file;
}

void
gs_run_set_file (GsRun *self, const char *path)
{
  g_return_if_fail (GS_IS_RUN (self));

  if (g_strcmp0 (self->file, path) == 0)
    return;
  g_free (self->file);
  self->file = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

gboolean
gs_run_get_from_library (GsRun *self)
{
  g_return_val_if_fail (GS_IS_RUN (self), FALSE);
  return self->from_library;
}

void
gs_run_set_from_library (GsRun *self, gboolean from_library)
{
  g_return_if_fail (GS_IS_RUN (self));
  self->from_library = !!from_library;
}
