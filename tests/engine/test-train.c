/* test-train.c: the trainer end to end: determinism, divergence, layer-wise
 * schedule, pause/stop, gradient transforms, run files, and the vanishing
 * gradient itself on the real data set where it is installed. */
#include <glib/gstdio.h>
#include <math.h>
#include "gs-omp.h"
#include <string.h>

#include "gs-net.h"
#include "gs-runfile.h"
#include "gs-trainer.h"

static GsDataset *builtin;

static void
small (GsConfig *c, const char *preset)
{
  gs_config_load_preset (c, preset, NULL);
  c->width = 32;
  c->epochs = 2;
  c->batch_size = 64;
  c->limit_train = 1024;
  c->seed = 7;
}

static GsRecord *
train_with (const GsConfig *c, const GsDataset *data, GsTrainerCallback cb)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsTrainer) t = gs_trainer_new (c, data, &error);

  g_assert_no_error (error);
  if (cb)
    gs_trainer_set_callback (t, cb, NULL);
  g_assert_true (gs_trainer_run (t, &error));
  return gs_record_ref (gs_trainer_get_record (t));
}

static GsRecord *
train (const GsConfig *c, const GsDataset *data)
{
  return train_with (c, data, NULL);
}

static gboolean
same_series (GsRecord *a, GsRecord *b)
{
  guint n = gs_record_n_columns (a);

  if (n != gs_record_n_columns (b))
    return FALSE;
  if (memcmp (gs_record_loss_series (a), gs_record_loss_series (b), n * sizeof (float)) != 0)
    return FALSE;
  for (guint l = 0; l < gs_record_n_layers (a); l++)
    for (int p = 0; p < GS_N_PROBES; p++)
      if (memcmp (gs_record_series (a, p, l), gs_record_series (b, p, l), n * sizeof (float)) != 0)
        return FALSE;
  return gs_record_test_accuracy (a) == gs_record_test_accuracy (b);
}

/* The thread count changed between steps, as reproduce and sweep change
 * it between epochs when a core comes free (GsCliCores). */
static void
switch_threads (GsTrainerEvent event, const GsProgress *p, gpointer user_data)
{
  (void) user_data;
  if (event == GS_TRAINER_EVENT_STEP)
    omp_set_num_threads (1 + (int) (p->step % 2));
}

/* Same config and seed: bit-identical, on 1 thread, on 2, across the two
 * and with the count changing while it trains (fixed reduction order;
 * OpenBLAS splits GEMMs over M and N only). */
static void
test_determinism (void)
{
  const char *presets[] = { "baseline", "batchnorm", "customnorm", "gradnorm", "adam" };

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      GsConfig c;
      g_autoptr (GsRecord) a = NULL, b = NULL, d = NULL, e = NULL;
      small (&c, presets[i]);
      c.batch_size = 256; /* large enough for the parallel paths */
      c.width = 128;
      omp_set_num_threads (1);
      a = train (&c, builtin);
      b = train (&c, builtin);
      omp_set_num_threads (2);
      d = train (&c, builtin);
      e = train_with (&c, builtin, switch_threads);
      omp_set_num_threads (2);
      if (!same_series (a, b))
        g_error ("%s: two runs on one thread differ", presets[i]);
      if (!same_series (a, d))
        g_error ("%s: one thread and two threads differ", presets[i]);
      if (!same_series (a, e))
        g_error ("%s: a run whose thread count changes differs", presets[i]);
    }
  {
    GsConfig c;
    g_autoptr (GsRecord) a = NULL, b = NULL;
    small (&c, "baseline");
    a = train (&c, builtin);
    c.seed = 8;
    b = train (&c, builtin);
    g_assert_false (same_series (a, b));
  }
}

static void
test_learns (void)
{
  GsConfig c;
  g_autoptr (GsRecord) r = NULL;

  /* a shallow ReLU net with He init learns the built-in set within epochs */
  small (&c, "relu");
  c.depth = 3;
  c.width = 64;
  c.init = GS_INIT_HE_NORMAL;
  c.lr = 0.05;
  c.limit_train = 0;
  c.epochs = 3;
  r = train (&c, builtin);
  g_assert_cmpuint (gs_record_n_epochs (r), ==, 3);
  g_assert_true (gs_record_has_test (r));
  g_assert_cmpfloat (gs_record_test_accuracy (r), >, 0.5);
  g_assert_cmpfloat (gs_record_epoch (r, 2)->train_loss, <, gs_record_epoch (r, 0)->train_loss);
  g_assert_cmpuint (gs_record_n_checkpoints (r), >=, 1 + 3 * c.hist_per_epoch);
}

static void
test_divergence (void)
{
  GsConfig c;
  g_autoptr (GsRecord) r = NULL;
  guint       step;
  int         layer;
  const char *what;
  gboolean    stopped;

  small (&c, "init-std10");
  gs_config_set (&c, "activation", "relu", NULL);
  c.lr = 1;
  r = train (&c, builtin);
  g_assert_true (gs_record_diverged (r, &step, &layer, &what));
  g_assert_cmpuint (step, >=, 1);
  g_assert_cmpuint (step, <=, gs_record_n_steps (r));
  g_assert_cmpint (layer, >=, 0);
  g_assert_cmpint (layer, <=, c.depth);
  g_assert_nonnull (what);
  g_assert_true (gs_record_finished (r, &stopped));
  g_assert_false (gs_record_has_test (r));
  g_assert_cmpuint (gs_record_n_steps (r), ==, step); /* stopped at once */
}

/* Notebook A's protocol: 4 phases of --epochs epochs each, the last one
 * training everything; a test pass after each phase, and the head fresh
 * (PyTorch default init, whatever --init says) at each phase's start. */
static void
test_layerwise (void)
{
  GsConfig c;
  g_autoptr (GsRecord) r = NULL, f = NULL;
  const GsPhase *s;
  guint          spe;

  small (&c, "layerwise");
  r = train (&c, builtin);
  spe = gs_record_steps_per_epoch (r);
  g_assert_cmpuint (gs_record_n_phases (r), ==, 4);
  g_assert_cmpuint (gs_record_n_epochs (r), ==, 8);
  for (guint i = 0; i < 4; i++)
    {
      static const int depth_used[] = { 2, 4, 6, 7 }, lowest[] = { 0, 2, 4, 0 };
      s = gs_record_phase (r, i);
      g_assert_cmpuint (s->step, ==, 1 + i * 2 * spe);
      g_assert_cmpint (s->stage, ==, (int) i + 1);
      g_assert_cmpint (s->active_depth, ==, depth_used[i]);
      g_assert_cmpint (s->lowest_trainable, ==, lowest[i]);
      g_assert_cmpint (s->epochs, ==, 2);
      g_assert_cmpfloat (s->val_acc, ==, gs_record_epoch (r, 2 * i + 1)->val_acc);
      g_assert_true (s->test_acc >= 0 && s->test_acc <= 1);
      g_assert_cmpint (gs_record_epoch (r, 2 * i)->phase, ==, (int) i + 1);
    }
  g_assert_cmpfloat (gs_record_phase (r, 3)->test_acc, ==, gs_record_test_accuracy (r));
  /* in phase 2, layer 1 is frozen (no gradient) and layer 3 is trained */
  g_assert_true (isnan (gs_record_series (r, GS_PROBE_GRAD_NORM, 0)[3 * spe]));
  g_assert_false (isnan (gs_record_series (r, GS_PROBE_GRAD_NORM, 3)[3 * spe]));
  /* in phase 1, layers 3..7 are not in the network yet */
  g_assert_true (isnan (gs_record_series (r, GS_PROBE_ACT_MEAN, 4)[0]));
  /* in phase 4 everything trains again */
  g_assert_false (isnan (gs_record_series (r, GS_PROBE_GRAD_NORM, 0)[7 * spe]));
  g_assert_cmpint (gs_record_epoch (r, 7)->stage, ==, 4);

  /* notebook B's: 7 phases, each new block first alone, then with all */
  small (&c, "layerwise-finetune");
  c.epochs = 1;
  f = train (&c, builtin);
  g_assert_cmpuint (gs_record_n_phases (f), ==, 7);
  g_assert_cmpuint (gs_record_n_epochs (f), ==, 7);
  s = gs_record_phase (f, 1);
  g_assert_cmpint (s->stage, ==, 2);
  g_assert_cmpint (s->lowest_trainable, ==, 2);
  s = gs_record_phase (f, 2); /* the fine-tune half of stage 2 */
  g_assert_cmpint (s->active_depth, ==, 4);
  g_assert_cmpint (s->lowest_trainable, ==, 0);
  g_assert_cmpint (gs_record_phase (f, 5)->lowest_trainable, ==, 6);
}

/* Each phase's head starts at PyTorch's default init: biases in
 * +-1/sqrt(fan_in), not the zeros of --init normal. */
static void
test_fresh_head (void)
{
  GsConfig c;
  g_autoptr (GsRecord) r = NULL;
  const GsHist *h;

  small (&c, "layerwise");
  c.epochs = 1;
  c.hist_per_epoch = 1;
  r = train (&c, builtin);
  /* step 1's weight histogram of the head: N(0, 0.05) would reach past
   * 1/sqrt(32) = 0.177 rarely; the default init is uniform within it */
  h = gs_record_hist (r, 0, GS_HIST_WEIGHT, 7);
  g_assert_cmpfloat (h->lo, >=, -1 / sqrt (32.0) - 0.01);
  g_assert_cmpfloat (h->hi, <=, 1 / sqrt (32.0) + 0.01);
  g_assert_cmpfloat (h->std, >, 0.08); /* U(+-0.177): std 0.102; N(0, 0.05): 0.05 */
}

/* batchnorm-b normalises with the batch's own statistics in evaluation too
 * (notebook B's unregistered BatchNorm): a sample's logits depend on the
 * rest of its batch; with batchnorm's running statistics they do not. */
static double
row0_shift (const char *preset)
{
  GsConfig c;
  GsRng    rng;
  GsNet   *net;
  gs_real  before[3];
  double   shift = 0;

  gs_config_load_preset (&c, preset, NULL);
  c.depth = 2, c.width = 16;
  net = gs_net_new (&c, 8, 3, 4);
  gs_rng_init (&rng, 3);
  gs_net_init (net, &rng);
  for (int i = 0; i < 4 * 8; i++)
    net->x[i] = (gs_real) gs_rng_normal (&rng);
  gs_net_forward (net, 4, 2, FALSE);
  memcpy (before, net->logits, sizeof before);
  for (int i = 8; i < 4 * 8; i++)
    net->x[i] += 1;
  gs_net_forward (net, 4, 2, FALSE);
  for (int k = 0; k < 3; k++)
    shift += fabs (net->logits[k] - before[k]);
  gs_net_free (net);
  return shift;
}

static void
test_batchstd_eval (void)
{
  g_assert_cmpfloat (row0_shift ("batchnorm-b"), >, 1e-4);
  g_assert_cmpfloat (row0_shift ("batchnorm"), ==, 0);
}

static void
test_grad_transforms (void)
{
  GsConfig c;
  g_autoptr (GsRecord) u = NULL, k = NULL;

  small (&c, "baseline");
  c.epochs = 1;
  gs_config_set (&c, "gradnorm", "unit", NULL);
  u = train (&c, builtin);
  for (guint l = 0; l < gs_record_n_layers (u); l++)
    {
      float g = gs_record_first_step_probe (u, GS_PROBE_GRAD_NORM, l);
      g_assert_cmpfloat (g, <=, 1.0001f); /* W's share of the unit [W, b] norm */
      g_assert_cmpfloat (g, >, 0.3f);
    }
  small (&c, "relu");
  c.epochs = 1;
  c.clip_norm = 0.01;
  k = train (&c, builtin);
  {
    double total = 0;
    for (guint l = 0; l < gs_record_n_layers (k); l++)
      total += pow (gs_record_first_step_probe (k, GS_PROBE_GRAD_NORM, l), 2);
    g_assert_cmpfloat (sqrt (total), <=, 0.01 * 1.0001);
  }
}

/* The gradient norms of a deep sigmoid net's lower layers, 1e-22 and far
 * below: each layer's norm is recorded (not 0) wherever the one above is
 * not tiny itself (float sums of squares gave 0 below about 1e-22). */
static void
test_tiny_gradients (void)
{
  GsConfig c;
  g_autoptr (GsRecord) r = NULL;
  float lowest = 1;

  small (&c, "baseline");
  c.depth = 40;
  c.epochs = 1;
  c.limit_train = 64;
  r = train (&c, builtin);
  for (guint l = 0; l + 1 < gs_record_n_layers (r); l++)
    {
      float g = gs_record_first_step_probe (r, GS_PROBE_GRAD_NORM, l);
      float above = gs_record_first_step_probe (r, GS_PROBE_GRAD_NORM, l + 1);
      if (above >= 1e-30f)
        g_assert_cmpfloat (g, >, 0);
      if (g > 0)
        lowest = MIN (lowest, g);
    }
  g_assert_cmpfloat (lowest, <, 1e-28f); /* the range is reached */
}

/* 1 where a subnormal product (1e-30 x 1e-10) comes out as 0: on every
 * thread of the team. */
static int
flushed_everywhere (void)
{
  int all = 1;

#pragma omp parallel reduction(&& : all)
  {
    volatile float x = 1e-30f, y = 1e-10f;
    all = x * y == 0;
  }
  return all;
}

static void
check_flushed (GsTrainerEvent event, const GsProgress *p, gpointer user_data)
{
  (void) p;
  if (event == GS_TRAINER_EVENT_STEP)
    *(int *) user_data &= flushed_everywhere ();
}

/* Training flushes subnormals (gs-fpmode.h) on its thread and team, and
 * puts the mode back after. */
static void
test_subnormals_flushed (void)
{
#if defined(__x86_64__) || defined(__i386__)
  g_autoptr (GError) error = NULL;
  g_autoptr (GsTrainer) t = NULL;
  GsConfig c;
  int      flushed = 1;

  small (&c, "baseline");
  c.epochs = 1;
  g_assert_false (flushed_everywhere ());
  t = gs_trainer_new (&c, builtin, &error);
  g_assert_no_error (error);
  gs_trainer_set_callback (t, check_flushed, &flushed);
  g_assert_true (gs_trainer_run (t, &error));
  g_assert_true (flushed);
  g_assert_false (flushed_everywhere ());
#else
  g_test_skip ("subnormals are flushed on x86 only");
#endif
}

typedef struct
{
  GsTrainer *t;
  guint      stop_at;
  guint      steps;
} StopData;

static void
stop_cb (GsTrainerEvent event, const GsProgress *p, gpointer user_data)
{
  StopData *d = user_data;

  if (event == GS_TRAINER_EVENT_STEP && ++d->steps == d->stop_at)
    gs_trainer_stop (d->t);
}

static gpointer
run_thread (gpointer data)
{
  gs_trainer_run (data, NULL);
  return NULL;
}

static void
test_pause_stop (void)
{
  GsConfig c;
  StopData d = { 0 };
  GThread *th;
  guint    before;
  gboolean stopped;

  small (&c, "baseline");
  c.epochs = 50;
  d.t = gs_trainer_new (&c, builtin, NULL);
  d.stop_at = 5;
  gs_trainer_set_callback (d.t, stop_cb, &d);
  gs_trainer_run (d.t, NULL);
  g_assert_cmpuint (gs_record_n_steps (gs_trainer_get_record (d.t)), ==, 5);
  g_assert_true (gs_record_finished (gs_trainer_get_record (d.t), &stopped));
  g_assert_true (stopped);
  g_assert_false (gs_record_has_test (gs_trainer_get_record (d.t))); /* stop means now */
  gs_trainer_free (d.t);

  /* pause from another thread: no step is taken while paused */
  d = (StopData){ gs_trainer_new (&c, builtin, NULL), 0, 0 };
  th = g_thread_new ("trainer", run_thread, d.t);
  while (gs_record_n_steps (gs_trainer_get_record (d.t)) < 3)
    g_usleep (1000);
  gs_trainer_pause (d.t, TRUE);
  g_usleep (50000);
  before = gs_record_n_steps (gs_trainer_get_record (d.t));
  g_usleep (100000);
  g_assert_cmpuint (gs_record_n_steps (gs_trainer_get_record (d.t)), ==, before);
  gs_trainer_pause (d.t, FALSE);
  while (gs_record_n_steps (gs_trainer_get_record (d.t)) < before + 3)
    g_usleep (1000);
  gs_trainer_stop (d.t);
  g_thread_join (th);
  g_assert_true (gs_record_finished (gs_trainer_get_record (d.t), &stopped));
  g_assert_true (stopped);
  gs_trainer_free (d.t);
}

static void
test_memory_refused (void)
{
  GsConfig c;
  g_autoptr (GError) error = NULL;
  GsTrainer *t;

  gs_config_init_defaults (&c);
  c.width = 4096;
  c.depth = 64;
  c.batch_size = 60000;
  t = gs_trainer_new (&c, builtin, &error);
  g_assert_null (t);
  g_assert_error (error, GS_TRAINER_ERROR, GS_TRAINER_ERROR_MEMORY);
  g_assert_nonnull (strstr (error->message, "GB"));
}

/* ---- run files ---- */

static void
assert_same_record (GsRecord *a, GsRecord *b)
{
  guint n = gs_record_n_layers (a);

  g_assert_true (gs_config_equal (gs_record_config (a), gs_record_config (b)));
  g_assert_cmpstr (gs_record_config (a)->preset, ==, gs_record_config (b)->preset);
  g_assert_cmpstr (gs_record_dataset (a), ==, gs_record_dataset (b));
  g_assert_cmpuint (n, ==, gs_record_n_layers (b));
  g_assert_cmpuint (gs_record_n_steps (a), ==, gs_record_n_steps (b));
  g_assert_cmpuint (gs_record_stride (a), ==, gs_record_stride (b));
  g_assert_cmpuint (gs_record_steps_per_epoch (a), ==, gs_record_steps_per_epoch (b));
  g_assert_true (same_series (a, b));
  for (guint l = 0; l < n; l++)
    {
      g_assert_cmpmem (gs_record_last_probes (a, l), GS_N_PROBES * sizeof (float),
                       gs_record_last_probes (b, l), GS_N_PROBES * sizeof (float));
      for (int p = 0; p < GS_N_PROBES; p++)
        {
          float x = gs_record_first_epoch_probe (a, p, l), y = gs_record_first_epoch_probe (b, p, l);
          g_assert_true ((isnan (x) && isnan (y)) || x == y);
          x = gs_record_first_step_probe (a, p, l), y = gs_record_first_step_probe (b, p, l);
          g_assert_true ((isnan (x) && isnan (y)) || x == y);
        }
    }
  g_assert_cmpuint (gs_record_n_epochs (a), ==, gs_record_n_epochs (b));
  for (guint e = 0; e < gs_record_n_epochs (a); e++)
    g_assert_cmpmem (gs_record_epoch (a, e), sizeof (GsEpochStats), gs_record_epoch (b, e),
                     sizeof (GsEpochStats));
  g_assert_cmpuint (gs_record_n_checkpoints (a), ==, gs_record_n_checkpoints (b));
  for (guint c = 0; c < gs_record_n_checkpoints (a); c++)
    {
      g_assert_cmpuint (gs_record_checkpoint_step (a, c), ==, gs_record_checkpoint_step (b, c));
      for (guint l = 0; l < n; l++)
        for (int k = 0; k < GS_N_HIST_KINDS; k++)
          g_assert_cmpmem (gs_record_hist (a, c, k, l), sizeof (GsHist), gs_record_hist (b, c, k, l),
                           sizeof (GsHist));
    }
  g_assert_cmpuint (gs_record_n_phases (a), ==, gs_record_n_phases (b));
  for (guint s = 0; s < gs_record_n_phases (a); s++)
    {
      const GsPhase *p = gs_record_phase (a, s), *q = gs_record_phase (b, s);
      g_assert_cmpuint (p->step, ==, q->step);
      g_assert_cmpint (p->stage, ==, q->stage);
      g_assert_cmpint (p->active_depth, ==, q->active_depth);
      g_assert_cmpint (p->lowest_trainable, ==, q->lowest_trainable);
      g_assert_cmpint (p->epochs, ==, q->epochs);
      g_assert_true (p->val_acc == q->val_acc || (isnan (p->val_acc) && isnan (q->val_acc)));
      g_assert_true (p->test_acc == q->test_acc || (isnan (p->test_acc) && isnan (q->test_acc)));
    }
  g_assert_cmpint (gs_record_has_test (a), ==, gs_record_has_test (b));
  g_assert_cmpfloat (gs_record_test_loss (a), ==, gs_record_test_loss (b));
  g_assert_cmpint (gs_record_diverged (a, NULL, NULL, NULL), ==, gs_record_diverged (b, NULL, NULL, NULL));
  g_assert_cmpfloat (gs_record_seconds (a), ==, gs_record_seconds (b));
}

static void
test_runfile_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gs-run-XXXXXX", NULL);
  const char      *presets[] = { "layerwise", "init-std10" };

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      GsConfig c;
      g_autoptr (GsRecord) r = NULL;
      small (&c, presets[i]);
      c.epochs = 4;
      if (i == 1)
        gs_config_set (&c, "activation", "relu", NULL), c.lr = 1; /* diverges: NaN in series */
      r = train (&c, builtin);
      for (int gz = 0; gz < 2; gz++)
        {
          g_autofree char *path = g_strdup_printf ("%s/run%u%s", dir, i, gz ? ".json.gz" : ".json");
          g_autoptr (GError) error = NULL;
          g_autoptr (GsRecord) back = NULL;
          g_assert_true (gs_runfile_save (r, path, &error));
          back = gs_runfile_load (path, &error);
          g_assert_no_error (error);
          assert_same_record (r, back);
          g_unlink (path);
        }
    }
  g_rmdir (dir);
}

typedef struct
{
  const char *name;
  const char *content; /* NULL: a missing file */
  int         code;
  const char *phrase;
} BadRun;

static const BadRun bad_runs[] = {
  { "missing", NULL, GS_RUNFILE_ERROR_READ, "cannot read" },
  { "empty", "", GS_RUNFILE_ERROR_FORMAT, "not a Gradscope run file" },
  { "text", "hello", GS_RUNFILE_ERROR_FORMAT, "not a Gradscope run file" },
  { "array", "[1, 2]", GS_RUNFILE_ERROR_FORMAT, "not a Gradscope run file" },
  { "other json", "{\"format\": \"something\"}", GS_RUNFILE_ERROR_FORMAT, "not a Gradscope run file" },
  { "newer", "{\"format\": \"gradscope-run\", \"version\": 99}", GS_RUNFILE_ERROR_VERSION, "newer" },
  { "no config", "{\"format\": \"gradscope-run\", \"version\": 1}", GS_RUNFILE_ERROR_FORMAT, "'config'" },
};

static void
test_runfile_bad (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gs-bad-XXXXXX", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_runs); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/bad%u.json", dir, i);
      g_autoptr (GError) error = NULL;
      if (bad_runs[i].content)
        g_file_set_contents (path, bad_runs[i].content, -1, NULL);
      g_assert_null (gs_runfile_load (path, &error));
      g_assert_error (error, GS_RUNFILE_ERROR, bad_runs[i].code);
      if (!strstr (error->message, path) || !strstr (error->message, bad_runs[i].phrase))
        g_error ("%s: '%s' lacks the path or '%s'", bad_runs[i].name, error->message, bad_runs[i].phrase);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Truncating a real run file anywhere gives an error, never a crash or a
 * half-loaded record. */
static void
test_runfile_truncated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gs-trunc-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.json", NULL);
  g_autofree char *data = NULL;
  gsize            len;
  GsConfig         c;
  g_autoptr (GsRecord) r = NULL;

  small (&c, "baseline");
  c.epochs = 1;
  r = train (&c, builtin);
  g_assert_true (gs_runfile_save (r, path, NULL));
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  for (gsize at = 0; at < len; at += MAX (1, len / 97))
    {
      g_autoptr (GError) error = NULL;
      GsRecord *back;
      g_file_set_contents (cut, data, at, NULL);
      back = gs_runfile_load (cut, &error);
      g_assert_null (back);
      g_assert_error (error, GS_RUNFILE_ERROR, GS_RUNFILE_ERROR_FORMAT);
    }
  g_unlink (path);
  g_unlink (cut);
  g_rmdir (dir);
}

/* ---- the real data set ---- */

static GsDataset *
real_data (void)
{
  GsDataset *d = gs_dataset_load_dir ("/usr/share/datasets/fashion-mnist", NULL);

  if (d == NULL)
    g_test_skip ("Fashion-MNIST is not installed (dataset-fashion-mnist)");
  return d;
}

/* The seed's claim: with sigmoid and default init, the first layer's weight
 * gradient is orders of magnitude below the last layer's in epoch 1. */
static void
test_real_vanishing (void)
{
  g_autoptr (GsDataset) d = real_data ();
  GsConfig c;
  g_autoptr (GsRecord) b = NULL, r = NULL;
  guint out;

  if (d == NULL)
    return;
  gs_config_load_preset (&c, "baseline", NULL);
  c.epochs = 1;
  c.limit_train = 4096;
  b = train (&c, d);
  out = gs_record_n_layers (b) - 1;
  g_assert_cmpfloat (gs_record_first_epoch_probe (b, GS_PROBE_GRAD_NORM, 0), <,
                     1e-3 * gs_record_first_epoch_probe (b, GS_PROBE_GRAD_NORM, out));
  for (guint l = 0; l + 1 < out; l++) /* shrinking towards the input, layer by layer */
    g_assert_cmpfloat (gs_record_first_epoch_probe (b, GS_PROBE_GRAD_NORM, l), <,
                       gs_record_first_epoch_probe (b, GS_PROBE_GRAD_NORM, l + 2));
  gs_config_load_preset (&c, "relu", NULL);
  c.epochs = 1;
  c.limit_train = 4096;
  r = train (&c, d);
  g_assert_cmpfloat (gs_record_first_epoch_probe (r, GS_PROBE_GRAD_NORM, 0), >,
                     1e-2 * gs_record_first_epoch_probe (r, GS_PROBE_GRAD_NORM, out));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  builtin = gs_dataset_new_builtin ();
  g_test_add_func ("/train/determinism", test_determinism);
  g_test_add_func ("/train/learns", test_learns);
  g_test_add_func ("/train/divergence", test_divergence);
  g_test_add_func ("/train/layerwise", test_layerwise);
  g_test_add_func ("/train/fresh-head", test_fresh_head);
  g_test_add_func ("/train/batchstd-eval", test_batchstd_eval);
  g_test_add_func ("/train/grad-transforms", test_grad_transforms);
  g_test_add_func ("/train/tiny-gradients", test_tiny_gradients);
  g_test_add_func ("/train/subnormals-flushed", test_subnormals_flushed);
  g_test_add_func ("/train/pause-stop", test_pause_stop);
  g_test_add_func ("/train/memory-refused", test_memory_refused);
  g_test_add_func ("/runfile/round-trip", test_runfile_round_trip);
  g_test_add_func ("/runfile/bad", test_runfile_bad);
  g_test_add_func ("/runfile/truncated", test_runfile_truncated);
  g_test_add_func ("/train/real/vanishing", test_real_vanishing);
  status = g_test_run ();
  gs_dataset_free (builtin);
  return status;
}
