/* fuzz-runfile.c: gs_runfile_load on arbitrary bytes (JSON or gzipped JSON),
 * then every accessor a figure uses, over every layer, column, checkpoint,
 * epoch and stage: a file that loads must be safe to draw. */
#include "fuzz-common.h"

#include <math.h>

#include "gs-runfile.h"

static float sink;

static void
touch (const float *v, guint n)
{
  GS_FUZZ_CHECK (n == 0 || v != NULL);
  for (guint i = 0; i < n; i++)
    sink += v[i];
}

static void
walk_series (GsRecord *rec)
{
  guint n_layers = gs_record_n_layers (rec);
  guint n_cols = gs_record_n_columns (rec);

  GS_FUZZ_CHECK (gs_record_stride (rec) >= 1);
  touch (gs_record_loss_series (rec), n_cols);
  touch (gs_record_accuracy_series (rec), n_cols);
  for (guint l = 0; l < n_layers; l++)
    {
      for (int p = 0; p < GS_N_PROBES; p++)
        {
          touch (gs_record_series (rec, p, l), n_cols);
          sink += gs_record_first_step_probe (rec, p, l);
          sink += gs_record_first_epoch_probe (rec, p, l);
        }
      if (gs_record_n_steps (rec) > 0)
        touch (gs_record_last_probes (rec, l), GS_N_PROBES);
    }
}

static void
walk_checkpoints (GsRecord *rec)
{
  guint n_layers = gs_record_n_layers (rec);

  for (guint cp = 0; cp < gs_record_n_checkpoints (rec); cp++)
    {
      sink += gs_record_checkpoint_step (rec, cp);
      for (int k = 0; k < GS_N_HIST_KINDS; k++)
        for (guint l = 0; l < n_layers; l++)
          {
            const GsHist *h = gs_record_hist (rec, cp, k, l);
            GS_FUZZ_CHECK (h != NULL);
            sink += h->lo + h->hi + h->mean + h->std + h->counts[GS_HIST_BINS - 1];
          }
    }
}

static void
walk_rest (GsRecord *rec)
{
  guint       step = 0;
  int         layer = 0;
  const char *what = NULL;
  gboolean    early;

  for (guint i = 0; i < gs_record_n_epochs (rec); i++)
    sink += gs_record_epoch (rec, i)->train_loss;
  for (guint i = 0; i < gs_record_n_stages (rec); i++)
    sink += gs_record_stage (rec, i)->active_depth;
  if (gs_record_diverged (rec, &step, &layer, &what))
    GS_FUZZ_CHECK (what != NULL);
  gs_record_finished (rec, &early);
  sink += gs_record_test_accuracy (rec) + gs_record_seconds (rec);
  GS_FUZZ_CHECK (gs_record_dataset (rec) != NULL);
  GS_FUZZ_CHECK (gs_config_validate (gs_record_config (rec), NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  const char *path = gs_fuzz_write_file (data, size);
  g_autoptr (GsRecord) rec = gs_runfile_load (path, &error);

  GS_FUZZ_CHECK ((rec == NULL) == (error != NULL));
  if (rec == NULL)
    {
      GS_FUZZ_CHECK (error->domain == GS_RUNFILE_ERROR);
      return 0;
    }
  GS_FUZZ_CHECK (gs_record_n_layers (rec) >= 1);
  walk_series (rec);
  walk_checkpoints (rec);
  walk_rest (rec);
  return 0;
}
