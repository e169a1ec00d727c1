/* Simulator: same seed, same bytes; learner i's draws depend only on (seed,
 * i); the truth matches the data written (treated share, heterogeneous
 * ATT, cohorts, ROI); selection on observables makes the naive comparison
 * biased (by design); a pre-trend shows in the pre-periods. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static char *simulate(const attrib_simulate_options *o, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  assert_non_null(f);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_simulate_write(f, o, &err), ATTRIB_OK, &err);
  fclose(f);
  return buf;
}

static void test_same_seed_same_bytes(void **state) {
  (void)state;
  for (int design = 0; design < 2; design++) {
    attrib_simulate_options o;
    attrib_simulate_options_init(&o);
    o.design = design ? ATTRIB_SIM_PANEL : ATTRIB_SIM_COHORT;
    o.rows = 500;
    o.seed = 42;
    size_t n1, n2, n3;
    char *a = simulate(&o, &n1), *b = simulate(&o, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    o.seed = 43;
    char *c = simulate(&o, &n3);
    assert_true(n1 != n3 || memcmp(a, c, n1) != 0);
    free(a), free(b), free(c);
  }
}

static void test_cohort_shape_and_selection(void **state) {
  (void)state;
  attrib_simulate_options o;
  attrib_simulate_options_init(&o);
  o.rows = 20000;
  o.seed = 7;
  o.effect = 2.5;
  size_t n;
  char *csv = simulate(&o, &n);
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_read_csv_buffer(csv, n, "sim.csv", NULL, &t, &err), ATTRIB_OK, &err);
  free(csv);
  assert_int_equal(t->n_rows, 20000);
  assert_int_equal(t->n_cols, 20);
  long tr = attrib_table_column_find(t, "trained"), y = attrib_table_column_find(t, "sales");
  long role = attrib_table_column_find(t, "role"), region = attrib_table_column_find(t, "region");
  assert_true(tr >= 0 && y >= 0 && role >= 0 && region >= 0);
  assert_int_equal(t->cols[role].n_levels, 6);
  assert_int_equal(t->cols[region].n_levels, 8);
  double s1 = 0, s0 = 0;
  size_t n1 = 0, n0 = 0;
  for (size_t i = 0; i < t->n_rows; i++) {
    if (t->cols[tr].values[i] == 1.0) s1 += t->cols[y].values[i], n1++;
    else s0 += t->cols[y].values[i], n0++;
  }
  double share = (double)n1 / (double)t->n_rows;
  assert_true(share > 0.2 && share < 0.45);
  /* Selection on prior performance and engagement inflates the naive gap
   * well beyond the planted 2.5 (about +4 to +6 at this seed and size). */
  double naive = s1 / (double)n1 - s0 / (double)n0;
  if (!(naive > o.effect + 2.0)) fail_msg("naive difference %.3f is not biased upward", naive);
  attrib_table_free(t);
}

static void test_panel_truth_matches_data(void **state) {
  (void)state;
  attrib_simulate_options o;
  attrib_simulate_options_init(&o);
  o.design = ATTRIB_SIM_PANEL;
  o.rows = 3000;
  o.periods = 8;
  o.seed = 11;
  attrib_simulate_truth *truth = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_simulate_truth_compute(&o, &truth, &err), ATTRIB_OK, &err);
  size_t n;
  char *csv = simulate(&o, &n);
  attrib_table *t = NULL;
  assert_status(attrib_table_read_csv_buffer(csv, n, "panel.csv", NULL, &t, &err), ATTRIB_OK, &err);
  free(csv);
  assert_int_equal(t->n_rows, 3000 * 8);
  long coh = attrib_table_column_find(t, "cohort"), per = attrib_table_column_find(t, "period");
  size_t counts[3] = {0, 0, 0}, never = 0;
  assert_int_equal(truth->n_groups, 3);
  for (size_t i = 0; i < t->n_rows; i++) {
    if (t->cols[per].values[i] != 1.0) continue;
    double g = t->cols[coh].values[i];
    if (g == 0) never++;
    for (size_t k = 0; k < 3; k++)
      if (g == truth->group[k]) counts[k]++;
  }
  assert_int_equal(never, truth->never_treated);
  for (size_t k = 0; k < 3; k++) assert_int_equal(counts[k], truth->group_size[k]);
  /* closed form: ATT(g,t) = effect * scale_g * (1 + 0.25 (t - g)), scales 1.5, 1, 0.5 */
  assert_rel_close(truth->att_gt[0 * 8 + 2], 2.0 * 1.5, 1e-15, "ATT(3,3)");
  assert_rel_close(truth->att_gt[1 * 8 + 7], 2.0 * 1.0 * (1 + 0.25 * 3), 1e-15, "ATT(5,8)");
  assert_rel_close(truth->att_gt[2 * 8 + 6], 2.0 * 0.5, 1e-15, "ATT(7,7)");
  double e0 = (counts[0] * 3.0 + counts[1] * 2.0 + counts[2] * 1.0) / (double)(counts[0] + counts[1] + counts[2]);
  assert_rel_close(truth->event_att[0], e0, 1e-14, "event time 0");
  attrib_simulate_truth_free(truth);
  attrib_table_free(t);
}

static attrib_table *read_sim(const attrib_simulate_options *o) {
  size_t n;
  char *csv = simulate(o, &n);
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_read_csv_buffer(csv, n, "sim.csv", NULL, &t, &err), ATTRIB_OK, &err);
  free(csv);
  return t;
}

/* Counter-based streams: with the teams fixed, the first 100 learners of a
 * 300-learner data set are the 100-learner data set, byte for byte. */
static void test_learner_streams(void **state) {
  (void)state;
  for (int design = 0; design < 2; design++) {
    attrib_simulate_options o;
    attrib_simulate_options_init(&o);
    o.design = design ? ATTRIB_SIM_PANEL : ATTRIB_SIM_COHORT;
    o.teams = 10, o.seed = 8, o.rows = 100;
    size_t n1, n2;
    char *a = simulate(&o, &n1);
    o.rows = 300;
    char *b = simulate(&o, &n2);
    assert_true(n2 > n1);
    assert_memory_equal(a, b, n1);
    free(a), free(b);
  }
}

/* the calibrated share trained, and the truth's count of them */
static void test_treated_share(void **state) {
  (void)state;
  const double shares[3] = {NAN, 0.5, 0.1};
  const double want[3] = {0.3, 0.5, 0.1};
  for (int k = 0; k < 3; k++) {
    attrib_simulate_options o;
    attrib_simulate_options_init(&o);
    o.rows = 20000, o.seed = 3, o.treated_share = shares[k];
    if (k == 2) o.selection = 3.0;
    attrib_table *t = read_sim(&o);
    attrib_simulate_truth *truth = NULL;
    attrib_error err;
    assert_status(attrib_simulate_truth_compute(&o, &truth, &err), ATTRIB_OK, &err);
    size_t n1 = 0;
    for (long i = 0; i < 20000; i++) n1 += test_value(t, "trained", i) == 1.0;
    assert_int_equal(n1, truth->n_treated);
    double share = (double)n1 / 20000.0; /* SD of the share about 0.0035 */
    if (fabs(share - want[k]) > 0.015) fail_msg("share %.4f, target %.2f", share, want[k]);
    attrib_simulate_truth_free(truth);
    attrib_table_free(t);
  }
}

/* With heterogeneity the effect grows with engagement, selection favours the
 * engaged, so the ATT exceeds the ATE; the truth's ATT is the mean of
 * effect (1 + H z) over the trained, z from the engagement written (0.1
 * precision in the file: z within 0.0023). */
static void test_heterogeneity_truth(void **state) {
  (void)state;
  attrib_simulate_options o;
  attrib_simulate_options_init(&o);
  o.rows = 5000, o.seed = 4, o.heterogeneity = 0.5, o.effect = 2.0;
  attrib_table *t = read_sim(&o);
  attrib_simulate_truth *truth = NULL;
  attrib_error err;
  assert_status(attrib_simulate_truth_compute(&o, &truth, &err), ATTRIB_OK, &err);
  double s = 0.0, all = 0.0;
  size_t n1 = 0;
  for (long i = 0; i < 5000; i++) {
    double tau = 2.0 * (1.0 + 0.5 * (test_value(t, "engagement", i) - 50.0) / 22.4);
    all += tau;
    if (test_value(t, "trained", i) == 1.0) s += tau, n1++;
  }
  assert_true(fabs(truth->att - s / (double)n1) < 0.003);
  assert_true(fabs(truth->ate - all / 5000.0) < 0.003);
  assert_true(truth->att > truth->ate + 0.3);
  attrib_simulate_truth_free(truth);
  attrib_table_free(t);
}

/* One adoption date T/2 + 1; a pre-trend V shows as the treated-minus-never
 * gap growing by V a period before training. */
static void test_single_date_and_pretrend(void **state) {
  (void)state;
  attrib_simulate_options o;
  attrib_simulate_options_init(&o);
  o.design = ATTRIB_SIM_PANEL, o.adoption = ATTRIB_SIM_SINGLE, o.rows = 8000, o.seed = 2, o.pretrend = 0.5;
  attrib_simulate_truth *truth = NULL;
  attrib_error err;
  assert_status(attrib_simulate_truth_compute(&o, &truth, &err), ATTRIB_OK, &err);
  assert_int_equal(truth->n_groups, 1);
  assert_true(truth->group[0] == 5.0);
  /* ATT = effect x mean over t = 5..8 of (1 + 0.25 (t - 5)) = 2 x 1.375 */
  assert_rel_close(truth->att, 2.75, 1e-15, "single-date ATT");
  attrib_table *t = read_sim(&o);
  double sum[2][8] = {{0}}, cnt[2][8] = {{0}};
  for (long i = 0; i < (long)t->n_rows; i++) {
    double g = test_value(t, "cohort", i);
    assert_true(g == 0.0 || g == 5.0);
    int p = (int)test_value(t, "period", i) - 1, d = g > 0;
    sum[d][p] += test_value(t, "sales", i), cnt[d][p] += 1.0;
  }
  /* least-squares slope of the gap over the pre-periods 1..4 */
  double num = 0.0, den = 0.0;
  for (int p = 0; p < 4; p++) {
    double gap = sum[1][p] / cnt[1][p] - sum[0][p] / cnt[0][p];
    num += (p - 1.5) * gap, den += (p - 1.5) * (p - 1.5);
  }
  if (fabs(num / den - 0.5) > 0.15) fail_msg("pre-period slope of the gap %.3f, planted 0.5", num / den);
  attrib_simulate_truth_free(truth);
  attrib_table_free(t);
}

/* the true ROI: the ROI formula at the true ATT, the trained as learners */
static void test_truth_roi(void **state) {
  (void)state;
  attrib_simulate_options o;
  attrib_simulate_options_init(&o);
  o.rows = 1000, o.seed = 6, o.has_roi = 1;
  o.roi.value_per_unit = 100, o.roi.horizon = 12, o.roi.cost_per_learner = 1500;
  attrib_simulate_truth *truth = NULL;
  attrib_error err;
  assert_status(attrib_simulate_truth_compute(&o, &truth, &err), ATTRIB_OK, &err);
  double n1 = (double)truth->n_treated, b = 2.0 * 100 * 12 * n1, c = 1500 * n1;
  assert_true(truth->roi_learners == n1);
  assert_rel_close(truth->roi_pct, 100 * (b - c) / c, 1e-12, "true ROI");
  attrib_simulate_truth_free(truth);
}

static void test_bad_options(void **state) {
  (void)state;
  attrib_simulate_options o;
  attrib_simulate_options_init(&o);
  attrib_error err;
  attrib_error_clear(&err);
  o.rows = 1;
  assert_status(attrib_simulate_check(&o, &err), ATTRIB_EINVAL, &err);
  assert_non_null(strstr(err.message, "rows must be at least 2"));
  o.rows = 10;
  o.teams = 11;
  assert_status(attrib_simulate_check(&o, &err), ATTRIB_EINVAL, &err);
  o.teams = 0;
  o.design = ATTRIB_SIM_PANEL;
  o.periods = 3;
  assert_status(attrib_simulate_check(&o, &err), ATTRIB_EINVAL, &err);
  o.periods = 8;
  o.selection = 2;
  assert_status(attrib_simulate_check(&o, &err), ATTRIB_EINVAL, &err);
  assert_non_null(strstr(err.message, "selection applies to the cohort design"));
  o.selection = 1, o.design = ATTRIB_SIM_COHORT, o.pretrend = 0.1;
  assert_status(attrib_simulate_check(&o, &err), ATTRIB_EINVAL, &err);
  o.pretrend = 0, o.treated_share = 1.0;
  assert_status(attrib_simulate_check(&o, &err), ATTRIB_EINVAL, &err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_seed_same_bytes),
      cmocka_unit_test(test_cohort_shape_and_selection),
      cmocka_unit_test(test_panel_truth_matches_data),
      cmocka_unit_test(test_learner_streams),
      cmocka_unit_test(test_treated_share),
      cmocka_unit_test(test_heterogeneity_truth),
      cmocka_unit_test(test_single_date_and_pretrend),
      cmocka_unit_test(test_truth_roi),
      cmocka_unit_test(test_bad_options),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
