#include <math.h>
#include <stdio.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static const char *link_name(attrib_link l) { return l == ATTRIB_LINK_PROBIT ? "probit" : "logit"; }

static const char *ame_type_name(attrib_ame_type t) {
  return t == ATTRIB_AME_DERIVATIVE ? "average derivative" : "risk difference";
}

/* average_marginal_effect {term, type, estimate, std_error, statistic, p_value, ci_low, ci_high, level,
 * p_treated, p_control, n_obs, weighted}, or {term, estimate: null, reason} when it is not defined */
static json_t *json_ame(const attrib_logit_ame *a) {
  int ok = 1;
  json_t *o = json_object();
  if (!o) return NULL;
  attrib__json_set(o, "term", json_string(a->term), &ok);
  if (!a->available) {
    attrib__json_set(o, "estimate", json_null(), &ok);
    attrib__json_set(o, "reason", json_string(a->reason ? a->reason : ""), &ok);
  } else {
    attrib__json_set(o, "type", json_string(ame_type_name(a->type)), &ok);
    attrib__json_set(o, "estimate", attrib__json_num(a->estimate), &ok);
    attrib__json_set(o, "std_error", attrib__json_num(a->std_error), &ok);
    attrib__json_set(o, "statistic", attrib__json_num(a->statistic), &ok);
    attrib__json_set(o, "p_value", attrib__json_num(a->p_value), &ok);
    attrib__json_set(o, "ci_low", attrib__json_num(a->ci_low), &ok);
    attrib__json_set(o, "ci_high", attrib__json_num(a->ci_high), &ok);
    attrib__json_set(o, "level", attrib__json_num(a->level), &ok);
    if (a->type == ATTRIB_AME_RISK_DIFFERENCE) {
      attrib__json_set(o, "p_treated", attrib__json_num(a->p_treated), &ok);
      attrib__json_set(o, "p_control", attrib__json_num(a->p_control), &ok);
    }
    attrib__json_set(o, "n_obs", json_integer((json_int_t)a->n_obs), &ok);
    attrib__json_set(o, "weighted", json_boolean(a->weighted), &ok);
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

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
  if (r->streamed) attrib__json_set(root, "streamed", json_true(), &ok);
  attrib__json_set(root, "converged", json_boolean(r->converged), &ok);
  attrib__json_set(root, "level", attrib__json_num(r->level), &ok);
  attrib__json_set(root, "coefficients", attrib__json_coefs(&r->coef), &ok);
  if (r->effect_index >= 0) attrib__json_set(root, "effect", attrib__json_effect(&r->effect), &ok);
  if (r->ame) attrib__json_set(root, "average_marginal_effect", json_ame(r->ame), &ok);
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
    /* the label sized to the term (a term name is user input: never cut short) */
    attrib__sbuf label = {0};
    const char *parts[5] = {"\nEffect of ", r->effect.term, " (", link_name(r->link), " scale)"};
    for (int q = 0; q < 5; q++) attrib__sbuf_add(&label, parts[q], strlen(parts[q]));
    bad |= label.failed || !label.s || attrib__text_effect(out, label.s, &r->effect, r->level);
    attrib__sbuf_free(&label);
    if (r->link == ATTRIB_LINK_LOGIT)
      bad |= fprintf(out, "; odds ratio %.6g [%.6g, %.6g]", exp(r->effect.estimate), exp(r->effect.ci_low),
                     exp(r->effect.ci_high)) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  if (r->ame && r->ame->available) {
    const attrib_logit_ame *a = r->ame;
    if (a->type == ATTRIB_AME_RISK_DIFFERENCE)
      bad |= fprintf(out, "Average marginal effect on P(%s = 1) (risk difference: %s set to 1 vs 0 in every row, mean %.6g "
                          "vs %.6g): %.6g (SE %.6g), %g%% CI [%.6g, %.6g]\n",
                     r->response, a->term, a->p_treated, a->p_control, a->estimate, a->std_error, 100.0 * a->level,
                     a->ci_low, a->ci_high) < 0;
    else
      bad |= fprintf(out, "Average marginal effect on P(%s = 1) (average derivative per unit of %s): %.6g (SE %.6g), "
                          "%g%% CI [%.6g, %.6g]\n",
                     r->response, a->term, a->estimate, a->std_error, 100.0 * a->level, a->ci_low, a->ci_high) < 0;
  } else if (r->ame) {
    bad |= fprintf(out, "No average marginal effect for %s: %s\n", r->ame->term, r->ame->reason ? r->ame->reason : "") < 0;
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
