/* gs-config.c: option table, parsing, validation and presets. */
#define G_LOG_DOMAIN "gs-config"

#include "gs-config.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

G_DEFINE_QUARK (gs - config - error - quark, gs_config_error)

static const char *const activation_names[]
    = { "sigmoid", "tanh", "relu", "leaky-relu", "elu", "gelu", "softsign", "identity", NULL };
static const char *const norm_names[] = { "none", "batchnorm", "layernorm", "customnorm", "batchstd", NULL };
static const char *const skip_names[] = { "none", "seed", "every", NULL };
static const char *const init_names[]
    = { "default",    "normal", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal", "lecun",
        "orthogonal", NULL };
static const char *const optimizer_names[]
    = { "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", NULL };
static const char *const gradnorm_names[] = { "none", "signal", "unit", NULL };
static const char *const finetune_names[] = { "none", "last", "each", NULL };

#define F(field) offsetof (GsConfig, field)

/* The public spec and where the value lives, index for index. */
/* clang-format off */
static const GsOptionSpec options[] = {
  { "depth", GS_OPTION_INT, "network", GS_ROLE_EXPERIMENT, "Hidden layers", "number of hidden Linear layers", 1, GS_MAX_DEPTH, NULL },
  { "width", GS_OPTION_INT, "network", GS_ROLE_EXPERIMENT, "Width", "units per hidden layer", 1, GS_MAX_WIDTH, NULL },
  { "activation", GS_OPTION_CHOICE, "network", GS_ROLE_EXPERIMENT, "Activation", "activation after every hidden layer", 0, 0, activation_names },
  { "norm", GS_OPTION_CHOICE, "network", GS_ROLE_EXPERIMENT, "Normalisation", "normalisation between Linear and activation (customnorm: (x - mean) / std over the whole batch tensor; batchstd: per-feature batch standardisation without parameters, batch statistics in evaluation too)", 0, 0, norm_names },
  { "skip", GS_OPTION_CHOICE, "network", GS_ROLE_EXPERIMENT, "Skip connections", "residual paths: seed = h3 += h1 and h7 += h4; every = one path every --skip-every layers", 0, 0, skip_names },
  { "skip-every", GS_OPTION_INT, "network", GS_ROLE_EXPERIMENT, "Skip every", "layers spanned by each residual path (with --skip every)", 1, GS_MAX_DEPTH - 1, NULL },
  { "init", GS_OPTION_CHOICE, "init", GS_ROLE_EXPERIMENT, "Initialisation", "weight initialisation (default = PyTorch nn.Linear; others set biases to 0)", 0, 0, init_names },
  { "init-std", GS_OPTION_DOUBLE, "init", GS_ROLE_EXPERIMENT, "Init std", "standard deviation for --init normal", 1e-6, 1e3, NULL },
  { "optimizer", GS_OPTION_CHOICE, "training", GS_ROLE_EXPERIMENT, "Optimizer", "update rule", 0, 0, optimizer_names, TRUE },
  { "lr", GS_OPTION_DOUBLE, "training", GS_ROLE_EXPERIMENT, "Learning rate", "learning rate", 1e-8, 10, NULL, TRUE },
  { "momentum", GS_OPTION_DOUBLE, "training", GS_ROLE_EXPERIMENT, "Momentum", "momentum factor (momentum, nesterov)", 0, 0.9999, NULL, TRUE },
  { "alpha", GS_OPTION_DOUBLE, "training", GS_ROLE_EXPERIMENT, "RMSprop alpha", "RMSprop smoothing constant", 0, 0.9999, NULL, TRUE },
  { "beta1", GS_OPTION_DOUBLE, "training", GS_ROLE_EXPERIMENT, "Beta 1", "Adam first-moment decay", 0, 0.9999, NULL, TRUE },
  { "beta2", GS_OPTION_DOUBLE, "training", GS_ROLE_EXPERIMENT, "Beta 2", "Adam second-moment decay", 0, 0.999999, NULL, TRUE },
  { "eps", GS_OPTION_DOUBLE, "training", GS_ROLE_EXPERIMENT, "Epsilon", "denominator epsilon (rmsprop, adam, adamw)", 1e-12, 1, NULL, TRUE },
  { "weight-decay", GS_OPTION_DOUBLE, "training", GS_ROLE_EXPERIMENT, "Weight decay", "L2 penalty (decoupled for adamw)", 0, 1, NULL, TRUE },
  { "clip-norm", GS_OPTION_DOUBLE, "training", GS_ROLE_EXPERIMENT, "Clip norm", "clip the global gradient norm to this value (0 = off)", 0, 1e6, NULL, TRUE },
  { "gradnorm", GS_OPTION_CHOICE, "training", GS_ROLE_EXPERIMENT, "Gradient normalisation", "signal = standardise the backward signal after each activation; unit = scale each layer's gradient to unit norm", 0, 0, gradnorm_names, TRUE },
  { "freeze", GS_OPTION_INT, "training", GS_ROLE_EXPERIMENT, "Frozen layers", "the lowest N hidden layers are not trained: their weights stay as they are (0 = none; layer-wise phases freeze more where they do)", 0, GS_MAX_DEPTH, NULL, TRUE },
  { "layerwise", GS_OPTION_INT_LIST, "training", GS_ROLE_EXPERIMENT, "Layer-wise stages", "greedy layer-wise training: hidden layers added per stage, e.g. 2,2,2,1 (none = off)", 1, GS_MAX_DEPTH, NULL },
  { "finetune", GS_OPTION_CHOICE, "training", GS_ROLE_EXPERIMENT, "Fine-tune", "layer-wise: when all layers train together: none, last (the last stage), each (after every stage); true = each, false = none", 0, 0, finetune_names },
  { "epochs", GS_OPTION_INT, "training", GS_ROLE_RUN, "Epochs", "passes over the training split (layer-wise: per phase)", 1, 10000, NULL },
  { "batch-size", GS_OPTION_INT, "training", GS_ROLE_RUN, "Batch size", "samples per mini-batch", 1, 65536, NULL },
  { "seed", GS_OPTION_UINT64, "training", GS_ROLE_RUN, "Seed", "random seed (initialisation, split and shuffling)", 0, 0, NULL },
  { "limit-train", GS_OPTION_INT, "training", GS_ROLE_RUN, "Train samples", "use at most this many training samples (0 = all)", 0, 10000000, NULL },
  { "hist-per-epoch", GS_OPTION_INT, "training", GS_ROLE_WATCH, "Histograms per epoch", "histogram checkpoints per epoch (one more at step 1)", 1, 1000, NULL },
};
/* clang-format on */

/* clang-format off */
static const size_t offsets[] = {
  F (depth), F (width), F (activation), F (norm), F (skip), F (skip_every),
  F (init), F (init_std), F (optimizer), F (lr), F (momentum), F (alpha), F (beta1),
  F (beta2), F (eps), F (weight_decay), F (clip_norm), F (gradnorm),
  F (freeze), F (n_stages), F (finetune), F (epochs), F (batch_size), F (seed),
  F (limit_train), F (hist_per_epoch),
};
/* clang-format on */
G_STATIC_ASSERT (G_N_ELEMENTS (options) == G_N_ELEMENTS (offsets));

/* Presets are option strings over the defaults (SEEDS.md, notebook A). */
/* clang-format off */
static const GsPreset presets[] = {
  { "baseline", "Baseline", "sigmoid, default init, SGD 0.01: the gradient vanishes towards the input", "" },
  { "init-std1", "Larger weights (std 1)", "weights N(0, 1), biases 0: bigger weights carry more gradient", "init=normal init-std=1" },
  { "init-std10", "Huge weights (std 10)", "weights N(0, 10), biases 0: sigmoids saturate, gradients die again", "init=normal init-std=10" },
  { "relu", "ReLU", "ReLU instead of sigmoid, weights N(0, 0.05): derivative 1 on the active side", "activation=relu init=normal init-std=0.05" },
  { "adam", "Adam", "sigmoid, weights N(0, 0.05), Adam lr 1e-3: per-weight step sizes rescue small gradients", "init=normal init-std=0.05 optimizer=adam lr=0.001" },
  { "batchnorm", "Batch normalisation", "Linear -> BatchNorm1d -> sigmoid, weights N(0, 0.05): keeps sigmoids in their steep range", "norm=batchnorm init=normal init-std=0.05" },
  { "customnorm", "Whole-batch normalisation", "Linear -> (x - mean) / std over the batch tensor -> sigmoid, weights N(0, 0.05)", "norm=customnorm init=normal init-std=0.05" },
  { "skip", "Skip connections", "sigmoid, weights N(0, 0.05), h3 += h1 and h7 += h4: a short path for the gradient", "skip=seed init=normal init-std=0.05" },
  { "layerwise", "Greedy layer-wise training", "blocks of 2, 2, 2, 1 hidden layers, each trained --epochs epochs with a fresh head while the ones below are frozen; the last phase trains everything (notebook A)", "layerwise=2,2,2,1 finetune=last init=normal init-std=0.05" },
  { "gradnorm", "Gradient normalisation", "sigmoid, default init; the backward signal is standardised after every activation", "gradnorm=signal" },
  { "adam-lr1e-2", "Adam, lr 1e-2 (notebook B)", "as adam, with notebook B's learning rate 1e-2", "init=normal init-std=0.05 optimizer=adam lr=0.01" },
  { "layerwise-finetune", "Layer-wise with fine-tuning (notebook B)", "as layerwise, and after each new block a phase trains all layers together: 7 phases of --epochs epochs", "layerwise=2,2,2,1 finetune=each init=normal init-std=0.05" },
  { "gradnorm-b", "Gradient normalisation, N(0, 0.05) (notebook B)", "as gradnorm, with notebook B's weights N(0, 0.05), biases 0: now the net learns", "gradnorm=signal init=normal init-std=0.05" },
  { "gradnorm-switch", "Gradient normalisation switched on", "baseline for one epoch, then from epoch 2 the backward signal is standardised after every activation: the lower layers wake up within one run", "", "at-epoch=2:gradnorm=signal" },
  { "batchnorm-b", "Unregistered BatchNorm (notebook B)", "notebook B's BatchNorm, created inside forward: no scale or shift, batch statistics in evaluation too (evaluated in batches of --batch-size)", "norm=batchstd init=normal init-std=0.05" },
  /* The classic papers' settings on Fashion-MNIST (docs/papers.md says what
   * each paper saw and how these settings differ from theirs). */
  { "glorot-sigmoid", "Glorot & Bengio 2010, Fig. 2 (sigmoid)", "Glorot & Bengio (2010) Fig. 2: 4 sigmoid layers, U(+-1/sqrt(fan_in)), SGD batch 10: the top hidden layer saturates at 0", "depth=4 width=256 init=default optimizer=sgd lr=0.1 batch-size=10 epochs=5 hist-per-epoch=20" },
  { "glorot-tanh-standard", "Glorot & Bengio 2010, Fig. 6-7 (tanh, standard init)", "Glorot & Bengio (2010) Fig. 6-7: 5 tanh layers, standard init U(+-1/sqrt(fan_in)): back-propagated gradients shrink towards the input", "depth=5 width=256 activation=tanh init=default optimizer=sgd lr=0.05 batch-size=10 epochs=5 hist-per-epoch=20" },
  { "glorot-tanh-normalized", "Glorot & Bengio 2010, Fig. 6-7 (tanh, normalized init)", "Glorot & Bengio (2010) Fig. 6-7: 5 tanh layers, normalized (Xavier) init: back-propagated gradients keep their size", "depth=5 width=256 activation=tanh init=xavier-uniform optimizer=sgd lr=0.05 batch-size=10 epochs=5 hist-per-epoch=20" },
  { "he-relu-deep", "He et al. 2015, Fig. 3 (30 ReLU layers, Xavier init)", "He et al. (2015) Fig. 3: 30 ReLU layers with Xavier init: the signal halves in variance per layer and training stalls", "depth=30 activation=relu init=xavier-normal optimizer=sgd lr=0.01 batch-size=64 epochs=10 hist-per-epoch=10" },
  { "he-relu-deep-he", "He et al. 2015, Fig. 3 (30 ReLU layers, He init)", "He et al. (2015) Fig. 3: 30 ReLU layers with He init N(0, 2/fan_in): the signal keeps its size and the net trains", "depth=30 activation=relu init=he-normal optimizer=sgd lr=0.01 batch-size=64 epochs=10 hist-per-epoch=10" },
  { "ioffe-bn", "Ioffe & Szegedy 2015, Fig. 1 (with BatchNorm)", "Ioffe & Szegedy (2015) Fig. 1: 3 x 100 sigmoid units with BatchNorm, batch 60: the inputs to the sigmoids stay put", "depth=3 width=100 norm=batchnorm init=normal init-std=0.1 optimizer=sgd lr=0.5 batch-size=60 epochs=56 hist-per-epoch=10" },
  { "ioffe-bn-off", "Ioffe & Szegedy 2015, Fig. 1 (without BatchNorm)", "Ioffe & Szegedy (2015) Fig. 1: 3 x 100 sigmoid units without BatchNorm, batch 60: the inputs to the sigmoids drift", "depth=3 width=100 init=normal init-std=0.1 optimizer=sgd lr=0.5 batch-size=60 epochs=56 hist-per-epoch=10" },
};
/* clang-format on */

void
gs_config_init_defaults (GsConfig *c)
{
  memset (c, 0, sizeof *c);
  c->depth = 7;
  c->width = 128;
  c->activation = GS_ACT_SIGMOID;
  c->norm = GS_NORM_NONE;
  c->skip = GS_SKIP_NONE;
  c->skip_every = 2;
  c->init = GS_INIT_DEFAULT;
  c->init_std = 0.05;
  c->optimizer = GS_OPTIM_SGD;
  c->lr = 0.01;
  c->momentum = 0.9;
  c->alpha = 0.99;
  c->beta1 = 0.9;
  c->beta2 = 0.999;
  c->eps = 1e-8;
  c->epochs = 100;
  c->batch_size = 512;
  c->hist_per_epoch = 4;
}

const GsOptionSpec *
gs_config_options (guint *n_options)
{
  *n_options = G_N_ELEMENTS (options);
  return options;
}

static int
option_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (g_strcmp0 (options[i].name, name) == 0)
      return (int) i;
  return -1;
}

const GsOptionSpec *
gs_config_find_option (const char *name)
{
  int i = option_index (name);
  return i < 0 ? NULL : &options[i];
}

static char *
allowed_values (const GsOptionSpec *o)
{
  switch (o->type)
    {
    case GS_OPTION_CHOICE:
      {
        g_autofree char *list = g_strjoinv (", ", (char **) o->choices);
        return g_strdup_printf ("one of %s", list);
      }
    case GS_OPTION_BOOL:
      return g_strdup ("true or false");
    case GS_OPTION_UINT64:
      return g_strdup ("a whole number from 0 to 18446744073709551615");
    case GS_OPTION_INT_LIST:
      return g_strdup_printf ("none, or a comma list of at most %d whole numbers >= 1, e.g. 2,2,2,1",
                              GS_MAX_STAGES);
    case GS_OPTION_INT:
      return g_strdup_printf ("a whole number from %g to %g", o->min, o->max);
    case GS_OPTION_DOUBLE:
    default:
      return g_strdup_printf ("a number from %g to %g", o->min, o->max);
    }
}

static gboolean
invalid (const GsOptionSpec *o, const char *value, GError **error)
{
  g_autofree char *allowed = allowed_values (o);
  g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE, "--%s: invalid value '%s': expected %s",
               o->name, value, allowed);
  return FALSE;
}

static gboolean
parse_int_list (GsConfig *c, const GsOptionSpec *o, const char *value, GError **error)
{
  g_auto (GStrv) parts = NULL;
  guint n;

  if (g_ascii_strcasecmp (value, "none") == 0 || g_ascii_strcasecmp (value, "off") == 0 || *value == '\0')
    {
      c->n_stages = 0;
      return TRUE;
    }
  parts = g_strsplit (value, ",", -1);
  n = g_strv_length (parts);
  if (n > GS_MAX_STAGES)
    return invalid (o, value, error);
  for (guint i = 0; i < n; i++)
    {
      guint64 v;
      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, (guint64) o->min, (guint64) o->max, &v,
                                       NULL))
        return invalid (o, value, error);
      c->stage_blocks[i] = (int) v;
    }
  c->n_stages = (int) n;
  return TRUE;
}

static gboolean parse_bool (const char *value, gboolean *out);

static gboolean
parse_choice (const GsOptionSpec *o, const char *value, int *out)
{
  gboolean on;

  /* finetune was true/false before it said which phases fine-tune */
  if (o->choices == finetune_names && parse_bool (value, &on))
    return *out = on ? GS_FINETUNE_EACH : GS_FINETUNE_NONE, TRUE;
  for (int i = 0; o->choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (o->choices[i], value) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_bool (const char *value, gboolean *out)
{
  static const char *const yes[] = { "true", "yes", "on", "1" };
  static const char *const no[] = { "false", "no", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (value, yes[i]) == 0)
        return *out = TRUE, TRUE;
      if (g_ascii_strcasecmp (value, no[i]) == 0)
        return *out = FALSE, TRUE;
    }
  return FALSE;
}

gboolean
gs_config_set (GsConfig *c, const char *name, const char *value, GError **error)
{
  int                 idx = option_index (name);
  const GsOptionSpec *o;
  char               *field;

  if (idx < 0)
    {
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_UNKNOWN_OPTION,
                   "unknown option --%s (see 'gradscope-cli train --help')", name);
      return FALSE;
    }
  o = &options[idx];
  field = (char *) c + offsets[idx];
  if (value == NULL)
    return invalid (o, "", error);
  switch (o->type)
    {
    case GS_OPTION_INT:
      {
        gint64 v;
        if (!g_ascii_string_to_signed (value, 10, (gint64) o->min, (gint64) o->max, &v, NULL))
          return invalid (o, value, error);
        *(int *) field = (int) v;
        return TRUE;
      }
    case GS_OPTION_UINT64:
      {
        guint64 v;
        if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &v, NULL))
          return invalid (o, value, error);
        *(guint64 *) field = v;
        return TRUE;
      }
    case GS_OPTION_DOUBLE:
      {
        char  *end = NULL;
        double v = g_ascii_strtod (value, &end);
        if (end == value || *end != '\0' || !isfinite (v) || v < o->min || v > o->max)
          return invalid (o, value, error);
        *(double *) field = v;
        return TRUE;
      }
    case GS_OPTION_CHOICE:
      return parse_choice (o, value, (int *) field) || invalid (o, value, error);
    case GS_OPTION_BOOL:
      return parse_bool (value, (gboolean *) field) || invalid (o, value, error);
    case GS_OPTION_INT_LIST:
      return parse_int_list (c, o, value, error);
    }
  return FALSE;
}

char *
gs_config_get (const GsConfig *c, const char *name)
{
  int                 idx = option_index (name);
  const char         *field;
  const GsOptionSpec *o;

  g_return_val_if_fail (idx >= 0, NULL);
  o = &options[idx];
  field = (const char *) c + offsets[idx];
  switch (o->type)
    {
    case GS_OPTION_INT:
      return g_strdup_printf ("%d", *(const int *) field);
    case GS_OPTION_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *) field);
    case GS_OPTION_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", *(const double *) field));
      }
    case GS_OPTION_CHOICE:
      return g_strdup (o->choices[*(const int *) field]);
    case GS_OPTION_BOOL:
      return g_strdup (*(const gboolean *) field ? "true" : "false");
    case GS_OPTION_INT_LIST:
      {
        GString *s;
        if (c->n_stages == 0)
          return g_strdup ("none");
        s = g_string_new (NULL);
        for (int i = 0; i < c->n_stages; i++)
          g_string_append_printf (s, "%s%d", i ? "," : "", c->stage_blocks[i]);
        return g_string_free (s, FALSE);
      }
    }
  return NULL;
}

static gboolean refuse (GError **error, const GsOptionSpec **bad, const char *option, const char *fmt, ...)
    G_GNUC_PRINTF (4, 5);

static gboolean
refuse (GError **error, const GsOptionSpec **bad, const char *option, const char *fmt, ...)
{
  va_list          ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE, "--%s: %s", option, msg);
  *bad = gs_config_find_option (option);
  return FALSE;
}

int
gs_config_plan_phases (const GsConfig *c, GsPhasePlan *plan)
{
  int n = 0, below = 0;

  if (c->n_stages == 0)
    {
      plan[0] = (GsPhasePlan){ 0, c->depth, 0 };
      return 1;
    }
  for (int s = 0; s < c->n_stages; s++)
    {
      const int top = below + c->stage_blocks[s];
      const int last = s + 1 == c->n_stages && c->finetune == GS_FINETUNE_LAST;
      plan[n++] = (GsPhasePlan){ s + 1, top, last ? 0 : below };
      /* the first block trains with nothing below it: no second phase */
      if (c->finetune == GS_FINETUNE_EACH && below > 0)
        plan[n++] = (GsPhasePlan){ s + 1, top, 0 };
      below = top;
    }
  return n;
}

/* Re-checks every value against the table (a config may have been built in
 * code), then the rules that tie options together. */
gboolean
gs_config_validate_full (const GsConfig *c, const GsOptionSpec **bad_option, GError **error)
{
  const GsOptionSpec  *unused;
  const GsOptionSpec **bad = bad_option != NULL ? bad_option : &unused;
  int                  sum = 0;
  GsPhasePlan          plan[GS_MAX_PHASES];

  *bad = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *v = gs_config_get (c, options[i].name);
      GsConfig         scratch = *c;
      if (!gs_config_set (&scratch, options[i].name, v, error))
        return *bad = &options[i], FALSE;
    }
  if (c->skip == GS_SKIP_SEED && c->depth < 7)
    return refuse (error, bad, "skip",
                   "'seed' needs --depth 7 or more (it adds h1 to h3 and h4 to h7), depth is %d", c->depth);
  if (c->skip == GS_SKIP_EVERY && c->skip_every >= c->depth)
    return refuse (error, bad, "skip-every", "must be less than --depth (%d) for a residual path to fit",
                   c->depth);
  for (int i = 0; i < c->n_stages; i++)
    sum += c->stage_blocks[i];
  if (c->freeze > c->depth)
    return refuse (error, bad, "freeze", "cannot freeze %d layers of a net with %d hidden layers", c->freeze,
                   c->depth);
  if (c->n_stages > 0 && sum != c->depth)
    return refuse (error, bad, "layerwise", "the stages add up to %d hidden layers, but --depth is %d", sum,
                   c->depth);
  if (c->norm == GS_NORM_BATCHSTD && c->batch_size < 2)
    return refuse (error, bad, "batch-size",
                   "--norm batchstd standardises over the batch and needs at least 2 samples per batch");
  if ((gint64) c->epochs * gs_config_plan_phases (c, plan) > GS_MAX_EPOCHS)
    return refuse (error, bad, "epochs", "%d phases of %d epochs are more than %d epochs in all",
                   gs_config_plan_phases (c, plan), c->epochs, GS_MAX_EPOCHS);
  if (c->n_stages > 0 && c->skip != GS_SKIP_NONE)
    return refuse (error, bad, "layerwise", "cannot be combined with --skip");
  return TRUE;
}

gboolean
gs_config_validate (const GsConfig *c, GError **error)
{
  return gs_config_validate_full (c, NULL, error);
}

const char *
gs_config_error_reason (const GError *error, const GsOptionSpec *option)
{
  gsize len = strlen (option->name);

  if (g_str_has_prefix (error->message, "--") && strncmp (error->message + 2, option->name, len) == 0
      && g_str_has_prefix (error->message + 2 + len, ": "))
    return error->message + 2 + len + 2;
  return error->message;
}

/* Compared as text, as the table spells the values: configs read back from
 * a file are equal to the ones that were written. */
static gboolean
options_equal (const GsConfig *a, const GsConfig *b, guint i)
{
  g_autofree char *va = gs_config_get (a, options[i].name);
  g_autofree char *vb = gs_config_get (b, options[i].name);

  return g_strcmp0 (va, vb) == 0;
}

gboolean
gs_config_equal (const GsConfig *a, const GsConfig *b)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (!options_equal (a, b, i))
      return FALSE;
  return TRUE;
}

gboolean
gs_config_same_experiment (const GsConfig *a, const GsConfig *b)
{
  if (!g_str_equal (a->preset, b->preset))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (options[i].role == GS_ROLE_EXPERIMENT && !options_equal (a, b, i))
      return FALSE;
  return TRUE;
}

char *
gs_config_to_text (const GsConfig *c)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *v = gs_config_get (c, options[i].name);
      g_string_append_printf (s, "%s%s=%s", i ? " " : "", options[i].name, v);
    }
  return g_string_free (s, FALSE);
}

static gboolean
apply_entry (GsConfig *c, const char *entry, GError **error)
{
  g_auto (GStrv) kv = g_strsplit (entry, "=", 2);

  if (g_strcmp0 (kv[0], "preset") != 0)
    return gs_config_set (c, kv[0], kv[1], error);
  return kv[1] == NULL || kv[1][0] == '\0' || gs_config_load_preset (c, kv[1], error);
}

gboolean
gs_config_from_text (GsConfig *c, const char *text, GsConfigTextMode mode, GError **error)
{
  g_auto (GStrv) entries = g_strsplit (text != NULL ? text : "", " ", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      if (entries[i][0] == '\0')
        continue;
      if (mode == GS_CONFIG_TEXT_SKIP_BAD)
        apply_entry (c, entries[i], NULL);
      else if (!apply_entry (c, entries[i], error))
        return FALSE;
    }
  return TRUE;
}

const GsPreset *
gs_presets (guint *n_presets)
{
  *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

const GsPreset *
gs_preset_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_strcmp0 (presets[i].id, id) == 0)
      return &presets[i];
  return NULL;
}

gboolean
gs_config_load_preset (GsConfig *c, const char *id, GError **error)
{
  const GsPreset *p = gs_preset_find (id);
  g_autoptr (GError) local = NULL;

  if (p == NULL)
    {
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_UNKNOWN_PRESET,
                   "--preset: unknown preset '%s' (see 'gradscope-cli presets')", id);
      return FALSE;
    }
  gs_config_init_defaults (c);
  if (!gs_config_from_text (c, p->settings, GS_CONFIG_TEXT_STRICT, &local))
    g_error ("preset %s: %s", id, local->message); /* a bug in the table */
  g_strlcpy (c->preset, id, sizeof c->preset);
  return TRUE;
}

/* A run's name: its preset and the options, but for the ones that only say
 * how closely it was watched, that differ from the preset. */
char *
gs_config_describe (const GsConfig *c)
{
  GsConfig base;
  GString *s = g_string_new (c->preset[0] ? c->preset : "custom");

  if (c->preset[0] == '\0' || !gs_config_load_preset (&base, c->preset, NULL))
    gs_config_init_defaults (&base);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (options[i].role != GS_ROLE_WATCH && !options_equal (c, &base, i))
      {
        g_autofree char *v = gs_config_get (c, options[i].name);
        g_string_append_printf (s, ", %s=%s", options[i].name, v);
      }
  return g_string_free (s, FALSE);
}

const char *
gs_activation_name (GsActivation a)
{
  return activation_names[a];
}
const char *
gs_init_name (GsInit i)
{
  return init_names[i];
}
