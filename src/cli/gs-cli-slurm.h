/* gs-cli-slurm.h: the Slurm side of `gradscope-cli sweep` (docs/sweep.md):
 * the sbatch script of --emit-slurm, --submit, and what a task that failed
 * or was killed left behind for --collect. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *script;    /* --emit-slurm FILE */
  char    *partition; /* --partition */
  char    *time;      /* --time */
  guint    cpus;      /* --cpus-per-task; 0: one */
  gboolean submit;    /* --submit */
  gboolean quiet;     /* the sweep's --quiet: say nothing but the job id */
} GsSlurmArgs;

/* What a task's files say about a run whose run file is not there. */
typedef struct
{
  int   exit_status; /* -1: none recorded */
  char *log;         /* its log, when there is one */
  char *error;       /* why it failed, or that it is still out */
} GsSlurmTask;

/* Digits of a run's index in its name, and of its task's log: 000..999. */
int gs_slurm_index_width (guint n_runs);

/* Takes --partition, --time and --cpus-per-task: 1 taken, 0 bad value (and
 * an error), -1 not one of them. */
int      gs_slurm_parse_option (GsSlurmArgs *s, const char *name, const char *value, GError **error);
gboolean gs_slurm_check (const GsSlurmArgs *s, GError **error);
void     gs_slurm_args_clear (GsSlurmArgs *s);

/* Writes the sbatch script and the job list (jobs, one line per run) beside
 * it, prints how to submit and collect, and with --submit submits it.
 * collect_command is the sweep command that collects the results. */
int gs_slurm_emit (
    const GsSlurmArgs *s, const char *out_dir, const char *jobs, guint n_runs, const char *collect_command);

/* Reads OUT/slurm/NNN.exit and NNN.log of the run with that index. Returns
 * FALSE when the run has no task files (it never ran as a Slurm task). */
gboolean gs_slurm_task_read (const char *out_dir, guint index, guint n_runs, GsSlurmTask *task);
void     gs_slurm_task_clear (GsSlurmTask *task);

/* After --collect: which tasks are not done, and the sbatch --array list
 * that resubmits only those. not_done holds their indices, ascending. */
void gs_slurm_report_missing (const char *out_dir, const GArray *not_done, guint n_runs);

G_END_DECLS
