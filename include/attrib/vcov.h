/*
 * Variance estimators and the coefficient table every estimator reports.
 */
#ifndef ATTRIB_VCOV_H
#define ATTRIB_VCOV_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_vcov_type {
  ATTRIB_VCOV_IID = 0, /* sigma^2 (X'WX)^-1 */
  ATTRIB_VCOV_HC0,     /* White (1980) */
  ATTRIB_VCOV_HC1,     /* HC0 x n / (n - K) (Stata's robust) */
  ATTRIB_VCOV_HC2,     /* e^2 / (1 - h) (MacKinnon & White 1985) */
  ATTRIB_VCOV_HC3,     /* e^2 / (1 - h)^2 */
  ATTRIB_VCOV_CLUSTER  /* one- or two-way cluster-robust, CR1 */
} attrib_vcov_type;

/* "iid", "hc0".."hc3", "cluster"; ATTRIB_EINVAL otherwise. */
ATTRIB_API attrib_status attrib_vcov_type_parse(const char *s, attrib_vcov_type *out, attrib_error *err);
ATTRIB_API const char *attrib_vcov_type_name(attrib_vcov_type t);

/* broom::tidy's columns, one row per coefficient. Aliased (dropped)
 * coefficients have aliased[j] = 1 and NaN in every number. */
typedef struct attrib_coef_table {
  size_t k;
  char **term;
  double *estimate, *std_error, *statistic, *p_value, *ci_low, *ci_high;
  int *aliased;
} attrib_coef_table;

/* The estimate of one coefficient as a causal effect. */
typedef struct attrib_effect {
  char *term;
  double estimate, std_error, statistic, p_value, ci_low, ci_high;
} attrib_effect;

#ifdef __cplusplus
}
#endif

#endif
