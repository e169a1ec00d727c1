/* attrib analyze: the whole attribution study over one load of the data
 * (docs/cli.md#analyze, docs/methods/analyze.md). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib analyze DATA --outcome Y --treat T --covariates \"a,b,factor(c)\" [options]\n"
    "The whole attribution study: the effect by several methods side by side, design checks with\n"
    "verdicts, ROI with its interval, and sensitivity to hidden confounding (docs/methods/analyze.md).\n\n"
    "  --outcome Y[,Y2..]     the KPI; several: the first is the headline (everything below runs on\n"
    "                         it), and the primary method also runs on every KPI through its\n"
    "                         multi-outcome path (as ols c(..) ~, psm or did --outcome a,b): one\n"
    "                         design on the rows complete in every KPI, a \"Several KPIs\" table with\n"
    "                         Holm, Bonferroni and Romano-Wolf p-values (the last with --bootstrap)\n"
    "  --per-outcome-rows     several KPIs: each keeps its own rows (Bonferroni, Holm only)\n"
    "  --unit ID --time T     a panel (learners x periods): analysed per learner\n"
    "  --cohort G             a panel's first treated period per learner (0 or empty = never);\n"
    "                         without it, the first period with T = 1 (T must then stay 1)\n"
    "  --methods LIST         of ols, psm, aipw, did, twfe, sunab, imputation; default ols,psm,aipw for a\n"
    "                         cross-section, did,twfe,ols,psm,aipw for a panel with one adoption date,\n"
    "                         did,sunab,imputation,ols,psm,aipw with staggered adoption (sunab and\n"
    "                         imputation are robustness rows; ols, psm, aipw run on each learner's outcome change\n"
    "                         from before to after the adoption date, or are skipped with the reason)\n"
    "  --primary METHOD       the method ROI and the finding use; default by design: ols (cross-section),\n"
    "                         twfe (one adoption date), did (staggered); the choice is printed\n"
    "  --cluster C            cluster column (robust SEs, wild cluster bootstrap)\n"
    "  --honest rm|sd|none    a panel's sensitivity to parallel trends (Rambachan & Roth 2023, as did's\n"
    "                         --honest) on the average post-period effect, with the break-even in money:\n"
    "                         relative magnitudes (default, --mbar default 0,0.5,1,1.5,2), smoothness\n"
    "                         (needs --m) or none (skips the step, which adds 1.5-2.5 s on the bundled\n"
    "                         datasets/panel_sample.csv as measured in docs/methods/analyze.md)\n"
    "  --mbar LIST --m LIST   the restriction's values, \"0,0.5,1\" or FROM:TO:STEP\n";
/* the help's second half, apart: one literal would pass the 4095 bytes C17 promises */
static const char usage_text2[] =
    "ROI (from the primary estimate):\n"
    "  --learners N           learners the effect applies to (default: the treated learners in the\n"
    "                         analysed data; give N to project to a roll-out)\n"
    "  --value-per-unit V --horizon H --decay D --attribution A --margin M\n"
    "  --cost NAME=AMOUNT ... --cost-per-learner C --benefit NAME=AMOUNT ... --periods-per-year P\n"
    "  --bootstrap B --seed S every method's bootstrap (wild cluster, pairs, multiplier)\n"
    "  --spec FILE            the same settings as INI or JSON\n"
    "  --report FILE.html     write the report: one self-contained HTML file with inline SVG charts\n"
    "  --report-md FILE.md    the one-pager as Markdown (headline, tables, checks) for a wiki or e-mail\n"
    "  --report-pdf FILE.pdf  the report printed by headless Chromium (chromium on PATH or $ATTRIB_CHROMIUM)\n"
    "The one-pager's words and units:\n"
    "  --currency CODE        money as USD, EUR, GBP, another code or a symbol (also reads \"$1,200\" cells)\n"
    "  --kpi-unit TEXT        the outcome's unit, e.g. \"sales per week\"\n"
    "  --period UNIT          day, week, month, quarter or year: one period of --horizon (payback in months,\n"
    "                         --periods-per-year when not given); a dated panel's --time counted in it\n"
    "  --funnel \"enrolled=COL,completed=COL,certified=COL\"  adoption, engagement and competency tiers\n"
    "                         (0/1 columns; any of the three, in that order) as shares of the eligible learners\n"
    "  --baseline COL         a cross-section's pre-period KPI: before/after means by arm (cohort lines)\n"
    CLI_BY_HELP
    "                         analyze: the primary method's subgroups (as ols, psm or did --by) and the\n"
    "                         ROI in each group (its share of the learners); a \"by subgroup\" table\n"
    "  --value-per-unit-by LEVEL=V,LEVEL=V  with --by and ROI inputs: the value per unit of named groups\n"
    "                         (each must be a level of COL; the others take --value-per-unit), as roi's\n"
    "  --level L              confidence level in (0, 1), default 0.95\n"
    "  --boot-type, --weights-dist, --ci, --save-draws  refused with the reason: analyze chooses each\n"
    "                         method's bootstrap (they belong to the single commands)\n"
    "  --threads N, --format text|json, -o FILE, --delim C, --categorical COLS, --numeric COLS, -q, -h\n"
    "  -v, --verbose          accepted, as by every command; analyze prints no timings\n"
    CLI_CSV_HELP
    "Nothing estimable (no treated or no control learners, a treatment not coded 0/1, every method\n"
    "failing) is an error: exit 1 with the reason, and no report.\n";

/* the next questions, a third literal for the same reason */
static const char usage_text3[] =
    "Next questions:\n"
    "  --mediator M           did it work through M (a numeric column measured after training)? The\n"
    "                         mediation analysis of attrib mediate (ACME, direct and total effect, share\n"
    "                         mediated, rho at which the ACME vanishes) with --covariates, --seed, --level;\n"
    "                         a cross-section only\n"
    "  --pilot-n N            the next pilot's learners (default 150): its minimum detectable effect, its\n"
    "                         power for this study's effect and the learners that effect needs, from this\n"
    "                         data's SD and covariates' R2 as attrib power reads a baseline (a cluster\n"
    "                         pilot with --cluster: the ICC and team size; a did pilot on a one-date panel:\n"
    "                         the pre/post correlation), alpha 1 - --level, power 0.8, ROI inputs as given\n"
    "  --no-pilot             skip the pilot step\n";

static const char short_usage[] = "Usage: attrib analyze DATA --outcome Y --treat T --covariates \"a,b\" [options]\n";

/* "did" -> ATTRIB_ANALYZE_DID, 0 for an unknown name */
static unsigned method_bit(const char *name) {
  for (unsigned k = 0; k < 7; k++)
    if (!strcmp(name, attrib_analyze_method_name(1u << k))) return 1u << k;
  return 0;
}

/* Chromium for --report-pdf: $ATTRIB_CHROMIUM, or chromium, chromium-browser,
 * google-chrome on PATH; NULL when none (malloc'd path otherwise) */
static char *find_chromium(void) {
  const char *env = getenv("ATTRIB_CHROMIUM");
  if (env && *env) return access(env, X_OK) == 0 ? strdup(env) : NULL;
  static const char *const names[] = {"chromium", "chromium-browser", "google-chrome"};
  const char *path = getenv("PATH");
  for (size_t k = 0; path && k < sizeof names / sizeof names[0]; k++) {
    for (const char *p = path; *p;) {
      const char *e = strchr(p, ':');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      char *f = malloc(n + strlen(names[k]) + 2);
      if (!f) return NULL;
      snprintf(f, n + strlen(names[k]) + 2, "%.*s/%s", (int)n, p, names[k]);
      if (n && access(f, X_OK) == 0) return f;
      free(f);
      p += n + (e != NULL);
      if (!e) break;
    }
  }
  return NULL;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path) ? 0 : 0; /* best effort: a file left in /tmp is no failure of the command */
}

/* --report-pdf FILE: the HTML report printed by headless Chromium
 * (--print-to-pdf) to a temporary file beside FILE, renamed on success */
static int cli_print_pdf(const char *cmd, const char *pdf, const attrib_analyze_result *r, const attrib_analyze_options *o,
                         const attrib_report_context *ctx) {
  char *chromium = find_chromium();
  if (!chromium) {
    fprintf(stderr, "attrib %s: --report-pdf needs headless Chromium, which is not installed (or set ATTRIB_CHROMIUM); "
                    "write --report FILE.html and print it with: chromium --headless --no-pdf-header-footer "
                    "--print-to-pdf=%s FILE.html\n", cmd, pdf);
    return CLI_EXIT_DATA;
  }
  char dir[] = "/tmp/attrib-pdf-XXXXXX";
  int rc = CLI_EXIT_DATA;
  if (!mkdtemp(dir)) {
    fprintf(stderr, "attrib %s: cannot make a temporary folder for the PDF\n", cmd);
    free(chromium);
    return rc;
  }
  size_t len = strlen(pdf) + 32;
  char html[64], *tmp = malloc(len), *arg = malloc(len + 32), *url = malloc(sizeof html + 16), *profile = malloc(64);
  snprintf(html, sizeof html, "%s/report.html", dir);
  FILE *f = fopen(html, "w");
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = f ? attrib_report_write_analyze_html(f, r, o, ctx, &err) : ATTRIB_EIO;
  if (f && fclose(f)) s = ATTRIB_EIO;
  if (!tmp || !arg || !url || !profile || s) {
    fprintf(stderr, "attrib %s: cannot write the report for the PDF\n", cmd);
    goto done;
  }
  snprintf(tmp, len, "%s.tmp%ld", pdf, (long)getpid());
  snprintf(arg, len + 32, "--print-to-pdf=%s", tmp);
  snprintf(url, sizeof html + 16, "file://%s", html);
  snprintf(profile, 64, "--user-data-dir=%s/profile", dir);
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 1), dup2(null, 2);
    execl(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
          "--no-pdf-header-footer", profile, arg, url, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  struct stat st;
  if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(tmp, &st) ||
      st.st_size == 0) {
    fprintf(stderr, "attrib %s: %s did not print the PDF (exit %d); print the HTML report with: chromium --headless "
                    "--print-to-pdf=%s FILE.html\n", cmd, chromium, WIFEXITED(status) ? WEXITSTATUS(status) : -1, pdf);
    unlink(tmp);
    goto done;
  }
  if (rename(tmp, pdf)) {
    fprintf(stderr, "attrib %s: %s: cannot write the PDF (%s)\n", cmd, pdf, strerror(errno));
    unlink(tmp);
    goto done;
  }
  rc = 0;
done:
  nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); /* the page and Chromium's profile */
  free(chromium), free(tmp), free(arg), free(url), free(profile);
  return rc;
}

/* The progress line: the step running, with its replicates in a bootstrap. */
static void step_progress(void *ctx, const char *step, size_t done, size_t total) {
  if (total) cli_progress_show(ctx, "%s %zu/%zu replicates", step, done, total);
  else cli_progress_show(ctx, "%s", step);
}

enum { OPT_OUTCOME = CLI_OPT_COMMAND, OPT_TREAT, OPT_COVS, OPT_METHODS, OPT_CLUSTER, OPT_UNIT, OPT_TIME, OPT_COHORT,
       OPT_SPEC, OPT_REPORT, OPT_LEVEL, OPT_THREADS, OPT_PRIMARY, OPT_CURRENCY, OPT_KPI_UNIT, OPT_PERIOD, OPT_FUNNEL,
       OPT_BASELINE, OPT_REPORT_MD, OPT_REPORT_PDF, OPT_MEDIATOR, OPT_PILOT_N, OPT_NO_PILOT,
       OPT_PER_OUTCOME };

/* Everything the flags say. */
typedef struct analyze_opts {
  cli_common c;
  cli_csv csv;
  cli_boot boot;
  attrib_analyze_options o;
  cli_lines costs, benefits; /* --cost, --benefit lines, owned here */
  const char *covs;
  attrib_formula *cov_terms;
  const char *report, *report_md, *report_pdf;
  int roi_given;
  cli_honest honest;          /* --honest, --mbar / --m as given */
  cli_by by;                  /* --by, --by-bins, --by-cuts */
  cli_level_values by_values; /* --value-per-unit-by (p->o.by_value_per_unit borrows them) */
  double *honest_m;           /* their values (owned; p->o.honest_m borrows them) */
  char **outcomes;            /* --outcome's list (owned; p->o.outcome and extra_outcomes borrow it) */
} analyze_opts;

/* One of analyze's own flags into p->o. Returns an exit code. */
static int analyze_option(const char *cmd, int opt, const char *optarg, analyze_opts *p) {
  int rc = 0;
  switch (opt) {
  case OPT_OUTCOME: cli_outcomes_option(optarg, &p->outcomes, &p->o.outcome, &p->o.extra_outcomes); break;
  case OPT_PER_OUTCOME: p->o.per_outcome_rows = 1; break;
  case OPT_TREAT: p->o.treat = optarg; break;
  case OPT_COVS: p->covs = optarg; break;
  case OPT_CLUSTER: p->o.cluster = optarg; break;
  case OPT_UNIT: p->o.unit = optarg; break;
  case OPT_TIME: p->o.time = optarg; break;
  case OPT_COHORT: p->o.cohort = optarg; break;
  case OPT_SPEC: break; /* read before the options */
  case CLI_OPT_ROI_VALUE_BY: rc = cli_level_values_parse(cmd, short_usage, optarg, &p->by_values); break;
  case OPT_REPORT: p->report = optarg; break;
  case OPT_REPORT_MD: p->report_md = optarg; break;
  case OPT_REPORT_PDF: p->report_pdf = optarg; break;
  case OPT_CURRENCY:
    p->o.currency = optarg, p->csv.currency = 1;
    if (optarg[0] == '-') /* the loader's --currency takes nothing; analyze's takes the code */
      rc = cli_usage_error(cmd, short_usage, "--currency: analyze takes the report's currency (USD, EUR, GBP, another "
                                             "code or a symbol), got '%s'; it also reads cells written $1,200", optarg);
    break;
  case OPT_KPI_UNIT: p->o.kpi_unit = optarg; break;
  case OPT_PERIOD: /* the report's period, and a dated panel's periods (the loader's --period) */
    p->o.period = optarg, p->csv.period_is_unit = 1;
    p->csv.period = !strcmp(optarg, "day") ? 1 + ATTRIB_PERIOD_DAY : !strcmp(optarg, "week") ? 1 + ATTRIB_PERIOD_WEEK
                    : !strcmp(optarg, "month") ? 1 + ATTRIB_PERIOD_MONTH : !strcmp(optarg, "quarter") ? 1 + ATTRIB_PERIOD_QUARTER
                                                                                           : 0;
    break;
  case OPT_FUNNEL: p->o.funnel = optarg; break;
  case OPT_BASELINE: p->o.baseline = optarg; break;
  case OPT_MEDIATOR: p->o.mediator = optarg; break;
  case OPT_PILOT_N: rc = cli_parse_double(cmd, short_usage, "--pilot-n", optarg, &p->o.pilot_n) ? 2 : 0; break;
  case OPT_NO_PILOT: p->o.no_pilot = 1; break;
  case OPT_METHODS: {
    char **items = cli_split_list(optarg);
    p->o.methods = 0;
    for (size_t i = 0; items && items[i] && !rc; i++) {
      unsigned m = method_bit(items[i]);
      if (!m) rc = cli_usage_error(cmd, short_usage, "--methods: unknown method '%s' (ols, psm, aipw, did, twfe, sunab, imputation)", items[i]);
      p->o.methods |= m;
    }
    cli_list_free(items);
    break;
  }
  case OPT_PRIMARY:
    if (!(p->o.primary = method_bit(optarg)))
      rc = cli_usage_error(cmd, short_usage, "--primary: unknown method '%s' (ols, psm, aipw, did, twfe, sunab, imputation)", optarg);
    break;
  case OPT_LEVEL: rc = cli_parse_double(cmd, short_usage, "--level", optarg, &p->o.level) ? 2 : 0; break;
  case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &p->o.threads) ? 2 : 0; break;
  default: break;
  }
  return rc;
}

/* The flags into p. Returns an exit code; *help when -h was given. */
static int analyze_parse(const char *cmd, int argc, char **argv, analyze_opts *p, int *help) {
  /* --currency CODE (the report's money) and --period UNIT come before the
   * loader's --currency (no argument) and --period, so getopt takes these;
   * they also do the loader's work: money columns written "$1,200" are read
   * as numbers, a dated panel's dates are counted in that period */
  static const struct option longopts[] = {
      {"currency", required_argument, 0, OPT_CURRENCY}, {"period", required_argument, 0, OPT_PERIOD},
      CLI_COMMON_LONGOPTS, CLI_CSV_LONGOPTS, CLI_BOOT_LONGOPTS, CLI_ROI_LONGOPTS, CLI_HONEST_LONGOPTS,
      {"outcome", required_argument, 0, OPT_OUTCOME},     {"treat", required_argument, 0, OPT_TREAT},
      {"covariates", required_argument, 0, OPT_COVS},     {"methods", required_argument, 0, OPT_METHODS},
      {"cluster", required_argument, 0, OPT_CLUSTER},     {"unit", required_argument, 0, OPT_UNIT},
      {"time", required_argument, 0, OPT_TIME},           {"cohort", required_argument, 0, OPT_COHORT},
      {"spec", required_argument, 0, OPT_SPEC},           {"report", required_argument, 0, OPT_REPORT},
      {"level", required_argument, 0, OPT_LEVEL},         {"threads", required_argument, 0, OPT_THREADS},
      {"primary", required_argument, 0, OPT_PRIMARY},
      {"kpi-unit", required_argument, 0, OPT_KPI_UNIT},
      {"funnel", required_argument, 0, OPT_FUNNEL},       {"baseline", required_argument, 0, OPT_BASELINE},
      {"report-md", required_argument, 0, OPT_REPORT_MD}, {"report-pdf", required_argument, 0, OPT_REPORT_PDF},
      {"mediator", required_argument, 0, OPT_MEDIATOR},   {"pilot-n", required_argument, 0, OPT_PILOT_N},
      {"no-pilot", no_argument, 0, OPT_NO_PILOT},
      {"per-outcome-rows", no_argument, 0, OPT_PER_OUTCOME},
      CLI_BY_LONGOPTS,
      {"value-per-unit-by", required_argument, 0, CLI_OPT_ROI_VALUE_BY}, {0, 0, 0, 0}};
  int rc = 0, opt;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &p->c, &p->csv, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &p->boot, &rc);
    if (!h) h = cli_roi_option(cmd, short_usage, opt, &p->o.roi, &p->costs, &p->benefits, &p->roi_given, &rc);
    if (!h) h = cli_honest_option(opt, optarg, &p->honest);
    if (!h) h = cli_by_option(cmd, short_usage, opt, optarg, &p->by, &rc);
    if (h == 2) {
      *help = 1;
      return 0;
    }
    if (h) continue;
    rc = analyze_option(cmd, opt, optarg, p);
  }
  return rc;
}

/* The flags' combinations, and the bootstrap and ROI settings into p->o.
 * Returns an exit code. */
static int analyze_check(const char *cmd, int argc, analyze_opts *p) {
  int rc;
  if ((rc = cli_boot_validate(cmd, short_usage, &p->boot))) return rc;
  if ((rc = cli_by_validate(cmd, short_usage, &p->by))) return rc;
  if (p->boot.type_given || p->boot.weights_given || p->boot.ci_given || p->boot.save_draws)
    return cli_usage_error(cmd, short_usage, "analyze chooses each method's bootstrap; --boot-type, --weights-dist, --ci and "
                                             "--save-draws belong to the single commands");
  if (optind != argc - 1 || !p->o.outcome || !p->o.treat || !p->covs)
    return cli_usage_error(cmd, short_usage, "analyze needs DATA, --outcome, --treat and --covariates");
  if (p->o.mediator && (p->o.unit || p->o.time))
    return cli_usage_error(cmd, short_usage, "--mediator needs a cross-section (one row per learner): the mediation "
                                             "models (Imai, Keele & Tingley 2010) have no panel form; drop --unit and "
                                             "--time");
  if (p->o.no_pilot && p->o.pilot_n != 0)
    return cli_usage_error(cmd, short_usage, "give --pilot-n or --no-pilot, not both");
  if (p->o.per_outcome_rows && !p->o.extra_outcomes)
    return cli_usage_error(cmd, short_usage, "--per-outcome-rows goes with several outcomes (--outcome a,b,...)");
  if (p->c.format == ATTRIB_FORMAT_CSV)
    return cli_usage_error(cmd, short_usage, "analyze writes text or json (csv tables come from the single commands)");
  /* the same flags, checks and messages as did's --honest (cli_honest_setup);
   * no --honest: relative magnitudes at the library's default grid */
  size_t n_m = 0;
  long event;
  if ((rc = cli_honest_setup(cmd, short_usage, &p->honest, 1, &p->o.honest, &p->o.no_honest, &p->honest_m, &n_m, &event)))
    return rc;
  if (p->honest.vals) p->o.honest_m = p->honest_m, p->o.n_honest_m = n_m;
  p->o.bootstrap = p->boot.requested ? p->boot.o.replicates : 0;
  p->o.seed = p->boot.o.seed;
  p->o.has_roi = p->roi_given;
  if (p->by_values.n && !p->by.column)
    return cli_usage_error(cmd, short_usage, "--value-per-unit-by values the subgroups' ROI: it needs --by COL");
  if (p->by_values.n && !p->roi_given)
    return cli_usage_error(cmd, short_usage, "--value-per-unit-by values the subgroups' ROI: it needs the ROI's costs "
                                             "(--cost, --cost-per-learner or --benefit)");
  p->o.by_value_per_unit = p->by_values.v, p->o.n_by_value_per_unit = p->by_values.n;
  p->o.roi.costs = p->costs.v, p->o.roi.n_costs = p->costs.n, p->o.roi.benefits = p->benefits.v,
  p->o.roi.n_benefits = p->benefits.n;
  return 0;
}

/* The covariates, the study (with the progress line) and the CLI's wording
 * of its messages. Returns an exit code; *r owned by the caller. */
static int analyze_run(const char *cmd, analyze_opts *p, const attrib_table *t, attrib_analyze_result **r,
                       attrib_error *err) {
  int rc;
  /* the covariates read once into terms (names as written); their text,
   * made from the terms, is what the reports show */
  if ((rc = cli_covariates(cmd, p->covs, t, &p->cov_terms))) return rc;
  p->o.covariate_terms = p->cov_terms;
  if (!(p->o.covariates = attrib_formula_text(p->cov_terms))) return cli_fail(cmd, ATTRIB_ENOMEM, NULL, NULL);
  cli_progress line;
  cli_progress_start(&line, cmd, p->c.quiet);
  if (line.on) p->o.progress = step_progress, p->o.progress_ctx = &line;
  attrib_status s = attrib_analyze(t, &p->o, r, err);
  cli_progress_end(&line);
  if (s) return cli_fail(cmd, s, err, NULL);
  /* the methods' reasons and notes name options fields: the CLI's output names flags */
  attrib_analyze_result *a = *r;
  for (size_t i = 0; i < a->n_methods; i++) cli_flag_text(a->methods[i].message, 0), cli_flag_text(a->methods[i].note, 0);
  for (size_t i = 0; i < a->n_checks; i++) cli_flag_text(a->checks[i].reason, 0);
  cli_flag_text(a->headline.reason, 0), cli_flag_text(a->primary_reason, 0);
  cli_flag_text(a->outcomes_note, 0), cli_flag_text(a->outcomes_romano_wolf, 0);
  if (a->roi) cli_flag_texts(a->roi->warnings, a->roi->n_warnings);
  if (a->mediation) cli_flag_texts(a->mediation->warnings, a->mediation->n_warnings);
  if (a->pilot.at_n) cli_flag_texts(a->pilot.at_n->warnings, a->pilot.at_n->n_warnings);
  cli_flag_text(a->pilot.note, 0);
  return 0;
}

/* The output and the reports (HTML, Markdown, PDF): all written before any
 * is committed, so a failure leaves no file. Returns an exit code. */
static int analyze_report(const char *cmd, const char *source, const analyze_opts *p, const attrib_analyze_result *r,
                          attrib_error *err) {
  const char *report = p->report, *report_md = p->report_md, *report_pdf = p->report_pdf;
  const attrib_analyze_options *o = &p->o;
  int rc;
  cli_out out = {0}, rep = {0}, md = {0};
  if ((rc = cli_out_open(&out, p->c.output, cmd))) return rc;
  if (report && (rc = cli_out_open(&rep, report, cmd))) {
    cli_out_abort(&out);
    return rc;
  }
  if (report_md && (rc = cli_out_open(&md, report_md, cmd))) {
    cli_out_abort(&out);
    if (report) cli_out_abort(&rep);
    return rc;
  }
  attrib_report_context ctx = {.command = cmd, .source = source};
  attrib_status s = attrib_report_write_analyze(out.fp, r, o, &ctx, p->c.format, err);
  if (!s && report) s = attrib_report_write_analyze_html(rep.fp, r, o, &ctx, err);
  if (!s && report_md) s = attrib_report_write_analyze_md(md.fp, r, o, &ctx, err);
  if (s) {
    cli_out_abort(&out);
    if (report) cli_out_abort(&rep);
    if (report_md) cli_out_abort(&md);
    return cli_fail(cmd, s, err, NULL);
  }
  /* the PDF before any file is committed: no Chromium, no files */
  if (report_pdf && (rc = cli_print_pdf(cmd, report_pdf, r, o, &ctx))) {
    cli_out_abort(&out);
    if (report) cli_out_abort(&rep);
    if (report_md) cli_out_abort(&md);
    return rc;
  }
  if (report && (rc = cli_out_commit(&rep, cmd))) {
    cli_out_abort(&out);
    if (report_md) cli_out_abort(&md);
    return rc;
  }
  if (report_md && (rc = cli_out_commit(&md, cmd))) {
    cli_out_abort(&out);
    return rc;
  }
  return cli_out_commit(&out, cmd);
}

/* analyze's flags that take no value, which a spec file sets with true or false */
static const char *const spec_switches[] = {"per-outcome-rows", "no-pilot", NULL};

int cmd_analyze(int argc, char **argv) {
  const char *cmd = "analyze";
  analyze_opts p = {.c = {.format = ATTRIB_FORMAT_TEXT}};
  cli_boot_init(&p.boot);
  attrib_analyze_options_init(&p.o);
  char **sargv = NULL;
  int sargc = 0, rc = 0, help = 0;
  attrib_table *t = NULL;
  attrib_analyze_result *r = NULL;
  if ((rc = cli_spec_args(cmd, argc, argv, spec_switches, &sargc, &sargv))) return rc;
  if (sargv) argc = sargc, argv = sargv;
  if ((rc = analyze_parse(cmd, argc, argv, &p, &help))) goto done;
  if (help) {
    fputs(usage_text, stdout);
    fputs(usage_text3, stdout);
    fputs(usage_text2, stdout);
    goto done;
  }
  if ((rc = analyze_check(cmd, argc, &p))) goto done;
  const char *source = argv[optind];
  p.csv.treat = p.o.treat;
  p.csv.time = p.o.time, p.csv.cohort = p.o.cohort;
  p.csv.ids[0] = p.o.unit, p.csv.ids[p.csv.ids[0] != NULL] = p.o.cluster;
  if ((rc = cli_load_table(cmd, source, &p.csv, &t))) goto done;
  if ((rc = cli_by_prepare(cmd, &p.by, t, &p.o.by))) goto done;
  attrib_error err;
  attrib_error_clear(&err);
  if ((rc = analyze_run(cmd, &p, t, &r, &err))) goto done;
  rc = analyze_report(cmd, source, &p, r, &err);
done:
  attrib_analyze_result_free(r);
  attrib_table_free(t);
  cli_lines_free(&p.costs), cli_lines_free(&p.benefits);
  attrib_formula_free(p.cov_terms);
  free(p.honest_m);
  cli_list_free(p.outcomes);
  cli_by_free(&p.by);
  cli_level_values_free(&p.by_values);
  cli_csv_free(&p.csv);
  if (sargv) {
    for (int i = 0; i < sargc; i++) free(sargv[i]);
    free(sargv);
  }
  return rc;
}
