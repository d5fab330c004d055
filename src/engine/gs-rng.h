/* gs-rng.h: explicit random-number state (xoshiro256**, seeded by splitmix64).
 * Passed to init and shuffling; never rand(). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
} GsRng;

/* The streams a run draws from its one seed; each is independent of the
 * others, so changing how much one draws leaves the rest alone. */
typedef enum
{
  GS_RNG_STREAM_INIT,    /* the weights */
  GS_RNG_STREAM_SPLIT,   /* training / validation split */
  GS_RNG_STREAM_SHUFFLE, /* batch order */
} GsRngStream;

void gs_rng_init (GsRng *rng, guint64 seed);
/* The generator of one stream of a run with this seed. */
void    gs_rng_init_stream (GsRng *rng, guint64 seed, GsRngStream stream);
double  gs_rng_uniform (GsRng *rng);          /* [0, 1) */
double  gs_rng_normal (GsRng *rng);           /* N(0, 1) */
guint32 gs_rng_below (GsRng *rng, guint32 n); /* [0, n) unbiased */
void    gs_rng_permutation (GsRng *rng, guint32 *out, guint32 n);

/* splitmix64: advances *state and returns the next of its values. Small,
 * fast and the same stream on every platform (inline: hot loops use it). */
static inline guint64
gs_rng_splitmix64 (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

G_END_DECLS
