/*
 * IPW and AIPW estimators (include/attrib/weighting.h).
 *
 * IPW variance: theta = (beta, mu1, mu0) solves the stacked estimating
 * equations psi = (x (T - e), w1 (Y - mu1), w0 (Y - mu0)) with
 * w1 = T/e, w0 = (1-T)/(1-e) (ATE) or w1 = T, w0 = (1-T) e/(1-e) (ATT).
 * V(theta) = A^-1 B A^-T / n with A = -E dpsi/dtheta (analytic below; the
 * reference in tests/reference/weighting differentiates numerically) and
 * B = E psi psi'; var(mu1 - mu0) = u' B u / n with A' u = (0, .., 1, -1).
 * dA entries (logit: de/dbeta = e (1 - e) x):
 *   A_bb = E e(1-e) x x'
 *   ATE: A_1b = E T (Y - mu1) (1-e)/e x, A_11 = E T/e,
 *        A_0b = -E (1-T) (Y - mu0) e/(1-e) x, A_00 = E (1-T)/(1-e)
 *   ATT: A_1b = 0, A_11 = E T, A_0b as for the ATE, A_00 = E (1-T) e/(1-e).
 */
#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include <attrib/weighting.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "design/design_internal.h"
#include "regression/regression_internal.h"
#include "matching/matching_internal.h"

static void weights_for(attrib_estimand est, int t, double e, double *w1, double *w0) {
  if (est == ATTRIB_ESTIMAND_ATE) {
    *w1 = t ? 1.0 / e : 0.0;
    *w0 = t ? 0.0 : 1.0 / (1.0 - e);
  } else {
    *w1 = t ? 1.0 : 0.0;
    *w0 = t ? 0.0 : e / (1.0 - e);
  }
}

static attrib_status ipw_variance(const attrib_design *d, const double *e, const double *y, attrib_estimand est,
                                  double mu1, double mu0, double *var, double *psi, attrib_error *err) {
  size_t n = d->n, k = d->k, m = k + 2, B = ATTRIB__BLOCK_ROWS;
  double *A = attrib__calloc(m * m, sizeof *A), *Bm = attrib__calloc(m * m, sizeof *Bm);
  double *P = attrib__malloc(B * m, sizeof *P), *buf = attrib__malloc(B * k, sizeof *buf);
  lapack_int *piv = attrib__malloc(m, sizeof *piv);
  attrib_status s = ATTRIB_OK;
  if (!A || !Bm || !P || !buf || !piv) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "weighting: out of memory");
    goto done;
  }
  attrib__xsrc X = attrib__design_xsrc(d);
  for (size_t r0 = 0; r0 < n; r0 += B) {
    size_t p = n - r0 < B ? n - r0 : B, ld;
    const double *blk = attrib__xsrc_block(&X, r0, p, buf, &ld);
    for (size_t i = 0; i < p; i++) {
      size_t row = r0 + i;
      int t = d->y[row] == 1.0;
      double ei = e[row], w1, w0;
      weights_for(est, t, ei, &w1, &w0);
      double r1 = y[row] - mu1, r0v = y[row] - mu0;
      /* scores of the row into P (p x m) */
      for (size_t j = 0; j < k; j++) P[j * p + i] = blk[j * ld + i] * ((double)t - ei);
      P[k * p + i] = w1 * r1;
      P[(k + 1) * p + i] = w0 * r0v;
      /* Jacobian rows */
      double c1 = est == ATTRIB_ESTIMAND_ATE ? (t ? r1 * (1.0 - ei) / ei : 0.0) : 0.0;
      double c0 = t ? 0.0 : -r0v * ei / (1.0 - ei);
      double ee = ei * (1.0 - ei);
      for (size_t a = 0; a < k; a++) {
        double xa = blk[a * ld + i];
        for (size_t b = 0; b <= a; b++) A[b * m + a] += ee * xa * blk[b * ld + i];
        A[a * m + k] += c1 * xa;
        A[a * m + k + 1] += c0 * xa;
      }
      A[k * m + k] += est == ATTRIB_ESTIMAND_ATE ? (t ? 1.0 / ei : 0.0) : (double)t;
      A[(k + 1) * m + k + 1] += w0;
    }
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)m, (int)p, 1.0, P, (int)p, 1.0, Bm, (int)m);
  }
  for (size_t a = 0; a < k; a++) /* A_bb is symmetric: fill its upper triangle */
    for (size_t b = 0; b < a; b++) A[a * m + b] = A[b * m + a];
  for (size_t q = 0; q < m * m; q++) A[q] /= (double)n, Bm[q] /= (double)n;
  attrib__symmetrize(Bm, m);
  /* u = A^-T c */
  double u[512], *uu = m <= 512 ? u : attrib__malloc(m, sizeof *uu);
  if (!uu) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "weighting: out of memory");
    goto done;
  }
  memset(uu, 0, m * sizeof *uu);
  uu[k] = 1.0;
  uu[k + 1] = -1.0;
  /* A' u = c: transpose A in place and solve */
  for (size_t a = 0; a < m; a++)
    for (size_t b = a + 1; b < m; b++) {
      double tmp = A[b * m + a];
      A[b * m + a] = A[a * m + b];
      A[a * m + b] = tmp;
    }
  lapack_int info = LAPACKE_dgesv(LAPACK_COL_MAJOR, (lapack_int)m, 1, A, (lapack_int)m, piv, uu, (lapack_int)m);
  if (info != 0) {
    s = attrib__fail(err, ATTRIB_ENUMERIC, "weighting: the estimating equations' Jacobian is singular (LAPACK dgesv info %d)",
                     (int)info);
  } else {
    double v = 0.0;
    for (size_t a = 0; a < m; a++)
      for (size_t b = 0; b < m; b++) v += uu[a] * Bm[b * m + a] * uu[b];
    *var = v / (double)n;
    /* the influence values: est - truth ~ (1/n) sum psi_i, psi_i = u's_i
     * (the sign makes them the estimate's; the variance is u'Bu/n either way) */
    for (size_t r0 = 0; psi && r0 < n; r0 += B) {
      size_t p = n - r0 < B ? n - r0 : B, ld;
      const double *blk = attrib__xsrc_block(&X, r0, p, buf, &ld);
      for (size_t i = 0; i < p; i++) {
        size_t row = r0 + i;
        int t = d->y[row] == 1.0;
        double ei = e[row], w1, w0;
        weights_for(est, t, ei, &w1, &w0);
        double v1 = uu[k] * w1 * (y[row] - mu1) + uu[k + 1] * w0 * (y[row] - mu0);
        for (size_t j = 0; j < k; j++) v1 += uu[j] * blk[j * ld + i] * ((double)t - ei);
        psi[row] = v1;
      }
    }
  }
  if (uu != u) attrib__free(uu);
done:
  attrib__free(A);
  attrib__free(Bm);
  attrib__free(P);
  attrib__free(buf);
  attrib__free(piv);
  return s;
}

static attrib_status aipw_ate(const attrib_design *d, const double *e, const double *y, attrib_weighting_result *out,
                              double *psi, attrib_error *err) {
  size_t n = d->n;
  attrib_status s = ATTRIB_OK;
  double *w = attrib__malloc(n, sizeof *w), *m1 = attrib__malloc(n, sizeof *m1), *m0 = attrib__malloc(n, sizeof *m0);
  double *b = attrib__calloc(d->k, sizeof *b);
  attrib__ls ls;
  memset(&ls, 0, sizeof ls);
  if (!w || !m1 || !m0 || !b) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "weighting: out of memory");
    goto done;
  }
  attrib__xsrc X = attrib__design_xsrc(d);
  for (int arm = 1; arm >= 0; arm--) { /* OLS of y on X within each arm (weights 0/1) */
    for (size_t i = 0; i < n; i++) w[i] = (d->y[i] == 1.0) == (arm == 1) ? 1.0 : 0.0;
    if ((s = attrib__ls_solve(&X, y, w, 1e-10, NULL, &ls, err))) goto done;
    memset(b, 0, d->k * sizeof *b);
    for (size_t j = 0; j < ls.r; j++) b[ls.cols[j]] = ls.beta[j];
    attrib__ls_free(&ls);
    if ((s = attrib__xsrc_gemv(&X, b, arm ? m1 : m0, err))) goto done;
  }
  double sum = 0.0, s1 = 0.0, s0 = 0.0;
  for (size_t i = 0; i < n; i++) {
    int t = d->y[i] == 1.0;
    double a1 = m1[i] + (t ? (y[i] - m1[i]) / e[i] : 0.0);
    double a0 = m0[i] + (t ? 0.0 : (y[i] - m0[i]) / (1.0 - e[i]));
    w[i] = a1 - a0; /* the influence-function term phi_i */
    sum += w[i];
    s1 += a1;
    s0 += a0;
  }
  double tau = sum / (double)n, ss = 0.0;
  for (size_t i = 0; i < n; i++) ss += (w[i] - tau) * (w[i] - tau);
  for (size_t i = 0; psi && i < n; i++) psi[i] = w[i] - tau;
  out->estimate = tau;
  out->std_error = sqrt(ss / (double)n / (double)n);
  out->mean_treated = s1 / (double)n;
  out->mean_control = s0 / (double)n;
done:
  attrib__free(w);
  attrib__free(m1);
  attrib__free(m0);
  attrib__free(b);
  attrib__ls_free(&ls);
  return s;
}

/* The doubly robust ATT (Sant'Anna & Zhao 2020 in its cross-section form,
 * DRDID's formula with the outcome in place of a long difference): its own
 * logit score on the design's columns, OLS of y on them among the controls,
 * and the influence function with both estimation effects (dr_att.c). */
static attrib_status aipw_att(const attrib_design *d, const double *y, attrib_weighting_result *out, double *psi,
                              attrib_error *err) {
  size_t n = d->n, k = d->k, B = ATTRIB__BLOCK_ROWS;
  attrib_status s = ATTRIB_OK;
  double *X = attrib__malloc(n * k > 0 ? n * k : 1, sizeof *X), *buf = attrib__malloc(B * (k ? k : 1), sizeof *buf);
  double *ps = attrib__malloc(n ? n : 1, sizeof *ps);
  unsigned char *in = attrib__malloc(n ? n : 1, 1), *tr = attrib__malloc(n ? n : 1, 1);
  attrib__dr_work w;
  memset(&w, 0, sizeof w);
  if (!X || !buf || !ps || !in || !tr || attrib__dr_work_init(&w, k)) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "weighting: out of memory");
    goto done;
  }
  for (size_t r0 = 0; r0 < n; r0 += B) {
    size_t p = n - r0 < B ? n - r0 : B;
    attrib_design_fill_rows(d, r0, p, buf, p);
    for (size_t j = 0; j < k; j++) memcpy(X + j * n + r0, buf + j * p, p * sizeof *X);
  }
  double s1 = 0.0;
  for (size_t i = 0; i < n; i++) {
    in[i] = 1, tr[i] = d->y[i] == 1.0;
    if (tr[i]) s1 += y[i];
  }
  double att;
  char why[160];
  if (attrib__dr_att(X, n, y, in, tr, &w, &att, ps, why, sizeof why)) {
    s = attrib__fail(err, ATTRIB_EDESIGN, "AIPW ATT: %s", why);
    goto done;
  }
  double ss = 0.0;
  for (size_t i = 0; i < n; i++) ss += ps[i] * ps[i];
  out->estimate = att;
  out->std_error = sqrt(ss) / (double)n;
  out->mean_treated = s1 / (double)out->n_treated;
  out->mean_control = out->mean_treated - att;
  if (psi) memcpy(psi, ps, n * sizeof *psi);
done:
  attrib__free(X), attrib__free(buf), attrib__free(ps), attrib__free(in), attrib__free(tr);
  attrib__dr_work_free(&w);
  return s;
}

attrib_status attrib_weighting_fit(const attrib_design *d, const double *e, const double *y,
                                   attrib_weighting_method method, attrib_estimand est, attrib_weighting_result *out,
                                   attrib_error *err) {
  return attrib_weighting_fit_influence(d, e, y, method, est, out, NULL, err);
}

attrib_status attrib_weighting_fit_influence(const attrib_design *d, const double *e, const double *y,
                                             attrib_weighting_method method, attrib_estimand est,
                                             attrib_weighting_result *out, double *psi, attrib_error *err) {
  if (!d || !e || !y || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_weighting_fit: NULL argument");
  memset(out, 0, sizeof *out);
  if (d->w) return attrib__fail(err, ATTRIB_EINVAL, "weighting: sampling weights are not supported yet");
  if (est == ATTRIB_ESTIMAND_ATC)
    return attrib__fail(err, ATTRIB_EINVAL, "weighting estimates the ATE or the ATT");
  size_t n = d->n;
  double sw[2] = {0, 0}, sw2[2] = {0, 0}, swy[2] = {0, 0};
  for (size_t i = 0; i < n; i++) {
    if (!(e[i] > 0.0 && e[i] < 1.0))
      return attrib__fail(err, ATTRIB_EINVAL, "weighting: the propensity score of row %zu is %g, not inside (0, 1)",
                          d->rows[i] + 1, e[i]);
    int t = d->y[i] == 1.0;
    double w1, w0;
    weights_for(est, t, e[i], &w1, &w0);
    double w = t ? w1 : w0;
    sw[t] += w;
    sw2[t] += w * w;
    swy[t] += w * y[i];
    if (t) out->n_treated++;
    else out->n_control++;
  }
  if (!out->n_treated || !out->n_control)
    return attrib__fail(err, ATTRIB_ENODATA, "weighting: there are no %s units", out->n_treated ? "control" : "treated");
  out->method = method;
  out->estimand = est;
  out->n = n;
  out->ess_treated = sw[1] * sw[1] / sw2[1];
  out->ess_control = sw[0] * sw[0] / sw2[0];
  if (method == ATTRIB_WEIGHT_AIPW && est == ATTRIB_ESTIMAND_ATT) return aipw_att(d, y, out, psi, err);
  if (method == ATTRIB_WEIGHT_AIPW) return aipw_ate(d, e, y, out, psi, err);
  out->mean_treated = swy[1] / sw[1];
  out->mean_control = swy[0] / sw[0];
  out->estimate = out->mean_treated - out->mean_control;
  double var = NAN;
  ATTRIB__TRY(ipw_variance(d, e, y, est, out->mean_treated, out->mean_control, &var, psi, err));
  out->std_error = sqrt(var);
  return ATTRIB_OK;
}
