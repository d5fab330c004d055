/* gs-lesson-plan.h: the runs the lesson shows, and preparing them.
 *
 * The lesson (src/app/gs-lesson.c) walks through the seed experiments and
 * the classic papers' settings; every step but the At Init ones shows a
 * finished run of its preset. Preparing the lesson trains each of them at a
 * class length (a few epochs) and saves it as DIR/lesson-PRESET.gsrun; a
 * run already there that is as long or longer is reused. The window's
 * "Prepare Lesson" and `gradscope-cli lesson --prepare` both call
 * gs_lesson_prepare(), into the folder of saved runs.
 */
#pragma once

#include <glib.h>

#include "gs-config.h"
#include "gs-dataset.h"

G_BEGIN_DECLS

/* Short enough that the whole set trains in well under a minute on two
 * cores with Fashion-MNIST (bench: `gradscope-cli lesson --prepare`). */
#define GS_LESSON_DEFAULT_EPOCHS 2

/* The presets the lesson needs a run of, in lesson order; NULL-terminated. */
const char *const *gs_lesson_plan_presets (void);

/* The folder where runs are saved and listed at the next start:
 * $XDG_DATA_HOME/gradscope/runs. */
char *gs_lesson_runs_dir (void);

/* DIR/lesson-PRESET.gsrun */
char *gs_lesson_run_path (const char *dir, const char *preset);

/* The configuration of the lesson's run of a preset: the preset as it
 * stands, trained for `epochs` (per phase for layer-wise presets). */
gboolean gs_lesson_config (GsConfig *config, const char *preset, int epochs, GError **error);

/* TRUE when path holds a finished (not stopped) run of the same experiment
 * as want, at least as long, on the data set named data_name. */
gboolean gs_lesson_run_is_ready (const char *path, const GsConfig *want, const char *data_name);

/* done and total count training steps over all runs still to train; preset
 * is the one that just moved (called from worker threads). */
typedef void (*GsLessonProgress) (guint64 done, guint64 total, const char *preset, gpointer user_data);

typedef struct
{
  guint  n_trained; /* runs trained and saved now */
  guint  n_reused;  /* runs that were ready */
  char **trained;   /* their paths, NULL-terminated; free with g_strfreev() */
} GsLessonPrepared;

/* Trains every run of the plan that is not ready, `jobs` at a time (one
 * thread each), and saves each into dir. *cancel (may be NULL), set from
 * any thread, stops the runs in progress: they are not saved, and the
 * call returns FALSE with G_IO_ERROR_CANCELLED. Other errors name the
 * preset or the file. */
gboolean gs_lesson_prepare (const GsDataset  *data,
                            const char       *dir,
                            int               epochs,
                            guint             jobs,
                            const gint       *cancel,
                            GsLessonProgress  progress,
                            gpointer          user_data,
                            GsLessonPrepared *prepared,
                            GError          **error);

G_END_DECLS
