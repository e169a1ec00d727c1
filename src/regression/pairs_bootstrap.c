/*
 * The pairs and cluster (resampling) bootstraps (include/attrib/bootstrap.h,
 * docs/methods/bootstrap.md): of OLS from sufficient statistics
 * (ols_bootstrap.c builds them; replicate b's rows or clusters from its
 * stream), of OLS with absorbed fixed effects and of logit/probit by refits
 * through the engine's refit loop (src/inference/bootstrap.c), each refit
 * a callback here. Every result is finished by the engine.
 */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <attrib/bootstrap.h>
#include <attrib/logit.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "design/design_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

/* ---- cluster (and pairs) bootstrap from counts ------------------------------- */

/* Cluster g's score of the coefficient, a'(X_g'y_g - X_g'X_g x), for a row
 * a of the inverse of X'X and coefficients x */
static double cluster_score(const attrib__boot_suff *s, size_t g, const double *a, const double *x) {
  size_t k = s->k;
  const double *Sg = s->S + g * s->q;
  double u = 0.0;
  for (size_t r = 0; r < k; r++) {
    double sc = Sg[k * (k + 1) / 2 + r];
    for (size_t m = 0; m < k; m++) sc -= Sg[r <= m ? attrib__packed(r, m) : attrib__packed(m, r)] * x[m];
    u += a[r] * sc;
  }
  return u;
}

/* Solves the normal equations A_b (nb x q, row-major) of replicates b0 ..
 * b0 + nb and, when studentize, their CR1 (cluster) SEs from the
 * statistics S and counts C (nb x G, row-major), into o at b0; work, inv
 * (k x k) and x (k) are scratch. */
static void solve_replicates(const attrib__boot_suff *s, const double *A, const double *C, size_t b0, size_t nb,
                             int studentize, double est, double *work, double *x, double *inv, attrib__boot_reps *o) {
  size_t k = s->k, q = s->q, G = s->G;
  for (size_t i = 0; i < nb; i++) {
    const double *Ab = A + i * q;
    size_t b = b0 + i;
    o->ok[b] = attrib__spd_solve(Ab, Ab + k * (k + 1) / 2, k, work, x, studentize ? inv : NULL) == 0;
    o->beta_j[b] = o->ok[b] ? x[s->j] : NAN;
    o->t[b] = NAN;
    if (!o->ok[b] || !studentize) continue;
    /* CR1 of coefficient j: sum_g c_gb (a_b'(X_g'y_g - X_g'X_g beta_b))^2 */
    const double *a = inv + s->j * k;
    double v = 0.0, nrow = 0.0, Gb = 0.0;
    for (size_t g = 0; g < G; g++) {
      double c = C[i * G + g];
      if (c == 0.0) continue;
      double u = cluster_score(s, g, a, x);
      v += c * u * u;
      nrow += c * s->ng[g];
      Gb += c;
    }
    double fac = Gb / (Gb - 1.0) * (nrow - 1.0) / (nrow - (double)k);
    o->t[b] = (x[s->j] - est) / sqrt(fac * v);
  }
}

/* Replicates in batches of CLUSTER_BATCH, each batch on one thread: its
 * counts (batch x G), normal equations A = C S (batch x q, one GEMM) and
 * solves. A replicate's row of A is the same whichever batch holds it (the
 * GEMM's sums run over the clusters, in the same order for any number of
 * rows), so the numbers are those of one B x G product, while memory is
 * threads x batch x G counts rather than B x G (320 MB at 40,000 clusters). */
#define CLUSTER_BATCH 64

typedef struct cluster_job {
  const attrib__boot_suff *s;
  size_t B;
  uint64_t seed;
  int studentize;
  double est;
  attrib__boot_reps *ro;
  double *scratch; /* per thread: CLUSTER_SCRATCH(G, q, k), made before the batches */
} cluster_job;

/* a thread's scratch in cluster_batch: C (batch x G), A (batch x q), work and inv (k x k), x (k); C
 * and A start on 64-byte boundaries on every thread (a product's last bits
 * were seen to depend on its operands' alignment), as the B x G product's */
#define CLUSTER_ALIGN(m) (((m) + 7) / 8 * 8)
#define CLUSTER_SCRATCH(G, q, k) CLUSTER_ALIGN(CLUSTER_ALIGN(CLUSTER_BATCH * (G)) + CLUSTER_BATCH * (q) + 2 * (k) * (k) + (k))

static void cluster_batch(void *ctx, size_t c, size_t thread) {
  cluster_job *j = ctx;
  const attrib__boot_suff *s = j->s;
  size_t G = s->G, q = s->q, k = s->k, b0 = c * CLUSTER_BATCH, nb = j->B - b0 < CLUSTER_BATCH ? j->B - b0 : CLUSTER_BATCH;
  double *C = j->scratch + thread * CLUSTER_SCRATCH(G, q, k), *A = C + CLUSTER_ALIGN(CLUSTER_BATCH * G), *work = A + CLUSTER_BATCH * q;
  double *inv = work + k * k, *x = inv + k * k;
  memset(C, 0, nb * G * sizeof *C);
  for (size_t i = 0; i < nb; i++) {
    uint64_t sb = attrib__boot_stream(j->seed, b0 + i);
    for (size_t t = 0; t < G; t++) C[i * G + attrib__boot_draw_index(sb, t, G)] += 1.0;
  }
  /* A (nb x q) = C (nb x G) S (G x q), both row-major */
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)nb, (int)q, (int)G, 1.0, C, (int)G, s->S, (int)q, 0.0, A,
              (int)q);
  solve_replicates(s, A, C, b0, nb, j->studentize, j->est, work, x, inv, j->ro);
}

attrib_status attrib__boot_cluster(const attrib__boot_suff *s, const attrib_boot_options *o, double est,
                                   attrib_boot_result *r, attrib_error *err) {
  size_t B = o->replicates, G = s->G, q = s->q, k = s->k;
  size_t nbat = (B + CLUSTER_BATCH - 1) / CLUSTER_BATCH, T = attrib__threads(o->threads, nbat);
  attrib_status st = ATTRIB_OK;
  attrib__boot_reps ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  double *work = attrib__malloc(k * k, sizeof *work), *x = attrib__malloc(k, sizeof *x),
         *inv = attrib__malloc(k * k, sizeof *inv);
  cluster_job cj = {s, B, (uint64_t)o->seed, o->ci == ATTRIB_CI_STUDENTIZED, est, &ro,
                    attrib__malloc(attrib__mulsz(T, CLUSTER_SCRATCH(G, q, k)), sizeof(double))};
  if (!cj.scratch || !ro.beta_j || !ro.t || !ro.ok || !work || !x || !inv) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    goto done;
  }
  attrib__parallel_chunks(nbat, T, cluster_batch, &cj);
  /* full-sample CR1 SE (studentized) and cluster influence values L_g =
   * a'(X_g'y_g - X_g'X_g beta) for the BCa acceleration */
  double se_full = NAN, acc = 0.0;
  if (attrib__spd_solve(s->tot, s->tot + k * (k + 1) / 2, k, work, x, inv)) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "bootstrap: the design is singular");
    goto done;
  }
  {
    const double *a = inv + s->j * k;
    double v = 0.0, l2 = 0.0, l3 = 0.0;
    for (size_t g = 0; g < G; g++) {
      double u = cluster_score(s, g, a, x);
      v += u * u, l2 += u * u, l3 += u * u * u;
    }
    double fac = (double)G / ((double)G - 1.0) * ((double)s->n - 1.0) / ((double)s->n - (double)k);
    se_full = sqrt(fac * v);
    acc = l2 > 0 ? l3 / (6.0 * pow(l2, 1.5)) : 0.0;
  }
  st = attrib__boot_finish(r, o, &ro, B, se_full, acc, o->null_value, err);
done:
  attrib__free(cj.scratch), attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  attrib__free(work), attrib__free(x), attrib__free(inv);
  return st;
}

/* ---- pairs bootstrap ---------------------------------------------------------
 * Replicate b resamples n rows with replacement: row i enters c_bi times.
 * Its normal equations sum_i c_bi w_i (x_i x_i', x_i y_i) are, for a batch
 * of replicates, the GEMM counts (batch x rows) times the rows' products
 * (rows x q), accumulated over row chunks on the threads (each chunk owns
 * its partial sums, merged in chunk order: the same for any thread count).
 * Counts come from n draws of the replicate's own stream. */
#define PAIRS_BATCH 64
#define PAIRS_ROWS 256

typedef struct pairs_job {
  const attrib__boot_suff *s;
  const double *w;          /* analytic weights or NULL */
  const unsigned char *cnt; /* batch x n counts */
  size_t nb, chunk;         /* replicates in the batch; rows per chunk */
  double *part;             /* per chunk: nb x q, column-major (nb rows) */
  /* second pass (studentized): per replicate a_b (k) and beta_b (k) */
  const double *A, *Bt;     /* k x nb each, column-major */
  double *meat;             /* per chunk: nb */
  int pass;
  double *scratch;          /* per thread: PAIRS_SCRATCH(q, k) doubles, made before the loop */
} pairs_job;

/* a thread's scratch in pairs_chunk: Z (rows x max(q, 2 batch)), C (batch x rows), Xb (rows x k) */
#define PAIRS_Z(q) (PAIRS_ROWS * ((q) > 2 * PAIRS_BATCH ? (q) : 2 * PAIRS_BATCH))
#define PAIRS_SCRATCH(q, k) (PAIRS_Z(q) + PAIRS_BATCH * PAIRS_ROWS + PAIRS_ROWS * (k))

static void pairs_chunk(void *ctx, size_t c, size_t thread) {
  pairs_job *j = ctx;
  const attrib__boot_suff *s = j->s;
  size_t n = s->n, k = s->k, q = s->q, nb = j->nb, kk = k * (k + 1) / 2;
  size_t lo = c * j->chunk, hi = lo + j->chunk < n ? lo + j->chunk : n;
  double *Z = j->scratch + thread * PAIRS_SCRATCH(q, k), *C = Z + PAIRS_Z(q), *Xb = C + PAIRS_BATCH * PAIRS_ROWS;
  double *part = j->pass ? j->meat + c * nb : j->part + c * nb * q;
  memset(part, 0, (j->pass ? nb : nb * q) * sizeof *part);
  for (size_t r0 = lo; r0 < hi; r0 += PAIRS_ROWS) {
    size_t m = hi - r0 < PAIRS_ROWS ? hi - r0 : PAIRS_ROWS;
    for (size_t i = 0; i < m; i++)
      for (size_t b = 0; b < nb; b++) C[i * nb + b] = (double)j->cnt[b * n + r0 + i]; /* nb x m, column-major */
    if (!j->pass) {
      /* Z (m x q): w x_a x_b (packed) then w x_a y */
      for (size_t bb = 0; bb < k; bb++)
        for (size_t a = 0; a <= bb; a++) {
          const double *xa = s->X + a * n + r0, *xb = s->X + bb * n + r0;
          double *z = Z + attrib__packed(a, bb) * m;
          for (size_t i = 0; i < m; i++) z[i] = (j->w ? j->w[r0 + i] : 1.0) * xa[i] * xb[i];
        }
      for (size_t a = 0; a < k; a++) {
        const double *xa = s->X + a * n + r0;
        double *z = Z + (kk + a) * m;
        for (size_t i = 0; i < m; i++) z[i] = (j->w ? j->w[r0 + i] : 1.0) * xa[i] * s->y[r0 + i];
      }
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)nb, (int)q, (int)m, 1.0, C, (int)nb, Z, (int)m, 1.0,
                  part, (int)nb);
    } else {
      /* per (row, replicate): s = a_b'x_i, f = x_i'beta_b; meat_b += c w^2 s^2 (y - f)^2 */
      for (size_t a = 0; a < k; a++) memcpy(Xb + a * m, s->X + a * n + r0, m * sizeof *Xb);
      double *SA = Z, *FB = Z + m * nb;
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)nb, (int)k, 1.0, Xb, (int)m, j->A, (int)k,
                  0.0, SA, (int)m);
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)nb, (int)k, 1.0, Xb, (int)m, j->Bt, (int)k,
                  0.0, FB, (int)m);
      for (size_t b = 0; b < nb; b++) {
        double acc = 0.0;
        for (size_t i = 0; i < m; i++) {
          double w = j->w ? j->w[r0 + i] : 1.0, e = s->y[r0 + i] - FB[b * m + i], v = w * SA[b * m + i] * e;
          acc += C[i * nb + b] * v * v;
        }
        part[b] += acc;
      }
    }
  }
}

typedef struct count_job {
  unsigned char *cnt;
  size_t n, b0, nb;
  uint64_t seed;
} count_job;

static void count_one(void *ctx, size_t b, size_t thread) {
  (void)thread;
  count_job *j = ctx;
  unsigned char *row = j->cnt + b * j->n;
  memset(row, 0, j->n);
  uint64_t sb = attrib__boot_stream(j->seed, j->b0 + b);
  for (size_t t = 0; t < j->n; t++) {
    size_t i = attrib__boot_draw_index(sb, t, j->n);
    if (row[i] < 255) row[i]++; /* counts above 255 have probability ~1e-500 */
  }
}

attrib_status attrib__boot_pairs(const attrib__boot_suff *s, const double *w, const attrib_boot_options *o,
                                 attrib_boot_result *r, attrib_error *err) {
  size_t n = s->n, k = s->k, q = s->q, B = o->replicates, kk = k * (k + 1) / 2;
  size_t chunk_rows, C = attrib__chunks(n, &chunk_rows);
  size_t T = attrib__threads(o->threads, C);
  int stud = o->ci == ATTRIB_CI_STUDENTIZED;
  attrib_status st = ATTRIB_OK;
  unsigned char *cnt = attrib__malloc(attrib__mulsz(PAIRS_BATCH, n), 1);
  double *part = attrib__malloc(attrib__mulsz(C, PAIRS_BATCH * q), sizeof *part),
         *meat = attrib__malloc(C * PAIRS_BATCH, sizeof *meat);
  double *A = attrib__malloc(attrib__mulsz(B, q), sizeof *A), *Ab = attrib__malloc(k * PAIRS_BATCH, sizeof *Ab);
  double *Bt = attrib__malloc(k * PAIRS_BATCH, sizeof *Bt), *work = attrib__malloc(k * k, sizeof *work);
  double *x = attrib__malloc(k, sizeof *x), *inv = attrib__malloc(k * k, sizeof *inv),
         *bhat = attrib__malloc(k, sizeof *bhat);
  attrib__boot_reps ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  double *scratch = attrib__malloc(attrib__mulsz(T, PAIRS_SCRATCH(q, k)), sizeof *scratch);
  if (!cnt || !part || !meat || !A || !Ab || !Bt || !work || !x || !inv || !bhat || !ro.beta_j || !ro.t || !ro.ok ||
      !scratch) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "pairs bootstrap: out of memory");
    goto done;
  }
  if (attrib__spd_solve(s->tot, s->tot + kk, k, work, bhat, inv)) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "pairs bootstrap: the design is singular");
    goto done;
  }
  for (size_t b0 = 0; b0 < B; b0 += PAIRS_BATCH) {
    size_t nb = B - b0 < PAIRS_BATCH ? B - b0 : PAIRS_BATCH;
    count_job cj = {cnt, n, b0, nb, (uint64_t)o->seed};
    attrib__parallel_chunks(nb, attrib__threads(o->threads, nb), count_one, &cj);
    pairs_job pj = {s, w, cnt, nb, chunk_rows, part, NULL, NULL, meat, 0, scratch};
    attrib__parallel_chunks(C, T, pairs_chunk, &pj);
    for (size_t b = 0; b < nb; b++) {
      double *Ar = A + (b0 + b) * q;
      for (size_t c = 0; c < q; c++) {
        double v = 0.0;
        for (size_t ch = 0; ch < C; ch++) v += part[ch * nb * q + c * nb + b];
        Ar[c] = v;
      }
      ro.ok[b0 + b] = attrib__spd_solve(Ar, Ar + kk, k, work, x, stud ? inv : NULL) == 0;
      ro.beta_j[b0 + b] = ro.ok[b0 + b] ? x[s->j] : NAN;
      ro.t[b0 + b] = NAN;
      for (size_t a = 0; a < k; a++) {
        Ab[b * k + a] = ro.ok[b0 + b] && stud ? inv[s->j * k + a] : 0.0;
        Bt[b * k + a] = ro.ok[b0 + b] ? x[a] : 0.0;
      }
    }
    if (o->progress) o->progress(o->progress_ctx, b0 + nb, B);
    if (stud) {
      pairs_job pm = {s, w, cnt, nb, chunk_rows, part, Ab, Bt, meat, 1, scratch};
      attrib__parallel_chunks(C, T, pairs_chunk, &pm);
      for (size_t b = 0; b < nb; b++) {
        double v = 0.0;
        for (size_t ch = 0; ch < C; ch++) v += meat[ch * nb + b];
        if (ro.ok[b0 + b])
          ro.t[b0 + b] = (ro.beta_j[b0 + b] - bhat[s->j]) / sqrt(v * (double)n / ((double)n - (double)k));
      }
    }
  }
  /* the full sample: HC1 SE and the rows' influence values a'x_i w_i e_i for
   * the BCa acceleration */
  double se_full, acc;
  {
    const double *a = inv + s->j * k;
    long double l2 = 0, l3 = 0;
    for (size_t i = 0; i < n; i++) {
      double sa = 0.0, f = 0.0;
      for (size_t c = 0; c < k; c++) sa += a[c] * s->X[c * n + i], f += bhat[c] * s->X[c * n + i];
      double L = (w ? w[i] : 1.0) * sa * (s->y[i] - f);
      l2 += (long double)L * L, l3 += (long double)L * L * L;
    }
    se_full = sqrt((double)l2 * (double)n / ((double)n - (double)k));
    acc = l2 > 0 ? (double)(l3 / (6.0L * powl(l2, 1.5L))) : 0.0;
  }
  st = attrib__boot_finish(r, o, &ro, B, se_full, acc, o->null_value, err);
done:
  attrib__free(cnt), attrib__free(part), attrib__free(meat), attrib__free(A), attrib__free(Ab), attrib__free(Bt);
  attrib__free(work), attrib__free(x), attrib__free(inv), attrib__free(bhat);
  attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok), attrib__free(scratch);
  return st;
}

/* ---- OLS with absorbed fixed effects: refits ------------------------------------ */

/* One replicate on its thread's scratch: the coefficient, and no t (a
 * weighted refit's SE is not the resample's) */
static attrib_status ols_refit(const attrib_design *dd, void *ctx, size_t thread, size_t coef, double *beta, double *t,
                               int *ok) {
  (void)t;
  return attrib__ols_ws_refit(ctx, thread, dd->w, coef, beta, ok);
}

/* Pairs and cluster bootstraps of OLS with absorbed fixed effects: every
 * replicate refits with its resampling weights, so the fixed effects are
 * re-absorbed on the resample (a weighted within transformation equals
 * the dummy regression on the duplicated rows, Frisch-Waugh-Lovell). The
 * algebraic paths cannot serve here: demeaning depends on the sample.
 * The refits run side by side, one per thread, each in its own part of one
 * workspace made before the first (ols.c): the demeaning, which is most of
 * a refit, does not thread over rows, while replicates are independent. */
attrib_status attrib__boot_ols_refit(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                     const attrib_boot_options *o, const int32_t *cl, size_t G, attrib_boot_result *r,
                                     attrib_error *err) {
  size_t B = o->replicates, T = attrib__threads(o->threads, ATTRIB__BOOT_REFIT_BATCH);
  attrib_status st;
  attrib__ols_ws *ws = NULL;
  attrib__boot_reps ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.vcov = ATTRIB_VCOV_IID; /* only the coefficient is used */
  if (!ro.beta_j || !ro.t || !ro.ok) st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
  else if (!(st = attrib__ols_ws_alloc(d, &oo, T, &ws, err)) &&
           !(st = attrib__boot_refit(d, o, cl, G, coef, T, ols_refit, ws, &ro, err)))
    st = attrib__boot_finish(r, o, &ro, B, fit->coef.std_error[coef], 0.0, o->null_value, err);
  attrib__ols_ws_free(ws);
  attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  return st;
}

/* ---- logit / probit: weighted refits --------------------------------------
 * A likelihood has no sufficient statistics to merge, so every replicate
 * is a refit: the design's weights times the replicate's row (pairs) or
 * cluster counts, through the same IRLS (which threads over rows), on a
 * workspace made before the first replicate (logit.c: attrib__logit_ws),
 * one per refit thread. Refits that fail (separation or a term absent from
 * the resample) are counted and left out. */
#define LOGIT_REFIT_THREADS 1 /* one refit at a time: IRLS threads over the rows itself */

typedef struct logit_refit_ctx {
  const attrib_logit_options *lo;
  double estimate;                          /* the full fit's, for t */
  attrib__logit_ws *ws[LOGIT_REFIT_THREADS]; /* per refit thread */
} logit_refit_ctx;

static attrib_status logit_refit(const attrib_design *dd, void *ctx, size_t thread, size_t coef, double *beta,
                                 double *t, int *ok) {
  const logit_refit_ctx *c = ctx;
  double se = NAN;
  attrib_status sr = attrib__logit_ws_refit(c->ws[thread], dd, c->lo, coef, beta, &se, ok);
  if (*ok) *t = (*beta - c->estimate) / se;
  return sr;
}

attrib_status attrib_logit_bootstrap(const attrib_design *d, const attrib_logit_result *fit, size_t coef,
                                     const attrib_boot_options *o, attrib_boot_result **out, attrib_error *err) {
  *out = NULL;
  if (!d || !fit || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_logit_bootstrap: NULL argument");
  if (coef >= fit->coef.k || fit->coef.aliased[coef])
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: the coefficient is not estimable");
  attrib_status st0 = attrib__boot_check_replicates(o, err);
  if (st0) return st0;
  if (o->type != ATTRIB_BOOT_PAIRS && o->type != ATTRIB_BOOT_CLUSTER)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the %s bootstrap is for linear models and influence functions; for logit use pairs or cluster",
                        attrib_boot_type_name(o->type));
  const int32_t *cl = d->n_cluster ? d->cluster[0].codes : NULL;
  size_t G = d->n_cluster ? d->cluster[0].n_levels : 0, n = d->n, B = o->replicates;
  if (o->type == ATTRIB_BOOT_CLUSTER && !cl)
    return attrib__fail(err, ATTRIB_EINVAL, "the cluster bootstrap needs design.cluster COL");
  if (o->ci == ATTRIB_CI_BCA && (!fit->fitted || !fit->linear_predictor || !fit->vcov || fit->coef.k != d->k))
    return attrib__fail(err, ATTRIB_EINVAL, "BCa needs the fit's fitted values (fit with keep_fitted)");
  attrib_status st = ATTRIB_OK;
  logit_refit_ctx lc = {NULL, 0.0, {NULL}}; /* before the first goto: done frees its workspaces */
  attrib_boot_result *r = attrib__calloc(1, sizeof *r);
  attrib__boot_reps ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  if (!r || !ro.beta_j || !ro.t || !ro.ok) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    goto done;
  }
  r->replicates = B, r->type = o->type, r->ci = o->ci, r->level = o->level;
  r->estimate = fit->coef.estimate[coef];
  r->n_clusters = o->type == ATTRIB_BOOT_CLUSTER ? G : 0;
  attrib_logit_options lo;
  attrib_logit_options_init(&lo);
  lo.link = fit->link;
  lo.threads = o->threads;
  lo.warm_start = 0; /* the weights make every replicate a different problem */
  lc.lo = &lo;
  lc.estimate = r->estimate;
  for (size_t th = 0; th < LOGIT_REFIT_THREADS; th++)
    if ((st = attrib__logit_ws_alloc(d, &lo, &lc.ws[th], err))) goto done;
  if ((st = attrib__boot_refit(d, o, cl, G, coef, LOGIT_REFIT_THREADS, logit_refit, &lc, &ro, err))) goto done;
  /* BCa: the acceleration from the full fit's influence values
   * L_i = a' s_i, a = row j of the inverse information (fit->vcov, iid),
   * s_i = w_i (y_i - mu_i) x_i for the logit, w_i (y_i - Phi_i) phi_i /
   * (Phi_i (1 - Phi_i)) x_i for the probit (the score of row i) */
  double acc = 0.0;
  if (o->ci == ATTRIB_CI_BCA) {
    size_t k = d->k, Bk = ATTRIB__BLOCK_ROWS;
    double *blk = attrib__malloc(Bk * (k ? k : 1), sizeof *blk);
    if (!blk) {
      st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
      goto done;
    }
    const double *a = fit->vcov + coef * fit->coef.k;
    long double l2 = 0, l3 = 0;
    for (size_t r0 = 0; r0 < n; r0 += Bk) {
      size_t p = n - r0 < Bk ? n - r0 : Bk;
      attrib_design_fill_rows(d, r0, p, blk, p);
      for (size_t i = 0; i < p; i++) {
        double mu = fit->fitted[r0 + i], eta = fit->linear_predictor[r0 + i], yv = d->y[r0 + i];
        double f = fit->link == ATTRIB_LINK_LOGIT
                       ? yv - mu
                       : (yv - mu) * exp(-0.5 * eta * eta) / sqrt(2.0 * M_PI) / (mu * (1.0 - mu));
        f *= d->w ? d->w[r0 + i] : 1.0;
        double L = 0.0;
        for (size_t c = 0; c < k; c++)
          if (!fit->coef.aliased[c]) L += a[c] * blk[c * p + i];
        L *= f;
        l2 += (long double)L * L, l3 += (long double)L * L * L;
      }
    }
    attrib__free(blk);
    acc = l2 > 0 ? (double)(l3 / (6.0L * powl(l2, 1.5L))) : 0.0;
  }
  st = attrib__boot_finish(r, o, &ro, B, fit->coef.std_error[coef], acc, o->null_value, err);
done:
  for (size_t th = 0; th < LOGIT_REFIT_THREADS; th++) attrib__logit_ws_free(lc.ws[th]);
  attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  if (st) {
    attrib_boot_result_free(r);
    return st;
  }
  *out = r;
  return ATTRIB_OK;
}
