#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>
#include <lapacke_utils.h>

#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"

int attrib__dgeqrf(int rows, int cols, double *A, int lda, double *tau, double *work, size_t lwork_have) {
  if (!work) return LAPACKE_dgeqrf(LAPACK_COL_MAJOR, rows, cols, A, lda, tau);
  /* LAPACKE_dgeqrf's own steps (LAPACKE 3.11): the NaN check, the
   * workspace query, the call with the optimal size (which fixes the
   * blocking, and so every bit of the result) */
  if (LAPACKE_get_nancheck() && LAPACKE_dge_nancheck(LAPACK_COL_MAJOR, rows, cols, A, lda)) return -4;
  double q = 0.0;
  lapack_int info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, rows, cols, A, lda, tau, &q, -1);
  if (info != 0) return info;
  lapack_int lwork = (lapack_int)q;
  if (lwork < 1 || (size_t)lwork > lwork_have) return LAPACKE_dgeqrf(LAPACK_COL_MAJOR, rows, cols, A, lda, tau);
  return LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, rows, cols, A, lda, tau, work, lwork);
}

attrib_status attrib__tsqr(const attrib__xsrc *X, const double *y, const double *w, double *R, double *norm2,
                           attrib__scratch *sc, attrib_error *err) {
  size_t n = X->n, k = X->k, m = k + (y != NULL);
  if (m == 0) return ATTRIB_OK;
  size_t lda = m + ATTRIB__BLOCK_ROWS; /* running R on top, panel below */
  double *A = attrib__scratch_calloc(sc, lda * m, sizeof *A);
  double *tau = attrib__scratch_malloc(sc, m, sizeof *tau);
  double *sw = w ? attrib__scratch_malloc(sc, ATTRIB__BLOCK_ROWS, sizeof *sw) : NULL;
  double *buf = X->X ? NULL : attrib__scratch_malloc(sc, ATTRIB__BLOCK_ROWS * (k ? k : 1), sizeof *buf);
  /* with a scratch, dgeqrf's work array too (one per panel otherwise) */
  double *work = sc ? attrib__scratch_malloc(sc, ATTRIB__GEQRF_WORK(m), sizeof *work) : NULL;
  attrib_status status = ATTRIB_OK;
  if (!A || !tau || (w && !sw) || (!X->X && !buf) || (sc && !work)) {
    status = attrib__fail(err, ATTRIB_ENOMEM, "QR: out of memory");
    goto done;
  }
  memset(R, 0, m * m * sizeof *R);
  if (norm2) memset(norm2, 0, m * sizeof *norm2);
  size_t have = 0;
  for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ldb = 0;
    const double *blk = k ? attrib__xsrc_block(X, r0, p, buf, &ldb) : NULL;
    if (w)
      for (size_t i = 0; i < p; i++) sw[i] = sqrt(w[r0 + i]);
    for (size_t j = 0; j < m; j++) {
      double *a = A + j * lda;
      for (size_t i = 0; i < have; i++) a[i] = i <= j ? R[j * m + i] : 0.0;
      const double *x = j < k ? blk + j * ldb : y + r0;
      double *dst = a + have;
      if (w)
        for (size_t i = 0; i < p; i++) dst[i] = sw[i] * x[i];
      else
        memcpy(dst, x, p * sizeof *dst);
      if (norm2)
        for (size_t i = 0; i < p; i++) norm2[j] += dst[i] * dst[i];
    }
    size_t rows = have + p;
    lapack_int info = attrib__dgeqrf((lapack_int)rows, (lapack_int)m, A, (lapack_int)lda, tau, work,
                                     work ? ATTRIB__GEQRF_WORK(m) : 0);
    if (info != 0) {
      status = attrib__fail(err, ATTRIB_ENUMERIC, "QR: LAPACK dgeqrf failed (info %d)", (int)info);
      goto done;
    }
    have = rows < m ? rows : m;
    for (size_t j = 0; j < m; j++)
      for (size_t i = 0; i < m; i++) R[j * m + i] = (i <= j && i < have) ? A[j * lda + i] : 0.0;
  }
done:
  attrib__scratch_free(sc, A);
  attrib__scratch_free(sc, tau);
  attrib__scratch_free(sc, sw);
  attrib__scratch_free(sc, buf);
  attrib__scratch_free(sc, work);
  return status;
}

attrib_status attrib__dqrdc2(double *R, size_t k, size_t ldr, const double *ref_norm2, double tol,
                             int *aliased, attrib__scratch *sc, attrib_error *err) {
  size_t *col = attrib__scratch_malloc(sc, k ? k : 1, sizeof *col);
  double *hv = attrib__scratch_malloc(sc, k ? k : 1, sizeof *hv);
  if (!col || !hv) {
    attrib__scratch_free(sc, col);
    attrib__scratch_free(sc, hv);
    return attrib__fail(err, ATTRIB_ENOMEM, "rank check: out of memory");
  }
  for (size_t j = 0; j < k; j++) col[j] = j, aliased[j] = 0;
  size_t kept = 0, left = k;
  while (kept < left) {
    double *a = R + col[kept] * ldr;
    double rem = 0.0;
    for (size_t i = kept; i < k; i++) rem += a[i] * a[i];
    double ref = ref_norm2[col[kept]] > 0.0 ? ref_norm2[col[kept]] : 1.0;
    if (sqrt(rem) <= tol * sqrt(ref)) {
      aliased[col[kept]] = 1;
      memmove(col + kept, col + kept + 1, (left - kept - 1) * sizeof *col);
      left--;
      continue;
    }
    /* Householder reflector mapping a[kept..k) onto the first axis */
    double nrm = sqrt(rem), alpha = a[kept] >= 0 ? -nrm : nrm, hn2 = 0.0;
    for (size_t i = kept; i < k; i++) hv[i] = a[i];
    hv[kept] -= alpha;
    for (size_t i = kept; i < k; i++) hn2 += hv[i] * hv[i];
    if (hn2 > 0.0)
      for (size_t t = kept; t < left; t++) {
        double *b = R + col[t] * ldr, s = 0.0;
        for (size_t i = kept; i < k; i++) s += hv[i] * b[i];
        s = 2.0 * s / hn2;
        for (size_t i = kept; i < k; i++) b[i] -= s * hv[i];
      }
    kept++;
  }
  attrib__scratch_free(sc, col);
  attrib__scratch_free(sc, hv);
  return ATTRIB_OK;
}

typedef struct xtwx_job {
  const attrib__xsrc *X;
  const double *w, *y;
  size_t chunk_rows, k;
  double *G, *b;      /* per chunk: (k + 1)-square partials of [X, y]; b: the output X'Wy, or NULL */
  double **buf, **sbuf, **wy; /* per thread scratch */
} xtwx_job;

static void xtwx_chunk(void *ctx, size_t c, size_t t) {
  xtwx_job *j = ctx;
  const attrib__xsrc *X = j->X;
  size_t k = j->k, B = ATTRIB__BLOCK_ROWS, end = (c + 1) * j->chunk_rows;
  if (end > X->n) end = X->n;
  /* the chunk's (k + 1)-square partial; b only says whether y is wanted */
  double *G = j->G + c * (k + 1) * (k + 1), *b = j->b;
  double *buf = j->buf[t], *sbuf = j->sbuf[t], *wy = j->wy[t];
  for (size_t r0 = c * j->chunk_rows; r0 < end; r0 += B) {
    size_t p = end - r0 < B ? end - r0 : B, ldb;
    const double *blk = attrib__xsrc_block(X, r0, p, buf, &ldb);
    const double *A = blk;
    size_t lda = ldb;
    if (j->w) {
      for (size_t i = 0; i < p; i++) wy[i] = sqrt(j->w[r0 + i]);
      for (size_t q = 0; q < k; q++)
        for (size_t i = 0; i < p; i++) sbuf[q * p + i] = wy[i] * blk[q * ldb + i];
      A = sbuf;
      lda = p;
      if (b)
        for (size_t i = 0; i < p; i++) wy[i] *= j->y[r0 + i];
    }
    /* [A, wy]'[A, wy] in one call: X'WX and X'Wy from one read of the
     * block (the (k + 1)-square partial's last column is X'Wy) */
    attrib__crossprod(p, k, A, lda, !b ? NULL : j->w ? wy : j->y + r0, G, k + 1);
  }
}

attrib_status attrib__xtwx(const attrib__xsrc *X, const double *w, const double *y, double *G, double *b,
                           attrib__scratch *sc, attrib_error *err) {
  size_t n = X->n, k = X->k;
  memset(G, 0, k * k * sizeof *G);
  if (b) memset(b, 0, k * sizeof *b);
  if (k == 0 || n == 0) return ATTRIB_OK;
  size_t chunk_rows, C = attrib__chunks(n, &chunk_rows);
  if (C > 1 && C * (k + 1) * (k + 1) * sizeof(double) > ((size_t)64 << 20)) { /* partials too large: one chunk */
    C = 1;
    chunk_rows = n;
  }
  size_t T = attrib__threads(X->threads, C), B = ATTRIB__BLOCK_ROWS;
  xtwx_job j = {X, w, y && b ? y : NULL, chunk_rows, k, NULL, NULL, NULL, NULL, NULL};
  size_t k1 = k + 1;
  j.G = attrib__scratch_calloc(sc, C * k1 * k1, sizeof *j.G);
  j.b = j.y ? b : NULL;
  j.buf = attrib__scratch_calloc(sc, T, sizeof *j.buf);
  j.sbuf = attrib__scratch_calloc(sc, T, sizeof *j.sbuf);
  j.wy = attrib__scratch_calloc(sc, T, sizeof *j.wy);
  int ok = j.G && j.buf && j.sbuf && j.wy;
  for (size_t t = 0; ok && t < T; t++) {
    j.buf[t] = X->X ? NULL : attrib__scratch_malloc(sc, B * k, sizeof **j.buf);
    j.sbuf[t] = w ? attrib__scratch_malloc(sc, B * k, sizeof **j.sbuf) : NULL;
    j.wy[t] = attrib__scratch_malloc(sc, B, sizeof **j.wy);
    ok = (X->X || j.buf[t]) && (!w || j.sbuf[t]) && j.wy[t];
  }
  if (ok) {
    attrib__parallel_chunks(C, T, xtwx_chunk, &j);
    for (size_t c = 0; c < C; c++) { /* merge in chunk order: thread count never changes the sums */
      const double *Gc = j.G + c * k1 * k1;
      for (size_t q = 0; q < k; q++)
        for (size_t i = 0; i <= q; i++) G[q * k + i] += Gc[q * k1 + i];
      for (size_t q = 0; j.y && q < k; q++) b[q] += Gc[k * k1 + q];
    }
  }
  for (size_t t = 0; j.buf && t < T; t++) {
    attrib__scratch_free(sc, j.buf[t]);
    if (j.sbuf) attrib__scratch_free(sc, j.sbuf[t]);
    if (j.wy) attrib__scratch_free(sc, j.wy[t]);
  }
  attrib__scratch_free(sc, j.G);
  attrib__scratch_free(sc, j.buf);
  attrib__scratch_free(sc, j.sbuf);
  attrib__scratch_free(sc, j.wy);
  return ok ? ATTRIB_OK : attrib__fail(err, ATTRIB_ENOMEM, "cross-products: out of memory");
}

void attrib__symmetrize(double *A, size_t k) {
  for (size_t j = 0; j < k; j++)
    for (size_t i = j + 1; i < k; i++) A[j * k + i] = A[i * k + j];
}

int attrib__spd_inverse(double *A, size_t k) {
  if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)k, A, (lapack_int)k) != 0) return -1;
  if (LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)k, A, (lapack_int)k) != 0) return -1;
  attrib__symmetrize(A, k);
  return 0;
}

void attrib__xb(size_t p, size_t r, const double *A, size_t ld, const size_t *cols, const double *beta,
                double *out) {
  /* Tiles of rows keep the partial sums in L1 while every column streams
   * through; within a tile the loop over rows vectorises, and each row's
   * sum still runs over j in order. */
  enum { TILE = 512 };
  for (size_t i0 = 0; i0 < p; i0 += TILE) {
    size_t m = p - i0 < TILE ? p - i0 : TILE;
    double *o = out + i0;
    for (size_t i = 0; i < m; i++) o[i] = 0.0;
    for (size_t j = 0; j < r; j++) {
      const double *a = A + (cols ? cols[j] : j) * ld + i0;
      double b = beta[j];
      for (size_t i = 0; i < m; i++) o[i] += a[i] * b;
    }
  }
}

