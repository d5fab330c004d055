/* gs-cli.h: the subcommands of gradscope-cli. */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "gs-config.h"
#include "gs-dataset.h"
#include "gs-record.h"
#include "gs-trainer.h"

G_BEGIN_DECLS

int  gs_cli_train (int argc, char **argv);
int  gs_cli_reproduce (int argc, char **argv);
int  gs_cli_export (int argc, char **argv);
int  gs_cli_sweep (int argc, char **argv);
int  gs_cli_lesson (int argc, char **argv);
void gs_cli_train_usage (FILE *out);

/* Prints "gradscope-cli: MESSAGE" on stderr; returns 1 (2 for usage). */
int        gs_cli_fail (const GError *error);
gboolean   gs_cli_usage_error (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
GsDataset *gs_cli_load_data (const char *dir, gboolean quiet, GError **error);
/* The cores of a pool of runs (reproduce, sweep): a run trains on procs /
 * min (jobs, runs not yet done) threads, looked at again after every epoch,
 * so the last runs take the cores the finished ones leave (at batch sizes
 * of 256 and more: gs-cli-train.c). A run's results do not depend on its
 * number of threads (fixed tiles and reductions). */
typedef struct
{
  int  procs, jobs;
  gint remaining; /* runs not yet done */
} GsCliCores;

GsRecord *gs_cli_run_training (const GsConfig  *config,
                               const GArray    *schedule,
                               const GsDataset *data,
                               gboolean         quiet,
                               gboolean         probes,
                               GsCliCores      *cores,
                               GError         **error);
gboolean  gs_cli_write_summary (GsRecord *rec, const char *path, GError **error);

G_END_DECLS
