/* Pilot design: MDE, n or power of a two-arm comparison (include/attrib/power.h,
 * docs/methods/power.md). */
#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "core/attrib_internal.h"
#include "power/power_internal.h"

void attrib_power_options_init(attrib_power_options *o) {
  memset(o, 0, sizeof *o);
  o->design = ATTRIB_POWER_RCT;
  o->n = NAN;
  o->mde = NAN;
  o->sd = 1.0;
  o->alpha = 0.05;
  o->sides = 2;
  o->power = 0.8;
  o->ratio = 1.0;
  o->treated_share = NAN;
  o->icc = NAN;
  o->cluster_size = NAN;
  o->rho = NAN;
  attrib_roi_input_init(&o->roi);
  o->reps = 1000;
  o->seed = 1;
}

/* ---- the noncentral t ------------------------------------------------------
 * AS 243 (Lenth 1989, Applied Statistics 38:185) with Guenther's (1978) twin
 * series, as R's nmath/pnt.c computes pt(t, df, ncp): the same recurrences,
 * iteration limit (1000) and error bound (1e-12), so the power agrees with
 * R's pwr to rounding. The regularised incomplete beta is GSL's. */
double attrib_power_pnt(double t, double df, double ncp) {
  if (!(df > 0.0) || isnan(t) || isnan(ncp)) return NAN;
  if (ncp == 0.0) return isinf(df) ? gsl_cdf_ugaussian_P(t) : gsl_cdf_tdist_P(t, df);
  if (isinf(t)) return t < 0 ? 0.0 : 1.0;
  int negdel;
  double tt, del;
  if (t >= 0.0) {
    negdel = 0, tt = t, del = ncp;
  } else {
    /* pt(t, df, ncp) <= pt(0, df, ncp) = Phi(-ncp): the left tail of a far
     * shifted t is 0 */
    if (ncp > 40) return 0.0;
    negdel = 1, tt = -t, del = -ncp;
  }
  if (df > 4e5 || del * del > 2 * M_LN2 * -(DBL_MIN_EXP)) {
    /* Abramowitz & Stegun 26.7.10, as R */
    double s = 1.0 / (4.0 * df);
    double z = (tt * (1.0 - s) - del) / sqrt(1.0 + tt * tt * 2.0 * s);
    return negdel ? gsl_cdf_ugaussian_Q(z) : gsl_cdf_ugaussian_P(z);
  }
  double x = t * t;
  x = x / (x + df);
  long double tnc;
  if (x > 0.0) {
    double lambda = del * del;
    long double p = 0.5 * exp(-0.5 * lambda);
    if (p == 0.0L) return negdel ? 1.0 : 0.0; /* underflow: del > 37.6 is caught above */
    long double q = sqrt(2.0 / M_PI) * p * del;
    long double s = 0.5L - p;
    if (s < 1e-7) s = -0.5 * expm1(-0.5 * lambda);
    double a = 0.5, b = 0.5 * df;
    double rxb = pow(1.0 - x, b);
    double albeta = 0.5 * log(M_PI) + gsl_sf_lngamma(b) - gsl_sf_lngamma(0.5 + b);
    long double xodd = gsl_sf_beta_inc(a, b, x);
    long double godd = 2.0 * rxb * exp(a * log(x) - albeta);
    double tb = b * x;
    long double xeven = tb < DBL_EPSILON ? tb : 1.0 - rxb;
    long double geven = tb * rxb;
    tnc = p * xodd + q * xeven;
    for (int it = 1; it <= 1000; it++) {
      a += 1.0;
      xodd -= godd;
      xeven -= geven;
      godd *= x * (a + b - 1.0) / a;
      geven *= x * (a + b - 0.5) / (a + 0.5);
      p *= lambda / (2 * it);
      q *= lambda / (2 * it + 1);
      tnc += p * xodd + q * xeven;
      s -= p;
      if (s < -1e-10) break; /* rounding: R warns and stops here too */
      if (s <= 0 && it > 1) break;
      double errbd = (double)(2.0L * s * (xodd - godd));
      if (fabs(errbd) < 1e-12) break;
    }
  } else {
    tnc = 0.0L;
  }
  tnc += gsl_cdf_ugaussian_P(-del);
  double v = (double)tnc < 1.0 ? (double)tnc : 1.0;
  return negdel ? 1.0 - v : v; /* the lower tail of t < 0 is the upper of -t under -ncp */
}

/* P(T > t), the upper tail, without the cancellation 1 - P(T <= t) makes
 * for a negative t: computed as the lower tail of -T (noncentrality -ncp). */
static double pnt_upper(double t, double df, double ncp) {
  if (isinf(df)) return gsl_cdf_ugaussian_Q(t - ncp);
  return 1.0 - attrib_power_pnt(t, df, ncp);
}

static double pnt_lower(double t, double df, double ncp) {
  if (isinf(df)) return gsl_cdf_ugaussian_P(t - ncp);
  return attrib_power_pnt(t, df, ncp);
}

double attrib__power_ncp(double ncp, double alpha, int sides, double df) {
  if (!(alpha > 0 && alpha < 1) || (sides != 1 && sides != 2) || !(df > 0) || isnan(ncp)) return NAN;
  double a = alpha / sides;
  double q = isinf(df) ? gsl_cdf_ugaussian_Qinv(a) : gsl_cdf_tdist_Qinv(a, df);
  /* pwr's two-sided power counts a rejection in either tail */
  double p = pnt_upper(q, df, ncp);
  if (sides == 2) p += pnt_lower(-q, df, ncp);
  return p;
}

double attrib_power_two_sample(double n_t, double n_c, double d, double alpha, int sides, double df) {
  if (!(n_t > 0 && n_c > 0) || isnan(d)) return NAN;
  return attrib__power_ncp(d / sqrt(1.0 / n_t + 1.0 / n_c), alpha, sides, df);
}

/* ---- the designs ------------------------------------------------------- */

static double share_of(const attrib_power_options *o) {
  if (!isnan(o->treated_share)) return o->treated_share;
  return o->ratio / (1.0 + o->ratio);
}

/* the design's factor on sd^2, with the covariates' (1 - r2) */
static double design_factor(const attrib_power_options *o, double *deff) {
  double f = 1.0 - o->r2;
  *deff = 1.0;
  if (o->design == ATTRIB_POWER_CLUSTER) *deff = 1.0 + (o->cluster_size - 1.0) * o->icc, f *= *deff;
  if (o->design == ATTRIB_POWER_DID) f *= 2.0 * (1.0 - o->rho);
  return f;
}

static int uses_normal(const attrib_power_options *o) { return o->normal || o->design == ATTRIB_POWER_MATCH; }

static double design_df(const attrib_power_options *o, double n) {
  if (uses_normal(o)) return INFINITY;
  if (o->design == ATTRIB_POWER_CLUSTER) return n / o->cluster_size - 2.0;
  return n - 2.0;
}

/* 1/n_t + 1/n_c at n learners. Matching 1:1 without replacement makes
 * min(n_t, n_c) pairs: the smaller group is matched whole, the rest of the
 * larger one is left out. */
static double inv_sum(const attrib_power_options *o, double n) {
  double p = share_of(o), nt = n * p, nc = n * (1.0 - p);
  if (o->design == ATTRIB_POWER_MATCH) return 2.0 / (nt < nc ? nt : nc);
  return 1.0 / nt + 1.0 / nc;
}

double attrib__power_at(const attrib_power_options *o, double n, double mde) {
  double deff, f = design_factor(o, &deff);
  double se = o->sd * sqrt(f * inv_sum(o, n));
  return attrib__power_ncp(mde / se, o->alpha, o->sides, design_df(o, n));
}

/* the smallest n the test can use: one learner in each arm, one degree of
 * freedom (cluster: one cluster in each arm and one df) */
static double n_floor(const attrib_power_options *o) {
  double p = share_of(o), small = p < 0.5 ? p : 1.0 - p;
  double unit = o->design == ATTRIB_POWER_CLUSTER ? o->cluster_size : 1.0;
  double lo = unit / small;
  if (!uses_normal(o) && lo < 3.0 * unit) lo = 3.0 * unit;
  return lo;
}

/* The MDE at n: the noncentrality with the target power, by bisection on
 * [0, hi] (power rises with the noncentrality) to the last bit. */
double attrib__power_mde(const attrib_power_options *o, double n) {
  double df = design_df(o, n);
  double lo = 0.0, hi = 1.0;
  while (attrib__power_ncp(hi, o->alpha, o->sides, df) < o->power && hi < 1e6) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    double mid = 0.5 * (lo + hi);
    if (attrib__power_ncp(mid, o->alpha, o->sides, df) < o->power) lo = mid;
    else hi = mid;
  }
  double deff, f = design_factor(o, &deff);
  return 0.5 * (lo + hi) * o->sd * sqrt(f * inv_sum(o, n));
}

/* The n at which mde has the target power: bisection on [floor, hi]; NaN
 * when even 1e9 learners fall short; the floor itself when it reaches it. */
double attrib__power_n(const attrib_power_options *o, double mde) {
  double lo = n_floor(o), hi = 2.0 * lo;
  if (attrib__power_at(o, lo, mde) >= o->power) return lo;
  while (attrib__power_at(o, hi, mde) < o->power) {
    if (hi > 1e9) return NAN;
    lo = hi, hi *= 2.0;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    double mid = 0.5 * (lo + hi);
    if (attrib__power_at(o, mid, mde) < o->power) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/* ---- checks -------------------------------------------------------------- */

attrib_status attrib_power_check(const attrib_power_options *o, attrib_error *err) {
  if (!o) return attrib__fail(err, ATTRIB_EINVAL, "power: NULL options");
  if (o->design < ATTRIB_POWER_RCT || o->design > ATTRIB_POWER_MATCH)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.design", "the design must be rct, cluster, did or match");
  int has_n = !isnan(o->n), has_mde = !isnan(o->mde);
  if (!has_n && !has_mde)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.n",
                               "power.n or power.mde is needed: power.n (the pilot's learners) solves the MDE, "
                               "power.mde (the effect) the learners needed, and both the power");
  if (!(o->alpha > 0 && o->alpha < 1))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.alpha", "the level must lie in (0, 1), got %g", o->alpha);
  if (o->sides != 1 && o->sides != 2)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.sides", "the test has 1 or 2 sides, got %d", o->sides);
  if (!(has_n && has_mde) && !(o->power > o->alpha && o->power < 1))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.power",
                               "the target power must lie in (power.alpha, 1) = (%g, 1): with no effect the test "
                               "rejects with probability power.alpha already; got %g", o->alpha, o->power);
  if (!(o->sd > 0 && isfinite(o->sd)))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.sd", "the outcome's SD must be a positive number, got %g",
                               o->sd);
  if (has_mde && !(o->mde > 0 && isfinite(o->mde)))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.mde", "the effect must be a positive number, got %g",
                               o->mde);
  if (!isnan(o->treated_share) && !(o->treated_share > 0 && o->treated_share < 1))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.treated_share",
                               "the treated share must lie in (0, 1), got %g", o->treated_share);
  if (isnan(o->treated_share) && !(o->ratio > 0 && isfinite(o->ratio)))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.ratio",
                               "the allocation ratio (treated : control) must be a positive number, got %g", o->ratio);
  if (!(o->r2 >= 0 && o->r2 < 1))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.r2",
                               "the covariates' R2 must lie in [0, 1), got %g", o->r2);
  int cluster = o->design == ATTRIB_POWER_CLUSTER;
  if (!cluster && (!isnan(o->icc) || !isnan(o->cluster_size)))
    return attrib__fail_option(err, ATTRIB_EUSAGE, !isnan(o->icc) ? "power.icc" : "power.cluster_size",
                               "the ICC and cluster size describe the cluster design (power.design cluster)");
  if (cluster && isnan(o->icc))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.icc",
                               "the cluster design needs the intra-cluster correlation");
  if (cluster && !(o->icc >= 0 && o->icc < 1))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.icc", "the ICC must lie in [0, 1), got %g", o->icc);
  if (cluster && isnan(o->cluster_size))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.cluster_size",
                               "the cluster design needs the learners per cluster");
  if (cluster && !(o->cluster_size >= 1 && o->cluster_size <= 1e6))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.cluster_size",
                               "the cluster size must lie in [1, 1e6], got %g", o->cluster_size);
  int did = o->design == ATTRIB_POWER_DID;
  if (!did && !isnan(o->rho))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.rho",
                               "the pre/post correlation describes the did design (power.design did)");
  if (did && isnan(o->rho))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.rho",
                               "the did design needs the outcome's pre/post correlation");
  if (did && !(o->rho >= -1 && o->rho < 1))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.rho", "the correlation must lie in [-1, 1), got %g",
                               o->rho);
  if (has_n) {
    if (!(isfinite(o->n) && o->n <= 1e9))
      return attrib__fail_option(err, ATTRIB_EUSAGE, "power.n", "the learners must be a number up to 1e9, got %g",
                                 o->n);
    double lo = n_floor(o);
    if (!(o->n >= lo))
      return attrib__fail_option(err, ATTRIB_EUSAGE, "power.n",
                                 cluster ? "%g learners are too few: the test needs at least %g (one cluster of %g in "
                                           "each arm and over 2 clusters)"
                                         : "%g learners are too few: the test needs at least %g (one learner in each "
                                           "arm and over 2 in all)",
                                 o->n, lo, o->cluster_size);
  }
  if (o->simulate) {
    if (o->design == ATTRIB_POWER_MATCH)
      return attrib__fail_option(err, ATTRIB_EUSAGE, "power.simulate",
                                 "simulation checks the rct, cluster and did designs");
    if (o->design == ATTRIB_POWER_DID && o->r2 > 0)
      return attrib__fail_option(err, ATTRIB_EUSAGE, "power.simulate",
                                 "the did simulation plants no covariate: use it with power.r2 0");
    if (o->reps < 10 || o->reps > 1000000)
      return attrib__fail_option(err, ATTRIB_EUSAGE, "power.reps", "the replicates must lie in [10, 1000000], got %zu",
                                 o->reps);
  }
  return ATTRIB_OK;
}

/* ---- run ------------------------------------------------------------------ */

void attrib_power_result_free(attrib_power_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_warnings; i++) attrib__free(r->warnings[i]);
  attrib__free(r->warnings);
  attrib__free(r);
}

static void fill_arms(const attrib_power_options *o, attrib_power_result *r, int solved_n) {
  double p = share_of(o);
  r->n_treated = r->n * p, r->n_control = r->n * (1.0 - p);
  if (o->design == ATTRIB_POWER_CLUSTER) {
    double m = o->cluster_size;
    r->clusters = r->n / m;
    /* whole clusters of m in each arm */
    double jt = solved_n ? ceil(r->n_treated / m - 1e-9) : round(r->n_treated / m);
    double jc = solved_n ? ceil(r->n_control / m - 1e-9) : round(r->n_control / m);
    r->n_treated_whole = (size_t)ceil(jt * m - 1e-9), r->n_control_whole = (size_t)ceil(jc * m - 1e-9);
  } else {
    r->clusters = NAN;
    r->n_treated_whole = (size_t)(solved_n ? ceil(r->n_treated - 1e-9) : round(r->n_treated));
    r->n_control_whole = (size_t)(solved_n ? ceil(r->n_control - 1e-9) : round(r->n_control));
  }
}

/* The ROI at the MDE and the n that detects the break-even effect. */
static attrib_status money(const attrib_power_options *o, attrib_power_result *r, attrib_error *err) {
  attrib_roi_input in = o->roi;
  if (!(in.learners > 0)) in.learners = r->n;
  /* a KPI whose unit costs money (churn at -8000 a leaver) pays when the
   * effect is negative: the MDE is a magnitude, taken in the paying direction */
  double dir = in.value_per_unit < 0 ? -1.0 : 1.0;
  r->roi_effect = dir * r->mde;
  in.effect = r->roi_effect, in.has_effect = 1, in.se = NAN;
  in.simulate = 0, in.draws = NULL, in.n_draws = 0, in.keep_draws = 0;
  attrib_roi_result *roi = NULL;
  attrib_status s = attrib_roi_compute(&in, &roi, err);
  if (s) return s;
  r->has_roi = 1;
  r->roi_learners = in.learners;
  r->mde_roi_pct = roi->roi_pct;
  r->breakeven_effect = roi->breakeven_effect;
  attrib_roi_result_free(roi);
  r->n_breakeven = NAN;
  if (!(dir * r->breakeven_effect > 0 && isfinite(r->breakeven_effect))) {
    if (attrib__strlist_push(&r->warnings, &r->n_warnings,
                             "the break-even effect is 0 or in the direction that loses money: any effect in the "
                             "paying direction pays, so no pilot size is needed to detect the break-even one"))
      return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    return ATTRIB_OK;
  }
  r->n_breakeven = attrib__power_n(o, fabs(r->breakeven_effect));
  if (isnan(r->n_breakeven) &&
      attrib__strlist_push(&r->warnings, &r->n_warnings,
                           "the break-even effect is too small to detect with up to 1e9 learners"))
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  return ATTRIB_OK;
}

attrib_status attrib_power_run(const attrib_power_options *o, attrib_power_result **out, attrib_error *err) {
  if (out) *out = NULL;
  attrib_status s = attrib_power_check(o, err);
  if (s) return s;
  attrib_power_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  r->design = o->design;
  r->alpha = o->alpha, r->sides = o->sides, r->seed = o->seed;
  r->test = uses_normal(o) ? "normal" : "noncentral t";
  r->design_factor = design_factor(o, &r->design_effect);
  int has_n = !isnan(o->n), has_mde = !isnan(o->mde);
  if (has_n && has_mde) {
    r->solved = "power", r->n = o->n, r->mde = o->mde;
    r->power = attrib__power_at(o, r->n, r->mde);
    r->target_power = NAN;
  } else if (has_n) {
    r->solved = "mde", r->n = o->n, r->target_power = o->power;
    r->mde = attrib__power_mde(o, r->n);
    r->power = attrib__power_at(o, r->n, r->mde);
  } else {
    r->solved = "n", r->mde = o->mde, r->target_power = o->power;
    r->n = attrib__power_n(o, r->mde);
    if (isnan(r->n)) {
      attrib_power_result_free(r);
      return attrib__fail_option(err, ATTRIB_ENUMERIC, "power.mde",
                                 "an effect of %g (%g SD) does not reach power %g with up to 1e9 learners", o->mde,
                                 o->mde / o->sd, o->power);
    }
    r->power = attrib__power_at(o, r->n, r->mde);
    if (r->n <= n_floor(o) &&
        attrib__strlist_push(&r->warnings, &r->n_warnings,
                             "the design's smallest size already reaches the power: n is that size")) {
      attrib_power_result_free(r);
      return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    }
  }
  fill_arms(o, r, !strcmp(r->solved, "n"));
  r->df = design_df(o, r->n);
  r->se = o->sd * sqrt(r->design_factor * inv_sum(o, r->n));
  r->effect_size = r->mde / o->sd;
  if (o->has_roi && (s = money(o, r, err))) {
    attrib_power_result_free(r);
    return s;
  }
  if (o->simulate && (s = attrib__power_simulate(o, r, err))) {
    attrib_power_result_free(r);
    return s;
  }
  *out = r;
  return ATTRIB_OK;
}
