/* Issue 15: wrong results with exit 0 that are now diagnoses. A numeric
 * column re-typed by a few text cells, a constant outcome and one scaled to
 * 1e300 gave an 8-level factor, NaN t values, a NaN R2 and inf standard
 * errors; each is now an error naming the column (and the cells). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* n rows: y = 1 + 2x + small noise, x = 0..n-1, t = 0/1 alternating; the
 * text cells (NULL-terminated) replace x at the given rows */
static char *make_csv(size_t n, const size_t *text_rows, const char *const *texts, double yscale, int ycst) {
  size_t cap = n * 64 + 64, len = 0;
  char *b = malloc(cap);
  len += (size_t)sprintf(b, "y,x,t,u\n");
  for (size_t i = 0; i < n; i++) {
    char xs[32];
    snprintf(xs, sizeof xs, "%zu", i);
    for (size_t k = 0; texts && texts[k]; k++)
      if (text_rows[k] == i) snprintf(xs, sizeof xs, "%s", texts[k]);
    double y = ycst ? 5.0 : (1.0 + 2.0 * (double)i + 0.1 * (double)((i * 7) % 5)) * yscale;
    len += (size_t)sprintf(b + len, "%.17g,%s,%zu,%.3f\n", y, xs, i % 2, (double)((i * 13) % 17));
  }
  return b;
}

static attrib_status fit(const attrib_table *t, const char *formula, attrib_error *err) {
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_error_clear(err);
  attrib_status s = attrib_ols_fit_formula(t, formula, NULL, NULL, &d, &r, err);
  attrib_ols_result_free(r);
  attrib_design_free(d);
  return s;
}

static void expect(attrib_status s, attrib_status want, const attrib_error *err, const char *part) {
  assert_status(s, want, err);
  if (part && !strstr(err->message, part)) fail_msg("message '%s' lacks '%s'", err->message, part);
}

static void test_near_numeric_regressor(void **state) {
  (void)state;
  const size_t rows[] = {12, 200, 400};
  const char *const texts[] = {"n.a.", "#REF!", "n.a.", NULL};
  char *csv = make_csv(1000, rows, texts, 1.0, 0);
  attrib_table *t = test_table(csv);
  free(csv);
  assert_int_equal(t->cols[1].type, ATTRIB_COLUMN_CATEGORICAL);
  attrib_error err;
  /* silently an 997-level factor before */
  expect(fit(t, "y ~ x + t", &err), ATTRIB_ETYPE, &err,
         "test.csv: column 'x' is 99.7% numeric; not numbers: 'n.a.' (line 14), '#REF!' (line 202) and 1 more cell; "
         "a term of the model needs numbers: if they are missing-value codes, list them with csv.na (or write factor(x) to use it "
         "as categorical)");
  assert_int_equal(err.offset, 4); /* the caret under x */
  expect(fit(t, "y ~ t + x:t", &err), ATTRIB_ETYPE, &err, "column 'x' is 99.7% numeric");
  /* asked for as a factor: allowed */
  expect(fit(t, "y ~ factor(x) + t", &err), ATTRIB_OK, &err, NULL);
  /* as the outcome: the same facts */
  expect(fit(t, "x ~ t", &err), ATTRIB_ETYPE, &err,
         "the outcome 'x' must be numeric, but column 'x' is 99.7% numeric; not numbers: 'n.a.' (line 14)");
  /* psm covariates go through the same design */
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.treat = "t";
  o.outcome = "y";
  o.covariates = "x + u";
  attrib_psm_result *pr = NULL;
  attrib_error_clear(&err);
  expect(attrib_psm_fit(t, &o, &pr, &err), ATTRIB_ETYPE, &err, "column 'x' is 99.7% numeric");
  assert_null(pr);
  attrib_table_free(t);
}

static void test_degenerate_outcomes(void **state) {
  (void)state;
  attrib_error err;
  char *csv = make_csv(500, NULL, NULL, 1.0, 1);
  attrib_table *t = test_table(csv);
  free(csv);
  expect(fit(t, "y ~ x + t", &err), ATTRIB_EDESIGN, &err,
         "test.csv: the outcome 'y' is constant (5 in all 500 rows used): there is no variation to explain");
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.treat = "t";
  o.outcome = "y";
  o.covariates = "x + u";
  attrib_psm_result *pr = NULL;
  attrib_error_clear(&err);
  expect(attrib_psm_fit(t, &o, &pr, &err), ATTRIB_EDESIGN, &err, "the outcome 'y' is constant");
  attrib_table_free(t);

  csv = make_csv(500, NULL, NULL, 1e300, 0);
  t = test_table(csv);
  free(csv);
  expect(fit(t, "y ~ x + t", &err), ATTRIB_ENUMERIC, &err,
         "the outcome 'y' reaches 9.99e+302; its squares overflow double precision");
  attrib_error_clear(&err);
  expect(attrib_psm_fit(t, &o, &pr, &err), ATTRIB_ENUMERIC, &err, "the outcome 'y' reaches");
  attrib_table_free(t);

  /* the other way: 1e-300 squares to 0 (SE 0, t and R2 NaN with exit 0
   * before); 1e-100 still works */
  csv = make_csv(500, NULL, NULL, 1e-300, 0);
  t = test_table(csv);
  free(csv);
  expect(fit(t, "y ~ x + t", &err), ATTRIB_ENUMERIC, &err,
         "the outcome 'y' is at most 9.99e-298 in magnitude; its squares underflow double precision, so no "
         "standard error can be computed: rescale it (e.g. multiply by 1e298)");
  attrib_error_clear(&err);
  expect(attrib_psm_fit(t, &o, &pr, &err), ATTRIB_ENUMERIC, &err, "its squares underflow");
  attrib_table_free(t);
  csv = make_csv(500, NULL, NULL, 1e-100, 0);
  t = test_table(csv);
  free(csv);
  expect(fit(t, "y ~ x + t", &err), ATTRIB_OK, &err, NULL);
  attrib_table_free(t);

  /* 1e140 is fine: its squares stay finite, and OLS is scale-equivariant:
   * the slope is 2e140 to rounding (Wampler-style scaling check) */
  csv = make_csv(500, NULL, NULL, 1e140, 0);
  t = test_table(csv);
  free(csv);
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_error_clear(&err);
  assert_status(attrib_ols_fit_formula(t, "y ~ x", NULL, NULL, &d, &r, &err), ATTRIB_OK, &err);
  assert_rel_close(r->coef.estimate[1], 2e140, 1e-4, "slope at 1e140");
  assert_true(isfinite(r->coef.std_error[1]) && isfinite(r->r_squared));
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_table_free(t);
}

/* A long name and long cells: the message keeps every part, each cut
 * visibly (the name was cut mid-way in a 400-byte buffer, and with it the
 * share and the cells; a cell was cut at 64 bytes as if whole, possibly
 * inside a character). */
static void test_near_numeric_long_text(void **state) {
  (void)state;
  size_t n = 300, cap = 100000, len = 0;
  char *b = malloc(cap), name[451];
  memset(name, 'a', 450);
  name[450] = '\0';
  len += (size_t)sprintf(b, "y,%s\n", name);
  for (size_t i = 0; i < n; i++) len += (size_t)sprintf(b + len, "%zu,%zu\n", i, i % 7);
  len += (size_t)sprintf(b + len, "1,n/a_");
  for (int i = 0; i < 150; i++) b[len++] = 'z';
  len += (size_t)sprintf(b + len, "\n2,");
  for (int i = 0; i < 40; i++) len += (size_t)sprintf(b + len, "x\xc3\xa9"); /* x and e-acute */
  sprintf(b + len, "\n");
  attrib_table *t = test_table(b);
  free(b);
  attrib_error err;
  char formula[600];
  snprintf(formula, sizeof formula, "y ~ %s", name);
  expect(fit(t, formula, &err), ATTRIB_ETYPE, &err,
         "...(450 bytes in all)...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is 99.3% numeric; not numbers: 'n/a_zzzz");
  assert_non_null(strstr(err.message, "zzzz...(154 bytes in all)' (line 302), 'x\xc3\xa9x"));
  assert_non_null(strstr(err.message, "\xc3\xa9x...(120 bytes in all)' (line 303); a term of the model needs numbers"));
  assert_null(strstr(err.message, "\\x")); /* no character split into escapes */
  char small[40];
  attrib_column_near_numeric_text(&t->cols[1], small, sizeof small);
  assert_int_equal(strlen(small), 39); /* cut at 36 bytes, then "..." and the NUL */
  assert_string_equal(small + 36, "...");
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_near_numeric_regressor),
      cmocka_unit_test(test_degenerate_outcomes),
      cmocka_unit_test(test_near_numeric_long_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
