/*
 * The study's estimators besides OLS (docs/methods/analyze.md, step 1):
 * matching and the doubly robust ATT on the cross-section (a panel's
 * learner rows), Rosenbaum's bound on 1:1 pairs, and on a panel the
 * Callaway-Sant'Anna and two-way fixed-effects DiD on the person-period
 * rows. Each is its command's own library call, so every number equals what
 * that command prints.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/did.h>
#include <attrib/psm.h>
#include <attrib/sensitivity.h>
#include "analyze/analyze_internal.h"

/* the love plot's data: standardised differences before and after matching */
static void keep_balance(attrib__analyze_ctx *c, const attrib_balance *b) {
  attrib_analyze_result *r = c->r;
  size_t k = b->k;
  r->balance_term = attrib__calloc(k, sizeof *r->balance_term);
  r->balance_before = attrib__malloc(k, sizeof *r->balance_before);
  r->balance_after = attrib__malloc(k, sizeof *r->balance_after);
  if (!r->balance_term || !r->balance_before || !r->balance_after) {
    c->oom = 1;
    return;
  }
  for (size_t q = 0; q < k; q++) {
    if (!(r->balance_term[q] = attrib__strdup(b->rows[q].term))) {
      c->oom = 1;
      return;
    }
    r->balance_before[q] = b->rows[q].diff_before;
    r->balance_after[q] = b->rows[q].diff_after;
    r->n_balance = q + 1;
  }
}

/* matching with replacement (the Abadie-Imbens SE corrected for the
 * estimated score), or the doubly robust ATT */
void attrib__analyze_matching(attrib__analyze_ctx *c, int aipw) {
  const attrib_analyze_options *o = c->o;
  int panel = c->panel != NULL;
  attrib_analyze_method *m = attrib__analyze_add_method(
      c, aipw ? "aipw" : "psm",
      aipw ? (panel ? "att (outcome change, doubly robust)" : "att (doubly robust)")
           : (panel ? "att (outcome change, matching)" : "att (matching)"));
  if (!c->xt) {
    attrib__analyze_fail_method(c, m, ATTRIB_EDESIGN, c->skip_reason);
    m->skipped = 1;
    return;
  }
  attrib__analyze_step(o, aipw ? "AIPW" : "PSM");
  attrib_psm_options po;
  attrib__analyze_psm_options(o, aipw, &po);
  if (aipw) po.bootstrap = o->bootstrap, po.boot_cluster = o->cluster;
  attrib_psm_result *p = NULL;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status s = attrib_psm_fit(c->xt, &po, &p, &e);
  if (s) {
    if ((s == ATTRIB_ESEPARATION || s == ATTRIB_ENOOVERLAP) && !c->no_overlap &&
        !(c->no_overlap = attrib__analyze_printf("%s", e.message)))
      c->oom = 1;
    attrib__analyze_fail_method(c, m, s, e.message);
    return;
  }
  m->estimate = p->effect.estimate, m->std_error = p->effect.std_error;
  m->ci_low = p->effect.ci_low, m->ci_high = p->effect.ci_high;
  m->se_method = m->se_kind = p->se_method;
  m->n_treated = p->n_treated, m->n_control = p->n_control, m->n_obs = p->n_treated + p->n_control;
  if (p->boot) m->ci_low = p->boot->ci_low, m->ci_high = p->boot->ci_high, m->se_method = "multiplier bootstrap";
  if (!aipw) {
    if (p->balance && p->balance->k) keep_balance(c, p->balance);
    c->max_smd_after = p->balance ? p->balance->max_abs_diff_after : NAN;
    if (p->ps_model && p->ps_model->fitted) {
      size_t ext = 0, n = p->ps_model->n_obs;
      for (size_t i = 0; i < n; i++) ext += p->ps_model->fitted[i] < 0.02 || p->ps_model->fitted[i] > 0.98;
      c->extreme_share = n ? (double)ext / (double)n : NAN;
    }
  }
  attrib_psm_result_free(p);
}

/* Rosenbaum's critical Gamma on 1:1 pairs without replacement: the one-
 * sided signed-rank test at alpha = 1 - level, zero differences dropped (as
 * rbounds' psens), in the direction of the pairs' mean difference (the
 * bound on a harmful or cost-cutting effect is the bound on -d: testing
 * "greater" would call a clear decrease not significant). When there is no
 * critical Gamma, or no bound could be computed, r->rosenbaum_note says why. */
void attrib__analyze_rosenbaum(attrib__analyze_ctx *c) {
  const attrib_analyze_options *o = c->o;
  attrib_analyze_result *r = c->r;
  if (!c->xt) return;
  attrib_psm_options po;
  attrib_psm_options_init(&po);
  po.treat = o->treat, po.outcome = o->outcome, po.covariate_terms = o->covariate_terms, po.keep_pairs = 1;
  po.threads = o->threads;
  attrib_psm_result *p = NULL;
  attrib_rosenbaum *rb = NULL;
  double *dd = NULL;
  attrib_error e;
  attrib_error_clear(&e);
  size_t cy = 0;
  attrib_status s = attrib_psm_fit(c->xt, &po, &p, &e);
  if (!s) s = attrib_table_column_require(c->xt, o->outcome, "outcome", &cy, &e);
  if (!s && p->n_pairs < 2)
    s = attrib__fail(&e, ATTRIB_ENODATA, "%zu matched pair%s without replacement: the signed-rank test needs 2 or more",
                     p->n_pairs, p->n_pairs == 1 ? "" : "s");
  if (!s && !(dd = attrib__malloc(p->n_pairs, sizeof *dd))) s = attrib__fail(&e, ATTRIB_ENOMEM, "out of memory");
  if (!s) {
    const double *y = c->xt->cols[cy].values;
    double sum = 0.0, g1 = 1.0;
    for (size_t q = 0; q < p->n_pairs; q++) sum += dd[q] = y[p->pairs[q].treated_row] - y[p->pairs[q].control_row];
    r->rosenbaum_sign = sum < 0 ? -1 : 1;
    if (sum < 0)
      for (size_t q = 0; q < p->n_pairs; q++) dd[q] = -dd[q];
    s = attrib_rosenbaum_compute(dd, p->n_pairs, &g1, 1, 1.0 - o->level, 0, &rb, &e);
  }
  if (s == ATTRIB_ENOMEM) {
    c->oom = 1;
  } else if (s) {
    if (!(r->rosenbaum_note = attrib__analyze_printf("not computed (%s)", e.message))) c->oom = 1;
  } else {
    r->has_rosenbaum = 1;
    r->critical_status = rb->critical_status;
    r->critical_gamma = rb->critical_gamma;
    r->rosenbaum_p1 = rb->p_gamma1;
    r->rosenbaum_pairs = rb->n_pairs;
    if (rb->critical_status == ATTRIB_GAMMA_NOT_SIGNIFICANT)
      r->rosenbaum_note = attrib__analyze_printf(
          "no critical Gamma (the %zu matched pairs are not significant even without hidden bias: one-sided p = %.3g "
          "> %g at Gamma = 1)", rb->n_pairs, rb->p_gamma1, rb->alpha);
    else if (rb->critical_status == ATTRIB_GAMMA_BEYOND_MAX)
      r->rosenbaum_note = attrib__analyze_printf("no critical Gamma (still significant at Gamma = %g, the largest tried)",
                                                 ATTRIB_ROSENBAUM_GAMMA_MAX);
    if (rb->critical_status != ATTRIB_GAMMA_FOUND && !r->rosenbaum_note) c->oom = 1;
  }
  attrib_rosenbaum_free(rb);
  attrib__free(dd);
  attrib_psm_result_free(p);
}

/* the event study for the report's chart */
static void keep_events(attrib__analyze_ctx *c, const attrib_did_result *dr) {
  attrib_analyze_result *r = c->r;
  size_t ne = dr->n_events, k = ne ? ne : 1;
  r->event_time = attrib__malloc(k, sizeof(double)), r->event_att = attrib__malloc(k, sizeof(double));
  r->event_low = attrib__malloc(k, sizeof(double)), r->event_high = attrib__malloc(k, sizeof(double));
  if (!r->event_time || !r->event_att || !r->event_low || !r->event_high) {
    c->oom = 1;
    return;
  }
  for (size_t q = 0; q < ne; q++)
    r->event_time[q] = dr->events[q].event_time, r->event_att[q] = dr->events[q].att,
    r->event_low[q] = dr->events[q].ci_low, r->event_high[q] = dr->events[q].ci_high;
  r->n_events = ne;
  r->event_uniform = dr->has_uniform;
}

/* the did result's notes joined into one caveat. did's note on TWFE under
 * staggered adoption names did's own remedy (its estimator option); here
 * the remedy is the did method as the primary, which the design rule
 * would have chosen. */
static char *join_warnings(const attrib_did_result *dr, int *oom) {
  if (!dr->n_warnings) return NULL;
  static const char staggered[] = "staggered adoption (";
  attrib__sbuf b = {0};
  for (size_t w = 0; w < dr->n_warnings; w++) {
    if (b.len) attrib__sbuf_add(&b, "; ", 2);
    if (!strncmp(dr->warnings[w], staggered, sizeof staggered - 1))
      attrib__sbuf_addf(&b, "staggered adoption (%zu cohorts): the two-way fixed-effects coefficient weights group-time "
                            "effects, some negatively, and compares later with already-treated cohorts (Goodman-Bacon "
                            "2021); prefer the did method (Callaway-Sant'Anna) as the primary, as the staggered "
                            "adoption rule does",
                        dr->n_groups);
    else
      attrib__sbuf_add(&b, dr->warnings[w], strlen(dr->warnings[w]));
  }
  if (b.failed || !b.s) {
    attrib__sbuf_free(&b);
    *oom = 1;
    return NULL;
  }
  return b.s;
}

void attrib__analyze_ols_options(const attrib_analyze_options *o, const char *cl[2], attrib_design_options *dopt,
                                 attrib_ols_options *oo) {
  cl[0] = o->cluster, cl[1] = NULL;
  attrib_design_options_init(dopt);
  dopt->cluster = o->cluster ? cl : NULL;
  attrib_ols_options_init(oo);
  oo->vcov = o->cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_HC1;
  oo->treat = o->treat, oo->level = o->level, oo->threads = o->threads;
}

void attrib__analyze_psm_options(const attrib_analyze_options *o, int aipw, attrib_psm_options *po) {
  attrib_psm_options_init(po);
  po->treat = o->treat, po->outcome = o->outcome, po->covariate_terms = o->covariate_terms;
  po->level = o->level, po->threads = o->threads, po->seed = o->seed;
  if (aipw) po->method = ATTRIB_PSM_AIPW;
  else po->replace = 1;
}

void attrib__analyze_did_options(const attrib__analyze_ctx *c, attrib_did_estimator est, attrib_did_options *dop) {
  const attrib_analyze_options *o = c->o;
  attrib_did_options_init(dop);
  dop->outcome = o->outcome, dop->unit = o->unit, dop->time = o->time, dop->cohort = c->panel->cohort;
  dop->cluster = o->cluster, dop->level = o->level, dop->threads = o->threads, dop->seed = o->seed;
  dop->estimator = est;
}

/* One DiD fit on the person-period rows: Callaway-Sant'Anna (simple
 * aggregation), two-way fixed effects clustered by unit, or the two
 * robustness estimators for staggered adoption (Sun-Abraham, imputation;
 * analytic SEs: analyze's bootstrap is CS's multiplier one). m NULL: the
 * fit only feeds the pre-trend check and the event study. */
static void did_fit(attrib__analyze_ctx *c, attrib_analyze_method *m, attrib_did_estimator est) {
  const attrib_analyze_options *o = c->o;
  const attrib__analyze_panel_data *P = c->panel;
  const int twfe = est == ATTRIB_DID_TWFE, cs = est == ATTRIB_DID_CS;
  attrib_did_options dop;
  attrib__analyze_did_options(c, est, &dop);
  if (cs && m) dop.bootstrap = o->bootstrap;
  attrib_did_result *dr = NULL;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status s = attrib_did_fit(P->did_table, &dop, &dr, &e);
  if (s) {
    if (m) attrib__analyze_fail_method(c, m, s, e.message);
    else if (s == ATTRIB_ENOMEM) c->oom = 1;
    return;
  }
  if (cs) {
    c->pretest_p = dr->pretest_p;
    keep_events(c, dr);
  }
  if (m) {
    m->estimate = dr->effect.estimate, m->std_error = dr->effect.std_error;
    m->ci_low = dr->effect.ci_low, m->ci_high = dr->effect.ci_high;
    m->se_method = m->se_kind = dr->se_method;
    size_t treated = 0;
    for (size_t g = 0; g < dr->n_groups; g++) treated += dr->group_units[g];
    /* TWFE keeps every row, incomplete learners included (those treated from the first
     * period only feed the fixed effects); CS the complete learners */
    size_t all_treated = 0;
    for (size_t g = 0; g < P->n_cohorts; g++) all_treated += P->cohort_units[g];
    m->n_treated = twfe ? all_treated - P->info.n_always_treated : treated;
    m->n_control = twfe ? P->n_never_all : dr->n_never;
    m->n_obs = m->n_treated + m->n_control;
    m->note = join_warnings(dr, &c->oom);
    if (!cs && !twfe && m->status == ATTRIB_OK && !isfinite(m->estimate)) /* sunab: no post-period row */
      attrib__analyze_fail_method(c, m, ATTRIB_EDESIGN, "no post-period cell could be estimated");
  }
  attrib_did_result_free(dr);
}

/* Callaway-Sant'Anna with the universal base period, for the honest
 * bounds only: the default (varying) base period's pre-period coefficients
 * are period-to-period changes, not differences from one reference period,
 * and Rambachan & Roth's restrictions need the latter (HonestDiD refuses
 * them likewise). The post-period coefficients are the same under both. */
static attrib_status honest_event_study(attrib__analyze_ctx *c, attrib_honest_input **in, attrib_error *e) {
  const attrib__analyze_panel_data *P = c->panel;
  attrib_did_options dop;
  attrib__analyze_did_options(c, ATTRIB_DID_CS, &dop);
  dop.base_universal = 1;
  attrib_did_result *dr = NULL;
  attrib_status s = attrib_did_fit(P->did_table, &dop, &dr, e);
  if (!s) s = attrib_honest_input_from_did(dr, in, e);
  attrib_did_result_free(dr);
  return s;
}

static const double honest_mbar[] = {0, 0.5, 1, 1.5, 2};

/* the robust sets (options.honest's restriction at options.honest_m,
 * default relative magnitudes at honest_mbar) on the average post-period
 * effect; on failure r->honest_note says why (never silent) */
void attrib__analyze_honest(attrib__analyze_ctx *c) {
  attrib_analyze_result *r = c->r;
  if (!c->panel) {
    if (!(r->honest_note = attrib__analyze_printf("not computed: a cross-section has no event study (honest "
                                                  "parallel-trends bounds need a panel)")))
      c->oom = 1;
    return;
  }
  if (c->o->no_honest) {
    if (!(r->honest_note = attrib__analyze_printf("not requested"))) c->oom = 1;
    return;
  }
  attrib__analyze_step(c->o, "honest parallel-trends bounds");
  attrib_honest_input *in = NULL;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status s = honest_event_study(c, &in, &e);
  attrib_honest_options ho;
  attrib_honest_options_init(&ho);
  ho.restriction = c->o->honest, ho.level = c->o->level, ho.seed = c->o->seed;
  const double *m = c->o->n_honest_m ? c->o->honest_m : honest_mbar;
  const size_t n_m = c->o->n_honest_m ? c->o->n_honest_m : sizeof honest_mbar / sizeof honest_mbar[0];
  if (!s && !in->n_pre && ho.restriction == ATTRIB_HONEST_RM)
    s = attrib__fail(&e, ATTRIB_EDESIGN, "no pre-period before the reference period: relative magnitudes bound the "
                                         "post-period trends by the pre-period ones");
  if (!s) s = attrib_honest_run(in->beta, in->sigma, in->n_pre, in->n_post, m, n_m, &ho, &r->honest, &e);
  attrib_honest_input_free(in);
  if (s == ATTRIB_ENOMEM) c->oom = 1;
  else if (s && !(r->honest_note = attrib__analyze_printf("not computed: %s", e.message))) c->oom = 1;
}

/* The break-even in money: the Mbar at which the robust set's lower end
 * (upper end for a negative effect) reaches the ROI break-even effect. */
void attrib__analyze_honest_breakeven(attrib__analyze_ctx *c) {
  attrib_analyze_result *r = c->r;
  const char *why = !r->honest ? "there are no honest parallel-trends bounds"
                    : !r->roi ? "no ROI inputs (value and cost)"
                    : !isfinite(r->roi->breakeven_effect) ? "the ROI has no finite break-even effect"
                                                          : NULL;
  if (!why) {
    attrib_error e;
    attrib_error_clear(&e);
    attrib_honest_breakeven_result *b = &r->honest_breakeven;
    b->effect = r->roi->breakeven_effect;
    attrib_status s = attrib_honest_breakeven(r->honest, b->effect, &b->m, &b->search, &e);
    if (!s) {
      r->has_honest_breakeven = 1;
      return;
    }
    if (s == ATTRIB_ENOMEM) {
      c->oom = 1;
      return;
    }
    if (!(r->honest_breakeven_note = attrib__analyze_printf("not computed: %s", e.message))) c->oom = 1;
    return;
  }
  if (!(r->honest_breakeven_note = attrib__analyze_printf("not computed: %s", why))) c->oom = 1;
}

void attrib__analyze_did(attrib__analyze_ctx *c) {
  const attrib_analyze_options *o = c->o;
  if (c->methods & ATTRIB_ANALYZE_DID) {
    attrib__analyze_step(o, "DiD (Callaway-Sant'Anna)");
    did_fit(c, attrib__analyze_add_method(c, "did", "att (group-time, simple aggregation)"), ATTRIB_DID_CS);
  } else {
    attrib__analyze_step(o, "pre-trend test (Callaway-Sant'Anna)");
    did_fit(c, NULL, ATTRIB_DID_CS);
  }
  if (c->methods & ATTRIB_ANALYZE_TWFE) {
    attrib__analyze_step(o, "DiD (two-way fixed effects)");
    did_fit(c, attrib__analyze_add_method(c, "twfe", "att (two-way fixed effects)"), ATTRIB_DID_TWFE);
  }
  if (c->methods & ATTRIB_ANALYZE_SUNAB) {
    attrib__analyze_step(o, "DiD (Sun-Abraham)");
    did_fit(c, attrib__analyze_add_method(c, "sunab", "att (Sun-Abraham, interaction-weighted)"),
            ATTRIB_DID_SUNAB);
  }
  if (c->methods & ATTRIB_ANALYZE_IMPUTATION) {
    attrib__analyze_step(o, "DiD (imputation)");
    did_fit(c, attrib__analyze_add_method(c, "imputation", "att (imputation, BJS 2024)"),
            ATTRIB_DID_IMPUTATION);
  }
}
