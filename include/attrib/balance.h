/*
 * Covariate balance between treated and control units, before and after
 * matching or weighting, with cobalt's conventions (Greifer, cobalt FAQ):
 *  - continuous terms: standardised mean difference
 *    SMD = (weighted treated mean - weighted control mean) / s*, where s* is
 *    computed once, before adjustment, from the estimand: the treated
 *    group's SD (ATT), the controls' (ATC) or sqrt((s1^2 + s0^2) / 2) (ATE);
 *  - binary (0/1) terms: the raw difference in proportions (cobalt's
 *    default binary = "raw");
 *  - variance ratio treated / control of weighted variances with
 *    reliability weights, sum w (x - m)^2 / (sum w - sum w^2 / sum w),
 *    for continuous terms only.
 */
#ifndef ATTRIB_BALANCE_H
#define ATTRIB_BALANCE_H

#include <stddef.h>
#include <attrib/design.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_estimand {
  ATTRIB_ESTIMAND_ATT = 0,
  ATTRIB_ESTIMAND_ATC = 1,
  ATTRIB_ESTIMAND_ATE = 2
} attrib_estimand;

/* "att", "atc", "ate"; ATTRIB_EINVAL otherwise. */
ATTRIB_API attrib_status attrib_estimand_parse(const char *s, attrib_estimand *out, attrib_error *err);
ATTRIB_API const char *attrib_estimand_name(attrib_estimand e);

typedef struct attrib_balance_row {
  char *term;
  int binary;                 /* every value 0 or 1: differences are raw */
  double mean_treated_before, mean_control_before, diff_before;
  double mean_treated_after, mean_control_after, diff_after;
  double var_ratio_before, var_ratio_after; /* NaN for binary terms */
} attrib_balance_row;

typedef struct attrib_balance {
  attrib_estimand estimand;
  size_t k;
  attrib_balance_row *rows;
  size_t n_treated, n_control;
  double ess_treated, ess_control;             /* (sum w)^2 / sum w^2 after adjustment */
  double share_balanced_before, share_balanced_after; /* share of terms with |diff| < 0.1 */
  double max_abs_diff_before, max_abs_diff_after;
} attrib_balance;

/*
 * Balance of every column of the design but the intercept.
 *   treat: d->n values 0/1 (borrowed); w_after: d->n adjustment weights
 *   (matching or weighting; 0 = unit unused) or NULL for "no adjustment".
 *   The design's own weights, if any, act as sampling weights on both sides.
 * out: freed with attrib_balance_free. Returns ATTRIB_OK, ATTRIB_ENODATA
 * (a group is empty before or after adjustment), ATTRIB_EINVAL, ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_balance_compute(const attrib_design *d, const int *treat, const double *w_after,
                                                attrib_estimand est, attrib_balance **out, attrib_error *err);

ATTRIB_API void attrib_balance_free(attrib_balance *b);

#ifdef __cplusplus
}
#endif

#endif
