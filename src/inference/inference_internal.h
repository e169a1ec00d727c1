/* Internals of the inference stage (variance, coefficient tables, the
 * bootstrap engine), shared with the estimators above it. */
#ifndef ATTRIB_INFERENCE_INTERNAL_H
#define ATTRIB_INFERENCE_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <attrib/status.h>
#include <attrib/vcov.h>
#include "core/attrib_internal.h"
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

/* The few-clusters warning of a clustered fit (G < 30), made in one place
 * (src/inference/bootstrap.c) so that attrib_ols_settle_warnings recognises
 * it; coarse names the clustering with fewer clusters when there are two.
 * Allocated (attrib__free), NULL when out of memory. */
char *attrib__few_clusters_warning(size_t G, const char *coarse);

#endif
