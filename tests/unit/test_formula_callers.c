/* Every estimator builds its model from terms, not from text pasted
 * together and parsed again (issue 12, defect 5): a propensity model of 120
 * covariates lost 35 of them to a 512-byte buffer (exit 0), 400 ended in
 * "no column 'x'", analyze refused 200 terms ("--covariates is too long"),
 * and column names with spaces could not be given to any flag. Each test
 * fits the same model written as one formula and compares. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include <attrib/report.h>

/* xorshift64*: the data only has to be fixed, not good */
static double unif(uint64_t *s) {
  *s ^= *s >> 12, *s ^= *s << 25, *s ^= *s >> 27;
  return ((double)((*s * 2685821657736338717ull) >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(uint64_t *s) { return sqrt(-2.0 * log(unif(s))) * cos(6.283185307179586 * unif(s)); }

/* n rows: treat (0/1, from the first three covariates), y, and the p
 * covariates named names[0..p). */
static attrib_table *wide_table(size_t n, size_t p, char **names, uint64_t seed) {
  attrib__sbuf b = {0};
  attrib__sbuf_add(&b, "treat,y", 7);
  for (size_t j = 0; j < p; j++) attrib__sbuf_addf(&b, ",\"%s\"", names[j]);
  attrib__sbuf_add(&b, "\n", 1);
  double *x = malloc(p * sizeof *x);
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < p; j++) x[j] = normal(&seed);
    double z = 0.5 * x[0] - 0.4 * x[1] + (p > 2 ? 0.3 * x[2] : 0.0);
    int t = unif(&seed) < 1.0 / (1.0 + exp(-z));
    double y = 2.0 * t + x[0] + 0.5 * x[1] + normal(&seed);
    attrib__sbuf_addf(&b, "%d,%.6g", t, y);
    for (size_t j = 0; j < p; j++) attrib__sbuf_addf(&b, ",%.5g", x[j]);
    attrib__sbuf_add(&b, "\n", 1);
  }
  free(x);
  assert_false(b.failed);
  attrib_table *t = test_table(b.s);
  attrib__sbuf_free(&b);
  return t;
}

static char **short_names(size_t p, const char *fmt) {
  char **names = calloc(p, sizeof *names);
  for (size_t j = 0; j < p; j++) {
    names[j] = malloc(64);
    snprintf(names[j], 64, fmt, j);
  }
  return names;
}

static void names_free(char **names, size_t p) {
  for (size_t j = 0; j < p; j++) free(names[j]);
  free(names);
}

/* "a + b + ..." with the names backquoted (written by hand, as a user would) */
static char *rhs_text(char **names, size_t p) {
  attrib__sbuf b = {0};
  for (size_t j = 0; j < p; j++) attrib__sbuf_addf(&b, "%s`%s`", j ? " + " : "", names[j]);
  assert_false(b.failed);
  return b.s;
}

static attrib_formula *rhs_built(char **names, size_t p) {
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_new(NULL, &f, &err), ATTRIB_OK, &err);
  for (size_t j = 0; j < p; j++) assert_status(attrib_formula_add_column(f, names[j], 0, &err), ATTRIB_OK, &err);
  return f;
}

/* The logit of "treat ~ <the covariates>" parsed from one formula. */
static attrib_logit_result *logit_of_text(const attrib_table *t, const char *rhs) {
  attrib__sbuf b = {0};
  attrib__sbuf_addf(&b, "treat ~ %s", rhs);
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  attrib_logit_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse(b.s, &f, &err), ATTRIB_OK, &err);
  assert_status(attrib_design_build(t, f, NULL, &d, &err), ATTRIB_OK, &err);
  attrib_logit_options lo;
  attrib_logit_options_init(&lo);
  assert_status(attrib_logit_fit(d, &lo, &r, &err), ATTRIB_OK, &err);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib__sbuf_free(&b);
  return r;
}

static void psm_uses_all(size_t p, const char *fmt) {
  char **names = short_names(p, fmt);
  attrib_table *t = wide_table(p > 200 ? 3000 : 1500, p, names, 12345 + p);
  char *rhs = rhs_text(names, p);
  attrib_formula *built = rhs_built(names, p);
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.treat = "treat", o.outcome = "y", o.replace = 1;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_psm_result *a = NULL, *b = NULL;
  o.covariates = rhs;
  assert_status(attrib_psm_fit(t, &o, &a, &err), ATTRIB_OK, &err);
  o.covariates = NULL, o.covariate_terms = built;
  assert_status(attrib_psm_fit(t, &o, &b, &err), ATTRIB_OK, &err);
  /* every covariate is in the score model, as in the formula written out */
  attrib_logit_result *ref = logit_of_text(t, rhs);
  assert_int_equal(ref->coef.k, p + 1);
  assert_int_equal(a->ps_model->coef.k, p + 1);
  assert_int_equal(b->ps_model->coef.k, p + 1);
  for (size_t j = 0; j <= p; j++) {
    assert_string_equal(a->ps_model->coef.term[j], ref->coef.term[j]);
    assert_rel_close(a->ps_model->coef.estimate[j], ref->coef.estimate[j], 1e-12, ref->coef.term[j]);
    assert_true(a->ps_model->coef.estimate[j] == b->ps_model->coef.estimate[j]);
  }
  /* the same matches and estimate from the text and from the terms */
  assert_true(isfinite(a->effect.estimate));
  assert_true(a->effect.estimate == b->effect.estimate);
  assert_true(a->effect.std_error == b->effect.std_error);
  attrib_logit_result_free(ref);
  attrib_psm_result_free(a);
  attrib_psm_result_free(b);
  attrib_formula_free(built);
  attrib__free(rhs);
  attrib_table_free(t);
  names_free(names, p);
}

/* 120 covariates: main kept 85 of them (the formula cut at 511 bytes). */
static void test_psm_120_covariates(void **state) {
  (void)state;
  psm_uses_all(120, "x%zu");
}

/* 400 covariates: main failed with "no column" (cut text) and, written as
 * one formula, with "more than 256 distinct variables". */
static void test_psm_400_covariates(void **state) {
  (void)state;
  psm_uses_all(400, "covariate_%03zu");
}

/* Column names of about 1,000 bytes with spaces and accents, given as
 * names: the score model's terms carry them whole. */
static void test_psm_long_names(void **state) {
  (void)state;
  size_t p = 3;
  char **names = calloc(p, sizeof *names);
  for (size_t j = 0; j < p; j++) {
    names[j] = malloc(1010);
    for (int c = 0; c < 1000; c += 10) memcpy(names[j] + c, "Sales (€) ", 10); /* € is 3 bytes */
    snprintf(names[j] + 1000, 10, "%zu", j);
  }
  attrib_table *t = wide_table(800, p, names, 99);
  attrib_formula *built = rhs_built(names, p);
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.treat = "treat", o.outcome = "y", o.covariate_terms = built;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_psm_result *r = NULL;
  assert_status(attrib_psm_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->ps_model->coef.k, p + 1);
  for (size_t j = 0; j < p; j++) assert_string_equal(r->ps_model->coef.term[j + 1], names[j]);
  char *rhs = rhs_text(names, p);
  attrib_logit_result *ref = logit_of_text(t, rhs);
  for (size_t j = 0; j <= p; j++) assert_true(r->ps_model->coef.estimate[j] == ref->coef.estimate[j]);
  attrib_logit_result_free(ref);
  attrib__free(rhs);
  attrib_psm_result_free(r);
  attrib_formula_free(built);
  attrib_table_free(t);
  names_free(names, p);
}

static attrib_ols_result *ols_of_text(const attrib_table *t, const char *text, const char *treat,
                                      const char *cluster) {
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.vcov = cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
  oo.treat = treat;
  oo.drop_singletons = 0;
  const char *cl[2] = {cluster, NULL};
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cluster ? cl : NULL;
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ols_fit_formula(t, text, &dopt, &oo, &d, &r, &err), ATTRIB_OK, &err);
  attrib_design_free(d);
  return r;
}

/* analyze with 200 terms: main refused them ("--covariates is too long";
 * its OLS formula lived in a char[2048] too). */
static void test_analyze_200_terms(void **state) {
  (void)state;
  size_t p = 200;
  char **names = short_names(p, "baseline_covariate_%03zu");
  attrib_table *t = wide_table(1500, p, names, 7);
  char *rhs = rhs_text(names, p);
  assert_true(strlen(rhs) > 4096);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "treat", o.covariates = rhs;
  o.methods = ATTRIB_ANALYZE_OLS | ATTRIB_ANALYZE_PSM;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_analyze_result *r = NULL;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->cohort.n_vars, 1 + p); /* the outcome and every covariate described */
  assert_string_equal(r->methods[0].method, "ols");
  assert_int_equal(r->methods[0].status, ATTRIB_OK);
  assert_int_equal(r->methods[1].status, ATTRIB_OK);
  attrib__sbuf text = {0};
  attrib__sbuf_addf(&text, "y ~ treat + %s", rhs);
  attrib_ols_result *ref = ols_of_text(t, text.s, "treat", NULL);
  assert_int_equal(ref->coef.k, p + 2);
  assert_true(r->methods[0].estimate == ref->effect.estimate);
  assert_true(r->methods[0].std_error == ref->effect.std_error);
  /* the same study from terms built from the names */
  attrib_formula *built = rhs_built(names, p);
  o.covariates = NULL, o.covariate_terms = built;
  attrib_analyze_result *r2 = NULL;
  assert_status(attrib_analyze(t, &o, &r2, &err), ATTRIB_OK, &err);
  assert_true(r2->methods[0].estimate == r->methods[0].estimate);
  assert_true(r2->methods[1].estimate == r->methods[1].estimate);
  /* the reports show the covariates as given, or made from the terms when
   * a program gave only terms (o.covariates NULL: the JSON writer used to
   * read it and fail) */
  assert_string_equal(r->covariates, rhs);
  assert_true(strncmp(r2->covariates, "baseline_covariate_000 + baseline_covariate_001 + ", 50) == 0);
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  assert_non_null(mem);
  assert_status(attrib_report_write_analyze(mem, r2, &o, NULL, ATTRIB_FORMAT_JSON, &err), ATTRIB_OK, &err);
  assert_status(attrib_report_write_analyze_html(mem, r2, &o, NULL, &err), ATTRIB_OK, &err);
  fclose(mem);
  assert_non_null(strstr(buf, "\"covariates\": \"baseline_covariate_000 + "));
  assert_non_null(strstr(buf, "<li>Covariates: baseline_covariate_000 + "));
  free(buf);
  attrib_analyze_result_free(r2);
  attrib_formula_free(built);
  attrib_ols_result_free(ref);
  attrib__sbuf_free(&text);
  attrib_analyze_result_free(r);
  attrib__free(rhs);
  attrib_table_free(t);
  names_free(names, p);
}

/* The 2x2 DiD with a treatment, a period and covariates named with spaces
 * and accents (main pasted the names into "y ~ treat * post + ..." and the
 * parser stopped at the space). */
static void test_did_2x2_names_as_written(void **state) {
  (void)state;
  attrib__sbuf b = {0};
  const char *header = "Weekly Sales,Completed Training,après,tenure (years)\n";
  attrib__sbuf_add(&b, header, strlen(header));
  uint64_t seed = 5;
  for (int i = 0; i < 400; i++) {
    int tr = i % 2, post = (i / 2) % 2;
    double x = normal(&seed), y = 1.0 + 0.5 * tr + 0.3 * post + 1.5 * tr * post + 0.8 * x + normal(&seed);
    attrib__sbuf_addf(&b, "%.6g,%d,%d,%.5g\n", y, tr, post, x);
  }
  attrib_table *t = test_table(b.s);
  attrib__sbuf_free(&b);
  attrib_formula *cov = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_new(NULL, &cov, &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_column(cov, "tenure (years)", 0, &err), ATTRIB_OK, &err);
  attrib_did_options o;
  attrib_did_options_init(&o);
  o.outcome = "Weekly Sales", o.treat = "Completed Training", o.post = "après", o.covariate_terms = cov;
  attrib_did_result *r = NULL;
  assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  attrib_ols_result *ref =
      ols_of_text(t, "`Weekly Sales` ~ `Completed Training` * après + `tenure (years)`", "Completed Training:après", NULL);
  assert_true(r->effect.estimate == ref->effect.estimate);
  assert_true(r->effect.std_error == ref->effect.std_error);
  /* the covariates as text give the same */
  attrib_did_result *r2 = NULL;
  o.covariate_terms = NULL, o.covariates = "`tenure (years)`";
  assert_status(attrib_did_fit(t, &o, &r2, &err), ATTRIB_OK, &err);
  assert_true(r2->effect.estimate == r->effect.estimate);
  attrib_did_result_free(r2);
  attrib_ols_result_free(ref);
  attrib_did_result_free(r);
  attrib_formula_free(cov);
  attrib_table_free(t);
}

/* TWFE with a unit and a period column named with spaces, against the
 * fixed-effects regression written out. */
static void test_did_twfe_names_as_written(void **state) {
  (void)state;
  attrib__sbuf b = {0};
  attrib__sbuf_add(&b, "learner id,period no,first period,y\n", 36);
  uint64_t seed = 11;
  for (int u = 0; u < 60; u++) {
    int g = u % 3 == 0 ? 0 : u % 3 == 1 ? 3 : 5;
    double a = normal(&seed);
    for (int p = 1; p <= 6; p++) {
      double y = a + 0.2 * p + (g && p >= g ? 2.0 : 0.0) + normal(&seed);
      attrib__sbuf_addf(&b, "%d,%d,%d,%.6g\n", u + 1, p, g, y);
    }
  }
  attrib_table *t = test_table(b.s);
  attrib__sbuf_free(&b);
  attrib_did_options o;
  attrib_did_options_init(&o);
  o.outcome = "y", o.unit = "learner id", o.time = "period no", o.cohort = "first period";
  o.estimator = ATTRIB_DID_TWFE;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_did_result *r = NULL;
  assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  /* the treated indicator, computed here as did computes it */
  attrib__sbuf c = {0};
  attrib__sbuf_add(&c, "learner id,period no,D,y\n", 25);
  for (size_t i = 0; i < t->n_rows; i++) {
    double g = t->cols[2].values[i], p = t->cols[1].values[i];
    attrib__sbuf_addf(&c, "%.17g,%.17g,%d,%.17g\n", t->cols[0].values[i], p, g > 0 && p >= g, t->cols[3].values[i]);
  }
  attrib_table *t2 = test_table(c.s);
  attrib__sbuf_free(&c);
  attrib_ols_result *ref = ols_of_text(t2, "y ~ D | `learner id` + `period no`", "D", "learner id");
  assert_rel_close(r->effect.estimate, ref->effect.estimate, 1e-12, "twfe estimate");
  assert_rel_close(r->effect.std_error, ref->effect.std_error, 1e-12, "twfe se");
  attrib_ols_result_free(ref);
  attrib_table_free(t2);
  attrib_did_result_free(r);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_psm_120_covariates),
      cmocka_unit_test(test_psm_400_covariates),
      cmocka_unit_test(test_psm_long_names),
      cmocka_unit_test(test_analyze_200_terms),
      cmocka_unit_test(test_did_2x2_names_as_written),
      cmocka_unit_test(test_did_twfe_names_as_written),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
