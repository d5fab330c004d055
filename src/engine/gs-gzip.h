/* gs-gzip.h: reading files that may be gzipped, safely.
 *
 * The one reader behind data sets (IDX files) and run files. A file is
 * opened only if it is a regular file, and read whole after a size check, and told gzip or raw by its magic bytes, not
 * its name. Inflating stops at the size the caller allows: a gzip bomb is
 * refused, never unpacked into memory. Garbage after the last gzip member
 * is refused; several members (valid gzip) are read in turn. Every error
 * starts with the file's path. Writing is one call: gs_gzip_compress ().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GS_GZIP_ERROR (gs_gzip_error_quark ())
typedef enum
{
  GS_GZIP_ERROR_NOT_FOUND, /* no such file */
  GS_GZIP_ERROR_READ,      /* unreadable: permissions, a folder, I/O */
  GS_GZIP_ERROR_CORRUPT,   /* corrupt or truncated gzip data */
  GS_GZIP_ERROR_TOO_LARGE, /* the file, or what it unpacks to, is over the limit */
} GsGzipError;
GQuark gs_gzip_error_quark (void);

/* Deflate cannot expand data by more than about 1032:1, so n bytes of gzip
 * cannot hold more than n times this: lets a caller refuse a file whose
 * header claims more before allocating what it claims. */
#define GS_GZIP_MAX_RATIO 1032u

/* Opens path for reading, without blocking: refuses (with the path and
 * what it is) anything but a regular file of at most max_bytes, so a FIFO,
 * a device such as /dev/zero or a folder is never waited on or read.
 * Returns the descriptor (close it) and the file's size in *size, or -1. */
int gs_gzip_open (const char *path, guint64 max_bytes, guint64 *size, GError **error);
/* Reads up to len bytes from fd; *got < len only at the end of the file. */
gboolean gs_gzip_read_fd (int fd, const char *path, guint8 *buf, gsize len, gsize *got, GError **error);

/* The whole of path, raw, if it is a regular file of at most max_bytes
 * (gs_gzip_open ()); NUL-terminated. */
gboolean gs_gzip_read_file (const char *path, guint64 max_bytes, char **contents, gsize *len, GError **error);

/* The whole of path, inflated if gzipped; the file and what it unpacks to
 * each at most max_bytes. Returns a NUL-terminated buffer of *len bytes. */
char *gs_gzip_load (const char *path, gsize max_bytes, gsize *len, GError **error);

/* A reader over a file held in memory (data, borrowed), gzipped or raw. */
typedef struct _GsGzipReader GsGzipReader;

GsGzipReader *gs_gzip_reader_new (const char *path, const guint8 *data, gsize len, GError **error);
void          gs_gzip_reader_free (GsGzipReader *r);
gboolean      gs_gzip_reader_is_gzip (const GsGzipReader *r);
/* How many bytes of the file were consumed (of a raw file: read so far). */
gsize gs_gzip_reader_offset (const GsGzipReader *r);
/* Copies up to want bytes to buf; *got < want only at the end of the data. */
gboolean gs_gzip_reader_read (GsGzipReader *r, guint8 *buf, gsize want, gsize *got, GError **error);
/* Reads to the end of the data, counting the bytes left over. */
gboolean gs_gzip_reader_drain (GsGzipReader *r, guint64 *extra, GError **error);

/* data (under 4 GB) as one gzip member, at zlib's default level. */
GBytes *gs_gzip_compress (const char *data, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsGzipReader, gs_gzip_reader_free)

G_END_DECLS
