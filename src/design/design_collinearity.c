/*
 * Rank detection as R's lm does it, without a copy of X.
 *
 * 1. The R factor of (sqrt(w) X) comes from a streaming TSQR (core/linalg.c).
 *    Householder QR is backward stable, so X = QR holds even when X is rank
 *    deficient.
 * 2. Because Q is orthogonal, the norm of what is left of column j after
 *    projecting out any set of other columns is the same for R as for X. So
 *    R's dqrdc2 rule (a column is aliased when that remaining norm falls
 *    below tol times its original norm, and it is then moved aside) can run
 *    on the k-by-k R instead of the n-by-k X.
 */
#include <attrib/design.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"

attrib_status attrib_collinear_detect(const double *X, size_t n, size_t k, size_t ld,
                                      const double *w, double tol, int *aliased,
                                      attrib_error *err) {
  if (k == 0) return ATTRIB_OK;
  if (!X || !aliased || ld < n) return attrib__fail(err, ATTRIB_EINVAL, "attrib_collinear_detect: bad arguments");
  double *R = attrib__malloc(k * k, sizeof *R);
  double *norm2 = attrib__malloc(k, sizeof *norm2);
  attrib__xsrc src = attrib__xsrc_matrix(X, n, k, ld);
  attrib_status s = (!R || !norm2) ? attrib__fail(err, ATTRIB_ENOMEM, "collinearity check: out of memory")
                                   : attrib__tsqr(&src, NULL, w, R, norm2, NULL, err);
  if (s == ATTRIB_OK) s = attrib__dqrdc2(R, k, k, norm2, tol, aliased, NULL, err);
  attrib__free(R);
  attrib__free(norm2);
  return s;
}
