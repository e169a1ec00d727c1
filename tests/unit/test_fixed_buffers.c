/* Fixed-size buffers found by the audit of issue 12, defect 5, each of
 * which cut what the user gave (or a number computed from it) without a
 * word: an amount's digits past the 63rd, the overall F test of a model
 * with more than 1,023 slopes, the effect's label past 255 bytes and
 * coefficient names past 40 characters in the text reports. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void test_amount_digits(void **state) {
  (void)state;
  char s[128];
  memset(s, '0', 100);
  s[0] = '1';
  s[100] = 0; /* 1 followed by 99 zeros */
  double v = 0.0;
  assert_status(attrib_roi_amount_parse(s, &v, NULL), ATTRIB_OK, NULL);
  assert_rel_close(v, 1e99, 1e-15, "100-digit amount"); /* main: 1e62 */
  snprintf(s, sizeof s, "%s*2", "1,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000");
  assert_status(attrib_roi_amount_parse(s, &v, NULL), ATTRIB_OK, NULL);
  assert_rel_close(v, 2e60, 1e-15, "a product with separators");
}

static uint64_t rng = 88172645463325252ull;
static double unif(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}

/* y on 1,030 slopes: the F test of all slopes was skipped (q >= 1024),
 * leaving NaN. Against the closed form F = (R2 / q) / ((1 - R2) / df). */
static void test_f_test_of_many_slopes(void **state) {
  (void)state;
  size_t n = 1300, p = 1030;
  attrib__sbuf b = {0};
  attrib__sbuf_add(&b, "y", 1);
  for (size_t j = 0; j < p; j++) attrib__sbuf_addf(&b, ",x%zu", j);
  attrib__sbuf_add(&b, "\n", 1);
  for (size_t i = 0; i < n; i++) {
    double x0 = unif();
    attrib__sbuf_addf(&b, "%.6f", x0 + unif());
    attrib__sbuf_addf(&b, ",%.6f", x0);
    for (size_t j = 1; j < p; j++) attrib__sbuf_addf(&b, ",%.6f", unif());
    attrib__sbuf_add(&b, "\n", 1);
  }
  attrib_table *t = test_table(b.s);
  attrib__sbuf_free(&b);
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_new("y", &f, &err), ATTRIB_OK, &err);
  for (size_t j = 0; j < p; j++) {
    char name[16];
    snprintf(name, sizeof name, "x%zu", j);
    assert_status(attrib_formula_add_column(f, name, 0, &err), ATTRIB_OK, &err);
  }
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  assert_status(attrib_design_build(t, f, NULL, &d, &err), ATTRIB_OK, &err);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.vcov = ATTRIB_VCOV_IID;
  assert_status(attrib_ols_fit(d, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->coef.k, p + 1);
  assert_true(isfinite(r->f_statistic));
  double q = (double)p, df = (double)(n - p - 1);
  assert_rel_close(r->f_statistic, (r->r_squared / q) / ((1.0 - r->r_squared) / df), 1e-7, "F");
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
}

/* The treatment's name of 300 bytes, whole in "Effect of ..." and in the
 * coefficient table. */
static void test_report_long_term(void **state) {
  (void)state;
  char name[301];
  for (int i = 0; i < 300; i++) name[i] = (char)('a' + i % 26);
  name[300] = 0;
  attrib__sbuf b = {0};
  attrib__sbuf_addf(&b, "y,%s\n", name);
  for (int i = 0; i < 40; i++) attrib__sbuf_addf(&b, "%.4f,%d\n", 1.0 + (i % 2) + 0.01 * (i % 7), i % 2);
  attrib_table *t = test_table(b.s);
  attrib__sbuf_free(&b);
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_new("y", &f, &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_column(f, name, 0, &err), ATTRIB_OK, &err);
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  assert_status(attrib_design_build(t, f, NULL, &d, &err), ATTRIB_OK, &err);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.treat = name;
  assert_status(attrib_ols_fit(d, &o, &r, &err), ATTRIB_OK, &err);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  assert_status(attrib_report_write_ols(out, r, NULL, ATTRIB_FORMAT_TEXT, &err), ATTRIB_OK, &err);
  fclose(out);
  char want[320];
  snprintf(want, sizeof want, "Effect of %s", name);
  assert_non_null(strstr(text, want));
  snprintf(want, sizeof want, "\n%s ", name); /* the coefficient row, the name whole */
  assert_non_null(strstr(text, want));
  free(text);
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_amount_digits),
      cmocka_unit_test(test_f_test_of_many_slopes),
      cmocka_unit_test(test_report_long_term),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
