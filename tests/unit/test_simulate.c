/* Simulator: same seed, same bytes; the truth matches the data written;
 * selection on observables makes the naive comparison biased (by design). */
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
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_seed_same_bytes),
      cmocka_unit_test(test_cohort_shape_and_selection),
      cmocka_unit_test(test_panel_truth_matches_data),
      cmocka_unit_test(test_bad_options),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
