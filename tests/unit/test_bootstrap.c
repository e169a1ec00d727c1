/* attrib_ols_bootstrap: identical results for 1 and 2 threads on data large
 * enough to split into several row chunks and parts; a wild bootstrap with
 * 2^G <= B enumerates; every allocation failure is reported cleanly (no
 * leak under ASan). Numbers are checked against R in tests/cli/bootstrap/. */
#include "test_support.h"

#include <math.h>
#include <string.h>

static attrib_status fit(const attrib_table *t, const char *formula, const char *cluster, attrib_design **d,
                         attrib_ols_result **r, attrib_error *err) {
  attrib_formula *f = NULL;
  attrib_status s = attrib_formula_parse(formula, &f, err);
  if (s) return s;
  const char *cl[2] = {cluster, NULL};
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cluster ? cl : NULL;
  s = attrib_design_build(t, f, &dopt, d, err);
  attrib_formula_free(f);
  if (s) return s;
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.vcov = cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
  o.treat = "trained";
  o.drop_singletons = 0;
  return attrib_ols_fit(*d, &o, r, err);
}

static void test_threads_do_not_change_results(void **state) {
  (void)state;
  attrib_table *t = test_simulated(150000, 9, 2.0, 0);
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(fit(t, "sales ~ trained + prior_perf + engagement + factor(role)", "team", &d, &r, &err), ATTRIB_OK, &err);
  for (int type = 0; type < 3; type++) {
    attrib_boot_result *b[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
      attrib_boot_options o;
      attrib_boot_options_init(&o);
      o.replicates = 99;
      o.seed = 3;
      o.type = (attrib_boot_type)type;
      o.ci = type == ATTRIB_BOOT_WILD ? ATTRIB_CI_STUDENTIZED : ATTRIB_CI_BCA;
      o.threads = k ? 2 : 1;
      o.keep_draws = 1;
      assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b[k], &err), ATTRIB_OK, &err);
    }
    assert_true(b[0]->std_error == b[1]->std_error);
    assert_true(b[0]->ci_low == b[1]->ci_low && b[0]->ci_high == b[1]->ci_high);
    assert_true(b[0]->p_value == b[1]->p_value);
    assert_int_equal(b[0]->n_draws, b[1]->n_draws);
    assert_memory_equal(b[0]->draws, b[1]->draws, b[0]->n_draws * sizeof *b[0]->draws);
    attrib_boot_result_free(b[0]);
    attrib_boot_result_free(b[1]);
  }
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_table_free(t);
}

static void test_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 4, 2.0, 0);
  for (int variant = 0; variant < 4; variant++) {
    attrib_design *d = NULL;
    attrib_ols_result *r = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    const char *formula = variant == 3 ? "sales ~ trained + prior_perf | region" : "sales ~ trained + prior_perf";
    assert_status(fit(t, formula, variant == 0 ? NULL : "team", &d, &r, &err), ATTRIB_OK, &err);
    attrib_boot_options o;
    attrib_boot_options_init(&o);
    o.replicates = 99;
    o.threads = 1; /* the failure hook is per thread */
    o.keep_draws = 1;
    o.type = variant == 0 ? ATTRIB_BOOT_PAIRS : variant == 1 ? ATTRIB_BOOT_CLUSTER : ATTRIB_BOOT_WILD;
    o.ci = variant == 0 ? ATTRIB_CI_STUDENTIZED : ATTRIB_CI_PERCENTILE;
    int done = 0;
    for (long k = 1; !done && k < 5000; k++) {
      attrib_boot_result *b = NULL;
      attrib_debug_fail_alloc_after(k);
      attrib_status s = attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err);
      attrib_debug_fail_alloc_after(0);
      if (s == ATTRIB_OK) done = 1;
      else {
        assert_int_equal(s, ATTRIB_ENOMEM);
        assert_null(b);
      }
      attrib_boot_result_free(b);
    }
    assert_true(done);
    attrib_ols_result_free(r);
    attrib_design_free(d);
  }
  attrib_table_free(t);
}

/* the logit bootstrap's own allocations come first; later ones are the
 * refits', whose failures test_logit covers: the first 40 are enough */
static void test_logit_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 4, 2.0, 0);
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  attrib_logit_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse("trained ~ prior_perf + engagement", &f, &err), ATTRIB_OK, &err);
  assert_status(attrib_design_build(t, f, NULL, &d, &err), ATTRIB_OK, &err);
  attrib_logit_options lo;
  attrib_logit_options_init(&lo);
  lo.treat = "prior_perf";
  lo.keep_fitted = 1;
  assert_status(attrib_logit_fit(d, &lo, &r, &err), ATTRIB_OK, &err);
  attrib_boot_options o;
  attrib_boot_options_init(&o);
  o.replicates = 99;
  o.threads = 1;
  o.ci = ATTRIB_CI_BCA;
  for (long k = 1; k <= 40; k++) {
    attrib_boot_result *b = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_logit_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err);
    attrib_debug_fail_alloc_after(0);
    assert_true(s == ATTRIB_OK || s == ATTRIB_ENOMEM);
    if (s) assert_null(b);
    attrib_boot_result_free(b);
  }
  attrib_boot_result *b = NULL;
  assert_status(attrib_logit_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err), ATTRIB_OK, &err);
  assert_int_equal(b->replicates, 99);
  assert_true(b->ci_low < b->estimate && b->estimate < b->ci_high);
  attrib_boot_result_free(b);
  attrib_logit_result_free(r);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_threads_do_not_change_results),
      cmocka_unit_test(test_allocation_failures),
      cmocka_unit_test(test_logit_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
