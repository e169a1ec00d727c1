/*
 * A source of design-matrix rows. Estimators never need all of X at once:
 * every kernel walks it in blocks of rows (cross-products, QR panels,
 * residuals, scores). A source either points at a materialised column-major
 * matrix or generates the rows of a block on demand from the table's
 * columns (design_build.c), so that the n-by-k matrix is never allocated:
 * no second copy of the data, and none of the first-touch cost of fresh
 * memory that dominates at 1M rows (docs/performance.md, fact 1).
 */
#ifndef ATTRIB_XSRC_H
#define ATTRIB_XSRC_H

#include <stddef.h>

typedef struct attrib__xsrc {
  size_t n, k;
  /* materialised: column-major, leading dimension ld */
  const double *X;
  size_t ld;
  /* generated: writes rows [r0, r0 + p) of all k columns into buf (ld p) */
  void (*fill)(const void *ctx, size_t r0, size_t p, double *buf);
  const void *ctx;
  /* threads the kernels may use to read it (0 = the online CPUs); results
   * do not depend on it (core/parallel.h) */
  size_t threads;
} attrib__xsrc;

/* A source over a materialised matrix. */
static inline attrib__xsrc attrib__xsrc_matrix(const double *X, size_t n, size_t k, size_t ld) {
  attrib__xsrc s = {n, k, X, ld, 0, 0, 1};
  return s;
}

/* Rows [r0, r0 + p) of the k columns: a pointer and its leading dimension.
 * buf: scratch of at least p * k doubles, used for generated sources. */
static inline const double *attrib__xsrc_block(const attrib__xsrc *s, size_t r0, size_t p, double *buf, size_t *ld) {
  if (s->X) {
    *ld = s->ld;
    return s->X + r0;
  }
  s->fill(s->ctx, r0, p, buf);
  *ld = p;
  return buf;
}

#endif
