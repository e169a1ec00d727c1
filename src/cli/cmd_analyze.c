/* attrib analyze: the whole attribution study over one load of the data
 * (docs/cli.md#analyze, docs/methods/analyze.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib analyze DATA --outcome Y --treat T --covariates \"a,b,factor(c)\" [options]\n"
    "The whole attribution study: the effect by several methods side by side, design checks with\n"
    "verdicts, ROI with its interval, and sensitivity to hidden confounding (docs/methods/analyze.md).\n\n"
    "  --unit ID --time T     a panel (learners x periods): analysed per learner\n"
    "  --cohort G             a panel's first treated period per learner (0 or empty = never);\n"
    "                         without it, the first period with T = 1 (T must then stay 1)\n"
    "  --methods LIST         of ols, psm, aipw, did, twfe; default ols,psm,aipw for a cross-section,\n"
    "                         did,twfe,ols,psm,aipw for a panel with one adoption date, did,ols,psm,aipw\n"
    "                         with staggered adoption (ols, psm, aipw run on each learner's outcome change\n"
    "                         from before to after the adoption date, or are skipped with the reason)\n"
    "  --primary METHOD       the method ROI and the finding use; default by design: ols (cross-section),\n"
    "                         twfe (one adoption date), did (staggered); the choice is printed\n"
    "  --cluster C            cluster column (robust SEs, wild cluster bootstrap)\n"
    "ROI (from the primary estimate):\n"
    "  --learners N           learners the effect applies to (default: the treated learners in the\n"
    "                         analysed data; give N to project to a roll-out)\n"
    "  --value-per-unit V --horizon H --decay D --attribution A --margin M\n"
    "  --cost NAME=AMOUNT ... --cost-per-learner C --benefit NAME=AMOUNT ... --periods-per-year P\n"
    "  --bootstrap B --seed S every method's bootstrap (wild cluster, pairs, multiplier)\n"
    "  --spec FILE            the same settings as INI or JSON\n"
    "  --report FILE.html     write the report: one self-contained HTML file with inline SVG charts\n"
    "  --level L              confidence level in (0, 1), default 0.95\n"
    "  --threads N, --format text|json, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -h\n"
    CLI_CSV_HELP
    "Nothing estimable (no treated or no control learners, a treatment not coded 0/1, every method\n"
    "failing) is an error: exit 1 with the reason, and no report.\n";

static const char short_usage[] = "Usage: attrib analyze DATA --outcome Y --treat T --covariates \"a,b\" [options]\n";

/* "did" -> ATTRIB_ANALYZE_DID, 0 for an unknown name */
static unsigned method_bit(const char *name) {
  for (unsigned k = 0; k < 5; k++)
    if (!strcmp(name, attrib_analyze_method_name(1u << k))) return 1u << k;
  return 0;
}

/* The progress line: the step running, with its replicates in a bootstrap. */
static void step_progress(void *ctx, const char *step, size_t done, size_t total) {
  if (total) cli_progress_show(ctx, "%s %zu/%zu replicates", step, done, total);
  else cli_progress_show(ctx, "%s", step);
}

int cmd_analyze(int argc, char **argv) {
  const char *cmd = "analyze";
  enum { OPT_OUTCOME = CLI_OPT_COMMAND, OPT_TREAT, OPT_COVS, OPT_METHODS, OPT_CLUSTER, OPT_UNIT, OPT_TIME, OPT_COHORT,
         OPT_SPEC, OPT_REPORT, OPT_LEVEL, OPT_THREADS, OPT_PRIMARY };
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS, CLI_BOOT_LONGOPTS, CLI_ROI_LONGOPTS,
      {"outcome", required_argument, 0, OPT_OUTCOME},     {"treat", required_argument, 0, OPT_TREAT},
      {"covariates", required_argument, 0, OPT_COVS},     {"methods", required_argument, 0, OPT_METHODS},
      {"cluster", required_argument, 0, OPT_CLUSTER},     {"unit", required_argument, 0, OPT_UNIT},
      {"time", required_argument, 0, OPT_TIME},           {"cohort", required_argument, 0, OPT_COHORT},
      {"spec", required_argument, 0, OPT_SPEC},           {"report", required_argument, 0, OPT_REPORT},
      {"level", required_argument, 0, OPT_LEVEL},         {"threads", required_argument, 0, OPT_THREADS},
      {"primary", required_argument, 0, OPT_PRIMARY},     {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  cli_boot boot;
  cli_boot_init(&boot);
  attrib_analyze_options o;
  attrib_analyze_options_init(&o);
  cli_lines costs = {0}, benefits = {0};
  char **sargv = NULL;
  const char *covs = NULL;
  attrib_formula *cov_terms = NULL;
  const char *report = NULL;
  int sargc = 0, rc = 0, opt, roi_given = 0;
  attrib_table *t = NULL;
  attrib_analyze_result *r = NULL;
  if ((rc = cli_spec_args(cmd, argc, argv, &sargc, &sargv))) return rc;
  if (sargv) argc = sargc, argv = sargv;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &boot, &rc);
    if (!h) h = cli_roi_option(cmd, short_usage, opt, &o.roi, &costs, &benefits, &roi_given, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      goto done;
    }
    if (h) continue;
    switch (opt) {
    case OPT_OUTCOME: o.outcome = optarg; break;
    case OPT_TREAT: o.treat = optarg; break;
    case OPT_COVS: covs = optarg; break;
    case OPT_CLUSTER: o.cluster = optarg; break;
    case OPT_UNIT: o.unit = optarg; break;
    case OPT_TIME: o.time = optarg; break;
    case OPT_COHORT: o.cohort = optarg; break;
    case OPT_SPEC: break; /* read before the options */
    case OPT_REPORT: report = optarg; break;
    case OPT_METHODS: {
      char **items = cli_split_list(optarg);
      o.methods = 0;
      for (size_t i = 0; items && items[i] && !rc; i++) {
        unsigned m = method_bit(items[i]);
        if (!m) rc = cli_usage_error(cmd, short_usage, "--methods: unknown method '%s' (ols, psm, aipw, did, twfe)", items[i]);
        o.methods |= m;
      }
      cli_list_free(items);
      break;
    }
    case OPT_PRIMARY:
      if (!(o.primary = method_bit(optarg)))
        rc = cli_usage_error(cmd, short_usage, "--primary: unknown method '%s' (ols, psm, aipw, did, twfe)", optarg);
      break;
    case OPT_LEVEL: rc = cli_parse_double(cmd, short_usage, "--level", optarg, &o.level) ? 2 : 0; break;
    case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &o.threads) ? 2 : 0; break;
    default: break;
    }
  }
  if (rc) goto done;
  if ((rc = cli_boot_validate(cmd, short_usage, &boot))) goto done;
  if (boot.type_given || boot.weights_given || boot.ci_given || boot.save_draws) {
    rc = cli_usage_error(cmd, short_usage, "analyze chooses each method's bootstrap; --boot-type, --weights-dist, --ci and "
                                            "--save-draws belong to the single commands");
    goto done;
  }
  if (optind != argc - 1 || !o.outcome || !o.treat || !covs) {
    rc = cli_usage_error(cmd, short_usage, "analyze needs DATA, --outcome, --treat and --covariates");
    goto done;
  }
  if (c.format == ATTRIB_FORMAT_CSV) {
    rc = cli_usage_error(cmd, short_usage, "analyze writes text or json (csv tables come from the single commands)");
    goto done;
  }
  o.bootstrap = boot.requested ? boot.o.replicates : 0;
  o.seed = boot.o.seed;
  o.has_roi = roi_given;
  o.roi.costs = costs.v, o.roi.n_costs = costs.n, o.roi.benefits = benefits.v, o.roi.n_benefits = benefits.n;
  const char *source = argv[optind];
  csv.treat = o.treat;
  csv.time = o.time, csv.cohort = o.cohort;
  csv.ids[0] = o.unit, csv.ids[csv.ids[0] != NULL] = o.cluster;
  if ((rc = cli_load_table(cmd, source, &csv, &t))) goto done;
  /* the covariates read once into terms (names as written); their text,
   * made from the terms, is what the reports show */
  if ((rc = cli_covariates(cmd, covs, t, &cov_terms))) goto done;
  o.covariate_terms = cov_terms;
  if (!(o.covariates = attrib_formula_text(cov_terms))) {
    rc = cli_fail(cmd, ATTRIB_ENOMEM, NULL, NULL);
    goto done;
  }
  attrib_error err;
  attrib_error_clear(&err);
  cli_progress line;
  cli_progress_start(&line, cmd, c.quiet);
  if (line.on) o.progress = step_progress, o.progress_ctx = &line;
  attrib_status s = attrib_analyze(t, &o, &r, &err);
  cli_progress_end(&line);
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  /* the methods' reasons and notes name options fields: the CLI's output names flags */
  for (size_t i = 0; i < r->n_methods; i++) cli_flag_text(r->methods[i].message, 0), cli_flag_text(r->methods[i].note, 0);
  for (size_t i = 0; i < r->n_checks; i++) cli_flag_text(r->checks[i].reason, 0);
  cli_flag_text(r->headline.reason, 0), cli_flag_text(r->primary_reason, 0);
  if (r->roi) cli_flag_texts(r->roi->warnings, r->roi->n_warnings);
  cli_out out = {0}, rep = {0};
  if ((rc = cli_out_open(&out, c.output, cmd))) goto done;
  if (report && (rc = cli_out_open(&rep, report, cmd))) {
    cli_out_abort(&out);
    goto done;
  }
  attrib_report_context ctx = {.command = cmd, .source = source};
  s = attrib_report_write_analyze(out.fp, r, &o, &ctx, c.format, &err);
  if (!s && report) s = attrib_report_write_analyze_html(rep.fp, r, &o, &ctx, &err);
  if (s) {
    cli_out_abort(&out);
    if (report) cli_out_abort(&rep);
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (report && (rc = cli_out_commit(&rep, cmd))) {
    cli_out_abort(&out);
    goto done;
  }
  rc = cli_out_commit(&out, cmd);
done:
  attrib_analyze_result_free(r);
  attrib_table_free(t);
  cli_lines_free(&costs), cli_lines_free(&benefits);
  attrib_formula_free(cov_terms);
  cli_csv_free(&csv);
  if (sargv) {
    for (int i = 0; i < sargc; i++) free(sargv[i]);
    free(sargv);
  }
  return rc;
}
