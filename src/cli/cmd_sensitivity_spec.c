/* attrib sensitivity spec psm|did (docs/methods/sensitivity.md): the specification sweep. The
 * flags are the estimator's, plus --vary NAME=V1,V2; the library checks and runs the sweep
 * (attrib_spec_sweep) and src/output writes it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <attrib/sensitivity.h>

static const char *const usage_text = cli_sensitivity_usage, *const short_usage = cli_sensitivity_short_usage;

/* ---- specification sweeps ------------------------------------------------------------ */

/* A --vary NAME=V1,V2 as given (covariate sets separated by '|'), with each
 * covariate set's right-hand side. */
typedef struct vary {
  char *name;
  char **values, **rhs;
  size_t n;
} vary;

static void vary_free(vary *v) {
  for (size_t k = 0; k < v->n; k++) free(v->values[k]), free(v->rhs ? v->rhs[k] : NULL);
  free(v->values), free(v->rhs), free(v->name);
}

/* NAME=V1,V2, NAME=FROM:TO:STEP, or covariates="a,b|a,b,c"; 0 or -1 */
static int vary_parse(const char *arg, vary *v) {
  const char *eq = strchr(arg, '=');
  memset(v, 0, sizeof *v);
  if (!eq || eq == arg || !(v->name = strndup(arg, (size_t)(eq - arg)))) return -1;
  int cov = !strcmp(v->name, "covariates");
  double a, b, st;
  char tail;
  if (!cov && sscanf(eq + 1, "%lf:%lf:%lf%c", &a, &b, &st, &tail) == 3 && st > 0 && b >= a && (b - a) / st < 1e5) {
    size_t m = (size_t)floor((b - a) / st + 1e-9) + 1;
    v->values = calloc(m, sizeof *v->values);
    for (size_t i = 0; v->values && i < m; i++) {
      char buf[32]; /* a %.10g number */
      snprintf(buf, sizeof buf, "%.10g", a + (double)i * st);
      v->values[v->n++] = strdup(buf);
    }
    return v->values ? 0 : -1;
  }
  char *copy = strdup(eq + 1), *save = NULL;
  size_t cap = 8;
  v->values = malloc(cap * sizeof *v->values);
  for (char *tok = strtok_r(copy, cov ? "|" : ",", &save); tok && v->values; tok = strtok_r(NULL, cov ? "|" : ",", &save)) {
    if (v->n == cap) v->values = realloc(v->values, (cap *= 2) * sizeof *v->values);
    if (v->values) v->values[v->n++] = strdup(tok);
  }
  free(copy);
  if (cov && v->values && (v->rhs = calloc(v->n ? v->n : 1, sizeof *v->rhs)))
    for (size_t k = 0; k < v->n; k++) v->rhs[k] = cli_covariates_rhs(v->values[k]);
  return v->values ? 0 : -1;
}

typedef struct spec_flags {
  attrib_spec_options so;
  vary v[ATTRIB_SPEC_MAX_DIMS];
  size_t nv;
  char *base_rhs;
} spec_flags;

/* the table's first entries: the estimator flags a sweep takes as its base, set as the sweep sets them */
static const char *const spec_base[] = {"estimand", "method", "ratio", "caliper", "estimator", "control"};
enum { SPEC_BASE_DID = 4, SPEC_VARY = 6, SPEC_OUTCOME, SPEC_COVS, SPEC_LEVEL };

static int spec_flag(void *ctx, size_t i, const char *arg) {
  const char *cmd = "sensitivity spec";
  spec_flags *f = ctx;
  if (i < SPEC_VARY) {
    attrib_status s = i >= SPEC_BASE_DID ? attrib_spec_set_did(&f->so.did, spec_base[i], arg, NULL, NULL)
                                         : attrib_spec_set_psm(&f->so.psm, spec_base[i], arg, NULL, NULL);
    return s ? cli_usage_error(cmd, short_usage, "bad --%s", spec_base[i]) : 0;
  }
  double x;
  switch (i) {
  case SPEC_VARY:
    if (f->nv == ATTRIB_SPEC_MAX_DIMS || vary_parse(arg, &f->v[f->nv])) {
      if (f->nv < ATTRIB_SPEC_MAX_DIMS) vary_free(&f->v[f->nv]);
      return cli_usage_error(cmd, short_usage, "--vary expects NAME=V1,V2 (covariate sets: \"a,b|a,b,c\"), at most 8");
    }
    return f->v[f->nv++].n ? 0 : cli_usage_error(cmd, short_usage, "--vary '%s' has no values", arg);
  case SPEC_OUTCOME: f->so.psm.outcome = f->so.did.outcome = arg; return 0;
  case SPEC_COVS: free(f->base_rhs), f->base_rhs = cli_covariates_rhs(arg); return 0;
  default:
    if (cli_parse_double(cmd, short_usage, "--level", arg, &x)) return CLI_EXIT_USAGE;
    f->so.psm.level = f->so.did.level = x;
    return 0;
  }
}

static void spec_progress(void *ctx, size_t done, size_t total) {
  cli_progress_show(ctx, "%zu/%zu specifications", done, total); /* from whichever thread finished */
}

int cmd_sensitivity_spec(int argc, char **argv) {
  const char *cmd = "sensitivity spec";
  if (argc < 2 || (strcmp(argv[1], "psm") && strcmp(argv[1], "did")))
    return cli_usage_error(cmd, short_usage, "sensitivity spec expects psm or did, then DATA and the estimator's options");
  int is_did = !strcmp(argv[1], "did");
  argc--, argv++;
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  spec_flags f = {.nv = 0};
  attrib_spec_options *so = &f.so;
  attrib_spec_options_init(so);
  so->estimator = is_did ? ATTRIB_SPEC_DID : ATTRIB_SPEC_PSM;
  attrib_spec_dim dims[ATTRIB_SPEC_MAX_DIMS];
  attrib_table *t = NULL;
  attrib_spec_result *res = NULL;
  attrib_spec_summary *sum = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  const cli_flag flags[] = {
      {"--estimand", CLI_FLAG_CALL, NULL},          {"--method", CLI_FLAG_CALL, NULL},
      {"--ratio", CLI_FLAG_CALL, NULL},             {"--caliper", CLI_FLAG_CALL, NULL},
      {"--estimator", CLI_FLAG_CALL, NULL},         {"--control", CLI_FLAG_CALL, NULL},
      {"--vary", CLI_FLAG_CALL, NULL},              {"--outcome", CLI_FLAG_CALL, NULL},
      {"--covariates", CLI_FLAG_CALL, NULL},        {"--level", CLI_FLAG_CALL, NULL},
      {"--treat", CLI_FLAG_STRING, &so->psm.treat}, {"--id", CLI_FLAG_STRING, &so->psm.id},
      {"--replace", CLI_FLAG_ON, &so->psm.replace}, {"--unit", CLI_FLAG_STRING, &so->did.unit},
      {"--time", CLI_FLAG_STRING, &so->did.time},   {"--cohort", CLI_FLAG_STRING, &so->did.cohort},
      {"--cluster", CLI_FLAG_STRING, &so->did.cluster}, {"--threads", CLI_FLAG_SIZE, &so->threads},
      {NULL, 0, NULL}};
  int rc = cli_flags_parse(cmd, short_usage, usage_text, argc, argv, flags, &c, &csv, spec_flag, &f);
  if (rc) {
    rc = rc < 0 ? 0 : rc;
    goto done;
  }
  if (optind != argc - 1 || !f.nv) {
    rc = cli_usage_error(cmd, short_usage, "sensitivity spec %s needs DATA and at least one --vary NAME=V1,V2", is_did ? "did" : "psm");
    goto done;
  }
  so->psm.covariates = so->did.covariates = f.base_rhs;
  for (size_t d = 0; d < f.nv; d++)
    dims[d] = (attrib_spec_dim){f.v[d].name, (const char *const *)f.v[d].values, (const char *const *)f.v[d].rhs, f.v[d].n};
  so->dims = dims, so->n_dims = f.nv;
  attrib_status st = attrib_spec_check(so, &err);
  if (st) { /* the library names the option and the value (or the unknown option); the flag is --vary */
    int value = err.option && !strcmp(err.option, "spec.dims.values");
    int name = err.option && !strcmp(err.option, "spec.dims.names");
    rc = st == ATTRIB_EUSAGE ? cli_usage_error(cmd, short_usage, "%s%s", value ? "--vary " : name ? "--vary: " : "", cli_flag_text(err.message, sizeof err.message))
                             : cli_fail(cmd, st, &err, NULL);
    goto done;
  }
  csv.treat = is_did ? so->did.treat : so->psm.treat;
  if ((rc = cli_load_table(cmd, argv[optind], &csv, &t))) goto done;
  cli_progress line;
  cli_progress_start(&line, cmd, c.quiet);
  so->progress = spec_progress, so->progress_ctx = &line;
  st = attrib_spec_sweep(t, so, &res, &err);
  cli_progress_end(&line);
  /* the specification curve's summary (over the estimated specifications only) */
  if (!st) st = attrib_spec_summarize(res, attrib_spec_count(so), &sum, &err);
  if (st) {
    rc = cli_fail(cmd, st, &err, NULL);
    goto done;
  }
  /* the failures' reasons name options fields: the CLI's output names flags */
  for (size_t i = 0; i < attrib_spec_count(so); i++) cli_flag_text(res[i].message, sizeof res[i].message);
  for (size_t i = 0; i < sum->n_reasons; i++) cli_flag_text(sum->reasons[i].reason, 0);
  cli_out o;
  if (!(rc = cli_out_open(&o, c.output, cmd)))
    rc = cli_out_end(&o, cmd, attrib_report_write_spec(o.fp, so, res, sum, c.format, &err), &err);
done:
  for (size_t d = 0; d < f.nv; d++) vary_free(&f.v[d]);
  free(f.base_rhs);
  attrib_spec_results_free(res);
  attrib_spec_summary_free(sum);
  attrib_table_free(t);
  cli_csv_free(&csv);
  return rc;
}
