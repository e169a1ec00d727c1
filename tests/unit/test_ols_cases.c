/* OLS: degenerate designs get a diagnosis; known truth is recovered;
 * absorbing fixed effects equals estimating their dummies. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

typedef struct fit {
  attrib_formula *f;
  attrib_design *d;
  attrib_ols_result *r;
  attrib_status s;
  attrib_error err;
} fit;

static fit run(const attrib_table *t, const char *formula, const char *const *cluster, const attrib_ols_options *o) {
  fit x;
  memset(&x, 0, sizeof x);
  attrib_error_clear(&x.err);
  if (attrib_formula_parse(formula, &x.f, &x.err) != ATTRIB_OK) fail_msg("%s", x.err.message);
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = cluster;
  x.s = attrib_design_build(t, x.f, &dopt, &x.d, &x.err);
  if (x.s == ATTRIB_OK) x.s = attrib_ols_fit(x.d, o, &x.r, &x.err);
  return x;
}

static void done(fit *x) {
  attrib_ols_result_free(x->r);
  attrib_design_free(x->d);
  attrib_formula_free(x->f);
}

static const char *small =
    "y,a,b,k,g,h,na\n"
    "1.5,0.3,2.1,5,A,u,NA\n2.7,1.1,0.4,5,A,v,NA\n3.1,2.3,1.9,5,B,u,NA\n4.6,2.9,3.3,5,B,v,NA\n"
    "5.2,4.2,0.7,5,C,u,NA\n6.9,5.1,2.8,5,C,v,NA\n7.3,5.8,1.2,5,D,u,NA\n8.8,7.4,3.9,5,D,v,NA\n";

static void test_degenerate(void **state) {
  (void)state;
  attrib_table *t = test_table(small);
  attrib_ols_options o;
  attrib_ols_options_init(&o);

  fit x = run(t, "y ~ a + na", NULL, &o); /* all-NA column */
  assert_int_equal(x.s, ATTRIB_ENODATA);
  assert_non_null(strstr(x.err.message, "8 of 8 rows have a missing value"));
  done(&x);

  x = run(t, "y ~ a + k + b", NULL, &o); /* constant regressor: dropped and named */
  assert_status(x.s, ATTRIB_OK, &x.err);
  assert_int_equal(x.r->n_aliased, 1);
  assert_string_equal(x.r->aliased_names[0], "k");
  assert_true(isnan(x.r->coef.estimate[2]) && x.r->coef.aliased[2]);
  assert_rel_close(x.r->df_resid, 5, 0, "df with one aliased column");
  done(&x);

  /* more columns than rows: 8 rows, 12 coefficients */
  x = run(t, "y ~ a * factor(g) * factor(h)", NULL, &o);
  assert_int_equal(x.s, ATTRIB_EDESIGN);
  assert_non_null(strstr(x.err.message, "no residual degrees of freedom"));
  done(&x);

  const char *one[] = {"k", NULL}; /* one cluster */
  o.vcov = ATTRIB_VCOV_CLUSTER;
  x = run(t, "y ~ a", one, &o);
  assert_int_equal(x.s, ATTRIB_EDESIGN);
  assert_non_null(strstr(x.err.message, "one cluster in 'k'"));
  done(&x);

  x = run(t, "y ~ a", NULL, &o); /* cluster vcov without a cluster column */
  assert_int_equal(x.s, ATTRIB_EINVAL);
  assert_non_null(strstr(x.err.message, "needs a cluster column"));
  done(&x);

  attrib_ols_options_init(&o);
  o.treat = "trained";
  x = run(t, "y ~ a", NULL, &o);
  assert_int_equal(x.s, ATTRIB_EDESIGN);
  assert_non_null(strstr(x.err.message, "'trained' is not a coefficient"));
  done(&x);

  o.treat = "k";
  x = run(t, "y ~ a + k", NULL, &o);
  assert_int_equal(x.s, ATTRIB_ECOLLINEAR);
  done(&x);

  /* a regressor constant within every fixed-effect level is absorbed */
  attrib_ols_options_init(&o);
  attrib_table *t2 = test_table("y,x,z,g\n1.2,1,0.5,A\n2.5,1,1.5,A\n2.9,2,0.2,B\n4.1,2,2.5,B\n5.3,3,1.1,C\n6.2,3,0.3,C\n");
  x = run(t2, "y ~ x + z | g", NULL, &o);
  assert_status(x.s, ATTRIB_OK, &x.err);
  assert_int_equal(x.r->n_aliased, 1);
  assert_string_equal(x.r->aliased_names[0], "x");
  done(&x);
  x = run(t2, "y ~ x | g", NULL, &o);
  assert_int_equal(x.s, ATTRIB_ECOLLINEAR);
  done(&x);

  /* HC3 with a row of leverage 1 */
  attrib_table *t3 = test_table("y,a,d\n1.5,0.3,0\n2.7,1.1,0\n3.1,2.3,0\n4.6,2.9,1\n5.2,4.2,0\n");
  o.vcov = ATTRIB_VCOV_HC3;
  x = run(t3, "y ~ a + d", NULL, &o);
  assert_int_equal(x.s, ATTRIB_EDESIGN);
  assert_non_null(strstr(x.err.message, "leverage 1"));
  done(&x);
  attrib_table_free(t);
  attrib_table_free(t2);
  attrib_table_free(t3);
}

/* Known truth: on simulated learners with selection on observables, the
 * adjusted regression recovers the planted effect and the naive one does
 * not. One draw of a 95% interval misses 5% of the time by design, so the
 * check is |estimate - truth| < 4 SE (a false alarm once in 16,000 seeds);
 * over seeds 1-8 the adjusted estimates average 2.45 for a truth of 2.5
 * (SE 0.15 each), and R's lm gives the same numbers to 6 digits. */
static void test_recovers_planted_effect(void **state) {
  (void)state;
  attrib_table *t = test_simulated(20000, 99, 2.5, 0);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.vcov = ATTRIB_VCOV_CLUSTER;
  o.treat = "trained";
  const char *cl[] = {"team", NULL};
  fit adj = run(t,
                "sales ~ trained + prior_perf + engagement + tenure + calls_per_week + quota + factor(role) | region",
                cl, &o);
  assert_status(adj.s, ATTRIB_OK, &adj.err);
  if (!(fabs(adj.r->effect.estimate - 2.5) < 4.0 * adj.r->effect.std_error))
    fail_msg("adjusted estimate %g (SE %g) is more than 4 SE from 2.5", adj.r->effect.estimate,
             adj.r->effect.std_error);
  fit naive = run(t, "sales ~ trained", cl, &o);
  assert_status(naive.s, ATTRIB_OK, &naive.err);
  if (!(naive.r->effect.estimate - 2.5 > 4.0 * naive.r->effect.std_error))
    fail_msg("naive estimate %g (SE %g) is within 4 SE of 2.5: the DGP lost its selection",
             naive.r->effect.estimate, naive.r->effect.std_error);
  done(&adj);
  done(&naive);
  attrib_table_free(t);
}

/* Frisch-Waugh-Lovell: absorbing two fixed effects gives the coefficients,
 * iid SEs and df of estimating all their dummies (an unbalanced panel, so
 * the alternating projections need many sweeps). */
static void test_absorbing_equals_dummies(void **state) {
  (void)state;
  size_t n = 0;
  char *csv = malloc(200000);
  n += (size_t)sprintf(csv, "y,x1,x2,u,p\n");
  unsigned long long s = 12345;
  for (int u = 0; u < 60; u++)
    for (int p = 0; p < 9; p++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      if ((s >> 33) % 5 == 0) continue; /* unbalanced */
      double e1 = (double)((s >> 20) % 1000) / 1000.0, e2 = (double)((s >> 40) % 1000) / 1000.0;
      double x1 = 0.3 * u + e1, x2 = sin(p + u) + e2;
      double y = 1.5 * x1 - 0.7 * x2 + 0.2 * u - 0.1 * p * p + e1 * e2;
      n += (size_t)sprintf(csv + n, "%.6f,%.6f,%.6f,%d,%d\n", y, x1, x2, u, p);
    }
  attrib_csv_options co;
  attrib_csv_options_init(&co);
  attrib_table *t = NULL;
  assert_status(attrib_table_read_csv_buffer(csv, n, "panel.csv", &co, &t, NULL), ATTRIB_OK, NULL);
  free(csv);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.drop_singletons = 0;
  fit a = run(t, "y ~ x1 + x2 | u + p", NULL, &o);
  fit b = run(t, "y ~ x1 + x2 + factor(u) + factor(p)", NULL, &o);
  assert_status(a.s, ATTRIB_OK, &a.err);
  assert_status(b.s, ATTRIB_OK, &b.err);
  assert_true(a.r->fe_iterations > 2);
  assert_rel_close(a.r->df_resid, b.r->df_resid, 0, "df");
  for (size_t j = 0; j < 2; j++) {
    assert_rel_close(a.r->coef.estimate[j], b.r->coef.estimate[j + 1], 1e-9, "coefficient");
    assert_rel_close(a.r->coef.std_error[j], b.r->coef.std_error[j + 1], 1e-9, "std_error");
  }
  assert_rel_close(a.r->r_squared, b.r->r_squared, 1e-9, "r_squared");
  done(&a);
  done(&b);
  /* an iteration cap too small is reported, not hidden */
  o.fe_max_iter = 2;
  a = run(t, "y ~ x1 + x2 | u + p", NULL, &o);
  assert_status(a.s, ATTRIB_OK, &a.err);
  assert_false(a.r->fe_converged);
  assert_int_equal(a.r->n_warnings, 1);
  assert_non_null(strstr(a.r->warnings[0], "did not converge"));
  done(&a);
  attrib_table_free(t);
}

static void test_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_table(small);
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  assert_status(attrib_formula_parse("y ~ a + b + k | g + h", &f, NULL), ATTRIB_OK, NULL);
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  const char *cl[] = {"g", "h", NULL};
  dopt.cluster = cl;
  assert_status(attrib_design_build(t, f, &dopt, &d, NULL), ATTRIB_OK, NULL);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.vcov = ATTRIB_VCOV_CLUSTER;
  o.drop_singletons = 0;
  int succeeded = 0;
  for (long k = 1; k < 2000 && !succeeded; k++) {
    attrib_ols_result *r = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_ols_fit(d, &o, &r, NULL);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      succeeded = 1;
      attrib_ols_result_free(r);
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(r);
    }
  }
  assert_true(succeeded);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
}

/* Row chunks are merged in a fixed order: 1 and 2 threads give the same
 * bits (200,000 rows = 3 chunks). */
static void test_threads_bit_identical(void **state) {
  (void)state;
  attrib_table *t = test_simulated(200000, 3, 2.0, 0);
  const char *cl[] = {"team", NULL};
  attrib_ols_result *r[2] = {NULL, NULL};
  for (int th = 0; th < 2; th++) {
    attrib_ols_options o;
    attrib_ols_options_init(&o);
    o.vcov = ATTRIB_VCOV_CLUSTER;
    o.threads = (size_t)th + 1;
    fit x = run(t, "sales ~ trained + prior_perf + engagement + tenure + factor(role) + factor(region)", cl, &o);
    assert_status(x.s, ATTRIB_OK, &x.err);
    r[th] = x.r;
    x.r = NULL;
    done(&x);
  }
  assert_memory_equal(r[0]->coef.estimate, r[1]->coef.estimate, r[0]->coef.k * sizeof(double));
  assert_memory_equal(r[0]->coef.std_error, r[1]->coef.std_error, r[0]->coef.k * sizeof(double));
  attrib_ols_result_free(r[0]);
  attrib_ols_result_free(r[1]);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_degenerate),
      cmocka_unit_test(test_recovers_planted_effect),
      cmocka_unit_test(test_absorbing_equals_dummies),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_threads_bit_identical),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
