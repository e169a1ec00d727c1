/*
 * The average marginal effect of a logit/probit treatment on P(y = 1)
 * (include/attrib/logit.h, docs/methods/logit.md): the effect on the KPI's
 * own scale, which is what ROI needs (a log-odds coefficient of -0.87 is not
 * a change of -0.87 in a churn rate; issue 12, defect 7).
 *
 * With F the link's cdf, f its density and x_i(v) row i of X with the
 * treatment set to v (in its main effect and every interaction), b the
 * estimate and w_i the fit's weights (1 without), W = sum w_i:
 *
 *   risk difference (0/1 or factor treatment; Stata `margins r.D`,
 *   marginaleffects `avg_comparisons`):
 *     AME = sum w_i [F(x_i(1)'b) - F(x_i(0)'b)] / W
 *     dAME/db = sum w_i [f(x_i(1)'b) x_i(1) - f(x_i(0)'b) x_i(0)] / W
 *
 *   average derivative (other numeric treatment; Stata `margins, dydx(D)`,
 *   marginaleffects `avg_slopes`): X is linear in D (a variable enters a
 *   product once), so d(x_i'b)/dD = s_i = x_i(1)'b - x_i(0)'b exactly, and
 *     AME = sum w_i f(x_i'b) s_i / W
 *     dAME/db = sum w_i [f'(x_i'b) s_i x_i + f(x_i'b) (x_i(1) - x_i(0))] / W
 *
 * SE = sqrt(g' V g) (the delta method; Greene 2012, "Econometric Analysis",
 * sec. 17.3), V the fit's covariance, whichever type it was: the
 * covariates are held at their sample values, as Stata's default
 * vce(delta) and marginaleffects do.
 *
 * One pass over the rows in the parallel chunks of core/parallel.h, each
 * chunk with its own partial sums merged in chunk order: the result does
 * not depend on the thread count.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/logit.h>
#include "core/attrib_internal.h"
#include "core/parallel.h"
#include "core/linalg.h"
#include "design/design_internal.h"
#include "regression/regression_internal.h"

void attrib__logit_ame_free(attrib_logit_ame *a) {
  if (!a) return;
  attrib__free(a->term);
  attrib__free(a->reason);
  attrib__free(a);
}

/* F, f and f' at eta (exact: no clamping, as plogis / pnorm) */
static void link3(attrib_link link, double eta, double *F, double *f, double *fp) {
  if (link == ATTRIB_LINK_LOGIT) {
    double e = exp(-fabs(eta)), q = 1.0 / (1.0 + e);
    *F = eta >= 0 ? q : e * q;
    *f = e * q * q; /* F (1 - F) */
    *fp = *f * (1.0 - 2.0 * *F);
  } else {
    *F = gsl_cdf_ugaussian_P(eta);
    *f = exp(-0.5 * eta * eta) / sqrt(2.0 * M_PI);
    *fp = -eta * *f;
  }
}

typedef struct ame_job {
  const attrib_design *d;
  attrib__design_cf cf1, cf0;
  const double *beta;    /* k, 0 for aliased columns */
  const int *aliased;
  size_t k, treat, chunk_rows;
  attrib_link link;
  int derivative;
  /* per chunk: [0] sum w, [1] sum w * the row's effect, [2] sum w F(x(1)'b), [3] sum w F(x(0)'b),
   * [4] rows where the treatment is not 0/1, then k gradient terms */
  double *acc;
  double **buf; /* per thread: 3 blocks of B x k */
} ame_job;

#define AME_HEAD 5

static void ame_chunk(void *ctx, size_t ch, size_t t) {
  ame_job *j = ctx;
  const attrib_design *d = j->d;
  size_t k = j->k, B = ATTRIB__BLOCK_ROWS, lo = ch * j->chunk_rows, hi = lo + j->chunk_rows;
  if (hi > d->n) hi = d->n;
  double *acc = j->acc + ch * (AME_HEAD + k);
  double *X = j->buf[t], *X1 = X + B * k, *X0 = X1 + B * k;
  for (size_t r0 = lo; r0 < hi; r0 += B) {
    size_t p = hi - r0 < B ? hi - r0 : B;
    attrib_design_fill_rows(d, r0, p, X, p);
    /* the counterfactuals differ from X only in the columns that involve the treatment */
    memcpy(X1, X, p * k * sizeof *X);
    memcpy(X0, X, p * k * sizeof *X);
    attrib__design_fill_rows_cf(d, &j->cf1, r0, p, X1, p);
    attrib__design_fill_rows_cf(d, &j->cf0, r0, p, X0, p);
    for (size_t i = 0; i < p; i++) {
      double eta = 0.0, eta1 = 0.0, eta0 = 0.0;
      for (size_t c = 0; c < k; c++) {
        if (j->aliased[c]) continue;
        eta += j->beta[c] * X[c * p + i];
        eta1 += j->beta[c] * X1[c * p + i];
        eta0 += j->beta[c] * X0[c * p + i];
      }
      double w = d->w ? d->w[r0 + i] : 1.0, F = 0, f = 0, fp = 0, F1, f1, fp1, F0, f0, fp0;
      if (j->derivative) link3(j->link, eta, &F, &f, &fp); /* the observed row's: only the derivative needs it */
      link3(j->link, eta1, &F1, &f1, &fp1);
      link3(j->link, eta0, &F0, &f0, &fp0);
      double dt = X[j->treat * p + i];
      acc[4] += dt != 0.0 && dt != 1.0;
      acc[0] += w;
      acc[2] += w * F1;
      acc[3] += w * F0;
      double *g = acc + AME_HEAD;
      if (j->derivative) {
        double s = eta1 - eta0;
        acc[1] += w * f * s;
        for (size_t c = 0; c < k; c++)
          if (!j->aliased[c]) g[c] += w * (fp * s * X[c * p + i] + f * (X1[c * p + i] - X0[c * p + i]));
      } else {
        acc[1] += w * (F1 - F0);
        for (size_t c = 0; c < k; c++)
          if (!j->aliased[c]) g[c] += w * (f1 * X1[c * p + i] - f0 * X0[c * p + i]);
      }
    }
  }
}

/* one pass of the average and its gradient; NaN estimate when out of memory */
static int ame_pass(ame_job *j, size_t threads, double *acc_out) {
  size_t C = attrib__chunks(j->d->n, &j->chunk_rows), T = attrib__threads(threads, C), m = AME_HEAD + j->k;
  j->acc = attrib__calloc(C * m, sizeof *j->acc);
  j->buf = attrib__calloc(T, sizeof *j->buf);
  int ok = j->acc && j->buf;
  for (size_t t = 0; ok && t < T; t++) ok = (j->buf[t] = attrib__malloc(3 * ATTRIB__BLOCK_ROWS * j->k, sizeof(double))) != NULL;
  if (ok) {
    attrib__parallel_chunks(C, T, ame_chunk, j);
    memset(acc_out, 0, m * sizeof *acc_out);
    for (size_t c = 0; c < C; c++)
      for (size_t q = 0; q < m; q++) acc_out[q] += j->acc[c * m + q];
  }
  for (size_t t = 0; j->buf && t < T; t++) attrib__free(j->buf[t]);
  attrib__free(j->buf);
  attrib__free(j->acc);
  j->buf = NULL, j->acc = NULL;
  return ok;
}

/* marks a as not defined for its term, with the reason; 0 or -1 (out of memory) */
static int unavailable(attrib_logit_ame *a, const char *why) {
  a->available = 0;
  a->estimate = a->std_error = a->statistic = a->p_value = a->ci_low = a->ci_high = NAN;
  a->p_treated = a->p_control = NAN;
  return (a->reason = attrib__strdup(why)) ? 0 : -1;
}

attrib_status attrib_logit_margins(const attrib_design *d, attrib_logit_result *r, size_t threads, attrib_error *err) {
  if (!d || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_logit_margins: NULL argument");
  if (r->effect_index < 0 || !r->effect.term)
    return attrib__fail(err, ATTRIB_EINVAL, "the average marginal effect needs the fit's treatment term");
  size_t k = r->coef.k, jt = (size_t)r->effect_index;
  if (d->k != k || d->n != r->n_obs || !r->vcov)
    return attrib__fail(err, ATTRIB_EINVAL, "the average marginal effect needs the design the fit was made on");
  for (size_t c = 0; c < k; c++)
    if (strcmp(d->names[c], r->coef.term[c]))
      return attrib__fail(err, ATTRIB_EINVAL, "the average marginal effect needs the design the fit was made on");
  attrib_logit_ame *a = attrib__calloc(1, sizeof *a);
  double *beta = NULL, *acc = NULL;
  int *al = NULL;
  if (!a || !(a->term = attrib__strdup(r->effect.term))) goto oom;
  a->level = r->level;
  a->n_obs = d->n;
  a->weighted = d->w != NULL;
  a->type = ATTRIB_AME_RISK_DIFFERENCE;

  attrib_error e;
  attrib_error_clear(&e);
  ame_job j;
  memset(&j, 0, sizeof j);
  attrib_status s = attrib__design_cf_init(d, jt, &j.cf1, &e);
  if (s == ATTRIB_ENOMEM) goto oom;
  if (s) {
    char why[ATTRIB_ERROR_MESSAGE_MAX + 128];
    snprintf(why, sizeof why, "%s; the average marginal effect is defined for a treatment variable", e.message);
    if (unavailable(a, why)) goto oom;
    goto done;
  }
  j.cf0 = j.cf1;
  if (j.cf1.x) {
    j.cf1.value = 1.0, j.cf0.value = 0.0;
  } else if (j.cf1.level == 0) {
    if (unavailable(a, "the term is a factor's first level, the reference of the comparison: treat another level")) goto oom;
    goto done;
  } else {
    j.cf1.code = j.cf1.level, j.cf0.code = 0;
  }
  beta = attrib__malloc(k, sizeof *beta);
  acc = attrib__malloc(AME_HEAD + k, sizeof *acc);
  al = attrib__malloc(k, sizeof *al);
  if (!beta || !acc || !al) goto oom;
  for (size_t c = 0; c < k; c++) {
    al[c] = r->coef.aliased[c] != 0;
    beta[c] = al[c] ? 0.0 : r->coef.estimate[c];
  }
  j.d = d, j.beta = beta, j.aliased = al, j.k = k, j.treat = jt, j.link = r->link;
  /* a numeric treatment that is not 0/1 in some row gets the derivative: the
   * first pass counts such rows beside the risk difference's sums */
  if (!ame_pass(&j, threads, acc)) goto oom;
  if (j.cf1.x && acc[4] > 0) {
    j.derivative = 1;
    a->type = ATTRIB_AME_DERIVATIVE;
    if (!ame_pass(&j, threads, acc)) goto oom;
  }
  double W = acc[0], *g = acc + AME_HEAD, var = 0.0;
  a->available = 1;
  a->estimate = acc[1] / W;
  a->p_treated = j.derivative ? NAN : acc[2] / W;
  a->p_control = j.derivative ? NAN : acc[3] / W;
  for (size_t c = 0; c < k; c++) g[c] /= W;
  for (size_t p = 0; p < k; p++)
    for (size_t q = 0; q < k; q++)
      if (!al[p] && !al[q]) var += g[p] * r->vcov[q * k + p] * g[q];
  a->std_error = var >= 0.0 ? sqrt(var) : NAN;
  double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * a->level);
  if (a->std_error > 0.0) {
    a->statistic = a->estimate / a->std_error;
    a->p_value = 2.0 * gsl_cdf_ugaussian_Q(fabs(a->statistic));
    a->ci_low = a->estimate - z * a->std_error;
    a->ci_high = a->estimate + z * a->std_error;
  } else {
    a->statistic = a->p_value = a->ci_low = a->ci_high = NAN;
  }
done:
  attrib__free(beta), attrib__free(acc), attrib__free(al);
  attrib__logit_ame_free(r->ame);
  r->ame = a;
  return ATTRIB_OK;
oom:
  attrib__free(beta), attrib__free(acc), attrib__free(al);
  attrib__logit_ame_free(a);
  return attrib__fail(err, ATTRIB_ENOMEM, "logit: average marginal effect: out of memory");
}
