/* Pieces every regression-like writer shares. */
#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

json_t *attrib__json_strings(char *const *s, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < n; i++)
    if (json_array_append_new(a, json_string(s[i])) != 0) {
      json_decref(a);
      return NULL;
    }
  return a;
}

json_t *attrib__json_coefs(const attrib_coef_table *t) {
  json_t *a = json_array();
  int ok = a != NULL;
  for (size_t j = 0; ok && j < t->k; j++) {
    json_t *o = json_object();
    if (!o || json_array_append_new(a, o) != 0) {
      ok = 0;
      break;
    }
    attrib__json_set(o, "term", json_string(t->term[j]), &ok);
    attrib__json_set(o, "estimate", attrib__json_num(t->estimate[j]), &ok);
    attrib__json_set(o, "std_error", attrib__json_num(t->std_error[j]), &ok);
    attrib__json_set(o, "statistic", attrib__json_num(t->statistic[j]), &ok);
    attrib__json_set(o, "p_value", attrib__json_num(t->p_value[j]), &ok);
    attrib__json_set(o, "ci_low", attrib__json_num(t->ci_low[j]), &ok);
    attrib__json_set(o, "ci_high", attrib__json_num(t->ci_high[j]), &ok);
    if (t->aliased[j]) attrib__json_set(o, "aliased", json_true(), &ok);
  }
  if (!ok) {
    json_decref(a);
    return NULL;
  }
  return a;
}

json_t *attrib__json_effect(const attrib_effect *e) {
  int ok = 1;
  json_t *o = json_object();
  if (!o) return NULL;
  attrib__json_set(o, "term", json_string(e->term ? e->term : ""), &ok);
  attrib__json_set(o, "estimate", attrib__json_num(e->estimate), &ok);
  attrib__json_set(o, "std_error", attrib__json_num(e->std_error), &ok);
  attrib__json_set(o, "statistic", attrib__json_num(e->statistic), &ok);
  attrib__json_set(o, "p_value", attrib__json_num(e->p_value), &ok);
  attrib__json_set(o, "ci_low", attrib__json_num(e->ci_low), &ok);
  attrib__json_set(o, "ci_high", attrib__json_num(e->ci_high), &ok);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

void attrib__fmt_p(char *buf, size_t size, double p) {
  if (isnan(p)) snprintf(buf, size, "NA");
  else if (p < 2.2e-16) snprintf(buf, size, "< 2.2e-16");
  else if (p < 1e-4) snprintf(buf, size, "%.2e", p);
  else snprintf(buf, size, "%.4f", p);
}

static const char *stars(double p) {
  if (isnan(p)) return "";
  return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : "";
}

int attrib__text_coefs(FILE *out, const attrib_coef_table *t, const char *stat_name, double level) {
  size_t w = 11;
  for (size_t j = 0; j < t->k; j++) {
    size_t l = strlen(t->term[j]);
    if (l > w) w = l;
  }
  if (w > 40) w = 40; /* the column's width; a longer name is printed whole, past it */
  char lo[32], hi[32];
  snprintf(lo, sizeof lo, "%.4g%%", 100.0 * (1.0 - level) / 2.0);
  snprintf(hi, sizeof hi, "%.4g%%", 100.0 * (1.0 + level) / 2.0);
  int bad = fprintf(out, "%-*s %12s %12s %9s %10s     %12s %12s\n", (int)w, "", "Estimate", "Std. Error",
                    stat_name, stat_name[0] == 't' ? "Pr(>|t|)" : "Pr(>|z|)", lo, hi) < 0;
  for (size_t j = 0; !bad && j < t->k; j++) {
    if (t->aliased[j]) {
      bad |= fprintf(out, "%-*s %12s   (dropped: collinear)\n", (int)w, t->term[j], "NA") < 0;
      continue;
    }
    char p[32];
    attrib__fmt_p(p, sizeof p, t->p_value[j]);
    bad |= fprintf(out, "%-*s %12.6g %12.6g %9.3f %10s %-4s %12.6g %12.6g\n", (int)w, t->term[j],
                   t->estimate[j], t->std_error[j], t->statistic[j], p, stars(t->p_value[j]), t->ci_low[j],
                   t->ci_high[j]) < 0;
  }
  bad |= fputs("---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n", out) < 0;
  return bad;
}

int attrib__csv_coefs(FILE *out, const attrib_coef_table *t) {
  int bad = fputs("term,estimate,std_error,statistic,p_value,ci_low,ci_high,aliased\n", out) < 0;
  for (size_t j = 0; !bad && j < t->k; j++) {
    bad |= attrib__csv_field(out, t->term[j]) != 0;
    double v[6] = {t->estimate[j], t->std_error[j], t->statistic[j], t->p_value[j], t->ci_low[j], t->ci_high[j]};
    for (int q = 0; q < 6; q++) bad |= (isfinite(v[q]) ? fprintf(out, ",%.17g", v[q]) : fprintf(out, ",")) < 0;
    bad |= fprintf(out, ",%s\n", t->aliased[j] ? "true" : "false") < 0;
  }
  return bad;
}

json_t *attrib__json_vcov(attrib_vcov_type type, char *const *names, const size_t *counts, size_t dims,
                          int psd_fixed, double df) {
  int ok = 1;
  json_t *o = json_object();
  if (!o) return NULL;
  attrib__json_set(o, "type", json_string(attrib_vcov_type_name(type)), &ok);
  if (type == ATTRIB_VCOV_CLUSTER) {
    json_t *cl = json_array();
    attrib__json_set(o, "clusters", cl, &ok);
    for (size_t c = 0; ok && c < dims; c++) {
      json_t *e = json_object();
      if (!e || json_array_append_new(cl, e)) {
        ok = 0;
        break;
      }
      attrib__json_set(e, "name", json_string(names[c]), &ok);
      attrib__json_set(e, "n", json_integer((json_int_t)counts[c]), &ok);
    }
    attrib__json_set(o, "small_sample", json_string("CR1"), &ok);
    if (psd_fixed >= 0) attrib__json_set(o, "psd_fixed", json_boolean(psd_fixed), &ok);
  }
  if (!isnan(df)) attrib__json_set(o, "df", attrib__json_num(df), &ok);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

int attrib__text_vcov(FILE *out, attrib_vcov_type type, char *const *names, const size_t *counts, size_t dims,
                      const char *iid_name, const char *tail) {
  int bad = 0;
  if (type == ATTRIB_VCOV_CLUSTER) {
    bad |= fputs("Standard errors: clustered by", out) < 0;
    for (size_t c = 0; c < dims; c++)
      bad |= fprintf(out, "%s %s (%zu clusters)", c ? " and" : "", names[c], counts[c]) < 0;
    bad |= fprintf(out, ", CR1; %s\n", tail) < 0;
  } else {
    bad |= fprintf(out, "Standard errors: %s; %s\n", type == ATTRIB_VCOV_IID ? iid_name : attrib_vcov_type_name(type),
                   tail) < 0;
  }
  return bad;
}

int attrib__text_dropped_warnings(FILE *out, char *const *dropped, size_t n_dropped, char *const *warnings,
                                  size_t n_warnings) {
  int bad = 0;
  if (n_dropped) {
    bad |= fputs("Dropped as constant or collinear:", out) < 0;
    for (size_t i = 0; i < n_dropped; i++) bad |= fprintf(out, "%s %s", i ? "," : "", dropped[i]) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  for (size_t i = 0; i < n_warnings; i++) bad |= fprintf(out, "Warning: %s\n", warnings[i]) < 0;
  return bad;
}

int attrib__text_effect(FILE *out, const char *label, const attrib_effect *e, double level) {
  char p[32];
  attrib__fmt_p(p, sizeof p, e->p_value);
  return fprintf(out, "%s: %.6g (SE %.6g), %g%% CI [%.6g, %.6g], p = %s", label, e->estimate, e->std_error,
                 100.0 * level, e->ci_low, e->ci_high, p) < 0;
}

int attrib__text_outcomes(FILE *out, const attrib__outcome_row *rows, size_t n, double level, const char *stat_name,
                          const char *p_name) {
  size_t w = 7;
  for (size_t j = 0; j < n; j++) w = strlen(rows[j].outcome) > w ? strlen(rows[j].outcome) : w;
  if (w > 40) w = 40;
  char lo[32], hi[32];
  snprintf(lo, sizeof lo, "%.3g%%", 50.0 * (1.0 - level));
  snprintf(hi, sizeof hi, "%.3g%%", 100.0 - 50.0 * (1.0 - level));
  int bad = fprintf(out, "%-*s %12s %12s %9s %10s %10s %10s %11s %12s %12s\n", (int)w, "outcome", "Estimate",
                    "Std. Error", stat_name, p_name, "Bonferroni", "Holm", "Romano-Wolf", lo, hi) < 0;
  for (size_t j = 0; j < n; j++) {
    const attrib_effect *e = rows[j].effect;
    char p[4][32];
    attrib__fmt_p(p[0], sizeof p[0], e->p_value);
    attrib__fmt_p(p[1], sizeof p[1], rows[j].p_bonferroni);
    attrib__fmt_p(p[2], sizeof p[2], rows[j].p_holm);
    attrib__fmt_p(p[3], sizeof p[3], rows[j].p_romano_wolf);
    bad |= fprintf(out, "%-*s %12.6g %12.6g %9.3f %10s %10s %10s %11s %12.6g %12.6g\n", (int)w, rows[j].outcome,
                   e->estimate, e->std_error, e->statistic, p[0], p[1], p[2], p[3], e->ci_low, e->ci_high) < 0;
  }
  return bad;
}

json_t *attrib__json_outcome_effect(const attrib__outcome_row *row) {
  json_t *e = attrib__json_effect(row->effect);
  int ok = e != NULL;
  attrib__json_set(e, "p_bonferroni", attrib__json_num(row->p_bonferroni), &ok);
  attrib__json_set(e, "p_holm", attrib__json_num(row->p_holm), &ok);
  attrib__json_set(e, "p_romano_wolf", attrib__json_num(row->p_romano_wolf), &ok);
  if (!ok) {
    json_decref(e);
    return NULL;
  }
  return e;
}
