/*
 * Dense linear algebra shared by the estimators: thin layers over CBLAS and
 * LAPACKE for the shapes this library meets (tall, skinny, column-major,
 * leading dimension ld >= n).
 */
#ifndef ATTRIB_LINALG_H
#define ATTRIB_LINALG_H

#include <stddef.h>
#include <attrib/status.h>
#include "core/attrib_internal.h"
#include "core/xsrc.h"

/* Rows per block in the streaming kernels: a block of k <= 64 columns stays
 * in L2 cache. */
#define ATTRIB__BLOCK_ROWS 2048

/* The three kernels below take their working arrays from the scratch sc
 * when it is not NULL (a refit loop's, core/attrib_internal.h), else from
 * the allocator. */

/* LAPACKE_dgeqrf (column-major) with the caller's work array of lwork_have
 * doubles: the same checks, workspace query and blocking, so the same
 * result, without LAPACKE's malloc per call. work NULL, or a query asking
 * for more than lwork_have: LAPACKE_dgeqrf itself. ATTRIB__GEQRF_WORK(n)
 * is what to give it for n columns (LAPACK's block size is at most 64 on
 * the builds seen; a larger one only falls back). */
#define ATTRIB__GEQRF_WORK(n) ((size_t)(n) * 64 + 64)
int attrib__dgeqrf(int rows, int cols, double *A, int lda, double *tau, double *work, size_t lwork_have);

/*
 * R factor of the n-by-m matrix [sqrt(w) X, sqrt(w) y] (m = k + (y != NULL), X read
 * in blocks from the source)
 * by streaming TSQR: row panels stacked under the running R, reduced with
 * LAPACK dgeqrf (Demmel et al. 2012, SIAM J. Sci. Comput. 34(1)).
 * R: m-by-m upper triangular, column-major, leading dimension m (output).
 * norm2: m squared column norms of the weighted input (output, may be NULL).
 */
attrib_status attrib__tsqr(const attrib__xsrc *X, const double *y, const double *w, double *R, double *norm2,
                           attrib__scratch *sc, attrib_error *err);

/*
 * R's LINPACK dqrdc2 rule on an upper-triangular R (k-by-k, leading
 * dimension ldr) of X: a column whose norm after projecting out the kept
 * columns before it is <= tol * sqrt(ref_norm2[j]) is aliased (ref_norm2[j]
 * = 0 counts as 1, so zero columns are aliased). R is overwritten.
 */
attrib_status attrib__dqrdc2(double *R, size_t k, size_t ldr, const double *ref_norm2, double tol,
                             int *aliased, attrib__scratch *sc, attrib_error *err);

/*
 * G = X' W X (k-by-k, upper triangle filled, leading dimension k) and, when
 * y and b are non-NULL, b = X' W y: blocks of ATTRIB__BLOCK_ROWS rows of
 * (sqrt(w)) [X, y], each one attrib__crossprod, on row chunks merged in
 * order: the same bits on every machine and for any thread count.
 */
attrib_status attrib__xtwx(const attrib__xsrc *X, const double *w, const double *y, double *G, double *b,
                           attrib__scratch *sc, attrib_error *err);

/*
 * G[j * ldg + i] += sum over the p rows of c_i[r] * c_j[r], for i <= j (the
 * upper triangle; the lower is not touched): the cross-products of the m
 * columns c_j = A + j * lda of a column-major block and, when extra is not
 * NULL, of the column extra (p contiguous doubles) as column m, accumulated
 * into G. One call gives X'X, X'y and y'y of a block. The sum runs in one
 * fixed order (crossprod.c), so the result is bit-identical on every
 * machine and instruction set, unlike dsyrk's.
 */
void attrib__crossprod(size_t p, size_t m, const double *A, size_t lda, const double *extra, double *G, size_t ldg);

/*
 * out[i] = sum_j A[c_j * ld + i] beta[j] for the p rows of a column-major
 * block, c_j = cols[j] (or j when cols is NULL), summed in double over j in
 * ascending order for every row. Unlike dgemv, whose kernels sum in an order
 * that depends on the CPU and on the row's place in the block (SIMD body or
 * tail, FMA or not), identical rows give identical results, on any machine.
 * Propensity scores, matching distances and residuals depend on that: two
 * learners with the same covariates must be exactly tied, and the greedy
 * matching order must not change with the BLAS build.
 */
void attrib__xb(size_t p, size_t r, const double *A, size_t ld, const size_t *cols, const double *beta,
                double *out);

/* Copies the upper triangle of the k-by-k A into its lower triangle. */
void attrib__symmetrize(double *A, size_t k);

/* A <- A^-1 for a symmetric positive definite k-by-k A (column-major,
 * leading dimension k; the upper triangle is read, both are written) by
 * Cholesky (dpotrf, dpotri). Returns 0, or -1 when A is not positive
 * definite. */
int attrib__spd_inverse(double *A, size_t k);

#endif
