/*
 * The analyze report as one self-contained HTML file (no scripts, fonts or
 * images from outside; charts are inline SVG drawn here). Every string that
 * comes from the data or the command line (file and column names) is
 * escaped. Headline numbers carry data-key / data-value attributes equal to
 * the JSON result, so a test can compare the page with the JSON.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

/* HTML text and attribute escaping (&, <, >, ", ') */
static int esc(FILE *out, const char *s) {
  int bad = 0;
  for (; s && *s && !bad; s++) {
    switch (*s) {
    case '&': bad = fputs("&amp;", out) == EOF; break;
    case '<': bad = fputs("&lt;", out) == EOF; break;
    case '>': bad = fputs("&gt;", out) == EOF; break;
    case '"': bad = fputs("&quot;", out) == EOF; break;
    case '\'': bad = fputs("&#39;", out) == EOF; break;
    default: bad = fputc(*s, out) == EOF;
    }
  }
  return bad;
}

/* a number shown and carried for the test: <span data-key=K data-value=V>text</span> */
static int num_span(FILE *out, const char *key, double v, const char *fmt) {
  /* fmt is one of "%.0f%%", "%.2f", "%.4g": %f of DBL_MAX has 309 digits,
   * so 320 bytes always hold it (64 cut a large ROI's digits) */
  char shown[320];
  snprintf(shown, sizeof shown, fmt, v);
  return fprintf(out, "<span data-key=\"%s\" data-value=\"%.17g\">%s</span>", key, v, shown) < 0;
}

/* effect by method with intervals (a forest plot) */
static int svg_forest(FILE *out, const attrib_analyze_result *r) {
  double lo = INFINITY, hi = -INFINITY;
  size_t n = 0;
  for (size_t q = 0; q < r->n_methods; q++)
    if (r->methods[q].status == ATTRIB_OK)
      lo = fmin(lo, fmin(r->methods[q].ci_low, 0.0)), hi = fmax(hi, fmax(r->methods[q].ci_high, 0.0)), n++;
  if (!n) return 0;
  double W = 640, H = 40.0 + 36.0 * (double)n, x0 = 90, x1 = W - 30, pad = 0.05 * (hi - lo + 1e-12);
  lo -= pad, hi += pad;
#define X(v) (x0 + ((v) - lo) / (hi - lo) * (x1 - x0))
  int bad = fprintf(out, "<svg role=\"img\" aria-label=\"Effect by method\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
                    W, H, W, H) < 0;
  bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n", X(0.0),
                 X(0.0), H - 20) < 0;
  size_t row = 0;
  for (size_t q = 0; q < r->n_methods; q++) {
    const attrib_analyze_method *m = &r->methods[q];
    if (m->status) continue;
    double y = 30.0 + 36.0 * (double)row++;
    bad |= fprintf(out, "<text x=\"10\" y=\"%.1f\" font-size=\"13\">%s</text>\n", y + 4, m->method) < 0;
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f4e79\" stroke-width=\"2\"/>\n",
                   X(m->ci_low), y, X(m->ci_high), y) < 0;
    bad |= fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#1f4e79\"/>\n", X(m->estimate), y) < 0;
  }
  bad |= fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%.3g</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                      "text-anchor=\"end\">%.3g</text>\n", x0, H - 4, lo, x1, H - 4, hi) < 0;
  bad |= fputs("</svg>\n", out) == EOF;
#undef X
  return bad;
}

/* ROI against the attribution share, with the break-even share marked */
static int svg_attribution(FILE *out, const attrib_analyze_result *r) {
  const attrib_roi_sweep *s = r->attribution_sweep;
  if (!s || s->n_cells < 2) return 0;
  double lo = 0.0, hi = 0.0;
  for (size_t q = 0; q < s->n_cells; q++) lo = fmin(lo, s->roi_pct[q]), hi = fmax(hi, s->roi_pct[q]);
  double W = 640, H = 260, x0 = 60, x1 = W - 20, y0 = H - 30, y1 = 15;
#define X(a) (x0 + (a) * (x1 - x0))
#define Y(v) (y0 - ((v) - lo) / (hi - lo + 1e-12) * (y0 - y1))
  int bad = fprintf(out, "<svg role=\"img\" aria-label=\"ROI by attribution share\" width=\"%.0f\" height=\"%.0f\" "
                         "viewBox=\"0 0 %.0f %.0f\">\n", W, H, W, H) < 0;
  bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n", x0, Y(0.0), x1, Y(0.0)) < 0;
  bad |= fputs("<polyline fill=\"none\" stroke=\"#2e7d32\" stroke-width=\"2\" points=\"", out) == EOF;
  for (size_t q = 0; q < s->n_cells; q++)
    bad |= fprintf(out, "%.1f,%.1f ", X(r->attribution_values[q]), Y(s->roi_pct[q])) < 0;
  bad |= fputs("\"/>\n", out) == EOF;
  double be = r->roi ? r->roi->breakeven_attribution : NAN;
  if (isfinite(be) && be > 0 && be <= 1)
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" stroke-dasharray=\"5 3\"/>"
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#c62828\">break-even %.0f%%</text>\n",
                   X(be), y1, X(be), y0, X(be) + 4, y1 + 10, 100 * be) < 0;
  bad |= fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">10%%</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                      "text-anchor=\"end\">100%% attribution</text><text x=\"4\" y=\"%.1f\" font-size=\"11\">%.0f%%</text>"
                      "<text x=\"4\" y=\"%.1f\" font-size=\"11\">%.0f%%</text>\n",
                 X(0.1), H - 8, x1, H - 8, y1 + 4, hi, y0, lo) < 0;
  bad |= fputs("</svg>\n", out) == EOF;
#undef X
#undef Y
  return bad;
}


/* balance before and after matching, one row per term (a love plot) */
static int svg_love(FILE *out, const attrib_analyze_result *r) {
  if (!r->n_balance) return 0;
  double mx = 0.25;
  for (size_t q = 0; q < r->n_balance; q++)
    mx = fmax(mx, fmax(fabs(r->balance_before[q]), isfinite(r->balance_after[q]) ? fabs(r->balance_after[q]) : 0.0));
  double W = 640, H = 30.0 + 18.0 * (double)r->n_balance, x0 = 200, x1 = W - 20;
#define X(v) (x0 + (v) / mx * (x1 - x0))
  int bad = fprintf(out, "<svg role=\"img\" aria-label=\"Covariate balance\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
                    W, H, W, H) < 0;
  bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"5\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>"
                      "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#c62828\">0.1</text>\n", X(0.1), X(0.1), H - 15,
                 X(0.1) + 2, H - 4) < 0;
  for (size_t q = 0; q < r->n_balance; q++) {
    double y = 15.0 + 18.0 * (double)q;
    bad |= fprintf(out, "<text x=\"4\" y=\"%.1f\" font-size=\"11\">", y + 4) < 0 || esc(out, r->balance_term[q]);
    bad |= fprintf(out, "</text><circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"none\" stroke=\"#888\"/>",
                   X(fabs(r->balance_before[q])), y) < 0;
    if (isfinite(r->balance_after[q]))
      bad |= fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1f4e79\"/>", X(fabs(r->balance_after[q])), y) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  bad |= fputs("</svg>\n<p>|standardised difference| before (open) and after matching (filled); the dashed line is 0.1.</p>\n",
               out) == EOF;
#undef X
  return bad;
}

/* benefits up, costs down, net at the end (a waterfall) */
static int svg_waterfall(FILE *out, const attrib_roi_result *x) {
  size_t n = x->n_benefits + x->n_costs + 1;
  double lo = 0, hi = 0, run = 0;
  for (size_t q = 0; q < x->n_benefits; q++) run += x->benefits[q].amount, hi = fmax(hi, run), lo = fmin(lo, run);
  for (size_t q = 0; q < x->n_costs; q++) run -= x->costs[q].amount, hi = fmax(hi, run), lo = fmin(lo, run);
  double W = 640, H = 240, y0 = H - 40, y1 = 10, bw = (W - 40) / (double)n;
#define Y(v) (y0 - ((v) - lo) / (hi - lo + 1e-12) * (y0 - y1))
  int bad = fprintf(out, "<svg role=\"img\" aria-label=\"ROI waterfall\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
                    W, H, W, H) < 0;
  bad |= fprintf(out, "<line x1=\"20\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n", Y(0.0), W - 20, Y(0.0)) < 0;
  run = 0;
  for (size_t q = 0; q < n; q++) {
    double a = run, b;
    const char *name, *col;
    if (q < x->n_benefits) b = run + x->benefits[q].amount, name = x->benefits[q].name, col = "#2e7d32";
    else if (q < n - 1) b = run - x->costs[q - x->n_benefits].amount, name = x->costs[q - x->n_benefits].name, col = "#c62828";
    else a = 0, b = run, name = "net", col = "#1f4e79";
    double xq = 20 + bw * (double)q;
    bad |= fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", xq + 4, fmin(Y(a), Y(b)),
                   bw - 8, fabs(Y(a) - Y(b)) + 0.5, col) < 0;
    bad |= fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">", xq + bw / 2, H - 24) < 0 ||
           esc(out, name) || fputs("</text>\n", out) == EOF;
    run = q < n - 1 ? b : run;
  }
  bad |= fputs("</svg>\n", out) == EOF;
#undef Y
  return bad;
}

/* the event study: effects by time since training with their band */
static int svg_events(FILE *out, const attrib_analyze_result *r) {
  if (!r->n_events) return 0;
  double lo = 0, hi = 0, tmin = r->event_time[0], tmax = r->event_time[r->n_events - 1];
  for (size_t q = 0; q < r->n_events; q++)
    if (isfinite(r->event_low[q])) lo = fmin(lo, r->event_low[q]), hi = fmax(hi, r->event_high[q]);
  double W = 640, H = 260, x0 = 50, x1 = W - 20, y0 = H - 30, y1 = 10;
#define X(t) (x0 + ((t) - tmin + 0.5) / (tmax - tmin + 1.0) * (x1 - x0))
#define Y(v) (y0 - ((v) - lo) / (hi - lo + 1e-12) * (y0 - y1))
  int bad = fprintf(out, "<svg role=\"img\" aria-label=\"Event study\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
                    W, H, W, H) < 0;
  bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>"
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n",
                 x0, Y(0.0), x1, Y(0.0), X(-0.5), y1, X(-0.5), y0) < 0;
  for (size_t q = 0; q < r->n_events; q++) {
    if (!isfinite(r->event_att[q])) continue;
    double xq = X(r->event_time[q]);
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f4e79\" stroke-width=\"2\"/>"
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1f4e79\"/>"
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%g</text>\n",
                   xq, Y(r->event_low[q]), xq, Y(r->event_high[q]), xq, Y(r->event_att[q]), xq, H - 12,
                   r->event_time[q]) < 0;
  }
  bad |= fprintf(out, "</svg>\n<p>Effect by periods since training with its %s band; periods left of the dashed line are "
                      "before training (pre-trends).</p>\n", r->event_uniform ? "uniform (simultaneous)" : "pointwise") < 0;
#undef X
#undef Y
  return bad;
}


/* the propensity scores of both groups (shares per bin of 0.05) */
static int svg_overlap(FILE *out, const attrib_analyze_result *r) {
  if (!r->has_scores) return 0;
  double mx = 0;
  for (int g = 0; g < 2; g++)
    for (int b = 0; b < 20; b++) mx = fmax(mx, r->score_hist[g][b]);
  double W = 640, H = 220, x0 = 40, x1 = W - 20, y0 = H - 30, y1 = 10, bw = (x1 - x0) / 20.0;
  int bad = fprintf(out, "<svg role=\"img\" aria-label=\"Propensity score overlap\" width=\"%.0f\" height=\"%.0f\" "
                         "viewBox=\"0 0 %.0f %.0f\">\n", W, H, W, H) < 0;
  for (int g = 0; g < 2; g++)
    for (int b = 0; b < 20; b++) {
      double h = r->score_hist[g][b] / (mx > 0 ? mx : 1) * (y0 - y1);
      bad |= fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.55\"/>",
                     x0 + bw * b + (g ? bw / 2 : 0), y0 - h, bw / 2, h, g ? "#1f4e79" : "#e67e22") < 0;
    }
  bad |= fprintf(out, "\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">0</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                      "text-anchor=\"end\">1</text></svg>\n<p>Propensity scores: trained (blue) and untrained (orange), share "
                      "of each group per bin of 0.05.</p>\n", x0, H - 12, x1, H - 12) < 0;
  return bad;
}

/* ROI at the low and high value of each input, largest swing on top */
static int svg_tornado(FILE *out, const attrib_roi_sweep *t, double base) {
  if (!t || !t->n_dims) return 0;
  double lo = base, hi = base;
  for (size_t q = 0; q < t->n_dims; q++)
    lo = fmin(lo, fmin(t->tornado[q].roi_low, t->tornado[q].roi_high)),
    hi = fmax(hi, fmax(t->tornado[q].roi_low, t->tornado[q].roi_high));
  double W = 640, H = 30.0 + 26.0 * (double)t->n_dims, x0 = 130, x1 = W - 70;
#define X(v) (x0 + ((v) - lo) / (hi - lo + 1e-12) * (x1 - x0))
  int bad = fprintf(out, "<svg role=\"img\" aria-label=\"ROI tornado\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
                    W, H, W, H) < 0;
  bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"5\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>\n", X(base), X(base), H - 5) < 0;
  for (size_t q = 0; q < t->n_dims; q++) {
    const attrib_roi_tornado *d = &t->tornado[q];
    double y = 12.0 + 26.0 * (double)q, a = fmin(d->roi_low, d->roi_high), b = fmax(d->roi_low, d->roi_high);
    bad |= fprintf(out, "<text x=\"4\" y=\"%.1f\" font-size=\"11\">", y + 13) < 0 || esc(out, d->name);
    bad |= fprintf(out, "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"#5c6bc0\"/>"
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.0f%%</text>"
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%.0f%%</text>\n",
                   X(a), y, fmax(1.0, X(b) - X(a)), X(a) - 2, y + 13, a, X(b) + 2, y + 13, b) < 0;
  }
  bad |= fprintf(out, "</svg>\n<p>ROI with each input 20%% lower and higher (attribution from half to all), the others at "
                      "their values; the line is the base ROI %.0f%%.</p>\n", base) < 0;
#undef X
  return bad;
}

/* The cohort: counts, missingness, and every variable's baseline by group
 * (names and levels come from the data: escaped). */
static int html_cohort(FILE *out, const attrib_analyze_cohort *c, const attrib_analyze_options *o) {
  int bad = fputs("<section id=\"cohort\"><h2>The cohort</h2>\n<p>", out) == EOF;
  bad |= fprintf(out, "%zu rows: <span data-key=\"cohort_n_treated\" data-value=\"%zu\">%zu</span> treated, "
                      "<span data-key=\"cohort_n_control\" data-value=\"%zu\">%zu</span> not",
                 c->n_rows, c->n_treated, c->n_treated, c->n_control, c->n_control) < 0;
  if (c->n_treat_missing) bad |= fprintf(out, ", %zu without a treatment value", c->n_treat_missing) < 0;
  if (c->n_treat_other) bad |= fprintf(out, ", %zu with a treatment value that is neither 0 nor 1", c->n_treat_other) < 0;
  bad |= fprintf(out, "; %zu rows complete in every analysis column.</p>\n", c->n_complete) < 0;
  if (c->n_units) {
    bad |= fprintf(out, "<p>Panel: %zu learners; never treated: %zu", c->n_units, c->n_never) < 0;
    for (size_t q = 0; q < c->n_cohorts; q++) bad |= fprintf(out, "; first treated in %g: %zu", c->cohorts[q], c->cohort_units[q]) < 0;
    bad |= fputs(".</p>\n", out) == EOF;
  }
  bad |= fputs("<table><tr><th>variable</th><th>treated</th><th>control</th><th>missing</th></tr>\n", out) == EOF;
  for (size_t v = 0; v < c->n_vars; v++) {
    const attrib_analyze_variable *a = &c->vars[v];
    bad |= fputs("<tr><td>", out) == EOF || esc(out, a->name);
    if (a->level) bad |= fputs(" = ", out) == EOF || esc(out, a->level);
    bad |= fprintf(out, "%s</td><td>%.4g</td><td>%.4g</td><td>%zu</td></tr>\n", v == 0 ? " (outcome)" : "",
                   a->mean_treated, a->mean_control, a->n_missing) < 0;
  }
  bad |= fputs("</table><p>Means, or for a category the share of the group in it, over the rows where the column is "
               "present; the outcome's difference here is the raw, unadjusted gap.</p></section>\n", out) == EOF;
  (void)o;
  return bad;
}

attrib_status attrib_report_write_analyze_html(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o,
                                               const attrib_report_context *ctx, attrib_error *err) {
  if (!out || !r || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_analyze_html: NULL argument");
  int bad = fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Attribution study: ", out) == EOF;
  bad |= esc(out, o->treat);
  bad |= fputs(" on ", out) == EOF || esc(out, o->outcome);
  bad |= fputs("</title>\n<style>body{font-family:system-ui,sans-serif;max-width:860px;margin:2em auto;color:#222}"
               "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}"
               "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.pass{color:#2e7d32}.caution{color:#b26a00}"
               ".fail{color:#c62828}.headline{font-size:1.4em}@media print{section{page-break-inside:avoid}}</style>\n"
               "</head><body>\n", out) == EOF;
  /* executive summary */
  bad |= fputs("<section id=\"summary\"><h1>Attribution study: ", out) == EOF || esc(out, o->treat);
  bad |= fputs(" &rarr; ", out) == EOF || esc(out, o->outcome);
  bad |= fputs("</h1>\n<p>Data: ", out) == EOF || esc(out, ctx && ctx->source ? ctx->source : "");
  if (r->design == ATTRIB_ANALYZE_CROSS_SECTION)
    bad |= fprintf(out, "; %zu learners (%zu trained, %zu not).</p>\n", r->n_obs, r->n_treated, r->n_control) < 0;
  else
    bad |= fprintf(out, "; a panel of %zu learners over %zu periods (%s); analysed %zu learners (%zu trained, %zu never "
                        "trained).</p>\n", r->panel.n_units, r->panel.n_periods,
                   r->design == ATTRIB_ANALYZE_PANEL_SINGLE ? "one adoption date" : "staggered adoption", r->n_obs,
                   r->n_treated, r->n_control) < 0;
  const attrib_analyze_method *pm = &r->methods[r->primary];
  const char *v = r->headline.verdict;
  int inconclusive = !strcmp(v, "inconclusive");
  /* the verdict first: a point ROI is the finding only when nothing undermines it */
  bad |= fprintf(out, "<p class=\"headline%s\">", inconclusive ? " fail" : "") < 0;
  bad |= fprintf(out, "<strong data-key=\"verdict\" data-value=\"%s\">%s</strong>: ", v,
                 !strcmp(v, "clear") ? "Clear result" : inconclusive ? "Inconclusive" : "No detectable effect") < 0;
  bad |= esc(out, r->headline.reason) || fputs("</p>\n", out) == EOF;
  if (r->roi) {
    bad |= fputs(inconclusive ? "<p>ROI estimate " : "<p class=\"headline\">ROI ", out) == EOF ||
           num_span(out, "roi_pct", r->roi->roi_pct, "%.0f%%");
    if (r->roi->has_interval) {
      bad |= fputs(" (range ", out) == EOF || num_span(out, "roi_ci_low_pct", r->roi->roi_ci_low_pct, "%.0f%%");
      bad |= fputs(" to ", out) == EOF || num_span(out, "roi_ci_high_pct", r->roi->roi_ci_high_pct, "%.0f%%");
      bad |= fputs("; probability ROI &gt; 0: ", out) == EOF || num_span(out, "prob_roi_positive", r->roi->prob_roi_positive, "%.2f");
      bad |= fputs(")", out) == EOF;
    }
    bad |= fprintf(out, "%s, for %g learners%s.</p>\n", inconclusive ? ", not a finding" : "", r->roi_learners,
                   r->roi_learners_default ? " (the treated learners in the data)" : "") < 0;
  }
  bad |= fputs("<p>Effect: ", out) == EOF || num_span(out, "effect", pm->estimate, "%.4g");
  bad |= fputs(" per learner on ", out) == EOF || esc(out, o->outcome);
  bad |= fprintf(out, " (%g%% interval ", 100 * o->level) < 0 || num_span(out, "ci_low", pm->ci_low, "%.4g");
  bad |= fputs(" to ", out) == EOF || num_span(out, "ci_high", pm->ci_high, "%.4g");
  bad |= fprintf(out, "), by %s: ", pm->method) < 0 || esc(out, r->primary_reason) || fputs(".</p>\n", out) == EOF;
  bad |= fputs("<ul>\n", out) == EOF;
  for (size_t q = 0; q < r->n_checks; q++) {
    bad |= fprintf(out, "<li>%s: <strong class=\"%s\" data-key=\"check_%s\" data-value=\"%s\">%s</strong> &mdash; ",
                   r->checks[q].name, r->checks[q].verdict, r->checks[q].name, r->checks[q].verdict, r->checks[q].verdict) < 0;
    bad |= esc(out, r->checks[q].reason) || fputs("</li>\n", out) == EOF;
  }
  bad |= fputs("</ul></section>\n", out) == EOF;
  bad |= html_cohort(out, &r->cohort, o);
  /* methods */
  bad |= fputs("<section id=\"methods\"><h2>Effect by method</h2>\n", out) == EOF || svg_forest(out, r);
  bad |= fputs("<table><tr><th>method</th><th>estimand</th><th>estimate</th><th>SE</th><th>CI low</th><th>CI high</th>"
               "<th>standard error</th></tr>\n", out) == EOF;
  for (size_t q = 0; q < r->n_methods; q++) {
    const attrib_analyze_method *m = &r->methods[q];
    bad |= fprintf(out, "<tr><td>%s</td><td>", m->method) < 0 || esc(out, m->estimand) || fputs("</td>", out) == EOF;
    if (m->status)
      bad |= fprintf(out, "<td colspan=\"5\">%s", m->skipped ? "" : "not estimated: ") < 0 || esc(out, m->message) ||
             fputs("</td>", out) == EOF;
    else {
      bad |= fprintf(out, "<td data-key=\"method_%s\" data-value=\"%.17g\">%.4g</td><td>%.4g</td><td>%.4g</td><td>%.4g</td><td>",
                     m->method, m->estimate, m->estimate, m->std_error, m->ci_low, m->ci_high) < 0;
      bad |= esc(out, m->se_method) || fputs("</td>", out) == EOF;
    }
    bad |= fputs("</tr>\n", out) == EOF;
  }
  bad |= fputs("</table></section>\n", out) == EOF;
  if (r->n_balance || r->has_scores)
    bad |= fputs("<section id=\"balance\"><h2>Covariate balance and overlap</h2>\n", out) == EOF || svg_love(out, r) ||
           svg_overlap(out, r) || fputs("</section>\n", out) == EOF;
  if (r->n_events) bad |= fputs("<section id=\"event-study\"><h2>Event study</h2>\n", out) == EOF || svg_events(out, r) ||
                          fputs("</section>\n", out) == EOF;
  /* ROI */
  if (r->roi) {
    const attrib_roi_result *x = r->roi;
    bad |= fputs("<section id=\"roi\"><h2>Return on investment</h2>\n<table><tr><th>line</th><th>amount</th></tr>\n", out) == EOF;
    for (size_t q = 0; q < x->n_benefits; q++) {
      bad |= fputs("<tr><td>benefit: ", out) == EOF || esc(out, x->benefits[q].name);
      bad |= fprintf(out, "</td><td>%.2f</td></tr>\n", x->benefits[q].amount) < 0;
    }
    for (size_t q = 0; q < x->n_costs; q++) {
      bad |= fputs("<tr><td>cost: ", out) == EOF || esc(out, x->costs[q].name);
      bad |= fprintf(out, "</td><td>%.2f</td></tr>\n", x->costs[q].amount) < 0;
    }
    bad |= fprintf(out, "<tr><th>net benefit</th><th data-key=\"net_benefit\" data-value=\"%.17g\">%.2f</th></tr></table>\n",
                   x->net_benefit, x->net_benefit) < 0;
    bad |= fprintf(out, "<p>Break-even effect %.4g per learner; break-even attribution share %.3g. Attribution-share scenarios "
                        "are assumptions, not sampling uncertainty.</p>\n", x->breakeven_effect, x->breakeven_attribution) < 0;
    bad |= fputs("<h3>Benefits, costs and net</h3>\n", out) == EOF || svg_waterfall(out, x);
    bad |= fputs("<h3>ROI by attribution share</h3>\n", out) == EOF || svg_attribution(out, r);
    if (r->tornado) {
      const attrib_roi_sweep *tw = r->tornado;
      bad |= fputs("<h3>Which assumption matters most</h3>\n", out) == EOF || svg_tornado(out, tw, x->roi_pct);
      bad |= fputs("<h3>Scenarios</h3>\n<table><tr><th>scenario</th><th>ROI</th>", out) == EOF;
      for (size_t d = 0; d < tw->n_dims; d++) bad |= fputs("<th>", out) == EOF || esc(out, tw->tornado[d].name) || fputs("</th>", out) == EOF;
      static const char *const names[3] = {"conservative", "moderate", "optimistic"};
      for (int q = 0; q < 3; q++) {
        bad |= fprintf(out, "</tr>\n<tr><td>%s</td><td data-key=\"scenario_%s\" data-value=\"%.17g\">%.0f%%</td>", names[q],
                       names[q], tw->scenario_roi[q], tw->scenario_roi[q]) < 0;
        for (size_t d = 0; d < tw->n_dims; d++)
          bad |= fprintf(out, "<td>%.4g</td>", tw->scenario_values[(size_t)q * tw->n_dims + tw->tornado[d].dim]) < 0;
      }
      bad |= fputs("</tr></table><p>Each input at its least favourable, its given and its most favourable value "
                   "together.</p>\n", out) == EOF;
    }
    bad |= fputs("</section>\n", out) == EOF;
  }
  /* sensitivity and assumptions */
  bad |= fprintf(out, "<section id=\"sensitivity\"><h2>Sensitivity to hidden confounding</h2><ul>"
                      "<li>E-value of the effect: %.3g (confidence limit %.3g)</li>", r->evalue, r->evalue_ci) < 0;
  if (isfinite(r->rv_q)) bad |= fprintf(out, "<li>Robustness value: %.3g (significance: %.3g)</li>", r->rv_q, r->rv_qa) < 0;
  if (isfinite(r->breakeven_rv))
    bad |= fprintf(out, "<li>Confounding that would bring ROI to zero (partial R&sup2; with treatment and outcome): %.3g</li>",
                   r->breakeven_rv) < 0;
  if (isfinite(r->critical_gamma)) bad |= fprintf(out, "<li>Rosenbaum critical &Gamma;: %.3g</li>", r->critical_gamma) < 0;
  else if (r->rosenbaum_note)
    bad |= fputs("<li>Rosenbaum bound: ", out) == EOF || esc(out, r->rosenbaum_note) || fputs("</li>", out) == EOF;
  bad |= fputs("</ul></section>\n<section id=\"assumptions\"><h2>Assumptions</h2><ul>\n", out) == EOF;
  bad |= fputs("<li>Covariates: ", out) == EOF || esc(out, r->covariates) || fputs("</li>\n", out) == EOF;
  if (o->cluster) bad |= fputs("<li>Clustered by: ", out) == EOF || esc(out, o->cluster) || fputs("</li>\n", out) == EOF;
  if (o->has_roi)
    bad |= fprintf(out, "<li>Learners %g; value per unit %g; horizon %g periods; decay %g; attribution %g; margin %g</li>\n",
                   o->roi.learners, o->roi.value_per_unit, o->roi.horizon, o->roi.decay, o->roi.attribution, o->roi.margin) < 0;
  bad |= fprintf(out, "<li>Confidence level %g%%; bootstrap replicates %zu (seed %lu)</li>\n", 100 * o->level, o->bootstrap, o->seed) < 0;
  bad |= fputs("</ul><p>Every number here is in the JSON result of the same analysis (its JSON format).</p></section>\n"
               "</body></html>\n", out) == EOF;
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the report") : ATTRIB_OK;
}
