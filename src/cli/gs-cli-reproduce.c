/* gs-cli-reproduce.c: `gradscope-cli reproduce`, the ten seed experiments
 * (SEEDS.md), one run per core, and the table beside the notebooks' numbers.
 * With --notebook A|B|both, each notebook as it ran: its presets (notebook
 * B's variants), its batch size, layer-wise with one line per phase. */
#define G_LOG_DOMAIN "gs-cli-reproduce"

#include "gs-cli.h"

#include <glib/gstdio.h>
#include <math.h>
#include "gs-omp.h"
#include <string.h>

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

/* A notebook as it ran (SEEDS.md): the preset of each of its ten cells,
 * its batch size, and what it printed after each layer-wise phase. */
typedef struct
{
  const char *name;
  int         batch_size;
  const char *presets[N_SEEDS]; /* cell k = seeds[k] */
  int         n_phases;
  double      phase_numbers[7];
  const char *phase_kinds; /* what phase_numbers are, per phase: 't'est or 'v'alidation accuracy */
} Notebook;

/* clang-format off */
static const Notebook notebooks[] = {
  { "A", 512, { "baseline", "init-std1", "init-std10", "relu", "adam", "batchnorm", "customnorm", "skip",
                "layerwise", "gradnorm" },
    4, { 0.6793, 0.5734, 0.4095, 0.4257 }, "tttt" },
  { "B", 64, { "baseline", "init-std1", "init-std10", "relu", "adam-lr1e-2", "batchnorm-b", "customnorm", "skip",
               "layerwise-finetune", "gradnorm-b" },
    7, { 0.848, 0.842, 0.874, 0.874, 0.880, 0.880, 0.8758 }, "vvvvvvt" },
};
/* clang-format on */
#define LAYERWISE_CELL 8
#define MAX_RUNS       (2 * N_SEEDS)

typedef struct
{
  const char     *preset;
  int             cell;     /* index into seeds */
  const Notebook *notebook; /* NULL: the seed table at --batch-size */
  GsRecord       *record;
  char           *error;
  double          cost; /* run_cost: the order runs start in */
} Run;

typedef struct
{
  GsConfig         base; /* options every run shares */
  gboolean         batch_given;
  const GsDataset *data;
  const char      *out_dir;
  GsCliCores       cores;
  Run              runs[MAX_RUNS];
  guint            n_runs;
  GMutex           lock;
} Job;

static char *
run_path (const Job *job, const Run *run, const char *suffix)
{
  if (run->notebook == NULL)
    return g_strdup_printf ("%s/%s%s", job->out_dir, run->preset, suffix);
  return g_strdup_printf ("%s/%s/%s%s", job->out_dir, run->notebook->name, run->preset, suffix);
}

static void
run_config (const Job *job, const Run *run, GsConfig *c)
{
  gs_config_load_preset (c, run->preset, NULL);
  c->epochs = job->base.epochs;
  c->batch_size = run->notebook && !job->batch_given ? run->notebook->batch_size : job->base.batch_size;
  c->seed = job->base.seed;
  c->limit_train = job->base.limit_train;
}

/* A run's time, roughly: its epochs times the layers each phase runs, a
 * third more with a normalisation (batchnorm took 1.5 times the
 * baseline's time, customnorm 1.2: reproduce --notebook A, 2026-12-01). */
static double
run_cost (const Job *job, const Run *run)
{
  GsConfig    c;
  GsPhasePlan plan[GS_MAX_PHASES];
  int         layers = 0, n;

  run_config (job, run, &c);
  n = gs_config_plan_phases (&c, plan);
  for (int k = 0; k < n; k++)
    layers += plan[k].depth_used + 1;
  return (double) c.epochs * layers * (c.norm != GS_NORM_NONE ? 4.0 / 3 : 1);
}

static int
by_cost (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const double ca = (*(Run *const *) a)->cost, cb = (*(Run *const *) b)->cost;

  (void) user_data;
  return (ca < cb) - (ca > cb);
}

static void
run_one (gpointer item, gpointer user_data)
{
  Job             *job = user_data;
  Run             *run = item;
  GsConfig         c;
  GError          *error = NULL;
  GsRecord        *rec;
  g_autofree char *json = run_path (job, run, ".json"), *file = run_path (job, run, GS_RUNFILE_SUFFIX);

  run_config (job, run, &c);
  if (gs_config_validate (&c, &error))
    rec = gs_cli_run_training (&c, NULL, job->data, TRUE, TRUE, &job->cores, &error);
  else
    rec = NULL, g_atomic_int_add (&job->cores.remaining, -1);
  if (rec && (!gs_cli_write_summary (rec, json, &error) || !gs_runfile_save (rec, file, &error)))
    g_clear_pointer (&rec, gs_record_unref);
  g_mutex_lock (&job->lock);
  run->record = rec;
  if (error)
    run->error = g_strdup (error->message);
  printf ("%s%s%-18s ", run->notebook ? run->notebook->name : "", run->notebook ? " " : "", run->preset);
  if (rec)
    printf ("test accuracy %.4f  (%.0f s)\n", gs_record_has_test (rec) ? gs_record_test_accuracy (rec) : NAN,
            gs_record_seconds (rec));
  else
    printf ("failed: %s\n", error->message);
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

static void
grad_header (GString *md, GString *csv, guint n)
{
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
}

static gboolean
save_tables (const char *out_dir, const char *stem, GString *md, GString *csv, GError **error)
{
  g_autofree char *md_path = g_strdup_printf ("%s/%s.md", out_dir, stem);
  g_autofree char *csv_path = g_strdup_printf ("%s/%s.csv", out_dir, stem);

  if (!g_file_set_contents (md_path, md->str, md->len, error)
      || !g_file_set_contents (csv_path, csv->str, csv->len, error))
    return FALSE;
  printf ("wrote %s and %s\n", md_path, csv_path);
  return TRUE;
}

static gboolean
write_tables (Job *job, GError **error)
{
  g_autoptr (GString) md = g_string_new (NULL);
  g_autoptr (GString) csv = g_string_new ("preset,test_accuracy,notebook_a,notebook_b,diverged");

  g_string_append_printf (md,
                          "# Seed experiments: %d epochs, batch %d, seed %" G_GUINT64_FORMAT ", data: %s\n\n",
                          job->base.epochs, job->base.batch_size, job->base.seed, job->data->name);
  g_string_append (md, "Test accuracy beside the notebooks' (100 epochs; A: batch 512, B: batch 64), "
                       "and the weight-gradient norm ‖∂L/∂W‖₂ of each Linear layer, mean over epoch 1 "
                       "(hidden1 = input side). in/out = hidden1 / output.\n\n"
                       "| preset | test acc | notebook A | notebook B | diverged | in/out |");
  grad_header (md, csv, (guint) job->base.depth + 1);
  for (guint i = 0; i < job->n_runs; i++)
    if (job->runs[i].record)
      write_row (md, csv, &seeds[job->runs[i].cell], job->runs[i].record);
    else
      g_string_append_printf (md, "| %s | failed: %s |\n", job->runs[i].preset, job->runs[i].error);
  return save_tables (job->out_dir, "table", md, csv, error);
}

/* One line per layer-wise phase: our test and validation accuracy beside
 * what the notebook printed after that phase. */
static void
write_phases (GString *md, GString *csv, const Notebook *nb, GsRecord *rec, const char *preset)
{
  for (guint k = 0; k < gs_record_n_phases (rec); k++)
    {
      const GsPhase *p = gs_record_phase (rec, k);
      const double   theirs = (int) k < nb->n_phases ? nb->phase_numbers[k] : NAN;
      const char    *kind = (int) k < nb->n_phases && nb->phase_kinds[k] == 'v' ? "val" : "test";
      const double   ours = kind[0] == 't' ? p->test_acc : p->val_acc;
      g_string_append_printf (
          md, "| 8, phase %u: %d hidden, trains %d-%d | %s | %.4f | %.4f | %.4f (%s) | %+.1f |\n", k + 1,
          p->active_depth, p->lowest_trainable + 1, p->active_depth, preset, p->test_acc, p->val_acc, theirs,
          kind, 100 * (ours - theirs));
      g_string_append_printf (csv, "%s,8,%s,%u,%d,%d,%.6f,%.6f,%.4f,%s\n", nb->name, preset, k + 1,
                              p->active_depth, p->lowest_trainable + 1, p->test_acc, p->val_acc, theirs,
                              kind);
    }
}

static gboolean
write_notebook_table (Job *job, const Notebook *nb, double seconds, GError **error)
{
  g_autoptr (GString) md = g_string_new (NULL);
  g_autoptr (GString) csv = g_string_new (
      "notebook,cell,preset,phase,hidden_layers,trainable_from,test_accuracy,val_accuracy,notebook,kind\n");
  g_autofree char *stem = g_strdup_printf ("table-%s", nb->name);

  g_string_append_printf (
      md,
      "# Notebook %s as it ran: batch %d, %d epochs (per phase for layer-wise), seed "
      "%" G_GUINT64_FORMAT ", data: %s; %.0f s wall for every reproduce run\n\n"
      "Δ = ours − notebook's, in points (test accuracy, or for the layer-wise phases "
      "what the notebook printed after each).\n\n"
      "| cell | preset | test acc | val acc | notebook %s | Δ |\n|---|---|---|---|---|---|\n",
      nb->name, nb->batch_size, job->base.epochs, job->base.seed, job->data->name, seconds, nb->name);
  for (guint i = 0; i < job->n_runs; i++)
    {
      const Run   *run = &job->runs[i];
      const Seed  *s = &seeds[run->cell];
      const double theirs = nb->name[0] == 'A' ? s->notebook_a : s->notebook_b;
      GsRecord    *rec = run->record;
      if (run->notebook != nb)
        continue;
      if (rec == NULL)
        {
          g_string_append_printf (md, "| %d %s | %s | failed: %s |\n", run->cell, s->id, run->preset,
                                  run->error);
          continue;
        }
      if (run->cell == LAYERWISE_CELL)
        {
          write_phases (md, csv, nb, rec, run->preset);
          continue;
        }
      const double ours = gs_record_has_test (rec) ? gs_record_test_accuracy (rec) : NAN;
      const double val
          = gs_record_n_epochs (rec) ? gs_record_epoch (rec, gs_record_n_epochs (rec) - 1)->val_acc : NAN;
      g_string_append_printf (md, "| %d %s | %s | %.4f | %.4f | %.4f | %+.1f |\n", run->cell, s->id,
                              run->preset, ours, val, theirs, 100 * (ours - theirs));
      g_string_append_printf (csv, "%s,%d,%s,0,,,%.6f,%.6f,%.4f,test\n", nb->name, run->cell, run->preset,
                              ours, val, theirs);
    }
  return save_tables (job->out_dir, stem, md, csv, error);
}

static gboolean
parse_notebook (const char *value, const Notebook **which, GError **error)
{
  if (g_ascii_strcasecmp (value, "A") == 0)
    which[0] = &notebooks[0];
  else if (g_ascii_strcasecmp (value, "B") == 0)
    which[0] = &notebooks[1];
  else if (g_ascii_strcasecmp (value, "both") == 0)
    which[0] = &notebooks[0], which[1] = &notebooks[1];
  else
    return gs_cli_usage_error (error, "--notebook: expected A, B or both, got '%s'", value);
  return TRUE;
}

static gboolean
parse_args (
    int argc, char **argv, Job *job, const Notebook **which, char **data_dir, int *jobs, GError **error)
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
      else if (g_strcmp0 (name, "--notebook") == 0)
        {
          if (!parse_notebook (value, which, error))
            return FALSE;
        }
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
          job->batch_given |= g_strcmp0 (name, "--batch-size") == 0;
          if (!gs_config_set (&job->base, name + 2, value, error))
            return FALSE;
        }
      else
        return gs_cli_usage_error (error, "reproduce: unknown option '%s'", name);
    }
  return TRUE;
}

/* The runs (run_all starts the longest first, so that two cores finish
 * together); each notebook's runs go to DIR/A or DIR/B. */
static gboolean
plan_runs (Job *job, const Notebook **which)
{
  for (int w = 0; w < 2 && which[w]; w++)
    {
      g_autofree char *dir = g_build_filename (job->out_dir, which[w]->name, NULL);
      if (g_mkdir_with_parents (dir, 0755) != 0)
        return FALSE;
      for (int k = 0; k < (int) N_SEEDS; k++)
        job->runs[job->n_runs++] = (Run){ which[w]->presets[k], k, which[w], NULL, NULL, 0 };
    }
  if (which[0] == NULL)
    for (int k = 0; k < (int) N_SEEDS; k++)
      job->runs[job->n_runs++] = (Run){ seeds[k].id, k, NULL, NULL, NULL, 0 };
  return TRUE;
}

static void
run_all (Job *job, int jobs)
{
  GThreadPool *pool = g_thread_pool_new (run_one, job, jobs, TRUE, NULL);
  Run         *order[MAX_RUNS];

  for (guint i = 0; i < job->n_runs; i++)
    {
      order[i] = &job->runs[i];
      order[i]->cost = run_cost (job, order[i]);
    }
  g_qsort_with_data (order, (gint) job->n_runs, sizeof *order, by_cost, NULL);
  for (guint i = 0; i < job->n_runs; i++)
    g_thread_pool_push (pool, order[i], NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
}

static void
reproduce_usage (FILE *out)
{
  fputs ("Usage: gradscope-cli reproduce [--notebook A|B|both] [--epochs N] [--batch-size N]\n"
         "                               [--seed N] [--limit-train N] [--data DIR] [--out DIR] [--jobs N]\n\n"
         "Trains the ten seed experiments and writes DIR/table.md and DIR/table.csv: test\n"
         "accuracy beside both notebooks' and each layer's gradient norm in epoch 1.\n"
         "With --notebook, each notebook as it ran (its presets and batch size: A 512,\n"
         "B 64; layer-wise one line per phase) into DIR/A or DIR/B and DIR/table-A.md.\n"
         "The longest runs start first; a run file and a JSON summary are kept per run.\n\n"
         "  --notebook A|B|both  the notebooks' protocols instead of the seed table\n"
         "  --epochs N           epochs of each run, per phase for layer-wise (default 100)\n"
         "  --batch-size N       instead of the notebook's (default 512, or the notebook's)\n"
         "  --seed N             the runs' seed (default 0)\n"
         "  --limit-train N      train on the first N samples only (for a quick look)\n"
         "  --data DIR           the data set (default: Fashion-MNIST where installed)\n"
         "  --out DIR            where to write (default: ./reproduce)\n"
         "  --jobs N             runs at a time (default: one per core); when fewer are\n"
         "                       left, runs at batch 256 or more take the free cores\n",
         out);
}

int
gs_cli_reproduce (int argc, char **argv)
{
  Job job = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = NULL;
  g_autofree char *data_dir = NULL;
  const Notebook  *which[2] = { NULL, NULL };
  int              jobs = MAX (1, MIN (omp_get_num_procs (), (int) N_SEEDS)), status = 0;
  gint64           start;

  for (int i = 0; i < argc; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      return reproduce_usage (stdout), 0;
  gs_config_init_defaults (&job.base);
  job.out_dir = "reproduce";
  if (!parse_args (argc, argv, &job, which, &data_dir, &jobs, &error))
    return gs_cli_fail (error);
  if (g_mkdir_with_parents (job.out_dir, 0755) != 0 || !plan_runs (&job, which))
    {
      fprintf (stderr, "gradscope-cli: --out %s: cannot create the folder\n", job.out_dir);
      return 1;
    }
  if ((data = gs_cli_load_data (data_dir, FALSE, &error)) == NULL)
    return gs_cli_fail (error);
  job.data = data;
  job.cores = (GsCliCores){ omp_get_num_procs (), jobs, (gint) job.n_runs };
  g_mutex_init (&job.lock);
  printf ("reproducing %u runs: %d epochs%s, %d at a time, on %s\n", job.n_runs, job.base.epochs,
          which[0] ? " (per phase for layer-wise)" : "", jobs, data->name);
  start = g_get_monotonic_time ();
  run_all (&job, jobs);
  for (int w = 0; w < 2 && which[w] && status == 0; w++)
    if (!write_notebook_table (&job, which[w], (g_get_monotonic_time () - start) / 1e6, &error))
      status = gs_cli_fail (error);
  if (which[0] == NULL && !write_tables (&job, &error))
    status = gs_cli_fail (error);
  printf ("%.1f s wall in all\n", (g_get_monotonic_time () - start) / 1e6);
  for (guint i = 0; i < job.n_runs; i++)
    {
      if (job.runs[i].record == NULL)
        status = 1;
      g_clear_pointer (&job.runs[i].record, gs_record_unref);
      g_free (job.runs[i].error);
    }
  g_mutex_clear (&job.lock);
  return status;
}
