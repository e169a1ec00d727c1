/* Nearest-neighbour matching against an independent O(n^2) matcher written
 * from the documented rules, on data full of ties (with replacement every
 * tied control is kept: Abadie & Imbens 2006's J_M); invariance to the order
 * of the input rows; the Abadie-Imbens estimators against R's
 * Matching::Match, also on Lalonde's tied scores; and sets of thousands of
 * tied controls against the formulas summed pair by pair. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "test_support.h"
#include "core/rng.h"

typedef struct data {
  size_t n;
  double *d;
  int *treat;
  size_t *rank;
} data;

static data make(size_t n, unsigned long seed) {
  data x = {n, malloc(n * sizeof(double)), malloc(n * sizeof(int)), malloc(n * sizeof(size_t))};
  gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(g, seed);
  for (size_t i = 0; i < n; i++) {
    x.treat[i] = gsl_rng_uniform(g) < 0.3;
    /* scores rounded to 0.01: many exact ties */
    x.d[i] = round((x.treat[i] ? 0.15 : 0.0) + 0.8 * gsl_rng_uniform(g) * 100.0) / 100.0;
    x.rank[i] = i;
  }
  for (size_t i = n; i > 1; i--) { /* ranks: a random permutation, unrelated to rows */
    size_t j = gsl_rng_uniform_int(g, i), tmp = x.rank[i - 1];
    x.rank[i - 1] = x.rank[j];
    x.rank[j] = tmp;
  }
  gsl_rng_free(g);
  return x;
}

static void release(data *x) {
  free(x->d);
  free(x->treat);
  free(x->rank);
}

/* treated units in matching order, by brute force */
static size_t *treated_order(const data *x, const attrib_match_options *o, size_t *nt) {
  size_t *t = malloc(x->n * sizeof *t), m = 0;
  for (size_t i = 0; i < x->n; i++)
    if (x->treat[i]) t[m++] = i;
  for (size_t a = 0; a < m; a++) /* selection sort: clear, not fast */
    for (size_t b = a + 1; b < m; b++) {
      size_t i = t[a], j = t[b];
      int swap;
      if (o->order == ATTRIB_MATCH_LARGEST) swap = x->d[j] > x->d[i] || (x->d[j] == x->d[i] && x->rank[j] < x->rank[i]);
      else if (o->order == ATTRIB_MATCH_SMALLEST) swap = x->d[j] < x->d[i] || (x->d[j] == x->d[i] && x->rank[j] < x->rank[i]);
      else swap = x->rank[j] < x->rank[i]; /* id order; random starts from it */
      if (swap) t[a] = j, t[b] = i;
    }
  if (o->order == ATTRIB_MATCH_RANDOM) { /* Fisher-Yates over the seed's match-order stream */
    attrib__rng g;
    attrib__rng_init(&g, o->seed, ATTRIB__RNG_MATCH_ORDER, 0);
    for (size_t i = m; i > 1; i--) {
      size_t j = attrib__rng_below(attrib__rng_next(&g), i), tmp = t[i - 1];
      t[i - 1] = t[j];
      t[j] = tmp;
    }
  }
  *nt = m;
  return t;
}

/* A brute-force matcher: sets[a] lists treated unit t[a]'s controls (unit
 * indices), got[a] of them. Without replacement: greedy, in rounds, nearest
 * first, ties to the smaller rank. With replacement: every control within
 * the caliper at a distance up to the k-th smallest distance d_k plus
 * 1e-12 (1 + |d_t|), or with a window W also those with diff^2 <= d_k^2 + W,
 * listed by increasing distance value then rank (the run order). */
static size_t *brute(const data *x, const attrib_match_options *o, size_t **sets_out, size_t **got_out) {
  size_t nt, k = o->ratio;
  size_t *t = treated_order(x, o, &nt);
  size_t *got = calloc(nt, sizeof *got), *sets = malloc(nt * x->n * sizeof *sets);
  unsigned char *used = calloc(x->n, 1);
  if (!o->replace) {
    for (size_t round = 0; round < k; round++)
      for (size_t a = 0; a < nt; a++) {
        if (got[a] < round) continue;
        /* the nearest distance, then the smallest rank among the controls
         * within 1e-12 (1 + |d_t|) of it: equal up to rounding is a tie */
        size_t best = SIZE_MAX;
        double bd = INFINITY, dt = x->d[t[a]];
        for (size_t j = 0; j < x->n; j++) {
          if (x->treat[j] || used[j]) continue;
          double diff = fabs(dt - x->d[j]);
          if (o->caliper > 0 && diff > o->caliper) continue;
          if (diff < bd) bd = diff;
        }
        for (size_t j = 0; bd < INFINITY && j < x->n; j++) {
          if (x->treat[j] || used[j]) continue;
          double diff = fabs(dt - x->d[j]);
          if (o->caliper > 0 && diff > o->caliper) continue;
          if (diff <= bd + 1e-12 * (1.0 + fabs(dt)) && (best == SIZE_MAX || x->rank[j] < x->rank[best])) best = j;
        }
        if (best == SIZE_MAX) continue;
        used[best] = 1;
        sets[a * x->n + got[a]++] = best;
      }
  } else {
    double *dd = malloc(x->n * sizeof *dd);
    for (size_t a = 0; a < nt; a++) {
      double dt = x->d[t[a]];
      size_t m = 0;
      for (size_t j = 0; j < x->n; j++) {
        if (x->treat[j]) continue;
        double diff = fabs(dt - x->d[j]);
        if (o->caliper > 0 && diff > o->caliper) continue;
        dd[m++] = diff;
      }
      if (!m) continue;
      for (size_t i = 1; i < m; i++) /* insertion sort of the distances */
        for (size_t q = i; q > 0 && dd[q] < dd[q - 1]; q--) {
          double tmp = dd[q];
          dd[q] = dd[q - 1];
          dd[q - 1] = tmp;
        }
      double dk = dd[(m < k ? m : k) - 1];
      for (size_t j = 0; j < x->n; j++) {
        if (x->treat[j]) continue;
        double diff = fabs(dt - x->d[j]);
        if (o->caliper > 0 && diff > o->caliper) continue;
        if (diff <= dk + 1e-12 * (1.0 + fabs(dt)) || (o->tie_tolerance > 0 && diff * diff <= dk * dk + o->tie_tolerance))
          sets[a * x->n + got[a]++] = j;
      }
      size_t *sa = sets + a * x->n;
      for (size_t i = 1; i < got[a]; i++) /* by (distance value, rank) */
        for (size_t q = i; q > 0; q--) {
          size_t u = sa[q - 1], v = sa[q];
          if (x->d[u] < x->d[v] || (x->d[u] == x->d[v] && x->rank[u] < x->rank[v])) break;
          sa[q - 1] = v, sa[q] = u;
        }
    }
    free(dd);
  }
  free(used);
  *sets_out = sets;
  *got_out = got;
  return t;
}

/* m's sets against the brute force, in matching order, member by member */
static void same_sets(const data *x, const attrib_match_options *o, const attrib_matches *m, const char *label) {
  size_t *sets, *got, nt;
  size_t *t = brute(x, o, &sets, &got);
  free(treated_order(x, o, &nt)); /* (just the count) */
  size_t s = 0, pairs = 0;
  for (size_t a = 0; a < nt; a++) {
    if (!got[a]) continue;
    if (s >= m->n_sets) fail_msg("%s: %zu sets, the brute force has more", label, m->n_sets);
    if (m->focal[s] != t[a]) fail_msg("%s: set %zu belongs to unit %zu, brute force %zu", label, s, m->focal[s], t[a]);
    if (m->end[s] - m->begin[s] != got[a])
      fail_msg("%s: set %zu (unit %zu) has %zu members, brute force %zu", label, s, t[a], m->end[s] - m->begin[s], got[a]);
    for (size_t q = 0; q < got[a]; q++)
      if (m->members[m->begin[s] + q] != sets[a * x->n + q])
        fail_msg("%s: set %zu member %zu is %zu, brute force %zu", label, s, q, m->members[m->begin[s] + q],
                 sets[a * x->n + q]);
    pairs += got[a];
    s++;
  }
  if (s != m->n_sets) fail_msg("%s: %zu sets, brute force %zu", label, m->n_sets, s);
  assert_int_equal(m->n_pairs, pairs);
  free(t);
  free(sets);
  free(got);
}

static void test_against_brute_force(void **state) {
  (void)state;
  data x = make(1500, 11);
  size_t cases = 0, tied = 0;
  for (size_t ratio = 1; ratio <= 3; ratio++)
    for (int replace = 0; replace < 2; replace++)
      for (int cal = 0; cal < 2; cal++)
        for (int order = 0; order < 4; order++) {
          attrib_match_options o;
          attrib_match_options_init(&o);
          o.ratio = ratio;
          o.replace = replace;
          o.caliper = cal ? 0.02 : 0.0;
          o.order = (attrib_match_order)order;
          o.seed = 77;
          attrib_matches *m = NULL;
          attrib_error err;
          attrib_error_clear(&err);
          assert_status(attrib_match_nearest(x.d, x.treat, x.rank, x.n, &o, &m, &err), ATTRIB_OK, &err);
          char label[96];
          snprintf(label, sizeof label, "ratio %zu replace %d caliper %d order %d", ratio, replace, cal, order);
          same_sets(&x, &o, m, label);
          if (!replace) assert_int_equal(m->n_tied, 0);
          tied += m->n_tied;
          attrib_matches_free(m);
          cases++;
        }
  assert_int_equal(cases, 48);
  assert_true(tied > 0); /* the data do tie */
  release(&x);
}

/* A tie window (Matching's distance.tolerance, squared distance units)
 * widens the sets exactly as the brute force says. */
static void test_tie_window(void **state) {
  (void)state;
  data x = make(1200, 3);
  for (size_t i = 0; i < x.n; i++) x.d[i] += 1e-4 * (double)(i % 7); /* near, not equal */
  size_t prev = 0;
  for (int w = 0; w < 3; w++) {
    attrib_match_options o;
    attrib_match_options_init(&o);
    o.replace = 1;
    o.ratio = 2;
    o.tie_tolerance = w == 0 ? 0.0 : w == 1 ? 1e-8 : 1e-6;
    attrib_matches *m = NULL;
    assert_status(attrib_match_nearest(x.d, x.treat, x.rank, x.n, &o, &m, NULL), ATTRIB_OK, NULL);
    char label[48];
    snprintf(label, sizeof label, "window %g", o.tie_tolerance);
    same_sets(&x, &o, m, label);
    assert_true(m->n_pairs >= prev);
    if (w) assert_true(m->n_pairs > prev); /* each window takes more */
    prev = m->n_pairs;
    attrib_matches_free(m);
  }
  attrib_match_options o;
  attrib_match_options_init(&o);
  o.tie_tolerance = -1.0;
  attrib_matches *m = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_match_nearest(x.d, x.treat, x.rank, x.n, &o, &m, &err), ATTRIB_EINVAL, &err);
  assert_non_null(strstr(err.message, "tie tolerance"));
  release(&x);
}

/* Shuffling the rows (ranks travel with their units) changes nothing. */
static void test_row_order_invariance(void **state) {
  (void)state;
  data x = make(2000, 5), y = {x.n, malloc(x.n * sizeof(double)), malloc(x.n * sizeof(int)), malloc(x.n * sizeof(size_t))};
  size_t *perm = malloc(x.n * sizeof *perm);
  for (size_t i = 0; i < x.n; i++) perm[i] = (i * 7919) % x.n; /* 7919 is prime to 2000 */
  for (size_t i = 0; i < x.n; i++) y.d[i] = x.d[perm[i]], y.treat[i] = x.treat[perm[i]], y.rank[i] = x.rank[perm[i]];
  for (int replace = 0; replace < 2; replace++) {
    attrib_match_options o;
    attrib_match_options_init(&o);
    o.ratio = 2;
    o.replace = replace;
    o.caliper = 0.005; /* distances are multiples of 0.01: only exact ties qualify */
    attrib_matches *a = NULL, *b = NULL;
    assert_status(attrib_match_nearest(x.d, x.treat, x.rank, x.n, &o, &a, NULL), ATTRIB_OK, NULL);
    assert_status(attrib_match_nearest(y.d, y.treat, y.rank, y.n, &o, &b, NULL), ATTRIB_OK, NULL);
    assert_int_equal(a->n_pairs, b->n_pairs);
    assert_int_equal(a->n_sets, b->n_sets);
    for (size_t q = 0; q < a->n_sets; q++) {
      assert_int_equal(x.rank[a->focal[q]], y.rank[b->focal[q]]);
      assert_int_equal(a->end[q] - a->begin[q], b->end[q] - b->begin[q]);
      for (size_t p = 0; p < a->end[q] - a->begin[q]; p++)
        assert_int_equal(x.rank[a->members[a->begin[q] + p]], y.rank[b->members[b->begin[q] + p]]);
    }
    if (!replace) assert_true(a->n_treated_matched < a->n_treated); /* the caliper bites */
    else assert_true(a->n_tied > 0);                                  /* exact ties are kept */
    attrib_matches_free(a);
    attrib_matches_free(b);
  }
  free(perm);
  release(&x);
  release(&y);
}

static void test_errors(void **state) {
  (void)state;
  double d[3] = {0.1, 0.2, 0.3};
  int none[3] = {0, 0, 0}, all[3] = {1, 1, 1}, some[3] = {1, 0, 0};
  attrib_matches *m = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_match_nearest(d, none, NULL, 3, NULL, &m, &err), ATTRIB_ENODATA, &err);
  assert_non_null(strstr(err.message, "no treated units"));
  assert_status(attrib_match_nearest(d, all, NULL, 3, NULL, &m, &err), ATTRIB_ENODATA, &err);
  assert_non_null(strstr(err.message, "no control units"));
  attrib_match_options o;
  attrib_match_options_init(&o);
  o.ratio = 0;
  assert_status(attrib_match_nearest(d, some, NULL, 3, &o, &m, &err), ATTRIB_EINVAL, &err);
  double bad[3] = {0.1, NAN, 0.3};
  assert_status(attrib_match_nearest(bad, some, NULL, 3, NULL, &m, &err), ATTRIB_EINVAL, &err);
  assert_null(m);
}

/* ATT and Abadie-Imbens SE against R's Matching::Match (M = 1 and 4), on
 * the scores R wrote out (tests/reference/matching/). The ATC is the ATT of
 * the flipped treatment with its sign reversed (same SE): that is how psm
 * will estimate it. Tolerance 1e-9: the same sums in another order. */
static void test_att_against_matching(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/matching/matching_data.csv");
  attrib_table *e = test_load("tests/reference/matching/matching_expected.csv");
  size_t n = t->n_rows;
  const double *tr = t->cols[attrib_table_column_find(t, "treat")].values;
  const double *y = t->cols[attrib_table_column_find(t, "y")].values;
  const double *ps = t->cols[attrib_table_column_find(t, "ps")].values;
  int *treat = malloc(n * sizeof *treat);
  for (size_t r = 0; r < e->n_rows; r++) {
    const attrib_column *ec = &e->cols[attrib_table_column_find(e, "estimand")];
    int atc = strcmp(ec->levels[ec->codes[r]], "ATC") == 0;
    for (size_t i = 0; i < n; i++) treat[i] = (tr[i] == 1.0) != atc;
    attrib_match_options o;
    attrib_match_options_init(&o);
    o.replace = 1;
    o.ratio = (size_t)test_value(e, "M", (long)r);
    attrib_matches *m = NULL;
    assert_status(attrib_match_nearest(ps, treat, NULL, n, &o, &m, NULL), ATTRIB_OK, NULL);
    double est, se;
    assert_status(attrib_match_att_ai(y, n, m, &est, &se, NULL), ATTRIB_OK, NULL);
    char label[64];
    if (atc) est = -est;
    snprintf(label, sizeof label, "M = %zu %s", o.ratio, atc ? "ATC" : "ATT");
    assert_rel_close(est, test_value(e, "estimate", (long)r), 1e-9, label);
    snprintf(label, sizeof label, "M = %zu Abadie-Imbens SE", o.ratio);
    assert_rel_close(se, test_value(e, "se", (long)r), 1e-9, label);
    attrib_matches_free(m);
  }
  free(treat);
  attrib_table_free(t);
  attrib_table_free(e);
}

/* Without replacement: matched sets, MatchIt's weights and the clustered
 * regression SE against a brute-force greedy matcher written independently
 * in R (tests/reference/matching/make_sets_reference.R), with and without
 * caliper, ratio 1-3. Tolerance 1e-9. */
static void test_sets_against_r(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/matching/matching_data.csv");
  attrib_table *e = test_load("tests/reference/matching/sets_expected.csv");
  size_t n = t->n_rows;
  const double *tr = t->cols[attrib_table_column_find(t, "treat")].values;
  const double *y = t->cols[attrib_table_column_find(t, "y")].values;
  const double *ps = t->cols[attrib_table_column_find(t, "ps")].values;
  int *treat = malloc(n * sizeof *treat), *sub = malloc(n * sizeof *sub);
  double *w = malloc(n * sizeof *w);
  for (size_t i = 0; i < n; i++) treat[i] = tr[i] == 1.0;
  for (long r = 0; r < (long)e->n_rows; r++) {
    attrib_match_options o;
    attrib_match_options_init(&o);
    o.ratio = (size_t)test_value(e, "ratio", r);
    o.caliper = test_value(e, "caliper", r);
    attrib_matches *m = NULL;
    assert_status(attrib_match_nearest(ps, treat, NULL, n, &o, &m, NULL), ATTRIB_OK, NULL); /* ids = row order */
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_match_weights(m, n, w, sub, &err), ATTRIB_OK, &err);
    double est, se;
    size_t sets;
    assert_status(attrib_match_att_sets(y, treat, w, sub, n, &est, &se, &sets, &err), ATTRIB_OK, &err);
    assert_int_equal(sets, (size_t)test_value(e, "sets", r));
    size_t nc = 0;
    double wc = 0.0;
    for (size_t i = 0; i < n; i++)
      if (!treat[i] && w[i] > 0) nc++, wc += w[i];
    assert_int_equal(nc, (size_t)test_value(e, "matched_controls", r));
    /* MatchIt's scaling: control weights sum to the number of matched controls
     * (the estimate and its SE do not depend on it; users' --matches weights do) */
    assert_rel_close(wc, (double)nc, 1e-12, "sum of control weights");
    char label[80];
    snprintf(label, sizeof label, "ratio %zu caliper %g ATT", o.ratio, o.caliper);
    assert_rel_close(est, test_value(e, "estimate", r), 1e-9, label);
    snprintf(label, sizeof label, "ratio %zu caliper %g SE", o.ratio, o.caliper);
    assert_rel_close(se, test_value(e, "se", r), 1e-9, label);
    attrib_matches_free(m);
  }
  /* with replacement there are no matched sets */
  attrib_match_options o;
  attrib_match_options_init(&o);
  o.replace = 1;
  attrib_matches *m = NULL;
  assert_status(attrib_match_nearest(ps, treat, NULL, n, &o, &m, NULL), ATTRIB_OK, NULL);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_match_weights(m, n, w, sub, &err), ATTRIB_EINVAL, &err);
  assert_non_null(strstr(err.message, "without replacement"));
  attrib_matches_free(m);
  free(treat);
  free(sub);
  free(w);
  attrib_table_free(t);
  attrib_table_free(e);
}

/* Bias-corrected ATT (Abadie & Imbens 2011) against
 * Matching::Match(BiasAdjust = TRUE), Z = the score, M = 1 and 4, at 1e-9. */
static void test_bias_corrected_against_matching(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/matching/matching_data.csv");
  attrib_table *e = test_load("tests/reference/matching/bc_expected.csv");
  size_t n = t->n_rows;
  const double *tr = t->cols[attrib_table_column_find(t, "treat")].values;
  const double *y = t->cols[attrib_table_column_find(t, "y")].values;
  const double *ps = t->cols[attrib_table_column_find(t, "ps")].values;
  int *treat = malloc(n * sizeof *treat);
  for (size_t i = 0; i < n; i++) treat[i] = tr[i] == 1.0;
  for (long r = 0; r < (long)e->n_rows; r++) {
    attrib_match_options o;
    attrib_match_options_init(&o);
    o.replace = 1;
    o.ratio = (size_t)test_value(e, "M", r);
    attrib_matches *m = NULL;
    assert_status(attrib_match_nearest(ps, treat, NULL, n, &o, &m, NULL), ATTRIB_OK, NULL);
    double est, se, est0, se0;
    assert_status(attrib_match_att_ai_bc(y, ps, 1, n, n, m, &est, &se, NULL), ATTRIB_OK, NULL);
    assert_status(attrib_match_att_ai(y, n, m, &est0, &se0, NULL), ATTRIB_OK, NULL);
    assert_true(est != est0); /* the correction does something */
    char label[64];
    snprintf(label, sizeof label, "M = %zu bias-corrected ATT", o.ratio);
    assert_rel_close(est, test_value(e, "estimate", r), 1e-9, label);
    snprintf(label, sizeof label, "M = %zu bias-corrected SE", o.ratio);
    assert_rel_close(se, test_value(e, "se", r), 1e-9, label);
    attrib_matches_free(m);
  }
  free(treat);
  attrib_table_free(t);
  attrib_table_free(e);
}

/* ATE: both directions, against Matching::Match(estimand = "ATE"), M = 1, 4. */
static void test_ate_against_matching(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/matching/matching_data.csv");
  attrib_table *e = test_load("tests/reference/matching/ate_expected.csv");
  size_t n = t->n_rows;
  const double *tr = t->cols[attrib_table_column_find(t, "treat")].values;
  const double *y = t->cols[attrib_table_column_find(t, "y")].values;
  const double *ps = t->cols[attrib_table_column_find(t, "ps")].values;
  int *treat = malloc(n * sizeof *treat), *flip = malloc(n * sizeof *flip);
  for (size_t i = 0; i < n; i++) treat[i] = tr[i] == 1.0, flip[i] = !treat[i];
  for (long r = 0; r < (long)e->n_rows; r++) {
    attrib_match_options o;
    attrib_match_options_init(&o);
    o.replace = 1;
    o.ratio = (size_t)test_value(e, "M", r);
    attrib_matches *mt = NULL, *mc = NULL;
    assert_status(attrib_match_nearest(ps, treat, NULL, n, &o, &mt, NULL), ATTRIB_OK, NULL);
    assert_status(attrib_match_nearest(ps, flip, NULL, n, &o, &mc, NULL), ATTRIB_OK, NULL);
    double est, se;
    assert_status(attrib_match_ate_ai(y, n, mt, mc, &est, &se, NULL), ATTRIB_OK, NULL);
    char label[48];
    snprintf(label, sizeof label, "M = %zu ATE", o.ratio);
    assert_rel_close(est, test_value(e, "estimate", r), 1e-9, label);
    snprintf(label, sizeof label, "M = %zu ATE SE", o.ratio);
    assert_rel_close(se, test_value(e, "se", r), 1e-9, label);
    attrib_matches_free(mt);
    attrib_matches_free(mc);
  }
  free(treat);
  free(flip);
  attrib_table_free(t);
  attrib_table_free(e);
}

/* M = 2 with the second nearest tied (tests/reference/psm/ties_false_check.csv):
 * the set is the nearest and both tied controls, 1/3 each, as
 * Matching::Match(ties = TRUE); Matching's ties = FALSE drops one of the three
 * at random, the nearest in a third of its seeds. */
static void test_tied_second_nearest(void **state) {
  (void)state;
  double d[6] = {0.0, 0.1, 0.2, -0.2, 3.0, 4.0};
  int treat[6] = {1, 0, 0, 0, 0, 0};
  attrib_match_options o;
  attrib_match_options_init(&o);
  o.replace = 1;
  o.ratio = 2;
  attrib_matches *m = NULL;
  assert_status(attrib_match_nearest(d, treat, NULL, 6, &o, &m, NULL), ATTRIB_OK, NULL);
  assert_int_equal(m->n_sets, 1);
  assert_int_equal(m->end[0] - m->begin[0], 3);
  size_t got[3];
  for (size_t q = 0; q < 3; q++) got[q] = m->members[m->begin[0] + q];
  assert_int_equal(got[0], 3); /* the run, by distance value: -0.2, 0.1, 0.2 */
  assert_int_equal(got[1], 1);
  assert_int_equal(got[2], 2);
  assert_int_equal(m->n_tied, 1);
  double K[6] = {0}, KK[6] = {0};
  assert_status(attrib_match_uses(m, 6, K, KK, NULL), ATTRIB_OK, NULL);
  for (size_t i = 1; i <= 3; i++) assert_true(fabs(K[i] - 1.0 / 3.0) < 1e-15 && fabs(KK[i] - 1.0 / 9.0) < 1e-15);
  assert_true(K[4] == 0.0 && K[5] == 0.0);
  attrib_matches_free(m);
}

static const char *level_of(const attrib_table *t, const char *col, size_t row) {
  const attrib_column *c = &t->cols[attrib_table_column_find(t, col)];
  return c->levels[c->codes[row]];
}

/* Lalonde's tied scores (tests/reference/psm/make_ties_reference.R) against
 * Matching::Match(ties = TRUE): ATT, ATC and ATE with M = 1 and 4, the ATT
 * with Matching's default tolerance (1e-5 squared SDs), the bias-adjusted
 * ATT; estimate and SE at 1e-9, pairs, distinct matches and tied sets
 * exactly. ps2 takes 4 distinct values (sets of ~100 tied controls: the
 * long-run sums). The old rule, one control per tie (the smaller id), is
 * Matching's estimator applied to that other match set: the fixture's
 * ATT_ties_by_id row, rebuilt here from the tied sets. */
static void test_ties_against_matching(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/psm/lalonde_ties_data.csv");
  attrib_table *e = test_load("tests/reference/psm/ties_expected.csv");
  size_t n = t->n_rows;
  const double *tr = t->cols[attrib_table_column_find(t, "treat")].values;
  const double *y = t->cols[attrib_table_column_find(t, "re78")].values;
  const attrib_column *idc = &t->cols[attrib_table_column_find(t, "id")];
  size_t *rank = malloc(n * sizeof *rank); /* ids are unique: their sorted level is their rank */
  int *treat = malloc(n * sizeof *treat), *flip = malloc(n * sizeof *flip);
  for (size_t i = 0; i < n; i++) rank[i] = (size_t)idc->codes[i], treat[i] = tr[i] == 1.0, flip[i] = !treat[i];
  size_t rows = 0;
  for (long r = 0; r < (long)e->n_rows; r++) {
    const char *sc = level_of(e, "score", (size_t)r), *est = level_of(e, "estimand", (size_t)r);
    const double *x = t->cols[attrib_table_column_find(t, sc)].values;
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++) mean += x[i] / (double)n;
    for (size_t i = 0; i < n; i++) var += (x[i] - mean) * (x[i] - mean) / (double)(n - 1);
    attrib_match_options o;
    attrib_match_options_init(&o);
    o.replace = 1;
    o.ratio = (size_t)test_value(e, "M", r);
    o.tie_tolerance = test_value(e, "tolerance", r) * var; /* Matching's scale: squared SDs */
    int bc = test_value(e, "bias_adjust", r) != 0.0, atc = !strcmp(est, "ATC"), ate = !strcmp(est, "ATE");
    int by_id = !strcmp(est, "ATT_ties_by_id");
    if (!strcmp(est, "ATT_ties_FALSE_seed1")) continue; /* random tie-breaking: documented, not reproducible */
    attrib_matches *m = NULL, *m0 = NULL;
    assert_status(attrib_match_nearest(x, atc ? flip : treat, rank, n, &o, &m, NULL), ATTRIB_OK, NULL);
    if (ate) assert_status(attrib_match_nearest(x, flip, rank, n, &o, &m0, NULL), ATTRIB_OK, NULL);
    double est_v, se_v;
    char label[96];
    snprintf(label, sizeof label, "%s %s M = %zu tol %g%s", sc, est, o.ratio, test_value(e, "tolerance", r),
             bc ? " bias-adjusted" : "");
    if (by_id) { /* each set reduced to its smallest-rank control: attrib's rule before ties were kept */
      attrib_matches one = *m;
      one.members = malloc(m->n_sets * sizeof *one.members);
      one.begin = malloc(m->n_sets * sizeof *one.begin);
      one.end = malloc(m->n_sets * sizeof *one.end);
      for (size_t q = 0; q < m->n_sets; q++) {
        size_t best = m->members[m->begin[q]];
        for (size_t p = m->begin[q]; p < m->end[q]; p++)
          if (rank[m->members[p]] < rank[best]) best = m->members[p];
        one.members[q] = best, one.begin[q] = q, one.end[q] = q + 1;
      }
      one.n_members = one.n_pairs = m->n_sets;
      assert_status(attrib_match_att_ai(y, n, &one, &est_v, &se_v, NULL), ATTRIB_OK, NULL);
      free(one.members), free(one.begin), free(one.end);
    } else if (ate) {
      assert_status(attrib_match_ate_ai(y, n, m, m0, &est_v, &se_v, NULL), ATTRIB_OK, NULL);
      assert_int_equal(m->n_pairs + m0->n_pairs, (size_t)test_value(e, "n_pairs", r));
    } else {
      if (bc) assert_status(attrib_match_att_ai_bc(y, x, 1, n, n, m, &est_v, &se_v, NULL), ATTRIB_OK, NULL);
      else assert_status(attrib_match_att_ai(y, n, m, &est_v, &se_v, NULL), ATTRIB_OK, NULL);
      if (atc) est_v = -est_v;
      assert_int_equal(m->n_pairs, (size_t)test_value(e, "n_pairs", r));
      assert_int_equal(m->n_tied, (size_t)test_value(e, "n_tied_sets", r));
      /* Matching's distinct index.control: the controls used (ATT), the focal controls (ATC) */
      assert_int_equal(atc ? m->n_sets : m->n_controls_used, (size_t)test_value(e, "n_matched_controls", r));
    }
    assert_rel_close(est_v, test_value(e, "estimate", r), 1e-9, label);
    assert_rel_close(se_v, test_value(e, "se", r), 1e-9, label);
    attrib_matches_free(m);
    attrib_matches_free(m0);
    rows++;
  }
  assert_int_equal(rows, 19);
  free(rank), free(treat), free(flip);
  attrib_table_free(t);
  attrib_table_free(e);
}

/* Three distinct scores among 30,000 units: every set holds thousands of
 * tied controls (runs far beyond the direct sums). The estimators' prefix
 * sums and difference arrays against the formulas summed pair by pair:
 * K and KK, the ATT and its SE, the bias-corrected ATT (Z a continuous
 * covariate, alpha from the K-weighted regression computed here), the ATE. */
static void test_many_ties(void **state) {
  (void)state;
  size_t n = 30000;
  double *d = malloc(n * sizeof *d), *y = malloc(n * sizeof *y), *z = malloc(n * sizeof *z);
  int *treat = malloc(n * sizeof *treat), *flip = malloc(n * sizeof *flip);
  gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(g, 9);
  for (size_t i = 0; i < n; i++) {
    int cell = (int)(gsl_rng_uniform(g) * 3.0);
    d[i] = -1.0 + 0.7 * cell;
    treat[i] = gsl_rng_uniform(g) < 0.25 + 0.15 * cell;
    flip[i] = !treat[i];
    z[i] = gsl_rng_uniform(g) + 0.3 * cell;
    y[i] = 1000.0 + 3.0 * cell + 2.0 * treat[i] + 4.0 * z[i] + gsl_rng_uniform(g);
  }
  gsl_rng_free(g);
  attrib_match_options o;
  attrib_match_options_init(&o);
  o.replace = 1;
  attrib_matches *m = NULL, *m0 = NULL;
  assert_status(attrib_match_nearest(d, treat, NULL, n, &o, &m, NULL), ATTRIB_OK, NULL);
  assert_status(attrib_match_nearest(d, flip, NULL, n, &o, &m0, NULL), ATTRIB_OK, NULL);
  assert_true(m->n_tied == m->n_sets && m->n_pairs > 10000000); /* every set is a whole cell */
  /* K and KK pair by pair */
  double *K = calloc(n, sizeof *K), *KK = calloc(n, sizeof *KK), *K1 = calloc(n, sizeof *K1), *KK1 = calloc(n, sizeof *KK1);
  assert_status(attrib_match_uses(m, n, K, KK, NULL), ATTRIB_OK, NULL);
  for (size_t s = 0; s < m->n_sets; s++) {
    double M = (double)(m->end[s] - m->begin[s]);
    for (size_t q = m->begin[s]; q < m->end[s]; q++) K1[m->members[q]] += 1.0 / M, KK1[m->members[q]] += 1.0 / (M * M);
  }
  for (size_t i = 0; i < n; i++) {
    assert_true(fabs(K[i] - K1[i]) <= 1e-9 * (1.0 + K1[i]));
    assert_true(fabs(KK[i] - KK1[i]) <= 1e-12 * (1.0 + KK1[i]));
  }
  /* the ATT and its SE (matching.md's formula), pair by pair */
  for (int bc = 0; bc < 2; bc++) {
    double alpha = 0.0;
    if (bc) { /* the K-weighted regression of y on (1, z) over the controls */
      long double sw = 0, sz = 0, sy = 0, szz = 0, szy = 0;
      for (size_t i = 0; i < n; i++)
        if (K1[i] > 0) sw += K1[i], sz += K1[i] * z[i], sy += K1[i] * y[i], szz += K1[i] * z[i] * z[i], szy += K1[i] * z[i] * y[i];
      alpha = (double)((szy - sz * sy / sw) / (szz - sz * sz / sw));
    }
    long double st = 0;
    for (size_t s = 0; s < m->n_sets; s++) {
      size_t t = m->focal[s];
      long double yc = 0;
      for (size_t q = m->begin[s]; q < m->end[s]; q++) yc += y[m->members[q]] + (z[t] - z[m->members[q]]) * alpha;
      st += y[t] - yc / (long double)(m->end[s] - m->begin[s]);
    }
    double tau = (double)(st / (long double)m->n_sets);
    long double dev_t = 0, dev_p = 0, sw = 0, kt = 0;
    for (size_t s = 0; s < m->n_sets; s++) {
      size_t t = m->focal[s];
      long double M = (long double)(m->end[s] - m->begin[s]), yc = 0;
      for (size_t q = m->begin[s]; q < m->end[s]; q++) yc += y[m->members[q]] + (z[t] - z[m->members[q]]) * alpha;
      dev_t += (y[t] - yc / M - tau) * (y[t] - yc / M - tau);
      for (size_t q = m->begin[s]; q < m->end[s]; q++) {
        long double dp = y[t] - y[m->members[q]] - (z[t] - z[m->members[q]]) * alpha - tau;
        dev_p += dp * dp / M, sw += 1.0L / M;
      }
    }
    for (size_t i = 0; i < n; i++) kt += K1[i] * K1[i] - KK1[i];
    double se = (double)sqrtl((dev_t + 0.5L * dev_p / sw * kt) / ((long double)m->n_sets * m->n_sets));
    double est_v, se_v;
    if (bc) assert_status(attrib_match_att_ai_bc(y, z, 1, n, n, m, &est_v, &se_v, NULL), ATTRIB_OK, NULL);
    else assert_status(attrib_match_att_ai(y, n, m, &est_v, &se_v, NULL), ATTRIB_OK, NULL);
    assert_rel_close(est_v, tau, 1e-9, bc ? "many ties: bias-corrected ATT" : "many ties: ATT");
    assert_rel_close(se_v, se, 1e-8, bc ? "many ties: bias-corrected SE" : "many ties: SE");
  }
  /* the ATE: both directions */
  {
    double *Ka = calloc(n, sizeof *Ka), *KKa = calloc(n, sizeof *KKa);
    const attrib_matches *dir[2] = {m, m0};
    long double st = 0;
    size_t N = 0;
    for (int w = 0; w < 2; w++)
      for (size_t s = 0; s < dir[w]->n_sets; s++) {
        const attrib_matches *mm = dir[w];
        long double M = (long double)(mm->end[s] - mm->begin[s]), ym = 0;
        for (size_t q = mm->begin[s]; q < mm->end[s]; q++) ym += y[mm->members[q]], Ka[mm->members[q]] += (double)(1.0L / M),
                                                            KKa[mm->members[q]] += (double)(1.0L / (M * M));
        st += w == 0 ? y[mm->focal[s]] - ym / M : ym / M - y[mm->focal[s]];
        N++;
      }
    double tau = (double)(st / (long double)N);
    long double dev_t = 0, dev_p = 0, sw = 0, kt = 0;
    for (int w = 0; w < 2; w++)
      for (size_t s = 0; s < dir[w]->n_sets; s++) {
        const attrib_matches *mm = dir[w];
        size_t i = mm->focal[s];
        long double M = (long double)(mm->end[s] - mm->begin[s]), ym = 0;
        for (size_t q = mm->begin[s]; q < mm->end[s]; q++) ym += y[mm->members[q]];
        long double ti = w == 0 ? y[i] - ym / M : ym / M - y[i];
        dev_t += (ti - tau) * (ti - tau);
        for (size_t q = mm->begin[s]; q < mm->end[s]; q++) {
          long double dp = (w == 0 ? y[i] - y[mm->members[q]] : y[mm->members[q]] - y[i]) - tau;
          dev_p += dp * dp / M, sw += 1.0L / M;
        }
      }
    for (size_t i = 0; i < n; i++) kt += (long double)Ka[i] * Ka[i] + 2.0L * Ka[i] - KKa[i];
    double se = (double)sqrtl((0.5L * dev_p / sw * kt + dev_t) / ((long double)N * N));
    double est_v, se_v;
    assert_status(attrib_match_ate_ai(y, n, m, m0, &est_v, &se_v, NULL), ATTRIB_OK, NULL);
    assert_rel_close(est_v, tau, 1e-9, "many ties: ATE");
    assert_rel_close(se_v, se, 1e-8, "many ties: ATE SE");
    free(Ka), free(KKa);
  }
  attrib_matches_free(m);
  attrib_matches_free(m0);
  free(K), free(KK), free(K1), free(KK1), free(d), free(y), free(z), free(treat), free(flip);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_against_brute_force),
      cmocka_unit_test(test_tie_window),
      cmocka_unit_test(test_row_order_invariance),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_att_against_matching),
      cmocka_unit_test(test_sets_against_r),
      cmocka_unit_test(test_bias_corrected_against_matching),
      cmocka_unit_test(test_ate_against_matching),
      cmocka_unit_test(test_tied_second_nearest),
      cmocka_unit_test(test_ties_against_matching),
      cmocka_unit_test(test_many_ties),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
