/*
 * Binary regression (logit or probit) by iteratively reweighted least
 * squares (Fisher scoring) with step halving, with iid (inverse information),
 * HC0/HC1 and cluster-robust standard errors and z inference
 * (docs/methods/logit.md). Separation is diagnosed, not hidden behind huge
 * coefficients. Fitted probabilities are kept on request: they are the
 * propensity scores of attrib psm.
 */
#ifndef ATTRIB_LOGIT_H
#define ATTRIB_LOGIT_H

#include <stddef.h>
#include <attrib/design.h>
#include <attrib/export.h>
#include <attrib/status.h>
#include <attrib/vcov.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_link { ATTRIB_LINK_LOGIT = 0, ATTRIB_LINK_PROBIT = 1 } attrib_link;

typedef struct attrib_logit_options {
  attrib_link link;        /* default logit */
  attrib_vcov_type vcov;   /* iid (default), hc0, hc1 or cluster */
  double level;            /* default 0.95 */
  double tol;              /* convergence: relative deviance change, default 1e-12 */
  size_t max_iter;         /* default 50 */
  double collinearity_tol; /* default 1e-10 */
  const char *treat;       /* term reported as the effect (on the link scale) */
  int keep_fitted;         /* store fitted probabilities and linear predictors */
  int warm_start;          /* default 1: with n >= 200,000, start on every tenth block of rows
                              (the result is the full data's; it only saves passes) */
  size_t threads;          /* 0 (default) = the online CPUs; results do not depend on it */
} attrib_logit_options;

/* The treatment's average marginal effect on the probability scale
 * (attrib_logit_margins). */
typedef enum attrib_ame_type {
  ATTRIB_AME_RISK_DIFFERENCE = 0, /* a 0/1 or factor treatment: mean of P(y=1 | set to 1) - P(y=1 | set to 0) */
  ATTRIB_AME_DERIVATIVE = 1       /* any other numeric treatment: mean of dP(y=1 | x)/dD */
} attrib_ame_type;

typedef struct attrib_logit_ame {
  char *term;               /* the treatment column */
  int available;            /* 0: not defined for this term; reason says why (the figures are NaN) */
  char *reason;             /* NULL when available */
  attrib_ame_type type;
  double estimate, std_error, statistic, p_value, ci_low, ci_high, level; /* z inference, the fit's vcov */
  double p_treated, p_control; /* risk difference: the mean predicted P(y = 1) with the treatment set to 1
                                * (its level) and to 0 (the reference level) in every row; NaN for a derivative */
  size_t n_obs;
  int weighted;             /* averaged with the fit's analytic weights */
} attrib_logit_ame;

typedef struct attrib_logit_result {
  char *response;
  attrib_link link;
  size_t n_obs, n_input, n_dropped_missing, n_dropped_weight;
  size_t rank;
  attrib_coef_table coef;     /* z statistics */
  double *vcov;               /* coef.k x coef.k, NaN for aliased */
  attrib_vcov_type vcov_type;
  size_t n_cluster_dims;
  char **cluster_names;
  size_t *n_clusters;
  double log_likelihood, deviance, null_deviance, aic, bic;
  size_t iterations;
  int converged;
  size_t n_aliased;
  char **aliased_names;
  size_t n_warnings;
  char **warnings;
  long effect_index;
  attrib_effect effect;
  double level;
  double *fitted;             /* n_obs probabilities, when keep_fitted */
  double *linear_predictor;   /* n_obs, when keep_fitted */
  attrib_logit_ame *ame;      /* the treatment's average marginal effect, once attrib_logit_margins ran (else NULL) */
  int streamed;               /* fitted from a stream of the file (attrib_logit_fit_stream) */
} attrib_logit_result;

ATTRIB_API void attrib_logit_options_init(attrib_logit_options *opts);
ATTRIB_API attrib_status attrib_logit_check(const attrib_design *d, const attrib_logit_options *opts,
                                            attrib_error *err);

/* Parses "logit" or "probit". */
ATTRIB_API attrib_status attrib_link_parse(const char *s, attrib_link *out, attrib_error *err);

/*
 * Fits P(y = 1 | x) = F(x'b). y must be 0/1. Returns ATTRIB_OK (also when
 * max_iter ran out: converged = 0 and a warning), ATTRIB_ETYPE (y not
 * 0/1), ATTRIB_EDESIGN (y constant), ATTRIB_ESEPARATION (a covariate or a
 * combination predicts y perfectly; the message names it), ATTRIB_EINVAL,
 * ATTRIB_ECOLLINEAR, ATTRIB_ENUMERIC, ATTRIB_ENOMEM. Fixed effects in the
 * design are not supported (ATTRIB_EINVAL): use factor() terms.
 */
ATTRIB_API attrib_status attrib_logit_fit(const attrib_design *d, const attrib_logit_options *opts,
                                          attrib_logit_result **out, attrib_error *err);

ATTRIB_API void attrib_logit_result_free(attrib_logit_result *r);

/*
 * The average marginal effect of the treatment r->effect (the fit's --treat
 * term) on P(y = 1): the effect on the KPI's own scale that ROI needs, where
 * the coefficient is on the log-odds (probit) scale. Computed on the rows of
 * d, which must be the design r was fitted on (its table still alive):
 *   - a numeric treatment that is 0/1 in every row, or a factor level: the
 *     risk difference, the mean over rows of F(x_i(1)'b) - F(x_i(0)'b) with
 *     the treatment set to 1 (the level) and to 0 (the reference level) in
 *     every row, in its main effect and in every interaction (Stata's
 *     `margins r.D`, marginaleffects' `avg_comparisons`);
 *   - any other numeric treatment: the mean of dF(x_i'b)/dD =
 *     f(x_i'b) dx_i'b/dD (Stata's `margins, dydx(D)`, marginaleffects'
 *     `avg_slopes`).
 * Rows are averaged with the fit's analytic weights when it had them. The
 * SE is the delta method's, sqrt(g' V g) with g the gradient of the average
 * in b and V the fit's covariance (iid, HC0/HC1 or cluster, whichever the fit
 * used), the covariates held at their sample values (Stata's default
 * `vce(delta)`). threads: 0 = the online CPUs; the result does not depend on
 * it. Stores r->ame (replacing any) and returns ATTRIB_OK, also when the
 * effect is not defined for the term (an interaction, the intercept, a
 * factor's reference level: r->ame->available = 0 with the reason);
 * ATTRIB_EINVAL when r has no treatment or d is not its design; ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_logit_margins(const attrib_design *d, attrib_logit_result *r, size_t threads,
                                          attrib_error *err);

/*
 * Out of core (docs/scale.md): the logit or probit of formula fitted to the
 * CSV file at path without loading it (chunks of chunk_rows rows, 0 =
 * 65536; attrib_csv_stream_open), one pass over the file per Newton step:
 * a pass accumulates the information X'WX, the score X'u and the deviance
 * at the current coefficients (logit.c's formulas); the start is R's glm
 * QR step from mu = (y + 1/2) / 2 (its R merged chunk by chunk, which also
 * names the aliased columns), and a last pass at the estimate gives the
 * sandwich's meat (hc0, hc1: sum u_i^2 x_i x_i'; cluster: per-cluster sums
 * of u_i x_i, one cluster column). Separation is checked after the fit
 * (fitted probabilities 0 or 1, with the in-memory message); the in-memory
 * fit's univariate check before it is not made, so a separating dummy is
 * named by that message instead. The estimates are the in-memory fit's to
 * the convergence tolerance (both iterate to opts->tol from different
 * starts: iterations may differ). Not streamed: keep_fitted, two cluster
 * columns (ATTRIB_EUSAGE, with the memory the table would take).
 */
ATTRIB_API attrib_status attrib_logit_fit_stream(const char *path, const attrib_csv_options *copts, const char *formula,
                                                 const attrib_design_options *dopts, const attrib_logit_options *opts,
                                                 size_t chunk_rows, attrib_logit_result **out, attrib_error *err);

/*
 * Logit whose passes run inside PostgreSQL (docs/scale.md, "Logit"):
 * Newton's method with one aggregate query per step over the rows of the
 * source (uri, sql as attrib_table_read_pg), the coefficients as literals;
 * attrib solves each step. The start (R's glm start) is one query of X'X and
 * X'y; the covariance is the inverse information, or the sandwich with one
 * more query (hc0, hc1; cluster: the per-cluster score sums GROUP BY the
 * cluster column, then their cross-products). formula: numeric columns,
 * products of them and factors, as attrib_ols_pushdown. opts: link logit
 * only (PostgreSQL has no normal CDF for probit), vcov iid, hc0, hc1 or
 * cluster (implied by cluster), level, tol, max_iter, treat (the
 * coefficient reported as the effect; its average marginal effect needs
 * the rows), collinearity_tol; keep_fitted is refused. A collinear design
 * is ATTRIB_ECOLLINEAR (nothing is dropped); separation ATTRIB_ESEPARATION,
 * naming the term. queries: optional, the SQL run (attrib_pg_free).
 * Coefficients and standard errors agree with attrib_logit_fit on the same
 * rows to about 1e-10 relative (the sums run in the database's order; the
 * start differs in its last bits, so the iterations may differ by one).
 */
ATTRIB_API attrib_status attrib_logit_pushdown(const char *uri, const char *sql, const char *formula,
                                               const char *cluster, const attrib_logit_options *opts,
                                               attrib_logit_result **out, char **queries, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
