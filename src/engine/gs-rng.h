/* gs-rng.h: explicit random-number state (xoshiro256**, seeded by splitmix64).
 * Passed to init and shuffling; never rand(). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];
} GsRng;

void    gs_rng_init (GsRng *rng, guint64 seed);
guint64 gs_rng_next (GsRng *rng);
double  gs_rng_uniform (GsRng *rng);                 /* [0, 1) */
double  gs_rng_normal (GsRng *rng);                  /* N(0, 1) */
guint32 gs_rng_below (GsRng *rng, guint32 n);        /* [0, n) unbiased */
void    gs_rng_permutation (GsRng *rng, guint32 *out, guint32 n);

G_END_DECLS
