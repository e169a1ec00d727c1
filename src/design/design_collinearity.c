/*
 * Rank detection as R's lm does it, without a copy of X.
 *
 * 1. The R factor of (sqrt(w) X) comes from a streaming TSQR: panels of rows
 *    are stacked under the running R and reduced with LAPACK dgeqrf
 *    (Demmel et al. 2012, "Communication-optimal parallel and sequential QR
 *    and LU factorizations", SIAM J. Sci. Comput. 34(1)). Householder QR is
 *    backward stable, so X = QR holds even when X is rank deficient.
 * 2. Because Q is orthogonal, the norm of what is left of column j after
 *    projecting out any set of other columns is the same for R as for X. So
 *    R's dqrdc2 rule (a column is aliased when that remaining norm falls
 *    below tol times its original norm, and it is then moved aside) can run
 *    on the k-by-k R instead of the n-by-k X.
 */
#include <math.h>
#include <string.h>

#include <lapacke.h>

#include <attrib/design.h>
#include "core/attrib_internal.h"

#define PANEL_ROWS 2048

attrib_status attrib_collinear_detect(const double *X, size_t n, size_t k, size_t ld,
                                      const double *w, double tol, int *aliased,
                                      attrib_error *err) {
  if (k == 0) return ATTRIB_OK;
  if (!X || !aliased || ld < n) return attrib__fail(err, ATTRIB_EINVAL, "attrib_collinear_detect: bad arguments");
  size_t m = k + PANEL_ROWS; /* stacked rows: running R on top, panel below */
  double *A = attrib__calloc(m * k, sizeof *A);
  double *tau = attrib__malloc(k, sizeof *tau);
  double *R = attrib__calloc(k * k, sizeof *R);
  double *norm2 = attrib__calloc(k, sizeof *norm2);
  size_t *col = attrib__malloc(k, sizeof *col);
  attrib_status status = ATTRIB_OK;
  if (!A || !tau || !R || !norm2 || !col) {
    status = attrib__fail(err, ATTRIB_ENOMEM, "collinearity check: out of memory");
    goto done;
  }
  size_t have = 0; /* rows of the running R in A (0 before the first panel) */
  for (size_t r0 = 0; r0 < n; r0 += PANEL_ROWS) {
    size_t p = n - r0 < PANEL_ROWS ? n - r0 : PANEL_ROWS;
    size_t rows = have + p;
    /* A is column-major with leading dimension m */
    for (size_t j = 0; j < k; j++) {
      double *a = A + j * m;
      for (size_t i = 0; i < have; i++) a[i] = i <= j ? R[j * k + i] : 0.0;
      const double *x = X + j * ld + r0;
      if (w) {
        for (size_t i = 0; i < p; i++) a[have + i] = sqrt(w[r0 + i]) * x[i];
      } else {
        memcpy(a + have, x, p * sizeof *a);
      }
      for (size_t i = 0; i < p; i++) norm2[j] += a[have + i] * a[have + i];
    }
    lapack_int info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)rows, (lapack_int)k, A,
                                     (lapack_int)m, tau);
    if (info != 0) {
      status = attrib__fail(err, ATTRIB_ENUMERIC, "collinearity check: LAPACK dgeqrf failed (info %d)", (int)info);
      goto done;
    }
    have = rows < k ? rows : k;
    memset(R, 0, k * k * sizeof *R);
    for (size_t j = 0; j < k; j++)
      for (size_t i = 0; i <= j && i < have; i++) R[j * k + i] = A[j * m + i];
  }

  /* dqrdc2 on the k-by-k R: Householder with columns moved aside. */
  size_t kept = 0;
  for (size_t j = 0; j < k; j++) col[j] = j;
  size_t left = k; /* columns still in play: col[kept..left) */
  double v[512];
  double *hv = k <= 512 ? v : attrib__malloc(k, sizeof *hv);
  if (!hv) {
    status = attrib__fail(err, ATTRIB_ENOMEM, "collinearity check: out of memory");
    goto done;
  }
  memset(aliased, 0, k * sizeof *aliased);
  while (kept < left) {
    size_t c = col[kept];
    double *a = R + c * k;
    double rem = 0.0;
    for (size_t i = kept; i < k; i++) rem += a[i] * a[i];
    double orig = norm2[c] > 0.0 ? sqrt(norm2[c]) : 1.0;
    if (sqrt(rem) <= tol * orig) {
      aliased[c] = 1;
      memmove(col + kept, col + kept + 1, (left - kept - 1) * sizeof *col);
      left--;
      continue;
    }
    /* reflector that maps a[kept..k) to (-+||.||, 0, ...) */
    double nrm = sqrt(rem);
    double alpha = a[kept] >= 0 ? -nrm : nrm;
    for (size_t i = kept; i < k; i++) hv[i] = a[i];
    hv[kept] -= alpha;
    double hn2 = 0.0;
    for (size_t i = kept; i < k; i++) hn2 += hv[i] * hv[i];
    if (hn2 > 0.0)
      for (size_t t = kept; t < left; t++) {
        double *b = R + col[t] * k;
        double s = 0.0;
        for (size_t i = kept; i < k; i++) s += hv[i] * b[i];
        s = 2.0 * s / hn2;
        for (size_t i = kept; i < k; i++) b[i] -= s * hv[i];
      }
    kept++;
  }
  if (hv != v) attrib__free(hv);
done:
  attrib__free(A);
  attrib__free(tau);
  attrib__free(R);
  attrib__free(norm2);
  attrib__free(col);
  return status;
}
