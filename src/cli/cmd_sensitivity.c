/* attrib sensitivity evalue | rosenbaum | ovb | spec (docs/methods/sensitivity.md): each parses its flags
 * into the library's options, runs the analysis and hands the result to its writer (src/output); the
 * specification sweep is in cmd_sensitivity_spec.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <attrib/sensitivity.h>

const char cli_sensitivity_usage[] =
    "Usage: attrib sensitivity evalue --estimate X [--ci-low L --ci-high U] --type rr|or-rare|or-common|hr|smd [--sd S]\n"
    "       attrib sensitivity rosenbaum DATA --treat T --outcome Y --covariates \"a,b\" [--caliper C] [--id COL]\n"
    "       attrib sensitivity rosenbaum --pairs FILE --treated COL --control COL\n"
    "         [--gamma FROM:TO:STEP | --gamma G1,G2,...] [--alpha 0.05] [--zeros drop|keep]\n"
    "       attrib sensitivity ovb DATA --formula F --treat T [--benchmark COL ...] [--kd 1,2,3] [--ky ...] [--q 1]\n"
    "         [--alpha 0.05] [--cluster C] [--weights COL]\n"
    "       attrib sensitivity spec psm|did DATA [the estimator's options] --vary NAME=V1,V2 ... [--threads N]\n"
    "         psm: caliper, ratio, replace, method, estimand, discard, distance, link, covariates=\"a,b|a,b,c\"\n"
    "         did: control, anticipation, base_period, estimator, covariates (\"none\" for none)\n"
    "         the estimator's options: psm --treat T --outcome Y --covariates \"a,b\" [--id COL]\n"
    "         [--method M] [--estimand E] [--ratio K] [--caliper C] [--replace]; did --outcome Y --unit ID\n"
    "         --time T --cohort G [--covariates \"a,b\"] [--estimator E] [--control C] [--cluster COL];\n"
    "         both [--level L]\n"
    "  --breakeven X (each analysis): the confounding that brings the estimate down to X, e.g. the\n"
    "         break-even effect from attrib roi: the money version of the robustness figures\n"
    "Sensitivity of a causal conclusion to unmeasured confounding (docs/methods/sensitivity.md).\n"
    "  --format text|json|csv, -o FILE, -q, -h; -v is accepted (no timings)\n"
    "  rosenbaum, ovb and spec read DATA with --delim C, --categorical COLS, --numeric COLS,\n"
    "  --na WORDS, --decimal C, --thousands C, --currency, --percent, --encoding E, --strict,\n"
    "  --treat-level L, --period UNIT (see 'attrib describe --help'); DATA may be\n"
    "  postgresql://...?table=T, or a URI with --sql \"SELECT ...\" (docs/scale.md)\n";
const char cli_sensitivity_short_usage[] = "Usage: attrib sensitivity evalue|rosenbaum|ovb|spec ... (attrib sensitivity --help)\n";

static const char *const usage_text = cli_sensitivity_usage, *const short_usage = cli_sensitivity_short_usage;

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
  return cli_out_end(&o, cmd, attrib_report_write_evalue(o.fp, &e, be, e_be, c.format, &err), &err);
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
  csv->treat = po->treat;
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
    rc = cli_out_end(&o, cmd, attrib_report_write_rosenbaum(o.fp, rb, be, g_be, c.format, &err), &err);
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
  csv.treat = oo.treat;
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
    rc = cli_out_end(&o, cmd, attrib_report_write_ovb(o.fp, r, be, rv_be, c.format, &err), &err);
done:
  attrib_ovb_result_free(r);
  free(f.kd), free(f.ky), free(f.bench);
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
  if (!strcmp(argv[1], "spec")) return cmd_sensitivity_spec(argc - 1, argv + 1);
  return cli_usage_error("sensitivity", short_usage, "unknown analysis '%s' (evalue, rosenbaum, ovb, spec)", argv[1]);
}
