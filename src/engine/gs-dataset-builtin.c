/* gs-dataset-builtin.c: the built-in synthetic set, made in code.
 *
 * Ten classes of strokes (bars, diagonals, a ring, a disk, a plus, a cross,
 * a square), each image jittered and noised from its own seed: the set is
 * the same at every start, so runs on it can be repeated.
 */
#define G_LOG_DOMAIN "gs-dataset-builtin"

#include "config.h"

#include <math.h>

#include "gs-dataset-private.h"
#include "gs-rng.h"

#define BUILTIN_TRAIN 6000
#define BUILTIN_TEST  1000

/* [0, 1) from the top 24 bits: exact in a float. */
static float
rand_unit (guint64 *state)
{
  return (float) (gs_rng_splitmix64 (state) >> 40) * (1.0f / 16777216.0f);
}

static float
rand_range (guint64 *state, float lo, float hi)
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

#define FOR_POINTS(expr)          \
  for (guint i = 0; i < n; i++)   \
    {                             \
      float x = xs[i], y = ys[i]; \
      d[i] = (expr);              \
    }

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
      FOR_POINTS (MIN (seg_dist (x, y, -7, -3.5f, 7, -3.5f), seg_dist (x, y, -7, 3.5f, 7, 3.5f)));
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
  int c1 = MIN ((int) ceilf (MAX (x0, x0 + dx)) + 2, GS_IMAGE_COLS - 1);
  int r0 = MAX ((int) floorf (MIN (y0, y0 + dy)) - 2, 0);
  int r1 = MIN ((int) ceilf (MAX (y0, y0 + dy)) + 2, GS_IMAGE_ROWS - 1);

  for (int row = r0; row <= r1; row++)
    for (int col = c0; col <= c1; col++)
      {
        float  e = seg_dist (col, row, x0, y0, x0 + dx, y0 + dy);
        float *p = &v[row * GS_IMAGE_COLS + col];
        *p = MAX (*p, CLAMP (1.2f - e, 0.0f, 1.0f) * 0.7f);
      }
}

/* One 28x28 image of class c: the shape jittered (shift, rotation, scale,
 * stroke width, contrast), sometimes a stray stroke, then noise. */
static void
draw_sample (guint8 *img, guint c, guint64 seed)
{
  guint64 s = seed;
  float   tx = rand_range (&s, -3.5f, 3.5f), ty = rand_range (&s, -3.5f, 3.5f);
  float   angle = rand_range (&s, -0.35f, 0.35f);
  float   scale = rand_range (&s, 0.8f, 1.2f);
  float   half_width = rand_range (&s, 0.7f, 1.8f);
  float   contrast = rand_range (&s, 0.55f, 1.0f);
  float   noise = rand_range (&s, 0.05f, 0.35f);
  float   ca = cosf (angle) / scale, sa = sinf (angle) / scale;
  float   xs[GS_IMAGE_ROWS * GS_IMAGE_COLS], ys[GS_IMAGE_ROWS * GS_IMAGE_COLS];
  float   v[GS_IMAGE_ROWS * GS_IMAGE_COLS];

  /* Shape coordinates of each pixel centre: undo shift, rotation, scale. */
  for (guint row = 0; row < GS_IMAGE_ROWS; row++)
    for (guint col = 0; col < GS_IMAGE_COLS; col++)
      {
        float px = col - 13.5f - tx, py = row - 13.5f - ty;
        xs[row * GS_IMAGE_COLS + col] = ca * px + sa * py;
        ys[row * GS_IMAGE_COLS + col] = -sa * px + ca * py;
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
      guint64 r = gs_rng_splitmix64 (&s);
      for (guint k = 0; k < 4; k++, r >>= 16)
        {
          float u = (float) (r & 0xffff) * (1.0f / 65536.0f);
          int   q = (int) ((v[i + k] + noise * (u - 0.3f)) * 255.0f + 256.5f) - 256;
          img[i + k] = (guint8) CLAMP (q, 0, 255);
        }
    }
}

static void
make_split (GsSplit *split, guint n, guint64 seed)
{
  guint64 s = seed;

  split->n = n;
  split->images = gs_dataset_images_alloc ((gsize) n * GS_IMAGE_ROWS * GS_IMAGE_COLS);
  split->labels = g_malloc (n);
  /* Classes in turn, so any prefix or suffix (a validation split) is
   * balanced; the trainer shuffles. */
  for (guint i = 0; i < n; i++)
    {
      split->labels[i] = i % GS_N_CLASSES;
      draw_sample (split->images + (gsize) i * GS_IMAGE_ROWS * GS_IMAGE_COLS, split->labels[i],
                   gs_rng_splitmix64 (&s));
    }
}

GsDataset *
gs_dataset_new_builtin (void)
{
  GsDataset *ds = gs_dataset_new_empty ("built-in synthetic", "built-in", TRUE);

  make_split (&ds->train, BUILTIN_TRAIN, 0x6772616473636f70ull);
  make_split (&ds->test, BUILTIN_TEST, 0x74657374696d6773ull);
  return ds;
}
