/* The specification curve's summary (src/sensitivity/spec.c): only
 * estimated specifications enter the statistics (failed ones were
 * summarised as 0: issue 12), failures are grouped by reason in order of
 * first occurrence, a NaN estimate reported as a success is a failure, and
 * allocation failures are reported cleanly. Expected values by hand. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static attrib_spec_result ok(double est, double lo, double hi) {
  attrib_spec_result r;
  memset(&r, 0, sizeof r);
  r.estimate = est, r.ci_low = lo, r.ci_high = hi, r.std_error = 1, r.p_value = 0.5, r.n_used = 10;
  return r;
}

static attrib_spec_result failed(attrib_status s, const char *why) {
  attrib_spec_result r;
  memset(&r, 0, sizeof r);
  r.estimate = NAN, r.status = s;
  snprintf(r.message, sizeof r.message, "%s", why);
  return r;
}

static void test_all_failed(void **state) {
  (void)state;
  attrib_spec_result r[3] = {failed(ATTRIB_EINVAL, "a"), failed(ATTRIB_EINVAL, "a"), failed(ATTRIB_ENODATA, "b")};
  attrib_spec_summary *s = NULL;
  assert_status(attrib_spec_summarize(r, 3, &s, NULL), ATTRIB_OK, NULL);
  assert_int_equal(s->n_specs, 3);
  assert_int_equal(s->n_estimated, 0);
  assert_int_equal(s->n_failed, 3);
  assert_true(isnan(s->min_estimate) && isnan(s->median_estimate) && isnan(s->max_estimate));
  assert_true(isnan(s->share_significant) && isnan(s->share_positive));
  assert_int_equal(s->n_reasons, 2);
  assert_string_equal(s->reasons[0].reason, "a");
  assert_int_equal(s->reasons[0].count, 2);
  assert_int_equal(s->reasons[0].first, 0);
  assert_int_equal(s->reasons[0].status, ATTRIB_EINVAL);
  assert_string_equal(s->reasons[1].reason, "b");
  assert_int_equal(s->reasons[1].first, 2);
  attrib_spec_summary_free(s);
  assert_status(attrib_spec_summarize(NULL, 0, &s, NULL), ATTRIB_OK, NULL);
  assert_int_equal(s->n_specs, 0);
  assert_true(isnan(s->median_estimate));
  attrib_spec_summary_free(s);
}

static void test_mixed(void **state) {
  (void)state;
  /* estimated: 3 (CI above 0), -1 (CI spans 0), 2 (CI spans 0), 5 (CI
   * above 0); a NaN "success"; reasons interleaved: z first at 1, y at 2 */
  attrib_spec_result r[8] = {ok(3, 1, 5), failed(ATTRIB_EDESIGN, "z"), failed(ATTRIB_EINVAL, "y"), ok(-1, -3, 1),
                             failed(ATTRIB_EDESIGN, "z"), ok(2, -1, 5), ok(NAN, NAN, NAN), ok(5, 4, 6)};
  attrib_spec_summary *s = NULL;
  assert_status(attrib_spec_summarize(r, 8, &s, NULL), ATTRIB_OK, NULL);
  assert_int_equal(s->n_estimated, 4);
  assert_int_equal(s->n_failed, 4);
  assert_true(s->min_estimate == -1 && s->max_estimate == 5);
  assert_true(s->median_estimate == 2.5); /* (2 + 3) / 2 */
  assert_int_equal(s->n_significant, 2);
  assert_int_equal(s->n_positive, 3);
  assert_true(s->share_significant == 0.5 && s->share_positive == 0.75);
  assert_int_equal(s->n_reasons, 3);
  assert_string_equal(s->reasons[0].reason, "z");
  assert_int_equal(s->reasons[0].count, 2);
  assert_int_equal(s->reasons[0].first, 1);
  assert_string_equal(s->reasons[1].reason, "y");
  assert_int_equal(s->reasons[1].first, 2);
  assert_string_equal(s->reasons[2].reason, "the estimate is not a finite number");
  assert_int_equal(s->reasons[2].status, ATTRIB_ENUMERIC);
  assert_int_equal(s->reasons[2].first, 6);
  attrib_spec_summary_free(s);
}

static void run_nan(void *ctx, size_t i, attrib_spec_result *out) {
  (void)ctx;
  out->estimate = i == 1 ? NAN : (double)i;
}

static void test_run_marks_nan(void **state) {
  (void)state;
  attrib_spec_result r[3];
  attrib_spec_run(3, 2, run_nan, NULL, r);
  assert_int_equal(r[0].status, ATTRIB_OK);
  assert_int_equal(r[1].status, ATTRIB_ENUMERIC);
  assert_string_equal(r[1].message, "the estimate is not a finite number");
  assert_int_equal(r[2].status, ATTRIB_OK);
}

static void test_out_of_memory(void **state) {
  (void)state;
  attrib_spec_result r[4] = {ok(1, 0.5, 2), failed(ATTRIB_EINVAL, "a"), failed(ATTRIB_EDESIGN, "b"), ok(2, 1, 3)};
  int done = 0;
  for (long k = 1; k < 50 && !done; k++) {
    attrib_spec_summary *s = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status st = attrib_spec_summarize(r, 4, &s, NULL);
    attrib_debug_fail_alloc_after(0);
    if (st == ATTRIB_OK) done = 1, attrib_spec_summary_free(s);
    else assert_int_equal(st, ATTRIB_ENOMEM), assert_null(s);
  }
  assert_true(done);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_all_failed), cmocka_unit_test(test_mixed),
                                     cmocka_unit_test(test_run_marks_nan), cmocka_unit_test(test_out_of_memory)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
