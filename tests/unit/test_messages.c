/* Library text names options fields, never command-line flags (issue 13):
 * a C caller set o.event_study, not --event-study. An error about one option
 * names it in attrib_error.option ("did.event_study") and in the message as
 * "struct.field"; warnings stored in results do the same. The CLI maps the
 * fields to flags (src/cli/cli_common.c); scripts/check-layers.sh keeps flag
 * literals out of the library's sources. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void assert_no_flag(const char *text) {
  if (strstr(text, "--")) fail_msg("names a flag: %s", text);
}

static void two_by_two(attrib_did_options *o) {
  attrib_did_options_init(o);
  o->outcome = "y";
  o->treat = "treat";
  o->post = "post";
}

/* options that only a panel or the Callaway-Sant'Anna estimator takes, on a 2x2 design */
static void test_did_check_names_fields(void **state) {
  (void)state;
  attrib_did_options o;
  attrib_error err;

  two_by_two(&o);
  o.event_study = 1;
  attrib_error_clear(&err);
  assert_int_not_equal(attrib_did_check(&o, &err), ATTRIB_OK);
  assert_non_null(err.option);
  assert_string_equal(err.option, "did.event_study");
  assert_no_flag(err.message);
  assert_non_null(strstr(err.message, "did.event_study"));

  two_by_two(&o);
  o.control_notyet = 1;
  attrib_error_clear(&err);
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL);
  assert_no_flag(err.message);
  assert_non_null(strstr(err.message, "did.control_notyet"));

  two_by_two(&o);
  o.bootstrap = 5;
  attrib_error_clear(&err);
  assert_int_not_equal(attrib_did_check(&o, &err), ATTRIB_OK);
  assert_string_equal(err.option, "did.bootstrap");
  assert_no_flag(err.message);
}

static void test_psm_check_names_fields(void **state) {
  (void)state;
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.treat = "t";
  o.outcome = "y";
  o.covariates = "x";
  o.method = ATTRIB_PSM_IPW;
  o.estimand = ATTRIB_ESTIMAND_ATC;
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_not_equal(attrib_psm_check(&o, &err), ATTRIB_OK);
  assert_non_null(err.option);
  assert_string_equal(err.option, "psm.method");
  assert_no_flag(err.message);
  assert_non_null(strstr(err.message, "psm.method ipw"));
}

/* a fixed-effect solver stopped by its cap: the warning names the fields to change */
static void test_ols_fe_warning_names_fields(void **state) {
  (void)state;
  char csv[20000];
  size_t n = (size_t)snprintf(csv, sizeof csv, "y,x,u,p\n");
  for (int u = 0; u < 30; u++)
    for (int p = 0; p < 6; p++) {
      if ((u * 7 + p * 3) % 5 == 0) continue; /* unbalanced: the alternating projections need sweeps */
      double x = 0.3 * u + sin(u * 1.7 + p), y = 1.5 * x + 0.2 * u - 0.1 * p * p + cos(u + 2.0 * p);
      n += (size_t)snprintf(csv + n, sizeof csv - n, "%.6f,%.6f,%d,%d\n", y, x, u, p);
    }
  attrib_table *t = test_table(csv);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.drop_singletons = 0;
  o.fe_max_iter = 1;
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ols_fit_formula(t, "y ~ x | u + p", NULL, &o, &d, &r, &err), ATTRIB_OK, &err);
  assert_false(r->fe_converged);
  assert_true(r->n_warnings >= 1);
  int named = 0;
  for (size_t i = 0; i < r->n_warnings; i++) {
    assert_no_flag(r->warnings[i]);
    named |= strstr(r->warnings[i], "ols.fe_max_iter") != NULL;
  }
  assert_true(named);
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_did_check_names_fields),
      cmocka_unit_test(test_psm_check_names_fields),
      cmocka_unit_test(test_ols_fe_warning_names_fields),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
