/* Writers of the roi result (JSON keys per docs/output-contract.md). */
#include <math.h>
#include <string.h>

#include <attrib/by.h>
#include <attrib/report.h>
#include "output/output_internal.h"

static json_t *by_name(const attrib_roi_line *l, size_t n) {
  json_t *o = json_object();
  for (size_t i = 0; o && i < n; i++) { /* lines sharing a name are summed under it */
    double a = l[i].amount;
    json_t *prev = json_object_get(o, l[i].name);
    if (prev && json_is_number(prev)) a += json_number_value(prev);
    json_object_set_new(o, l[i].name, attrib__json_num(a));
  }
  return o;
}

static const char *const scenario_names[3] = {"conservative", "moderate", "optimistic"};

json_t *attrib__json_tornado(const attrib_roi_sweep *sw) {
  json_t *tor = json_array();
  int ok = tor != NULL;
  for (size_t d = 0; ok && d < sw->n_dims; d++) {
    const attrib_roi_tornado *t = &sw->tornado[d];
    json_t *x = json_object();
    attrib__json_set(x, "input", json_string(t->name), &ok);
    attrib__json_set(x, "low", attrib__json_num(t->low), &ok);
    attrib__json_set(x, "high", attrib__json_num(t->high), &ok);
    attrib__json_set(x, "roi_pct_at_low", attrib__json_num(t->roi_low), &ok);
    attrib__json_set(x, "roi_pct_at_high", attrib__json_num(t->roi_high), &ok);
    attrib__json_set(x, "swing", attrib__json_num(t->swing), &ok);
    if (json_array_append_new(tor, x)) ok = 0;
  }
  if (!ok) json_decref(tor);
  return ok ? tor : NULL;
}

json_t *attrib__json_scenarios(const attrib_roi_sweep *sw) {
  json_t *sc = json_array();
  int ok = sc != NULL;
  for (int q = 0; ok && q < 3; q++) {
    json_t *x = json_object(), *vals = json_object();
    attrib__json_set(x, "name", json_string(scenario_names[q]), &ok);
    attrib__json_set(x, "roi_pct", attrib__json_num(sw->scenario_roi[q]), &ok);
    for (size_t d = 0; ok && d < sw->n_dims; d++) /* in the inputs' order */
      for (size_t e = 0; e < sw->n_dims; e++)
        if (sw->tornado[e].dim == d)
          attrib__json_set(vals, sw->tornado[e].name, attrib__json_num(sw->scenario_values[(size_t)q * sw->n_dims + d]), &ok);
    attrib__json_set(x, "values", vals, &ok);
    if (json_array_append_new(sc, x)) ok = 0;
  }
  if (!ok) json_decref(sc);
  return ok ? sc : NULL;
}

static json_t *json_sweep(const attrib_roi_sweep *sw, const attrib_roi_sweep_dim *dims) {
  json_t *o = json_object(), *names = json_array();
  int ok = o && names;
  for (size_t d = 0; ok && d < sw->n_dims; d++) json_array_append_new(names, json_string(dims[d].name));
  attrib__json_set(o, "inputs", names, &ok);
  attrib__json_set(o, "n_cells", json_integer((json_int_t)sw->n_cells), &ok);
  attrib__json_set(o, "tornado", attrib__json_tornado(sw), &ok);
  attrib__json_set(o, "scenarios", attrib__json_scenarios(sw), &ok);
  if (sw->n_cells <= 10000) { /* small grids inline; larger ones go to --sweep-out */
    json_t *g = json_array();
    for (size_t c = 0; ok && g && c < sw->n_cells; c++) json_array_append_new(g, attrib__json_num(sw->roi_pct[c]));
    attrib__json_set(o, "grid_roi_pct", g, &ok);
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* by: the subgroups' ROI (roi --from a fit with by), each group with the
 * fit's effect and the ROI object analyze's by groups carry */
static json_t *json_roi_by(const attrib_report_context *ctx) {
  const attrib_by_result *b = ctx->roi_by;
  int ok = 1;
  json_t *o = json_object(), *groups = json_array();
  if (!o || !groups) {
    json_decref(o), json_decref(groups);
    return NULL;
  }
  attrib__json_set(o, "column", json_string(b->column), &ok);
  attrib__json_set(o, "groups", groups, &ok);
  for (size_t g = 0; ok && g < b->n_groups; g++) {
    const attrib_by_group *gr = &b->groups[g];
    json_t *e = json_object(), *eff = json_object();
    if (!e || json_array_append_new(groups, e)) {
      json_decref(eff);
      ok = 0;
      break;
    }
    attrib__json_set(e, "level", json_string(gr->level), &ok);
    attrib__json_set(e, "n", json_integer((json_int_t)gr->n), &ok);
    attrib__json_set(e, "learners", attrib__json_num(ctx->roi_by_learners[g]), &ok);
    attrib__json_set(e, "value_per_unit", attrib__json_num(ctx->roi_by_value_per_unit[g]), &ok);
    attrib__json_set(e, "effect", eff, &ok);
    if (ok) {
      attrib__json_set(eff, "estimate", attrib__json_num(gr->effect.estimate), &ok);
      attrib__json_set(eff, "std_error", attrib__json_num(gr->effect.std_error), &ok);
      attrib__json_set(eff, "ci_low", attrib__json_num(gr->effect.ci_low), &ok);
      attrib__json_set(eff, "ci_high", attrib__json_num(gr->effect.ci_high), &ok);
    }
    attrib__json_set(e, "roi",
                     attrib__json_roi_group(ctx->roi_by_results[g], ctx->roi_by_learners[g],
                                            ctx->roi_by_value_per_unit[g]), &ok);
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* The "ROI by COLUMN" table: one row per group, n/a where its ROI could
 * not be computed. */
static int text_roi_by(FILE *out, const attrib_report_context *ctx) {
  const attrib_by_result *b = ctx->roi_by;
  int w = 5;
  for (size_t g = 0; g < b->n_groups; g++)
    if ((int)strlen(b->groups[g].level) > w) w = (int)strlen(b->groups[g].level);
  if (w > 40) w = 40;
  int bad = fprintf(out, "\nROI by %s (each group's effect and interval, its share of the learners; the cost lines in "
                         "full):\n  %-*s %12s %12s %12s %10s %10s %10s %14s\n",
                    b->column, w, "level", "effect", "learners", "value/unit", "ROI %", "ci_low %", "ci_high %",
                    "net benefit") < 0;
  for (size_t g = 0; g < b->n_groups; g++) {
    const attrib_roi_result *x = ctx->roi_by_results[g];
    bad |= fprintf(out, "  %-*s %12.6g %12.6g %12.6g", w, b->groups[g].level, b->groups[g].effect.estimate,
                   ctx->roi_by_learners[g], ctx->roi_by_value_per_unit[g]) < 0;
    if (!x) {
      bad |= fprintf(out, " %10s\n", "n/a") < 0;
      continue;
    }
    bad |= fprintf(out, " %10.2f", x->roi_pct) < 0;
    if (x->has_interval && isfinite(x->roi_ci_low_pct) && isfinite(x->roi_ci_high_pct))
      bad |= fprintf(out, " %10.2f %10.2f", x->roi_ci_low_pct, x->roi_ci_high_pct) < 0;
    else
      bad |= fprintf(out, " %10s %10s", "-", "-") < 0;
    bad |= fprintf(out, " %14.2f\n", x->net_benefit) < 0;
  }
  return bad;
}

json_t *attrib__json_roi(const attrib_roi_result *r, const attrib_roi_input *in, const attrib_roi_sweep *sw,
                         const attrib_roi_sweep_dim *dims, const attrib_report_context *ctx) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return NULL;
  attrib__json_set(root, "command", json_string("roi"), &ok);
  json_t *inp = json_object();
  attrib__json_set(root, "inputs", inp, &ok);
  attrib__json_set(inp, "effect", in->has_effect ? attrib__json_num(in->effect) : json_null(), &ok);
  if (in->effect_source) attrib__json_set(inp, "effect_source", json_string(in->effect_source), &ok);
  attrib__json_set(inp, "se", attrib__json_num(in->se), &ok);
  attrib__json_set(inp, "learners", attrib__json_num(in->learners), &ok);
  attrib__json_set(inp, "value_per_unit", attrib__json_num(in->value_per_unit), &ok);
  attrib__json_set(inp, "horizon", attrib__json_num(in->horizon), &ok);
  attrib__json_set(inp, "decay", attrib__json_num(in->decay), &ok);
  attrib__json_set(inp, "attribution", attrib__json_num(in->attribution), &ok);
  attrib__json_set(inp, "margin", attrib__json_num(in->margin), &ok);
  attrib__json_set(inp, "cost_per_learner", attrib__json_num(in->cost_per_learner), &ok);
  attrib__json_set(root, "benefit_total", attrib__json_num(r->benefit_total), &ok);
  attrib__json_set(root, "benefits", by_name(r->benefits, r->n_benefits), &ok);
  attrib__json_set(root, "cost_total", attrib__json_num(r->cost_total), &ok);
  attrib__json_set(root, "costs", by_name(r->costs, r->n_costs), &ok);
  json_t *sds = json_object();
  for (size_t i = 0; sds && i < r->n_costs; i++)
    if (r->costs[i].sd > 0) json_object_set_new(sds, r->costs[i].name, attrib__json_num(r->costs[i].sd));
  attrib__json_set(root, "cost_sd", sds, &ok);
  attrib__json_set(root, "net_benefit", attrib__json_num(r->net_benefit), &ok);
  attrib__json_set(root, "roi_pct", attrib__json_num(r->roi_pct), &ok);
  attrib__json_set(root, "per_learner_roi_pct", attrib__json_num(r->per_learner_roi_pct), &ok);
  attrib__json_set(root, "per_learner_net_benefit", attrib__json_num(r->per_learner_net_benefit), &ok);
  attrib__json_set(root, "bcr", attrib__json_num(r->bcr), &ok);
  if (in->periods_per_year > 0) {
    attrib__json_set(root, "annual_benefit", attrib__json_num(r->annual_benefit), &ok);
    attrib__json_set(root, "annual_net_benefit", attrib__json_num(r->annual_net_benefit), &ok);
    attrib__json_set(root, "annualised_roi_pct", attrib__json_num(r->annualised_roi_pct), &ok);
  }
  attrib__json_set(root, "payback_periods", attrib__json_num(r->payback_periods), &ok);
  attrib__json_set(root, "breakeven_effect", attrib__json_num(r->breakeven_effect), &ok);
  attrib__json_set(root, "breakeven_attribution", attrib__json_num(r->breakeven_attribution), &ok);
  if (r->has_interval) {
    attrib__json_set(root, "roi_ci_low_pct", attrib__json_num(r->roi_ci_low_pct), &ok);
    attrib__json_set(root, "roi_ci_high_pct", attrib__json_num(r->roi_ci_high_pct), &ok);
    attrib__json_set(root, "prob_roi_positive", attrib__json_num(r->prob_roi_positive), &ok);
    attrib__json_set(root, "interval_method", json_string(r->interval_method ? r->interval_method : ""), &ok);
    attrib__json_set(root, "roi_ci_delta_low_pct", attrib__json_num(r->roi_ci_delta_low_pct), &ok);
    attrib__json_set(root, "roi_ci_delta_high_pct", attrib__json_num(r->roi_ci_delta_high_pct), &ok);
    /* Fieller's analytic interval, the cross-check of the draws' (the interval itself without draws) */
    attrib__json_set(root, "roi_ci_fieller_low_pct", attrib__json_num(r->roi_ci_fieller_low_pct), &ok);
    attrib__json_set(root, "roi_ci_fieller_high_pct", attrib__json_num(r->roi_ci_fieller_high_pct), &ok);
    if (r->n_sim) {
      attrib__json_set(root, "n_draws", json_integer((json_int_t)r->n_sim), &ok);
      attrib__json_set(root, "n_cost_draws_nonpositive", json_integer((json_int_t)r->n_cost_nonpositive), &ok);
    }
    attrib__json_set(root, "level", attrib__json_num(r->level), &ok);
  }
  if (ctx && ctx->bootstrap) attrib__json_set(root, "bootstrap", attrib__json_bootstrap(ctx->bootstrap), &ok);
  if (sw) attrib__json_set(root, "sweep", json_sweep(sw, dims), &ok);
  if (ctx && ctx->roi_by) attrib__json_set(root, "by", json_roi_by(ctx), &ok);
  attrib__json_set(root, "warnings", attrib__json_strings(r->warnings, r->n_warnings), &ok);
  if (!ok) {
    json_decref(root);
    return NULL;
  }
  return root;
}

static attrib_status write_json(FILE *out, const attrib_roi_result *r, const attrib_roi_input *in,
                                const attrib_roi_sweep *sw, const attrib_roi_sweep_dim *dims,
                                const attrib_report_context *ctx, attrib_error *err) {
  json_t *root = attrib__json_roi(r, in, sw, dims, ctx);
  return attrib__json_write(out, root, root != NULL, err);
}

static int money(FILE *out, const char *label, double v) { return fprintf(out, "  %-28s %16.2f\n", label, v) < 0; }

/* a cost line: its name and sd padded as money() pads a label (no buffer: a long name is printed whole) */
static int cost_line(FILE *out, const attrib_roi_line *l) {
  if (!(l->sd > 0)) return money(out, l->name, l->amount);
  int w = fprintf(out, "  %s (sd %.6g)", l->name, l->sd);
  if (w < 0) return 1;
  return fprintf(out, "%*s %16.2f\n", w < 30 ? 30 - w : 0, "", l->amount) < 0;
}

static int interval(FILE *out, const char *label, double lo, double hi) {
  return fprintf(out, "%s: [%.2f%%, %.2f%%]\n", label, lo, hi) < 0;
}

static attrib_status write_text(FILE *out, const attrib_roi_result *r, const attrib_roi_input *in,
                                const attrib_roi_sweep *sw, const attrib_roi_sweep_dim *dims,
                                const attrib_report_context *ctx, attrib_error *err) {
  int bad = fprintf(out, "Return on investment\n") < 0;
  if (in->has_effect) {
    bad |= fprintf(out, "Effect %g per learner per period", in->effect) < 0;
    if (!isnan(in->se)) bad |= fprintf(out, " (SE %g)", in->se) < 0;
    bad |= fprintf(out, " x %g learners x value %g x horizon %g (decay %g) x attribution %g x margin %g\n", in->learners,
                   in->value_per_unit, in->horizon, in->decay, in->attribution, in->margin) < 0;
    if (in->effect_source) bad |= fprintf(out, "The effect is %s\n", in->effect_source) < 0;
  }
  bad |= fprintf(out, "\nBenefits\n") < 0;
  for (size_t i = 0; i < r->n_benefits; i++) bad |= money(out, r->benefits[i].name, r->benefits[i].amount);
  bad |= money(out, "total", r->benefit_total);
  bad |= fprintf(out, "Costs\n") < 0;
  for (size_t i = 0; i < r->n_costs; i++) bad |= cost_line(out, &r->costs[i]);
  bad |= money(out, "total", r->cost_total);
  bad |= fprintf(out, "\nNet benefit %.2f; ROI %.2f%%; benefit-cost ratio %.4g\n", r->net_benefit, r->roi_pct, r->bcr) < 0;
  if (isfinite(r->per_learner_net_benefit)) bad |= fprintf(out, "Per learner: net benefit %.2f\n", r->per_learner_net_benefit) < 0;
  if (isfinite(r->annual_benefit))
    bad |= fprintf(out, "Per year (%g periods a year): benefit %.2f, net benefit %.2f\n", in->periods_per_year,
                   r->annual_benefit, r->annual_net_benefit) < 0;
  bad |= fprintf(out, isfinite(r->payback_periods) ? "Payback: %.3g periods\n" : "Payback: not within the horizon\n",
                 r->payback_periods) < 0;
  if (isfinite(r->breakeven_effect)) bad |= fprintf(out, "Break-even effect: %.6g per learner per period\n", r->breakeven_effect) < 0;
  if (isfinite(r->breakeven_attribution))
    bad |= fprintf(out, "Break-even attribution share: %.4g\n", r->breakeven_attribution) < 0;
  int bounded = r->has_interval && isfinite(r->roi_ci_low_pct) && isfinite(r->roi_ci_high_pct);
  if (r->has_interval) {
    if (bounded)
      bad |= fprintf(out, "\n%g%% interval for ROI (%s): [%.2f%%, %.2f%%]; P(ROI > 0) = %.4f\n", 100.0 * r->level,
                     r->interval_method, r->roi_ci_low_pct, r->roi_ci_high_pct, r->prob_roi_positive) < 0;
    else
      bad |= fprintf(out, "\nNo bounded %g%% interval for ROI (%s): see the warnings below\n", 100.0 * r->level,
                     r->interval_method) < 0;
    int uncertain = 0;
    for (size_t i = 0; i < r->n_costs; i++) uncertain |= r->costs[i].sd > 0;
    if (r->n_sim)
      bad |= fprintf(out, "From %zu draws of the effect%s\n", r->n_sim,
                     uncertain ? ", each uncertain cost line drawn independently beside them" : "") < 0;
    if (r->n_sim && isfinite(r->roi_ci_fieller_low_pct))
      bad |= interval(out, "Fieller's analytic interval (cross-check)", r->roi_ci_fieller_low_pct, r->roi_ci_fieller_high_pct);
    if (isfinite(r->roi_ci_delta_low_pct))
      bad |= interval(out, "Delta-method approximation", r->roi_ci_delta_low_pct, r->roi_ci_delta_high_pct);
    if (bounded || isfinite(r->roi_ci_delta_low_pct))
      bad |= fprintf(out, "Attribution-share scenarios are assumptions, not sampling uncertainty: the interval%s above "
                          "hold%s the attribution share fixed at %g.\n", bounded && isfinite(r->roi_ci_delta_low_pct) ? "s" : "",
                     bounded && isfinite(r->roi_ci_delta_low_pct) ? "" : "s", in->attribution) < 0;
  } else if (in->has_effect) {
    bad |= fprintf(out, "\nNo interval for ROI: the effect was given without a standard error or draws.\n") < 0;
  }
  if (sw) {
    bad |= fprintf(out, "\nAssumption sweep: %zu combinations; tornado (ROI at each input's lowest and highest value, "
                        "others at base):\n%-20s %12s %12s %12s %12s\n",
                   sw->n_cells, "input", "low", "high", "ROI at low", "ROI at high") < 0;
    for (size_t d = 0; d < sw->n_dims; d++)
      bad |= fprintf(out, "%-20s %12.6g %12.6g %11.2f%% %11.2f%%\n", sw->tornado[d].name, sw->tornado[d].low,
                     sw->tornado[d].high, sw->tornado[d].roi_low, sw->tornado[d].roi_high) < 0;
    bad |= fprintf(out, "Scenarios: conservative %.2f%%, moderate %.2f%%, optimistic %.2f%% (each swept input at its "
                        "least favourable, base, most favourable value)\n",
                   sw->scenario_roi[0], sw->scenario_roi[1], sw->scenario_roi[2]) < 0;
    (void)dims;
  }
  if (ctx && ctx->roi_by) bad |= text_roi_by(out, ctx);
  bad |= attrib__text_dropped_warnings(out, NULL, 0, r->warnings, r->n_warnings);
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

static attrib_status write_csv(FILE *out, const attrib_roi_result *r, attrib_error *err) {
  int bad = fprintf(out, "kind,name,amount,sd\n") < 0;
  for (size_t i = 0; i < r->n_benefits; i++) {
    bad |= fputs("benefit,", out) == EOF || attrib__csv_field(out, r->benefits[i].name);
    bad |= fprintf(out, ",%.17g,0\n", r->benefits[i].amount) < 0;
  }
  for (size_t i = 0; i < r->n_costs; i++) {
    bad |= fputs("cost,", out) == EOF || attrib__csv_field(out, r->costs[i].name);
    bad |= fprintf(out, ",%.17g,%.17g\n", r->costs[i].amount, r->costs[i].sd) < 0;
  }
  bad |= fprintf(out, "figure,roi_pct,%.17g,\nfigure,net_benefit,%.17g,\nfigure,bcr,%.17g,\n", r->roi_pct, r->net_benefit,
                 r->bcr) < 0;
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_roi(FILE *out, const attrib_roi_result *r, const attrib_roi_input *in,
                                      const attrib_roi_sweep *sw, const attrib_roi_sweep_dim *dims,
                                      const attrib_report_context *ctx, attrib_report_format fmt, attrib_error *err) {
  if (!out || !r || !in || (sw && !dims)) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_roi: NULL argument");
  if (ctx && ctx->roi_by && (!ctx->roi_by_results || !ctx->roi_by_learners || !ctx->roi_by_value_per_unit))
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_roi: roi_by without its results");
  if (fmt == ATTRIB_FORMAT_JSON) return write_json(out, r, in, sw, dims, ctx, err);
  if (fmt == ATTRIB_FORMAT_CSV) return write_csv(out, r, err);
  return write_text(out, r, in, sw, dims, ctx, err);
}
