#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

/* The single-outcome object (also each outcome's "fit" in a multi-outcome
 * report); *ok cleared when out of memory. */
static json_t *ols_json(const attrib_ols_result *r, const attrib_report_context *ctx, const attrib_boot_result *boot,
                        int *okp) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) {
    *okp = 0;
    return NULL;
  }
  attrib__json_set(root, "command", json_string(ctx && ctx->command ? ctx->command : "ols"), &ok);
  if (ctx && ctx->source) attrib__json_set(root, "source", json_string(ctx->source), &ok);
  if (ctx && ctx->formula) attrib__json_set(root, "formula", json_string(ctx->formula), &ok);
  attrib__json_set(root, "response", json_string(r->response), &ok);
  attrib__json_set(root, "n_obs", json_integer((json_int_t)r->n_obs), &ok);
  attrib__json_set(root, "df_resid", attrib__json_num(r->df_resid), &ok);
  attrib__json_set(root, "r_squared", attrib__json_num(r->r_squared), &ok);
  attrib__json_set(root, "adj_r_squared", attrib__json_num(r->adj_r_squared), &ok);
  if (r->n_fe) attrib__json_set(root, "r_squared_within", attrib__json_num(r->r_squared_within), &ok);
  attrib__json_set(root, "sigma", attrib__json_num(r->sigma), &ok);
  attrib__json_set(root, "rss", attrib__json_num(r->rss), &ok);
  attrib__json_set(root, "f_statistic", attrib__json_num(r->f_statistic), &ok);
  attrib__json_set(root, "f_df1", attrib__json_num(r->f_df1), &ok);
  attrib__json_set(root, "f_df2", attrib__json_num(r->f_df2), &ok);
  attrib__json_set(root, "f_p_value", attrib__json_num(r->f_p_value), &ok);
  attrib__json_set(root, "level", attrib__json_num(r->level), &ok);
  attrib__json_set(root, "coefficients", attrib__json_coefs(&r->coef), &ok);
  if (r->effect_index >= 0) attrib__json_set(root, "effect", attrib__json_effect(&r->effect), &ok);
  if (r->by) attrib__json_set(root, "by", attrib__json_by(r->by), &ok);
  json_t *dropped = json_object();
  attrib__json_set(root, "dropped", dropped, &ok);
  if (ok) {
    attrib__json_set(dropped, "collinear", attrib__json_strings(r->aliased_names, r->n_aliased), &ok);
    attrib__json_set(dropped, "missing", json_integer((json_int_t)r->n_dropped_missing), &ok);
    attrib__json_set(dropped, "weight", json_integer((json_int_t)r->n_dropped_weight), &ok);
    attrib__json_set(dropped, "singletons", json_integer((json_int_t)r->n_dropped_singletons), &ok);
  }
  attrib__json_set(root, "vcov",
                   attrib__json_vcov(r->vcov_type, r->cluster_names, r->n_clusters, r->n_cluster_dims,
                                     r->vcov_psd_fixed, r->df_inference),
                   &ok);
  if (r->n_fe) {
    json_t *fe = json_array();
    attrib__json_set(root, "fixed_effects", fe, &ok);
    for (size_t f = 0; ok && f < r->n_fe; f++) {
      json_t *e = json_object();
      if (!e || json_array_append_new(fe, e)) {
        ok = 0;
        break;
      }
      attrib__json_set(e, "name", json_string(r->fe_names[f]), &ok);
      attrib__json_set(e, "levels", json_integer((json_int_t)r->fe_levels[f]), &ok);
    }
    attrib__json_set(root, "fe_dof", json_integer((json_int_t)r->fe_dof), &ok);
    attrib__json_set(root, "fe_iterations", json_integer((json_int_t)r->fe_iterations), &ok);
    attrib__json_set(root, "fe_converged", json_boolean(r->fe_converged), &ok);
  }
  attrib__json_set(root, "solver", json_string(r->method ? r->method : ""), &ok);
  if (r->streamed) attrib__json_set(root, "streamed", json_true(), &ok);
  if (boot) attrib__json_set(root, "bootstrap", attrib__json_bootstrap(boot), &ok);
  attrib__json_set(root, "warnings", attrib__json_strings(r->warnings, r->n_warnings), &ok);
  if (!ok) *okp = 0;
  return root;
}

static attrib_status write_json(FILE *out, const attrib_ols_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  int ok = 1;
  json_t *root = ols_json(r, ctx, ctx ? ctx->bootstrap : NULL, &ok);
  return attrib__json_write(out, root, ok, err);
}

static attrib_status write_text(FILE *out, const attrib_ols_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  int bad = 0;
  bad |= fprintf(out, "OLS%s%s\n", ctx && ctx->formula ? ": " : "", ctx && ctx->formula ? ctx->formula : "") < 0;
  size_t dropped = r->n_dropped_missing + r->n_dropped_weight + r->n_dropped_singletons;
  bad |= fprintf(out, "Data: %s, %zu rows used", ctx && ctx->source ? ctx->source : "(table)", r->n_obs) < 0;
  if (dropped) {
    bad |= fprintf(out, " (%zu dropped:", dropped) < 0;
    const char *sep = " ";
    if (r->n_dropped_missing) bad |= fprintf(out, "%s%zu missing values", sep, r->n_dropped_missing) < 0, sep = ", ";
    if (r->n_dropped_weight) bad |= fprintf(out, "%s%zu weights <= 0", sep, r->n_dropped_weight) < 0, sep = ", ";
    if (r->n_dropped_singletons) bad |= fprintf(out, "%s%zu singletons", sep, r->n_dropped_singletons) < 0;
    bad |= fputc(')', out) == EOF;
  }
  bad |= fputc('\n', out) == EOF;
  if (r->n_fe) {
    bad |= fputs("Fixed effects:", out) < 0;
    for (size_t f = 0; f < r->n_fe; f++)
      bad |= fprintf(out, "%s %s (%zu levels)", f ? "," : "", r->fe_names[f], r->fe_levels[f]) < 0;
    bad |= fprintf(out, "; absorbed in %zu sweep%s%s\n", r->fe_iterations, r->fe_iterations == 1 ? "" : "s",
                   r->fe_converged ? "" : " (not converged)") < 0;
  }
  bad |= fputc('\n', out) == EOF;
  bad |= attrib__text_coefs(out, &r->coef, "t value", r->level);
  bad |= fputc('\n', out) == EOF;
  char tail[64];
  snprintf(tail, sizeof tail, "t with %.0f df", r->df_inference);
  bad |= attrib__text_vcov(out, r->vcov_type, r->cluster_names, r->n_clusters, r->n_cluster_dims, "iid", tail);
  bad |= fprintf(out, "Residual standard error: %.6g on %.0f degrees of freedom\n", r->sigma, r->df_resid) < 0;
  bad |= fprintf(out, "Multiple R-squared: %.6g, Adjusted R-squared: %.6g", r->r_squared, r->adj_r_squared) < 0;
  if (r->n_fe) bad |= fprintf(out, ", Within R-squared: %.6g", r->r_squared_within) < 0;
  bad |= fputc('\n', out) == EOF;
  if (isfinite(r->f_statistic)) {
    char p[32];
    attrib__fmt_p(p, sizeof p, r->f_p_value);
    bad |= fprintf(out, "F-statistic (Wald, all slopes): %.6g on %.0f and %.0f DF, p-value: %s\n", r->f_statistic,
                   r->f_df1, r->f_df2, p) < 0;
  }
  bad |= attrib__text_dropped_warnings(out, r->aliased_names, r->n_aliased, NULL, 0);
  if (r->effect_index >= 0) {
    attrib__sbuf label = {0}; /* the term is a column name: any length */
    attrib__sbuf_addf(&label, "\nEffect of %s", r->effect.term);
    bad |= label.failed || attrib__text_effect(out, label.s, &r->effect, r->level);
    attrib__sbuf_free(&label);
    bad |= fputc('\n', out) == EOF;
  }
  if (r->by) bad |= attrib__text_by(out, r->by);
  if (ctx && ctx->bootstrap) bad |= attrib__text_bootstrap(out, ctx->bootstrap);
  bad |= attrib__text_dropped_warnings(out, NULL, 0, r->warnings, r->n_warnings);
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_ols(FILE *out, const attrib_ols_result *r, const attrib_report_context *ctx,
                                      attrib_report_format fmt, attrib_error *err) {
  if (!out || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_ols: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) return write_json(out, r, ctx, err);
  if (fmt == ATTRIB_FORMAT_CSV)
    return attrib__csv_coefs(out, &r->coef) ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
  return write_text(out, r, ctx, err);
}

/* ---- several outcomes (c(y1, y2, ...) ~ ...) ----------------------------- */

/* outcome j's row of the tables every several-outcomes report shares */
static attrib__outcome_row multi_row(const attrib_ols_multi *m, size_t j) {
  attrib__outcome_row w = {m->fits[j]->response, &m->fits[j]->effect, m->p_bonferroni[j], m->p_holm[j],
                           m->p_romano_wolf[j]};
  return w;
}

static attrib_status multi_json(FILE *out, const attrib_ols_multi *m, const attrib_report_context *ctx,
                                attrib_error *err) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return attrib__json_write(out, root, 0, err);
  const attrib_ols_result *f0 = m->fits[0];
  attrib__json_set(root, "command", json_string(ctx && ctx->command ? ctx->command : "ols"), &ok);
  if (ctx && ctx->source) attrib__json_set(root, "source", json_string(ctx->source), &ok);
  if (ctx && ctx->formula) attrib__json_set(root, "formula", json_string(ctx->formula), &ok);
  attrib__json_set(root, "n_outcomes", json_integer((json_int_t)m->n_outcomes), &ok);
  attrib__json_set(root, "n_obs", json_integer((json_int_t)f0->n_obs), &ok);
  attrib__json_set(root, "effect_term", json_string(m->effect_term), &ok);
  attrib__json_set(root, "effect_term_defaulted", json_boolean(m->effect_defaulted), &ok);
  json_t *dropped = json_object();
  attrib__json_set(root, "dropped", dropped, &ok);
  if (ok) {
    attrib__json_set(dropped, "missing", json_integer((json_int_t)f0->n_dropped_missing), &ok);
    attrib__json_set(dropped, "outcome_missing", json_integer((json_int_t)m->n_dropped_outcomes), &ok);
    attrib__json_set(dropped, "weight", json_integer((json_int_t)f0->n_dropped_weight), &ok);
    attrib__json_set(dropped, "singletons", json_integer((json_int_t)f0->n_dropped_singletons), &ok);
  }
  json_t *mt = json_object();
  attrib__json_set(root, "multiple_testing", mt, &ok);
  if (ok) {
    attrib__json_set(mt, "family", json_string("the effect in every outcome"), &ok);
    attrib__json_set(mt, "n_tests", json_integer((json_int_t)m->n_outcomes), &ok);
    attrib__json_set(mt, "rows", json_string(m->per_outcome_rows ? "each outcome its own" : "the same for every outcome"),
                     &ok);
    attrib__json_set(mt, "p_value", json_string("each outcome's t test of the effect (its fit.vcov)"), &ok);
    int rw = m->n_outcomes && !isnan(m->p_romano_wolf[0]);
    attrib__json_set(mt, "romano_wolf",
                     json_string(rw ? "step-down on the wild bootstrap's |t*| under the null, the same weights in "
                                      "every outcome; (count + 1) / (B + 1)"
                                    : m->per_outcome_rows ? "not computed: each outcome has its own rows"
                                    : "not computed: it needs a wild bootstrap (bootstrap with boot type wild)"),
                     &ok);
  }
  json_t *arr = json_array();
  attrib__json_set(root, "outcomes", arr, &ok);
  for (size_t j = 0; ok && j < m->n_outcomes; j++) {
    json_t *o = json_object();
    if (!o || json_array_append_new(arr, o)) {
      ok = 0;
      break;
    }
    attrib__json_set(o, "outcome", json_string(m->fits[j]->response), &ok);
    attrib__outcome_row w = multi_row(m, j);
    attrib__json_set(o, "effect", attrib__json_outcome_effect(&w), &ok);
    attrib__json_set(o, "fit", ols_json(m->fits[j], ctx, m->boots ? m->boots[j] : NULL, &ok), &ok);
  }
  /* every outcome's warnings, named (each fit also lists its own) */
  json_t *w = json_array();
  attrib__json_set(root, "warnings", w, &ok);
  for (size_t j = 0; ok && j < m->n_outcomes; j++)
    for (size_t i = 0; ok && i < m->fits[j]->n_warnings; i++) {
      attrib__sbuf b = {0};
      attrib__sbuf_addf(&b, "[%s] %s", m->fits[j]->response, m->fits[j]->warnings[i]);
      if (b.failed || json_array_append_new(w, json_string(b.s))) ok = 0;
      attrib__sbuf_free(&b);
    }
  return attrib__json_write(out, root, ok, err);
}

static attrib_status multi_csv(FILE *out, const attrib_ols_multi *m, attrib_error *err) {
  int bad = fputs("outcome,term,estimate,std_error,statistic,p_value,ci_low,ci_high,p_bonferroni,p_holm,p_romano_wolf\n",
                  out) < 0;
  for (size_t j = 0; j < m->n_outcomes; j++) {
    const attrib_effect *e = &m->fits[j]->effect;
    bad |= attrib__csv_field(out, m->fits[j]->response) || fputc(',', out) == EOF;
    bad |= attrib__csv_field(out, e->term) != 0;
    double v[9] = {e->estimate, e->std_error,        e->statistic, e->p_value,          e->ci_low,
                   e->ci_high,  m->p_bonferroni[j], m->p_holm[j], m->p_romano_wolf[j]};
    for (int q = 0; q < 9; q++) bad |= (isfinite(v[q]) ? fprintf(out, ",%.17g", v[q]) : fprintf(out, ",")) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

static attrib_status multi_text(FILE *out, const attrib_ols_multi *m, const attrib_report_context *ctx,
                                attrib_error *err) {
  int bad = 0;
  const attrib_ols_result *f0 = m->fits[0];
  bad |= fprintf(out, "OLS, %zu outcomes%s%s\n", m->n_outcomes, ctx && ctx->formula ? ": " : "",
                 ctx && ctx->formula ? ctx->formula : "") < 0;
  if (m->per_outcome_rows) {
    bad |= fprintf(out, "Data: %s, each outcome on its own rows:", ctx && ctx->source ? ctx->source : "(table)") < 0;
    for (size_t j = 0; j < m->n_outcomes; j++)
      bad |= fprintf(out, "%s %s %zu", j ? "," : "", m->fits[j]->response, m->fits[j]->n_obs) < 0;
  } else {
    bad |= fprintf(out, "Data: %s, %zu rows used for every outcome", ctx && ctx->source ? ctx->source : "(table)",
                   f0->n_obs) < 0;
  }
  size_t dropped = f0->n_dropped_missing + f0->n_dropped_weight + f0->n_dropped_singletons;
  if (dropped && !m->per_outcome_rows) {
    bad |= fprintf(out, " (%zu dropped", dropped) < 0;
    if (m->n_dropped_outcomes)
      bad |= fprintf(out, ", %zu of them only for a missing outcome", m->n_dropped_outcomes) < 0;
    bad |= fputc(')', out) == EOF;
  }
  bad |= fprintf(out, "\nEffect of %s%s; p-values adjusted across the %zu outcomes\n\n", m->effect_term,
                 m->effect_defaulted ? " (the first coefficient after the intercept; the treat option names another)" : "", m->n_outcomes) < 0;
  attrib__outcome_row *rows = attrib__malloc(m->n_outcomes, sizeof *rows);
  if (!rows) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t j = 0; j < m->n_outcomes; j++) rows[j] = multi_row(m, j);
  bad |= attrib__text_outcomes(out, rows, m->n_outcomes, f0->level, "t value", "Pr(>|t|)");
  attrib__free(rows);
  bad |= fputc('\n', out) == EOF;
  char tail[64];
  snprintf(tail, sizeof tail, "t with %.0f df", f0->df_inference);
  bad |= attrib__text_vcov(out, f0->vcov_type, f0->cluster_names, f0->n_clusters, f0->n_cluster_dims, "iid", tail);
  if (m->boots && !isnan(m->p_romano_wolf[0]))
    bad |= fprintf(out, "Romano-Wolf: step-down over the %s wild bootstrap's %zu replicates, the same weights in every "
                        "outcome\n",
                   attrib_boot_weights_name(m->boots[0]->weights), m->boots[0]->replicates) < 0;
  else
    bad |= fputs(m->per_outcome_rows ? "Romano-Wolf: NA (each outcome on its own rows)\n"
                                     : "Romano-Wolf: NA (it needs a wild bootstrap)\n",
                 out) < 0;
  bad |= fputs("Each outcome's full table: the JSON output (outcomes[].fit)\n", out) < 0;
  for (size_t j = 0; j < m->n_outcomes; j++) {
    const attrib_ols_result *r = m->fits[j];
    if (!r->n_warnings && !r->n_aliased) continue;
    bad |= fprintf(out, "\n[%s]\n", r->response) < 0;
    bad |= attrib__text_dropped_warnings(out, r->aliased_names, r->n_aliased, r->warnings, r->n_warnings);
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_ols_multi(FILE *out, const attrib_ols_multi *m, const attrib_report_context *ctx,
                                            attrib_report_format fmt, attrib_error *err) {
  if (!out || !m || !m->n_outcomes) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_ols_multi: bad argument");
  if (fmt == ATTRIB_FORMAT_JSON) return multi_json(out, m, ctx, err);
  if (fmt == ATTRIB_FORMAT_CSV) return multi_csv(out, m, err);
  return multi_text(out, m, ctx, err);
}
