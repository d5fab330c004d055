/* gs-cli-reproduce.c: `gradscope-cli reproduce`, the ten seed experiments
 * (SEEDS.md), one run per core, and the table beside the notebooks' numbers. */
#define G_LOG_DOMAIN "gs-cli-reproduce"

#include "gs-cli.h"

#include <glib/gstdio.h>
#include <math.h>
#include "gs-omp.h"

#include "gs-runfile.h"

typedef struct
{
  const char *id;
  double      notebook_a, notebook_b; /* test accuracy after 100 epochs */
} Seed;

/* clang-format off */
static const Seed seeds[] = {
  { "baseline", 0.0995, 0.1000 },   { "init-std1", 0.7311, 0.8063 },
  { "init-std10", 0.2275, 0.1672 }, { "relu", 0.8003, 0.8785 },
  { "adam", 0.8670, 0.6002 },       { "batchnorm", 0.8765, 0.8736 },
  { "customnorm", 0.8443, 0.8693 }, { "skip", 0.6667, 0.8424 },
  { "layerwise", 0.4257, 0.8758 },  { "gradnorm", 0.0995, 0.8447 },
};
/* clang-format on */
#define N_SEEDS G_N_ELEMENTS (seeds)

typedef struct
{
  GsConfig         base; /* options every run shares */
  const GsDataset *data;
  const char      *out_dir;
  int              threads_per_job;
  GsRecord        *records[N_SEEDS];
  char            *errors[N_SEEDS];
  GMutex           lock;
} Job;

static void
run_one (gpointer item, gpointer user_data)
{
  Job             *job = user_data;
  guint            i = GPOINTER_TO_UINT (item) - 1;
  GsConfig         c;
  GError          *error = NULL;
  GsRecord        *rec;
  g_autofree char *json = NULL, *run = NULL;

  omp_set_num_threads (job->threads_per_job);
  gs_config_load_preset (&c, seeds[i].id, NULL);
  c.epochs = job->base.epochs;
  c.batch_size = job->base.batch_size;
  c.seed = job->base.seed;
  c.limit_train = job->base.limit_train;
  rec = gs_cli_run_training (&c, job->data, TRUE, TRUE, &error);
  json = g_strdup_printf ("%s/%s.json", job->out_dir, seeds[i].id);
  run = g_strdup_printf ("%s/%s" GS_RUNFILE_SUFFIX, job->out_dir, seeds[i].id);
  if (rec && (!gs_cli_write_summary (rec, json, &error) || !gs_runfile_save (rec, run, &error)))
    g_clear_pointer (&rec, gs_record_unref);
  g_mutex_lock (&job->lock);
  job->records[i] = rec;
  if (error)
    job->errors[i] = g_strdup (error->message);
  if (rec)
    printf ("%-12s test accuracy %.4f  (%.0f s)\n", seeds[i].id,
            gs_record_has_test (rec) ? gs_record_test_accuracy (rec) : NAN, gs_record_seconds (rec));
  else
    printf ("%-12s failed: %s\n", seeds[i].id, error->message);
  fflush (stdout);
  g_mutex_unlock (&job->lock);
  g_clear_error (&error);
}

static void
write_row (GString *md, GString *csv, const Seed *s, GsRecord *rec)
{
  const guint  n = gs_record_n_layers (rec);
  const double acc = gs_record_has_test (rec) ? gs_record_test_accuracy (rec) : NAN;
  const double g_in = gs_record_first_epoch_probe (rec, GS_PROBE_GRAD_NORM, 0);
  const double g_out = gs_record_first_epoch_probe (rec, GS_PROBE_GRAD_NORM, n - 1);

  g_string_append_printf (md, "| %s | %.4f | %.4f | %.4f | %s | %.1e |", s->id, acc, s->notebook_a,
                          s->notebook_b, gs_record_diverged (rec, NULL, NULL, NULL) ? "yes" : "no",
                          g_in / g_out);
  g_string_append_printf (csv, "%s,%.6f,%.4f,%.4f,%d", s->id, acc, s->notebook_a, s->notebook_b,
                          gs_record_diverged (rec, NULL, NULL, NULL));
  for (guint l = 0; l < n; l++)
    {
      double g = gs_record_first_epoch_probe (rec, GS_PROBE_GRAD_NORM, l);
      g_string_append_printf (md, " %.2e |", g);
      g_string_append_printf (csv, ",%.6e", g);
    }
  g_string_append (md, "\n");
  g_string_append (csv, "\n");
}

static gboolean
write_tables (Job *job, GError **error)
{
  g_autoptr (GString) md = g_string_new (NULL);
  g_autoptr (GString) csv = g_string_new ("preset,test_accuracy,notebook_a,notebook_b,diverged");
  g_autofree char *md_path = g_strdup_printf ("%s/table.md", job->out_dir);
  g_autofree char *csv_path = g_strdup_printf ("%s/table.csv", job->out_dir);
  guint            n = (guint) job->base.depth + 1;

  g_string_append_printf (md,
                          "# Seed experiments: %d epochs, batch %d, seed %" G_GUINT64_FORMAT ", data: %s\n\n",
                          job->base.epochs, job->base.batch_size, job->base.seed, job->data->name);
  g_string_append (md, "Test accuracy beside the notebooks' (100 epochs; A: batch 512, B: batch 64), "
                       "and the weight-gradient norm ‖∂L/∂W‖₂ of each Linear layer, mean over epoch 1 "
                       "(hidden1 = input side). in/out = hidden1 / output.\n\n"
                       "| preset | test acc | notebook A | notebook B | diverged | in/out |");
  for (guint l = 0; l < n; l++)
    {
      g_autofree char *name = l + 1 == n ? g_strdup ("output") : g_strdup_printf ("hidden%u", l + 1);
      g_string_append_printf (md, " %s |", name);
      g_string_append_printf (csv, ",grad_norm_first_epoch_%s", name);
    }
  g_string_append (md, "\n|---|---|---|---|---|---|");
  for (guint l = 0; l < n; l++)
    g_string_append (md, "---|");
  g_string_append (md, "\n");
  g_string_append (csv, "\n");
  for (guint i = 0; i < N_SEEDS; i++)
    if (job->records[i])
      write_row (md, csv, &seeds[i], job->records[i]);
    else
      g_string_append_printf (md, "| %s | failed: %s |\n", seeds[i].id, job->errors[i]);
  return g_file_set_contents (md_path, md->str, md->len, error)
         && g_file_set_contents (csv_path, csv->str, csv->len, error);
}

static gboolean
parse_args (int argc, char **argv, Job *job, char **data_dir, int *jobs, GError **error)
{
  for (int i = 0; i < argc; i++)
    {
      const char *name = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
      if (value == NULL)
        return gs_cli_usage_error (error, "%s needs a value", name);
      i++;
      if (g_strcmp0 (name, "--out") == 0)
        job->out_dir = value;
      else if (g_strcmp0 (name, "--data") == 0)
        *data_dir = g_strdup (value);
      else if (g_strcmp0 (name, "--jobs") == 0)
        {
          guint64 v;
          if (!g_ascii_string_to_unsigned (value, 10, 1, 64, &v, NULL))
            return gs_cli_usage_error (error, "--jobs: expected a whole number from 1 to 64, got '%s'",
                                       value);
          *jobs = (int) v;
        }
      else if (g_strcmp0 (name, "--epochs") == 0 || g_strcmp0 (name, "--batch-size") == 0
               || g_strcmp0 (name, "--seed") == 0 || g_strcmp0 (name, "--limit-train") == 0)
        {
          if (!gs_config_set (&job->base, name + 2, value, error))
            return FALSE;
        }
      else
        return gs_cli_usage_error (error, "reproduce: unknown option '%s'", name);
    }
  return TRUE;
}

int
gs_cli_reproduce (int argc, char **argv)
{
  Job job = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = NULL;
  g_autofree char *data_dir = NULL;
  int              jobs = MAX (1, MIN (omp_get_num_procs (), (int) N_SEEDS)), status = 0;
  GThreadPool     *pool;

  gs_config_init_defaults (&job.base);
  job.out_dir = "reproduce";
  if (!parse_args (argc, argv, &job, &data_dir, &jobs, &error))
    return gs_cli_fail (error);
  if (g_mkdir_with_parents (job.out_dir, 0755) != 0)
    {
      fprintf (stderr, "gradscope-cli: --out %s: cannot create the folder\n", job.out_dir);
      return 1;
    }
  if ((data = gs_cli_load_data (data_dir, FALSE, &error)) == NULL)
    return gs_cli_fail (error);
  job.data = data;
  job.threads_per_job = MAX (1, omp_get_num_procs () / jobs);
  g_mutex_init (&job.lock);
  printf ("reproducing %u seed experiments: %d epochs, batch %d, %d at a time, on %s\n", (guint) N_SEEDS,
          job.base.epochs, job.base.batch_size, jobs, data->name);
  pool = g_thread_pool_new (run_one, &job, jobs, TRUE, NULL);
  for (guint i = 0; i < N_SEEDS; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  if (!write_tables (&job, &error))
    status = gs_cli_fail (error);
  else
    printf ("wrote %s/table.md and %s/table.csv\n", job.out_dir, job.out_dir);
  for (guint i = 0; i < N_SEEDS; i++)
    {
      if (job.records[i] == NULL)
        status = 1;
      g_clear_pointer (&job.records[i], gs_record_unref);
      g_free (job.errors[i]);
    }
  g_mutex_clear (&job.lock);
  return status;
}
