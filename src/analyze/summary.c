/*
 * What the one-pager shows beside the estimates (docs/methods/analyze.md,
 * "The one-pager"; issue 16): the four-tier funnel (adoption, engagement,
 * competency as shares of the eligible learners, leading to the business
 * impact, the estimated effect), the cohort lines (the outcome's mean by
 * period for each rollout cohort and the never treated; a cross-section's
 * before and after by arm) and the headline's words and figures. Every
 * number here is plain counting and averaging over the loaded table, so a
 * test can recompute it with awk.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_internal.h"

static const char *const tier_names[3] = {"enrolled", "completed", "certified"};
static const char *const tier_kinds[3] = {"adoption", "engagement", "competency"};

/* ---- options ------------------------------------------------------------ */

static const struct {
  const char *name;
  double per_year;
} periods[] = {{"day", 365}, {"week", 52}, {"month", 12}, {"quarter", 4}, {"year", 1}};

double attrib__analyze_periods_per_year(const attrib_analyze_options *o) {
  if (o->roi.periods_per_year > 0) return o->roi.periods_per_year;
  for (size_t k = 0; o->period && k < sizeof periods / sizeof periods[0]; k++)
    if (!strcmp(o->period, periods[k].name)) return periods[k].per_year;
  return 0;
}

/* One "name=COL" item of the funnel text: its tier (0..2) and column
 * (attrib__malloc'd). The list is split at commas; a column name cannot
 * hold one here. */
typedef struct funnel_item {
  int tier;
  char *column;
} funnel_item;

static void items_free(funnel_item *it, size_t n) {
  for (size_t k = 0; k < n; k++) attrib__free(it[k].column);
}

static attrib_status parse_funnel(const char *text, funnel_item it[3], size_t *n, attrib_error *err) {
  *n = 0;
  const char *p = text;
  while (1) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    const char *eq = memchr(p, '=', len);
    int tier = -1;
    for (int k = 0; eq && k < 3; k++)
      if ((size_t)(eq - p) == strlen(tier_names[k]) && !memcmp(p, tier_names[k], (size_t)(eq - p))) tier = k;
    if (!eq || eq + 1 == p + len || tier < 0) {
      items_free(it, *n);
      return attrib__fail(err, ATTRIB_EINVAL,
                          "analyze.funnel: '%.*s' is not TIER=COLUMN with TIER one of enrolled, completed, certified",
                          (int)(len > 200 ? 200 : len), p);
    }
    if (*n && it[*n - 1].tier >= tier) {
      items_free(it, *n);
      return attrib__fail(err, ATTRIB_EINVAL,
                          "analyze.funnel: the tiers must be given once each, in the order enrolled, completed, certified "
                          "('%s' comes after '%s')", tier_names[tier], tier_names[it[*n - 1].tier]);
    }
    size_t cl = len - (size_t)(eq + 1 - p);
    char *col = attrib__malloc(cl + 1, 1);
    if (!col) {
      items_free(it, *n);
      return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    }
    memcpy(col, eq + 1, cl);
    col[cl] = '\0';
    it[(*n)++] = (funnel_item){tier, col};
    if (!end) break;
    p = end + 1;
  }
  return ATTRIB_OK;
}

/* a numeric column coded 0/1 (empty allowed) */
static attrib_status check_binary(const attrib_table *t, const char *name, const char *role, attrib_error *err) {
  size_t j;
  ATTRIB__TRY(attrib_table_column_require(t, name, role, &j, err));
  const attrib_column *c = &t->cols[j];
  if (c->type != ATTRIB_COLUMN_NUMERIC)
    return attrib__fail(err, ATTRIB_ETYPE, "analyze.funnel: column '%s' must be coded 0/1; it holds text (line %zu: '%s')",
                        name, c->first_text_line, c->first_text ? c->first_text : "");
  for (size_t i = 0; i < t->n_rows; i++) {
    double v = c->values[i];
    if (!isnan(v) && v != 0.0 && v != 1.0)
      return attrib__fail(err, ATTRIB_ETYPE, "analyze.funnel: column '%s' must be coded 0/1; data row %zu has %g", name,
                          i + 1, v);
  }
  return ATTRIB_OK;
}

attrib_status attrib__analyze_check_summary(const attrib_table *t, const attrib_analyze_options *o, attrib_error *err) {
  if (o->currency) {
    size_t n = strlen(o->currency);
    int ctl = 0;
    for (const unsigned char *c = (const unsigned char *)o->currency; *c; c++) ctl |= *c < 0x20 || *c == 0x7F;
    if (!n || n > 8 || ctl)
      return attrib__fail(err, ATTRIB_EINVAL,
                          "analyze.currency must be a code such as USD, EUR, GBP or a symbol of at most 8 bytes");
  }
  if (o->kpi_unit && strlen(o->kpi_unit) > 200)
    return attrib__fail(err, ATTRIB_EINVAL, "analyze.kpi_unit must be at most 200 bytes");
  if (o->period) {
    size_t k = 0;
    while (k < sizeof periods / sizeof periods[0] && strcmp(o->period, periods[k].name)) k++;
    if (k == sizeof periods / sizeof periods[0])
      return attrib__fail(err, ATTRIB_EINVAL, "analyze.period must be day, week, month, quarter or year, got '%.64s'",
                          o->period);
  }
  if (o->baseline) {
    size_t j;
    if (o->unit) return attrib__fail(err, ATTRIB_EINVAL, "analyze.baseline is for a cross-section (a panel has its periods)");
    ATTRIB__TRY(attrib_table_column_require(t, o->baseline, "baseline", &j, err));
    if (t->cols[j].type != ATTRIB_COLUMN_NUMERIC)
      return attrib__fail(err, ATTRIB_ETYPE, "analyze.baseline: column '%s' must be numeric; it holds text (line %zu: '%s')",
                          o->baseline, t->cols[j].first_text_line, t->cols[j].first_text ? t->cols[j].first_text : "");
  }
  if (o->funnel) {
    funnel_item it[3];
    size_t n;
    ATTRIB__TRY(parse_funnel(o->funnel, it, &n, err));
    attrib_status s = ATTRIB_OK;
    for (size_t k = 0; k < n && !s; k++) s = check_binary(t, it[k].column, tier_names[it[k].tier], err);
    items_free(it, n);
    return s;
  }
  return ATTRIB_OK;
}

/* ---- the funnel ------------------------------------------------------------ */

void attrib__analyze_summary_free(attrib_analyze_result *r) {
  for (size_t k = 0; k < r->funnel.n_tiers; k++) attrib__free(r->funnel.tiers[k].column);
  attrib_analyze_cohort_lines *cl = &r->cohort_lines;
  for (size_t k = 0; cl->lines && k < cl->n_lines; k++)
    attrib__free(cl->lines[k].label), attrib__free(cl->lines[k].mean), attrib__free(cl->lines[k].n);
  attrib__free(cl->lines);
  attrib__free(cl->points);
  memset(&r->funnel, 0, sizeof r->funnel);
  memset(cl, 0, sizeof *cl);
}

static double share(size_t a, size_t b) { return b ? (double)a / (double)b : NAN; }

/* Learners and their arms: a cross-section's rows with a treatment value
 * 0/1, or a panel's learners (treated = first treated within the panel);
 * a tier's value per learner: 1 when the column is 1 (a panel: in any
 * period), missing when it has no value (a panel: in no period). */
static attrib_status run_funnel(const attrib_table *t, const attrib_analyze_options *o, const attrib__analyze_panel_data *P,
                                attrib_analyze_funnel *f, attrib_error *err) {
  funnel_item it[3];
  size_t n;
  ATTRIB__TRY(parse_funnel(o->funnel, it, &n, err));
  const double *d = t->cols[attrib_table_column_find(t, o->treat)].values;
  size_t nu = P ? P->n_units : t->n_rows;
  signed char *arm = attrib__malloc(nu ? nu : 1, 1), *at = attrib__malloc(nu ? nu : 1, 1);
  if (!arm || !at) {
    attrib__free(arm), attrib__free(at), items_free(it, n);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t k = 0; k < nu; k++)
    arm[k] = P ? (P->unit_cohort[k] > 0) : d[k] == 1.0 ? 1 : d[k] == 0.0 ? 0 : -1;
  for (size_t k = 0; k < nu; k++)
    if (arm[k] >= 0) f->n_eligible++, f->n_treated += arm[k] == 1;
  f->n_control = f->n_eligible - f->n_treated;
  for (size_t q = 0; q < n; q++) {
    attrib_analyze_funnel_tier *x = &f->tiers[q];
    const double *v = t->cols[attrib_table_column_find(t, it[q].column)].values;
    x->name = tier_names[it[q].tier], x->tier = tier_kinds[it[q].tier], x->column = it[q].column;
    it[q].column = NULL;
    f->n_tiers = q + 1;
    memset(at, -1, nu); /* -1 missing, 0, 1 */
    for (size_t i = 0; i < t->n_rows; i++) {
      size_t k = P ? P->row_unit[i] : i;
      if (!isnan(v[i]) && at[k] < 1) at[k] = (signed char)v[i];
    }
    for (size_t k = 0; k < nu; k++) {
      if (arm[k] < 0) continue;
      x->n_missing += at[k] < 0;
      if (at[k] == 1) x->n++, x->n_treated += arm[k] == 1;
    }
    x->n_control = x->n - x->n_treated;
    x->share = share(x->n, f->n_eligible);
    x->share_treated = share(x->n_treated, f->n_treated);
    x->share_control = share(x->n_control, f->n_control);
    x->share_of_previous = q ? share(x->n, f->tiers[q - 1].n) : NAN;
  }
  attrib__free(arm), attrib__free(at);
  items_free(it, n);
  return ATTRIB_OK;
}

/* ---- the cohort lines ---------------------------------------------------------- */

static attrib_status new_lines(attrib_analyze_cohort_lines *cl, size_t n_lines, size_t n_points, attrib_error *err) {
  cl->lines = attrib__calloc(n_lines ? n_lines : 1, sizeof *cl->lines);
  cl->points = attrib__malloc(n_points ? n_points : 1, sizeof *cl->points);
  if (!cl->lines || !cl->points) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  cl->n_lines = n_lines, cl->n_points = n_points;
  for (size_t k = 0; k < n_lines; k++) {
    cl->lines[k].mean = attrib__calloc(n_points ? n_points : 1, sizeof *cl->lines[k].mean);
    cl->lines[k].n = attrib__calloc(n_points ? n_points : 1, sizeof *cl->lines[k].n);
    if (!cl->lines[k].mean || !cl->lines[k].n) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  return ATTRIB_OK;
}

/* sums to means (NaN where no learner has the outcome) */
static void finish_means(attrib_analyze_cohort_lines *cl) {
  for (size_t k = 0; k < cl->n_lines; k++)
    for (size_t p = 0; p < cl->n_points; p++)
      cl->lines[k].mean[p] = cl->lines[k].n[p] ? cl->lines[k].mean[p] / (double)cl->lines[k].n[p] : NAN;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* every learner by first treated period within the panel (never first),
 * the mean over the learners with the outcome in each period */
static attrib_status panel_lines(const attrib_table *t, const attrib_analyze_options *o, const attrib__analyze_panel_data *P,
                                 attrib_analyze_cohort_lines *cl, attrib_error *err) {
  double *g = attrib__malloc(P->n_units + 1, sizeof *g);
  if (!g) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  size_t m = 0;
  g[m++] = 0.0; /* the never treated, always a line (check_panel: there are some) */
  for (size_t k = 0; k < P->n_units; k++) g[m++] = P->unit_cohort[k];
  qsort(g, m, sizeof *g, cmp_double);
  size_t nd = 0;
  for (size_t i = 0; i < m; i++)
    if (!nd || g[i] != g[nd - 1]) g[nd++] = g[i];
  cl->kind = 1;
  attrib_status s = new_lines(cl, nd, P->n_periods, err);
  if (!s) {
    memcpy(cl->points, P->periods, P->n_periods * sizeof *cl->points);
    for (size_t k = 0; k < nd && !s; k++) {
      attrib_analyze_cohort_line *l = &cl->lines[k];
      l->cohort = g[k], l->start = g[k] > 0 ? g[k] : NAN;
      l->label = g[k] > 0 ? attrib__analyze_printf("trained from period %g", g[k]) : attrib__strdup("never trained");
      if (!l->label) s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    }
  }
  if (!s) {
    for (size_t k = 0; k < P->n_units; k++) {
      double *at = bsearch(&P->unit_cohort[k], g, nd, sizeof *g, cmp_double);
      cl->lines[at - g].n_units++;
    }
    const double *y = t->cols[attrib_table_column_find(t, o->outcome)].values;
    const double *tv = t->cols[attrib_table_column_find(t, o->time)].values;
    for (size_t i = 0; i < t->n_rows; i++) {
      if (isnan(y[i])) continue;
      double *line = bsearch(&P->unit_cohort[P->row_unit[i]], g, nd, sizeof *g, cmp_double);
      double *pt = bsearch(&tv[i], cl->points, cl->n_points, sizeof *cl->points, cmp_double);
      attrib_analyze_cohort_line *l = &cl->lines[line - g];
      l->mean[pt - cl->points] += y[i], l->n[pt - cl->points]++;
    }
    finish_means(cl);
  }
  attrib__free(g);
  return s;
}

/* a cross-section with a baseline column: the rows with a treatment value,
 * the baseline and the outcome; trained then not trained, before and after */
static attrib_status before_after(const attrib_table *t, const attrib_analyze_options *o, attrib_analyze_cohort_lines *cl,
                                  attrib_error *err) {
  cl->kind = 2;
  ATTRIB__TRY(new_lines(cl, 2, 2, err));
  cl->points[0] = 0, cl->points[1] = 1;
  const double *y = t->cols[attrib_table_column_find(t, o->outcome)].values;
  const double *b = t->cols[attrib_table_column_find(t, o->baseline)].values;
  const double *d = t->cols[attrib_table_column_find(t, o->treat)].values;
  for (int k = 0; k < 2; k++) {
    cl->lines[k].cohort = 1 - k, cl->lines[k].start = NAN;
    if (!(cl->lines[k].label = attrib__strdup(k ? "not trained" : "trained")))
      return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < t->n_rows; i++) {
    if (isnan(y[i]) || isnan(b[i]) || (d[i] != 0.0 && d[i] != 1.0)) continue;
    attrib_analyze_cohort_line *l = &cl->lines[d[i] == 1.0 ? 0 : 1];
    l->n_units++;
    l->mean[0] += b[i], l->mean[1] += y[i], l->n[0]++, l->n[1]++;
  }
  finish_means(cl);
  return ATTRIB_OK;
}

attrib_status attrib__analyze_summary(const attrib_table *t, const attrib_analyze_options *o,
                                      const attrib__analyze_panel_data *P, attrib_analyze_result *r, attrib_error *err) {
  if (o->funnel) ATTRIB__TRY(run_funnel(t, o, P, &r->funnel, err));
  if (P) return panel_lines(t, o, P, &r->cohort_lines, err);
  if (o->baseline) return before_after(t, o, &r->cohort_lines, err);
  return ATTRIB_OK;
}
