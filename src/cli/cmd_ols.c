#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib ols DATA --formula \"y ~ x1 + factor(g) | fe1 + fe2\" [options]\n"
    "Least squares with covariates, absorbed fixed effects (after |), weights and\n"
    "iid / robust / cluster-robust standard errors (docs/methods/ols.md).\n\n"
    "Options:\n"
    "  --formula F            the model, R/fixest syntax (required)\n"
    "  --vcov T               iid (default), hc0, hc1, hc2, hc3 or cluster\n"
    "  --cluster COL[,COL2]   cluster by one or two columns (implies --vcov cluster)\n"
    "  --weights COL          analytic weights (rows of weight 0 are dropped; < 0 is an error)\n"
    "  --treat TERM           report this coefficient as the effect\n"
    "  --level L              confidence level (default 0.95)\n"
    "  --fe-tol T             fixed-effect demeaning tolerance (default 1e-10)\n"
    "  --fe-max-iter N        demeaning sweep cap (default 10000)\n"
    "  --keep-singletons      keep rows alone in a fixed-effect level\n"
    "  --collinearity-tol T   relative tolerance for dropping collinear terms (default 1e-10)\n"
    "  --threads N            threads (default: the online CPUs; results do not depend on it)\n"
    "Bootstrap of the --treat coefficient (docs/methods/bootstrap.md):\n"
    "  --bootstrap B --seed S replicates and seed (same seed, same result for any --threads)\n"
    "  --boot-type T          pairs (rows; default without --cluster), cluster (whole clusters) or wild\n"
    "                         (default with --cluster: the wild cluster bootstrap, WCR p-value with its\n"
    "                         test-inversion interval; without --cluster every row is its own cluster)\n"
    "  --weights-dist W       wild weights: rademacher (default), webb or mammen\n"
    "  --ci M                 percentile (default), basic, normal, bca or studentized\n"
    "  --save-draws FILE      write the replicate estimates (CSV)\n"
    "  --format text|json|csv, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -h\n"
    CLI_CSV_HELP;

static const char short_usage[] = "Usage: attrib ols DATA --formula \"y ~ x\" [--vcov T] [--cluster COL] [--weights COL]\n";

static attrib_status write_result(FILE *out, const void *r, const attrib_report_context *ctx, attrib_report_format fmt,
                                  attrib_error *err) {
  return attrib_report_write_ols(out, r, ctx, fmt, err);
}

int cmd_ols(int argc, char **argv) {
  const char *cmd = "ols";
  enum { OPT_THREADS = CLI_OPT_COMMAND + 50, OPT_FORMULA = CLI_OPT_COMMAND, OPT_VCOV, OPT_CLUSTER, OPT_WEIGHTS, OPT_TREAT, OPT_LEVEL, OPT_FETOL,
         OPT_FEMAX, OPT_KEEPSING, OPT_COLTOL };
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS,
      {"threads", required_argument, 0, OPT_THREADS}, {"formula", required_argument, 0, OPT_FORMULA}, {"vcov", required_argument, 0, OPT_VCOV},
      {"cluster", required_argument, 0, OPT_CLUSTER}, {"weights", required_argument, 0, OPT_WEIGHTS},
      {"treat", required_argument, 0, OPT_TREAT},     {"level", required_argument, 0, OPT_LEVEL},
      {"fe-tol", required_argument, 0, OPT_FETOL},    {"fe-max-iter", required_argument, 0, OPT_FEMAX},
      {"keep-singletons", no_argument, 0, OPT_KEEPSING}, {"collinearity-tol", required_argument, 0, OPT_COLTOL},
      CLI_BOOT_LONGOPTS, CLI_BY_LONGOPTS,
      {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  const char *formula = NULL, *weights = NULL;
  char **cluster = NULL;
  int vcov_given = 0, rc = 0, opt;
  cli_boot boot;
  cli_boot_init(&boot);
  cli_by by = {0};
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &boot, &rc);
    if (!h) h = cli_by_option(cmd, short_usage, opt, optarg, &by, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      goto done;
    }
    if (h) continue;
    switch (opt) {
    case OPT_FORMULA: formula = optarg; break;
    case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &o.threads) ? 2 : 0; break;
    case OPT_VCOV:
      if (attrib_vcov_type_parse(optarg, &o.vcov, NULL) != ATTRIB_OK)
        rc = cli_usage_error(cmd, short_usage, "--vcov expects iid, hc0, hc1, hc2, hc3 or cluster, got '%s'", optarg);
      vcov_given = 1;
      break;
    case OPT_CLUSTER:
      cli_list_free(cluster);
      cluster = cli_split_list(optarg);
      break;
    case OPT_WEIGHTS: weights = optarg; break;
    case OPT_TREAT: o.treat = optarg; break;
    case OPT_LEVEL: rc = cli_parse_double(cmd, short_usage, "--level", optarg, &o.level) ? 2 : 0; break;
    case OPT_FETOL: rc = cli_parse_double(cmd, short_usage, "--fe-tol", optarg, &o.fe_tol) ? 2 : 0; break;
    case OPT_FEMAX: rc = cli_parse_size(cmd, short_usage, "--fe-max-iter", optarg, &o.fe_max_iter) ? 2 : 0; break;
    case OPT_KEEPSING: o.drop_singletons = 0; break;
    case OPT_COLTOL:
      rc = cli_parse_double(cmd, short_usage, "--collinearity-tol", optarg, &o.collinearity_tol) ? 2 : 0;
      break;
    default: break;
    }
  }
  if (rc) goto done;
  if (boot.requested && !o.treat) {
    rc = cli_usage_error(cmd, short_usage, "--bootstrap needs --treat TERM: the coefficient to bootstrap");
    goto done;
  }
  if ((rc = cli_boot_validate(cmd, short_usage, &boot))) goto done;
  if ((rc = cli_by_validate(cmd, short_usage, &by))) goto done;
  if (by.column && !o.treat) {
    rc = cli_usage_error(cmd, short_usage, "--by needs --treat TERM: the effect to compare across groups");
    goto done;
  }
  if (by.column && boot.requested) {
    rc = cli_usage_error(cmd, short_usage, "--by does not take --bootstrap: the groups' SEs come from the joint vcov");
    goto done;
  }
  if (boot.requested && !boot.type_given) boot.o.type = cluster ? ATTRIB_BOOT_WILD : ATTRIB_BOOT_PAIRS;
  if (boot.weights_given && boot.o.type != ATTRIB_BOOT_WILD) {
    rc = cli_usage_error(cmd, short_usage, "--weights-dist applies to --boot-type wild");
    goto done;
  }
  boot.o.level = o.level;
  cli_boot_progress(&boot, cmd, c.quiet);
  boot.o.threads = o.threads;
  cli_model m = {.csv = &csv, .formula = formula, .weights = weights, .cluster = cluster,
                 .vcov_given = vcov_given, .vcov = &o.vcov};
  csv.treat = o.treat;
  for (size_t k = 0; cluster && cluster[k] && k < 7; k++) csv.ids[k] = cluster[k]; /* read as text */
  if ((rc = cli_model_prepare(cmd, short_usage, argc, argv, &m))) goto done;
  const char *bycol = NULL;
  if ((rc = cli_by_prepare(cmd, &by, m.t, &bycol))) {
    cli_model_release(&m);
    goto done;
  }
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_boot_result *b = NULL;
  attrib_status s = attrib_ols_fit(m.d, &o, &r, &err);
  if (s == ATTRIB_OK && bycol) {
    attrib_design_options dopts;
    attrib_design_options_init(&dopts);
    dopts.weights = weights;
    dopts.cluster = (const char *const *)cluster;
    dopts.check_collinearity = 0;
    attrib_by_options bo;
    attrib_by_options_init(&bo);
    bo.column = bycol;
    s = attrib_ols_by(m.t, m.f, &dopts, &o, &bo, &r->by, &err);
  }
  if (s == ATTRIB_OK && boot.requested) s = attrib_ols_bootstrap(m.d, r, (size_t)r->effect_index, &boot.o, &b, &err);
  /* a warning whose action was taken (the wild cluster bootstrap it asks
   * for) is not printed after it */
  if (s == ATTRIB_OK && b) attrib_ols_settle_warnings(r, b);
  cli_boot_progress_end(&boot);
  m.bootstrap = b;
  if (s != ATTRIB_OK)
    rc = cli_fail(cmd, s, &err, NULL);
  else if (!(rc = cli_boot_save(cmd, &boot, b)))
    rc = cli_model_output(cmd, &c, &m, write_result, r, r->warnings, r->n_warnings);
  attrib_boot_result_free(b);
  attrib_ols_result_free(r);
  cli_model_release(&m);
done:
  cli_by_free(&by);
  cli_csv_free(&csv);
  cli_list_free(cluster);
  return rc;
}
