/* Writers of the did result (JSON keys per docs/output-contract.md); CSV =
 * the group-time table (CS), the event study (TWFE) or the 2x2 means. */
#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static json_t *json_ci_obj(double att, double se, double lo, double hi, int *ok) {
  json_t *e = json_object();
  if (!e) {
    *ok = 0;
    return NULL;
  }
  attrib__json_set(e, "att", attrib__json_num(att), ok);
  attrib__json_set(e, "std_error", attrib__json_num(se), ok);
  attrib__json_set(e, "ci_low", attrib__json_num(lo), ok);
  attrib__json_set(e, "ci_high", attrib__json_num(hi), ok);
  return e;
}

static void push(json_t *arr, json_t *e, int *ok) {
  if (!e || !arr || json_array_append_new(arr, e)) *ok = 0;
}

/* "group_time": ATT(g,t) of Callaway-Sant'Anna (post, and the treated and
 * control units of each cell) or Sun-Abraham's cohort x event-time
 * coefficients (the event time, and the cell's treated observations). */
static void json_group_time(json_t *root, const attrib_did_result *r, int *ok) {
  const int sunab = r->estimator == ATTRIB_DID_SUNAB;
  json_t *gt = json_array();
  attrib__json_set(root, "group_time", gt, ok);
  for (size_t k = 0; *ok && k < r->n_cells; k++) {
    const attrib_did_cell *cell = &r->cells[k];
    json_t *x = json_ci_obj(cell->att, cell->std_error, cell->ci_low, cell->ci_high, ok);
    if (x) {
      attrib__json_set(x, "group", json_real(cell->group), ok);
      attrib__json_set(x, "time", json_real(cell->time), ok);
      if (sunab) {
        attrib__json_set(x, "event_time", json_real(cell->time - cell->group), ok);
        attrib__json_set(x, "n_obs", json_integer((json_int_t)cell->n_treated), ok);
      } else {
        attrib__json_set(x, "post", json_boolean(cell->post), ok);
        attrib__json_set(x, "n_treated", json_integer((json_int_t)cell->n_treated), ok);
        attrib__json_set(x, "n_control", json_integer((json_int_t)cell->n_control), ok);
      }
    }
    push(gt, x, ok);
  }
}

/* The Callaway-Sant'Anna part: settings, ATT(g,t), the aggregations with
 * their overall figures (did's aggte), the multiplier bootstrap. */
static void json_cs(json_t *root, const attrib_did_result *r, int *okp) {
  int ok = *okp;
  attrib__json_set(root, "control", json_string(r->control_notyet ? "notyet" : "never"), &ok);
  attrib__json_set(root, "anticipation", json_integer((json_int_t)r->anticipation), &ok);
  attrib__json_set(root, "base_period", json_string(r->base_universal ? "universal" : "varying"), &ok);
  json_group_time(root, r, &ok);
  json_t *ag = json_object();
  attrib__json_set(root, "aggregations", ag, &ok);
  json_t *dyn = json_object();
  attrib__json_set(ag, "dynamic", dyn, &ok);
  attrib__json_set(dyn, "att", attrib__json_num(r->dynamic_overall), &ok);
  attrib__json_set(dyn, "std_error", attrib__json_num(r->dynamic_overall_se), &ok);
  const attrib_did_agg *lists[2] = {r->by_group, r->by_time}, *overall[2] = {&r->group_overall, &r->calendar_overall};
  size_t lens[2] = {r->n_by_group, r->n_by_time};
  const double crits[2] = {r->crit_uniform_group, r->crit_uniform_time};
  const char *names[2] = {"group", "calendar"}, *keys[2] = {"group", "time"};
  const char *onames[2] = {"group_overall", "calendar_overall"}, *bnames[2] = {"group_band", "calendar_band"};
  for (int l = 0; l < 2; l++) {
    json_t *arr = json_array();
    attrib__json_set(ag, names[l], arr, &ok);
    for (size_t q = 0; ok && q < lens[l]; q++) {
      const attrib_did_agg *a = &lists[l][q];
      json_t *x = json_ci_obj(a->att, a->std_error, a->ci_low, a->ci_high, &ok);
      if (x) attrib__json_set(x, keys[l], json_real(a->key), &ok);
      push(arr, x, &ok);
    }
    const attrib_did_agg *o = overall[l];
    attrib__json_set(ag, onames[l], json_ci_obj(o->att, o->std_error, o->ci_low, o->ci_high, &ok), &ok);
    attrib__json_set(ag, bnames[l], json_string(isfinite(crits[l]) ? "uniform (sup-t, multiplier bootstrap)" : "pointwise"),
                     &ok);
  }
  if (r->has_window_diff) {
    const attrib_did_agg *w = &r->window_diff;
    json_t *x = json_ci_obj(w->att, w->std_error, w->ci_low, w->ci_high, &ok);
    if (x) {
      const char *k[4] = {"pre_start", "pre_end", "post_start", "post_end"};
      for (int j = 0; j < 4; j++) attrib__json_set(x, k[j], json_real(r->window_diff_e[j]), &ok);
    }
    attrib__json_set(ag, "window_diff", x, &ok);
  }
  if (r->boot) {
    json_t *b = attrib__json_bootstrap(r->boot);
    attrib__json_set(root, "bootstrap", b, &ok);
    if (b) {
      attrib__json_set(b, "crit_uniform", attrib__json_num(r->crit_uniform), &ok);
      attrib__json_set(b, "crit_uniform_group", attrib__json_num(r->crit_uniform_group), &ok);
      attrib__json_set(b, "crit_uniform_calendar", attrib__json_num(r->crit_uniform_time), &ok);
    }
  }
  *okp = ok;
}

/* several outcomes (issue 18): "outcomes" and "multiple_testing" */
static void json_outcomes(json_t *root, const attrib_did_result *r, int *ok) {
  json_t *mt = json_object();
  attrib__json_set(root, "multiple_testing", mt, ok);
  if (*ok) {
    attrib__json_set(mt, "n_tests", json_integer((json_int_t)r->n_outcomes), ok);
    attrib__json_set(mt, "rows", json_string(r->per_outcome_rows ? "each outcome its own" : "the same for every outcome"), ok);
    attrib__json_set(mt, "rows_missing_some_outcome", json_integer((json_int_t)r->n_rows_some_outcome_missing), ok);
    const attrib_boot_result *b = r->outcomes[0].boot;
    attrib__json_set(mt, "romano_wolf",
                     json_string(!isnan(r->outcomes[0].p_romano_wolf)
                                     ? (b && b->t_null ? "step-down on the wild bootstrap's |t*| under the null, the same "
                                                         "weights for every outcome; (count + 1) / (B + 1)"
                                                       : "step-down on the multiplier bootstrap's |draw - estimate| / SE, "
                                                         "the same multipliers for every outcome; (count + 1) / (B + 1)")
                                 : r->per_outcome_rows ? "not computed: each outcome has its own rows"
                                                       : "not computed: it needs the bootstrap of the overall effect"),
                     ok);
  }
  json_t *arr = json_array();
  attrib__json_set(root, "outcomes", arr, ok);
  for (size_t j = 0; *ok && j < r->n_outcomes; j++) {
    const attrib_did_outcome *o = &r->outcomes[j];
    json_t *x = json_object();
    if (!x || json_array_append_new(arr, x)) {
      *ok = 0;
      return;
    }
    attrib__outcome_row w = {o->outcome, &o->effect, o->p_bonferroni, o->p_holm, o->p_romano_wolf};
    attrib__json_set(x, "outcome", json_string(o->outcome), ok);
    attrib__json_set(x, "n_obs", json_integer((json_int_t)o->n_obs), ok);
    attrib__json_set(x, "effect", attrib__json_outcome_effect(&w), ok);
    if (o->boot) attrib__json_set(x, "bootstrap", attrib__json_bootstrap(o->boot), ok);
  }
}

static int text_outcomes(FILE *out, const attrib_did_result *r) {
  int bad = fprintf(out, "\nOverall effect on each of %zu outcomes (%s; p-values adjusted across them):\n",
                    r->n_outcomes, r->per_outcome_rows ? "each on its own rows" : "the same rows") < 0;
  attrib__outcome_row *rows = attrib__malloc(r->n_outcomes, sizeof *rows);
  if (!rows) return 1;
  for (size_t j = 0; j < r->n_outcomes; j++) {
    const attrib_did_outcome *o = &r->outcomes[j];
    rows[j] = (attrib__outcome_row){o->outcome, &o->effect, o->p_bonferroni, o->p_holm, o->p_romano_wolf};
  }
  bad |= attrib__text_outcomes(out, rows, r->n_outcomes, r->level, isfinite(r->df) ? "t value" : "z value",
                                "p-value");
  attrib__free(rows);
  if (isnan(r->outcomes[0].p_romano_wolf))
    bad |= fputs(r->per_outcome_rows ? "Romano-Wolf: NA (each outcome on its own rows)\n"
                                     : "Romano-Wolf: NA (it needs the bootstrap of the overall effect)\n",
                 out) < 0;
  else
    bad |= fprintf(out, "Romano-Wolf: step-down over the bootstrap's %zu replicates, the same draws for every outcome\n",
                   r->outcomes[0].boot->t_null ? r->outcomes[0].boot->replicates : r->outcomes[0].boot->n_draws) < 0;
  return bad;
}

static attrib_status write_json(FILE *out, const attrib_did_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return attrib__json_write(out, root, 0, err);
  attrib__json_set(root, "command", json_string("did"), &ok);
  if (ctx && ctx->source) attrib__json_set(root, "source", json_string(ctx->source), &ok);
  attrib__json_set(root, "estimator", json_string(attrib_did_estimator_name(r->estimator)), &ok);
  attrib__json_set(root, "n_obs", json_integer((json_int_t)r->n_obs), &ok);
  if (r->streamed) attrib__json_set(root, "streamed", json_true(), &ok);
  json_t *e = attrib__json_effect(&r->effect);
  if (e) {
    attrib__json_set(e, "se_method", json_string(r->se_method ? r->se_method : ""), &ok);
    attrib__json_set(e, "df", attrib__json_num(r->df), &ok);
    attrib__json_set(e, "level", attrib__json_num(r->level), &ok);
  }
  attrib__json_set(root, "effect", e, &ok);
  if (r->estimator == ATTRIB_DID_2X2) {
    json_t *m = json_array();
    attrib__json_set(root, "group_means", m, &ok);
    for (int a = 0; ok && a < 2; a++)
      for (int b = 0; ok && b < 2; b++) {
        json_t *c = json_object();
        attrib__json_set(c, "treated", json_integer(a), &ok);
        attrib__json_set(c, "post", json_integer(b), &ok);
        attrib__json_set(c, "mean", attrib__json_num(r->means[a][b]), &ok);
        attrib__json_set(c, "n", json_integer((json_int_t)r->cell_n[a][b]), &ok);
        push(m, c, &ok);
      }
    if (r->n_clusters) attrib__json_set(root, "n_clusters", json_integer((json_int_t)r->n_clusters), &ok);
  } else {
    json_t *c = json_object();
    attrib__json_set(root, "counts", c, &ok);
    attrib__json_set(c, "n_units", json_integer((json_int_t)r->n_units), &ok);
    attrib__json_set(c, "n_units_used", json_integer((json_int_t)r->n_units_used), &ok);
    if (r->estimator == ATTRIB_DID_IMPUTATION) {
      attrib__json_set(c, "n_treated_obs", json_integer((json_int_t)r->n_treated_obs), &ok);
      attrib__json_set(c, "n_treated_not_imputed", json_integer((json_int_t)r->n_not_imputed), &ok);
    }
    attrib__json_set(c, "n_periods", json_integer((json_int_t)r->n_periods), &ok);
    attrib__json_set(c, "n_clusters", json_integer((json_int_t)r->n_clusters), &ok);
    attrib__json_set(c, "n_never_treated", json_integer((json_int_t)r->n_never), &ok);
    attrib__json_set(c, "n_incomplete", json_integer((json_int_t)r->n_incomplete), &ok);
    attrib__json_set(c, "n_dropped_first_period", json_integer((json_int_t)r->n_dropped_first), &ok);
    attrib__json_set(c, "n_treated_after_panel", json_integer((json_int_t)r->n_late), &ok);
    json_t *co = json_array();
    attrib__json_set(root, "cohorts", co, &ok);
    for (size_t g = 0; ok && g < r->n_groups; g++) {
      json_t *x = json_object();
      attrib__json_set(x, "group", json_real(r->groups[g]), &ok);
      attrib__json_set(x, "n_units", json_integer((json_int_t)r->group_units[g]), &ok);
      push(co, x, &ok);
    }
    if (r->estimator == ATTRIB_DID_SUNAB) {
      /* the cohort x event-time coefficients (the heterogeneity table) */
      json_group_time(root, r, &ok);
    }
    if (r->estimator == ATTRIB_DID_SUNAB || r->estimator == ATTRIB_DID_IMPUTATION) {
      json_t *ag = json_object(), *dyn = json_object();
      attrib__json_set(root, "aggregations", ag, &ok);
      attrib__json_set(ag, "dynamic", dyn, &ok);
      attrib__json_set(dyn, "att", attrib__json_num(r->dynamic_overall), &ok);
      attrib__json_set(dyn, "std_error", attrib__json_num(r->dynamic_overall_se), &ok);
    }
    if (r->estimator == ATTRIB_DID_CS) json_cs(root, r, &ok);
    if (r->n_events) {
      json_t *es = json_array();
      attrib__json_set(root, "event_study", es, &ok);
      for (size_t q = 0; ok && q < r->n_events; q++) {
        const attrib_did_event *v = &r->events[q];
        json_t *x = json_ci_obj(v->att, v->std_error, v->ci_low, v->ci_high, &ok);
        if (x) {
          attrib__json_set(x, "event_time", json_real(v->event_time), &ok);
          if (r->estimator == ATTRIB_DID_TWFE) attrib__json_set(x, "binned", json_boolean(v->binned), &ok);
        }
        push(es, x, &ok);
      }
      attrib__json_set(root, "event_study_band",
                       json_string(r->has_uniform ? "uniform (sup-t, multiplier bootstrap)" : "pointwise"), &ok);
      if (r->estimator == ATTRIB_DID_CS)
        attrib__json_set(root, "event_study_base_period", json_string(r->base_universal ? "universal" : "varying"), &ok);
      else if (r->estimator == ATTRIB_DID_IMPUTATION)
        attrib__json_set(root, "event_study_reference", json_string("imputed untreated outcomes"), &ok);
      else
        attrib__json_set(root, "event_study_reference", json_integer(-1), &ok);
    }
    if (r->n_bacon) {
      static const char *const kinds[] = {"treated vs never treated", "earlier vs later (not yet treated)",
                                          "later vs earlier (already treated)"};
      json_t *bo = json_object(), *comp = json_array();
      attrib__json_set(root, "bacon", bo, &ok);
      attrib__json_set(bo, "components", comp, &ok);
      double forbidden = 0.0;
      for (size_t q = 0; ok && q < r->n_bacon; q++) {
        const attrib_bacon_term *b = &r->bacon[q];
        json_t *x = json_object();
        attrib__json_set(x, "type", json_string(kinds[b->kind]), &ok);
        attrib__json_set(x, "treated", json_real(b->treated), &ok);
        attrib__json_set(x, "control", isnan(b->control) ? json_string("never") : json_real(b->control), &ok);
        attrib__json_set(x, "estimate", attrib__json_num(b->estimate), &ok);
        attrib__json_set(x, "weight", attrib__json_num(b->weight), &ok);
        push(comp, x, &ok);
        if (b->kind == ATTRIB_BACON_LATE_VS_EARLY) forbidden += b->weight;
      }
      attrib__json_set(bo, "weighted_sum", attrib__json_num(r->bacon_sum), &ok);
      attrib__json_set(bo, "weight_already_treated_controls", attrib__json_num(forbidden), &ok);
    }
    json_t *pt = json_object();
    attrib__json_set(root, "pretest", pt, &ok);
    attrib__json_set(pt, "test", json_string(r->pretest_kind ? r->pretest_kind : "none"), &ok);
    attrib__json_set(pt, "statistic", attrib__json_num(r->pretest_stat), &ok);
    attrib__json_set(pt, "df", attrib__json_num(r->pretest_df), &ok);
    attrib__json_set(pt, "df2", attrib__json_num(r->pretest_df2), &ok);
    attrib__json_set(pt, "p_value", attrib__json_num(r->pretest_p), &ok);
  }
  /* the regressions' wild cluster bootstrap (CS writes its multiplier one
   * with the aggregations above) */
  if (r->boot && r->estimator != ATTRIB_DID_CS) attrib__json_set(root, "bootstrap", attrib__json_bootstrap(r->boot), &ok);
  if (ctx && ctx->honest) attrib__json_set(root, "honest", attrib__json_honest(ctx->honest, NULL), &ok);
  if (r->n_outcomes > 1) json_outcomes(root, r, &ok);
  if (r->by) attrib__json_set(root, "by", attrib__json_by(r->by), &ok);
  attrib__json_set(root, "warnings", attrib__json_strings(r->warnings, r->n_warnings), &ok);
  return attrib__json_write(out, root, ok, err);
}

static int text_row(FILE *out, const char *label, double att, double se, double lo, double hi) {
  char a[32], b[32], c[32], d[32];
  attrib__fmt_num(a, sizeof a, att, 5);
  attrib__fmt_num(b, sizeof b, se, 5);
  attrib__fmt_num(c, sizeof c, lo, 5);
  attrib__fmt_num(d, sizeof d, hi, 5);
  return fprintf(out, "%-14s %12s %12s %12s %12s\n", label, a, b, c, d) < 0;
}

/* an aggregation's table (by cohort, by calendar period): one row per key,
 * then its overall figure (Callaway-Sant'Anna) */
static int text_agg(FILE *out, const char *title, const attrib_did_agg *g, size_t n, const attrib_did_agg *all,
                    double crit) {
  if (!n) return 0;
  int bad = fprintf(out, "\n%s (%s band):\n", title, isfinite(crit) ? "uniform" : "pointwise") < 0;
  for (size_t q = 0; q < n; q++) {
    char l[40];
    snprintf(l, sizeof l, "%g", g[q].key);
    bad |= text_row(out, l, g[q].att, g[q].std_error, g[q].ci_low, g[q].ci_high);
  }
  if (all && isfinite(all->att)) bad |= text_row(out, "overall", all->att, all->std_error, all->ci_low, all->ci_high);
  return bad;
}

static attrib_status write_text(FILE *out, const attrib_did_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  static const char *const title[] = {"", "2x2 difference-in-differences", "two-way fixed effects",
                                      "Callaway-Sant'Anna group-time effects",
                                      "Sun-Abraham interaction-weighted event study",
                                      "Borusyak-Jaravel-Spiess imputation"};
  int bad = fprintf(out, "Difference-in-differences: %s\nData: %s; %zu rows\n", title[r->estimator],
                    ctx && ctx->source ? ctx->source : "", r->n_obs) < 0;
  if (r->estimator == ATTRIB_DID_2X2) {
    bad |= fprintf(out, "\n%-10s %14s %14s\n", "Means", "pre", "post") < 0;
    for (int a = 1; a >= 0; a--)
      bad |= fprintf(out, "%-10s %14.6g %14.6g   (n %zu, %zu)\n", a ? "treated" : "control", r->means[a][0],
                     r->means[a][1], r->cell_n[a][0], r->cell_n[a][1]) < 0;
  } else {
    bad |= fprintf(out, "Units %zu, periods %zu, clusters %zu; never treated %zu", r->n_units, r->n_periods, r->n_clusters,
                   r->n_never) < 0;
    for (size_t g = 0; g < r->n_groups; g++)
      bad |= fprintf(out, "%s cohort %g: %zu", g ? "," : ";", r->groups[g], r->group_units[g]) < 0;
    bad |= fputc('\n', out) == EOF;
    if (r->estimator == ATTRIB_DID_SUNAB || r->estimator == ATTRIB_DID_IMPUTATION || r->estimator == ATTRIB_DID_CS)
      bad |= fprintf(out, "Units used %zu", r->n_units_used) < 0;
    if (r->estimator == ATTRIB_DID_CS && r->n_incomplete)
      bad |= fprintf(out, " of %zu; %zu miss some period (see the warnings)", r->n_units, r->n_incomplete) < 0;
    if (r->estimator == ATTRIB_DID_IMPUTATION)
      bad |= fprintf(out, "; treated observations %zu, not imputed %zu", r->n_treated_obs, r->n_not_imputed) < 0;
    if (r->estimator == ATTRIB_DID_SUNAB || r->estimator == ATTRIB_DID_IMPUTATION || r->estimator == ATTRIB_DID_CS)
      bad |= fputc('\n', out) == EOF;
    if (r->estimator == ATTRIB_DID_CS)
      bad |= fprintf(out, "Comparison: %s; base period: %s; anticipation: %zu\n",
                     r->control_notyet ? "not yet treated" : "never treated", r->base_universal ? "universal" : "varying",
                     r->anticipation) < 0;
  }
  char label[64];
  snprintf(label, sizeof label, "\n%s", r->estimator == ATTRIB_DID_2X2 ? "DiD (treat x post)" : "Overall ATT");
  bad |= attrib__text_effect(out, label, &r->effect, r->level);
  bad |= fprintf(out, "\nStandard error: %s\n", r->se_method ? r->se_method : "") < 0;
  if (r->boot) bad |= attrib__text_bootstrap(out, r->boot);
  if (r->n_cells) {
    bad |= fprintf(out, "\n%s:\n%-14s %12s %12s %12s %12s\n",
                   r->estimator == ATTRIB_DID_SUNAB ? "Cohort x period effects (interaction coefficients)"
                                                    : "Group-time effects ATT(g,t)",
                   "group/time", "ATT", "SE", "CI low", "CI high") < 0;
    for (size_t k = 0; k < r->n_cells; k++) {
      const attrib_did_cell *c = &r->cells[k];
      char l[40];
      snprintf(l, sizeof l, "%g/%g%s", c->group, c->time, c->post ? "" : " pre");
      bad |= text_row(out, l, c->att, c->std_error, c->ci_low, c->ci_high);
    }
  }
  if (r->n_events) {
    bad |= fprintf(out, "\nEvent study (%s; %s band):\n%-14s %12s %12s %12s %12s\n",
                   r->estimator == ATTRIB_DID_CS ? (r->base_universal ? "universal base" : "varying base")
                   : r->estimator == ATTRIB_DID_IMPUTATION ? "horizons after the first treated period"
                                                           : "reference period -1",
                   r->has_uniform ? "uniform" : "pointwise", "event time", "ATT", "SE", "CI low", "CI high") < 0;
    for (size_t q = 0; q < r->n_events; q++) {
      const attrib_did_event *v = &r->events[q];
      char l[40];
      snprintf(l, sizeof l, "%s%g", v->binned ? (v->event_time < 0 ? "<=" : ">=") : "", v->event_time);
      bad |= text_row(out, l, v->att, v->std_error, v->ci_low, v->ci_high);
    }
  }
  bad |= text_agg(out, "By cohort", r->by_group, r->n_by_group, &r->group_overall, r->crit_uniform_group);
  bad |= text_agg(out, "By calendar period", r->by_time, r->n_by_time, &r->calendar_overall, r->crit_uniform_time);
  if (r->has_window_diff) {
    const attrib_did_agg *w = &r->window_diff;
    bad |= fprintf(out, "\nEvent-time window difference: mean over %g..%g minus mean over %g..%g\n", r->window_diff_e[2],
                   r->window_diff_e[3], r->window_diff_e[0], r->window_diff_e[1]) < 0;
    bad |= text_row(out, "post - pre", w->att, w->std_error, w->ci_low, w->ci_high);
  }
  if (r->n_bacon) {
    static const char *const kinds[] = {"vs never", "early vs late", "late vs early"};
    double forbidden = 0.0;
    bad |= fprintf(out, "\nGoodman-Bacon decomposition (2x2 comparisons; weights sum to 1):\n%-14s %8s %8s %12s %10s\n",
                   "type", "treated", "control", "estimate", "weight") < 0;
    for (size_t q = 0; q < r->n_bacon; q++) {
      const attrib_bacon_term *b = &r->bacon[q];
      char c[32];
      if (isnan(b->control)) snprintf(c, sizeof c, "never");
      else snprintf(c, sizeof c, "%g", b->control);
      bad |= fprintf(out, "%-14s %8g %8s %12.6g %10.4f\n", kinds[b->kind], b->treated, c, b->estimate, b->weight) < 0;
      if (b->kind == ATTRIB_BACON_LATE_VS_EARLY) forbidden += b->weight;
    }
    bad |= fprintf(out, "Weighted sum %.10g; %.1f%% of the weight compares with already-treated units\n", r->bacon_sum,
                   100.0 * forbidden) < 0;
  }
  if (r->estimator != ATTRIB_DID_2X2 && isfinite(r->pretest_stat))
  {
    char df[64];
    if (isfinite(r->pretest_df2)) snprintf(df, sizeof df, "%g and %g", r->pretest_df, r->pretest_df2);
    else snprintf(df, sizeof df, "%g", r->pretest_df);
    bad |= fprintf(out, "\nPre-trend test (%s): statistic %.4g, df %s, p = %.4g\n", r->pretest_kind, r->pretest_stat, df,
                   r->pretest_p) < 0;
  }
  if (ctx && ctx->honest) bad |= fputc('\n', out) == EOF || attrib__text_honest(out, ctx->honest, NULL);
  if (r->n_outcomes > 1) bad |= text_outcomes(out, r);
  if (r->by) bad |= attrib__text_by(out, r->by);
  bad |= attrib__text_dropped_warnings(out, NULL, 0, r->warnings, r->n_warnings);
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

static attrib_status write_csv(FILE *out, const attrib_did_result *r, attrib_error *err) {
  int bad = 0;
  if (r->n_cells) {
    bad |= fprintf(out, "group,time,post,att,std_error,ci_low,ci_high\n") < 0;
    for (size_t k = 0; k < r->n_cells; k++) {
      const attrib_did_cell *c = &r->cells[k];
      bad |= fprintf(out, "%.17g,%.17g,%d,%.17g,%.17g,%.17g,%.17g\n", c->group, c->time, c->post, c->att, c->std_error,
                     c->ci_low, c->ci_high) < 0;
    }
  } else if (r->n_events) {
    bad |= fprintf(out, "event_time,binned,att,std_error,ci_low,ci_high\n") < 0;
    for (size_t q = 0; q < r->n_events; q++) {
      const attrib_did_event *v = &r->events[q];
      bad |= fprintf(out, "%.17g,%d,%.17g,%.17g,%.17g,%.17g\n", v->event_time, v->binned, v->att, v->std_error, v->ci_low,
                     v->ci_high) < 0;
    }
  } else {
    bad |= fprintf(out, "term,estimate,std_error,ci_low,ci_high\n%s,%.17g,%.17g,%.17g,%.17g\n", r->effect.term,
                   r->effect.estimate, r->effect.std_error, r->effect.ci_low, r->effect.ci_high) < 0;
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_did(FILE *out, const attrib_did_result *r, const attrib_report_context *ctx,
                                      attrib_report_format fmt, attrib_error *err) {
  if (!out || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_did: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) return write_json(out, r, ctx, err);
  if (fmt == ATTRIB_FORMAT_CSV) return write_csv(out, r, err);
  return write_text(out, r, ctx, err);
}

attrib_status attrib_report_write_did_vcov(FILE *out, const attrib_did_result *r, attrib_error *err) {
  if (!out || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_did_vcov: NULL argument");
  if (!r->n_events || !r->event_vcov)
    return attrib__fail(err, ATTRIB_EINVAL, "did: the event-study covariance needs an event study (Callaway-Sant'Anna, or twfe with did.event_study)");
  int bad = fprintf(out, "event_time") < 0;
  for (size_t b = 0; b < r->n_events; b++) bad |= fprintf(out, ",%g", r->events[b].event_time) < 0;
  bad |= fputc('\n', out) == EOF;
  for (size_t a = 0; a < r->n_events; a++) {
    bad |= fprintf(out, "%g", r->events[a].event_time) < 0;
    for (size_t b = 0; b < r->n_events; b++) bad |= fprintf(out, ",%.17g", r->event_vcov[a * r->n_events + b]) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the covariance") : ATTRIB_OK;
}

attrib_status attrib_report_write_did_cells(FILE *out, const attrib_did_result *r, attrib_error *err) {
  if (!out || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_did_cells: NULL argument");
  if (!r->n_cells)
    return attrib__fail(err, ATTRIB_EINVAL, "did: the cohort x event-time table needs did.estimator cs or sunab");
  int bad = fputs("group,time,event_time,post,att,std_error,ci_low,ci_high,n_treated,n_control\n", out) == EOF;
  for (size_t k = 0; k < r->n_cells; k++) {
    const attrib_did_cell *c = &r->cells[k];
    bad |= fprintf(out, "%.17g,%.17g,%.17g,%d,%.17g,%.17g,%.17g,%.17g,%zu,%zu\n", c->group, c->time, c->time - c->group,
                   c->post, c->att, c->std_error, c->ci_low, c->ci_high, c->n_treated, c->n_control) < 0;
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the cohort x event-time table") : ATTRIB_OK;
}
