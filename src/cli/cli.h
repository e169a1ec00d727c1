/*
 * Shared pieces of the attrib command-line tool. The CLI is a client of the
 * library: it includes only <attrib/...> headers.
 *
 * Exit codes (docs/cli.md): 0 success, 1 data or computation error,
 * 2 usage error.
 */
#ifndef ATTRIB_CLI_H
#define ATTRIB_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <attrib/attrib.h>

/* Every parser's getopt_long goes through cli_getopt_long (the macro below,
 * so a new command's parser is covered without doing anything). With
 * ATTRIB_LIST_FLAGS=1 in the environment, its first call prints the flags
 * that parser accepts, one option a line with its spellings ("-o --output",
 * "--format"), and ends the program
 * with 0: tests/docs/flags.sh reads the accepted set from the parsers
 * themselves rather than from their source, and checks that each flag is in
 * the command's --help and in docs/cli.md (issue 20). Otherwise it is
 * getopt_long. */
int cli_getopt_long(int argc, char *const argv[], const char *shortopts, const struct option *longopts,
                    int *longindex);
#define getopt_long cli_getopt_long

enum { CLI_EXIT_OK = 0, CLI_EXIT_DATA = 1, CLI_EXIT_USAGE = 2 };

typedef struct cli_command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} cli_command;

/* Output to a regular file (or a new one) is written to a temporary file
 * beside it and renamed at the end, so a failure never leaves a partial file.
 * A symlink is followed and its regular target replaced, never the link. A
 * character or block device, FIFO or socket (/dev/null, /dev/stdout, a pipe)
 * is written in place: replacing it would destroy it (as root, -o /dev/null
 * once replaced the system's /dev/null). "-" is standard output. */
typedef struct cli_out {
  FILE *fp;
  char *path; /* NULL = stdout */
  char *tmp;  /* NULL when written in place */
} cli_out;

int cli_out_open(cli_out *o, const char *path, const char *cmd);
int cli_out_commit(cli_out *o, const char *cmd); /* 0 or CLI_EXIT_DATA */
/* Ends a write to o with the writer's status: commits it when the writer
 * succeeded (ATTRIB_OK), else removes it and reports err (cli_fail). */
int cli_out_end(cli_out *o, const char *cmd, attrib_status s, const attrib_error *err);
void cli_out_abort(cli_out *o);

/* Options every command shares. */
typedef struct cli_common {
  attrib_report_format format;
  const char *output;
  int quiet, verbose;
} cli_common;

/* Long-option codes shared by all commands; a command's own codes start at
 * CLI_OPT_COMMAND. */
enum {
  CLI_OPT_FORMAT = 1000,
  CLI_OPT_DELIM,
  CLI_OPT_CATEGORICAL,
  CLI_OPT_NUMERIC,
  CLI_OPT_NA,
  CLI_OPT_DECIMAL,
  CLI_OPT_THOUSANDS,
  CLI_OPT_CURRENCY,
  CLI_OPT_PERCENT,
  CLI_OPT_ENCODING,
  CLI_OPT_STRICT,
  CLI_OPT_TREAT_LEVEL,
  CLI_OPT_PERIOD,
  CLI_OPT_SQL,
  CLI_OPT_BOOTSTRAP = 1050, /* the bootstrap flags (CLI_BOOT_LONGOPTS) */
  CLI_OPT_BOOT_SEED,
  CLI_OPT_BOOT_TYPE,
  CLI_OPT_BOOT_WEIGHTS,
  CLI_OPT_BOOT_CI,
  CLI_OPT_SAVE_DRAWS,
  CLI_OPT_ROI_LEARNERS = 1070, /* the ROI inputs of roi and analyze (CLI_ROI_LONGOPTS) */
  CLI_OPT_ROI_VALUE,
  CLI_OPT_ROI_HORIZON,
  CLI_OPT_ROI_DECAY,
  CLI_OPT_ROI_ATTR,
  CLI_OPT_ROI_MARGIN,
  CLI_OPT_ROI_CPL,
  CLI_OPT_ROI_PPY,
  CLI_OPT_ROI_COST,
  CLI_OPT_ROI_BENEFIT,
  CLI_OPT_ROI_VALUE_BY, /* --value-per-unit-by (roi, analyze: not in CLI_ROI_LONGOPTS, which power and simulate take) */
  CLI_OPT_HONEST = 1090, /* the honest parallel-trends flags of did and analyze (CLI_HONEST_LONGOPTS) */
  CLI_OPT_HONEST_MBAR,
  CLI_OPT_HONEST_M,
  CLI_OPT_BY = 1095, /* the subgroup flags of ols, psm, did and analyze (CLI_BY_LONGOPTS) */
  CLI_OPT_BY_BINS,
  CLI_OPT_BY_CUTS,
  CLI_OPT_COMMAND = 1100
};

#define CLI_COMMON_LONGOPTS                                                    \
  {"format", required_argument, 0, CLI_OPT_FORMAT},                            \
      {"output", required_argument, 0, 'o'}, {"quiet", no_argument, 0, 'q'},   \
      {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}
#define CLI_CSV_LONGOPTS                                                       \
  {"delim", required_argument, 0, CLI_OPT_DELIM},                              \
      {"categorical", required_argument, 0, CLI_OPT_CATEGORICAL},              \
      {"numeric", required_argument, 0, CLI_OPT_NUMERIC},                      \
      {"na", required_argument, 0, CLI_OPT_NA},                                \
      {"decimal", required_argument, 0, CLI_OPT_DECIMAL},                      \
      {"thousands", required_argument, 0, CLI_OPT_THOUSANDS},                  \
      {"currency", no_argument, 0, CLI_OPT_CURRENCY},                          \
      {"percent", no_argument, 0, CLI_OPT_PERCENT},                            \
      {"encoding", required_argument, 0, CLI_OPT_ENCODING},                    \
      {"strict", no_argument, 0, CLI_OPT_STRICT},                              \
      {"treat-level", required_argument, 0, CLI_OPT_TREAT_LEVEL},              \
      {"period", required_argument, 0, CLI_OPT_PERIOD},                        \
      {"sql", required_argument, 0, CLI_OPT_SQL}
/* One line for the commands' help: the CSV flags every data command takes
 * (docs/cli.md, "Reading exports"). */
#define CLI_CSV_HELP                                                                              \
  "  --na WORDS, --decimal C, --thousands C, --currency, --percent, --encoding E, --strict:\n"      \
  "    missing-value words, number formats, text encoding, unnamed columns of exports (see\n"        \
  "    'attrib describe --help')\n"                                                              \
  "  --treat-level L        the treated value of a treatment exported as text (trained/control)\n" \
  "    or coded 1/2: that value is 1, every other value 0\n"                                        \
  "  --period day|week|month|quarter  a panel whose time and cohort columns hold dates: the periods\n"  \
  "    they fall in (default day; 2025-12-31, 12/31/2025, 31/12/2025 and 31.12.2025 are read)\n"  \
  "  DATA may be postgresql://USER@HOST/DB?table=T, or with --sql \"SELECT ...\" (docs/scale.md)\n"
#define CLI_BOOT_LONGOPTS                                                      \
  {"bootstrap", required_argument, 0, CLI_OPT_BOOTSTRAP},                      \
      {"seed", required_argument, 0, CLI_OPT_BOOT_SEED},                       \
      {"boot-type", required_argument, 0, CLI_OPT_BOOT_TYPE},                  \
      {"weights-dist", required_argument, 0, CLI_OPT_BOOT_WEIGHTS},            \
      {"ci", required_argument, 0, CLI_OPT_BOOT_CI},                           \
      {"save-draws", required_argument, 0, CLI_OPT_SAVE_DRAWS}
#define CLI_HONEST_LONGOPTS                                                    \
  {"honest", required_argument, 0, CLI_OPT_HONEST},                            \
      {"mbar", required_argument, 0, CLI_OPT_HONEST_MBAR},                     \
      {"m", required_argument, 0, CLI_OPT_HONEST_M}
#define CLI_ROI_LONGOPTS                                                       \
  {"learners", required_argument, 0, CLI_OPT_ROI_LEARNERS},                    \
      {"value-per-unit", required_argument, 0, CLI_OPT_ROI_VALUE},             \
      {"horizon", required_argument, 0, CLI_OPT_ROI_HORIZON},                  \
      {"decay", required_argument, 0, CLI_OPT_ROI_DECAY},                      \
      {"attribution", required_argument, 0, CLI_OPT_ROI_ATTR},                 \
      {"margin", required_argument, 0, CLI_OPT_ROI_MARGIN},                    \
      {"cost-per-learner", required_argument, 0, CLI_OPT_ROI_CPL},             \
      {"periods-per-year", required_argument, 0, CLI_OPT_ROI_PPY},             \
      {"cost", required_argument, 0, CLI_OPT_ROI_COST},                        \
      {"benefit", required_argument, 0, CLI_OPT_ROI_BENEFIT}
#define CLI_BY_LONGOPTS                                                        \
  {"by", required_argument, 0, CLI_OPT_BY},                                    \
      {"by-bins", required_argument, 0, CLI_OPT_BY_BINS},                      \
      {"by-cuts", required_argument, 0, CLI_OPT_BY_CUTS}
/* One block for the commands' help. */
#define CLI_BY_HELP                                                                                \
  "Subgroups (docs/methods/subgroups.md):\n"                                                        \
  "  --by COL               the effect in each level of COL (at most 50), from one joint fit, with\n" \
  "                         the Wald test that they are equal and every pairwise difference\n"      \
  "  --by-bins K            COL is numeric: K bins of about equal counts (its quantiles)\n"         \
  "  --by-cuts A,B,...      COL is numeric: bins (-inf,A], (A,B], ..., (last,inf)\n"
#define CLI_SHORTOPTS ":o:qvh"

typedef struct cli_csv cli_csv;

/* Handles an option every command shares (getopt_long's opt and optarg):
 * returns 0 when opt is not one of them, 1 when handled, 2 for --help.
 * A bad value prints a usage error and sets *rc to 2. csv may be NULL for
 * commands that read no data. */
int cli_common_option(const char *cmd, const char *usage, int opt, char **argv, cli_common *c,
                      cli_csv *csv, int *rc);

/* A command's own flags, table-driven: each sets its target from its argument. */
typedef enum cli_flag_kind {
  CLI_FLAG_STRING, /* const char **: the argument itself */
  CLI_FLAG_DOUBLE, /* double *: a number (cli_parse_double) */
  CLI_FLAG_SIZE,   /* size_t *: a count (cli_parse_size) */
  CLI_FLAG_ON,     /* int *: set to 1; the flag takes no argument */
  CLI_FLAG_CALL    /* the command's own handler (cli_flags_parse's call) */
} cli_flag_kind;

typedef struct cli_flag {
  const char *name; /* "--estimate" */
  cli_flag_kind kind;
  void *target;     /* as kind says; NULL for CLI_FLAG_CALL */
} cli_flag;

/* Handles flag i (its index in the table) with its argument: 0 or an exit code. */
typedef int (*cli_flag_call)(void *ctx, size_t i, const char *arg);

/* Parses argv: the options every command shares (cli_common_option; the CSV
 * flags too when csv is not NULL) and the command's flags (a table ended by
 * {NULL}). Stops at the first error. Returns 0 with optind at the first
 * operand, an exit code after printing the error, or -1 after printing
 * usage for --help (the command then ends with 0). */
int cli_flags_parse(const char *cmd, const char *short_usage, const char *usage, int argc, char **argv,
                    const cli_flag *flags, cli_common *c, cli_csv *csv, cli_flag_call call, void *ctx);

/* Numbers as "FROM:TO:STEP" (at most a million steps) or a list "1,1.5,2":
 * *out a new array (free) of *n. 0, or -1 for anything else. */
int cli_parse_numbers(const char *s, double **out, size_t *n);

/* Prints "attrib CMD: message" for a library error, with a caret under the
 * formula when err->offset is set, and returns the exit code for status. */
int cli_fail(const char *cmd, attrib_status s, const attrib_error *err, const char *formula);

/* err's message for a person at the command line, in buf: the options
 * fields the library's text names ("psm.method ipw") as their flags
 * ("--method ipw", cli_flag_text), and "--level: the confidence level must
 * be ..." when the library named the field the error is about
 * (attrib_error.option) and the message does not start with its flag. */
const char *cli_error_text(const attrib_error *err, char *buf, size_t cap);

/* Rewrites in place, and returns, text from the library (an error message,
 * a result's warning or failure reason): each options field it names, as
 * "struct.field", becomes the flag that sets it ("ols.fe_max_iter" ->
 * "--fe-max-iter"), for the fields of the one table in cli_common.c. cap is
 * the room s has (0: strlen(s) + 1); a text that would not fit stays as it
 * is. NULL stays NULL. */
char *cli_flag_text(char *s, size_t cap);
/* The same for each of n strings of a result (their room is their length). */
void cli_flag_texts(char *const *texts, size_t n);

/* Usage error: one line, then the hint, exit code 2. */
int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Strict number parsing for flags; print a usage error and return -1 on a bad value. */
int cli_parse_size(const char *cmd, const char *usage, const char *flag, const char *arg, size_t *out);
int cli_parse_ulong(const char *cmd, const char *usage, const char *flag, const char *arg, unsigned long *out);
int cli_parse_double(const char *cmd, const char *usage, const char *flag, const char *arg, double *out);

/* Splits "a,b,c" into a NULL-terminated array of new strings (free with cli_list_free). */
char **cli_split_list(const char *s);

/* "a,b,factor(c)" -> "a + b + factor(c)" (malloc'd; commas inside
 * parentheses stay), for --covariates lists. NULL when out of memory.
 * Text for the commands whose options still take the covariates as text
 * (the sensitivity sweeps); the others use cli_covariates. */
char *cli_covariates_rhs(const char *list);

/* Reads a --covariates list into terms, once: items are separated by
 * commas (not those inside parentheses or backquotes) and trimmed; an item
 * that is exactly the name of a column of t is that column, as written
 * (spaces, accents, punctuation: no quoting needed); any other item is
 * formula terms (factor(x), a:b, `odd name`) parsed on its own. *out: a new
 * right-hand side (attrib_formula_free). Returns 0, or an exit code after
 * printing the error (a caret under the item). */
int cli_covariates(const char *cmd, const char *list, const attrib_table *t, attrib_formula **out);
void cli_list_free(char **l);
/* --outcome A,B,... of did and psm: the list into *list (the previous one
 * freed), its first name into *outcome, and the others into *extra (NULL
 * for one outcome: the options' extra_outcomes). */
void cli_outcomes_option(const char *arg, char ***list, const char **outcome, const char *const **extra);

/* Loads DATA with the shared CSV flags. */
struct cli_csv {
  char delim;
  char **categorical;
  char **numeric;
  char **na;     /* --na: replaces the default missing words */
  char decimal;  /* --decimal */
  char thousands; /* --thousands */
  int currency, percent;
  const char *encoding; /* --encoding (borrowed from argv) */
  int strict;           /* --strict: a column with no name in the header is an error */
  const char *treat_level; /* --treat-level: the treated value of a text (or 1/2) treatment */
  const char *treat;       /* the command's --treat, set before cli_load_table */
  const char *ids[8];      /* the command's identifier columns (--id, --unit, --cluster): read as text */
  const char *time, *cohort; /* a panel's --time and --cohort: dates become periods */
  int period;              /* --period: attrib_period + 1; 0 = not given (days) */
  int period_is_unit;      /* analyze: --period also names the report's period, so data without dates to
                            * bucket is no error */
  int quiet; /* -q: no progress line while loading */
  const char *sql; /* --sql: the query a postgresql:// DATA is read with */
  const char *const *columns; /* a postgresql:// DATA: fetch only these (NULL: all) */
};
int cli_csv_delim(const char *cmd, const char *usage, const char *arg, char *out);
void cli_csv_free(cli_csv *c);
int cli_load_table(const char *cmd, const char *path, const cli_csv *c, attrib_table **out);
/* Overwrites the password of a postgresql://user:password@host URI (or its
 * password= parameter) in place with '*'. */
void cli_mask_password(char *uri);
/* --stream given to a command that needs the table in memory: says so
 * (what), with the rows and bytes a table of DATA (argv[optind]) would
 * take. Returns CLI_EXIT_USAGE. */
int cli_stream_refused(const char *cmd, int argc, char **argv, const cli_csv *c, const char *what);
/* The reader's options of the CSV flags (c may be NULL: defaults). */
void cli_csv_options(const cli_csv *c, attrib_csv_options *o);
/* A byte size: a number with an optional K, M, G or T (binary multiples,
 * optionally followed by B or iB). 0 or 2 after a usage error. */
int cli_parse_bytes(const char *cmd, const char *usage, const char *flag, const char *arg, size_t *out);

/* Parses the formula and builds the design (advice: what a factor with
 * too many levels is told to become); prints a caret under the formula on
 * a formula error. Returns 0 or an exit code. */
int cli_build_design(const char *cmd, const attrib_table *t, const char *formula, const char *weights,
                     char **cluster, const char *const *keep, attrib_design_levels_advice advice, attrib_formula **f,
                     attrib_design **d);

/* The design options of a model command's table: --weights, --cluster, no
 * collinearity check (the estimators detect aliased terms themselves);
 * what cli_build_design builds with, for the fits that build their own
 * designs (ols --by, --per-outcome-rows). */
void cli_design_options(attrib_design_options *o, const char *weights, const char *const *cluster);

/* Reconciles --vcov and --cluster: a cluster column implies vcov cluster;
 * vcov cluster needs one. Returns 0 or the usage exit code. */
int cli_resolve_vcov(const char *cmd, const char *usage, char **cluster, int vcov_given, attrib_vcov_type *vcov);

/* Wall-clock seconds since an arbitrary start (CLOCK_MONOTONIC), for -v timings. */
double cli_now(void);
/* Seconds a long step runs before its progress line appears: 1, or
 * ATTRIB_PROGRESS_DELAY from the environment (for tests). */
double cli_progress_delay(void);

/* The one progress line of every long step (load, bootstrap, sweep,
 * analyze): on standard error when it is a terminal and -q was not given,
 * only once the step has run cli_progress_delay() seconds, so quick runs
 * print nothing; cleared at the end so the results start on a clean line.
 * cli_progress_show may be called from several threads (a sweep's workers):
 * the line is one fprintf, and `shown` is atomic. */
typedef struct cli_progress {
  const char *cmd;
  double t0, delay;
  int on;              /* a terminal, no -q */
  _Atomic int shown;   /* the line is on screen */
} cli_progress;

void cli_progress_start(cli_progress *p, const char *cmd, int quiet);
/* "\rattrib CMD: <fmt>" then clear to the end of the line */
void cli_progress_show(cli_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_progress_end(cli_progress *p);

/* A model command's inputs and what cli_model_prepare loads for it. */
/* The bootstrap flags of every estimating command (issue 6's contract). */
typedef struct cli_boot {
  attrib_boot_options o;
  cli_progress line;      /* the replicates done, while it runs */
  int requested;          /* --bootstrap given */
  int type_given, weights_given, ci_given;
  const char *save_draws; /* --save-draws FILE */
} cli_boot;

void cli_boot_init(cli_boot *b);
/* 1 when opt was a bootstrap flag (rc set on a bad value), else 0 */
int cli_boot_option(const char *cmd, const char *usage, int opt, cli_boot *b, int *rc);

/* --honest, --mbar / --m (CLI_HONEST_LONGOPTS) and did's --honest-target as
 * given: the same names, checks and messages in did and analyze. */
/* --by, --by-bins and --by-cuts as given (CLI_BY_LONGOPTS). */
typedef struct cli_by {
  const char *column;
  size_t bins;
  double *cuts;
  size_t n_cuts;
  char *binned; /* the name of the binned column added to the table, or NULL */
} cli_by;
/* 1 when opt was a subgroup flag (rc set on a bad value), else 0. */
int cli_by_option(const char *cmd, const char *usage, int opt, const char *arg, cli_by *b, int *rc);
/* After parsing: --by-bins/--by-cuts need --by, not both. 0 or an exit code. */
int cli_by_validate(const char *cmd, const char *usage, const cli_by *b);
/* After loading t: adds the binned column when asked, and returns (in
 * *column) the column to group by, or NULL without --by. 0 or an exit code. */
int cli_by_prepare(const char *cmd, cli_by *b, attrib_table *t, const char **column);
void cli_by_free(cli_by *b);

typedef struct cli_honest {
  const char *honest, *vals, *flag, *target; /* flag: "--mbar" or "--m", whichever gave vals */
} cli_honest;

/* One of CLI_HONEST_LONGOPTS into h: 1 when opt was one, else 0. */
int cli_honest_option(int opt, const char *arg, cli_honest *h);

/* h checked: *restriction, the values *m (new array, free; the given ones,
 * else RM's default 0,0.5,1,1.5,2; NULL for none) and the target event
 * *event (-1 = the average). implicit_rm: no --honest means rm (analyze:
 * the bounds run by default, and "--honest none" skips them, *none = 1);
 * otherwise no --honest means no bounds (*none = 1) and --mbar, --m or
 * --honest-target alone are errors (did). Returns 0 or an exit code after
 * printing the usage error. */
int cli_honest_setup(const char *cmd, const char *usage, const cli_honest *h, int implicit_rm,
                     attrib_honest_restriction *restriction, int *none, double **m, size_t *n_m, long *event);
/* after option parsing: the bootstrap's companion flags without
 * --bootstrap are a usage error; 0 or the exit code */
int cli_boot_validate(const char *cmd, const char *usage, const cli_boot *b);
/* a progress line on standard error while the bootstrap runs, when that
 * is a terminal, -q was not given and the work has taken over a second */
void cli_boot_progress(cli_boot *b, const char *cmd, int quiet);
void cli_boot_progress_end(cli_boot *b);
/* writes the draws, one per line with a header, through a temporary file */
int cli_boot_save(const char *cmd, const cli_boot *b, const attrib_boot_result *r);

/* Named amount lines (--cost / --benefit NAME=AMOUNT[@sd=S|@range=LO..HI]). */
typedef struct cli_lines {
  attrib_roi_line *v;
  size_t n;
} cli_lines;
int cli_line_parse(const char *cmd, const char *short_usage, const char *flag, const char *arg, int allow_sd,
                   cli_lines *l);
void cli_lines_free(cli_lines *l);
/* --value-per-unit-by LEVEL=V,LEVEL=V (repeatable): a value per unit for
 * named levels of the subgroup column (attrib_roi_level_value). */
typedef struct cli_level_values {
  attrib_roi_level_value *v; /* levels borrowed from names */
  char **names;              /* the levels, owned */
  size_t n;
} cli_level_values;
/* Appends arg's pairs to l. Pairs are split at commas; a piece without '='
 * belongs to the next one (a binned level, "1 [2, 5]", holds a comma) and
 * the value follows the last '='. Returns 0 or a usage error's exit code. */
int cli_level_values_parse(const char *cmd, const char *usage, const char *arg, cli_level_values *l);
void cli_level_values_free(cli_level_values *l);

/* The ROI inputs roi and analyze share (CLI_ROI_LONGOPTS): the value
 * figures into in, --cost and --benefit lines into costs and benefits.
 * Returns 1 when opt was one of them (rc set on a bad value; *costed, when
 * not NULL, set for a cost, a benefit line or --cost-per-learner), else 0. */
int cli_roi_option(const char *cmd, const char *usage, int opt, attrib_roi_input *in, cli_lines *costs, cli_lines *benefits,
                   int *costed, int *rc);
/* --spec FILE (INI or JSON) turned into options before the command line's:
 * *outv is NULL when no --spec was given; free each string and the array.
 * switches: the command's flags that take no value (NULL-terminated, no
 * "--"; NULL = none): a spec sets one with true or false. */
int cli_spec_args(const char *cmd, int argc, char **argv, const char *const *switches, int *outc, char ***outv);
/* The spec's options from the file's bytes (src/cli/cli_spec.c: the
 * library's attrib_settings_read, then the mapping to flags): name is used
 * in messages. 0 with the options in *outv, NULL-terminated (NULL
 * when the file sets nothing; free them with cli_spec_free), or 1 with a
 * one-line message in err. */
int cli_spec_parse(const char *name, const char *text, size_t len, const char *const *switches, int *outc, char ***outv,
                   char *err, size_t errcap);
void cli_spec_free(int argc, char **argv);

typedef struct cli_model {
  const cli_csv *csv;
  const char *formula, *weights, *source;
  char **cluster;
  int vcov_given;
  attrib_vcov_type *vcov;
  attrib_table *t;
  attrib_formula *f;
  attrib_design *d;
  double t_load, t_design, t_fit0;
  const attrib_boot_result *bootstrap; /* written into the result when set */
  /* what the command can do with a factor of too many levels (logit: no
   * '|' fixed effects); 0 = absorb it, as ols does */
  attrib_design_levels_advice levels_advice;
  int multi_ok; /* the command takes c(y1, y2, ...) ~ ... (ols); others refuse it */
} cli_model;

/* How many outcomes formula names: 2+ for c(y1, y2, ...) ~ ..., 1
 * otherwise (also for a formula that does not parse: prepare says why). */
size_t cli_formula_outcomes(const char *formula);

typedef attrib_status (*cli_model_writer)(FILE *out, const void *result, const attrib_report_context *ctx,
                                          attrib_report_format fmt, attrib_error *err);

/* After option parsing: checks DATA and --formula, reconciles --vcov and
 * --cluster, loads the table and builds the design. 0 or an exit code. */
int cli_model_prepare(const char *cmd, const char *usage, int argc, char **argv, cli_model *m);
/* --max-memory: 1 when the table of path would take more than max_memory
 * bytes (estimated from the file's start and size), with a note saying it
 * is streamed; 0 otherwise. */
int cli_stream_too_large(const char *cmd, const cli_common *c, const cli_csv *csv, const char *path, size_t max_memory);
/* What ols and logit share before a streamed fit: one DATA file, a
 * formula, no bootstrap (boot_why says why), no recoding flags, the vcov
 * resolved; fills the reader's and the design's options. An exit code. */
int cli_stream_prepare(const char *cmd, const char *usage, const cli_csv *csv, cli_model *m, const cli_boot *boot,
                       const char *boot_why, int argc, char **argv, attrib_csv_options *co,
                       attrib_design_options *dopts);
/* A streamed fit's failure: the reader's option errors name their flag. */
int cli_stream_fail(const char *cmd, attrib_status s, attrib_error *err, const char *formula);
/* Prints -v timings, writes the result (temporary file + rename) and, for
 * JSON/CSV, the warnings on standard error. 0 or an exit code. */
int cli_model_output(const char *cmd, const cli_common *c, cli_model *m, cli_model_writer write, const void *result,
                     char *const *warnings, size_t n_warnings);
/* After the output was committed: a result's warnings on standard error for
 * JSON and CSV output ("attrib CMD: warning: TEXT", or "... warning:
 * [OUTCOME] TEXT" when outcome is not NULL), nothing with -q or for text
 * output (it prints its warnings itself). */
void cli_warnings_print(const char *cmd, const cli_common *c, const char *outcome, char *const *warnings,
                        size_t n_warnings);
void cli_model_release(cli_model *m);

int cmd_describe(int argc, char **argv);
int cmd_logit(int argc, char **argv);
int cmd_ols(int argc, char **argv);
int cmd_psm(int argc, char **argv);
int cmd_did(int argc, char **argv);
int cmd_roi(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
/* attrib sensitivity spec (cmd_sensitivity_spec.c), and the usage texts it shares with cmd_sensitivity */
int cmd_sensitivity_spec(int argc, char **argv);
extern const char cli_sensitivity_usage[], cli_sensitivity_short_usage[];
int cmd_analyze(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_power(int argc, char **argv);
int cmd_mediate(int argc, char **argv);

#endif
