/*
 * The subgroup and several-outcome paths of roi --from (issue 18):
 * attrib_roi_read_effect on a fit with by (each group's level, counts and
 * effect read; the fit's level and df), on a several-outcome file (the
 * outcome named, or the refusal naming the outcomes: the file's top-level
 * effect is the first outcome's and must not be taken unasked), and
 * attrib_roi_by_compute against closed forms: learners split by treated
 * counts (else sizes), the SE from the interval's half-width / z, the
 * per-level value per unit, unknown and repeated levels refused; and the
 * allocation-failure sweep of both.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

static const double Z975 = 1.959963984540054;

static char *write_temp(const char *content) {
  char *path = strdup("/tmp/attrib_roi_by_XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  size_t len = strlen(content);
  assert_int_equal(write(fd, content, len), (ssize_t)len);
  close(fd);
  return path;
}

/* an ols fit with by (the shape report_by.c writes; numbers chosen here) */
static const char by_json[] =
    "{\"command\": \"ols\", \"response\": \"sales\", \"level\": 0.9,"
    " \"effect\": {\"term\": \"trained\", \"estimate\": 3.0, \"std_error\": 0.5, \"ci_low\": 2.1, \"ci_high\": 3.9},"
    " \"by\": {\"column\": \"role\", \"joint\": \"x\", \"n_missing\": 0, \"df\": 120,"
    "  \"groups\": ["
    "   {\"level\": \"A\", \"n\": 60, \"n_treated\": 30, \"n_control\": 30,"
    "    \"effect\": {\"term\": \"trained\", \"estimate\": 2.0, \"std_error\": 0.8, \"ci_low\": 0.6, \"ci_high\": 3.4}},"
    "   {\"level\": \"B\", \"n\": 40, \"n_treated\": 10, \"n_control\": 30,"
    "    \"effect\": {\"term\": \"trained\", \"estimate\": 5.0, \"std_error\": 1.0, \"ci_low\": null, \"ci_high\": null}}],"
    "  \"equality_test\": {}, \"differences\": []}}";

static const char outcomes_json[] =
    "{\"command\": \"psm\", \"effect\": {\"estimate\": 4.5, \"std_error\": 0.4},"
    " \"outcomes\": ["
    "  {\"outcome\": \"sales\", \"effect\": {\"estimate\": 4.5, \"std_error\": 0.4}},"
    "  {\"outcome\": \"churned\", \"effect\": {\"estimate\": -0.08, \"std_error\": 0.015}}]}";

static void test_read_by(void **state) {
  (void)state;
  char *path = write_temp(by_json);
  attrib_roi_effect_file f;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_roi_read_effect(path, NULL, &f, &err), ATTRIB_OK, &err);
  assert_true(f.effect == 3.0 && f.se == 0.5);
  assert_null(f.outcome);
  assert_non_null(f.by);
  assert_string_equal(f.by->column, "role");
  assert_int_equal(f.by->n_groups, 2);
  assert_true(f.by->level == 0.9 && f.by->df == 120);
  assert_string_equal(f.by->groups[0].level, "A");
  assert_int_equal(f.by->groups[0].n, 60);
  assert_int_equal(f.by->groups[0].n_treated, 30);
  assert_int_equal(f.by->groups[1].n_treated, 10);
  assert_true(f.by->groups[0].effect.estimate == 2.0 && f.by->groups[0].effect.ci_high == 3.4);
  assert_true(isnan(f.by->groups[1].effect.ci_low)); /* null: no interval */
  attrib_roi_effect_file_free(&f);
  attrib_roi_effect_file_free(&f); /* twice: a no-op */
  /* --outcome on a one-outcome file: its own outcome only */
  assert_status(attrib_roi_read_effect(path, "sales", &f, &err), ATTRIB_OK, &err);
  attrib_roi_effect_file_free(&f);
  assert_int_equal(attrib_roi_read_effect(path, "churned", &f, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "one outcome (sales)"));
  unlink(path), free(path);
  /* a group without its estimate: refused, naming the group */
  char *bad = strdup(by_json), *at = strstr(bad, "\"estimate\": 5.0");
  memcpy(at, "\"estimata\"", 10);
  path = write_temp(bad);
  assert_int_equal(attrib_roi_read_effect(path, NULL, &f, &err), ATTRIB_EPARSE);
  assert_non_null(strstr(err.message, "by.groups[1]"));
  assert_null(f.by);
  unlink(path), free(path), free(bad);
}

static void test_read_outcomes(void **state) {
  (void)state;
  char *path = write_temp(outcomes_json);
  attrib_roi_effect_file f;
  attrib_error err;
  attrib_error_clear(&err);
  /* not the top-level effect (the first outcome's) unasked */
  assert_int_equal(attrib_roi_read_effect(path, NULL, &f, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "2 outcomes (sales, churned)"));
  assert_non_null(strstr(err.message, "roi.outcome"));
  assert_int_equal(attrib_roi_read_effect(path, "churn", &f, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "no outcome 'churn' (its outcomes: sales, churned)"));
  assert_status(attrib_roi_read_effect(path, "churned", &f, &err), ATTRIB_OK, &err);
  assert_true(f.effect == -0.08 && f.se == 0.015);
  assert_string_equal(f.outcome, "churned");
  assert_non_null(strstr(f.source, "churned"));
  assert_null(f.by);
  attrib_roi_effect_file_free(&f);
  unlink(path), free(path);
  /* a single entry is taken without a name */
  path = write_temp("{\"outcomes\": [{\"outcome\": \"y\", \"effect\": {\"estimate\": 1.5}}]}");
  assert_status(attrib_roi_read_effect(path, NULL, &f, &err), ATTRIB_OK, &err);
  assert_true(f.effect == 1.5 && isnan(f.se));
  attrib_roi_effect_file_free(&f);
  unlink(path), free(path);
}

static void test_by_compute(void **state) {
  (void)state;
  char *path = write_temp(by_json);
  attrib_roi_effect_file f;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_roi_read_effect(path, NULL, &f, &err), ATTRIB_OK, &err);
  attrib_roi_input in;
  attrib_roi_input_init(&in);
  in.learners = 200, in.value_per_unit = 10, in.cost_per_learner = 5, in.has_effect = 1, in.effect = 3, in.se = 0.5;
  attrib_roi_line cost = {"platform", 1000, 0};
  in.costs = &cost, in.n_costs = 1;
  attrib_roi_level_value vals[1] = {{"B", 25}};
  double learners[2], value[2];
  attrib_roi_result *roi[2];
  assert_status(attrib_roi_by_compute(&in, f.by, vals, 1, learners, value, roi, &err), ATTRIB_OK, &err);
  /* learners by treated counts: 200 x 30/40 and 200 x 10/40 */
  assert_true(learners[0] == 150 && learners[1] == 50);
  assert_true(value[0] == 10 && value[1] == 25);
  /* A: ROI = (2 x 150 x 10 - (1000 + 150 x 5)) / (1000 + 750) */
  double c0 = 1000 + 150 * 5.0, c1 = 1000 + 50 * 5.0;
  assert_rel_close(roi[0]->roi_pct, 100 * (2.0 * 150 * 10 - c0) / c0, 1e-12, "ROI by");
  assert_rel_close(roi[1]->roi_pct, 100 * (5.0 * 50 * 25 - c1) / c1, 1e-12, "ROI by");
  /* A's SE is its interval's half-width / z at the fit's level (0.9): 1.4 / z(0.95 quantile) */
  double z = 1.6448536269514722, se0 = 1.4 / z;
  assert_rel_close(roi[0]->effect_se_used, se0, 1e-12, "ROI by");
  assert_rel_close(roi[0]->roi_ci_low_pct, 100 * ((2.0 - Z975 * se0) * 1500 - c0) / c0, 1e-10, "ROI by");
  /* B has no interval: its std_error */
  assert_rel_close(roi[1]->effect_se_used, 1.0, 1e-15, "ROI by");
  for (int g = 0; g < 2; g++) attrib_roi_result_free(roi[g]);
  /* without treated counts the split is by size: 200 x 60/100, 200 x 40/100 */
  f.by->groups[0].n_treated = f.by->groups[1].n_treated = 0;
  assert_status(attrib_roi_by_compute(&in, f.by, NULL, 0, learners, NULL, roi, &err), ATTRIB_OK, &err);
  assert_true(learners[0] == 120 && learners[1] == 80);
  assert_true(roi[1]->benefit_effect == 5.0 * 80 * 10);
  for (int g = 0; g < 2; g++) attrib_roi_result_free(roi[g]);
  /* unknown, repeated and out-of-domain levels */
  attrib_roi_level_value unknown[1] = {{"C", 5}}, twice[2] = {{"A", 5}, {"A", 6}}, nan_v[1] = {{"A", NAN}};
  assert_int_equal(attrib_roi_by_compute(&in, f.by, unknown, 1, learners, NULL, roi, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "'C' is not a level of role (its levels: A, B)"));
  assert_null(roi[0]);
  assert_int_equal(attrib_roi_by_compute(&in, f.by, twice, 2, learners, NULL, roi, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "given twice"));
  assert_int_equal(attrib_roi_by_compute(&in, f.by, nan_v, 1, learners, NULL, roi, &err), ATTRIB_EINVAL);
  attrib_roi_effect_file_free(&f);
  unlink(path), free(path);
}

static void test_oom(void **state) {
  (void)state;
  char *path = write_temp(by_json);
  size_t failures = 0;
  for (long k = 1; k < 200; k++) {
    attrib_roi_effect_file f;
    attrib_error err;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_roi_read_effect(path, NULL, &f, &err);
    attrib_roi_input in;
    attrib_roi_input_init(&in);
    in.learners = 100, in.cost_per_learner = 1;
    double learners[2];
    attrib_roi_result *roi[2];
    if (s == ATTRIB_OK) s = attrib_roi_by_compute(&in, f.by, NULL, 0, learners, NULL, roi, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      for (int g = 0; g < 2; g++) attrib_roi_result_free(roi[g]);
      attrib_roi_effect_file_free(&f);
      break;
    }
    /* jansson's own allocations do not go through attrib's allocator */
    assert_int_equal(s, ATTRIB_ENOMEM);
    attrib_roi_effect_file_free(&f);
    failures++;
  }
  assert_true(failures > 3);
  unlink(path), free(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_read_by),
      cmocka_unit_test(test_read_outcomes),
      cmocka_unit_test(test_by_compute),
      cmocka_unit_test(test_oom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
