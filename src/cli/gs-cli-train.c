/* gs-cli-train.c: `gradscope-cli train` and the JSON summary. */
#define G_LOG_DOMAIN "gs-cli-train"

#include "gs-cli.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

#include "gs-file.h"
#include "gs-omp.h"
#include "gs-runfile.h"

typedef struct
{
  GsConfig config;
  char    *data_dir;
  char    *json_path;
  char    *save_path;
  gboolean quiet;
  gboolean no_probes;
  GArray  *schedule; /* GsIntervention: --at, --at-epoch */
} TrainArgs;

static void
train_args_clear (TrainArgs *a)
{
  g_free (a->data_dir);
  g_free (a->json_path);
  g_free (a->save_path);
  g_clear_pointer (&a->schedule, g_array_unref);
}

static void
print_option (FILE *out, const GsOptionSpec *o, const GsConfig *defaults)
{
  g_autofree char *def = gs_config_get (defaults, o->name);
  g_autofree char *allowed = NULL;

  switch (o->type)
    {
    case GS_OPTION_CHOICE:
      allowed = g_strjoinv ("|", (char **) o->choices);
      break;
    case GS_OPTION_INT:
    case GS_OPTION_DOUBLE:
      allowed = g_strdup_printf ("%g..%g", o->min, o->max);
      break;
    case GS_OPTION_BOOL:
      allowed = g_strdup ("true|false");
      break;
    case GS_OPTION_INT_LIST:
      allowed = g_strdup ("none|N,N,...");
      break;
    case GS_OPTION_UINT64:
    default:
      allowed = g_strdup ("0..2^64-1");
      break;
    }
  fprintf (out, "  --%-15s %s\n  %18s values: %s; default: %s\n", o->name, o->help, "", allowed, def);
}

void
gs_cli_train_usage (FILE *out)
{
  guint               n;
  const GsOptionSpec *o = gs_config_options (&n);
  GsConfig            d;

  gs_config_init_defaults (&d);
  fprintf (out, "Usage: gradscope-cli train [--preset ID] [--OPTION VALUE ...]\n"
                "\nTrains an MLP and prints one line per epoch.\n"
                "\nRun options:\n"
                "  --preset ID        start from a preset (see 'gradscope-cli presets');\n"
                "                     every other option overrides it, wherever it stands\n"
                "  --data DIR         data folder (IDX files, gzipped or not; Debian or\n"
                "                     torchvision layout), or 'builtin' for the built-in set\n"
                "  --json FILE        write a JSON summary\n"
                "  --save FILE        save the run file (.gz: gzipped)\n"
                "  --no-probes        record loss and accuracy only (benchmarks)\n"
                "  --quiet            no progress lines\n"
                "  --at STEP:OPTION=VALUE\n"
                "                     change a live option from that step on (repeatable)\n"
                "  --at-epoch EPOCH:OPTION=VALUE\n"
                "                     the same at the epoch's first step (repeatable)\n"
                "\nLive options (--at, --at-epoch):");
  for (guint i = 0; i < n; i++)
    if (o[i].live)
      fprintf (out, " %s", o[i].name);
  fprintf (out, "\n");
  static const char *const groups[][2] = {
    { "network", "Network" },
    { "init", "Initialisation" },
    { "training", "Training" },
  };
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      fprintf (out, "\n%s options:\n", groups[g][1]);
      for (guint i = 0; i < n; i++)
        if (g_strcmp0 (o[i].group, groups[g][0]) == 0)
          print_option (out, &o[i], &d);
    }
  fprintf (out, "\nExit status: 0 trained, 1 error, 2 bad usage, 3 the run diverged (NaN/Inf).\n");
}

static gboolean
check_output (const char *option, const char *path, GError **error)
{
  GError *local = NULL;

  if (gs_file_check_output (path, &local))
    return TRUE;
  g_propagate_prefixed_error (error, local, "%s ", option);
  return FALSE;
}

static gboolean
parse_train_args (int argc, char **argv, TrainArgs *a, GError **error)
{
  const char *preset = NULL;

  gs_config_init_defaults (&a->config);
  a->schedule = g_array_new (FALSE, FALSE, sizeof (GsIntervention));
  for (int i = 0; i < argc; i++)
    if (g_strcmp0 (argv[i], "--preset") == 0 && i + 1 < argc)
      preset = argv[i + 1];
    else if (g_str_has_prefix (argv[i], "--preset="))
      preset = argv[i] + 9;
  if (preset && !gs_config_load_preset (&a->config, preset, error))
    return FALSE;
  for (int i = 0; i < argc; i++)
    {
      g_autofree char *name = NULL;
      const char      *value;
      if (!g_str_has_prefix (argv[i], "--"))
        return gs_cli_usage_error (error, "unexpected argument '%s'", argv[i]);
      name = g_strdup (argv[i] + 2);
      if (strchr (name, '='))
        {
          *strchr (name, '=') = '\0';
          value = argv[i] + 2 + strlen (name) + 1;
          if (g_strcmp0 (name, "quiet") == 0 || g_strcmp0 (name, "no-probes") == 0)
            return gs_cli_usage_error (error, "--%s takes no value (got '%s')", name, argv[i]);
        }
      else if (g_strcmp0 (name, "quiet") == 0 || g_strcmp0 (name, "no-probes") == 0)
        {
          *(name[0] == 'q' ? &a->quiet : &a->no_probes) = TRUE;
          continue;
        }
      else if (i + 1 < argc)
        value = argv[++i];
      else
        return gs_cli_usage_error (error, "--%s needs a value", name);
      if (g_strcmp0 (name, "preset") == 0)
        continue;
      else if (g_strcmp0 (name, "data") == 0)
        g_free (a->data_dir), a->data_dir = g_strdup (value);
      else if (g_strcmp0 (name, "json") == 0)
        g_free (a->json_path), a->json_path = g_strdup (value);
      else if (g_strcmp0 (name, "save") == 0)
        g_free (a->save_path), a->save_path = g_strdup (value);
      else if (g_strcmp0 (name, "at") == 0 || g_strcmp0 (name, "at-epoch") == 0)
        {
          GsIntervention iv;
          if (!gs_intervention_parse (value, name[2] == '-', &iv, error))
            return FALSE;
          g_array_append_val (a->schedule, iv);
        }
      else if (!gs_config_set (&a->config, name, value, error))
        return FALSE;
    }
  if (!gs_config_validate (&a->config, error))
    return FALSE;
  /* a missing folder is found now, not after the epochs it would waste */
  return (a->json_path == NULL || check_output ("--json", a->json_path, error))
         && (a->save_path == NULL || check_output ("--save", a->save_path, error));
}

typedef struct
{
  GsRecord   *rec;
  gboolean    print;
  GsCliCores *cores;
} Watch;

/* Below this batch size a run keeps its first share: a team that grows
 * while it trains at batch 64 ran its epochs in 1.2 s instead of 0.8 on one
 * thread (its threads kept waking on one core: sweep --preset gradnorm-b
 * --batch-size 64 --grid epochs=4,20 --jobs 2), while at batch 512 the last
 * run of reproduce --notebook A went from 0.76 s an epoch to 0.62. */
#define GROW_MIN_BATCH 256

static void
share_cores (const GsCliCores *c, gboolean grow)
{
  const int runs = grow ? MAX (1, MIN (c->jobs, g_atomic_int_get (&c->remaining))) : c->jobs;

  omp_set_num_threads (MAX (1, c->procs / runs));
}

static void
on_epoch (GsTrainerEvent event, const GsProgress *p, gpointer user_data)
{
  const Watch        *w = user_data;
  const GsEpochStats *e;

  if (event != GS_TRAINER_EVENT_EPOCH)
    return;
  if (w->cores)
    share_cores (w->cores, TRUE);
  if (!w->print)
    return;
  e = gs_record_epoch (w->rec, gs_record_n_epochs (w->rec) - 1);
  printf ("epoch %3d/%d", e->epoch, p->n_epochs);
  if (e->stage)
    printf ("  phase %d (stage %d)", e->phase, e->stage);
  printf ("  train loss %.4f acc %.4f  val loss %.4f acc %.4f  %6.0f samples/s  %.1f s\n", e->train_loss,
          e->train_acc, e->val_loss, e->val_acc, e->seconds > 0 ? e->samples / e->seconds : 0, p->elapsed);
  fflush (stdout);
}

static void
summary_epochs (JsonBuilder *b, GsRecord *rec)
{
  json_builder_set_member_name (b, "epochs");
  json_builder_begin_array (b);
  for (guint i = 0; i < gs_record_n_epochs (rec); i++)
    {
      const GsEpochStats *e = gs_record_epoch (rec, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "epoch");
      json_builder_add_int_value (b, e->epoch);
      json_builder_set_member_name (b, "stage");
      json_builder_add_int_value (b, e->stage);
      json_builder_set_member_name (b, "phase");
      json_builder_add_int_value (b, e->phase);
      gs_runfile_add_number (b, "train_loss", e->train_loss);
      gs_runfile_add_number (b, "train_accuracy", e->train_acc);
      gs_runfile_add_number (b, "val_loss", e->val_loss);
      gs_runfile_add_number (b, "val_accuracy", e->val_acc);
      gs_runfile_add_number (b, "seconds", e->seconds);
      gs_runfile_add_number (b, "samples_per_s", e->seconds > 0 ? e->samples / e->seconds : 0);
      gs_runfile_add_grad_norm (b, rec, i);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
summary_layers (JsonBuilder *b, GsRecord *rec)
{
  const guint n = gs_record_n_layers (rec);

  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (guint l = 0; l < n; l++)
    {
      g_autofree char *name = l + 1 == n ? g_strdup ("output") : g_strdup_printf ("hidden%u", l + 1);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      gs_runfile_add_number (b, "grad_norm_first_step",
                             gs_record_first_step_probe (rec, GS_PROBE_GRAD_NORM, l));
      gs_runfile_add_number (b, "grad_norm_first_epoch",
                             gs_record_first_epoch_probe (rec, GS_PROBE_GRAD_NORM, l));
      gs_runfile_add_number (b, "grad_norm_last_step", gs_record_last_probes (rec, l)[GS_PROBE_GRAD_NORM]);
      gs_runfile_add_number (b, "activation_saturated_first_epoch",
                             gs_record_first_epoch_probe (rec, GS_PROBE_ACT_SAT, l));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

gboolean
gs_cli_write_summary (GsRecord *rec, const char *path, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *name = gs_config_describe (gs_record_config (rec));
  guint            step = 0;
  int              layer = -1;
  const char      *what = NULL;
  gboolean         diverged = gs_record_diverged (rec, &step, &layer, &what);
  g_autofree char *text = NULL;
  gsize            len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  gs_runfile_add_config (b, gs_record_config (rec));
  json_builder_set_member_name (b, "dataset");
  json_builder_add_string_value (b, gs_record_dataset (rec));
  summary_epochs (b, rec);
  gs_runfile_add_phases (b, rec);
  gs_runfile_add_interventions (b, rec);
  gs_runfile_add_number (b, "test_accuracy", gs_record_has_test (rec) ? gs_record_test_accuracy (rec) : NAN);
  gs_runfile_add_number (b, "test_loss", gs_record_has_test (rec) ? gs_record_test_loss (rec) : NAN);
  json_builder_set_member_name (b, "diverged");
  json_builder_add_boolean_value (b, diverged);
  json_builder_set_member_name (b, "divergence");
  if (diverged)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "step");
      json_builder_add_int_value (b, step);
      json_builder_set_member_name (b, "layer");
      json_builder_add_int_value (b, layer + 1);
      json_builder_set_member_name (b, "where");
      json_builder_add_string_value (b, what ? what : "");
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "steps");
  json_builder_add_int_value (b, gs_record_n_steps (rec));
  gs_runfile_add_number (b, "seconds", gs_record_seconds (rec));
  summary_layers (b, rec);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, &len);
  return gs_file_write (path, text, len, error);
}

/* Trains one configuration on the data, with the changes of schedule
 * (GsIntervention, may be NULL); returns the record (never NULL on
 * success) with progress lines unless quiet. cores: the pool's, or NULL
 * to train on the threads set. */
GsRecord *
gs_cli_run_training (const GsConfig  *config,
                     const GArray    *schedule,
                     const GsDataset *data,
                     gboolean         quiet,
                     gboolean         probes,
                     GsCliCores      *cores,
                     GError         **error)
{
  g_autoptr (GsTrainer) t = gs_trainer_new (config, data, error);
  Watch w = { NULL, !quiet, config->batch_size >= GROW_MIN_BATCH ? cores : NULL };

  if (cores)
    share_cores (cores, w.cores != NULL);
  if (t == NULL
      || (schedule
          && !gs_trainer_add_schedule (t, (const GsIntervention *) (gpointer) schedule->data, schedule->len,
                                       error)))
    w.rec = NULL;
  else
    {
      w.rec = gs_record_ref (gs_trainer_get_record (t));
      gs_trainer_set_probes (t, probes);
      if (!quiet || w.cores)
        gs_trainer_set_callback (t, on_epoch, &w);
      if (!gs_trainer_run (t, error))
        g_clear_pointer (&w.rec, gs_record_unref);
    }
  if (cores)
    g_atomic_int_add (&cores->remaining, -1);
  return w.rec;
}

int
gs_cli_train (int argc, char **argv)
{
  TrainArgs a = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = NULL;
  g_autoptr (GsRecord) rec = NULL;
  g_autofree char *name = NULL;
  guint            step;
  int              layer, status = 0;
  const char      *what;

  for (int i = 0; i < argc; i++)
    if (g_strcmp0 (argv[i], "--help") == 0 || g_strcmp0 (argv[i], "-h") == 0)
      {
        gs_cli_train_usage (stdout);
        return 0;
      }
  if (!parse_train_args (argc, argv, &a, &error))
    {
      train_args_clear (&a);
      return gs_cli_fail (error);
    }
  if ((data = gs_cli_load_data (a.data_dir, a.quiet, &error)) == NULL)
    {
      train_args_clear (&a);
      return gs_cli_fail (error);
    }
  name = gs_config_describe (&a.config);
  if (!a.quiet)
    printf ("training %s on %s (%s)\n", name, data->name, data->source);
  if ((rec = gs_cli_run_training (&a.config, a.schedule, data, a.quiet, !a.no_probes, NULL, &error)) == NULL)
    status = gs_cli_fail (error);
  else if (gs_record_diverged (rec, &step, &layer, &what))
    {
      fprintf (stderr,
               "gradscope-cli: the run diverged at step %u: %s of layer %d are not finite (NaN/Inf); "
               "training stopped\n",
               step, what, layer + 1);
      status = 3;
    }
  else if (!a.quiet)
    printf ("test accuracy %.4f  loss %.4f  (%.1f s)\n", gs_record_test_accuracy (rec),
            gs_record_test_loss (rec), gs_record_seconds (rec));
  if (rec && a.json_path && !gs_cli_write_summary (rec, a.json_path, &error))
    status = gs_cli_fail (error);
  if (rec && a.save_path && !gs_runfile_save (rec, a.save_path, &error))
    status = gs_cli_fail (error);
  train_args_clear (&a);
  return status;
}
