/* attrib did: difference-in-differences (docs/cli.md#did). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib did DATA --outcome Y (--treat T --post P | --unit ID --time T --cohort G) [options]\n"
    "Difference-in-differences (docs/methods/did.md).\n\n"
    "2x2:\n"
    "  --treat T --post P     0/1 columns; the effect is the treat:post coefficient of y ~ treat * post\n"
    "  --covariates \"a,b\"     added to the 2x2 regression\n"
    "Panel (one row per unit and period):\n"
    "  --unit ID --time T     unit id and whole-number period\n"
    "  --cohort G             first treated period (0 or empty = never treated)\n"
    "  --estimator cs|twfe    Callaway-Sant'Anna group-time effects (default) or two-way fixed effects\n"
    "  --estimator sunab      Sun-Abraham interaction-weighted event study (as fixest's sunab)\n"
    "  --estimator imputation Borusyak-Jaravel-Spiess imputation (as didimputation / did_imputation)\n"
    "  --event-study          twfe: relative-time dummies, reference -1, with a joint pre-trend test\n"
    "  --leads K --lags K     twfe event window; the end points collect the periods beyond them\n"
    "  --control never|notyet comparison units for cs (default never)\n"
    "  --anticipation K       cs: periods of anticipation (default 0)\n"
    "  --base-period varying|universal   cs pre-period comparisons (default varying, as did)\n"
    "  --bootstrap B --seed S cs: multiplier bootstrap SEs (as did) and uniform event-study bands;\n"
    "                         2x2 and twfe (not --event-study): the wild cluster bootstrap of the DiD\n"
    "                         coefficient, WCR p-value and its test-inversion interval (as boottest)\n"
    "  --boot-type T          multiplier (cs, its default) or wild (2x2 and twfe, their default);\n"
    "                         --weights-dist rademacher (default), webb or mammen; --ci normal\n"
    "                         (default), percentile or basic (wild: also studentized) for the overall\n"
    "                         effect; --save-draws FILE its replicates\n"
    "  --vcov-out FILE        write the event-study covariance matrix (CSV)\n"
    "  --honest rm|sd         sensitivity to parallel trends (Rambachan & Roth 2023) on the event study\n"
    "                         (cs with --base-period universal, or twfe --event-study): robust sets by\n"
    "                         relative magnitudes (--mbar, default 0,0.5,1,1.5,2) or smoothness (--m),\n"
    "                         and the breakdown value (JSON and text)\n"
    "  --mbar LIST --m LIST   the restriction's values, \"0,0.5,1\" or FROM:TO:STEP\n"
    "  --honest-target average|E   the average post-period effect (default) or the one at event time E\n"
    "Both:\n"
    "  --cluster C            cluster column (panel default: the unit; 2x2 default: HC1)\n"
    "  --level L              confidence level (default 0.95)\n"
    "  --threads N            threads (default: the online CPUs; results do not depend on it)\n"
    "  --format text|json|csv, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -v, -h\n"
    CLI_CSV_HELP;

static const char short_usage[] =
    "Usage: attrib did DATA --outcome Y (--treat T --post P | --unit ID --time T --cohort G) [--estimator cs|twfe|sunab|imputation]\n";

enum { OPT_OUTCOME = CLI_OPT_COMMAND, OPT_TREAT, OPT_POST, OPT_COVS, OPT_UNIT, OPT_TIME, OPT_COHORT, OPT_EST, OPT_ES,
       OPT_LEADS, OPT_LAGS, OPT_CONTROL, OPT_ANT, OPT_BASE, OPT_VCOV, OPT_CLUSTER, OPT_LEVEL,
       OPT_THREADS, OPT_HONEST, OPT_MBAR, OPT_M, OPT_HTARGET };

/* Everything the flags say. */
typedef struct did_opts {
  cli_common c;
  cli_csv csv;
  attrib_did_options o;
  const char *covs, *vcov_out;
  cli_boot boot;
  attrib_formula *cov_terms;
  /* --honest: the restriction, its values (--mbar or --m), the target */
  const char *honest, *honest_vals, *honest_flag, *honest_target;
  double *hm;
  size_t n_hm;
  attrib_honest_options ho;
  long honest_event; /* -1: the average of the post periods */
} did_opts;

/* One of did's own flags into p->o. Returns an exit code. */
static int did_option(const char *cmd, int opt, const char *optarg, did_opts *p) {
  int rc = 0;
  switch (opt) {
  case OPT_OUTCOME: p->o.outcome = optarg; break;
  case OPT_TREAT: p->o.treat = optarg; break;
  case OPT_POST: p->o.post = optarg; break;
  case OPT_COVS: p->covs = optarg; break;
  case OPT_UNIT: p->o.unit = optarg; break;
  case OPT_TIME: p->o.time = optarg; break;
  case OPT_COHORT: p->o.cohort = optarg; break;
  case OPT_CLUSTER: p->o.cluster = optarg; break;
  case OPT_VCOV: p->vcov_out = optarg; break;
  case OPT_ES: p->o.event_study = 1; break;
  case OPT_EST:
    if (!strcmp(optarg, "cs")) p->o.estimator = ATTRIB_DID_CS;
    else if (!strcmp(optarg, "twfe")) p->o.estimator = ATTRIB_DID_TWFE;
    else if (!strcmp(optarg, "2x2")) p->o.estimator = ATTRIB_DID_2X2;
    else if (!strcmp(optarg, "sunab")) p->o.estimator = ATTRIB_DID_SUNAB;
    else if (!strcmp(optarg, "imputation")) p->o.estimator = ATTRIB_DID_IMPUTATION;
    else rc = cli_usage_error(cmd, short_usage, "--estimator expects cs, twfe, sunab, imputation or 2x2, got '%s'", optarg);
    break;
  case OPT_CONTROL:
    if (!strcmp(optarg, "never") || !strcmp(optarg, "notyet")) p->o.control_notyet = !strcmp(optarg, "notyet");
    else rc = cli_usage_error(cmd, short_usage, "--control expects never or notyet, got '%s'", optarg);
    break;
  case OPT_BASE:
    if (!strcmp(optarg, "varying") || !strcmp(optarg, "universal")) p->o.base_universal = !strcmp(optarg, "universal");
    else rc = cli_usage_error(cmd, short_usage, "--base-period expects varying or universal, got '%s'", optarg);
    break;
  case OPT_LEADS: rc = cli_parse_size(cmd, short_usage, "--leads", optarg, &p->o.leads) ? 2 : 0; break;
  case OPT_LAGS: rc = cli_parse_size(cmd, short_usage, "--lags", optarg, &p->o.lags) ? 2 : 0; break;
  case OPT_ANT: rc = cli_parse_size(cmd, short_usage, "--anticipation", optarg, &p->o.anticipation) ? 2 : 0; break;
  case OPT_LEVEL: rc = cli_parse_double(cmd, short_usage, "--level", optarg, &p->o.level) ? 2 : 0; break;
  case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &p->o.threads) ? 2 : 0; break;
  case OPT_HONEST: p->honest = optarg; break;
  case OPT_MBAR: p->honest_vals = optarg, p->honest_flag = "--mbar"; break;
  case OPT_M: p->honest_vals = optarg, p->honest_flag = "--m"; break;
  case OPT_HTARGET: p->honest_target = optarg; break;
  default: break;
  }
  return rc;
}

/* The flags into p. Returns an exit code; *help when -h was given. */
static int did_parse(const char *cmd, int argc, char **argv, did_opts *p, int *help) {
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS,
      {"outcome", required_argument, 0, OPT_OUTCOME}, {"treat", required_argument, 0, OPT_TREAT},
      {"post", required_argument, 0, OPT_POST},       {"covariates", required_argument, 0, OPT_COVS},
      {"unit", required_argument, 0, OPT_UNIT},       {"time", required_argument, 0, OPT_TIME},
      {"cohort", required_argument, 0, OPT_COHORT},   {"estimator", required_argument, 0, OPT_EST},
      {"event-study", no_argument, 0, OPT_ES},        {"leads", required_argument, 0, OPT_LEADS},
      {"lags", required_argument, 0, OPT_LAGS},       {"control", required_argument, 0, OPT_CONTROL},
      {"anticipation", required_argument, 0, OPT_ANT}, {"base-period", required_argument, 0, OPT_BASE},
      CLI_BOOT_LONGOPTS,
      {"vcov-out", required_argument, 0, OPT_VCOV},   {"cluster", required_argument, 0, OPT_CLUSTER},
      {"level", required_argument, 0, OPT_LEVEL},     {"threads", required_argument, 0, OPT_THREADS},
      {"honest", required_argument, 0, OPT_HONEST},   {"mbar", required_argument, 0, OPT_MBAR},
      {"m", required_argument, 0, OPT_M},             {"honest-target", required_argument, 0, OPT_HTARGET},
      {0, 0, 0, 0}};
  int rc = 0, opt;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &p->c, &p->csv, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &p->boot, &rc);
    if (h == 2) {
      *help = 1;
      return 0;
    }
    if (h) continue;
    rc = did_option(cmd, opt, optarg, p);
  }
  return rc;
}

/* --honest, --mbar/--m and --honest-target into p->ho and p->hm. */
static int honest_check(const char *cmd, did_opts *p) {
  if (!p->honest && (p->honest_vals || p->honest_target))
    return cli_usage_error(cmd, short_usage, "%s needs --honest rm|sd", p->honest_vals ? p->honest_flag : "--honest-target");
  if (!p->honest) return 0;
  attrib_error herr;
  attrib_error_clear(&herr);
  if (attrib_honest_restriction_parse(p->honest, &p->ho.restriction, &herr))
    return cli_usage_error(cmd, short_usage, "--honest expects rm or sd, got '%s'", p->honest);
  const int rm = p->ho.restriction == ATTRIB_HONEST_RM;
  if (p->honest_flag && strcmp(p->honest_flag, rm ? "--mbar" : "--m"))
    return cli_usage_error(cmd, short_usage, "--honest %s takes its values with %s, not %s", p->honest,
                           rm ? "--mbar" : "--m", p->honest_flag);
  if (!p->honest_vals && !rm)
    return cli_usage_error(cmd, short_usage, "--honest sd needs --m (the bound on the change in slope, in the outcome's "
                                             "units per period squared)");
  if (cli_parse_numbers(p->honest_vals ? p->honest_vals : "0,0.5,1,1.5,2", &p->hm, &p->n_hm))
    return cli_usage_error(cmd, short_usage, "%s expects numbers \"0,0.5,1\" or FROM:TO:STEP, got '%s'", p->honest_flag,
                           p->honest_vals);
  for (size_t i = 0; i < p->n_hm; i++)
    if (!(p->hm[i] >= 0) || !isfinite(p->hm[i]))
      return cli_usage_error(cmd, short_usage, "%s: values must be >= 0, got %g", rm ? "--mbar" : "--m", p->hm[i]);
  if (p->honest_target && strcmp(p->honest_target, "average")) {
    char *end;
    p->honest_event = strtol(p->honest_target, &end, 10);
    if (*end || end == p->honest_target || p->honest_event < 0)
      return cli_usage_error(cmd, short_usage, "--honest-target expects average or an event time >= 0, got '%s'",
                             p->honest_target);
  }
  if (p->c.format == ATTRIB_FORMAT_CSV)
    return cli_usage_error(cmd, short_usage, "--honest is written in the JSON and text reports, not --format csv");
  return 0;
}

/* The flags' combinations and the bootstrap request into the options,
 * then the options alone checked by the library (attrib_did_check). */
static int did_check(const char *cmd, int argc, did_opts *p) {
  int rc;
  if ((rc = cli_boot_validate(cmd, short_usage, &p->boot))) return rc;
  if (p->boot.type_given && p->boot.o.type != ATTRIB_BOOT_MULTIPLIER && p->boot.o.type != ATTRIB_BOOT_WILD) {
    rc = cli_usage_error(cmd, short_usage,
                         "--boot-type %s: did bootstraps by --boot-type multiplier (Callaway-Sant'Anna, its influence "
                         "functions) or wild (the 2x2 and two-way fixed-effects regressions)",
                         attrib_boot_type_name(p->boot.o.type));
    return rc;
  }
  if (p->boot.requested) {
    p->o.bootstrap = p->boot.o.replicates;
    p->o.seed = p->boot.o.seed;
    if (p->boot.type_given) p->o.boot_type = p->boot.o.type;
    p->o.boot_weights = p->boot.o.weights;
    if (p->boot.ci_given) p->o.boot_ci = p->boot.o.ci;
    p->o.keep_draws = p->boot.save_draws != NULL;
  }
  if ((rc = honest_check(cmd, p))) return rc;
  if (optind != argc - 1) {
    rc = cli_usage_error(cmd, short_usage, optind >= argc ? "missing DATA (a CSV file)" : "expected one DATA file");
    return rc;
  }
  if (!p->o.outcome) {
    rc = cli_usage_error(cmd, short_usage, "--outcome is required");
    return rc;
  }
  /* the options alone, before the data is read (the fit checks them again) */
  attrib_error cerr;
  attrib_error_clear(&cerr);
  attrib_status cs = attrib_did_check(&p->o, &cerr);
  if (cs) return cli_fail(cmd, cs, &cerr, NULL);
  return 0;
}

/* The robust sets on the fitted event study (--honest). */
static int honest_run(const char *cmd, did_opts *p, const attrib_did_result *r, attrib_honest_result **hres) {
  attrib_error err;
  attrib_error_clear(&err);
  attrib_honest_input *hin = NULL;
  attrib_status s = attrib_honest_input_from_did(r, &hin, &err);
  if (!s && p->honest_event >= 0) {
    const double first = hin->reference + 1.0; /* the first post-period event time */
    if ((double)p->honest_event - first >= (double)hin->n_post) {
      const double last = first + (double)hin->n_post - 1;
      attrib_honest_input_free(hin);
      return cli_usage_error(cmd, short_usage, "--honest-target %ld: the event study's post periods end at event time %g",
                             p->honest_event, last);
    }
    p->ho.target_event = (size_t)((double)p->honest_event - first);
  }
  p->ho.level = p->o.level;
  if (!s) s = attrib_honest_run(hin->beta, hin->sigma, hin->n_pre, hin->n_post, p->hm, p->n_hm, &p->ho, hres, &err);
  attrib_honest_input_free(hin);
  return s ? cli_fail(cmd, s, &err, NULL) : 0;
}

/* The result to the report writers (and --vcov-out, --save-draws). */
static int did_report(const char *cmd, const char *source, const did_opts *p, const attrib_did_result *r,
                      const attrib_honest_result *hres) {
  int rc;
  attrib_status s;
  attrib_error err;
  attrib_error_clear(&err);
  cli_out main_out = {0}, vcov_file = {0};
  attrib_report_context ctx = {.command = cmd, .source = source};
  cli_flag_texts(r->warnings, r->n_warnings); /* options fields as flags, in every format */
  if ((rc = cli_out_open(&main_out, p->c.output, cmd))) goto done;
  if (p->vcov_out && (rc = cli_out_open(&vcov_file, p->vcov_out, cmd))) goto done;
  ctx.bootstrap = r->boot;
  ctx.honest = hres;
  s = attrib_report_write_did(main_out.fp, r, &ctx, p->c.format, &err);
  if (!s && p->vcov_out) s = attrib_report_write_did_vcov(vcov_file.fp, r, &err);
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (p->vcov_out && (rc = cli_out_commit(&vcov_file, cmd))) goto done;
  if ((rc = cli_boot_save(cmd, &p->boot, r->boot))) goto done;
  rc = cli_out_commit(&main_out, cmd);
  if (!rc && !p->c.quiet && p->c.format != ATTRIB_FORMAT_TEXT)
    for (size_t i = 0; i < r->n_warnings; i++) fprintf(stderr, "attrib %s: warning: %s\n", cmd, r->warnings[i]);
done:
  if (rc) {
    if (main_out.fp) cli_out_abort(&main_out);
    if (vcov_file.fp) cli_out_abort(&vcov_file);
  }
  return rc;
}

int cmd_did(int argc, char **argv) {
  const char *cmd = "did";
  did_opts p = {.c = {.format = ATTRIB_FORMAT_TEXT}};
  attrib_did_options_init(&p.o);
  cli_boot_init(&p.boot);
  attrib_honest_options_init(&p.ho);
  p.honest_event = -1;
  attrib_honest_result *hres = NULL;
  attrib_table *t = NULL;
  attrib_did_result *r = NULL;
  int rc, help = 0;
  if ((rc = did_parse(cmd, argc, argv, &p, &help))) goto done;
  if (help) {
    fputs(usage_text, stdout);
    goto done;
  }
  if ((rc = did_check(cmd, argc, &p))) goto done;
  const char *source = argv[optind];
  double t0 = cli_now();
  p.csv.treat = p.o.treat;
  p.csv.time = p.o.time, p.csv.cohort = p.o.cohort;
  p.csv.ids[0] = p.o.unit, p.csv.ids[p.csv.ids[0] != NULL] = p.o.cluster;
  if ((rc = cli_load_table(cmd, source, &p.csv, &t))) goto done;
  double t_load = cli_now() - t0;
  if (p.covs && (rc = cli_covariates(cmd, p.covs, t, &p.cov_terms))) goto done; /* names as written */
  p.o.covariate_terms = p.cov_terms;
  attrib_error err;
  attrib_error_clear(&err);
  t0 = cli_now();
  attrib_status s = attrib_did_fit(t, &p.o, &r, &err);
  if (s != ATTRIB_OK) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (p.c.verbose) fprintf(stderr, "attrib did: load %.3f s (%zu rows), estimate %.3f s\n", t_load, t->n_rows, cli_now() - t0);
  if (p.honest && (rc = honest_run(cmd, &p, r, &hres))) goto done;
  rc = did_report(cmd, source, &p, r, hres);
done:
  attrib_honest_result_free(hres);
  free(p.hm);
  attrib_did_result_free(r);
  attrib_table_free(t);
  attrib_formula_free(p.cov_terms);
  cli_csv_free(&p.csv);
  return rc;
}
