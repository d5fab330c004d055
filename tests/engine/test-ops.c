/* test-ops.c: the float kernels' numerics (the double build's gradient
 * checks cover their calculus) and the initialisations. */
#include <math.h>
#include "gs-omp.h"
#include <string.h>

#include "gs-gemm.h"
#include "gs-net.h"

/* The vectorised exp inside sigmoid/ELU stays within a few ulp of libm. */
static void
test_exp_accuracy (void)
{
  enum
  {
    N = 200001
  };
  gs_real *y = g_new (gs_real, N), *a = g_new (gs_real, N);
  double   worst = 0;

  for (int i = 0; i < N; i++)
    y[i] = -30.0f + 60.0f * i / (N - 1);
  gs_act_forward (a, y, N, GS_ACT_SIGMOID, NULL);
  for (int i = 0; i < N; i++)
    {
      double ref = 1 / (1 + exp (-(double) y[i]));
      worst = MAX (worst, fabs (a[i] - ref) / ref);
    }
  g_assert_cmpfloat (worst, <, 4 * FLT_EPSILON);
  gs_act_forward (a, y, N, GS_ACT_ELU, NULL);
  for (int i = 0; i < N; i++)
    if (y[i] < 0)
      g_assert_cmpfloat (fabs (a[i] - expm1 (y[i])), <, 4 * FLT_EPSILON);
  g_free (y);
  g_free (a);
}

/* NaN goes in, NaN comes out: divergence must not be hidden by an
 * activation. */
static void
test_nan_propagates (void)
{
  for (int f = 0; f < GS_N_ACTIVATIONS; f++)
    {
      gs_real y = NAN, a = 0;
      gs_act_forward (&a, &y, 1, (GsActivation) f, NULL);
      if (f != GS_ACT_RELU && f != GS_ACT_LEAKY_RELU && f != GS_ACT_ELU)
        g_assert_true (isnan (a));
    }
}

static double
saturated (const gs_real *y, GsActivation f)
{
  gs_real a[7];
  double  stats[3], mean, std, sat;

  gs_act_forward (a, y, 7, f, stats);
  gs_act_stats_finish (stats, 7, &mean, &std, &sat);
  return sat * 7;
}

static void
test_saturation (void)
{
  gs_real y[] = { -10, -4, -1, 0, 1, 4, 10 }, a[7];
  double  stats[3], mean, std, sat;

  g_assert_cmpfloat (saturated (y, GS_ACT_SIGMOID), ==, 2); /* |y| = 10 */
  g_assert_cmpfloat (saturated (y, GS_ACT_TANH), ==, 4);    /* |y| >= 4 */
  g_assert_cmpfloat (saturated (y, GS_ACT_RELU), ==, 4);    /* y <= 0 */
  g_assert_cmpfloat (saturated (y, GS_ACT_IDENTITY), ==, 0);
  gs_act_forward (a, y, 7, GS_ACT_IDENTITY, stats);
  gs_act_stats_finish (stats, 7, &mean, &std, &sat);
  g_assert_cmpfloat (fabs (mean), <, 1e-12);
  g_assert_cmpfloat (fabs (std - sqrt ((2 * 100 + 2 * 16 + 2) / 7.0)), <, 1e-9);
}

/* gs_linear_act_forward on 1 and 2 threads gives the same bits, and
 * equals its steps apart: z within float rounding of X W^T + b in double,
 * and a = gs_act_forward (z), the same bits (the sums within rounding:
 * other chunks).
 * 137 rows of width 130 make three blocks of two 31-row chunks, the last
 * ragged; of width 520 from 600 (312 000 weights), two blocks of ten
 * 7-row chunks, the last ragged. */
static void
check_linear_act (int B, int K, int N)
{
  gs_real *x = g_new (gs_real, B * K), *w = g_new (gs_real, N * K), *wt = g_new (gs_real, N * K),
          *b = g_new (gs_real, N);
  gs_real *z[2], *a[2], *zr = g_new (gs_real, B * N), *ar = g_new (gs_real, B * N);
  GsRng    rng;

  gs_rng_init (&rng, 4);
  for (int i = 0; i < B * K; i++)
    x[i] = (gs_real) gs_rng_normal (&rng);
  for (int i = 0; i < N * K; i++)
    w[i] = (gs_real) gs_rng_normal (&rng) * (gs_real) 0.2;
  for (int i = 0; i < N; i++)
    b[i] = (gs_real) gs_rng_normal (&rng);
  for (int t = 0; t < 2; t++)
    z[t] = g_new (gs_real, B * N), a[t] = g_new (gs_real, B * N);
  for (int r = 0; r < B; r++) /* in double, bias included */
    for (int c = 0; c < N; c++)
      {
        double sum = b[c];
        for (int k = 0; k < K; k++)
          sum += (double) x[r * K + k] * w[c * K + k];
        zr[r * N + c] = (gs_real) sum;
      }
  for (int f = 0; f < GS_N_ACTIVATIONS; f++)
    {
      double s[2][3], sr[3];
      for (int t = 0; t < 2; t++)
        {
          omp_set_num_threads (t + 1);
          gs_linear_act_forward (z[t], a[t], x, w, b, wt, B, K, N, (GsActivation) f, s[t]);
        }
      g_assert_cmpmem (z[0], B * N * sizeof (gs_real), z[1], B * N * sizeof (gs_real));
      g_assert_cmpmem (a[0], B * N * sizeof (gs_real), a[1], B * N * sizeof (gs_real));
      g_assert_cmpmem (s[0], sizeof s[0], s[1], sizeof s[1]);
      for (int r = 0; r < B; r++)
        for (int c = 0; c < N; c++)
          g_assert_cmpfloat (fabs (z[0][r * N + c] - zr[r * N + c]), <=, 1e-5 * (1 + fabs (zr[r * N + c])));
      gs_act_forward (ar, z[0], B * N, (GsActivation) f, sr);
      g_assert_cmpmem (a[0], B * N * sizeof (gs_real), ar, B * N * sizeof (gs_real));
      for (int k = 0; k < 3; k++)
        g_assert_cmpfloat (fabs (s[0][k] - sr[k]), <=, 1e-9 * MAX (1, fabs (sr[k])));
    }
  for (int t = 0; t < 2; t++)
    g_free (z[t]), g_free (a[t]);
  g_free (x), g_free (w), g_free (wt), g_free (b), g_free (zr), g_free (ar);
}

/* Ragged blocks of 32 rows; and a W of more than 2^18 weights, whose rows
 * go in two blocks (gs-ops.c, WIDE_WEIGHTS). */
static void
test_linear_act (void)
{
  check_linear_act (137, 50, 130);
  check_linear_act (137, 600, 520);
}

/* Reductions give the same bits for any thread count and match a double
 * sum closely. */
/* Every byte converts to exactly b / 255, whichever rows are gathered. */
static void
test_bytes_exact (void)
{
  guint8        img[2][256];
  const guint32 idx[3] = { 1, 0, 1 };
  gs_real       x[3 * 256];

  for (int b = 0; b < 256; b++)
    img[0][b] = (guint8) b, img[1][b] = (guint8) (255 - b);
  gs_gather_rows_to_unit (x, &img[0][0], idx, 3, 256);
  for (int r = 0; r < 3; r++)
    for (int b = 0; b < 256; b++)
      g_assert_true (x[r * 256 + b] == (gs_real) img[idx[r]][b] / 255);
}

static void
test_reductions (void)
{
  enum
  {
    N = 1000003
  };
  gs_real *x = g_new (gs_real, N);
  GsRng    rng;
  double   ref = 0, s1, s2;

  gs_rng_init (&rng, 1);
  for (int i = 0; i < N; i++)
    x[i] = (gs_real) gs_rng_normal (&rng), ref += x[i];
  omp_set_num_threads (1);
  s1 = gs_sum (x, N);
  omp_set_num_threads (2);
  s2 = gs_sum (x, N);
  g_assert_cmpmem (&s1, sizeof s1, &s2, sizeof s2);
  g_assert_cmpfloat (fabs (s1 - ref), <, 1e-6 * N);
  g_assert_cmpfloat (fabs (gs_sumsq (x, N) - gs_dot (x, x, N)), <, 1e-9 * N);
  x[N / 2] = INFINITY;
  g_assert_false (gs_all_finite (x, N));
  g_free (x);
}

static GThread *main_thread;

typedef struct
{
  const int     *shape; /* ta, tb, M, N, K, beta */
  const gs_real *a, *b;
  gs_real       *c;
} GemmCall;

/* One GEMM on 1 thread, or on 2 when called as a new thread's function. */
static gpointer
gemm_call (gpointer data)
{
  GemmCall  *g = data;
  const int *s = g->shape;

  omp_set_num_threads (g_thread_self () == main_thread ? 1 : 2);
  gs_gemm (s[0], s[1], s[2], s[3], s[4], 1, g->a, s[0] ? s[2] : s[4], g->b, s[1] ? s[4] : s[3], s[5], g->c,
           s[3]);
  return NULL;
}

/* The GEMM of every kind training calls (forward, dW, dX with beta 0 and
 * 1), small (one tile) and large (two tiles), and a long reduction (a
 * dW over many rows): the same bits on 1 and 2
 * threads (the second in a thread of its own), twice in a row on the
 * first thread (primitives reused), and within float rounding of
 * a double reference. */
/* Every shape of the nets' weights and a few edges: whole 8 x 8 blocks,
 * ragged rows and columns, a single row or column; on two threads too. */
static void
test_transpose (void)
{
  const int shapes[][2]
      = { { 128, 784 }, { 128, 128 }, { 10, 128 }, { 13, 21 }, { 1, 9 }, { 9, 1 }, { 300, 200 } };
  const int saved = omp_get_max_threads ();

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (int threads = 1; threads <= 2; threads++)
      {
        const int rows = shapes[s][0], cols = shapes[s][1];
        gs_real  *src = g_new (gs_real, (size_t) rows * cols), *dst = g_new0 (gs_real, (size_t) rows * cols);

        for (int i = 0; i < rows * cols; i++)
          src[i] = (gs_real) i + (gs_real) 0.5;
        omp_set_num_threads (threads);
        gs_transpose (dst, src, rows, cols);
        for (int r = 0; r < rows; r++)
          for (int c = 0; c < cols; c++)
            if (dst[(size_t) c * rows + r] != src[(size_t) r * cols + c])
              g_error ("transpose %d x %d: (%d, %d) is %g, not %g", rows, cols, r, c,
                       (double) dst[(size_t) c * rows + r], (double) src[(size_t) r * cols + c]);
        g_free (src);
        g_free (dst);
      }
  omp_set_num_threads (saved);
}

/* libxsmm's initialisation puts OMP_PROC_BIND=TRUE into the environment;
 * the engine has it run before main () and puts the variable back, so a
 * GEMM leaves the environment as it was (a putenv () inside a training
 * thread raced the window's getenv ()). Meaningful in the libxsmm build. */
static void
test_gemm_environment (void)
{
  g_autofree char *before = g_strdup (g_getenv ("OMP_PROC_BIND"));
  gs_real          a[32 * 48], b[48 * 40], c[32 * 40];

  for (int i = 0; i < 32 * 48; i++)
    a[i] = (gs_real) (i % 7);
  for (int i = 0; i < 48 * 40; i++)
    b[i] = (gs_real) (i % 5);
  gs_gemm (FALSE, FALSE, 32, 40, 48, 1, a, 48, b, 40, 0, c, 40);
  gs_gemm_tile (32, 40, 48, a, 48, b, 40, c, 40);
  g_assert_cmpstr (g_getenv ("OMP_PROC_BIND"), ==, before);
}

static void
test_gemm (void)
{
  const int shapes[][6] = {
    /* ta, tb, M, N, K, beta */
    { 0, 1, 512, 128, 784, 0 },
    { 1, 0, 128, 784, 512, 0 },
    { 0, 0, 512, 128, 128, 1 },
    { 0, 1, 37, 10, 128, 1 },
    { 1, 0, 10, 128, 240, 0 },
    { 0, 0, 240, 784, 128, 0 },
    /* a long reduction: oneDNN's own threading splits K and gives other
     * bits on two threads (measured), so one tile must stay one thread */
    { 1, 0, 16, 16, 65536, 0 },
  };
  GsRng rng;

  gs_rng_init (&rng, 3);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      const int ta = shapes[s][0], tb = shapes[s][1], M = shapes[s][2], N = shapes[s][3], K = shapes[s][4];
      const int lda = ta ? M : K, ldb = tb ? K : N;
      gs_real  *a = g_new (gs_real, (size_t) M * K), *b = g_new (gs_real, (size_t) K * N);
      gs_real  *c0 = g_new (gs_real, (size_t) M * N), *c[3];

      for (int i = 0; i < M * K; i++)
        a[i] = (gs_real) gs_rng_normal (&rng);
      for (int i = 0; i < K * N; i++)
        b[i] = (gs_real) gs_rng_normal (&rng);
      for (int i = 0; i < M * N; i++)
        c0[i] = (gs_real) gs_rng_normal (&rng);
      for (int r = 0; r < 3; r++)
        {
          GemmCall call = { shapes[s], a, b, c[r] = g_memdup2 (c0, (size_t) M * N * sizeof (gs_real)) };
          /* two threads in a thread of their own: its primitives are
           * created for two threads, as a trainer's would be */
          if (r == 1)
            g_thread_join (g_thread_new ("gemm", gemm_call, &call));
          else
            gemm_call (&call);
        }
      g_assert_cmpmem (c[0], M * N * sizeof (gs_real), c[1], M * N * sizeof (gs_real));
      g_assert_cmpmem (c[0], M * N * sizeof (gs_real), c[2], M * N * sizeof (gs_real));
      for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
          {
            double ref = shapes[s][5] * (double) c0[i * N + j];
            for (int k = 0; k < K; k++)
              ref += (double) a[ta ? k * lda + i : i * lda + k] * b[tb ? j * ldb + k : k * ldb + j];
            g_assert_cmpfloat (fabs (c[0][i * N + j] - ref), <=, 2e-6 * K);
          }
      for (int r = 0; r < 3; r++)
        g_free (c[r]);
      g_free (a), g_free (b), g_free (c0);
    }
}

static void
test_xent (void)
{
  gs_real z[] = { 0, 0, 0, 0, 10, 0, 0, 0 }, d[8];
  guint8  labels[] = { 2, 0 };
  int     correct;
  double  loss = gs_softmax_xent (d, z, labels, 2, 4, &correct);

  g_assert_cmpfloat (fabs (loss - (log (4) + log (1 + 3 * exp (-10)))), <, 1e-6);
  g_assert_cmpint (correct, ==, 1); /* first row: argmax 0, label 2 */
  g_assert_cmpfloat (fabs (d[2] - (0.25 - 1) / 2), <, 1e-7);
}

/* Orthogonal init: W W^T = I (rows, n_out <= n_in) or W^T W = I (columns). */
static void
check_orthonormal (const gs_real *w, int n_out, int n_in)
{
  const gboolean rows = n_out <= n_in;
  const int      nv = rows ? n_out : n_in, len = rows ? n_in : n_out;

  for (int p = 0; p < nv; p++)
    for (int q = 0; q < nv; q++)
      {
        double d = 0;
        for (int t = 0; t < len; t++)
          d += rows ? (double) w[p * n_in + t] * w[q * n_in + t] : (double) w[t * n_in + p] * w[t * n_in + q];
        g_assert_cmpfloat (fabs (d - (p == q)), <, 1e-5);
      }
}

static void
test_orthogonal (void)
{
  GsConfig c;
  GsNet   *net;
  GsRng    rng;

  gs_config_init_defaults (&c);
  c.init = GS_INIT_ORTHOGONAL;
  c.depth = 2;
  c.width = 100;
  net = gs_net_new (&c, 20, 4, 8); /* 100x20 (columns), 100x100, 4x100 (rows) */
  gs_rng_init (&rng, 3);
  gs_net_init (net, &rng);
  for (int l = 0; l < net->n_layers; l++)
    check_orthonormal (net->layers[l].w, net->layers[l].n_out, net->layers[l].n_in);
  gs_net_free (net);
}

/* Each scheme's spread against its formula (fan_in 784, fan_out 128). */
static void
test_init_spread (void)
{
  static const struct
  {
    GsInit init;
    double std;
  } cases[] = {
    { GS_INIT_DEFAULT, 0.020619652 }, /* U(+-1/sqrt(784)): 1/sqrt(784)/sqrt(3) */
    { GS_INIT_NORMAL, 0.05 },
    { GS_INIT_XAVIER_UNIFORM, 0.046829291 }, /* sqrt(2 / (784 + 128)) */
    { GS_INIT_XAVIER_NORMAL, 0.046829291 },
    { GS_INIT_HE_UNIFORM, 0.050507627 }, /* sqrt(2 / 784) */
    { GS_INIT_HE_NORMAL, 0.050507627 },
    { GS_INIT_LECUN, 0.035714286 },      /* sqrt(1 / 784) */
    { GS_INIT_ORTHOGONAL, 0.035714286 }, /* orthonormal rows of length 784 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GsConfig c;
      GsNet   *net;
      GsRng    rng;
      double   sq = 0, std;
      gs_config_init_defaults (&c);
      c.init = cases[i].init;
      c.depth = 1;
      net = gs_net_new (&c, 784, 10, 8);
      gs_rng_init (&rng, 5);
      gs_net_init (net, &rng);
      for (size_t k = 0; k < net->layers[0].n_weights; k++)
        sq += (double) net->layers[0].w[k] * net->layers[0].w[k];
      std = sqrt (sq / net->layers[0].n_weights);
      if (fabs (std / cases[i].std - 1) > 0.01)
        g_error ("%s: std %.5f, expected %.5f", gs_init_name (cases[i].init), std, cases[i].std);
      gs_net_free (net);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();
  g_test_add_func ("/ops/exp-accuracy", test_exp_accuracy);
  g_test_add_func ("/ops/nan-propagates", test_nan_propagates);
  g_test_add_func ("/ops/saturation", test_saturation);
  g_test_add_func ("/ops/linear-act", test_linear_act);
  g_test_add_func ("/ops/bytes-exact", test_bytes_exact);
  g_test_add_func ("/ops/reductions", test_reductions);
  g_test_add_func ("/ops/transpose", test_transpose);
  g_test_add_func ("/ops/gemm", test_gemm);
  g_test_add_func ("/ops/gemm-environment", test_gemm_environment);
  g_test_add_func ("/ops/xent", test_xent);
  g_test_add_func ("/net/orthogonal", test_orthogonal);
  g_test_add_func ("/net/init-spread", test_init_spread);
  return g_test_run ();
}
