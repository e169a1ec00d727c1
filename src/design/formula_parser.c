/*
 * Model formulas (grammar and limits in formula.h): a recursive-descent
 * parser for text, and a builder for programs.
 *
 *   formula := lhs '~' rhs
 *   lhs     := name | 'c' '(' name { ',' name } ')'
 *   rhs     := sum [ '|' name { '+' name } ]
 *   sum     := [ '+' | '-' ] prod { ('+' | '-') prod }
 *   prod    := inter { '*' inter }
 *   inter   := atom { ':' atom }
 *   atom    := '0' | '1' | name | 'factor' '(' name ')' | '(' sum ')'
 *
 * Each sub-expression evaluates to a list of terms; a term is the set of
 * variables it multiplies (Wilkinson & Rogers 1973 notation, as R's
 * terms.formula implements it): A:B = {a u b}, A*B = A + B + A:B.
 *
 * Cost. A term is a sorted array of variable indices, and each list keeps
 * a hash index of its terms, so adding, finding or removing a term is
 * O(degree) and de-duplicating an expansion of T terms is O(T) (it was
 * O(T^2) over 256-bit sets: y ~ v0*...*v17 took a minute). Every list is
 * capped at ATTRIB_FORMULA_MAX_TERMS terms as it grows, and a product is
 * refused before it is expanded when its operands cannot fit, so the 2^n
 * terms of a long crossing are never listed. Parentheses nest at most
 * ATTRIB_FORMULA_MAX_DEPTH deep, which bounds the recursion (at 10,000 the
 * stack overflowed).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/formula.h>
#include "core/attrib_internal.h"
#include "design/design_internal.h"

/* Names longer than this are elided in the middle in error messages. */
#define NAME_SHOWN_MAX 120
/* A product A:B of more pairs than this is refused before it is expanded:
 * at most ATTRIB_FORMULA_MAX_TERMS of them could be distinct terms unless
 * nearly all were duplicates, which no model needs. */
#define MAX_PRODUCTS ((size_t)ATTRIB_FORMULA_MAX_TERMS * 16)

/* ------------------------------------------------------------ term lists */

typedef struct tterm {
  size_t off;   /* first variable, in the list's pool */
  uint32_t deg; /* number of variables; 0 is the intercept */
  int dead;     /* removed by "- term" */
  uint64_t h;
} tterm;

typedef struct termlist {
  uint32_t *pool; /* the variables of every term, term after term */
  size_t pool_n, pool_cap;
  tterm *t;
  size_t n, cap, live; /* n counts removed terms too */
  uint32_t *slot;      /* hash index: 1 + term index, 0 = empty; nslot a power of two */
  size_t nslot;
  int no_intercept; /* the list is the literal 0 */
} termlist;

typedef struct parser {
  const char *s;
  size_t pos;
  size_t op; /* offset of the operator being expanded, for the size errors */
  size_t depth;
  attrib_formula *f;
  attrib_error *err;
  attrib_status status;
  uint32_t *scratch; /* a product term being formed */
  size_t scratch_cap;
} parser;

/* The intercept's (empty) set of variables: a valid pointer for memcpy. */
static const uint32_t no_vars[1] = {0};

static uint64_t hash_set(const uint32_t *v, uint32_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  for (uint32_t i = 0; i < n; i++) {
    h ^= v[i];
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
  }
  return h;
}

static const uint32_t *tl_vars(const termlist *l, size_t i) { return l->pool + l->t[i].off; }

static attrib_status oom(parser *p) {
  if (p->status == ATTRIB_OK) p->status = attrib__fail(p->err, ATTRIB_ENOMEM, "formula: out of memory");
  return p->status;
}

/* The error at byte at: "formula: <before><name, escaped><after> (at position N)",
 * N counting characters. */
static attrib_status fail_name(parser *p, size_t at, const char *before, const char *name, size_t len,
                               const char *after) {
  if (p->status != ATTRIB_OK) return p->status;
  attrib__sbuf m = {0};
  attrib__sbuf_add(&m, before, strlen(before));
  if (name) attrib__sbuf_add_escaped(&m, name, len, NAME_SHOWN_MAX);
  if (after) attrib__sbuf_add(&m, after, strlen(after));
  if (m.failed) {
    attrib__sbuf_free(&m);
    return oom(p);
  }
  p->status = attrib__fail(p->err, ATTRIB_EFORMULA, "formula: %s (at position %zu)", m.s,
                           attrib__utf8_chars(p->s, at) + 1);
  if (p->err) p->err->offset = at;
  attrib__sbuf_free(&m);
  return p->status;
}

static attrib_status fail(parser *p, size_t at, const char *msg) { return fail_name(p, at, msg, NULL, 0, NULL); }

/* The character at byte at, whole (a UTF-8 sequence) and escaped. */
static attrib_status fail_char(parser *p, size_t at, const char *before, const char *after) {
  const unsigned char *u = (const unsigned char *)p->s + at;
  size_t len = 1;
  if (u[0] >= 0xC0)
    while (len < 4 && (u[len] & 0xC0) == 0x80) len++;
  return fail_name(p, at, before, p->s + at, len, after);
}

static attrib_status too_many_terms(parser *p) {
  char msg[96]; /* a fixed sentence and one number: at most about 80 bytes */
  snprintf(msg, sizeof msg, "the formula expands to more than %d terms", ATTRIB_FORMULA_MAX_TERMS);
  return fail(p, p->op, msg);
}

static long tl_find(const termlist *l, const uint32_t *v, uint32_t deg, uint64_t h) {
  if (!l->nslot) return -1;
  for (size_t k = h & (l->nslot - 1);; k = (k + 1) & (l->nslot - 1)) {
    uint32_t e = l->slot[k];
    if (!e) return -1;
    const tterm *t = &l->t[e - 1];
    /* deg 0 (the intercept-only term) may come with no array: memcmp of NULL is undefined even for 0 bytes */
    if (!t->dead && t->h == h && t->deg == deg && (deg == 0 || memcmp(tl_vars(l, e - 1), v, deg * sizeof *v) == 0))
      return (long)(e - 1);
  }
}

static int tl_rehash(parser *p, termlist *l, size_t nslot) {
  uint32_t *slot = attrib__calloc(nslot, sizeof *slot);
  if (!slot) return oom(p), 0;
  for (size_t i = 0; i < l->n; i++) {
    if (l->t[i].dead) continue; /* removed terms leave the index here */
    size_t k = l->t[i].h & (nslot - 1);
    while (slot[k]) k = (k + 1) & (nslot - 1);
    slot[k] = (uint32_t)(i + 1);
  }
  attrib__free(l->slot);
  l->slot = slot;
  l->nslot = nslot;
  return 1;
}

/* Adds the term v[0..deg) (sorted, distinct) unless it is there. */
static int tl_add(parser *p, termlist *l, const uint32_t *v, uint32_t deg) {
  uint64_t h = hash_set(v, deg);
  if (tl_find(l, v, deg, h) >= 0) return 1;
  if (l->live >= ATTRIB_FORMULA_MAX_TERMS) return too_many_terms(p), 0;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    tterm *nt = attrib__realloc(l->t, cap, sizeof *nt);
    if (!nt) return oom(p), 0;
    l->t = nt;
    l->cap = cap;
  }
  if (!l->pool || l->pool_n + deg > l->pool_cap) {
    size_t cap = l->pool_cap ? l->pool_cap : 16;
    while (cap < l->pool_n + deg) cap *= 2;
    uint32_t *np = attrib__realloc(l->pool, cap, sizeof *np);
    if (!np) return oom(p), 0;
    l->pool = np;
    l->pool_cap = cap;
  }
  /* the index stays at most half full, counting removed terms' slots */
  if (2 * (l->n + 1) > l->nslot && !tl_rehash(p, l, l->nslot ? l->nslot * 2 : 16)) return 0;
  /* an intercept term formed in interact() comes with the scratch array,
   * which may still be NULL: memcpy of NULL is undefined even for 0 bytes */
  if (deg) memcpy(l->pool + l->pool_n, v, deg * sizeof *v);
  l->t[l->n] = (tterm){l->pool_n, deg, 0, h};
  l->pool_n += deg;
  size_t k = h & (l->nslot - 1);
  while (l->slot[k]) k = (k + 1) & (l->nslot - 1);
  l->slot[k] = (uint32_t)(l->n + 1);
  l->n++;
  l->live++;
  return 1;
}

static int tl_add_from(parser *p, termlist *l, const termlist *src, size_t i) {
  return tl_add(p, l, tl_vars(src, i), src->t[i].deg);
}

/* Removes a term (a removed term keeps its slot: lookups pass over it, and
 * adding it again appends it at the end, as R's terms() orders it). */
static void tl_remove(termlist *l, const uint32_t *v, uint32_t deg) {
  long i = tl_find(l, v, deg, hash_set(v, deg));
  if (i < 0) return;
  l->t[i].dead = 1;
  l->live--;
}

static void tl_free(termlist *l) {
  attrib__free(l->pool);
  attrib__free(l->t);
  attrib__free(l->slot);
  memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------ names */

static void skip_ws(parser *p) {
  while (isspace((unsigned char)p->s[p->pos])) p->pos++;
}

/* Non-ASCII bytes are letters: UTF-8 names such as formé are plain. */
static int is_name_start(char c) {
  return isalpha((unsigned char)c) || c == '_' || c == '.' || (unsigned char)c >= 0x80;
}
static int is_name_char(char c) { return is_name_start(c) || isdigit((unsigned char)c); }

/* Reads a name (identifier or `backquoted`, with \` and \\ escapes) into a new string. */
static char *read_name(parser *p, size_t *at) {
  skip_ws(p);
  *at = p->pos;
  const char *s = p->s;
  if (s[p->pos] == '`') {
    attrib__sbuf b = {0};
    p->pos++;
    while (s[p->pos] && s[p->pos] != '`') {
      if (s[p->pos] == '\\' && (s[p->pos + 1] == '`' || s[p->pos + 1] == '\\')) p->pos++;
      attrib__sbuf_add(&b, s + p->pos, 1);
      p->pos++;
    }
    if (!s[p->pos]) {
      attrib__sbuf_free(&b);
      fail(p, *at, "unterminated backquote");
      return NULL;
    }
    p->pos++;
    if (b.failed) {
      attrib__sbuf_free(&b);
      oom(p);
      return NULL;
    }
    if (!b.len) {
      attrib__sbuf_free(&b);
      fail(p, *at, "empty name in backquotes");
      return NULL;
    }
    return b.s;
  }
  if (!is_name_start(s[p->pos])) {
    if (!s[p->pos]) fail(p, *at, "expected a variable name, found the end of the formula");
    else fail_char(p, *at, "expected a variable name, found '", "'");
    return NULL;
  }
  size_t b = p->pos;
  while (is_name_char(s[p->pos])) p->pos++;
  char *name = attrib__strndup(s + b, p->pos - b);
  if (!name) oom(p);
  return name;
}

/* ------------------------------------------------------------ variables */

static void formula_edited(attrib_formula *f);

static long find_var(const attrib_formula *f, const char *name, int is_factor) {
  for (size_t i = 0; i < f->n_vars; i++)
    if (f->vars[i].is_factor == is_factor && strcmp(f->vars[i].name, name) == 0) return (long)i;
  return -1;
}

/* Registers a variable, taking ownership of name (freed on failure). */
static attrib_status add_var(attrib_formula *f, char *name, int is_factor, size_t at, size_t *index,
                             attrib_error *err) {
  long i = find_var(f, name, is_factor);
  if (i >= 0) {
    attrib__free(name);
    *index = (size_t)i;
    return ATTRIB_OK;
  }
  if (f->n_vars >= ATTRIB_FORMULA_MAX_VARS) {
    attrib__free(name);
    attrib_status s = attrib__fail(err, ATTRIB_EFORMULA, "formula: more than %d distinct variables",
                                   ATTRIB_FORMULA_MAX_VARS);
    return s;
  }
  attrib_formula_var *nv = attrib__realloc(f->vars, f->n_vars + 1, sizeof *nv);
  if (!nv) {
    attrib__free(name);
    return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  }
  f->vars = nv;
  nv[f->n_vars] = (attrib_formula_var){name, is_factor, at};
  *index = f->n_vars++;
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ parsing */

static int parse_sum(parser *p, termlist *out);

static int parse_atom(parser *p, termlist *out) {
  skip_ws(p);
  const char *s = p->s;
  size_t at = p->pos;
  if (s[p->pos] == '(') {
    if (p->depth >= ATTRIB_FORMULA_MAX_DEPTH) {
      char msg[80]; /* a fixed sentence and one number */
      snprintf(msg, sizeof msg, "parentheses nested more than %d deep", ATTRIB_FORMULA_MAX_DEPTH);
      return fail(p, at, msg), 0;
    }
    p->pos++;
    p->depth++;
    int ok = parse_sum(p, out);
    p->depth--;
    if (!ok) return 0;
    skip_ws(p);
    if (s[p->pos] != ')') return fail(p, p->pos, "expected ')'"), 0;
    p->pos++;
    return 1;
  }
  if (s[p->pos] == '0' || s[p->pos] == '1') {
    if (isdigit((unsigned char)s[p->pos + 1]) || s[p->pos + 1] == '.')
      return fail(p, at, "numbers other than 0 and 1 are not terms"), 0;
    if (s[p->pos] == '0') out->no_intercept = 1;
    else if (!tl_add(p, out, no_vars, 0)) return 0;
    p->pos++;
    return 1;
  }
  if (isdigit((unsigned char)s[p->pos])) return fail(p, at, "numbers other than 0 and 1 are not terms"), 0;
  char *name = read_name(p, &at);
  if (!name) return 0;
  int is_factor = 0;
  skip_ws(p);
  if (s[p->pos] == '(') {
    if (strcmp(name, "factor") != 0 && strcmp(name, "as.factor") != 0) {
      fail_name(p, at, "unknown function '", name, strlen(name), "' (only factor() is supported)");
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
      return fail(p, p->pos, "expected ')' after the variable in factor()"), 0;
    }
    p->pos++;
    is_factor = 1;
  }
  if (find_var(p->f, name, is_factor) < 0 && p->f->n_vars >= ATTRIB_FORMULA_MAX_VARS) {
    attrib__free(name);
    char msg[64]; /* a fixed sentence and one number */
    snprintf(msg, sizeof msg, "more than %d distinct variables", ATTRIB_FORMULA_MAX_VARS);
    return fail(p, at, msg), 0;
  }
  size_t v;
  attrib_status st = add_var(p->f, name, is_factor, at, &v, p->err);
  if (st) return p->status = st, 0;
  uint32_t u = (uint32_t)v;
  return tl_add(p, out, &u, 1);
}

/* A:B = { a u b : a in A, b in B } */
static int interact(parser *p, const termlist *a, const termlist *b, termlist *out) {
  if (a->live && b->live > MAX_PRODUCTS / a->live) return too_many_terms(p), 0;
  for (size_t i = 0; i < a->n; i++) {
    if (a->t[i].dead) continue;
    for (size_t j = 0; j < b->n; j++) {
      if (b->t[j].dead) continue;
      const uint32_t *x = tl_vars(a, i), *y = tl_vars(b, j);
      size_t nx = a->t[i].deg, ny = b->t[j].deg, m = 0;
      if (nx + ny > p->scratch_cap) {
        uint32_t *ns = attrib__realloc(p->scratch, nx + ny, sizeof *ns);
        if (!ns) return oom(p), 0;
        p->scratch = ns;
        p->scratch_cap = nx + ny;
      }
      /* the union of two sorted sets */
      size_t q = 0, r = 0;
      while (q < nx || r < ny) {
        if (r == ny || (q < nx && x[q] < y[r])) p->scratch[m++] = x[q++];
        else if (q == nx || y[r] < x[q]) p->scratch[m++] = y[r++];
        else p->scratch[m++] = x[q++], r++;
      }
      if (!tl_add(p, out, p->scratch, (uint32_t)m)) return 0;
    }
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
    int ok = parse_atom(p, &rhs);
    p->op = at;
    if (!ok || !interact(p, &acc, &rhs, &prod)) {
      tl_free(&acc), tl_free(&rhs), tl_free(&prod);
      return 0;
    }
    if (acc.no_intercept || rhs.no_intercept) {
      tl_free(&acc), tl_free(&rhs), tl_free(&prod);
      return fail(p, at, "0 cannot be part of an interaction"), 0;
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
    size_t at = p->pos++;
    termlist rhs = {0}, both = {0};
    int ok = parse_inter(p, &rhs);
    p->op = at;
    for (size_t i = 0; ok && i < acc.n; i++) ok = acc.t[i].dead || tl_add_from(p, &both, &acc, i);
    for (size_t i = 0; ok && i < rhs.n; i++) ok = rhs.t[i].dead || tl_add_from(p, &both, &rhs, i);
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
    if (piece->t[i].dead) continue;
    if (piece->t[i].deg == 0) {
      *intercept = minus ? 0 : 1;
      continue;
    }
    if (minus)
      tl_remove(sum, tl_vars(piece, i), piece->t[i].deg);
    else if (!tl_add_from(p, sum, piece, i))
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
    size_t at = p->pos;
    if (!parse_prod(p, &piece)) return tl_free(&piece), 0;
    p->op = at;
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
  if (intercept == 1) return tl_add(p, out, no_vars, 0);
  if (intercept == 0) out->no_intercept = 1;
  return 1;
}

typedef struct deg_order {
  uint32_t deg;
  size_t i;
} deg_order;

static int cmp_deg(const void *a, const void *b) {
  const deg_order *x = a, *y = b;
  if (x->deg != y->deg) return x->deg < y->deg ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

/* The live terms, stably ordered by degree, as R's terms() orders them. */
static int build_terms(parser *p, const termlist *l) {
  attrib_formula *f = p->f;
  deg_order *o = attrib__malloc(l->live ? l->live : 1, sizeof *o);
  f->terms = attrib__calloc(l->live ? l->live : 1, sizeof *f->terms);
  if (!o || !f->terms) return attrib__free(o), oom(p), 0;
  size_t m = 0;
  for (size_t i = 0; i < l->n; i++)
    if (!l->t[i].dead) o[m++] = (deg_order){l->t[i].deg, i};
  qsort(o, m, sizeof *o, cmp_deg);
  for (size_t q = 0; q < m; q++) {
    attrib_formula_term *t = &f->terms[f->n_terms];
    size_t d = o[q].deg;
    t->vars = attrib__malloc(d ? d : 1, sizeof *t->vars);
    if (!t->vars) return attrib__free(o), oom(p), 0;
    f->n_terms++;
    /* the variables in the order they were first written: indices ascending */
    const uint32_t *v = tl_vars(l, o[q].i);
    for (size_t a = 0; a < d; a++) t->vars[a] = v[a];
    t->n_vars = d;
  }
  attrib__free(o);
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
      return fail(p, at, "fixed effects are column names (no functions after '|')"), 0;
    }
    for (size_t i = 0; i < f->n_fe; i++)
      if (strcmp(f->fe[i], name) == 0) {
        fail_name(p, at, "fixed effect '", name, strlen(name), "' is listed twice");
        attrib__free(name);
        return 0;
      }
    char **nf = attrib__realloc(f->fe, f->n_fe + 1, sizeof *nf);
    if (nf) f->fe = nf;
    size_t *no = nf ? attrib__realloc(f->fe_offsets, f->n_fe + 1, sizeof *no) : NULL;
    if (!no) {
      attrib__free(name);
      return oom(p), 0;
    }
    f->fe_offsets = no;
    f->fe[f->n_fe] = name;
    f->fe_offsets[f->n_fe++] = at;
    skip_ws(p);
    if (p->s[p->pos] != '+') return 1;
    p->pos++;
  }
}

/* After "c(": the responses, comma-separated, up to ')'. One name is a
 * single response (c(y) ~ x is y ~ x); two or more fill f->responses,
 * f->response becoming the first. A name listed twice is an error. */
static int parse_responses(parser *p) {
  attrib_formula *f = p->f;
  char **list = NULL;
  size_t n = 0, cap = 0, at, first_at = p->pos;
  for (;;) {
    char *name = read_name(p, &at);
    if (!name) goto fail;
    if (!n) first_at = at;
    for (size_t i = 0; i < n; i++)
      if (!strcmp(list[i], name)) {
        fail_name(p, at, "the outcome '", name, strlen(name), "' is listed twice in c(...)");
        attrib__free(name);
        goto fail;
      }
    if (n == ATTRIB_FORMULA_MAX_VARS) {
      attrib__free(name);
      fail(p, at, "too many outcomes in c(...)");
      goto fail;
    }
    if (n == cap) {
      size_t nc = cap ? 2 * cap : 4;
      char **g = attrib__realloc(list, nc, sizeof *g);
      if (!g) {
        attrib__free(name);
        oom(p);
        goto fail;
      }
      list = g, cap = nc;
    }
    list[n++] = name;
    skip_ws(p);
    if (p->s[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (p->s[p->pos] == ')') {
      p->pos++;
      break;
    }
    if (!p->s[p->pos]) fail(p, p->pos, "expected ',' or ')' in c(...), found the end of the formula");
    else fail_char(p, p->pos, "expected ',' or ')' in c(...), found '", "'");
    goto fail;
  }
  char *first = attrib__strdup(list[0]);
  if (!first) {
    oom(p);
    goto fail;
  }
  attrib__free(f->response);
  f->response = first;
  f->response_offset = first_at;
  if (n == 1) {
    attrib__free(list[0]);
    attrib__free(list);
    return 1;
  }
  f->responses = list;
  f->n_responses = n;
  return 1;
fail:
  for (size_t i = 0; i < n; i++) attrib__free(list[i]);
  attrib__free(list);
  return 0;
}

static attrib_status parse(const char *text, int with_response, attrib_formula **out, attrib_error *err) {
  if (!text || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_formula_parse: NULL argument");
  *out = NULL;
  parser p = {.s = text, .err = err, .status = ATTRIB_OK};
  p.f = attrib__calloc(1, sizeof *p.f);
  if (!p.f) return oom(&p);
  p.f->text = attrib__strdup(text);
  p.f->response_offset = SIZE_MAX;
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
    fail(&p, 0, with_response ? "empty formula (expected 'outcome ~ terms')" : "empty list of terms");
    goto done;
  }
  if (with_response) {
    p.f->response = read_name(&p, &at);
    if (!p.f->response) goto done;
    p.f->response_offset = at;
    skip_ws(&p);
    /* c(y1, y2, ...): several responses on one design (issue 18); a column
     * named c is still `c` or plain c followed by '~' */
    if (text[at] != '`' && !strcmp(p.f->response, "c") && text[p.pos] == '(') {
      p.pos++;
      if (!parse_responses(&p)) goto done;
      skip_ws(&p);
    }
    if (text[p.pos] != '~') {
      fail(&p, p.pos, "expected '~' after the outcome");
      goto done;
    }
    p.pos++;
  }
  if (!parse_sum_inner(&p, &terms, &intercept)) goto done;
  skip_ws(&p);
  if (text[p.pos] == '|') {
    p.pos++;
    if (!parse_fe(&p)) goto done;
    skip_ws(&p);
  }
  if (text[p.pos]) {
    fail_char(&p, p.pos, "unexpected '", "'");
    goto done;
  }
  p.f->intercept = intercept != 0;
  for (size_t r = 0; p.f->response && r < (p.f->n_responses ? p.f->n_responses : 1); r++) {
    const char *y = p.f->n_responses ? p.f->responses[r] : p.f->response;
    for (size_t i = 0; i < p.f->n_vars; i++)
      if (strcmp(p.f->vars[i].name, y) == 0) {
        fail_name(&p, p.f->vars[i].offset, "the outcome '", y, strlen(y), "' also appears on the right-hand side");
        goto done;
      }
  }
  if (!build_terms(&p, &terms)) goto done;
  ok = 1;
done:
  tl_free(&terms);
  attrib__free(p.scratch);
  if (!ok) {
    attrib_formula_free(p.f);
    return p.status;
  }
  *out = p.f;
  return ATTRIB_OK;
}

attrib_status attrib_formula_parse(const char *text, attrib_formula **out, attrib_error *err) {
  return parse(text, 1, out, err);
}

attrib_status attrib_formula_parse_rhs(const char *text, attrib_formula **out, attrib_error *err) {
  return parse(text, 0, out, err);
}

static void responses_free(attrib_formula *f) {
  for (size_t i = 0; i < f->n_responses; i++) attrib__free(f->responses[i]);
  attrib__free(f->responses);
  f->responses = NULL;
  f->n_responses = 0;
}

void attrib_formula_free(attrib_formula *f) {
  if (!f) return;
  attrib__free(f->text);
  attrib__free(f->response);
  responses_free(f);
  for (size_t i = 0; i < f->n_vars; i++) attrib__free(f->vars[i].name);
  attrib__free(f->vars);
  for (size_t i = 0; i < f->n_terms; i++) attrib__free(f->terms[i].vars);
  attrib__free(f->terms);
  for (size_t i = 0; i < f->n_fe; i++) attrib__free(f->fe[i]);
  attrib__free(f->fe);
  attrib__free(f->fe_offsets);
  attrib__free(f);
}

/* ------------------------------------------------------------ building */

/* After an edit the text and the offsets into it no longer describe f. */
static void formula_edited(attrib_formula *f) {
  attrib__free(f->text);
  f->text = NULL;
  f->response_offset = SIZE_MAX;
  for (size_t i = 0; i < f->n_vars; i++) f->vars[i].offset = SIZE_MAX;
  for (size_t e = 0; e < f->n_fe; e++) f->fe_offsets[e] = SIZE_MAX;
}

static attrib_status bad_name(attrib_error *err, const char *what) {
  return attrib__fail(err, ATTRIB_EINVAL, "formula: %s: a column name must be a non-empty string", what);
}

/* "the outcome 'y' also appears on the right-hand side", the name escaped */
static attrib_status response_used(const char *name, attrib_error *err) {
  attrib__sbuf m = {0};
  attrib__sbuf_add_escaped(&m, name, strlen(name), NAME_SHOWN_MAX);
  attrib_status s = m.failed ? attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory")
                             : attrib__fail(err, ATTRIB_EFORMULA,
                                            "formula: the outcome '%s' also appears on the right-hand side", m.s);
  attrib__sbuf_free(&m);
  return s;
}

attrib_status attrib_formula_new(const char *response, attrib_formula **out, attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_formula_new: NULL argument");
  *out = NULL;
  if (response && !*response) return bad_name(err, "the outcome");
  attrib_formula *f = attrib__calloc(1, sizeof *f);
  if (!f || (response && !(f->response = attrib__strdup(response)))) {
    attrib__free(f);
    return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  }
  f->response_offset = SIZE_MAX;
  f->intercept = 1;
  *out = f;
  return ATTRIB_OK;
}

/* Whether name is the response, or one of c(...)'s. */
static int is_response(const attrib_formula *f, const char *name) {
  if (f->response && !strcmp(name, f->response)) return 1;
  for (size_t r = 0; r < f->n_responses; r++)
    if (!strcmp(name, f->responses[r])) return 1;
  return 0;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

/* Sorts and de-duplicates v[0..*n) (a:a is a). */
static void set_normalise(size_t *v, size_t *n) {
  qsort(v, *n, sizeof *v, cmp_size);
  size_t m = 0;
  for (size_t i = 0; i < *n; i++)
    if (!m || v[i] != v[m - 1]) v[m++] = v[i];
  *n = m;
}

static long find_term_idx(const attrib_formula *f, const size_t *v, size_t n) {
  for (size_t t = 0; t < f->n_terms; t++)
    if (f->terms[t].n_vars == n && (n == 0 || memcmp(f->terms[t].vars, v, n * sizeof *v) == 0)) return (long)t;
  return -1;
}

/* Inserts the term v[0..n) (sorted, distinct), unless it is there, after
 * the last term of its degree or lower. v is copied. */
static attrib_status insert_term(attrib_formula *f, const size_t *v, size_t n, attrib_error *err) {
  if (find_term_idx(f, v, n) >= 0) return ATTRIB_OK;
  if (f->n_terms >= ATTRIB_FORMULA_MAX_TERMS)
    return attrib__fail(err, ATTRIB_EFORMULA, "formula: more than %d terms", ATTRIB_FORMULA_MAX_TERMS);
  size_t *copy = attrib__malloc(n, sizeof *copy);
  /* grown one by one: the library keeps no spare capacity in the public
   * struct, and realloc usually extends in place */
  attrib_formula_term *nt = copy ? attrib__realloc(f->terms, f->n_terms + 1, sizeof *nt) : NULL;
  if (!nt) {
    attrib__free(copy);
    return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  }
  f->terms = nt;
  memcpy(copy, v, n * sizeof *v);
  size_t at = f->n_terms;
  while (at > 0 && f->terms[at - 1].n_vars > n) at--;
  memmove(&f->terms[at + 1], &f->terms[at], (f->n_terms - at) * sizeof *f->terms);
  f->terms[at] = (attrib_formula_term){n, copy};
  f->n_terms++;
  return ATTRIB_OK;
}

/* The term of names as a sorted set of variable indices (v has room for
 * n), or 0 when a name is not a variable of f (so no term has it). */
static int lookup_vars(const attrib_formula *f, size_t n, const char *const *names, const int *as_factor, size_t *v,
                       size_t *m) {
  *m = 0;
  for (size_t i = 0; i < n; i++) {
    long j = find_var(f, names[i], as_factor && as_factor[i]);
    if (j < 0) return 0;
    v[(*m)++] = (size_t)j;
  }
  set_normalise(v, m);
  return 1;
}

/* Maps names to variable indices, registering new ones; v has room for n. */
static attrib_status term_vars(attrib_formula *f, size_t n, const char *const *names, const int *as_factor,
                               size_t *v, size_t *m, attrib_error *err) {
  *m = 0;
  for (size_t i = 0; i < n; i++) {
    const char *name = names[i];
    int fac = as_factor && as_factor[i];
    long j = find_var(f, name, fac);
    if (j < 0) {
      char *copy = attrib__strdup(name);
      if (!copy) return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
      size_t k;
      ATTRIB__TRY(add_var(f, copy, fac, SIZE_MAX, &k, err));
      j = (long)k;
    }
    v[(*m)++] = (size_t)j;
  }
  set_normalise(v, m);
  return ATTRIB_OK;
}

static attrib_status check_names(const attrib_formula *f, size_t n, const char *const *names, attrib_error *err) {
  if (!f || !n || !names) return attrib__fail(err, ATTRIB_EINVAL, "formula: a term needs at least one column");
  for (size_t i = 0; i < n; i++) {
    if (!names[i] || !*names[i]) return bad_name(err, "a term");
    if (is_response(f, names[i])) return response_used(names[i], err);
  }
  return ATTRIB_OK;
}

attrib_status attrib_formula_add_term(attrib_formula *f, size_t n, const char *const *names, const int *as_factor,
                                      attrib_error *err) {
  ATTRIB__TRY(check_names(f, n, names, err));
  size_t *v = attrib__malloc(n, sizeof *v), m;
  if (!v) return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  formula_edited(f);
  attrib_status s = term_vars(f, n, names, as_factor, v, &m, err);
  if (!s) s = insert_term(f, v, m, err);
  attrib__free(v);
  return s;
}

attrib_status attrib_formula_add_column(attrib_formula *f, const char *name, int as_factor, attrib_error *err) {
  return attrib_formula_add_term(f, 1, &name, &as_factor, err);
}

long attrib_formula_find_term(const attrib_formula *f, size_t n, const char *const *names, const int *as_factor) {
  if (!f || !n || !names) return -1;
  size_t *v = attrib__malloc(n, sizeof *v), m;
  if (!v) return -1;
  long t = lookup_vars(f, n, names, as_factor, v, &m) ? find_term_idx(f, v, m) : -1;
  attrib__free(v);
  return t;
}

attrib_status attrib_formula_remove_term(attrib_formula *f, size_t n, const char *const *names, const int *as_factor,
                                         int *removed, attrib_error *err) {
  if (removed) *removed = 0;
  if (!f || !n || !names) return attrib__fail(err, ATTRIB_EINVAL, "formula: a term needs at least one column");
  for (size_t i = 0; i < n; i++)
    if (!names[i]) return bad_name(err, "a term");
  size_t *v = attrib__malloc(n, sizeof *v), m;
  if (!v) return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  long t = lookup_vars(f, n, names, as_factor, v, &m) ? find_term_idx(f, v, m) : -1;
  attrib__free(v);
  if (t < 0) return ATTRIB_OK;
  formula_edited(f);
  attrib__free(f->terms[t].vars);
  memmove(&f->terms[t], &f->terms[t + 1], (f->n_terms - (size_t)t - 1) * sizeof *f->terms);
  f->n_terms--;
  if (removed) *removed = 1;
  return ATTRIB_OK;
}

attrib_status attrib_formula_add_fe(attrib_formula *f, const char *name, attrib_error *err) {
  if (!f) return attrib__fail(err, ATTRIB_EINVAL, "attrib_formula_add_fe: NULL argument");
  if (!name || !*name) return bad_name(err, "a fixed effect");
  for (size_t i = 0; i < f->n_fe; i++)
    if (strcmp(f->fe[i], name) == 0) {
      attrib__sbuf m = {0};
      attrib__sbuf_add_escaped(&m, name, strlen(name), NAME_SHOWN_MAX);
      attrib_status s = m.failed ? attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory")
                                 : attrib__fail(err, ATTRIB_EFORMULA, "formula: fixed effect '%s' is listed twice", m.s);
      attrib__sbuf_free(&m);
      return s;
    }
  char *copy = attrib__strdup(name);
  char **nf = copy ? attrib__realloc(f->fe, f->n_fe + 1, sizeof *nf) : NULL;
  if (nf) f->fe = nf;
  size_t *no = nf ? attrib__realloc(f->fe_offsets, f->n_fe + 1, sizeof *no) : NULL;
  if (!no) {
    attrib__free(copy);
    return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  }
  f->fe_offsets = no;
  formula_edited(f);
  f->fe[f->n_fe] = copy;
  f->fe_offsets[f->n_fe++] = SIZE_MAX;
  return ATTRIB_OK;
}

void attrib_formula_set_intercept(attrib_formula *f, int intercept) {
  if (!f || f->intercept == (intercept != 0)) return;
  formula_edited(f);
  f->intercept = intercept != 0;
}

int attrib_formula_uses(const attrib_formula *f, const char *name) {
  for (size_t t = 0; f && name && t < f->n_terms; t++)
    for (size_t a = 0; a < f->terms[t].n_vars; a++)
      if (strcmp(f->vars[f->terms[t].vars[a]].name, name) == 0) return 1;
  return 0;
}

attrib_status attrib_formula_set_response(attrib_formula *f, const char *name, attrib_error *err) {
  if (f && name && attrib_formula_uses(f, name)) return response_used(name, err);
  return attrib__formula_set_response_in_terms(f, name, err);
}

attrib_status attrib__formula_set_response_in_terms(attrib_formula *f, const char *name, attrib_error *err) {
  if (!f) return attrib__fail(err, ATTRIB_EINVAL, "attrib_formula_set_response: NULL argument");
  if (!name || !*name) return bad_name(err, "the outcome");
  char *copy = attrib__strdup(name);
  if (!copy) return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  formula_edited(f);
  attrib__free(f->response);
  responses_free(f); /* one response replaces c(...) */
  f->response = copy;
  return ATTRIB_OK;
}

attrib_status attrib_formula_add_formula(attrib_formula *f, const attrib_formula *src, attrib_error *err) {
  if (!f || !src || f == src) return attrib__fail(err, ATTRIB_EINVAL, "attrib_formula_add_formula: bad argument");
  formula_edited(f);
  /* src's variables first, in src's order, so that the terms' variables
   * keep the order they have in src (b:a stays b:a) */
  size_t *map = attrib__malloc(src->n_vars ? src->n_vars : 1, sizeof *map);
  if (!map) return attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  attrib_status s = ATTRIB_OK;
  for (size_t i = 0; !s && i < src->n_vars; i++) {
    const attrib_formula_var *sv = &src->vars[i];
    if (is_response(f, sv->name) && attrib_formula_uses(src, sv->name)) {
      s = response_used(sv->name, err);
      break;
    }
    char *copy = attrib__strdup(sv->name);
    s = copy ? add_var(f, copy, sv->is_factor, SIZE_MAX, &map[i], err)
             : attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  }
  size_t maxdeg = 1;
  for (size_t t = 0; t < src->n_terms; t++)
    if (src->terms[t].n_vars > maxdeg) maxdeg = src->terms[t].n_vars;
  size_t *v = s ? NULL : attrib__malloc(maxdeg, sizeof *v);
  if (!s && !v) s = attrib__fail(err, ATTRIB_ENOMEM, "formula: out of memory");
  for (size_t t = 0; !s && t < src->n_terms; t++) {
    size_t m = src->terms[t].n_vars;
    for (size_t a = 0; a < m; a++) v[a] = map[src->terms[t].vars[a]];
    set_normalise(v, &m);
    s = insert_term(f, v, m, err);
  }
  attrib__free(v);
  attrib__free(map);
  for (size_t e = 0; !s && e < src->n_fe; e++) s = attrib_formula_add_fe(f, src->fe[e], err);
  if (!s && !src->intercept) f->intercept = 0;
  return s;
}

/* ------------------------------------------------------------ display */

static int plain_name(const char *s) {
  if (!is_name_start(s[0])) return 0;
  for (const char *c = s; *c; c++)
    if (!is_name_char(*c)) return 0;
  return 1;
}

static void add_name(attrib__sbuf *b, const char *s) {
  if (plain_name(s)) {
    attrib__sbuf_add(b, s, strlen(s));
    return;
  }
  attrib__sbuf_add(b, "`", 1);
  for (const char *c = s; *c; c++) {
    if (*c == '`' || *c == '\\') attrib__sbuf_add(b, "\\", 1);
    attrib__sbuf_add(b, c, 1);
  }
  attrib__sbuf_add(b, "`", 1);
}

const char *attrib_formula_text(attrib_formula *f) {
  if (!f) return NULL;
  if (f->text) return f->text;
  attrib__sbuf b = {0};
  if (f->n_responses) {
    attrib__sbuf_add(&b, "c(", 2);
    for (size_t r = 0; r < f->n_responses; r++) {
      if (r) attrib__sbuf_add(&b, ", ", 2);
      add_name(&b, f->responses[r]);
    }
    attrib__sbuf_add(&b, ") ~ ", 4);
  } else if (f->response) {
    add_name(&b, f->response);
    attrib__sbuf_add(&b, " ~ ", 3);
  }
  for (size_t t = 0; t < f->n_terms; t++) {
    if (t) attrib__sbuf_add(&b, " + ", 3);
    for (size_t a = 0; a < f->terms[t].n_vars; a++) {
      const attrib_formula_var *v = &f->vars[f->terms[t].vars[a]];
      if (a) attrib__sbuf_add(&b, ":", 1);
      if (v->is_factor) attrib__sbuf_add(&b, "factor(", 7);
      add_name(&b, v->name);
      if (v->is_factor) attrib__sbuf_add(&b, ")", 1);
    }
  }
  if (!f->n_terms) attrib__sbuf_add(&b, f->intercept ? "1" : "0", 1);
  else if (!f->intercept) attrib__sbuf_add(&b, " - 1", 4);
  for (size_t e = 0; e < f->n_fe; e++) {
    attrib__sbuf_add(&b, e ? " + " : " | ", 3);
    add_name(&b, f->fe[e]);
  }
  if (b.failed || !b.s) {
    attrib__sbuf_free(&b);
    return NULL;
  }
  f->text = b.s;
  return f->text;
}
