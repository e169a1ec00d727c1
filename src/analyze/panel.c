/*
 * A panel's learners (docs/methods/analyze.md, "Panels"). The unit of
 * analysis is the learner: the rows are indexed by (unit, period), each
 * learner's first treated period is read from the cohort column or derived
 * from the treatment (0 before training, 1 from then on), and the design
 * follows: one adoption date among the learners analysed, or several
 * (staggered). For one date g, each learner becomes one row: the outcome's
 * change from the mean before g to the mean from g on, the treatment =
 * ever treated, every other column at the learner's first period (before
 * training). With a balanced panel, OLS of that change on the treatment is
 * the 2x2 difference in differences of the window means, which equals the
 * two-way fixed-effects coefficient; with covariates it is the regression-
 * adjusted DiD, and matching or the doubly robust ATT on it are the
 * conditional DiD estimators of Heckman, Ichimura & Todd (1997) and Sant'Anna
 * & Zhao (2020) on the windows' means.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_internal.h"

char *attrib__analyze_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = attrib__malloc((size_t)n + 1, 1);
  if (!s) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* ---- views --------------------------------------------------------------- */

void attrib__analyze_view_free(attrib__analyze_view *v) {
  for (size_t j = 0; v->cols && v->owns && j < v->t.n_cols; j++) {
    if (!v->owns[j]) continue;
    attrib__free(v->cols[j].values);
    attrib__free(v->cols[j].codes);
    attrib__free(v->cols[j].missing);
  }
  attrib__free(v->cols);
  attrib__free(v->owns);
  memset(v, 0, sizeof *v);
}

/* the column's missing bitmask and count from its values (NaN = missing) */
static int numeric_missing(attrib_column *c, size_t n) {
  attrib__free(c->missing);
  c->missing = NULL;
  c->n_missing = 0;
  for (size_t i = 0; i < n; i++) c->n_missing += isnan(c->values[i]);
  if (!c->n_missing) return 0;
  if (!(c->missing = attrib__calloc((n + 63) / 64, sizeof *c->missing))) return -1;
  for (size_t i = 0; i < n; i++)
    if (isnan(c->values[i])) c->missing[i >> 6] |= (uint64_t)1 << (i & 63);
  return 0;
}

/* v = rows[0..n) of t, every column copied */
static attrib_status view_rows(const attrib_table *t, const size_t *rows, size_t n, attrib__analyze_view *v,
                               attrib_error *err) {
  memset(v, 0, sizeof *v);
  v->cols = attrib__calloc(t->n_cols ? t->n_cols : 1, sizeof *v->cols);
  v->owns = attrib__calloc(t->n_cols ? t->n_cols : 1, 1);
  if (!v->cols || !v->owns) goto oom;
  v->t = *t;
  v->t.cols = v->cols;
  v->t.n_rows = n;
  for (size_t j = 0; j < t->n_cols; j++) {
    const attrib_column *s = &t->cols[j];
    attrib_column *c = &v->cols[j];
    *c = *s; /* name, type, levels, first_text: borrowed */
    c->values = NULL, c->codes = NULL, c->missing = NULL, c->values_bytes_ = c->codes_bytes_ = 0;
    v->owns[j] = 1;
    if (s->type == ATTRIB_COLUMN_CATEGORICAL) {
      if (!(c->codes = attrib__malloc(n ? n : 1, sizeof *c->codes))) goto oom;
      c->n_missing = 0;
      for (size_t i = 0; i < n; i++) c->codes[i] = s->codes[rows[i]], c->n_missing += c->codes[i] < 0;
    } else {
      if (!(c->values = attrib__malloc(n ? n : 1, sizeof *c->values))) goto oom;
      for (size_t i = 0; i < n; i++) c->values[i] = s->values[rows[i]];
      if (numeric_missing(c, n)) goto oom;
    }
  }
  return ATTRIB_OK;
oom:
  v->t.n_cols = t->n_cols;
  attrib__analyze_view_free(v);
  return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
}

/* replaces numeric column j's values by vals[0..n) */
static attrib_status view_set(attrib__analyze_view *v, size_t j, const double *vals, attrib_error *err) {
  attrib_column *c = &v->cols[j];
  memcpy(c->values, vals, v->t.n_rows * sizeof *vals);
  c->is_boolean = 0;
  return numeric_missing(c, v->t.n_rows) ? attrib__fail(err, ATTRIB_ENOMEM, "out of memory") : ATTRIB_OK;
}

/* the column of the derived cohort (the leading dot keeps it apart from data columns) */
#define DERIVED_COHORT ".cohort"

/* v = all of t plus the numeric column DERIVED_COHORT = vals (the view frees them) */
static attrib_status view_add_column(const attrib_table *t, double *vals, attrib__analyze_view *v,
                                     attrib_error *err) {
  memset(v, 0, sizeof *v);
  v->cols = attrib__calloc(t->n_cols + 1, sizeof *v->cols);
  v->owns = attrib__calloc(t->n_cols + 1, 1);
  if (!v->cols || !v->owns) {
    attrib__analyze_view_free(v);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  memcpy(v->cols, t->cols, t->n_cols * sizeof *v->cols);
  attrib_column *c = &v->cols[t->n_cols];
  c->name = (char *)DERIVED_COHORT; /* a literal: never freed */
  c->type = ATTRIB_COLUMN_NUMERIC;
  c->values = vals;
  v->owns[t->n_cols] = 1; /* the view frees vals */
  v->t = *t;
  v->t.cols = v->cols;
  v->t.n_cols = t->n_cols + 1;
  return ATTRIB_OK;
}

/* ---- the panel's index -------------------------------------------------- */

typedef struct prow {
  double unit, time;
  size_t row;
} prow;

static int cmp_prow(const void *a, const void *b) {
  const prow *x = a, *y = b;
  if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
  if (x->time != y->time) return x->time < y->time ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* what every learner contributes, filled learner by learner */
typedef struct learner {
  size_t first, last;         /* its rows in the sorted index [first, last) */
  double cohort;              /* first treated period as given or derived, 0 = never */
  size_t n_y;                 /* periods with the outcome */
} learner;

typedef struct index {
  prow *pr;
  size_t n, n_units;
  learner *u;
  double *times;
  size_t nT;
} pindex;

static void index_free(pindex *x) {
  attrib__free(x->pr);
  attrib__free(x->u);
  attrib__free(x->times);
}

static attrib_status numeric_column(const attrib_table *t, const char *name, const char *role, const attrib_column **c,
                                    attrib_error *err) {
  size_t j;
  ATTRIB__TRY(attrib_table_column_require(t, name, role, &j, err));
  *c = &t->cols[j];
  if ((*c)->type != ATTRIB_COLUMN_NUMERIC)
    return attrib__fail(err, ATTRIB_ETYPE, "%s column '%s' must be numeric; it holds text (line %zu: '%s')", role, name,
                        (*c)->first_text_line, (*c)->first_text ? (*c)->first_text : "");
  return ATTRIB_OK;
}

/* rows sorted by (unit, period); duplicate cells and missing ids refused */
static attrib_status build_index(const attrib_table *t, const attrib_analyze_options *o, pindex *x, attrib_error *err) {
  size_t n = t->n_rows, ju;
  const attrib_column *tc;
  ATTRIB__TRY(attrib_table_column_require(t, o->unit, "unit", &ju, err));
  ATTRIB__TRY(numeric_column(t, o->time, "time", &tc, err));
  const attrib_column *uc = &t->cols[ju];
  if (!(x->pr = attrib__malloc(n ? n : 1, sizeof *x->pr))) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  x->n = n;
  for (size_t i = 0; i < n; i++) {
    double u = uc->type == ATTRIB_COLUMN_NUMERIC ? uc->values[i] : uc->codes[i] < 0 ? NAN : (double)uc->codes[i];
    double tv = tc->values[i];
    if (isnan(u)) return attrib__fail(err, ATTRIB_ENODATA, "unit column '%s' is missing at data row %zu", o->unit, i + 1);
    if (!isfinite(tv) || tv != floor(tv))
      return attrib__fail(err, ATTRIB_ETYPE, "time column '%s' must hold whole numbers (periods); data row %zu has %g",
                          o->time, i + 1, tv);
    x->pr[i] = (prow){u, tv, i};
  }
  qsort(x->pr, n, sizeof *x->pr, cmp_prow);
  for (size_t i = 1; i < n; i++)
    if (x->pr[i].unit == x->pr[i - 1].unit && x->pr[i].time == x->pr[i - 1].time)
      return attrib__fail(err, ATTRIB_EDESIGN, "duplicate (unit, time) rows: data rows %zu and %zu are the same unit in period %g",
                          x->pr[i - 1].row + 1, x->pr[i].row + 1, x->pr[i].time);
  size_t nu = 0;
  for (size_t i = 0; i < n; i++) nu += i == 0 || x->pr[i].unit != x->pr[i - 1].unit;
  x->n_units = nu;
  x->u = attrib__calloc(nu ? nu : 1, sizeof *x->u);
  x->times = attrib__malloc(n ? n : 1, sizeof *x->times);
  if (!x->u || !x->times) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t i = 0, k = 0; i < n; i++) {
    if (i > 0 && x->pr[i].unit != x->pr[i - 1].unit) x->u[k++].last = i, x->u[k].first = i;
    x->times[i] = x->pr[i].time;
  }
  if (nu) x->u[nu - 1].last = n;
  qsort(x->times, n, sizeof *x->times, cmp_double);
  size_t nT = 0;
  for (size_t i = 0; i < n; i++)
    if (!nT || x->times[i] != x->times[nT - 1]) x->times[nT++] = x->times[i];
  x->nT = nT;
  return ATTRIB_OK;
}

/* Each learner's first treated period: the cohort column (constant within a
 * learner), or the first period with the treatment on (it must stay on).
 * With both, the treatment must agree with the cohort: 1 from the first
 * treated period on, or 1 in every period of a learner ever treated. */
static attrib_status learner_cohorts(const attrib_table *t, const attrib_analyze_options *o, pindex *x,
                                     attrib_error *err) {
  const attrib_column *cc = NULL, *dc = &t->cols[attrib_table_column_find(t, o->treat)];
  if (o->cohort) ATTRIB__TRY(numeric_column(t, o->cohort, "cohort", &cc, err));
  double last = x->times[x->nT - 1];
  int as_time = 1, as_group = 1;
  size_t bad_time = SIZE_MAX, bad_group = SIZE_MAX;
  for (size_t k = 0; k < x->n_units; k++) {
    learner *u = &x->u[k];
    if (cc) {
      double g0 = NAN;
      for (size_t i = u->first; i < u->last; i++) {
        size_t row = x->pr[i].row;
        double g = cc->values[row];
        if (!isnan(g) && (g != floor(g) || g < 0))
          return attrib__fail(err, ATTRIB_ETYPE,
                              "cohort column '%s' must hold the first treated period (a whole number, 0 or empty = "
                              "never); data row %zu has %g", o->cohort, row + 1, g);
        g = isnan(g) ? 0.0 : g;
        if (i == u->first) g0 = g;
        else if (g != g0)
          return attrib__fail(err, ATTRIB_EDESIGN,
                              "cohort changes within a unit: unit at data rows %zu and %zu has cohort %g and then %g "
                              "(the cohort is the unit's first treated period and must not vary over time)",
                              x->pr[u->first].row + 1, row + 1, g0, g);
        double d = dc->values[row];
        if (isnan(d)) continue;
        double on = g > 0 && x->pr[i].time >= g, ever = g > 0 && g <= last;
        if (d != on && bad_time == SIZE_MAX) as_time = 0, bad_time = row;
        if (d != ever && bad_group == SIZE_MAX) as_group = 0, bad_group = row;
      }
      u->cohort = g0;
    } else {
      double g = 0.0;
      for (size_t i = u->first; i < u->last; i++) {
        size_t row = x->pr[i].row;
        double d = dc->values[row];
        if (isnan(d)) continue;
        if (d == 1.0 && g == 0.0) g = x->pr[i].time;
        else if (d == 0.0 && g != 0.0)
          return attrib__fail(err, ATTRIB_EDESIGN,
                              "treatment '%s' goes back to 0 at data row %zu (period %g) after starting in period %g: "
                              "without a cohort column a panel's treatment must stay 1 once it starts",
                              o->treat, row + 1, x->pr[i].time, g);
      }
      u->cohort = g;
    }
  }
  if (cc && !as_time && !as_group) {
    size_t row = bad_time;
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "treatment '%s' disagrees with cohort '%s' at data row %zu (treatment %g, cohort %g, period %g): "
                        "it must be 0 before the first treated period and 1 from it on, or 1 in every period of a "
                        "learner ever treated", o->treat, o->cohort, row + 1, dc->values[row],
                        isnan(cc->values[row]) ? 0.0 : cc->values[row], t->cols[attrib_table_column_find(t, o->time)].values[row]);
  }
  return ATTRIB_OK;
}

/* clusters must hold whole learners: the learner rows carry the first period's */
static attrib_status cluster_within_learners(const attrib_table *t, const attrib_analyze_options *o, const pindex *x,
                                             attrib_error *err) {
  if (!o->cluster) return ATTRIB_OK;
  const attrib_column *c = &t->cols[attrib_table_column_find(t, o->cluster)];
  for (size_t k = 0; k < x->n_units; k++) {
    size_t r0 = x->pr[x->u[k].first].row;
    for (size_t i = x->u[k].first + 1; i < x->u[k].last; i++) {
      size_t row = x->pr[i].row;
      int same = c->type == ATTRIB_COLUMN_CATEGORICAL ? c->codes[row] == c->codes[r0]
                                                      : c->values[row] == c->values[r0] ||
                                                            (isnan(c->values[row]) && isnan(c->values[r0]));
      if (!same)
        return attrib__fail(err, ATTRIB_EDESIGN,
                            "cluster column '%s' varies within a unit (data rows %zu and %zu): clusters must contain "
                            "whole units", o->cluster, r0 + 1, row + 1);
    }
  }
  return ATTRIB_OK;
}

/* ---- the learner rows ------------------------------------------------------ */

/* every learner's count by first treated period, as given */
static attrib_status count_cohorts(const pindex *x, attrib__analyze_panel_data *p, attrib_error *err) {
  double *g = attrib__malloc(x->n_units ? x->n_units : 1, sizeof *g);
  if (!g) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  size_t m = 0;
  for (size_t k = 0; k < x->n_units; k++) {
    double c = x->u[k].cohort, last = x->times[x->nT - 1];
    if (c > 0 && c <= last) g[m++] = c;
    else p->n_never_all++;
  }
  qsort(g, m, sizeof *g, cmp_double);
  p->cohorts = attrib__malloc(m ? m : 1, sizeof *p->cohorts);
  p->cohort_units = attrib__calloc(m ? m : 1, sizeof *p->cohort_units);
  if (!p->cohorts || !p->cohort_units) {
    attrib__free(g);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < m; i++) {
    if (!p->n_cohorts || g[i] != p->cohorts[p->n_cohorts - 1]) p->cohorts[p->n_cohorts++] = g[i];
    p->cohort_units[p->n_cohorts - 1]++;
  }
  attrib__free(g);
  return ATTRIB_OK;
}

/* The design: learners complete in the outcome with a period before
 * training (or never treated) are used; their distinct first treated
 * periods decide single or staggered adoption. */
static attrib_status classify(const attrib_table *t, const attrib_analyze_options *o, pindex *x,
                              attrib__analyze_panel_data *p, unsigned char *used, attrib_error *err) {
  const attrib_column *yc = &t->cols[attrib_table_column_find(t, o->outcome)];
  attrib_analyze_panel *in = &p->info;
  in->n_units = x->n_units, in->n_periods = x->nT;
  in->first_period = x->times[0], in->last_period = x->times[x->nT - 1];
  size_t nd = 0;
  double seen[2] = {NAN, NAN};
  unsigned char *hit = attrib__calloc(p->n_cohorts ? p->n_cohorts : 1, 1);
  if (!hit) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t k = 0; k < x->n_units; k++) {
    learner *u = &x->u[k];
    for (size_t i = u->first; i < u->last; i++) u->n_y += !isnan(yc->values[x->pr[i].row]);
    if (u->cohort > in->last_period) in->n_late++, u->cohort = 0.0; /* never treated within the panel (as did) */
    int always = u->cohort > 0 && u->cohort <= in->first_period;
    in->n_always_treated += always;
    in->n_incomplete += u->n_y < x->nT;
    used[k] = !always && u->n_y == x->nT;
    if (!used[k]) continue;
    in->n_used++;
    if (u->cohort > 0) {
      p->n_treated++;
      if (nd < 2 && !(nd && u->cohort == seen[0])) seen[nd++] = u->cohort;
      double *at = bsearch(&u->cohort, p->cohorts, p->n_cohorts, sizeof *p->cohorts, cmp_double);
      if (at && !hit[at - p->cohorts]) hit[at - p->cohorts] = 1, in->n_treated_cohorts++;
    } else {
      p->n_never++;
    }
  }
  attrib__free(hit);
  p->design = nd <= 1 ? ATTRIB_ANALYZE_PANEL_SINGLE : ATTRIB_ANALYZE_PANEL_STAGGERED;
  in->adoption = nd == 1 ? seen[0] : NAN;
  return ATTRIB_OK;
}

/* the learners at their first period; the treatment = ever treated */
static attrib_status learner_rows(const attrib_table *t, const attrib_analyze_options *o, const pindex *x,
                                  attrib__analyze_panel_data *p, attrib_error *err) {
  size_t nu = x->n_units, *rows = attrib__malloc(nu ? nu : 1, sizeof *rows);
  double *d = attrib__malloc(nu ? nu : 1, sizeof *d);
  attrib_status s = ATTRIB_OK;
  if (!rows || !d) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t k = 0; k < nu; k++) rows[k] = x->pr[x->u[k].first].row, d[k] = x->u[k].cohort > 0 ? 1.0 : 0.0;
  if ((s = view_rows(t, rows, nu, &p->learners, err))) goto done;
  s = view_set(&p->learners, (size_t)attrib_table_column_find(t, o->treat), d, err);
done:
  attrib__free(rows);
  attrib__free(d);
  return s;
}

/* single date g: the used learners, outcome = mean from g on - mean before g */
static attrib_status change_rows(const attrib_table *t, const attrib_analyze_options *o, const pindex *x,
                                 const unsigned char *used, attrib__analyze_panel_data *p, attrib_error *err) {
  size_t nu = p->info.n_used, jy = (size_t)attrib_table_column_find(t, o->outcome);
  size_t jt = (size_t)attrib_table_column_find(t, o->treat);
  const double *y = t->cols[jy].values, g = p->info.adoption;
  size_t *rows = attrib__malloc(nu ? nu : 1, sizeof *rows);
  double *dy = attrib__malloc(nu ? nu : 1, sizeof *dy), *d = attrib__malloc(nu ? nu : 1, sizeof *d);
  attrib_status s = ATTRIB_OK;
  if (!rows || !dy || !d) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  double sy = 0.0, syy = 0.0, sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0;
  for (size_t q = 0; q < x->nT; q++) p->info.n_pre += x->times[q] < g, p->info.n_post += x->times[q] >= g;
  for (size_t k = 0, m = 0; k < x->n_units; k++) {
    if (!used[k]) continue;
    const learner *u = &x->u[k];
    double pre = 0.0, post = 0.0;
    for (size_t i = u->first; i < u->last; i++) {
      double v = y[x->pr[i].row];
      if (x->pr[i].time < g) pre += v;
      else post += v;
    }
    rows[m] = x->pr[u->first].row;
    double a = pre / (double)p->info.n_pre, b = post / (double)p->info.n_post;
    dy[m] = b - a;
    d[m] = u->cohort > 0;
    sa += a, sb += b, saa += a * a, sbb += b * b, sab += a * b;
    double y0 = y[rows[m]];
    sy += y0, syy += y0 * y0;
    m++;
  }
  p->sd_baseline = nu > 1 ? sqrt(fmax(0.0, (syy - sy * sy / (double)nu) / (double)(nu - 1))) : NAN;
  /* the next pilot's did inputs: the pooled variance of the window means and
   * their covariance over it, so 2 sd^2 (1 - rho) is the change's variance */
  if (nu > 1) {
    double k = (double)nu, va = (saa - sa * sa / k) / (k - 1), vb = (sbb - sb * sb / k) / (k - 1);
    double cov = (sab - sa * sb / k) / (k - 1), pooled = 0.5 * (va + vb);
    p->pilot_n = nu, p->pilot_mean = sa / k, p->pilot_sd = sqrt(fmax(0.0, pooled));
    p->pilot_rho = pooled > 0 ? cov / pooled : NAN;
  }
  if ((s = view_rows(t, rows, nu, &p->change, err))) goto done;
  if ((s = view_set(&p->change, jy, dy, err))) goto done;
  s = view_set(&p->change, jt, d, err);
done:
  attrib__free(rows);
  attrib__free(dy);
  attrib__free(d);
  return s;
}

/* the SD of the first-period outcome over the used learners (staggered) */
static void baseline_sd(const attrib_table *t, const attrib_analyze_options *o, const pindex *x,
                        const unsigned char *used, attrib__analyze_panel_data *p) {
  const double *y = t->cols[attrib_table_column_find(t, o->outcome)].values;
  double sy = 0.0, syy = 0.0, n = 0.0;
  for (size_t k = 0; k < x->n_units; k++)
    if (used[k]) {
      double v = y[x->pr[x->u[k].first].row];
      sy += v, syy += v * v, n += 1.0;
    }
  p->sd_baseline = n > 1 ? sqrt(fmax(0.0, (syy - sy * sy / n) / (n - 1))) : NAN;
}

/* the derived cohort as a column for the DiD estimators */
static attrib_status derived_cohort(const attrib_table *t, const pindex *x, attrib__analyze_panel_data *p,
                                    attrib_error *err) {
  double *g = attrib__malloc(t->n_rows ? t->n_rows : 1, sizeof *g);
  if (!g) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t k = 0; k < x->n_units; k++)
    for (size_t i = x->u[k].first; i < x->u[k].last; i++) g[x->pr[i].row] = x->u[k].cohort;
  attrib_status s = view_add_column(t, g, &p->with_cohort, err);
  if (s) {
    attrib__free(g);
    return s;
  }
  p->did_table = &p->with_cohort.t;
  p->cohort = DERIVED_COHORT;
  return ATTRIB_OK;
}

/* each row's learner and each learner's cohort (late ones are never treated
 * here: classify set them to 0), for the funnel and the cohort lines */
static attrib_status learner_map(const attrib_table *t, const pindex *x, attrib__analyze_panel_data *p,
                                 attrib_error *err) {
  p->n_units = x->n_units, p->n_periods = x->nT;
  p->row_unit = attrib__malloc(t->n_rows ? t->n_rows : 1, sizeof *p->row_unit);
  p->unit_cohort = attrib__malloc(x->n_units ? x->n_units : 1, sizeof *p->unit_cohort);
  p->periods = attrib__malloc(x->nT ? x->nT : 1, sizeof *p->periods);
  if (!p->row_unit || !p->unit_cohort || !p->periods) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t k = 0; k < x->n_units; k++) {
    p->unit_cohort[k] = x->u[k].cohort;
    for (size_t i = x->u[k].first; i < x->u[k].last; i++) p->row_unit[x->pr[i].row] = k;
  }
  memcpy(p->periods, x->times, x->nT * sizeof *p->periods);
  return ATTRIB_OK;
}

void attrib__analyze_panel_free(attrib__analyze_panel_data *p) {
  attrib__analyze_view_free(&p->learners);
  attrib__analyze_view_free(&p->change);
  attrib__analyze_view_free(&p->with_cohort);
  attrib__free(p->cohorts);
  attrib__free(p->cohort_units);
  attrib__free(p->row_unit);
  attrib__free(p->unit_cohort);
  attrib__free(p->periods);
  memset(p, 0, sizeof *p);
}

attrib_status attrib__analyze_panel_build(const attrib_table *t, const attrib_analyze_options *o,
                                          attrib__analyze_panel_data *p, attrib_error *err) {
  memset(p, 0, sizeof *p);
  p->info.adoption = NAN;
  p->sd_baseline = p->pilot_mean = p->pilot_sd = p->pilot_rho = NAN;
  pindex x = {0};
  unsigned char *used = NULL;
  attrib_status s = build_index(t, o, &x, err);
  if (!s && !x.nT) s = attrib__fail(err, ATTRIB_ENODATA, "%s: no rows", t->source);
  if (!s) s = learner_cohorts(t, o, &x, err);
  if (!s) s = cluster_within_learners(t, o, &x, err);
  if (!s) s = count_cohorts(&x, p, err);
  if (!s && !(used = attrib__malloc(x.n_units ? x.n_units : 1, 1))) s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  if (!s) s = classify(t, o, &x, p, used, err);
  if (!s) {
    p->did_table = t, p->cohort = o->cohort;
    p->info.cohort_derived = !o->cohort;
    s = learner_rows(t, o, &x, p, err);
  }
  if (!s && !o->cohort) s = derived_cohort(t, &x, p, err);
  if (!s && p->design == ATTRIB_ANALYZE_PANEL_SINGLE && p->n_treated) s = change_rows(t, o, &x, used, p, err);
  else if (!s) baseline_sd(t, o, &x, used, p);
  if (!s) s = learner_map(t, &x, p, err);
  attrib__free(used);
  index_free(&x);
  if (s) attrib__analyze_panel_free(p);
  return s;
}
