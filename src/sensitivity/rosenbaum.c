/*
 * Rosenbaum bounds for the Wilcoxon signed-rank test (Rosenbaum 2002, ch. 4) (include/attrib/sensitivity.h,
 * docs/methods/sensitivity.md).
 */
#include <math.h>
#include <stdlib.h> /* qsort */
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/sensitivity.h>
#include "core/attrib_internal.h"

/* ---- Rosenbaum bounds for the Wilcoxon signed-rank test -------------------- */

typedef struct ar {
  double a;
  size_t i;
} ar;

static int cmp_ar(const void *x, const void *y) {
  double a = ((const ar *)x)->a, b = ((const ar *)y)->a;
  return (a > b) - (a < b);
}

/* ranks of |v| with ties averaged; zeros get rank 0 (keep) or are absent
 * (drop: their rank slots are not used); returns T = sum of the ranks of
 * positive values, S = sum of ranks, Q = sum of squared ranks */
static void signed_ranks(const double *v, size_t n, int keep_zeros, ar *buf, double *T, double *S, double *Q) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (keep_zeros || v[i] != 0.0) buf[m++] = (ar){fabs(v[i]), i};
  qsort(buf, m, sizeof *buf, cmp_ar);
  *T = *S = *Q = 0.0;
  for (size_t a = 0; a < m;) {
    size_t b = a;
    while (b < m && buf[b].a == buf[a].a) b++;
    double r = 0.5 * (double)(a + 1 + b); /* average of ranks a+1 .. b */
    for (size_t q = a; q < b; q++) {
      double vi = v[buf[q].i];
      if (vi == 0.0) continue; /* rank 0 */
      *S += r;
      *Q += r * r;
      if (vi > 0.0) *T += r;
    }
    a = b;
  }
}

/* one-sided p-value bound: T against mean p S and variance p (1 - p) Q
 * (normal approximation, as rbounds' psens and Rosenbaum 2002 sec. 4.3) */
static double p_bound(double T, double S, double Q, double p) {
  double v = p * (1.0 - p) * Q;
  return v > 0 ? gsl_cdf_ugaussian_Q((T - p * S) / sqrt(v)) : NAN;
}

/* the Hodges-Lehmann-type estimate under a bounding p: the shift tau at
 * which T(d - tau) crosses p S(d - tau), by bisection (T - p S decreases in tau) */
static double hl_bound(const double *d, size_t n, int keep_zeros, double p, double *w, ar *buf) {
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; i++) lo = fmin(lo, d[i]), hi = fmax(hi, d[i]);
  lo -= 1.0, hi += 1.0;
  for (int it = 0; it < 200 && hi - lo > 1e-12 * (1.0 + fabs(lo) + fabs(hi)); it++) {
    double mid = 0.5 * (lo + hi), T, S, Q;
    for (size_t i = 0; i < n; i++) w[i] = d[i] - mid;
    signed_ranks(w, n, keep_zeros, buf, &T, &S, &Q);
    if (T - p * S > 0.0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

void attrib_rosenbaum_free(attrib_rosenbaum *r) {
  if (!r) return;
  attrib__free(r->rows);
  attrib__free(r);
}

attrib_status attrib_rosenbaum_compute(const double *d, size_t n, const double *gammas, size_t n_gamma, double alpha,
                                       int keep_zeros, attrib_rosenbaum **out, attrib_error *err) {
  *out = NULL;
  if (!d || !gammas || !n_gamma) return attrib__fail(err, ATTRIB_EINVAL, "Rosenbaum bounds: no pairs or no Gamma grid");
  if (n < 2) return attrib__fail(err, ATTRIB_ENODATA, "Rosenbaum bounds need at least 2 matched pairs, got %zu", n);
  if (!(alpha > 0 && alpha < 1)) return attrib__fail(err, ATTRIB_EINVAL, "alpha must lie in (0, 1), got %g", alpha);
  for (size_t g = 0; g < n_gamma; g++)
    if (!(gammas[g] >= 1.0)) return attrib__fail(err, ATTRIB_EINVAL, "Gamma must be at least 1, got %g", gammas[g]);
  for (size_t i = 0; i < n; i++)
    if (!isfinite(d[i])) return attrib__fail(err, ATTRIB_EINVAL, "pair %zu has a difference that is not a number", i + 1);
  attrib_rosenbaum *r = attrib__calloc(1, sizeof *r);
  ar *buf = attrib__malloc(n, sizeof *buf);
  double *w = attrib__malloc(n, sizeof *w);
  if (r) r->rows = attrib__calloc(n_gamma, sizeof *r->rows);
  if (!r || !buf || !w || !r->rows) {
    attrib_rosenbaum_free(r), attrib__free(buf), attrib__free(w);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  r->n_pairs = n;
  for (size_t i = 0; i < n; i++) r->n_zero += d[i] == 0.0;
  r->keep_zeros = keep_zeros;
  r->alpha = alpha;
  r->n_rows = n_gamma;
  double T, S, Q;
  signed_ranks(d, n, keep_zeros, buf, &T, &S, &Q);
  if (!(S > 0)) {
    attrib_rosenbaum_free(r), attrib__free(buf), attrib__free(w);
    return attrib__fail(err, ATTRIB_EDESIGN, "every pair difference is zero: the signed-rank test has nothing to rank");
  }
  for (size_t g = 0; g < n_gamma; g++) {
    double G = gammas[g], pp = G / (1.0 + G), pm = 1.0 / (1.0 + G);
    r->rows[g] = (attrib_rosenbaum_row){G, p_bound(T, S, Q, pp), p_bound(T, S, Q, pm),
                                         hl_bound(d, n, keep_zeros, pp, w, buf), hl_bound(d, n, keep_zeros, pm, w, buf)};
  }
  /* critical Gamma: p_upper rises with Gamma; bisection on the continuous Gamma */
  r->critical_gamma = NAN;
  r->p_gamma1 = p_bound(T, S, Q, 0.5);
  if (r->p_gamma1 > alpha) {
    /* not significant even without hidden bias: there is no Gamma at which
     * significance is lost (reporting Gamma = 1 read as "loses significance
     * at the smallest hidden bias": issue 12) */
    r->critical_status = ATTRIB_GAMMA_NOT_SIGNIFICANT;
  } else {
    double lo = 1.0, hi = 2.0;
    while (p_bound(T, S, Q, hi / (1.0 + hi)) <= alpha && hi < ATTRIB_ROSENBAUM_GAMMA_MAX) lo = hi, hi *= 2.0;
    if (hi < ATTRIB_ROSENBAUM_GAMMA_MAX) {
      for (int it = 0; it < 200 && hi - lo > 1e-10 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        if (p_bound(T, S, Q, mid / (1.0 + mid)) <= alpha) lo = mid;
        else hi = mid;
      }
      r->critical_gamma = 0.5 * (lo + hi);
      r->critical_status = ATTRIB_GAMMA_FOUND;
    } else {
      r->critical_status = ATTRIB_GAMMA_BEYOND_MAX;
    }
  }
  attrib__free(buf), attrib__free(w);
  *out = r;
  return ATTRIB_OK;
}

double attrib_rosenbaum_breakeven_gamma(const double *d, size_t n, int keep_zeros, double target) {
  if (!d || n < 2) return NAN;
  ar *buf = attrib__malloc(n, sizeof *buf);
  double *w = attrib__malloc(n, sizeof *w);
  double out = NAN;
  if (!buf || !w) goto done;
  /* hl_lower(Gamma) falls as Gamma grows */
  if (hl_bound(d, n, keep_zeros, 0.5, w, buf) <= target) {
    out = 1.0;
    goto done;
  }
  double lo = 1.0, hi = 2.0;
  while (hl_bound(d, n, keep_zeros, hi / (1.0 + hi), w, buf) > target && hi < ATTRIB_ROSENBAUM_GAMMA_MAX) lo = hi, hi *= 2.0;
  if (hi >= ATTRIB_ROSENBAUM_GAMMA_MAX) goto done;
  for (int it = 0; it < 100 && hi - lo > 1e-8 * hi; it++) {
    double mid = 0.5 * (lo + hi);
    if (hl_bound(d, n, keep_zeros, mid / (1.0 + mid), w, buf) > target) lo = mid;
    else hi = mid;
  }
  out = 0.5 * (lo + hi);
done:
  attrib__free(buf), attrib__free(w);
  return out;
}


/* ---- pair differences ------------------------------------------------------ */

attrib_status attrib_rosenbaum_pairs_columns(const attrib_table *t, const char *treated, const char *control,
                                             double **d, size_t *n, attrib_error *err) {
  if (!d || !n) return attrib__fail(err, ATTRIB_EINVAL, "attrib_rosenbaum_pairs_columns: NULL argument");
  *d = NULL, *n = 0;
  if (!t || !treated || !control) return attrib__fail(err, ATTRIB_EINVAL, "attrib_rosenbaum_pairs_columns: NULL argument");
  size_t ct, cc;
  attrib_status s = attrib_table_column_require(t, treated, "treated", &ct, err);
  if (!s) s = attrib_table_column_require(t, control, "control", &cc, err);
  if (s) return s;
  if (t->cols[ct].type != ATTRIB_COLUMN_NUMERIC || t->cols[cc].type != ATTRIB_COLUMN_NUMERIC)
    return attrib__fail(err, ATTRIB_ETYPE, "%s: the treated and control columns must be numeric outcome columns",
                        t->source);
  const double *a = t->cols[ct].values, *b = t->cols[cc].values;
  for (size_t i = 0; i < t->n_rows; i++)
    if (isnan(a[i]) || isnan(b[i]))
      return attrib__fail(err, ATTRIB_ENODATA, "%s: pair on data row %zu has a missing outcome", t->source, i + 1);
  double *v = attrib__malloc(t->n_rows ? t->n_rows : 1, sizeof *v);
  if (!v) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t i = 0; i < t->n_rows; i++) v[i] = a[i] - b[i];
  *d = v, *n = t->n_rows;
  return ATTRIB_OK;
}

attrib_status attrib_rosenbaum_pairs_matched(const attrib_table *t, const attrib_psm_result *r, const char *outcome,
                                             double **d, size_t *n, attrib_error *err) {
  if (!d || !n) return attrib__fail(err, ATTRIB_EINVAL, "attrib_rosenbaum_pairs_matched: NULL argument");
  *d = NULL, *n = 0;
  if (!t || !r || !outcome) return attrib__fail(err, ATTRIB_EINVAL, "attrib_rosenbaum_pairs_matched: NULL argument");
  if (r->n_pairs && !r->pairs)
    return attrib__fail(err, ATTRIB_EINVAL, "the matched pairs were not kept (psm keep_pairs)");
  size_t cy;
  attrib_status s = attrib_table_column_require(t, outcome, "outcome", &cy, err);
  if (s) return s;
  if (t->cols[cy].type != ATTRIB_COLUMN_NUMERIC)
    return attrib__fail(err, ATTRIB_ETYPE, "%s: the outcome column must be numeric", t->source);
  double *v = attrib__malloc(r->n_pairs ? r->n_pairs : 1, sizeof *v);
  if (!v) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  const double *y = t->cols[cy].values;
  for (size_t q = 0; q < r->n_pairs; q++) v[q] = y[r->pairs[q].treated_row] - y[r->pairs[q].control_row];
  *d = v, *n = r->n_pairs;
  return ATTRIB_OK;
}

void attrib_rosenbaum_pairs_free(double *d) { attrib__free(d); }
