/*
 * OLS from sufficient statistics (attrib_ols_stats_read, _merge, _solve,
 * attrib_ols_from_stats; docs/scale.md "Feeding the result back") against
 * R: tests/reference/ols_stats/make_ols_stats_reference.R wrote the sums of
 * two parts of datasets/learners_sample.csv in attrib's statistics format,
 * as a distributed engine would, and lm() + sandwich's numbers for the whole
 * file. Tolerance 1e-9 relative: R writes 17 digits; the normal equations'
 * Cholesky and lm's QR differ by cond(X'X) x eps (~1e-12 here).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/ols.h>
#include <attrib/report.h>
#include "test_support.h"

#define TOL 1e-9
#define DIR "tests/reference/ols_stats/"

static attrib_ols_stats *read_stats(const char *rel) {
  char *path = test_source_path(rel);
  attrib_ols_stats *s = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ols_stats_read(path, &s, &err), ATTRIB_OK, &err);
  free(path);
  return s;
}

/* the two parts of one round, merged */
static attrib_ols_stats *merged(const char *a, const char *b) {
  attrib_ols_stats *pa = read_stats(a), *pb = read_stats(b), *m = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ols_stats_merge(&m, pa, &err), ATTRIB_OK, &err);
  assert_status(attrib_ols_stats_merge(&m, pb, &err), ATTRIB_OK, &err);
  assert_int_equal(m->parts, 2);
  assert_true(m->n == pa->n + pb->n);
  attrib_ols_stats_free(pa);
  attrib_ols_stats_free(pb);
  return m;
}

/* estimates and the SEs of column se_col against R's, and rss, R2 */
static void check_fit(const attrib_ols_result *r, const char *se_col) {
  attrib_table *e = test_load(DIR "expected.csv");
  attrib_table *ef = test_load(DIR "expected_fit.csv");
  assert_int_equal(r->coef.k, e->n_rows);
  for (size_t j = 0; j < r->coef.k; j++) {
    const char *cols[] = {"term"}, *vals[] = {r->coef.term[j]};
    long row = test_find_row(e, cols, vals, 1, 0);
    assert_true(row >= 0);
    assert_rel_close(r->coef.estimate[j], test_value(e, "estimate", row), TOL, r->coef.term[j]);
    assert_rel_close(r->coef.std_error[j], test_value(e, se_col, row), TOL, r->coef.term[j]);
  }
  const char *cols[] = {"statistic"}, *rss[] = {"rss"}, *r2[] = {"r_squared"}, *n[] = {"n"};
  assert_rel_close(r->rss, test_value(ef, "value", test_find_row(ef, cols, rss, 1, 0)), TOL, "rss");
  assert_rel_close(r->r_squared, test_value(ef, "value", test_find_row(ef, cols, r2, 1, 0)), TOL, "r_squared");
  assert_int_equal(r->n_obs, (size_t)test_value(ef, "value", test_find_row(ef, cols, n, 1, 0)));
  attrib_table_free(e);
  attrib_table_free(ef);
}

static void test_round1_iid(void **state) {
  (void)state;
  attrib_ols_stats *m = merged(DIR "round1_a.json", DIR "round1_b.json");
  /* each part's cluster meat is at its own coefficients: not addable */
  assert_true(m->meat_dropped);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ols_from_stats(m, &o, &r, &err), ATTRIB_OK, &err);
  check_fit(r, "se_iid");
  attrib_ols_result_free(r);
  o.vcov = ATTRIB_VCOV_CLUSTER;
  assert_int_equal(attrib_ols_from_stats(m, &o, &r, &err), ATTRIB_EDESIGN);
  assert_null(r);
  assert_non_null(strstr(err.message, "different coefficients"));
  attrib_ols_stats_free(m);
}

static void test_round2(void **state) {
  (void)state;
  static const struct {
    const char *a, *b, *se;
    attrib_vcov_type vcov;
  } rounds[] = {{DIR "round2_hc1_a.json", DIR "round2_hc1_b.json", "se_hc1", ATTRIB_VCOV_HC1},
                {DIR "round2_cr1_a.json", DIR "round2_cr1_b.json", "se_cr1", ATTRIB_VCOV_CLUSTER}};
  for (size_t i = 0; i < 2; i++) {
    attrib_ols_stats *m = merged(rounds[i].a, rounds[i].b);
    assert_false(m->meat_dropped);
    attrib_ols_options o;
    attrib_ols_options_init(&o);
    o.vcov = rounds[i].vcov;
    o.treat = "trained";
    attrib_ols_result *r = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_ols_from_stats(m, &o, &r, &err), ATTRIB_OK, &err);
    check_fit(r, rounds[i].se);
    assert_int_equal(r->effect_index, 1);
    assert_rel_close(r->effect.std_error, r->coef.std_error[1], 0, "effect");
    if (o.vcov == ATTRIB_VCOV_CLUSTER) {
      assert_int_equal(r->n_clusters[0], 80);
      assert_rel_close(r->df_inference, 79, 0, "df");
      int said = 0; /* merged clusters are assumed not to cross parts, and it says so */
      for (size_t w = 0; w < r->n_warnings; w++) said |= strstr(r->warnings[w], "each cluster lies in one part") != NULL;
      assert_true(said);
    }
    /* iid from the same round-2 sums */
    attrib_ols_result_free(r);
    o.vcov = ATTRIB_VCOV_IID;
    assert_status(attrib_ols_from_stats(m, &o, &r, &err), ATTRIB_OK, &err);
    check_fit(r, "se_iid");
    attrib_ols_result_free(r);
    attrib_ols_stats_free(m);
  }
}

/* the merged statistics written and read back finish to the same bits;
 * solve moves them to the merged solution */
static void test_write_read_solve(void **state) {
  (void)state;
  attrib_ols_stats *m = merged(DIR "round1_a.json", DIR "round1_b.json"), *back = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ols_stats_solve(m, 1e-10, &err), ATTRIB_OK, &err);
  char path[] = "/tmp/attrib-test-stats-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *fp = fdopen(fd, "w");
  assert_status(attrib_report_write_ols_stats(fp, m, &err), ATTRIB_OK, &err);
  fclose(fp);
  assert_status(attrib_ols_stats_read(path, &back, &err), ATTRIB_OK, &err);
  remove(path);
  assert_int_equal(back->parts, 2);
  assert_true(back->meat_dropped);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  attrib_ols_result *r1 = NULL, *r2 = NULL;
  assert_status(attrib_ols_from_stats(m, &o, &r1, &err), ATTRIB_OK, &err);
  assert_status(attrib_ols_from_stats(back, &o, &r2, &err), ATTRIB_OK, &err);
  for (size_t j = 0; j < r1->coef.k; j++) {
    assert_true(r1->coef.estimate[j] == r2->coef.estimate[j]);
    assert_true(r1->coef.std_error[j] == r2->coef.std_error[j]);
    assert_true(back->coefficients[j] == r1->coef.estimate[j]); /* the solution's coefficients */
  }
  assert_rel_close(back->rss, r1->rss, 1e-13, "rss at the solution");
  check_fit(r2, "se_iid");
  attrib_ols_result_free(r1);
  attrib_ols_result_free(r2);
  attrib_ols_stats_free(back);
  attrib_ols_stats_free(m);
}

/* a file with text in place of a number, a wrong length, ...: one message
 * naming the file and the key */
static void test_bad_files(void **state) {
  (void)state;
  static const struct {
    const char *json, *want;
  } cases[] = {
      {"[1]", "not a JSON object"},
      {"{\"attrib_stats\": 2}", "\"attrib_stats\" must be 1"},
      {"{\"attrib_stats\": 1, \"model\": \"logit\"}", "\"model\" must be \"ols\""},
      {"{\"attrib_stats\": 1, \"model\": \"ols\", \"outcome\": \"y\", \"intercept\": true, \"terms\": [\"a\", \"b\"],"
       " \"n_input\": 3, \"n\": 3, \"sum_y\": 1, \"xtx\": [1, 2], \"xty\": [1, 2]}",
       "\"xtx\" has 2 numbers, expected 3"},
      {"{\"attrib_stats\": 1, \"model\": \"ols\", \"outcome\": \"y\", \"intercept\": true, \"terms\": [\"a\"],"
       " \"n_input\": 3, \"n\": 3, \"sum_y\": \"1\", \"xtx\": [1], \"xty\": [1]}",
       "\"sum_y\" must be a number"},
      {"{\"attrib_stats\": 1, \"model\": \"ols\", \"outcome\": \"y\", \"intercept\": true, \"terms\": [\"a\"],"
       " \"n_input\": 3, \"n\": 2.5, \"sum_y\": 1, \"xtx\": [1], \"xty\": [1]}",
       "\"n\" must be a whole number"},
      {"{\"attrib_stats\": 1, \"model\": \"ols\", \"outcome\": \"y\", \"intercept\": true, \"terms\": [\"a\"],"
       " \"n_input\": 3, \"n\": 3, \"sum_y\": 1, \"xtx\": [null], \"xty\": [1]}",
       "\"xtx\" item 1 must be a finite number"},
      {"{\"attrib_stats\": 1, \"model\": \"ols\", \"outcome\": \"y\", \"intercept\": true, \"terms\": [\"a\"],"
       " \"n_input\": 3, \"n\": 3, \"sum_y\": 1, \"xtx\": [1], \"xty\": [1], \"residuals\": {\"vcov\": \"hc3\"}}",
       "\"vcov\" must be \"iid\", \"hc1\" or \"cluster\""},
      {"{\"attrib_stats\": 1, \"attrib_stats\": 1}", "duplicate"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char path[] = "/tmp/attrib-test-stats-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(cases[i].json, fp);
    fclose(fp);
    attrib_ols_stats *s = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_int_equal(attrib_ols_stats_read(path, &s, &err), ATTRIB_EPARSE);
    remove(path);
    assert_null(s);
    if (!strstr(err.message, cases[i].want) || !strstr(err.message, "/tmp/attrib-test-stats-"))
      fail_msg("case %zu: '%s' does not say '%s' with the file's name", i, err.message, cases[i].want);
  }
}

/* parts of different models do not merge; one part without the other's
 * terms names the difference */
static void test_merge_mismatch(void **state) {
  (void)state;
  attrib_ols_stats *a = read_stats(DIR "round1_a.json"), *b = read_stats(DIR "round1_b.json"), *m = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib__free(b->terms[2]);
  b->terms[2] = attrib__strdup("tenure_years");
  assert_status(attrib_ols_stats_merge(&m, a, &err), ATTRIB_OK, &err);
  assert_int_equal(attrib_ols_stats_merge(&m, b, &err), ATTRIB_EDESIGN);
  assert_non_null(strstr(err.message, "term 3 differs: 'tenure' and 'tenure_years'"));
  attrib_ols_stats_free(a);
  attrib_ols_stats_free(b);
  attrib_ols_stats_free(m);
}

/* every allocation of read, merge and finish failed in turn: ENOMEM, no
 * result, no leak (the sanitizer build) */
static void test_out_of_memory(void **state) {
  (void)state;
  char *pa = test_source_path(DIR "round2_cr1_a.json"), *pb = test_source_path(DIR "round2_cr1_b.json");
  int done = 0;
  for (long k = 1; k < 1000 && !done; k++) {
    attrib_ols_stats *a = NULL, *b = NULL, *m = NULL;
    attrib_ols_result *r = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    attrib_ols_options o;
    attrib_ols_options_init(&o);
    o.vcov = ATTRIB_VCOV_CLUSTER;
    o.treat = "trained";
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_ols_stats_read(pa, &a, &err);
    if (!s) s = attrib_ols_stats_read(pb, &b, &err);
    if (!s) s = attrib_ols_stats_merge(&m, a, &err);
    if (!s) s = attrib_ols_stats_merge(&m, b, &err);
    if (!s) s = attrib_ols_stats_solve(m, 1e-10, &err); /* keeps the meat: it is at the solution */
    if (!s) s = attrib_ols_from_stats(m, &o, &r, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) done = 1;
    else {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(r);
    }
    attrib_ols_result_free(r);
    attrib_ols_stats_free(a);
    attrib_ols_stats_free(b);
    attrib_ols_stats_free(m);
  }
  assert_true(done);
  free(pa);
  free(pb);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round1_iid),      cmocka_unit_test(test_round2),
      cmocka_unit_test(test_write_read_solve), cmocka_unit_test(test_bad_files),
      cmocka_unit_test(test_merge_mismatch),  cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
