/* attrib sensitivity evalue | rosenbaum (docs/methods/sensitivity.md; ovb is issue 7's next step). */
#include <getopt.h>
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
    "Sensitivity of a causal conclusion to unmeasured confounding (docs/methods/sensitivity.md).\n"
    "  --format text|json|csv, -o FILE, -q, -h\n";
static const char short_usage[] = "Usage: attrib sensitivity evalue|rosenbaum ... (attrib sensitivity --help)\n";



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

static int cmd_evalue(int argc, char **argv) {
  const char *cmd = "sensitivity evalue";
  enum { OPT_EST = CLI_OPT_COMMAND, OPT_LO, OPT_HI, OPT_TYPE, OPT_SD };
  static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                           {"estimate", required_argument, 0, OPT_EST},
                                           {"ci-low", required_argument, 0, OPT_LO},
                                           {"ci-high", required_argument, 0, OPT_HI},
                                           {"type", required_argument, 0, OPT_TYPE},
                                           {"sd", required_argument, 0, OPT_SD},
                                           {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  double est = NAN, lo = NAN, hi = NAN, sd = 0.0;
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
  if (c.format == ATTRIB_FORMAT_JSON) {
    json_t *root = json_object();
    json_object_set_new(root, "command", json_string("sensitivity evalue"));
    json_object_set_new(root, "rr", num(e.rr));
    json_object_set_new(root, "rr_ci_low", num(e.rr_low));
    json_object_set_new(root, "rr_ci_high", num(e.rr_high));
    json_object_set_new(root, "evalue_estimate", num(e.evalue_estimate));
    json_object_set_new(root, "evalue_ci", num(e.evalue_ci));
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
    fprintf(o.fp, "An unmeasured confounder associated with both treatment and outcome by a risk ratio of %.3g each,\n"
                  "above the measured covariates, could explain the estimate away; weaker confounding could not.\n",
            e.evalue_estimate);
  }
  return cli_out_commit(&o, cmd);
}

static int cmd_rosenbaum(int argc, char **argv) {
  const char *cmd = "sensitivity rosenbaum";
  enum { OPT_PAIRS = CLI_OPT_COMMAND, OPT_TREATED, OPT_CONTROL, OPT_GAMMA, OPT_ALPHA, OPT_ZEROS, OPT_TREAT, OPT_OUTCOME,
         OPT_COVS, OPT_CALIPER, OPT_ID };
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
                                           {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  const char *pairs = NULL, *tcol = NULL, *ccol = NULL, *covs = NULL;
  double alpha = 0.05, *gam = NULL;
  size_t n_gam = 0;
  int keep_zeros = 0, rc = 0, opt;
  attrib_psm_options po;
  attrib_psm_options_init(&po);
  char *rhs = NULL;
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
    if (!(rhs = cli_covariates_rhs(covs))) {
      rc = CLI_EXIT_DATA;
      goto done;
    }
    po.covariates = rhs;
    po.keep_pairs = 1;
    if ((rc = cli_load_table(cmd, argv[optind], &csv, &t))) goto done;
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
    if (isfinite(rb->critical_gamma))
      fprintf(o.fp, "Critical Gamma (upper-bound p-value exceeds %g): %.4f\n", alpha, rb->critical_gamma);
  }
  rc = cli_out_commit(&o, cmd);
done:
  free(gam), free(d), free(rhs);
  attrib_rosenbaum_free(rb);
  attrib_psm_result_free(pr);
  attrib_table_free(t);
  cli_csv_free(&csv);
  return rc;
}

int cmd_sensitivity(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    if (argc < 2) return cli_usage_error("sensitivity", short_usage, "which analysis? evalue or rosenbaum (ovb is not built yet)");
    fputs(usage_text, stdout);
    return 0;
  }
  if (!strcmp(argv[1], "evalue")) return cmd_evalue(argc - 1, argv + 1);
  if (!strcmp(argv[1], "rosenbaum")) return cmd_rosenbaum(argc - 1, argv + 1);
  return cli_usage_error("sensitivity", short_usage, "unknown analysis '%s' (evalue, rosenbaum; ovb is not built yet)", argv[1]);
}
