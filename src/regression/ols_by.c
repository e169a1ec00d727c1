/*
 * Subgroup effects of OLS (by.h): one fully interacted regression. Every
 * term of the model is interacted with the group (factor(g):term, with the
 * groups' own intercepts factor(g)), and every absorbed fixed effect is
 * crossed with it (fe x g), so the coefficients of level g are those of a
 * separate fit on g's rows, while the variance is the joint one: HC
 * corrections use the joint rank, iid pools the residual variance, and a
 * cluster may hold rows of several groups (the groups' effects then
 * covary). The Wald test and the differences use that vcov.
 */
#include <math.h>
#include <string.h>

#include <attrib/by.h>
#include <attrib/design.h>
#include <attrib/formula.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

/* The interacted formula: y ~ 0 + factor(g) + factor(g):t1 + ... | fe... */
static attrib_status interact_formula(const attrib_formula *f, const char *by, attrib_formula **out,
                                      attrib_error *err) {
  attrib_formula *fb = NULL;
  attrib_status s = attrib_formula_new(f->response, &fb, err);
  const char *names[ATTRIB_FORMULA_MAX_VARS + 1];
  int fac[ATTRIB_FORMULA_MAX_VARS + 1];
  names[0] = by, fac[0] = 1;
  /* the groups' intercepts; with absorbed fixed effects those are in fe x g */
  if (s == ATTRIB_OK && f->intercept && f->n_fe == 0) s = attrib_formula_add_term(fb, 1, names, fac, err);
  if (s == ATTRIB_OK) attrib_formula_set_intercept(fb, f->n_fe > 0 ? f->intercept : 0);
  for (size_t ti = 0; s == ATTRIB_OK && ti < f->n_terms; ti++) {
    const attrib_formula_term *tm = &f->terms[ti];
    for (size_t a = 0; a < tm->n_vars; a++) {
      names[a + 1] = f->vars[tm->vars[a]].name;
      fac[a + 1] = f->vars[tm->vars[a]].is_factor;
    }
    s = attrib_formula_add_term(fb, tm->n_vars + 1, names, fac, err);
  }
  for (size_t j = 0; s == ATTRIB_OK && j < f->n_fe; j++) s = attrib_formula_add_fe(fb, f->fe[j], err);
  if (s != ATTRIB_OK) {
    attrib_formula_free(fb);
    fb = NULL;
  }
  *out = fb;
  return s;
}

/* Crosses each absorbed fixed effect with the group: codes (fe, g) compacted
 * in (fe, g) order, in place. */
static attrib_status cross_fe(attrib_design *d, const int32_t *g, size_t G, attrib_error *err) {
  for (size_t j = 0; j < d->n_fe; j++) {
    attrib_coding *c = &d->fe[j];
    size_t L = c->n_levels;
    int32_t *map = attrib__malloc(attrib__mulsz(L, G) ? attrib__mulsz(L, G) : 1, sizeof *map);
    if (!map) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    for (size_t l = 0; l < L * G; l++) map[l] = -1;
    for (size_t i = 0; i < d->n; i++) map[(size_t)c->codes[i] * G + (size_t)g[i]] = 0;
    int32_t next = 0;
    for (size_t l = 0; l < L * G; l++)
      if (map[l] == 0) map[l] = next++;
    for (size_t i = 0; i < d->n; i++) c->codes[i] = map[(size_t)c->codes[i] * G + (size_t)g[i]];
    c->n_levels = (size_t)next;
    attrib__free(map);
  }
  return ATTRIB_OK;
}

/* Whether column name (a:b:c) is prefix ":" followed by the terms of treat,
 * in any order (the interacted formula may list an interaction's variables
 * in another order than the user's). */
static int same_term(const char *name, const char *prefix, const char *treat) {
  size_t lp = strlen(prefix);
  if (strncmp(name, prefix, lp) != 0 || name[lp] != ':') return 0;
  const char *rest = name + lp + 1;
  if (strcmp(rest, treat) == 0) return 1;
  /* as sets of ':'-separated parts, each part of one found in the other */
  size_t nr = 0, nt = 0;
  for (const char *p = rest; *p; p++) nr += *p == ':';
  for (const char *p = treat; *p; p++) nt += *p == ':';
  if (nr != nt || strlen(rest) != strlen(treat)) return 0;
  for (const char *p = treat; *p;) {
    const char *e = strchr(p, ':');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    int found = 0;
    for (const char *q = rest; *q && !found;) {
      const char *e2 = strchr(q, ':');
      size_t l2 = e2 ? (size_t)(e2 - q) : strlen(q);
      found = l2 == len && strncmp(p, q, len) == 0;
      q = e2 ? e2 + 1 : q + l2;
    }
    if (!found) return 0;
    p = e ? e + 1 : p + len;
  }
  return 1;
}

/* Counts of a 0/1 treatment column in each group, or 0 when it is not one
 * (the check that every group has both arms applies to 0/1 treatments). */
static int arm_counts(const attrib_table *t, const char *treat, const attrib_design *d, const int32_t *g,
                      const unsigned char *keep, attrib_by_result *r) {
  long c = attrib_table_column_find(t, treat);
  if (c < 0 || t->cols[c].type != ATTRIB_COLUMN_NUMERIC) return 0;
  const double *v = t->cols[c].values;
  for (size_t i = 0; i < d->n; i++) {
    double x = v[d->rows[i]];
    if (x != 0.0 && x != 1.0) return 0;
  }
  for (size_t i = 0; i < d->n; i++) {
    if (!keep[i]) continue;
    if (v[d->rows[i]] == 1.0) r->groups[g[i]].n_treated++;
    else r->groups[g[i]].n_control++;
  }
  return 1;
}

typedef struct by_fit {
  attrib_formula *fb;
  attrib_design *d;
  attrib_ols_result *fit;
  int32_t *g;
  char **levels;
  size_t G;
  size_t *col; /* the effect's column of each group */
} by_fit;

static void by_fit_free(by_fit *b) {
  attrib_ols_result_free(b->fit);
  attrib_design_free(b->d);
  attrib_formula_free(b->fb);
  attrib__free(b->g);
  attrib_coding_names_free(b->levels, b->G);
  attrib__free(b->col);
}

/* Builds the interacted design, codes the groups and refuses what cannot be compared. */
static attrib_status by_design(const attrib_table *t, const attrib_formula *f, const attrib_design_options *dopts,
                               const char *by, by_fit *b, attrib_error *err) {
  attrib_status s = interact_formula(f, by, &b->fb, err);
  if (s == ATTRIB_OK) s = attrib_design_build(t, b->fb, dopts, &b->d, err);
  if (s != ATTRIB_OK) return s;
  long bc = attrib_table_column_find(t, by);
  b->g = attrib__malloc(b->d->n ? b->d->n : 1, sizeof *b->g);
  if (!b->g) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  if ((s = attrib_column_encode(&t->cols[bc], b->d->rows, b->d->n, b->g, &b->G, &b->levels, err)) != ATTRIB_OK)
    return s;
  if (b->G < 2)
    return attrib__fail_option(err, ATTRIB_EDESIGN, "by.column",
                               "'%s' has one level ('%s') in the rows used: no subgroups to compare", by,
                               b->G ? b->levels[0] : "");
  if (b->G > ATTRIB_BY_MAX_LEVELS)
    return attrib__fail_option(err, ATTRIB_EDESIGN, "by.column",
                               "'%s' has %zu levels, more than %d: group them, or bin a numeric column", by, b->G,
                               ATTRIB_BY_MAX_LEVELS);
  return cross_fe(b->d, b->g, b->G, err);
}

/* The column of each group's effect in the interacted fit; an effect that
 * could not be estimated in a group is an error naming the group. */
static attrib_status by_columns(const char *by, const char *treat, by_fit *b, const attrib_by_result *r,
                                int has_arms, attrib_error *err) {
  b->col = attrib__malloc(b->G, sizeof *b->col);
  if (!b->col) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  attrib__sbuf prefix = {0};
  attrib_status s = ATTRIB_OK;
  for (size_t g = 0; s == ATTRIB_OK && g < b->G; g++) {
    prefix.len = 0;
    attrib__sbuf_addf(&prefix, "factor(%s)%s", by, r->groups[g].level);
    if (prefix.failed) {
      s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
      break;
    }
    b->col[g] = SIZE_MAX;
    for (size_t j = 0; j < b->fit->coef.k && b->col[g] == SIZE_MAX; j++)
      if (same_term(b->fit->coef.term[j], prefix.s, treat)) b->col[g] = j;
    if (b->col[g] == SIZE_MAX || b->fit->coef.aliased[b->col[g]]) {
      const attrib_by_group *gr = &r->groups[g];
      if (has_arms && (gr->n_treated == 0 || gr->n_control == 0))
        s = attrib__fail_option(err, ATTRIB_EDESIGN, "by.column", "level '%s' of '%s' has no %s rows (%zu rows, all %s)",
                                r->groups[g].level, by, gr->n_treated ? "control" : "treated", gr->n,
                                gr->n_treated ? "treated" : "control");
      else
        s = attrib__fail_option(err, ATTRIB_EDESIGN, "by.column",
                                "the effect of '%s' cannot be estimated in level '%s' of '%s' (no variation there, "
                                "or collinear)", treat, r->groups[g].level, by);
    }
  }
  attrib__sbuf_free(&prefix);
  return s;
}

attrib_status attrib_ols_by(const attrib_table *t, const attrib_formula *f, const attrib_design_options *dopts,
                            const attrib_ols_options *opts, const attrib_by_options *by, attrib_by_result **out,
                            attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_by: NULL argument");
  *out = NULL;
  if (!t || !f || !opts || !by || !by->column) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_by: NULL argument");
  if (!opts->treat)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "ols.treat", "subgroup effects need ols.treat: the effect to compare");
  attrib_status s = attrib_table_column_require(t, by->column, "by.column", NULL, err);
  if (s != ATTRIB_OK) return s;
  by_fit b = {0};
  attrib_by_result *r = NULL;
  attrib_ols_options o = *opts;
  unsigned char *keep = NULL;
  o.treat = NULL;
  o.keep_residuals = 0;
  if ((s = by_design(t, f, dopts, by->column, &b, err)) != ATTRIB_OK) goto done;
  if ((s = attrib__by_alloc(&r, by->column, b.G, err)) != ATTRIB_OK) goto done;
  r->joint = "one fully interacted regression (terms and fixed effects crossed with the group)";
  /* the rows of the fit: without the singletons of the crossed fixed effects */
  size_t n_single = 0;
  keep = attrib__malloc(b.d->n ? b.d->n : 1, 1);
  if (!keep) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  memset(keep, 1, b.d->n);
  if (b.d->n_fe && o.drop_singletons && (s = attrib__ols_drop_singletons(b.d, keep, &n_single, err)) != ATTRIB_OK)
    goto done;
  for (size_t i = 0; i < b.d->n; i++) r->groups[b.g[i]].n += keep[i];
  for (size_t g = 0; g < b.G; g++) {
    r->groups[g].level = b.levels[g];
    b.levels[g] = NULL;
  }
  const attrib_column *bcol = &t->cols[attrib_table_column_find(t, by->column)];
  for (size_t i = 0; i < t->n_rows; i++) r->n_missing += attrib_column_is_missing(bcol, i);
  int has_arms = arm_counts(t, opts->treat, b.d, b.g, keep, r);
  if ((s = attrib_ols_fit(b.d, &o, &b.fit, err)) != ATTRIB_OK) goto done;
  if ((s = by_columns(by->column, opts->treat, &b, r, has_arms, err)) != ATTRIB_OK) goto done;
  size_t k = b.fit->coef.k, G = b.G;
  for (size_t a = 0; a < G; a++) {
    r->groups[a].effect.estimate = b.fit->coef.estimate[b.col[a]];
    for (size_t c = 0; c < G; c++) r->vcov[c * G + a] = b.fit->vcov[b.col[c] * k + b.col[a]];
  }
  s = attrib__by_compare(r, opts->treat, b.fit->df_inference, opts->level, err);
done:
  attrib__free(keep);
  by_fit_free(&b);
  if (s != ATTRIB_OK) attrib_by_result_free(r);
  else *out = r;
  return s;
}
