/* The specification curve's summary (src/sensitivity/spec.c): only
 * estimated specifications enter the statistics (failed ones were
 * summarised as 0: issue 12), failures are grouped by reason in order of
 * first occurrence, a NaN estimate reported as a success is a failure, and
 * allocation failures are reported cleanly. Expected values by hand.
 * The sweep over an estimator's options (attrib_spec_sweep): the option
 * mapping and its errors (named as options, not flags), the value index,
 * the checks before a sweep, and each specification equal to a separate
 * fit of the estimator, whatever the thread count. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- the sweep over an estimator's options ---------------------------------------- */

static void test_set_options(void **state) {
  (void)state;
  attrib_psm_options p;
  attrib_psm_options_init(&p);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_spec_set_psm(&p, "caliper", "0.25", NULL, &err), ATTRIB_OK, &err);
  assert_true(p.caliper == 0.25);
  assert_status(attrib_spec_set_psm(&p, "ratio", "3", NULL, &err), ATTRIB_OK, &err);
  assert_int_equal(p.ratio, 3);
  assert_status(attrib_spec_set_psm(&p, "replace", "true", NULL, &err), ATTRIB_OK, &err);
  assert_int_equal(p.replace, 1);
  assert_status(attrib_spec_set_psm(&p, "distance", "score", NULL, &err), ATTRIB_OK, &err);
  assert_int_equal(p.distance_logit, 0);
  assert_status(attrib_spec_set_psm(&p, "estimand", "ate", NULL, &err), ATTRIB_OK, &err);
  assert_int_equal(p.estimand, ATTRIB_ESTIMAND_ATE);
  assert_status(attrib_spec_set_psm(&p, "covariates", "a,b", "a + b", &err), ATTRIB_OK, &err);
  assert_string_equal(p.covariates, "a + b");
  /* bad values and names: usage errors naming the option, never a flag */
  const char *bad[][2] = {{"caliper", "-1"}, {"caliper", "0.1x"}, {"ratio", "1.5"}, {"ratio", "0"}, {"replace", "2"},
                          {"distance", "euclid"}, {"method", "x"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    attrib_error_clear(&err);
    assert_int_equal(attrib_spec_set_psm(&p, bad[i][0], bad[i][1], NULL, &err), ATTRIB_EUSAGE);
    assert_string_equal(err.option, "spec.dims.values");
    assert_null(strstr(err.message, "--"));
  }
  assert_string_equal(err.message, "method: 'x' is not a valid value");
  /* a name psm cannot vary is not reported as a bad value: the message lists those it can */
  const char *bad_names[] = {"bogus", "control"};
  for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
    attrib_error_clear(&err);
    assert_int_equal(attrib_spec_set_psm(&p, bad_names[i], "1", NULL, &err), ATTRIB_EUSAGE);
    assert_string_equal(err.option, "spec.dims.names");
    assert_null(strstr(err.message, "--"));
  }
  assert_string_equal(err.message, "psm cannot vary 'control' (caliper, ratio, replace, method, estimand, discard, "
                                   "distance, link, covariates)");
  assert_int_equal(attrib_spec_set_psm(NULL, "ratio", "1", NULL, NULL), ATTRIB_EINVAL);

  attrib_did_options d;
  attrib_did_options_init(&d);
  assert_status(attrib_spec_set_did(&d, "control", "notyet", NULL, &err), ATTRIB_OK, &err);
  assert_int_equal(d.control_notyet, 1);
  assert_status(attrib_spec_set_did(&d, "anticipation", "2", NULL, &err), ATTRIB_OK, &err);
  assert_int_equal(d.anticipation, 2);
  assert_status(attrib_spec_set_did(&d, "base_period", "universal", NULL, &err), ATTRIB_OK, &err);
  assert_int_equal(d.base_universal, 1);
  assert_status(attrib_spec_set_did(&d, "estimator", "twfe", NULL, &err), ATTRIB_OK, &err);
  assert_int_equal(d.estimator, ATTRIB_DID_TWFE);
  assert_status(attrib_spec_set_did(&d, "covariates", "x", "x", &err), ATTRIB_OK, &err);
  assert_string_equal(d.covariates, "x");
  assert_status(attrib_spec_set_did(&d, "covariates", "none", "none", &err), ATTRIB_OK, &err);
  assert_null(d.covariates);
  assert_int_equal(attrib_spec_set_did(&d, "estimator", "2x2", NULL, &err), ATTRIB_EUSAGE);
  assert_int_equal(attrib_spec_set_did(&d, "anticipation", "-1", NULL, &err), ATTRIB_EUSAGE);
  assert_int_equal(attrib_spec_set_did(&d, "caliper", "1", NULL, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "spec.dims.names");
  assert_string_equal(err.message, "did cannot vary 'caliper' (control, anticipation, base_period, estimator, covariates)");
}

static void test_index_and_check(void **state) {
  (void)state;
  const char *cal[] = {"0", "0.1"}, *ratio[] = {"1", "2", "3"};
  attrib_spec_dim dims[2] = {{"caliper", cal, NULL, 2}, {"ratio", ratio, NULL, 3}};
  attrib_spec_options o;
  attrib_spec_options_init(&o);
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_equal(attrib_spec_check(&o, &err), ATTRIB_EINVAL); /* no dimension */
  o.dims = dims, o.n_dims = 2;
  assert_int_equal(attrib_spec_count(&o), 6);
  /* the last dimension varies fastest: 0 -> (0, 0), 1 -> (0, 1), 3 -> (1, 0), 5 -> (1, 2) */
  assert_int_equal(attrib_spec_value(&o, 1, 0), 0);
  assert_int_equal(attrib_spec_value(&o, 1, 1), 1);
  assert_int_equal(attrib_spec_value(&o, 3, 0), 1);
  assert_int_equal(attrib_spec_value(&o, 3, 1), 0);
  assert_int_equal(attrib_spec_value(&o, 5, 1), 2);
  assert_status(attrib_spec_check(&o, &err), ATTRIB_OK, &err);
  const char *bad[] = {"1", "0.1x"};
  dims[1] = (attrib_spec_dim){"caliper", bad, NULL, 2};
  assert_int_equal(attrib_spec_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "spec.dims.values");
  assert_string_equal(err.message, "caliper: '0.1x' is not a valid value");
  /* too many specifications: 2 x 60,000 */
  dims[1] = (attrib_spec_dim){"ratio", ratio, NULL, 60000};
  const char **many = malloc(60000 * sizeof *many);
  assert_non_null(many);
  for (size_t i = 0; i < 60000; i++) many[i] = "1";
  dims[1].values = many;
  attrib_error_clear(&err);
  assert_int_equal(attrib_spec_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "spec.dims");
  assert_string_equal(err.message, "120000 specifications: at most 100,000");
  free(many);
  dims[1] = (attrib_spec_dim){"ratio", ratio, NULL, 0};
  assert_int_equal(attrib_spec_check(&o, &err), ATTRIB_EINVAL); /* a dimension without values */
}

static void count_progress(void *ctx, size_t done, size_t total) {
  (void)done, (void)total;
  __atomic_fetch_add((size_t *)ctx, 1, __ATOMIC_RELAXED);
}

/* every specification equals a separate fit, at 1 and 2 threads; a failed one keeps its reason */
static void test_sweep_psm(void **state) {
  (void)state;
  attrib_table *t = test_simulated(600, 3, 2.0, 0);
  const char *cal[] = {"0", "0.2"}, *ratio[] = {"1", "2"}, *covs[] = {"prior_perf", "nosuch"};
  const char *rhs[] = {"prior_perf + engagement", "nosuch"};
  attrib_spec_dim dims[3] = {{"caliper", cal, NULL, 2}, {"ratio", ratio, NULL, 2}, {"covariates", covs, rhs, 2}};
  attrib_spec_options o;
  attrib_spec_options_init(&o);
  o.psm.treat = "trained", o.psm.outcome = "sales", o.psm.covariates = "prior_perf";
  o.dims = dims, o.n_dims = 3;
  attrib_spec_result *r[2] = {NULL, NULL};
  attrib_error err;
  attrib_error_clear(&err);
  for (int k = 0; k < 2; k++) {
    size_t calls = 0;
    o.threads = (size_t)k + 1, o.progress = count_progress, o.progress_ctx = &calls;
    assert_status(attrib_spec_sweep(t, &o, &r[k], &err), ATTRIB_OK, &err);
    assert_int_equal(calls, 8);
  }
  for (size_t i = 0; i < 8; i++) {
    assert_int_equal(r[0][i].status, r[1][i].status);
    assert_true(memcmp(&r[0][i].estimate, &r[1][i].estimate, sizeof(double)) == 0);
    attrib_psm_options p = o.psm;
    p.caliper = i & 4 ? 0.2 : 0, p.ratio = i & 2 ? 2 : 1, p.covariates = rhs[i & 1];
    attrib_psm_result *one = NULL;
    attrib_error e1;
    attrib_error_clear(&e1);
    attrib_status s = attrib_psm_fit(t, &p, &one, &e1);
    assert_int_equal(r[0][i].status, s);
    if (s) {
      assert_string_equal(r[0][i].message, e1.message);
    } else {
      assert_true(r[0][i].estimate == one->effect.estimate);
      assert_true(r[0][i].std_error == one->effect.std_error);
      assert_int_equal(r[0][i].n_used, one->n_treated_matched);
    }
    attrib_psm_result_free(one);
  }
  assert_int_not_equal(r[0][1].status, ATTRIB_OK); /* the covariate that is not there */
  attrib_spec_results_free(r[0]), attrib_spec_results_free(r[1]);
  attrib_spec_results_free(NULL);
  /* an invalid value fails the sweep before anything runs */
  const char *bad[] = {"x"};
  dims[0] = (attrib_spec_dim){"method", bad, NULL, 1};
  attrib_spec_result *none = NULL;
  assert_int_equal(attrib_spec_sweep(t, &o, &none, &err), ATTRIB_EUSAGE);
  assert_null(none);
  /* every specification failing on the same missing column (a base
   * option's): the sweep's error, said as the estimator says it, no curve
   * (issue 15: a curve of failures used to succeed) */
  const char *cal1[] = {"0.1", "0.2"}, *ratio1[] = {"1"};
  dims[0] = (attrib_spec_dim){"caliper", cal1, NULL, 2};
  o.n_dims = 1, o.psm.treat = "traind", o.progress = NULL; /* its counter is gone */
  assert_int_equal(attrib_spec_sweep(t, &o, &none, &err), ATTRIB_ENOCOL);
  assert_null(none);
  assert_non_null(strstr(err.message, "no column 'traind' (the treatment"));
  /* all failing, but on different columns: still a curve, each with its reason */
  const char *covs2[] = {"nosuch", "nosuch2"};
  o.psm.treat = "trained";
  dims[0] = (attrib_spec_dim){"ratio", ratio1, NULL, 1};
  dims[1] = (attrib_spec_dim){"covariates", covs2, covs2, 2};
  o.n_dims = 2;
  assert_status(attrib_spec_sweep(t, &o, &none, &err), ATTRIB_OK, &err);
  assert_int_equal(none[0].status, ATTRIB_ENOCOL);
  assert_int_equal(none[1].status, ATTRIB_ENOCOL);
  attrib_spec_results_free(none);
  attrib_table_free(t);
}

static void test_sweep_did(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 8, 2.0, 1);
  const char *ctl[] = {"never", "notyet"}, *est[] = {"cs", "twfe"};
  attrib_spec_dim dims[2] = {{"control", ctl, NULL, 2}, {"estimator", est, NULL, 2}};
  attrib_spec_options o;
  attrib_spec_options_init(&o);
  o.estimator = ATTRIB_SPEC_DID;
  o.did.outcome = "sales", o.did.unit = "learner_id", o.did.time = "period", o.did.cohort = "cohort";
  o.dims = dims, o.n_dims = 2, o.threads = 2;
  attrib_spec_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_spec_sweep(t, &o, &r, &err), ATTRIB_OK, &err);
  for (size_t i = 0; i < 4; i++) {
    attrib_did_options d = o.did;
    d.control_notyet = i >= 2, d.estimator = i & 1 ? ATTRIB_DID_TWFE : ATTRIB_DID_CS;
    attrib_did_result *one = NULL;
    attrib_status s = attrib_did_fit(t, &d, &one, NULL);
    assert_int_equal(r[i].status, s);
    if (!s) assert_true(r[i].estimate == one->effect.estimate);
    attrib_did_result_free(one);
  }
  assert_int_not_equal(r[3].status, ATTRIB_OK); /* not-yet-treated controls are a CS option */
  attrib_spec_results_free(r);
  attrib_table_free(t);
}

static void test_sweep_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 3, 2.0, 0);
  const char *ratio[] = {"1", "2"};
  attrib_spec_dim dims[1] = {{"ratio", ratio, NULL, 2}};
  attrib_spec_options o;
  attrib_spec_options_init(&o);
  o.psm.treat = "trained", o.psm.outcome = "sales", o.psm.covariates = "prior_perf";
  o.dims = dims, o.n_dims = 1, o.threads = 1;
  int done = 0;
  for (long k = 1; k < 5000 && !done; k++) {
    attrib_spec_result *r = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status st = attrib_spec_sweep(t, &o, &r, NULL);
    attrib_debug_fail_alloc_after(0);
    if (st) {
      assert_int_equal(st, ATTRIB_ENOMEM), assert_null(r);
    } else {
      /* a specification that ran out of memory says so; the sweep itself succeeded */
      done = r[0].status == ATTRIB_OK && r[1].status == ATTRIB_OK;
      for (size_t i = 0; i < 2; i++) assert_true(r[i].status == ATTRIB_OK || r[i].status == ATTRIB_ENOMEM);
      attrib_spec_results_free(r);
    }
  }
  assert_true(done);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_all_failed), cmocka_unit_test(test_mixed),
                                     cmocka_unit_test(test_run_marks_nan), cmocka_unit_test(test_out_of_memory),
                                     cmocka_unit_test(test_set_options),   cmocka_unit_test(test_index_and_check),
                                     cmocka_unit_test(test_sweep_psm),     cmocka_unit_test(test_sweep_did),
                                     cmocka_unit_test(test_sweep_out_of_memory)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
