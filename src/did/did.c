/*
 * Difference-in-differences (include/attrib/did.h): data checks, the panel
 * index, the 2x2 and two-way fixed-effects regressions through the OLS
 * core, and the dispatch to Callaway-Sant'Anna (did_cs.c).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <lapacke.h>

#include <attrib/design.h>
#include <attrib/formula.h>
#include <attrib/multitest.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "data/data_internal.h"
#include "data/pg_internal.h"
#include "did/did_internal.h"
#include "regression/pushdown_internal.h"
#include "regression/regression_internal.h"
#include "matching/matching_internal.h"

void attrib_did_options_init(attrib_did_options *o) {
  memset(o, 0, sizeof *o);
  o->level = 0.95;
  o->seed = 1;
  o->boot_type = ATTRIB_BOOT_AUTO;
  o->boot_weights = ATTRIB_BOOT_RADEMACHER;
  o->boot_ci = ATTRIB_CI_NORMAL;
}

const char *attrib_did_estimator_name(attrib_did_estimator e) {
  static const char *const names[] = {"auto", "2x2", "twfe", "cs", "sunab", "imputation"};
  return (unsigned)e < 6 ? names[e] : "?";
}

void attrib_did_result_free(attrib_did_result *r) {
  if (!r) return;
  attrib__free(r->effect.term);
  attrib_by_result_free(r->by);
  attrib__free(r->groups);
  attrib__free(r->group_units);
  attrib__free(r->cells);
  attrib__free(r->events);
  attrib__free(r->event_vcov);
  attrib__free(r->by_group);
  attrib__free(r->by_time);
  attrib__free(r->bacon);
  attrib_boot_result_free(r->boot);
  for (size_t j = 0; r->outcomes && j < r->n_outcomes; j++) {
    attrib__free(r->outcomes[j].outcome);
    attrib__free(r->outcomes[j].effect.term);
    if (j) attrib_boot_result_free(r->outcomes[j].boot); /* outcomes[0]'s is r->boot */
  }
  attrib__free(r->outcomes);
  for (size_t i = 0; i < r->n_warnings; i++) attrib__free(r->warnings[i]);
  attrib__free(r->warnings);
  attrib__free(r);
}

/* The Wald test of the leads (event times <= -2, the reference -1 left
 * out) from the event-study covariance: F(q, df) with the fit's df, chi2(q)
 * when df is infinite. Shared by the TWFE event study and Sun-Abraham.
 * Leaves r->pretest_* as they are when there is no lead or the covariance
 * is not positive definite. ATTRIB_ENOMEM only. */
attrib_status attrib__did_wald_leads(attrib_did_result *r) {
  size_t ne = r->n_events, q = 0;
  r->pretest_kind = "wald F over the leads (event times <= -2)";
  double *V = attrib__malloc(ne * ne + 1, sizeof *V), *b = attrib__malloc(ne + 1, sizeof *b);
  double *bb = attrib__malloc(ne + 1, sizeof *bb);
  size_t *pi = attrib__malloc(ne + 1, sizeof *pi);
  attrib_status s = ATTRIB_OK;
  if (!V || !b || !bb || !pi) s = ATTRIB_ENOMEM;
  else {
    for (size_t a = 0; a < ne; a++)
      if (r->events[a].event_time <= -2 && isfinite(r->events[a].att)) pi[q++] = a;
    for (size_t a = 0; a < q; a++) {
      b[a] = bb[a] = r->events[pi[a]].att;
      for (size_t c = 0; c < q; c++) V[c * q + a] = r->event_vcov[pi[c] * ne + pi[a]];
    }
    if (q && LAPACKE_dposv(LAPACK_COL_MAJOR, 'U', (lapack_int)q, 1, V, (lapack_int)q, bb, (lapack_int)q) == 0) {
      double W = 0.0;
      for (size_t a = 0; a < q; a++) W += b[a] * bb[a];
      r->pretest_stat = W / (double)q;
      r->pretest_df = (double)q;
      r->pretest_df2 = r->df;
      r->pretest_p = isfinite(r->df) ? gsl_cdf_fdist_Q(W / (double)q, (double)q, r->df) : gsl_cdf_chisq_Q(W, (double)q);
      if (!isfinite(r->df)) r->pretest_kind = "wald chi2 over the leads (event times <= -2)", r->pretest_stat = W;
    }
  }
  attrib__free(V), attrib__free(b), attrib__free(bb), attrib__free(pi);
  return s;
}

/* A warning of any length (it copies the OLS warnings, which name columns:
 * a fixed msg[400] cut them). Non-zero when out of memory. Shared with
 * sunab.c and imputation.c (did_internal.h). */
int attrib__did_note(attrib_did_result *r, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = n < 0 ? NULL : attrib__malloc((size_t)n + 1, 1);
  if (msg) vsnprintf(msg, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  int bad = !msg || attrib__strlist_push(&r->warnings, &r->n_warnings, msg) != ATTRIB_OK;
  attrib__free(msg);
  return bad;
}

/* ---- a table view with extra numeric columns ----------------------------- */

typedef struct view {
  attrib_table t;
  attrib_column *cols;
  size_t n_extra;
  double **values;
  char **names;
} view;

static void view_free(view *v) {
  for (size_t j = 0; j < v->n_extra; j++) attrib__free(v->values[j]), attrib__free(v->names[j]);
  attrib__free(v->values);
  attrib__free(v->names);
  attrib__free(v->cols);
  memset(v, 0, sizeof *v);
}

/* adds a zeroed column named name; returns its values or NULL */
static double *view_add(view *v, const attrib_table *base, const char *name) {
  size_t k = v->n_extra;
  double **vals = attrib__realloc(v->values, k + 1, sizeof *vals);
  if (!vals) return NULL;
  v->values = vals;
  char **names = attrib__realloc(v->names, k + 1, sizeof *names);
  if (!names) return NULL;
  v->names = names;
  attrib_column *cols = attrib__realloc(v->cols, base->n_cols + k + 1, sizeof *cols);
  if (!cols) return NULL;
  v->cols = cols;
  if (!(v->values[k] = attrib__calloc(base->n_rows ? base->n_rows : 1, sizeof **v->values))) return NULL;
  if (!(v->names[k] = attrib__strdup(name))) {
    attrib__free(v->values[k]);
    return NULL;
  }
  v->n_extra = k + 1;
  memcpy(v->cols, base->cols, base->n_cols * sizeof *cols);
  for (size_t j = 0; j < v->n_extra; j++) {
    attrib_column *c = &v->cols[base->n_cols + j];
    memset(c, 0, sizeof *c);
    c->name = v->names[j];
    c->type = ATTRIB_COLUMN_NUMERIC;
    c->values = v->values[j];
  }
  v->t = *base;
  v->t.cols = v->cols;
  v->t.n_cols = base->n_cols + v->n_extra;
  return v->values[k];
}

/* ---- columns ---------------------------------------------------------- */

static attrib_status numeric_col(const attrib_table *t, const char *name, const char *role, const double **out,
                                 attrib_error *err) {
  size_t c;
  attrib_status s = attrib_table_column_require(t, name, role, &c, err);
  if (s) return s;
  if (t->cols[c].type != ATTRIB_COLUMN_NUMERIC)
    return attrib__fail(err, ATTRIB_ETYPE, "%s column '%s' must be numeric; it holds text (line %zu: '%s')", role, name,
                        t->cols[c].first_text_line, t->cols[c].first_text ? t->cols[c].first_text : "");
  *out = t->cols[c].values;
  return ATTRIB_OK;
}

/* a key per row for a unit or cluster column of either type (NaN = missing) */
static attrib_status key_col(const attrib_table *t, const char *name, const char *role, double *key,
                             attrib_error *err) {
  size_t c;
  attrib_status s = attrib_table_column_require(t, name, role, &c, err);
  if (s) return s;
  const attrib_column *col = &t->cols[c];
  for (size_t i = 0; i < t->n_rows; i++)
    key[i] = col->type == ATTRIB_COLUMN_NUMERIC ? col->values[i] : col->codes[i] < 0 ? NAN : (double)col->codes[i];
  return ATTRIB_OK;
}

typedef struct keyrow {
  double key;
  size_t row;
} keyrow;

static int cmp_keyrow(const void *a, const void *b) {
  const keyrow *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

/* Dense codes 0..G-1 of the keys of rows, in key order; G returned. Ids
 * and periods are nearly always whole numbers in a compact range (1..N,
 * 2015..2024, factor codes): then a presence table and its prefix sums give
 * the codes in O(n + range) with no sort (at 10M rows the sort was a
 * quarter of the run). Otherwise the rows are sorted by key. */
static attrib_status dense_codes(const double *key, size_t n, int32_t *code, size_t *G, attrib_error *err) {
  double lo = INFINITY, hi = -INFINITY;
  int whole = 1;
  for (size_t i = 0; i < n; i++) {
    lo = fmin(lo, key[i]), hi = fmax(hi, key[i]);
    whole &= key[i] == floor(key[i]);
  }
  size_t limit = 4 * n > ((size_t)1 << 20) ? 4 * n : ((size_t)1 << 20);
  if (n && whole && hi - lo < (double)limit) {
    size_t range = (size_t)(hi - lo) + 1;
    int32_t *slot = attrib__calloc(range, sizeof *slot);
    if (!slot) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) slot[(size_t)(key[i] - lo)] = 1;
    int32_t g = 0;
    for (size_t v = 0; v < range; v++) {
      int32_t present = slot[v];
      slot[v] = g;
      g += present;
    }
    for (size_t i = 0; i < n; i++) code[i] = slot[(size_t)(key[i] - lo)];
    *G = (size_t)g;
    attrib__free(slot);
    return ATTRIB_OK;
  }
  keyrow *kr = attrib__malloc(n ? n : 1, sizeof *kr);
  if (!kr) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) kr[i] = (keyrow){key[i], i};
  qsort(kr, n, sizeof *kr, cmp_keyrow);
  size_t g = 0;
  for (size_t a = 0; a < n; a++) {
    if (a > 0 && kr[a].key != kr[a - 1].key) g++;
    code[kr[a].row] = (int32_t)g;
  }
  *G = n ? g + 1 : 0;
  attrib__free(kr);
  return ATTRIB_OK;
}

/* ---- the panel: index, checks, balanced subset ------------------------- */

typedef struct panel_rows {
  size_t n;          /* table rows */
  int32_t *unit;     /* unit code per row */
  size_t n_units;
  int32_t *tix;      /* period index per row */
  double *times;
  size_t nT;
  double *cohort;    /* per unit, 0 = never (after moving late cohorts to never) */
  double *raw_cohort; /* per unit as given */
  int32_t *cl_unit;  /* cluster code per unit (NULL: unit) */
  size_t G;
} panel_rows;

static void panel_rows_free(panel_rows *p) {
  attrib__free(p->unit);
  attrib__free(p->tix);
  attrib__free(p->times);
  attrib__free(p->cohort);
  attrib__free(p->raw_cohort);
  attrib__free(p->cl_unit);
  memset(p, 0, sizeof *p);
}

static attrib_status index_panel(const attrib_table *t, const attrib_did_options *o, attrib_did_result *r,
                                 panel_rows *p, attrib_error *err) {
  size_t n = t->n_rows;
  const double *tv = NULL, *cv = NULL;
  double *key = NULL, *tkey = NULL;
  attrib_status s;
  if ((s = numeric_col(t, o->time, "time", &tv, err))) return s;
  if ((s = numeric_col(t, o->cohort, "cohort", &cv, err))) return s;
  p->n = n;
  key = attrib__malloc(n ? n : 1, sizeof *key);
  p->unit = attrib__malloc(n ? n : 1, sizeof *p->unit);
  p->tix = attrib__malloc(n ? n : 1, sizeof *p->tix);
  if (!key || !p->unit || !p->tix) goto oom;
  if ((s = key_col(t, o->unit, "unit", key, err))) goto done;
  for (size_t i = 0; i < n; i++) {
    if (isnan(key[i])) {
      s = attrib__fail(err, ATTRIB_ENODATA, "unit column '%s' is missing at data row %zu", o->unit, i + 1);
      goto done;
    }
    if (!isfinite(tv[i]) || tv[i] != floor(tv[i])) {
      s = attrib__fail(err, ATTRIB_ETYPE, "time column '%s' must hold whole numbers (periods); data row %zu has %g",
                       o->time, i + 1, tv[i]);
      goto done;
    }
    if (!isnan(cv[i]) && (cv[i] != floor(cv[i]) || cv[i] < 0)) {
      s = attrib__fail(err, ATTRIB_ETYPE,
                       "cohort column '%s' must hold the first treated period (a whole number, 0 or empty = never); "
                       "data row %zu has %g", o->cohort, i + 1, cv[i]);
      goto done;
    }
  }
  if ((s = dense_codes(key, n, p->unit, &p->n_units, err))) goto done;
  int32_t *tcode = p->tix;
  if ((s = dense_codes(tv, n, tcode, &p->nT, err))) goto done;
  p->times = attrib__malloc(p->nT ? p->nT : 1, sizeof *p->times);
  p->cohort = attrib__malloc(p->n_units ? p->n_units : 1, sizeof *p->cohort);
  p->raw_cohort = attrib__malloc(p->n_units ? p->n_units : 1, sizeof *p->raw_cohort);
  size_t *first_row = attrib__malloc(p->n_units ? p->n_units : 1, sizeof *first_row);
  if (!p->times || !p->cohort || !p->raw_cohort || !first_row) {
    attrib__free(first_row);
    goto oom;
  }
  for (size_t i = 0; i < n; i++) p->times[tcode[i]] = tv[i];
  for (size_t u = 0; u < p->n_units; u++) first_row[u] = SIZE_MAX;
  for (size_t i = 0; i < n; i++) {
    size_t u = (size_t)p->unit[i];
    double c = isnan(cv[i]) ? 0.0 : cv[i];
    if (first_row[u] == SIZE_MAX) {
      first_row[u] = i;
      p->raw_cohort[u] = c;
    } else if (p->raw_cohort[u] != c) {
      s = attrib__fail(err, ATTRIB_EDESIGN,
                       "cohort changes within a unit: unit at data rows %zu and %zu has cohort %g and then %g "
                       "(the cohort is the unit's first treated period and must not vary over time)",
                       first_row[u] + 1, i + 1, p->raw_cohort[u], c);
      attrib__free(first_row);
      goto done;
    }
  }
  /* duplicated (unit, period): one bit per cell, the first row of each
   * cell remembered only when a duplicate is found (a second pass) */
  {
    size_t cells = p->n_units * p->nT;
    uint64_t *seen = attrib__calloc(cells / 64 + 1, sizeof *seen);
    if (!seen) {
      attrib__free(first_row);
      goto oom;
    }
    size_t dup = SIZE_MAX;
    for (size_t i = 0; i < n && dup == SIZE_MAX; i++) {
      size_t c = (size_t)p->unit[i] * p->nT + (size_t)tcode[i];
      if (seen[c >> 6] >> (c & 63) & 1) dup = i;
      seen[c >> 6] |= (uint64_t)1 << (c & 63);
    }
    attrib__free(seen);
    if (dup != SIZE_MAX) {
      size_t first = 0;
      while (p->unit[first] != p->unit[dup] || tcode[first] != tcode[dup]) first++;
      s = attrib__fail(err, ATTRIB_EDESIGN, "duplicate (unit, time) rows: data rows %zu and %zu are the same unit in period %g",
                       first + 1, dup + 1, tv[dup]);
      attrib__free(first_row);
      goto done;
    }
  }
  /* cohorts after the last period are never treated within the panel (as did) */
  double last = p->times[p->nT - 1];
  for (size_t u = 0; u < p->n_units; u++) {
    p->cohort[u] = p->raw_cohort[u] > last ? 0.0 : p->raw_cohort[u];
    if (p->raw_cohort[u] > last) r->n_late++;
  }
  /* clusters: constant within units */
  if (o->cluster) {
    if (!(tkey = attrib__malloc(n ? n : 1, sizeof *tkey))) {
      attrib__free(first_row);
      goto oom;
    }
    if ((s = key_col(t, o->cluster, "cluster", tkey, err))) {
      attrib__free(first_row);
      goto done;
    }
    double *ukey = attrib__malloc(p->n_units ? p->n_units : 1, sizeof *ukey);
    p->cl_unit = attrib__malloc(p->n_units ? p->n_units : 1, sizeof *p->cl_unit);
    if (!ukey || !p->cl_unit) {
      attrib__free(ukey), attrib__free(first_row);
      goto oom;
    }
    for (size_t u = 0; u < p->n_units; u++) ukey[u] = tkey[first_row[u]];
    for (size_t i = 0; i < n; i++) {
      double a = tkey[i], b = ukey[p->unit[i]];
      if (isnan(a) || !(a == b)) {
        s = attrib__fail(err, ATTRIB_EDESIGN,
                         isnan(a) ? "cluster column '%s' is missing at data row %zu"
                                  : "cluster column '%s' varies within a unit (data row %zu): clusters must contain whole units",
                         o->cluster, i + 1);
        attrib__free(ukey), attrib__free(first_row);
        goto done;
      }
    }
    s = dense_codes(ukey, p->n_units, p->cl_unit, &p->G, err);
    attrib__free(ukey);
    if (s) {
      attrib__free(first_row);
      goto done;
    }
  }
  attrib__free(first_row);
  r->n_obs = n;
  r->n_periods = p->nT;
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
done:
  attrib__free(key);
  attrib__free(tkey);
  return s;
}

/* response ~ the covariates: o->covariate_terms, or o->covariates parsed
 * (once, here). Built from names, never from text pasted together. */
static attrib_status covariate_model(const attrib_did_options *o, const char *response, attrib_formula **out,
                                     attrib_error *err) {
  attrib_formula *parsed = NULL;
  const attrib_formula *covs = o->covariate_terms;
  attrib_status s = ATTRIB_OK;
  if (!covs && o->covariates) {
    if ((s = attrib_formula_parse_rhs(o->covariates, &parsed, err))) return s;
    covs = parsed;
  }
  s = attrib_formula_new(response, out, err);
  if (!s && covs) s = attrib_formula_add_formula(*out, covs, err);
  attrib_formula_free(parsed);
  if (s) {
    attrib_formula_free(*out);
    *out = NULL;
  }
  return s;
}

/* The covariates' design ("outcome ~ covariates": rows missing one
 * dropped, aliased columns left out, *xcols the kx kept) and, for unit u
 * and period q, the design row xrow[q * n_units + u] (SIZE_MAX: no row or
 * a missing covariate). CS reads them at each cell's earlier period (its
 * base, as did's panel2cs2). */
static attrib_status covariate_rows(const attrib_table *t, const attrib_did_options *o, const panel_rows *p,
                                    attrib_design **xd_out, size_t **xrow_out, size_t **xcols_out, size_t *kx,
                                    attrib_error *err) {
  attrib_formula *f = NULL;
  attrib_design *xd = NULL;
  attrib_status s = covariate_model(o, o->outcome, &f, err);
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  if (!s) s = attrib_design_build(t, f, &dopt, &xd, err);
  attrib_formula_free(f);
  if (!s) s = attrib_design_materialize(xd, err);
  if (s) {
    attrib_design_free(xd);
    return s;
  }
  size_t nu = p->n_units, nT = p->nT;
  size_t *xrow = attrib__malloc(nu * nT > 0 ? nu * nT : 1, sizeof *xrow), *xcols = attrib__malloc(xd->k ? xd->k : 1, sizeof *xcols);
  if (!xrow || !xcols) {
    attrib__free(xrow), attrib__free(xcols), attrib_design_free(xd);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t q = 0; q < nu * nT; q++) xrow[q] = SIZE_MAX;
  for (size_t j = 0; j < xd->n; j++) {
    size_t i = xd->rows[j];
    xrow[(size_t)p->tix[i] * nu + (size_t)p->unit[i]] = j;
  }
  *kx = 0;
  for (size_t j = 0; j < xd->k; j++)
    if (!xd->alias || !xd->alias[j]) xcols[(*kx)++] = j;
  *xd_out = xd, *xrow_out = xrow, *xcols_out = xcols;
  return ATTRIB_OK;
}

/* the balanced panel of complete units with a usable cohort */
static attrib_status build_balanced(const attrib_table *t, const attrib_did_options *o, const panel_rows *p,
                                    attrib_did_result *r, did_panel *P, attrib_error *err) {
  const double *y = NULL;
  attrib_status s = numeric_col(t, o->outcome, "outcome", &y, err);
  if (s) return s;
  size_t nu = p->n_units, nT = p->nT;
  double *Yfull = attrib__malloc(nu * nT > 0 ? nu * nT : 1, sizeof *Yfull);
  int32_t *newid = attrib__malloc(nu ? nu : 1, sizeof *newid);
  if (!Yfull || !newid) {
    attrib__free(Yfull), attrib__free(newid);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t q = 0; q < nu * nT; q++) Yfull[q] = NAN;
  for (size_t i = 0; i < p->n; i++) Yfull[(size_t)p->tix[i] * nu + (size_t)p->unit[i]] = y[i];
  /* covariates: per unit and period, the design row (SIZE_MAX: none) */
  attrib_design *xd = NULL;
  size_t *xrow = NULL, kx = 0, *xcols = NULL;
  if ((o->covariates || o->covariate_terms) && (s = covariate_rows(t, o, p, &xd, &xrow, &xcols, &kx, err))) {
    attrib__free(Yfull), attrib__free(newid);
    return s;
  }
  size_t kept = 0;
  for (size_t u = 0; u < nu; u++) {
    int complete = 1;
    for (size_t q = 0; xrow && q < nT; q++) complete &= xrow[q * nu + u] != SIZE_MAX; /* a covariate is missing */
    size_t seen = 0; /* periods with the outcome and (unbalanced) the covariates */
    for (size_t q = 0; q < nT; q++) seen += !isnan(Yfull[q * nu + u]) && (!xrow || xrow[q * nu + u] != SIZE_MAX);
    complete &= seen == nT;
    double g = p->cohort[u];
    /* a cohort with no period before g - anticipation has no pre-period */
    int no_pre = g > 0 && !(p->times[0] + (double)o->anticipation < g);
    /* did.unbalanced_panel: a unit with any observed outcome is kept */
    int keep = complete || (o->unbalanced_panel && seen > 0);
    if (!complete) r->n_incomplete++;
    if (keep && no_pre) r->n_dropped_first++;
    newid[u] = keep && !no_pre ? (int32_t)kept++ : -1;
  }
  memset(P, 0, sizeof *P);
  P->n_units = kept;
  P->nT = nT;
  P->times = attrib__malloc(nT, sizeof *P->times);
  P->Y = attrib__malloc(kept * nT > 0 ? kept * nT : 1, sizeof *P->Y);
  P->unit_cohort = attrib__malloc(kept ? kept : 1, sizeof *P->unit_cohort);
  P->unit_group = attrib__malloc(kept ? kept : 1, sizeof *P->unit_group);
  P->groups = attrib__malloc(kept ? kept : 1, sizeof *P->groups);
  P->group_units = attrib__calloc(kept ? kept : 1, sizeof *P->group_units);
  if (p->cl_unit) P->cluster = attrib__malloc(kept ? kept : 1, sizeof *P->cluster);
  if (xd) P->X = attrib__malloc(nT * kept * kx > 0 ? nT * kept * kx : 1, sizeof *P->X);
  if (!P->times || !P->Y || !P->unit_cohort || !P->unit_group || !P->groups || !P->group_units ||
      (p->cl_unit && !P->cluster) || (xd && !P->X)) {
    attrib__free(Yfull), attrib__free(newid), attrib__free(xrow), attrib__free(xcols), attrib_design_free(xd);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  P->k = kx;
  P->unbalanced = o->unbalanced_panel;
  memcpy(P->times, p->times, nT * sizeof *P->times);
  for (size_t u = 0; u < nu; u++) {
    if (newid[u] < 0) continue;
    size_t v = (size_t)newid[u];
    for (size_t q = 0; q < nT; q++) P->Y[q * kept + v] = Yfull[q * nu + u];
    P->unit_cohort[v] = p->cohort[u];
    if (P->cluster) P->cluster[v] = p->cl_unit[u];
    for (size_t q = 0; xd && q < nT; q++) {
      size_t row = xrow[q * nu + u];
      /* a kept unit misses a covariate only with did.unbalanced_panel: the
       * period's row is left out like a missing outcome (did drops it) */
      if (row == SIZE_MAX) P->Y[q * kept + v] = NAN;
      for (size_t j = 0; j < kx; j++) P->X[(q * kx + j) * kept + v] = row == SIZE_MAX ? 0.0 : xd->X[xcols[j] * xd->n + row];
    }
  }
  attrib__free(Yfull);
  attrib__free(newid);
  attrib__free(xrow);
  attrib__free(xcols);
  attrib_design_free(xd);
  /* cohorts, sorted */
  for (size_t v = 0; v < kept; v++) {
    double g = P->unit_cohort[v];
    P->unit_group[v] = -1;
    if (g == 0.0) {
      r->n_never++;
      continue;
    }
    size_t a = 0;
    while (a < P->n_groups && P->groups[a] < g) a++;
    if (a == P->n_groups || P->groups[a] != g) {
      memmove(P->groups + a + 1, P->groups + a, (P->n_groups - a) * sizeof *P->groups);
      memmove(P->group_units + a + 1, P->group_units + a, (P->n_groups - a) * sizeof *P->group_units);
      P->groups[a] = g;
      P->group_units[a] = 0;
      P->n_groups++;
    }
    P->group_units[a]++;
  }
  for (size_t v = 0; v < kept; v++)
    for (size_t a = 0; a < P->n_groups; a++)
      if (P->groups[a] == P->unit_cohort[v]) P->unit_group[v] = (int)a;
  /* clusters renumbered densely over the kept units */
  if (P->cluster) {
    double *k = attrib__malloc(kept ? kept : 1, sizeof *k);
    if (!k) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    for (size_t v = 0; v < kept; v++) k[v] = P->cluster[v];
    s = dense_codes(k, kept, P->cluster, &P->G, err);
    attrib__free(k);
    if (s) return s;
  }
  return ATTRIB_OK;
}

static void did_panel_free(did_panel *P) {
  attrib__free(P->times);
  attrib__free(P->Y);
  attrib__free(P->unit_cohort);
  attrib__free(P->unit_group);
  attrib__free(P->groups);
  attrib__free(P->group_units);
  attrib__free(P->cluster);
  attrib__free(P->X);
  memset(P, 0, sizeof *P);
}

/* ---- regressions through the OLS core ---------------------------------- */

static attrib_status ols_on(const attrib_table *t, const attrib_formula *formula, const char *cluster,
                            const char *const *keep, const char *treat_term, size_t threads, double level,
                            attrib_design **dout, attrib_ols_result **rout, attrib_error *err) {
  const char *cl[2] = {cluster, NULL};
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cluster ? cl : NULL;
  dopt.keep = keep;
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.vcov = cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
  oo.treat = treat_term;
  oo.level = level;
  oo.threads = threads;
  oo.drop_singletons = 0; /* a unit seen once still has its period's information (and R's lm keeps it) */
  *dout = NULL;
  *rout = NULL;
  attrib_status s = attrib_design_build(t, formula, &dopt, dout, err);
  if (!s && (s = attrib_ols_fit(*dout, &oo, rout, err))) {
    attrib_design_free(*dout);
    *dout = NULL;
  }
  return s;
}

static long coef_index(const attrib_ols_result *o, const char *term) {
  for (size_t j = 0; j < o->coef.k; j++)
    if (!strcmp(o->coef.term[j], term)) return (long)j;
  return -1;
}

/* The 2x2's effect from the regression y ~ treat * post (+ covariates):
 * the interaction's coefficient, its SE and df (in memory and streamed). */
static attrib_status twobytwo_effect(const attrib_ols_result *ols, const char *term, const attrib_did_options *o,
                                     size_t n_obs, attrib_did_result *r, long *jout, attrib_error *err) {
  long j = coef_index(ols, term);
  if (j < 0 || ols->coef.aliased[j])
    return attrib__fail(err, ATTRIB_ECOLLINEAR, "the interaction %s is collinear with the covariates", term);
  r->effect.estimate = ols->coef.estimate[j];
  r->effect.std_error = ols->coef.std_error[j];
  r->df = ols->df_inference;
  r->n_obs = n_obs;
  r->n_clusters = o->cluster ? ols->n_clusters[0] : 0;
  r->se_method = o->cluster ? "cluster-robust (CR1)" : "heteroskedasticity-robust (HC1)";
  *jout = j;
  return ATTRIB_OK;
}


/* The wild cluster bootstrap of the regression's DiD coefficient j
 * (Roodman et al. 2019; attrib_ols_bootstrap), restricted for the p-value
 * with its test-inversion interval, and the OLS warnings it answers (the
 * few-clusters one) settled; then the OLS warnings are the result's. */
static attrib_status wild_and_warnings(const attrib_design *d, attrib_ols_result *ols, size_t j,
                                       const attrib_did_options *o, attrib_did_result *r, attrib_error *err) {
  if (o->bootstrap) {
    attrib_boot_options bo;
    attrib_boot_options_init(&bo);
    bo.replicates = o->bootstrap;
    bo.seed = o->seed;
    bo.type = ATTRIB_BOOT_WILD;
    bo.weights = o->boot_weights;
    bo.ci = o->boot_ci;
    bo.level = o->level;
    bo.threads = o->threads;
    bo.keep_draws = o->keep_draws;
    bo.keep_t_null = o->extra_outcomes != NULL; /* Romano-Wolf across the outcomes */
    attrib_status s = attrib_ols_bootstrap(d, ols, j, &bo, &r->boot, err);
    if (s) return s;
    r->bootstrap = o->bootstrap;
    attrib_ols_settle_warnings(ols, r->boot);
  }
  char *few = NULL;
  if (o->event_study && ols->n_cluster_dims == 1 && !(few = attrib__few_clusters_warning(ols->n_clusters[0], NULL)))
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t w = 0; w < ols->n_warnings; w++) {
    int bad;
    if (few && !strcmp(ols->warnings[w], few)) /* the event study's effect is not one coefficient */
      bad = attrib__did_note(r, "only %zu clusters: cluster-robust t tests over-reject with fewer than about 30; the wild cluster "
                    "bootstrap tests one coefficient: drop did.event_study and add did.bootstrap 999 for the two-way "
                    "fixed-effects coefficient", ols->n_clusters[0]);
    else if (!strncmp(ols->warnings[w], ATTRIB__FE_NOT_CONVERGED, strlen(ATTRIB__FE_NOT_CONVERGED)))
      /* the OLS text names ols.fe_max_iter, which did does not take */
      bad = attrib__did_note(r, "absorbing the unit and period effects did not converge: the estimates may be inexact; "
                    "did.estimator cs absorbs no fixed effects");
    else
      bad = attrib__did_note(r, "%s", ols->warnings[w]);
    if (bad) {
      attrib__free(few);
      return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    }
  }
  attrib__free(few);
  return ATTRIB_OK;
}

static const char *const ind_role[2] = {"treatment", "post-period indicator"};

/* The treatment and post-period indicators' tally over the rows where
 * both are present (a whole table, or the chunks of a stream). */
typedef struct ind_tally {
  size_t count[2][2], same, n;
} ind_tally;

/* Adds t's rows to c; refuses a missing or non-indicator column and a value
 * other than 0/1 (named by its data row, row_offset + i + 1). */
static attrib_status ind_count(const attrib_table *t, const attrib_did_options *o, size_t row_offset, ind_tally *c,
                               attrib_error *err) {
  const char *name[2] = {o->treat, o->post};
  const double *v[2];
  for (int k = 0; k < 2; k++) {
    size_t j;
    ATTRIB__TRY(attrib__require_indicator(t, name[k], ind_role[k], &j, err));
    v[k] = t->cols[j].values;
  }
  const char *src = t->source ? t->source : "the data";
  for (size_t i = 0; i < t->n_rows; i++) {
    if (isnan(v[0][i]) || isnan(v[1][i])) continue;
    for (int k = 0; k < 2; k++)
      if (v[k][i] != 0.0 && v[k][i] != 1.0)
        return attrib__fail(err, ATTRIB_ETYPE, "%s: the %s '%s' must be 0/1; data row %zu has %g", src, ind_role[k],
                            name[k], row_offset + i + 1, v[k][i]);
    c->count[0][v[0][i] == 1.0]++;
    c->count[1][v[1][i] == 1.0]++;
    c->same += v[0][i] == v[1][i];
    c->n++;
  }
  return ATTRIB_OK;
}

/* The verdicts on the whole tally: both arms and both periods present, and
 * the two indicators not the same column or equal in every row. */
static attrib_status ind_verdict(const char *src, const attrib_did_options *o, const ind_tally *c, attrib_error *err) {
  const char *name[2] = {o->treat, o->post};
  if (c->n == 0) return ATTRIB_OK; /* the design builder says which rows were missing what */
  for (int k = 0; k < 2; k++)
    if (!c->count[k][0] || !c->count[k][1])
      return attrib__fail(err, ATTRIB_EDESIGN, "%s: no %s: the %s '%s' is %d in every row", src,
                          k == 0 ? (c->count[k][0] ? "treated units" : "control units")
                                 : (c->count[k][0] ? "post-period rows" : "pre-period rows"),
                          ind_role[k], name[k], c->count[k][0] ? 0 : 1);
  /* the same column twice, or two equal ones: treat:post is then treat */
  if (c->same == c->n && strcmp(o->treat, o->post) == 0)
    return attrib__fail(err, ATTRIB_ECOLLINEAR,
                        "%s: the treatment and the post-period indicator are the same column '%s': the interaction "
                        "treat:post would be the treatment itself", src, o->treat);
  if (c->same == c->n)
    return attrib__fail(err, ATTRIB_ECOLLINEAR,
                        "%s: the post-period indicator '%s' equals the treatment '%s' in every row: the interaction "
                        "treat:post would be the treatment itself", src, o->post, o->treat);
  return ATTRIB_OK;
}

/* The 2x2 design's two indicators, checked as what the user named them
 * before they become terms of y ~ treat * post: a missing or text column,
 * an indicator that never varies, or a post flag equal to the treatment
 * would otherwise surface as a "formula term" the user never wrote or a
 * dropped 'treat:post' coefficient (issue 15). Rows missing either value
 * are left to listwise deletion; values other than 0/1 are refused here. */
static attrib_status check_2x2_indicators(const attrib_table *t, const attrib_did_options *o, attrib_error *err) {
  ind_tally c = {{{0, 0}, {0, 0}}, 0, 0};
  ATTRIB__TRY(ind_count(t, o, 0, &c, err));
  return ind_verdict(t->source ? t->source : "the data", o, &c, err);
}

static attrib_status did_2x2(const attrib_table *t, const attrib_did_options *o, attrib_did_result *r,
                             attrib_error *err) {
  /* outcome ~ treat * post + covariates, built from the names as given */
  attrib_formula *formula = NULL, *covs = NULL;
  char *term = attrib__malloc(strlen(o->treat) + strlen(o->post) + 2, 1);
  attrib_design *d = NULL;
  attrib_ols_result *ols = NULL;
  const char *tp[2] = {o->treat, o->post};
  attrib_status s = ATTRIB_OK;
  if (!term) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  if ((s = check_2x2_indicators(t, o, err))) goto done;
  if ((s = covariate_model(o, o->outcome, &covs, err)) || (s = attrib_formula_new(o->outcome, &formula, err)) ||
      (s = attrib_formula_add_column(formula, o->treat, 0, err)) ||
      (s = attrib_formula_add_column(formula, o->post, 0, err)) || (s = attrib_formula_add_term(formula, 2, tp, NULL, err)) ||
      (s = attrib_formula_add_formula(formula, covs, err)))
    goto done;
  snprintf(term, strlen(o->treat) + strlen(o->post) + 2, "%s:%s", o->treat, o->post);
  const char *keep[3] = {o->treat, o->post, NULL};
  if ((s = ols_on(t, formula, o->cluster, keep, term, o->threads, o->level, &d, &ols, err))) goto done;
  const double *tr = d->keep[0], *po = d->keep[1];
  long double sum[2][2] = {{0, 0}, {0, 0}};
  for (size_t i = 0; i < d->n; i++) {
    if ((tr[i] != 0.0 && tr[i] != 1.0) || (po[i] != 0.0 && po[i] != 1.0)) {
      s = attrib__fail(err, ATTRIB_ETYPE, "did.treat '%s' and did.post '%s' must be 0/1; data row %zu has %g and %g",
                       o->treat, o->post, d->rows[i] + 1, tr[i], po[i]);
      goto done;
    }
    int a = tr[i] == 1.0, b = po[i] == 1.0;
    sum[a][b] += d->y[i];
    r->cell_n[a][b]++;
  }
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++) {
      if (!r->cell_n[a][b]) {
        s = attrib__fail(err, ATTRIB_EDESIGN, "no %s units in the %s period: the 2x2 design needs all four cells",
                         a ? "treated" : "control", b ? "post" : "pre");
        goto done;
      }
      r->means[a][b] = (double)(sum[a][b] / r->cell_n[a][b]);
    }
  long j;
  if ((s = twobytwo_effect(ols, term, o, d->n, r, &j, err))) goto done;
  s = wild_and_warnings(d, ols, (size_t)j, o, r, err);
done:
  attrib_formula_free(formula);
  attrib_formula_free(covs);
  attrib__free(term);
  attrib_design_free(d);
  attrib_ols_result_free(ols);
  return s;
}

/* relative-time dummy names: ev_m3 (3 before), ev_p0 (the first treated period) */
static void ev_name(char *buf, size_t len, long e) { snprintf(buf, len, "ev_%c%ld", e < 0 ? 'm' : 'p', e < 0 ? -e : e); }

/* The TWFE event study's results: each relative-time coefficient with its
 * interval (t quantile tq), their covariance, the effect (the mean of the
 * post coefficients) and the joint F test of the leads. -1: out of memory. */
static int twfe_event_results(const attrib_ols_result *ols, double tq, attrib_did_result *r) {
  size_t ne = r->n_events, npre = 0, npost = 0;
  if (!(r->event_vcov = attrib__malloc(ne * ne, sizeof *r->event_vcov))) return -1;
  long *ix = attrib__malloc(ne, sizeof *ix);
  if (!ix) return -1;
  double post_sum = 0.0;
  for (size_t q = 0; q < ne; q++) {
    char name[32];
    ev_name(name, sizeof name, (long)r->events[q].event_time);
    ix[q] = coef_index(ols, name);
    attrib_did_event *e = &r->events[q];
    if (ix[q] < 0 || ols->coef.aliased[ix[q]]) {
      e->att = e->std_error = NAN;
      continue;
    }
    e->att = ols->coef.estimate[ix[q]];
    e->std_error = ols->coef.std_error[ix[q]];
    e->ci_low = e->att - tq * e->std_error;
    e->ci_high = e->att + tq * e->std_error;
    if (e->event_time >= 0) post_sum += e->att, npost++;
    else npre++;
  }
  size_t K = ols->coef.k;
  for (size_t a = 0; a < ne; a++)
    for (size_t b = 0; b < ne; b++)
      r->event_vcov[a * ne + b] = ix[a] >= 0 && ix[b] >= 0 ? ols->vcov[(size_t)ix[b] * K + (size_t)ix[a]] : NAN;
  /* the effect: the mean of the post-period event-time coefficients,
   * its variance from their covariance */
  double var = 0.0;
  for (size_t a = 0; a < ne; a++)
    for (size_t b = 0; b < ne; b++)
      if (r->events[a].event_time >= 0 && r->events[b].event_time >= 0 && !isnan(r->events[a].att) &&
          !isnan(r->events[b].att))
        var += r->event_vcov[a * ne + b];
  r->effect.estimate = npost ? post_sum / (double)npost : NAN;
  r->effect.std_error = npost ? sqrt(var) / (double)npost : NAN;
  /* joint Wald test of the leads (event times <= -2): F(q, G - 1) */
  r->pretest_kind = "wald F over the leads (event times <= -2)";
  r->pretest_stat = r->pretest_df = r->pretest_df2 = r->pretest_p = NAN;
  if (npre && attrib__did_wald_leads(r) != ATTRIB_OK) {
    attrib__free(ix);
    return -1;
  }
  attrib__free(ix);
  return 0;
}

static attrib_status did_twfe(const attrib_table *t, const attrib_did_options *o, const panel_rows *p,
                              attrib_did_result *r, attrib_error *err) {
  view v = {0};
  attrib_design *d = NULL;
  attrib_ols_result *ols = NULL;
  attrib_status s = ATTRIB_OK;
  attrib_formula *formula = NULL;
  const double *tv = NULL;
  if ((s = numeric_col(t, o->time, "time", &tv, err))) return s;
  size_t n = p->n;
  /* relative time per row, for treated units */
  long emin = 0, emax = -1;
  int any = 0;
  for (size_t i = 0; i < n; i++) {
    double g = p->cohort[p->unit[i]];
    if (g <= 0) continue;
    long e = (long)(tv[i] - g);
    if (!any || e < emin) emin = e;
    if (!any || e > emax) emax = e;
    any = 1;
  }
  if (!any) return attrib__fail(err, ATTRIB_EDESIGN, "no unit is treated within the panel");
  /* outcome ~ the treatment indicator or the event-time dummies | unit + time */
  if ((s = attrib_formula_new(o->outcome, &formula, err))) return s;
  if (!o->event_study) {
    double *D = view_add(&v, t, ".did_treated");
    if (!D) goto oom;
    for (size_t i = 0; i < n; i++) {
      double g = p->cohort[p->unit[i]];
      D[i] = g > 0 && tv[i] >= g;
    }
    if ((s = attrib_formula_add_column(formula, ".did_treated", 0, err))) goto done;
  } else {
    long lo = o->leads ? -(long)o->leads : emin, hi = o->lags ? (long)o->lags : emax;
    if (lo < emin) lo = emin;
    if (hi > emax) hi = emax;
    if (lo > -2 && hi < 0) {
      s = attrib__fail(err, ATTRIB_EDESIGN, "the event window has no period besides the reference -1");
      goto done;
    }
    size_t ncol = 0;
    for (long e = lo; e <= hi; e++) {
      if (e == -1) continue;
      char name[32];
      ev_name(name, sizeof name, e);
      double *col = view_add(&v, t, name);
      if (!col) goto oom;
      for (size_t i = 0; i < n; i++) {
        double g = p->cohort[p->unit[i]];
        if (g <= 0) continue;
        long ei = (long)(tv[i] - g);
        /* end points collect everything beyond them (binning) */
        if (ei == e || (e == lo && ei < lo) || (e == hi && ei > hi)) col[i] = 1.0;
      }
      if ((s = attrib_formula_add_column(formula, name, 0, err))) goto done;
      ncol++;
    }
    r->n_events = ncol;
    if (!(r->events = attrib__calloc(ncol, sizeof *r->events))) goto oom;
    size_t q = 0;
    for (long e = lo; e <= hi; e++)
      if (e != -1) r->events[q++] = (attrib_did_event){(double)e, NAN, NAN, NAN, NAN, (e == lo && emin < lo) || (e == hi && emax > hi)};
  }
  if (o->covariates || o->covariate_terms) { /* y ~ D + x | unit + time: time-varying covariates, row by row */
    attrib_formula *covs = NULL;
    if (!(s = covariate_model(o, o->outcome, &covs, err))) s = attrib_formula_add_formula(formula, covs, err);
    attrib_formula_free(covs);
    if (s) goto done;
  }
  if ((s = attrib_formula_add_fe(formula, o->unit, err)) || (s = attrib_formula_add_fe(formula, o->time, err))) goto done;
  const char *cl = o->cluster ? o->cluster : o->unit;
  if ((s = ols_on(&v.t, formula, cl, NULL, o->event_study ? NULL : ".did_treated", o->threads, o->level, &d, &ols, err)))
    goto done;
  r->df = ols->df_inference;
  r->n_obs = d->n;
  r->n_clusters = ols->n_clusters[0];
  r->se_method = "cluster-robust (CR1), fixest's small-sample convention";
  double tq = isfinite(r->df) ? gsl_cdf_tdist_Pinv(0.5 + 0.5 * o->level, r->df) : gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * o->level);
  size_t twfe_j = 0; /* the coefficient the wild bootstrap tests (not for the event study: refused before) */
  if (!o->event_study) {
    long j = coef_index(ols, ".did_treated");
    if (j < 0 || ols->coef.aliased[j]) {
      s = attrib__fail(err, ATTRIB_ECOLLINEAR, "the treatment indicator is collinear with the fixed effects");
      goto done;
    }
    r->effect.estimate = ols->coef.estimate[j];
    r->effect.std_error = ols->coef.std_error[j];
    twfe_j = (size_t)j;
  } else if (twfe_event_results(ols, tq, r)) {
    goto oom;
  }
  s = wild_and_warnings(d, ols, twfe_j, o, r, err);
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
done:
  attrib_design_free(d);
  attrib_ols_result_free(ols);
  view_free(&v);
  attrib_formula_free(formula);
  return s;
}

/* ---- Goodman-Bacon (2021, J. Econometrics 225(2)) decomposition ----------
 * On a balanced panel the TWFE coefficient is sum_s w_s beta_s over the 2x2
 * comparisons (Theorem 1): each timing group k against the never treated
 * (beta_kU, weight s_kU), and for every pair k < l of timing groups, k
 * against the not-yet-treated l before l starts (s^k_kl) and l against the
 * already-treated k after k started (s^l_kl, the comparison that biases
 * TWFE when effects change over time). Weights (eq. 10a-c) use unit shares
 * n_k, treated-period shares Dbar_k and the variance of the two-way-demeaned
 * treatment V^D; they sum to 1 and the weighted sum reproduces the
 * coefficient (a test checks both). */
static double window_mean(const did_panel *P, const double *ym, size_t g, double lo, double hi) {
  /* mean over periods lo <= t < hi of group g's period means */
  double s = 0.0;
  size_t c = 0;
  for (size_t q = 0; q < P->nT; q++)
    if (P->times[q] >= lo && P->times[q] < hi) s += ym[g * P->nT + q], c++;
  return c ? s / (double)c : NAN;
}

static attrib_status bacon(const did_panel *P, attrib_did_result *r, attrib_error *err) {
  size_t ng = P->n_groups, nT = P->nT, N = P->n_units, G1 = ng + 1; /* group ng = never treated */
  double *ym = attrib__calloc(G1 * nT, sizeof *ym), *cnt = attrib__calloc(G1, sizeof *cnt);
  double *Dbar = attrib__calloc(G1, sizeof *Dbar);
  r->bacon = attrib__calloc(ng + ng * (ng ? ng - 1 : 0) + 1, sizeof *r->bacon);
  if (!ym || !cnt || !Dbar || !r->bacon) {
    attrib__free(ym), attrib__free(cnt), attrib__free(Dbar);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < N; i++) {
    size_t g = P->unit_group[i] < 0 ? ng : (size_t)P->unit_group[i];
    cnt[g] += 1.0;
    for (size_t q = 0; q < nT; q++) ym[g * nT + q] += P->Y[q * N + i];
  }
  for (size_t g = 0; g < G1; g++)
    for (size_t q = 0; q < nT; q++) ym[g * nT + q] /= cnt[g] > 0 ? cnt[g] : 1.0;
  for (size_t g = 0; g < ng; g++) {
    size_t c = 0;
    for (size_t q = 0; q < nT; q++) c += P->times[q] >= P->groups[g];
    Dbar[g] = (double)c / (double)nT;
  }
  /* V^D: D is a function of (group, period), so the two-way demeaning is
   * over group-period cells weighted by group size */
  double Dmean = 0.0, *Dt = attrib__calloc(nT, sizeof *Dt);
  if (!Dt) {
    attrib__free(ym), attrib__free(cnt), attrib__free(Dbar);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t g = 0; g < ng; g++)
    for (size_t q = 0; q < nT; q++) {
      double d = P->times[q] >= P->groups[g];
      Dt[q] += cnt[g] * d / (double)N;
      Dmean += cnt[g] * d / ((double)N * (double)nT);
    }
  double VD = 0.0;
  for (size_t g = 0; g < G1; g++)
    for (size_t q = 0; q < nT; q++) {
      double d = g < ng && P->times[q] >= P->groups[g], e = d - (g < ng ? Dbar[g] : 0.0) - Dt[q] + Dmean;
      VD += cnt[g] * e * e / ((double)N * (double)nT);
    }
  attrib__free(Dt);
  double inf = INFINITY, nU = cnt[ng] / (double)N;
  size_t m = 0;
  for (size_t k = 0; k < ng; k++) {
    double nk = cnt[k] / (double)N, gk = P->groups[k];
    if (nU > 0) {
      double nkU = nk / (nk + nU);
      double w = (nk + nU) * (nk + nU) * nkU * (1 - nkU) * Dbar[k] * (1 - Dbar[k]) / VD;
      double b = (window_mean(P, ym, k, gk, inf) - window_mean(P, ym, k, -inf, gk)) -
                 (window_mean(P, ym, ng, gk, inf) - window_mean(P, ym, ng, -inf, gk));
      r->bacon[m++] = (attrib_bacon_term){ATTRIB_BACON_VS_NEVER, gk, NAN, b, w};
    }
    for (size_t l = k + 1; l < ng; l++) { /* groups are sorted: k earlier than l */
      double nl = cnt[l] / (double)N, gl = P->groups[l], nkl = nk / (nk + nl);
      double Dk = Dbar[k], Dl = Dbar[l];
      double wk = pow((nk + nl) * (1 - Dl), 2) * nkl * (1 - nkl) * ((Dk - Dl) / (1 - Dl)) * ((1 - Dk) / (1 - Dl)) / VD;
      double wl = pow((nk + nl) * Dk, 2) * nkl * (1 - nkl) * (Dl / Dk) * ((Dk - Dl) / Dk) / VD;
      double bk = (window_mean(P, ym, k, gk, gl) - window_mean(P, ym, k, -inf, gk)) -
                  (window_mean(P, ym, l, gk, gl) - window_mean(P, ym, l, -inf, gk));
      double bl = (window_mean(P, ym, l, gl, inf) - window_mean(P, ym, l, gk, gl)) -
                  (window_mean(P, ym, k, gl, inf) - window_mean(P, ym, k, gk, gl));
      r->bacon[m++] = (attrib_bacon_term){ATTRIB_BACON_EARLY_VS_LATE, gk, gl, bk, wk};
      r->bacon[m++] = (attrib_bacon_term){ATTRIB_BACON_LATE_VS_EARLY, gl, gk, bl, wl};
    }
  }
  r->n_bacon = m;
  r->bacon_sum = 0.0;
  for (size_t q = 0; q < m; q++) r->bacon_sum += r->bacon[q].weight * r->bacon[q].estimate;
  attrib__free(ym), attrib__free(cnt), attrib__free(Dbar);
  return ATTRIB_OK;
}

/* ---- entry ------------------------------------------------------------ */

/* CS's note on units missing periods, first among the warnings: dropped
 * (how many, and did.unbalanced_panel=1 to keep them; "most units" when fewer
 * than half remain) or kept (did.unbalanced_panel=1). */
static attrib_status cs_incomplete_note(const attrib_did_options *o, attrib_did_result *r, size_t n_units, size_t used,
                                        attrib_error *err) {
  if (!r->n_incomplete) return ATTRIB_OK;
  int bad;
  if (o->unbalanced_panel)
    bad = attrib__did_note(r, "%zu of %zu units miss some period%s (unbalanced panel) and are kept (did.unbalanced_panel=1): each group-time "
                  "effect uses the units observed in its period and its base period (group_time n_treated, n_control)",
               r->n_incomplete, n_units, o->covariates || o->covariate_terms ? " or covariate" : "");
  else
    bad = attrib__did_note(r, "%s%zu of %zu units miss some period or covariate (unbalanced panel) and are dropped: the group-time "
                  "estimator uses the %zu complete units; did.unbalanced_panel=1 keeps them (did's allow_unbalanced_panel)",
               2 * used < n_units ? "MOST UNITS ARE DROPPED: " : "", r->n_incomplete, n_units, used);
  if (bad) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  /* up front: the note moves to the head of the warnings */
  char *last = r->warnings[r->n_warnings - 1];
  memmove(r->warnings + 1, r->warnings, (r->n_warnings - 1) * sizeof *r->warnings);
  r->warnings[0] = last;
  return ATTRIB_OK;
}

/* The event-time window options (did's aggte min_e, max_e, balance_e) and
 * the window difference: Callaway-Sant'Anna only, whole numbers, ordered. */
static attrib_status did_check_event_window(const attrib_did_options *o, attrib_did_estimator est, attrib_error *err) {
  if (est != ATTRIB_DID_CS && (o->has_min_e || o->has_max_e || o->has_balance_e || o->has_window_diff))
    return attrib__fail_option(err, ATTRIB_EUSAGE, o->has_min_e ? "did.min_e" : o->has_max_e ? "did.max_e"
                                                   : o->has_balance_e ? "did.balance_e" : "did.window_diff",
                               "did.min_e, did.max_e, did.balance_e and did.window_diff apply to the "
                               "Callaway-Sant'Anna estimator's event study");
  const char *names[3] = {"did.min_e", "did.max_e", "did.balance_e"};
  const int has[3] = {o->has_min_e, o->has_max_e, o->has_balance_e};
  const double v[3] = {o->min_e, o->max_e, o->balance_e};
  for (int j = 0; j < 3; j++)
    if (has[j] && (!isfinite(v[j]) || v[j] != floor(v[j]) || (j == 2 && v[j] < 0)))
      return attrib__fail_option(err, ATTRIB_EUSAGE, names[j], "%s expects a whole number%s, got %g", names[j],
                                 j == 2 ? " >= 0" : "", v[j]);
  if (o->has_min_e && o->has_max_e && o->min_e > o->max_e)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.min_e", "did.min_e (%g) is above did.max_e (%g)", o->min_e, o->max_e);
  if (o->has_window_diff) {
    const double *w = o->window_diff_e;
    for (int j = 0; j < 4; j++)
      if (!isfinite(w[j]) || w[j] != floor(w[j]))
        return attrib__fail_option(err, ATTRIB_EUSAGE, "did.window_diff", "did.window_diff expects whole event times, got %g", w[j]);
    if (w[0] > w[1] || w[2] > w[3])
      return attrib__fail_option(err, ATTRIB_EUSAGE, "did.window_diff",
                                 "did.window_diff: a window runs from its first event time to its last (got %g .. %g, %g .. %g)",
                                 w[0], w[1], w[2], w[3]);
  }
  return ATTRIB_OK;
}

attrib_status attrib_did_check(const attrib_did_options *o, attrib_error *err) {
  if (!o || !o->outcome) return attrib__fail(err, ATTRIB_EINVAL, "the outcome is required");
  ATTRIB__TRY(attrib__check_level(o->level, "did.level", err));
  int panel = o->unit || o->time || o->cohort;
  int two = o->treat || o->post;
  if (panel && two)
    return attrib__fail(err, ATTRIB_EINVAL, "give either did.treat and did.post (2x2) or did.unit, did.time and did.cohort (panel), not both");
  if (two && !(o->treat && o->post)) return attrib__fail(err, ATTRIB_EINVAL, "the 2x2 design needs both did.treat and did.post");
  if (panel && !(o->unit && o->time && o->cohort))
    return attrib__fail(err, ATTRIB_EINVAL, "a panel needs did.unit, did.time and did.cohort");
  if (!panel && !two) return attrib__fail(err, ATTRIB_EINVAL, "give did.treat and did.post, or did.unit, did.time and did.cohort");
  attrib_did_estimator est = o->estimator;
  if (est == ATTRIB_DID_AUTO) est = two ? ATTRIB_DID_2X2 : ATTRIB_DID_CS;
  if (two && est != ATTRIB_DID_2X2) return attrib__fail_option(err, ATTRIB_EUSAGE, "did.estimator", "did.estimator %s needs a panel (did.unit, did.time, did.cohort)", attrib_did_estimator_name(est));
  if (panel && est == ATTRIB_DID_2X2) return attrib__fail_option(err, ATTRIB_EUSAGE, "did.estimator", "did.estimator 2x2 needs did.treat and did.post");
  if (o->event_study && est != ATTRIB_DID_TWFE)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.event_study", "did.event_study applies to did.estimator twfe (Callaway-Sant'Anna always reports its event study)");
  if (est == ATTRIB_DID_SUNAB || est == ATTRIB_DID_IMPUTATION) ATTRIB__TRY(attrib__did_staggered_check(o, est, err));
  if (est != ATTRIB_DID_CS && (o->control_notyet || o->anticipation || o->base_universal))
    return attrib__fail(err, ATTRIB_EINVAL, "did.control_notyet, did.anticipation and did.base_universal apply to the Callaway-Sant'Anna estimator");
  ATTRIB__TRY(did_check_event_window(o, est, err));
  if (o->unbalanced_panel && est != ATTRIB_DID_CS)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.unbalanced_panel",
                               "did.unbalanced_panel applies to the Callaway-Sant'Anna estimator (the regression estimators "
                               "use every row of an unbalanced panel as it is)");
  if (o->bootstrap && o->bootstrap < 99) return attrib__fail_option(err, ATTRIB_EUSAGE, "did.bootstrap", "did.bootstrap needs at least 99 draws");
  if (o->bootstrap > ATTRIB_BOOT_MAX_REPLICATES)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.bootstrap", "did.bootstrap takes at most %zu draws (got %zu)", ATTRIB_BOOT_MAX_REPLICATES,
                        o->bootstrap);
  /* each design's bootstrap: the multiplier one for Callaway-Sant'Anna's
   * influence functions, the wild cluster one for the regressions' DiD
   * coefficient (issue 12, defect 10: the few-clusters warning of a 2x2
   * once recommended a wild bootstrap that did then refused) */
  attrib_boot_type bt = o->boot_type == ATTRIB_BOOT_AUTO ? (est == ATTRIB_DID_CS ? ATTRIB_BOOT_MULTIPLIER : ATTRIB_BOOT_WILD)
                                                         : o->boot_type;
  if (o->bootstrap && est == ATTRIB_DID_CS && bt != ATTRIB_BOOT_MULTIPLIER)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.boot_type",
                        "did.boot_type %s: the Callaway-Sant'Anna estimator's bootstrap perturbs its influence functions: "
                        "use did.boot_type multiplier (its default); the wild cluster bootstrap is for did.treat/did.post "
                        "(2x2) and did.estimator twfe", attrib_boot_type_name(bt));
  if (o->bootstrap && est != ATTRIB_DID_CS && bt != ATTRIB_BOOT_WILD)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "did.boot_type",
                        "did.boot_type %s: the %s regression is bootstrapped by the wild cluster bootstrap (did.boot_type "
                        "wild, its default); the multiplier bootstrap is for the Callaway-Sant'Anna estimator",
                        attrib_boot_type_name(bt), est == ATTRIB_DID_2X2 ? "2x2" : "two-way fixed-effects");
  if (o->bootstrap && est == ATTRIB_DID_TWFE && o->event_study)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the wild bootstrap tests one coefficient, and the event study's effect averages several: drop "
                        "did.event_study to bootstrap the two-way fixed-effects coefficient, or use did.estimator cs "
                        "did.bootstrap B for bootstrapped event-study bands");
  if (o->bootstrap && bt == ATTRIB_BOOT_MULTIPLIER && o->boot_ci != ATTRIB_CI_NORMAL &&
      o->boot_ci != ATTRIB_CI_PERCENTILE && o->boot_ci != ATTRIB_CI_BASIC)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the multiplier bootstrap perturbs influence functions: its intervals are normal (did's), "
                        "percentile or basic, not %s", attrib_boot_ci_name(o->boot_ci));
  if (o->bootstrap && bt == ATTRIB_BOOT_WILD && o->boot_ci == ATTRIB_CI_BCA)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "BCa intervals are for resampling bootstraps; the wild bootstrap's are percentile, basic, "
                        "normal or studentized (and its WCR test-inversion interval, always reported)");
  return ATTRIB_OK;
}

/* ---- several outcomes (issue 18) ---------------------------------------- */

/* A view of t whose outcome columns share one missing pattern: a row
 * missing any outcome is missing in all (their values NaN there). Only the
 * outcome columns are copied. */
typedef struct outcome_view {
  attrib_table t;
  attrib_column *cols;
  double **values;
  uint64_t *missing;
  size_t n_cols;
} outcome_view;

static void outcome_view_free(outcome_view *v) {
  for (size_t c = 0; v->values && c < v->n_cols; c++) attrib__free(v->values[c]);
  attrib__free(v->values);
  attrib__free(v->missing);
  attrib__free(v->cols);
}

static attrib_status outcome_view_make(const attrib_table *t, const char *const *names, size_t S, outcome_view *v,
                                       size_t *some, attrib_error *err) {
  size_t N = t->n_rows, W = (N + 63) / 64;
  memset(v, 0, sizeof *v);
  v->cols = attrib__malloc(t->n_cols ? t->n_cols : 1, sizeof *v->cols);
  v->values = attrib__calloc(t->n_cols ? t->n_cols : 1, sizeof *v->values);
  v->missing = attrib__calloc(W ? W : 1, sizeof *v->missing);
  v->n_cols = t->n_cols;
  long *ci = attrib__malloc(S, sizeof *ci);
  if (!v->cols || !v->values || !v->missing || !ci) {
    attrib__free(ci);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  memcpy(v->cols, t->cols, t->n_cols * sizeof *v->cols);
  attrib_status s = ATTRIB_OK;
  for (size_t j = 0; j < S && !s; j++) {
    const double *y;
    if ((s = numeric_col(t, names[j], "outcome", &y, err))) break;
    ci[j] = attrib_table_column_find(t, names[j]);
  }
  *some = 0;
  for (size_t i = 0; !s && i < N; i++) {
    size_t miss = 0;
    for (size_t j = 0; j < S; j++) miss += isnan(t->cols[ci[j]].values[i]);
    if (miss) v->missing[i >> 6] |= (uint64_t)1 << (i & 63);
    *some += miss && miss < S;
  }
  for (size_t j = 0; j < S && !s; j++) {
    attrib_column *c = &v->cols[ci[j]];
    if (!(v->values[ci[j]] = attrib__malloc(N ? N : 1, sizeof(double)))) {
      s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
      break;
    }
    size_t nm = 0;
    for (size_t i = 0; i < N; i++) {
      int m = (v->missing[i >> 6] >> (i & 63)) & 1;
      v->values[ci[j]][i] = m ? NAN : c->values[i];
      nm += m;
    }
    c->values = v->values[ci[j]];
    c->missing = nm ? v->missing : NULL;
    c->n_missing = nm;
  }
  attrib__free(ci);
  v->t = *t;
  v->t.cols = v->cols;
  return s;
}

static attrib_status did_fit_one(const attrib_table *t, const attrib_did_options *o, attrib_did_result **out,
                                 attrib_error *err);

/* the overall effects' p-values adjusted across the outcomes */
static attrib_status did_adjust(attrib_did_result *r, attrib_error *err) {
  size_t S = r->n_outcomes;
  double *p = attrib__malloc(S, sizeof *p), *q = attrib__malloc(S, sizeof *q), *tt = attrib__malloc(S, sizeof *tt);
  double *tb = NULL;
  attrib_status s = ATTRIB_OK;
  if (!p || !q || !tt) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t j = 0; j < S; j++) p[j] = r->outcomes[j].effect.p_value, r->outcomes[j].p_romano_wolf = NAN;
  attrib_p_adjust_bonferroni(p, S, q);
  for (size_t j = 0; j < S; j++) r->outcomes[j].p_bonferroni = q[j];
  if ((s = attrib_p_adjust_holm(p, S, q, err))) goto done;
  for (size_t j = 0; j < S; j++) r->outcomes[j].p_holm = q[j];
  if (r->per_outcome_rows) goto done;
  /* Romano-Wolf: the same replicates for every outcome (wild t* under the
   * null, or multiplier draws centred and scaled by the SE) */
  const attrib_boot_result *b0 = r->outcomes[0].boot;
  int wild = b0 && b0->t_null;
  size_t B = !b0 ? 0 : wild ? b0->replicates : b0->draws ? b0->n_draws : 0;
  for (size_t j = 0; j < S && B; j++) {
    const attrib_boot_result *b = r->outcomes[j].boot;
    if (!b || (wild ? !b->t_null || b->replicates != B : !b->draws || b->n_draws != B)) B = 0;
  }
  if (!B) goto done;
  if (!(tb = attrib__malloc(S * B, sizeof *tb))) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t j = 0; j < S; j++) {
    const attrib_boot_result *b = r->outcomes[j].boot;
    const attrib_effect *e = &r->outcomes[j].effect;
    tt[j] = wild ? b->t_stat : e->estimate / e->std_error;
    for (size_t k = 0; k < B; k++) tb[j * B + k] = wild ? b->t_null[k] : (b->draws[k] - e->estimate) / e->std_error;
  }
  if ((s = attrib_romano_wolf(tt, tb, S, B, q, err))) goto done;
  for (size_t j = 0; j < S; j++) r->outcomes[j].p_romano_wolf = q[j];
done:
  attrib__free(p), attrib__free(q), attrib__free(tt), attrib__free(tb);
  return s;
}

/* One outcome's estimate into r->outcomes[j] (its bootstrap moved there,
 * its warnings into r's, named). */
static attrib_status did_take(attrib_did_result *r, size_t j, const char *name, attrib_did_result *rj,
                              attrib_error *err) {
  attrib_did_outcome *po = &r->outcomes[j];
  po->effect = rj->effect;
  po->effect.term = attrib__strdup(rj->effect.term);
  po->outcome = attrib__strdup(name);
  po->n_obs = rj->n_obs;
  po->boot = rj->boot;
  if (!po->effect.term || !po->outcome) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  if (rj == r) return ATTRIB_OK;
  rj->boot = NULL;
  for (size_t w = 0; w < rj->n_warnings; w++) {
    int seen = 0; /* a note about the design, said once for every outcome */
    for (size_t q = 0; q < r->n_warnings && !seen; q++) seen = !strcmp(r->warnings[q], rj->warnings[w]);
    if (!seen && attrib__did_note(r, "outcome '%s': %s", name, rj->warnings[w]))
      return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  return ATTRIB_OK;
}

/* did.extra_outcomes: one estimation per outcome on the same rows (a view
 * of the table sharing the outcomes' missing pattern) or, with
 * per_outcome_rows, on each outcome's own rows; the first outcome's result
 * carries the others' overall effects */
static attrib_status did_outcomes(const attrib_table *t, const attrib_did_options *o, attrib_did_result **out,
                                  attrib_error *err) {
  size_t S = 1;
  while (o->extra_outcomes[S - 1]) S++;
  const char **names = attrib__malloc(S, sizeof *names);
  if (!names) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  names[0] = o->outcome;
  for (size_t j = 1; j < S; j++) names[j] = o->extra_outcomes[j - 1];
  attrib_status s = ATTRIB_OK;
  for (size_t j = 0; j < S && !s; j++)
    for (size_t q = 0; q < j && !s; q++)
      if (!strcmp(names[j], names[q])) s = attrib__fail(err, ATTRIB_EINVAL, "the outcome '%s' is listed twice", names[j]);
  outcome_view v;
  memset(&v, 0, sizeof v);
  size_t some = 0;
  if (!s) s = outcome_view_make(t, names, S, &v, &some, err);
  const attrib_table *tv = o->per_outcome_rows ? t : &v.t;
  attrib_did_result *r = NULL;
  attrib_did_options oj = *o; /* extra_outcomes kept: it tells the bootstraps to keep their t* */
  oj.keep_draws = 1;          /* the multiplier draws, for Romano-Wolf (CS) */
  for (size_t j = 0; j < S && !s; j++) {
    attrib_did_result *rj = NULL;
    oj.outcome = names[j];
    if ((s = did_fit_one(tv, &oj, &rj, err))) {
      attrib_error e = *err;
      attrib__fail(err, s, "outcome '%s': %s", names[j], e.message);
      err->option = e.option;
      break;
    }
    if (!j) {
      r = rj;
      if (!(r->outcomes = attrib__calloc(S, sizeof *r->outcomes))) {
        s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
        break;
      }
      r->n_outcomes = S;
      r->per_outcome_rows = o->per_outcome_rows;
      r->n_rows_some_outcome_missing = some;
    }
    s = did_take(r, j, names[j], rj, err);
    if (j) attrib_did_result_free(rj);
  }
  if (!s) s = did_adjust(r, err);
  outcome_view_free(&v);
  attrib__free(names);
  if (s) {
    attrib_did_result_free(r);
    return s;
  }
  *out = r;
  return ATTRIB_OK;
}

attrib_status attrib_did_fit(const attrib_table *t, const attrib_did_options *o, attrib_did_result **out,
                             attrib_error *err) {
  if (out) *out = NULL;
  if (!t || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_did_fit: NULL table");
  if (o && o->extra_outcomes && o->extra_outcomes[0]) {
    ATTRIB__TRY(attrib_did_check(o, err));
    return did_outcomes(t, o, out, err);
  }
  return did_fit_one(t, o, out, err);
}

static attrib_status did_fit_one(const attrib_table *t, const attrib_did_options *o, attrib_did_result **out,
                                 attrib_error *err) {
  *out = NULL;
  if (!t) return attrib__fail(err, ATTRIB_EINVAL, "attrib_did_fit: NULL table");

  ATTRIB__TRY(attrib_did_check(o, err));
  int two = o->treat || o->post;
  attrib_did_estimator est = o->estimator;
  if (est == ATTRIB_DID_AUTO) est = two ? ATTRIB_DID_2X2 : ATTRIB_DID_CS;

  attrib_did_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  r->estimator = est;
  r->level = o->level;
  r->df = INFINITY;
  r->base_universal = o->base_universal;
  r->control_notyet = o->control_notyet;
  r->anticipation = o->anticipation;
  r->crit_uniform = NAN;
  r->pretest_stat = r->pretest_df = r->pretest_df2 = r->pretest_p = NAN;
  r->dynamic_overall = r->dynamic_overall_se = NAN;
  r->crit_uniform_group = r->crit_uniform_time = NAN;
  r->group_overall = r->calendar_overall = r->window_diff = (attrib_did_agg){NAN, NAN, NAN, NAN, NAN};
  attrib_status s = ATTRIB_OK;
  panel_rows p = {0};
  did_panel P = {0};
  if (!(r->effect.term = attrib__strdup(est == ATTRIB_DID_2X2 ? "treat:post" : "ATT"))) goto oom;
  if (est == ATTRIB_DID_2X2) {
    if ((s = did_2x2(t, o, r, err))) goto fail;
  } else {
    if ((s = index_panel(t, o, r, &p, err))) goto fail;
    if ((s = build_balanced(t, o, &p, r, &P, err))) goto fail;
    r->n_units = p.n_units;
    r->n_groups = P.n_groups;
    if (P.n_groups) {
      r->groups = attrib__malloc(P.n_groups, sizeof *r->groups);
      r->group_units = attrib__malloc(P.n_groups, sizeof *r->group_units);
      if (!r->groups || !r->group_units) goto oom;
      memcpy(r->groups, P.groups, P.n_groups * sizeof *r->groups);
      memcpy(r->group_units, P.group_units, P.n_groups * sizeof *r->group_units);
    }
    if (r->n_late && attrib__did_note(r, "%zu units are first treated after the last period; they count as never treated", r->n_late))
      goto oom;
    r->n_units_used = est == ATTRIB_DID_CS ? P.n_units : p.n_units;
    if (est == ATTRIB_DID_SUNAB || est == ATTRIB_DID_IMPUTATION) {
      did_rows dr = {p.n, p.unit, p.n_units, p.tix, p.times, p.nT, p.cohort, p.cl_unit, p.G};
      if ((s = est == ATTRIB_DID_SUNAB ? attrib__did_sunab(t, o, &dr, r, err) : attrib__did_imputation(t, o, &dr, r, err)))
        goto fail;
    } else if (est == ATTRIB_DID_CS) {
      if ((s = cs_incomplete_note(o, r, p.n_units, P.n_units, err))) goto fail;
      if (r->n_dropped_first &&
          attrib__did_note(r, "%zu units of cohorts treated in the first period (no pre-period) are dropped", r->n_dropped_first))
        goto oom;
      if (!P.n_groups) {
        s = attrib__fail(err, ATTRIB_EDESIGN, "no treated cohort with a pre-period among the complete units");
        goto fail;
      }
      if (!o->control_notyet && r->n_never == 0) {
        s = attrib__fail(err, ATTRIB_EDESIGN,
                         "no never-treated units to compare with; use did.control_notyet=1 (units not yet treated)");
        goto fail;
      }
      r->n_clusters = P.cluster ? P.G : P.n_units;
      if (P.cluster && P.G < 2) {
        s = attrib__fail(err, ATTRIB_EDESIGN, "one cluster in '%s': clustered inference needs at least two", o->cluster);
        goto fail;
      }
      if ((s = attrib__did_cs(&P, o, r, err))) goto fail;
    } else {
      if (r->n_incomplete &&
          attrib__did_note(r, "%zu of %zu units miss some period (unbalanced panel); the regression uses every row it has", r->n_incomplete,
               p.n_units))
        goto oom;
      if (P.n_groups > 1 &&
          attrib__did_note(r, "staggered adoption (%zu cohorts): the two-way fixed-effects coefficient weights group-time effects, "
                  "some negatively, and compares later with already-treated cohorts (Goodman-Bacon 2021); prefer the "
                  "Callaway-Sant'Anna estimator (did.estimator cs, the default)", P.n_groups))
        goto oom;
      if ((s = did_twfe(t, o, &p, r, err))) goto fail;
      if (!o->event_study && P.n_groups > 1) {
        if (o->covariates || o->covariate_terms) {
          if (attrib__did_note(r, "the Goodman-Bacon decomposition is of the regression without covariates; not computed"))
            goto oom;
        } else if (r->n_incomplete || r->n_dropped_first) {
          if (attrib__did_note(r, "the Goodman-Bacon decomposition needs a balanced panel without always-treated units; not computed"))
            goto oom;
        } else if ((s = bacon(&P, r, err))) {
          goto fail;
        }
      }
    }
  }
  attrib__effect_infer(&r->effect, r->df, o->level);
  panel_rows_free(&p);
  did_panel_free(&P);
  *out = r;
  return ATTRIB_OK;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
fail:
  panel_rows_free(&p);
  did_panel_free(&P);
  attrib_did_result_free(r);
  return s;
}

/* ------------------------------------------------------------ streaming (2x2) */

/* What check_2x2_indicators and did_2x2 learn from the whole table,
 * learned chunk by chunk (attrib__ols_fit_stream_f's hook). */
typedef struct did2_stream {
  const attrib_did_options *o;
  char *src;
  ind_tally tally;
  long double sum[2][2];
  size_t cell_n[2][2];
} did2_stream;

static attrib_status did2_hook(void *ctx, const attrib_table *t, const attrib_design *d, attrib_error *err) {
  did2_stream *h = ctx;
  if (!t) /* after the last chunk: check_2x2_indicators' verdicts on the whole file */
    return ind_verdict(h->src ? h->src : "the data", h->o, &h->tally, err);
  if (!h->src && t->source && !(h->src = attrib__strdup(t->source)))
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  ATTRIB__TRY(ind_count(t, h->o, t->row_offset, &h->tally, err));
  if (!d) return ATTRIB_OK;
  const double *tr = d->keep[0], *po = d->keep[1];
  for (size_t i = 0; i < d->n; i++) {
    int a = tr[i] == 1.0, b = po[i] == 1.0;
    h->sum[a][b] += d->y[i];
    h->cell_n[a][b]++;
  }
  return ATTRIB_OK;
}

/* The out-of-core 2x2's result (no panel fields) and its regression
 * y ~ treat + post + treat:post (+ covariates), with the interaction's
 * name (streamed and pushed-down fits). */
static attrib_status did2_out_of_core(const attrib_did_options *o, attrib_did_result **rout, attrib_formula **fout,
                                      char **term, attrib_error *err) {
  attrib_did_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  *rout = r;
  r->estimator = ATTRIB_DID_2X2;
  r->level = o->level;
  r->df = INFINITY;
  r->crit_uniform = NAN;
  r->pretest_stat = r->pretest_df = r->pretest_df2 = r->pretest_p = NAN;
  r->dynamic_overall = r->dynamic_overall_se = NAN;
  r->crit_uniform_group = r->crit_uniform_time = NAN;
  r->group_overall = r->calendar_overall = r->window_diff = (attrib_did_agg){NAN, NAN, NAN, NAN, NAN};
  attrib_formula *covs = NULL, *formula = NULL;
  const char *tp[2] = {o->treat, o->post};
  size_t tl = strlen(o->treat) + strlen(o->post) + 2;
  if (!(*term = attrib__malloc(tl, 1)) || !(r->effect.term = attrib__strdup("treat:post")))
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  snprintf(*term, tl, "%s:%s", o->treat, o->post);
  attrib_status s;
  if (!(s = covariate_model(o, o->outcome, &covs, err)) && !(s = attrib_formula_new(o->outcome, &formula, err)) &&
      !(s = attrib_formula_add_column(formula, o->treat, 0, err)) &&
      !(s = attrib_formula_add_column(formula, o->post, 0, err)) &&
      !(s = attrib_formula_add_term(formula, 2, tp, NULL, err)))
    s = attrib_formula_add_formula(formula, covs, err);
  attrib_formula_free(covs);
  *fout = formula;
  return s;
}

/* The four cells' means from their sums and counts, the interaction's
 * effect and the regression's warnings (no bootstrap out of core). */
static attrib_status did2_finish(const attrib_did_options *o, attrib_ols_result *ols, const char *term,
                                 long double sum[2][2], size_t cell_n[2][2], attrib_did_result *r, attrib_error *err) {
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++) {
      r->cell_n[a][b] = cell_n[a][b];
      if (!r->cell_n[a][b])
        return attrib__fail(err, ATTRIB_EDESIGN, "no %s units in the %s period: the 2x2 design needs all four cells",
                            a ? "treated" : "control", b ? "post" : "pre");
      r->means[a][b] = (double)(sum[a][b] / r->cell_n[a][b]);
    }
  long j;
  ATTRIB__TRY(twobytwo_effect(ols, term, o, ols->n_obs, r, &j, err));
  ATTRIB__TRY(wild_and_warnings(NULL, ols, (size_t)j, o, r, err)); /* no bootstrap: the warnings */
  attrib__effect_infer(&r->effect, r->df, o->level);
  return ATTRIB_OK;
}

attrib_status attrib_did_fit_stream(const char *path, const attrib_csv_options *copts, const attrib_did_options *o,
                                    size_t chunk_rows, attrib_did_result **out, attrib_error *err) {
  if (!out || !path || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_did_fit_stream: NULL argument");
  *out = NULL;
  ATTRIB__TRY(attrib_did_check(o, err));
  if (!(o->treat || o->post) || o->bootstrap) {
    size_t rows = 0, bytes = 0;
    attrib_error e2;
    attrib_error_clear(&e2);
    (void)attrib_csv_estimate(path, copts, &rows, &bytes, &e2);
    const char *what = o->bootstrap ? "the wild bootstrap of the 2x2 (it refits on every replicate's rows)"
                                    : "a panel (Callaway-Sant'Anna, the event study and the panel regressions read "
                                      "units at random)";
    return attrib__fail_option(err, ATTRIB_EUSAGE, o->bootstrap ? "did.bootstrap" : "did.stream",
                               "%s needs the table in memory and cannot be streamed: %s holds about %zu rows, about "
                               "%.1f MB in memory",
                               what, path, rows, (double)bytes / 1e6);
  }
  attrib_did_result *r = NULL;
  attrib_formula *formula = NULL;
  attrib_ols_result *ols = NULL;
  did2_stream h = {.o = o};
  char *term = NULL;
  attrib_status s = did2_out_of_core(o, &r, &formula, &term, err);
  if (s) goto done;
  r->streamed = 1;
  const char *keep[3] = {o->treat, o->post, NULL};
  const char *cl[2] = {o->cluster, NULL};
  attrib_design_options dopt; /* as ols_on */
  attrib_design_options_init(&dopt);
  dopt.cluster = o->cluster ? cl : NULL;
  dopt.keep = keep;
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.vcov = o->cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
  oo.treat = term;
  oo.level = o->level;
  oo.threads = o->threads;
  oo.drop_singletons = 0;
  if ((s = attrib__ols_fit_stream_f(path, copts, formula, &dopt, &oo, chunk_rows, did2_hook, &h, &ols, err))) goto done;
  s = did2_finish(o, ols, term, h.sum, h.cell_n, r, err);
done:
  attrib_formula_free(formula);
  attrib__free(term);
  attrib__free(h.src);
  attrib_ols_result_free(ols);
  if (s) attrib_did_result_free(r);
  else *out = r;
  return s;
}

/* ------------------------------------------------------------ pushed down (2x2) */

/* check_2x2_indicators in the database: over the rows where both
 * indicators are present, values other than 0/1 refused, and the tally's
 * verdicts (both arms, both periods, not one column twice). */
static attrib_status did2_pd_indicators(attrib__pd *p, const attrib_did_options *o, double *row, attrib_error *err) {
  attrib__sbuf q = {0};
  attrib__sbuf_addf(&q,
                    "SELECT CAST(count(*) AS double precision), SUM(CASE WHEN t = 1 THEN 1.0 ELSE 0.0 END::float8), "
                    "SUM(CASE WHEN p = 1 THEN 1.0 ELSE 0.0 END::float8), SUM(CASE WHEN t = p THEN 1.0 ELSE 0.0 END::float8), "
                    "SUM(CASE WHEN t IN (0, 1) AND p IN (0, 1) THEN 0.0 ELSE 1.0 END::float8) FROM (SELECT %s AS t, %s AS p "
                    "FROM %s AS attrib_src) AS attrib_ind WHERE t IS NOT NULL AND p IS NOT NULL AND t <> 'NaN' AND p <> 'NaN'",
                    p->exprs[1], p->exprs[2], p->pg.relation);
  ATTRIB__TRY(attrib__pd_run(p, &q, row, 5, err)); /* frees q: a failed one leaked before */
  if (row[4] > 0)
    return attrib__fail(err, ATTRIB_ETYPE, "%s: the %s '%s' and the %s '%s' must be 0/1; %.0f rows hold other values",
                        p->pg.relation, ind_role[0], o->treat, ind_role[1], o->post, row[4]);
  ind_tally c = {{{0, 0}, {0, 0}}, 0, 0};
  c.n = (size_t)row[0];
  c.count[0][1] = (size_t)row[1];
  c.count[0][0] = c.n - c.count[0][1];
  c.count[1][1] = (size_t)row[2];
  c.count[1][0] = c.n - c.count[1][1];
  c.same = (size_t)row[3];
  return ind_verdict(p->pg.relation, o, &c, err);
}

/* The four cells' counts and outcome sums over the model's rows (x1 the
 * treatment, x2 the post indicator). */
static attrib_status did2_pd_cells(attrib__pd *p, double *row, long double sum[2][2], size_t n[2][2],
                                   attrib_error *err) {
  attrib__sbuf q = {0};
  attrib__sbuf_addf(&q, "%s", "SELECT ");
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++)
      attrib__sbuf_addf(&q,
                        "%sSUM(CASE WHEN x1 = %d AND x2 = %d THEN 1.0 ELSE 0.0 END::float8), "
                        "SUM(CASE WHEN x1 = %d AND x2 = %d THEN y ELSE 0.0 END::float8)",
                        a + b ? ", " : "", a, b, a, b);
  attrib__sbuf_addf(&q, "%s", " FROM (");
  attrib__pd_rows_query(p, &q, 0);
  attrib__sbuf_addf(&q, "%s", ") AS attrib_rows");
  attrib_status s = attrib__pd_run(p, &q, row, 8, err);
  for (int a = 0, c = 0; !s && a < 2; a++)
    for (int b = 0; b < 2; b++, c += 2) {
      n[a][b] = (size_t)row[c];
      sum[a][b] = row[c + 1];
    }
  return s;
}

attrib_status attrib_did_pushdown(const char *uri, const char *sql, const attrib_did_options *o,
                                  attrib_did_result **out, char **queries, attrib_error *err) {
  if (!out || !uri || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_did_pushdown: NULL argument");
  *out = NULL;
  if (queries) *queries = NULL;
  ATTRIB__TRY(attrib_did_check(o, err));
  if (!(o->treat || o->post) || o->bootstrap || o->extra_outcomes)
    return attrib__fail_option(err, ATTRIB_EUSAGE, o->bootstrap ? "did.bootstrap" : "did.pushdown",
                               "%s needs the rows: fetch the table without pushdown",
                               o->bootstrap        ? "the wild bootstrap of the 2x2 (it refits on every replicate's rows)"
                               : o->extra_outcomes ? "several outcomes on one design"
                                                   : "a panel (Callaway-Sant'Anna, the event study and the panel "
                                                     "regressions read units at random)");
  attrib_did_result *r = NULL;
  attrib_formula *formula = NULL;
  attrib_ols_result *ols = NULL;
  attrib_ols_stats *st = NULL;
  attrib__pd p;
  memset(&p, 0, sizeof p);
  char *term = NULL, *oq = NULL;
  double row[8], n_input;
  long double sum[2][2];
  size_t n[2][2];
  attrib_status s = did2_out_of_core(o, &r, &formula, &term, err);
  if (!s) s = attrib__pd_setup(&p, formula, uri, sql, o->cluster, &n_input, err);
  if (!s && (p.k < 4 || strcmp(p.terms[1], o->treat) || strcmp(p.terms[2], o->post)))
    s = attrib__fail(err, ATTRIB_ETYPE, "%s: the %s '%s' and the %s '%s' must be 0/1 number columns", p.pg.relation,
                     ind_role[0], o->treat, ind_role[1], o->post);
  if (!s) s = did2_pd_indicators(&p, o, row, err);
  if (!s) s = did2_pd_cells(&p, row, sum, n, err);
  /* the regression's own queries: attrib_ols_pushdown's, on this formula */
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.vcov = o->cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
  oo.treat = term;
  oo.level = o->level;
  if (!s) s = attrib__ols_pushdown_f(uri, sql, formula, NULL, o->cluster, &oo, NULL, &st, queries ? &oq : NULL, err);
  if (!s) s = attrib_ols_from_stats(st, &oo, &ols, err);
  if (!s) s = did2_finish(o, ols, term, sum, n, r, err);
  if (!s && queries) {
    attrib__sbuf_addf(&p.log, "%s", oq ? oq : "");
    s = attrib__pd_queries(&p, queries, err);
  }
  attrib__pd_free(&p);
  attrib_formula_free(formula);
  attrib_ols_stats_free(st);
  attrib_ols_result_free(ols);
  attrib__free(term);
  attrib__free(oq);
  if (s) attrib_did_result_free(r);
  else *out = r;
  return s;
}
