/*
 * Step 1 of the study (docs/methods/analyze.md#cohort): who is in the data.
 * Counts by treatment, missingness of every analysis column, and each
 * variable's baseline mean (or level shares) in the treated and the control
 * group: the table an analyst reads before trusting any estimate, in one
 * pass per column over the loaded table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/formula.h>
#include "analyze/analyze_internal.h"
#include "core/attrib_internal.h"

/* factor() of a numeric column with more distinct values than this is
 * summarised by its mean: a table of hundreds of shares reads as noise */
#define MAX_NUMERIC_LEVELS 50

void attrib__analyze_cohort_free(attrib_analyze_cohort *c) {
  for (size_t v = 0; v < c->n_vars; v++) attrib__free(c->vars[v].name), attrib__free(c->vars[v].level);
  attrib__free(c->vars);
  attrib__free(c->cohorts);
  attrib__free(c->cohort_units);
  memset(c, 0, sizeof *c);
}

static attrib_analyze_variable *add_var(attrib_analyze_cohort *c, size_t *cap, const char *name, const char *level) {
  if (c->n_vars == *cap) {
    size_t nc = *cap ? 2 * *cap : 16;
    attrib_analyze_variable *nv = attrib__realloc(c->vars, nc, sizeof *nv);
    if (!nv) return NULL;
    c->vars = nv, *cap = nc;
  }
  attrib_analyze_variable *x = &c->vars[c->n_vars];
  memset(x, 0, sizeof *x);
  if (!(x->name = attrib__strdup(name)) || (level && !(x->level = attrib__strdup(level)))) {
    attrib__free(x->name);
    return NULL;
  }
  c->n_vars++;
  return x;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* the index of v in the sorted distinct values u[0..n) (it is there) */
static size_t level_of(const double *u, size_t n, double v) {
  size_t lo = 0, hi = n;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (u[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

static double share(double count, double total) { return total > 0 ? count / total : NAN; }

/* One column's entries. g[i]: 1 treated, 0 control, -1 neither. */
static attrib_status describe_column(const attrib_column *col, int as_factor, const signed char *g, size_t n,
                                     attrib_analyze_cohort *c, size_t *cap, unsigned char *complete, attrib_error *err) {
  size_t missing = 0;
  if (col->type == ATTRIB_COLUMN_CATEGORICAL) {
    size_t L = col->n_levels;
    double *cnt = attrib__calloc(2 * (L ? L : 1), sizeof *cnt), tot[2] = {0, 0};
    if (!cnt) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
      int32_t k = col->codes[i];
      if (k < 0) {
        missing++, complete[i] = 0;
        continue;
      }
      if (g[i] >= 0) cnt[2 * (size_t)k + (size_t)g[i]] += 1.0, tot[g[i]] += 1.0;
    }
    for (size_t l = 0; l < L; l++) {
      attrib_analyze_variable *x = add_var(c, cap, col->name, col->levels[l]);
      if (!x) {
        attrib__free(cnt);
        return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
      }
      x->n_missing = missing;
      x->mean_treated = share(cnt[2 * l + 1], tot[1]), x->mean_control = share(cnt[2 * l], tot[0]);
    }
    attrib__free(cnt);
    return ATTRIB_OK;
  }
  /* numeric: the mean by group, and for factor() the distinct values' shares */
  double sum[2] = {0, 0}, tot[2] = {0, 0};
  for (size_t i = 0; i < n; i++) {
    double v = col->values[i];
    if (isnan(v)) {
      missing++, complete[i] = 0;
      continue;
    }
    if (g[i] >= 0) sum[g[i]] += v, tot[g[i]] += 1.0;
  }
  size_t nu = 0;
  double *u = NULL;
  if (as_factor && n > missing) {
    size_t m = 0, bytes = (n - missing) * sizeof *u;
    if (!(u = attrib__alloc_large(bytes))) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
      if (!isnan(col->values[i])) u[m++] = col->values[i];
    qsort(u, m, sizeof *u, cmp_double);
    for (size_t i = 0; i < m; i++)
      if (!nu || u[i] != u[nu - 1]) u[nu++] = u[i];
    if (nu > MAX_NUMERIC_LEVELS) {
      c->n_levels_capped++;
      nu = 0;
    } else {
      double cnt[2 * MAX_NUMERIC_LEVELS] = {0};
      for (size_t i = 0; i < n; i++)
        if (!isnan(col->values[i]) && g[i] >= 0) cnt[2 * level_of(u, nu, col->values[i]) + (size_t)g[i]] += 1.0;
      for (size_t l = 0; l < nu; l++) {
        char name[32];
        snprintf(name, sizeof name, "%.15g", u[l]);
        attrib_analyze_variable *x = add_var(c, cap, col->name, name);
        if (!x) {
          attrib__free_large(u, bytes);
          return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
        }
        x->n_missing = missing;
        x->mean_treated = share(cnt[2 * l + 1], tot[1]), x->mean_control = share(cnt[2 * l], tot[0]);
      }
    }
    attrib__free_large(u, bytes);
  }
  if (!nu) {
    attrib_analyze_variable *x = add_var(c, cap, col->name, NULL);
    if (!x) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    x->n_missing = missing;
    x->mean_treated = share(sum[1], tot[1]), x->mean_control = share(sum[0], tot[0]);
  }
  return ATTRIB_OK;
}

attrib_status attrib__analyze_cohort(const attrib_table *t, const attrib_analyze_options *o, attrib_analyze_cohort *c,
                                     attrib_error *err) {
  memset(c, 0, sizeof *c);
  size_t n = t->n_rows, jt, jy, cap = 0;
  ATTRIB__TRY(attrib_table_column_require(t, o->treat, "treatment", &jt, err));
  ATTRIB__TRY(attrib_table_column_require(t, o->outcome, "outcome", &jy, err));
  /* the covariates' variables, from their terms (attrib_analyze parsed the
   * text once; no text here: no length limit) */
  const attrib_formula *f = o->covariate_terms;
  if (!f) return attrib__fail(err, ATTRIB_EINVAL, "the covariates' terms are required");
  attrib_status s = ATTRIB_OK;
  signed char *g = attrib__malloc(n ? n : 1, 1);
  unsigned char *complete = attrib__malloc(n ? n : 1, 1);
  if (!g || !complete) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  c->n_rows = n;
  const attrib_column *tc = &t->cols[jt];
  for (size_t i = 0; i < n; i++) {
    double v = tc->type == ATTRIB_COLUMN_NUMERIC ? tc->values[i] : (tc->codes[i] < 0 ? NAN : -1.0);
    complete[i] = !isnan(v);
    g[i] = v == 1.0 ? 1 : v == 0.0 ? 0 : -1;
    c->n_treated += v == 1.0, c->n_control += v == 0.0;
    c->n_treat_missing += isnan(v), c->n_treat_other += !isnan(v) && v != 0.0 && v != 1.0;
  }
  if ((s = describe_column(&t->cols[jy], 0, g, n, c, &cap, complete, err))) goto done;
  for (size_t v = 0; v < f->n_vars; v++) {
    const attrib_formula_var *fv = &f->vars[v];
    int seen = strcmp(fv->name, o->outcome) == 0 || strcmp(fv->name, o->treat) == 0;
    for (size_t w = 0; !seen && w < v; w++) seen = strcmp(f->vars[w].name, fv->name) == 0;
    if (seen) continue;
    size_t j;
    if ((s = attrib_table_column_require(t, fv->name, "covariate", &j, err))) goto done;
    if ((s = describe_column(&t->cols[j], fv->is_factor, g, n, c, &cap, complete, err))) goto done;
  }
  for (size_t i = 0; i < n; i++) c->n_complete += complete[i];
done:
  attrib__free(g);
  attrib__free(complete);
  if (s) attrib__analyze_cohort_free(c);
  return s;
}
