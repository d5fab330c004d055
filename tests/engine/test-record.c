/* test-record.c: bounded step series, snapshots, histograms. */
#include <math.h>
#include <string.h>

#include "gs-record.h"

static GsRecord *
new_record (guint n_layers, guint steps_per_epoch)
{
  GsConfig c;

  gs_config_init_defaults (&c);
  c.depth = (int) n_layers - 1;
  return gs_record_new (&c, n_layers, steps_per_epoch, "test");
}

static void
append (GsRecord *r, guint n_layers, float value)
{
  float p[4 * GS_N_PROBES];

  for (guint i = 0; i < n_layers * GS_N_PROBES; i++)
    p[i] = value + (float) i;
  gs_record_append_step (r, p, value, value / 2);
}

/* Past GS_RECORD_MAX_COLUMNS steps, columns merge: the stride doubles, the
 * column count stays bounded and every column is the mean of its steps. */
static void
test_decimation (void)
{
  g_autoptr (GsRecord) r = new_record (2, 100);
  const guint  n = 3 * GS_RECORD_MAX_COLUMNS + 5;
  const float *s;

  for (guint i = 0; i < n; i++)
    append (r, 2, (float) i);
  g_assert_cmpuint (gs_record_n_steps (r), ==, n);
  g_assert_cmpuint (gs_record_stride (r), ==, 4);
  g_assert_cmpuint (gs_record_n_columns (r), ==, (n + 3) / 4);
  g_assert_cmpuint (gs_record_n_columns (r), <=, GS_RECORD_MAX_COLUMNS);
  s = gs_record_loss_series (r);
  for (guint c = 0; c + 1 < gs_record_n_columns (r); c++)
    g_assert_cmpfloat (s[c], ==, 4 * c + 1.5f); /* mean of 4c .. 4c+3 */
  /* the open last column holds steps n-1 (one step): its mean */
  g_assert_cmpfloat (s[gs_record_n_columns (r) - 1], ==, (float) (n - 1));
  s = gs_record_series (r, GS_PROBE_ACT_STD, 1);
  g_assert_cmpfloat (s[0], ==, 1.5f + GS_N_PROBES + GS_PROBE_ACT_STD);
  g_assert_cmpfloat (gs_record_last_probes (r, 0)[0], ==, (float) (n - 1));
}

static void
test_nan_wins (void)
{
  g_autoptr (GsRecord) r = new_record (1, 10);

  for (guint i = 0; i < GS_RECORD_MAX_COLUMNS + 2; i++)
    append (r, 1, i == 7 ? NAN : 1.0f);
  g_assert_cmpuint (gs_record_stride (r), ==, 2);
  g_assert_true (isnan (gs_record_loss_series (r)[3])); /* steps 6, 7 */
  g_assert_cmpfloat (gs_record_loss_series (r)[2], ==, 1.0f);
}

static void
test_first_epoch (void)
{
  g_autoptr (GsRecord) r = new_record (1, 4);

  for (guint i = 0; i < 10; i++)
    append (r, 1, (float) i);
  g_assert_cmpfloat (gs_record_first_step_probe (r, GS_PROBE_GRAD_NORM, 0), ==, 0);
  g_assert_cmpfloat (gs_record_first_epoch_probe (r, GS_PROBE_GRAD_NORM, 0), ==, 1.5f);
}

/* A snapshot is a consistent, independent copy. */
static void
test_snapshot (void)
{
  g_autoptr (GsRecord) r = new_record (3, 10);
  g_autoptr (GsRecord) s = NULL;
  GsEpochStats e = { .epoch = 1, .train_loss = 2.0 };
  GsHist       h[3 * GS_N_HIST_KINDS] = { 0 };

  for (guint i = 0; i < 5; i++)
    append (r, 3, (float) i);
  gs_record_add_epoch (r, &e);
  h[GS_N_HIST_KINDS + GS_HIST_GRAD].counts[5] = 42;
  gs_record_add_checkpoint (r, 3, h);
  s = gs_record_snapshot (r);
  for (guint i = 0; i < 500; i++)
    append (r, 3, 100.0f);
  g_assert_cmpuint (gs_record_n_steps (s), ==, 5);
  g_assert_cmpuint (gs_record_n_columns (s), ==, 5);
  g_assert_cmpfloat (gs_record_loss_series (s)[4], ==, 4.0f);
  g_assert_cmpuint (gs_record_n_epochs (s), ==, 1);
  g_assert_cmpuint (gs_record_hist (s, 0, GS_HIST_GRAD, 1)->counts[5], ==, 42);
  g_assert_cmpuint (gs_record_checkpoint_step (s, 0), ==, 3);
}

/* Readers snapshot while a writer appends: every snapshot is a prefix. */
static gpointer
writer (gpointer data)
{
  for (guint i = 0; i < 3 * GS_RECORD_MAX_COLUMNS; i++)
    append (data, 2, 1.0f);
  return NULL;
}

static void
test_concurrent (void)
{
  g_autoptr (GsRecord) r = new_record (2, 10);
  GThread *t = g_thread_new ("writer", writer, r);

  for (int i = 0; i < 200; i++)
    {
      g_autoptr (GsRecord) s = gs_record_snapshot (r);
      const float *l = gs_record_loss_series (s);
      for (guint c = 0; c < gs_record_n_columns (s); c++)
        g_assert_cmpfloat (l[c], ==, 1.0f);
    }
  g_thread_join (t);
}

static void
test_hist (void)
{
  float  v[] = { -1, -0.5f, 0, 0.25f, 1, NAN, INFINITY };
  GsHist h;
  guint  total = 0;

  gs_hist_build (&h, v, G_N_ELEMENTS (v), TRUE);
  g_assert_cmpfloat (h.lo, ==, -1);
  g_assert_cmpfloat (h.hi, ==, 1);
  for (int b = 0; b < GS_HIST_BINS; b++)
    total += h.counts[b];
  g_assert_cmpuint (total, ==, 5); /* non-finite values are left out */
  g_assert_cmpuint (h.counts[0], ==, 1);
  g_assert_cmpuint (h.counts[GS_HIST_BINS - 1], ==, 1);
  g_assert_cmpuint (h.counts[GS_HIST_BINS / 2], ==, 1);
  g_assert_cmpfloat (fabs (h.mean - (-0.25f / 5)), <, 1e-6);
  gs_hist_build (&h, v, 0, FALSE);
  g_assert_true (isnan (h.lo));
}

/* A long run of values with NaN and Inf among them, through the vector
 * paths: the same counts, range and mean as a plain loop gives. */
static void
test_hist_long (void)
{
  enum
  {
    N = 8 * 37 + 5
  };
  float   v[N];
  GsHist  h;
  guint32 expect[GS_HIST_BINS] = { 0 };
  float   lo = INFINITY, hi = -INFINITY, scale;
  double  sum = 0;
  guint   finite = 0;

  for (int i = 0; i < N; i++)
    v[i] = i % 11 == 3   ? NAN
           : i % 13 == 5 ? -INFINITY
           : i % 17 == 2 ? INFINITY
                         : (float) sin (i * 0.37) * (1 + i % 5);
  for (int i = 0; i < N; i++)
    if (isfinite (v[i]))
      lo = MIN (lo, v[i]), hi = MAX (hi, v[i]), sum += v[i], finite++;
  scale = GS_HIST_BINS / (hi - lo);
  for (int i = 0; i < N; i++)
    if (isfinite (v[i]))
      expect[MIN ((int) ((v[i] - lo) * scale), GS_HIST_BINS - 1)]++;
  gs_hist_build (&h, v, N, FALSE);
  g_assert_cmpfloat (h.lo, ==, lo);
  g_assert_cmpfloat (h.hi, ==, hi);
  g_assert_cmpfloat (fabs (h.mean - sum / finite), <, 1e-5);
  for (int b = 0; b < GS_HIST_BINS; b++)
    g_assert_cmpuint (h.counts[b], ==, expect[b]);
}

/* Checkpoints are bounded: past the limit every other one goes, and the
 * kept ones stay evenly spaced from the first. */
static void
test_checkpoint_bound (void)
{
  g_autoptr (GsRecord) r = new_record (2, 10);
  const guint max = gs_record_max_checkpoints (2), n = 3 * max + 7;
  GsHist      h[2 * GS_N_HIST_KINDS] = { 0 };
  guint       gap;

  for (guint step = 1; step <= n; step++)
    {
      h[0].counts[0] = step; /* to tell them apart */
      gs_record_add_checkpoint (r, step, h);
    }
  g_assert_cmpuint (gs_record_n_checkpoints (r), <=, max);
  g_assert_cmpuint (gs_record_n_checkpoints (r), >=, max / 2);
  g_assert_cmpuint (gs_record_checkpoint_step (r, 0), ==, 1);
  gap = gs_record_checkpoint_step (r, 1) - gs_record_checkpoint_step (r, 0);
  g_assert_cmpuint (gap, ==, 4);
  for (guint c = 0; c < gs_record_n_checkpoints (r); c++)
    {
      g_assert_cmpuint (gs_record_checkpoint_step (r, c), ==, 1 + c * gap);
      g_assert_cmpuint (gs_record_hist (r, c, GS_HIST_WEIGHT, 0)->counts[0], ==, 1 + c * gap);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/record/decimation", test_decimation);
  g_test_add_func ("/record/nan-wins", test_nan_wins);
  g_test_add_func ("/record/first-epoch", test_first_epoch);
  g_test_add_func ("/record/snapshot", test_snapshot);
  g_test_add_func ("/record/concurrent", test_concurrent);
  g_test_add_func ("/record/hist", test_hist);
  g_test_add_func ("/record/hist-long", test_hist_long);
  g_test_add_func ("/record/checkpoint-bound", test_checkpoint_bound);
  return g_test_run ();
}
