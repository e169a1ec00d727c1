/*
 * Honest parallel-trends bounds (Rambachan & Roth 2023): include/attrib/honest_did.h,
 * docs/methods/honest_did.md.
 *
 * Notation. T = n_pre + n_post event-study coefficients beta (reference
 * period -1 omitted), beta = tau + delta with tau_pre = 0. The "full"
 * vector adds delta_0 = 0 at position n_pre: full position p = 0..T, event
 * time p - n_pre, so p = n_pre is the reference period. First differences
 * D_r = delta(p = r) - delta(p = r - 1), r = 1..T: r <= n_pre are the
 * pre-period changes (D_{n_pre} = 0 - delta_{-1}), r > n_pre the post ones.
 *
 * Two algorithms, both the reference package's (HonestDiD, R), written
 * afresh here:
 *  - RM: moment inequalities A delta <= 0 for each "case" (which pre change
 *    s is the largest, and its sign): |D_r| <= sign * D_s (pre r) and
 *    |D_r| <= Mbar * sign * D_s (post r). With delta = beta - (0, tau) and
 *    tau = Gamma^{-1} (theta, nuisance), these are E[Y - a theta - X nu] <= 0
 *    with Y = A beta. The ARP test: eta = min_nu max_i (Y - a theta -
 *    X nu)_i / sd_i, by its dual max_g g'y s.t. g >= 0, g'[sd X] = e1 (a
 *    small LP, core/lp.c); conditional on the optimal dual vertex g, eta is
 *    a normal with sd sigma_B = sqrt(g' Sigma_Y g) truncated to [vlo, vup],
 *    the range of c over which g stays optimal when y moves along
 *    Sigma_Y g. That range is {c : V(c) = c} with V(c) the dual LP's value
 *    at y = s + b c (convex, V(c) >= c): found by Newton steps on the
 *    optimal vertex's line (finite on a piecewise-linear convex function),
 *    with bisection as the fallback. This is HonestDiD's "dual approach"
 *    (its .vlo_vup_dual_fn), which it uses whenever the primal is
 *    degenerate; in non-degenerate cases it equals its "primal approach"
 *    (ARP 2023, Appendix). Reject when eta / sigma_B exceeds
 *    max(0, the 1 - alpha quantile of the truncated normal). The hybrid
 *    rejects first when eta exceeds the least-favourable critical value
 *    (the 1 - kappa quantile of eta at y ~ N(0, Sigma_Y)), and then uses
 *    size (alpha - kappa) / (1 - kappa) with vup capped at that value.
 *    The confidence set is the union over cases of the accepted theta.
 *    As HonestDiD, only the post-period rows enter the test when n_post > 1
 *    (postPeriodMomentsOnly), all rows when n_post = 1.
 *  - SD: the optimal fixed-length CI over affine estimators
 *    v_pre' beta_pre + l' beta_post. Its worst-case bias over Delta^SD(M)
 *    is finite only when v is orthogonal to linear trends, and then equals
 *    M (P + sum_j |c_j|): writing delta through its slope at 0 and its
 *    second differences E_j, the estimator's bias is sum_j c_j E_j with
 *    c_j (j >= 1) fixed by l (their absolute sum is P) and c_j (j <= 0) =
 *    sum_{t <= j - 2} v_t (j - t - 1), a triangular map of v_pre. So with z
 *    the n_pre - 1 pre coefficients as free variables (v_pre follows from z
 *    and the trend constraint), bias = M (P + |z|_1) and the variance is a
 *    quadratic in z. The half-length sd * cv_alpha(bias / sd), cv_alpha(t)
 *    the 1 - alpha quantile of |N(t, 1)|, is minimised along the Pareto
 *    frontier of (|z|_1, variance): z(mu) = argmin 1/2 var(z) + mu |z|_1 (a
 *    lasso, by coordinate descent), mu from 0 (minimum variance) to
 *    |grad at 0|_inf (z = 0, minimum bias), by a scan and golden-section
 *    search. HonestDiD solves the same frontier with CVXR (minimum bias at
 *    each sd bound h, then a search over h) and the folded-normal quantile
 *    by simulation (1e6 draws); here the quantile is exact.
 */
#include <attrib/honest_did.h>
#include <attrib/did.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_erf.h>
#include <lapacke.h>

#include "core/attrib_internal.h"
#include "core/lp.h"
#include "core/rng.h"

#define HONEST_MAX_PERIODS 200

void attrib_honest_options_init(attrib_honest_options *o) {
  memset(o, 0, sizeof *o);
  o->restriction = ATTRIB_HONEST_RM;
  o->method = ATTRIB_HONEST_AUTO;
  o->level = 0.95;
  o->l = NULL;
  o->target_event = SIZE_MAX;
  o->grid_points = 1000;
  o->grid_lb = NAN;
  o->grid_ub = NAN;
  o->refine = 1;
  o->lf_draws = 1000;
  o->seed = 1;
  o->m_max = NAN;
}

const char *attrib_honest_restriction_name(attrib_honest_restriction r) {
  return r == ATTRIB_HONEST_SD ? "sd" : "rm";
}

const char *attrib_honest_method_name(attrib_honest_method m) {
  switch (m) {
  case ATTRIB_HONEST_FLCI: return "flci";
  case ATTRIB_HONEST_CONDITIONAL: return "conditional";
  case ATTRIB_HONEST_HYBRID_LF: return "hybrid-lf";
  default: return "auto";
  }
}

attrib_status attrib_honest_restriction_parse(const char *s, attrib_honest_restriction *out, attrib_error *err) {
  if (s && (!strcmp(s, "rm") || !strcmp(s, "relative-magnitudes"))) {
    *out = ATTRIB_HONEST_RM;
    return ATTRIB_OK;
  }
  if (s && (!strcmp(s, "sd") || !strcmp(s, "smoothness"))) {
    *out = ATTRIB_HONEST_SD;
    return ATTRIB_OK;
  }
  return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.restriction",
                             "the restriction on parallel-trends violations must be rm (relative magnitudes) or sd "
                             "(smoothness), not \"%s\"",
                             s ? s : "(null)");
}

/* ---------------------------------------------------------------- normals */

/* log of the upper normal tail Q(x) = P(N(0,1) > x), accurate far out */
static double log_q(double x) {
  if (x == -INFINITY) return 0.0;
  if (x == INFINITY) return -INFINITY;
  if (x < -8) return log1p(-gsl_cdf_ugaussian_P(x));
  return gsl_sf_log_erfc(x / M_SQRT2) - M_LN2;
}

/* The p quantile of N(0, 1) truncated to [lo, hi] (lo < hi): the x with
 * Q(x) = (1 - p) Q(lo) + p Q(hi), solved in logs by bisection so that far
 * tails (lo of 30 and more, where Q underflows) keep their precision. */
static double truncnorm_quantile(double p, double lo, double hi) {
  const double llo = log_q(lo), lhi = log_q(hi);
  const double target = llo + log((1 - p) + p * exp(lhi - llo));
  double a = fmax(lo, -40.0), b = isinf(hi) ? fmax(a, 0.0) + 45.0 : hi;
  for (int it = 0; it < 200 && b - a > 1e-15 * (1 + fabs(a)); it++) {
    const double mid = 0.5 * (a + b);
    if (log_q(mid) > target) a = mid;
    else b = mid;
  }
  return 0.5 * (a + b);
}

/* cv_alpha(t): the 1 - alpha quantile of |N(t, 1)|, t >= 0: the c with
 * Q(c - t) + Q(c + t) = alpha (Armstrong & Kolesar's critical value). */
static double folded_normal_cv(double t, double alpha) {
  t = fabs(t);
  double a = 0, b = t + 12.0;
  for (int it = 0; it < 300 && b - a > 1e-15 * (1 + b); it++) {
    const double mid = 0.5 * (a + b);
    const double tail = gsl_cdf_ugaussian_Q(mid - t) + gsl_cdf_ugaussian_Q(mid + t);
    if (tail > alpha) a = mid;
    else b = mid;
  }
  return 0.5 * (a + b);
}

/* ---------------------------------------------------------------- checks */

typedef struct honest_in {
  size_t npre, npost, T;
  const double *beta, *sigma; /* sigma symmetric, T x T */
  const double *l;            /* npost */
  double alpha;
} honest_in;

static double target_var(const honest_in *in) {
  double v = 0;
  for (size_t i = 0; i < in->npost; i++)
    for (size_t j = 0; j < in->npost; j++)
      v += in->l[i] * in->l[j] * in->sigma[(in->npre + i) * in->T + in->npre + j];
  return v;
}

/* Symmetric and positive semi-definite, within rounding of its scale. */
static attrib_status check_sigma(const double *sigma, size_t T, attrib_error *err) {
  double scale = 0;
  for (size_t i = 0; i < T * T; i++) {
    if (!isfinite(sigma[i]))
      return attrib__fail_option(err, ATTRIB_EINVAL, "honest.sigma",
                                 "the covariance of the event-study coefficients has a non-finite entry at (%zu, %zu)",
                                 i / T + 1, i % T + 1);
    scale = fmax(scale, fabs(sigma[i]));
  }
  for (size_t i = 0; i < T; i++)
    for (size_t j = 0; j < i; j++)
      if (fabs(sigma[i * T + j] - sigma[j * T + i]) > 1e-10 * scale)
        return attrib__fail_option(err, ATTRIB_EINVAL, "honest.sigma",
                                   "the covariance of the event-study coefficients is not symmetric: (%zu, %zu) is "
                                   "%.17g, (%zu, %zu) is %.17g",
                                   i + 1, j + 1, sigma[i * T + j], j + 1, i + 1, sigma[j * T + i]);
  double *A = attrib__malloc(T * T, sizeof *A), *ev = attrib__malloc(T, sizeof *ev);
  attrib_status s = ATTRIB_OK;
  if (!A || !ev) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory checking the covariance");
    goto done;
  }
  memcpy(A, sigma, T * T * sizeof *A);
  lapack_int info = LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'U', (lapack_int)T, A, (lapack_int)T, ev);
  if (info != 0) {
    s = attrib__fail(err, ATTRIB_ENUMERIC, "LAPACKE_dsyev failed on the covariance (info %d)", (int)info);
    goto done;
  }
  if (ev[0] < -1e-10 * fmax(ev[T - 1], DBL_MIN))
    s = attrib__fail_option(err, ATTRIB_EINVAL, "honest.sigma",
                            "the covariance of the event-study coefficients is not positive semi-definite: its "
                            "smallest eigenvalue is %.6g (largest %.6g)",
                            ev[0], ev[T - 1]);
done:
  attrib__free(A);
  attrib__free(ev);
  return s;
}

/* Checks the inputs shared by every entry point and fills l (npost). */
static attrib_status check_inputs(const double *beta, const double *sigma, size_t npre, size_t npost,
                                  attrib_honest_restriction restriction, const attrib_honest_options *o, double *l,
                                  attrib_error *err) {
  if (npost == 0) return attrib__fail(err, ATTRIB_EDIM, "the event study has no post-treatment coefficient");
  if (npre + npost > HONEST_MAX_PERIODS)
    return attrib__fail(err, ATTRIB_EDIM, "%zu event-study coefficients: at most %d are supported", npre + npost,
                        HONEST_MAX_PERIODS);
  if (restriction != ATTRIB_HONEST_RM && restriction != ATTRIB_HONEST_SD)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.restriction", "unknown restriction %d", (int)restriction);
  if (npre == 0)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.restriction",
                               restriction == ATTRIB_HONEST_RM
                                   ? "relative magnitudes bound post-treatment changes in the trend gap by the largest "
                                     "pre-treatment change, so they need at least one pre-treatment coefficient "
                                     "besides the reference period; the event study has none"
                                   : "smoothness extrapolates the pre-treatment trend, so it needs at least one "
                                     "pre-treatment coefficient besides the reference period; the event study has none");
  if (!beta) return attrib__fail_option(err, ATTRIB_EINVAL, "honest.beta", "no event-study coefficients");
  for (size_t i = 0; i < npre + npost; i++)
    if (!isfinite(beta[i]))
      return attrib__fail_option(err, ATTRIB_EINVAL, "honest.beta", "event-study coefficient %zu is not finite", i + 1);
  if (o) {
    if (o->l) {
      double s = 0;
      for (size_t i = 0; i < npost; i++) {
        if (!isfinite(o->l[i]))
          return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.l", "target weight %zu is not finite", i + 1);
        s += fabs(o->l[i]);
      }
      if (s == 0) return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.l", "the target weights are all zero");
      memcpy(l, o->l, npost * sizeof *l);
    } else if (o->target_event < npost) {
      for (size_t i = 0; i < npost; i++) l[i] = i == o->target_event ? 1.0 : 0.0;
    } else {
      for (size_t i = 0; i < npost; i++) l[i] = 1.0 / (double)npost;
    }
  } else {
    for (size_t i = 0; i < npost; i++) l[i] = 1.0 / (double)npost;
  }
  if (sigma) ATTRIB__TRY(check_sigma(sigma, npre + npost, err));
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ RM moments */

/* Full position p (0..T, p = npre the reference period) to coefficient
 * column, or -1 for the reference period (delta_0 = 0). */
static long col_of(size_t npre, size_t p) { return p < npre ? (long)p : p == npre ? -1 : (long)p - 1; }

static void add_diff(double *row, size_t npre, size_t r, double coef) {
  const long a = col_of(npre, r), b = col_of(npre, r - 1);
  if (a >= 0) row[a] += coef;
  if (b >= 0) row[b] -= coef;
}

/* The rows of A for case (s, sign): s = 1..npre the largest pre change.
 * Row order as HonestDiD's .create_A_RM: the "+" rows r = 1..T, then the
 * "-" rows, all-zero rows dropped. A: at least 2 T x T; post_row[i] says
 * whether row i involves a post-period coefficient. Returns the count. */
static size_t rm_rows(size_t npre, size_t npost, size_t s, double sign, double mbar, double *A, int *post_row) {
  const size_t T = npre + npost;
  size_t n = 0;
  for (int half = 0; half < 2; half++)
    for (size_t r = 1; r <= T; r++) {
      double *row = A + n * T;
      memset(row, 0, T * sizeof *row);
      /* the full-vector row, including the reference column, decides
       * whether the row is zero (as HonestDiD, before dropping it) */
      double full[2 * HONEST_MAX_PERIODS + 2] = {0};
      full[r] += half ? -1.0 : 1.0;
      full[r - 1] -= half ? -1.0 : 1.0;
      const double ub = r <= npre ? 1.0 : mbar;
      full[s] -= ub * sign;
      full[s - 1] += ub * sign;
      double nrm = 0;
      for (size_t p = 0; p <= T; p++) nrm += full[p] * full[p];
      if (nrm <= 1e-10) continue;
      add_diff(row, npre, r, half ? -1.0 : 1.0);
      add_diff(row, npre, s, -ub * sign);
      int post = 0;
      for (size_t j = npre; j < T; j++)
        if (row[j] != 0) post = 1;
      post_row[n] = post;
      n++;
    }
  return n;
}

/* Rows of Delta^SD(M): +-(second difference) <= M over the full vector. */
static size_t sd_rows(size_t npre, size_t npost, double *A, double *d, double m) {
  const size_t T = npre + npost;
  size_t n = 0;
  for (size_t p = 2; p <= T; p++)
    for (int half = 0; half < 2; half++) {
      double *row = A + n * T;
      memset(row, 0, T * sizeof *row);
      const double sg = half ? -1.0 : 1.0;
      const long c0 = col_of(npre, p), c1 = col_of(npre, p - 1), c2 = col_of(npre, p - 2);
      if (c0 >= 0) row[c0] += sg;
      if (c1 >= 0) row[c1] -= 2 * sg;
      if (c2 >= 0) row[c2] += sg;
      d[n] = m;
      n++;
    }
  return n;
}

/* max and min of l' delta_post over {A delta <= d, delta_pre = beta_pre}:
 * substitutes the pre periods and solves two LPs in the post periods.
 * *feasible 0 when no delta_post satisfies the rows. */
static attrib_status bias_range(const honest_in *in, const double *A, const double *d, size_t nrows, double *bmax,
                                double *bmin, int *feasible) {
  const size_t npre = in->npre, npost = in->npost, T = in->T;
  double *G = attrib__malloc(nrows * npost + 1, sizeof *G), *h = attrib__malloc(nrows + 1, sizeof *h);
  double *c = attrib__malloc(npost, sizeof *c);
  attrib_status s = ATTRIB_ENOMEM;
  if (!G || !h || !c) goto done;
  for (size_t i = 0; i < nrows; i++) {
    double r = d[i];
    for (size_t j = 0; j < npre; j++) r -= A[i * T + j] * in->beta[j];
    h[i] = r;
    for (size_t j = 0; j < npost; j++) G[i * npost + j] = A[i * T + npre + j];
  }
  attrib__lp_outcome o;
  double v;
  memcpy(c, in->l, npost * sizeof *c);
  s = attrib__lp_solve_ineq(nrows, npost, G, h, c, NULL, &v, &o);
  if (s != ATTRIB_OK) goto done;
  *feasible = o != ATTRIB__LP_INFEASIBLE;
  if (o == ATTRIB__LP_ITERATIONS) {
    s = ATTRIB_ENUMERIC;
    goto done;
  }
  *bmax = o == ATTRIB__LP_UNBOUNDED ? INFINITY : v;
  for (size_t j = 0; j < npost; j++) c[j] = -in->l[j];
  s = attrib__lp_solve_ineq(nrows, npost, G, h, c, NULL, &v, &o);
  if (s != ATTRIB_OK) goto done;
  if (o == ATTRIB__LP_ITERATIONS) {
    s = ATTRIB_ENUMERIC;
    goto done;
  }
  *bmin = o == ATTRIB__LP_UNBOUNDED ? -INFINITY : -v;
done:
  attrib__free(G);
  attrib__free(h);
  attrib__free(c);
  return s;
}

static attrib_status id_set(const honest_in *in, attrib_honest_restriction restriction, double m, double *lb,
                            double *ub) {
  const size_t T = in->T;
  double est = 0;
  for (size_t j = 0; j < in->npost; j++) est += in->l[j] * in->beta[in->npre + j];
  double *A = attrib__malloc(2 * T * T + 1, sizeof *A), *d = attrib__calloc(2 * T + 1, sizeof *d);
  int *post = attrib__malloc(2 * T + 1, sizeof *post);
  attrib_status s = ATTRIB_ENOMEM;
  if (!A || !d || !post) goto done;
  *lb = NAN, *ub = NAN;
  double hi = -INFINITY, lo = INFINITY;
  if (restriction == ATTRIB_HONEST_SD) {
    const size_t n = sd_rows(in->npre, in->npost, A, d, m);
    double bmax = 0, bmin = 0;
    int feas = 0;
    s = bias_range(in, A, d, n, &bmax, &bmin, &feas);
    if (s != ATTRIB_OK) goto done;
    if (feas) lo = est - bmax, hi = est - bmin;
  } else {
    s = ATTRIB_OK;
    for (size_t sidx = 1; sidx <= in->npre; sidx++)
      for (int sg = 0; sg < 2; sg++) {
        const size_t n = rm_rows(in->npre, in->npost, sidx, sg ? -1.0 : 1.0, m, A, post);
        memset(d, 0, n * sizeof *d);
        double bmax = 0, bmin = 0;
        int feas = 0;
        s = bias_range(in, A, d, n, &bmax, &bmin, &feas);
        if (s != ATTRIB_OK) goto done;
        if (!feas) continue;
        lo = fmin(lo, est - bmax);
        hi = fmax(hi, est - bmin);
      }
  }
  if (lo <= hi) *lb = lo, *ub = hi;
done:
  attrib__free(A);
  attrib__free(d);
  attrib__free(post);
  return s;
}

attrib_status attrib_honest_identified_set(const double *beta, size_t n_pre, size_t n_post,
                                           attrib_honest_restriction restriction, double m, const double *l, double *lb,
                                           double *ub, attrib_error *err) {
  if (lb) *lb = NAN;
  if (ub) *ub = NAN;
  if (!lb || !ub) return attrib__fail(err, ATTRIB_EINVAL, "no output for the identified set");
  if (!(m >= 0) || !isfinite(m))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.m", "the restriction value must be finite and >= 0, not %g",
                               m);
  double lv[HONEST_MAX_PERIODS];
  attrib_honest_options o;
  attrib_honest_options_init(&o);
  o.l = l;
  if (n_post > HONEST_MAX_PERIODS) return attrib__fail(err, ATTRIB_EDIM, "too many post periods");
  ATTRIB__TRY(check_inputs(beta, NULL, n_pre, n_post, restriction, &o, lv, err));
  honest_in in = {n_pre, n_post, n_pre + n_post, beta, NULL, lv, 0.05};
  attrib_status s = id_set(&in, restriction, m, lb, ub);
  if (s == ATTRIB_ENUMERIC) return attrib__fail(err, s, "the identified set's linear program did not converge");
  if (s != ATTRIB_OK) return attrib__fail(err, s, "out of memory computing the identified set");
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ ARP test */

/* One case of the RM union, ready for testing theta. */
typedef struct arp_case {
  size_t nr, k;     /* moments used, nuisance dimension (npost - 1) */
  double *y0;       /* A beta over the rows (d = 0) */
  double *a1;       /* coefficient of theta */
  double *sigma;    /* nr x nr covariance of the moments */
  double *sd;       /* their standard deviations */
  double *Aeq;      /* (k + 1) x nr: [sd X]' */
  double lf_cv;     /* least-favourable critical value (hybrid), +inf otherwise */
} arp_case;

static void arp_case_free(arp_case *c) {
  attrib__free(c->y0);
  attrib__free(c->a1);
  attrib__free(c->sigma);
  attrib__free(c->sd);
  attrib__free(c->Aeq);
  memset(c, 0, sizeof *c);
}

/* the dual LP at y: max g'y s.t. g >= 0, [sd X]' g = e1 */
static attrib_status arp_dual(const arp_case *c, const double *y, double *g, double *val, attrib__lp_outcome *o) {
  double e1[HONEST_MAX_PERIODS + 1] = {0};
  e1[0] = 1.0;
  return attrib__lp_solve_std(c->k + 1, c->nr, c->Aeq, e1, y, g, val, o);
}

typedef struct arp_work {
  double *y, *g, *g2, *s, *b, *yc;
} arp_work;

/* V(c) - c with V the dual value at y = s + b c; the optimal vertex in g2 */
static attrib_status vgap(const arp_case *c, arp_work *w, double cc, double *gap) {
  for (size_t i = 0; i < c->nr; i++) w->yc[i] = w->s[i] + w->b[i] * cc;
  double v;
  attrib__lp_outcome o;
  ATTRIB__TRY(arp_dual(c, w->yc, w->g2, &v, &o));
  *gap = o == ATTRIB__LP_OPTIMAL ? v - cc : (o == ATTRIB__LP_UNBOUNDED ? INFINITY : NAN);
  return ATTRIB_OK;
}

/* One end of {c : V(c) = c} starting from `far` (dir +1: vup, -1: vlo),
 * knowing that eta is inside. */
static attrib_status vbound(const arp_case *c, arp_work *w, double eta, double far, int dir, double *out) {
  const double tol = 1e-9;
  double gap;
  ATTRIB__TRY(vgap(c, w, far, &gap));
  if (!(gap > tol * (1 + fabs(far)))) {
    *out = dir > 0 ? INFINITY : -INFINITY;
    return ATTRIB_OK;
  }
  /* Newton on the optimal vertex's line g'(s + b c) = c */
  double cur = far;
  for (int it = 0; it < 50; it++) {
    double gs = 0, gb = 0;
    for (size_t i = 0; i < c->nr; i++) gs += w->g2[i] * w->s[i], gb += w->g2[i] * w->b[i];
    const double den = 1.0 - gb;
    if (fabs(den) < 1e-12) break;
    const double nxt = gs / den;
    if (!isfinite(nxt) || (dir > 0 ? nxt < eta - tol : nxt > eta + tol)) break;
    ATTRIB__TRY(vgap(c, w, nxt, &gap));
    if (!(gap > tol * (1 + fabs(nxt)))) {
      *out = nxt;
      return ATTRIB_OK;
    }
    if (dir > 0 ? nxt >= cur : nxt <= cur) break; /* no progress */
    cur = nxt;
  }
  /* bisection between eta (inside) and cur (outside) */
  double in = eta, out_ = cur;
  for (int it = 0; it < 200 && fabs(out_ - in) > 1e-10 * (1 + fabs(in)); it++) {
    const double mid = 0.5 * (in + out_);
    ATTRIB__TRY(vgap(c, w, mid, &gap));
    if (gap > tol * (1 + fabs(mid))) out_ = mid;
    else in = mid;
  }
  *out = in;
  return ATTRIB_OK;
}

/* The conditional (or hybrid) test of E[y] <= 0 (after nuisance): 1 when
 * it rejects. */
static attrib_status arp_reject(const arp_case *c, arp_work *w, double theta, double alpha, int hybrid, int *reject) {
  *reject = 0;
  for (size_t i = 0; i < c->nr; i++) w->y[i] = c->y0[i] - c->a1[i] * theta;
  double eta;
  attrib__lp_outcome o;
  ATTRIB__TRY(arp_dual(c, w->y, w->g, &eta, &o));
  /* dual infeasible: the nuisance can push every moment down without
   * bound, eta = -inf, nothing to reject */
  if (o != ATTRIB__LP_OPTIMAL) return ATTRIB_OK;
  const double kappa = alpha / 10;
  if (hybrid && eta > c->lf_cv) {
    *reject = 1;
    return ATTRIB_OK;
  }
  double s2 = 0;
  for (size_t i = 0; i < c->nr; i++)
    for (size_t j = 0; j < c->nr; j++) s2 += w->g[i] * c->sigma[i * c->nr + j] * w->g[j];
  const double sB = sqrt(fmax(s2, 0));
  if (sB < 1e-10) {
    *reject = eta > 0;
    return ATTRIB_OK;
  }
  for (size_t i = 0; i < c->nr; i++) {
    double sg = 0;
    for (size_t j = 0; j < c->nr; j++) sg += c->sigma[i * c->nr + j] * w->g[j];
    w->b[i] = sg / s2;
    w->s[i] = w->y[i] - w->b[i] * eta;
  }
  double vlo, vup;
  ATTRIB__TRY(vbound(c, w, eta, fmax(100.0, eta + 20 * sB), +1, &vup));
  ATTRIB__TRY(vbound(c, w, eta, fmin(-100.0, eta - 20 * sB), -1, &vlo));
  const double maxstat = eta / sB, zlo = vlo / sB, zup = (hybrid ? fmin(vup, c->lf_cv) : vup) / sB;
  if (!(zlo <= maxstat && maxstat <= zup)) return ATTRIB_OK;
  const double size = hybrid ? (alpha - kappa) / (1 - kappa) : alpha;
  const double cv = zup > zlo ? fmax(0.0, truncnorm_quantile(1 - size, zlo, zup)) : fmax(0.0, zlo);
  *reject = maxstat > cv;
  return ATTRIB_OK;
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The least-favourable critical value: the 1 - kappa quantile (R's type 7)
 * of eta at y ~ N(0, Sigma_Y). */
static attrib_status lf_cv(arp_case *c, size_t draws, uint64_t seed, uint64_t index, double kappa) {
  const size_t nr = c->nr;
  double *V = attrib__malloc(nr * nr, sizeof *V), *ev = attrib__malloc(nr, sizeof *ev);
  double *y = attrib__malloc(nr, sizeof *y), *z = attrib__malloc(nr, sizeof *z);
  double *etas = attrib__malloc(draws + 1, sizeof *etas), *g = attrib__malloc(nr, sizeof *g);
  attrib_status s = ATTRIB_ENOMEM;
  if (!V || !ev || !y || !z || !etas || !g) goto done;
  memcpy(V, c->sigma, nr * nr * sizeof *V);
  if (LAPACKE_dsyev(LAPACK_COL_MAJOR, 'V', 'U', (lapack_int)nr, V, (lapack_int)nr, ev) != 0) {
    s = ATTRIB_ENUMERIC;
    goto done;
  }
  attrib__rng r;
  attrib__rng_init(&r, seed, ATTRIB__RNG_HONEST_LF, index);
  size_t n = 0;
  for (size_t d = 0; d < draws; d++) {
    for (size_t i = 0; i < nr; i++) z[i] = attrib__rng_next_normal(&r) * sqrt(fmax(ev[i], 0));
    for (size_t i = 0; i < nr; i++) {
      double v = 0;
      for (size_t j = 0; j < nr; j++) v += V[j * nr + i] * z[j];
      y[i] = v;
    }
    double eta;
    attrib__lp_outcome o;
    s = arp_dual(c, y, g, &eta, &o);
    if (s != ATTRIB_OK) goto done;
    if (o == ATTRIB__LP_OPTIMAL) etas[n++] = eta;
  }
  s = ATTRIB_OK;
  if (n == 0) {
    c->lf_cv = INFINITY;
    goto done;
  }
  qsort(etas, n, sizeof *etas, cmp_double);
  const double h = (double)(n - 1) * (1 - kappa);
  const size_t lo = (size_t)floor(h);
  c->lf_cv = lo + 1 < n ? etas[lo] + (h - (double)lo) * (etas[lo + 1] - etas[lo]) : etas[n - 1];
done:
  attrib__free(V);
  attrib__free(ev);
  attrib__free(y);
  attrib__free(z);
  attrib__free(etas);
  attrib__free(g);
  return s;
}

/* Builds case (s, sign) at mbar. */
static attrib_status arp_case_build(const honest_in *in, size_t sidx, double sign, double mbar, int hybrid,
                                    size_t draws, uint64_t seed, uint64_t index, arp_case *c) {
  const size_t npre = in->npre, npost = in->npost, T = in->T;
  memset(c, 0, sizeof *c);
  c->lf_cv = INFINITY;
  double *A = attrib__malloc(2 * T * T, sizeof *A);
  int *post = attrib__malloc(2 * T, sizeof *post);
  size_t *rows = attrib__malloc(2 * T, sizeof *rows);
  double *AS = NULL;
  attrib_status s = ATTRIB_ENOMEM;
  if (!A || !post || !rows) goto done;
  const size_t n = rm_rows(npre, npost, sidx, sign, mbar, A, post);
  size_t nr = 0;
  for (size_t i = 0; i < n; i++)
    if (npost == 1 || post[i]) rows[nr++] = i;
  const size_t k = npost - 1;
  c->nr = nr, c->k = k;
  c->y0 = attrib__malloc(nr, sizeof *c->y0);
  c->a1 = attrib__malloc(nr, sizeof *c->a1);
  c->sigma = attrib__malloc(nr * nr, sizeof *c->sigma);
  c->sd = attrib__malloc(nr, sizeof *c->sd);
  c->Aeq = attrib__malloc((k + 1) * nr, sizeof *c->Aeq);
  AS = attrib__malloc(nr * T, sizeof *AS);
  if (!c->y0 || !c->a1 || !c->sigma || !c->sd || !c->Aeq || !AS) goto done;
  /* Gamma: first row l', then e_j' for j != j0 (the first non-zero of l):
   * tau_j0 = (theta - sum_{j != j0} l_j nu_j) / l_j0, tau_j = nu_j. */
  size_t j0 = 0;
  while (in->l[j0] == 0) j0++;
  for (size_t q = 0; q < nr; q++) {
    const double *row = A + rows[q] * T;
    double y = 0;
    for (size_t j = 0; j < T; j++) y += row[j] * in->beta[j];
    c->y0[q] = y;
    /* A delta = A beta - A_post tau */
    c->a1[q] = row[npre + j0] / in->l[j0];
    size_t col = 1;
    for (size_t j = 0; j < npost; j++) {
      if (j == j0) continue;
      /* the moment is y - a1 theta - X nu with X = A_post Gamma^{-1}[, -1] */
      c->Aeq[col * nr + q] = row[npre + j] - row[npre + j0] * in->l[j] / in->l[j0];
      col++;
    }
    for (size_t j = 0; j < T; j++) {
      double v = 0;
      for (size_t i = 0; i < T; i++) v += in->sigma[j * T + i] * row[i];
      AS[q * T + j] = v;
    }
  }
  for (size_t q = 0; q < nr; q++)
    for (size_t r = 0; r < nr; r++) {
      double v = 0;
      for (size_t j = 0; j < T; j++) v += AS[q * T + j] * A[rows[r] * T + j];
      c->sigma[q * nr + r] = v;
    }
  for (size_t q = 0; q < nr; q++) {
    /* a moment without variance (a singular Sigma): a tiny floor keeps the
     * statistic defined; the moment then binds exactly */
    c->sd[q] = sqrt(fmax(c->sigma[q * nr + q], 1e-300));
    c->Aeq[q] = c->sd[q];
  }
  s = ATTRIB_OK;
  if (hybrid) s = lf_cv(c, draws, seed, index, in->alpha / 10);
done:
  attrib__free(A);
  attrib__free(post);
  attrib__free(rows);
  attrib__free(AS);
  if (s != ATTRIB_OK) arp_case_free(c);
  return s;
}

typedef struct rm_cases {
  size_t n;
  arp_case c[2 * HONEST_MAX_PERIODS];
  arp_work w;
  int hybrid;
} rm_cases;

static void rm_cases_free(rm_cases *rc) {
  for (size_t i = 0; i < rc->n; i++) arp_case_free(&rc->c[i]);
  attrib__free(rc->w.y);
  attrib__free(rc->w.g);
  attrib__free(rc->w.g2);
  attrib__free(rc->w.s);
  attrib__free(rc->w.b);
  attrib__free(rc->w.yc);
  attrib__free(rc);
}

static attrib_status rm_cases_build(const honest_in *in, double mbar, int hybrid, size_t draws, uint64_t seed,
                                    rm_cases **out) {
  rm_cases *rc = attrib__calloc(1, sizeof *rc);
  if (!rc) return ATTRIB_ENOMEM;
  rc->hybrid = hybrid;
  const size_t T2 = 2 * in->T + 1;
  rc->w.y = attrib__malloc(T2, sizeof(double));
  rc->w.g = attrib__malloc(T2, sizeof(double));
  rc->w.g2 = attrib__malloc(T2, sizeof(double));
  rc->w.s = attrib__malloc(T2, sizeof(double));
  rc->w.b = attrib__malloc(T2, sizeof(double));
  rc->w.yc = attrib__malloc(T2, sizeof(double));
  if (!rc->w.y || !rc->w.g || !rc->w.g2 || !rc->w.s || !rc->w.b || !rc->w.yc) {
    rm_cases_free(rc);
    return ATTRIB_ENOMEM;
  }
  for (size_t sidx = 1; sidx <= in->npre; sidx++)
    for (int sg = 0; sg < 2; sg++) {
      attrib_status s = arp_case_build(in, sidx, sg ? -1.0 : 1.0, mbar, hybrid, draws, seed, rc->n, &rc->c[rc->n]);
      if (s != ATTRIB_OK) {
        rm_cases_free(rc);
        return s;
      }
      rc->n++;
    }
  *out = rc;
  return ATTRIB_OK;
}

/* theta is in the union of the cases' acceptance regions */
static attrib_status rm_accept(rm_cases *rc, double theta, double alpha, int *accept) {
  *accept = 0;
  for (size_t i = 0; i < rc->n; i++) {
    int rej;
    ATTRIB__TRY(arp_reject(&rc->c[i], &rc->w, theta, alpha, rc->hybrid, &rej));
    if (!rej) {
      *accept = 1;
      return ATTRIB_OK;
    }
  }
  return ATTRIB_OK;
}

static attrib_status rm_ci(const honest_in *in, double mbar, const attrib_honest_options *o, int hybrid,
                           attrib_honest_set *out) {
  out->m = mbar, out->ci_low = NAN, out->ci_high = NAN, out->shape = ATTRIB_HONEST_EMPTY, out->gaps = 0;
  rm_cases *rc = NULL;
  ATTRIB__TRY(rm_cases_build(in, mbar, hybrid, o->lf_draws, o->seed, &rc));
  const size_t G = o->grid_points;
  unsigned char *acc = attrib__malloc(G, 1);
  attrib_status s = ATTRIB_ENOMEM;
  if (!acc) goto done;
  double glo = o->grid_lb, ghi = o->grid_ub;
  if (isnan(glo) || isnan(ghi)) {
    double lb, ub;
    s = id_set(in, ATTRIB_HONEST_RM, mbar, &lb, &ub);
    if (s != ATTRIB_OK) goto done;
    const double sdt = sqrt(target_var(in));
    if (isnan(lb)) {
      double est = 0;
      for (size_t j = 0; j < in->npost; j++) est += in->l[j] * in->beta[in->npre + j];
      lb = ub = est;
    }
    if (isnan(glo)) glo = lb - 20 * sdt;
    if (isnan(ghi)) ghi = ub + 20 * sdt;
  }
  const int auto_grid = isnan(o->grid_lb) && isnan(o->grid_ub);
  for (int widen = 0;; widen++) {
    const double step = (ghi - glo) / (double)(G - 1);
    size_t first = G, last = G;
    for (size_t i = 0; i < G; i++) {
      int a;
      s = rm_accept(rc, glo + step * (double)i, in->alpha, &a);
      if (s != ATTRIB_OK) goto done;
      acc[i] = (unsigned char)a;
      if (a) {
        if (first == G) first = i;
        last = i;
      }
    }
    if (first == G) {
      s = ATTRIB_OK;
      goto done; /* empty */
    }
    const int at_lo = first == 0, at_hi = last == G - 1;
    if ((at_lo || at_hi) && auto_grid && widen < 6) {
      const double mid = 0.5 * (glo + ghi), half = ghi - glo;
      glo = mid - half, ghi = mid + half;
      continue;
    }
    out->gaps = 0;
    for (size_t i = first; i <= last; i++)
      if (!acc[i]) out->gaps = 1;
    /* accepted at an edge of the widest grid: the set goes on past it */
    out->shape = at_lo || at_hi ? ATTRIB_HONEST_UNBOUNDED : ATTRIB_HONEST_BOUNDED;
    double lo = glo + step * (double)first, hi = glo + step * (double)last;
    if (o->refine) {
      const double tol = 1e-9 * (ghi - glo);
      if (!at_lo) {
        double r = lo - step, a = lo; /* rejected, accepted */
        while (a - r > tol) {
          const double mid = 0.5 * (r + a);
          int ac;
          s = rm_accept(rc, mid, in->alpha, &ac);
          if (s != ATTRIB_OK) goto done;
          if (ac) a = mid;
          else r = mid;
        }
        lo = a;
      }
      if (!at_hi) {
        double a = hi, r = hi + step;
        while (r - a > tol) {
          const double mid = 0.5 * (r + a);
          int ac;
          s = rm_accept(rc, mid, in->alpha, &ac);
          if (s != ATTRIB_OK) goto done;
          if (ac) a = mid;
          else r = mid;
        }
        hi = a;
      }
    }
    if (at_lo) lo = -INFINITY;
    if (at_hi) hi = INFINITY;
    out->ci_low = lo, out->ci_high = hi;
    s = ATTRIB_OK;
    break;
  }
done:
  attrib__free(acc);
  rm_cases_free(rc);
  return s;
}

/* ------------------------------------------------------------ FLCI (SD) */

typedef struct flci_prob {
  size_t p;       /* free variables: npre - 1 */
  double *Gm;     /* npre x p: v_pre = Gm z + g0 */
  double *g0;     /* npre */
  double *Q, *q;  /* var(z) = z'Qz + 2 q'z + q0 */
  double q0, P;   /* P: the post part of the bias per unit M */
} flci_prob;

static void flci_prob_free(flci_prob *f) {
  attrib__free(f->Gm);
  attrib__free(f->g0);
  attrib__free(f->Q);
  attrib__free(f->q);
}

/* v_pre from z: c_i = sum_{k <= i} (i - k + 1) v_k for i = 0..npre-2 gives
 * v_0..v_{npre-2} by forward substitution; v_{npre-1} (event time -1) from
 * orthogonality to the trend, sum_pre v_t t = -sum_post l_t t. */
static void v_of_z(size_t npre, size_t npost, const double *l, const double *z, double *v, int homogeneous) {
  for (size_t i = 0; i + 1 < npre; i++) {
    double r = z[i];
    for (size_t k = 0; k < i; k++) r -= (double)(i - k + 1) * v[k];
    v[i] = r;
  }
  double R = 0;
  if (!homogeneous)
    for (size_t j = 0; j < npost; j++) R -= l[j] * (double)(j + 1);
  double acc = 0;
  for (size_t k = 0; k + 1 < npre; k++) acc += v[k] * ((double)k - (double)npre);
  /* v_{-1} * (-1) + acc = R */
  v[npre - 1] = acc - R;
}

static attrib_status flci_setup(const honest_in *in, flci_prob *f) {
  const size_t npre = in->npre, npost = in->npost, T = in->T, p = npre - 1;
  memset(f, 0, sizeof *f);
  f->p = p;
  f->Gm = attrib__calloc(npre * (p ? p : 1), sizeof *f->Gm);
  f->g0 = attrib__calloc(npre, sizeof *f->g0);
  f->Q = attrib__calloc(p ? p * p : 1, sizeof *f->Q);
  f->q = attrib__calloc(p ? p : 1, sizeof *f->q);
  double *z = attrib__calloc(p + 1, sizeof *z), *v = attrib__calloc(npre, sizeof *v);
  double *SG = attrib__calloc(npre * (p ? p : 1), sizeof *SG), *h = attrib__calloc(npre, sizeof *h);
  if (!f->Gm || !f->g0 || !f->Q || !f->q || !z || !v || !SG || !h) {
    attrib__free(z);
    attrib__free(v);
    attrib__free(SG);
    attrib__free(h);
    flci_prob_free(f);
    return ATTRIB_ENOMEM;
  }
  v_of_z(npre, npost, in->l, z, f->g0, 0);
  for (size_t j = 0; j < p; j++) {
    memset(z, 0, (p + 1) * sizeof *z);
    z[j] = 1.0;
    v_of_z(npre, npost, in->l, z, v, 1);
    for (size_t i = 0; i < npre; i++) f->Gm[i * p + j] = v[i];
  }
  /* h = Sigma_pp g0 + Sigma_pP l */
  for (size_t i = 0; i < npre; i++) {
    double a = 0;
    for (size_t k = 0; k < npre; k++) a += in->sigma[i * T + k] * f->g0[k];
    for (size_t k = 0; k < npost; k++) a += in->sigma[i * T + npre + k] * in->l[k];
    h[i] = a;
  }
  f->q0 = 0;
  for (size_t i = 0; i < npre; i++) f->q0 += f->g0[i] * h[i];
  for (size_t i = 0; i < npost; i++) {
    double a = 0;
    for (size_t k = 0; k < npre; k++) a += in->sigma[(npre + i) * T + k] * f->g0[k];
    for (size_t k = 0; k < npost; k++) a += in->sigma[(npre + i) * T + npre + k] * in->l[k];
    f->q0 += in->l[i] * a;
  }
  for (size_t i = 0; i < npre; i++)
    for (size_t j = 0; j < p; j++) {
      double a = 0;
      for (size_t k = 0; k < npre; k++) a += in->sigma[i * T + k] * f->Gm[k * p + j];
      SG[i * p + j] = a;
    }
  for (size_t a = 0; a < p; a++) {
    double qa = 0;
    for (size_t i = 0; i < npre; i++) qa += f->Gm[i * p + a] * h[i];
    f->q[a] = qa;
    for (size_t b = 0; b < p; b++) {
      double s = 0;
      for (size_t i = 0; i < npre; i++) s += f->Gm[i * p + a] * SG[i * p + b];
      f->Q[a * p + b] = s;
    }
  }
  /* the post part of the bias: c_j = sum_{t >= j} (t - j + 1) l_t, j >= 1 */
  f->P = 0;
  for (size_t j = 1; j <= npost; j++) {
    double c = 0;
    for (size_t t = j; t <= npost; t++) c += (double)(t - j + 1) * in->l[t - 1];
    f->P += fabs(c);
  }
  attrib__free(z);
  attrib__free(v);
  attrib__free(SG);
  attrib__free(h);
  return ATTRIB_OK;
}

static double flci_var(const flci_prob *f, const double *z) {
  double v = f->q0;
  for (size_t a = 0; a < f->p; a++) {
    v += 2 * f->q[a] * z[a];
    for (size_t b = 0; b < f->p; b++) v += z[a] * f->Q[a * f->p + b] * z[b];
  }
  return v;
}

/* z = argmin 1/2 z'Qz + q'z + mu |z|_1, by cyclic coordinate descent from
 * the z given (warm start). */
static void flci_lasso(const flci_prob *f, double mu, double *z) {
  const size_t p = f->p;
  for (int sweep = 0; sweep < 200000; sweep++) {
    double change = 0, size = 0;
    for (size_t i = 0; i < p; i++) {
      double r = f->q[i];
      for (size_t j = 0; j < p; j++)
        if (j != i) r += f->Q[i * p + j] * z[j];
      const double mag = fabs(r) - mu;
      const double zn = mag > 0 ? -copysign(mag, r) / f->Q[i * p + i] : 0.0;
      change = fmax(change, fabs(zn - z[i]));
      z[i] = zn;
      size = fmax(size, fabs(zn));
    }
    if (change <= 1e-15 * (1 + size)) break;
  }
}

static double flci_half(const flci_prob *f, const double *z, double m, double alpha) {
  double l1 = 0;
  for (size_t a = 0; a < f->p; a++) l1 += fabs(z[a]);
  const double sd = sqrt(fmax(flci_var(f, z), 0));
  const double bias = m * (f->P + l1);
  if (sd <= 0) return bias;
  return sd * folded_normal_cv(bias / sd, alpha);
}

/* The FLCI at M = m: center and half-length. */
static attrib_status flci(const honest_in *in, double m, double *center, double *half) {
  flci_prob f;
  ATTRIB__TRY(flci_setup(in, &f));
  const size_t p = f.p;
  double *z = attrib__calloc(p + 1, sizeof *z), *zb = attrib__calloc(p + 1, sizeof *zb);
  double *v = attrib__calloc(in->npre, sizeof *v);
  if (!z || !zb || !v) {
    attrib__free(z);
    attrib__free(zb);
    attrib__free(v);
    flci_prob_free(&f);
    return ATTRIB_ENOMEM;
  }
  double best = INFINITY;
  if (p > 0) {
    double mumax = 0;
    for (size_t a = 0; a < p; a++) mumax = fmax(mumax, fabs(f.q[a]));
    /* scan mu from mumax (z = 0) down to 0 (minimum variance), warm
     * starting, then golden-section search around the best point; the
     * half-length is unimodal along the frontier (convex in the sd bound,
     * HonestDiD's .findOptimalCIDerivativeBisection relies on the same) */
    enum { SCAN = 64 };
    double hs[SCAN + 1], mus[SCAN + 1];
    size_t ib = 0;
    memset(z, 0, p * sizeof *z);
    for (size_t i = 0; i <= SCAN; i++) {
      /* denser near 0, where the minimum-variance end's curvature is */
      const double u = 1.0 - (double)i / SCAN;
      mus[i] = mumax * u * u;
      flci_lasso(&f, mus[i], z);
      hs[i] = flci_half(&f, z, m, in->alpha);
      if (hs[i] < best) best = hs[i], ib = i, memcpy(zb, z, p * sizeof *z);
    }
    double a = mus[ib < SCAN ? ib + 1 : SCAN], b = mus[ib > 0 ? ib - 1 : 0];
    const double gr = 0.5 * (sqrt(5.0) - 1);
    memcpy(z, zb, p * sizeof *z);
    double x1 = b - gr * (b - a), x2 = a + gr * (b - a);
    flci_lasso(&f, x1, z);
    double f1 = flci_half(&f, z, m, in->alpha);
    flci_lasso(&f, x2, z);
    double f2 = flci_half(&f, z, m, in->alpha);
    for (int it = 0; it < 200 && b - a > 1e-13 * (mumax + DBL_MIN); it++) {
      if (f1 < f2) {
        b = x2, x2 = x1, f2 = f1;
        x1 = b - gr * (b - a);
        flci_lasso(&f, x1, z);
        f1 = flci_half(&f, z, m, in->alpha);
        if (f1 < best) best = f1, memcpy(zb, z, p * sizeof *z);
      } else {
        a = x1, x1 = x2, f1 = f2;
        x2 = a + gr * (b - a);
        flci_lasso(&f, x2, z);
        f2 = flci_half(&f, z, m, in->alpha);
        if (f2 < best) best = f2, memcpy(zb, z, p * sizeof *z);
      }
    }
  } else {
    best = flci_half(&f, zb, m, in->alpha);
  }
  v_of_z(in->npre, in->npost, in->l, zb, v, 0);
  double c = 0;
  for (size_t i = 0; i < in->npre; i++) c += v[i] * in->beta[i];
  for (size_t j = 0; j < in->npost; j++) c += in->l[j] * in->beta[in->npre + j];
  *center = c;
  *half = best;
  attrib__free(z);
  attrib__free(zb);
  attrib__free(v);
  flci_prob_free(&f);
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ driver */

static attrib_honest_method resolve_method(attrib_honest_restriction r, attrib_honest_method m) {
  if (m != ATTRIB_HONEST_AUTO) return m;
  return r == ATTRIB_HONEST_SD ? ATTRIB_HONEST_FLCI : ATTRIB_HONEST_HYBRID_LF;
}

static attrib_status check_options(const attrib_honest_options *o, attrib_error *err) {
  ATTRIB__TRY(attrib__check_level(o->level, "honest.level", err));
  const attrib_honest_method m = resolve_method(o->restriction, o->method);
  if (o->restriction == ATTRIB_HONEST_SD && m != ATTRIB_HONEST_FLCI)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.method",
                               "the smoothness restriction uses the fixed-length CI (flci), not %s",
                               attrib_honest_method_name(m));
  if (o->restriction == ATTRIB_HONEST_RM && m == ATTRIB_HONEST_FLCI)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.method",
                               "relative magnitudes have no fixed-length CI (the restriction is not convex): use "
                               "the conditional test or its least-favourable hybrid");
  if (o->restriction == ATTRIB_HONEST_RM && o->grid_points < 3)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.grid_points",
                               "the test-inversion grid needs at least 3 points, not %zu", o->grid_points);
  if (o->restriction == ATTRIB_HONEST_RM && !isnan(o->grid_lb) && !isnan(o->grid_ub) && !(o->grid_lb < o->grid_ub))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.grid_points",
                               "the test-inversion grid's lower end %g is not below its upper end %g", o->grid_lb,
                               o->grid_ub);
  if (m == ATTRIB_HONEST_HYBRID_LF && o->lf_draws < 10)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.lf_draws",
                               "the least-favourable critical value needs at least 10 draws, not %zu", o->lf_draws);
  return ATTRIB_OK;
}

static attrib_status one_ci(const honest_in *in, double m, const attrib_honest_options *o, attrib_honest_set *out,
                            attrib_error *err) {
  const attrib_honest_method meth = resolve_method(o->restriction, o->method);
  attrib_status s;
  if (o->restriction == ATTRIB_HONEST_SD) {
    double c, h;
    s = flci(in, m, &c, &h);
    out->m = m, out->gaps = 0;
    out->ci_low = c - h, out->ci_high = c + h, out->shape = ATTRIB_HONEST_BOUNDED;
  } else {
    s = rm_ci(in, m, o, meth == ATTRIB_HONEST_HYBRID_LF, out);
  }
  if (s == ATTRIB_ENOMEM) return attrib__fail(err, s, "out of memory computing the honest confidence set");
  if (s != ATTRIB_OK)
    return attrib__fail(err, s, "the honest confidence set at %s = %g failed: a linear program did not converge",
                        o->restriction == ATTRIB_HONEST_RM ? "Mbar" : "M", m);
  return ATTRIB_OK;
}

attrib_status attrib_honest_ci(const double *beta, const double *sigma, size_t n_pre, size_t n_post, double m,
                               const attrib_honest_options *opts, attrib_honest_set *out, attrib_error *err) {
  if (!out || !opts) return attrib__fail(err, ATTRIB_EINVAL, "no options or output for the honest confidence set");
  out->m = m, out->ci_low = out->ci_high = NAN, out->shape = ATTRIB_HONEST_EMPTY, out->gaps = 0;
  ATTRIB__TRY(check_options(opts, err));
  if (!(m >= 0) || !isfinite(m))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.m", "the restriction value must be finite and >= 0, not %g",
                               m);
  if (!sigma) return attrib__fail_option(err, ATTRIB_EINVAL, "honest.sigma", "no covariance matrix");
  if (n_post > HONEST_MAX_PERIODS) return attrib__fail(err, ATTRIB_EDIM, "too many post periods");
  double lv[HONEST_MAX_PERIODS];
  ATTRIB__TRY(check_inputs(beta, sigma, n_pre, n_post, opts->restriction, opts, lv, err));
  honest_in in = {n_pre, n_post, n_pre + n_post, beta, sigma, lv, 1 - opts->level};
  if (!(target_var(&in) > 0))
    return attrib__fail_option(err, ATTRIB_EINVAL, "honest.sigma", "the target l' beta_post has no variance");
  return one_ci(&in, m, opts, out, err);
}

/* Does the set at m lie strictly on the estimate's side of effect? */
static attrib_status excludes(const honest_in *in, const attrib_honest_options *o, double m, double effect, int side,
                              int *ex) {
  if (o->restriction == ATTRIB_HONEST_SD) {
    double c, h;
    ATTRIB__TRY(flci(in, m, &c, &h));
    *ex = side > 0 ? c - h > effect : c + h < effect;
    return ATTRIB_OK;
  }
  rm_cases *rc = NULL;
  const int hybrid = resolve_method(o->restriction, o->method) == ATTRIB_HONEST_HYBRID_LF;
  ATTRIB__TRY(rm_cases_build(in, m, hybrid, o->lf_draws, o->seed, &rc));
  int acc = 0;
  attrib_status s = rm_accept(rc, effect, in->alpha, &acc);
  rm_cases_free(rc);
  *ex = !acc;
  return s;
}

static attrib_status search_m(const honest_in *in, const attrib_honest_options *o, double effect, double *m_out,
                              attrib_honest_search *search) {
  double est = 0;
  for (size_t j = 0; j < in->npost; j++) est += in->l[j] * in->beta[in->npre + j];
  const int side = est >= effect ? 1 : -1;
  double mmax = o->m_max;
  if (isnan(mmax)) mmax = o->restriction == ATTRIB_HONEST_RM ? 100.0 : 100.0 * sqrt(target_var(in));
  int ex;
  ATTRIB__TRY(excludes(in, o, 0.0, effect, side, &ex));
  if (!ex) {
    *m_out = NAN, *search = ATTRIB_HONEST_NOT_AT_ZERO;
    return ATTRIB_OK;
  }
  /* The sets need not be nested in m (an FLCI's centre moves with M, so
   * its lower end can rise again), so the answer is the end of the first
   * run of m from 0 at which the set excludes the effect: a geometric scan
   * up to mmax finds the first m at which it does not, then bisection
   * between that and the scan's previous value. */
  double lo = 0, hi = NAN;
  for (int k = 30; k >= 0; k--) {
    const double mk = ldexp(mmax, -k);
    ATTRIB__TRY(excludes(in, o, mk, effect, side, &ex));
    if (!ex) {
      hi = mk;
      break;
    }
    lo = mk;
  }
  if (isnan(hi)) {
    *m_out = mmax, *search = ATTRIB_HONEST_BEYOND_MAX;
    return ATTRIB_OK;
  }
  /* bisection: excluded at lo, not at hi */
  for (int it = 0; it < 200 && hi - lo > 1e-6 * hi; it++) {
    const double mid = 0.5 * (lo + hi);
    ATTRIB__TRY(excludes(in, o, mid, effect, side, &ex));
    if (ex) lo = mid;
    else hi = mid;
  }
  *m_out = lo, *search = ATTRIB_HONEST_FOUND;
  return ATTRIB_OK;
}

void attrib_honest_result_free(attrib_honest_result *r) {
  if (!r) return;
  attrib__free(r->l);
  attrib__free(r->sets);
  attrib__free(r->beta);
  attrib__free(r->sigma);
  attrib__free(r);
}

attrib_status attrib_honest_run(const double *beta, const double *sigma, size_t n_pre, size_t n_post,
                                const double *m_grid, size_t n_m, const attrib_honest_options *opts,
                                attrib_honest_result **out, attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "no output for the honest bounds");
  *out = NULL;
  attrib_honest_options o;
  if (opts) o = *opts;
  else attrib_honest_options_init(&o);
  ATTRIB__TRY(check_options(&o, err));
  if (!sigma) return attrib__fail_option(err, ATTRIB_EINVAL, "honest.sigma", "no covariance matrix");
  if (n_m == 0 || !m_grid)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.m", "no values of %s to compute the bounds at",
                               o.restriction == ATTRIB_HONEST_RM ? "Mbar" : "M");
  for (size_t i = 0; i < n_m; i++)
    if (!(m_grid[i] >= 0) || !isfinite(m_grid[i]))
      return attrib__fail_option(err, ATTRIB_EUSAGE, "honest.m",
                                 "%s must be finite and >= 0 (value %zu is %g)",
                                 o.restriction == ATTRIB_HONEST_RM ? "Mbar" : "M", i + 1, m_grid[i]);
  if (n_post > HONEST_MAX_PERIODS) return attrib__fail(err, ATTRIB_EDIM, "too many post periods");
  double lv[HONEST_MAX_PERIODS];
  ATTRIB__TRY(check_inputs(beta, sigma, n_pre, n_post, o.restriction, &o, lv, err));
  const size_t T = n_pre + n_post;
  attrib_honest_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory for the honest bounds");
  r->l = attrib__malloc(n_post, sizeof *r->l);
  r->sets = attrib__calloc(n_m, sizeof *r->sets);
  r->beta = attrib__malloc(T, sizeof *r->beta);
  r->sigma = attrib__malloc(T * T, sizeof *r->sigma);
  if (!r->l || !r->sets || !r->beta || !r->sigma) {
    attrib_honest_result_free(r);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory for the honest bounds");
  }
  memcpy(r->l, lv, n_post * sizeof *lv);
  memcpy(r->beta, beta, T * sizeof *beta);
  memcpy(r->sigma, sigma, T * T * sizeof *sigma);
  r->opts = o;
  r->opts.l = NULL; /* the copy in r->l is what counts; no borrowed pointer kept */
  r->restriction = o.restriction;
  r->method = resolve_method(o.restriction, o.method);
  r->target = o.l ? ATTRIB_HONEST_TARGET_CUSTOM
              : o.target_event < n_post ? ATTRIB_HONEST_TARGET_EVENT
                                        : ATTRIB_HONEST_TARGET_AVERAGE;
  r->target_event = r->target == ATTRIB_HONEST_TARGET_EVENT ? o.target_event : SIZE_MAX;
  r->n_pre = n_pre, r->n_post = n_post, r->level = o.level, r->n_sets = n_m;
  honest_in in = {n_pre, n_post, T, r->beta, r->sigma, r->l, 1 - o.level};
  const double v = target_var(&in);
  if (!(v > 0)) {
    attrib_honest_result_free(r);
    return attrib__fail_option(err, ATTRIB_EINVAL, "honest.sigma", "the target l' beta_post has no variance");
  }
  double est = 0;
  for (size_t j = 0; j < n_post; j++) est += r->l[j] * r->beta[n_pre + j];
  const double z = gsl_cdf_ugaussian_Qinv((1 - o.level) / 2);
  r->estimate = est, r->std_error = sqrt(v);
  r->ci_low = est - z * r->std_error, r->ci_high = est + z * r->std_error;
  attrib_status s;
  for (size_t i = 0; i < n_m; i++) {
    s = one_ci(&in, m_grid[i], &o, &r->sets[i], err);
    if (s != ATTRIB_OK) {
      attrib_honest_result_free(r);
      return s;
    }
  }
  s = search_m(&in, &o, 0.0, &r->breakdown, &r->breakdown_search);
  if (s != ATTRIB_OK) {
    attrib_honest_result_free(r);
    return attrib__fail(err, s, "the breakdown search failed (%s)", attrib_status_name(s));
  }
  *out = r;
  return ATTRIB_OK;
}

attrib_status attrib_honest_breakeven(const attrib_honest_result *r, double effect, double *m_out,
                                      attrib_honest_search *search, attrib_error *err) {
  if (m_out) *m_out = NAN;
  if (!r || !m_out || !search) return attrib__fail(err, ATTRIB_EINVAL, "no result or output for the break-even search");
  if (!isfinite(effect))
    return attrib__fail_option(err, ATTRIB_EINVAL, "honest.breakeven", "the break-even effect must be finite");
  honest_in in = {r->n_pre, r->n_post, r->n_pre + r->n_post, r->beta, r->sigma, r->l, 1 - r->level};
  attrib_status s = search_m(&in, &r->opts, effect, m_out, search);
  if (s != ATTRIB_OK) return attrib__fail(err, s, "the break-even search failed (%s)", attrib_status_name(s));
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ from did */

void attrib_honest_input_free(attrib_honest_input *in) {
  if (!in) return;
  attrib__free(in->beta);
  attrib__free(in->sigma);
  attrib__free(in->event_time);
  attrib__free(in);
}

attrib_status attrib_honest_input_from_did(const attrib_did_result *r, attrib_honest_input **out, attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "no output for the event study");
  *out = NULL;
  if (!r || r->n_events == 0 || !r->events || !r->event_vcov)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.event_study",
                               "the honest parallel-trends bounds need an event study: the two-way fixed effects "
                               "event study or Callaway-Sant'Anna's dynamic effects");
  if (r->estimator == ATTRIB_DID_CS && !r->base_universal)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.base_universal",
                               "the honest parallel-trends bounds need event-study coefficients measured from one "
                               "reference period: use the universal base period (with the varying base period the "
                               "pre-period coefficients are period-to-period changes)");
  const size_t ne = r->n_events;
  const double ref = -1.0 - (double)r->anticipation;
  size_t *ix = attrib__malloc(ne, sizeof *ix);
  attrib_honest_input *in = attrib__calloc(1, sizeof *in);
  attrib_status s = ATTRIB_ENOMEM;
  if (!ix || !in) goto fail;
  /* the kept events in event-time order (insertion sort: a few dozen) */
  size_t n = 0;
  for (size_t q = 0; q < ne; q++) {
    const attrib_did_event *e = &r->events[q];
    if (e->event_time == ref) continue;
    if (e->binned) {
      in->n_binned++;
      continue;
    }
    size_t k = n++;
    while (k > 0 && r->events[ix[k - 1]].event_time > e->event_time) ix[k] = ix[k - 1], k--;
    ix[k] = q;
  }
  for (size_t k = 0; k < n; k++) {
    const attrib_did_event *e = &r->events[ix[k]];
    if (!isfinite(e->att) || !isfinite(r->event_vcov[ix[k] * ne + ix[k]])) {
      s = attrib__fail(err, ATTRIB_EDESIGN, "the event-study coefficient at event time %g could not be estimated",
                       e->event_time);
      goto fail;
    }
    if (e->event_time < ref) in->n_pre++;
    else in->n_post++;
    /* consecutive event times, the reference period the only one missing */
    if (k > 0) {
      const double prev = r->events[ix[k - 1]].event_time;
      const double gap = e->event_time - prev;
      if (!(gap == 1.0 || (gap == 2.0 && prev + 1.0 == ref))) {
        s = attrib__fail(err, ATTRIB_EDESIGN,
                         "the event times are not consecutive: %g follows %g (the bounds restrict changes between "
                         "adjacent periods)",
                         e->event_time, prev);
        goto fail;
      }
    }
  }
  if (n > 0 && in->n_pre > 0 && r->events[ix[in->n_pre - 1]].event_time != ref - 1.0) {
    s = attrib__fail(err, ATTRIB_EDESIGN, "the last pre-period event time is %g, not %g (next to the reference period)",
                     r->events[ix[in->n_pre - 1]].event_time, ref - 1.0);
    goto fail;
  }
  if (in->n_post > 0 && r->events[ix[in->n_pre]].event_time != ref + 1.0) {
    s = attrib__fail(err, ATTRIB_EDESIGN, "the first post-period event time is %g, not %g (next to the reference period)",
                     r->events[ix[in->n_pre]].event_time, ref + 1.0);
    goto fail;
  }
  in->beta = attrib__malloc(n ? n : 1, sizeof *in->beta);
  in->sigma = attrib__malloc(n ? n * n : 1, sizeof *in->sigma);
  in->event_time = attrib__malloc(n ? n : 1, sizeof *in->event_time);
  if (!in->beta || !in->sigma || !in->event_time) {
    s = ATTRIB_ENOMEM;
    goto fail;
  }
  for (size_t a = 0; a < n; a++) {
    in->beta[a] = r->events[ix[a]].att;
    in->event_time[a] = r->events[ix[a]].event_time;
    for (size_t b = 0; b < n; b++) in->sigma[a * n + b] = r->event_vcov[ix[a] * ne + ix[b]];
  }
  in->reference = ref;
  attrib__free(ix);
  *out = in;
  return ATTRIB_OK;
fail:
  if (s == ATTRIB_ENOMEM) attrib__fail(err, s, "out of memory taking the event study");
  attrib__free(ix);
  attrib_honest_input_free(in);
  return s;
}
