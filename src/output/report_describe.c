#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static const char *type_name(const attrib_describe_column *c) {
  if (c->type == ATTRIB_COLUMN_CATEGORICAL) return "categorical";
  return c->is_boolean ? "boolean" : "numeric";
}

static attrib_status write_json(FILE *out, const attrib_describe_result *r, attrib_error *err) {
  int ok = 1;
  json_t *root = json_object(), *cols = json_array();
  if (!root || !cols) {
    json_decref(cols);
    return attrib__json_write(out, root, 0, err);
  }
  attrib__json_set(root, "command", json_string("describe"), &ok);
  attrib__json_set(root, "source", json_string(r->source), &ok);
  attrib__json_set(root, "n_obs", json_integer((json_int_t)r->n_rows), &ok);
  attrib__json_set(root, "n_columns", json_integer((json_int_t)r->n_cols), &ok);
  for (size_t j = 0; ok && j < r->n_cols; j++) {
    const attrib_describe_column *c = &r->cols[j];
    json_t *o = json_object();
    if (!o || json_array_append_new(cols, o) != 0) {
      ok = 0;
      break;
    }
    attrib__json_set(o, "name", json_string(c->name), &ok);
    attrib__json_set(o, "type", json_string(type_name(c)), &ok);
    attrib__json_set(o, "n", json_integer((json_int_t)c->n), &ok);
    attrib__json_set(o, "n_missing", json_integer((json_int_t)c->n_missing), &ok);
    if (c->type == ATTRIB_COLUMN_NUMERIC) {
      attrib__json_set(o, "mean", attrib__json_num(c->mean), &ok);
      attrib__json_set(o, "sd", attrib__json_num(c->sd), &ok);
      attrib__json_set(o, "min", attrib__json_num(c->min), &ok);
      attrib__json_set(o, "max", attrib__json_num(c->max), &ok);
    } else {
      attrib__json_set(o, "n_levels", json_integer((json_int_t)c->n_levels), &ok);
      json_t *lv = json_array();
      attrib__json_set(o, "levels", lv, &ok);
      for (size_t l = 0; ok && lv && l < c->n_levels; l++) {
        json_t *e = json_object();
        if (!e || json_array_append_new(lv, e) != 0) {
          ok = 0;
          break;
        }
        attrib__json_set(e, "level", json_string(c->levels[l]), &ok);
        attrib__json_set(e, "count", json_integer((json_int_t)c->counts[l]), &ok);
      }
      if (c->near_numeric) attrib__json_set(o, "near_numeric", json_string(c->near_numeric), &ok);
      if (c->has_format) {
        json_t *f = json_object();
        attrib__json_set(o, "number_format", f, &ok);
        if (f) {
          char d[2] = {c->format_decimal, 0}, th[2] = {c->format_thousands, 0};
          attrib__json_set(f, "decimal", json_string(d), &ok);
          attrib__json_set(f, "thousands", c->format_thousands ? json_string(th) : json_null(), &ok);
          attrib__json_set(f, "currency", json_boolean(c->format_currency), &ok);
          attrib__json_set(f, "percent", json_boolean(c->format_percent), &ok);
          attrib__json_set(f, "share", attrib__json_num(c->format_share), &ok);
        }
      }
    }
  }
  attrib__json_set(root, "columns", cols, &ok);
  return attrib__json_write(out, root, ok, err);
}

static attrib_status write_csv(FILE *out, const attrib_describe_result *r, attrib_error *err) {
  int bad = fputs("column,type,n,missing,mean,sd,min,max,n_levels\n", out) < 0;
  for (size_t j = 0; !bad && j < r->n_cols; j++) {
    const attrib_describe_column *c = &r->cols[j];
    bad |= attrib__csv_field(out, c->name) != 0;
    bad |= fprintf(out, ",%s,%zu,%zu", type_name(c), c->n, c->n_missing) < 0;
    if (c->type == ATTRIB_COLUMN_NUMERIC) {
      double v[4] = {c->mean, c->sd, c->min, c->max};
      for (int q = 0; q < 4; q++) bad |= (isfinite(v[q]) ? fprintf(out, ",%.17g", v[q]) : fprintf(out, ",")) < 0;
      bad |= fputs(",\n", out) < 0;
    } else {
      bad |= fprintf(out, ",,,,,%zu\n", c->n_levels) < 0;
    }
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

static attrib_status write_text(FILE *out, const attrib_describe_result *r, size_t max_levels,
                                attrib_error *err) {
  size_t w = 6;
  for (size_t j = 0; j < r->n_cols; j++) {
    size_t l = strlen(r->cols[j].name);
    if (l > w) w = l;
  }
  if (w > 32) w = 32; /* the column's width; a longer name is printed whole, past it */
  int bad = fprintf(out, "%s: %zu rows, %zu columns\n\n", r->source, r->n_rows, r->n_cols) < 0;
  bad |= fprintf(out, "%-*s  %-11s %10s %8s %12s %12s %12s %12s\n", (int)w, "column", "type", "n",
                 "missing", "mean", "sd", "min", "max") < 0;
  int any_cat = 0;
  for (size_t j = 0; !bad && j < r->n_cols; j++) {
    const attrib_describe_column *c = &r->cols[j];
    bad |= fprintf(out, "%-*s  %-11s %10zu %8zu", (int)w, c->name, type_name(c), c->n,
                   c->n_missing) < 0;
    if (c->type == ATTRIB_COLUMN_NUMERIC) {
      char b[4][32];
      attrib__fmt_num(b[0], sizeof b[0], c->mean, 6);
      attrib__fmt_num(b[1], sizeof b[1], c->sd, 6);
      attrib__fmt_num(b[2], sizeof b[2], c->min, 6);
      attrib__fmt_num(b[3], sizeof b[3], c->max, 6);
      bad |= fprintf(out, " %12s %12s %12s %12s\n", b[0], b[1], b[2], b[3]) < 0;
    } else {
      any_cat = 1;
      bad |= fprintf(out, " %zu level%s\n", c->n_levels, c->n_levels == 1 ? "" : "s") < 0;
    }
  }
  if (any_cat && !bad) {
    bad |= fputs("\nLevels (count):\n", out) < 0;
    for (size_t j = 0; !bad && j < r->n_cols; j++) {
      const attrib_describe_column *c = &r->cols[j];
      if (c->type != ATTRIB_COLUMN_CATEGORICAL) continue;
      bad |= fprintf(out, "  %s:", c->name) < 0;
      size_t shown = c->n_levels < max_levels ? c->n_levels : max_levels;
      for (size_t l = 0; !bad && l < shown; l++)
        bad |= fprintf(out, " %s (%zu)%s", c->levels[l], c->counts[l], l + 1 < shown ? "," : "") < 0;
      if (shown < c->n_levels) bad |= fprintf(out, " ... and %zu more", c->n_levels - shown) < 0;
      bad |= fputc('\n', out) == EOF;
    }
  }
  /* Columns that are text only because of a few cells or a number format:
   * say so, with the command-line options that read them (issue 14) */
  int notes = 0;
  for (size_t j = 0; !bad && j < r->n_cols; j++) {
    const attrib_describe_column *c = &r->cols[j];
    if (!c->near_numeric && !c->has_format) continue;
    if (!notes++) bad |= fputs("\nNotes:\n", out) < 0;
    if (c->has_format) {
      bad |= fprintf(out, "  %s: %.1f%% of its cells are numbers written with a format: read them with", c->name,
                     floor(1000.0 * c->format_share) / 10.0) < 0;
      if (c->format_decimal == ',') bad |= fputs(" csv.decimal ','", out) < 0;
      if (c->format_thousands) bad |= fprintf(out, " csv.thousands '%c'", c->format_thousands) < 0;
      if (c->format_currency) bad |= fputs(" csv.currency", out) < 0;
      if (c->format_percent) bad |= fputs(" csv.percent", out) < 0;
      bad |= fputc('\n', out) == EOF;
    } else {
      bad |= fprintf(out, "  %s; if those are missing-value codes, list them with csv.na (it replaces the default "
                          "words: name every code the file uses)\n",
                     c->near_numeric) < 0;
    }
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_describe(FILE *out, const attrib_describe_result *r,
                                           attrib_report_format fmt, size_t max_levels,
                                           attrib_error *err) {
  if (!out || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_describe: NULL argument");
  switch (fmt) {
  case ATTRIB_FORMAT_JSON: return write_json(out, r, err);
  case ATTRIB_FORMAT_CSV: return write_csv(out, r, err);
  default: return write_text(out, r, max_levels, err);
  }
}

attrib_status attrib_report_write_truth(FILE *out, const attrib_simulate_truth *t,
                                        const attrib_simulate_options *o, attrib_error *err) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return attrib__json_write(out, root, 0, err);
  int panel = o->design == ATTRIB_SIM_PANEL;
  attrib__json_set(root, "design", json_string(panel ? "panel" : "cohort"), &ok);
  attrib__json_set(root, "seed", json_integer((json_int_t)o->seed), &ok);
  attrib__json_set(root, "effect", attrib__json_num(o->effect), &ok);
  attrib__json_set(root, "effect_definition",
                   json_string(panel ? "tau(g,t) = effect x h_g x (1 + 0.25 heterogeneity (t - g)) for t >= g, "
                                       "h_g = 1 + heterogeneity (0.5 - k / (K - 1)) for the k-th of K cohorts (1 with one); "
                                       "ATT(g,t) in group_time, by event time in event_study"
                                     : o->role_step != 0.0
                                     ? "tau_i = effect x (1 + heterogeneity x z_i) + role_step x k_i, z_i = (engagement_i "
                                       "- 50) / 22.4 (mean 0, SD 1), k_i = 0 Associate, 1 Specialist, 2 Senior, 3 Lead, "
                                       "4 Manager, 5 Director: the truth of each role in by_role"
                                     : "tau_i = effect x (1 + heterogeneity x z_i), z_i = (engagement_i - 50) / 22.4 "
                                       "(mean 0, SD 1): effect is the population ATE"),
                   &ok);
  attrib__json_set(root, "att", attrib__json_num(t->att), &ok);
  attrib__json_set(root, "att_definition",
                   json_string(panel ? "mean of ATT(g,t) over post-treatment cells weighted by the cohorts' sizes in "
                                       "the data (Callaway-Sant'Anna's simple aggregation)"
                                     : "mean of tau_i over the learners trained in the data"),
                   &ok);
  if (!panel) attrib__json_set(root, "ate", attrib__json_num(t->ate), &ok);
  /* what each method estimates here: a method whose target is not att must
   * not be read as missing it (docs/methods/simulate.md, "Which truth each
   * method estimates") */
  json_t *tg = json_object();
  attrib__json_set(root, "targets", tg, &ok);
  if (panel) {
    int trend = o->pretrend != 0.0;
    attrib__json_set(tg, "did", json_string(trend ? "not att: att plus the trends' gap (parallel trends fail)" : "att"), &ok);
    attrib__json_set(tg, "twfe",
                     json_string(trend ? "not att: parallel trends fail"
                                 : o->adoption == ATTRIB_SIM_SINGLE || t->heterogeneity == 0.0
                                     ? "att"
                                     : "not att: with staggered adoption and effects that vary by cohort and exposure, "
                                       "a weighted average of ATT(g,t) whose weights can be negative (Goodman-Bacon 2021)"),
                     &ok);
  } else if (t->heterogeneity == 0.0 && o->role_step == 0.0) {
    attrib__json_set(tg, "ols", json_string("att (= ate: the effect is constant)"), &ok);
    attrib__json_set(tg, "psm", json_string("att"), &ok);
    attrib__json_set(tg, "aipw", json_string("att (ate when the estimand is the ate)"), &ok);
  } else {
    attrib__json_set(tg, "ols",
                     json_string("neither att nor ate: the trained learners' tau_i weighted by 1 minus the linear "
                                 "fit of trained on the covariates (Sloczynski 2022)"),
                     &ok);
    attrib__json_set(tg, "psm", json_string("att"), &ok);
    attrib__json_set(tg, "aipw", json_string("att (ate when the estimand is the ate)"), &ok);
  }
  if (!panel && o->role_step != 0.0) {
    attrib__json_set(root, "role_step", attrib__json_num(o->role_step), &ok);
    json_t *br = json_array();
    attrib__json_set(root, "by_role", br, &ok);
    for (size_t k = 0; ok && k < 6; k++) {
      json_t *e = json_object();
      if (!e || json_array_append_new(br, e)) {
        ok = 0;
        break;
      }
      attrib__json_set(e, "role", json_string(t->role_name[k]), &ok);
      attrib__json_set(e, "n", json_integer((json_int_t)t->role_n[k]), &ok);
      attrib__json_set(e, "n_treated", json_integer((json_int_t)t->role_treated[k]), &ok);
      attrib__json_set(e, "att", attrib__json_num(t->role_att[k]), &ok);
      attrib__json_set(e, "ate", attrib__json_num(t->role_ate[k]), &ok);
    }
  }
  attrib__json_set(root, "n_learners", json_integer((json_int_t)t->n_learners), &ok);
  attrib__json_set(root, "n_treated", json_integer((json_int_t)t->n_treated), &ok);
  attrib__json_set(root, "treated_share", attrib__json_num(t->treated_share), &ok);
  attrib__json_set(root, "heterogeneity", attrib__json_num(t->heterogeneity), &ok);
  attrib__json_set(root, "selection_intercept", attrib__json_num(t->intercept), &ok);
  if (!panel) attrib__json_set(root, "selection", attrib__json_num(o->selection), &ok);
  attrib__json_set(root, "teams", json_integer((json_int_t)(o->teams ? o->teams : (o->rows / 25 < 2 ? 2 : o->rows / 25))), &ok);
  if (t->has_roi) {
    json_t *x = json_object();
    attrib__json_set(root, "roi", x, &ok);
    attrib__json_set(x, "definition", json_string("the ROI at effect = att with the ROI inputs given"), &ok);
    attrib__json_set(x, "learners", attrib__json_num(t->roi_learners), &ok);
    attrib__json_set(x, "benefit_total", attrib__json_num(t->roi_benefit), &ok);
    attrib__json_set(x, "cost_total", attrib__json_num(t->roi_cost), &ok);
    attrib__json_set(x, "net_benefit", attrib__json_num(t->roi_net_benefit), &ok);
    attrib__json_set(x, "roi_pct", attrib__json_num(t->roi_pct), &ok);
  }
  if (panel) {
    attrib__json_set(root, "periods", json_integer((json_int_t)o->periods), &ok);
    attrib__json_set(root, "adoption", json_string(o->adoption == ATTRIB_SIM_SINGLE ? "single" : "staggered"), &ok);
    attrib__json_set(root, "pretrend", attrib__json_num(o->pretrend), &ok);
    json_t *gt = json_array(), *ev = json_array(), *gs = json_array();
    attrib__json_set(root, "never_treated", json_integer((json_int_t)t->never_treated), &ok);
    attrib__json_set(root, "group_size", gs, &ok);
    attrib__json_set(root, "group_time", gt, &ok);
    attrib__json_set(root, "event_study", ev, &ok);
    for (size_t g = 0; ok && g < t->n_groups; g++) {
      json_t *e = json_object();
      if (!e || json_array_append_new(gs, e)) {
        ok = 0;
        break;
      }
      attrib__json_set(e, "group", json_integer((json_int_t)t->group[g]), &ok);
      attrib__json_set(e, "n", json_integer((json_int_t)t->group_size[g]), &ok);
      for (size_t p = 0; ok && p < t->periods; p++) {
        double a = t->att_gt[g * t->periods + p];
        if (isnan(a)) continue;
        json_t *c = json_object();
        if (!c || json_array_append_new(gt, c)) {
          ok = 0;
          break;
        }
        attrib__json_set(c, "group", json_integer((json_int_t)t->group[g]), &ok);
        attrib__json_set(c, "time", json_integer((json_int_t)(p + 1)), &ok);
        attrib__json_set(c, "att", attrib__json_num(a), &ok);
      }
    }
    for (size_t e = 0; ok && e < t->n_event; e++) {
      json_t *c = json_object();
      if (!c || json_array_append_new(ev, c)) {
        ok = 0;
        break;
      }
      attrib__json_set(c, "event_time", json_integer((json_int_t)e), &ok);
      attrib__json_set(c, "att", attrib__json_num(t->event_att[e]), &ok);
    }
  }
  return attrib__json_write(out, root, ok, err);
}
