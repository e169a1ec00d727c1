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
#include <attrib/did.h>
#include <attrib/psm.h>
#include <attrib/status.h>
#include <attrib/table.h>

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
 * sd > 0 they are raw differences divided by sd first. ATTRIB_EUSAGE naming
 * evalue.estimate, evalue.ci_low or evalue.ci_high for a value whose
 * E-value is beyond a double. */
ATTRIB_API attrib_status attrib_evalue_compute(double est, double lo, double hi, attrib_evalue_type type, double sd,
                                               attrib_evalue *out, attrib_error *err);
/* "rr", "or-rare", "or-common", "hr" or "smd" into *out; ATTRIB_EINVAL for
 * anything else (*out unchanged). */
ATTRIB_API attrib_status attrib_evalue_type_parse(const char *s, attrib_evalue_type *out, attrib_error *err);

typedef struct attrib_rosenbaum_row {
  double gamma, p_upper, p_lower, hl_lower, hl_upper;
} attrib_rosenbaum_row;

/* The largest Gamma the critical-Gamma search tries. */
#define ATTRIB_ROSENBAUM_GAMMA_MAX 1e6

/* What the search for the critical Gamma found. */
typedef enum attrib_critical_gamma {
  ATTRIB_GAMMA_FOUND = 0,           /* critical_gamma holds it */
  ATTRIB_GAMMA_NOT_SIGNIFICANT = 1, /* p_upper > alpha already at Gamma = 1: the test is not significant
                                     * even without hidden bias, there is no critical Gamma (NaN) */
  ATTRIB_GAMMA_BEYOND_MAX = 2       /* still significant at ATTRIB_ROSENBAUM_GAMMA_MAX (critical_gamma NaN) */
} attrib_critical_gamma;

typedef struct attrib_rosenbaum {
  size_t n_pairs, n_zero;      /* pairs, of which zero differences */
  int keep_zeros;              /* 1: zeros ranked then given rank 0 (DOS2); 0: dropped before ranking (rbounds) */
  size_t n_rows;
  attrib_rosenbaum_row *rows;
  double critical_gamma;       /* smallest Gamma with p_upper > alpha (refined between grid points); NaN unless
                                * critical_status is ATTRIB_GAMMA_FOUND */
  double alpha;
  attrib_critical_gamma critical_status;
  double p_gamma1;             /* the one-sided signed-rank p-value without hidden bias (Gamma = 1) */
} attrib_rosenbaum;

/* d: n treated-minus-control pair differences; gammas: the grid (>= 1);
 * alpha in (0, 1). out is new (attrib_rosenbaum_free). ATTRIB_EINVAL for
 * the grid or alpha, ATTRIB_ENODATA for fewer than 2 pairs, ATTRIB_EDESIGN
 * when every difference is zero. */
ATTRIB_API attrib_status attrib_rosenbaum_compute(const double *d, size_t n, const double *gammas, size_t n_gamma,
                                                  double alpha, int keep_zeros, attrib_rosenbaum **out,
                                                  attrib_error *err);
/* Releases a result of attrib_rosenbaum_compute. NULL is a no-op. */
ATTRIB_API void attrib_rosenbaum_free(attrib_rosenbaum *r);

/*
 * Omitted-variable bias for OLS (Cinelli & Hazlett 2020, "Making sense of
 * sensitivity: extending omitted variable bias", JRSS B 82(1); the formulas
 * and their sources are in docs/methods/sensitivity.md). All of them take
 * the treatment's estimate, SE and residual df, as sensemakr's numeric
 * methods do; attrib_ovb_fit runs the regressions from a table.
 */
typedef struct attrib_ovb {
  double estimate, std_error, t, dof, q, alpha;
  double partial_r2_treat; /* R2(Y ~ D | X) = t^2 / (t^2 + df) */
  double rv_q;             /* RV_q: the equal partial R2 with D and Y that moves the estimate by 100q% */
  double rv_qa;            /* RV_{q,alpha}: ... that makes the (1 - alpha) interval reach (1 - q) x estimate */
} attrib_ovb;

/* Fills out from the treatment's estimate, SE (> 0) and residual df (> 1),
 * with q > 0 and alpha in (0, 1). ATTRIB_EDESIGN for a degenerate SE or
 * df, ATTRIB_EINVAL for q or alpha. */
ATTRIB_API attrib_status attrib_ovb_compute(double estimate, double se, double dof, double q, double alpha,
                                            attrib_ovb *out, attrib_error *err);

/* The partial R2 of a coefficient from its t statistic and the model's
 * residual df: t^2 / (t^2 + df) (sensemakr's partial_r2). NaN when df <= 0. */
ATTRIB_API double attrib_ovb_partial_r2(double t, double dof);

/* The robustness value RV_{q,alpha} (eq. 18-19; sensemakr's
 * robustness_value): 0 when q |t|/sqrt(df) is within the critical
 * f* = |t_{alpha/2, df-1}|/sqrt(df - 1); (f_q^2 - f*^2)/(1 + f_q^2) when
 * f_q > 1/f* (the equal-strength constraint does not bind); otherwise the
 * RV formula at f_q - f*. alpha = 1 gives RV_q (no sampling uncertainty).
 * NaN for df <= 1, q <= 0 or alpha outside (0, 1]. */
ATTRIB_API double attrib_ovb_rv(double t, double dof, double q, double alpha);

/* |bias| of a confounder with partial R2s r2dz_x (with the treatment, given
 * X) and r2yz_dx (with the outcome, given D and X): se sqrt(df)
 * sqrt(r2yz_dx r2dz_x / (1 - r2dz_x)) (eq. 14). */
ATTRIB_API double attrib_ovb_bias(const attrib_ovb *o, double r2dz_x, double r2yz_dx);

/* The adjusted estimate: the bias reduces the estimate's magnitude
 * (sensemakr's adjusted_estimate, reduce = TRUE); 0 stays 0. */
ATTRIB_API double attrib_ovb_adjusted(const attrib_ovb *o, double r2dz_x, double r2yz_dx);

/* The adjusted SE: se sqrt((1 - r2yz_dx)/(1 - r2dz_x)) sqrt(df/(df - 1)). */
ATTRIB_API double attrib_ovb_adjusted_se(const attrib_ovb *o, double r2dz_x, double r2yz_dx);

/*
 * A confounder's consequences: its partial R2s, the adjusted estimate and
 * SE, the adjusted t for H0: beta = (1 - q) x estimate (NaN when the
 * adjusted SE is 0, i.e. r2yz_dx = 1), and the adjusted (1 - alpha)
 * interval with t_{alpha/2, df} (sensemakr's ovb_bounds).
 */
typedef struct attrib_ovb_bound {
  double kd, ky, r2dz_x, r2yz_dx;
  double adjusted_estimate, adjusted_se, adjusted_t, adjusted_lower, adjusted_upper;
  int capped;       /* the benchmark bound on r2yz_dx was above 1 and set to 1 */
  size_t benchmark; /* attrib_ovb_fit: the index of its benchmark; 0 otherwise */
} attrib_ovb_bound;

/* For a confounder given by its partial R2s (r2dz_x in [0, 1), r2yz_dx in
 * [0, 1]): out's kd and ky are NaN. ATTRIB_EINVAL outside those ranges. */
ATTRIB_API attrib_status attrib_ovb_adjust(const attrib_ovb *o, double r2dz_x, double r2yz_dx,
                                           attrib_ovb_bound *out, attrib_error *err);

/*
 * Bounds from a benchmark covariate X_j (sec. 6; sensemakr's
 * ovb_partial_r2_bound): a confounder kd times as strongly associated with
 * the treatment and ky times with the outcome as X_j, from X_j's partial R2
 * in the treatment regression (r2dxj_x) and in the outcome regression
 * (r2yxj_dx): r2dz_x = kd r2dxj_x / (1 - r2dxj_x), and r2yz_dx = eta^2
 * r2yxj_dx / (1 - r2yxj_dx) with eta = (sqrt(ky) + sqrt(R)) / sqrt(1 - R),
 * R = kd r2dxj_x^2 / ((1 - kd r2dxj_x)(1 - r2dxj_x)) (footnote 10), capped
 * at 1. ATTRIB_EINVAL for kd or ky <= 0; ATTRIB_EDESIGN when r2dz_x >= 1
 * (no confounder can be that strong: lower kd).
 */
ATTRIB_API attrib_status attrib_ovb_bound_compute(const attrib_ovb *o, double r2dxj_x, double r2yxj_dx, double kd,
                                                  double ky, attrib_ovb_bound *out, attrib_error *err);

/* The contour grid: adjusted estimates over confounder partial R2s. */
typedef struct attrib_ovb_grid {
  size_t n;         /* points per axis */
  double *r2;       /* n values 0 .. grid_max, the same for both axes */
  double *adjusted; /* n x n, row-major: adjusted[i * n + j] at r2dz_x = r2[i], r2yz_dx = r2[j] */
} attrib_ovb_grid;

/* What attrib_ovb_fit runs. */
typedef struct attrib_ovb_options {
  const char *formula;            /* the outcome model, "y ~ d + x + factor(g) | fe" */
  const char *treat;              /* the treatment: a numeric term of its own in formula */
  const char *cluster;            /* cluster column: cluster-robust t (NULL: iid) */
  const char *weights;            /* analytic weights column (NULL: unweighted) */
  const char *const *benchmarks;  /* coefficient names as in the OLS table (female, factor(g)b) */
  size_t n_benchmarks;
  const double *kd, *ky;          /* n_k multipliers each (default kd 1, 2, 3); ky NULL: ky = kd */
  size_t n_k;
  double q;                       /* default 1 */
  double alpha;                   /* default 0.05 */
  double grid_max;                /* default 0.5 */
  size_t grid_n;                  /* points per grid axis, default 11 (steps of 0.05) */
  size_t threads;                 /* for the regressions: 0 = the online CPUs */
} attrib_ovb_options;

typedef struct attrib_ovb_result {
  attrib_ovb stats;          /* the treatment's sensitivity statistics */
  int clustered;             /* stats use the cluster-robust SE */
  char *treat;
  size_t n_obs;              /* rows in both regressions */
  size_t n_benchmarks;
  char **benchmarks;
  double *r2dxj_x, *r2yxj_dx; /* per benchmark: partial R2 with the treatment, with the outcome */
  size_t n_bounds;           /* n_benchmarks x n_k, benchmark by benchmark */
  attrib_ovb_bound *bounds;
  attrib_ovb_grid grid;
} attrib_ovb_result;

/* Defaults as documented in attrib_ovb_options. */
ATTRIB_API void attrib_ovb_options_init(attrib_ovb_options *opts);

/*
 * Fits the outcome model (formula, with the options' cluster and weights)
 * and, with benchmarks, the treatment regression (the same right-hand side
 * without the treatment, the same fixed effects, cluster, weights and rows);
 * computes the statistics, each benchmark's partial R2s from its t
 * statistics, the bounds for each (kd, ky) and the contour grid. out is new
 * (attrib_ovb_result_free). Errors: ATTRIB_EINVAL (options; a benchmark
 * that is not a coefficient: a column outside the model, a factor column
 * rather than its level's coefficient), ATTRIB_ENOCOL (a treatment, or a
 * benchmark without '(' or ':', that is no column, with the nearest),
 * those of the design and OLS fit,
 * ATTRIB_EDESIGN (a treatment that is not a term of its own, a benchmark
 * dropped as collinear, an impossible kd), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_ovb_fit(const attrib_table *t, const attrib_ovb_options *opts,
                                        attrib_ovb_result **out, attrib_error *err);
/* Releases a result of attrib_ovb_fit. NULL is a no-op. */
ATTRIB_API void attrib_ovb_result_free(attrib_ovb_result *r);

/* Break-even confounding (the money version of a robustness value): the
 * equal partial R2 a confounder needs with treatment and outcome to bring
 * the estimate down to `target` (e.g. the ROI break-even effect from
 * attrib roi): RV_q with q = 1 - target / estimate; 0 when the estimate is
 * already at or beyond it. */
ATTRIB_API double attrib_ovb_breakeven_rv(const attrib_ovb *o, double target);

/* The E-value to move a risk ratio rr to the target ratio (VanderWeele &
 * Ding 2017, sec. "non-null"): the E-value of rr / target (or its inverse). */
ATTRIB_API double attrib_evalue_to(double rr, double target_rr);

/* The E-value to bring the estimate e down to target, an effect on the
 * estimate's own scale (type and sd as given to attrib_evalue_compute),
 * e.g. the ROI break-even effect from attrib roi: the target's risk ratio
 * is made as the estimate's was, then attrib_evalue_to(e->rr, it). *out is
 * NaN on error. Errors those of attrib_evalue_compute for the target (a
 * ratio target must be positive), ATTRIB_EINVAL for NULL arguments. */
ATTRIB_API attrib_status attrib_evalue_breakeven(const attrib_evalue *e, double target, attrib_evalue_type type,
                                                 double sd, double *out, attrib_error *err);

/* Pair differences for attrib_rosenbaum_compute from matched pairs given
 * as two numeric columns of t, one pair per row: treated - control. *d
 * holds *n = t->n_rows differences (attrib_rosenbaum_pairs_free). Errors:
 * ATTRIB_ENOCOL (a column that is not there), ATTRIB_ETYPE (a column that
 * is not numeric), ATTRIB_ENODATA (a pair with a missing value: there is
 * no pair without both outcomes), ATTRIB_EINVAL, ATTRIB_ENOMEM. */
ATTRIB_API attrib_status attrib_rosenbaum_pairs_columns(const attrib_table *t, const char *treated,
                                                        const char *control, double **d, size_t *n,
                                                        attrib_error *err);

/* Pair differences from a matching (attrib_psm_fit with keep_pairs, on
 * t): the outcome of each pair's treated unit minus its control's, one per
 * matched pair in the result's order. *d as above. Errors: ATTRIB_EINVAL
 * (NULL arguments; pairs not kept), ATTRIB_ENOCOL, ATTRIB_ETYPE (the
 * outcome), ATTRIB_ENOMEM. */
ATTRIB_API attrib_status attrib_rosenbaum_pairs_matched(const attrib_table *t, const attrib_psm_result *r,
                                                        const char *outcome, double **d, size_t *n,
                                                        attrib_error *err);

/* Releases the differences of attrib_rosenbaum_pairs_columns or _matched. NULL is a no-op. */
ATTRIB_API void attrib_rosenbaum_pairs_free(double *d);

/* The Gamma at which the lower Hodges-Lehmann bound of the pair
 * differences reaches `target` (bisection; 1 when it is already at or
 * below it without hidden bias, NaN when even ATTRIB_ROSENBAUM_GAMMA_MAX
 * does not bring it there, or when n < 2 or memory runs out). */
ATTRIB_API double attrib_rosenbaum_breakeven_gamma(const double *d, size_t n, int keep_zeros, double target);

/*
 * Specification sweeps: run(ctx, i, out) fits specification i and fills
 * out; specifications run in parallel on up to `threads` threads (each
 * fit should then use one thread), results land in spec order, so they do
 * not depend on the thread count. A failed specification keeps its status
 * and message; the sweep goes on. A specification that returns ATTRIB_OK
 * with an estimate that is not a finite number is marked failed
 * (ATTRIB_ENUMERIC, "the estimate is not a finite number").
 */
typedef struct attrib_spec_result {
  double estimate, std_error, ci_low, ci_high, p_value;
  size_t n_used;           /* e.g. matched treated units, or units */
  attrib_status status;
  char message[ATTRIB_ERROR_MESSAGE_MAX]; /* why it failed (an attrib_error's message fits whole) */
} attrib_spec_result;

/* Runs run(ctx, i, &results[i]) for i < n_specs as described above;
 * results holds n_specs (each is cleared before its run). */
ATTRIB_API void attrib_spec_run(size_t n_specs, size_t threads,
                                void (*run)(void *ctx, size_t i, attrib_spec_result *out), void *ctx,
                                attrib_spec_result *results);

/* Specifications that failed for the same reason (status and message). */
typedef struct attrib_spec_failure {
  attrib_status status;
  char *reason;  /* the message they share */
  size_t count;
  size_t first;  /* index of the first specification that failed so */
} attrib_spec_failure;

/*
 * The specification curve's summary, over the estimated specifications
 * only (status ATTRIB_OK): a failed specification has no estimate and is
 * not counted as 0 (it was: issue 12). With none estimated the statistics
 * are NaN and only the failures say anything.
 */
typedef struct attrib_spec_summary {
  size_t n_specs, n_estimated, n_failed;
  double min_estimate, median_estimate, max_estimate; /* NaN when n_estimated = 0 */
  size_t n_significant;        /* estimated with a confidence interval that excludes 0 */
  size_t n_positive;           /* estimated with an estimate > 0 */
  double share_significant, share_positive; /* of n_estimated; NaN when n_estimated = 0 */
  size_t n_reasons;
  attrib_spec_failure *reasons; /* the failures grouped by status and message, in order of first occurrence */
} attrib_spec_summary;

/* Summarises n results; out is new (attrib_spec_summary_free).
 * ATTRIB_EINVAL for NULL arguments, ATTRIB_ENOMEM. */
ATTRIB_API attrib_status attrib_spec_summarize(const attrib_spec_result *results, size_t n,
                                               attrib_spec_summary **out, attrib_error *err);
/* Releases a summary of attrib_spec_summarize. NULL is a no-op. */
ATTRIB_API void attrib_spec_summary_free(attrib_spec_summary *s);

/* ---- sweeps over an estimator's options ------------------------------------------- */

/* The estimators a sweep over options can vary. */
typedef enum attrib_spec_estimator {
  ATTRIB_SPEC_PSM = 0, /* attrib_psm_fit */
  ATTRIB_SPEC_DID = 1  /* attrib_did_fit */
} attrib_spec_estimator;

/* At most this many options vary in one sweep, and at most
 * ATTRIB_SPEC_MAX_SPECS specifications (their product) run. */
#define ATTRIB_SPEC_MAX_DIMS 8
#define ATTRIB_SPEC_MAX_SPECS 100000

/*
 * One option a sweep varies, and its values as text (a report shows them
 * as given). Names and values, psm: caliper (a number >= 0), ratio (an
 * integer >= 1), replace (0, 1, true, false), method, estimand, discard,
 * link (as their _parse functions take them), distance (logit or score),
 * covariates; did: control (never or notyet), anticipation (an integer >=
 * 0), base_period (varying or universal), estimator (cs or twfe),
 * covariates. For covariates, covariates[k] is value k's right-hand side in
 * formula syntax ("age + educ"; did: "none" or NULL for none).
 */
typedef struct attrib_spec_dim {
  const char *name;
  const char *const *values;     /* n values */
  const char *const *covariates; /* n right-hand sides when name is "covariates", else NULL */
  size_t n;
} attrib_spec_dim;

/* What attrib_spec_sweep runs: the estimator's options with every
 * combination of the dimensions' values (the last dimension varies
 * fastest). */
typedef struct attrib_spec_options {
  attrib_spec_estimator estimator;
  attrib_psm_options psm;      /* the base specification of a psm sweep (its threads are ignored: 1 per fit) */
  attrib_did_options did;      /* likewise for did */
  const attrib_spec_dim *dims; /* n_dims in 1 .. ATTRIB_SPEC_MAX_DIMS */
  size_t n_dims;
  size_t threads;              /* specifications run in parallel: 0 = the online CPUs */
  /* called (from any worker thread) as each specification is done, e.g.
   * for a progress line; NULL = none */
  void (*progress)(void *ctx, size_t done, size_t total);
  void *progress_ctx;
} attrib_spec_options;

/* Defaults: estimator psm, the estimators' own defaults
 * (attrib_psm_options_init, attrib_did_options_init), no dimension. */
ATTRIB_API void attrib_spec_options_init(attrib_spec_options *opts);

/* Sets the psm option name to value (names and values as in
 * attrib_spec_dim; covariates: the right-hand side, borrowed, used for
 * name "covariates"). ATTRIB_EUSAGE with err->option "spec.dims.names"
 * for a name that cannot vary ("psm cannot vary 'bogus' (caliper, ratio,
 * ...)", listing those that can), with err->option "spec.dims.values" for
 * a value the name cannot take; ATTRIB_EINVAL (NULL argument). */
ATTRIB_API attrib_status attrib_spec_set_psm(attrib_psm_options *o, const char *name, const char *value,
                                             const char *covariates, attrib_error *err);

/* The same for the did options. */
ATTRIB_API attrib_status attrib_spec_set_did(attrib_did_options *o, const char *name, const char *value,
                                             const char *covariates, attrib_error *err);

/* The number of specifications: the product of the dimensions' sizes
 * (SIZE_MAX when it overflows). */
ATTRIB_API size_t attrib_spec_count(const attrib_spec_options *opts);

/* The index of dimension d's value in specification i (the last dimension
 * varies fastest): specification i sets dims[d].name to
 * dims[d].values[attrib_spec_value(opts, i, d)]. */
ATTRIB_API size_t attrib_spec_value(const attrib_spec_options *opts, size_t i, size_t d);

/*
 * Checks a sweep before it runs, every value of every dimension: ATTRIB_OK;
 * ATTRIB_EUSAGE with err->option "spec.dims.values" and a message naming
 * the option and the value ("caliper: '0.1x' is not a valid value"), or
 * with err->option "spec.dims.names" for an option the estimator cannot
 * vary (as attrib_spec_set_psm; the first invalid one in order);
 * ATTRIB_EUSAGE with err->option "spec.dims" for more specifications than
 * ATTRIB_SPEC_MAX_SPECS; ATTRIB_EINVAL
 * (NULL argument, no dimension, more than ATTRIB_SPEC_MAX_DIMS, a
 * dimension without values).
 */
ATTRIB_API attrib_status attrib_spec_check(const attrib_spec_options *opts, attrib_error *err);

/*
 * Runs the sweep on t (attrib_spec_check first): each specification is the
 * base options with its values set, fitted with one thread; the
 * specifications run in parallel (attrib_spec_run), so the results do not
 * depend on the thread count. *out: attrib_spec_count(opts) results in
 * specification order (attrib_spec_results_free); a specification's own
 * failure is its status and message there, not the sweep's. Errors: those
 * of attrib_spec_check, ATTRIB_ENOMEM, and ATTRIB_ENOCOL with the
 * estimator's message when every specification failed on the same missing
 * column (a base option such as the treatment naming no column), *out NULL.
 */
ATTRIB_API attrib_status attrib_spec_sweep(const attrib_table *t, const attrib_spec_options *opts,
                                           attrib_spec_result **out, attrib_error *err);

/* Releases the results of attrib_spec_sweep. NULL is a no-op. */
ATTRIB_API void attrib_spec_results_free(attrib_spec_result *results);

#ifdef __cplusplus
}
#endif

#endif
