/*
 * The doubly robust ATT of Sant'Anna & Zhao (2020, J. Econometrics 219(1),
 * eq. 3.1; R's DRDID::drdid_panel): used for Callaway-Sant'Anna cells with
 * covariates (did_cs.c, on long differences) and for psm --method aipw
 * --estimand att (on outcomes: the cross-section case of the same formula).
 */
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "regression/regression_internal.h"
#include "matching/matching_internal.h"

int attrib__dr_work_init(attrib__dr_work *w, size_t k) {
  memset(w, 0, sizeof *w);
  w->k = k;
  w->H = attrib__malloc(k * k, sizeof *w->H), w->Hinv = attrib__malloc(k * k, sizeof *w->Hinv);
  w->XXinv = attrib__malloc(k * k, sizeof *w->XXinv);
  w->beta = attrib__malloc(k, sizeof *w->beta), w->bols = attrib__malloc(k, sizeof *w->bols);
  w->g = attrib__malloc(k, sizeof *w->g), w->v = attrib__malloc(k, sizeof *w->v);
  w->M1 = attrib__malloc(k, sizeof *w->M1), w->M2 = attrib__malloc(k, sizeof *w->M2), w->M3 = attrib__malloc(k, sizeof *w->M3);
  return w->H && w->Hinv && w->XXinv && w->beta && w->bols && w->g && w->v && w->M1 && w->M2 && w->M3 ? 0 : -1;
}

void attrib__dr_work_free(attrib__dr_work *w) {
  attrib__free(w->H), attrib__free(w->Hinv), attrib__free(w->XXinv), attrib__free(w->beta), attrib__free(w->bols);
  attrib__free(w->g), attrib__free(w->v), attrib__free(w->M1), attrib__free(w->M2), attrib__free(w->M3);
  memset(w, 0, sizeof *w);
}

/* ---- doubly robust cells (covariates) -------------------------------------
 * Sant'Anna & Zhao (2020, J. Econometrics 219(1)), the panel estimator
 * their eq. (3.1) defines and R's DRDID::drdid_panel computes (did's default
 * est_method = "dr"): a logit propensity score p(X) for cohort g against
 * its comparison units, an OLS regression of dY on X among the comparison
 * units, and
 *   ATT = E[w1 (dY - m(X))] / E[w1] - E[w0 (dY - m(X))] / E[w0],
 *   w1 = D, w0 = p(X)(1 - D)/(1 - p(X)),
 * with p capped at 1 - 1e-6 and comparison units with p >= 0.995 given
 * weight 0 (DRDID's trimming). The influence function adds the estimation
 * effects of the score (asy. linear representation of the logit, Hessian
 * (X'WX/m)^-1) and of the regression ((X0'X0/m)^-1), as DRDID does. X is the
 * design with its intercept; m = the cell's units. Returns 0, or -1 with a
 * reason in why. */


/* Row i at the estimates: the comparison regression's prediction od, the
 * score ps (capped below 1), and the comparison weight w0 = ps / (1 - ps),
 * 0 for treated units and for scores >= 0.995 (the trimming of DRDID). */
static void row_fit(const attrib__dr_work *w, const double *X, size_t n, size_t k, size_t i, int treated, double *od,
                    double *ps, double *w0) {
  double eta = 0.0, o = 0.0;
  for (size_t j = 0; j < k; j++) eta += X[j * n + i] * w->beta[j], o += X[j * n + i] * w->bols[j];
  *od = o;
  *ps = fmin(1.0 / (1.0 + exp(-eta)), 1.0 - 1e-6);
  *w0 = treated || *ps >= 0.995 ? 0.0 : *ps / (1.0 - *ps);
}

int attrib__dr_att(const double *X, size_t n, const double *dY, const unsigned char *in, const unsigned char *treated,
                   attrib__dr_work *w, double *att, double *psi, char *why, size_t whylen) {
  size_t k = w->k, m = 0;
  for (size_t i = 0; i < n; i++) m += in[i];
  /* the logit by Newton-Raphson from 0 */
  memset(w->beta, 0, k * sizeof *w->beta);
  int converged = 0;
  for (int it = 0; it < 100 && !converged; it++) {
    memset(w->H, 0, k * k * sizeof *w->H);
    memset(w->g, 0, k * sizeof *w->g);
    for (size_t i = 0; i < n; i++) {
      if (!in[i]) continue;
      double eta = 0.0;
      for (size_t j = 0; j < k; j++) eta += X[j * n + i] * w->beta[j];
      double pr = 1.0 / (1.0 + exp(-eta)), wt = pr * (1.0 - pr), r = (double)treated[i] - pr;
      for (size_t a = 0; a < k; a++) {
        w->g[a] += X[a * n + i] * r;
        for (size_t b = 0; b <= a; b++) w->H[b * k + a] += wt * X[a * n + i] * X[b * n + i];
      }
    }
    memcpy(w->Hinv, w->H, k * k * sizeof *w->H);
    memcpy(w->v, w->g, k * sizeof *w->g);
    if (LAPACKE_dposv(LAPACK_COL_MAJOR, 'L', (lapack_int)k, 1, w->Hinv, (lapack_int)k, w->v, (lapack_int)k) != 0) {
      snprintf(why, whylen, "the propensity model's information is singular (collinear covariates or separation)");
      return -1;
    }
    double step = 0.0;
    for (size_t j = 0; j < k; j++) {
      w->beta[j] += w->v[j];
      step = fmax(step, fabs(w->v[j]) / (1.0 + fabs(w->beta[j])));
    }
    converged = step < 1e-12;
  }
  if (!converged) {
    snprintf(why, whylen, "the propensity model did not converge (separation?)");
    return -1;
  }
  /* Hinv = (X'WX / m)^-1 at the estimate (the last information) */
  for (size_t a = 0; a < k; a++)
    for (size_t b = 0; b < k; b++) w->Hinv[b * k + a] = (a >= b ? w->H[b * k + a] : w->H[a * k + b]) / (double)m;
  if (attrib__spd_inverse(w->Hinv, k)) {
    snprintf(why, whylen, "the propensity model's information is singular");
    return -1;
  }
  /* OLS of dY on X among the comparison units */
  memset(w->XXinv, 0, k * k * sizeof *w->XXinv);
  memset(w->bols, 0, k * sizeof *w->bols);
  for (size_t i = 0; i < n; i++) {
    if (!in[i] || treated[i]) continue;
    for (size_t a = 0; a < k; a++) {
      w->bols[a] += X[a * n + i] * dY[i];
      for (size_t b = 0; b < k; b++) w->XXinv[b * k + a] += X[a * n + i] * X[b * n + i];
    }
  }
  for (size_t q = 0; q < k * k; q++) w->XXinv[q] /= (double)m;
  for (size_t a = 0; a < k; a++) w->bols[a] /= (double)m;
  if (attrib__spd_inverse(w->XXinv, k)) {
    snprintf(why, whylen, "the comparison units' covariates are collinear");
    return -1;
  }
  for (size_t a = 0; a < k; a++) { /* beta_ols = XXinv * (X0'dY / m) */
    double v = 0.0;
    for (size_t b = 0; b < k; b++) v += w->XXinv[b * k + a] * w->bols[b];
    w->v[a] = v;
  }
  memcpy(w->bols, w->v, k * sizeof *w->bols);
  /* weights, the estimate, and the M vectors */
  double sw1 = 0, sw0 = 0, s1 = 0, s0 = 0;
  for (size_t i = 0; i < n; i++) {
    if (!in[i]) continue;
    double od, ps, w0, w1 = treated[i];
    row_fit(w, X, n, k, i, treated[i], &od, &ps, &w0);
    sw1 += w1, sw0 += w0, s1 += w1 * (dY[i] - od), s0 += w0 * (dY[i] - od);
  }
  if (!(sw0 > 0.0)) {
    snprintf(why, whylen, "no comparison unit keeps a weight after trimming scores >= 0.995 (no overlap)");
    return -1;
  }
  double eta1 = s1 / sw1, eta0 = s0 / sw0, M = (double)m;
  *att = eta1 - eta0;
  memset(w->M1, 0, k * sizeof *w->M1), memset(w->M2, 0, k * sizeof *w->M2), memset(w->M3, 0, k * sizeof *w->M3);
  for (size_t i = 0; i < n; i++) {
    if (!in[i]) continue;
    double od, ps, w0, w1 = treated[i];
    row_fit(w, X, n, k, i, treated[i], &od, &ps, &w0);
    for (size_t j = 0; j < k; j++) {
      double x = X[j * n + i];
      w->M1[j] += w1 * x / M;
      w->M2[j] += w0 * (dY[i] - od - eta0) * x / M;
      w->M3[j] += w0 * x / M;
    }
  }
  /* the influence values, scaled to the full sample: psi = (n / m) IF */
  double mw1 = sw1 / M, mw0 = sw0 / M;
  for (size_t i = 0; i < n; i++) {
    if (!in[i]) continue;
    double od, ps, w0, D = treated[i], w1 = D;
    row_fit(w, X, n, k, i, treated[i], &od, &ps, &w0);
    double e = dY[i] - od;
    /* asymptotic linear representations: OLS (1 - D) e x' XXinv, logit (D - ps) x' Hinv */
    double ols_m1 = 0, ols_m3 = 0, ps_m2 = 0;
    for (size_t a = 0; a < k; a++) {
      double lo = 0, lp = 0;
      for (size_t b = 0; b < k; b++) {
        lo += X[b * n + i] * w->XXinv[a * k + b];
        lp += X[b * n + i] * w->Hinv[a * k + b];
      }
      lo *= (1.0 - D) * e;
      lp *= D - ps;
      ols_m1 += lo * w->M1[a], ols_m3 += lo * w->M3[a], ps_m2 += lp * w->M2[a];
    }
    double inf_t = (w1 * e - w1 * eta1 - ols_m1) / mw1;
    double inf_c = (w0 * e - w0 * eta0 + ps_m2 - ols_m3) / mw0;
    psi[i] = (double)n / M * (inf_t - inf_c);
  }
  return 0;
}

