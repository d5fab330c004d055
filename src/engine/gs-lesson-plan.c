/* gs-lesson-plan.c: the runs the lesson shows, and preparing them (see
 * gs-lesson-plan.h). */
#define G_LOG_DOMAIN "gs-lesson-plan"

#include "gs-lesson-plan.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "gs-omp.h"
#include "gs-runfile.h"
#include "gs-trainer.h"

/* Every preset a lesson step (src/app/gs-lesson.c) shows a run of; the At
 * Init steps (he-relu-deep...) probe the sidebar's network and need none.
 * tests/app/test-window.c checks that the two lists agree. */
static const char *const plan[] = {
  "baseline",        "init-std1",      "init-std10",   "relu",      "adam",
  "batchnorm",       "customnorm",     "skip",         "layerwise", "gradnorm",
  "gradnorm-switch", "glorot-sigmoid", "ioffe-bn-off", "ioffe-bn",  NULL,
};

#define PERMILLE 1000 /* progress of one run, in thousandths */

const char *const *
gs_lesson_plan_presets (void)
{
  return plan;
}

char *
gs_lesson_runs_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "gradscope", "runs", NULL);
}

char *
gs_lesson_run_path (const char *dir, const char *preset)
{
  g_autofree char *name = g_strdup_printf ("lesson-%s" GS_RUNFILE_SUFFIX, preset);

  return g_build_filename (dir, name, NULL);
}

gboolean
gs_lesson_config (GsConfig *config, const char *preset, int epochs, GError **error)
{
  g_autofree char *value = g_strdup_printf ("%d", epochs);

  gs_config_init_defaults (config);
  return gs_config_load_preset (config, preset, error) && gs_config_set (config, "epochs", value, error)
         && gs_config_validate (config, error);
}

gboolean
gs_lesson_run_is_ready (const char *path, const GsConfig *want, const char *data_name)
{
  g_autoptr (GsRecord) rec = NULL;
  gboolean stopped = TRUE;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || (rec = gs_runfile_load (path, NULL)) == NULL)
    return FALSE;
  return gs_record_finished (rec, &stopped) && !stopped
         && gs_config_same_experiment (gs_record_config (rec), want)
         && gs_record_config (rec)->epochs >= want->epochs
         && g_strcmp0 (gs_record_dataset (rec), data_name) == 0;
}

typedef struct
{
  const char     *preset;
  GsConfig        config;
  char           *path;
  GsTrainer      *trainer;
  guint           permille; /* atomic: this run's progress */
  struct Prepare *prepare;
} Job;

typedef struct Prepare
{
  const GsDataset *data;
  const gint      *cancel;
  GsLessonProgress progress;
  gpointer         user_data;
  GPtrArray       *jobs; /* of Job */
  GMutex           lock;
  GError          *error; /* the first */
} Prepare;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->trainer, gs_trainer_free);
  g_free (job->path);
  g_free (job);
}

static void
report (Prepare *p, const char *preset)
{
  guint64 done = 0;

  if (p->progress == NULL)
    return;
  for (guint i = 0; i < p->jobs->len; i++)
    done += g_atomic_int_get (&((Job *) g_ptr_array_index (p->jobs, i))->permille);
  p->progress (done, (guint64) p->jobs->len * PERMILLE, preset, p->user_data);
}

static void
on_trainer_event (GsTrainerEvent event, const GsProgress *progress, gpointer user_data)
{
  Job *job = user_data;

  if (job->prepare->cancel != NULL && g_atomic_int_get (job->prepare->cancel))
    gs_trainer_stop (job->trainer);
  if (progress->n_steps > 0)
    {
      guint before = g_atomic_int_get (&job->permille);
      guint now = (guint) ((guint64) progress->step * PERMILLE / progress->n_steps);

      g_atomic_int_set (&job->permille, now);
      /* about fifty reports a run */
      if (now / 20 != before / 20 || event != GS_TRAINER_EVENT_STEP)
        report (job->prepare, job->preset);
    }
}

static void
fail (Prepare *p, GError *error)
{
  g_mutex_lock (&p->lock);
  if (p->error == NULL)
    p->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&p->lock);
}

static void
train_one (gpointer item, gpointer user_data)
{
  Job      *job = item;
  Prepare  *p = user_data;
  GError   *error = NULL;
  GsRecord *rec;
  gboolean  stopped = TRUE;

  /* One thread per run: two runs use two cores with no OpenMP barriers. */
  omp_set_num_threads (1);
  if (p->cancel != NULL && g_atomic_int_get (p->cancel))
    return;
  gs_trainer_set_callback (job->trainer, on_trainer_event, job);
  if (!gs_trainer_run (job->trainer, &error))
    {
      g_prefix_error (&error, "%s: ", job->preset);
      fail (p, error);
      return;
    }
  rec = gs_trainer_get_record (job->trainer);
  if (!gs_record_finished (rec, &stopped) || stopped)
    return; /* cancelled: nothing half-trained is saved */
  if (!gs_runfile_save (rec, job->path, &error))
    fail (p, error);
  g_atomic_int_set (&job->permille, PERMILLE);
  report (p, job->preset);
}

/* One job per run that is not ready; trainers are built here, so a config
 * the data set cannot train fails before anything trains. */
static gboolean
plan_jobs (Prepare *p, const char *dir, int epochs, GsLessonPrepared *prepared, GError **error)
{
  for (const char *const *preset = plan; *preset != NULL; preset++)
    {
      g_autofree char *path = gs_lesson_run_path (dir, *preset);
      Job             *job;
      GsConfig         config;

      if (!gs_lesson_config (&config, *preset, epochs, error))
        return FALSE;
      if (gs_lesson_run_is_ready (path, &config, p->data->name))
        {
          prepared->n_reused++;
          continue;
        }
      job = g_new0 (Job, 1);
      job->preset = *preset;
      job->config = config;
      job->path = g_steal_pointer (&path);
      job->prepare = p;
      g_ptr_array_add (p->jobs, job);
      if ((job->trainer = gs_trainer_new (&job->config, p->data, error)) == NULL)
        return g_prefix_error (error, "%s: ", *preset), FALSE;
    }
  return TRUE;
}

static gboolean
run_jobs (Prepare *p, guint jobs, GError **error)
{
  GThreadPool *pool = g_thread_pool_new (train_one, p, MAX (jobs, 1), TRUE, error);

  if (pool == NULL)
    return FALSE;
  for (guint i = 0; i < p->jobs->len; i++)
    g_thread_pool_push (pool, g_ptr_array_index (p->jobs, i), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  if (p->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&p->error));
      return FALSE;
    }
  if (p->cancel != NULL && g_atomic_int_get (p->cancel))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "lesson preparation cancelled");
      return FALSE;
    }
  return TRUE;
}

gboolean
gs_lesson_prepare (const GsDataset  *data,
                   const char       *dir,
                   int               epochs,
                   guint             jobs,
                   const gint       *cancel,
                   GsLessonProgress  progress,
                   gpointer          user_data,
                   GsLessonPrepared *prepared,
                   GError          **error)
{
  Prepare p
      = { data, cancel, progress, user_data, g_ptr_array_new_with_free_func ((GDestroyNotify) job_free) };
  GsLessonPrepared counts = { 0, 0, NULL };
  gboolean         ok;

  g_mutex_init (&p.lock);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: cannot create the folder: %s", dir,
                   g_strerror (saved));
      ok = FALSE;
    }
  else
    ok = plan_jobs (&p, dir, epochs, &counts, error) && run_jobs (&p, jobs, error);
  counts.n_trained = ok ? p.jobs->len : 0;
  counts.trained = g_new0 (char *, counts.n_trained + 1);
  for (guint i = 0; i < counts.n_trained; i++)
    counts.trained[i] = g_strdup (((Job *) g_ptr_array_index (p.jobs, i))->path);
  if (prepared != NULL)
    *prepared = counts;
  else
    g_strfreev (counts.trained);
  g_clear_error (&p.error);
  g_ptr_array_unref (p.jobs);
  g_mutex_clear (&p.lock);
  return ok;
}
