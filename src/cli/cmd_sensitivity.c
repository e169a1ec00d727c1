/* attrib sensitivity evalue | rosenbaum | ovb | spec (docs/methods/sensitivity.md): each parses its flags
 * into the library's options, runs the analysis and hands the result to its writer (src/output). */
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

/* Ends a write to o: commits it when the writer succeeded, else removes it and says why. */
static int out_end(const char *cmd, cli_out *o, attrib_status s, const attrib_error *err) {
  if (s) {
    cli_out_abort(o);
    return cli_fail(cmd, s, err, NULL);
  }
  return cli_out_commit(o, cmd);
}

/* ---- evalue ---------------------------------------------------------------------- */

static int evalue_type(void *ctx, size_t i, const char *arg) {
  (void)i;
  if (!attrib_evalue_type_parse(arg, ctx, NULL)) return 0;
  return cli_usage_error("sensitivity evalue", short_usage, "--type expects rr, or-rare, or-common, hr or smd, got '%s'", arg);
}

static int cmd_evalue(int argc, char **argv) {
  const char *cmd = "sensitivity evalue";
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  double est = NAN, lo = NAN, hi = NAN, sd = 0.0, be = NAN;
  attrib_evalue_type type = (attrib_evalue_type)-1;
  const cli_flag flags[] = {{"--estimate", CLI_FLAG_DOUBLE, &est}, {"--ci-low", CLI_FLAG_DOUBLE, &lo},
                            {"--ci-high", CLI_FLAG_DOUBLE, &hi},   {"--type", CLI_FLAG_CALL, NULL},
                            {"--sd", CLI_FLAG_DOUBLE, &sd},        {"--breakeven", CLI_FLAG_DOUBLE, &be}, {NULL, 0, NULL}};
  int rc = cli_flags_parse(cmd, short_usage, usage_text, argc, argv, flags, &c, NULL, evalue_type, &type);
  if (rc) return rc < 0 ? 0 : rc;
  if (isnan(est) || type == (attrib_evalue_type)-1) return cli_usage_error(cmd, short_usage, "--estimate and --type are required");
  if (sd != 0.0 && type != ATTRIB_EVALUE_SMD) return cli_usage_error(cmd, short_usage, "--sd applies to --type smd");
  attrib_evalue e;
  attrib_error err;
  attrib_error_clear(&err);
  double e_be = NAN;
  attrib_status s = attrib_evalue_compute(est, lo, hi, type, sd, &e, &err);
  if (!s && !isnan(be)) s = attrib_evalue_breakeven(&e, be, type, sd, &e_be, &err);
  if (s) return cli_fail(cmd, s, &err, NULL);
  cli_out o;
  if ((rc = cli_out_open(&o, c.output, cmd))) return rc;
  return out_end(cmd, &o, attrib_report_write_evalue(o.fp, &e, be, e_be, c.format, &err), &err);
}

/* ---- rosenbaum ------------------------------------------------------------------- */

typedef struct rb_flags {
  double alpha, *gam;
  size_t n_gam;
  int keep_zeros;
} rb_flags;

enum { RB_GAMMA, RB_ALPHA, RB_ZEROS }; /* the table's first entries */

static int rb_flag(void *ctx, size_t i, const char *arg) {
  const char *cmd = "sensitivity rosenbaum";
  rb_flags *f = ctx;
  if (i == RB_GAMMA) {
    free(f->gam), f->gam = NULL;
    if (cli_parse_numbers(arg, &f->gam, &f->n_gam))
      return cli_usage_error(cmd, short_usage, "--gamma expects FROM:TO:STEP or a list, got '%s'", arg);
  } else if (i == RB_ALPHA) {
    if (cli_parse_double(cmd, short_usage, "--alpha", arg, &f->alpha)) return CLI_EXIT_USAGE;
    if (!(f->alpha > 0 && f->alpha < 1)) return cli_usage_error(cmd, short_usage, "--alpha must lie in (0, 1)");
  } else {
    if (strcmp(arg, "drop") && strcmp(arg, "keep"))
      return cli_usage_error(cmd, short_usage, "--zeros expects drop or keep, got '%s'", arg);
    f->keep_zeros = !strcmp(arg, "keep");
  }
  return 0;
}

/* the pair differences: from --pairs FILE, or from matching DATA (psm, pairs kept) */
static int rb_pairs(const char *cmd, int argc, char **argv, const char *pairs, const char *tcol, const char *ccol,
                    const char *covs, cli_csv *csv, attrib_psm_options *po, double **d, size_t *n) {
  attrib_table *t = NULL;
  attrib_formula *cov_terms = NULL;
  attrib_psm_result *pr = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = ATTRIB_OK;
  int rc = 0;
  if (pairs && (optind != argc || !tcol || !ccol))
    return cli_usage_error(cmd, short_usage, "--pairs FILE needs --treated COL and --control COL (and no DATA)");
  if (!pairs && (optind != argc - 1 || !po->treat || !po->outcome || !covs))
    return cli_usage_error(cmd, short_usage, "give DATA with --treat, --outcome and --covariates, or --pairs FILE");
  if ((rc = cli_load_table(cmd, pairs ? pairs : argv[optind], csv, &t))) return rc;
  if (pairs) {
    s = attrib_rosenbaum_pairs_columns(t, tcol, ccol, d, n, &err);
  } else if (!(rc = cli_covariates(cmd, covs, t, &cov_terms))) { /* names as written */
    po->keep_pairs = 1;
    po->covariate_terms = cov_terms;
    s = attrib_psm_fit(t, po, &pr, &err);
    if (!s) s = attrib_rosenbaum_pairs_matched(t, pr, po->outcome, d, n, &err);
  }
  if (s) rc = cli_fail(cmd, s, &err, NULL);
  attrib_psm_result_free(pr);
  attrib_formula_free(cov_terms);
  attrib_table_free(t);
  return rc;
}

static int cmd_rosenbaum(int argc, char **argv) {
  const char *cmd = "sensitivity rosenbaum";
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  rb_flags f = {.alpha = 0.05};
  const char *pairs = NULL, *tcol = NULL, *ccol = NULL, *covs = NULL;
  double be = NAN, *d = NULL;
  size_t n = 0;
  attrib_psm_options po;
  attrib_psm_options_init(&po);
  attrib_rosenbaum *rb = NULL;
  const cli_flag flags[] = {{"--gamma", CLI_FLAG_CALL, NULL},          {"--alpha", CLI_FLAG_CALL, NULL},
                            {"--zeros", CLI_FLAG_CALL, NULL},          {"--pairs", CLI_FLAG_STRING, &pairs},
                            {"--treated", CLI_FLAG_STRING, &tcol},     {"--control", CLI_FLAG_STRING, &ccol},
                            {"--treat", CLI_FLAG_STRING, &po.treat},   {"--outcome", CLI_FLAG_STRING, &po.outcome},
                            {"--covariates", CLI_FLAG_STRING, &covs},  {"--caliper", CLI_FLAG_DOUBLE, &po.caliper},
                            {"--id", CLI_FLAG_STRING, &po.id},         {"--breakeven", CLI_FLAG_DOUBLE, &be},
                            {NULL, 0, NULL}};
  int rc = cli_flags_parse(cmd, short_usage, usage_text, argc, argv, flags, &c, &csv, rb_flag, &f);
  if (rc) {
    rc = rc < 0 ? 0 : rc;
    goto done;
  }
  if (!f.gam && cli_parse_numbers("1:3:0.05", &f.gam, &f.n_gam)) {
    rc = CLI_EXIT_DATA;
    goto done;
  }
  if ((rc = rb_pairs(cmd, argc, argv, pairs, tcol, ccol, covs, &csv, &po, &d, &n))) goto done;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_rosenbaum_compute(d, n, f.gam, f.n_gam, f.alpha, f.keep_zeros, &rb, &err);
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  double g_be = isnan(be) ? NAN : attrib_rosenbaum_breakeven_gamma(d, n, f.keep_zeros, be);
  cli_out o;
  if (!(rc = cli_out_open(&o, c.output, cmd)))
    rc = out_end(cmd, &o, attrib_report_write_rosenbaum(o.fp, rb, be, g_be, c.format, &err), &err);
done:
  free(f.gam);
  attrib_rosenbaum_pairs_free(d);
  attrib_rosenbaum_free(rb);
  cli_csv_free(&csv);
  return rc;
}

/* ---- ovb ------------------------------------------------------------------------- */

typedef struct ovb_flags {
  attrib_ovb_options *o;
  const char **bench; /* at most one per argument */
  double *kd, *ky;
  size_t n_kd, n_ky;
} ovb_flags;

enum { OVB_BENCH, OVB_KD, OVB_KY }; /* the table's first entries */

static int ovb_flag(void *ctx, size_t i, const char *arg) {
  ovb_flags *f = ctx;
  if (i == OVB_BENCH) {
    f->bench[f->o->n_benchmarks++] = arg;
    return 0;
  }
  double **v = i == OVB_KD ? &f->kd : &f->ky;
  free(*v), *v = NULL;
  if (!cli_parse_numbers(arg, v, i == OVB_KD ? &f->n_kd : &f->n_ky)) return 0;
  return cli_usage_error("sensitivity ovb", short_usage, "%s expects numbers such as 1,2,3", i == OVB_KD ? "--kd" : "--ky");
}

static int cmd_ovb(int argc, char **argv) {
  const char *cmd = "sensitivity ovb";
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  double be = NAN;
  attrib_ovb_options oo;
  attrib_ovb_options_init(&oo);
  ovb_flags f = {.o = &oo, .bench = calloc((size_t)argc + 1, sizeof *f.bench)};
  attrib_table *t = NULL;
  attrib_ovb_result *r = NULL;
  const cli_flag flags[] = {{"--benchmark", CLI_FLAG_CALL, NULL},         {"--kd", CLI_FLAG_CALL, NULL},
                            {"--ky", CLI_FLAG_CALL, NULL},                {"--formula", CLI_FLAG_STRING, &oo.formula},
                            {"--treat", CLI_FLAG_STRING, &oo.treat},      {"--q", CLI_FLAG_DOUBLE, &oo.q},
                            {"--alpha", CLI_FLAG_DOUBLE, &oo.alpha},      {"--cluster", CLI_FLAG_STRING, &oo.cluster},
                            {"--breakeven", CLI_FLAG_DOUBLE, &be},        {"--weights", CLI_FLAG_STRING, &oo.weights},
                            {NULL, 0, NULL}};
  int rc = f.bench ? cli_flags_parse(cmd, short_usage, usage_text, argc, argv, flags, &c, &csv, ovb_flag, &f)
                   : CLI_EXIT_DATA;
  if (rc) {
    rc = rc < 0 ? 0 : rc;
    goto done;
  }
  if (optind != argc - 1 || !oo.formula || !oo.treat) {
    rc = cli_usage_error(cmd, short_usage, "sensitivity ovb needs DATA, --formula and --treat");
    goto done;
  }
  if (f.kd) oo.kd = f.kd, oo.n_k = f.n_kd;
  if (f.ky && f.n_ky != oo.n_k) {
    rc = cli_usage_error(cmd, short_usage, "--ky needs as many values as --kd (%zu)", oo.n_k);
    goto done;
  }
  oo.ky = f.ky;
  oo.benchmarks = f.bench;
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
  free(f.kd), free(f.ky), free(f.bench);
  attrib_table_free(t);
  cli_csv_free(&csv);
  return rc;
}

/* ---- specification sweeps ------------------------------------------------------------ */

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

typedef struct spec_flags {
  attrib_spec_options so;
  vary v[ATTRIB_SPEC_MAX_DIMS];
  size_t nv;
  char *base_rhs;
} spec_flags;

/* the table's first entries: the estimator flags a sweep takes as its base, set as the sweep sets them */
static const char *const spec_base[] = {"estimand", "method", "ratio", "caliper", "estimator", "control"};
enum { SPEC_BASE_DID = 4, SPEC_VARY = 6, SPEC_OUTCOME, SPEC_COVS, SPEC_LEVEL };

static int spec_flag(void *ctx, size_t i, const char *arg) {
  const char *cmd = "sensitivity spec";
  spec_flags *f = ctx;
  if (i < SPEC_VARY) {
    attrib_status s = i >= SPEC_BASE_DID ? attrib_spec_set_did(&f->so.did, spec_base[i], arg, NULL, NULL)
                                         : attrib_spec_set_psm(&f->so.psm, spec_base[i], arg, NULL, NULL);
    return s ? cli_usage_error(cmd, short_usage, "bad --%s", spec_base[i]) : 0;
  }
  double x;
  switch (i) {
  case SPEC_VARY:
    if (f->nv == ATTRIB_SPEC_MAX_DIMS || vary_parse(arg, &f->v[f->nv])) {
      if (f->nv < ATTRIB_SPEC_MAX_DIMS) vary_free(&f->v[f->nv]);
      return cli_usage_error(cmd, short_usage, "--vary expects NAME=V1,V2 (covariate sets: \"a,b|a,b,c\"), at most 8");
    }
    return f->v[f->nv++].n ? 0 : cli_usage_error(cmd, short_usage, "--vary '%s' has no values", arg);
  case SPEC_OUTCOME: f->so.psm.outcome = f->so.did.outcome = arg; return 0;
  case SPEC_COVS: free(f->base_rhs), f->base_rhs = cli_covariates_rhs(arg); return 0;
  default:
    if (cli_parse_double(cmd, short_usage, "--level", arg, &x)) return CLI_EXIT_USAGE;
    f->so.psm.level = f->so.did.level = x;
    return 0;
  }
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
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  spec_flags f = {.nv = 0};
  attrib_spec_options *so = &f.so;
  attrib_spec_options_init(so);
  so->estimator = is_did ? ATTRIB_SPEC_DID : ATTRIB_SPEC_PSM;
  attrib_spec_dim dims[ATTRIB_SPEC_MAX_DIMS];
  attrib_table *t = NULL;
  attrib_spec_result *res = NULL;
  attrib_spec_summary *sum = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  const cli_flag flags[] = {
      {"--estimand", CLI_FLAG_CALL, NULL},          {"--method", CLI_FLAG_CALL, NULL},
      {"--ratio", CLI_FLAG_CALL, NULL},             {"--caliper", CLI_FLAG_CALL, NULL},
      {"--estimator", CLI_FLAG_CALL, NULL},         {"--control", CLI_FLAG_CALL, NULL},
      {"--vary", CLI_FLAG_CALL, NULL},              {"--outcome", CLI_FLAG_CALL, NULL},
      {"--covariates", CLI_FLAG_CALL, NULL},        {"--level", CLI_FLAG_CALL, NULL},
      {"--treat", CLI_FLAG_STRING, &so->psm.treat}, {"--id", CLI_FLAG_STRING, &so->psm.id},
      {"--replace", CLI_FLAG_ON, &so->psm.replace}, {"--unit", CLI_FLAG_STRING, &so->did.unit},
      {"--time", CLI_FLAG_STRING, &so->did.time},   {"--cohort", CLI_FLAG_STRING, &so->did.cohort},
      {"--cluster", CLI_FLAG_STRING, &so->did.cluster}, {"--threads", CLI_FLAG_SIZE, &so->threads},
      {NULL, 0, NULL}};
  int rc = cli_flags_parse(cmd, short_usage, usage_text, argc, argv, flags, &c, &csv, spec_flag, &f);
  if (rc) {
    rc = rc < 0 ? 0 : rc;
    goto done;
  }
  if (optind != argc - 1 || !f.nv) {
    rc = cli_usage_error(cmd, short_usage, "sensitivity spec %s needs DATA and at least one --vary NAME=V1,V2", is_did ? "did" : "psm");
    goto done;
  }
  so->psm.covariates = so->did.covariates = f.base_rhs;
  for (size_t d = 0; d < f.nv; d++)
    dims[d] = (attrib_spec_dim){f.v[d].name, (const char *const *)f.v[d].values, (const char *const *)f.v[d].rhs, f.v[d].n};
  so->dims = dims, so->n_dims = f.nv;
  attrib_status st = attrib_spec_check(so, &err);
  if (st) { /* the library names the option and the value; the flag is --vary */
    int value = err.option && !strcmp(err.option, "spec.dims.values");
    rc = st == ATTRIB_EUSAGE ? cli_usage_error(cmd, short_usage, "%s%s", value ? "--vary " : "", err.message)
                             : cli_fail(cmd, st, &err, NULL);
    goto done;
  }
  if ((rc = cli_load_table(cmd, argv[optind], &csv, &t))) goto done;
  cli_progress line;
  cli_progress_start(&line, cmd, c.quiet);
  so->progress = spec_progress, so->progress_ctx = &line;
  st = attrib_spec_sweep(t, so, &res, &err);
  cli_progress_end(&line);
  /* the specification curve's summary (over the estimated specifications only) */
  if (!st) st = attrib_spec_summarize(res, attrib_spec_count(so), &sum, &err);
  if (st) {
    rc = cli_fail(cmd, st, &err, NULL);
    goto done;
  }
  cli_out o;
  if (!(rc = cli_out_open(&o, c.output, cmd)))
    rc = out_end(cmd, &o, attrib_report_write_spec(o.fp, so, res, sum, c.format, &err), &err);
done:
  for (size_t d = 0; d < f.nv; d++) vary_free(&f.v[d]);
  free(f.base_rhs);
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
