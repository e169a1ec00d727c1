#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

void test_assert_rel_close(double actual, double expected, double rel_tol, const char *label,
                           const char *file, int line) {
  int ok;
  if (isnan(expected) || isinf(expected))
    ok = (isnan(expected) && isnan(actual)) || actual == expected;
  else if (expected == 0.0)
    ok = fabs(actual) <= rel_tol;
  else
    ok = fabs(actual - expected) <= rel_tol * fabs(expected);
  if (!ok)
    fail_msg("%s:%d: %s: got %.17g, expected %.17g (relative error %.3g, tolerance %.3g)", file, line,
             label, actual, expected, expected != 0 ? fabs(actual - expected) / fabs(expected) : fabs(actual),
             rel_tol);
}

double test_lre(double actual, double expected) {
  double d = fabs(actual - expected);
  if (d == 0.0) return 15.9;
  double lre = expected != 0.0 ? -log10(d / fabs(expected)) : -log10(d);
  return lre > 15.9 ? 15.9 : lre;
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", a, b);
  return p;
}

char *test_source_path(const char *rel) { return join(ATTRIB_SOURCE_DIR, rel); }

attrib_table *test_table(const char *csv) {
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_table_read_csv_buffer(csv, strlen(csv), "test.csv", NULL, &t, &err);
  if (s != ATTRIB_OK) fail_msg("loading the test table failed: %s", err.message);
  return t;
}

void test_assert_status(attrib_status s, attrib_status expected, const attrib_error *err,
                        const char *file, int line) {
  if (s != expected)
    fail_msg("%s:%d: status %s, expected %s: %s", file, line, attrib_status_name(s),
             attrib_status_name(expected), err ? err->message : "");
}

attrib_table *test_load(const char *rel) {
  char *path = test_source_path(rel);
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_table_read_csv(path, NULL, &t, &err);
  free(path);
  if (s != ATTRIB_OK) fail_msg("%s", err.message);
  return t;
}

long test_find_row(const attrib_table *t, const char *const *cols, const char *const *vals, size_t n, size_t start) {
  long idx[8];
  for (size_t k = 0; k < n && k < 8; k++) {
    idx[k] = attrib_table_column_find(t, cols[k]);
    if (idx[k] < 0 || t->cols[idx[k]].type != ATTRIB_COLUMN_CATEGORICAL) fail_msg("reference table: no key column %s", cols[k]);
  }
  for (size_t i = start; i < t->n_rows; i++) {
    size_t k = 0;
    for (; k < n; k++) {
      const attrib_column *c = &t->cols[idx[k]];
      if (c->codes[i] < 0 || strcmp(c->levels[c->codes[i]], vals[k]) != 0) break;
    }
    if (k == n) return (long)i;
  }
  return -1;
}

double test_value(const attrib_table *t, const char *col, long row) {
  long j = attrib_table_column_find(t, col);
  if (j < 0 || row < 0 || (size_t)row >= t->n_rows || t->cols[j].type != ATTRIB_COLUMN_NUMERIC)
    fail_msg("reference table: no numeric %s at row %ld", col, row);
  return t->cols[j].values[row];
}

attrib_table *test_simulated(size_t rows, unsigned long seed, double effect, int panel) {
  attrib_simulate_options so;
  attrib_simulate_options_init(&so);
  so.design = panel ? ATTRIB_SIM_PANEL : ATTRIB_SIM_COHORT;
  so.rows = rows;
  so.seed = seed;
  so.effect = effect;
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  if (!fp) fail_msg("open_memstream failed");
  attrib_error err;
  attrib_error_clear(&err);
  if (attrib_simulate_write(fp, &so, &err) != ATTRIB_OK) fail_msg("%s", err.message);
  fclose(fp);
  attrib_table *t = NULL;
  if (attrib_table_read_csv_buffer(buf, len, "simulated.csv", NULL, &t, &err) != ATTRIB_OK) fail_msg("%s", err.message);
  free(buf);
  return t;
}

void test_analyze_until_complete(const attrib_table *t, const attrib_analyze_options *o, long max_k,
                                 int (*complete)(const attrib_analyze_result *r)) {
  for (long k = 1; k < max_k; k++) {
    attrib_analyze_result *r = NULL;
    attrib_error err;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_analyze(t, o, &r, &err);
    attrib_debug_fail_alloc_after(0);
    if (s != ATTRIB_OK) {
      if (s != ATTRIB_ENOMEM) fail_msg("allocation %ld: %s", k, err.message);
      assert_null(r);
      continue;
    }
    int done = complete(r);
    attrib_analyze_result_free(r);
    if (done) return;
  }
  fail_msg("no run completed in %ld allocation failures", max_k - 1);
}
