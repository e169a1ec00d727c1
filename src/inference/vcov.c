/*
 * Sandwich covariance estimators for least squares (docs/methods/ols.md).
 *
 *   V = B M B,  B = (X'WX)^-1,
 *   HC:      M = sum_i omega_i x_i x_i',  omega_i = (w_i e_i)^2 / (1 - h_i)^a
 *            (a = 0 for HC0/HC1, 1 for HC2, 2 for HC3; MacKinnon & White
 *            1985, J. Econometrics 29), HC1 multiplied by n / (n - K);
 *   cluster: M = sum_g s_g s_g',  s_g = sum_{i in g} w_i e_i x_i, with the
 *            CR1 factor G/(G-1) (n-1)/(n-K) (Stata's, sandwich::vcovCL's
 *            HC1 default); two-way: V_1 + V_2 - V_12 with each term's own
 *            G (Cameron, Gelbach & Miller 2011, JBES 29(2), eq. 2.11), and a
 *            matrix that is not positive semi-definite has its negative
 *            eigenvalues set to zero (their sec. 2.3).
 * No n-by-k copy of X is made: the meat is accumulated from blocks of rows
 * (HC) or from per-cluster scores, O(G k) memory (clusters).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "inference/inference_internal.h"

/* (inference_internal.h) */
attrib_status attrib__sandwich(const double *B, const double *M, size_t r, double s, double *V, attrib_error *err) {
  double *T = attrib__malloc(r > 0 ? r * r : 1, sizeof *T);
  if (!T) return attrib__fail(err, ATTRIB_ENOMEM, "vcov: out of memory");
  cblas_dsymm(CblasColMajor, CblasLeft, CblasUpper, (int)r, (int)r, 1.0, B, (int)r, M, (int)r, 0.0, T, (int)r);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)r, (int)r, (int)r, s, T, (int)r, B, (int)r, 0.0, V, (int)r);
  attrib__free(T);
  /* exact symmetry */
  for (size_t j = 0; j < r; j++)
    for (size_t i = j + 1; i < r; i++) {
      double a = 0.5 * (V[j * r + i] + V[i * r + j]);
      V[j * r + i] = V[i * r + j] = a;
    }
  return ATTRIB_OK;
}

/* Block scratch for generated sources; NULL for materialised ones. */
static double *block_buf(const attrib__xsrc *X) {
  return X->X ? NULL : attrib__malloc(ATTRIB__BLOCK_ROWS * (X->k ? X->k : 1), sizeof(double));
}

attrib_status attrib__leverage(const attrib__xsrc *X, const size_t *cols, size_t r, const double *R,
                               const double *w, double *h, attrib_error *err) {
  size_t B = ATTRIB__BLOCK_ROWS, n = X->n;
  double *Z = attrib__malloc(B * (r ? r : 1), sizeof *Z), *buf = block_buf(X);
  if (!Z || (!X->X && !buf)) {
    attrib__free(Z);
    attrib__free(buf);
    return attrib__fail(err, ATTRIB_ENOMEM, "leverage: out of memory");
  }
  for (size_t r0 = 0; r0 < n; r0 += B) {
    size_t p = n - r0 < B ? n - r0 : B, ld;
    const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
    for (size_t j = 0; j < r; j++) memcpy(Z + j * p, blk + cols[j] * ld, p * sizeof *Z);
    /* Z = X_block R^-1: row i is (R^-T x_i)' */
    cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, (int)p, (int)r, 1.0,
                R, (int)r, Z, (int)p);
    for (size_t i = 0; i < p; i++) h[r0 + i] = 0.0;
    for (size_t j = 0; j < r; j++)
      for (size_t i = 0; i < p; i++) h[r0 + i] += Z[j * p + i] * Z[j * p + i];
    if (w)
      for (size_t i = 0; i < p; i++) h[r0 + i] *= w[r0 + i];
  }
  attrib__free(Z);
  attrib__free(buf);
  return ATTRIB_OK;
}

attrib_status attrib__vcov_hc(const attrib__xsrc *X, const size_t *cols, size_t r, const double *bread,
                              const double *w, const double *e, const double *h, attrib_vcov_type type,
                              double dof_scale, double *V, attrib_error *err) {
  size_t B = ATTRIB__BLOCK_ROWS, n = X->n;
  double *sbuf = attrib__malloc(B * (r ? r : 1), sizeof *sbuf);
  double *M = attrib__calloc(r > 0 ? r * r : 1, sizeof *M);
  double *sq = attrib__malloc(B, sizeof *sq);
  double *buf = block_buf(X);
  attrib_status s = ATTRIB_OK;
  if (!sbuf || !M || !sq || (!X->X && !buf)) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "vcov: out of memory");
    goto done;
  }
  for (size_t r0 = 0; r0 < n; r0 += B) {
    size_t p = n - r0 < B ? n - r0 : B, ld;
    const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
    for (size_t i = 0; i < p; i++) {
      double we = (w ? w[r0 + i] : 1.0) * e[r0 + i];
      double om = we * we;
      if (type == ATTRIB_VCOV_HC2) om /= 1.0 - h[r0 + i];
      if (type == ATTRIB_VCOV_HC3) om /= (1.0 - h[r0 + i]) * (1.0 - h[r0 + i]);
      sq[i] = sqrt(om);
    }
    for (size_t j = 0; j < r; j++) {
      const double *x = blk + cols[j] * ld;
      double *d = sbuf + j * p;
      for (size_t i = 0; i < p; i++) d[i] = sq[i] * x[i];
    }
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)r, (int)p, 1.0, sbuf, (int)p, 1.0, M, (int)r);
  }
  attrib__symmetrize(M, r);
  s = attrib__sandwich(bread, M, r, type == ATTRIB_VCOV_HC1 ? dof_scale : 1.0, V, err);
done:
  attrib__free(sbuf);
  attrib__free(M);
  attrib__free(sq);
  attrib__free(buf);
  return s;
}

typedef struct keyidx {
  int64_t key;
  size_t i;
} keyidx;

static int cmp_keyidx(const void *a, const void *b) {
  const keyidx *x = a, *y = b;
  return (x->key > y->key) - (x->key < y->key);
}

attrib_status attrib__clusters_init(attrib__clusters *cl, size_t n, size_t dims, const int32_t *const *codes,
                                    const size_t *G, attrib_error *err) {
  memset(cl, 0, sizeof *cl);
  cl->dims = dims;
  for (size_t d = 0; d < dims && d < 2; d++) {
    cl->codes[d] = codes[d];
    cl->G[d] = G[d];
  }
  if (dims < 2) return ATTRIB_OK;
  keyidx *t = attrib__malloc(n ? n : 1, sizeof *t);
  cl->inter = attrib__malloc(n ? n : 1, sizeof *cl->inter);
  if (!t || !cl->inter) {
    attrib__free(t);
    attrib__clusters_free(cl);
    return attrib__fail(err, ATTRIB_ENOMEM, "clusters: out of memory");
  }
  for (size_t i = 0; i < n; i++) t[i] = (keyidx){(int64_t)codes[0][i] * (int64_t)G[1] + codes[1][i], i};
  qsort(t, n, sizeof *t, cmp_keyidx);
  size_t g = 0;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && t[i].key != t[i - 1].key) g++;
    cl->inter[t[i].i] = (int32_t)g;
  }
  cl->G_inter = n ? g + 1 : 0;
  attrib__free(t);
  return ATTRIB_OK;
}

void attrib__clusters_free(attrib__clusters *cl) {
  attrib__free(cl->inter);
  cl->inter = NULL;
}

/* Sets negative eigenvalues of the symmetric V to zero; returns whether any was. */
static int psd_fix(double *V, size_t r) {
  double *A = attrib__malloc(r * r, sizeof *A), *ev = attrib__malloc(r, sizeof *ev);
  int fixed = 0;
  if (!A || !ev) goto done;
  memcpy(A, V, r * r * sizeof *A);
  if (LAPACKE_dsyev(LAPACK_COL_MAJOR, 'V', 'U', (lapack_int)r, A, (lapack_int)r, ev) != 0) goto done;
  for (size_t j = 0; j < r; j++)
    if (ev[j] < 0.0) ev[j] = 0.0, fixed = 1;
  if (!fixed) goto done;
  for (size_t a = 0; a < r; a++)
    for (size_t b = 0; b < r; b++) {
      double s = 0.0;
      for (size_t j = 0; j < r; j++) s += A[j * r + a] * ev[j] * A[j * r + b];
      V[b * r + a] = s;
    }
done:
  attrib__free(A);
  attrib__free(ev);
  return fixed;
}

typedef struct scores_job {
  const attrib__xsrc *X;
  const size_t *cols;
  size_t r, terms, chunk_rows;
  const int32_t *codes[3];
  size_t G[3];
  const double *w, *e;
  /* the fused pass (attrib__vcov_cluster_resid): e = y - X_cols beta is
   * written into eout block by block, then scored while the block is in
   * cache; beta NULL: e is given */
  const double *y, *beta;
  double *eout;
  double **S;            /* per chunk and term: G x r */
  double **buf, **we;    /* per thread scratch */
} scores_job;

/* Per-cluster scores s_g = sum_{i in g} w_i e_i x_i of one chunk of rows, for
 * every clustering at once. */
static void scores_chunk(void *ctx, size_t c, size_t t) {
  scores_job *j = ctx;
  size_t n = j->X->n, B = ATTRIB__BLOCK_ROWS, end = (c + 1) * j->chunk_rows;
  if (end > n) end = n;
  double *we = j->we[t];
  for (size_t r0 = c * j->chunk_rows; r0 < end; r0 += B) {
    size_t p = end - r0 < B ? end - r0 : B, ld;
    const double *blk = attrib__xsrc_block(j->X, r0, p, j->buf[t], &ld);
    if (j->beta) { /* attrib__ls_residuals' arithmetic, bit for bit */
      double *eb = j->eout + r0;
      attrib__xb(p, j->r, blk, ld, j->r == j->X->k ? NULL : j->cols, j->beta, eb);
      for (size_t i = 0; i < p; i++) eb[i] = j->y[r0 + i] - eb[i];
    }
    for (size_t i = 0; i < p; i++) we[i] = (j->w ? j->w[r0 + i] : 1.0) * j->e[r0 + i];
    for (size_t q = 0; q < j->terms; q++) {
      const int32_t *code = j->codes[q] + r0;
      double *S = j->S[c * j->terms + q];
      for (size_t a = 0; a < j->r; a++) {
        const double *x = blk + j->cols[a] * ld;
        double *sg = S + a * j->G[q];
        for (size_t i = 0; i < p; i++) sg[code[i]] += we[i] * x[i];
      }
    }
  }
}

static attrib_status vcov_cluster(const attrib__xsrc *X, const size_t *cols, size_t r, const double *bread,
                                  const double *w, const double *e, const double *y, const double *beta, double *eout,
                                  const attrib__clusters *cl, double Kadj, double *V, int *psd_fixed,
                                  attrib_error *err) {
  size_t n = X->n, terms = cl->dims < 2 ? 1 : 3, B = ATTRIB__BLOCK_ROWS, chunk_rows;
  scores_job j = {X, cols, r, terms, 0, {cl->codes[0], cl->codes[1], cl->inter}, {cl->G[0], cl->G[1], cl->G_inter},
                  w, beta ? eout : e, y, beta, eout, NULL, NULL, NULL};
  size_t per_chunk = 0;
  for (size_t q = 0; q < terms; q++) per_chunk += j.G[q] * (r ? r : 1);
  size_t C = attrib__chunks(n, &chunk_rows);
  if (C > 1 && C * per_chunk * sizeof(double) > ((size_t)256 << 20)) { /* partials too large: one chunk */
    C = 1;
    chunk_rows = n;
  }
  j.chunk_rows = chunk_rows;
  size_t T = attrib__threads(X->threads, C);
  double *M = attrib__malloc(r > 0 ? r * r : 1, sizeof *M);
  double *Vt = attrib__malloc(r > 0 ? r * r : 1, sizeof *Vt);
  j.S = attrib__calloc(C * terms, sizeof *j.S);
  j.buf = attrib__calloc(T, sizeof *j.buf);
  j.we = attrib__calloc(T, sizeof *j.we);
  attrib_status s = ATTRIB_OK;
  *psd_fixed = 0;
  int ok = M && Vt && j.S && j.buf && j.we;
  for (size_t c = 0; ok && c < C; c++)
    for (size_t q = 0; ok && q < terms; q++)
      ok = (j.S[c * terms + q] = attrib__calloc(j.G[q] * (r ? r : 1), sizeof(double))) != NULL;
  for (size_t t = 0; ok && t < T; t++) {
    j.buf[t] = X->X ? NULL : attrib__malloc(B * (X->k ? X->k : 1), sizeof(double));
    j.we[t] = attrib__malloc(B, sizeof(double));
    ok = (X->X || j.buf[t]) && j.we[t];
  }
  if (!ok) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "vcov: out of memory");
    goto done;
  }
  attrib__parallel_chunks(C, T, scores_chunk, &j);
  for (size_t c = 1; c < C; c++) /* merge in chunk order */
    for (size_t q = 0; q < terms; q++)
      for (size_t a = 0; a < j.G[q] * r; a++) j.S[q][a] += j.S[c * terms + q][a];
  double small = ((double)n - 1.0) / ((double)n - Kadj);
  memset(V, 0, r * r * sizeof *V);
  for (size_t q = 0; q < terms; q++) {
    double g = (double)j.G[q], sign = q < 2 ? 1.0 : -1.0;
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)r, (int)j.G[q], 1.0, j.S[q], (int)j.G[q], 0.0, M, (int)r);
    attrib__symmetrize(M, r);
    if ((s = attrib__sandwich(bread, M, r, sign * g / (g - 1.0) * small, Vt, err))) goto done;
    for (size_t a = 0; a < r * r; a++) V[a] += Vt[a];
  }
  if (cl->dims >= 2) *psd_fixed = psd_fix(V, r);
done:
  for (size_t c = 0; j.S && c < C * terms; c++) attrib__free(j.S[c]);
  for (size_t t = 0; j.buf && t < T; t++) {
    attrib__free(j.buf[t]);
    if (j.we) attrib__free(j.we[t]);
  }
  attrib__free(j.S);
  attrib__free(j.buf);
  attrib__free(j.we);
  attrib__free(M);
  attrib__free(Vt);
  return s;
}

attrib_status attrib__vcov_cluster(const attrib__xsrc *X, const size_t *cols, size_t r, const double *bread,
                                   const double *w, const double *e, const attrib__clusters *cl, double Kadj, double *V,
                                   int *psd_fixed, attrib_error *err) {
  return vcov_cluster(X, cols, r, bread, w, e, NULL, NULL, NULL, cl, Kadj, V, psd_fixed, err);
}

attrib_status attrib__vcov_cluster_resid(const attrib__xsrc *X, const size_t *cols, size_t r, const double *beta,
                                         const double *y, double *e, const double *bread, const double *w,
                                         const attrib__clusters *cl, double Kadj, double *V, int *psd_fixed,
                                         attrib_error *err) {
  return vcov_cluster(X, cols, r, bread, w, NULL, y, beta, e, cl, Kadj, V, psd_fixed, err);
}
