/* Internals of the regressions (least squares, OLS, logit and their
 * bootstraps), shared with the estimators built on them. */
#ifndef ATTRIB_REGRESSION_INTERNAL_H
#define ATTRIB_REGRESSION_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
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
} attrib__ls;

/*
 * Solves the least-squares problem. ref_norm2 (k, optional): squared norms
 * the collinearity rule compares with (the columns before fixed effects were
 * absorbed); NULL = the columns' own norms.
 */
attrib_status attrib__ls_solve(const attrib__xsrc *X, const double *y, const double *w, double tol,
                               const double *ref_norm2, attrib__ls *out, attrib_error *err);
/* The same without refinement steps (for iterations that refine themselves,
 * IRLS). */
attrib_status attrib__ls_solve_plain(const attrib__xsrc *X, const double *y, const double *w, double tol,
                                     const double *ref_norm2, attrib__ls *out, attrib_error *err);
void attrib__ls_free(attrib__ls *ls);

/* e = y - X_kept beta (n values). */
attrib_status attrib__ls_residuals(const attrib__ls *ls, const attrib__xsrc *X, const double *y, double *e,
                                   attrib_error *err);

/* eta = X beta over all k columns of X (n values). */
attrib_status attrib__xsrc_gemv(const attrib__xsrc *X, const double *beta, double *eta, attrib_error *err);

/* (R'R)^-1 = R^-1 R^-T, r-by-r full symmetric (output). */
attrib_status attrib__ls_bread(const attrib__ls *ls, double *bread, attrib_error *err);

/* logit_margins.c: frees an average marginal effect (NULL is a no-op) */
struct attrib_logit_ame;
void attrib__logit_ame_free(struct attrib_logit_ame *a);

/* How the OLS warning that the fixed effects did not converge begins
 * (did rewrites it: its own command has no --fe-max-iter). */
#define ATTRIB__FE_NOT_CONVERGED "absorbing the fixed effects did not converge"

/* Test hook, thread-local like the allocation-failure countdown: 1 sends
 * the clustered wild bootstrap through its blocked path (no G x B matrix)
 * even when the matrix would fit, so that tests compare the two paths. */
void attrib__boot_debug_force_blocked(int on);

#endif
