/* Writers of the analyze result (docs/output-contract.md#analyze). */
#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

/* the cohort object: counts, missingness, baselines by group, panel cohorts */
static json_t *cohort_json(const attrib_analyze_cohort *c, int *ok) {
  json_t *x = json_object();
  attrib__json_set(x, "n_rows", json_integer((json_int_t)c->n_rows), ok);
  attrib__json_set(x, "n_treated", json_integer((json_int_t)c->n_treated), ok);
  attrib__json_set(x, "n_control", json_integer((json_int_t)c->n_control), ok);
  attrib__json_set(x, "n_treat_missing", json_integer((json_int_t)c->n_treat_missing), ok);
  attrib__json_set(x, "n_treat_other", json_integer((json_int_t)c->n_treat_other), ok);
  attrib__json_set(x, "n_complete", json_integer((json_int_t)c->n_complete), ok);
  attrib__json_set(x, "n_levels_capped", json_integer((json_int_t)c->n_levels_capped), ok);
  json_t *vs = json_array();
  attrib__json_set(x, "variables", vs, ok);
  for (size_t v = 0; *ok && v < c->n_vars; v++) {
    const attrib_analyze_variable *a = &c->vars[v];
    json_t *y = json_object();
    attrib__json_set(y, "name", json_string(a->name), ok);
    attrib__json_set(y, "level", a->level ? json_string(a->level) : json_null(), ok);
    attrib__json_set(y, "n_missing", json_integer((json_int_t)a->n_missing), ok);
    attrib__json_set(y, "mean_treated", attrib__json_num(a->mean_treated), ok);
    attrib__json_set(y, "mean_control", attrib__json_num(a->mean_control), ok);
    if (json_array_append_new(vs, y)) *ok = 0;
  }
  if (c->n_units) {
    json_t *p = json_object();
    attrib__json_set(x, "panel", p, ok);
    attrib__json_set(p, "n_units", json_integer((json_int_t)c->n_units), ok);
    attrib__json_set(p, "n_never_treated", json_integer((json_int_t)c->n_never), ok);
    json_t *cs = json_array();
    attrib__json_set(p, "cohorts", cs, ok);
    for (size_t q = 0; *ok && q < c->n_cohorts; q++) {
      json_t *y = json_object();
      attrib__json_set(y, "cohort", attrib__json_num(c->cohorts[q]), ok);
      attrib__json_set(y, "n_units", json_integer((json_int_t)c->cohort_units[q]), ok);
      if (json_array_append_new(cs, y)) *ok = 0;
    }
  }
  return x;
}

static const char *design_name(attrib_analyze_design d) {
  return d == ATTRIB_ANALYZE_PANEL_SINGLE ? "panel, single adoption date"
         : d == ATTRIB_ANALYZE_PANEL_STAGGERED ? "panel, staggered adoption"
                                               : "cross-section";
}

/* the ROI input the study used: the primary effect, the learners counted */
static attrib_roi_input used_roi(const attrib_analyze_result *r, const attrib_analyze_options *o) {
  attrib_roi_input in = o->roi;
  const attrib_analyze_method *pm = &r->methods[r->primary];
  in.effect = pm->estimate, in.se = r->roi_se, in.has_effect = 1, in.learners = r->roi_learners;
  in.periods_per_year = r->headline.periods_per_year;
  return in;
}

static json_t *panel_json(const attrib_analyze_panel *p, int *ok) {
  json_t *x = json_object();
  attrib__json_set(x, "n_units", json_integer((json_int_t)p->n_units), ok);
  attrib__json_set(x, "n_periods", json_integer((json_int_t)p->n_periods), ok);
  attrib__json_set(x, "first_period", attrib__json_num(p->first_period), ok);
  attrib__json_set(x, "last_period", attrib__json_num(p->last_period), ok);
  attrib__json_set(x, "n_used", json_integer((json_int_t)p->n_used), ok);
  attrib__json_set(x, "n_incomplete", json_integer((json_int_t)p->n_incomplete), ok);
  attrib__json_set(x, "n_always_treated", json_integer((json_int_t)p->n_always_treated), ok);
  attrib__json_set(x, "n_late", json_integer((json_int_t)p->n_late), ok);
  attrib__json_set(x, "n_treated_cohorts", json_integer((json_int_t)p->n_treated_cohorts), ok);
  attrib__json_set(x, "adoption_period", attrib__json_num(p->adoption), ok);
  attrib__json_set(x, "cohort_derived", json_boolean(p->cohort_derived), ok);
  if (isfinite(p->adoption)) {
    attrib__json_set(x, "n_pre_periods", json_integer((json_int_t)p->n_pre), ok);
    attrib__json_set(x, "n_post_periods", json_integer((json_int_t)p->n_post), ok);
  }
  return x;
}

/* the headline's words and figures for the one-pager (issue 16): the page
 * can be rebuilt from these */
static void headline_more(json_t *x, const attrib_analyze_result *r, const attrib_analyze_options *o, int *ok) {
  const attrib_analyze_headline *h = &r->headline;
  const attrib_analyze_method *pm = &r->methods[r->primary];
  const attrib_roi_result *ri = r->roi;
  attrib__json_set(x, "verdict_words", json_string(h->verdict_words), ok);
  char *text = attrib__analyze_headline_text(r, o);
  attrib__json_set(x, "text", text ? json_string(text) : NULL, ok);
  attrib__free(text);
  if (ri) {
    json_t *y = json_object();
    attrib__json_set(x, "roi", y, ok);
    attrib__json_set(y, "estimate_pct", attrib__json_num(ri->roi_pct), ok);
    attrib__json_set(y, "ci_low_pct", ri->has_interval ? attrib__json_num(ri->roi_ci_low_pct) : json_null(), ok);
    attrib__json_set(y, "ci_high_pct", ri->has_interval ? attrib__json_num(ri->roi_ci_high_pct) : json_null(), ok);
    attrib__json_set(y, "p_positive", ri->has_interval ? attrib__json_num(ri->prob_roi_positive) : json_null(), ok);
    attrib__json_set(y, "is_finding", json_boolean(h->roi_is_finding), ok);
    y = json_object();
    attrib__json_set(x, "net_benefit", y, ok);
    attrib__json_set(y, "amount", attrib__json_num(ri->net_benefit), ok);
    attrib__json_set(y, "currency", o->currency ? json_string(o->currency) : json_null(), ok);
  } else {
    attrib__json_set(x, "roi", json_null(), ok);
    attrib__json_set(x, "net_benefit", json_null(), ok);
  }
  json_t *y = json_object();
  attrib__json_set(x, "effect_per_period", y, ok);
  attrib__json_set(y, "estimate", attrib__json_num(pm->estimate), ok);
  attrib__json_set(y, "ci_low", attrib__json_num(pm->ci_low), ok);
  attrib__json_set(y, "ci_high", attrib__json_num(pm->ci_high), ok);
  attrib__json_set(y, "kpi_unit", json_string(o->kpi_unit ? o->kpi_unit : o->outcome), ok);
  attrib__json_set(y, "period", o->period ? json_string(o->period) : json_null(), ok);
  y = json_object();
  attrib__json_set(x, "comparison", y, ok);
  attrib__json_set(y, "treated", json_string(attrib__analyze_arm(r, 1)), ok);
  attrib__json_set(y, "control", json_string(attrib__analyze_arm(r, 0)), ok);
  attrib__json_set(y, "n_treated", json_integer((json_int_t)r->n_treated), ok);
  attrib__json_set(y, "n_control", json_integer((json_int_t)r->n_control), ok);
  y = json_object();
  attrib__json_set(x, "horizon", y, ok);
  attrib__json_set(y, "periods", attrib__json_num(h->horizon), ok);
  attrib__json_set(y, "period", o->period ? json_string(o->period) : json_null(), ok);
  attrib__json_set(y, "periods_per_year", h->periods_per_year > 0 ? attrib__json_num(h->periods_per_year) : json_null(), ok);
  y = json_object();
  attrib__json_set(x, "payback", y, ok);
  attrib__json_set(y, "periods", isinf(h->payback_periods) ? json_string("never") : attrib__json_num(h->payback_periods), ok);
  attrib__json_set(y, "months", h->periods_per_year > 0 && isfinite(h->payback_periods)
                                    ? attrib__json_num(12 * h->payback_periods / h->periods_per_year) : json_null(), ok);
}

/* the funnel: tiers as shares of the eligible learners, by arm; the
 * business impact is the primary effect */
static json_t *funnel_json(const attrib_analyze_result *r, const attrib_analyze_options *o, int *ok) {
  const attrib_analyze_funnel *f = &r->funnel;
  if (!f->n_tiers) return json_null();
  json_t *x = json_object();
  attrib__json_set(x, "n_eligible", json_integer((json_int_t)f->n_eligible), ok);
  attrib__json_set(x, "n_treated", json_integer((json_int_t)f->n_treated), ok);
  attrib__json_set(x, "n_control", json_integer((json_int_t)f->n_control), ok);
  json_t *ts = json_array();
  attrib__json_set(x, "tiers", ts, ok);
  for (size_t q = 0; *ok && q < f->n_tiers; q++) {
    const attrib_analyze_funnel_tier *t = &f->tiers[q];
    json_t *y = json_object();
    attrib__json_set(y, "tier", json_string(t->tier), ok);
    attrib__json_set(y, "name", json_string(t->name), ok);
    attrib__json_set(y, "column", json_string(t->column), ok);
    attrib__json_set(y, "n", json_integer((json_int_t)t->n), ok);
    attrib__json_set(y, "share", attrib__json_num(t->share), ok);
    attrib__json_set(y, "n_treated", json_integer((json_int_t)t->n_treated), ok);
    attrib__json_set(y, "share_treated", attrib__json_num(t->share_treated), ok);
    attrib__json_set(y, "n_control", json_integer((json_int_t)t->n_control), ok);
    attrib__json_set(y, "share_control", attrib__json_num(t->share_control), ok);
    attrib__json_set(y, "share_of_previous", attrib__json_num(t->share_of_previous), ok);
    attrib__json_set(y, "n_missing", json_integer((json_int_t)t->n_missing), ok);
    if (json_array_append_new(ts, y)) *ok = 0;
  }
  const attrib_analyze_method *pm = &r->methods[r->primary];
  json_t *b = json_object();
  attrib__json_set(x, "business_impact", b, ok);
  attrib__json_set(b, "tier", json_string("business_impact"), ok);
  attrib__json_set(b, "effect", attrib__json_num(pm->estimate), ok);
  attrib__json_set(b, "ci_low", attrib__json_num(pm->ci_low), ok);
  attrib__json_set(b, "ci_high", attrib__json_num(pm->ci_high), ok);
  attrib__json_set(b, "kpi_unit", json_string(o->kpi_unit ? o->kpi_unit : o->outcome), ok);
  attrib__json_set(b, "method", json_string(pm->method), ok);
  return x;
}

/* the cohort lines: the outcome's mean by period per cohort, or before and after by arm */
static json_t *cohort_lines_json(const attrib_analyze_result *r, const attrib_analyze_options *o, int *ok) {
  const attrib_analyze_cohort_lines *cl = &r->cohort_lines;
  if (!cl->kind) return json_null();
  json_t *x = json_object();
  attrib__json_set(x, "kind", json_string(cl->kind == 1 ? "periods" : "before_after"), ok);
  if (cl->kind == 2) attrib__json_set(x, "baseline", json_string(o->baseline), ok);
  json_t *pts = json_array();
  attrib__json_set(x, "points", pts, ok);
  for (size_t p = 0; *ok && p < cl->n_points; p++)
    if (json_array_append_new(pts, cl->kind == 1 ? attrib__json_num(cl->points[p]) : json_string(p ? "after" : "before")))
      *ok = 0;
  json_t *ls = json_array();
  attrib__json_set(x, "lines", ls, ok);
  for (size_t k = 0; *ok && k < cl->n_lines; k++) {
    const attrib_analyze_cohort_line *l = &cl->lines[k];
    json_t *y = json_object(), *m = json_array(), *n = json_array();
    attrib__json_set(y, "label", json_string(l->label), ok);
    if (cl->kind == 1) {
      attrib__json_set(y, "cohort", l->cohort > 0 ? attrib__json_num(l->cohort) : json_null(), ok);
      attrib__json_set(y, "start", attrib__json_num(l->start), ok);
    } else {
      attrib__json_set(y, "treated", json_boolean(l->cohort > 0), ok);
    }
    attrib__json_set(y, "n_units", json_integer((json_int_t)l->n_units), ok);
    attrib__json_set(y, "mean", m, ok);
    attrib__json_set(y, "n", n, ok);
    for (size_t p = 0; *ok && p < cl->n_points; p++)
      if (json_array_append_new(m, attrib__json_num(l->mean[p])) ||
          json_array_append_new(n, json_integer((json_int_t)l->n[p])))
        *ok = 0;
    if (json_array_append_new(ls, y)) *ok = 0;
  }
  return x;
}

static json_t *cards_json(const attrib_analyze_result *r, const attrib_analyze_options *o, int *ok) {
  attrib__card c[8];
  size_t n = attrib__analyze_cards(r, o, c);
  json_t *a = json_array();
  for (size_t q = 0; a && q < n; q++) {
    json_t *y = json_object();
    attrib__json_set(y, "key", json_string(c[q].key), ok);
    attrib__json_set(y, "label", json_string(c[q].label), ok);
    attrib__json_set(y, "value", json_string(c[q].value), ok);
    attrib__json_set(y, "note", json_string(c[q].note), ok);
    if (json_array_append_new(a, y)) *ok = 0;
  }
  return a;
}

/* the finding: verdict and reason, the primary effect and its ROI */
static json_t *headline_json(const attrib_analyze_result *r, const attrib_analyze_options *o, int *ok) {
  const attrib_analyze_method *pm = &r->methods[r->primary];
  json_t *x = json_object();
  attrib__json_set(x, "verdict", json_string(r->headline.verdict), ok);
  attrib__json_set(x, "reason", json_string(r->headline.reason), ok);
  attrib__json_set(x, "primary_method", json_string(pm->method), ok);
  attrib__json_set(x, "primary_reason", json_string(r->primary_reason), ok);
  attrib__json_set(x, "primary_chosen", json_boolean(r->primary_chosen), ok);
  attrib__json_set(x, "effect", attrib__json_num(pm->estimate), ok);
  attrib__json_set(x, "ci_low", attrib__json_num(pm->ci_low), ok);
  attrib__json_set(x, "ci_high", attrib__json_num(pm->ci_high), ok);
  if (r->roi) {
    attrib__json_set(x, "roi_pct", attrib__json_num(r->roi->roi_pct), ok);
    if (r->roi->has_interval) {
      attrib__json_set(x, "roi_ci_low_pct", attrib__json_num(r->roi->roi_ci_low_pct), ok);
      attrib__json_set(x, "roi_ci_high_pct", attrib__json_num(r->roi->roi_ci_high_pct), ok);
    }
  }
  headline_more(x, r, o, ok);
  return x;
}

/* the honest parallel-trends block (the did command's, docs/methods/honest_did.md), plus what it was
 * computed on and, without a break-even in money, why; null when not computed (honest_note says why) */
static json_t *honest_json(const attrib_analyze_result *r, int *ok) {
  if (!r->honest) return json_null();
  json_t *h = attrib__json_honest(r->honest, r->has_honest_breakeven ? &r->honest_breakeven : NULL);
  if (!h) {
    *ok = 0;
    return NULL;
  }
  attrib__json_set(h, "event_study", json_string("cs, universal base period"), ok);
  if (!r->has_honest_breakeven)
    attrib__json_set(h, "breakeven_roi_note", json_string(r->honest_breakeven_note ? r->honest_breakeven_note : "not computed"), ok);
  return h;
}

/* options.by: the subgroups of the primary method, each with its ROI (null
 * where it could not be computed; absent without ROI inputs) */
static json_t *by_json(const attrib_analyze_result *r, int *ok) {
  json_t *b = attrib__json_by(r->by);
  if (!b) {
    *ok = 0;
    return NULL;
  }
  attrib__json_set(b, "method", json_string(r->by_method ? r->by_method : ""), ok);
  json_t *groups = json_object_get(b, "groups");
  for (size_t g = 0; *ok && r->by_roi && g < r->by->n_groups; g++)
    attrib__json_set(json_array_get(groups, g), "roi",
                     attrib__json_roi_group(r->by_roi[g], r->by_roi_learners[g], r->by_roi_value_per_unit[g]), ok);
  return b;
}

/* options.mediator: mediate's JSON keys (acme, ade, total_effect,
 * prop_mediated, rho_at_zero, ...) from its own writer */
static json_t *mediation_json(const attrib_analyze_result *r, const attrib_analyze_options *o, int *ok) {
  attrib_mediate_options mo;
  attrib_mediate_options_init(&mo);
  mo.treat = o->treat, mo.mediator = o->mediator, mo.outcome = o->outcome, mo.covariates = r->covariates;
  int body_ok = 1;
  json_t *m = attrib__json_mediate_body(r->mediation, &mo, &body_ok);
  if (!m || !body_ok) *ok = 0;
  return m;
}

/* the next pilot in power's key names; null when not computed (pilot_note says why) */
static json_t *pilot_json(const attrib_analyze_result *r, int *ok) {
  const attrib_analyze_pilot *p = &r->pilot;
  const attrib_power_result *a = p->at_n;
  if (!p->computed || !a) return json_null();
  json_t *x = json_object();
  if (!x) {
    *ok = 0;
    return NULL;
  }
  attrib__json_set(x, "design", json_string(attrib__power_design_name(a->design)), ok);
  attrib__json_set(x, "test", json_string(a->test), ok);
  attrib__json_set(x, "n", attrib__json_num(a->n), ok);
  attrib__json_set(x, "mde", attrib__json_num(a->mde), ok);
  attrib__json_set(x, "effect_size", attrib__json_num(a->effect_size), ok);
  attrib__json_set(x, "se", attrib__json_num(a->se), ok);
  attrib__json_set(x, "df", attrib__json_num(a->df), ok);
  attrib__json_set(x, "design_factor", attrib__json_num(a->design_factor), ok);
  attrib__json_set(x, "design_effect", attrib__json_num(a->design_effect), ok);
  attrib__json_set(x, "clusters", attrib__json_num(a->clusters), ok);
  attrib__json_set(x, "inputs", attrib__json_power_inputs(a, &p->options, ok), ok);
  attrib__json_set(x, "baseline", attrib__json_power_baseline(&p->baseline, r->design == ATTRIB_ANALYZE_CROSS_SECTION
                                                                                  ? "the analysed data"
                                                                                  : "the panel's learners (window means)",
                                                              ok), ok);
  attrib__json_set(x, "effect", attrib__json_num(p->effect), ok);
  attrib__json_set(x, "power", p->at_effect ? attrib__json_num(p->at_effect->power) : json_null(), ok);
  const attrib_power_result *q = p->required;
  attrib__json_set(x, "n_required", q ? attrib__json_num(q->n) : json_null(), ok);
  attrib__json_set(x, "n_required_treated_whole", q ? json_integer((json_int_t)q->n_treated_whole) : json_null(), ok);
  attrib__json_set(x, "n_required_control_whole", q ? json_integer((json_int_t)q->n_control_whole) : json_null(), ok);
  attrib__json_power_money(x, a, ok);
  attrib__json_set(x, "note", json_string(p->note ? p->note : ""), ok);
  attrib__json_set(x, "warnings", attrib__json_strings(a->warnings, a->n_warnings), ok);
  return x;
}

/* options.extra_outcomes: "outcomes" (the primary method on every KPI, the
 * effect object the psm / did / ols several-outcome writers share) and
 * "multiple_testing"; an empty "outcomes" with "outcomes_note" when the
 * table could not be made */
static int has_kpis(const attrib_analyze_options *o) { return o->extra_outcomes && o->extra_outcomes[0]; }

static void outcomes_json(json_t *root, const attrib_analyze_result *r, int *ok) {
  json_t *arr = json_array();
  attrib__json_set(root, "outcomes", arr, ok);
  for (size_t j = 0; *ok && j < r->n_outcomes; j++) {
    const attrib_analyze_outcome *x = &r->outcomes[j];
    json_t *y = json_object();
    if (!y || json_array_append_new(arr, y)) {
      *ok = 0;
      return;
    }
    attrib__outcome_row w = {x->outcome, &x->effect, x->p_bonferroni, x->p_holm, x->p_romano_wolf};
    attrib__json_set(y, "outcome", json_string(x->outcome), ok);
    attrib__json_set(y, "method", json_string(r->outcomes_method ? r->outcomes_method : ""), ok);
    attrib__json_set(y, "n_obs", json_integer((json_int_t)x->n_obs), ok);
    attrib__json_set(y, "effect", attrib__json_outcome_effect(&w), ok);
  }
  if (r->outcomes_note) {
    attrib__json_set(root, "outcomes_note", json_string(r->outcomes_note), ok);
    return;
  }
  json_t *mt = json_object();
  attrib__json_set(root, "multiple_testing", mt, ok);
  if (!*ok) return;
  attrib__json_set(mt, "n_tests", json_integer((json_int_t)r->n_outcomes), ok);
  attrib__json_set(mt, "method", json_string(r->outcomes_method ? r->outcomes_method : ""), ok);
  attrib__json_set(mt, "rows", json_string(r->outcomes_per_outcome_rows ? "each outcome its own" : "the same for every outcome"),
                   ok);
  attrib__json_set(mt, "rows_dropped_for_an_outcome", json_integer((json_int_t)r->outcomes_rows_dropped), ok);
  attrib__json_set(mt, "replicates", json_integer((json_int_t)r->outcomes_replicates), ok);
  attrib__json_set(mt, "romano_wolf", json_string(r->outcomes_romano_wolf ? r->outcomes_romano_wolf : ""), ok);
}

static attrib_status write_json(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o,
                                const attrib_report_context *ctx, attrib_error *err) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return attrib__json_write(out, root, 0, err);
  attrib__json_set(root, "command", json_string("analyze"), &ok);
  if (ctx && ctx->source) attrib__json_set(root, "source", json_string(ctx->source), &ok);
  attrib__json_set(root, "outcome", json_string(o->outcome), &ok);
  attrib__json_set(root, "treat", json_string(o->treat), &ok);
  attrib__json_set(root, "covariates", json_string(r->covariates), &ok);
  attrib__json_set(root, "design", json_string(design_name(r->design)), &ok);
  if (r->design != ATTRIB_ANALYZE_CROSS_SECTION) attrib__json_set(root, "panel", panel_json(&r->panel, &ok), &ok);
  attrib__json_set(root, "headline", headline_json(r, o, &ok), &ok);
  json_t *units = json_object();
  attrib__json_set(root, "units", units, &ok);
  attrib__json_set(units, "currency", o->currency ? json_string(o->currency) : json_null(), &ok);
  attrib__json_set(units, "kpi_unit", o->kpi_unit ? json_string(o->kpi_unit) : json_null(), &ok);
  attrib__json_set(units, "period", o->period ? json_string(o->period) : json_null(), &ok);
  attrib__json_set(root, "quick_card", cards_json(r, o, &ok), &ok);
  attrib__json_set(root, "n_obs", json_integer((json_int_t)r->n_obs), &ok);
  attrib__json_set(root, "n_treated", json_integer((json_int_t)r->n_treated), &ok);
  attrib__json_set(root, "n_control", json_integer((json_int_t)r->n_control), &ok);
  attrib__json_set(root, "cohort", cohort_json(&r->cohort, &ok), &ok);
  attrib__json_set(root, "funnel", funnel_json(r, o, &ok), &ok);
  attrib__json_set(root, "cohort_lines", cohort_lines_json(r, o, &ok), &ok);
  json_t *ms = json_array();
  attrib__json_set(root, "methods", ms, &ok);
  for (size_t q = 0; ok && q < r->n_methods; q++) {
    const attrib_analyze_method *m = &r->methods[q];
    json_t *x = json_object();
    attrib__json_set(x, "method", json_string(m->method), &ok);
    attrib__json_set(x, "estimand", json_string(m->estimand ? m->estimand : ""), &ok);
    attrib__json_set(x, "estimand_words", json_string(attrib__analyze_estimand_words(m, r->design != ATTRIB_ANALYZE_CROSS_SECTION)), &ok);
    if (m->status == ATTRIB_OK) {
      attrib__json_set(x, "n_obs", json_integer((json_int_t)m->n_obs), &ok);
      attrib__json_set(x, "n_treated", json_integer((json_int_t)m->n_treated), &ok);
      attrib__json_set(x, "n_control", json_integer((json_int_t)m->n_control), &ok);
      attrib__json_set(x, "estimate", attrib__json_num(m->estimate), &ok);
      attrib__json_set(x, "std_error", attrib__json_num(m->std_error), &ok);
      attrib__json_set(x, "ci_low", attrib__json_num(m->ci_low), &ok);
      attrib__json_set(x, "ci_high", attrib__json_num(m->ci_high), &ok);
      attrib__json_set(x, "se_method", json_string(m->se_method ? m->se_method : ""), &ok);
      attrib__json_set(x, "std_error_kind", json_string(m->se_kind ? m->se_kind : ""), &ok);
      attrib__json_set(x, "interval_method", json_string(m->interval_method ? m->interval_method : ""), &ok);
      if (m->note) attrib__json_set(x, "note", json_string(m->note), &ok);
    } else {
      attrib__json_set(x, "error", json_string(m->message), &ok);
      attrib__json_set(x, "skipped", json_boolean(m->skipped), &ok);
    }
    if (json_array_append_new(ms, x)) ok = 0;
  }
  attrib__json_set(root, "primary_method", json_string(r->methods[r->primary].method), &ok);
  attrib__json_set(root, "primary_reason", json_string(r->primary_reason), &ok);
  json_t *cs = json_array();
  attrib__json_set(root, "checks", cs, &ok);
  for (size_t q = 0; ok && q < r->n_checks; q++) {
    json_t *x = json_object();
    attrib__json_set(x, "name", json_string(r->checks[q].name), &ok);
    attrib__json_set(x, "verdict", json_string(r->checks[q].verdict), &ok);
    attrib__json_set(x, "reason", json_string(r->checks[q].reason), &ok);
    if (json_array_append_new(cs, x)) ok = 0;
  }
  if (r->roi) {
    attrib_roi_input in = used_roi(r, o);
    json_t *x = attrib__json_roi(r->roi, &in, NULL, NULL, NULL);
    attrib__json_set(root, "roi", x, &ok);
    if (x) {
      attrib__json_set(x, "learners_source", json_string(r->roi_learners_default ? "treated learners in the data" : "given"), &ok);
      attrib__json_set(x, "se_source", json_string(r->roi_se_from_interval ? "the primary method's interval (half-width / z)"
                                                                            : "the primary method's standard error"), &ok);
    }
  }
  if (r->by) attrib__json_set(root, "by", by_json(r, &ok), &ok);
  if (has_kpis(o) && ok) outcomes_json(root, r, &ok);
  attrib__json_set(root, "honest", honest_json(r, &ok), &ok);
  if (!r->honest) attrib__json_set(root, "honest_note", json_string(r->honest_note ? r->honest_note : "not computed"), &ok);
  json_t *sen = json_object();
  attrib__json_set(root, "sensitivity", sen, &ok);
  if (r->attribution_sweep) {
    json_t *a = json_array();
    attrib__json_set(sen, "attribution_sweep", a, &ok);
    for (size_t q = 0; ok && q < r->attribution_sweep->n_cells; q++) {
      json_t *x = json_object();
      attrib__json_set(x, "attribution", attrib__json_num(r->attribution_values[q]), &ok);
      attrib__json_set(x, "roi_pct", attrib__json_num(r->attribution_sweep->roi_pct[q]), &ok);
      if (json_array_append_new(a, x)) ok = 0;
    }
  }
  if (r->tornado) { /* each ROI input 20% lower and higher, and the three scenarios */
    attrib__json_set(sen, "tornado", attrib__json_tornado(r->tornado), &ok);
    attrib__json_set(sen, "scenarios", attrib__json_scenarios(r->tornado), &ok);
  }
  attrib__json_set(sen, "evalue", attrib__json_num(r->evalue), &ok);
  attrib__json_set(sen, "evalue_ci", attrib__json_num(r->evalue_ci), &ok);
  attrib__json_set(sen, "robustness_value", attrib__json_num(r->rv_q), &ok);
  attrib__json_set(sen, "robustness_value_alpha", attrib__json_num(r->rv_qa), &ok);
  attrib__json_set(sen, "breakeven_rv", attrib__json_num(r->breakeven_rv), &ok);
  attrib__json_set(sen, "critical_gamma", attrib__json_num(r->critical_gamma), &ok);
  if (r->has_rosenbaum || r->rosenbaum_note) { /* as sensitivity rosenbaum's keys */
    json_t *rb = json_object();
    if (r->has_rosenbaum) {
      attrib__json_set(rb, "n_pairs", json_integer((json_int_t)r->rosenbaum_pairs), &ok);
      attrib__json_set(rb, "alternative", json_string(r->rosenbaum_sign < 0 ? "less" : "greater"), &ok);
      attrib__json_set(rb, "p_gamma_1", attrib__json_num(r->rosenbaum_p1), &ok);
      attrib__json_set(rb, "significant_at_gamma_1",
                       json_boolean(r->critical_status != ATTRIB_GAMMA_NOT_SIGNIFICANT), &ok);
      attrib__json_set(rb, "critical_gamma", attrib__json_num(r->critical_gamma), &ok);
    }
    if (r->rosenbaum_note) attrib__json_set(rb, "critical_gamma_note", json_string(r->rosenbaum_note), &ok);
    attrib__json_set(sen, "rosenbaum", rb, &ok);
  }
  if (r->mediation) attrib__json_set(root, "mediation", mediation_json(r, o, &ok), &ok);
  attrib__json_set(root, "pilot", pilot_json(r, &ok), &ok);
  if (!r->pilot.computed) attrib__json_set(root, "pilot_note", json_string(r->pilot.note ? r->pilot.note : "not computed"), &ok);
  return attrib__json_write(out, root, ok, err);
}

static int text_header(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o,
                       const attrib_report_context *ctx) {
  const char *src = ctx && ctx->source ? ctx->source : "";
  int bad = fprintf(out, "Attribution study: effect of %s on %s\n", o->treat, o->outcome) < 0;
  const attrib_analyze_panel *p = &r->panel;
  if (r->design == ATTRIB_ANALYZE_CROSS_SECTION)
    bad |= fprintf(out, "Data: %s; %zu learners (%zu trained, %zu not)\n", src, r->n_obs, r->n_treated, r->n_control) < 0;
  else {
    bad |= fprintf(out, "Data: %s; panel of %zu learners over %zu periods (%s", src, p->n_units, p->n_periods,
                   design_name(r->design) + 7) < 0;
    if (isfinite(p->adoption)) bad |= fprintf(out, ", period %g", p->adoption) < 0;
    else bad |= fprintf(out, ", %zu cohorts", p->n_treated_cohorts) < 0;
    bad |= fprintf(out, "); analysed %zu learners (%zu trained, %zu never)\n", r->n_obs, r->n_treated, r->n_control) < 0;
    if (p->n_incomplete || p->n_always_treated || p->n_late)
      bad |= fprintf(out, "Left out of the learner rows and Callaway-Sant'Anna: %zu learners missing the outcome in some "
                          "period, %zu trained from the first period (no period before); %zu first treated after the last "
                          "period count as never treated\n",
                     p->n_incomplete, p->n_always_treated, p->n_late) < 0;
  }
  const char *v = r->headline.verdict;
  bad |= fprintf(out, "Finding: %s; %s\n", !strcmp(v, "no_detectable_effect") ? "no detectable effect" : v,
                 r->headline.reason) < 0;
  bad |= fprintf(out, "Primary estimate: %s (%s)\n", r->methods[r->primary].method, r->primary_reason) < 0;
  char *words = attrib__analyze_headline_text(r, o);
  bad |= !words || fprintf(out, "In words: %s\n", words) < 0;
  attrib__free(words);
  return bad;
}

/* the funnel and the cohort lines, as the report shows them */
static int text_summary(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  int bad = 0;
  const attrib_analyze_funnel *f = &r->funnel;
  if (f->n_tiers) {
    bad |= fprintf(out, "\nFunnel (of %zu eligible learners; %zu trained, %zu not):\n%-34s %9s %8s %8s %10s\n", f->n_eligible,
                   f->n_treated, f->n_control, "tier", "learners", "share", "trained", "untrained") < 0;
    for (size_t q = 0; q < f->n_tiers; q++) {
      const attrib_analyze_funnel_tier *t = &f->tiers[q];
      int len = fprintf(out, "%c%s (%s = %s)", t->tier[0] - 32, t->tier + 1, t->name, t->column);
      bad |= len < 0 || fprintf(out, "%*s %9zu %7.1f%% %7.1f%% %9.1f%%\n", len < 34 ? 34 - len : 0, "", t->n, 100 * t->share,
                                100 * t->share_treated, 100 * t->share_control) < 0;
    }
    const attrib_analyze_method *pm = &r->methods[r->primary];
    bad |= fprintf(out, "Business impact (effect on %s): %+.6g per learner [%.6g, %.6g]\n", o->kpi_unit ? o->kpi_unit : o->outcome,
                   pm->estimate, pm->ci_low, pm->ci_high) < 0;
  }
  const attrib_analyze_cohort_lines *cl = &r->cohort_lines;
  if (cl->kind) {
    bad |= fprintf(out, "\nMean %s %s:\n%-24s %8s", o->outcome, cl->kind == 1 ? "by period and cohort" : "before and after by arm",
                   cl->kind == 1 ? "cohort" : "arm", "learners") < 0;
    for (size_t p = 0; p < cl->n_points; p++)
      bad |= (cl->kind == 1 ? fprintf(out, " %9g", cl->points[p]) : fprintf(out, " %9s", p ? "after" : "before")) < 0;
    bad |= fputc('\n', out) == EOF;
    for (size_t k = 0; k < cl->n_lines; k++) {
      bad |= fprintf(out, "%-24s %8zu", cl->lines[k].label, cl->lines[k].n_units) < 0;
      for (size_t p = 0; p < cl->n_points; p++)
        bad |= fprintf(out, " %8.4g%c", cl->lines[k].mean[p], cl->lines[k].start == cl->points[p] ? '*' : ' ') < 0;
      bad |= fputc('\n', out) == EOF;
    }
    if (cl->kind == 1) bad |= fputs("(* the period training started)\n", out) == EOF;
  }
  return bad;
}

static int text_cohort(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_analyze_cohort *c = &r->cohort;
  int panel = r->design != ATTRIB_ANALYZE_CROSS_SECTION, bad = 0;
  if (panel)
    bad |= fprintf(out, "\nCohort (learners at their first period): %zu learners; %s = 1 (ever): %zu, never: %zu", c->n_rows,
                   o->treat, c->n_treated, c->n_control) < 0;
  else
    bad |= fprintf(out, "\nCohort: %zu rows; %s = 1: %zu, = 0: %zu", c->n_rows, o->treat, c->n_treated, c->n_control) < 0;
  if (c->n_treat_missing) bad |= fprintf(out, ", missing: %zu", c->n_treat_missing) < 0;
  if (c->n_treat_other) bad |= fprintf(out, ", neither 0 nor 1: %zu", c->n_treat_other) < 0;
  bad |= fprintf(out, "; %zu %s complete in every analysis column\n", c->n_complete, panel ? "learners" : "rows") < 0;
  if (c->n_units) {
    bad |= fprintf(out, "Panel: %zu learners; never treated %zu", c->n_units, c->n_never) < 0;
    for (size_t q = 0; q < c->n_cohorts; q++) bad |= fprintf(out, "; cohort %g: %zu", c->cohorts[q], c->cohort_units[q]) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  bad |= fprintf(out, "%-32s %12s %12s %9s\n", "baseline (mean or share)", "treated", "control", "missing") < 0;
  for (size_t v = 0; v < c->n_vars; v++) {
    const attrib_analyze_variable *a = &c->vars[v];
    /* the label in full, padded to the column: "tenure", or "role = Manager" for a level */
    int len = a->level ? fprintf(out, "%s = %s", a->name, a->level) : fprintf(out, "%s", a->name);
    bad |= len < 0 || fprintf(out, "%*s %12.5g %12.5g %9zu\n", len < 32 ? 32 - len : 0, "", a->mean_treated,
                               a->mean_control, a->n_missing) < 0;
  }
  return bad;
}

static int text_methods(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  int w = 6; /* the method column: as wide as "imputation" only when that row is there */
  for (size_t q = 0; q < r->n_methods; q++)
    if ((int)strlen(r->methods[q].method) > w) w = (int)strlen(r->methods[q].method);
  int bad = fprintf(out, "\nEffect by method (%g%% intervals):\n%-*s %-40s %12s %10s %12s %12s\n", 100 * o->level, w,
                    "method", "estimand", "estimate", "SE", "CI low", "CI high") < 0;
  for (size_t q = 0; q < r->n_methods; q++) {
    const attrib_analyze_method *m = &r->methods[q];
    if (m->status)
      bad |= fprintf(out, "%-*s %-40s %s%s\n", w, m->method, m->estimand ? m->estimand : "",
                     m->skipped ? "" : "not estimated: ", m->message) < 0;
    else
      bad |= fprintf(out, "%-*s %-40s %12.6g %10.4g %12.6g %12.6g\n", w, m->method, m->estimand, m->estimate,
                     m->std_error, m->ci_low, m->ci_high) < 0;
    if (!m->status && m->note) bad |= fprintf(out, "%*s note: %s\n", w, "", m->note) < 0;
  }
  bad |= fprintf(out, "\nChecks:\n") < 0;
  for (size_t q = 0; q < r->n_checks; q++)
    bad |= fprintf(out, "  %-11s %-8s %s\n", r->checks[q].name, r->checks[q].verdict, r->checks[q].reason) < 0;
  return bad;
}

static int text_roi(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_roi_result *x = r->roi;
  int bad = fprintf(out, "\nROI (from the %s estimate, for %g learners%s): benefit %.2f, cost %.2f, net %.2f, ROI %.1f%%",
                    r->methods[r->primary].method, r->roi_learners,
                    r->roi_learners_default ? ", the treated learners in the data" : "", x->benefit_total, x->cost_total,
                    x->net_benefit, x->roi_pct) < 0;
  if (x->has_interval)
    bad |= fprintf(out, " [%.1f%%, %.1f%%], P(ROI > 0) = %.3f", x->roi_ci_low_pct, x->roi_ci_high_pct, x->prob_roi_positive) < 0;
  bad |= fprintf(out, "\nBreak-even effect %.6g; break-even attribution %.3g\n", x->breakeven_effect, x->breakeven_attribution) < 0;
  if (r->attribution_sweep) {
    bad |= fprintf(out, "ROI by attribution share:") < 0;
    for (size_t q = 0; q < r->attribution_sweep->n_cells; q++)
      bad |= fprintf(out, " %.0f%%: %.0f%%;", 100 * r->attribution_values[q], r->attribution_sweep->roi_pct[q]) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  if (r->tornado)
    bad |= fprintf(out, "Scenarios: conservative %.0f%%, moderate %.0f%%, optimistic %.0f%% (value per unit, learners and "
                        "horizon 20%% lower / as given / 20%% higher, attribution %.2g / as given / 1, the effect 20%% "
                        "lower / as estimated / 20%% higher)\n",
                   r->tornado->scenario_roi[0], r->tornado->scenario_roi[1], r->tornado->scenario_roi[2],
                   fmin(o->roi.attribution, 0.5)) < 0;
  return bad;
}

/* options.by: the primary method's subgroups, and each group's ROI */
static int text_by(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  int bad = fprintf(out, "\nBy subgroup (%s, the primary method):", r->by_method ? r->by_method : "") < 0;
  bad |= attrib__text_by(out, r->by);
  if (!r->by_roi) return bad;
  bad |= fprintf(out, "ROI by %s:\n", r->by->column) < 0;
  for (size_t g = 0; g < r->by->n_groups; g++) {
    const attrib_roi_result *x = r->by_roi[g];
    if (!x) {
      bad |= fprintf(out, "  %s: n/a\n", r->by->groups[g].level) < 0;
      continue;
    }
    bad |= fprintf(out, "  %s: %.1f%%", r->by->groups[g].level, x->roi_pct) < 0;
    if (x->has_interval) bad |= fprintf(out, " [%.1f%%, %.1f%%]", x->roi_ci_low_pct, x->roi_ci_high_pct) < 0;
    bad |= fprintf(out, ", net %.2f for %g learners", x->net_benefit, r->by_roi_learners[g]) < 0;
    /* a value per unit of the group's own (by_value_per_unit) is said */
    if (r->by_roi_value_per_unit && r->by_roi_value_per_unit[g] != o->roi.value_per_unit)
      bad |= fprintf(out, " at %g per unit", r->by_roi_value_per_unit[g]) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  return bad;
}

/* options.extra_outcomes: the primary method on every KPI */
static int text_outcomes(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  int bad = fprintf(out, "\nSeveral KPIs (%s, the primary method; %s; p-values adjusted across them):\n",
                    r->outcomes_method ? r->outcomes_method : "",
                    r->outcomes_per_outcome_rows ? "each on its own rows" : "the same rows") < 0;
  if (r->outcomes_note) return bad | (fprintf(out, "%s\n", r->outcomes_note) < 0);
  attrib__outcome_row *rows = attrib__malloc(r->n_outcomes ? r->n_outcomes : 1, sizeof *rows);
  if (!rows) return 1;
  for (size_t j = 0; j < r->n_outcomes; j++) {
    const attrib_analyze_outcome *x = &r->outcomes[j];
    rows[j] = (attrib__outcome_row){x->outcome, &x->effect, x->p_bonferroni, x->p_holm, x->p_romano_wolf};
  }
  bad |= attrib__text_outcomes(out, rows, r->n_outcomes, o->level, "statistic", "p-value");
  attrib__free(rows);
  if (r->outcomes_rows_dropped)
    bad |= fprintf(out, "Rows complete but for another KPI, left out for all: %zu\n", r->outcomes_rows_dropped) < 0;
  bad |= fprintf(out, "Romano-Wolf: %s\n", r->outcomes_romano_wolf ? r->outcomes_romano_wolf : "") < 0;
  return bad;
}

/* the honest parallel-trends bounds and the break-even in money, or why not */
static int text_honest(FILE *out, const attrib_analyze_result *r) {
  char sentence[512];
  attrib__analyze_honest_sentence(sentence, sizeof sentence, r);
  if (!r->honest) return fprintf(out, "\n%s\n", sentence) < 0;
  int bad = fputs("\nParallel trends (on Callaway-Sant'Anna's event study, universal base period):\n", out) == EOF;
  bad |= attrib__text_honest(out, r->honest, r->has_honest_breakeven ? &r->honest_breakeven : NULL);
  bad |= fprintf(out, "In money: %s\n", sentence) < 0;
  return bad;
}

/* options.mediator: mediate's table of the quantities, and rho at zero */
static int text_mediation(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_mediate_result *m = r->mediation;
  int bad = fprintf(out, "\nThrough the mediator %s (Imai, Keele & Tingley 2010; %zu rows; %g%% intervals, %s, %zu sims, "
                         "seed %lu):\n",
                    o->mediator, m->n, 100 * m->level, attrib_mediate_ci_name(m->ci_method), m->sims, m->seed) < 0;
  bad |= attrib__text_mediate_effects(out, m);
  if (isfinite(m->rho_at_zero))
    bad |= fprintf(out, "The effect through %s vanishes if the two models' errors correlate at rho = %.4f (0 under "
                        "sequential ignorability)\n", o->mediator, m->rho_at_zero) < 0;
  return bad;
}

/* the next pilot, or why there is none */
static int text_pilot(FILE *out, const attrib_analyze_result *r) {
  const attrib_analyze_pilot *p = &r->pilot;
  const attrib_power_result *a = p->at_n;
  if (!p->computed || !a) return fprintf(out, "\nThe next pilot: %s\n", p->note ? p->note : "not computed") < 0;
  int bad = fprintf(out, "\nThe next pilot: %s; %s-sided alpha %g, power %g:\n", p->note ? p->note : "",
                    a->sides == 2 ? "two" : "one", a->alpha, a->target_power) < 0;
  bad |= fprintf(out, "  minimum detectable effect        %.6g (%.4g SD; SE %.6g)\n", a->mde, a->effect_size, a->se) < 0;
  int len = fprintf(out, "  this study's effect (%s)", r->methods[r->primary].method);
  bad |= len < 0 || fprintf(out, "%*s %.6g\n", len < 34 ? 34 - len : 0, "", p->effect) < 0;
  if (p->at_effect) bad |= fprintf(out, "  power to detect its size         %.4f\n", p->at_effect->power) < 0;
  if (p->required)
    bad |= fprintf(out, "  learners to detect it            %.6g (%zu treated + %zu control, rounded up)\n", p->required->n,
                   p->required->n_treated_whole, p->required->n_control_whole) < 0;
  if (a->has_roi) {
    bad |= fprintf(out, "  ROI at the MDE                   %.2f%% (for %g learners)\n", a->mde_roi_pct, a->roi_learners) < 0;
    bad |= fprintf(out, "  break-even effect                %.6g; ", a->breakeven_effect) < 0;
    bad |= (isfinite(a->n_breakeven) ? fprintf(out, "detected at power %g by %.6g learners\n", a->target_power, a->n_breakeven)
                                     : fprintf(out, "no pilot size (see the warnings)\n")) < 0;
  }
  return bad || attrib__text_dropped_warnings(out, NULL, 0, a->warnings, a->n_warnings);
}

static attrib_status write_text(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o,
                                const attrib_report_context *ctx, attrib_error *err) {
  int bad = text_header(out, r, o, ctx) || text_cohort(out, r, o) || text_summary(out, r, o) || text_methods(out, r, o);
  if (!bad && r->roi) bad = text_roi(out, r, o);
  if (!bad) {
    bad |= fprintf(out, "\nSensitivity: E-value %.3g (CI %.3g)", r->evalue, r->evalue_ci) < 0;
    if (isfinite(r->rv_q)) bad |= fprintf(out, "; robustness value %.3g (alpha: %.3g)", r->rv_q, r->rv_qa) < 0;
    if (isfinite(r->breakeven_rv)) bad |= fprintf(out, "; break-even confounding (partial R2) %.3g", r->breakeven_rv) < 0;
    if (isfinite(r->critical_gamma)) bad |= fprintf(out, "; Rosenbaum critical Gamma %.3g", r->critical_gamma) < 0;
    else if (r->rosenbaum_note) bad |= fprintf(out, "; Rosenbaum: %s", r->rosenbaum_note) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  if (!bad) bad = text_honest(out, r);
  if (!bad && r->by) bad = text_by(out, r, o);
  if (!bad && r->mediation) bad = text_mediation(out, r, o);
  if (!bad) bad = text_pilot(out, r);
  if (!bad && has_kpis(o)) bad = text_outcomes(out, r, o);
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_analyze(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o,
                                          const attrib_report_context *ctx, attrib_report_format fmt, attrib_error *err) {
  if (!out || !r || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_analyze: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) return write_json(out, r, o, ctx, err);
  if (fmt == ATTRIB_FORMAT_CSV) return attrib__fail(err, ATTRIB_EINVAL, "analyze writes text or json; csv tables come from the single commands");
  return write_text(out, r, o, ctx, err);
}
