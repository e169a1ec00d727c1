/* Honest parallel-trends bounds (src/sensitivity/honest_did.c), validated
 * three ways (tests/reference/honest_did/README.md):
 *  1. brute force: identified sets on a 2-pre / 2-post example against an
 *     enumeration of the restriction on a lattice that holds its vertices,
 *     and the FLCI against a direct search over the one free estimator
 *     weight with the worst-case bias from the LP solver (not from the
 *     closed form the module uses);
 *  2. closed forms: Mbar = 0 makes the RM identified set the point
 *     l' beta_post and the conditional test the Wald test for the first
 *     post period; M = 0 makes the FLCI the minimum-variance
 *     trend-orthogonal estimator +- z sd;
 *  3. published numbers: HonestDiD (R) on the Benzarti & Carloni (2019)
 *     event study, as recorded in the fixtures.
 * And the degenerate cases' messages. */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/honest_did.h>
#include "core/lp.h"

/* ---------------------------------------------------------------- fixtures */

typedef struct bc {
  double beta[8], sigma[64];
} bc;

static void load_bc(bc *d) {
  attrib_table *t = test_load("tests/reference/honest_did/bc_eventstudy.csv");
  assert_int_equal(t->n_rows, 8);
  for (long i = 0; i < 8; i++) {
    d->beta[i] = test_value(t, "beta", i);
    for (int j = 0; j < 8; j++) {
      char name[16];
      snprintf(name, sizeof name, "sigma_%d", j + 1);
      d->sigma[i * 8 + j] = test_value(t, name, i);
    }
  }
  attrib_table_free(t);
}

static void published(const char *key, double m, double *lb, double *ub, double *tol) {
  attrib_table *t = test_load("tests/reference/honest_did/bc_published.csv");
  const char *cols[] = {"case"};
  const char *vals[] = {key};
  long r = -1;
  for (size_t start = 0;;) {
    r = test_find_row(t, cols, vals, 1, start);
    assert_true(r >= 0);
    if (fabs(test_value(t, "m", r) - m) < 1e-12) break;
    start = (size_t)r + 1;
  }
  *lb = test_value(t, "lb", r), *ub = test_value(t, "ub", r), *tol = test_value(t, "abs_tol", r);
  attrib_table_free(t);
}

static void assert_abs_close(double a, double e, double tol, const char *label) {
  if (!(fabs(a - e) <= tol)) fail_msg("%s: %.17g, expected %.17g (tolerance %g)", label, a, e, tol);
}

/* ---------------------------------------------------------------- 1. brute force */

/* A 2-pre / 2-post example (event times -2, -1, [0], 1, 2). */
static const double B4[4] = {0.3, -0.2, 1.1, 0.7};
static const double S4[16] = {0.04, 0.01, 0.005, 0.002, 0.01, 0.03, 0.004, 0.003,
                              0.005, 0.004, 0.05, 0.02, 0.002, 0.003, 0.02, 0.06};

static void test_identified_set_rm_brute(void **state) {
  (void)state;
  const double ls[3][2] = {{1, 0}, {0.5, 0.5}, {0.3, -1.2}};
  const double mbars[3] = {0, 0.7, 2};
  /* pre changes: D1 = -0.2 - 0.3 = -0.5, D2 = 0 - (-0.2) = 0.2: max 0.5 */
  const double mpre = 0.5;
  for (int il = 0; il < 3; il++)
    for (int im = 0; im < 3; im++) {
      double lb, ub;
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(attrib_honest_identified_set(B4, 2, 2, ATTRIB_HONEST_RM, mbars[im], ls[il], &lb, &ub, &err),
                    ATTRIB_OK, &err);
      /* |d1| <= a, |d2 - d1| <= a with a = Mbar * 0.5, on a lattice of
       * step a / 40: its vertices (d1, d2) in {+-a} x {+-2a, 0} are on it */
      const double a = mbars[im] * mpre;
      double blo = INFINITY, bhi = -INFINITY;
      const int N = 40;
      for (int i = -N; i <= N; i++)
        for (int j = -2 * N; j <= 2 * N; j++) {
          const double d1 = a * i / N, d2 = a * j / N;
          if (fabs(d2 - d1) > a * (1 + 1e-12)) continue;
          const double th = ls[il][0] * (B4[2] - d1) + ls[il][1] * (B4[3] - d2);
          blo = fmin(blo, th), bhi = fmax(bhi, th);
        }
      assert_abs_close(lb, blo, 1e-12, "RM identified set, lower");
      assert_abs_close(ub, bhi, 1e-12, "RM identified set, upper");
      if (mbars[im] == 0) { /* closed form: the point l' beta_post */
        assert_abs_close(lb, ls[il][0] * B4[2] + ls[il][1] * B4[3], 1e-14, "Mbar = 0: a point");
        assert_abs_close(ub, lb, 1e-14, "Mbar = 0: a point");
      }
    }
}

static void test_identified_set_sd_brute(void **state) {
  (void)state;
  /* pre: second difference 0 - 2(-0.2) + 0.3 = 0.7: feasible for M >= 0.7 */
  const double ls[2][2] = {{1, 0}, {0.5, 0.5}};
  const double ms[3] = {0.7, 1.0, 1.6};
  for (int il = 0; il < 2; il++)
    for (int im = 0; im < 3; im++) {
      const double M = ms[im];
      double lb, ub;
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(attrib_honest_identified_set(B4, 2, 2, ATTRIB_HONEST_SD, M, ls[il], &lb, &ub, &err), ATTRIB_OK,
                    &err);
      /* d1 - 2 * 0 + d_{-1} in [-M, M], d2 - 2 d1 + 0 in [-M, M]: lattice
       * d1 = -d_{-1} + M i / N, d2 = 2 d1 + M j / N */
      double blo = INFINITY, bhi = -INFINITY;
      const int N = 50;
      for (int i = -N; i <= N; i++)
        for (int j = -N; j <= N; j++) {
          const double d1 = -B4[1] + M * i / N, d2 = 2 * d1 + M * j / N;
          const double th = ls[il][0] * (B4[2] - d1) + ls[il][1] * (B4[3] - d2);
          blo = fmin(blo, th), bhi = fmax(bhi, th);
        }
      assert_abs_close(lb, blo, 1e-12, "SD identified set, lower");
      assert_abs_close(ub, bhi, 1e-12, "SD identified set, upper");
    }
  /* M below the pre-period curvature: no delta matches, the set is empty */
  double lb, ub;
  assert_status(attrib_honest_identified_set(B4, 2, 2, ATTRIB_HONEST_SD, 0.5, NULL, &lb, &ub, NULL), ATTRIB_OK, NULL);
  assert_true(isnan(lb) && isnan(ub));
}

/* quantile of |N(t, 1)| by its own bisection (not the module's) */
static double cv_folded(double t, double alpha) {
  double a = 0, b = t + 20;
  for (int i = 0; i < 400; i++) {
    const double m = 0.5 * (a + b);
    const double p = gsl_cdf_ugaussian_P(m - t) - gsl_cdf_ugaussian_P(-m - t); /* P(|X| <= m) */
    if (p < 1 - alpha) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

/* worst-case |bias| of v'delta over Delta^SD(M), delta_0 = 0, by LP over
 * all four deltas (event times -2, -1, 1, 2): rows +-(second difference) <= M */
static double sd_bias_lp(const double v[4], double M) {
  /* full positions: -2, -1, 0, 1, 2 -> columns 0, 1, -, 2, 3 */
  const int col[5] = {0, 1, -1, 2, 3};
  double G[6 * 4] = {0}, h[6];
  int r = 0;
  for (int p = 2; p <= 4; p++)
    for (int sg = -1; sg <= 1; sg += 2) {
      const int c0 = col[p], c1 = col[p - 1], c2 = col[p - 2];
      if (c0 >= 0) G[r * 4 + c0] += sg;
      if (c1 >= 0) G[r * 4 + c1] -= 2 * sg;
      if (c2 >= 0) G[r * 4 + c2] += sg;
      h[r++] = M;
    }
  double val;
  attrib__lp_outcome o;
  assert_int_equal(attrib__lp_solve_ineq(6, 4, G, h, v, NULL, &val, &o), ATTRIB_OK);
  return o == ATTRIB__LP_OPTIMAL ? val : INFINITY;
}

static void test_flci_brute(void **state) {
  (void)state;
  const double l[2] = {0.5, 0.5};
  const double alpha = 0.05;
  const double Ms[3] = {0.02, 0.1, 0.5};
  for (int im = 0; im < 3; im++) {
    const double M = Ms[im];
    /* estimators v = (x, 1.5 - 2x, l): the trend-orthogonal ones
     * (-2 x - v_{-1} + 0.5 + 2 * 0.5 = 0) */
    double best = INFINITY, bx = 0;
    for (int pass = 0; pass < 3; pass++) {
      const double c = pass ? bx : 0, w = pass == 0 ? 5.0 : pass == 1 ? 0.02 : 0.0004;
      for (int i = -500; i <= 500; i++) {
        const double x = c + w * i / 500.0;
        const double v[4] = {x, 1.5 - 2 * x, l[0], l[1]};
        double var = 0;
        for (int a = 0; a < 4; a++)
          for (int b = 0; b < 4; b++) var += v[a] * S4[a * 4 + b] * v[b];
        const double sd = sqrt(var), bias = sd_bias_lp(v, M);
        const double hl = sd * cv_folded(bias / sd, alpha);
        if (hl < best) best = hl, bx = x;
      }
    }
    attrib_honest_options o;
    attrib_honest_options_init(&o);
    o.restriction = ATTRIB_HONEST_SD;
    o.l = l;
    attrib_honest_set s;
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_honest_ci(B4, S4, 2, 2, M, &o, &s, &err), ATTRIB_OK, &err);
    const double half = 0.5 * (s.ci_high - s.ci_low);
    /* the search's resolution (4e-4 / 500 in x) bounds the agreement */
    assert_rel_close(half, best, 1e-7, "FLCI half-length vs brute force");
    assert_true(half <= best * (1 + 1e-12)); /* the module's optimum is no worse */
    const double v[4] = {bx, 1.5 - 2 * bx, l[0], l[1]};
    double centre = 0;
    for (int a = 0; a < 4; a++) centre += v[a] * B4[a];
    assert_abs_close(0.5 * (s.ci_high + s.ci_low), centre, 1e-5, "FLCI centre vs brute force");
  }
}

/* ---------------------------------------------------------------- 2. closed forms */

static void test_sd_m0_closed_form(void **state) {
  (void)state;
  /* M = 0: the minimum-variance estimator among v = v0 + x u with
   * v0 = (0, 1.5, .5, .5), u = (1, -2, 0, 0): x = -u'S v0 / u'S u */
  const double v0[4] = {0, 1.5, 0.5, 0.5}, u[4] = {1, -2, 0, 0};
  double usv = 0, usu = 0;
  for (int a = 0; a < 4; a++)
    for (int b = 0; b < 4; b++) usv += u[a] * S4[a * 4 + b] * v0[b], usu += u[a] * S4[a * 4 + b] * u[b];
  const double x = -usv / usu;
  double v[4], est = 0, var = 0;
  for (int a = 0; a < 4; a++) v[a] = v0[a] + x * u[a];
  for (int a = 0; a < 4; a++) {
    est += v[a] * B4[a];
    for (int b = 0; b < 4; b++) var += v[a] * S4[a * 4 + b] * v[b];
  }
  const double z = gsl_cdf_ugaussian_Pinv(0.975);
  attrib_honest_options o;
  attrib_honest_options_init(&o);
  o.restriction = ATTRIB_HONEST_SD; /* default target: the average */
  attrib_honest_set s;
  assert_status(attrib_honest_ci(B4, S4, 2, 2, 0.0, &o, &s, NULL), ATTRIB_OK, NULL);
  assert_rel_close(s.ci_low, est - z * sqrt(var), 1e-10, "M = 0 lower");
  assert_rel_close(s.ci_high, est + z * sqrt(var), 1e-10, "M = 0 upper");
}

static void test_rm_mbar0_wald(void **state) {
  (void)state;
  bc d;
  load_bc(&d);
  /* Mbar = 0, theta = tau_1: the post rows +-delta_1 <= 0 carry theta and
   * the others only the nuisance, so the conditional test is |b1 - theta| /
   * se > z_{1 - alpha/2} (dual vertices e_+, e_- and the nuisance pair:
   * V(c) = max(c, -c, 0), vlo = 0, vup = inf): the Wald interval. */
  attrib_honest_options o;
  attrib_honest_options_init(&o);
  o.method = ATTRIB_HONEST_CONDITIONAL;
  o.target_event = 0;
  attrib_honest_set s;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_honest_ci(d.beta, d.sigma, 4, 4, 0.0, &o, &s, &err), ATTRIB_OK, &err);
  const double se = sqrt(d.sigma[4 * 8 + 4]), z = gsl_cdf_ugaussian_Pinv(0.975);
  assert_int_equal(s.shape, ATTRIB_HONEST_BOUNDED);
  assert_abs_close(s.ci_low, d.beta[4] - z * se, 1e-9, "Mbar = 0 lower = Wald");
  assert_abs_close(s.ci_high, d.beta[4] + z * se, 1e-9, "Mbar = 0 upper = Wald");
  /* and on the small example (its default grid is 40 se = 9 wide: the
   * refined ends are within 1e-9 of that) */
  assert_status(attrib_honest_ci(B4, S4, 2, 2, 0.0, &o, &s, &err), ATTRIB_OK, &err);
  assert_abs_close(s.ci_low, B4[2] - z * sqrt(S4[10]), 1e-8, "Mbar = 0 lower = Wald (2x2)");
  assert_abs_close(s.ci_high, B4[2] + z * sqrt(S4[10]), 1e-8, "Mbar = 0 upper = Wald (2x2)");
}

/* ---------------------------------------------------------------- 3. published */

static void test_bc_published(void **state) {
  (void)state;
  bc d;
  load_bc(&d);
  double lb, ub, tol;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_honest_options o;
  attrib_honest_options_init(&o);
  o.restriction = ATTRIB_HONEST_SD;
  o.target_event = 0; /* HonestDiD's default target, tau_2009 */
  const double ms[3] = {0, 0.1, 0.2};
  attrib_honest_result *r = NULL;
  assert_status(attrib_honest_run(d.beta, d.sigma, 4, 4, ms, 3, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->target, ATTRIB_HONEST_TARGET_EVENT);
  assert_int_equal(r->target_event, 0);
  assert_int_equal(r->method, ATTRIB_HONEST_FLCI);
  published("original", 0, &lb, &ub, &tol);
  assert_abs_close(r->ci_low, lb, tol, "parallel-trends CI, lower");
  assert_abs_close(r->ci_high, ub, tol, "parallel-trends CI, upper");
  for (int i = 0; i < 3; i++) {
    published("sd_flci", ms[i], &lb, &ub, &tol);
    assert_abs_close(r->sets[i].ci_low, lb, tol, "FLCI lower");
    assert_abs_close(r->sets[i].ci_high, ub, tol, "FLCI upper");
  }
  /* M = 0.1: HonestDiD's optimal weights (0, 0, 0, 1 | 1, 0, 0, 0): the
   * estimate beta_{-1} + beta_0, the FLCI's centre */
  assert_abs_close(0.5 * (r->sets[1].ci_low + r->sets[1].ci_high), d.beta[3] + d.beta[4], 1e-12, "FLCI centre");
  attrib_honest_result_free(r);

  /* RM, Mbar = 1, HonestDiD's grid: 200 points on +-20 se of theta */
  o.restriction = ATTRIB_HONEST_RM;
  o.method = ATTRIB_HONEST_CONDITIONAL;
  o.grid_points = 200;
  o.refine = 0;
  const double se = sqrt(d.sigma[4 * 8 + 4]);
  o.grid_lb = -20 * se, o.grid_ub = 20 * se;
  attrib_honest_set s;
  assert_status(attrib_honest_ci(d.beta, d.sigma, 4, 4, 1.0, &o, &s, &err), ATTRIB_OK, &err);
  published("rm_conditional_grid200", 1, &lb, &ub, &tol);
  assert_abs_close(s.ci_low, lb, tol, "RM conditional lower (grid value 118 of 200)");
  assert_abs_close(s.ci_high, ub, tol, "RM conditional upper (grid value 183 of 200)");
  o.method = ATTRIB_HONEST_HYBRID_LF;
  assert_status(attrib_honest_ci(d.beta, d.sigma, 4, 4, 1.0, &o, &s, &err), ATTRIB_OK, &err);
  published("rm_hybrid_lf_grid200", 1, &lb, &ub, &tol);
  assert_abs_close(s.ci_low, lb, tol, "RM hybrid lower");
  assert_abs_close(s.ci_high, ub, tol, "RM hybrid upper");
  /* the hybrid's set is within the conditional one's grid neighbourhood
   * and contains the identified set at the estimate */
  double il, iu;
  const double e1[4] = {1, 0, 0, 0};
  assert_status(attrib_honest_identified_set(d.beta, 4, 4, ATTRIB_HONEST_RM, 1.0, e1, &il, &iu, &err), ATTRIB_OK,
                &err);
  assert_true(s.ci_low < il && iu < s.ci_high);
}

/* ---------------------------------------------------------------- breakdown, break-even */

static void test_breakdown_breakeven(void **state) {
  (void)state;
  bc d;
  load_bc(&d);
  attrib_error err;
  attrib_error_clear(&err);
  for (int rest = 0; rest < 2; rest++) {
    attrib_honest_options o;
    attrib_honest_options_init(&o);
    o.restriction = rest ? ATTRIB_HONEST_SD : ATTRIB_HONEST_RM;
    o.method = rest ? ATTRIB_HONEST_FLCI : ATTRIB_HONEST_CONDITIONAL;
    o.target_event = 0;
    o.grid_points = 200;
    const double ms_rm[5] = {0, 0.5, 1, 1.5, 2}, ms_sd[5] = {0, 0.01, 0.02, 0.05, 0.1};
    attrib_honest_result *r = NULL;
    assert_status(attrib_honest_run(d.beta, d.sigma, 4, 4, rest ? ms_sd : ms_rm, 5, &o, &r, &err), ATTRIB_OK, &err);
    assert_int_equal(r->breakdown_search, ATTRIB_HONEST_FOUND);
    const double bd = r->breakdown;
    assert_true(bd > 0);
    /* just below the breakdown value the set excludes zero, just above it
     * does not */
    attrib_honest_set lo, hi;
    assert_status(attrib_honest_ci(d.beta, d.sigma, 4, 4, bd * (1 - 1e-4), &o, &lo, &err), ATTRIB_OK, &err);
    assert_status(attrib_honest_ci(d.beta, d.sigma, 4, 4, bd * (1 + 1e-4), &o, &hi, &err), ATTRIB_OK, &err);
    assert_true(lo.ci_low > 0);
    assert_true(hi.ci_low <= 0);
    /* the sets reported on the grid agree with it */
    for (size_t i = 0; i < r->n_sets; i++) {
      if (r->sets[i].m < bd * (1 - 1e-4)) assert_true(r->sets[i].ci_low > 0);
      if (r->sets[i].m > bd * (1 + 1e-4)) assert_true(r->sets[i].ci_low <= 0);
    }
    /* break-even at an effect of 0.1: the lower end comes down to 0.1 */
    double m;
    attrib_honest_search sr;
    assert_status(attrib_honest_breakeven(r, 0.1, &m, &sr, &err), ATTRIB_OK, &err);
    assert_int_equal(sr, ATTRIB_HONEST_FOUND);
    assert_true(m < bd);
    assert_status(attrib_honest_ci(d.beta, d.sigma, 4, 4, m, &o, &lo, &err), ATTRIB_OK, &err);
    assert_abs_close(lo.ci_low, 0.1, rest ? 1e-5 : 2e-3, "lower end at the break-even m");
    /* effect 0 is the breakdown */
    assert_status(attrib_honest_breakeven(r, 0.0, &m, &sr, &err), ATTRIB_OK, &err);
    assert_rel_close(m, bd, 0, "breakeven(0) = breakdown");
    /* an effect above the parallel-trends CI's lower end: not even at 0 */
    assert_status(attrib_honest_breakeven(r, 0.19, &m, &sr, &err), ATTRIB_OK, &err);
    assert_int_equal(sr, ATTRIB_HONEST_NOT_AT_ZERO);
    assert_true(isnan(m));
    attrib_honest_result_free(r);
  }
}

/* ---------------------------------------------------------------- degenerate cases */

static void test_errors(void **state) {
  (void)state;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_honest_options o;
  attrib_honest_options_init(&o);
  const double m[1] = {1};
  attrib_honest_result *r = (attrib_honest_result *)1;
  /* no pre-period: RM and SD impossible, naming honest.restriction */
  const double b2[2] = {1, 2}, s2[4] = {1, 0, 0, 1};
  assert_int_equal(attrib_honest_run(b2, s2, 0, 2, m, 1, &o, &r, &err), ATTRIB_EUSAGE);
  assert_null(r);
  assert_string_equal(err.option, "honest.restriction");
  assert_non_null(strstr(err.message, "at least one pre-treatment coefficient"));
  o.restriction = ATTRIB_HONEST_SD;
  attrib_error_clear(&err);
  assert_int_equal(attrib_honest_run(b2, s2, 0, 2, m, 1, &o, &r, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "honest.restriction");
  /* Sigma not positive semi-definite / not symmetric */
  const double bad[16] = {1, 2, 0, 0, 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  attrib_error_clear(&err);
  assert_int_equal(attrib_honest_run(B4, bad, 2, 2, m, 1, &o, &r, &err), ATTRIB_EINVAL);
  assert_string_equal(err.option, "honest.sigma");
  assert_non_null(strstr(err.message, "not positive semi-definite"));
  double asym[16];
  memcpy(asym, S4, sizeof asym);
  asym[1] += 0.001;
  attrib_error_clear(&err);
  assert_int_equal(attrib_honest_run(B4, asym, 2, 2, m, 1, &o, &r, &err), ATTRIB_EINVAL);
  assert_string_equal(err.option, "honest.sigma");
  assert_non_null(strstr(err.message, "not symmetric"));
  /* negative M, a method the restriction has not, zero weights */
  const double neg[1] = {-0.1};
  attrib_error_clear(&err);
  assert_int_equal(attrib_honest_run(B4, S4, 2, 2, neg, 1, &o, &r, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "honest.m");
  o.method = ATTRIB_HONEST_CONDITIONAL;
  attrib_error_clear(&err);
  assert_int_equal(attrib_honest_run(B4, S4, 2, 2, m, 1, &o, &r, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "honest.method");
  o.method = ATTRIB_HONEST_AUTO;
  const double zero[2] = {0, 0};
  o.l = zero;
  attrib_error_clear(&err);
  assert_int_equal(attrib_honest_run(B4, S4, 2, 2, m, 1, &o, &r, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "honest.l");
  o.l = NULL;
  /* no post period */
  assert_int_equal(attrib_honest_run(B4, S4, 4, 0, m, 1, &o, &r, &err), ATTRIB_EDIM);
  /* the parser */
  attrib_honest_restriction rr;
  assert_status(attrib_honest_restriction_parse("sd", &rr, NULL), ATTRIB_OK, NULL);
  assert_int_equal(rr, ATTRIB_HONEST_SD);
  attrib_error_clear(&err);
  assert_int_equal(attrib_honest_restriction_parse("linear", &rr, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "honest.restriction");
  assert_string_equal(attrib_honest_restriction_name(ATTRIB_HONEST_RM), "rm");
}

static void test_empty_and_unbounded(void **state) {
  (void)state;
  /* One post period, RM uses all moments, pre ones included (HonestDiD's
   * no-nuisance branch): with sharply estimated pre changes of 1 and 0.1,
   * fine. With Mbar huge the set is very wide but bounded. */
  const double b[3] = {-1.1, -1.0, 5.0};
  const double s[9] = {1e-4, 0, 0, 0, 1e-4, 0, 0, 0, 1e-2};
  attrib_honest_options o;
  attrib_honest_options_init(&o);
  o.method = ATTRIB_HONEST_CONDITIONAL;
  o.grid_points = 100;
  attrib_honest_set set;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_honest_ci(b, s, 2, 1, 0.5, &o, &set, &err), ATTRIB_OK, &err);
  assert_int_equal(set.shape, ATTRIB_HONEST_BOUNDED);
  /* the identified set at Mbar 0.5 is 5 -+ 0.5: the CI contains it */
  assert_true(set.ci_low < 4.5 && set.ci_high > 5.5);
  /* a user grid that the set overflows: reported unbounded on both sides */
  o.grid_lb = 4.9, o.grid_ub = 5.1;
  assert_status(attrib_honest_ci(b, s, 2, 1, 0.5, &o, &set, &err), ATTRIB_OK, &err);
  assert_int_equal(set.shape, ATTRIB_HONEST_UNBOUNDED);
  assert_true(set.ci_low == -INFINITY && set.ci_high == INFINITY);
  /* a user grid far from the set: nothing accepted, empty */
  o.grid_lb = 40, o.grid_ub = 41;
  assert_status(attrib_honest_ci(b, s, 2, 1, 0.5, &o, &set, &err), ATTRIB_OK, &err);
  assert_int_equal(set.shape, ATTRIB_HONEST_EMPTY);
  assert_true(isnan(set.ci_low) && isnan(set.ci_high));
}

static void test_oom(void **state) {
  (void)state;
  const double m[2] = {0, 0.5};
  attrib_honest_options o;
  attrib_honest_options_init(&o);
  o.method = ATTRIB_HONEST_CONDITIONAL;
  o.grid_points = 20;
  for (int rest = 0; rest < 2; rest++) {
    o.restriction = rest ? ATTRIB_HONEST_SD : ATTRIB_HONEST_RM;
    o.method = rest ? ATTRIB_HONEST_FLCI : ATTRIB_HONEST_CONDITIONAL;
    for (long k = 1; k < 400; k += 7) {
      attrib_honest_result *r = NULL;
      attrib_debug_fail_alloc_after(k);
      attrib_status s = attrib_honest_run(B4, S4, 2, 2, m, 2, &o, &r, NULL);
      attrib_debug_fail_alloc_after(0);
      assert_true(s == ATTRIB_OK || s == ATTRIB_ENOMEM);
      if (s == ATTRIB_OK) assert_non_null(r);
      else assert_null(r);
      attrib_honest_result_free(r);
    }
  }
}

/* From a did result: the coefficients and covariance handed over as they
 * are, and the default target (the post average) reproduces the did
 * result's own average of the post-period effects and its standard error. */
static void test_from_did(void **state) {
  (void)state;
  attrib_table *t = test_simulated(3000, 4, 2.0, 1);
  attrib_did_options o;
  attrib_did_options_init(&o);
  o.outcome = "sales", o.unit = "learner_id", o.time = "period", o.cohort = "cohort";
  attrib_error err;
  attrib_error_clear(&err);
  attrib_did_result *r = NULL;
  attrib_honest_input *in = (attrib_honest_input *)1;
  /* CS with the varying base period: refused */
  assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(attrib_honest_input_from_did(r, &in, &err), ATTRIB_EUSAGE);
  assert_null(in);
  assert_string_equal(err.option, "did.base_universal");
  attrib_did_result_free(r);
  for (int variant = 0; variant < 2; variant++) {
    attrib_did_options_init(&o);
    o.outcome = "sales", o.unit = "learner_id", o.time = "period", o.cohort = "cohort";
    if (variant == 0) o.base_universal = 1;
    else o.estimator = ATTRIB_DID_TWFE, o.event_study = 1, o.leads = 4, o.lags = 3;
    attrib_error_clear(&err);
    assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
    assert_status(attrib_honest_input_from_did(r, &in, &err), ATTRIB_OK, &err);
    assert_true(in->n_pre >= 1 && in->n_post >= 1);
    assert_true(in->reference == -1.0);
    const size_t n = in->n_pre + in->n_post;
    assert_int_equal(n + in->n_binned, r->n_events);
    for (size_t a = 0; a < n; a++) {
      assert_true(in->event_time[a] == (a < in->n_pre ? -1.0 - (double)(in->n_pre - a) : (double)(a - in->n_pre)));
      for (size_t q = 0; q < r->n_events; q++)
        if (r->events[q].event_time == in->event_time[a]) assert_true(r->events[q].att == in->beta[a]);
    }
    attrib_honest_options ho;
    attrib_honest_options_init(&ho);
    ho.restriction = ATTRIB_HONEST_SD;
    const double m[1] = {0};
    attrib_honest_result *h = NULL;
    assert_status(attrib_honest_run(in->beta, in->sigma, in->n_pre, in->n_post, m, 1, &ho, &h, &err), ATTRIB_OK, &err);
    assert_int_equal(h->target, ATTRIB_HONEST_TARGET_AVERAGE);
    /* TWFE's own average includes the binned endpoint, which is left out
     * here: recompute it over the single periods from the did result */
    double est = r->dynamic_overall, se = r->dynamic_overall_se;
    if (variant == 1) {
      double sum = 0, var = 0;
      size_t np = 0;
      for (size_t a = 0; a < r->n_events; a++) {
        if (r->events[a].binned || r->events[a].event_time < 0) continue;
        sum += r->events[a].att, np++;
        for (size_t b = 0; b < r->n_events; b++)
          if (!r->events[b].binned && r->events[b].event_time >= 0) var += r->event_vcov[a * r->n_events + b];
      }
      assert_int_equal(np, in->n_post);
      est = sum / (double)np, se = sqrt(var) / (double)np;
      assert_true(in->n_binned == 2);
    }
    assert_rel_close(h->estimate, est, 1e-12, "post average = the did result's");
    assert_rel_close(h->std_error, se, 1e-10, "its standard error");
    attrib_honest_result_free(h);
    attrib_honest_input_free(in);
    attrib_did_result_free(r);
  }
  /* no event study */
  attrib_did_options_init(&o);
  o.outcome = "sales", o.unit = "learner_id", o.time = "period", o.cohort = "cohort";
  o.estimator = ATTRIB_DID_TWFE;
  assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  attrib_error_clear(&err);
  assert_int_equal(attrib_honest_input_from_did(r, &in, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "did.event_study");
  attrib_did_result_free(r);
  attrib_table_free(t);
}

/* the writer's output in a memory buffer (a new string) */
static char *written(const attrib_honest_result *h, const attrib_honest_breakeven_result *be, attrib_report_format f) {
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  assert_non_null(fp);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_report_write_honest(fp, h, be, f, &err), ATTRIB_OK, &err);
  fclose(fp);
  return buf;
}

/* The writers compute nothing: a hand-made result, printed as given;
 * infinite and missing ends are JSON null with the shape saying which. */
static void test_write_honest(void **state) {
  (void)state;
  double l[2] = {0.5, 0.5};
  attrib_honest_set sets[3] = {{0, 0.5, 1.5, ATTRIB_HONEST_BOUNDED, 0},
                               {1, -INFINITY, 2.5, ATTRIB_HONEST_UNBOUNDED, 0},
                               {2, NAN, NAN, ATTRIB_HONEST_EMPTY, 0}};
  attrib_honest_result h;
  memset(&h, 0, sizeof h);
  h.restriction = ATTRIB_HONEST_RM, h.method = ATTRIB_HONEST_HYBRID_LF, h.n_pre = 3, h.n_post = 2;
  h.target = ATTRIB_HONEST_TARGET_AVERAGE, h.target_event = SIZE_MAX, h.l = l, h.level = 0.95;
  h.estimate = 1, h.std_error = 0.25, h.ci_low = 0.5, h.ci_high = 1.5;
  h.n_sets = 3, h.sets = sets, h.breakdown = 0.75, h.breakdown_search = ATTRIB_HONEST_FOUND;
  attrib_honest_breakeven_result be = {0.25, 0.5, ATTRIB_HONEST_FOUND};
  char *s = written(&h, &be, ATTRIB_FORMAT_JSON);
  assert_string_equal(s, "{\n  \"honest\": {\n    \"restriction\": \"rm\",\n    \"method\": \"hybrid-lf\",\n"
                         "    \"level\": 0.94999999999999996,\n    \"target\": \"average\",\n"
                         "    \"l\": [\n      0.5,\n      0.5\n    ],\n    \"n_pre\": 3,\n    \"n_post\": 2,\n"
                         "    \"original\": {\n      \"estimate\": 1.0,\n      \"std_error\": 0.25,\n"
                         "      \"ci_low\": 0.5,\n      \"ci_high\": 1.5\n    },\n"
                         "    \"sets\": [\n      {\n        \"mbar\": 0.0,\n        \"ci_low\": 0.5,\n"
                         "        \"ci_high\": 1.5,\n        \"shape\": \"bounded\"\n      },\n"
                         "      {\n        \"mbar\": 1.0,\n        \"ci_low\": null,\n        \"ci_high\": 2.5,\n"
                         "        \"shape\": \"unbounded\"\n      },\n"
                         "      {\n        \"mbar\": 2.0,\n        \"ci_low\": null,\n        \"ci_high\": null,\n"
                         "        \"shape\": \"empty\"\n      }\n    ],\n"
                         "    \"breakdown\": 0.75,\n    \"breakdown_status\": \"found\",\n"
                         "    \"breakeven_roi\": 0.5,\n    \"breakeven_effect\": 0.25,\n"
                         "    \"breakeven_status\": \"found\"\n  }\n}\n");
  free(s);
  s = written(&h, NULL, ATTRIB_FORMAT_CSV);
  assert_string_equal(s, "mbar,ci_low,ci_high,shape\n0,0.5,1.5,bounded\n1,-inf,2.5,unbounded\n2,nan,nan,empty\n");
  free(s);
  s = written(&h, &be, ATTRIB_FORMAT_TEXT);
  assert_non_null(strstr(s, "Target: the average of the 2 post-period effects; 3 pre and 2 post periods\n"));
  assert_non_null(strstr(s, "         1         -inf          2.5\n"));
  assert_non_null(strstr(s, "empty: the data reject it"));
  assert_non_null(strstr(s, "Breakdown: the set excludes zero up to Mbar = 0.75\n"));
  assert_non_null(strstr(s, "unless Mbar > 0.5\n"));
  free(s);
  /* without a break-even: null */
  s = written(&h, NULL, ATTRIB_FORMAT_JSON);
  assert_non_null(strstr(s, "\"breakeven_roi\": null"));
  assert_null(strstr(s, "breakeven_status"));
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_identified_set_rm_brute), cmocka_unit_test(test_identified_set_sd_brute),
      cmocka_unit_test(test_flci_brute),              cmocka_unit_test(test_sd_m0_closed_form),
      cmocka_unit_test(test_rm_mbar0_wald),           cmocka_unit_test(test_bc_published),
      cmocka_unit_test(test_breakdown_breakeven),     cmocka_unit_test(test_errors),
      cmocka_unit_test(test_empty_and_unbounded),     cmocka_unit_test(test_oom),
      cmocka_unit_test(test_from_did),                cmocka_unit_test(test_write_honest)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
