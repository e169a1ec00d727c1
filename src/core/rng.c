/* The one source of randomness: see core/rng.h for the design. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"

uint64_t attrib__rng_key(uint64_t seed, attrib__rng_purpose purpose, uint64_t index) {
  uint64_t k = seed * 0x2545f4914f6cdd1dULL ^ attrib__mix64(index + 1);
  /* the bootstraps' historical key for purpose 0; every other purpose is
   * moved to an unrelated key by a hash of its tag */
  if (purpose != ATTRIB__RNG_BOOT) k ^= attrib__mix64(0x632be59bd9b4e019ULL * ((uint64_t)purpose + 1));
  return attrib__mix64(k);
}

double attrib__rng_normal(uint64_t bits) {
  double u = ((double)(bits >> 11) + 0.5) * 0x1.0p-53; /* in (0, 1) */
  return gsl_cdf_ugaussian_Pinv(u);
}

/* ---- a gsl_rng_type over one stream ------------------------------------ */

typedef struct gsl_state {
  uint64_t key, next;
  attrib__rng_purpose purpose;
  uint64_t index;
} gsl_state;

/* gsl_rng_set passes the seed; the purpose and index were stored by
 * attrib__rng_gsl before the first set (alloc zeroes the state, then calls
 * set with GSL's default seed, then we store and set again). */
static void gsl_set(void *vs, unsigned long seed) {
  gsl_state *s = vs;
  s->key = attrib__rng_key((uint64_t)seed, s->purpose, s->index);
  s->next = 0;
}

static unsigned long gsl_get(void *vs) {
  gsl_state *s = vs;
  return (unsigned long)(attrib__rng_bits(s->key, s->next++) >> 32); /* 32 bits: max below */
}

static double gsl_get_double(void *vs) {
  gsl_state *s = vs;
  return attrib__rng_unit(attrib__rng_bits(s->key, s->next++));
}

static const gsl_rng_type attrib_stream_type = {"attrib-stream", 0xffffffffUL, 0, sizeof(gsl_state), gsl_set,
                                                gsl_get, gsl_get_double};

gsl_rng *attrib__rng_gsl(uint64_t seed, attrib__rng_purpose purpose, uint64_t index) {
  gsl_rng *g = gsl_rng_alloc(&attrib_stream_type);
  if (!g) return NULL;
  gsl_state *s = g->state;
  s->purpose = purpose;
  s->index = index;
  gsl_rng_set(g, (unsigned long)seed);
  return g;
}
