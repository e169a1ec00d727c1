/*
 * Family-wise error control across outcomes (include/attrib/multitest.h):
 * Bonferroni, Holm and the Romano-Wolf step-down.
 */
#include <math.h>
#include <stdlib.h>

#include <attrib/multitest.h>
#include "core/attrib_internal.h"

void attrib_p_adjust_bonferroni(const double *p, size_t m, double *out) {
  size_t k = 0;
  for (size_t i = 0; i < m; i++) k += !isnan(p[i]);
  for (size_t i = 0; i < m; i++) out[i] = isnan(p[i]) ? NAN : fmin(1.0, (double)k * p[i]);
}

/* qsort comparators over indices: by a key ascending, ties by index (so the
 * order, and with it every adjusted value, is the same on every libc) */
typedef struct keyed {
  double key;
  size_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

/* The non-NaN entries of v sorted by key = sign * v (ascending), NaN ones
 * left out; *k gets their count. NULL when out of memory. */
static keyed *sorted(const double *v, size_t m, double sign, size_t *k) {
  keyed *o = attrib__malloc(m ? m : 1, sizeof *o);
  if (!o) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < m; i++)
    if (!isnan(v[i])) o[n].key = sign * v[i], o[n++].i = i;
  qsort(o, n, sizeof *o, cmp_keyed);
  *k = n;
  return o;
}

attrib_status attrib_p_adjust_holm(const double *p, size_t m, double *out, attrib_error *err) {
  size_t k;
  keyed *o = sorted(p, m, 1.0, &k);
  if (!o) return attrib__fail(err, ATTRIB_ENOMEM, "Holm adjustment: out of memory");
  for (size_t i = 0; i < m; i++)
    if (isnan(p[i])) out[i] = NAN;
  double run = 0.0;
  for (size_t j = 0; j < k; j++) {
    double v = fmin(1.0, (double)(k - j) * o[j].key);
    run = fmax(run, v);
    out[o[j].i] = run;
  }
  attrib__free(o);
  return ATTRIB_OK;
}

attrib_status attrib_romano_wolf(const double *t, const double *tboot, size_t S, size_t B, double *out,
                                 attrib_error *err) {
  if (!t || !tboot || !out || B == 0) return attrib__fail(err, ATTRIB_EINVAL, "attrib_romano_wolf: bad argument");
  double *at = attrib__malloc(S ? S : 1, sizeof *at);
  double *mx = attrib__malloc(B, sizeof *mx);
  size_t k = 0;
  keyed *o = NULL;
  if (at && mx) {
    for (size_t s = 0; s < S; s++) at[s] = fabs(t[s]);
    o = sorted(at, S, -1.0, &k); /* |t| descending */
  }
  if (!at || !mx || !o) {
    attrib__free(at), attrib__free(mx), attrib__free(o);
    return attrib__fail(err, ATTRIB_ENOMEM, "Romano-Wolf adjustment: out of memory");
  }
  for (size_t s = 0; s < S; s++)
    if (isnan(t[s])) out[s] = NAN;
  /* step j uses max over the hypotheses (j), (j+1), ...: built from the
   * last one backwards, each step's maxima are the next one's with one more
   * column, so the pass is O(S B) rather than O(S^2 B) */
  double *pr = attrib__malloc(k ? k : 1, sizeof *pr);
  if (!pr) {
    attrib__free(at), attrib__free(mx), attrib__free(o);
    return attrib__fail(err, ATTRIB_ENOMEM, "Romano-Wolf adjustment: out of memory");
  }
  for (size_t b = 0; b < B; b++) mx[b] = -INFINITY;
  for (size_t j = k; j-- > 0;) {
    const double *d = tboot + o[j].i * B, thr = at[o[j].i];
    size_t c = 0;
    for (size_t b = 0; b < B; b++) {
      double v = fabs(d[b]);
      if (v > mx[b] || isnan(v)) mx[b] = isnan(v) ? mx[b] : v;
      c += mx[b] >= thr * (1.0 - 1e-12); /* ties count, as the WCR p-value counts them */
    }
    pr[j] = fmin(1.0, ((double)c + 1.0) / ((double)B + 1.0));
  }
  double run = 0.0;
  for (size_t j = 0; j < k; j++) {
    run = fmax(run, pr[j]);
    out[o[j].i] = run;
  }
  attrib__free(pr), attrib__free(at), attrib__free(mx), attrib__free(o);
  return ATTRIB_OK;
}
