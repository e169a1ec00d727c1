/*
 * Subgroup effects (by.h): from the groups' effects and their joint
 * variance, each group's interval, the Wald test that all are equal and
 * every pairwise difference. The estimators fill the estimates and the
 * joint vcov (regression/ols_by.c, matching/psm_by.c, did/did_by.c).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <lapacke.h>

#include <attrib/by.h>
#include <attrib/design.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"

void attrib_by_options_init(attrib_by_options *o) {
  if (o) memset(o, 0, sizeof *o);
}

void attrib_by_result_free(attrib_by_result *r) {
  if (!r) return;
  for (size_t g = 0; r->groups && g < r->n_groups; g++) {
    attrib__free(r->groups[g].level);
    attrib__free(r->groups[g].effect.term);
  }
  attrib__free(r->groups);
  attrib__free(r->vcov);
  attrib__free(r->diffs);
  attrib__free(r->column);
  attrib__free(r);
}

attrib_status attrib__by_alloc(attrib_by_result **out, const char *column, size_t G, attrib_error *err) {
  attrib_by_result *r = attrib__calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  r->n_groups = G;
  r->column = attrib__strdup(column);
  r->groups = attrib__calloc(G ? G : 1, sizeof *r->groups);
  r->vcov = attrib__calloc(G ? G * G : 1, sizeof *r->vcov);
  r->n_diffs = G * (G - 1) / 2;
  r->diffs = attrib__calloc(r->n_diffs ? r->n_diffs : 1, sizeof *r->diffs);
  r->statistic = r->test_df = r->test_df2 = r->p_value = NAN;
  if (!r->column || !r->groups || !r->vcov || !r->diffs) {
    attrib_by_result_free(r);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  *out = r;
  return ATTRIB_OK;
}

/* The Wald test of H0: b_1 = b_2 = ... = b_G through the G-1 contrasts
 * b_g - b_1: W = (Rb)'(R V R')^{-1}(Rb). */
static attrib_status wald_equal(attrib_by_result *r, attrib_error *err) {
  size_t G = r->n_groups, q = G - 1;
  double *A = attrib__malloc(q * q, sizeof *A), *d = attrib__malloc(q, sizeof *d), *x = attrib__malloc(q, sizeof *x);
  if (!A || !d || !x) {
    attrib__free(A), attrib__free(d), attrib__free(x);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  const double *V = r->vcov;
  for (size_t a = 0; a < q; a++) {
    d[a] = x[a] = r->groups[a + 1].effect.estimate - r->groups[0].effect.estimate;
    for (size_t c = 0; c < q; c++) /* (R V R')_{ac} = V_{a+1,c+1} - V_{a+1,0} - V_{0,c+1} + V_{00} */
      A[c * q + a] = V[(c + 1) * G + a + 1] - V[a + 1] - V[(c + 1) * G] + V[0];
  }
  if (LAPACKE_dposv(LAPACK_COL_MAJOR, 'U', (lapack_int)q, 1, A, (lapack_int)q, x, (lapack_int)q) == 0) {
    double W = 0.0;
    for (size_t a = 0; a < q; a++) W += d[a] * x[a];
    r->test_df = (double)q;
    if (isfinite(r->df) && r->df > 0) {
      r->test = "F", r->statistic = W / (double)q, r->test_df2 = r->df;
      r->p_value = gsl_cdf_fdist_Q(r->statistic, (double)q, r->df);
    } else {
      r->test = "chisq", r->statistic = W, r->test_df2 = NAN;
      r->p_value = gsl_cdf_chisq_Q(W, (double)q);
    }
  } else
    r->test = isfinite(r->df) && r->df > 0 ? "F" : "chisq"; /* singular: NaN, as the F test of ols */
  attrib__free(A), attrib__free(d), attrib__free(x);
  return ATTRIB_OK;
}

attrib_status attrib__by_compare(attrib_by_result *r, const char *term, double df, double level, attrib_error *err) {
  size_t G = r->n_groups;
  r->df = df, r->level = level;
  for (size_t g = 0; g < G; g++) {
    attrib_effect *e = &r->groups[g].effect;
    /* a group fitted alone comes with its fit's effect, term and interval
     * (the same numbers as a run on its rows): kept; only the comparisons
     * use df */
    if (e->term) continue;
    if (term && !(e->term = attrib__strdup(term))) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    double v = r->vcov[g * G + g];
    e->std_error = v >= 0 ? sqrt(v) : NAN;
    attrib__effect_infer(e, df, level);
  }
  size_t k = 0;
  for (size_t a = 0; a < G; a++)
    for (size_t b = a + 1; b < G; b++, k++) {
      attrib_by_diff *d = &r->diffs[k];
      d->a = a, d->b = b;
      attrib_effect e = {0};
      e.estimate = r->groups[b].effect.estimate - r->groups[a].effect.estimate;
      double v = r->vcov[a * G + a] + r->vcov[b * G + b] - 2.0 * r->vcov[b * G + a];
      e.std_error = v > 0 ? sqrt(v) : NAN;
      attrib__effect_infer(&e, df, level);
      d->estimate = e.estimate, d->std_error = e.std_error, d->statistic = e.statistic;
      d->p_value = e.p_value, d->ci_low = e.ci_low, d->ci_high = e.ci_high;
    }
  return wald_equal(r, err);
}

attrib_status attrib__by_groups(const attrib_table *t, const char *by, attrib__by_groups_t *g, attrib_error *err) {
  memset(g, 0, sizeof *g);
  size_t bc;
  attrib_status s = attrib_table_column_require(t, by, "by.column", &bc, err);
  if (s != ATTRIB_OK) return s;
  const attrib_column *col = &t->cols[bc];
  g->rows = attrib__malloc(t->n_rows ? t->n_rows : 1, sizeof *g->rows);
  g->codes = attrib__malloc(t->n_rows ? t->n_rows : 1, sizeof *g->codes);
  if (!g->rows || !g->codes) {
    attrib__by_groups_free(g);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < t->n_rows; i++) {
    if (attrib_column_is_missing(col, i)) g->n_missing++;
    else g->rows[g->n++] = i;
  }
  s = attrib_column_encode(col, g->rows, g->n, g->codes, &g->G, &g->levels, err);
  if (s == ATTRIB_OK && g->G < 2)
    s = g->G ? attrib__fail_option(err, ATTRIB_EDESIGN, "by.column",
                                   "'%s' has one level ('%s') in the rows used: no subgroups to compare", by,
                                   g->levels[0])
             : attrib__fail_option(err, ATTRIB_EDESIGN, "by.column", "'%s' has no values: no subgroups to compare", by);
  if (s == ATTRIB_OK && g->G > ATTRIB_BY_MAX_LEVELS)
    s = attrib__fail_option(err, ATTRIB_EDESIGN, "by.column",
                            "'%s' has %zu levels, more than %d: group them, or bin a numeric column", by, g->G,
                            ATTRIB_BY_MAX_LEVELS);
  if (s != ATTRIB_OK) attrib__by_groups_free(g);
  return s;
}

void attrib__by_groups_free(attrib__by_groups_t *g) {
  attrib__free(g->rows);
  attrib__free(g->codes);
  attrib_coding_names_free(g->levels, g->G);
  memset(g, 0, sizeof *g);
}

attrib_status attrib__by_group_rows(const attrib__by_groups_t *g, size_t level, size_t *rows, size_t *n) {
  *n = 0;
  for (size_t i = 0; i < g->n; i++)
    if ((size_t)g->codes[i] == level) rows[(*n)++] = g->rows[i];
  return ATTRIB_OK;
}

attrib_status attrib__by_nested(const attrib_table *t, const char *cluster, const attrib__by_groups_t *g,
                                const char *by, attrib_error *err) {
  size_t cc;
  attrib_status s = attrib_table_column_require(t, cluster, NULL, &cc, err);
  if (s != ATTRIB_OK) return s;
  const attrib_column *col = &t->cols[cc];
  int32_t *codes = attrib__malloc(g->n ? g->n : 1, sizeof *codes);
  size_t L = 0;
  if (!codes) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  /* rows missing the cluster are left to the estimator: code them apart */
  size_t *rows = attrib__malloc(g->n ? g->n : 1, sizeof *rows), m = 0;
  size_t *pos = attrib__malloc(g->n ? g->n : 1, sizeof *pos);
  if (!rows || !pos) s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t i = 0; s == ATTRIB_OK && i < g->n; i++)
    if (!attrib_column_is_missing(col, g->rows[i])) pos[m] = i, rows[m++] = g->rows[i];
  if (s == ATTRIB_OK) s = attrib_column_encode(col, rows, m, codes, &L, NULL, err);
  int32_t *home = s == ATTRIB_OK ? attrib__malloc(L ? L : 1, sizeof *home) : NULL;
  if (s == ATTRIB_OK && !home) s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t l = 0; s == ATTRIB_OK && l < L; l++) home[l] = -1;
  for (size_t j = 0; s == ATTRIB_OK && j < m; j++) {
    int32_t gj = g->codes[pos[j]];
    if (home[codes[j]] < 0) home[codes[j]] = gj;
    else if (home[codes[j]] != gj)
      s = attrib__fail_option(err, ATTRIB_EDESIGN, "by.column",
                              "a cluster of '%s' holds rows of both '%s' and '%s' of '%s': the groups' estimates "
                              "would be correlated, and this estimator fits each group alone; group by a column "
                              "constant within each cluster (and unit)",
                              cluster, g->levels[home[codes[j]]], g->levels[gj], by);
  }
  attrib__free(home), attrib__free(codes), attrib__free(rows), attrib__free(pos);
  return s;
}

void attrib__by_independent(attrib_by_result *r, const double *se) {
  size_t G = r->n_groups;
  for (size_t a = 0; a < G * G; a++) r->vcov[a] = 0.0;
  for (size_t g = 0; g < G; g++) r->vcov[g * G + g] = se[g] * se[g];
}

attrib_status attrib__by_both_arms(const attrib_table *t, const char *treat, const size_t *rows, size_t n,
                                   const char *level, const char *by, attrib_error *err) {
  long c = attrib_table_column_find(t, treat);
  size_t nt = 0, nc = 0;
  if (c < 0 || t->cols[c].type != ATTRIB_COLUMN_NUMERIC) return ATTRIB_OK; /* the fit names the problem */
  for (size_t i = 0; i < n; i++) {
    double v = t->cols[c].values[rows[i]];
    nt += v == 1.0, nc += v == 0.0;
  }
  if (nt && nc) return ATTRIB_OK;
  return attrib__fail_option(err, ATTRIB_EDESIGN, "by.column", "level '%s' of '%s' has no %s rows (%zu rows, all %s)",
                             level, by, nt ? "control" : "treated", nt + nc, nt ? "treated" : "control");
}

attrib_status attrib__by_group_error(attrib_status s, const char *level, const char *by, attrib_error *err) {
  char msg[sizeof err->message];
  memcpy(msg, err->message, sizeof msg);
  const char *opt = err->option;
  return opt ? attrib__fail_option(err, s, opt, "in level '%s' of '%s': %s", level, by, msg)
             : attrib__fail(err, s, "in level '%s' of '%s': %s", level, by, msg);
}
