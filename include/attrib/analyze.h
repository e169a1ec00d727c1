/*
 * The whole attribution study in one call (docs/methods/analyze.md): the
 * cohort's counts, the effect by several methods side by side, design
 * checks with verdicts, ROI from the design's primary method, the
 * sensitivity figures and a headline verdict, over one load of the data.
 * A panel (unit and time given) is analysed per learner: Callaway-Sant'Anna
 * for staggered adoption, two-way fixed effects for one adoption date, and
 * the cross-section methods on each learner's outcome change.
 */
#ifndef ATTRIB_ANALYZE_H
#define ATTRIB_ANALYZE_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/formula.h>
#include <attrib/honest_did.h>
#include <attrib/by.h>
#include <attrib/mediate.h>
#include <attrib/power.h>
#include <attrib/roi.h>
#include <attrib/sensitivity.h>
#include <attrib/status.h>
#include <attrib/table.h>
#include <attrib/vcov.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  ATTRIB_ANALYZE_OLS = 1,   /* Y ~ T + covariates (a panel: the outcome change, one row per learner) */
  ATTRIB_ANALYZE_PSM = 2,   /* nearest-neighbour matching, ATT */
  ATTRIB_ANALYZE_AIPW = 4,  /* the doubly robust ATT */
  ATTRIB_ANALYZE_DID = 8,   /* Callaway-Sant'Anna group-time effects, simple aggregation (panels) */
  ATTRIB_ANALYZE_TWFE = 16, /* two-way fixed effects, errors clustered by unit (panels) */
  ATTRIB_ANALYZE_SUNAB = 32, /* Sun & Abraham (2021) interaction-weighted, overall ATT (panels; robustness row) */
  ATTRIB_ANALYZE_IMPUTATION = 64 /* Borusyak, Jaravel & Spiess (2024) imputation, overall ATT (panels; robustness row) */
};

/* The design analysed, from the options and the data: a cross-section (one
 * row per learner), or a panel (unit and time given) whose treated learners
 * start at one date or at several (staggered adoption). */
typedef enum attrib_analyze_design {
  ATTRIB_ANALYZE_CROSS_SECTION = 0,
  ATTRIB_ANALYZE_PANEL_SINGLE = 1,
  ATTRIB_ANALYZE_PANEL_STAGGERED = 2
} attrib_analyze_design;

typedef struct attrib_analyze_options {
  const char *outcome, *treat; /* treat: 0/1 (a panel: 0 before training, 1 from the first treated period on,
                                 * or 1 in every period of a learner ever treated) */
  const char *covariates;     /* formula right-hand side: "a + b + factor(c)" (with covariate_terms: shown only) */
  const attrib_formula *covariate_terms; /* or the covariates as terms (formula.h), e.g. built from
                                 * column names as written; used instead of covariates when set; borrowed */
  const char *cluster;        /* or NULL */
  const char *unit, *time;    /* a panel: learner id and period (whole numbers), or NULL */
  const char *cohort;         /* a panel: first treated period (0 or missing = never), or NULL: derived from treat */
  unsigned methods;           /* ATTRIB_ANALYZE_* bits; 0 = the design's default (docs/methods/analyze.md) */
  unsigned primary;           /* one ATTRIB_ANALYZE_* bit: the method ROI and the headline use; 0 = the design's rule */
  attrib_roi_input roi;       /* value and cost lines; the effect comes from the primary method; learners 0 =
                               * the treated learners in the analysed data */
  int has_roi;                /* 0: no ROI (no value or cost given) */
  size_t bootstrap;           /* replicates for every method's bootstrap (0 = analytic) */
  unsigned long seed;
  double level;               /* in (0, 1); default 0.95 */
  size_t threads;
  /* progress, e.g. for a progress line; NULL = none. Called as each step
   * starts (done = total = 0) and, in a bootstrap, as replicates finish
   * (done of total, from any thread). */
  void (*progress)(void *ctx, const char *step, size_t done, size_t total);
  void *progress_ctx;
  /* How the reports speak of the numbers (docs/methods/analyze.md, "The
   * one-pager"); each NULL = not given. The library checks them and
   * carries them into the result; the writers format money and units. */
  const char *currency;       /* "USD", "EUR", "GBP", any 3-letter code, or a symbol such as "$" (at most 8 bytes) */
  const char *kpi_unit;       /* the outcome's unit, e.g. "sales per week" */
  const char *period;         /* one period of the horizon: "day", "week", "month", "quarter" or "year"; also
                               * sets roi.periods_per_year when that is 0 */
  /* The funnel's tiers: "enrolled=COL,completed=COL,certified=COL" (any of
   * the three, in that order), each COL 0/1 per learner (a panel: 1 in any
   * period). NULL = no funnel. */
  const char *funnel;
  const char *baseline;       /* a cross-section's pre-period KPI column: the cohort lines' "before" point; or NULL */
  /* Honest parallel-trends bounds on a panel (docs/methods/analyze.md,
   * "Honest parallel trends"). They cost a second Callaway-Sant'Anna fit
   * and the robust sets' optimisations (about 1 s on the bundled panel). */
  int no_honest;              /* 1: none (result.honest_note "not requested"); honest_m must then be empty */
  attrib_honest_restriction honest; /* ATTRIB_HONEST_RM (default: relative magnitudes, Mbar) or ATTRIB_HONEST_SD
                               * (smoothness, M: needs honest_m) */
  const double *honest_m;     /* the restriction's values (Mbar or M), each finite and >= 0, borrowed; NULL with
                               * n_honest_m 0 = RM's default 0, 0.5, 1, 1.5, 2 */
  size_t n_honest_m;
  /* Subgroups (docs/methods/subgroups.md): the primary method's effect in
   * each level of this column, from its joint subgroup fit (attrib_ols_by,
   * attrib_psm_by, attrib_did_by), with the ROI in each group. NULL = none.
   * A numeric column to bin is binned first (attrib_table_add_bins). */
  const char *by;
  /* Several KPIs (issue 18; docs/methods/analyze.md, "Several KPIs"):
   * further outcome columns, NULL-terminated, NULL = none. outcome stays the
   * headline (every step above runs on it alone, on its own rows); the
   * primary method is then also estimated for outcome and each of these
   * through its multi-outcome call (attrib_ols_fit_outcomes, attrib_psm_fit
   * or attrib_did_fit with extra_outcomes) with the study's options for
   * that method: one design on the rows complete in every outcome, one
   * score model and matching, p-values adjusted across the outcomes
   * (result.outcomes). Borrowed. */
  const char *const *extra_outcomes;
  int per_outcome_rows;       /* with extra_outcomes: each outcome keeps its own rows (no Romano-Wolf) */
  /* With by and ROI inputs: a value per unit for named levels of by (the
   * others keep roi.value_per_unit), as attrib_roi_by_compute; every level
   * named must be one of by's (ATTRIB_EINVAL naming it). Borrowed; NULL
   * with n_by_value_per_unit 0 = none. */
  const attrib_roi_level_value *by_value_per_unit;
  size_t n_by_value_per_unit;
  /* Mediation (docs/methods/analyze.md, "Through the mediator"): the
   * mediator column (numeric, measured after training). attrib_mediate_fit
   * runs on the data with the treatment, the outcome and these covariates,
   * mediate's defaults for the intervals (quasi-Bayesian, 1000 draws) at
   * this seed, level and threads. NULL = none. A cross-section only: on a
   * panel it is refused (ATTRIB_EINVAL, "analyze.mediator"). */
  const char *mediator;
  /* The next pilot (docs/methods/analyze.md, "The next pilot"): an RCT of
   * pilot_n learners (0 = 150) planned from this data's SD and covariates'
   * R2 (attrib_power_from_data; with cluster, a cluster-randomised pilot at
   * the data's ICC and mean cluster size), at alpha 1 - level, two-sided,
   * power 0.8; a panel with one adoption date plans a did pilot at the
   * windows' pre/post correlation. no_pilot 1: none. */
  double pilot_n;
  int no_pilot;
} attrib_analyze_options;

typedef struct attrib_analyze_method {
  const char *method;         /* "ols", "psm", "aipw", "did", "twfe", "sunab", "imputation" */
  const char *estimand, *se_method; /* se_method: how the interval was made (the bootstrap's name when one ran) */
  const char *se_kind;        /* what std_error holds (with a bootstrap, still the analytic SE: issue 16) */
  const char *interval_method;/* how ci_low / ci_high were made (equals se_method) */
  double estimate, std_error, ci_low, ci_high;
  size_t n_obs, n_treated, n_control; /* learners the method used (NaN-free rows) */
  attrib_status status;       /* ATTRIB_OK, or why it could not be estimated (message) */
  int skipped;                /* not run: the design does not support it (the reason in message) */
  char *message;              /* why not estimated (owned), NULL when estimated */
  char *note;                 /* a caveat of an estimated method (owned), or NULL */
} attrib_analyze_method;

/* One KPI's row of the several-KPIs table (options.extra_outcomes): the
 * primary method's effect on it and its p-value adjusted across the KPIs,
 * as the multi-outcome call returned them (attrib_psm_outcome,
 * attrib_did_outcome, attrib_ols_multi). */
typedef struct attrib_analyze_outcome {
  char *outcome;              /* owned */
  attrib_effect effect;       /* the method's own effect (analytic SE and interval); term: the treatment (owned) */
  size_t n_obs;               /* rows (learners; did: person-period rows) the outcome's fit used */
  double p_bonferroni, p_holm, p_romano_wolf; /* NaN when not computed (outcomes_romano_wolf says why) */
} attrib_analyze_outcome;

typedef struct attrib_analyze_check {
  const char *name;           /* "balance", "overlap", "pre_trends", "agreement" */
  const char *verdict;        /* "pass", "caution", "fail" */
  char *reason;               /* owned */
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

/* In a panel the cohort is described over learners, each at its first
 * period (before training): n_treated counts the learners ever treated,
 * n_control those never treated, n_complete the learners observed in every
 * period with every covariate. */
typedef struct attrib_analyze_cohort {
  size_t n_rows;              /* rows in the data */
  size_t n_treated, n_control;/* rows with the treatment 1 / 0 (a panel: learners ever / never treated) */
  size_t n_treat_missing;     /* rows with no treatment value */
  size_t n_treat_other;       /* rows whose treatment is neither 0 nor 1 */
  size_t n_complete;          /* rows with the outcome, the treatment and every covariate present */
  size_t n_vars;
  attrib_analyze_variable *vars; /* the outcome first, then each covariate column in written order */
  size_t n_levels_capped;     /* factor() columns of numbers with more than 50 distinct values: mean only */
  /* panels: learners per cohort (first treated period), as given */
  size_t n_units, n_never, n_cohorts;
  double *cohorts;            /* first treated period of each cohort */
  size_t *cohort_units;
} attrib_analyze_cohort;

/* The panel as analysed (zero for a cross-section). */
typedef struct attrib_analyze_panel {
  size_t n_units, n_periods;
  double first_period, last_period;
  size_t n_used;              /* learners with the outcome in every period and a usable cohort */
  size_t n_incomplete;        /* learners missing the outcome in some period */
  size_t n_always_treated;    /* first treated in the first period: no period before training */
  size_t n_late;              /* first treated after the last period: never treated here */
  size_t n_treated_cohorts;   /* distinct first treated periods among the used learners */
  double adoption;            /* the single adoption date (NaN when staggered) */
  int cohort_derived;         /* the cohorts come from the treatment (no cohort column) */
  size_t n_pre, n_post;       /* single date: periods before and from the adoption date (the windows of the
                               * learner-level outcome change) */
} attrib_analyze_panel;

/* The next pilot (options.pilot_n): attrib_power_run three times on the
 * options below: the MDE at n (with ROI inputs also the ROI at the MDE and
 * the learners at which the break-even effect is detected), the power to
 * detect the estimated effect's size at n, and the learners needed for it
 * at the target power. computed 0: none, the reason in note. */
typedef struct attrib_analyze_pilot {
  int computed;
  attrib_power_options options; /* the MDE run's (n given, mde NaN); roi's cost and benefit lines are borrowed
                                 * from the study's options */
  attrib_power_data_estimates baseline; /* what the data gave: a cross-section's attrib_power_from_data over the
                                 * table; a panel's learners (n, mean and sd of the window means; icc, r2 NaN) */
  double rho;                   /* a panel: the pre/post correlation of the window means (NaN otherwise) */
  double effect;                /* the primary method's estimate; its size is the effect to detect */
  attrib_power_result *at_n;    /* the MDE at n */
  attrib_power_result *at_effect; /* the power at n for |effect| (NULL: effect 0 or not finite) */
  attrib_power_result *required;  /* the learners for |effect| (NULL: as at_effect, or over 1e9: note says) */
  char *note;                   /* owned: how the pilot was planned, or why it was not */
} attrib_analyze_pilot;

/* The finding in one line: "clear" (the checks that apply to the primary
 * method pass and its interval, and the ROI interval when there is one,
 * exclude zero), "no_detectable_effect" (no ROI; the effect's interval
 * contains zero) or "inconclusive" (a check failed, or the ROI interval
 * spans zero); reason says which. */
typedef struct attrib_analyze_headline {
  const char *verdict;
  char *reason;               /* owned */
  const char *verdict_words;  /* "a clear effect", "no detectable effect", "inconclusive" */
  int roi_is_finding;         /* the point ROI may be stated as the finding: verdict "clear" and an ROI whose
                               * interval (when there is one) excludes zero; otherwise it is shown only with
                               * its interval, as an estimate */
  double horizon;             /* periods the ROI counts (NaN without ROI) */
  double periods_per_year;    /* for calendar units (0: unknown) */
  double payback_periods;     /* NaN without ROI; INFINITY: never within the horizon */
} attrib_analyze_headline;

/* One tier of the funnel: learners with the tier's column 1, of the
 * eligible learners (every learner with a treatment value) and by arm. */
typedef struct attrib_analyze_funnel_tier {
  const char *tier;           /* "adoption", "engagement", "competency" */
  const char *name;           /* "enrolled", "completed", "certified" */
  char *column;               /* owned */
  size_t n, n_treated, n_control, n_missing; /* learners at the tier (all, by arm); learners with no value */
  double share, share_treated, share_control; /* of the eligible learners (all, in the arm) */
  double share_of_previous;   /* of the tier before it (NaN for the first) */
} attrib_analyze_funnel_tier;

typedef struct attrib_analyze_funnel {
  size_t n_eligible, n_treated, n_control;
  size_t n_tiers;             /* 0: no funnel */
  attrib_analyze_funnel_tier tiers[3];
} attrib_analyze_funnel;

/* One line of the cohort lines: the outcome's mean at each point (a
 * panel's periods; a cross-section's before and after). */
typedef struct attrib_analyze_cohort_line {
  char *label;                /* owned: "never trained", "trained from period 3", "trained", "not trained" */
  double cohort;              /* first treated period; 0 = never (panels); 1 / 0 = the arm (cross-section) */
  double start;               /* the treatment start (the period, NaN when never; a cross-section: NaN) */
  size_t n_units;             /* learners in the line */
  double *mean;               /* n_points means (NaN when no learner has the outcome there) */
  size_t *n;                  /* learners with the outcome at each point */
} attrib_analyze_cohort_line;

typedef struct attrib_analyze_cohort_lines {
  int kind;                   /* 0 none, 1 panel (periods), 2 cross-section before / after (options.baseline) */
  size_t n_points;
  double *points;             /* the periods (panel) or 0, 1 (before, after) */
  size_t n_lines;
  attrib_analyze_cohort_line *lines; /* never treated first, then the cohorts in order (cross-section:
                                      * trained, then not trained) */
} attrib_analyze_cohort_lines;

typedef struct attrib_analyze_result {
  attrib_analyze_design design;
  char *covariates;           /* the covariates as text (owned): as given, or made from covariate_terms */
  attrib_analyze_cohort cohort;
  attrib_analyze_panel panel;
  size_t n_obs, n_treated, n_control; /* learners analysed by the primary method (a panel: learners, not rows) */
  attrib_analyze_method methods[7];
  size_t n_methods;
  long primary;               /* index of the method ROI and sensitivity use (always estimated) */
  char *primary_reason;       /* why this method (owned): the design's rule, or chosen */
  int primary_chosen;         /* options.primary chose it */
  attrib_analyze_headline headline;
  double roi_learners;        /* the learners the ROI counts */
  int roi_learners_default;   /* they are the treated learners in the data (options.roi.learners was 0) */
  double roi_se;              /* the effect's SE the ROI interval uses: the primary's SE, or, when its interval is
                               * not the normal one (t with G - 1 df, a bootstrap), its half-width / z, so the ROI
                               * interval is the effect's interval carried through the ROI */
  int roi_se_from_interval;   /* roi_se comes from the interval */
  attrib_analyze_check checks[5];
  size_t n_checks;
  attrib_roi_result *roi;     /* NULL without ROI inputs */
  attrib_roi_sweep *attribution_sweep; /* ROI at attribution 0.1 .. 1.0 */
  double attribution_values[10];
  double evalue, evalue_ci;   /* of the primary effect as a standardised difference */
  double rv_q, rv_qa;         /* OLS robustness values (NaN without OLS) */
  double breakeven_rv;        /* OLS confounding that brings the effect to the ROI break-even (NaN) */
  /* Rosenbaum's bound on 1:1 matched pairs (with PSM, when the pairs could be ranked) */
  int has_rosenbaum;
  attrib_critical_gamma critical_status; /* found; not significant even at Gamma = 1; beyond the search's end */
  double critical_gamma;      /* NaN unless critical_status is ATTRIB_GAMMA_FOUND */
  double rosenbaum_p1;        /* the one-sided signed-rank p-value at Gamma = 1 (no hidden bias) */
  size_t rosenbaum_pairs;
  int rosenbaum_sign;         /* +1: tested "treated greater" on the pair differences; -1: "treated smaller" (the
                               * pairs' mean difference is negative) */
  char *rosenbaum_note;       /* (owned) why there is no critical Gamma, or why no bound was computed; NULL otherwise */
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
  /* Honest parallel-trends bounds (Rambachan & Roth 2023; docs/methods/
   * analyze.md, "Honest parallel trends"): options.honest's restriction
   * at options.honest_m (default relative magnitudes at Mbar = 0, 0.5, 1,
   * 1.5, 2) on Callaway-Sant'Anna's event study with the universal
   * base period (a second CS fit: the varying base period's pre-period
   * coefficients are not differences from one reference period), target
   * the average of the post-period effects. NULL when not computed, with
   * the reason in honest_note (a cross-section; no pre-period; ...). */
  attrib_honest_result *honest;
  char *honest_note;          /* owned; NULL when honest is set */
  /* The break-even in money: the Mbar at which the robust set's lower end
   * comes down to the ROI break-even effect (the effect at which ROI = 0).
   * has_honest_breakeven 0: not computed, the reason in honest_breakeven_note
   * (no ROI inputs, no finite break-even effect, no honest bounds). */
  attrib_honest_breakeven_result honest_breakeven;
  int has_honest_breakeven;
  char *honest_breakeven_note; /* owned */
  attrib_analyze_funnel funnel;             /* options.funnel's tiers (n_tiers 0 without) */
  attrib_analyze_cohort_lines cohort_lines; /* a panel's, or a cross-section's with options.baseline */
  /* options.by: the subgroups of the primary method (by_method), and with
   * ROI inputs each group's ROI (NULL where it could not be computed) with
   * the learners it counts: the group's share of roi_learners (by treated
   * learners when the method counts them, else by the group's size) */
  attrib_by_result *by;
  const char *by_method;
  attrib_roi_result **by_roi;
  double *by_roi_learners;
  /* options.extra_outcomes: the primary method (outcomes_method) on every
   * outcome, the headline first; n_outcomes 0 without them, or when the
   * table could not be made (outcomes_note says why: a panel's cross-
   * section method, a fit that failed). outcomes_rows_dropped: rows
   * complete but for some outcome, left out for all of them (0 with
   * per_outcome_rows); outcomes_replicates: the bootstrap draws Romano-
   * Wolf used (0: none); outcomes_romano_wolf: how it was computed, or why
   * not. */
  size_t n_outcomes;
  attrib_analyze_outcome *outcomes;
  const char *outcomes_method;
  int outcomes_per_outcome_rows;
  size_t outcomes_rows_dropped, outcomes_replicates;
  char *outcomes_romano_wolf; /* owned */
  char *outcomes_note;        /* owned */
  double *by_roi_value_per_unit; /* each group's value per unit (options.by_value_per_unit, else roi.value_per_unit) */
  attrib_mediate_result *mediation; /* options.mediator's analysis; NULL without a mediator */
  attrib_analyze_pilot pilot;       /* the next pilot (pilot.computed 0 with options.no_pilot) */
} attrib_analyze_result;

/* Defaults: no methods (the design's), level 0.95, seed 1, ROI inputs as
 * attrib_roi_input_init, honest bounds by relative magnitudes at RM's
 * default grid. */
ATTRIB_API void attrib_analyze_options_init(attrib_analyze_options *o);

/* Names of the method bits ("ols", ..., "sunab", "imputation"), NULL for anything else. */
ATTRIB_API const char *attrib_analyze_method_name(unsigned method);

/*
 * Runs the study on t (borrowed). On success *out holds at least one
 * estimated method, the primary one; free it with attrib_analyze_result_free.
 * Errors (nothing is returned): ATTRIB_EINVAL for options (level outside
 * (0, 1), the did or twfe method without a panel, a primary method not
 * among the methods; a currency, period or funnel text out of its domain,
 * a baseline column with a panel; an honest restriction other than RM or
 * SD, SD without values, a value negative or not finite, values with
 * no_honest: the messages name "analyze.honest", "analyze.honest_m"; an
 * outcome listed twice or also the treatment, per_outcome_rows without
 * extra_outcomes; a mediator on a panel ("analyze.mediator"); a pilot_n
 * not over 2 ("analyze.pilot_n")), ATTRIB_ENOCOL for a column that is not
 * in the data (outcome, each of extra_outcomes, treatment, covariate, cluster, unit, time, cohort,
 * baseline, a funnel tier's, mediator), ATTRIB_ETYPE for an outcome that is not
 * numeric or a treatment not coded 0/1 (naming the values found), a funnel
 * column not coded 0/1 or a baseline column of text, ATTRIB_ENODATA when no learner is treated or none is
 * not, ATTRIB_EDESIGN for a cluster column with a single value (one
 * cluster: no cluster-robust standard error exists), when no method could
 * be estimated (each method's reason in the message) or the chosen primary
 * was not, the mediation's own errors (attrib_mediate_fit, "mediation: ..."), ATTRIB_ENOMEM.
 * The several-KPIs table failing (extra_outcomes) is no error: the
 * headline stands, result.outcomes_note says why.
 */
ATTRIB_API attrib_status attrib_analyze(const attrib_table *t, const attrib_analyze_options *o,
                                        attrib_analyze_result **out, attrib_error *err);
ATTRIB_API void attrib_analyze_result_free(attrib_analyze_result *r);

#ifdef __cplusplus
}
#endif

#endif
