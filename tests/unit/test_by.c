/* Subgroup effects (by.h): binning, table subsets, the joint fits of ols,
 * psm and did, and every allocation failure reported cleanly (no leak under
 * ASan). The numbers are checked against R and separate runs in
 * tests/cli/{ols,psm,did,analyze}/by_*.sh. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* quantile bins of 1..10 in 4: R's quantile(type = 7) cuts 3.25, 5.5, 7.75 */
static void test_bins(void **state) {
  (void)state;
  attrib_table *t = test_table("x,y\n1,0\n2,0\n3,0\n4,0\n5,0\n6,0\n7,0\n8,0\n9,0\n10,0\n,0\n");
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_equal(attrib_table_add_bins(t, "x", 4, NULL, 0, "xb", &err), ATTRIB_OK);
  const attrib_column *c = &t->cols[t->n_cols - 1];
  assert_int_equal(c->type, ATTRIB_COLUMN_CATEGORICAL);
  assert_int_equal(c->n_levels, 4);
  assert_string_equal(c->levels[0], "1 [1, 3]");
  assert_string_equal(c->levels[3], "4 [8, 10]");
  int32_t want[11] = {0, 0, 0, 1, 1, 2, 2, 3, 3, 3, -1};
  for (size_t i = 0; i < 11; i++) assert_int_equal(c->codes[i], want[i]);
  assert_int_equal(c->n_missing, 1);
  /* cut points: right-closed bins, the empty one above 100 dropped */
  double cuts[2] = {5, 100};
  assert_int_equal(attrib_table_add_bins(t, "x", 0, cuts, 2, "xc", &err), ATTRIB_OK);
  c = &t->cols[t->n_cols - 1];
  assert_int_equal(c->n_levels, 2);
  assert_int_equal(c->codes[4], 0); /* 5 is in (-inf, 5] */
  assert_int_equal(c->codes[5], 1);
  /* refusals */
  assert_int_equal(attrib_table_add_bins(t, "x", 1, NULL, 0, "b1", &err), ATTRIB_EUSAGE);
  double bad[2] = {5, 2};
  assert_int_equal(attrib_table_add_bins(t, "x", 0, bad, 2, "b2", &err), ATTRIB_EUSAGE);
  assert_int_equal(attrib_table_add_bins(t, "x", 3, NULL, 0, "xb", &err), ATTRIB_EUSAGE); /* name taken */
  assert_int_equal(attrib_table_add_bins(t, "nope", 3, NULL, 0, "b3", &err), ATTRIB_ENOCOL);
  double above[1] = {50};
  assert_int_equal(attrib_table_add_bins(t, "x", 0, above, 1, "b4", &err), ATTRIB_EDESIGN); /* one bin */
  attrib_table_free(t);
}

static void test_subset(void **state) {
  (void)state;
  attrib_table *t = test_table("a,b\n1,u\n,v\n3,w\n");
  attrib_table *s = NULL;
  attrib_error err;
  size_t rows[2] = {2, 1};
  assert_int_equal(attrib_table_subset(t, rows, 2, &s, &err), ATTRIB_OK);
  assert_int_equal(s->n_rows, 2);
  assert_true(s->cols[0].values[0] == 3.0);
  assert_true(isnan(s->cols[0].values[1]));
  assert_true(attrib_column_is_missing(&s->cols[0], 1));
  assert_string_equal(s->cols[1].levels[s->cols[1].codes[0]], "w");
  attrib_table_free(s);
  size_t out_of_range = 3;
  assert_int_equal(attrib_table_subset(t, &out_of_range, 1, &s, &err), ATTRIB_EINVAL);
  assert_null(s);
  attrib_table_free(t);
}

/* the equality test and the differences from the groups' estimates and vcov */
static void check_by(const attrib_by_result *b) {
  size_t G = b->n_groups;
  assert_true(G >= 2);
  assert_int_equal(b->n_diffs, G * (G - 1) / 2);
  assert_true(b->statistic >= 0 && b->p_value >= 0 && b->p_value <= 1);
  assert_true(b->test_df == (double)(G - 1));
  for (size_t k = 0; k < b->n_diffs; k++) {
    const attrib_by_diff *d = &b->diffs[k];
    assert_true(fabs(d->estimate - (b->groups[d->b].effect.estimate - b->groups[d->a].effect.estimate)) < 1e-12);
  }
}

/* One subgroup fit under allocation failure: the inputs of the three joint
 * fits (each run reads its own). */
struct by_case {
  const attrib_table *t;
  const attrib_formula *f;
  attrib_design_options d;
  attrib_ols_options ols;
  attrib_psm_options psm;
  attrib_did_options did;
  attrib_by_options bo;
};
typedef attrib_status (*by_run)(const struct by_case *c, attrib_by_result **r, attrib_error *err);
static attrib_status ols_by_run(const struct by_case *c, attrib_by_result **r, attrib_error *err) {
  return attrib_ols_by(c->t, c->f, &c->d, &c->ols, &c->bo, r, err);
}
static attrib_status psm_by_run(const struct by_case *c, attrib_by_result **r, attrib_error *err) {
  return attrib_psm_by(c->t, &c->psm, &c->bo, r, err);
}
static attrib_status did_by_run(const struct by_case *c, attrib_by_result **r, attrib_error *err) {
  return attrib_did_by(c->t, &c->did, &c->bo, r, err);
}

/* Fails allocation k = 1, 2, ... of run until a run completes (before max_k):
 * each failing run must report ATTRIB_ENOMEM and leave no result; the
 * complete result passes check_by and is returned for the caller's own
 * checks (the caller frees it). */
static attrib_by_result *by_until_complete(by_run run, const struct by_case *c, long max_k) {
  attrib_error err;
  for (long k = 1; k < max_k; k++) {
    attrib_by_result *r = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = run(c, &r, &err);
    attrib_debug_fail_alloc_after(0);
    if (s != ATTRIB_OK) {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(r);
      continue;
    }
    check_by(r);
    return r;
  }
  fail_msg("no run completed in %ld allocation failures", max_k - 1);
  return NULL;
}

static void test_ols_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 5, 2.0, 0);
  attrib_formula *f = NULL;
  attrib_error err;
  assert_int_equal(attrib_formula_parse("sales ~ trained + tenure | region", &f, &err), ATTRIB_OK);
  struct by_case c = {.t = t, .f = f};
  attrib_design_options_init(&c.d);
  const char *cl[2] = {"team", NULL};
  c.d.cluster = cl;
  attrib_ols_options_init(&c.ols);
  c.ols.vcov = ATTRIB_VCOV_CLUSTER, c.ols.treat = "trained", c.ols.threads = 1;
  attrib_by_options_init(&c.bo);
  c.bo.column = "role";
  attrib_by_result_free(by_until_complete(ols_by_run, &c, 20000));
  attrib_formula_free(f);
  attrib_table_free(t);
}

static void test_psm_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 6, 2.0, 0);
  struct by_case c = {.t = t};
  attrib_psm_options_init(&c.psm);
  c.psm.treat = "trained", c.psm.outcome = "sales", c.psm.covariates = "tenure + prior_perf", c.psm.replace = 1;
  c.psm.threads = 1;
  attrib_by_options_init(&c.bo);
  c.bo.column = "remote";
  attrib_by_result *r = by_until_complete(psm_by_run, &c, 20000);
  assert_int_equal(r->n_groups, 2);
  attrib_by_result_free(r);
  attrib_table_free(t);
}

static void test_did_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(200, 7, 2.0, 1);
  struct by_case c = {.t = t};
  attrib_did_options_init(&c.did);
  c.did.outcome = "sales", c.did.unit = "learner_id", c.did.time = "period", c.did.cohort = "cohort";
  c.did.threads = 1, c.did.estimator = ATTRIB_DID_TWFE;
  attrib_by_options_init(&c.bo);
  c.bo.column = "region";
  attrib_by_result_free(by_until_complete(did_by_run, &c, 40000));
  attrib_table_free(t);
}

/* the first run that succeeds has the subgroups and each one's ROI */
static int analyze_by_complete(const attrib_analyze_result *r) {
  assert_non_null(r->by);
  check_by(r->by);
  assert_non_null(r->by_roi);
  for (size_t g = 0; g < r->by->n_groups; g++) assert_non_null(r->by_roi[g]);
  return 1;
}

/* analyze's subgroups of the primary method (ols here) with the ROI per group */
static void test_analyze_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(160, 3, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "tenure + prior_perf", o.methods = ATTRIB_ANALYZE_OLS;
  o.has_roi = 1, o.roi.value_per_unit = 100, o.roi.cost_per_learner = 10, o.by = "remote", o.threads = 1;
  test_analyze_until_complete(t, &o, 40000, analyze_by_complete);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bins),
      cmocka_unit_test(test_subset),
      cmocka_unit_test(test_ols_out_of_memory),
      cmocka_unit_test(test_psm_out_of_memory),
      cmocka_unit_test(test_did_out_of_memory),
      cmocka_unit_test(test_analyze_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
