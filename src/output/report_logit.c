#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static const char *link_name(attrib_link l) { return l == ATTRIB_LINK_PROBIT ? "probit" : "logit"; }

static attrib_status write_json(FILE *out, const attrib_logit_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return attrib__json_write(out, root, 0, err);
  attrib__json_set(root, "command", json_string(ctx && ctx->command ? ctx->command : "logit"), &ok);
  if (ctx && ctx->source) attrib__json_set(root, "source", json_string(ctx->source), &ok);
  if (ctx && ctx->formula) attrib__json_set(root, "formula", json_string(ctx->formula), &ok);
  attrib__json_set(root, "response", json_string(r->response), &ok);
  attrib__json_set(root, "link", json_string(link_name(r->link)), &ok);
  attrib__json_set(root, "n_obs", json_integer((json_int_t)r->n_obs), &ok);
  attrib__json_set(root, "log_likelihood", attrib__json_num(r->log_likelihood), &ok);
  attrib__json_set(root, "deviance", attrib__json_num(r->deviance), &ok);
  attrib__json_set(root, "null_deviance", attrib__json_num(r->null_deviance), &ok);
  attrib__json_set(root, "aic", attrib__json_num(r->aic), &ok);
  attrib__json_set(root, "bic", attrib__json_num(r->bic), &ok);
  attrib__json_set(root, "iterations", json_integer((json_int_t)r->iterations), &ok);
  attrib__json_set(root, "converged", json_boolean(r->converged), &ok);
  attrib__json_set(root, "level", attrib__json_num(r->level), &ok);
  attrib__json_set(root, "coefficients", attrib__json_coefs(&r->coef), &ok);
  if (r->effect_index >= 0) attrib__json_set(root, "effect", attrib__json_effect(&r->effect), &ok);
  json_t *dropped = json_object();
  attrib__json_set(root, "dropped", dropped, &ok);
  if (ok) {
    attrib__json_set(dropped, "collinear", attrib__json_strings(r->aliased_names, r->n_aliased), &ok);
    attrib__json_set(dropped, "missing", json_integer((json_int_t)r->n_dropped_missing), &ok);
    attrib__json_set(dropped, "weight", json_integer((json_int_t)r->n_dropped_weight), &ok);
  }
  attrib__json_set(root, "vcov",
                   attrib__json_vcov(r->vcov_type, r->cluster_names, r->n_clusters, r->n_cluster_dims, -1, NAN), &ok);
  attrib__json_set(root, "warnings", attrib__json_strings(r->warnings, r->n_warnings), &ok);
  if (ctx && ctx->bootstrap) attrib__json_set(root, "bootstrap", attrib__json_bootstrap(ctx->bootstrap), &ok);
  return attrib__json_write(out, root, ok, err);
}

static attrib_status write_text(FILE *out, const attrib_logit_result *r, const attrib_report_context *ctx,
                                attrib_error *err) {
  int bad = fprintf(out, "%s%s%s\n", r->link == ATTRIB_LINK_PROBIT ? "Probit" : "Logit",
                    ctx && ctx->formula ? ": " : "", ctx && ctx->formula ? ctx->formula : "") < 0;
  bad |= fprintf(out, "Data: %s, %zu rows used", ctx && ctx->source ? ctx->source : "(table)", r->n_obs) < 0;
  if (r->n_dropped_missing || r->n_dropped_weight)
    bad |= fprintf(out, " (dropped: %zu missing values, %zu weights <= 0)", r->n_dropped_missing, r->n_dropped_weight) < 0;
  bad |= fprintf(out, "\n\n") < 0;
  bad |= attrib__text_coefs(out, &r->coef, "z value", r->level);
  bad |= fputc('\n', out) == EOF;
  bad |= attrib__text_vcov(out, r->vcov_type, r->cluster_names, r->n_clusters, r->n_cluster_dims,
                           "inverse information", "normal inference");
  bad |= fprintf(out, "Null deviance: %.6g; residual deviance: %.6g; log-likelihood: %.6g\n", r->null_deviance,
                 r->deviance, r->log_likelihood) < 0;
  bad |= fprintf(out, "AIC: %.6g; BIC: %.6g; %s after %zu iterations\n", r->aic, r->bic,
                 r->converged ? "converged" : "NOT converged", r->iterations) < 0;
  bad |= attrib__text_dropped_warnings(out, r->aliased_names, r->n_aliased, NULL, 0);
  if (r->effect_index >= 0) {
    char label[256];
    snprintf(label, sizeof label, "\nEffect of %s (%s scale)", r->effect.term, link_name(r->link));
    bad |= attrib__text_effect(out, label, &r->effect, r->level);
    if (r->link == ATTRIB_LINK_LOGIT)
      bad |= fprintf(out, "; odds ratio %.6g [%.6g, %.6g]", exp(r->effect.estimate), exp(r->effect.ci_low),
                     exp(r->effect.ci_high)) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  if (ctx && ctx->bootstrap) bad |= attrib__text_bootstrap(out, ctx->bootstrap);
  bad |= attrib__text_dropped_warnings(out, NULL, 0, r->warnings, r->n_warnings);
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_logit(FILE *out, const attrib_logit_result *r, const attrib_report_context *ctx,
                                        attrib_report_format fmt, attrib_error *err) {
  if (!out || !r) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_logit: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) return write_json(out, r, ctx, err);
  if (fmt == ATTRIB_FORMAT_CSV)
    return attrib__csv_coefs(out, &r->coef) ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
  return write_text(out, r, ctx, err);
}
