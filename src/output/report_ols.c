#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static attrib_status write_json(FILE *out, const attrib_ols_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return attrib__json_write(out, root, 0, err);
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
  if (ctx && ctx->bootstrap) attrib__json_set(root, "bootstrap", attrib__json_bootstrap(ctx->bootstrap), &ok);
  attrib__json_set(root, "warnings", attrib__json_strings(r->warnings, r->n_warnings), &ok);
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
