#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The file a path names once symlinks are followed: the path itself when it
 * is not a link, the final target otherwise (which need not exist yet: a
 * dangling link is written through, as the shell's > does). NULL with errno
 * set on a loop or an allocation failure. */
static char *resolve_links(const char *path) {
  char *cur = strdup(path);
  for (int hops = 0; cur && hops < 40; hops++) {
    struct stat st;
    if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
    size_t cap = (size_t)st.st_size + 1 > 256 ? (size_t)st.st_size + 1 : 256;
    char *target = malloc(cap);
    ssize_t n = target ? readlink(cur, target, cap - 1) : -1;
    if (n < 0) {
      free(target);
      free(cur);
      return NULL;
    }
    target[n] = '\0';
    if (target[0] != '/') { /* relative to the link's folder */
      const char *slash = strrchr(cur, '/');
      size_t dir = slash ? (size_t)(slash - cur) + 1 : 0;
      char *joined = malloc(dir + (size_t)n + 1);
      if (!joined) {
        free(target);
        free(cur);
        return NULL;
      }
      memcpy(joined, cur, dir);
      memcpy(joined + dir, target, (size_t)n + 1);
      free(target);
      target = joined;
    }
    free(cur);
    cur = target;
  }
  free(cur);
  errno = ELOOP;
  return NULL;
}

static int out_fail(cli_out *o, const char *cmd, const char *path, const char *what, int e) {
  fprintf(stderr, "attrib %s: %s: %s: %s\n", cmd, path, what, strerror(e));
  cli_out_abort(o);
  return CLI_EXIT_DATA;
}

int cli_out_open(cli_out *o, const char *path, const char *cmd) {
  memset(o, 0, sizeof *o);
  if (!path || strcmp(path, "-") == 0) {
    o->fp = stdout;
    return 0;
  }
  struct stat st;
  int exists = stat(path, &st) == 0; /* follows links, /proc's descriptor links too */
  if (exists && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "attrib %s: %s: is a directory; the output needs a file name\n", cmd, path);
    cli_out_abort(o);
    return CLI_EXIT_DATA;
  }
  /* /dev/stdout, /dev/fd/N and /proc/.../fd/N name a descriptor already
   * open: they are written through, whatever file is behind them */
  int fd_link = strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/stderr") == 0 ||
                strncmp(path, "/dev/fd/", 8) == 0 || (strncmp(path, "/proc/", 6) == 0 && strstr(path, "/fd/"));
  if (exists && (!S_ISREG(st.st_mode) || fd_link)) {
    /* a device, FIFO or socket: written in place, every write checked */
    o->path = strdup(path);
    int fd = o->path ? open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | (S_ISREG(st.st_mode) ? O_TRUNC : 0)) : -1;
    if (fd < 0) return out_fail(o, cmd, path, "cannot open the output", o->path ? errno : ENOMEM);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
      int e = errno;
      close(fd);
      return out_fail(o, cmd, path, "cannot open the output", e);
    }
    return 0;
  }
  char *target = resolve_links(path);
  if (!target) return out_fail(o, cmd, path, "cannot resolve the output path", errno);
  o->path = target;
  size_t n = strlen(target);
  o->tmp = malloc(n + 16);
  if (!o->tmp) return out_fail(o, cmd, path, "cannot create the output file", ENOMEM);
  snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", target);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    int e = errno;
    free(o->tmp);
    o->tmp = NULL;
    return out_fail(o, cmd, path, "cannot create the output file", e);
  }
  /* mkstemp creates 0600: keep the mode of the file being replaced, or give
   * a new one the mode a plain fopen would */
  mode_t mode;
  if (exists) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  (void)fchmod(fd, mode);
  o->fp = fdopen(fd, "w");
  if (!o->fp) {
    int e = errno;
    close(fd);
    return out_fail(o, cmd, path, "cannot create the output file", e);
  }
  return 0;
}

int cli_out_commit(cli_out *o, const char *cmd) {
  if (!o->path) {
    if (fflush(stdout) != 0 || ferror(stdout)) {
      fprintf(stderr, "attrib %s: cannot write to standard output: %s\n", cmd, strerror(errno));
      return CLI_EXIT_DATA;
    }
    return 0;
  }
  errno = 0;
  int bad = ferror(o->fp) || fflush(o->fp) != 0;
  int e = errno;
  if (fclose(o->fp) != 0 && !bad) bad = 1, e = errno;
  o->fp = NULL;
  if (!bad && o->tmp && rename(o->tmp, o->path) != 0) bad = 1, e = errno;
  if (bad) {
    fprintf(stderr, "attrib %s: %s: cannot write the output file: %s\n", cmd, o->path,
            e ? strerror(e) : "write error");
    cli_out_abort(o);
    return CLI_EXIT_DATA;
  }
  free(o->tmp);
  free(o->path);
  o->tmp = o->path = NULL;
  return 0;
}

int cli_out_end(cli_out *o, const char *cmd, attrib_status s, const attrib_error *err) {
  if (s) {
    cli_out_abort(o);
    return cli_fail(cmd, s, err, NULL);
  }
  return cli_out_commit(o, cmd);
}

void cli_out_abort(cli_out *o) {
  if (o->fp && o->fp != stdout) fclose(o->fp);
  if (o->tmp) unlink(o->tmp);
  free(o->tmp);
  free(o->path);
  memset(o, 0, sizeof *o);
}

/* The formula under a caret: control bytes shown as \xNN (never raw on the
 * terminal), the caret's column counted in characters (UTF-8), not bytes. */
static void show_caret(const char *formula, size_t offset) {
  size_t col = 0;
  fputs("  ", stderr);
  for (size_t i = 0; formula[i]; i++) {
    unsigned char c = (unsigned char)formula[i];
    size_t w = c < 0x20 || c == 0x7f ? 4 : (c & 0xC0) == 0x80 ? 0 : 1;
    if (w == 4) fprintf(stderr, "\\x%02x", c);
    else fputc(c, stderr);
    if (i < offset) col += w;
  }
  fprintf(stderr, "\n  %*s^\n", (int)col, "");
}

/* Library text names an option by its options-struct field, "struct.field"
 * (include/attrib/status.h), never by a flag; a value may follow ("psm.method
 * ipw"). This is the one table of the fields that appear in library text
 * (messages, warnings, failure reasons), with the flag that sets each: the
 * CLI rewrites these tokens, and only these, in everything it prints.
 * A token may carry its value where the flag reads differently
 * ("did.control_notyet=1" is --control notyet). A column or level spelled
 * like a token (a column named "psm.method") would print as the flag too:
 * improbable, and accepted. Text is rewritten in place (results' strings,
 * message arrays): a text that would outgrow its room keeps the library's
 * spelling. For err->option, fields not listed map to "--" and the field
 * with '-' for '_'. */
static const struct {
  const char *field, *flag;
} option_flags[] = {
    {"analyze.baseline", "--baseline"},
    {"analyze.mediator", "--mediator"},
    {"analyze.pilot_n", "--pilot-n"},
    {"analyze.bootstrap", "--bootstrap"},
    {"analyze.extra_outcomes", "--outcome"},
    {"analyze.per_outcome_rows", "--per-outcome-rows"},
    {"analyze.primary", "--primary"},
    {"analyze.by", "--by"},
    {"analyze.by_value_per_unit", "--value-per-unit-by"},
    {"analyze.honest_m", "--mbar/--m"},
    {"analyze.no_honest", "--honest none"},
    {"analyze.currency", "--currency"},
    {"analyze.funnel", "--funnel"},
    {"analyze.kpi_unit", "--kpi-unit"},
    {"analyze.period", "--period"},
    {"boot.replicates", "--bootstrap"},
    {"boot.type", "--boot-type"},
    {"by.bins", "--by-bins"},
    {"by.column", "--by"},
    {"by.cuts", "--by-cuts"},
    {"csv.currency", "--currency"},
    {"csv.decimal", "--decimal"},
    {"csv.encoding", "--encoding"},
    {"csv.na", "--na"},
    {"csv.percent", "--percent"},
    {"csv.thousands", "--thousands"},
    {"design.cluster", "--cluster"},
    {"did.anticipation", "--anticipation"},
    {"did.balance_e", "--balance-e"},
    {"did.base_universal", "--base-period"},
    {"did.boot_type", "--boot-type"},
    {"did.bootstrap", "--bootstrap"},
    {"did.cohort", "--cohort"},
    {"did.control_notyet", "--control"},
    {"did.control_notyet=1", "--control notyet"},
    {"did.covariates", "--covariates"},
    {"did.estimator", "--estimator"},
    {"did.event_study", "--event-study"},
    {"did.max_e", "--max-e"},
    {"did.min_e", "--min-e"},
    {"did.post", "--post"},
    {"did.time", "--time"},
    {"did.treat", "--treat"},
    {"did.unbalanced_panel", "--unbalanced"},
    {"did.unbalanced_panel=1", "--unbalanced keep"},
    {"did.unit", "--unit"},
    {"did.window_diff", "--window-diff"},
    {"honest.restriction", "--honest"},
    {"logit.max_iter", "--max-iter"},
    {"logit.treat", "--treat"},
    {"mediate.ci_method", "--ci-method"},
    {"mediate.covariates", "--covariates"},
    {"mediate.level", "--level"},
    {"mediate.mediator", "--mediator"},
    {"mediate.outcome", "--outcome"},
    {"mediate.sims", "--sims"},
    {"mediate.treat", "--treat"},
    {"ols.drop_singletons=0", "--keep-singletons"},
    {"ols.fe_max_iter", "--fe-max-iter"},
    {"ols.fe_tol", "--fe-tol"},
    {"ols.treat", "--treat"},
    {"ols.vcov", "--vcov"},
    {"power.alpha", "--alpha"},
    {"power.cluster_size", "--cluster-size"},
    {"power.design", "--design"},
    {"power.icc", "--icc"},
    {"power.mde", "--mde"},
    {"power.n", "--n"},
    {"power.power", "--power"},
    {"power.r2", "--r2"},
    {"power.ratio", "--ratio"},
    {"power.reps", "--reps"},
    {"power.rho", "--rho"},
    {"power.sd", "--sd"},
    {"power.sides", "--sides"},
    {"power.simulate", "--simulate"},
    {"power.treated_share", "--treated-share"},
    {"psm.caliper", "--caliper"},
    {"psm.covariates", "--covariates"},
    {"psm.discard", "--discard"},
    {"psm.exact", "--exact"},
    {"psm.method", "--method"},
    {"psm.ps_known", "--ps-known"},
    {"psm.replace", "--replace"},
    {"psm.score", "--score"},
    {"roi.by_value_per_unit", "--value-per-unit-by"},
    {"roi.effect", "--effect"},
    {"roi.outcome", "--outcome"},
    {"simulate.n_rows", "--rows"},
    {"simulate.role_step", "--effect-by-role"},
    {"the treat_level option", "--treat-level"},
};

static int ident_char(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

/* The flag of a library options field ("ols.level" -> "--level"). */
static void option_flag(const char *option, char *buf, size_t cap) {
  for (size_t k = 0; k < sizeof option_flags / sizeof option_flags[0]; k++)
    if (!strcmp(option, option_flags[k].field)) {
      snprintf(buf, cap, "%s", option_flags[k].flag);
      return;
    }
  const char *dot = strrchr(option, '.');
  const char *f = dot ? dot + 1 : option;
  size_t n = 0;
  if (cap < 3) return;
  buf[n++] = '-', buf[n++] = '-';
  for (; *f && n + 1 < cap; f++) buf[n++] = *f == '_' ? '-' : *f;
  buf[n] = '\0';
}

/* s with the table's tokens as flags, into out (NULL: only counted); its length */
static size_t flag_rewrite(const char *s, char *out) {
  size_t n = 0;
  int prev = 0; /* the character before r */
  for (const char *r = s; *r;) {
    size_t best = 0;
    const char *flag = NULL;
    if (!ident_char(prev) && prev != '.')
      for (size_t k = 0; k < sizeof option_flags / sizeof option_flags[0]; k++) {
        size_t len = strlen(option_flags[k].field);
        /* a whole token: not part of a longer name ("csv.na.csv", a file, is not csv.na) */
        if (len > best && !strncmp(r, option_flags[k].field, len) && !ident_char((unsigned char)r[len]) &&
            !(r[len] == '.' && ident_char((unsigned char)r[len + 1])))
          best = len, flag = option_flags[k].flag;
      }
    if (flag) {
      size_t m = strlen(flag);
      if (out) memcpy(out + n, flag, m);
      n += m, prev = (unsigned char)r[best - 1], r += best;
    } else {
      if (out) out[n] = *r;
      n++, prev = (unsigned char)*r++;
    }
  }
  if (out) out[n] = '\0';
  return n;
}

char *cli_flag_text(char *s, size_t cap) {
  if (!s) return s;
  size_t n = strlen(s), m = flag_rewrite(s, NULL);
  if (!cap) cap = n + 1;
  if (m >= cap) return s; /* it would not fit: the library's own spelling stays */
  char *t = malloc(m + 1);
  if (!t) return s;
  flag_rewrite(s, t);
  memcpy(s, t, m + 1);
  free(t);
  return s;
}

void cli_flag_texts(char *const *texts, size_t n) {
  for (size_t i = 0; texts && i < n; i++) cli_flag_text(texts[i], 0);
}

const char *cli_error_text(const attrib_error *err, char *buf, size_t cap) {
  if (!err) return "";
  char msg[ATTRIB_ERROR_MESSAGE_MAX + 64]; /* a flag may be longer than its field ("--boot-type") */
  snprintf(msg, sizeof msg, "%s", err->message);
  cli_flag_text(msg, sizeof msg);
  char flag[64];
  size_t fl = 0;
  if (err->option) option_flag(err->option, flag, sizeof flag), fl = strlen(flag);
  /* no "--method: --method ipw ...": a message that starts with its flag has it already */
  if (!err->option || (!strncmp(msg, flag, fl) && !ident_char((unsigned char)msg[fl]) && msg[fl] != '-'))
    snprintf(buf, cap, "%s", msg);
  else
    snprintf(buf, cap, "%s: %s", flag, msg);
  return buf;
}

int cli_fail(const char *cmd, attrib_status s, const attrib_error *err, const char *formula) {
  char text[ATTRIB_ERROR_MESSAGE_MAX + 80];
  const char *msg = err && err->message[0] ? cli_error_text(err, text, sizeof text) : attrib_strerror(s);
  fprintf(stderr, "attrib %s: %s\n", cmd, msg);
  if (formula && err && err->offset != (size_t)-1 && err->offset <= strlen(formula)) show_caret(formula, err->offset);
  /* a malformed formula is the user's command line, whichever command
   * parsed it (sensitivity ovb exited 1 where ols exited 2: issue 15) */
  return s == ATTRIB_EINVAL || s == ATTRIB_EUSAGE || s == ATTRIB_EFORMULA ? CLI_EXIT_USAGE : CLI_EXIT_DATA;
}

int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "attrib %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n%sTry 'attrib %s --help' for more information.\n", usage ? usage : "", cmd);
  return CLI_EXIT_USAGE;
}

/* The documented maxima of the count flags (docs/cli.md, "Limits"): a
 * larger value is a typo or a run that cannot finish, and the bound keeps
 * every product of counts that sizes an array (rows x periods, treated x
 * ratio, replicates x terms) far from overflowing. */
static const struct {
  const char *flag;
  unsigned long long max;
} count_max[] = {
    /* --bootstrap: ATTRIB_BOOT_MAX_REPLICATES, checked in cli_boot_option */
    {"--threads", 1024},           {"--rows", 1000000000},        {"--periods", 100000},
    {"--teams", 1000000000},       {"--ratio", 1000},
    {"--max-levels", 100000000},   {"--leads", 100000},
    {"--lags", 100000},            {"--anticipation", 100000},
    {"--max-iter", 1000000},       {"--fe-max-iter", 100000000},
};

static int parse_count(const char *cmd, const char *usage, const char *flag, const char *arg, unsigned long long *out) {
  char *end;
  errno = 0;
  /* digits only: strtoull would also take leading blanks, a sign and "-5" as a huge number */
  if (!arg || (unsigned)(*arg - '0') >= 10) goto bad;
  unsigned long long v = strtoull(arg, &end, 10);
  if (errno == ERANGE) {
    cli_usage_error(cmd, usage, "%s: '%s' is too large", flag, arg);
    return -1;
  }
  if (errno || *end) goto bad;
  for (size_t i = 0; i < sizeof count_max / sizeof *count_max; i++)
    if (!strcmp(flag, count_max[i].flag) && v > count_max[i].max) {
      cli_usage_error(cmd, usage, "%s takes at most %llu, got '%s'", flag, count_max[i].max, arg);
      return -1;
    }
  *out = v;
  return 0;
bad:
  cli_usage_error(cmd, usage, "%s expects a non-negative whole number, got '%s'", flag, arg ? arg : "");
  return -1;
}

int cli_parse_size(const char *cmd, const char *usage, const char *flag, const char *arg, size_t *out) {
  unsigned long long v;
  if (parse_count(cmd, usage, flag, arg, &v)) return -1;
  if (v > SIZE_MAX) {
    cli_usage_error(cmd, usage, "%s: '%s' is too large", flag, arg);
    return -1;
  }
  *out = (size_t)v;
  return 0;
}

int cli_parse_ulong(const char *cmd, const char *usage, const char *flag, const char *arg, unsigned long *out) {
  unsigned long long v;
  if (parse_count(cmd, usage, flag, arg, &v)) return -1;
  if (v > ULONG_MAX) {
    cli_usage_error(cmd, usage, "%s: '%s' is too large", flag, arg);
    return -1;
  }
  *out = (unsigned long)v;
  return 0;
}

int cli_parse_double(const char *cmd, const char *usage, const char *flag, const char *arg, double *out) {
  char *end;
  errno = 0;
  if (!arg || !*arg) goto bad;
  double v = strtod(arg, &end);
  if (errno || *end || !isfinite(v)) goto bad;
  *out = v;
  return 0;
bad:
  cli_usage_error(cmd, usage, "%s expects a number, got '%s'", flag, arg ? arg : "");
  return -1;
}

char *cli_covariates_rhs(const char *list) {
  size_t n = strlen(list), depth = 0, o = 0;
  char *s = malloc(3 * n + 1);
  if (!s) return NULL;
  for (size_t i = 0; i < n; i++) {
    char c = list[i];
    if (c == '(') depth++;
    if (c == ')' && depth) depth--;
    if (c == ',' && !depth) {
      memcpy(s + o, " + ", 3);
      o += 3;
    } else {
      s[o++] = c;
    }
  }
  s[o] = 0;
  return s;
}

int cli_covariates(const char *cmd, const char *list, const attrib_table *t, attrib_formula **out) {
  attrib_error err;
  attrib_error_clear(&err);
  *out = NULL;
  attrib_formula *f = NULL;
  if (attrib_formula_new(NULL, &f, &err)) return cli_fail(cmd, ATTRIB_ENOMEM, &err, NULL);
  size_t n = strlen(list), depth = 0, b = 0;
  int quoted = 0, rc = 0;
  char *item = malloc(n + 1);
  if (!item) rc = cli_fail(cmd, ATTRIB_ENOMEM, NULL, NULL);
  for (size_t i = 0; !rc && i <= n; i++) {
    char ch = list[i];
    if (ch == '`' && !(i > b && list[i - 1] == '\\')) quoted = !quoted;
    if (!quoted && ch == '(') depth++;
    if (!quoted && ch == ')' && depth) depth--;
    if (ch && (ch != ',' || depth || quoted)) continue;
    size_t a = b, e = i;
    while (a < e && (list[a] == ' ' || list[a] == '\t')) a++;
    while (e > a && (list[e - 1] == ' ' || list[e - 1] == '\t')) e--;
    memcpy(item, list + a, e - a);
    item[e - a] = 0;
    b = i + 1;
    attrib_status s;
    if (!*item) {
      fprintf(stderr, "attrib %s: --covariates: an empty item in '%s'\n", cmd, list);
      rc = CLI_EXIT_USAGE;
    } else if (t && attrib_table_column_find(t, item) >= 0) { /* a column, by its name as written */
      if ((s = attrib_formula_add_column(f, item, 0, &err))) rc = cli_fail(cmd, s, &err, NULL);
    } else {
      attrib_formula *terms = NULL;
      s = attrib_formula_parse_rhs(item, &terms, &err);
      attrib_error near;
      attrib_error_clear(&near);
      size_t j;
      if (s == ATTRIB_EFORMULA && t && attrib_table_column_require(t, item, "covariate", &j, &near) &&
          strstr(near.message, "did you mean")) { /* a column's name mistyped, most likely */
        fprintf(stderr, "attrib %s: --covariates: %s\n", cmd, cli_flag_text(near.message, sizeof near.message));
        rc = CLI_EXIT_USAGE;
      } else if (s == ATTRIB_EFORMULA) {
        fprintf(stderr, "attrib %s: --covariates: %s\n", cmd, cli_flag_text(err.message, sizeof err.message));
        if (err.offset != (size_t)-1 && err.offset <= strlen(item)) show_caret(item, err.offset);
        rc = CLI_EXIT_USAGE;
      } else if (s || (s = attrib_formula_add_formula(f, terms, &err))) {
        rc = cli_fail(cmd, s, &err, NULL);
      }
      attrib_formula_free(terms);
    }
  }
  free(item);
  if (rc) {
    attrib_formula_free(f);
    return rc;
  }
  *out = f;
  return 0;
}

void cli_outcomes_option(const char *arg, char ***list, const char **outcome, const char *const **extra) {
  cli_list_free(*list);
  *list = cli_split_list(arg);
  *outcome = *list && (*list)[0] ? (*list)[0] : NULL;
  *extra = *outcome && (*list)[1] ? (const char *const *)*list + 1 : NULL;
}

char **cli_split_list(const char *s) {
  size_t n = 1;
  for (const char *p = s; *p; p++) n += *p == ',';
  char **l = calloc(n + 1, sizeof *l);
  if (!l) return NULL;
  size_t k = 0;
  const char *b = s;
  for (const char *p = s;; p++) {
    if (*p == ',' || *p == '\0') {
      const char *e = p;
      while (b < e && (*b == ' ' || *b == '\t')) b++;
      while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
      if (e > b) {
        l[k] = strndup(b, (size_t)(e - b));
        if (!l[k]) {
          cli_list_free(l);
          return NULL;
        }
        k++;
      }
      if (*p == '\0') break;
      b = p + 1;
    }
  }
  return l;
}

void cli_list_free(char **l) {
  for (size_t i = 0; l && l[i]; i++) free(l[i]);
  free(l);
}

int cli_csv_delim(const char *cmd, const char *usage, const char *arg, char *out) {
  if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0) *out = '\t';
  else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r') *out = arg[0];
  else return cli_usage_error(cmd, usage, "--delim expects one character or 'tab', got '%s'", arg);
  return 0;
}

void cli_csv_free(cli_csv *c) {
  cli_list_free(c->categorical);
  cli_list_free(c->numeric);
  cli_list_free(c->na);
  memset(c, 0, sizeof *c);
}

/* The loading progress line: the phase, and how far it has got. */
typedef struct load_line {
  cli_progress p;
  const char *path;
} load_line;

static void load_progress_cb(void *ctx, const char *phase, size_t done, size_t total) {
  load_line *l = ctx;
  if (total) cli_progress_show(&l->p, "loading %s: %s %3.0f%%", l->path, phase,
                               100.0 * (double)(done < total ? done : total) / (double)total);
  else cli_progress_show(&l->p, "loading %s: %s %.0f MB", l->path, phase, (double)done / 1e6);
}

/* The panel's time and cohort columns when they hold dates (text): both in
 * the same periods, so that a cohort's date falls in a period of time. */
static int dates_to_periods(const char *cmd, const cli_csv *c, attrib_table *t) {
  static const char *const by_name[] = {"day", "week", "month", "quarter"};
  attrib_period by = c->period ? (attrib_period)(c->period - 1) : ATTRIB_PERIOD_DAY;
  long ti = c->time ? attrib_table_column_find(t, c->time) : -1;
  if (ti < 0 || t->cols[ti].type != ATTRIB_COLUMN_CATEGORICAL) {
    if (c->period_is_unit) return 0;
    if (c->period && ti >= 0) {
      fprintf(stderr, "attrib %s: --period: '%s' holds numbers, which are periods already; --period is for dates\n", cmd,
              c->time);
      return CLI_EXIT_USAGE;
    }
    if (c->period && !c->time) {
      fprintf(stderr, "attrib %s: --period buckets the dates of --time, which %s does not have here\n", cmd, cmd);
      return CLI_EXIT_USAGE;
    }
    return 0; /* a missing --time is reported by the analysis; numbers are periods */
  }
  const char *cols[2] = {c->time, c->cohort};
  for (int k = 0; k < 2; k++) {
    if (!cols[k]) continue;
    long j = attrib_table_column_find(t, cols[k]);
    /* numbers with a few stray cells are not dates: the analysis names the cells */
    if (j < 0 || t->cols[j].type != ATTRIB_COLUMN_CATEGORICAL || attrib_column_near_numeric(&t->cols[j])) continue;
    attrib_dates_info info;
    attrib_error err;
    attrib_error_clear(&err);
    attrib_status s = attrib_table_dates_to_periods(t, cols[k], by, &info, &err);
    if (s) {
      fprintf(stderr, "attrib %s: %s\n", cmd, cli_flag_text(err.message, sizeof err.message));
      return CLI_EXIT_DATA;
    }
    if (!c->quiet)
      fprintf(stderr, "attrib %s: note: '%s' read as dates (%s) and counted in %ss: periods %ld to %ld\n", cmd, cols[k],
              info.format, by_name[by], info.first, info.last);
  }
  return 0;
}

/* What every source gets after loading: dates as periods, a text
 * treatment recoded 0/1. Frees *out on failure. */
static int cli_load_finish(const char *cmd, const cli_csv *c, attrib_table **out) {
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s;
  if (c && (c->time || c->period)) { /* a panel dated by calendar dates: periods, and said so */
    int rc = dates_to_periods(cmd, c, *out);
    if (rc) {
      attrib_table_free(*out);
      *out = NULL;
      return rc;
    }
  }
  if (c && c->treat_level) { /* a treatment exported as text: recoded 0/1, and said so */
    if (!c->treat) {
      attrib_table_free(*out);
      *out = NULL;
      return cli_usage_error(cmd, NULL, "--treat-level names the treated value of --treat, which %s does not take here",
                             cmd);
    }
    attrib_binarize_info info;
    s = attrib_table_binarize(*out, c->treat, c->treat_level, &info, &err);
    if (s != ATTRIB_OK) {
      attrib_table_free(*out);
      *out = NULL;
      fprintf(stderr, "attrib %s: %s%s\n", cmd, s == ATTRIB_EINVAL ? "--treat-level: " : "", cli_flag_text(err.message, sizeof err.message));
      return s == ATTRIB_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_DATA;
    }
    if (!c->quiet)
      fprintf(stderr, "attrib %s: note: treatment '%s': '%s' is 1 (%zu rows), %s %s 0 (%zu rows)%s\n", cmd, c->treat,
              c->treat_level, info.n_one, info.others, info.n_other_values > 1 ? "are" : "is", info.n_zero,
              info.n_missing ? ", the rest missing" : "");
  }
  return 0;
}

/* Overwrites the password of a postgresql://user:password@host URI in place
 * with '*': the report's "source" (and ps) then show no password. */
void cli_mask_password(char *uri) {
  char *p = strstr(uri, "://");
  if (!p) return;
  p += 3;
  size_t n = strcspn(p, "/?");
  char *at = memchr(p, '@', n), *colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
  for (char *q = colon ? colon + 1 : at; colon && q < at; q++) *q = '*';
  for (char *q = strstr(uri, "password="); q; q = strstr(q, "password="))
    for (q += 9; *q && *q != '&'; q++) *q = '*';
}

/* A table from PostgreSQL: the CSV reader's options that say what a column
 * is (--categorical, identifiers read as text, --numeric) become casts. */
static int load_pg(const char *cmd, const char *path, const cli_csv *c, attrib_table **out) {
  attrib_pg_options o;
  attrib_pg_options_init(&o);
  const char *text[64];
  size_t nt = 0;
  for (size_t k = 0; c && c->categorical && c->categorical[k] && nt < 55; k++) text[nt++] = c->categorical[k];
  for (size_t k = 0; c && k < 8 && c->ids[k]; k++) text[nt++] = c->ids[k];
  text[nt] = NULL;
  o.text_columns = text;
  o.numeric_columns = c ? (const char *const *)c->numeric : NULL;
  o.sql = c ? c->sql : NULL;
  o.columns = c ? c->columns : NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_table_read_pg(path, &o, out, &err);
  char *writable; /* path is argv's own memory, which main may change */
  memcpy(&writable, &path, sizeof writable);
  cli_mask_password(writable);
  if (s != ATTRIB_OK) {
    fprintf(stderr, "attrib %s: %s\n", cmd, err.message[0] ? err.message : attrib_strerror(s));
    return s == ATTRIB_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_DATA;
  }
  return 0;
}

void cli_csv_options(const cli_csv *c, attrib_csv_options *o) {
  attrib_csv_options_init(o);
  o->delim = c ? c->delim : 0;
  o->categorical = c ? (const char *const *)c->categorical : NULL;
  o->numeric = c ? (const char *const *)c->numeric : NULL;
  if (c) {
    o->na = (const char *const *)c->na;
    o->decimal = c->decimal;
    o->thousands = c->thousands;
    o->currency = c->currency;
    o->percent = c->percent;
    o->encoding = c->encoding;
    o->strict_header = c->strict;
    o->identifiers = c->ids[0] ? c->ids : NULL;
  }
}

int cli_parse_bytes(const char *cmd, const char *usage, const char *flag, const char *arg, size_t *out) {
  char *end = NULL;
  errno = 0;
  double v = strtod(arg, &end);
  double mult = 1.0;
  if (end && *end) {
    switch (*end == 'k' ? 'K' : *end == 'm' ? 'M' : *end == 'g' ? 'G' : *end == 't' ? 'T' : *end) {
    case 'K': mult = 1024.0; break;
    case 'M': mult = 1024.0 * 1024.0; break;
    case 'G': mult = 1024.0 * 1024.0 * 1024.0; break;
    case 'T': mult = 1024.0 * 1024.0 * 1024.0 * 1024.0; break;
    default: mult = 0.0;
    }
    if (mult > 0.0) end++;
    if (mult > 0.0 && (*end == 'B' || *end == 'b')) end++;
    if (mult > 0.0 && *end == 'i' && (end[1] == 'B' || end[1] == 'b')) end += 2;
  }
  if (end == arg || !end || *end || mult == 0.0 || errno || !(v > 0.0) || v * mult > 1.8e19)
    return cli_usage_error(cmd, usage, "%s expects a size such as 500M, 2G or 1073741824 (bytes), got '%s'", flag, arg);
  *out = (size_t)(v * mult);
  return 0;
}

int cli_stream_refused(const char *cmd, int argc, char **argv, const cli_csv *c, const char *what) {
  const char *path = optind < argc ? argv[optind] : NULL;
  size_t rows = 0, bytes = 0;
  attrib_csv_options o;
  cli_csv_options(c, &o);
  attrib_error err;
  attrib_error_clear(&err);
  if (path && attrib_csv_estimate(path, &o, &rows, &bytes, &err) == ATTRIB_OK && rows)
    fprintf(stderr, "attrib %s: --stream: %s; %s holds about %zu rows, about %.1f MB as a table in memory\n", cmd, what,
            path, rows, (double)bytes / 1e6);
  else fprintf(stderr, "attrib %s: --stream: %s\n", cmd, what);
  return CLI_EXIT_USAGE;
}

int cli_load_table(const char *cmd, const char *path, const cli_csv *c, attrib_table **out) {
  if (c && c->sql && !attrib_pg_is_uri(path)) {
    fprintf(stderr, "attrib %s: --sql reads from a PostgreSQL source: DATA must be a postgresql:// URI\n", cmd);
    return CLI_EXIT_USAGE;
  }
  if (attrib_pg_is_uri(path)) {
    int rc = load_pg(cmd, path, c, out);
    if (rc) return rc;
    return cli_load_finish(cmd, c, out);
  }
  if (!path || !*path) { /* "attrib describe ''": not a file that cannot be opened, but none */
    fprintf(stderr, "attrib %s: DATA is an empty file name (expected a CSV file, or - for standard input)\n", cmd);
    return CLI_EXIT_USAGE;
  }
  attrib_csv_options o;
  cli_csv_options(c, &o);
  load_line line = {.path = path};
  cli_progress_start(&line.p, cmd, c && c->quiet);
  if (line.p.on) {
    o.progress = load_progress_cb;
    o.progress_ctx = &line;
  }
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_table_read_csv(path, &o, out, &err);
  cli_progress_end(&line.p);
  if (s != ATTRIB_OK) {
    /* a bad forced-type name is the user's flag, but the data decides it */
    /* an option of the reader (err.option "csv.decimal"): its flag has the field's name */
    if (s == ATTRIB_EUSAGE && err.option && !strncmp(err.option, "csv.", 4))
      fprintf(stderr, "attrib %s: --%s: %s\n", cmd, err.option + 4, cli_flag_text(err.message, sizeof err.message));
    else fprintf(stderr, "attrib %s: %s\n", cmd, err.message[0] ? cli_flag_text(err.message, sizeof err.message) : attrib_strerror(s));
    return s == ATTRIB_EUSAGE ? CLI_EXIT_USAGE : CLI_EXIT_DATA;
  }
  const attrib_table *t = *out;
  if (t->n_dropped && !(c && c->quiet)) { /* never silent: say which columns were left out, and why */
    fprintf(stderr, "attrib %s: note: %s: column%s", cmd, t->source, t->n_dropped == 1 ? "" : "s");
    for (size_t k = 0; k < t->n_dropped && k < 10; k++) fprintf(stderr, "%s %zu", k ? "," : "", t->dropped[k]);
    if (t->n_dropped > 10) fprintf(stderr, " and %zu more", t->n_dropped - 10);
    fprintf(stderr, " of the header %s no name (Excel's trailing empty columns, or R's row names) and %s left out "
                    "(--strict makes this an error)\n",
            t->n_dropped == 1 ? "has" : "have", t->n_dropped == 1 ? "is" : "are");
  }
  return cli_load_finish(cmd, c, out);
}

int cli_common_option(const char *cmd, const char *usage, int opt, char **argv, cli_common *c,
                      cli_csv *csv, int *rc) {
  switch (opt) {
  case CLI_OPT_FORMAT:
    if (attrib_report_format_parse(optarg, &c->format, NULL) != ATTRIB_OK)
      *rc = cli_usage_error(cmd, usage, "--format expects text, json or csv, got '%s'", optarg);
    return 1;
  case 'o': c->output = optarg; return 1;
  case 'q':
    c->quiet = 1;
    if (csv) csv->quiet = 1;
    return 1;
  case 'v': c->verbose = 1; return 1;
  case 'h': return 2;
  case ':': *rc = cli_usage_error(cmd, usage, "option '%s' needs a value", argv[optind - 1]); return 1;
  case '?': *rc = cli_usage_error(cmd, usage, "unknown option '%s'", argv[optind - 1]); return 1;
  default: break;
  }
  if (!csv) return 0;
  switch (opt) {
  case CLI_OPT_DELIM:
    if (cli_csv_delim(cmd, usage, optarg, &csv->delim)) *rc = CLI_EXIT_USAGE;
    return 1;
  case CLI_OPT_CATEGORICAL:
    cli_list_free(csv->categorical);
    csv->categorical = cli_split_list(optarg);
    return 1;
  case CLI_OPT_NUMERIC:
    cli_list_free(csv->numeric);
    csv->numeric = cli_split_list(optarg);
    return 1;
  case CLI_OPT_NA: /* words as written, commas between them; "" in the list is allowed and means nothing new */
    cli_list_free(csv->na);
    csv->na = cli_split_list(optarg);
    return 1;
  case CLI_OPT_DECIMAL:
    if (!strcmp(optarg, ",") || !strcmp(optarg, "comma")) csv->decimal = ',';
    else if (!strcmp(optarg, ".") || !strcmp(optarg, "point")) csv->decimal = '.';
    else *rc = cli_usage_error(cmd, usage, "--decimal: expected ',' or '.', got '%s'", optarg);
    return 1;
  case CLI_OPT_THOUSANDS:
    if (!strcmp(optarg, ",") || !strcmp(optarg, "comma")) csv->thousands = ',';
    else if (!strcmp(optarg, ".") || !strcmp(optarg, "point")) csv->thousands = '.';
    else if (!strcmp(optarg, " ") || !strcmp(optarg, "space")) csv->thousands = ' ';
    else if (!strcmp(optarg, "'") || !strcmp(optarg, "apostrophe")) csv->thousands = '\'';
    else if (!strcmp(optarg, "none")) csv->thousands = 0;
    else *rc = cli_usage_error(cmd, usage, "--thousands: expected ',', '.', ' ' (or space), ''' or none, got '%s'", optarg);
    return 1;
  case CLI_OPT_CURRENCY:
    csv->currency = 1;
    return 1;
  case CLI_OPT_PERCENT:
    csv->percent = 1;
    return 1;
  case CLI_OPT_ENCODING:
    csv->encoding = optarg;
    return 1;
  case CLI_OPT_STRICT:
    csv->strict = 1;
    return 1;
  case CLI_OPT_TREAT_LEVEL:
    csv->treat_level = optarg;
    return 1;
  case CLI_OPT_SQL:
    csv->sql = optarg;
    return 1;
  case CLI_OPT_PERIOD:
    if (!strcmp(optarg, "day")) csv->period = 1 + ATTRIB_PERIOD_DAY;
    else if (!strcmp(optarg, "week")) csv->period = 1 + ATTRIB_PERIOD_WEEK;
    else if (!strcmp(optarg, "month")) csv->period = 1 + ATTRIB_PERIOD_MONTH;
    else if (!strcmp(optarg, "quarter")) csv->period = 1 + ATTRIB_PERIOD_QUARTER;
    else *rc = cli_usage_error(cmd, usage, "--period: expected day, week, month or quarter, got '%s'", optarg);
    return 1;
  default: return 0;
  }
}

int cli_flags_parse(const char *cmd, const char *short_usage, const char *usage, int argc, char **argv,
                    const cli_flag *flags, cli_common *c, cli_csv *csv, cli_flag_call call, void *ctx) {
  static const struct option common[] = {CLI_COMMON_LONGOPTS}, csv_opts[] = {CLI_CSV_LONGOPTS};
  size_t nc = sizeof common / sizeof *common, nx = csv ? sizeof csv_opts / sizeof *csv_opts : 0, nf = 0;
  while (flags[nf].name) nf++;
  struct option *lo = calloc(nc + nx + nf + 1, sizeof *lo);
  if (!lo) {
    fprintf(stderr, "attrib %s: out of memory\n", cmd);
    return CLI_EXIT_DATA;
  }
  memcpy(lo, common, sizeof common);
  if (nx) memcpy(lo + nc, csv_opts, sizeof csv_opts);
  for (size_t i = 0; i < nf; i++)
    lo[nc + nx + i] = (struct option){flags[i].name + 2, flags[i].kind == CLI_FLAG_ON ? no_argument : required_argument,
                                      0, CLI_OPT_COMMAND + (int)i};
  int rc = 0, opt;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, lo, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, c, csv, &rc);
    if (h == 2) {
      fputs(usage, stdout);
      rc = -1;
    }
    if (h || opt < CLI_OPT_COMMAND || opt >= CLI_OPT_COMMAND + (int)nf) continue;
    const cli_flag *f = &flags[opt - CLI_OPT_COMMAND];
    switch (f->kind) {
    case CLI_FLAG_STRING: *(const char **)f->target = optarg; break;
    case CLI_FLAG_DOUBLE: rc = cli_parse_double(cmd, short_usage, f->name, optarg, f->target) ? CLI_EXIT_USAGE : 0; break;
    case CLI_FLAG_SIZE: rc = cli_parse_size(cmd, short_usage, f->name, optarg, f->target) ? CLI_EXIT_USAGE : 0; break;
    case CLI_FLAG_ON: *(int *)f->target = 1; break;
    case CLI_FLAG_CALL: rc = call(ctx, (size_t)(opt - CLI_OPT_COMMAND), optarg); break;
    }
  }
  free(lo);
  return rc;
}

int cli_parse_numbers(const char *s, double **out, size_t *n) {
  double a, b, st;
  char tail;
  if (sscanf(s, "%lf:%lf:%lf%c", &a, &b, &st, &tail) == 3) {
    if (!(st > 0) || !(b >= a) || (b - a) / st > 1e6) return -1;
    size_t m = (size_t)floor((b - a) / st + 1e-9) + 1;
    double *v = malloc(m * sizeof *v);
    if (!v) return -1;
    for (size_t i = 0; i < m; i++) v[i] = a + (double)i * st;
    *out = v, *n = m;
    return 0;
  }
  char **items = cli_split_list(s);
  size_t m = 0;
  while (items && items[m]) m++;
  double *v = m ? malloc(m * sizeof *v) : NULL;
  for (size_t i = 0; v && i < m; i++) {
    char *end;
    v[i] = strtod(items[i], &end);
    if (*end || end == items[i]) {
      free(v), cli_list_free(items);
      return -1;
    }
  }
  cli_list_free(items);
  if (!v) return -1;
  *out = v, *n = m;
  return 0;
}

void cli_design_options(attrib_design_options *o, const char *weights, const char *const *cluster) {
  attrib_design_options_init(o);
  o->weights = weights;
  o->cluster = cluster;
  o->check_collinearity = 0; /* the estimators detect aliased terms themselves */
}

int cli_build_design(const char *cmd, const attrib_table *t, const char *formula, const char *weights,
                     char **cluster, const char *const *keep, attrib_design_levels_advice advice, attrib_formula **f,
                     attrib_design **d) {
  attrib_error err;
  attrib_error_clear(&err);
  *f = NULL;
  *d = NULL;
  attrib_status s = attrib_formula_parse(formula, f, &err);
  if (s != ATTRIB_OK) { /* a malformed formula is a usage error */
    cli_fail(cmd, s, &err, formula);
    return CLI_EXIT_USAGE;
  }
  attrib_design_options o;
  cli_design_options(&o, weights, (const char *const *)cluster);
  o.keep = keep;
  o.levels_advice = advice;
  s = attrib_design_build(t, *f, &o, d, &err);
  if (s != ATTRIB_OK) {
    attrib_formula_free(*f);
    *f = NULL;
    return cli_fail(cmd, s, &err, formula);
  }
  return 0;
}

int cli_resolve_vcov(const char *cmd, const char *usage, char **cluster, int vcov_given, attrib_vcov_type *vcov) {
  if (cluster && !cluster[0]) return cli_usage_error(cmd, usage, "--cluster expects one or two column names");
  if (cluster && !vcov_given) *vcov = ATTRIB_VCOV_CLUSTER;
  if (cluster && *vcov != ATTRIB_VCOV_CLUSTER)
    return cli_usage_error(cmd, usage, "--cluster goes with --vcov cluster, not --vcov %s", attrib_vcov_type_name(*vcov));
  if (!cluster && *vcov == ATTRIB_VCOV_CLUSTER) return cli_usage_error(cmd, usage, "--vcov cluster needs --cluster COL");
  return 0;
}

double cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double cli_progress_delay(void) {
  /* ATTRIB_PROGRESS_DELAY (seconds) exists for the tests, which cannot
   * wait for a load that takes a second */
  const char *e = getenv("ATTRIB_PROGRESS_DELAY");
  char *end;
  double v = e ? strtod(e, &end) : 1.0;
  return e && end != e && v >= 0.0 ? v : 1.0;
}

void cli_progress_start(cli_progress *p, const char *cmd, int quiet) {
  p->cmd = cmd;
  p->t0 = cli_now();
  p->delay = cli_progress_delay();
  p->on = !quiet && isatty(STDERR_FILENO);
  atomic_init(&p->shown, 0);
}

void cli_progress_show(cli_progress *p, const char *fmt, ...) {
  if (!p->on || cli_now() - p->t0 < p->delay) return;
  va_list ap; /* straight to the terminal: no buffer to cut a long file name */
  va_start(ap, fmt);
  fprintf(stderr, "\rattrib %s: ", p->cmd);
  vfprintf(stderr, fmt, ap);
  fputs("\033[K", stderr);
  va_end(ap);
  fflush(stderr);
  atomic_store(&p->shown, 1);
}

void cli_progress_end(cli_progress *p) {
  if (atomic_exchange(&p->shown, 0)) fputs("\r\033[K", stderr); /* clear the line */
}

void cli_boot_init(cli_boot *b) {
  memset(b, 0, sizeof *b);
  attrib_boot_options_init(&b->o);
}

int cli_boot_option(const char *cmd, const char *usage, int opt, cli_boot *b, int *rc) {
  switch (opt) {
  case CLI_OPT_BOOTSTRAP:
    b->requested = 1;
    if (cli_parse_size(cmd, usage, "--bootstrap", optarg, &b->o.replicates)) *rc = CLI_EXIT_USAGE;
    else if (b->o.replicates < 99) *rc = cli_usage_error(cmd, usage, "--bootstrap needs at least 99 replicates");
    else if (b->o.replicates > ATTRIB_BOOT_MAX_REPLICATES)
      *rc = cli_usage_error(cmd, usage, "--bootstrap takes at most %zu replicates, got '%s'", ATTRIB_BOOT_MAX_REPLICATES,
                            optarg);
    return 1;
  case CLI_OPT_BOOT_SEED:
    if (cli_parse_ulong(cmd, usage, "--seed", optarg, &b->o.seed)) *rc = CLI_EXIT_USAGE;
    return 1;
  case CLI_OPT_BOOT_TYPE:
    b->type_given = 1;
    if (attrib_boot_type_parse(optarg, &b->o.type, NULL))
      *rc = cli_usage_error(cmd, usage, "--boot-type expects pairs, cluster, wild or multiplier, got '%s'", optarg);
    return 1;
  case CLI_OPT_BOOT_WEIGHTS:
    b->weights_given = 1;
    if (attrib_boot_weights_parse(optarg, &b->o.weights, NULL))
      *rc = cli_usage_error(cmd, usage, "--weights-dist expects rademacher, webb or mammen, got '%s'", optarg);
    return 1;
  case CLI_OPT_BOOT_CI:
    b->ci_given = 1;
    if (attrib_boot_ci_parse(optarg, &b->o.ci, NULL))
      *rc = cli_usage_error(cmd, usage, "--ci expects percentile, basic, normal, bca or studentized, got '%s'", optarg);
    return 1;
  case CLI_OPT_SAVE_DRAWS:
    b->save_draws = optarg;
    b->o.keep_draws = 1;
    return 1;
  default: return 0;
  }
}

int cli_honest_option(int opt, const char *arg, cli_honest *h) {
  switch (opt) {
  case CLI_OPT_HONEST: h->honest = arg; return 1;
  case CLI_OPT_HONEST_MBAR: h->vals = arg, h->flag = "--mbar"; return 1;
  case CLI_OPT_HONEST_M: h->vals = arg, h->flag = "--m"; return 1;
  default: return 0;
  }
}

int cli_honest_setup(const char *cmd, const char *usage, const cli_honest *h, int implicit_rm,
                     attrib_honest_restriction *restriction, int *none, double **m, size_t *n_m, long *event) {
  *none = 0, *m = NULL, *n_m = 0, *event = -1;
  if (!h->honest && !implicit_rm) {
    *none = 1;
    if (h->vals || h->target) return cli_usage_error(cmd, usage, "%s needs --honest rm|sd", h->vals ? h->flag : "--honest-target");
    return 0;
  }
  const char *name = h->honest ? h->honest : "rm";
  if (implicit_rm && !strcmp(name, "none")) {
    *none = 1;
    if (h->vals || h->target)
      return cli_usage_error(cmd, usage, "%s: --honest none computes no parallel-trends bounds (drop %s, or give "
                                         "--honest rm|sd)", h->vals ? h->flag : "--honest-target",
                             h->vals ? h->flag : "it");
    return 0;
  }
  if (attrib_honest_restriction_parse(name, restriction, NULL))
    return implicit_rm ? cli_usage_error(cmd, usage, "--honest expects rm, sd or none, got '%s'", name)
                       : cli_usage_error(cmd, usage, "--honest expects rm or sd, got '%s'", name);
  const int rm = *restriction == ATTRIB_HONEST_RM;
  if (h->flag && strcmp(h->flag, rm ? "--mbar" : "--m"))
    return cli_usage_error(cmd, usage, "--honest %s%s takes its values with %s, not %s", name,
                           h->honest ? "" : " (the default)", rm ? "--mbar" : "--m", h->flag);
  if (!h->vals && !rm)
    return cli_usage_error(cmd, usage, "--honest sd needs --m (the bound on the change in slope, in the outcome's "
                                       "units per period squared)");
  if (cli_parse_numbers(h->vals ? h->vals : "0,0.5,1,1.5,2", m, n_m))
    return cli_usage_error(cmd, usage, "%s expects numbers \"0,0.5,1\" or FROM:TO:STEP, got '%s'", h->flag, h->vals);
  for (size_t i = 0; i < *n_m; i++)
    if (!((*m)[i] >= 0) || !isfinite((*m)[i]))
      return cli_usage_error(cmd, usage, "%s: values must be >= 0, got %g", rm ? "--mbar" : "--m", (*m)[i]);
  if (h->target && strcmp(h->target, "average")) {
    char *end;
    *event = strtol(h->target, &end, 10);
    if (*end || end == h->target || *event < 0)
      return cli_usage_error(cmd, usage, "--honest-target expects average or an event time >= 0, got '%s'", h->target);
  }
  return 0;
}

int cli_boot_validate(const char *cmd, const char *usage, const cli_boot *b) {
  if (!b->requested && (b->type_given || b->weights_given || b->ci_given || b->save_draws))
    return cli_usage_error(cmd, usage, "--boot-type, --weights-dist, --ci and --save-draws need --bootstrap B");
  return 0;
}

int cli_boot_save(const char *cmd, const cli_boot *b, const attrib_boot_result *r) {
  if (!b->save_draws || !r) return 0;
  cli_out out;
  int rc = cli_out_open(&out, b->save_draws, cmd);
  if (rc) return rc;
  int bad = fprintf(out.fp, "replicate,estimate\n") < 0;
  for (size_t i = 0; i < r->n_draws; i++) bad |= fprintf(out.fp, "%zu,%.17g\n", i + 1, r->draws[i]) < 0;
  if (bad) {
    cli_out_abort(&out);
    fprintf(stderr, "attrib %s: cannot write the draws to '%s'\n", cmd, b->save_draws);
    return CLI_EXIT_DATA;
  }
  return cli_out_commit(&out, cmd);
}

static void progress_cb(void *ctx, size_t done, size_t total) {
  cli_progress_show(ctx, "bootstrap %zu/%zu replicates", done, total);
}

void cli_boot_progress(cli_boot *b, const char *cmd, int quiet) {
  cli_progress_start(&b->line, cmd, quiet);
  if (!b->line.on) return;
  b->o.progress = progress_cb;
  b->o.progress_ctx = &b->line;
}

void cli_boot_progress_end(cli_boot *b) { cli_progress_end(&b->line); }

/* ---- roi lines and spec files (roi, analyze) ---- */


int cli_roi_option(const char *cmd, const char *usage, int opt, attrib_roi_input *in, cli_lines *costs, cli_lines *benefits,
                   int *costed, int *rc) {
  double *target = NULL;
  const char *flag = NULL, *input = NULL; /* input: the library's name, for its domain check */
  int given = 0;
  switch (opt) {
  case CLI_OPT_ROI_COST: *rc = cli_line_parse(cmd, usage, "--cost", optarg, 1, costs), given = 1; break;
  case CLI_OPT_ROI_BENEFIT: *rc = cli_line_parse(cmd, usage, "--benefit", optarg, 0, benefits), given = 1; break;
  case CLI_OPT_ROI_LEARNERS: target = &in->learners, flag = "--learners", input = "learners"; break;
  case CLI_OPT_ROI_VALUE: target = &in->value_per_unit, flag = "--value-per-unit", input = "value_per_unit"; break;
  case CLI_OPT_ROI_HORIZON: target = &in->horizon, flag = "--horizon", input = "horizon"; break;
  case CLI_OPT_ROI_DECAY: target = &in->decay, flag = "--decay", input = "decay"; break;
  case CLI_OPT_ROI_ATTR: target = &in->attribution, flag = "--attribution", input = "attribution"; break;
  case CLI_OPT_ROI_MARGIN: target = &in->margin, flag = "--margin", input = "margin"; break;
  case CLI_OPT_ROI_CPL: target = &in->cost_per_learner, flag = "--cost-per-learner", input = "cost_per_learner", given = 1; break;
  case CLI_OPT_ROI_PPY: target = &in->periods_per_year, flag = "--periods-per-year", input = "periods_per_year"; break;
  default: return 0;
  }
  if (given && costed) *costed = 1;
  if (target) {
    attrib_error err;
    attrib_error_clear(&err);
    if (attrib_roi_amount_parse(optarg, target, &err)) *rc = cli_usage_error(cmd, usage, "%s: %s", flag, cli_flag_text(err.message, sizeof err.message));
    /* the value's domain, the flag named: "--learners must be a positive number (the learners reached), got -5" */
    else if (attrib_roi_check_value(input, flag, *target, &err)) *rc = cli_usage_error(cmd, usage, "%s", cli_flag_text(err.message, sizeof err.message));
  }
  return 1;
}

int cli_level_values_parse(const char *cmd, const char *usage, const char *arg, cli_level_values *l) {
  const char *flag = "--value-per-unit-by";
  const char *p = arg;
  int any = 0;
  while (*p) {
    /* the item: up to the first comma after an '=' */
    const char *eq = strchr(p, '=');
    if (!eq) return cli_usage_error(cmd, usage, "%s expects LEVEL=V[,LEVEL=V...], got '%s'", flag, arg);
    const char *end = strchr(eq, ',');
    if (!end) end = p + strlen(p);
    const char *last = eq; /* the value follows the item's last '=' */
    for (const char *q = eq; q < end; q++)
      if (*q == '=') last = q;
    if (last == p) return cli_usage_error(cmd, usage, "%s '%s': a pair has no level before '='", flag, arg);
    char *val = strndup(last + 1, (size_t)(end - last - 1));
    if (!val) return CLI_EXIT_DATA;
    double v;
    attrib_error err;
    attrib_error_clear(&err);
    if (attrib_roi_amount_parse(val, &v, &err) || attrib_roi_check_value("value_per_unit", flag, v, &err)) {
      free(val);
      return cli_usage_error(cmd, usage, "%s '%s': %s", flag, arg, cli_flag_text(err.message, sizeof err.message));
    }
    free(val);
    attrib_roi_level_value *nv = realloc(l->v, (l->n + 1) * sizeof *nv);
    if (nv) l->v = nv;
    char **nn = nv ? realloc(l->names, (l->n + 1) * sizeof *nn) : NULL;
    if (nn) l->names = nn;
    if (!nn || !(nn[l->n] = strndup(p, (size_t)(last - p)))) return CLI_EXIT_DATA;
    nv[l->n].level = nn[l->n];
    nv[l->n++].value_per_unit = v;
    any = 1;
    p = *end ? end + 1 : end;
  }
  if (!any) return cli_usage_error(cmd, usage, "%s expects LEVEL=V[,LEVEL=V...], got '%s'", flag, arg);
  return 0;
}

void cli_level_values_free(cli_level_values *l) {
  for (size_t i = 0; i < l->n; i++) free(l->names[i]);
  free(l->names), free(l->v);
  l->v = NULL, l->names = NULL, l->n = 0;
}

void cli_lines_free(cli_lines *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i].name);
  free(l->v);
}

/* NAME=AMOUNT[@sd=S|@range=LO..HI] */
int cli_line_parse(const char *cmd, const char *short_usage, const char *flag, const char *arg, int allow_sd, cli_lines *l) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg) return cli_usage_error(cmd, short_usage, "%s expects NAME=AMOUNT, got '%s'", flag, arg);
  char *amount = strdup(eq + 1), *at = amount ? strchr(amount, '@') : NULL;
  if (!amount) return CLI_EXIT_DATA;
  double sd = 0.0, v;
  if (at) {
    *at++ = 0;
    double lo, hi;
    char *dots = strstr(at, "..");
    if (!allow_sd) {
      free(amount);
      return cli_usage_error(cmd, short_usage, "%s lines are fixed; uncertainty goes on the effect or the costs", flag);
    }
    if (!strncmp(at, "sd=", 3)) {
      if (attrib_roi_amount_parse(at + 3, &sd, NULL) || sd < 0) {
        free(amount);
        return cli_usage_error(cmd, short_usage, "%s '%s': the sd is not a non-negative number", flag, arg);
      }
    } else if (!strncmp(at, "range=", 6) && dots) {
      *dots = 0;
      if (attrib_roi_amount_parse(at + 6, &lo, NULL) || attrib_roi_amount_parse(dots + 2, &hi, NULL) || !(hi >= lo)) {
        free(amount);
        return cli_usage_error(cmd, short_usage, "%s '%s': expected @range=LO..HI with LO <= HI", flag, arg);
      }
      sd = (hi - lo) / sqrt(12.0); /* a uniform range's SD */
    } else {
      free(amount);
      return cli_usage_error(cmd, short_usage, "%s '%s': expected @sd=S or @range=LO..HI after the amount", flag, arg);
    }
  }
  attrib_error err;
  attrib_error_clear(&err);
  if (attrib_roi_amount_parse(amount, &v, &err)) {
    free(amount);
    return cli_usage_error(cmd, short_usage, "%s: %s", flag, cli_flag_text(err.message, sizeof err.message));
  }
  free(amount);
  if (allow_sd && attrib_roi_check_value("cost", "the cost", v, &err)) /* a cost line: >= 0 */
    return cli_usage_error(cmd, short_usage, "%s '%s': %s", flag, arg, cli_flag_text(err.message, sizeof err.message));
  attrib_roi_line *nv = realloc(l->v, (l->n + 1) * sizeof *nv);
  if (!nv) return CLI_EXIT_DATA;
  l->v = nv;
  nv[l->n].name = strndup(arg, (size_t)(eq - arg));
  nv[l->n].amount = v;
  nv[l->n].sd = sd;
  if (!nv[l->n].name) return CLI_EXIT_DATA;
  l->n++;
  return 0;
}

#undef getopt_long
int cli_getopt_long(int argc, char *const argv[], const char *shortopts, const struct option *longopts,
                    int *longindex) {
  const char *list = getenv("ATTRIB_LIST_FLAGS");
  if (list && !strcmp(list, "1")) {
    /* one option a line, its spellings together: "-o --output", "--format" */
    for (const char *s = shortopts; *s; s++) {
      if (*s == ':') continue;
      printf("-%c", *s);
      for (const struct option *o = longopts; o->name; o++)
        if (!o->flag && o->val == (unsigned char)*s) printf(" --%s", o->name);
      putchar('\n');
    }
    for (const struct option *o = longopts; o->name; o++)
      if (o->flag || o->val > 255 || o->val <= 0 || o->val == ':' || !strchr(shortopts, o->val)) printf("--%s\n", o->name);
    fflush(stdout);
    exit(ferror(stdout) ? CLI_EXIT_DATA : CLI_EXIT_OK);
  }
  return getopt_long(argc, argv, shortopts, longopts, longindex);
}



/* ------------------------------------------------------------ subgroups */

int cli_by_option(const char *cmd, const char *usage, int opt, const char *arg, cli_by *b, int *rc) {
  switch (opt) {
  case CLI_OPT_BY: b->column = arg; return 1;
  case CLI_OPT_BY_BINS:
    *rc = cli_parse_size(cmd, usage, "--by-bins", arg, &b->bins) ? 2 : 0;
    return 1;
  case CLI_OPT_BY_CUTS: {
    free(b->cuts);
    b->cuts = NULL, b->n_cuts = 0;
    char **parts = cli_split_list(arg);
    size_t n = 0;
    while (parts && parts[n]) n++;
    b->cuts = malloc((n ? n : 1) * sizeof *b->cuts);
    if (!parts || !b->cuts || n == 0) {
      cli_list_free(parts);
      *rc = cli_usage_error(cmd, usage, "--by-cuts expects numbers separated by commas, got '%s'", arg);
      return 1;
    }
    for (size_t k = 0; k < n && !*rc; k++)
      *rc = cli_parse_double(cmd, usage, "--by-cuts", parts[k], &b->cuts[k]) ? 2 : 0;
    b->n_cuts = n;
    cli_list_free(parts);
    return 1;
  }
  default: return 0;
  }
}

int cli_by_validate(const char *cmd, const char *usage, const cli_by *b) {
  if ((b->bins || b->cuts) && !b->column)
    return cli_usage_error(cmd, usage, "%s needs --by COL: the numeric column to bin", b->bins ? "--by-bins" : "--by-cuts");
  if (b->bins && b->cuts) return cli_usage_error(cmd, usage, "give --by-bins or --by-cuts, not both");
  return 0;
}

int cli_by_prepare(const char *cmd, cli_by *b, attrib_table *t, const char **column) {
  *column = b->column;
  if (!b->column || (!b->bins && !b->cuts)) return 0;
  size_t len = strlen(b->column) + 8;
  b->binned = malloc(len);
  if (!b->binned) return cli_fail(cmd, ATTRIB_ENOMEM, NULL, NULL);
  snprintf(b->binned, len, "%s (bin)", b->column);
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_table_add_bins(t, b->column, b->bins, b->cuts, b->n_cuts, b->binned, &err);
  if (s != ATTRIB_OK) return cli_fail(cmd, s, &err, NULL);
  *column = b->binned;
  return 0;
}

void cli_by_free(cli_by *b) {
  free(b->cuts);
  free(b->binned);
  b->cuts = NULL, b->binned = NULL;
}
