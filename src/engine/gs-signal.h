/* gs-signal.h: signal propagation at initialisation, and the inverses of
 * the activations (to read a histogram of outputs as one of inputs).
 *
 * gs_signal_at_init() builds the network of a config, initialises it exactly
 * as the trainer does (same seed, same weights), runs one training-mode
 * forward and backward on the first n samples of the training split and
 * returns what the trainer would have recorded at step 1, before any update:
 * a one-step record with the step-1 probes of every layer and one histogram
 * checkpoint at step 1. Every figure draws it; GS_FIGURE_AT_INIT and
 * GS_FIGURE_INIT_HIST are made for it. No weights are updated.
 */
#pragma once

#include <glib.h>
#include "gs-config.h"
#include "gs-dataset.h"
#include "gs-record.h"

G_BEGIN_DECLS

#define GS_SIGNAL_DEFAULT_SAMPLES 256

/* n_samples: batch size of the single pass (0 = GS_SIGNAL_DEFAULT_SAMPLES;
 * capped at the training split). Returns NULL and an error if the config
 * does not validate (GS_CONFIG_ERROR), would need more than half of the
 * machine's memory (GS_TRAINER_ERROR_MEMORY, the trainer's bound) or the
 * data set has no training samples. Thread-safe; blocks for the pass.
 * cancel (NULL = never): set non-zero from another thread, it ends the
 * pass within a layer, with GS_TRAINER_ERROR_CANCELLED. */
GsRecord *gs_signal_at_init (
    const GsConfig *config, const GsDataset *data, guint n_samples, const gint *cancel, GError **error);

/* Std of the input pixels (x / 255) of the same samples: the reference for
 * activation std per layer. */
double gs_signal_input_std (const GsDataset *data, guint n_samples);

/* The activation's input y for an output a (a = f(y)), for activations that
 * are strictly increasing (sigmoid, tanh, softsign, leaky ReLU, ELU,
 * identity); a at or beyond the range's end is moved just inside it.
 * Returns FALSE for ReLU and GELU, which lose the input. */
gboolean gs_activation_inverse (GsActivation act, double a, double *y);
gboolean gs_activation_invertible (GsActivation act);

G_END_DECLS
