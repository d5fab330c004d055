/* gs-gemm.c: the engine's GEMM in fixed tiles (gs-gemm.h). Multi-threaded
 * BLAS gives different bits for different thread counts, so each tile is a
 * single-threaded call and the tiling depends on the shapes only.
 *
 * A tile is libxsmm's JIT kernel for its shape where libxsmm-dev is
 * installed (meson -Dgemm=auto, the default, or libxsmm): 1.05-1.15x
 * OpenBLAS on the network's tiles inside training (bench/RESULTS.md), and
 * no allocation once a shape's kernel exists. Tiles libxsmm has no kernel
 * for (a transposed B: the forward GEMM multiplies by W^T made beforehand,
 * gs_linear_forward) and very large ones (it does no cache blocking) go to
 * OpenBLAS, the fallback on machines without libxsmm (-Dgemm=openblas).
 *
 * With -Dgemm=onednn a large tile is oneDNN's matmul primitive, the
 * fastest at width 1024; small tiles stay with OpenBLAS. oneDNN's
 * primitives are created once per shape and per thread (a primitive's
 * blocking depends on the thread count it is created for: always one here)
 * and kept with their memory objects and scratchpad, so that a training
 * step after the first creates none (oneDNN still makes six small heap
 * allocations inside each call, freed before it returns: measured). The
 * double-precision build (the gradient checks) always uses OpenBLAS:
 * neither library has an f64 kernel here. */
#define G_LOG_DOMAIN "gs-gemm"

#include "gs-gemm.h"

#include <cblas.h>
#include "config.h"
#include "gs-omp.h"

#if defined(GS_GEMM_ONEDNN) && !defined(GS_REAL_DOUBLE)
#define USE_ONEDNN 1
#include <dnnl.h>
#endif
#if defined(GS_GEMM_LIBXSMM) && !defined(GS_REAL_DOUBLE)
#define USE_LIBXSMM 1
#include <libxsmm.h>
#endif

#define GEMM_TILES      2
#define GEMM_MIN_WORK   (1u << 20)
#define ONEDNN_MIN_WORK 2000000 /* M N K of a tile */
#define XSMM_MAX_WORK   (1u << 26)

/* One tile's call, as gs_gemm's arguments. */
typedef struct
{
  gboolean       ta, tb;
  int            M, N, K;
  gs_real        alpha;
  const gs_real *A;
  int            lda;
  const gs_real *B;
  int            ldb;
  gs_real        beta;
  gs_real       *C;
  int            ldc;
} Gemm;

#ifdef USE_ONEDNN
typedef struct
{
  gboolean         ta, tb;
  int              M, N, K, lda, ldb, ldc;
  float            beta;
  dnnl_primitive_t prim;
  dnnl_memory_t    a, b, c, scratch;
} Prim;

/* A thread's primitives; looked up by shape, most recent first. */
#define MAX_PRIMS 256
typedef struct
{
  dnnl_stream_t stream;
  int           n;
  Prim          p[MAX_PRIMS];
} Cache;

static dnnl_engine_t engine;

static void
prim_clear (Prim *p)
{
  dnnl_primitive_destroy (p->prim);
  dnnl_memory_destroy (p->a);
  dnnl_memory_destroy (p->b);
  dnnl_memory_destroy (p->c);
  dnnl_memory_destroy (p->scratch);
}

static void
cache_free (gpointer data)
{
  Cache *cache = data;
  for (int i = 0; i < cache->n; i++)
    prim_clear (&cache->p[i]);
  dnnl_stream_destroy (cache->stream);
  g_free (cache);
}

static GPrivate cache_key = G_PRIVATE_INIT (cache_free);

static void
check (dnnl_status_t s, const char *what)
{
  if (s != dnnl_success)
    g_error ("oneDNN: %s failed (status %d)", what, s);
}

static Cache *
thread_cache (void)
{
  static gsize once;
  Cache       *cache = g_private_get (&cache_key);

  if (g_once_init_enter (&once))
    {
      check (dnnl_engine_create (&engine, dnnl_cpu, 0), "creating the CPU engine");
      g_once_init_leave (&once, 1);
    }
  if (!cache)
    {
      cache = g_new0 (Cache, 1);
      check (dnnl_stream_create (&cache->stream, engine, dnnl_stream_default_flags), "creating a stream");
      g_private_set (&cache_key, cache);
    }
  return cache;
}

/* The matmul of one tile shape: strides give the transposes, a sum post-op
 * the beta, a user scratchpad (allocated here, once). */
static void
prim_create (Prim *p)
{
  dnnl_memory_desc_t    a_md, b_md, c_md, s_md;
  dnnl_dims_t           ad = { p->M, p->K }, bd = { p->K, p->N }, cd = { p->M, p->N };
  dnnl_dims_t           as = { p->ta ? 1 : p->lda, p->ta ? p->lda : 1 };
  dnnl_dims_t           bs = { p->tb ? 1 : p->ldb, p->tb ? p->ldb : 1 }, cs = { p->ldc, 1 };
  dnnl_matmul_desc_t    md;
  dnnl_primitive_attr_t attr;
  dnnl_post_ops_t       po;
  dnnl_primitive_desc_t pd;

  check (dnnl_memory_desc_init_by_strides (&a_md, 2, ad, dnnl_f32, as), "describing A");
  check (dnnl_memory_desc_init_by_strides (&b_md, 2, bd, dnnl_f32, bs), "describing B");
  check (dnnl_memory_desc_init_by_strides (&c_md, 2, cd, dnnl_f32, cs), "describing C");
  check (dnnl_matmul_desc_init (&md, &a_md, &b_md, NULL, &c_md), "describing a matmul");
  check (dnnl_primitive_attr_create (&attr), "creating attributes");
  check (dnnl_primitive_attr_set_scratchpad_mode (attr, dnnl_scratchpad_mode_user), "setting the scratchpad");
  check (dnnl_post_ops_create (&po), "creating post-ops");
  if (p->beta != 0)
    check (dnnl_post_ops_append_sum (po, p->beta), "adding the sum post-op");
  check (dnnl_primitive_attr_set_post_ops (attr, po), "setting post-ops");
  check (dnnl_primitive_desc_create (&pd, &md, attr, engine, NULL), "creating a matmul");
  s_md = *dnnl_primitive_desc_query_md (pd, dnnl_query_scratchpad_md, 0);
  check (dnnl_primitive_create (&p->prim, pd), "creating a matmul primitive");
  check (dnnl_memory_create (&p->a, &a_md, engine, DNNL_MEMORY_NONE), "creating memory");
  check (dnnl_memory_create (&p->b, &b_md, engine, DNNL_MEMORY_NONE), "creating memory");
  check (dnnl_memory_create (&p->c, &c_md, engine, DNNL_MEMORY_NONE), "creating memory");
  check (dnnl_memory_create (&p->scratch, &s_md, engine, DNNL_MEMORY_ALLOCATE), "creating the scratchpad");
  dnnl_primitive_desc_destroy (pd);
  dnnl_post_ops_destroy (po);
  dnnl_primitive_attr_destroy (attr);
}

static Prim *
prim_lookup (Cache *cache, const Prim *key)
{
  Prim *p;

  for (int i = 0; i < cache->n; i++)
    {
      p = &cache->p[i];
      if (p->ta == key->ta && p->tb == key->tb && p->M == key->M && p->N == key->N && p->K == key->K
          && p->lda == key->lda && p->ldb == key->ldb && p->ldc == key->ldc && p->beta == key->beta)
        return p;
    }
  if (cache->n == MAX_PRIMS) /* shapes beyond any one net's: start over */
    {
      for (int i = 0; i < cache->n; i++)
        prim_clear (&cache->p[i]);
      cache->n = 0;
    }
  p = &cache->p[cache->n++];
  *p = *key;
  prim_create (p);
  return p;
}

static void
onednn_tile (const Gemm *g)
{
  Cache     *cache = thread_cache ();
  const Prim key
      = { g->ta, g->tb, g->M, g->N, g->K, g->lda, g->ldb, g->ldc, g->beta, NULL, NULL, NULL, NULL, NULL };
  Prim           *p;
  dnnl_exec_arg_t args[4];

  g_assert (g->alpha == 1); /* the engine's only alpha */
  p = prim_lookup (cache, &key);
  dnnl_memory_set_data_handle (p->a, (void *) g->A);
  dnnl_memory_set_data_handle (p->b, (void *) g->B);
  dnnl_memory_set_data_handle (p->c, g->C);
  args[0] = (dnnl_exec_arg_t){ DNNL_ARG_SRC, p->a };
  args[1] = (dnnl_exec_arg_t){ DNNL_ARG_WEIGHTS, p->b };
  args[2] = (dnnl_exec_arg_t){ DNNL_ARG_DST, p->c };
  args[3] = (dnnl_exec_arg_t){ DNNL_ARG_SCRATCHPAD, p->scratch };
  check (dnnl_primitive_execute (p->prim, cache->stream, 4, args), "running a matmul");
  check (dnnl_stream_wait (cache->stream), "waiting for a matmul");
}

#endif

#ifdef USE_LIBXSMM
/* libxsmm_init () sets OMP_PROC_BIND=TRUE with putenv () when no thread
 * affinity is set. Called on the first tile, in a training thread, that
 * raced the window's getenv () (gettext's: a crash under ASan in CI), and
 * it would bind the threads of every process started from this one. So it
 * runs here, before main () and any thread, and the variable is put back. */
__attribute__ ((constructor)) static void
xsmm_init (void)
{
  g_autofree char *bind = g_strdup (g_getenv ("OMP_PROC_BIND"));

  libxsmm_init ();
  if (bind)
    g_setenv ("OMP_PROC_BIND", bind, TRUE);
  else
    g_unsetenv ("OMP_PROC_BIND");
}

/* A tile as libxsmm's JIT kernel for its shape (made on first use, then
 * looked up: no allocation). libxsmm is column-major: the row-major
 * C = op(A) op(B) is C^T = op(B)^T op(A)^T in its terms. FALSE where it
 * has no kernel (a transposed B here, a beta other than 0 or 1). */
static gboolean
libxsmm_tile (const Gemm *g)
{
  const libxsmm_blasint lda = g->ldb, ldb = g->lda, ldc = g->ldc;
  const float           alpha = g->alpha, beta = g->beta;
  const int flags = (g->tb ? LIBXSMM_GEMM_FLAG_TRANS_A : 0) | (g->ta ? LIBXSMM_GEMM_FLAG_TRANS_B : 0);
  const int prefetch = LIBXSMM_PREFETCH_NONE;
  libxsmm_smmfunction kernel;

  kernel = libxsmm_smmdispatch (g->N, g->M, g->K, &lda, &ldb, &ldc, &alpha, &beta, &flags, &prefetch);
  if (kernel == NULL)
    return FALSE;
  kernel (g->B, g->A, g->C);
  return TRUE;
}
#endif

static void
blas_tile (const Gemm *g)
{
#ifdef GS_REAL_DOUBLE
#define GEMM cblas_dgemm
#else
#define GEMM cblas_sgemm
#endif
  GEMM (CblasRowMajor, g->ta ? CblasTrans : CblasNoTrans, g->tb ? CblasTrans : CblasNoTrans, g->M, g->N, g->K,
        g->alpha, g->A, g->lda, g->B, g->ldb, g->beta, g->C, g->ldc);
}

static void
tile (const Gemm *g)
{
#ifdef USE_ONEDNN
  /* below this, oneDNN's cost per call (an execution context, six small
   * allocations) outweighs its faster kernel: batch 64 trains faster with
   * OpenBLAS's small tiles (bench/RESULTS.md). The choice depends on the
   * tile's shape only, so the bits still do not depend on the threads. */
  if ((size_t) g->M * g->N * g->K >= ONEDNN_MIN_WORK)
    {
      onednn_tile (g);
      return;
    }
#endif
#ifdef USE_LIBXSMM
  /* libxsmm's kernels do no cache blocking: above this (width 1024 at
   * batch 512) OpenBLAS is faster (bench/RESULTS.md) */
  if ((size_t) g->M * g->N * g->K <= XSMM_MAX_WORK && libxsmm_tile (g))
    return;
#endif
  blas_tile (g);
}

const char *
gs_gemm_library (void)
{
#ifdef USE_ONEDNN
  return "oneDNN";
#elif defined(USE_LIBXSMM)
  return "libxsmm";
#else
  return "OpenBLAS";
#endif
}

/* One tile on the calling thread: the library's own threading off (BLAS
 * inside an OpenMP region runs on one thread anyway; a oneDNN primitive is
 * created for the thread count it sees). */
static void
tile1 (const Gemm *g)
{
#ifdef GS_HAVE_OPENMP
  const int saved = omp_get_max_threads ();
  omp_set_num_threads (1);
  tile (g);
  omp_set_num_threads (saved);
#else
  /* OpenBLAS threads on its own (it allocates for that in every call) */
  openblas_set_num_threads (1);
  tile (g);
#endif
}

static _Thread_local gboolean timing;
static _Thread_local double   timed;

void
gs_gemm_set_timing (gboolean on)
{
  timing = on;
  timed = 0;
}

double
gs_gemm_seconds (void)
{
  return timed;
}

void
gs_gemm_tile (int M, int N, int K, const gs_real *A, int lda, const gs_real *B, int ldb, gs_real *C, int ldc)
{
  const double t0 = timing ? omp_get_wtime () : 0;

  tile1 (&(Gemm){ FALSE, FALSE, M, N, K, 1, A, lda, B, ldb, 0, C, ldc });
  if (timing)
    timed += omp_get_wtime () - t0;
}

void
gs_gemm (gboolean       ta,
         gboolean       tb,
         int            M,
         int            N,
         int            K,
         gs_real        alpha,
         const gs_real *A,
         int            lda,
         const gs_real *B,
         int            ldb,
         gs_real        beta,
         gs_real       *C,
         int            ldc)
{
  const gboolean split_m = M >= N;
  const int      len = split_m ? M : N;
  /* large GEMMs in GEMM_TILES parts (multiples of 16), small ones whole */
  const int tile_len
      = (size_t) M * N * K >= GEMM_MIN_WORK ? ((len + GEMM_TILES - 1) / GEMM_TILES + 15) / 16 * 16 : len;
  const int    n_tiles = (len + tile_len - 1) / tile_len;
  const double t0 = timing ? omp_get_wtime () : 0;

  /* one tile: no parallel region (one costs a thread wake-up) */
  GS_PARALLEL (
      n_tiles > 1, "omp parallel for schedule(static)", for (int t = 0; t < n_tiles; t++) {
        const int o = t * tile_len, n = MIN (tile_len, len - o);
        if (split_m)
          tile1 (&(Gemm){ ta, tb, n, N, K, alpha, A + (ta ? (size_t) o : (size_t) o * lda), lda, B, ldb, beta,
                          C + (size_t) o * ldc, ldc });
        else
          tile1 (&(Gemm){ ta, tb, M, n, K, alpha, A, lda, B + (tb ? (size_t) o * ldb : (size_t) o), ldb, beta,
                          C + o, ldc });
      });
  if (timing)
    timed += omp_get_wtime () - t0;
}
