/* test-gradcheck.c: central-difference gradient checks, in double precision
 * (the numeric core is built with GS_REAL_DOUBLE for this test).
 *
 * Bound: for every parameter (or input), |numeric - analytic| <=
 * TOL * max(|numeric| + |analytic|, FLOOR), with h = 1e-6, TOL = 1e-5 and
 * FLOOR = 1e-3 (so at least 1e-9 absolute). In double the central
 * difference's truncation error is ~h^2 = 1e-12 and its rounding error
 * ~1e-16 / h = 1e-10, so a correct
 * backward passes by orders of magnitude, while a wrong term (a missing
 * factor, a dropped path) fails by orders of magnitude. Each check also
 * requires the gradient not to be trivially zero (genann's guard). */
#include <math.h>
#include <string.h>

#include "gs-net.h"

#define H     1e-6
#define TOL   1e-5
#define FLOOR 1e-3

typedef struct
{
  double worst;   /* largest relative error seen */
  double largest; /* largest |analytic| seen */
  size_t checked;
} Check;

static void
compare (Check *c, double num, double ana, const char *what, size_t index)
{
  double rel = fabs (num - ana) / MAX (fabs (num) + fabs (ana), FLOOR);

  c->worst = MAX (c->worst, rel);
  c->largest = MAX (c->largest, fabs (ana));
  c->checked++;
  if (rel > TOL)
    g_error ("%s[%zu]: numeric %.10e, analytic %.10e, relative error %.2e > %.0e", what, index, num, ana, rel,
             TOL);
}

/* ---- whole network ---- */

typedef struct
{
  GsNet  *net;
  guint8  labels[8];
  gs_real x[8 * 6];
  int     B, depth_used, lowest;
} Case;

static double
net_loss (Case *k)
{
  memcpy (k->net->x, k->x, sizeof (gs_real) * k->B * k->net->n_in);
  gs_net_forward (k->net, k->B, k->depth_used, TRUE);
  return gs_net_loss (k->net, k->labels, k->B, NULL) / k->B;
}

/* f'(y) by a central difference of the activation itself. */
static double
act_slope (double y, GsActivation f)
{
  gs_real in[2] = { y + H, y - H }, out[2];

  gs_act_forward (out, in, 2, f, NULL);
  return (out[0] - out[1]) / (2 * H);
}

static void
compare_sum (double want, double got, const char *what, int layer)
{
  if (!(fabs (want - got) <= 1e-6 * MAX (want, 1e-12)))
    g_error ("layer %d: %s is %.10e, recomputed %.10e", layer, what, got, want);
}

/* The backward's probe sums (GsBackSum) against naive recomputations from
 * the tensors the backward leaves: dL/dh_i, y_i and W_i. Without
 * normalisation dz_i = f'(y_i) dL/dh_i, so every sum is checked; with it
 * the sums up to f' are. */
static void
check_back_sums (const GsNet *net, int B, int depth_used, int lowest)
{
  const int W = net->width;

  for (int i = lowest; i < depth_used; i++)
    {
      const double      *sq = net->signal_sq + (size_t) i * GS_N_BACK_SUMS;
      const gs_real     *dh = net->dh[i], *y = net->y[i];
      g_autofree double *dz = g_new0 (double, (size_t) B *W);
      double             sig = 0, dact = 0, wt = 0;

      for (size_t k = 0; k < (size_t) B * W; k++)
        {
          dz[k] = act_slope (y[k], net->config.activation) * dh[k];
          sig += (double) dh[k] * dh[k];
          dact += dz[k] * dz[k];
        }
      compare_sum (sig, sq[GS_BACK_SIGNAL], "sum (dL/dh)^2", i);
      if (net->config.gradnorm == GS_GRADNORM_SIGNAL)
        continue;
      compare_sum (sig, sq[GS_BACK_ACT_IN], "the signal into f'", i);
      compare_sum (dact, sq[GS_BACK_DACT], "sum (f' dL/dh)^2", i);
      if (net->config.norm != GS_NORM_NONE)
        continue;
      compare_sum (dact, sq[GS_BACK_DZ], "sum (dL/dz)^2", i);
      if (i == lowest)
        {
          g_assert_true (isnan (sq[GS_BACK_WT]));
          continue;
        }
      const GsLayerView *v = &net->layers[i];
      for (int b = 0; b < B; b++)
        for (int c = 0; c < v->n_in; c++)
          {
            double t = 0;
            for (int o = 0; o < v->n_out; o++)
              t += dz[(size_t) b * W + o] * v->w[(size_t) o * v->n_in + c];
            wt += t * t;
          }
      compare_sum (wt, sq[GS_BACK_WT], "sum (W^T dL/dz)^2", i);
    }
}

static void
check_network (const GsConfig *config, int depth_used, int lowest)
{
  Case             k = { 0 };
  GsRng            rng;
  gs_real         *ana;
  Check            c = { 0 };
  g_autofree char *name = gs_config_describe (config);

  gs_rng_init (&rng, 42);
  k.B = 8;
  k.depth_used = depth_used;
  k.lowest = lowest;
  k.net = gs_net_new (config, 6, 4, k.B);
  gs_net_init (k.net, &rng);
  for (size_t i = 0; i < k.net->n_params; i++) /* also move biases, gammas, betas off their init */
    k.net->params[i] += 0.1 * gs_rng_normal (&rng);
  for (int i = 0; i < k.B * 6; i++)
    k.x[i] = gs_rng_normal (&rng);
  for (int i = 0; i < k.B; i++)
    k.labels[i] = (guint8) gs_rng_below (&rng, 4);

  k.net->probes = TRUE;
  net_loss (&k);
  memset (k.net->grads, 0, k.net->n_params * sizeof (gs_real));
  gs_net_backward (k.net, k.B, depth_used, lowest);
  check_back_sums (k.net, k.B, depth_used, lowest);
  k.net->probes = FALSE;
  ana = g_memdup2 (k.net->grads, k.net->n_params * sizeof (gs_real));
  for (int l = 0; l < k.net->n_layers; l++)
    {
      const GsLayerView *v = &k.net->layers[l];
      gboolean           trained = l == k.net->depth || (l >= lowest && l < depth_used);
      if (!trained)
        continue;
      for (size_t i = v->offset; i < v->offset + v->count; i++)
        {
          gs_real keep = k.net->params[i];
          double  lp, lm;
          k.net->params[i] = keep + H;
          lp = net_loss (&k);
          k.net->params[i] = keep - H;
          lm = net_loss (&k);
          k.net->params[i] = keep;
          compare (&c, (lp - lm) / (2 * H), ana[i], name, i);
        }
    }
  g_assert_cmpfloat (c.largest, >, 1e-3);
  g_assert_cmpuint (c.checked, >, 50);
  if (g_test_verbose ())
    g_printerr ("%s: %zu parameters, worst relative error %.1e\n", name, c.checked, c.worst);
  g_free (ana);
  gs_net_free (k.net);
}

static void
small_config (GsConfig *c)
{
  gs_config_init_defaults (c);
  c->depth = 3;
  c->width = 5;
  c->init = GS_INIT_XAVIER_NORMAL;
}

static void
test_activations (void)
{
  for (int f = 0; f < GS_N_ACTIVATIONS; f++)
    {
      GsConfig c;
      small_config (&c);
      c.activation = (GsActivation) f;
      check_network (&c, c.depth, 0);
    }
}

static void
test_norms (void)
{
  for (int n = GS_NORM_BATCH; n < GS_N_NORMS; n++)
    for (int f = GS_ACT_SIGMOID; f <= GS_ACT_RELU; f++)
      {
        GsConfig c;
        small_config (&c);
        c.norm = (GsNorm) n;
        c.activation = (GsActivation) f;
        check_network (&c, c.depth, 0);
      }
}

static void
test_skips (void)
{
  GsConfig c;

  small_config (&c);
  c.depth = 7;
  c.skip = GS_SKIP_SEED;
  check_network (&c, 7, 0);
  c.depth = 6;
  c.skip = GS_SKIP_EVERY;
  c.skip_every = 2;
  check_network (&c, 6, 0);
  c.skip_every = 1;
  c.norm = GS_NORM_BATCH;
  check_network (&c, 6, 0);
}

/* Layer-wise stages: only part of the network in use, lower layers frozen. */
static void
test_partial (void)
{
  GsConfig c;

  small_config (&c);
  c.depth = 5;
  check_network (&c, 3, 1);
  check_network (&c, 5, 3);
  check_network (&c, 1, 0);
  c.depth = 1;
  check_network (&c, 1, 0);
}

/* ---- kernels alone: L = <r, f(x)> for a random r ---- */

static void
test_linear_alone (void)
{
  enum
  {
    B = 3,
    NI = 4,
    NO = 5
  };
  gs_real  x[B * NI], w[NO * NI], b[NO], r[B * NO], out[B * NO], wt[NI * NO];
  gs_real  dx[B * NI], dw[NO * NI], db[NO];
  GsRng    rng;
  Check    c = { 0 };
  gs_real *vars[] = { x, w, b };
  gs_real *grads[] = { dx, dw, db };
  size_t   sizes[] = { B * NI, NO * NI, NO };

  gs_rng_init (&rng, 7);
  for (int i = 0; i < B * NI; i++)
    x[i] = gs_rng_normal (&rng);
  for (int i = 0; i < NO * NI; i++)
    w[i] = gs_rng_normal (&rng);
  for (int i = 0; i < NO; i++)
    b[i] = gs_rng_normal (&rng);
  for (int i = 0; i < B * NO; i++)
    r[i] = gs_rng_normal (&rng);
  gs_linear_backward (dx, dw, db, r, x, w, B, NI, NO, 0);
  for (int v = 0; v < 3; v++)
    for (size_t i = 0; i < sizes[v]; i++)
      {
        gs_real keep = vars[v][i];
        double  lp, lm;
        vars[v][i] = keep + H;
        gs_linear_forward (out, x, w, b, wt, B, NI, NO);
        lp = gs_dot (r, out, B * NO);
        vars[v][i] = keep - H;
        gs_linear_forward (out, x, w, b, wt, B, NI, NO);
        lm = gs_dot (r, out, B * NO);
        vars[v][i] = keep;
        compare (&c, (lp - lm) / (2 * H), grads[v][i], "linear", i);
      }
  g_assert_cmpfloat (c.largest, >, 1e-2);
}

static void
test_activation_alone (void)
{
  enum
  {
    N = 64
  };
  gs_real y[N], a[N], dy[N], one[N];
  GsRng   rng;

  gs_rng_init (&rng, 3);
  for (int i = 0; i < N; i++)
    y[i] = 3 * gs_rng_normal (&rng), one[i] = 1;
  for (int f = 0; f < GS_N_ACTIVATIONS; f++)
    {
      Check c = { 0 };
      gs_act_forward (a, y, N, (GsActivation) f, NULL);
      gs_act_backward (dy, one, y, a, N, (GsActivation) f, NULL);
      for (int i = 0; i < N; i++)
        {
          gs_real p = y[i] + H, m = y[i] - H, ap, am;
          gs_act_forward (&ap, &p, 1, (GsActivation) f, NULL);
          gs_act_forward (&am, &m, 1, (GsActivation) f, NULL);
          compare (&c, (ap - am) / (2 * H), dy[i], gs_activation_name (f), i);
        }
      g_assert_cmpfloat (c.largest, >, 1e-2);
    }
}

typedef enum
{
  BN,
  LN,
  CN,
  BS /* batchstd: batch norm without parameters */
} NormKind;

static void
norm_forward (NormKind       kind,
              gs_real       *y,
              gs_real       *stat1,
              gs_real       *stat2,
              const gs_real *x,
              const gs_real *gamma,
              const gs_real *beta,
              int            B,
              int            n)
{
  if (kind == BN)
    gs_batchnorm_forward (y, stat1, stat2, NULL, NULL, x, gamma, beta, B, n);
  else if (kind == LN)
    gs_layernorm_forward (y, stat1, stat2, x, gamma, beta, B, n);
  else if (kind == BS)
    gs_batchstd_forward (y, stat1, stat2, x, B, n);
  else
    {
      gs_real s[2];
      gs_customnorm_forward (y, s, x, (size_t) B * n);
      stat1[0] = s[0], stat1[1] = s[1];
    }
}

static void
test_norm_alone (void)
{
  enum
  {
    B = 6,
    N = 4
  };
  static const char *const names[] = { "batchnorm", "layernorm", "customnorm", "batchstd" };

  for (int kind = BN; kind <= BS; kind++)
    {
      gs_real        x[B * N], y[B * N], r[B * N], dx[B * N], gamma[N], beta[N], dg[N], dbt[N];
      gs_real        s1[B * N], s2[B * N], t1[B * N], t2[B * N];
      GsRng          rng;
      Check          c = { 0 };
      gs_real       *vars[] = { x, gamma, beta };
      gs_real       *grads[] = { dx, dg, dbt };
      const gboolean affine = kind == BN || kind == LN;
      size_t         sizes[] = { B * N, affine ? N : 0, affine ? N : 0 };

      gs_rng_init (&rng, 11 + kind);
      for (int i = 0; i < B * N; i++)
        x[i] = gs_rng_normal (&rng) + i % 3, r[i] = gs_rng_normal (&rng);
      for (int i = 0; i < N; i++)
        gamma[i] = 1 + 0.5 * gs_rng_normal (&rng), beta[i] = gs_rng_normal (&rng);
      norm_forward (kind, y, s1, s2, x, gamma, beta, B, N);
      if (kind == BN)
        gs_batchnorm_backward (dx, dg, dbt, r, x, s1, s2, gamma, B, N);
      else if (kind == LN)
        gs_layernorm_backward (dx, dg, dbt, r, x, s1, s2, gamma, B, N);
      else if (kind == BS)
        gs_batchstd_backward (dx, r, x, s1, s2, B, N);
      else
        gs_customnorm_backward (dx, r, y, s1, B * N);
      for (int v = 0; v < 3; v++)
        for (size_t i = 0; i < sizes[v]; i++)
          {
            gs_real keep = vars[v][i];
            double  lp, lm;
            vars[v][i] = keep + H;
            norm_forward (kind, y, t1, t2, x, gamma, beta, B, N);
            lp = gs_dot (r, y, B * N);
            vars[v][i] = keep - H;
            norm_forward (kind, y, t1, t2, x, gamma, beta, B, N);
            lm = gs_dot (r, y, B * N);
            vars[v][i] = keep;
            compare (&c, (lp - lm) / (2 * H), grads[v][i], names[kind], i);
          }
      g_assert_cmpfloat (c.largest, >, 1e-2);
    }
}

static void
test_loss_alone (void)
{
  enum
  {
    B = 5,
    K = 4
  };
  gs_real z[B * K], dz[B * K];
  guint8  labels[B] = { 0, 3, 1, 1, 2 };
  GsRng   rng;
  Check   c = { 0 };

  gs_rng_init (&rng, 5);
  for (int i = 0; i < B * K; i++)
    z[i] = 2 * gs_rng_normal (&rng);
  gs_softmax_xent (dz, z, labels, B, K, NULL);
  for (int i = 0; i < B * K; i++)
    {
      gs_real keep = z[i];
      double  lp, lm;
      z[i] = keep + H;
      lp = gs_softmax_xent (NULL, z, labels, B, K, NULL) / B;
      z[i] = keep - H;
      lm = gs_softmax_xent (NULL, z, labels, B, K, NULL) / B;
      z[i] = keep;
      compare (&c, (lp - lm) / (2 * H), dz[i], "softmax cross-entropy", i);
    }
  g_assert_cmpfloat (c.largest, >, 1e-2);
}

/* The seed's gradnorm is a rule, not a gradient: check it against its
 * definition, computed independently here, and its effect (mean 0, std 1). */
static void
test_gradnorm_rule (void)
{
  enum
  {
    N = 1000
  };
  gs_real g[N], ref[N];
  double  m = 0, v = 0, m2 = 0, v2 = 0;
  GsRng   rng;

  gs_rng_init (&rng, 9);
  for (int i = 0; i < N; i++)
    g[i] = 1e-4 * gs_rng_normal (&rng) + 3e-5;
  for (int i = 0; i < N; i++)
    m += g[i];
  m /= N;
  for (int i = 0; i < N; i++)
    v += (g[i] - m) * (g[i] - m);
  v = sqrt (v / N); /* population std, as torch.std(unbiased=False) */
  for (int i = 0; i < N; i++)
    ref[i] = (g[i] - m) / (v + 1e-6);
  gs_gradnorm_signal (g, N);
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat (fabs (g[i] - ref[i]), <=, 1e-12 * MAX (1, fabs (ref[i])));
      m2 += g[i];
    }
  m2 /= N;
  for (int i = 0; i < N; i++)
    v2 += (g[i] - m2) * (g[i] - m2);
  g_assert_cmpfloat (fabs (m2), <, 1e-12);
  /* std is 1 / (1 + 1e-6 / std(g)) = 0.99 here: the epsilon matters for tiny gradients */
  g_assert_cmpfloat (fabs (sqrt (v2 / N) - v / (v + 1e-6)), <, 1e-9);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gradcheck/linear", test_linear_alone);
  g_test_add_func ("/gradcheck/activation", test_activation_alone);
  g_test_add_func ("/gradcheck/norm", test_norm_alone);
  g_test_add_func ("/gradcheck/loss", test_loss_alone);
  g_test_add_func ("/gradcheck/gradnorm-rule", test_gradnorm_rule);
  g_test_add_func ("/gradcheck/network/activations", test_activations);
  g_test_add_func ("/gradcheck/network/norms", test_norms);
  g_test_add_func ("/gradcheck/network/skips", test_skips);
  g_test_add_func ("/gradcheck/network/partial", test_partial);
  return g_test_run ();
}
