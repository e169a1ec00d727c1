/*
 * OLS against R (lm + sandwich, tests/reference/ols/make_ols_reference.R):
 * every vcov type, weights, one and two absorbed fixed effects, one- and
 * two-way clustering. Tolerance 1e-8 relative: R prints 15 significant
 * digits and both sides solve well-conditioned problems (cond ~1e3), so
 * agreement is limited by the printed digits, not by the algorithms.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define TOL 1e-8

typedef struct spec {
  const char *name, *formula, *weights;
} spec;

static const spec specs[] = {
    {"plain", "sales ~ trained + tenure + prior_perf + engagement + factor(role)", NULL},
    {"weighted", "sales ~ trained + tenure + prior_perf + engagement + factor(role)", "w"},
    {"fe_region", "sales ~ trained + tenure + prior_perf | region", NULL},
    {"fe_role_w", "sales ~ trained + tenure + prior_perf + engagement | role", "w"},
    {"fe_team_role", "sales ~ trained + tenure + prior_perf | team + role", NULL},
};

static long row_of(const attrib_table *t, const char *spec_name, const char *vcov, const char *term, size_t start) {
  const char *cols[3] = {"spec", "vcov", "term"}, *vals[3] = {spec_name, vcov, term};
  return test_find_row(t, cols, vals, term ? 3 : 2, start);
}

static void test_against_r(void **state) {
  (void)state;
  attrib_table *data = test_load("tests/reference/ols/ols_data.csv");
  attrib_table *ec = test_load("tests/reference/ols/ols_expected_coef.csv");
  attrib_table *es = test_load("tests/reference/ols/ols_expected_stats.csv");
  static const char *const vcovs[] = {"iid", "hc0", "hc1", "hc2", "hc3", "cluster", "cluster2"};
  size_t checked = 0;
  for (size_t si = 0; si < sizeof specs / sizeof *specs; si++) {
    for (size_t vi = 0; vi < sizeof vcovs / sizeof *vcovs; vi++) {
      const char *vname = vcovs[vi];
      long srow = row_of(es, specs[si].name, vname, NULL, 0);
      if (srow < 0) continue; /* R has no such reference (hc2/hc3 with two FE) */
      attrib_formula *f = NULL;
      attrib_design *d = NULL;
      attrib_ols_result *r = NULL;
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(attrib_formula_parse(specs[si].formula, &f, &err), ATTRIB_OK, &err);
      attrib_design_options dopt;
      attrib_design_options_init(&dopt);
      dopt.weights = specs[si].weights;
      const char *cl1[] = {"team", NULL}, *cl2[] = {"team", "month", NULL};
      if (strcmp(vname, "cluster") == 0) dopt.cluster = cl1;
      if (strcmp(vname, "cluster2") == 0) dopt.cluster = cl2;
      assert_status(attrib_design_build(data, f, &dopt, &d, &err), ATTRIB_OK, &err);
      attrib_ols_options o;
      attrib_ols_options_init(&o);
      if (strncmp(vname, "cluster", 7) == 0) o.vcov = ATTRIB_VCOV_CLUSTER;
      else assert_status(attrib_vcov_type_parse(vname, &o.vcov, &err), ATTRIB_OK, &err);
      assert_status(attrib_ols_fit(d, &o, &r, &err), ATTRIB_OK, &err);
      char label[160];
      snprintf(label, sizeof label, "%s/%s n", specs[si].name, vname);
      assert_rel_close((double)r->n_obs, test_value(es, "n", srow), 0, label);
      snprintf(label, sizeof label, "%s/%s df_resid", specs[si].name, vname);
      assert_rel_close(r->df_resid, test_value(es, "df_resid", srow), 0, label);
      snprintf(label, sizeof label, "%s/%s r_squared", specs[si].name, vname);
      assert_rel_close(r->r_squared, test_value(es, "r_squared", srow), TOL, label);
      snprintf(label, sizeof label, "%s/%s adj_r_squared", specs[si].name, vname);
      assert_rel_close(r->adj_r_squared, test_value(es, "adj_r_squared", srow), TOL, label);
      snprintf(label, sizeof label, "%s/%s sigma", specs[si].name, vname);
      assert_rel_close(r->sigma, test_value(es, "sigma", srow), TOL, label);
      snprintf(label, sizeof label, "%s/%s f_statistic", specs[si].name, vname);
      assert_rel_close(r->f_statistic, test_value(es, "f_statistic", srow), TOL, label);
      size_t nterms = 0;
      for (size_t j = 0; j < r->coef.k; j++) {
        long crow = row_of(ec, specs[si].name, vname, r->coef.term[j], 0);
        if (crow < 0) fail_msg("%s/%s: R has no term %s", specs[si].name, vname, r->coef.term[j]);
        snprintf(label, sizeof label, "%s/%s %s estimate", specs[si].name, vname, r->coef.term[j]);
        assert_rel_close(r->coef.estimate[j], test_value(ec, "estimate", crow), TOL, label);
        snprintf(label, sizeof label, "%s/%s %s std_error", specs[si].name, vname, r->coef.term[j]);
        assert_rel_close(r->coef.std_error[j], test_value(ec, "std_error", crow), TOL, label);
        nterms++;
        checked++;
      }
      /* every R term was matched */
      size_t rterms = 0;
      for (long row = row_of(ec, specs[si].name, vname, NULL, 0); row >= 0;
           row = row_of(ec, specs[si].name, vname, NULL, (size_t)row + 1))
        rterms++;
      assert_int_equal(nterms, rterms);
      attrib_ols_result_free(r);
      attrib_design_free(d);
      attrib_formula_free(f);
    }
  }
  print_message("  %zu coefficient/vcov pairs checked against R\n", checked);
  assert_true(checked > 150);
  attrib_table_free(data);
  attrib_table_free(ec);
  attrib_table_free(es);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_r)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
