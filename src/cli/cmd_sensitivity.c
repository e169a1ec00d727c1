/* attrib sensitivity evalue | rosenbaum | ovb (docs/methods/sensitivity.md). */
#include <getopt.h>
#include <unistd.h>
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

/* Ends a write to o: commits it when the writer succeeded, else removes it and says why. */
static int out_end(const char *cmd, cli_out *o, attrib_status s, const attrib_error *err) {
  if (s) {
    cli_out_abort(o);
    return cli_fail(cmd, s, err, NULL);
  }
  return cli_out_commit(o, cmd);
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
  cli_out o;
  if ((rc = cli_out_open(&o, c.output, cmd))) return rc;
  return out_end(cmd, &o, attrib_report_write_evalue(o.fp, &e, be, e_be, c.format, &err), &err);
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
  double g_be = isnan(be) ? NAN : attrib_rosenbaum_breakeven_gamma(d, n, keep_zeros, be);
  cli_out o;
  if (!(rc = cli_out_open(&o, c.output, cmd)))
    rc = out_end(cmd, &o, attrib_report_write_rosenbaum(o.fp, rb, be, g_be, c.format, &err), &err);
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
  double rv_be = isnan(be) ? NAN : attrib_ovb_breakeven_rv(&r->stats, be);
  cli_out o;
  if (!(rc = cli_out_open(&o, c.output, cmd)))
    rc = out_end(cmd, &o, attrib_report_write_ovb(o.fp, r, be, rv_be, c.format, &err), &err);
done:
  attrib_ovb_result_free(r);
  free(kd), free(ky), free(bench);
  attrib_table_free(t);
  cli_csv_free(&csv);
  return rc;
}

/* ---- specification sweeps ------------------------------------------------------ */

/* A --vary NAME=V1,V2 as given (covariate sets separated by '|'), with each
 * covariate set's right-hand side. */
typedef struct vary {
  char *name;
  char **values, **rhs;
  size_t n;
} vary;

static void vary_free(vary *v) {
  for (size_t k = 0; k < v->n; k++) free(v->values[k]), free(v->rhs ? v->rhs[k] : NULL);
  free(v->values), free(v->rhs), free(v->name);
}

/* NAME=V1,V2, NAME=FROM:TO:STEP, or covariates="a,b|a,b,c"; 0 or -1 */
static int vary_parse(const char *arg, vary *v) {
  const char *eq = strchr(arg, '=');
  memset(v, 0, sizeof *v);
  if (!eq || eq == arg || !(v->name = strndup(arg, (size_t)(eq - arg)))) return -1;
  int cov = !strcmp(v->name, "covariates");
  double a, b, st;
  char tail;
  if (!cov && sscanf(eq + 1, "%lf:%lf:%lf%c", &a, &b, &st, &tail) == 3 && st > 0 && b >= a && (b - a) / st < 1e5) {
    size_t m = (size_t)floor((b - a) / st + 1e-9) + 1;
    v->values = calloc(m, sizeof *v->values);
    for (size_t i = 0; v->values && i < m; i++) {
      char buf[32]; /* a %.10g number */
      snprintf(buf, sizeof buf, "%.10g", a + (double)i * st);
      v->values[v->n++] = strdup(buf);
    }
    return v->values ? 0 : -1;
  }
  char *copy = strdup(eq + 1), *save = NULL;
  size_t cap = 8;
  v->values = malloc(cap * sizeof *v->values);
  for (char *tok = strtok_r(copy, cov ? "|" : ",", &save); tok && v->values; tok = strtok_r(NULL, cov ? "|" : ",", &save)) {
    if (v->n == cap) v->values = realloc(v->values, (cap *= 2) * sizeof *v->values);
    if (v->values) v->values[v->n++] = strdup(tok);
  }
  free(copy);
  if (cov && v->values && (v->rhs = calloc(v->n ? v->n : 1, sizeof *v->rhs)))
    for (size_t k = 0; k < v->n; k++) v->rhs[k] = cli_covariates_rhs(v->values[k]);
  return v->values ? 0 : -1;
}

static void spec_progress(void *ctx, size_t done, size_t total) {
  cli_progress_show(ctx, "%zu/%zu specifications", done, total); /* from whichever thread finished */
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
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS, {"vary", required_argument, 0, OPT_VARY},
      {"treat", required_argument, 0, OPT_TREAT}, {"outcome", required_argument, 0, OPT_OUTCOME},
      {"covariates", required_argument, 0, OPT_COVS}, {"id", required_argument, 0, OPT_ID},
      {"estimand", required_argument, 0, OPT_ESTIMAND}, {"method", required_argument, 0, OPT_METHOD},
      {"replace", no_argument, 0, OPT_REPLACE}, {"ratio", required_argument, 0, OPT_RATIO},
      {"caliper", required_argument, 0, OPT_CALIPER}, {"unit", required_argument, 0, OPT_UNIT},
      {"time", required_argument, 0, OPT_TIME}, {"cohort", required_argument, 0, OPT_COHORT},
      {"cluster", required_argument, 0, OPT_CLUSTER}, {"estimator", required_argument, 0, OPT_ESTIMATOR},
      {"control", required_argument, 0, OPT_CONTROL}, {"level", required_argument, 0, OPT_LEVEL},
      {"threads", required_argument, 0, OPT_THREADS}, {0, 0, 0, 0}};
  /* the estimator flags a sweep takes as its base, set as the sweep sets them */
  static const struct { int opt; const char *name, *flag; } base_flags[] = {
      {OPT_ESTIMAND, "estimand", "--estimand"}, {OPT_METHOD, "method", "--method"},
      {OPT_RATIO, "ratio", "--ratio"}, {OPT_CALIPER, "caliper", "--caliper"},
      {OPT_ESTIMATOR, "estimator", "--estimator"}, {OPT_CONTROL, "control", "--control"}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  attrib_spec_options so;
  attrib_spec_options_init(&so);
  so.estimator = is_did ? ATTRIB_SPEC_DID : ATTRIB_SPEC_PSM;
  vary v[ATTRIB_SPEC_MAX_DIMS];
  attrib_spec_dim dims[ATTRIB_SPEC_MAX_DIMS];
  size_t nv = 0;
  char *base_rhs = NULL;
  attrib_table *t = NULL;
  attrib_spec_result *res = NULL;
  attrib_spec_summary *sum = NULL;
  attrib_error err;
  attrib_error_clear(&err);
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
    for (size_t b = 0; b < sizeof base_flags / sizeof *base_flags; b++)
      if (opt == base_flags[b].opt &&
          (opt == OPT_ESTIMATOR || opt == OPT_CONTROL ? attrib_spec_set_did(&so.did, base_flags[b].name, optarg, NULL, NULL)
                                                      : attrib_spec_set_psm(&so.psm, base_flags[b].name, optarg, NULL, NULL)))
        rc = cli_usage_error(cmd, short_usage, "bad %s", base_flags[b].flag);
    double x;
    switch (opt) {
    case OPT_VARY:
      if (nv == ATTRIB_SPEC_MAX_DIMS || vary_parse(optarg, &v[nv])) {
        if (nv < ATTRIB_SPEC_MAX_DIMS) vary_free(&v[nv]);
        rc = cli_usage_error(cmd, short_usage, "--vary expects NAME=V1,V2 (covariate sets: \"a,b|a,b,c\"), at most 8");
      } else if (!v[nv++].n) {
        rc = cli_usage_error(cmd, short_usage, "--vary '%s' has no values", optarg);
      }
      break;
    case OPT_TREAT: so.psm.treat = optarg; break;
    case OPT_OUTCOME: so.psm.outcome = so.did.outcome = optarg; break;
    case OPT_COVS: free(base_rhs); base_rhs = cli_covariates_rhs(optarg); break;
    case OPT_ID: so.psm.id = optarg; break;
    case OPT_REPLACE: so.psm.replace = 1; break;
    case OPT_UNIT: so.did.unit = optarg; break;
    case OPT_TIME: so.did.time = optarg; break;
    case OPT_COHORT: so.did.cohort = optarg; break;
    case OPT_CLUSTER: so.did.cluster = optarg; break;
    case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &so.threads) ? 2 : 0; break;
    case OPT_LEVEL: rc = cli_parse_double(cmd, short_usage, "--level", optarg, &x) ? 2 : 0; so.psm.level = so.did.level = x; break;
    default: break;
    }
  }
  if (rc) goto done;
  if (optind != argc - 1 || !nv) {
    rc = cli_usage_error(cmd, short_usage, "sensitivity spec %s needs DATA and at least one --vary NAME=V1,V2", is_did ? "did" : "psm");
    goto done;
  }
  so.psm.covariates = so.did.covariates = base_rhs;
  for (size_t d = 0; d < nv; d++)
    dims[d] = (attrib_spec_dim){v[d].name, (const char *const *)v[d].values, (const char *const *)v[d].rhs, v[d].n};
  so.dims = dims, so.n_dims = nv;
  attrib_status st = attrib_spec_check(&so, &err);
  if (st) {
    int value = err.option && !strcmp(err.option, "spec.dims.values");
    rc = st == ATTRIB_EUSAGE ? cli_usage_error(cmd, short_usage, "%s%s", value ? "--vary " : "", err.message)
                             : cli_fail(cmd, st, &err, NULL);
    goto done;
  }
  if ((rc = cli_load_table(cmd, argv[optind], &csv, &t))) goto done;
  cli_progress line;
  cli_progress_start(&line, cmd, c.quiet);
  so.progress = spec_progress, so.progress_ctx = &line;
  st = attrib_spec_sweep(t, &so, &res, &err);
  cli_progress_end(&line);
  /* the specification curve's summary (over the estimated specifications only) */
  if (!st) st = attrib_spec_summarize(res, attrib_spec_count(&so), &sum, &err);
  if (st) {
    rc = cli_fail(cmd, st, &err, NULL);
    goto done;
  }
  cli_out o;
  if (!(rc = cli_out_open(&o, c.output, cmd)))
    rc = out_end(cmd, &o, attrib_report_write_spec(o.fp, &so, res, sum, c.format, &err), &err);
done:
  for (size_t d = 0; d < nv; d++) vary_free(&v[d]);
  free(base_rhs);
  attrib_spec_results_free(res);
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
