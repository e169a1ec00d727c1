/*
 * attrib: the command-line tool. A table of commands; each parses its flags
 * into the library's options, runs, and hands results to the writers.
 */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"

#ifndef ATTRIB_VERSION_STRING
#define ATTRIB_VERSION_STRING "unknown"
#endif

static const cli_command commands[] = {
    {"describe", cmd_describe, "summarise every column of a CSV file"},
    {"simulate", cmd_simulate, "write learner data with a known training effect"},
    {"ols", cmd_ols, "least squares with covariates, fixed effects and robust/cluster SEs"},
    {"logit", cmd_logit, "logistic or probit regression (propensity scores), robust/cluster SEs"},
    {"psm", cmd_psm, "propensity-score matching and weighting, balance, valid SEs"},
    {"did", cmd_did, "difference-in-differences: 2x2, two-way FE, event study, Callaway-Sant'Anna"},
    {"roi", cmd_roi, "ROI of an effect: benefit, cost, ROI %, payback, break-even, intervals"},
    {"sensitivity", cmd_sensitivity, "unmeasured confounding: E-values, Rosenbaum bounds, omitted-variable bias"},
    {"analyze", cmd_analyze, "the whole study: methods side by side, checks, ROI, sensitivity"},
};

static void usage(FILE *out) {
  fprintf(out,
          "Usage: attrib <command> [options]\n"
          "       attrib <command> --help\n"
          "       attrib --version\n\n"
          "attrib estimates the causal effect of a training programme on a business KPI\n"
          "and turns it into an ROI figure with its uncertainty.\n\n"
          "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\nEvery command takes --format text|json|csv and -o FILE.\n"
          "Exit status: 0 success, 1 data or computation error, 2 usage error.\n");
}

/* OpenBLAS starts its worker threads when it is loaded, before main, and
 * they spin (sched_yield) for a while before they sleep. attrib keeps BLAS
 * on one thread and splits rows itself (docs/performance.md), so those
 * spinning workers only take the second core from attrib's own threads:
 * 40-50 ms of a 0.2 s run at 100k rows. OpenBLAS's pthread build exports
 * the call its fork handler uses to stop them; it is declared weak, so a
 * build without it links and simply keeps its threads. */
extern int blas_thread_shutdown_(void) __attribute__((weak));

int main(int argc, char **argv) {
  /* The library checks every GSL return value; GSL's default handler would
   * abort the process instead. */
  gsl_set_error_handler_off();
  /* BLAS runs on blocks; attrib parallelises above it (docs/performance.md). */
  attrib_blas_threads(1);
  if (blas_thread_shutdown_) (void)blas_thread_shutdown_();
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    printf("attrib %s (library %s)\n", ATTRIB_VERSION_STRING, attrib_version());
    return CLI_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(cmd, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "attrib: unknown command '%s'\n", cmd);
  usage(stderr);
  return CLI_EXIT_USAGE;
}
