/* OLS out of core (attrib_ols_fit_stream, regression/ols_stream.c): the
 * numbers of the in-memory path (read the table, build the design, fit) to
 * a relative 1e-12, on the bundled data, on files built to cross chunk
 * boundaries at the awkward places (a column that turns categorical in a
 * late chunk, a level present only in rows the model drops, missing cells,
 * zero weights, gzip), and on a generated 1M-row file. P-values are
 * compared on the log scale (1e-12 relative): a p-value of 1e-91 moves by
 * 5e-12 of itself when its t statistic moves by 1e-15 of itself. The
 * estimates, standard errors, t statistics, intervals, rss, R2 and F are
 * The estimates (relative to the larger of themselves and their standard
 * error), rss, tss, sigma and R2 are compared at 1e-12; what involves
 * (X'X)^-1 or the residuals (standard errors, covariances, t, intervals,
 * F, p-values) at 1e-10: (X'X)^-1 carries cond(X)^2 eps of rounding on
 * either path (the in-memory one solves large problems by Cholesky with a
 * refinement step, small ones by QR in long double; the stream by TSQR),
 * and residuals e = y - Xb carry the coefficients' last bits times |y|/|e|.
 * Seen: 1.3e-11 (lalonde, factor(educ)), 1.6e-11 (1M rows, CR1). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "test_support.h"

#define TOL 1e-12

static void close_tol(double a, double e, double scale, double tol, const char *what, const char *term) {
  if ((isnan(a) && isnan(e)) || a == e) return;
  double d = fabs(a - e), s = fmax(fabs(e), scale);
  if (!(d <= tol * s)) {
    fprintf(stderr, "%s of '%s': streamed %.17g, in memory %.17g (relative %.3g)\n", what, term, a, e, d / s);
    fail();
  }
}

static void close_rel(double a, double e, double scale, const char *what, const char *term) {
  close_tol(a, e, scale, TOL, what, term);
}

typedef struct scase {
  const char *path; /* absolute */
  const char *formula;
  const char *weights;
  const char *cluster;
  attrib_vcov_type vcov;
  size_t chunk_rows;
} scase;

static void compare(const scase *c) {
  attrib_csv_options co;
  attrib_csv_options_init(&co);
  const char *ids[2] = {c->cluster, NULL};
  co.identifiers = c->cluster ? ids : NULL; /* as the CLI reads cluster columns */
  attrib_error err;
  attrib_error_clear(&err);
  attrib_table *t = NULL;
  assert_status(attrib_table_read_csv(c->path, &co, &t, &err), ATTRIB_OK, &err);
  attrib_design_options dopts;
  attrib_design_options_init(&dopts);
  dopts.weights = c->weights;
  dopts.cluster = c->cluster ? ids : NULL;
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.vcov = c->vcov;
  attrib_design *d = NULL;
  attrib_ols_result *a = NULL, *b = NULL;
  assert_status(attrib_ols_fit_formula(t, c->formula, &dopts, &o, &d, &a, &err), ATTRIB_OK, &err);
  assert_status(attrib_ols_fit_stream(c->path, &co, c->formula, &dopts, &o, c->chunk_rows, &b, &err), ATTRIB_OK, &err);
  assert_int_equal(b->streamed, 1);
  assert_int_equal(b->n_obs, a->n_obs);
  assert_int_equal(b->n_input, a->n_input);
  assert_int_equal(b->n_dropped_missing, a->n_dropped_missing);
  assert_int_equal(b->n_dropped_weight, a->n_dropped_weight);
  assert_int_equal(b->rank, a->rank);
  assert_int_equal(b->coef.k, a->coef.k);
  assert_int_equal(b->n_aliased, a->n_aliased);
  size_t k = a->coef.k;
  for (size_t j = 0; j < k; j++) {
    const char *nm = a->coef.term[j];
    assert_string_equal(b->coef.term[j], nm);
    assert_int_equal(b->coef.aliased[j], a->coef.aliased[j]);
    if (a->coef.aliased[j]) continue;
    double se = a->coef.std_error[j];
    close_rel(b->coef.estimate[j], a->coef.estimate[j], se, "estimate", nm);
    close_tol(b->coef.std_error[j], se, 0.0, 100.0 * TOL, "std_error", nm);
    close_tol(b->coef.statistic[j], a->coef.statistic[j], 1.0, 100.0 * TOL, "statistic", nm);
    /* what involves (X'X)^-1 or the residuals at 1e-10: see the header */
    double pa = a->coef.p_value[j], pb = b->coef.p_value[j];
    if (!(fabs(pb - pa) <= 100.0 * TOL * pa)) close_tol(log(pb), log(pa), 1e-300, 100.0 * TOL, "log p_value", nm);
    close_tol(b->coef.ci_low[j], a->coef.ci_low[j], se, 100.0 * TOL, "ci_low", nm);
    close_tol(b->coef.ci_high[j], a->coef.ci_high[j], se, 100.0 * TOL, "ci_high", nm);
    for (size_t q = 0; q < k; q++) {
      if (a->coef.aliased[q]) continue;
      double sc = sqrt(fabs(a->vcov[j * k + j] * a->vcov[q * k + q]));
      close_tol(b->vcov[q * k + j], a->vcov[q * k + j], sc, 100.0 * TOL, "vcov", nm);
    }
  }
  close_rel(b->rss, a->rss, 0.0, "rss", "");
  close_rel(b->tss, a->tss, 0.0, "tss", "");
  close_rel(b->sigma, a->sigma, 0.0, "sigma", "");
  close_rel(b->r_squared, a->r_squared, 0.0, "r_squared", "");
  close_rel(b->adj_r_squared, a->adj_r_squared, 0.0, "adj_r_squared", "");
  close_tol(b->f_statistic, a->f_statistic, 0.0, 100.0 * TOL, "f_statistic", "");
  close_rel(b->df_resid, a->df_resid, 0.0, "df_resid", "");
  close_rel(b->df_inference, a->df_inference, 0.0, "df_inference", "");
  assert_int_equal(b->n_cluster_dims, a->n_cluster_dims);
  if (a->n_cluster_dims) assert_int_equal(b->n_clusters[0], a->n_clusters[0]);
  assert_int_equal(b->n_warnings, a->n_warnings);
  attrib_ols_result_free(a);
  attrib_ols_result_free(b);
  attrib_design_free(d);
  attrib_table_free(t);
}

static const attrib_vcov_type vcovs[] = {ATTRIB_VCOV_IID, ATTRIB_VCOV_HC0, ATTRIB_VCOV_HC1, ATTRIB_VCOV_HC2,
                                         ATTRIB_VCOV_HC3};

static void test_bundled(void **state) {
  (void)state;
  char *learners = test_source_path("datasets/learners_sample.csv");
  char *lalonde = test_source_path("datasets/lalonde.csv");
  char *panel = test_source_path("datasets/panel_sample.csv");
  const char *lf[] = {"sales ~ trained + tenure + factor(role) + region + age:tenure + factor(team)",
                      "sales ~ trained * region + engagement + tenure:factor(role)", "sales ~ 0 + factor(role) + trained"};
  size_t chunks[] = {0, 97, 3};
  for (size_t f = 0; f < sizeof lf / sizeof lf[0]; f++)
    for (size_t ch = 0; ch < 3; ch++) {
      for (size_t v = 0; v < sizeof vcovs / sizeof vcovs[0]; v++) {
        if (ch == 2 && v > 1) continue; /* 3-row chunks: slow, iid and hc0 suffice */
        scase c = {learners, lf[f], NULL, NULL, vcovs[v], chunks[ch]};
        compare(&c);
      }
      scase cl = {learners, lf[f], NULL, "team", ATTRIB_VCOV_CLUSTER, chunks[ch]};
      compare(&cl);
      scase w = {learners, lf[f], "training_hours", "region", ATTRIB_VCOV_CLUSTER, chunks[ch]};
      compare(&w);
    }
  scase l1 = {lalonde, "re78 ~ treat + age + educ + race + married + nodegree + re74 + re75", NULL, NULL, ATTRIB_VCOV_HC1, 50};
  compare(&l1);
  scase l2 = {lalonde, "re78 ~ treat + factor(educ) + race", NULL, "race", ATTRIB_VCOV_CLUSTER, 64};
  compare(&l2);
  scase p1 = {panel, "sales ~ treated + factor(period) + role + tenure", NULL, "learner_id", ATTRIB_VCOV_CLUSTER, 333};
  compare(&p1);
  scase p2 = {panel, "sales ~ treated + factor(cohort) + prior_perf", "tenure", NULL, ATTRIB_VCOV_HC1, 1000};
  compare(&p2);
  free(learners);
  free(lalonde);
  free(panel);
}

/* A file that crosses chunk boundaries where it hurts. */
static char *write_awkward(int gz) {
  char *path = strdup(gz ? "/tmp/attrib_stream_XXXXXX.csv.gz" : "/tmp/attrib_stream_XXXXXX.csv");
  int fd = mkstemps(path, gz ? 7 : 4);
  assert_true(fd >= 0);
  close(fd);
  gzFile g = gz ? gzopen(path, "wb") : NULL;
  FILE *f = gz ? NULL : fopen(path, "w");
  assert_true(gz ? g != NULL : f != NULL);
  char line[256];
  const char *hdr = "y,x,late,grp,w,cl,z\n";
  if (gz) gzputs(g, hdr);
  else fputs(hdr, f);
  unsigned long s = 12345;
  for (int i = 0; i < 1000; i++) {
    s = s * 6364136223846793005UL + 1442695040888963407UL;
    double u = (double)(s >> 11) / 9007199254740992.0;
    double x = (double)(i % 37) / 7.0 + u;
    /* 'late': numbers until row 900, then one text cell: categorical from row 0 */
    char late[32];
    if (i == 900) snprintf(late, sizeof late, "n/a_text");
    else snprintf(late, sizeof late, "%d", i % 5);
    /* grp: level 'zz' only where y is missing (an unused level); 'aa' first */
    const char *grp = i % 3 == 0 ? "aa" : i % 3 == 1 ? "bb" : "cc";
    int ymiss = i % 50 == 7;
    if (ymiss) grp = "zz";
    double w = i % 41 == 3 ? 0.0 : 1.0 + (double)(i % 4);
    double y = 1.0 + 2.0 * x + (i % 3) * 0.5 + u * 3.0;
    snprintf(line, sizeof line, "%s,%.6f,%s,%s,%g,c%d,%s\n", ymiss ? "NA" : (snprintf(late + 16, 16, "%.5f", y), late + 16),
             x, late, grp, w, i % 23, i % 97 == 5 ? "" : "1.5");
    if (gz) gzputs(g, line);
    else fputs(line, f);
  }
  if (gz) gzclose(g);
  else fclose(f);
  return path;
}

static void test_awkward(void **state) {
  (void)state;
  for (int gz = 0; gz < 2; gz++) {
    char *p = write_awkward(gz);
    size_t chunks[] = {64, 100, 0, 7};
    { /* a column made categorical by one text cell in a late chunk: the same refusal */
      attrib_error e1, e2;
      attrib_error_clear(&e1);
      attrib_error_clear(&e2);
      attrib_table *t = NULL;
      attrib_design *d = NULL;
      attrib_ols_result *r = NULL;
      assert_status(attrib_table_read_csv(p, NULL, &t, &e1), ATTRIB_OK, &e1);
      assert_int_equal(attrib_ols_fit_formula(t, "y ~ x + late", NULL, NULL, &d, &r, &e1), ATTRIB_ETYPE);
      assert_int_equal(attrib_ols_fit_stream(p, NULL, "y ~ x + late", NULL, NULL, 64, &r, &e2), ATTRIB_ETYPE);
      assert_string_equal(e2.message, e1.message);
      attrib_table_free(t);
    }
    for (size_t ch = 0; ch < 4; ch++) {
      scase a = {p, "y ~ x + factor(late) + grp + z", NULL, NULL, ATTRIB_VCOV_HC1, chunks[ch]};
      compare(&a);
      scase b = {p, "y ~ x * grp", "w", "cl", ATTRIB_VCOV_CLUSTER, chunks[ch]};
      compare(&b);
      scase c = {p, "y ~ x + z + grp:x", "w", NULL, ATTRIB_VCOV_IID, chunks[ch]};
      compare(&c);
    }
    unlink(p);
    free(p);
  }
}

/* 1M rows: a few seconds (the 10M comparison is benchmarks/stream.sh). */
static void test_million(void **state) {
  (void)state;
  char path[] = "/tmp/attrib_stream_1m_XXXXXX.csv";
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs("y,x1,x2,g,cl\n", f);
  unsigned long s = 99;
  for (long i = 0; i < 1000000; i++) {
    s = s * 6364136223846793005UL + 1442695040888963407UL;
    double u = (double)(s >> 11) / 9007199254740992.0;
    s = s * 6364136223846793005UL + 1442695040888963407UL;
    double v = (double)(s >> 11) / 9007199254740992.0;
    int g = (int)(u * 12.0);
    double x1 = u * 10.0 - 3.0, x2 = v * v;
    double y = 0.5 + 1.5 * x1 - 2.0 * x2 + 0.1 * g + (u - 0.5) * (v + 1.0);
    fprintf(f, "%.6f,%.6f,%.6f,L%d,%ld\n", y, x1, x2, g, (long)(v * 4000.0));
  }
  fclose(f);
  scase a = {path, "y ~ x1 + x2 + g + x1:x2", NULL, NULL, ATTRIB_VCOV_IID, 0};
  compare(&a);
  scase b = {path, "y ~ x1 + x2 + g", NULL, "cl", ATTRIB_VCOV_CLUSTER, 0};
  compare(&b);
  unlink(path);
}

static void test_refusals(void **state) {
  (void)state;
  char *learners = test_source_path("datasets/learners_sample.csv");
  attrib_error err;
  attrib_error_clear(&err);
  attrib_ols_result *r = NULL;
  assert_status(attrib_ols_fit_stream(learners, NULL, "sales ~ trained | team", NULL, NULL, 0, &r, &err), ATTRIB_EUSAGE,
                &err);
  assert_non_null(strstr(err.message, "needs the table in memory"));
  assert_non_null(strstr(err.message, "about 2000 rows"));
  assert_null(r);
  attrib_error_clear(&err);
  assert_status(attrib_ols_fit_stream("-", NULL, "sales ~ trained", NULL, NULL, 0, &r, &err), ATTRIB_EUSAGE, &err);
  attrib_error_clear(&err);
  assert_status(attrib_ols_fit_stream(learners, NULL, "sales ~ nosuch", NULL, NULL, 0, &r, &err), ATTRIB_ENOCOL, &err);
  assert_non_null(strstr(err.message, "no column 'nosuch'"));
  free(learners);
}

static void test_out_of_memory(void **state) {
  (void)state;
  char *learners = test_source_path("datasets/learners_sample.csv");
  const char *ids[2] = {"team", NULL};
  attrib_design_options dopts;
  attrib_design_options_init(&dopts);
  dopts.cluster = ids;
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.vcov = ATTRIB_VCOV_CLUSTER;
  /* every allocation failing in turn ends in ATTRIB_ENOMEM, never a crash or a leak (ASan) */
  for (long after = 0;; after += 7) {
    attrib_error err;
    attrib_error_clear(&err);
    attrib_ols_result *r = NULL;
    attrib_debug_fail_alloc_after(after);
    attrib_status s = attrib_ols_fit_stream(learners, NULL, "sales ~ trained + factor(role)", &dopts, &o, 500, &r, &err);
    attrib_debug_fail_alloc_after(-1);
    attrib_ols_result_free(r);
    if (s == ATTRIB_OK) break;
    assert_int_equal(s, ATTRIB_ENOMEM);
  }
  free(learners);
}

/* did's 2x2 streamed: the same effect, cells and counts as attrib_did_fit */
static void test_did_2x2(void **state) {
  (void)state;
  char *learners = test_source_path("datasets/learners_sample.csv");
  const char *cl[3] = {NULL, "team", NULL};
  const char *covs[3] = {NULL, "tenure + factor(role)", "prior_perf"};
  for (int c = 0; c < 3; c++) {
    attrib_csv_options co;
    attrib_csv_options_init(&co);
    const char *ids[2] = {cl[c % 2], NULL};
    co.identifiers = ids[0] ? ids : NULL;
    attrib_did_options o;
    attrib_did_options_init(&o);
    o.outcome = "sales";
    o.treat = "trained";
    o.post = "remote";
    o.cluster = cl[c % 2];
    o.covariates = covs[c];
    attrib_error err;
    attrib_error_clear(&err);
    attrib_table *t = NULL;
    attrib_did_result *a = NULL, *b = NULL;
    assert_status(attrib_table_read_csv(learners, &co, &t, &err), ATTRIB_OK, &err);
    assert_status(attrib_did_fit(t, &o, &a, &err), ATTRIB_OK, &err);
    assert_status(attrib_did_fit_stream(learners, &co, &o, 123, &b, &err), ATTRIB_OK, &err);
    assert_int_equal(b->streamed, 1);
    assert_int_equal(b->n_obs, a->n_obs);
    assert_int_equal(b->n_clusters, a->n_clusters);
    close_rel(b->effect.estimate, a->effect.estimate, a->effect.std_error, "estimate", "treat:post");
    close_tol(b->effect.std_error, a->effect.std_error, 0.0, 100.0 * TOL, "std_error", "treat:post");
    close_tol(b->effect.p_value, a->effect.p_value, 0.0, 100.0 * TOL, "p_value", "treat:post");
    close_rel(b->df, a->df, 0.0, "df", "");
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < 2; j++) {
        assert_int_equal(b->cell_n[i][j], a->cell_n[i][j]);
        close_rel(b->means[i][j], a->means[i][j], 0.0, "cell mean", "");
      }
    assert_int_equal(b->n_warnings, a->n_warnings);
    attrib_did_result_free(a);
    attrib_did_result_free(b);
    attrib_table_free(t);
  }
  /* the indicator's checks, with the file's row */
  attrib_did_options o;
  attrib_did_options_init(&o);
  o.outcome = "sales";
  o.treat = "trained";
  o.post = "tickets"; /* counts, not 0/1 */
  attrib_error e1, e2;
  attrib_error_clear(&e1);
  attrib_error_clear(&e2);
  attrib_table *t = test_load("datasets/learners_sample.csv");
  attrib_did_result *r = NULL;
  attrib_status s1 = attrib_did_fit(t, &o, &r, &e1);
  attrib_status s2 = attrib_did_fit_stream(learners, NULL, &o, 100, &r, &e2);
  assert_int_equal(s2, s1);
  /* the source is the path in both; the row is the file's */
  assert_string_equal(strstr(e2.message, ": "), strstr(e1.message, ": "));
  attrib_table_free(t);
  /* a panel: refused, with the memory it needs */
  attrib_did_options_init(&o);
  o.outcome = "sales";
  o.unit = "learner_id";
  o.time = "team";
  o.cohort = "tickets";
  assert_int_equal(attrib_did_fit_stream(learners, NULL, &o, 0, &r, &e2), ATTRIB_EUSAGE);
  assert_non_null(strstr(e2.message, "needs the table in memory"));
  free(learners);
}

/* logit and probit streamed: one pass per Newton step. Both fits iterate
 * to the same optimum from different starts (the in-memory one from the
 * intercept-only fit, with a warm start on a subsample for large n; the
 * stream from glm's QR step) and stop when the next step is below 1e-10 of
 * the coefficients: estimates and standard errors agree to 1e-10 for the
 * logit (Newton: quadratic convergence) and 1e-9 for the probit (Fisher
 * scoring converges linearly; seen 1.0e-10), the deviance to 1e-12. */
static void compare_logit(const char *path, const char *formula, attrib_link link, attrib_vcov_type vcov,
                          const char *cluster, const char *weights, size_t chunk) {
  attrib_csv_options co;
  attrib_csv_options_init(&co);
  const char *ids[2] = {cluster, NULL};
  co.identifiers = cluster ? ids : NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_table *t = NULL;
  assert_status(attrib_table_read_csv(path, &co, &t, &err), ATTRIB_OK, &err);
  attrib_design_options dopts;
  attrib_design_options_init(&dopts);
  dopts.cluster = cluster ? ids : NULL;
  dopts.weights = weights;
  attrib_logit_options o;
  attrib_logit_options_init(&o);
  o.link = link;
  o.vcov = vcov;
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  attrib_logit_result *a = NULL, *b = NULL;
  assert_status(attrib_formula_parse(formula, &f, &err), ATTRIB_OK, &err);
  assert_status(attrib_design_build(t, f, &dopts, &d, &err), ATTRIB_OK, &err);
  assert_status(attrib_logit_fit(d, &o, &a, &err), ATTRIB_OK, &err);
  assert_status(attrib_logit_fit_stream(path, &co, formula, &dopts, &o, chunk, &b, &err), ATTRIB_OK, &err);
  assert_int_equal(b->streamed, 1);
  assert_int_equal(b->n_obs, a->n_obs);
  assert_int_equal(b->n_dropped_missing, a->n_dropped_missing);
  assert_int_equal(b->rank, a->rank);
  assert_int_equal(b->converged, a->converged);
  for (size_t j = 0; j < a->coef.k; j++) {
    const char *nm = a->coef.term[j];
    assert_string_equal(b->coef.term[j], nm);
    assert_int_equal(b->coef.aliased[j], a->coef.aliased[j]);
    if (a->coef.aliased[j]) continue;
    double lt = link == ATTRIB_LINK_LOGIT ? 100.0 * TOL : 1000.0 * TOL;
    close_tol(b->coef.estimate[j], a->coef.estimate[j], a->coef.std_error[j], lt, "logit estimate", nm);
    close_tol(b->coef.std_error[j], a->coef.std_error[j], 0.0, lt, "logit std_error", nm);
  }
  close_rel(b->deviance, a->deviance, 0.0, "deviance", "");
  close_rel(b->null_deviance, a->null_deviance, 0.0, "null deviance", "");
  close_rel(b->aic, a->aic, 0.0, "aic", "");
  assert_int_equal(b->n_warnings, a->n_warnings);
  if (a->n_cluster_dims) assert_int_equal(b->n_clusters[0], a->n_clusters[0]);
  attrib_logit_result_free(a);
  attrib_logit_result_free(b);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
}

static void test_logit(void **state) {
  (void)state;
  char *learners = test_source_path("datasets/learners_sample.csv");
  char *lalonde = test_source_path("datasets/lalonde.csv");
  const char *lf = "trained ~ tenure + factor(role) + region + prior_perf + engagement";
  attrib_vcov_type v[] = {ATTRIB_VCOV_IID, ATTRIB_VCOV_HC0, ATTRIB_VCOV_HC1};
  for (int link = 0; link < 2; link++) {
    for (size_t q = 0; q < 3; q++) compare_logit(learners, lf, (attrib_link)link, v[q], NULL, NULL, q == 0 ? 0 : 101);
    compare_logit(learners, lf, (attrib_link)link, ATTRIB_VCOV_CLUSTER, "team", NULL, 333);
    compare_logit(learners, lf, (attrib_link)link, ATTRIB_VCOV_HC1, NULL, "tenure", 250);
    compare_logit(lalonde, "treat ~ age + educ + race + married + nodegree + re74 + re75", (attrib_link)link,
                  ATTRIB_VCOV_HC1, NULL, NULL, 64);
  }
  /* refusals: a non-binary outcome names the file's row, as in memory */
  attrib_error e1, e2;
  attrib_error_clear(&e1);
  attrib_error_clear(&e2);
  attrib_table *t = test_load("datasets/learners_sample.csv");
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  attrib_logit_result *r = NULL;
  assert_status(attrib_formula_parse("tickets ~ tenure", &f, &e1), ATTRIB_OK, &e1);
  assert_status(attrib_design_build(t, f, NULL, &d, &e1), ATTRIB_OK, &e1);
  attrib_status s1 = attrib_logit_fit(d, NULL, &r, &e1);
  attrib_status s2 = attrib_logit_fit_stream(learners, NULL, "tickets ~ tenure", NULL, NULL, 100, &r, &e2);
  assert_int_equal(s2, s1);
  assert_string_equal(e2.message, e1.message);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
  free(learners);
  free(lalonde);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bundled),     cmocka_unit_test(test_awkward),       cmocka_unit_test(test_million),
      cmocka_unit_test(test_refusals),    cmocka_unit_test(test_out_of_memory), cmocka_unit_test(test_did_2x2),
      cmocka_unit_test(test_logit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
