/* gs-cli-slurm.c: `gradscope-cli sweep --emit-slurm`, a ready Slurm array
 * job for a sweep, and what its tasks leave behind (docs/sweep.md).
 *
 * Array task I runs line I + 1 of the job list, so task 3 is run 003 and
 * `sbatch --array=3,7 SCRIPT` reruns runs 003 and 007. Every task writes
 * its log to OUT/slurm/NNN.log and, when it ends, its exit status to
 * OUT/slurm/NNN.exit: Slurm's own accounting may be off (it is on small
 * clusters), and the run's folder is the one place --collect reads anyway.
 */
#define G_LOG_DOMAIN "gs-cli-slurm"

#include "gs-cli-slurm.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gs-cli.h"

#define MAX_CPUS 1024

int
gs_slurm_index_width (guint n_runs)
{
  return MAX (3, (int) floor (log10 (MAX (n_runs - 1, 1))) + 1);
}

static gboolean
plain_word (const char *s, const char *extra)
{
  if (*s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      return FALSE;
  return TRUE;
}

int
gs_slurm_parse_option (GsSlurmArgs *s, const char *name, const char *value, GError **error)
{
  char  **slot = g_strcmp0 (name, "--emit-slurm") == 0  ? &s->script
                 : g_strcmp0 (name, "--partition") == 0 ? &s->partition
                 : g_strcmp0 (name, "--time") == 0      ? &s->time
                                                        : NULL;
  guint64 cpus;

  if (g_strcmp0 (name, "--cpus-per-task") == 0)
    {
      if (!g_ascii_string_to_unsigned (value, 10, 1, MAX_CPUS, &cpus, NULL))
        return gs_cli_usage_error (error, "--cpus-per-task: expected a whole number from 1 to %d, got '%s'",
                                   MAX_CPUS, value);
      s->cpus = (guint) cpus;
      return 1;
    }
  if (slot == NULL)
    return -1;
  if (slot == &s->partition && !plain_word (value, "-_.,"))
    return gs_cli_usage_error (error, "--partition: '%s' is not a partition name (letters, digits, -_.,)",
                               value);
  /* Slurm's forms: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, UNLIMITED */
  if (slot == &s->time
      && !g_regex_match_simple ("^([0-9]+-)?[0-9]+(:[0-9]+){0,2}$|^(?i:unlimited|infinite)$", value, 0, 0))
    return gs_cli_usage_error (error,
                               "--time: '%s' is not a Slurm time limit (MINUTES, HH:MM:SS or "
                               "DAYS-HH:MM:SS)",
                               value);
  if (slot == &s->script && *value == '\0')
    return gs_cli_usage_error (error, "--emit-slurm: expected a file name");
  g_free (*slot);
  *slot = g_strdup (value);
  return 1;
}

gboolean
gs_slurm_check (const GsSlurmArgs *s, GError **error)
{
  if (s->script == NULL && (s->partition || s->time || s->cpus || s->submit))
    return gs_cli_usage_error (error, "sweep: --submit, --partition, --time and --cpus-per-task go with "
                                      "--emit-slurm FILE");
  return TRUE;
}

void
gs_slurm_args_clear (GsSlurmArgs *s)
{
  g_free (s->script);
  g_free (s->partition);
  g_free (s->time);
}

/* --- The script ---------------------------------------------------------- */

static char *
logs_dir (const char *out_dir)
{
  return g_build_filename (out_dir, "slurm", NULL);
}

/* sweep.sbatch -> sweep.jobs, beside it (x.jobs -> x.jobs.jobs) */
static char *
jobs_path_for (const char *script)
{
  g_autofree char *dir = g_path_get_dirname (script);
  g_autofree char *base = g_path_get_basename (script);
  char            *dot = strrchr (base, '.');

  if (dot && dot != base && g_strcmp0 (dot, ".jobs") != 0)
    *dot = '\0';
  return g_strdup_printf ("%s/%s.jobs", dir, base);
}

/* The body after the #SBATCH lines: pick the task's line, run it, record
 * how it ended. A time limit or scancel sends SIGTERM to the task's every
 * process, the script included; trapping it makes `wait` return, and the
 * loop waits on for the run's own status. */
static const char script_body[]
    = "task=${SLURM_ARRAY_TASK_ID:?not a Slurm array task: submit this with sbatch}\n"
      "printf -v name '%%0%dd' \"$task\"\n"
      "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1} OMP_WAIT_POLICY=passive\n"
      "line=$(sed -n \"$((task + 1))p\" \"$jobs\")\n"
      "rm -f \"$logs/$name.exit\"\n"
      "if [ -z \"$line\" ]; then\n"
      "  echo \"gradscope-sweep: $jobs has no line $((task + 1)) for task $task\" >&2\n"
      "  echo 2 >\"$logs/$name.exit\"\n"
      "  exit 2\n"
      "fi\n"
      "echo \"gradscope-sweep: task $task on $(hostname), $OMP_NUM_THREADS thread(s): $line\" >&2\n"
      "trap 'echo \"gradscope-sweep: SIGTERM (the time limit, or scancel)\" >&2' TERM\n"
      "sh -c \"$line\" &\n"
      "pid=$!\n"
      "while wait \"$pid\"; status=$?; kill -0 \"$pid\" 2>/dev/null; do :; done\n"
      "echo \"$status\" >\"$logs/$name.exit\"\n"
      "echo \"gradscope-sweep: task $task exit status $status\" >&2\n"
      "exit \"$status\"\n";

static char *
script_text (const GsSlurmArgs *s, const char *logs, const char *jobs, guint n_runs, const char *collect)
{
  GString         *t = g_string_new ("#!/bin/bash\n");
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *q_jobs = g_shell_quote (jobs);
  g_autofree char *q_logs = g_shell_quote (logs);
  const int        width = gs_slurm_index_width (n_runs);
  g_autofree char *script = g_canonicalize_filename (s->script, NULL);

  g_string_append_printf (t,
                          "# A gradscope-cli sweep as a Slurm array job: task I runs line I+1 of\n"
                          "# %s (run I). Submit: sbatch %s\n"
                          "# Only some tasks (say 3 and 7 failed): sbatch --array=3,7 %s\n"
                          "# When they are done: %s\n",
                          jobs, script, script, collect);
  g_string_append (t, "#SBATCH --job-name=gradscope-sweep\n");
  g_string_append_printf (t, "#SBATCH --array=0-%u\n", n_runs - 1);
  g_string_append_printf (t, "#SBATCH --cpus-per-task=%u\n", s->cpus ? s->cpus : 1);
  if (s->partition)
    g_string_append_printf (t, "#SBATCH --partition=%s\n", s->partition);
  if (s->time)
    g_string_append_printf (t, "#SBATCH --time=%s\n", s->time);
  g_string_append_printf (t, "#SBATCH --chdir=%s\n", cwd);
  g_string_append_printf (t, "#SBATCH --output=%s/%%%da.log\n\n", logs, width);
  g_string_append_printf (t, "jobs=%s\nlogs=%s\n", q_jobs, q_logs);
  g_string_append_printf (t, script_body, width);
  return g_string_free (t, FALSE);
}

/* #SBATCH lines are split at white space and %x is a Slurm pattern there. */
static gboolean
check_directive_path (const char *path, GError **error)
{
  if (strpbrk (path, " \t\n%\"'\\") == NULL)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               "an #SBATCH line cannot hold the path '%s' (white space, quotes or %%): "
               "use a folder without them",
               path);
  return FALSE;
}

static gboolean
write_script (const GsSlurmArgs *s,
              const char        *logs,
              const char        *jobs,
              guint              n_runs,
              const char        *collect,
              GError           **error)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *text = NULL;
  g_autofree char *marker = g_build_filename (logs, "script", NULL);
  g_autofree char *abs_script = g_canonicalize_filename (s->script, NULL);
  g_autofree char *marker_text = g_strconcat (abs_script, "\n", NULL);

  if (!check_directive_path (cwd, error) || !check_directive_path (logs, error))
    return FALSE;
  text = script_text (s, logs, jobs, n_runs, collect);
  if (!g_file_set_contents (s->script, text, -1, error))
    return FALSE;
  if (g_chmod (s->script, 0755) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM, "%s: cannot make it executable", s->script);
      return FALSE;
    }
  /* for --collect, which names the script when it says how to resubmit */
  return g_file_set_contents (marker, marker_text, -1, error);
}

/* Runs `sbatch --parsable SCRIPT`; prints the job id. */
static int
submit (const GsSlurmArgs *s, guint n_runs, const char *collect)
{
  g_autofree char *sbatch = g_find_program_in_path ("sbatch");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  char *argv[] = { sbatch, "--parsable", s->script, NULL };
  int   wait_status = 0;

  if (sbatch == NULL)
    {
      fprintf (stderr,
               "gradscope-cli: --submit: sbatch is not on PATH; on a machine of the cluster run: "
               "sbatch %s\n",
               s->script);
      return 1;
    }
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status, &error))
    return gs_cli_fail (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    {
      fprintf (stderr, "gradscope-cli: --submit: sbatch %s failed: %s\n", s->script, g_strstrip (err));
      return 1;
    }
  /* --parsable prints "ID" or "ID;CLUSTER" */
  g_strstrip (out);
  out[strcspn (out, ";")] = '\0';
  printf ("submitted Slurm job %s: %u tasks (squeue -j %s shows them)\nwhen they are done: %s\n", out, n_runs,
          out, collect);
  return 0;
}

int
gs_slurm_emit (const GsSlurmArgs *s, const char *out_dir, const char *jobs, guint n_runs, const char *collect)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *abs_out = g_canonicalize_filename (out_dir, NULL);
  g_autofree char *logs = logs_dir (abs_out);
  g_autofree char *jobs_path = jobs_path_for (s->script);
  g_autofree char *abs_jobs = g_canonicalize_filename (jobs_path, NULL);

  if (g_mkdir_with_parents (logs, 0755) != 0)
    {
      fprintf (stderr, "gradscope-cli: --out %s: cannot create the folder %s\n", out_dir, logs);
      return 1;
    }
  if (!g_file_set_contents (jobs_path, jobs, -1, &error)
      || !write_script (s, logs, abs_jobs, n_runs, collect, &error))
    {
      g_prefix_error (&error, "--emit-slurm %s: ", s->script);
      return gs_cli_fail (error);
    }
  if (s->submit)
    return submit (s, n_runs, collect);
  if (!s->quiet)
    printf ("wrote %s (%u array tasks, %u CPU%s each; logs in %s/) and its job list %s\n"
            "submit: sbatch %s\nwhen they are done: %s\n",
            s->script, n_runs, s->cpus ? s->cpus : 1, s->cpus > 1 ? "s" : "", logs, jobs_path, s->script,
            collect);
  return 0;
}

/* --- What a task left behind --------------------------------------------- */

/* The log's last "gradscope-cli: ..." line (the trainer's error), else its
 * last line. */
static char *
log_reason (const char *log)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  const char *last = NULL;

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "gradscope-cli: "))
      last = lines[i] + strlen ("gradscope-cli: ");
  if (last == NULL)
    for (guint i = g_strv_length (lines); i-- > 0 && last == NULL;)
      if (*g_strstrip (lines[i]) && !g_str_has_prefix (lines[i], "gradscope-sweep: "))
        last = lines[i];
  return last ? g_utf8_make_valid (last, MIN (strlen (last), 300)) : NULL;
}

static char *
describe_exit (int status, const char *log)
{
  g_autofree char *reason = log ? log_reason (log) : NULL;

  if (status == 137)
    return g_strdup ("killed by SIGKILL (out of memory, or the kill after a time limit)");
  if (status == 143)
    return g_strdup ("stopped by SIGTERM (the time limit, or scancel)");
  if (status > 128)
    return g_strdup_printf ("killed by signal %d", status - 128);
  if (status == 0)
    return g_strdup ("exited 0 but left no run file");
  return g_strdup_printf ("exit status %d%s%s", status, reason ? ": " : "", reason ? reason : "");
}

gboolean
gs_slurm_task_read (const char *out_dir, guint index, guint n_runs, GsSlurmTask *task)
{
  g_autofree char *logs = logs_dir (out_dir);
  g_autofree char *stem = g_strdup_printf ("%0*u", gs_slurm_index_width (n_runs), index);
  g_autofree char *exit_path = g_strdup_printf ("%s/%s.exit", logs, stem);
  g_autofree char *log = g_strdup_printf ("%s/%s.log", logs, stem);
  g_autofree char *text = NULL;
  gint64           status;

  task->exit_status = -1;
  task->log = g_file_test (log, G_FILE_TEST_EXISTS) ? g_steal_pointer (&log) : NULL;
  task->error = NULL;
  if (g_file_get_contents (exit_path, &text, NULL, NULL)
      && g_ascii_string_to_signed (g_strstrip (text), 10, 0, 255, &status, NULL))
    {
      task->exit_status = (int) status;
      task->error = describe_exit (task->exit_status, task->log);
    }
  else if (task->log)
    task->error = g_strdup ("started but no exit status yet: still running, or killed before it "
                            "could record one (node failure, the whole job killed)");
  return task->log != NULL || task->exit_status >= 0;
}

void
gs_slurm_task_clear (GsSlurmTask *task)
{
  g_clear_pointer (&task->log, g_free);
  g_clear_pointer (&task->error, g_free);
}

/* 2,5,6,7 -> "2,5-7", plus offset (1: line numbers) */
static char *
ranges (const GArray *indices, guint offset)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < indices->len;)
    {
      guint first = g_array_index (indices, guint, i), j = i;
      while (j + 1 < indices->len
             && g_array_index (indices, guint, j + 1) == g_array_index (indices, guint, j) + 1)
        j++;
      g_string_append_printf (s, "%s%u", s->len ? "," : "", first + offset);
      if (j > i)
        g_string_append_printf (s, "-%u", g_array_index (indices, guint, j) + offset);
      i = j + 1;
    }
  return g_string_free (s, FALSE);
}

void
gs_slurm_report_missing (const char *out_dir, const GArray *not_done, guint n_runs)
{
  g_autofree char *logs = logs_dir (out_dir);
  g_autofree char *marker = g_build_filename (logs, "script", NULL);
  g_autofree char *script = NULL;
  g_autofree char *tasks = ranges (not_done, 0);
  g_autofree char *lines = ranges (not_done, 1);

  if (not_done->len == 0)
    return;
  printf ("not done: %u of %u runs (%s)\n", not_done->len, n_runs, tasks);
  if (g_file_get_contents (marker, &script, NULL, NULL))
    printf ("resubmit only those: sbatch --array=%s %s\n", tasks, g_strstrip (script));
  else
    printf ("rerun only those: lines %s of the job list (run I is line I+1)\n", lines);
}
