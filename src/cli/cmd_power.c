/* attrib power: the pilot's minimum detectable effect, learners needed or
 * power, in money too (docs/methods/power.md). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib power --design rct|cluster|did|match (--n N | --mde M | both) [options]\n"
    "The pilot's minimum detectable effect (given --n), the learners needed (given --mde) or the\n"
    "power (given both) of a treated-versus-control comparison (docs/methods/power.md).\n\n"
    "The design:\n"
    "  --design D             rct: learners randomised one by one (default); cluster: whole teams\n"
    "                         randomised; did: a pre and a post measure, treated and control (change\n"
    "                         scores); match: treated learners matched 1:1 without\n"
    "                         replacement to controls\n"
    "  --n N                  total learners, treated and control\n"
    "  --mde M                the effect on the KPI, in its units\n"
    "  --sd S                 the KPI's standard deviation (default 1: --mde in SD units)\n"
    "  --alpha A              the test's level (default 0.05)\n"
    "  --sides 1|2            a two-sided test (default) or one-sided for an effect > 0\n"
    "  --power P              the target power when --n or --mde is solved (default 0.8)\n"
    "  --ratio R              treated : control (default 1; 0.5 = one treated to two controls)\n"
    "  --treated-share P      the treated share of --n instead of --ratio (match: the trained share)\n"
    "  --icc ICC --cluster-size M  cluster: intra-cluster correlation and learners per cluster\n"
    "  --r2 R2                the share of the KPI's variance the covariates explain (default 0)\n"
    "  --rho RHO              did: the KPI's pre/post correlation\n"
    "  --normal               the normal approximation for every design (default: the exact\n"
    "                         noncentral t for rct, cluster and did; match is normal)\n"
    "In money (the ROI at the MDE, and the learners at which the break-even effect is detected):\n"
    "  --value-per-unit V --horizon H --cost-per-learner C --cost NAME=AMOUNT ... --learners N\n"
    "  --decay D --attribution A --margin M --benefit NAME=AMOUNT --periods-per-year P\n"
    "                         as attrib roi's; --learners defaults to the pilot's n\n"
    "From a baseline export (--sd, --icc, --cluster-size and --r2 given on the line win):\n"
    "  --from-data FILE --outcome Y [--cluster COL] [--covariates A,B,...]\n"
    "                         the KPI's SD, the one-way ANOVA ICC within COL and its mean size,\n"
    "                         and the covariates' R2 (OLS)\n"
    "  --na WORDS, --decimal C, --thousands C, --currency, --percent, --encoding E, --strict:\n"
    "                         reading the export (see 'attrib describe --help'); also --delim C,\n"
    "                         --categorical COLS, --numeric COLS, --treat-level L, --period UNIT;\n"
    "                         FILE may be postgresql://...?table=T, or a URI with --sql \"SELECT ...\"\n"
    "Simulation (rct, cluster and did):\n"
    "  --simulate [--reps R] [--seed S] [--threads N]  R data sets (default 1000) with the effect\n"
    "                         planted at the MDE, each fitted by attrib's OLS (cluster SEs by team;\n"
    "                         did: its 2x2 with SEs by learner):\n"
    "                         the empirical power with its Monte Carlo SE (the same for any --threads)\n"
    "  --format text|json|csv, -o FILE, -q, -h; -v is accepted (no timings)\n";

static const char short_usage[] = "Usage: attrib power --design rct|cluster|did|match --n N | --mde M [options]\n";

/* --from-data: the baseline's SD, ICC and mean cluster size, and R2
 * (attrib_power_from_data) into o, unless the line gave them (given: sd,
 * icc, cluster size, r2). *t keeps the table for the caller to free. 0 or an
 * exit code. */
static int apply_baseline(const char *cmd, const char *from, const char *outcome, const char *cluster,
                          const char *covariates, const cli_common *c, cli_csv *csv, attrib_table **t,
                          attrib_power_data_estimates *base, attrib_power_options *o, const int given[4]) {
  csv->quiet = c->quiet;
  if (cluster) csv->ids[0] = cluster; /* team ids are labels, never numbers */
  int rc = cli_load_table(cmd, from, csv, t);
  if (rc) return rc;
  char *rhs = NULL;
  if (covariates && !(rhs = cli_covariates_rhs(covariates))) {
    fprintf(stderr, "attrib %s: out of memory\n", cmd);
    return CLI_EXIT_DATA;
  }
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_power_from_data(*t, outcome, cluster, rhs, base, &err);
  free(rhs);
  if (s) return cli_fail(cmd, s, &err, NULL);
  if (!given[0]) o->sd = base->sd;
  if (cluster && o->design == ATTRIB_POWER_CLUSTER) {
    if (!given[1]) o->icc = base->icc;
    if (!given[2]) o->cluster_size = base->cluster_size;
  }
  if (covariates && !given[3]) o->r2 = base->r2;
  return 0;
}

int cmd_power(int argc, char **argv) {
  const char *cmd = "power";
  enum { OPT_DESIGN = CLI_OPT_COMMAND, OPT_N, OPT_MDE, OPT_SD, OPT_ALPHA, OPT_SIDES, OPT_POWER, OPT_RATIO, OPT_SHARE,
         OPT_ICC, OPT_CSIZE, OPT_R2, OPT_RHO, OPT_NORMAL, OPT_FROM, OPT_OUTCOME, OPT_CLUSTER, OPT_COVARIATES,
         OPT_SIMULATE, OPT_REPS, OPT_SEED, OPT_THREADS };
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_ROI_LONGOPTS, CLI_CSV_LONGOPTS,
      {"design", required_argument, 0, OPT_DESIGN},   {"n", required_argument, 0, OPT_N},
      {"mde", required_argument, 0, OPT_MDE},         {"sd", required_argument, 0, OPT_SD},
      {"alpha", required_argument, 0, OPT_ALPHA},     {"sides", required_argument, 0, OPT_SIDES},
      {"power", required_argument, 0, OPT_POWER},     {"ratio", required_argument, 0, OPT_RATIO},
      {"treated-share", required_argument, 0, OPT_SHARE}, {"icc", required_argument, 0, OPT_ICC},
      {"cluster-size", required_argument, 0, OPT_CSIZE}, {"r2", required_argument, 0, OPT_R2},
      {"rho", required_argument, 0, OPT_RHO},         {"normal", no_argument, 0, OPT_NORMAL},
      {"from-data", required_argument, 0, OPT_FROM},  {"outcome", required_argument, 0, OPT_OUTCOME},
      {"cluster", required_argument, 0, OPT_CLUSTER}, {"covariates", required_argument, 0, OPT_COVARIATES},
      {"simulate", no_argument, 0, OPT_SIMULATE},     {"reps", required_argument, 0, OPT_REPS},
      {"seed", required_argument, 0, OPT_SEED},       {"threads", required_argument, 0, OPT_THREADS},
      {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  attrib_power_options o;
  attrib_power_options_init(&o);
  cli_lines costs = {0}, benefits = {0};
  const char *from = NULL, *outcome = NULL, *cluster = NULL, *covariates = NULL;
  int rc = 0, opt, sd_given = 0, icc_given = 0, csize_given = 0, r2_given = 0, ratio_given = 0, reps_given = 0,
      seed_given = 0, threads_given = 0;
  size_t sides = 2;
  attrib_table *t = NULL;
  attrib_power_result *r = NULL;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (!h && cli_roi_option(cmd, short_usage, opt, &o.roi, &costs, &benefits, NULL, &rc)) h = 1, o.has_roi = 1;
    if (h == 2) {
      fputs(usage_text, stdout);
      goto done;
    }
    if (h) continue;
    double *target = NULL;
    const char *flag = NULL;
    switch (opt) {
    case OPT_DESIGN:
      if (!strcmp(optarg, "rct")) o.design = ATTRIB_POWER_RCT;
      else if (!strcmp(optarg, "cluster")) o.design = ATTRIB_POWER_CLUSTER;
      else if (!strcmp(optarg, "did")) o.design = ATTRIB_POWER_DID;
      else if (!strcmp(optarg, "match")) o.design = ATTRIB_POWER_MATCH;
      else rc = cli_usage_error(cmd, short_usage, "--design expects rct, cluster, did or match, got '%s'", optarg);
      break;
    case OPT_N: target = &o.n, flag = "--n"; break;
    case OPT_MDE: target = &o.mde, flag = "--mde"; break;
    case OPT_SD: target = &o.sd, flag = "--sd", sd_given = 1; break;
    case OPT_ALPHA: target = &o.alpha, flag = "--alpha"; break;
    case OPT_POWER: target = &o.power, flag = "--power"; break;
    case OPT_RATIO: target = &o.ratio, flag = "--ratio", ratio_given = 1; break;
    case OPT_SHARE: target = &o.treated_share, flag = "--treated-share"; break;
    case OPT_ICC: target = &o.icc, flag = "--icc", icc_given = 1; break;
    case OPT_CSIZE: target = &o.cluster_size, flag = "--cluster-size", csize_given = 1; break;
    case OPT_R2: target = &o.r2, flag = "--r2", r2_given = 1; break;
    case OPT_RHO: target = &o.rho, flag = "--rho"; break;
    case OPT_SIDES:
      if (cli_parse_size(cmd, short_usage, "--sides", optarg, &sides)) rc = CLI_EXIT_USAGE;
      else if (sides != 1 && sides != 2) rc = cli_usage_error(cmd, short_usage, "--sides expects 1 or 2, got '%s'", optarg);
      break;
    case OPT_NORMAL: o.normal = 1; break;
    case OPT_FROM: from = optarg; break;
    case OPT_OUTCOME: outcome = optarg; break;
    case OPT_CLUSTER: cluster = optarg; break;
    case OPT_COVARIATES: covariates = optarg; break;
    case OPT_SIMULATE: o.simulate = 1; break;
    case OPT_REPS: rc = cli_parse_size(cmd, short_usage, "--reps", optarg, &o.reps) ? CLI_EXIT_USAGE : 0, reps_given = 1; break;
    case OPT_SEED: rc = cli_parse_ulong(cmd, short_usage, "--seed", optarg, &o.seed) ? CLI_EXIT_USAGE : 0, seed_given = 1; break;
    case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &o.threads) ? CLI_EXIT_USAGE : 0, threads_given = 1; break;
    default: rc = cli_usage_error(cmd, short_usage, "unexpected argument"); break;
    }
    if (target && cli_parse_double(cmd, short_usage, flag, optarg, target)) rc = CLI_EXIT_USAGE;
  }
  if (rc) goto done;
  o.sides = (int)sides;
  if (optind != argc) {
    rc = cli_usage_error(cmd, short_usage, "unexpected argument '%s' (a baseline export goes after --from-data)",
                         argv[optind]);
    goto done;
  }
  if (ratio_given && !isnan(o.treated_share)) {
    rc = cli_usage_error(cmd, short_usage, "give --ratio or --treated-share, not both");
    goto done;
  }
  if (!isnan(o.treated_share)) o.ratio = NAN;
  if ((reps_given || seed_given || threads_given) && !o.simulate) {
    rc = cli_usage_error(cmd, short_usage, "--reps, --seed and --threads set the simulation: add --simulate");
    goto done;
  }
  if (!from && (outcome || cluster || covariates)) {
    rc = cli_usage_error(cmd, short_usage, "--outcome, --cluster and --covariates describe a baseline: add --from-data FILE");
    goto done;
  }
  if (from && !outcome) {
    rc = cli_usage_error(cmd, short_usage, "--from-data needs --outcome Y, the KPI's column");
    goto done;
  }
  attrib_power_data_estimates base;
  const int given[4] = {sd_given, icc_given, csize_given, r2_given};
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s;
  if (from && (rc = apply_baseline(cmd, from, outcome, cluster, covariates, &c, &csv, &t, &base, &o, given)))
    goto done;
  o.roi.costs = costs.v, o.roi.n_costs = costs.n, o.roi.benefits = benefits.v, o.roi.n_benefits = benefits.n;
  if ((s = attrib_power_check(&o, &err))) {
    char text[ATTRIB_ERROR_MESSAGE_MAX + 80];
    rc = cli_usage_error(cmd, short_usage, "%s", cli_error_text(&err, text, sizeof text));
    goto done;
  }
  if ((s = attrib_power_run(&o, &r, &err))) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  cli_out out;
  if ((rc = cli_out_open(&out, c.output, cmd))) goto done;
  cli_flag_texts(r->warnings, r->n_warnings); /* options fields as flags, in every format */
  attrib_report_context ctx = {.command = cmd, .source = from};
  s = attrib_report_write_power(out.fp, r, &o, from ? &base : NULL, &ctx, c.format, &err);
  rc = cli_out_end(&out, cmd, s, &err);
  if (!rc) cli_warnings_print(cmd, &c, NULL, r->warnings, r->n_warnings);
done:
  attrib_power_result_free(r);
  attrib_table_free(t);
  cli_csv_free(&csv);
  cli_lines_free(&costs);
  cli_lines_free(&benefits);
  return rc;
}
