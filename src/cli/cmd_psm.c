/* attrib psm: propensity-score matching and weighting (docs/cli.md,
 * docs/methods/psm.md). A thin layer over attrib_psm_fit. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib psm DATA --treat T --outcome Y --covariates \"x1,x2,factor(role)\" [options]\n"
    "Propensity-score matching or weighting with balance diagnostics (docs/methods/psm.md).\n\n"
    "Propensity score:\n"
    "  --treat COL            the 0/1 treatment\n"
    "  --outcome COL[,COL..]  the outcome; several: one score model and matching/weighting, an\n"
    "                         effect each, p-values adjusted (docs/methods/multiple-testing.md)\n"
    "  --per-outcome-rows     several outcomes: each keeps its own rows (Bonferroni, Holm only)\n"
    "  --covariates LIST      comma-separated terms of the propensity model (formula terms: factor(x), a:b, ...)\n"
    "  --link logit|probit    the propensity model's link (default logit)\n"
    "  --score COL            use this score in (0, 1) instead of fitting a model\n"
    "  --distance logit|score match on the logit of the score (default) or on the score\n"
    "Method and estimand:\n"
    "  --method nearest|ipw|aipw   matching (default), normalised IPW, or augmented IPW (doubly robust)\n"
    "  --trim A               weighting: drop units with a score outside [A, 1 - A], re-fit the score (Crump et al. 2009)\n"
    "  --estimand att|atc|ate      default att\n"
    "Matching:\n"
    "  --ratio K              controls per treated unit (default 1)\n"
    "  --replace              match with replacement (Abadie-Imbens SE; with a fitted score and no\n"
    "                         caliper, discard or exact strata, corrected for the score's estimation\n"
    "                         as in Abadie-Imbens 2016 and Stata's teffects psmatch). Every control as\n"
    "                         near as the K-th is kept, each weighted 1/(set size), as Matching::Match\n"
    "  --tie-tolerance T      with --replace: also tie controls whose squared distance is within T\n"
    "                         squared SDs of the K-th nearest's (Matching's distance.tolerance; its\n"
    "                         default is 1e-5); default 0: ties are equal distances\n"
    "  --ps-known             treat the fitted score as known (the 2006 SE, as Matching::Match)\n"
    "  --bias-adjust          Abadie-Imbens (2011) bias correction (with --replace)\n"
    "  --caliper C            in standard deviations of the distance (0.2 is Austin's choice)\n"
    "  --exact COLS           match exactly within these columns' categories\n"
    "  --discard none|treated|control|both   drop units outside the other group's distance range\n"
    "  --order largest|smallest|random|id    order in which treated units choose (default largest)\n"
    "  --seed N               seed for --order random and the bootstrap\n"
    "  --id COL               unique unit id: ties go to the smaller id, so row order never matters\n"
    "Weighting inference:\n"
    "  --bootstrap B          multiplier bootstrap of the influence function (--method ipw|aipw;\n"
    "                         refused for matching: Abadie & Imbens 2008); --weights-dist, --ci\n"
    "                         percentile|basic|normal, --save-draws FILE as for ols; --cluster COL\n"
    "                         draws the multipliers per cluster; --boot-type multiplier (the default\n"
    "                         and the only type built for weighting)\n"
    "Output:\n"
    "  --matches FILE         write the matched pairs (set,treated,control,distance,weight) as CSV\n"
    "  --audit FILE           write every unit left out (unit,treated,reason) as CSV\n"
    "  --level L              confidence level (default 0.95)\n"
    "  --threads N            threads (default: the online CPUs; results do not depend on it)\n"
    "  --stream               refused: matching needs the table in memory (says how much; docs/scale.md)\n"
    "  --format text|json|csv, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -v, -h\n";
/* --by's part of the help, apart: one literal would pass the 4095 bytes C17 promises */
static const char usage_by[] =
    CLI_BY_HELP
    "                         psm: each group fitted alone (score model, matching or weighting and SE\n"
    "                         within it: exact strata on the group); groups independent\n";

static const char short_usage[] =
    "Usage: attrib psm DATA --treat T --outcome Y --covariates \"x1,x2\" [--method nearest|ipw|aipw] [--replace] "
    "[--caliper C]\n";

static int parse_order(const char *s, attrib_match_order *o) {
  static const char *const names[] = {"largest", "smallest", "random", "id"};
  for (int i = 0; i < 4; i++)
    if (!strcmp(s, names[i])) return *o = (attrib_match_order)i, 0;
  return -1;
}

enum { OPT_TREAT = CLI_OPT_COMMAND, OPT_OUTCOME, OPT_COVS, OPT_LINK, OPT_SCORE, OPT_DISTANCE, OPT_METHOD, OPT_ESTIMAND,
       OPT_RATIO, OPT_REPLACE, OPT_BIAS, OPT_PS_KNOWN, OPT_CALIPER, OPT_EXACT, OPT_DISCARD, OPT_ORDER, OPT_ID, OPT_MATCHES,
       OPT_AUDIT, OPT_LEVEL, OPT_THREADS, OPT_TRIM, OPT_CLUSTER, OPT_TIE_TOL, OPT_PER_OUTCOME, OPT_STREAM };

/* Everything the flags say. */
typedef struct psm_opts {
  int stream; /* --stream: refused, with what a table would take */
  cli_common c;
  cli_csv csv;
  attrib_psm_options o;
  const char *covs, *matches, *audit;
  char **exact;
  cli_boot boot;
  cli_by by;
  attrib_formula *cov_terms;
  char **outcomes; /* --outcome's list */
} psm_opts;

/* One of psm's own flags into p->o. Returns an exit code. */
static int psm_option(const char *cmd, int opt, const char *optarg, psm_opts *p) {
  int rc = 0;
  switch (opt) {
  case OPT_TREAT: p->o.treat = optarg; break;
  case OPT_OUTCOME:
    cli_outcomes_option(optarg, &p->outcomes, &p->o.outcome, &p->o.extra_outcomes);
    break;
  case OPT_PER_OUTCOME: p->o.per_outcome_rows = 1; break;
  case OPT_COVS: p->covs = optarg; break;
  case OPT_SCORE: p->o.score = optarg; break;
  case OPT_ID: p->o.id = optarg; break;
  case OPT_MATCHES: p->matches = optarg; break;
  case OPT_AUDIT: p->audit = optarg; break;
  case OPT_REPLACE: p->o.replace = 1; break;
  case OPT_BIAS: p->o.bias_adjust = 1; break;
  case OPT_PS_KNOWN: p->o.ps_known = 1; break;
  case OPT_CLUSTER: p->o.boot_cluster = optarg; break;
  case OPT_TRIM:
    rc = cli_parse_double(cmd, short_usage, "--trim", optarg, &p->o.trim) ? 2 : 0;
    if (!rc && !(p->o.trim > 0.0 && p->o.trim < 0.5))
      rc = cli_usage_error(cmd, short_usage, "--trim expects a number in (0, 0.5), got '%s'", optarg);
    break;
  case OPT_EXACT:
    cli_list_free(p->exact);
    p->exact = cli_split_list(optarg);
    break;
  case OPT_LINK:
    if (attrib_link_parse(optarg, &p->o.link, NULL) != ATTRIB_OK)
      rc = cli_usage_error(cmd, short_usage, "--link expects logit or probit, got '%s'", optarg);
    break;
  case OPT_DISTANCE:
    if (strcmp(optarg, "logit") && strcmp(optarg, "score"))
      rc = cli_usage_error(cmd, short_usage, "--distance expects logit or score, got '%s'", optarg);
    p->o.distance_logit = !strcmp(optarg, "logit");
    break;
  case OPT_METHOD:
    if (attrib_psm_method_parse(optarg, &p->o.method, NULL) != ATTRIB_OK)
      rc = cli_usage_error(cmd, short_usage, "--method expects nearest, ipw or aipw, got '%s'", optarg);
    break;
  case OPT_ESTIMAND:
    if (attrib_estimand_parse(optarg, &p->o.estimand, NULL) != ATTRIB_OK)
      rc = cli_usage_error(cmd, short_usage, "--estimand expects att, atc or ate, got '%s'", optarg);
    break;
  case OPT_DISCARD:
    if (attrib_discard_parse(optarg, &p->o.discard, NULL) != ATTRIB_OK)
      rc = cli_usage_error(cmd, short_usage, "--discard expects none, treated, control or both, got '%s'", optarg);
    break;
  case OPT_ORDER:
    if (parse_order(optarg, &p->o.order))
      rc = cli_usage_error(cmd, short_usage, "--order expects largest, smallest, random or id, got '%s'", optarg);
    break;
  case OPT_RATIO:
    rc = cli_parse_size(cmd, short_usage, "--ratio", optarg, &p->o.ratio) ? 2 : 0;
    if (!rc && p->o.ratio < 1) rc = cli_usage_error(cmd, short_usage, "--ratio must be at least 1");
    break;
  case OPT_CALIPER:
    rc = cli_parse_double(cmd, short_usage, "--caliper", optarg, &p->o.caliper) ? 2 : 0;
    if (!rc && !(p->o.caliper > 0.0)) rc = cli_usage_error(cmd, short_usage, "--caliper must be positive, got '%s'", optarg);
    break;
  case OPT_STREAM: p->stream = 1; break;
  case OPT_TIE_TOL:
    rc = cli_parse_double(cmd, short_usage, "--tie-tolerance", optarg, &p->o.tie_tolerance) ? 2 : 0;
    if (!rc && !(p->o.tie_tolerance >= 0.0))
      rc = cli_usage_error(cmd, short_usage, "--tie-tolerance expects a number >= 0 (squared SDs of the distance), got '%s'",
                           optarg);
    break;
  case OPT_LEVEL: rc = cli_parse_double(cmd, short_usage, "--level", optarg, &p->o.level) ? 2 : 0; break;
  case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &p->o.threads) ? 2 : 0; break;
  default: break;
  }
  return rc;
}

/* The flags into p. Returns an exit code; *help when -h was given. */
static int psm_parse(const char *cmd, int argc, char **argv, psm_opts *p, int *help) {
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS,
      {"treat", required_argument, 0, OPT_TREAT},       {"outcome", required_argument, 0, OPT_OUTCOME},
      {"covariates", required_argument, 0, OPT_COVS},   {"link", required_argument, 0, OPT_LINK},
      {"score", required_argument, 0, OPT_SCORE},       {"distance", required_argument, 0, OPT_DISTANCE},
      {"method", required_argument, 0, OPT_METHOD},     {"estimand", required_argument, 0, OPT_ESTIMAND},
      {"ratio", required_argument, 0, OPT_RATIO},       {"replace", no_argument, 0, OPT_REPLACE},
      {"bias-adjust", no_argument, 0, OPT_BIAS},        {"ps-known", no_argument, 0, OPT_PS_KNOWN},        {"caliper", required_argument, 0, OPT_CALIPER},
      {"exact", required_argument, 0, OPT_EXACT},       {"discard", required_argument, 0, OPT_DISCARD},
      {"order", required_argument, 0, OPT_ORDER},       CLI_BOOT_LONGOPTS,
      {"id", required_argument, 0, OPT_ID},             {"matches", required_argument, 0, OPT_MATCHES},
      {"audit", required_argument, 0, OPT_AUDIT},       {"level", required_argument, 0, OPT_LEVEL},
      {"threads", required_argument, 0, OPT_THREADS},   {"cluster", required_argument, 0, OPT_CLUSTER},
      {"trim", required_argument, 0, OPT_TRIM},         {"tie-tolerance", required_argument, 0, OPT_TIE_TOL},
      {"per-outcome-rows", no_argument, 0, OPT_PER_OUTCOME},
      {"stream", no_argument, 0, OPT_STREAM},
      CLI_BY_LONGOPTS,
      {0, 0, 0, 0}};
  int rc = 0, opt;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &p->c, &p->csv, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &p->boot, &rc);
    if (!h) h = cli_by_option(cmd, short_usage, opt, optarg, &p->by, &rc);
    if (h == 2) {
      *help = 1;
      return 0;
    }
    if (h) continue;
    rc = psm_option(cmd, opt, optarg, p);
  }
  return rc;
}

/* The flags' combinations, checked, and the bootstrap and output
 * requests into the options. */
static int psm_check(const char *cmd, int argc, psm_opts *p) {
  int rc;
  p->o.seed = p->boot.o.seed;
  if ((rc = cli_boot_validate(cmd, short_usage, &p->boot))) return rc;
  if (p->boot.requested) {
    if (p->boot.type_given && p->boot.o.type != ATTRIB_BOOT_MULTIPLIER) {
      rc = cli_usage_error(cmd, short_usage,
                           p->o.method == ATTRIB_PSM_NEAREST
                               ? "--boot-type %s: no bootstrap is valid for nearest-neighbour matching (Abadie & "
                                 "Imbens 2008); the reported Abadie-Imbens or matched-set SE is"
                               : "--boot-type %s (a refit of the score per replicate) is not built for weighting; "
                                 "use --boot-type multiplier (the default), which perturbs the influence function",
                           attrib_boot_type_name(p->boot.o.type));
      return rc;
    }
    p->o.bootstrap = p->boot.o.replicates;
    p->o.boot_weights = p->boot.o.weights;
    p->o.boot_ci = p->boot.o.ci;
    p->o.keep_draws = p->boot.save_draws != NULL;
  }
  if (p->o.boot_cluster && !p->boot.requested) {
    rc = cli_usage_error(cmd, short_usage, "--cluster applies to the weighting bootstrap (--bootstrap B)");
    return rc;
  }
  if (optind != argc - 1) {
    rc = cli_usage_error(cmd, short_usage, optind >= argc ? "missing DATA (a CSV file)" : "expected one DATA file");
    return rc;
  }
  if (!p->o.treat || !p->o.outcome) {
    rc = cli_usage_error(cmd, short_usage, "--treat and --outcome are required");
    return rc;
  }
  if (p->o.per_outcome_rows && !p->o.extra_outcomes) {
    rc = cli_usage_error(cmd, short_usage, "--per-outcome-rows goes with several outcomes (--outcome a,b,...)");
    return rc;
  }
  if (p->o.extra_outcomes && (p->boot.save_draws || p->matches || p->audit) && p->o.per_outcome_rows) {
    rc = cli_usage_error(cmd, short_usage,
                         "--per-outcome-rows runs one analysis per outcome: --save-draws, --matches and --audit would "
                         "describe the first one only; drop them or run each outcome alone");
    return rc;
  }
  if (!p->covs && !p->o.score) {
    rc = cli_usage_error(cmd, short_usage, "--covariates is required (or --score COL)");
    return rc;
  }
  if (p->o.tie_tolerance > 0.0 && !p->o.replace) {
    rc = cli_usage_error(cmd, short_usage,
                         "--tie-tolerance applies to matching with --replace, which keeps tied controls (without it "
                         "each control serves one set and ties go to the smaller --id)");
    return rc;
  }
  if ((rc = cli_by_validate(cmd, short_usage, &p->by))) return rc;
  if (p->by.column && (p->matches || p->audit)) {
    rc = cli_usage_error(cmd, short_usage, "--matches and --audit write the pooled fit's units; they do not take --by");
    return rc;
  }
  if (p->by.column && p->o.extra_outcomes) {
    rc = cli_usage_error(cmd, short_usage, "--by fits one outcome: give one --outcome");
    return rc;
  }
  if (p->o.order == ATTRIB_MATCH_ID && !p->o.id) {
    rc = cli_usage_error(cmd, short_usage, "--order id needs --id COL");
    return rc;
  }
  p->o.exact = (const char *const *)p->exact;
  p->o.keep_pairs = p->matches != NULL;
  p->o.keep_audit = p->audit != NULL;
  return 0;
}

/* The result to the report writers: the main report, --matches and
 * --audit, and the draws to --save-draws. */
static int psm_report(const char *cmd, const char *source, const psm_opts *p, const attrib_table *t,
                      const attrib_psm_result *r, attrib_formula **model) {
  int rc;
  attrib_status s;
  attrib_error err;
  attrib_error_clear(&err);
  /* all files are written to temporaries first and renamed together */
  cli_out main_out = {0}, pairs_out = {0}, audit_out = {0};
  const char *formula = NULL; /* for display only, made from the terms */
  if (!p->o.score && !attrib_formula_new(p->o.treat, model, NULL) &&
      (!p->cov_terms || !attrib_formula_add_formula(*model, p->cov_terms, NULL)))
    formula = attrib_formula_text(*model);
  attrib_report_context ctx = {.command = cmd, .source = source, .formula = formula};
  cli_flag_texts(r->warnings, r->n_warnings); /* options fields as flags, in every format */
  if ((rc = cli_out_open(&main_out, p->c.output, cmd))) goto done;
  if (p->matches && (rc = cli_out_open(&pairs_out, p->matches, cmd))) goto done;
  if (p->audit && (rc = cli_out_open(&audit_out, p->audit, cmd))) goto done;
  ctx.bootstrap = r->boot;
  s = attrib_report_write_psm(main_out.fp, r, &ctx, p->c.format, &err);
  if (!s && p->matches) s = attrib_report_write_psm_pairs(pairs_out.fp, r, t, p->o.id, &err);
  if (!s && p->audit) s = attrib_report_write_psm_audit(audit_out.fp, r, t, p->o.id, p->o.treat, &err);
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (p->matches && (rc = cli_out_commit(&pairs_out, cmd))) goto done;
  if (p->audit && (rc = cli_out_commit(&audit_out, cmd))) goto done;
  if ((rc = cli_boot_save(cmd, &p->boot, r->boot))) goto done;
  rc = cli_out_commit(&main_out, cmd);
  if (!rc) cli_warnings_print(cmd, &p->c, NULL, r->warnings, r->n_warnings);
done:
  if (rc) {
    if (main_out.fp) cli_out_abort(&main_out);
    if (pairs_out.fp) cli_out_abort(&pairs_out);
    if (audit_out.fp) cli_out_abort(&audit_out);
  }
  return rc;
}

int cmd_psm(int argc, char **argv) {
  const char *cmd = "psm";
  psm_opts p = {.c = {.format = ATTRIB_FORMAT_TEXT}};
  attrib_psm_options_init(&p.o);
  cli_boot_init(&p.boot);
  attrib_formula *model = NULL;
  attrib_table *t = NULL;
  attrib_psm_result *r = NULL;
  int rc, help = 0;
  if ((rc = psm_parse(cmd, argc, argv, &p, &help))) goto done;
  if (help) {
    fputs(usage_text, stdout);
    fputs(usage_by, stdout);
    fputs(CLI_CSV_HELP, stdout);
    goto done;
  }
  if (p.stream) {
    rc = cli_stream_refused(cmd, argc, argv, &p.csv,
                            "matching and weighting need the table in memory (the score model's passes, and random "
                            "access to rows for matches) and cannot be streamed");
    goto done;
  }
  if ((rc = psm_check(cmd, argc, &p))) goto done;
  const char *source = argv[optind];
  double t0 = cli_now();
  p.csv.treat = p.o.treat;
  p.csv.ids[0] = p.o.id, p.csv.ids[p.csv.ids[0] != NULL] = p.o.boot_cluster;
  if ((rc = cli_load_table(cmd, source, &p.csv, &t))) goto done;
  double t_load = cli_now() - t0;
  /* the covariates read once into terms (names as written), for the fit
   * and for the model shown */
  if (p.covs && (rc = cli_covariates(cmd, p.covs, t, &p.cov_terms))) goto done;
  p.o.covariate_terms = p.cov_terms;
  attrib_error err;
  attrib_error_clear(&err);
  t0 = cli_now();
  const char *bycol = NULL;
  if ((rc = cli_by_prepare(cmd, &p.by, t, &bycol))) goto done;
  attrib_status s = attrib_psm_fit(t, &p.o, &r, &err);
  if (s == ATTRIB_OK && bycol) {
    attrib_by_options bo;
    attrib_by_options_init(&bo);
    bo.column = bycol;
    s = attrib_psm_by(t, &p.o, &bo, &r->by, &err);
  }
  if (s != ATTRIB_OK) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (p.c.verbose)
    fprintf(stderr,
            "attrib psm: load %.3f s (%zu rows), estimate %.3f s (score model %.3f, matching or weighting %.3f, "
            "effect %.3f, balance and audit %.3f)\n",
            t_load, t->n_rows, cli_now() - t0, r->seconds_score, r->seconds_match, r->seconds_effect,
            r->seconds_balance);
  rc = psm_report(cmd, source, &p, t, r, &model);
done:
  attrib_psm_result_free(r);
  attrib_table_free(t);
  attrib_formula_free(p.cov_terms);
  attrib_formula_free(model);
  cli_csv_free(&p.csv);
  cli_list_free(p.exact);
  cli_list_free(p.outcomes);
  cli_by_free(&p.by);
  return rc;
}
