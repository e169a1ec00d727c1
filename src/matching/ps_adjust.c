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
 * belongs to w, and every unit tied with the farthest of them (the matching's
 * tie rule, as Matching's Var.calc neighbourhoods keep ties); cov_w(i) =
 * sum_{h in H} (X_h - Xbar)(Y_h - Ybar) / (#H - 1), mu(X_i, w) = Ybar over
 * H_w(i).
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
#include "regression/regression_internal.h"
#include "matching/matching_internal.h"

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

/* The neighbourhood of (d, rank) in group s, as a run s[*lo .. *hi): the L
 * units of the group nearest to d (unit i itself first when it belongs to
 * the group, self != 0) and every unit as near as the farthest of them, by
 * the matching's tie rule (attrib__tie_bound: equal distances up to
 * rounding, or within the squared window). This is Abadie & Imbens's
 * (2006) match set applied within a group, as Matching::Match's Var.calc
 * neighbourhoods are (all units within the L-th distance, the unit added
 * back); with no ties it is the L nearest. All units within a distance of
 * d, the set is a run of s, which is ordered by (distance, rank), so it
 * depends on the values and ranks only, never on row order. */
static void neighbourhood(const member *s, size_t m, double d, size_t rank, int self, size_t L, double window,
                          size_t *lo_out, size_t *hi_out) {
  size_t pos = lower(s, m, d, rank), got = 0;
  size_t r = pos; /* next candidate on the right */
  size_t l = pos; /* one past the next candidate on the left */
  double kth = 0.0;
  if (self) r = pos + 1, got = 1;
  while (got < L && (l > 0 || r < m)) {
    double gl = l > 0 ? d - s[l - 1].d : INFINITY, gr = r < m ? s[r].d - d : INFINITY;
    if (gl <= gr) kth = gl, l--;
    else kth = gr, r++;
    got++;
  }
  double thr = attrib__tie_bound(kth, d, window);
  /* widen to the ties by galloping, then binary search: a block of many
   * equal scores costs O(log block) per unit, not O(block) */
  if (l > 0 && d - s[l - 1].d <= thr) {
    size_t ok = l - 1, step = 1; /* s[ok] qualifies */
    while (ok >= step && d - s[ok - step].d <= thr) ok -= step, step <<= 1;
    size_t a = ok >= step ? ok - step + 1 : 0, b = ok;
    while (a < b) {
      size_t mid = a + (b - a) / 2;
      if (d - s[mid].d <= thr) b = mid;
      else a = mid + 1;
    }
    l = a;
  }
  if (r < m && s[r].d - d <= thr) {
    size_t ok = r, step = 1;
    while (ok + step < m && s[ok + step].d - d <= thr) ok += step, step <<= 1;
    size_t a = ok, b = ok + step < m ? ok + step - 1 : m - 1;
    while (a < b) {
      size_t mid = a + (b - a + 1) / 2;
      if (s[mid].d - d <= thr) a = mid;
      else b = mid - 1;
    }
    r = a + 1;
  }
  *lo_out = l;
  *hi_out = r;
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
                                     double tie_tolerance, double *adjust, attrib_error *err) {
  if (!design || !vcov || !p || !dens || !dist || !treat || !y || !adjust)
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_match_ps_adjust: NULL argument");
  if (L < 2) return attrib__fail(err, ATTRIB_EINVAL, "the covariance neighbourhoods need L >= 2 units");
  if (!(tie_tolerance >= 0.0) || !isfinite(tie_tolerance))
    return attrib__fail(err, ATTRIB_EINVAL, "the tie tolerance must be a finite number >= 0");
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
  /* long neighbourhoods (many ties): prefix sums of y over each group's
   * order give their means in O(1), and difference arrays over that order
   * add coef (y_h - ybar) / (#H - 1) to all their members in O(1) */
  long double *py[2] = {NULL, NULL}, *da[2] = {NULL, NULL}, *db[2] = {NULL, NULL};
  grp[0] = attrib__malloc(n_group[0], sizeof *grp[0]);
  grp[1] = attrib__malloc(n_group[1], sizeof *grp[1]);
  g = attrib__calloc(n, sizeof *g);
  g2 = attrib__calloc(n, sizeof *g2);
  c = attrib__calloc(k, sizeof *c);
  dv = attrib__calloc(k, sizeof *dv);
  if (!grp[0] || !grp[1] || !g || !g2 || !c || !dv) goto oom;
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
      const member *gw = grp[w];
      size_t lo, hi;
      neighbourhood(gw, n_group[w], dist[i], rank ? rank[i] : i, wi == w, L, tie_tolerance, &lo, &hi);
      size_t got = hi - lo;
      int direct = got <= ATTRIB__RUN_DIRECT;
      if (!direct && !py[w]) {
        py[w] = attrib__malloc(n_group[w] + 1, sizeof *py[w]);
        da[w] = attrib__calloc(n_group[w] + 1, sizeof *da[w]);
        db[w] = attrib__calloc(n_group[w] + 1, sizeof *db[w]);
        if (!py[w] || !da[w] || !db[w]) goto oom;
        py[w][0] = 0;
        for (size_t q = 0; q < n_group[w]; q++) py[w][q + 1] = py[w][q] + ((long double)y[gw[q].idx] - y[gw[0].idx]);
      }
      double ybar = 0.0;
      if (direct) {
        for (size_t q = lo; q < hi; q++) ybar += y[gw[q].idx];
        ybar /= (double)got;
      } else {
        ybar = (double)((long double)y[gw[0].idx] + (py[w][hi] - py[w][lo]) / (long double)got);
      }
      mu[w] = ybar;
      /* the weight of cov_w(i) in c */
      double coef;
      if (estimand == ATTRIB_ESTIMAND_ATE) coef = dens[i] / (N * (w ? p[i] : 1.0 - p[i]));
      else coef = w == target ? dens[i] / Nt : dens[i] * Ft / ((1.0 - Ft) * Nt);
      if (direct) {
        for (size_t q = lo; q < hi; q++) g[gw[q].idx] += coef * (y[gw[q].idx] - ybar) / (double)(got - 1);
      } else {
        long double a = (long double)coef / (long double)(got - 1);
        da[w][lo] += a, da[w][hi] -= a;
        db[w][lo] += a * ybar, db[w][hi] -= a * ybar;
      }
    }
    if (estimand != ATTRIB_ESTIMAND_ATE) g2[i] = dens[i] * (mu[target] - mu[!target] - tau) / Nt;
  }
  for (int w = 0; w < 2; w++) { /* the long neighbourhoods' terms: g_h += A_h y_h - B_h */
    if (!da[w]) continue;
    long double A = 0, Bsum = 0;
    for (size_t q = 0; q < n_group[w]; q++) {
      A += da[w][q], Bsum += db[w][q];
      size_t h = grp[w][q].idx;
      g[h] += (double)(A * y[h] - Bsum);
    }
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
  for (int w = 0; w < 2; w++) attrib__free(py[w]), attrib__free(da[w]), attrib__free(db[w]);
  attrib__free(c);
  attrib__free(dv);
  attrib__free(buf);
  return s;
}
