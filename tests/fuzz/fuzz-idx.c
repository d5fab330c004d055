/* fuzz-idx.c: gs_idx_read on arbitrary bytes, raw and gzipped.
 *
 * The first byte picks the form: odd, the rest is gzipped here first (so the
 * fuzzer mutates IDX headers yet reaches the gzip path); even, the rest is
 * the file as it stands (itself raw IDX or a gzip stream from the corpus).
 */
#include "fuzz-common.h"

#include <zlib.h>

#include "gs-dataset.h"

static guint8 *
gzip_bytes (const guint8 *data, gsize size, gsize *out_size)
{
  z_stream zs = { 0 };
  uLong    bound;
  guint8  *out;

  GS_FUZZ_CHECK (deflateInit2 (&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  bound = deflateBound (&zs, size);
  out = g_malloc (bound);
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) size;
  zs.next_out = out;
  zs.avail_out = (uInt) bound;
  GS_FUZZ_CHECK (deflate (&zs, Z_FINISH) == Z_STREAM_END);
  *out_size = zs.total_out;
  deflateEnd (&zs);
  return out;
}

/* A success must describe a payload of exactly the size its header says. */
static void
check_payload (const guint8 *payload, guint n_dims, const guint dims[3], gsize n_bytes)
{
  guint64 want = 1;
  guint   sum = 0;

  GS_FUZZ_CHECK (n_dims >= 1 && n_dims <= 3);
  for (guint i = 0; i < n_dims; i++)
    want *= dims[i];
  GS_FUZZ_CHECK (want == n_bytes);
  for (gsize i = 0; i < n_bytes; i++)
    sum += payload[i];
  (void) sum;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree guint8 *packed = NULL;
  g_autoptr (GError) error = NULL;
  guint n_dims = 0, dims[3] = { 0 };
  gsize n_bytes = 0;

  if (size == 0)
    return 0;
  gboolean      pack = data[0] & 1;
  const guint8 *body = data + 1;
  gsize         body_size = size - 1;
  if (pack)
    {
      packed = gzip_bytes (body, body_size, &body_size);
      body = packed;
    }

  const char        *path = gs_fuzz_write_file (body, body_size);
  g_autofree guint8 *payload = gs_idx_read (path, &n_dims, dims, &n_bytes, &error);
  GS_FUZZ_CHECK ((payload == NULL) == (error != NULL));
  if (payload != NULL)
    check_payload (payload, n_dims, dims, n_bytes);
  else
    GS_FUZZ_CHECK (error->domain == GS_DATASET_ERROR && g_str_has_prefix (error->message, path));
  return 0;
}
