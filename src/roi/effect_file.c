/*
 * The effect of an estimator's JSON result, for ROI (include/attrib/roi.h,
 * attrib_roi_read_effect). Moved from the CLI: reading a result file is the
 * library's, so that any front end gets the same rule for logit/probit fits
 * (issue 12, defect 7: a log-odds coefficient is not a change in the KPI),
 * for a file of several outcomes (its top-level effect, where it has one,
 * is the first outcome's: taking it unasked would value the wrong KPI) and
 * for a file's subgroups (by), each of which gets its own ROI (issue 18).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <attrib/by.h>
#include <attrib/roi.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"

static const char *str_of(const json_t *o, const char *key) {
  json_t *v = o ? json_object_get(o, key) : NULL;
  return v && json_is_string(v) ? json_string_value(v) : NULL;
}

/* a number, or NaN when absent or null (the writers' NaN) */
static double num_of(const json_t *o, const char *key) {
  json_t *v = o ? json_object_get(o, key) : NULL;
  return v && json_is_number(v) ? json_number_value(v) : NAN;
}

/* "a, b, c": the outcomes' names for a message, cut short to fit */
static void outcome_names(const json_t *outs, char *buf, size_t cap) {
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < json_array_size(outs) && n + 1 < cap; i++) {
    const char *nm = str_of(json_array_get(outs, i), "outcome");
    int w = snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", nm ? nm : "?");
    if (w < 0) break;
    n += (size_t)w;
  }
}

/* The object holding the effect: the root, or with an outcomes list the
 * outcome asked for (or the only one). */
static attrib_status pick_outcome(const char *path, json_t *root, const char *outcome, json_t **holder,
                                  attrib_roi_effect_file *out, attrib_error *err) {
  json_t *outs = json_object_get(root, "outcomes");
  *holder = root;
  if (!outs || !json_is_array(outs) || json_array_size(outs) == 0) {
    if (!outcome) return ATTRIB_OK;
    const char *own = str_of(root, "response");
    if (!own) own = str_of(root, "outcome");
    if (own && !strcmp(own, outcome)) return ATTRIB_OK;
    return attrib__fail(err, ATTRIB_EINVAL,
                        "%s is a fit of one outcome (%s), with no outcomes list: roi.outcome picks one of a "
                        "several-outcome fit's",
                        path, own ? own : "not named");
  }
  char names[512];
  outcome_names(outs, names, sizeof names);
  size_t n = json_array_size(outs), pick = n;
  if (!outcome) {
    if (n > 1)
      return attrib__fail(err, ATTRIB_EINVAL, "%s holds %zu outcomes (%s): name the one to value with roi.outcome",
                          path, n, names);
    pick = 0;
  } else {
    for (size_t i = 0; i < n && pick == n; i++) {
      const char *nm = str_of(json_array_get(outs, i), "outcome");
      if (nm && !strcmp(nm, outcome)) pick = i;
    }
    if (pick == n)
      return attrib__fail(err, ATTRIB_EINVAL, "%s has no outcome '%s' (its outcomes: %s)", path, outcome, names);
  }
  *holder = json_array_get(outs, pick);
  const char *nm = str_of(*holder, "outcome");
  if (!nm) return attrib__fail(err, ATTRIB_EPARSE, "%s: outcomes[%zu] has no outcome name", path, pick);
  size_t len = strlen(nm) + strlen(path) + 32;
  out->outcome = attrib__strdup(nm);
  out->source = attrib__malloc(len, 1);
  if (!out->outcome || !out->source) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  snprintf(out->source, len, "the effect on %s from %s", nm, path);
  return ATTRIB_OK;
}

/* by: {column, df, groups: [{level, n, n_treated?, effect {estimate, std_error, ci_low, ci_high}}]} */
static attrib_status read_by(const char *path, const json_t *root, const json_t *by, attrib_roi_effect_file *out,
                             attrib_error *err) {
  const char *column = str_of(by, "column");
  json_t *groups = json_object_get(by, "groups");
  size_t G = groups && json_is_array(groups) ? json_array_size(groups) : 0;
  if (!column || G == 0 || G > ATTRIB_BY_MAX_LEVELS)
    return attrib__fail(err, ATTRIB_EPARSE, "%s: by is not a subgroup result (a column and 1 to %d groups)", path,
                        ATTRIB_BY_MAX_LEVELS);
  attrib_by_result *b = NULL;
  attrib_status s = attrib__by_alloc(&b, column, G, err);
  if (s) return s;
  /* the fit's interval level: ols writes it at the top, psm and did in the effect */
  double level = num_of(root, "level");
  if (!(level > 0 && level < 1)) level = num_of(json_object_get(root, "effect"), "level");
  b->level = level > 0 && level < 1 ? level : 0.95;
  double df = num_of(by, "df");
  b->df = df > 0 ? df : INFINITY;
  for (size_t g = 0; g < G && !s; g++) {
    json_t *e = json_array_get(groups, g), *eff = json_object_get(e, "effect");
    json_t *n = json_object_get(e, "n"), *nt = json_object_get(e, "n_treated"), *nc = json_object_get(e, "n_control");
    const char *lv = str_of(e, "level");
    json_t *est = eff ? json_object_get(eff, "estimate") : NULL;
    if (!lv || !est || !json_is_number(est) || !n || !json_is_integer(n) || json_integer_value(n) < 0) {
      s = attrib__fail(err, ATTRIB_EPARSE, "%s: by.groups[%zu] needs a level, n and effect.estimate", path, g);
      break;
    }
    for (size_t h = 0; h < g; h++)
      if (!strcmp(b->groups[h].level, lv)) {
        s = attrib__fail(err, ATTRIB_EPARSE, "%s: by.groups: level '%s' appears twice", path, lv);
        break;
      }
    if (s) break;
    attrib_by_group *gr = &b->groups[g];
    if (!(gr->level = attrib__strdup(lv))) s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    gr->n = (size_t)json_integer_value(n);
    if (nt && json_is_integer(nt) && json_integer_value(nt) >= 0) gr->n_treated = (size_t)json_integer_value(nt);
    if (nc && json_is_integer(nc) && json_integer_value(nc) >= 0) gr->n_control = (size_t)json_integer_value(nc);
    gr->effect.estimate = json_number_value(est);
    gr->effect.std_error = num_of(eff, "std_error");
    gr->effect.ci_low = num_of(eff, "ci_low");
    gr->effect.ci_high = num_of(eff, "ci_high");
    gr->effect.statistic = num_of(eff, "statistic");
    gr->effect.p_value = num_of(eff, "p_value");
  }
  if (s) {
    attrib_by_result_free(b);
    return s;
  }
  out->by = b;
  return ATTRIB_OK;
}

/* The effect (and its SE) from holder: a linear fit's effect, a binary
 * fit's average marginal effect, or the refusal with the reason. */
static attrib_status read_estimate(const char *path, const json_t *root, const json_t *holder, int binary,
                                   attrib_roi_effect_file *out, attrib_error *err) {
  json_t *link = json_object_get(root, "link");
  json_t *e = binary ? json_object_get(holder, "average_marginal_effect") : json_object_get(holder, "effect");
  json_t *est = e ? json_object_get(e, "estimate") : NULL, *se = e ? json_object_get(e, "std_error") : NULL;
  if (binary && (!est || !json_is_number(est))) {
    json_t *why = e ? json_object_get(e, "reason") : NULL;
    const char *lk = link && json_is_string(link) ? json_string_value(link) : "logit";
    const char *scale = !strcmp(lk, "probit") ? "probit" : "log-odds";
    if (why && json_is_string(why))
      return attrib__fail(err, ATTRIB_EPARSE,
                          "%s: a %s fit's effect is a coefficient on the %s scale, not a change in the KPI, and its "
                          "average marginal effect is not available: %s",
                          path, lk, scale, json_string_value(why));
    return attrib__fail(err, ATTRIB_EPARSE,
                        "%s: a %s fit's effect is a coefficient on the %s scale, not a change in the KPI, and the "
                        "file has no average_marginal_effect (fit it with logit.treat TERM, or give roi.effect on the "
                        "KPI's scale)",
                        path, lk, scale);
  }
  if (!est || !json_is_number(est))
    return attrib__fail(err, ATTRIB_EPARSE,
                        "%s: no effect.estimate (expected the JSON of an estimate: did, psm, or a fit with ols.treat)",
                        path);
  out->effect = json_number_value(est);
  if (se && json_is_number(se)) out->se = json_number_value(se);
  out->binary = binary;
  if (binary) {
    json_t *term = json_object_get(e, "term"), *type = json_object_get(e, "type");
    const char *tm = term && json_is_string(term) ? json_string_value(term) : "the treatment";
    const char *ty = type && json_is_string(type) ? json_string_value(type) : "average marginal effect";
    size_t len = strlen(tm) + strlen(ty) + strlen(path) + 64;
    attrib__free(out->source);
    if (!(out->source = attrib__malloc(len, 1))) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    snprintf(out->source, len, "the average marginal effect of %s (%s) from %s", tm, ty, path);
  }
  return ATTRIB_OK;
}

attrib_status attrib_roi_read_effect(const char *path, const char *outcome, attrib_roi_effect_file *out,
                                     attrib_error *err) {
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
  json_t *holder = NULL, *by = json_object_get(root, "by");
  attrib_status s = pick_outcome(path, root, outcome, &holder, out, err);
  if (!s) s = read_estimate(path, root, holder, binary, out, err);
  if (!s && by && !json_is_null(by)) {
    if (binary) /* its groups' effects would be coefficients on the link's scale */
      s = attrib__fail(err, ATTRIB_EPARSE, "%s: the subgroups of a logit/probit fit are not changes in the KPI", path);
    else
      s = read_by(path, root, by, out, err);
  }
  json_decref(root);
  if (s) attrib_roi_effect_file_free(out);
  return s;
}

void attrib_roi_effect_file_free(attrib_roi_effect_file *f) {
  if (!f) return;
  attrib__free(f->source);
  attrib__free(f->outcome);
  attrib_by_result_free(f->by);
  f->source = f->outcome = NULL;
  f->by = NULL;
}
