/*
 * Omitted-variable bias for OLS (Cinelli & Hazlett 2020) (include/attrib/sensitivity.h,
 * docs/methods/sensitivity.md).
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include <attrib/sensitivity.h>
#include "core/attrib_internal.h"

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

