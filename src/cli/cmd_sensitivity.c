/* attrib sensitivity evalue | rosenbaum | ovb (docs/methods/sensitivity.md). */
#include <getopt.h>
#include <stdatomic.h>
#include <unistd.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include <attrib/sensitivity.h>

static const char usage_text[] =
    "Usage: attrib sensitivity evalue --estimate X [--ci-low L --ci-high U] --type rr|or-rare|or-common|hr|smd [--sd S]\n"
    "       attrib sensitivity rosenbaum DATA --treat T --outcome Y --covariates \"a,b\" [--caliper C] [--id COL]\n"
    "       attrib sensitivity rosenbaum --pairs FILE --treated COL --control COL\n"
    "         [--gamma FROM:TO:STEP | --gamma G1,G2,...] [--alpha 0.05] [--zeros drop|keep]\n"
    "       attrib sensitivity ovb DATA --formula F --treat T [--benchmark COL ...] [--kd 1,2,3] [--ky ...] [--q 1]\n"
    "         [--alpha 0.05] [--cluster C] [--weights COL]\n"
    "       attrib sensitivity spec psm|did DATA [the estimator's options] --vary NAME=V1,V2 ... [--threads N]\n"
    "         psm: caliper, ratio, replace, method, estimand, discard, distance, link, covariates=\"a,b|a,b,c\"\n"
    "         did: control, anticipation, base_period, estimator, covariates (\"none\" for none)\n"
    "  --breakeven X (each analysis): the confounding that brings the estimate down to X, e.g. the\n"
    "         break-even effect from attrib roi: the money version of the robustness figures\n"
    "Sensitivity of a causal conclusion to unmeasured confounding (docs/methods/sensitivity.md).\n"
    "  --format text|json|csv, -o FILE, -q, -h\n";
static const char short_usage[] = "Usage: attrib sensitivity evalue|rosenbaum|ovb|spec ... (attrib sensitivity --help)\n";



/* "1:3:0.05" or "1,1.5,2" */
static int parse_gamma(const char *s, double **out, size_t *n) {
  double a, b, st;
  char tail;
  if (sscanf(s, "%lf:%lf:%lf%c", &a, &b, &st, &tail) == 3) {
    if (!(st > 0) || !(b >= a) || (b - a) / st > 1e6) return -1;
    size_t m = (size_t)floor((b - a) / st + 1e-9) + 1;
    double *v = malloc(m * sizeof *v);
    if (!v) return -1;
    for (size_t i = 0; i < m; i++) v[i] = a + (double)i * st;
    *out = v, *n = m;
    return 0;
  }
  char **items = cli_split_list(s);
  size_t m = 0;
  while (items && items[m]) m++;
  double *v = m ? malloc(m * sizeof *v) : NULL;
  for (size_t i = 0; v && i < m; i++) {
    char *end;
    v[i] = strtod(items[i], &end);
    if (*end || end == items[i]) {
      free(v), cli_list_free(items);
      return -1;
    }
  }
  cli_list_free(items);
  if (!v) return -1;
  *out = v, *n = m;
  return 0;
}

static int write_json_obj(const char *cmd, const cli_common *c, json_t *root) {
  cli_out o;
  int rc = cli_out_open(&o, c->output, cmd);
  if (rc) {
    json_decref(root);
    return rc;
  }
  int bad = json_dumpf(root, o.fp, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0 || fputc('\n', o.fp) == EOF;
  json_decref(root);
  if (bad) {
    cli_out_abort(&o);
    fprintf(stderr, "attrib %s: cannot write the output\n", cmd);
    return CLI_EXIT_DATA;
  }
  return cli_out_commit(&o, cmd);
}

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static void attrib__csv_field_cli(FILE *f, const char *s) { /* quote when needed (RFC 4180) */
  if (!strpbrk(s, ",\"\n\r")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static int cmd_evalue(int argc, char **argv) {
  const char *cmd = "sensitivity evalue";
  enum { OPT_EST = CLI_OPT_COMMAND, OPT_LO, OPT_HI, OPT_TYPE, OPT_SD, OPT_BE };
  static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                           {"estimate", required_argument, 0, OPT_EST},
                                           {"ci-low", required_argument, 0, OPT_LO},
                                           {"ci-high", required_argument, 0, OPT_HI},
                                           {"type", required_argument, 0, OPT_TYPE},
                                           {"sd", required_argument, 0, OPT_SD},
                                           {"breakeven", required_argument, 0, OPT_BE},
                                           {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  double est = NAN, lo = NAN, hi = NAN, sd = 0.0, be = NAN;
  attrib_evalue_type type = ATTRIB_EVALUE_RR;
  int rc = 0, opt, type_given = 0;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, NULL, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      return 0;
    }
    if (h) continue;
    switch (opt) {
    case OPT_EST: rc = cli_parse_double(cmd, short_usage, "--estimate", optarg, &est) ? 2 : 0; break;
    case OPT_LO: rc = cli_parse_double(cmd, short_usage, "--ci-low", optarg, &lo) ? 2 : 0; break;
    case OPT_HI: rc = cli_parse_double(cmd, short_usage, "--ci-high", optarg, &hi) ? 2 : 0; break;
    case OPT_SD: rc = cli_parse_double(cmd, short_usage, "--sd", optarg, &sd) ? 2 : 0; break;
    case OPT_BE: rc = cli_parse_double(cmd, short_usage, "--breakeven", optarg, &be) ? 2 : 0; break;
    case OPT_TYPE:
      type_given = 1;
      if (attrib_evalue_type_parse(optarg, &type, NULL))
        rc = cli_usage_error(cmd, short_usage, "--type expects rr, or-rare, or-common, hr or smd, got '%s'", optarg);
      break;
    default: break;
    }
  }
  if (rc) return rc;
  if (isnan(est) || !type_given) return cli_usage_error(cmd, short_usage, "--estimate and --type are required");
  if (sd != 0.0 && type != ATTRIB_EVALUE_SMD) return cli_usage_error(cmd, short_usage, "--sd applies to --type smd");
  attrib_evalue e;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_evalue_compute(est, lo, hi, type, sd, &e, &err);
  if (s) return cli_fail(cmd, s, &err, NULL);
  double e_be = NAN;
  if (!isnan(be)) { /* the break-even effect on the estimate's scale -> its risk ratio */
    attrib_evalue eb;
    if ((s = attrib_evalue_compute(be, NAN, NAN, type, sd, &eb, &err))) return cli_fail(cmd, s, &err, NULL);
    e_be = attrib_evalue_to(e.rr, eb.rr);
  }
  if (c.format == ATTRIB_FORMAT_JSON) {
    json_t *root = json_object();
    json_object_set_new(root, "command", json_string("sensitivity evalue"));
    json_object_set_new(root, "rr", num(e.rr));
    json_object_set_new(root, "rr_ci_low", num(e.rr_low));
    json_object_set_new(root, "rr_ci_high", num(e.rr_high));
    json_object_set_new(root, "evalue_estimate", num(e.evalue_estimate));
    json_object_set_new(root, "evalue_ci", num(e.evalue_ci));
    if (!isnan(be)) json_object_set_new(root, "evalue_breakeven", num(e_be));
    return write_json_obj(cmd, &c, root);
  }
  cli_out o;
  if ((rc = cli_out_open(&o, c.output, cmd))) return rc;
  if (c.format == ATTRIB_FORMAT_CSV)
    fprintf(o.fp, "rr,rr_ci_low,rr_ci_high,evalue_estimate,evalue_ci\n%.17g,%.17g,%.17g,%.17g,%.17g\n", e.rr, e.rr_low,
            e.rr_high, e.evalue_estimate, e.evalue_ci);
  else {
    fprintf(o.fp, "E-value (VanderWeele & Ding 2017): risk ratio %.6g", e.rr);
    if (!isnan(e.rr_low)) fprintf(o.fp, " [%.6g, %.6g]", e.rr_low, e.rr_high);
    fprintf(o.fp, "\nE-value for the estimate: %.6g\n", e.evalue_estimate);
    if (!isnan(e.evalue_ci)) fprintf(o.fp, "E-value for the confidence limit: %.6g\n", e.evalue_ci);
    if (!isnan(be)) fprintf(o.fp, "E-value to bring the estimate down to the break-even %g: %.6g\n", be, e_be);
    fprintf(o.fp, "An unmeasured confounder associated with both treatment and outcome by a risk ratio of %.3g each,\n"
                  "above the measured covariates, could explain the estimate away; weaker confounding could not.\n",
            e.evalue_estimate);
  }
  return cli_out_commit(&o, cmd);
}

/* why there is no critical Gamma, in words */
static void critical_note(const attrib_rosenbaum *rb, char *buf, size_t len) {
  if (rb->critical_status == ATTRIB_GAMMA_NOT_SIGNIFICANT)
    snprintf(buf, len, "not significant even without hidden bias (p = %.4g > %g at Gamma = 1)", rb->p_gamma1, rb->alpha);
  else
    snprintf(buf, len, "still significant at Gamma = %g, the largest tried", ATTRIB_ROSENBAUM_GAMMA_MAX);
}

static int cmd_rosenbaum(int argc, char **argv) {
  const char *cmd = "sensitivity rosenbaum";
  enum { OPT_PAIRS = CLI_OPT_COMMAND, OPT_TREATED, OPT_CONTROL, OPT_GAMMA, OPT_ALPHA, OPT_ZEROS, OPT_TREAT, OPT_OUTCOME,
         OPT_COVS, OPT_CALIPER, OPT_ID, OPT_BE };
  static const struct option longopts[] = {CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS,
                                           {"pairs", required_argument, 0, OPT_PAIRS},
                                           {"treated", required_argument, 0, OPT_TREATED},
                                           {"control", required_argument, 0, OPT_CONTROL},
                                           {"gamma", required_argument, 0, OPT_GAMMA},
                                           {"alpha", required_argument, 0, OPT_ALPHA},
                                           {"zeros", required_argument, 0, OPT_ZEROS},
                                           {"treat", required_argument, 0, OPT_TREAT},
                                           {"outcome", required_argument, 0, OPT_OUTCOME},
                                           {"covariates", required_argument, 0, OPT_COVS},
                                           {"caliper", required_argument, 0, OPT_CALIPER},
                                           {"id", required_argument, 0, OPT_ID},
                                           {"breakeven", required_argument, 0, OPT_BE},
                                           {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  const char *pairs = NULL, *tcol = NULL, *ccol = NULL, *covs = NULL;
  double alpha = 0.05, *gam = NULL, be = NAN;
  size_t n_gam = 0;
  int keep_zeros = 0, rc = 0, opt;
  attrib_psm_options po;
  attrib_psm_options_init(&po);
  attrib_formula *cov_terms = NULL;
  double *d = NULL;
  size_t n = 0;
  attrib_table *t = NULL;
  attrib_psm_result *pr = NULL;
  attrib_rosenbaum *rb = NULL;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      goto done;
    }
    if (h) continue;
    switch (opt) {
    case OPT_PAIRS: pairs = optarg; break;
    case OPT_TREATED: tcol = optarg; break;
    case OPT_CONTROL: ccol = optarg; break;
    case OPT_TREAT: po.treat = optarg; break;
    case OPT_OUTCOME: po.outcome = optarg; break;
    case OPT_COVS: covs = optarg; break;
    case OPT_ID: po.id = optarg; break;
    case OPT_BE: rc = cli_parse_double(cmd, short_usage, "--breakeven", optarg, &be) ? 2 : 0; break;
    case OPT_CALIPER: rc = cli_parse_double(cmd, short_usage, "--caliper", optarg, &po.caliper) ? 2 : 0; break;
    case OPT_ALPHA:
      rc = cli_parse_double(cmd, short_usage, "--alpha", optarg, &alpha) ? 2 : 0;
      if (!rc && !(alpha > 0 && alpha < 1)) rc = cli_usage_error(cmd, short_usage, "--alpha must lie in (0, 1)");
      break;
    case OPT_ZEROS:
      if (strcmp(optarg, "drop") && strcmp(optarg, "keep"))
        rc = cli_usage_error(cmd, short_usage, "--zeros expects drop or keep, got '%s'", optarg);
      keep_zeros = !strcmp(optarg, "keep");
      break;
    case OPT_GAMMA:
      free(gam);
      gam = NULL;
      if (parse_gamma(optarg, &gam, &n_gam))
        rc = cli_usage_error(cmd, short_usage, "--gamma expects FROM:TO:STEP or a list, got '%s'", optarg);
      break;
    default: break;
    }
  }
  if (rc) goto done;
  if (!gam && parse_gamma("1:3:0.05", &gam, &n_gam)) {
    rc = CLI_EXIT_DATA;
    goto done;
  }
  attrib_error err;
  attrib_error_clear(&err);
  if (pairs) {
    if (optind != argc || !tcol || !ccol) {
      rc = cli_usage_error(cmd, short_usage, "--pairs FILE needs --treated COL and --control COL (and no DATA)");
      goto done;
    }
    if ((rc = cli_load_table(cmd, pairs, &csv, &t))) goto done;
    size_t ct, cc;
    attrib_status s = attrib_table_column_require(t, tcol, "treated", &ct, &err);
    if (!s) s = attrib_table_column_require(t, ccol, "control", &cc, &err);
    if (!s && (t->cols[ct].type != ATTRIB_COLUMN_NUMERIC || t->cols[cc].type != ATTRIB_COLUMN_NUMERIC)) {
      fprintf(stderr, "attrib %s: %s: --treated and --control must be numeric outcome columns\n", cmd, pairs);
      rc = CLI_EXIT_DATA;
      goto done;
    }
    if (s) {
      rc = cli_fail(cmd, s, &err, NULL);
      goto done;
    }
    d = malloc((t->n_rows ? t->n_rows : 1) * sizeof *d);
    for (size_t i = 0; d && i < t->n_rows; i++) {
      double a = t->cols[ct].values[i], b = t->cols[cc].values[i];
      if (isnan(a) || isnan(b)) {
        fprintf(stderr, "attrib %s: %s: pair on data row %zu has a missing outcome\n", cmd, pairs, i + 1);
        rc = CLI_EXIT_DATA;
        goto done;
      }
      d[n++] = a - b;
    }
  } else {
    if (optind != argc - 1 || !po.treat || !po.outcome || !covs) {
      rc = cli_usage_error(cmd, short_usage, "give DATA with --treat, --outcome and --covariates, or --pairs FILE");
      goto done;
    }
    po.keep_pairs = 1;
    if ((rc = cli_load_table(cmd, argv[optind], &csv, &t))) goto done;
    if ((rc = cli_covariates(cmd, covs, t, &cov_terms))) goto done; /* names as written */
    po.covariate_terms = cov_terms;
    attrib_status s = attrib_psm_fit(t, &po, &pr, &err);
    if (s) {
      rc = cli_fail(cmd, s, &err, NULL);
      goto done;
    }
    size_t cy;
    attrib_table_column_require(t, po.outcome, "outcome", &cy, &err);
    d = malloc((pr->n_pairs ? pr->n_pairs : 1) * sizeof *d);
    for (size_t q = 0; d && q < pr->n_pairs; q++)
      d[n++] = t->cols[cy].values[pr->pairs[q].treated_row] - t->cols[cy].values[pr->pairs[q].control_row];
  }
  if (!d) {
    rc = CLI_EXIT_DATA;
    goto done;
  }
  attrib_status s = attrib_rosenbaum_compute(d, n, gam, n_gam, alpha, keep_zeros, &rb, &err);
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (c.format == ATTRIB_FORMAT_JSON) {
    json_t *root = json_object(), *tab = json_array();
    json_object_set_new(root, "command", json_string("sensitivity rosenbaum"));
    json_object_set_new(root, "n_pairs", json_integer((json_int_t)rb->n_pairs));
    json_object_set_new(root, "n_zero_differences", json_integer((json_int_t)rb->n_zero));
    json_object_set_new(root, "zeros", json_string(keep_zeros ? "keep (rank 0, as DOS2)" : "drop (as rbounds)"));
    json_object_set_new(root, "alpha", json_real(alpha));
    json_object_set_new(root, "critical_gamma", num(rb->critical_gamma));
    json_object_set_new(root, "p_gamma_1", num(rb->p_gamma1));
    json_object_set_new(root, "significant_at_gamma_1", json_boolean(rb->critical_status != ATTRIB_GAMMA_NOT_SIGNIFICANT));
    if (rb->critical_status != ATTRIB_GAMMA_FOUND) {
      char note[160];
      critical_note(rb, note, sizeof note);
      json_object_set_new(root, "critical_gamma_note", json_string(note));
    }
    if (!isnan(be)) json_object_set_new(root, "breakeven_gamma", num(attrib_rosenbaum_breakeven_gamma(d, n, keep_zeros, be)));
    for (size_t g = 0; g < rb->n_rows; g++) {
      json_t *x = json_object();
      json_object_set_new(x, "gamma", json_real(rb->rows[g].gamma));
      json_object_set_new(x, "p_upper", num(rb->rows[g].p_upper));
      json_object_set_new(x, "p_lower", num(rb->rows[g].p_lower));
      json_object_set_new(x, "hl_lower", num(rb->rows[g].hl_lower));
      json_object_set_new(x, "hl_upper", num(rb->rows[g].hl_upper));
      json_array_append_new(tab, x);
    }
    json_object_set_new(root, "table", tab);
    rc = write_json_obj(cmd, &c, root);
    goto done;
  }
  cli_out o;
  if ((rc = cli_out_open(&o, c.output, cmd))) goto done;
  if (c.format == ATTRIB_FORMAT_CSV) {
    fprintf(o.fp, "gamma,p_upper,p_lower,hl_lower,hl_upper\n");
    for (size_t g = 0; g < rb->n_rows; g++)
      fprintf(o.fp, "%.17g,%.17g,%.17g,%.17g,%.17g\n", rb->rows[g].gamma, rb->rows[g].p_upper, rb->rows[g].p_lower,
              rb->rows[g].hl_lower, rb->rows[g].hl_upper);
  } else {
    fprintf(o.fp, "Rosenbaum bounds, Wilcoxon signed-rank test: %zu pairs (%zu zero differences, %s)\n", rb->n_pairs,
            rb->n_zero, keep_zeros ? "kept with rank 0" : "dropped");
    fprintf(o.fp, "%8s %12s %12s %12s %12s\n", "Gamma", "p upper", "p lower", "HL lower", "HL upper");
    for (size_t g = 0; g < rb->n_rows; g++)
      fprintf(o.fp, "%8.4g %12.4g %12.4g %12.5g %12.5g\n", rb->rows[g].gamma, rb->rows[g].p_upper, rb->rows[g].p_lower,
              rb->rows[g].hl_lower, rb->rows[g].hl_upper);
    if (rb->critical_status == ATTRIB_GAMMA_FOUND)
      fprintf(o.fp, "Critical Gamma (upper-bound p-value exceeds %g): %.4f\n", alpha, rb->critical_gamma);
    else {
      char note[160];
      critical_note(rb, note, sizeof note);
      fprintf(o.fp, "No critical Gamma: %s\n", note);
    }
    if (!isnan(be)) {
      double g = attrib_rosenbaum_breakeven_gamma(d, n, keep_zeros, be);
      if (g == 1.0)
        fprintf(o.fp, "The lower Hodges-Lehmann bound is at or below the break-even %g already at Gamma = 1 (no hidden "
                      "bias needed)\n", be);
      else if (isnan(g))
        fprintf(o.fp, "The lower Hodges-Lehmann bound stays above the break-even %g up to Gamma = %g\n", be,
                ATTRIB_ROSENBAUM_GAMMA_MAX);
      else
        fprintf(o.fp, "Gamma at which the lower Hodges-Lehmann bound falls to the break-even %g: %.4f\n", be, g);
    }
  }
  rc = cli_out_commit(&o, cmd);
done:
  free(gam), free(d);
  attrib_formula_free(cov_terms);
  attrib_rosenbaum_free(rb);
  attrib_psm_result_free(pr);
  attrib_table_free(t);
  cli_csv_free(&csv);
  return rc;
}

/* ---- ovb ------------------------------------------------------------------ */

static void ovb_bound_json(json_t *bounds, const attrib_ovb_result *r, const attrib_ovb_bound *bd) {
  json_t *x = json_object();
  json_object_set_new(x, "benchmark", json_string(r->benchmarks[bd->benchmark]));
  json_object_set_new(x, "kd", num(bd->kd));
  json_object_set_new(x, "ky", num(bd->ky));
  json_object_set_new(x, "r2dxj_x", num(r->r2dxj_x[bd->benchmark]));
  json_object_set_new(x, "r2yxj_dx", num(r->r2yxj_dx[bd->benchmark]));
  json_object_set_new(x, "r2dz_x", num(bd->r2dz_x));
  json_object_set_new(x, "r2yz_dx", num(bd->r2yz_dx));
  json_object_set_new(x, "adjusted_estimate", num(bd->adjusted_estimate));
  json_object_set_new(x, "adjusted_se", num(bd->adjusted_se));
  json_object_set_new(x, "adjusted_t", num(bd->adjusted_t));
  json_object_set_new(x, "adjusted_lower", num(bd->adjusted_lower));
  json_object_set_new(x, "adjusted_upper", num(bd->adjusted_upper));
  json_object_set_new(x, "capped", json_boolean(bd->capped));
  json_array_append_new(bounds, x);
}

static int ovb_write(const char *cmd, const cli_common *c, const attrib_ovb_result *r, double be) {
  const attrib_ovb *ov = &r->stats;
  if (c->format == ATTRIB_FORMAT_JSON) {
    json_t *root = json_object(), *bounds = json_array();
    json_object_set_new(root, "command", json_string("sensitivity ovb"));
    json_object_set_new(root, "treat", json_string(r->treat));
    json_object_set_new(root, "estimate", num(ov->estimate));
    json_object_set_new(root, "std_error", num(ov->std_error));
    json_object_set_new(root, "t", num(ov->t));
    json_object_set_new(root, "dof", num(ov->dof));
    json_object_set_new(root, "clustered", json_boolean(r->clustered));
    json_object_set_new(root, "q", num(ov->q));
    json_object_set_new(root, "alpha", num(ov->alpha));
    json_object_set_new(root, "partial_r2_treat", num(ov->partial_r2_treat));
    json_object_set_new(root, "rv_q", num(ov->rv_q));
    json_object_set_new(root, "rv_qa", num(ov->rv_qa));
    if (!isnan(be)) {
      json_object_set_new(root, "breakeven_effect", num(be));
      json_object_set_new(root, "breakeven_rv", num(attrib_ovb_breakeven_rv(ov, be)));
    }
    json_object_set_new(root, "bounds", bounds);
    for (size_t b = 0; b < r->n_bounds; b++) ovb_bound_json(bounds, r, &r->bounds[b]);
    json_t *grid = json_object(), *axis = json_array(), *est = json_array();
    for (size_t i = 0; i < r->grid.n; i++) json_array_append_new(axis, json_real(r->grid.r2[i]));
    for (size_t i = 0; i < r->grid.n; i++) {
      json_t *row = json_array();
      for (size_t j = 0; j < r->grid.n; j++) json_array_append_new(row, num(r->grid.adjusted[i * r->grid.n + j]));
      json_array_append_new(est, row);
    }
    json_object_set_new(grid, "r2dz_x", axis);
    json_object_set_new(grid, "r2yz_dx", json_deep_copy(axis));
    json_object_set_new(grid, "adjusted_estimate", est);
    json_object_set_new(root, "grid", grid);
    return write_json_obj(cmd, c, root);
  }
  cli_out o;
  int rc = cli_out_open(&o, c->output, cmd);
  if (rc) return rc;
  if (c->format == ATTRIB_FORMAT_CSV) {
    fprintf(o.fp, "benchmark,kd,ky,r2dz_x,r2yz_dx,adjusted_estimate,adjusted_se,adjusted_t,adjusted_lower,adjusted_upper\n");
    for (size_t b = 0; b < r->n_bounds; b++) {
      const attrib_ovb_bound *bd = &r->bounds[b];
      attrib__csv_field_cli(o.fp, r->benchmarks[bd->benchmark]);
      fprintf(o.fp, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", bd->kd, bd->ky, bd->r2dz_x, bd->r2yz_dx,
              bd->adjusted_estimate, bd->adjusted_se, bd->adjusted_t, bd->adjusted_lower, bd->adjusted_upper);
    }
  } else {
    fprintf(o.fp, "Omitted-variable bias (Cinelli & Hazlett 2020) for %s: estimate %.6g, SE %.6g, t %.6g on %g df%s\n",
            r->treat, ov->estimate, ov->std_error, ov->t, ov->dof, r->clustered ? " (cluster-robust)" : "");
    fprintf(o.fp, "Partial R2 of the treatment with the outcome: %.6g\n", ov->partial_r2_treat);
    fprintf(o.fp, "Robustness value RV(q = %g): %.6g; RV(q = %g, alpha = %g): %.6g\n", ov->q, ov->rv_q, ov->q, ov->alpha,
            ov->rv_qa);
    if (ov->q == 1.0)
      fprintf(o.fp, "A confounder explaining %.1f%% of the residual variance of both treatment and outcome would remove the "
                    "estimate; %.1f%% would make it insignificant.\n",
              100 * ov->rv_q, 100 * ov->rv_qa);
    else
      fprintf(o.fp, "A confounder explaining %.1f%% of the residual variance of both treatment and outcome would move the "
                    "estimate by %g%% (to %.6g); %.1f%% would make its interval reach that value.\n",
              100 * ov->rv_q, 100 * ov->q, (1 - ov->q) * ov->estimate, 100 * ov->rv_qa);
    if (!isnan(be))
      fprintf(o.fp, "Break-even confounding: %.1f%% of both residual variances brings the estimate down to %g, where "
                    "ROI is zero.\n", 100 * attrib_ovb_breakeven_rv(ov, be), be);
    if (r->n_bounds)
      fprintf(o.fp, "\n%-16s %5s %5s %8s %8s %12s %10s %10s\n", "bound", "kd", "ky", "R2dz.x", "R2yz.dx", "adjusted",
              "lower", "upper");
    int capped = 0;
    for (size_t b = 0; b < r->n_bounds; b++) {
      const attrib_ovb_bound *bd = &r->bounds[b];
      capped |= bd->capped;
      fprintf(o.fp, "%-16s %5g %5g %8.4f %8.4f%s %12.6g %10.6g %10.6g\n", r->benchmarks[bd->benchmark], bd->kd, bd->ky,
              bd->r2dz_x, bd->r2yz_dx, bd->capped ? "*" : " ", bd->adjusted_estimate, bd->adjusted_lower,
              bd->adjusted_upper);
    }
    if (capped) fprintf(o.fp, "* the bound on R2yz.dx was above 1 and is set to 1: lower kd or ky\n");
  }
  return cli_out_commit(&o, cmd);
}

static int cmd_ovb(int argc, char **argv) {
  const char *cmd = "sensitivity ovb";
  enum { OPT_FORMULA = CLI_OPT_COMMAND, OPT_TREAT, OPT_BENCH, OPT_KD, OPT_KY, OPT_Q, OPT_ALPHA, OPT_CLUSTER, OPT_BE, OPT_W };
  static const struct option longopts[] = {CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS,
                                           {"formula", required_argument, 0, OPT_FORMULA},
                                           {"treat", required_argument, 0, OPT_TREAT},
                                           {"benchmark", required_argument, 0, OPT_BENCH},
                                           {"kd", required_argument, 0, OPT_KD},
                                           {"ky", required_argument, 0, OPT_KY},
                                           {"q", required_argument, 0, OPT_Q},
                                           {"alpha", required_argument, 0, OPT_ALPHA},
                                           {"cluster", required_argument, 0, OPT_CLUSTER},
                                           {"breakeven", required_argument, 0, OPT_BE},
                                           {"weights", required_argument, 0, OPT_W},
                                           {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  double be = NAN, *kd = NULL, *ky = NULL;
  size_t n_kd = 0, n_ky = 0;
  const char **bench = calloc((size_t)argc + 1, sizeof *bench); /* at most one per argument */
  attrib_ovb_options oo;
  attrib_ovb_options_init(&oo);
  int rc = bench ? 0 : CLI_EXIT_DATA, opt;
  attrib_table *t = NULL;
  attrib_ovb_result *r = NULL;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      goto done;
    }
    if (h) continue;
    switch (opt) {
    case OPT_FORMULA: oo.formula = optarg; break;
    case OPT_TREAT: oo.treat = optarg; break;
    case OPT_CLUSTER: oo.cluster = optarg; break;
    case OPT_W: oo.weights = optarg; break;
    case OPT_BE: rc = cli_parse_double(cmd, short_usage, "--breakeven", optarg, &be) ? 2 : 0; break;
    case OPT_BENCH: bench[oo.n_benchmarks++] = optarg; break;
    case OPT_KD:
      free(kd), kd = NULL;
      if (parse_gamma(optarg, &kd, &n_kd)) rc = cli_usage_error(cmd, short_usage, "--kd expects numbers such as 1,2,3");
      break;
    case OPT_KY:
      free(ky), ky = NULL;
      if (parse_gamma(optarg, &ky, &n_ky)) rc = cli_usage_error(cmd, short_usage, "--ky expects numbers such as 1,2,3");
      break;
    case OPT_Q: rc = cli_parse_double(cmd, short_usage, "--q", optarg, &oo.q) ? 2 : 0; break;
    case OPT_ALPHA: rc = cli_parse_double(cmd, short_usage, "--alpha", optarg, &oo.alpha) ? 2 : 0; break;
    default: break;
    }
  }
  if (rc) goto done;
  if (optind != argc - 1 || !oo.formula || !oo.treat) {
    rc = cli_usage_error(cmd, short_usage, "sensitivity ovb needs DATA, --formula and --treat");
    goto done;
  }
  if (kd) oo.kd = kd, oo.n_k = n_kd;
  if (ky && n_ky != oo.n_k) {
    rc = cli_usage_error(cmd, short_usage, "--ky needs as many values as --kd (%zu)", oo.n_k);
    goto done;
  }
  oo.ky = ky;
  oo.benchmarks = bench;
  if ((rc = cli_load_table(cmd, argv[optind], &csv, &t))) goto done;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_ovb_fit(t, &oo, &r, &err);
  if (s) {
    rc = cli_fail(cmd, s, &err, oo.formula);
    goto done;
  }
  rc = ovb_write(cmd, &c, r, be);
done:
  attrib_ovb_result_free(r);
  free(kd), free(ky), free(bench);
  attrib_table_free(t);
  cli_csv_free(&csv);
  return rc;
}

/* ---- specification sweeps ------------------------------------------------------ */

typedef struct vary {
  char *name;
  char **values; /* split on ',' (covariates: on '|') */
  size_t n;
} vary;

typedef struct spec_ctx {
  const attrib_table *t;
  int is_did;
  attrib_psm_options psm;
  attrib_did_options did;
  vary *v;
  size_t n_vary;
  char *const *rhs_sets; /* per covariate set, the formula right-hand side (NULL when not varied) */
  const char *err_name;  /* set when a value is invalid */
  cli_progress line;     /* the specifications done */
  atomic_size_t done;
  size_t total;
} spec_ctx;

/* the value index of dimension d in specification i (last dimension fastest) */
static size_t spec_index(const spec_ctx *c, size_t i, size_t d) {
  for (size_t e = c->n_vary; e-- > d + 1;) i /= c->v[e].n;
  return i % c->v[d].n;
}

/* a whole string as a number (no trailing text) */
static int number(const char *s, double *x) {
  char *end;
  *x = strtod(s, &end);
  return end != s && !*end && isfinite(*x) ? 1 : 0;
}

static int apply_psm(attrib_psm_options *o, const char *name, const char *val, const char *rhs) {
  double x;
  if (!strcmp(name, "caliper")) return number(val, &x) && x >= 0 ? (o->caliper = x, 0) : -1;
  if (!strcmp(name, "ratio")) return number(val, &x) && x >= 1 && x == floor(x) ? (o->ratio = (size_t)x, 0) : -1;
  if (!strcmp(name, "replace")) {
    if (strcmp(val, "0") && strcmp(val, "1") && strcmp(val, "true") && strcmp(val, "false")) return -1;
    return (o->replace = !strcmp(val, "1") || !strcmp(val, "true")), 0;
  }
  if (!strcmp(name, "method")) return attrib_psm_method_parse(val, &o->method, NULL) ? -1 : 0;
  if (!strcmp(name, "estimand")) return attrib_estimand_parse(val, &o->estimand, NULL) ? -1 : 0;
  if (!strcmp(name, "discard")) return attrib_discard_parse(val, &o->discard, NULL) ? -1 : 0;
  if (!strcmp(name, "link")) return attrib_link_parse(val, &o->link, NULL) ? -1 : 0;
  if (!strcmp(name, "distance")) return strcmp(val, "logit") && strcmp(val, "score") ? -1 : (o->distance_logit = !strcmp(val, "logit"), 0);
  if (!strcmp(name, "covariates")) return (o->covariates = rhs), 0;
  return -1;
}

static int apply_did(attrib_did_options *o, const char *name, const char *val, const char *rhs) {
  double x;
  if (!strcmp(name, "control")) return strcmp(val, "never") && strcmp(val, "notyet") ? -1 : (o->control_notyet = !strcmp(val, "notyet"), 0);
  if (!strcmp(name, "anticipation")) return number(val, &x) && x >= 0 && x == floor(x) ? (o->anticipation = (size_t)x, 0) : -1;
  if (!strcmp(name, "base_period")) return strcmp(val, "varying") && strcmp(val, "universal") ? -1 : (o->base_universal = !strcmp(val, "universal"), 0);
  if (!strcmp(name, "estimator")) {
    if (!strcmp(val, "cs")) return o->estimator = ATTRIB_DID_CS, 0;
    if (!strcmp(val, "twfe")) return o->estimator = ATTRIB_DID_TWFE, 0;
    return -1;
  }
  if (!strcmp(name, "covariates")) return (o->covariates = rhs && strcmp(rhs, "none") ? rhs : NULL), 0;
  return -1;
}

static void run_spec(void *ctx, size_t i, attrib_spec_result *out) {
  spec_ctx *c = ctx;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_psm_options po = c->psm;
  attrib_did_options dop = c->did;
  for (size_t d = 0; d < c->n_vary; d++) {
    size_t k = spec_index(c, i, d);
    const char *rhs = !strcmp(c->v[d].name, "covariates") ? c->rhs_sets[k] : NULL;
    if (c->is_did ? apply_did(&dop, c->v[d].name, c->v[d].values[k], rhs) : apply_psm(&po, c->v[d].name, c->v[d].values[k], rhs)) {
      out->status = ATTRIB_EINVAL;
      /* the name is one of the sweep's option names, checked when the sweep was read */
      snprintf(out->message, sizeof out->message, "invalid value for %s", c->v[d].name);
      return;
    }
  }
  if (c->is_did) {
    attrib_did_result *r = NULL;
    out->status = attrib_did_fit(c->t, &dop, &r, &err);
    if (!out->status) {
      out->estimate = r->effect.estimate, out->std_error = r->effect.std_error;
      out->ci_low = r->effect.ci_low, out->ci_high = r->effect.ci_high, out->p_value = r->effect.p_value;
      out->n_used = r->n_units;
    }
    attrib_did_result_free(r);
  } else {
    attrib_psm_result *r = NULL;
    out->status = attrib_psm_fit(c->t, &po, &r, &err);
    if (!out->status) {
      out->estimate = r->effect.estimate, out->std_error = r->effect.std_error;
      out->ci_low = r->effect.ci_low, out->ci_high = r->effect.ci_high, out->p_value = r->effect.p_value;
      out->n_used = r->n_treated_matched;
    }
    attrib_psm_result_free(r);
  }
  if (out->status) snprintf(out->message, sizeof out->message, "%s", err.message);
  size_t d = atomic_fetch_add(&c->done, 1) + 1;
  cli_progress_show(&c->line, "%zu/%zu specifications", d, c->total); /* from whichever thread finished */
}

/* the values of specification i, "name=value name=value" */
static void spec_values_text(FILE *fp, const spec_ctx *sc, size_t i) {
  for (size_t d = 0; d < sc->n_vary; d++)
    fprintf(fp, "%s%s=%s", d ? " " : "", sc->v[d].name, sc->v[d].values[spec_index(sc, i, d)]);
}

static int spec_write(const char *cmd, const cli_common *c, const spec_ctx *sc, const attrib_spec_result *res,
                      const attrib_spec_summary *sum) {
  size_t nv = sc->n_vary, n_specs = sum->n_specs;
  const vary *v = sc->v;
  if (c->format == ATTRIB_FORMAT_JSON) {
    json_t *root = json_object(), *specs = json_array(), *names = json_array();
    json_object_set_new(root, "command", json_string(sc->is_did ? "sensitivity spec did" : "sensitivity spec psm"));
    for (size_t d = 0; d < nv; d++) json_array_append_new(names, json_string(v[d].name));
    json_object_set_new(root, "varying", names);
    for (size_t i = 0; i < n_specs; i++) {
      json_t *x = json_object(), *vals = json_object();
      for (size_t d = 0; d < nv; d++) json_object_set_new(vals, v[d].name, json_string(v[d].values[spec_index(sc, i, d)]));
      json_object_set_new(x, "values", vals);
      if (!res[i].status) {
        json_object_set_new(x, "estimate", num(res[i].estimate));
        json_object_set_new(x, "std_error", num(res[i].std_error));
        json_object_set_new(x, "ci_low", num(res[i].ci_low));
        json_object_set_new(x, "ci_high", num(res[i].ci_high));
        json_object_set_new(x, "p_value", num(res[i].p_value));
        json_object_set_new(x, "n_used", json_integer((json_int_t)res[i].n_used));
      } else {
        json_object_set_new(x, "error", json_string(res[i].message));
      }
      json_array_append_new(specs, x);
    }
    json_object_set_new(root, "specs", specs);
    json_t *js = json_object(), *fails = json_array();
    json_object_set_new(js, "n_specs", json_integer((json_int_t)n_specs));
    json_object_set_new(js, "n_estimated", json_integer((json_int_t)sum->n_estimated));
    json_object_set_new(js, "n_failed", json_integer((json_int_t)sum->n_failed));
    json_object_set_new(js, "min_estimate", num(sum->min_estimate));
    json_object_set_new(js, "median_estimate", num(sum->median_estimate));
    json_object_set_new(js, "max_estimate", num(sum->max_estimate));
    json_object_set_new(js, "share_significant", num(sum->share_significant));
    json_object_set_new(js, "share_positive", num(sum->share_positive));
    for (size_t g = 0; g < sum->n_reasons; g++) {
      json_t *x = json_object();
      json_object_set_new(x, "reason", json_string(sum->reasons[g].reason));
      json_object_set_new(x, "status", json_string(attrib_status_name(sum->reasons[g].status)));
      json_object_set_new(x, "count", json_integer((json_int_t)sum->reasons[g].count));
      json_object_set_new(x, "first_spec", json_integer((json_int_t)sum->reasons[g].first));
      json_array_append_new(fails, x);
    }
    json_object_set_new(js, "failures", fails);
    json_object_set_new(root, "summary", js);
    return write_json_obj(cmd, c, root);
  }
  cli_out o;
  int rc = cli_out_open(&o, c->output, cmd);
  if (rc) return rc;
  int csvf = c->format == ATTRIB_FORMAT_CSV;
  if (!csvf) fprintf(o.fp, "Specification curve: %zu specifications, %zu failed\n", n_specs, sum->n_failed);
  for (size_t d = 0; d < nv; d++) fprintf(o.fp, csvf ? "%s," : "%-14s ", v[d].name);
  fprintf(o.fp, csvf ? "estimate,std_error,ci_low,ci_high,p_value,n_used,error\n" : "%12s %10s %12s %12s %8s\n", "estimate",
          "SE", "CI low", "CI high", "n used");
  for (size_t i = 0; i < n_specs; i++) {
    for (size_t d = 0; d < nv; d++) {
      const char *val = v[d].values[spec_index(sc, i, d)];
      if (csvf) {
        attrib__csv_field_cli(o.fp, val);
        fputc(',', o.fp);
      } else {
        fprintf(o.fp, "%-14s ", val);
      }
    }
    if (res[i].status) {
      if (csvf) {
        fputs(",,,,,,", o.fp);
        attrib__csv_field_cli(o.fp, res[i].message);
        fputc('\n', o.fp);
      } else {
        fprintf(o.fp, "failed: %s\n", res[i].message);
      }
    } else if (csvf)
      fprintf(o.fp, "%.17g,%.17g,%.17g,%.17g,%.17g,%zu,\n", res[i].estimate, res[i].std_error, res[i].ci_low, res[i].ci_high,
              res[i].p_value, res[i].n_used);
    else
      fprintf(o.fp, "%12.6g %10.4g %12.6g %12.6g %8zu\n", res[i].estimate, res[i].std_error, res[i].ci_low, res[i].ci_high,
              res[i].n_used);
  }
  if (!csvf) {
    if (!sum->n_estimated)
      fprintf(o.fp, "No specification could be estimated: %s %zu failed\n", n_specs == 1 ? "the" : "all", n_specs);
    else if (!sum->n_failed)
      fprintf(o.fp, "Estimates from %.6g to %.6g (median %.6g); %.0f%% of specifications significant, %.0f%% positive\n",
              sum->min_estimate, sum->max_estimate, sum->median_estimate, 100 * sum->share_significant,
              100 * sum->share_positive);
    else
      fprintf(o.fp, "Estimated %zu of %zu specifications: estimates from %.6g to %.6g (median %.6g); %.0f%% of them "
                    "significant, %.0f%% positive\n",
              sum->n_estimated, n_specs, sum->min_estimate, sum->max_estimate, sum->median_estimate,
              100 * sum->share_significant, 100 * sum->share_positive);
    if (sum->n_failed) fprintf(o.fp, "Failed (%zu):\n", sum->n_failed);
    for (size_t g = 0; g < sum->n_reasons; g++) {
      fprintf(o.fp, "  %zu x %s (first: ", sum->reasons[g].count, sum->reasons[g].reason);
      spec_values_text(o.fp, sc, sum->reasons[g].first);
      fputs(")\n", o.fp);
    }
  }
  return cli_out_commit(&o, cmd);
}

static int cmd_spec(int argc, char **argv) {
  const char *cmd = "sensitivity spec";
  if (argc < 2 || (strcmp(argv[1], "psm") && strcmp(argv[1], "did")))
    return cli_usage_error(cmd, short_usage, "sensitivity spec expects psm or did, then DATA and the estimator's options");
  int is_did = !strcmp(argv[1], "did");
  argc--, argv++;
  enum { OPT_VARY = CLI_OPT_COMMAND, OPT_TREAT, OPT_OUTCOME, OPT_COVS, OPT_ID, OPT_ESTIMAND, OPT_METHOD, OPT_REPLACE,
         OPT_RATIO, OPT_CALIPER, OPT_UNIT, OPT_TIME, OPT_COHORT, OPT_CLUSTER, OPT_ESTIMATOR, OPT_CONTROL, OPT_LEVEL,
         OPT_THREADS };
  static const struct option longopts[] = {CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS,
                                           {"vary", required_argument, 0, OPT_VARY},
                                           {"treat", required_argument, 0, OPT_TREAT},
                                           {"outcome", required_argument, 0, OPT_OUTCOME},
                                           {"covariates", required_argument, 0, OPT_COVS},
                                           {"id", required_argument, 0, OPT_ID},
                                           {"estimand", required_argument, 0, OPT_ESTIMAND},
                                           {"method", required_argument, 0, OPT_METHOD},
                                           {"replace", no_argument, 0, OPT_REPLACE},
                                           {"ratio", required_argument, 0, OPT_RATIO},
                                           {"caliper", required_argument, 0, OPT_CALIPER},
                                           {"unit", required_argument, 0, OPT_UNIT},
                                           {"time", required_argument, 0, OPT_TIME},
                                           {"cohort", required_argument, 0, OPT_COHORT},
                                           {"cluster", required_argument, 0, OPT_CLUSTER},
                                           {"estimator", required_argument, 0, OPT_ESTIMATOR},
                                           {"control", required_argument, 0, OPT_CONTROL},
                                           {"level", required_argument, 0, OPT_LEVEL},
                                           {"threads", required_argument, 0, OPT_THREADS},
                                           {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  spec_ctx sc = {0};
  attrib_psm_options_init(&sc.psm);
  attrib_did_options_init(&sc.did);
  sc.is_did = is_did;
  vary v[8];
  size_t nv = 0, threads = 0;
  char *base_rhs = NULL, **rhs_sets = NULL;
  attrib_table *t = NULL;
  attrib_spec_result *res = NULL;
  attrib_spec_summary *sum = NULL;
  int rc = 0, opt;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      goto done;
    }
    if (h) continue;
    double x;
    switch (opt) {
    case OPT_VARY: {
      const char *eq = strchr(optarg, '=');
      if (!eq || eq == optarg || nv == 8) {
        rc = cli_usage_error(cmd, short_usage, "--vary expects NAME=V1,V2 (covariate sets: \"a,b|a,b,c\"), at most 8");
        break;
      }
      v[nv].name = strndup(optarg, (size_t)(eq - optarg));
      int cov = !strcmp(v[nv].name, "covariates");
      /* covariate sets are separated by '|', other values by ',' */
      char *copy = strdup(eq + 1), *save = NULL;
      size_t cap = 8, n = 0;
      char **vals = malloc(cap * sizeof *vals);
      double ra, rb, rs;
      char tail;
      if (!cov && sscanf(eq + 1, "%lf:%lf:%lf%c", &ra, &rb, &rs, &tail) == 3 && rs > 0 && rb >= ra && (rb - ra) / rs < 1e5) {
        /* FROM:TO:STEP */
        size_t m = (size_t)floor((rb - ra) / rs + 1e-9) + 1;
        free(vals);
        vals = malloc(m * sizeof *vals);
        for (size_t i = 0; vals && i < m; i++) {
          char buf[32];
          snprintf(buf, sizeof buf, "%.10g", ra + (double)i * rs);
          vals[n++] = strdup(buf);
        }
      } else {
        for (char *tok = strtok_r(copy, cov ? "|" : ",", &save); tok && vals; tok = strtok_r(NULL, cov ? "|" : ",", &save)) {
          if (n == cap) vals = realloc(vals, (cap *= 2) * sizeof *vals);
          if (vals) vals[n++] = strdup(tok);
        }
      }
      free(copy);
      v[nv].values = vals, v[nv].n = n;
      nv++;
      if (!n) rc = cli_usage_error(cmd, short_usage, "--vary '%s' has no values", optarg);
      break;
    }
    case OPT_TREAT: sc.psm.treat = optarg; break;
    case OPT_OUTCOME: sc.psm.outcome = sc.did.outcome = optarg; break;
    case OPT_COVS: free(base_rhs); base_rhs = cli_covariates_rhs(optarg); break;
    case OPT_ID: sc.psm.id = optarg; break;
    case OPT_REPLACE: sc.psm.replace = 1; break;
    case OPT_UNIT: sc.did.unit = optarg; break;
    case OPT_TIME: sc.did.time = optarg; break;
    case OPT_COHORT: sc.did.cohort = optarg; break;
    case OPT_CLUSTER: sc.did.cluster = optarg; break;
    case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &threads) ? 2 : 0; break;
    case OPT_LEVEL: rc = cli_parse_double(cmd, short_usage, "--level", optarg, &x) ? 2 : 0; sc.psm.level = sc.did.level = x; break;
    case OPT_ESTIMAND: if (apply_psm(&sc.psm, "estimand", optarg, NULL)) rc = cli_usage_error(cmd, short_usage, "bad --estimand"); break;
    case OPT_METHOD: if (apply_psm(&sc.psm, "method", optarg, NULL)) rc = cli_usage_error(cmd, short_usage, "bad --method"); break;
    case OPT_RATIO: if (apply_psm(&sc.psm, "ratio", optarg, NULL)) rc = cli_usage_error(cmd, short_usage, "bad --ratio"); break;
    case OPT_CALIPER: if (apply_psm(&sc.psm, "caliper", optarg, NULL)) rc = cli_usage_error(cmd, short_usage, "bad --caliper"); break;
    case OPT_ESTIMATOR: if (apply_did(&sc.did, "estimator", optarg, NULL)) rc = cli_usage_error(cmd, short_usage, "bad --estimator"); break;
    case OPT_CONTROL: if (apply_did(&sc.did, "control", optarg, NULL)) rc = cli_usage_error(cmd, short_usage, "bad --control"); break;
    default: break;
    }
  }
  if (rc) goto done;
  if (optind != argc - 1 || !nv) {
    rc = cli_usage_error(cmd, short_usage, "sensitivity spec %s needs DATA and at least one --vary NAME=V1,V2", is_did ? "did" : "psm");
    goto done;
  }
  sc.psm.covariates = base_rhs;
  sc.did.covariates = base_rhs;
  sc.psm.threads = sc.did.threads = 1; /* the specifications run in parallel instead */
  /* the covariate sets' right-hand sides, and a dry check of every value */
  size_t n_specs = 1;
  for (size_t d = 0; d < nv; d++) {
    n_specs *= v[d].n;
    int cov = !strcmp(v[d].name, "covariates");
    if (cov) {
      rhs_sets = calloc(v[d].n, sizeof *rhs_sets);
      for (size_t k = 0; rhs_sets && k < v[d].n; k++) rhs_sets[k] = cli_covariates_rhs(v[d].values[k]);
    }
    for (size_t k = 0; k < v[d].n; k++) {
      attrib_psm_options tp = sc.psm;
      attrib_did_options td = sc.did;
      const char *rhs = cov && rhs_sets ? rhs_sets[k] : NULL;
      if (is_did ? apply_did(&td, v[d].name, v[d].values[k], rhs) : apply_psm(&tp, v[d].name, v[d].values[k], rhs)) {
        rc = cli_usage_error(cmd, short_usage, "--vary %s: '%s' is not a valid value (or %s cannot be varied for %s)",
                             v[d].name, v[d].values[k], v[d].name, is_did ? "did" : "psm");
        goto done;
      }
    }
  }
  if (n_specs > 100000) {
    rc = cli_usage_error(cmd, short_usage, "%zu specifications: at most 100,000", n_specs);
    goto done;
  }
  sc.v = v, sc.n_vary = nv, sc.rhs_sets = rhs_sets;
  if ((rc = cli_load_table(cmd, argv[optind], &csv, &t))) goto done;
  sc.t = t;
  res = calloc(n_specs, sizeof *res);
  if (!res) {
    rc = CLI_EXIT_DATA;
    goto done;
  }
  sc.total = n_specs;
  atomic_init(&sc.done, 0);
  cli_progress_start(&sc.line, cmd, c.quiet);
  attrib_spec_run(n_specs, threads, run_spec, &sc, res);
  cli_progress_end(&sc.line);
  /* the specification curve's summary (the library's: estimated specifications only) */
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status st = attrib_spec_summarize(res, n_specs, &sum, &err);
  if (st) {
    rc = cli_fail(cmd, st, &err, NULL);
    goto done;
  }
  rc = spec_write(cmd, &c, &sc, res, sum);
done:
  for (size_t d = 0; d < nv; d++) {
    for (size_t k = 0; k < v[d].n; k++) free(v[d].values[k]);
    if (rhs_sets && !strcmp(v[d].name, "covariates"))
      for (size_t k = 0; k < v[d].n; k++) free(rhs_sets[k]);
    free(v[d].values), free(v[d].name);
  }
  free(rhs_sets), free(base_rhs), free(res);
  attrib_spec_summary_free(sum);
  attrib_table_free(t);
  cli_csv_free(&csv);
  return rc;
}

int cmd_sensitivity(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    if (argc < 2) return cli_usage_error("sensitivity", short_usage, "which analysis? evalue, rosenbaum, ovb or spec");
    fputs(usage_text, stdout);
    return 0;
  }
  if (!strcmp(argv[1], "evalue")) return cmd_evalue(argc - 1, argv + 1);
  if (!strcmp(argv[1], "rosenbaum")) return cmd_rosenbaum(argc - 1, argv + 1);
  if (!strcmp(argv[1], "ovb")) return cmd_ovb(argc - 1, argv + 1);
  if (!strcmp(argv[1], "spec")) return cmd_spec(argc - 1, argv + 1);
  return cli_usage_error("sensitivity", short_usage, "unknown analysis '%s' (evalue, rosenbaum, ovb, spec)", argv[1]);
}
