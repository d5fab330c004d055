/* test-optim.c: each update rule against PyTorch's, on a tiny case.
 * The expected values come from tests/engine/optim-reference.py (PyTorch's
 * torch.optim, float64); SGD's can be checked by hand: w - 0.1 g. */
#include <math.h>
#include <string.h>

#include "gs-optim.h"

typedef struct
{
  const char *optimizer;
  double      weight_decay;
  double      w[3][3]; /* after steps 1, 2, 3 */
} Reference;

static const Reference references[] = {
  { "sgd",
    0.00,
    { { 0.94999999999999996, -2.0099999999999998, 0.53000000000000003 },
      { 0.8899999999999999, -2.0299999999999998, 0.55000000000000004 },
      { 0.81999999999999995, -2.0599999999999996, 0.56000000000000005 } } },
  { "momentum",
    0.00,
    { { 0.94999999999999996, -2.0099999999999998, 0.53000000000000003 },
      { 0.84499999999999997, -2.0389999999999997, 0.57700000000000007 },
      { 0.68049999999999999, -2.0950999999999995, 0.62930000000000008 } } },
  { "nesterov",
    0.00,
    { { 0.90500000000000003, -2.0190000000000001, 0.55700000000000005 },
      { 0.75050000000000006, -2.0651000000000002, 0.61930000000000007 },
      { 0.53245000000000009, -2.1455900000000003, 0.67637000000000003 } } },
  { "rmsprop",
    0.00,
    { { 1.9999996048181146e-07, -2.9999990000009995, 1.4999996666667772 },
      { -0.76980006015412072, -3.8953215612712659, 2.0566298517395292 },
      { -1.4398405535011474, -4.6988258400679914, 2.326007211743466 } } },
  { "adam",
    0.00,
    { { 0.90000000199999997, -2.099999990000001, 0.59999999666666681 },
      { 0.79993869235402648, -2.1965181864787469, 0.69703520566989696 },
      { 0.69970505462877575, -2.2923183044551574, 0.78639726406966259 } } },
  { "adamw",
    0.00,
    { { 0.90000000199999997, -2.099999990000001, 0.59999999666666681 },
      { 0.79993869235402648, -2.1965181864787469, 0.69703520566989696 },
      { 0.69970505462877575, -2.2923183044551574, 0.78639726406966259 } } },
  { "sgd",
    0.05,
    { { 0.94499999999999995, -2, 0.52749999999999997 },
      { 0.88027499999999992, -2.0099999999999998, 0.54486249999999992 },
      { 0.80587362499999993, -2.0299499999999999, 0.55213818749999988 } } },
  { "momentum",
    0.05,
    { { 0.94499999999999995, -2, 0.52749999999999997 },
      { 0.83077499999999993, -2.0099999999999998, 0.56961249999999997 },
      { 0.65381862499999999, -2.0389499999999998, 0.61466568749999995 } } },
  { "nesterov",
    0.05,
    { { 0.89549999999999996, -2, 0.55225000000000002 },
      { 0.72844274999999992, -2.0190000000000001, 0.60727862500000007 },
      { 0.49620076887499992, -2.0649195000000002, 0.65452036556250004 } } },
  { "rmsprop",
    0.05,
    { { 1.8181814920303907e-07, -2, 1.4999996363637682 },
      { -0.73884259457749279, -2.9999990000009995, 1.9155279564132561 },
      { -1.3732021735698838, -3.8333319552481155, 1.9296374922028088 } } },
  { "adam",
    0.05,
    { { 0.90000000181818185, -2, 0.59999999636363655 },
      { 0.79990137101114356, -2.074413671835647, 0.69612941906230574 },
      { 0.69960118844063857, -2.1574414700397728, 0.78160694538343534 } } },
  { "adamw",
    0.05,
    { { 0.89500000199999996, -2.0899999900000008, 0.59749999666666676 },
      { 0.79046369234402647, -2.1760681865287466, 0.69154770568656354 },
      { 0.68627773615705556, -2.2609879635725134, 0.77745202555789639 } } },
};

/* The three values repeated: the first 24 take the vector path, the last
 * three the scalar tail; each must match PyTorch. */
static void
test_against_torch (void)
{
  enum
  {
    N = 27
  };

  for (guint r = 0; r < G_N_ELEMENTS (references); r++)
    {
      const Reference *ref = &references[r];
      GsConfig         c;
      GsOptim         *o;
      gs_real          w[N], g[N];
      GsUpdateSums     sums;

      gs_config_init_defaults (&c);
      g_assert_true (gs_config_set (&c, "optimizer", ref->optimizer, NULL));
      c.lr = 0.1;
      c.weight_decay = ref->weight_decay;
      for (int i = 0; i < N; i++)
        w[i] = (const gs_real[3]){ 1.0f, -2.0f, 0.5f }[i % 3];
      o = gs_optim_new (&c, N);
      for (int step = 0; step < 3; step++)
        {
          const gs_real base[3] = { 0.5f, 0.1f, -0.3f };
          for (int i = 0; i < N; i++)
            g[i] = base[i % 3] + 0.1f * step;
          gs_optim_begin_step (o);
          gs_optim_update (o, w, g, 0, N, &sums);
          for (int i = 0; i < N; i++)
            if (fabs (w[i] - ref->w[step][i % 3]) > 2e-6 * MAX (1, fabs (ref->w[step][i % 3])))
              g_error ("%s (weight decay %g), step %d, w[%d] = %.9g, PyTorch gives %.9g", ref->optimizer,
                       ref->weight_decay, step + 1, i, w[i], ref->w[step][i % 3]);
        }
      gs_optim_free (o);
    }
}

/* The sums gathered for the probes match their definitions. */
static void
test_update_sums (void)
{
  GsConfig     c;
  GsOptim     *o;
  gs_real      w[5] = { 1, 2, 3, 4, 5 }, old[5], g[5] = { 1, -1, 2, -2, 0.5f };
  GsUpdateSums s;
  double       gsq = 0, gabs = 0, wsq = 0, wnsq = 0, usq = 0;

  gs_config_init_defaults (&c);
  c.lr = 0.5;
  o = gs_optim_new (&c, 5);
  memcpy (old, w, sizeof w);
  gs_optim_begin_step (o);
  gs_optim_update (o, w, g, 0, 5, &s);
  for (int i = 0; i < 5; i++)
    {
      gsq += g[i] * g[i], gabs += fabs (g[i]), wsq += old[i] * old[i];
      wnsq += w[i] * w[i], usq += (w[i] - old[i]) * (w[i] - old[i]);
      g_assert_cmpfloat (w[i], ==, old[i] - 0.5f * g[i]);
    }
  g_assert_cmpfloat (fabs (s.grad_sq - gsq), <, 1e-9);
  g_assert_cmpfloat (fabs (s.grad_abs - gabs), <, 1e-9);
  g_assert_cmpfloat (fabs (s.w_sq - wsq), <, 1e-9);
  g_assert_cmpfloat (fabs (s.w_new_sq - wnsq), <, 1e-6);
  g_assert_cmpfloat (fabs (s.upd_sq - usq), <, 1e-6);
  gs_optim_free (o);
}

/* A long segment (many chunks, lanes, a tail): every value is updated once,
 * exactly as the one-value rule says, and the sums cover every value. */
static void
test_long_segment (void)
{
  enum
  {
    N = 3 * 4096 + 13
  };
  GsConfig     c;
  GsOptim     *o;
  gs_real     *w = g_new (gs_real, N), *g = g_new (gs_real, N), *m = g_new0 (gs_real, N);
  GsUpdateSums s;
  double       gsq = 0;

  gs_config_init_defaults (&c);
  c.optimizer = GS_OPTIM_MOMENTUM;
  c.lr = 0.1;
  o = gs_optim_new (&c, N);
  for (int i = 0; i < N; i++)
    w[i] = 1, g[i] = (gs_real) (i % 7) - 3, gsq += g[i] * g[i];
  for (int step = 0; step < 2; step++)
    {
      gs_optim_begin_step (o);
      gs_optim_update (o, w, g, 0, N, &s);
      for (int i = 0; i < N; i++)
        m[i] = 0.9f * m[i] + g[i];
    }
  for (int i = 0; i < N; i++)
    if (w[i] != 1 - 0.1f * g[i] - 0.1f * m[i])
      g_error ("w[%d] = %.9g, expected %.9g", i, w[i], 1 - 0.1f * g[i] - 0.1f * m[i]);
  g_assert_cmpfloat (fabs (s.grad_sq - gsq), <, 1e-6 * gsq);
  gs_optim_free (o);
  g_free (w), g_free (g), g_free (m);
}

/* reset() forgets the moments: the next step is a first step again. */
static void
test_reset (void)
{
  GsConfig     c;
  GsOptim     *o;
  gs_real      w[1] = { 1 }, g[1] = { 0.5f };
  GsUpdateSums s;

  gs_config_init_defaults (&c);
  c.optimizer = GS_OPTIM_ADAM;
  c.lr = 0.1;
  o = gs_optim_new (&c, 1);
  for (int i = 0; i < 5; i++)
    gs_optim_begin_step (o), gs_optim_update (o, w, g, 0, 1, &s);
  gs_optim_reset (o);
  w[0] = 1;
  gs_optim_begin_step (o);
  gs_optim_update (o, w, g, 0, 1, &s);
  /* Adam's first step moves by lr (times 1 - eps/|g| terms) */
  g_assert_cmpfloat (fabs (w[0] - 0.9), <, 1e-6);
  gs_optim_free (o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/optim/against-torch", test_against_torch);
  g_test_add_func ("/optim/update-sums", test_update_sums);
  g_test_add_func ("/optim/long-segment", test_long_segment);
  g_test_add_func ("/optim/reset", test_reset);
  return g_test_run ();
}
