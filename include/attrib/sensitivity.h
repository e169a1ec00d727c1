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
 * that is not a coefficient), ATTRIB_ENOCOL (a treatment that is no
 * column, with the nearest), those of the design and OLS fit,
 * ATTRIB_EDESIGN (a treatment that is not a term of its own, a benchmark
 * dropped as collinear, an impossible kd), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_ovb_fit(const attrib_table *t, const attrib_ovb_options *opts,
                                        attrib_ovb_result **out, attrib_error *err);
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
ATTRIB_API void attrib_spec_summary_free(attrib_spec_summary *s);

#ifdef __cplusplus
}
#endif

#endif
