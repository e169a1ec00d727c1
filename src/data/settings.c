/*
 * Settings files, INI or JSON (include/attrib/settings.h). Moved from the
 * CLI's --spec reader (issue 13): parsing a file format is the library's,
 * the CLI keeps only the mapping of entries to its flags. The data layer:
 * like the CSV reader, it turns the bytes of an input file into values and
 * knows nothing of what they mean (section names and which sections take
 * lists come from the caller).
 *
 * It refuses rather than guesses (issue 15): a JSON array, object, true,
 * false or null where a value belongs was read as 0 ({"effect": [1, 2]}
 * gave an ROI of -100%), an INI line of more than 1,023 bytes was split in
 * two (and the error named the wrong line), unknown sections were dropped
 * into the top level, and long keys and values were cut to fixed buffers.
 * A function of the bytes alone (no I/O), fuzzed by tests/fuzz/fuzz_spec.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include <attrib/settings.h>
#include "core/attrib_internal.h"

typedef struct reader {
  const char *name;
  const attrib_settings_options *o;
  attrib_settings *s;
  size_t cap;
  attrib_error *err;
} reader;

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

/* A setting's name: letters, digits, '_' and '-' (a front end may make
 * them flags or option names). */
static int valid_key(const char *k, size_t n) {
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = k[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

/* s[0..n) in a NULL-terminated list of names: the listed name, else NULL */
static const char *listed(const char *const *list, const char *s, size_t n) {
  for (; list && *list; list++)
    if (strlen(*list) == n && !memcmp(*list, s, n)) return *list;
  return NULL;
}

/* key[0..n) is one of the options' switches ('-' and '_' alike) */
static int is_switch(const reader *r, const char *key, size_t n) {
  for (const char *const *sw = r->o->switches; sw && *sw; sw++) {
    if (strlen(*sw) != n) continue;
    size_t i = 0;
    while (i < n && ((*sw)[i] == key[i] || (strchr("-_", (*sw)[i]) && strchr("-_", key[i])))) i++;
    if (i == n) return 1;
  }
  return 0;
}

/* An INI switch's value: 1 on, 0 off, -1 neither */
static int switch_value(const char *v, size_t n) {
  static const char *const on[] = {"true", "yes", "on", "1", NULL}, *const off[] = {"false", "no", "off", "0", NULL};
  for (size_t i = 0; on[i]; i++) {
    if (strlen(on[i]) == n && !strncasecmp(on[i], v, n)) return 1;
    if (strlen(off[i]) == n && !strncasecmp(off[i], v, n)) return 0;
  }
  return -1;
}

/* The allowed sections for a message, "[costs], [benefits] and [sweep]"
 * (brackets 1) or "costs, benefits and sweep" (0); count in *n. */
static void section_list(char *dst, size_t cap, const char *const *list, int brackets, size_t *n) {
  size_t k = 0, o = 0;
  while (list && list[k]) k++;
  dst[0] = '\0';
  for (size_t i = 0; i < k && o < cap; i++) {
    const char *sep = i == 0 ? "" : i + 1 == k ? " and " : ", ";
    o += (size_t)snprintf(dst + o, cap - o, brackets ? "%s[%s]" : "%s%s", sep, list[i]);
  }
  *n = k;
}

/* Appends an entry (copies of its strings) and shows it to the check hook. */
static attrib_status add(reader *r, const char *section, const char *key, size_t klen, const char *text, size_t tlen,
                         attrib_setting_kind kind, double number, double *values, size_t n_values, size_t line) {
  attrib_settings *s = r->s;
  if (s->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 16;
    attrib_setting *e = attrib__realloc(s->entries, cap, sizeof *e);
    if (!e) {
      attrib__free(values);
      return attrib__fail(r->err, ATTRIB_ENOMEM, "%s: out of memory", r->name);
    }
    s->entries = e;
    r->cap = cap;
  }
  attrib_setting *e = &s->entries[s->n];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->number = number;
  e->values = values;
  e->n_values = n_values;
  e->line = line;
  e->key = attrib__strndup(key, klen);
  e->text = attrib__strndup(text, tlen);
  e->section = section ? attrib__strdup(section) : NULL;
  s->n++; /* owned by the list from here, freed with it */
  if (!e->key || !e->text || (section && !e->section))
    return attrib__fail(r->err, ATTRIB_ENOMEM, "%s: out of memory", r->name);
  if (r->o->check) return r->o->check(r->o->check_ctx, r->name, e, r->err);
  return ATTRIB_OK;
}

static attrib_status parse_ini(reader *r, const char *text, size_t len) {
  const char *name = r->name, *section = NULL;
  size_t lineno = 0;
  for (size_t pos = 0; pos < len;) {
    const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - line) : len - pos;
    pos += n + (nl != NULL);
    lineno++;
    if (memchr(line, '\0', n))
      return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0, "%s: line %zu: a NUL byte (not a text file?)", name,
                             lineno);
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
    while (n && (*line == ' ' || *line == '\t')) line++, n--;
    if (!n || *line == '#' || *line == ';') continue;
    char q[256];
    if (*line == '[') {
      const char *close = memchr(line, ']', n);
      if (!close) return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0, "%s: line %zu: a section header needs ']'",
                                         name, lineno);
      for (const char *p = close + 1; p < line + n; p++)
        if (*p != ' ' && *p != '\t') {
          quote(q, sizeof q, close + 1, (size_t)(line + n - close - 1));
          return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0,
                                 "%s: line %zu: unexpected '%s' after the section header", name, lineno, q);
        }
      const char *s = line + 1;
      size_t sl = (size_t)(close - s);
      while (sl && (*s == ' ' || *s == '\t')) s++, sl--;
      while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t')) sl--;
      if (!(section = listed(r->o->sections, s, sl))) {
        char all[512];
        size_t k;
        section_list(all, sizeof all, r->o->sections, 1, &k);
        quote(q, sizeof q, s, sl);
        if (k == 0)
          return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0, "%s: line %zu: unknown section [%s]; this file has none",
                                 name, lineno, q);
        return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0, "%s: line %zu: unknown section [%s]; %s %s", name, lineno,
                               q, k == 1 ? "the only section is" : "the sections are", all);
      }
      continue;
    }
    const char *eq = memchr(line, '=', n);
    if (!eq) return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0, "%s: line %zu: expected key = value", name, lineno);
    const char *k = line, *v = eq + 1;
    size_t kl = (size_t)(eq - line), vl = (size_t)(line + n - v);
    while (kl && (k[kl - 1] == ' ' || k[kl - 1] == '\t')) kl--;
    while (vl && (*v == ' ' || *v == '\t')) v++, vl--;
    if (!valid_key(k, kl)) {
      quote(q, sizeof q, k, kl);
      return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0,
                             "%s: line %zu: '%s' is not a setting name (letters, digits, '_' and '-')", name, lineno, q);
    }
    if (!vl) {
      quote(q, sizeof q, k, kl);
      return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0, "%s: line %zu: '%s' has no value", name, lineno, q);
    }
    if (!section && is_switch(r, k, kl)) {
      int on = switch_value(v, vl);
      quote(q, sizeof q, k, kl);
      if (on < 0) {
        char qv[256];
        quote(qv, sizeof qv, v, vl);
        return attrib__fail_at(r->err, ATTRIB_EPARSE, lineno, 0,
                               "%s: line %zu: '%s' is a switch: expected true or false, got '%s'", name, lineno, q, qv);
      }
      ATTRIB__TRY(add(r, NULL, k, kl, on ? "true" : "false", on ? 4 : 5, ATTRIB_SETTING_SWITCH, on, NULL, 0, lineno));
      continue;
    }
    ATTRIB__TRY(add(r, section, k, kl, v, vl, ATTRIB_SETTING_TEXT, 0.0, NULL, 0, lineno));
  }
  return ATTRIB_OK;
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

/* A JSON number as text, exactly (integers as integers) */
static double json_number_text(const json_t *v, char *buf, size_t cap) {
  if (json_is_integer(v)) {
    snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return (double)json_integer_value(v);
  }
  format_real(buf, cap, json_real_value(v));
  return json_real_value(v);
}

/* A scalar setting: strings as they are, numbers exactly; anything else is
 * refused (it was read as 0). where: the key for the message. */
static attrib_status json_scalar(reader *r, const char *section, const char *key, const char *where, const json_t *v) {
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    if (!*s) return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s' is an empty string", r->name, where);
    return add(r, section, key, strlen(key), s, strlen(s), ATTRIB_SETTING_TEXT, 0.0, NULL, 0, 0);
  }
  if (json_is_number(v)) {
    char buf[64];
    double x = json_number_text(v, buf, sizeof buf);
    return add(r, section, key, strlen(key), buf, strlen(buf), ATTRIB_SETTING_NUMBER, x, NULL, 0, 0);
  }
  return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s': expected a number or a string, got %s", r->name, where,
                      json_kind(v));
}

/* A list of numbers: V1,V2,... */
static attrib_status json_list(reader *r, const char *section, const char *key, const char *where, json_t *v) {
  size_t n = json_array_size(v);
  if (n == 0) return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s': an empty list", r->name, where);
  double *values = attrib__malloc(n, sizeof *values);
  attrib__sbuf text = {0};
  if (!values) return attrib__fail(r->err, ATTRIB_ENOMEM, "%s: out of memory", r->name);
  size_t i;
  json_t *e;
  json_array_foreach(v, i, e) {
    if (!json_is_number(e)) {
      attrib__free(values);
      attrib__sbuf_free(&text);
      return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s' item %zu: expected a number, got %s", r->name, where, i + 1,
                          json_kind(e));
    }
    char nb[64];
    values[i] = json_number_text(e, nb, sizeof nb);
    if (i) attrib__sbuf_add(&text, ",", 1);
    attrib__sbuf_add(&text, nb, strlen(nb));
  }
  if (text.failed) {
    attrib__free(values);
    attrib__sbuf_free(&text);
    return attrib__fail(r->err, ATTRIB_ENOMEM, "%s: out of memory", r->name);
  }
  attrib_status s = add(r, section, key, strlen(key), text.s, text.len, ATTRIB_SETTING_LIST, 0.0, values, n, 0);
  attrib__sbuf_free(&text);
  return s;
}

/* The members of a section's object */
static attrib_status json_section(reader *r, const char *section, const char *q, json_t *obj) {
  const char *k2;
  json_t *v2;
  char where[520], q2[256];
  json_object_foreach(obj, k2, v2) {
    size_t k2l = strlen(k2);
    quote(q2, sizeof q2, k2, k2l);
    snprintf(where, sizeof where, "%s.%s", q, q2);
    if (!k2l || memchr(k2, '=', k2l))
      return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s': a line's name must be non-empty and without '='", r->name,
                          where);
    if (json_is_array(v2) && listed(r->o->list_sections, section, strlen(section)))
      ATTRIB__TRY(json_list(r, section, k2, where, v2));
    else
      ATTRIB__TRY(json_scalar(r, section, k2, where, v2));
  }
  return ATTRIB_OK;
}

static attrib_status json_members(reader *r, json_t *root) {
  const char *name = r->name, *key;
  json_t *val;
  char q[256];
  json_object_foreach(root, key, val) {
    size_t kl = strlen(key);
    quote(q, sizeof q, key, kl);
    if (!valid_key(key, kl))
      return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s' is not a setting name (letters, digits, '_' and '-')", name,
                          q);
    const char *section = listed(r->o->sections, key, kl);
    if (json_is_object(val)) {
      if (!section) {
        char all[512];
        size_t k;
        section_list(all, sizeof all, r->o->sections, 0, &k);
        if (k == 0)
          return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s': expected a number or a string, got an object", name, q);
        return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s': expected a number or a string, got an object (only %s %s "
                            "objects)",
                            name, q, all, k == 1 ? "holds" : "hold");
      }
      ATTRIB__TRY(json_section(r, section, q, val));
      continue;
    }
    if (section)
      return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s': expected an object of NAME: AMOUNT lines, got %s", name, q,
                          json_kind(val));
    if (is_switch(r, key, kl)) {
      if (!json_is_boolean(val))
        return attrib__fail(r->err, ATTRIB_EPARSE, "%s: '%s' is a switch: expected true or false, got %s", name, q,
                            json_kind(val));
      int on = json_is_true(val);
      ATTRIB__TRY(add(r, NULL, key, kl, on ? "true" : "false", on ? 4 : 5, ATTRIB_SETTING_SWITCH, on, NULL, 0, 0));
      continue;
    }
    ATTRIB__TRY(json_scalar(r, NULL, key, q, val));
  }
  return ATTRIB_OK;
}

static attrib_status parse_json(reader *r, const char *text, size_t len) {
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) { /* jansson's text quotes the input near the error: control bytes escaped (found by fuzz_spec) */
    char t[256];
    quote(t, sizeof t, je.text, strlen(je.text));
    return attrib__fail_at(r->err, ATTRIB_EPARSE, je.line > 0 ? (size_t)je.line : 0,
                           je.column > 0 ? (size_t)je.column : 0, "%s: line %d, column %d: %s", r->name, je.line,
                           je.column, t);
  }
  attrib_status s = json_is_object(root) ? json_members(r, root)
                                         : attrib__fail(r->err, ATTRIB_EPARSE,
                                                        "%s: expected a JSON object of settings, got %s", r->name,
                                                        json_kind(root));
  json_decref(root);
  return s;
}

void attrib_settings_options_init(attrib_settings_options *o) {
  if (o) memset(o, 0, sizeof *o);
}

attrib_status attrib_settings_read(const char *name, const char *text, size_t len, const attrib_settings_options *opts,
                                   attrib_settings **out, attrib_error *err) {
  if (out) *out = NULL;
  if (!name || (!text && len) || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_settings_read: NULL argument");
  attrib_settings_options defaults;
  attrib_settings_options_init(&defaults);
  reader r = {name, opts ? opts : &defaults, attrib__calloc(1, sizeof(attrib_settings)), 0, err};
  if (!r.s) return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", name);
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) i++;
  attrib_status s = i < len && text[i] == '{' ? parse_json(&r, text, len) : parse_ini(&r, text, len);
  if (s != ATTRIB_OK) {
    attrib_settings_free(r.s);
    return s;
  }
  *out = r.s;
  return ATTRIB_OK;
}

void attrib_settings_free(attrib_settings *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) {
    attrib__free(s->entries[i].section);
    attrib__free(s->entries[i].key);
    attrib__free(s->entries[i].text);
    attrib__free(s->entries[i].values);
  }
  attrib__free(s->entries);
  attrib__free(s);
}
