/* gs-probes.h: what a step records about each layer of the net.
 *
 * The kernels gather their sums on the way, while the data is in cache (the
 * activation statistics in the forward, the signal's sum of squares in the
 * backward, the gradient and weight sums in the optimizer's update); this
 * module turns those sums into the probes of a step, and builds the
 * checkpoint histograms. The trainer and the signal at init both record
 * through it, so a step-1 record means the same in both.
 *
 * probes is (n_layers, GS_N_PROBES) row-major, as gs_record_append_step()
 * takes it; a probe that was not taken is NaN.
 */
#pragma once

#include "gs-net.h"
#include "gs-optim.h"
#include "gs-record.h"

G_BEGIN_DECLS

/* Every probe NaN. */
void gs_probes_clear (float *probes, int n_layers);

/* After a training-mode forward (net->probes set), loss and backward of B
 * samples through hidden layers 0..depth_used-1 that trained
 * lowest..depth_used-1: clears probes, then sets the activation probes of
 * the layers in use and the signal norms of those trained. */
void gs_probes_forward (const GsNet *net, int B, int depth_used, int lowest, float *probes);

/* The weight probes of a layer from the sums of its weights' update:
 * gradient norm and mean |g|, update ratio, weight norm after the step. */
void gs_probes_update (float *probes, int layer, const GsUpdateSums *sums, size_t n_weights);

/* The weight probes of every layer with no update (the signal at init):
 * gradient norm and mean |g|, weight norm; the update ratio is left. */
void gs_probes_weights (const GsNet *net, float *probes);

/* The (layer, kind) histograms of the same pass into hists (n_layers *
 * GS_N_HIST_KINDS): empty for the layers the pass did not use (gradients
 * and signal: did not train). Each is built by one thread: the same bits
 * for any thread count. */
void gs_probes_hists (const GsNet *net, int B, int depth_used, int lowest, GsHist *hists);

G_END_DECLS
