/*
 * The analyze result in an executive's words (issue 16), shared by the
 * JSON, text, HTML and Markdown writers so the four say the same thing:
 * money with a currency and thousands separators, the estimands and
 * methods in plain language, the headline sentence (never a bare point
 * ROI as the finding when its interval spans zero or a check failed) and
 * the quick-card's numbers.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

void attrib__fmt_grouped(char *buf, size_t size, double v, int decimals) {
  if (!isfinite(v)) {
    snprintf(buf, size, "%s", isnan(v) ? "n/a" : v > 0 ? "never" : "-inf");
    return;
  }
  char raw[400];
  snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
  if (!strcmp(raw, "0") || strspn(raw, "0.") == strlen(raw)) v = 0; /* no "-0" */
  const char *dot = strchr(raw, '.');
  size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
  if (v < 0 && o + 1 < size) buf[o++] = '-';
  for (size_t i = 0; i < ilen && o + 1 < size; i++) {
    buf[o++] = raw[i];
    if ((ilen - i - 1) % 3 == 0 && i + 1 < ilen && o + 1 < size) buf[o++] = ',';
  }
  for (const char *p = dot; p && *p && o + 1 < size; p++) buf[o++] = *p;
  buf[o] = '\0';
}

/* "$", "€", "£", "¥" for their codes; another code is written before the
 * number with a space ("CHF 1,200"), a symbol without one */
static const char *currency_symbol(const char *c, int *space) {
  static const char *const map[][2] = {{"USD", "$"}, {"EUR", "\xe2\x82\xac"}, {"GBP", "\xc2\xa3"}, {"JPY", "\xc2\xa5"},
                                       {"CNY", "\xc2\xa5"}, {"INR", "\xe2\x82\xb9"}};
  *space = 0;
  if (!c || !*c) return "";
  for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
    if (!strcmp(c, map[k][0])) return map[k][1];
  *space = strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && c[2] >= 'A' && c[2] <= 'Z';
  return c;
}

void attrib__fmt_money(char *buf, size_t size, double v, const char *currency) {
  char num[420];
  attrib__fmt_grouped(num, sizeof num, fabs(v), fabs(v) >= 1000 || v == floor(v) ? 0 : 2);
  int space;
  const char *sym = currency_symbol(currency, &space);
  snprintf(buf, size, "%s%s%s%s", v < 0 && isfinite(v) ? "-" : "", sym, space ? " " : "", num);
}

const char *attrib__analyze_estimand_words(const attrib_analyze_method *m, int panel) {
  const char *x = m->method;
  if (!strcmp(x, "ols"))
    return panel ? "average effect on the trained learners' change in the KPI, comparing it with the untrained learners' "
                   "change after adjusting for their background"
                 : "average effect of training on a learner, from comparing trained and untrained learners with the "
                   "same background (regression adjustment)";
  if (!strcmp(x, "psm")) return "average effect on the trained learners, from matching each trained learner with similar untrained ones";
  if (!strcmp(x, "aipw"))
    return "average effect on the trained learners, from a model of who trains combined with a model of the KPI "
           "(right if either model is)";
  if (!strcmp(x, "did"))
    return "average effect on the trained learners, comparing each rollout cohort's change with the never-trained "
           "learners' change over the same periods";
  if (!strcmp(x, "sunab"))
    return "average effect on the trained learners, from an event study with one term per rollout cohort and period, "
           "never-trained learners as the comparison (a robustness check on the cohort-by-cohort estimate)";
  if (!strcmp(x, "imputation"))
    return "average effect on the trained learners, from predicting each trained period's KPI without training from "
           "the untrained periods (a robustness check on the cohort-by-cohort estimate)";
  return "average effect on the trained learners, from before-after changes against the untrained (one model for all "
         "periods)";
}

const char *attrib__analyze_method_title(const char *method) {
  if (!strcmp(method, "ols")) return "Regression adjustment";
  if (!strcmp(method, "psm")) return "Matching";
  if (!strcmp(method, "aipw")) return "Doubly robust";
  if (!strcmp(method, "did")) return "Difference in differences by cohort";
  if (!strcmp(method, "sunab")) return "Sun-Abraham event study";
  if (!strcmp(method, "imputation")) return "Imputation (Borusyak-Jaravel-Spiess)";
  return "Two-way fixed effects";
}

/* The break-even in money in one sentence (docs/methods/analyze.md,
 * "Honest parallel trends"); the reason when there is none. */
void attrib__analyze_honest_sentence(char *buf, size_t size, const attrib_analyze_result *r) {
  const attrib_honest_breakeven_result *b = &r->honest_breakeven;
  if (!r->honest) {
    snprintf(buf, size, "Honest parallel-trends bounds %s", r->honest_note ? r->honest_note : "not computed");
    return;
  }
  if (!r->has_honest_breakeven) {
    snprintf(buf, size, "Break-even in money %s", r->honest_breakeven_note ? r->honest_breakeven_note : "not computed");
    return;
  }
  /* above the break-even effect the ROI is positive (a positive value per unit) */
  const char *sign = r->honest->estimate >= b->effect ? "positive" : "negative";
  if (r->honest->restriction == ATTRIB_HONEST_SD) { /* smoothness: M bounds the change in slope, not a multiple */
    if (b->search == ATTRIB_HONEST_FOUND)
      snprintf(buf, size, "the ROI stays %s unless the post-rollout trend's slope changes by more than M = %.3g per "
                          "period squared (the robust %g%% set of the average post-period effect then reaches the "
                          "break-even effect %.4g)", sign, b->m, 100 * r->honest->level, b->effect);
    else if (b->search == ATTRIB_HONEST_NOT_AT_ZERO)
      snprintf(buf, size, "the ROI is not shown to stay %s even with a linear trend continued exactly (M = 0): the "
                          "robust %g%% set of the average post-period effect already includes the break-even effect %.4g",
               sign, 100 * r->honest->level, b->effect);
    else
      snprintf(buf, size, "the ROI stays %s even if the post-rollout trend's slope changes by M = %.3g per period "
                          "squared (the largest M searched)", sign, b->m);
    return;
  }
  if (b->search == ATTRIB_HONEST_FOUND)
    snprintf(buf, size, "the ROI stays %s unless post-rollout trends diverge by more than %.2gx the worst pre-rollout "
                        "divergence (Mbar = %.3g: the robust %g%% set of the average post-period effect then reaches "
                        "the break-even effect %.4g)", sign, b->m, b->m, 100 * r->honest->level, b->effect);
  else if (b->search == ATTRIB_HONEST_NOT_AT_ZERO)
    snprintf(buf, size, "the ROI is not shown to stay %s even with post-rollout trends exactly parallel (Mbar = 0): the "
                        "robust %g%% set of the average post-period effect already includes the break-even effect %.4g",
             sign, 100 * r->honest->level, b->effect);
  else
    snprintf(buf, size, "the ROI stays %s even if post-rollout trends diverge by %.3gx the worst pre-rollout divergence "
                        "(the largest Mbar searched)", sign, b->m);
}

/* "12 months", "12 periods" */
static void horizon_words(char *buf, size_t size, double h, const attrib_analyze_options *o) {
  snprintf(buf, size, "%g %s%s", h, o->period ? o->period : "period", h == 1 ? "" : "s");
}

/* payback in periods and, with periods per year, in months */
void attrib__analyze_payback_words(char *buf, size_t size, const attrib_analyze_result *r,
                                   const attrib_analyze_options *o) {
  double p = r->headline.payback_periods, ppy = r->headline.periods_per_year;
  if (isnan(p)) snprintf(buf, size, "n/a");
  else if (isinf(p)) snprintf(buf, size, "not within the horizon");
  else if (ppy > 0 && (!o->period || strcmp(o->period, "month")))
    snprintf(buf, size, "%.1f %s%s (%.1f months)", p, o->period ? o->period : "period", p == 1 ? "" : "s", 12 * p / ppy);
  else snprintf(buf, size, "%.1f %s%s", p, o->period ? o->period : "period", p == 1 ? "" : "s");
}

static const char *arm_treated(const attrib_analyze_result *r) {
  (void)r;
  return "trained learners";
}
static const char *arm_control(const attrib_analyze_result *r) {
  return r->design == ATTRIB_ANALYZE_CROSS_SECTION ? "untrained learners" : "never-trained learners";
}

const char *attrib__analyze_arm(const attrib_analyze_result *r, int treated) {
  return treated ? arm_treated(r) : arm_control(r);
}

char *attrib__analyze_headline_text(const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_analyze_headline *h = &r->headline;
  const attrib_analyze_method *pm = &r->methods[r->primary];
  const attrib_roi_result *x = r->roi;
  double pct = 100 * o->level;
  attrib__sbuf b = {0};
  char w1[128], w2[128], w3[128];
  attrib__sbuf_addf(&b, "%c%s: %s.", h->verdict_words[0] - 32, h->verdict_words + 1, h->reason);
  if (x) {
    horizon_words(w3, sizeof w3, h->horizon, o);
    if (h->roi_is_finding)
      attrib__sbuf_addf(&b, " ROI %.0f%% over %s (%g%% interval %.0f%% to %.0f%%; P(ROI > 0) = %.2f).", x->roi_pct, w3, pct,
                        x->roi_ci_low_pct, x->roi_ci_high_pct, x->prob_roi_positive);
    else if (x->has_interval)
      attrib__sbuf_addf(&b, " The ROI estimate of %.0f%% is not a finding: its %g%% interval runs from %.0f%% to %.0f%% "
                            "over %s (P(ROI > 0) = %.2f).", x->roi_pct, pct, x->roi_ci_low_pct, x->roi_ci_high_pct, w3,
                        x->prob_roi_positive);
    else
      attrib__sbuf_addf(&b, " The ROI is not a finding: it has no interval (estimate %.0f%% over %s).", x->roi_pct, w3);
    attrib__fmt_money(w1, sizeof w1, x->net_benefit, o->currency);
    attrib__sbuf_addf(&b, " Net benefit %s%s.", w1, h->roi_is_finding ? "" : " (estimate)");
  }
  attrib__sbuf_addf(&b, " Effect on %s: %+.4g", o->kpi_unit ? o->kpi_unit : o->outcome, pm->estimate);
  if (o->period && !o->kpi_unit) attrib__sbuf_addf(&b, " per %s", o->period);
  attrib__sbuf_addf(&b, " per learner (%g%% interval %.4g to %.4g).", pct, pm->ci_low, pm->ci_high);
  attrib__fmt_grouped(w1, sizeof w1, (double)r->n_treated, 0);
  attrib__fmt_grouped(w2, sizeof w2, (double)r->n_control, 0);
  attrib__sbuf_addf(&b, " %c%s vs %s, n = %s vs %s.", arm_treated(r)[0] - 32, arm_treated(r) + 1, arm_control(r), w1, w2);
  if (b.failed) {
    attrib__sbuf_free(&b);
    return NULL;
  }
  return b.s;
}

/* the weakest check: the first failed one, else the first caution, else the first */
static const attrib_analyze_check *weakest(const attrib_analyze_result *r) {
  static const char *const order[3] = {"fail", "caution", "pass"};
  for (int k = 0; k < 3; k++)
    for (size_t q = 0; q < r->n_checks; q++)
      if (!strcmp(r->checks[q].verdict, order[k])) return &r->checks[q];
  return NULL;
}

static attrib__card *card(attrib__card *c, size_t *n, const char *key, const char *label) {
  attrib__card *x = &c[(*n)++];
  memset(x, 0, sizeof *x);
  snprintf(x->key, sizeof x->key, "%s", key);
  snprintf(x->label, sizeof x->label, "%s", label);
  return x;
}

size_t attrib__analyze_cards(const attrib_analyze_result *r, const attrib_analyze_options *o, attrib__card *c) {
  size_t n = 0;
  char a[48], b[48], h[64];
  const attrib_analyze_method *pm = &r->methods[r->primary];
  size_t learners = r->n_treated + r->n_control;
  attrib__card *x = card(c, &n, "learners", "learners");
  attrib__fmt_grouped(x->value, sizeof x->value, (double)learners, 0);
  attrib__fmt_grouped(a, sizeof a, (double)r->n_treated, 0);
  attrib__fmt_grouped(b, sizeof b, (double)r->n_control, 0);
  snprintf(x->note, sizeof x->note, "%.40s trained, %.40s not", a, b);
  x = card(c, &n, "trained_share", "trained share");
  snprintf(x->value, sizeof x->value, "%.0f%%", learners ? 100.0 * (double)r->n_treated / (double)learners : 0.0);
  snprintf(x->note, sizeof x->note, "of the learners analysed");
  x = card(c, &n, "effect", "effect per learner");
  snprintf(x->value, sizeof x->value, "%+.3g", pm->estimate);
  snprintf(x->note, sizeof x->note, "%.0f%% interval %.3g to %.3g; %.60s", 100 * o->level, pm->ci_low, pm->ci_high,
           o->kpi_unit ? o->kpi_unit : o->outcome);
  if (r->roi) {
    const attrib_roi_result *ri = r->roi;
    x = card(c, &n, "roi", "ROI");
    if (!r->headline.roi_is_finding) snprintf(x->cls, sizeof x->cls, "caution");
    if (ri->has_interval) {
      snprintf(x->value, sizeof x->value, "%.0f%% to %.0f%%", ri->roi_ci_low_pct, ri->roi_ci_high_pct);
      snprintf(x->note, sizeof x->note, "%.0f%% interval; estimate %.0f%%; P(ROI > 0) = %.2f", 100 * o->level, ri->roi_pct,
               ri->prob_roi_positive);
    } else {
      snprintf(x->value, sizeof x->value, "%.0f%%", ri->roi_pct);
      snprintf(x->note, sizeof x->note, "estimate; no interval");
    }
    x = card(c, &n, "net_benefit", "net benefit");
    attrib__fmt_money(x->value, sizeof x->value, ri->net_benefit, o->currency);
    horizon_words(h, sizeof h, r->headline.horizon, o);
    snprintf(x->note, sizeof x->note, "over %s", h);
    x = card(c, &n, "payback", "payback");
    attrib__analyze_payback_words(x->value, sizeof x->value, r, o);
    snprintf(x->note, sizeof x->note, "until the benefit covers the costs");
  }
  const attrib_analyze_check *w = weakest(r);
  if (w) {
    x = card(c, &n, "weakest_check", "weakest check");
    snprintf(x->value, sizeof x->value, "%.20s: %.10s", w->name, w->verdict);
    snprintf(x->cls, sizeof x->cls, "%.10s", w->verdict);
    snprintf(x->note, sizeof x->note, "%.150s", w->reason);
  }
  return n;
}
