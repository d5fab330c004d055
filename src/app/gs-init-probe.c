/* gs-init-probe.c */
#define G_LOG_DOMAIN "gs-init-probe"

#include "gs-init-probe.h"

#include <gio/gio.h>

#include "gs-signal.h"
#include "gs-worker.h"

typedef struct
{
  GsConfig      config;
  GsSharedData *data;
  guint         generation;
  gint          cancel; /* set from the main thread, read by the worker */
} Job;

struct _GsInitProbe
{
  GObject       parent_instance;
  guint         generation; /* of the newest request */
  Job          *running;    /* the worker's job, NULL when none runs */
  gboolean      pending;    /* a request came in while busy */
  GsConfig      pending_config;
  GsSharedData *pending_data;
};

G_DEFINE_FINAL_TYPE (GsInitProbe, gs_init_probe, G_TYPE_OBJECT)

enum
{
  READY,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
job_free (Job *job)
{
  gs_shared_data_unref (job->data);
  g_free (job);
}

static void
compute (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job      *job = task_data;
  GError   *error = NULL;
  GsRecord *rec = gs_signal_at_init (&job->config, gs_shared_data_get (job->data), 0, &job->cancel, &error);

  if (rec != NULL)
    g_task_return_pointer (task, rec, (GDestroyNotify) gs_record_unref);
  else
    g_task_return_error (task, error);
}

static void start (GsInitProbe *self, const GsConfig *config, GsSharedData *data);

/* One worker at a time; a request that arrives meanwhile cancels it and
 * replaces any earlier waiting one, so dragging a spin button neither
 * queues work nor waits for passes nobody will see. */
static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GsInitProbe *self = GS_INIT_PROBE (source);
  Job         *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GsRecord) rec = g_task_propagate_pointer (G_TASK (result), &error);

  self->running = NULL;
  if (job->generation == self->generation && !g_atomic_int_get (&job->cancel))
    g_signal_emit (self, signals[READY], 0, rec, error ? error->message : NULL);
  if (self->pending)
    {
      g_autoptr (GsSharedData) data = g_steal_pointer (&self->pending_data);
      self->pending = FALSE;
      start (self, &self->pending_config, data);
    }
}

static void
start (GsInitProbe *self, const GsConfig *config, GsSharedData *data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, on_done, NULL);
  Job *job = g_new0 (Job, 1);

  job->config = *config;
  job->data = gs_shared_data_ref (data);
  job->generation = self->generation;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  self->running = job;
  gs_worker_run (task, compute);
}

static void
gs_init_probe_finalize (GObject *object)
{
  GsInitProbe *self = GS_INIT_PROBE (object);

  g_clear_pointer (&self->pending_data, gs_shared_data_unref);
  G_OBJECT_CLASS (gs_init_probe_parent_class)->finalize (object);
}

static void
gs_init_probe_class_init (GsInitProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gs_init_probe_finalize;
  /* (record or NULL, error message or NULL) */
  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_STRING);
}

static void
gs_init_probe_init (GsInitProbe *self)
{
}

GsInitProbe *
gs_init_probe_new (void)
{
  return g_object_new (GS_TYPE_INIT_PROBE, NULL);
}

void
gs_init_probe_request (GsInitProbe *self, const GsConfig *config, GsSharedData *data)
{
  g_return_if_fail (GS_IS_INIT_PROBE (self) && config != NULL && data != NULL);
  self->generation++;
  if (self->running == NULL)
    {
      start (self, config, data);
      return;
    }
  g_atomic_int_set (&self->running->cancel, 1);
  self->pending = TRUE;
  self->pending_config = *config;
  g_clear_pointer (&self->pending_data, gs_shared_data_unref);
  self->pending_data = gs_shared_data_ref (data);
}

void
gs_init_probe_cancel (GsInitProbe *self)
{
  g_return_if_fail (GS_IS_INIT_PROBE (self));
  if (self->running != NULL)
    g_atomic_int_set (&self->running->cancel, 1);
  self->pending = FALSE;
  g_clear_pointer (&self->pending_data, gs_shared_data_unref);
}
