/* gs-cli.c: gradscope-cli, the headless front end (DESIGN.md, CLI contract). */
#define G_LOG_DOMAIN "gs-cli"

#include "config.h"
#include "gs-cli.h"

#include <cblas.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "gs-early.h"
#include "gs-file.h"
#include "gs-gemm.h"
#include "gs-runfile.h"
#include "gs-runtime.h"

#define USAGE_ERROR (g_quark_from_static_string ("gs-cli-usage"))

/* The longest message said whole: a value of 131 000 characters echoed in
 * an error would bury it; its middle is cut instead. */
#define MAX_MESSAGE 600

int
gs_cli_fail (const GError *error)
{
  const char *m = error->message;
  glong       n = g_utf8_strlen (m, -1);

  if (n <= MAX_MESSAGE)
    fprintf (stderr, "gradscope-cli: %s\n", m);
  else
    {
      const char *head_end = g_utf8_offset_to_pointer (m, MAX_MESSAGE / 2);
      const char *tail = g_utf8_offset_to_pointer (m, n - MAX_MESSAGE / 4);
      fprintf (stderr, "gradscope-cli: %.*s[... %ld characters cut ...]%s\n", (int) (head_end - m), m,
               (long) (n - MAX_MESSAGE / 2 - MAX_MESSAGE / 4), tail);
    }
  return error->domain == USAGE_ERROR ? 2 : 1;
}

gboolean
gs_cli_usage_error (GError **error, const char *fmt, ...)
{
  va_list          ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, USAGE_ERROR, 0, msg);
  return FALSE;
}

GsDataset *
gs_cli_load_data (const char *dir, gboolean quiet, GError **error)
{
  GsDataset  *data = gs_dataset_find (dir, error);
  const char *env = g_getenv ("GRADSCOPE_DATA");
  /* "builtin" asked for by name is no fallback to warn about */
  gboolean chosen = g_strcmp0 (dir, "builtin") == 0 || (dir == NULL && g_strcmp0 (env, "builtin") == 0);

  if (data && data->builtin && !quiet && !chosen)
    fprintf (stderr,
             "gradscope-cli: no Fashion-MNIST found; training on the small built-in "
             "synthetic set. %s\n",
             gs_dataset_install_hint ());
  return data;
}

static int
cmd_presets (void)
{
  guint           n;
  const GsPreset *p = gs_presets (&n);

  for (guint i = 0; i < n; i++)
    printf ("%-20s %s\n", p[i].id, p[i].description);
  return 0;
}

static void
print_info (GsRecord *rec)
{
  g_autofree char *name = gs_config_describe (gs_record_config (rec));
  guint            step;
  int              layer;
  const char      *what;

  printf ("run        %s\ndata set   %s\nlayers     %u Linear\nsteps      %u (%u epochs)\n", name,
          gs_record_dataset (rec), gs_record_n_layers (rec), gs_record_n_steps (rec),
          gs_record_n_epochs (rec));
  if (gs_record_has_test (rec))
    printf ("test       accuracy %.4f, loss %.4f\n", gs_record_test_accuracy (rec),
            gs_record_test_loss (rec));
  if (gs_record_diverged (rec, &step, &layer, &what))
    printf ("diverged   at step %u, %s of layer %d\n", step, what, layer + 1);
  for (guint i = 0; i < gs_record_n_interventions (rec); i++)
    {
      const GsIntervention *iv = gs_record_intervention (rec, i);
      printf ("%s step %u (epoch %d): %s %s -> %s\n", i ? "          " : "changed   ", iv->step, iv->epoch,
              iv->option, iv->from, iv->to);
    }
  printf ("first-epoch gradient norm per layer (input side first):\n");
  for (guint l = 0; l < gs_record_n_layers (rec); l++)
    {
      char label[32];
      if (l + 1 == gs_record_n_layers (rec))
        g_strlcpy (label, "output", sizeof label);
      else
        g_snprintf (label, sizeof label, "hidden%u", l + 1);
      printf ("  %-8s %.3e\n", label, gs_record_first_epoch_probe (rec, GS_PROBE_GRAD_NORM, l));
    }
}

/* info FOLDER: every run of it (a sweep's output, say), each under its
 * file name; one that does not read is said on stderr, and the status is 1. */
static int
info_folder (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) paths = gs_runfile_list_dir (dir, &error);
  int status = 0;

  if (paths == NULL)
    return gs_cli_fail (error);
  if (paths->len == 0)
    {
      fprintf (stderr, "gradscope-cli: %s holds no run files (*%s)\n", dir, GS_RUNFILE_SUFFIX);
      return 1;
    }
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr (GError) local = NULL;
      g_autoptr (GsRecord) rec = gs_runfile_load (path, &local);
      if (rec == NULL)
        {
          status = gs_cli_fail (local);
          continue;
        }
      printf ("%sfile       %s\n", i > 0 ? "\n" : "", path);
      print_info (rec);
    }
  return status;
}

static int
cmd_info (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsRecord) rec = NULL;

  if (argc == 1 && (strcmp (argv[0], "--help") == 0 || strcmp (argv[0], "-h") == 0))
    {
      printf (
          "Usage: gradscope-cli info RUN_FILE|FOLDER\n\nSummarises a saved run, or every run of a folder.\n");
      return 0;
    }
  if (argc != 1 || g_str_has_prefix (argv[0], "--"))
    {
      fprintf (stderr, "Usage: gradscope-cli info RUN_FILE|FOLDER\n");
      return 2;
    }
  if (g_file_test (argv[0], G_FILE_TEST_IS_DIR))
    return info_folder (argv[0]);
  if ((rec = gs_runfile_load (argv[0], &error)) == NULL)
    return gs_cli_fail (error);
  print_info (rec);
  return 0;
}

static void
usage (FILE *out)
{
  fprintf (out, "Usage: gradscope-cli COMMAND [OPTIONS]\n\n"
                "Commands:\n"
                "  presets                  list the preset ids, one a line, with a description\n"
                "  train [OPTIONS]          train a network (train --help lists every option)\n"
                "  reproduce [--notebook A|B|both] [--epochs N] [--out DIR] [--batch-size N] [--data DIR]\n"
                "            [--jobs N]\n"
                "                           train the ten seed experiments, write DIR/table.md/.csv\n"
                "  export --run FILE --figure NAME --format png|svg|pdf --out FILE\n"
                "         [--width PX --height PX] [--dpi N] [--dark] [--presentation]\n"
                "  info RUN_FILE|FOLDER     summarise a saved run, or every run of a folder\n"
                "  sweep --grid NAME=V1,V2,... [--grid ...] [OPTIONS]\n"
                "        [--jobs N | --emit-jobs FILE | --emit-slurm FILE [--submit] | --collect]\n"
                "                           a grid of runs, here, as a job list or a Slurm array\n"
                "                           job (sweep --help)\n"
                "  lesson --prepare [--epochs N] [--data DIR]\n"
                "                           train the runs the window's lesson shows (lesson --help)\n"
                "  --version\n");
}

static int
run_command (int argc, char **argv)
{
  const char *cmd = argv[1];

  if (strcmp (cmd, "presets") == 0)
    return cmd_presets ();
  if (strcmp (cmd, "train") == 0)
    return gs_cli_train (argc - 2, argv + 2);
  if (strcmp (cmd, "reproduce") == 0)
    return gs_cli_reproduce (argc - 2, argv + 2);
  if (strcmp (cmd, "export") == 0)
    return gs_cli_export (argc - 2, argv + 2);
  if (strcmp (cmd, "info") == 0)
    return cmd_info (argc - 2, argv + 2);
  if (strcmp (cmd, "sweep") == 0)
    return gs_cli_sweep (argc - 2, argv + 2);
  if (strcmp (cmd, "lesson") == 0)
    return gs_cli_lesson (argc - 2, argv + 2);
  if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0 || strcmp (cmd, "help") == 0)
    {
      usage (stdout);
      return 0;
    }
  if (strcmp (cmd, "--version") == 0)
    {
      printf ("gradscope-cli %s\nGEMM: %s; OpenBLAS core: %s\n", PACKAGE_VERSION, gs_gemm_library (),
              openblas_get_corename ());
      return 0;
    }
  fprintf (stderr, "gradscope-cli: unknown command '%s'\n", cmd);
  usage (stderr);
  return 2;
}

int
main (int argc, char **argv)
{
  int status;

  /* big batches on a quiet machine gain from a short spin (gs-runtime.h) */
  gs_runtime_prepare (argv, 10000);
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C"); /* tables, CSV and progress lines keep "0.85" */
  /* figures exported under LANGUAGE=vi come out in Vietnamese */
  bindtextdomain (GETTEXT_PACKAGE, GS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  gs_file_clean_on_signals (); /* Ctrl-C during a save leaves no NAME.XXXXXX */
  if (argc < 2)
    {
      usage (stderr);
      return 2;
    }
  status = run_command (argc, argv);
  /* output lost (a full disk, /dev/full, a closed pipe) is a failure */
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      fprintf (stderr, "gradscope-cli: cannot write the output: %s\n", g_strerror (errno));
      return status ? status : 1;
    }
  return status;
}
