/*
 * Ordinary and weighted least squares with absorbed fixed effects and
 * iid / heteroskedasticity-robust / cluster-robust standard errors
 * (docs/methods/ols.md).
 *
 *   attrib_ols_options o; attrib_ols_options_init(&o); o.vcov = ATTRIB_VCOV_CLUSTER;
 *   attrib_ols_result *r; attrib_ols_fit(design, &o, &r, &err); ... attrib_ols_result_free(r);
 */
#ifndef ATTRIB_OLS_H
#define ATTRIB_OLS_H

#include <stddef.h>
#include <attrib/by.h>
#include <attrib/design.h>
#include <attrib/export.h>
#include <attrib/status.h>
#include <attrib/vcov.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct attrib_ols_options {
  attrib_vcov_type vcov;   /* default iid; cluster uses the design's cluster codings (1 or 2) */
  double level;            /* confidence level, default 0.95 */
  double collinearity_tol; /* default 1e-10 (relative remaining norm, see design.h) */
  double fe_tol;           /* demeaning convergence, default 1e-10 (relative) */
  size_t fe_max_iter;      /* default 10000 sweeps */
  int drop_singletons;     /* default 1: drop rows alone in a fixed-effect group (reghdfe) */
  const char *treat;       /* term reported as the effect, or NULL */
  int keep_residuals;      /* store residuals and fitted values in the result */
  size_t threads;          /* 0 (default) = the online CPUs; results do not depend on it */
} attrib_ols_options;

typedef struct attrib_ols_result {
  char *response;
  size_t n_obs;               /* rows used in the fit */
  size_t n_input;             /* rows in the table */
  size_t n_dropped_missing, n_dropped_weight, n_dropped_singletons;
  size_t rank;                /* estimated coefficients */
  double df_resid;            /* n_obs - rank - absorbed degrees of freedom */
  attrib_coef_table coef;     /* one row per design column (intercept excluded with FE) */
  double *vcov;               /* coef.k x coef.k, column-major; NaN for aliased */
  attrib_vcov_type vcov_type;
  size_t n_cluster_dims;
  char **cluster_names;
  size_t *n_clusters;
  double df_inference;        /* t degrees of freedom of the table: df_resid, or min(G) - 1 */
  int vcov_psd_fixed;         /* multiway vcov had negative eigenvalues set to zero */
  double rss, tss, sigma, r_squared, adj_r_squared, r_squared_within;
  double f_statistic, f_df1, f_df2, f_p_value; /* Wald test of all slopes with the chosen vcov */
  size_t n_fe;
  char **fe_names;
  size_t *fe_levels;
  size_t fe_dof;              /* absorbed degrees of freedom (levels less redundancies) */
  size_t fe_iterations;
  int fe_converged;
  size_t n_aliased;
  char **aliased_names;       /* terms dropped as collinear or constant */
  size_t n_warnings;
  char **warnings;
  long effect_index;          /* row of coef reported as the effect, -1 without treat */
  attrib_effect effect;
  double level;
  const char *method;         /* "cholesky" or "qr": the solver used (static string) */
  double *residuals, *fitted; /* n_obs each, when keep_residuals */
  attrib_by_result *by;       /* subgroup effects (attrib_ols_by), or NULL; freed with the result */
} attrib_ols_result;

ATTRIB_API void attrib_ols_options_init(attrib_ols_options *opts);

/* Checks options against a design: names the bad option and why
 * (ATTRIB_EINVAL), e.g. cluster vcov without cluster columns;
 * ATTRIB_EUSAGE naming ols.level for a level outside (0, 1). */
ATTRIB_API attrib_status attrib_ols_check(const attrib_design *d, const attrib_ols_options *opts,
                                          attrib_error *err);

/*
 * Fits y on X by least squares, absorbing the design's fixed effects.
 * Returns ATTRIB_OK (aliased terms are dropped and named, not an error),
 * ATTRIB_EINVAL (options), ATTRIB_ECOLLINEAR (no estimable coefficient),
 * ATTRIB_EDESIGN (no residual degrees of freedom, one cluster, a treat
 * term that is not in the model), ATTRIB_ENUMERIC, ATTRIB_ENOMEM.
 * Demeaning that did not converge within opts->fe_max_iter sweeps is not an
 * error: the estimates are returned with a warning in r->warnings that
 * says so (the sweeps and tolerance), as fixest warns.
 */
ATTRIB_API attrib_status attrib_ols_fit(const attrib_design *d, const attrib_ols_options *opts,
                                        attrib_ols_result **out, attrib_error *err);

ATTRIB_API void attrib_ols_result_free(attrib_ols_result *r);

/*
 * Subgroup effects of opts->treat (required) in each level of by->column
 * (by.h): one fully interacted regression of formula f on table t with
 * dopts' weights and clusters. Every term and the intercept are interacted
 * with the group's indicators and every absorbed fixed effect is crossed
 * with the group, so each group's estimate equals a separate fit on its
 * rows; the groups' joint vcov is that of the one regression (opts->vcov:
 * HC corrections use its joint rank, iid its pooled residual variance, and
 * clusters may span groups). Rows with a missing group are left out
 * (counted). The equality test is F on G-1 and df_inference degrees of
 * freedom. *out is new on success (put it in attrib_ols_result.by to have
 * it written with the fit).
 * Errors: ATTRIB_EUSAGE (no ols.treat), ATTRIB_ENOCOL, ATTRIB_EDESIGN
 * (one level, more than ATTRIB_BY_MAX_LEVELS levels, a level whose effect
 * cannot be estimated, e.g. no treated or no control rows: the message
 * names it), and the errors of attrib_design_build and attrib_ols_fit.
 */
ATTRIB_API attrib_status attrib_ols_by(const attrib_table *t, const attrib_formula *f,
                                       const attrib_design_options *dopts, const attrib_ols_options *opts,
                                       const attrib_by_options *by, attrib_by_result **out, attrib_error *err);

/*
 * Parses formula, builds its design from table t with dopts (NULL =
 * defaults) and fits it with opts: the three steps most callers chain.
 * *design (kept for the caller: bootstraps and balance read it) and *out
 * are new on success; both are NULL on failure.
 */
ATTRIB_API attrib_status attrib_ols_fit_formula(const attrib_table *t, const char *formula,
                                                const attrib_design_options *dopts, const attrib_ols_options *opts,
                                                attrib_design **design, attrib_ols_result **out, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
