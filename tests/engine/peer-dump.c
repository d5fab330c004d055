/* peer-dump.c: one training step's numbers, for tests/engine/peer-check.py.
 *
 *   peer-dump PRESET OUT_FILE
 *
 * Builds the preset's network (float, as trained), takes the first 64
 * images of the data set, runs one training-mode forward and backward, and
 * writes little-endian float32 arrays: a JSON header line, then params
 * (the engine's layout: per Linear layer W (out, in), b (out), and for batch
 * norm gamma, beta), x (64, 784), labels as float, loss (1), grads (like
 * params). */
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
