/* gemm-onednn.c: the bench's backend for oneDNN's matmul primitive, one
 * primitive per call, created before timing, with a user scratchpad.
 * BENCH_FUSE=1 in the environment adds the forward layer's bias and a
 * logistic post-op (what a sigmoid layer needs), as one primitive. */
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-gemm.h"

const char BENCH_LIB[] = "onednn";

typedef struct
{
  dnnl_primitive_t prim;
  dnnl_memory_t    a, b, c, bias, scratch;
} Prim;

static dnnl_engine_t engine;
static dnnl_stream_t stream;
static Prim         *prims;

#define CHECK(x)                                         \
  do                                                     \
    if ((x) != dnnl_success)                             \
      {                                                  \
        fprintf (stderr, "bench-gemm: %s failed\n", #x); \
        return 0;                                        \
      }                                                  \
  while (0)

static int
prepare_one (const BenchCall *c, Prim *p, int fuse)
{
  dnnl_memory_desc_t a_md, b_md, c_md, bias_md, s_md;
  dnnl_dims_t        ad = { c->M, c->K }, bd = { c->K, c->N }, cd = { c->M, c->N }, biasd = { 1, c->N };
  dnnl_dims_t        as = { c->ta ? 1 : c->K, c->ta ? c->M : 1 }, bs = { c->tb ? 1 : c->N, c->tb ? c->K : 1 };
  dnnl_dims_t        cs = { c->N, 1 }, biass = { c->N, 1 };
  dnnl_matmul_desc_t md;
  dnnl_primitive_attr_t attr;
  dnnl_post_ops_t       po;
  dnnl_primitive_desc_t pd;
  const char           *impl = "";
  fuse = fuse && c->kind == BENCH_FWD;

  CHECK (dnnl_memory_desc_init_by_strides (&a_md, 2, ad, dnnl_f32, as));
  CHECK (dnnl_memory_desc_init_by_strides (&b_md, 2, bd, dnnl_f32, bs));
  CHECK (dnnl_memory_desc_init_by_strides (&c_md, 2, cd, dnnl_f32, cs));
  CHECK (dnnl_memory_desc_init_by_strides (&bias_md, 2, biasd, dnnl_f32, biass));
  CHECK (dnnl_matmul_desc_init (&md, &a_md, &b_md, fuse ? &bias_md : NULL, &c_md));
  CHECK (dnnl_primitive_attr_create (&attr));
  CHECK (dnnl_primitive_attr_set_scratchpad_mode (attr, dnnl_scratchpad_mode_user));
  CHECK (dnnl_post_ops_create (&po));
  if (c->beta != 0)
    CHECK (dnnl_post_ops_append_sum (po, c->beta));
  if (fuse)
    CHECK (dnnl_post_ops_append_eltwise (po, 1, dnnl_eltwise_logistic, 0, 0));
  CHECK (dnnl_primitive_attr_set_post_ops (attr, po));
  CHECK (dnnl_primitive_desc_create (&pd, &md, attr, engine, NULL));
  dnnl_primitive_desc_query (pd, dnnl_query_impl_info_str, 0, &impl);
  if (getenv ("BENCH_VERBOSE"))
    fprintf (stderr, "%d %dx%dx%d ta=%d tb=%d: %s\n", c->kind, c->M, c->N, c->K, c->ta, c->tb, impl);
  s_md = *dnnl_primitive_desc_query_md (pd, dnnl_query_scratchpad_md, 0);
  CHECK (dnnl_primitive_create (&p->prim, pd));
  CHECK (dnnl_memory_create (&p->a, &a_md, engine, c->A));
  CHECK (dnnl_memory_create (&p->b, &b_md, engine, c->B));
  CHECK (dnnl_memory_create (&p->c, &c_md, engine, c->C));
  CHECK (dnnl_memory_create (&p->scratch, &s_md, engine, DNNL_MEMORY_ALLOCATE));
  p->bias = NULL;
  if (fuse)
    CHECK (dnnl_memory_create (&p->bias, &bias_md, engine, DNNL_MEMORY_ALLOCATE));
  return 1;
}

int
bench_prepare (BenchCall *calls, int n)
{
  int fuse = getenv ("BENCH_FUSE") && getenv ("BENCH_FUSE")[0] == '1';
  CHECK (dnnl_engine_create (&engine, dnnl_cpu, 0));
  CHECK (dnnl_stream_create (&stream, engine, dnnl_stream_default_flags));
  prims = calloc (n, sizeof *prims);
  for (int i = 0; i < n; i++)
    if (!prepare_one (&calls[i], &prims[i], fuse))
      return 0;
  return 1;
}

void
bench_run (const BenchCall *c, int index)
{
  Prim           *p = &prims[index];
  dnnl_exec_arg_t args[] = { { DNNL_ARG_SRC, p->a },
                             { DNNL_ARG_WEIGHTS, p->b },
                             { DNNL_ARG_DST, p->c },
                             { DNNL_ARG_SCRATCHPAD, p->scratch },
                             { DNNL_ARG_BIAS, p->bias } };
  /* the first layer's operand moves through the input */
  dnnl_memory_set_data_handle (p->a, c->A);
  dnnl_memory_set_data_handle (p->b, c->B);
  dnnl_primitive_execute (p->prim, stream, p->bias ? 5 : 4, args);
  dnnl_stream_wait (stream);
}
