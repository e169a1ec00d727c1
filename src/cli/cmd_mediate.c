/* attrib mediate: causal mediation, how much of the effect passes through a
 * mediator (docs/methods/mediation.md). A thin layer over attrib_mediate_fit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib mediate DATA --treat T --mediator M --outcome Y [options]\n"
    "Causal mediation with a linear mediator model (M ~ T + X) and a linear outcome model\n"
    "(Y ~ T + M + X): the average causal mediation effect (ACME, the effect through M), the\n"
    "direct effect (ADE), the total effect and the share mediated, with the correlation of the\n"
    "two models' errors at which the ACME would vanish (Imai, Keele & Tingley 2010;\n"
    "docs/methods/mediation.md).\n\n"
    "The models:\n"
    "  --treat COL            the 0/1 treatment\n"
    "  --mediator COL         the mediator (numeric), measured after the treatment\n"
    "  --outcome COL          the outcome (numeric)\n"
    "  --covariates LIST      pre-treatment covariates of both models, comma-separated terms\n"
    "                         (factor(x), a:b, ...)\n"
    "  --interaction          add treatment x mediator to the outcome model: the ACME and ADE\n"
    "                         then differ between treated and control (both are reported)\n"
    "Intervals:\n"
    "  --ci-method quasi-bayes|bootstrap  quasi-Bayesian draws of both models' coefficients\n"
    "                         (default, as mediation::mediate), or the nonparametric bootstrap\n"
    "  --sims N               draws or bootstrap replicates (default 1000)\n"
    "  --seed S               the draws' seed (default 1)\n"
    "  --level L              confidence level (default 0.95)\n"
    "  --threads N            threads (default: the online CPUs; results do not depend on it)\n"
    "  --format text|json|csv, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -v, -h\n"
    CLI_CSV_HELP;

static const char short_usage[] =
    "Usage: attrib mediate DATA --treat T --mediator M --outcome Y [--covariates A,B] [--interaction]\n";

typedef struct med_cli {
  attrib_mediate_options *o;
} med_cli;

/* --ci-method and --seed (the flags cli_flags_parse has no kind for) */
static int med_call(void *ctx, size_t i, const char *arg) {
  med_cli *m = ctx;
  const char *cmd = "mediate";
  if (i == 0) {
    if (attrib_mediate_ci_parse(arg, &m->o->ci_method, NULL))
      return cli_usage_error(cmd, short_usage, "--ci-method expects quasi-bayes or bootstrap, got '%s'", arg);
    return 0;
  }
  return cli_parse_ulong(cmd, short_usage, "--seed", arg, &m->o->seed) ? CLI_EXIT_USAGE : 0;
}

int cmd_mediate(int argc, char **argv) {
  const char *cmd = "mediate";
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  attrib_mediate_options o;
  attrib_mediate_options_init(&o);
  const char *covs = NULL;
  attrib_formula *cov_terms = NULL;
  attrib_table *t = NULL;
  attrib_mediate_result *r = NULL;
  med_cli m = {.o = &o};
  /* the CALL flags first: med_call tells them apart by their index */
  const cli_flag flags[] = {{"--ci-method", CLI_FLAG_CALL, NULL},         {"--seed", CLI_FLAG_CALL, NULL},
                            {"--treat", CLI_FLAG_STRING, &o.treat},       {"--mediator", CLI_FLAG_STRING, &o.mediator},
                            {"--outcome", CLI_FLAG_STRING, &o.outcome},   {"--covariates", CLI_FLAG_STRING, &covs},
                            {"--interaction", CLI_FLAG_ON, &o.interaction}, {"--sims", CLI_FLAG_SIZE, &o.sims},
                            {"--level", CLI_FLAG_DOUBLE, &o.level},       {"--threads", CLI_FLAG_SIZE, &o.threads},
                            {NULL, 0, NULL}};
  int rc = cli_flags_parse(cmd, short_usage, usage_text, argc, argv, flags, &c, &csv, med_call, &m);
  if (rc == -1) {
    rc = 0;
    goto done;
  }
  if (rc) goto done;
  if (optind != argc - 1) {
    rc = cli_usage_error(cmd, short_usage, optind >= argc ? "missing DATA (a CSV file)" : "expected one DATA file");
    goto done;
  }
  if (!o.treat || !o.mediator || !o.outcome) {
    rc = cli_usage_error(cmd, short_usage, "--treat, --mediator and --outcome are required");
    goto done;
  }
  o.covariates = covs;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s;
  if ((s = attrib_mediate_check(&o, &err))) {
    char text[ATTRIB_ERROR_MESSAGE_MAX + 80];
    rc = cli_usage_error(cmd, short_usage, "%s", cli_error_text(&err, text, sizeof text));
    goto done;
  }
  const char *source = argv[optind];
  csv.treat = o.treat;
  csv.quiet = c.quiet;
  if ((rc = cli_load_table(cmd, source, &csv, &t))) goto done;
  if (covs && (rc = cli_covariates(cmd, covs, t, &cov_terms))) goto done;
  o.covariate_terms = cov_terms;
  if ((s = attrib_mediate_fit(t, &o, &r, &err))) {
    if (s == ATTRIB_EUSAGE) {
      char text[ATTRIB_ERROR_MESSAGE_MAX + 80];
      rc = cli_usage_error(cmd, short_usage, "%s", cli_error_text(&err, text, sizeof text));
    } else {
      rc = cli_fail(cmd, s, &err, NULL);
    }
    goto done;
  }
  cli_out out;
  if ((rc = cli_out_open(&out, c.output, cmd))) goto done;
  cli_flag_texts(r->warnings, r->n_warnings); /* options fields as flags, in every format */
  attrib_report_context ctx = {.command = cmd, .source = source};
  s = attrib_report_write_mediate(out.fp, r, &o, &ctx, c.format, &err);
  rc = cli_out_end(&out, cmd, s, &err);
  if (!rc) cli_warnings_print(cmd, &c, NULL, r->warnings, r->n_warnings);
done:
  attrib_mediate_result_free(r);
  attrib_formula_free(cov_terms);
  attrib_table_free(t);
  cli_csv_free(&csv);
  return rc;
}
