/*
 * Sensitivity to unmeasured confounding (docs/methods/sensitivity.md):
 * E-values (VanderWeele & Ding 2017), Rosenbaum bounds for matched pairs
 * (Wilcoxon signed rank, Rosenbaum 2002 ch. 4) and omitted-variable bias
 * for OLS (Cinelli & Hazlett 2020).
 */
#ifndef ATTRIB_SENSITIVITY_H
#define ATTRIB_SENSITIVITY_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_evalue_type {
  ATTRIB_EVALUE_RR = 0,        /* risk ratio */
  ATTRIB_EVALUE_OR_RARE = 1,   /* odds ratio, outcome rare (< 15%): as a risk ratio */
  ATTRIB_EVALUE_OR_COMMON = 2, /* odds ratio, common outcome: RR ~ sqrt(OR) */
  ATTRIB_EVALUE_HR = 3,        /* hazard ratio, rare outcome: as a risk ratio */
  ATTRIB_EVALUE_SMD = 4        /* standardised mean difference d: RR ~ exp(0.91 d) */
} attrib_evalue_type;

typedef struct attrib_evalue {
  double rr, rr_low, rr_high;  /* on the risk-ratio scale */
  double evalue_estimate, evalue_ci;
} attrib_evalue;

/* est, lo, hi on the type's scale (lo, hi NaN = no interval); for SMD with
 * sd > 0 they are raw differences divided by sd first. */
ATTRIB_API attrib_status attrib_evalue_compute(double est, double lo, double hi, attrib_evalue_type type, double sd,
                                               attrib_evalue *out, attrib_error *err);
ATTRIB_API attrib_status attrib_evalue_type_parse(const char *s, attrib_evalue_type *out, attrib_error *err);

typedef struct attrib_rosenbaum_row {
  double gamma, p_upper, p_lower, hl_lower, hl_upper;
} attrib_rosenbaum_row;

typedef struct attrib_rosenbaum {
  size_t n_pairs, n_zero;      /* pairs, of which zero differences */
  int keep_zeros;              /* 1: zeros ranked then given rank 0 (DOS2); 0: dropped before ranking (rbounds) */
  size_t n_rows;
  attrib_rosenbaum_row *rows;
  double critical_gamma;       /* smallest Gamma with p_upper > alpha (refined between grid points); NaN if none */
  double alpha;
} attrib_rosenbaum;

/* d: n treated-minus-control pair differences; gammas: the grid (>= 1). */
ATTRIB_API attrib_status attrib_rosenbaum_compute(const double *d, size_t n, const double *gammas, size_t n_gamma,
                                                  double alpha, int keep_zeros, attrib_rosenbaum **out,
                                                  attrib_error *err);
ATTRIB_API void attrib_rosenbaum_free(attrib_rosenbaum *r);

/*
 * Omitted-variable bias for OLS (Cinelli & Hazlett 2020, JRSS B 82(1)).
 * From the treatment's t statistic and residual df: its partial R2
 * t^2 / (t^2 + df) and the robustness values RV_q and RV_{q,alpha}
 * (sec. 4.2: the partial R2 a confounder needs with both treatment and
 * outcome to move the estimate by 100q% or to make it insignificant).
 */
typedef struct attrib_ovb {
  double estimate, std_error, t, dof, q, alpha;
  double partial_r2_treat, rv_q, rv_qa;
} attrib_ovb;

ATTRIB_API attrib_status attrib_ovb_compute(double estimate, double se, double dof, double q, double alpha,
                                            attrib_ovb *out, attrib_error *err);

/*
 * Bounds from a benchmark covariate X_j (sec. 6.1): a confounder kd times
 * as strongly associated with the treatment and ky times with the outcome
 * as X_j. r2dxj_x: X_j's partial R2 in the treatment regression;
 * r2yxj_dx: in the outcome regression. Gives the confounder's partial R2s
 * and the adjusted estimate (bias reducing its magnitude), SE, t and CI.
 */
typedef struct attrib_ovb_bound {
  double kd, ky, r2dz_x, r2yz_dx;
  double adjusted_estimate, adjusted_se, adjusted_t, adjusted_lower, adjusted_upper;
  int capped; /* r2yz_dx was above 1 and set to 1 */
} attrib_ovb_bound;

ATTRIB_API attrib_status attrib_ovb_bound_compute(const attrib_ovb *o, double r2dxj_x, double r2yxj_dx, double kd,
                                                  double ky, attrib_ovb_bound *out, attrib_error *err);

/* Break-even confounding (the money version of a robustness value): the
 * equal partial R2 a confounder needs with treatment and outcome to bring
 * the estimate down to `target` (e.g. the ROI break-even effect from
 * attrib roi): RV_q with q = 1 - target / estimate; 0 when the estimate is
 * already at or beyond it. */
ATTRIB_API double attrib_ovb_breakeven_rv(const attrib_ovb *o, double target);

/* The E-value to move a risk ratio rr to the target ratio (VanderWeele &
 * Ding 2017, sec. "non-null"): the E-value of rr / target (or its inverse). */
ATTRIB_API double attrib_evalue_to(double rr, double target_rr);

/* The Gamma at which the lower Hodges-Lehmann bound of the pair
 * differences reaches `target` (bisection; 1 when it is already below,
 * NaN when even Gamma = 1e6 does not reach it). */
ATTRIB_API double attrib_rosenbaum_breakeven_gamma(const double *d, size_t n, int keep_zeros, double target);

/*
 * Specification sweeps: run(ctx, i, out) fits specification i and fills
 * out; specifications run in parallel on up to `threads` threads (each
 * fit should then use one thread), results land in spec order, so they do
 * not depend on the thread count. A failed specification keeps its status
 * and message; the sweep goes on.
 */
typedef struct attrib_spec_result {
  double estimate, std_error, ci_low, ci_high, p_value;
  size_t n_used;           /* e.g. matched treated units, or units */
  attrib_status status;
  char message[160];
} attrib_spec_result;

ATTRIB_API void attrib_spec_run(size_t n_specs, size_t threads,
                                void (*run)(void *ctx, size_t i, attrib_spec_result *out), void *ctx,
                                attrib_spec_result *results);

/* the adjusted estimate for a hypothetical confounder (r2dz_x, r2yz_dx) */
ATTRIB_API double attrib_ovb_adjusted(const attrib_ovb *o, double r2dz_x, double r2yz_dx);

#ifdef __cplusplus
}
#endif

#endif
