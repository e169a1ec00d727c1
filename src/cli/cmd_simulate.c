/* attrib simulate: learner-level data with a known effect, and its truth
 * (docs/methods/simulate.md). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib simulate --design cohort|panel --rows N --seed S [options] [-o FILE]\n"
    "Write learner-level data with a known training effect (docs/methods/simulate.md).\n"
    "The data go to -o FILE (or standard output); with -o, a short report of what\n"
    "was written, including the true ATT, goes to standard output in --format.\n\n"
    "Options:\n"
    "  --design cohort|panel   one row per learner, or learners x periods (default cohort)\n"
    "  --rows N                learners (default 2000)\n"
    "  --seed S                random seed (default 1): same seed, same bytes\n"
    "  --effect E              cohort: the effect of training on sales for a learner of average\n"
    "                          engagement (the ATE; the ATT too unless --heterogeneity);\n"
    "                          panel: the effect in a cohort's first treated period, scaled by\n"
    "                          cohort (x1.5, x1, x0.5) and growing 25% a period with exposure,\n"
    "                          so the ATT is larger (it is in the report and --truth) (default 2)\n"
    "  --heterogeneity H       how the effect varies: cohort, with engagement (ATT > ATE);\n"
    "                          panel, the cohort and exposure gradients above (0 = constant\n"
    "                          effect; default cohort 0, panel 1)\n"
    "  --effect-by-role D      cohort: the effect differs by role, D more per step: Associate +0,\n"
    "                          Specialist +D, Senior +2D, Lead +3D, Manager +4D, Director +5D\n"
    "                          (for subgroup analyses by role; in the truth; default 0)\n"
    "  --treated-share P       population share trained (cohort, default 0.3) or ever\n"
    "                          treated (panel, default 0.6)\n"
    "  --selection S           cohort: strength of selection on observables (default 1;\n"
    "                          3 gives poor overlap)\n"
    "  --adoption staggered|single  panel: cohorts first treated in 3, 5, 7, or one date T/2+1\n"
    "  --pretrend V            panel: the treated learners' extra trend per period, before and\n"
    "                          after training (parallel trends fail; default 0)\n"
    "  --periods T             panel periods (default 8)\n"
    "  --teams G               teams (clusters; default rows/25)\n"
    "  --truth FILE            also write the true estimands as JSON to FILE\n"
    "ROI inputs for the true ROI in --truth (the ROI at the true ATT; learners default to\n"
    "those trained in the data, as analyze's):\n"
    "  --learners N --value-per-unit V --horizon H --decay D --attribution A --margin M\n"
    "  --cost NAME=AMOUNT ... --cost-per-learner C --benefit NAME=AMOUNT ... --periods-per-year P\n"
    "  --format text|json|csv  format of the report (default text)\n"
    "  -o, --output FILE       write the data to FILE\n"
    "  -q, --quiet             no report\n"
    "  -v, --verbose           accepted, as by every command; simulate prints no timings\n"
    "  -h, --help              show this help\n";

static const char short_usage[] =
    "Usage: attrib simulate --design cohort|panel --rows N --seed S [-o FILE]\n";

static int write_report(FILE *fp, attrib_report_format fmt, const attrib_simulate_options *o,
                        const attrib_simulate_truth *t, const char *path) {
  size_t lines = o->design == ATTRIB_SIM_PANEL ? o->rows * o->periods : o->rows;
  if (fmt == ATTRIB_FORMAT_JSON) return attrib_report_write_truth(fp, t, o, NULL) != ATTRIB_OK;
  if (fmt == ATTRIB_FORMAT_CSV)
    return fprintf(fp, "file,rows,true_att\n%s,%zu,%.17g\n", path, lines, t->att) < 0;
  int bad = fprintf(fp, "wrote %zu rows to %s (%s design, seed %lu); true ATT = %.6g (%s)", lines, path,
                    o->design == ATTRIB_SIM_PANEL ? "panel" : "cohort", o->seed, t->att,
                    o->design == ATTRIB_SIM_PANEL ? "cohort-size-weighted mean over post-treatment periods"
                                                  : "mean effect on the trained") < 0;
  if (t->has_roi) bad |= fprintf(fp, "; true ROI = %.6g%%", t->roi_pct) < 0;
  return bad || fputc('\n', fp) == EOF;
}

int cmd_simulate(int argc, char **argv) {
  const char *cmd = "simulate";
  enum { OPT_DESIGN = CLI_OPT_COMMAND, OPT_ROWS, OPT_SEED, OPT_EFFECT, OPT_PERIODS, OPT_TEAMS, OPT_TRUTH, OPT_HET,
         OPT_SHARE, OPT_SELECTION, OPT_ADOPTION, OPT_PRETREND, OPT_ROLE };
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_ROI_LONGOPTS,
      {"design", required_argument, 0, OPT_DESIGN}, {"rows", required_argument, 0, OPT_ROWS},
      {"seed", required_argument, 0, OPT_SEED},     {"effect", required_argument, 0, OPT_EFFECT},
      {"periods", required_argument, 0, OPT_PERIODS}, {"teams", required_argument, 0, OPT_TEAMS},
      {"truth", required_argument, 0, OPT_TRUTH},   {"heterogeneity", required_argument, 0, OPT_HET},
      {"treated-share", required_argument, 0, OPT_SHARE}, {"selection", required_argument, 0, OPT_SELECTION},
      {"adoption", required_argument, 0, OPT_ADOPTION}, {"pretrend", required_argument, 0, OPT_PRETREND},
      {"effect-by-role", required_argument, 0, OPT_ROLE},
      {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  attrib_simulate_options o;
  attrib_simulate_options_init(&o);
  cli_lines costs = {0}, benefits = {0};
  const char *truth_path = NULL;
  int rc = 0, opt, roi_given = 0;
  attrib_simulate_truth *truth = NULL;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, NULL, &rc);
    if (!h) h = cli_roi_option(cmd, short_usage, opt, &o.roi, &costs, &benefits, &roi_given, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      goto done;
    }
    if (h) continue;
    switch (opt) {
    case OPT_DESIGN:
      if (strcmp(optarg, "cohort") == 0) o.design = ATTRIB_SIM_COHORT;
      else if (strcmp(optarg, "panel") == 0) o.design = ATTRIB_SIM_PANEL;
      else rc = cli_usage_error(cmd, short_usage, "--design expects cohort or panel, got '%s'", optarg);
      break;
    case OPT_ADOPTION:
      if (strcmp(optarg, "staggered") == 0) o.adoption = ATTRIB_SIM_STAGGERED;
      else if (strcmp(optarg, "single") == 0) o.adoption = ATTRIB_SIM_SINGLE;
      else rc = cli_usage_error(cmd, short_usage, "--adoption expects staggered or single, got '%s'", optarg);
      break;
    case OPT_ROWS: rc = cli_parse_size(cmd, short_usage, "--rows", optarg, &o.rows) ? 2 : 0; break;
    case OPT_SEED: rc = cli_parse_ulong(cmd, short_usage, "--seed", optarg, &o.seed) ? 2 : 0; break;
    case OPT_EFFECT: rc = cli_parse_double(cmd, short_usage, "--effect", optarg, &o.effect) ? 2 : 0; break;
    case OPT_HET: rc = cli_parse_double(cmd, short_usage, "--heterogeneity", optarg, &o.heterogeneity) ? 2 : 0; break;
    case OPT_SHARE: rc = cli_parse_double(cmd, short_usage, "--treated-share", optarg, &o.treated_share) ? 2 : 0; break;
    case OPT_SELECTION: rc = cli_parse_double(cmd, short_usage, "--selection", optarg, &o.selection) ? 2 : 0; break;
    case OPT_PRETREND: rc = cli_parse_double(cmd, short_usage, "--pretrend", optarg, &o.pretrend) ? 2 : 0; break;
    case OPT_PERIODS: rc = cli_parse_size(cmd, short_usage, "--periods", optarg, &o.periods) ? 2 : 0; break;
    case OPT_TEAMS: rc = cli_parse_size(cmd, short_usage, "--teams", optarg, &o.teams) ? 2 : 0; break;
    case OPT_TRUTH: truth_path = optarg; break;
    case OPT_ROLE: rc = cli_parse_double(cmd, short_usage, "--effect-by-role", optarg, &o.role_step) ? 2 : 0; break;
    default: break;
    }
  }
  if (rc) goto done;
  if (optind < argc) {
    rc = cli_usage_error(cmd, short_usage, "unexpected argument '%s'", argv[optind]);
    goto done;
  }
  o.has_roi = roi_given;
  o.roi.costs = costs.v, o.roi.n_costs = costs.n, o.roi.benefits = benefits.v, o.roi.n_benefits = benefits.n;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_simulate_check(&o, &err);
  if (s != ATTRIB_OK) {
    char text[ATTRIB_ERROR_MESSAGE_MAX + 80];
    rc = cli_usage_error(cmd, short_usage, "%s", cli_error_text(&err, text, sizeof text));
    goto done;
  }
  if ((s = attrib_simulate_truth_compute(&o, &truth, &err))) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  cli_out data, tout = {0};
  if ((rc = cli_out_open(&data, c.output, cmd))) goto done;
  s = attrib_simulate_write(data.fp, &o, &err);
  if (s != ATTRIB_OK) {
    cli_out_abort(&data);
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (truth_path) {
    if ((rc = cli_out_open(&tout, truth_path, cmd))) {
      cli_out_abort(&data);
      goto done;
    }
    if ((s = attrib_report_write_truth(tout.fp, truth, &o, &err))) {
      cli_out_abort(&tout);
      cli_out_abort(&data);
      rc = cli_fail(cmd, s, &err, NULL);
      goto done;
    }
    if ((rc = cli_out_commit(&tout, cmd))) {
      cli_out_abort(&data);
      goto done;
    }
  }
  if ((rc = cli_out_commit(&data, cmd))) goto done;
  if (c.output && !c.quiet && write_report(stdout, c.format, &o, truth, c.output)) rc = CLI_EXIT_DATA;
done:
  attrib_simulate_truth_free(truth);
  cli_lines_free(&costs), cli_lines_free(&benefits);
  return rc;
}
