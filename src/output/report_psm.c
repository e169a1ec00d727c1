/* Writers of the psm result: the effect, counts, balance and audit summary
 * (JSON keys per docs/output-contract.md), the pairs and the audit as CSV. */
#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static const char *order_name(attrib_match_order o) {
  static const char *const names[] = {"largest", "smallest", "random", "id"};
  return (unsigned)o < 4 ? names[o] : "?";
}

static json_t *json_counts(const attrib_psm_result *r) {
  json_t *c = json_object();
  int ok = c != NULL;
  attrib__json_set(c, "n_input", json_integer((json_int_t)r->n_input), &ok);
  attrib__json_set(c, "n_missing", json_integer((json_int_t)r->n_missing), &ok);
  attrib__json_set(c, "n_trimmed", json_integer((json_int_t)r->n_trimmed), &ok);
  attrib__json_set(c, "n_treated", json_integer((json_int_t)r->n_treated), &ok);
  attrib__json_set(c, "n_control", json_integer((json_int_t)r->n_control), &ok);
  attrib__json_set(c, "n_treated_matched", json_integer((json_int_t)r->n_treated_matched), &ok);
  attrib__json_set(c, "n_control_matched", json_integer((json_int_t)r->n_control_matched), &ok);
  attrib__json_set(c, "n_treated_discarded", json_integer((json_int_t)r->n_treated_discarded), &ok);
  attrib__json_set(c, "n_control_discarded", json_integer((json_int_t)r->n_control_discarded), &ok);
  attrib__json_set(c, "n_treated_unmatched", json_integer((json_int_t)r->n_treated_unmatched), &ok);
  attrib__json_set(c, "n_control_unmatched", json_integer((json_int_t)r->n_control_unmatched), &ok);
  attrib__json_set(c, "n_strata", json_integer((json_int_t)r->n_strata), &ok);
  attrib__json_set(c, "n_sets", json_integer((json_int_t)r->n_sets), &ok);
  if (r->method == ATTRIB_PSM_NEAREST) {
    attrib__json_set(c, "n_matches", json_integer((json_int_t)r->n_matches), &ok);
    attrib__json_set(c, "n_tied_sets", json_integer((json_int_t)r->n_tied_sets), &ok);
  }
  attrib__json_set(c, "ess_treated", attrib__json_num(r->ess_treated), &ok);
  attrib__json_set(c, "ess_control", attrib__json_num(r->ess_control), &ok);
  if (!ok) {
    json_decref(c);
    return NULL;
  }
  return c;
}

static json_t *json_balance(const attrib_balance *b) {
  json_t *o = json_object();
  int ok = o != NULL;
  json_t *rows = json_array();
  attrib__json_set(o, "rows", rows, &ok);
  for (size_t j = 0; ok && b && j < b->k; j++) {
    const attrib_balance_row *w = &b->rows[j];
    json_t *e = json_object();
    if (!e || json_array_append_new(rows, e)) {
      ok = 0;
      break;
    }
    attrib__json_set(e, "term", json_string(w->term), &ok);
    attrib__json_set(e, "type", json_string(w->binary ? "binary" : "continuous"), &ok);
    attrib__json_set(e, "mean_treated_before", attrib__json_num(w->mean_treated_before), &ok);
    attrib__json_set(e, "mean_control_before", attrib__json_num(w->mean_control_before), &ok);
    attrib__json_set(e, "smd_before", attrib__json_num(w->diff_before), &ok);
    attrib__json_set(e, "mean_treated_after", attrib__json_num(w->mean_treated_after), &ok);
    attrib__json_set(e, "mean_control_after", attrib__json_num(w->mean_control_after), &ok);
    attrib__json_set(e, "smd_after", attrib__json_num(w->diff_after), &ok);
    attrib__json_set(e, "var_ratio_before", attrib__json_num(w->var_ratio_before), &ok);
    attrib__json_set(e, "var_ratio_after", attrib__json_num(w->var_ratio_after), &ok);
  }
  if (b) {
    attrib__json_set(o, "share_balanced_before", attrib__json_num(b->share_balanced_before), &ok);
    attrib__json_set(o, "share_balanced_after", attrib__json_num(b->share_balanced_after), &ok);
    attrib__json_set(o, "max_abs_smd_before", attrib__json_num(b->max_abs_diff_before), &ok);
    attrib__json_set(o, "max_abs_smd_after", attrib__json_num(b->max_abs_diff_after), &ok);
    attrib__json_set(o, "threshold", json_real(0.1), &ok);
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *json_audit(const attrib_psm_result *r) {
  size_t by[5] = {0};
  json_t *o = json_object();
  int ok = o != NULL;
  /* per-reason counts come from the counts themselves, so they exist even
   * when the rows were not kept */
  by[ATTRIB_PSM_MISSING] = r->n_missing;
  by[ATTRIB_PSM_OFF_SUPPORT] = r->n_treated_discarded + r->n_control_discarded;
  by[ATTRIB_PSM_NO_MATCH] = r->n_treated_unmatched + r->n_control_unmatched;
  by[ATTRIB_PSM_TRIMMED] = r->n_trimmed;
  by[ATTRIB_PSM_NOT_SELECTED] = r->n_audit - by[0] - by[1] - by[2] - by[4];
  attrib__json_set(o, "n_left_out", json_integer((json_int_t)r->n_audit), &ok);
  for (int k = 0; k < 5; k++)
    attrib__json_set(o, attrib_psm_reason_name((attrib_psm_reason)k), json_integer((json_int_t)by[k]), &ok);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static attrib__outcome_row outcome_row(const attrib_psm_outcome *o) {
  attrib__outcome_row w = {o->outcome, &o->effect, o->p_bonferroni, o->p_holm, o->p_romano_wolf};
  return w;
}

/* several outcomes: "outcomes" (one object each) and "multiple_testing" */
static void json_outcomes(json_t *root, const attrib_psm_result *r, int *ok) {
  json_t *mt = json_object();
  attrib__json_set(root, "multiple_testing", mt, ok);
  if (*ok) {
    attrib__json_set(mt, "n_tests", json_integer((json_int_t)r->n_outcomes), ok);
    attrib__json_set(mt, "rows", json_string(r->per_outcome_rows ? "each outcome its own" : "the same for every outcome"), ok);
    attrib__json_set(mt, "rows_dropped_for_an_outcome", json_integer((json_int_t)r->n_dropped_outcomes), ok);
    int rw = !isnan(r->outcomes[0].p_romano_wolf);
    attrib__json_set(mt, "romano_wolf",
                     json_string(rw ? "step-down on the multiplier bootstrap's |draw - estimate| / SE, the same "
                                      "multipliers for every outcome; (count + 1) / (B + 1)"
                                : r->per_outcome_rows ? "not computed: each outcome has its own units (psm.per_outcome_rows)"
                                : r->method == ATTRIB_PSM_NEAREST
                                    ? "not computed: matching has no valid bootstrap (Abadie & Imbens 2008); "
                                      "Bonferroni and Holm apply"
                                    : "not computed: it needs the bootstrap (psm.bootstrap)"),
                     ok);
  }
  json_t *arr = json_array();
  attrib__json_set(root, "outcomes", arr, ok);
  for (size_t j = 0; *ok && j < r->n_outcomes; j++) {
    const attrib_psm_outcome *o = &r->outcomes[j];
    json_t *x = json_object();
    if (!x || json_array_append_new(arr, x)) {
      *ok = 0;
      return;
    }
    attrib__outcome_row w = outcome_row(o);
    attrib__json_set(x, "outcome", json_string(o->outcome), ok);
    attrib__json_set(x, "n_obs", json_integer((json_int_t)o->n_obs), ok);
    json_t *e = attrib__json_outcome_effect(&w);
    if (e) {
      attrib__json_set(e, "se_method", json_string(o->se_method ? o->se_method : ""), ok);
      if (o->ps_adjusted) attrib__json_set(e, "std_error_known_ps", attrib__json_num(o->std_error_known_ps), ok);
    }
    attrib__json_set(x, "effect", e, ok);
    attrib__json_set(x, "naive_difference", attrib__json_num(o->naive_difference), ok);
    if (o->boot) attrib__json_set(x, "bootstrap", attrib__json_bootstrap(o->boot), ok);
  }
}

static attrib_status write_json(FILE *out, const attrib_psm_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return attrib__json_write(out, root, 0, err);
  attrib__json_set(root, "command", json_string(ctx && ctx->command ? ctx->command : "psm"), &ok);
  if (ctx && ctx->source) attrib__json_set(root, "source", json_string(ctx->source), &ok);
  attrib__json_set(root, "n_obs", json_integer((json_int_t)(r->n_treated + r->n_control)), &ok);
  attrib__json_set(root, "method", json_string(attrib_psm_method_name(r->method)), &ok);
  attrib__json_set(root, "estimand", json_string(attrib_estimand_name(r->estimand)), &ok);
  json_t *ps = json_object();
  attrib__json_set(root, "propensity", ps, &ok);
  if (ok) {
    attrib__json_set(ps, "source", json_string(r->score_given ? "given" : r->link == ATTRIB_LINK_PROBIT ? "probit" : "logit"),
                     &ok);
    attrib__json_set(ps, "distance", json_string(r->distance_logit ? "logit" : "score"), &ok);
    if (ctx && ctx->formula) attrib__json_set(ps, "formula", json_string(ctx->formula), &ok);
    if (r->ps_model) {
      attrib__json_set(ps, "n_obs", json_integer((json_int_t)r->ps_model->n_obs), &ok);
      attrib__json_set(ps, "converged", json_boolean(r->ps_model->converged), &ok);
      attrib__json_set(ps, "coefficients", attrib__json_coefs(&r->ps_model->coef), &ok);
    }
  }
  if (r->method == ATTRIB_PSM_NEAREST) {
    json_t *m = json_object();
    attrib__json_set(root, "matching", m, &ok);
    if (ok) {
      attrib__json_set(m, "ratio", json_integer((json_int_t)r->ratio), &ok);
      attrib__json_set(m, "replace", json_boolean(r->replace), &ok);
      attrib__json_set(m, "caliper", attrib__json_num(r->caliper), &ok);
      attrib__json_set(m, "caliper_width", attrib__json_num(r->caliper_width), &ok);
      attrib__json_set(m, "tie_tolerance", json_real(r->tie_tolerance), &ok);
      attrib__json_set(m, "discard", json_string(attrib_discard_name(r->discard)), &ok);
      attrib__json_set(m, "order", json_string(order_name(r->order)), &ok);
      attrib__json_set(m, "bias_adjust", json_boolean(r->bias_adjust), &ok);
    }
  }
  if (r->method != ATTRIB_PSM_NEAREST) {
    json_t *w = json_object();
    attrib__json_set(root, "weighting", w, &ok);
    if (ok) attrib__json_set(w, "trim", json_real(r->trim), &ok);
  }
  json_t *e = attrib__json_effect(&r->effect);
  if (e) {
    attrib__json_set(e, "se_method", json_string(r->se_method ? r->se_method : ""), &ok);
    if (r->ps_adjusted) attrib__json_set(e, "std_error_known_ps", attrib__json_num(r->std_error_known_ps), &ok);
    attrib__json_set(e, "df", attrib__json_num(r->df), &ok);
    attrib__json_set(e, "level", attrib__json_num(r->level), &ok);
  }
  attrib__json_set(root, "effect", e, &ok);
  attrib__json_set(root, "naive_difference", attrib__json_num(r->naive_difference), &ok);
  attrib__json_set(root, "counts", json_counts(r), &ok);
  attrib__json_set(root, "balance", json_balance(r->balance), &ok);
  attrib__json_set(root, "audit", json_audit(r), &ok);
  if (r->boot) attrib__json_set(root, "bootstrap", attrib__json_bootstrap(r->boot), &ok);
  if (r->n_outcomes > 1) json_outcomes(root, r, &ok);
  if (r->by) attrib__json_set(root, "by", attrib__json_by(r->by), &ok);
  attrib__json_set(root, "warnings", attrib__json_strings(r->warnings, r->n_warnings), &ok);
  return attrib__json_write(out, root, ok, err);
}

static int text_balance(FILE *out, const attrib_balance *b) {
  int bad = fprintf(out, "\nBalance (%s; binary terms: raw difference; |SMD| < 0.1 counts as balanced):\n",
                    b->estimand == ATTRIB_ESTIMAND_ATT   ? "SMD scaled by the treated SD"
                    : b->estimand == ATTRIB_ESTIMAND_ATC ? "SMD scaled by the control SD"
                                                         : "SMD scaled by the pooled SD") < 0;
  size_t wt = 4;
  for (size_t j = 0; j < b->k; j++) wt = strlen(b->rows[j].term) > wt ? strlen(b->rows[j].term) : wt;
  bad |= fprintf(out, "%-*s %12s %12s %12s %12s\n", (int)wt, "Term", "SMD before", "SMD after", "VR before", "VR after") < 0;
  for (size_t j = 0; j < b->k; j++) {
    const attrib_balance_row *w = &b->rows[j];
    char a[32], c[32], v0[32], v1[32];
    attrib__fmt_num(a, sizeof a, w->diff_before, 4);
    attrib__fmt_num(c, sizeof c, w->diff_after, 4);
    attrib__fmt_num(v0, sizeof v0, w->var_ratio_before, 4);
    attrib__fmt_num(v1, sizeof v1, w->var_ratio_after, 4);
    bad |= fprintf(out, "%-*s %12s %12s %12s %12s\n", (int)wt, w->term, a, c, w->binary ? "" : v0, w->binary ? "" : v1) < 0;
  }
  bad |= fprintf(out, "Balanced terms: %.0f%% before, %.0f%% after; max |SMD| %.4g before, %.4g after\n",
                 100.0 * b->share_balanced_before, 100.0 * b->share_balanced_after, b->max_abs_diff_before,
                 b->max_abs_diff_after) < 0;
  return bad;
}

static int text_outcomes(FILE *out, const attrib_psm_result *r, const char *est) {
  int bad = fprintf(out, "\n%s of %s on each of %zu outcomes (%s; p-values adjusted across them):\n", est,
                    r->effect.term, r->n_outcomes,
                    r->per_outcome_rows                 ? "each on its own rows"
                    : r->method == ATTRIB_PSM_NEAREST ? "one score model and one matching"
                                                      : "one score model and one weighting") < 0;
  if (r->n_dropped_outcomes)
    bad |= fprintf(out, "(%zu rows dropped for every outcome because one outcome was missing)\n", r->n_dropped_outcomes) < 0;
  attrib__outcome_row *rows = attrib__malloc(r->n_outcomes, sizeof *rows);
  if (!rows) return 1;
  for (size_t j = 0; j < r->n_outcomes; j++) rows[j] = outcome_row(&r->outcomes[j]);
  bad |= attrib__text_outcomes(out, rows, r->n_outcomes, r->level, isfinite(r->df) ? "t value" : "z value",
                                "p-value");
  attrib__free(rows);
  if (r->per_outcome_rows)
    bad |= fputs("Each outcome on its own rows: its own score model and matching; Romano-Wolf: NA\n",
                 out) < 0;
  else if (isnan(r->outcomes[0].p_romano_wolf))
    bad |= fputs(r->method == ATTRIB_PSM_NEAREST
                     ? "Romano-Wolf: NA (matching has no valid bootstrap, Abadie & Imbens 2008; Bonferroni and Holm apply)\n"
                     : "Romano-Wolf: NA (it needs the bootstrap)\n",
                 out) < 0;
  else
    bad |= fprintf(out, "Romano-Wolf: step-down over the multiplier bootstrap's %zu draws, the same multipliers for every "
                        "outcome\n",
                   r->outcomes[0].boot->n_draws) < 0;
  return bad;
}

static attrib_status write_text(FILE *out, const attrib_psm_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  static const char *const upper[] = {"ATT", "ATC", "ATE"};
  const char *est = (unsigned)r->estimand < 3 ? upper[r->estimand] : "?";
  int bad = 0;
  if (r->method == ATTRIB_PSM_NEAREST) {
    bad |= fprintf(out, "Propensity-score matching: %s, %zu:1 nearest neighbour %s replacement", est, r->ratio,
                   r->replace ? "with" : "without") < 0;
    if (isfinite(r->caliper)) bad |= fprintf(out, ", caliper %g SD (%.6g)", r->caliper, r->caliper_width) < 0;
    bad |= fputc('\n', out) == EOF;
  } else {
    bad |= fprintf(out, "Propensity-score weighting: %s, %s\n", est, r->method == ATTRIB_PSM_IPW ? "IPW (normalised)" : "AIPW (doubly robust)") < 0;
  }
  bad |= fprintf(out, "Data: %s; score: %s, distance: %s%s%s\n", ctx && ctx->source ? ctx->source : "(table)",
                 r->score_given ? "given" : r->link == ATTRIB_LINK_PROBIT ? "probit" : "logit",
                 r->distance_logit ? "logit of the score" : "the score", ctx && ctx->formula ? "; model: " : "",
                 ctx && ctx->formula ? ctx->formula : "") < 0;
  bad |= fprintf(out, "\n%-10s %10s %10s %10s %12s\n", "", "Treated", "Control", "", "") < 0;
  bad |= fprintf(out, "%-10s %10zu %10zu\n", "All", r->n_treated, r->n_control) < 0;
  bad |= fprintf(out, "%-10s %10zu %10zu\n", "Matched", r->n_treated_matched, r->n_control_matched) < 0;
  bad |= fprintf(out, "%-10s %10zu %10zu\n", "Discarded", r->n_treated_discarded, r->n_control_discarded) < 0;
  bad |= fprintf(out, "%-10s %10zu %10zu\n", "Unmatched", r->n_treated_unmatched, r->n_control_unmatched) < 0;
  if (r->method == ATTRIB_PSM_NEAREST && r->replace) {
    /* ties are kept with replacement (Abadie & Imbens 2006): say how many */
    bad |= fprintf(out, "Matches: %zu pairs in %zu sets", r->n_matches, r->n_sets) < 0;
    if (r->n_tied_sets)
      bad |= fprintf(out, "; %zu sets keep tied controls, each weighted 1/(set size)", r->n_tied_sets) < 0;
    else bad |= fputs("; no ties", out) == EOF;
    if (r->tie_tolerance > 0.0)
      bad |= fprintf(out, " (tie tolerance %g squared SDs, as Matching's distance.tolerance)", r->tie_tolerance) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  if (r->n_missing) bad |= fprintf(out, "Rows with missing values: %zu\n", r->n_missing) < 0;
  if (r->n_trimmed)
    bad |= fprintf(out, "Trimmed (score outside [%g, %g]; the score re-fitted without them): %zu\n", r->trim,
                   1.0 - r->trim, r->n_trimmed) < 0;
  attrib__sbuf label = {0}; /* the term is a column name: any length */
  attrib__sbuf_addf(&label, "\n%s of %s", est, r->effect.term);
  bad |= label.failed || attrib__text_effect(out, label.s, &r->effect, r->level);
  attrib__sbuf_free(&label);
  bad |= fputc('\n', out) == EOF;
  bad |= fprintf(out, "Standard error: %s", r->se_method ? r->se_method : "") < 0;
  if (r->ps_adjusted)
    bad |= fprintf(out, " (corrected for the estimated score; %.6g had it been known)", r->std_error_known_ps) < 0;
  if (!isfinite(r->df)) bad |= fprintf(out, "; normal inference\n") < 0;
  if (isfinite(r->df)) bad |= fprintf(out, " (%zu matched sets); t with %.0f df\n", r->n_sets, r->df) < 0;
  if (r->boot) bad |= attrib__text_bootstrap(out, r->boot);
  bad |= fprintf(out, "Unadjusted difference in means: %.6g\n", r->naive_difference) < 0;
  if (r->n_outcomes > 1) bad |= text_outcomes(out, r, est);
  if (r->balance) bad |= text_balance(out, r->balance);
  if (r->by) bad |= attrib__text_by(out, r->by);
  bad |= attrib__text_dropped_warnings(out, NULL, 0, r->warnings, r->n_warnings);
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

static int csv_balance(FILE *out, const attrib_balance *b) {
  int bad = fputs("term,type,smd_before,smd_after,var_ratio_before,var_ratio_after\n", out) == EOF;
  for (size_t j = 0; b && j < b->k; j++) {
    const attrib_balance_row *w = &b->rows[j];
    bad |= attrib__csv_field(out, w->term);
    bad |= fprintf(out, ",%s,%.17g,%.17g", w->binary ? "binary" : "continuous", w->diff_before, w->diff_after) < 0;
    if (w->binary) bad |= fputs(",,\n", out) == EOF;
    else bad |= fprintf(out, ",%.17g,%.17g\n", w->var_ratio_before, w->var_ratio_after) < 0;
  }
  return bad;
}

attrib_status attrib_report_write_psm(FILE *out, const attrib_psm_result *r, const attrib_report_context *ctx,
                                      attrib_report_format fmt, attrib_error *err) {
  if (!out || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_psm: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) return write_json(out, r, ctx, err);
  if (fmt == ATTRIB_FORMAT_CSV)
    return csv_balance(out, r->balance) ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
  return write_text(out, r, ctx, err);
}

/* A unit's name: its id (number as %.17g or level) or its 1-based data row. */
static int unit_field(FILE *out, const attrib_table *t, long idc, size_t row) {
  if (idc < 0) return fprintf(out, "%zu", row + 1) < 0;
  const attrib_column *c = &t->cols[idc];
  if (attrib_column_is_missing(c, row)) return 0; /* an empty field */
  if (c->type == ATTRIB_COLUMN_CATEGORICAL) return attrib__csv_field(out, c->levels[c->codes[row]]);
  return fprintf(out, "%.17g", c->values[row]) < 0;
}

static attrib_status id_column(const attrib_table *t, const char *id, long *idc, attrib_error *err) {
  *idc = -1;
  if (!id) return ATTRIB_OK;
  size_t c;
  attrib_status s = attrib_table_column_require(t, id, "id", &c, err);
  *idc = (long)c;
  return s;
}

attrib_status attrib_report_write_psm_pairs(FILE *out, const attrib_psm_result *r, const attrib_table *t,
                                            const char *id, attrib_error *err) {
  long idc;
  attrib_status s = id_column(t, id, &idc, err);
  if (s) return s;
  int bad = fputs("set,treated,control,distance,weight\n", out) == EOF;
  for (size_t p = 0; p < r->n_pairs; p++) {
    const attrib_psm_pair *q = &r->pairs[p];
    bad |= fprintf(out, "%zu,", q->set + 1) < 0;
    bad |= unit_field(out, t, idc, q->treated_row);
    bad |= fputc(',', out) == EOF;
    bad |= unit_field(out, t, idc, q->control_row);
    bad |= fprintf(out, ",%.17g,%.17g\n", q->distance, q->weight) < 0;
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the matched pairs") : ATTRIB_OK;
}

attrib_status attrib_report_write_psm_audit(FILE *out, const attrib_psm_result *r, const attrib_table *t,
                                            const char *id, const char *treat, attrib_error *err) {
  long idc, tc = treat ? attrib_table_column_find(t, treat) : -1;
  attrib_status s = id_column(t, id, &idc, err);
  if (s) return s;
  int bad = fputs("unit,treated,reason\n", out) == EOF;
  for (size_t k = 0; k < r->n_audit && r->audit_row; k++) {
    size_t row = r->audit_row[k];
    bad |= unit_field(out, t, idc, row);
    double tv = tc >= 0 && t->cols[tc].values ? t->cols[tc].values[row] : NAN;
    if (isnan(tv)) bad |= fputs(",", out) == EOF;
    else bad |= fprintf(out, ",%.17g", tv) < 0;
    bad |= fprintf(out, ",%s\n", attrib_psm_reason_name((attrib_psm_reason)r->audit_reason[k])) < 0;
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the audit") : ATTRIB_OK;
}
