/*
 * Sensitivity of an event study to violations of parallel trends
 * (Rambachan & Roth 2023, "A More Credible Approach to Parallel Trends",
 * Review of Economic Studies 90(5); docs/methods/honest_did.md).
 *
 * Input: event-study coefficients beta = (pre periods, earliest first; then
 * post periods, first first), the reference period (event time -1) omitted,
 * and their covariance Sigma. Write beta = tau + delta, with tau_pre = 0:
 * delta is the bias from non-parallel trends, delta_0 = 0 at the reference
 * period. The target is theta = l' tau_post. A restriction bounds delta:
 *
 *  - relative magnitudes, Delta^RM(Mbar): every post-period change
 *    |delta_t - delta_{t-1}| (t >= 1) is at most Mbar times the largest
 *    pre-period change max_{s <= 0} |delta_s - delta_{s-1}|. Mbar = 0 is
 *    parallel trends after treatment; Mbar = 1 allows post changes as large
 *    as the worst pre change. Confidence sets by inverting the conditional
 *    test of Andrews, Roth & Pakes (2023, ARP), or its least-favourable
 *    hybrid (the R package HonestDiD's default "C-LF"), over a grid of
 *    theta, as the union over which pre change is the largest and its
 *    sign (HonestDiD's computeConditionalCS_DeltaRM).
 *  - smoothness, Delta^SD(M): every second difference
 *    |(delta_t - delta_{t-1}) - (delta_{t-1} - delta_{t-2})| is at most M
 *    (over all periods, pre and post). M = 0 is an exactly linear trend,
 *    extrapolated. Confidence intervals: the optimal fixed-length interval
 *    (FLCI, Armstrong & Kolesar 2018; HonestDiD's findOptimalFLCI).
 *
 * The library computes; it names no CLI flag. Sets are reported honestly:
 * empty (no theta accepted), bounded, or unbounded on a side (accepted at
 * the edge of the widest grid tried: the end is -inf or +inf).
 */
#ifndef ATTRIB_HONEST_DID_H
#define ATTRIB_HONEST_DID_H

#include <stddef.h>
#include <stdint.h>
#include <attrib/did.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_honest_restriction {
  ATTRIB_HONEST_RM = 0, /* relative magnitudes, Delta^RM(Mbar) */
  ATTRIB_HONEST_SD = 1  /* smoothness, Delta^SD(M) */
} attrib_honest_restriction;

typedef enum attrib_honest_method {
  ATTRIB_HONEST_AUTO = 0,        /* FLCI for SD, least-favourable hybrid for RM (HonestDiD's defaults) */
  ATTRIB_HONEST_FLCI = 1,        /* optimal fixed-length CI (SD only) */
  ATTRIB_HONEST_CONDITIONAL = 2, /* ARP conditional test, inverted (RM only) */
  ATTRIB_HONEST_HYBRID_LF = 3    /* ARP conditional / least-favourable hybrid, kappa = alpha / 10 (RM only) */
} attrib_honest_method;

/* How a confidence set came out. */
typedef enum attrib_honest_shape {
  ATTRIB_HONEST_BOUNDED = 0,    /* [ci_low, ci_high] */
  ATTRIB_HONEST_EMPTY = 1,      /* no theta accepted: the data reject the restriction itself (ci NaN) */
  ATTRIB_HONEST_UNBOUNDED = 2   /* one or both ends infinite: accepted at the edge of the widest grid */
} attrib_honest_shape;

typedef struct attrib_honest_options {
  attrib_honest_restriction restriction; /* default ATTRIB_HONEST_RM */
  attrib_honest_method method;           /* default ATTRIB_HONEST_AUTO */
  double level;                          /* confidence level, default 0.95 (alpha = 1 - level) */
  /* The target theta = l' tau_post: l (n_post weights, copied) when not
   * NULL; else the effect at post period target_event (0 = first post
   * period) when target_event < n_post; else (the default) the average of
   * the post-period effects, l = 1 / n_post. */
  const double *l;
  size_t target_event; /* default SIZE_MAX: not used */
  /* Test inversion for RM: grid_points values of theta evenly from grid_lb
   * to grid_ub. NaN bounds (the default) mean the identified set at the
   * estimate widened by 20 standard errors of l' beta_post on each side;
   * the grid is widened (up to 6 doublings) while the set touches an
   * edge (a set still touching an edge of the widest grid, or of a grid
   * given here, is reported unbounded on that side). With refine (default 1) each end is then located by bisection
   * between the last rejected and the first accepted grid value, to
   * 1e-9 of the grid's width; refine 0 reports grid values, as HonestDiD. */
  size_t grid_points; /* default 1000, at least 3 */
  double grid_lb, grid_ub;
  int refine;
  /* The least-favourable hybrid's first-stage critical value: the
   * 1 - alpha / 10 quantile of the test statistic over lf_draws normal
   * draws (default 1000, HonestDiD's) from stream (seed, purpose honest). */
  size_t lf_draws;
  uint64_t seed; /* default 1 */
  /* Breakdown and break-even searches stop at this restriction value:
   * NaN (default) means Mbar = 100 for RM and M = 100 standard errors of
   * l' beta_post for SD. */
  double m_max;
} attrib_honest_options;

/* Fills o with the defaults above. */
ATTRIB_API void attrib_honest_options_init(attrib_honest_options *o);

/* One confidence set: at restriction value m (Mbar for RM, M for SD). */
typedef struct attrib_honest_set {
  double m;
  double ci_low, ci_high; /* NaN when empty; -inf / +inf on an unbounded side */
  attrib_honest_shape shape;
  int gaps; /* 1 when rejected grid values lie between ci_low and ci_high (the set is
             * not an interval; the pair is its hull, as HonestDiD reports) */
} attrib_honest_set;

/* What a breakdown or break-even search found. */
typedef enum attrib_honest_search {
  ATTRIB_HONEST_FOUND = 0,         /* the value holds it */
  ATTRIB_HONEST_NOT_AT_ZERO = 1,   /* the set includes the effect even at m = 0: no such m (NaN) */
  ATTRIB_HONEST_BEYOND_MAX = 2     /* the set still excludes the effect at options.m_max (value = m_max) */
} attrib_honest_search;

/* What the target theta = l' tau_post is (for the report's "target"). */
typedef enum attrib_honest_target {
  ATTRIB_HONEST_TARGET_AVERAGE = 0, /* the average of the post-period effects */
  ATTRIB_HONEST_TARGET_EVENT = 1,   /* the effect at post period target_event (0 = first) */
  ATTRIB_HONEST_TARGET_CUSTOM = 2   /* the caller's l */
} attrib_honest_target;

typedef struct attrib_honest_result {
  attrib_honest_restriction restriction;
  attrib_honest_method method; /* the one used (never AUTO) */
  size_t n_pre, n_post;
  attrib_honest_target target;
  size_t target_event; /* with ATTRIB_HONEST_TARGET_EVENT; SIZE_MAX otherwise */
  double *l; /* n_post target weights */
  double level;
  /* Under parallel trends: l' beta_post, its standard error, the normal CI. */
  double estimate, std_error, ci_low, ci_high;
  size_t n_sets;
  attrib_honest_set *sets; /* one per grid value, in the order given */
  /* The breakdown value: the largest m such that the set excludes zero (on
   * the estimate's side) at every value from 0 to m (the sets need not be
   * nested in m: an FLCI's centre moves with M); a geometric scan from
   * m_max / 2^30 up, then bisection to 1e-6 relative. */
  double breakdown;
  attrib_honest_search breakdown_search;
  /* Copies of the inputs, so that attrib_honest_breakeven can search again. */
  double *beta, *sigma;
  attrib_honest_options opts;
} attrib_honest_result;

/* The robust confidence sets at each value of m_grid (n_m >= 1 values, each
 * >= 0 and finite), the parallel-trends CI and the breakdown value.
 * beta: n_pre + n_post coefficients; sigma: their (n_pre + n_post)^2
 * covariance, symmetric positive semi-definite (row- or column-major alike).
 * Errors: ATTRIB_EUSAGE naming "honest.restriction" when the restriction
 * cannot be used (no pre-period: RM bounds post changes by pre changes and
 * SD extrapolates the pre-trend, both need at least one), "honest.method"
 * for a method the restriction does not have, "honest.m" for a bad grid
 * value, "honest.level", "honest.l" (wrong length or all zero),
 * "honest.grid_points"; ATTRIB_EINVAL naming "honest.sigma" when sigma is
 * not symmetric positive semi-definite or has a non-positive variance for
 * the target, "honest.beta" for a non-finite coefficient; ATTRIB_EDIM when
 * n_post is 0; ATTRIB_ENUMERIC when an optimisation fails. */
ATTRIB_API attrib_status attrib_honest_run(const double *beta, const double *sigma, size_t n_pre, size_t n_post,
                                           const double *m_grid, size_t n_m, const attrib_honest_options *opts,
                                           attrib_honest_result **out, attrib_error *err);

ATTRIB_API void attrib_honest_result_free(attrib_honest_result *r);

/* The largest m at which the robust set still lies entirely on the
 * estimate's side of `effect`: for a positive estimate, the m at which the
 * lower end of the set comes down to `effect` (the ROI break-even effect:
 * "the ROI stays positive unless post-rollout trends diverge by more than m
 * times ..."). effect = 0 gives the breakdown value. Bisection to 1e-6
 * relative (FLCI: on its lower or upper end; RM: on the test's decision at
 * theta = effect). *search says whether it was found. */
ATTRIB_API attrib_status attrib_honest_breakeven(const attrib_honest_result *r, double effect, double *m_out,
                                                 attrib_honest_search *search, attrib_error *err);

/* A break-even search's inputs and outcome, for the writers. */
typedef struct attrib_honest_breakeven_result {
  double effect; /* the break-even effect searched for */
  double m;      /* what attrib_honest_breakeven found */
  attrib_honest_search search;
} attrib_honest_breakeven_result;

/* The identified set [*lb, *ub] of theta = l' tau_post when beta is known
 * exactly (no sampling error), under the restriction at value m: the
 * linear programs of Rambachan & Roth (2023) section 4. Empty (NaN, NaN)
 * when no delta in the restriction matches beta's pre periods (possible
 * under SD with small M). l: n_post weights (NULL = average). Errors as
 * attrib_honest_run. */
ATTRIB_API attrib_status attrib_honest_identified_set(const double *beta, size_t n_pre, size_t n_post,
                                                      attrib_honest_restriction restriction, double m,
                                                      const double *l, double *lb, double *ub, attrib_error *err);

/* One robust confidence set at restriction value m (no breakdown search):
 * what attrib_honest_run computes at each grid value. */
ATTRIB_API attrib_status attrib_honest_ci(const double *beta, const double *sigma, size_t n_pre, size_t n_post,
                                          double m, const attrib_honest_options *opts, attrib_honest_set *out,
                                          attrib_error *err);

/* The event study of a did result, ready for attrib_honest_run. */
typedef struct attrib_honest_input {
  size_t n_pre, n_post;
  double *beta;       /* n_pre + n_post coefficients, by event time */
  double *sigma;      /* their covariance, (n_pre + n_post)^2 */
  double *event_time; /* n_pre + n_post event times (the reference period omitted) */
  double reference;   /* the omitted reference event time: -1 - anticipation */
  size_t n_binned;    /* TWFE window endpoints that bin everything beyond them: left out */
} attrib_honest_input;

/* Takes the event-study coefficients and covariance of r (TWFE with the
 * event study, or Callaway-Sant'Anna's dynamic aggregation), ordered by
 * event time: pre periods are those before the reference period -1 -
 * anticipation, post periods those after it. The window's binned endpoints
 * (TWFE) are left out (they are not single periods) and counted.
 * Errors: ATTRIB_EUSAGE naming "did.event_study" when r has no event study,
 * "did.base_universal" for Callaway-Sant'Anna with the varying base period
 * (its pre-period coefficients are period-to-period changes, not
 * differences from one reference period, which the restrictions assume:
 * HonestDiD's honest_did refuses them likewise); ATTRIB_EDESIGN when an
 * event time could not be estimated or the event times are not consecutive.
 * *out belongs to the caller (attrib_honest_input_free). */
ATTRIB_API attrib_status attrib_honest_input_from_did(const attrib_did_result *r, attrib_honest_input **out,
                                                      attrib_error *err);
ATTRIB_API void attrib_honest_input_free(attrib_honest_input *in);

/* "rm" or "sd" (also "relative-magnitudes", "smoothness") into *out;
 * ATTRIB_EUSAGE naming "honest.restriction" otherwise. */
ATTRIB_API attrib_status attrib_honest_restriction_parse(const char *s, attrib_honest_restriction *out,
                                                         attrib_error *err);

/* "rm" / "sd" (the JSON contract's spelling). */
ATTRIB_API const char *attrib_honest_restriction_name(attrib_honest_restriction r);

/* "flci", "conditional", "hybrid-lf" ("auto" for AUTO). */
ATTRIB_API const char *attrib_honest_method_name(attrib_honest_method m);

#ifdef __cplusplus
}
#endif

#endif
