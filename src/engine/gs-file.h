/* gs-file.h: writing an output file safely: the one writer behind
 * `train --json`, `--save` (gs_runfile_save ()) and the window's saves, and
 * the one check of an output path (also `export --out`).
 *
 * The policy, the same for every output:
 * - a symbolic link is followed: its target is written (or replaced), the
 *   link stays; a link to nothing or a loop of links is refused;
 * - a character device or a FIFO is written through (so `--json
 *   /dev/stdout` works and `/dev/null` is never replaced by a file); a FIFO
 *   with no reader is refused at once, never waited on; block devices,
 *   sockets and folders are refused;
 * - a regular file is replaced atomically: a temporary NAME.XXXXXX in the
 *   same folder, fsync, rename. A catchable signal (SIGINT, SIGTERM,
 *   SIGHUP) during the write removes the temporary (gs_file_clean_on_signals ());
 * - every error starts with the path and says what is wrong.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether gs_file_write (path) can succeed, as far as can be told without
 * writing: the name is not empty, the folder exists and may be written in,
 * the path is not a folder, a block device, a socket or a broken link.
 * Callers check every output before starting work that takes long. */
gboolean gs_file_check_output (const char *path, GError **error);

/* Writes data to path by the policy above. Error domain G_FILE_ERROR. */
gboolean gs_file_write (const char *path, const void *data, gsize len, GError **error);

/* Where gs_file_write (path) would write: the target of a symbolic link,
 * else path. For a writer that renames into place itself. */
char *gs_file_resolve_output (const char *path);

/* A regular file written bit by bit (a video, an encoder's output): the
 * temporary of the policy above, made at once, so the file is replaced
 * only when commit () succeeds and a signal, an error or free () removes
 * the temporary. Devices and FIFOs are refused. */
typedef struct _GsFileTemp GsFileTemp;
GsFileTemp                *gs_file_temp_new (const char *path, GError **error);
/* The temporary's name, to open it again (e.g. by an encoder library). */
const char *gs_file_temp_path (const GsFileTemp *t);
/* fsync, rename into place, free t (also on failure). */
gboolean gs_file_temp_commit (GsFileTemp *t, GError **error);
/* Removes the temporary (unless committed) and frees t. */
void gs_file_temp_free (GsFileTemp *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsFileTemp, gs_file_temp_free)

/* Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the
 * temporaries of writes under way, then die of the signal as before. */
void gs_file_clean_on_signals (void);

G_END_DECLS
