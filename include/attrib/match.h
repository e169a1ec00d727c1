/*
 * Nearest-neighbour matching on a scalar distance (the propensity score or
 * its logit): the engine under attrib psm (docs/methods/matching.md).
 *
 * Rules, all deterministic:
 *  - Controls are ordered by (distance, unit rank); the rank is the unit's
 *    position in id order, supplied by the caller, so shuffling the input
 *    rows never changes the matches.
 *  - Treated units are processed in the chosen order (largest or smallest
 *    distance first, random with a seed, or id order), ties by rank.
 *  - The nearest control minimises |d_t - d_c|; equal distances go to the
 *    smaller rank. A caliper excludes controls farther than it.
 *  - Without replacement a control is used once, and ratio k runs in k
 *    rounds: every treated unit takes its first control, then its second,
 *    ... (a treated unit that finds none stops). With replacement every
 *    treated unit takes its k nearest controls.
 * Cost: n log n (sorting); each lookup is amortised O(1) (union-find over
 * used controls) without replacement, O(k + ties) with it.
 */
#ifndef ATTRIB_MATCH_H
#define ATTRIB_MATCH_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/balance.h>
#include <attrib/design.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_match_order {
  ATTRIB_MATCH_LARGEST = 0, /* largest distance first (MatchIt's default) */
  ATTRIB_MATCH_SMALLEST,
  ATTRIB_MATCH_RANDOM,      /* a permutation drawn from seed */
  ATTRIB_MATCH_ID           /* unit id order */
} attrib_match_order;

typedef struct attrib_match_options {
  size_t ratio;              /* controls per treated unit, default 1 */
  int replace;               /* default 0 */
  double caliper;            /* maximum |distance difference|; <= 0 = none */
  attrib_match_order order;  /* default largest */
  unsigned long seed;        /* for ATTRIB_MATCH_RANDOM */
} attrib_match_options;

typedef struct attrib_matches {
  size_t n_pairs;
  size_t *treated;           /* n_pairs unit indices, grouped by treated unit in matching order */
  size_t *control;           /* n_pairs unit indices */
  double *distance;          /* n_pairs |d_t - d_c| */
  size_t n_treated;          /* treated units offered for matching */
  size_t n_treated_matched;  /* with at least one control */
  size_t n_controls_used;    /* distinct controls */
} attrib_matches;

ATTRIB_API void attrib_match_options_init(attrib_match_options *opts);

/* Checks the options (ratio >= 1, caliper finite). */
ATTRIB_API attrib_status attrib_match_check(const attrib_match_options *opts, attrib_error *err);

/*
 * Matches every unit with treat[i] = 1 to units with treat[i] = 0.
 *   distance, treat: n values (borrowed); distance must be finite.
 *   rank: n distinct values 0..n-1 giving each unit's position in id order
 *         (borrowed; NULL = row order, which makes results depend on it).
 * out: new matches, freed with attrib_matches_free. Returns ATTRIB_OK (also
 * when some treated units find no control: n_treated_matched says how
 * many), ATTRIB_EINVAL, ATTRIB_ENODATA (no treated or no control units),
 * ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_match_nearest(const double *distance, const int *treat, const size_t *rank, size_t n,
                                              const attrib_match_options *opts, attrib_matches **out,
                                              attrib_error *err);

ATTRIB_API void attrib_matches_free(attrib_matches *m);

/*
 * The ATT of matching with replacement and its Abadie & Imbens (2006,
 * Econometrica 74(1)) standard error under a constant conditional variance,
 * as R's Matching::Match computes it by default (Var.calc = 0):
 *   tau = mean over matched treated t of tau_t = y_t - mean of its controls;
 *   V = [ sum_t (tau_t - tau)^2 + s2 sum_c (K_c^2 - KK_c) ] / N1^2,
 *   K_c = sum over the treated using c of 1/M_t, KK_c = sum of 1/M_t^2,
 *   s2 = half the pair-weighted mean of (y_t - y_c - tau)^2 (weights 1/M_t).
 * y: n outcomes (borrowed); m: from attrib_match_nearest. Returns
 * ATTRIB_ENODATA when no treated unit was matched.
 */
/*
 * Weights and matched sets implied by matching without replacement, with
 * MatchIt's conventions for the ATT: a matched treated unit weighs 1; a
 * matched control weighs 1/k (k = controls in its set), and the control
 * weights are then scaled to sum to the number of matched controls; unused
 * units weigh 0 and have set -1.
 *   weights: n values; subclass: n set ids (0..n_treated_matched-1) or -1.
 * Returns ATTRIB_EINVAL when a control appears in two sets (matching with
 * replacement has no matched sets).
 */
ATTRIB_API attrib_status attrib_match_weights(const attrib_matches *m, size_t n, double *weights, int *subclass,
                                              attrib_error *err);

/*
 * The ATT after matching without replacement and its standard error as
 * MatchIt's documentation recommends: the coefficient of treatment in the
 * weighted regression y ~ 1 + treat over the matched units, with CR1
 * cluster-robust errors by matched set (t with G - 1 df is the caller's).
 */
ATTRIB_API attrib_status attrib_match_att_sets(const double *y, const int *treat, const double *weights,
                                               const int *subclass, size_t n, double *estimate, double *std_error,
                                               size_t *n_sets, attrib_error *err);

ATTRIB_API attrib_status attrib_match_att_ai(const double *y, size_t n, const attrib_matches *m, double *estimate,
                                             double *std_error, attrib_error *err);

/*
 * The ATE of matching with replacement: every unit is matched to its M
 * nearest of the other group (to_control: the treated units' matches,
 * to_treated: the controls' matches, from attrib_match_nearest with the
 * treatment flipped). tau_i = (imputed) y_i(1) - y_i(0); tau = mean tau_i;
 * Abadie-Imbens variance with a constant conditional variance, as
 * Matching::Match(estimand = "ATE") computes it:
 *   V = sum_i [ s2 (K_i^2 + 2 K_i - KK_i) + (tau_i - tau)^2 ] / N^2,
 * K_i, KK_i counting the uses of unit i from either direction.
 */
ATTRIB_API attrib_status attrib_match_ate_ai(const double *y, size_t n, const attrib_matches *to_control,
                                             const attrib_matches *to_treated, double *estimate, double *std_error,
                                             attrib_error *err);

/*
 * The same with Abadie & Imbens's (2011, JBES 29(1)) bias correction, as
 * Matching::Match(BiasAdjust = TRUE) does it for the ATT: the controls'
 * outcomes are regressed on (1, Z) with the number of times each was used
 * (K_c) as weights, giving slopes alpha; every pair difference becomes
 * y_t - y_c - (z_t - z_c)' alpha, and the variance above uses the adjusted
 * differences. Z: n-by-kz covariates, column-major, leading dimension ldz
 * (borrowed; Matching's default Z is the matching variable itself).
 */
ATTRIB_API attrib_status attrib_match_att_ai_bc(const double *y, const double *Z, size_t kz, size_t ldz, size_t n,
                                                const attrib_matches *m, double *estimate, double *std_error,
                                                attrib_error *err);

/*
 * The change in the variance of a matching estimator when the score it
 * matched on was estimated by maximum likelihood (Abadie & Imbens 2016,
 * Econometrica 84(2), Theorems 1-2; formulas in src/estimate/match_psadjust.c):
 * V = V_AI2006 + adjust. Valid for nearest-neighbour matching with
 * replacement on the whole sample (no caliper, discarding or strata).
 *   design: the score model's design (rows = the matched sample);
 *   vcov: its k x k model-based covariance (NaN rows for aliased columns);
 *   p, dens: n fitted probabilities and cdf derivatives f(x'theta);
 *   dist: the matching distance; treat, y: n values; rank: n id ranks or NULL;
 *   estimand: ATT, ATC or ATE; tau: the estimate in its own orientation
 *   (for the ATC, the flipped problem's ATT, i.e. minus the ATC);
 *   L: the neighbours estimating conditional moments (Stata's nn(2): 2).
 */
ATTRIB_API attrib_status attrib_match_ps_adjust(const attrib_design *design, const double *vcov, const double *p,
                                                const double *dens, const double *dist, const int *treat,
                                                const double *y, const size_t *rank, attrib_estimand estimand,
                                                double tau, size_t L, double *adjust, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
