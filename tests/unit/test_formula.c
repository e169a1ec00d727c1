/* Formula parser: term algebra as R's terms() and errors with positions;
 * the builder (terms added from names, no text); the limits (depth, terms,
 * variables) that keep hostile formulas from crashing or hanging. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_support.h"

/* Renders the terms as "a|b:c|..." for compact comparisons. */
static void render(const attrib_formula *f, char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (size_t t = 0; t < f->n_terms; t++) {
    if (t) n += (size_t)snprintf(buf + n, size - n, "|");
    for (size_t v = 0; v < f->terms[t].n_vars; v++) {
      const attrib_formula_var *fv = &f->vars[f->terms[t].vars[v]];
      n += (size_t)snprintf(buf + n, size - n, "%s%s%s%s", v ? ":" : "", fv->is_factor ? "factor(" : "",
                            fv->name, fv->is_factor ? ")" : "");
    }
  }
}

typedef struct fcase {
  const char *text;
  const char *terms;
  int intercept;
  const char *fe; /* comma-joined */
} fcase;

static const fcase good[] = {
    {"y ~ x", "x", 1, ""},
    {"sales ~ trained + tenure + factor(role) + tenure:trained | team + period",
     "trained|tenure|factor(role)|trained:tenure", 1, "team,period"},
    {"y ~ a*b", "a|b|a:b", 1, ""},
    {"y ~ a*b*c", "a|b|c|a:b|a:c|b:c|a:b:c", 1, ""},
    {"y ~ a:b + c", "c|a:b", 1, ""},
    {"y ~ x - 1", "x", 0, ""},
    {"y ~ 0 + x", "x", 0, ""},
    {"y ~ x + 0", "x", 0, ""},
    {"y ~ -1 + x", "x", 0, ""},
    {"y ~ x + 1", "x", 1, ""},
    {"y ~ a*b - a:b", "a|b", 1, ""},
    {"y ~ (a + b):c", "a:c|b:c", 1, ""},
    {"y ~ x + x", "x", 1, ""},
    {"y ~ b:a + a:b", "b:a", 1, ""},
    {"y ~ `odd name` + x.2", "odd name|x.2", 1, ""},
    {"y~x|fe", "x", 1, "fe"},
    {"  y  ~  factor( g ) ", "factor(g)", 1, ""},
    {"y ~ 1", "", 1, ""},
    {"y ~ as.factor(g)", "factor(g)", 1, ""},
    /* 1:1 is the intercept formed in an interaction with no variables (a
     * fuzz finding: a zero-length copy from a NULL scratch array) */
    {"y ~ s*1:1", "s", 1, ""},
};

static void test_good(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    attrib_formula *f = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    attrib_status s = attrib_formula_parse(good[i].text, &f, &err);
    if (s != ATTRIB_OK) fail_msg("'%s': %s", good[i].text, err.message);
    char buf[512];
    render(f, buf, sizeof buf);
    if (strcmp(buf, good[i].terms) != 0) fail_msg("'%s': terms '%s', expected '%s'", good[i].text, buf, good[i].terms);
    if (f->intercept != good[i].intercept) fail_msg("'%s': intercept %d", good[i].text, f->intercept);
    char fe[256] = "";
    for (size_t e = 0; e < f->n_fe; e++) {
      if (e) strcat(fe, ",");
      strcat(fe, f->fe[e]);
    }
    if (strcmp(fe, good[i].fe) != 0) fail_msg("'%s': fe '%s', expected '%s'", good[i].text, fe, good[i].fe);
    attrib_formula_free(f);
  }
}

typedef struct bcase {
  const char *text;
  size_t offset;
  const char *msg_part;
} bcase;

static const bcase bad[] = {
    {"", 0, "empty formula"},
    {"y x", 2, "expected '~'"},
    {"y ~", 3, "found the end of the formula"},
    {"y ~ x +", 7, "found the end of the formula"},
    {"y ~ x + + z", 8, "found '+'"},
    {"y ~ log(x)", 4, "unknown function 'log'"},
    {"y ~ factor(x", 12, "expected ')' after the variable"},
    {"y ~ (a + b", 10, "expected ')'"},
    {"y ~ x | f(a)", 8, "no functions after '|'"},
    {"y ~ x | a + a", 12, "listed twice"},
    {"y ~ x ^ 2", 6, "unexpected '^'"},
    {"y ~ 2", 4, "numbers other than 0 and 1"},
    {"y ~ x + y", 8, "also appears on the right-hand side"},
    {"y ~ `x", 4, "unterminated backquote"},
    {"y ~ x:0", 5, "0 cannot be part of an interaction"},
};

static void test_bad(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    attrib_formula *f = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    attrib_status s = attrib_formula_parse(bad[i].text, &f, &err);
    if (s != ATTRIB_EFORMULA) fail_msg("'%s': status %s", bad[i].text, attrib_status_name(s));
    assert_null(f);
    if (!strstr(err.message, bad[i].msg_part)) fail_msg("'%s': message '%s'", bad[i].text, err.message);
    if (err.offset != bad[i].offset)
      fail_msg("'%s': offset %zu, expected %zu (%s)", bad[i].text, err.offset, bad[i].offset, err.message);
  }
}

static void test_out_of_memory(void **state) {
  (void)state;
  int succeeded = 0;
  for (long k = 1; k < 400 && !succeeded; k++) {
    attrib_formula *f = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_formula_parse("y ~ a*b*factor(c) + d | e + g", &f, NULL);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      succeeded = 1;
      assert_int_equal(f->n_terms, 8);
      attrib_formula_free(f);
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
    }
  }
  assert_true(succeeded);
}


static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* "a|b:c|..." of any length (a new string). */
static char *render_alloc(const attrib_formula *f) {
  size_t size = 16;
  for (size_t v = 0; v < f->n_vars; v++) size += strlen(f->vars[v].name) + 16;
  size *= f->n_terms + 1;
  char *buf = malloc(size);
  assert_non_null(buf);
  render(f, buf, size);
  return buf;
}

static attrib_formula *parse_ok(const char *text) {
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_formula_parse(text, &f, &err);
  if (s != ATTRIB_OK) fail_msg("'%.200s': %s", text, err.message);
  return f;
}

static attrib_status parse_err(const char *text, attrib_error *err) {
  attrib_formula *f = NULL;
  attrib_error_clear(err);
  attrib_status s = attrib_formula_parse(text, &f, err);
  if (s == ATTRIB_OK) attrib_formula_free(f);
  return s;
}

/* Two formulas are the same model: response, intercept, variables in the
 * same order, terms, fixed effects. */
static void assert_same_formula(const attrib_formula *a, const attrib_formula *b) {
  if (a->response || b->response) assert_string_equal(a->response, b->response);
  assert_int_equal(a->intercept, b->intercept);
  assert_int_equal(a->n_vars, b->n_vars);
  for (size_t v = 0; v < a->n_vars; v++) {
    assert_string_equal(a->vars[v].name, b->vars[v].name);
    assert_int_equal(a->vars[v].is_factor, b->vars[v].is_factor);
  }
  char *ra = render_alloc(a), *rb = render_alloc(b);
  assert_string_equal(ra, rb);
  free(ra), free(rb);
  assert_int_equal(a->n_fe, b->n_fe);
  for (size_t e = 0; e < a->n_fe; e++) assert_string_equal(a->fe[e], b->fe[e]);
}

/* The builder makes what the text would: "y ~ t * p + <covariates>" built
 * from names and a right-hand side parsed alone equals the whole text parsed,
 * variable for variable and term for term (the order that fixes the
 * columns of X and so every number). */
static void test_builder_matches_parse(void **state) {
  (void)state;
  static const char *const rhs[] = {
      "a + b", "b:a + a + factor(g)", "x*z - x:z", "(a + b):c | fe1 + fe2", "a - 1", "factor(g):x + t",
  };
  for (size_t i = 0; i < sizeof rhs / sizeof *rhs; i++) {
    char text[256];
    snprintf(text, sizeof text, "y ~ t * p + %s", rhs[i]);
    attrib_formula *want = parse_ok(text);
    attrib_formula *cov = NULL, *f = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_formula_parse_rhs(rhs[i], &cov, &err), ATTRIB_OK, &err);
    assert_null(cov->response);
    assert_status(attrib_formula_new("y", &f, &err), ATTRIB_OK, &err);
    const char *tp[2] = {"t", "p"};
    assert_status(attrib_formula_add_column(f, "t", 0, &err), ATTRIB_OK, &err);
    assert_status(attrib_formula_add_column(f, "p", 0, &err), ATTRIB_OK, &err);
    assert_status(attrib_formula_add_term(f, 2, tp, NULL, &err), ATTRIB_OK, &err);
    assert_status(attrib_formula_add_formula(f, cov, &err), ATTRIB_OK, &err);
    assert_same_formula(f, want);
    /* the text made from the structure parses back to the same terms (an
     * interaction's variables may then come in another order, as in R) */
    const char *shown = attrib_formula_text(f);
    assert_non_null(shown);
    attrib_formula *back = parse_ok(shown);
    assert_int_equal(back->n_terms, want->n_terms);
    assert_int_equal(back->intercept, want->intercept);
    assert_string_equal(attrib_formula_text(back), shown);
    attrib_formula_free(back);
    attrib_formula_free(f);
    attrib_formula_free(cov);
    attrib_formula_free(want);
  }
}

static void test_builder_operations(void **state) {
  (void)state;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_formula *f = NULL;
  assert_status(attrib_formula_new("Weekly Sales", &f, &err), ATTRIB_OK, &err);
  assert_string_equal(attrib_formula_text(f), "`Weekly Sales` ~ 1");
  const char *ab[2] = {"b", "a"};
  const int fac[2] = {1, 0};
  assert_status(attrib_formula_add_term(f, 2, ab, fac, &err), ATTRIB_OK, &err); /* an interaction first */
  assert_status(attrib_formula_add_column(f, "Completed Training", 0, &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_column(f, "formé", 0, &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_column(f, "Completed Training", 0, &err), ATTRIB_OK, &err); /* once */
  const char *aa[2] = {"a", "a"};
  assert_status(attrib_formula_add_term(f, 2, aa, NULL, &err), ATTRIB_OK, &err); /* a:a is a */
  assert_status(attrib_formula_add_fe(f, "team`s", &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_fe(f, "team`s", &err), ATTRIB_EFORMULA, &err);
  assert_non_null(strstr(err.message, "listed twice"));
  /* main effects before the interaction, whatever the order of the calls */
  assert_string_equal(attrib_formula_text(f),
                      "`Weekly Sales` ~ `Completed Training` + formé + a + factor(b):a | `team\\`s`");
  assert_int_equal(attrib_formula_find_term(f, 2, (const char *[]){"a", "b"}, (const int[]){0, 1}), 3);
  assert_int_equal(attrib_formula_find_term(f, 2, (const char *[]){"a", "b"}, NULL), -1); /* b, not factor(b) */
  assert_true(attrib_formula_uses(f, "b"));
  assert_false(attrib_formula_uses(f, "Weekly Sales"));
  /* the response cannot be a term, nor a term the response */
  assert_status(attrib_formula_add_column(f, "Weekly Sales", 0, &err), ATTRIB_EFORMULA, &err);
  assert_non_null(strstr(err.message, "also appears on the right-hand side"));
  assert_status(attrib_formula_set_response(f, "a", &err), ATTRIB_EFORMULA, &err);
  int removed = 0;
  assert_status(attrib_formula_remove_term(f, 1, (const char *[]){"formé"}, NULL, &removed, &err), ATTRIB_OK, &err);
  assert_true(removed);
  assert_status(attrib_formula_remove_term(f, 1, (const char *[]){"zz"}, NULL, &removed, &err), ATTRIB_OK, &err);
  assert_false(removed);
  attrib_formula_set_intercept(f, 0);
  assert_status(attrib_formula_set_response(f, "formé", &err), ATTRIB_OK, &err);
  const char *shown = attrib_formula_text(f);
  assert_string_equal(shown, "formé ~ `Completed Training` + a + factor(b):a - 1 | `team\\`s`");
  attrib_formula *back = parse_ok(shown);
  assert_string_equal(back->fe[0], "team`s");
  assert_string_equal(back->vars[0].name, "Completed Training");
  attrib_formula_free(back);
  /* bad arguments */
  assert_status(attrib_formula_add_column(f, "", 0, &err), ATTRIB_EINVAL, &err);
  assert_status(attrib_formula_add_term(f, 0, NULL, NULL, &err), ATTRIB_EINVAL, &err);
  attrib_formula_free(f);
  /* a right-hand side alone shows as one */
  attrib_formula *r = NULL;
  assert_status(attrib_formula_parse_rhs("x*z - 1", &r, &err), ATTRIB_OK, &err);
  assert_string_equal(r->text, "x*z - 1");
  attrib_formula_set_intercept(r, 1);
  assert_string_equal(attrib_formula_text(r), "x + z + x:z");
  assert_int_equal(r->vars[0].offset, SIZE_MAX); /* no text to point into any more */
  attrib_formula_free(r);
  assert_status(attrib_formula_parse_rhs("", &r, &err), ATTRIB_EFORMULA, &err);
  assert_status(attrib_formula_parse_rhs("a ~ b", &r, &err), ATTRIB_EFORMULA, &err);
}

/* Names of 1,000 characters, with spaces and accents, go through the
 * builder, the text and the parser intact. */
static void test_long_names(void **state) {
  (void)state;
  char *name[3];
  for (int i = 0; i < 3; i++) { /* "Weekly Sales é Weekly Sales é ...0" (1,000 bytes) */
    name[i] = malloc(1001);
    static const char piece[] = "Weekly Sales \xc3\xa9 "; /* 16 bytes */
    for (int c = 0; c < 992; c += 16) memcpy(name[i] + c, piece, 16);
    memset(name[i] + 992, 'x', 7);
    name[i][999] = (char)('0' + i);
    name[i][1000] = 0;
  }
  attrib_error err;
  attrib_error_clear(&err);
  attrib_formula *f = NULL;
  assert_status(attrib_formula_new(name[0], &f, &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_column(f, name[1], 1, &err), ATTRIB_OK, &err);
  assert_status(attrib_formula_add_term(f, 2, (const char *const[]){name[1], name[2]}, NULL, &err), ATTRIB_OK, &err);
  const char *text = attrib_formula_text(f);
  assert_true(strlen(text) > 3000);
  attrib_formula *back = parse_ok(text);
  assert_string_equal(back->response, name[0]);
  assert_string_equal(back->vars[0].name, name[1]);
  assert_int_equal(back->vars[0].is_factor, 1);
  assert_string_equal(back->vars[2].name, name[2]);
  assert_int_equal(back->n_terms, 2);
  attrib_formula_free(back);
  attrib_formula_free(f);
  /* an error quoting a long name stays one readable line: elided, valid UTF-8 */
  size_t n = strlen(name[1]);
  char *wrong = malloc(n + 32);
  snprintf(wrong, n + 32, "y ~ `%s`(x)", name[1]);
  char *fn = malloc(n + 32);
  snprintf(fn, n + 32, "y ~ %s(x)", "averyveryverylongfunctionname");
  assert_int_equal(parse_err(fn, &err), ATTRIB_EFORMULA);
  assert_non_null(strstr(err.message, "unknown function 'averyveryverylongfunctionname'"));
  assert_int_equal(parse_err(wrong, &err), ATTRIB_EFORMULA);
  assert_non_null(strstr(err.message, "bytes in all)"));
  assert_non_null(strstr(err.message, "(at position 5)"));
  free(wrong), free(fn);
  for (int i = 0; i < 3; i++) free(name[i]);
}

/* Issue 15, defect 3: 10,000 nested parentheses overflowed the stack. */
static void test_depth_limit(void **state) {
  (void)state;
  for (size_t depth = ATTRIB_FORMULA_MAX_DEPTH; depth <= 10000; depth = depth == 10000 ? 10001 : 10000) {
    size_t n = depth * 2 + 16;
    char *s = malloc(n);
    size_t o = (size_t)snprintf(s, n, "y ~ ");
    for (size_t i = 0; i < depth; i++) s[o++] = '(';
    s[o++] = 'x';
    for (size_t i = 0; i < depth; i++) s[o++] = ')';
    s[o] = 0;
    attrib_error err;
    attrib_status st = parse_err(s, &err);
    if (depth == ATTRIB_FORMULA_MAX_DEPTH) {
      assert_status(st, ATTRIB_OK, &err);
    } else {
      assert_int_equal(st, ATTRIB_EFORMULA);
      assert_non_null(strstr(err.message, "parentheses nested more than 256 deep (at position 261)"));
      assert_int_equal(err.offset, 4 + ATTRIB_FORMULA_MAX_DEPTH);
    }
    free(s);
  }
}

static char *crossing(size_t n, const char *op) {
  size_t cap = n * 12 + 16;
  char *s = malloc(cap);
  size_t o = (size_t)snprintf(s, cap, "y ~ ");
  for (size_t i = 0; i < n; i++) o += (size_t)snprintf(s + o, cap - o, "%sv%zu", i ? op : "", i);
  return s;
}

/* Issue 15, defect 4: y ~ v0*v1*...*v17 listed 2^18 terms with a quadratic
 * de-duplication (n = 16: 4 s, n = 18: 59 s). The expansion now stops at
 * the term limit (before, n = 16 succeeded with 65,535 terms after 4 s). */
static void test_expansion_limit(void **state) {
  (void)state;
  double t0 = now();
  for (size_t n = 16; n <= 64; n *= 2) {
    char *s = crossing(n, "*");
    attrib_error err;
    assert_int_equal(parse_err(s, &err), ATTRIB_EFORMULA);
    assert_non_null(strstr(err.message, "the formula expands to more than 4096 terms"));
    assert_true(err.offset < strlen(s) && s[err.offset] == '*');
    free(s);
  }
  /* 12 variables crossed: 4,095 terms, the most that fit */
  char *s = crossing(12, "*");
  attrib_formula *f = parse_ok(s);
  assert_int_equal(f->n_terms, 4095);
  assert_int_equal(f->terms[4094].n_vars, 12);
  attrib_formula_free(f);
  free(s);
  /* many duplicates: (v0 + ... + v63)^2 has 64 + 2,016 distinct terms */
  char *a = crossing(64, " + "), text[2048];
  snprintf(text, sizeof text, "y ~ (%s)*(%s)", a + 4, a + 4);
  f = parse_ok(text);
  assert_int_equal(f->n_terms, 64 + 64 * 63 / 2);
  attrib_formula_free(f);
  snprintf(text, sizeof text, "y ~ (%s):(%s):(%s)", a + 4, a + 4, a + 4); /* 262,144 products */
  attrib_error err;
  assert_int_equal(parse_err(text, &err), ATTRIB_EFORMULA);
  assert_non_null(strstr(err.message, "more than 4096 terms"));
  free(a);
  if (now() - t0 > 5.0) fail_msg("the expansions took %.1f s", now() - t0);
}

/* ATTRIB_FORMULA_MAX_VARS distinct variables fit (it was 256: a propensity
 * model of 400 covariates could not be written); one more is refused. */
static void test_variable_limit(void **state) {
  (void)state;
  char *s = crossing(ATTRIB_FORMULA_MAX_VARS, " + ");
  attrib_formula *f = parse_ok(s);
  assert_int_equal(f->n_terms, ATTRIB_FORMULA_MAX_VARS);
  attrib_formula_free(f);
  free(s);
  s = crossing(ATTRIB_FORMULA_MAX_VARS + 1, " + ");
  attrib_error err;
  assert_int_equal(parse_err(s, &err), ATTRIB_EFORMULA);
  assert_non_null(strstr(err.message, "more than 4096 distinct variables"));
  assert_string_equal(s + err.offset, "v4096");
  free(s);
  /* the builder has the same limit */
  attrib_formula *b = NULL;
  assert_status(attrib_formula_new("y", &b, &err), ATTRIB_OK, &err);
  char name[32];
  for (int i = 0; i < ATTRIB_FORMULA_MAX_VARS; i++) {
    snprintf(name, sizeof name, "v%d", i);
    assert_status(attrib_formula_add_column(b, name, 0, &err), ATTRIB_OK, &err);
  }
  assert_status(attrib_formula_add_column(b, "one more", 0, &err), ATTRIB_EFORMULA, &err);
  attrib_formula_free(b);
}

/* Issue 14: error carets count characters, not bytes; issue 15: control
 * bytes in a formula are shown escaped, never raw. */
static void test_messages_utf8_and_control_bytes(void **state) {
  (void)state;
  attrib_error err;
  assert_int_equal(parse_err("yé ~ formé + (x", &err), ATTRIB_EFORMULA);
  assert_int_equal(err.offset, 17); /* bytes */
  assert_non_null(strstr(err.message, "expected ')' (at position 16)")); /* characters */
  attrib_formula *f = parse_ok("`Weekly Sales` ~ formé + `Completed Training`");
  assert_string_equal(f->response, "Weekly Sales");
  assert_string_equal(f->vars[0].name, "formé");
  assert_string_equal(f->vars[1].name, "Completed Training");
  attrib_formula_free(f);
  assert_int_equal(parse_err("y ~ x \x01", &err), ATTRIB_EFORMULA);
  assert_non_null(strstr(err.message, "unexpected '\\x01'"));
  assert_int_equal(parse_err("y ~ `a\x1b[2Jb`(x)", &err), ATTRIB_EFORMULA);
  assert_non_null(strstr(err.message, "unknown function 'a\\x1b[2Jb'"));
  assert_int_equal(parse_err("y ~ x + \t\x7f", &err), ATTRIB_EFORMULA);
  assert_non_null(strstr(err.message, "found '\\x7f'"));
  assert_int_equal(parse_err("y ~ \xff(x)", &err), ATTRIB_EFORMULA); /* not UTF-8: shown as \xff */
  assert_non_null(strstr(err.message, "unknown function '\\xff'"));
  for (const char *c = err.message; *c; c++) assert_true((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f);
  f = parse_ok("y ~ `a\\`b` + `c\\\\d`");
  assert_string_equal(f->vars[0].name, "a`b");
  assert_string_equal(f->vars[1].name, "c\\d");
  attrib_formula_free(f);
}

static void test_builder_out_of_memory(void **state) {
  (void)state;
  attrib_formula *cov = NULL;
  assert_status(attrib_formula_parse_rhs("a*b + factor(c) | fe", &cov, NULL), ATTRIB_OK, NULL);
  int succeeded = 0;
  for (long k = 1; k < 400 && !succeeded; k++) {
    attrib_formula *f = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_formula_new("y", &f, NULL);
    if (!s) s = attrib_formula_add_column(f, "t", 0, NULL);
    if (!s) s = attrib_formula_add_formula(f, cov, NULL);
    if (!s) s = attrib_formula_add_fe(f, "g", NULL);
    const char *text = s ? NULL : attrib_formula_text(f);
    if (!s && !text) s = ATTRIB_ENOMEM;
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      succeeded = 1;
      assert_string_equal(text, "y ~ t + a + b + factor(c) + a:b | fe + g");
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
    }
    attrib_formula_free(f);
  }
  assert_true(succeeded);
  attrib_formula_free(cov);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good),
      cmocka_unit_test(test_bad),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_builder_matches_parse),
      cmocka_unit_test(test_builder_operations),
      cmocka_unit_test(test_long_names),
      cmocka_unit_test(test_depth_limit),
      cmocka_unit_test(test_expansion_limit),
      cmocka_unit_test(test_variable_limit),
      cmocka_unit_test(test_messages_utf8_and_control_bytes),
      cmocka_unit_test(test_builder_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
