/* Design builder: model matrices against R's model.matrix (fixtures made by
 * tests/reference/design/make_design_reference.R), row accounting,
 * collinearity, errors. Values are copies of the input, so the comparison
 * is exact up to products of two decimals (tolerance 1e-15 relative). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static attrib_design *build(const attrib_table *t, const char *formula, const attrib_design_options *o) {
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  if (attrib_formula_parse(formula, &f, &err) != ATTRIB_OK) fail_msg("%s", err.message);
  attrib_design *d = NULL;
  attrib_status s = attrib_design_build(t, f, o, &d, &err);
  attrib_formula_free(f);
  if (s != ATTRIB_OK) fail_msg("'%s': %s", formula, err.message);
  return d;
}

static void compare_with_r(const attrib_table *data, const char *formula, const char *expected) {
  attrib_design *d = build(data, formula, NULL);
  assert_null(d->X); /* X is generated on demand unless asked for */
  assert_status(attrib_design_materialize(d, NULL), ATTRIB_OK, NULL);
  attrib_table *e = test_load(expected);
  if (d->k != e->n_cols) {
    for (size_t j = 0; j < d->k; j++) print_message("  ours: %s\n", d->names[j]);
    fail_msg("'%s': %zu columns, R has %zu", formula, d->k, e->n_cols);
  }
  assert_int_equal(d->n, e->n_rows);
  for (size_t j = 0; j < d->k; j++) {
    if (strcmp(d->names[j], e->cols[j].name) != 0)
      fail_msg("'%s': column %zu is '%s', R has '%s'", formula, j, d->names[j], e->cols[j].name);
    for (size_t i = 0; i < d->n; i++)
      assert_rel_close(d->X[j * d->n + i], e->cols[j].values[i], 1e-15, d->names[j]);
  }
  attrib_table_free(e);
  attrib_design_free(d);
}

static void test_model_matrices_match_r(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/design/design_small.csv");
  static const char *const f[][2] = {
      {"y ~ x + factor(g)", "f1"},
      {"y ~ 0 + factor(g) + factor(h)", "f2"},
      {"y ~ x * factor(g)", "f3"},
      {"y ~ x:factor(g)", "f4"},
      {"y ~ factor(g):factor(h)", "f5"},
      {"y ~ factor(g) * factor(h)", "f6"},
      {"y ~ x + z + x:z - 1", "f7"},
      {"y ~ g + x", "f8"},
      {"y ~ factor(team) + z", "f9"},
  };
  for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
    char rel[128];
    snprintf(rel, sizeof rel, "tests/reference/design/expected_%s.csv", f[i][1]);
    compare_with_r(t, f[i][0], rel);
  }
  attrib_table_free(t);
}

static void test_row_accounting(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/design/design_small.csv");
  attrib_design_options o;
  attrib_design_options_init(&o);
  o.weights = "w";
  const char *cl[] = {"team", NULL};
  o.cluster = cl;
  attrib_design *d = build(t, "y ~ x + factor(g) | h", &o);
  /* rows 6 (x NA), 10 (g empty), 18 (y NA) missing; row 23 has weight 0 */
  assert_int_equal(d->n_input, 40);
  assert_int_equal(d->n_dropped_missing, 3);
  assert_int_equal(d->n_dropped_weight, 1);
  assert_int_equal(d->n, 36);
  assert_non_null(d->w);
  assert_int_equal(d->n_fe, 1);
  assert_int_equal(d->fe[0].n_levels, 2);
  assert_int_equal(d->n_cluster, 1);
  assert_int_equal(d->cluster[0].n_levels, 4);
  assert_string_equal(d->cluster[0].name, "team");
  for (size_t i = 0; i < d->n; i++) {
    assert_true(d->rows[i] != 5 && d->rows[i] != 9 && d->rows[i] != 17 && d->rows[i] != 22);
    assert_true(d->w[i] > 0);
    assert_true(d->cluster[0].codes[i] >= 0 && d->cluster[0].codes[i] < 4);
  }
  attrib_design_free(d);
  attrib_table_free(t);
}

static void test_collinearity_reported(void **state) {
  (void)state;
  attrib_table *t = test_table(
      "y,a,b,c,k\n1.1,1,2.5,3.5,7\n2.3,2,0.5,2.5,7\n2.9,3,1.5,4.5,7\n4.2,4,3.5,7.5,7\n5.0,5,0.25,5.25,7\n");
  /* c = a + b exactly; k is constant */
  attrib_design *d = build(t, "y ~ a + b + c + k", NULL);
  assert_int_equal(d->k, 5);
  assert_int_equal(d->alias[0], ATTRIB_ALIAS_NONE);
  assert_int_equal(d->alias[1], ATTRIB_ALIAS_NONE);
  assert_int_equal(d->alias[2], ATTRIB_ALIAS_NONE);
  assert_int_equal(d->alias[3], ATTRIB_ALIAS_COLLINEAR);
  assert_int_equal(d->alias[4], ATTRIB_ALIAS_CONSTANT);
  assert_int_equal(d->n_aliased, 2);
  attrib_design_free(d);
  attrib_table_free(t);
}

/* NIST's hardest designs are full rank: the default tolerance must not call
 * them collinear (R's lm with its default tol = 1e-7 drops a Filip column). */
static void test_nist_designs_full_rank(void **state) {
  (void)state;
  static const char *const sets[][2] = {
      {"tests/reference/nist/design/nist_filip.csv", "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10"},
      {"tests/reference/nist/design/nist_wampler5.csv", "y ~ x1 + x2 + x3 + x4 + x5"},
      {"tests/reference/nist/design/nist_longley.csv", "y ~ x1 + x2 + x3 + x4 + x5 + x6"},
  };
  for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
    char *path = test_source_path(sets[i][0]);
    attrib_table *t = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    attrib_status ls = attrib_table_read_csv(path, NULL, &t, &err);
    free(path); /* before failing: fail_msg does not return */
    if (ls != ATTRIB_OK) fail_msg("%s", err.message);
    attrib_design *d = build(t, sets[i][1], NULL);
    if (d->n_aliased) fail_msg("%s: %zu columns called collinear", sets[i][0], d->n_aliased);
    attrib_design_free(d);
    attrib_table_free(t);
  }
}

static void test_errors(void **state) {
  (void)state;
  attrib_table *t = test_table("sales,tenure,role,w\n1,2,A,1\n2,3,B,-1\n3,1,A,2\n");
  static const struct {
    const char *formula;
    const char *weights;
    attrib_status status;
    const char *msg;
  } cases[] = {
      {"sales ~ tenur", NULL, ATTRIB_ENOCOL, "no column 'tenur' (formula term); did you mean 'tenure'?"},
      {"role ~ tenure", NULL, ATTRIB_ETYPE, "the outcome 'role' must be numeric"},
      {"sales ~ tenure | rol", NULL, ATTRIB_ENOCOL, "did you mean 'role'?"},
      {"sales ~ tenure", "role", ATTRIB_ETYPE, "the weights column 'role' must be numeric"},
      {"sales ~ tenure", "wt", ATTRIB_ENOCOL, "no column 'wt' (weights)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    attrib_formula *f = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_formula_parse(cases[i].formula, &f, &err), ATTRIB_OK, &err);
    attrib_design_options o;
    attrib_design_options_init(&o);
    o.weights = cases[i].weights;
    attrib_design *d = NULL;
    assert_status(attrib_design_build(t, f, &o, &d, &err), cases[i].status, &err);
    assert_null(d);
    if (!strstr(err.message, cases[i].msg)) fail_msg("'%s': message '%s'", cases[i].formula, err.message);
    attrib_formula_free(f);
  }
  attrib_table_free(t);
  /* every row missing */
  t = test_table("y,x\nNA,1\n2,NA\n");
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse("y ~ x", &f, &err), ATTRIB_OK, &err);
  attrib_design *d = NULL;
  assert_status(attrib_design_build(t, f, NULL, &d, &err), ATTRIB_ENODATA, &err);
  assert_non_null(strstr(err.message, "no rows left for the model: 2 of 2 rows have a missing value"));
  attrib_formula_free(f);
  attrib_table_free(t);
}

/* a factor with more levels than a dense design takes: the advice is what
 * the caller can do (issue 15: logit and psm were told to write '| g',
 * which neither takes) */
static void test_too_many_levels(void **state) {
  (void)state;
  size_t n = ATTRIB_DESIGN_MAX_COLUMNS + 10, cap = 16 + n * 24, len = 0;
  char *csv = malloc(cap);
  assert_non_null(csv);
  len += (size_t)snprintf(csv + len, cap - len, "y,g\n");
  for (size_t i = 0; i < n; i++) len += (size_t)snprintf(csv + len, cap - len, "%zu,L%zu\n", i % 7, i);
  attrib_table *t = test_table(csv);
  free(csv);
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse("y ~ factor(g)", &f, &err), ATTRIB_OK, &err);
  static const struct {
    attrib_design_levels_advice advice;
    const char *msg, *not_msg;
  } cases[] = {
      {ATTRIB_DESIGN_ADVICE_ABSORB, "absorb it as a fixed effect instead (write '| g' at the end of the formula)", NULL},
      {ATTRIB_DESIGN_ADVICE_GROUP, "this model cannot absorb fixed effects: drop 'g' or group its levels into fewer", "'|"},
      {ATTRIB_DESIGN_ADVICE_EXACT, "or match exactly on it instead", "'|"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    attrib_design_options o;
    attrib_design_options_init(&o);
    assert_int_equal(o.levels_advice, ATTRIB_DESIGN_ADVICE_ABSORB); /* the default */
    o.levels_advice = cases[i].advice;
    attrib_design *d = NULL;
    assert_status(attrib_design_build(t, f, &o, &d, &err), ATTRIB_EDESIGN, &err);
    assert_null(d);
    if (!strstr(err.message, cases[i].msg)) fail_msg("advice %d: message '%s'", (int)cases[i].advice, err.message);
    if (cases[i].not_msg && strstr(err.message, cases[i].not_msg)) fail_msg("advice %d: '%s'", (int)cases[i].advice, err.message);
    assert_non_null(strstr(err.message, "'g' has 4106 levels"));
  }
  attrib_formula_free(f);
  attrib_table_free(t);
}

static void test_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/design/design_small.csv");
  attrib_formula *f = NULL;
  assert_status(attrib_formula_parse("y ~ x * factor(g) + factor(team) | h", &f, NULL), ATTRIB_OK, NULL);
  attrib_design_options o;
  attrib_design_options_init(&o);
  o.weights = "w";
  const char *cl[] = {"team", NULL};
  o.cluster = cl;
  int succeeded = 0;
  for (long k = 1; k < 500 && !succeeded; k++) {
    attrib_design *d = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_design_build(t, f, &o, &d, NULL);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      succeeded = 1;
      attrib_design_free(d);
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(d);
    }
  }
  assert_true(succeeded);
  attrib_formula_free(f);
  attrib_table_free(t);
}

/* A negative weight was dropped silently (issue 15.6); it is a value in
 * the data, so ATTRIB_ETYPE (exit 1), not ATTRIB_EINVAL (a usage error).
 * Zero weights drop their rows, as lm.wfit
 * does, and are counted; NaN is a missing weight. */
static void test_weights(void **state) {
  (void)state;
  static const struct {
    const char *csv;
    attrib_status status;
    const char *msg;
    size_t n, missing, zero;
  } cases[] = {
      {"y,x,wt\n1,2,1\n2,3,-0.5\n3,1,2\n4,5,1\n", ATTRIB_ETYPE, "data row 2: the weight 'wt' is -0.5; weights must be finite and >= 0", 0, 0, 0},
      /* the reader never makes an infinite number; the 777 is replaced below */
      {"y,x,wt\n1,2,1\n2,3,777\n3,1,2\n4,5,1\n", ATTRIB_ETYPE, "data row 2: the weight 'wt' is inf", 0, 0, 0},
      {"y,x,wt\n1,2,1\n2,3,0\n3,1,2\n4,5,1\n", ATTRIB_OK, NULL, 3, 0, 1},
      {"y,x,wt\n1,2,1\n2,3,NaN\n3,1,2\n4,5,1\n", ATTRIB_OK, NULL, 3, 1, 0},
      /* a negative weight on a row dropped for a missing value is not looked at */
      {"y,x,wt\n1,2,1\n2,NA,-1\n3,1,2\n4,5,1\n", ATTRIB_OK, NULL, 3, 1, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    attrib_table *t = test_table(cases[i].csv);
    if (t->cols[2].values[1] == 777.0) t->cols[2].values[1] = INFINITY;
    attrib_formula *f = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_formula_parse("y ~ x", &f, &err), ATTRIB_OK, &err);
    attrib_design_options o;
    attrib_design_options_init(&o);
    o.weights = "wt";
    attrib_design *d = NULL;
    assert_status(attrib_design_build(t, f, &o, &d, &err), cases[i].status, &err);
    if (cases[i].msg && !strstr(err.message, cases[i].msg)) fail_msg("case %zu: message '%s'", i, err.message);
    if (d) {
      assert_int_equal(d->n, cases[i].n);
      assert_int_equal(d->n_dropped_missing, cases[i].missing);
      assert_int_equal(d->n_dropped_weight, cases[i].zero);
    }
    attrib_design_free(d);
    attrib_formula_free(f);
    attrib_table_free(t);
  }
}

/* Column names of 1,000 bytes (spaces, accents) reach the design's column
 * names whole: factor(<name>)<level> was cut at 511 bytes. */
static void test_long_column_names(void **state) {
  (void)state;
  char a[1001], b[1001];
  for (int i = 0; i < 1000; i += 8) memcpy(a + i, "Sales é ", 8), memcpy(b + i, "Role \xc3\xa9_", 8);
  a[1000] = b[1000] = 0;
  size_t cap = 4096;
  char *csv = malloc(cap);
  snprintf(csv, cap, "y,\"%s\",\"%s\"\n1,2,A\n2,3,B\n3,1,A\n4,5,B\n5,2,A\n", a, b);
  attrib_table *t = test_table(csv);
  free(csv);
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_new("y", &f, &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_column(f, a, 0, &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_column(f, b, 1, &err), ATTRIB_OK, &err);
  attrib_design *d = NULL;
  assert_status(attrib_design_build(t, f, NULL, &d, &err), ATTRIB_OK, &err);
  assert_int_equal(d->k, 3);
  assert_string_equal(d->names[1], a);
  char want[1100];
  snprintf(want, sizeof want, "factor(%s)B", b);
  assert_string_equal(d->names[2], want);
  attrib_design_free(d);
  /* the same model written as text, the names in backquotes */
  const char *text = attrib_formula_text(f);
  attrib_formula *g = NULL;
  assert_status(attrib_formula_parse(text, &g, &err), ATTRIB_OK, &err);
  assert_status(attrib_design_build(t, g, NULL, &d, &err), ATTRIB_OK, &err);
  assert_string_equal(d->names[2], want);
  attrib_design_free(d);
  attrib_formula_free(g);
  attrib_formula_free(f);
  /* a right-hand side alone has no outcome to model */
  assert_status(attrib_formula_parse_rhs("x", &f, &err), ATTRIB_OK, &err);
  assert_status(attrib_design_build(t, f, NULL, &d, &err), ATTRIB_EFORMULA, &err);
  assert_non_null(strstr(err.message, "no outcome"));
  attrib_formula_free(f);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_model_matrices_match_r),
      cmocka_unit_test(test_row_accounting),
      cmocka_unit_test(test_collinearity_reported),
      cmocka_unit_test(test_nist_designs_full_rank),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_too_many_levels),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_weights),
      cmocka_unit_test(test_long_column_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
