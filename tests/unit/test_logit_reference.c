/*
 * Logit and probit against R's glm (+ sandwich), fixtures made by
 * tests/reference/logit/make_logit_reference.R with glm converged to 1e-15:
 * coefficients and SEs for iid, HC0, HC1 and cluster (CR1), with and without
 * analytic weights, on the simulated cohort and on Lalonde. Tolerance 1e-8
 * relative: both sides converge to the MLE to ~1e-12 and R prints 15 digits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define TOL 1e-8

typedef struct spec {
  const char *name, *data, *formula, *weights;
  attrib_link link;
} spec;

static const spec specs[] = {
    {"logit_trained", "logit_data", "trained ~ prior_perf + engagement + tenure + factor(role)", NULL, ATTRIB_LINK_LOGIT},
    {"probit_trained", "logit_data", "trained ~ prior_perf + engagement + tenure + factor(role)", NULL, ATTRIB_LINK_PROBIT},
    {"logit_weighted", "logit_data", "churned ~ trained + prior_perf + engagement", "w", ATTRIB_LINK_LOGIT},
    {"probit_weighted", "logit_data", "churned ~ trained + prior_perf + engagement", "w", ATTRIB_LINK_PROBIT},
    {"lalonde_logit", "lalonde", "treat ~ age + educ + race + married + nodegree + re74 + re75", NULL, ATTRIB_LINK_LOGIT},
    {"lalonde_probit", "lalonde", "treat ~ age + educ + race + married + nodegree + re74 + re75", NULL, ATTRIB_LINK_PROBIT},
};

static void test_against_r(void **state) {
  (void)state;
  attrib_table *data = test_load("tests/reference/logit/logit_data.csv");
  attrib_table *lal = test_load("datasets/lalonde.csv");
  attrib_table *ec = test_load("tests/reference/logit/logit_expected_coef.csv");
  attrib_table *es = test_load("tests/reference/logit/logit_expected_stats.csv");
  static const char *const vcovs[] = {"iid", "hc0", "hc1", "cluster"};
  size_t checked = 0;
  for (size_t si = 0; si < sizeof specs / sizeof *specs; si++) {
    const attrib_table *t = strcmp(specs[si].data, "lalonde") == 0 ? lal : data;
    const char *scol[1] = {"spec"}, *sval[1] = {specs[si].name};
    long srow = test_find_row(es, scol, sval, 1, 0);
    assert_true(srow >= 0);
    for (size_t vi = 0; vi < 4; vi++) {
      const char *kc[3] = {"spec", "vcov", "term"}, *kv[3] = {specs[si].name, vcovs[vi], NULL};
      if (test_find_row(ec, kc, kv, 2, 0) < 0) continue;
      attrib_formula *f = NULL;
      attrib_design *d = NULL;
      attrib_logit_result *r = NULL;
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(attrib_formula_parse(specs[si].formula, &f, &err), ATTRIB_OK, &err);
      attrib_design_options dopt;
      attrib_design_options_init(&dopt);
      dopt.weights = specs[si].weights;
      const char *cl[] = {"team", NULL};
      attrib_logit_options o;
      attrib_logit_options_init(&o);
      o.link = specs[si].link;
      assert_status(attrib_vcov_type_parse(vcovs[vi], &o.vcov, &err), ATTRIB_OK, &err);
      if (o.vcov == ATTRIB_VCOV_CLUSTER) dopt.cluster = cl;
      assert_status(attrib_design_build(t, f, &dopt, &d, &err), ATTRIB_OK, &err);
      assert_status(attrib_logit_fit(d, &o, &r, &err), ATTRIB_OK, &err);
      assert_true(r->converged);
      char label[160];
      snprintf(label, sizeof label, "%s deviance", specs[si].name);
      assert_rel_close(r->deviance, test_value(es, "deviance", srow), 1e-10, label);
      snprintf(label, sizeof label, "%s null deviance", specs[si].name);
      assert_rel_close(r->null_deviance, test_value(es, "null_deviance", srow), 1e-10, label);
      snprintf(label, sizeof label, "%s aic", specs[si].name);
      assert_rel_close(r->aic, test_value(es, "aic", srow), 1e-10, label);
      for (size_t j = 0; j < r->coef.k; j++) {
        kv[2] = r->coef.term[j];
        long row = test_find_row(ec, kc, kv, 3, 0);
        if (row < 0) fail_msg("%s/%s: R has no term %s", specs[si].name, vcovs[vi], r->coef.term[j]);
        snprintf(label, sizeof label, "%s/%s %s estimate", specs[si].name, vcovs[vi], r->coef.term[j]);
        assert_rel_close(r->coef.estimate[j], test_value(ec, "estimate", row), TOL, label);
        snprintf(label, sizeof label, "%s/%s %s std_error", specs[si].name, vcovs[vi], r->coef.term[j]);
        assert_rel_close(r->coef.std_error[j], test_value(ec, "std_error", row), TOL, label);
        checked++;
      }
      attrib_logit_result_free(r);
      attrib_design_free(d);
      attrib_formula_free(f);
    }
  }
  print_message("  %zu coefficient/vcov pairs checked against R\n", checked);
  assert_true(checked > 120);
  attrib_table_free(data);
  attrib_table_free(lal);
  attrib_table_free(ec);
  attrib_table_free(es);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_r)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
