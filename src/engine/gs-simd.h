/* gs-simd.h: how the engine's elementwise kernels are compiled.
 *
 * Span kernels run on one thread over contiguous values (the callers split
 * the work into fixed chunks). GS_SPAN compiles one clone per x86-64 level
 * and picks the best at load time: AVX-512, AVX2 with FMA, SSE2. The engine
 * builds with -ffp-contract=off, so no clone fuses a multiply and an add on
 * its own: each does the same IEEE operations per value, and gives the same
 * bits. Kernels that want a fused multiply-add call fma () or fmaf ()
 * (exact on every target; a library call where the CPU has no FMA).
 * GS_FMA_SPAN: the same clones, for kernels outside the float build too. */
#pragma once

#if defined(__x86_64__) && !defined(GS_REAL_DOUBLE)
#define GS_SPAN __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define GS_SPAN
#endif

#if defined(__x86_64__)
#define GS_FMA_SPAN __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define GS_FMA_SPAN
#endif
