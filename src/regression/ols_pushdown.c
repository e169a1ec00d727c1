/* OLS whose heavy pass runs inside PostgreSQL (attrib_ols_pushdown,
 * docs/scale.md): the database sums X'X, X'y and n in one aggregate query;
 * attrib solves the k x k system; a second query, with the coefficients
 * as literals, sums the residuals' squares and the meat of the sandwich
 * (sum e^2 x x' for HC1, the cluster score sums' cross-products for CR1).
 * Only plain numeric columns and factors (one dummy per level, CASE WHEN)
 * are pushed down: what an aggregate of products can compute exactly. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#include <attrib/formula.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "data/data_internal.h"
#include "data/pg_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

typedef struct pd {
  attrib__pg pg;
  char **names;  /* relation's columns */
  int *kinds;
  size_t n_names;
  attrib__sbuf where; /* complete cases */
  attrib__sbuf log;   /* the queries run, for the caller */
  char **terms;       /* k coefficient names */
  char **exprs;       /* k SQL expressions */
  size_t k, n_exprs;  /* n_exprs = k but while push_term fails halfway */
} pd;

static attrib_status pd_oom(attrib_error *err) { return attrib__fail(err, ATTRIB_ENOMEM, "OLS pushdown: out of memory"); }

static int kind_of(const pd *p, const char *name) {
  for (size_t j = 0; j < p->n_names; j++)
    if (!strcmp(p->names[j], name)) return p->kinds[j];
  return ATTRIB__PG_ABSENT;
}

static attrib_status need_column(pd *p, const char *name, const char *what, int *kind, attrib_error *err) {
  *kind = kind_of(p, name);
  if (*kind == ATTRIB__PG_ABSENT)
    return attrib__fail(err, ATTRIB_ENOCOL, "no column '%s' (the %s) in %s", name, what, p->pg.relation);
  return ATTRIB_OK;
}

/* A number column as double precision; NULL and NaN are missing (the CSV
 * reader reads NaN as missing), so both leave the rows. */
static void add_number(const char *id, int kind, attrib__sbuf *expr) {
  if (kind == ATTRIB__PG_BOOL) attrib__sbuf_addf(expr, "CASE WHEN %s THEN 1.0 ELSE 0.0 END::float8", id);
  else attrib__sbuf_addf(expr, "CAST(%s AS double precision)", id);
}

static void where_number(pd *p, const char *id, int kind) {
  attrib__sbuf_addf(&p->where, " AND %s IS NOT NULL", id);
  if (kind != ATTRIB__PG_BOOL) attrib__sbuf_addf(&p->where, " AND CAST(%s AS double precision) <> 'NaN'", id);
}

static attrib_status push_term(pd *p, const char *term, const char *expr, attrib_error *err) {
  if (attrib__strlist_push(&p->exprs, &p->n_exprs, expr)) return pd_oom(err);
  if (attrib__strlist_push(&p->terms, &p->k, term)) return pd_oom(err);
  return ATTRIB_OK;
}

/* A factor: its levels among the complete rows, sorted as the CSV reader
 * sorts them, one CASE WHEN dummy per level (the first left out when the
 * model has an intercept or an earlier factor, as R's contrasts do). */
static attrib_status add_factor(pd *p, const char *name, const char *id, int written_factor, int full,
                                const char *where_all, attrib_error *err) {
  attrib__sbuf q = {0};
  attrib__sbuf_addf(&q, "SELECT DISTINCT CAST(%s AS text) FROM %s AS attrib_src WHERE %s", id, p->pg.relation, where_all);
  if (q.failed) return pd_oom(err);
  attrib__sbuf_addf(&p->log, "%s;\n\n", q.s);
  char **lv = NULL;
  size_t L = 0;
  attrib_status s = attrib__pg_query_texts(&p->pg, q.s, &lv, &L, err);
  attrib__sbuf_free(&q);
  if (s) return s;
  char **ls = attrib__malloc(L ? L : 1, sizeof *ls);
  if (!ls || !attrib__levels_sort(lv, NULL, L, ls, NULL)) {
    attrib__free(ls);
    attrib__strlist_free(lv, L);
    return pd_oom(err);
  }
  for (size_t i = full ? 0 : 1; i < L && s == ATTRIB_OK; i++) {
    char *lit = attrib__pg_literal(&p->pg, ls[i]);
    attrib__sbuf term = {0}, expr = {0};
    if (written_factor) attrib__sbuf_addf(&term, "factor(%s)%s", name, ls[i]);
    else attrib__sbuf_addf(&term, "%s%s", name, ls[i]);
    if (lit) attrib__sbuf_addf(&expr, "CASE WHEN CAST(%s AS text) = %s THEN 1.0 ELSE 0.0 END::float8", id, lit);
    if (!lit || term.failed || expr.failed) s = pd_oom(err);
    else s = push_term(p, term.s, expr.s, err);
    attrib__free(lit);
    attrib__sbuf_free(&term);
    attrib__sbuf_free(&expr);
  }
  attrib__free(ls);
  attrib__strlist_free(lv, L);
  return s;
}

static void pd_free(pd *p) {
  attrib__pg_close(&p->pg);
  attrib__strlist_free(p->names, p->n_names);
  attrib__free(p->kinds);
  attrib__sbuf_free(&p->where);
  attrib__sbuf_free(&p->log);
  attrib__strlist_free(p->terms, p->k);
  attrib__strlist_free(p->exprs, p->n_exprs);
}

/* The rows as a subquery: y, x0..x{k-1} and g (the cluster, as text). */
static void rows_query(const pd *p, attrib__sbuf *b, const char *yid, const char *gid) {
  attrib__sbuf_addf(b, "SELECT %s AS y", yid);
  for (size_t j = 0; j < p->k; j++) attrib__sbuf_addf(b, ", %s AS x%zu", p->exprs[j], j);
  if (gid) attrib__sbuf_addf(b, ", CAST(%s AS text) AS g", gid);
  /* OFFSET 0 keeps PostgreSQL from pulling the subquery up into the
   * aggregates, which would evaluate each column's expression (a factor's
   * CASE WHEN) once per sum it enters: k times per row instead of once */
  attrib__sbuf_addf(b, " FROM %s AS attrib_src WHERE %s OFFSET 0", p->pg.relation, p->where.s);
}

/* long: the steps (terms, counts, sums, solve, residual pass, covariance,
 * result) share the connection, the term list and the cleanup. */
attrib_status attrib_ols_pushdown_stats(const char *uri, const char *sql, const char *formula, const char *cluster,
                                        const attrib_ols_options *opts, const attrib_ols_stats *at,
                                        attrib_ols_stats **out, char **queries, attrib_error *err) {
  if (!uri || !formula || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_pushdown_stats: NULL argument");
  *out = NULL;
  if (queries) *queries = NULL;
  attrib_ols_options o;
  if (opts) o = *opts;
  else attrib_ols_options_init(&o);
  if (cluster) o.vcov = ATTRIB_VCOV_CLUSTER;
  if (o.vcov != ATTRIB_VCOV_IID && o.vcov != ATTRIB_VCOV_HC1 && o.vcov != ATTRIB_VCOV_CLUSTER)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "ols.vcov",
                               "a pushed-down OLS computes iid, hc1 and one-way cluster (CR1) standard errors, not %s",
                               attrib_vcov_type_name(o.vcov));
  if (o.vcov == ATTRIB_VCOV_CLUSTER && !cluster)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "ols.vcov", "cluster standard errors need a cluster column");
  ATTRIB__TRY(attrib__check_level(o.level, "ols.level", err));
  attrib_formula *f = NULL;
  ATTRIB__TRY(attrib_formula_parse(formula, &f, err));
  pd p;
  memset(&p, 0, sizeof p);
  attrib_ols_stats *r = NULL;
  double *row = NULL, *B = NULL, *beta = NULL;
  char *yid = NULL, *gid = NULL;
  attrib_status s = ATTRIB_OK;
  if (!f->response) s = attrib__fail(err, ATTRIB_EFORMULA, "the formula has no response (y ~ ...)");
  else if (f->n_fe)
    s = attrib__fail(err, ATTRIB_EUSAGE, "absorbed fixed effects (| %s) are not pushed down: write them as factor(%s)",
                     f->fe[0], f->fe[0]);
  if (s) goto done;
  if ((s = attrib__pg_open(uri, sql, &p.pg, err))) goto done;
  if ((s = attrib__pg_describe(&p.pg, &p.names, &p.kinds, &p.n_names, err))) goto done;
  int ky;
  if ((s = need_column(&p, f->response, "outcome", &ky, err))) goto done;
  if (ky != ATTRIB__PG_NUMBER && ky != ATTRIB__PG_BOOL) {
    s = attrib__fail(err, ATTRIB_ETYPE, "the outcome '%s' is not a number column in the database (cast it in the query)",
                     f->response);
    goto done;
  }
  attrib__sbuf ye = {0};
  char *id = attrib__pg_ident(&p.pg, f->response);
  if (!id) {
    s = pd_oom(err);
    goto done;
  }
  attrib__sbuf_add(&p.where, "TRUE", 4);
  add_number(id, ky, &ye);
  where_number(&p, id, ky);
  attrib__free(id);
  if (ye.failed || !(yid = attrib__strdup(ye.s))) s = pd_oom(err);
  attrib__sbuf_free(&ye);
  if (s) goto done;
  if (cluster) {
    int kg;
    if ((s = need_column(&p, cluster, "cluster", &kg, err))) goto done;
    if (!(gid = attrib__pg_ident(&p.pg, cluster))) {
      s = pd_oom(err);
      goto done;
    }
    attrib__sbuf_addf(&p.where, " AND %s IS NOT NULL", gid);
  }
  /* every column's missing values leave the rows before any factor's levels are read */
  /* per variable: its kind and quoted name; every variable's missing
   * values leave the rows before any factor's levels are read */
  int *kinds = attrib__calloc(f->n_vars ? f->n_vars : 1, sizeof *kinds);
  char **ids = attrib__calloc(f->n_vars ? f->n_vars : 1, sizeof *ids);
  if (!kinds || !ids) s = pd_oom(err);
  for (size_t i = 0; !s && i < f->n_vars; i++) {
    const attrib_formula_var *v = &f->vars[i];
    /* a removed term's variable (y ~ a + b - b) too: R's model frame, and
     * the CSV path, drop the rows where it is missing */
    if ((s = need_column(&p, v->name, "formula term", &kinds[i], err))) break;
    if (!(ids[i] = attrib__pg_ident(&p.pg, v->name))) s = pd_oom(err);
    else if (v->is_factor || kinds[i] == ATTRIB__PG_TEXT || kinds[i] == ATTRIB__PG_OTHER)
      attrib__sbuf_addf(&p.where, " AND %s IS NOT NULL", ids[i]);
    else where_number(&p, ids[i], kinds[i]);
  }
  for (size_t t = 0; !s && t < f->n_terms; t++) {
    if (f->terms[t].n_vars == 1) continue;
    for (size_t q = 0; q < f->terms[t].n_vars && !s; q++) {
      size_t i = f->terms[t].vars[q];
      if (f->vars[i].is_factor || kinds[i] == ATTRIB__PG_TEXT || kinds[i] == ATTRIB__PG_OTHER)
        s = attrib__fail(err, ATTRIB_EUSAGE,
                         "the interaction with the factor '%s' is not pushed down: products of numeric columns, plain "
                         "numeric columns and factor() are", f->vars[i].name);
    }
  }
  if (!s && f->intercept) s = push_term(&p, "(Intercept)", "1.0::float8", err);
  int had_factor = 0;
  for (size_t t = 0; !s && t < f->n_terms; t++) {
    size_t i0 = f->terms[t].vars[0];
    const attrib_formula_var *v = &f->vars[i0];
    if (f->terms[t].n_vars == 1 && (v->is_factor || kinds[i0] == ATTRIB__PG_TEXT || kinds[i0] == ATTRIB__PG_OTHER)) {
      /* levels among the complete cases: p.where is whole by now */
      s = p.where.failed ? pd_oom(err)
                         : add_factor(&p, v->name, ids[i0], v->is_factor, !f->intercept && !had_factor, p.where.s, err);
      had_factor = 1;
    } else { /* a column, or the product of the columns of an interaction ("a:b") */
      attrib__sbuf e = {0}, name = {0};
      for (size_t q = 0; q < f->terms[t].n_vars; q++) {
        size_t i = f->terms[t].vars[q];
        if (q) attrib__sbuf_addf(&e, "%s", " * ");
        add_number(ids[i], kinds[i], &e);
        attrib__sbuf_addf(&name, "%s%s", q ? ":" : "", f->vars[i].name);
      }
      if (e.failed || name.failed) s = pd_oom(err);
      else s = push_term(&p, name.s, e.s, err);
      attrib__sbuf_free(&e);
      attrib__sbuf_free(&name);
    }
  }
  for (size_t i = 0; ids && i < f->n_vars; i++) attrib__free(ids[i]);
  attrib__free(ids);
  attrib__free(kinds);
  if (s) goto done;
  if (p.where.failed) {
    s = pd_oom(err);
    goto done;
  }
  size_t k = p.k;
  if (k == 0) {
    s = attrib__fail(err, ATTRIB_EDESIGN, "the model has no coefficient to estimate");
    goto done;
  }
  /* 1. n_input */
  double n_input;
  {
    attrib__sbuf q = {0};
    attrib__sbuf_addf(&q, "SELECT CAST(count(*) AS double precision) FROM %s AS attrib_src", p.pg.relation);
    if (q.failed) s = pd_oom(err);
    else {
      attrib__sbuf_addf(&p.log, "%s;\n\n", q.s);
      s = attrib__pg_query_row(&p.pg, q.s, &n_input, 1, err);
    }
    attrib__sbuf_free(&q);
    if (s) goto done;
  }
  /* 2. n, sum y, X'X (upper triangle), X'y */
  size_t nq = 2 + k * (k + 1) / 2 + k;
  row = attrib__calloc(nq + k * (k + 1) / 2 + 4, sizeof *row);
  B = attrib__calloc(k * k, sizeof *B);
  beta = attrib__calloc(k, sizeof *beta);
  if (!row || !B || !beta || (s = attrib__ols_stats_new(k, 1, &r, err))) {
    s = s ? s : pd_oom(err);
    goto done;
  }
  if (at) { /* the residual pass at another fit's coefficients: the same terms */
    size_t j = 0;
    while (j < k && j < at->k && !strcmp(p.terms[j], at->terms[j])) j++;
    if (at->k != k || j < k || !at->has_residuals) {
      s = !at->has_residuals
              ? attrib__fail(err, ATTRIB_EDESIGN, "the statistics to take the coefficients from have none")
          : at->k != k ? attrib__fail(err, ATTRIB_EDESIGN,
                                      "the coefficients' statistics have %zu terms and this model %zu: the same formula "
                                      "and factor levels are needed",
                                      at->k, k)
                       : attrib__fail(err, ATTRIB_EDESIGN,
                                      "the coefficients' statistics name term %zu '%s', this model '%s'", j + 1,
                                      at->terms[j], p.terms[j]);
      goto done;
    }
  }
  {
    attrib__sbuf q = {0};
    attrib__sbuf_addf(&q, "%s", "SELECT CAST(count(*) AS double precision), SUM(y)");
    for (size_t a = 0; a < k; a++)
      for (size_t b = a; b < k; b++) attrib__sbuf_addf(&q, ", SUM(x%zu * x%zu)", a, b);
    for (size_t a = 0; a < k; a++) attrib__sbuf_addf(&q, ", SUM(x%zu * y)", a);
    attrib__sbuf_addf(&q, "%s", " FROM (");
    rows_query(&p, &q, yid, NULL);
    attrib__sbuf_addf(&q, "%s", ") AS attrib_rows");
    if (q.failed) s = pd_oom(err);
    else {
      attrib__sbuf_addf(&p.log, "%s;\n\n", q.s);
      s = attrib__pg_query_row(&p.pg, q.s, row, nq, err);
    }
    attrib__sbuf_free(&q);
    if (s) goto done;
  }
  double n = row[0], sy = row[1];
  if (!(n > 0)) {
    s = attrib__fail(err, ATTRIB_ENODATA, "no complete row in %s for this model", p.pg.relation);
    goto done;
  }
  {
    size_t c = 2;
    for (size_t a = 0; a < k; a++)
      for (size_t b = a; b < k; b++) r->xtx[b * k + a] = r->xtx[a * k + b] = row[c++];
    for (size_t a = 0; a < k; a++) r->xty[a] = row[c++];
  }
  if ((double)k >= n) {
    s = attrib__fail(err, ATTRIB_EDESIGN, "no residual degrees of freedom: %.0f rows for %zu coefficients", n, k);
    goto done;
  }
  /* 3. the coefficients of the residual pass: this source's own solution
   * (Cholesky; nothing is dropped as collinear: the database cannot be
   * asked again cheaply), or the given ones */
  if (at) memcpy(beta, at->coefficients, k * sizeof *beta);
  else if ((s = attrib__ols_stats_solve(r->xtx, r->xty, k, o.collinearity_tol, beta, B, err))) goto done;
  /* 4. residual pass: e = y - x'beta with beta as literals (%.17g: exact) */
  double ybar = f->intercept ? sy / n : 0.0;
  {
    attrib__sbuf q = {0}, e = {0};
    attrib__sbuf_addf(&e, "%s", "y - (");
    for (size_t a = 0; a < k; a++) attrib__sbuf_addf(&e, "%s%.17g * x%zu", a ? " + " : "", beta[a], a);
    attrib__sbuf_addf(&e, "%s", ")");
    size_t nm = k * (k + 1) / 2, got;
    if (o.vcov == ATTRIB_VCOV_CLUSTER) {
      attrib__sbuf_addf(&q, "%s", "SELECT CAST(count(*) AS double precision), SUM(ee), SUM(tt)");
      for (size_t a = 0; a < k; a++)
        for (size_t b = a; b < k; b++) attrib__sbuf_addf(&q, ", SUM(s%zu * s%zu)", a, b);
      attrib__sbuf_addf(&q, " FROM (SELECT SUM(e * e) AS ee, SUM((y - %.17g) * (y - %.17g)) AS tt", ybar, ybar);
      for (size_t a = 0; a < k; a++) attrib__sbuf_addf(&q, ", SUM(e * x%zu) AS s%zu", a, a);
      attrib__sbuf_addf(&q, " FROM (SELECT attrib_rows.*, %s AS e FROM (", e.s ? e.s : "");
      rows_query(&p, &q, yid, gid);
      attrib__sbuf_addf(&q, "%s", ") AS attrib_rows) AS attrib_res GROUP BY g) AS attrib_clusters");
      got = 3 + nm;
    } else {
      attrib__sbuf_addf(&q, "SELECT SUM(e * e), SUM((y - %.17g) * (y - %.17g))", ybar, ybar);
      if (o.vcov == ATTRIB_VCOV_HC1)
        for (size_t a = 0; a < k; a++)
          for (size_t b = a; b < k; b++) attrib__sbuf_addf(&q, ", SUM(e * e * x%zu * x%zu)", a, b);
      attrib__sbuf_addf(&q, " FROM (SELECT attrib_rows.*, %s AS e FROM (", e.s ? e.s : "");
      rows_query(&p, &q, yid, NULL);
      attrib__sbuf_addf(&q, "%s", ") AS attrib_rows) AS attrib_res");
      got = 2 + (o.vcov == ATTRIB_VCOV_HC1 ? nm : 0);
    }
    if (q.failed || e.failed) s = pd_oom(err);
    else {
      attrib__sbuf_addf(&p.log, "%s;\n", q.s);
      s = attrib__pg_query_row(&p.pg, q.s, row, got, err);
    }
    attrib__sbuf_free(&q);
    attrib__sbuf_free(&e);
    if (s) goto done;
    size_t c = 0;
    if (o.vcov == ATTRIB_VCOV_CLUSTER) r->clusters = row[c++];
    r->rss = row[c++];
    r->tss = row[c++];
    if (o.vcov != ATTRIB_VCOV_IID) {
      if (!(r->meat = attrib__malloc(k * k, sizeof *r->meat))) {
        s = pd_oom(err);
        goto done;
      }
      for (size_t a = 0; a < k; a++)
        for (size_t b = a; b < k; b++) r->meat[b * k + a] = r->meat[a * k + b] = row[c++];
    }
  }
  /* 5. the statistics */
  r->intercept = f->intercept;
  r->n_input = n_input;
  r->n = n;
  r->sum_y = sy;
  r->vcov = o.vcov;
  r->ybar = ybar;
  memcpy(r->coefficients, beta, k * sizeof *beta);
  if (!(r->outcome = attrib__strdup(f->response)) || !(r->formula = attrib__strdup(formula)) ||
      (cluster && !(r->cluster = attrib__strdup(cluster)))) {
    s = pd_oom(err);
    goto done;
  }
  for (size_t j = 0; j < k; j++)
    if (!(r->terms[j] = attrib__strdup(p.terms[j]))) {
      s = pd_oom(err);
      goto done;
    }
  if (queries) {
    if (p.log.failed || !(*queries = attrib__strdup(p.log.s ? p.log.s : ""))) {
      s = pd_oom(err);
      goto done;
    }
  }
  *out = r;
  r = NULL;
done:
  attrib_ols_stats_free(r);
  attrib__free(row);
  attrib__free(B);
  attrib__free(beta);
  attrib__free(yid);
  attrib__free(gid);
  pd_free(&p);
  attrib_formula_free(f);
  return s;
}

attrib_status attrib_ols_pushdown(const char *uri, const char *sql, const char *formula, const char *cluster,
                                  const attrib_ols_options *opts, attrib_ols_result **out, char **queries,
                                  attrib_error *err) {
  if (!uri || !formula || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_pushdown: NULL argument");
  *out = NULL;
  attrib_ols_stats *st = NULL;
  attrib_ols_options o;
  if (opts) o = *opts;
  else attrib_ols_options_init(&o);
  if (cluster) o.vcov = ATTRIB_VCOV_CLUSTER;
  ATTRIB__TRY(attrib_ols_pushdown_stats(uri, sql, formula, cluster, &o, NULL, &st, queries, err));
  attrib_status s = attrib_ols_from_stats(st, &o, out, err);
  attrib_ols_stats_free(st);
  if (s && queries) {
    attrib__free(*queries);
    *queries = NULL;
  }
  return s;
}
