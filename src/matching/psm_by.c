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

/* Both arms present in a group (0/1 treatment among the rows it has). */
static attrib_status both_arms(const attrib_table *t, const char *treat, const size_t *rows, size_t n,
                               const char *level, const char *by, size_t *nt, size_t *nc, attrib_error *err) {
  long c = attrib_table_column_find(t, treat);
  *nt = *nc = 0;
  if (c < 0 || t->cols[c].type != ATTRIB_COLUMN_NUMERIC) return ATTRIB_OK; /* the fit names the problem */
  for (size_t i = 0; i < n; i++) {
    double v = t->cols[c].values[rows[i]];
    *nt += v == 1.0, *nc += v == 0.0;
  }
  if (*nt && *nc) return ATTRIB_OK;
  return attrib__fail_option(err, ATTRIB_EDESIGN, "by.column", "level '%s' of '%s' has no %s rows (%zu rows, all %s)",
                             level, by, *nt ? "control" : "treated", *nt + *nc, *nt ? "treated" : "control");
}

/* A group's failed fit: its message, prefixed with the group. */
static attrib_status group_error(attrib_status s, const char *level, const char *by, attrib_error *err) {
  char msg[sizeof err->message];
  memcpy(msg, err->message, sizeof msg);
  const char *opt = err->option;
  attrib_status r = opt ? attrib__fail_option(err, s, opt, "in level '%s' of '%s': %s", level, by, msg)
                        : attrib__fail(err, s, "in level '%s' of '%s': %s", level, by, msg);
  return r;
}

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
    size_t n, nt, nc;
    attrib__by_group_rows(&g, k, rows, &n);
    if ((s = both_arms(t, opts->treat, rows, n, g.levels[k], by->column, &nt, &nc, err)) != ATTRIB_OK) break;
    attrib_table *sub = NULL;
    attrib_psm_result *f = NULL;
    if ((s = attrib_table_subset(t, rows, n, &sub, err)) == ATTRIB_OK) s = attrib_psm_fit(sub, opts, &f, err);
    if (s != ATTRIB_OK) {
      s = group_error(s, g.levels[k], by->column, err);
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
