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
  /* "upper": no replicate was as extreme as the sample, and p_value is the
   * bound 1/(B+1) that the p-value lies below; null: p_value is the estimate */
  attrib__json_set(o, "p_value_bound", b->p_value_bound ? json_string("upper") : json_null(), &ok);
  attrib__json_set(o, "p_value_method", json_string(b->p_value_method ? b->p_value_method : ""), &ok);
  attrib__json_set(o, "level", attrib__json_num(b->level), &ok);
  attrib__json_set(o, "n_failed", json_integer((json_int_t)b->n_failed), &ok);
  attrib__json_set(o, "n_clusters", json_integer((json_int_t)b->n_clusters), &ok);
  if (b->type == ATTRIB_BOOT_WILD || b->type == ATTRIB_BOOT_MULTIPLIER)
    attrib__json_set(o, "weights", json_string(attrib_boot_weights_name(b->weights)), &ok);
  if (b->type == ATTRIB_BOOT_WILD) {
    attrib__json_set(o, "enumerated", json_boolean(b->enumerated), &ok);
    /* the interval that agrees with the WCR p-value; ci_low/ci_high are the
     * unrestricted replicates' (the null not imposed) */
    if (!isnan(b->inv_low) || !isnan(b->inv_high)) {
      json_t *t = json_object();
      attrib__json_set(o, "test_inversion", t, &ok);
      if (ok) {
        attrib__json_set(t, "ci_low", isinf(b->inv_low) ? json_string("-inf") : attrib__json_num(b->inv_low), &ok);
        attrib__json_set(t, "ci_high", isinf(b->inv_high) ? json_string("inf") : attrib__json_num(b->inv_high), &ok);
        attrib__json_set(t, "level", attrib__json_num(b->level), &ok);
        attrib__json_set(t, "method", json_string("nulls whose WCR p-value exceeds 1 - level (boottest's)"), &ok);
        attrib__json_set(t, "disjoint", json_boolean(b->inv_disjoint), &ok);
      }
    }
    attrib__json_set(o, "ci_replicates", json_string("unrestricted (WCU)"), &ok);
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* a bootstrap p-value with its relation: "= 0.0891", or "< 0.001" (that
 * is, 1/(B+1)) when no replicate was as extreme as the sample */
static void fmt_boot_p(char *buf, size_t size, const attrib_boot_result *b) {
  char p[24];
  if (b->p_value_bound) {
    snprintf(buf, size, "< %.3g", b->p_value);
    return;
  }
  attrib__fmt_p(p, sizeof p, b->p_value);
  snprintf(buf, size, "%s%s", p[0] == '<' ? "" : "= ", p);
}

/* The wild bootstrap: its WCR p-value beside the interval that agrees with
 * it (test inversion), then the unrestricted replicates' --ci interval,
 * labelled as such (issue 12, defect 10: the two once stood side by side
 * with nothing said when they disagreed). */
static int text_wild(FILE *out, const attrib_boot_result *b) {
  char p[40];
  fmt_boot_p(p, sizeof p, b);
  int bad = fprintf(out, "\nWild bootstrap (%s, %s%zu %s): WCR p %s", attrib_boot_weights_name(b->weights),
                    b->enumerated ? "all " : "", b->replicates, b->enumerated ? "sign vectors" : "replicates", p) < 0;
  if (!isnan(b->inv_low) && !isnan(b->inv_high))
    bad |= fprintf(out, ", %g%% CI by test inversion [%.6g, %.6g]%s\n", 100.0 * b->level, b->inv_low, b->inv_high,
                   b->inv_disjoint ? " (the nulls not rejected also form pieces outside it)" : "") < 0;
  else
    bad |= fputc('\n', out) == EOF;
  bad |= fprintf(out,
                 "Unrestricted (WCU) replicates: SE %.6g, %g%% %s CI [%.6g, %.6g]; the null is not imposed on them, "
                 "so this interval need not agree with the p-value\n",
                 b->std_error, 100.0 * b->level, attrib_boot_ci_name(b->ci), b->ci_low, b->ci_high) < 0;
  bad |= fprintf(out, "p-value: %s\n", b->p_value_method ? b->p_value_method : "") < 0;
  return bad;
}

int attrib__text_bootstrap(FILE *out, const attrib_boot_result *b) {
  if (b->type == ATTRIB_BOOT_WILD) return text_wild(out, b);
  char p[40];
  fmt_boot_p(p, sizeof p, b);
  int bad = fprintf(out, "\nBootstrap (%s%s%s, %zu replicates%s%s): SE %.6g, %g%% %s CI [%.6g, %.6g], p %s\n",
                    attrib_boot_type_name(b->type), b->type == ATTRIB_BOOT_WILD ? ", " : "",
                    b->type == ATTRIB_BOOT_WILD ? attrib_boot_weights_name(b->weights) : "", b->replicates,
                    b->enumerated ? ", all sign vectors" : "", b->n_failed ? ", some failed" : "", b->std_error,
                    100.0 * b->level, attrib_boot_ci_name(b->ci), b->ci_low, b->ci_high, p) < 0;
  if (b->n_failed) bad |= fprintf(out, "%zu replicates failed (singular resamples) and are left out\n", b->n_failed) < 0;
  bad |= fprintf(out, "p-value: %s\n", b->p_value_method ? b->p_value_method : "") < 0;
  return bad;
}
