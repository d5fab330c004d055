/* peer-dump.c: one training step's numbers, for tests/engine/peer-check.py.
 *
 *   peer-dump PRESET OUT_FILE
 *   peer-dump --schedule PRESET   (what the real trainer does, phase by phase)
 *
 * Builds the preset's network (float, as trained), takes the first 64
 * images of the data set, runs one training-mode forward and backward, and
 * writes little-endian float32 arrays: a JSON header line, then params
 * (the engine's layout: per Linear layer W (out, in), b (out), and for batch
 * norm gamma, beta), x (64, 784), labels as float, loss (1), grads (like
 * params). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gs-net.h"
#include "gs-trainer.h"

#define BATCH 64

static gboolean
write_floats (FILE *f, const float *v, size_t n)
{
  return fwrite (v, sizeof (float), n, f) == n;
}

/* --schedule: the real trainer, one epoch of 4 steps per phase on the
 * built-in data; after every step, which Linear layers' parameters moved.
 * A layer trains in a phase if it moved after the phase's first step; the
 * head is fresh if that first step moved it by more than an SGD step can
 * (relative change > 0.5: a redraw is ~1.4, a step ~1e-3). */
typedef struct
{
  GsTrainer *trainer;
  gs_real   *before;
  guint      phase; /* phases seen */
  double     head_jump;
  guint64    moved; /* bit l: layer l moved after the phase's first step */
  gboolean   first;
} Schedule;

static double
rel_change (const GsLayerView *v, const gs_real *before, const gs_real *now)
{
  double d = 0, n = 0;
  for (size_t i = 0; i < v->count; i++)
    {
      double a = before[v->offset + i], b = now[v->offset + i];
      d += (a - b) * (a - b), n += a * a;
    }
  return sqrt (d / MAX (n, 1e-30));
}

static void
schedule_phase_end (Schedule *s, const GsNet *net)
{
  const GsPhase *ph = gs_record_phase (gs_trainer_get_record (s->trainer), s->phase - 1);

  printf ("{\"hidden_layers\": %d, \"trainable_from\": %d, \"trained\": [", ph->active_depth,
          ph->lowest_trainable + 1);
  for (int l = 0, k = 0; l < net->depth; l++)
    if (s->moved & (G_GUINT64_CONSTANT (1) << l))
      printf ("%s%d", k++ ? ", " : "", l);
  printf ("], \"head_trained\": %s, \"fresh_head\": %s}\n", s->moved >> net->depth & 1 ? "true" : "false",
          s->head_jump > 0.5 ? "true" : "false");
}

static void
schedule_step (GsTrainerEvent event, const GsProgress *p, gpointer user_data)
{
  Schedule    *s = user_data;
  const GsNet *net = gs_trainer_get_net (s->trainer);
  guint        n = gs_record_n_phases (gs_trainer_get_record (s->trainer));

  if (event == GS_TRAINER_EVENT_DONE || (event == GS_TRAINER_EVENT_STEP && n != s->phase && s->phase > 0))
    schedule_phase_end (s, net);
  if (event != GS_TRAINER_EVENT_STEP)
    return;
  s->first = n != s->phase;
  if (s->first)
    s->phase = n, s->moved = 0;
  for (int l = 0; l < net->n_layers; l++)
    {
      double r = rel_change (&net->layers[l], s->before, net->params);
      if (s->first && l == net->depth)
        s->head_jump = r;
      else if (!s->first && r > 0)
        s->moved |= G_GUINT64_CONSTANT (1) << l;
    }
  memcpy (s->before, net->params, net->n_params * sizeof (gs_real));
}

static int
dump_schedule (const char *preset)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = gs_dataset_new_builtin ();
  g_autoptr (GsTrainer) t = NULL;
  Schedule s = { 0 };
  GsConfig c;

  if (!gs_config_load_preset (&c, preset, &error))
    return fprintf (stderr, "peer-dump: %s\n", error->message), 2;
  c.epochs = 1, c.batch_size = 64, c.limit_train = 256;
  if ((t = gs_trainer_new (&c, data, &error)) == NULL)
    return fprintf (stderr, "peer-dump: %s\n", error->message), 1;
  s.trainer = t;
  s.before = g_memdup2 (gs_trainer_get_net (t)->params, gs_trainer_get_net (t)->n_params * sizeof (gs_real));
  gs_trainer_set_callback (t, schedule_step, &s);
  gs_trainer_run (t, &error);
  g_free (s.before);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = NULL;
  GsConfig c;
  GsNet   *net;
  GsRng    rng;
  guint8   labels[BATCH];
  float    flabels[BATCH], loss;
  FILE    *f;
  gboolean ok;

  if (argc == 3 && g_str_equal (argv[1], "--schedule"))
    return dump_schedule (argv[2]);
  if (argc != 3 || !gs_config_load_preset (&c, argv[1], &error))
    {
      fprintf (stderr, "usage: peer-dump PRESET OUT_FILE (%s)\n", error ? error->message : "");
      return 2;
    }
  if ((data = gs_dataset_find (NULL, &error)) == NULL)
    {
      fprintf (stderr, "peer-dump: %s\n", error->message);
      return 1;
    }
  net = gs_net_new (&c, 784, 10, BATCH);
  gs_rng_init (&rng, 1234);
  gs_net_init (net, &rng);
  for (int r = 0; r < BATCH; r++)
    {
      for (int j = 0; j < 784; j++)
        net->x[r * 784 + j] = data->train.images[(size_t) r * 784 + j] / 255.0f;
      labels[r] = data->train.labels[r];
      flabels[r] = labels[r];
    }
  gs_net_forward (net, BATCH, c.depth, TRUE);
  loss = (float) (gs_net_loss (net, labels, BATCH, NULL) / BATCH);
  gs_net_backward (net, BATCH, c.depth, 0);
  if ((f = fopen (argv[2], "wb")) == NULL)
    {
      perror (argv[2]);
      return 1;
    }
  fprintf (f, "{\"preset\": \"%s\", \"batch\": %d, \"n_params\": %zu, \"dataset\": \"%s\"}\n", argv[1], BATCH,
           net->n_params, data->name);
  ok = write_floats (f, net->params, net->n_params) && write_floats (f, net->x, (size_t) BATCH * 784)
       && write_floats (f, flabels, BATCH) && write_floats (f, &loss, 1)
       && write_floats (f, net->grads, net->n_params);
  ok = fclose (f) == 0 && ok;
  gs_net_free (net);
  return ok ? 0 : 1;
}
