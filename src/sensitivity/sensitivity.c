/*
 * E-values and Rosenbaum bounds (include/attrib/sensitivity.h,
 * docs/methods/sensitivity.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/sensitivity.h>
#include "core/attrib_internal.h"
#include "core/parallel.h"

/* ---- E-values (VanderWeele & Ding 2017, Ann. Intern. Med. 167(4)) -------- */

attrib_status attrib_evalue_type_parse(const char *s, attrib_evalue_type *out, attrib_error *err) {
  static const char *const names[] = {"rr", "or-rare", "or-common", "hr", "smd"};
  for (int i = 0; s && i < 5; i++)
    if (!strcmp(s, names[i])) return *out = (attrib_evalue_type)i, ATTRIB_OK;
  return attrib__fail(err, ATTRIB_EINVAL, "unknown effect type '%s' (rr, or-rare, or-common, hr, smd)", s ? s : "");
}

/* the type's scale -> the risk-ratio scale (the paper's Table and eq. 2-4) */
static double to_rr(double v, attrib_evalue_type t, double sd) {
  switch (t) {
  case ATTRIB_EVALUE_OR_COMMON: return sqrt(v); /* VanderWeele (2017): RR ~ sqrt(OR) for common outcomes */
  case ATTRIB_EVALUE_SMD: {
    double d = sd > 0 ? v / sd : v;
    return exp(0.91 * d); /* RR ~ exp(0.91 d) (VanderWeele & Ding 2017, eq. 4) */
  }
  default: return v; /* RR; OR and HR with a rare outcome */
  }
}

static double evalue_of(double rr) {
  if (rr < 1.0) rr = 1.0 / rr;
  return rr + sqrt(rr * (rr - 1.0));
}

attrib_status attrib_evalue_compute(double est, double lo, double hi, attrib_evalue_type type, double sd,
                                    attrib_evalue *out, attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_evalue_compute: NULL argument");
  if (!isfinite(est)) return attrib__fail(err, ATTRIB_EINVAL, "the estimate must be a number");
  if (type != ATTRIB_EVALUE_SMD && !(est > 0))
    return attrib__fail(err, ATTRIB_EINVAL, "a ratio estimate must be positive, got %g", est);
  int has_ci = !isnan(lo) || !isnan(hi);
  if (has_ci && (isnan(lo) || isnan(hi) || !(lo <= est && est <= hi)))
    return attrib__fail(err, ATTRIB_EINVAL, "the interval [%g, %g] must contain the estimate %g", lo, hi, est);
  if (has_ci && type != ATTRIB_EVALUE_SMD && !(lo > 0))
    return attrib__fail(err, ATTRIB_EINVAL, "a ratio's interval must be positive, got a lower limit of %g", lo);
  out->rr = to_rr(est, type, sd);
  out->rr_low = has_ci ? to_rr(lo, type, sd) : NAN;
  out->rr_high = has_ci ? to_rr(hi, type, sd) : NAN;
  out->evalue_estimate = evalue_of(out->rr);
  out->evalue_ci = NAN;
  if (has_ci) {
    /* the limit closer to the null; 1 when the interval contains the null */
    if (out->rr_low <= 1.0 && out->rr_high >= 1.0) out->evalue_ci = 1.0;
    else out->evalue_ci = evalue_of(out->rr >= 1.0 ? out->rr_low : out->rr_high);
  }
  return ATTRIB_OK;
}

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
  if (p_bound(T, S, Q, 0.5) > alpha) {
    r->critical_gamma = 1.0; /* not significant even without hidden bias */
  } else {
    double lo = 1.0, hi = 2.0;
    while (p_bound(T, S, Q, hi / (1.0 + hi)) <= alpha && hi < 1e6) lo = hi, hi *= 2.0;
    if (hi < 1e6) {
      for (int it = 0; it < 200 && hi - lo > 1e-10 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        if (p_bound(T, S, Q, mid / (1.0 + mid)) <= alpha) lo = mid;
        else hi = mid;
      }
      r->critical_gamma = 0.5 * (lo + hi);
    }
  }
  attrib__free(buf), attrib__free(w);
  *out = r;
  return ATTRIB_OK;
}

/* ---- omitted-variable bias (Cinelli & Hazlett 2020) --------------------------- */

static double rv_formula(double f) { return f <= 0.0 ? 0.0 : 0.5 * (sqrt(f * f * f * f + 4.0 * f * f) - f * f); }

attrib_status attrib_ovb_compute(double estimate, double se, double dof, double q, double alpha, attrib_ovb *out,
                                 attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ovb_compute: NULL argument");
  if (!(se > 0) || !(dof > 1)) return attrib__fail(err, ATTRIB_EDESIGN, "the treatment's SE and residual df must be positive");
  if (!(q > 0)) return attrib__fail(err, ATTRIB_EINVAL, "q must be positive, got %g", q);
  if (!(alpha > 0 && alpha < 1)) return attrib__fail(err, ATTRIB_EINVAL, "alpha must lie in (0, 1)");
  double t = estimate / se, f = fabs(t) / sqrt(dof);
  out->estimate = estimate, out->std_error = se, out->t = t, out->dof = dof, out->q = q, out->alpha = alpha;
  out->partial_r2_treat = t * t / (t * t + dof);
  /* RV_q (eq. 18): f_q = q |f|; RV_{q,alpha}: f_q minus the critical
   * |t_{1-alpha/2, df-1}| / sqrt(df - 1), as sensemakr's robustness_value */
  out->rv_q = rv_formula(q * f);
  double fcrit = gsl_cdf_tdist_Qinv(alpha / 2.0, dof - 1.0) / sqrt(dof - 1.0);
  out->rv_qa = rv_formula(q * f - fcrit);
  return ATTRIB_OK;
}

double attrib_ovb_adjusted(const attrib_ovb *o, double r2dz_x, double r2yz_dx) {
  double bias = o->std_error * sqrt(r2yz_dx * r2dz_x / (1.0 - r2dz_x)) * sqrt(o->dof);
  return o->estimate >= 0 ? o->estimate - bias : o->estimate + bias;
}

attrib_status attrib_ovb_bound_compute(const attrib_ovb *o, double r2dxj_x, double r2yxj_dx, double kd, double ky,
                                       attrib_ovb_bound *out, attrib_error *err) {
  if (!o || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ovb_bound_compute: NULL argument");
  if (!(kd > 0) || !(ky > 0)) return attrib__fail(err, ATTRIB_EINVAL, "kd and ky must be positive");
  if (!(kd * r2dxj_x < 1.0))
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "a confounder %g times as strong as the benchmark would explain all of the treatment "
                        "(kd x partial R2 = %g >= 1): lower kd", kd, kd * r2dxj_x);
  /* Cinelli & Hazlett (2020) sec. 6.1 (sensemakr's ovb_partial_r2_bound) */
  double r2dz = kd * r2dxj_x / (1.0 - kd * r2dxj_x);
  double r2zxj = kd * r2dxj_x * r2dxj_x / ((1.0 - kd * r2dxj_x) * (1.0 - r2dxj_x));
  double a = (sqrt(ky) + sqrt(r2zxj)) / sqrt(1.0 - r2zxj);
  double r2yz = a * a * r2yxj_dx / (1.0 - r2yxj_dx);
  out->capped = r2yz > 1.0;
  if (r2yz > 1.0) r2yz = 1.0;
  out->kd = kd, out->ky = ky, out->r2dz_x = r2dz, out->r2yz_dx = r2yz;
  out->adjusted_estimate = attrib_ovb_adjusted(o, r2dz, r2yz);
  out->adjusted_se = o->std_error * sqrt((1.0 - r2yz) / (1.0 - r2dz)) * sqrt(o->dof / (o->dof - 1.0));
  out->adjusted_t = out->adjusted_se > 0 ? out->adjusted_estimate / out->adjusted_se : NAN;
  double tc = gsl_cdf_tdist_Qinv(o->alpha / 2.0, o->dof - 1.0);
  out->adjusted_lower = out->adjusted_estimate - tc * out->adjusted_se;
  out->adjusted_upper = out->adjusted_estimate + tc * out->adjusted_se;
  return ATTRIB_OK;
}

/* ---- break-even confounding ---------------------------------------------------- */

double attrib_ovb_breakeven_rv(const attrib_ovb *o, double target) {
  if (!(o->estimate != 0.0)) return 0.0;
  double q = 1.0 - target / o->estimate;
  if (!(q > 0.0)) return 0.0;
  return rv_formula(q * fabs(o->t) / sqrt(o->dof));
}

double attrib_evalue_to(double rr, double target_rr) {
  if (!(rr > 0) || !(target_rr > 0)) return NAN;
  double ratio = rr / target_rr;
  if ((rr >= 1.0 && ratio <= 1.0) || (rr < 1.0 && ratio >= 1.0)) return 1.0; /* already at or past the target */
  return evalue_of(ratio);
}

double attrib_rosenbaum_breakeven_gamma(const double *d, size_t n, int keep_zeros, double target) {
  ar *buf = malloc(n * sizeof *buf);
  double *w = malloc(n * sizeof *w);
  double out = NAN;
  if (!buf || !w || n < 2) goto done;
  /* hl_lower(Gamma) falls as Gamma grows */
  if (hl_bound(d, n, keep_zeros, 0.5, w, buf) <= target) {
    out = 1.0;
    goto done;
  }
  double lo = 1.0, hi = 2.0;
  while (hl_bound(d, n, keep_zeros, hi / (1.0 + hi), w, buf) > target && hi < 1e6) lo = hi, hi *= 2.0;
  if (hi >= 1e6) goto done;
  for (int it = 0; it < 100 && hi - lo > 1e-8 * hi; it++) {
    double mid = 0.5 * (lo + hi);
    if (hl_bound(d, n, keep_zeros, mid / (1.0 + mid), w, buf) > target) lo = mid;
    else hi = mid;
  }
  out = 0.5 * (lo + hi);
done:
  free(buf), free(w);
  return out;
}

/* ---- specification sweeps -------------------------------------------------------- */

typedef struct spec_job {
  void (*run)(void *ctx, size_t i, attrib_spec_result *out);
  void *ctx;
  attrib_spec_result *results;
} spec_job;

static void spec_one(void *ctx, size_t i, size_t thread) {
  (void)thread;
  spec_job *j = ctx;
  memset(&j->results[i], 0, sizeof j->results[i]);
  j->run(j->ctx, i, &j->results[i]);
}

void attrib_spec_run(size_t n_specs, size_t threads, void (*run)(void *ctx, size_t i, attrib_spec_result *out),
                     void *ctx, attrib_spec_result *results) {
  spec_job j = {run, ctx, results};
  if (n_specs) attrib__parallel_chunks(n_specs, attrib__threads(threads, n_specs), spec_one, &j);
}
