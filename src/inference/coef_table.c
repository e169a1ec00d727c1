#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/vcov.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"

attrib_status attrib_vcov_type_parse(const char *s, attrib_vcov_type *out, attrib_error *err) {
  static const char *const names[] = {"iid", "hc0", "hc1", "hc2", "hc3", "cluster"};
  for (size_t i = 0; s && i < sizeof names / sizeof *names; i++)
    if (strcmp(s, names[i]) == 0) {
      *out = (attrib_vcov_type)i;
      return ATTRIB_OK;
    }
  return attrib__fail(err, ATTRIB_EINVAL, "unknown vcov '%s' (expected iid, hc0, hc1, hc2, hc3 or cluster)",
                      s ? s : "");
}

const char *attrib_vcov_type_name(attrib_vcov_type t) {
  switch (t) {
  case ATTRIB_VCOV_IID: return "iid";
  case ATTRIB_VCOV_HC0: return "hc0";
  case ATTRIB_VCOV_HC1: return "hc1";
  case ATTRIB_VCOV_HC2: return "hc2";
  case ATTRIB_VCOV_HC3: return "hc3";
  case ATTRIB_VCOV_CLUSTER: return "cluster";
  }
  return "unknown";
}

attrib_status attrib__coef_alloc(attrib_coef_table *t, size_t k) {
  memset(t, 0, sizeof *t);
  size_t m = k ? k : 1;
  t->term = attrib__calloc(m, sizeof *t->term);
  t->estimate = attrib__malloc(m, sizeof *t->estimate);
  t->std_error = attrib__malloc(m, sizeof *t->std_error);
  t->statistic = attrib__malloc(m, sizeof *t->statistic);
  t->p_value = attrib__malloc(m, sizeof *t->p_value);
  t->ci_low = attrib__malloc(m, sizeof *t->ci_low);
  t->ci_high = attrib__malloc(m, sizeof *t->ci_high);
  t->aliased = attrib__calloc(m, sizeof *t->aliased);
  t->k = k;
  if (!t->term || !t->estimate || !t->std_error || !t->statistic || !t->p_value || !t->ci_low ||
      !t->ci_high || !t->aliased) {
    attrib__coef_free(t);
    return ATTRIB_ENOMEM;
  }
  for (size_t j = 0; j < k; j++)
    t->estimate[j] = t->std_error[j] = t->statistic[j] = t->p_value[j] = t->ci_low[j] = t->ci_high[j] = NAN;
  return ATTRIB_OK;
}

void attrib__coef_free(attrib_coef_table *t) {
  for (size_t j = 0; t->term && j < t->k; j++) attrib__free(t->term[j]);
  attrib__free(t->term);
  attrib__free(t->estimate);
  attrib__free(t->std_error);
  attrib__free(t->statistic);
  attrib__free(t->p_value);
  attrib__free(t->ci_low);
  attrib__free(t->ci_high);
  attrib__free(t->aliased);
  memset(t, 0, sizeof *t);
}

void attrib__coef_infer(attrib_coef_table *t, double df, double level) {
  int normal = !(df > 0.0) || isinf(df);
  double alpha = 1.0 - level;
  double q = normal ? gsl_cdf_ugaussian_Qinv(alpha / 2.0) : gsl_cdf_tdist_Qinv(alpha / 2.0, df);
  for (size_t j = 0; j < t->k; j++) {
    if (t->aliased[j] || !(t->std_error[j] > 0.0)) continue;
    double b = t->estimate[j], se = t->std_error[j], z = b / se;
    t->statistic[j] = z;
    t->p_value[j] = 2.0 * (normal ? gsl_cdf_ugaussian_Q(fabs(z)) : gsl_cdf_tdist_Q(fabs(z), df));
    t->ci_low[j] = b - q * se;
    t->ci_high[j] = b + q * se;
  }
}

void attrib__effect_infer(attrib_effect *e, double df, double level) {
  /* the same rule as attrib__coef_infer, for an effect that has no coefficient table */
  attrib_coef_table t = {.k = 1};
  int aliased = 0;
  t.estimate = &e->estimate;
  t.std_error = &e->std_error;
  t.statistic = &e->statistic;
  t.p_value = &e->p_value;
  t.ci_low = &e->ci_low;
  t.ci_high = &e->ci_high;
  t.aliased = &aliased;
  e->statistic = e->p_value = e->ci_low = e->ci_high = NAN;
  attrib__coef_infer(&t, df, level);
}

void attrib__effect_from(attrib_effect *e, const attrib_coef_table *t, size_t j) {
  e->estimate = t->estimate[j];
  e->std_error = t->std_error[j];
  e->statistic = t->statistic[j];
  e->p_value = t->p_value[j];
  e->ci_low = t->ci_low[j];
  e->ci_high = t->ci_high[j];
}

attrib_status attrib__check_vcov_clusters(attrib_vcov_type vcov, size_t n_cluster, attrib_error *err) {
  if (vcov == ATTRIB_VCOV_CLUSTER && n_cluster == 0)
    return attrib__fail(err, ATTRIB_EINVAL, "vcov 'cluster' needs a cluster column (design.cluster COL)");
  if (vcov == ATTRIB_VCOV_CLUSTER && n_cluster > 2)
    return attrib__fail(err, ATTRIB_EINVAL, "at most two cluster dimensions are supported (got %zu)", n_cluster);
  if (vcov != ATTRIB_VCOV_CLUSTER && n_cluster > 0)
    return attrib__fail(err, ATTRIB_EINVAL, "cluster columns were given but vcov is '%s' (set it to cluster)",
                        attrib_vcov_type_name(vcov));
  return ATTRIB_OK;
}
