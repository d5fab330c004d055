/* gs-worker.c */
#define G_LOG_DOMAIN "gs-worker"

#include "gs-worker.h"

static guint n_running; /* touched on the main thread only */

typedef struct
{
  GTaskThreadFunc func;
} Worker;

static GQuark
worker_quark (void)
{
  return g_quark_from_static_string ("gs-worker");
}

static gboolean
worker_done (gpointer user_data)
{
  g_assert (n_running > 0);
  n_running--;
  return G_SOURCE_REMOVE;
}

/* Even after a task that returns on cancel has called back, its thread
 * runs on: the count drops only when func itself is done. */
static void
worker_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const Worker *worker = g_object_get_qdata (G_OBJECT (task), worker_quark ());

  worker->func (task, source, task_data, cancellable);
  /* an idle, always: g_main_context_invoke() would run worker_done here,
   * on this thread, whenever it could acquire the context */
  g_idle_add (worker_done, NULL);
}

void
gs_worker_run (GTask *task, GTaskThreadFunc func)
{
  g_return_if_fail (G_IS_TASK (task) && func != NULL);
  Worker *worker = g_new (Worker, 1);

  worker->func = func;
  n_running++;
  g_object_set_qdata_full (G_OBJECT (task), worker_quark (), worker, g_free);
  g_task_run_in_thread (task, worker_thread);
}

guint
gs_worker_n_running (void)
{
  return n_running;
}

void
gs_worker_wait_all (void)
{
  while (n_running > 0)
    g_main_context_iteration (NULL, TRUE);
}
