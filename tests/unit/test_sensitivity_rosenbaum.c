/* Rosenbaum bounds (src/sensitivity/rosenbaum.c): the lead pairs against
 * Rosenbaum's published critical Gamma (4.435 with the zero dropped, as
 * rbounds; tests/reference/sensitivity/README.md); a result not significant
 * at Gamma = 1 has no critical Gamma (it was reported as 1: issue 12), with
 * the p-value at Gamma = 1 from the closed form; bad alpha; allocation
 * failures. The pair differences from two columns or from a matching
 * (attrib_rosenbaum_pairs_columns, _matched): treated minus control, and
 * errors that speak of columns, not flags. */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double *lead_differences(size_t *n) {
  attrib_table *t = test_load("tests/reference/sensitivity/lead.csv");
  double *d = malloc(t->n_rows * sizeof *d);
  assert_non_null(d);
  for (size_t i = 0; i < t->n_rows; i++)
    d[i] = test_value(t, "exposed", (long)i) - test_value(t, "control", (long)i);
  *n = t->n_rows;
  attrib_table_free(t);
  return d;
}

static void test_lead_published(void **state) {
  (void)state;
  size_t n;
  double *d = lead_differences(&n), g[] = {1, 2};
  attrib_rosenbaum *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_rosenbaum_compute(d, n, g, 2, 0.05, 0, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->critical_status, ATTRIB_GAMMA_FOUND);
  assert_true(fabs(r->critical_gamma - 4.435) < 0.0005);
  assert_true(fabs(r->p_gamma1 - 5.5e-6) < 0.05e-6);
  assert_true(r->p_gamma1 == r->rows[0].p_upper);
  attrib_rosenbaum_free(r);
  free(d);
}

static void test_not_significant(void **state) {
  (void)state;
  /* differences 1, -1, 2, 3, -0.5: ranks of |d| 2.5, 2.5, 4, 5, 1; T = 11.5,
   * S = 15, Q = 54.5: z = (T - S/2) / sqrt(Q/4) */
  double d[] = {1, -1, 2, 3, -0.5}, g[] = {1, 1.5};
  attrib_rosenbaum *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_rosenbaum_compute(d, 5, g, 2, 0.05, 0, &r, &err), ATTRIB_OK, &err);
  double z = (11.5 - 7.5) / sqrt(54.5 / 4);
  assert_rel_close(r->p_gamma1, 0.5 * erfc(z / sqrt(2.0)), 1e-12, "p at Gamma 1");
  assert_int_equal(r->critical_status, ATTRIB_GAMMA_NOT_SIGNIFICANT);
  assert_true(isnan(r->critical_gamma));
  attrib_rosenbaum_free(r);
  /* at alpha = 0.2 the same pairs are significant at Gamma = 1 */
  assert_status(attrib_rosenbaum_compute(d, 5, g, 2, 0.2, 0, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->critical_status, ATTRIB_GAMMA_FOUND);
  assert_true(r->critical_gamma > 1 && r->critical_gamma < 1.5);
  attrib_rosenbaum_free(r);
  assert_int_equal(attrib_rosenbaum_compute(d, 5, g, 2, 1.5, 0, &r, &err), ATTRIB_EINVAL);
  assert_null(r);
}

static void test_out_of_memory(void **state) {
  (void)state;
  size_t n;
  double *d = lead_differences(&n), g[] = {1, 2, 3};
  int ok = 0;
  for (long k = 1; k < 100 && !ok; k++) {
    attrib_rosenbaum *r = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_rosenbaum_compute(d, n, g, 3, 0.05, 1, &r, NULL);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) ok = 1, attrib_rosenbaum_free(r);
    else assert_int_equal(s, ATTRIB_ENOMEM), assert_null(r);
  }
  assert_true(ok);
  /* the break-even search allocates through the project allocator too */
  attrib_debug_fail_alloc_after(1);
  double be = attrib_rosenbaum_breakeven_gamma(d, n, 0, 8);
  attrib_debug_fail_alloc_after(0);
  assert_true(isnan(be));
  be = attrib_rosenbaum_breakeven_gamma(d, n, 0, 8);
  assert_true(be > 3 && be < 3.3);
  free(d);
}

static void test_pairs_columns(void **state) {
  (void)state;
  size_t n, m;
  double *want = lead_differences(&n), *d = NULL;
  attrib_table *t = test_load("tests/reference/sensitivity/lead.csv");
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_rosenbaum_pairs_columns(t, "exposed", "control", &d, &m, &err), ATTRIB_OK, &err);
  assert_int_equal(m, n);
  for (size_t i = 0; i < n; i++) assert_true(d[i] == want[i]);
  attrib_rosenbaum_pairs_free(d);
  assert_int_equal(attrib_rosenbaum_pairs_columns(t, "exposed", "nope", &d, &m, &err), ATTRIB_ENOCOL);
  assert_null(d);
  attrib_table_free(t);
  free(want);
  t = test_table("a,b,c\n1,2,x\n3,,y\n5,1,z\n");
  assert_int_equal(attrib_rosenbaum_pairs_columns(t, "a", "c", &d, &m, &err), ATTRIB_ETYPE);
  assert_null(strstr(err.message, "--"));
  assert_int_equal(attrib_rosenbaum_pairs_columns(t, "a", "b", &d, &m, &err), ATTRIB_ENODATA);
  assert_non_null(strstr(err.message, "pair on data row 2 has a missing outcome"));
  assert_null(d);
  assert_int_equal(m, 0);
  attrib_table_free(t);
}

static void test_pairs_matched(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 5, 2.0, 0);
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.treat = "trained", o.outcome = "sales", o.covariates = "prior_perf + engagement", o.keep_pairs = 1;
  attrib_psm_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_psm_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  size_t cy, n = 0;
  assert_status(attrib_table_column_require(t, "sales", "outcome", &cy, &err), ATTRIB_OK, &err);
  double *d = NULL;
  assert_status(attrib_rosenbaum_pairs_matched(t, r, "sales", &d, &n, &err), ATTRIB_OK, &err);
  assert_int_equal(n, r->n_pairs);
  assert_true(n > 10);
  for (size_t q = 0; q < n; q++)
    assert_true(d[q] == t->cols[cy].values[r->pairs[q].treated_row] - t->cols[cy].values[r->pairs[q].control_row]);
  attrib_rosenbaum_pairs_free(d);
  attrib_rosenbaum_pairs_free(NULL);
  assert_int_equal(attrib_rosenbaum_pairs_matched(t, r, "nosuch", &d, &n, &err), ATTRIB_ENOCOL);
  assert_int_equal(attrib_rosenbaum_pairs_matched(t, NULL, "sales", &d, &n, &err), ATTRIB_EINVAL);
  /* out of memory: reported, nothing left behind */
  attrib_debug_fail_alloc_after(1);
  assert_int_equal(attrib_rosenbaum_pairs_matched(t, r, "sales", &d, &n, NULL), ATTRIB_ENOMEM);
  attrib_debug_fail_alloc_after(0);
  assert_null(d);
  attrib_psm_result_free(r);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_lead_published), cmocka_unit_test(test_not_significant),
                                     cmocka_unit_test(test_out_of_memory), cmocka_unit_test(test_pairs_columns),
                                     cmocka_unit_test(test_pairs_matched)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
