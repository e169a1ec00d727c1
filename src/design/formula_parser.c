/*
 * Recursive-descent parser for model formulas (grammar in formula.h):
 *
 *   formula := name '~' sum [ '|' name { '+' name } ]
 *   sum     := [ '+' | '-' ] prod { ('+' | '-') prod }
 *   prod    := inter { '*' inter }
 *   inter   := atom { ':' atom }
 *   atom    := '0' | '1' | name | 'factor' '(' name ')' | '(' sum ')'
 *
 * Each sub-expression evaluates to a list of terms; a term is the set of
 * variables it multiplies (Wilkinson & Rogers 1973 notation, as R's
 * terms.formula implements it): A:B = {a u b}, A*B = A + B + A:B.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <attrib/formula.h>
#include "core/attrib_internal.h"

typedef struct termset {
  uint64_t w[ATTRIB_FORMULA_MAX_VARS / 64];
} termset;

/* A list of terms; the empty set is the intercept. */
typedef struct termlist {
  termset *t;
  size_t n, cap;
  int no_intercept; /* the list is the literal 0 */
} termlist;

typedef struct parser {
  const char *s;
  size_t pos;
  attrib_formula *f;
  attrib_error *err;
  attrib_status status;
} parser;

static int ts_eq(const termset *a, const termset *b) { return memcmp(a, b, sizeof *a) == 0; }

static int ts_empty(const termset *a) {
  for (size_t i = 0; i < ATTRIB_FORMULA_MAX_VARS / 64; i++)
    if (a->w[i]) return 0;
  return 1;
}

static size_t ts_count(const termset *a) {
  size_t n = 0;
  for (size_t i = 0; i < ATTRIB_FORMULA_MAX_VARS / 64; i++) n += (size_t)__builtin_popcountll(a->w[i]);
  return n;
}

static attrib_status fail(parser *p, size_t at, const char *fmt, const char *what) {
  if (p->status != ATTRIB_OK) return p->status;
  char msg[256];
  snprintf(msg, sizeof msg, fmt, what);
  p->status = attrib__fail(p->err, ATTRIB_EFORMULA, "formula: %s (at position %zu)", msg, at + 1);
  if (p->err) p->err->offset = at;
  return p->status;
}

static attrib_status oom(parser *p) {
  if (p->status == ATTRIB_OK) p->status = attrib__fail(p->err, ATTRIB_ENOMEM, "formula: out of memory");
  return p->status;
}

static int tl_add(parser *p, termlist *l, const termset *t) {
  for (size_t i = 0; i < l->n; i++)
    if (ts_eq(&l->t[i], t)) return 1;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    termset *nt = attrib__realloc(l->t, cap, sizeof *nt);
    if (!nt) return oom(p), 0;
    l->t = nt;
    l->cap = cap;
  }
  l->t[l->n++] = *t;
  return 1;
}

static void tl_remove(termlist *l, const termset *t) {
  for (size_t i = 0; i < l->n; i++)
    if (ts_eq(&l->t[i], t)) {
      memmove(&l->t[i], &l->t[i + 1], (l->n - i - 1) * sizeof *l->t);
      l->n--;
      return;
    }
}

static void tl_free(termlist *l) {
  attrib__free(l->t);
  memset(l, 0, sizeof *l);
}

static void skip_ws(parser *p) {
  while (isspace((unsigned char)p->s[p->pos])) p->pos++;
}

static int is_name_start(char c) { return isalpha((unsigned char)c) || c == '_' || c == '.'; }
static int is_name_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '.'; }

/* Reads a name (identifier or `backquoted`) into a new string. */
static char *read_name(parser *p, size_t *at) {
  skip_ws(p);
  *at = p->pos;
  const char *s = p->s;
  if (s[p->pos] == '`') {
    size_t b = ++p->pos;
    while (s[p->pos] && s[p->pos] != '`') p->pos++;
    if (!s[p->pos]) {
      fail(p, *at, "%s", "unterminated backquote");
      return NULL;
    }
    if (p->pos == b) {
      fail(p, *at, "%s", "empty name in backquotes");
      return NULL;
    }
    char *name = attrib__strndup(s + b, p->pos - b);
    p->pos++;
    if (!name) oom(p);
    return name;
  }
  if (!is_name_start(s[p->pos])) {
    if (!s[p->pos])
      fail(p, *at, "%s", "expected a variable name, found the end of the formula");
    else
      fail(p, *at, "expected a variable name, found '%s'", (char[]){s[p->pos], 0});
    return NULL;
  }
  size_t b = p->pos;
  while (is_name_char(s[p->pos])) p->pos++;
  char *name = attrib__strndup(s + b, p->pos - b);
  if (!name) oom(p);
  return name;
}

static long var_index(parser *p, char *name, int is_factor, size_t at) {
  attrib_formula *f = p->f;
  for (size_t i = 0; i < f->n_vars; i++)
    if (f->vars[i].is_factor == is_factor && strcmp(f->vars[i].name, name) == 0) {
      attrib__free(name);
      return (long)i;
    }
  if (f->n_vars == ATTRIB_FORMULA_MAX_VARS) {
    attrib__free(name);
    fail(p, at, "%s", "more than 256 distinct variables");
    return -1;
  }
  attrib_formula_var *nv = attrib__realloc(f->vars, f->n_vars + 1, sizeof *nv);
  if (!nv) {
    attrib__free(name);
    oom(p);
    return -1;
  }
  f->vars = nv;
  nv[f->n_vars].name = name;
  nv[f->n_vars].is_factor = is_factor;
  nv[f->n_vars].offset = at;
  return (long)f->n_vars++;
}

static int parse_sum(parser *p, termlist *out);

static int parse_atom(parser *p, termlist *out) {
  skip_ws(p);
  const char *s = p->s;
  size_t at = p->pos;
  if (s[p->pos] == '(') {
    p->pos++;
    if (!parse_sum(p, out)) return 0;
    skip_ws(p);
    if (s[p->pos] != ')') return fail(p, p->pos, "%s", "expected ')'"), 0;
    p->pos++;
    return 1;
  }
  if (s[p->pos] == '0' || s[p->pos] == '1') {
    if (isdigit((unsigned char)s[p->pos + 1]) || s[p->pos + 1] == '.')
      return fail(p, at, "%s", "numbers other than 0 and 1 are not terms"), 0;
    termset t;
    memset(&t, 0, sizeof t);
    if (s[p->pos] == '0')
      out->no_intercept = 1;
    else if (!tl_add(p, out, &t))
      return 0;
    p->pos++;
    return 1;
  }
  if (isdigit((unsigned char)s[p->pos]))
    return fail(p, at, "%s", "numbers other than 0 and 1 are not terms"), 0;
  char *name = read_name(p, &at);
  if (!name) return 0;
  int is_factor = 0;
  skip_ws(p);
  if (s[p->pos] == '(') {
    if (strcmp(name, "factor") != 0 && strcmp(name, "as.factor") != 0) {
      fail(p, at, "unknown function '%s' (only factor() is supported)", name);
      attrib__free(name);
      return 0;
    }
    attrib__free(name);
    p->pos++;
    name = read_name(p, &at);
    if (!name) return 0;
    skip_ws(p);
    if (s[p->pos] != ')') {
      attrib__free(name);
      return fail(p, p->pos, "%s", "expected ')' after the variable in factor()"), 0;
    }
    p->pos++;
    is_factor = 1;
  }
  long v = var_index(p, name, is_factor, at);
  if (v < 0) return 0;
  termset t;
  memset(&t, 0, sizeof t);
  t.w[v / 64] |= (uint64_t)1 << (v % 64);
  return tl_add(p, out, &t);
}

/* A:B = { a u b : a in A, b in B } */
static int interact(parser *p, const termlist *a, const termlist *b, termlist *out) {
  for (size_t i = 0; i < a->n; i++)
    for (size_t j = 0; j < b->n; j++) {
      termset t;
      for (size_t w = 0; w < ATTRIB_FORMULA_MAX_VARS / 64; w++) t.w[w] = a->t[i].w[w] | b->t[j].w[w];
      if (!tl_add(p, out, &t)) return 0;
    }
  return 1;
}

static int parse_inter(parser *p, termlist *out) {
  termlist acc = {0};
  if (!parse_atom(p, &acc)) return tl_free(&acc), 0;
  for (;;) {
    skip_ws(p);
    if (p->s[p->pos] != ':') break;
    size_t at = p->pos++;
    termlist rhs = {0}, prod = {0};
    if (!parse_atom(p, &rhs) || !interact(p, &acc, &rhs, &prod)) {
      tl_free(&acc), tl_free(&rhs), tl_free(&prod);
      return 0;
    }
    if (acc.no_intercept || rhs.no_intercept) {
      tl_free(&acc), tl_free(&rhs), tl_free(&prod);
      return fail(p, at, "%s", "0 cannot be part of an interaction"), 0;
    }
    tl_free(&acc);
    tl_free(&rhs);
    acc = prod;
  }
  *out = acc;
  return 1;
}

static int parse_prod(parser *p, termlist *out) {
  termlist acc = {0};
  if (!parse_inter(p, &acc)) return tl_free(&acc), 0;
  for (;;) {
    skip_ws(p);
    if (p->s[p->pos] != '*') break;
    p->pos++;
    termlist rhs = {0}, both = {0};
    int ok = parse_inter(p, &rhs);
    for (size_t i = 0; ok && i < acc.n; i++) ok = tl_add(p, &both, &acc.t[i]);
    for (size_t i = 0; ok && i < rhs.n; i++) ok = tl_add(p, &both, &rhs.t[i]);
    if (ok) ok = interact(p, &acc, &rhs, &both);
    tl_free(&acc);
    tl_free(&rhs);
    if (!ok) return tl_free(&both), 0;
    acc = both;
  }
  *out = acc;
  return 1;
}

/* Applies one signed piece of a sum to the running list. intercept: -1
 * unset, 0 removed, 1 added. */
static int apply(parser *p, termlist *sum, termlist *piece, int minus, int *intercept) {
  if (piece->no_intercept) *intercept = minus ? 1 : 0;
  for (size_t i = 0; i < piece->n; i++) {
    if (ts_empty(&piece->t[i])) {
      *intercept = minus ? 0 : 1;
      continue;
    }
    if (minus)
      tl_remove(sum, &piece->t[i]);
    else if (!tl_add(p, sum, &piece->t[i]))
      return 0;
  }
  return 1;
}

static int parse_sum_inner(parser *p, termlist *out, int *intercept) {
  skip_ws(p);
  int minus = 0;
  if (p->s[p->pos] == '+' || p->s[p->pos] == '-') minus = p->s[p->pos++] == '-';
  for (;;) {
    termlist piece = {0};
    if (!parse_prod(p, &piece)) return tl_free(&piece), 0;
    int ok = apply(p, out, &piece, minus, intercept);
    tl_free(&piece);
    if (!ok) return 0;
    skip_ws(p);
    char c = p->s[p->pos];
    if (c != '+' && c != '-') break;
    minus = c == '-';
    p->pos++;
  }
  return 1;
}

/* A parenthesised sum: its intercept marks become an intercept term. */
static int parse_sum(parser *p, termlist *out) {
  int intercept = -1;
  if (!parse_sum_inner(p, out, &intercept)) return 0;
  if (intercept == 1) {
    termset t;
    memset(&t, 0, sizeof t);
    return tl_add(p, out, &t);
  }
  if (intercept == 0) out->no_intercept = 1;
  return 1;
}

static int build_terms(parser *p, const termlist *l) {
  attrib_formula *f = p->f;
  f->terms = attrib__calloc(l->n ? l->n : 1, sizeof *f->terms);
  if (!f->terms) return oom(p), 0;
  /* stable order by degree, as R's terms() */
  size_t maxdeg = 0;
  for (size_t i = 0; i < l->n; i++) {
    size_t d = ts_count(&l->t[i]);
    if (d > maxdeg) maxdeg = d;
  }
  for (size_t d = 1; d <= maxdeg; d++)
    for (size_t i = 0; i < l->n; i++) {
      if (ts_count(&l->t[i]) != d) continue;
      attrib_formula_term *t = &f->terms[f->n_terms];
      t->vars = attrib__malloc(d, sizeof *t->vars);
      if (!t->vars) return oom(p), 0;
      f->n_terms++;
      /* variables in the order they were first written */
      for (size_t v = 0; v < f->n_vars; v++)
        if ((l->t[i].w[v / 64] >> (v % 64)) & 1) t->vars[t->n_vars++] = v;
    }
  return 1;
}

static int parse_fe(parser *p) {
  attrib_formula *f = p->f;
  for (;;) {
    size_t at;
    char *name = read_name(p, &at);
    if (!name) return 0;
    skip_ws(p);
    if (p->s[p->pos] == '(') {
      attrib__free(name);
      return fail(p, at, "%s", "fixed effects are column names (no functions after '|')"), 0;
    }
    char **nf = attrib__realloc(f->fe, f->n_fe + 1, sizeof *nf);
    size_t *no = nf ? attrib__realloc(f->fe_offsets, f->n_fe + 1, sizeof *no) : NULL;
    if (nf) f->fe = nf;
    if (!no) {
      attrib__free(name);
      return oom(p), 0;
    }
    f->fe_offsets = no;
    for (size_t i = 0; i < f->n_fe; i++)
      if (strcmp(f->fe[i], name) == 0) {
        attrib__free(name);
        return fail(p, at, "fixed effect '%s' is listed twice", f->fe[i]), 0;
      }
    f->fe[f->n_fe] = name;
    f->fe_offsets[f->n_fe++] = at;
    skip_ws(p);
    if (p->s[p->pos] != '+') return 1;
    p->pos++;
  }
}

attrib_status attrib_formula_parse(const char *text, attrib_formula **out, attrib_error *err) {
  if (!text || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_formula_parse: NULL argument");
  *out = NULL;
  parser p = {.s = text, .err = err, .status = ATTRIB_OK};
  p.f = attrib__calloc(1, sizeof *p.f);
  if (!p.f) return oom(&p);
  p.f->text = attrib__strdup(text);
  if (!p.f->text) {
    attrib_formula_free(p.f);
    return oom(&p);
  }
  termlist terms = {0};
  int intercept = -1;
  int ok = 0;
  size_t at;
  skip_ws(&p);
  if (!text[p.pos]) {
    fail(&p, 0, "%s", "empty formula (expected 'outcome ~ terms')");
    goto done;
  }
  p.f->response = read_name(&p, &at);
  if (!p.f->response) goto done;
  p.f->response_offset = at;
  skip_ws(&p);
  if (text[p.pos] != '~') {
    fail(&p, p.pos, "%s", "expected '~' after the outcome");
    goto done;
  }
  p.pos++;
  if (!parse_sum_inner(&p, &terms, &intercept)) goto done;
  skip_ws(&p);
  if (text[p.pos] == '|') {
    p.pos++;
    if (!parse_fe(&p)) goto done;
    skip_ws(&p);
  }
  if (text[p.pos]) {
    fail(&p, p.pos, "unexpected '%s'", (char[]){text[p.pos], 0});
    goto done;
  }
  p.f->intercept = intercept != 0;
  for (size_t i = 0; i < p.f->n_vars; i++)
    if (strcmp(p.f->vars[i].name, p.f->response) == 0) {
      fail(&p, p.f->vars[i].offset, "the outcome '%s' also appears on the right-hand side",
           p.f->response);
      goto done;
    }
  if (!build_terms(&p, &terms)) goto done;
  ok = 1;
done:
  tl_free(&terms);
  if (!ok) {
    attrib_formula_free(p.f);
    return p.status;
  }
  *out = p.f;
  return ATTRIB_OK;
}

void attrib_formula_free(attrib_formula *f) {
  if (!f) return;
  attrib__free(f->text);
  attrib__free(f->response);
  for (size_t i = 0; i < f->n_vars; i++) attrib__free(f->vars[i].name);
  attrib__free(f->vars);
  for (size_t i = 0; i < f->n_terms; i++) attrib__free(f->terms[i].vars);
  attrib__free(f->terms);
  for (size_t i = 0; i < f->n_fe; i++) attrib__free(f->fe[i]);
  attrib__free(f->fe);
  attrib__free(f->fe_offsets);
  attrib__free(f);
}
