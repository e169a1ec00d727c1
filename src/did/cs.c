/*
 * Callaway & Sant'Anna (2021, J. Econometrics 225(2)) group-time average
 * treatment effects without covariates, their aggregations and inference
 * from influence functions, as R's did package computes them (att_gt +
 * aggte; docs/methods/did.md).
 *
 * ATT(g,t) = mean over cohort g of (Y_t - Y_b) - the same over the
 * comparison units, b = the last period before g - anticipation (post
 * cells, and every cell with a universal base), or t - 1 (pre cells with
 * the varying base). Comparison units: never treated, or (not-yet) also
 * those first treated after max(t, b) + anticipation, excluding g itself.
 *
 * Influence functions are per unit, scaled so that est - truth ~ (1/n) sum
 * psi_i: psi_i = n/n_g 1[i in g] (dY_i - mean_g) - n/n_c 1[i in C] (dY_i -
 * mean_c). SE = sqrt(sum psi^2) / n, or with clusters the sums within
 * clusters. Aggregations theta = sum_k w_k ATT_k with w_k = pg_k / sum pg
 * carry the estimation of the cohort shares pg (did's wif, CS 2021 sec. 4);
 * the group and calendar overall figures, the event-time windows (min_e,
 * max_e, balance_e) and the window difference follow did 2.5.1's aggte.
 * With did.unbalanced_panel the cells are the repeated-cross-section form
 * over the units observed in their two periods (cs_cell_rc).
 */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "did/did_internal.h"
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "regression/regression_internal.h"
#include "matching/matching_internal.h"

/* ---- columns of influence values: psi (n x K, column-major) ------------ */

typedef struct ifmat {
  size_t n, K, cap;
  double *psi;
  double *est;
} ifmat;

static int if_add(ifmat *m, double est, double **col) {
  if (m->K == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 16;
    double *p = attrib__realloc(m->psi, m->n * cap, sizeof *p);
    if (!p) return -1;
    m->psi = p;
    double *e = attrib__realloc(m->est, cap, sizeof *e);
    if (!e) return -1;
    m->est = e;
    m->cap = cap;
  }
  *col = m->psi + m->n * m->K;
  memset(*col, 0, m->n * sizeof **col);
  m->est[m->K++] = est;
  return 0;
}

/* sum over clusters of (sum of psi within)^2, / n^2 */
static double if_var(const double *psi, size_t n, const int32_t *cl, size_t G, double *scratch) {
  long double s = 0;
  if (!cl) {
    for (size_t i = 0; i < n; i++) s += (long double)psi[i] * psi[i];
  } else {
    memset(scratch, 0, G * sizeof *scratch);
    for (size_t i = 0; i < n; i++) scratch[cl[i]] += psi[i];
    for (size_t g = 0; g < G; g++) s += (long double)scratch[g] * scratch[g];
  }
  return (double)s / ((double)n * (double)n);
}

/* cov of two influence columns: sum over clusters of the products of
 * their within-cluster sums, / n^2 */
static int if_cov(const double *pa, const double *pb, size_t n, const int32_t *cl, size_t G, double *out) {
  long double v = 0;
  if (!cl) {
    for (size_t i = 0; i < n; i++) v += (long double)pa[i] * pb[i];
  } else {
    double *sa = attrib__calloc(2 * G, sizeof *sa);
    if (!sa) return -1;
    for (size_t i = 0; i < n; i++) sa[cl[i]] += pa[i], sa[G + cl[i]] += pb[i];
    for (size_t g = 0; g < G; g++) v += (long double)sa[g] * sa[G + g];
    attrib__free(sa);
  }
  *out = (double)v / ((double)n * (double)n);
  return 0;
}

/* ---- the multiplier bootstrap: R = Xi Psi / n in unit blocks ------------ */

/* The multiplier of replicate b for cluster (or unit) i, from the one
 * source of randomness (core/rng.h): stream (seed, ATTRIB__RNG_MULTIPLIER,
 * b), so any replicate or block can be drawn by any thread in any order and
 * the draws never depend on it. Rademacher: bit i % 64 of draw i / 64 (one
 * draw gives 64 units' signs); the others: draw i. sb is the stream's key. */
static double multiplier(uint64_t sb, size_t i, attrib_boot_weights kind) {
  if (kind == ATTRIB_BOOT_RADEMACHER) {
    uint64_t h = attrib__rng_bits(sb, (uint64_t)(i >> 6));
    return (h >> (i & 63)) & 1 ? 1.0 : -1.0;
  }
  double u = attrib__rng_unit(attrib__rng_bits(sb, (uint64_t)i));
  if (kind == ATTRIB_BOOT_WEBB) { /* six points with probability 1/6 (Webb 2014) */
    static const double v[6] = {-1.2247448713915890, -1.0, -0.70710678118654752, 0.70710678118654752, 1.0,
                                1.2247448713915890};
    size_t q = (size_t)(u * 6.0);
    return v[q < 6 ? q : 5];
  }
  const double s5 = 2.2360679774997897; /* Mammen (1993): mean 0, variance 1, third moment 1 */
  return u < (s5 + 1.0) / (2.0 * s5) ? -(s5 - 1.0) / 2.0 : (s5 + 1.0) / 2.0;
}

typedef struct boot_job {
  const double *psi; /* G x K (cluster sums) */
  size_t G, K, B, chunk;
  uint64_t seed;
  attrib_boot_weights kind;
  double *part; /* per chunk: B x K */
} boot_job;

static void boot_chunk(void *ctx, size_t c, size_t thread) {
  (void)thread;
  boot_job *j = ctx;
  size_t lo = c * j->chunk, hi = lo + j->chunk < j->G ? lo + j->chunk : j->G;
  const size_t NB = 256;
  double *xi = attrib__malloc(j->B, NB * sizeof *xi);
  double *out = j->part + c * j->B * j->K;
  memset(out, 0, j->B * j->K * sizeof *out);
  if (!xi) { /* reported by the caller through a NaN */
    out[0] = NAN;
    return;
  }
  for (size_t g0 = lo; g0 < hi; g0 += NB) {
    size_t m = hi - g0 < NB ? hi - g0 : NB;
    for (size_t b = 0; b < j->B; b++) {
      uint64_t sb = attrib__rng_key(j->seed, ATTRIB__RNG_MULTIPLIER, b);
      for (size_t q = 0; q < m; q++) xi[q * j->B + b] = multiplier(sb, g0 + q, j->kind);
    }
    /* out (B x K) += Xi (B x m) * Psi[g0 .. g0 + m) (m x K) */
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)j->B, (int)j->K, (int)m, 1.0, xi, (int)j->B,
                j->psi + g0, (int)j->G, 1.0, out, (int)j->B);
  }
  attrib__free(xi);
}

/* Bootstrap SEs (did's: IQR / (z_.75 - z_.25)) for every column and, for
 * each of the nu column ranges [u[2j], u[2j+1]) (the event study, the
 * by-cohort and the by-period effects), the uniform (sup-t) critical value
 * crit[j] (NaN for an empty range). */
static attrib_status multiplier_bootstrap(const ifmat *m, const int32_t *cl, size_t G, size_t B, unsigned long seed,
                                          attrib_boot_weights kind, size_t threads, double level, const size_t *u,
                                          size_t nu, double *se, double *crit, size_t keep_col, double *keep,
                                          attrib_error *err) {
  size_t n = m->n, K = m->K;
  double *sums = NULL, *part = NULL, *R = NULL, *col = NULL, *mx = NULL;
  attrib_status s = ATTRIB_OK;
  const double *psi = m->psi;
  size_t Gn = cl ? G : n;
  if (cl) {
    if (!(sums = attrib__calloc(G * K, sizeof *sums))) goto oom;
    for (size_t k = 0; k < K; k++)
      for (size_t i = 0; i < n; i++) sums[k * G + cl[i]] += m->psi[k * n + i];
    psi = sums;
  }
  size_t chunk = (Gn + 15) / 16;
  if (chunk < 1024) chunk = 1024;
  size_t C = (Gn + chunk - 1) / chunk;
  if (!(part = attrib__malloc(C, B * K * sizeof *part)) || !(R = attrib__calloc(B, K * sizeof *R)) ||
      !(col = attrib__malloc(B, sizeof *col)) || !(mx = attrib__malloc(B, sizeof *mx)))
    goto oom;
  boot_job job = {psi, Gn, K, B, chunk, (uint64_t)seed, kind, part};
  attrib__parallel_chunks(C, attrib__threads(threads, C), boot_chunk, &job);
  for (size_t c = 0; c < C; c++) { /* merge in chunk order: the same sums for any thread count */
    if (isnan(part[c * B * K])) goto oom;
    for (size_t q = 0; q < B * K; q++) R[q] += part[c * B * K + q];
  }
  for (size_t q = 0; q < B * K; q++) R[q] /= (double)n;
  if (keep) memcpy(keep, R + keep_col * B, B * sizeof *keep);
  double zr = gsl_cdf_ugaussian_Pinv(0.75) - gsl_cdf_ugaussian_Pinv(0.25);
  for (size_t k = 0; k < K; k++) {
    memcpy(col, R + k * B, B * sizeof *col);
    qsort(col, B, sizeof *col, attrib__cmp_double);
    se[k] = (attrib__quantile7(col, B, 0.75) - attrib__quantile7(col, B, 0.25)) / zr;
  }
  for (size_t j = 0; j < nu; j++) {
    size_t u0 = u[2 * j], u1 = u[2 * j + 1];
    crit[j] = NAN;
    if (u1 <= u0) continue;
    for (size_t b = 0; b < B; b++) {
      double v = 0.0;
      for (size_t k = u0; k < u1; k++)
        if (se[k] > 0.0) v = fmax(v, fabs(R[k * B + b]) / se[k]);
      mx[b] = v;
    }
    qsort(mx, B, sizeof *mx, attrib__cmp_double);
    crit[j] = attrib__quantile7(mx, B, level);
  }
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory in the bootstrap");
done:
  attrib__free(sums);
  attrib__free(part);
  attrib__free(R);
  attrib__free(col);
  attrib__free(mx);
  return s;
}

/* ---- aggregation --------------------------------------------------------- */

/* theta = sum_a w_a att[a], w_a = pgv[a] / sum pgv, over nk estimates with
 * influence columns cols[a] and cohorts grp[a]; its influence column (did's
 * get_agg_inf_func with wif: CS 2021 sec. 4, the estimation of the cohort
 * shares pgv = mean 1[G = grp]). */
static int aggregate_cols(ifmat *m, const did_panel *P, const size_t *cols, const double *att, const double *grp,
                          const double *pgv, size_t nk, double *theta_out, size_t *col_out) {
  double S = 0.0, theta = 0.0;
  for (size_t a = 0; a < nk; a++) S += pgv[a];
  for (size_t a = 0; a < nk; a++) theta += pgv[a] / S * att[a];
  double *col;
  if (if_add(m, theta, &col)) return -1;
  size_t n = m->n;
  for (size_t a = 0; a < nk; a++) {
    const double *psi = m->psi + cols[a] * n, w = pgv[a] / S;
    for (size_t i = 0; i < n; i++) col[i] += w * psi[i];
  }
  /* weights: w_a = pg_a / S with pg_a = mean 1[G = g_a]; the IF of w_a is
   * (1[G_i = g_a] - pg_a) / S - pg_a / S^2 sum_b (1[G_i = g_b] - pg_b) */
  double sum_att_pg = 0.0;
  for (size_t a = 0; a < nk; a++) sum_att_pg += att[a] * pgv[a];
  for (size_t i = 0; i < n; i++) {
    double t1 = 0.0, sdev = 0.0;
    double gi = P->unit_group[i] >= 0 ? P->groups[P->unit_group[i]] : NAN;
    for (size_t a = 0; a < nk; a++) {
      double ind = gi == grp[a] ? 1.0 : 0.0;
      t1 += att[a] * (ind - pgv[a]) / S;
      sdev += ind - pgv[a];
    }
    col[i] += t1 - sdev * sum_att_pg / (S * S);
  }
  *theta_out = theta;
  *col_out = m->K - 1;
  return 0;
}

/* aggregate_cols over the cells keep[0 .. nk) (their columns are their
 * indices); scratch: 3 nk doubles */
static int aggregate(ifmat *m, const did_panel *P, const size_t *keep, size_t nk, const double *pg,
                     const attrib_did_cell *cells, double *scratch, double *theta_out, size_t *col_out) {
  double *att = scratch, *grp = scratch + nk, *pgv = scratch + 2 * nk;
  for (size_t a = 0; a < nk; a++) att[a] = cells[keep[a]].att, grp[a] = cells[keep[a]].group, pgv[a] = pg[keep[a]];
  return aggregate_cols(m, P, keep, att, grp, pgv, nk, theta_out, col_out);
}

/* A plain mean of nk estimates (weights fixed, no weight term); its
 * influence column the mean of theirs. */
static int mean_cols(ifmat *m, const size_t *cols, const double *est, size_t nk, double *theta_out, size_t *col_out) {
  double sum = 0.0, *col;
  for (size_t a = 0; a < nk; a++) sum += est[a];
  if (if_add(m, nk ? sum / (double)nk : NAN, &col)) return -1;
  for (size_t a = 0; a < nk; a++) {
    const double *src = m->psi + cols[a] * m->n;
    for (size_t i = 0; i < m->n; i++) col[i] += src[i] / (double)nk;
  }
  *theta_out = nk ? sum / (double)nk : NAN;
  *col_out = m->K - 1;
  return 0;
}

/* ---- the estimator ------------------------------------------------------- */

static double base_time(const did_panel *P, double g, size_t ant, size_t *bi) {
  /* the last period t with t + anticipation < g */
  size_t found = SIZE_MAX;
  for (size_t q = 0; q < P->nT; q++)
    if (P->times[q] + (double)ant < g) found = q;
  *bi = found;
  return found == SIZE_MAX ? NAN : P->times[found];
}

/* The working state of one estimate: the influence columns (one per
 * ATT(g,t) cell, then one per aggregation) and where each aggregation's
 * column sits among them. */
typedef struct cs_state {
  size_t n, ncell, nev;
  ifmat m;
  attrib_did_cell *cells; /* ATT(g,t), in (g, t) order */
  double *pg;             /* cohort share of each cell's group */
  size_t *keep;           /* scratch: the cells an aggregation averages */
  double *se;             /* per influence column */
  size_t col_simple, col_ev0, col_dyn, col_group_all, col_time_all, col_window;
  size_t *grp_cols, *time_cols;
  double *scratch;        /* 3 ncell doubles for aggregate */
} cs_state;

static attrib_status cs_oom(attrib_error *err) { return attrib__fail(err, ATTRIB_ENOMEM, "out of memory"); }

/* The unbalanced-panel cell (did's allow_unbalanced_panel = TRUE: the
 * repeated cross-section form, DRDID's reg_did_rc / drdid_rc, which
 * without covariates are the DiD of four means): ATT = (mean Y_t - mean Y_b
 * over cohort g's units observed in each period) - the same over the
 * comparison units. The influence function of a unit sums its rows':
 * n/n_dp (y - m_dp), + for (g, t) and (C, b), - for (g, b) and (C, t),
 * so the SE is clustered by unit (did sums the rows' by id). 1: a mean
 * has no unit (the cell is left out); -1: out of memory. */
static int cs_cell_rc(const did_panel *P, int notyet, double g, size_t ti, size_t b, double tmax, ifmat *mp,
                      double *att_out, size_t *n_treat, size_t *n_ctrl) {
  size_t n = P->n_units, cnt[2][2] = {{0, 0}, {0, 0}}, units[2] = {0, 0};
  long double sum[2][2] = {{0, 0}, {0, 0}};
  const double *Y[2] = {P->Y + b * n, P->Y + ti * n}; /* [post] */
  for (size_t i = 0; i < n; i++) {
    double c = P->unit_cohort[i];
    int d = c == g ? 1 : (c == 0.0 || (notyet && c > tmax)) ? 0 : -1, any = 0;
    if (d < 0) continue;
    for (int q = 0; q < 2; q++)
      if (!isnan(Y[q][i])) sum[d][q] += Y[q][i], cnt[d][q]++, any = 1;
    units[d] += (size_t)any;
  }
  double m[2][2];
  for (int d = 0; d < 2; d++)
    for (int q = 0; q < 2; q++) {
      if (!cnt[d][q]) return 1;
      m[d][q] = (double)(sum[d][q] / (long double)cnt[d][q]);
    }
  double att = (m[1][1] - m[1][0]) - (m[0][1] - m[0][0]), *col;
  if (if_add(mp, att, &col)) return -1;
  for (size_t i = 0; i < n; i++) {
    double c = P->unit_cohort[i];
    int d = c == g ? 1 : (c == 0.0 || (notyet && c > tmax)) ? 0 : -1;
    if (d < 0) continue;
    for (int q = 0; q < 2; q++)
      if (!isnan(Y[q][i])) col[i] += (d == q ? 1.0 : -1.0) * (double)n / (double)cnt[d][q] * (Y[q][i] - m[d][q]);
  }
  *att_out = att, *n_treat = units[1], *n_ctrl = units[0];
  return 0;
}

/* The unbalanced-panel cell with covariates: did's allow_unbalanced_panel
 * with a covariate formula calls DRDID::drdid_rc on the rows of the cohort
 * and its comparison units observed in the cell's two periods, each row
 * with its own covariates (dr_rc.c). A unit's influence value sums its
 * rows', scaled by n/N as for the four means (cs_cell_rc). 1: a cohort or
 * comparison mean has no row (the cell is left out); -1: out of memory;
 * -2: the cell cannot be estimated (why). */
static int cs_cell_rc_dr(const did_panel *P, int notyet, double g, size_t ti, size_t b, double tmax, ifmat *mp,
                         attrib__did_rc_work *rw, double *att_out, size_t *n_treat, size_t *n_ctrl, char *why,
                         size_t whylen) {
  size_t n = P->n_units, k = P->k, N = 0, cnt[2][2] = {{0, 0}, {0, 0}}, units[2] = {0, 0};
  const size_t per[2] = {b, ti};
  for (size_t i = 0; i < n; i++) {
    double c = P->unit_cohort[i];
    int d = c == g ? 1 : (c == 0.0 || (notyet && c > tmax)) ? 0 : -1, any = 0;
    if (d < 0) continue;
    for (int q = 0; q < 2; q++)
      if (!isnan(P->Y[per[q] * n + i])) cnt[d][q]++, any = 1, N++;
    units[d] += (size_t)any;
  }
  for (int d = 0; d < 2; d++)
    for (int q = 0; q < 2; q++)
      if (!cnt[d][q]) return 1;
  /* the rows, in unit then period order; X with row stride N */
  size_t r = 0;
  for (size_t i = 0; i < n; i++) {
    double c = P->unit_cohort[i];
    int d = c == g ? 1 : (c == 0.0 || (notyet && c > tmax)) ? 0 : -1;
    if (d < 0) continue;
    for (int q = 0; q < 2; q++) {
      double yv = P->Y[per[q] * n + i];
      if (isnan(yv)) continue;
      rw->y[r] = yv, rw->D[r] = (unsigned char)d, rw->T[r] = (unsigned char)q, rw->unit[r] = i;
      for (size_t j = 0; j < k; j++) rw->X[j * N + r] = P->X[(per[q] * k + j) * n + i];
      r++;
    }
  }
  double att, *col;
  if (attrib__did_dr_rc(rw, N, &att, why, whylen)) return -2;
  if (if_add(mp, att, &col)) return -1;
  for (size_t q = 0; q < N; q++) col[rw->unit[q]] += (double)n / (double)N * rw->ifr[q];
  *att_out = att, *n_treat = units[1], *n_ctrl = units[0];
  return 0;
}

/* Step 1: every ATT(g,t) with its influence column (CS 2021 eq. 2.6 without
 * covariates; the doubly robust 2.7 with them), in cohort then period order,
 * and the cohort share pg of each cell for the aggregation weights. */
static attrib_status cs_group_time(const did_panel *P, const attrib_did_options *o, cs_state *st,
                                   attrib_did_result *r, attrib_error *err) {
  size_t n = P->n_units, nT = P->nT, ng = P->n_groups;
  ifmat *mp = &st->m;
  attrib_status s = ATTRIB_OK;
  double *dY = NULL;
  attrib_did_cell *cells = st->cells;
  double *pg = st->pg;
  size_t ncell = 0, ant = o->anticipation;
  attrib__dr_work drw;
  memset(&drw, 0, sizeof drw);
  attrib__did_rc_work rcw;
  memset(&rcw, 0, sizeof rcw);
  unsigned char *inset = NULL, *istreat = NULL;
  if (P->X && P->unbalanced && attrib__did_rc_work_init(&rcw, 2 * n, P->k)) goto oom;
  if (P->X && !P->unbalanced) {
    inset = attrib__malloc(n ? n : 1, 1), istreat = attrib__malloc(n ? n : 1, 1);
    if (attrib__dr_work_init(&drw, P->k) || !inset || !istreat) goto oom;
  }
  if (!(cells = st->cells = attrib__calloc(ng * nT + 1, sizeof *cells)) ||
      !(pg = st->pg = attrib__calloc(ng * nT + 1, sizeof *pg)) || !(dY = attrib__malloc(n ? n : 1, sizeof *dY)))
    goto oom;
  size_t skipped_noctrl = 0, skipped_unobserved = 0;
  for (size_t gi = 0; gi < ng; gi++) {
    double g = P->groups[gi];
    size_t bi;
    base_time(P, g, ant, &bi);
    if (bi == SIZE_MAX) continue; /* dropped earlier: no pre-period */
    for (size_t ti = 0; ti < nT; ti++) {
      double t = P->times[ti];
      /* as did's att_gt: a cell is post from g on; before g (anticipation
       * periods included) the varying base is the previous period, and the
       * universal one the last period before g - anticipation */
      int post = t >= g;
      size_t b = post || o->base_universal ? bi : ti - 1;
      if (!post && !o->base_universal && ti == 0) continue; /* no earlier period */
      if (ti == b) continue;                                  /* the universal base itself */
      double tmax = fmax(t, P->times[b]) + (double)ant;
      if (P->unbalanced) {
        double att;
        size_t u1, u0;
        char why[200];
        int rc = P->X ? cs_cell_rc_dr(P, o->control_notyet, g, ti, b, tmax, mp, &rcw, &att, &u1, &u0, why, sizeof why)
                      : cs_cell_rc(P, o->control_notyet, g, ti, b, tmax, mp, &att, &u1, &u0);
        if (rc == -2) {
          s = attrib__fail(err, ATTRIB_EDESIGN, "group %g, period %g: %s", g, t, why);
          goto done;
        }
        if (rc < 0) goto oom;
        if (rc > 0) {
          skipped_unobserved++;
          continue;
        }
        cells[ncell] = (attrib_did_cell){g, t, att, NAN, NAN, NAN, post, u1, u0};
        pg[ncell] = (double)P->group_units[gi] / (double)n;
        ncell++;
        continue;
      }
      /* cohort and comparison means of the long difference */
      long double s1 = 0, s0 = 0;
      size_t n1 = 0, n0 = 0;
      for (size_t i = 0; i < n; i++) {
        dY[i] = P->Y[ti * n + i] - P->Y[b * n + i];
        double c = P->unit_cohort[i];
        if (c == g) s1 += dY[i], n1++;
        else if (c == 0.0 || (o->control_notyet && c > tmax)) s0 += dY[i], n0++;
      }
      if (n0 == 0) {
        skipped_noctrl++;
        continue;
      }
      double m1 = (double)(s1 / n1), m0 = (double)(s0 / n0), att = m1 - m0;
      double *col;
      if (if_add(mp, att, &col)) goto oom;
      if (P->X) { /* doubly robust */
        for (size_t i = 0; i < n; i++) {
          double c = P->unit_cohort[i];
          inset[i] = c == g || c == 0.0 || (o->control_notyet && c > tmax);
          istreat[i] = c == g;
        }
        char why[160];
        /* covariates at the cell's earlier period (its base but for universal-base pre cells), as did */
        const double *Xb = P->X + (ti < b ? ti : b) * n * P->k;
        if (attrib__dr_att(Xb, n, dY, inset, istreat, &drw, &att, col, why, sizeof why)) {
          s = attrib__fail(err, ATTRIB_EDESIGN, "group %g, period %g: %s", g, t, why);
          goto done;
        }
        mp->est[mp->K - 1] = att;
      } else {
        for (size_t i = 0; i < n; i++) {
          double c = P->unit_cohort[i];
          if (c == g) col[i] = (double)n / (double)n1 * (dY[i] - m1);
          else if (c == 0.0 || (o->control_notyet && c > tmax)) col[i] = -(double)n / (double)n0 * (dY[i] - m0);
        }
      }
      cells[ncell] = (attrib_did_cell){g, t, att, NAN, NAN, NAN, post, n1, n0};
      pg[ncell] = (double)P->group_units[gi] / (double)n;
      ncell++;
    }
  }
  st->ncell = ncell;
  if (skipped_noctrl) {
    /* only without never-treated units (they compare in every cell): no
     * option can estimate these cells, so this note names no action */
    char msg[200];
    snprintf(msg, sizeof msg, "%zu group-time cells have no comparison units (no unit not yet treated) and are left out",
             skipped_noctrl);
    if (attrib__strlist_push(&r->warnings, &r->n_warnings, msg)) goto oom;
  }
  if (skipped_unobserved &&
      attrib__did_note(r, "%zu group-time cells have, in one of their two periods, no observed unit of the cohort or "
                          "of its comparison group (did.unbalanced_panel=1) and are left out", skipped_unobserved))
    goto oom;
  if (ncell == 0)
    s = attrib__fail(err, ATTRIB_EDESIGN, "no group-time effect can be estimated (no cohort has a pre-period and comparison units)");
  goto done;
oom:
  s = cs_oom(err);
done:
  attrib__dr_work_free(&drw);
  attrib__did_rc_work_free(&rcw);
  attrib__free(inset), attrib__free(istreat);
  attrib__free(dY);
  return s;
}

/* Whether cell k enters the event study: did's balance_e keeps the cohorts
 * observed at every event time 0 .. balance_e (g + balance_e <= the last
 * period), at event times from balance_e - (last - first period) to
 * balance_e; min_e and max_e bound the event times. */
static int cs_event_kept(const did_panel *P, const attrib_did_options *o, const attrib_did_cell *c) {
  double e = c->time - c->group, last = P->times[P->nT - 1], first = P->times[0];
  if (o->has_balance_e &&
      (last - c->group < o->balance_e || e > o->balance_e || e < o->balance_e - (last - first)))
    return 0;
  if (o->has_min_e && e < o->min_e) return 0;
  if (o->has_max_e && e > o->max_e) return 0;
  return 1;
}

/* Step 2b: the event study (dynamic aggregation) by event time e = t - g
 * within the window of cs_event_kept, and its overall effect: the mean of
 * theta(e) over the kept e >= 0, its IF the mean of theirs. */
static attrib_status cs_agg_dynamic(const did_panel *P, const attrib_did_options *o, cs_state *st, attrib_did_result *r,
                                    attrib_error *err) {
  ifmat *mp = &st->m;
  const attrib_did_cell *cells = st->cells;
  size_t ncell = st->ncell, *keep = st->keep, nk;
  double emin = INFINITY, emax = -INFINITY, theta;
  for (size_t k = 0; k < ncell; k++)
    if (cs_event_kept(P, o, &cells[k])) {
      double e = cells[k].time - cells[k].group;
      emin = fmin(emin, e), emax = fmax(emax, e);
    }
  if (!(emax >= emin))
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "no group-time effect falls in the event-time window (did.min_e, did.max_e, did.balance_e)");
  size_t ne = (size_t)(emax - emin) + 1, col_ev0 = mp->K;
  st->col_ev0 = col_ev0;
  r->events = attrib__calloc(ne, sizeof *r->events);
  size_t *ev_cols = attrib__malloc(ne, sizeof *ev_cols);
  double *ev_att = attrib__malloc(ne, sizeof *ev_att);
  size_t nev = 0, n_post_e = 0;
  if (!r->events || !ev_cols || !ev_att) goto oom;
  for (size_t q = 0; q < ne; q++) {
    double e = emin + (double)q;
    nk = 0;
    for (size_t k = 0; k < ncell; k++)
      if (cells[k].time - cells[k].group == e && cs_event_kept(P, o, &cells[k])) keep[nk++] = k;
    if (!nk) continue;
    size_t c;
    if (aggregate(mp, P, keep, nk, st->pg, cells, st->scratch, &theta, &c)) goto oom;
    r->events[nev++] = (attrib_did_event){e, theta, NAN, NAN, NAN, 0};
  }
  r->n_events = st->nev = nev;
  /* the post event times' columns and estimates, in order (contiguous from col_ev0) */
  for (size_t q = 0; q < nev; q++)
    if (r->events[q].event_time >= 0) ev_cols[n_post_e] = col_ev0 + q, ev_att[n_post_e++] = r->events[q].att;
  if (mean_cols(mp, ev_cols, ev_att, n_post_e, &theta, &st->col_dyn)) goto oom;
  attrib__free(ev_cols), attrib__free(ev_att);
  return ATTRIB_OK;
oom:
  attrib__free(ev_cols), attrib__free(ev_att);
  return cs_oom(err);
}

/* Step 2c: the post-window mean minus the pre-window mean of the event
 * study (bcallaway11/did#107, #192), its IF the difference of the means of
 * theirs. */
static attrib_status cs_agg_window(const attrib_did_options *o, cs_state *st, attrib_did_result *r, attrib_error *err) {
  size_t nev = st->nev, np[2] = {0, 0}, *cols = attrib__malloc(2 * (nev ? nev : 1), sizeof *cols);
  double *col, est = 0.0;
  if (!cols) return cs_oom(err);
  const double *we = o->window_diff_e;
  for (int side = 0; side < 2; side++)
    for (size_t q = 0; q < nev; q++) {
      double e = r->events[q].event_time;
      if (e >= we[2 * side] && e <= we[2 * side + 1]) cols[side * nev + np[side]++] = q;
    }
  for (int side = 0; side < 2; side++)
    if (!np[side]) {
      attrib__free(cols);
      return attrib__fail(err, ATTRIB_EDESIGN, "did.window_diff: the event study has no event time in the %s window %g .. %g",
                          side ? "post" : "pre", we[2 * side], we[2 * side + 1]);
    }
  for (size_t a = 0; a < np[0]; a++) est -= r->events[cols[a]].att / (double)np[0];
  for (size_t a = 0; a < np[1]; a++) est += r->events[cols[nev + a]].att / (double)np[1];
  if (if_add(&st->m, est, &col)) {
    attrib__free(cols);
    return cs_oom(err);
  }
  size_t n = st->n;
  for (int side = 0; side < 2; side++)
    for (size_t a = 0; a < np[side]; a++) {
      const double *src = st->m.psi + (st->col_ev0 + cols[side * nev + a]) * n, f = (side ? 1.0 : -1.0) / (double)np[side];
      for (size_t i = 0; i < n; i++) col[i] += f * src[i];
    }
  st->col_window = st->m.K - 1;
  r->has_window_diff = 1;
  memcpy(r->window_diff_e, we, sizeof r->window_diff_e);
  r->window_diff = (attrib_did_agg){NAN, est, NAN, NAN, NAN};
  attrib__free(cols);
  return ATTRIB_OK;
}

/* Step 2d: by cohort (theta(g) = the mean of ATT(g,t) over g <= t <= g +
 * max_e) and by calendar period (theta(t) = the cohort-share weighted mean
 * of the post cells of period t), each followed by its overall figure as
 * did's aggte: group = sum_g pg theta(g) / sum pg with the weight term;
 * calendar = the plain mean of theta(t). The per-key columns are contiguous
 * (the uniform bands bootstrap them as blocks). */
static attrib_status cs_agg_group_calendar(const did_panel *P, const attrib_did_options *o, cs_state *st,
                                           attrib_did_result *r, attrib_error *err) {
  size_t n = st->n, nT = P->nT, ng = P->n_groups, ncell = st->ncell, *keep = st->keep, nk;
  ifmat *mp = &st->m;
  const attrib_did_cell *cells = st->cells;
  double theta;
  r->by_group = attrib__calloc(ng ? ng : 1, sizeof *r->by_group);
  r->by_time = attrib__calloc(nT ? nT : 1, sizeof *r->by_time);
  size_t *grp_cols = st->grp_cols = attrib__malloc(ng ? ng : 1, sizeof *grp_cols),
         *time_cols = st->time_cols = attrib__malloc(nT ? nT : 1, sizeof *time_cols);
  double *est = attrib__malloc(ng + nT + 1, sizeof *est), *pgv = attrib__malloc(ng + 1, sizeof *pgv),
         *gkey = attrib__malloc(ng + 1, sizeof *gkey);
  if (!r->by_group || !r->by_time || !grp_cols || !time_cols || !est || !pgv || !gkey) goto oom;
  for (size_t gi = 0; gi < ng; gi++) {
    nk = 0;
    for (size_t k = 0; k < ncell; k++)
      if (cells[k].group == P->groups[gi] && cells[k].time >= cells[k].group &&
          !(o->has_max_e && cells[k].time - cells[k].group > o->max_e))
        keep[nk++] = k;
    if (!nk) continue;
    for (size_t a = 0; a < nk; a++) est[a] = cells[keep[a]].att;
    if (mean_cols(mp, keep, est, nk, &theta, &grp_cols[r->n_by_group])) goto oom;
    r->by_group[r->n_by_group++] = (attrib_did_agg){P->groups[gi], theta, NAN, NAN, NAN};
  }
  for (size_t ti = 0; ti < nT; ti++) {
    nk = 0;
    for (size_t k = 0; k < ncell; k++)
      if (cells[k].time == P->times[ti] && cells[k].time >= cells[k].group) keep[nk++] = k;
    if (!nk) continue;
    if (aggregate(mp, P, keep, nk, st->pg, cells, st->scratch, &theta, &time_cols[r->n_by_time])) goto oom;
    r->by_time[r->n_by_time++] = (attrib_did_agg){P->times[ti], theta, NAN, NAN, NAN};
  }
  for (size_t q = 0; q < r->n_by_group; q++) {
    size_t gi = 0;
    while (P->groups[gi] != r->by_group[q].key) gi++;
    est[q] = r->by_group[q].att, gkey[q] = r->by_group[q].key, pgv[q] = (double)P->group_units[gi] / (double)n;
  }
  if (aggregate_cols(mp, P, grp_cols, est, gkey, pgv, r->n_by_group, &theta, &st->col_group_all)) goto oom;
  for (size_t q = 0; q < r->n_by_time; q++) est[q] = r->by_time[q].att;
  if (mean_cols(mp, time_cols, est, r->n_by_time, &theta, &st->col_time_all)) goto oom;
  attrib__free(est), attrib__free(pgv), attrib__free(gkey);
  return ATTRIB_OK;
oom:
  attrib__free(est), attrib__free(pgv), attrib__free(gkey);
  return cs_oom(err);
}

/* Step 2: the aggregations of the cells (CS 2021 sec. 3, did's aggte):
 * simple (overall, over the post cells), dynamic (by event time), the
 * window difference, group (by cohort) and calendar (by period), each with
 * an influence column appended to st->m. */
static attrib_status cs_aggregations(const did_panel *P, const attrib_did_options *o, cs_state *st,
                                     attrib_did_result *r, attrib_error *err) {
  size_t nk = 0;
  double theta;
  /* as did's aggte, max_e also bounds the simple aggregation (t <= g + max_e) */
  for (size_t k = 0; k < st->ncell; k++)
    if (st->cells[k].post && !(o->has_max_e && st->cells[k].time - st->cells[k].group > o->max_e)) st->keep[nk++] = k;
  if (nk == 0)
    return attrib__fail(err, ATTRIB_EDESIGN, o->has_max_e ? "no post-treatment cell at event times up to did.max_e"
                                                          : "no post-treatment cell: every cohort is treated after the last period");
  if (aggregate(&st->m, P, st->keep, nk, st->pg, st->cells, st->scratch, &theta, &st->col_simple)) return cs_oom(err);
  r->effect.estimate = theta;
  attrib_status s;
  if ((s = cs_agg_dynamic(P, o, st, r, err))) return s;
  if (o->has_window_diff && (s = cs_agg_window(o, st, r, err))) return s;
  return cs_agg_group_calendar(P, o, st, r, err);
}

/* Step 3b: the multiplier bootstrap (CS 2021 sec. 4.1, did's mboot): SEs of
 * every column, the uniform critical value of the event-study band, and
 * the overall effect's bootstrap summary in r->boot. */
static attrib_status cs_bootstrap(const did_panel *P, const attrib_did_options *o, cs_state *st, attrib_did_result *r,
                                  attrib_error *err) {
  size_t n = st->n, col_simple = st->col_simple;
  double *se = st->se;
  attrib_status s;
  double cu[3] = {NAN, NAN, NAN}; /* set by multiplier_bootstrap; the NaN quiets -Wmaybe-uninitialized */
  size_t B = o->bootstrap;
  /* the uniform bands: event study, by cohort, by period (each contiguous) */
  size_t ranges[6] = {st->col_ev0, st->col_ev0 + st->nev, 0, 0, 0, 0};
  if (r->n_by_group) ranges[2] = st->grp_cols[0], ranges[3] = st->grp_cols[0] + r->n_by_group;
  if (r->n_by_time) ranges[4] = st->time_cols[0], ranges[5] = st->time_cols[0] + r->n_by_time;
  double *draws = attrib__malloc(B, sizeof *draws);
  r->boot = attrib__calloc(1, sizeof *r->boot);
  if (!draws || !r->boot) {
    attrib__free(draws);
    return cs_oom(err);
  }
  if ((s = multiplier_bootstrap(&st->m, P->cluster, P->G, B, o->seed, o->boot_weights, o->threads, o->level, ranges, 3,
                                se, cu, col_simple, draws, err))) {
    attrib__free(draws);
    return s;
  }
  r->crit_uniform = cu[0];
  r->has_uniform = isfinite(cu[0]);
  r->crit_uniform_group = cu[1], r->crit_uniform_time = cu[2];
  r->se_method = o->boot_weights == ATTRIB_BOOT_RADEMACHER ? "multiplier bootstrap (Rademacher), influence functions"
                 : o->boot_weights == ATTRIB_BOOT_WEBB     ? "multiplier bootstrap (Webb), influence functions"
                                                           : "multiplier bootstrap (Mammen), influence functions";
  /* the overall effect's summary: draws theta + R_b; SE as did (IQR) */
  attrib_boot_result *bt = r->boot;
  double th = st->m.est[col_simple], sb = se[col_simple], zz = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * o->level);
  bt->replicates = B, bt->type = ATTRIB_BOOT_MULTIPLIER, bt->weights = o->boot_weights, bt->ci = o->boot_ci;
  bt->estimate = th, bt->std_error = sb, bt->level = o->level, bt->n_clusters = P->cluster ? P->G : n;
  bt->inv_low = bt->inv_high = NAN;
  size_t extreme = 0;
  for (size_t b = 0; b < B; b++) extreme += fabs(draws[b]) >= fabs(th);
  for (size_t b = 0; b < B; b++) draws[b] += th;
  if (o->boot_ci == ATTRIB_CI_NORMAL) {
    bt->ci_low = th - zz * sb, bt->ci_high = th + zz * sb;
    bt->p_value = 2.0 * gsl_cdf_ugaussian_Q(fabs(th / sb));
    bt->p_value_method = "normal with the bootstrap SE";
  } else {
    double *sorted = attrib__malloc(B, sizeof *sorted);
    if (!sorted) {
      attrib__free(draws);
      return cs_oom(err);
    }
    memcpy(sorted, draws, B * sizeof *sorted);
    qsort(sorted, B, sizeof *sorted, attrib__cmp_double);
    double lo = attrib__quantile7(sorted, B, 0.5 - 0.5 * o->level), hi = attrib__quantile7(sorted, B, 0.5 + 0.5 * o->level);
    bt->ci_low = o->boot_ci == ATTRIB_CI_BASIC ? 2.0 * th - hi : lo;
    bt->ci_high = o->boot_ci == ATTRIB_CI_BASIC ? 2.0 * th - lo : hi;
    /* no replicate as extreme: below 1/(B+1), not 0 */
    bt->p_value_bound = extreme == 0;
    bt->p_value = extreme ? (double)extreme / (double)B : 1.0 / ((double)B + 1.0);
    bt->p_value_method = "share of |theta* - theta| >= |theta| (recentred, symmetric)";
    attrib__free(sorted);
  }
  if (o->keep_draws) bt->draws = draws, bt->n_draws = B;
  else attrib__free(draws);
  return ATTRIB_OK;
}

/* Step 3: standard errors (analytic from the influence functions, or the
 * multiplier bootstrap) and the pointwise bands of every cell and
 * aggregation; the event-study band is uniform when bootstrapped. */
static attrib_status cs_standard_errors(const did_panel *P, const attrib_did_options *o, cs_state *st,
                                        attrib_did_result *r, attrib_error *err) {
  size_t n = st->n, nev = st->nev;
  attrib_did_cell *cells = st->cells;
  /* standard errors: analytic, or the multiplier bootstrap */
  double *se = st->se = attrib__malloc(st->m.K, sizeof *se);
  if (!se) return cs_oom(err);
  double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * o->level), crit = z;
  r->crit_uniform = r->crit_uniform_group = r->crit_uniform_time = NAN;
  if (o->bootstrap) {
    attrib_status s = cs_bootstrap(P, o, st, r, err);
    if (s) return s;
  } else {
    double *scratch = attrib__malloc(P->G ? P->G : 1, sizeof *scratch);
    if (!scratch) return cs_oom(err);
    for (size_t k = 0; k < st->m.K; k++) se[k] = sqrt(if_var(st->m.psi + k * n, n, P->cluster, P->G, scratch));
    attrib__free(scratch);
    r->se_method = "influence functions (analytic)";
  }
  r->bootstrap = o->bootstrap;
  for (size_t k = 0; k < st->ncell; k++) {
    cells[k].std_error = se[k];
    cells[k].ci_low = cells[k].att - crit * se[k];
    cells[k].ci_high = cells[k].att + crit * se[k];
  }
  double cu = r->has_uniform ? r->crit_uniform : crit; /* event-study bands: uniform when bootstrapped */
  for (size_t q = 0; q < nev; q++) {
    attrib_did_event *e = &r->events[q];
    e->std_error = se[st->col_ev0 + q];
    e->ci_low = e->att - cu * e->std_error;
    e->ci_high = e->att + cu * e->std_error;
  }
  for (size_t q = 0; q < r->n_by_group; q++) r->by_group[q].std_error = se[st->grp_cols[q]];
  for (size_t q = 0; q < r->n_by_time; q++) r->by_time[q].std_error = se[st->time_cols[q]];
  /* by cohort and by period: uniform bands when bootstrapped (did's cband) */
  double cg = isfinite(r->crit_uniform_group) ? r->crit_uniform_group : crit;
  double ct = isfinite(r->crit_uniform_time) ? r->crit_uniform_time : crit;
  for (size_t q = 0; q < r->n_by_group; q++) {
    attrib_did_agg *a = &r->by_group[q];
    a->ci_low = a->att - cg * a->std_error, a->ci_high = a->att + cg * a->std_error;
  }
  for (size_t q = 0; q < r->n_by_time; q++) {
    attrib_did_agg *a = &r->by_time[q];
    a->ci_low = a->att - ct * a->std_error, a->ci_high = a->att + ct * a->std_error;
  }
  /* the overall figures: pointwise (as did's), with the bootstrap SE when bootstrapped */
  attrib_did_agg *all[3] = {&r->group_overall, &r->calendar_overall, &r->window_diff};
  size_t all_cols[3] = {st->col_group_all, st->col_time_all, st->col_window};
  for (int j = 0; j < 3; j++) {
    if (j == 2 && !r->has_window_diff) continue;
    double est = st->m.est[all_cols[j]], sj = se[all_cols[j]];
    *all[j] = (attrib_did_agg){NAN, est, sj, est - crit * sj, est + crit * sj};
  }
  r->effect.std_error = se[st->col_simple];
  r->dynamic_overall = st->m.est[st->col_dyn];
  r->dynamic_overall_se = isnan(r->dynamic_overall) ? NAN : se[st->col_dyn];
  return ATTRIB_OK;
}

/* Step 4: the event-study covariance (for --vcov-out) and the pre-trend
 * Wald test over the pre-period cells, both V = Psi'Psi / n^2 (clustered:
 * of the cluster sums). */
static attrib_status cs_event_vcov_pretest(const did_panel *P, size_t ant, cs_state *st, attrib_did_result *r,
                                           attrib_error *err) {
  size_t n = st->n, nev = st->nev, ncell = st->ncell, col_ev0 = st->col_ev0;
  const ifmat m = st->m;
  const attrib_did_cell *cells = st->cells;
  /* the event-study covariance (for --vcov-out): Psi'Psi / n^2 over the
   * event columns (clustered: of the cluster sums) */
  if (!(r->event_vcov = attrib__malloc(nev > 0 ? nev * nev : 1, sizeof *r->event_vcov))) return cs_oom(err);
  for (size_t a = 0; a < nev; a++)
    for (size_t b = 0; b <= a; b++) {
      double v;
      if (if_cov(m.psi + (col_ev0 + a) * n, m.psi + (col_ev0 + b) * n, n, P->cluster, P->G, &v)) return cs_oom(err);
      r->event_vcov[a * nev + b] = r->event_vcov[b * nev + a] = v;
    }
  /* pre-trend test: Wald over the pre-period cells, V = Psi'Psi / n^2 */
  {
    size_t q = 0;
    /* cells before g - anticipation (the anticipation periods may carry effects by assumption) */
    for (size_t k = 0; k < ncell; k++) q += cells[k].time + (double)ant < cells[k].group;
    r->pretest_kind = "wald chi2 over pre-period ATT(g,t)";
    r->pretest_stat = r->pretest_df = r->pretest_p = r->pretest_df2 = NAN;
    if (q > 0) {
      double *V = attrib__calloc(q * q, sizeof *V), *b = attrib__malloc(q, sizeof *b);
      size_t *idx = attrib__malloc(q, sizeof *idx);
      if (!V || !b || !idx) {
        attrib__free(V), attrib__free(b), attrib__free(idx);
        return cs_oom(err);
      }
      size_t a = 0;
      for (size_t k = 0; k < ncell; k++)
        if (cells[k].time + (double)ant < cells[k].group) idx[a++] = k;
      for (size_t u = 0; u < q; u++)
        for (size_t w = 0; w <= u; w++) {
          double v = 0.0;
          if (if_cov(m.psi + idx[u] * n, m.psi + idx[w] * n, n, P->cluster, P->G, &v)) v = NAN;
          V[u * q + w] = V[w * q + u] = v;
        }
      for (size_t u = 0; u < q; u++) b[u] = cells[idx[u]].att;
      double *bb = attrib__malloc(q, sizeof *bb);
      if (bb) memcpy(bb, b, q * sizeof *bb);
      if (bb && LAPACKE_dposv(LAPACK_COL_MAJOR, 'U', (lapack_int)q, 1, V, (lapack_int)q, bb, (lapack_int)q) == 0) {
        double W = 0.0;
        for (size_t u = 0; u < q; u++) W += b[u] * bb[u];
        r->pretest_stat = W;
        r->pretest_df = (double)q;
        r->pretest_p = gsl_cdf_chisq_Q(W, (double)q);
      } else if (attrib__strlist_push(&r->warnings, &r->n_warnings,
                                      "the pre-period effects' covariance is singular: no pre-trend test")) {
        attrib__free(V), attrib__free(b), attrib__free(idx), attrib__free(bb);
        return cs_oom(err);
      }
      attrib__free(V), attrib__free(b), attrib__free(idx), attrib__free(bb);
    }
  }
  return ATTRIB_OK;
}

attrib_status attrib__did_cs(const did_panel *P, const attrib_did_options *o, attrib_did_result *r,
                             attrib_error *err) {
  cs_state st = {.n = P->n_units, .m = {P->n_units, 0, 0, NULL, NULL}};
  attrib_status s;
  if ((s = cs_group_time(P, o, &st, r, err))) goto done;
  if (!(st.keep = attrib__malloc(st.ncell, sizeof *st.keep)) || !(st.scratch = attrib__malloc(3 * st.ncell, sizeof *st.scratch))) {
    s = cs_oom(err);
    goto done;
  }
  if ((s = cs_aggregations(P, o, &st, r, err)) || (s = cs_standard_errors(P, o, &st, r, err)) ||
      (s = cs_event_vcov_pretest(P, o->anticipation, &st, r, err)))
    goto done;
  r->cells = st.cells;
  r->n_cells = st.ncell;
  st.cells = NULL;
done:
  attrib__free(st.grp_cols), attrib__free(st.time_cols);
  attrib__free(st.cells);
  attrib__free(st.pg);
  attrib__free(st.se);
  attrib__free(st.keep);
  attrib__free(st.scratch);
  attrib__free(st.m.psi);
  attrib__free(st.m.est);
  return s;
}
