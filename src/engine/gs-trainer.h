/* gs-trainer.h: runs a configuration on a data set and fills a record.
 *
 * gs_trainer_run() blocks; call it from a worker thread. pause/stop may be
 * called from any thread and take effect within one training step.
 */
#pragma once

#include <glib.h>
#include "gs-config.h"
#include "gs-dataset.h"
#include "gs-intervention.h"
#include "gs-record.h"

G_BEGIN_DECLS

#define GS_TRAINER_ERROR (gs_trainer_error_quark ())
typedef enum
{
  GS_TRAINER_ERROR_MEMORY,    /* the config needs more memory than allowed */
  GS_TRAINER_ERROR_DATA,      /* data set does not fit the config */
  GS_TRAINER_ERROR_CANCELLED, /* gs_signal_at_init() was cancelled */
} GsTrainerError;
GQuark gs_trainer_error_quark (void);

typedef enum
{
  GS_TRAINER_EVENT_STEP,  /* after every step */
  GS_TRAINER_EVENT_EPOCH, /* after every epoch's evaluation */
  GS_TRAINER_EVENT_DONE,  /* finished, stopped or diverged */
} GsTrainerEvent;

typedef struct
{
  int    epoch; /* current epoch, 1-based */
  int    n_epochs;
  int    stage, n_stages; /* layer-wise, else 0 */
  guint  step;            /* global steps done */
  guint  n_steps;         /* global steps planned */
  double elapsed;         /* seconds of training so far (pauses excluded) */
  double samples_per_s;   /* over the current epoch */
  double eta;             /* seconds left, estimated */
} GsProgress;

typedef void (*GsTrainerCallback) (GsTrainerEvent event, const GsProgress *p, gpointer user_data);

typedef struct _GsTrainer GsTrainer;

/* Validates config against the data (and a memory bound) and builds the
 * network. The record exists from here on (empty). */
GsTrainer *gs_trainer_new (const GsConfig *config, const GsDataset *data, GError **error);
void       gs_trainer_free (GsTrainer *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsTrainer, gs_trainer_free)

GsRecord *gs_trainer_get_record (GsTrainer *t); /* borrowed */
/* The network, borrowed, to read from the trainer's own callbacks (tests
 * compare its weights across a layer-wise schedule's steps). */
const struct _GsNet *gs_trainer_get_net (GsTrainer *t);
/* Probes off: only loss/accuracy are recorded (for benchmarks). */
void gs_trainer_set_probes (GsTrainer *t, gboolean enabled);
void gs_trainer_set_callback (GsTrainer *t, GsTrainerCallback cb, gpointer user_data);

/* Trains all epochs, evaluates on validation each epoch and on test at the
 * end. Returns FALSE only on an error; divergence and stop are not errors
 * (see the record). */
gboolean gs_trainer_run (GsTrainer *t, GError **error);
/* Changes to make during the run (gs-intervention.h), added before it
 * runs to those of its preset (GsPreset.schedule: a new trainer takes the
 * ones its run reaches). Each is checked against the run's length (an
 * error naming its --at or --at-epoch text; then none is added) and applied
 * before its step, those at one step in the order added. Entries given by
 * epoch get that epoch's first step. */
gboolean gs_trainer_add_schedule (GsTrainer *t, const GsIntervention *list, guint n, GError **error);
/* The entries of the config's preset's schedule, appended to out. */
void gs_trainer_preset_schedule (const GsConfig *config, GArray *out);
/* Thread-safe: sets a live option from the next step on (the same path as
 * a schedule's entry), or an error naming the option; nothing changes then. */
gboolean gs_trainer_change (GsTrainer *t, const char *option, const char *value, GError **error);
void     gs_trainer_pause (GsTrainer *t, gboolean paused); /* thread-safe */
void     gs_trainer_stop (GsTrainer *t);                   /* thread-safe */

/* Memory the config needs for training at its batch size, in bytes. */
gsize gs_trainer_memory_needed (const GsConfig *config, guint n_inputs, guint n_classes);
/* Bytes this process may still allocate: the least of half the machine's
 * physical memory, what RLIMIT_AS and RLIMIT_DATA leave above what it
 * already uses, and the cgroup v2 memory.max minus memory.current. */
gsize gs_trainer_memory_available (void);
/* The memory bound the trainer and the signal at init keep: whether the
 * config fits in gs_trainer_memory_available (). *needed: bytes it needs
 * (gs_trainer_memory_needed ()); *available: that bound. */
gboolean gs_trainer_memory_fits (
    const GsConfig *config, guint n_inputs, guint n_classes, gsize *needed, gsize *available);
/* gs_trainer_memory_fits (), or an error that says how much the config
 * needs and how much the process has. */
gboolean gs_trainer_check_memory (const GsConfig *config, guint n_inputs, guint n_classes, GError **error);

G_END_DECLS
