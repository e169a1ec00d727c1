/*
 * The ROI in each group of a subgroup fit (include/attrib/roi.h,
 * attrib_roi_by_compute): one rule for `analyze --by` and `roi --from` a
 * fit with `by`, so that the two give the same numbers for the same inputs
 * (issue 18). Moved here from analyze/subgroups.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/by.h>
#include <attrib/roi.h>
#include "core/attrib_internal.h"

/* The named levels' values, checked: each a level of by, each once, each a
 * value per unit in its domain. */
static attrib_status check_values(const attrib_by_result *by, const attrib_roi_level_value *values, size_t n_values,
                                  attrib_error *err) {
  for (size_t k = 0; k < n_values; k++) {
    const char *lv = values[k].level;
    if (!lv) return attrib__fail(err, ATTRIB_EINVAL, "roi.by_value_per_unit: item %zu has no level", k + 1);
    size_t g = 0;
    while (g < by->n_groups && strcmp(by->groups[g].level, lv)) g++;
    if (g == by->n_groups) {
      char names[512];
      size_t n = 0;
      names[0] = '\0';
      for (size_t h = 0; h < by->n_groups && n + 1 < sizeof names; h++) {
        int w = snprintf(names + n, sizeof names - n, "%s%s", h ? ", " : "", by->groups[h].level);
        if (w < 0) break;
        n += (size_t)w;
      }
      return attrib__fail(err, ATTRIB_EINVAL, "roi.by_value_per_unit: '%s' is not a level of %s (its levels: %s)", lv,
                          by->column, names);
    }
    for (size_t j = 0; j < k; j++)
      if (!strcmp(values[j].level, lv))
        return attrib__fail(err, ATTRIB_EINVAL, "roi.by_value_per_unit: level '%s' is given twice", lv);
    attrib_error e;
    attrib_error_clear(&e);
    if (attrib_roi_check_value("value_per_unit", "the value per unit", values[k].value_per_unit, &e))
      return attrib__fail(err, ATTRIB_EINVAL, "roi.by_value_per_unit: level '%s': %s", lv, e.message);
  }
  return ATTRIB_OK;
}

attrib_status attrib_roi_by_compute(const attrib_roi_input *base, const attrib_by_result *by,
                                    const attrib_roi_level_value *values, size_t n_values, double *learners,
                                    double *value_per_unit, attrib_roi_result **roi, attrib_error *err) {
  if (!base || !by || !learners || !roi || (n_values && !values))
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_roi_by_compute: NULL argument");
  for (size_t g = 0; g < by->n_groups; g++) roi[g] = NULL;
  attrib_status s = check_values(by, values, n_values, err);
  if (s) return s;
  size_t tot_t = 0, tot_n = 0;
  for (size_t g = 0; g < by->n_groups; g++) tot_t += by->groups[g].n_treated, tot_n += by->groups[g].n;
  double level = by->level > 0 && by->level < 1 ? by->level : base->level;
  double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * level);
  for (size_t g = 0; g < by->n_groups; g++) {
    const attrib_by_group *gr = &by->groups[g];
    attrib_roi_input in = *base;
    /* the learners the ROI counts, split as the fit split them: treated
     * learners where the method counts them (matching, OLS), else rows */
    double share = tot_t ? (double)gr->n_treated / (double)tot_t : tot_n ? (double)gr->n / (double)tot_n : 0.0;
    in.learners = learners[g] = base->learners * share;
    for (size_t k = 0; k < n_values; k++)
      if (!strcmp(values[k].level, gr->level)) in.value_per_unit = values[k].value_per_unit;
    if (value_per_unit) value_per_unit[g] = in.value_per_unit;
    in.effect = gr->effect.estimate, in.has_effect = 1;
    /* the SE whose normal interval is the group's interval: a t interval
     * (OLS on n - K or G - 1 df) is carried whole into the ROI's */
    double hw = 0.5 * (gr->effect.ci_high - gr->effect.ci_low) / z;
    in.se = isfinite(hw) && hw > 0 ? hw : gr->effect.std_error;
    in.draws = NULL, in.n_draws = 0; /* the overall effect's draws, not the group's */
    in.keep_draws = 0;
    attrib_error e;
    attrib_error_clear(&e);
    s = attrib_roi_compute(&in, &roi[g], &e);
    if (s == ATTRIB_ENOMEM) {
      for (size_t h = 0; h <= g; h++) attrib_roi_result_free(roi[h]), roi[h] = NULL;
      return attrib__fail(err, s, "out of memory");
    }
    /* a group whose ROI cannot be computed (no learners) keeps NULL
     * (attrib_roi_compute leaves it so): the reports say n/a */
  }
  return ATTRIB_OK;
}
