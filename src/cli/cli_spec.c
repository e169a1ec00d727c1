/*
 * --spec FILE (roi, analyze): settings as INI (key = value; sections
 * [costs], [benefits], [sweep]) or JSON ({"effect": ..., "costs": {...},
 * "benefits": {...}, "sweep": {...}}), turned into options placed before
 * the command line's, so flags given on the command line win for single
 * values and add to the lines.
 *
 * The reader is cli_spec_parse, a function of the file's bytes alone (no
 * I/O, no exit), so tests/fuzz/fuzz_spec.c calls it directly. It refuses
 * rather than guesses: a JSON array, object, true, false or null where a
 * value belongs was read as 0 before ({"effect": [1, 2]} gave an ROI of
 * -100%), an INI line of more than 1,023 bytes was split in two (and the
 * error named the wrong line), unknown sections were dropped into the top
 * level, and long keys and values were cut to fixed buffers.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"

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

/* user text in a message: control bytes as \xHH, cut at 200 bytes */
static void quote(char *dst, size_t cap, const char *s, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n && o + 8 < cap; i++) {
    unsigned char c = (unsigned char)s[i];
    if (i == 200) {
      o += (size_t)snprintf(dst + o, cap - o, "...");
      break;
    }
    if (c < 0x20 || c == 0x7F) o += (size_t)snprintf(dst + o, cap - o, "\\x%02X", c);
    else dst[o++] = (char)c;
  }
  dst[o] = '\0';
}

static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, cap, fmt, ap);
  va_end(ap);
  return 1;
}

static int check_amount(const char *name, size_t lineno, const char *key, size_t klen, const char *val, size_t vlen,
                        char *err, size_t cap);

/* A setting's name: letters, digits, '_' and '-' (they become --flags). */
static int valid_key(const char *k, size_t n) {
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = k[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

static const char *section_flag(const char *s, size_t n) {
  if (n == 5 && !memcmp(s, "costs", 5)) return "--cost";
  if (n == 8 && !memcmp(s, "benefits", 8)) return "--benefit";
  if (n == 5 && !memcmp(s, "sweep", 5)) return "--sweep";
  return NULL;
}

/* key=value under a section flag, or --key value at the top */
static void add_pair(argvec *a, const char *sflag, const char *key, size_t klen, const char *val, size_t vlen) {
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
  av_push(a, val, vlen);
  free(flag);
}

static int parse_ini(const char *name, const char *text, size_t len, argvec *a, char *err, size_t cap) {
  const char *sflag = NULL;
  size_t lineno = 0;
  for (size_t pos = 0; pos < len;) {
    const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - line) : len - pos;
    pos += n + (nl != NULL);
    lineno++;
    if (memchr(line, '\0', n)) return fail(err, cap, "%s: line %zu: a NUL byte (not a text file?)", name, lineno);
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
    while (n && (*line == ' ' || *line == '\t')) line++, n--;
    if (!n || *line == '#' || *line == ';') continue;
    char q[256];
    if (*line == '[') {
      const char *close = memchr(line, ']', n);
      if (!close) return fail(err, cap, "%s: line %zu: a section header needs ']'", name, lineno);
      for (const char *p = close + 1; p < line + n; p++)
        if (*p != ' ' && *p != '\t') {
          quote(q, sizeof q, close + 1, (size_t)(line + n - close - 1));
          return fail(err, cap, "%s: line %zu: unexpected '%s' after the section header", name, lineno, q);
        }
      const char *s = line + 1;
      size_t sl = (size_t)(close - s);
      while (sl && (*s == ' ' || *s == '\t')) s++, sl--;
      while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t')) sl--;
      if (!(sflag = section_flag(s, sl))) {
        quote(q, sizeof q, s, sl);
        return fail(err, cap, "%s: line %zu: unknown section [%s]; the sections are [costs], [benefits] and [sweep]",
                    name, lineno, q);
      }
      continue;
    }
    const char *eq = memchr(line, '=', n);
    if (!eq) return fail(err, cap, "%s: line %zu: expected key = value", name, lineno);
    const char *k = line, *v = eq + 1;
    size_t kl = (size_t)(eq - line), vl = (size_t)(line + n - v);
    while (kl && (k[kl - 1] == ' ' || k[kl - 1] == '\t')) kl--;
    while (vl && (*v == ' ' || *v == '\t')) v++, vl--;
    if (!valid_key(k, kl)) {
      quote(q, sizeof q, k, kl);
      return fail(err, cap, "%s: line %zu: '%s' is not a setting name (letters, digits, '_' and '-')", name, lineno, q);
    }
    if (!vl) {
      quote(q, sizeof q, k, kl);
      return fail(err, cap, "%s: line %zu: '%s' has no value", name, lineno, q);
    }
    if (!sflag && check_amount(name, lineno, k, kl, v, vl, err, cap)) return 1;
    add_pair(a, sflag, k, kl, v, vl);
  }
  return 0;
}

/* A top-level setting that is an ROI figure is checked here, where the
 * file and the key (and an INI line) are known: once it is an option, its
 * error would name a flag the user never gave ("--value-per-unit: amount
 * 'abc' ..." for a spec's "value_per_unit": "abc", exit 2) rather than the
 * file that holds the mistake (issue 15). A value of 0 for learners and
 * periods_per_year means "not given", as attrib_roi_compute reads it. */
static int check_amount(const char *name, size_t lineno, const char *key, size_t klen, const char *val, size_t vlen,
                        char *err, size_t cap) {
  static const char *const figures[] = {"learners", "value_per_unit", "horizon",  "decay",
                                        "attribution", "margin", "cost_per_learner", "periods_per_year",
                                        "effect", "se", "level"};
  char k[32];
  if (klen >= sizeof k) return 0;
  for (size_t i = 0; i < klen; i++) k[i] = key[i] == '-' ? '_' : key[i];
  k[klen] = '\0';
  size_t f = 0, nf = sizeof figures / sizeof figures[0];
  while (f < nf && strcmp(figures[f], k)) f++;
  if (f == nf) return 0;
  char *v = malloc(vlen + 1);
  if (!v) return fail(err, cap, "%s: out of memory", name);
  memcpy(v, val, vlen);
  v[vlen] = '\0';
  char at[48] = "";
  if (lineno) snprintf(at, sizeof at, "line %zu: ", lineno);
  attrib_error e;
  attrib_error_clear(&e);
  double x = 0.0;
  char label[40];
  snprintf(label, sizeof label, "'%s'", k);
  int bad = 0;
  if (attrib_roi_amount_parse(v, &x, &e)) bad = fail(err, cap, "%s: %s'%s': %s", name, at, k, e.message);
  else if (!(x == 0.0 && (f == 0 || f == 7)) && attrib_roi_check_value(k, label, x, &e))
    bad = fail(err, cap, "%s: %s%s", name, at, e.message);
  free(v);
  return bad;
}

static const char *json_kind(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER:
  case JSON_REAL: return "a number";
  case JSON_TRUE: return "true";
  case JSON_FALSE: return "false";
  default: return "null";
  }
}

/* The shortest decimal that reads back as the same double. */
static void format_real(char *buf, size_t cap, double x) {
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, cap, "%.*g", prec, x);
    if (strtod(buf, NULL) == x) return;
  }
}

/* A scalar setting as the text of its option: strings as they are,
 * numbers exactly; anything else is refused (it was read as 0). */
static int json_scalar(const char *name, const char *where, const json_t *v, char *buf, size_t bcap, const char **out,
                       char *err, size_t cap) {
  if (json_is_string(v)) {
    *out = json_string_value(v);
    if (!**out) return fail(err, cap, "%s: '%s' is an empty string", name, where);
    return 0;
  }
  if (json_is_integer(v)) {
    snprintf(buf, bcap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    *out = buf;
    return 0;
  }
  if (json_is_real(v)) {
    format_real(buf, bcap, json_real_value(v));
    *out = buf;
    return 0;
  }
  return fail(err, cap, "%s: '%s': expected a number or a string, got %s", name, where, json_kind(v));
}

static int parse_json(const char *name, const char *text, size_t len, argvec *a, char *err, size_t cap) {
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) { /* jansson's text quotes the input near the error: control bytes escaped (found by fuzz_spec) */
    char t[256];
    quote(t, sizeof t, je.text, strlen(je.text));
    return fail(err, cap, "%s: line %d, column %d: %s", name, je.line, je.column, t);
  }
  int bad = 0;
  if (!json_is_object(root)) bad = fail(err, cap, "%s: expected a JSON object of settings, got %s", name, json_kind(root));
  const char *key;
  json_t *val;
  char where[520], buf[64], q[256], q2[256];
  json_object_foreach(root, key, val) {
    if (bad) break;
    size_t kl = strlen(key);
    quote(q, sizeof q, key, kl);
    if (!valid_key(key, kl)) {
      bad = fail(err, cap, "%s: '%s' is not a setting name (letters, digits, '_' and '-')", name, q);
      break;
    }
    const char *sflag = section_flag(key, kl);
    if (json_is_object(val)) {
      if (!sflag) {
        bad = fail(err, cap, "%s: '%s': expected a number or a string, got an object (only costs, benefits and sweep hold "
                   "objects)",
                   name, q);
        break;
      }
      const char *k2;
      json_t *v2;
      json_object_foreach(val, k2, v2) {
        size_t k2l = strlen(k2);
        quote(q2, sizeof q2, k2, k2l);
        snprintf(where, sizeof where, "%s.%s", q, q2);
        if (!k2l || memchr(k2, '=', k2l)) {
          bad = fail(err, cap, "%s: '%s': a line's name must be non-empty and without '='", name, where);
          break;
        }
        const char *s2 = NULL;
        if (json_is_array(v2) && !strcmp(sflag, "--sweep")) { /* a list of values: V1,V2,... */
          size_t i, cap2 = 64, used = 0;
          json_t *e;
          char *list = malloc(cap2);
          if (!list) {
            a->oom = 1;
            break;
          }
          list[0] = '\0';
          if (json_array_size(v2) == 0) bad = fail(err, cap, "%s: '%s': an empty list", name, where);
          json_array_foreach(v2, i, e) {
            if (bad) break;
            if (!json_is_number(e)) {
              bad = fail(err, cap, "%s: '%s' item %zu: expected a number, got %s", name, where, i + 1, json_kind(e));
              break;
            }
            char nb[64];
            if (json_is_integer(e)) snprintf(nb, sizeof nb, "%" JSON_INTEGER_FORMAT, json_integer_value(e));
            else format_real(nb, sizeof nb, json_real_value(e));
            size_t nl = strlen(nb);
            if (used + nl + 2 > cap2) {
              cap2 = 2 * (used + nl + 2);
              char *nlst = realloc(list, cap2);
              if (!nlst) {
                a->oom = 1;
                break;
              }
              list = nlst;
            }
            if (used) list[used++] = ',';
            memcpy(list + used, nb, nl + 1);
            used += nl;
          }
          if (!bad && !a->oom) add_pair(a, sflag, k2, k2l, list, used);
          free(list);
          if (bad || a->oom) break;
          continue;
        }
        if ((bad = json_scalar(name, where, v2, buf, sizeof buf, &s2, err, cap))) break;
        add_pair(a, sflag, k2, k2l, s2, strlen(s2));
      }
      continue;
    }
    if (sflag) {
      bad = fail(err, cap, "%s: '%s': expected an object of NAME: AMOUNT lines, got %s", name, q, json_kind(val));
      break;
    }
    const char *s = NULL;
    if ((bad = json_scalar(name, q, val, buf, sizeof buf, &s, err, cap))) break;
    if ((bad = check_amount(name, 0, key, kl, s, strlen(s), err, cap))) break;
    add_pair(a, NULL, key, kl, s, strlen(s));
  }
  json_decref(root);
  return bad;
}

int cli_spec_parse(const char *name, const char *text, size_t len, int *outc, char ***outv, char *err, size_t errcap) {
  argvec a = {0};
  *outc = 0;
  *outv = NULL;
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) i++;
  int bad = i < len && text[i] == '{' ? parse_json(name, text, len, &a, err, errcap)
                                      : parse_ini(name, text, len, &a, err, errcap);
  if (!bad && a.oom) bad = fail(err, errcap, "%s: out of memory", name);
  if (bad) {
    av_free(&a);
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

int cli_spec_args(const char *cmd, int argc, char **argv, int *outc, char ***outv) {
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
  int bad = cli_spec_parse(path, text, len, &sc, &sv, msg, sizeof msg);
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
