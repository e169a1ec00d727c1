/*
 * Writers of result objects: aligned text (like R's summary), JSON (one
 * contract for every command, docs/output-contract.md) and CSV. JSON is
 * produced with jansson; numbers round-trip ("%.17g"), NaN becomes null.
 * Writers take a FILE* the caller opened; they never print elsewhere.
 */
#ifndef ATTRIB_REPORT_H
#define ATTRIB_REPORT_H

#include <stdio.h>
#include <attrib/analyze.h>
#include <attrib/bootstrap.h>
#include <attrib/describe.h>
#include <attrib/export.h>
#include <attrib/logit.h>
#include <attrib/ols.h>
#include <attrib/did.h>
#include <attrib/honest_did.h>
#include <attrib/mediate.h>
#include <attrib/power.h>
#include <attrib/psm.h>
#include <attrib/roi.h>
#include <attrib/sensitivity.h>
#include <attrib/simulate.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_report_format {
  ATTRIB_FORMAT_TEXT = 0,
  ATTRIB_FORMAT_JSON = 1,
  ATTRIB_FORMAT_CSV = 2
} attrib_report_format;

/* Parses "text", "json" or "csv"; ATTRIB_EINVAL otherwise. */
ATTRIB_API attrib_status attrib_report_format_parse(const char *s, attrib_report_format *out,
                                                    attrib_error *err);

/* The describe result. max_levels: categorical levels listed per column in
 * text output (JSON and CSV list all). Returns ATTRIB_OK, ATTRIB_EIO,
 * ATTRIB_ENOMEM. */
ATTRIB_API attrib_status attrib_report_write_describe(FILE *out, const attrib_describe_result *r,
                                                      attrib_report_format fmt, size_t max_levels,
                                                      attrib_error *err);

/* What a result does not hold itself but a report names. Any may be NULL. */
typedef struct attrib_report_context {
  const char *command; /* "ols" */
  const char *source;  /* the data file */
  const char *formula;
  const attrib_boot_result *bootstrap; /* written as "bootstrap" when not NULL */
  const attrib_honest_result *honest;  /* did: written as "honest" (JSON, text) when not NULL */
  /* roi: the ROI of each subgroup (attrib_roi_by_compute, n_groups each),
   * written as "by" (JSON) and a "ROI by COLUMN" table (text) when roi_by
   * is not NULL; a NULL result is a group whose ROI could not be computed */
  const struct attrib_by_result *roi_by;
  attrib_roi_result *const *roi_by_results;
  const double *roi_by_learners, *roi_by_value_per_unit;
} attrib_report_context;

/* An OLS result: text like R's summary(), JSON per docs/output-contract.md,
 * CSV = the coefficient table. */
ATTRIB_API attrib_status attrib_report_write_ols(FILE *out, const attrib_ols_result *r,
                                                 const attrib_report_context *ctx,
                                                 attrib_report_format fmt, attrib_error *err);

/* OLS sufficient statistics (attrib_ols_pushdown_stats, attrib_ols_stats_merge)
 * as the JSON file attrib_ols_stats_read reads (docs/scale.md, "Feeding the
 * result back"): X'X and the meat as their upper triangles row by row, the
 * order of the SQL's sums; every number to 17 significant digits, so that
 * it reads back exactly. */
ATTRIB_API attrib_status attrib_report_write_ols_stats(FILE *out, const attrib_ols_stats *s, attrib_error *err);

/* Several outcomes on one design (attrib_ols_fit_outcomes): text = one
 * row per outcome with its effect and the adjusted p-values; JSON per
 * docs/output-contract.md ("outcomes", each with its full single-outcome
 * object as "fit"); CSV = one row per outcome. ctx->bootstrap is not read
 * (each outcome has its own). */
ATTRIB_API attrib_status attrib_report_write_ols_multi(FILE *out, const attrib_ols_multi *m,
                                                       const attrib_report_context *ctx,
                                                       attrib_report_format fmt, attrib_error *err);

/* A logit/probit result, the same three formats. */
ATTRIB_API attrib_status attrib_report_write_logit(FILE *out, const attrib_logit_result *r,
                                                   const attrib_report_context *ctx,
                                                   attrib_report_format fmt, attrib_error *err);

/* A did result: text, JSON per docs/output-contract.md, CSV = the
 * group-time table (CS), the event study (TWFE) or the effect (2x2). */
ATTRIB_API attrib_status attrib_report_write_did(FILE *out, const attrib_did_result *r,
                                                 const attrib_report_context *ctx,
                                                 attrib_report_format fmt, attrib_error *err);

/* The event-study covariance as a CSV matrix with event times as labels. */
ATTRIB_API attrib_status attrib_report_write_did_vcov(FILE *out, const attrib_did_result *r, attrib_error *err);

/* The heterogeneity table: one CSV row per cohort x period cell (group,
 * time, event_time, post, att, std_error, ci_low, ci_high, n_treated,
 * n_control), for plotting ATT by cohort and event time. ATTRIB_EINVAL for
 * a result without cells (Callaway-Sant'Anna and Sun-Abraham have them). */
ATTRIB_API attrib_status attrib_report_write_did_cells(FILE *out, const attrib_did_result *r, attrib_error *err);

/* An roi result: text, JSON per docs/output-contract.md, CSV = the lines
 * (kind,name,amount,sd) then the figures. in: the inputs, echoed; sweep
 * and its dims (or NULL): the tornado table and scenarios are added (the
 * grid itself is written by the caller as CSV). */
ATTRIB_API attrib_status attrib_report_write_roi(FILE *out, const attrib_roi_result *r, const attrib_roi_input *in,
                                                 const attrib_roi_sweep *sweep, const attrib_roi_sweep_dim *dims,
                                                 const attrib_report_context *ctx, attrib_report_format fmt,
                                                 attrib_error *err);

/* An analyze result: a one-screen text summary or the JSON of
 * docs/output-contract.md (methods, checks, roi, sensitivity). opts: the
 * study's settings, echoed. */
ATTRIB_API attrib_status attrib_report_write_analyze(FILE *out, const attrib_analyze_result *r,
                                                     const attrib_analyze_options *opts,
                                                     const attrib_report_context *ctx, attrib_report_format fmt,
                                                     attrib_error *err);

/* The analyze report: one self-contained HTML file with inline SVG charts,
 * every data string escaped, headline numbers in data-key/data-value
 * attributes equal to the JSON result. */
ATTRIB_API attrib_status attrib_report_write_analyze_html(FILE *out, const attrib_analyze_result *r,
                                                          const attrib_analyze_options *opts,
                                                          const attrib_report_context *ctx, attrib_error *err);

/* The analyze one-pager as Markdown (GitHub-flavoured tables) for a wiki or
 * an e-mail: the headline, the quick-card, the funnel, the methods with
 * plain-language estimands, the checks, ROI and sensitivity. */
ATTRIB_API attrib_status attrib_report_write_analyze_md(FILE *out, const attrib_analyze_result *r,
                                                        const attrib_analyze_options *opts,
                                                        const attrib_report_context *ctx, attrib_error *err);

/* A psm result: text, JSON per docs/output-contract.md, CSV = the balance
 * table. */
ATTRIB_API attrib_status attrib_report_write_psm(FILE *out, const attrib_psm_result *r,
                                                 const attrib_report_context *ctx,
                                                 attrib_report_format fmt, attrib_error *err);

/* The matched pairs (kept with keep_pairs) as CSV:
 * set,treated,control,distance,weight, units named by the id column when
 * id is not NULL, else by their 1-based data row. */
ATTRIB_API attrib_status attrib_report_write_psm_pairs(FILE *out, const attrib_psm_result *r,
                                                       const attrib_table *t, const char *id,
                                                       attrib_error *err);

/* The audit (kept with keep_audit) as CSV: unit,treated,reason. */
ATTRIB_API attrib_status attrib_report_write_psm_audit(FILE *out, const attrib_psm_result *r,
                                                       const attrib_table *t, const char *id,
                                                       const char *treat, attrib_error *err);

/*
 * The sensitivity analyses (docs/methods/sensitivity.md), each as text, JSON
 * per docs/output-contract.md or CSV. breakeven: a break-even effect the
 * report also speaks of (e.g. from attrib roi), NaN for none; the figure
 * beside it is what the caller computed for it: the E-value to reach it
 * (attrib_evalue_to), the Gamma at which the lower Hodges-Lehmann bound
 * reaches it (attrib_rosenbaum_breakeven_gamma), the break-even robustness
 * value (attrib_ovb_breakeven_rv). Writers compute nothing. Returns
 * ATTRIB_OK, ATTRIB_EINVAL (NULL argument), ATTRIB_EIO, ATTRIB_ENOMEM.
 */
/* The E-value: CSV is one row rr,rr_ci_low,rr_ci_high,evalue_estimate,evalue_ci. */
ATTRIB_API attrib_status attrib_report_write_evalue(FILE *out, const attrib_evalue *e, double breakeven,
                                                    double evalue_breakeven, attrib_report_format fmt,
                                                    attrib_error *err);

/* Rosenbaum bounds: CSV is the Gamma table gamma,p_upper,p_lower,hl_lower,hl_upper. */
ATTRIB_API attrib_status attrib_report_write_rosenbaum(FILE *out, const attrib_rosenbaum *rb, double breakeven,
                                                       double gamma_breakeven, attrib_report_format fmt,
                                                       attrib_error *err);

/* Omitted-variable bias: JSON with the bounds and the contour grid; CSV
 * is the benchmark bounds, one row per (benchmark, kd, ky). */
ATTRIB_API attrib_status attrib_report_write_ovb(FILE *out, const attrib_ovb_result *r, double breakeven,
                                                 double rv_breakeven, attrib_report_format fmt, attrib_error *err);

/* A specification sweep (attrib_spec_sweep): each specification's values
 * as given in o's dimensions and its estimate or why it failed, then the
 * summary (attrib_spec_summarize over the same results). CSV is the table:
 * the varied options, estimate,std_error,ci_low,ci_high,p_value,n_used,error. */
ATTRIB_API attrib_status attrib_report_write_spec(FILE *out, const attrib_spec_options *o,
                                                  const attrib_spec_result *results,
                                                  const attrib_spec_summary *sum, attrib_report_format fmt,
                                                  attrib_error *err);

/* A pilot design (attrib power): text, JSON per docs/output-contract.md
 * (keys mde, n, power; mde_roi_pct, breakeven_effect, n_breakeven with
 * ROI inputs; simulation {...}), CSV = one row of the same figures. o:
 * the options, echoed; baseline (or NULL): the estimates from a baseline
 * export that set sd, icc and r2. */
ATTRIB_API attrib_status attrib_report_write_power(FILE *out, const attrib_power_result *r,
                                                   const attrib_power_options *o,
                                                   const attrib_power_data_estimates *baseline,
                                                   const attrib_report_context *ctx, attrib_report_format fmt,
                                                   attrib_error *err);

/* Causal mediation (attrib mediate): text, JSON per docs/output-contract.md
 * (acme, ade, total_effect, prop_mediated, each {estimate, std_error,
 * ci_low, ci_high, p_value}; rho_at_zero; sensitivity [{rho, acme}]), CSV
 * = one row per quantity. o: the options, echoed (the column names). */
ATTRIB_API attrib_status attrib_report_write_mediate(FILE *out, const attrib_mediate_result *r,
                                                     const attrib_mediate_options *o,
                                                     const attrib_report_context *ctx, attrib_report_format fmt,
                                                     attrib_error *err);

/* Honest parallel-trends bounds (attrib_honest_run): JSON {"honest": {...}}
 * (the block of docs/methods/honest_did.md), text, or CSV = the sets
 * (mbar or m, ci_low, ci_high, shape). be: the ROI break-even search, or
 * NULL (breakeven_roi null). Computes nothing. */
ATTRIB_API attrib_status attrib_report_write_honest(FILE *out, const attrib_honest_result *h,
                                                    const attrib_honest_breakeven_result *be,
                                                    attrib_report_format fmt, attrib_error *err);

/* The truth of a simulated data set, as JSON. */
ATTRIB_API attrib_status attrib_report_write_truth(FILE *out, const attrib_simulate_truth *t,
                                                   const attrib_simulate_options *opts,
                                                   attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
