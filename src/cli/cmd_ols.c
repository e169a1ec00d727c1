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
    "Several outcomes on one design: --formula \"c(sales, churned, ttfs) ~ trained + x\" fits each\n"
    "outcome on the same rows (a row missing any outcome is dropped for all, and counted) and\n"
    "reports the effect of --treat (default: the first coefficient after the intercept) in each,\n"
    "with p_bonferroni, p_holm and, with --bootstrap (wild by default here, the same weights for\n"
    "every outcome), p_romano_wolf (docs/methods/multiple-testing.md)\n"
    "  --per-outcome-rows     with c(...): each outcome keeps its own rows (Bonferroni, Holm only)\n"
    "  --level L              confidence level (default 0.95)\n"
    "  --fe-tol T             fixed-effect demeaning tolerance (default 1e-10)\n"
    "  --fe-max-iter N        demeaning sweep cap (default 10000)\n"
    "  --keep-singletons      keep rows alone in a fixed-effect level\n"
    "  --collinearity-tol T   relative tolerance for dropping collinear terms (default 1e-10)\n"
    "  --threads N            threads (default: the online CPUs; results do not depend on it)\n"
    "Out of core (docs/scale.md):\n"
    "  --stream               read DATA in chunks and never hold the table: sufficient statistics\n"
    "                         over passes of the file (iid, hc0-hc3, one --cluster; not with '|' fixed\n"
    "                         effects, two cluster columns, --bootstrap, --treat-level or --period)\n"
    "  --max-memory SIZE      stream when the table would take more than SIZE in memory (500M, 2G)\n"
    "  --chunk-rows N         rows per chunk when streaming (default 65536)\n"
    "Bootstrap of the --treat coefficient (docs/methods/bootstrap.md):\n"
    "  --bootstrap B --seed S replicates and seed (same seed, same result for any --threads)\n"
    "  --boot-type T          pairs (rows; default without --cluster), cluster (whole clusters) or wild\n"
    "                         (default with --cluster: the wild cluster bootstrap, WCR p-value with its\n"
    "                         test-inversion interval; without --cluster every row is its own cluster)\n"
    "  --weights-dist W       wild weights: rademacher (default), webb or mammen\n"
    "  --ci M                 percentile (default), basic, normal, bca or studentized\n"
    "  --save-draws FILE      write the replicate estimates (CSV)\n"
    "  --format text|json|csv, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -h\n"
    "  -v, --verbose          load, design and fit times on standard error\n"
    CLI_CSV_HELP;

static attrib_status write_result(FILE *out, const void *r, const attrib_report_context *ctx, attrib_report_format fmt,
                                  attrib_error *err) {
  return attrib_report_write_ols(out, r, ctx, fmt, err);
}

/* --stats-out: the statistics as a file (attrib_report_write_ols_stats). */
static int stats_save(const char *cmd, const char *path, const attrib_ols_stats *st) {
  cli_out out;
  int rc = cli_out_open(&out, path, cmd);
  if (rc) return rc;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_report_write_ols_stats(out.fp, st, &err);
  return cli_out_end(&out, cmd, s, &err);
}

/* --stats-out and --coefficients-from */
typedef struct ols_stats_io {
  const char *out, *at;
} ols_stats_io;

/* After a part's residual pass at other coefficients: what was written. */
static void part_note(const char *cmd, const cli_common *c, const ols_stats_io *io) {
  if (!c->quiet)
    fprintf(stderr, "attrib %s: the residual pass at the coefficients of %s written to %s (merge it with --from-stats)\n",
            cmd, io->at, io->out);
}

/* --pushdown: the sums run in the database, no table is loaded. */
static int ols_pushdown(const char *cmd, int argc, char **argv, const cli_common *c, const cli_csv *csv,
                        const char *formula, const char *weights, char **cluster, int vcov_given, attrib_ols_options *o,
                        const cli_boot *boot, const ols_stats_io *io, const char *usage) {
  if (optind != argc - 1) return cli_usage_error(cmd, usage, "expected one DATA source (postgresql://...)");
  const char *src = argv[optind];
  if (!attrib_pg_is_uri(src))
    return cli_usage_error(cmd, usage, "--pushdown runs in the database: DATA must be a postgresql:// URI");
  if (!formula) return cli_usage_error(cmd, usage, "--formula is required");
  if (cli_formula_outcomes(formula) > 1)
    return cli_usage_error(cmd, usage, "--pushdown fits one outcome: give c(...) ~ ... without --pushdown");
  if (weights) return cli_usage_error(cmd, usage, "--pushdown does not take --weights");
  if (boot->requested) return cli_usage_error(cmd, usage, "--pushdown does not bootstrap: drop --bootstrap");
  if (cluster && cluster[0] && cluster[1])
    return cli_usage_error(cmd, usage, "--pushdown clusters by one column, not two");
  if (io->at && !io->out)
    return cli_usage_error(cmd, usage, "--coefficients-from writes statistics, not a fit: give --stats-out FILE");
  int rc = cli_resolve_vcov(cmd, usage, cluster, vcov_given, &o->vcov);
  if (rc) return rc;
  attrib_ols_result *r = NULL;
  attrib_ols_stats *at = NULL, *st = NULL;
  char *queries = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = io->at ? attrib_ols_stats_read(io->at, &at, &err) : ATTRIB_OK;
  if (s == ATTRIB_OK)
    s = attrib_ols_pushdown_stats(src, csv->sql, formula, cluster ? cluster[0] : NULL, o, at, &st,
                                  c->verbose ? &queries : NULL, &err);
  attrib_ols_stats_free(at);
  cli_mask_password(argv[optind]); /* src is argv's own memory: the report's source shows no password */
  if (queries) fprintf(stderr, "attrib %s: the SQL run:\n%s\n", cmd, queries);
  attrib_pg_free(queries);
  /* at other coefficients the sums are one part's, not a fit: only the file */
  if (s == ATTRIB_OK && io->at) {
    rc = stats_save(cmd, io->out, st);
    if (!rc) part_note(cmd, c, io);
    attrib_ols_stats_free(st);
    return rc;
  }
  if (s == ATTRIB_OK) s = attrib_ols_from_stats(st, o, &r, &err);
  if (s != ATTRIB_OK) {
    attrib_ols_stats_free(st);
    return cli_fail(cmd, s, &err, NULL);
  }
  rc = io->out ? stats_save(cmd, io->out, st) : 0;
  attrib_ols_stats_free(st);
  cli_common quiet_c = *c;
  quiet_c.verbose = 0; /* no load or design timings: there was neither */
  cli_model m = {.csv = csv, .formula = formula, .source = src, .cluster = cluster};
  if (!rc) rc = cli_model_output(cmd, &quiet_c, &m, write_result, r, r->warnings, r->n_warnings);
  attrib_ols_result_free(r);
  return rc;
}

/* --from-stats FILE [FILE ...]: the files' sums merged and finished. */
static int ols_from_stats(const char *cmd, int argc, char **argv, const cli_common *c, const cli_csv *csv,
                          char **files, int vcov_given, attrib_ols_options *o, const char *stats_out) {
  attrib_ols_stats *sum = NULL, *part = NULL;
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = ATTRIB_OK;
  size_t n_files = 0;
  char *source = NULL;
  /* the flag's files, then the positional ones */
  size_t n_flag = 0;
  while (files[n_flag]) n_flag++;
  n_files = n_flag + (size_t)(argc - optind);
  for (size_t i = 0; s == ATTRIB_OK && i < n_files; i++) {
    const char *path = i < n_flag ? files[i] : argv[optind + (int)(i - n_flag)];
    if ((s = attrib_ols_stats_read(path, &part, &err))) break;
    if (i == 0 && !vcov_given) o->vcov = part->has_residuals ? part->vcov : ATTRIB_VCOV_IID; /* the files' vcov */
    s = attrib_ols_stats_merge(&sum, part, &err);
    attrib_ols_stats_free(part);
    part = NULL;
    if (s) { /* which file did not merge: the message names the parts' difference */
      attrib_ols_stats_free(sum);
      if (s == ATTRIB_ENOMEM) return cli_fail(cmd, s, &err, NULL);
      fprintf(stderr, "attrib %s: %s: %s\n", cmd, path, err.message);
      return CLI_EXIT_DATA;
    }
  }
  if (s == ATTRIB_OK) s = attrib_ols_from_stats(sum, o, &r, &err);
  if (s != ATTRIB_OK) {
    attrib_ols_stats_free(sum);
    return cli_fail(cmd, s, &err, NULL);
  }
  /* the merged file carries the merged solution: the coefficients the
   * parts' residual passes are to use (--coefficients-from) */
  if (stats_out && (s = attrib_ols_stats_solve(sum, o->collinearity_tol, &err))) {
    attrib_ols_stats_free(sum);
    attrib_ols_result_free(r);
    return cli_fail(cmd, s, &err, NULL);
  }
  int rc = stats_out ? stats_save(cmd, stats_out, sum) : 0;
  char *formula = sum->formula ? strdup(sum->formula) : NULL; /* the first file's, for the report */
  attrib_ols_stats_free(sum);
  /* the report's source: the files, joined */
  size_t len = 1;
  for (size_t i = 0; i < n_files; i++) len += strlen(i < n_flag ? files[i] : argv[optind + (int)(i - n_flag)]) + 2;
  if (!rc && !(source = calloc(len, 1))) rc = cli_fail(cmd, ATTRIB_ENOMEM, NULL, NULL);
  for (size_t i = 0; !rc && i < n_files; i++) {
    if (i) strcat(source, ", ");
    strcat(source, i < n_flag ? files[i] : argv[optind + (int)(i - n_flag)]);
  }
  cli_common quiet_c = *c;
  quiet_c.verbose = 0;
  cli_model m = {.csv = csv, .source = source, .formula = formula};
  if (!rc) rc = cli_model_output(cmd, &quiet_c, &m, write_result, r, r->warnings, r->n_warnings);
  free(source);
  free(formula);
  attrib_ols_result_free(r);
  return rc;
}

/* the database's and the statistics' part of the help, apart: one literal
 * would pass the 4095 bytes C17 promises */
static const char usage_scale[] =
    "In the database (DATA postgresql://...?table=T, or --sql; docs/scale.md):\n"
    "  --pushdown             PostgreSQL computes X'X, X'y and the sandwich's meat (SUM, GROUP BY\n"
    "                         the cluster) and attrib solves: iid, hc1 or one --cluster (CR1);\n"
    "                         numeric columns and factor() only; -v prints the SQL\n"
    "  --stats-out FILE       with --pushdown or --stream: also write the sufficient statistics (n,\n"
    "                         X'X, X'y, the residual pass's sums) as JSON, to finish or merge later\n"
    "                         with --from-stats (iid, hc1 or one --cluster; no weights)\n"
    "  --coefficients-from FILE  with --stats-out: take the residual pass at the\n"
    "                         coefficients of this statistics file (the merged fit of several parts)\n"
    "                         and write only the statistics\n"
    "From sufficient statistics (docs/scale.md, \"Feeding the result back\"):\n"
    "  --from-stats FILE [FILE ...]  finish the fit from statistics files (--stats-out, or a\n"
    "                         distributed engine's sums) instead of DATA; several are merged by adding\n"
    "                         their sums; --vcov iid, hc1 or cluster (default: the files'), --treat,\n"
    "                         --level, --stats-out (the merged statistics)\n";

/* --by's part of the help, apart: one literal would pass the 4095 bytes C17 promises */
static const char usage_by[] =
    CLI_BY_HELP
    "                         ols: one fully interacted regression (every term, the intercept and the\n"
    "                         fixed effects crossed with the group), its joint vcov; needs --treat\n";

static const char short_usage[] = "Usage: attrib ols DATA --formula \"y ~ x\" [--vcov T] [--cluster COL] [--weights COL]\n";

/* --stream: the fit from passes over the file (attrib_ols_fit_stream). */
static int run_stream(const char *cmd, const cli_common *c, const cli_csv *csv, cli_model *m, attrib_ols_options *o,
                      const cli_boot *boot, int argc, char **argv, size_t chunk_rows, const ols_stats_io *io) {
  attrib_csv_options co;
  attrib_design_options dopts;
  int rc = cli_stream_prepare(cmd, short_usage, csv, m, boot, "--bootstrap resamples rows and needs the table in memory",
                              argc, argv, &co, &dopts);
  if (rc) return rc;
  if (cli_formula_outcomes(m->formula) > 1)
    return cli_usage_error(cmd, short_usage, "--stream fits one outcome: give c(...) ~ ... without --stream");
  attrib_ols_result *r = NULL;
  attrib_ols_stats *at = NULL, *st = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = io->at ? attrib_ols_stats_read(io->at, &at, &err) : ATTRIB_OK;
  if (s == ATTRIB_OK && io->out) /* the fit and its statistics, or the statistics alone at at's coefficients */
    s = attrib_ols_stream_stats(m->source, &co, m->formula, &dopts, o, chunk_rows, at, &st, &r, &err);
  else if (s == ATTRIB_OK)
    s = attrib_ols_fit_stream(m->source, &co, m->formula, &dopts, o, chunk_rows, &r, &err);
  attrib_ols_stats_free(at);
  if (s != ATTRIB_OK) return cli_stream_fail(cmd, s, &err, m->formula);
  rc = io->out ? stats_save(cmd, io->out, st) : 0;
  attrib_ols_stats_free(st);
  if (!rc && io->at) part_note(cmd, c, io);
  if (!rc && r) rc = cli_model_output(cmd, c, m, write_result, r, r->warnings, r->n_warnings);
  attrib_ols_result_free(r);
  return rc;
}

static attrib_status write_multi(FILE *out, const void *r, const attrib_report_context *ctx, attrib_report_format fmt,
                                 attrib_error *err) {
  return attrib_report_write_ols_multi(out, r, ctx, fmt, err);
}

/* c(y1, y2, ...) ~ ...: every outcome on the one design, p-values adjusted */
static int ols_multi(const char *cmd, const cli_common *c, cli_model *m, const attrib_ols_options *o, cli_boot *boot,
                     const char *const *cluster, int per_outcome) {
  attrib_error err;
  attrib_error_clear(&err);
  attrib_ols_multi *r = NULL;
  attrib_status s;
  if (per_outcome) { /* one design per outcome, as cli_build_design makes them */
    attrib_design_options dopt;
    cli_design_options(&dopt, m->weights, cluster);
    s = attrib_ols_fit_outcomes_each(m->t, m->f, &dopt, o, boot ? &boot->o : NULL, &r, &err);
  } else {
    s = attrib_ols_fit_outcomes(m->d, o, boot ? &boot->o : NULL, &r, &err);
  }
  if (boot) cli_boot_progress_end(boot);
  if (s != ATTRIB_OK) return cli_fail(cmd, s, &err, NULL);
  /* options fields as flags in every format; the report names each
   * outcome's warnings itself, and so does standard error below */
  for (size_t j = 0; j < r->n_outcomes; j++) cli_flag_texts(r->fits[j]->warnings, r->fits[j]->n_warnings);
  int rc = cli_model_output(cmd, c, m, write_multi, r, NULL, 0);
  for (size_t j = 0; !rc && j < r->n_outcomes; j++)
    cli_warnings_print(cmd, c, r->fits[j]->response, r->fits[j]->warnings, r->fits[j]->n_warnings);
  attrib_ols_multi_free(r);
  return rc;
}


/* One outcome on the table in memory: the fit, --by's subgroups, the
 * bootstrap, the output. Releases nothing: the caller owns m. */
static int ols_single(const char *cmd, const cli_common *c, cli_model *m, const attrib_ols_options *o, cli_boot *boot,
                      cli_by *by) {
  int rc;
  const char *bycol = NULL;
  if ((rc = cli_by_prepare(cmd, by, m->t, &bycol))) return rc;
  attrib_ols_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_boot_result *b = NULL;
  attrib_status s = attrib_ols_fit(m->d, o, &r, &err);
  if (s == ATTRIB_OK && bycol) {
    attrib_design_options dopts;
    cli_design_options(&dopts, m->weights, (const char *const *)m->cluster);
    attrib_by_options bo;
    attrib_by_options_init(&bo);
    bo.column = bycol;
    s = attrib_ols_by(m->t, m->f, &dopts, o, &bo, &r->by, &err);
  }
  if (s == ATTRIB_OK && boot->requested) s = attrib_ols_bootstrap(m->d, r, (size_t)r->effect_index, &boot->o, &b, &err);
  /* a warning whose action was taken (the wild cluster bootstrap it asks
   * for) is not printed after it */
  if (s == ATTRIB_OK && b) attrib_ols_settle_warnings(r, b);
  cli_boot_progress_end(boot);
  m->bootstrap = b;
  if (s != ATTRIB_OK)
    rc = cli_fail(cmd, s, &err, NULL);
  else if (!(rc = cli_boot_save(cmd, boot, b)))
    rc = cli_model_output(cmd, c, m, write_result, r, r->warnings, r->n_warnings);
  attrib_boot_result_free(b);
  attrib_ols_result_free(r);
  return rc;
}

/* --from-stats FILE, once more: the list grows, NULL-terminated */
static int add_file(const char *cmd, char ***list, size_t *n, char *path) {
  char **grown = realloc(*list, (*n + 2) * sizeof *grown);
  if (!grown) return cli_fail(cmd, ATTRIB_ENOMEM, NULL, NULL);
  *list = grown;
  grown[(*n)++] = path;
  grown[*n] = NULL;
  return 0;
}

/* Where DATA is not a file to load: --from-stats, --pushdown */
typedef struct ols_src {
  int pushdown, streamed, stream; /* streamed: --stream or --max-memory; stream: --stream */
  char **from_stats;
  ols_stats_io io;
} ols_src;

/* Runs --from-stats or --pushdown (their exit code), or returns -1 when the
 * table is to be loaded (or streamed) from DATA. */
static int ols_other_source(const char *cmd, int argc, char **argv, const cli_common *c, const cli_csv *csv,
                            const ols_src *src, const char *formula, const char *weights, char **cluster,
                            int vcov_given, attrib_ols_options *o, const cli_boot *boot, const cli_by *by) {
  if (src->pushdown && (src->streamed || by->column))
    return cli_usage_error(cmd, short_usage, by->column ? "--pushdown fits the pooled model only: leave out --by"
                                                        : "--pushdown runs in the database; --stream and --max-memory read a file: choose one");
  if (src->from_stats) {
    const char *clash = src->pushdown ? "--pushdown" : src->streamed ? "--stream" : formula ? "--formula"
                      : cluster ? "--cluster" : weights ? "--weights" : boot->requested ? "--bootstrap"
                      : by->column ? "--by" : src->io.at ? "--coefficients-from" : NULL;
    if (clash)
      return cli_usage_error(cmd, short_usage, "--from-stats reads the model and its sums from the files: leave out %s",
                             clash);
    return ols_from_stats(cmd, argc, argv, c, csv, src->from_stats, vcov_given, o, src->io.out);
  }
  if ((src->io.out || src->io.at) && !src->pushdown && !src->stream)
    return cli_usage_error(cmd, short_usage, "%s goes with --pushdown or --stream%s",
                           src->io.at ? "--coefficients-from" : "--stats-out", src->io.at ? "" : " (or --from-stats)");
  if (src->io.at && !src->io.out)
    return cli_usage_error(cmd, short_usage, "--coefficients-from writes statistics, not a fit: give --stats-out FILE");
  if (src->pushdown)
    return ols_pushdown(cmd, argc, argv, c, csv, formula, weights, cluster, vcov_given, o, boot, &src->io, short_usage);
  return -1;
}

int cmd_ols(int argc, char **argv) {
  const char *cmd = "ols";
  enum { OPT_THREADS = CLI_OPT_COMMAND + 50, OPT_FORMULA = CLI_OPT_COMMAND, OPT_VCOV, OPT_CLUSTER, OPT_WEIGHTS, OPT_TREAT, OPT_LEVEL, OPT_FETOL,
         OPT_FEMAX, OPT_KEEPSING, OPT_COLTOL, OPT_PUSHDOWN, OPT_PER_OUTCOME, OPT_STREAM, OPT_MAXMEM,
         OPT_CHUNK, OPT_STATS_OUT, OPT_COEF_FROM, OPT_FROM_STATS };
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS,
      {"threads", required_argument, 0, OPT_THREADS}, {"formula", required_argument, 0, OPT_FORMULA}, {"vcov", required_argument, 0, OPT_VCOV},
      {"cluster", required_argument, 0, OPT_CLUSTER}, {"weights", required_argument, 0, OPT_WEIGHTS},
      {"treat", required_argument, 0, OPT_TREAT},     {"level", required_argument, 0, OPT_LEVEL},
      {"fe-tol", required_argument, 0, OPT_FETOL},    {"fe-max-iter", required_argument, 0, OPT_FEMAX},
      {"keep-singletons", no_argument, 0, OPT_KEEPSING}, {"pushdown", no_argument, 0, OPT_PUSHDOWN}, {"collinearity-tol", required_argument, 0, OPT_COLTOL},
      {"per-outcome-rows", no_argument, 0, OPT_PER_OUTCOME},
      {"stream", no_argument, 0, OPT_STREAM}, {"max-memory", required_argument, 0, OPT_MAXMEM},
      {"chunk-rows", required_argument, 0, OPT_CHUNK},
      {"stats-out", required_argument, 0, OPT_STATS_OUT}, {"coefficients-from", required_argument, 0, OPT_COEF_FROM},
      {"from-stats", required_argument, 0, OPT_FROM_STATS},
      CLI_BOOT_LONGOPTS, CLI_BY_LONGOPTS,
      {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  const char *formula = NULL, *weights = NULL;
  char **cluster = NULL, **from_stats = NULL;
  size_t n_from_stats = 0;
  ols_stats_io io = {0};
  int vcov_given = 0, rc = 0, opt, pushdown = 0, per_outcome = 0, stream = 0;
  size_t max_memory = 0, chunk_rows = 0;
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
      fputs(usage_scale, stdout);
      fputs(usage_by, stdout);
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
    case OPT_PUSHDOWN: pushdown = 1; break;
    case OPT_STATS_OUT: io.out = optarg; break;
    case OPT_COEF_FROM: io.at = optarg; break;
    case OPT_FROM_STATS: rc = add_file(cmd, &from_stats, &n_from_stats, optarg); break;
    case OPT_PER_OUTCOME: per_outcome = 1; break;
    case OPT_STREAM: stream = 1; break;
    case OPT_MAXMEM: rc = cli_parse_bytes(cmd, short_usage, "--max-memory", optarg, &max_memory) ? 2 : 0; break;
    case OPT_CHUNK:
      rc = cli_parse_size(cmd, short_usage, "--chunk-rows", optarg, &chunk_rows) ? 2 : 0;
      if (!rc && chunk_rows == 0) rc = cli_usage_error(cmd, short_usage, "--chunk-rows must be at least 1");
      break;
    case OPT_COLTOL:
      rc = cli_parse_double(cmd, short_usage, "--collinearity-tol", optarg, &o.collinearity_tol) ? 2 : 0;
      break;
    default: break;
    }
  }
  if (rc) goto done;
  ols_src src = {.pushdown = pushdown, .streamed = stream || max_memory, .stream = stream, .from_stats = from_stats,
                 .io = io};
  rc = ols_other_source(cmd, argc, argv, &c, &csv, &src, formula, weights, cluster, vcov_given, &o, &boot, &by);
  if (rc >= 0) goto done;
  rc = 0;
  int multi = formula && cli_formula_outcomes(formula) > 1;
  if (per_outcome && !multi) {
    rc = cli_usage_error(cmd, short_usage, "--per-outcome-rows goes with several outcomes: --formula \"c(y1, y2) ~ ...\"");
    goto done;
  }
  if (multi && boot.save_draws) {
    rc = cli_usage_error(cmd, short_usage, "--save-draws writes one outcome's draws: it does not go with c(...) ~ ...");
    goto done;
  }
  if (boot.requested && !o.treat && !multi) {
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
  if (by.column && (multi || stream || max_memory)) {
    rc = cli_usage_error(cmd, short_usage, "--by fits one outcome from the table in memory: %s",
                         multi ? "give one outcome, not c(...)" : "leave out --stream and --max-memory");
    goto done;
  }
  /* several outcomes: wild, whose t* under the null give Romano-Wolf */
  if (boot.requested && !boot.type_given) boot.o.type = cluster || multi ? ATTRIB_BOOT_WILD : ATTRIB_BOOT_PAIRS;
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
  if (!stream && max_memory && optind == argc - 1) stream = cli_stream_too_large(cmd, &c, &csv, argv[optind], max_memory);
  if (stream) {
    rc = run_stream(cmd, &c, &csv, &m, &o, &boot, argc, argv, chunk_rows, &io);
    goto done;
  }
  m.multi_ok = 1;
  if ((rc = cli_model_prepare(cmd, short_usage, argc, argv, &m))) goto done;
  if (m.d->n_outcomes > 1) {
    rc = ols_multi(cmd, &c, &m, &o, boot.requested ? &boot : NULL, per_outcome ? (const char *const *)cluster : NULL,
                   per_outcome);
    cli_model_release(&m);
    goto done;
  }
  rc = ols_single(cmd, &c, &m, &o, &boot, &by);
  cli_model_release(&m);
done:
  cli_by_free(&by);
  cli_csv_free(&csv);
  cli_list_free(cluster);
  free(from_stats);
  return rc;
}
