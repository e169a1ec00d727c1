/*
 * A small dense linear-programming solver: the two-phase primal simplex on
 * a full tableau with Bland's rule (Bland 1977, "New finite pivoting rules
 * for the simplex method", Math. Oper. Res. 2(2)), which cannot cycle, so
 * every call ends in a finite number of pivots even on degenerate problems.
 *
 * It is meant for the few-dozen-variable programs of the sensitivity layer
 * (honest parallel-trends bounds, src/sensitivity/honest_did.c): the
 * Andrews-Roth-Pakes test statistic and its dual vertices, identified sets
 * under polyhedral restrictions. GSL has no LP solver; a dense tableau is
 * plenty at this size and keeps every pivot auditable. Not for large or
 * sparse problems (O(m (n + m)) memory and work per pivot).
 */
#ifndef ATTRIB_CORE_LP_H
#define ATTRIB_CORE_LP_H

#include <stddef.h>
#include <attrib/status.h>

/* What the simplex found. */
typedef enum attrib__lp_outcome {
  ATTRIB__LP_OPTIMAL = 0,    /* x and value hold an optimal vertex */
  ATTRIB__LP_INFEASIBLE = 1, /* no x satisfies the constraints (phase I ends above zero) */
  ATTRIB__LP_UNBOUNDED = 2,  /* the objective grows without bound over the feasible set */
  ATTRIB__LP_ITERATIONS = 3  /* the pivot cap was reached (a numerical breakdown: Bland's rule terminates) */
} attrib__lp_outcome;

/* Maximises c'x subject to A x = b, x >= 0, where A is m x n, row-major
 * (A[i * n + j]). On ATTRIB__LP_OPTIMAL, x (n, may be NULL) holds a vertex
 * and *value (may be NULL) c'x; otherwise both are NaN. Redundant equality
 * rows are allowed (found and ignored after phase I). m may be 0.
 * Returns ATTRIB_ENOMEM when the tableau cannot be allocated, else ATTRIB_OK
 * with the outcome in *outcome. */
attrib_status attrib__lp_solve_std(size_t m, size_t n, const double *A, const double *b, const double *c, double *x,
                                   double *value, attrib__lp_outcome *outcome);

/* Maximises c'x subject to G x <= h with x free (G m x n, row-major): the
 * standard form above on x = x+ - x- with one slack per row. Same outputs. */
attrib_status attrib__lp_solve_ineq(size_t m, size_t n, const double *G, const double *h, const double *c, double *x,
                                    double *value, attrib__lp_outcome *outcome);

#endif
