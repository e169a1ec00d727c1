/*
 * E-values (VanderWeele & Ding 2017) (include/attrib/sensitivity.h,
 * docs/methods/sensitivity.md).
 */
#include <math.h>
#include <string.h>

#include <attrib/sensitivity.h>
#include "core/attrib_internal.h"

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
  /* rr (rr - 1) overflows above 1.3e154: the square root of each factor
   * then, so the E-value is finite as long as it fits a double */
  return rr < 1e150 ? rr + sqrt(rr * (rr - 1.0)) : rr + sqrt(rr) * sqrt(rr - 1.0);
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
  /* an estimate so far from the null (a ratio near 1e308, or 1/1e308; a
   * difference of 800 SDs) that its E-value is beyond a double: inf with
   * exit 0 before (issue 15) */
  static const char *const limit[3] = {"evalue.estimate", "evalue.ci_low", "evalue.ci_high"};
  double given[3] = {est, lo, hi}, e[3] = {out->evalue_estimate, out->evalue_ci, out->evalue_ci};
  double rr[3] = {out->rr, out->rr_low, out->rr_high};
  for (int k = 0; k < 3; k++)
    if (isinf(e[k]) || isinf(rr[k]) || (rr[k] == 0.0))
      return attrib__fail_option(err, ATTRIB_EUSAGE, limit[k],
                                 "%g is a risk ratio of %g on the scale of the E-value, whose E-value is beyond the "
                                 "largest number (1.8e308): no effect is that far from the null", given[k], rr[k]);
  return ATTRIB_OK;
}

double attrib_evalue_to(double rr, double target_rr) {
  if (!(rr > 0) || !(target_rr > 0)) return NAN;
  double ratio = rr / target_rr;
  if ((rr >= 1.0 && ratio <= 1.0) || (rr < 1.0 && ratio >= 1.0)) return 1.0; /* already at or past the target */
  return evalue_of(ratio);
}


attrib_status attrib_evalue_breakeven(const attrib_evalue *e, double target, attrib_evalue_type type, double sd,
                                      double *out, attrib_error *err) {
  if (!e || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_evalue_breakeven: NULL argument");
  *out = NAN;
  /* the target on the estimate's scale -> its risk ratio, as the estimate's was made */
  attrib_evalue t;
  attrib_status s = attrib_evalue_compute(target, NAN, NAN, type, sd, &t, err);
  if (s) return s;
  *out = attrib_evalue_to(e->rr, t.rr);
  return ATTRIB_OK;
}
