/*
 * --spec FILE (roi, analyze): settings as INI (key = value; sections
 * [costs], [benefits], [sweep]) or JSON ({"effect": ..., "costs": {...},
 * "benefits": {...}, "sweep": {...}}), turned into options placed before
 * the command line's, so flags given on the command line win for single
 * values and add to the lines.
 *
 * The file format is the library's (attrib_settings_read, include/attrib/
 * settings.h: every refusal of a malformed file is there); this file keeps
 * the mapping of its entries to flags and the check of the ROI figures.
 * cli_spec_parse is a function of the file's bytes alone (no I/O, no
 * exit), so tests/fuzz/fuzz_spec.c calls it directly.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct argvec {
  char **v;
  int n, cap;
  int oom;
} argvec;

static void av_push(argvec *a, const char *s, size_t len) {
  if (a->oom) return;
  if (a->n + 2 > a->cap) {
    int cap = a->cap ? a->cap * 2 : 16;
    char **nv = realloc(a->v, (size_t)cap * sizeof *nv);
    if (!nv) {
      a->oom = 1;
      return;
    }
    a->v = nv;
    a->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy) {
    a->oom = 1;
    return;
  }
  memcpy(copy, s, len);
  copy[len] = '\0';
  a->v[a->n++] = copy;
  a->v[a->n] = NULL;
}

static void av_free(argvec *a) {
  for (int i = 0; i < a->n; i++) free(a->v[i]);
  free(a->v);
  memset(a, 0, sizeof *a);
}

static const char *const spec_sections[] = {"costs", "benefits", "sweep", NULL};
static const char *const spec_list_sections[] = {"sweep", NULL}; /* a sweep's values: V1,V2,... */

static const char *section_flag(const char *s) {
  if (!s) return NULL;
  if (!strcmp(s, "costs")) return "--cost";
  if (!strcmp(s, "benefits")) return "--benefit";
  return "--sweep";
}

/* key=value under a section flag, or --key value at the top; a switch
 * (on_off 1 or 0, else -1) is its flag alone when on, nothing when off */
static void add_pair(argvec *a, const char *sflag, const char *key, const char *val, int on_off) {
  size_t klen = strlen(key), vlen = strlen(val);
  if (on_off == 0) return;
  if (sflag) {
    size_t len = klen + 1 + vlen;
    char *buf = malloc(len + 1);
    if (!buf) {
      a->oom = 1;
      return;
    }
    memcpy(buf, key, klen);
    buf[klen] = '=';
    memcpy(buf + klen + 1, val, vlen);
    av_push(a, sflag, strlen(sflag));
    av_push(a, buf, len);
    free(buf);
    return;
  }
  char *flag = malloc(klen + 3);
  if (!flag) {
    a->oom = 1;
    return;
  }
  flag[0] = flag[1] = '-';
  for (size_t i = 0; i < klen; i++) flag[2 + i] = key[i] == '_' ? '-' : key[i];
  av_push(a, flag, klen + 2);
  if (on_off < 0) av_push(a, val, vlen);
  free(flag);
}

/* The check's message, kept whole here: attrib_error holds 511 bytes, and
 * this one quotes the library's message (up to 511 bytes) after the file's
 * name and the key. */
typedef struct spec_check {
  int failed;
  char msg[1024];
} spec_check;

static attrib_status spec_fail(spec_check *c, attrib_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static attrib_status spec_fail(spec_check *c, attrib_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->msg, sizeof c->msg, fmt, ap);
  va_end(ap);
  c->failed = 1;
  if (err) {
    size_t n = strnlen(c->msg, sizeof err->message - 1); /* the reader's caller gets it cut */
    memcpy(err->message, c->msg, n);
    err->message[n] = '\0';
    err->code = ATTRIB_EINVAL;
  }
  return ATTRIB_EINVAL;
}

/* A top-level setting that is an ROI figure is checked as the file is read
 * (attrib_settings_read's check hook), where the file and the key (and an
 * INI line) are known: once it is an option, its error would name a flag
 * the user never gave ("--value-per-unit: amount 'abc' ..." for a spec's
 * "value_per_unit": "abc", exit 2) rather than the file that holds the
 * mistake (issue 15). A value of 0 for learners and periods_per_year means
 * "not given", as attrib_roi_compute reads it. */
static attrib_status check_amount(void *ctx, const char *name, const attrib_setting *entry, attrib_error *err) {
  spec_check *c = ctx;
  static const char *const figures[] = {"learners", "value_per_unit", "horizon",  "decay",
                                        "attribution", "margin", "cost_per_learner", "periods_per_year",
                                        "effect", "se", "level"};
  if (entry->section) return ATTRIB_OK;
  size_t klen = strlen(entry->key);
  char k[32];
  if (klen >= sizeof k) return ATTRIB_OK;
  for (size_t i = 0; i < klen; i++) k[i] = entry->key[i] == '-' ? '_' : entry->key[i];
  k[klen] = '\0';
  size_t f = 0, nf = sizeof figures / sizeof figures[0];
  while (f < nf && strcmp(figures[f], k)) f++;
  if (f == nf) return ATTRIB_OK;
  char at[48] = "";
  if (entry->line) snprintf(at, sizeof at, "line %zu: ", entry->line);
  attrib_error e;
  attrib_error_clear(&e);
  double x = 0.0;
  char label[40];
  snprintf(label, sizeof label, "'%s'", k);
  if (attrib_roi_amount_parse(entry->text, &x, &e)) return spec_fail(c, err, "%s: %s'%s': %s", name, at, k, e.message);
  if (!(x == 0.0 && (f == 0 || f == 7)) && attrib_roi_check_value(k, label, x, &e))
    return spec_fail(c, err, "%s: %s%s", name, at, e.message);
  return ATTRIB_OK;
}

int cli_spec_parse(const char *name, const char *text, size_t len, const char *const *switches, int *outc, char ***outv,
                   char *err, size_t errcap) {
  *outc = 0;
  *outv = NULL;
  attrib_settings_options o;
  attrib_settings_options_init(&o);
  o.sections = spec_sections;
  o.list_sections = spec_list_sections;
  o.switches = switches;
  spec_check c = {0, ""};
  o.check = check_amount;
  o.check_ctx = &c;
  attrib_settings *s = NULL;
  attrib_error e;
  attrib_error_clear(&e);
  if (attrib_settings_read(name, text, len, &o, &s, &e)) {
    snprintf(err, errcap, "%s", c.failed ? c.msg : e.message);
    return 1;
  }
  argvec a = {0};
  for (size_t i = 0; i < s->n; i++) {
    const attrib_setting *en = &s->entries[i];
    add_pair(&a, section_flag(en->section), en->key, en->text, en->kind == ATTRIB_SETTING_SWITCH ? (int)en->number : -1);
  }
  attrib_settings_free(s);
  if (a.oom) {
    av_free(&a);
    snprintf(err, errcap, "%s: out of memory", name);
    return 1;
  }
  *outc = a.n;
  *outv = a.v;
  return 0;
}

void cli_spec_free(int argc, char **argv) {
  for (int i = 0; i < argc; i++) free(argv[i]);
  free(argv);
}

/* A spec file is a few lines: more than this is not one. */
#define SPEC_MAX ((size_t)16 << 20)

int cli_spec_args(const char *cmd, int argc, char **argv, const char *const *switches, int *outc, char ***outv) {
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--spec") && i + 1 < argc) path = argv[i + 1];
    else if (!strncmp(argv[i], "--spec=", 7)) path = argv[i] + 7;
  }
  *outv = NULL;
  if (!path) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "attrib %s: cannot open the spec file '%s': %s\n", cmd, path, strerror(errno));
    return CLI_EXIT_DATA;
  }
  size_t cap = 4096, len = 0;
  char *text = malloc(cap);
  int rerr = 0;
  while (text) {
    if (len == cap) {
      if (cap >= SPEC_MAX) break;
      char *nt = realloc(text, cap * 2);
      if (!nt) {
        free(text);
        text = NULL;
        break;
      }
      text = nt;
      cap *= 2;
    }
    size_t got = fread(text + len, 1, cap - len, f);
    len += got;
    if (got == 0) {
      rerr = ferror(f) ? errno : 0;
      break;
    }
  }
  fclose(f);
  if (!text) {
    fprintf(stderr, "attrib %s: %s: out of memory\n", cmd, path);
    return CLI_EXIT_DATA;
  }
  if (rerr || len >= SPEC_MAX) {
    if (rerr) fprintf(stderr, "attrib %s: cannot read the spec file '%s': %s\n", cmd, path, strerror(rerr));
    else fprintf(stderr, "attrib %s: %s: a spec file of more than %zu MiB is not one\n", cmd, path, SPEC_MAX >> 20);
    free(text);
    return CLI_EXIT_DATA;
  }
  char msg[1024];
  int sc = 0;
  char **sv = NULL;
  int bad = cli_spec_parse(path, text, len, switches, &sc, &sv, msg, sizeof msg);
  free(text);
  if (bad) {
    fprintf(stderr, "attrib %s: %s\n", cmd, msg);
    return CLI_EXIT_DATA;
  }
  /* argv[0], the spec's options, then the command line's */
  char **v = malloc((size_t)(argc + sc + 1) * sizeof *v);
  int n = 0, oom = !v;
  if (v) {
    v[n++] = strdup(argv[0]);
    for (int i = 0; i < sc; i++) v[n++] = sv[i];
    for (int i = 1; i < argc; i++) v[n++] = strdup(argv[i]);
    v[n] = NULL;
    for (int i = 0; i < n; i++) oom |= !v[i];
  }
  if (v) free(sv); /* its strings moved to v */
  else cli_spec_free(sc, sv);
  if (oom) {
    if (v) cli_spec_free(n, v);
    fprintf(stderr, "attrib %s: out of memory\n", cmd);
    return CLI_EXIT_DATA;
  }
  *outc = n, *outv = v;
  return 0;
}
