/* gs-hist.h: fixed-bin histograms of float values, as the record keeps them
 * for weights, gradients, activations and signals. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GS_HIST_BINS 64

/* Bins split [lo, hi] evenly; values outside go to the end bins. mean and
 * std are those of the finite values. */
typedef struct
{
  float   lo, hi;
  float   mean, std;
  guint32 counts[GS_HIST_BINS];
} GsHist;

/* Build a histogram of n values into h (lo/hi from the data, symmetric
 * around zero when symmetric is TRUE). NaN and Inf count in no bin; with
 * no finite value, lo, hi, mean and std are NaN. */
void gs_hist_build (GsHist *h, const float *values, gsize n, gboolean symmetric);

/* The q-quantile (0..1) of the values a histogram holds, interpolated
 * linearly inside a bin: exact only to within a bin, (hi - lo) / 64. NaN for
 * an empty histogram. */
double gs_hist_quantile (const GsHist *h, double q);

G_END_DECLS
