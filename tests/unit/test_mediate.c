/*
 * attrib mediate (src/mediation) against numbers not produced by it:
 *  - a six-row data set worked by hand (exact fractions, below);
 *  - base R's lm() and the formulas written out
 *    (tests/reference/mediation/make_mediation_reference.R): every point
 *    estimate, coefficient, SE, residual SD, R2 and sensitivity figure to
 *    1e-10 relative, for three specifications (no covariates; x1 +
 *    factor(role); and with the treatment x mediator interaction), on data
 *    with missing values;
 *  - the quasi-Bayesian draws' mean and SD against their analytic values
 *    (the ACME(t) draw is a product of independent normals, whose mean and
 *    variance are exact) within Monte Carlo error;
 *  - identical results on 1 and 3 threads, for both interval methods;
 *  - the refusals (treatment not 0/1, a constant mediator, collinear
 *    columns, a missing column, one arm) and out-of-memory at every
 *    allocation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "test_support.h"

static attrib_mediate_result *run(const attrib_table *t, const attrib_mediate_options *o) {
  attrib_mediate_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_mediate_fit(t, o, &r, &err), ATTRIB_OK, &err);
  return r;
}

static void opts(attrib_mediate_options *o, const char *covs, int inter) {
  attrib_mediate_options_init(o);
  o->treat = "t", o->mediator = "m", o->outcome = "y", o->covariates = covs, o->interaction = inter;
}

/*
 * By hand: T = 0 0 0 1 1 1, M = 1 2 3 3 4 6, Y = 2 3 5 6 6 9.
 *   a = mean(M | T=1) - mean(M | T=0) = 13/3 - 2 = 7/3.
 *   Within-arm deviations: M -1 0 1 | -4/3 -1/3 5/3; Y -4/3 -1/3 5/3 | -1 -1 2.
 *   b = sum(dM dY) / sum(dM^2) = 8 / (20/3) = 6/5 (Frisch-Waugh-Lovell).
 *   c = (7 - 10/3) - b a = 11/3 - 14/5 = 13/15.
 *   ACME = ab = 14/5; total = 11/3 (the difference in mean Y); prop = 42/55.
 *   rho_at_zero = corr(dM, dY) = 8 / sqrt(20/3 x 32/3) = 3 / sqrt(10).
 *   ACME(rho) = a (s1/s2)(rt - rho sqrt((1 - rt^2)/(1 - rho^2))), s1/s2 =
 *   sqrt((32/3)/(20/3)) = sqrt(8/5): at rho = 0.5, 7/3 sqrt(8/5) (3/sqrt(10)
 *   - 0.5 sqrt(0.1/0.75)).
 * With the interaction, the same fit adds g; checked against R below.
 */
static void test_hand(void **state) {
  (void)state;
  attrib_table *t = test_table("t,m,y\n0,1,2\n0,2,3\n0,3,5\n1,3,6\n1,4,6\n1,6,9\n");
  attrib_mediate_options o;
  opts(&o, NULL, 0);
  o.sims = 50;
  attrib_mediate_result *r = run(t, &o);
  assert_int_equal(r->n, 6);
  assert_int_equal(r->n_treated, 3);
  assert_rel_close(r->med_treat.estimate, 7.0 / 3.0, 1e-13, "a");
  assert_rel_close(r->out_mediator.estimate, 6.0 / 5.0, 1e-13, "b");
  assert_rel_close(r->out_treat.estimate, 13.0 / 15.0, 1e-13, "c");
  assert_rel_close(r->effects[ATTRIB_MEDIATE_ACME].estimate, 14.0 / 5.0, 1e-13, "acme");
  assert_rel_close(r->effects[ATTRIB_MEDIATE_ACME_TREATED].estimate, 14.0 / 5.0, 1e-13, "acme1");
  assert_rel_close(r->effects[ATTRIB_MEDIATE_ADE].estimate, 13.0 / 15.0, 1e-13, "ade");
  assert_rel_close(r->effects[ATTRIB_MEDIATE_TOTAL].estimate, 11.0 / 3.0, 1e-13, "total");
  assert_rel_close(r->effects[ATTRIB_MEDIATE_PROP].estimate, 42.0 / 55.0, 1e-13, "prop");
  assert_rel_close(r->rho_at_zero, 3.0 / sqrt(10.0), 1e-13, "rho_at_zero");
  assert_rel_close(r->r2_star_prod_at_zero, 0.9, 1e-13, "rt^2");
  assert_int_equal(r->n_sensitivity, 19);
  assert_rel_close(r->sens_rho[14], 0.5, 1e-15, "grid");
  assert_rel_close(r->sens_acme[14], 7.0 / 3.0 * sqrt(8.0 / 5.0) * (3.0 / sqrt(10.0) - 0.5 * sqrt(0.1 / 0.75)), 1e-13,
                   "acme(0.5)");
  assert_rel_close(r->sens_acme[9], 14.0 / 5.0, 1e-13, "acme(0) = ab");
  attrib_mediate_result_free(r);
  attrib_table_free(t);
}

static double want(const attrib_table *w, const char *spec, const char *q) {
  const char *cols[2] = {"spec", "quantity"}, *vals[2] = {spec, q};
  long row = test_find_row(w, cols, vals, 2, 0);
  if (row < 0) fail_msg("no reference %s %s", spec, q);
  return test_value(w, "value", row);
}

static const char *const qnames[ATTRIB_MEDIATE_N_QUANTITIES] = {
    "acme", "acme_treated", "acme_control", "ade", "ade_treated", "ade_control",
    "total_effect", "prop_mediated", "prop_mediated_treated", "prop_mediated_control"};

static double worst_rel; /* the largest relative error seen against R, printed */

static void check_spec(const attrib_table *d, const attrib_table *w, const char *spec, const char *covs, int inter) {
  attrib_mediate_options o;
  opts(&o, covs, inter);
  o.sims = 50;
  attrib_mediate_result *r = run(d, &o);
  char label[120];
#define CHECK(got, q)                                                     \
  do {                                                                    \
    snprintf(label, sizeof label, "%s %s", spec, q);                      \
    double w_ = want(w, spec, q);                                         \
    assert_rel_close((got), w_, 1e-10, label);                            \
    if (w_ != 0) worst_rel = fmax(worst_rel, fabs((got) - w_) / fabs(w_)); \
  } while (0)
  CHECK((double)r->n, "n");
  for (size_t k = 0; k < ATTRIB_MEDIATE_N_QUANTITIES; k++) CHECK(r->effects[k].estimate, qnames[k]);
  CHECK(r->med_treat.estimate, "med_treat");
  CHECK(r->med_treat.std_error, "med_treat_se");
  CHECK(r->out_treat.estimate, "out_treat");
  CHECK(r->out_treat.std_error, "out_treat_se");
  CHECK(r->out_mediator.estimate, "out_mediator");
  CHECK(r->out_mediator.std_error, "out_mediator_se");
  CHECK(r->med_mean_control, "med_mean_control");
  CHECK(r->med_sigma, "med_sigma");
  CHECK(r->out_sigma, "out_sigma");
  CHECK(r->med_r2, "med_r2");
  CHECK(r->out_r2, "out_r2");
  if (inter) {
    CHECK(r->out_interaction.estimate, "out_interaction");
    CHECK(r->out_interaction.std_error, "out_interaction_se");
    assert_true(isnan(r->rho_at_zero));
    assert_int_equal(r->n_sensitivity, 0);
  } else {
    CHECK(r->effects[ATTRIB_MEDIATE_TOTAL].estimate, "reduced_form_treat");
    CHECK(r->rho_at_zero, "rho_at_zero");
    CHECK(r->rho_at_zero, "rho_at_zero_uniroot");
    CHECK(r->r2_star_prod_at_zero, "r2_star_prod_at_zero");
    CHECK(r->r2_tilde_prod_at_zero, "r2_tilde_prod_at_zero");
    static const size_t at[] = {0, 4, 9, 12, 18};
    static const char *const names[] = {"sens_acme_-0.9", "sens_acme_-0.5", "sens_acme_+0.0", "sens_acme_+0.3",
                                        "sens_acme_+0.9"};
    for (size_t i = 0; i < 5; i++) CHECK(r->sens_acme[at[i]], names[i]);
  }
#undef CHECK
  attrib_mediate_result_free(r);
}

static void test_r_reference(void **state) {
  (void)state;
  attrib_table *d = test_load("tests/reference/mediation/mediation_data.csv");
  attrib_table *w = test_load("tests/reference/mediation/mediation_expected.csv");
  check_spec(d, w, "plain", NULL, 0);
  check_spec(d, w, "cov", "x1 + factor(role)", 0);
  check_spec(d, w, "inter", "x1 + factor(role)", 1);
  printf("mediate vs R lm + formulas: worst relative error %.3g\n", worst_rel);
  attrib_table_free(d);
  attrib_table_free(w);
}

/*
 * The quasi-Bayesian draws against their analytic moments: with S draws the
 * mean is within 4 Monte Carlo SEs (sd / sqrt(S)) and the SD within 4 SEs of
 * an SD, sd sqrt((kurtosis - 1) / (4 S)); the ACME draw a* b* is a product
 * of normals whose kurtosis stays under 9 here (a / SE(a) > 4), so the bound
 * uses 9: 4 sqrt(8 / (4 S)) = 4% at S = 20000 (the normal ADE draw's,
 * kurtosis 3: 4 sqrt(2 / (4 S)) = 2%).
 */
static void check_draws(const attrib_table *d, const attrib_table *w, const char *spec, const char *covs, int inter) {
  attrib_mediate_options o;
  opts(&o, covs, inter);
  o.sims = 20000, o.seed = 3;
  attrib_mediate_result *r = run(d, &o);
  double S = (double)o.sims;
  char label[120];
  for (int tt = 0; tt < 2; tt++) {
    const attrib_mediate_effect *e = &r->effects[tt ? ATTRIB_MEDIATE_ACME_TREATED : ATTRIB_MEDIATE_ACME_CONTROL];
    char q[32];
    snprintf(q, sizeof q, "qb_acme%d_mean", tt);
    double mean = want(w, spec, q);
    snprintf(q, sizeof q, "qb_acme%d_sd", tt);
    double sd = want(w, spec, q);
    snprintf(label, sizeof label, "%s acme%d: mean %.6g vs %.6g, sd %.6g vs %.6g", spec, tt, e->mean_of_draws, mean,
             e->std_error, sd);
    printf("%s: mean off by %.2f MC SEs, sd ratio %.4f\n", label, (e->mean_of_draws - mean) / (sd / sqrt(S)),
           e->std_error / sd);
    if (fabs(e->mean_of_draws - mean) > 4 * sd / sqrt(S)) fail_msg("mean: %s", label);
    if (fabs(e->std_error / sd - 1) > 4 * sqrt(8.0 / (4 * S))) fail_msg("sd: %s", label);
  }
  if (!inter) { /* the ADE draw is c* itself: normal */
    const attrib_mediate_effect *e = &r->effects[ATTRIB_MEDIATE_ADE];
    double mean = want(w, spec, "qb_ade_mean"), sd = want(w, spec, "qb_ade_sd");
    if (fabs(e->mean_of_draws - mean) > 4 * sd / sqrt(S)) fail_msg("%s ade mean %.6g vs %.6g", spec, e->mean_of_draws, mean);
    if (fabs(e->std_error / sd - 1) > 4 * sqrt(2.0 / (4 * S))) fail_msg("%s ade sd %.6g vs %.6g", spec, e->std_error, sd);
    /* and the normal's 95% interval: mean +- 1.96 sd, within 4 SEs of a quantile (about 3.4 sd / sqrt(S)) */
    if (fabs(e->ci_low - (mean - 1.959964 * sd)) > 4 * 3.4 * sd / sqrt(S)) fail_msg("%s ade ci_low", spec);
    if (fabs(e->ci_high - (mean + 1.959964 * sd)) > 4 * 3.4 * sd / sqrt(S)) fail_msg("%s ade ci_high", spec);
  }
  attrib_mediate_result_free(r);
}

static void test_quasi_bayes_moments(void **state) {
  (void)state;
  attrib_table *d = test_load("tests/reference/mediation/mediation_data.csv");
  attrib_table *w = test_load("tests/reference/mediation/mediation_expected.csv");
  check_draws(d, w, "plain", NULL, 0);
  check_draws(d, w, "cov", "x1 + factor(role)", 0);
  check_draws(d, w, "inter", "x1 + factor(role)", 1);
  attrib_table_free(d);
  attrib_table_free(w);
}

/*
 * What rho means: data with sequential ignorability violated by a known
 * amount. M = 0.5 T + e2, Y = 0.3 T + 0.8 M + e3 with corr(e2, e3) = 0.4:
 * the true ACME is 0.4, but the fits see 0.8 + cov(e2, e3) / var(e2) = 1.2
 * as M's coefficient, so the naive ACME is 0.6. The sensitivity curve at
 * rho = 0.4 must give back the truth (Imai, Keele & Yamamoto 2010: ACME(rho)
 * is the ACME were the errors correlated rho). 100,000 rows; the estimate's
 * SE is about 0.005, the tolerance 0.02.
 */
static void test_rho_recovers_truth(void **state) {
  (void)state;
  size_t n = 100000;
  char *csv = malloc(n * 64 + 16);
  assert_non_null(csv);
  size_t len = (size_t)sprintf(csv, "t,m,y\n");
  attrib__rng g;
  attrib__rng_init(&g, 42, ATTRIB__RNG_SIM_LEARNER, 0);
  for (size_t i = 0; i < n; i++) {
    int t = (int)(i % 2);
    double z2 = attrib__rng_next_normal(&g), z3 = attrib__rng_next_normal(&g);
    double e2 = z2, e3 = 0.4 * z2 + sqrt(1 - 0.16) * z3;
    double m = 0.5 * t + e2, y = 0.3 * t + 0.8 * m + e3;
    len += (size_t)sprintf(csv + len, "%d,%.10g,%.10g\n", t, m, y);
  }
  attrib_table *d = test_table(csv);
  free(csv);
  attrib_mediate_options o;
  opts(&o, NULL, 0);
  o.sims = 10;
  attrib_mediate_result *r = run(d, &o);
  double naive = r->effects[ATTRIB_MEDIATE_ACME].estimate, at = r->sens_acme[13];
  printf("rho = 0.4 planted: naive ACME %.4f (fits' bias: 0.6), ACME(rho = %.1f) %.4f (truth 0.4), rho_at_zero %.4f\n",
         naive, r->sens_rho[13], at, r->rho_at_zero);
  assert_true(fabs(r->sens_rho[13] - 0.4) < 1e-12);
  assert_true(fabs(naive - 0.6) < 0.02);
  assert_true(fabs(at - 0.4) < 0.02);
  attrib_mediate_result_free(r);
  attrib_table_free(d);
}

/* Draw b comes from stream (seed, purpose, b): 1 and 3 threads agree to the bit. */
static void test_threads(void **state) {
  (void)state;
  attrib_table *d = test_load("tests/reference/mediation/mediation_data.csv");
  for (int m = 0; m < 2; m++) {
    attrib_mediate_options o;
    opts(&o, "x1 + factor(role)", 1);
    o.ci_method = m ? ATTRIB_MEDIATE_BOOTSTRAP : ATTRIB_MEDIATE_QUASI_BAYES;
    o.sims = 203, o.seed = 11, o.threads = 1;
    attrib_mediate_result *r1 = run(d, &o);
    o.threads = 3;
    attrib_mediate_result *r3 = run(d, &o);
    assert_memory_equal(r1->effects, r3->effects, sizeof r1->effects);
    /* another seed, other draws */
    o.seed = 12;
    attrib_mediate_result *r4 = run(d, &o);
    assert_true(r4->effects[ATTRIB_MEDIATE_ACME].ci_low != r1->effects[ATTRIB_MEDIATE_ACME].ci_low);
    /* the two methods agree roughly: SEs within 25% at 203 draws */
    assert_true(fabs(r1->effects[ATTRIB_MEDIATE_ACME].std_error / r1->med_treat.std_error) > 0);
    attrib_mediate_result_free(r1);
    attrib_mediate_result_free(r3);
    attrib_mediate_result_free(r4);
  }
  attrib_mediate_options o;
  opts(&o, "x1 + factor(role)", 0);
  o.sims = 2000;
  attrib_mediate_result *qb = run(d, &o);
  o.ci_method = ATTRIB_MEDIATE_BOOTSTRAP;
  attrib_mediate_result *bs = run(d, &o);
  double ratio = bs->effects[ATTRIB_MEDIATE_ACME].std_error / qb->effects[ATTRIB_MEDIATE_ACME].std_error;
  printf("bootstrap / quasi-Bayes SE of the ACME (2000 each): %.4f\n", ratio);
  if (fabs(ratio - 1) > 0.2) fail_msg("bootstrap / quasi-Bayes SE of the ACME: %g", ratio);
  assert_int_equal(bs->sims_failed, 0);
  assert_true(bs->effects[ATTRIB_MEDIATE_ACME].estimate == qb->effects[ATTRIB_MEDIATE_ACME].estimate);
  attrib_mediate_result_free(qb);
  attrib_mediate_result_free(bs);
  attrib_table_free(d);
}

static void refuse(const char *csv, const char *covs, attrib_status code, const char *needle) {
  attrib_table *t = test_table(csv);
  attrib_mediate_options o;
  opts(&o, covs, 0);
  o.sims = 10;
  attrib_mediate_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_mediate_fit(t, &o, &r, &err);
  if (s != code || !strstr(err.message, needle))
    fail_msg("%s: got %d '%s', want %d with '%s'", csv, (int)s, err.message, (int)code, needle);
  assert_null(r);
  attrib_table_free(t);
}

static void test_refusals(void **state) {
  (void)state;
  refuse("t,m,y\n0,1,2\n2,2,3\n0,3,5\n1,3,6\n1,4,6\n", NULL, ATTRIB_ETYPE, "must be 0/1, got 2 in data row 2");
  refuse("t,m,y\n0,1,2\n1,1,3\n0,1,5\n1,1,6\n1,1,6\n", NULL, ATTRIB_ENUMERIC, "mediator 'm' is constant");
  refuse("t,m,y\n0,0,2\n1,2,3\n0,0,5\n1,2,6\n1,2,6\n", NULL, ATTRIB_ENUMERIC, "linear function of the treatment");
  refuse("t,m,y,x,z\n0,1,2,1,2\n1,2,3,2,4\n0,3,5,3,6\n1,3,6,1,2\n1,4,6,5,10\n0,2,2,1,2\n", "x + z", ATTRIB_ENUMERIC,
         "covariate column 'z'");
  refuse("t,m,y,x\n0,1,2,0\n1,2,3,1\n0,3,5,0\n1,3,6,1\n1,4,6,1\n0,2,2,0\n", "x", ATTRIB_ENUMERIC,
         "treatment 't' is collinear");
  refuse("t,m,y\n1,1,2\n1,2,3\n1,3,5\n", NULL, ATTRIB_ENODATA, "both arms");
  refuse("t,m,y\n0,1,2\n1,2,3\n0,3,5\n", NULL, ATTRIB_ENODATA, "too few");
  refuse("t,m,w\n0,1,2\n1,2,3\n0,3,5\n1,3,6\n", NULL, ATTRIB_ENOCOL, "'y'");
  refuse("t,m,y,x\n0,1,2,1\n1,2,3,2\n0,3,5,3\n1,3,6,4\n1,4,6,5\n", "x + m", ATTRIB_EUSAGE, "use the mediator");
  /* the options alone */
  attrib_mediate_options o;
  opts(&o, NULL, 0);
  attrib_error err;
  o.sims = 5;
  assert_int_equal(attrib_mediate_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "mediate.sims");
  o.sims = 100, o.mediator = "y";
  assert_int_equal(attrib_mediate_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "mediate.outcome");
  o.mediator = "m", o.level = 95;
  assert_int_equal(attrib_mediate_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "mediate.level");
  attrib_mediate_ci m;
  assert_int_equal(attrib_mediate_ci_parse("bootstrap", &m, NULL), ATTRIB_OK);
  assert_int_equal(m, ATTRIB_MEDIATE_BOOTSTRAP);
  assert_string_equal(attrib_mediate_ci_name(ATTRIB_MEDIATE_QUASI_BAYES), "quasi-bayes");
  assert_int_equal(attrib_mediate_ci_parse("delta", &m, NULL), ATTRIB_EINVAL);
}

/* Every allocation failing in turn: ATTRIB_ENOMEM and no result. */
static void test_oom(void **state) {
  (void)state;
  attrib_table *t = test_table("t,m,y,x\n0,1,2,1\n0,2,3,0\n0,3,5,2\n1,3,6,1\n1,4,6,0\n1,6,9,3\n0,2,4,1\n1,5,7,2\n");
  for (int m = 0; m < 2; m++) {
    attrib_mediate_options o;
    opts(&o, "x", m);
    o.ci_method = m ? ATTRIB_MEDIATE_BOOTSTRAP : ATTRIB_MEDIATE_QUASI_BAYES;
    o.sims = 20, o.threads = 2;
    size_t failures = 0;
    for (long k = 1; k < 100000; k++) {
      attrib_mediate_result *r = NULL;
      attrib_error err;
      attrib_debug_fail_alloc_after(k);
      attrib_status s = attrib_mediate_fit(t, &o, &r, &err);
      attrib_debug_fail_alloc_after(0);
      if (s == ATTRIB_OK) {
        attrib_mediate_result_free(r);
        break;
      }
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(r);
      failures++;
    }
    assert_true(failures > 10);
  }
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand),    cmocka_unit_test(test_r_reference), cmocka_unit_test(test_quasi_bayes_moments),
      cmocka_unit_test(test_threads), cmocka_unit_test(test_rho_recovers_truth), cmocka_unit_test(test_refusals),    cmocka_unit_test(test_oom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
