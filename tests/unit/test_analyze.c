/* attrib_analyze: the cohort step against hand-computed counts, means and
 * shares; a missing column stops the study with its name; nothing
 * estimable is an error, never a report (issue 12, defect 6); a panel is
 * analysed per learner with the design's primary method (defect 2): its
 * DiD equals attrib_did_fit, its learner-level OLS the closed form on each
 * learner's outcome change; the primary rule, the override, the learners
 * the ROI counts, the headline verdict; the refusals of issue 15.6 (a 0/2
 * treatment, a cluster column that is not there, a level of 2); every
 * allocation failure is reported cleanly (no leak under ASan); several
 * KPIs (extra_outcomes): the table's first row is the headline's primary
 * estimate, Holm and Bonferroni their closed forms, the refusals, a
 * panel's note, allocation failures. The other
 * steps equal the single commands (tests/cli/analyze/consistency.sh). */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/analyze.h>
#include "analyze/analyze_internal.h"

/* Seven rows worked by hand: t has a missing value; x, y and g have a
 * missing value each; k is a numeric column written as factor(k). */
static const char hand_csv[] = "y,t,x,g,k\n"
                               "1,1,2,a,3\n"
                               "2,1,,b,3\n"
                               "3,0,4,a,5\n"
                               "4,0,6,,3\n"
                               "5,0,8,b,5\n"
                               "6,,10,a,3\n"
                               ",1,1,b,5\n";

static void check_var(const attrib_analyze_variable *v, const char *name, const char *level, size_t missing, double mt,
                      double mc) {
  assert_string_equal(v->name, name);
  if (level) assert_string_equal(v->level, level);
  else assert_null(v->level);
  assert_int_equal(v->n_missing, missing);
  assert_true(fabs(v->mean_treated - mt) < 1e-15);
  assert_true(fabs(v->mean_control - mc) < 1e-15);
}

/* step 0 alone (the study itself cannot estimate anything from 3 complete rows) */
static void test_cohort_by_hand(void **state) {
  (void)state;
  attrib_table *t = test_table(hand_csv);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "t", o.covariates = "x + g + factor(k)", o.methods = ATTRIB_ANALYZE_OLS;
  attrib_analyze_cohort cohort;
  attrib_error err;
  attrib_formula *covs = NULL; /* the step reads the terms attrib_analyze parsed once */
  assert_status(attrib_formula_parse_rhs(o.covariates, &covs, &err), ATTRIB_OK, &err);
  o.covariate_terms = covs;
  assert_status(attrib__analyze_cohort(t, &o, &cohort, &err), ATTRIB_OK, &err);
  const attrib_analyze_cohort *c = &cohort;
  assert_int_equal(c->n_rows, 7);
  assert_int_equal(c->n_treated, 3); /* rows 1, 2, 7 */
  assert_int_equal(c->n_control, 3); /* rows 3, 4, 5 */
  assert_int_equal(c->n_treat_missing, 1);
  assert_int_equal(c->n_treat_other, 0);
  assert_int_equal(c->n_complete, 3); /* rows 1, 3, 5 */
  assert_int_equal(c->n_vars, 6);
  check_var(&c->vars[0], "y", NULL, 1, 1.5, 4.0); /* treated 1, 2 (row 7 missing); control 3, 4, 5 */
  check_var(&c->vars[1], "x", NULL, 1, 1.5, 6.0); /* treated 2, 1; control 4, 6, 8 */
  check_var(&c->vars[2], "g", "a", 1, 1.0 / 3.0, 0.5); /* control: rows 3 (a), 5 (b); row 4 missing */
  check_var(&c->vars[3], "g", "b", 1, 2.0 / 3.0, 0.5);
  check_var(&c->vars[4], "k", "3", 0, 2.0 / 3.0, 1.0 / 3.0); /* control: 5, 3, 5 */
  check_var(&c->vars[5], "k", "5", 0, 1.0 / 3.0, 2.0 / 3.0);
  assert_int_equal(c->n_units, 0);
  attrib__analyze_cohort_free(&cohort);
  attrib_formula_free(covs);
  attrib_table_free(t);
}

/* factor() of a numeric column with over 50 distinct values: its mean, as
 * for a plain numeric column, and counted as capped. */
static void test_cohort_capped_levels(void **state) {
  (void)state;
  attrib_table *t = test_simulated(200, 5, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "factor(tenure)", o.methods = ATTRIB_ANALYZE_OLS;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->cohort.n_levels_capped, 1);
  assert_int_equal(r->cohort.n_vars, 2);
  double sum[2] = {0, 0}, cnt[2] = {0, 0};
  for (long i = 0; i < 200; i++) {
    int g = test_value(t, "trained", i) == 1.0;
    sum[g] += test_value(t, "tenure", i), cnt[g] += 1.0;
  }
  check_var(&r->cohort.vars[1], "tenure", NULL, 0, sum[1] / cnt[1], sum[0] / cnt[0]);
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

static void test_missing_column(void **state) {
  (void)state;
  attrib_table *t = test_table(hand_csv);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "t", o.covariates = "x + gg";
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_ENOCOL, &err);
  assert_null(r);
  assert_non_null(strstr(err.message, "no column 'gg' (covariate)"));
  attrib_table_free(t);
}

/* ---- issue 12, defect 6 and issue 15.6: refusals ------------------------------ */

static attrib_status run(const attrib_table *t, const attrib_analyze_options *o, attrib_analyze_result **r,
                         attrib_error *err) {
  attrib_error_clear(err);
  *r = (attrib_analyze_result *)1; /* must come back NULL on failure */
  return attrib_analyze(t, o, r, err);
}

static void expect_error(const attrib_table *t, const attrib_analyze_options *o, attrib_status code, const char *text) {
  attrib_analyze_result *r;
  attrib_error err;
  attrib_status s = run(t, o, &r, &err);
  if (s != code || !strstr(err.message, text))
    fail_msg("status %s '%s', expected %s with '%s'", attrib_status_name(s), err.message, attrib_status_name(code), text);
  assert_null(r);
}

/* a treatment coded 0/2 used to be half-counted ("neither 0 nor 1: 601")
 * and give an effect per unit of the code; now it is refused with the
 * values found */
static void test_treatment_not_01(void **state) {
  (void)state;
  attrib_table *t = test_table("y,t,x\n1,0,1\n2,2,3\n3,0,2\n4,2,5\n5,0,4\n7,2,6\n");
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "t", o.covariates = "x";
  expect_error(t, &o, ATTRIB_ETYPE, "treatment 't' must be coded 0/1 (1 = trained); its values are 0 (3 rows), 2 (3 rows)");
  attrib_table_free(t);
}

/* a cluster column with one value (text or numbers, missing cells aside)
 * used to leave OLS not estimated, PSM and AIPW unclustered and an E-value
 * of NaN, with exit 0 (issue 15); two values are enough to go on */
static void test_one_cluster(void **state) {
  (void)state;
  attrib_table *t = test_table("y,t,x,g,h,k\n1,0,1,A,5,A\n2,1,3,A,,B\n3,0,2,A,5,A\n4,1,5,,5,B\n5,0,4,A,5,A\n"
                               "7,1,6,A,5,B\n");
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "t", o.covariates = "x", o.methods = ATTRIB_ANALYZE_OLS;
  o.cluster = "g";
  expect_error(t, &o, ATTRIB_EDESIGN, "one cluster in 'g' (every row holds the same value): cluster-robust standard "
                                      "errors need at least two");
  o.cluster = "h";
  expect_error(t, &o, ATTRIB_EDESIGN, "one cluster in 'h'");
  o.cluster = "k";
  attrib_analyze_result *r;
  attrib_error err;
  attrib_status s = run(t, &o, &r, &err);
  assert_false(s == ATTRIB_EDESIGN && strstr(err.message, "one cluster in"));
  if (!s) attrib_analyze_result_free(r);
  attrib_table_free(t);
}

/* options checked up front: a cluster column that is not there (OLS used to
 * fail while matching and AIPW reported unclustered results), a level
 * outside (0, 1) (2 printed "200% intervals"; 95 is refused too, not read
 * as a percentage), the DiD methods without a panel, a primary method that
 * is not run */
static void test_options_refused(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 2, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "tenure + prior_perf";
  o.cluster = "teem";
  expect_error(t, &o, ATTRIB_ENOCOL, "no column 'teem' (cluster); did you mean 'team'?");
  o.cluster = NULL;
  o.level = 2;
  expect_error(t, &o, ATTRIB_EUSAGE, "the confidence level must be strictly between 0 and 1 (0.95 for 95% intervals), got 2");
  o.level = 95;
  expect_error(t, &o, ATTRIB_EUSAGE, "got 95");
  { /* the error names the options field, which the CLI maps to --level */
    attrib_analyze_result *r;
    attrib_error err;
    o.level = 0;
    run(t, &o, &r, &err);
    assert_string_equal(err.option ? err.option : "(none)", "analyze.level");
  }
  o.level = 0.95, o.methods = ATTRIB_ANALYZE_DID;
  expect_error(t, &o, ATTRIB_EINVAL, "the did method needs a panel");
  o.methods = ATTRIB_ANALYZE_OLS, o.primary = ATTRIB_ANALYZE_PSM;
  expect_error(t, &o, ATTRIB_EINVAL, "the primary method psm is not among the methods");
  o.methods = 0, o.primary = 0, o.unit = "learner_id";
  expect_error(t, &o, ATTRIB_EINVAL, "a panel needs both the unit and the time column");
  attrib_table_free(t);
}

/* Nothing estimable: an error with the reason, never a result (the CLI then
 * writes no report). These used to exit 0 with "0 learners", nan
 * baselines and "E-value nan". */
static void test_nothing_estimable(void **state) {
  (void)state;
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "t", o.covariates = "x";
  attrib_table *t = test_table("y,t,x\nhigh,1,1\nlow,0,2\nlow,1,3\n");
  expect_error(t, &o, ATTRIB_ETYPE, "outcome 'y' must be numeric; it holds text (line 2: 'high')");
  attrib_table_free(t);
  t = test_table("y,t,x\n1,yes please,1\n2,no,2\n3,no,3\n");
  expect_error(t, &o, ATTRIB_ETYPE, "treatment 't' must be coded 0/1 (1 = trained); it holds text");
  attrib_table_free(t);
  t = test_table("y,t,x\n1,0,1\n2,0,2\n3,0,3\n4,0,5\n");
  expect_error(t, &o, ATTRIB_ENODATA, "no treated rows ('t' = 1) among the 4 rows");
  attrib_table_free(t);
  t = test_table("y,t,x\n1,1,1\n2,1,2\n3,1,3\n4,1,5\n");
  expect_error(t, &o, ATTRIB_ENODATA, "no control rows ('t' = 0) among the 4 rows");
  attrib_table_free(t);
  t = test_table("y,t,x\n1,1,1\n");
  expect_error(t, &o, ATTRIB_ENODATA, "among the 1 row of");
  attrib_table_free(t);
  /* every method fails: the error names each method's reason */
  t = test_table("y,t,x\n1,1,1\n2,0,2\n3,1,4\n");
  expect_error(t, &o, ATTRIB_EDESIGN, "no method could be estimated (ols: ");
  attrib_table_free(t);
}

/* ---- panels (defect 2) ------------------------------------------------------ */

static attrib_table *sim_panel(size_t rows, unsigned long seed, attrib_sim_adoption adoption) {
  attrib_simulate_options so;
  attrib_simulate_options_init(&so);
  so.design = ATTRIB_SIM_PANEL, so.rows = rows, so.seed = seed, so.adoption = adoption;
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_simulate_write(fp, &so, &err), ATTRIB_OK, &err);
  fclose(fp);
  attrib_table *t = NULL;
  assert_status(attrib_table_read_csv_buffer(buf, len, "panel.csv", NULL, &t, &err), ATTRIB_OK, &err);
  free(buf);
  return t;
}

/* analyze's options for sim_panel's rows: sales on treated with
 * prior_perf, learners by period (each test adds its own) */
static void panel_options(attrib_analyze_options *o) {
  attrib_analyze_options_init(o);
  o->outcome = "sales", o->treat = "treated", o->covariates = "prior_perf";
  o->unit = "learner_id", o->time = "period";
}

static const attrib_analyze_method *method(const attrib_analyze_result *r, const char *name) {
  for (size_t q = 0; q < r->n_methods; q++)
    if (!strcmp(r->methods[q].method, name)) return &r->methods[q];
  fail_msg("no method %s", name);
  return NULL;
}

static double did_estimate(const attrib_table *t, attrib_did_estimator est) {
  attrib_did_options d;
  attrib_did_options_init(&d);
  d.outcome = "sales", d.unit = "learner_id", d.time = "period", d.cohort = "cohort", d.estimator = est;
  attrib_did_result *dr = NULL;
  attrib_error err;
  assert_status(attrib_did_fit(t, &d, &dr, &err), ATTRIB_OK, &err);
  double e = dr->effect.estimate;
  attrib_did_result_free(dr);
  return e;
}

/* Staggered adoption: learners, not rows, are counted; the primary is
 * Callaway-Sant'Anna whatever the order of the methods; the cross-section
 * methods are skipped with the reason; the ROI counts the treated learners. */
static void test_panel_staggered(void **state) {
  (void)state;
  attrib_table *t = sim_panel(600, 4, ATTRIB_SIM_STAGGERED);
  attrib_analyze_options o;
  panel_options(&o);
  o.covariates = "prior_perf + tenure", o.cohort = "cohort";
  o.has_roi = 1, o.roi.value_per_unit = 100, o.roi.cost_per_learner = 50;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->design, ATTRIB_ANALYZE_PANEL_STAGGERED);
  assert_int_equal(r->panel.n_units, 600);
  assert_int_equal(r->n_obs, 600); /* was 4800: person-period rows */
  assert_string_equal(r->methods[r->primary].method, "did");
  assert_non_null(strstr(r->primary_reason, "staggered adoption"));
  assert_true(method(r, "did")->estimate == did_estimate(t, ATTRIB_DID_CS));
  size_t treated = 0;
  for (size_t q = 0; q < r->cohort.n_cohorts; q++) treated += r->cohort.cohort_units[q];
  assert_int_equal(r->n_treated, treated);
  assert_int_equal(r->n_treated + r->n_control, 600);
  assert_true(r->roi_learners_default && r->roi_learners == (double)treated);
  for (const char *m = "ols"; m; m = !strcmp(m, "ols") ? "psm" : !strcmp(m, "psm") ? "aipw" : NULL) {
    assert_true(method(r, m)->skipped);
    assert_non_null(strstr(method(r, m)->message, "staggered adoption"));
  }
  attrib_analyze_result_free(r);
  /* --methods did,ols used to make OLS primary */
  o.methods = ATTRIB_ANALYZE_OLS | ATTRIB_ANALYZE_DID;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_string_equal(r->methods[r->primary].method, "did");
  attrib_analyze_result_free(r);
  /* a primary the design cannot estimate is an error, not a silent switch */
  o.primary = ATTRIB_ANALYZE_OLS;
  expect_error(t, &o, ATTRIB_EDESIGN, "the primary method ols could not be estimated: skipped: with staggered adoption");
  attrib_table_free(t);
}

/* Issue 17: the staggered-adoption robustness rows and the honest bounds.
 * Sun-Abraham with never-treated controls and no covariates equals CS's
 * simple ATT (balanced panel); each row equals attrib_did_fit's. The
 * break-even in money is checked by its definition: the robust set's lower
 * end lies above the ROI break-even effect just below breakeven_roi and
 * below it just above (attrib_honest_ci at Mbar x (1 -+ 1e-3)). */
static void test_panel_honest(void **state) {
  (void)state;
  attrib_table *t = sim_panel(600, 4, ATTRIB_SIM_STAGGERED);
  attrib_analyze_options o;
  panel_options(&o);
  o.cohort = "cohort";
  o.has_roi = 1, o.roi.value_per_unit = 100, o.roi.cost_per_learner = 250;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_true(method(r, "sunab")->estimate == did_estimate(t, ATTRIB_DID_SUNAB));
  assert_true(method(r, "imputation")->estimate == did_estimate(t, ATTRIB_DID_IMPUTATION));
  assert_true(fabs(method(r, "sunab")->estimate - method(r, "did")->estimate) < 1e-9);
  int agreement = 0;
  for (size_t q = 0; q < r->n_checks; q++) agreement |= !strcmp(r->checks[q].name, "agreement");
  assert_true(agreement);
  assert_non_null(r->honest);
  assert_null(r->honest_note);
  assert_int_equal(r->honest->n_sets, 5);
  assert_true(r->has_honest_breakeven);
  const attrib_honest_breakeven_result *b = &r->honest_breakeven;
  assert_true(b->effect == r->roi->breakeven_effect);
  assert_int_equal(b->search, ATTRIB_HONEST_FOUND);
  assert_true(b->m > 0 && b->m < 2);
  const attrib_honest_result *h = r->honest;
  attrib_honest_set below, above;
  assert_status(attrib_honest_ci(h->beta, h->sigma, h->n_pre, h->n_post, b->m * (1 - 1e-3), &h->opts, &below, &err),
                ATTRIB_OK, &err);
  assert_status(attrib_honest_ci(h->beta, h->sigma, h->n_pre, h->n_post, b->m * (1 + 1e-3), &h->opts, &above, &err),
                ATTRIB_OK, &err);
  assert_true(below.ci_low > b->effect);
  assert_true(above.ci_low < b->effect);
  attrib_analyze_result_free(r);
  /* without ROI inputs the sets are there and the break-even says why not */
  o.has_roi = 0;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_non_null(r->honest);
  assert_false(r->has_honest_breakeven);
  assert_non_null(strstr(r->honest_breakeven_note, "no ROI inputs"));
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

/* One adoption date: two-way fixed effects is primary (= attrib_did_fit);
 * OLS runs on one row per learner, the outcome change from the pre to the
 * post window on the treatment and prior_perf (fixed over time here):
 * checked against the Frisch-Waugh closed form computed from the rows. */
static void test_panel_single_date(void **state) {
  (void)state;
  const size_t N = 500, T = 8;
  attrib_table *t = sim_panel(N, 5, ATTRIB_SIM_SINGLE);
  attrib_analyze_options o;
  panel_options(&o);
  o.cohort = "cohort";
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->design, ATTRIB_ANALYZE_PANEL_SINGLE);
  assert_true(r->panel.adoption == 5.0);
  assert_int_equal(r->panel.n_pre, 4);
  assert_int_equal(r->panel.n_post, 4);
  assert_string_equal(r->methods[r->primary].method, "twfe");
  assert_true(method(r, "twfe")->estimate == did_estimate(t, ATTRIB_DID_TWFE));
  /* the closed form: rows are learner-major, periods 1..8 */
  double dy[500], d[500], x[500], wa[500], wb[500];
  for (size_t i = 0; i < N; i++) {
    double pre = 0, post = 0;
    for (size_t p = 0; p < T; p++) {
      long row = (long)(i * T + p);
      if (p < 4) pre += test_value(t, "sales", row);
      else post += test_value(t, "sales", row);
    }
    wa[i] = pre / 4, wb[i] = post / 4;
    dy[i] = post / 4 - pre / 4, d[i] = test_value(t, "cohort", (long)(i * T)) > 0, x[i] = test_value(t, "prior_perf", (long)(i * T));
  }
  double my = 0, md = 0, mx = 0;
  for (size_t i = 0; i < N; i++) my += dy[i] / N, md += d[i] / N, mx += x[i] / N;
  double syd = 0, syx = 0, sdd = 0, sxx = 0, sdx = 0;
  for (size_t i = 0; i < N; i++) {
    double a = dy[i] - my, b = d[i] - md, c = x[i] - mx;
    syd += a * b, syx += a * c, sdd += b * b, sxx += c * c, sdx += b * c;
  }
  double beta = (syd * sxx - syx * sdx) / (sdd * sxx - sdx * sdx);
  assert_rel_close(method(r, "ols")->estimate, beta, 1e-9, "OLS on the outcome change");
  assert_int_equal(method(r, "ols")->n_obs, N);
  assert_int_equal(method(r, "psm")->status, ATTRIB_OK);
  assert_int_equal(method(r, "aipw")->status, ATTRIB_OK);
  /* the next pilot (issue 18): a did pilot of 150 at the pooled SD of the
   * window means and their covariance over the pooled variance, so that
   * 2 sd^2 (1 - rho) is the variance of the outcome change: the SE at 75 +
   * 75 learners is the change's SD times sqrt(2 / 75) */
  double ma = 0, mb = 0, va = 0, vb = 0, cab = 0, vdy = 0;
  for (size_t i = 0; i < N; i++) ma += wa[i] / N, mb += wb[i] / N;
  for (size_t i = 0; i < N; i++) {
    va += (wa[i] - ma) * (wa[i] - ma) / (N - 1), vb += (wb[i] - mb) * (wb[i] - mb) / (N - 1);
    cab += (wa[i] - ma) * (wb[i] - mb) / (N - 1), vdy += (dy[i] - my) * (dy[i] - my) / (N - 1);
  }
  const attrib_analyze_pilot *pl = &r->pilot;
  assert_int_equal(pl->computed, 1);
  assert_int_equal(pl->options.design, ATTRIB_POWER_DID);
  assert_true(pl->options.n == 150 && pl->options.alpha == 0.05); /* 1 - 0.95 as written, not 0.050000000000000044 */
  assert_rel_close(pl->options.sd, sqrt(0.5 * (va + vb)), 1e-12, "pilot sd: pooled SD of the window means");
  assert_rel_close(pl->rho, cab / (0.5 * (va + vb)), 1e-12, "pilot rho");
  assert_rel_close(pl->at_n->se, sqrt(vdy * 2.0 / 75.0), 1e-10, "pilot SE = SD of the change x sqrt(2/75)");
  assert_true(pl->effect == r->methods[r->primary].estimate);
  assert_non_null(pl->at_effect), assert_non_null(pl->required);
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

/* Issue 18 in analyze: the mediation is attrib_mediate_fit's and the
 * pilot attrib_power_run's on attrib_power_from_data's estimates, to the
 * last bit; the refusals (a mediator on a panel, a pilot of 2) name the
 * options field; no_pilot and staggered adoption leave the reason. */
static void test_next_questions(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 3, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "tenure + prior_perf", o.methods = ATTRIB_ANALYZE_OLS;
  o.mediator = "engagement", o.seed = 7, o.level = 0.9, o.pilot_n = 200;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  attrib_mediate_options mo;
  attrib_mediate_options_init(&mo);
  mo.treat = "trained", mo.mediator = "engagement", mo.outcome = "sales", mo.covariates = "tenure + prior_perf";
  mo.seed = 7, mo.level = 0.9;
  attrib_mediate_result *m = NULL;
  assert_status(attrib_mediate_fit(t, &mo, &m, &err), ATTRIB_OK, &err);
  assert_non_null(r->mediation);
  for (int q = 0; q < ATTRIB_MEDIATE_N_QUANTITIES; q++)
    assert_memory_equal(&r->mediation->effects[q], &m->effects[q], sizeof m->effects[q]);
  assert_true(r->mediation->rho_at_zero == m->rho_at_zero);
  attrib_mediate_result_free(m);
  attrib_power_data_estimates b;
  assert_status(attrib_power_from_data(t, "sales", NULL, "tenure + prior_perf", &b, &err), ATTRIB_OK, &err);
  attrib_power_options po;
  attrib_power_options_init(&po);
  po.n = 200, po.sd = b.sd, po.r2 = b.r2, po.alpha = 0.1;
  attrib_power_result *p = NULL;
  assert_status(attrib_power_run(&po, &p, &err), ATTRIB_OK, &err);
  assert_int_equal(r->pilot.computed, 1);
  assert_true(r->pilot.at_n->mde == p->mde && r->pilot.at_n->se == p->se);
  attrib_power_result_free(p);
  po.mde = fabs(r->methods[r->primary].estimate);
  assert_status(attrib_power_run(&po, &p, &err), ATTRIB_OK, &err);
  assert_true(r->pilot.at_effect->power == p->power);
  attrib_power_result_free(p);
  po.n = NAN;
  assert_status(attrib_power_run(&po, &p, &err), ATTRIB_OK, &err);
  assert_true(r->pilot.required->n == p->n);
  attrib_power_result_free(p);
  attrib_analyze_result_free(r);
  o.pilot_n = 2;
  expect_error(t, &o, ATTRIB_EINVAL, "analyze.pilot_n");
  o.pilot_n = 0, o.no_pilot = 1, o.mediator = NULL;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->pilot.computed, 0);
  assert_string_equal(r->pilot.note, "not requested");
  assert_null(r->mediation);
  attrib_analyze_result_free(r);
  o.mediator = "no_such";
  expect_error(t, &o, ATTRIB_ENOCOL, "no_such");
  o.mediator = "sales";
  expect_error(t, &o, ATTRIB_EINVAL, "mediation");
  attrib_table_free(t);
  attrib_table *pt = sim_panel(200, 5, ATTRIB_SIM_STAGGERED);
  panel_options(&o);
  o.methods = ATTRIB_ANALYZE_DID, o.no_honest = 1, o.mediator = "prior_perf";
  expect_error(pt, &o, ATTRIB_EINVAL, "analyze.mediator");
  o.mediator = NULL;
  assert_status(run(pt, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->pilot.computed, 0);
  assert_non_null(strstr(r->pilot.note, "staggered"));
  attrib_analyze_result_free(r);
  attrib_table_free(pt);
}

/* Without a cohort column the cohorts come from the treatment (0 before, 1
 * from the first treated period); a treatment that disagrees with a given
 * cohort, or goes back to 0, is refused with the data row. */
static void test_panel_cohort_from_treatment(void **state) {
  (void)state;
  attrib_table *t = sim_panel(300, 6, ATTRIB_SIM_STAGGERED);
  attrib_analyze_options o;
  panel_options(&o);
  o.methods = ATTRIB_ANALYZE_DID;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_true(r->panel.cohort_derived);
  assert_true(method(r, "did")->estimate == did_estimate(t, ATTRIB_DID_CS));
  attrib_analyze_result_free(r);
  long jt = attrib_table_column_find(t, "treated");
  size_t row = 0;
  while (test_value(t, "cohort", (long)row) == 0 || test_value(t, "treated", (long)row) != 1.0) row++;
  row++; /* the second treated period of that learner (cohorts start by period 7 of 8) */
  t->cols[jt].values[row] = 0.0; /* a treated learner off for a period */
  o.cohort = "cohort";
  char want[80];
  snprintf(want, sizeof want, "disagrees with cohort 'cohort' at data row %zu", row + 1);
  expect_error(t, &o, ATTRIB_EDESIGN, want);
  o.cohort = NULL;
  expect_error(t, &o, ATTRIB_EDESIGN, "goes back to 0");
  t->cols[jt].values[row] = 1.0;
  o.cluster = "period"; /* the learner rows carry one cluster per learner */
  expect_error(t, &o, ATTRIB_EDESIGN, "cluster column 'period' varies within a unit (data rows 1 and 2)");
  attrib_table_free(t);
}

/* ---- primary, learners, headline ---------------------------------------------- */

static void test_primary_and_learners(void **state) {
  (void)state;
  attrib_table *t = test_simulated(800, 7, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "prior_perf + engagement + tenure + factor(role)";
  o.has_roi = 1, o.roi.value_per_unit = 100, o.roi.cost_per_learner = 50;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_string_equal(r->methods[r->primary].method, "ols");
  assert_false(r->primary_chosen);
  size_t n1 = 0;
  for (long i = 0; i < 800; i++) n1 += test_value(t, "trained", i) == 1.0;
  assert_true(r->roi_learners_default && r->roi_learners == (double)n1);
  /* benefit = effect x learners x value */
  assert_rel_close(r->roi->benefit_total, r->methods[r->primary].estimate * (double)n1 * 100, 1e-12, "benefit");
  attrib_analyze_result_free(r);
  o.primary = ATTRIB_ANALYZE_PSM, o.roi.learners = 5000;
  assert_status(run(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_string_equal(r->methods[r->primary].method, "psm");
  assert_true(r->primary_chosen);
  assert_non_null(strstr(r->primary_reason, "the cross-section rule takes ols"));
  assert_true(!r->roi_learners_default && r->roi_learners == 5000);
  assert_rel_close(r->roi->benefit_total, r->methods[r->primary].estimate * 5000 * 100, 1e-12, "benefit");
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

static attrib_analyze_result *study(const attrib_simulate_options *so, double cost_per_learner) {
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_simulate_write(fp, so, &err), ATTRIB_OK, &err);
  fclose(fp);
  attrib_table *t = NULL;
  assert_status(attrib_table_read_csv_buffer(buf, len, "sim.csv", NULL, &t, &err), ATTRIB_OK, &err);
  free(buf);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "prior_perf + engagement + tenure + factor(role)";
  o.has_roi = 1, o.roi.value_per_unit = 1, o.roi.cost_per_learner = cost_per_learner;
  attrib_analyze_result *r = NULL;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  attrib_table_free(t);
  return r;
}

/* The finding says "inconclusive" when a check the primary relies on fails
 * or the ROI interval spans zero, never a bare point ROI. */
static void test_headline(void **state) {
  (void)state;
  attrib_simulate_options so;
  attrib_simulate_options_init(&so);
  so.rows = 2000, so.seed = 11;
  attrib_analyze_result *r = study(&so, 0.5); /* effect about 2 (SE 0.45), break-even 0.5: ROI clearly positive */
  assert_string_equal(r->headline.verdict, "clear");
  assert_non_null(strstr(r->headline.reason, "lies above zero"));
  attrib_analyze_result_free(r);
  r = study(&so, 2.0); /* break-even effect 2 = the effect: the ROI interval spans zero */
  assert_string_equal(r->headline.verdict, "inconclusive");
  assert_non_null(strstr(r->headline.reason, "spans zero"));
  attrib_analyze_result_free(r);
  so.selection = 4.0; /* poor overlap */
  r = study(&so, 1.0);
  assert_string_equal(r->headline.verdict, "inconclusive");
  assert_non_null(strstr(r->headline.reason, "the overlap check failed"));
  attrib_analyze_result_free(r);
}

/* Each allocation in turn fails: the study either stops with ENOMEM or
 * finishes (a method's failure is kept as that method's reason); ASan
 * finds any leak on either path. */
/* Issue 16: the funnel and the cohort lines by hand. Ten learners, four
 * trained; enrolled 4 + 1 untrained, completed 2 + 1, certified 1 + 0; the
 * baseline missing for one trained learner. */
static void test_funnel_and_lines_by_hand(void **state) {
  (void)state;
  attrib_table *t = test_table("y,t,x,pre,e,c,k\n10,1,1,8,1,1,1\n12,1,2,9,1,1,0\n14,1,3,11,1,0,0\n9,1,1,,1,,0\n"
                               "7,0,2,7,0,0,0\n8,0,3,7,1,1,0\n6,0,1,6,0,0,0\n5,0,2,4,0,0,0\n11,0,3,9,0,0,0\n4,0,1,5,0,0,0\n");
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "y", o.treat = "t", o.covariates = "x", o.methods = ATTRIB_ANALYZE_OLS;
  o.funnel = "enrolled=e,completed=c,certified=k", o.baseline = "pre", o.period = "month";
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  const attrib_analyze_funnel *f = &r->funnel;
  assert_int_equal(f->n_eligible, 10), assert_int_equal(f->n_treated, 4), assert_int_equal(f->n_tiers, 3);
  assert_string_equal(f->tiers[0].tier, "adoption"), assert_string_equal(f->tiers[2].name, "certified");
  assert_int_equal(f->tiers[0].n, 5), assert_int_equal(f->tiers[0].n_treated, 4);
  assert_int_equal(f->tiers[1].n, 3), assert_int_equal(f->tiers[1].n_missing, 1);
  assert_true(fabs(f->tiers[1].share_treated - 0.5) < 1e-15 && fabs(f->tiers[1].share_control - 1.0 / 6.0) < 1e-15);
  assert_true(fabs(f->tiers[2].share_of_previous - 1.0 / 3.0) < 1e-15 && isnan(f->tiers[0].share_of_previous));
  const attrib_analyze_cohort_lines *cl = &r->cohort_lines;
  assert_int_equal(cl->kind, 2), assert_int_equal(cl->n_lines, 2);
  assert_int_equal(cl->lines[0].n_units, 3); /* trained with a baseline: rows 1-3 */
  assert_true(fabs(cl->lines[0].mean[0] - 28.0 / 3.0) < 1e-12 && fabs(cl->lines[0].mean[1] - 12.0) < 1e-12);
  assert_true(fabs(cl->lines[1].mean[0] - 38.0 / 6.0) < 1e-12 && fabs(cl->lines[1].mean[1] - 41.0 / 6.0) < 1e-12);
  assert_string_equal(r->headline.verdict_words, "a clear effect");
  assert_int_equal(r->headline.periods_per_year, 12);
  attrib_analyze_result_free(r);
  /* refusals name the options field */
  const char *bad[] = {"enrolled", "completed=c,enrolled=e", "enrolled=", "passed=e"};
  for (size_t q = 0; q < 4; q++) {
    o.funnel = bad[q];
    assert_int_equal(attrib_analyze(t, &o, &r, &err), ATTRIB_EINVAL);
    assert_non_null(strstr(err.message, "analyze.funnel"));
  }
  o.funnel = "enrolled=y";
  assert_int_equal(attrib_analyze(t, &o, &r, &err), ATTRIB_ETYPE);
  o.funnel = NULL, o.period = "fortnight";
  assert_int_equal(attrib_analyze(t, &o, &r, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "analyze.period"));
  attrib_table_free(t);
}

/* every method, the ROI and the one-pager's steps: no failure turned into a note */
static int cohort_complete(const attrib_analyze_result *r) {
  int complete = r->n_methods == 3 && r->roi && r->attribution_sweep && r->tornado && r->has_scores && r->n_balance &&
                 r->funnel.n_tiers == 1 && r->cohort_lines.kind == 2 && r->mediation && r->pilot.computed &&
                 r->pilot.at_effect && r->pilot.required;
  for (size_t q = 0; q < r->n_methods; q++) complete &= r->methods[q].status == ATTRIB_OK;
  return complete;
}

static void test_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(120, 3, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "tenure + prior_perf + factor(role)";
  o.has_roi = 1, o.roi.learners = 50, o.roi.value_per_unit = 100, o.roi.cost_per_learner = 10;
  o.funnel = "enrolled=trained", o.baseline = "tenure"; /* the one-pager's steps too */
  o.mediator = "engagement";                              /* and issue 18's: the mediation and the pilot */
  test_analyze_until_complete(t, &o, 20000, cohort_complete);
  attrib_table_free(t);
}

/* Allocation failures inside the honest bounds of a staggered panel
 * (CS refit with the universal base, the RM sets, the break-even search):
 * tens of thousands of allocations and about 0.4 s a run, so the failure
 * points are sampled: 40 spread over the whole run at an odd stride (the
 * early, non-honest allocations are covered by test_out_of_memory_panel);
 * each must fail cleanly with ATTRIB_ENOMEM and no result, and the run
 * that reaches no failure must have the bounds. */
static void test_out_of_memory_honest(void **state) {
  (void)state;
  attrib_table *t = sim_panel(120, 5, ATTRIB_SIM_STAGGERED);
  attrib_analyze_options o;
  panel_options(&o);
  o.methods = ATTRIB_ANALYZE_DID;
  o.has_roi = 1, o.roi.value_per_unit = 100, o.roi.cost_per_learner = 10;
  const double m[] = {0, 1};
  o.honest_m = m, o.n_honest_m = 2;
  /* how many allocations a whole run makes */
  const long big = 1L << 40;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  attrib_debug_fail_alloc_after(big);
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  long total = big - attrib_debug_fail_alloc_countdown();
  attrib_debug_fail_alloc_after(0);
  assert_non_null(r->honest);
  attrib_analyze_result_free(r);
  assert_true(total > 1000);
  long stride = (total / 40) | 1;
  for (long k = stride / 2; k <= total; k += stride) {
    r = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_analyze(t, &o, &r, &err);
    attrib_debug_fail_alloc_after(0);
    if (s != ATTRIB_OK) {
      if (s != ATTRIB_ENOMEM) fail_msg("allocation %ld of %ld: %s", k, total, err.message);
      assert_null(r);
      continue;
    }
    /* a failure inside the honest step may only turn it into a note, never a half result */
    assert_true(r->honest || r->honest_note);
    attrib_analyze_result_free(r);
  }
  /* the last allocation */
  r = NULL;
  attrib_debug_fail_alloc_after(total);
  attrib_status s = attrib_analyze(t, &o, &r, &err);
  attrib_debug_fail_alloc_after(0);
  assert_int_equal(s, ATTRIB_ENOMEM);
  assert_null(r);
  attrib_table_free(t);
}

/* the honest options checked before any work, naming the fields (the CLI maps them to --honest, --mbar/--m) */
static void test_honest_options(void **state) {
  (void)state;
  attrib_table *t = sim_panel(60, 3, ATTRIB_SIM_SINGLE);
  attrib_analyze_options o;
  panel_options(&o);
  assert_int_equal(o.honest, ATTRIB_HONEST_RM);
  const double neg[] = {0, -1}, m[] = {0, 0.1};
  struct {
    attrib_honest_restriction honest;
    int no_honest;
    const double *m;
    size_t n;
    const char *message;
  } bad[] = {{(attrib_honest_restriction)7, 0, NULL, 0, "analyze.honest must be rm"},
             {ATTRIB_HONEST_SD, 0, NULL, 0, "analyze.honest sd needs analyze.honest_m"},
             {ATTRIB_HONEST_RM, 0, neg, 2, "analyze.honest_m: values must be finite and >= 0, got -1"},
             {ATTRIB_HONEST_RM, 1, m, 2, "analyze.honest_m: values given with analyze.no_honest"},
             {ATTRIB_HONEST_RM, 0, NULL, 2, "analyze.honest_m is NULL"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    o.honest = bad[i].honest, o.no_honest = bad[i].no_honest, o.honest_m = bad[i].m, o.n_honest_m = bad[i].n;
    attrib_analyze_result *r = NULL;
    attrib_error err;
    assert_int_equal(attrib_analyze(t, &o, &r, &err), ATTRIB_EINVAL);
    assert_null(r);
    if (!strstr(err.message, bad[i].message)) fail_msg("case %zu: %s", i, err.message);
  }
  /* none: no bounds, the note says why; sd at the given M */
  o.honest = ATTRIB_HONEST_RM, o.no_honest = 1, o.honest_m = NULL, o.n_honest_m = 0;
  attrib_analyze_result *r = NULL;
  assert_int_equal(attrib_analyze(t, &o, &r, NULL), ATTRIB_OK);
  assert_null(r->honest);
  assert_string_equal(r->honest_note, "not requested");
  attrib_analyze_result_free(r);
  o.honest = ATTRIB_HONEST_SD, o.no_honest = 0, o.honest_m = m, o.n_honest_m = 2;
  assert_int_equal(attrib_analyze(t, &o, &r, NULL), ATTRIB_OK);
  if (!r->honest) fail_msg("sd: no bounds (%s)", r->honest_note ? r->honest_note : "and no note");
  assert_int_equal(r->honest->restriction, ATTRIB_HONEST_SD);
  assert_int_equal(r->honest->n_sets, 2);
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

/* the five methods, the ROI, the events and the one-pager's steps */
static int panel_complete(const attrib_analyze_result *r) {
  int complete = r->n_methods == 5 && r->roi && r->n_events && r->funnel.n_tiers == 1 && r->cohort_lines.kind == 1;
  for (size_t q = 0; q < r->n_methods; q++) complete &= r->methods[q].status == ATTRIB_OK;
  return complete;
}

/* test_out_of_memory's sweep on a single-date panel (the learner rows, both DiD fits) */
static void test_out_of_memory_panel(void **state) {
  (void)state;
  attrib_table *t = sim_panel(60, 3, ATTRIB_SIM_SINGLE);
  attrib_analyze_options o;
  panel_options(&o);
  o.has_roi = 1, o.roi.value_per_unit = 100, o.roi.cost_per_learner = 10;
  o.funnel = "enrolled=treated";
  /* the honest bounds' tens of thousands of allocations (grid, LPs) would make this loop run for hours; their
   * allocation failures are tested in test_honest_did */
  o.no_honest = 1;
  test_analyze_until_complete(t, &o, 40000, panel_complete);
  attrib_table_free(t);
}

/* ---- several KPIs (issue 18, options.extra_outcomes) ------------------------ */

static const char *const kpis[] = {"churned", "calls_per_week", NULL};

/* the table's first row is the headline's primary estimate when no row
 * lacks a KPI (one formula, one design: bit for bit); Holm and Bonferroni
 * are the closed forms over the table's p-values; no bootstrap, no
 * Romano-Wolf, with the reason */
static void check_kpis(const attrib_analyze_result *r, const char *method) {
  assert_int_equal(r->n_outcomes, 3);
  assert_string_equal(r->outcomes_method, method);
  assert_string_equal(r->outcomes[0].outcome, "sales");
  assert_string_equal(r->outcomes[1].outcome, "churned");
  assert_string_equal(r->outcomes[2].outcome, "calls_per_week");
  const attrib_analyze_method *pm = &r->methods[r->primary];
  assert_string_equal(pm->method, method);
  assert_true(r->outcomes[0].effect.estimate == pm->estimate);
  assert_true(r->outcomes[0].effect.std_error == pm->std_error);
  assert_int_equal(r->outcomes_rows_dropped, 0);
  double p[3];
  for (int j = 0; j < 3; j++) p[j] = r->outcomes[j].effect.p_value;
  for (int j = 0; j < 3; j++) {
    const attrib_analyze_outcome *x = &r->outcomes[j];
    assert_string_equal(x->effect.term, "trained");
    assert_true(fabs(x->p_bonferroni - fmin(1.0, 3 * p[j])) < 1e-15);
    int rank = 0; /* Holm: (K - rank) p, made monotone */
    for (int k = 0; k < 3; k++) rank += p[k] < p[j] || (p[k] == p[j] && k < j);
    double h = 0;
    for (int k = 0; k < 3; k++) {
      int rk = 0;
      for (int q = 0; q < 3; q++) rk += p[q] < p[k] || (p[q] == p[k] && q < k);
      if (rk <= rank) h = fmax(h, fmin(1.0, (3 - rk) * p[k]));
    }
    assert_true(fabs(x->p_holm - h) < 1e-15);
    assert_true(isnan(x->p_romano_wolf));
  }
  assert_non_null(r->outcomes_romano_wolf);
  assert_null(r->outcomes_note);
}

static void test_kpis(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 5, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "tenure + prior_perf";
  o.methods = ATTRIB_ANALYZE_OLS | ATTRIB_ANALYZE_PSM, o.threads = 1;
  attrib_analyze_result *r = NULL, *one = NULL;
  attrib_error err;
  /* one KPI: no table */
  assert_status(attrib_analyze(t, &o, &one, &err), ATTRIB_OK, &err);
  assert_int_equal(one->n_outcomes, 0);
  assert_null(one->outcomes_method);
  o.extra_outcomes = kpis;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  check_kpis(r, "ols");
  assert_non_null(strstr(r->outcomes_romano_wolf, "needs the bootstrap"));
  /* the headline is the one-KPI study's */
  assert_true(r->methods[r->primary].estimate == one->methods[one->primary].estimate);
  assert_string_equal(r->headline.verdict, one->headline.verdict);
  attrib_analyze_result_free(r);
  attrib_analyze_result_free(one);
  o.primary = ATTRIB_ANALYZE_PSM;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  check_kpis(r, "psm");
  assert_non_null(strstr(r->outcomes_romano_wolf, "Abadie & Imbens"));
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

static void test_kpis_refused(void **state) {
  (void)state;
  attrib_table *t = test_simulated(200, 5, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "tenure + prior_perf";
  const char *const unknown[] = {"churned", "churnd", NULL}, *const twice[] = {"churned", "sales", NULL},
                    *const treat[] = {"trained", NULL}, *const cov[] = {"tenure", NULL}, *const text[] = {"region", NULL};
  o.extra_outcomes = unknown;
  expect_error(t, &o, ATTRIB_ENOCOL, "no column 'churnd' (outcome)");
  o.extra_outcomes = twice;
  expect_error(t, &o, ATTRIB_EINVAL, "the outcome 'sales' is listed twice");
  o.extra_outcomes = treat;
  expect_error(t, &o, ATTRIB_EINVAL, "'trained' is also the treatment");
  o.extra_outcomes = cov;
  expect_error(t, &o, ATTRIB_EFORMULA, "'tenure' is also among the covariates");
  o.extra_outcomes = text;
  expect_error(t, &o, ATTRIB_ETYPE, "outcome 'region' must be numeric");
  o.extra_outcomes = NULL, o.per_outcome_rows = 1;
  expect_error(t, &o, ATTRIB_EINVAL, "analyze.per_outcome_rows goes with several outcomes");
  attrib_table_free(t);
}

/* a panel whose primary reads the learners' change in the headline KPI:
 * no table, the reason; the headline stands */
static void test_kpis_panel_note(void **state) {
  (void)state;
  attrib_table *t = sim_panel(80, 3, ATTRIB_SIM_SINGLE);
  attrib_analyze_options o;
  panel_options(&o);
  o.no_honest = 1, o.primary = ATTRIB_ANALYZE_OLS;
  const char *const more[] = {"tenure", NULL};
  o.extra_outcomes = more;
  attrib_analyze_result *r = NULL;
  attrib_error err;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->n_outcomes, 0);
  assert_non_null(r->outcomes_note);
  assert_non_null(strstr(r->outcomes_note, "choose a DiD method"));
  attrib_analyze_result_free(r);
  o.primary = ATTRIB_ANALYZE_TWFE;
  assert_status(attrib_analyze(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->n_outcomes, 2);
  assert_string_equal(r->outcomes_method, "twfe");
  assert_true(r->outcomes[0].effect.estimate == r->methods[r->primary].estimate);
  attrib_analyze_result_free(r);
  attrib_table_free(t);
}

static int kpis_complete(const attrib_analyze_result *r) { return r->n_outcomes == 3 && r->outcomes_romano_wolf; }

static void test_kpis_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(120, 3, 2.0, 0);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  o.outcome = "sales", o.treat = "trained", o.covariates = "tenure + prior_perf";
  o.methods = ATTRIB_ANALYZE_OLS, o.threads = 1, o.extra_outcomes = kpis;
  test_analyze_until_complete(t, &o, 40000, kpis_complete);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cohort_by_hand),
      cmocka_unit_test(test_cohort_capped_levels),
      cmocka_unit_test(test_missing_column),
      cmocka_unit_test(test_treatment_not_01), cmocka_unit_test(test_one_cluster),
      cmocka_unit_test(test_options_refused),
      cmocka_unit_test(test_nothing_estimable),
      cmocka_unit_test(test_panel_staggered),
      cmocka_unit_test(test_panel_honest),
      cmocka_unit_test(test_panel_single_date),
      cmocka_unit_test(test_next_questions),
      cmocka_unit_test(test_panel_cohort_from_treatment),
      cmocka_unit_test(test_primary_and_learners),
      cmocka_unit_test(test_headline),
      cmocka_unit_test(test_funnel_and_lines_by_hand),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_honest_options),
      cmocka_unit_test(test_out_of_memory_panel),
      cmocka_unit_test(test_out_of_memory_honest),
      cmocka_unit_test(test_kpis), cmocka_unit_test(test_kpis_refused), cmocka_unit_test(test_kpis_panel_note),
      cmocka_unit_test(test_kpis_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
