/* gs-rng.c */
#define G_LOG_DOMAIN "gs-rng"

#include "gs-rng.h"

#include <math.h>

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

void
gs_rng_init (GsRng *rng, guint64 seed)
{
  for (int i = 0; i < 4; i++)
    rng->s[i] = gs_rng_splitmix64 (&seed);
}

void
gs_rng_init_stream (GsRng *rng, guint64 seed, GsRngStream stream)
{
  gs_rng_init (rng, seed * 0x9e3779b97f4a7c15ull + stream);
}

static guint64
next (GsRng *rng)
{
  guint64      *s = rng->s;
  const guint64 result = rotl (s[1] * 5, 7) * 9;
  const guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

double
gs_rng_uniform (GsRng *rng)
{
  return (next (rng) >> 11) * 0x1.0p-53;
}

/* Box-Muller; one value per call keeps the stream simple to reason about. */
double
gs_rng_normal (GsRng *rng)
{
  double u1 = 1.0 - gs_rng_uniform (rng); /* (0, 1] */
  double u2 = gs_rng_uniform (rng);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

guint32
gs_rng_below (GsRng *rng, guint32 n)
{
  /* Lemire's multiply-shift with rejection */
  guint64 m = (guint64) (guint32) next (rng) * n;
  guint32 l = (guint32) m;

  if (l < n)
    {
      guint32 t = -n % n;
      while (l < t)
        {
          m = (guint64) (guint32) next (rng) * n;
          l = (guint32) m;
        }
    }
  return (guint32) (m >> 32);
}

void
gs_rng_permutation (GsRng *rng, guint32 *out, guint32 n)
{
  for (guint32 i = 0; i < n; i++)
    out[i] = i;
  for (guint32 i = n; i > 1; i--)
    {
      guint32 j = gs_rng_below (rng, i);
      guint32 tmp = out[i - 1];
      out[i - 1] = out[j];
      out[j] = tmp;
    }
}
