#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib describe DATA [options]\n"
    "Summarise every column of DATA (a CSV file, .csv.gz, or - for standard input).\n\n"
    "Options:\n"
    "  --format text|json|csv  output format (default text)\n"
    "  -o, --output FILE       write to FILE instead of standard output\n"
    "  --delim C               field delimiter (default: detected from the header; 'tab' for tabs)\n"
    "  --categorical COLS      read these columns as categorical (comma-separated)\n"
    "  --numeric COLS          read these columns as numeric; a missing-value word is missing, other text an error\n"
    "  --na WORDS              missing-value words, comma-separated, replacing the default set: NA, NaN, null,\n"
    "                          N/A, #N/A, None (any case), -, --, . and ?; an empty cell is always missing\n"
    "  --decimal C             the decimal mark: '.' (default) or ',' (1234,5)\n"
    "  --thousands C           a separator between groups of three digits: ',', '.', ' ' (also no-break\n"
    "                          spaces), ''' or none (default)\n"
    "  --currency              strip a currency symbol or code before or after numbers ($3,882, 12 EUR)\n"
    "  --percent               read 84% as 0.84\n"
    "                          With any of the last four, (1,234) is -1234 and a leading + is allowed.\n"
    "  --encoding E            the file's text encoding: utf-8 (default), cp1252 (Windows), latin1, utf-16,\n"
    "                          or another name iconv knows; UTF-16 with a byte-order mark is converted unasked\n"
    "  --strict                a column with no name in the header is an error (default: it is left out, with a\n"
    "                          note: Excel's trailing empty columns, R's row names)\n"
    "  --treat-level L, --period UNIT  refused with the reason: they recode an estimator's treatment\n"
    "                          and time columns, which describe does not have\n"
    "  --max-levels N          levels listed per categorical column in text output (default 10)\n"
    "  --columns COLS          describe only these columns (comma-separated), in this order: a wide file's few\n"
    "                          columns of interest\n"
    "  --sql \"SELECT ...\"      with DATA a postgresql://USER@HOST/DB URI: the query's result is the table\n"
    "                          (or DATA postgresql://...?table=T; docs/scale.md)\n"
    "  -q, --quiet             no messages on standard error\n"
    "  -v, --verbose           accepted, as by every command; describe prints no timings\n"
    "  -h, --help              show this help\n";

static const char short_usage[] = "Usage: attrib describe DATA [--format text|json|csv] [-o FILE]\n";

int cmd_describe(int argc, char **argv) {
  const char *cmd = "describe";
  enum { OPT_MAXLEV = CLI_OPT_COMMAND, OPT_COLUMNS };
  static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                           CLI_CSV_LONGOPTS,
                                           {"max-levels", required_argument, 0, OPT_MAXLEV},
                                           {"columns", required_argument, 0, OPT_COLUMNS},
                                           {0, 0, 0, 0}};
  char **columns = NULL;
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  cli_csv csv = {0};
  size_t max_levels = 10;
  int rc = CLI_EXIT_OK, opt;
  optind = 1;
  opterr = 0;
  while (rc == CLI_EXIT_OK && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, &csv, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      cli_csv_free(&csv);
      return CLI_EXIT_OK;
    }
    if (h) continue;
    if (opt == OPT_MAXLEV && cli_parse_size(cmd, short_usage, "--max-levels", optarg, &max_levels))
      rc = CLI_EXIT_USAGE;
    if (opt == OPT_COLUMNS) {
      cli_list_free(columns);
      columns = cli_split_list(optarg);
    }
  }
  if (rc) {
    cli_csv_free(&csv);
    cli_list_free(columns);
    return rc;
  }
  if (optind != argc - 1) {
    cli_csv_free(&csv);
    cli_list_free(columns);
    return cli_usage_error(cmd, short_usage, optind >= argc ? "missing DATA (a CSV file)"
                                                            : "expected one DATA file, got %d arguments",
                           argc - optind);
  }
  attrib_table *t = NULL;
  rc = cli_load_table(cmd, argv[optind], &csv, &t);
  cli_csv_free(&csv);
  if (rc) {
    cli_list_free(columns);
    return rc;
  }
  attrib_error err;
  attrib_error_clear(&err);
  attrib_describe_result *r = NULL;
  attrib_status s = attrib_describe_columns(t, (const char *const *)columns, &r, &err);
  attrib_table_free(t);
  cli_list_free(columns);
  if (s != ATTRIB_OK) return cli_fail(cmd, s, &err, NULL);
  cli_out out;
  if ((rc = cli_out_open(&out, c.output, cmd))) {
    attrib_describe_result_free(r);
    return rc;
  }
  /* the text's notes name the reader's options fields ("csv.thousands ','"):
   * written to memory first, so that they print as flags (cli_flag_text) */
  char *text = NULL;
  size_t len = 0;
  FILE *mem = c.format == ATTRIB_FORMAT_TEXT ? open_memstream(&text, &len) : NULL;
  if (c.format == ATTRIB_FORMAT_TEXT && !mem) {
    s = ATTRIB_ENOMEM;
  } else {
    s = attrib_report_write_describe(mem ? mem : out.fp, r, c.format, max_levels, &err);
  }
  attrib_describe_result_free(r);
  if (mem) {
    if (fclose(mem) != 0 && !s) s = ATTRIB_ENOMEM;
    if (!s && fputs(cli_flag_text(text, 0), out.fp) == EOF) s = ATTRIB_EIO;
  }
  free(text);
  if (s != ATTRIB_OK) {
    cli_out_abort(&out);
    return cli_fail(cmd, s, &err, NULL);
  }
  return cli_out_commit(&out, cmd);
}
