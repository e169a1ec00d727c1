/* E-values (src/sensitivity/evalue.c) and the sensitivity writers
 * (src/output/report_sensitivity.c). The E-value of a risk ratio RR >= 1 is
 * RR + sqrt(RR (RR - 1)) (VanderWeele & Ding 2017, eq. 1): RR 3.9 gives
 * 7.26303..., and the E-value to bring it down to a break-even ratio of 1.5
 * is that of 3.9 / 1.5 = 2.6, 4.63961... (by hand, and printed by the EValue
 * R package to its precision). The writers compute nothing: what they are
 * given is what they print. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double evalue_of(double rr) { return rr + sqrt(rr * (rr - 1.0)); }

static void test_breakeven(void **state) {
  (void)state;
  attrib_evalue e;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_evalue_compute(3.9, 1.8, 8.7, ATTRIB_EVALUE_RR, 0, &e, &err), ATTRIB_OK, &err);
  assert_rel_close(e.evalue_estimate, evalue_of(3.9), 1e-15, "E-value of RR 3.9");
  double be = 0;
  assert_status(attrib_evalue_breakeven(&e, 1.5, ATTRIB_EVALUE_RR, 0, &be, &err), ATTRIB_OK, &err);
  assert_rel_close(be, evalue_of(3.9 / 1.5), 1e-15, "E-value to RR 1.5");
  assert_rel_close(be, attrib_evalue_to(e.rr, 1.5), 0, "as attrib_evalue_to");
  /* a target at or beyond the estimate needs no confounding */
  assert_status(attrib_evalue_breakeven(&e, 4.5, ATTRIB_EVALUE_RR, 0, &be, &err), ATTRIB_OK, &err);
  assert_true(be == 1.0);
  /* on the SMD scale the target is converted as the estimate was: RR = exp(0.91 d) */
  assert_status(attrib_evalue_compute(0.8, NAN, NAN, ATTRIB_EVALUE_SMD, 0, &e, &err), ATTRIB_OK, &err);
  assert_status(attrib_evalue_breakeven(&e, 0.3, ATTRIB_EVALUE_SMD, 0, &be, &err), ATTRIB_OK, &err);
  assert_rel_close(be, evalue_of(exp(0.91 * 0.8) / exp(0.91 * 0.3)), 1e-13, "SMD 0.8 to 0.3");
  /* a ratio target must be positive: the estimate's own error, and NaN */
  assert_int_equal(attrib_evalue_breakeven(&e, -1, ATTRIB_EVALUE_RR, 0, &be, &err), ATTRIB_EINVAL);
  assert_true(isnan(be));
  assert_int_equal(attrib_evalue_breakeven(NULL, 1, ATTRIB_EVALUE_RR, 0, &be, NULL), ATTRIB_EINVAL);
}

/* the writer's output in a memory buffer (a new string) */
static char *written(attrib_status (*write)(FILE *, const void *, attrib_report_format, attrib_error *),
                     const void *x, attrib_report_format fmt) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(write(f, x, fmt, &err), ATTRIB_OK, &err);
  fclose(f);
  return buf;
}

static attrib_status write_evalue(FILE *f, const void *x, attrib_report_format fmt, attrib_error *err) {
  return attrib_report_write_evalue(f, x, 1.5, 4.6396078054371142, fmt, err);
}

static void test_write_evalue(void **state) {
  (void)state;
  attrib_evalue e = {3.9, 1.8, 8.7, 7.2630343441600473, 3.0};
  char *s = written(write_evalue, &e, ATTRIB_FORMAT_TEXT);
  assert_string_equal(s, "E-value (VanderWeele & Ding 2017): risk ratio 3.9 [1.8, 8.7]\n"
                         "E-value for the estimate: 7.26303\n"
                         "E-value for the confidence limit: 3\n"
                         "E-value to bring the estimate down to the break-even 1.5: 4.63961\n"
                         "An unmeasured confounder associated with both treatment and outcome by a risk ratio of 7.26 "
                         "each,\nabove the measured covariates, could explain the estimate away; weaker confounding "
                         "could not.\n");
  free(s);
  s = written(write_evalue, &e, ATTRIB_FORMAT_CSV);
  assert_string_equal(s, "rr,rr_ci_low,rr_ci_high,evalue_estimate,evalue_ci\n"
                         "3.8999999999999999,1.8,8.6999999999999993,7.2630343441600473,3\n");
  free(s);
  s = written(write_evalue, &e, ATTRIB_FORMAT_JSON);
  assert_string_equal(s, "{\n  \"command\": \"sensitivity evalue\",\n  \"rr\": 3.8999999999999999,\n"
                         "  \"rr_ci_low\": 1.8,\n  \"rr_ci_high\": 8.6999999999999993,\n"
                         "  \"evalue_estimate\": 7.2630343441600473,\n  \"evalue_ci\": 3.0,\n"
                         "  \"evalue_breakeven\": 4.6396078054371142\n}\n");
  free(s);
  assert_int_equal(attrib_report_write_evalue(NULL, &e, NAN, NAN, ATTRIB_FORMAT_TEXT, NULL), ATTRIB_EINVAL);
}

static attrib_status write_rosenbaum(FILE *f, const void *x, attrib_report_format fmt, attrib_error *err) {
  return attrib_report_write_rosenbaum(f, x, NAN, NAN, fmt, err);
}

static void test_write_rosenbaum(void **state) {
  (void)state;
  attrib_rosenbaum_row rows[1] = {{1.0, 0.25, 0.25, -1.5, 2.5}};
  attrib_rosenbaum rb = {.n_pairs = 10, .n_zero = 1, .keep_zeros = 0, .n_rows = 1, .rows = rows,
                         .critical_gamma = NAN, .alpha = 0.05, .critical_status = ATTRIB_GAMMA_NOT_SIGNIFICANT,
                         .p_gamma1 = 0.25};
  char *s = written(write_rosenbaum, &rb, ATTRIB_FORMAT_TEXT);
  assert_non_null(strstr(s, "10 pairs (1 zero differences, dropped)"));
  assert_non_null(strstr(s, "No critical Gamma: not significant even without hidden bias (p = 0.25 > 0.05 at Gamma = 1)"));
  free(s);
  s = written(write_rosenbaum, &rb, ATTRIB_FORMAT_JSON);
  assert_non_null(strstr(s, "\"critical_gamma\": null"));
  assert_non_null(strstr(s, "\"significant_at_gamma_1\": false"));
  assert_null(strstr(s, "breakeven_gamma"));
  free(s);
  s = written(write_rosenbaum, &rb, ATTRIB_FORMAT_CSV);
  assert_string_equal(s, "gamma,p_upper,p_lower,hl_lower,hl_upper\n1,0.25,0.25,-1.5,2.5\n");
  free(s);
}

/* a failed specification: its values, then its reason, quoted as CSV needs */
static attrib_status write_spec(FILE *f, const void *x, attrib_report_format fmt, attrib_error *err) {
  const void *const *a = x;
  return attrib_report_write_spec(f, a[0], a[1], a[2], fmt, err);
}

static void test_write_spec(void **state) {
  (void)state;
  const char *covs[] = {"a,b", "a"};
  attrib_spec_dim dims[1] = {{"covariates", covs, covs, 2}};
  attrib_spec_options o;
  attrib_spec_options_init(&o);
  o.dims = dims, o.n_dims = 1;
  attrib_spec_result r[2];
  memset(r, 0, sizeof r);
  r[0].estimate = 2, r[0].std_error = 1, r[0].ci_low = 0.5, r[0].ci_high = 3.5, r[0].p_value = 0.04, r[0].n_used = 7;
  r[1].status = ATTRIB_ENOCOL;
  snprintf(r[1].message, sizeof r[1].message, "no column \"a\"");
  attrib_spec_summary *sum = NULL;
  assert_status(attrib_spec_summarize(r, 2, &sum, NULL), ATTRIB_OK, NULL);
  const void *args[3] = {&o, r, sum};
  char *s = written(write_spec, args, ATTRIB_FORMAT_CSV);
  assert_string_equal(s, "covariates,estimate,std_error,ci_low,ci_high,p_value,n_used,error\n"
                         "\"a,b\",2,1,0.5,3.5,0.040000000000000001,7,\n"
                         "a,,,,,,,\"no column \"\"a\"\"\"\n");
  free(s);
  s = written(write_spec, args, ATTRIB_FORMAT_TEXT);
  assert_non_null(strstr(s, "Specification curve: 2 specifications, 1 failed\n"));
  assert_non_null(strstr(s, "  1 x no column \"a\" (first: covariates=a)\n"));
  free(s);
  s = written(write_spec, args, ATTRIB_FORMAT_JSON);
  assert_non_null(strstr(s, "\"error\": \"no column \\\"a\\\"\""));
  assert_non_null(strstr(s, "\"status\": \"ATTRIB_ENOCOL\""));
  free(s);
  attrib_spec_summary_free(sum);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_breakeven), cmocka_unit_test(test_write_evalue),
                                     cmocka_unit_test(test_write_rosenbaum), cmocka_unit_test(test_write_spec)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
