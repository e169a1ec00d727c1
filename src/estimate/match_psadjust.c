/*
 * The variance of nearest-neighbour matching on an *estimated* propensity
 * score: Abadie & Imbens (2016), "Matching on the estimated propensity
 * score", Econometrica 84(2), 781-807, Theorems 1 and 2 - the correction
 * Stata's teffects psmatch applies.
 *
 * With F the score model's cdf, f its density, theta its coefficients and
 * V_theta = I^-1 / N the model-based covariance of theta-hat:
 *   ATE:  V = V_AI2006 - c' V_theta c,
 *         c = E[ f(X'theta) ( cov(X, mu(X,1) | F) / F + cov(X, mu(X,0) | F) / (1 - F) ) ];
 *   ATT:  V = V_AI2006 - c_t' V_theta c_t + d' V_theta d,
 *         d   = E[ f X (mu(X,1) - mu(X,0) - tau_t) ] / E[F]   (= d tau_t / d theta),
 *         c_t = d + E[ f ( cov(X, mu(X,1) | F) + F / (1 - F) cov(X, mu(X,0) | F) ) ] / E[F].
 * The ATC is the ATT of the flipped problem (W -> 1 - W, F -> 1 - F,
 * theta -> -theta, which leaves V_theta and the quadratic forms unchanged).
 *
 * The conditional covariances and means are estimated as the paper (section
 * 4) and Stata (vce(robust, nn(2))) do: H_w(i) = the L units of group w
 * nearest to unit i on the matching distance, unit i itself included when it
 * belongs to w; cov_w(i) = sum_{h in H} (X_h - Xbar)(Y_h - Ybar) / (L - 1),
 * mu(X_i, w) = Ybar over H_w(i).
 *
 * Every term is X' times an n-vector: cov_w(i) = sum_{h in H} X_h (Y_h -
 * Ybar) / (L - 1), so c = X' g with g_h gathering the scalar weights of
 * every neighbourhood h belongs to. One streaming pass over the design then
 * gives c and d; X is never read at random.
 */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/match.h>
#include "core/attrib_internal.h"

typedef struct member {
  double d;
  size_t rank, idx;
} member;

static int cmp_member(const void *a, const void *b) {
  const member *x = a, *y = b;
  if (x->d != y->d) return x->d < y->d ? -1 : 1;
  return (x->rank > y->rank) - (x->rank < y->rank);
}

/* first position in s[0..m) not ordered before (d, rank) */
static size_t lower(const member *s, size_t m, double d, size_t rank) {
  size_t lo = 0, hi = m;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s[mid].d < d || (s[mid].d == d && s[mid].rank < rank)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The L members of s nearest to (d, rank), the unit itself first when it
 * is in s (self != 0). s is ordered by (distance, rank) and a tie between
 * the two sides (gaps equal within 1e-10 relative) goes to the smaller
 * rank, so the result depends on the values and ranks only, never on row
 * order. */
static size_t neighbours(const member *s, size_t m, double d, size_t rank, int self, size_t L, size_t *out) {
  size_t pos = lower(s, m, d, rank), got = 0;
  size_t r = pos; /* next candidate on the right */
  size_t l = pos; /* one past the next candidate on the left */
  if (self) out[got++] = s[pos].idx, r = pos + 1;
  while (got < L && (l > 0 || r < m)) {
    int take_left;
    if (l == 0) take_left = 0;
    else if (r >= m) take_left = 1;
    else {
      /* gaps equal to rounding are ties: on a lattice of scores (integer
       * covariates) equal gaps are common, and their last bits move with
       * the score model's summation order, i.e. with row order */
      double gl = d - s[l - 1].d, gr = s[r].d - d, tol = 1e-10 * (1.0 + fabs(d));
      take_left = gl < gr - tol || (fabs(gl - gr) <= tol && s[l - 1].rank < s[r].rank);
    }
    out[got++] = take_left ? s[--l].idx : s[r++].idx;
  }
  return got;
}

/* v' V v over the estimable coefficients (V has NaN for aliased ones) */
static double quad(const double *V, const double *v, size_t k) {
  long double q = 0;
  for (size_t a = 0; a < k; a++) {
    if (isnan(V[a * k + a])) continue;
    for (size_t b = 0; b < k; b++)
      if (!isnan(V[b * k + b])) q += (long double)v[a] * V[a * k + b] * v[b];
  }
  return (double)q;
}

attrib_status attrib_match_ps_adjust(const attrib_design *design, const double *vcov, const double *p,
                                     const double *dens, const double *dist, const int *treat, const double *y,
                                     const size_t *rank, attrib_estimand estimand, double tau, size_t L,
                                     double *adjust, attrib_error *err) {
  if (!design || !vcov || !p || !dens || !dist || !treat || !y || !adjust)
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_match_ps_adjust: NULL argument");
  if (L < 2) return attrib__fail(err, ATTRIB_EINVAL, "the covariance neighbourhoods need L >= 2 units");
  size_t n = design->n, k = design->k;
  /* ATC: the ATT of the flipped problem; "target" is the group whose
   * average effect is estimated, tau is already on its orientation */
  int target = estimand == ATTRIB_ESTIMAND_ATC ? 0 : 1;
  size_t n_group[2] = {0, 0};
  for (size_t i = 0; i < n; i++) n_group[treat[i] != 0]++;
  if (n_group[0] < L || n_group[1] < L)
    return attrib__fail(err, ATTRIB_ENODATA,
                        "the estimated-score correction needs at least %zu treated and %zu control units", L, L);

  attrib_status s = ATTRIB_OK;
  member *grp[2] = {NULL, NULL};
  double *g = NULL, *g2 = NULL, *buf = NULL, *c = NULL, *dv = NULL;
  size_t *H = NULL;
  grp[0] = attrib__malloc(n_group[0], sizeof *grp[0]);
  grp[1] = attrib__malloc(n_group[1], sizeof *grp[1]);
  g = attrib__calloc(n, sizeof *g);
  g2 = attrib__calloc(n, sizeof *g2);
  H = attrib__malloc(L, sizeof *H);
  c = attrib__calloc(k, sizeof *c);
  dv = attrib__calloc(k, sizeof *dv);
  if (!grp[0] || !grp[1] || !g || !g2 || !H || !c || !dv) goto oom;
  size_t fill[2] = {0, 0};
  for (size_t i = 0; i < n; i++) {
    int w = treat[i] != 0;
    grp[w][fill[w]++] = (member){dist[i], rank ? rank[i] : i, i};
  }
  qsort(grp[0], n_group[0], sizeof *grp[0], cmp_member);
  qsort(grp[1], n_group[1], sizeof *grp[1], cmp_member);

  double N = (double)n, Nt = (double)n_group[target];
  for (size_t i = 0; i < n; i++) {
    int wi = treat[i] != 0;
    /* in the target orientation: Ft = P(target group | X) */
    double Ft = target ? p[i] : 1.0 - p[i];
    double mu[2];
    for (int w = 0; w < 2; w++) {
      size_t got = neighbours(grp[w], n_group[w], dist[i], rank ? rank[i] : i, wi == w, L, H);
      double ybar = 0.0;
      for (size_t q = 0; q < got; q++) ybar += y[H[q]];
      ybar /= (double)got;
      mu[w] = ybar;
      /* the weight of cov_w(i) in c */
      double coef;
      if (estimand == ATTRIB_ESTIMAND_ATE) coef = dens[i] / (N * (w ? p[i] : 1.0 - p[i]));
      else coef = w == target ? dens[i] / Nt : dens[i] * Ft / ((1.0 - Ft) * Nt);
      for (size_t q = 0; q < got; q++) g[H[q]] += coef * (y[H[q]] - ybar) / (double)(got - 1);
    }
    if (estimand != ATTRIB_ESTIMAND_ATE) g2[i] = dens[i] * (mu[target] - mu[!target] - tau) / Nt;
  }
  for (size_t i = 0; i < n; i++) g[i] += g2[i];

  /* c = X' g and d = X' g2 in one pass over the design, in row blocks */
  const size_t B = 2048;
  buf = attrib__malloc(B * (k ? k : 1), sizeof *buf);
  if (!buf) goto oom;
  for (size_t r0 = 0; r0 < n; r0 += B) {
    size_t m = n - r0 < B ? n - r0 : B;
    attrib_design_fill_rows(design, r0, m, buf, m);
    cblas_dgemv(CblasColMajor, CblasTrans, (int)m, (int)k, 1.0, buf, (int)m, g + r0, 1, 1.0, c, 1);
    cblas_dgemv(CblasColMajor, CblasTrans, (int)m, (int)k, 1.0, buf, (int)m, g2 + r0, 1, 1.0, dv, 1);
  }
  *adjust = -quad(vcov, c, k) + (estimand == ATTRIB_ESTIMAND_ATE ? 0.0 : quad(vcov, dv, k));
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "estimated-score correction: out of memory");
done:
  attrib__free(grp[0]);
  attrib__free(grp[1]);
  attrib__free(g);
  attrib__free(g2);
  attrib__free(H);
  attrib__free(c);
  attrib__free(dv);
  attrib__free(buf);
  return s;
}
