/* attrib_psm_fit: results independent of the thread count, the audit adds
 * up, and every allocation failure is reported cleanly (no leak under ASan).
 * Estimates are checked against R in tests/cli/psm/ (Matching::Match) and in
 * test_match.c / test_weighting.c / test_balance.c for the pieces. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const lalonde_covs = "age + educ + race + married + nodegree + re74 + re75";

static void base_options(attrib_psm_options *o) {
  attrib_psm_options_init(o);
  o->treat = "treat";
  o->outcome = "re78";
  o->covariates = lalonde_covs;
  o->id = "id";
}

static void same_result(const attrib_psm_result *a, const attrib_psm_result *b) {
  assert_true(a->effect.estimate == b->effect.estimate);
  assert_true(a->effect.std_error == b->effect.std_error);
  assert_int_equal(a->n_treated_matched, b->n_treated_matched);
  assert_int_equal(a->n_control_matched, b->n_control_matched);
  assert_int_equal(a->n_pairs, b->n_pairs);
  for (size_t p = 0; p < a->n_pairs; p++) {
    assert_int_equal(a->pairs[p].treated_row, b->pairs[p].treated_row);
    assert_int_equal(a->pairs[p].control_row, b->pairs[p].control_row);
  }
  assert_int_equal(a->balance->k, b->balance->k);
  for (size_t j = 0; j < a->balance->k; j++) {
    assert_true(a->balance->rows[j].diff_before == b->balance->rows[j].diff_before);
    assert_true(a->balance->rows[j].diff_after == b->balance->rows[j].diff_after);
  }
}

/* 150k simulated learners: two row chunks for the score model and the
 * balance pass, six exact strata (role) matched on separate threads. */
static void test_threads_do_not_change_results(void **state) {
  (void)state;
  attrib_table *t = test_simulated(150000, 5, 2.0, 0);
  const char *exact[] = {"role", NULL};
  for (int variant = 0; variant < 4; variant++) {
    attrib_psm_result *r[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
      attrib_psm_options o;
      attrib_psm_options_init(&o);
      o.treat = "trained";
      o.outcome = "sales";
      o.covariates = "prior_perf + engagement + tenure + factor(role)";
      o.id = "learner_id";
      o.keep_pairs = 1;
      o.threads = k ? 2 : 1;
      if (variant == 1) o.exact = exact, o.caliper = 0.2;
      if (variant == 2) o.replace = 1, o.ratio = 2;
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(attrib_psm_fit(t, &o, &r[k], &err), ATTRIB_OK, &err);
    }
    same_result(r[0], r[1]);
    if (variant == 1) assert_int_equal(r[0]->n_strata, 6);
    attrib_psm_result_free(r[0]);
    attrib_psm_result_free(r[1]);
  }
  attrib_table_free(t);
}

/* Every unit is accounted for exactly once; the audit rows ascend and their
 * reasons agree with the counts. */
static void test_audit_adds_up(void **state) {
  (void)state;
  attrib_table *t = test_load("datasets/lalonde.csv");
  attrib_psm_options o;
  base_options(&o);
  o.caliper = 0.1;
  o.discard = ATTRIB_DISCARD_BOTH;
  o.ratio = 2;
  o.keep_audit = 1;
  o.keep_pairs = 1;
  attrib_psm_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_psm_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->n_treated, 185);
  assert_int_equal(r->n_treated_matched + r->n_treated_discarded + r->n_treated_unmatched, r->n_treated);
  size_t by[4] = {0};
  for (size_t k = 0; k < r->n_audit; k++) {
    if (k) assert_true(r->audit_row[k] > r->audit_row[k - 1]);
    by[r->audit_reason[k]]++;
  }
  assert_int_equal(by[ATTRIB_PSM_OFF_SUPPORT], r->n_treated_discarded + r->n_control_discarded);
  assert_int_equal(by[ATTRIB_PSM_NO_MATCH], r->n_treated_unmatched);
  assert_int_equal(r->n_control_matched + r->n_control_discarded + by[ATTRIB_PSM_NOT_SELECTED], r->n_control);
  assert_int_equal(r->n_audit + r->n_treated_matched + r->n_control_matched, t->n_rows);
  /* every pair within the caliper; ratio 2 at most */
  for (size_t p = 0; p < r->n_pairs; p++) assert_true(r->pairs[p].distance <= r->caliper_width);
  assert_true(r->n_pairs <= 2 * r->n_treated_matched);
  assert_int_equal(r->n_warnings, 1); /* the unmatched treated */
  attrib_psm_result_free(r);
  attrib_table_free(t);
}

/* The ATC is the ATT of the flipped problem with the sign reversed. */
static void test_atc_is_flipped_att(void **state) {
  (void)state;
  attrib_table *t = test_table("id,t,u,y,s\n1,1,0,5,0.6\n2,1,0,7,0.7\n3,0,1,1,0.4\n4,0,1,2,0.65\n5,0,1,4,0.3\n6,1,0,3,0.35\n");
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.outcome = "y";
  o.score = "s";
  o.id = "id";
  o.replace = 1;
  attrib_psm_result *a = NULL, *c = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  o.treat = "u"; /* controls as treated */
  assert_status(attrib_psm_fit(t, &o, &a, &err), ATTRIB_OK, &err);
  o.treat = "t";
  o.estimand = ATTRIB_ESTIMAND_ATC;
  assert_status(attrib_psm_fit(t, &o, &c, &err), ATTRIB_OK, &err);
  assert_rel_close(c->effect.estimate, -a->effect.estimate, 1e-15, "ATC = -ATT(flipped)");
  assert_rel_close(c->effect.std_error, a->effect.std_error, 1e-15, "same SE");
  attrib_psm_result_free(a);
  attrib_psm_result_free(c);
  attrib_table_free(t);
}

/* A constant score ties every control with every treated unit: matching
 * with replacement is then the difference in means, and the Abadie-Imbens
 * variance has a closed form (K_c = N1/N0 for every control, KK_c = N1/N0^2):
 *   V = [ (N1 - 1) s1^2 + s2 N1 (N1 - 1) / N0 ] / N1^2,
 *   s2 = (mean over pairs of (y_t - y_c - tau)^2) / 2
 *      = ((N1 - 1) s1^2 / N1 + (N0 - 1) s0^2 / N0) / 2.
 * 15,000 units make 4.9e7 pairs, kept as one run per treated unit; listing
 * them (keep_pairs) is refused with the reason. */
static void test_constant_score_ties_everything(void **state) {
  (void)state;
  size_t n = 15000;
  char *csv = malloc(n * 40 + 64), *p = csv;
  p += sprintf(p, "id,t,y,s\n");
  double s1 = 0, s0 = 0, q1 = 0, q0 = 0, n1 = 0, n0 = 0;
  for (size_t i = 0; i < n; i++) {
    int t = i % 10 < 3;
    double y = (double)((i * 7919) % 1000) / 10.0 + (t ? 5.0 : 0.0);
    p += sprintf(p, "%zu,%d,%.1f,0.5\n", i + 1, t, y);
    if (t) s1 += y, q1 += y * y, n1++;
    else s0 += y, q0 += y * y, n0++;
  }
  attrib_table *t = test_table(csv);
  free(csv);
  double m1 = s1 / n1, m0 = s0 / n0, v1 = (q1 - n1 * m1 * m1) / (n1 - 1), v0 = (q0 - n0 * m0 * m0) / (n0 - 1);
  double s2 = 0.5 * ((n1 - 1) * v1 / n1 + (n0 - 1) * v0 / n0);
  double se = sqrt(((n1 - 1) * v1 + s2 * n1 * (n1 - 1) / n0) / (n1 * n1));
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.treat = "t", o.outcome = "y", o.score = "s", o.id = "id", o.replace = 1;
  attrib_psm_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_psm_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_rel_close(r->effect.estimate, m1 - m0, 1e-12, "constant score: difference in means");
  assert_rel_close(r->effect.std_error, se, 1e-10, "constant score: closed-form Abadie-Imbens SE");
  assert_int_equal(r->n_matches, (size_t)(n1 * n0));
  assert_int_equal(r->n_tied_sets, (size_t)n1);
  assert_int_equal(r->n_control_matched, (size_t)n0);
  attrib_psm_result_free(r);
  o.keep_pairs = 1;
  assert_status(attrib_psm_fit(t, &o, &r, &err), ATTRIB_ENOMEM, &err);
  assert_non_null(strstr(err.message, "too many to list"));
  assert_null(r);
  attrib_table_free(t);
}

static void test_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_load("datasets/lalonde.csv");
  const char *exact[] = {"married", NULL};
  for (int variant = 0; variant < 4; variant++) {
    attrib_psm_options o;
    base_options(&o);
    o.keep_pairs = o.keep_audit = 1;
    if (variant == 0) o.caliper = 0.2, o.exact = exact;
    if (variant == 1) o.replace = 1, o.estimand = ATTRIB_ESTIMAND_ATE;
    if (variant == 2) o.method = ATTRIB_PSM_AIPW, o.estimand = ATTRIB_ESTIMAND_ATE, o.id = NULL, o.trim = 0.1;
    if (variant == 3) o.replace = 1, o.covariates = "married + nodegree"; /* 4 scores: long tied runs everywhere */
    o.threads = 1; /* the failure hook is per thread */
    int done = 0;
    for (long k = 1; !done && k < 5000; k++) {
      attrib_psm_result *r = NULL;
      attrib_error err;
      attrib_error_clear(&err);
      attrib_debug_fail_alloc_after(k);
      attrib_status s = attrib_psm_fit(t, &o, &r, &err);
      attrib_debug_fail_alloc_after(0);
      if (s == ATTRIB_OK) {
        done = 1;
      } else {
        assert_int_equal(s, ATTRIB_ENOMEM);
        assert_null(r);
      }
      attrib_psm_result_free(r);
    }
    assert_true(done);
  }
  attrib_table_free(t);
}

/* The options alone, before any data (issue 13). */
static void test_check_options(void **state) {
  (void)state;
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_equal(attrib_psm_check(&o, &err), ATTRIB_EINVAL); /* no treatment or outcome */
  o.treat = "d", o.outcome = "y", o.covariates = "x";
  assert_status(attrib_psm_check(&o, &err), ATTRIB_OK, &err);
  o.estimand = ATTRIB_ESTIMAND_ATE;
  assert_int_equal(attrib_psm_check(&o, &err), ATTRIB_EINVAL); /* the ATE by matching needs replacement */
  o.replace = 1;
  assert_status(attrib_psm_check(&o, &err), ATTRIB_OK, &err);
  o.bootstrap = 999;
  assert_int_equal(attrib_psm_check(&o, &err), ATTRIB_EINVAL); /* the naive bootstrap after matching */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_options),
      cmocka_unit_test(test_threads_do_not_change_results),
      cmocka_unit_test(test_audit_adds_up),
      cmocka_unit_test(test_atc_is_flipped_att),
      cmocka_unit_test(test_constant_score_ties_everything),
      cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
