/* Writers of the mediation result (JSON keys per docs/output-contract.md). */
#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

/* The quantities' JSON keys and text labels, in attrib_mediate_quantity order. */
static const char *const keys[ATTRIB_MEDIATE_N_QUANTITIES] = {
    "acme", "acme_treated", "acme_control", "ade", "ade_treated", "ade_control",
    "total_effect", "prop_mediated", "prop_mediated_treated", "prop_mediated_control"};
static const char *const labels[ATTRIB_MEDIATE_N_QUANTITIES] = {
    "ACME (average)", "ACME (treated)", "ACME (control)", "ADE (average)", "ADE (treated)", "ADE (control)",
    "Total effect", "Prop. mediated (average)", "Prop. mediated (treated)", "Prop. mediated (control)"};

static const char *ci_words(attrib_mediate_ci m) {
  return m == ATTRIB_MEDIATE_BOOTSTRAP ? "nonparametric bootstrap, percentile intervals"
                                       : "quasi-Bayesian (coefficients drawn from their fits' normal "
                                         "approximation), percentile intervals";
}

static json_t *json_effect(const attrib_mediate_effect *e, int *ok) {
  json_t *o = json_object();
  attrib__json_set(o, "estimate", attrib__json_num(e->estimate), ok);
  attrib__json_set(o, "std_error", attrib__json_num(e->std_error), ok);
  attrib__json_set(o, "ci_low", attrib__json_num(e->ci_low), ok);
  attrib__json_set(o, "ci_high", attrib__json_num(e->ci_high), ok);
  attrib__json_set(o, "p_value", attrib__json_num(e->p_value), ok);
  attrib__json_set(o, "mean_of_draws", attrib__json_num(e->mean_of_draws), ok);
  return o;
}

static json_t *json_coef(const attrib_mediate_coef *c, int *ok) {
  json_t *o = json_object();
  attrib__json_set(o, "estimate", attrib__json_num(c->estimate), ok);
  attrib__json_set(o, "std_error", attrib__json_num(c->std_error), ok);
  return o;
}

static void json_models(json_t *root, const attrib_mediate_result *r, int *ok) {
  json_t *m = json_object(), *y = json_object();
  attrib__json_set(root, "mediator_model", m, ok);
  attrib__json_set(m, "treat", json_coef(&r->med_treat, ok), ok);
  attrib__json_set(m, "mean_at_control", attrib__json_num(r->med_mean_control), ok);
  attrib__json_set(m, "sigma", attrib__json_num(r->med_sigma), ok);
  attrib__json_set(m, "r2", attrib__json_num(r->med_r2), ok);
  attrib__json_set(m, "df", json_integer((json_int_t)r->med_df), ok);
  attrib__json_set(root, "outcome_model", y, ok);
  attrib__json_set(y, "treat", json_coef(&r->out_treat, ok), ok);
  attrib__json_set(y, "mediator", json_coef(&r->out_mediator, ok), ok);
  attrib__json_set(y, "interaction", r->interaction ? json_coef(&r->out_interaction, ok) : json_null(), ok);
  attrib__json_set(y, "sigma", attrib__json_num(r->out_sigma), ok);
  attrib__json_set(y, "r2", attrib__json_num(r->out_r2), ok);
  attrib__json_set(y, "df", json_integer((json_int_t)r->out_df), ok);
}

json_t *attrib__json_mediate_body(const attrib_mediate_result *r, const attrib_mediate_options *o, int *okp) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return NULL;
  attrib__json_set(root, "treat", json_string(o->treat), &ok);
  attrib__json_set(root, "mediator", json_string(o->mediator), &ok);
  attrib__json_set(root, "outcome", json_string(o->outcome), &ok);
  attrib__json_set(root, "covariates", o->covariates ? json_string(o->covariates) : json_null(), &ok);
  attrib__json_set(root, "interaction", json_boolean(r->interaction), &ok);
  attrib__json_set(root, "n_obs", json_integer((json_int_t)r->n), &ok);
  attrib__json_set(root, "n_input", json_integer((json_int_t)r->n_input), &ok);
  attrib__json_set(root, "n_dropped_missing", json_integer((json_int_t)r->n_dropped_missing), &ok);
  attrib__json_set(root, "n_treated", json_integer((json_int_t)r->n_treated), &ok);
  attrib__json_set(root, "n_control", json_integer((json_int_t)r->n_control), &ok);
  attrib__json_set(root, "ci_method", json_string(attrib_mediate_ci_name(r->ci_method)), &ok);
  attrib__json_set(root, "sims", json_integer((json_int_t)r->sims), &ok);
  attrib__json_set(root, "sims_failed", json_integer((json_int_t)r->sims_failed), &ok);
  attrib__json_set(root, "seed", json_integer((json_int_t)r->seed), &ok);
  attrib__json_set(root, "level", attrib__json_num(r->level), &ok);
  for (size_t k = 0; k < ATTRIB_MEDIATE_N_QUANTITIES; k++)
    attrib__json_set(root, keys[k], json_effect(&r->effects[k], &ok), &ok);
  json_models(root, r, &ok);
  attrib__json_set(root, "rho_at_zero", attrib__json_num(r->rho_at_zero), &ok);
  attrib__json_set(root, "r2_star_prod_at_zero", attrib__json_num(r->r2_star_prod_at_zero), &ok);
  attrib__json_set(root, "r2_tilde_prod_at_zero", attrib__json_num(r->r2_tilde_prod_at_zero), &ok);
  json_t *sens = json_array();
  for (size_t i = 0; i < r->n_sensitivity; i++) {
    json_t *p = json_object();
    attrib__json_set(p, "rho", attrib__json_num(r->sens_rho[i]), &ok);
    attrib__json_set(p, "acme", attrib__json_num(r->sens_acme[i]), &ok);
    if (json_array_append_new(sens, p)) ok = 0;
  }
  attrib__json_set(root, "sensitivity", sens, &ok);
  attrib__json_set(root, "warnings", attrib__json_strings(r->warnings, r->n_warnings), &ok);
  *okp = ok;
  return root;
}

static json_t *json_mediate(const attrib_mediate_result *r, const attrib_mediate_options *o,
                            const attrib_report_context *ctx, int *okp) {
  int ok = 1;
  json_t *root = json_object(), *body = attrib__json_mediate_body(r, o, okp);
  if (!root || !body) {
    json_decref(root), json_decref(body);
    return NULL;
  }
  attrib__json_set(root, "command", json_string("mediate"), &ok);
  if (ctx && ctx->source) attrib__json_set(root, "source", json_string(ctx->source), &ok);
  if (json_object_update(root, body)) ok = 0; /* the body's keys after these, in its order */
  json_decref(body);
  *okp = *okp && ok;
  return root;
}

int attrib__text_mediate_effects(FILE *out, const attrib_mediate_result *r) {
  int bad = fprintf(out, "  %-26s %12s %12s %12s %12s %8s\n", "", "estimate", "std_error", "ci_low", "ci_high",
                    "p_value") < 0;
  for (size_t k = 0; k < ATTRIB_MEDIATE_N_QUANTITIES; k++) {
    /* without the interaction the treated and control rows repeat the average */
    int split = k == ATTRIB_MEDIATE_ACME_TREATED || k == ATTRIB_MEDIATE_ACME_CONTROL ||
                k == ATTRIB_MEDIATE_ADE_TREATED || k == ATTRIB_MEDIATE_ADE_CONTROL ||
                k == ATTRIB_MEDIATE_PROP_TREATED || k == ATTRIB_MEDIATE_PROP_CONTROL;
    if (split && !r->interaction) continue;
    const attrib_mediate_effect *e = &r->effects[k];
    const char *label = labels[k];
    if (!r->interaction && k == ATTRIB_MEDIATE_ACME) label = "ACME";
    if (!r->interaction && k == ATTRIB_MEDIATE_ADE) label = "ADE";
    if (!r->interaction && k == ATTRIB_MEDIATE_PROP) label = "Prop. mediated";
    /* a simulated p-value of 0 means no draw fell on the other side of 0:
     * below the resolution 2/draws, not 0 */
    char p[32];
    size_t used = r->sims > r->sims_failed ? r->sims - r->sims_failed : 0;
    if (e->p_value == 0.0 && used) snprintf(p, sizeof p, "<%.2g", 2.0 / (double)used);
    else snprintf(p, sizeof p, "%.4g", e->p_value);
    bad |= fprintf(out, "  %-26s %12.6g %12.6g %12.6g %12.6g %8s\n", label, e->estimate, e->std_error, e->ci_low,
                   e->ci_high, p) < 0;
  }
  return bad;
}

static attrib_status write_text(FILE *out, const attrib_mediate_result *r, const attrib_mediate_options *o,
                                const attrib_report_context *ctx, attrib_error *err) {
  int bad = fprintf(out, "Causal mediation analysis%s%s\n", ctx && ctx->source ? ": " : "",
                    ctx && ctx->source ? ctx->source : "") < 0;
  bad |= fprintf(out, "Treatment %s, mediator %s, outcome %s%s%s%s\n", o->treat, o->mediator, o->outcome,
                 o->covariates ? "; covariates " : "", o->covariates ? o->covariates : "",
                 r->interaction ? "; treatment x mediator interaction" : "") < 0;
  bad |= fprintf(out, "Rows used %zu (%zu treated, %zu control; %zu dropped for missing values)\n", r->n, r->n_treated,
                 r->n_control, r->n_dropped_missing) < 0;
  bad |= fprintf(out, "Intervals: %s, %zu sims, seed %lu, level %g\n\n", ci_words(r->ci_method), r->sims, r->seed,
                 r->level) < 0;
  bad |= attrib__text_mediate_effects(out, r);
  bad |= fprintf(out, "\nMediator model: treatment %.6g (SE %.6g); residual SD %.6g, R2 %.4g, %zu df\n",
                 r->med_treat.estimate, r->med_treat.std_error, r->med_sigma, r->med_r2, r->med_df) < 0;
  bad |= fprintf(out, "Outcome model:  treatment %.6g (SE %.6g), mediator %.6g (SE %.6g)", r->out_treat.estimate,
                 r->out_treat.std_error, r->out_mediator.estimate, r->out_mediator.std_error) < 0;
  if (r->interaction)
    bad |= fprintf(out, ", interaction %.6g (SE %.6g)", r->out_interaction.estimate, r->out_interaction.std_error) < 0;
  bad |= fprintf(out, "; residual SD %.6g, R2 %.4g, %zu df\n", r->out_sigma, r->out_r2, r->out_df) < 0;
  if (isfinite(r->rho_at_zero)) {
    bad |= fprintf(out, "\nSensitivity (Imai, Keele & Yamamoto 2010): ACME = 0 at rho = %.4f", r->rho_at_zero) < 0;
    bad |= fprintf(out, " (R2*_M R2*_Y = %.4g; R2~_M R2~_Y = %.4g)\n", r->r2_star_prod_at_zero,
                   r->r2_tilde_prod_at_zero) < 0;
    bad |= fprintf(out, "  rho  ") < 0;
    for (size_t i = 0; i < r->n_sensitivity; i += 3) bad |= fprintf(out, " %9.1f", r->sens_rho[i]) < 0;
    bad |= fprintf(out, "\n  ACME ") < 0;
    for (size_t i = 0; i < r->n_sensitivity; i += 3) bad |= fprintf(out, " %9.4g", r->sens_acme[i]) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  bad |= attrib__text_dropped_warnings(out, NULL, 0, r->warnings, r->n_warnings);
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

static attrib_status write_csv(FILE *out, const attrib_mediate_result *r, attrib_error *err) {
  int bad = fprintf(out, "quantity,estimate,std_error,ci_low,ci_high,p_value\n") < 0;
  for (size_t k = 0; k < ATTRIB_MEDIATE_N_QUANTITIES; k++) {
    const attrib_mediate_effect *e = &r->effects[k];
    double v[] = {e->estimate, e->std_error, e->ci_low, e->ci_high, e->p_value};
    bad |= fprintf(out, "%s", keys[k]) < 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
      bad |= (isfinite(v[i]) ? fprintf(out, ",%.17g", v[i]) : fprintf(out, ",")) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_mediate(FILE *out, const attrib_mediate_result *r, const attrib_mediate_options *o,
                                          const attrib_report_context *ctx, attrib_report_format fmt,
                                          attrib_error *err) {
  if (!out || !r || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_mediate: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) {
    int ok = 0;
    json_t *root = json_mediate(r, o, ctx, &ok);
    return attrib__json_write(out, root, root && ok, err);
  }
  if (fmt == ATTRIB_FORMAT_CSV) return write_csv(out, r, err);
  return write_text(out, r, o, ctx, err);
}
