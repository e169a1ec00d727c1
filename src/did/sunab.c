/*
 * Sun & Abraham (2021, J. Econometrics 225(2)) interaction-weighted event
 * study, as fixest's sunab (docs/methods/did.md#sun-abraham):
 *
 *   y_it = a_i + b_t + sum_{g treated} sum_{e != -1} beta_{g,e} 1{G_i = g} 1{t - g = e} + u_it
 *
 * on every row of the panel (unbalanced panels as they are), the unit and
 * period effects absorbed by the OLS core (no demeaning here), standard
 * errors clustered by unit (or did.cluster), CR1 with fixest's small-sample
 * factor. The comparison units carry no dummies: the never treated; with
 * none, the last-treated cohort, whose treated periods (t >= its g) are then
 * left out (Sun & Abraham 2021, section 4.1). Cohorts treated in the first
 * period carry no information about untreated outcomes (fixest drops the
 * "always treated"): their units are left out and counted.
 *
 * The event-time effect weights the cohort effects by each cohort's share
 * of the rows at that event time (the interaction weights, SA eq. (8) with
 * the sample shares, as fixest's aggregate()); its standard error is the
 * delta method on the clustered covariance of the beta_{g,e}, the shares held
 * fixed (fixest: "the cohort share in the sample is considered to be a
 * perfect measure for the cohort share in the population"). The overall
 * effect weights every post-period cell by its rows (fixest's "att").
 *
 * Also the helpers sunab.c and imputation.c share (did_internal.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <lapacke.h>

#include <attrib/design.h>
#include <attrib/formula.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "did/did_internal.h"
#include "regression/regression_internal.h"

/* ---- shared with imputation.c ----------------------------------------- */

size_t attrib__did_first_row(const did_rows *p, size_t u) {
  for (size_t i = 0; i < p->n; i++)
    if ((size_t)p->unit[i] == u) return i + 1;
  return 0;
}

attrib_status attrib__did_recount_cohorts(const did_rows *p, const unsigned char *used, attrib_did_result *r,
                                          attrib_error *err) {
  attrib__free(r->groups);
  attrib__free(r->group_units);
  r->groups = NULL, r->group_units = NULL;
  r->n_groups = r->n_never = r->n_units_used = 0;
  double *g = attrib__malloc(p->n_units ? p->n_units : 1, sizeof *g);
  size_t *c = attrib__calloc(p->n_units ? p->n_units : 1, sizeof *c);
  if (!g || !c) {
    attrib__free(g), attrib__free(c);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  size_t ng = 0;
  for (size_t u = 0; u < p->n_units; u++) {
    if (!used[u]) continue;
    r->n_units_used++;
    double cu = p->cohort[u];
    if (cu == 0.0) {
      r->n_never++;
      continue;
    }
    size_t a = 0;
    while (a < ng && g[a] < cu) a++;
    if (a == ng || g[a] != cu) {
      memmove(g + a + 1, g + a, (ng - a) * sizeof *g);
      memmove(c + a + 1, c + a, (ng - a) * sizeof *c);
      g[a] = cu, c[a] = 0, ng++;
    }
    c[a]++;
  }
  r->groups = g, r->group_units = c, r->n_groups = ng;
  return ATTRIB_OK;
}

attrib_status attrib__did_staggered_check(const attrib_did_options *o, attrib_did_estimator est, attrib_error *err) {
  const char *name = est == ATTRIB_DID_SUNAB ? "Sun-Abraham" : "imputation";
  if (o->covariates || o->covariate_terms)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.covariates",
                               "the %s estimator fits unit and period effects only; covariates are not supported "
                               "(the 2x2 design and Callaway-Sant'Anna take them)", name);
  if (o->bootstrap)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.bootstrap",
                               "the %s estimator's standard errors are analytic (%s); it has no bootstrap", name,
                               est == ATTRIB_DID_SUNAB ? "cluster-robust, delta method"
                                                       : "the conservative clustered variance of Borusyak, Jaravel & "
                                                         "Spiess");
  return ATTRIB_OK;
}

/* ---- a table with extra numeric columns -------------------------------- */

typedef struct xtable {
  attrib_table t;
  attrib_column *cols;
  size_t n_extra, cap;
  double **values;
  char **names;
  uint64_t *miss; /* the missing-row bits of the first extra column (the design reads these, not NaN) */
} xtable;

static void xtable_free(xtable *v) {
  for (size_t j = 0; j < v->n_extra; j++) attrib__free(v->values[j]), attrib__free(v->names[j]);
  attrib__free(v->values), attrib__free(v->names), attrib__free(v->cols), attrib__free(v->miss);
  memset(v, 0, sizeof *v);
}

/* room for k extra columns (allocated once: the column array is borrowed
 * by the table view) */
static int xtable_init(xtable *v, const attrib_table *base, size_t k) {
  memset(v, 0, sizeof *v);
  v->cap = k;
  v->values = attrib__calloc(k ? k : 1, sizeof *v->values);
  v->names = attrib__calloc(k ? k : 1, sizeof *v->names);
  v->cols = attrib__calloc(base->n_cols + k + 1, sizeof *v->cols);
  if (!v->values || !v->names || !v->cols) return 1;
  memcpy(v->cols, base->cols, base->n_cols * sizeof *v->cols);
  v->t = *base;
  v->t.cols = v->cols;
  v->t.n_cols = base->n_cols;
  return 0;
}

static double *xtable_add(xtable *v, const attrib_table *base, const char *name) {
  size_t k = v->n_extra;
  if (k == v->cap) return NULL;
  if (!(v->values[k] = attrib__calloc(base->n_rows ? base->n_rows : 1, sizeof **v->values))) return NULL;
  if (!(v->names[k] = attrib__strdup(name))) {
    attrib__free(v->values[k]);
    v->values[k] = NULL;
    return NULL;
  }
  attrib_column *c = &v->cols[base->n_cols + k];
  memset(c, 0, sizeof *c);
  c->name = v->names[k];
  c->type = ATTRIB_COLUMN_NUMERIC;
  c->values = v->values[k];
  v->n_extra = k + 1;
  v->t.n_cols = base->n_cols + v->n_extra;
  return v->values[k];
}

attrib_status attrib__did_factor_fe_ols(const attrib_table *t, const attrib_did_options *o, const double *y,
                                        const unsigned char *keep, const double *code, const char *code_name,
                                        attrib_ols_result **out, attrib_error *err) {
  size_t n = t->n_rows;
  xtable v = {0};
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  attrib_status s = ATTRIB_OK;
  *out = NULL;
  double *ys = NULL, *cs = NULL;
  if (xtable_init(&v, t, 2) || !(ys = xtable_add(&v, t, ".did_y")) || !(cs = xtable_add(&v, t, code_name)) ||
      !(v.miss = attrib__calloc(n / 64 + 1, sizeof *v.miss))) {
    xtable_free(&v);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  /* the design reads missingness from the bits, not from NaN */
  v.cols[t->n_cols].missing = v.miss;
  for (size_t i = 0; i < n; i++) {
    ys[i] = keep[i] ? y[i] : NAN;
    cs[i] = code[i];
    if (!keep[i]) v.miss[i >> 6] |= (uint64_t)1 << (i & 63), v.cols[t->n_cols].n_missing++;
  }
  if ((s = attrib_formula_new(".did_y", &f, err)) || (s = attrib_formula_add_column(f, code_name, 1, err)) ||
      (s = attrib_formula_add_fe(f, o->unit, err)) || (s = attrib_formula_add_fe(f, o->time, err)))
    goto done;
  const char *cl[2] = {o->cluster ? o->cluster : o->unit, NULL};
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cl;
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.vcov = ATTRIB_VCOV_CLUSTER;
  oo.level = o->level;
  oo.threads = o->threads;
  oo.drop_singletons = 0; /* as the TWFE event study: a unit seen once keeps its period's information */
  if ((s = attrib_design_build(&v.t, f, &dopt, &d, err))) goto done;
  s = attrib_ols_fit(d, &oo, out, err);
done:
  attrib_design_free(d);
  attrib_formula_free(f);
  xtable_free(&v);
  return s;
}

static attrib_status outcome_col(const attrib_table *t, const char *name, const double **out, attrib_error *err) {
  size_t c;
  ATTRIB__TRY(attrib_table_column_require(t, name, "outcome", &c, err));
  if (t->cols[c].type != ATTRIB_COLUMN_NUMERIC)
    return attrib__fail(err, ATTRIB_ETYPE, "outcome column '%s' must be numeric; it holds text (line %zu: '%s')", name,
                        t->cols[c].first_text_line, t->cols[c].first_text ? t->cols[c].first_text : "");
  *out = t->cols[c].values;
  return ATTRIB_OK;
}

/* the Wald test of the leads (attrib__did_wald_leads, as the TWFE event study) */
static attrib_status pretest(attrib_did_result *r, attrib_error *err) {
  if (attrib__did_wald_leads(r)) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  return ATTRIB_OK;
}

/* ---- the estimator ---------------------------------------------------- */

/* The estimation's state, shared by its steps. */
typedef struct sa_fit {
  const did_rows *p;
  const double *y;
  size_t n, N, nT;
  double t0;                       /* the first period */
  unsigned char *used, *keep;      /* units with a row used, rows used */
  size_t n_always, always_row;     /* units of cohorts treated in the first period, the first one's data row */
  double g_ctrl;                   /* the comparison: 0 = never treated, else the last-treated cohort */
  double *cohorts;                 /* the treated cohorts with interactions, ascending */
  size_t ng, E;                    /* their count, event times emin..emax */
  long emin, emax;
  size_t *cnt, *col_of, *ctrl_t;   /* rows per cell (cohort x event time), cell -> dummy (SIZE_MAX: none), comparison rows per period */
  size_t ncell;
  double *code;                    /* each row's cell dummy, 0 = the baseline */
  attrib_ols_result *ols;
  long *ix;                        /* dummy -> coefficient, -1 = aliased */
  double tq;                       /* the interval's quantile */
  long *ev;                        /* the event times estimated */
  size_t ne;
  double *W, post_rows;            /* the interaction weights, the post-period rows */
  double *est, *cov;               /* W beta, W V W' */
} sa_fit;

static attrib_status sa_oom(attrib_error *err) { return attrib__fail(err, ATTRIB_ENOMEM, "out of memory"); }

/* cohorts treated in the first period: no untreated period, left out (as
 * fixest's "always treated"); no other treated unit is an error */
static attrib_status sa_always_treated(sa_fit *f, attrib_did_result *r, attrib_error *err) {
  const did_rows *p = f->p;
  size_t N = f->N;
  double t0 = f->t0;
  size_t n_always = 0, always_row = 0;
  for (size_t u = 0; u < N; u++)
    if (p->cohort[u] > 0 && p->cohort[u] <= t0 && !n_always++) always_row = attrib__did_first_row(p, u);
  f->n_always = n_always, f->always_row = always_row;
  r->n_dropped_first = n_always;
  if (n_always &&
      attrib__did_note(r, "%zu units of cohorts treated in or before the first period (%g) are left out: they have no untreated "
                          "period to compare with (fixest drops these 'always treated' too); the first is the unit at "
                          "data row %zu", n_always, t0, always_row))
    return sa_oom(err);
  int treated = 0;
  for (size_t u = 0; u < N; u++) treated |= p->cohort[u] > t0;
  if (!treated)
    return n_always ? attrib__fail(err, ATTRIB_EDESIGN,
                                   "every treated unit is in a cohort treated in or before the first period (%g): with "
                                   "no untreated period they cannot be compared (%zu units left out, the first at data "
                                   "row %zu)", t0, n_always, always_row)
                    : attrib__fail(err, ATTRIB_EDESIGN, "no unit is treated within the panel");
  return ATTRIB_OK;
}

/* the comparison: the never treated, else the last-treated cohort (Sun &
 * Abraham 2021, section 4.1), which needs a not-yet-treated cohort */
static attrib_status sa_comparison(sa_fit *f, attrib_did_result *r, attrib_error *err) {
  const did_rows *p = f->p;
  const double *y = f->y;
  size_t n = f->n;
  double t0 = f->t0;
  size_t never_rows = 0;
  double g_last = 0.0;
  for (size_t i = 0; i < n; i++) {
    double g = p->cohort[p->unit[i]];
    if (isnan(y[i]) || (g > 0 && g <= t0)) continue;
    if (g == 0.0) never_rows++;
    if (g > g_last) g_last = g;
  }
  f->g_ctrl = 0.0; /* 0: never treated */
  if (never_rows) return ATTRIB_OK;
  int other = 0;
  for (size_t i = 0; i < n; i++) {
    double g = p->cohort[p->unit[i]];
    other |= !isnan(y[i]) && g > t0 && g < g_last;
  }
  if (!other)
    return g_last > 0 ? attrib__fail(err, ATTRIB_EDESIGN,
                                     "no never-treated units and no not-yet-treated comparison: every unit with an "
                                     "untreated period is in cohort %g, so no unit's untreated outcome is observed "
                                     "while that cohort is treated", g_last)
                      : attrib__fail(err, ATTRIB_EDESIGN, "no unit is treated within the panel");
  f->g_ctrl = g_last;
  if (attrib__did_note(r, "no never-treated units: the last-treated cohort (%g) is the comparison group, and the "
                          "periods from %g on (when every unit is treated) are left out (Sun & Abraham 2021, "
                          "section 4.1)", g_last, g_last))
    return sa_oom(err);
  return ATTRIB_OK;
}

/* the rows used, cohorts and event-time range of the interactions */
static attrib_status sa_cohorts(sa_fit *f, attrib_error *err) {
  const did_rows *p = f->p;
  const double *y = f->y;
  double t0 = f->t0, g_ctrl = f->g_ctrl;
  long emin = 0, emax = 0;
  int any = 0;
  size_t ng = 0;
  double *cohorts;
  if (!(cohorts = f->cohorts = attrib__malloc(f->N ? f->N : 1, sizeof *cohorts))) return sa_oom(err);
  for (size_t i = 0; i < f->n; i++) {
    size_t u = (size_t)p->unit[i];
    double g = p->cohort[u], ti = p->times[p->tix[i]];
    if (isnan(y[i]) || (g > 0 && g <= t0) || (g_ctrl > 0 && ti >= g_ctrl)) continue;
    f->keep[i] = 1, f->used[u] = 1;
    if (g == 0.0 || g == g_ctrl) continue;
    long e = (long)(ti - g);
    if (!any || e < emin) emin = e;
    if (!any || e > emax) emax = e;
    any = 1;
    size_t a = 0;
    while (a < ng && cohorts[a] < g) a++;
    if (a == ng || cohorts[a] != g) {
      memmove(cohorts + a + 1, cohorts + a, (ng - a) * sizeof *cohorts);
      cohorts[a] = g, ng++;
    }
  }
  f->ng = ng, f->emin = emin, f->emax = emax;
  if (!any) return attrib__fail(err, ATTRIB_EDESIGN, "no unit is treated within the panel");
  return ATTRIB_OK;
}

/* rows per cohort x event-time cell and comparison rows per period; one
 * dummy per cell with rows, but the reference period e = -1 */
static attrib_status sa_cells(sa_fit *f, attrib_error *err) {
  const did_rows *p = f->p;
  size_t ng = f->ng, n = f->n;
  long emin = f->emin;
  size_t E = f->E = (size_t)(f->emax - emin + 1);
  size_t *cnt = f->cnt = attrib__calloc(ng * E + 1, sizeof *cnt);
  size_t *col_of = f->col_of = attrib__malloc(ng * E + 1, sizeof *col_of);
  f->ctrl_t = attrib__calloc(f->nT, sizeof *f->ctrl_t);
  if (!cnt || !col_of || !f->ctrl_t) return sa_oom(err);
  for (size_t i = 0; i < n; i++) {
    if (!f->keep[i]) continue;
    double g = p->cohort[p->unit[i]], ti = p->times[p->tix[i]];
    if (g == 0.0 || g == f->g_ctrl) {
      f->ctrl_t[p->tix[i]]++;
      continue;
    }
    size_t a = 0;
    while (f->cohorts[a] != g) a++;
    cnt[a * E + (size_t)((long)(ti - g) - emin)]++;
  }
  size_t ncell = 0;
  for (size_t c = 0; c < ng * E; c++) {
    long e = emin + (long)(c % E);
    col_of[c] = cnt[c] && e != -1 ? ncell++ : SIZE_MAX;
  }
  f->ncell = ncell;
  if (!ncell)
    return attrib__fail(err, ATTRIB_EDESIGN, "no treated cohort has a period other than the reference (event time -1)");
  return ATTRIB_OK;
}

/* the cohort x event-time cell as a factor: 0 for the comparison rows
 * and the reference period, the baseline level the design leaves out, so
 * its indicators are written block by block, never stored as n x cells */
static attrib_status sa_cell_code(sa_fit *f, attrib_error *err) {
  const did_rows *p = f->p;
  size_t n = f->n, E = f->E;
  double *code;
  if (!(code = f->code = attrib__calloc(n ? n : 1, sizeof *code))) return sa_oom(err);
  size_t n_base = 0;
  for (size_t i = 0; i < n; i++) {
    if (!f->keep[i]) continue;
    double g = p->cohort[p->unit[i]], ti = p->times[p->tix[i]];
    if (g == 0.0 || g == f->g_ctrl) {
      n_base++;
      continue;
    }
    size_t a = 0;
    while (f->cohorts[a] != g) a++;
    size_t c = a * E + (size_t)((long)(ti - g) - f->emin);
    if (f->col_of[c] != SIZE_MAX) code[i] = (double)(f->col_of[c] + 1);
    else n_base++;
  }
  if (!n_base) /* cannot happen with comparison rows kept; the baseline level must be 0 */
    return attrib__fail(err, ATTRIB_EDESIGN, "no comparison rows: every row used is a treated cohort's event-time cell");
  return ATTRIB_OK;
}

/* the interaction coefficients: each cell dummy's coefficient, -1 when
 * collinear with the two-way effects (counted in a warning) */
static attrib_status sa_coef_index(sa_fit *f, attrib_did_result *r, attrib_error *err) {
  const attrib_ols_result *ols = f->ols;
  size_t K = ols->coef.k;
  long *ix;
  if (!(ix = f->ix = attrib__malloc(f->ncell, sizeof *ix))) return sa_oom(err);
  size_t q = 0, n_alias = 0;
  for (size_t c = 0; c < f->ng * f->E; c++) {
    if (f->col_of[c] == SIZE_MAX) continue;
    long j = -1;
    char name[48];
    snprintf(name, sizeof name, "factor(.sa_cell)%zu", q + 1);
    for (size_t k = 0; k < K; k++)
      if (!strcmp(ols->coef.term[k], name)) j = (long)k;
    ix[q++] = j >= 0 && !ols->coef.aliased[j] ? j : -1;
    n_alias += j < 0 || ols->coef.aliased[j];
  }
  if (n_alias && attrib__did_note(r, "%zu cohort x event-time effects are collinear with the unit and period "
                                     "effects and left out of the aggregation", n_alias))
    return sa_oom(err);
  return ATTRIB_OK;
}

/* cells: the cohort effects, for the heterogeneity table */
static attrib_status sa_cell_table(sa_fit *f, attrib_did_result *r, attrib_error *err) {
  const did_rows *p = f->p;
  const attrib_ols_result *ols = f->ols;
  size_t E = f->E, nT = f->nT;
  if (!(r->cells = attrib__calloc(f->ncell, sizeof *r->cells))) return sa_oom(err);
  for (size_t c = 0; c < f->ng * E; c++) {
    size_t q = f->col_of[c];
    if (q == SIZE_MAX || f->ix[q] < 0) continue;
    double g = f->cohorts[c / E];
    long e = f->emin + (long)(c % E);
    attrib_did_cell *cell = &r->cells[r->n_cells++];
    size_t j = (size_t)f->ix[q], ti = 0;
    while (ti < nT && p->times[ti] != g + (double)e) ti++;
    *cell = (attrib_did_cell){g, g + (double)e, ols->coef.estimate[j], ols->coef.std_error[j], 0, 0, e >= 0,
                              f->cnt[c], ti < nT ? f->ctrl_t[ti] : 0};
    cell->ci_low = cell->att - f->tq * cell->std_error;
    cell->ci_high = cell->att + f->tq * cell->std_error;
  }
  return ATTRIB_OK;
}

/* interaction weights (SA eq. (8), the sample shares as fixest's
 * aggregate()): one row per event time (each cohort's share of the rows at
 * that event time) and one for the overall effect (every post-period cell
 * by its rows) over the estimated cells */
static attrib_status sa_weights(sa_fit *f, attrib_did_result *r, attrib_error *err) {
  size_t ng = f->ng, E = f->E, ncell = f->ncell, *col_of = f->col_of, *cnt = f->cnt;
  long emin = f->emin, *ix = f->ix;
  size_t ne = 0;
  long *ev = f->ev = attrib__malloc(E, sizeof *ev);
  if (!ev) return sa_oom(err);
  for (size_t k = 0; k < E; k++) {
    int has = 0;
    for (size_t a = 0; a < ng; a++) has |= col_of[a * E + k] != SIZE_MAX && ix[col_of[a * E + k]] >= 0;
    if (has) ev[ne++] = emin + (long)k;
  }
  f->ne = ne;
  double *W = f->W = attrib__calloc((ne + 1) * ncell, sizeof *W); /* W[row * ncell + cell] */
  r->events = attrib__calloc(ne ? ne : 1, sizeof *r->events);
  r->event_vcov = attrib__calloc(ne * ne + 1, sizeof *r->event_vcov);
  if (!W || !r->events || !r->event_vcov) return sa_oom(err);
  r->n_events = ne;
  double post_rows = 0.0;
  for (size_t c = 0; c < ng * E; c++)
    if (col_of[c] != SIZE_MAX && ix[col_of[c]] >= 0 && emin + (long)(c % E) >= 0) post_rows += (double)cnt[c];
  for (size_t q = 0; q < ne; q++) {
    size_t k = (size_t)(ev[q] - emin);
    double tot = 0.0;
    for (size_t a = 0; a < ng; a++)
      if (col_of[a * E + k] != SIZE_MAX && ix[col_of[a * E + k]] >= 0) tot += (double)cnt[a * E + k];
    for (size_t a = 0; a < ng; a++) {
      size_t c = a * E + k;
      if (col_of[c] != SIZE_MAX && ix[col_of[c]] >= 0) W[q * ncell + col_of[c]] = (double)cnt[c] / tot;
    }
  }
  for (size_t c = 0; c < ng * E; c++)
    if (col_of[c] != SIZE_MAX && ix[col_of[c]] >= 0 && emin + (long)(c % E) >= 0)
      W[ne * ncell + col_of[c]] = (double)cnt[c] / post_rows;
  f->post_rows = post_rows;
  return ATTRIB_OK;
}

/* estimates and covariance: W beta, W V W' (the delta method with the
 * shares held fixed); the event study, the overall effect and the dynamic
 * aggregation's mean of the post-period effects */
static attrib_status sa_aggregate(sa_fit *f, attrib_did_result *r, attrib_error *err) {
  const attrib_ols_result *ols = f->ols;
  size_t ne = f->ne, ncell = f->ncell, K = ols->coef.k;
  const double *W = f->W;
  const long *ev = f->ev, *ix = f->ix;
  double tq = f->tq;
  double *est = f->est = attrib__calloc(ne + 1, sizeof *est), *cov = f->cov = attrib__calloc((ne + 1) * (ne + 1), sizeof *cov);
  if (!est || !cov) return sa_oom(err);
  for (size_t a = 0; a <= ne; a++)
    for (size_t q = 0; q < ncell; q++) {
      double wa = W[a * ncell + q];
      if (wa == 0.0) continue;
      est[a] += wa * ols->coef.estimate[ix[q]];
      for (size_t b = 0; b <= ne; b++)
        for (size_t q2 = 0; q2 < ncell; q2++) {
          double wb = W[b * ncell + q2];
          if (wb != 0.0) cov[a * (ne + 1) + b] += wa * wb * ols->vcov[(size_t)ix[q2] * K + (size_t)ix[q]];
        }
    }
  double post_sum = 0.0;
  size_t npost = 0;
  for (size_t a = 0; a < ne; a++) {
    attrib_did_event *e = &r->events[a];
    e->event_time = (double)ev[a];
    e->att = est[a];
    e->std_error = sqrt(cov[a * (ne + 1) + a]);
    e->ci_low = e->att - tq * e->std_error;
    e->ci_high = e->att + tq * e->std_error;
    for (size_t b = 0; b < ne; b++) r->event_vcov[a * ne + b] = cov[a * (ne + 1) + b];
    if (ev[a] >= 0) post_sum += est[a], npost++;
  }
  if (f->post_rows > 0) {
    r->effect.estimate = est[ne];
    r->effect.std_error = sqrt(cov[ne * (ne + 1) + ne]);
  } else {
    r->effect.estimate = r->effect.std_error = NAN;
  }
  /* the dynamic aggregation's overall figure: the mean of the post-period
   * event-time effects (as did's aggte(type = "dynamic")) */
  if (npost) {
    double var = 0.0;
    for (size_t a = 0; a < ne; a++)
      for (size_t b = 0; b < ne; b++)
        if (ev[a] >= 0 && ev[b] >= 0) var += r->event_vcov[a * ne + b];
    r->dynamic_overall = post_sum / (double)npost;
    r->dynamic_overall_se = sqrt(var) / (double)npost;
  }
  return ATTRIB_OK;
}

/* the OLS warnings (the FE one names an ols flag did does not take) */
static attrib_status sa_ols_warnings(const attrib_ols_result *ols, attrib_did_result *r, attrib_error *err) {
  for (size_t w = 0; w < ols->n_warnings; w++) {
    int bad = !strncmp(ols->warnings[w], ATTRIB__FE_NOT_CONVERGED, strlen(ATTRIB__FE_NOT_CONVERGED))
                  ? attrib__did_note(r, "absorbing the unit and period effects did not converge: the estimates may "
                                        "be inexact; the Callaway-Sant'Anna estimator absorbs no fixed effects")
                  : attrib__did_note(r, "%s", ols->warnings[w]);
    if (bad) return sa_oom(err);
  }
  return ATTRIB_OK;
}

static void sa_fit_free(sa_fit *f) {
  attrib__free(f->used), attrib__free(f->keep), attrib__free(f->cnt), attrib__free(f->col_of), attrib__free(f->ctrl_t);
  attrib__free(f->cohorts), attrib__free(f->W), attrib__free(f->ix);
  attrib_ols_result_free(f->ols);
  attrib__free(f->code);
  attrib__free(f->ev), attrib__free(f->est), attrib__free(f->cov);
}

attrib_status attrib__did_sunab(const attrib_table *t, const attrib_did_options *o, const did_rows *p,
                                attrib_did_result *r, attrib_error *err) {
  const double *y = NULL;
  ATTRIB__TRY(outcome_col(t, o->outcome, &y, err));
  sa_fit f = {.p = p, .y = y, .n = p->n, .N = p->n_units, .nT = p->nT, .t0 = p->times[0]};
  attrib_status s = ATTRIB_OK;
  f.used = attrib__calloc(f.N ? f.N : 1, 1), f.keep = attrib__calloc(f.n ? f.n : 1, 1);
  if (!f.used || !f.keep) {
    s = sa_oom(err);
    goto done;
  }
  if ((s = sa_always_treated(&f, r, err)) || (s = sa_comparison(&f, r, err)) || (s = sa_cohorts(&f, err)) ||
      (s = sa_cells(&f, err)) || (s = sa_cell_code(&f, err)))
    goto done;
  if ((s = attrib__did_factor_fe_ols(t, o, y, f.keep, f.code, ".sa_cell", &f.ols, err))) goto done;
  r->df = f.ols->df_inference;
  r->n_obs = f.ols->n_obs;
  r->n_clusters = f.ols->n_clusters[0];
  r->se_method = "cluster-robust (CR1, fixest's small-sample convention); event-time and overall effects by the "
                 "delta method with the cohort shares held fixed (as fixest)";
  if ((s = sa_coef_index(&f, r, err))) goto done;
  f.tq = isfinite(r->df) ? gsl_cdf_tdist_Pinv(0.5 + 0.5 * o->level, r->df) : gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * o->level);
  if ((s = sa_cell_table(&f, r, err)) || (s = sa_weights(&f, r, err)) || (s = sa_aggregate(&f, r, err))) goto done;
  attrib__free(f.ev), attrib__free(f.est), attrib__free(f.cov);
  f.ev = NULL, f.est = NULL, f.cov = NULL;
  if ((s = pretest(r, err))) goto done;
  if ((s = sa_ols_warnings(f.ols, r, err))) goto done;
  s = attrib__did_recount_cohorts(p, f.used, r, err);
done:
  sa_fit_free(&f);
  return s;
}
