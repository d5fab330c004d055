/* peak.h: the FMA peak the benches measure (peak.c). */
#pragma once

/* GFLOP/s of all OMP_NUM_THREADS threads' FMAs at once (about 0.5 s). */
double bench_fma_peak (void);
