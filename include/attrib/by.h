/*
 * Subgroup effects: the effect in each level of a grouping column, from one
 * joint fit, with a Wald test that the effects are equal and every pairwise
 * difference (docs/methods/subgroups.md).
 *
 * How the joint variance is formed depends on the estimator:
 *   ols: one fully interacted regression (every regressor and every absorbed
 *        fixed effect interacted with the group), so the groups' effects and
 *        their covariances come from one vcov; clusters may span groups.
 *   psm, did: one fit per group on that group's rows (a propensity model,
 *        matching and variance within the group: exact strata on the group);
 *        the groups are independent samples, so the joint vcov is diagonal.
 *        A cluster that spans groups would correlate them: refused.
 *
 *   attrib_by_options b; attrib_by_options_init(&b); b.column = "role";
 *   attrib_ols_fit_by(t, "y ~ trained + tenure", NULL, &o, &b, &r, &err);
 *   r->by->groups[g].effect ... attrib_ols_result_free(r);
 */
#ifndef ATTRIB_BY_H
#define ATTRIB_BY_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>
#include <attrib/table.h>
#include <attrib/vcov.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Most levels a grouping column may have: G effects, G(G-1)/2 differences. */
#define ATTRIB_BY_MAX_LEVELS 50

typedef struct attrib_by_options {
  const char *column; /* the grouping column (text or numbers), or NULL: no subgroups */
} attrib_by_options;

/* One level of the grouping column. */
typedef struct attrib_by_group {
  char *level;
  size_t n;                  /* rows of the level in the fit */
  size_t n_treated, n_control;
  attrib_effect effect;      /* term: the estimator's effect term */
} attrib_by_group;

/* The effect in level b minus the effect in level a (a < b). */
typedef struct attrib_by_diff {
  size_t a, b;               /* indices into groups */
  double estimate, std_error, statistic, p_value, ci_low, ci_high;
} attrib_by_diff;

typedef struct attrib_by_result {
  char *column;
  const char *joint;         /* how the joint vcov was formed (static string) */
  size_t n_groups;
  attrib_by_group *groups;   /* in level order (sorted, numbers numerically) */
  double *vcov;              /* n_groups x n_groups, column-major: the effects' joint variance */
  double df;                 /* t degrees of freedom of the intervals; INFINITY = normal */
  double level;
  size_t n_missing;          /* rows left out for a missing group */
  /* Wald test that every group's effect is equal: F (statistic W/(G-1) on
   * G-1 and df degrees of freedom) when df is finite, else chi2 (W on G-1). */
  const char *test;          /* "F" or "chisq" (static string) */
  double statistic, test_df, test_df2, p_value;
  size_t n_diffs;            /* G(G-1)/2 */
  attrib_by_diff *diffs;
} attrib_by_result;

ATTRIB_API void attrib_by_options_init(attrib_by_options *o);

/* Releases a subgroup result. NULL is a no-op. */
ATTRIB_API void attrib_by_result_free(attrib_by_result *r);

/*
 * Adds to t a categorical column `name` binning the numeric column `source`:
 * with n_cuts cut points cuts[0] < cuts[1] < ... (ascending, finite), the
 * bins (-inf, c1], (c1, c2], ..., (c_last, inf); with cuts NULL, `bins`
 * bins of about equal counts, cut at the sample quantiles j/bins (R's
 * quantile type 7) of the non-missing values, ties merging bins. Levels are
 * named "01 [lo, hi]" (the bin's number, then the smallest and largest value
 * in it) so that they sort in order. Missing stays missing.
 * Errors: ATTRIB_ENOCOL, ATTRIB_ETYPE (a text column), ATTRIB_EUSAGE (bins
 * < 2 or > ATTRIB_BY_MAX_LEVELS, cut points not ascending or not finite, a
 * column `name` already in t), ATTRIB_EDESIGN (fewer than 2 distinct
 * values), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_table_add_bins(attrib_table *t, const char *source, size_t bins, const double *cuts,
                                               size_t n_cuts, const char *name, attrib_error *err);

/*
 * A new table holding rows rows[0..n) of t (every column, levels kept).
 * Errors: ATTRIB_EINVAL (a row out of range), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_table_subset(const attrib_table *t, const size_t *rows, size_t n, attrib_table **out,
                                             attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
