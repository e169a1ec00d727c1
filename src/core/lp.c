/* Two-phase dense tableau simplex with Bland's rule (core/lp.h). */
#include "core/lp.h"

#include <math.h>
#include <string.h>

#include "core/attrib_internal.h"

/* Tolerances. Rows are equilibrated (each row of [A b] divided by its
 * largest magnitude) so that these compare numbers of order one: a pivot
 * element must exceed PIVOT_TOL; a reduced cost below -COST_TOL (times the
 * objective's scale) makes a column enter; phase I must end within
 * FEAS_TOL (times the right-hand side's scale) of zero. */
#define PIVOT_TOL 1e-11
#define COST_TOL 1e-11
#define FEAS_TOL 1e-9

typedef struct tableau {
  size_t m, n, w; /* rows, original columns, row width (n + m artificials + rhs) */
  double *t;      /* (m + 1) x w, row-major; row m is the reduced-cost row */
  size_t *basis;  /* basic column of each row */
} tableau;

#define T(tb, i, j) ((tb)->t[(i) * (tb)->w + (j)])

static void pivot(tableau *tb, size_t r, size_t col) {
  const size_t w = tb->w;
  double *pr = &T(tb, r, 0);
  const double p = pr[col];
  for (size_t j = 0; j < w; j++) pr[j] /= p;
  pr[col] = 1.0;
  for (size_t i = 0; i <= tb->m; i++) {
    if (i == r) continue;
    double *pi = &T(tb, i, 0);
    const double f = pi[col];
    if (f == 0.0) continue;
    for (size_t j = 0; j < w; j++) pi[j] -= f * pr[j];
    pi[col] = 0.0;
  }
  tb->basis[r] = col;
}

/* Runs simplex pivots on columns [0, ncols) until no reduced cost is below
 * -cost_tol (optimal, 0), a column has no positive entry (unbounded, 1) or
 * the cap is reached (2). Bland: the lowest-index improving column enters;
 * among rows tied in the ratio test, the one whose basic column has the
 * lowest index leaves. */
static int simplex(tableau *tb, size_t ncols, double cost_tol, size_t cap) {
  const size_t m = tb->m, rhs = tb->w - 1;
  for (size_t it = 0; it < cap; it++) {
    size_t col = ncols;
    for (size_t j = 0; j < ncols; j++)
      if (T(tb, m, j) < -cost_tol) {
        col = j;
        break;
      }
    if (col == ncols) return 0;
    size_t r = m;
    double best = INFINITY;
    for (size_t i = 0; i < m; i++) {
      const double a = T(tb, i, col);
      if (a <= PIVOT_TOL) continue;
      const double ratio = T(tb, i, rhs) / a;
      /* ratios equal to rounding are ties: Bland's tie-break needs them */
      const double slack = 1e-12 * (fabs(best) + 1.0);
      if (r == m || ratio < best - slack) {
        best = ratio;
        r = i;
      } else if (ratio <= best + slack && tb->basis[i] < tb->basis[r]) {
        r = i;
      }
    }
    if (r == m) return 1;
    pivot(tb, r, col);
  }
  return 2;
}

attrib_status attrib__lp_solve_std(size_t m, size_t n, const double *A, const double *b, const double *c, double *x,
                                   double *value, attrib__lp_outcome *outcome) {
  if (x)
    for (size_t j = 0; j < n; j++) x[j] = NAN;
  if (value) *value = NAN;
  tableau tb = {m, n, n + m + 1, NULL, NULL};
  tb.t = attrib__calloc((m + 1) * tb.w, sizeof *tb.t);
  tb.basis = attrib__calloc(m + 1, sizeof *tb.basis);
  if (!tb.t || !tb.basis) {
    attrib__free(tb.t);
    attrib__free(tb.basis);
    return ATTRIB_ENOMEM;
  }
  const size_t rhs = tb.w - 1;
  double bscale = 0, cscale = 0;
  for (size_t i = 0; i < m; i++) {
    /* equilibrate, then make the right-hand side non-negative */
    double s = fabs(b[i]);
    for (size_t j = 0; j < n; j++) s = fmax(s, fabs(A[i * n + j]));
    if (s == 0) s = 1;
    const double sign = b[i] < 0 ? -1.0 : 1.0;
    for (size_t j = 0; j < n; j++) T(&tb, i, j) = sign * A[i * n + j] / s;
    T(&tb, i, rhs) = sign * b[i] / s;
    T(&tb, i, n + i) = 1.0; /* artificial */
    tb.basis[i] = n + i;
    bscale = fmax(bscale, T(&tb, i, rhs));
  }
  for (size_t j = 0; j < n; j++) cscale = fmax(cscale, fabs(c[j]));
  const size_t cap = 50 * (n + m) + 1000;

  /* Phase I: minimise the sum of the artificials. */
  for (size_t j = 0; j <= rhs; j++) {
    double s = 0;
    if (j < n || j == rhs)
      for (size_t i = 0; i < m; i++) s += T(&tb, i, j);
    T(&tb, m, j) = (j < n) ? -s : (j == rhs ? -s : 0.0);
  }
  int st = simplex(&tb, n, COST_TOL, cap);
  attrib__lp_outcome out = ATTRIB__LP_OPTIMAL;
  if (st == 2) {
    out = ATTRIB__LP_ITERATIONS;
    goto done;
  }
  if (-T(&tb, m, rhs) > FEAS_TOL * (1.0 + bscale)) {
    out = ATTRIB__LP_INFEASIBLE;
    goto done;
  }
  /* Drive the artificials left in the basis (at zero) out; a row with no
   * usable original column is redundant and stays inert: its entries in
   * the original columns are zero, so later pivots never touch it. */
  for (size_t i = 0; i < m; i++) {
    if (tb.basis[i] < n) continue;
    size_t best = n;
    double big = PIVOT_TOL;
    for (size_t j = 0; j < n; j++)
      if (fabs(T(&tb, i, j)) > big) big = fabs(T(&tb, i, j)), best = j;
    if (best < n) {
      pivot(&tb, i, best);
    } else {
      for (size_t j = 0; j < n; j++) T(&tb, i, j) = 0.0;
      T(&tb, i, rhs) = 0.0;
    }
  }

  /* Phase II: minimise -c'x over the original columns; reduced costs from
   * the current basis. */
  for (size_t j = 0; j <= rhs; j++) {
    double d = (j < n) ? -c[j] : 0.0;
    for (size_t i = 0; i < m; i++) {
      const size_t bj = tb.basis[i];
      const double cb = bj < n ? -c[bj] : 0.0;
      if (cb != 0.0) d -= cb * T(&tb, i, j);
    }
    T(&tb, m, j) = (j < n || j == rhs) ? d : 0.0;
  }
  st = simplex(&tb, n, COST_TOL * (1.0 + cscale), cap);
  if (st == 1) out = ATTRIB__LP_UNBOUNDED;
  else if (st == 2) out = ATTRIB__LP_ITERATIONS;
  else {
    double v = 0;
    double *xs = x;
    if (!xs) {
      xs = attrib__calloc(n ? n : 1, sizeof *xs);
      if (!xs) {
        attrib__free(tb.t);
        attrib__free(tb.basis);
        return ATTRIB_ENOMEM;
      }
    }
    for (size_t j = 0; j < n; j++) xs[j] = 0.0;
    for (size_t i = 0; i < m; i++)
      if (tb.basis[i] < n) xs[tb.basis[i]] = fmax(T(&tb, i, rhs), 0.0);
    for (size_t j = 0; j < n; j++) v += c[j] * xs[j];
    if (value) *value = v;
    if (xs != x) attrib__free(xs);
  }
done:
  *outcome = out;
  attrib__free(tb.t);
  attrib__free(tb.basis);
  return ATTRIB_OK;
}

attrib_status attrib__lp_solve_ineq(size_t m, size_t n, const double *G, const double *h, const double *c, double *x,
                                    double *value, attrib__lp_outcome *outcome) {
  const size_t N = 2 * n + m;
  double *A = attrib__calloc(m * N + 1, sizeof *A);
  double *cc = attrib__calloc(N + 1, sizeof *cc);
  double *xs = attrib__calloc(N + 1, sizeof *xs);
  attrib_status s = ATTRIB_ENOMEM;
  if (!A || !cc || !xs) goto out;
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < n; j++) {
      A[i * N + j] = G[i * n + j];
      A[i * N + n + j] = -G[i * n + j];
    }
    A[i * N + 2 * n + i] = 1.0;
  }
  for (size_t j = 0; j < n; j++) cc[j] = c[j], cc[n + j] = -c[j];
  s = attrib__lp_solve_std(m, N, A, h, cc, xs, value, outcome);
  if (s == ATTRIB_OK && x)
    for (size_t j = 0; j < n; j++) x[j] = *outcome == ATTRIB__LP_OPTIMAL ? xs[j] - xs[n + j] : NAN;
out:
  attrib__free(A);
  attrib__free(cc);
  attrib__free(xs);
  return s;
}
