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
  int streamed;               /* fitted from a stream of the file (attrib_ols_fit_stream) */
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

/*
 * OLS computed inside PostgreSQL (docs/scale.md): one aggregate query sums
 * n, X'X and X'y over the complete rows of the source; the k x k system is
 * solved here; a second query, with the coefficients as literals, sums
 * e'e, the total sum of squares and, for HC1, sum e^2 x x', or for CR1 the
 * cross-products of the per-cluster score sums (GROUP BY the cluster).
 *   uri, sql: the source as for attrib_table_read_pg (sql NULL: the URI's
 *   table=). formula: plain numeric columns and factors (factor(g), or a
 *   text column), an intercept or not; no interaction, no absorbed fixed
 *   effect, no weights. cluster: one column, or NULL. opts: vcov iid, hc1
 *   or cluster (implied by cluster), level, treat, collinearity_tol.
 *   out: new result (attrib_ols_result_free). queries: optional; the SQL
 *   run, separated by ";\n", new (free with attrib_pg_free).
 * Numbers agree with attrib_ols_fit on the same rows to about 1e-11
 * relative (sums in another order). A collinear design is an error
 * (ATTRIB_ECOLLINEAR): no term is dropped. Other errors as
 * attrib_table_read_pg, and ATTRIB_EUSAGE for what is not pushed down.
 */
ATTRIB_API attrib_status attrib_ols_pushdown(const char *uri, const char *sql, const char *formula, const char *cluster,
                                             const attrib_ols_options *opts, attrib_ols_result **out, char **queries,
                                             attrib_error *err);

/*
 * Sufficient statistics of an OLS fit, as a file (docs/scale.md, "Feeding
 * the result back"): what the pushed-down queries return, so that a
 * distributed engine's sums, or the sums of several parts of the data, are
 * finished by attrib. Sums over rows: parts merge by addition
 * (attrib_ols_stats_merge).
 *   normal equations: n, sum_y, X'X (xtx, k x k, full, symmetric), X'y.
 *   the residual pass (has_residuals): at the given coefficients b (k), the
 *   residual sum of squares rss, the total sum of squares tss around ybar,
 *   and the meat: none (vcov iid), sum e^2 x x' (hc1) or sum over the G
 *   clusters of s_g s_g', s_g = sum_{i in g} e_i x_i (cluster; G in
 *   clusters).
 */
typedef struct attrib_ols_stats {
  char *outcome;
  char *formula;         /* the model's formula as given, or NULL (for the report) */
  size_t k;
  char **terms;          /* k coefficient names, the design's columns in order */
  int intercept;         /* the model has an intercept (the tss and the Wald F exclude it) */
  double n_input;        /* rows in the source(s) */
  double n, sum_y;       /* complete rows used, and the sum of their outcome */
  double *xtx, *xty;     /* k x k and k */
  int has_residuals;
  attrib_vcov_type vcov; /* ATTRIB_VCOV_IID, _HC1 or _CLUSTER: what meat holds */
  char *cluster;         /* the cluster column (vcov cluster), else NULL */
  double *coefficients;  /* k: the b the residual pass used */
  double ybar, rss, tss;
  double *meat;          /* k x k (hc1, cluster), else NULL */
  double clusters;       /* G (vcov cluster) */
  size_t parts;          /* parts merged into these sums (1 for one source) */
  int meat_dropped;      /* merged parts had their meats at other coefficients: iid only */
} attrib_ols_stats;

ATTRIB_API void attrib_ols_stats_free(attrib_ols_stats *s);

/* Reads a statistics file (the JSON of attrib_report_write_ols_stats;
 * docs/scale.md gives the keys). Every number is checked to be finite and
 * every array's length against the terms: ATTRIB_EPARSE naming the file and
 * the key. */
ATTRIB_API attrib_status attrib_ols_stats_read(const char *path, attrib_ols_stats **out, attrib_error *err);

/*
 * Adds the part's statistics into *acc (a copy of part when *acc is NULL).
 * The outcome, the terms and the intercept must be the same (ATTRIB_EDESIGN
 * naming the first difference). The normal equations add. The residual sums
 * add exactly for any coefficients: rss and tss are moved to acc's
 * coefficients and mean first (rss(b) = rss(c) - 2 d'(X'y - X'X c) +
 * d'X'X d with d = b - c; tss likewise). The meats add only when both were
 * taken at the same coefficients with the same vcov; otherwise meat_dropped
 * is set and only iid standard errors can be finished. Cluster meats add
 * as sums over clusters: each cluster must lie in one part (the clusters
 * counts add), which attrib_ols_from_stats states as a warning.
 */
ATTRIB_API attrib_status attrib_ols_stats_merge(attrib_ols_stats **acc, const attrib_ols_stats *part,
                                                attrib_error *err);

/*
 * Moves the statistics to their own solution, for a merged file whose
 * coefficients the parts' residual passes are to use: coefficients = the
 * Cholesky solve, rss and tss moved to it exactly (see merge), ybar the
 * mean. A meat taken at other coefficients no longer belongs to them: it is
 * dropped (meat_dropped). Needs has_residuals (ATTRIB_EDESIGN otherwise).
 */
ATTRIB_API attrib_status attrib_ols_stats_solve(attrib_ols_stats *s, double collinearity_tol, attrib_error *err);

/*
 * Finishes a fit from sufficient statistics: Cholesky solve of X'X b = X'y
 * (a collinear or constant column is ATTRIB_ECOLLINEAR: nothing is dropped),
 * rss and tss moved to the solution, and the covariance opts->vcov: iid from
 * rss; hc1 or cluster (CR1) from the meat, which must have been taken at the
 * solution (d'X'X d <= 1e-10 rss, d the difference of the coefficients;
 * otherwise ATTRIB_EDESIGN asking for the residual pass at these
 * coefficients). The numbers are attrib_ols_pushdown's (it finishes with
 * this function). opts: vcov iid, hc1 or cluster, level, treat,
 * collinearity_tol; NULL: iid.
 */
ATTRIB_API attrib_status attrib_ols_from_stats(const attrib_ols_stats *s, const attrib_ols_options *opts,
                                               attrib_ols_result **out, attrib_error *err);

/*
 * attrib_ols_pushdown's queries, returning the statistics instead of the
 * fit. at: NULL, or statistics whose coefficients the residual pass is to
 * use (the merged solve of several parts; the terms must be the same);
 * without it the residual pass uses this source's own solution.
 */
ATTRIB_API attrib_status attrib_ols_pushdown_stats(const char *uri, const char *sql, const char *formula,
                                                   const char *cluster, const attrib_ols_options *opts,
                                                   const attrib_ols_stats *at, attrib_ols_stats **out, char **queries,
                                                   attrib_error *err);

/*
 * Out of core (docs/scale.md): fits the formula to the CSV file at path
 * without loading it, from sufficient statistics accumulated over chunks
 * of chunk_rows rows (0 = 65536; attrib_csv_stream_open): the R factor of
 * [sqrt(w) X, sqrt(w) y] merged chunk by chunk (streaming TSQR), the
 * outcome's weighted mean and sum of squares, and for robust standard
 * errors a second pass with the coefficients: sum_i (w_i e_i)^2 x_i x_i'
 * (HC0-HC3; the leverage of HC2/HC3 from R) or the per-cluster score sums
 * s_g = sum_{i in g} w_i e_i x_i (CR1, one cluster column, O(G k) memory).
 * Factors: one more pass first finds the levels present in the rows used,
 * in the order of the whole-table design (attrib_design_build), so that
 * every chunk's design has the same columns. Memory: O(chunk_rows x
 * columns read + k^2 + G k + levels).
 * The numbers are those of attrib_table_read_csv + attrib_design_build +
 * attrib_ols_fit to rounding (the solver is always the QR path: result
 * method "qr"); r->streamed is 1. Not streamed (ATTRIB_EUSAGE, saying that
 * the table must be in memory and about how much): absorbed fixed effects
 * (demeaning sweeps the rows many times), two cluster columns,
 * keep_residuals. copts: the reader's options (NULL: defaults).
 */
ATTRIB_API attrib_status attrib_ols_fit_stream(const char *path, const attrib_csv_options *copts, const char *formula,
                                               const attrib_design_options *dopts, const attrib_ols_options *opts,
                                               size_t chunk_rows, attrib_ols_result **out, attrib_error *err);

/*
 * attrib_ols_fit_stream with the fit's sufficient statistics as well
 * (attrib_ols_stats; docs/scale.md, "Feeding the result back"), so that
 * the parts of a file split across machines are merged by
 * attrib_ols_stats_merge: n, sum y, X'X and X'y (from the streamed R,
 * R'R = [X y]'[X y]), and the residual pass's rss, tss and meat (hc1:
 * sum e^2 x x'; cluster: sum over clusters of s_g s_g'). at NULL: the fit
 * and its statistics at its own coefficients (*out and *stats). at given:
 * only the statistics, with the residual pass at at's coefficients (the
 * merged solve; same terms), and out is not written. opts->vcov iid, hc1
 * or cluster; no weights; a collinear term is an error (a merge cannot
 * drop it).
 */
ATTRIB_API attrib_status attrib_ols_stream_stats(const char *path, const attrib_csv_options *copts, const char *formula,
                                                 const attrib_design_options *dopts, const attrib_ols_options *opts,
                                                 size_t chunk_rows, const attrib_ols_stats *at, attrib_ols_stats **stats,
                                                 attrib_ols_result **out, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
