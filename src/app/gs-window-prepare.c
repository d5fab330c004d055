/* gs-window-prepare.c: "Prepare Lesson": trains every run the lesson
 * shows in a worker thread (gs_lesson_prepare(), two runs at a time on two
 * cores), with its progress in the lesson panel; the window stays
 * responsive and the preparation can be cancelled. The runs are saved
 * among the saved runs (lesson-PRESET.gsrun), so the next class reuses
 * them, and are opened in the run list as they are now.
 */
#define G_LOG_DOMAIN "gs-window-prepare"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-lesson-plan.h"
#include "gs-omp.h"
#include "gs-window-private.h"
#include "gs-worker.h"

typedef struct
{
  GsSharedData    *data;
  char            *dir;
  int              epochs;
  gint             cancel;
  GWeakRef         window;
  GsLessonPrepared prepared;
} Prepare;

typedef struct
{
  GWeakRef window;
  double   fraction;
  char    *preset;
} Progress;

static void
prepare_free (Prepare *p)
{
  gs_shared_data_unref (p->data);
  g_free (p->dir);
  g_weak_ref_clear (&p->window);
  g_strfreev (p->prepared.trained);
  g_free (p);
}

static gboolean
show_progress (gpointer user_data)
{
  Progress *p = user_data;
  g_autoptr (GsWindow) self = g_weak_ref_get (&p->window);

  if (self != NULL && self->preparing != NULL)
    {
      const GsPreset *preset = gs_preset_find (p->preset);
      /* Translators: "42 % · ReLU" while preparing the lesson */
      g_autofree char *text = g_strdup_printf (_ ("%.0f %% · %s"), 100 * p->fraction,
                                               preset != NULL ? _ (preset->title) : p->preset);
      gs_lesson_set_preparing (self->lesson, p->fraction, text);
    }
  g_weak_ref_clear (&p->window);
  g_free (p->preset);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* From the worker threads: posted to the main loop, never run here. */
static void
on_progress (guint64 done, guint64 total, const char *preset, gpointer user_data)
{
  Prepare  *prepare = user_data;
  Progress *p = g_new0 (Progress, 1);
  GObject  *window = g_weak_ref_get (&prepare->window);

  g_weak_ref_init (&p->window, window);
  g_clear_object (&window);
  p->fraction = total > 0 ? (double) done / total : 0;
  p->preset = g_strdup (preset);
  g_idle_add (show_progress, p);
}

static void
prepare_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Prepare *p = task_data;
  GError  *error = NULL;

  if (gs_lesson_prepare (gs_shared_data_get (p->data), p->dir, p->epochs, MAX (1, omp_get_num_procs ()),
                         &p->cancel, on_progress, p, &p->prepared, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The prepared runs join the run list (the reused ones are there already:
 * the library listed them at start). */
static void
open_prepared (GsWindow *self, char **paths)
{
  for (char **path = paths; path != NULL && *path != NULL; path++)
    {
      g_autoptr (GError) error = NULL;
      GsRun *run = gs_window_open_run (self, *path, &error);

      if (run == NULL)
        _gs_window_show_banner (self, error->message);
    }
}

static void
prepare_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GsWindow *self = GS_WINDOW (source);
  Prepare  *p = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (self->preparing != p) /* the window is closing */
    return;
  self->preparing = NULL;
  gs_lesson_set_preparing (self->lesson, -1, NULL);
  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _gs_window_show_banner (self, error->message);
  open_prepared (self, p->prepared.trained);
  _gs_window_refresh_lesson (self);
  _gs_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "preparing");
}

void
_gs_window_prepare_lesson (GsWindow *self)
{
  g_autoptr (GTask) task = NULL;
  Prepare *p;

  if (self->preparing != NULL || self->data == NULL)
    return;
  p = g_new0 (Prepare, 1);
  p->data = gs_shared_data_ref (self->data);
  p->dir = g_strdup (gs_window_get_library_dir (self));
  p->epochs = gs_lesson_get_prepare_epochs (self->lesson);
  g_weak_ref_init (&p->window, self);
  self->preparing = p;
  gs_lesson_set_preparing (self->lesson, 0, _ ("Starting…"));
  task = g_task_new (self, NULL, prepare_done, NULL);
  g_task_set_task_data (task, p, (GDestroyNotify) prepare_free);
  gs_worker_run (task, prepare_thread);
  _gs_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "preparing");
}

/* Stops the runs in progress; what finished stays saved. Also called when
 * the window closes (the application waits for the worker). */
void
_gs_window_cancel_prepare (GsWindow *self)
{
  Prepare *p = self->preparing;

  if (p == NULL)
    return;
  g_atomic_int_set (&p->cancel, 1);
}

void
gs_window_prepare_lesson (GsWindow *self, int epochs)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  if (epochs > 0)
    gs_lesson_set_prepare_epochs (self->lesson, epochs);
  _gs_window_prepare_lesson (self);
}

gboolean
gs_window_get_preparing (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return self->preparing != NULL;
}
