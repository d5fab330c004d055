/* test-dataset.c: IDX loading in every layout, a table of bad inputs each
 * with its own error, the search order, the real Fashion-MNIST when it is
 * installed, and the built-in synthetic set.
 *
 * Fixtures are written at run time into a fresh temporary folder per test.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <zlib.h>

#include "gs-dataset.h"

#define N_TRAIN    30
#define N_TEST     10
#define IMG_BYTES  (28 * 28)
#define DEBIAN_DIR "/usr/share/datasets/fashion-mnist"

static const char *const names[4] = {
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
};

typedef struct
{
  char *root; /* a fresh temporary folder, removed afterwards */
} Fixture;

/* --- Writing fixtures ---------------------------------------------------- */

/* An IDX file: magic 0 0 type n_dims, big-endian dims, then the payload. */
static GByteArray *
idx_new (guint8 type, guint n_dims, const guint32 *dims, const guint8 *payload, gsize len)
{
  GByteArray  *b = g_byte_array_new ();
  const guint8 magic[4] = { 0, 0, type, (guint8) n_dims };

  g_byte_array_append (b, magic, 4);
  for (guint i = 0; i < n_dims; i++)
    {
      guint32 be = GUINT32_TO_BE (dims[i]);
      g_byte_array_append (b, (const guint8 *) &be, 4);
    }
  if (len > 0)
    g_byte_array_append (b, payload, len);
  return b;
}

/* Image i has pixel p = (7 i + p) mod 256: every image differs. */
static guint8 *
images_new (guint n)
{
  guint8 *img = g_malloc ((gsize) n * IMG_BYTES);

  for (gsize i = 0; i < (gsize) n * IMG_BYTES; i++)
    img[i] = (guint8) ((i / IMG_BYTES) * 7 + i % IMG_BYTES);
  return img;
}

static guint8 *
labels_new (guint n)
{
  guint8 *lab = g_malloc (n);

  for (guint i = 0; i < n; i++)
    lab[i] = i % 10;
  return lab;
}

static GByteArray *
images_idx (guint n, guint rows, guint cols)
{
  const guint32      dims[3] = { n, rows, cols };
  gsize              len = (gsize) n * rows * cols;
  g_autofree guint8 *px = g_malloc0 (MAX (len, 1));

  if (rows == 28 && cols == 28)
    {
      g_free (px);
      px = images_new (n);
    }
  return idx_new (0x08, 3, dims, px, len);
}

static GByteArray *
labels_idx (guint n)
{
  const guint32      dims[1] = { n };
  g_autofree guint8 *lab = labels_new (n);

  return idx_new (0x08, 1, dims, lab, n);
}

/* gzip bytes in memory, through zlib's gz* file API and back. */
static GByteArray *
gzip_bytes (const guint8 *data, gsize len)
{
  g_autofree char *tmp = NULL;
  int              fd = g_file_open_tmp ("gs-gz-XXXXXX", &tmp, NULL);
  g_assert_cmpint (fd, >=, 0);
  g_close (fd, NULL);

  gzFile gz = gzopen (tmp, "wb");
  g_assert_nonnull (gz);
  if (len > 0)
    g_assert_cmpint (gzwrite (gz, data, (unsigned) len), ==, (int) len);
  g_assert_cmpint (gzclose (gz), ==, Z_OK);

  char *out;
  gsize out_len;
  g_assert_true (g_file_get_contents (tmp, &out, &out_len, NULL));
  g_unlink (tmp);
  return g_byte_array_new_take ((guint8 *) out, out_len);
}

/* Writes dir/name (raw) or dir/name.gz (gz), removing the other variant so
 * the loader sees exactly this one. */
static char *
put_file (const char *dir, const char *name, const guint8 *data, gsize len, gboolean gz)
{
  g_autofree char *plain = g_build_filename (dir, name, NULL);
  g_autofree char *gzp = g_strconcat (plain, ".gz", NULL);

  g_unlink (gz ? plain : gzp);
  if (gz)
    {
      g_autoptr (GByteArray) z = gzip_bytes (data, len);
      g_assert_true (g_file_set_contents (gzp, (const char *) z->data, z->len, NULL));
      return g_steal_pointer (&gzp);
    }
  g_assert_true (g_file_set_contents (plain, (const char *) data, len, NULL));
  return g_steal_pointer (&plain);
}

static void
put_idx (const char *dir, const char *name, GByteArray *idx, gboolean gz)
{
  g_autofree char *path = put_file (dir, name, idx->data, idx->len, gz);
  g_byte_array_unref (idx);
}

/* A valid set of N_TRAIN + N_TEST images. */
static void
write_set (const char *dir, gboolean gz)
{
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  put_idx (dir, names[0], images_idx (N_TRAIN, 28, 28), gz);
  put_idx (dir, names[1], labels_idx (N_TRAIN), gz);
  put_idx (dir, names[2], images_idx (N_TEST, 28, 28), gz);
  put_idx (dir, names[3], labels_idx (N_TEST), gz);
}

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      GDir       *d = g_dir_open (path, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      if (d != NULL)
        g_dir_close (d);
      g_rmdir (path);
      return;
    }
  g_chmod (path, 0644);
  g_unlink (path);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  GError *error = NULL;

  f->root = g_dir_make_tmp ("gs-dataset-XXXXXX", &error);
  g_assert_no_error (error);
  g_unsetenv ("GRADSCOPE_DATA");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *xdg = g_build_filename (g_get_user_data_dir (), "gradscope", NULL);

  rm_rf (f->root);
  g_free (f->root);
  rm_rf (xdg);
}

/* --- Loading valid sets -------------------------------------------------- */

static void
assert_valid_set (const GsDataset *ds)
{
  g_autofree guint8 *train = images_new (N_TRAIN);
  g_autofree guint8 *test = images_new (N_TEST);
  g_autofree guint8 *train_lab = labels_new (N_TRAIN);
  g_autofree guint8 *test_lab = labels_new (N_TEST);

  g_assert_nonnull (ds);
  g_assert_false (ds->builtin);
  g_assert_cmpuint (ds->rows, ==, 28);
  g_assert_cmpuint (ds->cols, ==, 28);
  g_assert_cmpuint (ds->n_classes, ==, 10);
  g_assert_cmpuint (ds->train.n, ==, N_TRAIN);
  g_assert_cmpuint (ds->test.n, ==, N_TEST);
  g_assert_cmpmem (ds->train.images, N_TRAIN * IMG_BYTES, train, N_TRAIN * IMG_BYTES);
  g_assert_cmpmem (ds->test.images, N_TEST * IMG_BYTES, test, N_TEST * IMG_BYTES);
  g_assert_cmpmem (ds->train.labels, N_TRAIN, train_lab, N_TRAIN);
  g_assert_cmpmem (ds->test.labels, N_TEST, test_lab, N_TEST);
}

static void
test_load_raw (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  write_set (f->root, FALSE);
  g_autoptr (GsDataset) ds = gs_dataset_load_dir (f->root, &error);
  g_assert_no_error (error);
  assert_valid_set (ds);
  g_assert_cmpstr (ds->source, ==, f->root);
  g_assert_cmpstr (ds->name, ==, "IDX data set");
}

static void
test_load_gzip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  write_set (f->root, TRUE);
  g_autoptr (GsDataset) ds = gs_dataset_load_dir (f->root, &error);
  g_assert_no_error (error);
  assert_valid_set (ds);
}

static void
test_load_mixed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  write_set (f->root, FALSE);
  put_idx (f->root, names[0], images_idx (N_TRAIN, 28, 28), TRUE);
  put_idx (f->root, names[3], labels_idx (N_TEST), TRUE);
  g_autoptr (GsDataset) ds = gs_dataset_load_dir (f->root, &error);
  g_assert_no_error (error);
  assert_valid_set (ds);
}

/* torchvision keeps root/FashionMNIST/raw; accept root, root/FashionMNIST
 * and the raw folder itself. */
static void
test_load_torchvision (Fixture *f, gconstpointer data)
{
  g_autofree char  *mid = g_build_filename (f->root, "FashionMNIST", NULL);
  g_autofree char  *raw = g_build_filename (mid, "raw", NULL);
  const char *const dirs[] = { f->root, mid, raw };

  write_set (raw, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GsDataset) ds = gs_dataset_load_dir (dirs[i], &error);

      g_assert_no_error (error);
      assert_valid_set (ds);
      g_assert_cmpstr (ds->source, ==, raw);
      g_assert_cmpstr (ds->name, ==, "Fashion-MNIST");
    }
}

/* torchvision leaves both the .gz and the extracted file: the plain one is
 * read (no inflating), so a bad .gz next to it does not matter. */
static void
test_load_prefers_plain (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *gz = g_build_filename (f->root, "train-images-idx3-ubyte.gz", NULL);

  write_set (f->root, FALSE);
  g_assert_true (g_file_set_contents (gz, "\x1f\x8bjunk", 6, NULL));
  g_autoptr (GsDataset) ds = gs_dataset_load_dir (f->root, &error);
  g_assert_no_error (error);
  assert_valid_set (ds);
}

/* gs_idx_read takes any 1..3-dimension ubyte file; gzip is told by content,
 * and a gzip file may hold several members. */
static void
test_idx_read (Fixture *f, gconstpointer data)
{
  const guint8  payload[6] = { 1, 2, 3, 4, 5, 6 };
  const guint32 dims[2] = { 3, 2 };
  g_autoptr (GByteArray) idx = idx_new (0x08, 2, dims, payload, 6);
  g_autoptr (GByteArray) a = gzip_bytes (idx->data, 9);
  g_autoptr (GByteArray) b = gzip_bytes (idx->data + 9, idx->len - 9);
  g_autofree char *raw_named_gz = g_build_filename (f->root, "x.gz", NULL);
  g_autofree char *gz_named_raw = g_build_filename (f->root, "y", NULL);
  g_autofree char *two_members = g_build_filename (f->root, "z", NULL);
  g_autoptr (GByteArray) gz = gzip_bytes (idx->data, idx->len);
  g_autoptr (GByteArray) both = g_byte_array_new ();

  g_byte_array_append (both, a->data, a->len);
  g_byte_array_append (both, b->data, b->len);
  g_assert_true (g_file_set_contents (raw_named_gz, (char *) idx->data, idx->len, NULL));
  g_assert_true (g_file_set_contents (gz_named_raw, (char *) gz->data, gz->len, NULL));
  g_assert_true (g_file_set_contents (two_members, (char *) both->data, both->len, NULL));

  const char *const paths[] = { raw_named_gz, gz_named_raw, two_members };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (GError) error = NULL;
      guint              n_dims = 0, got_dims[3] = { 9, 9, 9 };
      gsize              n_bytes = 0;
      g_autofree guint8 *bytes = gs_idx_read (paths[i], &n_dims, got_dims, &n_bytes, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (n_dims, ==, 2);
      g_assert_cmpuint (got_dims[0], ==, 3);
      g_assert_cmpuint (got_dims[1], ==, 2);
      g_assert_cmpmem (bytes, n_bytes, payload, sizeof payload);
    }
}

/* --- Bad inputs ---------------------------------------------------------- */

typedef struct
{
  const char *name;
  void (*make) (const char *dir); /* breaks a valid set */
  const char    *load;            /* folder to load, relative to the root */
  GsDatasetError code;
  const char    *file;   /* the message names this file */
  const char    *phrase; /* and says this */
} BadCase;

static void
bad_images (const char *dir, GByteArray *idx, gboolean gz)
{
  put_idx (dir, names[0], idx, gz);
}

static void
bad_raw (const char *dir, const char *name, const void *data, gsize len, gboolean gz)
{
  g_autofree char *path = put_file (dir, name, data, len, gz);
}

static GByteArray *
append (GByteArray *b, const char *junk)
{
  return g_byte_array_append (b, (const guint8 *) junk, strlen (junk));
}

static void
make_missing_file (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, names[3], NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

static void
make_no_files (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
}

static void
make_plain_file (const char *dir)
{
  bad_raw (dir, "plain-file", "x", 1, FALSE);
}

static void
make_empty (const char *dir)
{
  bad_raw (dir, names[1], "", 0, FALSE);
}

static void
make_empty_gz (const char *dir)
{
  bad_raw (dir, names[1], "", 0, TRUE);
}

static void
make_short_magic (const char *dir)
{
  bad_raw (dir, names[0], "\0\0\x08", 3, FALSE);
}

static void
make_short_dims (const char *dir)
{
  bad_raw (dir, names[0], "\0\0\x08\x03\0\0\0\x1e\0\0", 10, FALSE);
}

static void
make_short_dims_gz (const char *dir)
{
  bad_raw (dir, names[0], "\0\0\x08\x03\0\0\0\x1e\0\0", 10, TRUE);
}

static GByteArray *
short_images (void)
{
  const guint32      dims[3] = { N_TRAIN, 28, 28 };
  g_autofree guint8 *px = images_new (N_TRAIN);

  return idx_new (0x08, 3, dims, px, 1000);
}

static void
make_short_data (const char *dir)
{
  bad_images (dir, short_images (), FALSE);
}

static void
make_short_data_gz (const char *dir)
{
  bad_images (dir, short_images (), TRUE);
}

/* Claims 9 million images but holds none: refused before allocating 7 GB. */
static GByteArray *
huge_claim (void)
{
  const guint32 dims[3] = { 9000000, 28, 28 };

  return idx_new (0x08, 3, dims, NULL, 0);
}

static void
make_huge_claim (const char *dir)
{
  bad_images (dir, huge_claim (), FALSE);
}

static void
make_huge_claim_gz (const char *dir)
{
  bad_images (dir, huge_claim (), TRUE);
}

static void
make_trailing (const char *dir)
{
  bad_images (dir, append (images_idx (N_TRAIN, 28, 28), "extra"), FALSE);
}

static void
make_trailing_gz (const char *dir)
{
  bad_images (dir, append (images_idx (N_TRAIN, 28, 28), "extra"), TRUE);
}

static void
make_bad_magic (const char *dir)
{
  bad_raw (dir, names[0], "PK\x03\x04 this is a zip file", 24, FALSE);
}

static void
make_bad_type (const char *dir)
{
  const guint32      dims[1] = { N_TRAIN };
  g_autofree guint8 *lab = labels_new (N_TRAIN);

  /* 0x0d: 32-bit floats, valid IDX but not something we read */
  put_idx (dir, names[1], idx_new (0x0d, 1, dims, lab, N_TRAIN), FALSE);
}

static void
make_images_2d (const char *dir)
{
  const guint32      dims[2] = { N_TRAIN, IMG_BYTES };
  g_autofree guint8 *px = images_new (N_TRAIN);

  bad_images (dir, idx_new (0x08, 2, dims, px, N_TRAIN * IMG_BYTES), FALSE);
}

static void
make_labels_3d (const char *dir)
{
  const guint32      dims[3] = { N_TEST, 1, 1 };
  g_autofree guint8 *lab = labels_new (N_TEST);

  put_idx (dir, names[3], idx_new (0x08, 3, dims, lab, N_TEST), TRUE);
}

static void
make_32x32 (const char *dir)
{
  bad_images (dir, images_idx (N_TRAIN, 32, 32), FALSE);
}

static void
make_count_mismatch (const char *dir)
{
  put_idx (dir, names[1], labels_idx (N_TRAIN - 1), FALSE);
}

static void
make_label_10 (const char *dir)
{
  g_autoptr (GByteArray) idx = labels_idx (N_TEST);

  idx->data[8 + 7] = 10;
  bad_raw (dir, names[3], idx->data, idx->len, TRUE);
}

static void
make_no_images (const char *dir)
{
  put_idx (dir, names[2], images_idx (0, 28, 28), FALSE);
  put_idx (dir, names[3], labels_idx (0), FALSE);
}

static GByteArray *
gz_images (void)
{
  g_autoptr (GByteArray) idx = images_idx (N_TRAIN, 28, 28);

  return gzip_bytes (idx->data, idx->len);
}

static void
put_gz_images (const char *dir, GByteArray *gz)
{
  g_autofree char *plain = g_build_filename (dir, names[0], NULL);
  g_autofree char *path = g_strconcat (plain, ".gz", NULL);

  g_unlink (plain);
  g_assert_true (g_file_set_contents (path, (char *) gz->data, gz->len, NULL));
  g_byte_array_unref (gz);
}

static void
make_gz_bad_crc (const char *dir)
{
  GByteArray *gz = gz_images ();

  gz->data[gz->len - 8] ^= 0xff; /* the CRC-32 in the gzip trailer */
  put_gz_images (dir, gz);
}

static void
make_gz_bad_deflate (const char *dir)
{
  GByteArray *gz = gz_images ();

  gz->data[10] = 0xff; /* first deflate block header: invalid type 3 */
  put_gz_images (dir, gz);
}

static void
make_gz_cut (const char *dir)
{
  GByteArray *gz = gz_images ();

  g_byte_array_set_size (gz, gz->len / 2);
  put_gz_images (dir, gz);
}

static void
make_gz_garbage_after (const char *dir)
{
  put_gz_images (dir, append (gz_images (), "garbage"));
}

static void
make_too_many (const char *dir)
{
  const guint32 dims[3] = { GS_DATASET_MAX_IMAGES + 1, 28, 28 };

  bad_images (dir, idx_new (0x08, 3, dims, NULL, 0), FALSE);
}

static void
make_overflow (const char *dir)
{
  const guint32 dims[3] = { 0xffffffffu, 0xffffffffu, 0xffffffffu };

  bad_images (dir, idx_new (0x08, 3, dims, NULL, 0), FALSE);
}

static void
make_huge_images (const char *dir)
{
  const guint32 dims[3] = { 100, 65536, 65536 };

  bad_images (dir, idx_new (0x08, 3, dims, NULL, 0), TRUE);
}

/* A valid header on an 8 GB sparse file: refused without reading it. */
static void
make_huge_file (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, names[0], NULL);
  g_autoptr (GByteArray) idx = images_idx (N_TRAIN, 28, 28);
  int fd = g_open (path, O_WRONLY | O_TRUNC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, idx->data, 16), ==, 16);
  g_assert_cmpint (ftruncate (fd, G_GINT64_CONSTANT (8000000000)), ==, 0);
  g_close (fd, NULL);
}

static void
make_unreadable (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, names[2], NULL);
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
}

static void
make_folder_as_file (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, names[0], NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
}

static const BadCase bad_cases[] = {
  { "missing-folder", NULL, "no-such-folder", GS_DATASET_ERROR_NOT_FOUND, "no-such-folder",
    "folder not found" },
  { "not-a-folder", make_plain_file, "plain-file", GS_DATASET_ERROR_NOT_FOUND, "plain-file", "not a folder" },
  { "missing-file", make_missing_file, NULL, GS_DATASET_ERROR_NOT_FOUND, "t10k-labels-idx1-ubyte",
    "file not found" },
  { "no-files", make_no_files, NULL, GS_DATASET_ERROR_NOT_FOUND, "train-images-idx3-ubyte",
    "file not found" },
  { "empty-file", make_empty, NULL, GS_DATASET_ERROR_FORMAT, "train-labels-idx1-ubyte", "empty file" },
  { "empty-gzip-content", make_empty_gz, NULL, GS_DATASET_ERROR_FORMAT, "train-labels-idx1-ubyte.gz",
    "truncated header" },
  { "short-magic", make_short_magic, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte",
    "truncated header" },
  { "short-dims", make_short_dims, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte",
    "truncated header" },
  { "short-dims-gz", make_short_dims_gz, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte.gz",
    "truncated header" },
  { "short-data", make_short_data, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte",
    "truncated data: header says 30 images of 28x28 (23520 bytes)" },
  { "short-data-gz", make_short_data_gz, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte.gz",
    "holds 1000 bytes" },
  { "huge-claim", make_huge_claim, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte",
    "truncated data" },
  { "huge-claim-gz", make_huge_claim_gz, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte.gz",
    "cannot hold" },
  { "trailing", make_trailing, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte",
    "trailing data: 5 bytes" },
  { "trailing-gz", make_trailing_gz, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte.gz",
    "trailing data: 5 bytes" },
  { "bad-magic", make_bad_magic, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte", "magic" },
  { "bad-type", make_bad_type, NULL, GS_DATASET_ERROR_FORMAT, "train-labels-idx1-ubyte",
    "element type 0x0d" },
  { "images-2d", make_images_2d, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte",
    "dimension count 2, expected 3" },
  { "labels-3d", make_labels_3d, NULL, GS_DATASET_ERROR_FORMAT, "t10k-labels-idx1-ubyte.gz",
    "dimension count 3, expected 1" },
  { "not-28x28", make_32x32, NULL, GS_DATASET_ERROR_FORMAT, "train-images-idx3-ubyte", "32x32" },
  { "count-mismatch", make_count_mismatch, NULL, GS_DATASET_ERROR_MISMATCH, "train-labels-idx1-ubyte",
    "29 labels" },
  { "label-10", make_label_10, NULL, GS_DATASET_ERROR_FORMAT, "t10k-labels-idx1-ubyte.gz",
    "label 10 at index 7 is outside 0..9" },
  { "no-images", make_no_images, NULL, GS_DATASET_ERROR_FORMAT, "t10k-images-idx3-ubyte", "no images" },
  { "gz-bad-crc", make_gz_bad_crc, NULL, GS_DATASET_ERROR_GZIP, "train-images-idx3-ubyte.gz",
    "corrupt gzip" },
  { "gz-bad-deflate", make_gz_bad_deflate, NULL, GS_DATASET_ERROR_GZIP, "train-images-idx3-ubyte.gz",
    "corrupt gzip" },
  { "gz-cut", make_gz_cut, NULL, GS_DATASET_ERROR_GZIP, "train-images-idx3-ubyte.gz", "truncated gzip" },
  { "gz-garbage-after", make_gz_garbage_after, NULL, GS_DATASET_ERROR_GZIP, "train-images-idx3-ubyte.gz",
    "garbage" },
  { "too-many", make_too_many, NULL, GS_DATASET_ERROR_TOO_LARGE, "train-images-idx3-ubyte",
    "10000001 items" },
  { "dims-overflow", make_overflow, NULL, GS_DATASET_ERROR_TOO_LARGE, "train-images-idx3-ubyte", "overflow" },
  { "huge-images", make_huge_images, NULL, GS_DATASET_ERROR_TOO_LARGE, "train-images-idx3-ubyte.gz",
    "more than the limit" },
  { "huge-file", make_huge_file, NULL, GS_DATASET_ERROR_TOO_LARGE, "train-images-idx3-ubyte",
    "the file is 8000000000 bytes" },
  { "unreadable", make_unreadable, NULL, GS_DATASET_ERROR_READ, "t10k-images-idx3-ubyte",
    "permission denied" },
  { "folder-as-file", make_folder_as_file, NULL, GS_DATASET_ERROR_READ, "train-images-idx3-ubyte",
    "is a folder" },
};

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = c->load ? g_build_filename (f->root, c->load, NULL) : g_strdup (f->root);

  write_set (f->root, FALSE);
  if (c->make != NULL)
    c->make (f->root);

  if (c->make == make_unreadable)
    {
      g_autofree char *path = g_build_filename (f->root, names[2], NULL);
      if (g_access (path, R_OK) == 0)
        {
          g_test_skip ("running as root: chmod 000 leaves the file readable");
          return;
        }
    }

  g_autoptr (GsDataset) ds = gs_dataset_load_dir (dir, &error);
  g_assert_null (ds);
  g_assert_error (error, GS_DATASET_ERROR, (gint) c->code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, c->file) == NULL || strstr (error->message, c->phrase) == NULL)
    g_error ("message \"%s\" should name %s and say \"%s\"", error->message, c->file, c->phrase);
}

/* --- The search order ---------------------------------------------------- */

static char *
xdg_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "gradscope", "fashion-mnist", NULL);
}

static GsDataset *
find_in (const char *cwd, const char *user_dir, GError **error)
{
  g_autofree char *old = g_get_current_dir ();

  g_assert_cmpint (g_chdir (cwd), ==, 0);
  GsDataset *ds = gs_dataset_find (user_dir, error);
  g_assert_cmpint (g_chdir (old), ==, 0);
  return ds;
}

static void
test_find_user_dir (Fixture *f, gconstpointer data)
{
  g_autofree char *env = g_build_filename (f->root, "env", NULL);
  g_autofree char *empty = g_build_filename (f->root, "empty", NULL);
  g_autoptr (GError) error = NULL;

  write_set (env, FALSE);
  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  g_setenv ("GRADSCOPE_DATA", env, TRUE);

  g_autoptr (GsDataset) builtin = find_in (f->root, "builtin", &error);
  g_assert_no_error (error);
  g_assert_true (builtin->builtin);

  g_autoptr (GsDataset) chosen = find_in (f->root, env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chosen->source, ==, env);

  /* The user's folder fails: no fallback to $GRADSCOPE_DATA. */
  g_autoptr (GsDataset) none = find_in (f->root, empty, &error);
  g_assert_null (none);
  g_assert_error (error, GS_DATASET_ERROR, GS_DATASET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "train-images-idx3-ubyte"));
}

static void
test_find_env (Fixture *f, gconstpointer data)
{
  g_autofree char *env = g_build_filename (f->root, "env", NULL);
  g_autofree char *xdg = xdg_dir ();
  g_autoptr (GError) error = NULL;

  write_set (env, TRUE);
  write_set (xdg, FALSE);
  g_setenv ("GRADSCOPE_DATA", env, TRUE);
  g_autoptr (GsDataset) ds = find_in (f->root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ds->source, ==, env);

  /* Present but broken: reported, not skipped for the XDG folder. */
  make_label_10 (env);
  g_autoptr (GsDataset) broken = find_in (f->root, NULL, &error);
  g_assert_null (broken);
  g_assert_error (error, GS_DATASET_ERROR, GS_DATASET_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, env));
}

/* $GRADSCOPE_DATA is the user's choice: a missing folder, or one without
 * IDX files, is an error naming it, never a silent fallback. Unset, the
 * XDG folder is used, and reported when broken. */
static void
test_find_xdg (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->root, "missing", NULL);
  g_autofree char *xdg = xdg_dir ();
  g_autoptr (GError) error = NULL;

  write_set (xdg, TRUE);
  g_setenv ("GRADSCOPE_DATA", missing, TRUE);
  g_autoptr (GsDataset) none = find_in (f->root, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, GS_DATASET_ERROR, GS_DATASET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_setenv ("GRADSCOPE_DATA", f->root, TRUE); /* exists, holds no IDX files */
  g_autoptr (GsDataset) empty = find_in (f->root, NULL, &error);
  g_assert_null (empty);
  g_assert_error (error, GS_DATASET_ERROR, GS_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_unsetenv ("GRADSCOPE_DATA");
  g_autoptr (GsDataset) ds = find_in (f->root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ds->source, ==, xdg);
  g_assert_cmpstr (ds->name, ==, "Fashion-MNIST");

  make_count_mismatch (xdg);
  g_autoptr (GsDataset) broken = find_in (f->root, NULL, &error);
  g_assert_null (broken);
  g_assert_error (error, GS_DATASET_ERROR, GS_DATASET_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, xdg));
}

static void
test_find_cwd (Fixture *f, gconstpointer data)
{
  g_autofree char *raw = g_build_filename (f->root, "data", "FashionMNIST", "raw", NULL);
  g_autoptr (GError) error = NULL;

  write_set (raw, TRUE);
  g_autoptr (GsDataset) ds = find_in (f->root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ds->source, ==, "data/FashionMNIST/raw");
  g_assert_cmpuint (ds->train.n, ==, N_TRAIN);
}

/* Nothing configured: Debian's package when installed, else built-in. */
static void
test_find_fallback (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) ds = find_in (f->root, NULL, &error);

  g_assert_no_error (error);
  if (g_file_test (DEBIAN_DIR, G_FILE_TEST_IS_DIR))
    {
      g_assert_cmpstr (ds->source, ==, DEBIAN_DIR);
      g_assert_false (ds->builtin);
    }
  else
    {
      g_assert_true (ds->builtin);
      g_assert_cmpstr (ds->source, ==, "built-in");
    }
}

/* --- The real data set --------------------------------------------------- */

static void
count_labels (const GsSplit *split, guint counts[10])
{
  memset (counts, 0, 10 * sizeof counts[0]);
  for (guint i = 0; i < split->n; i++)
    {
      g_assert_cmpuint (split->labels[i], <, 10);
      counts[split->labels[i]]++;
    }
}

static void
test_real (void)
{
  g_autoptr (GError) error = NULL;
  guint counts[10];

  if (!g_file_test (DEBIAN_DIR, G_FILE_TEST_IS_DIR))
    {
      g_test_skip (DEBIAN_DIR " is not installed (dataset-fashion-mnist)");
      return;
    }

  gint64 start = g_get_monotonic_time ();
  g_autoptr (GsDataset) ds = gs_dataset_load_dir (DEBIAN_DIR, &error);
  gint64 end = g_get_monotonic_time ();
  g_assert_no_error (error);
  g_test_message ("loaded %s in %.3f s", DEBIAN_DIR, (end - start) / 1e6);

  g_assert_cmpstr (ds->name, ==, "Fashion-MNIST");
  g_assert_cmpuint (ds->train.n, ==, 60000);
  g_assert_cmpuint (ds->test.n, ==, 10000);
  count_labels (&ds->train, counts);
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, 6000);
  count_labels (&ds->test, counts);
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, 1000);

  /* Known facts of the published files: the first image of each split is
   * an ankle boot (9), and the mean training pixel is 72.94. */
  g_assert_cmpuint (ds->train.labels[0], ==, 9);
  g_assert_cmpuint (ds->test.labels[0], ==, 9);
  guint64 sum = 0;
  for (gsize i = 0; i < (gsize) ds->train.n * IMG_BYTES; i++)
    sum += ds->train.images[i];
  g_assert_cmpfloat_with_epsilon ((double) sum / (60000.0 * IMG_BYTES), 72.94, 0.01);
}

/* --- The built-in set ---------------------------------------------------- */

/* Nearest class mean on the test split: a linear-ish yardstick that says
 * the set is learnable (well above 10 %) but not trivial. */
static double
nearest_centroid_accuracy (const GsDataset *ds)
{
  g_autofree double *mean = g_new0 (double, 10 * IMG_BYTES);
  guint              counts[10];
  guint              correct = 0;

  count_labels (&ds->train, counts);
  for (guint i = 0; i < ds->train.n; i++)
    for (guint p = 0; p < IMG_BYTES; p++)
      mean[ds->train.labels[i] * IMG_BYTES + p]
          += ds->train.images[(gsize) i * IMG_BYTES + p] / (double) counts[ds->train.labels[i]];

  for (guint i = 0; i < ds->test.n; i++)
    {
      guint  best = 0;
      double best_d = G_MAXDOUBLE;
      for (guint c = 0; c < 10; c++)
        {
          double d = 0;
          for (guint p = 0; p < IMG_BYTES; p++)
            {
              double e = ds->test.images[(gsize) i * IMG_BYTES + p] - mean[c * IMG_BYTES + p];
              d += e * e;
            }
          if (d < best_d)
            best_d = d, best = c;
        }
      correct += best == ds->test.labels[i];
    }
  return correct / (double) ds->test.n;
}

static void
test_builtin (void)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GsDataset) a = gs_dataset_new_builtin ();
  gint64 end = g_get_monotonic_time ();
  g_autoptr (GsDataset) b = gs_dataset_new_builtin ();
  guint counts[10];

  g_test_message ("built-in set made in %.1f ms", (end - start) / 1e3);
  g_assert_true (a->builtin);
  g_assert_cmpstr (a->name, ==, "built-in synthetic");
  g_assert_cmpstr (a->source, ==, "built-in");
  g_assert_cmpuint (a->rows, ==, 28);
  g_assert_cmpuint (a->cols, ==, 28);
  g_assert_cmpuint (a->n_classes, ==, 10);
  g_assert_cmpuint (a->train.n, ==, 6000);
  g_assert_cmpuint (a->test.n, ==, 1000);

  g_assert_cmpmem (a->train.images, 6000 * IMG_BYTES, b->train.images, 6000 * IMG_BYTES);
  g_assert_cmpmem (a->train.labels, 6000, b->train.labels, 6000);
  g_assert_cmpmem (a->test.images, 1000 * IMG_BYTES, b->test.images, 1000 * IMG_BYTES);
  g_assert_cmpmem (a->test.labels, 1000, b->test.labels, 1000);
  /* The test split is not a copy of the training one. */
  g_assert_true (memcmp (a->train.images, a->test.images, 1000 * IMG_BYTES) != 0);

  count_labels (&a->train, counts);
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, 600);
  count_labels (&a->test, counts);
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, 100);

  double acc = nearest_centroid_accuracy (a);
  g_test_message ("nearest-centroid test accuracy %.3f", acc);
  g_assert_cmpfloat (acc, >, 0.4);
  g_assert_cmpfloat (acc, <, 0.95);
}

static void
test_hint (void)
{
  const char *hint = gs_dataset_install_hint ();

  g_assert_nonnull (strstr (hint, "dataset-fashion-mnist"));
  g_assert_nonnull (strstr (hint, "GRADSCOPE_DATA"));
  g_assert_null (strchr (hint, '\n'));
}

int
main (int argc, char **argv)
{
  /* A private $XDG_DATA_HOME, set before GLib first reads (and caches) it,
   * so the user's own data set never takes part. G_TEST_OPTION_ISOLATE_DIRS
   * would do this per test but leaks its strings in GLib 2.74 under LSan. */
  g_autoptr (GError) error = NULL;
  g_autofree char *data_home = g_dir_make_tmp ("gs-dataset-xdg-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_home);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/dataset/load/raw", test_load_raw);
  ADD ("/dataset/load/gzip", test_load_gzip);
  ADD ("/dataset/load/mixed", test_load_mixed);
  ADD ("/dataset/load/torchvision", test_load_torchvision);
  ADD ("/dataset/load/prefers-plain", test_load_prefers_plain);
  ADD ("/dataset/idx/read", test_idx_read);
  ADD ("/dataset/find/user-dir", test_find_user_dir);
  ADD ("/dataset/find/env", test_find_env);
  ADD ("/dataset/find/xdg", test_find_xdg);
  ADD ("/dataset/find/cwd", test_find_cwd);
  ADD ("/dataset/find/fallback", test_find_fallback);
#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dataset/bad/%s", bad_cases[i].name);
      g_test_add (path, Fixture, &bad_cases[i], fixture_setup, test_bad_input, fixture_teardown);
    }

  g_test_add_func ("/dataset/real", test_real);
  g_test_add_func ("/dataset/builtin", test_builtin);
  g_test_add_func ("/dataset/hint", test_hint);

  int status = g_test_run ();
  rm_rf (data_home);
  return status;
}
