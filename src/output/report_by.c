/* Subgroup effects (by.h) in the writers of ols, psm and did: the JSON
 * object "by" and the text table. */
#include <math.h>
#include <string.h>

#include <attrib/by.h>
#include <attrib/roi.h>
#include "output/output_internal.h"

json_t *attrib__json_by(const attrib_by_result *b) {
  int ok = 1;
  json_t *o = json_object(), *groups = json_array(), *diffs = json_array(), *test = json_object();
  if (!o || !groups || !diffs || !test) {
    json_decref(o), json_decref(groups), json_decref(diffs), json_decref(test);
    return NULL;
  }
  attrib__json_set(o, "column", json_string(b->column), &ok);
  attrib__json_set(o, "joint", json_string(b->joint ? b->joint : ""), &ok);
  attrib__json_set(o, "n_missing", json_integer((json_int_t)b->n_missing), &ok);
  attrib__json_set(o, "df", attrib__json_num(b->df), &ok);
  attrib__json_set(o, "groups", groups, &ok);
  for (size_t g = 0; ok && g < b->n_groups; g++) {
    const attrib_by_group *gr = &b->groups[g];
    json_t *e = json_object();
    if (!e || json_array_append_new(groups, e)) {
      ok = 0;
      break;
    }
    attrib__json_set(e, "level", json_string(gr->level), &ok);
    attrib__json_set(e, "n", json_integer((json_int_t)gr->n), &ok);
    if (gr->n_treated + gr->n_control) {
      attrib__json_set(e, "n_treated", json_integer((json_int_t)gr->n_treated), &ok);
      attrib__json_set(e, "n_control", json_integer((json_int_t)gr->n_control), &ok);
    }
    attrib__json_set(e, "effect", attrib__json_effect(&gr->effect), &ok);
  }
  attrib__json_set(o, "equality_test", test, &ok);
  if (ok) {
    attrib__json_set(test, "test", json_string(b->test ? b->test : ""), &ok);
    attrib__json_set(test, "statistic", attrib__json_num(b->statistic), &ok);
    attrib__json_set(test, "df", attrib__json_num(b->test_df), &ok);
    attrib__json_set(test, "df2", attrib__json_num(b->test_df2), &ok);
    attrib__json_set(test, "p_value", attrib__json_num(b->p_value), &ok);
  }
  attrib__json_set(o, "differences", diffs, &ok);
  for (size_t k = 0; ok && k < b->n_diffs; k++) {
    const attrib_by_diff *d = &b->diffs[k];
    json_t *e = json_object();
    if (!e || json_array_append_new(diffs, e)) {
      ok = 0;
      break;
    }
    attrib__json_set(e, "level_a", json_string(b->groups[d->a].level), &ok);
    attrib__json_set(e, "level_b", json_string(b->groups[d->b].level), &ok);
    attrib__json_set(e, "estimate", attrib__json_num(d->estimate), &ok);
    attrib__json_set(e, "std_error", attrib__json_num(d->std_error), &ok);
    attrib__json_set(e, "statistic", attrib__json_num(d->statistic), &ok);
    attrib__json_set(e, "p_value", attrib__json_num(d->p_value), &ok);
    attrib__json_set(e, "ci_low", attrib__json_num(d->ci_low), &ok);
    attrib__json_set(e, "ci_high", attrib__json_num(d->ci_high), &ok);
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

int attrib__text_by(FILE *out, const attrib_by_result *b) {
  int bad = 0;
  size_t w = 5;
  for (size_t g = 0; g < b->n_groups; g++)
    if (strlen(b->groups[g].level) > w) w = strlen(b->groups[g].level);
  if (w > 40) w = 40;
  bad |= fprintf(out, "\nEffect by %s (%s)\n", b->column, b->joint ? b->joint : "") < 0;
  bad |= fprintf(out, "  %-*s %8s %12s %12s %12s %12s %10s\n", (int)w, "level", "n", "estimate", "std.error", "ci_low",
                 "ci_high", "p") < 0;
  for (size_t g = 0; g < b->n_groups; g++) {
    const attrib_by_group *gr = &b->groups[g];
    char p[32];
    attrib__fmt_p(p, sizeof p, gr->effect.p_value);
    bad |= fprintf(out, "  %-*.*s %8zu %12.6g %12.6g %12.6g %12.6g %10s\n", (int)w, (int)w, gr->level, gr->n,
                   gr->effect.estimate, gr->effect.std_error, gr->effect.ci_low, gr->effect.ci_high, p) < 0;
  }
  char p[32];
  attrib__fmt_p(p, sizeof p, b->p_value);
  if (b->test && strcmp(b->test, "F") == 0)
    bad |= fprintf(out, "Equal effects (Wald F): %.6g on %.0f and %.0f DF, p-value: %s\n", b->statistic, b->test_df,
                   b->test_df2, p) < 0;
  else
    bad |= fprintf(out, "Equal effects (Wald chi2): %.6g on %.0f DF, p-value: %s\n", b->statistic, b->test_df, p) < 0;
  bad |= fputs("Differences (second level minus first):\n", out) < 0;
  for (size_t k = 0; k < b->n_diffs; k++) {
    const attrib_by_diff *d = &b->diffs[k];
    attrib__fmt_p(p, sizeof p, d->p_value);
    bad |= fprintf(out, "  %s - %s: %.6g (SE %.6g), CI [%.6g, %.6g], p = %s\n", b->groups[d->b].level,
                   b->groups[d->a].level, d->estimate, d->std_error, d->ci_low, d->ci_high, p) < 0;
  }
  if (b->n_missing) bad |= fprintf(out, "Rows with no %s: %zu (left out of the groups)\n", b->column, b->n_missing) < 0;
  return bad;
}

json_t *attrib__json_roi_group(const attrib_roi_result *x, double learners, double value_per_unit) {
  if (!x) return json_null();
  int ok = 1;
  json_t *ro = json_object();
  if (!ro) return NULL;
  attrib__json_set(ro, "learners", attrib__json_num(learners), &ok);
  attrib__json_set(ro, "value_per_unit", attrib__json_num(value_per_unit), &ok);
  attrib__json_set(ro, "estimate_pct", attrib__json_num(x->roi_pct), &ok);
  attrib__json_set(ro, "ci_low_pct", attrib__json_num(x->has_interval ? x->roi_ci_low_pct : NAN), &ok);
  attrib__json_set(ro, "ci_high_pct", attrib__json_num(x->has_interval ? x->roi_ci_high_pct : NAN), &ok);
  attrib__json_set(ro, "p_positive", attrib__json_num(x->has_interval ? x->prob_roi_positive : NAN), &ok);
  attrib__json_set(ro, "benefit", attrib__json_num(x->benefit_total), &ok);
  attrib__json_set(ro, "cost", attrib__json_num(x->cost_total), &ok);
  attrib__json_set(ro, "net_benefit", attrib__json_num(x->net_benefit), &ok);
  if (!ok) {
    json_decref(ro);
    return NULL;
  }
  return ro;
}
