/* Internals of the inference stage (variance, coefficient tables, the
 * bootstrap engine), shared with the estimators above it. The engine knows
 * no estimator: an estimator's bootstrap (src/regression/ols_bootstrap.c
 * and the files it names) draws its replicates from the streams here, or
 * hands the engine a refit callback, and turns the replicates into a result
 * with attrib__boot_finish. */
#ifndef ATTRIB_INFERENCE_INTERNAL_H
#define ATTRIB_INFERENCE_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <attrib/bootstrap.h>
#include <attrib/design.h>
#include <attrib/status.h>
#include <attrib/vcov.h>
#include "core/attrib_internal.h"
#include "core/rng.h"
#include "core/xsrc.h"

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
/* attrib__vcov_cluster with the residuals made in the same pass over X:
 * e = y - X_cols beta (n, output; bit-identical to attrib__ls_residuals'),
 * each block scored while it is in cache, so that OLS with cluster-robust
 * errors reads X twice in all (cross-products, then this) rather than three
 * times. */
attrib_status attrib__vcov_cluster_resid(const attrib__xsrc *X, const size_t *cols, size_t r, const double *beta,
                                         const double *y, double *e, const double *bread, const double *w,
                                         const attrib__clusters *cl, double Kadj, double *V, int *psd_fixed,
                                         attrib_error *err);
/* V = s * B M B for symmetric r-by-r B (the bread) and M (the meat), full
 * storage, V exactly symmetric: the sandwich of attrib__vcov_hc and
 * attrib__vcov_cluster, for estimators that accumulate their own meat
 * (the streamed and pushed-down fits). */
attrib_status attrib__sandwich(const double *B, const double *M, size_t r, double s, double *V, attrib_error *err);
/* The sandwich's scale for one-way clustering or HC, n rows and K kept
 * coefficients: CR1's G/(G-1) (n-1)/(n-K) (attrib__vcov_cluster's for one
 * dimension), HC1's n/(n-K), else 1: for the fits that call
 * attrib__sandwich themselves. */
static inline double attrib__sandwich_scale(attrib_vcov_type vcov, double n, double G, double K) {
  if (vcov == ATTRIB_VCOV_CLUSTER) return G / (G - 1.0) * ((n - 1.0) / (n - K));
  return vcov == ATTRIB_VCOV_HC1 ? n / (n - K) : 1.0;
}
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
/* ------------------------------------------------------------ subgroups (by.c) */

struct attrib_by_result;
/* A new subgroup result for G groups: levels, estimates and vcov to fill. */
attrib_status attrib__by_alloc(struct attrib_by_result **out, const char *column, size_t G, attrib_error *err);
/* With each group's estimate and r->vcov filled: the groups' SEs and
 * intervals (t with df, normal when infinite), the pairwise differences
 * and the Wald test of equality. */
attrib_status attrib__by_compare(struct attrib_by_result *r, const char *term, double df, double level,
                                 attrib_error *err);
/* The groups of column by over the rows of t where it is not missing:
 * rows[0..n) (table rows), their codes 0..G-1 and G level names (sorted);
 * refuses one level and more than ATTRIB_BY_MAX_LEVELS (ATTRIB_EDESIGN)
 * and a missing column (ATTRIB_ENOCOL). */
typedef struct attrib__by_groups_t {
  size_t *rows;
  int32_t *codes;
  size_t n, G, n_missing;
  char **levels;
} attrib__by_groups_t;
attrib_status attrib__by_groups(const struct attrib_table *t, const char *by, attrib__by_groups_t *g,
                                attrib_error *err);
void attrib__by_groups_free(attrib__by_groups_t *g);
/* The table rows of one level (rows holds g->n). */
attrib_status attrib__by_group_rows(const attrib__by_groups_t *g, size_t level, size_t *rows, size_t *n);
/* ATTRIB_EDESIGN, naming the cluster and two groups, when a level of the
 * column cluster holds rows of two groups (estimators that fit each group
 * alone treat the groups as independent samples). */
attrib_status attrib__by_nested(const struct attrib_table *t, const char *cluster, const attrib__by_groups_t *g,
                                const char *by, attrib_error *err);
/* r->vcov = diag(se^2): groups fitted apart, independent samples. */
void attrib__by_independent(struct attrib_by_result *r, const double *se);
/* ATTRIB_EDESIGN (option by.column) when the numeric 0/1 column treat has
 * no treated or no control row among rows[0..n) of level `level`; OK when
 * it has both, or when treat is missing or not numeric (the fit names that). */
attrib_status attrib__by_both_arms(const struct attrib_table *t, const char *treat, const size_t *rows, size_t n,
                                   const char *level, const char *by, attrib_error *err);
/* A group's failed fit: err's message (and option) prefixed with the
 * level; returns s. */
attrib_status attrib__by_group_error(attrib_status s, const char *level, const char *by, attrib_error *err);

/* The vcov choice against the design's cluster columns: cluster needs one or
 * two, the other types none. ATTRIB_EINVAL with the reason. */
attrib_status attrib__check_vcov_clusters(attrib_vcov_type vcov, size_t n_cluster, attrib_error *err);

/* ------------------------------------------------------------ quantiles of draws */

/* qsort comparator for doubles, ascending (no NaN). */
int attrib__cmp_double(const void *a, const void *b);

/* R's type-7 quantile (quantile(x, p), the default) of the sorted v[0..n),
 * n >= 1, 0 <= p <= 1. */
double attrib__quantile7(const double *v, size_t n, double p);

/* ------------------------------------------------------------ bootstrap engine
 * (src/inference/bootstrap.c: options, the replicate loop over a refit
 * callback, intervals and p-values; the multiplier bootstrap in
 * multiplier_bootstrap.c) */

/* a * b, or SIZE_MAX when the product overflows: attrib__malloc(count, size)
 * then fails cleanly (it checks count * size), so no size computed here can
 * wrap around to a small allocation */
static inline size_t attrib__mulsz(size_t a, size_t b) { return a && b > SIZE_MAX / a ? SIZE_MAX : a * b; }

/* Replicate b's stream: the one source (core/rng.h), purpose BOOT; draw j of
 * it is index j of a resample or the weight of cluster j. */
static inline uint64_t attrib__boot_stream(uint64_t seed, size_t b) {
  return attrib__rng_key(seed, ATTRIB__RNG_BOOT, b);
}

static inline size_t attrib__boot_draw_index(uint64_t s, size_t j, size_t m) {
  return attrib__rng_below(attrib__rng_bits(s, j), m);
}

/* the wild weight of cluster g in stream s */
static inline double attrib__boot_wild_weight(uint64_t s, size_t g, attrib_boot_weights w) {
  uint64_t h = attrib__rng_bits(s, g);
  switch (w) {
  case ATTRIB_BOOT_WEBB: { /* six points, each with probability 1/6 */
    static const double v[6] = {-1.2247448713915890, -1.0, -0.70710678118654752, 0.70710678118654752, 1.0,
                                1.2247448713915890};
    return v[attrib__rng_below(h, 6)];
  }
  case ATTRIB_BOOT_MAMMEN: { /* -(sqrt5-1)/2 w.p. (sqrt5+1)/(2 sqrt5), else (sqrt5+1)/2 */
    const double s5 = 2.2360679774997897, p = (s5 + 1.0) / (2.0 * s5);
    double u = attrib__rng_unit(h);
    return u < p ? -(s5 - 1.0) / 2.0 : (s5 + 1.0) / 2.0;
  }
  default: return h >> 63 ? 1.0 : -1.0;
  }
}

/* Replicate b's estimate of the coefficient, its studentized t (NaN when
 * not asked) and whether it could be computed (B of each). */
typedef struct attrib__boot_reps {
  double *beta_j;  /* B */
  double *t;       /* B studentized (NaN when not asked) */
  unsigned char *ok;
} attrib__boot_reps;

/* the replicates option within [99, ATTRIB_BOOT_MAX_REPLICATES] */
attrib_status attrib__boot_check_replicates(const attrib_boot_options *o, attrib_error *err);

/* The result from B replicates ro (failed ones left out, at least 10
 * needed): the draws (keep_draws), the SE, the p-value of
 * |beta* - beta| >= |beta - null_value| and the o->ci interval, with
 * se_full the full-sample SE (studentized) and acc the BCa acceleration. */
attrib_status attrib__boot_finish(attrib_boot_result *r, const attrib_boot_options *o, const attrib__boot_reps *ro,
                                  size_t B, double se_full, double acc, double null_value, attrib_error *err);

/* One replicate's refit on a design view carrying its weights: the
 * coefficient and its t (NaN when not available), ok = 0 when the replicate
 * cannot be estimated; ATTRIB_ENOMEM stops the bootstrap. thread (below the
 * loop's threads) names the scratch of the estimator's that the refit may
 * use: no two refits run on the same thread index at once. */
typedef attrib_status (*attrib__boot_refit_fn)(const attrib_design *dd, void *ctx, size_t thread, size_t coef,
                                               double *beta, double *t, int *ok);

/* Replicates of a refit loop are run (and progress reported) in batches of
 * this many: more threads than that are never busy at once. */
#define ATTRIB__BOOT_REFIT_BATCH 10

/* The refit bootstraps' loop (pairs, or cluster with cl: G codes): replicate
 * b's resampling weights from its stream, then the estimator's refit on the
 * same rows with those weights, into ro (B = o->replicates). threads: how
 * many refits may run at once (1: in order on the calling thread, for a fit
 * that threads itself); results do not depend on it. */
attrib_status attrib__boot_refit(const attrib_design *d, const attrib_boot_options *o, const int32_t *cl, size_t G,
                                 size_t coef, size_t threads, attrib__boot_refit_fn fit, void *ctx,
                                 attrib__boot_reps *ro, attrib_error *err);

#endif
