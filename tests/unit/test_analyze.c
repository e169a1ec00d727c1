/* attrib_analyze: the cohort step against hand-computed counts, means and
 * shares; a missing column stops the study with its name; every
 * allocation failure is reported cleanly (no leak under ASan). The other
 * steps equal the single commands (tests/cli/analyze/consistency.sh). */
#include "test_support.h"

#include <math.h>
#include <string.h>

#include <attrib/analyze.h>

/* Seven rows worked by hand: t has a missing value and a 2; x, y and g
 * have a missing value each; k is a numeric column written as factor(k). */
static const char hand_csv[] = "y,t,x,g,k\n"
                               "1,1,2,a,3\n"
                               "2,1,,b,3\n"
                               "3,0,4,a,5\n"
                               "4,0,6,,3\n"
                               "5,2,8,b,5\n"
                               "6,,10,a,3\n"
                               ",1,1,b,5\n";

static void check_var(const attrib_analyze_variable *v, const char *name, const char *level, size_t missing, double mt,
                      double mc) {
  assert_string_equal(v->name, name);
  if (level) assert_string_equal(v->level, level);
  else assert_null(v->level);
  assert_int_equal(v->n_missing, missing);
  assert_true(fabs(v->mean_treated - mt) < 1e-15);
  assert_true(fabs(v->mean_control - mc) < 1e-15);
}

static void test_cohort_by_hand(void **state) {
  (void)state;
  attrib_table *t = test_table(hand_csv);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "t", o.covariates = "x + g + factor(k)", o.methods = ATTRIB_ANALYZE_OLS;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  const attrib_analyze_cohort *c = &r->cohort;
  assert_int_equal(c->n_rows, 7);
  assert_int_equal(c->n_treated, 3); /* rows 1, 2, 7 */
  assert_int_equal(c->n_control, 2); /* rows 3, 4 */
  assert_int_equal(c->n_treat_missing, 1);
  assert_int_equal(c->n_treat_other, 1);
  assert_int_equal(c->n_complete, 3); /* rows 1, 3, 5 */
  assert_int_equal(c->n_vars, 6);
  check_var(&c->vars[0], "y", NULL, 1, 1.5, 3.5); /* treated 1, 2 (row 7 missing); control 3, 4 */
  check_var(&c->vars[1], "x", NULL, 1, 1.5, 5.0); /* treated 2, 1; control 4, 6 */
  check_var(&c->vars[2], "g", "a", 1, 1.0 / 3.0, 1.0);
  check_var(&c->vars[3], "g", "b", 1, 2.0 / 3.0, 0.0);
  check_var(&c->vars[4], "k", "3", 0, 2.0 / 3.0, 0.5);
  check_var(&c->vars[5], "k", "5", 0, 1.0 / 3.0, 0.5);
  assert_int_equal(c->n_units, 0);
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

/* factor() of a numeric column with over 50 distinct values: its mean, as
 * for a plain numeric column, and counted as capped. */
static void test_cohort_capped_levels(void **state) {
  (void)state;
  attrib_table *t = test_simulated(200, 5, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "factor(tenure)", o.methods = ATTRIB_ANALYZE_OLS;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->cohort.n_levels_capped, 1);
  assert_int_equal(r->cohort.n_vars, 2);
  double sum[2] = {0, 0}, cnt[2] = {0, 0};
  for (long i = 0; i < 200; i++) {
    int g = test_value(t, "trained", i) == 1.0;
    sum[g] += test_value(t, "tenure", i), cnt[g] += 1.0;
  }
  check_var(&r->cohort.vars[1], "tenure", NULL, 0, sum[1] / cnt[1], sum[0] / cnt[0]);
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

static void test_missing_column(void **state) {
  (void)state;
  attrib_table *t = test_table(hand_csv);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "t", o.covariates = "x + gg";
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_ENOCOL, &err);
  assert_null(r);
  assert_non_null(strstr(err.message, "no column 'gg' (covariate)"));
  attrib_table_free(t);
}

/* Each allocation in turn fails: the study either stops with ENOMEM or
 * finishes (a method's failure is kept as that method's reason); ASan
 * finds any leak on either path. */
static void test_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(120, 3, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "tenure + prior_perf + factor(role)";
  o.has_roi = 1, o.roi.learners = 50, o.roi.value_per_unit = 100, o.roi.cost_per_learner = 10;
  int complete = 0;
  for (long k = 1; k < 20000 && !complete; k++) {
    attrib_analyze_result *r = NULL;
    attrib_error err;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_analyze(t, &o, &r, &err);
    attrib_debug_fail_alloc_after(0);
    if (s != ATTRIB_OK) {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(r);
      continue;
    }
    complete = r->n_methods == 3 && r->roi && r->attribution_sweep && r->tornado && r->has_scores && r->n_balance;
    for (size_t q = 0; q < r->n_methods; q++) complete &= r->methods[q].status == ATTRIB_OK;
    attrib_analyze_result_free(r);
  }
  assert_true(complete);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cohort_by_hand),
      cmocka_unit_test(test_cohort_capped_levels),
      cmocka_unit_test(test_missing_column),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
