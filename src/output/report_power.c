/* Writers of the power result (JSON keys per docs/output-contract.md). */
#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static const char *const design_names[] = {"rct", "cluster", "did", "match"};
static const char *const design_words[] = {
    "two-arm trial, learners randomised one by one",
    "cluster-randomised trial, whole teams randomised",
    "pre/post with a control group (difference in differences of the change scores)",
    "observational comparison, treated learners matched 1:1 to controls without replacement"};

const char *attrib__power_design_name(attrib_power_design d) { return design_names[d]; }
const char *attrib__power_design_words(attrib_power_design d) { return design_words[d]; }

static const char *sim_estimator(attrib_power_design d) {
  return d == ATTRIB_POWER_CLUSTER ? "ols y ~ treat, cluster-robust SE by team (CR1, t with G - 1 df)"
         : d == ATTRIB_POWER_DID   ? "did 2x2 y ~ treat * post, SE clustered by learner"
                                   : "ols y ~ treat, iid SE (the pooled two-sample t)";
}

/* the design's inputs as given to the run (power's "inputs" object) */
json_t *attrib__json_power_inputs(const attrib_power_result *r, const attrib_power_options *o, int *ok) {
  json_t *in = json_object();
  if (!in) {
    *ok = 0;
    return NULL;
  }
  attrib__json_set(in, "sd", attrib__json_num(o->sd), ok);
  attrib__json_set(in, "alpha", attrib__json_num(o->alpha), ok);
  attrib__json_set(in, "sides", json_integer(o->sides), ok);
  attrib__json_set(in, "target_power", attrib__json_num(r->target_power), ok);
  attrib__json_set(in, "treated_share", attrib__json_num(r->n > 0 ? r->n_treated / r->n : NAN), ok);
  attrib__json_set(in, "r2", attrib__json_num(o->r2), ok);
  attrib__json_set(in, "icc", attrib__json_num(o->icc), ok);
  attrib__json_set(in, "cluster_size", attrib__json_num(o->cluster_size), ok);
  attrib__json_set(in, "rho", attrib__json_num(o->rho), ok);
  return in;
}

/* what a baseline gave (power's "baseline" object); source NULL: none */
json_t *attrib__json_power_baseline(const attrib_power_data_estimates *b, const char *source, int *ok) {
  json_t *bj = json_object();
  if (!bj) {
    *ok = 0;
    return NULL;
  }
  if (source) attrib__json_set(bj, "source", json_string(source), ok);
  attrib__json_set(bj, "n", json_integer((json_int_t)b->n), ok);
  attrib__json_set(bj, "mean", attrib__json_num(b->mean), ok);
  attrib__json_set(bj, "sd", attrib__json_num(b->sd), ok);
  attrib__json_set(bj, "clusters", b->clusters ? json_integer((json_int_t)b->clusters) : json_null(), ok);
  attrib__json_set(bj, "cluster_size", attrib__json_num(b->cluster_size), ok);
  attrib__json_set(bj, "icc", attrib__json_num(b->icc), ok);
  attrib__json_set(bj, "r2", attrib__json_num(b->r2), ok);
  attrib__json_set(bj, "covariate_columns", json_integer((json_int_t)b->k), ok);
  return bj;
}

void attrib__json_power_money(json_t *x, const attrib_power_result *r, int *ok) {
  if (!r->has_roi) return;
  attrib__json_set(x, "roi_learners", attrib__json_num(r->roi_learners), ok);
  attrib__json_set(x, "roi_effect", attrib__json_num(r->roi_effect), ok);
  attrib__json_set(x, "mde_roi_pct", attrib__json_num(r->mde_roi_pct), ok);
  attrib__json_set(x, "breakeven_effect", attrib__json_num(r->breakeven_effect), ok);
  attrib__json_set(x, "n_breakeven", attrib__json_num(r->n_breakeven), ok);
}

static json_t *json_power(const attrib_power_result *r, const attrib_power_options *o,
                          const attrib_power_data_estimates *b, const attrib_report_context *ctx, int *okp) {
  int ok = 1;
  json_t *root = json_object();
  if (!root) return NULL;
  attrib__json_set(root, "command", json_string("power"), &ok);
  attrib__json_set(root, "design", json_string(design_names[r->design]), &ok);
  attrib__json_set(root, "solved", json_string(r->solved), &ok);
  attrib__json_set(root, "test", json_string(r->test), &ok);
  attrib__json_set(root, "mde", attrib__json_num(r->mde), &ok);
  attrib__json_set(root, "n", attrib__json_num(r->n), &ok);
  attrib__json_set(root, "power", attrib__json_num(r->power), &ok);
  attrib__json_set(root, "effect_size", attrib__json_num(r->effect_size), &ok);
  attrib__json_set(root, "n_treated", attrib__json_num(r->n_treated), &ok);
  attrib__json_set(root, "n_control", attrib__json_num(r->n_control), &ok);
  attrib__json_set(root, "n_treated_whole", json_integer((json_int_t)r->n_treated_whole), &ok);
  attrib__json_set(root, "n_control_whole", json_integer((json_int_t)r->n_control_whole), &ok);
  attrib__json_set(root, "clusters", attrib__json_num(r->clusters), &ok);
  attrib__json_set(root, "se", attrib__json_num(r->se), &ok);
  attrib__json_set(root, "df", attrib__json_num(r->df), &ok); /* null: the normal */
  attrib__json_set(root, "design_factor", attrib__json_num(r->design_factor), &ok);
  attrib__json_set(root, "design_effect", attrib__json_num(r->design_effect), &ok);
  attrib__json_set(root, "inputs", attrib__json_power_inputs(r, o, &ok), &ok);
  if (b) attrib__json_set(root, "baseline", attrib__json_power_baseline(b, ctx ? ctx->source : NULL, &ok), &ok);
  attrib__json_power_money(root, r, &ok);
  if (r->has_sim) {
    json_t *s = json_object();
    attrib__json_set(root, "simulation", s, &ok);
    attrib__json_set(s, "reps", json_integer((json_int_t)r->sim_reps), &ok);
    attrib__json_set(s, "seed", json_integer((json_int_t)r->seed), &ok);
    attrib__json_set(s, "n", attrib__json_num(r->sim_n), &ok);
    attrib__json_set(s, "rejections", json_integer((json_int_t)r->sim_rejections), &ok);
    attrib__json_set(s, "failed", json_integer((json_int_t)r->sim_failed), &ok);
    attrib__json_set(s, "power", attrib__json_num(r->sim_power), &ok);
    attrib__json_set(s, "mc_se", attrib__json_num(r->sim_mcse), &ok);
    attrib__json_set(s, "analytic_power", attrib__json_num(r->sim_analytic_power), &ok);
    attrib__json_set(s, "mean_estimate", attrib__json_num(r->sim_mean_estimate), &ok);
    attrib__json_set(s, "estimator", json_string(sim_estimator(r->design)), &ok);
  }
  attrib__json_set(root, "warnings", attrib__json_strings(r->warnings, r->n_warnings), &ok);
  *okp = ok;
  return root;
}

static attrib_status write_text(FILE *out, const attrib_power_result *r, const attrib_power_options *o,
                                const attrib_power_data_estimates *b, const attrib_report_context *ctx,
                                attrib_error *err) {
  int bad = fprintf(out, "Pilot design: %s\n", design_words[r->design]) < 0;
  if (b) {
    bad |= fprintf(out, "Baseline%s%s: %zu rows, outcome mean %.6g, SD %.6g", ctx && ctx->source ? " " : "",
                   ctx && ctx->source ? ctx->source : "", b->n, b->mean, b->sd) < 0;
    if (b->clusters) bad |= fprintf(out, "; %zu clusters of %.4g on average, ICC %.4g (one-way ANOVA)", b->clusters,
                                    b->cluster_size, b->icc) < 0;
    if (!isnan(b->r2)) bad |= fprintf(out, "; covariates' R2 %.4g (OLS, %zu columns)", b->r2, b->k) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  const char *what = !strcmp(r->solved, "mde") ? "the minimum detectable effect"
                     : !strcmp(r->solved, "n") ? "the learners needed"
                                               : "the power";
  bad |= fprintf(out, "Solved: %s\n\n", what) < 0;
  bad |= fprintf(out, "  learners (n)      %.6g (%.6g treated, %.6g control)\n", r->n, r->n_treated, r->n_control) < 0;
  if (!strcmp(r->solved, "n"))
    bad |= fprintf(out, "  rounded up        %zu treated + %zu control = %zu\n", r->n_treated_whole, r->n_control_whole,
                   r->n_treated_whole + r->n_control_whole) < 0;
  if (r->design == ATTRIB_POWER_CLUSTER)
    bad |= fprintf(out, "  clusters          %.6g of %g learners\n", r->clusters, o->cluster_size) < 0;
  bad |= fprintf(out, "  MDE               %.6g (%.4g SD of %g)\n", r->mde, r->effect_size, o->sd) < 0;
  bad |= fprintf(out, "  power             %.4f\n", r->power) < 0;
  bad |= fprintf(out, "  SE of the effect  %.6g\n", r->se) < 0;
  bad |= fprintf(out, "  test              %s-sided at alpha %g; %s", r->sides == 2 ? "two" : "one", r->alpha, r->test) < 0;
  if (isfinite(r->df)) bad |= fprintf(out, " with %.6g df", r->df) < 0;
  bad |= fputc('\n', out) == EOF;
  bad |= fprintf(out, "  variance factor   %.6g (", r->design_factor) < 0;
  if (r->design == ATTRIB_POWER_CLUSTER)
    bad |= fprintf(out, "design effect 1 + (m - 1) ICC = %.6g x ", r->design_effect) < 0;
  else if (r->design == ATTRIB_POWER_DID)
    bad |= fprintf(out, "change scores 2 (1 - rho) = %.6g x ", 2.0 * (1.0 - o->rho)) < 0;
  int product = r->design == ATTRIB_POWER_CLUSTER || r->design == ATTRIB_POWER_DID;
  bad |= fprintf(out, product ? "(1 - R2) = %.6g)\n" : "1 - R2 = %.6g)\n", 1.0 - o->r2) < 0;
  if (r->design == ATTRIB_POWER_MATCH)
    bad |= fprintf(out, "  matching          1:1 without replacement: %.6g pairs\n",
                   r->n_control < r->n_treated ? r->n_control : r->n_treated) < 0;
  if (r->has_roi) {
    bad |= fprintf(out, "\nIn money (%.6g learners):\n", r->roi_learners) < 0;
    bad |= fprintf(out, "  ROI at the MDE    %.2f%% (an effect of %.6g)\n", r->mde_roi_pct, r->roi_effect) < 0;
    bad |= fprintf(out, "  break-even effect %.6g\n", r->breakeven_effect) < 0;
    if (isfinite(r->n_breakeven))
      bad |= fprintf(out, "  n to detect it    %.6g (power %g)\n", r->n_breakeven, o->power) < 0;
    else
      bad |= fprintf(out, "  n to detect it    none (see the warnings)\n") < 0;
  }
  if (r->has_sim) {
    bad |= fprintf(out, "\nSimulation: %zu data sets of %.6g learners (seed %lu), effect planted at the MDE, fitted by "
                        "%s:\n",
                   r->sim_reps, r->sim_n, r->seed, sim_estimator(r->design)) < 0;
    bad |= fprintf(out, "  empirical power   %.4f (Monte Carlo SE %.4f; %zu rejections)\n", r->sim_power, r->sim_mcse,
                   r->sim_rejections) < 0;
    bad |= fprintf(out, "  analytic power    %.4f at that size\n", r->sim_analytic_power) < 0;
    bad |= fprintf(out, "  mean estimate     %.6g\n", r->sim_mean_estimate) < 0;
  }
  bad |= attrib__text_dropped_warnings(out, NULL, 0, r->warnings, r->n_warnings);
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

static attrib_status write_csv(FILE *out, const attrib_power_result *r, attrib_error *err) {
  int bad = fprintf(out, "design,solved,test,n,mde,power,effect_size,n_treated,n_control,se,df,design_factor,"
                         "mde_roi_pct,breakeven_effect,n_breakeven,sim_power,sim_mc_se\n") < 0;
  double v[] = {r->n,  r->mde, r->power, r->effect_size, r->n_treated, r->n_control, r->se, r->df, r->design_factor,
                r->has_roi ? r->mde_roi_pct : NAN, r->has_roi ? r->breakeven_effect : NAN,
                r->has_roi ? r->n_breakeven : NAN, r->has_sim ? r->sim_power : NAN, r->has_sim ? r->sim_mcse : NAN};
  bad |= fprintf(out, "%s,%s,%s", design_names[r->design], r->solved, r->test) < 0;
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    bad |= (isfinite(v[i]) ? fprintf(out, ",%.17g", v[i]) : fprintf(out, ",")) < 0;
  bad |= fputc('\n', out) == EOF;
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}

attrib_status attrib_report_write_power(FILE *out, const attrib_power_result *r, const attrib_power_options *o,
                                        const attrib_power_data_estimates *baseline, const attrib_report_context *ctx,
                                        attrib_report_format fmt, attrib_error *err) {
  if (!out || !r || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_power: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) {
    int ok = 0;
    json_t *root = json_power(r, o, baseline, ctx, &ok);
    return attrib__json_write(out, root, root && ok, err);
  }
  if (fmt == ATTRIB_FORMAT_CSV) return write_csv(out, r, err);
  return write_text(out, r, o, baseline, ctx, err);
}
