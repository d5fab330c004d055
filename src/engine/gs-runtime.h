/* gs-runtime.h: process set-up that must happen before libgomp and
 * OpenBLAS start: both read the environment once, when they load. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* libgomp reads OMP_WAIT_POLICY once, when it starts, and by default
 * spin-waits. On two shared cores that is ruinous: with another busy process
 * a batch-10 run measured 158 samples/s spinning against 9 949 passive.
 * Unless the user chose a policy, set "passive" (and GOMP_SPINCOUNT to
 * spin_count if that is not 0 and the user set none) and re-execute the
 * program (argv as main got it); if the re-exec fails, carry on as we are.
 * Call it first thing in main.
 *
 * A short spin is a trade-off, measured on 2 cores, 2 threads: quiet,
 * 10 000 spins train at 135K samples/s (batch 512) against 81K passive and
 * 158K spinning for ever; with one core busy elsewhere, batch 64 gives 62K
 * against 55K passive, but batch 10 gives 3K against 10K passive.
 *
 * OpenBLAS 0.3.21 (Debian 12) takes CPUs newer than it for its generic
 * Prescott kernels: on a Xeon of family 6 model 207 its SGEMM ran at 32
 * GFLOP/s against 147 with OPENBLAS_CORETYPE=SkylakeX, and the 7 x 1024
 * net, whose large tiles go to OpenBLAS (gs-gemm.c), trained 2.2x slower
 * (829 against 1 833 samples/s). Unless the user chose a core, where
 * OpenBLAS picked a core without AVX2 on a CPU with AVX2 and FMA, set the
 * one the CPU can run (SkylakeX with AVX-512, else Haswell), and
 * re-execute too. */
void gs_runtime_prepare (char **argv, guint spin_count);

G_END_DECLS
