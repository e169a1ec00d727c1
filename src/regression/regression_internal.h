/* Internals of the regressions (least squares, OLS, logit and their
 * bootstraps), shared with the estimators built on them. */
#ifndef ATTRIB_REGRESSION_INTERNAL_H
#define ATTRIB_REGRESSION_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <attrib/bootstrap.h>
#include <attrib/logit.h>
#include <attrib/status.h>
#include "core/attrib_internal.h"
#include "core/xsrc.h"
#include "inference/inference_internal.h"

/* ------------------------------------------------------------ least squares */

/* The solution of min || sqrt(w) (y - X b) || over the estimable columns. */
typedef struct attrib__ls {
  size_t k;      /* columns of X */
  size_t r;      /* rank: kept columns */
  size_t *cols;  /* r indices of the kept columns, ascending */
  int *aliased;  /* k flags */
  double *R;     /* r-by-r upper triangular, ld r: X_kept' W X_kept = R'R */
  double *beta;  /* r */
  double rss;    /* weighted residual sum of squares */
  int rss_at_solution; /* rss is of the least-squares solution, summed in long double (the accurate path) */
  double *bread; /* r-by-r (R'R)^-1 when the solver computed it more accurately, else NULL */
  const char *method;
  double rcond;  /* Cholesky path: reciprocal condition of the equilibrated X'WX */
  int refinements;
  attrib__scratch *scratch; /* where the arrays above came from (NULL: the allocator) */
} attrib__ls;

/*
 * Solves the least-squares problem. ref_norm2 (k, optional): squared norms
 * the collinearity rule compares with (the columns before fixed effects were
 * absorbed); NULL = the columns' own norms.
 */
struct attrib_design;
/* keep[i] = 0 for rows alone in a level of any fixed effect of d (repeatedly,
 * as reghdfe; ols.c), 1 otherwise; *dropped counts the zeros. */
attrib_status attrib__ols_drop_singletons(const struct attrib_design *d, unsigned char *keep, size_t *dropped,
                                          attrib_error *err);
attrib_status attrib__ls_solve(const attrib__xsrc *X, const double *y, const double *w, double tol,
                               const double *ref_norm2, attrib__ls *out, attrib_error *err);
/* The same without refinement steps (for iterations that refine themselves,
 * IRLS). */
attrib_status attrib__ls_solve_plain(const attrib__xsrc *X, const double *y, const double *w, double tol,
                                     const double *ref_norm2, attrib__ls *out, attrib_error *err);
/* The same drawing every array, the result's too, from the scratch sc:
 * a loop of solves resets sc before each and allocates nothing when sc
 * holds attrib__ls_scratch_size(n, k) bytes. attrib__ls_free still
 * applies (it frees what did not fit). */
attrib_status attrib__ls_solve_scratch(const attrib__xsrc *X, const double *y, const double *w, double tol,
                                       const double *ref_norm2, attrib__scratch *sc, attrib__ls *out,
                                       attrib_error *err);
size_t attrib__ls_scratch_size(size_t n, size_t k);
void attrib__ls_free(attrib__ls *ls);

/* Steps 5 to 8 of attrib_ols_fit (coefficient table, F test, effect,
 * warnings) for a fit without fixed effects solved elsewhere: d gives the
 * column names; r holds the fit's counts, rss, df and vcov facts. */
struct attrib_ols_options;
struct attrib_ols_result;
struct attrib_ols_stats;
attrib_status attrib__ols_finish(const attrib_design *d, const struct attrib_ols_options *opts, const attrib__ls *ls,
                                 const double *Vr, struct attrib_ols_result *r, attrib_error *err);

/* The Wald F test that every kept slope is zero, with the covariance V
 * (k x k over all columns, column-major): r->f_statistic, f_df1, f_df2 (=
 * r->df_inference) and f_p_value, NaN when V is singular. beta_full: k
 * estimates; skip: the intercept's column, or SIZE_MAX; aliased columns
 * (r->coef.aliased) are left out. */
void attrib__ols_wald(struct attrib_ols_result *r, const double *beta_full, const double *V, size_t k, size_t skip);

/* attrib_ols_fit_stream with a formula built by the caller, and a look at
 * each chunk of the fit pass: hook(ctx, chunk, design, err) for every
 * chunk (design NULL when no row of it is used), then once with both NULL
 * after the last; a status other than ATTRIB_OK stops the fit with it.
 * did's 2x2 counts its cells and checks its indicators there. */
typedef attrib_status (*attrib__stream_hook)(void *ctx, const attrib_table *chunk, const attrib_design *d,
                                             attrib_error *err);
struct attrib_csv_options;
attrib_status attrib__ols_fit_stream_f(const char *path, const struct attrib_csv_options *copts,
                                       const attrib_formula *f, const attrib_design_options *dopts,
                                       const struct attrib_ols_options *opts, size_t chunk_rows,
                                       attrib__stream_hook hook, void *hook_ctx, struct attrib_ols_result **out,
                                       attrib_error *err);

/* logit.c's mu, dmu/deta and deviance contribution of y at eta, and the
 * |eta| at which fitted probabilities are numerically 0 or 1 (the
 * separation check): for the streamed fit (ols_stream.c). */
void attrib__link_eval(attrib_link link, double eta, double y, double *mu, double *mueta, double *dev);
double attrib__link_thresh(attrib_link link);

/* The QR path of attrib__ls_solve from an R factor already at hand: Ra is
 * the (k+1)-by-(k+1) R of [sqrt(w) X, sqrt(w) y] (ld k + 1) and norm2 the
 * squared norms of X's columns (the collinearity rule's reference). A
 * stream (ols_stream.c) merges the R of each chunk into Ra. */
attrib_status attrib__ls_from_r(const double *Ra, const double *norm2, size_t k, double tol, attrib__ls *out,
                                attrib_error *err);

/* e = y - X_kept beta (n values). */
attrib_status attrib__ls_residuals(const attrib__ls *ls, const attrib__xsrc *X, const double *y, double *e,
                                   attrib_error *err);

/* eta = X beta over all k columns of X (n values). */
attrib_status attrib__xsrc_gemv(const attrib__xsrc *X, const double *beta, double *eta, attrib_error *err);

/* (R'R)^-1 = R^-1 R^-T, r-by-r full symmetric (output). */
attrib_status attrib__ls_bread(const attrib__ls *ls, double *bread, attrib_error *err);

/* ------------------------------------------------------------ several outcomes
 * The columns of X demeaned by the absorbed fixed effects, kept from one
 * outcome's fit for the next on the same design (ols_multi.c): demeaning
 * is column by column, so the next fit demeans y alone and gets the same
 * numbers. Starts zeroed; X NULL until a fit with fixed effects fills it. */
typedef struct attrib__ols_xcache {
  double *X;      /* n x k, column-major */
  size_t n, k;
  size_t iters;   /* the most sweeps a column took */
  int converged;
} attrib__ols_xcache;

/* attrib_ols_fit, reading and filling xc (NULL = none). */
attrib_status attrib__ols_fit_cached(const attrib_design *d, const attrib_ols_options *opts, attrib__ols_xcache *xc,
                                     attrib_ols_result **out, attrib_error *err);
void attrib__ols_xcache_free(attrib__ols_xcache *xc);

/* ------------------------------------------------------------ OLS refits
 * A workspace for refitting one design with absorbed fixed effects under
 * many weightings (the pairs and cluster bootstraps), on up to threads
 * threads at once (ols.c). Everything is allocated by _alloc: a refit
 * allocates nothing. */
typedef struct attrib__ols_ws attrib__ols_ws;

/* The workspace for d (1 to 8 absorbed fixed effects) fitted with o
 * (its tolerances; the covariance is not computed); threads >= 1. */
attrib_status attrib__ols_ws_alloc(const attrib_design *d, const attrib_ols_options *o, size_t threads,
                                   attrib__ols_ws **ws, attrib_error *err);
/* Refits with the row weights w (d->n rows) on the scratch of thread
 * (< threads; one refit per thread at a time): coefficient coef as
 * attrib_ols_fit would estimate it (ok = 0 where that fit fails or aliases
 * coef). Only ATTRIB_ENOMEM is returned as an error. */
attrib_status attrib__ols_ws_refit(attrib__ols_ws *ws, size_t thread, const double *w, size_t coef, double *beta,
                                   int *ok);
void attrib__ols_ws_free(attrib__ols_ws *ws);

/* ------------------------------------------------------------ logit refits
 * A workspace for refitting one logit/probit design under many weightings
 * (the pairs and cluster bootstraps), one refit at a time (each threads
 * over the rows itself, on the threads fixed here): the IRLS arrays, a
 * pass's partials and per-thread buffers, the separation check's scratch
 * (logit.c). A refit allocates only when it needs the QR start (a singular
 * start: aliased columns). */
typedef struct attrib__logit_ws attrib__logit_ws;

/* The workspace for d (at least one column) fitted with o (its link,
 * tolerances and threads). */
attrib_status attrib__logit_ws_alloc(const attrib_design *d, const attrib_logit_options *o, attrib__logit_ws **ws,
                                     attrib_error *err);
/* Refits the design view dd (d's rows and columns, its own weights) with o:
 * coefficient coef and its SE under the inverse information, bit for bit
 * attrib_logit_fit's with o->vcov iid; ok = 0 where that fit fails, does
 * not converge or aliases coef. Returns that fit's status (ATTRIB_ENOMEM
 * only from the QR start). */
attrib_status attrib__logit_ws_refit(attrib__logit_ws *ws, const attrib_design *dd, const attrib_logit_options *o,
                                     size_t coef, double *beta, double *se, int *ok);
void attrib__logit_ws_free(attrib__logit_ws *ws);

/* logit_margins.c: frees an average marginal effect (NULL is a no-op) */
struct attrib_logit_ame;
void attrib__logit_ame_free(struct attrib_logit_ame *a);

/* How the OLS warning that the fixed effects did not converge begins
 * (did rewrites it: its own command has no --fe-max-iter). */
#define ATTRIB__FE_NOT_CONVERGED "absorbing the fixed effects did not converge"

/* ------------------------------------------------------------ bootstraps
 * of OLS (ols_bootstrap.c: the entry and the sufficient statistics;
 * pairs_bootstrap.c: pairs and cluster, also of logit; wild_bootstrap.c:
 * the wild (cluster) bootstrap). They draw from the engine's streams and
 * finish through it (inference/inference_internal.h). */

/* packed index of (a, b), a <= b, in the upper triangle by columns */
static inline size_t attrib__packed(size_t a, size_t b) { return b * (b + 1) / 2 + a; }

/* solves (the packed SPD A) x = rhs; returns -1 when A is not positive
 * definite; inv (k x k, full) receives A^-1 when not NULL; work: k x k */
int attrib__spd_solve(const double *Ap, const double *rhs, size_t k, double *work, double *x, double *inv);

/* The data as sufficient statistics (per cluster, and their totals) */
typedef struct attrib__boot_suff {
  size_t n, k, G, q;   /* q = k(k+1)/2 + k: packed X'X then X'y */
  double *X, *y;       /* kept for the pairs bootstrap: n x k (demeaned), n */
  size_t *cols;        /* design columns used (not aliased) */
  size_t j;            /* position of the coefficient among them */
  double *S;           /* G x q, row-major by cluster: per-cluster statistics */
  double *tot;         /* q: the totals */
  double *ng;          /* G: rows per cluster */
  double yy;
} attrib__boot_suff;

/* Per-cluster statistics of (sqrt(w) x, sqrt(w) y) of the fit's kept
 * columns, coefficient coef at s->j; X and y demeaned first when the design
 * absorbs fixed effects (Frisch-Waugh-Lovell). keep_rows keeps X and y
 * (pairs); G = 0 gives the totals only. wild: the fixed effects not nested
 * in the clusters cl (all of them without cl) become dummy columns after
 * the design's. */
attrib_status attrib__boot_suff_build(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                      const int32_t *cl, size_t G, int keep_rows, int wild, size_t threads,
                                      attrib__boot_suff *s, attrib_error *err);
void attrib__boot_suff_free(attrib__boot_suff *s);

/* pairs_bootstrap.c: the cluster bootstrap from counts (est: the
 * full-sample coefficient); the pairs bootstrap from row counts (s built
 * with keep_rows; w: the design's weights or NULL); pairs (cl NULL) or
 * cluster bootstrap of a fit with absorbed fixed effects by refits */
attrib_status attrib__boot_cluster(const attrib__boot_suff *s, const attrib_boot_options *o, double est,
                                   attrib_boot_result *r, attrib_error *err);
attrib_status attrib__boot_pairs(const attrib__boot_suff *s, const double *w, const attrib_boot_options *o,
                                 attrib_boot_result *r, attrib_error *err);
attrib_status attrib__boot_ols_refit(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                     const attrib_boot_options *o, const int32_t *cl, size_t G, attrib_boot_result *r,
                                     attrib_error *err);

/* wild_bootstrap.c: the heteroskedastic wild bootstrap (every row its own
 * cluster, blocked); the wild cluster bootstrap on the statistics s (which
 * may free s->S once it has the clusters' scores: free s after) */
attrib_status attrib__boot_wild_rows(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                     const attrib_boot_options *o, attrib_boot_result *r, attrib_error *err);
attrib_status attrib__boot_wild_clusters(attrib__boot_suff *s, const attrib_boot_options *o,
                                         attrib_boot_result *r, attrib_error *err);

/* Test hook, thread-local like the allocation-failure countdown: 1 sends
 * the clustered wild bootstrap through its blocked path (no G x B matrix)
 * even when the matrix would fit, so that tests compare the two paths. */
void attrib__boot_debug_force_blocked(int on);
/* Test hook, thread-local as that one: 1 builds the per-cluster statistics
 * of the design's rows by the many-clusters path (ols_bootstrap.c,
 * WIDE_G) whatever the number of clusters, so that tests compare it with
 * the dsyrk path. */
void attrib__boot_debug_force_wide(int on);

/* The few-clusters warning of a clustered fit (G < 30), made in one place
 * (src/regression/ols_bootstrap.c) so that attrib_ols_settle_warnings
 * recognises it; coarse names the clustering with fewer clusters when there
 * are two. Allocated (attrib__free), NULL when out of memory. */
char *attrib__few_clusters_warning(size_t G, const char *coarse);

/* ols_stats.c: a statistics struct for k terms, arrays zero (with the
 * coefficients' array when residuals), parts 1, vcov iid. */
attrib_status attrib__ols_stats_new(size_t k, int residuals, struct attrib_ols_stats **out, attrib_error *err);
/* The residual sums moved exactly to the coefficients b (k): rss at b
 * (from rss at s->coefficients and the normal equations), coefficients = b.
 * The meat is not moved (it cannot be). */
attrib_status attrib__ols_stats_move(struct attrib_ols_stats *s, const double *b, attrib_error *err);
/* Cholesky solve of X'X beta = X'y and B = (X'X)^-1 (k x k, full); a
 * collinear or constant column (relative remaining norm <= tol) is
 * ATTRIB_ECOLLINEAR. */
attrib_status attrib__ols_stats_solve(const double *XtX, const double *Xty, size_t k, double tol, double *beta,
                                      double *B, attrib_error *err);

/* logit.c: delta = G^-1 g by Cholesky of the equilibrated G (r x r, the
 * upper triangle read; G keeps the factor, scale the equilibration); -1
 * when G is not positive definite. */
int attrib__newton_step_chol(double *G, const double *g, size_t r, double *scale, double *delta);
/* Newton (Fisher scoring) for the out-of-core logits (the streamed and the
 * pushed-down): pass(ctx, dev) fills G and g at beta and the deviance;
 * steps halve while the deviance rises; logit.c's convergence test
 * (relative deviance change below tol, every step below 1e-10 relative).
 * A singular information is ATTRIB_ESEPARATION. */
typedef struct attrib__newton {
  void *ctx;
  attrib_status (*pass)(void *ctx, double *dev);
  size_t r, max_iter;
  double tol;
  double *beta, *beta_old, *delta, *G, *g, *scale;
} attrib__newton;
attrib_status attrib__newton_run(const attrib__newton *nw, double *dev, size_t *iterations, int *converged,
                                 attrib_error *err);
/* The out-of-core logits' likelihood statistics (deviance, log-likelihood,
 * the null deviance of sy ones in weight sw, AIC and BIC for k coefficients
 * over n rows) and their warnings (not converged; fewer than 30 clusters,
 * r's cluster facts already set). ATTRIB_ENOMEM (no message) when a warning
 * cannot be stored. */
struct attrib_logit_result;
struct attrib_logit_options;
attrib_status attrib__logit_ooc_stats(struct attrib_logit_result *r, const struct attrib_logit_options *o, double dev,
                                      double sw, double sy, double n, size_t k, int intercept);
/* logit_separation out of core: with extreme rows (|eta| at the link's
 * threshold) at the estimate, ATTRIB_ESEPARATION naming the term with the
 * largest standardised coefficient (m1, m2: the r columns' sums and sums of
 * squares over n rows; names[cols[c]], or names[c] when cols is NULL);
 * else ATTRIB_OK. */
attrib_status attrib__separation_verdict(const char *yname, double extreme, const double *m1, const double *m2,
                                        const double *beta, double n, size_t r, const char *const *names,
                                        const size_t *cols, attrib_error *err);

#endif
