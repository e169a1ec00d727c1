#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib logit DATA --formula \"t ~ x1 + x2\" [options]\n"
    "Binary regression by IRLS (docs/methods/logit.md); the outcome must be 0/1.\n\n"
    "Options:\n"
    "  --formula F            the model, R syntax (no '|' fixed effects: use factor())\n"
    "  --link logit|probit    the link (default logit)\n"
    "  --vcov T               iid (default: inverse information), hc0, hc1 or cluster\n"
    "  --cluster COL[,COL2]   cluster by one or two columns (implies --vcov cluster)\n"
    "  --weights COL          analytic weights\n"
    "  --treat TERM           report this coefficient as the effect (link scale; odds ratio for logit) and\n"
    "                         its average marginal effect on P(y = 1) (risk difference for a 0/1 treatment)\n"
    "  --level L              confidence level (default 0.95)\n"
    "  --max-iter N           iteration cap (default 50)\n"
    "  --bootstrap B --seed S bootstrap the --treat coefficient by weighted refits: --boot-type pairs\n"
    "                         (default) or cluster (with --cluster); --ci percentile|basic|normal|bca|\n"
    "                         studentized; --save-draws FILE (docs/methods/bootstrap.md); --weights-dist\n"
    "                         is refused (it is for wild and multiplier bootstraps)\n"
    "  --tol T                convergence tolerance on the relative deviance change (default 1e-12)\n"
    "  --threads N            threads (default: the online CPUs; results do not depend on it)\n"
    "  --stream               read DATA in chunks and never hold the table: one pass over the file per\n"
    "                         Newton step (docs/scale.md; not with --treat, --bootstrap, two clusters)\n"
    "  --max-memory SIZE      stream when the table would take more than SIZE in memory (500M, 2G)\n"
    "  --chunk-rows N         rows per chunk when streaming (default 65536)\n"
    "  --format text|json|csv, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -h\n"
    "  -v, --verbose          load, design and fit times on standard error\n"
    CLI_CSV_HELP;

/* the database's part of the help, apart: one literal would pass the 4095
 * bytes C17 promises */
static const char usage_pushdown[] =
    "In the database (DATA postgresql://...?table=T, or --sql; docs/scale.md):\n"
    "  --pushdown             PostgreSQL evaluates each Newton step's sums (X'WX, X'u, the deviance) in\n"
    "                         one aggregate query and attrib solves: logit link; iid, hc0, hc1 or one\n"
    "                         --cluster; numeric columns, their products and factor(); not with --treat,\n"
    "                         --weights, --bootstrap; -v prints the SQL\n";

static const char short_usage[] = "Usage: attrib logit DATA --formula \"t ~ x\" [--link logit|probit] [--vcov T]\n";

static attrib_status write_result(FILE *out, const void *r, const attrib_report_context *ctx, attrib_report_format fmt,
                                  attrib_error *err) {
  return attrib_report_write_logit(out, r, ctx, fmt, err);
}

/* --stream: the fit from passes over the file (attrib_logit_fit_stream). */
static int run_stream(const char *cmd, const cli_common *c, const cli_csv *csv, cli_model *m, attrib_logit_options *o,
                      const cli_boot *boot, int argc, char **argv, size_t chunk_rows) {
  attrib_csv_options co;
  attrib_design_options dopts;
  int rc = cli_stream_prepare(cmd, short_usage, csv, m, boot,
                              "--bootstrap refits on resampled rows and needs the table in memory", argc, argv, &co,
                              &dopts);
  if (rc) return rc;
  if (o->treat)
    return cli_usage_error(cmd, short_usage, "--treat's average marginal effect averages over the rows in memory: leave "
                                             "out --stream (the coefficients are streamed without it)");
  attrib_logit_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_logit_fit_stream(m->source, &co, m->formula, &dopts, o, chunk_rows, &r, &err);
  if (s != ATTRIB_OK) return cli_stream_fail(cmd, s, &err, m->formula);
  rc = cli_model_output(cmd, c, m, write_result, r, r->warnings, r->n_warnings);
  attrib_logit_result_free(r);
  return rc;
}

/* --pushdown: each Newton step's sums run in the database (attrib_logit_pushdown). */
static int logit_pushdown(const char *cmd, int argc, char **argv, const cli_common *c, const cli_csv *csv,
                          const char *formula, const char *weights, char **cluster, int vcov_given,
                          attrib_logit_options *o, const cli_boot *boot) {
  if (optind != argc - 1) return cli_usage_error(cmd, short_usage, "expected one DATA source (postgresql://...)");
  const char *src = argv[optind];
  if (!attrib_pg_is_uri(src))
    return cli_usage_error(cmd, short_usage, "--pushdown runs in the database: DATA must be a postgresql:// URI");
  if (!formula) return cli_usage_error(cmd, short_usage, "--formula is required");
  const char *clash = weights ? "--weights" : boot->requested ? "--bootstrap" : NULL;
  if (clash) return cli_usage_error(cmd, short_usage, "--pushdown does not take %s", clash);
  if (o->treat)
    return cli_usage_error(cmd, short_usage, "--treat's average marginal effect averages over the rows: leave out "
                                             "--pushdown, or --treat (the coefficients are pushed down without it)");
  if (cluster && cluster[0] && cluster[1])
    return cli_usage_error(cmd, short_usage, "--pushdown clusters by one column, not two");
  int rc = cli_resolve_vcov(cmd, short_usage, cluster, vcov_given, &o->vcov);
  if (rc) return rc;
  attrib_logit_result *r = NULL;
  char *queries = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_logit_pushdown(src, csv->sql, formula, cluster ? cluster[0] : NULL, o, &r,
                                          c->verbose ? &queries : NULL, &err);
  cli_mask_password(argv[optind]); /* src is argv's own memory: the report's source shows no password */
  if (queries) fprintf(stderr, "attrib %s: the SQL run:\n%s\n", cmd, queries);
  attrib_pg_free(queries);
  if (s != ATTRIB_OK) return cli_fail(cmd, s, &err, NULL);
  cli_common quiet_c = *c;
  quiet_c.verbose = 0; /* no load or design timings: there was neither */
  cli_model m = {.csv = csv, .formula = formula, .source = src, .cluster = cluster};
  rc = cli_model_output(cmd, &quiet_c, &m, write_result, r, r->warnings, r->n_warnings);
  attrib_logit_result_free(r);
  return rc;
}

int cmd_logit(int argc, char **argv) {
  const char *cmd = "logit";
  enum { OPT_THREADS = CLI_OPT_COMMAND + 50, OPT_FORMULA = CLI_OPT_COMMAND, OPT_LINK, OPT_VCOV, OPT_CLUSTER, OPT_WEIGHTS, OPT_TREAT, OPT_LEVEL,
         OPT_MAXIT, OPT_TOL, OPT_STREAM, OPT_MAXMEM, OPT_CHUNK, OPT_PUSHDOWN };
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS,
      {"threads", required_argument, 0, OPT_THREADS}, {"formula", required_argument, 0, OPT_FORMULA}, {"link", required_argument, 0, OPT_LINK},
      {"vcov", required_argument, 0, OPT_VCOV},       {"cluster", required_argument, 0, OPT_CLUSTER},
      {"weights", required_argument, 0, OPT_WEIGHTS}, {"treat", required_argument, 0, OPT_TREAT},
      {"level", required_argument, 0, OPT_LEVEL},     {"max-iter", required_argument, 0, OPT_MAXIT},
      {"tol", required_argument, 0, OPT_TOL},         CLI_BOOT_LONGOPTS,
      {"stream", no_argument, 0, OPT_STREAM},         {"max-memory", required_argument, 0, OPT_MAXMEM},
      {"chunk-rows", required_argument, 0, OPT_CHUNK}, {"pushdown", no_argument, 0, OPT_PUSHDOWN},
      {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  attrib_logit_options o;
  attrib_logit_options_init(&o);
  const char *formula = NULL, *weights = NULL;
  char **cluster = NULL;
  int vcov_given = 0, rc = 0, opt, stream = 0, pushdown = 0;
  size_t max_memory = 0, chunk_rows = 0;
  cli_boot boot;
  cli_boot_init(&boot);
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &boot, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      fputs(usage_pushdown, stdout);
      goto done;
    }
    if (h) continue;
    switch (opt) {
    case OPT_FORMULA: formula = optarg; break;
    case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &o.threads) ? 2 : 0; break;
    case OPT_LINK:
      if (attrib_link_parse(optarg, &o.link, NULL) != ATTRIB_OK)
        rc = cli_usage_error(cmd, short_usage, "--link expects logit or probit, got '%s'", optarg);
      break;
    case OPT_VCOV:
      if (attrib_vcov_type_parse(optarg, &o.vcov, NULL) != ATTRIB_OK)
        rc = cli_usage_error(cmd, short_usage, "--vcov expects iid, hc0, hc1 or cluster, got '%s'", optarg);
      vcov_given = 1;
      break;
    case OPT_CLUSTER:
      cli_list_free(cluster);
      cluster = cli_split_list(optarg);
      break;
    case OPT_WEIGHTS: weights = optarg; break;
    case OPT_TREAT: o.treat = optarg; break;
    case OPT_LEVEL: rc = cli_parse_double(cmd, short_usage, "--level", optarg, &o.level) ? 2 : 0; break;
    case OPT_MAXIT: rc = cli_parse_size(cmd, short_usage, "--max-iter", optarg, &o.max_iter) ? 2 : 0; break;
    case OPT_TOL: rc = cli_parse_double(cmd, short_usage, "--tol", optarg, &o.tol) ? 2 : 0; break;
    case OPT_STREAM: stream = 1; break;
    case OPT_PUSHDOWN: pushdown = 1; break;
    case OPT_MAXMEM: rc = cli_parse_bytes(cmd, short_usage, "--max-memory", optarg, &max_memory) ? 2 : 0; break;
    case OPT_CHUNK:
      rc = cli_parse_size(cmd, short_usage, "--chunk-rows", optarg, &chunk_rows) ? 2 : 0;
      if (!rc && chunk_rows == 0) rc = cli_usage_error(cmd, short_usage, "--chunk-rows must be at least 1");
      break;
    default: break;
    }
  }
  if (rc) goto done;
  if (pushdown) {
    rc = stream || max_memory
             ? cli_usage_error(cmd, short_usage, "--pushdown runs in the database; --stream and --max-memory read a file: choose one")
             : logit_pushdown(cmd, argc, argv, &c, &csv, formula, weights, cluster, vcov_given, &o, &boot);
    goto done;
  }
  if (boot.requested && !o.treat) {
    rc = cli_usage_error(cmd, short_usage, "--bootstrap needs --treat TERM: the coefficient to bootstrap");
    goto done;
  }
  if ((rc = cli_boot_validate(cmd, short_usage, &boot))) goto done;
  if (boot.requested && !boot.type_given) boot.o.type = cluster ? ATTRIB_BOOT_CLUSTER : ATTRIB_BOOT_PAIRS;
  if (boot.weights_given) {
    rc = cli_usage_error(cmd, short_usage, "--weights-dist applies to wild and multiplier bootstraps, not to logit");
    goto done;
  }
  boot.o.level = o.level;
  cli_boot_progress(&boot, cmd, c.quiet);
  boot.o.threads = o.threads;
  if (boot.requested && boot.o.ci == ATTRIB_CI_BCA) o.keep_fitted = 1;
  cli_model m = {.csv = &csv, .formula = formula, .weights = weights, .cluster = cluster,
                 .vcov_given = vcov_given, .vcov = &o.vcov,
                 .levels_advice = ATTRIB_DESIGN_ADVICE_GROUP}; /* logit absorbs no '|' fixed effects */
  csv.treat = o.treat;
  for (size_t k = 0; cluster && cluster[k] && k < 7; k++) csv.ids[k] = cluster[k]; /* read as text */
  if (!stream && max_memory && optind == argc - 1) stream = cli_stream_too_large(cmd, &c, &csv, argv[optind], max_memory);
  if (stream) {
    rc = run_stream(cmd, &c, &csv, &m, &o, &boot, argc, argv, chunk_rows);
    goto done;
  }
  if ((rc = cli_model_prepare(cmd, short_usage, argc, argv, &m))) goto done;
  attrib_logit_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_boot_result *b = NULL;
  attrib_status s = attrib_logit_fit(m.d, &o, &r, &err);
  /* the treatment's effect on the probability scale, for ROI (roi --from) */
  if (s == ATTRIB_OK && o.treat) s = attrib_logit_margins(m.d, r, o.threads, &err);
  if (s == ATTRIB_OK && boot.requested) s = attrib_logit_bootstrap(m.d, r, (size_t)r->effect_index, &boot.o, &b, &err);
  cli_boot_progress_end(&boot);
  m.bootstrap = b;
  if (s != ATTRIB_OK)
    rc = cli_fail(cmd, s, &err, NULL);
  else if (!(rc = cli_boot_save(cmd, &boot, b)))
    rc = cli_model_output(cmd, &c, &m, write_result, r, r->warnings, r->n_warnings);
  attrib_boot_result_free(b);
  attrib_logit_result_free(r);
  cli_model_release(&m);
done:
  cli_csv_free(&csv);
  cli_list_free(cluster);
  return rc;
}
