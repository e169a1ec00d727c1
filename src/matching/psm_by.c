/*
 * Subgroup effects of psm (by.h): one fit per level of the grouping column
 * on that level's rows alone. The propensity model is fitted within the
 * group (equivalently, a model fully interacted with the group), matching
 * happens within it (exact strata on the group) and so does the variance
 * (Abadie-Imbens, matched-set or the weighting influence function). The
 * groups are independent samples, so their joint vcov is diagonal; a
 * bootstrap cluster that spans groups would correlate them and is refused.
 */
#include <math.h>
#include <string.h>

#include <attrib/by.h>
#include <attrib/psm.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"

attrib_status attrib_psm_by(const attrib_table *t, const attrib_psm_options *opts, const attrib_by_options *by,
                            attrib_by_result **out, attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_psm_by: NULL argument");
  *out = NULL;
  if (!t || !opts || !by || !by->column || !opts->treat)
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_psm_by: NULL argument");
  attrib__by_groups_t g;
  attrib_status s = attrib__by_groups(t, by->column, &g, err);
  if (s != ATTRIB_OK) return s;
  attrib_by_result *r = NULL;
  size_t *rows = attrib__malloc(g.n ? g.n : 1, sizeof *rows);
  double *se = attrib__malloc(g.G, sizeof *se);
  if (!rows || !se) s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  if (s == ATTRIB_OK && opts->boot_cluster) s = attrib__by_nested(t, opts->boot_cluster, &g, by->column, err);
  if (s == ATTRIB_OK) s = attrib__by_alloc(&r, by->column, g.G, err);
  double df_min = INFINITY;
  int any_normal = 0;
  for (size_t k = 0; s == ATTRIB_OK && k < g.G; k++) {
    size_t n;
    attrib__by_group_rows(&g, k, rows, &n);
    if ((s = attrib__by_both_arms(t, opts->treat, rows, n, g.levels[k], by->column, err)) != ATTRIB_OK) break;
    attrib_table *sub = NULL;
    attrib_psm_result *f = NULL;
    if ((s = attrib_table_subset(t, rows, n, &sub, err)) == ATTRIB_OK) s = attrib_psm_fit(sub, opts, &f, err);
    if (s != ATTRIB_OK) {
      s = attrib__by_group_error(s, g.levels[k], by->column, err);
      attrib_table_free(sub);
      break;
    }
    attrib_by_group *gr = &r->groups[k];
    gr->level = g.levels[k];
    g.levels[k] = NULL;
    gr->n_treated = f->n_treated, gr->n_control = f->n_control, gr->n = f->n_treated + f->n_control;
    gr->effect = f->effect;
    f->effect.term = NULL; /* moved */
    se[k] = f->effect.std_error;
    /* the comparisons' df: normal when any group's is (matching), else the smallest */
    if (!isfinite(f->df) || f->df <= 0) any_normal = 1;
    else if (f->df < df_min) df_min = f->df;
    attrib_psm_result_free(f);
    attrib_table_free(sub);
  }
  if (s == ATTRIB_OK) {
    r->n_missing = g.n_missing;
    r->joint = "one fit per group (score model, matching or weighting and variance within the group); groups "
               "independent";
    attrib__by_independent(r, se);
    s = attrib__by_compare(r, opts->treat, any_normal ? INFINITY : df_min, opts->level, err);
  }
  attrib__free(rows), attrib__free(se);
  attrib__by_groups_free(&g);
  if (s != ATTRIB_OK) attrib_by_result_free(r);
  else *out = r;
  return s;
}
