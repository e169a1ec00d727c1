/*
 * Absorbing fixed effects: the residual of a column after projecting it on
 * all fixed-effect dummies (Frisch-Waugh-Lovell), without forming them.
 *
 * One dimension: subtract (weighted) group means, exact in one pass.
 * Several: alternating projections (one sweep subtracts the group means of
 * each dimension in turn; Guimaraes & Portugal 2010, Stata J. 10(4)), whose
 * fixed point is the wanted residual (Halperin 1962). Convergence is sped
 * up by Irons & Tuck (1969) extrapolation every two sweeps, as fixest does
 * (Berge 2018, "Efficient estimation of maximum likelihood models with
 * multiple fixed-effects: the R package FENmlm", sec. 3.2): with
 * x1 = F(x0), x2 = F(x1), d1 = x2 - x1, d2 = x2 - 2 x1 + x0,
 *     x <- x2 - (<d1, d2> / <d2, d2>) d1.
 * Every iterate differs from the input by a combination of dummies, so the
 * limit is the projection residual.
 */
#include <math.h>
#include <string.h>

#include "core/attrib_internal.h"
#include "design/design_internal.h"

attrib_status attrib__fe_init(attrib__fe *fe, size_t n, size_t D, const int32_t *const *codes,
                              const size_t *levels, const double *w, attrib_error *err) {
  memset(fe, 0, sizeof *fe);
  fe->n = n;
  fe->D = D;
  fe->codes = codes;
  fe->levels = levels;
  fe->w = w;
  fe->inv_wsum = attrib__calloc(D ? D : 1, sizeof *fe->inv_wsum);
  fe->sums = attrib__calloc(D ? D : 1, sizeof *fe->sums);
  fe->scratch = D > 1 ? attrib__malloc(3 * n, sizeof *fe->scratch) : NULL;
  if (!fe->inv_wsum || !fe->sums || (D > 1 && !fe->scratch)) goto oom;
  for (size_t d = 0; d < D; d++) {
    fe->inv_wsum[d] = attrib__calloc(levels[d] ? levels[d] : 1, sizeof **fe->inv_wsum);
    fe->sums[d] = attrib__calloc(levels[d] ? levels[d] : 1, sizeof **fe->sums);
    if (!fe->inv_wsum[d] || !fe->sums[d]) goto oom;
  }
  attrib__fe_reweight(fe, w);
  return ATTRIB_OK;
oom:
  attrib__fe_free(fe);
  return attrib__fail(err, ATTRIB_ENOMEM, "fixed effects: out of memory");
}

void attrib__fe_reweight(attrib__fe *fe, const double *w) {
  fe->w = w;
  for (size_t d = 0; d < fe->D; d++) {
    double *ws = fe->inv_wsum[d];
    const int32_t *c = fe->codes[d];
    memset(ws, 0, fe->levels[d] * sizeof *ws);
    if (w)
      for (size_t i = 0; i < fe->n; i++) ws[c[i]] += w[i];
    else
      for (size_t i = 0; i < fe->n; i++) ws[c[i]] += 1.0;
    for (size_t l = 0; l < fe->levels[d]; l++) ws[l] = ws[l] > 0.0 ? 1.0 / ws[l] : 0.0;
  }
}

void attrib__fe_free(attrib__fe *fe) {
  for (size_t d = 0; d < fe->D; d++) {
    if (fe->inv_wsum) attrib__free(fe->inv_wsum[d]);
    if (fe->sums) attrib__free(fe->sums[d]);
  }
  attrib__free(fe->inv_wsum);
  attrib__free(fe->sums);
  attrib__free(fe->scratch);
  memset(fe, 0, sizeof *fe);
}

/* dst = src less its weighted group means of dimension d (dst may be src).
 * Reading src and writing dst in one pass spares the iteration the copy it
 * would otherwise make before each sweep; the sums and differences are the
 * same operations on the same values, so the result is too. */
static void project_out(attrib__fe *fe, size_t d, const double *src, double *dst) {
  const int32_t *c = fe->codes[d];
  double *sum = fe->sums[d];
  const double *inv = fe->inv_wsum[d];
  size_t n = fe->n, L = fe->levels[d];
  memset(sum, 0, L * sizeof *sum);
  if (fe->w)
    for (size_t i = 0; i < n; i++) sum[c[i]] += fe->w[i] * src[i];
  else
    for (size_t i = 0; i < n; i++) sum[c[i]] += src[i];
  for (size_t l = 0; l < L; l++) sum[l] *= inv[l];
  for (size_t i = 0; i < n; i++) dst[i] = src[i] - sum[c[i]];
}

/* dst = one sweep over every dimension from src */
static void sweep(attrib__fe *fe, const double *src, double *dst) {
  project_out(fe, 0, src, dst);
  for (size_t d = 1; d < fe->D; d++) project_out(fe, d, dst, dst);
}

attrib_status attrib__fe_demean(attrib__fe *fe, double *v, double tol, size_t max_iter, size_t *iters,
                                int *converged, attrib_error *err) {
  (void)err;
  size_t n = fe->n;
  *converged = 1;
  *iters = 1;
  if (fe->D == 0) return ATTRIB_OK;
  if (fe->D == 1) {
    project_out(fe, 0, v, v);
    return ATTRIB_OK;
  }
  double scale = 0.0;
  for (size_t i = 0; i < n; i++)
    if (fabs(v[i]) > scale) scale = fabs(v[i]);
  if (scale == 0.0) return ATTRIB_OK;
  double *x1 = fe->scratch, *x2 = fe->scratch + n;
  size_t it = 0;
  *converged = 0;
  while (it < max_iter) {
    sweep(fe, v, x1);
    sweep(fe, x1, x2);
    it += 2;
    double dmax = 0.0, num = 0.0, den = 0.0;
    for (size_t i = 0; i < n; i++) {
      double d1 = x2[i] - x1[i], d2 = d1 - (x1[i] - v[i]);
      if (fabs(d1) > dmax) dmax = fabs(d1);
      num += d1 * d2;
      den += d2 * d2;
    }
    if (dmax <= tol * scale) {
      memcpy(v, x2, n * sizeof *v);
      *converged = 1;
      break;
    }
    double coef = den > 0.0 ? num / den : 0.0;
    for (size_t i = 0; i < n; i++) v[i] = x2[i] - coef * (x2[i] - x1[i]);
  }
  if (!*converged) memcpy(v, x2, n * sizeof *v);
  *iters = it;
  return ATTRIB_OK;
}

/* Union-find over the levels of two dimensions. */
static size_t find(size_t *parent, size_t a) {
  while (parent[a] != a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

size_t attrib__fe_dof(size_t n, size_t D, const int32_t *const *codes, const size_t *levels) {
  if (D == 0) return 0;
  size_t dof = levels[0];
  if (D == 1) return dof;
  /* Two dimensions: each connected component of the bipartite graph of
   * levels (joined by the rows that share them) has one redundant dummy
   * (Abowd, Creecy & Kramarz 2002). */
  size_t L = levels[0] + levels[1];
  size_t *parent = attrib__malloc(L, sizeof *parent);
  if (!parent) return levels[0] + levels[1] - 1; /* the connected-graph answer */
  for (size_t i = 0; i < L; i++) parent[i] = i;
  for (size_t i = 0; i < n; i++) {
    size_t a = find(parent, (size_t)codes[0][i]), b = find(parent, levels[0] + (size_t)codes[1][i]);
    if (a != b) parent[a] = b;
  }
  size_t comps = 0;
  for (size_t i = 0; i < L; i++) comps += find(parent, i) == i;
  attrib__free(parent);
  dof = levels[0] + levels[1] - comps;
  for (size_t d = 2; d < D; d++) dof += levels[d] - 1;
  return dof;
}

int attrib__nested(size_t n, const int32_t *a, size_t la, const int32_t *b, size_t lb) {
  (void)lb;
  int32_t *owner = attrib__malloc(la ? la : 1, sizeof *owner);
  if (!owner) return 0;
  for (size_t l = 0; l < la; l++) owner[l] = -1;
  int nested = 1;
  for (size_t i = 0; i < n && nested; i++) {
    if (owner[a[i]] < 0) owner[a[i]] = b[i];
    else if (owner[a[i]] != b[i]) nested = 0;
  }
  attrib__free(owner);
  return nested;
}
