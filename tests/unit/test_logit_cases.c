/* Logit/probit: separation and bad outcomes get a diagnosis naming the
 * culprit; the simulator's selection model is recovered. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static attrib_status fit_logit(const attrib_table *t, const char *formula, attrib_link link, attrib_logit_result **r,
                               attrib_error *err, const char *const *cluster, attrib_vcov_type vcov) {
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  if (attrib_formula_parse(formula, &f, err) != ATTRIB_OK) fail_msg("%s", err->message);
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cluster;
  attrib_status s = attrib_design_build(t, f, &dopt, &d, err);
  attrib_logit_options o;
  attrib_logit_options_init(&o);
  o.link = link;
  o.vcov = vcov;
  o.keep_fitted = 1;
  if (s == ATTRIB_OK) s = attrib_logit_fit(d, &o, r, err);
  attrib_design_free(d);
  attrib_formula_free(f);
  return s;
}

static void test_separation(void **state) {
  (void)state;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_logit_result *r = NULL;
  /* complete separation by x: y = 1 exactly when x > 3 */
  attrib_table *t = test_table("y,x,z\n0,1.2,0.3\n0,2.1,1.5\n0,2.9,0.2\n1,3.4,0.9\n1,4.8,1.1\n1,5.5,0.4\n0,0.4,2.2\n1,6.1,0.7\n");
  assert_int_equal(fit_logit(t, "y ~ x + z", ATTRIB_LINK_LOGIT, &r, &err, NULL, ATTRIB_VCOV_IID), ATTRIB_ESEPARATION);
  assert_non_null(strstr(err.message, "complete separation by x: every row with x > 2.9 (4 rows) has y = 1"));
  assert_int_equal(fit_logit(t, "y ~ x + z", ATTRIB_LINK_PROBIT, &r, &err, NULL, ATTRIB_VCOV_IID), ATTRIB_ESEPARATION);
  attrib_table_free(t);
  /* quasi-complete: every Director was trained */
  t = test_table("y,x,role\n0,1.2,A\n1,2.1,A\n0,2.9,B\n1,3.4,B\n1,4.8,D\n1,5.5,D\n0,0.4,A\n1,6.1,B\n0,2.2,B\n");
  assert_int_equal(fit_logit(t, "y ~ x + factor(role)", ATTRIB_LINK_LOGIT, &r, &err, NULL, ATTRIB_VCOV_IID),
                   ATTRIB_ESEPARATION);
  assert_non_null(strstr(err.message, "quasi-complete separation: every row with factor(role)D = 1 (2 rows) has y = 1"));
  attrib_table_free(t);
  /* separation only by a combination: y = 1 exactly when a + b > 0 */
  t = test_table("y,a,b\n1,1.0,0.5\n0,-1.0,0.2\n1,0.3,-0.1\n0,-0.4,0.1\n1,-0.2,0.9\n0,0.5,-1.2\n1,2.0,-1.1\n0,-2.0,1.3\n");
  assert_int_equal(fit_logit(t, "y ~ a + b", ATTRIB_LINK_LOGIT, &r, &err, NULL, ATTRIB_VCOV_IID), ATTRIB_ESEPARATION);
  assert_non_null(strstr(err.message, "a combination of covariates predicts y perfectly"));
  attrib_table_free(t);
}

static void test_bad_outcomes_and_options(void **state) {
  (void)state;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_logit_result *r = NULL;
  attrib_table *t = test_table("y,x,g\n0,1.2,A\n2,2.1,A\n1,2.9,B\n0,3.1,B\n");
  assert_int_equal(fit_logit(t, "y ~ x", ATTRIB_LINK_LOGIT, &r, &err, NULL, ATTRIB_VCOV_IID), ATTRIB_ETYPE);
  assert_non_null(strstr(err.message, "must be 0 or 1, but row 2 holds 2"));
  attrib_table_free(t);
  t = test_table("y,x,g\n1,1.2,A\n1,2.1,A\n1,2.9,B\n");
  assert_int_equal(fit_logit(t, "y ~ x", ATTRIB_LINK_LOGIT, &r, &err, NULL, ATTRIB_VCOV_IID), ATTRIB_EDESIGN);
  assert_non_null(strstr(err.message, "is 1 in every row"));
  assert_int_equal(fit_logit(t, "y ~ x | g", ATTRIB_LINK_LOGIT, &r, &err, NULL, ATTRIB_VCOV_IID), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "incidental parameter"));
  assert_int_equal(fit_logit(t, "y ~ x", ATTRIB_LINK_LOGIT, &r, &err, NULL, ATTRIB_VCOV_HC3), ATTRIB_EINVAL);
  attrib_table_free(t);
}

/* Known truth: the cohort simulator selects into training with
 * logit P = a + 0.6 prior_perf + 0.9 (engagement - 50) / 22.4
 * + 0.1 (tenure - 4) + role shifts (docs/methods/simulate.md); a logit on
 * 40,000 learners recovers the slopes within 4 SE each. */
static void test_recovers_selection_model(void **state) {
  (void)state;
  attrib_table *t = test_simulated(40000, 5, 2.0, 0);
  attrib_error err;
  attrib_error_clear(&err);
  attrib_logit_result *r = NULL;
  const char *cl[] = {"team", NULL};
  assert_status(fit_logit(t, "trained ~ prior_perf + engagement + tenure + factor(role)", ATTRIB_LINK_LOGIT, &r, &err,
                          cl, ATTRIB_VCOV_CLUSTER),
                ATTRIB_OK, &err);
  static const struct {
    const char *term;
    double truth;
  } truth[] = {{"prior_perf", 0.6}, {"engagement", 0.9 / 22.4}, {"tenure", 0.1}, {"factor(role)Lead", 0.2},
               {"factor(role)Director", -0.4}};
  for (size_t q = 0; q < sizeof truth / sizeof *truth; q++)
    for (size_t j = 0; j < r->coef.k; j++)
      if (strcmp(r->coef.term[j], truth[q].term) == 0 &&
          !(fabs(r->coef.estimate[j] - truth[q].truth) < 4.0 * r->coef.std_error[j]))
        fail_msg("%s: %g (SE %g), truth %g", truth[q].term, r->coef.estimate[j], r->coef.std_error[j], truth[q].truth);
  /* fitted probabilities are propensity scores in (0, 1) */
  for (size_t i = 0; i < r->n_obs; i++) assert_true(r->fitted[i] > 0.0 && r->fitted[i] < 1.0);
  attrib_logit_result_free(r);
  attrib_table_free(t);
}

/* The warm start on a subsample only saves passes: on 250,000 rows the fit
 * with and without it agree to 1e-9 (both stop at the full data's optimum).
 * And 1 and 2 threads give the same bits (row chunks merge in order). */
static void test_warm_start_changes_nothing(void **state) {
  (void)state;
  attrib_table *t = test_simulated(250000, 8, 2.0, 0);
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  assert_status(attrib_formula_parse("trained ~ prior_perf + engagement + tenure + quota + factor(role) + factor(region)", &f, NULL),
                ATTRIB_OK, NULL);
  assert_status(attrib_design_build(t, f, NULL, &d, NULL), ATTRIB_OK, NULL);
  attrib_logit_result *r[3] = {NULL, NULL, NULL};
  for (int ws = 0; ws < 3; ws++) {
    attrib_logit_options o;
    attrib_logit_options_init(&o);
    o.warm_start = ws > 0;
    o.threads = ws == 2 ? 2 : 1;
    o.vcov = ATTRIB_VCOV_HC1;
    assert_status(attrib_logit_fit(d, &o, &r[ws], NULL), ATTRIB_OK, NULL);
    assert_true(r[ws]->converged);
  }
  for (size_t j = 0; j < r[0]->coef.k; j++) {
    assert_rel_close(r[1]->coef.estimate[j], r[0]->coef.estimate[j], 1e-9, r[0]->coef.term[j]);
    assert_rel_close(r[1]->coef.std_error[j], r[0]->coef.std_error[j], 1e-9, r[0]->coef.term[j]);
  }
  assert_rel_close(r[1]->deviance, r[0]->deviance, 1e-12, "deviance");
  assert_memory_equal(r[1]->coef.estimate, r[2]->coef.estimate, r[1]->coef.k * sizeof(double));
  assert_memory_equal(r[1]->coef.std_error, r[2]->coef.std_error, r[1]->coef.k * sizeof(double));
  attrib_logit_result_free(r[0]);
  attrib_logit_result_free(r[1]);
  attrib_logit_result_free(r[2]);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_separation),
      cmocka_unit_test(test_bad_outcomes_and_options),
      cmocka_unit_test(test_recovers_selection_model),
      cmocka_unit_test(test_warm_start_changes_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
