/* test-limits.c: hostile sizes are refused before anything large is
 * allocated, and a config too big for the machine says what it needs.
 *
 * The whole program runs under an allocation ceiling (ALLOC_CEILING): a
 * plain build lowers RLIMIT_AS, a sanitizer build caps single allocations
 * through ASAN_OPTIONS (tests/fuzz/meson.build). An allocation that breaks
 * it fails: g_malloc aborts, g_try_malloc returns NULL and the loaders then
 * say "cannot allocate", which these tests reject.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "gs-dataset.h"
#include "gs-runfile.h"
#include "gs-trainer.h"

/* Far below every huge claim tested here (7 GB and up). Saving and
 * reloading the long run takes about 1.5 GB in all; a gzip bomb may grow
 * its buffer to 1 GiB before it is refused at 512 MB (GByteArray doubles). */
#define ALLOC_CEILING ((guint64) 4 << 30)

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static void
write_file (const char *path, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, data, (gssize) len, &error));
  g_assert_no_error (error);
}

/* A file of `size` bytes that takes no space (a hole), made in a moment. */
static char *
sparse_file (const char *name, guint64 size)
{
  char *path = tmp_path (name);
  int   fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) size), ==, 0);
  g_assert_cmpint (pwrite (fd, "\0\0\x08\x03", 4, 0), ==, 4);
  close (fd);
  return path;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

/* An IDX header of 3 dimensions followed by `extra` zero bytes. */
static GByteArray *
idx_header (guint32 n, guint32 rows, guint32 cols, gsize extra)
{
  GByteArray *b = g_byte_array_sized_new (16 + extra);
  g_byte_array_set_size (b, 16 + extra);
  memset (b->data, 0, b->len);
  b->data[2] = 0x08, b->data[3] = 3;
  put_be32 (b->data + 4, n);
  put_be32 (b->data + 8, rows);
  put_be32 (b->data + 12, cols);
  return b;
}

static GBytes *
gzip_bytes (const guint8 *data, gsize len)
{
  z_stream zs = { 0 };
  uLong    bound;
  guint8  *out;

  g_assert_cmpint (deflateInit2 (&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  bound = deflateBound (&zs, len);
  out = g_malloc (bound);
  zs.next_in = (Bytef *) data, zs.avail_in = (uInt) len;
  zs.next_out = out, zs.avail_out = (uInt) bound;
  g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
  deflateEnd (&zs);
  return g_bytes_new_take (out, zs.total_out);
}

/* Reads path as IDX and expects an error with code and words in it. */
static void
expect_idx_error (const char *path, GsDatasetError code, const char *words)
{
  g_autoptr (GError) error = NULL;
  guint   n_dims, dims[3];
  gsize   n_bytes;
  guint8 *payload = gs_idx_read (path, &n_dims, dims, &n_bytes, &error);

  g_assert_null (payload);
  g_assert_error (error, GS_DATASET_ERROR, (int) code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_null (strstr (error->message, "cannot allocate"));
}

static void
test_idx_count_over_limit (void)
{
  g_autoptr (GByteArray) b = idx_header (4000000000u, 28, 28, 784);
  g_autofree char *path = tmp_path ("count-over-limit");

  write_file (path, b->data, b->len);
  expect_idx_error (path, GS_DATASET_ERROR_TOO_LARGE, "more than the limit");
}

static void
test_idx_dims_overflow (void)
{
  g_autoptr (GByteArray) b = idx_header (4000000u, 0xffffffffu, 0xffffffffu, 0);
  g_autofree char *path = tmp_path ("dims-overflow");

  write_file (path, b->data, b->len);
  expect_idx_error (path, GS_DATASET_ERROR_TOO_LARGE, "overflow");
}

/* 9 million images (7 GB) is under the count limit, but a raw file of 800
 * bytes cannot hold it: refused from the file size, nothing allocated. */
static void
test_idx_raw_claim (void)
{
  g_autoptr (GByteArray) b = idx_header (9000000u, 28, 28, 784);
  g_autofree char *path = tmp_path ("raw-claim");

  write_file (path, b->data, b->len);
  expect_idx_error (path, GS_DATASET_ERROR_FORMAT, "truncated data");
}

/* The same claim gzipped: no gzip stream of 100 bytes inflates to 7 GB. */
static void
test_idx_gzip_claim (void)
{
  g_autoptr (GByteArray) b = idx_header (9000000u, 28, 28, 784);
  g_autoptr (GBytes) gz = gzip_bytes (b->data, b->len);
  g_autofree char *path = tmp_path ("gzip-claim.gz");

  write_file (path, g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
  expect_idx_error (path, GS_DATASET_ERROR_FORMAT, "cannot hold that much");
}

/* A file larger than any payload we accept is refused unread. */
static void
test_idx_huge_file (void)
{
  g_autofree char *path = sparse_file ("huge-idx", (guint64) 9 << 30);

  expect_idx_error (path, GS_DATASET_ERROR_TOO_LARGE, "more than the limit");
}

/* Valid training labels and test files of 1 sample in dir. */
static void
write_small_set (const char *dir)
{
  static const guint8 labels[9] = { 0, 0, 8, 1, 0, 0, 0, 1, 3 };
  g_autoptr (GByteArray) images = idx_header (1, 28, 28, 784);
  g_autofree char *train_labels = g_build_filename (dir, "train-labels-idx1-ubyte", NULL);
  g_autofree char *test_labels = g_build_filename (dir, "t10k-labels-idx1-ubyte", NULL);
  g_autofree char *test_images = g_build_filename (dir, "t10k-images-idx3-ubyte", NULL);

  write_file (train_labels, labels, sizeof labels);
  write_file (test_labels, labels, sizeof labels);
  write_file (test_images, images->data, images->len);
}

/* A folder whose training images claim 9 million is refused as a whole. */
static void
test_idx_folder_claim (void)
{
  g_autoptr (GByteArray) b = idx_header (9000000u, 28, 28, 784);
  g_autofree char *dir = tmp_path ("folder");
  g_autofree char *path = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_file (path, b->data, b->len);
  write_small_set (dir);
  g_autoptr (GsDataset) ds = gs_dataset_load_dir (dir, &error);
  g_assert_null (ds);
  g_assert_error (error, GS_DATASET_ERROR, GS_DATASET_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "truncated data"));
}

static void
expect_runfile_error (const char *path, GsRunfileError code, const char *words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsRecord) rec = gs_runfile_load (path, &error);

  g_assert_null (rec);
  g_assert_error (error, GS_RUNFILE_ERROR, (int) code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_runfile_huge_file (void)
{
  g_autofree char *path = sparse_file ("huge-run.json", (guint64) 600 << 20);

  expect_runfile_error (path, GS_RUNFILE_ERROR_TOO_LARGE, "larger than any real run");
}

/* n bytes of spaces, gzipped piece by piece (the whole never in memory). */
static GBytes *
gzip_spaces (gsize n)
{
  static guint8 in[1 << 20], out[1 << 16];
  GByteArray   *gz = g_byte_array_new ();
  z_stream      zs = { 0 };
  int           ret;

  memset (in, ' ', sizeof in);
  g_assert_cmpint (deflateInit2 (&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  do
    {
      gsize piece = MIN (n, sizeof in);
      n -= piece;
      zs.next_in = in, zs.avail_in = (uInt) piece;
      do
        {
          zs.next_out = out, zs.avail_out = sizeof out;
          ret = deflate (&zs, n == 0 ? Z_FINISH : Z_NO_FLUSH);
          g_byte_array_append (gz, out, sizeof out - zs.avail_out);
        }
      while (zs.avail_out == 0);
    }
  while (n > 0);
  g_assert_cmpint (ret, ==, Z_STREAM_END);
  deflateEnd (&zs);
  return g_byte_array_free_to_bytes (gz);
}

/* 520 MB of spaces, gzipped to half a megabyte: refused at 512 MB. */
static void
test_runfile_gzip_bomb (void)
{
  g_autofree char *path = tmp_path ("bomb.json.gz");
  g_autoptr (GBytes) gz = gzip_spaces ((gsize) 520 << 20);

  write_file (path, g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
  expect_runfile_error (path, GS_RUNFILE_ERROR_TOO_LARGE, "larger than any real run");
}

/* The header claims the most columns and layers there can be, but the data
 * is three bytes: refused before the series are allocated. */
static void
test_runfile_claims (void)
{
  g_autofree char *path = tmp_path ("claims.json");
  const char      *json = "{\"format\":\"gradscope-run\",\"version\":1,"
                          "\"config\":{\"preset\":\"\",\"depth\":\"64\",\"width\":\"4096\"},"
                          "\"dataset\":\"x\",\"layers\":65,\"steps_per_epoch\":2147483647,"
                          "\"steps\":4294967295,\"columns\":8192,\"stride\":524288,"
                          "\"series\":\"AAAA\",\"last\":\"AAAA\",\"first_step\":\"AAAA\","
                          "\"first_epoch\":\"AAAA\",\"checkpoint_steps\":[],\"histograms\":\"\","
                          "\"epochs\":[],\"stages\":[]}";

  write_file (path, json, strlen (json));
  expect_runfile_error (path, GS_RUNFILE_ERROR_FORMAT, "expected");
}

/* A list of more checkpoints than any run keeps (2 layers: 64 bytes of
 * probes each in base64). */
static void
test_runfile_checkpoints (void)
{
  g_autofree char *path = tmp_path ("checkpoints.json");
  g_autoptr (GString) s = g_string_new (
      "{\"format\":\"gradscope-run\",\"version\":1,"
      "\"config\":{\"preset\":\"\",\"depth\":\"1\",\"width\":\"1\"},"
      "\"dataset\":\"x\",\"layers\":2,\"steps_per_epoch\":1,"
      "\"steps\":0,\"columns\":0,\"stride\":1,\"series\":\"\","
      "\"last\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\","
      "\"first_step\":"
      "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\","
      "\"first_epoch\":"
      "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\","
      "\"checkpoint_steps\":[1");

  for (int i = 0; i < 200000; i++)
    g_string_append (s, ",1");
  g_string_append (s, "],\"histograms\":\"\",\"epochs\":[],\"stages\":[]}");
  write_file (path, s->str, s->len);
  expect_runfile_error (path, GS_RUNFILE_ERROR_TOO_LARGE, "checkpoints");
}

/* Whatever a valid config records, its run file loads again. A long run
 * with many histogram checkpoints per epoch (hist-per-epoch 1000, epochs
 * 101: 101 000 offered) keeps a bounded number of them (the record halves
 * them as it does step columns), so the file loads. */
static void
test_runfile_long_run_reloads (void)
{
  GsConfig           config;
  g_autofree GsHist *hists = g_new0 (GsHist, 2 * GS_N_HIST_KINDS);
  g_autofree char   *path = tmp_path ("long-run.json.gz");
  g_autoptr (GError) error = NULL;

  gs_config_init_defaults (&config);
  g_assert_true (gs_config_set (&config, "depth", "1", NULL));
  g_assert_true (gs_config_set (&config, "epochs", "101", NULL));
  g_assert_true (gs_config_set (&config, "hist-per-epoch", "1000", NULL));
  g_assert_true (gs_config_validate (&config, NULL));
  g_autoptr (GsRecord) rec = gs_record_new (&config, 2, 1000, "test");
  for (guint step = 1; step <= 101000; step++)
    gs_record_add_checkpoint (rec, step, hists);
  gs_record_set_finished (rec, FALSE, 1.0);
  g_assert_true (gs_runfile_save (rec, path, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (gs_record_n_checkpoints (rec), <=, gs_record_max_checkpoints (2));
  g_autoptr (GsRecord) back = gs_runfile_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gs_record_n_checkpoints (back), ==, gs_record_n_checkpoints (rec));
}

/* The largest network the option table allows, at the largest batch: the
 * trainer refuses it before building it, and says how much it would need. */
static void
test_trainer_memory (void)
{
  g_autoptr (GsDataset) ds = gs_dataset_new_builtin ();
  g_autoptr (GError) error = NULL;
  GsConfig config;
  double   gb = 0;

  gs_config_init_defaults (&config);
  g_assert_true (gs_config_set (&config, "depth", "64", NULL));
  g_assert_true (gs_config_set (&config, "width", "4096", NULL));
  g_assert_true (gs_config_set (&config, "batch-size", "65536", NULL));
  g_assert_true (gs_config_validate (&config, NULL));
  GsTrainer *t = gs_trainer_new (&config, ds, &error);
  g_assert_null (t);
  g_assert_error (error, GS_TRAINER_ERROR, GS_TRAINER_ERROR_MEMORY);
  g_test_message ("%s", error->message);
  const char *about = strstr (error->message, "about ");
  g_assert_nonnull (about);
  g_assert_cmpint (sscanf (about, "about %lf GB", &gb), ==, 1);
  g_assert_cmpfloat_with_epsilon (gb, gs_trainer_memory_needed (&config, 784, 10) / 1e9, 0.051);
  g_assert_cmpfloat (gb, >, 16.0);
}

static void
limit_allocations (void)
{
#ifndef __SANITIZE_ADDRESS__
  /* Address space in use now (libraries, heap) plus the ceiling. */
  g_autofree char *status = NULL;
  guint64          vm_kb = 0;
  struct rlimit    rl;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      const char *p = strstr (status, "VmSize:");
      if (p != NULL)
        vm_kb = g_ascii_strtoull (p + 7, NULL, 10);
    }
  rl.rlim_cur = rl.rlim_max = vm_kb * 1024 + ALLOC_CEILING;
  g_assert_cmpint (setrlimit (RLIMIT_AS, &rl), ==, 0);
#endif
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("gs-limits-XXXXXX", &error);
  g_assert_no_error (error);
  limit_allocations ();

  g_test_add_func ("/limits/idx/count-over-limit", test_idx_count_over_limit);
  g_test_add_func ("/limits/idx/dims-overflow", test_idx_dims_overflow);
  g_test_add_func ("/limits/idx/raw-claim", test_idx_raw_claim);
  g_test_add_func ("/limits/idx/gzip-claim", test_idx_gzip_claim);
  g_test_add_func ("/limits/idx/huge-file", test_idx_huge_file);
  g_test_add_func ("/limits/idx/folder-claim", test_idx_folder_claim);
  g_test_add_func ("/limits/runfile/huge-file", test_runfile_huge_file);
  g_test_add_func ("/limits/runfile/gzip-bomb", test_runfile_gzip_bomb);
  g_test_add_func ("/limits/runfile/claims", test_runfile_claims);
  g_test_add_func ("/limits/runfile/checkpoints", test_runfile_checkpoints);
  g_test_add_func ("/limits/runfile/long-run-reloads", test_runfile_long_run_reloads);
  g_test_add_func ("/limits/trainer/memory", test_trainer_memory);
  int ret = g_test_run ();

  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  g_free (tmp_dir);
  return ret;
}
