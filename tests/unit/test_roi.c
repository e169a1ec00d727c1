/*
 * ROI intervals (src/roi/roi.c) against numbers not produced by it:
 *  - Fieller's interval solved here from its quadratic (Fieller 1954);
 *  - the exact distribution of the ratio B / C of independent normals,
 *    P(B / C <= rho) = Phi((rho c - b) / sqrt(s_b^2 + rho^2 s_c^2)) when
 *    C > 0, whose density gives the Monte Carlo SD of a simulated
 *    percentile end point, sqrt(p (1 - p) / m) / f(q) (the tolerances below
 *    are 4.5 such SDs);
 *  - a brute-force double simulation written here with its own generator
 *    (xoshiro256** and Marsaglia's polar method), drawing the effect and
 *    every uncertain cost line and taking type-7 percentiles;
 *  - closed forms for fixed costs and for given draws.
 * Issue 12, defect 1: the effect and the cost draws came from two MT19937s
 * seeded alike, so they were perfectly correlated and the reproducer below
 * gave [-0.00%, 0.00%] with P(ROI > 0) = 0.16; here the interval is
 * Fieller's [-44.8%, 81.1%] within Monte Carlo error, P(ROI > 0) = 0.5, and
 * the draws' sample correlation is within Monte Carlo error of 0.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "test_support.h"

static const double Z975 = 1.959963984540054;

/* ---- the test's own generator --------------------------------------------- */

typedef struct xo { uint64_t s[4]; } xo;
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t xo_next(xo *g) { /* xoshiro256** (Blackman & Vigna 2018) */
  uint64_t r = rotl(g->s[1] * 5, 7) * 9, t = g->s[1] << 17;
  g->s[2] ^= g->s[0], g->s[3] ^= g->s[1], g->s[1] ^= g->s[2], g->s[0] ^= g->s[3], g->s[2] ^= t;
  g->s[3] = rotl(g->s[3], 45);
  return r;
}
static void xo_seed(xo *g, uint64_t seed) { /* splitmix64 fills the state */
  for (int i = 0; i < 4; i++) {
    uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    g->s[i] = z ^ (z >> 31);
  }
}
static double xo_unif(xo *g) { return ((double)(xo_next(g) >> 11) + 0.5) * 0x1.0p-53; }
static double xo_normal(xo *g) { /* Marsaglia's polar method, one of the pair */
  for (;;) {
    double u = 2.0 * xo_unif(g) - 1.0, v = 2.0 * xo_unif(g) - 1.0, s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * sqrt(-2.0 * log(s) / s);
  }
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
static double q7(const double *v, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h), hi = lo + 1 < n ? lo + 1 : lo;
  return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

/* ---- closed forms --------------------------------------------------------- */

/* Fieller's end points for rho = B / C, in ROI % = 100 (rho - 1) */
static void fieller_pct(double b, double sb, double c, double sc, double z, double *lo, double *hi) {
  double A = c * c - z * z * sc * sc, Bq = -2.0 * b * c, C = b * b - z * z * sb * sb, D = sqrt(Bq * Bq - 4 * A * C);
  *lo = 100.0 * ((-Bq - D) / (2 * A) - 1.0);
  *hi = 100.0 * ((-Bq + D) / (2 * A) - 1.0);
}

/* the exact cdf of ROI % for independent normal B and C (C > 0 w.p. ~1) */
static double roi_cdf(double q, double b, double sb, double c, double sc) {
  double rho = 1.0 + q / 100.0;
  return gsl_cdf_ugaussian_P((rho * c - b) / sqrt(sb * sb + rho * rho * sc * sc));
}

/* the Monte Carlo SD of the p-quantile of m draws, at the true quantile q */
static double quantile_mc_sd(double q, double p, size_t m, double b, double sb, double c, double sc) {
  double h = 1e-3, dens = (roi_cdf(q + h, b, sb, c, sc) - roi_cdf(q - h, b, sb, c, sc)) / (2 * h);
  return sqrt(p * (1 - p) / (double)m) / dens;
}

static void close_to(double got, double want, double tol, const char *what) {
  if (!(fabs(got - want) <= tol)) fail_msg("%s: got %.6f, want %.6f (tolerance %.4g)", what, got, want, tol);
}

/* ---- the reproducer of issue 12, defect 1 --------------------------------- */

static attrib_roi_line line(const char *name, double amount, double sd) {
  attrib_roi_line l = {(char *)(uintptr_t)name, amount, sd}; /* never written through */
  return l;
}

static void test_reproducer(void **state) {
  (void)state;
  attrib_roi_line costs[1] = {line("a", 1000, 200)};
  attrib_roi_input in;
  attrib_roi_input_init(&in);
  in.effect = 10, in.se = 2, in.has_effect = 1, in.learners = 100, in.value_per_unit = 1;
  in.costs = costs, in.n_costs = 1;
  in.simulate = 1, in.simulations = 200000, in.seed = 1;
  attrib_roi_result *r = NULL;
  attrib_error err;
  assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
  double b = 1000, sb = 200, c = 1000, sc = 200, lo, hi;
  fieller_pct(b, sb, c, sc, Z975, &lo, &hi);
  print_message("  Fieller [%.3f%%, %.3f%%]; simulated [%.3f%%, %.3f%%], P(ROI > 0) = %.4f\n", lo, hi, r->roi_ci_low_pct,
                r->roi_ci_high_pct, r->prob_roi_positive);
  close_to(lo, -44.78, 0.01, "Fieller low (the issue's figure)");
  close_to(hi, 81.09, 0.01, "Fieller high");
  /* the reported cross-check is Fieller's, to rounding */
  close_to(r->roi_ci_fieller_low_pct, lo, 1e-9, "roi_ci_fieller_low_pct");
  close_to(r->roi_ci_fieller_high_pct, hi, 1e-9, "roi_ci_fieller_high_pct");
  /* the draws' percentiles converge to Fieller's end points */
  close_to(r->roi_ci_low_pct, lo, 4.5 * quantile_mc_sd(lo, 0.025, 200000, b, sb, c, sc), "simulated low");
  close_to(r->roi_ci_high_pct, hi, 4.5 * quantile_mc_sd(hi, 0.975, 200000, b, sb, c, sc), "simulated high");
  close_to(r->prob_roi_positive, 0.5, 4.5 * sqrt(0.25 / 200000), "P(ROI > 0)");
  assert_string_equal(r->interval_method, "simulation (percentile)");
  assert_int_equal(r->n_sim, 200000);
  assert_int_equal(r->n_cost_nonpositive, 0);
  attrib_roi_result_free(r);
}

/* ---- brute force ---------------------------------------------------------- */

/* effect 5 (SE 1.5) x 200 learners x value 20 x attribution 0.8 over 3
 * periods decaying 10% (k = 8672), a benefit line of 2000; costs: a 20000
 * (sd 3000), b 8000 (sd 1000), c 5000 fixed, 10 per learner. */
static void brute_input(attrib_roi_input *in, attrib_roi_line *costs, attrib_roi_line *benefits) {
  costs[0] = line("a", 20000, 3000);
  costs[1] = line("b", 8000, 1000);
  costs[2] = line("c", 5000, 0);
  benefits[0] = line("other", 2000, 0);
  attrib_roi_input_init(in);
  in->effect = 5, in->se = 1.5, in->has_effect = 1, in->learners = 200, in->value_per_unit = 20;
  in->attribution = 0.8, in->horizon = 3, in->decay = 0.1, in->cost_per_learner = 10;
  in->costs = costs, in->n_costs = 3, in->benefits = benefits, in->n_benefits = 1;
}

static void test_brute_force(void **state) {
  (void)state;
  attrib_roi_line costs[3], benefits[1];
  attrib_roi_input in;
  brute_input(&in, costs, benefits);
  const size_t m = 400000;
  in.simulate = 1, in.simulations = m, in.seed = 20240;
  attrib_roi_result *r = NULL;
  attrib_error err;
  assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
  /* the double simulation: each draw an effect and every uncertain line */
  const double k = 200 * 20 * 0.8 * (1 + 0.9 + 0.81);
  double *v = malloc(m * sizeof *v);
  assert_non_null(v);
  xo g;
  xo_seed(&g, 99);
  size_t pos = 0;
  for (size_t j = 0; j < m; j++) {
    double e = 5 + 1.5 * xo_normal(&g);
    double c = 20000 + 3000 * xo_normal(&g) + 8000 + 1000 * xo_normal(&g) + 5000 + 200 * 10;
    v[j] = 100 * (e * k + 2000 - c) / c;
    pos += v[j] > 0;
  }
  qsort(v, m, sizeof *v, cmp);
  double blo = q7(v, m, 0.025), bhi = q7(v, m, 0.975), bp = (double)pos / (double)m;
  free(v);
  double b = 5 * k + 2000, sb = 1.5 * k, c = 35000, sc = sqrt(3000.0 * 3000 + 1000.0 * 1000), flo, fhi;
  fieller_pct(b, sb, c, sc, Z975, &flo, &fhi);
  double sdl = quantile_mc_sd(flo, 0.025, m, b, sb, c, sc), sdh = quantile_mc_sd(fhi, 0.975, m, b, sb, c, sc);
  print_message("  library [%.3f%%, %.3f%%] P %.4f; brute force [%.3f%%, %.3f%%] P %.4f; Fieller [%.3f%%, %.3f%%]\n",
                r->roi_ci_low_pct, r->roi_ci_high_pct, r->prob_roi_positive, blo, bhi, bp, flo, fhi);
  /* library vs brute force: two independent simulations, sqrt(2) SDs apart */
  close_to(r->roi_ci_low_pct, blo, 4.5 * sqrt(2.0) * sdl, "library vs brute force, low");
  close_to(r->roi_ci_high_pct, bhi, 4.5 * sqrt(2.0) * sdh, "library vs brute force, high");
  double pt = gsl_cdf_ugaussian_P((b - c) / sqrt(sb * sb + sc * sc)), psd = sqrt(pt * (1 - pt) / (double)m);
  close_to(r->prob_roi_positive, bp, 4.5 * sqrt(2.0) * psd, "P(ROI > 0), library vs brute force");
  /* each against Fieller */
  close_to(r->roi_ci_low_pct, flo, 4.5 * sdl, "library vs Fieller, low");
  close_to(r->roi_ci_high_pct, fhi, 4.5 * sdh, "library vs Fieller, high");
  close_to(blo, flo, 4.5 * sdl, "brute force vs Fieller, low");
  close_to(bhi, fhi, 4.5 * sdh, "brute force vs Fieller, high");
  close_to(r->prob_roi_positive, pt, 4.5 * psd, "P(ROI > 0) vs Phi((b - c) / sqrt(sb^2 + sc^2))");
  close_to(r->roi_ci_fieller_low_pct, flo, 1e-9, "reported Fieller low");
  close_to(r->roi_ci_fieller_high_pct, fhi, 1e-9, "reported Fieller high");
  /* without simulation the interval is Fieller's itself */
  attrib_roi_result *a = NULL;
  in.simulate = 0;
  assert_status(attrib_roi_compute(&in, &a, &err), ATTRIB_OK, &err);
  assert_string_equal(a->interval_method, "fieller");
  close_to(a->roi_ci_low_pct, flo, 1e-9, "analytic Fieller low");
  close_to(a->roi_ci_high_pct, fhi, 1e-9, "analytic Fieller high");
  close_to(a->prob_roi_positive, pt, 1e-12, "analytic P(ROI > 0)");
  attrib_roi_result_free(a);
  attrib_roi_result_free(r);
}

/* ---- independence of the effect and cost draws ---------------------------- */

static double corr(const double *x, const double *y, size_t n) {
  double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < n; i++) mx += x[i], my += y[i];
  mx /= (double)n, my /= (double)n;
  for (size_t i = 0; i < n; i++)
    sxx += (x[i] - mx) * (x[i] - mx), syy += (y[i] - my) * (y[i] - my), sxy += (x[i] - mx) * (y[i] - my);
  return sxy / sqrt(sxx * syy);
}

static void moments(const double *x, size_t n, double *mean, double *sd) {
  double s = 0, ss = 0;
  for (size_t i = 0; i < n; i++) s += x[i];
  *mean = s / (double)n;
  for (size_t i = 0; i < n; i++) ss += (x[i] - *mean) * (x[i] - *mean);
  *sd = sqrt(ss / (double)(n - 1));
}

static void test_independent_draws(void **state) {
  (void)state;
  const size_t m = 100000;
  for (unsigned long seed = 1; seed <= 5; seed++) {
    attrib_roi_line costs[2] = {line("a", 1000, 200), line("b", 500, 100)};
    attrib_roi_input in;
    attrib_roi_input_init(&in);
    in.effect = 10, in.se = 2, in.has_effect = 1, in.learners = 100;
    in.costs = costs, in.n_costs = 2;
    in.simulate = 1, in.simulations = m, in.seed = seed, in.keep_draws = 1;
    attrib_roi_result *r = NULL;
    attrib_error err;
    assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
    assert_non_null(r->effect_draws);
    assert_non_null(r->cost_draws);
    double rho = corr(r->effect_draws, r->cost_draws, m);
    if (fabs(rho) > 4.5 / sqrt((double)m)) fail_msg("seed %lu: effect and cost draws correlate, r = %g", seed, rho);
    /* each has the distribution it claims */
    double mean, sd;
    moments(r->effect_draws, m, &mean, &sd);
    close_to(mean, 10, 4.5 * 2 / sqrt((double)m), "effect draws' mean");
    close_to(sd, 2, 4.5 * 2 / sqrt(2.0 * (double)m), "effect draws' SD");
    moments(r->cost_draws, m, &mean, &sd);
    double sc = sqrt(200.0 * 200 + 100.0 * 100);
    close_to(mean, 1500, 4.5 * sc / sqrt((double)m), "cost draws' mean");
    close_to(sd, sc, 4.5 * sc / sqrt(2.0 * (double)m), "cost draws' SD (the lines' variances add)");
    /* the kept ROI of each draw is that draw's */
    for (size_t j = 0; j < m; j += 997)
      close_to(r->roi_draws[j], 100 * (r->effect_draws[j] * 100 - r->cost_draws[j]) / r->cost_draws[j], 1e-9,
               "ROI of a kept draw");
    attrib_roi_result_free(r);
  }
}

/* A cost line's draws depend on its own stream only: adding another line
 * leaves them as they were (the reason each line is drawn on its own). */
static void test_line_streams(void **state) {
  (void)state;
  attrib_roi_line one[1] = {line("a", 1000, 200)}, two[2] = {line("a", 1000, 200), line("b", 300, 50)};
  attrib_roi_input in;
  attrib_roi_input_init(&in);
  in.effect = 10, in.se = 2, in.has_effect = 1, in.learners = 100;
  in.simulate = 1, in.simulations = 1000, in.seed = 7, in.keep_draws = 1;
  attrib_roi_result *r1 = NULL, *r2 = NULL, *r3 = NULL;
  attrib_error err;
  in.costs = one, in.n_costs = 1;
  assert_status(attrib_roi_compute(&in, &r1, &err), ATTRIB_OK, &err);
  in.costs = two, in.n_costs = 2;
  assert_status(attrib_roi_compute(&in, &r2, &err), ATTRIB_OK, &err);
  two[1].sd = 0; /* b fixed: the total is a's draw plus 300 */
  assert_status(attrib_roi_compute(&in, &r3, &err), ATTRIB_OK, &err);
  size_t differ = 0;
  for (size_t j = 0; j < 1000; j++) {
    assert_true(r1->effect_draws[j] == r2->effect_draws[j]);
    close_to(r3->cost_draws[j], r1->cost_draws[j] + 300, 1e-9, "a's draw with b fixed");
    differ += r2->cost_draws[j] != r1->cost_draws[j] + 300;
  }
  assert_true(differ > 990); /* b's own draws move the total */
  /* the same seed gives the same draws; another seed others */
  attrib_roi_result *r4 = NULL;
  in.seed = 8;
  assert_status(attrib_roi_compute(&in, &r4, &err), ATTRIB_OK, &err);
  assert_true(r4->effect_draws[0] != r3->effect_draws[0]);
  attrib_roi_result_free(r1);
  attrib_roi_result_free(r2);
  attrib_roi_result_free(r3);
  attrib_roi_result_free(r4);
}

/* ---- given draws (a bootstrap's) ------------------------------------------ */

static void test_given_draws(void **state) {
  (void)state;
  const size_t m = 99;
  double draws[99];
  for (size_t i = 0; i < m; i++) draws[i] = ((double)(i + 1) - 50) / 10 + 12; /* 7.1 .. 16.9 */
  attrib_roi_line fixed[1] = {line("program", 30000, 0)}, unc[1] = {line("program", 30000, 3000)};
  attrib_roi_input in;
  attrib_roi_input_init(&in);
  in.effect = 12, in.has_effect = 1, in.learners = 100, in.value_per_unit = 40;
  in.draws = draws, in.n_draws = m, in.keep_draws = 1;
  in.costs = fixed, in.n_costs = 1;
  attrib_roi_result *r = NULL;
  attrib_error err;
  assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
  /* fixed costs: the type-7 percentiles of 100 (4000 e - 30000) / 30000 */
  double v[99];
  for (size_t i = 0; i < m; i++) v[i] = 100 * (draws[i] * 4000 - 30000) / 30000;
  close_to(r->roi_ci_low_pct, q7(v, m, 0.025), 1e-9, "draws low");
  close_to(r->roi_ci_high_pct, q7(v, m, 0.975), 1e-9, "draws high");
  assert_string_equal(r->interval_method, "draws (percentile)");
  /* the analytic cross-check uses the draws' SD as the effect's SE */
  double mean, sd;
  moments(draws, m, &mean, &sd);
  close_to(r->effect_se_used, sd, 1e-12, "SE from the draws");
  close_to(r->roi_ci_fieller_low_pct, 100 * ((12 - Z975 * sd) * 4000 - 30000) / 30000, 1e-9, "linear cross-check low");
  attrib_roi_result_free(r);
  /* uncertain costs: the effect draws are the bootstrap's, only the costs are drawn */
  const size_t M = 20000;
  double *big = malloc(M * sizeof *big);
  assert_non_null(big);
  xo g;
  xo_seed(&g, 5);
  for (size_t i = 0; i < M; i++) big[i] = 12 + 2 * xo_normal(&g);
  in.draws = big, in.n_draws = M, in.costs = unc, in.se = 2, in.seed = 3;
  assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
  for (size_t i = 0; i < M; i++) assert_true(r->effect_draws[i] == big[i]);
  moments(r->cost_draws, M, &mean, &sd);
  close_to(mean, 30000, 4.5 * 3000 / sqrt((double)M), "drawn costs' mean");
  close_to(sd, 3000, 4.5 * 3000 / sqrt(2.0 * (double)M), "drawn costs' SD");
  double rho = corr(r->effect_draws, r->cost_draws, M);
  if (fabs(rho) > 4.5 / sqrt((double)M)) fail_msg("bootstrap draws and cost draws correlate, r = %g", rho);
  double b = 48000, sb = 8000, c = 30000, sc = 3000, lo, hi;
  fieller_pct(b, sb, c, sc, Z975, &lo, &hi);
  close_to(r->roi_ci_fieller_low_pct, lo, 1e-9, "Fieller beside bootstrap draws, low");
  close_to(r->roi_ci_low_pct, lo, 4.5 * quantile_mc_sd(lo, 0.025, M, b, sb, c, sc) * sqrt(2.0), "draws vs Fieller, low");
  close_to(r->roi_ci_high_pct, hi, 4.5 * quantile_mc_sd(hi, 0.975, M, b, sb, c, sc) * sqrt(2.0), "draws vs Fieller, high");
  attrib_roi_result_free(r);
  free(big);
}

/* ---- fixed costs: Fieller with s_c = 0 is the exact linear interval ------- */

static void test_fixed_costs(void **state) {
  (void)state;
  attrib_roi_line costs[1] = {line("program", 30000, 0)};
  attrib_roi_input in;
  attrib_roi_input_init(&in);
  in.effect = 12, in.se = 5, in.has_effect = 1, in.learners = 100, in.value_per_unit = 40;
  in.costs = costs, in.n_costs = 1;
  attrib_roi_result *r = NULL;
  attrib_error err;
  assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
  double lo = 100 * ((12 - Z975 * 5) * 4000 - 30000) / 30000, hi = 100 * ((12 + Z975 * 5) * 4000 - 30000) / 30000;
  close_to(r->roi_ci_low_pct, lo, 1e-9, "linear low");
  close_to(r->roi_ci_high_pct, hi, 1e-9, "linear high");
  close_to(r->roi_ci_fieller_low_pct, lo, 1e-9, "Fieller (s_c = 0) low");
  close_to(r->roi_ci_fieller_high_pct, hi, 1e-9, "Fieller (s_c = 0) high");
  close_to(r->prob_roi_positive, 0.815939874653, 1e-9, "Phi(0.9)");
  assert_string_equal(r->interval_method, "exact (linear in the effect)");
  attrib_roi_result_free(r);
  /* no SE: no interval at all */
  in.se = NAN;
  assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
  assert_false(r->has_interval);
  assert_true(isnan(r->roi_ci_low_pct) && isnan(r->roi_ci_fieller_low_pct));
  attrib_roi_result_free(r);
}

/* ---- costs that can reach 0 ----------------------------------------------- */

static void test_costs_reach_zero(void **state) {
  (void)state;
  attrib_roi_line costs[1] = {line("a", 1000, 600)}; /* P(C <= 0) = Phi(-1.67) = 4.8% */
  attrib_roi_input in;
  attrib_roi_input_init(&in);
  in.effect = 10, in.se = 2, in.has_effect = 1, in.learners = 100;
  in.costs = costs, in.n_costs = 1;
  in.simulate = 1, in.simulations = 10000;
  attrib_roi_result *r = NULL;
  attrib_error err;
  assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
  close_to((double)r->n_cost_nonpositive / 10000, gsl_cdf_ugaussian_P(-1000.0 / 600), 4.5 * sqrt(0.048 * 0.952 / 1e4),
           "share of non-positive cost draws");
  assert_true(r->has_interval);
  assert_true(isnan(r->roi_ci_low_pct) && isnan(r->roi_ci_high_pct)); /* 4.8% > 2.5%: unbounded */
  assert_true(isnan(r->roi_ci_fieller_low_pct));                      /* c^2 < z^2 sc^2 */
  assert_true(r->n_warnings >= 2);
  int said = 0;
  for (size_t i = 0; i < r->n_warnings; i++) said += strstr(r->warnings[i], "zero or negative") != NULL;
  assert_int_equal(said, 1);
  attrib_roi_result_free(r);
  /* a few such draws (0.6%): left out, said, and the interval stays */
  costs[0].sd = 400;
  assert_status(attrib_roi_compute(&in, &r, &err), ATTRIB_OK, &err);
  assert_true(r->n_cost_nonpositive > 0);
  assert_true(isfinite(r->roi_ci_low_pct) && isfinite(r->roi_ci_high_pct));
  attrib_roi_result_free(r);
}

/* ---- input domains -------------------------------------------------------- */

static void expect_einval(attrib_roi_input *in, const char *needle) {
  attrib_roi_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_roi_compute(in, &r, &err);
  if (s != ATTRIB_EINVAL || !strstr(err.message, needle))
    fail_msg("expected EINVAL with '%s', got %d: %s", needle, (int)s, err.message);
  assert_null(r);
}

static void test_domains(void **state) {
  (void)state;
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_equal(attrib_roi_check_value("learners", "--learners", -5, &err), ATTRIB_EINVAL);
  assert_string_equal(err.message, "--learners must be a positive number (the learners reached), got -5");
  assert_int_equal(attrib_roi_check_value("horizon", NULL, 0, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_check_value("decay", NULL, 1, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_check_value("attribution", NULL, 1.5, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_check_value("margin", NULL, 30, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_check_value("cost", NULL, -1, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_check_value("se", NULL, INFINITY, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_check_value("effect", NULL, NAN, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_check_value("level", NULL, 1, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_check_value("value_per_unit", NULL, -40, &err), ATTRIB_OK);
  assert_int_equal(attrib_roi_check_value("attribution", NULL, 0, &err), ATTRIB_OK);
  assert_int_equal(attrib_roi_check_value("decay", NULL, 0, &err), ATTRIB_OK);
  assert_int_equal(attrib_roi_check_value("nope", NULL, 1, &err), ATTRIB_EINVAL);

  attrib_roi_line costs[1] = {line("program", 1000, 0)};
  attrib_roi_input in;
  attrib_roi_input_init(&in);
  in.effect = 5, in.has_effect = 1, in.learners = 10, in.costs = costs, in.n_costs = 1;
  in.learners = -5;
  expect_einval(&in, "learners must be a positive number");
  in.learners = 0;
  expect_einval(&in, "needs the number of learners");
  in.learners = 10, in.horizon = 0;
  expect_einval(&in, "horizon must be a positive number");
  in.horizon = 1, in.attribution = 1.5;
  expect_einval(&in, "attribution must be in [0, 1]");
  in.attribution = 1, in.cost_per_learner = -3;
  expect_einval(&in, "cost_per_learner must be a non-negative amount");
  in.cost_per_learner = 0, in.se = -1;
  expect_einval(&in, "the effect's SE must be");
  in.se = NAN, costs[0].amount = -1000;
  expect_einval(&in, "cost line 'program': the cost must be a non-negative amount");
  costs[0].amount = 1000, in.simulate = 1;
  expect_einval(&in, "simulating the effect needs the effect and its SE");
  in.simulate = 0;
  /* a sweep over a horizon of 0 or a decay of 1 */
  double hv[2] = {0, 2};
  attrib_roi_sweep_dim dim = {"horizon", hv, 2};
  attrib_roi_sweep *sw = NULL;
  attrib_error_clear(&err);
  assert_int_equal(attrib_roi_sweep_compute(&in, &dim, 1, 1, &sw, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "horizon must be a positive number"));
  assert_null(sw);
}

/* ---- amounts -------------------------------------------------------------- */

static void test_amounts(void **state) {
  (void)state;
  double v;
  attrib_error err;
  assert_status(attrib_roi_amount_parse("200*75", &v, &err), ATTRIB_OK, &err);
  assert_true(v == 15000);
  assert_status(attrib_roi_amount_parse("12,500", &v, &err), ATTRIB_OK, &err);
  assert_true(v == 12500);
  /* a factor longer than any fixed buffer is read whole, not cut short:
   * "1" and 80 zeros is 1e80 (a 64-byte buffer read it as 1e62) */
  char big[100] = "1";
  memset(big + 1, '0', 80);
  big[81] = 0;
  assert_status(attrib_roi_amount_parse(big, &v, &err), ATTRIB_OK, &err);
  assert_rel_close(v, 1e80, 1e-15, "1e80 written out");
  assert_int_equal(attrib_roi_amount_parse("1e200*1e200", &v, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "overflows"));
  assert_int_equal(attrib_roi_amount_parse("12x5", &v, &err), ATTRIB_EINVAL);
  assert_int_equal(attrib_roi_amount_parse("5*", &v, &err), ATTRIB_EINVAL);
}

/* ---- out of memory -------------------------------------------------------- */

static void test_oom(void **state) {
  (void)state;
  attrib_roi_line costs[3], benefits[1];
  attrib_roi_input in;
  brute_input(&in, costs, benefits);
  in.simulate = 1, in.simulations = 1000, in.keep_draws = 1;
  size_t failures = 0;
  for (long k = 1; k < 100; k++) {
    attrib_roi_result *r = NULL;
    attrib_error err;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_roi_compute(&in, &r, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      attrib_roi_result_free(r);
      break;
    }
    assert_int_equal(s, ATTRIB_ENOMEM);
    assert_null(r);
    failures++;
  }
  assert_true(failures > 5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reproducer),   cmocka_unit_test(test_brute_force),  cmocka_unit_test(test_independent_draws),
      cmocka_unit_test(test_line_streams), cmocka_unit_test(test_given_draws),  cmocka_unit_test(test_fixed_costs),
      cmocka_unit_test(test_costs_reach_zero), cmocka_unit_test(test_domains), cmocka_unit_test(test_amounts),
      cmocka_unit_test(test_oom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
