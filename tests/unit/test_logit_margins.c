/*
 * The average marginal effect of a logit/probit treatment (attrib_logit_margins)
 * against R: tests/reference/logit/make_logit_margins.R writes the risk
 * difference or average derivative out with glm + sandwich (the counterfactual
 * rows by model.matrix of the modified data, the derivative by finite
 * differences, the delta method with the analytic gradient checked against a
 * numerical one). Binary, interacted, factor-level and continuous treatments;
 * logit and probit; with and without weights; iid, HC0, HC1 and cluster
 * covariances. Tolerance 1e-8 relative (both sides at the MLE to ~1e-12).
 * Plus: the cases where the effect is not defined carry a reason, and the
 * result does not depend on the thread count.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define TOL 1e-8

typedef struct spec {
  const char *name, *formula, *weights, *treat;
  attrib_link link;
} spec;

static const spec specs[] = {
    {"logit_rd", "churned ~ trained + prior_perf + engagement", NULL, "trained", ATTRIB_LINK_LOGIT},
    {"probit_rd", "churned ~ trained + prior_perf + engagement", NULL, "trained", ATTRIB_LINK_PROBIT},
    {"logit_rd_weighted", "churned ~ trained + prior_perf + engagement", "w", "trained", ATTRIB_LINK_LOGIT},
    {"logit_interaction", "churned ~ trained * engagement + prior_perf + factor(role)", NULL, "trained", ATTRIB_LINK_LOGIT},
    {"probit_interaction", "churned ~ trained * engagement + prior_perf + factor(role)", "w", "trained",
     ATTRIB_LINK_PROBIT},
    {"logit_factor", "churned ~ factor(role) + trained + engagement", NULL, "factor(role)Manager", ATTRIB_LINK_LOGIT},
    {"logit_slope", "churned ~ trained + engagement + prior_perf", NULL, "engagement", ATTRIB_LINK_LOGIT},
    {"probit_slope", "churned ~ trained * engagement + prior_perf", "w", "engagement", ATTRIB_LINK_PROBIT},
};

/* fits spec s with vcov v on t; the caller frees r, d, f */
static void fit(const attrib_table *t, const spec *s, attrib_vcov_type v, size_t threads, attrib_formula **f,
                attrib_design **d, attrib_logit_result **r) {
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse(s->formula, f, &err), ATTRIB_OK, &err);
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.weights = s->weights;
  const char *cl[] = {"team", NULL};
  if (v == ATTRIB_VCOV_CLUSTER) dopt.cluster = cl;
  assert_status(attrib_design_build(t, *f, &dopt, d, &err), ATTRIB_OK, &err);
  attrib_logit_options o;
  attrib_logit_options_init(&o);
  o.link = s->link;
  o.vcov = v;
  o.treat = s->treat;
  o.threads = threads;
  assert_status(attrib_logit_fit(*d, &o, r, &err), ATTRIB_OK, &err);
  assert_true((*r)->converged);
  assert_status(attrib_logit_margins(*d, *r, threads, &err), ATTRIB_OK, &err);
  assert_non_null((*r)->ame);
}

static void test_against_r(void **state) {
  (void)state;
  attrib_table *data = test_load("tests/reference/logit/logit_data.csv");
  attrib_table *ex = test_load("tests/reference/logit/logit_expected_margins.csv");
  static const char *const vcovs[] = {"iid", "hc0", "hc1", "cluster"};
  size_t checked = 0;
  for (size_t si = 0; si < sizeof specs / sizeof *specs; si++) {
    for (size_t vi = 0; vi < 4; vi++) {
      const char *kc[2] = {"spec", "vcov"}, *kv[2] = {specs[si].name, vcovs[vi]};
      long row = test_find_row(ex, kc, kv, 2, 0);
      if (row < 0) fail_msg("no R row for %s/%s", specs[si].name, vcovs[vi]);
      attrib_vcov_type v;
      assert_status(attrib_vcov_type_parse(vcovs[vi], &v, NULL), ATTRIB_OK, NULL);
      attrib_formula *f = NULL;
      attrib_design *d = NULL;
      attrib_logit_result *r = NULL;
      fit(data, &specs[si], v, 0, &f, &d, &r);
      const attrib_logit_ame *a = r->ame;
      assert_true(a->available);
      assert_string_equal(a->term, specs[si].treat);
      int slope = strstr(specs[si].name, "slope") != NULL;
      assert_int_equal(a->type, slope ? ATTRIB_AME_DERIVATIVE : ATTRIB_AME_RISK_DIFFERENCE);
      assert_int_equal(a->weighted, specs[si].weights != NULL);
      char label[160];
      snprintf(label, sizeof label, "%s/%s AME", specs[si].name, vcovs[vi]);
      assert_rel_close(a->estimate, test_value(ex, "estimate", row), TOL, label);
      snprintf(label, sizeof label, "%s/%s AME SE", specs[si].name, vcovs[vi]);
      assert_rel_close(a->std_error, test_value(ex, "std_error", row), TOL, label);
      if (!slope) {
        snprintf(label, sizeof label, "%s/%s mean P(y=1 | treated)", specs[si].name, vcovs[vi]);
        assert_rel_close(a->p_treated, test_value(ex, "p_treated", row), TOL, label);
        snprintf(label, sizeof label, "%s/%s mean P(y=1 | control)", specs[si].name, vcovs[vi]);
        assert_rel_close(a->p_control, test_value(ex, "p_control", row), TOL, label);
        assert_rel_close(a->p_treated - a->p_control, a->estimate, 1e-12, "risk difference = p1 - p0");
      } else {
        assert_true(isnan(a->p_treated) && isnan(a->p_control));
      }
      /* z inference from the estimate and SE */
      assert_rel_close(a->ci_high - a->estimate, 1.959963984540054 * a->std_error, 1e-12, "CI half-width");
      assert_rel_close(a->statistic, a->estimate / a->std_error, 1e-12, "z");
      checked++;
      attrib_logit_result_free(r);
      attrib_design_free(d);
      attrib_formula_free(f);
    }
  }
  print_message("  %zu average marginal effects checked against R\n", checked);
  assert_int_equal(checked, 4 * sizeof specs / sizeof *specs);
  attrib_table_free(data);
  attrib_table_free(ex);
}

/* one and two threads, bit for bit (the chunks' partial sums merge in order) */
static void test_threads(void **state) {
  (void)state;
  attrib_table *data = test_load("tests/reference/logit/logit_data.csv");
  double est[2], se[2];
  for (size_t t = 1; t <= 2; t++) {
    attrib_formula *f = NULL;
    attrib_design *d = NULL;
    attrib_logit_result *r = NULL;
    fit(data, &specs[3], ATTRIB_VCOV_HC1, t, &f, &d, &r);
    est[t - 1] = r->ame->estimate, se[t - 1] = r->ame->std_error;
    attrib_logit_result_free(r);
    attrib_design_free(d);
    attrib_formula_free(f);
  }
  assert_true(est[0] == est[1] && se[0] == se[1]);
  attrib_table_free(data);
}

/* An interaction term or a factor's reference level has no average marginal
 * effect: available = 0, NaN figures and a reason, status OK. */
static void test_not_defined(void **state) {
  (void)state;
  attrib_table *data = test_load("tests/reference/logit/logit_data.csv");
  static const spec bad[] = {
      {"interaction", "churned ~ trained * engagement", NULL, "trained:engagement", ATTRIB_LINK_LOGIT},
      {"intercept", "churned ~ trained", NULL, "(Intercept)", ATTRIB_LINK_LOGIT},
      {"reference", "churned ~ 0 + factor(role) + engagement", NULL, "factor(role)Associate", ATTRIB_LINK_LOGIT},
  };
  static const char *const why[] = {"interaction", "intercept", "reference"};
  for (size_t i = 0; i < 3; i++) {
    attrib_formula *f = NULL;
    attrib_design *d = NULL;
    attrib_logit_result *r = NULL;
    fit(data, &bad[i], ATTRIB_VCOV_IID, 0, &f, &d, &r);
    assert_false(r->ame->available);
    assert_true(isnan(r->ame->estimate) && isnan(r->ame->std_error));
    assert_non_null(r->ame->reason);
    if (!strstr(r->ame->reason, why[i])) fail_msg("%s: reason '%s'", bad[i].name, r->ame->reason);
    attrib_logit_result_free(r);
    attrib_design_free(d);
    attrib_formula_free(f);
  }
  /* a design other than the fit's is refused */
  attrib_formula *f1 = NULL, *f2 = NULL;
  attrib_design *d1 = NULL, *d2 = NULL;
  attrib_logit_result *r1 = NULL;
  fit(data, &specs[0], ATTRIB_VCOV_IID, 0, &f1, &d1, &r1);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse("churned ~ trained + engagement", &f2, &err), ATTRIB_OK, &err);
  assert_status(attrib_design_build(data, f2, NULL, &d2, &err), ATTRIB_OK, &err);
  assert_int_equal(attrib_logit_margins(d2, r1, 0, &err), ATTRIB_EINVAL);
  attrib_logit_result_free(r1);
  attrib_design_free(d1);
  attrib_design_free(d2);
  attrib_formula_free(f1);
  attrib_formula_free(f2);
  attrib_table_free(data);
}

/* Rows dropped for a missing value (the design then gathers table rows): the
 * same effect as on the table without those rows, where no row is dropped. */
static void test_dropped_rows(void **state) {
  (void)state;
  size_t n = 400, cap = 64 * n + 64, len = 0, len2 = 0;
  char *with = malloc(cap), *without = malloc(cap);
  assert_non_null(with);
  assert_non_null(without);
  len += (size_t)snprintf(with, cap, "y,d,x,g\n");
  len2 += (size_t)snprintf(without, cap, "y,d,x,g\n");
  uint64_t z = 12345;
  for (size_t i = 0; i < n; i++) {
    z = z * 6364136223846793005ULL + 1442695040888963407ULL; /* an LCG: any fixed data will do */
    double u1 = (double)(z >> 11) * 0x1.0p-53;
    z = z * 6364136223846793005ULL + 1442695040888963407ULL;
    double u2 = (double)(z >> 11) * 0x1.0p-53;
    int d = u1 < 0.4, y = u2 < 0.25 + 0.2 * d * u1 + 0.3 * u2 * u2;
    double x = 10 * u1 + 5 * u2;
    const char *g = i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c";
    if (i % 37 == 5) {
      len += (size_t)snprintf(with + len, cap - len, "%d,%d,,%s\n", y, d, g); /* x missing: dropped */
      continue;
    }
    len += (size_t)snprintf(with + len, cap - len, "%d,%d,%.6f,%s\n", y, d, x, g);
    len2 += (size_t)snprintf(without + len2, cap - len2, "%d,%d,%.6f,%s\n", y, d, x, g);
  }
  attrib_table *t1 = test_table(with), *t2 = test_table(without);
  spec s = {"dropped", "y ~ d * x + factor(g)", NULL, "d", ATTRIB_LINK_LOGIT};
  attrib_formula *f1 = NULL, *f2 = NULL;
  attrib_design *d1 = NULL, *d2 = NULL;
  attrib_logit_result *r1 = NULL, *r2 = NULL;
  fit(t1, &s, ATTRIB_VCOV_HC0, 1, &f1, &d1, &r1);
  fit(t2, &s, ATTRIB_VCOV_HC0, 1, &f2, &d2, &r2);
  assert_true(d1->n_dropped_missing > 0);
  assert_int_equal(d1->n, d2->n);
  assert_rel_close(r1->ame->estimate, r2->ame->estimate, 1e-12, "AME with dropped rows");
  assert_rel_close(r1->ame->std_error, r2->ame->std_error, 1e-10, "AME SE with dropped rows");
  attrib_logit_result_free(r1);
  attrib_logit_result_free(r2);
  attrib_design_free(d1);
  attrib_design_free(d2);
  attrib_formula_free(f1);
  attrib_formula_free(f2);
  attrib_table_free(t1);
  attrib_table_free(t2);
  free(with);
  free(without);
}

/* out of memory at every allocation: a clean failure, nothing leaked */
static void test_oom(void **state) {
  (void)state;
  attrib_table *data = test_load("tests/reference/logit/logit_data.csv");
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  attrib_logit_result *r = NULL;
  fit(data, &specs[3], ATTRIB_VCOV_IID, 1, &f, &d, &r);
  size_t failures = 0;
  for (long k = 1; k < 200; k++) {
    attrib_error err;
    attrib_error_clear(&err);
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_logit_margins(d, r, 1, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) break;
    assert_int_equal(s, ATTRIB_ENOMEM);
    failures++;
  }
  assert_true(failures > 0);
  attrib_error err;
  assert_status(attrib_logit_margins(d, r, 1, &err), ATTRIB_OK, &err);
  assert_true(r->ame->available);
  attrib_logit_result_free(r);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(data);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_r), cmocka_unit_test(test_threads),
                                     cmocka_unit_test(test_not_defined), cmocka_unit_test(test_dropped_rows),
                                     cmocka_unit_test(test_oom)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
