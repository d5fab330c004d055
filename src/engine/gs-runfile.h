/* gs-runfile.h: saving and loading run records (docs/run-format.md).
 *
 * A run file is JSON, gzipped when its name ends in .gsrun (the name
 * Gradscope writes) or .gz, with a format version. Saving is atomic: a temporary file in the same folder, fsync,
 * rename; an existing file is never left half-written.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "gs-record.h"

G_BEGIN_DECLS

#define GS_RUNFILE_ERROR (gs_runfile_error_quark ())
typedef enum
{
  GS_RUNFILE_ERROR_READ,      /* missing, unreadable */
  GS_RUNFILE_ERROR_FORMAT,    /* not a run file, corrupt, truncated */
  GS_RUNFILE_ERROR_VERSION,   /* from a newer format version */
  GS_RUNFILE_ERROR_TOO_LARGE, /* larger than any real run */
  GS_RUNFILE_ERROR_WRITE,
} GsRunfileError;
GQuark gs_runfile_error_quark (void);

/* 2: layer numbers (diverged.layer, stages' lowest_trainable) count from 1,
 * as everywhere a user sees them; version 1 counted from 0. */
/* 3: 12 probes per layer, the backward signal's norms added (version 1 and
 * 2 files have 8; the new ones read as not taken), and "phases" for
 * layer-wise runs. */
/* 4: "interventions" (changes made while the run trained) and each
 * epoch's "grad_norm"; both optional, absent in older files. */
#define GS_RUNFILE_VERSION   4
#define GS_RUNFILE_MAX_BYTES (512u * 1024 * 1024)
/* Deepest JSON nesting a reader accepts (real files: 4); json-glib
 * recurses per level, so deeper text is refused before it is parsed. */
#define GS_RUNFILE_MAX_DEPTH 64u

gboolean gs_runfile_save (GsRecord *rec, const char *path, GError **error);
/* Adds member "config": every option by name with its string value, and
 * "preset" (the form run files and JSON summaries share). */
void gs_runfile_add_config (JsonBuilder *b, const GsConfig *config);
/* "phases": the record's phases, as run files and JSON summaries write them. */
void gs_runfile_add_phases (JsonBuilder *b, GsRecord *rec);
/* "grad_norm": epoch's mean weight-gradient norm per Linear layer, input
 * side first (null where not recorded). */
void gs_runfile_add_grad_norm (JsonBuilder *b, GsRecord *rec, guint epoch);
/* "interventions": the changes applied while the run trained. */
void gs_runfile_add_interventions (JsonBuilder *b, GsRecord *rec);
/* Member name: the number, or null when it is not finite (JSON has no NaN). */
void      gs_runfile_add_number (JsonBuilder *b, const char *name, double v);
GsRecord *gs_runfile_load (const char *path, GError **error);

/* The name every run file Gradscope writes ends in: gzipped JSON. */
#define GS_RUNFILE_SUFFIX ".gsrun"

/* The endings of run-file names, GS_RUNFILE_SUFFIX first, then those older
 * Gradscopes wrote (.run.gz, .json.gz) and plain JSON; NULL-terminated. */
const char *const *gs_runfile_suffixes (void);
/* TRUE if a file of this name (not a path) is taken for a run file:
 * it ends in one of the suffixes and is not hidden. */
gboolean gs_runfile_is_run_name (const char *name);
/* The run files of a folder, full paths sorted by name. A NAME.json next
 * to a run file NAME.gsrun (or .run.gz, .json.gz) is a train --json
 * summary, as a sweep or reproduce writes, and is left out. NULL and an
 * error when the folder cannot be read. */
GPtrArray *gs_runfile_list_dir (const char *dir, GError **error);

G_END_DECLS
