/* attrib_did_fit: the 2x2 effect equals its closed form, the universal base
 * telescopes the varying one, results (bootstrap included) do not depend on
 * the thread count, and every allocation failure is reported cleanly (no
 * leak under ASan). Estimates are checked against R in tests/cli/did/. */
#include "test_support.h"

#include <math.h>
#include <string.h>

static void panel_options(attrib_did_options *o) {
  attrib_did_options_init(o);
  o->outcome = "sales";
  o->unit = "learner_id";
  o->time = "period";
  o->cohort = "cohort";
}

/* DiD = (mean y11 - mean y10) - (mean y01 - mean y00), with unequal cells */
static void test_2x2_closed_form(void **state) {
  (void)state;
  attrib_table *t = test_table("treat,post,y\n"
                               "0,0,1\n0,0,2\n0,0,4\n0,1,3\n0,1,5\n"
                               "1,0,2\n1,0,3\n1,1,7\n1,1,9\n1,1,10\n1,1,6\n");
  attrib_did_options o;
  attrib_did_options_init(&o);
  o.outcome = "y";
  o.treat = "treat";
  o.post = "post";
  attrib_did_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  double want = (8.0 - 2.5) - (4.0 - 7.0 / 3.0);
  assert_rel_close(r->effect.estimate, want, 1e-13, "2x2 closed form");
  assert_rel_close(r->means[1][1], 8.0, 1e-15, "treated post mean");
  assert_int_equal(r->cell_n[0][0], 3);
  attrib_did_result_free(r);
  attrib_table_free(t);
}

/* With never-treated comparisons, the universal-base pre-period effect of
 * (g, t) is minus the sum of the varying-base ones over t+1 .. g-1. */
static void test_universal_base_telescopes(void **state) {
  (void)state;
  attrib_table *t = test_simulated(3000, 4, 2.0, 1);
  attrib_did_options o;
  panel_options(&o);
  attrib_did_result *v = NULL, *u = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_did_fit(t, &o, &v, &err), ATTRIB_OK, &err);
  o.base_universal = 1;
  assert_status(attrib_did_fit(t, &o, &u, &err), ATTRIB_OK, &err);
  size_t checked = 0;
  for (size_t a = 0; a < u->n_cells; a++) {
    const attrib_did_cell *c = &u->cells[a];
    if (c->post) continue;
    double sum = 0.0;
    for (size_t b = 0; b < v->n_cells; b++)
      if (v->cells[b].group == c->group && !v->cells[b].post && v->cells[b].time > c->time) sum += v->cells[b].att;
    assert_true(fabs(c->att + sum) <= 1e-10 * (1.0 + fabs(sum)));
    checked++;
  }
  assert_true(checked > 0);
  for (size_t q = 0; q < u->n_events; q++) assert_true(u->events[q].event_time != -1.0);
  attrib_did_result_free(v);
  attrib_did_result_free(u);
  attrib_table_free(t);
}

static void same_result(const attrib_did_result *a, const attrib_did_result *b) {
  assert_true(a->effect.estimate == b->effect.estimate);
  assert_true(a->effect.std_error == b->effect.std_error);
  assert_true(a->crit_uniform == b->crit_uniform || (isnan(a->crit_uniform) && isnan(b->crit_uniform)));
  assert_int_equal(a->n_cells, b->n_cells);
  for (size_t k = 0; k < a->n_cells; k++) assert_true(a->cells[k].std_error == b->cells[k].std_error);
  assert_int_equal(a->n_events, b->n_events);
  for (size_t k = 0; k < a->n_events; k++) assert_true(a->events[k].ci_low == b->events[k].ci_low);
}

/* 30k learners x 8 periods: the multiplier bootstrap splits 30k units into
 * blocks that either thread may draw. */
static void test_threads_do_not_change_results(void **state) {
  (void)state;
  attrib_table *t = test_simulated(30000, 6, 2.0, 1);
  for (int variant = 0; variant < 2; variant++) {
    attrib_did_result *r[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
      attrib_did_options o;
      panel_options(&o);
      o.bootstrap = 199;
      o.seed = 11;
      o.threads = k ? 2 : 1;
      if (variant == 1) o.cluster = "team", o.control_notyet = 1;
      attrib_error err;
      attrib_error_clear(&err);
      assert_status(attrib_did_fit(t, &o, &r[k], &err), ATTRIB_OK, &err);
    }
    same_result(r[0], r[1]);
    attrib_did_result_free(r[0]);
    attrib_did_result_free(r[1]);
  }
  attrib_table_free(t);
}

static void test_allocation_failures(void **state) {
  (void)state;
  attrib_table *t = test_simulated(400, 8, 2.0, 1);
  attrib_table *t2 = test_table("treat,post,y,x,g\n0,0,1,3,1\n0,0,2,1,2\n0,0,4,2,1\n0,1,3,5,2\n0,1,5,4,1\n"
                                "1,0,2,2,2\n1,0,3,7,1\n1,1,7,1,2\n1,1,9,3,1\n1,1,10,2,2\n1,1,6,6,1\n");
  for (int variant = 0; variant < 7; variant++) {
    attrib_did_options o;
    panel_options(&o);
    if (variant == 0) o.bootstrap = 99, o.covariates = "prior_perf + tenure", o.cluster = "team";
    if (variant == 1) o.estimator = ATTRIB_DID_TWFE;
    if (variant == 2) o.estimator = ATTRIB_DID_TWFE, o.event_study = 1, o.leads = 3, o.lags = 3;
    if (variant == 3)
      o.unit = o.time = o.cohort = NULL, o.outcome = "y", o.treat = "treat", o.post = "post", o.covariates = "x",
      o.cluster = "g";
    if (variant == 4) o.estimator = ATTRIB_DID_SUNAB;
    if (variant == 5) o.estimator = ATTRIB_DID_IMPUTATION, o.cluster = "team";
    if (variant == 6) o.unbalanced_panel = 1, o.covariates = "prior_perf + tenure"; /* the DR cross-section cells */
    o.threads = 1; /* the failure hook is per thread */
    int done = 0;
    for (long k = 1; !done && k < 20000; k++) {
      attrib_did_result *r = NULL;
      attrib_error err;
      attrib_error_clear(&err);
      attrib_debug_fail_alloc_after(k);
      attrib_status s = attrib_did_fit(variant == 3 ? t2 : t, &o, &r, &err);
      attrib_debug_fail_alloc_after(0);
      if (s == ATTRIB_OK) done = 1;
      else {
        assert_int_equal(s, ATTRIB_ENOMEM);
        assert_null(r);
      }
      attrib_did_result_free(r);
    }
    assert_true(done);
  }
  attrib_table_free(t);
  attrib_table_free(t2);
}

/* The options alone, before any data (issue 13: every estimator has a
 * _check the CLI calls first). */
static void test_check_options(void **state) {
  (void)state;
  attrib_did_options o;
  attrib_did_options_init(&o);
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL); /* no outcome */
  o.outcome = "y";
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL); /* no design */
  o.unit = "id", o.time = "t", o.cohort = "g";
  assert_status(attrib_did_check(&o, &err), ATTRIB_OK, &err);
  o.treat = "d", o.post = "p";
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL); /* both designs */
  o.treat = o.post = NULL;
  o.event_study = 1;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE); /* event study needs twfe: names did.event_study */
  o.estimator = ATTRIB_DID_TWFE;
  assert_status(attrib_did_check(&o, &err), ATTRIB_OK, &err);
  o.bootstrap = 999;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EINVAL); /* wild tests one coefficient */
  /* sunab and imputation: no covariates, no bootstrap; the message names
   * the option field, not a flag */
  o.event_study = 0, o.estimator = ATTRIB_DID_SUNAB;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "did.bootstrap");
  o.bootstrap = 0, o.covariates = "x";
  o.estimator = ATTRIB_DID_IMPUTATION;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "did.covariates");
  o.covariates = NULL;
  assert_status(attrib_did_check(&o, &err), ATTRIB_OK, &err);
  assert_string_equal(attrib_did_estimator_name(ATTRIB_DID_SUNAB), "sunab");
  assert_string_equal(attrib_did_estimator_name(ATTRIB_DID_IMPUTATION), "imputation");
}

/* ---- did's aggte overall figures and event-time windows, by brute force --
 * A 9-unit panel, periods 1..4, cohorts 2 (3 units), 3 (2 units), never (4).
 * Each ATT(g,t) and its influence function are recomputed here from the
 * rows (varying base: t - 1 before g, g - 1 after), and every aggregation
 * as a ratio of means, theta = sum_c n_c a_c / sum_c n_c, whose influence
 * function comes from the delta method for a ratio (a different route to
 * the library's weight term, did's wif). */
#define AG_N 9
#define AG_T 4
static const double ag_cohort[AG_N] = {2, 2, 2, 3, 3, 0, 0, 0, 0};

static double ag_y(int i, int t) {
  double g = ag_cohort[i], eff = g > 0 && t >= g ? 2.0 + 0.5 * (t - g) + 0.3 * i : 0.0;
  return 0.7 * i + 1.3 * t + eff + sin(1.7 * (i + 1) * t);
}

static attrib_table *ag_table(void) {
  char buf[4096];
  size_t n = (size_t)snprintf(buf, sizeof buf, "learner_id,period,cohort,sales\n");
  for (int i = 0; i < AG_N; i++)
    for (int t = 1; t <= AG_T; t++)
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%d,%d,%g,%.17g\n", i + 1, t, ag_cohort[i], ag_y(i, t));
  return test_table(buf);
}

/* ATT(g,t) with its influence function psi[i] (est - truth ~ mean psi) */
static double ag_att(double g, int t, double *psi) {
  int b = t >= g ? (int)g - 1 : t - 1;
  double s1 = 0, s0 = 0;
  int n1 = 0, n0 = 0;
  for (int i = 0; i < AG_N; i++) {
    double d = ag_y(i, t) - ag_y(i, b);
    if (ag_cohort[i] == g) s1 += d, n1++;
    else if (ag_cohort[i] == 0) s0 += d, n0++;
  }
  double m1 = s1 / n1, m0 = s0 / n0;
  for (int i = 0; i < AG_N; i++) {
    double d = ag_y(i, t) - ag_y(i, b);
    psi[i] = ag_cohort[i] == g ? AG_N * (d - m1) / n1 : ag_cohort[i] == 0 ? -AG_N * (d - m0) / n0 : 0.0;
  }
  return m1 - m0;
}

/* theta = sum_c p_c a_c / sum_c p_c over nc estimates a_c of cohorts g_c
 * (p_c = the cohort's share), with psi by the ratio's delta method:
 * (IF(A) - theta IF(B)) / B, A = sum_c p_c a_c, B = sum_c p_c. */
static double ag_ratio(size_t nc, const double *a, const double *g, double (*psi_a)[AG_N], double *psi) {
  double A = 0, B = 0;
  double p[16];
  for (size_t c = 0; c < nc; c++) {
    int k = 0;
    for (int i = 0; i < AG_N; i++) k += ag_cohort[i] == g[c];
    p[c] = (double)k / AG_N, A += p[c] * a[c], B += p[c];
  }
  double th = A / B;
  for (int i = 0; i < AG_N; i++) {
    double ifa = 0, ifb = 0;
    for (size_t c = 0; c < nc; c++) {
      double d = (ag_cohort[i] == g[c]) - p[c];
      ifa += d * a[c] + p[c] * psi_a[c][i], ifb += d;
    }
    psi[i] = (ifa - th * ifb) / B;
  }
  return th;
}

static double ag_se(const double *psi) {
  double s = 0;
  for (int i = 0; i < AG_N; i++) s += psi[i] * psi[i];
  return sqrt(s) / AG_N;
}

/* the event-time effect theta(e) over the cohorts in gs (ng of them) */
static double ag_event(int e, const double *gs, size_t ng, double *psi) {
  double a[4], g[4], ps[4][AG_N];
  size_t nc = 0;
  for (size_t q = 0; q < ng; q++) {
    int t = (int)gs[q] + e;
    if (t < 2 || t > AG_T) continue; /* t = 1 has no base */
    g[nc] = gs[q], a[nc] = ag_att(gs[q], t, ps[nc]), nc++;
  }
  return nc ? ag_ratio(nc, a, g, ps, psi) : NAN;
}

static attrib_did_result *ag_fit(const attrib_did_options *o) {
  attrib_table *t = ag_table();
  attrib_did_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_did_fit(t, o, &r, &err), ATTRIB_OK, &err);
  attrib_table_free(t);
  return r;
}

static void test_aggte_group_calendar_overall(void **state) {
  (void)state;
  attrib_did_options o;
  panel_options(&o);
  attrib_did_result *r = ag_fit(&o);
  /* group: theta(g) = mean of the post ATT(g,t); overall weighted by cohort share */
  double th[2], g[2] = {2, 3}, ps[2][AG_N], tmp[AG_N], psi[AG_N];
  for (int q = 0; q < 2; q++) {
    int nt = 0;
    th[q] = 0;
    memset(ps[q], 0, sizeof ps[q]);
    for (int t = (int)g[q]; t <= AG_T; t++, nt++) {
      th[q] += ag_att(g[q], t, tmp);
      for (int i = 0; i < AG_N; i++) ps[q][i] += tmp[i];
    }
    th[q] /= nt;
    for (int i = 0; i < AG_N; i++) ps[q][i] /= nt;
    assert_rel_close(r->by_group[q].att, th[q], 1e-12, "theta(g)");
    assert_rel_close(r->by_group[q].std_error, ag_se(ps[q]), 1e-10, "theta(g) SE");
  }
  double go = ag_ratio(2, th, g, ps, psi);
  assert_rel_close(r->group_overall.att, go, 1e-12, "group overall");
  assert_rel_close(r->group_overall.std_error, ag_se(psi), 1e-10, "group overall SE");
  /* calendar: theta(t) over the cohorts treated by t, then their plain mean */
  double cal = 0, cpsi[AG_N] = {0};
  for (int t = 2; t <= AG_T; t++) {
    double a[2], gg[2], pa[2][AG_N];
    size_t nc = 0;
    for (int q = 0; q < 2; q++)
      if (g[q] <= t) gg[nc] = g[q], a[nc] = ag_att(g[q], t, pa[nc]), nc++;
    double tt = ag_ratio(nc, a, gg, pa, tmp);
    assert_rel_close(r->by_time[t - 2].att, tt, 1e-12, "theta(t)");
    cal += tt / 3.0;
    for (int i = 0; i < AG_N; i++) cpsi[i] += tmp[i] / 3.0;
  }
  assert_rel_close(r->calendar_overall.att, cal, 1e-12, "calendar overall");
  assert_rel_close(r->calendar_overall.std_error, ag_se(cpsi), 1e-10, "calendar overall SE");
  double z = 1.959963984540054;
  assert_rel_close(r->group_overall.ci_high, go + z * ag_se(psi), 1e-9, "group overall CI");
  attrib_did_result_free(r);
}

static void test_aggte_event_windows(void **state) {
  (void)state;
  attrib_did_options o;
  panel_options(&o);
  double both[2] = {2, 3}, early[1] = {2}, psi[AG_N], p0[AG_N], p1[AG_N], pm[AG_N];
  /* balance_e = 1: both cohorts (4 - g >= 1), event times -2 .. 1 present: -1, 0, 1 */
  o.has_balance_e = 1, o.balance_e = 1;
  attrib_did_result *r = ag_fit(&o);
  assert_int_equal(r->n_events, 3);
  for (int q = 0; q < 3; q++) {
    double th = ag_event(q - 1, both, 2, psi);
    assert_rel_close(r->events[q].event_time, q - 1, 0, "event time");
    assert_rel_close(r->events[q].att, th, 1e-12, "balance_e=1 theta(e)");
    assert_rel_close(r->events[q].std_error, ag_se(psi), 1e-10, "balance_e=1 SE");
  }
  attrib_did_result_free(r);
  /* balance_e = 2: only cohort 2, at e = 0, 1, 2 (e = -1 has no base) */
  o.balance_e = 2;
  r = ag_fit(&o);
  assert_int_equal(r->n_events, 3);
  double dyn = 0;
  for (int q = 0; q < 3; q++) {
    double th = ag_event(q, early, 1, psi);
    assert_rel_close(r->events[q].att, th, 1e-12, "balance_e=2 theta(e)");
    dyn += th / 3;
  }
  assert_rel_close(r->dynamic_overall, dyn, 1e-12, "balance_e=2 dynamic overall");
  attrib_did_result_free(r);
  /* min_e = 0, max_e = 1: events 0 and 1; the cohort effects stop at g + 1 */
  o.has_balance_e = 0, o.has_min_e = o.has_max_e = 1, o.min_e = 0, o.max_e = 1;
  o.has_window_diff = 1;
  o.window_diff_e[0] = -1, o.window_diff_e[1] = -1, o.window_diff_e[2] = 0, o.window_diff_e[3] = 1;
  assert_int_equal(attrib_did_check(&o, NULL), ATTRIB_OK);
  r = NULL;
  {
    attrib_table *t = ag_table();
    attrib_error err;
    attrib_error_clear(&err);
    /* the pre window lies outside [min_e, max_e]: refused, naming the option */
    assert_int_equal(attrib_did_fit(t, &o, &r, &err), ATTRIB_EDESIGN);
    assert_non_null(strstr(err.message, "did.window_diff"));
    attrib_table_free(t);
  }
  o.min_e = -1;
  r = ag_fit(&o);
  assert_int_equal(r->n_events, 3);
  double tm = ag_event(-1, both, 2, pm), t0 = ag_event(0, both, 2, p0), t1 = ag_event(1, both, 2, p1);
  assert_rel_close(r->dynamic_overall, (t0 + t1) / 2, 1e-12, "window dynamic overall");
  for (int i = 0; i < AG_N; i++) psi[i] = (p0[i] + p1[i]) / 2 - pm[i];
  assert_rel_close(r->window_diff.att, (t0 + t1) / 2 - tm, 1e-12, "window difference");
  assert_rel_close(r->window_diff.std_error, ag_se(psi), 1e-10, "window difference SE");
  double a2 = (ag_att(2, 2, psi) + ag_att(2, 3, psi)) / 2;
  assert_rel_close(r->by_group[0].att, a2, 1e-12, "max_e bounds theta(g)");
  attrib_did_result_free(r);
  /* the options are Callaway-Sant'Anna's, and whole numbers */
  attrib_error err;
  attrib_error_clear(&err);
  o.estimator = ATTRIB_DID_TWFE;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE);
  o.estimator = ATTRIB_DID_CS, o.min_e = 2;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE);
  assert_non_null(strstr(err.message, "did.min_e"));
}

/* ---- did.unbalanced_panel: the repeated cross-section form -------------
 * 8 units over periods 1..3, cohort 2 (units 1-4) and never (5-8), with
 * four rows missing. Each ATT(2,t), base 1, recomputed here from the rows
 * as the DiD of four means over the units observed in each period, and its
 * SE from the unit-clustered influence function: a unit's value sums its
 * rows' n/n_dp (y - m_dp), signed + for (treated, t) and (control, base). */
static const int ub_rows[][2] = {{1, 2}, {1, 3}, {2, 1}, {2, 2}, {2, 3}, {3, 1}, {3, 2}, {4, 1}, {4, 2}, {4, 3},
                                 {5, 1}, {5, 2}, {6, 1}, {6, 3}, {7, 1}, {7, 2}, {7, 3}, {8, 1}, {8, 2}, {8, 3}};
#define UB_ROWS (sizeof ub_rows / sizeof ub_rows[0])

static double ub_y(int u, int t) { return 0.5 * u + 1.1 * t + (u <= 4 && t >= 2 ? 1.5 + 0.4 * t : 0.0) + cos(2.3 * u * t); }

static void test_unbalanced_rc_brute_force(void **state) {
  (void)state;
  char buf[2048];
  size_t len = (size_t)snprintf(buf, sizeof buf, "learner_id,period,cohort,sales\n");
  for (size_t k = 0; k < UB_ROWS; k++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%d,%d,%d,%.17g\n", ub_rows[k][0], ub_rows[k][1],
                            ub_rows[k][0] <= 4 ? 2 : 0, ub_y(ub_rows[k][0], ub_rows[k][1]));
  attrib_table *t = test_table(buf);
  attrib_did_options o;
  panel_options(&o);
  o.unbalanced_panel = 1;
  attrib_did_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->n_cells, 2);
  assert_int_equal(r->n_units_used, 8);
  assert_int_equal(r->n_incomplete, 4);
  for (int tt = 2; tt <= 3; tt++) {
    double m[2][2] = {{0, 0}, {0, 0}}, cnt[2][2] = {{0, 0}, {0, 0}}, psi[9] = {0};
    int per[2] = {1, tt};
    for (int pass = 0; pass < 2; pass++)
      for (size_t k = 0; k < UB_ROWS; k++) {
        int u = ub_rows[k][0], d = u <= 4, tm = ub_rows[k][1];
        for (int q = 0; q < 2; q++) {
          if (tm != per[q]) continue;
          double y = ub_y(u, tm);
          if (pass == 0) m[d][q] += y, cnt[d][q]++;
          else psi[u] += (d == q ? 1 : -1) * 8.0 / cnt[d][q] * (y - m[d][q] / cnt[d][q]);
        }
      }
    double att = (m[1][1] / cnt[1][1] - m[1][0] / cnt[1][0]) - (m[0][1] / cnt[0][1] - m[0][0] / cnt[0][0]), ss = 0;
    for (int u = 1; u <= 8; u++) ss += psi[u] * psi[u];
    const attrib_did_cell *c = &r->cells[tt - 2];
    assert_rel_close(c->time, tt, 0, "cell period");
    assert_rel_close(c->att, att, 1e-12, "unbalanced ATT(2,t)");
    assert_rel_close(c->std_error, sqrt(ss) / 8.0, 1e-10, "unbalanced SE, clustered by unit");
    assert_int_equal(c->n_treated, 4);
    assert_int_equal(c->n_control, tt == 2 ? 4 : 4);
  }
  attrib_did_result_free(r);
  /* dropped by default: 4 complete units, the note first among the warnings */
  o.unbalanced_panel = 0;
  assert_status(attrib_did_fit(t, &o, &r, &err), ATTRIB_OK, &err);
  assert_int_equal(r->n_units_used, 4);
  assert_non_null(strstr(r->warnings[0], "are dropped"));
  attrib_did_result_free(r);
  /* CS only; with covariates the DR repeated-cross-section form (checked
   * against R in tests/cli/did/unbalanced_covariates.sh) */
  o.unbalanced_panel = 1, o.estimator = ATTRIB_DID_TWFE;
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_EUSAGE);
  o.estimator = ATTRIB_DID_CS, o.covariates = "cohort";
  assert_int_equal(attrib_did_check(&o, &err), ATTRIB_OK);
  attrib_table_free(t);
}

/* On a balanced panel without covariates the repeated cross-section form
 * is the panel estimator: the four means' differences are the mean long
 * differences, and a unit's two rows sum to n/n_g (dY - mean dY). So every
 * ATT(g,t) and every SE agree (not so with covariates: there the RC
 * regressions are fitted per period). */
static void test_unbalanced_equals_panel_when_balanced(void **state) {
  (void)state;
  attrib_table *t = test_simulated(600, 5, 2.0, 3);
  attrib_did_options o;
  panel_options(&o);
  attrib_did_result *a = NULL, *b = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_did_fit(t, &o, &a, &err), ATTRIB_OK, &err);
  o.unbalanced_panel = 1;
  assert_status(attrib_did_fit(t, &o, &b, &err), ATTRIB_OK, &err);
  assert_int_equal(a->n_incomplete, 0);
  assert_true(a->n_cells > 4 && a->n_groups > 1);
  assert_int_equal(a->n_cells, b->n_cells);
  for (size_t k = 0; k < a->n_cells; k++) {
    assert_rel_close(b->cells[k].att, a->cells[k].att, 1e-10, "balanced: RC ATT = panel ATT");
    assert_rel_close(b->cells[k].std_error, a->cells[k].std_error, 1e-10, "balanced: RC SE = panel SE");
  }
  assert_rel_close(b->effect.std_error, a->effect.std_error, 1e-10, "balanced: overall SE");
  attrib_did_result_free(a);
  attrib_did_result_free(b);
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_options),
      cmocka_unit_test(test_2x2_closed_form),
      cmocka_unit_test(test_aggte_group_calendar_overall),
      cmocka_unit_test(test_aggte_event_windows),
      cmocka_unit_test(test_unbalanced_rc_brute_force),
      cmocka_unit_test(test_unbalanced_equals_panel_when_balanced),
      cmocka_unit_test(test_universal_base_telescopes),
      cmocka_unit_test(test_threads_do_not_change_results),
      cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
