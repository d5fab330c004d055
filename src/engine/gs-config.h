/* gs-config.h: a run's configuration, its option table and the presets.
 *
 * Every engine option has one entry in the option table; the CLI, the GUI,
 * run files and JSON summaries all read and write options through it by name
 * and string value, so they cannot disagree about names, ranges or defaults.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GS_CONFIG_ERROR (gs_config_error_quark ())
typedef enum
{
  GS_CONFIG_ERROR_UNKNOWN_OPTION,
  GS_CONFIG_ERROR_INVALID_VALUE,
  GS_CONFIG_ERROR_UNKNOWN_PRESET,
  GS_CONFIG_ERROR_TOO_LARGE,
} GsConfigError;
GQuark gs_config_error_quark (void);

typedef enum
{
  GS_ACT_SIGMOID,
  GS_ACT_TANH,
  GS_ACT_RELU,
  GS_ACT_LEAKY_RELU,
  GS_ACT_ELU,
  GS_ACT_GELU,
  GS_ACT_SOFTSIGN,
  GS_ACT_IDENTITY,
  GS_N_ACTIVATIONS
} GsActivation;

typedef enum
{
  GS_NORM_NONE,
  GS_NORM_BATCH,
  GS_NORM_LAYER,
  GS_NORM_CUSTOM,
  GS_NORM_BATCHSTD, /* notebook B's unregistered BatchNorm: no parameters, batch statistics always */
  GS_N_NORMS
} GsNorm;

typedef enum
{
  GS_INIT_DEFAULT, /* PyTorch nn.Linear: W, b ~ U(+-1/sqrt(fan_in)) */
  GS_INIT_NORMAL,  /* W ~ N(0, init_std), b = 0 */
  GS_INIT_XAVIER_UNIFORM,
  GS_INIT_XAVIER_NORMAL,
  GS_INIT_HE_UNIFORM,
  GS_INIT_HE_NORMAL,
  GS_INIT_LECUN, /* W ~ N(0, 1/fan_in) */
  GS_INIT_ORTHOGONAL,
  GS_N_INITS
} GsInit;

typedef enum
{
  GS_OPTIM_SGD,
  GS_OPTIM_MOMENTUM,
  GS_OPTIM_NESTEROV,
  GS_OPTIM_RMSPROP,
  GS_OPTIM_ADAM,
  GS_OPTIM_ADAMW,
  GS_N_OPTIMIZERS
} GsOptimizer;

typedef enum
{
  GS_SKIP_NONE,
  GS_SKIP_SEED,  /* h3 += h1, h7 += h4 (the seed notebooks' two paths) */
  GS_SKIP_EVERY, /* h(1+k*j) += h(1+k*(j-1)) for j >= 1: blocks of k layers */
  GS_N_SKIPS
} GsSkip;

typedef enum
{
  GS_GRADNORM_NONE,
  GS_GRADNORM_SIGNAL, /* seed: backward g -> (g - mean g) / (std g + 1e-6) after each activation */
  GS_GRADNORM_UNIT,   /* each layer's weight and bias gradient scaled to unit L2 norm */
  GS_N_GRADNORMS
} GsGradNorm;

/* Layer-wise training: which phases also train the layers below the new
 * block (every phase gets a fresh head and optimizer). */
typedef enum
{
  GS_FINETUNE_NONE, /* each stage trains its new block only */
  GS_FINETUNE_LAST, /* the last stage trains everything (notebook A) */
  GS_FINETUNE_EACH, /* after each stage but the first, a phase trains everything (notebook B) */
  GS_N_FINETUNES
} GsFinetune;

#define GS_MAX_DEPTH  64
#define GS_MAX_WIDTH  4096
#define GS_MAX_STAGES 16
#define GS_MAX_EPOCHS 100000 /* in all phases together: what a run file holds */

typedef struct
{
  char preset[32]; /* the preset this config started from ("" = none) */
  /* network */
  int          depth; /* hidden Linear layers */
  int          width; /* units per hidden layer */
  GsActivation activation;
  GsNorm       norm;
  GsSkip       skip;
  int          skip_every; /* k for GS_SKIP_EVERY */
  /* initialisation */
  GsInit init;
  double init_std; /* GS_INIT_NORMAL only */
  /* training */
  GsOptimizer optimizer;
  double      lr;
  double      momentum;     /* momentum, nesterov */
  double      alpha;        /* rmsprop smoothing constant */
  double      beta1, beta2; /* adam, adamw */
  double      eps;          /* rmsprop, adam, adamw */
  double      weight_decay; /* L2 (coupled) except adamw (decoupled) */
  double      clip_norm;    /* global gradient norm clip, 0 = off */
  GsGradNorm  gradnorm;
  int         freeze;                      /* the lowest hidden layers not trained, 0 = none */
  int         n_stages;                    /* 0 = ordinary training; else layer-wise stages */
  int         stage_blocks[GS_MAX_STAGES]; /* hidden layers added per stage; sum = depth */
  GsFinetune  finetune;
  int         epochs; /* per phase in layer-wise training */
  int         batch_size;
  guint64     seed;
  int         limit_train;    /* use at most this many training samples, 0 = all */
  int         hist_per_epoch; /* histogram checkpoints per epoch (plus one at step 1) */
} GsConfig;

typedef enum
{
  GS_OPTION_INT,
  GS_OPTION_DOUBLE,
  GS_OPTION_CHOICE,
  GS_OPTION_BOOL,
  GS_OPTION_INT_LIST,
  GS_OPTION_UINT64,
} GsOptionType;

/* What an option says about a run: gs_config_same_experiment() compares
 * the GS_ROLE_EXPERIMENT options, gs_config_describe() names all but the
 * GS_ROLE_WATCH ones. */
typedef enum
{
  GS_ROLE_EXPERIMENT, /* what is tried: the net, its initialisation, its training */
  GS_ROLE_RUN,        /* one run of it: how long, which seed, batches and data */
  GS_ROLE_WATCH,      /* only how closely the run was watched */
} GsOptionRole;

typedef struct
{
  const char        *name; /* CLI name without "--", e.g. "lr" */
  GsOptionType       type;
  const char        *group; /* "network", "init", "training" */
  GsOptionRole       role;
  const char        *label;    /* short label for the GUI */
  const char        *help;     /* one line */
  double             min, max; /* inclusive range for numbers */
  const char *const *choices;  /* NULL-terminated, GS_OPTION_CHOICE only */
  /* May change while a run trains (an intervention, gs-intervention.h):
   * it keeps the network's shape and parameters meaningful. */
  gboolean live;
} GsOptionSpec;

typedef struct
{
  const char *id;          /* e.g. "baseline" */
  const char *title;       /* e.g. "Baseline (sigmoid, default init)" */
  const char *description; /* one line */
  const char *settings;    /* "name=value name=value ..." over the defaults */
  /* Changes made while it trains, "at=STEP:OPTION=VALUE" or
   * "at-epoch=EPOCH:OPTION=VALUE", space-separated (gs-intervention.h);
   * NULL for none. The trainer makes those its run reaches. */
  const char *schedule;
} GsPreset;

void                gs_config_init_defaults (GsConfig *config);
const GsOptionSpec *gs_config_options (guint *n_options);
const GsOptionSpec *gs_config_find_option (const char *name);
gboolean            gs_config_set (GsConfig *config, const char *name, const char *value, GError **error);
char               *gs_config_get (const GsConfig *config, const char *name);
gboolean            gs_config_validate (const GsConfig *config, GError **error);
/* As gs_config_validate(); on failure *bad_option is the option at fault. */
gboolean gs_config_validate_full (const GsConfig *config, const GsOptionSpec **bad_option, GError **error);
/* An error about one option reads "--name: why", as the CLI prints it;
 * this is the "why", for a form that shows it beside the option. */
const char *gs_config_error_reason (const GError *error, const GsOptionSpec *option);
gboolean    gs_config_equal (const GsConfig *a, const GsConfig *b);
/* The same preset and the same GS_ROLE_EXPERIMENT options: runs of one
 * experiment, whatever their length, seed, batches or data. */
gboolean gs_config_same_experiment (const GsConfig *a, const GsConfig *b);

/* The text form, "name=value name=value ...", as presets and stored
 * settings spell a config. Writing gives every option in table order, not
 * the preset: put "preset=ID " before it to keep that. Reading applies the
 * entries in turn to *config; "preset=ID" loads that preset over the
 * defaults (so it comes first) and "preset=" is skipped. A bad entry is an
 * error naming its option, or is skipped (GS_CONFIG_TEXT_SKIP_BAD: stored
 * settings that another version may have written). */
typedef enum
{
  GS_CONFIG_TEXT_STRICT,
  GS_CONFIG_TEXT_SKIP_BAD,
} GsConfigTextMode;

char    *gs_config_to_text (const GsConfig *config);
gboolean gs_config_from_text (GsConfig *config, const char *text, GsConfigTextMode mode, GError **error);

const GsPreset *gs_presets (guint *n_presets);
const GsPreset *gs_preset_find (const char *id);
gboolean        gs_config_load_preset (GsConfig *config, const char *id, GError **error);
/* "relu, lr=0.1": the preset and the options that differ from it. */
char *gs_config_describe (const GsConfig *config);

/* One phase of training: hidden layers lowest..depth_used-1 and the head
 * train, for config->epochs epochs. An ordinary run is one phase (stage 0);
 * layer-wise, every phase starts with a fresh head and optimizer. */
#define GS_MAX_PHASES (2 * GS_MAX_STAGES)
typedef struct
{
  int stage; /* 1-based block added by this phase's stage, 0 = not layer-wise */
  int depth_used, lowest;
} GsPhasePlan;
/* Fills plan (GS_MAX_PHASES) and returns the number of phases. */
int gs_config_plan_phases (const GsConfig *config, GsPhasePlan *plan);

/* Names for enum values, as the option table spells them. */
const char *gs_activation_name (GsActivation a);
const char *gs_init_name (GsInit i);

G_END_DECLS
