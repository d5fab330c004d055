/* gs-fpmode.h: training's float arithmetic with subnormal numbers flushed
 * to zero (x86's FTZ and DAZ; elsewhere nothing changes).
 *
 * A deep sigmoid net's back-propagated signal shrinks about sevenfold a
 * layer; in a 50-layer net it falls below float's smallest normal number,
 * 1.2e-38, and every multiply-add on such a subnormal takes a microcode
 * assist on Intel cores: a 50 x 128 net trained 13.9x slower with them
 * kept (1 040 against 14 400 samples/s, one thread, batch 512, a Xeon of
 * family 6 model 207; bench/RESULTS.md). A gradient that small changes no
 * weight (the step is lost in the weight's rounding long before), so
 * values under 1.2e-38 become 0, as TensorFlow and XLA do on CPUs; the
 * probes record norms down to there (gs-optim.c scales the squares). The
 * runs of bench/figures-identical.sh keep every bit; a saturated run
 * (init-std10) keeps its numbers but moves a few histogram counts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Flushes subnormals on this thread and on its OpenMP team (threads the
 * team adds later copy this thread's mode); returns the mode as it was,
 * for gs_fpmode_restore (). Not inside a parallel region. */
guint gs_fpmode_flush_subnormals (void);
void  gs_fpmode_restore (guint mode);

G_END_DECLS
