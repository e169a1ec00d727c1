/* Balance tables against cobalt's definitions computed in R
 * (tests/reference/balance/make_balance_reference.R) on Lalonde: before
 * and after IPW weights (some set to zero, as after matching), for ATT, ATC
 * and ATE. Tolerance 1e-10 relative: the same sums in a different order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void test_against_r(void **state) {
  (void)state;
  attrib_table *lal = test_load("datasets/lalonde.csv");
  attrib_table *wt = test_load("tests/reference/balance/lalonde_weights.csv");
  attrib_table *ex = test_load("tests/reference/balance/balance_expected.csv");
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  assert_status(attrib_formula_parse("treat ~ age + educ + race + married + nodegree + re74 + re75", &f, NULL),
                ATTRIB_OK, NULL);
  assert_status(attrib_design_build(lal, f, NULL, &d, NULL), ATTRIB_OK, NULL);
  assert_int_equal(d->n, wt->n_rows);
  int *treat = malloc(d->n * sizeof *treat);
  for (size_t i = 0; i < d->n; i++) treat[i] = d->y[i] == 1.0;
  static const char *const ests[] = {"att", "atc", "ate"};
  size_t checked = 0;
  for (int e = 0; e < 3; e++) {
    attrib_estimand est;
    assert_status(attrib_estimand_parse(ests[e], &est, NULL), ATTRIB_OK, NULL);
    const double *w = wt->cols[attrib_table_column_find(wt, est == ATTRIB_ESTIMAND_ATE ? "w_ate" : "w_att")].values;
    attrib_balance *b = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_balance_compute(d, treat, w, est, &b, &err), ATTRIB_OK, &err);
    assert_int_equal(b->k, d->k - 1);
    for (size_t j = 0; j < b->k; j++) {
      const char *kc[2] = {"estimand", "term"}, *kv[2] = {ests[e], b->rows[j].term};
      long row = test_find_row(ex, kc, kv, 2, 0);
      if (row < 0) fail_msg("%s: R has no term %s", ests[e], b->rows[j].term);
      char label[96];
      assert_int_equal(b->rows[j].binary, (int)test_value(ex, "binary", row));
      snprintf(label, sizeof label, "%s %s diff before", ests[e], b->rows[j].term);
      assert_rel_close(b->rows[j].diff_before, test_value(ex, "diff_before", row), 1e-10, label);
      snprintf(label, sizeof label, "%s %s diff after", ests[e], b->rows[j].term);
      assert_rel_close(b->rows[j].diff_after, test_value(ex, "diff_after", row), 1e-10, label);
      snprintf(label, sizeof label, "%s %s variance ratio before", ests[e], b->rows[j].term);
      assert_rel_close(b->rows[j].var_ratio_before, test_value(ex, "var_ratio_before", row), 1e-10, label);
      snprintf(label, sizeof label, "%s %s variance ratio after", ests[e], b->rows[j].term);
      assert_rel_close(b->rows[j].var_ratio_after, test_value(ex, "var_ratio_after", row), 1e-10, label);
      assert_rel_close(b->ess_treated, test_value(ex, "ess_treated", row), 1e-10, "ESS treated");
      assert_rel_close(b->ess_control, test_value(ex, "ess_control", row), 1e-10, "ESS control");
      checked++;
    }
    assert_true(b->share_balanced_after >= 0.0 && b->share_balanced_after <= 1.0);
    attrib_balance_free(b);
  }
  assert_int_equal(checked, 3 * 8);
  /* a group emptied by the weights is a diagnosis, not NaN */
  double *zero = calloc(d->n, sizeof *zero);
  for (size_t i = 0; i < d->n; i++) zero[i] = treat[i] ? 1.0 : 0.0;
  attrib_balance *b = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_balance_compute(d, treat, zero, ATTRIB_ESTIMAND_ATT, &b, &err), ATTRIB_ENODATA, &err);
  assert_non_null(strstr(err.message, "no control units remain after matching or weighting"));
  free(zero);
  free(treat);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(lal);
  attrib_table_free(wt);
  attrib_table_free(ex);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_r)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
