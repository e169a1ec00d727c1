/* Logit whose passes run inside PostgreSQL (attrib_logit_pushdown,
 * docs/scale.md "Logit"): Newton's method (Fisher scoring) with one
 * aggregate query per step. The query carries the coefficients as literals
 * (%.17g: exact), evaluates the link per row as logit.c's link_eval does
 * (t = exp(-min(|eta|, 30)), mu, dmu/deta and the deviance term 2 log(1 +
 * exp(-s eta)) without overflow), and returns the deviance, the information
 * X'WX, the score X'u and the count of rows at the threshold; attrib solves
 * the step, halves it when the deviance rises and stops by logit.c's test.
 * The start is R's glm start, mu = (y + 1/2) / 2: for 0/1 outcomes its
 * weights are the constant 3/16 and its working outcome (2y - 1)(log 3 +
 * 4/3), so the start's least squares are the normal equations' (X'X and
 * X'y, one query). Only the logit link: PostgreSQL has no normal CDF. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#include <attrib/formula.h>
#include <attrib/logit.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "data/pg_internal.h"
#include "inference/inference_internal.h"
#include "regression/pushdown_internal.h"
#include "regression/regression_internal.h"

#define LOGIT_THRESH 30.0 /* logit.c's */

typedef struct lpd {
  attrib__pd p;
  const attrib_logit_options *o;
  attrib_error *err;
  size_t k;
  double *beta, *beta_old, *delta, *G, *g, *scale, *row, *m1, *m2;
  double n, extreme;
} lpd;

/* The rows with the link at L->beta: y, x0..x{k-1} [, g], eta, mu, the
 * IRLS weight w and working score u, the deviance term dv and ext (1 where
 * |eta| reached the threshold). */
static void link_rows(const lpd *L, attrib__sbuf *q, int with_cluster) {
  size_t k = L->k;
  attrib__sbuf_addf(q, "%s", "SELECT *, w0 * w0 / v AS w, (y - mu) * w0 / v AS u FROM (SELECT *, ");
  /* var and dmu/deta kept above DBL_EPSILON, as logit.c */
  attrib__sbuf_addf(q, "GREATEST(me, %.17g) AS w0, GREATEST(mu * (1.0 - mu), %.17g) AS v FROM (SELECT *, ", DBL_EPSILON,
                    DBL_EPSILON);
  attrib__sbuf_addf(q, "%s", "CASE WHEN eta >= 0 THEN qq ELSE t * qq END AS mu, t * qq * qq AS me, ");
  attrib__sbuf_addf(q,
                    "2.0 * (CASE WHEN ABS(eta) < %.1f THEN LN(1.0 + t) WHEN ABS(eta) < 700.0 THEN LN(1.0 + EXP(-ABS(eta))) "
                    "ELSE 0.0::float8 END + GREATEST(CASE WHEN y > 0.5 THEN -eta ELSE eta END, 0.0::float8)) AS dv, ",
                    LOGIT_THRESH);
  attrib__sbuf_addf(q, "CASE WHEN ABS(eta) >= %.1f THEN 1.0 ELSE 0.0 END::float8 AS ext FROM (SELECT *, ", LOGIT_THRESH);
  attrib__sbuf_addf(q, "%s", "1.0 / (1.0 + t) AS qq FROM (SELECT *, ");
  attrib__sbuf_addf(q, "EXP(-LEAST(ABS(eta), %.1f)) AS t FROM (SELECT attrib_rows.*, (", LOGIT_THRESH);
  for (size_t a = 0; a < k; a++) attrib__sbuf_addf(q, "%s%.17g * x%zu", a ? " + " : "", L->beta[a], a);
  attrib__sbuf_addf(q, "%s", ") AS eta FROM (");
  attrib__pd_rows_query(&L->p, q, with_cluster);
  attrib__sbuf_addf(q, "%s",
                    ") AS attrib_rows) AS attrib_eta) AS attrib_t) AS attrib_q) AS attrib_mu) AS attrib_link");
}

static attrib_status run_row(lpd *L, attrib__sbuf *q, size_t n) { return attrib__pd_run(&L->p, q, L->row, n, L->err); }

/* One Newton pass at L->beta: the deviance, G = X'WX, g = X'u and the
 * rows at the threshold. */
static attrib_status pass(lpd *L, double *dev) {
  size_t k = L->k, c = 2;
  attrib__sbuf q = {0};
  attrib__sbuf_addf(&q, "%s", "SELECT SUM(dv), SUM(ext)");
  for (size_t a = 0; a < k; a++)
    for (size_t b = a; b < k; b++) attrib__sbuf_addf(&q, ", SUM(w * x%zu * x%zu)", a, b);
  for (size_t a = 0; a < k; a++) attrib__sbuf_addf(&q, ", SUM(u * x%zu)", a);
  attrib__sbuf_addf(&q, "%s", " FROM (");
  link_rows(L, &q, 0);
  attrib__sbuf_addf(&q, "%s", ") AS attrib_pass");
  ATTRIB__TRY(run_row(L, &q, 2 + k * (k + 1) / 2 + k));
  *dev = L->row[0];
  L->extreme = L->row[1];
  for (size_t a = 0; a < k; a++)
    for (size_t b = a; b < k; b++) L->G[b * k + a] = L->G[a * k + b] = L->row[c++];
  for (size_t a = 0; a < k; a++) L->g[a] = L->row[c++];
  return ATTRIB_OK;
}

/* The start: the outcome checked (0/1, both values), the counts, and the
 * glm start's coefficients from X'X and X'(2y - 1). */
static attrib_status start(lpd *L, const char *yname, double *ones) {
  size_t k = L->k, nq = 3 + k * (k + 1) / 2 + 2 * k, c = 3;
  attrib__sbuf q = {0};
  attrib__sbuf_addf(&q, "%s",
                    "SELECT CAST(count(*) AS double precision), SUM(y), SUM(CASE WHEN y = 0 OR y = 1 THEN 0.0 ELSE 1.0 END::float8)");
  for (size_t a = 0; a < k; a++)
    for (size_t b = a; b < k; b++) attrib__sbuf_addf(&q, ", SUM(x%zu * x%zu)", a, b);
  for (size_t a = 0; a < k; a++) attrib__sbuf_addf(&q, ", SUM(x%zu * y), SUM(x%zu)", a, a);
  attrib__sbuf_addf(&q, "%s", " FROM (");
  attrib__pd_rows_query(&L->p, &q, 0);
  attrib__sbuf_addf(&q, "%s", ") AS attrib_rows");
  ATTRIB__TRY(run_row(L, &q, nq));
  L->n = L->row[0];
  *ones = L->row[1];
  if (!(L->n > 0)) return attrib__fail(L->err, ATTRIB_ENODATA, "no complete row in %s for this model", L->p.pg.relation);
  if (L->row[2] > 0)
    return attrib__fail(L->err, ATTRIB_ETYPE, "the outcome '%s' of a binary model must be 0 or 1, but %.0f rows of %s hold "
                                              "other values",
                        yname, L->row[2], L->p.pg.relation);
  if (*ones == 0 || *ones == L->n)
    return attrib__fail(L->err, ATTRIB_EDESIGN, "the outcome '%s' is %d in every row used: there is nothing to model", yname,
                        *ones > 0 ? 1 : 0);
  if ((double)k >= L->n)
    return attrib__fail(L->err, ATTRIB_EDESIGN, "%.0f rows for %zu coefficients: too few to fit", L->n, k);
  double *XtX = L->G, *B = attrib__malloc(k * k, sizeof *B), *z = L->delta;
  if (!B) return attrib__pd_oom(L->err);
  for (size_t a = 0; a < k; a++)
    for (size_t b = a; b < k; b++) XtX[b * k + a] = XtX[a * k + b] = L->row[c++];
  for (size_t a = 0; a < k; a++, c += 2) {
    z[a] = (log(3.0) + 4.0 / 3.0) * (2.0 * L->row[c] - L->row[c + 1]); /* X'z0 */
    L->m1[a] = L->row[c + 1];
    L->m2[a] = XtX[a * k + a];
  }
  attrib_status s = attrib__ols_stats_solve(XtX, z, k, L->o->collinearity_tol, L->beta, B, L->err);
  attrib__free(B);
  return s;
}

/* Newton from the start, as logit_newton and the streamed fit: one query
 * per step, step halving, logit.c's convergence test; then the
 * separation check. */
static attrib_status pass_cb(void *ctx, double *dev) { return pass(ctx, dev); }

static attrib_status newton(lpd *L, attrib_logit_result *r, const char *yname, const char *const *terms, double *dev) {
  size_t k = L->k;
  attrib__newton nw = {L, pass_cb, k, L->o->max_iter, L->o->tol, L->beta, L->beta_old, L->delta, L->G, L->g, L->scale};
  ATTRIB__TRY(attrib__newton_run(&nw, dev, &r->iterations, &r->converged, L->err));
  return attrib__separation_verdict(yname, L->extreme, L->m1, L->m2, L->beta, L->n, k, terms, NULL, L->err);
}

/* The covariance: the inverse information at the estimate, and for hc0,
 * hc1 and cluster the sandwich with the meat's query (sum u^2 x x', or the
 * cluster sums of u x and their cross-products); *G the clusters. */
static attrib_status vcov(lpd *L, double *V, double *G) {
  size_t k = L->k, nm = k * (k + 1) / 2, c = 0;
  attrib_vcov_type type = L->o->vcov;
  memcpy(V, L->G, k * k * sizeof *V);
  if (LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)k, V, (lapack_int)k) != 0)
    return attrib__fail(L->err, ATTRIB_ENUMERIC, "logit: the information matrix is singular at the estimate");
  attrib__symmetrize(V, k);
  for (size_t a = 0; a < k; a++)
    for (size_t b = 0; b < k; b++) V[b * k + a] *= L->scale[a] * L->scale[b];
  if (type == ATTRIB_VCOV_IID) return ATTRIB_OK;
  attrib__sbuf q = {0};
  if (type == ATTRIB_VCOV_CLUSTER) {
    attrib__sbuf_addf(&q, "%s", "SELECT CAST(count(*) AS double precision)");
    for (size_t a = 0; a < k; a++)
      for (size_t b = a; b < k; b++) attrib__sbuf_addf(&q, ", SUM(s%zu * s%zu)", a, b);
    attrib__sbuf_addf(&q, "%s", " FROM (SELECT ");
    for (size_t a = 0; a < k; a++) attrib__sbuf_addf(&q, "%sSUM(u * x%zu) AS s%zu", a ? ", " : "", a, a);
    attrib__sbuf_addf(&q, "%s", " FROM (");
    link_rows(L, &q, 1);
    attrib__sbuf_addf(&q, "%s", ") AS attrib_res GROUP BY g) AS attrib_clusters");
  } else {
    attrib__sbuf_addf(&q, "%s", "SELECT CAST(count(*) AS double precision)");
    for (size_t a = 0; a < k; a++)
      for (size_t b = a; b < k; b++) attrib__sbuf_addf(&q, ", SUM(u * u * x%zu * x%zu)", a, b);
    attrib__sbuf_addf(&q, "%s", " FROM (");
    link_rows(L, &q, 0);
    attrib__sbuf_addf(&q, "%s", ") AS attrib_res");
  }
  ATTRIB__TRY(run_row(L, &q, 1 + nm));
  double *M = attrib__malloc(k * k, sizeof *M), *B = attrib__malloc(k * k, sizeof *B);
  if (!M || !B) {
    attrib__free(M);
    attrib__free(B);
    return attrib__pd_oom(L->err);
  }
  *G = type == ATTRIB_VCOV_CLUSTER ? L->row[c] : 0.0;
  c++;
  for (size_t a = 0; a < k; a++)
    for (size_t b = a; b < k; b++) M[b * k + a] = M[a * k + b] = L->row[c++];
  memcpy(B, V, k * k * sizeof *B);
  attrib_status s = ATTRIB_OK;
  if (type == ATTRIB_VCOV_CLUSTER && *G < 2)
    s = attrib__fail(L->err, ATTRIB_EDESIGN, "one cluster: cluster-robust standard errors need at least two");
  else if (attrib__sandwich(B, M, k, attrib__sandwich_scale(type, L->n, *G, (double)k), V, L->err))
    s = attrib__pd_oom(L->err);
  attrib__free(M);
  attrib__free(B);
  return s;
}

/* The result's table and statistics (the streamed fit's lstream_table;
 * nothing is aliased: a collinear design is an error). */
static attrib_status table(lpd *L, const attrib_formula *f, const char *cluster, double dev, double ones, double G,
                           const double *V, attrib_logit_result *r) {
  size_t k = L->k;
  const attrib_logit_options *o = L->o;
  if (attrib__coef_alloc(&r->coef, k) || !(r->vcov = attrib__malloc(k * k, sizeof *r->vcov)) ||
      !(r->response = attrib__strdup(f->response)))
    return attrib__pd_oom(L->err);
  memcpy(r->vcov, V, k * k * sizeof *V);
  for (size_t j = 0; j < k; j++) {
    if (!(r->coef.term[j] = attrib__strdup(L->p.terms[j]))) return attrib__pd_oom(L->err);
    r->coef.aliased[j] = 0;
    r->coef.estimate[j] = L->beta[j];
    r->coef.std_error[j] = sqrt(V[j * k + j]);
  }
  attrib__coef_infer(&r->coef, INFINITY, o->level);
  r->rank = k;
  r->n_obs = (size_t)L->n;
  if (o->vcov == ATTRIB_VCOV_CLUSTER) {
    r->n_cluster_dims = 1;
    r->cluster_names = attrib__calloc(1, sizeof *r->cluster_names);
    r->n_clusters = attrib__calloc(1, sizeof *r->n_clusters);
    if (!r->cluster_names || !r->n_clusters || !(r->cluster_names[0] = attrib__strdup(cluster)))
      return attrib__pd_oom(L->err);
    r->n_clusters[0] = (size_t)G;
  }
  if (o->treat) {
    for (size_t j = 0; j < k; j++)
      if (!strcmp(r->coef.term[j], o->treat)) r->effect_index = (long)j;
    if (r->effect_index < 0)
      return attrib__fail(L->err, ATTRIB_EDESIGN, "the treatment '%s' is not a coefficient of the model", o->treat);
    if (!(r->effect.term = attrib__strdup(o->treat))) return attrib__pd_oom(L->err);
    attrib__effect_from(&r->effect, &r->coef, (size_t)r->effect_index);
  }
  /* the streamed fit's statistics and warnings (the cluster facts are set above) */
  if (attrib__logit_ooc_stats(r, o, dev, L->n, ones, L->n, k, f->intercept)) return attrib__pd_oom(L->err);
  return ATTRIB_OK;
}

static attrib_status check_options(const attrib_logit_options *o, const char *cluster, attrib_error *err) {
  if (o->link != ATTRIB_LINK_LOGIT)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "logit.link",
                               "probit is not pushed down: PostgreSQL has no normal distribution function; fetch the "
                               "table without pushdown");
  if (o->keep_fitted)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "logit.keep_fitted", "fitted values (one per row) are not pushed down");
  if (o->vcov != ATTRIB_VCOV_IID && o->vcov != ATTRIB_VCOV_HC0 && o->vcov != ATTRIB_VCOV_HC1 &&
      o->vcov != ATTRIB_VCOV_CLUSTER)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "logit.vcov", "a pushed-down logit computes iid, hc0, hc1 and one-way "
                                                                 "cluster standard errors, not %s",
                               attrib_vcov_type_name(o->vcov));
  if (o->vcov == ATTRIB_VCOV_CLUSTER && !cluster)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "logit.vcov", "cluster standard errors need a cluster column");
  return attrib__check_level(o->level, "logit.level", err);
}

attrib_status attrib_logit_pushdown(const char *uri, const char *sql, const char *formula, const char *cluster,
                                    const attrib_logit_options *opts, attrib_logit_result **out, char **queries,
                                    attrib_error *err) {
  if (!uri || !formula || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_logit_pushdown: NULL argument");
  *out = NULL;
  if (queries) *queries = NULL;
  attrib_logit_options o;
  if (opts) o = *opts;
  else attrib_logit_options_init(&o);
  if (cluster) o.vcov = ATTRIB_VCOV_CLUSTER;
  ATTRIB__TRY(check_options(&o, cluster, err));
  attrib_formula *f = NULL;
  ATTRIB__TRY(attrib_formula_parse(formula, &f, err));
  lpd L;
  memset(&L, 0, sizeof L);
  L.o = &o;
  L.err = err;
  attrib_logit_result *r = NULL;
  double *V = NULL, n_input = 0.0, ones = 0.0, dev = NAN, G = 0.0;
  attrib_status s = attrib__pd_setup(&L.p, f, uri, sql, cluster, &n_input, err);
  if (s) goto done;
  size_t k = L.k = L.p.k;
  L.beta = attrib__malloc(k, sizeof *L.beta);
  L.beta_old = attrib__malloc(k, sizeof *L.beta_old);
  L.delta = attrib__malloc(k, sizeof *L.delta);
  L.G = attrib__malloc(k * k, sizeof *L.G);
  L.g = attrib__malloc(k, sizeof *L.g);
  L.scale = attrib__malloc(k, sizeof *L.scale);
  L.m1 = attrib__malloc(k, sizeof *L.m1);
  L.m2 = attrib__malloc(k, sizeof *L.m2);
  L.row = attrib__malloc(3 + k * (k + 1) / 2 + 2 * k, sizeof *L.row);
  V = attrib__malloc(k * k, sizeof *V);
  r = attrib__calloc(1, sizeof *r);
  if (!L.beta || !L.beta_old || !L.delta || !L.G || !L.g || !L.scale || !L.m1 || !L.m2 || !L.row || !V || !r) {
    s = attrib__pd_oom(err);
    goto done;
  }
  r->effect_index = -1;
  r->level = o.level;
  r->link = o.link;
  r->vcov_type = o.vcov;
  if ((s = start(&L, f->response, &ones))) goto done;
  r->n_input = (size_t)n_input;
  r->n_dropped_missing = n_input > L.n ? (size_t)(n_input - L.n) : 0;
  if ((s = newton(&L, r, f->response, (const char *const *)L.p.terms, &dev))) goto done;
  if ((s = vcov(&L, V, &G))) goto done;
  if ((s = table(&L, f, cluster, dev, ones, G, V, r))) goto done;
  if ((s = attrib__pd_queries(&L.p, queries, err))) goto done;
  *out = r;
  r = NULL;
done:
  attrib_logit_result_free(r);
  attrib__free(V);
  attrib__free(L.beta), attrib__free(L.beta_old), attrib__free(L.delta), attrib__free(L.G), attrib__free(L.g);
  attrib__free(L.scale), attrib__free(L.m1), attrib__free(L.m2), attrib__free(L.row);
  attrib__pd_free(&L.p);
  attrib_formula_free(f);
  return s;
}
