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
#include <lapacke.h>
#include <lapacke_utils.h>

#include <attrib/logit.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "design/design_internal.h"
#include "regression/regression_internal.h"

void attrib_logit_options_init(attrib_logit_options *o) {
  memset(o, 0, sizeof *o);
  o->link = ATTRIB_LINK_LOGIT;
  o->vcov = ATTRIB_VCOV_IID;
  o->level = 0.95;
  o->tol = 1e-12;
  o->max_iter = 50;
  o->collinearity_tol = 1e-10;
  o->warm_start = 1;
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
  ATTRIB__TRY(attrib__check_level(o->level, "logit.level", err));
  if (!(o->tol > 0.0) || o->max_iter == 0) return attrib__fail(err, ATTRIB_EINVAL, "tolerance and iteration cap must be positive");
  if (o->vcov == ATTRIB_VCOV_HC2 || o->vcov == ATTRIB_VCOV_HC3)
    return attrib__fail(err, ATTRIB_EINVAL, "vcov '%s' is not available for logit/probit: use iid, hc0, hc1 or cluster",
                        attrib_vcov_type_name(o->vcov));
  ATTRIB__TRY(attrib__check_vcov_clusters(o->vcov, d->n_cluster, err));
  return ATTRIB_OK;
}

void attrib_logit_result_free(attrib_logit_result *r) {
  if (!r) return;
  attrib__free(r->response);
  attrib__coef_free(&r->coef);
  attrib__free(r->vcov);
  attrib__strlist_free(r->cluster_names, r->n_cluster_dims);
  attrib__free(r->n_clusters);
  attrib__strlist_free(r->aliased_names, r->n_aliased);
  attrib__strlist_free(r->warnings, r->n_warnings);
  attrib__free(r->effect.term);
  attrib__free(r->fitted);
  attrib__free(r->linear_predictor);
  attrib__logit_ame_free(r->ame);
  attrib__free(r);
}

/* ------------------------------------------------------------ the links */

/* R's thresholds (family.c, binomial links) keep weights positive. */
#define LOGIT_THRESH 30.0
#define PROBIT_THRESH 8.125890664701906 /* -qnorm(DBL_EPSILON) */

/* Standard normal density (written here: gsl_randist.h would pull GSL's
 * CBLAS declarations into a file that uses OpenBLAS's). */
static double dnorm(double x) { return exp(-0.5 * x * x) / sqrt(2.0 * M_PI); }

/* mu, dmu/deta and the deviance contribution of y at eta. */
static void link_eval(attrib_link link, double eta, double y, double *mu, double *mueta, double *dev) {
  if (link == ATTRIB_LINK_LOGIT) {
    /* one exp per row: t = exp(-|eta|) gives mu, dmu/deta and the deviance
     * -2 log L_i = 2 log(1 + exp(-s eta)), s = 2y - 1, stably for any eta */
    double a = fabs(eta), t = exp(-(a < LOGIT_THRESH ? a : LOGIT_THRESH)), q = 1.0 / (1.0 + t);
    *mu = eta >= 0 ? q : t * q;
    double me = t * q * q;
    *mueta = me > DBL_EPSILON ? me : DBL_EPSILON;
    double lg = a < LOGIT_THRESH ? log1p(t) : log1p(exp(-a));
    double hinge = y > 0.5 ? -eta : eta;
    *dev = 2.0 * (lg + (hinge > 0.0 ? hinge : 0.0));
  } else {
    double e = eta < -PROBIT_THRESH ? -PROBIT_THRESH : eta > PROBIT_THRESH ? PROBIT_THRESH : eta;
    *mu = gsl_cdf_ugaussian_P(e);
    *mueta = fmax(dnorm(e), DBL_EPSILON);
    /* log Phi(x) = log(erfc(-x / sqrt 2) / 2), accurate far in the tail */
    double s = y > 0.5 ? eta : -eta;
    *dev = -2.0 * (gsl_sf_log_erfc(-s / M_SQRT2) - M_LN2);
  }
}

/* The IRLS state and workspace (logit_ws_alloc makes every array; a fit
 * or refit only fills them). */
typedef struct irls {
  size_t n, r;
  attrib__xsrc X; /* the kept columns */
  const double *y, *w;
  attrib_link link;
  double *eta;              /* per row: the linear predictor, kept only when the fit's caller needs it
                             * (fitted values, a sandwich): else NULL and each pass writes its blocks'
                             * into teta (n fresh doubles cost more here than the pass's arithmetic) */
  size_t extreme;           /* rows whose |eta| reached the link's threshold at the last full pass */
  double *mu, *W, *u;       /* per row, filled only at the end when needed (row_terms) */
  double *ub;               /* block scratch: score weights */
  double *beta, *beta_old, *delta;
  double *G, *g;            /* r-by-r information and r score at the current beta */
  double *buf, *sbuf, *sw;  /* block scratch */
  /* a pass's scratch, made with the arrays above (logit_ws_alloc): the
   * chunks' partials and each thread's block buffers */
  size_t C, chunk_rows, T;  /* chunks and threads for n rows, fixed at allocation */
  double *pG, *pdev;        /* per chunk: C (r + 1)-square cross-products, C deviances */
  size_t *pext;             /* per chunk: rows with |eta| at the threshold */
  double **tbuf, **tsbuf, **tsw, **tub, **teta; /* per thread (tbuf[t] NULL when X is a matrix; teta[t] when eta is) */
  double *pc_work;          /* 3k: dpocon's work arrays (LAPACKE_dpocon would malloc them) */
  lapack_int *pc_iwork;     /* k */
} irls;

/* ------------------------------------------------------------ separation */

/* Pass 1 of the separation check on row chunks, in parallel: each chunk
 * keeps its own ranges (min and max merge in any order, so the result does
 * not depend on the thread count). */
typedef struct range_job {
  const attrib__xsrc *X;
  const size_t *cols;
  size_t r, chunk_rows;
  const double *y;
  double *lo, *hi; /* per chunk: 2r slots each */
  double **buf;    /* per thread block scratch */
} range_job;

/* One block's rows into the ranges lo, hi (2 slots per column: y = 0, y = 1)
 * of the columns cols (NULL: 0..r-1). */
static void range_block(const double *blk, size_t ld, size_t p, const double *yy, const size_t *cols, size_t r,
                        double *lo, double *hi) {
  for (size_t c = 0; c < r; c++) {
    const double *x = blk + (cols ? cols[c] : c) * ld;
    double l0 = lo[2 * c], h0 = hi[2 * c], l1 = lo[2 * c + 1], h1 = hi[2 * c + 1];
    for (size_t i = 0; i < p; i++) {
      double v = x[i];
      /* comparisons, not fmin/fmax: those are libm calls here */
      if (yy[i] > 0.5) {
        l1 = v < l1 ? v : l1;
        h1 = v > h1 ? v : h1;
      } else {
        l0 = v < l0 ? v : l0;
        h0 = v > h0 ? v : h0;
      }
    }
    lo[2 * c] = l0, hi[2 * c] = h0, lo[2 * c + 1] = l1, hi[2 * c + 1] = h1;
  }
}

static void range_chunk(void *ctx, size_t ch, size_t t) {
  range_job *j = ctx;
  size_t n = j->X->n, r = j->r, end = (ch + 1) * j->chunk_rows < n ? (ch + 1) * j->chunk_rows : n;
  double *lo = j->lo + ch * 2 * r, *hi = j->hi + ch * 2 * r;
  for (size_t c = 0; c < 2 * r; c++) lo[c] = INFINITY, hi[c] = -INFINITY;
  for (size_t r0 = ch * j->chunk_rows; r0 < end; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = end - r0 < ATTRIB__BLOCK_ROWS ? end - r0 : ATTRIB__BLOCK_ROWS, ld;
    const double *blk = attrib__xsrc_block(j->X, r0, p, j->buf ? j->buf[t] : NULL, &ld);
    range_block(blk, ld, p, j->y + r0, j->cols, r, lo, hi);
  }
}

/* Scratch of the separation check, made with the IRLS arrays: the
 * covariates' ranges (2 per kept column, and per chunk), the dummy flags
 * and the counts beyond the separating point. */
typedef struct sep_ws {
  double *lo, *hi, *clo, *chi; /* 2k + 1; per chunk C (2k) + 1 */
  int *binary;                 /* k + 1 */
  size_t *above;               /* 2k + 1 */
} sep_ws;

/* The univariate check on X's columns cols (r of them), on the scratch w
 * and the IRLS workspace's block buffers (sw: buf, tbuf, C, T). */
static attrib_status univariate_separation(const attrib__xsrc *X, const size_t *cols, size_t r, char *const *names,
                                           const double *y, const char *yname, const irls *sw, const sep_ws *w,
                                           int ranges_given, attrib_error *err) {
  size_t n = X->n;
  double *lo = w->lo, *hi = w->hi, *buf = sw->buf;
  int *binary = w->binary;
  size_t *above = w->above;
  attrib_status s = ATTRIB_OK;
  memset(above, 0, (2 * r + 1) * sizeof *above);
  for (size_t c = 0; c < r; c++) {
    lo[2 * c] = lo[2 * c + 1] = INFINITY;
    hi[2 * c] = hi[2 * c + 1] = -INFINITY;
    binary[c] = 1;
  }
  /* pass 1: range of each covariate among y = 0 (slot 0) and y = 1 (slot 1) */
  {
    size_t C = sw->C;
    range_job j = {X, cols, r, sw->chunk_rows, y, w->clo, w->chi, X->X ? NULL : sw->tbuf};
    /* ranges_given: a Newton pass over every row took them (newton_pass_ranges) */
    if (!ranges_given) attrib__parallel_chunks(C, sw->T, range_chunk, &j);
    for (size_t ch = 0; ch < C; ch++)
      for (size_t c = 0; c < 2 * r; c++) {
        double l = j.lo[ch * 2 * r + c], h = j.hi[ch * 2 * r + c];
        lo[c] = l < lo[c] ? l : lo[c];
        hi[c] = h > hi[c] ? h : hi[c];
      }
  }
  /* pass 2, only when some covariate separates: count the rows beyond the
   * separating point and whether the covariate is a 0/1 dummy */
  int any = 0;
  for (size_t c = 0; c < r && !any; c++) {
    double *l = lo + 2 * c, *h = hi + 2 * c;
    if (fmin(l[0], l[1]) == fmax(h[0], h[1])) continue;
    any = h[0] <= l[1] || h[1] <= l[0];
  }
  for (size_t r0 = 0; any && r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
    const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
    for (size_t c = 0; c < r; c++) {
      const double *x = blk + cols[c] * ld;
      for (size_t i = 0; i < p; i++) {
        above[2 * c] += x[i] > hi[2 * c];
        above[2 * c + 1] += x[i] > hi[2 * c + 1];
        if (binary[c] && x[i] != 0.0 && x[i] != 1.0) binary[c] = 0;
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
  return s;
}

/* ------------------------------------------------------------ fitting */


/*
 * One pass over X at the current beta: eta = X beta, mu, the deviance, the
 * Fisher information G = X' W X and the score g = X' u with
 * W_i = w_i mu'(eta_i)^2 / V(mu_i) and u_i = w_i (y_i - mu_i) mu'(eta_i) / V(mu_i)
 * (McCullagh & Nelder 1989, eq. 2.13). Everything one IRLS step needs, from
 * one read of X.
 */
/* pass_chunk's rows under the logit link: link_eval's mu, mu' and weights
 * inline, and the deviance's log1p(exp(-|eta|)) terms summed as the log of
 * their product, one log per up to 512 rows instead of one per row (a
 * third of a pass's time went to log1p). The factors 1 + t lie in (1, 2],
 * so 512 of them stay below 2^512, and the product's relative rounding,
 * at most 512 eps, is an absolute error of the log no larger than summing
 * 512 rounded log1p values gives. Factors too close to 1 to carry their t
 * (t < 2^-26: 1 + t would round it off) add log1p(t) = t - t^2 / 2 to
 * full precision instead, so a nearly separated fit keeps its small
 * deviance. Returns the block's deviance; sw: sqrt(W_i), ub: the Pearson
 * residuals u_i / sqrt(W_i). */
static double logit_rows(size_t p, const double *eta, const double *y, const double *w, double *sw, double *ub) {
  double dev = 0.0, small = 0.0, prod = 1.0;
  size_t in_prod = 0;
  for (size_t i = 0; i < p; i++) {
    double e = eta[i], a = fabs(e), t = exp(-(a < LOGIT_THRESH ? a : LOGIT_THRESH)), q = 1.0 / (1.0 + t);
    double mu = e >= 0 ? q : t * q, me = t * q * q, wi = w ? w[i] : 1.0;
    me = me > DBL_EPSILON ? me : DBL_EPSILON;
    double tl = a < LOGIT_THRESH ? t : exp(-a); /* log1p's argument, as link_eval's */
    if (tl < 0x1p-26) {
      small += wi * (tl - 0.5 * tl * tl);
    } else if (wi == 1.0) {
      prod *= 1.0 + tl;
      if (++in_prod == 512) dev += log(prod), prod = 1.0, in_prod = 0;
    } else {
      dev += wi * log1p(tl);
    }
    double hinge = y[i] > 0.5 ? -e : e;
    dev += wi * (hinge > 0.0 ? hinge : 0.0);
    double var = mu * (1.0 - mu);
    var = var > DBL_EPSILON ? var : DBL_EPSILON;
    sw[i] = sqrt(wi * me * me / var);
    ub[i] = sqrt(wi / var) * (y[i] - mu);
  }
  return 2.0 * (dev + log(prod) + small);
}

typedef struct pass_job {
  irls *s;
  size_t stride, chunk_rows;
  double *G, *dev;         /* per chunk partials: (r + 1)-square cross-products, deviances */
  double **buf, **sbuf, **sw, **ub, **eta; /* per thread scratch */
  size_t *ext;             /* per chunk: rows with |eta| at the threshold */
  double *lo, *hi;         /* or NULL: per chunk, every column's ranges among y = 0 and y = 1 (range_block) */
} pass_job;

static void pass_chunk(void *ctx, size_t c, size_t t) {
  pass_job *j = ctx;
  irls *s = j->s;
  size_t n = s->n, r = s->r, B = ATTRIB__BLOCK_ROWS, end = (c + 1) * j->chunk_rows;
  if (end > n) end = n;
  /* the chunk's (r + 1)-square cross-products of [sqrt(W) X, u / sqrt(W)] */
  double *G = j->G + c * (r + 1) * (r + 1), dev = 0.0, thresh = attrib__link_thresh(s->link);
  size_t ext = 0;
  double *buf = j->buf[t], *sbuf = j->sbuf[t], *sw = j->sw[t], *ub = j->ub[t];
  for (size_t r0 = c * j->chunk_rows; r0 < end; r0 += B) {
    if ((r0 / B) % j->stride != 0) continue;
    size_t p = end - r0 < B ? end - r0 : B, ld;
    const double *blk = attrib__xsrc_block(&s->X, r0, p, buf, &ld);
    double *eta = s->eta ? s->eta + r0 : j->eta[t];
    if (j->lo) range_block(blk, ld, p, s->y + r0, NULL, r, j->lo + c * 2 * r, j->hi + c * 2 * r);
    attrib__xb(p, r, blk, ld, NULL, s->beta, eta);
    for (size_t i = 0; i < p; i++) ext += fabs(eta[i]) >= thresh;
    /* working weights and scores stay in block scratch: per-row arrays of
     * all n would be fresh memory, the slowest thing on this machine */
    if (s->link == ATTRIB_LINK_LOGIT) {
      dev += logit_rows(p, eta, s->y + r0, s->w ? s->w + r0 : NULL, sw, ub);
      goto cross;
    }
    for (size_t i = 0; i < p; i++) {
      double mu, me, di, wi = s->w ? s->w[r0 + i] : 1.0;
      link_eval(s->link, eta[i], s->y[r0 + i], &mu, &me, &di);
      double var = mu * (1.0 - mu);
      var = var > DBL_EPSILON ? var : DBL_EPSILON;
      sw[i] = sqrt(wi * me * me / var);
      /* the Pearson residual u_i / sqrt(W_i): beside sqrt(W) X as one more
       * column, one cross-product gives X'WX and the score X'u together */
      ub[i] = sqrt(wi / var) * (s->y[r0 + i] - mu);
      dev += wi * di;
    }
  cross:
    for (size_t q = 0; q < r; q++)
      for (size_t i = 0; i < p; i++) sbuf[q * p + i] = sw[i] * blk[q * ld + i];
    attrib__crossprod(p, r, sbuf, p, ub, G, r + 1);
  }
  j->dev[c] = dev;
  j->ext[c] = ext;
}

/* One pass over X (every stride-th block of rows) at the current beta:
 * eta = X beta, the deviance, the Fisher information G = X' W X and the
 * score g = X' u with W_i = w_i mu'(eta_i)^2 / V(mu_i) and
 * u_i = w_i (y_i - mu_i) mu'(eta_i) / V(mu_i) (McCullagh & Nelder 1989,
 * eq. 2.13): everything one IRLS step needs, from one read of X, on row
 * chunks whose partials are merged in order (core/parallel.h). The
 * partials and the threads' buffers are the workspace's (a pass allocates
 * nothing: a fit makes dozens of passes, a bootstrap thousands). */
static double newton_pass_job(irls *s, size_t stride, double *lo, double *hi) {
  size_t r = s->r, C = s->C;
  pass_job j = {s, stride, s->chunk_rows, s->pG, s->pdev, s->tbuf, s->tsbuf, s->tsw, s->tub, s->teta, s->pext, lo, hi};
  if (lo)
    for (size_t q = 0; q < C * 2 * r; q++) lo[q] = INFINITY, hi[q] = -INFINITY;
  /* the chunks accumulate into their partials: (r + 1)-square
   * cross-products whose last column is the score */
  size_t r1 = r + 1;
  memset(j.G, 0, C * r1 * r1 * sizeof *j.G);
  attrib__parallel_chunks(C, s->T, pass_chunk, &j);
  memset(s->G, 0, r * r * sizeof *s->G);
  memset(s->g, 0, r * sizeof *s->g);
  double dev = 0.0;
  for (size_t c = 0; c < C; c++) {
    const double *Gc = j.G + c * r1 * r1;
    for (size_t b = 0; b < r; b++)
      for (size_t a = 0; a <= b; a++) s->G[b * r + a] += Gc[b * r1 + a];
    for (size_t a = 0; a < r; a++) s->g[a] += Gc[r * r1 + a];
    dev += j.dev[c];
  }
  s->extreme = 0;
  for (size_t c = 0; c < C; c++) s->extreme += j.ext[c];
  return dev;
}

static double newton_pass_stride(irls *s, size_t stride) { return newton_pass_job(s, stride, NULL, NULL); }

static double newton_pass(irls *s) { return newton_pass_stride(s, 1); }

/* A pass over every row that also takes the separation check's ranges of
 * all columns, per chunk (sep_ws's clo and chi; univariate_separation
 * with ranges_given), which saves that check its own read of X. */
static double newton_pass_ranges(irls *s, double *clo, double *chi) { return newton_pass_job(s, 1, clo, chi); }

static attrib_status singular_information(attrib_error *err) {
  return attrib__fail(err, ATTRIB_ESEPARATION,
                      "the information matrix became singular during fitting: fitted probabilities reach 0 or 1, a "
                      "sign of separation");
}

/* mu (and, for the sandwich, W and u) for every row from eta, after the
 * fit. Rows are independent, so chunks run on threads; with only mu
 * asked for (fitted values, iid covariance) the logit needs one exp per
 * row and no deviance term: at 1M rows this pass cost as much as a Newton
 * step when it ran on one thread through link_eval. */
typedef struct rows_job {
  irls *s;
  size_t chunk_rows;
  int full; /* W and u too */
} rows_job;

static void rows_chunk(void *ctx, size_t c, size_t t) {
  (void)t;
  rows_job *j = ctx;
  irls *s = j->s;
  size_t lo = c * j->chunk_rows, hi = lo + j->chunk_rows < s->n ? lo + j->chunk_rows : s->n;
  if (!j->full && s->link == ATTRIB_LINK_LOGIT) {
    for (size_t i = lo; i < hi; i++) {
      /* link_eval's mu, bit for bit */
      double eta = s->eta[i], a = fabs(eta), e = exp(-(a < LOGIT_THRESH ? a : LOGIT_THRESH)), q = 1.0 / (1.0 + e);
      s->mu[i] = eta >= 0 ? q : e * q;
    }
    return;
  }
  for (size_t i = lo; i < hi; i++) {
    double mu, me, di, wi = s->w ? s->w[i] : 1.0;
    link_eval(s->link, s->eta[i], s->y[i], &mu, &me, &di);
    s->mu[i] = mu;
    if (!j->full) continue;
    double var = fmax(mu * (1.0 - mu), DBL_EPSILON);
    s->W[i] = wi * me * me / var;
    s->u[i] = wi * (s->y[i] - mu) * me / var;
  }
}

static void row_terms(irls *s, int full) {
  size_t chunk_rows, C = attrib__chunks(s->n, &chunk_rows);
  rows_job j = {s, chunk_rows, full};
  attrib__parallel_chunks(C, attrib__threads(s->X.threads, C), rows_chunk, &j);
}

/* delta = G^-1 g by Cholesky of the equilibrated G (scale: the
 * equilibration, output); -1 when G is not positive definite or its
 * reciprocal condition is below rcond_min. G is overwritten by the factor. */
static int newton_step(irls *s, double *scale, double rcond_min) {
  size_t r = s->r;
  for (size_t j = 0; j < r; j++) scale[j] = s->G[j * r + j] > 0.0 ? 1.0 / sqrt(s->G[j * r + j]) : 0.0;
  double anorm = 0.0;
  for (size_t j = 0; j < r; j++) {
    if (scale[j] == 0.0) return -1;
    for (size_t i = 0; i <= j; i++) s->G[j * r + i] *= scale[i] * scale[j];
    s->delta[j] = s->g[j] * scale[j];
  }
  for (size_t j = 0; j < r; j++) {
    double c = 0.0;
    for (size_t i = 0; i < r; i++) c += fabs(i <= j ? s->G[j * r + i] : s->G[i * r + j]);
    if (c > anorm) anorm = c;
  }
  if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)r, s->G, (lapack_int)r) != 0) return -1;
  if (rcond_min > 0.0) {
    /* LAPACKE_dpocon's own steps (its NaN checks, then the routine) on the
     * workspace's arrays: the wrapper would malloc them at every fit */
    double rc = 0.0;
    if (LAPACKE_get_nancheck() && (LAPACKE_dpo_nancheck(LAPACK_COL_MAJOR, 'U', (lapack_int)r, s->G, (lapack_int)r) ||
                                   LAPACKE_d_nancheck(1, &anorm, 1)))
      return -1;
    if (LAPACKE_dpocon_work(LAPACK_COL_MAJOR, 'U', (lapack_int)r, s->G, (lapack_int)r, anorm, &rc, s->pc_work,
                            s->pc_iwork) != 0 ||
        rc < rcond_min)
      return -1;
  }
  if (LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'U', (lapack_int)r, 1, s->G, (lapack_int)r, s->delta, (lapack_int)r) != 0)
    return -1;
  for (size_t j = 0; j < r; j++) s->delta[j] *= scale[j];
  return 0;
}


static attrib_status logit_oom(attrib_error *err) { return attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory"); }

/* The QR start (R's glm): one weighted least-squares step from mu = (y +
 * 1/2) / 2 that names the aliased columns; with aliased terms, a
 * materialised copy Xk of the kept columns becomes the Newton design. */
static attrib_status logit_qr_start(const attrib_design *d, const attrib_logit_options *opts, irls *it,
                                    const attrib__xsrc *allp, attrib__ls *lsp, int *aliased, size_t *cols, size_t *rk_out,
                                    double **Xk_out, size_t *Xk_bytes_out, attrib_error *err) {
  size_t n = d->n, k = d->k, rk, Xk_bytes;
  double *Xk;
  attrib_status s;
  double *z = attrib__malloc(n, sizeof *z);
  if (!z) return logit_oom(err);
  for (size_t i = 0; i < n; i++) {
    double m = (d->y[i] + 0.5) / 2.0, me, var = m * (1.0 - m), eta0;
    if (opts->link == ATTRIB_LINK_LOGIT) {
      eta0 = log(m / (1.0 - m));
      me = var;
    } else {
      eta0 = gsl_cdf_ugaussian_Pinv(m);
      me = dnorm(eta0);
    }
    it->W[i] = (d->w ? d->w[i] : 1.0) * me * me / var;
    z[i] = eta0 + (d->y[i] - m) / me;
  }
  s = attrib__ls_solve_plain(allp, z, it->W, opts->collinearity_tol, NULL, lsp, err);
  attrib__free(z);
  if (s) return s;
  rk = lsp->r;
  if (rk == 0) {
    s = attrib__fail(err, ATTRIB_ECOLLINEAR, "no coefficient can be estimated: every term is constant or collinear");
    return s;
  }
  memcpy(aliased, lsp->aliased, k * sizeof *aliased);
  memcpy(cols, lsp->cols, rk * sizeof *cols);
  if (rk < k) { /* a materialised copy of the kept columns (rare: aliased terms) */
    Xk_bytes = *Xk_bytes_out = n * rk * sizeof(double);
    if (!(Xk = *Xk_out = attrib__alloc_large(Xk_bytes))) return logit_oom(err);
    for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
      size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
      const double *b0 = attrib__xsrc_block(allp, r0, p, it->sbuf, &ld);
      for (size_t c = 0; c < rk; c++) memcpy(Xk + c * n + r0, b0 + cols[c] * ld, p * sizeof(double));
    }
    it->X = attrib__xsrc_matrix(Xk, n, rk, n);
    it->X.threads = opts->threads;
  }
  it->r = rk;
  memcpy(it->beta, lsp->beta, rk * sizeof *it->beta);
  attrib__ls_free(lsp);
  *rk_out = rk;
  return ATTRIB_OK;
}

/* Warm start on a subsample: on large data, iterate first on every
 * tenth block of rows, which lands within sampling error of the optimum
 * at a tenth of the cost per pass; Newton's quadratic convergence then
 * needs only two or three passes over all rows. The answer is the full
 * data's: the convergence test runs on all rows. dev: the deviance of
 * the strided pass at the start; the caller's next pass reads every row. */
static attrib_status logit_warm_start(irls *it, double *scale, size_t rk, size_t stride, double dev, attrib_error *err) {
  double sdev = dev, sold = INFINITY;
  for (int wi = 0; wi < 25; wi++) {
    if (wi > 0 && newton_step(it, scale, 0.0) != 0) break;
    double step = 0.0;
    for (size_t j = 0; j < rk; j++) step = fmax(step, fabs(it->delta[j]) / (1.0 + fabs(it->beta[j])));
    memcpy(it->beta_old, it->beta, rk * sizeof *it->beta);
    for (size_t j = 0; j < rk; j++) it->beta[j] += it->delta[j];
    sold = sdev;
    sdev = newton_pass_stride(it, stride);
    if (isnan(sdev)) return logit_oom(err);
    if (!isfinite(sdev) || sdev > sold * (1.0 + 1e-12) + 1e-12) { /* no halving here: keep the better point */
      memcpy(it->beta, it->beta_old, rk * sizeof *it->beta);
      break;
    }
    if (step < 1e-6) break;
  }
  return ATTRIB_OK;
}

/* Newton (Fisher scoring) on the increment: the rounding error of each
 * step shrinks with the step, so the converged beta is accurate even when
 * X'WX is ill-conditioned. Each iteration is one pass over X. At exit, G
 * holds the factor of the information at the returned beta. */
static attrib_status logit_newton(irls *it, double *scale, size_t rk, const attrib_logit_options *opts, double *dev_io,
                                  attrib_logit_result *r, attrib_error *err) {
  double dev = *dev_io;
  double dev_old = INFINITY;
  r->converged = 0;
  size_t iter = 1;
  for (;; iter++) {
    double step = 0.0;
    for (size_t j = 0; j < rk; j++) step = fmax(step, fabs(it->delta[j]) / (1.0 + fabs(it->beta[j])));
    /* The deviance is flat at the optimum (a change of d in beta moves it
     * by d^2), so the coefficients must have settled too: Fisher scoring
     * for probit converges only linearly. */
    if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < opts->tol && step < 1e-10) {
      r->converged = 1;
      break;
    }
    if (iter >= opts->max_iter) break;
    memcpy(it->beta_old, it->beta, rk * sizeof *it->beta);
    for (size_t j = 0; j < rk; j++) it->beta[j] += it->delta[j];
    dev_old = dev;
    dev = newton_pass(it);
    if (isnan(dev)) return logit_oom(err);
    /* step halving while the deviance rose or is not finite */
    for (int half = 0; half < 30 && (!isfinite(dev) || dev > dev_old * (1.0 + 1e-12) + 1e-12); half++) {
      for (size_t j = 0; j < rk; j++) it->beta[j] = 0.5 * (it->beta[j] + it->beta_old[j]);
      dev = newton_pass(it);
      if (isnan(dev)) return logit_oom(err);
    }
    if (newton_step(it, scale, 0.0) != 0) {
      *dev_io = dev;
      return singular_information(err);
    }
  }
  r->iterations = iter;
  *dev_io = dev;
  return ATTRIB_OK;
}

/* Separation by a combination of covariates: fitted probabilities 0 or 1;
 * names the term with the largest standardised coefficient. */
static attrib_status logit_separation(const attrib_design *d, const attrib_logit_options *opts, irls *it, size_t rk,
                                      const size_t *cols, const char *yname, attrib_error *err) {
  size_t n = d->n;
  attrib_status s;
  (void)opts;
  size_t extreme = it->extreme; /* rows with |eta| at the link's threshold, counted by the last pass, at this beta */
  if (extreme > 0) {
    size_t worst = 0;
    double best = -1.0;
    double *m1 = attrib__calloc(rk, sizeof *m1), *m2 = attrib__calloc(rk, sizeof *m2);
    if (!m1 || !m2) {
      attrib__free(m1), attrib__free(m2);
      return logit_oom(err);
    }
    for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
      size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
      const double *b0 = attrib__xsrc_block(&it->X, r0, p, it->buf, &ld);
      for (size_t c = 0; c < rk; c++)
        for (size_t i = 0; i < p; i++) m1[c] += b0[c * ld + i], m2[c] += b0[c * ld + i] * b0[c * ld + i];
    }
    for (size_t c = 0; c < rk; c++) {
      double m = m1[c] / (double)n, v = fmax(m2[c] / (double)n - m * m, 0.0);
      double sb = fabs(it->beta[c]) * sqrt(v);
      if (sb > best) best = sb, worst = c;
    }
    attrib__free(m1), attrib__free(m2);
    s = attrib__fail(err, ATTRIB_ESEPARATION,
                     "separation: a combination of covariates predicts %s perfectly for %zu rows (fitted probabilities "
                     "0 or 1); the term with the largest standardised coefficient is %s. Remove or merge terms",
                     yname, extreme, d->names[cols[worst]]);
    return s;
  }
  return ATTRIB_OK;
}

/* (X'WX)^-1 = D (U'U)^-1 D (rk-by-rk, into bread) from the equilibrated
 * factor of the last step; -1 when it is singular. */
static int logit_bread(const irls *it, size_t rk, const double *scale, double *bread) {
  memcpy(bread, it->G, rk * rk * sizeof *bread);
  if (LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)rk, bread, (lapack_int)rk) != 0) return -1;
  attrib__symmetrize(bread, rk);
  for (size_t a = 0; a < rk; a++)
    for (size_t b = 0; b < rk; b++) bread[b * rk + a] *= scale[a] * scale[b];
  return 0;
}

static attrib_status singular_at_estimate(attrib_error *err) {
  return attrib__fail(err, ATTRIB_ENUMERIC, "logit: the information matrix is singular at the estimate");
}

/* The covariance: the inverse information at the estimate (the factor of
 * the last pass, equilibrated), and for the sandwich (HC0, HC1, cluster)
 * the scores u_i x_i. */
static attrib_status logit_vcov(const attrib_design *d, const attrib_logit_options *opts, irls *it, size_t rk,
                                const double *scale, attrib__clusters *clp, double **bread_out, double **Vr_out,
                                double **e_out, attrib_logit_result *r, attrib_error *err) {
  size_t n = d->n;
  double *bread, *Vr, *e;
  attrib_status s = ATTRIB_OK;
  bread = *bread_out = attrib__malloc(rk * rk, sizeof *bread);
  Vr = *Vr_out = attrib__malloc(rk * rk, sizeof *Vr);
  e = *e_out = opts->vcov != ATTRIB_VCOV_IID ? attrib__malloc(n, sizeof *e) : NULL;
  if (!bread || !Vr || (!e && opts->vcov != ATTRIB_VCOV_IID)) return logit_oom(err);
  if (logit_bread(it, rk, scale, bread)) return singular_at_estimate(err);
  if (opts->vcov != ATTRIB_VCOV_IID || opts->keep_fitted) {
    int full = opts->vcov != ATTRIB_VCOV_IID;
    it->mu = attrib__malloc(n, sizeof *it->mu);
    it->u = full ? attrib__malloc(n, sizeof *it->u) : NULL;
    if (!it->mu || (full && !it->u)) return logit_oom(err);
    row_terms(it, full);
    if (e)
      for (size_t i = 0; i < n; i++) e[i] = it->W[i] > 0.0 ? it->u[i] / it->W[i] : 0.0; /* working residual */
  }
  size_t seq_small[1024];
  size_t *seq = rk <= 1024 ? seq_small : attrib__malloc(rk, sizeof *seq);
  if (!seq) return logit_oom(err);
  for (size_t c = 0; c < rk; c++) seq[c] = c;
  switch (opts->vcov) {
  case ATTRIB_VCOV_HC0:
  case ATTRIB_VCOV_HC1:
    s = attrib__vcov_hc(&it->X, seq, rk, bread, it->W, e, NULL, opts->vcov, (double)n / ((double)n - (double)rk), Vr,
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
    if (s == ATTRIB_OK) s = attrib__clusters_init(clp, n, d->n_cluster, codes, G, err);
    int psd = 0;
    if (s == ATTRIB_OK) s = attrib__vcov_cluster(&it->X, seq, rk, bread, it->W, e, clp, (double)rk, Vr, &psd, err);
    if (s == ATTRIB_OK && psd &&
        attrib__strlist_push(&r->warnings, &r->n_warnings, "the two-way cluster covariance was not positive semi-definite: negative eigenvalues were set to zero; for a covariance without that repair cluster by one column (design.cluster COL)"))
      s = attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory");
    break;
  }
  default:
    memcpy(Vr, bread, rk * rk * sizeof *Vr);
    break;
  }
  if (seq != seq_small) attrib__free(seq);
  return s;
}

/* The table over all columns (NaN where aliased), the likelihood and fit
 * statistics, the effect, and the warnings. */
static attrib_status logit_results(const attrib_design *d, const attrib_logit_options *opts, const irls *it, size_t rk,
                                   const size_t *cols, const int *aliased, const double *Vr, double dev,
                                   attrib_logit_result *r, attrib_error *err) {
  size_t n = d->n, k = d->k;
  attrib_status s;
  if (attrib__coef_alloc(&r->coef, k) != ATTRIB_OK) return logit_oom(err);
  if (!(r->vcov = attrib__malloc(k * k, sizeof *r->vcov))) return logit_oom(err);
  for (size_t q = 0; q < k * k; q++) r->vcov[q] = NAN;
  for (size_t j = 0; j < k; j++) {
    if (!(r->coef.term[j] = attrib__strdup(d->names[j]))) return logit_oom(err);
    r->coef.aliased[j] = aliased[j];
    if (aliased[j]) {
      if (attrib__strlist_push(&r->aliased_names, &r->n_aliased, d->names[j])) return logit_oom(err);
    }
  }
  for (size_t a = 0; a < rk; a++) {
    r->coef.estimate[cols[a]] = it->beta[a];
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
      return s;
    }
    if (aliased[r->effect_index]) {
      s = attrib__fail(err, ATTRIB_ECOLLINEAR, "the treatment '%s' was dropped as constant or collinear", opts->treat);
      return s;
    }
    if (!(r->effect.term = attrib__strdup(opts->treat))) return logit_oom(err);
    attrib__effect_from(&r->effect, &r->coef, (size_t)r->effect_index);
  }
  char msg[300];
  if (!r->converged) {
    snprintf(msg, sizeof msg, "did not converge in %zu iterations (tolerance %g): estimates may be inexact; raise logit.max_iter",
             opts->max_iter, opts->tol);
    if (attrib__strlist_push(&r->warnings, &r->n_warnings, msg)) return logit_oom(err);
  }
  if (opts->vcov == ATTRIB_VCOV_CLUSTER) {
    size_t Gmin = r->n_clusters[0];
    if (r->n_cluster_dims > 1 && r->n_clusters[1] < Gmin) Gmin = r->n_clusters[1];
    if (Gmin < 30) {
      snprintf(msg, sizeof msg,
               "only %zu clusters: cluster-robust tests over-reject with fewer than about 30; the wild cluster "
               "bootstrap is for linear models: fit the linear probability model by OLS with boot.replicates 999 "
               "boot.type wild", Gmin);
      if (attrib__strlist_push(&r->warnings, &r->n_warnings, msg)) return logit_oom(err);
    }
  }
  return ATTRIB_OK;
}

/* A binary model's outcome: 0 or 1 in every row, and not the same in all. */
static attrib_status logit_check_outcome(const attrib_design *d, const char *yname, attrib_error *err) {
  size_t n = d->n;
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
  return ATTRIB_OK;
}

/* The workspace of a fit of one design (n rows, k columns): the IRLS
 * arrays, a pass's partials and per-thread buffers, the separation check's
 * scratch, and the kept-column lists. A fit makes one; the bootstrap makes
 * one per refit thread before its replicates and refits on it
 * (attrib__logit_ws_refit), so a replicate allocates nothing unless it
 * needs the QR start (aliased columns). */
struct attrib__logit_ws {
  size_t n, k;
  irls it;
  sep_ws sep;
  double *scale;  /* k: the information's equilibration */
  double *bread;  /* k x k: the refit's inverse information (NULL in a fit) */
  int *aliased;   /* k */
  size_t *cols;   /* k: the kept columns */
};

static void logit_ws_free(attrib__logit_ws *ws) {
  if (!ws) return;
  irls *it = &ws->it;
  attrib__free(it->eta), attrib__free(it->mu), attrib__free(it->W), attrib__free(it->u);
  attrib__free(it->beta), attrib__free(it->beta_old), attrib__free(it->delta), attrib__free(it->G),
      attrib__free(it->g);
  attrib__free(it->buf), attrib__free(it->sbuf), attrib__free(it->sw), attrib__free(it->ub);
  attrib__free(it->pG), attrib__free(it->pdev), attrib__free(it->pext);
  attrib__free(it->pc_work), attrib__free(it->pc_iwork);
  for (size_t t = 0; t < it->T; t++) {
    if (it->tbuf) attrib__free(it->tbuf[t]);
    if (it->tsbuf) attrib__free(it->tsbuf[t]);
    if (it->tsw) attrib__free(it->tsw[t]);
    if (it->tub) attrib__free(it->tub[t]);
    if (it->teta) attrib__free(it->teta[t]);
  }
  attrib__free(it->tbuf), attrib__free(it->tsbuf), attrib__free(it->tsw), attrib__free(it->tub), attrib__free(it->teta);
  attrib__free(ws->sep.lo), attrib__free(ws->sep.hi), attrib__free(ws->sep.clo), attrib__free(ws->sep.chi);
  attrib__free(ws->sep.binary), attrib__free(ws->sep.above);
  attrib__free(ws->scale), attrib__free(ws->bread), attrib__free(ws->aliased), attrib__free(ws->cols);
  attrib__free(ws);
}

/* The workspace for d fitted with opts (threads: the row chunks' threads,
 * fixed here), bread for a refit's. On failure *out holds what was made,
 * for logit_ws_free. */
static attrib_status logit_ws_make(const attrib_design *d, const attrib_logit_options *opts, int bread,
                                   attrib__logit_ws **out, attrib_error *err) {
  size_t n = d->n, k = d->k, B = ATTRIB__BLOCK_ROWS;
  attrib__logit_ws *ws = *out = attrib__calloc(1, sizeof *ws);
  if (!ws) return logit_oom(err);
  irls *it = &ws->it;
  ws->n = n, ws->k = k;
  int mat = d->X != NULL; /* attrib__design_xsrc reads a materialised design in place: no block buffers */
  it->C = attrib__chunks(n, &it->chunk_rows);
  it->T = attrib__threads(opts->threads, it->C);
  size_t C = it->C, T = it->T;
  /* eta for every row only where the caller reads it afterwards */
  int keep_eta = !bread && (opts->keep_fitted || opts->vcov != ATTRIB_VCOV_IID);
  it->eta = keep_eta ? attrib__malloc(n, sizeof *it->eta) : NULL;
  it->W = attrib__malloc(n, sizeof *it->W); /* the QR start needs it; row_terms reuses it */
  it->beta = attrib__calloc(k, sizeof *it->beta);
  it->beta_old = attrib__malloc(k, sizeof *it->beta_old);
  it->delta = attrib__malloc(k, sizeof *it->delta);
  it->G = attrib__malloc(attrib__mulsz(k, k), sizeof *it->G);
  it->g = attrib__malloc(k, sizeof *it->g);
  it->buf = mat ? NULL : attrib__malloc(B * k, sizeof *it->buf);
  it->sbuf = attrib__malloc(B * k, sizeof *it->sbuf);
  /* a pass's partials: the (k + 1)-square cross-products of [sqrt(W) X, u / sqrt(W)] */
  size_t k1sq = attrib__mulsz(k + 1, k + 1);
  it->sw = attrib__malloc(B, sizeof *it->sw);
  it->ub = attrib__malloc(B, sizeof *it->ub);
  it->pG = attrib__malloc(attrib__mulsz(C, k1sq), sizeof *it->pG);
  it->pdev = attrib__malloc(C, sizeof *it->pdev);
  it->tbuf = attrib__calloc(T, sizeof *it->tbuf);
  it->tsbuf = attrib__calloc(T, sizeof *it->tsbuf);
  it->tsw = attrib__calloc(T, sizeof *it->tsw);
  it->tub = attrib__calloc(T, sizeof *it->tub);
  it->teta = attrib__calloc(T, sizeof *it->teta);
  it->pext = attrib__malloc(C, sizeof *it->pext);
  it->pc_work = attrib__malloc(3 * k, sizeof *it->pc_work);
  it->pc_iwork = attrib__malloc(k, sizeof *it->pc_iwork);
  int ok = it->pc_work && it->pc_iwork && (!keep_eta || it->eta) && it->teta && it->pext && it->W && it->beta && it->beta_old && it->delta && it->G && it->g && (mat || it->buf) &&
           it->sbuf && it->sw && it->ub && it->pG && it->pdev && it->tbuf && it->tsbuf && it->tsw && it->tub;
  for (size_t t = 0; ok && t < T; t++) {
    it->tbuf[t] = mat ? NULL : attrib__malloc(B * k, sizeof **it->tbuf);
    it->tsbuf[t] = attrib__malloc(B * k, sizeof **it->tsbuf);
    it->tsw[t] = attrib__malloc(B, sizeof **it->tsw);
    it->tub[t] = attrib__malloc(B, sizeof **it->tub);
    it->teta[t] = keep_eta ? NULL : attrib__malloc(B, sizeof **it->teta);
    ok = (mat || it->tbuf[t]) && it->tsbuf[t] && it->tsw[t] && it->tub[t] && (keep_eta || it->teta[t]);
  }
  if (!ok) return logit_oom(err);
  sep_ws *sp = &ws->sep;
  sp->lo = attrib__malloc(2 * k + 1, sizeof *sp->lo);
  sp->hi = attrib__malloc(2 * k + 1, sizeof *sp->hi);
  sp->clo = attrib__malloc(attrib__mulsz(C, 2 * k) + 1, sizeof *sp->clo);
  sp->chi = attrib__malloc(attrib__mulsz(C, 2 * k) + 1, sizeof *sp->chi);
  sp->binary = attrib__malloc(k + 1, sizeof *sp->binary);
  sp->above = attrib__malloc(2 * k + 1, sizeof *sp->above);
  ws->scale = attrib__malloc(k, sizeof *ws->scale);
  ws->aliased = attrib__calloc(k, sizeof *ws->aliased);
  ws->cols = attrib__malloc(k, sizeof *ws->cols);
  ws->bread = bread ? attrib__malloc(attrib__mulsz(k, k), sizeof *ws->bread) : NULL;
  if (!sp->lo || !sp->hi || !sp->clo || !sp->chi || !sp->binary || !sp->above || !ws->scale || !ws->aliased ||
      !ws->cols || (bread && !ws->bread))
    return logit_oom(err);
  return ATTRIB_OK;
}

/* Start at the intercept-only fit: the intercept at F^-1 of the weighted
 * share of ones. */
static void logit_null_start(const attrib_design *d, const attrib_logit_options *opts, irls *it) {
  size_t n = d->n;
  double sw0 = 0.0, sy0 = 0.0;
  for (size_t i = 0; i < n; i++) {
    double wi = d->w ? d->w[i] : 1.0;
    sw0 += wi;
    sy0 += wi * d->y[i];
  }
  double p0 = sy0 / sw0;
  if (d->intercept)
    it->beta[0] = opts->link == ATTRIB_LINK_LOGIT ? log(p0 / (1.0 - p0)) : gsl_cdf_ugaussian_Pinv(p0);
}

/* From the start to the converged estimate, separation checked, on ws:
 * the steps a fit and a bootstrap refit share, so a refit's estimate is
 * the fit's bit for bit. rk: how many columns are kept (ws->cols), dev: the
 * deviance; r receives converged and iterations. all: d's columns. The QR
 * start (a singular or ill-conditioned start: aliased columns) allocates
 * ls and Xk, which the caller frees. */
static attrib_status logit_estimate(const attrib_design *d, const attrib_logit_options *opts, attrib__logit_ws *ws,
                                    attrib__xsrc *all, attrib__ls *ls, double **Xk, size_t *Xk_bytes, size_t *rk_out,
                                    double *dev_out, attrib_logit_result *r, attrib_error *err) {
  size_t n = d->n, k = d->k;
  const char *yname = d->response ? d->response : "outcome";
  irls *it = &ws->it;
  double *scale = ws->scale;
  attrib_status s;
  it->n = n;
  it->y = d->y;
  it->w = d->w;
  it->link = opts->link;
  *all = attrib__design_xsrc(d);
  all->threads = opts->threads;
  it->X = *all;
  it->r = k;
  memset(it->beta, 0, k * sizeof *it->beta);
  memset(ws->aliased, 0, k * sizeof *ws->aliased);
  /* Start at the intercept-only fit (the intercept at F^-1 of the weighted
   * share of ones). The first pass's information matrix doubles as the rank
   * check: when it is singular or badly conditioned, start again as R's
   * glm does, with a QR-based weighted least-squares step that names the
   * aliased columns. */
  logit_null_start(d, opts, it);
  /* On large data the start (and the rank check) uses every tenth block of
   * rows: columns dependent on all rows are dependent on any subset, and a
   * subset that looks singular only costs the slower QR start. */
  size_t stride = opts->warm_start && n >= (size_t)50000 ? 10 : 1;
  double dev = newton_pass_stride(it, stride);
  if (isnan(dev)) return logit_oom(err);
  int fast_start = newton_step(it, scale, 1e-12) == 0;
  size_t rk = k;
  for (size_t j = 0; j < k; j++) ws->cols[j] = j;
  if (!fast_start && (s = logit_qr_start(d, opts, it, all, ls, ws->aliased, ws->cols, &rk, Xk, Xk_bytes, err)))
    return s;
  /* The warm start's first pass over every row takes the separation
   * check's ranges on the way (newton_pass_ranges): the check then reads X
   * only when some covariate does separate. */
  int warm = stride > 1 && fast_start;
  if (warm) {
    if ((s = logit_warm_start(it, scale, rk, stride, dev, err))) return s;
    dev = newton_pass_ranges(it, ws->sep.clo, ws->sep.chi);
    if (isnan(dev)) return logit_oom(err);
  }
  if ((s = univariate_separation(all, ws->cols, rk, d->names, d->y, yname, it, &ws->sep, warm, err))) return s;
  if (warm && newton_step(it, scale, 0.0) != 0) return singular_information(err);
  if (!fast_start) {
    dev = newton_pass(it);
    if (isnan(dev)) return logit_oom(err);
    if (newton_step(it, scale, 0.0) != 0)
      return attrib__fail(err, ATTRIB_ESEPARATION,
                          "the information matrix is singular at the start: fitted probabilities reach 0 or 1, a "
                          "sign of separation");
  }


  if ((s = logit_newton(it, scale, rk, opts, &dev, r, err))) return s;

  /* separation by a combination of covariates: fitted probabilities 0 or 1 */
  if ((s = logit_separation(d, opts, it, rk, ws->cols, yname, err))) return s;
  *rk_out = rk;
  *dev_out = dev;
  return ATTRIB_OK;
}

attrib_status attrib_logit_fit(const attrib_design *d, const attrib_logit_options *opts,
                               attrib_logit_result **out, attrib_error *err) {
  if (!d || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_logit_fit: NULL argument");
  *out = NULL;
  if (d->n_outcomes > 1)
    return attrib__fail(err, ATTRIB_EFORMULA, "a formula with several outcomes, c(...) ~ ..., is for ols; "
                                              "a logit model has one outcome");
  attrib_logit_options defaults;
  if (!opts) {
    attrib_logit_options_init(&defaults);
    opts = &defaults;
  }
  ATTRIB__TRY(attrib_logit_check(d, opts, err));
  size_t n = d->n, k = d->k;
  const char *yname = d->response ? d->response : "outcome";
  ATTRIB__TRY(logit_check_outcome(d, yname, err));
  if (k == 0) return attrib__fail(err, ATTRIB_EDESIGN, "the model has no term");

  attrib_status s = ATTRIB_OK;
  attrib_logit_result *r = attrib__calloc(1, sizeof *r);
  attrib__logit_ws *ws = NULL;
  attrib__ls ls;
  memset(&ls, 0, sizeof ls);
  attrib__clusters cl;
  memset(&cl, 0, sizeof cl);
  double *Xk = NULL, *e = NULL, *bread = NULL, *Vr = NULL;
  size_t Xk_bytes = 0, rk = 0;
  double dev = 0.0;
  attrib__xsrc all;
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "logit: out of memory");
  r->effect_index = -1;
  r->level = opts->level;
  r->link = opts->link;
  r->vcov_type = opts->vcov;
  r->n_obs = n;
  r->n_input = d->n_input;
  r->n_dropped_missing = d->n_dropped_missing;
  r->n_dropped_weight = d->n_dropped_weight;
  if (!(r->response = attrib__strdup(yname))) {
    s = logit_oom(err);
    goto fail;
  }
  if ((s = logit_ws_make(d, opts, 0, &ws, err))) goto fail;
  if ((s = logit_estimate(d, opts, ws, &all, &ls, &Xk, &Xk_bytes, &rk, &dev, r, err))) goto fail;

  /* covariance: the inverse information at the estimate (the factor of the
   * last pass, equilibrated), and for the sandwich the scores u_i x_i */
  if ((s = logit_vcov(d, opts, &ws->it, rk, ws->scale, &cl, &bread, &Vr, &e, r, err))) goto fail;

  /* table */
  if ((s = logit_results(d, opts, &ws->it, rk, ws->cols, ws->aliased, Vr, dev, r, err))) goto fail;
  if (opts->keep_fitted) {
    /* hand over the last pass's arrays rather than copy them: at 1M rows
     * fresh pages cost more than the arithmetic */
    r->linear_predictor = ws->it.eta;
    r->fitted = ws->it.mu;
    ws->it.eta = ws->it.mu = NULL;
  }
  *out = r;
  r = NULL;
fail:
  attrib_logit_result_free(r);
  logit_ws_free(ws);
  attrib__free_large(Xk, Xk_bytes);
  attrib__free(e);
  attrib__free(bread);
  attrib__free(Vr);
  attrib__ls_free(&ls);
  attrib__clusters_free(&cl);
  return s;
}

/* ------------------------------------------------------------ refits */

attrib_status attrib__logit_ws_alloc(const attrib_design *d, const attrib_logit_options *o, attrib__logit_ws **ws,
                                     attrib_error *err) {
  *ws = NULL;
  if (!d || !o || d->k == 0) return attrib__fail(err, ATTRIB_EINVAL, "attrib__logit_ws_alloc: no design");
  attrib__logit_ws *w = NULL;
  attrib_status s = logit_ws_make(d, o, 1, &w, err);
  if (s) {
    logit_ws_free(w);
    return s;
  }
  *ws = w;
  return ATTRIB_OK;
}

attrib_status attrib__logit_ws_refit(attrib__logit_ws *ws, const attrib_design *dd, const attrib_logit_options *o,
                                     size_t coef, double *beta, double *se, int *ok) {
  attrib_error e;
  attrib_error_clear(&e);
  *ok = 0;
  const char *yname = dd->response ? dd->response : "outcome";
  attrib_status s = attrib_logit_check(dd, o, &e);
  if (!s) s = logit_check_outcome(dd, yname, &e);
  if (!s && (dd->n != ws->n || dd->k != ws->k || coef >= ws->k))
    s = attrib__fail(&e, ATTRIB_EINVAL, "attrib__logit_ws_refit: not the workspace's design");
  attrib_logit_result conv; /* receives converged and iterations only */
  memset(&conv, 0, sizeof conv);
  attrib__ls ls;
  memset(&ls, 0, sizeof ls);
  double *Xk = NULL, dev = 0.0;
  size_t Xk_bytes = 0, rk = 0;
  attrib__xsrc all;
  if (!s) s = logit_estimate(dd, o, ws, &all, &ls, &Xk, &Xk_bytes, &rk, &dev, &conv, &e);
  if (!s && logit_bread(&ws->it, rk, ws->scale, ws->bread)) s = singular_at_estimate(&e);
  if (!s && conv.converged && !ws->aliased[coef])
    for (size_t a = 0; a < rk; a++)
      if (ws->cols[a] == coef) {
        *beta = ws->it.beta[a];
        *se = sqrt(ws->bread[a * rk + a]); /* logit_results' SE under the iid covariance */
        *ok = 1;
      }
  attrib__free_large(Xk, Xk_bytes);
  attrib__ls_free(&ls);
  return s;
}

void attrib__logit_ws_free(attrib__logit_ws *ws) { logit_ws_free(ws); }

/* ------------------------------------------------------------ for the stream */

void attrib__link_eval(attrib_link link, double eta, double y, double *mu, double *mueta, double *dev) {
  link_eval(link, eta, y, mu, mueta, dev);
}

int attrib__newton_step_chol(double *G, const double *g, size_t r, double *scale, double *delta) {
  for (size_t j = 0; j < r; j++) scale[j] = G[j * r + j] > 0.0 ? 1.0 / sqrt(G[j * r + j]) : 0.0;
  for (size_t j = 0; j < r; j++) {
    if (scale[j] == 0.0) return -1;
    for (size_t i = 0; i <= j; i++) G[j * r + i] *= scale[i] * scale[j];
    delta[j] = g[j] * scale[j];
  }
  if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)r, G, (lapack_int)r) != 0) return -1;
  if (LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'U', (lapack_int)r, 1, G, (lapack_int)r, delta, (lapack_int)r) != 0) return -1;
  for (size_t j = 0; j < r; j++) delta[j] *= scale[j];
  return 0;
}

attrib_status attrib__logit_ooc_stats(attrib_logit_result *r, const attrib_logit_options *o, double dev, double sw,
                                      double sy, double n, size_t k, int intercept) {
  r->deviance = dev;
  r->log_likelihood = -0.5 * dev;
  double p0 = intercept ? sy / sw : 0.5;
  r->null_deviance = -2.0 * (sy * log(p0) + (sw - sy) * log1p(-p0));
  r->aic = dev + 2.0 * (double)k;
  r->bic = dev + log(n) * (double)k;
  char msg[300];
  if (!r->converged) {
    snprintf(msg, sizeof msg, "did not converge in %zu iterations (tolerance %g): estimates may be inexact; raise logit.max_iter",
             o->max_iter, o->tol);
    if (attrib__strlist_push(&r->warnings, &r->n_warnings, msg)) return ATTRIB_ENOMEM;
  }
  if (o->vcov == ATTRIB_VCOV_CLUSTER && r->n_clusters && r->n_clusters[0] < 30) {
    snprintf(msg, sizeof msg,
             "only %zu clusters: cluster-robust tests over-reject with fewer than about 30; the wild cluster "
             "bootstrap is for linear models: fit the linear probability model by OLS with boot.replicates 999 "
             "boot.type wild", r->n_clusters[0]);
    if (attrib__strlist_push(&r->warnings, &r->n_warnings, msg)) return ATTRIB_ENOMEM;
  }
  return ATTRIB_OK;
}

attrib_status attrib__separation_verdict(const char *yname, double extreme, const double *m1, const double *m2,
                                        const double *beta, double n, size_t r, const char *const *names,
                                        const size_t *cols, attrib_error *err) {
  if (!(extreme > 0)) return ATTRIB_OK;
  size_t worst = 0;
  double best = -1.0;
  for (size_t c = 0; c < r; c++) {
    double mm = m1[c] / n, v = fmax(m2[c] / n - mm * mm, 0.0), sb = fabs(beta[c]) * sqrt(v);
    if (sb > best) best = sb, worst = c;
  }
  return attrib__fail(err, ATTRIB_ESEPARATION,
                      "separation: a combination of covariates predicts %s perfectly for %.0f rows (fitted probabilities "
                      "0 or 1); the term with the largest standardised coefficient is %s. Remove or merge terms",
                      yname, extreme, names[cols ? cols[worst] : worst]);
}

attrib_status attrib__newton_run(const attrib__newton *nw, double *dev, size_t *iterations, int *converged,
                                 attrib_error *err) {
  size_t r = nw->r;
  *converged = 0;
  ATTRIB__TRY(nw->pass(nw->ctx, dev));
  if (attrib__newton_step_chol(nw->G, nw->g, r, nw->scale, nw->delta) != 0)
    return attrib__fail(err, ATTRIB_ESEPARATION,
                        "the information matrix is singular at the start: fitted probabilities reach 0 or 1, a sign of "
                        "separation");
  double dev_old = INFINITY;
  size_t iter = 1;
  for (;; iter++) {
    double step = 0.0;
    for (size_t j = 0; j < r; j++) step = fmax(step, fabs(nw->delta[j]) / (1.0 + fabs(nw->beta[j])));
    if (fabs(*dev - dev_old) / (fabs(*dev) + 0.1) < nw->tol && step < 1e-10) {
      *converged = 1;
      break;
    }
    if (iter >= nw->max_iter) break;
    memcpy(nw->beta_old, nw->beta, r * sizeof *nw->beta);
    for (size_t j = 0; j < r; j++) nw->beta[j] += nw->delta[j];
    dev_old = *dev;
    ATTRIB__TRY(nw->pass(nw->ctx, dev));
    for (int half = 0; half < 30 && (!isfinite(*dev) || *dev > dev_old * (1.0 + 1e-12) + 1e-12); half++) {
      for (size_t j = 0; j < r; j++) nw->beta[j] = 0.5 * (nw->beta[j] + nw->beta_old[j]);
      ATTRIB__TRY(nw->pass(nw->ctx, dev));
    }
    if (attrib__newton_step_chol(nw->G, nw->g, r, nw->scale, nw->delta) != 0)
      return attrib__fail(err, ATTRIB_ESEPARATION,
                          "the information matrix became singular during fitting: fitted probabilities reach 0 or 1, a "
                          "sign of separation");
  }
  *iterations = iter;
  return ATTRIB_OK;
}

double attrib__link_thresh(attrib_link link) { return link == ATTRIB_LINK_LOGIT ? LOGIT_THRESH : PROBIT_THRESH; }
