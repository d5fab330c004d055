/* gs-cli-sweep.c: `gradscope-cli sweep`, a grid of options expanded into
 * independent runs (docs/sweep.md).
 *
 * The grid is the product of the --grid dimensions, last one fastest. Each
 * run is what `gradscope-cli train` would do with the options given plus its
 * grid values, so a run done here (--jobs) and one done elsewhere from the
 * job list (--emit-jobs) give the same files; --collect gathers either kind
 * into DIR/sweep.csv. --emit-slurm writes the job list with a ready Slurm
 * array job around it (gs-cli-slurm.c).
 */
#define G_LOG_DOMAIN "gs-cli-sweep"

#include "gs-cli.h"

#include <glib/gstdio.h>
#include <math.h>
#include "gs-omp.h"
#include <string.h>

#include "gs-cli-slurm.h"
#include "gs-runfile.h"

#define MAX_RUNS 10000u

typedef struct
{
  char      *name;   /* an option of the table, or "preset" */
  GPtrArray *values; /* (char *) */
} Dim;

typedef struct
{
  GPtrArray  *dims;     /* (Dim *), in the order given */
  GPtrArray  *fixed;    /* (char *) option name, value, name, value, ... */
  GPtrArray  *at;       /* (char *) "at" or "at-epoch", its value, ...: as given, for the job list */
  GArray     *schedule; /* GsIntervention: the same, parsed */
  char       *preset;
  char       *data_dir;
  char       *out_dir;
  char       *emit_path;
  char       *cli;
  GsSlurmArgs slurm;
  GPtrArray  *argv; /* (char *) as given, for the --collect command printed */
  int         jobs;
  gboolean    collect, dry_run, quiet, no_probes;
} SweepArgs;

/* What sweep.csv says about one run. */
typedef struct
{
  const char *status; /* "ok", "diverged", "failed", "missing" */
  double      test_acc, test_loss, train_loss, val_acc, seconds;
  double      grad_in, grad_out; /* mean weight-gradient norm over epoch 1 */
  char       *error;
  int         exit_status; /* of its Slurm task; -1: none */
  char       *log;         /* its Slurm task's log */
} Row;

typedef struct
{
  char    *name;   /* "004_depth-4_activation-relu" */
  char   **values; /* one per dimension, borrowed */
  GsConfig config;
  Row      row;
} Run;

typedef struct
{
  const SweepArgs *args;
  const GsDataset *data;
  GsCliCores       cores;
  guint            n_runs, n_done;
  GMutex           lock;
} Pool;

static void
dim_free (gpointer p)
{
  Dim *d = p;

  g_free (d->name);
  g_ptr_array_unref (d->values);
  g_free (d);
}

static void
sweep_args_clear (SweepArgs *a)
{
  g_ptr_array_unref (a->dims);
  g_ptr_array_unref (a->fixed);
  g_ptr_array_unref (a->at);
  g_array_unref (a->schedule);
  g_free (a->preset);
  g_free (a->data_dir);
  g_free (a->out_dir);
  g_free (a->emit_path);
  g_free (a->cli);
  g_ptr_array_unref (a->argv);
  gs_slurm_args_clear (&a->slurm);
}

static void
runs_free (Run *runs, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (runs[i].name);
      g_free (runs[i].values);
      g_free (runs[i].row.error);
      g_free (runs[i].row.log);
    }
  g_free (runs);
}

/* --- Parsing ------------------------------------------------------------- */

static void
sweep_usage (FILE *out)
{
  fprintf (out, "Usage: gradscope-cli sweep --grid NAME=V1,V2,... [--grid ...] [--preset ID]\n"
                "                           [--OPTION VALUE ...] [--data DIR] [--out DIR]\n"
                "                           [--jobs N | --emit-jobs FILE | --emit-slurm FILE [--submit]\n"
                "                            | --collect | --dry-run]\n"
                "\nExpands a grid of options into independent runs: every combination of the\n"
                "--grid values is one run of 'gradscope-cli train' with the other options.\n"
                "\n  --grid NAME=VALUES  a dimension: any train option, or preset. Values are\n"
                "                      separated by commas, or by slashes when a value holds\n"
                "                      commas (layerwise=none/2,2,2,1); A..B and A..B:STEP\n"
                "                      expand to whole numbers (depth=2..30:4)\n"
                "  --out DIR           each run writes DIR/NNN_NAME.json and .gsrun; the\n"
                "                      sweep writes DIR/sweep.csv (default: sweep)\n"
                "  --jobs N            runs at a time here, each on its share of the cores\n"
                "                      (default: one per core)\n"
                "  --emit-jobs FILE    write the job list instead, one train command a line,\n"
                "                      for GNU Parallel or a Slurm array job\n"
                "  --emit-slurm FILE   write a Slurm array job (one task a run) and the job list\n"
                "                      beside it (FILE without its extension, .jobs)\n"
                "  --submit            and submit it with sbatch, printing the job id\n"
                "  --partition NAME, --time LIMIT, --cpus-per-task N (default 1)\n"
                "                      for the Slurm job; OMP_NUM_THREADS follows the CPUs\n"
                "  --cli PROGRAM       the program the job list calls (default: gradscope-cli)\n"
                "  --collect           read the grid's run files in DIR, write DIR/sweep.csv;\n"
                "                      say which runs are not done and how to rerun only those\n"
                "  --dry-run           print the runs and exit\n"
                "  --quiet, --no-probes, --data DIR, --at, --at-epoch   as for train\n"
                "\nExit status: 0 every run finished (diverged runs included), 1 a run failed\n"
                "or an error, 2 bad usage.\n");
}

/* "A..B" or "A..B:STEP" of whole numbers into values. Returns 1 when
 * value was a range, 0 when it is not one, -1 (and an error) when it is a
 * bad one. */
static int
expand_range (const char *value, GPtrArray *values, GError **error)
{
  g_auto (GStrv) ends = NULL, tail = NULL;
  gint64 a, b, step = 1;

  if (strstr (value, "..") == NULL)
    return 0;
  ends = g_strsplit (value, "..", 2);
  tail = g_strsplit (ends[1], ":", 2);
  if (!g_ascii_string_to_signed (ends[0], 10, 0, G_MAXINT, &a, NULL)
      || !g_ascii_string_to_signed (tail[0], 10, a, G_MAXINT, &b, NULL)
      || (tail[1] && !g_ascii_string_to_signed (tail[1], 10, 1, G_MAXINT, &step, NULL)))
    {
      gs_cli_usage_error (error,
                          "--grid: '%s' is not a range A..B or A..B:STEP of whole "
                          "numbers with A <= B",
                          value);
      return -1;
    }
  if ((b - a) / step >= MAX_RUNS)
    {
      gs_cli_usage_error (error, "--grid: '%s' has more than %u values", value, MAX_RUNS);
      return -1;
    }
  for (gint64 v = a; v <= b; v += step)
    g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT, v));
  return 1;
}

static gboolean
parse_grid (const char *spec, SweepArgs *a, GError **error)
{
  const char         *eq = strchr (spec, '=');
  g_autofree char    *name = eq ? g_strndup (spec, eq - spec) : NULL;
  const GsOptionSpec *opt = name ? gs_config_find_option (name) : NULL;
  g_auto (GStrv) parts = NULL;
  Dim *d;

  if (eq == NULL || eq[1] == '\0')
    return gs_cli_usage_error (error, "--grid: expected NAME=V1,V2,..., got '%s'", spec);
  if (opt == NULL && g_strcmp0 (name, "preset") != 0)
    return gs_cli_usage_error (error, "--grid: unknown option '%s' (see 'gradscope-cli train --help')", name);
  for (guint i = 0; i < a->dims->len; i++)
    if (g_strcmp0 (((Dim *) g_ptr_array_index (a->dims, i))->name, name) == 0)
      return gs_cli_usage_error (error, "--grid: '%s' is given twice", name);
  d = g_new0 (Dim, 1);
  d->name = g_steal_pointer (&name);
  d->values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (a->dims, d);
  parts = g_strsplit (eq + 1, strchr (eq + 1, '/') ? "/" : ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      gboolean whole = opt && (opt->type == GS_OPTION_INT || opt->type == GS_OPTION_UINT64);
      int      range = whole ? expand_range (parts[i], d->values, error) : 0;
      if (parts[i][0] == '\0')
        return gs_cli_usage_error (error, "--grid %s: an empty value", d->name);
      if (range < 0)
        return FALSE;
      if (range == 0)
        g_ptr_array_add (d->values, g_strdup (parts[i]));
    }
  return TRUE;
}

static gboolean
parse_flag (const char *name, SweepArgs *a)
{
  if (g_strcmp0 (name, "--collect") == 0)
    a->collect = TRUE;
  else if (g_strcmp0 (name, "--dry-run") == 0)
    a->dry_run = TRUE;
  else if (g_strcmp0 (name, "--quiet") == 0)
    a->quiet = TRUE;
  else if (g_strcmp0 (name, "--no-probes") == 0)
    a->no_probes = TRUE;
  else if (g_strcmp0 (name, "--submit") == 0)
    a->slurm.submit = TRUE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_valued (const char *name, const char *value, SweepArgs *a, GError **error)
{
  char   **slot = NULL;
  guint64  jobs;
  GsConfig scratch;
  int      taken = gs_slurm_parse_option (&a->slurm, name, value, error);

  if (taken >= 0)
    return taken;
  if (g_strcmp0 (name, "--grid") == 0)
    return parse_grid (value, a, error);
  if (g_strcmp0 (name, "--jobs") == 0)
    {
      if (!g_ascii_string_to_unsigned (value, 10, 1, 256, &jobs, NULL))
        return gs_cli_usage_error (error, "--jobs: expected a whole number from 1 to 256, got '%s'", value);
      a->jobs = (int) jobs;
      return TRUE;
    }
  slot = g_strcmp0 (name, "--preset") == 0      ? &a->preset
         : g_strcmp0 (name, "--data") == 0      ? &a->data_dir
         : g_strcmp0 (name, "--out") == 0       ? &a->out_dir
         : g_strcmp0 (name, "--emit-jobs") == 0 ? &a->emit_path
         : g_strcmp0 (name, "--cli") == 0       ? &a->cli
                                                : NULL;
  if (slot != NULL)
    {
      g_free (*slot);
      *slot = g_strdup (value);
      return TRUE;
    }
  if (g_strcmp0 (name, "--at") == 0 || g_strcmp0 (name, "--at-epoch") == 0)
    {
      GsIntervention iv;
      if (!gs_intervention_parse (value, name[4] == '-', &iv, error))
        return FALSE;
      g_array_append_val (a->schedule, iv);
      g_ptr_array_add (a->at, g_strdup (name + 2));
      g_ptr_array_add (a->at, g_strdup (value));
      return TRUE;
    }
  if (!g_str_has_prefix (name, "--") || gs_config_find_option (name + 2) == NULL)
    return gs_cli_usage_error (error, "sweep: unknown option '%s'", name);
  /* Checked now, so a typo fails before any run starts. */
  gs_config_init_defaults (&scratch);
  if (!gs_config_set (&scratch, name + 2, value, error))
    return FALSE;
  g_ptr_array_add (a->fixed, g_strdup (name + 2));
  g_ptr_array_add (a->fixed, g_strdup (value));
  return TRUE;
}

static gboolean
parse_sweep_args (int argc, char **argv, SweepArgs *a, GError **error)
{
  for (int i = 0; i < argc; i++)
    {
      if (parse_flag (argv[i], a))
        continue;
      if (i + 1 >= argc)
        return gs_cli_usage_error (error, "%s needs a value", argv[i]);
      if (!parse_valued (argv[i], argv[i + 1], a, error))
        return FALSE;
      i++;
    }
  if (a->dims->len == 0)
    return gs_cli_usage_error (error, "sweep: give at least one --grid NAME=V1,V2,...");
  if ((a->emit_path != NULL) + (a->slurm.script != NULL) + a->collect + a->dry_run > 1)
    return gs_cli_usage_error (
        error, "sweep: --emit-jobs, --emit-slurm, --collect and --dry-run exclude each other");
  if (!gs_slurm_check (&a->slurm, error))
    return FALSE;
  for (guint i = 0; i < a->fixed->len; i += 2)
    for (guint j = 0; j < a->dims->len; j++)
      if (g_strcmp0 (g_ptr_array_index (a->fixed, i), ((Dim *) g_ptr_array_index (a->dims, j))->name) == 0)
        return gs_cli_usage_error (error, "sweep: --%s is both an option and a --grid dimension",
                                   (char *) g_ptr_array_index (a->fixed, i));
  if (a->out_dir == NULL)
    a->out_dir = g_strdup ("sweep");
  if (a->cli == NULL)
    a->cli = g_strdup ("gradscope-cli");
  a->slurm.quiet = a->quiet;
  return TRUE;
}

/* --- The grid ------------------------------------------------------------ */

/* "relu", "2,2,2,1" -> "relu", "2-2-2-1": safe in a file name. */
static void
append_safe (GString *s, const char *value)
{
  for (const char *p = value; *p; p++)
    g_string_append_c (s, g_ascii_isalnum (*p) || *p == '.' || *p == '+' ? *p : '-');
}

static char *
run_name (guint index, guint n_runs, const SweepArgs *a, char **values)
{
  GString *s = g_string_new (NULL);
  int      width = gs_slurm_index_width (n_runs);

  g_string_append_printf (s, "%0*u", width, index);
  for (guint d = 0; d < a->dims->len; d++)
    {
      g_string_append_printf (s, "_%s-", ((Dim *) g_ptr_array_index (a->dims, d))->name);
      append_safe (s, values[d]);
    }
  return g_string_free (s, FALSE);
}

/* The config `gradscope-cli train` would build from these options: the
 * preset first, then every option, wherever it stands. */
static gboolean
build_config (const SweepArgs *a, Run *run, GError **error)
{
  const char *preset = a->preset;

  gs_config_init_defaults (&run->config);
  for (guint d = 0; d < a->dims->len; d++)
    if (g_strcmp0 (((Dim *) g_ptr_array_index (a->dims, d))->name, "preset") == 0)
      preset = run->values[d];
  if (preset && !gs_config_load_preset (&run->config, preset, error))
    return FALSE;
  for (guint i = 0; i < a->fixed->len; i += 2)
    if (!gs_config_set (&run->config, g_ptr_array_index (a->fixed, i), g_ptr_array_index (a->fixed, i + 1),
                        error))
      return FALSE;
  for (guint d = 0; d < a->dims->len; d++)
    {
      const char *name = ((Dim *) g_ptr_array_index (a->dims, d))->name;
      if (g_strcmp0 (name, "preset") != 0 && !gs_config_set (&run->config, name, run->values[d], error))
        return FALSE;
    }
  return gs_config_validate (&run->config, error);
}

static gboolean
count_runs (const SweepArgs *a, guint *n, GError **error)
{
  guint64 total = 1;

  for (guint d = 0; d < a->dims->len; d++)
    {
      total *= ((Dim *) g_ptr_array_index (a->dims, d))->values->len;
      if (total > MAX_RUNS)
        return gs_cli_usage_error (error, "sweep: the grid has more than %u runs", MAX_RUNS);
    }
  *n = (guint) total;
  return TRUE;
}

/* Every combination, last dimension fastest; each config validated now, so
 * a combination that cannot run fails before anything trains. */
static Run *
expand_grid (const SweepArgs *a, guint *n_runs, GError **error)
{
  guint n = 0;
  Run  *runs;

  if (!count_runs (a, &n, error))
    return NULL;
  runs = g_new0 (Run, n);
  for (guint i = 0; i < n; i++)
    {
      guint rest = i;
      g_autoptr (GError) local = NULL;
      runs[i].values = g_new0 (char *, a->dims->len + 1);
      runs[i].row.exit_status = -1;
      for (guint d = a->dims->len; d-- > 0;)
        {
          GPtrArray *v = ((Dim *) g_ptr_array_index (a->dims, d))->values;
          runs[i].values[d] = g_ptr_array_index (v, rest % v->len);
          rest /= v->len;
        }
      runs[i].name = run_name (i, n, a, runs[i].values);
      if (!build_config (a, &runs[i], &local))
        {
          g_set_error (error, local->domain, local->code, "sweep: run %s: %s", runs[i].name, local->message);
          runs_free (runs, i + 1);
          return NULL;
        }
    }
  *n_runs = n;
  return runs;
}

static char *
run_path (const SweepArgs *a, const Run *run, const char *ext)
{
  g_autofree char *base = g_strconcat (run->name, ext, NULL);

  return g_build_filename (a->out_dir, base, NULL);
}

/* --- Results ------------------------------------------------------------- */

static void
row_from_record (Row *row, GsRecord *rec)
{
  const guint         n_layers = gs_record_n_layers (rec);
  const guint         n_epochs = gs_record_n_epochs (rec);
  const GsEpochStats *last = n_epochs ? gs_record_epoch (rec, n_epochs - 1) : NULL;

  row->status = gs_record_diverged (rec, NULL, NULL, NULL) ? "diverged" : "ok";
  row->test_acc = gs_record_has_test (rec) ? gs_record_test_accuracy (rec) : NAN;
  row->test_loss = gs_record_has_test (rec) ? gs_record_test_loss (rec) : NAN;
  row->train_loss = last ? last->train_loss : NAN;
  row->val_acc = last ? last->val_acc : NAN;
  row->seconds = gs_record_seconds (rec);
  row->grad_in = gs_record_first_epoch_probe (rec, GS_PROBE_GRAD_NORM, 0);
  row->grad_out = gs_record_first_epoch_probe (rec, GS_PROBE_GRAD_NORM, n_layers - 1);
}

static void
csv_field (GString *s, const char *v)
{
  if (strpbrk (v, ",\"\n") == NULL)
    {
      g_string_append (s, v);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = v; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
csv_number (GString *s, double v)
{
  if (isfinite (v))
    g_string_append_printf (s, ",%.6g", v);
  else
    g_string_append_c (s, ',');
}

static gboolean
write_csv (const SweepArgs *a, const Run *runs, guint n, GError **error)
{
  g_autoptr (GString) s = g_string_new ("index,name");
  g_autofree char *path = g_build_filename (a->out_dir, "sweep.csv", NULL);

  for (guint d = 0; d < a->dims->len; d++)
    g_string_append_printf (s, ",%s", ((Dim *) g_ptr_array_index (a->dims, d))->name);
  g_string_append (s, ",status,test_accuracy,test_loss,train_loss,val_accuracy,"
                      "grad_norm_first_epoch_input,grad_norm_first_epoch_output,"
                      "input_over_output,seconds,run_file,error,exit_status,log\n");
  for (guint i = 0; i < n; i++)
    {
      const Row       *r = &runs[i].row;
      g_autofree char *file = g_strconcat (runs[i].name, GS_RUNFILE_SUFFIX, NULL);
      g_string_append_printf (s, "%u,%s", i, runs[i].name);
      for (guint d = 0; d < a->dims->len; d++)
        {
          g_string_append_c (s, ',');
          csv_field (s, runs[i].values[d]);
        }
      g_string_append_printf (s, ",%s", r->status);
      csv_number (s, r->test_acc), csv_number (s, r->test_loss);
      csv_number (s, r->train_loss), csv_number (s, r->val_acc);
      csv_number (s, r->grad_in), csv_number (s, r->grad_out);
      csv_number (s, r->grad_in / r->grad_out), csv_number (s, r->seconds);
      g_string_append_printf (
          s, ",%s,", g_strcmp0 (r->status, "ok") == 0 || g_strcmp0 (r->status, "diverged") == 0 ? file : "");
      csv_field (s, r->error ? r->error : "");
      if (r->exit_status >= 0)
        g_string_append_printf (s, ",%d,", r->exit_status);
      else
        g_string_append (s, ",,");
      csv_field (s, r->log ? r->log : "");
      g_string_append_c (s, '\n');
    }
  return g_file_set_contents (path, s->str, s->len, error);
}

/* --- Running here -------------------------------------------------------- */

static void
report_done (Pool *pool, const Run *run)
{
  g_mutex_lock (&pool->lock);
  pool->n_done++;
  if (run->row.error)
    printf ("[%u/%u] %s failed: %s\n", pool->n_done, pool->n_runs, run->name, run->row.error);
  else
    printf ("[%u/%u] %s  test accuracy %.4f%s  (%.0f s)\n", pool->n_done, pool->n_runs, run->name,
            run->row.test_acc, g_strcmp0 (run->row.status, "diverged") == 0 ? "  diverged" : "",
            run->row.seconds);
  fflush (stdout);
  g_mutex_unlock (&pool->lock);
}

static void
run_one (gpointer item, gpointer user_data)
{
  Pool *pool = user_data;
  Run  *run = item;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = run_path (pool->args, run, ".json");
  g_autofree char *file = run_path (pool->args, run, GS_RUNFILE_SUFFIX);
  g_autoptr (GsRecord) rec = NULL;

  rec = gs_cli_run_training (&run->config, pool->args->schedule, pool->data, TRUE, !pool->args->no_probes,
                             &pool->cores, &error);
  if (rec && gs_cli_write_summary (rec, json, &error) && gs_runfile_save (rec, file, &error))
    row_from_record (&run->row, rec);
  else
    run->row.error = g_strdup (error->message);
  if (!pool->args->quiet)
    report_done (pool, run);
}

static int
run_here (const SweepArgs *a, Run *runs, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = NULL;
  int          procs = omp_get_num_procs ();
  Pool         pool = { a, NULL, { 0 }, n, 0 };
  int          jobs = a->jobs > 0 ? a->jobs : MAX (1, MIN (procs, (int) n));
  GThreadPool *threads;
  int          status = 0;

  if (g_mkdir_with_parents (a->out_dir, 0755) != 0)
    {
      fprintf (stderr, "gradscope-cli: --out %s: cannot create the folder\n", a->out_dir);
      return 1;
    }
  if ((data = gs_cli_load_data (a->data_dir, a->quiet, &error)) == NULL)
    return gs_cli_fail (error);
  pool.data = data;
  pool.cores = (GsCliCores){ procs, jobs, (gint) n };
  g_mutex_init (&pool.lock);
  if (!a->quiet)
    printf ("sweep: %u runs, %d at a time, %d thread%s each (the last runs more), on %s; writing %s\n", n,
            jobs, MAX (1, procs / jobs), procs / jobs > 1 ? "s" : "", data->name, a->out_dir);
  threads = g_thread_pool_new (run_one, &pool, jobs, TRUE, NULL);
  for (guint i = 0; i < n; i++)
    g_thread_pool_push (threads, &runs[i], NULL);
  g_thread_pool_free (threads, FALSE, TRUE);
  g_mutex_clear (&pool.lock);
  for (guint i = 0; i < n; i++)
    if (runs[i].row.error)
      {
        runs[i].row.status = "failed";
        status = 1;
      }
  if (!write_csv (a, runs, n, &error))
    return gs_cli_fail (error);
  if (!a->quiet)
    printf ("wrote %s/sweep.csv\n", a->out_dir);
  return status;
}

/* --- Elsewhere: the job list, and collecting its results ------------------ */

static void
append_arg (GString *s, const char *arg)
{
  gboolean plain = *arg != '\0';

  for (const char *p = arg; *p && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("-_.,/+=:@%", *p) != NULL;
  g_string_append_c (s, ' ');
  if (plain)
    g_string_append (s, arg);
  else
    {
      g_autofree char *quoted = g_shell_quote (arg);
      g_string_append (s, quoted);
    }
}

static void
append_option (GString *s, const char *name, const char *value)
{
  g_autofree char *flag = g_strconcat ("--", name, NULL);

  append_arg (s, flag);
  append_arg (s, value);
}

static char *
job_line (const SweepArgs *a, const Run *run)
{
  GString         *s = g_string_new (NULL);
  g_autofree char *json = run_path (a, run, ".json");
  g_autofree char *file = run_path (a, run, GS_RUNFILE_SUFFIX);

  append_arg (s, a->cli);
  g_string_append (s, " train");
  if (a->preset)
    append_option (s, "preset", a->preset);
  for (guint i = 0; i < a->fixed->len; i += 2)
    append_option (s, g_ptr_array_index (a->fixed, i), g_ptr_array_index (a->fixed, i + 1));
  for (guint d = 0; d < a->dims->len; d++)
    append_option (s, ((Dim *) g_ptr_array_index (a->dims, d))->name, run->values[d]);
  for (guint i = 0; i < a->at->len; i += 2)
    append_option (s, g_ptr_array_index (a->at, i), g_ptr_array_index (a->at, i + 1));
  if (a->data_dir)
    append_option (s, "data", a->data_dir);
  if (a->no_probes)
    g_string_append (s, " --no-probes");
  g_string_append (s, " --quiet");
  append_option (s, "json", json);
  append_option (s, "save", file);
  g_string_erase (s, 0, 1);
  return g_string_free (s, FALSE);
}

static char *
jobs_text (const SweepArgs *a, const Run *runs, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = job_line (a, &runs[i]);
      g_string_append_printf (s, "%s\n", line);
    }
  return g_string_free (s, FALSE);
}

/* The same sweep with --collect in place of how it was run. */
static char *
collect_command (const SweepArgs *a)
{
  static const char *const dropped[]
      = { "--emit-slurm", "--emit-jobs", "--partition", "--time", "--cpus-per-task", "--jobs", NULL };
  GString *s = g_string_new (NULL);

  append_arg (s, a->cli);
  g_string_append (s, " sweep");
  for (guint i = 0; i < a->argv->len; i++)
    {
      const char *arg = g_ptr_array_index (a->argv, i);
      if (g_strv_contains (dropped, arg))
        i++;
      else if (g_strcmp0 (arg, "--submit") != 0)
        append_arg (s, arg);
    }
  g_string_append (s, " --collect");
  g_string_erase (s, 0, 1);
  return g_string_free (s, FALSE);
}

static int
emit_jobs (const SweepArgs *a, const Run *runs, guint n)
{
  g_autofree char *text = jobs_text (a, runs, n);
  g_autofree char *collect = NULL;
  g_autoptr (GError) error = NULL;

  if (g_mkdir_with_parents (a->out_dir, 0755) != 0)
    {
      fprintf (stderr, "gradscope-cli: --out %s: cannot create the folder\n", a->out_dir);
      return 1;
    }
  collect = collect_command (a);
  if (a->slurm.script)
    return gs_slurm_emit (&a->slurm, a->out_dir, text, n, collect);
  if (!g_file_set_contents (a->emit_path, text, -1, &error))
    return gs_cli_fail (error);
  if (!a->quiet)
    printf ("wrote %u jobs to %s; each writes into %s/; when they are done: %s\n", n, a->emit_path,
            a->out_dir, collect);
  return 0;
}

/* A run without a readable run file: failed when the file does not read
 * (load_error) or its Slurm task ended (with its exit status and log), else
 * missing. */
static void
row_not_done (const SweepArgs *a, guint index, guint n, const char *load_error, Row *row)
{
  static const Row none = { "missing", NAN, NAN, NAN, NAN, NAN, NAN, NAN, NULL, -1, NULL };
  GsSlurmTask      task;
  gboolean         ended = gs_slurm_task_read (a->out_dir, index, n, &task) && task.exit_status >= 0;

  *row = none;
  row->status = ended || load_error ? "failed" : "missing";
  row->exit_status = task.exit_status;
  row->log = task.log;
  row->error = load_error ? g_strdup (load_error) : g_steal_pointer (&task.error);
  g_free (task.error);
}

/* Reads each run file back; a missing one is a "missing" row, not an error:
 * collecting a sweep that is still running shows how far it got. */
static int
collect (const SweepArgs *a, Run *runs, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) not_done = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *file = run_path (a, &runs[i], GS_RUNFILE_SUFFIX);
      g_autoptr (GError) local = NULL;
      g_autoptr (GsRecord) rec = NULL;
      if (!g_file_test (file, G_FILE_TEST_EXISTS))
        row_not_done (a, i, n, NULL, &runs[i].row);
      else if ((rec = gs_runfile_load (file, &local)) == NULL)
        row_not_done (a, i, n, local->message, &runs[i].row);
      else
        row_from_record (&runs[i].row, rec);
      if (rec == NULL)
        g_array_append_val (not_done, i);
    }
  if (!write_csv (a, runs, n, &error))
    return gs_cli_fail (error);
  if (!a->quiet)
    {
      printf ("collected %u of %u runs into %s/sweep.csv\n", n - not_done->len, n, a->out_dir);
      gs_slurm_report_missing (a->out_dir, not_done, n);
    }
  return not_done->len == 0 ? 0 : 1;
}

static void
dry_run (const Run *runs, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *what = gs_config_describe (&runs[i].config);
      printf ("%s  %s\n", runs[i].name, what);
    }
}

int
gs_cli_sweep (int argc, char **argv)
{
  SweepArgs a = { 0 };
  g_autoptr (GError) error = NULL;
  Run  *runs = NULL;
  guint n = 0;
  int   status;

  for (int i = 0; i < argc; i++)
    if (g_strcmp0 (argv[i], "--help") == 0 || g_strcmp0 (argv[i], "-h") == 0)
      {
        sweep_usage (stdout);
        return 0;
      }
  a.dims = g_ptr_array_new_with_free_func (dim_free);
  a.fixed = g_ptr_array_new_with_free_func (g_free);
  a.at = g_ptr_array_new_with_free_func (g_free);
  a.schedule = g_array_new (FALSE, FALSE, sizeof (GsIntervention));
  a.argv = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (a.argv, g_strdup (argv[i]));
  if (!parse_sweep_args (argc, argv, &a, &error) || (runs = expand_grid (&a, &n, &error)) == NULL)
    {
      status = gs_cli_fail (error);
      sweep_args_clear (&a);
      return status;
    }
  status = 0;
  if (a.dry_run)
    dry_run (runs, n);
  else if (a.emit_path || a.slurm.script)
    status = emit_jobs (&a, runs, n);
  else if (a.collect)
    status = collect (&a, runs, n);
  else
    status = run_here (&a, runs, n);
  runs_free (runs, n);
  sweep_args_clear (&a);
  return status;
}
