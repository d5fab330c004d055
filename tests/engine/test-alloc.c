/* test-alloc.c: a training step allocates nothing. This program's malloc,
 * calloc, realloc, free and the aligned allocators come before libc's for
 * every library (OpenBLAS, libxsmm, libgomp, oneDNN, GLib) and count their calls
 * while the trainer is inside an epoch: from one step's event to the next
 * step's of the same epoch (the evaluation and the record's epoch line,
 * between epochs, may allocate). Built without sanitizers only (they bring
 * their own allocator).
 *
 * OpenBLAS and libxsmm builds (libxsmm makes a shape's kernel in the
 * first epoch): no call at all, at batch 64 and 512, one and two
 * threads, with the probes and histogram checkpoints of the baseline, and
 * with Adam and batch normalisation. oneDNN build: oneDNN 2.6 allocates
 * inside each call (bench/RESULTS.md); there every step must make the
 * same number of calls, each freed within the step. */
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <string.h>
#include "gs-omp.h"

#include "gs-gemm.h"
#include "gs-trainer.h"

extern void *__libc_malloc (size_t n);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *p, size_t n);
extern void *__libc_memalign (size_t align, size_t n);
extern void  __libc_free (void *p);

static atomic_int  counting;
static atomic_long n_allocs, n_frees;

/* noinline: "break count if counting" in gdb shows who allocates */
__attribute__ ((noinline)) static void
count (atomic_long *n)
{
  if (atomic_load_explicit (&counting, memory_order_relaxed))
    atomic_fetch_add_explicit (n, 1, memory_order_relaxed);
}

void *
malloc (size_t n)
{
  count (&n_allocs);
  return __libc_malloc (n);
}

void *
calloc (size_t n, size_t size)
{
  count (&n_allocs);
  return __libc_calloc (n, size);
}

void *
realloc (void *p, size_t n)
{
  count (&n_allocs);
  return __libc_realloc (p, n);
}

void
free (void *p)
{
  if (p)
    count (&n_frees);
  __libc_free (p);
}

void *
aligned_alloc (size_t align, size_t n)
{
  count (&n_allocs);
  return __libc_memalign (align, n);
}

void *
memalign (size_t align, size_t n)
{
  count (&n_allocs);
  return __libc_memalign (align, n);
}

int
posix_memalign (void **out, size_t align, size_t n)
{
  void *p;

  count (&n_allocs);
  p = __libc_memalign (align, n);
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}

/* Per step of an epoch: the calls counted since the step before. */
typedef struct
{
  int  epoch, steps;
  long allocs_min, allocs_max, frees_min, frees_max;
} Steps;

static void
on_event (GsTrainerEvent event, const GsProgress *p, gpointer data)
{
  Steps *s = data;

  if (event != GS_TRAINER_EVENT_STEP)
    {
      atomic_store (&counting, 0); /* the evaluation, the epoch's record */
      return;
    }
  if (atomic_load (&counting) && p->epoch == s->epoch)
    {
      const long a = atomic_exchange (&n_allocs, 0), f = atomic_exchange (&n_frees, 0);
      s->allocs_min = s->steps ? MIN (s->allocs_min, a) : a;
      s->allocs_max = s->steps ? MAX (s->allocs_max, a) : a;
      s->frees_min = s->steps ? MIN (s->frees_min, f) : f;
      s->frees_max = s->steps ? MAX (s->frees_max, f) : f;
      s->steps++;
    }
  /* from the second epoch on: the first one creates oneDNN's primitives
   * and libxsmm's kernels */
  s->epoch = p->epoch;
  atomic_store (&n_allocs, 0);
  atomic_store (&n_frees, 0);
  atomic_store (&counting, p->epoch >= 2);
}

static void
check_steps (const char *preset, int batch, int threads)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GsDataset) data = gs_dataset_new_builtin ();
  g_autoptr (GsTrainer) t = NULL;
  GsConfig c;
  Steps    s = { 0 };

  gs_config_load_preset (&c, preset, NULL);
  c.epochs = 3;
  c.batch_size = batch;
  c.limit_train = 8 * batch;
  c.seed = 3;
  omp_set_num_threads (threads);
  t = gs_trainer_new (&c, data, &error);
  g_assert_no_error (error);
  gs_trainer_set_callback (t, on_event, &s);
  g_assert_true (gs_trainer_run (t, &error));
  atomic_store (&counting, 0);
  g_test_message ("%s, batch %d, %d thread(s), %s: %d steps, %ld-%ld allocations and %ld-%ld frees a step",
                  preset, batch, omp_get_max_threads (), gs_gemm_library (), s.steps, s.allocs_min,
                  s.allocs_max, s.frees_min, s.frees_max);
  g_assert_cmpint (s.steps, >=, 10);
  if (g_str_equal (gs_gemm_library (), "oneDNN"))
    {
      g_assert_cmpint (s.allocs_min, ==, s.allocs_max);
      g_assert_cmpint (s.frees_min, ==, s.allocs_min);
      g_assert_cmpint (s.frees_max, ==, s.allocs_max);
    }
  else
    {
      g_assert_cmpint (s.allocs_max, ==, 0);
      g_assert_cmpint (s.frees_max, ==, 0);
    }
}

static void
test_steps (void)
{
  const char *presets[] = { "baseline", "adam", "batchnorm" };

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    for (int threads = 1; threads <= 2; threads++)
      {
        check_steps (presets[i], 64, threads);
        check_steps (presets[i], 512, threads);
      }
}

/* The counter sees what it should: a step that allocates is caught. */
static void
test_counter (void)
{
  void *p;

  atomic_store (&n_allocs, 0);
  atomic_store (&counting, 1);
  p = g_malloc (64);
  p = g_realloc (p, 1 << 20);
  g_free (p);
  atomic_store (&counting, 0);
  g_assert_cmpint (atomic_load (&n_allocs), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/alloc/counter", test_counter);
  g_test_add_func ("/alloc/steps", test_steps);
  return g_test_run ();
}
