/*
 * Borusyak, Jaravel & Spiess (2024, REStud 91(6)) imputation estimator, as
 * R's didimputation and Stata's did_imputation without covariates
 * (docs/methods/did.md#imputation):
 *
 *  1. fit y_it = a_i + b_t by OLS on the untreated rows Omega_0 (the never
 *     treated, and treated units before their cohort's first period);
 *  2. impute Y_it(0) = a_i + b_t for each treated row (t >= g) and take
 *     tau_it = y_it - Y_it(0);
 *  3. average: the overall effect over all treated rows, and one effect per
 *     horizon h = t - g >= 0 over the treated rows at h (equal weights).
 *
 * Step 1 absorbs the two effects with the FE core (attrib__fe_demean), which
 * gives the fitted values on Omega_0; a spanning forest of the bipartite
 * unit-period graph of Omega_0 then reads a_i and b_t off the fitted values
 * (exact: a_i + b_t is determined wherever i and t are connected). A treated
 * row whose unit has no untreated row (a cohort treated from its first
 * observed period), whose period has no untreated row, or whose unit and
 * period are not connected through untreated rows has no imputation: it is
 * left out of every average, counted (n_not_imputed) and named in a warning.
 *
 * Variance: each estimate is linear in y, sum_it v_it y_it, with v_it = w_it
 * on treated rows and, on untreated rows (BJS eq. (5) of Theorem 1 / eq. (6)
 * of the 2021 working paper), v_0 = -Z_0 (Z_0'Z_0)^- Z_1' w_1. Any u with
 * Z_0'u = Z_1'w_1 gives Z_0 (Z_0'Z_0)^- Z_1'w_1 as its projection on the
 * two-way effects, u minus its demeaned self; u is the tree flow on the
 * spanning forest that meets each unit's and period's treated weight.
 * The conservative variance (BJS Theorem 3, with the residuals of their
 * Section 4.3 / eqs. (8) and (10) of the working paper) clustered by unit
 * (or did.cluster):
 *
 *   Var = sum_c ( sum_{it in c} v_it e_it )^2,
 *   e_it = y_it - a_i - b_t on untreated rows (the step-1 residual),
 *   e_it = tau_it - taubar_{g,t,-c} on treated rows,
 *
 * taubar_{g,t,-c} the v^2-weighted mean of tau over the treated rows of the
 * same cohort and period outside cluster c (the leave-out version BJS
 * recommend against the downward bias of small cells, Stata did_imputation's
 * leaveout option; didimputation uses the mean including c). A cell with a
 * single cluster has no leave-out mean: it uses its own, counted in a warning.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <lapacke.h>

#include <attrib/ols.h>

#include "core/attrib_internal.h"
#include "design/design_internal.h"
#include "did/did_internal.h"
#include "inference/inference_internal.h"

#define IMP_FE_TOL 1e-13
#define IMP_FE_MAX_ITER 100000

typedef struct imp {
  size_t n0, n1;       /* untreated rows, imputed treated rows */
  size_t *row0, *row1; /* their table rows */
  int32_t *code[2];    /* n0 unit and period codes over Omega_0 */
  size_t levels[2];
  attrib__fe fe;
  int fe_ok;
  /* spanning forest over the nodes (units 0..L0-1, periods L0..): BFS order,
   * the edge (untreated row index) to the parent, SIZE_MAX at a root */
  size_t nn, *order, *pedge, *comp;
  size_t *unit_node, *time_node; /* per table unit / period: node, SIZE_MAX = none */
} imp;

static void imp_free(imp *m) {
  attrib__free(m->row0), attrib__free(m->row1);
  attrib__free(m->code[0]), attrib__free(m->code[1]);
  if (m->fe_ok) attrib__fe_free(&m->fe);
  attrib__free(m->order), attrib__free(m->pedge), attrib__free(m->comp);
  attrib__free(m->unit_node), attrib__free(m->time_node);
}

/* the other end of untreated row k seen from node x */
static size_t other_end(const imp *m, size_t k, size_t x) {
  size_t a = (size_t)m->code[0][k], b = m->levels[0] + (size_t)m->code[1][k];
  return x == a ? b : a;
}

/* BFS spanning forest of the bipartite graph whose edges are the untreated rows */
static attrib_status forest(imp *m, attrib_error *err) {
  size_t nn = m->nn, n0 = m->n0;
  size_t *deg = attrib__calloc(nn + 1, sizeof *deg), *adj = attrib__malloc(2 * n0 + 1, sizeof *adj);
  m->order = attrib__malloc(nn + 1, sizeof *m->order);
  m->pedge = attrib__malloc(nn + 1, sizeof *m->pedge);
  m->comp = attrib__malloc(nn + 1, sizeof *m->comp);
  if (!deg || !adj || !m->order || !m->pedge || !m->comp) {
    attrib__free(deg), attrib__free(adj);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t k = 0; k < n0; k++) deg[(size_t)m->code[0][k] + 1]++, deg[m->levels[0] + (size_t)m->code[1][k] + 1]++;
  for (size_t x = 0; x < nn; x++) deg[x + 1] += deg[x]; /* deg[x]: start of x's edges */
  for (size_t k = 0; k < n0; k++) {
    adj[deg[(size_t)m->code[0][k]]++] = k;
    adj[deg[m->levels[0] + (size_t)m->code[1][k]]++] = k;
  }
  for (size_t x = nn; x > 0; x--) deg[x] = deg[x - 1]; /* back to starts */
  deg[0] = 0;
  for (size_t x = 0; x < nn; x++) m->comp[x] = SIZE_MAX;
  size_t head = 0, tail = 0;
  for (size_t root = 0; root < nn; root++) {
    if (m->comp[root] != SIZE_MAX) continue;
    m->comp[root] = root, m->pedge[root] = SIZE_MAX, m->order[tail++] = root;
    while (head < tail) {
      size_t x = m->order[head++];
      for (size_t q = deg[x]; q < deg[x + 1]; q++) {
        size_t k = adj[q], y = other_end(m, k, x);
        if (m->comp[y] != SIZE_MAX) continue;
        m->comp[y] = root, m->pedge[y] = k, m->order[tail++] = y;
      }
    }
  }
  attrib__free(deg), attrib__free(adj);
  return ATTRIB_OK;
}

/* v <- v minus its projection on the unit and period effects */
static attrib_status demean(imp *m, double *v, int *converged, attrib_error *err) {
  size_t it;
  int conv;
  ATTRIB__TRY(attrib__fe_demean(&m->fe, v, IMP_FE_TOL, IMP_FE_MAX_ITER, &it, &conv, err));
  *converged &= conv;
  return ATTRIB_OK;
}

typedef struct cellkey {
  double g;                  /* cohort */
  size_t tix, cluster, k;    /* period index, cluster, index into row1 */
} cellkey;

static int same_cell(const cellkey *x, const cellkey *y) { return x->g == y->g && x->tix == y->tix; }

static int cmp_cellkey(const void *a, const void *b) {
  const cellkey *x = a, *y = b;
  if (x->g != y->g) return x->g < y->g ? -1 : 1;
  if (x->tix != y->tix) return x->tix < y->tix ? -1 : 1;
  if (x->cluster != y->cluster) return x->cluster < y->cluster ? -1 : 1;
  return (x->k > y->k) - (x->k < y->k);
}

/* BJS's test of parallel trends and no anticipation (BJS 2024, sec. 4.4,
 * "Test 1"; didimputation's pretrends = TRUE, Stata did_imputation's
 * pretrends()): on the untreated rows only, y on a dummy for every lead
 * e = t - g < 0 of the treated units with unit and period effects,
 * clustered by unit (or did.cluster), CR1; the Wald F over the leads with
 * (q, G - 1) df. The never treated are the reference; with none, e = -1 is. */
static attrib_status pretrend_test(const attrib_table *t, const attrib_did_options *o, const did_rows *p,
                                   const double *y, const imp *m, attrib_did_result *r, attrib_error *err) {
  size_t n = p->n, q = 0;
  unsigned char *keep = attrib__calloc(n ? n : 1, 1);
  double *code = attrib__calloc(n ? n : 1, sizeof *code);
  attrib_ols_result *ols = NULL;
  long *ix = NULL;
  double *V = NULL, *b = NULL, *bb = NULL;
  attrib_status s = ATTRIB_OK;
  if (!keep || !code) goto oom;
  double lead_max = 0.0;
  for (size_t k = 0; k < m->n0; k++) {
    size_t i = m->row0[k];
    double g = p->cohort[p->unit[i]];
    keep[i] = 1;
    if (g > 0) code[i] = g - p->times[p->tix[i]], lead_max = fmax(lead_max, code[i]);
  }
  if (lead_max < 1.0) goto done; /* no treated unit has an untreated row: no lead to test */
  if ((s = attrib__did_factor_fe_ols(t, o, y, keep, code, ".bjs_lead", &ols, err))) {
    /* a test the data cannot support (every lead collinear, one cluster)
     * leaves the estimates alone: said in a warning, not an error */
    if (s == ATTRIB_ENOMEM) goto done;
    s = attrib__did_note(r, "the pre-trend test was not computed: %s", err ? err->message : "the regression failed")
            ? attrib__fail(err, ATTRIB_ENOMEM, "out of memory")
            : ATTRIB_OK;
    if (err && !s) attrib_error_clear(err);
    goto done;
  }
  size_t L = (size_t)lead_max, K = ols->coef.k;
  ix = attrib__malloc(L, sizeof *ix);
  V = attrib__malloc(L * L, sizeof *V), b = attrib__malloc(L, sizeof *b), bb = attrib__malloc(L, sizeof *bb);
  if (!ix || !V || !b || !bb) goto oom;
  for (size_t l = 1; l <= L; l++) {
    char name[48];
    snprintf(name, sizeof name, "factor(.bjs_lead)%zu", l);
    for (size_t k = 0; k < K; k++)
      if (!strcmp(ols->coef.term[k], name) && !ols->coef.aliased[k]) ix[q++] = (long)k;
  }
  for (size_t a = 0; a < q; a++) {
    b[a] = bb[a] = ols->coef.estimate[ix[a]];
    for (size_t c = 0; c < q; c++) V[c * q + a] = ols->vcov[(size_t)ix[c] * K + (size_t)ix[a]];
  }
  if (q && LAPACKE_dposv(LAPACK_COL_MAJOR, 'U', (lapack_int)q, 1, V, (lapack_int)q, bb, (lapack_int)q) == 0) {
    double W = 0.0;
    for (size_t a = 0; a < q; a++) W += b[a] * bb[a];
    r->pretest_kind = "wald F over the leads of the untreated observations (Borusyak, Jaravel & Spiess test 1)";
    r->pretest_stat = W / (double)q;
    r->pretest_df = (double)q;
    r->pretest_df2 = ols->df_inference;
    r->pretest_p = isfinite(ols->df_inference) ? gsl_cdf_fdist_Q(W / (double)q, (double)q, ols->df_inference)
                                               : gsl_cdf_chisq_Q(W, (double)q);
  }
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
done:
  attrib__free(keep), attrib__free(code), attrib__free(ix), attrib__free(V), attrib__free(b), attrib__free(bb);
  attrib_ols_result_free(ols);
  return s;
}

/* The estimation's state, shared by its steps (the rows, the step-1 fit, the
 * imputed effects, and per estimand the weights and cluster scores). */
typedef struct imp_fit {
  const did_rows *p;
  const double *y;
  size_t N, G;               /* units, clusters (units when unclustered) */
  imp m;
  int32_t *ucode, *tcode;    /* table unit / period -> code over Omega_0, -1 = none */
  size_t *row1;              /* = m.row1: all treated rows, then the imputed ones first */
  unsigned char *used;       /* units with a row in the estimation */
  size_t n1_all, never_units;
  double *phi, *e0, *tau;    /* node effects a_i / b_t, step-1 residuals, tau_it */
  size_t units_no_unit;      /* treated units observed only while treated */
  size_t *cnt_h, H, M;       /* treated rows per horizon, horizons, estimands (H + overall) */
  double *hz, *w, *dem, *u, *acc, *score, *ebar, *est;
  cellkey *keys;
  size_t n_fallback;
  int converged;
} imp_fit;

static attrib_status imp_oom(attrib_error *err) { return attrib__fail(err, ATTRIB_ENOMEM, "out of memory"); }

/* Omega_0 (the never treated, and treated units before their cohort's first
 * period) and the treated rows; codes the units and periods of Omega_0 */
static attrib_status imp_split_rows(imp_fit *f, attrib_did_result *r, attrib_error *err) {
  const did_rows *p = f->p;
  size_t n = p->n, N = f->N, nT = p->nT;
  imp *m = &f->m;
  f->ucode = attrib__malloc(N ? N : 1, sizeof *f->ucode), f->tcode = attrib__malloc(nT, sizeof *f->tcode);
  m->row0 = attrib__malloc(n ? n : 1, sizeof *m->row0);
  f->row1 = attrib__malloc(n ? n : 1, sizeof *f->row1);
  m->row1 = f->row1;
  f->used = attrib__calloc(N ? N : 1, 1);
  if (!f->ucode || !f->tcode || !m->row0 || !f->row1 || !f->used) return imp_oom(err);
  for (size_t q = 0; q < N; q++) f->ucode[q] = -1;
  for (size_t q = 0; q < nT; q++) f->tcode[q] = -1;
  for (size_t i = 0; i < n; i++) {
    if (isnan(f->y[i])) continue;
    double g = p->cohort[p->unit[i]], ti = p->times[p->tix[i]];
    if (g == 0.0 || ti < g) {
      m->row0[m->n0++] = i;
      if (f->ucode[p->unit[i]] < 0) f->ucode[p->unit[i]] = (int32_t)m->levels[0]++, f->never_units += g == 0.0;
      if (f->tcode[p->tix[i]] < 0) f->tcode[p->tix[i]] = (int32_t)m->levels[1]++;
    } else {
      f->row1[f->n1_all++] = i;
    }
  }
  r->n_treated_obs = f->n1_all;
  if (!f->n1_all) return attrib__fail(err, ATTRIB_EDESIGN, "no unit is treated within the panel");
  if (!m->n0)
    return attrib__fail(err, ATTRIB_EDESIGN, "no untreated observations: every row is of a treated unit in or after its "
                                             "first treated period, so no untreated outcome can be imputed");
  return ATTRIB_OK;
}

/* Step 1: y_it = a_i + b_t by OLS on Omega_0 (the FE core's residuals e0),
 * then a_i and b_t (phi) read off the fitted values along the spanning
 * forest */
static attrib_status imp_step1(imp_fit *f, attrib_error *err) {
  const did_rows *p = f->p;
  imp *m = &f->m;
  attrib_status s;
  m->code[0] = attrib__malloc(m->n0, sizeof *m->code[0]);
  m->code[1] = attrib__malloc(m->n0, sizeof *m->code[1]);
  if (!m->code[0] || !m->code[1]) return imp_oom(err);
  for (size_t k = 0; k < m->n0; k++) {
    size_t i = m->row0[k];
    m->code[0][k] = f->ucode[p->unit[i]], m->code[1][k] = f->tcode[p->tix[i]];
    f->used[p->unit[i]] = 1;
  }
  if ((s = attrib__fe_init(&m->fe, m->n0, 2, (const int32_t *const *)m->code, m->levels, NULL, err))) return s;
  m->fe_ok = 1;
  m->nn = m->levels[0] + m->levels[1];
  if ((s = forest(m, err))) return s;

  /* residuals and fitted values on Omega_0; a_i, b_t along the forest */
  f->e0 = attrib__malloc(m->n0, sizeof *f->e0);
  f->phi = attrib__calloc(m->nn, sizeof *f->phi);
  if (!f->e0 || !f->phi) return imp_oom(err);
  for (size_t k = 0; k < m->n0; k++) f->e0[k] = f->y[m->row0[k]];
  if ((s = demean(m, f->e0, &f->converged, err))) return s;
  for (size_t q = 0; q < m->nn; q++) {
    size_t x = m->order[q], k = m->pedge[x];
    if (k == SIZE_MAX) continue; /* a root: its effect is the normalisation, 0 */
    double fit = f->y[m->row0[k]] - f->e0[k];
    f->phi[x] = fit - f->phi[other_end(m, k, x)];
  }
  return ATTRIB_OK;
}

/* Step 2: Y_it(0) = a_i + b_t imputed for each treated row, tau_it = y_it -
 * Y_it(0); the treated rows without an imputation (no untreated row of their
 * unit or period, or the two not connected) are counted and named in
 * warnings, and none imputed is an error */
static attrib_status imp_step2(imp_fit *f, attrib_did_result *r, attrib_error *err) {
  const did_rows *p = f->p;
  imp *m = &f->m;
  size_t N = f->N, n1_all = f->n1_all, *row1 = f->row1;
  size_t n_no_unit = 0, n_no_time = 0, n_apart = 0, first_no_unit = 0, units_no_unit = 0;
  f->tau = attrib__malloc(n1_all, sizeof *f->tau);
  unsigned char *seen = attrib__calloc(N ? N : 1, 1);
  if (!f->tau || !seen) {
    attrib__free(seen);
    return imp_oom(err);
  }
  for (size_t k = 0; k < n1_all; k++) {
    size_t i = row1[k], un = (size_t)p->unit[i];
    int32_t a = f->ucode[un], b = f->tcode[p->tix[i]];
    if (a < 0) {
      if (!n_no_unit++) first_no_unit = i + 1;
      units_no_unit += !seen[un];
      seen[un] = 1;
      continue;
    }
    if (b < 0) {
      n_no_time++;
      continue;
    }
    size_t xa = (size_t)a, xb = m->levels[0] + (size_t)b;
    if (m->comp[xa] != m->comp[xb]) {
      n_apart++;
      continue;
    }
    f->tau[m->n1] = f->y[i] - (f->phi[xa] + f->phi[xb]);
    row1[m->n1++] = i;
  }
  attrib__free(seen);
  f->units_no_unit = units_no_unit;
  r->n_not_imputed = n1_all - m->n1;
  if (n_no_unit &&
      attrib__did_note(r, "%zu treated observations of %zu units observed only while treated (no untreated period "
                          "to estimate the unit's effect from, e.g. a cohort treated in the first period) have no "
                          "imputed untreated outcome and are left out of the effects; the first is data row %zu",
                       n_no_unit, units_no_unit, first_no_unit))
    return imp_oom(err);
  if (n_no_time &&
      attrib__did_note(r, "%zu treated observations are in periods when no unit is untreated (no never-treated or "
                          "not-yet-treated units then): no period effect to impute with, left out of the effects",
                       n_no_time))
    return imp_oom(err);
  if (n_apart &&
      attrib__did_note(r, "%zu treated observations have a unit and period not connected through untreated "
                          "observations: their untreated outcome is not identified, left out of the effects",
                       n_apart))
    return imp_oom(err);
  if (!m->n1) {
    if (n_no_unit == n1_all)
      return attrib__fail(err, ATTRIB_EDESIGN,
                          "no treated observation can be imputed: every treated unit (%zu) is observed only while "
                          "treated (a cohort treated in or before its first period), so no unit effect can be estimated "
                          "for it; the first is the unit at data row %zu", units_no_unit, first_no_unit);
    else if (!f->never_units)
      return attrib__fail(err, ATTRIB_EDESIGN, "no never-treated units and no not-yet-treated observations while units are "
                                               "treated: the untreated outcome of no treated observation can be imputed");
    else
      return attrib__fail(err, ATTRIB_EDESIGN, "no treated observation can be imputed: their units and periods are not "
                                               "connected through untreated observations");
  }
  for (size_t k = 0; k < m->n1; k++) f->used[p->unit[row1[k]]] = 1;
  return ATTRIB_OK;
}

/* The estimands (one per horizon h = t - g >= 0 with a treated row, then the
 * overall effect) and their work arrays; the treated rows' (cohort, period)
 * cells, sorted by cell and cluster for the leave-out means */
static attrib_status imp_estimands(imp_fit *f, attrib_error *err) {
  const did_rows *p = f->p;
  imp *m = &f->m;
  size_t *row1 = f->row1;
  long hmax = 0;
  for (size_t k = 0; k < m->n1; k++) {
    size_t i = row1[k];
    long h = (long)(p->times[p->tix[i]] - p->cohort[p->unit[i]]);
    if (h > hmax) hmax = h;
  }
  f->cnt_h = attrib__calloc((size_t)hmax + 1, sizeof *f->cnt_h);
  if (!f->cnt_h) return imp_oom(err);
  for (size_t k = 0; k < m->n1; k++) {
    size_t i = row1[k];
    f->cnt_h[(size_t)(p->times[p->tix[i]] - p->cohort[p->unit[i]])]++;
  }
  size_t H = 0;
  for (size_t h = 0; h <= (size_t)hmax; h++) H += f->cnt_h[h] > 0;
  size_t M = H + 1;
  f->H = H, f->M = M;
  f->hz = attrib__malloc(M, sizeof *f->hz);
  f->w = attrib__malloc(m->n1, sizeof *f->w);
  f->dem = attrib__malloc(m->n0, sizeof *f->dem);
  f->u = attrib__malloc(m->n0, sizeof *f->u);
  f->acc = attrib__malloc(m->nn, sizeof *f->acc);
  f->score = attrib__calloc(M * f->G, sizeof *f->score);
  f->keys = attrib__malloc(m->n1, sizeof *f->keys);
  if (!f->hz || !f->w || !f->dem || !f->u || !f->acc || !f->score || !f->keys) return imp_oom(err);
  for (size_t h = 0, q = 0; h <= (size_t)hmax; h++)
    if (f->cnt_h[h]) f->hz[q++] = (double)h;
  f->hz[H] = NAN; /* overall */
  /* cells (cohort, period) of the treated rows, and the rows sorted by
   * cell and cluster for the leave-out means */
  for (size_t k = 0; k < m->n1; k++) {
    size_t i = row1[k], un = (size_t)p->unit[i];
    f->keys[k] = (cellkey){p->cohort[un], (size_t)p->tix[i], p->cluster ? (size_t)p->cluster[un] : un, k};
  }
  qsort(f->keys, m->n1, sizeof *f->keys, cmp_cellkey);
  f->ebar = attrib__malloc(m->n1, sizeof *f->ebar);
  if (!f->ebar) return imp_oom(err);
  f->est = attrib__malloc(M, sizeof *f->est);
  if (!f->est) return imp_oom(err);
  return ATTRIB_OK;
}

/* Estimand a's weights on the treated rows (equal, over its horizon's rows
 * or all) and its estimate, sum w_it tau_it (step 3) */
static void imp_treated_weights(imp_fit *f, size_t a) {
  const did_rows *p = f->p;
  size_t n1 = f->m.n1, H = f->H;
  size_t na = a < H ? f->cnt_h[(size_t)f->hz[a]] : n1;
  double e = 0.0;
  for (size_t k = 0; k < n1; k++) {
    size_t i = f->row1[k];
    double h = p->times[p->tix[i]] - p->cohort[p->unit[i]];
    f->w[k] = a == H || h == f->hz[a] ? 1.0 / (double)na : 0.0;
    e += f->w[k] * f->tau[k];
  }
  f->est[a] = e;
}

/* v on Omega_0 (BJS eq. (5)): minus the projection of the tree flow u
 * (Z_0'u = Z_1'w) on the two-way effects; u is left in f->u, its demeaned
 * self in f->dem, so v_0 = -(u - dem) */
static attrib_status imp_untreated_weights(imp_fit *f, attrib_error *err) {
  const did_rows *p = f->p;
  imp *m = &f->m;
  double *acc = f->acc, *u = f->u;
  for (size_t x = 0; x < m->nn; x++) acc[x] = 0.0;
  for (size_t k = 0; k < m->n1; k++) {
    size_t i = f->row1[k];
    acc[(size_t)f->ucode[p->unit[i]]] -= f->w[k]; /* demand, negated: acc holds (flow in) - demand */
    acc[m->levels[0] + (size_t)f->tcode[p->tix[i]]] -= f->w[k];
  }
  for (size_t k = 0; k < m->n0; k++) u[k] = 0.0;
  for (size_t q = m->nn; q-- > 0;) {
    size_t x = m->order[q], k = m->pedge[x];
    if (k == SIZE_MAX) continue; /* a root: its balance is 0 by construction */
    u[k] = -acc[x];
    acc[x] = 0.0;
    acc[other_end(m, k, x)] += u[k];
  }
  for (size_t k = 0; k < m->n0; k++) f->dem[k] = u[k];
  return demean(m, f->dem, &f->converged, err);
}

/* The treated rows' variance residuals (BJS Section 4.3): tau minus the
 * leave-out mean of its (cohort, period) cell over the other clusters,
 * weights v^2; a cell with one cluster uses its own mean (counted, for the
 * overall estimand a == H, in n_fallback) */
static void imp_leaveout_residuals(imp_fit *f, size_t a) {
  const double *w = f->w, *tau = f->tau;
  const cellkey *keys = f->keys;
  size_t n1 = f->m.n1;
  for (size_t q0 = 0; q0 < n1;) {
    size_t q1 = q0;
    double Sc = 0.0, Wc = 0.0;
    while (q1 < n1 && same_cell(&keys[q1], &keys[q0])) {
      size_t k = keys[q1].k;
      Sc += w[k] * w[k] * tau[k], Wc += w[k] * w[k];
      q1++;
    }
    for (size_t g0 = q0; g0 < q1;) { /* one cluster's rows in the cell */
      size_t g1 = g0;
      double Sg = 0.0, Wg = 0.0;
      while (g1 < q1 && keys[g1].cluster == keys[g0].cluster) {
        size_t k = keys[g1].k;
        Sg += w[k] * w[k] * tau[k], Wg += w[k] * w[k];
        g1++;
      }
      double bar;
      if (Wc - Wg > 0.0) bar = (Sc - Sg) / (Wc - Wg);
      else {
        bar = Wc > 0.0 ? Sc / Wc : 0.0;
        if (Wg > 0.0 && a == f->H) f->n_fallback++;
      }
      for (size_t q = g0; q < g1; q++) f->ebar[keys[q].k] = tau[keys[q].k] - bar;
      g0 = g1;
    }
    q0 = q1;
  }
}

/* Estimand a's cluster scores sum_{it in c} v_it e_it (BJS Theorem 3): the
 * treated rows first, then the untreated rows with their step-1 residuals */
static void imp_scores(imp_fit *f, size_t a) {
  const did_rows *p = f->p;
  double *sc = f->score + a * f->G;
  for (size_t k = 0; k < f->m.n1; k++) {
    size_t un = (size_t)p->unit[f->row1[k]];
    sc[p->cluster ? (size_t)p->cluster[un] : un] += f->w[k] * f->ebar[k];
  }
  for (size_t k = 0; k < f->m.n0; k++) {
    size_t un = (size_t)p->unit[f->m.row0[k]];
    double v0 = -(f->u[k] - f->dem[k]);
    sc[p->cluster ? (size_t)p->cluster[un] : un] += v0 * f->e0[k];
  }
}

/* The results: normal inference (as didimputation), the event study with
 * its covariance, the overall and the dynamic (mean over horizons) effects */
static attrib_status imp_results(imp_fit *f, const attrib_did_options *o, attrib_did_result *r, attrib_error *err) {
  const did_rows *p = f->p;
  size_t N = f->N, G = f->G, H = f->H, M = f->M;
  const double *score = f->score, *est = f->est;
  r->df = INFINITY;
  r->se_method = "conservative clustered variance of Borusyak, Jaravel & Spiess (2024, Theorem 3), leave-out "
                 "cohort x period means of the treated residuals";
  r->n_obs = f->m.n0 + f->m.n1;
  { /* clusters with a row in the estimation */
    unsigned char *hit = attrib__calloc(G ? G : 1, 1);
    if (!hit) return imp_oom(err);
    r->n_clusters = 0;
    for (size_t un = 0; un < N; un++)
      if (f->used[un] && !hit[p->cluster ? (size_t)p->cluster[un] : un]) hit[p->cluster ? (size_t)p->cluster[un] : un] = 1, r->n_clusters++;
    attrib__free(hit);
  }
  double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * o->level);
  r->events = attrib__calloc(H ? H : 1, sizeof *r->events);
  r->event_vcov = attrib__calloc(H * H + 1, sizeof *r->event_vcov);
  if (!r->events || !r->event_vcov) return imp_oom(err);
  r->n_events = H;
  double V[2] = {0, 0}; /* overall variance, dynamic mean's variance */
  for (size_t a = 0; a < M; a++)
    for (size_t b = 0; b < M; b++) {
      double cv = 0.0;
      for (size_t g = 0; g < G; g++) cv += score[a * G + g] * score[b * G + g];
      if (a < H && b < H) r->event_vcov[a * H + b] = cv, V[1] += cv;
      if (a == H && b == H) V[0] = cv;
    }
  double dyn = 0.0;
  for (size_t a = 0; a < H; a++) {
    attrib_did_event *ev = &r->events[a];
    ev->event_time = f->hz[a];
    ev->att = est[a];
    ev->std_error = sqrt(r->event_vcov[a * H + a]);
    ev->ci_low = ev->att - z * ev->std_error;
    ev->ci_high = ev->att + z * ev->std_error;
    dyn += est[a];
  }
  r->effect.estimate = est[H];
  r->effect.std_error = sqrt(V[0]);
  r->dynamic_overall = dyn / (double)H;
  r->dynamic_overall_se = sqrt(V[1]) / (double)H;
  return ATTRIB_OK;
}

static void imp_fit_free(imp_fit *f) {
  attrib__free(f->ucode), attrib__free(f->tcode);
  imp_free(&f->m);
  attrib__free(f->phi), attrib__free(f->e0), attrib__free(f->tau), attrib__free(f->w), attrib__free(f->dem),
      attrib__free(f->u);
  attrib__free(f->acc), attrib__free(f->score), attrib__free(f->hz), attrib__free(f->cnt_h);
  attrib__free(f->used), attrib__free(f->keys);
  attrib__free(f->ebar), attrib__free(f->est);
}

attrib_status attrib__did_imputation(const attrib_table *t, const attrib_did_options *o, const did_rows *p,
                                     attrib_did_result *r, attrib_error *err) {
  size_t c;
  attrib_status s = attrib_table_column_require(t, o->outcome, "outcome", &c, err);
  if (s) return s;
  if (t->cols[c].type != ATTRIB_COLUMN_NUMERIC)
    return attrib__fail(err, ATTRIB_ETYPE, "outcome column '%s' must be numeric; it holds text (line %zu: '%s')",
                        o->outcome, t->cols[c].first_text_line, t->cols[c].first_text ? t->cols[c].first_text : "");
  if (p->cluster && p->G < 2)
    return attrib__fail(err, ATTRIB_EDESIGN, "one cluster in '%s': clustered inference needs at least two", o->cluster);
  imp_fit f = {.p = p, .y = t->cols[c].values, .N = p->n_units, .G = p->cluster ? p->G : p->n_units, .converged = 1};
  if ((s = imp_split_rows(&f, r, err))) goto done;
  /* first, while little else is allocated: its regression's peak memory is
   * then not added to the imputation's */
  if ((s = pretrend_test(t, o, p, f.y, &f.m, r, err))) goto done;
  if ((s = imp_step1(&f, err))) goto done;
  if ((s = imp_step2(&f, r, err))) goto done;
  if ((s = imp_estimands(&f, err))) goto done;
  for (size_t a = 0; a < f.M; a++) {
    imp_treated_weights(&f, a);
    if ((s = imp_untreated_weights(&f, err))) goto done;
    imp_leaveout_residuals(&f, a);
    imp_scores(&f, a);
  }
  attrib__free(f.ebar), f.ebar = NULL;
  if (!f.converged &&
      attrib__did_note(r, "absorbing the unit and period effects of the untreated observations did not converge: the "
                          "estimates may be inexact")) {
    s = imp_oom(err);
    goto done;
  }
  if (f.n_fallback &&
      attrib__did_note(r, "%zu treated observations are the only cluster of their cohort and period: the leave-out "
                          "mean of their cell is undefined, and their variance residual uses the cell's own mean",
                       f.n_fallback)) {
    s = imp_oom(err);
    goto done;
  }
  if ((s = imp_results(&f, o, r, err))) goto done;
  attrib__free(f.est), f.est = NULL;
  s = attrib__did_recount_cohorts(p, f.used, r, err);
  /* cohorts treated in the first period: counted as CS does, and reported above */
  r->n_dropped_first = f.units_no_unit;
done:
  imp_fit_free(&f);
  return s;
}
