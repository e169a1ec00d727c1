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
