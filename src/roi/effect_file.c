/*
 * The effect of an estimator's JSON result, for ROI (include/attrib/roi.h,
 * attrib_roi_read_effect). Moved from the CLI: reading a result file is the
 * library's, so that any front end gets the same rule for logit/probit fits
 * (issue 12, defect 7: a log-odds coefficient is not a change in the KPI).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <attrib/roi.h>
#include "core/attrib_internal.h"

attrib_status attrib_roi_read_effect(const char *path, attrib_roi_effect_file *out, attrib_error *err) {
  if (!path || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_roi_read_effect: NULL argument");
  memset(out, 0, sizeof *out);
  out->se = NAN;
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  if (!root) {
    if (je.line > 0) return attrib__fail(err, ATTRIB_EPARSE, "%s: line %d: %s", path, je.line, je.text);
    return attrib__fail(err, ATTRIB_EPARSE, "%s", je.text);
  }
  json_t *link = json_object_get(root, "link"), *command = json_object_get(root, "command");
  int binary = (link && json_is_string(link)) ||
               (command && json_is_string(command) && !strcmp(json_string_value(command), "logit"));
  json_t *e = binary ? json_object_get(root, "average_marginal_effect") : json_object_get(root, "effect");
  json_t *est = e ? json_object_get(e, "estimate") : NULL, *se = e ? json_object_get(e, "std_error") : NULL;
  attrib_status s = ATTRIB_OK;
  if (binary && (!est || !json_is_number(est))) {
    json_t *why = e ? json_object_get(e, "reason") : NULL;
    const char *lk = link && json_is_string(link) ? json_string_value(link) : "logit";
    const char *scale = !strcmp(lk, "probit") ? "probit" : "log-odds";
    if (why && json_is_string(why))
      s = attrib__fail(err, ATTRIB_EPARSE,
                       "%s: a %s fit's effect is a coefficient on the %s scale, not a change in the KPI, and its "
                       "average marginal effect is not available: %s",
                       path, lk, scale, json_string_value(why));
    else
      s = attrib__fail(err, ATTRIB_EPARSE,
                       "%s: a %s fit's effect is a coefficient on the %s scale, not a change in the KPI, and the "
                       "file has no average_marginal_effect (fit it with logit.treat TERM, or give roi.effect on the KPI's "
                       "scale)",
                       path, lk, scale);
  } else if (!est || !json_is_number(est)) {
    s = attrib__fail(err, ATTRIB_EPARSE,
                     "%s: no effect.estimate (expected the JSON of an estimate: did, psm, or a fit with ols.treat)", path);
  } else {
    out->effect = json_number_value(est);
    if (se && json_is_number(se)) out->se = json_number_value(se);
    out->binary = binary;
    if (binary) {
      json_t *term = json_object_get(e, "term"), *type = json_object_get(e, "type");
      const char *tm = term && json_is_string(term) ? json_string_value(term) : "the treatment";
      const char *ty = type && json_is_string(type) ? json_string_value(type) : "average marginal effect";
      size_t len = strlen(tm) + strlen(ty) + strlen(path) + 64;
      if ((out->source = attrib__malloc(len, 1)))
        snprintf(out->source, len, "the average marginal effect of %s (%s) from %s", tm, ty, path);
      else s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    }
  }
  json_decref(root);
  return s;
}

void attrib_roi_effect_file_free(attrib_roi_effect_file *f) {
  if (!f) return;
  attrib__free(f->source);
  f->source = NULL;
}
