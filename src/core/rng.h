/*
 * The one source of randomness (docs/design.md, "Threads and randomness").
 *
 * Every random step draws from counter-based streams: a stream is a 64-bit
 * key derived from (seed, purpose, index), and its j-th draw is a hash of
 * (key, j). Any draw can be computed by any thread in any order, so results
 * never depend on the thread count or the scheduling, and two consumers
 * with different purpose tags never share draws even under the same seed
 * (the ROI effect and cost draws were once perfectly correlated because
 * they came from two generators seeded alike: issue 12, defect 1).
 *
 * The hash is splitmix64's finaliser (Steele, Lea & Flood 2014, "Fast
 * splittable pseudorandom number generators", OOPSLA), which passes BigCrush
 * as a counter-based generator on consecutive inputs.
 *
 * Index meaning is the consumer's: a bootstrap replicate, a cost line, a
 * simulated period. Add a purpose tag for every new consumer; never reuse
 * one (the values are part of the results' reproducibility).
 */
#ifndef ATTRIB_CORE_RNG_H
#define ATTRIB_CORE_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "core/attrib_internal.h"

typedef enum attrib__rng_purpose {
  ATTRIB__RNG_BOOT = 0,          /* resampling bootstraps: replicate b's indices and wild weights */
  ATTRIB__RNG_MULTIPLIER = 1,    /* multiplier bootstrap (influence functions), replicate b */
  ATTRIB__RNG_MATCH_ORDER = 2,   /* random matching order */
  ATTRIB__RNG_ROI_EFFECT = 3,    /* parametric draws of the effect for ROI */
  ATTRIB__RNG_ROI_COST = 4,      /* draws of uncertain cost lines (index: the line) */
  ATTRIB__RNG_SIM_LEARNER = 5,   /* simulate: learner-level draws */
  ATTRIB__RNG_SIM_PERIOD = 6,    /* simulate: period-level draws */
  ATTRIB__RNG_HONEST_LF = 7,     /* honest DiD: least-favourable critical value draws (index: the case) */
  ATTRIB__RNG_POWER_SIM = 8,     /* power: the data set of simulation replicate (index) */
  ATTRIB__RNG_MEDIATE_QB = 9,    /* mediate: quasi-Bayesian coefficient draw (index) */
  ATTRIB__RNG_MEDIATE_BOOT = 10, /* mediate: bootstrap replicate (index)'s rows */
  ATTRIB__RNG_PURPOSE_COUNT
} attrib__rng_purpose;

/* splitmix64's finaliser */
static inline uint64_t attrib__mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* The key of stream (seed, purpose, index). For ATTRIB__RNG_BOOT it is the
 * derivation the bootstraps have always used, so their draws are unchanged. */
uint64_t attrib__rng_key(uint64_t seed, attrib__rng_purpose purpose, uint64_t index);

/* Draw j of the stream with this key: 64 random bits. */
static inline uint64_t attrib__rng_bits(uint64_t key, uint64_t j) {
  return attrib__mix64(key + j * 0x9e3779b97f4a7c15ULL);
}

/* A uniform on [0, 1) with 53 random bits. */
static inline double attrib__rng_unit(uint64_t bits) { return (double)(bits >> 11) * 0x1.0p-53; }

/* A uniform integer in [0, m), m >= 1: the 53-bit uniform scaled by m (bias
 * below m / 2^53, negligible for any size a table can have). */
static inline size_t attrib__rng_below(uint64_t bits, size_t m) {
  size_t i = (size_t)(attrib__rng_unit(bits) * (double)m);
  return i < m ? i : m - 1;
}

/* A standard normal from 64 random bits, by the inverse normal CDF of a
 * uniform on (0, 1) (never 0 or 1): one draw per normal, so a stream's
 * normals are as addressable as its uniforms. */
double attrib__rng_normal(uint64_t bits);

/* A sequential view of one stream, for consumers that draw in a loop. */
typedef struct attrib__rng {
  uint64_t key, next;
} attrib__rng;

static inline void attrib__rng_init(attrib__rng *r, uint64_t seed, attrib__rng_purpose purpose, uint64_t index) {
  r->key = attrib__rng_key(seed, purpose, index);
  r->next = 0;
}
static inline uint64_t attrib__rng_next(attrib__rng *r) { return attrib__rng_bits(r->key, r->next++); }
static inline double attrib__rng_next_unit(attrib__rng *r) { return attrib__rng_unit(attrib__rng_next(r)); }
static inline double attrib__rng_next_normal(attrib__rng *r) { return attrib__rng_normal(attrib__rng_next(r)); }

/* A GSL generator over one stream, for code that draws through gsl_ran_*
 * (the simulator): gsl_rng_set(g, s) restarts it at draw 0 of stream
 * (s, purpose, index). Free with gsl_rng_free; NULL when out of memory. */
gsl_rng *attrib__rng_gsl(uint64_t seed, attrib__rng_purpose purpose, uint64_t index);

#endif
