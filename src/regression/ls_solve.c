/*
 * Least squares that is both fast on millions of rows and accurate on NIST's
 * hardest problems (docs/methods/ols.md).
 *
 * Fast path (large, well-conditioned X): the normal equations X'WX b = X'Wy
 * from one pass of block cross-products (attrib__xtwx), equilibrated to unit diagonal and factored by
 * Cholesky, accepted only when LAPACK's condition estimate says
 * cond(X) < 1e4; then one step of refinement with the residual (the
 * "corrected semi-normal equations", Bjorck 1987, BIT 27), which brings the
 * error down to what QR achieves when cond(X) * sqrt(eps) < 1.
 *
 * Accurate path (small, ill-conditioned or rank-deficient X): the R factor of
 * [X y] by streaming Householder TSQR, rank decided by R's dqrdc2 rule, then
 * up to three refinement steps whose residuals and cross-products are
 * accumulated in long double (Bjorck 1996, "Numerical Methods for Least
 * Squares Problems", sec. 2.9). This is what takes NIST Filip and Wampler5
 * past the accuracy of R's lm.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>
#include <lapacke_utils.h>

#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "regression/regression_internal.h"

/* Problems this small always take the accurate path: it costs nothing. */
#define SMALL_PROBLEM ((size_t)1 << 22)
/* Problems this small are factored entirely in long double (80-bit on
 * x86-64: 64-bit significand), three more digits for NIST's hardest. */
#define TINY_PROBLEM ((size_t)1 << 17)
/* Reciprocal condition of the equilibrated X'WX below which Cholesky is
 * not trusted: cond(X) = 1e4. */
#define RCOND_MIN 1e-8
/* Above this the refinement step is skipped: cond(X) <= 100, so the normal
 * equations' relative error, about cond(X)^2 eps, is below 1e-12. */
#define RCOND_NO_REFINE 1e-4

void attrib__ls_free(attrib__ls *ls) {
  if (!ls) return;
  attrib__scratch *sc = ls->scratch;
  attrib__scratch_free(sc, ls->cols);
  attrib__scratch_free(sc, ls->aliased);
  attrib__scratch_free(sc, ls->R);
  attrib__scratch_free(sc, ls->beta);
  attrib__scratch_free(sc, ls->bread);
  memset(ls, 0, sizeof *ls);
  ls->scratch = sc; /* a solve that starts over on another path keeps drawing from it */
}

/* Solves R'R x = b in place (R r-by-r upper, ld r). */
static void solve_rtr(const double *R, size_t r, double *b) {
  cblas_dtrsv(CblasColMajor, CblasUpper, CblasTrans, CblasNonUnit, (int)r, R, (int)r, b, 1);
  cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, (int)r, R, (int)r, b, 1);
}

/* One refinement step: beta += (R'R)^-1 X_kept' W (y - X_kept beta).
 * extended: residuals and cross-products accumulated in long double, column
 * by column (the accurate path); otherwise per-block dgemv in double, which
 * needs every column kept (the Cholesky path). Returns the relative size of
 * the correction. */
static double refine(attrib__ls *ls, const attrib__xsrc *X, const double *y, const double *w, int extended,
                     long double *acc, double *g, double *xr, double *buf) {
  size_t r = ls->r, n = X->n;
  for (size_t j = 0; j < r; j++) g[j] = 0.0;
  long double rss = 0.0L;
  if (extended) {
    long double gx[256], *gl = r <= 256 ? gx : NULL;
    for (size_t j = 0; gl && j < r; j++) gl[j] = 0.0L;
    for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
      size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
      const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
      for (size_t i = 0; i < p; i++) acc[i] = y[r0 + i];
      for (size_t j = 0; j < r; j++) {
        const double *x = blk + ls->cols[j] * ld;
        long double b = ls->beta[j];
        for (size_t i = 0; i < p; i++) acc[i] -= (long double)x[i] * b;
      }
      for (size_t i = 0; i < p; i++) {
        long double we = w ? acc[i] * (long double)w[r0 + i] : acc[i];
        rss += we * acc[i];
        acc[i] = we;
      }
      for (size_t j = 0; j < r; j++) {
        const double *x = blk + ls->cols[j] * ld;
        long double sum = 0.0L;
        for (size_t i = 0; i < p; i++) sum += (long double)x[i] * acc[i];
        if (gl) gl[j] += sum;
        else g[j] += (double)sum;
      }
    }
    for (size_t j = 0; gl && j < r; j++) g[j] = (double)gl[j];
    memcpy(xr, g, r * sizeof *xr);
  } else {
    double *e = (double *)acc; /* the buffer holds ATTRIB__BLOCK_ROWS doubles too */
    for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
      size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
      const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
      attrib__xb(p, r, blk, ld, NULL, ls->beta, e);
      for (size_t i = 0; i < p; i++) e[i] = y[r0 + i] - e[i];
      double part = 0.0;
      for (size_t i = 0; i < p; i++) {
        double we = w ? e[i] * w[r0 + i] : e[i];
        part += we * e[i];
        e[i] = we;
      }
      rss += part;
      cblas_dgemv(CblasColMajor, CblasTrans, (int)p, (int)r, 1.0, blk, (int)ld, e, 1, 1.0, g, 1);
    }
  }
  solve_rtr(ls->R, r, g);
  if (extended) {
    /* The residual sum of squares at the corrected beta, b + g with
     * R'R g = X'W e: rss(b + g) = rss(b) - g'X'W e (the cross term and the
     * quadratic term cancel at the solution). Summed in long double, this
     * is the rss at the least-squares solution itself, which sigma and the
     * standard errors are defined by; the residuals of beta rounded to
     * double would add that rounding (NIST Wampler1, an exact fit, would
     * get an SE of 1e-12 instead of 1e-14). */
    long double drop = 0.0L;
    for (size_t j = 0; j < r; j++) drop += (long double)g[j] * (long double)xr[j];
    rss -= drop;
    if (rss < 0.0L) rss = 0.0L;
    ls->rss_at_solution = 1;
  }
  double dmax = 0.0, bmax = 0.0;
  for (size_t j = 0; j < r; j++) {
    ls->beta[j] += g[j];
    if (fabs(g[j]) > dmax) dmax = fabs(g[j]);
    if (fabs(ls->beta[j]) > bmax) bmax = fabs(ls->beta[j]);
  }
  ls->rss = (double)rss; /* extended: at the corrected beta; else of the beta before the step, exact to O(step^2) */
  ls->refinements++;
  return bmax > 0.0 ? dmax / bmax : dmax;
}

static attrib_status alloc_out(attrib__ls *out, size_t k, size_t r) {
  out->k = k;
  out->r = r;
  out->cols = attrib__scratch_malloc(out->scratch, r ? r : 1, sizeof *out->cols);
  out->aliased = attrib__scratch_calloc(out->scratch, k ? k : 1, sizeof *out->aliased);
  out->R = attrib__scratch_calloc(out->scratch, r > 0 ? r * r : 1, sizeof *out->R);
  out->beta = attrib__scratch_calloc(out->scratch, r ? r : 1, sizeof *out->beta);
  return (out->cols && out->aliased && out->R && out->beta) ? ATTRIB_OK : ATTRIB_ENOMEM;
}

/* LAPACKE_dpocon on the upper factor G (k x k), its work arrays from sc
 * when there is one: LAPACKE's own NaN checks, then the same routine. */
static lapack_int pocon(size_t k, const double *G, double anorm, double *rcond, attrib__scratch *sc) {
  lapack_int n = (lapack_int)k;
  if (!sc) return LAPACKE_dpocon(LAPACK_COL_MAJOR, 'U', n, G, n, anorm, rcond);
  if (LAPACKE_get_nancheck() &&
      (LAPACKE_d_nancheck(1, &anorm, 1) || LAPACKE_dpo_nancheck(LAPACK_COL_MAJOR, 'U', n, G, n)))
    return -4;
  double *work = attrib__scratch_malloc(sc, 3 * (k ? k : 1), sizeof *work);
  lapack_int *iwork = attrib__scratch_malloc(sc, k ? k : 1, sizeof *iwork);
  lapack_int info = work && iwork ? LAPACKE_dpocon_work(LAPACK_COL_MAJOR, 'U', n, G, n, anorm, rcond, work, iwork)
                                  : LAPACKE_dpocon(LAPACK_COL_MAJOR, 'U', n, G, n, anorm, rcond);
  attrib__scratch_free(sc, work);
  attrib__scratch_free(sc, iwork);
  return info;
}

/* The normal-equations path; returns ATTRIB_EDIM (not an error for the
 * caller) when the problem must go to the QR path instead. */
static attrib_status try_cholesky(const attrib__xsrc *X, const double *y, const double *w, double tol,
                                  const double *ref_norm2, attrib__ls *out, attrib_error *err) {
  size_t k = X->k;
  double *G = attrib__scratch_malloc(out->scratch, k * k, sizeof *G);
  double *b = attrib__scratch_malloc(out->scratch, k, sizeof *b);
  double *d = attrib__scratch_malloc(out->scratch, k, sizeof *d);
  double *Ginv = attrib__scratch_malloc(out->scratch, k * k, sizeof *Ginv);
  attrib_status s = ATTRIB_EDIM;
  if (!G || !b || !d || !Ginv) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "least squares: out of memory");
    goto done;
  }
  if ((s = attrib__xtwx(X, w, y, G, b, out->scratch, err)) != ATTRIB_OK) goto done;
  s = ATTRIB_EDIM;
  double anorm = 0.0;
  for (size_t j = 0; j < k; j++) {
    if (!(G[j * k + j] > 0.0)) goto done; /* a zero column: aliased */
    d[j] = 1.0 / sqrt(G[j * k + j]);
  }
  for (size_t j = 0; j < k; j++)
    for (size_t i = 0; i <= j; i++) G[j * k + i] *= d[i] * d[j];
  for (size_t j = 0; j < k; j++) { /* 1-norm of the symmetric equilibrated matrix */
    double c = 0.0;
    for (size_t i = 0; i < k; i++) c += fabs(i <= j ? G[j * k + i] : G[i * k + j]);
    if (c > anorm) anorm = c;
  }
  if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)k, G, (lapack_int)k) != 0) goto done;
  double rcond = 0.0;
  if (pocon(k, G, anorm, &rcond, out->scratch) != 0 || rcond < RCOND_MIN) goto done;
  /* The collinearity rule against reference norms (absorbed columns): the
   * remaining squared norm of column j is 1 / (G^-1)_jj. */
  memcpy(Ginv, G, k * k * sizeof *G);
  if (LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)k, Ginv, (lapack_int)k) != 0) goto done;
  for (size_t j = 0; j < k; j++) {
    double rem2 = 1.0 / (Ginv[j * k + j] * d[j] * d[j]);
    double ref = ref_norm2 ? ref_norm2[j] : 1.0 / (d[j] * d[j]);
    if (ref <= 0.0) ref = 1.0;
    if (rem2 <= tol * tol * ref) goto done; /* aliased: the QR path names it */
  }
  if (alloc_out(out, k, k) != ATTRIB_OK) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "least squares: out of memory");
    goto done;
  }
  /* X'WX = D^-1 U'U D^-1 = R'R with R = U D^-1 */
  for (size_t j = 0; j < k; j++) {
    out->cols[j] = j;
    for (size_t i = 0; i <= j; i++) out->R[j * k + i] = G[j * k + i] / d[j];
    out->beta[j] = b[j];
  }
  solve_rtr(out->R, k, out->beta);
  out->method = "cholesky";
  out->rcond = rcond;
  s = ATTRIB_OK;
done:
  attrib__scratch_free(out->scratch, G);
  attrib__scratch_free(out->scratch, b);
  attrib__scratch_free(out->scratch, d);
  attrib__scratch_free(out->scratch, Ginv);
  return s;
}

static attrib_status ls_from_r(const double *Ra, const double *norm2, size_t k, double tol, const double *ref_norm2,
                               double *Rx, int *aliased, attrib__ls *out, attrib_error *err);

static attrib_status qr_path(const attrib__xsrc *X, const double *y, const double *w, double tol,
                             const double *ref_norm2, attrib__ls *out, attrib_error *err) {
  size_t k = X->k, m = k + 1;
  double *Ra = attrib__scratch_malloc(out->scratch, m * m, sizeof *Ra);
  double *norm2 = attrib__scratch_malloc(out->scratch, m, sizeof *norm2);
  double *Rx = attrib__scratch_malloc(out->scratch, k > 0 ? k * k : 1, sizeof *Rx);
  int *aliased = attrib__scratch_malloc(out->scratch, k ? k : 1, sizeof *aliased);
  attrib_status s = ATTRIB_OK;
  if (!Ra || !norm2 || !Rx || !aliased) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "least squares: out of memory");
    goto done;
  }
  if ((s = attrib__tsqr(X, y, w, Ra, norm2, out->scratch, err))) goto done;
  s = ls_from_r(Ra, norm2, k, tol, ref_norm2, Rx, aliased, out, err);
done:
  attrib__scratch_free(out->scratch, Ra);
  attrib__scratch_free(out->scratch, norm2);
  attrib__scratch_free(out->scratch, Rx);
  attrib__scratch_free(out->scratch, aliased);
  return s;
}

attrib_status attrib__ls_from_r(const double *Ra, const double *norm2, size_t k, double tol, attrib__ls *out,
                                attrib_error *err) {
  double *Rx = attrib__malloc(k > 0 ? k * k : 1, sizeof *Rx);
  int *aliased = attrib__malloc(k ? k : 1, sizeof *aliased);
  attrib_status s = Rx && aliased ? ls_from_r(Ra, norm2, k, tol, NULL, Rx, aliased, out, err)
                                  : attrib__fail(err, ATTRIB_ENOMEM, "least squares: out of memory");
  attrib__free(Rx);
  attrib__free(aliased);
  return s;
}

/* The QR path after its TSQR: the rank by dqrdc2 on R, then the kept
 * columns' R, beta and rss from a QR of the kept columns of R_aug. */
static attrib_status ls_from_r(const double *Ra, const double *norm2, size_t k, double tol, const double *ref_norm2,
                               double *Rx, int *aliased, attrib__ls *out, attrib_error *err) {
  size_t m = k + 1;
  double *M = NULL, *tau = NULL, *work = NULL;
  attrib_status s = ATTRIB_OK;
  for (size_t j = 0; j < k; j++) memcpy(Rx + j * k, Ra + j * m, k * sizeof *Rx);
  if ((s = attrib__dqrdc2(Rx, k, k, ref_norm2 ? ref_norm2 : norm2, tol, aliased, out->scratch, err))) goto done;
  size_t r = 0;
  for (size_t j = 0; j < k; j++) r += !aliased[j];
  if ((s = alloc_out(out, k, r)) != ATTRIB_OK) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "least squares: out of memory");
    goto done;
  }
  memcpy(out->aliased, aliased, k * sizeof *aliased);
  for (size_t j = 0, c = 0; j < k; j++)
    if (!aliased[j]) out->cols[c++] = j;
  /* QR of the kept columns of R_aug plus its y column: [X_kept y] = Q' [R2] */
  M = attrib__scratch_calloc(out->scratch, m * (r + 1), sizeof *M);
  tau = attrib__scratch_malloc(out->scratch, r + 1, sizeof *tau);
  work = out->scratch ? attrib__scratch_malloc(out->scratch, ATTRIB__GEQRF_WORK(r + 1), sizeof *work) : NULL;
  if (!M || !tau || (out->scratch && !work)) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "least squares: out of memory");
    goto done;
  }
  for (size_t c = 0; c <= r; c++) memcpy(M + c * m, Ra + (c < r ? out->cols[c] : k) * m, m * sizeof *M);
  lapack_int info = attrib__dgeqrf((int)m, (int)(r + 1), M, (int)m, tau, work, work ? ATTRIB__GEQRF_WORK(r + 1) : 0);
  if (info != 0) {
    s = attrib__fail(err, ATTRIB_ENUMERIC, "least squares: LAPACK dgeqrf failed (info %d)", (int)info);
    goto done;
  }
  for (size_t j = 0; j < r; j++) {
    for (size_t i = 0; i <= j; i++) out->R[j * r + i] = M[j * m + i];
    out->beta[j] = M[r * m + j];
  }
  if (r > 0)
    cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, (int)r, out->R, (int)r, out->beta, 1);
  out->rss = M[r * m + r] * M[r * m + r];
  out->method = "qr";
done:
  attrib__scratch_free(out->scratch, M);
  attrib__scratch_free(out->scratch, tau);
  attrib__scratch_free(out->scratch, work);
  return s;
}

/*
 * Householder QR of [sqrt(w) X, sqrt(w) y] in long double with dqrdc2's
 * limited pivoting, back substitution and (R'R)^-1 in long double too.
 * For small problems only: O(n k^2) in x87 arithmetic.
 */
static attrib_status qr_extended(const attrib__xsrc *X, const double *y, const double *w, double tol,
                                 const double *ref_norm2, attrib__ls *out, attrib_error *err) {
  size_t n = X->n, k = X->k, m = k + 1;
  long double *A = attrib__scratch_malloc(out->scratch, n * m, sizeof *A);
  double *buf = X->X ? NULL : attrib__scratch_malloc(out->scratch, ATTRIB__BLOCK_ROWS * (k ? k : 1), sizeof *buf);
  long double *Rl = NULL, *Bl = NULL, *bl = NULL;
  size_t *col = attrib__scratch_malloc(out->scratch, m, sizeof *col);
  double *norm2 = attrib__scratch_calloc(out->scratch, m, sizeof *norm2);
  attrib_status s = ATTRIB_OK;
  if (!A || !col || !norm2 || (!X->X && !buf)) goto oom;
  for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld = 0;
    const double *blk = k ? attrib__xsrc_block(X, r0, p, buf, &ld) : NULL;
    for (size_t j = 0; j < m; j++) {
      long double *a = A + j * n + r0;
      for (size_t i = 0; i < p; i++) {
        long double v = j < k ? blk[j * ld + i] : y[r0 + i];
        a[i] = w ? v * sqrtl((long double)w[r0 + i]) : v;
        norm2[j] += (double)(a[i] * a[i]);
      }
    }
  }
  /* columns 0..k-1 are candidates; y (index k) is always last */
  for (size_t j = 0; j < k; j++) col[j] = j;
  size_t kept = 0, left = k;
  int *aliased = attrib__scratch_calloc(out->scratch, k ? k : 1, sizeof *aliased);
  if (!aliased) goto oom;
  while (kept < left) {
    long double *a = A + col[kept] * n;
    long double rem = 0.0L;
    for (size_t i = kept; i < n; i++) rem += a[i] * a[i];
    double ref = ref_norm2 ? ref_norm2[col[kept]] : norm2[col[kept]];
    if (!(ref > 0.0)) ref = 1.0;
    if (kept >= n || sqrtl(rem) <= (long double)tol * sqrtl((long double)ref)) {
      aliased[col[kept]] = 1;
      memmove(col + kept, col + kept + 1, (left - kept - 1) * sizeof *col);
      left--;
      continue;
    }
    long double nrm = sqrtl(rem), alpha = a[kept] >= 0 ? -nrm : nrm;
    long double v0 = a[kept] - alpha, hn2 = rem - a[kept] * a[kept] + v0 * v0;
    /* apply H = I - 2 v v' / v'v, v = (v0, a[kept+1..]), to the remaining columns and y */
    for (size_t t = kept + 1; t <= left; t++) {
      long double *b = A + (t < left ? col[t] : k) * n;
      long double sdot = v0 * b[kept];
      for (size_t i = kept + 1; i < n; i++) sdot += a[i] * b[i];
      sdot = 2.0L * sdot / hn2;
      b[kept] -= sdot * v0;
      for (size_t i = kept + 1; i < n; i++) b[i] -= sdot * a[i];
    }
    a[kept] = alpha;
    for (size_t i = kept + 1; i < n; i++) a[i] = 0.0L;
    kept++;
  }
  size_t r = kept;
  if (alloc_out(out, k, r) != ATTRIB_OK) {
    attrib__scratch_free(out->scratch, aliased);
    goto oom;
  }
  memcpy(out->aliased, aliased, k * sizeof *aliased);
  attrib__scratch_free(out->scratch, aliased);
  for (size_t j = 0, c = 0; j < k; j++)
    if (!out->aliased[j]) out->cols[c++] = j;
  /* kept columns in order: the dqrdc2 order equals ascending index order */
  Rl = attrib__scratch_calloc(out->scratch, r > 0 ? r * r : 1, sizeof *Rl);
  Bl = attrib__scratch_calloc(out->scratch, r > 0 ? r * r : 1, sizeof *Bl);
  bl = attrib__scratch_malloc(out->scratch, r ? r : 1, sizeof *bl);
  if (!Rl || !Bl || !bl) goto oom;
  const long double *yt = A + k * n;
  for (size_t c = 0; c < r; c++) {
    const long double *a = A + out->cols[c] * n;
    for (size_t i = 0; i <= c; i++) Rl[c * r + i] = a[i];
    bl[c] = yt[c];
  }
  long double rss = 0.0L;
  for (size_t i = r; i < n; i++) rss += yt[i] * yt[i];
  for (size_t c = r; c-- > 0;) { /* back substitution */
    long double v = bl[c];
    for (size_t j = c + 1; j < r; j++) v -= Rl[j * r + c] * bl[j];
    bl[c] = v / Rl[c * r + c];
  }
  /* Rinv (upper) in place of Bl, then (R'R)^-1 = Rinv Rinv' */
  for (size_t c = 0; c < r; c++) {
    Bl[c * r + c] = 1.0L / Rl[c * r + c];
    for (size_t i = c; i-- > 0;) {
      long double v = 0.0L;
      for (size_t j = i + 1; j <= c; j++) v += Rl[j * r + i] * Bl[c * r + j];
      Bl[c * r + i] = -v / Rl[i * r + i];
    }
  }
  out->bread = attrib__scratch_malloc(out->scratch, r > 0 ? r * r : 1, sizeof *out->bread);
  if (!out->bread) goto oom;
  for (size_t a = 0; a < r; a++)
    for (size_t b = a; b < r; b++) {
      long double v = 0.0L;
      for (size_t j = b; j < r; j++) v += Bl[j * r + a] * Bl[j * r + b];
      out->bread[b * r + a] = out->bread[a * r + b] = (double)v;
    }
  for (size_t c = 0; c < r; c++) {
    out->beta[c] = (double)bl[c];
    for (size_t i = 0; i <= c; i++) out->R[c * r + i] = (double)Rl[c * r + i];
  }
  out->rss = (double)rss;
  out->method = "qr";
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "least squares: out of memory");
done:
  attrib__scratch_free(out->scratch, A);
  attrib__scratch_free(out->scratch, buf);
  attrib__scratch_free(out->scratch, Rl);
  attrib__scratch_free(out->scratch, Bl);
  attrib__scratch_free(out->scratch, bl);
  attrib__scratch_free(out->scratch, col);
  attrib__scratch_free(out->scratch, norm2);
  return s;
}

static attrib_status ls_solve(const attrib__xsrc *X, const double *y, const double *w, double tol,
                              const double *ref_norm2, int refinement, attrib__scratch *sc, attrib__ls *out,
                              attrib_error *err) {
  memset(out, 0, sizeof *out);
  out->scratch = sc;
  size_t n = X->n, k = X->k;
  attrib_status s = ATTRIB_EDIM;
  if (n * k > SMALL_PROBLEM && n > k) {
    s = try_cholesky(X, y, w, tol, ref_norm2, out, err);
    if (s != ATTRIB_OK && s != ATTRIB_EDIM) return s;
  }
  int extended = 1;
  if (s == ATTRIB_OK) {
    extended = 0; /* one CSNE step in double precision suffices here */
    if (out->rcond >= RCOND_NO_REFINE) refinement = 0;
  } else {
    attrib__ls_free(out);
    s = n * (k + 1) <= TINY_PROBLEM ? qr_extended(X, y, w, tol, ref_norm2, out, err)
                                    : qr_path(X, y, w, tol, ref_norm2, out, err);
    if (s != ATTRIB_OK) {
      attrib__ls_free(out);
      return s;
    }
  }
  if (out->r == 0 || !refinement) return ATTRIB_OK;
  long double *acc = attrib__scratch_malloc(sc, ATTRIB__BLOCK_ROWS, sizeof *acc);
  double *g = attrib__scratch_malloc(sc, 2 * out->r, sizeof *g);
  double *buf = X->X ? NULL : attrib__scratch_malloc(sc, ATTRIB__BLOCK_ROWS * k, sizeof *buf);
  if (!acc || !g || (!X->X && !buf)) {
    attrib__scratch_free(sc, acc);
    attrib__scratch_free(sc, g);
    attrib__scratch_free(sc, buf);
    attrib__ls_free(out);
    return attrib__fail(err, ATTRIB_ENOMEM, "least squares: out of memory");
  }
  int steps = extended ? 10 : 1;
  for (int it = 0; it < steps; it++)
    if (refine(out, X, y, w, extended, acc, g, g + out->r, buf) <= 4.0 * DBL_EPSILON) break;
  attrib__scratch_free(sc, acc);
  attrib__scratch_free(sc, g);
  attrib__scratch_free(sc, buf);
  return ATTRIB_OK;
}

attrib_status attrib__ls_solve(const attrib__xsrc *X, const double *y, const double *w, double tol,
                               const double *ref_norm2, attrib__ls *out, attrib_error *err) {
  return ls_solve(X, y, w, tol, ref_norm2, 1, NULL, out, err);
}

attrib_status attrib__ls_solve_plain(const attrib__xsrc *X, const double *y, const double *w, double tol,
                                     const double *ref_norm2, attrib__ls *out, attrib_error *err) {
  return ls_solve(X, y, w, tol, ref_norm2, 0, NULL, out, err);
}

attrib_status attrib__ls_solve_scratch(const attrib__xsrc *X, const double *y, const double *w, double tol,
                                       const double *ref_norm2, attrib__scratch *sc, attrib__ls *out,
                                       attrib_error *err) {
  return ls_solve(X, y, w, tol, ref_norm2, 1, sc, out, err);
}

/* The bytes of every array ls_solve may take on an n x k problem, path by
 * path as they are requested (a path abandoned for another keeps its
 * share: the scratch only grows within a solve). */
static size_t S(size_t count, size_t size) { return attrib__scratch_bytes(count ? count : 1, size); }

size_t attrib__ls_scratch_size(size_t n, size_t k) {
  const size_t m = k + 1, B = ATTRIB__BLOCK_ROWS, d = sizeof(double), ld = sizeof(long double);
  const size_t z = sizeof(size_t), i = sizeof(int);
  size_t out = S(k, z) + S(k, i) + S(k * k, d) + S(k, d); /* alloc_out */
  size_t total = 0;
  if (n * k > SMALL_PROBLEM && n > k) { /* try_cholesky, its xtwx on one thread */
    size_t rows, C = attrib__chunks(n, &rows);
    total += 2 * S(k * k, d) + 2 * S(k, d) + out + S(3 * k, d) + S(k, sizeof(int64_t)); /* and dpocon's */
    total += S(C * (k + 1) * (k + 1), d) + 3 * S(1, sizeof(double *)) + 2 * S(B * k, d) + S(B, d);
  }
  if (n * m <= TINY_PROBLEM) /* qr_extended */
    total += S(n * m, ld) + S(B * k, d) + S(m, z) + S(m, d) + S(k, i) + out + 2 * S(k * k, ld) + S(k, ld) +
             S(k * k, d);
  else /* qr_path and its tsqr and dqrdc2 */
    total += S(m * m, d) + S(m, d) + S(k * k, d) + S(k, i) + S((m + B) * m, d) + S(m, d) + S(B, d) + S(B * k, d) +
             S(k, z) + S(k, d) + out + S(m * m, d) + S(m, d) + S(ATTRIB__GEQRF_WORK(m), d) * 2;
  total += S(B, ld) + S(2 * k, d) + S(B * k, d); /* refinement */
  return total;
}

attrib_status attrib__ls_residuals(const attrib__ls *ls, const attrib__xsrc *X, const double *y, double *e,
                                   attrib_error *err) {
  size_t n = X->n;
  double *buf = X->X ? NULL : attrib__malloc(ATTRIB__BLOCK_ROWS * (X->k ? X->k : 1), sizeof *buf);
  if (!X->X && !buf) return attrib__fail(err, ATTRIB_ENOMEM, "residuals: out of memory");
  for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
    const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
    attrib__xb(p, ls->r, blk, ld, ls->r == X->k ? NULL : ls->cols, ls->beta, e + r0);
    for (size_t i = 0; i < p; i++) e[r0 + i] = y[r0 + i] - e[r0 + i];
  }
  attrib__free(buf);
  return ATTRIB_OK;
}

attrib_status attrib__xsrc_gemv(const attrib__xsrc *X, const double *beta, double *eta, attrib_error *err) {
  size_t n = X->n, k = X->k;
  if (X->X) {
    attrib__xb(n, k, X->X, X->ld, NULL, beta, eta);
    return ATTRIB_OK;
  }
  double *buf = attrib__malloc(ATTRIB__BLOCK_ROWS * (k ? k : 1), sizeof *buf);
  if (!buf) return attrib__fail(err, ATTRIB_ENOMEM, "linear predictor: out of memory");
  for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS, ld;
    const double *blk = attrib__xsrc_block(X, r0, p, buf, &ld);
    attrib__xb(p, k, blk, ld, NULL, beta, eta + r0);
  }
  attrib__free(buf);
  return ATTRIB_OK;
}

attrib_status attrib__ls_bread(const attrib__ls *ls, double *bread, attrib_error *err) {
  size_t r = ls->r;
  if (ls->bread) {
    memcpy(bread, ls->bread, r * r * sizeof *bread);
    return ATTRIB_OK;
  }
  memcpy(bread, ls->R, r * r * sizeof *bread);
  /* (R'R)^-1 from the Cholesky-form factor R: dpotri */
  lapack_int info = LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)r, bread, (lapack_int)r);
  if (info != 0)
    return attrib__fail(err, ATTRIB_ENUMERIC, "least squares: LAPACK dpotri failed (info %d)", (int)info);
  attrib__symmetrize(bread, r);
  return ATTRIB_OK;
}
