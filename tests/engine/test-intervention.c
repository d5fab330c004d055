/* test-intervention.c: changes made while a run trains: parsing and its
 * errors, the schedule, a live change taking the same path, a fresh
 * optimizer state, determinism on 1 and 2 threads, per-epoch gradient
 * norms, and run files keeping all of it. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "gs-omp.h"
#include "gs-net.h"
#include "gs-runfile.h"
#include "gs-trainer.h"

static GsDataset *builtin;

static void
small (GsConfig *c, const char *preset)
{
  gs_config_load_preset (c, preset, NULL);
  c->width = 64;
  c->epochs = 2;
  c->batch_size = 128;
  c->limit_train = 2048; /* 16 steps per epoch */
  c->seed = 11;
}

static GsIntervention
at (const char *text)
{
  GsIntervention iv;
  g_autoptr (GError) error = NULL;

  g_assert_true (gs_intervention_parse (text, FALSE, &iv, &error));
  g_assert_no_error (error);
  return iv;
}

static GsRecord *
train_with (const GsConfig *c, const GsIntervention *list, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsTrainer) t = gs_trainer_new (c, builtin, &error);

  g_assert_no_error (error);
  g_assert_true (gs_trainer_add_schedule (t, list, n, &error));
  g_assert_true (gs_trainer_run (t, &error));
  return gs_record_ref (gs_trainer_get_record (t));
}

/* Columns [from, to) of every series bit for bit (steps from+1 .. to). */
static gboolean
same_columns (GsRecord *a, GsRecord *b, guint from, guint to)
{
  gsize n = (to - from) * sizeof (float);

  g_assert_cmpuint (gs_record_stride (a), ==, 1);
  if (memcmp (gs_record_loss_series (a) + from, gs_record_loss_series (b) + from, n) != 0)
    return FALSE;
  for (guint l = 0; l < gs_record_n_layers (a); l++)
    for (int p = 0; p < GS_N_PROBES; p++)
      if (memcmp (gs_record_series (a, p, l) + from, gs_record_series (b, p, l) + from, n) != 0)
        return FALSE;
  return TRUE;
}

static void
expect_refused (const char *text, gboolean by_epoch, const char *needle)
{
  GsIntervention iv;
  g_autoptr (GError) error = NULL;

  g_assert_false (gs_intervention_parse (text, by_epoch, &iv, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("'%s': expected '%s' in: %s", text, needle, error->message);
}

static void
test_parse (void)
{
  GsIntervention iv = at ("300:lr=1e-3");
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (iv.step, ==, 300);
  g_assert_cmpstr (iv.option, ==, "lr");
  g_assert_cmpstr (iv.to, ==, "0.001"); /* as the table spells it */
  g_assert_true (gs_intervention_parse ("2:gradnorm=signal", TRUE, &iv, &error));
  g_assert_cmpuint (iv.step, ==, 0);
  g_assert_cmpint (iv.epoch, ==, 2);
  expect_refused ("0:lr=0.1", FALSE, "--at '0:lr=0.1': the step must be");
  expect_refused ("x:lr=0.1", TRUE, "--at-epoch 'x:lr=0.1': the epoch must be");
  expect_refused ("lr=0.1", FALSE, "expected STEP:OPTION=VALUE");
  expect_refused ("5:lr", FALSE, "expected STEP:OPTION=VALUE");
  expect_refused ("5:=3", FALSE, "expected STEP:OPTION=VALUE");
  expect_refused ("5:depth=3", FALSE, "--depth cannot change while a run trains");
  expect_refused ("5:activation=relu", FALSE, "--activation cannot change");
  expect_refused ("5:frobnicate=1", FALSE, "unknown option --frobnicate");
  expect_refused ("5:lr=100", FALSE, "--lr: invalid value '100'");
  expect_refused ("5:optimizer=lbfgs", FALSE, "--optimizer: invalid value 'lbfgs'");
}

static void
test_schedule_range (void)
{
  GsConfig       c;
  GsIntervention iv;
  g_autoptr (GError) error = NULL;
  g_autoptr (GsTrainer) t = NULL;

  small (&c, "baseline");
  t = gs_trainer_new (&c, builtin, &error);
  g_assert_no_error (error);
  iv = at ("33:lr=0.1"); /* 2 epochs of 16 steps */
  g_assert_false (gs_trainer_add_schedule (t, &iv, 1, &error));
  g_assert_nonnull (strstr (error->message, "--at 33:lr=0.1: step 33 is beyond the run"));
  g_clear_error (&error);
  iv = at ("32:lr=0.1");
  g_assert_true (gs_trainer_add_schedule (t, &iv, 1, &error));
  g_assert_true (gs_intervention_parse ("3:lr=0.1", TRUE, &iv, NULL));
  g_assert_false (gs_trainer_add_schedule (t, &iv, 1, &error));
  g_assert_nonnull (strstr (error->message, "--at-epoch 3:lr=0.1: epoch 3 is outside the run"));
  g_clear_error (&error);
  g_assert_false (gs_trainer_change (t, "width", "3", &error));
  g_assert_nonnull (strstr (error->message, "--width cannot change"));
  g_clear_error (&error);
  g_assert_false (gs_trainer_change (t, "clip-norm", "-1", &error));
  g_assert_nonnull (strstr (error->message, "--clip-norm"));
  g_clear_error (&error);
  {
    /* what a record holds, no more: every change applied is recorded */
    GsIntervention many[GS_MAX_INTERVENTIONS];
    for (guint i = 0; i < G_N_ELEMENTS (many); i++)
      many[i] = at ("2:lr=0.02");
    g_assert_false (gs_trainer_add_schedule (t, many, G_N_ELEMENTS (many), &error));
    g_assert_nonnull (strstr (error->message, "more than a run holds"));
    g_clear_error (&error);
    g_assert_true (gs_trainer_add_schedule (t, many, G_N_ELEMENTS (many) - 1, &error));
    g_assert_false (gs_trainer_change (t, "lr", "0.03", &error));
    g_assert_nonnull (strstr (error->message, "as many as a run holds"));
  }
}

/* Before the change the run is the run without it, bit for bit; from the
 * change's step on it differs; the record says what changed. The epoch
 * form lands on the epoch's first step. */
static void
test_schedule_applies (void)
{
  GsConfig       c;
  GsIntervention list[2];
  g_autoptr (GsRecord) plain = NULL, changed = NULL;
  const GsIntervention *iv;

  small (&c, "baseline");
  list[0] = at ("9:optimizer=adam");
  g_assert_true (gs_intervention_parse ("2:lr=0.002", TRUE, &list[1], NULL));
  plain = train_with (&c, NULL, 0);
  changed = train_with (&c, list, 2);
  g_assert_true (same_columns (plain, changed, 0, 8));
  g_assert_false (same_columns (plain, changed, 8, 9));
  g_assert_cmpuint (gs_record_n_interventions (plain), ==, 0);
  g_assert_cmpuint (gs_record_n_interventions (changed), ==, 2);
  iv = gs_record_intervention (changed, 0);
  g_assert_cmpuint (iv->step, ==, 9);
  g_assert_cmpint (iv->epoch, ==, 1);
  g_assert_cmpstr (iv->option, ==, "optimizer");
  g_assert_cmpstr (iv->from, ==, "sgd");
  g_assert_cmpstr (iv->to, ==, "adam");
  iv = gs_record_intervention (changed, 1);
  g_assert_cmpuint (iv->step, ==, 17);
  g_assert_cmpint (iv->epoch, ==, 2);
  g_assert_cmpstr (iv->from, ==, "0.01");
  g_assert_cmpstr (iv->to, ==, "0.002");
  /* the record's config is the one the run started from */
  g_assert_cmpint (gs_record_config (changed)->optimizer, ==, GS_OPTIM_SGD);
}

/* A new update rule starts with a fresh state: Adam switched to AdamW
 * without weight decay (the same arithmetic) is Adam restarted, so it
 * differs from plain Adam from that step; a value that does not change
 * anything is no intervention. */
static void
test_fresh_optimizer (void)
{
  GsConfig       c;
  GsIntervention same = at ("5:optimizer=adam"), other = at ("5:optimizer=adamw");
  g_autoptr (GsRecord) adam = NULL, noop = NULL, restarted = NULL;

  small (&c, "adam");
  c.weight_decay = 0;
  adam = train_with (&c, NULL, 0);
  noop = train_with (&c, &same, 1);
  restarted = train_with (&c, &other, 1);
  g_assert_true (same_columns (adam, noop, 0, 32));
  g_assert_cmpuint (gs_record_n_interventions (noop), ==, 0);
  g_assert_true (same_columns (adam, restarted, 0, 4));
  g_assert_false (same_columns (adam, restarted, 4, 5));
}

/* --freeze while training: from its step the lowest layers keep their
 * weights (no gradient is computed for them), a new span of the phase
 * marks it, and setting it back to 0 trains them again; more layers than
 * the net has is refused. */
static void
test_freeze (void)
{
  GsConfig       c;
  GsIntervention list[2] = { at ("9:freeze=3"), at ("21:freeze=0") };
  g_autoptr (GsRecord) plain = NULL, frozen = NULL;
  g_autoptr (GError) error = NULL;

  small (&c, "baseline");
  plain = train_with (&c, NULL, 0);
  frozen = train_with (&c, list, 2);
  g_assert_true (same_columns (plain, frozen, 0, 8));
  for (guint l = 0; l < 4; l++)
    {
      const float *g = gs_record_series (frozen, GS_PROBE_GRAD_NORM, l);
      g_assert_true (isfinite (g[7]) && isfinite (g[20]));
      for (guint col = 8; col < 20; col++)
        g_assert_true (l < 3 ? isnan (g[col]) : isfinite (g[col]));
    }
  g_assert_cmpuint (gs_record_n_phases (frozen), ==, 3);
  g_assert_cmpuint (gs_record_phase (frozen, 1)->step, ==, 9);
  g_assert_cmpint (gs_record_phase (frozen, 1)->lowest_trainable, ==, 3);
  g_assert_cmpuint (gs_record_phase (frozen, 2)->step, ==, 21);
  g_assert_cmpint (gs_record_phase (frozen, 2)->lowest_trainable, ==, 0);

  g_assert_false (gs_intervention_set (&c, "freeze", "8", &error));
  g_assert_nonnull (strstr (error->message, "freeze"));
}

/* Frozen from the start, the lowest layers end with the weights they
 * started with, bit for bit; the one above them moves. */
static void
test_freeze_keeps_weights (void)
{
  GsConfig c;
  g_autoptr (GError) error = NULL;

  small (&c, "baseline");
  c.freeze = 2;
  g_autoptr (GsTrainer) t = gs_trainer_new (&c, builtin, &error);
  g_assert_no_error (error);
  const GsNet *net = gs_trainer_get_net (t);
  gs_real     *before[3] = { NULL };
  for (int l = 0; l < 3; l++)
    before[l] = g_memdup2 (net->layers[l].w, net->layers[l].count * sizeof (gs_real));
  g_assert_true (gs_trainer_run (t, &error));
  for (int l = 0; l < 3; l++)
    {
      gboolean same = memcmp (before[l], net->layers[l].w, net->layers[l].count * sizeof (gs_real)) == 0;
      g_assert_true (l < 2 ? same : !same);
      g_free (before[l]);
    }
}

typedef struct
{
  GsTrainer *t;
  guint      at_step;
} LiveData;

static void
change_cb (GsTrainerEvent event, const GsProgress *p, gpointer user_data)
{
  LiveData *d = user_data;

  if (event == GS_TRAINER_EVENT_STEP && p->step == d->at_step)
    g_assert_true (gs_trainer_change (d->t, "gradnorm", "signal", NULL));
}

/* A change made while the run trains, after step 6, is --at 7: the same
 * run bit for bit, on one thread and on two. */
static void
test_live_equals_schedule (void)
{
  GsConfig       c;
  GsIntervention iv = at ("7:gradnorm=signal");

  small (&c, "baseline");
  c.batch_size = 256; /* large enough for the parallel paths */
  c.limit_train = 4096;
  for (int threads = 1; threads <= 2; threads++)
    {
      g_autoptr (GsRecord) scheduled = NULL, again = NULL, live = NULL;
      g_autoptr (GError) error = NULL;
      LiveData d = { gs_trainer_new (&c, builtin, &error), 6 };
      omp_set_num_threads (threads);
      scheduled = train_with (&c, &iv, 1);
      again = train_with (&c, &iv, 1);
      gs_trainer_set_callback (d.t, change_cb, &d);
      g_assert_true (gs_trainer_run (d.t, &error));
      live = gs_record_ref (gs_trainer_get_record (d.t));
      gs_trainer_free (d.t);
      g_assert_true (same_columns (scheduled, again, 0, gs_record_n_columns (scheduled)));
      g_assert_true (same_columns (scheduled, live, 0, gs_record_n_columns (scheduled)));
      g_assert_cmpuint (gs_record_intervention (live, 0)->step, ==, 7);
      g_assert_cmpfloat (gs_record_test_accuracy (scheduled), ==, gs_record_test_accuracy (live));
    }
}

/* Same config, seed and schedule: bit-identical on 1 and on 2 threads. */
static void
test_determinism (void)
{
  GsConfig       c;
  GsIntervention list[3];
  g_autoptr (GsRecord) one = NULL, two = NULL;

  small (&c, "baseline");
  c.batch_size = 256;
  c.limit_train = 4096;
  list[0] = at ("3:gradnorm=signal");
  list[1] = at ("9:optimizer=momentum");
  list[2] = at ("12:clip-norm=1");
  omp_set_num_threads (1);
  one = train_with (&c, list, 3);
  omp_set_num_threads (2);
  two = train_with (&c, list, 3);
  g_assert_true (same_columns (one, two, 0, gs_record_n_columns (one)));
  g_assert_cmpfloat (gs_record_test_accuracy (one), ==, gs_record_test_accuracy (two));
  g_assert_cmpuint (gs_record_n_interventions (two), ==, 3);
}

/* Each epoch's grad_norm is the mean of its steps' weight-gradient norms;
 * switching the signal normalisation on wakes the lowest layer up. */
static void
test_epoch_grad_norm (void)
{
  GsConfig       c;
  GsIntervention iv;
  g_autoptr (GsRecord) r = NULL;

  small (&c, "baseline");
  g_assert_true (gs_intervention_parse ("2:gradnorm=signal", TRUE, &iv, NULL));
  r = train_with (&c, &iv, 1);
  g_assert_cmpuint (gs_record_n_epochs (r), ==, 2);
  for (guint e = 0; e < 2; e++)
    for (guint l = 0; l < gs_record_n_layers (r); l++)
      {
        const float *s = gs_record_series (r, GS_PROBE_GRAD_NORM, l) + e * 16;
        double       sum = 0;
        for (int k = 0; k < 16; k++)
          sum += s[k];
        g_assert_cmpfloat_with_epsilon (gs_record_epoch_grad_norm (r, e, l), sum / 16, 1e-6 * sum / 16);
      }
  g_assert_cmpfloat (gs_record_epoch_grad_norm (r, 1, 0), >, 100 * gs_record_epoch_grad_norm (r, 0, 0));
}

/* A preset's schedule: the trainer makes the changes its run reaches,
 * before those added to it; a shorter run is still the preset. */
static void
test_preset_schedule (void)
{
  GsConfig       c;
  GsIntervention lr = at ("3:lr=0.05");
  g_autoptr (GsRecord) two = NULL, one = NULL;

  small (&c, "gradnorm-switch");
  two = train_with (&c, &lr, 1);
  g_assert_cmpuint (gs_record_n_interventions (two), ==, 2);
  g_assert_cmpstr (gs_record_intervention (two, 0)->option, ==, "lr");
  g_assert_cmpuint (gs_record_intervention (two, 1)->step, ==, 17);
  g_assert_cmpstr (gs_record_intervention (two, 1)->to, ==, "signal");
  c.epochs = 1;
  one = train_with (&c, NULL, 0);
  g_assert_cmpuint (gs_record_n_interventions (one), ==, 0);
}

/* The run file keeps the interventions and the epochs' gradient norms. */
static void
test_runfile (void)
{
  GsConfig       c;
  GsIntervention iv = at ("20:weight-decay=0.001");
  g_autoptr (GsRecord) r = NULL, back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gs-interv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.gsrun", NULL);

  small (&c, "baseline");
  r = train_with (&c, &iv, 1);
  g_assert_true (gs_runfile_save (r, path, &error));
  back = gs_runfile_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gs_record_n_interventions (back), ==, 1);
  g_assert_cmpmem (gs_record_intervention (back, 0), sizeof (GsIntervention), gs_record_intervention (r, 0),
                   sizeof (GsIntervention));
  for (guint e = 0; e < 2; e++)
    for (guint l = 0; l < gs_record_n_layers (r); l++)
      g_assert_cmpfloat (gs_record_epoch_grad_norm (back, e, l), ==, gs_record_epoch_grad_norm (r, e, l));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  builtin = gs_dataset_new_builtin ();
  g_test_add_func ("/intervention/parse", test_parse);
  g_test_add_func ("/intervention/schedule-range", test_schedule_range);
  g_test_add_func ("/intervention/schedule-applies", test_schedule_applies);
  g_test_add_func ("/intervention/fresh-optimizer", test_fresh_optimizer);
  g_test_add_func ("/intervention/freeze", test_freeze);
  g_test_add_func ("/intervention/freeze-keeps-weights", test_freeze_keeps_weights);
  g_test_add_func ("/intervention/live-equals-schedule", test_live_equals_schedule);
  g_test_add_func ("/intervention/determinism", test_determinism);
  g_test_add_func ("/intervention/epoch-grad-norm", test_epoch_grad_norm);
  g_test_add_func ("/intervention/preset-schedule", test_preset_schedule);
  g_test_add_func ("/intervention/runfile", test_runfile);
  status = g_test_run ();
  gs_dataset_free (builtin);
  return status;
}
