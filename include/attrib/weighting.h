/*
 * Weighting estimators of a treatment effect from a fitted propensity
 * score (docs/methods/weighting.md):
 *   IPW  - normalised (Hajek) inverse-probability weighting, ATE or ATT, with
 *          the M-estimation sandwich that accounts for the estimated score
 *          (Lunceford & Davidian 2004, Stat. Med. 23);
 *   AIPW - augmented IPW (doubly robust), ATE, outcome regressions by OLS in
 *          each arm on the score model's covariates, SE from the influence
 *          function (Robins, Rotnitzky & Zhao 1994; Glynn & Quinn 2010).
 */
#ifndef ATTRIB_WEIGHTING_H
#define ATTRIB_WEIGHTING_H

#include <stddef.h>
#include <attrib/balance.h>
#include <attrib/design.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_weighting_method { ATTRIB_WEIGHT_IPW = 0, ATTRIB_WEIGHT_AIPW = 1 } attrib_weighting_method;

typedef struct attrib_weighting_result {
  attrib_weighting_method method;
  attrib_estimand estimand;
  double estimate, std_error;
  double mean_treated, mean_control; /* the weighted (IPW) or augmented (AIPW) potential-outcome means */
  size_t n, n_treated, n_control;
  double ess_treated, ess_control;    /* (sum w)^2 / sum w^2 of the IPW weights */
} attrib_weighting_result;

/*
 * ps_design: the propensity model's design (response = treatment 0/1, its
 *   columns the covariates, logit link assumed for the IPW sandwich);
 * e: its n fitted scores, strictly inside (0, 1); y: n outcomes (borrowed).
 * Returns ATTRIB_OK, ATTRIB_EINVAL (AIPW for an ATT, sampling weights in the
 * design, a score outside (0, 1)), ATTRIB_ENODATA, ATTRIB_ENUMERIC, ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_weighting_fit(const attrib_design *ps_design, const double *e, const double *y,
                                              attrib_weighting_method method, attrib_estimand estimand,
                                              attrib_weighting_result *out, attrib_error *err);

/* The same, also writing each unit's influence value into psi (n values,
 * estimate - truth ~ (1/n) sum psi_i, so that SE^2 = sum psi_i^2 / n^2):
 * the input of a multiplier bootstrap. */
ATTRIB_API attrib_status attrib_weighting_fit_influence(const attrib_design *ps_design, const double *e, const double *y,
                                                        attrib_weighting_method method, attrib_estimand estimand,
                                                        attrib_weighting_result *out, double *psi, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
