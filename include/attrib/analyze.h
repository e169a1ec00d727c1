/*
 * The whole attribution study in one call (docs/methods/analyze.md): the
 * cohort's counts, the effect by several methods side by side, design
 * checks with verdicts, ROI from the first method that succeeded, and the
 * sensitivity figures, over one load of the data.
 */
#ifndef ATTRIB_ANALYZE_H
#define ATTRIB_ANALYZE_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/formula.h>
#include <attrib/roi.h>
#include <attrib/status.h>
#include <attrib/table.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { ATTRIB_ANALYZE_OLS = 1, ATTRIB_ANALYZE_PSM = 2, ATTRIB_ANALYZE_AIPW = 4, ATTRIB_ANALYZE_DID = 8 };

typedef struct attrib_analyze_options {
  const char *outcome, *treat;
  const char *covariates;     /* formula right-hand side: "a + b + factor(c)" (with covariate_terms: shown only) */
  const attrib_formula *covariate_terms; /* or the covariates as terms (formula.h), e.g. built from
                                 * column names as written; used instead of covariates when set; borrowed */
  const char *cluster;        /* or NULL */
  const char *unit, *time, *cohort; /* panel columns for did, or NULL */
  unsigned methods;           /* ATTRIB_ANALYZE_* bits; default OLS | PSM | AIPW (| DID with a panel) */
  attrib_roi_input roi;       /* value and cost lines; the effect comes from the first method that succeeds */
  int has_roi;                /* 0: no ROI (no value or cost given) */
  size_t bootstrap;           /* replicates for every method's bootstrap (0 = analytic) */
  unsigned long seed;
  double level;
  size_t threads;
  /* progress, e.g. for a progress line; NULL = none. Called as each step
   * starts (done = total = 0) and, in a bootstrap, as replicates finish
   * (done of total, from any thread). */
  void (*progress)(void *ctx, const char *step, size_t done, size_t total);
  void *progress_ctx;
} attrib_analyze_options;

typedef struct attrib_analyze_method {
  const char *method;         /* "ols", "psm", "aipw", "did" */
  const char *estimand, *se_method;
  double estimate, std_error, ci_low, ci_high;
  attrib_status status;       /* ATTRIB_OK, or why it could not be estimated (message) */
  char message[ATTRIB_ERROR_MESSAGE_MAX]; /* the whole error message (it was cut at 199 bytes) */
} attrib_analyze_method;

typedef struct attrib_analyze_check {
  const char *name;           /* "balance", "overlap", "pre_trends", "agreement" */
  const char *verdict;        /* "pass", "caution", "fail" */
  char reason[240];           /* fixed sentences with numbers and method names: at most about 110 bytes */
} attrib_analyze_check;

/* Step 1, the cohort: one variable's baseline by group. A numeric column
 * gives its mean; a categorical one (or factor() of a numeric one) gives
 * one entry per level, with the level's share in each group. */
typedef struct attrib_analyze_variable {
  char *name;                 /* the column */
  char *level;                /* the level, or NULL for a numeric column */
  size_t n_missing;           /* rows where the column is empty (all rows) */
  double mean_treated, mean_control; /* over rows with the column present; NaN when a group has none */
} attrib_analyze_variable;

typedef struct attrib_analyze_cohort {
  size_t n_rows;              /* rows in the data */
  size_t n_treated, n_control;/* rows with the treatment 1 / 0 */
  size_t n_treat_missing;     /* rows with no treatment value */
  size_t n_treat_other;       /* rows whose treatment is neither 0 nor 1 */
  size_t n_complete;          /* rows with the outcome, the treatment and every covariate present */
  size_t n_vars;
  attrib_analyze_variable *vars; /* the outcome first, then each covariate column in written order */
  size_t n_levels_capped;     /* factor() columns of numbers with more than 50 distinct values: mean only */
  /* panels (with did): learners per cohort, from the DiD fit */
  size_t n_units, n_never, n_cohorts;
  double *cohorts;            /* first treated period of each cohort */
  size_t *cohort_units;
} attrib_analyze_cohort;

typedef struct attrib_analyze_result {
  attrib_analyze_cohort cohort;
  size_t n_obs, n_treated, n_control;
  attrib_analyze_method methods[4];
  size_t n_methods;
  long primary;               /* index of the method ROI and sensitivity use, -1 if none succeeded */
  attrib_analyze_check checks[4];
  size_t n_checks;
  attrib_roi_result *roi;     /* NULL without ROI inputs */
  attrib_roi_sweep *attribution_sweep; /* ROI at attribution 0.1 .. 1.0 */
  double attribution_values[10];
  double evalue, evalue_ci;   /* of the primary effect as a standardised difference */
  double rv_q, rv_qa;         /* OLS robustness values (NaN without OLS) */
  double breakeven_rv;        /* OLS confounding that brings the effect to the ROI break-even (NaN) */
  double critical_gamma;      /* Rosenbaum, 1:1 matched pairs (NaN without PSM) */
  /* for the report's charts */
  size_t n_balance;           /* covariate terms of the matching's balance table */
  char **balance_term;
  double *balance_before, *balance_after; /* standardised differences */
  size_t n_events;            /* did's event study */
  double *event_time, *event_att, *event_low, *event_high;
  int event_uniform;          /* the band is uniform (bootstrap) rather than pointwise */
  double score_hist[2][20];   /* propensity scores in 20 bins of [0, 1]: [0] controls, [1] treated (shares) */
  int has_scores;
  attrib_roi_sweep *tornado;  /* ROI with each input 20% lower / higher (attribution 0.5 .. 1) */
} attrib_analyze_result;

ATTRIB_API void attrib_analyze_options_init(attrib_analyze_options *o);
ATTRIB_API attrib_status attrib_analyze(const attrib_table *t, const attrib_analyze_options *o,
                                        attrib_analyze_result **out, attrib_error *err);
ATTRIB_API void attrib_analyze_result_free(attrib_analyze_result *r);

#ifdef __cplusplus
}
#endif

#endif
