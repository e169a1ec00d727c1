/*
 * attrib_analyze (include/attrib/analyze.h, docs/methods/analyze.md): the
 * study's steps over one loaded table, each through the estimator's own
 * library call, so every number equals what the single command prints.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/analyze.h>
#include <attrib/bootstrap.h>
#include <attrib/did.h>
#include <attrib/formula.h>
#include <attrib/logit.h>
#include <attrib/ols.h>
#include <attrib/psm.h>
#include <attrib/sensitivity.h>
#include "analyze/analyze_internal.h"
#include "core/attrib_internal.h"

void attrib_analyze_options_init(attrib_analyze_options *o) {
  memset(o, 0, sizeof *o);
  attrib_roi_input_init(&o->roi);
  o->seed = 1;
  o->level = 0.95;
}

void attrib_analyze_result_free(attrib_analyze_result *r) {
  if (!r) return;
  attrib__analyze_cohort_free(&r->cohort);
  attrib_roi_result_free(r->roi);
  attrib_roi_sweep_free(r->attribution_sweep);
  attrib_roi_sweep_free(r->tornado);
  for (size_t q = 0; q < r->n_balance; q++) attrib__free(r->balance_term[q]);
  attrib__free(r->balance_term), attrib__free(r->balance_before), attrib__free(r->balance_after);
  attrib__free(r->event_time), attrib__free(r->event_att), attrib__free(r->event_low), attrib__free(r->event_high);
  attrib__free(r);
}

static void fail_method(attrib_analyze_method *m, attrib_status s, const attrib_error *err) {
  m->status = s;
  snprintf(m->message, sizeof m->message, "%s", err->message); /* same capacity: never cut */
}

static attrib_analyze_check *add_check(attrib_analyze_result *r, const char *name, const char *verdict) {
  attrib_analyze_check *c = &r->checks[r->n_checks++];
  c->name = name;
  c->verdict = verdict;
  return c;
}

/* Progress: a step's start, and a bootstrap's replicates under its step name. */
typedef struct step_relay {
  const attrib_analyze_options *o;
  const char *step;
} step_relay;

static void step_start(const attrib_analyze_options *o, const char *step) {
  if (o->progress) o->progress(o->progress_ctx, step, 0, 0);
}

static void boot_relay(void *ctx, size_t done, size_t total) {
  const step_relay *r = ctx;
  r->o->progress(r->o->progress_ctx, r->step, done, total);
}

/* o->covariate_terms is set (attrib_analyze parses the text once). */
static attrib_status analyze_run(const attrib_table *t, const attrib_analyze_options *o, attrib_analyze_result **out,
                                 attrib_error *err) {
  *out = NULL;
  if (!t || !o || !o->outcome || !o->treat || !o->covariate_terms)
    return attrib__fail(err, ATTRIB_EINVAL, "analyze: --outcome, --treat and --covariates are required");
  if (attrib_formula_uses(o->covariate_terms, o->outcome)) /* it was refused as 'y ~ covariates' */
    return attrib__fail(err, ATTRIB_EFORMULA, "formula: the outcome '%s' also appears on the right-hand side", o->outcome);
  int panel = o->unit && o->time && o->cohort;
  unsigned methods = o->methods ? o->methods
                                : (ATTRIB_ANALYZE_OLS | ATTRIB_ANALYZE_PSM | ATTRIB_ANALYZE_AIPW | (panel ? ATTRIB_ANALYZE_DID : 0));
  if ((methods & ATTRIB_ANALYZE_DID) && !panel)
    return attrib__fail(err, ATTRIB_EINVAL, "analyze: the did method needs --unit, --time and --cohort");
  attrib_analyze_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  r->primary = -1;
  r->evalue = r->evalue_ci = r->rv_q = r->rv_qa = r->breakeven_rv = r->critical_gamma = NAN;
  attrib_error e;
  attrib_status s;
  double max_smd_after = NAN, extreme_share = NAN, sd_y = NAN;
  attrib_ovb ovb;
  int have_ovb = 0;

  /* 0. the cohort: counts, missingness, baselines by group; a column that
   * is not there stops the study here, with the column's name */
  step_start(o, "describing the cohort");
  if ((s = attrib__analyze_cohort(t, o, &r->cohort, err))) {
    attrib_analyze_result_free(r);
    return s;
  }

  /* 1. OLS with the covariates */
  if (methods & ATTRIB_ANALYZE_OLS) {
    step_start(o, "OLS");
    attrib_analyze_method *m = &r->methods[r->n_methods++];
    m->method = "ols", m->estimand = "ate (linear adjustment)";
    /* outcome ~ treat + covariates, built from the names (no text: no
     * length limit, any column name) */
    attrib_formula *formula = NULL;
    const char *cl[2] = {o->cluster, NULL};
    attrib_design_options dopt;
    attrib_design_options_init(&dopt);
    dopt.cluster = o->cluster ? cl : NULL;
    attrib_ols_options oo;
    attrib_ols_options_init(&oo);
    oo.vcov = o->cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
    oo.treat = o->treat;
    oo.level = o->level;
    oo.threads = o->threads;
    attrib_design *d = NULL;
    attrib_ols_result *f = NULL;
    attrib_error_clear(&e);
    if ((s = attrib_formula_new(o->outcome, &formula, &e)) || (s = attrib_formula_add_column(formula, o->treat, 0, &e)) ||
        (s = attrib_formula_add_formula(formula, o->covariate_terms, &e)) ||
        (s = attrib_design_build(t, formula, &dopt, &d, &e)) || (s = attrib_ols_fit(d, &oo, &f, &e))) {
      fail_method(m, s, &e);
    } else {
      m->estimate = f->effect.estimate, m->std_error = f->effect.std_error;
      m->ci_low = f->effect.ci_low, m->ci_high = f->effect.ci_high;
      m->se_method = o->cluster ? "cluster-robust (CR1)" : "heteroskedasticity-robust (HC1)";
      r->n_obs = f->n_obs;
      double sy = 0, syy = 0;
      for (size_t i = 0; i < d->n; i++) sy += d->y[i], syy += d->y[i] * d->y[i];
      sd_y = sqrt(fmax(0.0, (syy - sy * sy / (double)d->n) / (double)(d->n - 1)));
      if (o->bootstrap) { /* wild cluster with clusters, pairs without */
        attrib_boot_options bo;
        attrib_boot_options_init(&bo);
        bo.replicates = o->bootstrap, bo.seed = o->seed, bo.level = o->level, bo.threads = o->threads;
        bo.type = o->cluster ? ATTRIB_BOOT_WILD : ATTRIB_BOOT_PAIRS;
        bo.ci = o->cluster ? ATTRIB_CI_STUDENTIZED : ATTRIB_CI_PERCENTILE;
        step_relay relay = {o, o->cluster ? "OLS wild cluster bootstrap" : "OLS pairs bootstrap"};
        if (o->progress) bo.progress = boot_relay, bo.progress_ctx = &relay;
        attrib_boot_result *b = NULL;
        if (!attrib_ols_bootstrap(d, f, (size_t)f->effect_index, &bo, &b, &e)) {
          m->ci_low = b->ci_low, m->ci_high = b->ci_high;
          m->se_method = o->cluster ? "wild cluster bootstrap (studentized)" : "pairs bootstrap (percentile)";
        }
        attrib_boot_result_free(b);
      }
      double dof = f->df_resid; /* cluster-robust t, residual df (as sensitivity ovb) */
      have_ovb = attrib_ovb_compute(f->effect.estimate, f->effect.std_error, dof, 1.0, 1.0 - o->level, &ovb, &e) == ATTRIB_OK;
      if (have_ovb) r->rv_q = ovb.rv_q, r->rv_qa = ovb.rv_qa;
    }
    attrib_ols_result_free(f);
    attrib_design_free(d);
    attrib_formula_free(formula);
  }

  /* 2. matching (with replacement: the Abadie-Imbens SE corrected for the
   * estimated score) and 3. the doubly robust ATT */
  for (int which = 0; which < 2; which++) {
    if (!(methods & (which ? ATTRIB_ANALYZE_AIPW : ATTRIB_ANALYZE_PSM))) continue;
    step_start(o, which ? "AIPW" : "PSM");
    attrib_analyze_method *m = &r->methods[r->n_methods++];
    m->method = which ? "aipw" : "psm";
    m->estimand = "att";
    attrib_psm_options po;
    attrib_psm_options_init(&po);
    po.treat = o->treat, po.outcome = o->outcome, po.covariate_terms = o->covariate_terms;
    po.level = o->level, po.threads = o->threads, po.seed = o->seed;
    if (which) {
      po.method = ATTRIB_PSM_AIPW;
      po.bootstrap = o->bootstrap;
      po.boot_cluster = o->cluster;
    } else {
      po.replace = 1;
    }
    attrib_psm_result *p = NULL;
    attrib_error_clear(&e);
    if ((s = attrib_psm_fit(t, &po, &p, &e))) {
      fail_method(m, s, &e);
      continue;
    }
    m->estimate = p->effect.estimate, m->std_error = p->effect.std_error;
    m->ci_low = p->effect.ci_low, m->ci_high = p->effect.ci_high;
    m->se_method = p->se_method;
    if (p->boot) m->ci_low = p->boot->ci_low, m->ci_high = p->boot->ci_high, m->se_method = "multiplier bootstrap";
    if (!which && p->balance && p->balance->k) { /* the love plot's data */
      size_t k = p->balance->k;
      r->balance_term = attrib__calloc(k, sizeof *r->balance_term);
      r->balance_before = attrib__malloc(k, sizeof *r->balance_before);
      r->balance_after = attrib__malloc(k, sizeof *r->balance_after);
      if (r->balance_term && r->balance_before && r->balance_after) {
        for (size_t q = 0; q < k; q++) {
          if (!(r->balance_term[q] = attrib__strdup(p->balance->rows[q].term))) break;
          r->balance_before[q] = p->balance->rows[q].diff_before;
          r->balance_after[q] = p->balance->rows[q].diff_after;
          r->n_balance = q + 1;
        }
      }
    }
    if (!which) {
      max_smd_after = p->balance ? p->balance->max_abs_diff_after : NAN;
      if (p->ps_model && p->ps_model->fitted) {
        size_t ext = 0, n = p->ps_model->n_obs;
        for (size_t i = 0; i < n; i++) ext += p->ps_model->fitted[i] < 0.02 || p->ps_model->fitted[i] > 0.98;
        extreme_share = n ? (double)ext / (double)n : NAN;
      }
      if (!r->n_treated) r->n_treated = p->n_treated, r->n_control = p->n_control;
    }
    attrib_psm_result_free(p);
  }
  /* the scores' distributions by group, for the overlap chart */
  if (methods & (ATTRIB_ANALYZE_PSM | ATTRIB_ANALYZE_AIPW)) {
    attrib_formula *fm = NULL;
    attrib_design *d = NULL;
    attrib_logit_result *lr = NULL;
    attrib_logit_options lo;
    attrib_logit_options_init(&lo);
    lo.keep_fitted = 1;
    lo.threads = o->threads;
    attrib_error_clear(&e);
    if (!attrib_formula_new(o->treat, &fm, &e) && !attrib_formula_add_formula(fm, o->covariate_terms, &e) &&
        !attrib_design_build(t, fm, NULL, &d, &e) && !attrib_logit_fit(d, &lo, &lr, &e)) {
      double cnt[2] = {0, 0};
      for (size_t i = 0; i < d->n; i++) {
        int g = d->y[i] == 1.0;
        int b = (int)(lr->fitted[i] * 20.0);
        r->score_hist[g][b < 0 ? 0 : b > 19 ? 19 : b] += 1.0;
        cnt[g] += 1.0;
      }
      for (int g = 0; g < 2; g++)
        for (int b = 0; b < 20; b++) r->score_hist[g][b] /= cnt[g] > 0 ? cnt[g] : 1.0;
      r->has_scores = cnt[0] > 0 && cnt[1] > 0;
    }
    attrib_logit_result_free(lr);
    attrib_design_free(d);
    attrib_formula_free(fm);
  }
  /* Rosenbaum's critical Gamma on 1:1 pairs without replacement */
  if (methods & ATTRIB_ANALYZE_PSM) {
    attrib_psm_options po;
    attrib_psm_options_init(&po);
    po.treat = o->treat, po.outcome = o->outcome, po.covariate_terms = o->covariate_terms, po.keep_pairs = 1;
    po.threads = o->threads;
    attrib_psm_result *p = NULL;
    attrib_error_clear(&e);
    size_t cy;
    if (!attrib_psm_fit(t, &po, &p, &e) && !attrib_table_column_require(t, o->outcome, "outcome", &cy, &e) &&
        p->n_pairs > 1) {
      double *dd = attrib__malloc(p->n_pairs, sizeof *dd), g1 = 1.0;
      if (dd) {
        for (size_t q = 0; q < p->n_pairs; q++)
          dd[q] = t->cols[cy].values[p->pairs[q].treated_row] - t->cols[cy].values[p->pairs[q].control_row];
        attrib_rosenbaum *rb = NULL;
        if (!attrib_rosenbaum_compute(dd, p->n_pairs, &g1, 1, 1.0 - o->level, 0, &rb, &e)) r->critical_gamma = rb->critical_gamma;
        attrib_rosenbaum_free(rb);
        attrib__free(dd);
      }
    }
    attrib_psm_result_free(p);
  }

  /* 4. difference-in-differences (Callaway-Sant'Anna) */
  double pretest_p = NAN;
  if (methods & ATTRIB_ANALYZE_DID) {
    step_start(o, "DiD (Callaway-Sant'Anna)");
    attrib_analyze_method *m = &r->methods[r->n_methods++];
    m->method = "did", m->estimand = "att (group-time, simple aggregation)";
    attrib_did_options dop;
    attrib_did_options_init(&dop);
    dop.outcome = o->outcome, dop.unit = o->unit, dop.time = o->time, dop.cohort = o->cohort;
    dop.cluster = o->cluster, dop.level = o->level, dop.threads = o->threads;
    dop.bootstrap = o->bootstrap, dop.seed = o->seed;
    attrib_did_result *dr = NULL;
    attrib_error_clear(&e);
    if ((s = attrib_did_fit(t, &dop, &dr, &e))) {
      fail_method(m, s, &e);
    } else {
      m->estimate = dr->effect.estimate, m->std_error = dr->effect.std_error;
      m->ci_low = dr->effect.ci_low, m->ci_high = dr->effect.ci_high;
      m->se_method = dr->se_method;
      pretest_p = dr->pretest_p;
      size_t ne = dr->n_events;
      r->event_time = attrib__malloc(ne ? ne : 1, sizeof(double)), r->event_att = attrib__malloc(ne ? ne : 1, sizeof(double));
      r->event_low = attrib__malloc(ne ? ne : 1, sizeof(double)), r->event_high = attrib__malloc(ne ? ne : 1, sizeof(double));
      if (r->event_time && r->event_att && r->event_low && r->event_high) {
        for (size_t q = 0; q < ne; q++)
          r->event_time[q] = dr->events[q].event_time, r->event_att[q] = dr->events[q].att,
          r->event_low[q] = dr->events[q].ci_low, r->event_high[q] = dr->events[q].ci_high;
        r->n_events = ne;
        r->event_uniform = dr->has_uniform;
      }
      attrib_analyze_cohort *co = &r->cohort; /* learners per cohort, as the DiD counted them */
      co->n_units = dr->n_units, co->n_never = dr->n_never;
      co->cohorts = attrib__malloc(dr->n_groups ? dr->n_groups : 1, sizeof *co->cohorts);
      co->cohort_units = attrib__malloc(dr->n_groups ? dr->n_groups : 1, sizeof *co->cohort_units);
      if (co->cohorts && co->cohort_units) {
        memcpy(co->cohorts, dr->groups, dr->n_groups * sizeof *co->cohorts);
        memcpy(co->cohort_units, dr->group_units, dr->n_groups * sizeof *co->cohort_units);
        co->n_cohorts = dr->n_groups;
      }
    }
    attrib_did_result_free(dr);
  }

  /* checks, each with a plain verdict */
  if (!isnan(max_smd_after)) {
    attrib_analyze_check *c =
        add_check(r, "balance", max_smd_after < 0.1 ? "pass" : max_smd_after < 0.25 ? "caution" : "fail");
    snprintf(c->reason, sizeof c->reason,
             "largest |standardised difference| after matching %.3g (pass below 0.1, caution below 0.25)", max_smd_after);
  }
  if (!isnan(extreme_share)) {
    attrib_analyze_check *c =
        add_check(r, "overlap", extreme_share < 0.01 ? "pass" : extreme_share < 0.05 ? "caution" : "fail");
    snprintf(c->reason, sizeof c->reason,
             "%.1f%% of propensity scores outside [0.02, 0.98] (pass below 1%%, caution below 5%%)", 100 * extreme_share);
  }
  if (!isnan(pretest_p)) {
    attrib_analyze_check *c = add_check(r, "pre_trends", pretest_p > 0.05 ? "pass" : pretest_p > 0.01 ? "caution" : "fail");
    snprintf(c->reason, sizeof c->reason, "joint test of pre-period effects p = %.3g (pass above 0.05, caution above 0.01)",
             pretest_p);
  }
  /* agreement: do the methods' intervals overlap the primary estimate? */
  for (size_t q = 0; q < r->n_methods; q++)
    if (r->methods[q].status == ATTRIB_OK) {
      r->primary = (long)q;
      break;
    }
  if (r->primary >= 0) {
    size_t ok = 0, agree = 0;
    double pe = r->methods[r->primary].estimate;
    for (size_t q = 0; q < r->n_methods; q++)
      if (r->methods[q].status == ATTRIB_OK) ok++, agree += r->methods[q].ci_low <= pe && pe <= r->methods[q].ci_high;
    if (ok > 1) {
      attrib_analyze_check *c = add_check(r, "agreement", agree == ok ? "pass" : agree * 2 >= ok ? "caution" : "fail");
      snprintf(c->reason, sizeof c->reason, "%zu of %zu methods' intervals contain the primary (%s) estimate", agree, ok,
               r->methods[r->primary].method);
    }
  }

  /* ROI and the sensitivity figures from the primary method */
  step_start(o, "ROI and sensitivity");
  if (r->primary >= 0) {
    const attrib_analyze_method *pm = &r->methods[r->primary];
    if (o->has_roi) {
      attrib_roi_input in = o->roi;
      in.effect = pm->estimate, in.se = pm->std_error, in.has_effect = 1;
      attrib_error_clear(&e);
      if ((s = attrib_roi_compute(&in, &r->roi, &e))) {
        attrib_analyze_result_free(r);
        return attrib__fail(err, s, "analyze: ROI: %s", e.message);
      }
      double a[10];
      for (int q = 0; q < 10; q++) a[q] = r->attribution_values[q] = 0.1 * (q + 1);
      attrib_roi_sweep_dim dim = {"attribution", a, 10};
      if (attrib_roi_sweep_compute(&in, &dim, 1, o->threads, &r->attribution_sweep, &e)) r->attribution_sweep = NULL;
      /* the tornado: each input 20% below and above its value (attribution from half to all) */
      double tv[5][2] = {{in.value_per_unit * 0.8, in.value_per_unit * 1.2},
                         {in.learners * 0.8, in.learners * 1.2},
                         {in.horizon * 0.8, in.horizon * 1.2},
                         {fmin(in.attribution, 0.5), 1.0},
                         {pm->estimate * 0.8, pm->estimate * 1.2}};
      attrib_roi_sweep_dim td[5] = {{"value_per_unit", tv[0], 2}, {"learners", tv[1], 2}, {"horizon", tv[2], 2},
                                    {"attribution", tv[3], 2}, {"effect", tv[4], 2}};
      if (attrib_roi_sweep_compute(&in, td, 5, o->threads, &r->tornado, &e)) r->tornado = NULL;
      if (have_ovb && isfinite(r->roi->breakeven_effect)) r->breakeven_rv = attrib_ovb_breakeven_rv(&ovb, r->roi->breakeven_effect);
    }
    if (sd_y > 0) { /* the E-value of the effect as a standardised difference (VanderWeele & Ding 2017) */
      attrib_evalue ev;
      attrib_error_clear(&e);
      if (!attrib_evalue_compute(pm->estimate, pm->ci_low, pm->ci_high, ATTRIB_EVALUE_SMD, sd_y, &ev, &e))
        r->evalue = ev.evalue_estimate, r->evalue_ci = ev.evalue_ci;
    }
  }
  *out = r;
  return ATTRIB_OK;
}

attrib_status attrib_analyze(const attrib_table *t, const attrib_analyze_options *o, attrib_analyze_result **out,
                             attrib_error *err) {
  if (out) *out = NULL;
  if (!t || !o || !out || !o->outcome || !o->treat || (!o->covariates && !o->covariate_terms))
    return attrib__fail(err, ATTRIB_EINVAL, "analyze: --outcome, --treat and --covariates are required");
  if (o->covariate_terms) return analyze_run(t, o, out, err);
  /* the covariates' text is parsed once; every method builds its model
   * from these terms */
  attrib_formula *covs = NULL;
  ATTRIB__TRY(attrib_formula_parse_rhs(o->covariates, &covs, err));
  attrib_analyze_options with_terms = *o;
  with_terms.covariate_terms = covs;
  attrib_status s = analyze_run(t, &with_terms, out, err);
  attrib_formula_free(covs);
  return s;
}
