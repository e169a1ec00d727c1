/* attrib did: difference-in-differences (docs/cli.md#did). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib did DATA --outcome Y (--treat T --post P | --unit ID --time T --cohort G) [options]\n"
    "Difference-in-differences (docs/methods/did.md).\n\n"
    "2x2:\n"
    "  --treat T --post P     0/1 columns; the effect is the treat:post coefficient of y ~ treat * post\n"
    "  --covariates \"a,b\"     added to the 2x2 regression; panels: twfe y ~ D + a + b | unit + time,\n"
    "                         cs the doubly robust group-time effects\n"
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
    "  --unbalanced drop|keep cs, units missing some period: dropped (default, as did; a warning says\n"
    "                         how many) or kept, each effect using the units observed in its two periods\n"
    "  --bootstrap B --seed S cs: multiplier bootstrap SEs (as did) and uniform event-study bands;\n"
    "                         2x2 and twfe (not --event-study): the wild cluster bootstrap of the DiD\n"
    "                         coefficient, WCR p-value and its test-inversion interval (as boottest)\n"
    "  --boot-type T          multiplier (cs, its default) or wild (2x2 and twfe, their default);\n"
    "                         --weights-dist rademacher (default), webb or mammen; --ci normal\n"
    "                         (default), percentile or basic (wild: also studentized) for the overall\n"
    "                         effect; --save-draws FILE its replicates\n"
    "  --min-e E --max-e E    cs: the event study's event times (as did's aggte min_e, max_e); --max-e\n"
    "                         also bounds the periods each cohort's effect averages\n"
    "  --balance-e E          cs: the event study keeps only cohorts observed at event times 0..E\n"
    "  --window-diff A:B,C:D  cs: mean event-study effect over C..D minus the mean over A..B, with its SE\n"
    "  --cells-out FILE       cs: ATT by cohort x event time (the heterogeneity table, CSV)\n"
    "  --vcov-out FILE        write the event-study covariance matrix (CSV)\n"
    "  --honest rm|sd         sensitivity to parallel trends (Rambachan & Roth 2023) on the event study\n"
    "                         (cs with --base-period universal, or twfe --event-study): robust sets by\n"
    "                         relative magnitudes (--mbar, default 0,0.5,1,1.5,2) or smoothness (--m),\n"
    "                         and the breakdown value (JSON and text)\n"
    "  --mbar LIST --m LIST   the restriction's values, \"0,0.5,1\" or FROM:TO:STEP\n"
    "  --honest-target average|E   the average post-period effect (default) or the one at event time E\n"
    ;
/* the rest of --help (one literal would pass the 4095 bytes C17 promises) */
static const char usage_tail[] =
    "Several outcomes:\n"
    "  --outcome A,B,...      each estimated on the same rows (a row missing one is dropped for all),\n"
    "                         the same bootstrap draws; p_bonferroni, p_holm, p_romano_wolf (with the\n"
    "                         bootstrap) across them (docs/methods/multiple-testing.md)\n"
    "  --per-outcome-rows     each outcome keeps its own rows (Bonferroni and Holm only)\n"
    "Both:\n"
    "  --cluster C            cluster column (panel default: the unit; 2x2 default: HC1)\n"
    "  --level L              confidence level (default 0.95)\n"
    "  --threads N            threads (default: the online CPUs; results do not depend on it)\n"
    CLI_BY_HELP
    "                         did: each group fitted alone (the DiD interacted with the group); every\n"
    "                         unit and cluster must lie in one group; groups independent\n"
    "  --stream               a 2x2 read in chunks, never the whole table (docs/scale.md;\n"
    "                         panels and --bootstrap need the table: refused, saying how much)\n"
    "  --chunk-rows N         rows per chunk with --stream (default 65536)\n"
    "  --pushdown             a 2x2 in PostgreSQL (DATA postgresql://..., or --sql): the cells and the\n"
    "                         regression's sums run in the database (docs/scale.md); -v prints the SQL\n"
    "  --format text|json|csv, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -v, -h\n";

static const char short_usage[] =
    "Usage: attrib did DATA --outcome Y (--treat T --post P | --unit ID --time T --cohort G) [--estimator cs|twfe|sunab|imputation]\n";

enum { OPT_OUTCOME = CLI_OPT_COMMAND, OPT_TREAT, OPT_POST, OPT_COVS, OPT_UNIT, OPT_TIME, OPT_COHORT, OPT_EST, OPT_ES,
       OPT_LEADS, OPT_LAGS, OPT_CONTROL, OPT_ANT, OPT_BASE, OPT_VCOV, OPT_CLUSTER, OPT_LEVEL,
       OPT_THREADS, OPT_HTARGET, OPT_MIN_E, OPT_MAX_E, OPT_BALANCE_E, OPT_WINDOW,
       OPT_CELLS, OPT_UNBAL, OPT_PER_OUTCOME, OPT_STREAM, OPT_CHUNK, OPT_PUSHDOWN };

/* What the flags set besides the options: files, covariates, --honest's settings. */
typedef struct did_cli {
  const char *covs, *vcov_out, *cells_out;
  char **outcomes; /* --outcome's list */
  int stream;        /* --stream: the 2x2 from passes over the file */
  int pushdown;      /* --pushdown: the 2x2's sums in the database */
  size_t chunk_rows; /* --chunk-rows */
  cli_honest honest; /* --honest, --mbar / --m, --honest-target */
} did_cli;

/* --window-diff PRE_START:PRE_END,POST_START:POST_END */
static int parse_window(const char *cmd, const char *arg, attrib_did_options *o) {
  double w[4];
  char tail;
  if (sscanf(arg, "%lf:%lf,%lf:%lf%c", &w[0], &w[1], &w[2], &w[3], &tail) != 4)
    return cli_usage_error(cmd, short_usage, "--window-diff expects PRE_START:PRE_END,POST_START:POST_END (event "
                                             "times, e.g. -3:-1,0:2), got '%s'", arg);
  memcpy(o->window_diff_e, w, sizeof w);
  o->has_window_diff = 1;
  return 0;
}

/* One of did's own flags (the shared ones are handled before): 0 or an exit code. */
static int did_flag(const char *cmd, int opt, const char *arg, attrib_did_options *o, did_cli *d) {
  switch (opt) {
  case OPT_OUTCOME:
    cli_outcomes_option(arg, &d->outcomes, &o->outcome, &o->extra_outcomes);
    break;
  case OPT_PER_OUTCOME: o->per_outcome_rows = 1; break;
  case OPT_TREAT: o->treat = arg; break;
  case OPT_POST: o->post = arg; break;
  case OPT_COVS: d->covs = arg; break;
  case OPT_UNIT: o->unit = arg; break;
  case OPT_TIME: o->time = arg; break;
  case OPT_COHORT: o->cohort = arg; break;
  case OPT_CLUSTER: o->cluster = arg; break;
  case OPT_VCOV: d->vcov_out = arg; break;
  case OPT_CELLS: d->cells_out = arg; break;
  case OPT_ES: o->event_study = 1; break;
  case OPT_EST:
    if (!strcmp(arg, "cs")) o->estimator = ATTRIB_DID_CS;
    else if (!strcmp(arg, "twfe")) o->estimator = ATTRIB_DID_TWFE;
    else if (!strcmp(arg, "2x2")) o->estimator = ATTRIB_DID_2X2;
    else if (!strcmp(arg, "sunab")) o->estimator = ATTRIB_DID_SUNAB;
    else if (!strcmp(arg, "imputation")) o->estimator = ATTRIB_DID_IMPUTATION;
    else return cli_usage_error(cmd, short_usage, "--estimator expects cs, twfe, sunab, imputation or 2x2, got '%s'", arg);
    break;
  case OPT_CONTROL:
    if (!strcmp(arg, "never") || !strcmp(arg, "notyet")) o->control_notyet = !strcmp(arg, "notyet");
    else return cli_usage_error(cmd, short_usage, "--control expects never or notyet, got '%s'", arg);
    break;
  case OPT_BASE:
    if (!strcmp(arg, "varying") || !strcmp(arg, "universal")) o->base_universal = !strcmp(arg, "universal");
    else return cli_usage_error(cmd, short_usage, "--base-period expects varying or universal, got '%s'", arg);
    break;
  case OPT_STREAM: d->stream = 1; break;
  case OPT_PUSHDOWN: d->pushdown = 1; break;
  case OPT_CHUNK:
    if (cli_parse_size(cmd, short_usage, "--chunk-rows", arg, &d->chunk_rows)) return 2;
    if (!d->chunk_rows) return cli_usage_error(cmd, short_usage, "--chunk-rows must be at least 1");
    break;
  case OPT_UNBAL:
    if (!strcmp(arg, "drop") || !strcmp(arg, "keep")) o->unbalanced_panel = !strcmp(arg, "keep");
    else return cli_usage_error(cmd, short_usage, "--unbalanced expects drop or keep, got '%s'", arg);
    break;
  case OPT_LEADS: return cli_parse_size(cmd, short_usage, "--leads", arg, &o->leads) ? 2 : 0;
  case OPT_LAGS: return cli_parse_size(cmd, short_usage, "--lags", arg, &o->lags) ? 2 : 0;
  case OPT_ANT: return cli_parse_size(cmd, short_usage, "--anticipation", arg, &o->anticipation) ? 2 : 0;
  case OPT_LEVEL: return cli_parse_double(cmd, short_usage, "--level", arg, &o->level) ? 2 : 0;
  case OPT_THREADS: return cli_parse_size(cmd, short_usage, "--threads", arg, &o->threads) ? 2 : 0;
  case OPT_MIN_E: o->has_min_e = 1; return cli_parse_double(cmd, short_usage, "--min-e", arg, &o->min_e) ? 2 : 0;
  case OPT_MAX_E: o->has_max_e = 1; return cli_parse_double(cmd, short_usage, "--max-e", arg, &o->max_e) ? 2 : 0;
  case OPT_BALANCE_E:
    o->has_balance_e = 1;
    return cli_parse_double(cmd, short_usage, "--balance-e", arg, &o->balance_e) ? 2 : 0;
  case OPT_WINDOW: return parse_window(cmd, arg, o);
  case OPT_HTARGET: d->honest.target = arg; break;
  default: break;
  }
  return 0;
}

/* --honest's settings checked before the data is read (cli_honest_setup,
 * shared with analyze): the restriction, its values (*hm, *n_hm), the
 * target event (-1 = the average). */
static int did_honest_setup(const char *cmd, const did_cli *d, attrib_report_format fmt, attrib_honest_options *ho,
                            double **hm, size_t *n_hm, long *honest_event) {
  int none;
  int rc = cli_honest_setup(cmd, short_usage, &d->honest, 0, &ho->restriction, &none, hm, n_hm, honest_event);
  if (rc || none) return rc;
  if (fmt == ATTRIB_FORMAT_CSV)
    return cli_usage_error(cmd, short_usage, "--honest is written in the JSON and text reports, not --format csv");
  return 0;
}

/* The robust sets on the fitted event study: 0 or an exit code. */
static int did_honest_run(const char *cmd, const attrib_did_result *r, attrib_honest_options *ho, long honest_event,
                          const double *hm, size_t n_hm, double level, attrib_honest_result **hres) {
  attrib_error err;
  attrib_error_clear(&err);
  attrib_honest_input *hin = NULL;
  attrib_status s = attrib_honest_input_from_did(r, &hin, &err);
  if (!s && honest_event >= 0) {
    const double first = hin->reference + 1.0; /* the first post-period event time */
    if ((double)honest_event - first >= (double)hin->n_post) {
      const double last = first + (double)hin->n_post - 1;
      attrib_honest_input_free(hin);
      return cli_usage_error(cmd, short_usage, "--honest-target %ld: the event study's post periods end at event time %g",
                             honest_event, last);
    }
    ho->target_event = (size_t)((double)honest_event - first);
  }
  ho->level = level;
  if (!s) s = attrib_honest_run(hin->beta, hin->sigma, hin->n_pre, hin->n_post, hm, n_hm, ho, hres, &err);
  attrib_honest_input_free(hin);
  return s ? cli_fail(cmd, s, &err, NULL) : 0;
}

/* The report and the side files (--vcov-out, --cells-out, --save-draws),
 * each written whole or not at all: 0 or an exit code. */
static int did_write(const char *cmd, const char *source, const cli_common *c, const did_cli *d, const cli_boot *boot,
                     attrib_did_result *r, const attrib_honest_result *hres) {
  cli_out main_out = {0}, vcov_file = {0}, cells_file = {0};
  attrib_report_context ctx = {.command = cmd, .source = source};
  attrib_error err;
  attrib_error_clear(&err);
  int rc;
  cli_flag_texts(r->warnings, r->n_warnings); /* options fields as flags, in every format */
  if ((rc = cli_out_open(&main_out, c->output, cmd))) goto out_done;
  if (d->vcov_out && (rc = cli_out_open(&vcov_file, d->vcov_out, cmd))) goto out_done;
  if (d->cells_out && (rc = cli_out_open(&cells_file, d->cells_out, cmd))) goto out_done;
  ctx.bootstrap = r->boot;
  ctx.honest = hres;
  attrib_status s = attrib_report_write_did(main_out.fp, r, &ctx, c->format, &err);
  if (!s && d->vcov_out) s = attrib_report_write_did_vcov(vcov_file.fp, r, &err);
  if (!s && d->cells_out) s = attrib_report_write_did_cells(cells_file.fp, r, &err);
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto out_done;
  }
  if (d->vcov_out && (rc = cli_out_commit(&vcov_file, cmd))) goto out_done;
  if (d->cells_out && (rc = cli_out_commit(&cells_file, cmd))) goto out_done;
  if ((rc = cli_boot_save(cmd, boot, r->boot))) goto out_done;
  rc = cli_out_commit(&main_out, cmd);
  if (!rc) cli_warnings_print(cmd, c, NULL, r->warnings, r->n_warnings);
out_done:
  if (rc) {
    if (main_out.fp) cli_out_abort(&main_out);
    if (vcov_file.fp) cli_out_abort(&vcov_file);
    if (cells_file.fp) cli_out_abort(&cells_file);
  }
  return rc;
}

/* The flags that do not go together (--by, the bootstrap's type, several
 * outcomes), each a usage error. */
static int did_combinations(const char *cmd, const attrib_did_options *o, const did_cli *d, const cli_boot *boot,
                            const cli_by *by) {
  int rc;
  if ((rc = cli_by_validate(cmd, short_usage, by))) return rc;
  if (by->column && (boot->requested || d->honest.honest || d->vcov_out || d->cells_out)) {
    rc = cli_usage_error(cmd, short_usage, "--by takes the effects' analytic SEs: not --bootstrap, --honest, "
                                           "--vcov-out or --cells-out");
    return rc;
  }
  if (by->column && (o->extra_outcomes || d->stream)) {
    rc = cli_usage_error(cmd, short_usage, "--by fits one outcome from the table in memory: %s",
                         o->extra_outcomes ? "give one --outcome" : "leave out --stream");
    return rc;
  }
  if (boot->type_given && boot->o.type != ATTRIB_BOOT_MULTIPLIER && boot->o.type != ATTRIB_BOOT_WILD) {
    rc = cli_usage_error(cmd, short_usage,
                         "--boot-type %s: did bootstraps by --boot-type multiplier (Callaway-Sant'Anna, its influence "
                         "functions) or wild (the 2x2 and two-way fixed-effects regressions)",
                         attrib_boot_type_name(boot->o.type));
    return rc;
  }
  if (o->per_outcome_rows && !o->extra_outcomes) {
    rc = cli_usage_error(cmd, short_usage, "--per-outcome-rows goes with several outcomes (--outcome a,b,...)");
    return rc;
  }
  if (o->extra_outcomes && (d->honest.honest || boot->save_draws || d->vcov_out || d->cells_out)) {
    rc = cli_usage_error(cmd, short_usage,
                         "--%s describes one outcome's event study or draws: run that outcome alone",
                         d->honest.honest ? "honest" : boot->save_draws ? "save-draws" : d->vcov_out ? "vcov-out" : "cells-out");
    return rc;
  }
  return 0;
}

/* --stream and --pushdown: the 2x2 out of core (the library refuses panels,
 * saying how much memory they need); what needs the rows refused here */
static int out_of_core_refusal(const char *cmd, const did_cli *d, const cli_csv *csv, const attrib_did_options *o) {
  if (!d->stream && !d->pushdown) return 0;
  if (d->stream && d->pushdown)
    return cli_usage_error(cmd, short_usage, "--pushdown runs in the database; --stream reads a file: choose one");
  const char *what = d->honest.honest ? "--honest" : csv->treat_level ? "--treat-level" : csv->period ? "--period"
                   : o->extra_outcomes ? "several outcomes" : NULL;
  return what ? cli_usage_error(cmd, short_usage, "%s needs the rows: leave out %s", what,
                                d->stream ? "--stream" : "--pushdown")
              : 0;
}

/* --pushdown: the 2x2's cells and regression sums in PostgreSQL (attrib_did_pushdown). */
static int did_pushdown(const char *cmd, char *src, const cli_common *c, const did_cli *d, const cli_boot *boot,
                        const cli_csv *csv, attrib_did_options *o) {
  if (!attrib_pg_is_uri(src))
    return cli_usage_error(cmd, short_usage, "--pushdown runs in the database: DATA must be a postgresql:// URI");
  char *rhs = d->covs ? cli_covariates_rhs(d->covs) : NULL;
  if (d->covs && !rhs) return cli_fail(cmd, ATTRIB_ENOMEM, NULL, NULL);
  o->covariates = rhs;
  attrib_did_result *r = NULL;
  char *queries = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_did_pushdown(src, csv->sql, o, &r, c->verbose ? &queries : NULL, &err);
  free(rhs);
  o->covariates = NULL;
  cli_mask_password(src); /* argv's own memory: the report's source shows no password */
  if (queries) fprintf(stderr, "attrib %s: the SQL run:\n%s\n", cmd, queries);
  attrib_pg_free(queries);
  if (s) return cli_fail(cmd, s, &err, NULL);
  int rc = did_write(cmd, src, c, d, boot, r, NULL);
  attrib_did_result_free(r);
  return rc;
}

int cmd_did(int argc, char **argv) {
  const char *cmd = "did";
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
      CLI_HONEST_LONGOPTS,                            {"honest-target", required_argument, 0, OPT_HTARGET},
      {"min-e", required_argument, 0, OPT_MIN_E},     {"max-e", required_argument, 0, OPT_MAX_E},
      {"balance-e", required_argument, 0, OPT_BALANCE_E}, {"window-diff", required_argument, 0, OPT_WINDOW},
      {"cells-out", required_argument, 0, OPT_CELLS}, {"unbalanced", required_argument, 0, OPT_UNBAL},
      {"per-outcome-rows", no_argument, 0, OPT_PER_OUTCOME},
      {"stream", no_argument, 0, OPT_STREAM},        {"chunk-rows", required_argument, 0, OPT_CHUNK},
      {"pushdown", no_argument, 0, OPT_PUSHDOWN},
      CLI_BY_LONGOPTS,
      {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  attrib_did_options o;
  attrib_did_options_init(&o);
  did_cli d = {0};
  attrib_formula *cov_terms = NULL;
  int rc = 0, opt;
  cli_boot boot;
  cli_boot_init(&boot);
  cli_by by = {0};
  double *hm = NULL;
  size_t n_hm = 0;
  attrib_honest_result *hres = NULL;
  attrib_table *t = NULL;
  attrib_did_result *r = NULL;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &boot, &rc);
    if (!h) h = cli_honest_option(opt, optarg, &d.honest);
    if (!h) h = cli_by_option(cmd, short_usage, opt, optarg, &by, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      fputs(usage_tail, stdout);
      fputs(CLI_CSV_HELP, stdout);
      goto done;
    }
    if (!h) rc = did_flag(cmd, opt, optarg, &o, &d);
  }
  if (rc) goto done;
  if ((rc = cli_boot_validate(cmd, short_usage, &boot))) goto done;
  if ((rc = did_combinations(cmd, &o, &d, &boot, &by))) goto done;
  if (boot.requested) {
    o.bootstrap = boot.o.replicates;
    o.seed = boot.o.seed;
    if (boot.type_given) o.boot_type = boot.o.type;
    o.boot_weights = boot.o.weights;
    if (boot.ci_given) o.boot_ci = boot.o.ci;
    o.keep_draws = boot.save_draws != NULL;
  }
  attrib_honest_options ho;
  attrib_honest_options_init(&ho);
  long honest_event = -1;
  if ((rc = did_honest_setup(cmd, &d, c.format, &ho, &hm, &n_hm, &honest_event))) goto done;
  if (optind != argc - 1) {
    rc = cli_usage_error(cmd, short_usage, optind >= argc ? "missing DATA (a CSV file)" : "expected one DATA file");
    goto done;
  }
  if (!o.outcome) {
    rc = cli_usage_error(cmd, short_usage, "--outcome is required");
    goto done;
  }
  const char *source = argv[optind];
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_did_check(&o, &err); /* the options alone, before the data is read (the fit checks them again) */
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if ((rc = out_of_core_refusal(cmd, &d, &csv, &o))) goto done;
  if (d.pushdown) {
    rc = did_pushdown(cmd, argv[optind], &c, &d, &boot, &csv, &o);
    goto done;
  }
  if (d.stream) {
    csv.ids[0] = o.cluster; /* read as text, as a whole read does */
    attrib_csv_options co;
    cli_csv_options(&csv, &co);
    char *rhs = d.covs ? cli_covariates_rhs(d.covs) : NULL;
    o.covariates = rhs;
    double ts = cli_now();
    s = attrib_did_fit_stream(source, &co, &o, d.chunk_rows, &r, &err);
    free(rhs);
    o.covariates = NULL;
    if (s) {
      rc = cli_fail(cmd, s, &err, NULL);
      goto done;
    }
    if (c.verbose) fprintf(stderr, "attrib did: streamed from %s, estimate %.3f s\n", source, cli_now() - ts);
    rc = did_write(cmd, source, &c, &d, &boot, r, hres);
    goto done;
  }
  double t0 = cli_now();
  csv.treat = o.treat;
  csv.time = o.time, csv.cohort = o.cohort;
  csv.ids[0] = o.unit, csv.ids[csv.ids[0] != NULL] = o.cluster;
  if ((rc = cli_load_table(cmd, source, &csv, &t))) goto done;
  double t_load = cli_now() - t0;
  if (d.covs && (rc = cli_covariates(cmd, d.covs, t, &cov_terms))) goto done; /* names as written */
  o.covariate_terms = cov_terms;
  const char *bycol = NULL;
  if ((rc = cli_by_prepare(cmd, &by, t, &bycol))) goto done;
  t0 = cli_now();
  s = attrib_did_fit(t, &o, &r, &err);
  if (!s && bycol) {
    attrib_by_options bo;
    attrib_by_options_init(&bo);
    bo.column = bycol;
    s = attrib_did_by(t, &o, &bo, &r->by, &err);
  }
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (c.verbose) fprintf(stderr, "attrib did: load %.3f s (%zu rows), estimate %.3f s\n", t_load, t->n_rows, cli_now() - t0);
  if (d.honest.honest && (rc = did_honest_run(cmd, r, &ho, honest_event, hm, n_hm, o.level, &hres))) goto done;
  rc = did_write(cmd, source, &c, &d, &boot, r, hres);
done:
  attrib_did_result_free(r);
  attrib_table_free(t);
  attrib_honest_result_free(hres);
  free(hm);
  attrib_formula_free(cov_terms);
  cli_csv_free(&csv);
  cli_list_free(d.outcomes);
  cli_by_free(&by);
  return rc;
}
