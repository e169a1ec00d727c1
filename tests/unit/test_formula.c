/* Formula parser: term algebra as R's terms() and errors with positions. */
#include <string.h>

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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good),
      cmocka_unit_test(test_bad),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
