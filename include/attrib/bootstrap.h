/*
 * Bootstrap inference for one OLS coefficient (docs/methods/bootstrap.md):
 * pairs (rows), cluster (whole clusters) and wild (cluster) bootstraps,
 * computed by algebra rather than refits, with percentile, basic, normal,
 * BCa and studentized intervals. Replicate b draws from its own stream
 * derived from (seed, b): results are identical for any thread count.
 *
 *   attrib_boot_options bo; attrib_boot_options_init(&bo); bo.replicates = 999;
 *   attrib_boot_result *b; attrib_ols_bootstrap(design, fit, fit->effect_index, &bo, &b, &err);
 */
#ifndef ATTRIB_BOOTSTRAP_H
#define ATTRIB_BOOTSTRAP_H

#include <stddef.h>
#include <attrib/design.h>
#include <attrib/export.h>
#include <attrib/ols.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_boot_type {
  ATTRIB_BOOT_PAIRS = 0,   /* resample rows */
  ATTRIB_BOOT_CLUSTER = 1, /* resample whole clusters */
  ATTRIB_BOOT_WILD = 2,    /* wild (cluster) bootstrap: restricted for the p-value, unrestricted for the interval */
  ATTRIB_BOOT_MULTIPLIER = 3,
  ATTRIB_BOOT_PARAMETRIC = 4, /* roi: draws of the effect from its normal sampling distribution */
  ATTRIB_BOOT_AUTO = 5        /* did: the design's own (multiplier for Callaway-Sant'Anna, wild for 2x2 and TWFE) */
} attrib_boot_type;

/* The most replicates any bootstrap takes (every entry point checks it, so
 * that no size computed from B can overflow, and a typo such as
 * 18446744073709551615 is an error rather than years of work). Ten million
 * replicates put the Monte Carlo SD of a 5% p-value below 0.0001. */
#define ATTRIB_BOOT_MAX_REPLICATES ((size_t)10000000)

/* Rademacher wild bootstraps with at most this many clusters (rows without
 * a cluster) use all 2^G sign vectors whatever B is (B <= 2^G also does):
 * the p-value and the intervals are then exact, not random (boottest's
 * enumeration; 2^12 = 4096 replicates cost next to nothing). */
#define ATTRIB_BOOT_ENUMERATE_MAX_G 12

typedef enum attrib_boot_weights {
  ATTRIB_BOOT_RADEMACHER = 0, /* +-1 with probability 1/2 */
  ATTRIB_BOOT_WEBB = 1,       /* six points +-sqrt(1/2), +-1, +-sqrt(3/2) (Webb 2014) */
  ATTRIB_BOOT_MAMMEN = 2      /* two points, third moment 1 (Mammen 1993) */
} attrib_boot_weights;

typedef enum attrib_boot_ci {
  ATTRIB_CI_PERCENTILE = 0,
  ATTRIB_CI_BASIC = 1,
  ATTRIB_CI_NORMAL = 2,
  ATTRIB_CI_BCA = 3,
  ATTRIB_CI_STUDENTIZED = 4
} attrib_boot_ci;

typedef struct attrib_boot_options {
  size_t replicates;           /* B, at least 99 */
  unsigned long seed;
  attrib_boot_type type;       /* default pairs; cluster and wild use the design's first cluster coding */
  attrib_boot_weights weights; /* wild: default rademacher */
  attrib_boot_ci ci;           /* default percentile */
  double level;                /* default 0.95 */
  double null_value;           /* H0 value of the coefficient for the p-value (default 0) */
  size_t threads;
  int keep_draws;              /* store the replicate estimates */
  /* wild: store each replicate's WCR t statistic under the null (t_null),
   * for Romano-Wolf step-down across outcomes fitted on one design: every
   * outcome's replicate b uses the same weights (they depend only on seed,
   * b and the cluster) */
  int keep_t_null;
  /* wild: also invert the WCR test for its confidence interval (default 1) */
  int invert;
  /* called now and then with replicates done and total (from the calling
   * thread), e.g. for a progress bar; NULL = none */
  void (*progress)(void *ctx, size_t done, size_t total);
  void *progress_ctx;
} attrib_boot_options;

typedef struct attrib_boot_result {
  size_t replicates, n_failed;   /* failed: singular resamples, counted and left out */
  attrib_boot_type type;
  attrib_boot_weights weights;
  attrib_boot_ci ci;
  double estimate;               /* the full-sample coefficient */
  double std_error;              /* SD of the replicate estimates */
  double ci_low, ci_high, p_value, level;
  const char *p_value_method;    /* static string */
  size_t n_clusters;
  int enumerated;                /* wild: all 2^G Rademacher sign vectors were used */
  size_t n_draws;
  double *draws;                 /* keep_draws: the replicate estimates (n_draws, failed ones left out) */
  /* 1 when no replicate was as extreme as the sample: p_value is then the
   * bound 1/(B+1) (the p-value is below it), not an estimate */
  int p_value_bound;
  /* wild: the WCR confidence interval by test inversion (Roodman et al.
   * 2019, sec. 3.5; boottest's): the nulls theta whose WCR p-value exceeds
   * 1 - level, the interval that agrees with p_value (theta = null is inside
   * exactly when p_value > 1 - level). +-INFINITY when unbounded; NaN when
   * not computed (other types, or invert = 0). ci_low/ci_high are the
   * --ci interval of the unrestricted (WCU) replicates, which do not impose
   * the null and so need not agree with p_value. */
  double inv_low, inv_high;
  int inv_disjoint;              /* the set of such nulls has further pieces outside [inv_low, inv_high] */
  int blocked;                   /* wild: weights drawn in blocks of units and replicates, never a G x B matrix */
  /* wild: the sample t statistic (estimate - null) / se of the WCR test,
   * and with keep_t_null the replicates' t* under the null (replicates
   * values; NULL otherwise). The p-value counts |t*| >= |t|. */
  double t_stat;
  double *t_null;
} attrib_boot_result;

ATTRIB_API void attrib_boot_options_init(attrib_boot_options *o);
ATTRIB_API attrib_status attrib_boot_type_parse(const char *s, attrib_boot_type *out, attrib_error *err);
ATTRIB_API attrib_status attrib_boot_weights_parse(const char *s, attrib_boot_weights *out, attrib_error *err);
ATTRIB_API attrib_status attrib_boot_ci_parse(const char *s, attrib_boot_ci *out, attrib_error *err);
ATTRIB_API const char *attrib_boot_type_name(attrib_boot_type t);
ATTRIB_API const char *attrib_boot_weights_name(attrib_boot_weights w);
ATTRIB_API const char *attrib_boot_ci_name(attrib_boot_ci c);

/*
 * Bootstraps coefficient `coef` (a row of fit->coef) of the OLS fit of
 * design d. Without absorbed fixed effects, pairs and cluster replicates
 * come from sufficient statistics (one GEMM per block of replicates); with
 * them, each pairs or cluster replicate refits, re-absorbing the fixed
 * effects on the resample (percentile, basic and normal intervals; wild
 * works on the demeaned data at the algebraic speed). Cluster needs a
 * cluster coding in d; wild uses it when there is one, and without one is
 * the heteroskedastic wild bootstrap with every row its own cluster, whose
 * weights are drawn in blocks of rows and replicates: memory O(n + B k)
 * (O(n k) with absorbed fixed effects: the demeaned columns). Both
 * bootstraps use the design's one cluster coding; two-way clustering is
 * refused. o->replicates lies in [99, ATTRIB_BOOT_MAX_REPLICATES].
 */
ATTRIB_API attrib_status attrib_ols_bootstrap(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                              const attrib_boot_options *o, attrib_boot_result **out,
                                              attrib_error *err);
ATTRIB_API void attrib_boot_result_free(attrib_boot_result *r);

/*
 * Removes from fit's warnings those the bootstrap b answers: the
 * few-clusters warning (cluster-robust t tests over-reject) once a wild
 * cluster bootstrap of the same clustering ran, whose WCR p-value and
 * test-inversion interval are the inference that warning asks for. Returns
 * how many were removed. b may be NULL (nothing removed).
 */
ATTRIB_API size_t attrib_ols_settle_warnings(attrib_ols_result *fit, const attrib_boot_result *b);

/*
 * Several outcomes on one design (a c(y1, y2, ...) formula; issue 18,
 * docs/methods/multiple-testing.md): one OLS fit per outcome on the same
 * rows, X, weights and clusters, the effect of one term in each, and its
 * p-values adjusted across the outcomes.
 */
typedef struct attrib_ols_multi {
  size_t n_outcomes;
  attrib_ols_result **fits;     /* one per outcome, in the formula's order */
  attrib_boot_result **boots;   /* one per outcome when bootstrapped, else NULL */
  char *effect_term;            /* the term tested in every outcome */
  int effect_defaulted;         /* 1: no treat option, the first non-intercept coefficient */
  size_t n_dropped_outcomes;    /* rows dropped for all because an outcome was missing */
  /* per outcome: the effect's p-value adjusted across the outcomes
   * (Bonferroni and Holm from the fits' p-values; Romano-Wolf from the
   * wild bootstraps' t* under the null, drawn with the same weights for
   * every outcome; NaN without a wild bootstrap) */
  double *p_bonferroni, *p_holm, *p_romano_wolf;
  int per_outcome_rows;         /* each outcome fitted on its own rows (attrib_ols_fit_outcomes_each) */
} attrib_ols_multi;

/*
 * Fits every outcome of design d (d->n_outcomes of them, or d's one
 * response) with opts, the effect being opts->treat or, when NULL, the
 * first coefficient that is not the intercept. With bo non-NULL each
 * outcome's effect is bootstrapped with bo (the same seed, hence for the
 * wild bootstrap the same weights in every outcome), and a wild bootstrap
 * gives the Romano-Wolf step-down p-values. d is left on its first
 * outcome. Errors as attrib_ols_fit and attrib_ols_bootstrap, the message
 * prefixed with the outcome's name when there are several.
 */
ATTRIB_API attrib_status attrib_ols_fit_outcomes(attrib_design *d, const attrib_ols_options *opts,
                                                 const attrib_boot_options *bo, attrib_ols_multi **out,
                                                 attrib_error *err);
ATTRIB_API void attrib_ols_multi_free(attrib_ols_multi *m);

/*
 * The outcomes of formula f (c(y1, y2, ...) ~ rhs) each on its own rows:
 * one design per outcome built from table t with dopts (a row is dropped
 * only for the outcomes it lacks), fitted and bootstrapped as
 * attrib_ols_fit_outcomes does. Bonferroni and Holm only: the Romano-Wolf
 * p-values are NaN (the outcomes' bootstraps do not resample the same
 * rows). Errors as attrib_design_build and attrib_ols_fit_outcomes.
 */
ATTRIB_API attrib_status attrib_ols_fit_outcomes_each(const attrib_table *t, const attrib_formula *f,
                                                      const attrib_design_options *dopts,
                                                      const attrib_ols_options *opts, const attrib_boot_options *bo,
                                                      attrib_ols_multi **out, attrib_error *err);

/*
 * Pairs or cluster bootstrap of coefficient `coef` of a logit/probit fit by
 * weighted refits (replicate counts times the design's weights). BCa needs
 * the fit's fitted values (attrib_logit_options.keep_fitted); studentized
 * intervals use each refit's model-based SE. Failed refits are counted.
 */
struct attrib_logit_result;
ATTRIB_API attrib_status attrib_logit_bootstrap(const attrib_design *d, const struct attrib_logit_result *fit,
                                                size_t coef, const attrib_boot_options *o, attrib_boot_result **out,
                                                attrib_error *err);

/*
 * The multiplier bootstrap of an estimator with influence values psi
 * (n values, estimate - truth ~ (1/n) sum psi_i): replicate b is
 * estimate + (1/n) sum_i xi_bi psi_i with xi from o->weights per unit, or
 * per cluster (cl: n codes 0..G-1, or NULL). Intervals: percentile, basic,
 * normal. Used by psm --method ipw|aipw.
 */
ATTRIB_API attrib_status attrib_multiplier_bootstrap(const double *psi, size_t n, const int32_t *cl, size_t G,
                                                     double estimate, const attrib_boot_options *o,
                                                     attrib_boot_result **out, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
