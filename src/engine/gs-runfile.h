/* gs-runfile.h: saving and loading run records (docs/run-format.md).
 *
 * A run file is JSON (gzipped when the name ends in .gz), with a format
 * version. Saving is atomic: a temporary file in the same folder, fsync,
 * rename; an existing file is never left half-written.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "gs-record.h"

G_BEGIN_DECLS

#define GS_RUNFILE_ERROR (gs_runfile_error_quark ())
typedef enum {
  GS_RUNFILE_ERROR_READ,      /* missing, unreadable */
  GS_RUNFILE_ERROR_FORMAT,    /* not a run file, corrupt, truncated */
  GS_RUNFILE_ERROR_VERSION,   /* from a newer format version */
  GS_RUNFILE_ERROR_TOO_LARGE, /* larger than any real run */
  GS_RUNFILE_ERROR_WRITE,
} GsRunfileError;
GQuark gs_runfile_error_quark (void);

#define GS_RUNFILE_VERSION 1
#define GS_RUNFILE_MAX_BYTES (512u * 1024 * 1024)

gboolean  gs_runfile_save (GsRecord *rec, const char *path, GError **error);
/* Adds member "config": every option by name with its string value, and
 * "preset" (the form run files and JSON summaries share). */
void      gs_runfile_add_config (JsonBuilder *b, const GsConfig *config);
GsRecord *gs_runfile_load (const char *path, GError **error);

G_END_DECLS
