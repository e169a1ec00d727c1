/*
 * attrib power (src/power) against numbers not produced by it:
 *  - R's pwr 1.3-0 (tests/reference/power/make_power_reference.R): the
 *    power of pwr.t.test, pwr.t2n.test and pwr.norm.test to 1e-9 relative
 *    (the same AS 243 series), and their n and d roots (re-solved in R
 *    with tol 1e-13 on pwr's own power function) to 1e-8 relative;
 *  - the design factors written out here: the design effect 1 + (m - 1) icc
 *    (cluster), 2 (1 - rho) (did), 1 - r2, and 1:1 matching's min(n_c, n_t) pairs;
 *  - the baseline's SD, one-way ANOVA ICC and R2 against R's aov and lm;
 *  - round trips: the MDE at n, then the n of that MDE, gives n back;
 *  - the options' checks name the field at fault.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "power/power_internal.h"
#include "test_support.h"

static double col(const attrib_table *t, const char *name, size_t row) {
  long c = attrib_table_column_find(t, name);
  assert_true(c >= 0);
  return t->cols[c].values[row];
}

static const char *text(const attrib_table *t, const char *name, size_t row) {
  long c = attrib_table_column_find(t, name);
  assert_true(c >= 0);
  return t->cols[c].levels[t->cols[c].codes[row]];
}

static attrib_power_result *run(const attrib_power_options *o) {
  attrib_power_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_power_run(o, &r, &err), ATTRIB_OK, &err);
  return r;
}

static void test_pwr_reference(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/power/power_expected.csv");
  size_t checked_power = 0, checked_root = 0;
  double worst_power = 0, worst_root = 0, worst_pwr = 0;
  for (size_t i = 0; i < t->n_rows; i++) {
    const char *fn = text(t, "fn", i), *solved = text(t, "solved", i);
    int sides = strcmp(text(t, "alternative", i), "two.sided") ? 1 : 2;
    double n1 = col(t, "n1", i), n2 = col(t, "n2", i), d = col(t, "d", i), alpha = col(t, "alpha", i);
    double power = col(t, "power", i), pwr_root = col(t, "pwr_root", i);
    int norm = !strcmp(fn, "norm.test");
    /* the one-sample z of pwr.norm.test: 1/n_t + 1/n_c = 1/n with n_t = n_c = 2n */
    double nt = norm ? 2 * n1 : n1, nc = norm ? 2 * n1 : n2, df = norm ? INFINITY : n1 + n2 - 2;
    char label[160];
    snprintf(label, sizeof label, "row %zu: %s %s n1=%g n2=%g d=%g alpha=%g", i + 2, fn, solved, n1, n2, d, alpha);
    /* every row's power at its (n, d): the solved rows check the power at
     * the roots too */
    double p = attrib_power_two_sample(nt, nc, d, alpha, sides, df);
    assert_rel_close(p, power, 1e-9, label);
    worst_power = fmax(worst_power, fabs(p - power) / power);
    checked_power++;
    if (!strcmp(solved, "power")) continue;
    attrib_power_options o;
    attrib_power_options_init(&o);
    o.alpha = alpha, o.sides = sides, o.power = power, o.normal = norm;
    o.ratio = nt / nc;
    attrib_power_result *r;
    double got, want;
    if (!strcmp(solved, "n")) { /* n per group (pwr.t.test) or the one sample's n (norm: n = N / 4) */
      o.mde = d;
      r = run(&o);
      got = norm ? r->n / 4 : r->n / 2, want = n1;
    } else {
      o.n = nt + nc;
      r = run(&o);
      got = r->mde, want = d;
    }
    assert_rel_close(got, want, 1e-8, label);
    worst_root = fmax(worst_root, fabs(got - want) / want);
    /* pwr's own root (uniroot's default tolerance 1.2e-4) */
    assert_rel_close(got, pwr_root, 1e-3, label);
    worst_pwr = fmax(worst_pwr, fabs(got - pwr_root) / pwr_root);
    checked_root++;
    attrib_power_result_free(r);
  }
  printf("pwr fixture: %zu powers (worst rel %.2e), %zu roots (worst rel %.2e; vs pwr's own %.2e)\n", checked_power,
         worst_power, checked_root, worst_root, worst_pwr);
  assert_true(checked_power > 250 && checked_root > 60);
  attrib_table_free(t);
}

/* The noncentral t against R 4.2.2's pt(t, df, ncp) (printed with digits = 17). */
static void test_pnt(void **state) {
  (void)state;
  /* pt(2, 10, 1.5); pt(-1, 5, 0.5); pt(3, 30, 4); pt(1.5, 200, 1); pt(0.5, 3, 2) */
  assert_rel_close(attrib_power_pnt(2, 10, 1.5), 0.659154072442026284, 1e-10, "pt(2,10,1.5)");
  assert_rel_close(attrib_power_pnt(-1, 5, 0.5), 0.082444091056970814, 1e-10, "pt(-1,5,0.5)");
  assert_rel_close(attrib_power_pnt(3, 30, 4), 0.169452894259597447, 1e-10, "pt(3,30,4)");
  assert_rel_close(attrib_power_pnt(1.5, 200, 1), 0.690310336365635879, 1e-10, "pt(1.5,200,1)");
  assert_rel_close(attrib_power_pnt(0.5, 3, 2), 0.065478985564606768, 1e-10, "pt(0.5,3,2)");
}

/* The grid of R's pt(q, df, ncp) (pt_expected.csv): where R warns that full
 * precision may not have been reached the two may still differ in the same
 * way, so the comparison is absolute, 1e-10 (the power's scale). */
static void test_pnt_grid(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/power/pt_expected.csv");
  double worst = 0;
  for (size_t i = 0; i < t->n_rows; i++) {
    double q = col(t, "q", i), df = col(t, "df", i), ncp = col(t, "ncp", i), p = col(t, "p", i);
    double got = attrib_power_pnt(q, df, ncp);
    char label[96];
    snprintf(label, sizeof label, "pt(%g, %g, %g)", q, df, ncp);
    if (!(fabs(got - p) <= 1e-10)) fail_msg("%s = %.17g, R %.17g", label, got, p);
    worst = fmax(worst, fabs(got - p));
  }
  printf("pt grid: %zu points, worst absolute difference %.2e\n", t->n_rows, worst);
  attrib_table_free(t);
}

/* The designs' factors, written out: each is the two-sample power with
 * the effect divided by the factor's square root. */
static void test_closed_forms(void **state) {
  (void)state;
  attrib_power_options o;
  attrib_power_result *r;
  /* cluster: 200 learners in teams of 10, icc 0.05: DE = 1.45, 20 clusters, df 18 */
  attrib_power_options_init(&o);
  o.design = ATTRIB_POWER_CLUSTER, o.n = 200, o.mde = 5, o.sd = 20, o.icc = 0.05, o.cluster_size = 10;
  r = run(&o);
  assert_rel_close(r->design_effect, 1.45, 1e-15, "design effect");
  assert_rel_close(r->clusters, 20, 1e-15, "clusters");
  assert_rel_close(r->df, 18, 1e-15, "cluster df");
  assert_rel_close(r->power, attrib_power_two_sample(100, 100, 0.25 / sqrt(1.45), 0.05, 2, 18), 1e-14, "cluster power");
  assert_rel_close(r->se, 20 * sqrt(1.45 * 2 / 100.0), 1e-14, "cluster se");
  attrib_power_result_free(r);
  /* with r2 0.3 and 2:1 allocation: (1 - 0.3) x 1.45 */
  o.r2 = 0.3, o.ratio = 2;
  r = run(&o);
  assert_rel_close(r->design_factor, 0.7 * 1.45, 1e-15, "factor");
  assert_rel_close(r->power, attrib_power_two_sample(200 * 2 / 3.0, 200 / 3.0, 0.25 / sqrt(0.7 * 1.45), 0.05, 2, 18),
                   1e-14, "cluster power r2 ratio");
  attrib_power_result_free(r);
  /* did: change scores with rho 0.6: factor 2 (1 - 0.6) = 0.8, df n - 2 */
  attrib_power_options_init(&o);
  o.design = ATTRIB_POWER_DID, o.n = 150, o.mde = 4, o.sd = 10, o.rho = 0.6;
  r = run(&o);
  assert_rel_close(r->design_factor, 0.8, 1e-15, "did factor");
  assert_rel_close(r->power, attrib_power_two_sample(75, 75, 0.4 / sqrt(0.8), 0.05, 2, 148), 1e-14, "did power");
  attrib_power_result_free(r);
  /* one-sided rct with r2 0.5: the t at d / sqrt(0.5), one side */
  attrib_power_options_init(&o);
  o.n = 150, o.mde = 0.3, o.r2 = 0.5, o.sides = 1;
  r = run(&o);
  assert_rel_close(r->power, attrib_power_two_sample(75, 75, 0.3 / sqrt(0.5), 0.05, 1, 148), 1e-14, "rct r2 one-sided");
  attrib_power_result_free(r);
  /* match: treated share 0.3 of 200 = 60 treated, 140 controls of which 60
   * are matched; the normal: power = Phi(d / sqrt(2/60) - z) + Phi(-d/sqrt(2/60) - z) */
  attrib_power_options_init(&o);
  o.design = ATTRIB_POWER_MATCH, o.n = 200, o.mde = 0.5, o.treated_share = 0.3;
  r = run(&o);
  double z = 1.959963984540054, ncp = 0.5 / sqrt(2 / 60.0);
  double want = 0.5 * erfc(-(ncp - z) / sqrt(2)) + 0.5 * erfc((ncp + z) / sqrt(2));
  assert_rel_close(r->power, want, 1e-12, "match power");
  assert_string_equal(r->test, "normal");
  attrib_power_result_free(r);
  /* 70% trained: 60 controls, so again 60 pairs (the other 80 treated go unmatched) */
  o.treated_share = 0.7;
  r = run(&o);
  assert_rel_close(r->power, want, 1e-12, "match power, more treated than controls");
  attrib_power_result_free(r);
}

/* mde(n) then n(mde) returns n; n(mde) then mde(n) returns the MDE. */
static void test_round_trips(void **state) {
  (void)state;
  for (int design = 0; design < 4; design++)
    for (int sides = 1; sides <= 2; sides++) {
      attrib_power_options o;
      attrib_power_options_init(&o);
      o.design = (attrib_power_design)design, o.sides = sides, o.sd = 30, o.ratio = 1.5, o.r2 = 0.2;
      if (design == ATTRIB_POWER_CLUSTER) o.icc = 0.08, o.cluster_size = 12;
      if (design == ATTRIB_POWER_DID) o.rho = 0.5;
      o.n = 480;
      attrib_power_result *r = run(&o);
      double mde = r->mde;
      assert_rel_close(r->power, 0.8, 1e-12, "power at the mde");
      attrib_power_result_free(r);
      o.n = NAN, o.mde = mde;
      r = run(&o);
      char label[64];
      snprintf(label, sizeof label, "design %d sides %d", design, sides);
      assert_rel_close(r->n, 480, 1e-10, label);
      attrib_power_result_free(r);
    }
}

/* The ROI at the MDE and the n at which the break-even effect is detected. */
static void test_money(void **state) {
  (void)state;
  attrib_power_options o;
  attrib_power_options_init(&o);
  o.n = 150, o.sd = 40, o.has_roi = 1;
  o.roi.value_per_unit = 2, o.roi.horizon = 3, o.roi.cost_per_learner = 60, o.roi.learners = 1000;
  attrib_power_result *r = run(&o);
  /* benefit = E x 1000 x 2 x 3; cost = 60 x 1000: ROI = 100 (6 E - 60) / 60, break-even E = 10 */
  assert_rel_close(r->mde_roi_pct, 100 * (6 * r->mde - 60) / 60, 1e-12, "mde roi");
  assert_rel_close(r->breakeven_effect, 10, 1e-12, "break-even");
  attrib_power_options b = o;
  b.n = NAN, b.mde = 10, b.has_roi = 0;
  attrib_power_result *rb = run(&b);
  assert_rel_close(r->n_breakeven, rb->n, 1e-12, "n at break-even");
  attrib_power_result_free(rb);
  /* a KPI that costs money (value -2 a unit) pays when it falls: the ROI is
   * taken at -MDE, the same figures mirrored */
  attrib_power_options neg = o;
  neg.roi.value_per_unit = -2;
  attrib_power_result *rn = run(&neg);
  assert_rel_close(rn->roi_effect, -r->mde, 1e-15, "roi effect");
  assert_rel_close(rn->mde_roi_pct, r->mde_roi_pct, 1e-12, "mirrored roi");
  assert_rel_close(rn->breakeven_effect, -10, 1e-12, "mirrored break-even");
  assert_rel_close(rn->n_breakeven, r->n_breakeven, 1e-15, "mirrored n");
  attrib_power_result_free(rn);
  attrib_power_result_free(r);
}

static void bad(attrib_power_options *o, const char *option) {
  attrib_power_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_equal(attrib_power_run(o, &r, &err), ATTRIB_EUSAGE);
  assert_null(r);
  assert_non_null(err.option);
  assert_string_equal(err.option, option);
}

static void test_checks(void **state) {
  (void)state;
  attrib_power_options o;
  attrib_power_options_init(&o);
  bad(&o, "power.n"); /* neither n nor mde */
  o.n = 100;
  o.power = 0.04;
  bad(&o, "power.power"); /* power <= alpha */
  o.power = 0.8, o.n = 2;
  bad(&o, "power.n");
  o.n = 100, o.design = ATTRIB_POWER_CLUSTER, o.icc = 1, o.cluster_size = 10;
  bad(&o, "power.icc");
  o.icc = 0.1, o.cluster_size = 0.5;
  bad(&o, "power.cluster_size");
  o.cluster_size = 40;
  bad(&o, "power.n"); /* 100 learners in teams of 40: 2.5 clusters */
  o.design = ATTRIB_POWER_DID, o.icc = NAN, o.cluster_size = NAN;
  bad(&o, "power.rho");
  o.rho = 0.5, o.r2 = 1;
  bad(&o, "power.r2");
  o.r2 = 0.2, o.simulate = 1;
  bad(&o, "power.simulate"); /* the did simulation plants no covariate */
  o.design = ATTRIB_POWER_MATCH, o.rho = NAN, o.r2 = 0;
  bad(&o, "power.simulate"); /* matching is not simulated */
}

/* The baseline estimates: sd, the ANOVA ICC and R2 written out for a
 * small table (two clusters of three). */
static void test_from_data(void **state) {
  (void)state;
  attrib_table *t = test_table("y,team,x\n1,a,0\n2,a,1\n3,a,2\n5,b,0\n6,b,2\n10,b,4\n");
  attrib_power_data_estimates e;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_power_from_data(t, "y", "team", "x", &e, &err), ATTRIB_OK, &err);
  /* mean 4.5; SS = 12.25+6.25+2.25+0.25+2.25+30.25 = 53.5, sd = sqrt(53.5/5) */
  assert_rel_close(e.sd, sqrt(53.5 / 5), 1e-14, "sd");
  /* team means 2 and 7: SSB = 3 (2.5^2) x 2 = 37.5, MSB = 37.5; SSW = 2 + 14 = 16, MSW = 4;
   * m0 = (6 - 18/6) / 1 = 3: icc = (37.5 - 4) / (37.5 + 2 x 4) = 33.5 / 45.5 */
  assert_rel_close(e.icc, 33.5 / 45.5, 1e-14, "icc");
  assert_int_equal(e.clusters, 2);
  /* y on x: x mean 1.5, Sxx = 2.25+0.25+0.25+2.25+0.25+6.25 = 11.5,
   * Sxy = (-1.5)(-3.5)+(-0.5)(-2.5)+(0.5)(-1.5)+(-1.5)(0.5)+(0.5)(1.5)+(2.5)(5.5) = 19.5;
   * R2 = Sxy^2 / (Sxx Syy) */
  assert_rel_close(e.r2, 19.5 * 19.5 / (11.5 * 53.5), 1e-12, "r2");
  attrib_table_free(t);
}

/* The baseline estimates on tests/cli/data/learners.csv against R (aov's
 * mean squares and lm's R2: make_power_reference.R). */
static void test_from_data_reference(void **state) {
  (void)state;
  attrib_table *want = test_load("tests/reference/power/baseline_expected.csv");
  attrib_table *t = test_load("tests/cli/data/learners.csv");
  attrib_power_data_estimates e;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_power_from_data(t, "sales", "team", "tenure + prior_perf + factor(role)", &e, &err), ATTRIB_OK,
                &err);
  assert_rel_close(e.sd, col(want, "sd", 0), 1e-12, "sd");
  assert_rel_close(e.icc, col(want, "icc", 0), 1e-10, "icc");
  assert_rel_close((double)e.clusters, col(want, "clusters", 0), 0, "clusters");
  assert_rel_close(e.r2, col(want, "r2", 0), 1e-10, "r2");
  attrib_table_free(t);
  attrib_table_free(want);
}

/* Every allocation failing in turn: ATTRIB_ENOMEM and no result, never a
 * crash or a leak (the simulation's frames and fits, the ROI, the baseline). */
static void test_oom(void **state) {
  (void)state;
  attrib_power_options o;
  attrib_power_options_init(&o);
  o.design = ATTRIB_POWER_CLUSTER, o.n = 40, o.mde = 1, o.icc = 0.1, o.cluster_size = 4, o.r2 = 0.2;
  o.simulate = 1, o.reps = 10, o.has_roi = 1, o.roi.cost_per_learner = 5;
  size_t failures = 0;
  for (long k = 1; k < 100000; k++) {
    attrib_power_result *r = NULL;
    attrib_error err;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_power_run(&o, &r, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      assert_int_equal(r->sim_reps, 10);
      attrib_power_result_free(r);
      break;
    }
    assert_int_equal(s, ATTRIB_ENOMEM);
    assert_null(r);
    failures++;
  }
  assert_true(failures > 50);
  attrib_table *t = test_table("y,team,x\n1,a,0\n2,a,1\n3,a,2\n5,b,0\n6,b,2\n10,b,4\n");
  for (long k = 1; k < 10000; k++) {
    attrib_power_data_estimates e;
    attrib_error err;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_power_from_data(t, "y", "team", "x", &e, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) break;
    assert_int_equal(s, ATTRIB_ENOMEM);
  }
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pwr_reference), cmocka_unit_test(test_pnt), cmocka_unit_test(test_pnt_grid),   cmocka_unit_test(test_closed_forms),
      cmocka_unit_test(test_round_trips),   cmocka_unit_test(test_money), cmocka_unit_test(test_checks),
      cmocka_unit_test(test_from_data),     cmocka_unit_test(test_from_data_reference), cmocka_unit_test(test_oom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
