/* gs-dataset.c: IDX data sets (raw or gzipped) and the built-in synthetic set.
 *
 * A file is read whole, its header checked, and its payload inflated in one
 * go into a buffer of the size the header implies. Every size is checked
 * before anything large is allocated, and every error names the file.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "gs-dataset.h"

#define IDX_TYPE_UBYTE 0x08
#define IMAGE_ROWS     28
#define IMAGE_COLS     28
#define N_CLASSES      10

/* The largest payload any IDX file may claim: the image limit at 28x28. */
#define IDX_MAX_BYTES ((guint64) GS_DATASET_MAX_IMAGES * IMAGE_ROWS * IMAGE_COLS)

/* Deflate cannot expand data by more than about 1032:1, so a gzip file of n
 * bytes cannot hold more than this; it lets us refuse a truncated file before
 * allocating what its header claims. */
#define GZIP_MAX_RATIO 1032u

#define BUILTIN_TRAIN 6000
#define BUILTIN_TEST  1000

G_DEFINE_QUARK (gs-dataset-error-quark, gs_dataset_error)

/* Memory for a split's images, which training reads a row at a time in
 * random order: on 2 MB pages where the kernel offers them, so that each
 * row is not also a TLB miss. Freed with g_free (). */
static guint8 *
images_alloc (gsize size)
{
  const gsize huge = (gsize) 2 << 20;
  void *p = NULL;

  if (size < huge || posix_memalign (&p, huge, size) != 0)
    return g_malloc (size);
#ifdef MADV_HUGEPAGE
  madvise (p, size, MADV_HUGEPAGE);
#endif
  return p;
}

static const char *const idx_names[4] = {
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
};

static void set_error (GError **error, GsDatasetError code, const char *path,
                       const char *format, ...) G_GNUC_PRINTF (4, 5);

/* Every message starts with the path, so the user knows which file to fix. */
static void
set_error (GError      **error,
           GsDatasetError code,
           const char   *path,
           const char   *format,
           ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, GS_DATASET_ERROR, code, "%s: %s", path, what);
}

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
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) |
         ((guint32) p[2] << 8) | (guint32) p[3];
}

/* --- Reading bytes from a raw or gzipped file held in memory ------------- */

typedef struct {
  const char *path;
  const guint8 *data;   /* the whole file, (len) */
  gsize len;
  gsize pos;            /* next byte of data not yet consumed */
  gboolean gz;
  gboolean z_ready;     /* zs was initialised and needs inflateEnd */
  gboolean z_done;      /* the last gzip member ended cleanly */
  z_stream zs;
} IdxReader;

static gboolean
reader_init (IdxReader    *r,
             const char   *path,
             const guint8 *data,
             gsize         len,
             GError      **error)
{
  memset (r, 0, sizeof *r);
  r->path = path;
  r->data = data;
  r->len = len;
  r->gz = len >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  if (!r->gz)
    return TRUE;

  /* 16 + MAX_WBITS: expect a gzip wrapper and check its CRC. */
  if (inflateInit2 (&r->zs, 16 + MAX_WBITS) != Z_OK)
    {
      set_error (error, GS_DATASET_ERROR_GZIP, path,
                 "cannot start the gzip decoder");
      return FALSE;
    }
  r->z_ready = TRUE;
  return TRUE;
}

static void
reader_clear (IdxReader *r)
{
  if (r->z_ready)
    inflateEnd (&r->zs);
  r->z_ready = FALSE;
}

static gsize
reader_input_left (const IdxReader *r)
{
  return r->zs.avail_in + (r->len - r->pos);
}

/* Hands zlib the next piece of the file once it has used the last one;
 * avail_in is a uInt, so files over 4 GB go in several pieces. */
static void
reader_feed (IdxReader *r)
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
reader_member_end (IdxReader *r,
                   GError   **error)
{
  if (reader_input_left (r) == 0)
    {
      r->z_done = TRUE;
      return TRUE;
    }
  reader_feed (r);
  if (r->zs.avail_in >= 2 && r->zs.next_in[0] == 0x1f && r->zs.next_in[1] == 0x8b &&
      inflateReset (&r->zs) == Z_OK)
    return TRUE;

  set_error (error, GS_DATASET_ERROR_GZIP, r->path,
             "corrupt gzip file: %" G_GSIZE_FORMAT " bytes of garbage after "
             "the compressed data", reader_input_left (r));
  return FALSE;
}

static gboolean
reader_inflate (IdxReader *r,
                guint8    *buf,
                gsize      want,
                gsize     *got,
                GError   **error)
{
  *got = 0;
  while (*got < want && !r->z_done)
    {
      reader_feed (r);
      r->zs.next_out = buf + *got;
      r->zs.avail_out = (uInt) MIN (want - *got, (gsize) G_MAXUINT);
      uInt before = r->zs.avail_out;

      int ret = inflate (&r->zs, Z_NO_FLUSH);
      *got += before - r->zs.avail_out;

      if (ret == Z_STREAM_END)
        {
          if (!reader_member_end (r, error))
            return FALSE;
        }
      else if (ret == Z_BUF_ERROR && reader_input_left (r) == 0)
        {
          set_error (error, GS_DATASET_ERROR_GZIP, r->path,
                     "corrupt gzip file: the compressed data ends early "
                     "(truncated gzip stream)");
          return FALSE;
        }
      else if (ret != Z_OK)
        {
          set_error (error, GS_DATASET_ERROR_GZIP, r->path,
                     "corrupt gzip data: %s",
                     r->zs.msg ? r->zs.msg : "inflate failed");
          return FALSE;
        }
    }
  return TRUE;
}

/* Copies up to want bytes to buf; *got < want only at the end of the data. */
static gboolean
reader_read (IdxReader *r,
             guint8    *buf,
             gsize      want,
             gsize     *got,
             GError   **error)
{
  if (r->gz)
    return reader_inflate (r, buf, want, got, error);

  *got = MIN (want, r->len - r->pos);
  memcpy (buf, r->data + r->pos, *got);
  r->pos += *got;
  return TRUE;
}

/* Reads to the end of the data, counting the bytes left over. */
static gboolean
reader_drain (IdxReader *r,
              guint64   *extra,
              GError   **error)
{
  *extra = 0;
  if (!r->gz)
    {
      *extra = r->len - r->pos;
      r->pos = r->len;
      return TRUE;
    }

  guint8 scratch[16384];
  gsize got;
  do
    {
      if (!reader_inflate (r, scratch, sizeof scratch, &got, error))
        return FALSE;
      *extra += got;
    }
  while (got == sizeof scratch);
  return TRUE;
}

/* --- The IDX header ------------------------------------------------------ */

/* The magic number is 0 0 type n_dims. want_dims: 0 for any, 3 for
 * images, 1 for labels. */
static gboolean
idx_check_magic (const char   *path,
                 const guint8  magic[4],
                 guint         want_dims,
                 GError      **error)
{
  if (magic[0] != 0 || magic[1] != 0)
    {
      set_error (error, GS_DATASET_ERROR_FORMAT, path,
                 "wrong magic number 0x%08x: not an IDX file (expected "
                 "0x00000803 for images or 0x00000801 for labels)",
                 read_be32 (magic));
      return FALSE;
    }
  if (magic[2] != IDX_TYPE_UBYTE)
    {
      set_error (error, GS_DATASET_ERROR_FORMAT, path,
                 "unsupported element type 0x%02x in the magic number "
                 "(only 0x08, unsigned byte, is supported)", magic[2]);
      return FALSE;
    }
  if (want_dims != 0 && magic[3] != want_dims)
    {
      set_error (error, GS_DATASET_ERROR_FORMAT, path,
                 "wrong dimension count %u, expected %u (%s)", magic[3],
                 want_dims, want_dims == 3 ? "images: count, rows, columns"
                                           : "labels: count");
      return FALSE;
    }
  if (magic[3] < 1 || magic[3] > 3)
    {
      set_error (error, GS_DATASET_ERROR_FORMAT, path,
                 "unsupported dimension count %u (expected 1 to 3)", magic[3]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
idx_read_header (IdxReader *r,
                 guint      want_dims,
                 guint     *n_dims,
                 guint      dims[3],
                 guint64   *n_bytes,
                 GError   **error)
{
  guint8 hdr[4 + 4 * 3];
  gsize got;

  if (!reader_read (r, hdr, 4, &got, error))
    return FALSE;
  if (got < 4)
    {
      set_error (error, GS_DATASET_ERROR_FORMAT, r->path,
                 "truncated header: %" G_GSIZE_FORMAT " bytes, an IDX header "
                 "needs at least 4", got);
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
      set_error (error, GS_DATASET_ERROR_FORMAT, r->path,
                 "truncated header: %" G_GSIZE_FORMAT " bytes, a %u-dimension "
                 "IDX header needs %" G_GSIZE_FORMAT, 4 + got, *n_dims,
                 4 + dims_len);
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
          set_error (error, GS_DATASET_ERROR_TOO_LARGE, r->path,
                     "header dimensions overflow (%u x %u x %u bytes)",
                     dims[0], dims[1], read_be32 (hdr + 4 + 4 * 2));
          return FALSE;
        }
    }
  *n_bytes = product;
  return TRUE;
}

/* Refuses what we will not allocate, then the shapes the network cannot use. */
static gboolean
idx_check_header (const char  *path,
                  guint        want_dims,
                  guint        n_dims,
                  const guint  dims[3],
                  guint64      n_bytes,
                  GError     **error)
{
  if (dims[0] > GS_DATASET_MAX_IMAGES)
    {
      set_error (error, GS_DATASET_ERROR_TOO_LARGE, path,
                 "header claims %u items, more than the limit of %u",
                 dims[0], GS_DATASET_MAX_IMAGES);
      return FALSE;
    }
  if (n_bytes > IDX_MAX_BYTES || n_bytes > G_MAXSIZE)
    {
      set_error (error, GS_DATASET_ERROR_TOO_LARGE, path,
                 "header claims %" G_GUINT64_FORMAT " bytes of data, more "
                 "than the limit of %" G_GUINT64_FORMAT, n_bytes,
                 (guint64) IDX_MAX_BYTES);
      return FALSE;
    }
  if (want_dims == 3 && (dims[1] != IMAGE_ROWS || dims[2] != IMAGE_COLS))
    {
      set_error (error, GS_DATASET_ERROR_FORMAT, path,
                 "images are %ux%u pixels, but only 28x28 images are "
                 "supported (the network input is 784 values)",
                 dims[1], dims[2]);
      return FALSE;
    }
  return TRUE;
}

static void
set_truncated (GError     **error,
               const char  *path,
               guint        n_dims,
               const guint  dims[3],
               guint64      n_bytes,
               const char  *have)
{
  g_autofree char *what = describe_dims (n_dims, dims);

  set_error (error, GS_DATASET_ERROR_FORMAT, path,
             "truncated data: header says %s (%" G_GUINT64_FORMAT " bytes), "
             "%s", what, n_bytes, have);
}

static void
set_trailing (GError     **error,
              const char  *path,
              guint        n_dims,
              const guint  dims[3],
              guint64      extra)
{
  g_autofree char *what = describe_dims (n_dims, dims);

  set_error (error, GS_DATASET_ERROR_FORMAT, path,
             "trailing data: %" G_GUINT64_FORMAT " bytes after the %s the "
             "header describes", extra, what);
}

/* --- Reading one IDX file ------------------------------------------------ */

static gboolean
read_whole_file (const char *path,
                 char      **contents,
                 gsize      *len,
                 GError    **error)
{
  g_autoptr(GError) local = NULL;
  GStatBuf st;

  /* A file bigger than any payload we accept is refused before it is read
   * into memory; the header checks come later. */
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) &&
      (guint64) st.st_size > IDX_MAX_BYTES + 4096)
    {
      set_error (error, GS_DATASET_ERROR_TOO_LARGE, path,
                 "the file is %" G_GUINT64_FORMAT " bytes, more than the "
                 "limit of %" G_GUINT64_FORMAT, (guint64) st.st_size,
                 (guint64) IDX_MAX_BYTES);
      return FALSE;
    }
  if (g_file_get_contents (path, contents, len, &local))
    {
      if (*len > 0)
        return TRUE;
      g_clear_pointer (contents, g_free);
      set_error (error, GS_DATASET_ERROR_FORMAT, path, "empty file (0 bytes)");
      return FALSE;
    }

  if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    set_error (error, GS_DATASET_ERROR_NOT_FOUND, path, "file not found");
  else if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_ACCES) ||
           g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_PERM))
    set_error (error, GS_DATASET_ERROR_READ, path,
               "cannot read the file: permission denied");
  else if (g_file_test (path, G_FILE_TEST_IS_DIR))
    set_error (error, GS_DATASET_ERROR_READ, path,
               "cannot read the file: it is a folder");
  else
    set_error (error, GS_DATASET_ERROR_READ, path, "cannot read the file (%s)",
               local->message);
  return FALSE;
}

/* A raw file's payload is moved to the front of the buffer it was read
 * into, so the 47 MB training images are never copied into a second one.
 * Takes *contents on success only. */
static guint8 *
idx_take_raw (IdxReader  *r,
              char      **contents,
              guint       n_dims,
              const guint dims[3],
              guint64     n_bytes,
              GError    **error)
{
  gsize have = r->len - r->pos;

  if (have < n_bytes)
    {
      g_autofree char *msg = g_strdup_printf ("but the file has %" G_GSIZE_FORMAT
                                              " bytes after the header", have);
      set_truncated (error, r->path, n_dims, dims, n_bytes, msg);
      return NULL;
    }
  if (have > n_bytes)
    {
      set_trailing (error, r->path, n_dims, dims, have - n_bytes);
      return NULL;
    }
  memmove (*contents, *contents + r->pos, have);
  return g_realloc (g_steal_pointer (contents), MAX (have, 1));
}

static guint8 *
idx_inflate_payload (IdxReader  *r,
                     guint       n_dims,
                     const guint dims[3],
                     guint64     n_bytes,
                     GError    **error)
{
  if (n_bytes / GZIP_MAX_RATIO > r->len)
    {
      g_autofree char *msg = g_strdup_printf ("but %" G_GSIZE_FORMAT " bytes "
                                              "of gzip data cannot hold that "
                                              "much", r->len);
      set_truncated (error, r->path, n_dims, dims, n_bytes, msg);
      return NULL;
    }

  g_autofree guint8 *payload = g_try_malloc (MAX (n_bytes, 1));
  if (payload == NULL)
    {
      set_error (error, GS_DATASET_ERROR_TOO_LARGE, r->path,
                 "cannot allocate %" G_GUINT64_FORMAT " bytes for the data",
                 n_bytes);
      return NULL;
    }

  gsize got;
  guint64 extra;
  if (!reader_read (r, payload, n_bytes, &got, error))
    return NULL;
  if (got < n_bytes)
    {
      g_autofree char *msg = g_strdup_printf ("but the gzip data holds %"
                                              G_GSIZE_FORMAT " bytes after "
                                              "the header", got);
      set_truncated (error, r->path, n_dims, dims, n_bytes, msg);
      return NULL;
    }
  if (!reader_drain (r, &extra, error))
    return NULL;
  if (extra > 0)
    {
      set_trailing (error, r->path, n_dims, dims, extra);
      return NULL;
    }
  return g_steal_pointer (&payload);
}

static guint8 *
idx_read_checked (const char *path,
                  guint       want_dims,
                  guint      *n_dims,
                  guint       dims[3],
                  gsize      *n_bytes,
                  GError    **error)
{
  char *contents = NULL;
  gsize len;
  IdxReader r;
  guint64 size = 0;
  guint8 *payload = NULL;

  if (!read_whole_file (path, &contents, &len, error))
    return NULL;
  if (!reader_init (&r, path, (const guint8 *) contents, len, error))
    {
      g_free (contents);
      return NULL;
    }

  if (idx_read_header (&r, want_dims, n_dims, dims, &size, error) &&
      idx_check_header (path, want_dims, *n_dims, dims, size, error))
    {
      if (r.gz)
        payload = idx_inflate_payload (&r, *n_dims, dims, size, error);
      else
        payload = idx_take_raw (&r, &contents, *n_dims, dims, size, error);
    }
  reader_clear (&r);
  g_free (contents);
  if (payload == NULL)
    return NULL;
  *n_bytes = size;
  return payload;
}

guint8 *
gs_idx_read (const char *path,
             guint      *n_dims,
             guint       dims[3],
             gsize      *n_bytes,
             GError    **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (n_dims != NULL && dims != NULL && n_bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return idx_read_checked (path, 0, n_dims, dims, n_bytes, error);
}

/* --- Loading a folder ---------------------------------------------------- */

/* The path of name or name.gz in dir (plain preferred: no inflating), or
 * NULL when neither is there. */
static char *
find_idx_file (const char *dir,
               const char *name)
{
  g_autofree char *plain = g_build_filename (dir, name, NULL);
  if (g_file_test (plain, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&plain);

  g_autofree char *gz = g_strconcat (plain, ".gz", NULL);
  if (g_file_test (gz, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&gz);
  return NULL;
}

static char *
require_idx_file (const char *dir,
                  const char *name,
                  GError    **error)
{
  char *path = find_idx_file (dir, name);

  if (path == NULL)
    {
      g_autofree char *plain = g_build_filename (dir, name, NULL);
      set_error (error, GS_DATASET_ERROR_NOT_FOUND, plain,
                 "file not found (neither %s nor %s.gz is in the folder)",
                 name, name);
    }
  return path;
}

static gboolean
dir_has_idx_files (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (idx_names); i++)
    {
      g_autofree char *path = find_idx_file (dir, idx_names[i]);
      if (path != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The folder that holds the files: dir itself (Debian, or a torchvision raw
 * folder given directly), dir/FashionMNIST/raw (torchvision root) or dir/raw
 * (torchvision's FashionMNIST folder). NULL when none has any. */
static char *
resolve_layout (const char *dir)
{
  static const char *const subdirs[] = { ".", "FashionMNIST/raw", "raw" };

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *candidate = i == 0 ? g_strdup (dir)
                                          : g_build_filename (dir, subdirs[i], NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_DIR) &&
          dir_has_idx_files (candidate))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

static gboolean
check_labels (const char   *path,
              const guint8 *labels,
              guint         n,
              GError      **error)
{
  for (guint i = 0; i < n; i++)
    if (labels[i] >= N_CLASSES)
      {
        set_error (error, GS_DATASET_ERROR_FORMAT, path,
                   "label %u at index %u is outside 0..9", labels[i], i);
        return FALSE;
      }
  return TRUE;
}

/* Loads one split's images and labels into split, all or nothing. */
static gboolean
load_split (const char *dir,
            const char *images_name,
            const char *labels_name,
            GsSplit    *split,
            GError    **error)
{
  guint n_dims, idims[3], ldims[3];
  gsize n_bytes;

  g_autofree char *images_path = require_idx_file (dir, images_name, error);
  if (images_path == NULL)
    return FALSE;
  g_autofree char *labels_path = require_idx_file (dir, labels_name, error);
  if (labels_path == NULL)
    return FALSE;

  g_autofree guint8 *images = idx_read_checked (images_path, 3, &n_dims, idims,
                                                &n_bytes, error);
  if (images == NULL)
    return FALSE;
  if (idims[0] == 0)
    {
      set_error (error, GS_DATASET_ERROR_FORMAT, images_path,
                 "the file holds no images");
      return FALSE;
    }
  g_autofree guint8 *labels = idx_read_checked (labels_path, 1, &n_dims, ldims,
                                                &n_bytes, error);
  if (labels == NULL)
    return FALSE;
  if (ldims[0] != idims[0])
    {
      set_error (error, GS_DATASET_ERROR_MISMATCH, labels_path,
                 "%u labels, but %s holds %u images", ldims[0], images_path,
                 idims[0]);
      return FALSE;
    }
  if (!check_labels (labels_path, labels, ldims[0], error))
    return FALSE;

  split->n = idims[0];
  split->images = images_alloc ((gsize) idims[0] * idims[1] * idims[2]);
  memcpy (split->images, images, (gsize) idims[0] * idims[1] * idims[2]);
  split->labels = g_steal_pointer (&labels);
  return TRUE;
}

static GsDataset *
dataset_new (const char *name,
             const char *source,
             gboolean    builtin)
{
  GsDataset *ds = g_new0 (GsDataset, 1);

  ds->name = g_strdup (name);
  ds->source = g_strdup (source);
  ds->builtin = builtin;
  ds->rows = IMAGE_ROWS;
  ds->cols = IMAGE_COLS;
  ds->n_classes = N_CLASSES;
  return ds;
}

GsDataset *
gs_dataset_load_dir (const char *dir,
                     GError    **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      set_error (error, GS_DATASET_ERROR_NOT_FOUND, dir,
                 g_file_test (dir, G_FILE_TEST_EXISTS)
                   ? "not a folder" : "folder not found");
      return NULL;
    }

  /* With no file anywhere, name the files missing from dir itself. */
  g_autofree char *folder = resolve_layout (dir);
  if (folder == NULL)
    folder = g_strdup (dir);

  g_autofree char *lower = g_ascii_strdown (folder, -1);
  g_autoptr(GsDataset) ds = dataset_new (strstr (lower, "fashion") != NULL
                                           ? "Fashion-MNIST" : "IDX data set",
                                         folder, FALSE);
  if (!load_split (folder, idx_names[0], idx_names[1], &ds->train, error) ||
      !load_split (folder, idx_names[2], idx_names[3], &ds->test, error))
    return NULL;
  return g_steal_pointer (&ds);
}

/* --- The built-in synthetic set ------------------------------------------ */

/* splitmix64: small, fast, and the same stream on every platform. */
static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* [0, 1) from the top 24 bits: exact in a float. */
static float
rand_unit (guint64 *state)
{
  return (float) (splitmix64 (state) >> 40) * (1.0f / 16777216.0f);
}

static float
rand_range (guint64 *state,
            float    lo,
            float    hi)
{
  return lo + (hi - lo) * rand_unit (state);
}

/* Distance from (x, y) to the segment (ax, ay)-(bx, by), in pixels. */
static float
seg_dist (float x, float y, float ax, float ay, float bx, float by)
{
  float dx = bx - ax, dy = by - ay;
  float t = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy);

  t = CLAMP (t, 0.0f, 1.0f);
  float ex = x - ax - t * dx, ey = y - ay - t * dy;
  return sqrtf (ex * ex + ey * ey);
}

#define FOR_POINTS(expr) for (guint i = 0; i < n; i++) \
  { float x = xs[i], y = ys[i]; d[i] = (expr); }

/* Distances from n points in shape coordinates (pixels, origin at the
 * shape's centre) to the stroke of class c. Pairs are deliberately close
 * (ring and square, bar and double bar, disk and ring) so the task is not
 * trivial. The switch is outside the loops so each loop is simple. */
static void
shape_dist (guint c, const float *xs, const float *ys, float *d, guint n)
{
  switch (c)
    {
    case 0: /* horizontal bar */
      FOR_POINTS (seg_dist (x, y, -8, 0, 8, 0));
      break;
    case 1: /* vertical bar */
      FOR_POINTS (seg_dist (x, y, 0, -8, 0, 8));
      break;
    case 2: /* diagonal, top left to bottom right */
      FOR_POINTS (seg_dist (x, y, -6, -6, 6, 6));
      break;
    case 3: /* diagonal, bottom left to top right */
      FOR_POINTS (seg_dist (x, y, -6, 6, 6, -6));
      break;
    case 4: /* ring */
      FOR_POINTS (fabsf (sqrtf (x * x + y * y) - 7));
      break;
    case 5: /* filled disk */
      FOR_POINTS (MAX (sqrtf (x * x + y * y) - 4.5f, 0.0f));
      break;
    case 6: /* plus */
      FOR_POINTS (MIN (seg_dist (x, y, -6, 0, 6, 0), seg_dist (x, y, 0, -6, 0, 6)));
      break;
    case 7: /* cross */
      FOR_POINTS (MIN (seg_dist (x, y, -5, -5, 5, 5), seg_dist (x, y, -5, 5, 5, -5)));
      break;
    case 8: /* square outline */
      FOR_POINTS (fabsf (MAX (fabsf (x), fabsf (y)) - 6));
      break;
    default: /* two horizontal bars */
      FOR_POINTS (MIN (seg_dist (x, y, -7, -3.5f, 7, -3.5f),
                       seg_dist (x, y, -7, 3.5f, 7, 3.5f)));
      break;
    }
}

#undef FOR_POINTS

/* A faint stray stroke from (x0, y0) by (dx, dy), drawn only over its
 * bounding box: the rest of the image cannot be reached. */
static void
draw_stray (float *v, float x0, float y0, float dx, float dy)
{
  int c0 = MAX ((int) floorf (MIN (x0, x0 + dx)) - 2, 0);
  int c1 = MIN ((int) ceilf (MAX (x0, x0 + dx)) + 2, IMAGE_COLS - 1);
  int r0 = MAX ((int) floorf (MIN (y0, y0 + dy)) - 2, 0);
  int r1 = MIN ((int) ceilf (MAX (y0, y0 + dy)) + 2, IMAGE_ROWS - 1);

  for (int row = r0; row <= r1; row++)
    for (int col = c0; col <= c1; col++)
      {
        float e = seg_dist (col, row, x0, y0, x0 + dx, y0 + dy);
        float *p = &v[row * IMAGE_COLS + col];
        *p = MAX (*p, CLAMP (1.2f - e, 0.0f, 1.0f) * 0.7f);
      }
}

/* One 28x28 image of class c: the shape jittered (shift, rotation, scale,
 * stroke width, contrast), sometimes a stray stroke, then noise. */
static void
draw_sample (guint8 *img, guint c, guint64 seed)
{
  guint64 s = seed;
  float tx = rand_range (&s, -3.5f, 3.5f), ty = rand_range (&s, -3.5f, 3.5f);
  float angle = rand_range (&s, -0.35f, 0.35f);
  float scale = rand_range (&s, 0.8f, 1.2f);
  float half_width = rand_range (&s, 0.7f, 1.8f);
  float contrast = rand_range (&s, 0.55f, 1.0f);
  float noise = rand_range (&s, 0.05f, 0.35f);
  float ca = cosf (angle) / scale, sa = sinf (angle) / scale;
  float xs[IMAGE_ROWS * IMAGE_COLS], ys[IMAGE_ROWS * IMAGE_COLS];
  float v[IMAGE_ROWS * IMAGE_COLS];

  /* Shape coordinates of each pixel centre: undo shift, rotation, scale. */
  for (guint row = 0; row < IMAGE_ROWS; row++)
    for (guint col = 0; col < IMAGE_COLS; col++)
      {
        float px = col - 13.5f - tx, py = row - 13.5f - ty;
        xs[row * IMAGE_COLS + col] = ca * px + sa * py;
        ys[row * IMAGE_COLS + col] = -sa * px + ca * py;
      }
  shape_dist (c, xs, ys, v, G_N_ELEMENTS (v));
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      float ink = half_width + 0.5f - v[i] * scale;
      v[i] = CLAMP (ink, 0.0f, 1.0f) * contrast;
    }

  if (rand_unit (&s) < 0.5f)
    {
      float x0 = rand_range (&s, 3, 24), y0 = rand_range (&s, 3, 24);
      draw_stray (v, x0, y0, rand_range (&s, -5, 5), rand_range (&s, -5, 5));
    }

  /* Four 16-bit noise draws per splitmix64 call, and an integer clamp (the
   * + 256.5 makes truncation round to nearest): a float clamp branches at
   * random on noise and doubled the time of the whole set (50 ms budget). */
  for (guint i = 0; i < G_N_ELEMENTS (v); i += 4)
    {
      guint64 r = splitmix64 (&s);
      for (guint k = 0; k < 4; k++, r >>= 16)
        {
          float u = (float) (r & 0xffff) * (1.0f / 65536.0f);
          int q = (int) ((v[i + k] + noise * (u - 0.3f)) * 255.0f + 256.5f) - 256;
          img[i + k] = (guint8) CLAMP (q, 0, 255);
        }
    }
}

static void
make_split (GsSplit *split, guint n, guint64 seed)
{
  guint64 s = seed;

  split->n = n;
  split->images = images_alloc ((gsize) n * IMAGE_ROWS * IMAGE_COLS);
  split->labels = g_malloc (n);
  /* Classes in turn, so any prefix or suffix (a validation split) is
   * balanced; the trainer shuffles. */
  for (guint i = 0; i < n; i++)
    {
      split->labels[i] = i % N_CLASSES;
      draw_sample (split->images + (gsize) i * IMAGE_ROWS * IMAGE_COLS,
                   split->labels[i], splitmix64 (&s));
    }
}

GsDataset *
gs_dataset_new_builtin (void)
{
  GsDataset *ds = dataset_new ("built-in synthetic", "built-in", TRUE);

  make_split (&ds->train, BUILTIN_TRAIN, 0x6772616473636f70ull);
  make_split (&ds->test, BUILTIN_TEST, 0x74657374696d6773ull);
  return ds;
}

/* --- Finding a data set -------------------------------------------------- */

const char *
gs_dataset_install_hint (void)
{
  return "Install Debian's dataset-fashion-mnist package "
         "(sudo apt install dataset-fashion-mnist) or point --data / "
         "$GRADSCOPE_DATA at a folder of IDX files.";
}

GsDataset *
gs_dataset_find (const char *user_dir,
                 GError    **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A folder the user chose (by option or by $GRADSCOPE_DATA) is never
   * replaced by another one: a wrong one is an error, not a fallback. */
  if (user_dir == NULL && g_getenv ("GRADSCOPE_DATA") && *g_getenv ("GRADSCOPE_DATA"))
    user_dir = g_getenv ("GRADSCOPE_DATA");
  if (user_dir != NULL)
    {
      if (g_strcmp0 (user_dir, "builtin") == 0)
        return gs_dataset_new_builtin ();
      return gs_dataset_load_dir (user_dir, error);
    }

  g_autofree char *xdg = g_build_filename (g_get_user_data_dir (), "gradscope",
                                           "fashion-mnist", NULL);
  const char *const candidates[] = {
    xdg,
    "data/FashionMNIST/raw",
    "/usr/share/datasets/fashion-mnist",
  };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *dir = candidates[i];

      /* A folder that is absent or holds none of the files is not a data
       * set someone meant to give us; one with bad files is. */
      if (dir == NULL || *dir == '\0' || !g_file_test (dir, G_FILE_TEST_IS_DIR))
        continue;
      g_autofree char *folder = resolve_layout (dir);
      if (folder == NULL)
        {
          g_debug ("%s: no IDX files, skipped", dir);
          continue;
        }
      return gs_dataset_load_dir (dir, error);
    }
  return gs_dataset_new_builtin ();
}

void
gs_dataset_free (GsDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->name);
  g_free (ds->source);
  g_free (ds->train.images);
  g_free (ds->train.labels);
  g_free (ds->test.images);
  g_free (ds->test.labels);
  g_free (ds);
}
