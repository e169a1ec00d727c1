/*
 * Writers of the sensitivity results (docs/methods/sensitivity.md): the
 * E-value, Rosenbaum bounds, omitted-variable bias and the specification
 * curve, each as text, JSON (keys per docs/output-contract.md) and CSV.
 */
#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static attrib_status io_fail(attrib_error *err) { return attrib__fail(err, ATTRIB_EIO, "cannot write the output"); }

/* ---- E-value ------------------------------------------------------------------------ */

attrib_status attrib_report_write_evalue(FILE *out, const attrib_evalue *e, double breakeven, double evalue_breakeven,
                                         attrib_report_format fmt, attrib_error *err) {
  if (!out || !e) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_evalue: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) {
    json_t *root = json_object();
    int ok = root != NULL;
    attrib__json_set(root, "command", json_string("sensitivity evalue"), &ok);
    attrib__json_set(root, "rr", attrib__json_num(e->rr), &ok);
    attrib__json_set(root, "rr_ci_low", attrib__json_num(e->rr_low), &ok);
    attrib__json_set(root, "rr_ci_high", attrib__json_num(e->rr_high), &ok);
    attrib__json_set(root, "evalue_estimate", attrib__json_num(e->evalue_estimate), &ok);
    attrib__json_set(root, "evalue_ci", attrib__json_num(e->evalue_ci), &ok);
    if (!isnan(breakeven)) attrib__json_set(root, "evalue_breakeven", attrib__json_num(evalue_breakeven), &ok);
    return attrib__json_write(out, root, ok, err);
  }
  int bad;
  if (fmt == ATTRIB_FORMAT_CSV) {
    bad = fprintf(out, "rr,rr_ci_low,rr_ci_high,evalue_estimate,evalue_ci\n%.17g,%.17g,%.17g,%.17g,%.17g\n", e->rr,
                  e->rr_low, e->rr_high, e->evalue_estimate, e->evalue_ci) < 0;
    return bad ? io_fail(err) : ATTRIB_OK;
  }
  bad = fprintf(out, "E-value (VanderWeele & Ding 2017): risk ratio %.6g", e->rr) < 0;
  if (!isnan(e->rr_low)) bad |= fprintf(out, " [%.6g, %.6g]", e->rr_low, e->rr_high) < 0;
  bad |= fprintf(out, "\nE-value for the estimate: %.6g\n", e->evalue_estimate) < 0;
  if (!isnan(e->evalue_ci)) bad |= fprintf(out, "E-value for the confidence limit: %.6g\n", e->evalue_ci) < 0;
  if (!isnan(breakeven))
    bad |= fprintf(out, "E-value to bring the estimate down to the break-even %g: %.6g\n", breakeven, evalue_breakeven) < 0;
  bad |= fprintf(out, "An unmeasured confounder associated with both treatment and outcome by a risk ratio of %.3g each,\n"
                      "above the measured covariates, could explain the estimate away; weaker confounding could not.\n",
                 e->evalue_estimate) < 0;
  return bad ? io_fail(err) : ATTRIB_OK;
}

/* ---- Rosenbaum bounds --------------------------------------------------------------- */

/* why there is no critical Gamma, in words */
static void critical_note(const attrib_rosenbaum *rb, char *buf, size_t len) {
  if (rb->critical_status == ATTRIB_GAMMA_NOT_SIGNIFICANT)
    snprintf(buf, len, "not significant even without hidden bias (p = %.4g > %g at Gamma = 1)", rb->p_gamma1, rb->alpha);
  else
    snprintf(buf, len, "still significant at Gamma = %g, the largest tried", ATTRIB_ROSENBAUM_GAMMA_MAX);
}

static attrib_status rosenbaum_json(FILE *out, const attrib_rosenbaum *rb, double breakeven, double gamma_breakeven,
                                    attrib_error *err) {
  json_t *root = json_object(), *tab = json_array();
  int ok = root && tab;
  attrib__json_set(root, "command", json_string("sensitivity rosenbaum"), &ok);
  attrib__json_set(root, "n_pairs", json_integer((json_int_t)rb->n_pairs), &ok);
  attrib__json_set(root, "n_zero_differences", json_integer((json_int_t)rb->n_zero), &ok);
  attrib__json_set(root, "zeros", json_string(rb->keep_zeros ? "keep (rank 0, as DOS2)" : "drop (as rbounds)"), &ok);
  attrib__json_set(root, "alpha", json_real(rb->alpha), &ok);
  attrib__json_set(root, "critical_gamma", attrib__json_num(rb->critical_gamma), &ok);
  attrib__json_set(root, "p_gamma_1", attrib__json_num(rb->p_gamma1), &ok);
  attrib__json_set(root, "significant_at_gamma_1", json_boolean(rb->critical_status != ATTRIB_GAMMA_NOT_SIGNIFICANT), &ok);
  if (rb->critical_status != ATTRIB_GAMMA_FOUND) {
    char note[160]; /* a fixed sentence with two numbers */
    critical_note(rb, note, sizeof note);
    attrib__json_set(root, "critical_gamma_note", json_string(note), &ok);
  }
  if (!isnan(breakeven)) attrib__json_set(root, "breakeven_gamma", attrib__json_num(gamma_breakeven), &ok);
  for (size_t g = 0; ok && g < rb->n_rows; g++) {
    const attrib_rosenbaum_row *w = &rb->rows[g];
    json_t *x = json_object();
    attrib__json_set(x, "gamma", json_real(w->gamma), &ok);
    attrib__json_set(x, "p_upper", attrib__json_num(w->p_upper), &ok);
    attrib__json_set(x, "p_lower", attrib__json_num(w->p_lower), &ok);
    attrib__json_set(x, "hl_lower", attrib__json_num(w->hl_lower), &ok);
    attrib__json_set(x, "hl_upper", attrib__json_num(w->hl_upper), &ok);
    if (json_array_append_new(tab, x)) ok = 0;
  }
  attrib__json_set(root, "table", tab, &ok);
  return attrib__json_write(out, root, ok, err);
}

static int rosenbaum_text(FILE *out, const attrib_rosenbaum *rb, double breakeven, double g) {
  int bad = fprintf(out, "Rosenbaum bounds, Wilcoxon signed-rank test: %zu pairs (%zu zero differences, %s)\n",
                    rb->n_pairs, rb->n_zero, rb->keep_zeros ? "kept with rank 0" : "dropped") < 0;
  bad |= fprintf(out, "%8s %12s %12s %12s %12s\n", "Gamma", "p upper", "p lower", "HL lower", "HL upper") < 0;
  for (size_t i = 0; i < rb->n_rows; i++)
    bad |= fprintf(out, "%8.4g %12.4g %12.4g %12.5g %12.5g\n", rb->rows[i].gamma, rb->rows[i].p_upper,
                   rb->rows[i].p_lower, rb->rows[i].hl_lower, rb->rows[i].hl_upper) < 0;
  if (rb->critical_status == ATTRIB_GAMMA_FOUND) {
    bad |= fprintf(out, "Critical Gamma (upper-bound p-value exceeds %g): %.4f\n", rb->alpha, rb->critical_gamma) < 0;
  } else {
    char note[160];
    critical_note(rb, note, sizeof note);
    bad |= fprintf(out, "No critical Gamma: %s\n", note) < 0;
  }
  if (isnan(breakeven)) return bad;
  if (g == 1.0)
    bad |= fprintf(out, "The lower Hodges-Lehmann bound is at or below the break-even %g already at Gamma = 1 (no hidden "
                        "bias needed)\n", breakeven) < 0;
  else if (isnan(g))
    bad |= fprintf(out, "The lower Hodges-Lehmann bound stays above the break-even %g up to Gamma = %g\n", breakeven,
                   ATTRIB_ROSENBAUM_GAMMA_MAX) < 0;
  else
    bad |= fprintf(out, "Gamma at which the lower Hodges-Lehmann bound falls to the break-even %g: %.4f\n", breakeven,
                   g) < 0;
  return bad;
}

attrib_status attrib_report_write_rosenbaum(FILE *out, const attrib_rosenbaum *rb, double breakeven,
                                            double gamma_breakeven, attrib_report_format fmt, attrib_error *err) {
  if (!out || !rb) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_rosenbaum: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) return rosenbaum_json(out, rb, breakeven, gamma_breakeven, err);
  int bad = 0;
  if (fmt == ATTRIB_FORMAT_CSV) {
    bad = fprintf(out, "gamma,p_upper,p_lower,hl_lower,hl_upper\n") < 0;
    for (size_t g = 0; g < rb->n_rows; g++)
      bad |= fprintf(out, "%.17g,%.17g,%.17g,%.17g,%.17g\n", rb->rows[g].gamma, rb->rows[g].p_upper, rb->rows[g].p_lower,
                     rb->rows[g].hl_lower, rb->rows[g].hl_upper) < 0;
  } else {
    bad = rosenbaum_text(out, rb, breakeven, gamma_breakeven);
  }
  return bad ? io_fail(err) : ATTRIB_OK;
}

/* ---- omitted-variable bias ---------------------------------------------------------- */

static json_t *ovb_bound_json(const attrib_ovb_result *r, const attrib_ovb_bound *bd) {
  json_t *x = json_object();
  int ok = x != NULL;
  attrib__json_set(x, "benchmark", json_string(r->benchmarks[bd->benchmark]), &ok);
  attrib__json_set(x, "kd", attrib__json_num(bd->kd), &ok);
  attrib__json_set(x, "ky", attrib__json_num(bd->ky), &ok);
  attrib__json_set(x, "r2dxj_x", attrib__json_num(r->r2dxj_x[bd->benchmark]), &ok);
  attrib__json_set(x, "r2yxj_dx", attrib__json_num(r->r2yxj_dx[bd->benchmark]), &ok);
  attrib__json_set(x, "r2dz_x", attrib__json_num(bd->r2dz_x), &ok);
  attrib__json_set(x, "r2yz_dx", attrib__json_num(bd->r2yz_dx), &ok);
  attrib__json_set(x, "adjusted_estimate", attrib__json_num(bd->adjusted_estimate), &ok);
  attrib__json_set(x, "adjusted_se", attrib__json_num(bd->adjusted_se), &ok);
  attrib__json_set(x, "adjusted_t", attrib__json_num(bd->adjusted_t), &ok);
  attrib__json_set(x, "adjusted_lower", attrib__json_num(bd->adjusted_lower), &ok);
  attrib__json_set(x, "adjusted_upper", attrib__json_num(bd->adjusted_upper), &ok);
  attrib__json_set(x, "capped", json_boolean(bd->capped), &ok);
  if (!ok) json_decref(x);
  return ok ? x : NULL;
}

/* {"r2dz_x": axis, "r2yz_dx": axis, "adjusted_estimate": [[row], ...]} */
static json_t *ovb_grid_json(const attrib_ovb_grid *g) {
  json_t *grid = json_object(), *axis = json_array(), *est = json_array();
  int ok = grid && axis && est;
  for (size_t i = 0; ok && i < g->n; i++)
    if (json_array_append_new(axis, json_real(g->r2[i]))) ok = 0;
  for (size_t i = 0; ok && i < g->n; i++) {
    json_t *row = json_array();
    for (size_t j = 0; row && j < g->n; j++)
      if (json_array_append_new(row, attrib__json_num(g->adjusted[i * g->n + j]))) ok = 0;
    if (!row || json_array_append_new(est, row)) ok = 0;
  }
  attrib__json_set(grid, "r2dz_x", axis, &ok);
  attrib__json_set(grid, "r2yz_dx", json_deep_copy(axis), &ok);
  attrib__json_set(grid, "adjusted_estimate", est, &ok);
  if (!ok) json_decref(grid);
  return ok ? grid : NULL;
}

static attrib_status ovb_json(FILE *out, const attrib_ovb_result *r, double breakeven, double rv_breakeven,
                              attrib_error *err) {
  const attrib_ovb *ov = &r->stats;
  json_t *root = json_object(), *bounds = json_array();
  int ok = root && bounds;
  attrib__json_set(root, "command", json_string("sensitivity ovb"), &ok);
  attrib__json_set(root, "treat", json_string(r->treat), &ok);
  attrib__json_set(root, "estimate", attrib__json_num(ov->estimate), &ok);
  attrib__json_set(root, "std_error", attrib__json_num(ov->std_error), &ok);
  attrib__json_set(root, "t", attrib__json_num(ov->t), &ok);
  attrib__json_set(root, "dof", attrib__json_num(ov->dof), &ok);
  attrib__json_set(root, "clustered", json_boolean(r->clustered), &ok);
  attrib__json_set(root, "q", attrib__json_num(ov->q), &ok);
  attrib__json_set(root, "alpha", attrib__json_num(ov->alpha), &ok);
  attrib__json_set(root, "partial_r2_treat", attrib__json_num(ov->partial_r2_treat), &ok);
  attrib__json_set(root, "rv_q", attrib__json_num(ov->rv_q), &ok);
  attrib__json_set(root, "rv_qa", attrib__json_num(ov->rv_qa), &ok);
  if (!isnan(breakeven)) {
    attrib__json_set(root, "breakeven_effect", attrib__json_num(breakeven), &ok);
    attrib__json_set(root, "breakeven_rv", attrib__json_num(rv_breakeven), &ok);
  }
  for (size_t b = 0; ok && b < r->n_bounds; b++) {
    json_t *x = ovb_bound_json(r, &r->bounds[b]);
    if (!x || json_array_append_new(bounds, x)) ok = 0;
  }
  attrib__json_set(root, "bounds", bounds, &ok);
  attrib__json_set(root, "grid", ovb_grid_json(&r->grid), &ok);
  return attrib__json_write(out, root, ok, err);
}

static int ovb_csv(FILE *out, const attrib_ovb_result *r) {
  int bad = fprintf(out, "benchmark,kd,ky,r2dz_x,r2yz_dx,adjusted_estimate,adjusted_se,adjusted_t,adjusted_lower,"
                         "adjusted_upper\n") < 0;
  for (size_t b = 0; b < r->n_bounds; b++) {
    const attrib_ovb_bound *bd = &r->bounds[b];
    bad |= attrib__csv_field(out, r->benchmarks[bd->benchmark]);
    bad |= fprintf(out, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", bd->kd, bd->ky, bd->r2dz_x,
                   bd->r2yz_dx, bd->adjusted_estimate, bd->adjusted_se, bd->adjusted_t, bd->adjusted_lower,
                   bd->adjusted_upper) < 0;
  }
  return bad;
}

static int ovb_text(FILE *out, const attrib_ovb_result *r, double breakeven, double rv_breakeven) {
  const attrib_ovb *ov = &r->stats;
  int bad = fprintf(out, "Omitted-variable bias (Cinelli & Hazlett 2020) for %s: estimate %.6g, SE %.6g, t %.6g on %g "
                         "df%s\n", r->treat, ov->estimate, ov->std_error, ov->t, ov->dof,
                    r->clustered ? " (cluster-robust)" : "") < 0;
  bad |= fprintf(out, "Partial R2 of the treatment with the outcome: %.6g\n", ov->partial_r2_treat) < 0;
  bad |= fprintf(out, "Robustness value RV(q = %g): %.6g; RV(q = %g, alpha = %g): %.6g\n", ov->q, ov->rv_q, ov->q,
                 ov->alpha, ov->rv_qa) < 0;
  if (ov->q == 1.0)
    bad |= fprintf(out, "A confounder explaining %.1f%% of the residual variance of both treatment and outcome would "
                        "remove the estimate; %.1f%% would make it insignificant.\n",
                   100 * ov->rv_q, 100 * ov->rv_qa) < 0;
  else
    bad |= fprintf(out, "A confounder explaining %.1f%% of the residual variance of both treatment and outcome would "
                        "move the estimate by %g%% (to %.6g); %.1f%% would make its interval reach that value.\n",
                   100 * ov->rv_q, 100 * ov->q, (1 - ov->q) * ov->estimate, 100 * ov->rv_qa) < 0;
  if (!isnan(breakeven))
    bad |= fprintf(out, "Break-even confounding: %.1f%% of both residual variances brings the estimate down to %g, "
                        "where ROI is zero.\n", 100 * rv_breakeven, breakeven) < 0;
  if (r->n_bounds)
    bad |= fprintf(out, "\n%-16s %5s %5s %8s %8s %12s %10s %10s\n", "bound", "kd", "ky", "R2dz.x", "R2yz.dx", "adjusted",
                   "lower", "upper") < 0;
  int capped = 0;
  for (size_t b = 0; b < r->n_bounds; b++) {
    const attrib_ovb_bound *bd = &r->bounds[b];
    capped |= bd->capped;
    bad |= fprintf(out, "%-16s %5g %5g %8.4f %8.4f%s %12.6g %10.6g %10.6g\n", r->benchmarks[bd->benchmark], bd->kd,
                   bd->ky, bd->r2dz_x, bd->r2yz_dx, bd->capped ? "*" : " ", bd->adjusted_estimate, bd->adjusted_lower,
                   bd->adjusted_upper) < 0;
  }
  if (capped) bad |= fprintf(out, "* the bound on R2yz.dx was above 1 and is set to 1: lower kd or ky\n") < 0;
  return bad;
}

attrib_status attrib_report_write_ovb(FILE *out, const attrib_ovb_result *r, double breakeven, double rv_breakeven,
                                      attrib_report_format fmt, attrib_error *err) {
  if (!out || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_ovb: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) return ovb_json(out, r, breakeven, rv_breakeven, err);
  int bad = fmt == ATTRIB_FORMAT_CSV ? ovb_csv(out, r) : ovb_text(out, r, breakeven, rv_breakeven);
  return bad ? io_fail(err) : ATTRIB_OK;
}

/* ---- specification sweeps ----------------------------------------------------------- */

/* the value of dimension d in specification i, as given */
static const char *spec_val(const attrib_spec_options *o, size_t i, size_t d) {
  return o->dims[d].values[attrib_spec_value(o, i, d)];
}

static json_t *spec_json_one(const attrib_spec_options *o, const attrib_spec_result *r, size_t i) {
  json_t *x = json_object(), *vals = json_object();
  int ok = x && vals;
  for (size_t d = 0; ok && d < o->n_dims; d++) attrib__json_set(vals, o->dims[d].name, json_string(spec_val(o, i, d)), &ok);
  attrib__json_set(x, "values", vals, &ok);
  if (!r->status) {
    attrib__json_set(x, "estimate", attrib__json_num(r->estimate), &ok);
    attrib__json_set(x, "std_error", attrib__json_num(r->std_error), &ok);
    attrib__json_set(x, "ci_low", attrib__json_num(r->ci_low), &ok);
    attrib__json_set(x, "ci_high", attrib__json_num(r->ci_high), &ok);
    attrib__json_set(x, "p_value", attrib__json_num(r->p_value), &ok);
    attrib__json_set(x, "n_used", json_integer((json_int_t)r->n_used), &ok);
  } else {
    attrib__json_set(x, "error", json_string(r->message), &ok);
  }
  if (!ok) json_decref(x);
  return ok ? x : NULL;
}

static json_t *spec_json_summary(const attrib_spec_summary *sum) {
  json_t *js = json_object(), *fails = json_array();
  int ok = js && fails;
  attrib__json_set(js, "n_specs", json_integer((json_int_t)sum->n_specs), &ok);
  attrib__json_set(js, "n_estimated", json_integer((json_int_t)sum->n_estimated), &ok);
  attrib__json_set(js, "n_failed", json_integer((json_int_t)sum->n_failed), &ok);
  attrib__json_set(js, "min_estimate", attrib__json_num(sum->min_estimate), &ok);
  attrib__json_set(js, "median_estimate", attrib__json_num(sum->median_estimate), &ok);
  attrib__json_set(js, "max_estimate", attrib__json_num(sum->max_estimate), &ok);
  attrib__json_set(js, "share_significant", attrib__json_num(sum->share_significant), &ok);
  attrib__json_set(js, "share_positive", attrib__json_num(sum->share_positive), &ok);
  for (size_t g = 0; ok && g < sum->n_reasons; g++) {
    const attrib_spec_failure *f = &sum->reasons[g];
    json_t *x = json_object();
    attrib__json_set(x, "reason", json_string(f->reason), &ok);
    attrib__json_set(x, "status", json_string(attrib_status_name(f->status)), &ok);
    attrib__json_set(x, "count", json_integer((json_int_t)f->count), &ok);
    attrib__json_set(x, "first_spec", json_integer((json_int_t)f->first), &ok);
    if (json_array_append_new(fails, x)) ok = 0;
  }
  attrib__json_set(js, "failures", fails, &ok);
  if (!ok) json_decref(js);
  return ok ? js : NULL;
}

static attrib_status spec_json(FILE *out, const attrib_spec_options *o, const attrib_spec_result *res,
                               const attrib_spec_summary *sum, attrib_error *err) {
  json_t *root = json_object(), *specs = json_array(), *names = json_array();
  int ok = root && specs && names;
  attrib__json_set(root, "command",
                   json_string(o->estimator == ATTRIB_SPEC_DID ? "sensitivity spec did" : "sensitivity spec psm"), &ok);
  for (size_t d = 0; ok && d < o->n_dims; d++)
    if (json_array_append_new(names, json_string(o->dims[d].name))) ok = 0;
  attrib__json_set(root, "varying", names, &ok);
  for (size_t i = 0; ok && i < sum->n_specs; i++) {
    json_t *x = spec_json_one(o, &res[i], i);
    if (!x || json_array_append_new(specs, x)) ok = 0;
  }
  attrib__json_set(root, "specs", specs, &ok);
  attrib__json_set(root, "summary", spec_json_summary(sum), &ok);
  return attrib__json_write(out, root, ok, err);
}

/* the table: one row per specification, its values then its estimate or why it failed */
static int spec_rows(FILE *out, const attrib_spec_options *o, const attrib_spec_result *res, size_t n, int csv) {
  int bad = 0;
  for (size_t d = 0; d < o->n_dims; d++) bad |= fprintf(out, csv ? "%s," : "%-14s ", o->dims[d].name) < 0;
  bad |= fprintf(out, csv ? "estimate,std_error,ci_low,ci_high,p_value,n_used,error\n" : "%12s %10s %12s %12s %8s\n",
                 "estimate", "SE", "CI low", "CI high", "n used") < 0;
  for (size_t i = 0; i < n; i++) {
    const attrib_spec_result *r = &res[i];
    for (size_t d = 0; d < o->n_dims; d++)
      bad |= csv ? attrib__csv_field(out, spec_val(o, i, d)) || fputc(',', out) == EOF
                 : fprintf(out, "%-14s ", spec_val(o, i, d)) < 0;
    if (r->status && csv)
      bad |= fputs(",,,,,,", out) == EOF || attrib__csv_field(out, r->message) || fputc('\n', out) == EOF;
    else if (r->status)
      bad |= fprintf(out, "failed: %s\n", r->message) < 0;
    else if (csv)
      bad |= fprintf(out, "%.17g,%.17g,%.17g,%.17g,%.17g,%zu,\n", r->estimate, r->std_error, r->ci_low, r->ci_high,
                     r->p_value, r->n_used) < 0;
    else
      bad |= fprintf(out, "%12.6g %10.4g %12.6g %12.6g %8zu\n", r->estimate, r->std_error, r->ci_low, r->ci_high,
                     r->n_used) < 0;
  }
  return bad;
}

/* the summary in words, then each reason for failing with its first specification */
static int spec_summary_text(FILE *out, const attrib_spec_options *o, const attrib_spec_summary *sum) {
  size_t n = sum->n_specs;
  int bad;
  if (!sum->n_estimated)
    bad = fprintf(out, "No specification could be estimated: %s %zu failed\n", n == 1 ? "the" : "all", n) < 0;
  else if (!sum->n_failed)
    bad = fprintf(out, "Estimates from %.6g to %.6g (median %.6g); %.0f%% of specifications significant, %.0f%% "
                       "positive\n", sum->min_estimate, sum->max_estimate, sum->median_estimate,
                  100 * sum->share_significant, 100 * sum->share_positive) < 0;
  else
    bad = fprintf(out, "Estimated %zu of %zu specifications: estimates from %.6g to %.6g (median %.6g); %.0f%% of them "
                       "significant, %.0f%% positive\n", sum->n_estimated, n, sum->min_estimate, sum->max_estimate,
                  sum->median_estimate, 100 * sum->share_significant, 100 * sum->share_positive) < 0;
  if (sum->n_failed) bad |= fprintf(out, "Failed (%zu):\n", sum->n_failed) < 0;
  for (size_t g = 0; g < sum->n_reasons; g++) {
    bad |= fprintf(out, "  %zu x %s (first: ", sum->reasons[g].count, sum->reasons[g].reason) < 0;
    for (size_t d = 0; d < o->n_dims; d++)
      bad |= fprintf(out, "%s%s=%s", d ? " " : "", o->dims[d].name, spec_val(o, sum->reasons[g].first, d)) < 0;
    bad |= fputs(")\n", out) == EOF;
  }
  return bad;
}

attrib_status attrib_report_write_spec(FILE *out, const attrib_spec_options *o, const attrib_spec_result *results,
                                       const attrib_spec_summary *sum, attrib_report_format fmt, attrib_error *err) {
  if (!out || !o || !sum || (sum->n_specs && !results) || (o->n_dims && !o->dims))
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_spec: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) return spec_json(out, o, results, sum, err);
  int csv = fmt == ATTRIB_FORMAT_CSV, bad = 0;
  if (!csv)
    bad |= fprintf(out, "Specification curve: %zu specifications, %zu failed\n", sum->n_specs, sum->n_failed) < 0;
  bad |= spec_rows(out, o, results, sum->n_specs, csv);
  if (!csv) bad |= spec_summary_text(out, o, sum);
  return bad ? io_fail(err) : ATTRIB_OK;
}
