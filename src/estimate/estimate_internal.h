/* Internals shared by the estimators. */
#ifndef ATTRIB_ESTIMATE_INTERNAL_H
#define ATTRIB_ESTIMATE_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <attrib/status.h>
#include <attrib/vcov.h>
#include "core/xsrc.h"

/* ------------------------------------------------------------ matching ties */

/* Relative rounding tolerance of a tie: distances equal to 1e-12 of the
 * scale of the distance (1 + |d|) are equal. Scores from identical covariate
 * rows are equal, but equal gaps on either side of a unit (a lattice of
 * scores from integer covariates: one of Lalonde's ties) differ in their
 * last bits, and the score model's summation order moves distances by up
 * to 2e-14 on Lalonde when the rows are shuffled; 1e-12 leaves a margin of
 * 50 over that. 1e-10 was tried: on 1M simulated rows with continuous
 * covariates it joined 18 near-ties (of 308k sets) that 1e-12 does not. */
#define ATTRIB__TIE_RELTOL 1e-12

/* The largest distance that ties dk, the M-th nearest distance from a unit
 * at d: dk up to rounding, or within the squared window (Matching's
 * distance.tolerance: d^2 <= dk^2 + window). */
static inline double attrib__tie_bound(double dk, double d, double window) {
  double thr = dk + ATTRIB__TIE_RELTOL * (1.0 + fabs(d));
  if (window > 0.0) {
    double w = sqrt(dk * dk + window);
    if (w > thr) thr = w;
  }
  return thr;
}

/* Sets flag[i] = v for every focal unit of m and every candidate some set
 * uses (many-tie runs through a difference array, so the cost is
 * O(sets + members) however large the runs). Returns ATTRIB_ENOMEM or
 * ATTRIB_OK. */
struct attrib_matches;
attrib_status attrib__match_mark(const struct attrib_matches *m, unsigned char *flag, unsigned char v, attrib_error *err);

/* Sets larger than this add their members one by one; larger ones (only
 * ties make them) go through prefix sums or difference arrays in O(1). */
#define ATTRIB__RUN_DIRECT 32

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

/* ------------------------------------------------------------ fixed effects */

typedef struct attrib__fe {
  size_t n, D;
  const int32_t *const *codes; /* D arrays of n codes */
  const size_t *levels;        /* D */
  const double *w;             /* n weights or NULL */
  double **inv_wsum;           /* D arrays: 1 / (sum of weights) per level */
  double **sums;               /* D scratch arrays, one per level */
  double *scratch;             /* 3 n doubles for the accelerated iteration */
} attrib__fe;

attrib_status attrib__fe_init(attrib__fe *fe, size_t n, size_t D, const int32_t *const *codes,
                              const size_t *levels, const double *w, attrib_error *err);
void attrib__fe_free(attrib__fe *fe);

/* Replaces v by its residual from the projection on all fixed-effect
 * dummies (weighted). iters: sweeps used. converged: 0 if max_iter ran out. */
attrib_status attrib__fe_demean(attrib__fe *fe, double *v, double tol, size_t max_iter, size_t *iters,
                                int *converged, attrib_error *err);

/* Absorbed degrees of freedom: levels less redundancies (exact for D <= 2:
 * connected components of the bipartite level graph; for D > 2 one per
 * extra dimension, a lower bound as reghdfe's default). */
size_t attrib__fe_dof(size_t n, size_t D, const int32_t *const *codes, const size_t *levels);

/* Whether every level of a is inside one level of b (a nested in b). */
int attrib__nested(size_t n, const int32_t *a, size_t la, const int32_t *b, size_t lb);

/* ------------------------------------------------------------ variance */

typedef struct attrib__clusters {
  size_t dims;                /* 1 or 2 */
  const int32_t *codes[2];
  size_t G[2];
  int32_t *inter;             /* intersection codes for two-way (owned) */
  size_t G_inter;
} attrib__clusters;

/*
 * Sandwich covariance bread * meat * bread of the kept columns cols (r of
 * them) of X, with bread = (X'WX)^-1 (r-by-r) and residuals e:
 *   HC0..HC3: meat = sum_i omega_i x_i x_i', omega_i = (w_i e_i)^2 / (1 - h_i)^a
 *             (h: leverages, needed for HC2/HC3 only); HC1 scaled by dof_scale;
 *   cluster:  meat = sum_g s_g s_g', s_g = sum_{i in g} w_i e_i x_i, with the
 *             CR1 factors G/(G-1) per dimension and (n-1)/(n-Kadj) once.
 * V: r-by-r output.
 */
attrib_status attrib__vcov_hc(const attrib__xsrc *X, const size_t *cols, size_t r, const double *bread,
                              const double *w, const double *e, const double *h, attrib_vcov_type type,
                              double dof_scale, double *V, attrib_error *err);
attrib_status attrib__vcov_cluster(const attrib__xsrc *X, const size_t *cols, size_t r, const double *bread,
                                   const double *w, const double *e, const attrib__clusters *cl, double Kadj, double *V,
                                   int *psd_fixed, attrib_error *err);
/* Leverage h_i = w_i x_i' (X'WX)^-1 x_i for the kept columns (n values). */
attrib_status attrib__leverage(const attrib__xsrc *X, const size_t *cols, size_t r, const double *R,
                               const double *w, double *h, attrib_error *err);
attrib_status attrib__clusters_init(attrib__clusters *cl, size_t n, size_t dims, const int32_t *const *codes,
                                    const size_t *G, attrib_error *err);
void attrib__clusters_free(attrib__clusters *cl);

/* ------------------------------------------------------------ tables */

attrib_status attrib__coef_alloc(attrib_coef_table *t, size_t k);
void attrib__coef_free(attrib_coef_table *t);
/* Fills statistic, p_value and the interval from estimate and std_error:
 * t with df degrees of freedom (df <= 0 or infinite: normal). */
void attrib__coef_infer(attrib_coef_table *t, double df, double level);
void attrib__effect_from(attrib_effect *e, const attrib_coef_table *t, size_t j);
/* Fills statistic, p value and interval of e from its estimate and SE (t with df, normal when df is
 * infinite or not positive); NaN when the SE is not positive. */
void attrib__effect_infer(attrib_effect *e, double df, double level);
/* The vcov choice against the design's cluster columns: cluster needs one or
 * two, the other types none. ATTRIB_EINVAL with the reason. */
attrib_status attrib__check_vcov_clusters(attrib_vcov_type vcov, size_t n_cluster, attrib_error *err);

/* Appends a copy of text to a growable string list (warnings, dropped
 * terms). Returns ATTRIB_OK or ATTRIB_ENOMEM. */
attrib_status attrib__strlist_push(char ***list, size_t *n, const char *text);

/* The doubly robust ATT (Sant'Anna & Zhao 2020; dr_att.c) of the units with
 * in[i], treated[i] marking the target group, on outcome y (or long
 * differences), X n x k column-major with an intercept: logit score, OLS
 * of y on X among the comparison units, DRDID's trimming and influence
 * function; psi[i] = (n / m) IF_i for the m units in the set, untouched
 * elsewhere. Returns 0, or -1 with the reason in why. */
typedef struct attrib__dr_work {
  size_t k;
  double *H, *Hinv, *XXinv, *beta, *bols, *g, *M1, *M2, *M3, *v;
} attrib__dr_work;
int attrib__dr_work_init(attrib__dr_work *w, size_t k);
void attrib__dr_work_free(attrib__dr_work *w);
int attrib__dr_att(const double *X, size_t n, const double *y, const unsigned char *in, const unsigned char *treated,
                   attrib__dr_work *w, double *att, double *psi, char *why, size_t whylen);
void attrib__strlist_free(char **list, size_t n);

/* logit_margins.c: frees an average marginal effect (NULL is a no-op) */
struct attrib_logit_ame;
void attrib__logit_ame_free(struct attrib_logit_ame *a);

/* How the OLS warning that the fixed effects did not converge begins
 * (did rewrites it: its own command has no --fe-max-iter). */
#define ATTRIB__FE_NOT_CONVERGED "absorbing the fixed effects did not converge"

/* The few-clusters warning of a clustered fit (G < 30), made in one place
 * (src/inference/bootstrap.c) so that attrib_ols_settle_warnings recognises
 * it; coarse names the clustering with fewer clusters when there are two.
 * Allocated (attrib__free), NULL when out of memory. */
char *attrib__few_clusters_warning(size_t G, const char *coarse);

/* Test hook, thread-local like the allocation-failure countdown: 1 sends
 * the clustered wild bootstrap through its blocked path (no G x B matrix)
 * even when the matrix would fit, so that tests compare the two paths. */
void attrib__boot_debug_force_blocked(int on);

#endif
