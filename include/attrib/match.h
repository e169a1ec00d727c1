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
 *  - With replacement every treated unit t gets its match set J_M(t) of
 *    Abadie & Imbens (2006, Econometrica 74(1), section 2): the M nearest
 *    controls and every control as near as the M-th nearest (ties are kept,
 *    as Matching::Match(ties = TRUE) and Stata's teffects do), each weighted
 *    1/#J_M(t). "As near" means |d_t - d_c| <= d_M + 1e-12 (1 + |d_t|),
 *    equality up to rounding, or, with a tie tolerance T > 0, also
 *    (d_t - d_c)^2 <= d_M^2 + T (Matching's distance.tolerance, which it
 *    applies to squared distances in SD units). A caliper excludes controls
 *    farther than it before the set is formed; a unit with fewer than M
 *    controls within it keeps those it has.
 *  - Without replacement a control is used once, and ratio k runs in k
 *    rounds: every treated unit takes its first control, then its second,
 *    ... (a treated unit that finds none stops). The nearest available
 *    control minimises |d_t - d_c|; equal distances go to the smaller rank
 *    (ties are broken: a control cannot be shared between matched sets).
 * Cost: n log n (sorting); each lookup is amortised O(1) (union-find over
 * used controls) without replacement, O(M + log(ties)) with it (a set is a
 * run of the sorted controls, whose ends are found by galloping search).
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
  double tie_tolerance;      /* with replacement: a control also ties the M-th nearest when its squared
                              * distance exceeds the M-th's by at most this (squared distance units);
                              * 0 (default): equal distances, up to rounding */
  attrib_match_order order;  /* default largest */
  unsigned long seed;        /* for ATTRIB_MATCH_RANDOM */
} attrib_match_options;

/*
 * The matched sets. Set s belongs to focal unit focal[s] (a treated unit, or
 * a control when the caller flipped the treatment) and holds the candidates
 * members[begin[s]] .. members[end[s] - 1], each weighing 1/(end[s] -
 * begin[s]) in it. With replacement, members lists every candidate sorted by
 * (distance, rank) and each set is a run of it (runs overlap: one control
 * serves several sets), so ties cost no memory however many there are;
 * without replacement each set's controls follow one another in the order
 * they were taken (runs are disjoint).
 */
typedef struct attrib_matches {
  int replace;               /* the representation above */
  size_t n_sets;             /* focal units with at least one match, in matching order */
  size_t *focal;             /* n_sets unit indices */
  size_t *begin, *end;       /* n_sets offsets into members */
  size_t n_members;
  size_t *members;           /* candidate unit indices */
  size_t n_pairs;            /* (focal, candidate) pairs: the sum of the set sizes */
  size_t n_tied;             /* sets holding more than the ratio: ties kept */
  size_t n_treated;          /* focal units offered for matching */
  size_t n_treated_matched;  /* with at least one match (= n_sets) */
  size_t n_controls_used;    /* distinct candidates in some set */
} attrib_matches;

ATTRIB_API void attrib_match_options_init(attrib_match_options *opts);

/* Checks the options (ratio >= 1, caliper finite, tie tolerance finite and >= 0). */
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
 * K_i and KK_i of Abadie & Imbens (2006, eq. 6 and Theorem 7): the number of
 * times unit i is used as a match, each use weighted 1/M_s by the size of
 * the set s using it, and the sum of those weights squared. Both are added
 * to K and KK (n values each; KK may be NULL), so two directions (the ATE)
 * accumulate. Returns ATTRIB_ENOMEM or ATTRIB_OK.
 */
ATTRIB_API attrib_status attrib_match_uses(const attrib_matches *m, size_t n, double *K, double *KK, attrib_error *err);

/*
 * Weights and matched sets implied by matching without replacement, with
 * MatchIt's conventions for the ATT: a matched treated unit weighs 1; a
 * matched control weighs 1/k (k = controls in its set), and the control
 * weights are then scaled to sum to the number of matched controls; unused
 * units weigh 0 and have set -1.
 *   weights: n values; subclass: n set ids (0..n_treated_matched-1) or -1.
 * Returns ATTRIB_EINVAL for matches made with replacement (a control can
 * then serve several sets, so there are no matched sets).
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

/*
 * The ATT of matching with replacement and its Abadie & Imbens (2006,
 * Econometrica 74(1)) standard error under a constant conditional variance,
 * as R's Matching::Match computes it by default (Var.calc = 0):
 *   tau = mean over matched treated t of tau_t = y_t - mean of its set J_t;
 *   V = [ sum_t (tau_t - tau)^2 + s2 sum_c (K_c^2 - KK_c) ] / N1^2,
 *   K_c = sum over the sets using c of 1/M_t (M_t = #J_t, ties included),
 *   KK_c = sum of 1/M_t^2,
 *   s2 = half the pair-weighted mean of (y_t - y_c - tau)^2 (weights 1/M_t).
 * y: n outcomes (borrowed); m: from attrib_match_nearest with replacement.
 * Returns ATTRIB_ENODATA when no treated unit was matched.
 */
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
 *   L: the neighbours estimating conditional moments (Stata's nn(2): 2);
 *      units as near as the L-th are included too (the tie rule of the
 *      matching, with its tie_tolerance in squared distance units).
 */
ATTRIB_API attrib_status attrib_match_ps_adjust(const attrib_design *design, const double *vcov, const double *p,
                                                const double *dens, const double *dist, const int *treat,
                                                const double *y, const size_t *rank, attrib_estimand estimand,
                                                double tau, size_t L, double tie_tolerance, double *adjust,
                                                attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
