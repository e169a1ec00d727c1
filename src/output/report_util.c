#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

json_t *attrib__json_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

void attrib__json_set(json_t *obj, const char *key, json_t *value, int *ok) {
  if (!value || json_object_set_new(obj, key, value) != 0) *ok = 0;
}

attrib_status attrib__json_write(FILE *out, json_t *root, int ok, attrib_error *err) {
  if (!root || !ok) {
    json_decref(root);
    return attrib__fail(err, ATTRIB_ENOMEM, "JSON output: out of memory");
  }
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (rc != 0 || fputc('\n', out) == EOF) return attrib__fail(err, ATTRIB_EIO, "cannot write the output");
  return ATTRIB_OK;
}

int attrib__csv_field(FILE *out, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) return fputs(s, out) < 0 ? -1 : 0;
  if (fputc('"', out) == EOF) return -1;
  for (; *s; s++) {
    if (*s == '"' && fputc('"', out) == EOF) return -1;
    if (fputc(*s, out) == EOF) return -1;
  }
  return fputc('"', out) == EOF ? -1 : 0;
}

void attrib__fmt_num(char *buf, size_t size, double v, int sig) {
  if (isnan(v)) {
    snprintf(buf, size, "NA");
    return;
  }
  snprintf(buf, size, "%.*g", sig, v);
}

attrib_status attrib_report_format_parse(const char *s, attrib_report_format *out, attrib_error *err) {
  if (s && strcmp(s, "text") == 0) *out = ATTRIB_FORMAT_TEXT;
  else if (s && strcmp(s, "json") == 0) *out = ATTRIB_FORMAT_JSON;
  else if (s && strcmp(s, "csv") == 0) *out = ATTRIB_FORMAT_CSV;
  else return attrib__fail(err, ATTRIB_EINVAL, "unknown format '%s' (expected text, json or csv)", s ? s : "");
  return ATTRIB_OK;
}

json_t *attrib__json_bootstrap(const attrib_boot_result *b) {
  json_t *o = json_object();
  int ok = o != NULL;
  attrib__json_set(o, "replicates", json_integer((json_int_t)b->replicates), &ok);
  attrib__json_set(o, "type", json_string(attrib_boot_type_name(b->type)), &ok);
  attrib__json_set(o, "method", json_string(attrib_boot_ci_name(b->ci)), &ok);
  attrib__json_set(o, "estimate", attrib__json_num(b->estimate), &ok);
  attrib__json_set(o, "std_error", attrib__json_num(b->std_error), &ok);
  attrib__json_set(o, "ci_low", attrib__json_num(b->ci_low), &ok);
  attrib__json_set(o, "ci_high", attrib__json_num(b->ci_high), &ok);
  attrib__json_set(o, "p_value", attrib__json_num(b->p_value), &ok);
  attrib__json_set(o, "p_value_method", json_string(b->p_value_method ? b->p_value_method : ""), &ok);
  attrib__json_set(o, "level", attrib__json_num(b->level), &ok);
  attrib__json_set(o, "n_failed", json_integer((json_int_t)b->n_failed), &ok);
  attrib__json_set(o, "n_clusters", json_integer((json_int_t)b->n_clusters), &ok);
  if (b->type == ATTRIB_BOOT_WILD || b->type == ATTRIB_BOOT_MULTIPLIER)
    attrib__json_set(o, "weights", json_string(attrib_boot_weights_name(b->weights)), &ok);
  if (b->type == ATTRIB_BOOT_WILD) attrib__json_set(o, "enumerated", json_boolean(b->enumerated), &ok);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

int attrib__text_bootstrap(FILE *out, const attrib_boot_result *b) {
  char p[32];
  attrib__fmt_p(p, sizeof p, b->p_value);
  int bad = fprintf(out, "\nBootstrap (%s%s%s, %zu replicates%s%s): SE %.6g, %g%% %s CI [%.6g, %.6g], p = %s\n",
                    attrib_boot_type_name(b->type), b->type == ATTRIB_BOOT_WILD ? ", " : "",
                    b->type == ATTRIB_BOOT_WILD ? attrib_boot_weights_name(b->weights) : "", b->replicates,
                    b->enumerated ? ", all sign vectors" : "", b->n_failed ? ", some failed" : "", b->std_error,
                    100.0 * b->level, attrib_boot_ci_name(b->ci), b->ci_low, b->ci_high, p) < 0;
  if (b->n_failed) bad |= fprintf(out, "%zu replicates failed (singular resamples) and are left out\n", b->n_failed) < 0;
  bad |= fprintf(out, "p-value: %s\n", b->p_value_method ? b->p_value_method : "") < 0;
  return bad;
}
