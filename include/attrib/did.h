/*
 * Difference-in-differences: the 2x2 design, two-way fixed effects with an
 * optional event study, Callaway & Sant'Anna (2021) group-time effects for
 * staggered adoption, and two robustness estimators for staggered adoption:
 * Sun & Abraham (2021) and Borusyak, Jaravel & Spiess (2024)
 * (docs/methods/did.md).
 *
 *   attrib_did_options o; attrib_did_options_init(&o);
 *   o.outcome = "sales"; o.unit = "learner_id"; o.time = "period"; o.cohort = "cohort";
 *   attrib_did_result *r; attrib_did_fit(table, &o, &r, &err); ... attrib_did_result_free(r);
 */
#ifndef ATTRIB_DID_H
#define ATTRIB_DID_H

#include <stddef.h>
#include <attrib/by.h>
#include <attrib/export.h>
#include <attrib/formula.h>
#include <attrib/status.h>
#include <attrib/table.h>
#include <attrib/bootstrap.h>
#include <attrib/vcov.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_did_estimator {
  ATTRIB_DID_AUTO = 0, /* 2x2 with --treat/--post; else Callaway-Sant'Anna */
  ATTRIB_DID_2X2 = 1,
  ATTRIB_DID_TWFE = 2,
  ATTRIB_DID_CS = 3,
  ATTRIB_DID_SUNAB = 4,     /* Sun & Abraham (2021) interaction-weighted event study (fixest sunab) */
  ATTRIB_DID_IMPUTATION = 5 /* Borusyak, Jaravel & Spiess (2024) imputation (didimputation, did_imputation) */
} attrib_did_estimator;

typedef struct attrib_did_options {
  const char *outcome;              /* required */
  /* NULL-terminated further outcome columns (issue 18): each is estimated
   * as outcome is, on the same rows (a row missing any outcome counts as
   * missing for all, unless per_outcome_rows), with the same bootstrap
   * seed, so the wild weights (2x2, TWFE) or multipliers (CS) are the same
   * for every outcome; the overall effects' p-values are adjusted across
   * the outcomes (attrib_did_result.outcomes). NULL = none. */
  const char *const *extra_outcomes;
  int per_outcome_rows;             /* with extra_outcomes: each outcome keeps its own rows (no Romano-Wolf) */
  /* 2x2 */
  const char *treat, *post;         /* 0/1 columns */
  const char *covariates;           /* formula right-hand side ("a + b"), or NULL: 2x2 (added to the
                                       regression), TWFE (time-varying, y ~ D + x | unit + time), CS
                                       (doubly robust cells, read at each cell's base period, as did) */
  const attrib_formula *covariate_terms; /* or the covariates as terms (formula.h); used instead of
                                       * covariates when set; borrowed */
  /* panel */
  const char *unit, *time, *cohort; /* cohort: first treated period, 0 or missing = never */
  const char *cluster;              /* coarser cluster column, or NULL (= the unit; 2x2: none) */
  attrib_did_estimator estimator;
  int event_study;                  /* twfe: relative-time dummies */
  size_t leads, lags;               /* event-study window (endpoints binned); 0 = the data's range */
  int control_notyet;               /* CS: 0 never-treated (default), 1 not-yet-treated */
  size_t anticipation;              /* CS: periods of anticipation */
  int base_universal;               /* CS: 0 varying (default, as did), 1 universal */
  /* CS with units missing some period: 0 drops them (the default, did's
   * allow_unbalanced_panel = FALSE, with a warning that says how many); 1
   * keeps them (allow_unbalanced_panel = TRUE): each ATT(g,t) is the
   * repeated-cross-section DiD of the four means over the units observed in
   * its period and its base period, with unit-clustered influence functions
   * (no covariates) */
  int unbalanced_panel;
  /* CS event-time aggregation, as did's aggte(min_e, max_e, balance_e):
   * the event study keeps event times in [min_e, max_e] (each when its
   * has_ flag is set), and its overall effect averages the kept e >= 0;
   * max_e also bounds the periods the overall (simple) and by-cohort
   * effects average (t <= g + max_e), as did does. balance_e: only cohorts observed at every event time 0 ..
   * balance_e (g + balance_e <= the last period) enter the event study, at
   * event times balance_e - (last - first period) .. balance_e. */
  int has_min_e, has_max_e, has_balance_e;
  double min_e, max_e, balance_e;
  /* CS: the mean of the event-study effects over the post window
   * [window_diff_e[2], window_diff_e[3]] minus their mean over the pre
   * window [window_diff_e[0], window_diff_e[1]], with its influence-function
   * SE (attrib_did_result.window_diff); set has_window_diff */
  int has_window_diff;
  double window_diff_e[4];
  /* Bootstrap replicates (0 = analytic inference only), at most
   * ATTRIB_BOOT_MAX_REPLICATES. Callaway-Sant'Anna: the multiplier bootstrap
   * of its influence functions (SEs and uniform bands, as did). 2x2 and TWFE
   * (not the event study): the wild cluster bootstrap of the DiD coefficient
   * (WCR p-value with its test-inversion interval, as boottest; every row
   * its own cluster for a 2x2 without a cluster), in result.boot. */
  size_t bootstrap;
  unsigned long seed;
  attrib_boot_type boot_type;       /* ATTRIB_BOOT_AUTO (the init value): the design's own, as above */
  attrib_boot_weights boot_weights; /* multiplier or wild weights, default Rademacher (as did and boottest) */
  attrib_boot_ci boot_ci;           /* the overall effect's bootstrap interval: normal (did's), percentile or basic;
                                       wild: the unrestricted replicates' interval (not bca) */
  int keep_draws;                   /* keep the overall effect's replicates (attrib_did_result.boot->draws) */
  double level;                     /* default 0.95 */
  size_t threads;
} attrib_did_options;

typedef struct attrib_did_cell {
  double group, time, att, std_error, ci_low, ci_high;
  int post;                         /* t >= g */
  size_t n_treated, n_control;
} attrib_did_cell;

typedef struct attrib_did_event {
  double event_time, att, std_error, ci_low, ci_high;
  int binned;                       /* twfe: the endpoint collects everything beyond it */
} attrib_did_event;

typedef struct attrib_did_agg {
  double key, att, std_error, ci_low, ci_high; /* key: group or calendar time */
} attrib_did_agg;

typedef enum attrib_bacon_kind {
  ATTRIB_BACON_VS_NEVER = 0,     /* timing group vs never treated */
  ATTRIB_BACON_EARLY_VS_LATE = 1, /* earlier group vs later group, before the later is treated */
  ATTRIB_BACON_LATE_VS_EARLY = 2  /* later group vs the already-treated earlier group */
} attrib_bacon_kind;

typedef struct attrib_bacon_term {
  attrib_bacon_kind kind;
  double treated, control;        /* cohorts; control NaN = never treated */
  double estimate, weight;
} attrib_bacon_term;

typedef struct attrib_did_result {
  attrib_did_estimator estimator;
  attrib_effect effect;             /* the overall ATT (CS: the "simple" aggregation) */
  double df;                        /* t df (clustered OLS: G - 1), INFINITY = normal */
  const char *se_method;
  double level;
  /* 2x2: means[treat][post] and counts */
  double means[2][2];
  size_t cell_n[2][2];
  /* panel */
  size_t n_obs, n_units, n_periods, n_clusters;
  size_t n_incomplete;              /* units missing some period (CS drops them; TWFE keeps their rows) */
  size_t n_dropped_first;           /* units of cohorts treated in the first period (no pre-period) */
  size_t n_never, n_late;           /* never treated; treated after the last period (counted as never) */
  size_t n_groups;
  double *groups;                   /* n_groups cohorts */
  size_t *group_units;
  size_t n_cells;
  attrib_did_cell *cells;
  size_t n_events;
  attrib_did_event *events;
  double *event_vcov;               /* n_events x n_events covariance of the event-study estimates */
  attrib_did_agg *by_group, *by_time;
  size_t n_by_group, n_by_time;
  double dynamic_overall, dynamic_overall_se;
  /* CS, as did's aggte overall figures (key NaN): group = the by-cohort
   * effects weighted by cohort size (with the weights' estimation in the
   * influence function); calendar = the plain mean of the by-period effects */
  attrib_did_agg group_overall, calendar_overall;
  /* uniform band critical values of the by-cohort and by-period effects
   * (bootstrap; NaN otherwise: their bands are then pointwise) */
  double crit_uniform_group, crit_uniform_time;
  /* CS with attrib_did_options.has_window_diff: post-window mean minus
   * pre-window mean of the event study (key NaN), and the windows */
  int has_window_diff;
  attrib_did_agg window_diff;
  double window_diff_e[4];
  /* pre-trend test: Wald over the pre-period cells (CS) or leads (TWFE) */
  double pretest_stat, pretest_df, pretest_df2, pretest_p; /* df2: F denominator (TWFE), NaN for chi2 */
  const char *pretest_kind;
  int base_universal, control_notyet;
  size_t anticipation;
  size_t bootstrap;
  double crit_uniform;              /* uniform band critical value (bootstrap), NaN otherwise */
  attrib_boot_result *boot;         /* with a bootstrap: the overall effect's bootstrap summary (CS: multiplier;
                                       2x2, TWFE: wild) */
  int has_uniform;
  /* twfe with staggered timing: the Goodman-Bacon (2021) decomposition */
  size_t n_bacon;
  attrib_bacon_term *bacon;
  double bacon_sum;                 /* sum of weight x estimate: equals the TWFE coefficient */
  size_t n_warnings;
  char **warnings;
  /* units with at least one row in the estimation (sunab: the regression
   * sample; imputation: untreated rows or imputed treated rows; CS: the
   * complete units; otherwise the units) */
  size_t n_units_used;
  /* imputation: treated observations whose untreated outcome cannot be
   * imputed (their unit or period has no untreated row, or the two are not
   * connected through untreated rows): left out of every average, counted */
  size_t n_treated_obs, n_not_imputed;
  /* with extra_outcomes: every outcome (outcome first) and its overall
   * effect, the result's own fields being outcomes[0]'s. p_romano_wolf
   * from the bootstrap: the wild bootstrap's t* under the null (2x2,
   * TWFE) or the multiplier draws as (draw - estimate) / SE (CS); NaN
   * without one, for the other estimators, or per_outcome_rows.
   * n_rows_some_outcome_missing: rows missing some but not all outcomes
   * (missing for all of them unless per_outcome_rows). */
  size_t n_outcomes;
  struct attrib_did_outcome *outcomes;
  size_t n_rows_some_outcome_missing;
  int per_outcome_rows;
  int streamed;                     /* fitted from a stream of the file (attrib_did_fit_stream) */
  attrib_by_result *by;             /* subgroup effects (attrib_did_by), or NULL; freed with the result */
} attrib_did_result;

typedef struct attrib_did_outcome {
  char *outcome;
  attrib_effect effect;             /* the overall effect, as attrib_did_result.effect */
  size_t n_obs;
  attrib_boot_result *boot;         /* outcomes[0]'s is the result's boot */
  double p_bonferroni, p_holm, p_romano_wolf;
} attrib_did_outcome;

/* Defaults: the design chosen from the columns given (2x2 with treat and
 * post, Callaway-Sant'Anna with unit, time and cohort), level 0.95. */
ATTRIB_API void attrib_did_options_init(attrib_did_options *o);

/* Checks the options alone, before any data is read: a design named by
 * its columns (treat and post, or unit, time and cohort, not both), an
 * estimator and settings that go together (the event study with TWFE;
 * control group, anticipation and base period with Callaway-Sant'Anna;
 * each design's bootstrap and its intervals), the level and the number of
 * draws. ATTRIB_OK, or ATTRIB_EINVAL / ATTRIB_EUSAGE naming the option.
 * attrib_did_fit runs it first. */
ATTRIB_API attrib_status attrib_did_check(const attrib_did_options *o, attrib_error *err);

/* Fits the design on t (attrib_did_check first). out: a new result
 * (attrib_did_result_free). Data errors name the column and row: a
 * treatment or post indicator not 0/1, a unit observed twice in a period,
 * a cohort outside the periods, no never-treated or not-yet-treated units
 * to compare with (ATTRIB_ETYPE, ATTRIB_EDESIGN, ATTRIB_ENODATA). */
ATTRIB_API attrib_status attrib_did_fit(const attrib_table *t, const attrib_did_options *o, attrib_did_result **out,
                                        attrib_error *err);

/*
 * The 2x2 design out of core (docs/scale.md): attrib_did_fit on the CSV
 * file at path without loading it, through attrib_ols_fit_stream's passes
 * (chunks of chunk_rows rows, 0 = 65536; copts: the reader's options, NULL
 * for defaults): the same regression y ~ treat * post (+ covariates), the
 * indicators checked and the four cells' means counted chunk by chunk;
 * r->streamed is 1. Panels (Callaway-Sant'Anna, the event study, TWFE,
 * Sun-Abraham, imputation) need random access to units, and the wild
 * bootstrap the rows: both are ATTRIB_EUSAGE, saying how much memory the
 * table would take.
 */
ATTRIB_API attrib_status attrib_did_fit_stream(const char *path, const attrib_csv_options *copts,
                                               const attrib_did_options *o, size_t chunk_rows, attrib_did_result **out,
                                               attrib_error *err);
ATTRIB_API void attrib_did_result_free(attrib_did_result *r);

/*
 * Subgroup effects (by.h): attrib_did_fit with o on the rows of each level
 * of by->column alone (rows with a missing group left out, counted): the
 * DiD fully interacted with the group. Every unit and every cluster must lie
 * in one group (checked), so the groups are independent samples: the joint
 * vcov is diagonal, each group keeps its fit's SE and interval, and the
 * equality test is F on G-1 and the groups' smallest t df when all are t
 * (clustered regressions), else chi2.
 * Errors: ATTRIB_ENOCOL, ATTRIB_EDESIGN (one level, more than
 * ATTRIB_BY_MAX_LEVELS, a 2x2 level without treated or control rows, a unit
 * or cluster spanning groups), and a group's fit's error, prefixed with it.
 */
ATTRIB_API attrib_status attrib_did_by(const attrib_table *t, const attrib_did_options *o,
                                       const attrib_by_options *by, attrib_by_result **out, attrib_error *err);
ATTRIB_API const char *attrib_did_estimator_name(attrib_did_estimator e);

/*
 * The 2x2 design in PostgreSQL (docs/scale.md, "2x2 DiD"): the indicators
 * checked and the four cells counted and summed by two aggregate queries,
 * and the regression y ~ treat * post (+ covariates; HC1, or CR1 with
 * o->cluster) pushed down as attrib_ols_pushdown does it. The source as
 * attrib_table_read_pg (uri, sql). Refused (ATTRIB_EUSAGE): panels, the
 * bootstrap, several outcomes, as for the stream. queries: optional, the
 * SQL run (attrib_pg_free). The numbers are attrib_did_fit's to about 1e-10
 * relative.
 */
ATTRIB_API attrib_status attrib_did_pushdown(const char *uri, const char *sql, const attrib_did_options *o,
                                             attrib_did_result **out, char **queries, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
