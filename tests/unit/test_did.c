/* attrib_did_fit: the 2x2 effect equals its closed form, the universal base
 * telescopes the varying one, results (bootstrap included) do not depend on
 * the thread count, and every allocation failure is reported cleanly (no
 * leak under ASan). Estimates are checked against R in tests/cli/did/. */
#include "test_support.h"

#include <math.h>
#include <string.h>

static void panel_options(attrib_did_options *o) {
  attrib_did_options_init(o);
  o->outcome = "sales";
  o->unit = "learner_id";
  o->time = "period";
  o->cohort = "cohort";
}

/* DiD = (mean y11 - mean y10) - (mean y01 - mean y00), with unequal cells */
static void test_2x2_closed_form(void **state) {
  (void)state;
  attrib_table *t = test_table("treat,post,y\n"
                               "0,0,1\n0,0,2\n0,0,4\n0,1,3\n0,1,5\n"
                               "1,0,2\n1,0,3\n1,1,7\n1,1,9\n1,1,10\n1,1,6\n");
  attrib_did_options o;
  attrib_did_options_init(&o);
  o.outcome = "y";
  o.treat = "treat";
  o.post = "post";
  attrib_did_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  double want = (8.0 - 2.5) - (4.0 - 7.0 / 3.0);
  assert_rel_close(r->effect.estimate, want, 1e-13, "2x2 closed form");
  assert_rel_close(r->means[1][1], 8.0, 1e-15, "treated post mean");
  assert_int_equal(r->cell_n[0][0], 3);
  attrib_did_result_free(r);
  attrib_table_free(t);
}

/* With never-treated comparisons, the universal-base pre-period effect of
 * (g, t) is minus the sum of the varying-base ones over t+1 .. g-1. */
static void test_universal_base_telescopes(void **state) {
  (void)state;
  attrib_table *t = test_simulated(3000, 4, 2.0, 1);
  attrib_did_options o;
  panel_options(&o);
  attrib_did_result *v = NULL, *u = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_did_fit(t, &o, &v, &err), ATTRIB_OK, &err);
  o.base_universal = 1;
  assert_status(attrib_did_fit(t, &o, &u, &err), ATTRIB_OK, &err);
  size_t checked = 0;
  for (size_t a = 0; a < u->n_cells; a++) {
    const attrib_did_cell *c = &u->cells[a];
    if (c->post) continue;
    double sum = 0.0;
    for (size_t b = 0; b < v->n_cells; b++)
      if (v->cells[b].group == c->group && !v->cells[b].post && v->cells[b].time > c->time) sum += v->cells[b].att;
    assert_true(fabs(c->att + sum) <= 1e-10 * (1.0 + fabs(sum)));
    checked++;
  }
  assert_true(checked > 0);
  for (size_t q = 0; q < u->n_events; q++) assert_true(u->events[q].event_time != -1.0);
  attrib_did_result_free(v);
  attrib_did_result_free(u);
  attrib_table_free(t);
}

static void same_result(const attrib_did_result *a, const attrib_did_result *b) {
  assert_true(a->effect.estimate == b->effect.estimate);
  assert_true(a->effect.std_error == b->effect.std_error);
  assert_true(a->crit_uniform == b->crit_uniform || (isnan(a->crit_uniform) && isnan(b->crit_uniform)));
  assert_int_equal(a->n_cells, b->n_cells);
  for (size_t k = 0; k < a->n_cells; k++) assert_true(a->cells[k].std_error == b->cells[k].std_error);
  assert_int_equal(a->n_events, b->n_events);
  for (size_t k = 0; k < a->n_events; k++) assert_true(a->events[k].ci_low == b->events[k].ci_low);
}

/* 30k learners x 8 periods: the multiplier bootstrap splits 30k units into
 * blocks that either thread may draw. */
static void test_threads_do_not_change_results(void **state) {
  (void)state;
  attrib_table *t = test_simulated(30000, 6, 2.0, 1);
  for (int variant = 0; variant < 2; variant++) {
    attrib_did_result *r[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
      attrib_did_options o;
      panel_options(&o);
      o.bootstrap = 199;
      o.seed = 11;
      o.threads = k ? 2 : 1;
      if (variant == 1) o.cluster = "team", o.control_notyet = 1;
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(attrib_did_fit(t, &o, &r[k], &err), ATTRIB_OK, &err);
    }
    same_result(r[0], r[1]);
    attrib_did_result_free(r[0]);
    attrib_did_result_free(r[1]);
  }
  attrib_table_free(t);
}

static void test_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 8, 2.0, 1);
  attrib_table *t2 = test_table("treat,post,y,x,g\n0,0,1,3,1\n0,0,2,1,2\n0,0,4,2,1\n0,1,3,5,2\n0,1,5,4,1\n"
                                "1,0,2,2,2\n1,0,3,7,1\n1,1,7,1,2\n1,1,9,3,1\n1,1,10,2,2\n1,1,6,6,1\n");
  for (int variant = 0; variant < 6; variant++) {
    attrib_did_options o;
    panel_options(&o);
    if (variant == 0) o.bootstrap = 99, o.covariates = "prior_perf + tenure", o.cluster = "team";
    if (variant == 1) o.estimator = ATTRIB_DID_TWFE;
    if (variant == 2) o.estimator = ATTRIB_DID_TWFE, o.event_study = 1, o.leads = 3, o.lags = 3;
    if (variant == 3)
      o.unit = o.time = o.cohort = NULL, o.outcome = "y", o.treat = "treat", o.post = "post", o.covariates = "x",
      o.cluster = "g";
    if (variant == 4) o.estimator = ATTRIB_DID_SUNAB;
    if (variant == 5) o.estimator = ATTRIB_DID_IMPUTATION, o.cluster = "team";
    o.threads = 1; /* the failure hook is per thread */
    int done = 0;
    for (long k = 1; !done && k < 20000; k++) {
      attrib_did_result *r = NULL;
      attrib_error err;
      attrib_error_clear(&err);
      attrib_debug_fail_alloc_after(k);
      attrib_status s = attrib_did_fit(variant == 3 ? t2 : t, &o, &r, &err);
      attrib_debug_fail_alloc_after(0);
      if (s == ATTRIB_OK) done = 1;
      else {
        assert_int_equal(s, ATTRIB_ENOMEM);
        assert_null(r);
      }
      attrib_did_result_free(r);
    }
    assert_true(done);
  }
  attrib_table_free(t);
  attrib_table_free(t2);
}

/* The options alone, before any data (issue 13: every estimator has a
 * _check the CLI calls first). */
static void test_check_options(void **state) {
  (void)state;
  attrib_did_options o;
  attrib_did_options_init(&o);
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL); /* no outcome */
  o.outcome = "y";
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL); /* no design */
  o.unit = "id", o.time = "t", o.cohort = "g";
  assert_status(attrib_did_check(&o, &err), ATTRIB_OK, &err);
  o.treat = "d", o.post = "p";
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL); /* both designs */
  o.treat = o.post = NULL;
  o.event_study = 1;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE); /* event study needs twfe: names did.event_study */
  o.estimator = ATTRIB_DID_TWFE;
  assert_status(attrib_did_check(&o, &err), ATTRIB_OK, &err);
  o.bootstrap = 999;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL); /* wild tests one coefficient */
  /* sunab and imputation: no covariates, no bootstrap; the message names
   * the option field, not a flag */
  o.event_study = 0, o.estimator = ATTRIB_DID_SUNAB;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "did.bootstrap");
  o.bootstrap = 0, o.covariates = "x";
  o.estimator = ATTRIB_DID_IMPUTATION;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "did.covariates");
  o.covariates = NULL;
  assert_status(attrib_did_check(&o, &err), ATTRIB_OK, &err);
  assert_string_equal(attrib_did_estimator_name(ATTRIB_DID_SUNAB), "sunab");
  assert_string_equal(attrib_did_estimator_name(ATTRIB_DID_IMPUTATION), "imputation");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_options),
      cmocka_unit_test(test_2x2_closed_form),
      cmocka_unit_test(test_universal_base_telescopes),
      cmocka_unit_test(test_threads_do_not_change_results),
      cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
