/* fuzz-dataset.c: gs_dataset_load_dir on a folder of four fuzzed files.
 *
 * Input: one flags byte (bit i: gzip file i here first; bit 4+i: leave file
 * i out), then the four files {train,t10k}-{images,labels}, the first three
 * each after a 16-bit little-endian length, the last taking the rest.
 * Reaches what gs_idx_read alone does not: the label checks, images and
 * labels that disagree, missing files, the plain/.gz choice.
 */
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "gs-dataset.h"

static const char *const names[4] = {
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
};

static char          *dir;
static volatile guint sink;

static void
remove_dir (void)
{
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *plain = g_build_filename (dir, names[i], NULL);
      g_autofree char *gz = g_strconcat (plain, ".gz", NULL);
      g_unlink (plain);
      g_unlink (gz);
    }
  g_rmdir (dir);
}

static GBytes *
gzip_bytes (const guint8 *data, gsize size)
{
  z_stream zs = { 0 };
  uLong    bound;
  guint8  *out;

  GS_FUZZ_CHECK (deflateInit2 (&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  bound = deflateBound (&zs, size);
  out = g_malloc (bound);
  zs.next_in = (Bytef *) data, zs.avail_in = (uInt) size;
  zs.next_out = out, zs.avail_out = (uInt) bound;
  GS_FUZZ_CHECK (deflate (&zs, Z_FINISH) == Z_STREAM_END);
  deflateEnd (&zs);
  return g_bytes_new_take (out, zs.total_out);
}

/* Writes file i (or leaves it out), removing the other form of its name. */
static void
put_file (guint i, const guint8 *data, gsize size, guint flags)
{
  g_autofree char *plain = g_build_filename (dir, names[i], NULL);
  g_autofree char *gz = g_strconcat (plain, ".gz", NULL);
  gboolean         pack = flags & (1u << i);

  g_unlink (plain);
  g_unlink (gz);
  if (flags & (16u << i))
    return;
  g_autoptr (GBytes) packed = pack ? gzip_bytes (data, size) : NULL;
  const void *bytes = pack ? g_bytes_get_data (packed, NULL) : data;
  gsize       len = pack ? g_bytes_get_size (packed) : size;
  GS_FUZZ_CHECK (g_file_set_contents (pack ? gz : plain, bytes, (gssize) len, NULL));
}

static void
check_dataset (const GsDataset *ds)
{
  const GsSplit *splits[2] = { &ds->train, &ds->test };

  GS_FUZZ_CHECK (ds->rows == 28 && ds->cols == 28 && ds->n_classes == 10);
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < splits[s]->n; i++)
      {
        GS_FUZZ_CHECK (splits[s]->labels[i] < ds->n_classes);
        sink += splits[s]->images[(gsize) i * 784 + 783];
      }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  gsize pos = 1;

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("gs-fuzz-dataset-XXXXXX", NULL);
      GS_FUZZ_CHECK (dir != NULL);
      atexit (remove_dir);
    }
  if (size == 0)
    return 0;
  for (guint i = 0; i < 4; i++)
    {
      gsize len = size - MIN (pos, size);
      if (i < 3)
        {
          len = pos + 2 <= size ? (gsize) (data[pos] | data[pos + 1] << 8) : 0;
          pos = MIN (pos + 2, size);
          len = MIN (len, size - pos);
        }
      put_file (i, data + pos, len, data[0]);
      pos += len;
    }
  g_autoptr (GsDataset) ds = gs_dataset_load_dir (dir, &error);
  GS_FUZZ_CHECK ((ds == NULL) == (error != NULL));
  if (ds != NULL)
    check_dataset (ds);
  else
    GS_FUZZ_CHECK (error->domain == GS_DATASET_ERROR && strstr (error->message, dir) != NULL);
  return 0;
}
