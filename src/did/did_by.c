/*
 * Subgroup effects of did (by.h): one fit per level of the grouping column
 * on that level's rows (the 2x2 regression, TWFE or the group-time
 * estimators within the group). That is the fully interacted model: a TWFE
 * with the period effects and the DiD coefficient crossed with the group,
 * unit effects nested in it. The groups are independent samples when every
 * unit (and every cluster) lies in one group, which is checked: a unit or a
 * cluster spanning groups would correlate their estimates. The joint vcov
 * is then diagonal; each group keeps its fit's SE (its own small-sample
 * factor and t degrees of freedom).
 */
#include <math.h>
#include <string.h>

#include <attrib/by.h>
#include <attrib/did.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"

/* One group's fit into r->groups[k]. */
static attrib_status fit_group(const attrib_table *t, const attrib_did_options *o, const size_t *rows, size_t n,
                               attrib_by_group *gr, double *se, double *df, attrib_error *err) {
  attrib_table *sub = NULL;
  attrib_did_result *f = NULL;
  attrib_status s = attrib_table_subset(t, rows, n, &sub, err);
  if (s == ATTRIB_OK) s = attrib_did_fit(sub, o, &f, err);
  if (s == ATTRIB_OK) {
    if (o->unit) {
      gr->n = f->n_units_used ? f->n_units_used : f->n_units;
    } else {
      gr->n_treated = f->cell_n[1][0] + f->cell_n[1][1];
      gr->n_control = f->cell_n[0][0] + f->cell_n[0][1];
      gr->n = gr->n_treated + gr->n_control;
    }
    gr->effect = f->effect;
    f->effect.term = NULL; /* moved */
    *se = gr->effect.std_error;
    *df = f->df;
  }
  attrib_did_result_free(f);
  attrib_table_free(sub);
  return s;
}

attrib_status attrib_did_by(const attrib_table *t, const attrib_did_options *o, const attrib_by_options *by,
                            attrib_by_result **out, attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_did_by: NULL argument");
  *out = NULL;
  if (!t || !o || !by || !by->column) return attrib__fail(err, ATTRIB_EINVAL, "attrib_did_by: NULL argument");
  attrib__by_groups_t g;
  attrib_status s = attrib__by_groups(t, by->column, &g, err);
  if (s != ATTRIB_OK) return s;
  attrib_by_result *r = NULL;
  size_t *rows = attrib__malloc(g.n ? g.n : 1, sizeof *rows);
  double *se = attrib__malloc(g.G, sizeof *se);
  if (!rows || !se) s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  if (s == ATTRIB_OK && o->unit) s = attrib__by_nested(t, o->unit, &g, by->column, err);
  if (s == ATTRIB_OK && o->cluster) s = attrib__by_nested(t, o->cluster, &g, by->column, err);
  if (s == ATTRIB_OK) s = attrib__by_alloc(&r, by->column, g.G, err);
  double df_min = INFINITY;
  int any_normal = 0;
  for (size_t k = 0; s == ATTRIB_OK && k < g.G; k++) {
    size_t n;
    double df = INFINITY;
    attrib__by_group_rows(&g, k, rows, &n);
    if (!o->unit && o->treat &&
        (s = attrib__by_both_arms(t, o->treat, rows, n, g.levels[k], by->column, err)) != ATTRIB_OK)
      break;
    if ((s = fit_group(t, o, rows, n, &r->groups[k], &se[k], &df, err)) != ATTRIB_OK) {
      s = attrib__by_group_error(s, g.levels[k], by->column, err);
      break;
    }
    r->groups[k].level = g.levels[k];
    g.levels[k] = NULL;
    if (!isfinite(df) || df <= 0) any_normal = 1;
    else if (df < df_min) df_min = df;
  }
  if (s == ATTRIB_OK) {
    r->n_missing = g.n_missing;
    r->joint = "one fit per group (the DiD within the group: fully interacted); units and clusters nested in "
               "groups, so groups independent";
    attrib__by_independent(r, se);
    s = attrib__by_compare(r, r->groups[0].effect.term, any_normal ? INFINITY : df_min, o->level, err);
  }
  attrib__free(rows), attrib__free(se);
  attrib__by_groups_free(&g);
  if (s != ATTRIB_OK) attrib_by_result_free(r);
  else *out = r;
  return s;
}
