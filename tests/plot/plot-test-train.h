/* plot-test-train.h: a real short run for the figure tests (built-in data,
 * so no files are needed). */
#pragma once

#include "gs-trainer.h"

static inline GsRecord *
plot_test_train (const char *preset, int batch_size)
{
  g_autoptr (GsDataset) data = gs_dataset_new_builtin ();
  g_autoptr (GError) error = NULL;
  GsConfig config;

  g_assert_true (gs_config_load_preset (&config, preset, &error));
  config.epochs = 2;
  config.limit_train = 1000;
  if (batch_size > 0)
    config.batch_size = batch_size;
  config.seed = 1;
  g_autoptr (GsTrainer) t = gs_trainer_new (&config, data, &error);
  g_assert_no_error (error);
  g_assert_true (gs_trainer_run (t, &error));
  g_assert_no_error (error);
  return gs_record_ref (gs_trainer_get_record (t));
}
