/* gs-cli-lesson.c: `gradscope-cli lesson --prepare`: trains the runs the
 * window's lesson shows, into the folder of saved runs, so a class needs
 * no training (gs-lesson-plan.h). */
#define G_LOG_DOMAIN "gs-cli-lesson"

#include "gs-cli.h"

#include <string.h>
#include <unistd.h>

#include "gs-lesson-plan.h"
#include "gs-omp.h"

typedef struct
{
  gboolean    prepare, quiet;
  int         epochs, jobs;
  const char *data_dir, *out_dir;
} LessonArgs;

static void
lesson_usage (FILE *out)
{
  fprintf (
      out,
      "Usage: gradscope-cli lesson --prepare [--epochs N] [--data DIR] [--out DIR] [--jobs N] [--quiet]\n\n"
      "Trains every run the window's lesson shows (one per experiment step) and saves\n"
      "each as DIR/lesson-PRESET.gsrun; runs already there, as long or longer, are\n"
      "reused. The window lists them under Saved Runs at its next start.\n\n"
      "  --epochs N   epochs of each run, per phase for layer-wise (default %d)\n"
      "  --data DIR   the data set (default: Fashion-MNIST where installed)\n"
      "  --out DIR    where to save (default: the window's saved runs, %s)\n"
      "  --jobs N     runs at a time, one core each (default: the number of cores)\n"
      "  --quiet      no progress bar\n",
      GS_LESSON_DEFAULT_EPOCHS, "$XDG_DATA_HOME/gradscope/runs");
}

static gboolean
parse_number (const char *opt, const char *value, int max, int *out, GError **error)
{
  gint64 v;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, 1, max, &v, NULL))
    return gs_cli_usage_error (error, "%s: expected a whole number from 1 to %d, got '%s'", opt, max,
                               value ? value : "");
  *out = (int) v;
  return TRUE;
}

static gboolean
parse_lesson_args (int argc, char **argv, LessonArgs *a, GError **error)
{
  for (int i = 0; i < argc; i++)
    {
      const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

      if (strcmp (o, "--prepare") == 0 || strcmp (o, "--quiet") == 0)
        {
          *(o[2] == 'p' ? &a->prepare : &a->quiet) = TRUE;
          continue;
        }
      if (strcmp (o, "--epochs") == 0 || strcmp (o, "--jobs") == 0)
        {
          if (!parse_number (o, v, o[2] == 'e' ? 10000 : 64, o[2] == 'e' ? &a->epochs : &a->jobs, error))
            return FALSE;
        }
      else if ((strcmp (o, "--data") == 0 || strcmp (o, "--out") == 0) && v != NULL && *v != '\0')
        *(o[2] == 'd' ? &a->data_dir : &a->out_dir) = v;
      else if (strcmp (o, "--data") == 0 || strcmp (o, "--out") == 0)
        return gs_cli_usage_error (error, "%s needs a folder", o);
      else
        return gs_cli_usage_error (error, "lesson: unknown option '%s' (lesson --help lists them)", o);
      i++;
    }
  if (!a->prepare)
    return gs_cli_usage_error (error, "lesson: nothing to do: say --prepare (lesson --help)");
  return TRUE;
}

/* A bar on a terminal, a line per tenth elsewhere (logs, CI). */
static void
print_progress (guint64 done, guint64 total, const char *preset, gpointer user_data)
{
  static int    last_tenth = -1;
  const int     width = 30, filled = total > 0 ? (int) (done * width / total) : 0;
  const int     tenth = total > 0 ? (int) (done * 10 / total) : 0;
  static GMutex lock;

  g_mutex_lock (&lock);
  if (isatty (STDERR_FILENO))
    fprintf (stderr, "\r[%.*s%*s] %3d%%  %-16s", filled, "##############################", width - filled, "",
             (int) (total > 0 ? done * 100 / total : 0), preset);
  else if (tenth != last_tenth)
    fprintf (stderr, "lesson: %3d%% (%s)\n", tenth * 10, preset);
  last_tenth = tenth;
  g_mutex_unlock (&lock);
}

int
gs_cli_lesson (int argc, char **argv)
{
  LessonArgs a = { FALSE, FALSE, GS_LESSON_DEFAULT_EPOCHS, MAX (1, omp_get_num_procs ()), NULL, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = NULL;
  g_autofree char *dir = NULL;
  GsLessonPrepared done;
  gint64           start = g_get_monotonic_time ();
  gboolean         ok;

  for (int i = 0; i < argc; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      return lesson_usage (stdout), 0;
  if (!parse_lesson_args (argc, argv, &a, &error))
    return gs_cli_fail (error);
  if ((data = gs_cli_load_data (a.data_dir, a.quiet, &error)) == NULL)
    return gs_cli_fail (error);
  dir = a.out_dir != NULL ? g_strdup (a.out_dir) : gs_lesson_runs_dir ();
  ok = gs_lesson_prepare (data, dir, a.epochs, a.jobs, NULL, a.quiet ? NULL : print_progress, NULL, &done,
                          &error);
  g_auto (GStrv) trained = done.trained; /* freed on every return */
  if (!a.quiet && isatty (STDERR_FILENO))
    fputc ('\n', stderr); /* after the bar */
  if (!ok)
    return gs_cli_fail (error);
  if (!a.quiet)
    printf ("lesson: %u runs trained, %u reused, in %s (%.1f s, %d epochs each, data: %s)\n", done.n_trained,
            done.n_reused, dir, (g_get_monotonic_time () - start) / 1e6, a.epochs, data->name);
  return 0;
}
