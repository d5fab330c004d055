/* gs-ops.c: layer kernels. Hot loops are OpenMP-parallel with each thread
 * owning its outputs; reductions use fixed chunks so that any thread count
 * gives bit-identical results. */
#define G_LOG_DOMAIN "gs-ops"

#include "gs-ops.h"
#include "gs-gemm.h"
#include "gs-simd.h"

#include <math.h>
#include "gs-omp.h"
#include <string.h>

#ifdef GS_REAL_DOUBLE
#define EXP  exp
#define TANH tanh
#define ERF  erf
#else
#define EXP  gs_expf
#define TANH tanhf
#define ERF  erff
#endif

#define CHUNK 4096
#define LANES 8

/* expf by range reduction and a degree-6 polynomial: within 2 ulp of expf
 * on [-87, 88], and (unlike libm's) vectorisable: rounding by the
 * 1.5 * 2^23 trick, not nearbyintf (which needs SSE4.1 to vectorise). Its
 * multiply-adds are fmaf (): one rounding each, the same on every clone
 * (an instruction on x86-64-v3 and up, a library call on older CPUs), and
 * half the operations of a multiply and an add. */
static inline float
gs_expf (float x)
{
  const float ln2_hi = 0.693145751953125f, ln2_lo = 1.428606765330187e-06f;
  const float round = 12582912.0f; /* 1.5 * 2^23, bits 0x4b400000 */
  float       n, r, p;
  union
  {
    float   f;
    guint32 u;
  } t, e;

  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  t.f = fmaf (x, 1.44269504088896341f, round); /* n sits in t's low mantissa bits */
  n = t.f - round;
  r = fmaf (-n, ln2_lo, fmaf (-n, ln2_hi, x));
  p = fmaf (r, 0.0013888889f, 0.008333337f);
  p = fmaf (r, p, 0.041666668f);
  p = fmaf (r, p, 0.16666667f);
  p = fmaf (r, p, 0.5f);
  p = fmaf (r, p, 1.f);
  p = fmaf (r, p, 1.f);
  e.u = (t.u - 0x4b400000u + 127u) << 23; /* 2^n, by unsigned arithmetic */
  return p * e.f;
}

/* Partial sums over one chunk, LANES accumulators so the loop vectorises
 * without reassociating (the order is fixed). mode: 0 sum, 1 sumsq, 2 sumabs,
 * 3 dot. */
static double
chunk_reduce (const gs_real *x, const gs_real *y, size_t n, int mode)
{
  double acc[LANES] = { 0 };
  size_t i = 0;
  double s = 0;

  for (; i + LANES <= n; i += LANES)
    for (int l = 0; l < LANES; l++)
      {
        double v = x[i + l];
        acc[l] += mode == 0 ? v : mode == 1 ? v * v : mode == 2 ? fabs (v) : v * y[i + l];
      }
  for (; i < n; i++)
    {
      double v = x[i];
      acc[0] += mode == 0 ? v : mode == 1 ? v * v : mode == 2 ? fabs (v) : v * y[i];
    }
  for (int l = 0; l < LANES; l++)
    s += acc[l];
  return s;
}

static double
reduce (const gs_real *x, const gs_real *y, size_t n, int mode)
{
  size_t  n_chunks = (n + CHUNK - 1) / CHUNK;
  double  partial[256];
  double *p = n_chunks <= 256 ? partial : g_new (double, n_chunks);
  double  s = 0;

  GS_PARALLEL (
      n >= GS_PAR_MIN, "omp parallel for schedule(static)", for (size_t c = 0; c < n_chunks; c++) {
        size_t off = c * CHUNK;
        p[c] = chunk_reduce (x + off, y ? y + off : NULL, MIN (CHUNK, n - off), mode);
      });
  for (size_t c = 0; c < n_chunks; c++)
    s += p[c];
  if (p != partial)
    g_free (p);
  return s;
}

double
gs_sum (const gs_real *x, size_t n)
{
  return reduce (x, NULL, n, 0);
}
double
gs_sumsq (const gs_real *x, size_t n)
{
  return reduce (x, NULL, n, 1);
}
double
gs_sumabs (const gs_real *x, size_t n)
{
  return reduce (x, NULL, n, 2);
}
double
gs_dot (const gs_real *x, const gs_real *y, size_t n)
{
  return reduce (x, y, n, 3);
}

gboolean
gs_all_finite (const gs_real *x, size_t n)
{
  return isfinite (gs_sum (x, n));
}

#ifndef GS_REAL_DOUBLE
typedef float v8 __attribute__ ((vector_size (32)));
#define SHUF(x, y, ...) __builtin_shufflevector (x, y, __VA_ARGS__)

/* dst (8 rows, stride ld) = the 8 x 8 block at src (stride ls) transposed:
 * three rounds of shuffles, no scalar moves. */
static inline __attribute__ ((always_inline)) void
transpose8 (gs_real *dst, int ld, const gs_real *src, int ls)
{
  v8 r[8], t[8], u[8];

  for (int i = 0; i < 8; i++)
    memcpy (&r[i], src + (size_t) i * ls, sizeof (v8));
  for (int i = 0; i < 8; i += 2)
    {
      t[i] = SHUF (r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
      t[i + 1] = SHUF (r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
  for (int i = 0; i < 8; i += 4)
    for (int k = 0; k < 2; k++)
      {
        u[i + 2 * k] = SHUF (t[i + k], t[i + k + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 2 * k + 1] = SHUF (t[i + k], t[i + k + 2], 2, 3, 10, 11, 6, 7, 14, 15);
      }
  for (int k = 0; k < 4; k++)
    {
      v8 lo = SHUF (u[k], u[k + 4], 0, 1, 2, 3, 8, 9, 10, 11);
      v8 hi = SHUF (u[k], u[k + 4], 4, 5, 6, 7, 12, 13, 14, 15);
      memcpy (dst + (size_t) k * ld, &lo, sizeof (v8));
      memcpy (dst + (size_t) (k + 4) * ld, &hi, sizeof (v8));
    }
}
#endif

/* Columns [c0, c0 + 8) of src (rows, cols) into rows of dst (cols, rows):
 * dst's rows written whole, one after the other. */
GS_SPAN static void
transpose_cols (gs_real *dst, const gs_real *src, int rows, int cols, int c0)
{
  const int ce = MIN (c0 + 8, cols);
  int       r = 0;

#ifndef GS_REAL_DOUBLE
  if (ce - c0 == 8)
    for (; r + 8 <= rows; r += 8)
      transpose8 (dst + (size_t) c0 * rows + r, rows, src + (size_t) r * cols + c0, cols);
#endif
  for (; r < rows; r++)
    for (int c = c0; c < ce; c++)
      dst[(size_t) c * rows + r] = src[(size_t) r * cols + c];
}

void
gs_transpose (gs_real *dst, const gs_real *src, int rows, int cols)
{
  GS_PARALLEL ((size_t) rows * cols >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int c0 = 0; c0 < cols; c0 += 8) transpose_cols (dst, src, rows, cols, c0););
}

/* Sums of columns [c0, c0 + w) of (B, n), each in row order in double:
 * the rows are walked once, COL_BLOCK columns side by side in vectors. */
#define COL_BLOCK 32
GS_SPAN static void
column_block_sums (gs_real *out, const gs_real *x, int B, int n, int c0, int w)
{
  double acc[COL_BLOCK] = { 0 };

  if (w == COL_BLOCK)
    for (int r = 0; r < B; r++)
      {
        const gs_real *row = x + (size_t) r * n + c0;
        for (int c = 0; c < COL_BLOCK; c++)
          acc[c] += row[c];
      }
  else
    for (int r = 0; r < B; r++)
      for (int c = 0; c < w; c++)
        acc[c] += x[(size_t) r * n + c0 + c];
  for (int c = 0; c < w; c++)
    out[c0 + c] = (gs_real) acc[c];
}

/* Column sums of (B, n), each thread owning a range of columns. */
static void
column_sums (gs_real *out, const gs_real *x, int B, int n)
{
  GS_PARALLEL ((size_t) B * n >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int c0 = 0; c0 < n; c0 += COL_BLOCK)
                   column_block_sums (out, x, B, n, c0, MIN (COL_BLOCK, n - c0)););
}

void
gs_linear_backward (gs_real       *din,
                    gs_real       *dw,
                    gs_real       *db,
                    const gs_real *dout,
                    const gs_real *in,
                    const gs_real *w,
                    int            B,
                    int            n_in,
                    int            n_out,
                    gs_real        din_beta)
{
  if (dw)
    gs_gemm (TRUE, FALSE, n_out, n_in, B, 1, dout, n_out, in, n_in, 0, dw, n_in);
  if (db)
    column_sums (db, dout, B, n_out);
  if (din)
    gs_gemm (FALSE, FALSE, B, n_in, n_out, 1, dout, n_out, w, n_in, din_beta, din, n_in);
}

static inline gs_real
sigmoid (gs_real y)
{
  return 1 / (1 + EXP (-y));
}

#define SQRT1_2      0.70710678118654752440
#define INV_SQRT_2PI 0.39894228040143267794

static inline gs_real
act_value (gs_real y, GsActivation f)
{
  switch (f)
    {
    case GS_ACT_SIGMOID:
      return sigmoid (y);
    case GS_ACT_TANH:
      return TANH (y);
    case GS_ACT_RELU:
      return y > 0 ? y : 0;
    case GS_ACT_LEAKY_RELU:
      return y > 0 ? y : (gs_real) 0.01 * y;
    case GS_ACT_ELU:
      return y > 0 ? y : EXP (y) - 1;
    case GS_ACT_GELU:
      return (gs_real) 0.5 * y * (1 + ERF (y * (gs_real) SQRT1_2));
    case GS_ACT_SOFTSIGN:
      return y / (1 + fabs (y));
    case GS_ACT_IDENTITY:
    case GS_N_ACTIVATIONS:
    default:
      return y;
    }
}

/* f'(y), given y and a = f(y). */
static inline gs_real
act_grad (gs_real y, gs_real a, GsActivation f)
{
  switch (f)
    {
    case GS_ACT_SIGMOID:
      return a * (1 - a);
    case GS_ACT_TANH:
      return 1 - a * a;
    case GS_ACT_RELU:
      return y > 0 ? 1 : 0;
    case GS_ACT_LEAKY_RELU:
      return y > 0 ? 1 : (gs_real) 0.01;
    case GS_ACT_ELU:
      return y > 0 ? 1 : a + 1;
    case GS_ACT_GELU:
      return (gs_real) (0.5 * (1 + ERF (y * (gs_real) SQRT1_2))
                        + y * INV_SQRT_2PI * EXP (-(gs_real) 0.5 * y * y));
    case GS_ACT_SOFTSIGN:
      {
        gs_real d = 1 + fabs (y);
        return 1 / (d * d);
      }
    case GS_ACT_IDENTITY:
    case GS_N_ACTIVATIONS:
    default:
      return 1;
    }
}

/* One loop per activation, so each one vectorises on its own. */
#define FOR_EACH_ACT(f, LOOP)                     \
  switch (f)                                      \
    {                                             \
    case GS_ACT_SIGMOID:                          \
      {                                           \
        const GsActivation F = GS_ACT_SIGMOID;    \
        LOOP;                                     \
      }                                           \
      break;                                      \
    case GS_ACT_TANH:                             \
      {                                           \
        const GsActivation F = GS_ACT_TANH;       \
        LOOP;                                     \
      }                                           \
      break;                                      \
    case GS_ACT_RELU:                             \
      {                                           \
        const GsActivation F = GS_ACT_RELU;       \
        LOOP;                                     \
      }                                           \
      break;                                      \
    case GS_ACT_LEAKY_RELU:                       \
      {                                           \
        const GsActivation F = GS_ACT_LEAKY_RELU; \
        LOOP;                                     \
      }                                           \
      break;                                      \
    case GS_ACT_ELU:                              \
      {                                           \
        const GsActivation F = GS_ACT_ELU;        \
        LOOP;                                     \
      }                                           \
      break;                                      \
    case GS_ACT_GELU:                             \
      {                                           \
        const GsActivation F = GS_ACT_GELU;       \
        LOOP;                                     \
      }                                           \
      break;                                      \
    case GS_ACT_SOFTSIGN:                         \
      {                                           \
        const GsActivation F = GS_ACT_SOFTSIGN;   \
        LOOP;                                     \
      }                                           \
      break;                                      \
    case GS_ACT_IDENTITY:                         \
    case GS_N_ACTIVATIONS:                        \
    default:                                      \
      {                                           \
        const GsActivation F = GS_ACT_IDENTITY;   \
        LOOP;                                     \
      }                                           \
      break;                                      \
    }

GS_SPAN static void
act_span (gs_real *a, const gs_real *y, size_t n, GsActivation f)
{
  FOR_EACH_ACT (f, for (size_t i = 0; i < n; i++) a[i] = act_value (y[i], F));
}

/* z += b row by row (unless b is NULL), then a = f(z) (unless a is NULL). */
GS_SPAN static void
bias_act_rows (gs_real *z, gs_real *a, const gs_real *b, int rows, int n, GsActivation f)
{
  for (int r = 0; r < rows; r++)
    {
      gs_real *zr = z + (size_t) r * n;
      if (b)
        for (int c = 0; c < n; c++)
          zr[c] += b[c];
      if (a)
        FOR_EACH_ACT (f, for (int c = 0; c < n; c++) a[(size_t) r * n + c] = act_value (zr[c], F));
    }
}

GS_SPAN static void
act_backward_span (
    gs_real *dy, const gs_real *da, const gs_real *y, const gs_real *a, size_t n, GsActivation f)
{
  FOR_EACH_ACT (f, for (size_t i = 0; i < n; i++) dy[i] = da[i] * act_grad (y[i], a[i], F));
}

/* LANES elements of act_backward_sq_span: all loads before the stores (dy
 * may be da), so the block vectorises. */
static inline __attribute__ ((always_inline)) void
backward_sq_block (gs_real       *dy,
                   const gs_real *da,
                   const gs_real *y,
                   const gs_real *a,
                   GsActivation   f,
                   double         sa[LANES],
                   double         sd[LANES])
{
  gs_real d[LANES], g[LANES];

  for (int l = 0; l < LANES; l++)
    d[l] = da[l], g[l] = d[l] * act_grad (y[l], a[l], f);
  for (int l = 0; l < LANES; l++)
    {
      dy[l] = g[l];
      sa[l] += (double) d[l] * d[l];
      sd[l] += (double) g[l] * g[l];
    }
}

/* act_backward_span and the sums of squares of da and dy in one pass, the
 * sums in chunk_reduce's order (LANES lanes, the tail into lane 0), so
 * they have its bits. dy may be da. */
GS_SPAN static void
act_backward_sq_span (gs_real       *dy,
                      const gs_real *da,
                      const gs_real *y,
                      const gs_real *a,
                      size_t         n,
                      GsActivation   f,
                      double         out[2])
{
  double sa[LANES] = { 0 }, sd[LANES] = { 0 };
  size_t i = 0;

  FOR_EACH_ACT (f, for (; i + LANES <= n; i += LANES)
                       backward_sq_block (dy + i, da + i, y + i, a + i, F, sa, sd));
  for (; i < n; i++)
    {
      const double  d = da[i];
      const gs_real g = da[i] * act_grad (y[i], a[i], f);
      dy[i] = g;
      sa[0] += d * d;
      sd[0] += (double) g * g;
    }
  out[0] = out[1] = 0;
  for (int l = 0; l < LANES; l++)
    out[0] += sa[l], out[1] += sd[l];
}

/* x = b / 255, correctly rounded, without a division: q = b * (1/255)
 * is within an ulp, and one FMA step on the exact residual b - 255 q
 * rounds it correctly (checked for all 256 bytes by the engine tests).
 * fma () is exact on every target, so each clone gives the same bits. */
GS_FMA_SPAN static void
bytes_span (gs_real *x, const guint8 *b, size_t n)
{
#ifdef GS_REAL_DOUBLE
#define FMA fma
#else
#define FMA fmaf
#endif
  const gs_real r = (gs_real) 1 / 255;
  for (size_t i = 0; i < n; i++)
    {
      gs_real v = b[i], q = v * r;
      x[i] = FMA (FMA (-q, 255, v), r, q);
    }
#undef FMA
}

/* Rows idx[0..B) of images (n_in bytes each) into x, each byte b as
 * b / 255 (torchvision's ToTensor). The rows are scattered over a data
 * set larger than the cache: fetch a few rows ahead. */
void
gs_gather_rows_to_unit (gs_real *x, const guint8 *images, const guint32 *idx, int B, int n_in)
{
  enum
  {
    AHEAD = 4
  };
  GS_PARALLEL ((size_t) B * n_in >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int r = 0; r < B; r++) {
                 if (r + AHEAD < B)
                   {
                     const guint8 *next = images + (size_t) idx[r + AHEAD] * n_in;
                     for (int o = 0; o < n_in; o += 64)
                       __builtin_prefetch (next + o);
                   }
                 bytes_span (x + (size_t) r * n_in, images + (size_t) idx[r] * n_in, n_in);
               });
}

static gs_real
act_grad_max (GsActivation f)
{
  switch (f)
    {
    case GS_ACT_SIGMOID:
      return 0.25;
    case GS_ACT_GELU:
      return 1.1289; /* at y = 1.4142 */
    default:
      return 1;
    }
}

/* Sum, sum of squares and saturated count of a, in LANES accumulators. */
GS_SPAN static void
act_stats_span (const gs_real *y, const gs_real *a, size_t n, GsActivation f, double out[3])
{
  const gs_real limit = (gs_real) 0.05 * act_grad_max (f);
  double        s[LANES] = { 0 }, s2[LANES] = { 0 }, sat[LANES] = { 0 };
  size_t        i = 0;

  FOR_EACH_ACT (
      f, for (; i + LANES <= n; i += LANES) for (int l = 0; l < LANES; l++) {
        gs_real v = a[i + l];
        s[l] += v;
        s2[l] += (double) v * v;
        sat[l] += F != GS_ACT_IDENTITY && fabs (act_grad (y[i + l], v, F)) <= limit;
      });
  out[0] = out[1] = out[2] = 0;
  for (; i < n; i++)
    {
      out[0] += a[i];
      out[1] += (double) a[i] * a[i];
      out[2] += f != GS_ACT_IDENTITY && fabs (act_grad (y[i], a[i], f)) <= limit;
    }
  for (int l = 0; l < LANES; l++)
    out[0] += s[l], out[1] += s2[l], out[2] += sat[l];
}

static size_t
n_chunks (size_t n)
{
  return (n + CHUNK - 1) / CHUNK;
}

/* Per-chunk partial sums, combined in chunk order: the same bits for any
 * thread count. They live on the stack (no allocation in a training step)
 * unless a tensor has more than MAX_STACK_CHUNKS chunks. */
#define MAX_STACK_CHUNKS 256

static double *
partials_new (double *stats, size_t count, size_t width, double *stack)
{
  if (stats == NULL)
    return NULL;
  return count <= MAX_STACK_CHUNKS ? stack : g_malloc (count * width * sizeof (double));
}

static void
partials_combine (double *stats, double *p, size_t count, size_t width, double *stack)
{
  if (stats == NULL)
    return;
  for (size_t k = 0; k < width; k++)
    stats[k] = 0;
  for (size_t c = 0; c < count; c++)
    for (size_t k = 0; k < width; k++)
      stats[k] += p[c * width + k];
  if (p != stack)
    g_free (p);
}

void
gs_act_forward (gs_real *a, const gs_real *y, size_t n, GsActivation f, double stats[3])
{
  const size_t nc = n_chunks (n);
  double       stack[3 * MAX_STACK_CHUNKS];
  double      *p = partials_new (stats, nc, 3, stack);

  GS_PARALLEL (
      n >= GS_PAR_MIN, "omp parallel for schedule(static)", for (size_t c = 0; c < nc; c++) {
        const size_t o = c * CHUNK, len = MIN (CHUNK, n - o);
        act_span (a + o, y + o, len, f);
        if (p) /* while the chunk is still in L1 */
          act_stats_span (y + o, a + o, len, f, p + 3 * c);
      });
  partials_combine (stats, p, nc, 3, stack);
}

/* Rows of a block of gs_linear_act_forward: whole chunks of `rows` rows,
 * at least BLOCK_MIN_ROWS of them, so that a block's GEMM is one efficient
 * tile and its output (16 KB at width 128) is still in L1 when the bias,
 * the activation and the probes' sums read it. */
#define BLOCK_MIN_ROWS 32
#define BLOCK_PAR_MIN  (1u << 20) /* multiply-adds: gs_gemm's threshold */

/* Above this many weights (width 1024) a 32-row block's GEMM streams the
 * whole W^T from L2 or further for 32 rows only: libxsmm's kernels do no
 * cache blocking, and the 7 x 1024 net's forward took 56% of a step for a
 * third of its multiply-adds. There the rows go in two blocks, each one
 * tile that OpenBLAS (or oneDNN) blocks for the cache, at the price of the
 * epilogue reading from L2. */
#define WIDE_WEIGHTS (1u << 18)

/* Chunks a block of gs_linear_act_forward spans: a fixed function of the
 * shapes, never of the threads, so that the bits are the same on any. */
static int
block_chunks (int nc, int rows, int n, int n_in)
{
  if ((size_t) n * n_in > WIDE_WEIGHTS)
    return (nc + 1) / 2;
  return (BLOCK_MIN_ROWS + rows - 1) / rows;
}

/* Block k of gs_linear_act_forward: its rows' GEMM tile, then its chunks'
 * bias, activation and sums. */
static void
forward_block (gs_real       *z,
               gs_real       *a,
               const gs_real *in,
               const gs_real *wt,
               const gs_real *b,
               int            k,
               int            per_block,
               int            rows,
               int            B,
               int            n_in,
               int            n,
               GsActivation   f,
               double        *p)
{
  const int r0 = k * per_block * rows, r = MIN (per_block * rows, B - r0);

  gs_gemm_tile (r, n, n_in, in + (size_t) r0 * n_in, n_in, wt, n, z + (size_t) r0 * n, n);
  for (int c = r0 / rows; c * rows < r0 + r; c++)
    {
      const size_t o = (size_t) c * rows * n;
      const int    cr = MIN (rows, B - c * rows);
      bias_act_rows (z + o, a ? a + o : NULL, b, cr, n, f);
      if (p)
        act_stats_span (z + o, a + o, (size_t) cr * n, f, p + 3 * c);
    }
}

void
gs_linear_act_forward (gs_real       *z,
                       gs_real       *a,
                       const gs_real *in,
                       const gs_real *w,
                       const gs_real *b,
                       gs_real       *wt,
                       int            B,
                       int            n_in,
                       int            n,
                       GsActivation   f,
                       double         stats[3])
{
  const int rows = MAX (1, CHUNK / n), nc = (B + rows - 1) / rows;
  const int per_block = block_chunks (nc, rows, n, n_in), nb = (nc + per_block - 1) / per_block;
  double    stack[3 * MAX_STACK_CHUNKS], *p;

  g_assert (a != NULL || stats == NULL); /* the sums are of a */
  p = partials_new (stats, nc, 3, stack);
  gs_transpose (wt, w, n, n_in);
  GS_PARALLEL (nb > 1 && (size_t) B * n * n_in >= BLOCK_PAR_MIN, "omp parallel for schedule(static)",
               for (int k = 0; k < nb; k++)
                   forward_block (z, a, in, wt, b, k, per_block, rows, B, n_in, n, f, p););
  partials_combine (stats, p, nc, 3, stack);
}

void
gs_linear_forward (gs_real       *out,
                   const gs_real *in,
                   const gs_real *w,
                   const gs_real *b,
                   gs_real       *wt,
                   int            B,
                   int            n_in,
                   int            n_out)
{
  gs_linear_act_forward (out, NULL, in, w, b, wt, B, n_in, n_out, GS_ACT_IDENTITY, NULL);
}

void
gs_act_backward (gs_real       *dy,
                 const gs_real *da,
                 const gs_real *y,
                 const gs_real *a,
                 size_t         n,
                 GsActivation   f,
                 double         sumsq[2])
{
  const size_t nc = n_chunks (n);
  double       stack[2 * MAX_STACK_CHUNKS];
  double      *p = partials_new (sumsq, nc, 2, stack);

  GS_PARALLEL (
      n >= GS_PAR_MIN, "omp parallel for schedule(static)", for (size_t c = 0; c < nc; c++) {
        const size_t o = c * CHUNK, len = MIN (CHUNK, n - o);
        if (p)
          act_backward_sq_span (dy + o, da + o, y + o, a + o, len, f, p + 2 * c);
        else
          act_backward_span (dy + o, da + o, y + o, a + o, len, f);
      });
  partials_combine (sumsq, p, nc, 2, stack);
}

void
gs_act_stats_finish (const double stats[3], size_t n, double *mean, double *std, double *saturated)
{
  *mean = stats[0] / n;
  *std = sqrt (MAX (stats[1] / n - *mean * *mean, 0.0));
  *saturated = stats[2] / n;
}

/* Batch statistics by blocks of columns, walked row by row (the memory's
 * order), each column's sums still in row order: the bits of a column at
 * a time, at the speed of contiguous loads. */
#define NORM_COLS 32

/* Columns [c0, c0 + cn) of batch statistics (and the running ones). */
static void
batch_stats_block (
    gs_real *mean, gs_real *rstd, gs_real *run_mean, gs_real *run_var, const gs_real *x, int B, int n, int c0)
{
  const int cn = MIN (NORM_COLS, n - c0);
  double    m[NORM_COLS] = { 0 }, v[NORM_COLS] = { 0 };

  for (int r = 0; r < B; r++)
    for (int k = 0; k < cn; k++)
      m[k] += x[(size_t) r * n + c0 + k];
  for (int k = 0; k < cn; k++)
    m[k] /= B;
  for (int r = 0; r < B; r++)
    for (int k = 0; k < cn; k++)
      {
        double d = x[(size_t) r * n + c0 + k] - m[k];
        v[k] += d * d;
      }
  for (int k = 0, c = c0; k < cn; k++, c++)
    {
      mean[c] = (gs_real) m[k];
      rstd[c] = (gs_real) (1.0 / sqrt (v[k] / B + GS_NORM_EPS));
      if (run_mean)
        {
          run_mean[c] = (gs_real) (0.9 * run_mean[c] + 0.1 * m[k]);
          run_var[c] = (gs_real) (0.9 * run_var[c] + 0.1 * (B > 1 ? v[k] / (B - 1) : v[k]));
        }
    }
}

void
gs_batchnorm_forward (gs_real       *y,
                      gs_real       *mean,
                      gs_real       *rstd,
                      gs_real       *run_mean,
                      gs_real       *run_var,
                      const gs_real *x,
                      const gs_real *gamma,
                      const gs_real *beta,
                      int            B,
                      int            n)
{
  GS_PARALLEL ((size_t) B * n >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int c0 = 0; c0 < n; c0 += NORM_COLS)
                   batch_stats_block (mean, rstd, run_mean, run_var, x, B, n, c0););
  GS_PARALLEL ((size_t) B * n >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int r = 0; r < B; r++) for (int c = 0; c < n; c++) {
                 size_t i = (size_t) r * n + c;
                 y[i] = gamma ? (x[i] - mean[c]) * rstd[c] * gamma[c] + beta[c] : (x[i] - mean[c]) * rstd[c];
               });
}

void
gs_batchstd_forward (gs_real *y, gs_real *mean, gs_real *rstd, const gs_real *x, int B, int n)
{
  gs_batchnorm_forward (y, mean, rstd, NULL, NULL, x, NULL, NULL, B, n);
}

void
gs_batchnorm_forward_eval (gs_real       *y,
                           const gs_real *x,
                           const gs_real *run_mean,
                           const gs_real *run_var,
                           const gs_real *gamma,
                           const gs_real *beta,
                           int            B,
                           int            n)
{
  GS_PARALLEL ((size_t) B * n >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int r = 0; r < B; r++) for (int c = 0; c < n; c++) {
                 size_t i = (size_t) r * n + c;
                 y[i] = (gs_real) ((x[i] - run_mean[c]) / sqrt (run_var[c] + GS_NORM_EPS)) * gamma[c]
                        + beta[c];
               });
}

/* Columns [c0, c0 + cn) of the batch-norm backward pass. */
static void
batchnorm_backward_block (gs_real       *dx,
                          gs_real       *dgamma,
                          gs_real       *dbeta,
                          const gs_real *dy,
                          const gs_real *x,
                          const gs_real *mean,
                          const gs_real *rstd,
                          const gs_real *gamma,
                          int            B,
                          int            n,
                          int            c0)
{
  const int cn = MIN (NORM_COLS, n - c0);
  double    sdy[NORM_COLS] = { 0 }, sdyx[NORM_COLS] = { 0 }, g[NORM_COLS];

  for (int r = 0; r < B; r++)
    for (int k = 0, c = c0; k < cn; k++, c++)
      {
        size_t i = (size_t) r * n + c;
        sdy[k] += dy[i];
        sdyx[k] += dy[i] * (x[i] - mean[c]) * rstd[c];
      }
  for (int k = 0, c = c0; k < cn; k++, c++)
    {
      if (dgamma)
        dgamma[c] = (gs_real) sdyx[k], dbeta[c] = (gs_real) sdy[k];
      g[k] = gamma ? gamma[c] : 1;
    }
  for (int r = 0; r < B; r++)
    for (int k = 0, c = c0; k < cn; k++, c++)
      {
        size_t  i = (size_t) r * n + c;
        gs_real xhat = (x[i] - mean[c]) * rstd[c];
        dx[i] = (gs_real) (g[k] * rstd[c] / B * (B * dy[i] - sdy[k] - xhat * sdyx[k]));
      }
}

void
gs_batchnorm_backward (gs_real       *dx,
                       gs_real       *dgamma,
                       gs_real       *dbeta,
                       const gs_real *dy,
                       const gs_real *x,
                       const gs_real *mean,
                       const gs_real *rstd,
                       const gs_real *gamma,
                       int            B,
                       int            n)
{
  GS_PARALLEL ((size_t) B * n >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int c0 = 0; c0 < n; c0 += NORM_COLS)
                   batchnorm_backward_block (dx, dgamma, dbeta, dy, x, mean, rstd, gamma, B, n, c0););
}

void
gs_batchstd_backward (
    gs_real *dx, const gs_real *dy, const gs_real *x, const gs_real *mean, const gs_real *rstd, int B, int n)
{
  gs_batchnorm_backward (dx, NULL, NULL, dy, x, mean, rstd, NULL, B, n);
}

void
gs_layernorm_forward (gs_real       *y,
                      gs_real       *mean,
                      gs_real       *rstd,
                      const gs_real *x,
                      const gs_real *gamma,
                      const gs_real *beta,
                      int            B,
                      int            n)
{
  GS_PARALLEL ((size_t) B * n >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int r = 0; r < B; r++) {
                 const gs_real *xr = x + (size_t) r * n;
                 double         m = 0, v = 0;
                 for (int c = 0; c < n; c++)
                   m += xr[c];
                 m /= n;
                 for (int c = 0; c < n; c++)
                   v += (xr[c] - m) * (xr[c] - m);
                 mean[r] = (gs_real) m;
                 rstd[r] = (gs_real) (1.0 / sqrt (v / n + GS_NORM_EPS));
                 for (int c = 0; c < n; c++)
                   y[(size_t) r * n + c] = (xr[c] - mean[r]) * rstd[r] * gamma[c] + beta[c];
               });
}

/* Row r of the layer-norm backward pass's dx. */
static void
layernorm_backward_row (gs_real       *dx,
                        const gs_real *dy,
                        const gs_real *x,
                        const gs_real *mean,
                        const gs_real *rstd,
                        const gs_real *gamma,
                        int            n,
                        int            r)
{
  double s = 0, sx = 0;

  for (int c = 0; c < n; c++)
    {
      size_t i = (size_t) r * n + c;
      double g = dy[i] * gamma[c];
      s += g;
      sx += g * (x[i] - mean[r]) * rstd[r];
    }
  for (int c = 0; c < n; c++)
    {
      size_t i = (size_t) r * n + c;
      double xhat = (x[i] - mean[r]) * rstd[r];
      dx[i] = (gs_real) (rstd[r] / n * (n * dy[i] * gamma[c] - s - xhat * sx));
    }
}

void
gs_layernorm_backward (gs_real       *dx,
                       gs_real       *dgamma,
                       gs_real       *dbeta,
                       const gs_real *dy,
                       const gs_real *x,
                       const gs_real *mean,
                       const gs_real *rstd,
                       const gs_real *gamma,
                       int            B,
                       int            n)
{
  /* parameter gradients: column reductions, each thread owns columns */
  GS_PARALLEL ((size_t) B * n >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int c = 0; c < n; c++) {
                 double sg = 0, sb = 0;
                 for (int r = 0; r < B; r++)
                   {
                     size_t i = (size_t) r * n + c;
                     sg += dy[i] * (x[i] - mean[r]) * rstd[r];
                     sb += dy[i];
                   }
                 dgamma[c] = (gs_real) sg;
                 dbeta[c] = (gs_real) sb;
               });
  GS_PARALLEL ((size_t) B * n >= GS_PAR_MIN, "omp parallel for schedule(static)",
               for (int r = 0; r < B; r++) layernorm_backward_row (dx, dy, x, mean, rstd, gamma, n, r););
}

void
gs_customnorm_forward (gs_real *y, gs_real stats[2], const gs_real *x, size_t n)
{
  double        m = gs_sum (x, n) / n;
  double        ss = gs_sumsq (x, n) - n * m * m; /* sum of squared deviations */
  double        s = sqrt (MAX (ss, 0.0) / (n > 1 ? n - 1 : 1));
  const gs_real mr = (gs_real) m, inv = (gs_real) (1.0 / s);

  stats[0] = mr;
  stats[1] = (gs_real) s;
  GS_PARALLEL_SIMD (n >= GS_PAR_MIN, for (size_t i = 0; i < n; i++) y[i] = (x[i] - mr) * inv;);
}

void
gs_customnorm_backward (gs_real *dx, const gs_real *dy, const gs_real *y, const gs_real stats[2], size_t n)
{
  const double  mean_dy = gs_sum (dy, n) / n;
  const double  c = gs_dot (dy, y, n) / (n > 1 ? n - 1 : 1);
  const gs_real inv = 1 / stats[1], md = (gs_real) mean_dy, cr = (gs_real) c;

  GS_PARALLEL_SIMD (n >= GS_PAR_MIN, for (size_t i = 0; i < n; i++) dx[i] = (dy[i] - md - y[i] * cr) * inv;);
}

void
gs_gradnorm_signal (gs_real *g, size_t n)
{
  const double  m = gs_sum (g, n) / n;
  const double  var = MAX (gs_sumsq (g, n) / n - m * m, 0.0);
  const gs_real mr = (gs_real) m, inv = (gs_real) (1.0 / (sqrt (var) + GS_GRADNORM_EPS));

  GS_PARALLEL_SIMD (n >= GS_PAR_MIN, for (size_t i = 0; i < n; i++) g[i] = (g[i] - mr) * inv;);
}

/* Each class's exp once (libm's double exp was 1.7% of a batch-64 step
 * when taken twice); labels are bytes, so there are at most 256 classes. */
#define XENT_MAX_CLASSES 256

double
gs_softmax_xent (gs_real *dlogits, const gs_real *logits, const guint8 *labels, int B, int k, int *correct)
{
  double loss = 0;
  int    hits = 0;

  g_assert (k <= XENT_MAX_CLASSES);
  for (int r = 0; r < B; r++)
    {
      const gs_real *z = logits + (size_t) r * k;
      gs_real       *d = dlogits ? dlogits + (size_t) r * k : NULL;
      gs_real        zmax = z[0];
      int            arg = 0;
      double         sum = 0, e[XENT_MAX_CLASSES];

      for (int j = 1; j < k; j++)
        if (z[j] > zmax)
          zmax = z[j], arg = j;
      for (int j = 0; j < k; j++)
        {
          e[j] = exp ((double) (z[j] - zmax));
          sum += e[j];
        }
      loss += log (sum) - (z[labels[r]] - zmax);
      hits += arg == labels[r];
      if (d)
        for (int j = 0; j < k; j++)
          d[j] = (gs_real) ((e[j] / sum - (j == labels[r])) / B);
    }
  if (correct)
    *correct = hits;
  return loss;
}
