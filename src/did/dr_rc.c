/*
 * The locally efficient doubly robust DiD for repeated cross sections of
 * Sant'Anna & Zhao (2020, J. Econometrics 219(1), eq. 3.4; R's
 * DRDID::drdid_rc, which did's att_gt calls for allow_unbalanced_panel =
 * TRUE with covariates). Callaway-Sant'Anna cells of an unbalanced panel
 * with covariates (cs.c): the rows of the cohort and its comparison units
 * observed in the cell's two periods form the cross sections.
 *
 * With D the cohort indicator, T the later period, X the covariates (with
 * the intercept) of the row itself:
 *   - a logit p(X) of D; comparison rows with p >= 0.995 get weight 0,
 *     p is capped at 1 - 1e-6 (DRDID's trimming);
 *   - four OLS fits of y on X: m_dt for the comparison (d = 0) and the
 *     cohort (d = 1) at the base (t = 0) and later (t = 1) period;
 *   - with weights w_1t = D 1[T = t] and w_0t = p/(1 - p) (1 - D) 1[T = t],
 *     m_0 = m_0T, and A(w, v) = sum w v / sum w:
 *       ATT = A(w_11, y - m_0) - A(w_10, y - m_0) - A(w_01, y - m_0) + A(w_00, y - m_0)
 *             + A(D, m_11 - m_01) - A(w_11, m_11 - m_01) - A(D, m_10 - m_00) + A(w_10, m_10 - m_00).
 *
 * The influence function is each term's leading part plus the estimation
 * effects of the five nuisance fits (their asymptotic linear
 * representations: OLS e x'(X_s'X_s/N)^-1 over subset s, the logit
 * (D - p) x'(X'WX/N)^-1). It differs from DRDID's drdid_rc (GitHub pedrohcgs/DRDID at 20929a8) in one
 * place: there the base-period comparison regression's effect enters the
 * cohort and comparison parts with the sign of the later period's
 * (inf.treat.or = post + pre, inf.cont.or = post + pre), while the ATT
 * depends on m_00 through -A(w_10, y - m_00) + A(w_00, y - m_00), so its
 * derivative carries the opposite sign. The difference vanishes when the
 * propensity model is right (the two weighted means of x then agree) and
 * is small otherwise; the sign here is the one a numerical derivative of
 * the ATT with respect to each row's weight confirms (the R fixture in
 * tests/reference/did_rc/ checks both; docs/methods/did.md).
 */
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "did/did_internal.h"
#include "core/attrib_internal.h"
#include "core/linalg.h"

enum { S_C0, S_C1, S_T0, S_T1, N_SUB }; /* the four outcome regressions: comparison/cohort x base/later */

int attrib__did_rc_work_init(attrib__did_rc_work *w, size_t max_rows, size_t k) {
  memset(w, 0, sizeof *w);
  w->k = k;
  size_t r = max_rows ? max_rows : 1;
  w->X = attrib__malloc(r * k, sizeof *w->X);
  w->y = attrib__malloc(r, sizeof *w->y);
  w->ps = attrib__malloc(r, sizeof *w->ps);
  w->ifr = attrib__malloc(r, sizeof *w->ifr);
  w->pred = attrib__malloc(4 * r, sizeof *w->pred);
  w->D = attrib__malloc(r, 1), w->T = attrib__malloc(r, 1);
  w->unit = attrib__malloc(r, sizeof *w->unit);
  w->kk = attrib__malloc((N_SUB + 1) * k * k, sizeof *w->kk);
  w->kv = attrib__malloc(16 * k, sizeof *w->kv);
  return w->X && w->y && w->ps && w->ifr && w->pred && w->D && w->T && w->unit && w->kk && w->kv ? 0 : -1;
}

void attrib__did_rc_work_free(attrib__did_rc_work *w) {
  attrib__free(w->X), attrib__free(w->y), attrib__free(w->ps), attrib__free(w->ifr), attrib__free(w->pred);
  attrib__free(w->D), attrib__free(w->T), attrib__free(w->unit);
  attrib__free(w->kk), attrib__free(w->kv);
  memset(w, 0, sizeof *w);
}

static double xdot(const double *X, size_t N, size_t k, size_t i, const double *v) {
  double s = 0.0;
  for (size_t j = 0; j < k; j++) s += X[j * N + i] * v[j];
  return s;
}

static int in_sub(const attrib__did_rc_work *w, size_t i, int s) {
  return w->D[i] == (s == S_T0 || s == S_T1) && w->T[i] == (s == S_C1 || s == S_T1);
}

/* The logit of D on X by Newton-Raphson from 0; leaves the capped scores
 * in w->ps and (X'WX/N)^-1 at them in Hinv. */
static int rc_logit(attrib__did_rc_work *w, size_t N, double *beta, double *Hinv, double *g, char *why, size_t whylen) {
  size_t k = w->k;
  const double *X = w->X;
  memset(beta, 0, k * sizeof *beta);
  int converged = 0;
  for (int it = 0; it < 100 && !converged; it++) {
    memset(Hinv, 0, k * k * sizeof *Hinv);
    memset(g, 0, k * sizeof *g);
    for (size_t i = 0; i < N; i++) {
      double pr = 1.0 / (1.0 + exp(-xdot(X, N, k, i, beta))), wt = pr * (1.0 - pr), r = (double)w->D[i] - pr;
      for (size_t a = 0; a < k; a++) {
        g[a] += X[a * N + i] * r;
        for (size_t b = 0; b <= a; b++) Hinv[b * k + a] += wt * X[a * N + i] * X[b * N + i];
      }
    }
    if (LAPACKE_dposv(LAPACK_COL_MAJOR, 'L', (lapack_int)k, 1, Hinv, (lapack_int)k, g, (lapack_int)k) != 0) {
      snprintf(why, whylen, "the propensity model's information is singular (collinear covariates or separation)");
      return -1;
    }
    double step = 0.0;
    for (size_t j = 0; j < k; j++) {
      beta[j] += g[j];
      step = fmax(step, fabs(g[j]) / (1.0 + fabs(beta[j])));
    }
    converged = step < 1e-12;
  }
  if (!converged) {
    snprintf(why, whylen, "the propensity model did not converge (separation?)");
    return -1;
  }
  /* the scores, capped as DRDID caps them, and the information at them */
  memset(Hinv, 0, k * k * sizeof *Hinv);
  for (size_t i = 0; i < N; i++) {
    double pr = fmin(1.0 / (1.0 + exp(-xdot(X, N, k, i, beta))), 1.0 - 1e-6), wt = pr * (1.0 - pr) / (double)N;
    w->ps[i] = pr;
    for (size_t a = 0; a < k; a++)
      for (size_t b = 0; b < k; b++) Hinv[b * k + a] += wt * X[a * N + i] * X[b * N + i];
  }
  if (attrib__spd_inverse(Hinv, k)) {
    snprintf(why, whylen, "the propensity model's information is singular");
    return -1;
  }
  return 0;
}

/* OLS of y on X over subset s: its coefficients b and (X_s'X_s/N)^-1. */
static int rc_ols(const attrib__did_rc_work *w, size_t N, int s, double *b, double *XXinv, char *why, size_t whylen) {
  size_t k = w->k;
  const double *X = w->X;
  memset(XXinv, 0, k * k * sizeof *XXinv);
  memset(b, 0, k * sizeof *b);
  size_t m = 0;
  for (size_t i = 0; i < N; i++) {
    if (!in_sub(w, i, s)) continue;
    m++;
    for (size_t a = 0; a < k; a++) {
      b[a] += X[a * N + i] * w->y[i] / (double)N;
      for (size_t c = 0; c < k; c++) XXinv[c * k + a] += X[a * N + i] * X[c * N + i] / (double)N;
    }
  }
  static const char *const name[N_SUB] = {"comparison units at the base period", "comparison units at the later period",
                                          "cohort at the base period", "cohort at the later period"};
  if (m < k || attrib__spd_inverse(XXinv, k)) {
    snprintf(why, whylen, "the covariates are collinear among the %s (%zu rows for %zu coefficients)", name[s], m, k);
    return -1;
  }
  double *t = b + k; /* the caller gives 2k */
  for (size_t a = 0; a < k; a++) t[a] = xdot(XXinv, k, k, a, b) /* row a of the symmetric inverse */;
  memcpy(b, t, k * sizeof *b);
  return 0;
}

int attrib__did_dr_rc(attrib__did_rc_work *w, size_t N, double *att, char *why, size_t whylen) {
  size_t k = w->k;
  const double *X = w->X, *y = w->y;
  double *Hps = w->kk, *XXi[N_SUB], *beta[N_SUB];
  for (int s = 0; s < N_SUB; s++) XXi[s] = w->kk + (size_t)(s + 1) * k * k, beta[s] = w->kv + (size_t)(2 * s) * k;
  double *bps = w->kv + 8 * k, *g = w->kv + 9 * k;
  /* the gradients of the ATT with respect to the nuisance parameters */
  double *M_c0 = w->kv + 10 * k, *M_c1 = w->kv + 11 * k, *M_t0 = w->kv + 12 * k, *M_t1 = w->kv + 13 * k, *M_ps = w->kv + 14 * k;
  if (rc_logit(w, N, bps, Hps, g, why, whylen)) return -1;
  for (int s = 0; s < N_SUB; s++)
    if (rc_ols(w, N, s, beta[s], XXi[s], why, whylen)) return -1;
  /* every row's four predictions, formed once for the three passes below */
  double *pc0 = w->pred, *pc1 = w->pred + N, *pt0 = w->pred + 2 * N, *pt1 = w->pred + 3 * N;
  for (size_t i = 0; i < N; i++) {
    pc0[i] = xdot(X, N, k, i, beta[S_C0]), pc1[i] = xdot(X, N, k, i, beta[S_C1]);
    pt0[i] = xdot(X, N, k, i, beta[S_T0]), pt1[i] = xdot(X, N, k, i, beta[S_T1]);
  }

  /* sums of the weights (0 w_11, 1 w_10, 2 w_01, 3 w_00, 4 D) and of the
   * weighted terms of A11, A10, A01, A00, Ad1, Ad0, At1, At0 */
  double sw[5] = {0}, sa[8] = {0};
  for (size_t i = 0; i < N; i++) {
    double D = w->D[i], T = w->T[i], p = w->ps[i];
    double trim = D ? 1.0 : (p < 0.995);
    double c0 = pc0[i], c1 = pc1[i], t0 = pt0[i], t1 = pt1[i], e = y[i] - (T ? c1 : c0);
    double odds = trim * p / (1.0 - p) * (1.0 - D);
    double wv[5] = {trim * D * T, trim * D * (1 - T), odds * T, odds * (1 - T), trim * D};
    for (int q = 0; q < 5; q++) sw[q] += wv[q];
    sa[0] += wv[0] * e, sa[1] += wv[1] * e, sa[2] += wv[2] * e, sa[3] += wv[3] * e;
    sa[4] += wv[4] * (t1 - c1), sa[5] += wv[4] * (t0 - c0), sa[6] += wv[0] * (t1 - c1), sa[7] += wv[1] * (t0 - c0);
  }
  if (!(sw[0] > 0 && sw[1] > 0)) {
    snprintf(why, whylen, "the cohort has no row in one of the two periods");
    return -1;
  }
  if (!(sw[2] > 0 && sw[3] > 0)) {
    snprintf(why, whylen, "no comparison row keeps a weight in one of the two periods after trimming scores >= 0.995 (no overlap)");
    return -1;
  }
  double A11 = sa[0] / sw[0], A10 = sa[1] / sw[1], A01 = sa[2] / sw[2], A00 = sa[3] / sw[3];
  double Ad1 = sa[4] / sw[4], Ad0 = sa[5] / sw[4], At1 = sa[6] / sw[0], At0 = sa[7] / sw[1];
  *att = (A11 - A10) - (A01 - A00) + (Ad1 - At1) - (Ad0 - At0);

  /* the derivatives of the ATT (the N-scaled means below) with respect to
   * each nuisance vector:
   *   m_00: +mean(w_10 x)/mw10 - mean(w_00 x)/mw00 + mean(D x)/mD - mean(w_10 x)/mw10
   *   m_01: -mean(w_11 x)/mw11 + mean(w_01 x)/mw01 - mean(D x)/mD + mean(w_11 x)/mw11
   *   m_10: -mean(D x)/mD + mean(w_10 x)/mw10;   m_11: +mean(D x)/mD - mean(w_11 x)/mw11
   *   p (through the odds, d odds/d gamma = odds x): -mean(w_01 (e - A01) x)/mw01 + mean(w_00 (e - A00) x)/mw00 */
  memset(M_c0, 0, 5 * k * sizeof *M_c0);
  double nN = (double)N, mw[5];
  for (int q = 0; q < 5; q++) mw[q] = sw[q] / nN;
  for (size_t i = 0; i < N; i++) {
    double D = w->D[i], T = w->T[i], p = w->ps[i];
    double trim = D ? 1.0 : (p < 0.995);
    double e = y[i] - (T ? pc1[i] : pc0[i]);
    double odds = trim * p / (1.0 - p) * (1.0 - D);
    double w11 = trim * D * T, w10 = trim * D * (1 - T), w01 = odds * T, w00 = odds * (1 - T), wd = trim * D;
    double f_c0 = -w00 / mw[3] + wd / mw[4];
    double f_c1 = w01 / mw[2] - wd / mw[4];
    double f_t0 = -wd / mw[4] + w10 / mw[1];
    double f_t1 = wd / mw[4] - w11 / mw[0];
    double f_ps = -w01 * (e - A01) / mw[2] + w00 * (e - A00) / mw[3];
    for (size_t j = 0; j < k; j++) {
      double x = X[j * N + i] / nN;
      M_c0[j] += f_c0 * x, M_c1[j] += f_c1 * x, M_t0[j] += f_t0 * x, M_t1[j] += f_t1 * x, M_ps[j] += f_ps * x;
    }
  }
  /* the influence function of each row: the leading terms plus the
   * nuisance fits' linear representations times those derivatives, with
   * u = (X_s'X_s/N)^-1 M_s (and the logit's) formed once */
  double *Mv[N_SUB + 1] = {M_c0, M_c1, M_t0, M_t1, M_ps}, *Ai[N_SUB + 1] = {XXi[S_C0], XXi[S_C1], XXi[S_T0], XXi[S_T1], Hps};
  for (int s = 0; s <= N_SUB; s++) {
    for (size_t a = 0; a < k; a++) g[a] = xdot(Ai[s], k, k, a, Mv[s]);
    memcpy(Mv[s], g, k * sizeof *g);
  }
  for (size_t i = 0; i < N; i++) {
    double D = w->D[i], T = w->T[i], p = w->ps[i];
    double trim = D ? 1.0 : (p < 0.995);
    double c0 = pc0[i], c1 = pc1[i], t0 = pt0[i], t1 = pt1[i], e = y[i] - (T ? c1 : c0);
    double odds = trim * p / (1.0 - p) * (1.0 - D);
    double w11 = trim * D * T, w10 = trim * D * (1 - T), w01 = odds * T, w00 = odds * (1 - T), wd = trim * D;
    double v = w11 * (e - A11) / mw[0] - w10 * (e - A10) / mw[1] - w01 * (e - A01) / mw[2] + w00 * (e - A00) / mw[3] +
               wd * (t1 - c1 - Ad1) / mw[4] - w11 * (t1 - c1 - At1) / mw[0] - wd * (t0 - c0 - Ad0) / mw[4] +
               w10 * (t0 - c0 - At0) / mw[1];
    double res[N_SUB] = {y[i] - c0, y[i] - c1, y[i] - t0, y[i] - t1};
    for (int s = 0; s < N_SUB; s++)
      if (in_sub(w, i, s)) v += res[s] * xdot(X, N, k, i, Mv[s]);
    v += (D - p) * xdot(X, N, k, i, M_ps);
    w->ifr[i] = v;
  }
  return 0;
}
