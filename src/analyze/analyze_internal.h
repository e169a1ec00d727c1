/* The analyze module's steps, shared between its files:
 *   analyze.c   the study: options and data checks, the OLS step, the score
 *               histogram, the primary method, checks, ROI, sensitivity, headline
 *   cohort.c    step 0, who is in the data
 *   panel.c     a panel's learners: cohorts, the design, one row per learner
 *   methods.c   matching, the doubly robust ATT, Rosenbaum, the DiD estimators
 *   next.c      the mediation (options.mediator) and the next pilot
 *   outcomes.c  several KPIs: the primary method on every outcome */
#ifndef ATTRIB_ANALYZE_INTERNAL_H
#define ATTRIB_ANALYZE_INTERNAL_H

#include <attrib/analyze.h>
#include <attrib/sensitivity.h>
#include "core/attrib_internal.h"

/* A new string formatted as printf would (attrib__malloc'd, any length);
 * NULL when out of memory. */
char *attrib__analyze_printf(const char *fmt, ...) ATTRIB__PRINTF(1, 2);

/* Step 1: counts, missingness and baselines by group (cohort.c), over t as
 * given (a panel passes its learner rows). On failure c is left empty. */
attrib_status attrib__analyze_cohort(const attrib_table *t, const attrib_analyze_options *o, attrib_analyze_cohort *c,
                                     attrib_error *err);
void attrib__analyze_cohort_free(attrib_analyze_cohort *c);

/* A table made of chosen rows of another (or of all its rows plus one
 * column): its own column arrays; names, levels and the source borrowed
 * from the table it was made from, which must outlive it. */
typedef struct attrib__analyze_view {
  attrib_table t;
  attrib_column *cols;
  size_t n_own;               /* columns whose arrays the view owns (all but borrowed ones) */
  unsigned char *owns;        /* per column: 1 when values / codes / missing are the view's */
} attrib__analyze_view;
void attrib__analyze_view_free(attrib__analyze_view *v);

/* A panel's learners (panel.c). */
typedef struct attrib__analyze_panel_data {
  attrib_analyze_design design;
  attrib_analyze_panel info;
  attrib__analyze_view learners; /* one row per learner at its first period; the treatment column = ever treated */
  attrib__analyze_view change;   /* single date: the used learners, the outcome = its change from the pre to the post
                                  * window; covariates at the first period */
  attrib__analyze_view with_cohort; /* the data plus the derived cohort column (cohort_derived) */
  const attrib_table *did_table; /* the data the DiD estimators read */
  const char *cohort;            /* the cohort column they read */
  double sd_baseline;            /* SD of the outcome over the used learners in the first period */
  /* single date, for the next pilot (did): the used learners' pre-window and
   * post-window means: the pre mean's mean, the pooled SD (the root of the
   * two variances' average) and the covariance over that pooled variance
   * (NaN when not computed) */
  size_t pilot_n;
  double pilot_mean, pilot_sd, pilot_rho;
  size_t n_treated, n_never;     /* used learners ever / never treated */
  /* every learner by first treated period as given (0 = never, late ones included) */
  size_t n_cohorts, n_never_all;
  double *cohorts;
  size_t *cohort_units;
  /* for the funnel and the cohort lines (summary.c): each data row's learner,
   * each learner's first treated period within the panel (0 = never, late
   * ones included), the distinct periods */
  size_t n_units, n_periods;
  size_t *row_unit;
  double *unit_cohort, *periods;
} attrib__analyze_panel_data;

attrib_status attrib__analyze_panel_build(const attrib_table *t, const attrib_analyze_options *o,
                                          attrib__analyze_panel_data *p, attrib_error *err);
void attrib__analyze_panel_free(attrib__analyze_panel_data *p);

/* What the methods hand to the checks and the sensitivity step. */
typedef struct attrib__analyze_ctx {
  const attrib_analyze_options *o;
  attrib_analyze_result *r;
  unsigned methods;
  const attrib_table *xt;     /* the cross-section ols, psm and aipw use; NULL: they are skipped */
  const char *skip_reason;    /* why (staggered adoption) */
  const attrib__analyze_panel_data *panel; /* NULL for a cross-section */
  double max_smd_after, extreme_share, sd_y, pretest_p;
  /* the propensity model failed for want of overlap (complete separation):
   * its message, for a failed overlap check (an empty Checks section and a
   * "clear" OLS extrapolation before: issue 15); NULL otherwise */
  char *no_overlap;
  attrib_ovb ovb;
  int have_ovb;
  int oom;                    /* an allocation failed: the study fails with ATTRIB_ENOMEM */
} attrib__analyze_ctx;

/* a method's slot, named, with its estimand */
attrib_analyze_method *attrib__analyze_add_method(attrib__analyze_ctx *c, const char *name, const char *estimand);
/* records why m was not estimated (an out-of-memory failure fails the study) */
void attrib__analyze_fail_method(attrib__analyze_ctx *c, attrib_analyze_method *m, attrib_status s, const char *message);
void attrib__analyze_step(const attrib_analyze_options *o, const char *step);
/* The study's own settings of each estimator (methods.c), so that the
 * headline, the subgroups (subgroups.c) and the several-KPI table
 * (outcomes.c) fit the same model: OLS outcome ~ treat + covariates with
 * HC1, or CR1 by options.cluster (cl: the caller's 2-slot cluster list,
 * pointed to by dopt); psm 1:1 nearest with replacement, or AIPW (the
 * bootstrap is the caller's choice); did on the panel's table with the
 * given estimator (no bootstrap: the caller's choice). */
void attrib__analyze_ols_options(const attrib_analyze_options *o, const char *cl[2], attrib_design_options *dopt,
                                 attrib_ols_options *oo);
void attrib__analyze_psm_options(const attrib_analyze_options *o, int aipw, attrib_psm_options *po);
void attrib__analyze_did_options(const attrib__analyze_ctx *c, attrib_did_estimator est, attrib_did_options *dop);

/* summary.c: the options the reports use (currency, period, funnel,
 * baseline) checked against the data before any work; the funnel and the
 * cohort lines (P: the panel, or NULL for a cross-section); the headline's
 * words and figures once the ROI is known */
attrib_status attrib__analyze_check_summary(const attrib_table *t, const attrib_analyze_options *o, attrib_error *err);
attrib_status attrib__analyze_summary(const attrib_table *t, const attrib_analyze_options *o,
                                      const attrib__analyze_panel_data *P, attrib_analyze_result *r, attrib_error *err);
void attrib__analyze_summary_free(attrib_analyze_result *r);
/* roi.periods_per_year, or the period's when that is 0 (0 for none) */
double attrib__analyze_periods_per_year(const attrib_analyze_options *o);

/* methods.c */
void attrib__analyze_matching(attrib__analyze_ctx *c, int aipw);
void attrib__analyze_rosenbaum(attrib__analyze_ctx *c);
void attrib__analyze_did(attrib__analyze_ctx *c);
/* the honest parallel-trends bounds (after the methods), and their break-
 * even in money (after the ROI); each leaves its reason when not computed */
void attrib__analyze_honest(attrib__analyze_ctx *c);
/* subgroups.c: options.by's subgroups of the primary method and, with roi
 * (the study's ROI input), each group's ROI */
attrib_status attrib__analyze_by(attrib__analyze_ctx *c, const attrib_roi_input *roi, attrib_error *err);
void attrib__analyze_by_free(attrib_analyze_result *r);
void attrib__analyze_honest_breakeven(attrib__analyze_ctx *c);
/* next.c: options.mediator's mediation (a failure fails the study) and the
 * next pilot (a failure leaves its reason in pilot.note) */
attrib_status attrib__analyze_mediation(const attrib_table *t, attrib__analyze_ctx *c, attrib_error *err);
void attrib__analyze_pilot(const attrib_table *t, attrib__analyze_ctx *c);
void attrib__analyze_next_free(attrib_analyze_result *r);
/* outcomes.c: options.extra_outcomes' table, the primary method on every
 * outcome (after the primary is chosen); a fit that fails leaves its
 * reason in r->outcomes_note, only ATTRIB_ENOMEM fails the study */
attrib_status attrib__analyze_outcomes(attrib__analyze_ctx *c, attrib_error *err);
void attrib__analyze_outcomes_free(attrib_analyze_result *r);

#endif
