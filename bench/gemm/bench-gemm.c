/* bench-gemm.c: the GEMMs of training, library by library.
 *
 *   bench-gemm-LIB --batch B --width W --depth D [--steps S]
 *
 * Built once per library (bench/gemm/meson.build: openblas, blis, onednn,
 * libxsmm; one binary each, as BLIS and libxsmm export BLAS symbols of
 * their own). One step is what training calls, in its order: the forward
 * GEMM of every Linear layer (784 -> W, D - 1 times W -> W, W -> 10), then
 * from the top down each layer's dW and (but for the first) dX. Every layer
 * has its own buffers and the first layer reads its batch from a cycling
 * 54 000-sample input (169 MB), so operands are as warm as in training,
 * not hotter. One thread (each library's own threading off). Prints one
 * JSON line: GFLOP/s per kind (fwd, dw, dx) and for the whole step, and
 * this core's FMA peak (peak.c), measured after the GEMMs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-gemm.h"
#include "peak.h"

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static float *
buffer (size_t n)
{
  float *p = aligned_alloc (64, (n * sizeof (float) + 63) / 64 * 64);
  for (size_t i = 0; i < n; i++)
    p[i] = (float) ((i * 2654435761u) % 1000) * 1e-3f - 0.5f;
  return p;
}

#define N_SAMPLES 54000

static int
build_step (BenchCall *calls, int batch, int width, int depth, float **input)
{
  int     n = 0, n_layers = depth + 1;
  int    *dims = calloc (n_layers + 1, sizeof (int));
  float **act = calloc (n_layers + 1, sizeof (float *)), **dact = calloc (n_layers + 1, sizeof (float *));
  float **w = calloc (n_layers, sizeof (float *)), **dw = calloc (n_layers, sizeof (float *));
  float **wt = calloc (n_layers, sizeof (float *));

  dims[0] = 784;
  for (int l = 1; l < n_layers; l++)
    dims[l] = width;
  dims[n_layers] = 10;
  *input = buffer ((size_t) N_SAMPLES * 784);
  for (int l = 0; l <= n_layers; l++)
    {
      act[l] = l ? buffer ((size_t) batch * dims[l]) : *input;
      dact[l] = buffer ((size_t) batch * dims[l]);
    }
  for (int l = 0; l < n_layers; l++)
    {
      w[l] = buffer ((size_t) dims[l] * dims[l + 1]);
      wt[l] = buffer ((size_t) dims[l] * dims[l + 1]);
      dw[l] = buffer ((size_t) dims[l] * dims[l + 1]);
    }
  /* row-major, as the engine: out (B, o) = in (B, i) W^T (i, o), W^T made
   * beforehand (gs_linear_forward; its transposition is not timed here) */
  for (int l = 0; l < n_layers; l++)
    calls[n++] = (BenchCall){ BENCH_FWD, 0, 0, batch, dims[l + 1], dims[l], act[l], wt[l], act[l + 1], 0 };
  for (int l = n_layers - 1; l >= 0; l--)
    {
      calls[n++] = (BenchCall){ BENCH_DW, 1, 0, dims[l + 1], dims[l], batch, dact[l + 1], act[l], dw[l], 0 };
      if (l > 0)
        calls[n++]
            = (BenchCall){ BENCH_DX, 0, 0, batch, dims[l], dims[l + 1], dact[l + 1], w[l], dact[l], 0 };
    }
  free (dims);
  return n;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* --batch B --width W --depth D --steps S; FALSE (said on stderr) if bad. */
static int
parse_args (int argc, char **argv, int *batch, int *width, int *depth, int *steps)
{
  for (int i = 1; i + 1 < argc; i += 2)
    {
      int v = atoi (argv[i + 1]);
      if (!strcmp (argv[i], "--batch"))
        *batch = v;
      else if (!strcmp (argv[i], "--width"))
        *width = v;
      else if (!strcmp (argv[i], "--depth"))
        *depth = v;
      else if (!strcmp (argv[i], "--steps"))
        *steps = v;
      else
        {
          fprintf (stderr, "bench-gemm: unknown option '%s'\n", argv[i]);
          return 0;
        }
    }
  if (*batch < 1 || *width < 1 || *depth < 1 || *depth > 200)
    {
      fprintf (stderr, "bench-gemm: --batch, --width and --depth must be positive (depth at most 200)\n");
      return 0;
    }
  return 1;
}

int
main (int argc, char **argv)
{
  int         batch = 512, width = 128, depth = 7, steps = 0;
  BenchCall  *calls;
  float      *input;
  int         n_calls, skipped = 0;
  double      flops[3] = { 0 }, secs[3] = { 0 }, *step_s;
  const char *kinds[] = { "fwd", "dw", "dx" };

  if (!parse_args (argc, argv, &batch, &width, &depth, &steps))
    return 2;
  calls = calloc (3 * (depth + 1), sizeof *calls);
  n_calls = build_step (calls, batch, width, depth, &input);
  if (!bench_prepare (calls, n_calls))
    {
      printf ("{\"lib\": \"%s\", \"batch\": %d, \"width\": %d, \"depth\": %d, \"error\": \"no kernel\"}\n",
              BENCH_LIB, batch, width, depth);
      return 0;
    }
  if (steps <= 0) /* about 2 s of work at 100 GFLOP/s */
    {
      double f = 0;
      for (int c = 0; c < n_calls; c++)
        f += 2.0 * calls[c].M * calls[c].N * calls[c].K;
      steps = (int) fmax (10, 2e11 / f);
    }
  step_s = calloc (steps, sizeof *step_s);
  for (int s = -3; s < steps; s++)
    {
      /* the first layer reads the next batch of the input, as training does */
      float *x = input + (size_t) ((s + 3) * batch % (N_SAMPLES - batch + 1)) * 784;
      double t0 = now ();
      calls[0].A = x;
      for (int c = 0; c < n_calls; c++)
        {
          if (calls[c].kind == BENCH_DW && calls[c].B == input)
            calls[c].B = x; /* first layer's dW */
          if (calls[c].skip)
            continue;
          double t = now ();
          bench_run (&calls[c], c);
          if (s >= 0)
            {
              secs[calls[c].kind] += now () - t;
              flops[calls[c].kind] += 2.0 * calls[c].M * calls[c].N * calls[c].K;
            }
          if (calls[c].kind == BENCH_DW && calls[c].B == x)
            calls[c].B = input;
        }
      if (s >= 0)
        step_s[s] = now () - t0;
    }
  qsort (step_s, steps, sizeof *step_s, cmp_double);
  printf ("{\"lib\": \"%s%s\", \"batch\": %d, \"width\": %d, \"depth\": %d, \"steps\": %d, "
          "\"fma_peak_gflops\": %.1f",
          BENCH_LIB, getenv ("BENCH_FUSE") ? "+bias+sigmoid" : "", batch, width, depth, steps,
          bench_fma_peak ());
  for (int k = 0; k < 3; k++)
    if (secs[k] > 0)
      printf (", \"%s_gflops\": %.1f", kinds[k], flops[k] / secs[k] * 1e-9);
  for (int c = 0; c < n_calls; c++)
    skipped += calls[c].skip;
  if (skipped) /* a partial step is no step */
    printf (", \"skipped_calls\": %d}\n", skipped);
  else
    printf (", \"step_gflops\": %.1f, \"median_step_ms\": %.4f}\n",
            (flops[0] + flops[1] + flops[2]) / steps / step_s[steps / 2] * 1e-9, step_s[steps / 2] * 1e3);
  return 0;
}
