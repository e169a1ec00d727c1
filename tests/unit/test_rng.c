/* The one random-number source (core/rng.h): the bootstraps' historical
 * streams are kept, purposes are independent, and the draws have the
 * distributions they claim. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "test_support.h"
#include "core/rng.h"

/* The key the bootstraps used before core/rng.c existed, written out: purpose
 * BOOT must keep it, or every saved bootstrap result would change. */
static uint64_t old_stream(uint64_t seed, size_t b) {
  return attrib__mix64(seed * 0x2545f4914f6cdd1dULL ^ attrib__mix64((uint64_t)b + 1));
}

static void test_boot_keys_unchanged(void **state) {
  (void)state;
  for (uint64_t seed = 0; seed < 5; seed++)
    for (size_t b = 0; b < 100; b++) assert_true(attrib__rng_key(seed, ATTRIB__RNG_BOOT, b) == old_stream(seed, b));
  /* and the first draw of (seed 1, replicate 0), as a fixed value */
  assert_true(attrib__rng_bits(attrib__rng_key(1, ATTRIB__RNG_BOOT, 0), 0) ==
              attrib__mix64(old_stream(1, 0)));
}

/* Same seed, different purposes or indices: sample correlation of their
 * normals within Monte Carlo error of 0 (|r| < 4.5 / sqrt(n)). */
static void test_purposes_independent(void **state) {
  (void)state;
  const size_t n = 200000;
  for (int p = 0; p < ATTRIB__RNG_PURPOSE_COUNT; p++) {
    for (int q = p + 1; q < ATTRIB__RNG_PURPOSE_COUNT; q++) {
      attrib__rng a, b;
      attrib__rng_init(&a, 1, (attrib__rng_purpose)p, 0);
      attrib__rng_init(&b, 1, (attrib__rng_purpose)q, 0);
      assert_true(a.key != b.key);
      double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (size_t i = 0; i < n; i++) {
        double x = attrib__rng_next_normal(&a), y = attrib__rng_next_normal(&b);
        sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y;
      }
      double cov = sab / n - sa / n * sb / n, r = cov / sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
      if (fabs(r) > 4.5 / sqrt((double)n)) fail_msg("purposes %d and %d: correlation %g", p, q, r);
    }
  }
  /* neighbouring indices of one purpose */
  attrib__rng a, b;
  attrib__rng_init(&a, 7, ATTRIB__RNG_ROI_COST, 0);
  attrib__rng_init(&b, 7, ATTRIB__RNG_ROI_COST, 1);
  double sab = 0;
  for (size_t i = 0; i < n; i++) sab += attrib__rng_next_normal(&a) * attrib__rng_next_normal(&b);
  assert_true(fabs(sab / n) < 4.5 / sqrt((double)n));
}

/* Normals: mean 0, variance 1, skewness 0, kurtosis 3, and the tail share
 * beyond 1.96 near 5% (all within about 5 Monte Carlo SEs). */
static void test_normal_moments(void **state) {
  (void)state;
  const size_t n = 1000000;
  attrib__rng r;
  attrib__rng_init(&r, 3, ATTRIB__RNG_ROI_EFFECT, 0);
  double s1 = 0, s2 = 0, s3 = 0, s4 = 0, tail = 0;
  for (size_t i = 0; i < n; i++) {
    double x = attrib__rng_next_normal(&r);
    assert_true(isfinite(x));
    s1 += x, s2 += x * x, s3 += x * x * x, s4 += x * x * x * x;
    tail += fabs(x) > 1.959963984540054;
  }
  double N = (double)n;
  assert_true(fabs(s1 / N) < 5 / sqrt(N));
  assert_true(fabs(s2 / N - 1) < 5 * sqrt(2 / N));
  assert_true(fabs(s3 / N) < 5 * sqrt(15 / N));
  assert_true(fabs(s4 / N - 3) < 5 * sqrt(96 / N));
  assert_true(fabs(tail / N - 0.05) < 5 * sqrt(0.05 * 0.95 / N));
}

/* Uniform integers: chi-square over 10 cells, and the GSL adaptor draws the
 * same bits as the stream it wraps. */
static void test_uniform_and_gsl(void **state) {
  (void)state;
  const size_t n = 100000, m = 10;
  size_t cnt[10] = {0};
  uint64_t key = attrib__rng_key(11, ATTRIB__RNG_MATCH_ORDER, 0);
  for (size_t j = 0; j < n; j++) cnt[attrib__rng_below(attrib__rng_bits(key, j), m)]++;
  double chi2 = 0;
  for (size_t c = 0; c < m; c++) chi2 += pow((double)cnt[c] - n / (double)m, 2) / (n / (double)m);
  assert_true(chi2 < 27.9); /* chi-square(9) 0.999 quantile */
  gsl_rng *g = attrib__rng_gsl(11, ATTRIB__RNG_SIM_LEARNER, 0);
  assert_non_null(g);
  uint64_t k2 = attrib__rng_key(11, ATTRIB__RNG_SIM_LEARNER, 0);
  for (size_t j = 0; j < 100; j++) assert_true(gsl_rng_uniform(g) == attrib__rng_unit(attrib__rng_bits(k2, j)));
  gsl_rng_set(g, 11); /* restarts the stream */
  assert_true(gsl_rng_uniform(g) == attrib__rng_unit(attrib__rng_bits(k2, 0)));
  double s = 0;
  for (size_t j = 0; j < 100000; j++) s += gsl_ran_gaussian(g, 1.0);
  assert_true(fabs(s / 1e5) < 5 / sqrt(1e5));
  gsl_rng_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_boot_keys_unchanged),
      cmocka_unit_test(test_purposes_independent),
      cmocka_unit_test(test_normal_moments),
      cmocka_unit_test(test_uniform_and_gsl),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
