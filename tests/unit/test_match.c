/* Nearest-neighbour matching against an independent O(n^2) greedy matcher
 * written from the documented rules, on data full of ties; and invariance to
 * the order of the input rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "test_support.h"

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
  if (o->order == ATTRIB_MATCH_RANDOM) {
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, o->seed);
    for (size_t i = m; i > 1; i--) {
      size_t j = gsl_rng_uniform_int(g, i), tmp = t[i - 1];
      t[i - 1] = t[j];
      t[j] = tmp;
    }
    gsl_rng_free(g);
  }
  *nt = m;
  return t;
}

static void brute(const data *x, const attrib_match_options *o, size_t *np, size_t *tr, size_t *co) {
  size_t nt, k = o->ratio;
  size_t *t = treated_order(x, o, &nt);
  size_t *got = calloc(nt, sizeof *got), *pair = malloc(nt * k * sizeof *pair);
  unsigned char *used = calloc(x->n, 1);
  for (size_t round = 0; round < (o->replace ? 1 : k); round++)
    for (size_t a = 0; a < nt; a++) {
      if (got[a] < round) continue;
      size_t want = o->replace ? k : 1;
      for (size_t q = 0; q < want; q++) {
        size_t best = SIZE_MAX;
        double bd = 0;
        for (size_t j = 0; j < x->n; j++) {
          if (x->treat[j] || used[j]) continue;
          double diff = fabs(x->d[t[a]] - x->d[j]);
          if (o->caliper > 0 && diff > o->caliper) continue;
          if (best == SIZE_MAX || diff < bd || (diff == bd && x->rank[j] < x->rank[best])) best = j, bd = diff;
        }
        if (best == SIZE_MAX) break;
        used[best] = 1; /* with replacement: only for this treated unit's k */
        pair[a * k + got[a]++] = best;
      }
      if (o->replace)
        for (size_t q = 0; q < got[a]; q++) used[pair[a * k + q]] = 0;
    }
  *np = 0;
  for (size_t a = 0; a < nt; a++)
    for (size_t q = 0; q < got[a]; q++) tr[*np] = t[a], co[(*np)++] = pair[a * k + q];
  free(t);
  free(got);
  free(pair);
  free(used);
}

static void test_against_brute_force(void **state) {
  (void)state;
  data x = make(1500, 11);
  size_t *tr = malloc(x.n * 4 * sizeof *tr), *co = malloc(x.n * 4 * sizeof *co);
  size_t cases = 0;
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
          size_t np;
          brute(&x, &o, &np, tr, co);
          if (m->n_pairs != np)
            fail_msg("ratio %zu replace %d caliper %d order %d: %zu pairs, brute force %zu", ratio, replace, cal, order,
                     m->n_pairs, np);
          for (size_t q = 0; q < np; q++)
            if (m->treated[q] != tr[q] || m->control[q] != co[q])
              fail_msg("ratio %zu replace %d caliper %d order %d: pair %zu is (%zu,%zu), brute force (%zu,%zu)", ratio,
                       replace, cal, order, q, m->treated[q], m->control[q], tr[q], co[q]);
          attrib_matches_free(m);
          cases++;
        }
  assert_int_equal(cases, 48);
  free(tr);
  free(co);
  release(&x);
}

/* Shuffling the rows (ranks travel with their units) changes nothing. */
static void test_row_order_invariance(void **state) {
  (void)state;
  data x = make(2000, 5), y = {x.n, malloc(x.n * sizeof(double)), malloc(x.n * sizeof(int)), malloc(x.n * sizeof(size_t))};
  size_t *perm = malloc(x.n * sizeof *perm);
  for (size_t i = 0; i < x.n; i++) perm[i] = (i * 7919) % x.n; /* 7919 is prime to 2000 */
  for (size_t i = 0; i < x.n; i++) y.d[i] = x.d[perm[i]], y.treat[i] = x.treat[perm[i]], y.rank[i] = x.rank[perm[i]];
  attrib_match_options o;
  attrib_match_options_init(&o);
  o.ratio = 2;
  o.caliper = 0.005; /* distances are multiples of 0.01: only exact ties qualify */
  attrib_matches *a = NULL, *b = NULL;
  assert_status(attrib_match_nearest(x.d, x.treat, x.rank, x.n, &o, &a, NULL), ATTRIB_OK, NULL);
  assert_status(attrib_match_nearest(y.d, y.treat, y.rank, y.n, &o, &b, NULL), ATTRIB_OK, NULL);
  assert_int_equal(a->n_pairs, b->n_pairs);
  for (size_t q = 0; q < a->n_pairs; q++) {
    assert_int_equal(x.rank[a->treated[q]], y.rank[b->treated[q]]);
    assert_int_equal(x.rank[a->control[q]], y.rank[b->control[q]]);
  }
  assert_true(a->n_treated_matched < a->n_treated); /* the caliper bites */
  attrib_matches_free(a);
  attrib_matches_free(b);
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_against_brute_force),
      cmocka_unit_test(test_row_order_invariance),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_att_against_matching),
      cmocka_unit_test(test_sets_against_r),
      cmocka_unit_test(test_bias_corrected_against_matching),
      cmocka_unit_test(test_ate_against_matching),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
