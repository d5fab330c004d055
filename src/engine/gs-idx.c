/* gs-idx.c: one IDX file, raw or gzipped (told apart by content).
 *
 * A file is opened only if it is a regular file; a raw one has its header
 * read and checked, and its size against the header's, before its payload
 * is read; a gzipped one (small) is read whole and inflated in one go. The
 * payload goes into a buffer of the size the header implies, the one
 * training uses (never copied). Every size is checked
 * before anything large is allocated, and every error names the file.
 */
#define G_LOG_DOMAIN "gs-idx"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "gs-dataset-private.h"
#include "gs-gzip.h"
#include "gs-trainer.h"

#define IDX_TYPE_UBYTE 0x08

/* The largest payload any IDX file may claim: the image limit at 28x28. */
#define IDX_MAX_BYTES ((guint64) GS_DATASET_MAX_IMAGES * GS_IMAGE_ROWS * GS_IMAGE_COLS)

/* "60000 images of 28x28", "60000 labels": the header in words. */
static char *
describe_dims (guint n_dims, const guint dims[3])
{
  switch (n_dims)
    {
    case 1:
      return g_strdup_printf ("%u labels", dims[0]);
    case 2:
      return g_strdup_printf ("%u items of %u bytes", dims[0], dims[1]);
    default:
      return g_strdup_printf ("%u images of %ux%u", dims[0], dims[1], dims[2]);
    }
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | (guint32) p[3];
}

/* --- Reading through gs-gzip, its errors in our domain ------------------- */

static gboolean
gzip_failed (GError **error, GError *local)
{
  static const GsDatasetError codes[] = {
    [GS_GZIP_ERROR_NOT_FOUND] = GS_DATASET_ERROR_NOT_FOUND,
    [GS_GZIP_ERROR_READ] = GS_DATASET_ERROR_READ,
    [GS_GZIP_ERROR_CORRUPT] = GS_DATASET_ERROR_GZIP,
    [GS_GZIP_ERROR_TOO_LARGE] = GS_DATASET_ERROR_TOO_LARGE,
  };

  g_set_error_literal (error, GS_DATASET_ERROR, codes[local->code], local->message);
  g_error_free (local);
  return FALSE;
}

/* The file being read: its path and size, and the reader over its bytes. */
typedef struct
{
  const char   *path;
  gsize         len;
  GsGzipReader *gz;
} IdxFile;

static gboolean
reader_read (IdxFile *r, guint8 *buf, gsize want, gsize *got, GError **error)
{
  GError *local = NULL;

  return gs_gzip_reader_read (r->gz, buf, want, got, &local) || gzip_failed (error, local);
}

/* --- The IDX header ------------------------------------------------------ */

/* The magic number is 0 0 type n_dims. want_dims: 0 for any, 3 for
 * images, 1 for labels. */
static gboolean
idx_check_magic (const char *path, const guint8 magic[4], guint want_dims, GError **error)
{
  if (magic[0] != 0 || magic[1] != 0)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path,
                            "wrong magic number 0x%08x: not an IDX file (expected "
                            "0x00000803 for images or 0x00000801 for labels)",
                            read_be32 (magic));
      return FALSE;
    }
  if (magic[2] != IDX_TYPE_UBYTE)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path,
                            "unsupported element type 0x%02x in the magic number "
                            "(only 0x08, unsigned byte, is supported)",
                            magic[2]);
      return FALSE;
    }
  if (want_dims != 0 && magic[3] != want_dims)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path,
                            "wrong dimension count %u, expected %u (%s)", magic[3], want_dims,
                            want_dims == 3 ? "images: count, rows, columns" : "labels: count");
      return FALSE;
    }
  if (magic[3] < 1 || magic[3] > 3)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path,
                            "unsupported dimension count %u (expected 1 to 3)", magic[3]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
idx_read_header (IdxFile *r, guint want_dims, guint *n_dims, guint dims[3], guint64 *n_bytes, GError **error)
{
  guint8 hdr[4 + 4 * 3];
  gsize  got;

  if (!reader_read (r, hdr, 4, &got, error))
    return FALSE;
  if (got < 4)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, r->path,
                            "truncated header: %" G_GSIZE_FORMAT " bytes, an IDX header "
                            "needs at least 4",
                            got);
      return FALSE;
    }
  if (!idx_check_magic (r->path, hdr, want_dims, error))
    return FALSE;

  *n_dims = hdr[3];
  gsize dims_len = 4 * (gsize) *n_dims;
  if (!reader_read (r, hdr + 4, dims_len, &got, error))
    return FALSE;
  if (got < dims_len)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, r->path,
                            "truncated header: %" G_GSIZE_FORMAT " bytes, a %u-dimension "
                            "IDX header needs %" G_GSIZE_FORMAT,
                            4 + got, *n_dims, 4 + dims_len);
      return FALSE;
    }

  /* Each dimension is 32 bits: three of them can overflow 64. */
  guint64 product = 1;
  dims[0] = dims[1] = dims[2] = 1;
  for (guint i = 0; i < *n_dims; i++)
    {
      dims[i] = read_be32 (hdr + 4 + 4 * i);
      if (!g_uint64_checked_mul (&product, product, dims[i]))
        {
          gs_dataset_set_error (error, GS_DATASET_ERROR_TOO_LARGE, r->path,
                                "header dimensions overflow (%u x %u x %u bytes)", dims[0], dims[1],
                                read_be32 (hdr + 4 + 4 * 2));
          return FALSE;
        }
    }
  *n_bytes = product;
  return TRUE;
}

/* Refuses what we will not allocate, then the shapes the network cannot use. */
static gboolean
idx_check_header (
    const char *path, guint want_dims, guint n_dims, const guint dims[3], guint64 n_bytes, GError **error)
{
  if (dims[0] > GS_DATASET_MAX_IMAGES)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_TOO_LARGE, path,
                            "header claims %u items, more than the limit of %u", dims[0],
                            GS_DATASET_MAX_IMAGES);
      return FALSE;
    }
  if (n_bytes > IDX_MAX_BYTES || n_bytes > G_MAXSIZE)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_TOO_LARGE, path,
                            "header claims %" G_GUINT64_FORMAT " bytes of data, more "
                            "than the limit of %" G_GUINT64_FORMAT,
                            n_bytes, (guint64) IDX_MAX_BYTES);
      return FALSE;
    }
  if (want_dims == 3 && (dims[1] != GS_IMAGE_ROWS || dims[2] != GS_IMAGE_COLS))
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path,
                            "images are %ux%u pixels, but only 28x28 images are "
                            "supported (the network input is 784 values)",
                            dims[1], dims[2]);
      return FALSE;
    }
  return TRUE;
}

static void
set_truncated (
    GError **error, const char *path, guint n_dims, const guint dims[3], guint64 n_bytes, const char *have)
{
  g_autofree char *what = describe_dims (n_dims, dims);

  gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path,
                        "truncated data: header says %s (%" G_GUINT64_FORMAT " bytes), "
                        "%s",
                        what, n_bytes, have);
}

static void
set_trailing (GError **error, const char *path, guint n_dims, const guint dims[3], guint64 extra)
{
  g_autofree char *what = describe_dims (n_dims, dims);

  gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path,
                        "trailing data: %" G_GUINT64_FORMAT " bytes after the %s the "
                        "header describes",
                        extra, what);
}

/* --- Reading one IDX file ------------------------------------------------ */

/* Room for the payload: refused, not aborted on, when it is more than this
 * process may have (gs_trainer_memory_available ()) or malloc says no. */
static guint8 *
payload_alloc (const char *path, guint64 n_bytes, GError **error)
{
  guint8 *p = NULL;

  if (n_bytes <= gs_trainer_memory_available ())
    p = gs_dataset_images_try_alloc (MAX (n_bytes, 1));
  if (p == NULL)
    gs_dataset_set_error (error, GS_DATASET_ERROR_TOO_LARGE, path,
                          "cannot allocate %" G_GUINT64_FORMAT " bytes for the data (%.1f GB; this process "
                          "may have %.1f GB)",
                          n_bytes, n_bytes / 1e9, gs_trainer_memory_available () / 1e9);
  return p;
}

/* A raw file: the header was checked from its first bytes; the size the
 * header promises is checked against the file's before anything is read,
 * and the payload read straight into the buffer training uses. */
static guint8 *
idx_read_raw (IdxFile *r, int fd, guint n_dims, const guint dims[3], guint64 n_bytes, GError **error)
{
  gsize   offset = gs_gzip_reader_offset (r->gz), got;
  gsize   have = r->len - offset;
  GError *local = NULL;

  if (have < n_bytes)
    {
      g_autofree char *msg
          = g_strdup_printf ("but the file has %" G_GSIZE_FORMAT " bytes after the header", have);
      set_truncated (error, r->path, n_dims, dims, n_bytes, msg);
      return NULL;
    }
  if (have > n_bytes)
    {
      set_trailing (error, r->path, n_dims, dims, have - n_bytes);
      return NULL;
    }
  g_autofree guint8 *payload = payload_alloc (r->path, n_bytes, error);
  if (payload == NULL)
    return NULL;
  if (lseek (fd, (off_t) offset, SEEK_SET) < 0)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_READ, r->path, "cannot read the file: %s",
                            g_strerror (errno));
      return NULL;
    }
  if (!gs_gzip_read_fd (fd, r->path, payload, n_bytes, &got, &local))
    {
      gzip_failed (error, local);
      return NULL;
    }
  if (got < n_bytes)
    {
      set_truncated (error, r->path, n_dims, dims, n_bytes, "but the file shrank while it was read");
      return NULL;
    }
  return g_steal_pointer (&payload);
}

static guint8 *
idx_inflate_payload (IdxFile *r, guint n_dims, const guint dims[3], guint64 n_bytes, GError **error)
{
  if (n_bytes / GS_GZIP_MAX_RATIO > r->len)
    {
      g_autofree char *msg = g_strdup_printf ("but %" G_GSIZE_FORMAT " bytes "
                                              "of gzip data cannot hold that "
                                              "much",
                                              r->len);
      set_truncated (error, r->path, n_dims, dims, n_bytes, msg);
      return NULL;
    }

  g_autofree guint8 *payload = payload_alloc (r->path, n_bytes, error);
  if (payload == NULL)
    return NULL;

  gsize   got;
  guint64 extra;
  GError *local = NULL;
  if (!reader_read (r, payload, n_bytes, &got, error))
    return NULL;
  if (got < n_bytes)
    {
      g_autofree char *msg = g_strdup_printf ("but the gzip data holds %" G_GSIZE_FORMAT " bytes after "
                                              "the header",
                                              got);
      set_truncated (error, r->path, n_dims, dims, n_bytes, msg);
      return NULL;
    }
  if (!gs_gzip_reader_drain (r->gz, &extra, &local))
    {
      gzip_failed (error, local);
      return NULL;
    }
  if (extra > 0)
    {
      set_trailing (error, r->path, n_dims, dims, extra);
      return NULL;
    }
  return g_steal_pointer (&payload);
}

/* The bytes the reader works on: the whole file when it is gzipped (it is
 * small: IDX data compresses), else only the first bytes, the header. */
static guint8 *
read_start (const char *path, int fd, gsize size, gsize *len, GError **error)
{
  const gsize header_max = 4 + 4 * 3;
  guint8     *buf = g_malloc (header_max);
  GError     *local = NULL;

  if (!gs_gzip_read_fd (fd, path, buf, MIN (size, header_max), len, &local))
    {
      g_free (buf);
      gzip_failed (error, local);
      return NULL;
    }
  if (*len < 2 || buf[0] != 0x1f || buf[1] != 0x8b)
    return buf;
  if ((buf = g_try_realloc (buf, size)) == NULL)
    {
      gs_dataset_set_error (error, GS_DATASET_ERROR_TOO_LARGE, path,
                            "cannot allocate %" G_GSIZE_FORMAT " bytes to read it", size);
      return NULL;
    }
  gsize more = 0;
  if (!gs_gzip_read_fd (fd, path, buf + *len, size - *len, &more, &local))
    {
      g_free (buf);
      gzip_failed (error, local);
      return NULL;
    }
  *len += more;
  return buf;
}

/* Opens path (a regular file, gs_gzip_open ()); -1 and an error if not. */
static int
open_idx (const char *path, guint64 *size, GError **error)
{
  GError *local = NULL;
  int     fd = gs_gzip_open (path, IDX_MAX_BYTES + 4096, size, &local);

  if (fd < 0)
    return gzip_failed (error, local), -1;
  if (*size > 0)
    return fd;
  close (fd);
  gs_dataset_set_error (error, GS_DATASET_ERROR_FORMAT, path, "empty file (0 bytes)");
  return -1;
}

guint8 *
gs_idx_read_checked (
    const char *path, guint want_dims, guint *n_dims, guint dims[3], gsize *n_bytes, GError **error)
{
  g_autofree guint8 *start = NULL;
  gsize              len;
  GError            *local = NULL;
  guint64            size = 0, file_size;
  guint8            *payload = NULL;
  int                fd = open_idx (path, &file_size, error);

  if (fd < 0)
    return NULL;
  if ((start = read_start (path, fd, file_size, &len, error)) == NULL)
    return close (fd), NULL;
  IdxFile r = { path, len, gs_gzip_reader_new (path, start, len, &local) };
  if (r.gz == NULL)
    {
      close (fd);
      gzip_failed (error, local);
      return NULL;
    }
  if (!gs_gzip_reader_is_gzip (r.gz))
    r.len = file_size; /* the reader holds the header only; the rest is read from fd */
  if (idx_read_header (&r, want_dims, n_dims, dims, &size, error)
      && idx_check_header (path, want_dims, *n_dims, dims, size, error))
    {
      if (gs_gzip_reader_is_gzip (r.gz))
        payload = idx_inflate_payload (&r, *n_dims, dims, size, error);
      else
        payload = idx_read_raw (&r, fd, *n_dims, dims, size, error);
    }
  gs_gzip_reader_free (r.gz);
  close (fd);
  if (payload == NULL)
    return NULL;
  *n_bytes = size;
  return payload;
}

guint8 *
gs_idx_read (const char *path, guint *n_dims, guint dims[3], gsize *n_bytes, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (n_dims != NULL && dims != NULL && n_bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return gs_idx_read_checked (path, 0, n_dims, dims, n_bytes, error);
}
