/* The steps every model command shares: check the arguments, load the
 * data, build the design, and write the result with its warnings. */
#include <string.h>

#include "cli.h"

int cli_model_prepare(const char *cmd, const char *usage, int argc, char **argv, cli_model *m) {
  m->t = NULL;
  m->f = NULL;
  m->d = NULL;
  if (optind != argc - 1)
    return cli_usage_error(cmd, usage, optind >= argc ? "missing DATA (a CSV file)" : "expected one DATA file");
  m->source = argv[optind];
  if (!m->formula) return cli_usage_error(cmd, usage, "--formula is required");
  int rc = cli_resolve_vcov(cmd, usage, m->cluster, m->vcov_given, m->vcov);
  if (rc) return rc;
  double t0 = cli_now();
  if (attrib_pg_is_uri(m->source)) { /* from a database: only the model's columns */
    cli_csv c = *m->csv;
    const char *cols[64];
    size_t n = 0;
    attrib_formula *f = NULL;
    if (attrib_formula_parse(m->formula, &f, NULL) == ATTRIB_OK) {
      if (f->response) cols[n++] = f->response;
      for (size_t i = 0; i < f->n_vars && n < 40; i++) cols[n++] = f->vars[i].name;
      for (size_t i = 0; i < f->n_fe && n < 48; i++) cols[n++] = f->fe[i];
      if (m->weights) cols[n++] = m->weights;
      for (size_t i = 0; m->cluster && m->cluster[i] && n < 56; i++) cols[n++] = m->cluster[i];
      if (m->csv->treat && n < 60) cols[n++] = m->csv->treat;
      cols[n] = NULL;
      /* a formula of more columns than this reads them all */
      if (f->n_vars < 40 && f->n_fe < 8) c.columns = cols;
    }
    rc = cli_load_table(cmd, m->source, &c, &m->t);
    attrib_formula_free(f);
    if (rc) return rc;
  } else if ((rc = cli_load_table(cmd, m->source, m->csv, &m->t))) return rc;
  m->t_load = cli_now() - t0;
  t0 = cli_now();
  if ((rc = cli_build_design(cmd, m->t, m->formula, m->weights, m->cluster, NULL, m->levels_advice, &m->f, &m->d))) {
    cli_model_release(m);
    return rc;
  }
  if (m->f->n_responses > 1 && !m->multi_ok) {
    rc = cli_usage_error(cmd, usage, "a formula with several outcomes, c(...) ~ ..., is for ols; %s fits one outcome",
                         cmd);
    cli_model_release(m);
    return rc;
  }
  m->t_design = cli_now() - t0;
  m->t_fit0 = cli_now();
  return 0;
}

int cli_model_output(const char *cmd, const cli_common *c, cli_model *m, cli_model_writer write, const void *result,
                     char *const *warnings, size_t n_warnings) {
  if (c->verbose && !m->t)
    fprintf(stderr, "attrib %s: streamed from %s, fit %.3f s\n", cmd, m->source, cli_now() - m->t_fit0);
  else if (c->verbose)
    fprintf(stderr, "attrib %s: load %.3f s (%zu rows x %zu columns), design %.3f s (%zu x %zu), fit %.3f s\n", cmd,
            m->t_load, m->t->n_rows, m->t->n_cols, m->t_design, m->d->n, m->d->k, cli_now() - m->t_fit0);
  /* the CLI's output, every format, names flags where the library's text names options fields */
  cli_flag_texts(warnings, n_warnings);
  cli_out out;
  int rc = cli_out_open(&out, c->output, cmd);
  if (rc) return rc;
  attrib_report_context ctx = {.command = cmd, .source = m->source, .formula = m->formula, .bootstrap = m->bootstrap};
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = write(out.fp, result, &ctx, c->format, &err);
  if (s != ATTRIB_OK) {
    cli_out_abort(&out);
    return cli_fail(cmd, s, &err, NULL);
  }
  rc = cli_out_commit(&out, cmd);
  if (!rc) cli_warnings_print(cmd, c, NULL, warnings, n_warnings);
  return rc;
}

void cli_warnings_print(const char *cmd, const cli_common *c, const char *outcome, char *const *warnings,
                        size_t n_warnings) {
  if (c->quiet || c->format == ATTRIB_FORMAT_TEXT) return; /* text output prints its warnings itself */
  for (size_t i = 0; i < n_warnings; i++)
    fprintf(stderr, "attrib %s: warning: %s%s%s%s\n", cmd, outcome ? "[" : "", outcome ? outcome : "",
            outcome ? "] " : "", warnings[i]);
}

void cli_model_release(cli_model *m) {
  attrib_design_free(m->d);
  attrib_formula_free(m->f);
  attrib_table_free(m->t);
  m->d = NULL;
  m->f = NULL;
  m->t = NULL;
}

size_t cli_formula_outcomes(const char *formula) {
  attrib_formula *f = NULL;
  if (attrib_formula_parse(formula, &f, NULL) != ATTRIB_OK) return 1;
  size_t n = f->n_responses > 1 ? f->n_responses : 1;
  attrib_formula_free(f);
  return n;
}

int cli_stream_too_large(const char *cmd, const cli_common *c, const cli_csv *csv, const char *path, size_t max_memory) {
  size_t rows = 0, bytes = 0;
  attrib_csv_options co;
  cli_csv_options(csv, &co);
  attrib_error e0;
  attrib_error_clear(&e0);
  if (attrib_csv_estimate(path, &co, &rows, &bytes, &e0) != ATTRIB_OK || bytes <= max_memory) return 0;
  if (!c->quiet)
    fprintf(stderr, "attrib %s: note: %s would take about %.1f MB in memory (%zu rows), more than --max-memory: "
                    "streamed\n", cmd, path, (double)bytes / 1e6, rows);
  return 1;
}

int cli_stream_prepare(const char *cmd, const char *usage, const cli_csv *csv, cli_model *m, const cli_boot *boot,
                       const char *boot_why, int argc, char **argv, attrib_csv_options *co,
                       attrib_design_options *dopts) {
  if (optind != argc - 1)
    return cli_usage_error(cmd, usage, optind >= argc ? "missing DATA (a CSV file)" : "expected one DATA file");
  m->source = argv[optind];
  if (!m->formula) return cli_usage_error(cmd, usage, "--formula is required");
  if (boot->requested) return cli_usage_error(cmd, usage, "%s: leave out --stream", boot_why);
  if (csv->treat_level || csv->period)
    return cli_usage_error(cmd, usage, "%s recodes the table in memory: leave out --stream",
                           csv->treat_level ? "--treat-level" : "--period");
  int rc = cli_resolve_vcov(cmd, usage, m->cluster, m->vcov_given, m->vcov);
  if (rc) return rc;
  cli_csv_options(csv, co);
  attrib_design_options_init(dopts);
  dopts->weights = m->weights;
  dopts->cluster = (const char *const *)m->cluster;
  m->t_fit0 = cli_now();
  return 0;
}

int cli_stream_fail(const char *cmd, attrib_status s, attrib_error *err, const char *formula) {
  if (s == ATTRIB_EUSAGE && err->option && !strncmp(err->option, "csv.", 4)) {
    fprintf(stderr, "attrib %s: --%s: %s\n", cmd, err->option + 4, cli_flag_text(err->message, sizeof err->message));
    return CLI_EXIT_USAGE;
  }
  return cli_fail(cmd, s, err, formula);
}
