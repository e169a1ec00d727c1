/* attrib_ols_bootstrap and attrib_logit_bootstrap: identical results for 1
 * and 2 threads on data large enough to split into several row chunks and
 * parts; a wild bootstrap with
 * 2^G <= B enumerates; the blocked wild bootstrap (rows, or clusters when
 * G x B is too big) equals the G x B path, also where its blocks do not
 * divide G and B; the many-clusters statistics equal the dsyrk ones and the
 * cluster bootstrap's batches the replicate-by-replicate definition; the
 * WCR test-inversion interval
 * agrees with the WCR p-value at every null; every allocation failure is
 * reported cleanly (no leak under ASan). Numbers are checked against R in
 * tests/cli/bootstrap/ and tests/cli/did/. */
#include "test_support.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "regression/regression_internal.h" /* attrib__boot_debug_force_blocked */

static attrib_status fit(const attrib_table *t, const char *formula, const char *cluster, attrib_design **d,
                         attrib_ols_result **r, attrib_error *err) {
  attrib_formula *f = NULL;
  attrib_status s = attrib_formula_parse(formula, &f, err);
  if (s) return s;
  const char *cl[2] = {cluster, NULL};
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cluster ? cl : NULL;
  s = attrib_design_build(t, f, &dopt, d, err);
  attrib_formula_free(f);
  if (s) return s;
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.vcov = cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
  o.treat = "trained";
  o.drop_singletons = 0;
  return attrib_ols_fit(*d, &o, r, err);
}

/* the options of a thread comparison: seed 3, the draws kept, run k on
 * k + 1 threads */
static attrib_boot_options thread_options(size_t replicates, attrib_boot_type type, int k) {
  attrib_boot_options o;
  attrib_boot_options_init(&o);
  o.replicates = replicates, o.seed = 3, o.type = type, o.threads = k ? 2 : 1, o.keep_draws = 1;
  return o;
}

/* a run on 1 thread and one on 2 give the same SE, p-value, interval and
 * draws to the bit; frees both */
static void assert_identical_free(attrib_boot_result *b[2]) {
  assert_true(b[0]->std_error == b[1]->std_error && b[0]->p_value == b[1]->p_value);
  assert_true(b[0]->ci_low == b[1]->ci_low && b[0]->ci_high == b[1]->ci_high);
  assert_int_equal(b[0]->n_draws, b[1]->n_draws);
  assert_memory_equal(b[0]->draws, b[1]->draws, b[0]->n_draws * sizeof *b[0]->draws);
  attrib_boot_result_free(b[0]);
  attrib_boot_result_free(b[1]);
}

static void test_threads_do_not_change_results(void **state) {
  (void)state;
  attrib_table *t = test_simulated(150000, 9, 2.0, 0);
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(fit(t, "sales ~ trained + prior_perf + engagement + factor(role)", "team", &d, &r, &err), ATTRIB_OK, &err);
  for (int type = 0; type < 3; type++) {
    attrib_boot_result *b[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
      attrib_boot_options o = thread_options(99, (attrib_boot_type)type, k);
      o.ci = type == ATTRIB_BOOT_WILD ? ATTRIB_CI_STUDENTIZED : ATTRIB_CI_BCA;
      assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b[k], &err), ATTRIB_OK, &err);
    }
    assert_identical_free(b);
  }
  attrib_ols_result_free(r);
  attrib_design_free(d);
  /* the heteroskedastic wild bootstrap (every row its own cluster): blocked
   * over 150k rows, that is several chunks of rows */
  assert_status(fit(t, "sales ~ trained + prior_perf + engagement + factor(role)", NULL, &d, &r, &err), ATTRIB_OK, &err);
  for (int wt = 0; wt < 2; wt++) {
    attrib_boot_result *b[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
      attrib_boot_options o = thread_options(199, ATTRIB_BOOT_WILD, k);
      o.weights = wt ? ATTRIB_BOOT_WEBB : ATTRIB_BOOT_RADEMACHER;
      o.ci = ATTRIB_CI_STUDENTIZED;
      assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b[k], &err), ATTRIB_OK, &err);
    }
    assert_true(b[0]->blocked && b[1]->blocked);
    assert_true(b[0]->inv_low == b[1]->inv_low && b[0]->inv_high == b[1]->inv_high);
    assert_identical_free(b);
  }
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_table_free(t);
  /* the logit refits (pairs and cluster): each refit's passes run on row
   * chunks with the workspace's per-thread buffers */
  t = test_simulated(50000, 9, 2.0, 0);
  attrib_formula *f = NULL;
  assert_status(attrib_formula_parse("trained ~ prior_perf + engagement", &f, &err), ATTRIB_OK, &err);
  const char *cl[2] = {"team", NULL};
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cl;
  assert_status(attrib_design_build(t, f, &dopt, &d, &err), ATTRIB_OK, &err);
  attrib_logit_options lo;
  attrib_logit_options_init(&lo);
  lo.treat = "prior_perf";
  lo.vcov = ATTRIB_VCOV_CLUSTER;
  attrib_logit_result *lr = NULL;
  assert_status(attrib_logit_fit(d, &lo, &lr, &err), ATTRIB_OK, &err);
  for (int type = 0; type < 2; type++) {
    attrib_boot_result *b[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
      attrib_boot_options o = thread_options(99, type ? ATTRIB_BOOT_CLUSTER : ATTRIB_BOOT_PAIRS, k);
      assert_status(attrib_logit_bootstrap(d, lr, (size_t)lr->effect_index, &o, &b[k], &err), ATTRIB_OK, &err);
    }
    assert_identical_free(b);
  }
  attrib_logit_result_free(lr);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
}

/* two wild bootstraps that should agree: the same replicate count, draws
 * (draw by draw: the same replicates in the same order), SE, p-value,
 * intervals, to rel */
static void assert_same_wild(const attrib_boot_result *a, const attrib_boot_result *b, double rel) {
  assert_int_equal(a->replicates, b->replicates);
  assert_int_equal(a->n_draws, b->n_draws);
  /* a draw near 0 is compared on the scale of the draws' spread */
  for (size_t i = 0; i < a->n_draws; i++)
    if (fabs(a->draws[i] - b->draws[i]) > rel * fmax(fabs(b->draws[i]), b->std_error))
      fail_msg("draw %zu: %.17g vs %.17g (SE %.6g)", i, a->draws[i], b->draws[i], b->std_error);
  assert_rel_close(a->std_error, b->std_error, rel, "SE");
  assert_true(a->p_value == b->p_value);
  assert_int_equal(a->p_value_bound, b->p_value_bound);
  assert_rel_close(a->ci_low, b->ci_low, rel, "ci_low");
  assert_rel_close(a->ci_high, b->ci_high, rel, "ci_high");
  assert_rel_close(a->inv_low, b->inv_low, rel, "inversion low");
  assert_rel_close(a->inv_high, b->inv_high, rel, "inversion high");
}

/* The blocked wild bootstrap against the G x B path it replaces where that
 * cannot run: (1) every row its own cluster (no cluster) against clustering
 * by learner_id, whose codes are the row numbers, so that both draw the same
 * weight for each row; (2) the clustered bootstrap sent through the blocked
 * path. Rademacher, Webb and Mammen (whose squares are not 1), studentized,
 * with and without absorbed fixed effects. Not bit-identical: the blocked
 * path sums the expansion P'HP - 2P'Q + sum s^2 v^2 of each replicate's
 * squared scores rather than the squares, in another order; observed
 * agreement 1e-14, asserted 1e-12. */
static void test_blocked_equals_gxb(void **state) {
  (void)state;
  attrib_table *t = test_simulated(700, 5, 2.0, 0);
  const char *formulas[2] = {"sales ~ trained + prior_perf + engagement + factor(role)",
                             "sales ~ trained + prior_perf + engagement | region"};
  for (int f = 0; f < 2; f++)
    for (int wt = 0; wt < 3; wt++) {
      attrib_design *d[3] = {NULL, NULL, NULL};
      attrib_ols_result *r[3] = {NULL, NULL, NULL};
      attrib_boot_result *b[4] = {NULL, NULL, NULL, NULL};
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(fit(t, formulas[f], NULL, &d[0], &r[0], &err), ATTRIB_OK, &err);
      assert_status(fit(t, formulas[f], "learner_id", &d[1], &r[1], &err), ATTRIB_OK, &err);
      assert_status(fit(t, formulas[f], "team", &d[2], &r[2], &err), ATTRIB_OK, &err);
      assert_int_equal(d[1]->cluster[0].n_levels, d[1]->n);
      for (size_t i = 0; i < d[1]->n; i++) assert_int_equal(d[1]->cluster[0].codes[i], (int32_t)i);
      attrib_boot_options o;
      attrib_boot_options_init(&o);
      o.replicates = 299;
      o.seed = 11;
      o.type = ATTRIB_BOOT_WILD;
      o.weights = (attrib_boot_weights)wt;
      o.ci = ATTRIB_CI_STUDENTIZED;
      o.keep_draws = 1;
      for (int k = 0; k < 4; k++) {
        attrib__boot_debug_force_blocked(k == 3);
        assert_status(attrib_ols_bootstrap(d[k < 3 ? k : 2], r[k < 3 ? k : 2], (size_t)r[0]->effect_index, &o, &b[k], &err),
                      ATTRIB_OK, &err);
        attrib__boot_debug_force_blocked(0);
      }
      assert_true(b[0]->blocked && !b[1]->blocked && !b[2]->blocked && b[3]->blocked);
      assert_int_equal(b[0]->n_clusters, d[0]->n);
      assert_same_wild(b[0], b[1], 1e-12);
      assert_same_wild(b[3], b[2], 1e-12);
      for (int k = 0; k < 4; k++) attrib_boot_result_free(b[k]);
      for (int k = 0; k < 3; k++) attrib_ols_result_free(r[k]), attrib_design_free(d[k]);
    }
  attrib_table_free(t);
}

static void *xmalloc(size_t bytes) {
  void *p = malloc(bytes);
  assert_non_null(p);
  return p;
}

/* fit() with analytic weights (a numeric column) and a cluster column */
static attrib_status fit_weighted(const attrib_table *t, const char *formula, const char *cluster, const char *weights,
                                  attrib_design **d, attrib_ols_result **r, attrib_error *err) {
  attrib_formula *f = NULL;
  attrib_status s = attrib_formula_parse(formula, &f, err);
  if (s) return s;
  const char *cl[2] = {cluster, NULL};
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cl;
  dopt.weights = weights;
  s = attrib_design_build(t, f, &dopt, d, err);
  attrib_formula_free(f);
  if (s) return s;
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.vcov = ATTRIB_VCOV_CLUSTER;
  o.treat = "trained";
  return attrib_ols_fit(*d, &o, r, err);
}

/* The per-cluster statistics of the many-clusters path (ols_bootstrap.c,
 * WIDE_G: rows added one by one into packed sums, clusters in fixed ranges
 * on the threads) against the dsyrk path's (chunks sorted by cluster, one
 * dsyrk per cluster run), with and without analytic weights, for cluster
 * counts that split unevenly into the ranges (161 teams, and every row its
 * own cluster: 4,025): the same sums in another order, so to 1e-12 of each
 * cluster's largest entry; rows per cluster exactly. Then the path's
 * bootstraps (cluster and wild) give the same bits on 1 and 2 threads. */
static void test_wide_statistics(void **state) {
  (void)state;
  attrib_table *t = test_simulated(4025, 13, 2.0, 0);
  const char *clusters[2] = {"team", "learner_id"}, *weights[2] = {NULL, "tenure"};
  for (int c = 0; c < 2; c++)
    for (int wt = 0; wt < 2; wt++) {
      attrib_design *d = NULL;
      attrib_ols_result *r = NULL;
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(fit_weighted(t, "sales ~ trained + prior_perf + engagement + factor(role)", clusters[c], weights[wt],
                                 &d, &r, &err),
                    ATTRIB_OK, &err);
      const int32_t *cl = d->cluster[0].codes;
      size_t G = d->cluster[0].n_levels;
      if (!(G % 4 != 0 && G <= 4096)) fail_msg("G = %zu", G);
      attrib__boot_suff s[2];
      for (int k = 0; k < 2; k++) {
        attrib__boot_debug_force_wide(k);
        assert_status(attrib__boot_suff_build(d, r, (size_t)r->effect_index, cl, G, 0, 0, 2, &s[k], &err), ATTRIB_OK,
                      &err);
        attrib__boot_debug_force_wide(0);
      }
      size_t q = s[0].q;
      assert_int_equal(s[1].q, q);
      for (size_t g = 0; g < G; g++) {
        double scale = 0.0;
        for (size_t e = 0; e < q; e++) scale = fmax(scale, fabs(s[0].S[g * q + e]));
        for (size_t e = 0; e < q; e++)
          if (fabs(s[1].S[g * q + e] - s[0].S[g * q + e]) > 1e-12 * scale)
            fail_msg("cluster %zu entry %zu: %.17g vs %.17g", g, e, s[1].S[g * q + e], s[0].S[g * q + e]);
        assert_true(s[1].ng[g] == s[0].ng[g]);
      }
      for (size_t e = 0; e < q; e++) assert_rel_close(s[1].tot[e], s[0].tot[e], 1e-12, "total");
      assert_rel_close(s[1].yy, s[0].yy, 1e-12, "sum of squares");
      attrib__boot_suff_free(&s[0]);
      attrib__boot_suff_free(&s[1]);
      for (int type = 1; type < 3; type++) {
        attrib_boot_result *b[2] = {NULL, NULL};
        for (int k = 0; k < 2; k++) {
          attrib_boot_options o = thread_options(130, (attrib_boot_type)type, k);
          o.ci = ATTRIB_CI_STUDENTIZED;
          attrib__boot_debug_force_wide(1);
          assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b[k], &err), ATTRIB_OK, &err);
          attrib__boot_debug_force_wide(0);
        }
        assert_identical_free(b);
      }
      attrib_ols_result_free(r);
      attrib_design_free(d);
    }
  attrib_table_free(t);
}

/* The cluster bootstrap's batches (pairs_bootstrap.c: counts and normal
 * equations of 64 replicates at a time, on the threads) against the
 * definition replicate by replicate: counts c_gb from replicate b's stream,
 * sum_g c_gb (X_g'X_g, X_g'y_g) summed cluster by cluster, solved; 150
 * replicates (two full batches and a part), 1 and 2 threads, the
 * many-clusters statistics and the dsyrk ones. Not bit-identical to the
 * loop (a GEMM sums in its own order): to 1e-12 of the draws' spread. */
static void test_cluster_batches_equal_loop(void **state) {
  (void)state;
  attrib_table *t = test_simulated(2000, 17, 2.0, 0);
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(fit(t, "sales ~ trained + prior_perf + engagement + factor(role)", "team", &d, &r, &err), ATTRIB_OK, &err);
  const int32_t *cl = d->cluster[0].codes;
  size_t G = d->cluster[0].n_levels, B = 150;
  for (int wide = 0; wide < 2; wide++) {
    attrib__boot_suff s;
    attrib__boot_debug_force_wide(wide);
    assert_status(attrib__boot_suff_build(d, r, (size_t)r->effect_index, cl, G, 0, 0, 1, &s, &err), ATTRIB_OK, &err);
    size_t k = s.k, q = s.q;
    double *A = xmalloc(q * sizeof *A), *c = xmalloc(G * sizeof *c), *work = xmalloc(k * k * sizeof *work);
    double *x = xmalloc(k * sizeof *x), *loop = xmalloc(B * sizeof *loop);
    for (size_t b = 0; b < B; b++) {
      memset(c, 0, G * sizeof *c);
      uint64_t sb = attrib__boot_stream(3, b);
      for (size_t j = 0; j < G; j++) c[attrib__boot_draw_index(sb, j, G)] += 1.0;
      for (size_t e = 0; e < q; e++) {
        double v = 0.0;
        for (size_t g = 0; g < G; g++) v += c[g] * s.S[g * q + e];
        A[e] = v;
      }
      assert_int_equal(attrib__spd_solve(A, A + k * (k + 1) / 2, k, work, x, NULL), 0);
      loop[b] = x[s.j];
    }
    for (int th = 0; th < 2; th++) {
      attrib_boot_result *br = NULL;
      attrib_boot_options o = thread_options(B, ATTRIB_BOOT_CLUSTER, th);
      assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &br, &err), ATTRIB_OK, &err);
      assert_int_equal(br->n_draws, B);
      for (size_t b = 0; b < B; b++)
        if (fabs(br->draws[b] - loop[b]) > 1e-12 * fmax(fabs(loop[b]), br->std_error))
          fail_msg("replicate %zu: %.17g vs %.17g", b, br->draws[b], loop[b]);
      attrib_boot_result_free(br);
    }
    attrib__boot_debug_force_wide(0);
    attrib__boot_suff_free(&s);
    free(A), free(c), free(work), free(x), free(loop);
  }
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_table_free(t);
}

/* The G x B path's blocks (wild_bootstrap.c: weights drawn per block of 128
 * replicates, the products Cm P over 1,024 clusters at a time) where
 * neither divides: 2,500 clusters (every row its own), 299 replicates,
 * against the blocked algebra as above, to 1e-12. */
static void test_wild_blocks_uneven(void **state) {
  (void)state;
  attrib_table *t = test_simulated(2500, 19, 2.0, 0);
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(fit(t, "sales ~ trained + prior_perf + engagement + factor(role)", "learner_id", &d, &r, &err), ATTRIB_OK,
                &err);
  assert_int_equal(d->cluster[0].n_levels, 2500);
  for (int wt = 0; wt < 2; wt++) {
    attrib_boot_result *b[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
      attrib_boot_options o = thread_options(299, ATTRIB_BOOT_WILD, k);
      o.weights = wt ? ATTRIB_BOOT_WEBB : ATTRIB_BOOT_RADEMACHER;
      o.ci = ATTRIB_CI_STUDENTIZED;
      attrib__boot_debug_force_blocked(k);
      assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b[k], &err), ATTRIB_OK, &err);
      attrib__boot_debug_force_blocked(0);
    }
    assert_true(!b[0]->blocked && b[1]->blocked);
    assert_same_wild(b[1], b[0], 1e-12);
    attrib_boot_result_free(b[0]);
    attrib_boot_result_free(b[1]);
  }
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_table_free(t);
}

/* The test-inversion interval agrees with the WCR p-value: a null inside it
 * has p > 1 - level, one outside p <= 1 - level; nulls just inside and just
 * outside each end point (within 1e-6 of the interval's width), for the
 * G x B path (whose p-value comes from the restricted residuals directly,
 * so this also checks the polynomial algebra) and the blocked one. */
static void test_inversion_agrees_with_p(void **state) {
  (void)state;
  attrib_table *t = test_simulated(600, 8, 1.0, 0);
  for (int rows = 0; rows < 2; rows++) {
    attrib_design *d = NULL;
    attrib_ols_result *r = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(fit(t, "sales ~ trained + prior_perf + engagement", rows ? NULL : "team", &d, &r, &err), ATTRIB_OK, &err);
    attrib_boot_options o;
    attrib_boot_options_init(&o);
    o.replicates = 999;
    o.seed = 2;
    o.type = ATTRIB_BOOT_WILD;
    attrib_boot_result *b = NULL;
    assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err), ATTRIB_OK, &err);
    assert_true(isfinite(b->inv_low) && isfinite(b->inv_high) && b->inv_low < b->estimate && b->estimate < b->inv_high);
    double lo = b->inv_low, hi = b->inv_high, w = hi - lo, alpha = 1.0 - o.level;
    double nulls[6] = {lo - 1e-6 * w, lo + 1e-6 * w, hi - 1e-6 * w, hi + 1e-6 * w, lo - 0.5 * w, 0.5 * (lo + hi)};
    for (int q = 0; q < 6; q++) {
      attrib_boot_options oq = o;
      oq.null_value = nulls[q];
      attrib_boot_result *bq = NULL;
      assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &oq, &bq, &err), ATTRIB_OK, &err);
      int inside = nulls[q] > lo && nulls[q] < hi;
      if (inside != (bq->p_value > alpha)) fail_msg("rows %d, null %.17g: p %.6g, interval [%.17g, %.17g]", rows, nulls[q],
                                                    bq->p_value, lo, hi);
      /* the interval does not depend on the null tested */
      assert_rel_close(bq->inv_low, lo, 1e-12, "inversion low");
      assert_rel_close(bq->inv_high, hi, 1e-12, "inversion high");
      attrib_boot_result_free(bq);
    }
    attrib_boot_result_free(b);
    attrib_ols_result_free(r);
    attrib_design_free(d);
  }
  attrib_table_free(t);
}

/* Bounds: B in [99, ATTRIB_BOOT_MAX_REPLICATES] for every entry point (a
 * 2^64 - 1 once went on to compute sizes from it); a p-value with no
 * replicate as extreme is the bound 1/(B+1), flagged; Rademacher weights
 * with G <= 12 clusters enumerate all 2^G sign vectors whatever B is; two
 * clusterings are refused by the wild bootstrap, not silently cut to one. */
static void test_bounds(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 3, 6.0, 0);
  attrib_design *d = NULL;
  attrib_ols_result *r = NULL;
  attrib_boot_result *b = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(fit(t, "sales ~ trained + prior_perf", NULL, &d, &r, &err), ATTRIB_OK, &err);
  attrib_boot_options o;
  attrib_boot_options_init(&o);
  size_t bad[2] = {ATTRIB_BOOT_MAX_REPLICATES + 1, SIZE_MAX};
  for (int q = 0; q < 2; q++) {
    o.replicates = bad[q];
    assert_int_equal(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err), ATTRIB_EINVAL);
    assert_null(b);
    assert_non_null(strstr(err.message, "at most 10000000 replicates"));
    double psi[3] = {1, 2, 3};
    assert_int_equal(attrib_multiplier_bootstrap(psi, 3, NULL, 0, 0.0, &o, &b, &err), ATTRIB_EINVAL);
  }
  o.replicates = 999;
  o.type = ATTRIB_BOOT_PAIRS;
  assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err), ATTRIB_OK, &err);
  assert_true(b->p_value_bound);
  assert_true(b->p_value == 1.0 / 1000.0);
  attrib_boot_result_free(b);
  o.type = ATTRIB_BOOT_WILD;
  assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err), ATTRIB_OK, &err);
  assert_true(b->p_value_bound && b->p_value == 1.0 / 1000.0);
  attrib_boot_result_free(b);
  attrib_ols_result_free(r);
  attrib_design_free(d);
  /* 10 teams: 1024 sign vectors for B = 999 */
  attrib_table *t10 = test_simulated(300, 4, 2.0, 0);
  assert_status(fit(t10, "sales ~ trained + prior_perf", "team", &d, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(d->cluster[0].n_levels, 12);
  assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err), ATTRIB_OK, &err);
  assert_true(b->enumerated);
  assert_int_equal(b->replicates, 4096);
  attrib_boot_result_free(b);
  o.weights = ATTRIB_BOOT_WEBB; /* not for Webb's six points */
  assert_status(attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err), ATTRIB_OK, &err);
  assert_true(!b->enumerated && b->replicates == 999);
  attrib_boot_result_free(b);
  attrib_ols_result_free(r);
  attrib_design_free(d);
  attrib_table_free(t10);
  attrib_table_free(t);
}

static void test_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 4, 2.0, 0);
  /* 0 pairs, 1 cluster, 2 wild, 3 wild with FE, 4 wild by rows, 5 the
   * same with FE, 6 wild through the blocked path with clusters, 7 and 8
   * cluster and wild on the many-clusters statistics */
  for (int variant = 0; variant < 9; variant++) {
    attrib_design *d = NULL;
    attrib_ols_result *r = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    int fe = variant == 3 || variant == 5, rows = variant == 0 || variant == 4 || variant == 5;
    const char *formula = fe ? "sales ~ trained + prior_perf | region" : "sales ~ trained + prior_perf";
    assert_status(fit(t, formula, rows ? NULL : "team", &d, &r, &err), ATTRIB_OK, &err);
    attrib_boot_options o;
    attrib_boot_options_init(&o);
    o.replicates = 99;
    o.threads = 1; /* the failure hook is per thread */
    o.keep_draws = 1;
    o.type = variant == 0 ? ATTRIB_BOOT_PAIRS : variant == 1 || variant == 7 ? ATTRIB_BOOT_CLUSTER : ATTRIB_BOOT_WILD;
    o.ci = variant == 0 ? ATTRIB_CI_STUDENTIZED : ATTRIB_CI_PERCENTILE;
    if (variant == 4) o.weights = ATTRIB_BOOT_MAMMEN; /* the squares' sums too */
    int done = 0;
    for (long k = 1; !done && k < 5000; k++) {
      attrib_boot_result *b = NULL;
      attrib__boot_debug_force_blocked(variant == 6);
      attrib__boot_debug_force_wide(variant >= 7);
      attrib_debug_fail_alloc_after(k);
      attrib_status s = attrib_ols_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err);
      attrib_debug_fail_alloc_after(0);
      attrib__boot_debug_force_wide(0);
      attrib__boot_debug_force_blocked(0);
      if (s == ATTRIB_OK) done = 1;
      else {
        assert_int_equal(s, ATTRIB_ENOMEM);
        assert_null(b);
      }
      attrib_boot_result_free(b);
    }
    assert_true(done);
    attrib_ols_result_free(r);
    attrib_design_free(d);
  }
  attrib_table_free(t);
}

/* the logit bootstrap's own allocations come first; later ones are the
 * refits', whose failures test_logit covers: the first 40 are enough */
static void test_logit_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 4, 2.0, 0);
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  attrib_logit_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse("trained ~ prior_perf + engagement", &f, &err), ATTRIB_OK, &err);
  assert_status(attrib_design_build(t, f, NULL, &d, &err), ATTRIB_OK, &err);
  attrib_logit_options lo;
  attrib_logit_options_init(&lo);
  lo.treat = "prior_perf";
  lo.keep_fitted = 1;
  assert_status(attrib_logit_fit(d, &lo, &r, &err), ATTRIB_OK, &err);
  attrib_boot_options o;
  attrib_boot_options_init(&o);
  o.replicates = 99;
  o.threads = 1;
  o.ci = ATTRIB_CI_BCA;
  for (long k = 1; k <= 40; k++) {
    attrib_boot_result *b = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_logit_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err);
    attrib_debug_fail_alloc_after(0);
    assert_true(s == ATTRIB_OK || s == ATTRIB_ENOMEM);
    if (s) assert_null(b);
    attrib_boot_result_free(b);
  }
  attrib_boot_result *b = NULL;
  assert_status(attrib_logit_bootstrap(d, r, (size_t)r->effect_index, &o, &b, &err), ATTRIB_OK, &err);
  assert_int_equal(b->replicates, 99);
  assert_true(b->ci_low < b->estimate && b->estimate < b->ci_high);
  attrib_boot_result_free(b);
  attrib_logit_result_free(r);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
}

/* ---- allocation failures where a full sweep would take too long ----------
 * A refit bootstrap's fit and workspaces are many allocations; the engine's
 * own come before the replicates (their outputs, the weights) and after
 * them (the draws, the interval, BCa's scores). So the
 * sweep fails each of the first and the last allocations of a run, found by
 * counting: failing allocation k (and every later one) succeeds exactly
 * when the run makes fewer than k. */
typedef attrib_status (*boot_run)(const void *ctx, attrib_boot_result **b, attrib_error *err);

static attrib_status run_failing(boot_run run, const void *ctx, long k) {
  attrib_boot_result *b = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_debug_fail_alloc_after(k);
  attrib_status s = run(ctx, &b, &err);
  attrib_debug_fail_alloc_after(0);
  if (s) {
    assert_int_equal(s, ATTRIB_ENOMEM);
    assert_null(b);
  }
  attrib_boot_result_free(b);
  return s;
}

/* how many allocations run makes */
static long count_allocations(boot_run run, const void *ctx) {
  long lo = 1, hi = 1;
  while (run_failing(run, ctx, hi) != ATTRIB_OK) {
    lo = hi + 1;
    hi *= 2;
    assert_true(hi < (1L << 24));
  }
  while (lo < hi) { /* the first k that succeeds: one past the run's allocations */
    long mid = lo + (hi - lo) / 2;
    if (run_failing(run, ctx, mid) == ATTRIB_OK) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/* fails each of the first `head` and the last `tail` allocations of run */
static void sweep_ends(boot_run run, const void *ctx, long head, long tail) {
  long n = count_allocations(run, ctx);
  for (long k = 1; k <= n; k++) {
    if (k > head && k <= n - tail) k = n - tail + 1;
    assert_int_equal(run_failing(run, ctx, k), ATTRIB_ENOMEM);
  }
  assert_int_equal(run_failing(run, ctx, n + 1), ATTRIB_OK);
}

typedef struct refit_run {
  const attrib_design *d;
  const attrib_ols_result *ols; /* or */
  const attrib_logit_result *logit;
  const attrib_boot_options *o;
} refit_run;

static attrib_status run_refit(const void *ctx, attrib_boot_result **b, attrib_error *err) {
  const refit_run *c = ctx;
  if (c->ols) return attrib_ols_bootstrap(c->d, c->ols, (size_t)c->ols->effect_index, c->o, b, err);
  return attrib_logit_bootstrap(c->d, c->logit, (size_t)c->logit->effect_index, c->o, b, err);
}

/* The refit bootstraps through the engine's refit loop: 0, 1 OLS with
 * absorbed fixed effects, pairs and cluster (every allocation is made
 * before the first replicate, so the sweep reaches them all, and a run of
 * 199 replicates makes as many as one of 99); 2, 3 probit with BCa, every
 * replicate a fit on a workspace made before them (so again 199 replicates
 * allocate as much as 99; BCa's scores come after the refits), pairs and
 * cluster. */
static void test_refit_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 4, 2.0, 0);
  for (int variant = 0; variant < 4; variant++) {
    int logit = variant >= 2, cluster = variant & 1;
    attrib_formula *f = NULL;
    attrib_design *d = NULL;
    attrib_ols_result *r = NULL;
    attrib_logit_result *lr = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    if (!logit) {
      assert_status(fit(t, "sales ~ trained + prior_perf | region", cluster ? "team" : NULL, &d, &r, &err), ATTRIB_OK,
                    &err);
    } else {
      assert_status(attrib_formula_parse("trained ~ prior_perf + engagement", &f, &err), ATTRIB_OK, &err);
      const char *cl[2] = {"team", NULL};
      attrib_design_options dopt;
      attrib_design_options_init(&dopt);
      dopt.cluster = cluster ? cl : NULL;
      assert_status(attrib_design_build(t, f, &dopt, &d, &err), ATTRIB_OK, &err);
      attrib_logit_options lo;
      attrib_logit_options_init(&lo);
      lo.treat = "prior_perf";
      lo.keep_fitted = 1;
      lo.link = ATTRIB_LINK_PROBIT;
      if (cluster) lo.vcov = ATTRIB_VCOV_CLUSTER;
      assert_status(attrib_logit_fit(d, &lo, &lr, &err), ATTRIB_OK, &err);
    }
    attrib_boot_options o;
    attrib_boot_options_init(&o);
    o.replicates = 99;
    o.threads = 1; /* the failure hook is per thread */
    o.keep_draws = 1;
    o.type = cluster ? ATTRIB_BOOT_CLUSTER : ATTRIB_BOOT_PAIRS;
    o.ci = logit ? ATTRIB_CI_BCA : ATTRIB_CI_NORMAL;
    refit_run c = {d, r, lr, &o};
    sweep_ends(run_refit, &c, logit ? 10 : 20, 12);
    { /* the refits (OLS and logit) draw on a workspace made before them: more replicates, no more allocations */
      long n99 = count_allocations(run_refit, &c);
      o.replicates = 199;
      assert_int_equal(count_allocations(run_refit, &c), n99);
    }
    attrib_ols_result_free(r);
    attrib_logit_result_free(lr);
    attrib_design_free(d);
    attrib_formula_free(f);
  }
  attrib_table_free(t);
}

typedef struct mult_run {
  const double *psi;
  size_t n, G;
  const int32_t *cl;
  const attrib_boot_options *o;
} mult_run;

static attrib_status run_mult(const void *ctx, attrib_boot_result **b, attrib_error *err) {
  const mult_run *c = ctx;
  return attrib_multiplier_bootstrap(c->psi, c->n, c->cl, c->G, 0.5, c->o, b, err);
}

/* the multiplier bootstrap, by units and by clusters: every allocation */
static void test_multiplier_allocation_failures(void **state) {
  (void)state;
  enum { N = 500, G = 25 };
  double psi[N];
  int32_t cl[N];
  for (size_t i = 0; i < N; i++) psi[i] = sin((double)i) * 2.0 + 0.1, cl[i] = (int32_t)(i % G);
  for (int variant = 0; variant < 4; variant++) {
    attrib_boot_options o;
    attrib_boot_options_init(&o);
    o.replicates = 199;
    o.threads = 1;
    o.keep_draws = variant & 1;
    o.ci = variant & 1 ? ATTRIB_CI_NORMAL : ATTRIB_CI_PERCENTILE;
    mult_run c = {psi, N, variant & 2 ? (size_t)G : 0, variant & 2 ? cl : NULL, &o};
    sweep_ends(run_mult, &c, 1000, 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_threads_do_not_change_results),
      cmocka_unit_test(test_blocked_equals_gxb),
      cmocka_unit_test(test_wide_statistics),
      cmocka_unit_test(test_cluster_batches_equal_loop),
      cmocka_unit_test(test_wild_blocks_uneven),
      cmocka_unit_test(test_inversion_agrees_with_p),
      cmocka_unit_test(test_bounds),
      cmocka_unit_test(test_allocation_failures),
      cmocka_unit_test(test_logit_allocation_failures),
      cmocka_unit_test(test_refit_allocation_failures),
      cmocka_unit_test(test_multiplier_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
