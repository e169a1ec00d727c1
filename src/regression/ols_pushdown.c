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
#include "regression/pushdown_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

attrib_status attrib_ols_pushdown_stats(const char *uri, const char *sql, const char *formula, const char *cluster,
                                        const attrib_ols_options *opts, const attrib_ols_stats *at,
                                        attrib_ols_stats **out, char **queries, attrib_error *err) {
  if (!uri || !formula || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_pushdown_stats: NULL argument");
  *out = NULL;
  if (queries) *queries = NULL;
  attrib_formula *f = NULL;
  ATTRIB__TRY(attrib_formula_parse(formula, &f, err));
  attrib_status s = attrib__ols_pushdown_f(uri, sql, f, formula, cluster, opts, at, out, queries, err);
  attrib_formula_free(f);
  return s;
}

/* long: the steps (terms, counts, sums, solve, residual pass, covariance,
 * result) share the connection, the term list and the cleanup. */
attrib_status attrib__ols_pushdown_f(const char *uri, const char *sql, const attrib_formula *f, const char *formula,
                                     const char *cluster, const attrib_ols_options *opts, const attrib_ols_stats *at,
                                     attrib_ols_stats **out, char **queries, attrib_error *err) {
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
  attrib__pd p;
  memset(&p, 0, sizeof p);
  attrib_ols_stats *r = NULL;
  double *row = NULL, *B = NULL, *beta = NULL, n_input = 0.0;
  attrib_status s = attrib__pd_setup(&p, f, uri, sql, cluster, &n_input, err);
  if (s) goto done;
  size_t k = p.k;
  /* 2. n, sum y, X'X (upper triangle), X'y */
  size_t nq = 2 + k * (k + 1) / 2 + k;
  row = attrib__calloc(nq + k * (k + 1) / 2 + 4, sizeof *row);
  B = attrib__calloc(k * k, sizeof *B);
  beta = attrib__calloc(k, sizeof *beta);
  if (!row || !B || !beta || (s = attrib__ols_stats_new(k, 1, &r, err))) {
    s = s ? s : attrib__pd_oom(err);
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
    attrib__pd_rows_query(&p, &q, 0);
    attrib__sbuf_addf(&q, "%s", ") AS attrib_rows");
    if ((s = attrib__pd_run(&p, &q, row, nq, err))) goto done;
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
      attrib__pd_rows_query(&p, &q, 1);
      attrib__sbuf_addf(&q, "%s", ") AS attrib_rows) AS attrib_res GROUP BY g) AS attrib_clusters");
      got = 3 + nm;
    } else {
      attrib__sbuf_addf(&q, "SELECT SUM(e * e), SUM((y - %.17g) * (y - %.17g))", ybar, ybar);
      if (o.vcov == ATTRIB_VCOV_HC1)
        for (size_t a = 0; a < k; a++)
          for (size_t b = a; b < k; b++) attrib__sbuf_addf(&q, ", SUM(e * e * x%zu * x%zu)", a, b);
      attrib__sbuf_addf(&q, " FROM (SELECT attrib_rows.*, %s AS e FROM (", e.s ? e.s : "");
      attrib__pd_rows_query(&p, &q, 0);
      attrib__sbuf_addf(&q, "%s", ") AS attrib_rows) AS attrib_res");
      got = 2 + (o.vcov == ATTRIB_VCOV_HC1 ? nm : 0);
    }
    q.failed |= e.failed; /* the residual's expression is inside q */
    s = attrib__pd_run(&p, &q, row, got, err);
    attrib__sbuf_free(&e);
    if (s) goto done;
    size_t c = 0;
    if (o.vcov == ATTRIB_VCOV_CLUSTER) r->clusters = row[c++];
    r->rss = row[c++];
    r->tss = row[c++];
    if (o.vcov != ATTRIB_VCOV_IID) {
      if (!(r->meat = attrib__malloc(k * k, sizeof *r->meat))) {
        s = attrib__pd_oom(err);
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
  if (!(r->outcome = attrib__strdup(f->response)) || (formula && !(r->formula = attrib__strdup(formula))) ||
      (cluster && !(r->cluster = attrib__strdup(cluster)))) {
    s = attrib__pd_oom(err);
    goto done;
  }
  for (size_t j = 0; j < k; j++)
    if (!(r->terms[j] = attrib__strdup(p.terms[j]))) {
      s = attrib__pd_oom(err);
      goto done;
    }
  if ((s = attrib__pd_queries(&p, queries, err))) goto done;
  *out = r;
  r = NULL;
done:
  attrib_ols_stats_free(r);
  attrib__free(row);
  attrib__free(B);
  attrib__free(beta);
  attrib__pd_free(&p);
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
