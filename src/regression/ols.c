/*
 * attrib_ols_fit: least squares with absorbed fixed effects and sandwich
 * standard errors (docs/methods/ols.md). The steps:
 *   1. with fixed effects, drop singleton rows (repeatedly, as reghdfe:
 *      Correia 2015, "Singletons, cluster-robust standard errors and fixed
 *      effects"), copy the used columns and demean them (fe_demean.c);
 *   2. solve (ls_solve.c), name the aliased columns;
 *   3. residuals, degrees of freedom: n - rank - absorbed levels;
 *   4. the covariance of the chosen type (vcov.c), t or normal inference;
 *   5. fit statistics; warnings for fragile choices.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <lapacke.h>

#include <attrib/formula.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "data/data_internal.h"
#include "core/linalg.h"
#include "design/design_internal.h"
#include "regression/regression_internal.h"

void attrib_ols_options_init(attrib_ols_options *o) {
  memset(o, 0, sizeof *o);
  o->vcov = ATTRIB_VCOV_IID;
  o->level = 0.95;
  o->collinearity_tol = 1e-10;
  o->fe_tol = 1e-10;
  o->fe_max_iter = 10000;
  o->drop_singletons = 1;
}

attrib_status attrib_ols_check(const attrib_design *d, const attrib_ols_options *o, attrib_error *err) {
  if (!d || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_check: NULL argument");
  ATTRIB__TRY(attrib__check_level(o->level, "ols.level", err));
  if (!(o->collinearity_tol > 0.0 && o->collinearity_tol < 1.0))
    return attrib__fail(err, ATTRIB_EINVAL, "collinearity tolerance must be in (0, 1) (got %g)", o->collinearity_tol);
  if (!(o->fe_tol > 0.0) || o->fe_max_iter == 0)
    return attrib__fail(err, ATTRIB_EINVAL, "fixed-effect tolerance and iteration cap must be positive");
  ATTRIB__TRY(attrib__check_vcov_clusters(o->vcov, d->n_cluster, err));
  if ((o->vcov == ATTRIB_VCOV_HC2 || o->vcov == ATTRIB_VCOV_HC3) && d->n_fe > 1)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "vcov '%s' needs the leverage of the absorbed dummies, which has no closed form with "
                        "%zu fixed-effect dimensions: use hc1 or cluster",
                        attrib_vcov_type_name(o->vcov), d->n_fe);
  return ATTRIB_OK;
}

void attrib_ols_result_free(attrib_ols_result *r) {
  if (!r) return;
  attrib__free(r->response);
  attrib_by_result_free(r->by);
  attrib__coef_free(&r->coef);
  attrib__free(r->vcov);
  attrib__strlist_free(r->cluster_names, r->n_cluster_dims);
  attrib__free(r->n_clusters);
  for (size_t i = 0; r->fe_names && i < r->n_fe; i++) attrib__free(r->fe_names[i]);
  attrib__free(r->fe_names);
  attrib__free(r->fe_levels);
  attrib__strlist_free(r->aliased_names, r->n_aliased);
  attrib__strlist_free(r->warnings, r->n_warnings);
  attrib__free(r->effect.term);
  attrib__free(r->residuals);
  attrib__free(r->fitted);
  attrib__free(r);
}


/* Working copy of the data the fit uses (rows after singletons). */
typedef struct work {
  size_t n, k;
  double *X;          /* owned (demeaned) copy, or NULL when streaming the design's rows */
  attrib__xsrc src;   /* the rows the solver sees */
  double *y;          /* owned copy (demeaned with FE) or NULL */
  const double *yv;
  double *yraw;       /* the outcome before demeaning (owned copy when rows changed) */
  const double *yrawv;
  double *w;
  const double *wv;
  int32_t *fe_own[8]; /* recoded FE codes when rows were dropped (owned) */
  int32_t *cl_own[2]; /* recoded cluster codes (owned) */
  const int32_t *fe[8];
  size_t fe_levels[8];
  const int32_t *cl[2];
  size_t G[2];
} work;

/* Marks rows alone in a level of any fixed effect, repeatedly
 * (regression_internal.h: ols_by.c counts the groups' rows with it). */
attrib_status attrib__ols_drop_singletons(const attrib_design *d, unsigned char *keep, size_t *dropped,
                                     attrib_error *err) {
  size_t n = d->n;
  *dropped = 0;
  for (;;) {
    size_t now = 0;
    for (size_t e = 0; e < d->n_fe; e++) {
      const attrib_coding *c = &d->fe[e];
      uint32_t *cnt = attrib__calloc(c->n_levels ? c->n_levels : 1, sizeof *cnt);
      if (!cnt) return attrib__fail(err, ATTRIB_ENOMEM, "fixed effects: out of memory");
      for (size_t i = 0; i < n; i++)
        if (keep[i] && cnt[c->codes[i]] < 2) cnt[c->codes[i]]++;
      for (size_t i = 0; i < n; i++)
        if (keep[i] && cnt[c->codes[i]] == 1) keep[i] = 0, now++;
      attrib__free(cnt);
    }
    if (!now) break;
    *dropped += now;
  }
  return ATTRIB_OK;
}

/* Compacts codes over the kept rows: out codes 0..L'-1. */
static int recode(const int32_t *codes, size_t L, const unsigned char *keep, size_t n, int32_t *out,
                  size_t *Lout) {
  int32_t *map = attrib__malloc(L ? L : 1, sizeof *map);
  if (!map) return 0;
  for (size_t l = 0; l < L; l++) map[l] = -1;
  size_t m = 0, r = 0;
  for (size_t i = 0; i < n; i++)
    if (keep[i]) {
      if (map[codes[i]] < 0) map[codes[i]] = (int32_t)m++;
      out[r++] = map[codes[i]];
    }
  *Lout = m;
  attrib__free(map);
  return 1;
}

static void work_free(work *w) {
  attrib__free_large(w->X, w->n * (w->k ? w->k : 1) * sizeof(double));
  attrib__free(w->y);
  attrib__free(w->yraw);
  attrib__free(w->w);
  for (int i = 0; i < 8; i++) attrib__free(w->fe_own[i]);
  for (int i = 0; i < 2; i++) attrib__free(w->cl_own[i]);
  memset(w, 0, sizeof *w); /* idempotent: the caller's cleanup may run it again */
}

static attrib_status work_build(const attrib_design *d, size_t j0, const unsigned char *keep, size_t n,
                                work *w, attrib_error *err) {
  memset(w, 0, sizeof *w);
  double *blk = NULL;
  size_t k = d->k - j0, N = d->n;
  int subset = n != N, copy = subset || d->n_fe > 0;
  w->n = n;
  w->k = k;
  if (!copy) { /* j0 is 0 without fixed effects: the design's own rows */
    w->src = attrib__design_xsrc(d);
    w->yv = w->yrawv = d->y;
    w->wv = d->w;
    for (size_t c = 0; c < d->n_cluster && c < 2; c++) {
      w->cl[c] = d->cluster[c].codes;
      w->G[c] = d->cluster[c].n_levels;
    }
    return ATTRIB_OK;
  }
  w->X = attrib__alloc_large(n * (k ? k : 1) * sizeof(double));
  blk = attrib__malloc(ATTRIB__BLOCK_ROWS * (d->k ? d->k : 1), sizeof *blk);
  if (!blk) goto oom;
  w->y = attrib__malloc(n ? n : 1, sizeof *w->y);
  w->yraw = attrib__malloc(n ? n : 1, sizeof *w->yraw);
  if (d->w) w->w = attrib__malloc(n ? n : 1, sizeof *w->w);
  if (!w->X || !w->y || !w->yraw || (d->w && !w->w)) goto oom;
  for (size_t r0 = 0, r = 0; w->X && r0 < N; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = N - r0 < ATTRIB__BLOCK_ROWS ? N - r0 : ATTRIB__BLOCK_ROWS, r1 = r;
    attrib_design_fill_rows(d, r0, p, blk, p);
    for (size_t j = 0; j < k; j++) {
      const double *src = blk + (j0 + j) * p;
      double *dst = w->X + j * n;
      r1 = r;
      for (size_t i = 0; i < p; i++)
        if (keep[r0 + i]) dst[r1++] = src[i];
    }
    r = r1;
  }
  attrib__free(blk);
  blk = NULL; /* the failures below free it again at oom: (a double free the subgroup OOM test found) */
  for (size_t i = 0, r = 0; i < N; i++)
    if (keep[i]) {
      w->y[r] = w->yraw[r] = d->y[i];
      if (d->w) w->w[r] = d->w[i];
      r++;
    }
  w->src = attrib__xsrc_matrix(w->X, n, k, n);
  w->yv = w->y;
  w->yrawv = w->yraw;
  w->wv = w->w;
  for (size_t e = 0; e < d->n_fe && e < 8; e++) {
    /* FE codes are needed compact for the level arrays: recode when rows went */
    if (subset) {
      int32_t *c = attrib__malloc(n ? n : 1, sizeof *c);
      if (!c) goto oom;
      w->fe_own[e] = c;
      if (!recode(d->fe[e].codes, d->fe[e].n_levels, keep, N, c, &w->fe_levels[e])) goto oom;
      w->fe[e] = c;
    } else {
      w->fe[e] = d->fe[e].codes;
      w->fe_levels[e] = d->fe[e].n_levels;
    }
  }
  for (size_t c = 0; c < d->n_cluster && c < 2; c++) {
    if (subset) {
      int32_t *cc = attrib__malloc(n ? n : 1, sizeof *cc);
      if (!cc) goto oom;
      w->cl_own[c] = cc;
      if (!recode(d->cluster[c].codes, d->cluster[c].n_levels, keep, N, cc, &w->G[c])) goto oom;
      w->cl[c] = cc;
    } else {
      w->cl[c] = d->cluster[c].codes;
      w->G[c] = d->cluster[c].n_levels;
    }
  }
  return ATTRIB_OK;
oom:
  attrib__free(blk);
  work_free(w);
  return attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory (%zu rows x %zu columns)", n, k);
}

/* The squared weighted norms of the columns of src (blk: scratch of
 * ATTRIB__BLOCK_ROWS x k for a generated source), summed by blocks of rows:
 * the fit and the refit workspace share it so that their sums agree bit
 * for bit. */
static void ref_norms2(const attrib__xsrc *src, const double *wv, double *blk, double *ref) {
  size_t n = src->n, k = src->k;
  memset(ref, 0, k * sizeof *ref);
  for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
    const double *b0 = attrib__xsrc_block(src, r0, p, blk, &ld);
    for (size_t j = 0; j < k; j++) {
      const double *x = b0 + j * ld;
      double s2 = 0.0;
      for (size_t i = 0; i < p; i++) s2 += (wv ? wv[r0 + i] : 1.0) * x[i] * x[i];
      ref[j] += s2;
    }
  }
}

/* Absorbs the fixed effects of fe from the k columns of X (n x k, ld n) and
 * from y, in place; the most sweeps any column took and whether all
 * converged are merged into *iters and *converged. */
static attrib_status absorb(attrib__fe *fe, double *X, double *y, size_t k, const attrib_ols_options *o,
                            size_t *iters, int *converged, attrib_error *err) {
  size_t n = fe->n;
  for (size_t j = 0; j < k || (j == k && y); j++) { /* y NULL: the columns alone */
    double *v = j < k ? X + j * n : y;
    size_t it;
    int conv;
    ATTRIB__TRY(attrib__fe_demean(fe, v, o->fe_tol, o->fe_max_iter, &it, &conv, err));
    if (it > *iters) *iters = it;
    if (!conv) *converged = 0;
  }
  return ATTRIB_OK;
}

/* (regression_internal.h) */
void attrib__ols_wald(attrib_ols_result *r, const double *beta_full, const double *V, size_t k, size_t skip) {
  size_t q = 0;
  /* every slope (a fixed size[1024] here left the F test out, silently, of
   * models with more) */
  size_t *idx = attrib__malloc(k ? k : 1, sizeof *idx);
  r->f_statistic = r->f_p_value = NAN;
  if (!idx) return;
  for (size_t j = 0; j < k; j++)
    if (!r->coef.aliased[j] && j != skip) idx[q++] = j;
  r->f_df1 = (double)q;
  r->f_df2 = r->df_inference;
  double *A = q ? attrib__malloc(q * q, sizeof *A) : NULL, *b = q ? attrib__malloc(q, sizeof *b) : NULL;
  if (!A || !b) goto done;
  for (size_t a = 0; a < q; a++) {
    b[a] = beta_full[idx[a]];
    for (size_t c = 0; c < q; c++) A[c * q + a] = V[idx[c] * k + idx[a]];
  }
  double *x = attrib__malloc(q, sizeof *x);
  if (!x) goto done;
  memcpy(x, b, q * sizeof *x);
  if (LAPACKE_dposv(LAPACK_COL_MAJOR, 'U', (lapack_int)q, 1, A, (lapack_int)q, x, (lapack_int)q) == 0) {
    double s = 0.0;
    for (size_t a = 0; a < q; a++) s += b[a] * x[a];
    r->f_statistic = s / (double)q;
    r->f_p_value = r->f_df2 > 0 ? gsl_cdf_fdist_Q(r->f_statistic, (double)q, r->f_df2) : NAN;
  }
  attrib__free(x);
done:
  attrib__free(A);
  attrib__free(b);
  attrib__free(idx);
}

static attrib_status ols_oom(attrib_error *err) { return attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory"); }

/* The residual sum of squares from e (or the refinement's, more accurate
 * on ill-conditioned X: ls_solve.c, refine), into r with sigma. */
static double ols_rss(const work *wp, const attrib__ls *lsp, const double *e, size_t n, attrib_ols_result *r) {
  double rss = 0.0;
  for (size_t i = 0; i < n; i++) rss += (wp->wv ? wp->wv[i] : 1.0) * e[i] * e[i];
  if (lsp->rss_at_solution) rss = lsp->rss;
  r->rss = rss;
  r->sigma = sqrt(rss / r->df_resid);
  return rss;
}

/* Step 4 of attrib_ols_fit: the covariance Vr of the kept coefficients
 * (iid, HC0-HC3 with the leverage h for HC2/HC3, or one- or two-way
 * cluster-robust with fixest's small-sample K). e: the residuals, made
 * here for cluster-robust errors in the same pass as the scores. */
static attrib_status ols_vcov(const attrib_design *d, const attrib_ols_options *opts, const work *wp,
                              const attrib__ls *lsp, const double *bread, double *e, size_t n, double K,
                              double rss, const attrib__fe *fep, attrib__clusters *clp, double **h_out, double *Vr,
                              attrib_ols_result *r, attrib_error *err) {
  size_t rk = lsp->r;
  double *h = NULL;
  attrib_status s = ATTRIB_OK;
  switch (opts->vcov) {
  case ATTRIB_VCOV_IID:
    for (size_t q = 0; q < rk * rk; q++) Vr[q] = bread[q] * rss / r->df_resid;
    break;
  case ATTRIB_VCOV_HC0:
  case ATTRIB_VCOV_HC1:
  case ATTRIB_VCOV_HC2:
  case ATTRIB_VCOV_HC3:
    if (opts->vcov >= ATTRIB_VCOV_HC2) {
      if (!(h = *h_out = attrib__malloc(n, sizeof *h))) return ols_oom(err);
      if ((s = attrib__leverage(&wp->src, lsp->cols, rk, lsp->R, wp->wv, h, err))) return s;
      /* the absorbed dummies' share of the leverage (one dimension) */
      if (d->n_fe == 1)
        for (size_t i = 0; i < n; i++) h[i] += (wp->wv ? wp->wv[i] : 1.0) * fep->inv_wsum[0][wp->fe[0][i]];
      for (size_t i = 0; i < n; i++)
        if (h[i] >= 1.0 - 1e-10) {
          s = attrib__fail(err, ATTRIB_EDESIGN,
                           "vcov '%s' is undefined: row %zu has leverage 1 (it alone determines a coefficient); "
                           "use hc1",
                           attrib_vcov_type_name(opts->vcov), i + 1);
          return s;
        }
    }
    if ((s = attrib__vcov_hc(&wp->src, lsp->cols, rk, bread, wp->wv, e, h, opts->vcov, (double)n / ((double)n - K), Vr,
                             err)))
      return s;
    break;
  case ATTRIB_VCOV_CLUSTER: {
    r->n_cluster_dims = d->n_cluster;
    r->cluster_names = attrib__calloc(d->n_cluster, sizeof *r->cluster_names);
    r->n_clusters = attrib__calloc(d->n_cluster, sizeof *r->n_clusters);
    if (!r->cluster_names || !r->n_clusters) return ols_oom(err);
    size_t Gmin = SIZE_MAX;
    for (size_t c = 0; c < d->n_cluster; c++) {
      if (!(r->cluster_names[c] = attrib__strdup(d->cluster[c].name))) return ols_oom(err);
      r->n_clusters[c] = wp->G[c];
      if (wp->G[c] < Gmin) Gmin = wp->G[c];
      if (wp->G[c] < 2) {
        s = attrib__fail(err, ATTRIB_EDESIGN,
                         "one cluster in '%s': cluster-robust standard errors need at least two (CR1 divides by G - 1)",
                         d->cluster[c].name);
        return s;
      }
    }
    /* Fixed effects nested in a cluster do not count in K (fixest's
     * fixef.K = "nested", reghdfe): their levels leave K; a redundancy
     * shared with another dimension stays with that dimension. */
    double Kadj = K;
    for (size_t f = 0; f < d->n_fe; f++)
      for (size_t c = 0; c < d->n_cluster; c++)
        if (attrib__nested(n, wp->fe[f], wp->fe_levels[f], wp->cl[c], wp->G[c])) {
          Kadj -= (double)wp->fe_levels[f];
          break;
        }
    if (Kadj < (double)lsp->r) Kadj = (double)lsp->r;
    const int32_t *codes[2] = {wp->cl[0], wp->cl[1]};
    if ((s = attrib__clusters_init(clp, n, d->n_cluster, codes, wp->G, err))) return s;
    if ((s = attrib__vcov_cluster_resid(&wp->src, lsp->cols, rk, lsp->beta, wp->yv, e, bread, wp->wv, clp, Kadj, Vr,
                                        &r->vcov_psd_fixed, err)))
      return s;
    r->df_inference = (double)Gmin - 1.0;
    break;
  }
  }
  return ATTRIB_OK;
}

/* Step 5: the table over all columns, NaN where aliased. */
static attrib_status ols_coef_table(const attrib_design *d, const attrib_ols_options *opts, size_t j0, size_t k,
                                    const attrib__ls *lsp, const double *Vr, double **beta_out, attrib_ols_result *r,
                                    attrib_error *err) {
  size_t rk = lsp->r;
  double *beta_full;
  if (attrib__coef_alloc(&r->coef, k) != ATTRIB_OK) return ols_oom(err);
  if (!(r->vcov = attrib__malloc(k * k, sizeof *r->vcov))) return ols_oom(err);
  if (!(beta_full = *beta_out = attrib__malloc(k, sizeof *beta_full))) return ols_oom(err);
  for (size_t q = 0; q < k * k; q++) r->vcov[q] = NAN;
  for (size_t j = 0; j < k; j++) {
    if (!(r->coef.term[j] = attrib__strdup(d->names[j0 + j]))) return ols_oom(err);
    r->coef.aliased[j] = lsp->aliased[j];
    beta_full[j] = NAN;
  }
  for (size_t a = 0; a < rk; a++) {
    size_t ja = lsp->cols[a];
    r->coef.estimate[ja] = beta_full[ja] = lsp->beta[a];
    r->coef.std_error[ja] = sqrt(Vr[a * rk + a]);
    for (size_t b = 0; b < rk; b++) r->vcov[lsp->cols[b] * k + ja] = Vr[b * rk + a];
  }
  attrib__coef_infer(&r->coef, r->df_inference, opts->level);
  for (size_t j = 0; j < k; j++)
    if (lsp->aliased[j]) {
      if (attrib__strlist_push(&r->aliased_names, &r->n_aliased, r->coef.term[j])) return ols_oom(err);
    }
  return ATTRIB_OK;
}

/* Step 6: fit statistics (as summary.lm; with FE as lm with the dummies). */
static void ols_fit_stats(const attrib_design *d, const work *wp, size_t n, double rss, const double *beta_full,
                          size_t k, attrib_ols_result *r) {
  double sw = 0.0, sy = 0.0;
  for (size_t i = 0; i < n; i++) {
    double wi = wp->wv ? wp->wv[i] : 1.0;
    sw += wi;
    sy += wi * wp->yrawv[i];
  }
  int centred = d->intercept || d->n_fe > 0;
  double ybar = centred ? sy / sw : 0.0, tss = 0.0, tssw = 0.0;
  for (size_t i = 0; i < n; i++) {
    double wi = wp->wv ? wp->wv[i] : 1.0, dy = wp->yrawv[i] - ybar;
    tss += wi * dy * dy;
    if (d->n_fe) tssw += wi * wp->yv[i] * wp->yv[i];
  }
  r->tss = tss;
  r->r_squared = tss > 0.0 ? 1.0 - rss / tss : NAN;
  r->adj_r_squared = 1.0 - (1.0 - r->r_squared) * ((double)n - (centred ? 1.0 : 0.0)) / r->df_resid;
  r->r_squared_within = d->n_fe && tssw > 0.0 ? 1.0 - rss / tssw : NAN;
  size_t skip = (!d->n_fe && d->intercept) ? 0 : SIZE_MAX;
  attrib__ols_wald(r, beta_full, r->vcov, k, skip);
}

/* Step 7: the effect, the treatment's coefficient. */
static attrib_status ols_effect(const attrib_design *d, const attrib_ols_options *opts, size_t k, attrib_ols_result *r,
                                attrib_error *err) {
  attrib_status s;
  if (opts->treat) {
    for (size_t j = 0; j < k; j++)
      if (strcmp(r->coef.term[j], opts->treat) == 0) r->effect_index = (long)j;
    if (r->effect_index < 0) {
      /* a treatment read as text enters as level dummies (grouptrained):
       * the fix is to say which value is treated, not to add the term */
      size_t tl = strlen(opts->treat);
      long lev = -1;
      for (size_t j = 0; j < k && lev < 0; j++)
        if (!strncmp(r->coef.term[j], opts->treat, tl) && r->coef.term[j][tl] && r->coef.term[j][tl] != ':') lev = (long)j;
      s = lev >= 0 ? attrib__fail(err, ATTRIB_EDESIGN,
                                  "the treatment '%s' is categorical (its coefficients are level dummies such as '%s'): "
                                  "name its treated value '%s' (the treat_level option) to make it 0/1",
                                  opts->treat, r->coef.term[lev], r->coef.term[lev] + tl)
                   : attrib__fail(err, ATTRIB_EDESIGN,
                                  "the treatment '%s' is not a coefficient of the model (add it to the formula)", opts->treat);
      return s;
    }
    if (r->coef.aliased[r->effect_index]) {
      s = attrib__fail(err, ATTRIB_ECOLLINEAR, "the treatment '%s' was dropped: it is constant or collinear with %s",
                       opts->treat, d->n_fe ? "the fixed effects or other terms" : "other terms");
      return s;
    }
    if (!(r->effect.term = attrib__strdup(opts->treat))) return ols_oom(err);
    attrib__effect_from(&r->effect, &r->coef, (size_t)r->effect_index);
  }
  return ATTRIB_OK;
}

/* Step 8: warnings (fixed sentences and numbers: at most about 200 bytes;
 * the one that names a column is built to its length). */
static attrib_status ols_warnings(const attrib_design *d, const attrib_ols_options *opts, attrib_ols_result *r,
                                  attrib_error *err) {
  char msg[400];
  if (opts->vcov >= ATTRIB_VCOV_HC0 && opts->vcov <= ATTRIB_VCOV_HC3 && d->n_fe) {
    attrib__sbuf wm = {0};
    attrib__sbuf_addf(&wm,
                      "heteroskedasticity-robust standard errors with absorbed fixed effects are inconsistent when "
                      "groups are small (Stock & Watson 2008): cluster by the fixed effect (ols.vcov cluster design.cluster %s)",
                      d->fe[0].name);
    attrib_status ws = wm.failed ? ATTRIB_ENOMEM : attrib__strlist_push(&r->warnings, &r->n_warnings, wm.s);
    attrib__sbuf_free(&wm);
    if (ws) return ols_oom(err);
  }
  if (opts->vcov == ATTRIB_VCOV_CLUSTER) {
    size_t Gmin = SIZE_MAX, cmin = 0;
    for (size_t c = 0; c < r->n_cluster_dims; c++)
      if (r->n_clusters[c] < Gmin) Gmin = r->n_clusters[c], cmin = c;
    if (Gmin < 30) {
      char *fc = attrib__few_clusters_warning(Gmin, r->n_cluster_dims > 1 ? r->cluster_names[cmin] : NULL);
      if (!fc || attrib__strlist_push(&r->warnings, &r->n_warnings, fc)) {
        attrib__free(fc);
        return ols_oom(err);
      }
      attrib__free(fc);
    }
  }
  if (r->vcov_psd_fixed &&
      attrib__strlist_push(&r->warnings, &r->n_warnings, "the two-way cluster covariance was not positive semi-definite: negative eigenvalues were set "
                     "to zero (Cameron, Gelbach & Miller 2011); for a covariance without that repair cluster by one "
                     "column (design.cluster COL)"))
    return ols_oom(err);
  if (!r->fe_converged) {
    snprintf(msg, sizeof msg,
             ATTRIB__FE_NOT_CONVERGED " in %zu sweeps (tolerance %g): estimates may be inexact; raise ols.fe_max_iter "
             "or loosen ols.fe_tol",
             opts->fe_max_iter, opts->fe_tol);
    if (attrib__strlist_push(&r->warnings, &r->n_warnings, msg)) return ols_oom(err);
  }
  return ATTRIB_OK;
}

/* Step 2 of attrib_ols_fit: absorb the fixed effects (alternating
 * projections), after the columns' squared norms that the collinearity
 * rule compares with. */
static attrib_status ols_absorb(const attrib_design *d, const attrib_ols_options *opts, work *wp, size_t n, size_t k,
                                double *ref, attrib__fe *fep, attrib__ols_xcache *xc, attrib_ols_result *r,
                                attrib_error *err) {
  attrib_status s;
  if (d->n_fe) { /* squared norms before absorbing: the collinearity rule compares with these
                   * (without fixed effects they are the columns' own norms: no pass needed) */
    double *blk = wp->src.X ? NULL : attrib__malloc(ATTRIB__BLOCK_ROWS * k, sizeof *blk);
    if (!wp->src.X && !blk) return ols_oom(err);
    ref_norms2(&wp->src, wp->wv, blk, ref);
    attrib__free(blk);
  }
  r->fe_converged = 1;
  if (d->n_fe) {
    r->n_fe = d->n_fe;
    r->fe_names = attrib__calloc(d->n_fe, sizeof *r->fe_names);
    r->fe_levels = attrib__calloc(d->n_fe, sizeof *r->fe_levels);
    if (!r->fe_names || !r->fe_levels) return ols_oom(err);
    for (size_t f = 0; f < d->n_fe; f++) {
      if (!(r->fe_names[f] = attrib__strdup(d->fe[f].name))) return ols_oom(err);
      r->fe_levels[f] = wp->fe_levels[f];
    }
    if ((s = attrib__fe_init(fep, n, d->n_fe, wp->fe, wp->fe_levels, wp->wv, err))) return s;
    if (xc && xc->X && xc->n == n && xc->k == k) {
      /* several outcomes on one design: the columns were demeaned for an
       * earlier outcome (each column's demeaning is its own: the same
       * numbers, bit for bit); only y is left */
      memcpy(wp->X, xc->X, n * k * sizeof *wp->X);
      r->fe_iterations = xc->iters;
      r->fe_converged = xc->converged;
    } else {
      if ((s = absorb(fep, wp->X, NULL, k, opts, &r->fe_iterations, &r->fe_converged, err))) return s;
      if (xc) { /* kept for the next outcomes */
        if (!(xc->X = attrib__alloc_large(n * (k ? k : 1) * sizeof(double)))) return ols_oom(err);
        memcpy(xc->X, wp->X, n * k * sizeof *wp->X);
        xc->n = n, xc->k = k, xc->iters = r->fe_iterations, xc->converged = r->fe_converged;
      }
    }
    if ((s = absorb(fep, wp->y, NULL, 1, opts, &r->fe_iterations, &r->fe_converged, err))) return s;
    r->fe_dof = attrib__fe_dof(n, d->n_fe, wp->fe, wp->fe_levels);
  }
  return ATTRIB_OK;
}

/* Step 3's refusal: no residual degrees of freedom. */
static attrib_status ols_no_df(size_t n, size_t k, size_t rank, size_t fe_dof, attrib_error *err) {
  /* the coefficients the user asked for, and how many of them the rows
   * cannot tell apart: "3 rows for 3 coefficients" of a model with 5
   * hid the 2 that were dropped as collinear (issue 15) */
  attrib__sbuf m = {0};
  attrib__sbuf_addf(&m, "no residual degrees of freedom: %zu rows for %zu coefficients", n, k);
  if (k > rank) attrib__sbuf_addf(&m, " (%zu collinear with the rest)", k - rank);
  if (fe_dof) attrib__sbuf_addf(&m, " and %zu absorbed levels", fe_dof);
  attrib_status s = m.failed || !m.s ? attrib__fail(err, ATTRIB_ENOMEM, "out of memory") : attrib__fail(err, ATTRIB_EDESIGN, "%s", m.s);
  attrib__sbuf_free(&m);
  return s;
}

attrib_status attrib_ols_fit(const attrib_design *d, const attrib_ols_options *opts,
                             attrib_ols_result **out, attrib_error *err) {
  return attrib__ols_fit_cached(d, opts, NULL, out, err);
}

void attrib__ols_xcache_free(attrib__ols_xcache *xc) {
  attrib__free_large(xc->X, xc->n * (xc->k ? xc->k : 1) * sizeof(double));
  memset(xc, 0, sizeof *xc);
}

attrib_status attrib__ols_fit_cached(const attrib_design *d, const attrib_ols_options *opts, attrib__ols_xcache *xc,
                                     attrib_ols_result **out, attrib_error *err) {
  if (!d || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_fit: NULL argument");
  *out = NULL;
  attrib_ols_options defaults;
  if (!opts) {
    attrib_ols_options_init(&defaults);
    opts = &defaults;
  }
  ATTRIB__TRY(attrib_ols_check(d, opts, err));
  /* a constant outcome fits exactly: zero standard errors, NaN t and R2 */
  ATTRIB__TRY(attrib__check_outcome(d->table_ ? d->table_->source : NULL, d->response, d->y, NULL, d->n, 0, err));
  if (d->n_fe > 8) return attrib__fail(err, ATTRIB_EINVAL, "at most 8 absorbed fixed effects are supported");

  attrib_status s = ATTRIB_OK;
  attrib_ols_result *r = attrib__calloc(1, sizeof *r);
  unsigned char *keep = attrib__malloc(d->n ? d->n : 1, 1);
  double *ref = NULL, *e = NULL, *h = NULL, *bread = NULL, *Vr = NULL, *beta_full = NULL;
  size_t r_n = 0; /* rows of e, for freeing it */
  attrib__ls ls;
  memset(&ls, 0, sizeof ls);
  attrib__fe fe;
  memset(&fe, 0, sizeof fe);
  attrib__clusters cl;
  memset(&cl, 0, sizeof cl);
  work w;
  memset(&w, 0, sizeof w);
  if (!r || !keep) {
    attrib__free(keep);
    attrib__free(r);
    return attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
  }
#define OOM()                                                                  \
  do {                                                                         \
    s = attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");                \
    goto fail;                                                                 \
  } while (0)

  r->effect_index = -1;
  r->level = opts->level;
  r->vcov_type = opts->vcov;
  r->n_input = d->n_input;
  r->n_dropped_missing = d->n_dropped_missing;
  r->n_dropped_weight = d->n_dropped_weight;
  if (!(r->response = attrib__strdup(d->response ? d->response : ""))) OOM();

  /* 1. rows and columns */
  size_t j0 = (d->n_fe > 0 && d->intercept) ? 1 : 0;
  size_t k = d->k - j0;
  if (k == 0) {
    s = attrib__fail(err, ATTRIB_EDESIGN, "the model has no coefficient to estimate%s",
                     d->n_fe ? " (the fixed effects absorb everything)" : "");
    goto fail;
  }
  memset(keep, 1, d->n);
  if (d->n_fe && opts->drop_singletons)
    if ((s = attrib__ols_drop_singletons(d, keep, &r->n_dropped_singletons, err))) goto fail;
  size_t n = d->n - r->n_dropped_singletons;
  if (n == 0) {
    s = attrib__fail(err, ATTRIB_ENODATA, "every row is a singleton of a fixed effect: nothing left to fit");
    goto fail;
  }
  if ((s = work_build(d, j0, keep, n, &w, err))) goto fail;
  w.src.threads = opts->threads;
  r->n_obs = n;

  /* 2. absorb the fixed effects */
  if (!(ref = attrib__malloc(k, sizeof *ref))) OOM();
  if ((s = ols_absorb(d, opts, &w, n, k, ref, &fe, xc, r, err))) goto fail;

  /* 3. solve */
  if ((s = attrib__ls_solve(&w.src, w.yv, w.wv, opts->collinearity_tol, d->n_fe ? ref : NULL, &ls, err))) goto fail;
  r->method = ls.method;
  r->rank = ls.r;
  if (ls.r == 0) {
    s = attrib__fail(err, ATTRIB_ECOLLINEAR, "no coefficient can be estimated: every term is constant or collinear%s",
                     d->n_fe ? " with the fixed effects" : "");
    goto fail;
  }
  r->df_resid = (double)n - (double)ls.r - (double)r->fe_dof;
  if (!(r->df_resid > 0.0)) {
    s = ols_no_df(n, k, ls.r, r->fe_dof, err);
    goto fail;
  }
  r_n = n;
  if (!(e = attrib__alloc_large(n * sizeof *e))) OOM();
  /* cluster-robust errors make the residuals in their own pass over X
   * (ols_vcov, attrib__vcov_cluster_resid): one read of X fewer */
  int fused = opts->vcov == ATTRIB_VCOV_CLUSTER;
  double rss = 0.0;
  if (!fused) {
    if ((s = attrib__ls_residuals(&ls, &w.src, w.yv, e, err))) goto fail;
    rss = ols_rss(&w, &ls, e, n, r);
  }

  /* 4. covariance of the kept coefficients */
  size_t rk = ls.r;
  bread = attrib__malloc(rk * rk, sizeof *bread);
  Vr = attrib__malloc(rk * rk, sizeof *Vr);
  if (!bread || !Vr) OOM();
  if ((s = attrib__ls_bread(&ls, bread, err))) goto fail;
  double K = (double)ls.r + (double)r->fe_dof;
  r->df_inference = r->df_resid;
  if ((s = ols_vcov(d, opts, &w, &ls, bread, e, n, K, rss, &fe, &cl, &h, Vr, r, err))) goto fail;
  if (fused) rss = ols_rss(&w, &ls, e, n, r);

  /* 5. the table over all columns, NaN where aliased */
  if ((s = ols_coef_table(d, opts, j0, k, &ls, Vr, &beta_full, r, err))) goto fail;

  /* 6. fit statistics (as summary.lm; with FE as lm with the dummies) */
  ols_fit_stats(d, &w, n, rss, beta_full, k, r);

  /* 7. the effect */
  if ((s = ols_effect(d, opts, k, r, err))) goto fail;

  /* 8. warnings */
  if ((s = ols_warnings(d, opts, r, err))) goto fail;
  if (opts->keep_residuals) {
    r->residuals = attrib__malloc(n, sizeof *r->residuals);
    r->fitted = attrib__malloc(n, sizeof *r->fitted);
    if (!r->residuals || !r->fitted) OOM();
    memcpy(r->residuals, e, n * sizeof *e);
    for (size_t i = 0; i < n; i++) r->fitted[i] = w.yrawv[i] - e[i];
  }
  *out = r;
  r = NULL;
fail:
#undef OOM
  attrib_ols_result_free(r);
  attrib__free(keep);
  attrib__free(ref);
  attrib__free_large(e, r_n * sizeof *e);
  attrib__free(h);
  attrib__free(bread);
  attrib__free(Vr);
  attrib__free(beta_full);
  attrib__ls_free(&ls);
  attrib__fe_free(&fe);
  attrib__clusters_free(&cl);
  work_free(&w);
  return s;
}

attrib_status attrib_ols_fit_formula(const attrib_table *t, const char *formula, const attrib_design_options *dopts,
                                     const attrib_ols_options *opts, attrib_design **design, attrib_ols_result **out,
                                     attrib_error *err) {
  if (!t || !formula || !design || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_fit_formula: NULL argument");
  *design = NULL;
  *out = NULL;
  attrib_formula *f = NULL;
  attrib_status s = attrib_formula_parse(formula, &f, err);
  if (s) return s;
  s = attrib_design_build(t, f, dopts, design, err);
  attrib_formula_free(f);
  if (s) return s;
  if ((s = attrib_ols_fit(*design, opts, out, err))) {
    attrib_design_free(*design);
    *design = NULL;
  }
  return s;
}

/* ---- the refit workspace ---------------------------------------------------
 * A bootstrap of a fit with absorbed fixed effects refits the same rows
 * with new weights every replicate. What does not depend on the weights is
 * made once: the rows left after singletons (their codes only decide it),
 * the kept rows' columns and outcome, the recoded fixed-effect codes and
 * the absorbed degrees of freedom. Each thread owns the buffers a refit
 * writes (the demeaned columns, the weights of the kept rows, the FE
 * solver's per-level sums and iteration scratch, the least-squares
 * solver's arrays, LAPACK's work arrays among them, and the bread), all
 * allocated here, before the replicates: a replicate's refit allocates
 * nothing and runs the same arithmetic as attrib_ols_fit (ref_norms2,
 * absorb, the same ls_solve), so its coefficient is the fit's bit for bit. */
typedef struct ols_ws_thread {
  double *X, *y, *w; /* n x k demeaned columns, n outcome, n weights of the kept rows */
  double *ref;       /* k: squared norms before absorbing */
  double *bread;     /* k x k */
  attrib__fe fe;
  attrib__scratch ls; /* the least-squares solver's arrays, its result's too */
} ols_ws_thread;

struct attrib__ols_ws {
  attrib_ols_options o;
  size_t N, n, k, T, fe_dof;
  unsigned char *keep; /* N: rows kept after singletons */
  work base;           /* the kept rows before absorbing (X, y) and their codes */
  ols_ws_thread *t;    /* T */
};

void attrib__ols_ws_free(attrib__ols_ws *ws) {
  if (!ws) return;
  for (size_t i = 0; ws->t && i < ws->T; i++) {
    ols_ws_thread *t = &ws->t[i];
    attrib__free_large(t->X, ws->n * ws->k * sizeof(double));
    attrib__free(t->y), attrib__free(t->w), attrib__free(t->ref), attrib__free(t->bread);
    attrib__fe_free(&t->fe);
    attrib__scratch_release(&t->ls);
  }
  attrib__free(ws->t);
  work_free(&ws->base);
  attrib__free(ws->keep);
  attrib__free(ws);
}

attrib_status attrib__ols_ws_alloc(const attrib_design *d, const attrib_ols_options *o, size_t threads,
                                   attrib__ols_ws **out, attrib_error *err) {
  *out = NULL;
  if (!d || !o || !d->n_fe || d->n_fe > 8 || !threads)
    return attrib__fail(err, ATTRIB_EINVAL, "OLS workspace: a design with 1 to 8 absorbed fixed effects");
  size_t j0 = d->intercept ? 1 : 0, k = d->k - j0, N = d->n;
  if (k == 0) return attrib__fail(err, ATTRIB_EDESIGN, "the model has no coefficient to estimate");
  attrib__ols_ws *ws = attrib__calloc(1, sizeof *ws);
  if (!ws) return attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
  attrib_status s = ATTRIB_OK;
  size_t dropped = 0;
  ws->o = *o;
  ws->N = N, ws->k = k;
  if (!(ws->keep = attrib__malloc(N ? N : 1, 1))) goto oom;
  memset(ws->keep, 1, N);
  if (o->drop_singletons && (s = attrib__ols_drop_singletons(d, ws->keep, &dropped, err))) goto fail;
  ws->n = N - dropped;
  if (ws->n == 0) {
    s = attrib__fail(err, ATTRIB_ENODATA, "every row is a singleton of a fixed effect: nothing left to fit");
    goto fail;
  }
  if ((s = work_build(d, j0, ws->keep, ws->n, &ws->base, err))) goto fail;
  ws->fe_dof = attrib__fe_dof(ws->n, d->n_fe, ws->base.fe, ws->base.fe_levels);
  if (!(ws->t = attrib__calloc(threads, sizeof *ws->t))) goto oom;
  ws->T = threads;
  for (size_t i = 0; i < threads; i++) {
    ols_ws_thread *t = &ws->t[i];
    size_t n = ws->n;
    t->X = attrib__alloc_large(n * k * sizeof(double));
    t->y = attrib__malloc(n, sizeof *t->y);
    t->w = attrib__malloc(n, sizeof *t->w);
    t->ref = attrib__malloc(k, sizeof *t->ref);
    t->bread = attrib__malloc(k * k, sizeof *t->bread);
    if (!t->X || !t->y || !t->w || !t->ref || !t->bread) goto oom;
    if (attrib__scratch_init(&t->ls, attrib__ls_scratch_size(n, k))) goto oom;
    for (size_t r = 0; r < n; r++) t->w[r] = 1.0; /* defined until the first refit sets them */
    if ((s = attrib__fe_init(&t->fe, n, d->n_fe, ws->base.fe, ws->base.fe_levels, t->w, err))) goto fail;
  }
  *out = ws;
  return ATTRIB_OK;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
fail:
  attrib__ols_ws_free(ws);
  return s;
}

attrib_status attrib__ols_ws_refit(attrib__ols_ws *ws, size_t thread, const double *w, size_t coef, double *beta,
                                   int *ok) {
  ols_ws_thread *t = &ws->t[thread];
  size_t n = ws->n, k = ws->k;
  attrib_error e;
  attrib_error_clear(&e);
  *ok = 0;
  /* the rows and values work_build gives attrib_ols_fit, from the copy */
  for (size_t i = 0, r = 0; i < ws->N; i++)
    if (ws->keep[i]) t->w[r++] = w[i];
  memcpy(t->X, ws->base.X, n * k * sizeof *t->X);
  memcpy(t->y, ws->base.y, n * sizeof *t->y);
  attrib__xsrc src = attrib__xsrc_matrix(t->X, n, k, n);
  src.threads = 1; /* the replicates are the parallel loop */
  ref_norms2(&src, t->w, NULL, t->ref);
  attrib__fe_reweight(&t->fe, t->w);
  size_t iters = 0;
  int conv = 1; /* a fit that did not converge warns, and its estimate stands */
  attrib_status s = absorb(&t->fe, t->X, t->y, k, &ws->o, &iters, &conv, &e);
  if (s) return s;
  attrib__ls ls;
  attrib__scratch_reset(&t->ls); /* the previous replicate's result is done with */
  if ((s = attrib__ls_solve_scratch(&src, t->y, t->w, ws->o.collinearity_tol, t->ref, &t->ls, &ls, &e))) {
    attrib__ls_free(&ls);
    return s == ATTRIB_ENOMEM ? s : ATTRIB_OK; /* a numerical failure: this replicate only */
  }
  /* attrib_ols_fit's failures after the solve: no rank, no residual degrees
   * of freedom, a bread LAPACK cannot invert */
  double df = (double)n - (double)ls.r - (double)ws->fe_dof;
  if (ls.r > 0 && df > 0.0 && attrib__ls_bread(&ls, t->bread, &e) == ATTRIB_OK && !ls.aliased[coef])
    for (size_t a = 0; a < ls.r; a++)
      if (ls.cols[a] == coef) *beta = ls.beta[a], *ok = 1;
  attrib__ls_free(&ls);
  return ATTRIB_OK;
}

/* (regression_internal.h) Steps 5 to 8 of attrib_ols_fit for a fit solved
 * elsewhere (ols_stream.c), so that the table, the F test, the effect and
 * the warnings are the same code. */
attrib_status attrib__ols_finish(const attrib_design *d, const attrib_ols_options *opts, const attrib__ls *ls,
                                 const double *Vr, attrib_ols_result *r, attrib_error *err) {
  double *beta_full = NULL;
  size_t k = d->k;
  attrib_status s = ols_coef_table(d, opts, 0, k, ls, Vr, &beta_full, r, err);
  if (s == ATTRIB_OK) attrib__ols_wald(r, beta_full, r->vcov, k, d->intercept ? 0 : SIZE_MAX);
  if (s == ATTRIB_OK) s = ols_effect(d, opts, k, r, err);
  if (s == ATTRIB_OK) s = ols_warnings(d, opts, r, err);
  attrib__free(beta_full);
  return s;
}
