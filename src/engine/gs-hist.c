/* gs-hist.c: building histograms (range, binning, mean and std) and reading
 * quantiles back. */
#define G_LOG_DOMAIN "gs-hist"

#include "gs-hist.h"
#include "gs-simd.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* min, max, sum, sum of squares and count of the finite values, in L
 * lanes of explicit vectors (NaN fails every comparison and is left out;
 * the sums add +0 in its place). */
typedef float  V8f __attribute__ ((vector_size (32)));
typedef gint32 V8i __attribute__ ((vector_size (32)));
typedef double V8d __attribute__ ((vector_size (64)));
typedef gint64 V8l __attribute__ ((vector_size (64)));
#define SELECT(mask, a, b) ((V8f) (((mask) & (V8i) (a)) | (~(mask) & (V8i) (b))))

GS_SPAN static void
finite_stats (const float *v, gsize n, float *lo, float *hi, double *sum, double *sum2, gsize *count)
{
  enum
  {
    L = 8
  };
  const V8f inf = { INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY };
  V8f       mn = inf, mx = -inf;
  V8d       s = { 0 }, s2 = { 0 }, c = { 0 };
  gsize     i = 0;

  for (; i + L <= n; i += L)
    {
      V8f x;
      memcpy (&x, v + i, sizeof x);
      const V8i ok = (V8f) ((V8i) x & 0x7fffffff) <= FLT_MAX;
      const V8d xd = __builtin_convertvector(x, V8d);
      const V8l okd = __builtin_convertvector(ok, V8l);
      mn = SELECT (ok & (x < mn), x, mn);
      mx = SELECT (ok & (x > mx), x, mx);
      s += (V8d) ((V8l) xd & okd);
      s2 += (V8d) ((V8l) (xd * xd) & okd);
      c -= __builtin_convertvector(ok, V8d);
    }
  *lo = INFINITY, *hi = -INFINITY, *sum = *sum2 = 0, *count = 0;
  for (; i < n; i++)
    if (isfinite (v[i]))
      {
        *lo = MIN (*lo, v[i]), *hi = MAX (*hi, v[i]);
        *sum += v[i], *sum2 += (double) v[i] * v[i], (*count)++;
      }
  for (int l = 0; l < L; l++)
    {
      *lo = MIN (*lo, mn[l]), *hi = MAX (*hi, mx[l]);
      *sum += s[l], *sum2 += s2[l], *count += (gsize) c[l];
    }
}

/* x = (value - lo) * scale falls in bin floor (x), the edges taking the
 * values just past them (rounding); NaN and Inf count nowhere. Without
 * branches: the bin index is computed for every value. */
#define BIN(c, value)                                                     \
  {                                                                       \
    const float x_ = ((value) -lo) * scale;                               \
    const float pos_ = x_ > 0 ? x_ : 0;                                   \
    const float bin_ = pos_ < GS_HIST_BINS - 1 ? pos_ : GS_HIST_BINS - 1; \
    (c)[(int) bin_] += fabsf (x_) <= FLT_MAX;                             \
  }

/* Four partial histograms, so that runs of values in the same bin do not
 * wait on each other's increments. */
GS_SPAN static void
count_bins (guint32 *counts, const float *v, gsize n, float lo, float scale)
{
  enum
  {
    L = 4
  };
  guint32 c[L][GS_HIST_BINS] = { { 0 } };
  gsize   i = 0;

  for (; i + L <= n; i += L)
    for (int l = 0; l < L; l++)
      BIN (c[l], v[i + l]);
  for (; i < n; i++)
    BIN (c[0], v[i]);
  for (int k = 0; k < GS_HIST_BINS; k++)
    counts[k] = c[0][k] + c[1][k] + c[2][k] + c[3][k];
}

void
gs_hist_build (GsHist *h, const float *values, gsize n, gboolean symmetric)
{
  float  lo, hi;
  double sum, sum2;
  gsize  finite;

  memset (h, 0, sizeof *h);
  finite_stats (values, n, &lo, &hi, &sum, &sum2, &finite);
  if (finite == 0)
    {
      h->lo = h->hi = h->mean = h->std = NAN;
      return;
    }
  if (symmetric)
    {
      float m = MAX (fabsf (lo), fabsf (hi));
      lo = -m;
      hi = m;
    }
  if (hi <= lo)
    {
      lo -= 0.5f;
      hi += 0.5f;
    }
  h->lo = lo;
  h->hi = hi;
  h->mean = (float) (sum / finite);
  h->std = (float) sqrt (MAX (sum2 / finite - (sum / finite) * (sum / finite), 0.0));
  count_bins (h->counts, values, n, lo, GS_HIST_BINS / (hi - lo));
}

double
gs_hist_quantile (const GsHist *h, double q)
{
  guint64 total = 0, below = 0;

  for (int i = 0; i < GS_HIST_BINS; i++)
    total += h->counts[i];
  if (total == 0 || !isfinite (h->lo) || !isfinite (h->hi))
    return NAN;
  const double target = CLAMP (q, 0, 1) * total, width = (h->hi - h->lo) / GS_HIST_BINS;
  for (int i = 0; i < GS_HIST_BINS; i++)
    {
      if (h->counts[i] > 0 && below + h->counts[i] >= target)
        return h->lo + width * (i + (target - below) / h->counts[i]);
      below += h->counts[i];
    }
  return h->hi;
}
