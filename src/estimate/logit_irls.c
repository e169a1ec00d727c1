/*
 * Logit and probit by iteratively reweighted least squares (Fisher scoring;
 * McCullagh & Nelder 1989, "Generalized Linear Models", sec. 2.5), as R's
 * glm.fit does, with two additions:
 *   - step halving whenever the deviance rises or stops being finite;
 *   - separation diagnosed by name (Albert & Anderson 1984, Biometrika 71):
 *     first a univariate check of every covariate (is y = 1 on one side of a
 *     threshold and y = 0 on the other, possibly touching at the threshold:
 *     the quasi-complete case of a dummy whose rows all share one outcome);
 *     then, after fitting, fitted probabilities numerically 0 or 1 mean that
 *     some combination of covariates separates the outcome.
 * Each step is a weighted least-squares solve (ls_solve.c) without extra
 * refinement: the iteration refines itself.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_erf.h>

#include <attrib/logit.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "design/design_internal.h"
#include "estimate/estimate_internal.h"

void attrib_logit_options_init(attrib_logit_options *o) {
  memset(o, 0, sizeof *o);
  o->link = ATTRIB_LINK_LOGIT;
  o->vcov = ATTRIB_VCOV_IID;
  o->level = 0.95;
  o->tol = 1e-12;
  o->max_iter = 50;
  o->collinearity_tol = 1e-10;
}

attrib_status attrib_link_parse(const char *s, attrib_link *out, attrib_error *err) {
  if (s && strcmp(s, "logit") == 0) *out = ATTRIB_LINK_LOGIT;
  else if (s && strcmp(s, "probit") == 0) *out = ATTRIB_LINK_PROBIT;
  else return attrib__fail(err, ATTRIB_EINVAL, "unknown link '%s' (expected logit or probit)", s ? s : "");
  return ATTRIB_OK;
}

attrib_status attrib_logit_check(const attrib_design *d, const attrib_logit_options *o, attrib_error *err) {
  if (!d || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_logit_check: NULL argument");
  if (d->n_fe)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "fixed effects cannot be absorbed in a logit model (the incidental parameter problem): write "
                        "them as factor() terms");
  if (!(o->level > 0.0 && o->level < 1.0)) return attrib__fail(err, ATTRIB_EINVAL, "level must be between 0 and 1");
  if (!(o->tol > 0.0) || o->max_iter == 0) return attrib__fail(err, ATTRIB_EINVAL, "tolerance and iteration cap must be positive");
  if (o->vcov == ATTRIB_VCOV_HC2 || o->vcov == ATTRIB_VCOV_HC3)
    return attrib__fail(err, ATTRIB_EINVAL, "vcov '%s' is not available for logit/probit: use iid, hc0, hc1 or cluster",
                        attrib_vcov_type_name(o->vcov));
  if (o->vcov == ATTRIB_VCOV_CLUSTER && (d->n_cluster < 1 || d->n_cluster > 2))
    return attrib__fail(err, ATTRIB_EINVAL, "vcov 'cluster' needs one or two cluster columns (--cluster COL)");
  if (o->vcov != ATTRIB_VCOV_CLUSTER && d->n_cluster > 0)
    return attrib__fail(err, ATTRIB_EINVAL, "cluster columns were given but vcov is '%s' (use --vcov cluster)",
                        attrib_vcov_type_name(o->vcov));
  return ATTRIB_OK;
}

void attrib_logit_result_free(attrib_logit_result *r) {
  if (!r) return;
  attrib__free(r->response);
  attrib__coef_free(&r->coef);
  attrib__free(r->vcov);
  for (size_t i = 0; r->cluster_names && i < r->n_cluster_dims; i++) attrib__free(r->cluster_names[i]);
  attrib__free(r->cluster_names);
  attrib__free(r->n_clusters);
  for (size_t i = 0; r->aliased_names && i < r->n_aliased; i++) attrib__free(r->aliased_names[i]);
  attrib__free(r->aliased_names);
  for (size_t i = 0; r->warnings && i < r->n_warnings; i++) attrib__free(r->warnings[i]);
  attrib__free(r->warnings);
  attrib__free(r->effect.term);
  attrib__free(r->fitted);
  attrib__free(r->linear_predictor);
  attrib__free(r);
}

/* ------------------------------------------------------------ the links */

/* R's thresholds (family.c, binomial links) keep weights positive. */
#define LOGIT_THRESH 30.0
#define PROBIT_THRESH 8.125890664701906 /* -qnorm(DBL_EPSILON) */

/* Standard normal density (written here: gsl_randist.h would pull GSL's
 * CBLAS declarations into a file that uses OpenBLAS's). */
static double dnorm(double x) { return exp(-0.5 * x * x) / sqrt(2.0 * M_PI); }

static double softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }

/* mu, dmu/deta and the deviance contribution of y at eta. */
static void link_eval(attrib_link link, double eta, double y, double *mu, double *mueta, double *dev) {
  if (link == ATTRIB_LINK_LOGIT) {
    double e = eta < -LOGIT_THRESH ? -LOGIT_THRESH : eta > LOGIT_THRESH ? LOGIT_THRESH : eta;
    double m = 1.0 / (1.0 + exp(-e));
    *mu = m;
    *mueta = fmax(m * (1.0 - m), DBL_EPSILON);
    /* -2 log L_i = 2 log(1 + exp(-s eta)), s = 2y - 1: stable for any eta */
    *dev = 2.0 * softplus(y > 0.5 ? -eta : eta);
  } else {
    double e = eta < -PROBIT_THRESH ? -PROBIT_THRESH : eta > PROBIT_THRESH ? PROBIT_THRESH : eta;
    *mu = gsl_cdf_ugaussian_P(e);
    *mueta = fmax(dnorm(e), DBL_EPSILON);
    /* log Phi(x) = log(erfc(-x / sqrt 2) / 2), accurate far in the tail */
    double s = y > 0.5 ? eta : -eta;
    *dev = -2.0 * (gsl_sf_log_erfc(-s / M_SQRT2) - M_LN2);
  }
}

/* ------------------------------------------------------------ separation */

static attrib_status univariate_separation(const attrib__xsrc *X, const size_t *cols, size_t r, char *const *names,
                                           const double *y, const char *yname, attrib_error *err) {
  size_t n = X->n;
  double *lo = attrib__malloc(2 * r + 1, sizeof *lo), *hi = attrib__malloc(2 * r + 1, sizeof *hi);
  int *binary = attrib__malloc(r + 1, sizeof *binary);
  size_t *above = attrib__calloc(2 * r + 1, sizeof *above);
  double *buf = X->X ? NULL : attrib__malloc(ATTRIB__BLOCK_ROWS * (X->k ? X->k : 1), sizeof *buf);
  attrib_status s = ATTRIB_OK;
  if (!lo || !hi || !binary || !above || (!X->X && !buf)) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory");
    goto done;
  }
  for (size_t c = 0; c < r; c++) {
    lo[2 * c] = lo[2 * c + 1] = INFINITY;
    hi[2 * c] = hi[2 * c + 1] = -INFINITY;
    binary[c] = 1;
  }
  /* pass 1: range of each covariate among y = 0 (slot 0) and y = 1 (slot 1) */
  for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
    const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
    for (size_t c = 0; c < r; c++) {
      const double *x = blk + cols[c] * ld;
      for (size_t i = 0; i < p; i++) {
        size_t g = 2 * c + (y[r0 + i] > 0.5);
        if (x[i] < lo[g]) lo[g] = x[i];
        if (x[i] > hi[g]) hi[g] = x[i];
        if (binary[c] && x[i] != 0.0 && x[i] != 1.0) binary[c] = 0;
      }
    }
  }
  /* pass 2: how many rows lie beyond the separating point */
  for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
    const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
    for (size_t c = 0; c < r; c++) {
      const double *x = blk + cols[c] * ld;
      for (size_t i = 0; i < p; i++) {
        above[2 * c] += x[i] > hi[2 * c];
        above[2 * c + 1] += x[i] > hi[2 * c + 1];
      }
    }
  }
  for (size_t c = 0; c < r && s == ATTRIB_OK; c++) {
    double *l = lo + 2 * c, *h = hi + 2 * c;
    if (fmin(l[0], l[1]) == fmax(h[0], h[1])) continue; /* constant (the intercept) */
    for (int side = 0; side < 2; side++) {
      /* side 0: y = 1 rows all at or above every y = 0 row; side 1: the reverse */
      int a = side == 0 ? 0 : 1, b = 1 - a;
      if (!(h[a] <= l[b])) continue;
      size_t cnt = above[2 * c + a];
      int quasi = h[a] == l[b];
      const char *nm = names[cols[c]];
      if (binary[c])
        s = attrib__fail(err, ATTRIB_ESEPARATION,
                         "%s separation: every row with %s = 1 (%zu rows) has %s = %d, so its coefficient is "
                         "infinite; drop or merge that term or level",
                         quasi ? "quasi-complete" : "complete", nm, cnt, yname, b);
      else
        s = attrib__fail(err, ATTRIB_ESEPARATION,
                         "%s separation by %s: every row with %s > %g (%zu rows) has %s = %d and every row below has "
                         "%s = %d, so its coefficient is infinite",
                         quasi ? "quasi-complete" : "complete", nm, nm, h[a], cnt, yname, b, yname, a);
      break;
    }
  }
done:
  attrib__free(lo);
  attrib__free(hi);
  attrib__free(binary);
  attrib__free(above);
  attrib__free(buf);
  return s;
}

/* ------------------------------------------------------------ fitting */

typedef struct irls {
  size_t n, r;
  attrib__xsrc X; /* the kept columns */
  const double *y, *w;
  attrib_link link;
  double *eta, *mu, *W, *z, *beta, *beta_old;
} irls;

static double deviance_at(irls *s, const double *beta, double *eta) {
  size_t n = s->n;
  if (attrib__xsrc_gemv(&s->X, beta, eta, NULL) != ATTRIB_OK) return NAN; /* out of memory: caller fails */
  double dev = 0.0, mu, me, di;
  for (size_t i = 0; i < n; i++) {
    link_eval(s->link, eta[i], s->y[i], &mu, &me, &di);
    dev += (s->w ? s->w[i] : 1.0) * di;
  }
  return dev;
}

/* Working weights and response at the current eta. */
static void working(irls *s) {
  for (size_t i = 0; i < s->n; i++) {
    double mu, me, di;
    link_eval(s->link, s->eta[i], s->y[i], &mu, &me, &di);
    double var = fmax(mu * (1.0 - mu), DBL_EPSILON);
    s->mu[i] = mu;
    s->W[i] = (s->w ? s->w[i] : 1.0) * me * me / var;
    s->z[i] = s->eta[i] + (s->y[i] - mu) / me;
  }
}

static attrib_status add_warning(attrib_logit_result *r, const char *text) {
  char **w = attrib__realloc(r->warnings, r->n_warnings + 1, sizeof *w);
  if (!w) return ATTRIB_ENOMEM;
  r->warnings = w;
  if (!(w[r->n_warnings] = attrib__strdup(text))) return ATTRIB_ENOMEM;
  r->n_warnings++;
  return ATTRIB_OK;
}

attrib_status attrib_logit_fit(const attrib_design *d, const attrib_logit_options *opts,
                               attrib_logit_result **out, attrib_error *err) {
  if (!d || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_logit_fit: NULL argument");
  *out = NULL;
  attrib_logit_options defaults;
  if (!opts) {
    attrib_logit_options_init(&defaults);
    opts = &defaults;
  }
  ATTRIB__TRY(attrib_logit_check(d, opts, err));
  size_t n = d->n, k = d->k;
  const char *yname = d->response ? d->response : "outcome";
  size_t ones = 0;
  for (size_t i = 0; i < n; i++) {
    if (d->y[i] != 0.0 && d->y[i] != 1.0)
      return attrib__fail(err, ATTRIB_ETYPE, "the outcome '%s' of a binary model must be 0 or 1, but row %zu holds %g",
                          yname, d->rows[i] + 1, d->y[i]);
    ones += d->y[i] == 1.0;
  }
  if (ones == 0 || ones == n)
    return attrib__fail(err, ATTRIB_EDESIGN, "the outcome '%s' is %d in every row used: there is nothing to model",
                        yname, ones ? 1 : 0);
  if (k == 0) return attrib__fail(err, ATTRIB_EDESIGN, "the model has no term");

  attrib_status s = ATTRIB_OK;
  attrib_logit_result *r = attrib__calloc(1, sizeof *r);
  irls it;
  memset(&it, 0, sizeof it);
  attrib__ls ls;
  memset(&ls, 0, sizeof ls);
  attrib__clusters cl;
  memset(&cl, 0, sizeof cl);
  double *Xk = NULL, *e = NULL, *bread = NULL, *Vr = NULL;
  size_t Xk_bytes = 0;
  size_t *cols = NULL;
  int *aliased = NULL;
#define OOM()                                                                  \
  do {                                                                         \
    s = attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory");              \
    goto fail;                                                                 \
  } while (0)
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory");
  r->effect_index = -1;
  r->level = opts->level;
  r->link = opts->link;
  r->vcov_type = opts->vcov;
  r->n_obs = n;
  r->n_input = d->n_input;
  r->n_dropped_missing = d->n_dropped_missing;
  r->n_dropped_weight = d->n_dropped_weight;
  if (!(r->response = attrib__strdup(yname))) OOM();
  it.n = n;
  it.y = d->y;
  it.w = d->w;
  it.link = opts->link;
  it.eta = attrib__malloc(n, sizeof *it.eta);
  it.mu = attrib__malloc(n, sizeof *it.mu);
  it.W = attrib__malloc(n, sizeof *it.W);
  it.z = attrib__malloc(n, sizeof *it.z);
  aliased = attrib__calloc(k, sizeof *aliased);
  cols = attrib__malloc(k, sizeof *cols);
  if (!it.eta || !it.mu || !it.W || !it.z || !aliased || !cols) OOM();

  /* start as R's binomial()$initialize: mu = (y + 1/2) / 2 */
  for (size_t i = 0; i < n; i++) {
    double m = (d->y[i] + 0.5) / 2.0, me, var = m * (1.0 - m);
    if (opts->link == ATTRIB_LINK_LOGIT) {
      it.eta[i] = log(m / (1.0 - m));
      me = var;
    } else {
      it.eta[i] = gsl_cdf_ugaussian_Pinv(m);
      me = dnorm(it.eta[i]);
    }
    it.W[i] = (d->w ? d->w[i] : 1.0) * me * me / var;
    it.z[i] = it.eta[i] + (d->y[i] - m) / me;
  }
  /* first solve on all columns: it finds the aliased ones */
  attrib__xsrc all = attrib__design_xsrc(d);
  if ((s = attrib__ls_solve_plain(&all, it.z, it.W, opts->collinearity_tol, NULL, &ls, err))) goto fail;
  size_t rk = ls.r;
  if (rk == 0) {
    s = attrib__fail(err, ATTRIB_ECOLLINEAR, "no coefficient can be estimated: every term is constant or collinear");
    goto fail;
  }
  memcpy(aliased, ls.aliased, k * sizeof *aliased);
  memcpy(cols, ls.cols, rk * sizeof *cols);
  if (rk < k) { /* a materialised copy of the kept columns (rare: aliased terms) */
    Xk_bytes = n * rk * sizeof(double);
    double *blk = attrib__malloc(ATTRIB__BLOCK_ROWS * k, sizeof *blk);
    if (!blk || !(Xk = attrib__alloc_large(Xk_bytes))) {
      attrib__free(blk);
      OOM();
    }
    for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
      size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
      const double *b0 = attrib__xsrc_block(&all, r0, p, blk, &ld);
      for (size_t c = 0; c < rk; c++) memcpy(Xk + c * n + r0, b0 + cols[c] * ld, p * sizeof(double));
    }
    attrib__free(blk);
    it.X = attrib__xsrc_matrix(Xk, n, rk, n);
  } else {
    it.X = all;
  }
  it.r = rk;
  it.beta = attrib__malloc(rk, sizeof *it.beta);
  it.beta_old = attrib__malloc(rk, sizeof *it.beta_old);
  if (!it.beta || !it.beta_old) OOM();
  if ((s = univariate_separation(&all, cols, rk, d->names, d->y, yname, err))) goto fail;
  memcpy(it.beta, ls.beta, rk * sizeof *it.beta);
  attrib__ls_free(&ls);

  double dev = deviance_at(&it, it.beta, it.eta), dev_old;
  if (isnan(dev)) OOM();
  r->converged = 0;
  size_t iter = 1;
  for (; iter < opts->max_iter; iter++) {
    working(&it);
    memcpy(it.beta_old, it.beta, rk * sizeof *it.beta);
    if ((s = attrib__ls_solve_plain(&it.X, it.z, it.W, opts->collinearity_tol, NULL, &ls, err))) goto fail;
    if (ls.r < rk) {
      s = attrib__fail(err, ATTRIB_ESEPARATION,
                       "the weighted design became singular during fitting: fitted probabilities reach 0 or 1, a sign "
                       "of separation");
      goto fail;
    }
    memcpy(it.beta, ls.beta, rk * sizeof *it.beta);
    attrib__ls_free(&ls);
    dev_old = dev;
    dev = deviance_at(&it, it.beta, it.eta);
    for (int half = 0; half < 30 && (!isfinite(dev) || dev > dev_old * (1.0 + 1e-12) + 1e-12); half++) {
      for (size_t j = 0; j < rk; j++) it.beta[j] = 0.5 * (it.beta[j] + it.beta_old[j]);
      dev = deviance_at(&it, it.beta, it.eta);
    }
    /* The deviance is flat at the optimum (a change of d in beta moves it
     * by d^2), so the coefficients must have settled too: Fisher scoring
     * for probit converges only linearly. */
    double step = 0.0;
    for (size_t j = 0; j < rk; j++) step = fmax(step, fabs(it.beta[j] - it.beta_old[j]) / (1.0 + fabs(it.beta[j])));
    if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < opts->tol && step < 1e-10) {
      r->converged = 1;
      break;
    }
  }
  r->iterations = iter;

  /* separation by a combination of covariates: fitted probabilities 0 or 1 */
  double eta_max = 0.0;
  size_t extreme = 0;
  double thresh = opts->link == ATTRIB_LINK_LOGIT ? LOGIT_THRESH : PROBIT_THRESH;
  for (size_t i = 0; i < n; i++) {
    if (fabs(it.eta[i]) > eta_max) eta_max = fabs(it.eta[i]);
    extreme += fabs(it.eta[i]) >= thresh;
  }
  if (extreme > 0) {
    size_t worst = 0;
    double best = -1.0;
    double *blk = attrib__malloc(ATTRIB__BLOCK_ROWS * rk, sizeof *blk);
    double *m1 = attrib__calloc(rk, sizeof *m1), *m2 = attrib__calloc(rk, sizeof *m2);
    if (!blk || !m1 || !m2) {
      attrib__free(blk), attrib__free(m1), attrib__free(m2);
      OOM();
    }
    for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
      size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
      const double *b0 = attrib__xsrc_block(&it.X, r0, p, blk, &ld);
      for (size_t c = 0; c < rk; c++)
        for (size_t i = 0; i < p; i++) m1[c] += b0[c * ld + i], m2[c] += b0[c * ld + i] * b0[c * ld + i];
    }
    for (size_t c = 0; c < rk; c++) {
      double m = m1[c] / (double)n, v = fmax(m2[c] / (double)n - m * m, 0.0);
      double sb = fabs(it.beta[c]) * sqrt(v);
      if (sb > best) best = sb, worst = c;
    }
    attrib__free(blk), attrib__free(m1), attrib__free(m2);
    s = attrib__fail(err, ATTRIB_ESEPARATION,
                     "separation: a combination of covariates predicts %s perfectly for %zu rows (fitted probabilities "
                     "0 or 1); the term with the largest standardised coefficient is %s. Remove or merge terms",
                     yname, extreme, d->names[cols[worst]]);
    goto fail;
  }

  /* covariance at the final estimate */
  working(&it);
  if ((s = attrib__ls_solve_plain(&it.X, it.z, it.W, opts->collinearity_tol, NULL, &ls, err))) goto fail;
  bread = attrib__malloc(rk * rk, sizeof *bread);
  Vr = attrib__malloc(rk * rk, sizeof *Vr);
  e = attrib__malloc(n, sizeof *e);
  if (!bread || !Vr || !e) OOM();
  if ((s = attrib__ls_bread(&ls, bread, err))) goto fail;
  for (size_t i = 0; i < n; i++) e[i] = it.z[i] - it.eta[i]; /* working residual (y - mu) / mu.eta */
  size_t seq_small[1024];
  size_t *seq = rk <= 1024 ? seq_small : attrib__malloc(rk, sizeof *seq);
  if (!seq) OOM();
  for (size_t c = 0; c < rk; c++) seq[c] = c;
  switch (opts->vcov) {
  case ATTRIB_VCOV_HC0:
  case ATTRIB_VCOV_HC1:
    s = attrib__vcov_hc(&it.X, seq, rk, bread, it.W, e, NULL, opts->vcov, (double)n / ((double)n - (double)rk), Vr,
                        err);
    break;
  case ATTRIB_VCOV_CLUSTER: {
    r->n_cluster_dims = d->n_cluster;
    r->cluster_names = attrib__calloc(d->n_cluster, sizeof *r->cluster_names);
    r->n_clusters = attrib__calloc(d->n_cluster, sizeof *r->n_clusters);
    if (!r->cluster_names || !r->n_clusters) {
      s = attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory");
      break;
    }
    const int32_t *codes[2] = {d->cluster[0].codes, d->n_cluster > 1 ? d->cluster[1].codes : NULL};
    size_t G[2] = {d->cluster[0].n_levels, d->n_cluster > 1 ? d->cluster[1].n_levels : 0};
    for (size_t c = 0; s == ATTRIB_OK && c < d->n_cluster; c++) {
      r->n_clusters[c] = G[c];
      if (!(r->cluster_names[c] = attrib__strdup(d->cluster[c].name))) s = ATTRIB_ENOMEM;
      else if (G[c] < 2)
        s = attrib__fail(err, ATTRIB_EDESIGN, "one cluster in '%s': cluster-robust standard errors need at least two",
                         d->cluster[c].name);
    }
    if (s == ATTRIB_ENOMEM) s = attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory");
    if (s == ATTRIB_OK) s = attrib__clusters_init(&cl, n, d->n_cluster, codes, G, err);
    int psd = 0;
    if (s == ATTRIB_OK) s = attrib__vcov_cluster(&it.X, seq, rk, bread, it.W, e, &cl, (double)rk, Vr, &psd, err);
    if (s == ATTRIB_OK && psd &&
        add_warning(r, "the two-way cluster covariance was not positive semi-definite: negative eigenvalues were set to zero"))
      s = attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory");
    break;
  }
  default:
    memcpy(Vr, bread, rk * rk * sizeof *Vr);
    break;
  }
  if (seq != seq_small) attrib__free(seq);
  if (s) goto fail;

  /* table */
  if (attrib__coef_alloc(&r->coef, k) != ATTRIB_OK) OOM();
  if (!(r->vcov = attrib__malloc(k * k, sizeof *r->vcov))) OOM();
  for (size_t q = 0; q < k * k; q++) r->vcov[q] = NAN;
  for (size_t j = 0; j < k; j++) {
    if (!(r->coef.term[j] = attrib__strdup(d->names[j]))) OOM();
    r->coef.aliased[j] = aliased[j];
    if (aliased[j]) {
      char **an = attrib__realloc(r->aliased_names, r->n_aliased + 1, sizeof *an);
      if (!an) OOM();
      r->aliased_names = an;
      if (!(an[r->n_aliased] = attrib__strdup(d->names[j]))) OOM();
      r->n_aliased++;
    }
  }
  for (size_t a = 0; a < rk; a++) {
    r->coef.estimate[cols[a]] = it.beta[a];
    r->coef.std_error[cols[a]] = sqrt(Vr[a * rk + a]);
    for (size_t b = 0; b < rk; b++) r->vcov[cols[b] * k + cols[a]] = Vr[b * rk + a];
  }
  attrib__coef_infer(&r->coef, INFINITY, opts->level);
  r->rank = rk;

  /* likelihood and fit statistics */
  double sw = 0.0, sy = 0.0;
  for (size_t i = 0; i < n; i++) {
    double wi = d->w ? d->w[i] : 1.0;
    sw += wi;
    sy += wi * d->y[i];
  }
  r->deviance = dev;
  r->log_likelihood = -0.5 * dev; /* binary y: the saturated log-likelihood is 0 */
  double p0 = d->intercept ? sy / sw : 0.5, nd = 0.0;
  for (size_t i = 0; i < n; i++)
    nd -= 2.0 * (d->w ? d->w[i] : 1.0) * (d->y[i] > 0.5 ? log(p0) : log1p(-p0));
  r->null_deviance = nd;
  r->aic = dev + 2.0 * (double)rk;
  r->bic = dev + log((double)n) * (double)rk;

  if (opts->treat) {
    for (size_t j = 0; j < k; j++)
      if (strcmp(r->coef.term[j], opts->treat) == 0) r->effect_index = (long)j;
    if (r->effect_index < 0) {
      s = attrib__fail(err, ATTRIB_EDESIGN, "the treatment '%s' is not a coefficient of the model", opts->treat);
      goto fail;
    }
    if (aliased[r->effect_index]) {
      s = attrib__fail(err, ATTRIB_ECOLLINEAR, "the treatment '%s' was dropped as constant or collinear", opts->treat);
      goto fail;
    }
    if (!(r->effect.term = attrib__strdup(opts->treat))) OOM();
    attrib__effect_from(&r->effect, &r->coef, (size_t)r->effect_index);
  }
  char msg[300];
  if (!r->converged) {
    snprintf(msg, sizeof msg, "did not converge in %zu iterations (tolerance %g): estimates may be inexact",
             opts->max_iter, opts->tol);
    if (add_warning(r, msg)) OOM();
  }
  if (opts->vcov == ATTRIB_VCOV_CLUSTER) {
    size_t Gmin = r->n_clusters[0];
    if (r->n_cluster_dims > 1 && r->n_clusters[1] < Gmin) Gmin = r->n_clusters[1];
    if (Gmin < 30) {
      snprintf(msg, sizeof msg, "only %zu clusters: cluster-robust tests over-reject with fewer than about 30", Gmin);
      if (add_warning(r, msg)) OOM();
    }
  }
  if (opts->keep_fitted) {
    r->fitted = attrib__malloc(n, sizeof *r->fitted);
    r->linear_predictor = attrib__malloc(n, sizeof *r->linear_predictor);
    if (!r->fitted || !r->linear_predictor) OOM();
    memcpy(r->linear_predictor, it.eta, n * sizeof *it.eta);
    memcpy(r->fitted, it.mu, n * sizeof *it.mu);
  }
  *out = r;
  r = NULL;
fail:
#undef OOM
  attrib_logit_result_free(r);
  attrib__free(it.eta);
  attrib__free(it.mu);
  attrib__free(it.W);
  attrib__free(it.z);
  attrib__free(it.beta);
  attrib__free(it.beta_old);
  attrib__free_large(Xk, Xk_bytes);
  attrib__free(e);
  attrib__free(bread);
  attrib__free(Vr);
  attrib__free(cols);
  attrib__free(aliased);
  attrib__ls_free(&ls);
  attrib__clusters_free(&cl);
  return s;
}
