/* Omitted-variable bias (src/sensitivity/ovb.c) against numbers not made by
 * attrib: sensemakr's published Darfur figures (kd = 1, 2, 3 for female:
 * tests/reference/sensitivity/ovb_sensemakr_published.csv), the paper's
 * formulas evaluated in R on lm fits (make_ovb_reference.R: ky != kd, q = 1/2,
 * a capped bound, the contour grid, both branches of RV_{q,alpha}), and a
 * brute-force search for the robustness value from its definition. Also: the
 * treatment regression uses the outcome model's rows, errors name the
 * benchmark, every allocation failure is reported cleanly. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#define DARFUR "tests/reference/sensitivity/darfur.csv"
static const char *const darfur_formula =
    "peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female + factor(village)";
/* the same model with village absorbed: the same estimates and df (sensemakr's
 * tests find lm and feols equal too), without 486 dense columns */
static const char *const darfur_formula_fe =
    "peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female | village";

static const char *text_at(const attrib_table *t, const char *col, size_t row) {
  long j = attrib_table_column_find(t, col);
  if (j < 0 || t->cols[j].type != ATTRIB_COLUMN_CATEGORICAL) fail_msg("no text column %s", col);
  return t->cols[j].levels[t->cols[j].codes[row]];
}

static attrib_ovb_result *fit_formula(const attrib_table *t, const char *formula, const char *const *bench, size_t nb,
                                      const double *kd, const double *ky, size_t nk, double q, double alpha) {
  attrib_ovb_options o;
  attrib_ovb_options_init(&o);
  o.formula = formula;
  o.treat = "directlyharmed";
  o.benchmarks = bench, o.n_benchmarks = nb;
  if (kd) o.kd = kd, o.ky = ky, o.n_k = nk;
  o.q = q, o.alpha = alpha;
  o.threads = 1;
  attrib_ovb_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  return r;
}

static attrib_ovb_result *fit(const attrib_table *t, const char *const *bench, size_t nb, const double *kd,
                              const double *ky, size_t nk, double q, double alpha) {
  return fit_formula(t, darfur_formula_fe, bench, nb, kd, ky, nk, q, alpha);
}

/* sensemakr's numbers for kd = 1, 2, 3 (attrib's kd R2/(1 - kd R2) got kd 2 and 3 wrong) */
static void test_darfur_published(void **state) {
  (void)state;
  attrib_table *t = test_load(DARFUR), *pub = test_load("tests/reference/sensitivity/ovb_sensemakr_published.csv");
  const char *bench[] = {"female"};
  attrib_ovb_result *r = fit_formula(t, darfur_formula, bench, 1, NULL, NULL, 0, 1.0, 0.05);
  assert_int_equal(r->n_bounds, 3);
  assert_int_equal(r->n_obs, 1276);
  for (size_t i = 0; i < pub->n_rows; i++) {
    const char *name = text_at(pub, "name", i);
    double want = test_value(pub, "value", (long)i), tol = test_value(pub, "abs_tolerance", (long)i), got = NAN;
    const attrib_ovb *s = &r->stats;
    if (!strcmp(name, "estimate")) got = s->estimate;
    else if (!strcmp(name, "std_error")) got = s->std_error;
    else if (!strcmp(name, "t")) got = s->t;
    else if (!strcmp(name, "dof")) got = s->dof;
    else if (!strcmp(name, "partial_r2")) got = s->partial_r2_treat;
    else if (!strcmp(name, "rv_q")) got = s->rv_q;
    else if (!strcmp(name, "rv_qa")) got = s->rv_qa;
    else {
      int k;
      char col[64];
      if (sscanf(name, "female_kd%d_%63s", &k, col) != 2 || k < 1 || k > 3) fail_msg("unknown reference %s", name);
      const attrib_ovb_bound *b = &r->bounds[k - 1];
      assert_true(b->kd == k && b->ky == k);
      if (!strcmp(col, "r2dz_x")) got = b->r2dz_x;
      else if (!strcmp(col, "r2yz_dx")) got = b->r2yz_dx;
      else if (!strcmp(col, "adjusted_estimate")) got = b->adjusted_estimate;
      else if (!strcmp(col, "adjusted_se")) got = b->adjusted_se;
      else if (!strcmp(col, "adjusted_t")) got = b->adjusted_t;
      else if (!strcmp(col, "adjusted_lower")) got = b->adjusted_lower;
      else if (!strcmp(col, "adjusted_upper")) got = b->adjusted_upper;
      else fail_msg("unknown reference %s", name);
    }
    if (!(fabs(got - want) <= tol)) fail_msg("%s: got %.17g, published %.17g (tolerance %g)", name, got, want, tol);
  }
  /* the paper's rounding: a confounder as strong as female explains 0.9% of
   * the treatment's and 12.5% of the outcome's residual variance */
  assert_true(fabs(100 * r->bounds[0].r2dz_x - 0.9) < 0.05 && fabs(100 * r->bounds[0].r2yz_dx - 12.5) < 0.05);
  /* village absorbed: the same figures (the treatment regression absorbs it too) */
  attrib_ovb_result *f = fit(t, bench, 1, NULL, NULL, 0, 1.0, 0.05);
  assert_true(f->stats.dof == r->stats.dof);
  assert_rel_close(f->stats.rv_qa, r->stats.rv_qa, 1e-12, "rv_qa, absorbed");
  for (size_t k = 0; k < 3; k++) {
    assert_rel_close(f->bounds[k].r2dz_x, r->bounds[k].r2dz_x, 1e-11, "r2dz_x, absorbed");
    assert_rel_close(f->bounds[k].r2yz_dx, r->bounds[k].r2yz_dx, 1e-11, "r2yz_dx, absorbed");
    assert_rel_close(f->bounds[k].adjusted_estimate, r->bounds[k].adjusted_estimate, 1e-11, "adjusted, absorbed");
  }
  attrib_ovb_result_free(f);
  attrib_ovb_result_free(r);
  attrib_table_free(pub);
  attrib_table_free(t);
}

/* three benchmarks, kd != ky, q = 1 and 1/2, a bound capped at R2yz.dx = 1 */
static void test_darfur_reference(void **state) {
  (void)state;
  attrib_table *t = test_load(DARFUR), *ref = test_load("tests/reference/sensitivity/ovb_bounds.csv"),
               *st = test_load("tests/reference/sensitivity/ovb_stats.csv");
  const char *bench[] = {"female", "pastvoted", "age"};
  static const double kd[] = {1, 2, 3, 1, 2, 3, 0.5, 1}, ky[] = {1, 2, 3, 2, 0.5, 1, 4, 9};
  const size_t nk = sizeof kd / sizeof *kd;
  const double tol = 1e-10;
  for (int qi = 0; qi < 2; qi++) {
    double q = qi ? 0.5 : 1.0;
    attrib_ovb_result *r = fit(t, bench, 3, kd, ky, nk, q, 0.05);
    assert_int_equal(r->n_bounds, 3 * nk);
    size_t seen = 0;
    for (size_t i = 0; i < ref->n_rows; i++) {
      if (test_value(ref, "q", (long)i) != q) continue;
      const char *b = text_at(ref, "benchmark", i);
      double k1 = test_value(ref, "kd", (long)i), k2 = test_value(ref, "ky", (long)i);
      const attrib_ovb_bound *bd = NULL;
      for (size_t j = 0; j < r->n_bounds; j++)
        if (!strcmp(r->benchmarks[r->bounds[j].benchmark], b) && r->bounds[j].kd == k1 && r->bounds[j].ky == k2)
          bd = &r->bounds[j];
      assert_non_null(bd);
      seen++;
      assert_rel_close(r->r2dxj_x[bd->benchmark], test_value(ref, "r2dxj_x", (long)i), tol, "r2dxj_x");
      assert_rel_close(r->r2yxj_dx[bd->benchmark], test_value(ref, "r2yxj_dx", (long)i), tol, "r2yxj_dx");
      assert_rel_close(bd->r2dz_x, test_value(ref, "r2dz_x", (long)i), tol, "r2dz_x");
      assert_rel_close(bd->r2yz_dx, test_value(ref, "r2yz_dx", (long)i), tol, "r2yz_dx");
      assert_int_equal(bd->capped, (int)test_value(ref, "capped", (long)i));
      assert_rel_close(bd->adjusted_estimate, test_value(ref, "adjusted_estimate", (long)i), tol, "adjusted_estimate");
      assert_rel_close(bd->adjusted_se, test_value(ref, "adjusted_se", (long)i), tol, "adjusted_se");
      double want_t = test_value(ref, "adjusted_t", (long)i);
      if (isnan(want_t)) assert_true(isnan(bd->adjusted_t) && bd->capped);
      else assert_rel_close(bd->adjusted_t, want_t, tol, "adjusted_t");
      assert_rel_close(bd->adjusted_lower, test_value(ref, "adjusted_lower", (long)i), tol, "adjusted_lower");
      assert_rel_close(bd->adjusted_upper, test_value(ref, "adjusted_upper", (long)i), tol, "adjusted_upper");
    }
    assert_int_equal(seen, 3 * nk);
    attrib_ovb_result_free(r);
  }
  /* the statistics at each (q, alpha) of ovb_stats.csv: one fit, then
   * attrib_ovb_compute on its estimate, SE and df */
  attrib_ovb_result *r = fit(t, NULL, 0, NULL, NULL, 0, 1.0, 0.05);
  for (size_t i = 0; i < st->n_rows; i++) {
    attrib_ovb s;
    assert_status(attrib_ovb_compute(r->stats.estimate, r->stats.std_error, r->stats.dof, test_value(st, "q", (long)i),
                                     test_value(st, "alpha", (long)i), &s, NULL),
                  ATTRIB_OK, NULL);
    assert_rel_close(s.estimate, test_value(st, "estimate", (long)i), 1e-12, "estimate");
    assert_rel_close(s.std_error, test_value(st, "std_error", (long)i), 1e-12, "std_error");
    assert_rel_close(s.t, test_value(st, "t", (long)i), 1e-12, "t");
    assert_rel_close(s.dof, test_value(st, "dof", (long)i), 0, "dof");
    assert_rel_close(s.partial_r2_treat, test_value(st, "partial_r2", (long)i), 1e-12, "partial_r2");
    assert_rel_close(s.rv_q, test_value(st, "rv_q", (long)i), 1e-12, "rv_q");
    assert_rel_close(s.rv_qa, test_value(st, "rv_qa", (long)i), 1e-10, "rv_qa");
  }
  attrib_ovb_result_free(r);
  attrib_table_free(st);
  attrib_table_free(ref);
  attrib_table_free(t);
}

static void test_grid(void **state) {
  (void)state;
  attrib_table *t = test_load(DARFUR), *g = test_load("tests/reference/sensitivity/ovb_grid.csv");
  attrib_ovb_result *r = fit(t, NULL, 0, NULL, NULL, 0, 1.0, 0.05);
  assert_int_equal(r->grid.n, 11);
  assert_int_equal(g->n_rows, 121);
  for (size_t i = 0; i < g->n_rows; i++) {
    size_t a = i / 11, b = i % 11;
    assert_true(r->grid.r2[a] == test_value(g, "r2dz_x", (long)i) && r->grid.r2[b] == test_value(g, "r2yz_dx", (long)i));
    assert_rel_close(r->grid.adjusted[a * 11 + b], test_value(g, "adjusted_estimate", (long)i), 1e-10, "grid");
  }
  assert_true(r->grid.adjusted[0] == r->stats.estimate);
  attrib_ovb_result_free(r);
  attrib_table_free(g);
  attrib_table_free(t);
}

static void test_rv_reference(void **state) {
  (void)state;
  attrib_table *ref = test_load("tests/reference/sensitivity/ovb_rv.csv");
  int branch2 = 0;
  for (size_t i = 0; i < ref->n_rows; i++) {
    double t = test_value(ref, "t", (long)i), df = test_value(ref, "dof", (long)i), q = test_value(ref, "q", (long)i),
           a = test_value(ref, "alpha", (long)i);
    assert_rel_close(attrib_ovb_rv(t, df, q, a), test_value(ref, "rv", (long)i), 1e-10, "rv");
    branch2 += test_value(ref, "branch", (long)i) == 2;
  }
  assert_true(branch2 >= 3); /* the non-binding case is covered */
  attrib_table_free(ref);
}

/* Does a confounder with partial R2s at most r make the estimate (alpha = 1)
 * or its interval reach (1 - q) x estimate? From the definitions only: the
 * adjusted estimate and SE at (r, b), minimised over b in [0, r] by a fine
 * scan (the t falls as R2dz.x grows, so R2dz.x = r is the worst case). */
static int reaches(const attrib_ovb *o, double r, double q, double alpha) {
  double tc = alpha < 1 ? gsl_cdf_tdist_Qinv(alpha / 2, o->dof - 1) : 0.0, h0 = (1 - q) * fabs(o->estimate);
  for (int i = 0; i <= 20000; i++) {
    double b = r * i / 20000.0;
    double bias = o->std_error * sqrt(o->dof) * sqrt(b * r / (1 - r));
    double se = o->std_error * sqrt((1 - b) / (1 - r)) * sqrt(o->dof / (o->dof - 1));
    double adj = fabs(o->estimate) - bias;
    if (alpha >= 1 ? adj <= h0 : adj - h0 <= tc * se) return 1;
  }
  return 0;
}

static double rv_brute(double t, double df, double q, double alpha) {
  attrib_ovb o = {.estimate = t, .std_error = 1.0, .t = t, .dof = df};
  if (reaches(&o, 0.0, q, alpha)) return 0.0;
  double lo = 0.0, hi = 1.0 - 1e-12;
  for (int it = 0; it < 50; it++) {
    double mid = 0.5 * (lo + hi);
    if (reaches(&o, mid, q, alpha)) hi = mid;
    else lo = mid;
  }
  return hi;
}

static void test_rv_brute_force(void **state) {
  (void)state;
  /* (t, df, q, alpha): Darfur; the small-df cases where the equal-strength
   * constraint does not bind (f_q > 1/f*); q = 1/2 and 2; a negative t; RV_q */
  static const double cases[][4] = {{4.18445, 783, 1, 0.05}, {1 / 0.3, 7, 1, 0.05}, {5, 5, 1, 0.05},  {-5, 5, 1, 0.05},
                                    {10, 3, 1, 0.1},         {4, 20, 1, 0.01},      {4.18445, 783, 0.5, 0.05},
                                    {6, 30, 2, 0.05},        {3, 50, 1, 1},         {8, 10, 0.5, 0.2}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const double *c = cases[i];
    double got = attrib_ovb_rv(c[0], c[1], c[2], c[3]), want = rv_brute(c[0], c[1], c[2], c[3]);
    if (!(fabs(got - want) < 2e-4)) fail_msg("case %zu (t %g, df %g, q %g, alpha %g): RV %.10g, brute force %.10g", i, c[0], c[1], c[2], c[3], got, want);
  }
  /* at the RV point the adjusted t equals the critical t (sensemakr's test) */
  attrib_ovb o;
  assert_status(attrib_ovb_compute(0.09731582, 0.02325654, 783, 1, 0.05, &o, NULL), ATTRIB_OK, NULL);
  attrib_ovb_bound b;
  assert_status(attrib_ovb_adjust(&o, o.rv_qa, o.rv_qa, &b, NULL), ATTRIB_OK, NULL);
  assert_rel_close(b.adjusted_t, gsl_cdf_tdist_Qinv(0.025, 782), 1e-9, "t at RV_qa");
  assert_status(attrib_ovb_adjust(&o, o.rv_q, o.rv_q, &b, NULL), ATTRIB_OK, NULL);
  assert_true(fabs(b.adjusted_estimate) < 1e-15);
}

static char *read_all(const char *rel, size_t *len) {
  char *path = test_source_path(rel);
  FILE *f = fopen(path, "rb");
  free(path);
  if (!f) fail_msg("cannot open %s", rel);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) fail_msg("cannot read %s", rel);
  fclose(f);
  s[n] = 0;
  *len = (size_t)n;
  return s;
}

/* A row without the outcome is left out of the treatment regression too:
 * the bounds equal those on the data without that row. */
static void test_same_rows(void **state) {
  (void)state;
  size_t len;
  char *csv = read_all(DARFUR, &len);
  char *blank = malloc(len + 1), *gone = malloc(len + 1);
  assert_true(blank && gone);
  /* line 9 (data row 8, village Abu Gamra with 48 rows: a row alone in its village
   * would change nothing): peacefactor is its 2nd field */
  char *line = csv;
  for (int k = 0; k < 8; k++) line = strchr(line, '\n') + 1;
  char *c1 = strchr(line, ','), *c2 = strchr(c1 + 1, ','), *eol = strchr(line, '\n') + 1;
  size_t a = (size_t)(c1 + 1 - csv), b = (size_t)(c2 - csv);
  memcpy(blank, csv, a), strcpy(blank + a, csv + b);
  memcpy(gone, csv, (size_t)(line - csv)), strcpy(gone + (line - csv), eol);
  attrib_table *tb = NULL, *tg = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_read_csv_buffer(blank, strlen(blank), "blank.csv", NULL, &tb, &err), ATTRIB_OK, &err);
  assert_status(attrib_table_read_csv_buffer(gone, strlen(gone), "gone.csv", NULL, &tg, &err), ATTRIB_OK, &err);
  const char *bench[] = {"female", "age"};
  attrib_ovb_result *rb = fit(tb, bench, 2, NULL, NULL, 0, 1, 0.05), *rg = fit(tg, bench, 2, NULL, NULL, 0, 1, 0.05);
  assert_int_equal(rb->n_obs, rg->n_obs);
  for (size_t j = 0; j < 2; j++) {
    assert_rel_close(rb->r2dxj_x[j], rg->r2dxj_x[j], 1e-12, "r2dxj_x");
    assert_rel_close(rb->r2yxj_dx[j], rg->r2yxj_dx[j], 1e-12, "r2yxj_dx");
  }
  for (size_t j = 0; j < rb->n_bounds; j++) assert_rel_close(rb->bounds[j].adjusted_estimate, rg->bounds[j].adjusted_estimate, 1e-12, "bound");
  attrib_ovb_result_free(rb), attrib_ovb_result_free(rg);
  attrib_table_free(tb), attrib_table_free(tg);
  free(csv), free(blank), free(gone);
}

static void test_errors(void **state) {
  (void)state;
  attrib_table *t = test_load(DARFUR);
  attrib_ovb_options o;
  attrib_ovb_result *r = NULL;
  attrib_error err;
  const char *bench[] = {"female"}, *nope[] = {"village"}, *typo[] = {"femal"}, *level[] = {"factor(village)zz"};
  attrib_ovb_options_init(&o);
  o.formula = darfur_formula_fe;
  o.treat = "village"; /* absorbed, not a term of its own: a data error, as ols's */
  assert_int_equal(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_EDESIGN);
  assert_null(r);
  assert_non_null(strstr(err.message, "'village' must be a numeric term of its own"));
  o.treat = "directlyharmd"; /* no column: the nearest is named */
  assert_int_equal(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_ENOCOL);
  assert_null(r);
  assert_non_null(strstr(err.message, "did you mean 'directlyharmed'?"));
  o.treat = "directlyharmed";
  o.benchmarks = nope, o.n_benchmarks = 1; /* a column, but absorbed: no coefficient of that name */
  assert_int_equal(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "benchmark 'village' is not a coefficient"));
  o.benchmarks = typo; /* no column: a data error naming the nearest, as for the treatment */
  assert_int_equal(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_ENOCOL);
  assert_null(r);
  assert_non_null(strstr(err.message, "no column 'femal' (the benchmark: expected a coefficient of the model); did you mean 'female'?"));
  o.benchmarks = level; /* a factor level's name that is no coefficient */
  assert_int_equal(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "benchmark 'factor(village)zz' is not a coefficient"));
  static const double big[] = {200}, zero[] = {0};
  o.benchmarks = bench, o.kd = big, o.n_k = 1;
  assert_int_equal(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_EDESIGN);
  assert_non_null(strstr(err.message, "benchmark 'female': a confounder 200 times as strong"));
  o.kd = zero;
  assert_int_equal(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_EINVAL);
  assert_null(r);
  /* kd = 109 leaves R2dz.x = 109 x 0.00908/(1 - 0.00908) just below 1: allowed
   * (the old kd R2 < 1 check let through kd up to 110, whose R2dz.x exceeds 1) */
  attrib_ovb ov;
  assert_status(attrib_ovb_compute(0.1, 0.02, 783, 1, 0.05, &ov, NULL), ATTRIB_OK, NULL);
  attrib_ovb_bound b;
  assert_int_equal(attrib_ovb_bound_compute(&ov, 0.0090810651903295968, 0.109, 109.5, 1, &b, &err), ATTRIB_EDESIGN);
  assert_int_equal(attrib_ovb_bound_compute(&ov, 0.0090810651903295968, 0.0001, 108, 1, &b, &err), ATTRIB_OK);
  assert_true(b.r2dz_x < 1);
  attrib_table_free(t);
}

static void test_out_of_memory(void **state) {
  (void)state;
  attrib_table *t = test_simulated(300, 4, 2.0, 0);
  const char *bench[] = {"prior_perf", "engagement"};
  attrib_ovb_options o;
  attrib_ovb_options_init(&o);
  o.formula = "sales ~ trained + prior_perf + engagement + factor(role) | region";
  o.treat = "trained";
  o.benchmarks = bench, o.n_benchmarks = 2;
  o.cluster = "team";
  o.threads = 1; /* the failure countdown is per thread */
  int succeeded = 0;
  for (long k = 1; k < 5000 && !succeeded; k++) {
    attrib_ovb_result *r = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_ovb_fit(t, &o, &r, NULL);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      succeeded = 1;
      assert_int_equal(r->n_bounds, 6);
      attrib_ovb_result_free(r);
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(r);
    }
  }
  assert_true(succeeded);
  attrib_table_free(t);
}

/* The treatment regression is built from the outcome model's terms: an
 * interaction with the treatment (d:age) stays in it, as sensemakr's
 * model.matrix(model) minus the treatment column, with the intercept
 * removal and the absorbed village. The partial R2s are those of b3409ab,
 * where the parsed formula was edited in place (same columns, same order). */
static void test_interaction_kept(void **state) {
  (void)state;
  attrib_table *t = test_load(DARFUR);
  const char *bench[] = {"female", "age"};
  const double kd[] = {1};
  attrib_ovb_options o;
  attrib_ovb_options_init(&o);
  o.formula = "peacefactor ~ directlyharmed*age + female - 1 | village";
  o.treat = "directlyharmed";
  o.benchmarks = bench, o.n_benchmarks = 2, o.kd = kd, o.n_k = 1;
  attrib_ovb_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_ovb_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->n_bounds, 2);
  assert_rel_close(r->r2dxj_x[0], 0.0002469551908909843, 1e-11, "female: R2 with the treatment");
  assert_rel_close(r->r2yxj_dx[0], 0.12243223093849342, 1e-11, "female: R2 with the outcome");
  assert_rel_close(r->r2dxj_x[1], 0.32401275616997516, 1e-11, "age (beside directlyharmed:age): R2 with the treatment");
  assert_rel_close(r->r2yxj_dx[1], 0.003499244141614864, 1e-11, "age: R2 with the outcome");
  attrib_ovb_result_free(r);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_darfur_published), cmocka_unit_test(test_darfur_reference),
      cmocka_unit_test(test_interaction_kept),
      cmocka_unit_test(test_grid),             cmocka_unit_test(test_rv_reference),
      cmocka_unit_test(test_rv_brute_force),   cmocka_unit_test(test_same_rows),
      cmocka_unit_test(test_errors),           cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
