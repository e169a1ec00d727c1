#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_text[] =
    "Usage: attrib simulate --design cohort|panel --rows N --seed S [options] [-o FILE]\n"
    "Write learner-level data with a known training effect (docs/methods/simulate.md).\n"
    "The data go to -o FILE (or standard output); with -o, a short report of what\n"
    "was written, including the true effect, goes to standard output in --format.\n\n"
    "Options:\n"
    "  --design cohort|panel   one row per learner, or learners x periods (default cohort)\n"
    "  --rows N                learners (default 2000)\n"
    "  --seed S                random seed (default 1): same seed, same bytes\n"
    "  --effect E              the planted effect on sales (default 2)\n"
    "  --periods T             panel periods (default 8)\n"
    "  --teams G               teams (clusters; default rows/25)\n"
    "  --truth FILE            also write the true estimands as JSON to FILE\n"
    "  --format text|json|csv  format of the report (default text)\n"
    "  -o, --output FILE       write the data to FILE\n"
    "  -q, --quiet             no report\n"
    "  -h, --help              show this help\n";

static const char short_usage[] =
    "Usage: attrib simulate --design cohort|panel --rows N --seed S [-o FILE]\n";

static int write_report(FILE *fp, attrib_report_format fmt, const attrib_simulate_options *o,
                        const attrib_simulate_truth *t, const char *path) {
  size_t lines = o->design == ATTRIB_SIM_PANEL ? o->rows * o->periods : o->rows;
  if (fmt == ATTRIB_FORMAT_JSON) return attrib_report_write_truth(fp, t, o, NULL) != ATTRIB_OK;
  if (fmt == ATTRIB_FORMAT_CSV)
    return fprintf(fp, "file,rows,true_att\n%s,%zu,%.17g\n", path, lines, t->att) < 0;
  return fprintf(fp, "wrote %zu rows to %s (%s design, seed %lu); true ATT = %.6g\n", lines, path,
                 o->design == ATTRIB_SIM_PANEL ? "panel" : "cohort", o->seed, t->att) < 0;
}

int cmd_simulate(int argc, char **argv) {
  const char *cmd = "simulate";
  enum { OPT_DESIGN = CLI_OPT_COMMAND, OPT_ROWS, OPT_SEED, OPT_EFFECT, OPT_PERIODS, OPT_TEAMS, OPT_TRUTH };
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS,
      {"design", required_argument, 0, OPT_DESIGN}, {"rows", required_argument, 0, OPT_ROWS},
      {"seed", required_argument, 0, OPT_SEED},     {"effect", required_argument, 0, OPT_EFFECT},
      {"periods", required_argument, 0, OPT_PERIODS}, {"teams", required_argument, 0, OPT_TEAMS},
      {"truth", required_argument, 0, OPT_TRUTH},   {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  attrib_simulate_options o;
  attrib_simulate_options_init(&o);
  const char *truth_path = NULL;
  int rc = 0, opt;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, NULL, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      return CLI_EXIT_OK;
    }
    if (h) continue;
    switch (opt) {
    case OPT_DESIGN:
      if (strcmp(optarg, "cohort") == 0) o.design = ATTRIB_SIM_COHORT;
      else if (strcmp(optarg, "panel") == 0) o.design = ATTRIB_SIM_PANEL;
      else rc = cli_usage_error(cmd, short_usage, "--design expects cohort or panel, got '%s'", optarg);
      break;
    case OPT_ROWS: rc = cli_parse_size(cmd, short_usage, "--rows", optarg, &o.rows) ? 2 : 0; break;
    case OPT_SEED: rc = cli_parse_ulong(cmd, short_usage, "--seed", optarg, &o.seed) ? 2 : 0; break;
    case OPT_EFFECT: rc = cli_parse_double(cmd, short_usage, "--effect", optarg, &o.effect) ? 2 : 0; break;
    case OPT_PERIODS: rc = cli_parse_size(cmd, short_usage, "--periods", optarg, &o.periods) ? 2 : 0; break;
    case OPT_TEAMS: rc = cli_parse_size(cmd, short_usage, "--teams", optarg, &o.teams) ? 2 : 0; break;
    case OPT_TRUTH: truth_path = optarg; break;
    default: break;
    }
  }
  if (rc) return rc;
  if (optind < argc) return cli_usage_error(cmd, short_usage, "unexpected argument '%s'", argv[optind]);
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_simulate_check(&o, &err);
  if (s != ATTRIB_OK) return cli_usage_error(cmd, short_usage, "%s", err.message);
  attrib_simulate_truth *truth = NULL;
  if ((s = attrib_simulate_truth_compute(&o, &truth, &err))) return cli_fail(cmd, s, &err, NULL);

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
  return rc;
}
