/* test-config.c: option table, presets, validation messages, the text form. */
#include <math.h>
#include <string.h>

#include "gs-config.h"

static const char *const seed_ids[] = {
  "baseline",  "init-std1",  "init-std10", "relu",      "adam",
  "batchnorm", "customnorm", "skip",       "layerwise", "gradnorm",
};

static void
test_presets (void)
{
  guint           n;
  const GsPreset *p = gs_presets (&n);

  g_assert_cmpuint (n, >=, G_N_ELEMENTS (seed_ids));
  for (guint i = 0; i < G_N_ELEMENTS (seed_ids); i++)
    g_assert_cmpstr (p[i].id, ==, seed_ids[i]);
  for (guint i = 0; i < n; i++)
    {
      GsConfig c;
      g_autoptr (GError) error = NULL;
      g_autofree char *name = NULL;
      g_assert_true (gs_config_load_preset (&c, p[i].id, &error));
      g_assert_true (gs_config_validate (&c, &error));
      name = gs_config_describe (&c);
      g_assert_cmpstr (name, ==, p[i].id);
      g_assert_nonnull (p[i].description);
    }
}

/* SEEDS.md, row by row. */
static void
test_seed_settings (void)
{
  GsConfig c;

  gs_config_load_preset (&c, "baseline", NULL);
  g_assert_cmpint (c.depth, ==, 7);
  g_assert_cmpint (c.width, ==, 128);
  g_assert_cmpint (c.activation, ==, GS_ACT_SIGMOID);
  g_assert_cmpint (c.init, ==, GS_INIT_DEFAULT);
  g_assert_cmpint (c.optimizer, ==, GS_OPTIM_SGD);
  g_assert_cmpfloat (c.lr, ==, 0.01);
  g_assert_cmpint (c.epochs, ==, 100);
  gs_config_load_preset (&c, "init-std10", NULL);
  g_assert_cmpint (c.init, ==, GS_INIT_NORMAL);
  g_assert_cmpfloat (c.init_std, ==, 10);
  gs_config_load_preset (&c, "relu", NULL);
  g_assert_cmpint (c.activation, ==, GS_ACT_RELU);
  g_assert_cmpfloat (c.init_std, ==, 0.05);
  gs_config_load_preset (&c, "adam", NULL);
  g_assert_cmpint (c.optimizer, ==, GS_OPTIM_ADAM);
  g_assert_cmpfloat (c.lr, ==, 0.001);
  gs_config_load_preset (&c, "customnorm", NULL);
  g_assert_cmpint (c.norm, ==, GS_NORM_CUSTOM);
  gs_config_load_preset (&c, "skip", NULL);
  g_assert_cmpint (c.skip, ==, GS_SKIP_SEED);
  gs_config_load_preset (&c, "layerwise", NULL);
  g_assert_cmpint (c.n_stages, ==, 4);
  g_assert_cmpint (c.stage_blocks[0] + c.stage_blocks[1] + c.stage_blocks[2], ==, 6);
  g_assert_cmpint (c.stage_blocks[3], ==, 1);
  g_assert_cmpint (c.finetune, ==, GS_FINETUNE_LAST);
  gs_config_load_preset (&c, "layerwise-finetune", NULL);
  g_assert_cmpint (c.finetune, ==, GS_FINETUNE_EACH);
  gs_config_load_preset (&c, "gradnorm", NULL);
  g_assert_cmpint (c.gradnorm, ==, GS_GRADNORM_SIGNAL);
  g_assert_cmpint (c.init, ==, GS_INIT_DEFAULT);
  /* notebook B's variants */
  gs_config_load_preset (&c, "gradnorm-b", NULL);
  g_assert_cmpint (c.gradnorm, ==, GS_GRADNORM_SIGNAL);
  g_assert_cmpint (c.init, ==, GS_INIT_NORMAL);
  g_assert_cmpfloat (c.init_std, ==, 0.05);
  gs_config_load_preset (&c, "batchnorm-b", NULL);
  g_assert_cmpint (c.norm, ==, GS_NORM_BATCHSTD);
  g_assert_cmpint (c.init, ==, GS_INIT_NORMAL);
  gs_config_load_preset (&c, "adam-lr1e-2", NULL);
  g_assert_cmpfloat (c.lr, ==, 0.01);
}

typedef struct
{
  const char *settings;
  int         n;
  int         plan[8][3]; /* stage, hidden layers in use, lowest trained (0-based) */
} PlanCase;

/* The phases of the notebooks' protocols (SEEDS.md) and of the custom
 * schedules; true and false still spell each and none. */
static void
test_phase_plan (void)
{
  static const PlanCase cases[] = {
    { "preset=baseline", 1, { { 0, 7, 0 } } },
    { "preset=layerwise", 4, { { 1, 2, 0 }, { 2, 4, 2 }, { 3, 6, 4 }, { 4, 7, 0 } } },
    { "preset=layerwise-finetune",
      7,
      { { 1, 2, 0 }, { 2, 4, 2 }, { 2, 4, 0 }, { 3, 6, 4 }, { 3, 6, 0 }, { 4, 7, 6 }, { 4, 7, 0 } } },
    { "preset=layerwise finetune=none", 4, { { 1, 2, 0 }, { 2, 4, 2 }, { 3, 6, 4 }, { 4, 7, 6 } } },
    { "preset=layerwise finetune=false", 4, { { 1, 2, 0 }, { 2, 4, 2 }, { 3, 6, 4 }, { 4, 7, 6 } } },
    { "preset=layerwise finetune=true", 7, { { 1, 2, 0 }, { 2, 4, 2 }, { 2, 4, 0 }, { 3, 6, 4 } } },
    { "depth=3 layerwise=3 finetune=each", 1, { { 1, 3, 0 } } },
    { "depth=3 layerwise=1,2 finetune=last", 2, { { 1, 1, 0 }, { 2, 3, 0 } } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GsConfig    c;
      GsPhasePlan plan[GS_MAX_PHASES];
      int         n;
      gs_config_init_defaults (&c);
      g_assert_true (gs_config_from_text (&c, cases[i].settings, GS_CONFIG_TEXT_STRICT, NULL));
      g_assert_true (gs_config_validate (&c, NULL));
      n = gs_config_plan_phases (&c, plan);
      g_assert_cmpint (n, ==, cases[i].n);
      for (int k = 0; k < MIN (n, 8) && cases[i].plan[k][1] > 0; k++)
        {
          g_assert_cmpint (plan[k].stage, ==, cases[i].plan[k][0]);
          g_assert_cmpint (plan[k].depth_used, ==, cases[i].plan[k][1]);
          g_assert_cmpint (plan[k].lowest, ==, cases[i].plan[k][2]);
        }
    }
}

static void
test_round_trip (void)
{
  guint               n;
  const GsOptionSpec *o = gs_config_options (&n);
  GsConfig            a, b;

  gs_config_load_preset (&a, "layerwise-finetune", NULL);
  a.seed = G_MAXUINT64;
  a.lr = 0.123456789;
  gs_config_init_defaults (&b);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *v = gs_config_get (&a, o[i].name);
      g_assert_true (gs_config_set (&b, o[i].name, v, NULL));
    }
  g_assert_true (gs_config_equal (&a, &b));
  g_assert_cmpuint (b.seed, ==, G_MAXUINT64);
}

typedef struct
{
  const char *name, *value;
  const char *phrase; /* must appear in the message */
} Bad;

static const Bad bad_values[] = {
  { "depth", "0", "from 1 to 64" },
  { "depth", "-3", "from 1 to 64" },
  { "depth", "seven", "whole number" },
  { "width", "0", "from 1 to 4096" },
  { "lr", "-0.1", "a number from" },
  { "lr", "nan", "a number from" },
  { "lr", "inf", "a number from" },
  { "lr", "0", "a number from" },
  { "lr", "", "a number from" },
  { "lr", "0.1x", "a number from" },
  { "activation", "swish", "one of sigmoid, tanh, relu" },
  { "norm", "groupnorm", "one of none, batchnorm" },
  { "init", "zeros", "one of default, normal" },
  { "optimizer", "lbfgs", "one of sgd" },
  { "batch-size", "0", "from 1 to" },
  { "epochs", "0", "from 1 to" },
  { "init-std", "0", "a number from" },
  { "init-std", "-1", "a number from" },
  { "momentum", "1.5", "a number from 0 to" },
  { "layerwise", "2,x,1", "comma list" },
  { "layerwise", "2,0", "comma list" },
  { "finetune", "maybe", "one of none, last, each" },
  { "seed", "-1", "whole number" },
  { "gradnorm", "layer", "one of none, signal, unit" },
};

static void
test_bad_values (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_values); i++)
    {
      GsConfig c;
      g_autoptr (GError) error = NULL;
      g_autofree char *option = g_strdup_printf ("--%s", bad_values[i].name);
      gs_config_init_defaults (&c);
      g_assert_false (gs_config_set (&c, bad_values[i].name, bad_values[i].value, &error));
      g_assert_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE);
      if (!strstr (error->message, option) || !strstr (error->message, bad_values[i].phrase))
        g_error ("--%s %s: message '%s' lacks the option or '%s'", bad_values[i].name, bad_values[i].value,
                 error->message, bad_values[i].phrase);
    }
}

static void
expect_invalid (GsConfig *c, const char *option)
{
  g_autoptr (GError) error = NULL;
  const GsOptionSpec *bad = NULL;
  g_autofree char    *prefix = g_strdup_printf ("--%s: ", option);

  g_assert_false (gs_config_validate_full (c, &bad, &error));
  g_assert_nonnull (bad);
  g_assert_cmpstr (bad->name, ==, option);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_cmpstr (gs_config_error_reason (error, bad), ==, error->message + strlen (prefix));
}

static void
test_rules (void)
{
  GsConfig c;
  g_autoptr (GError) error = NULL;

  gs_config_load_preset (&c, "skip", NULL);
  c.depth = 5;
  expect_invalid (&c, "skip");
  gs_config_load_preset (&c, "layerwise", NULL);
  c.depth = 8;
  expect_invalid (&c, "layerwise");
  gs_config_load_preset (&c, "layerwise", NULL);
  c.epochs = 0; /* per phase */
  expect_invalid (&c, "epochs");
  gs_config_load_preset (&c, "layerwise-finetune", NULL);
  c.epochs = 20000; /* 7 phases: more than a run file holds */
  expect_invalid (&c, "epochs");
  c.epochs = 3; /* fewer epochs than phases is fine: each phase has its own */
  g_assert_true (gs_config_validate (&c, NULL));
  gs_config_load_preset (&c, "batchnorm-b", NULL);
  c.batch_size = 1;
  expect_invalid (&c, "batch-size");
  c.batch_size = 2;
  g_assert_true (gs_config_validate (&c, NULL));
  gs_config_init_defaults (&c);
  c.lr = NAN; /* set in code, not through the table */
  expect_invalid (&c, "lr");
  gs_config_init_defaults (&c);
  g_assert_false (gs_config_set (&c, "no-such-option", "1", &error));
  g_assert_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_UNKNOWN_OPTION);
  g_clear_error (&error);
  g_assert_false (gs_config_load_preset (&c, "nope", &error));
  g_assert_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_UNKNOWN_PRESET);
}

static void
test_describe (void)
{
  GsConfig         c;
  g_autofree char *a = NULL, *b = NULL;

  gs_config_load_preset (&c, "relu", NULL);
  gs_config_set (&c, "lr", "0.1", NULL);
  a = gs_config_describe (&c);
  g_assert_cmpstr (a, ==, "relu, lr=0.1");
  c.preset[0] = '\0';
  b = gs_config_describe (&c);
  g_assert_true (g_str_has_prefix (b, "custom, activation=relu"));
}

/* Every option away from its default, to text and back. */
static void
test_text_round_trip (void)
{
  guint               n;
  const GsOptionSpec *o = gs_config_options (&n);
  GsConfig            a, b, defaults;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  gs_config_init_defaults (&a);
  g_assert_true (gs_config_from_text (&a,
                                      "depth=6 width=17 activation=gelu norm=layernorm "
                                      "skip=every skip-every=3 init=normal init-std=0.25 "
                                      "optimizer=adamw lr=0.123456789 momentum=0.5 alpha=0.75 "
                                      "beta1=0.8 beta2=0.99 eps=1e-07 weight-decay=0.01 "
                                      "clip-norm=2.5 gradnorm=unit freeze=2 layerwise=none finetune=true "
                                      "epochs=9 batch-size=33 seed=18446744073709551615 "
                                      "limit-train=1000 hist-per-epoch=7",
                                      GS_CONFIG_TEXT_STRICT, &error));
  g_assert_no_error (error);
  gs_config_init_defaults (&defaults);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *v = gs_config_get (&a, o[i].name);
      g_autofree char *d = gs_config_get (&defaults, o[i].name);
      if (strcmp (o[i].name, "layerwise") != 0) /* cannot go with skip */
        g_assert_cmpstr (v, !=, d);
    }
  text = gs_config_to_text (&a);
  gs_config_init_defaults (&b);
  g_assert_true (gs_config_from_text (&b, text, GS_CONFIG_TEXT_STRICT, &error));
  g_assert_true (gs_config_equal (&a, &b));
  g_assert_true (memcmp (&a, &b, sizeof a) == 0);
  g_clear_pointer (&text, g_free);

  gs_config_load_preset (&a, "layerwise-finetune", NULL);
  text = gs_config_to_text (&a);
  g_assert_true (g_str_has_prefix (text, "depth=7 width=128 "));
  gs_config_init_defaults (&b);
  g_assert_true (gs_config_from_text (&b, text, GS_CONFIG_TEXT_STRICT, &error));
  g_assert_true (memcmp (&a.n_stages, &b.n_stages, sizeof a.stage_blocks + sizeof a.n_stages) == 0);
  g_assert_true (gs_config_equal (&a, &b));
}

/* "preset=ID" loads the preset over the defaults; the entries after it
 * change it. */
static void
test_text_preset (void)
{
  GsConfig c, relu;
  g_autoptr (GError) error = NULL;

  gs_config_init_defaults (&c);
  c.depth = 3;
  g_assert_true (gs_config_from_text (&c, "preset=relu  lr=0.5", GS_CONFIG_TEXT_STRICT, &error));
  gs_config_load_preset (&relu, "relu", NULL);
  g_assert_cmpstr (c.preset, ==, "relu");
  g_assert_cmpint (c.depth, ==, 7);
  g_assert_cmpfloat (c.lr, ==, 0.5);
  relu.lr = 0.5;
  g_assert_true (gs_config_equal (&c, &relu));
  g_assert_true (gs_config_from_text (&c, "preset= ", GS_CONFIG_TEXT_STRICT, &error));
  g_assert_cmpstr (c.preset, ==, "relu");
  g_assert_true (gs_config_from_text (&c, NULL, GS_CONFIG_TEXT_STRICT, &error));
}

typedef struct
{
  const char *text;
  int         code;  /* a GsConfigError */
  const char *start; /* of the message */
} BadText;

static const BadText bad_texts[] = {
  { "depth=3 lr=fast", GS_CONFIG_ERROR_INVALID_VALUE, "--lr: invalid value 'fast'" },
  { "width", GS_CONFIG_ERROR_INVALID_VALUE, "--width: invalid value ''" },
  { "custom=true", GS_CONFIG_ERROR_UNKNOWN_OPTION, "unknown option --custom" },
  { "preset=nope", GS_CONFIG_ERROR_UNKNOWN_PRESET, "--preset: unknown preset 'nope'" },
};

/* Strict: the first bad entry is an error naming its option. Skipping:
 * the others still apply. */
static void
test_text_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_texts); i++)
    {
      GsConfig c;
      g_autoptr (GError) error = NULL;
      g_autofree char *text = g_strconcat (bad_texts[i].text, " epochs=3", NULL);

      gs_config_init_defaults (&c);
      g_assert_false (gs_config_from_text (&c, text, GS_CONFIG_TEXT_STRICT, &error));
      g_assert_error (error, GS_CONFIG_ERROR, bad_texts[i].code);
      if (!g_str_has_prefix (error->message, bad_texts[i].start))
        g_error ("'%s': message '%s' does not start '%s'", text, error->message, bad_texts[i].start);
      g_assert_cmpint (c.epochs, ==, 100);
      g_assert_true (gs_config_from_text (&c, text, GS_CONFIG_TEXT_SKIP_BAD, NULL));
      g_assert_cmpint (c.epochs, ==, 3);
    }
}

/* Runs of one experiment: any length, seed, batches or data; a lesson step
 * asks for one of them. */
static void
test_same_experiment (void)
{
  GsConfig a, b;

  gs_config_load_preset (&a, "relu", NULL);
  b = a;
  gs_config_from_text (&b, "epochs=3 batch-size=7 seed=9 limit-train=100 hist-per-epoch=2",
                       GS_CONFIG_TEXT_STRICT, NULL);
  g_assert_true (gs_config_same_experiment (&a, &b));
  g_assert_false (gs_config_equal (&a, &b));
  b.lr = 0.5;
  g_assert_false (gs_config_same_experiment (&a, &b));
  b = a;
  b.preset[0] = '\0';
  g_assert_false (gs_config_same_experiment (&a, &b));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/presets", test_presets);
  g_test_add_func ("/config/seed-settings", test_seed_settings);
  g_test_add_func ("/config/phase-plan", test_phase_plan);
  g_test_add_func ("/config/round-trip", test_round_trip);
  g_test_add_func ("/config/bad-values", test_bad_values);
  g_test_add_func ("/config/rules", test_rules);
  g_test_add_func ("/config/describe", test_describe);
  g_test_add_func ("/config/text-round-trip", test_text_round_trip);
  g_test_add_func ("/config/text-preset", test_text_preset);
  g_test_add_func ("/config/text-bad", test_text_bad);
  g_test_add_func ("/config/same-experiment", test_same_experiment);
  return g_test_run ();
}
