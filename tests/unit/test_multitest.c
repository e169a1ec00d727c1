/*
 * Several outcomes with multiple-testing control (issue 18):
 *  - Bonferroni and Holm against R's p.adjust (tests/reference/multi,
 *    make_multi_reference.R) and against their closed forms written out
 *    here, ties and NaN included;
 *  - Romano-Wolf step-down against the written-out R implementation's
 *    numbers on stored draws, and against a brute-force step-down written
 *    here independently (O(S^2 B): each step's maxima from scratch);
 *  - ols on c(y1, y2, y3) ~ ...: each outcome's effect is exactly the
 *    single-outcome fit's (1e-12; in fact bit for bit), each outcome's wild
 *    bootstrap draws the same weights (its t* equal the single-outcome
 *    bootstrap's at the same seed), the library's Romano-Wolf equals the
 *    brute force on the saved draws, and nothing depends on the threads;
 *  - a row missing one outcome is dropped for all, and counted;
 *  - the c(...) syntax and its errors; allocation failures.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* ---- closed forms and brute force, written independently -------------- */

/* rank of i among the non-NaN p (1-based), ties by index */
static size_t rank_of(const double *p, size_t m, size_t i) {
  size_t r = 1;
  for (size_t l = 0; l < m; l++)
    if (!isnan(p[l]) && (p[l] < p[i] || (p[l] == p[i] && l < i))) r++;
  return r;
}

static double holm_closed(const double *p, size_t m, size_t i) {
  if (isnan(p[i])) return NAN;
  size_t k = 0;
  for (size_t l = 0; l < m; l++) k += !isnan(p[l]);
  size_t ri = rank_of(p, m, i);
  double best = 0.0;
  for (size_t j = 0; j < m; j++) {
    if (isnan(p[j]) || rank_of(p, m, j) > ri) continue;
    double v = (double)(k - rank_of(p, m, j) + 1) * p[j];
    if (v > best) best = v;
  }
  return best < 1.0 ? best : 1.0;
}

/* Romano-Wolf by its definition: step j's maximum over the hypotheses not
 * yet rejected, computed afresh at every step */
static void rw_brute(const double *t, const double *tb, size_t S, size_t B, double *out) {
  size_t *ord = malloc(S * sizeof *ord);
  int *used = calloc(S, sizeof *used);
  double *raw = malloc(S * sizeof *raw);
  for (size_t j = 0; j < S; j++) { /* selection sort by |t| descending, ties by index */
    size_t best = S;
    for (size_t s = 0; s < S; s++)
      if (!used[s] && (best == S || fabs(t[s]) > fabs(t[best]))) best = s;
    ord[j] = best;
    used[best] = 1;
  }
  for (size_t j = 0; j < S; j++) {
    size_t c = 0;
    for (size_t b = 0; b < B; b++) {
      double mx = -1.0;
      for (size_t i = j; i < S; i++) mx = fmax(mx, fabs(tb[ord[i] * B + b]));
      c += mx >= fabs(t[ord[j]]) * (1.0 - 1e-12);
    }
    raw[j] = fmin(1.0, (double)(c + 1) / (double)(B + 1));
  }
  double run = 0.0;
  for (size_t j = 0; j < S; j++) out[ord[j]] = run = fmax(run, raw[j]);
  free(ord), free(used), free(raw);
}

static double unif(unsigned long *s) {
  *s = *s * 6364136223846793005UL + 1442695040888963407UL;
  return (double)(*s >> 11) / 9007199254740992.0;
}

/* ---- p.adjust ------------------------------------------------------------ */

static void test_padjust_reference(void **state) {
  (void)state;
  attrib_table *t = test_load("tests/reference/multi/padjust_expected.csv");
  size_t m = t->n_rows;
  double p[16], bon[16], holm[16];
  assert_true(m <= 16);
  for (size_t i = 0; i < m; i++) p[i] = test_value(t, "p", (long)i);
  attrib_p_adjust_bonferroni(p, m, bon);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_p_adjust_holm(p, m, holm, &err), ATTRIB_OK, &err);
  int nan_seen = 0;
  for (size_t i = 0; i < m; i++) {
    double eb = test_value(t, "bonferroni", (long)i), eh = test_value(t, "holm", (long)i);
    nan_seen |= isnan(eb);
    /* R computes the same products: agreement to the last bit, 1e-15 stated */
    assert_rel_close(bon[i], eb, 1e-15, "bonferroni vs p.adjust");
    assert_rel_close(holm[i], eh, 1e-15, "holm vs p.adjust");
  }
  assert_true(nan_seen);
  attrib_table_free(t);
}

static void test_padjust_closed_forms(void **state) {
  (void)state;
  unsigned long seed = 5;
  for (int rep = 0; rep < 200; rep++) {
    size_t m = 1 + (size_t)(unif(&seed) * 12);
    double p[13], h[13], b[13];
    for (size_t i = 0; i < m; i++) {
      double u = unif(&seed);
      /* ties (a grid of 10 values) and NaN now and then */
      p[i] = u < 0.1 ? NAN : (rep % 2 ? floor(u * 10.0) / 10.0 : u * u);
    }
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_p_adjust_holm(p, m, h, &err), ATTRIB_OK, &err);
    attrib_p_adjust_bonferroni(p, m, b);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) k += !isnan(p[i]);
    for (size_t i = 0; i < m; i++) {
      assert_rel_close(h[i], holm_closed(p, m, i), 1e-15, "holm closed form");
      assert_rel_close(b[i], isnan(p[i]) ? NAN : fmin(1.0, (double)k * p[i]), 1e-15, "bonferroni closed form");
      if (!isnan(p[i])) assert_true(p[i] <= h[i] && h[i] <= b[i]); /* Holm is uniformly more powerful */
    }
  }
}

/* ---- Romano-Wolf --------------------------------------------------------- */

static void test_rw_reference(void **state) {
  (void)state;
  attrib_table *tb = test_load("tests/reference/multi/rw_boot.csv");
  attrib_table *te = test_load("tests/reference/multi/rw_expected.csv");
  size_t B = tb->n_rows, S = te->n_rows;
  assert_int_equal(B, 999);
  assert_int_equal(S, 5);
  double *boot = malloc(S * B * sizeof *boot), t[5], out[5], brute[5];
  for (size_t s = 0; s < S; s++) {
    char name[32];
    snprintf(name, sizeof name, "h%zu", s + 1);
    for (size_t b = 0; b < B; b++) boot[s * B + b] = test_value(tb, name, (long)b);
    t[s] = test_value(te, "t", (long)s);
  }
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_romano_wolf(t, boot, S, B, out, &err), ATTRIB_OK, &err);
  rw_brute(t, boot, S, B, brute);
  for (size_t s = 0; s < S; s++) {
    /* counts over the same draws: the ratios agree exactly */
    assert_rel_close(out[s], test_value(te, "p_romano_wolf", (long)s), 1e-15, "romano-wolf vs R");
    assert_rel_close(out[s], brute[s], 0.0, "romano-wolf vs brute force");
  }
  free(boot);
  attrib_table_free(tb);
  attrib_table_free(te);
}

static void test_rw_brute_force(void **state) {
  (void)state;
  unsigned long seed = 17;
  for (int rep = 0; rep < 100; rep++) {
    size_t S = 1 + (size_t)(unif(&seed) * 7), B = 99 + (size_t)(unif(&seed) * 300);
    double t[8], out[8], brute[8];
    double *tb = malloc(S * B * sizeof *tb);
    for (size_t s = 0; s < S; s++) t[s] = (unif(&seed) - 0.5) * 6.0;
    if (S > 2 && rep % 3 == 0) t[1] = -t[0]; /* a tie in |t| */
    for (size_t b = 0; b < B; b++) {
      double common = unif(&seed) - 0.5;
      for (size_t s = 0; s < S; s++) tb[s * B + b] = 4.0 * (0.7 * common + 0.3 * (unif(&seed) - 0.5));
    }
    if (rep % 5 == 0) tb[0] = t[0]; /* an exact tie with a draw counts */
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_romano_wolf(t, tb, S, B, out, &err), ATTRIB_OK, &err);
    rw_brute(t, tb, S, B, brute);
    for (size_t s = 0; s < S; s++) {
      assert_rel_close(out[s], brute[s], 0.0, "romano-wolf vs brute force");
      assert_true(out[s] >= 1.0 / (double)(B + 1) && out[s] <= 1.0);
    }
    if (S == 1) { /* one hypothesis: the bootstrap p-value (c + 1) / (B + 1) */
      size_t c = 0;
      for (size_t b = 0; b < B; b++) c += fabs(tb[b]) >= fabs(t[0]) * (1.0 - 1e-12);
      assert_rel_close(out[0], (double)(c + 1) / (double)(B + 1), 0.0, "one hypothesis");
    }
    free(tb);
  }
}

/* ---- ols on c(y1, y2, y3) ----------------------------------------------- */

static attrib_design *design(const attrib_table *t, const char *formula, const char *cluster) {
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse(formula, &f, &err), ATTRIB_OK, &err);
  const char *cl[2] = {cluster, NULL};
  attrib_design_options o;
  attrib_design_options_init(&o);
  o.cluster = cluster ? cl : NULL;
  attrib_design *d = NULL;
  assert_status(attrib_design_build(t, f, &o, &d, &err), ATTRIB_OK, &err);
  attrib_formula_free(f);
  return d;
}

static void same_effect(const attrib_effect *a, const attrib_effect *b) {
  assert_string_equal(a->term, b->term);
  assert_rel_close(a->estimate, b->estimate, 1e-12, "estimate");
  assert_rel_close(a->std_error, b->std_error, 1e-12, "std_error");
  assert_rel_close(a->statistic, b->statistic, 1e-12, "statistic");
  assert_rel_close(a->p_value, b->p_value, 1e-12, "p_value");
  assert_rel_close(a->ci_low, b->ci_low, 1e-12, "ci_low");
  assert_rel_close(a->ci_high, b->ci_high, 1e-12, "ci_high");
}

static void test_ols_outcomes(void **state) {
  (void)state;
  attrib_table *t = test_simulated(600, 4, 1.0, 0);
  const char *ys[3] = {"sales", "engagement", "churned"};
  const char *rhs[2] = {"trained + prior_perf + factor(role)", "trained + prior_perf | region"};
  for (int v = 0; v < 4; v++) {
    const char *cluster = v & 1 ? NULL : "team"; /* no cluster: the blocked wild bootstrap over rows */
    char fm[256];
    snprintf(fm, sizeof fm, "c(%s, %s, %s) ~ %s", ys[0], ys[1], ys[2], rhs[v >> 1]);
    attrib_design *d = design(t, fm, cluster);
    assert_int_equal(d->n_outcomes, 3);
    attrib_ols_options o;
    attrib_ols_options_init(&o);
    o.vcov = cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
    o.treat = "trained";
    attrib_boot_options bo;
    attrib_boot_options_init(&bo);
    bo.replicates = 299;
    bo.seed = 3;
    bo.type = ATTRIB_BOOT_WILD;
    attrib_ols_multi *m[2] = {NULL, NULL};
    attrib_error err;
    attrib_error_clear(&err);
    for (int th = 0; th < 2; th++) {
      o.threads = bo.threads = th ? 4 : 1;
      assert_status(attrib_ols_fit_outcomes(d, &o, &bo, &m[th], &err), ATTRIB_OK, &err);
    }
    assert_string_equal(d->response, ys[0]); /* left on the first outcome */
    size_t B = m[0]->boots[0]->replicates;
    double tt[3], p[3], *tb = malloc(3 * B * sizeof *tb), brute[3];
    for (size_t j = 0; j < 3; j++) {
      /* the same outcome alone: "y ~ rhs" on the same rows */
      snprintf(fm, sizeof fm, "%s ~ %s", ys[j], rhs[v >> 1]);
      attrib_design *d1 = design(t, fm, cluster);
      attrib_ols_result *r1 = NULL;
      attrib_boot_result *b1 = NULL;
      o.threads = bo.threads = 1;
      assert_status(attrib_ols_fit(d1, &o, &r1, &err), ATTRIB_OK, &err);
      attrib_boot_options b1o = bo;
      b1o.keep_t_null = 1;
      assert_status(attrib_ols_bootstrap(d1, r1, (size_t)r1->effect_index, &b1o, &b1, &err), ATTRIB_OK, &err);
      assert_string_equal(m[0]->fits[j]->response, ys[j]);
      same_effect(&m[0]->fits[j]->effect, &r1->effect);
      assert_rel_close(m[0]->boots[j]->p_value, b1->p_value, 1e-12, "bootstrap p");
      assert_rel_close(m[0]->boots[j]->t_stat, b1->t_stat, 1e-12, "bootstrap t");
      /* the same weights: every replicate's t* is the single-outcome run's */
      for (size_t b = 0; b < B; b++) assert_rel_close(m[0]->boots[j]->t_null[b], b1->t_null[b], 1e-12, "t*");
      /* threads change nothing, bit for bit */
      assert_true(m[0]->fits[j]->effect.estimate == m[1]->fits[j]->effect.estimate);
      assert_true(m[0]->p_romano_wolf[j] == m[1]->p_romano_wolf[j]);
      for (size_t b = 0; b < B; b++) assert_true(m[0]->boots[j]->t_null[b] == m[1]->boots[j]->t_null[b]);
      tt[j] = m[0]->boots[j]->t_stat;
      p[j] = m[0]->fits[j]->effect.p_value;
      memcpy(tb + j * B, m[0]->boots[j]->t_null, B * sizeof *tb);
      /* the WCR p-value counts |t*| >= |t|: the draws kept are the ones counted */
      size_t c = 0;
      for (size_t b = 0; b < B; b++) c += fabs(tb[j * B + b]) >= fabs(tt[j]) * (1.0 - 1e-12);
      if (!m[0]->boots[j]->p_value_bound) assert_rel_close(m[0]->boots[j]->p_value, (double)c / (double)B, 1e-15, "WCR count");
      attrib_boot_result_free(b1);
      attrib_ols_result_free(r1);
      attrib_design_free(d1);
    }
    rw_brute(tt, tb, 3, B, brute);
    for (size_t j = 0; j < 3; j++) {
      assert_rel_close(m[0]->p_romano_wolf[j], brute[j], 0.0, "romano-wolf on the saved draws");
      assert_rel_close(m[0]->p_holm[j], holm_closed(p, 3, j), 1e-15, "holm");
      assert_rel_close(m[0]->p_bonferroni[j], fmin(1.0, 3.0 * p[j]), 1e-15, "bonferroni");
    }
    free(tb);
    attrib_ols_multi_free(m[0]);
    attrib_ols_multi_free(m[1]);
    attrib_design_free(d);
  }
  attrib_table_free(t);
}

/* A row missing one outcome is dropped for every outcome, and counted; a
 * row missing a regressor is not counted as an outcome's. Without treat
 * the effect is the first coefficient after the intercept. */
static void test_missing_outcome(void **state) {
  (void)state;
  attrib_table *t = test_table("y1,y2,x,z\n1,2,0,1\n2,,1,2\n3,5,0,4\n5,4,1,3\n4,9,1,\n6,7,0,5\n8,6,1,2\n7,8,1,7\n");
  attrib_table *t2 = test_table("y1,y2,x,z\n1,2,0,1\n3,5,0,4\n5,4,1,3\n6,7,0,5\n8,6,1,2\n7,8,1,7\n");
  attrib_design *d = design(t, "c(y1, y2) ~ x + z", NULL);
  assert_int_equal(d->n, 6);
  assert_int_equal(d->n_dropped_missing, 2);
  assert_int_equal(d->n_dropped_outcomes, 1);
  attrib_ols_multi *m = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ols_fit_outcomes(d, NULL, NULL, &m, &err), ATTRIB_OK, &err);
  assert_true(m->effect_defaulted);
  assert_string_equal(m->effect_term, "x");
  assert_int_equal(m->n_dropped_outcomes, 1);
  for (size_t j = 0; j < 2; j++) {
    attrib_design *d1 = design(t2, j ? "y2 ~ x + z" : "y1 ~ x + z", NULL);
    attrib_ols_options o;
    attrib_ols_options_init(&o);
    o.treat = "x";
    attrib_ols_result *r1 = NULL;
    assert_status(attrib_ols_fit(d1, &o, &r1, &err), ATTRIB_OK, &err);
    same_effect(&m->fits[j]->effect, &r1->effect);
    assert_true(isnan(m->p_romano_wolf[j]));
    attrib_ols_result_free(r1);
    attrib_design_free(d1);
  }
  attrib_ols_multi_free(m);
  attrib_design_free(d);
  /* per_outcome_rows: y1 keeps the row y2 lacks; each outcome equals its own fit */
  {
    attrib_formula *f = NULL;
    assert_status(attrib_formula_parse("c(y1, y2) ~ x + z", &f, &err), ATTRIB_OK, &err);
    attrib_ols_multi *e = NULL;
    assert_status(attrib_ols_fit_outcomes_each(t, f, NULL, NULL, NULL, &e, &err), ATTRIB_OK, &err);
    assert_true(e->per_outcome_rows);
    assert_int_equal(e->fits[0]->n_obs, 7);
    assert_int_equal(e->fits[1]->n_obs, 6);
    for (size_t j = 0; j < 2; j++) {
      attrib_design *d1 = design(t, j ? "y2 ~ x + z" : "y1 ~ x + z", NULL);
      attrib_ols_options o;
      attrib_ols_options_init(&o);
      o.treat = "x";
      attrib_ols_result *r1 = NULL;
      assert_status(attrib_ols_fit(d1, &o, &r1, &err), ATTRIB_OK, &err);
      same_effect(&e->fits[j]->effect, &r1->effect);
      assert_true(isnan(e->p_romano_wolf[j]));
      attrib_ols_result_free(r1);
      attrib_design_free(d1);
    }
    attrib_ols_multi_free(e);
    attrib_formula_free(f);
  }
  /* a categorical outcome is refused like a single one */
  attrib_table *t3 = test_table("y1,y2,x\n1,a,0\n2,b,1\n3,a,0\n4,b,1\n");
  attrib_formula *f = NULL;
  assert_status(attrib_formula_parse("c(y1, y2) ~ x", &f, &err), ATTRIB_OK, &err);
  attrib_design *d3 = NULL;
  assert_int_not_equal(attrib_design_build(t3, f, NULL, &d3, &err), ATTRIB_OK);
  assert_non_null(strstr(err.message, "y2"));
  attrib_formula_free(f);
  attrib_table_free(t3);
  attrib_table_free(t);
  attrib_table_free(t2);
}


/* ---- psm: one score model and matching, several outcomes --------------- */

static attrib_psm_result *psm_run(const attrib_table *t, const attrib_psm_options *o) {
  attrib_psm_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_psm_fit(t, o, &r, &err), ATTRIB_OK, &err);
  return r;
}

/* Each outcome's effect is the single-outcome run's (the same rows, score
 * and matching: 1e-12), the weighting bootstrap draws the same multipliers
 * for every outcome (its draws equal the single run's), Romano-Wolf equals
 * the brute force on (draw - estimate) / SE, threads change nothing, and
 * per_outcome_rows equals separate runs with Holm/Bonferroni across them. */
static void test_psm_outcomes(void **state) {
  (void)state;
  attrib_table *t = test_simulated(800, 6, 1.0, 0);
  const char *extra[3] = {"engagement", "churned", NULL};
  const char *ys[3] = {"sales", "engagement", "churned"};
  for (int method = 0; method < 3; method++) {
    attrib_psm_options o;
    attrib_psm_options_init(&o);
    o.treat = "trained";
    o.outcome = "sales";
    o.covariates = "tenure + prior_perf + factor(role)";
    o.method = (attrib_psm_method)method;
    o.replace = method == 0;
    if (method) o.bootstrap = 199, o.seed = 9;
    o.threads = 1;
    o.extra_outcomes = extra;
    attrib_psm_result *m = psm_run(t, &o);
    o.threads = 3;
    attrib_psm_result *m3 = psm_run(t, &o);
    assert_int_equal(m->n_outcomes, 3);
    assert_int_equal(m->n_dropped_outcomes, 0);
    double tt[3], p[3], brute[3], *tb = NULL;
    size_t B = method ? m->outcomes[0].boot->n_draws : 0;
    if (B) tb = malloc(3 * B * sizeof *tb);
    for (size_t j = 0; j < 3; j++) {
      attrib_psm_options o1 = o;
      o1.extra_outcomes = NULL;
      o1.outcome = ys[j];
      o1.keep_draws = 1;
      o1.threads = 1;
      attrib_psm_result *r1 = psm_run(t, &o1);
      const attrib_psm_outcome *po = &m->outcomes[j];
      assert_string_equal(po->outcome, ys[j]);
      same_effect(&po->effect, &r1->effect);
      assert_rel_close(po->naive_difference, r1->naive_difference, 1e-12, "naive difference");
      assert_true(po->effect.estimate == m3->outcomes[j].effect.estimate);
      assert_true(po->p_holm == m3->outcomes[j].p_holm && (isnan(po->p_romano_wolf) || po->p_romano_wolf == m3->outcomes[j].p_romano_wolf));
      p[j] = po->effect.p_value;
      if (B) {
        assert_int_equal(po->boot->n_draws, r1->boot->n_draws);
        for (size_t b = 0; b < B; b++) assert_rel_close(po->boot->draws[b], r1->boot->draws[b], 1e-12, "the same multipliers");
        tt[j] = po->effect.estimate / po->effect.std_error;
        for (size_t b = 0; b < B; b++) tb[j * B + b] = (po->boot->draws[b] - po->effect.estimate) / po->effect.std_error;
      } else {
        assert_true(isnan(po->p_romano_wolf));
      }
      attrib_psm_result_free(r1);
    }
    /* the result's own effect is the first outcome's */
    same_effect(&m->effect, &m->outcomes[0].effect);
    for (size_t j = 0; j < 3; j++) {
      assert_rel_close(m->outcomes[j].p_holm, holm_closed(p, 3, j), 1e-15, "holm");
      assert_rel_close(m->outcomes[j].p_bonferroni, fmin(1.0, 3.0 * p[j]), 1e-15, "bonferroni");
    }
    if (B) {
      rw_brute(tt, tb, 3, B, brute);
      for (size_t j = 0; j < 3; j++) assert_rel_close(m->outcomes[j].p_romano_wolf, brute[j], 0.0, "psm romano-wolf");
    }
    free(tb);
    /* per_outcome_rows: separate analyses (here the same rows: the same numbers), no Romano-Wolf */
    o.per_outcome_rows = 1;
    o.threads = 1;
    attrib_psm_result *pr = psm_run(t, &o);
    assert_true(pr->per_outcome_rows);
    for (size_t j = 0; j < 3; j++) {
      same_effect(&pr->outcomes[j].effect, &m->outcomes[j].effect);
      assert_rel_close(pr->outcomes[j].p_holm, m->outcomes[j].p_holm, 1e-15, "per-outcome holm");
      assert_true(isnan(pr->outcomes[j].p_romano_wolf));
    }
    attrib_psm_result_free(pr);
    attrib_psm_result_free(m);
    attrib_psm_result_free(m3);
  }
  attrib_table_free(t);
}

/* A unit missing one outcome: dropped for all and counted; with
 * per_outcome_rows each outcome keeps its units. */
static void test_psm_missing_outcome(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 7, 1.0, 0);
  /* blank out engagement in every 10th row */
  long c = attrib_table_column_find(t, "engagement");
  assert_true(c >= 0);
  attrib_column *col = &t->cols[c];
  size_t W = (t->n_rows + 63) / 64;
  if (!col->missing) col->missing = attrib__calloc(W, sizeof *col->missing);
  for (size_t i = 0; i < t->n_rows; i += 10) {
    col->values[i] = NAN;
    col->missing[i >> 6] |= (uint64_t)1 << (i & 63);
    col->n_missing++;
  }
  const char *extra[2] = {"engagement", NULL};
  attrib_psm_options o;
  attrib_psm_options_init(&o);
  o.treat = "trained";
  o.outcome = "sales";
  o.covariates = "tenure + prior_perf";
  o.extra_outcomes = extra;
  attrib_psm_result *m = psm_run(t, &o);
  assert_int_equal(m->n_dropped_outcomes, 40);
  assert_int_equal(m->outcomes[0].n_obs, 360);
  assert_int_equal(m->outcomes[1].n_obs, 360);
  o.per_outcome_rows = 1;
  attrib_psm_result *pr = psm_run(t, &o);
  assert_int_equal(pr->outcomes[0].n_obs, 400);
  assert_int_equal(pr->outcomes[1].n_obs, 360);
  attrib_psm_result_free(m);
  attrib_psm_result_free(pr);
  attrib_table_free(t);
}


/* ---- did: the same rows and the same bootstrap draws -------------------- */

static attrib_did_result *did_run(const attrib_table *t, const attrib_did_options *o) {
  attrib_did_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_did_fit(t, o, &r, &err), ATTRIB_OK, &err);
  return r;
}

/* TWFE (wild bootstrap) and Callaway-Sant'Anna (multiplier): each outcome's
 * overall effect is its single-outcome run's (1e-12), its replicates too
 * (the same weights or multipliers), Romano-Wolf is the brute force on
 * them, and threads change nothing. */
static void test_did_outcomes(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 5, 1.5, 1);
  const char *extra[2] = {"tenure", NULL};
  const char *ys[2] = {"sales", "tenure"};
  for (int est = 0; est < 2; est++) {
    attrib_did_options o;
    attrib_did_options_init(&o);
    o.outcome = "sales";
    o.unit = "learner_id", o.time = "period", o.cohort = "cohort";
    o.estimator = est ? ATTRIB_DID_CS : ATTRIB_DID_TWFE;
    o.bootstrap = 199;
    o.seed = 4;
    o.threads = 1;
    o.extra_outcomes = extra;
    attrib_did_result *m = did_run(t, &o);
    o.threads = 3;
    attrib_did_result *m3 = did_run(t, &o);
    assert_int_equal(m->n_outcomes, 2);
    double tt[2], brute[2], p[2];
    size_t B = est ? m->outcomes[0].boot->n_draws : m->outcomes[0].boot->replicates;
    double *tb = malloc(2 * B * sizeof *tb);
    for (size_t j = 0; j < 2; j++) {
      attrib_did_options o1 = o;
      o1.extra_outcomes = NULL;
      o1.outcome = ys[j];
      o1.keep_draws = 1;
      o1.threads = 1;
      attrib_did_result *r1 = did_run(t, &o1);
      const attrib_did_outcome *po = &m->outcomes[j];
      same_effect(&po->effect, &r1->effect);
      assert_true(po->effect.estimate == m3->outcomes[j].effect.estimate && po->p_romano_wolf == m3->outcomes[j].p_romano_wolf);
      const attrib_effect *e = &po->effect;
      p[j] = e->p_value;
      if (!est) { /* wild: the single run's WCU draws, made with the same weights as its t* */
        for (size_t b = 0; b < B; b++) assert_rel_close(po->boot->draws[b], r1->boot->draws[b], 1e-12, "wild draws");
        tt[j] = po->boot->t_stat;
        for (size_t b = 0; b < B; b++) tb[j * B + b] = po->boot->t_null[b];
      } else {
        for (size_t b = 0; b < B; b++) assert_rel_close(po->boot->draws[b], r1->boot->draws[b], 1e-12, "multipliers");
        tt[j] = e->estimate / e->std_error;
        for (size_t b = 0; b < B; b++) tb[j * B + b] = (po->boot->draws[b] - e->estimate) / e->std_error;
      }
      attrib_did_result_free(r1);
    }
    rw_brute(tt, tb, 2, B, brute);
    for (size_t j = 0; j < 2; j++) {
      assert_rel_close(m->outcomes[j].p_romano_wolf, brute[j], 0.0, "did romano-wolf");
      assert_rel_close(m->outcomes[j].p_holm, holm_closed(p, 2, j), 1e-15, "did holm");
    }
    same_effect(&m->effect, &m->outcomes[0].effect);
    free(tb);
    attrib_did_result_free(m);
    attrib_did_result_free(m3);
  }
  attrib_table_free(t);
}

/* ---- the syntax ------------------------------------------------------------ */

static void test_syntax(void **state) {
  (void)state;
  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_formula_parse(" c ( a, `b c` ,d) ~ x + z | g", &f, &err), ATTRIB_OK, &err);
  assert_int_equal(f->n_responses, 3);
  assert_string_equal(f->response, "a");
  assert_string_equal(f->responses[1], "b c");
  assert_int_equal(f->n_terms, 2);
  attrib_formula_add_column(f, "w", 0, &err); /* an edit: the text is made again */
  assert_string_equal(attrib_formula_text(f), "c(a, `b c`, d) ~ x + z + w | g");
  assert_int_equal(attrib_formula_add_column(f, "d", 0, &err), ATTRIB_EFORMULA); /* a response as a term */
  assert_status(attrib_formula_set_response(f, "y", &err), ATTRIB_OK, &err);  /* one response replaces c(...) */
  assert_int_equal(f->n_responses, 0);
  attrib_formula_free(f);
  /* c(y) is y; a column named c is still a response */
  assert_status(attrib_formula_parse("c(y) ~ x", &f, &err), ATTRIB_OK, &err);
  assert_int_equal(f->n_responses, 0);
  assert_string_equal(f->response, "y");
  attrib_formula_free(f);
  assert_status(attrib_formula_parse("c ~ x", &f, &err), ATTRIB_OK, &err);
  assert_string_equal(f->response, "c");
  attrib_formula_free(f);
  assert_status(attrib_formula_parse("`c` ~ x", &f, &err), ATTRIB_OK, &err);
  assert_string_equal(f->response, "c");
  attrib_formula_free(f);
  const char *bad[] = {"c(a, a) ~ x", "c(a, b) ~ b", "c(a, b ~ x", "c(a; b) ~ x", "c() ~ x", "c(a,) ~ x", "c(a, b)"};
  const size_t at[] = {5, 10, 7, 3, 2, 4, 7};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    f = NULL;
    assert_int_equal(attrib_formula_parse(bad[i], &f, &err), ATTRIB_EFORMULA);
    assert_null(f);
    if (err.offset != at[i]) fail_msg("'%s': offset %zu, expected %zu (%s)", bad[i], err.offset, at[i], err.message);
  }
}

/* ---- allocation failures ------------------------------------------------- */

static void test_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_simulated(200, 2, 1.0, 0);
  for (int pass = 0; pass < 2; pass++) {
    long k = 1;
    for (;; k++) {
      attrib_error err;
      attrib_error_clear(&err);
      attrib_formula *f = NULL;
      attrib_design *d = NULL;
      attrib_ols_multi *m = NULL;
      attrib_boot_options bo;
      attrib_boot_options_init(&bo);
      bo.replicates = 99;
      bo.type = ATTRIB_BOOT_WILD;
      const char *cl[2] = {"team", NULL};
      attrib_design_options dop;
      attrib_design_options_init(&dop);
      dop.cluster = cl;
      attrib_ols_options o;
      attrib_ols_options_init(&o);
      o.vcov = ATTRIB_VCOV_CLUSTER;
      attrib_debug_fail_alloc_after(k);
      attrib_status s = attrib_formula_parse("c(sales, churned) ~ trained + prior_perf", &f, &err);
      if (!s) s = attrib_design_build(t, f, &dop, &d, &err);
      if (!s) s = attrib_ols_fit_outcomes(d, &o, pass ? &bo : NULL, &m, &err);
      attrib_debug_fail_alloc_after(0);
      attrib_ols_multi_free(m);
      attrib_design_free(d);
      attrib_formula_free(f);
      if (s == ATTRIB_OK) break;
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(m);
    }
    assert_true(k > 20);
  }
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_padjust_reference), cmocka_unit_test(test_padjust_closed_forms),
      cmocka_unit_test(test_rw_reference),      cmocka_unit_test(test_rw_brute_force),
      cmocka_unit_test(test_ols_outcomes),      cmocka_unit_test(test_missing_outcome),
      cmocka_unit_test(test_syntax),            cmocka_unit_test(test_allocation_failures),
      cmocka_unit_test(test_psm_outcomes),      cmocka_unit_test(test_psm_missing_outcome),
      cmocka_unit_test(test_did_outcomes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
