/* Helpers shared by the writers. */
#ifndef ATTRIB_OUTPUT_INTERNAL_H
#define ATTRIB_OUTPUT_INTERNAL_H

#include <stdio.h>
#include <jansson.h>

#include "core/attrib_internal.h"

struct attrib_by_result;
/* Subgroup effects (report_by.c): the JSON object "by", and the text table. */
json_t *attrib__json_by(const struct attrib_by_result *b);
int attrib__text_by(FILE *out, const struct attrib_by_result *b);
struct attrib_roi_result;
/* One group's ROI object (analyze's and roi's "by" groups, the same keys):
 * learners, value_per_unit, estimate_pct, ci_low_pct, ci_high_pct,
 * p_positive, benefit, cost, net_benefit; json null for a NULL x. */
json_t *attrib__json_roi_group(const struct attrib_roi_result *x, double learners, double value_per_unit);

/* A JSON number, or null for NaN/Inf (JSON has no such values). */
json_t *attrib__json_num(double v);

/* Sets key to value in obj, taking the reference; records failure in *ok. */
void attrib__json_set(json_t *obj, const char *key, json_t *value, int *ok);

/* Dumps root to out with a trailing newline and drops the reference. */
attrib_status attrib__json_write(FILE *out, json_t *root, int ok, attrib_error *err);

/* Writes one CSV field, quoting when needed (RFC 4180). */
int attrib__csv_field(FILE *out, const char *s);

#include <attrib/vcov.h>

/* broom-style coefficient array; aliased rows carry "aliased": true and nulls. */
json_t *attrib__json_coefs(const attrib_coef_table *t);
/* {"estimate","std_error","ci_low","ci_high","p_value","term","statistic"} */
json_t *attrib__json_effect(const attrib_effect *e);
json_t *attrib__json_strings(char *const *s, size_t n);

/* The "vcov" object: {type, clusters [{name, n}], small_sample, psd_fixed, df}.
 * psd_fixed < 0 and df NaN are left out. */
json_t *attrib__json_vcov(attrib_vcov_type type, char *const *names, const size_t *counts, size_t dims,
                          int psd_fixed, double df);
/* "Standard errors: clustered by team (80 clusters), CR1; <tail>" or the type. */
int attrib__text_vcov(FILE *out, attrib_vcov_type type, char *const *names, const size_t *counts, size_t dims,
                      const char *iid_name, const char *tail);

/* "Dropped as constant or collinear: a, b" (nothing when n is 0) and one
 * "Warning: ..." line per warning. */
int attrib__text_dropped_warnings(FILE *out, char *const *dropped, size_t n_dropped, char *const *warnings,
                                  size_t n_warnings);

/* Aligned coefficient table like R's printCoefmat, with significance stars
 * and the confidence interval; stat_name "t value" or "z value". */
int attrib__text_coefs(FILE *out, const attrib_coef_table *t, const char *stat_name, double level);
/* term,estimate,std_error,statistic,p_value,ci_low,ci_high,aliased */
int attrib__csv_coefs(FILE *out, const attrib_coef_table *t);
/* "<label>: 1.23 (SE 0.45), 95% CI [0.35, 2.11], p = 0.0067" without the newline: the one way
 * every command states its effect in text. */
int attrib__text_effect(FILE *out, const char *label, const attrib_effect *e, double level);
/* Several outcomes (issue 18): one row per outcome with its effect and the
 * p-values adjusted across them (NaN prints NA); stat_name and p_name head
 * the statistic's and the unadjusted p-value's columns ("t value",
 * "p-value"; ols writes "Pr(>|t|)" as its single-outcome table does). */
typedef struct attrib__outcome_row {
  const char *outcome;
  const attrib_effect *effect;
  double p_bonferroni, p_holm, p_romano_wolf;
} attrib__outcome_row;
int attrib__text_outcomes(FILE *out, const attrib__outcome_row *rows, size_t n, double level, const char *stat_name,
                          const char *p_name);
json_t *attrib__json_outcome_effect(const attrib__outcome_row *row);

/* The "bootstrap" object of issue 6's contract {replicates, type, method,
 * std_error, ci_low, ci_high, p_value} and its text lines. */
#include <attrib/bootstrap.h>
json_t *attrib__json_bootstrap(const attrib_boot_result *b);
int attrib__text_bootstrap(FILE *out, const attrib_boot_result *b);

/* The roi object (as attrib roi writes it), for embedding. */
#include <attrib/report.h>
json_t *attrib__json_roi(const attrib_roi_result *r, const attrib_roi_input *in, const attrib_roi_sweep *sw,
                         const attrib_roi_sweep_dim *dims, const attrib_report_context *ctx);
/* A sweep's tornado [{input, low, high, roi_pct_at_low, roi_pct_at_high,
 * swing}] and scenarios [{name, roi_pct, values}] (NULL on failure). */
json_t *attrib__json_tornado(const attrib_roi_sweep *sw);
json_t *attrib__json_scenarios(const attrib_roi_sweep *sw);
/* The honest-bounds block {restriction, method, level, target, l, original,
 * sets, breakdown, breakeven_roi, ...} for did and analyze (NULL on
 * failure); be may be NULL. */
json_t *attrib__json_honest(const attrib_honest_result *h, const attrib_honest_breakeven_result *be);
/* The same as a text block; non-zero on a write error. */
int attrib__text_honest(FILE *out, const attrib_honest_result *h, const attrib_honest_breakeven_result *be);

/* "1.23e-05" or "< 2.2e-16" like R's format.pval */
void attrib__fmt_p(char *buf, size_t size, double p);

/* Formats v for a text table in at most width characters ("NA" for NaN). */
void attrib__fmt_num(char *buf, size_t size, double v, int sig);

/* report_words.c: the analyze result in an executive's words (issue 16). */
/* "1,042,770.22" (decimals after the point; "n/a" for NaN, "never" for +inf) */
void attrib__fmt_grouped(char *buf, size_t size, double v, int decimals);
/* "$1,042,770", "-€1,200", "CHF 1,200", "12.50" (cents below 1,000 only) */
void attrib__fmt_money(char *buf, size_t size, double v, const char *currency);
/* the method's estimand in plain words, and its title ("Matching") */
const char *attrib__analyze_estimand_words(const attrib_analyze_method *m, int panel);
const char *attrib__analyze_method_title(const char *method);
/* the honest parallel-trends break-even in money as a sentence, or why there is none */
void attrib__analyze_honest_sentence(char *buf, size_t size, const attrib_analyze_result *r);
/* "trained learners", "untrained learners" / "never-trained learners" */
const char *attrib__analyze_arm(const attrib_analyze_result *r, int treated);
/* payback in periods and months ("3.2 weeks (0.7 months)") */
void attrib__analyze_payback_words(char *buf, size_t size, const attrib_analyze_result *r,
                                   const attrib_analyze_options *o);
/* the headline in sentences (attrib__malloc'd; NULL when out of memory) */
char *attrib__analyze_headline_text(const attrib_analyze_result *r, const attrib_analyze_options *o);
/* the quick-card: up to 8 cards (learners, trained share, effect, ROI, net
 * benefit, payback, weakest check); returns how many */
typedef struct attrib__card {
  char label[32], value[96], note[200], cls[16], key[24];
} attrib__card;
size_t attrib__analyze_cards(const attrib_analyze_result *r, const attrib_analyze_options *o, attrib__card *c);

/* Mediation (report_mediate.c): every key of mediate's JSON after command and
 * source (treat ... acme, ade, total_effect, prop_mediated, ..., rho_at_zero,
 * sensitivity, warnings), and the text table of the quantities */
json_t *attrib__json_mediate_body(const attrib_mediate_result *r, const attrib_mediate_options *o, int *ok);
int attrib__text_mediate_effects(FILE *out, const attrib_mediate_result *r);
/* Power (report_power.c): the design's name ("rct") and words, power's
 * "inputs" object and its "baseline" object (source NULL: no source key) */
const char *attrib__power_design_name(attrib_power_design d);
const char *attrib__power_design_words(attrib_power_design d);
json_t *attrib__json_power_inputs(const attrib_power_result *r, const attrib_power_options *o, int *ok);
json_t *attrib__json_power_baseline(const attrib_power_data_estimates *b, const char *source, int *ok);
/* power's money keys (roi_learners ... n_breakeven) into x when r has ROI inputs; attrib power and analyze's pilot */
void attrib__json_power_money(json_t *x, const struct attrib_power_result *r, int *ok);

#endif
