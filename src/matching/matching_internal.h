/* Internals of matching and weighting, shared with the DiD estimators
 * (the doubly robust ATT). */
#ifndef ATTRIB_MATCHING_INTERNAL_H
#define ATTRIB_MATCHING_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <attrib/status.h>
#include "core/attrib_internal.h"

/* ------------------------------------------------------------ matching ties */

/* Relative rounding tolerance of a tie: distances equal to 1e-12 of the
 * scale of the distance (1 + |d|) are equal. Scores from identical covariate
 * rows are equal, but equal gaps on either side of a unit (a lattice of
 * scores from integer covariates: one of Lalonde's ties) differ in their
 * last bits, and the score model's summation order moves distances by up
 * to 2e-14 on Lalonde when the rows are shuffled; 1e-12 leaves a margin of
 * 50 over that. 1e-10 was tried: on 1M simulated rows with continuous
 * covariates it joined 18 near-ties (of 308k sets) that 1e-12 does not. */
#define ATTRIB__TIE_RELTOL 1e-12

/* The largest distance that ties dk, the M-th nearest distance from a unit
 * at d: dk up to rounding, or within the squared window (Matching's
 * distance.tolerance: d^2 <= dk^2 + window). */
static inline double attrib__tie_bound(double dk, double d, double window) {
  double thr = dk + ATTRIB__TIE_RELTOL * (1.0 + fabs(d));
  if (window > 0.0) {
    double w = sqrt(dk * dk + window);
    if (w > thr) thr = w;
  }
  return thr;
}

/* Sets flag[i] = v for every focal unit of m and every candidate some set
 * uses (many-tie runs through a difference array, so the cost is
 * O(sets + members) however large the runs). Returns ATTRIB_ENOMEM or
 * ATTRIB_OK. */
struct attrib_matches;
attrib_status attrib__match_mark(const struct attrib_matches *m, unsigned char *flag, unsigned char v, attrib_error *err);

/* Sets larger than this add their members one by one; larger ones (only
 * ties make them) go through prefix sums or difference arrays in O(1). */
#define ATTRIB__RUN_DIRECT 32

/* ------------------------------------------------------------ doubly robust ATT */

/* The doubly robust ATT (Sant'Anna & Zhao 2020; dr_att.c) of the units with
 * in[i], treated[i] marking the target group, on outcome y (or long
 * differences), X n x k column-major with an intercept: logit score, OLS
 * of y on X among the comparison units, DRDID's trimming and influence
 * function; psi[i] = (n / m) IF_i for the m units in the set, untouched
 * elsewhere. Returns 0, or -1 with the reason in why. */
typedef struct attrib__dr_work {
  size_t k;
  double *H, *Hinv, *XXinv, *beta, *bols, *g, *M1, *M2, *M3, *v;
} attrib__dr_work;
int attrib__dr_work_init(attrib__dr_work *w, size_t k);
void attrib__dr_work_free(attrib__dr_work *w);
int attrib__dr_att(const double *X, size_t n, const double *y, const unsigned char *in, const unsigned char *treated,
                   attrib__dr_work *w, double *att, double *psi, char *why, size_t whylen);
#endif
