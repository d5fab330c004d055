/* gs-gzip.c: reading files that may be gzipped (see gs-gzip.h).
 *
 * The file is held in memory and inflated by zlib in pieces of the size
 * the caller asks for, so a caller that knows how much to expect (an IDX
 * header) allocates exactly that, and one that does not (a run file) stops
 * at its limit.
 */
#define G_LOG_DOMAIN "gs-gzip"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "gs-gzip.h"

G_DEFINE_QUARK (gs - gzip - error - quark, gs_gzip_error)

struct _GsGzipReader
{
  char         *path;
  const guint8 *data; /* the whole file, (len) */
  gsize         len;
  gsize         pos; /* next byte of data not yet consumed */
  gboolean      gz;
  gboolean      z_ready; /* zs was initialised and needs inflateEnd */
  gboolean      z_done;  /* the last gzip member ended cleanly */
  z_stream      zs;
};

static void set_error (GError **error, GsGzipError code, const char *path, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

/* Every message starts with the path, so the user knows which file to fix. */
static void
set_error (GError **error, GsGzipError code, const char *path, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, GS_GZIP_ERROR, code, "%s: %s", path, what);
}

/* --- Opening and reading a whole file ----------------------------------- */

static void
set_errno_error (GError **error, const char *path, int err)
{
  switch (err)
    {
    case ENOENT:
      set_error (error, GS_GZIP_ERROR_NOT_FOUND, path, "cannot read the file: it does not exist");
      break;
    case EACCES:
    case EPERM:
      set_error (error, GS_GZIP_ERROR_READ, path, "cannot read the file: permission denied");
      break;
    case ELOOP:
      set_error (error, GS_GZIP_ERROR_READ, path,
                 "cannot read the file: too many levels of symbolic links (a symlink loop)");
      break;
    case ENOTDIR:
      set_error (error, GS_GZIP_ERROR_NOT_FOUND, path,
                 "cannot read the file: a part of the path is not a folder");
      break;
    default:
      set_error (error, GS_GZIP_ERROR_READ, path, "cannot read the file: %s", g_strerror (err));
    }
}

/* What a path that is not a regular file is, for the message. */
static const char *
describe_mode (mode_t mode)
{
  if (S_ISDIR (mode))
    return "it is a folder";
  if (S_ISFIFO (mode))
    return "it is a FIFO (named pipe), not a regular file";
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return "it is a device, not a regular file";
  if (S_ISSOCK (mode))
    return "it is a socket, not a regular file";
  return "it is not a regular file";
}

int
gs_gzip_open (const char *path, guint64 max_bytes, guint64 *size, GError **error)
{
  struct stat st;
  int         fd;

  g_return_val_if_fail (path != NULL && size != NULL, -1);

  if (*path == '\0')
    {
      g_set_error_literal (error, GS_GZIP_ERROR, GS_GZIP_ERROR_NOT_FOUND, "an empty file name");
      return -1;
    }
  /* O_NONBLOCK: a FIFO opens at once instead of waiting for a writer, and
   * is then refused below. */
  if ((fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0)) < 0)
    {
      set_errno_error (error, path, errno);
      return -1;
    }
  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, path, errno);
      close (fd);
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      set_error (error, GS_GZIP_ERROR_READ, path, "cannot read the file: %s", describe_mode (st.st_mode));
      close (fd);
      return -1;
    }
  /* A file bigger than anything we accept is refused before it is read. */
  if ((guint64) st.st_size > max_bytes)
    {
      set_error (error, GS_GZIP_ERROR_TOO_LARGE, path,
                 "the file is %" G_GUINT64_FORMAT " bytes, more than the limit of %" G_GUINT64_FORMAT,
                 (guint64) st.st_size, max_bytes);
      close (fd);
      return -1;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  *size = (guint64) st.st_size;
  return fd;
}

gboolean
gs_gzip_read_fd (int fd, const char *path, guint8 *buf, gsize len, gsize *got, GError **error)
{
  *got = 0;
  while (*got < len)
    {
      ssize_t n = read (fd, buf + *got, MIN (len - *got, (gsize) 1 << 30));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, path, errno);
          return FALSE;
        }
      if (n == 0)
        break; /* the file shrank while we read it: the caller sees *got < len */
      *got += (gsize) n;
    }
  return TRUE;
}

gboolean
gs_gzip_read_file (const char *path, guint64 max_bytes, char **contents, gsize *len, GError **error)
{
  guint64 size;
  int     fd;
  char   *buf;

  g_return_val_if_fail (path != NULL && contents != NULL && len != NULL, FALSE);

  if ((fd = gs_gzip_open (path, max_bytes, &size, error)) < 0)
    return FALSE;
  if ((buf = g_try_malloc (size + 1)) == NULL)
    {
      set_error (error, GS_GZIP_ERROR_TOO_LARGE, path,
                 "cannot allocate %" G_GUINT64_FORMAT " bytes to read it", size);
      close (fd);
      return FALSE;
    }
  if (!gs_gzip_read_fd (fd, path, (guint8 *) buf, size, len, error))
    {
      g_free (buf);
      close (fd);
      return FALSE;
    }
  close (fd);
  buf[*len] = '\0';
  *contents = buf;
  return TRUE;
}

/* --- A reader over a file in memory -------------------------------------- */

GsGzipReader *
gs_gzip_reader_new (const char *path, const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GsGzipReader) r = g_new0 (GsGzipReader, 1);

  r->path = g_strdup (path);
  r->data = data;
  r->len = len;
  r->gz = len >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  if (!r->gz)
    return g_steal_pointer (&r);

  /* 16 + MAX_WBITS: expect a gzip wrapper and check its CRC. */
  if (inflateInit2 (&r->zs, 16 + MAX_WBITS) != Z_OK)
    {
      set_error (error, GS_GZIP_ERROR_CORRUPT, path, "cannot start the gzip decoder");
      return NULL;
    }
  r->z_ready = TRUE;
  return g_steal_pointer (&r);
}

void
gs_gzip_reader_free (GsGzipReader *r)
{
  if (r == NULL)
    return;
  if (r->z_ready)
    inflateEnd (&r->zs);
  g_free (r->path);
  g_free (r);
}

gboolean
gs_gzip_reader_is_gzip (const GsGzipReader *r)
{
  return r->gz;
}

gsize
gs_gzip_reader_offset (const GsGzipReader *r)
{
  return r->pos;
}

static gsize
input_left (const GsGzipReader *r)
{
  return r->zs.avail_in + (r->len - r->pos);
}

/* Hands zlib the next piece of the file once it has used the last one;
 * avail_in is a uInt, so files over 4 GB go in several pieces. */
static void
feed (GsGzipReader *r)
{
  if (r->zs.avail_in > 0 || r->pos == r->len)
    return;
  r->zs.next_in = (Bytef *) r->data + r->pos;
  r->zs.avail_in = (uInt) MIN (r->len - r->pos, (gsize) G_MAXUINT);
  r->pos += r->zs.avail_in;
}

/* Called at the end of a gzip member: another member may follow (that is
 * valid gzip), anything else is garbage. */
static gboolean
member_end (GsGzipReader *r, GError **error)
{
  if (input_left (r) == 0)
    {
      r->z_done = TRUE;
      return TRUE;
    }
  feed (r);
  if (r->zs.avail_in >= 2 && r->zs.next_in[0] == 0x1f && r->zs.next_in[1] == 0x8b
      && inflateReset (&r->zs) == Z_OK)
    return TRUE;

  set_error (error, GS_GZIP_ERROR_CORRUPT, r->path,
             "corrupt gzip file: %" G_GSIZE_FORMAT " bytes of garbage after "
             "the compressed data",
             input_left (r));
  return FALSE;
}

static gboolean
inflate_some (GsGzipReader *r, guint8 *buf, gsize want, gsize *got, GError **error)
{
  *got = 0;
  while (*got < want && !r->z_done)
    {
      feed (r);
      r->zs.next_out = buf + *got;
      r->zs.avail_out = (uInt) MIN (want - *got, (gsize) G_MAXUINT);
      uInt before = r->zs.avail_out;

      int ret = inflate (&r->zs, Z_NO_FLUSH);
      *got += before - r->zs.avail_out;

      if (ret == Z_STREAM_END)
        {
          if (!member_end (r, error))
            return FALSE;
        }
      else if (ret == Z_BUF_ERROR && input_left (r) == 0)
        {
          set_error (error, GS_GZIP_ERROR_CORRUPT, r->path,
                     "corrupt gzip file: the compressed data ends early "
                     "(truncated gzip stream)");
          return FALSE;
        }
      else if (ret != Z_OK)
        {
          set_error (error, GS_GZIP_ERROR_CORRUPT, r->path, "corrupt gzip data: %s",
                     r->zs.msg ? r->zs.msg : "inflate failed");
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
gs_gzip_reader_read (GsGzipReader *r, guint8 *buf, gsize want, gsize *got, GError **error)
{
  if (r->gz)
    return inflate_some (r, buf, want, got, error);

  *got = MIN (want, r->len - r->pos);
  memcpy (buf, r->data + r->pos, *got);
  r->pos += *got;
  return TRUE;
}

gboolean
gs_gzip_reader_drain (GsGzipReader *r, guint64 *extra, GError **error)
{
  *extra = 0;
  if (!r->gz)
    {
      *extra = r->len - r->pos;
      r->pos = r->len;
      return TRUE;
    }

  guint8 scratch[16384];
  gsize  got;
  do
    {
      if (!inflate_some (r, scratch, sizeof scratch, &got, error))
        return FALSE;
      *extra += got;
    }
  while (got == sizeof scratch);
  return TRUE;
}

/* --- A whole file, inflated ---------------------------------------------- */

/* Inflates all of r into a NUL-terminated buffer, refusing more than
 * max_bytes: it stops there, so a bomb is never unpacked. */
static char *
inflate_all (GsGzipReader *r, gsize max_bytes, gsize *len, GError **error)
{
  const gsize piece = 1 << 16;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gsize got;

  do
    {
      gsize have = out->len;
      g_byte_array_set_size (out, have + piece);
      if (!gs_gzip_reader_read (r, out->data + have, piece, &got, error))
        return NULL;
      g_byte_array_set_size (out, have + got);
      if (out->len > max_bytes)
        {
          set_error (error, GS_GZIP_ERROR_TOO_LARGE, r->path,
                     "unpacks to more than %" G_GSIZE_FORMAT " MB, the limit", max_bytes >> 20);
          return NULL;
        }
    }
  while (got == piece);
  *len = out->len;
  g_byte_array_append (out, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&out), FALSE);
}

char *
gs_gzip_load (const char *path, gsize max_bytes, gsize *len, GError **error)
{
  g_autofree char *contents = NULL;
  gsize            n;

  g_return_val_if_fail (path != NULL && len != NULL, NULL);

  if (!gs_gzip_read_file (path, max_bytes, &contents, &n, error))
    return NULL;
  g_autoptr (GsGzipReader) r = gs_gzip_reader_new (path, (const guint8 *) contents, n, error);
  if (r == NULL)
    return NULL;
  if (!r->gz)
    {
      *len = n;
      return g_steal_pointer (&contents);
    }
  return inflate_all (r, max_bytes, len, error);
}

/* --- Writing ------------------------------------------------------------- */

GBytes *
gs_gzip_compress (const char *data, gsize len)
{
  z_stream zs = { 0 };

  g_return_val_if_fail (len <= G_MAXUINT, NULL);

  gsize   cap = compressBound (len) + 64;
  guchar *out = g_malloc (cap);
  deflateInit2 (&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) len;
  zs.next_out = out;
  zs.avail_out = (uInt) cap;
  deflate (&zs, Z_FINISH);
  deflateEnd (&zs);
  return g_bytes_new_take (out, zs.total_out);
}
