/*
 * Greedy nearest-neighbour matching (rules in include/attrib/match.h).
 *
 * Controls are sorted once by (distance, rank). A treated unit with
 * distance d finds its place p by binary search; the nearest control is the
 * closer of the first available control at or after p and the last
 * available before p. "Available" is kept by two union-find arrays with
 * path halving (next available to the right, to the left), so removing a
 * used control and finding the next one are amortised near O(1) (Tarjan
 * 1975). When the left candidate shares its distance with other available
 * controls, the smallest rank among them is the leftmost available of that
 * block: the right-hand search from the block's start finds it.
 *
 * With replacement nothing is removed: a treated unit's match set (the M
 * nearest and every control tied with the M-th) is all controls within a
 * distance of it, a run of the sorted controls, found by taking the M
 * nearest outward from p and widening the run to the ties by galloping
 * search. The result stores the run's ends, not its pairs, so a block of
 * thousands of tied controls costs O(log) time and no memory per treated
 * unit; the estimators sum over long runs with prefix sums.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/match.h>
#include "core/attrib_internal.h"
#include "core/rng.h"
#include "regression/regression_internal.h"
#include "matching/matching_internal.h"

void attrib_match_options_init(attrib_match_options *o) {
  memset(o, 0, sizeof *o);
  o->ratio = 1;
  o->order = ATTRIB_MATCH_LARGEST;
}

attrib_status attrib_match_check(const attrib_match_options *o, attrib_error *err) {
  if (!o) return attrib__fail(err, ATTRIB_EINVAL, "matching: NULL options");
  if (o->ratio < 1) return attrib__fail(err, ATTRIB_EINVAL, "ratio must be at least 1");
  if (!isfinite(o->caliper)) return attrib__fail(err, ATTRIB_EINVAL, "caliper must be a finite number");
  if (!(o->tie_tolerance >= 0.0) || !isfinite(o->tie_tolerance))
    return attrib__fail(err, ATTRIB_EINVAL, "the tie tolerance must be a finite number >= 0, got %g", o->tie_tolerance);
  if ((unsigned)o->order > ATTRIB_MATCH_ID) return attrib__fail(err, ATTRIB_EINVAL, "unknown matching order");
  return ATTRIB_OK;
}

void attrib_matches_free(attrib_matches *m) {
  if (!m) return;
  attrib__free(m->focal);
  attrib__free(m->begin);
  attrib__free(m->end);
  attrib__free(m->members);
  attrib__free(m);
}

/* 16 bytes: a sort pass moves half what (double, size_t, size_t) did.
 * Unit counts are checked to fit 32 bits. */
typedef struct unit {
  double d;
  uint32_t rank, index;
} unit;

/* Order-preserving unsigned image of a double (no NaN here): flip all bits
 * of negatives, the sign bit of the rest. */
static uint64_t key_of(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return (u >> 63) ? ~u : u ^ ((uint64_t)1 << 63);
}

/* Stable LSD radix sort by distance: units already in rank order leave
 * equal distances in rank order, the (distance, rank) order the rules ask
 * for, in O(n) instead of a comparison sort's O(n log n). Six passes of 11
 * bits (the counts fit in L1), all six histograms from one read, and a
 * digit that every key shares is skipped: distances on a narrow range
 * share their sign and exponent bits. The key is recomputed from d in each
 * pass rather than carried: arithmetic is cheaper than moving bytes. */
#define RADIX_BITS 11
#define RADIX_PASSES 6
#define RADIX_SIZE (1u << RADIX_BITS)

static int radix_sort(unit *u, size_t m, unit *tmp) {
  if (m < 2) return 1;
  size_t(*count)[RADIX_SIZE] = attrib__calloc(RADIX_PASSES, sizeof *count);
  int ok = count != NULL;
  if (!ok) goto out;
  for (size_t i = 0; i < m; i++) {
    uint64_t k = key_of(u[i].d);
    for (int p = 0; p < RADIX_PASSES; p++) count[p][(k >> (p * RADIX_BITS)) & (RADIX_SIZE - 1)]++;
  }
  unit *src = u, *dst = tmp;
  uint64_t k0 = key_of(u[0].d);
  for (int p = 0; p < RADIX_PASSES; p++) {
    int shift = p * RADIX_BITS;
    size_t *c = count[p];
    if (c[(k0 >> shift) & (RADIX_SIZE - 1)] == m) continue; /* one bucket: nothing moves */
    size_t at = 0;
    for (unsigned b = 0; b < RADIX_SIZE; b++) { /* counts -> starting offsets */
      size_t x = c[b];
      c[b] = at;
      at += x;
    }
    for (size_t i = 0; i < m; i++) dst[c[(key_of(src[i].d) >> shift) & (RADIX_SIZE - 1)]++] = src[i];
    unit *tu = src;
    src = dst;
    dst = tu;
  }
  if (src != u) memcpy(u, src, m * sizeof *u);
out:
  attrib__free(count);
  return ok;
}

/* Union-find "next available" with path halving; index m = none. */
static size_t find_right(size_t *nr, size_t i) {
  while (nr[i] != i) {
    nr[i] = nr[nr[i]];
    i = nr[i];
  }
  return i;
}

/* Left search over index + 1 (0 = none). */
static size_t find_left(size_t *nl, size_t i) {
  while (nl[i] != i) {
    nl[i] = nl[nl[i]];
    i = nl[i];
  }
  return i;
}

typedef struct matcher {
  const unit *c; /* controls sorted by (d, rank) */
  size_t m;
  size_t *nr, *nl; /* nr: m + 1 entries; nl: m + 1 entries, shifted by one */
  double caliper;
  size_t hint;     /* where the previous search ended */
} matcher;

/* The first position whose distance is >= d (m if none), searched
 * outward from the hint h by galloping (Bentley & Yao 1976): treated units
 * arrive in distance order, so successive answers are close and the
 * search costs O(log gap) reads near the last one instead of a cold
 * binary search over all controls (at 10M rows, cache misses dominated). */
static size_t lower_bound_near(const unit *c, size_t m, double d, size_t h) {
  size_t lo, hi, step = 1;
  if (h > m) h = m;
  if (h < m && c[h].d < d) { /* the answer is right of h */
    lo = h + 1;
    while (lo + step - 1 < m && c[lo + step - 1].d < d) lo += step, step <<= 1;
    hi = lo + step - 1 < m ? lo + step - 1 : m;
  } else { /* at or left of h */
    hi = h;
    while (hi >= step && !(c[hi - step].d < d)) hi -= step, step <<= 1;
    lo = hi >= step ? hi - step + 1 : 0;
  }
  while (lo < hi) { /* c[lo - 1].d < d <= c[hi].d (c[m] = +inf) */
    size_t mid = lo + (hi - lo) / 2;
    if (c[mid].d < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The nearest available control to d (within the caliper), or m. */
static size_t nearest_available(matcher *M, double d) {
  size_t p = lower_bound_near(M->c, M->m, d, M->hint);
  M->hint = p;
  size_t R = find_right(M->nr, p);              /* m = none */
  size_t Lp = find_left(M->nl, p);              /* index + 1; 0 = none */
  size_t best = M->m;
  /* Each side's candidate is held to the caliper before the two are
   * compared, so that a tie across the caliper's edge cannot hand the match
   * to the side that lies outside it. */
  int cal = M->caliper > 0.0;
  if (Lp > 0) {
    size_t L = Lp - 1;
    /* the smallest available rank among controls at L's distance */
    size_t b = lower_bound_near(M->c, M->m, M->c[L].d, L);
    best = find_right(M->nr, b);
    if (cal && fabs(M->c[best].d - d) > M->caliper) best = M->m;
  }
  if (R < M->m && cal && fabs(M->c[R].d - d) > M->caliper) R = M->m;
  if (R < M->m) {
    if (best == M->m) best = R;
    else {
      /* Distances equal within rounding are ties, broken by rank. With
       * integer covariates they are common (controls one year older and
       * one year younger than the treated unit lie at the same distance),
       * and comparing them exactly would let the last bit of the fitted
       * score, which depends on the BLAS build, choose the match. */
      double dl = fabs(d - M->c[best].d), dr = fabs(M->c[R].d - d);
      int tie = fabs(dr - dl) <= ATTRIB__TIE_RELTOL * (1.0 + fabs(d));
      if ((!tie && dr < dl) || (tie && M->c[R].rank < M->c[best].rank)) best = R;
    }
  }
  return best;
}

static void remove_control(matcher *M, size_t i) {
  M->nr[i] = i + 1;
  M->nl[i + 1] = i;
}

/* The first j <= lo such that every control of c[j .. lo) lies within thr
 * below d (d - c.d grows leftward): galloping, then binary search, so a
 * block of many tied controls costs O(log block) (Bentley & Yao 1976). */
static size_t extend_left(const unit *c, double d, double thr, size_t lo) {
  if (lo == 0 || !(d - c[lo - 1].d <= thr)) return lo;
  size_t ok = lo - 1, step = 1; /* c[ok] qualifies */
  while (ok >= step && d - c[ok - step].d <= thr) ok -= step, step <<= 1;
  size_t a = ok >= step ? ok - step + 1 : 0, b = ok; /* the first qualifying is in [a, b] */
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (d - c[mid].d <= thr) b = mid;
    else a = mid + 1;
  }
  return a;
}

/* The end e >= hi such that every control of c[hi .. e) lies within thr
 * above d. */
static size_t extend_right(const unit *c, size_t m, double d, double thr, size_t hi) {
  if (hi >= m || !(c[hi].d - d <= thr)) return hi;
  size_t ok = hi, step = 1;
  while (ok + step < m && c[ok + step].d - d <= thr) ok += step, step <<= 1;
  size_t a = ok, b = ok + step < m ? ok + step - 1 : m - 1; /* the last qualifying is in [a, b] */
  while (a < b) {
    size_t mid = a + (b - a + 1) / 2;
    if (c[mid].d - d <= thr) a = mid;
    else b = mid - 1;
  }
  return a + 1;
}

/* With replacement: the match set J_M of a focal unit at d (Abadie & Imbens
 * 2006, section 2): its k nearest controls within the caliper and every
 * control as near as the k-th (attrib__tie_bound). All controls within a
 * distance of d, it is a run c[*lo .. *hi) of the sorted controls; its size
 * is returned (0: no control within the caliper). The k nearest are taken
 * outward from the insertion point, then the run is widened to the ties. */
static size_t match_set(matcher *M, double d, size_t k, double window, size_t *lo_out, size_t *hi_out) {
  size_t p = lower_bound_near(M->c, M->m, d, M->hint), lo = p, hi = p, got = 0;
  M->hint = p;
  double kth = 0.0;
  while (got < k) {
    double dl = lo > 0 ? d - M->c[lo - 1].d : INFINITY, dr = hi < M->m ? M->c[hi].d - d : INFINITY;
    int left = dl <= dr;
    double next = left ? dl : dr;
    if (isinf(next)) break; /* no control left (or a difference beyond double range) */
    if (M->caliper > 0.0 && next > M->caliper) break;
    if (left) lo--;
    else hi++;
    kth = next;
    got++;
  }
  if (!got) return 0;
  double thr = attrib__tie_bound(kth, d, window);
  if (M->caliper > 0.0 && thr > M->caliper) thr = M->caliper;
  lo = extend_left(M->c, d, thr, lo);
  hi = extend_right(M->c, M->m, d, thr, hi);
  *lo_out = lo;
  *hi_out = hi;
  return hi - lo;
}

attrib_status attrib__match_mark(const attrib_matches *m, unsigned char *flag, unsigned char v, attrib_error *err) {
  int64_t *cover = NULL; /* difference array of the long runs' coverage, over member positions */
  for (size_t s = 0; s < m->n_sets; s++) {
    flag[m->focal[s]] = v;
    size_t b = m->begin[s], e = m->end[s];
    if (e - b <= ATTRIB__RUN_DIRECT) {
      for (size_t q = b; q < e; q++) flag[m->members[q]] = v;
      continue;
    }
    if (!cover && !(cover = attrib__calloc(m->n_members + 1, sizeof *cover)))
      return attrib__fail(err, ATTRIB_ENOMEM, "matching: out of memory");
    cover[b]++;
    cover[e]--;
  }
  if (cover) {
    int64_t c = 0;
    for (size_t q = 0; q < m->n_members; q++)
      if ((c += cover[q]) > 0) flag[m->members[q]] = v;
    attrib__free(cover);
  }
  return ATTRIB_OK;
}

attrib_status attrib_match_uses(const attrib_matches *m, size_t n, double *K, double *KK, attrib_error *err) {
  (void)n;
  if (!m || !K) return attrib__fail(err, ATTRIB_EINVAL, "attrib_match_uses: NULL argument");
  long double *dk = NULL, *dkk = NULL; /* difference arrays of the long runs' 1/M and 1/M^2 */
  for (size_t s = 0; s < m->n_sets; s++) {
    size_t b = m->begin[s], e = m->end[s];
    double M = (double)(e - b);
    if (e - b <= ATTRIB__RUN_DIRECT) { /* member by member, in the order a pair list would add them */
      for (size_t q = b; q < e; q++) {
        K[m->members[q]] += 1.0 / M;
        if (KK) KK[m->members[q]] += 1.0 / (M * M);
      }
      continue;
    }
    if (!dk) {
      dk = attrib__calloc(m->n_members + 1, sizeof *dk);
      dkk = attrib__calloc(m->n_members + 1, sizeof *dkk);
      if (!dk || !dkk) {
        attrib__free(dk);
        attrib__free(dkk);
        return attrib__fail(err, ATTRIB_ENOMEM, "matching: out of memory");
      }
    }
    dk[b] += 1.0L / M, dk[e] -= 1.0L / M;
    dkk[b] += 1.0L / (M * M), dkk[e] -= 1.0L / (M * M);
  }
  if (dk) {
    long double a = 0, aa = 0;
    for (size_t q = 0; q < m->n_members; q++) {
      a += dk[q], aa += dkk[q];
      K[m->members[q]] += (double)a;
      if (KK) KK[m->members[q]] += (double)aa;
    }
    attrib__free(dk);
    attrib__free(dkk);
  }
  return ATTRIB_OK;
}

/* The treated and control units, each in rank order (ranks are a
 * permutation of 0..n-1), so that the stable radix sort leaves ties in
 * rank order. */
static attrib_status split_units(const double *distance, const int *treat, const size_t *rank, size_t n, unit *t,
                                 unit *c, attrib_error *err) {
  size_t *by_rank = NULL;
  if (rank) {
    by_rank = attrib__malloc(n ? n : 1, sizeof *by_rank);
    if (!by_rank) return attrib__fail(err, ATTRIB_ENOMEM, "matching: out of memory");
    for (size_t i = 0; i < n; i++) by_rank[i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
      if (rank[i] >= n || by_rank[rank[i]] != SIZE_MAX) {
        attrib__free(by_rank);
        return attrib__fail(err, ATTRIB_EINVAL, "matching: unit ranks must be a permutation of 0..n-1");
      }
      by_rank[rank[i]] = i;
    }
  }
  for (size_t q = 0, a = 0, b = 0; q < n; q++) {
    size_t i = by_rank ? by_rank[q] : q;
    unit u = {distance[i], (uint32_t)q, (uint32_t)i};
    if (treat[i]) t[a++] = u;
    else c[b++] = u;
  }
  attrib__free(by_rank);
  return ATTRIB_OK;
}

/* The order in which the treated units choose (opts->order), from the
 * treated sorted smallest first, ties by rank. -1: out of memory. */
static int order_treated(unit *t, size_t nt, const double *distance, const attrib_match_options *opts, unit *scratch) {
  if (opts->order == ATTRIB_MATCH_LARGEST) {
    /* largest first (reverse), then equal distances back in rank order */
    for (size_t i = 0; i < nt / 2; i++) {
      unit x = t[i];
      t[i] = t[nt - 1 - i];
      t[nt - 1 - i] = x;
    }
    for (size_t i = 0; i < nt;) { /* restore rank order within equal distances */
      size_t e = i + 1;
      while (e < nt && t[e].d == t[i].d) e++;
      for (size_t a = i, b = e - 1; a < b; a++, b--) {
        unit x = t[a];
        t[a] = t[b];
        t[b] = x;
      }
      i = e;
    }
  } else if (opts->order == ATTRIB_MATCH_ID || opts->order == ATTRIB_MATCH_RANDOM) {
    /* back to rank order (the rank is the unit's position in id order) */
    for (size_t i = 0; i < nt; i++) t[i].d = (double)t[i].rank;
    if (!radix_sort(t, nt, scratch)) return -1;
    for (size_t i = 0; i < nt; i++) t[i].d = distance[t[i].index];
  }
  if (opts->order == ATTRIB_MATCH_RANDOM) {
    /* a permutation of the rank-ordered units (so independent of row
     * order): Fisher-Yates over the counter-based stream of the seed */
    attrib__rng g;
    attrib__rng_init(&g, opts->seed, ATTRIB__RNG_MATCH_ORDER, 0);
    for (size_t i = nt; i > 1; i--) {
      size_t j = attrib__rng_below(attrib__rng_next(&g), i);
      unit x = t[i - 1];
      t[i - 1] = t[j];
      t[j] = x;
    }
  }
  return 0;
}

/* Matching without replacement: in rounds, every treated unit takes one
 * more control per round (the nearest still available), up to k; sets in
 * the treated order. -1: out of memory. */
static int match_without_replacement(matcher *M, const unit *t, size_t nt, const unit *c, size_t nc, size_t k,
                                     attrib_matches *res, size_t *ns_out, size_t *np_out) {
  size_t ns = 0, np = 0;
  size_t *got = attrib__calloc(nt, sizeof *got);
  size_t *pair_of = attrib__malloc(nt * k, sizeof *pair_of); /* (treated slot, round) -> control position */
  if (!got || !pair_of) {
    attrib__free(got);
    attrib__free(pair_of);
    return -1;
  }
  for (size_t i = 0; i <= nc; i++) M->nr[i] = i, M->nl[i] = i;
  /* rounds: every treated unit takes one more control per round */
  for (size_t round = 0; round < k; round++)
    for (size_t i = 0; i < nt; i++) {
      if (got[i] < round) continue; /* found none in an earlier round */
      size_t b = nearest_available(M, t[i].d);
      if (b == nc) continue;
      remove_control(M, b);
      pair_of[i * k + got[i]] = b;
      got[i]++;
    }
  for (size_t i = 0; i < nt; i++) {
    if (!got[i]) continue;
    res->focal[ns] = t[i].index;
    res->begin[ns] = np;
    for (size_t q = 0; q < got[i]; q++) res->members[np++] = c[pair_of[i * k + q]].index;
    res->end[ns++] = np;
  }
  res->n_members = np;
  attrib__free(got);
  attrib__free(pair_of);
  *ns_out = ns, *np_out = np;
  return 0;
}

/* Matching with replacement: every control is a member, and each set is
 * the run of controls as near as the k-th (ties within the tolerance). */
static void match_with_replacement(matcher *M, const unit *t, size_t nt, const unit *c, size_t nc, size_t k,
                                   double tie_tolerance, attrib_matches *res, size_t *ns_out, size_t *np_out) {
  size_t ns = 0, np = 0;
  for (size_t q = 0; q < nc; q++) res->members[q] = c[q].index;
  res->n_members = nc;
  for (size_t i = 0; i < nt; i++) {
    size_t lo, hi, m = match_set(M, t[i].d, k, tie_tolerance, &lo, &hi);
    if (!m) continue;
    res->focal[ns] = t[i].index;
    res->begin[ns] = lo;
    res->end[ns++] = hi;
    np += m;
    res->n_tied += m > k;
  }
  *ns_out = ns, *np_out = np;
}

/* With replacement, the controls used: the union of the sets' runs. -1:
 * out of memory. */
static int count_controls_used(attrib_matches *res, size_t nc, size_t ns) {
  /* the union of the runs: positions covered by some set (short runs
   * marked directly, long ones through a difference array) */
  unsigned char *used = attrib__calloc(nc, 1);
  if (!used) return -1;
  int64_t *cover = NULL;
  for (size_t q = 0; q < ns; q++) {
    size_t b = res->begin[q], e = res->end[q];
    if (e - b <= ATTRIB__RUN_DIRECT) {
      for (size_t p = b; p < e; p++) used[p] = 1;
      continue;
    }
    if (!cover && !(cover = attrib__calloc(nc + 1, sizeof *cover))) {
      attrib__free(used);
      return -1;
    }
    cover[b]++, cover[e]--;
  }
  int64_t run = 0;
  for (size_t p = 0; p < nc; p++) {
    if (cover) run += cover[p];
    res->n_controls_used += used[p] || run > 0;
  }
  attrib__free(cover);
  attrib__free(used);
  return 0;
}

attrib_status attrib_match_nearest(const double *distance, const int *treat, const size_t *rank, size_t n,
                                   const attrib_match_options *opts, attrib_matches **out, attrib_error *err) {
  if (!distance || !treat || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_match_nearest: NULL argument");
  *out = NULL;
  attrib_match_options defaults;
  if (!opts) {
    attrib_match_options_init(&defaults);
    opts = &defaults;
  }
  ATTRIB__TRY(attrib_match_check(opts, err));
  size_t nt = 0, nc = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(distance[i]))
      return attrib__fail(err, ATTRIB_EINVAL, "matching: the distance of unit %zu is not a finite number", i + 1);
    if (treat[i]) nt++;
    else nc++;
  }
  if (n > UINT32_MAX)
    return attrib__fail(err, ATTRIB_EINVAL, "matching: %zu units; at most %lu can be matched at once", n,
                        (unsigned long)UINT32_MAX);
  if (nt == 0) return attrib__fail(err, ATTRIB_ENODATA, "matching: there are no treated units");
  if (nc == 0) return attrib__fail(err, ATTRIB_ENODATA, "matching: there are no control units");

  attrib_status s = ATTRIB_OK;
  unit *t = attrib__alloc_large(nt * sizeof *t), *c = attrib__alloc_large(nc * sizeof *c);
  matcher M = {c, nc, NULL, NULL, opts->caliper, 0};
  /* One scratch region serves the sorts and then the two union-find
   * arrays: fresh pages are the dearest part of matching at 10M rows
   * (docs/performance.md, fact 1), so each is touched once. */
  size_t sort_bytes = (nc > nt ? nc : nt) * sizeof(unit), uf_bytes = 2 * (nc + 1) * sizeof(size_t);
  size_t scratch_bytes = sort_bytes > uf_bytes ? sort_bytes : uf_bytes;
  void *scratch = attrib__alloc_large(scratch_bytes);
  M.nr = scratch;
  M.nl = M.nr ? M.nr + nc + 1 : NULL;
  size_t k = opts->ratio;
  attrib_matches *res = attrib__calloc(1, sizeof *res);
  if (!t || !c || !M.nr || !M.nl || !res) goto oom;
  res->replace = opts->replace != 0;
  res->focal = attrib__malloc(nt, sizeof *res->focal);
  res->begin = attrib__malloc(nt, sizeof *res->begin);
  res->end = attrib__malloc(nt, sizeof *res->end);
  /* with replacement every control is a member (sets are runs of them);
   * without, each set lists its own k at most */
  size_t cap_members = opts->replace ? nc : nt * k;
  res->members = attrib__malloc(cap_members ? cap_members : 1, sizeof *res->members);
  if (!res->focal || !res->begin || !res->end || !res->members) goto oom;
  if ((s = split_units(distance, treat, rank, n, t, c, err))) goto done;
  if (!radix_sort(c, nc, scratch) || !radix_sort(t, nt, scratch)) goto oom; /* smallest first, ties by rank */
  if (order_treated(t, nt, distance, opts, scratch)) goto oom;

  size_t ns = 0, np = 0;
  if (!opts->replace) {
    if (match_without_replacement(&M, t, nt, c, nc, k, res, &ns, &np)) goto oom;
  } else {
    match_with_replacement(&M, t, nt, c, nc, k, opts->tie_tolerance, res, &ns, &np);
  }
  res->n_sets = ns;
  res->n_pairs = np;
  res->n_treated = nt;
  res->n_treated_matched = ns;
  if (!opts->replace) {
    res->n_controls_used = np; /* each control serves one set */
  } else if (nc) {
    if (count_controls_used(res, nc, ns)) goto oom;
  }
  *out = res;
  res = NULL;
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "matching: out of memory");
done:
  attrib_matches_free(res);
  attrib__free_large(t, nt * sizeof *t);
  attrib__free_large(c, nc * sizeof *c);
  attrib__free_large(scratch, scratch_bytes);
  return s;
}

/* ---- sums over the sets ------------------------------------------------- */

/* Prefix sums over the members of v - ref and its square, for the sets
 * longer than ATTRIB__RUN_DIRECT (only ties make them): a set's sum of v
 * and of (a - v)^2 then cost O(1). long double and the shift by a value of
 * v keep the differences of prefix sums accurate. p1 = NULL: no long set. */
typedef struct runsum {
  long double *p1, *p2;
  double ref;
} runsum;

static void runsum_free(runsum *r) {
  attrib__free(r->p1);
  attrib__free(r->p2);
  r->p1 = r->p2 = NULL;
}

static int runsum_init(runsum *r, const attrib_matches *m, const double *v) {
  r->p1 = r->p2 = NULL;
  r->ref = 0.0;
  int any = 0;
  for (size_t s = 0; s < m->n_sets && !any; s++) any = m->end[s] - m->begin[s] > ATTRIB__RUN_DIRECT;
  if (!any) return 1;
  r->p1 = attrib__malloc(m->n_members + 1, sizeof *r->p1);
  r->p2 = attrib__malloc(m->n_members + 1, sizeof *r->p2);
  if (!r->p1 || !r->p2) return runsum_free(r), 0;
  r->ref = v[m->members[0]];
  r->p1[0] = r->p2[0] = 0;
  for (size_t q = 0; q < m->n_members; q++) {
    long double w = (long double)v[m->members[q]] - r->ref;
    r->p1[q + 1] = r->p1[q] + w;
    r->p2[q + 1] = r->p2[q] + w * w;
  }
  return 1;
}

/* mean of v over set s (a long set) */
static double run_mean(const runsum *r, const attrib_matches *m, size_t s) {
  size_t b = m->begin[s], e = m->end[s];
  return (double)((long double)r->ref + (r->p1[e] - r->p1[b]) / (long double)(e - b));
}

/* sum over set s (a long set) of (a - v_c)^2 */
static double run_sq(const runsum *r, const attrib_matches *m, size_t s, double a) {
  size_t b = m->begin[s], e = m->end[s];
  long double x = (long double)a - r->ref, M = (long double)(e - b);
  long double q = M * x * x - 2.0L * x * (r->p1[e] - r->p1[b]) + (r->p2[e] - r->p2[b]);
  return q > 0 ? (double)q : 0.0;
}

/* The adjustment of pair (t, c): (z_t - z_c)' alpha, or 0 without Z. */
static double adjustment(const double *Z, size_t kz, size_t ldz, const double *alpha, size_t t, size_t c) {
  double a = 0.0;
  for (size_t j = 0; Z && j < kz; j++) a += (Z[j * ldz + t] - Z[j * ldz + c]) * alpha[j];
  return a;
}

static attrib_status att_ai(const double *y, const double *Z, size_t kz, size_t ldz, size_t n, const attrib_matches *m,
                            double *estimate, double *std_error, attrib_error *err) {
  if (!y || !m || !estimate || !std_error) return attrib__fail(err, ATTRIB_EINVAL, "attrib_match_att_ai: NULL argument");
  if (m->n_sets == 0) return attrib__fail(err, ATTRIB_ENODATA, "matching: no treated unit has a match");
  attrib_status s = ATTRIB_OK;
  double *K = attrib__calloc(n ? n : 1, sizeof *K), *KK = attrib__calloc(n ? n : 1, sizeof *KK);
  double *alpha = attrib__calloc(kz + 1, sizeof *alpha), *X = NULL, *v = NULL;
  attrib__ls ls;
  memset(&ls, 0, sizeof ls);
  runsum rs = {NULL, NULL, 0.0};
  if (!K || !KK || !alpha) goto oom;
  if ((s = attrib_match_uses(m, n, K, KK, err))) goto done;
  if (Z && kz) { /* alpha: weighted least squares of y on (1, Z) over the used controls, weights K */
    X = attrib__malloc(n * (kz + 1), sizeof *X);
    if (!X) goto oom;
    for (size_t i = 0; i < n; i++) X[i] = 1.0;
    for (size_t j = 0; j < kz; j++)
      for (size_t i = 0; i < n; i++) X[(j + 1) * n + i] = Z[j * ldz + i];
    attrib__xsrc src = attrib__xsrc_matrix(X, n, kz + 1, n);
    if ((s = attrib__ls_solve(&src, y, K, 1e-10, NULL, &ls, err))) goto done;
    for (size_t j = 0; j < ls.r; j++)
      if (ls.cols[j] > 0) alpha[ls.cols[j] - 1] = ls.beta[j];
  }
  /* v = y - Z alpha: the adjusted outcome, so an adjusted pair difference
   * is v_t - v_c (long sets use it through prefix sums) */
  const double *vv = y;
  if (Z && kz) {
    if (!(v = attrib__malloc(n, sizeof *v))) goto oom;
    for (size_t i = 0; i < n; i++) {
      double a = 0.0;
      for (size_t j = 0; j < kz; j++) a += Z[j * ldz + i] * alpha[j];
      v[i] = y[i] - a;
    }
    vv = v;
  }
  if (!runsum_init(&rs, m, vv)) goto oom;
  /* the estimate from adjusted pair differences */
  double sum_tau = 0.0;
  size_t N1 = m->n_sets;
  for (size_t set = 0; set < m->n_sets; set++) {
    size_t b = m->begin[set], e = m->end[set], t = m->focal[set];
    if (e - b > ATTRIB__RUN_DIRECT) {
      sum_tau += vv[t] - run_mean(&rs, m, set);
      continue;
    }
    double yc = 0.0;
    for (size_t q = b; q < e; q++) yc += y[m->members[q]] + adjustment(Z, kz, ldz, alpha, t, m->members[q]);
    sum_tau += y[t] - yc / (double)(e - b);
  }
  double est = sum_tau / (double)N1;
  /* deviations: treated level and pair level */
  double dev_t = 0.0, dev_p = 0.0, sw = 0.0;
  for (size_t set = 0; set < m->n_sets; set++) {
    size_t b = m->begin[set], e = m->end[set], t = m->focal[set];
    double M = (double)(e - b);
    if (e - b > ATTRIB__RUN_DIRECT) {
      double tau = vv[t] - run_mean(&rs, m, set);
      dev_t += (tau - est) * (tau - est);
      dev_p += run_sq(&rs, m, set, vv[t] - est) / M;
      sw += 1.0;
      continue;
    }
    double yc = 0.0;
    for (size_t q = b; q < e; q++) yc += y[m->members[q]] + adjustment(Z, kz, ldz, alpha, t, m->members[q]);
    double tau = y[t] - yc / M;
    dev_t += (tau - est) * (tau - est);
    for (size_t q = b; q < e; q++) {
      double dp = y[t] - y[m->members[q]] - adjustment(Z, kz, ldz, alpha, t, m->members[q]) - est;
      dev_p += dp * dp / M;
      sw += 1.0 / M;
    }
  }
  double s2 = 0.5 * dev_p / sw, kterm = 0.0;
  for (size_t i = 0; i < n; i++) kterm += K[i] * K[i] - KK[i];
  *estimate = est;
  *std_error = sqrt((dev_t + s2 * kterm) / ((double)N1 * (double)N1));
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "matching: out of memory");
done:
  attrib__free(K);
  attrib__free(KK);
  attrib__free(alpha);
  attrib__free(X);
  attrib__free(v);
  runsum_free(&rs);
  attrib__ls_free(&ls);
  return s;
}

attrib_status attrib_match_att_ai(const double *y, size_t n, const attrib_matches *m, double *estimate,
                                  double *std_error, attrib_error *err) {
  return att_ai(y, NULL, 0, 0, n, m, estimate, std_error, err);
}

attrib_status attrib_match_att_ai_bc(const double *y, const double *Z, size_t kz, size_t ldz, size_t n,
                                     const attrib_matches *m, double *estimate, double *std_error,
                                     attrib_error *err) {
  if (!Z || kz == 0 || ldz < n) return attrib__fail(err, ATTRIB_EINVAL, "bias correction needs covariates Z");
  return att_ai(y, Z, kz, ldz, n, m, estimate, std_error, err);
}

attrib_status attrib_match_ate_ai(const double *y, size_t n, const attrib_matches *to_control,
                                  const attrib_matches *to_treated, double *estimate, double *std_error,
                                  attrib_error *err) {
  if (!y || !to_control || !to_treated || !estimate || !std_error)
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_match_ate_ai: NULL argument");
  if (!to_control->n_sets || !to_treated->n_sets)
    return attrib__fail(err, ATTRIB_ENODATA, "matching: the ATE needs matches in both directions");
  attrib_status s = ATTRIB_OK;
  double *K = attrib__calloc(n ? n : 1, sizeof *K), *KK = attrib__calloc(n ? n : 1, sizeof *KK);
  const attrib_matches *dir[2] = {to_control, to_treated};
  runsum rs[2] = {{NULL, NULL, 0.0}, {NULL, NULL, 0.0}};
  if (!K || !KK || !runsum_init(&rs[0], dir[0], y) || !runsum_init(&rs[1], dir[1], y)) goto oom;
  for (int d = 0; d < 2; d++)
    if ((s = attrib_match_uses(dir[d], n, K, KK, err))) goto done;
  /* sign: a treated unit's tau is y_i - y_match, a control's y_match - y_i */
  double sum_tau = 0.0;
  size_t N = 0;
  for (int d = 0; d < 2; d++) {
    const attrib_matches *m = dir[d];
    for (size_t set = 0; set < m->n_sets; set++) {
      size_t b = m->begin[set], e = m->end[set], i = m->focal[set];
      double ym;
      if (e - b > ATTRIB__RUN_DIRECT) {
        ym = run_mean(&rs[d], m, set);
      } else {
        double sy = 0.0;
        for (size_t q = b; q < e; q++) sy += y[m->members[q]];
        ym = sy / (double)(e - b);
      }
      sum_tau += d == 0 ? y[i] - ym : ym - y[i];
      N++;
    }
  }
  double est = sum_tau / (double)N, dev_t = 0.0, dev_p = 0.0, sw = 0.0;
  for (int d = 0; d < 2; d++) {
    const attrib_matches *m = dir[d];
    for (size_t set = 0; set < m->n_sets; set++) {
      size_t b = m->begin[set], e = m->end[set], i = m->focal[set];
      double M = (double)(e - b);
      if (e - b > ATTRIB__RUN_DIRECT) {
        double ym = run_mean(&rs[d], m, set), tau = d == 0 ? y[i] - ym : ym - y[i];
        dev_t += (tau - est) * (tau - est);
        /* (y_i - y_c - est)^2, or (y_c - y_i - est)^2 = ((y_i + est) - y_c)^2 */
        dev_p += run_sq(&rs[d], m, set, d == 0 ? y[i] - est : y[i] + est) / M;
        sw += 1.0;
        continue;
      }
      double ym = 0.0;
      for (size_t q = b; q < e; q++) ym += y[m->members[q]];
      double tau = d == 0 ? y[i] - ym / M : ym / M - y[i];
      dev_t += (tau - est) * (tau - est);
      for (size_t q = b; q < e; q++) {
        double dp = (d == 0 ? y[i] - y[m->members[q]] : y[m->members[q]] - y[i]) - est;
        dev_p += dp * dp / M;
        sw += 1.0 / M;
      }
    }
  }
  double s2 = 0.5 * dev_p / sw, kterm = 0.0;
  for (size_t i = 0; i < n; i++) kterm += K[i] * K[i] + 2.0 * K[i] - KK[i];
  *estimate = est;
  *std_error = sqrt((s2 * kterm + dev_t) / ((double)N * (double)N));
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "matching: out of memory");
done:
  attrib__free(K);
  attrib__free(KK);
  runsum_free(&rs[0]);
  runsum_free(&rs[1]);
  return s;
}

attrib_status attrib_match_weights(const attrib_matches *m, size_t n, double *weights, int *subclass,
                                   attrib_error *err) {
  if (!m || !weights || !subclass) return attrib__fail(err, ATTRIB_EINVAL, "attrib_match_weights: NULL argument");
  if (m->replace)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "matched sets need matching without replacement: with replacement a control can serve "
                        "several sets");
  for (size_t i = 0; i < n; i++) weights[i] = 0.0, subclass[i] = -1;
  size_t nc = 0;
  double csum = 0.0;
  for (size_t set = 0; set < m->n_sets; set++) {
    size_t b = m->begin[set], e = m->end[set];
    weights[m->focal[set]] = 1.0;
    subclass[m->focal[set]] = (int)set;
    for (size_t q = b; q < e; q++) {
      size_t c = m->members[q];
      if (subclass[c] >= 0)
        return attrib__fail(err, ATTRIB_EINVAL,
                            "matched sets need matching without replacement: unit %zu is a control in two sets", c + 1);
      subclass[c] = (int)set;
      weights[c] = 1.0 / (double)(e - b);
      csum += weights[c];
      nc++;
    }
  }
  for (size_t q = 0; q < m->n_members; q++) weights[m->members[q]] *= (double)nc / csum;
  return ATTRIB_OK;
}

attrib_status attrib_match_att_sets(const double *y, const int *treat, const double *weights, const int *subclass,
                                    size_t n, double *estimate, double *std_error, size_t *n_sets,
                                    attrib_error *err) {
  if (!y || !treat || !weights || !subclass || !estimate || !std_error)
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_match_att_sets: NULL argument");
  /* The regression has two columns, so it is solved in closed form in one
   * pass: beta1 = the difference in weighted means, and the CR1 sandwich
   * (X'WX)^-1 [sum_g s_g s_g'] (X'WX)^-1 * G/(G-1) * (m-1)/(m-2) with
   * s_g = sum over set g of w_i e_i (1, t_i)' (Cameron & Miller 2015, eq. 11;
   * the small-sample factor is Stata's and fixest's CR1). */
  size_t m = 0;
  int max_set = -1;
  long double W0 = 0, W1 = 0, S0 = 0, S1 = 0;
  for (size_t i = 0; i < n; i++)
    if (weights[i] > 0.0) {
      m++;
      if (subclass[i] > max_set) max_set = subclass[i];
      if (subclass[i] < 0)
        return attrib__fail(err, ATTRIB_EINVAL, "matched sets: a matched unit (row %zu) has no set", i + 1);
      if (treat[i]) W1 += weights[i], S1 += (long double)weights[i] * y[i];
      else W0 += weights[i], S0 += (long double)weights[i] * y[i];
    }
  if (m == 0 || max_set < 1)
    return attrib__fail(err, ATTRIB_EDESIGN, "matched sets: at least two matched sets are needed for a clustered SE");
  if (!(W0 > 0) || !(W1 > 0))
    return attrib__fail(err, ATTRIB_EDESIGN, "matched sets: the matched sample has only treated or only control units");
  double m0 = (double)(S0 / W0), m1 = (double)(S1 / W1);
  size_t G = (size_t)max_set + 1;
  double *sg = attrib__calloc(2 * G, sizeof *sg);
  if (!sg) return attrib__fail(err, ATTRIB_ENOMEM, "matched sets: out of memory");
  for (size_t i = 0; i < n; i++)
    if (weights[i] > 0.0) {
      double we = weights[i] * (y[i] - (treat[i] ? m1 : m0));
      sg[2 * (size_t)subclass[i]] += we;
      if (treat[i]) sg[2 * (size_t)subclass[i] + 1] += we;
    }
  long double M00 = 0, M01 = 0, M11 = 0;
  for (size_t g = 0; g < G; g++) {
    M00 += (long double)sg[2 * g] * sg[2 * g];
    M01 += (long double)sg[2 * g] * sg[2 * g + 1];
    M11 += (long double)sg[2 * g + 1] * sg[2 * g + 1];
  }
  attrib__free(sg);
  /* (X'WX)^-1 = [[W1, -W1], [-W1, W]] / (W1 W0), W = W0 + W1; row 2 = (-1/W0, 1/W0 + 1/W1) */
  long double b0 = -1.0L / W0, b1 = 1.0L / W0 + 1.0L / W1;
  long double v = b0 * b0 * M00 + 2 * b0 * b1 * M01 + b1 * b1 * M11;
  double adj = m > 2 ? ((double)G / (double)(G - 1)) * ((double)(m - 1) / (double)(m - 2)) : NAN;
  *estimate = m1 - m0;
  *std_error = sqrt((double)v * adj);
  if (n_sets) *n_sets = G;
  return ATTRIB_OK;
}
