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

/* ---- chart frames and axes (issue 16) -------------------------------------
 * Every chart: labelled axes with ticks at "nice" values and units, a zero
 * line where zero matters, values on bars, a legend when there is more than
 * one mark. Text boxes are laid out so that none overlaps another (the
 * browser test checks it with getBoundingClientRect): tick labels are spaced
 * by the tick step, names too long for their room are cut with an ellipsis
 * (the full name in a <title>), value labels go beside their bars.
 */
typedef struct frame {
  double W, H, x0, x1, y0, y1;   /* plot area: x0..x1 left to right, y0 (bottom) .. y1 (top) */
  double xlo, xhi, ylo, yhi;     /* the data range shown */
} frame;

static double fx(const frame *f, double v) { return f->x0 + (v - f->xlo) / (f->xhi - f->xlo) * (f->x1 - f->x0); }
static double fy(const frame *f, double v) { return f->y0 - (v - f->ylo) / (f->yhi - f->ylo) * (f->y0 - f->y1); }

/* ticks at 1, 2 or 5 times a power of ten covering [lo, hi], about `target` of them */
typedef struct ticks {
  double t0, step;
  int n;
} ticks;

static ticks nice_ticks(double *lo, double *hi, int target) {
  if (!(*hi > *lo)) {
    double d = *lo == 0 ? 1 : fabs(*lo) * 0.1;
    *lo -= d, *hi += d;
  }
  double raw = (*hi - *lo) / target, mag = pow(10, floor(log10(raw))), f = raw / mag;
  double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  ticks t = {floor(*lo / step + 1e-9) * step, step, 0};
  double tn = ceil(*hi / step - 1e-9) * step;
  t.n = (int)lround((tn - t.t0) / step) + 1;
  *lo = t.t0, *hi = tn;
  return t;
}

enum { TICK_NUM, TICK_PCT, TICK_MONEY, TICK_SHARE };

/* "$1.2M", "€350k", "-$40k": money on an axis, short */
static void short_money(char *buf, size_t size, double v, const char *currency) {
  double a = fabs(v);
  const char *suf = a >= 1e9 ? "bn" : a >= 1e6 ? "M" : a >= 1e3 ? "k" : "";
  double d = a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : a >= 1e3 ? 1e3 : 1;
  char num[64], m[96];
  snprintf(num, sizeof num, "%.3g%s", a / d, suf);
  attrib__fmt_money(m, sizeof m, v < 0 ? -1 : 1, currency); /* the sign and symbol of a 1 */
  size_t len = strlen(m);
  m[len - 1] = '\0'; /* drop the 1 */
  snprintf(buf, size, "%s%s", m, num);
}

static void tick_label(char *buf, size_t size, double v, double step, int kind, const char *currency) {
  if (fabs(v) < step * 1e-9) v = 0;
  int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
  if (kind == TICK_PCT) snprintf(buf, size, "%.*f%%", dec, v);
  else if (kind == TICK_SHARE) snprintf(buf, size, "%.*f%%", dec > 2 ? dec - 2 : 0, 100 * v);
  else if (kind == TICK_MONEY) short_money(buf, size, v, currency);
  else attrib__fmt_grouped(buf, size, v, dec);
}

static int svg_open(FILE *out, const char *id, const char *label, double W, double H) {
  return fprintf(out, "<figure class=\"chart\" id=\"chart-%s\"><svg class=\"chart\" role=\"img\" aria-label=\"%s\" width=\"%.0f\" "
                      "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"system-ui,sans-serif\">\n",
                 id, label, W, H, W, H) < 0;
}

/* the x axis: line at the bottom, ticks, their labels, the title (escaped) */
static int axis_x(FILE *out, const frame *f, ticks t, int kind, const char *currency, const char *title, const char *unit) {
  int bad = fprintf(out, "<g class=\"axis x\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>", f->x0,
                    f->y0, f->x1, f->y0) < 0;
  for (int k = 0; k < t.n; k++) {
    double v = t.t0 + k * t.step, x = fx(f, v);
    char lab[96];
    tick_label(lab, sizeof lab, v, t.step, kind, currency);
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/><text class=\"tick\" x=\"%.1f\" "
                        "y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">", x, f->y0, x, f->y0 + 4, x, f->y0 + 16) < 0 ||
           esc(out, lab) || fputs("</text>", out) == EOF; /* a currency symbol is the user's text */
  }
  bad |= fprintf(out, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">",
                 (f->x0 + f->x1) / 2, f->y0 + 32) < 0 || esc(out, title);
  if (unit && *unit) bad |= fputs(" (", out) == EOF || esc(out, unit) || fputs(")", out) == EOF;
  return bad || fputs("</text></g>\n", out) == EOF;
}

static int axis_y(FILE *out, const frame *f, ticks t, int kind, const char *currency, const char *title, const char *unit) {
  int bad = fprintf(out, "<g class=\"axis y\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>", f->x0,
                    f->y0, f->x0, f->y1) < 0;
  for (int k = 0; k < t.n; k++) {
    double v = t.t0 + k * t.step, y = fy(f, v);
    char lab[96];
    tick_label(lab, sizeof lab, v, t.step, kind, currency);
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/><line x1=\"%.1f\" y1=\"%.1f\" "
                        "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                        "text-anchor=\"end\">", f->x0 - 4, y, f->x0, y, f->x0 + 0.5, y, f->x1, y, f->x0 - 6, y + 3.5) < 0 ||
           esc(out, lab) || fputs("</text>", out) == EOF;
  }
  double cx = 12, cy = (f->y0 + f->y1) / 2;
  bad |= fprintf(out, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
                      "transform=\"rotate(-90 %.1f %.1f)\">", cx, cy, cx, cy) < 0 || esc(out, title);
  if (unit && *unit) bad |= fputs(" (", out) == EOF || esc(out, unit) || fputs(")", out) == EOF;
  return bad || fputs("</text></g>\n", out) == EOF;
}

/* a name in at most `chars` characters (UTF-8 aware), the full one in a <title> when cut */
static int label_text(FILE *out, double x, double y, const char *anchor, int size, const char *cls, const char *name,
                      size_t chars) {
  size_t n = 0, cut = 0;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    if ((*p & 0xC0) != 0x80 && n++ == (chars > 1 ? chars - 1 : 1)) cut = (size_t)((const char *)p - name);
  int bad = fprintf(out, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">", cls, x, y, size,
                    anchor) < 0;
  if (n <= chars) return bad || esc(out, name) || fputs("</text>", out) == EOF;
  char *s = attrib__strdup(name);
  if (!s) return 1;
  s[cut] = '\0';
  bad |= fputs("<title>", out) == EOF || esc(out, name) || fputs("</title>", out) == EOF || esc(out, s) ||
         fputs("&hellip;</text>", out) == EOF;
  attrib__free(s);
  return bad;
}

/* a legend row under the plot: marks and words, laid out left to right by their estimated widths */
typedef struct legend_item {
  const char *mark; /* SVG drawn at (0,0) .. (14, -8) */
  const char *text;
} legend_item;

static int legend(FILE *out, double x, double y, const legend_item *it, size_t n) {
  int bad = fputs("<g class=\"legend\">", out) == EOF;
  for (size_t k = 0; k < n; k++) {
    bad |= fprintf(out, "<g transform=\"translate(%.1f %.1f)\">%s</g><text class=\"legend-text\" x=\"%.1f\" y=\"%.1f\" "
                        "font-size=\"10\">", x, y, it[k].mark, x + 18, y) < 0 || esc(out, it[k].text) || fputs("</text>", out) == EOF;
    x += 18 + 6.0 * (double)strlen(it[k].text) + 16;
  }
  return bad || fputs("</g>\n", out) == EOF;
}

static const char *const palette[6] = {"#1f4e79", "#e67e22", "#2e7d32", "#8e24aa", "#c62828", "#00838f"};

/* effect by method with intervals (a forest plot) */
static int svg_forest(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  double lo = 0.0, hi = 0.0;
  size_t n = 0;
  for (size_t q = 0; q < r->n_methods; q++)
    if (r->methods[q].status == ATTRIB_OK) lo = fmin(lo, r->methods[q].ci_low), hi = fmax(hi, r->methods[q].ci_high), n++;
  if (!n) return 0;
  frame f = {640, 80.0 + 30.0 * (double)n, 230, 620, 0, 10, 0, 0, 0, 0};
  f.y0 = f.H - 62;
  ticks t = nice_ticks(&lo, &hi, 6);
  f.xlo = lo, f.xhi = hi;
  int bad = svg_open(out, "forest", "Effect by method", f.W, f.H);
  bad |= fprintf(out, "<line class=\"zero\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" "
                      "stroke-dasharray=\"4 3\"/>\n", fx(&f, 0), f.y1, fx(&f, 0), f.y0) < 0;
  size_t row = 0;
  for (size_t q = 0; q < r->n_methods; q++) {
    const attrib_analyze_method *m = &r->methods[q];
    if (m->status) continue;
    double y = f.y1 + 16 + 30.0 * (double)row++;
    bad |= label_text(out, 6, y + 4, "start", 12, "label", attrib__analyze_method_title(m->method), 36);
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>"
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", fx(&f, m->ci_low), y, fx(&f, m->ci_high), y,
                   (long)q == r->primary ? "#c62828" : "#1f4e79", fx(&f, m->estimate), y,
                   (long)q == r->primary ? "#c62828" : "#1f4e79") < 0;
  }
  char unit[240];
  snprintf(unit, sizeof unit, "%.200s per learner", o->kpi_unit ? o->kpi_unit : o->outcome);
  bad |= axis_x(out, &f, t, TICK_NUM, NULL, "effect", unit);
  legend_item li[3] = {{"<circle cx=\"7\" cy=\"-4\" r=\"4\" fill=\"#1f4e79\"/>", "estimate"},
                       {"<line x1=\"0\" y1=\"-4\" x2=\"14\" y2=\"-4\" stroke=\"#1f4e79\" stroke-width=\"2\"/>", "95% interval"},
                       {"<circle cx=\"7\" cy=\"-4\" r=\"4\" fill=\"#c62828\"/>", "primary method"}};
  char lvl[32];
  snprintf(lvl, sizeof lvl, "%g%% interval", 100 * o->level);
  li[1].text = lvl;
  bad |= legend(out, f.x0, f.H - 8, li, 3);
  return bad || fputs("</svg></figure>\n", out) == EOF;
}

/* options.by: the primary method's effect in each subgroup (a forest plot) */
static int svg_by_forest(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_by_result *b = r->by;
  double lo = 0.0, hi = 0.0;
  for (size_t g = 0; g < b->n_groups; g++)
    if (isfinite(b->groups[g].effect.ci_low) && isfinite(b->groups[g].effect.ci_high))
      lo = fmin(lo, b->groups[g].effect.ci_low), hi = fmax(hi, b->groups[g].effect.ci_high);
  frame f = {640, 80.0 + 24.0 * (double)b->n_groups, 230, 620, 0, 10, 0, 0, 0, 0};
  f.y0 = f.H - 62;
  ticks t = nice_ticks(&lo, &hi, 6);
  f.xlo = lo, f.xhi = hi;
  int bad = svg_open(out, "by-forest", "Effect by subgroup", f.W, f.H);
  bad |= fprintf(out, "<line class=\"zero\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" "
                      "stroke-dasharray=\"4 3\"/>\n", fx(&f, 0), f.y1, fx(&f, 0), f.y0) < 0;
  for (size_t g = 0; g < b->n_groups; g++) {
    const attrib_effect *e = &b->groups[g].effect;
    double y = f.y1 + 14 + 24.0 * (double)g;
    bad |= label_text(out, 6, y + 4, "start", 12, "label", b->groups[g].level, 36);
    if (!isfinite(e->ci_low) || !isfinite(e->ci_high)) continue;
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f4e79\" stroke-width=\"2\"/>"
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#1f4e79\"/>\n", fx(&f, e->ci_low), y,
                   fx(&f, e->ci_high), y, fx(&f, e->estimate), y) < 0;
  }
  char unit[240];
  snprintf(unit, sizeof unit, "%.200s per learner", o->kpi_unit ? o->kpi_unit : o->outcome);
  bad |= axis_x(out, &f, t, TICK_NUM, NULL, "effect", unit);
  return bad || fputs("</svg></figure>\n", out) == EOF;
}

/* options.by: the forest plot, the table with each group's ROI, the equality test */
static int html_by(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_by_result *b = r->by;
  int bad = fputs("<section id=\"by-subgroup\"><h2>By subgroup: ", out) == EOF || esc(out, b->column) ||
            fputs("</h2>\n", out) == EOF || svg_by_forest(out, r, o);
  char p[32];
  attrib__fmt_p(p, sizeof p, b->p_value);
  bad |= fprintf(out, "<p>The %s estimate in each group, from one joint fit: ", r->by_method ? r->by_method : "") < 0 ||
         esc(out, b->joint) ||
         fprintf(out, ". Equal effects in every group: Wald %s %.4g on %.0f df, p = %s.</p>\n", b->test ? b->test : "",
                 b->statistic, b->test_df, p) < 0;
  /* with --value-per-unit-by, each group's value per unit beside its ROI */
  int own_value = r->by_roi && r->by_roi_value_per_unit && o->n_by_value_per_unit;
  bad |= fprintf(out, "<table><tr><th>group</th><th>n</th><th>estimate</th><th>SE</th><th>%g%% interval</th>%s%s</tr>\n",
                 100 * o->level, own_value ? "<th>value per unit</th>" : "",
                 r->by_roi ? "<th>ROI</th><th>ROI interval</th>" : "") < 0;
  for (size_t g = 0; g < b->n_groups; g++) {
    const attrib_by_group *gr = &b->groups[g];
    bad |= fputs("<tr><td>", out) == EOF || esc(out, gr->level) ||
           fprintf(out, "</td><td>%zu</td><td data-key=\"by_%zu\" data-value=\"%.17g\">%.4g</td><td>%.4g</td>"
                        "<td>%.4g to %.4g</td>", gr->n, g, gr->effect.estimate, gr->effect.estimate, gr->effect.std_error,
                   gr->effect.ci_low, gr->effect.ci_high) < 0;
    if (own_value) bad |= fprintf(out, "<td>%.6g</td>", r->by_roi_value_per_unit[g]) < 0;
    if (r->by_roi) {
      const attrib_roi_result *x = r->by_roi[g];
      if (!x) bad |= fputs("<td>n/a</td><td></td>", out) == EOF;
      else if (x->has_interval)
        bad |= fprintf(out, "<td>%.0f%%</td><td>%.0f%% to %.0f%%</td>", x->roi_pct, x->roi_ci_low_pct, x->roi_ci_high_pct) < 0;
      else bad |= fprintf(out, "<td>%.0f%%</td><td></td>", x->roi_pct) < 0;
    }
    bad |= fputs("</tr>\n", out) == EOF;
  }
  return bad || fputs("</table></section>\n", out) == EOF;
}

/* a p-value cell carried for the test: data-value empty when not computed (shown "n/a") */
static int p_cell(FILE *out, const char *key, size_t j, double p) {
  char buf[32];
  if (isnan(p)) return fprintf(out, "<td data-key=\"%s_%zu\" data-value=\"\">n/a</td>", key, j) < 0;
  attrib__fmt_p(buf, sizeof buf, p);
  return fprintf(out, "<td data-key=\"%s_%zu\" data-value=\"%.17g\">", key, j, p) < 0 || esc(out, buf) ||
         fputs("</td>", out) == EOF;
}

/* options.extra_outcomes: the primary method on every KPI, with the
 * p-values adjusted across them (the JSON's outcomes) */
static int html_outcomes(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  int bad = fprintf(out, "<section id=\"outcomes\"><h2>Several KPIs</h2>\n<p>The primary method (%s) on each KPI, ",
                    r->outcomes_method ? r->outcomes_method : "") < 0;
  if (r->outcomes_note)
    return bad || esc(out, r->outcomes_note) || fputs(".</p></section>\n", out) == EOF;
  bad |= fprintf(out, "%s. Testing %zu KPIs at once finds a false effect more often than one test does: the adjusted "
                      "p-values (Holm; Romano-Wolf, which uses how the KPIs move together) keep that chance at the level "
                      "they are compared with. Romano-Wolf: ",
                 r->outcomes_per_outcome_rows ? "each on its own rows" : "on the same rows (those with every KPI)",
                 r->n_outcomes) < 0 ||
         esc(out, r->outcomes_romano_wolf ? r->outcomes_romano_wolf : "") || fputs(".</p>\n", out) == EOF;
  bad |= fprintf(out, "<table><tr><th>KPI</th><th>n</th><th>estimate</th><th>%g%% interval</th><th>p</th><th>Holm</th>"
                      "<th>Romano-Wolf</th></tr>\n", 100 * o->level) < 0;
  for (size_t j = 0; j < r->n_outcomes; j++) {
    const attrib_analyze_outcome *x = &r->outcomes[j];
    bad |= fputs("<tr><td>", out) == EOF || esc(out, x->outcome) ||
           fprintf(out, "</td><td>%zu</td><td data-key=\"outcome_%zu\" data-value=\"%.17g\">%.4g</td><td>%.4g to %.4g</td>",
                   x->n_obs, j, x->effect.estimate, x->effect.estimate, x->effect.ci_low, x->effect.ci_high) < 0;
    bad |= p_cell(out, "outcome_p", j, x->effect.p_value) || p_cell(out, "outcome_p_holm", j, x->p_holm) ||
           p_cell(out, "outcome_p_romano_wolf", j, x->p_romano_wolf) || fputs("</tr>\n", out) == EOF;
  }
  return bad || fputs("</table></section>\n", out) == EOF;
}

/* ROI against the attribution share, with the break-even share marked */
static int svg_attribution(FILE *out, const attrib_analyze_result *r) {
  const attrib_roi_sweep *s = r->attribution_sweep;
  if (!s || s->n_cells < 2) return 0;
  double lo = 0.0, hi = 0.0;
  for (size_t q = 0; q < s->n_cells; q++) lo = fmin(lo, s->roi_pct[q]), hi = fmax(hi, s->roi_pct[q]);
  frame f = {420, 270, 70, 400, 225, 14, 0, 1, 0, 0};
  ticks ty = nice_ticks(&lo, &hi, 5);
  f.ylo = lo, f.yhi = hi;
  ticks tx = {0, 0.2, 6};
  int bad = svg_open(out, "attribution", "ROI by attribution share", f.W, f.H);
  bad |= axis_y(out, &f, ty, TICK_PCT, NULL, "ROI", "%");
  bad |= axis_x(out, &f, tx, TICK_SHARE, NULL, "share of the effect credited to training", NULL);
  bad |= fprintf(out, "<line class=\"zero\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\"/>\n", f.x0,
                 fy(&f, 0), f.x1, fy(&f, 0)) < 0;
  bad |= fputs("<polyline fill=\"none\" stroke=\"#2e7d32\" stroke-width=\"2\" points=\"", out) == EOF;
  for (size_t q = 0; q < s->n_cells; q++) bad |= fprintf(out, "%.1f,%.1f ", fx(&f, r->attribution_values[q]), fy(&f, s->roi_pct[q])) < 0;
  bad |= fputs("\"/>\n", out) == EOF;
  for (size_t q = 4; q < s->n_cells && q <= 8; q += 2)
    bad |= fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#2e7d32\"/>", fx(&f, r->attribution_values[q]),
                   fy(&f, s->roi_pct[q])) < 0;
  double be = r->roi ? r->roi->breakeven_attribution : NAN;
  if (isfinite(be) && be > 0 && be <= 1)
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" stroke-dasharray=\"5 3\"/>"
                        "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#c62828\" text-anchor=\"%s\">"
                        "break-even %.0f%%</text>\n", fx(&f, be), f.y1, fx(&f, be), f.y0, fx(&f, be) + (be > 0.6 ? -4 : 4),
                   f.y1 + 10, be > 0.6 ? "end" : "start", 100 * be) < 0;
  return bad || fputs("</svg></figure>\n", out) == EOF;
}

/* balance before and after matching, one row per term (a love plot) */
static int svg_love(FILE *out, const attrib_analyze_result *r) {
  if (!r->n_balance) return 0;
  double lo = 0, hi = 0.25;
  for (size_t q = 0; q < r->n_balance; q++)
    hi = fmax(hi, fmax(fabs(r->balance_before[q]), isfinite(r->balance_after[q]) ? fabs(r->balance_after[q]) : 0.0));
  frame f = {640, 84.0 + 18.0 * (double)r->n_balance, 220, 620, 0, 8, 0, 0, 0, 0};
  f.y0 = f.H - 62;
  ticks t = nice_ticks(&lo, &hi, 5);
  f.xlo = lo, f.xhi = hi;
  int bad = svg_open(out, "love", "Covariate balance", f.W, f.H);
  bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>\n",
                 fx(&f, 0.1), f.y1, fx(&f, 0.1), f.y0) < 0;
  for (size_t q = 0; q < r->n_balance; q++) {
    double y = f.y1 + 10 + 18.0 * (double)q;
    bad |= label_text(out, 6, y + 4, "start", 11, "label", r->balance_term[q], 34);
    bad |= fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"none\" stroke=\"#888\"/>", fx(&f, fabs(r->balance_before[q])),
                   y) < 0;
    if (isfinite(r->balance_after[q]))
      bad |= fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1f4e79\"/>", fx(&f, fabs(r->balance_after[q])), y) < 0;
    bad |= fputc('\n', out) == EOF;
  }
  bad |= axis_x(out, &f, t, TICK_NUM, NULL, "|standardised difference| between the groups", NULL);
  legend_item li[3] = {{"<circle cx=\"7\" cy=\"-4\" r=\"4\" fill=\"none\" stroke=\"#888\"/>", "before matching"},
                       {"<circle cx=\"7\" cy=\"-4\" r=\"4\" fill=\"#1f4e79\"/>", "after matching"},
                       {"<line x1=\"0\" y1=\"-4\" x2=\"14\" y2=\"-4\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>", "0.1 threshold"}};
  bad |= legend(out, f.x0, f.H - 8, li, 3);
  return bad || fputs("</svg></figure>\n", out) == EOF;
}

/* benefits up, costs down, net at the end (a waterfall), money on the axis and on the bars */
static int svg_waterfall(FILE *out, const attrib_roi_result *x, const char *currency) {
  size_t n = x->n_benefits + x->n_costs + 1;
  double lo = 0, hi = 0, run = 0;
  for (size_t q = 0; q < x->n_benefits; q++) run += x->benefits[q].amount, hi = fmax(hi, run), lo = fmin(lo, run);
  for (size_t q = 0; q < x->n_costs; q++) run -= x->costs[q].amount, hi = fmax(hi, run), lo = fmin(lo, run);
  frame f = {640, 290, 80, 620, 240, 22, 0, 1, 0, 0};
  ticks t = nice_ticks(&lo, &hi, 5);
  f.ylo = lo, f.yhi = hi;
  double bw = (f.x1 - f.x0) / (double)n;
  int bad = svg_open(out, "waterfall", "ROI waterfall", f.W, f.H);
  bad |= axis_y(out, &f, t, TICK_MONEY, currency, "amount", currency);
  bad |= fprintf(out, "<line class=\"zero\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>\n", f.x0, fy(&f, 0),
                 f.x1, fy(&f, 0)) < 0;
  run = 0;
  for (size_t q = 0; q < n; q++) {
    double a = run, b, amount;
    const char *name, *col;
    if (q < x->n_benefits) amount = x->benefits[q].amount, b = run + amount, name = x->benefits[q].name, col = "#2e7d32";
    else if (q < n - 1) amount = -x->costs[q - x->n_benefits].amount, b = run + amount, name = x->costs[q - x->n_benefits].name,
                        col = "#c62828";
    else a = 0, b = run, amount = run, name = "net benefit", col = "#1f4e79";
    double xq = f.x0 + bw * (double)q, top = fmin(fy(&f, a), fy(&f, b));
    char v[96];
    short_money(v, sizeof v, amount, currency);
    bad |= fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", xq + 6, top, bw - 12,
                   fabs(fy(&f, a) - fy(&f, b)) + 0.5, col) < 0;
    bad |= fprintf(out, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">", xq + bw / 2,
                   top - 4) < 0 || esc(out, v) || fputs("</text>", out) == EOF;
    bad |= label_text(out, xq + bw / 2, f.y0 + 16, "middle", 10, "tick", name, (size_t)fmax(4, (bw - 6) / 6.0));
    bad |= fputc('\n', out) == EOF;
    run = q < n - 1 ? b : run;
  }
  bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>"
                      "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">benefit "
                      "and cost lines, then the net</text>\n", f.x0, f.y0, f.x1, f.y0, (f.x0 + f.x1) / 2, f.y0 + 36) < 0;
  return bad || fputs("</svg></figure>\n", out) == EOF;
}

/* the event study: effects by time since training with their band */
static int svg_events(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  if (!r->n_events) return 0;
  double lo = 0, hi = 0, tmin = r->event_time[0], tmax = r->event_time[r->n_events - 1];
  for (size_t q = 0; q < r->n_events; q++)
    if (isfinite(r->event_low[q])) lo = fmin(lo, r->event_low[q]), hi = fmax(hi, r->event_high[q]);
  frame f = {640, 300, 70, 620, 236, 12, tmin - 0.5, tmax + 0.5, 0, 0};
  ticks ty = nice_ticks(&lo, &hi, 5);
  f.ylo = lo, f.yhi = hi;
  int bad = svg_open(out, "events", "Event study", f.W, f.H);
  bad |= axis_y(out, &f, ty, TICK_NUM, NULL, "effect", o->kpi_unit ? o->kpi_unit : o->outcome);
  bad |= fprintf(out, "<line class=\"zero\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\"/>"
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n",
                 f.x0, fy(&f, 0), f.x1, fy(&f, 0), fx(&f, -0.5), f.y1, fx(&f, -0.5), f.y0) < 0;
  /* every tick labelled when they fit (about 28 px each), else every k-th */
  size_t every = (size_t)ceil(28.0 * (double)r->n_events / (f.x1 - f.x0));
  bad |= fprintf(out, "<g class=\"axis x\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>", f.x0, f.y0,
                 f.x1, f.y0) < 0;
  for (size_t q = 0; q < r->n_events; q++) {
    double xq = fx(&f, r->event_time[q]);
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>", xq, f.y0, xq, f.y0 + 4) < 0;
    if (q % (every ? every : 1) == 0)
      bad |= fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%g</text>", xq,
                     f.y0 + 16, r->event_time[q]) < 0;
  }
  bad |= fprintf(out, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">periods since "
                      "training (negative: before)</text></g>\n", (f.x0 + f.x1) / 2, f.y0 + 32) < 0;
  for (size_t q = 0; q < r->n_events; q++) {
    if (!isfinite(r->event_att[q])) continue;
    double xq = fx(&f, r->event_time[q]);
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f4e79\" stroke-width=\"2\"/>"
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n", xq, fy(&f, r->event_low[q]), xq,
                   fy(&f, r->event_high[q]), xq, fy(&f, r->event_att[q]), r->event_time[q] < 0 ? "#888" : "#1f4e79") < 0;
  }
  legend_item li[3] = {{"<circle cx=\"7\" cy=\"-4\" r=\"4\" fill=\"#888\"/>", "before training (pre-trend)"},
                       {"<circle cx=\"7\" cy=\"-4\" r=\"4\" fill=\"#1f4e79\"/>", "after training"},
                       {"<line x1=\"7\" y1=\"-9\" x2=\"7\" y2=\"1\" stroke=\"#1f4e79\" stroke-width=\"2\"/>",
                        r->event_uniform ? "uniform 95% band" : "pointwise 95% band"}};
  bad |= legend(out, f.x0, f.H - 8, li, 3);
  bad |= fprintf(out, "</svg></figure>\n<p>Effect by periods since training with its %s band; periods left of the dashed line "
                      "are before training (pre-trends: they should sit on zero).</p>\n",
                 r->event_uniform ? "uniform (simultaneous)" : "pointwise") < 0;
  return bad;
}

/* the propensity scores of both groups (shares per bin of 0.05) */
static int svg_overlap(FILE *out, const attrib_analyze_result *r) {
  if (!r->has_scores) return 0;
  double lo = 0, hi = 0;
  for (int g = 0; g < 2; g++)
    for (int b = 0; b < 20; b++) hi = fmax(hi, r->score_hist[g][b]);
  frame f = {640, 270, 70, 620, 210, 12, 0, 1, 0, 0};
  ticks ty = nice_ticks(&lo, &hi, 4);
  f.ylo = lo, f.yhi = hi;
  ticks tx = {0, 0.2, 6};
  double bw = (f.x1 - f.x0) / 20.0;
  int bad = svg_open(out, "overlap", "Propensity score overlap", f.W, f.H);
  bad |= axis_y(out, &f, ty, TICK_SHARE, NULL, "share of the group", NULL);
  for (int g = 0; g < 2; g++)
    for (int b = 0; b < 20; b++) {
      double h = f.y0 - fy(&f, r->score_hist[g][b]);
      bad |= fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.7\"/>",
                     f.x0 + bw * b + (g ? bw / 2 : 0), f.y0 - h, bw / 2, h, g ? "#1f4e79" : "#e67e22") < 0;
    }
  bad |= fputc('\n', out) == EOF || axis_x(out, &f, tx, TICK_NUM, NULL, "propensity score (estimated chance of training)", NULL);
  legend_item li[2] = {{"<rect x=\"0\" y=\"-9\" width=\"14\" height=\"9\" fill=\"#1f4e79\"/>", "trained"},
                       {"<rect x=\"0\" y=\"-9\" width=\"14\" height=\"9\" fill=\"#e67e22\"/>", "untrained"}};
  bad |= legend(out, f.x0, f.H - 8, li, 2);
  return bad || fputs("</svg></figure>\n", out) == EOF;
}

/* the tornado's inputs in words */
static const char *input_words(const char *name) {
  if (!strcmp(name, "value_per_unit")) return "value per unit of the KPI";
  if (!strcmp(name, "learners")) return "learners";
  if (!strcmp(name, "horizon")) return "horizon";
  if (!strcmp(name, "attribution")) return "attribution share";
  if (!strcmp(name, "effect")) return "effect";
  return name;
}

/* ROI at the low and high value of each input, largest swing on top */
static int svg_tornado(FILE *out, const attrib_roi_sweep *t, double base) {
  if (!t || !t->n_dims) return 0;
  double lo = fmin(base, 0), hi = fmax(base, 0);
  for (size_t q = 0; q < t->n_dims; q++)
    lo = fmin(lo, fmin(t->tornado[q].roi_low, t->tornado[q].roi_high)),
    hi = fmax(hi, fmax(t->tornado[q].roi_low, t->tornado[q].roi_high));
  frame f = {640, 70.0 + 28.0 * (double)t->n_dims, 220, 570, 0, 8, 0, 0, 0, 0};
  f.y0 = f.H - 44;
  ticks tk = nice_ticks(&lo, &hi, 5);
  f.xlo = lo, f.xhi = hi;
  int bad = svg_open(out, "tornado", "ROI tornado", f.W, f.H);
  bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>\n", fx(&f, base), f.y1,
                 fx(&f, base), f.y0) < 0;
  for (size_t q = 0; q < t->n_dims; q++) {
    const attrib_roi_tornado *d = &t->tornado[q];
    double y = f.y1 + 6 + 28.0 * (double)q, a = fmin(d->roi_low, d->roi_high), b = fmax(d->roi_low, d->roi_high);
    bad |= label_text(out, 6, y + 13, "start", 11, "label", input_words(d->name), 34);
    bad |= fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"#5c6bc0\"/>", fx(&f, a), y,
                   fmax(1.0, fx(&f, b) - fx(&f, a))) < 0;
    /* one label when the two ends round alike (it read "55% 55%"), else one each side */
    if (lround(a) == lround(b))
      bad |= fprintf(out, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%.0f%% (no change)</text>\n",
                     fx(&f, b) + 4, y + 13, b) < 0;
    else
      bad |= fprintf(out, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.0f%%</text>"
                          "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%.0f%%</text>\n",
                     fx(&f, a) - 4, y + 13, a, fx(&f, b) + 4, y + 13, b) < 0;
  }
  bad |= axis_x(out, &f, tk, TICK_PCT, NULL, "ROI with the input 20% lower / higher", "%");
  bad |= fprintf(out, "</svg></figure>\n<p>ROI with each input 20%% lower and higher (attribution from half to all), the "
                      "others at their values; the line is the base ROI %.0f%%.</p>\n", base) < 0;
  return bad;
}

/* the funnel: each tier's share of the eligible learners, with counts */
static int svg_funnel(FILE *out, const attrib_analyze_result *r) {
  const attrib_analyze_funnel *fu = &r->funnel;
  frame f = {640, 64.0 + 34.0 * (double)fu->n_tiers, 190, 540, 0, 8, 0, 1, 0, 0};
  f.y0 = f.H - 44;
  ticks t = {0, 0.2, 6};
  int bad = svg_open(out, "funnel", "Funnel", f.W, f.H);
  for (size_t q = 0; q < fu->n_tiers; q++) {
    const attrib_analyze_funnel_tier *x = &fu->tiers[q];
    double y = f.y1 + 6 + 34.0 * (double)q;
    char name[64], cnt[48];
    snprintf(name, sizeof name, "%c%s (%s)", x->tier[0] - 32, x->tier + 1, x->name);
    attrib__fmt_grouped(cnt, sizeof cnt, (double)x->n, 0);
    bad |= label_text(out, 6, y + 15, "start", 11, "label", name, 30);
    bad |= fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"22\" fill=\"%s\"/><text class=\"value\" x=\"%.1f\" "
                        "y=\"%.1f\" font-size=\"10\">%.0f%% (%s)</text>\n", f.x0, y, fmax(1, fx(&f, x->share) - f.x0),
                   palette[q % 6], fx(&f, x->share) + 4, y + 15, 100 * x->share, cnt) < 0;
  }
  bad |= axis_x(out, &f, t, TICK_SHARE, NULL, "share of the eligible learners", NULL);
  return bad || fputs("</svg></figure>\n", out) == EOF;
}

/* the cohort lines: the KPI's mean by period per cohort (training start
 * marked with a triangle), or before / after by arm */
static int svg_lines(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_analyze_cohort_lines *cl = &r->cohort_lines;
  double lo = INFINITY, hi = -INFINITY;
  for (size_t k = 0; k < cl->n_lines; k++)
    for (size_t p = 0; p < cl->n_points; p++)
      if (isfinite(cl->lines[k].mean[p])) lo = fmin(lo, cl->lines[k].mean[p]), hi = fmax(hi, cl->lines[k].mean[p]);
  if (!isfinite(lo)) return 0;
  size_t rows = (cl->n_lines + 2) / 3; /* legend: three items a row */
  frame f = {640, 290 + 16.0 * (double)rows, 70, 620, 236, 12, 0, 0, 0, 0};
  ticks ty = nice_ticks(&lo, &hi, 5);
  f.ylo = lo, f.yhi = hi;
  f.xlo = cl->points[0] - 0.5, f.xhi = cl->points[cl->n_points - 1] + 0.5;
  int bad = svg_open(out, "lines", "KPI over time by cohort", f.W, f.H);
  bad |= axis_y(out, &f, ty, TICK_NUM, NULL, "mean", o->kpi_unit ? o->kpi_unit : o->outcome);
  size_t every = (size_t)ceil(28.0 * (double)cl->n_points / (f.x1 - f.x0));
  bad |= fprintf(out, "<g class=\"axis x\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>", f.x0, f.y0,
                 f.x1, f.y0) < 0;
  for (size_t p = 0; p < cl->n_points; p++) {
    double xp = fx(&f, cl->points[p]);
    bad |= fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>", xp, f.y0, xp, f.y0 + 4) < 0;
    if (p % (every ? every : 1)) continue;
    if (cl->kind == 1)
      bad |= fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%g</text>", xp,
                     f.y0 + 16, cl->points[p]) < 0;
    else
      bad |= fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>", xp,
                     f.y0 + 16, p ? "after" : "before") < 0;
  }
  bad |= fprintf(out, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">", (f.x0 + f.x1) / 2,
                 f.y0 + 32) < 0;
  if (cl->kind == 1) bad |= o->period ? fprintf(out, "period (%s)", o->period) < 0 : fputs("period", out) == EOF;
  else bad |= fputs("before (", out) == EOF || esc(out, o->baseline) || fputs(") and after (", out) == EOF ||
              esc(out, o->outcome) || fputs(")", out) == EOF;
  bad |= fputs("</text></g>\n", out) == EOF;
  legend_item li[32];
  char marks[32][200];
  size_t nl = cl->n_lines < 31 ? cl->n_lines : 31;
  for (size_t k = 0; k < nl; k++) {
    const attrib_analyze_cohort_line *l = &cl->lines[k];
    const char *col = k == 0 && cl->kind == 1 ? "#555" : palette[(k + (cl->kind == 1 ? 5 : 0)) % 6];
    bad |= fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", col,
                   cl->kind == 1 && k == 0 ? " stroke-dasharray=\"5 3\"" : "") < 0;
    for (size_t p = 0; p < cl->n_points; p++)
      if (isfinite(l->mean[p])) bad |= fprintf(out, "%.1f,%.1f ", fx(&f, cl->points[p]), fy(&f, l->mean[p])) < 0;
    bad |= fputs("\"/>", out) == EOF;
    for (size_t p = 0; p < cl->n_points; p++)
      if (l->start == cl->points[p] && isfinite(l->mean[p])) {
        double xs = fx(&f, cl->points[p]), ys = fy(&f, l->mean[p]);
        bad |= fprintf(out, "<path d=\"M%.1f %.1fl-5 9h10z\" fill=\"%s\"><title>training starts</title></path>", xs, ys + 3,
                       col) < 0;
      }
    bad |= fputc('\n', out) == EOF;
    snprintf(marks[k], sizeof marks[k], "<line x1=\"0\" y1=\"-4\" x2=\"14\" y2=\"-4\" stroke=\"%s\" stroke-width=\"2\"/>", col);
    li[k] = (legend_item){marks[k], l->label};
  }
  for (size_t row = 0; row < rows; row++) {
    size_t k0 = row * 3, m = nl - k0 < 3 ? nl - k0 : 3;
    if (k0 < nl) bad |= legend(out, f.x0, f.y0 + 52 + 16.0 * (double)row, li + k0, m);
  }
  return bad || fputs("</svg></figure>\n", out) == EOF;
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

static const char css[] =
    "<style>body{font-family:system-ui,sans-serif;max-width:880px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right;"
    "vertical-align:top}th{background:#f3f3f3}td:first-child,th:first-child,td.words,th.words{text-align:left}"
    "small,.tech{color:#666;font-size:.8em}.pass{color:#2e7d32}.caution{color:#b26a00}.fail{color:#c62828}"
    ".headline{font-size:1.4em}.verdict-text{font-size:1.1em;border-left:4px solid #1f4e79;padding:.4em .8em;"
    "background:#f5f8fb}.verdict-text.inconclusive{border-color:#c62828;background:#fdf3f3}"
    ".verdict-text.no_detectable_effect{border-color:#b26a00}"
    ".cards{display:flex;flex-wrap:wrap;gap:.5em;margin:1em 0}.card{flex:1 1 9em;border:1px solid #ccc;border-radius:6px;"
    "padding:.4em .6em;min-width:8em}.card .label{font-size:.75em;text-transform:uppercase;color:#555}"
    ".card .value{font-size:1.25em;font-weight:600;overflow-wrap:anywhere}.card .note{font-size:.75em;color:#555}"
    ".card.caution .value{color:#b26a00}.card.fail .value{color:#c62828}.card.pass .value{color:#2e7d32}"
    "figure{margin:.5em 0}svg.chart{max-width:100%;height:auto}.side{display:flex;gap:1em;align-items:flex-start;"
    "flex-wrap:wrap}"
    "h2,h3{break-after:avoid;page-break-after:avoid}"
    "@page{margin:14mm}"
    "@media print{body{max-width:none;margin:0}section,figure,table,.cards,.side,.verdict-text{break-inside:avoid;"
    "page-break-inside:avoid}h1,h2,h3{break-after:avoid;page-break-after:avoid}"
    "section{break-before:auto}a{color:inherit}}</style>\n";

/* the quick-card: six to eight numbers on one row */
static int html_cards(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  attrib__card c[8];
  size_t n = attrib__analyze_cards(r, o, c);
  int bad = fputs("<div class=\"cards\" id=\"quick-card\">\n", out) == EOF;
  for (size_t q = 0; q < n; q++) {
    bad |= fprintf(out, "<div class=\"card %s\" data-card=\"%s\"><div class=\"label\">", c[q].cls, c[q].key) < 0 ||
           esc(out, c[q].label) || fputs("</div><div class=\"value\">", out) == EOF || esc(out, c[q].value) ||
           fputs("</div><div class=\"note\">", out) == EOF || esc(out, c[q].note) || fputs("</div></div>\n", out) == EOF;
  }
  return bad || fputs("</div>\n", out) == EOF;
}

static int html_funnel(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_analyze_funnel *f = &r->funnel;
  char a[48], b[48], c[48];
  attrib__fmt_grouped(a, sizeof a, (double)f->n_eligible, 0);
  attrib__fmt_grouped(b, sizeof b, (double)f->n_treated, 0);
  attrib__fmt_grouped(c, sizeof c, (double)f->n_control, 0);
  int bad = fprintf(out, "<section id=\"funnel\"><h2>From adoption to business impact</h2>\n<p>Of <span data-key=\"funnel_"
                         "n_eligible\" data-value=\"%zu\">%s</span> eligible learners (%s in the trained arm, %s in the "
                         "untrained arm):</p>\n", f->n_eligible, a, b, c) < 0;
  bad |= svg_funnel(out, r);
  bad |= fputs("<table><tr><th>tier</th><th>learners</th><th>share of eligible</th><th>of the tier before</th><th>trained "
               "arm</th><th>untrained arm</th></tr>\n", out) == EOF;
  for (size_t q = 0; q < f->n_tiers; q++) {
    const attrib_analyze_funnel_tier *t = &f->tiers[q];
    attrib__fmt_grouped(a, sizeof a, (double)t->n, 0);
    bad |= fprintf(out, "<tr><td>%c%s <small>(%s: ", t->tier[0] - 32, t->tier + 1, t->name) < 0 || esc(out, t->column);
    bad |= fprintf(out, ")</small></td><td>%s</td><td data-key=\"funnel_%s\" data-value=\"%.17g\">%.1f%%</td><td>", a, t->name,
                   t->share, 100 * t->share) < 0;
    bad |= (isfinite(t->share_of_previous) ? fprintf(out, "%.1f%%", 100 * t->share_of_previous) : fprintf(out, "&ndash;")) < 0;
    bad |= fprintf(out, "</td><td>%.1f%% (%zu)</td><td>%.1f%% (%zu)</td></tr>\n", 100 * t->share_treated, t->n_treated,
                   100 * t->share_control, t->n_control) < 0;
  }
  const attrib_analyze_method *pm = &r->methods[r->primary];
  bad |= fputs("<tr><td>Business impact <small>(effect on ", out) == EOF || esc(out, o->kpi_unit ? o->kpi_unit : o->outcome);
  bad |= fprintf(out, ")</small></td><td colspan=\"5\" class=\"words\">%+.4g per learner (%g%% interval %.4g to %.4g), by "
                      "%s</td></tr></table></section>\n", pm->estimate, 100 * o->level, pm->ci_low, pm->ci_high,
                 attrib__analyze_method_title(pm->method)) < 0;
  return bad;
}

static int html_lines(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_analyze_cohort_lines *cl = &r->cohort_lines;
  int bad = fputs("<section id=\"cohort-lines\"><h2>The KPI over time</h2>\n<p>", out) == EOF;
  if (cl->kind == 1)
    bad |= fputs("Mean of ", out) == EOF || esc(out, o->outcome) ||
           fputs(" by period for each rollout cohort (learners first trained in the same period) and the never-trained "
                 "learners; a triangle marks the period training started.</p>\n", out) == EOF;
  else
    bad |= fputs("Mean of ", out) == EOF || esc(out, o->baseline) || fputs(" (before) and ", out) == EOF ||
           esc(out, o->outcome) || fputs(" (after) in each arm, over the learners with both.</p>\n", out) == EOF;
  bad |= svg_lines(out, r, o);
  bad |= fputs("<table><tr><th>cohort</th><th>learners</th>", out) == EOF;
  for (size_t p = 0; p < cl->n_points; p++)
    bad |= (cl->kind == 1 ? fprintf(out, "<th>%g</th>", cl->points[p]) : fprintf(out, "<th>%s</th>", p ? "after" : "before")) < 0;
  bad |= fputs("</tr>\n", out) == EOF;
  for (size_t k = 0; k < cl->n_lines; k++) {
    const attrib_analyze_cohort_line *l = &cl->lines[k];
    bad |= fputs("<tr><td>", out) == EOF || esc(out, l->label) || fprintf(out, "</td><td>%zu</td>", l->n_units) < 0;
    for (size_t p = 0; p < cl->n_points; p++)
      bad |= fprintf(out, "<td%s>%.4g</td>", l->start == cl->points[p] ? " class=\"caution\" title=\"training starts\"" : "",
                     l->mean[p]) < 0;
    bad |= fputs("</tr>\n", out) == EOF;
  }
  return bad || fputs("</table></section>\n", out) == EOF;
}

static int html_methods(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  int panel = r->design != ATTRIB_ANALYZE_CROSS_SECTION;
  int bad = fputs("<section id=\"methods\"><h2>Effect by method</h2>\n", out) == EOF || svg_forest(out, r, o);
  bad |= fprintf(out, "<table><tr><th>method</th><th class=\"words\">what it estimates</th><th>estimate</th><th>SE</th>"
                      "<th class=\"words\">the SE is</th><th>%g%% interval</th><th class=\"words\">interval from</th></tr>\n",
                 100 * o->level) < 0;
  for (size_t q = 0; q < r->n_methods; q++) {
    const attrib_analyze_method *m = &r->methods[q];
    bad |= fprintf(out, "<tr><td>%s%s<br><small class=\"tech\">%s</small></td><td class=\"words\">%s<br><small class=\"tech\">",
                   attrib__analyze_method_title(m->method), (long)q == r->primary ? " <strong>(primary)</strong>" : "",
                   m->method, attrib__analyze_estimand_words(m, panel)) < 0 || esc(out, m->estimand) ||
           fputs("</small></td>", out) == EOF;
    if (m->status)
      bad |= fprintf(out, "<td colspan=\"5\" class=\"words\">%s", m->skipped ? "" : "not estimated: ") < 0 || esc(out, m->message) ||
             fputs("</td>", out) == EOF;
    else {
      bad |= fprintf(out, "<td data-key=\"method_%s\" data-value=\"%.17g\">%.4g</td><td>%.4g</td><td class=\"words\">",
                     m->method, m->estimate, m->estimate, m->std_error) < 0 || esc(out, m->se_kind);
      bad |= fprintf(out, "</td><td>%.4g to %.4g</td><td class=\"words\">", m->ci_low, m->ci_high) < 0 ||
             esc(out, m->interval_method) || fputs("</td>", out) == EOF;
    }
    bad |= fputs("</tr>\n", out) == EOF;
    if (!m->status && m->note)
      bad |= fputs("<tr><td></td><td colspan=\"6\" class=\"words\"><small>note: ", out) == EOF || esc(out, m->note) ||
             fputs("</small></td></tr>\n", out) == EOF;
  }
  return bad || fputs("</table></section>\n", out) == EOF;
}

static int html_roi(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_roi_result *x = r->roi;
  char a[96];
  int bad = fputs("<section id=\"roi\"><h2>Return on investment</h2>\n<div class=\"side\"><table><tr><th>line</th><th>amount",
                  out) == EOF;
  if (o->currency) bad |= fputs(" (", out) == EOF || esc(out, o->currency) || fputs(")", out) == EOF;
  bad |= fputs("</th></tr>\n", out) == EOF;
  for (size_t q = 0; q < x->n_benefits; q++) {
    attrib__fmt_money(a, sizeof a, x->benefits[q].amount, o->currency);
    bad |= fputs("<tr><td>benefit: ", out) == EOF || esc(out, x->benefits[q].name) || fputs("</td><td>", out) == EOF ||
           esc(out, a) || fputs("</td></tr>\n", out) == EOF;
  }
  for (size_t q = 0; q < x->n_costs; q++) {
    attrib__fmt_money(a, sizeof a, -x->costs[q].amount, o->currency);
    bad |= fputs("<tr><td>cost: ", out) == EOF || esc(out, x->costs[q].name) || fputs("</td><td>", out) == EOF ||
           esc(out, a) || fputs("</td></tr>\n", out) == EOF;
  }
  attrib__fmt_money(a, sizeof a, x->net_benefit, o->currency);
  bad |= fprintf(out, "<tr><th>net benefit%s</th><th data-key=\"net_benefit\" data-value=\"%.17g\">", r->headline.roi_is_finding
                                                                                                          ? "" : " (estimate)",
                 x->net_benefit) < 0 || esc(out, a) || fputs("</th></tr></table>\n", out) == EOF;
  bad |= svg_waterfall(out, x, o->currency) || fputs("</div>\n", out) == EOF;
  char pb[128];
  attrib__analyze_payback_words(pb, sizeof pb, r, o);
  bad |= fputs("<p>Payback: ", out) == EOF || esc(out, pb) || fputs(".", out) == EOF;
  if (isfinite(x->annual_net_benefit)) {
    attrib__fmt_money(a, sizeof a, x->annual_net_benefit, o->currency);
    bad |= fputs(" Net benefit per year of the horizon: ", out) == EOF || esc(out, a) ||
           fputs(" (the costs spread over the horizon's years, not repeated each year).", out) == EOF;
  }
  bad |= fputs("</p>\n", out) == EOF;
  /* the sweep at 50/70/90% beside its curve, the break-even figures in a sentence each */
  bad |= fputs("<h3>ROI by the share of the effect credited to training</h3>\n<div class=\"side\">", out) == EOF ||
         svg_attribution(out, r);
  if (r->attribution_sweep && r->attribution_sweep->n_cells >= 9) {
    bad |= fputs("<table><tr><th>attribution</th><th>ROI</th></tr>", out) == EOF;
    for (size_t q = 4; q <= 8; q += 2)
      bad |= fprintf(out, "<tr><td>%.0f%%</td><td data-key=\"attribution_%.0f\" data-value=\"%.17g\">%.0f%%</td></tr>",
                     100 * r->attribution_values[q], 100 * r->attribution_values[q], r->attribution_sweep->roi_pct[q],
                     r->attribution_sweep->roi_pct[q]) < 0;
    bad |= fputs("</table>", out) == EOF;
  }
  bad |= fputs("</div>\n", out) == EOF;
  attrib__fmt_grouped(a, sizeof a, x->breakeven_effect, 4);
  bad |= fputs("<p>The programme breaks even at an effect of ", out) == EOF || esc(out, a) ||
         fputs(" per learner on ", out) == EOF || esc(out, o->kpi_unit ? o->kpi_unit : o->outcome) || fputs(".</p>\n", out) == EOF;
  bad |= fprintf(out, "<p>It breaks even if training explains %.0f%% of the effect (attribution-share scenarios are "
                      "assumptions, not sampling uncertainty).</p>\n", 100 * x->breakeven_attribution) < 0;
  if (r->tornado) {
    const attrib_roi_sweep *tw = r->tornado;
    bad |= fputs("<h3>Which assumption matters most</h3>\n", out) == EOF || svg_tornado(out, tw, x->roi_pct);
    bad |= fputs("<h3>Scenarios</h3>\n<table><tr><th>scenario</th><th>ROI</th>", out) == EOF;
    for (size_t d = 0; d < tw->n_dims; d++)
      bad |= fputs("<th>", out) == EOF || esc(out, input_words(tw->tornado[d].name)) || fputs("</th>", out) == EOF;
    static const char *const names[3] = {"conservative", "moderate", "optimistic"};
    for (int q = 0; q < 3; q++) {
      bad |= fprintf(out, "</tr>\n<tr><td>%s</td><td data-key=\"scenario_%s\" data-value=\"%.17g\">%.0f%%</td>", names[q],
                     names[q], tw->scenario_roi[q], tw->scenario_roi[q]) < 0;
      for (size_t d = 0; d < tw->n_dims; d++) {
        attrib__fmt_grouped(a, sizeof a, tw->scenario_values[(size_t)q * tw->n_dims + tw->tornado[d].dim], 3);
        bad |= fprintf(out, "<td>%s</td>", a) < 0;
      }
    }
    bad |= fputs("</tr></table><p>Each input at its least favourable, its given and its most favourable value "
                 "together.</p>\n", out) == EOF;
  }
  return bad || fputs("</section>\n", out) == EOF;
}

/* Honest parallel trends: the sets, the breakdown and the break-even in money, or why not */
static int html_honest(FILE *out, const attrib_analyze_result *r) {
  char sentence[512];
  attrib__analyze_honest_sentence(sentence, sizeof sentence, r);
  int bad = fputs("<section id=\"honest\"><h2>Sensitivity to parallel trends</h2>\n<p>", out) == EOF;
  if (!r->honest) return bad || esc(out, sentence) || fputs(".</p></section>\n", out) == EOF;
  const attrib_honest_result *h = r->honest;
  const attrib_honest_breakeven_result *b = &r->honest_breakeven;
  if (r->has_honest_breakeven && b->search == ATTRIB_HONEST_FOUND)
    bad |= fprintf(out, "<strong data-key=\"breakeven_roi\" data-value=\"%.17g\">", b->m) < 0;
  else bad |= fputs("<strong data-key=\"breakeven_roi\" data-value=\"\">", out) == EOF;
  /* the sentence's first letter up */
  if (sentence[0] >= 'a' && sentence[0] <= 'z') sentence[0] = (char)(sentence[0] - 'a' + 'A');
  bad |= esc(out, sentence) || fputs(".</strong></p>\n", out) == EOF;
  const int sd = h->restriction == ATTRIB_HONEST_SD;
  const char *mname = sd ? "M" : "Mbar";
  bad |= fprintf(out, "<p>Rambachan &amp; Roth (2023), %s. Robust %g%% "
                      "sets for the average of the %zu post-period effects (Callaway-Sant'Anna's event study, "
                      "universal base period; %.4g under parallel trends):</p>\n<table><tr><th>%s</th><th>low</th>"
                      "<th>high</th></tr>\n",
                 sd ? "smoothness: after the rollout, the trend's slope changes by at most M per period squared"
                    : "relative magnitudes: after the rollout, the period-to-period departure from parallel trends is "
                      "at most Mbar times the largest one before it",
                 100 * h->level, h->n_post, h->estimate, mname) < 0;
  for (size_t i = 0; i < h->n_sets; i++) {
    const attrib_honest_set *s = &h->sets[i];
    if (s->shape == ATTRIB_HONEST_EMPTY) bad |= fprintf(out, "<tr><td>%g</td><td colspan=\"2\">empty</td></tr>\n", s->m) < 0;
    else bad |= fprintf(out, "<tr><td>%g</td><td>%.4g</td><td>%.4g</td></tr>\n", s->m, s->ci_low, s->ci_high) < 0;
  }
  bad |= fprintf(out, "</table>\n<p>Breakdown (the largest %s at which the set excludes zero): ", mname) < 0;
  if (h->breakdown_search == ATTRIB_HONEST_NOT_AT_ZERO)
    bad |= fprintf(out, "none, the set includes zero at %s = 0", mname) < 0;
  else bad |= fprintf(out, "%s<span data-key=\"breakdown\" data-value=\"%.17g\">%.3g</span>",
                      h->breakdown_search == ATTRIB_HONEST_BEYOND_MAX ? "at least " : "", h->breakdown, h->breakdown) < 0;
  return bad || fputs(".</p></section>\n", out) == EOF;
}

/* options.mediator: the four quantities with their intervals and rho at
 * zero, in words; each number carried as data-key / data-value */
static int html_mediation(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_mediate_result *m = r->mediation;
  static const struct { attrib_mediate_quantity q; const char *key, *words; } rows[] = {
      {ATTRIB_MEDIATE_ACME, "mediation_acme", "through the mediator (ACME)"},
      {ATTRIB_MEDIATE_ADE, "mediation_ade", "not through it (direct effect, ADE)"},
      {ATTRIB_MEDIATE_TOTAL, "mediation_total_effect", "total effect"},
      {ATTRIB_MEDIATE_PROP, "mediation_prop_mediated", "share of the effect through the mediator"}};
  int bad = fputs("<section id=\"mediation\"><h2>Through the mediator: ", out) == EOF || esc(out, o->mediator) ||
            fputs("</h2>\n<p>How much of the effect of ", out) == EOF || esc(out, o->treat) ||
            fputs(" on ", out) == EOF || esc(out, o->kpi_unit ? o->kpi_unit : o->outcome) ||
            fputs(" passes through ", out) == EOF || esc(out, o->mediator) ||
            fprintf(out, " (Imai, Keele &amp; Tingley 2010: a linear model of the mediator and one of the outcome, "
                         "%zu learners; %g%% intervals from %zu %s draws).</p>\n<table><tr><th>quantity</th>"
                         "<th>estimate</th><th>%g%% interval</th></tr>\n",
                    m->n, 100 * m->level, m->sims, attrib_mediate_ci_name(m->ci_method), 100 * m->level) < 0;
  for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
    const attrib_mediate_effect *e = &m->effects[rows[k].q];
    int pct = rows[k].q == ATTRIB_MEDIATE_PROP;
    double f = pct ? 100.0 : 1.0;
    bad |= fprintf(out, "<tr><td>%s</td><td data-key=\"%s\" data-value=\"%.17g\">%.4g%s</td><td>%.4g%s to %.4g%s</td>"
                        "</tr>\n", rows[k].words, rows[k].key, e->estimate, f * e->estimate, pct ? "%" : "",
                   f * e->ci_low, pct ? "%" : "", f * e->ci_high, pct ? "%" : "") < 0;
  }
  bad |= fputs("</table>\n<p>", out) == EOF;
  if (isfinite(m->rho_at_zero))
    bad |= fputs("The effect through the mediator assumes nothing unmeasured drives both the mediator and the KPI; it "
                 "would vanish if the two models' errors correlated at rho = ", out) == EOF ||
           num_span(out, "mediation_rho_at_zero", m->rho_at_zero, "%.3g") ||
           fputs(" (0 when that assumption holds).", out) == EOF;
  else
    bad |= fputs("<span data-key=\"mediation_rho_at_zero\" data-value=\"\"></span>No sensitivity figure with the "
                 "treatment x mediator interaction.", out) == EOF;
  return bad || fputs("</p></section>\n", out) == EOF;
}

/* the next pilot: the MDE at its size, the power for the estimated effect,
 * the learners needed for it, and the break-even in money; or why not */
static int html_pilot(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_analyze_pilot *p = &r->pilot;
  const attrib_power_result *a = p->at_n;
  int bad = fputs("<section id=\"pilot\"><h2>The next pilot</h2>\n<p>", out) == EOF;
  if (!p->computed || !a)
    return bad || fputs("Not planned: ", out) == EOF || esc(out, p->note ? p->note : "not computed") ||
           fputs(".</p></section>\n", out) == EOF;
  bad |= fputs("Planned as ", out) == EOF || esc(out, p->note ? p->note : "") ||
         fprintf(out, " (Bloom 1995; %s-sided test at %g, power %g).</p>\n<ul>\n", a->sides == 2 ? "two" : "one",
                 a->alpha, a->target_power) < 0;
  const char *kpi = o->kpi_unit ? o->kpi_unit : o->outcome;
  bad |= fprintf(out, "<li>With <span data-key=\"pilot_n\" data-value=\"%.17g\">%g</span> learners the smallest "
                      "effect it detects is ", a->n, a->n) < 0 ||
         num_span(out, "pilot_mde", a->mde, "%.4g") || fputs(" ", out) == EOF || esc(out, kpi) ||
         fprintf(out, " (%.2g standard deviations).</li>\n", a->effect_size) < 0;
  if (p->at_effect)
    bad |= fprintf(out, "<li>Its chance of detecting an effect as large as this study's (%.4g): ", fabs(p->effect)) < 0 ||
           num_span(out, "pilot_power", p->at_effect->power, "%.2f") || fputs(".</li>\n", out) == EOF;
  if (p->required)
    bad |= fprintf(out, "<li>Learners needed to detect it with power %g: ", a->target_power) < 0 ||
           num_span(out, "pilot_n_required", p->required->n, "%.0f") ||
           fprintf(out, " (%zu trained and %zu not, rounded up).</li>\n", p->required->n_treated_whole,
                   p->required->n_control_whole) < 0;
  if (a->has_roi) {
    bad |= fputs("<li>In money: the break-even effect is ", out) == EOF ||
           num_span(out, "pilot_breakeven_effect", a->breakeven_effect, "%.4g");
    if (isfinite(a->n_breakeven))
      bad |= fprintf(out, "; a pilot detects it with power %g from ", a->target_power) < 0 ||
             num_span(out, "pilot_n_breakeven", a->n_breakeven, "%.0f") || fputs(" learners", out) == EOF;
    bad |= fprintf(out, "; the ROI at the minimum detectable effect is %.0f%%.</li>\n", a->mde_roi_pct) < 0;
  }
  return bad || fputs("</ul></section>\n", out) == EOF;
}

attrib_status attrib_report_write_analyze_html(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o,
                                               const attrib_report_context *ctx, attrib_error *err) {
  if (!out || !r || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_analyze_html: NULL argument");
  int bad = fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Attribution study: ", out) == EOF;
  bad |= esc(out, o->treat);
  bad |= fputs(" on ", out) == EOF || esc(out, o->outcome);
  bad |= fputs("</title>\n", out) == EOF || fputs(css, out) == EOF || fputs("</head><body>\n", out) == EOF;
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
  char *text = attrib__analyze_headline_text(r, o);
  if (!text) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  bad |= fprintf(out, "<p class=\"verdict-text %s\" id=\"headline\" data-verdict=\"%s\">", v, v) < 0 || esc(out, text) ||
         fputs("</p>\n", out) == EOF;
  attrib__free(text);
  bad |= html_cards(out, r, o);
  if (r->roi) {
    bad |= fputs(inconclusive ? "<p>ROI estimate " : "<p class=\"headline\">ROI ", out) == EOF ||
           num_span(out, "roi_pct", r->roi->roi_pct, "%.0f%%");
    if (r->roi->has_interval) {
      bad |= fputs(" (range ", out) == EOF || num_span(out, "roi_ci_low_pct", r->roi->roi_ci_low_pct, "%.0f%%");
      bad |= fputs(" to ", out) == EOF || num_span(out, "roi_ci_high_pct", r->roi->roi_ci_high_pct, "%.0f%%");
      bad |= fputs("; probability ROI &gt; 0: ", out) == EOF || num_span(out, "prob_roi_positive", r->roi->prob_roi_positive, "%.2f");
      bad |= fputs(")", out) == EOF;
    }
    bad |= fprintf(out, "%s, for %g learners%s.</p>\n", r->headline.roi_is_finding ? "" : ", not a finding", r->roi_learners,
                   r->roi_learners_default ? " (the treated learners in the data)" : "") < 0;
  }
  bad |= fputs("<p>Effect: ", out) == EOF || num_span(out, "effect", pm->estimate, "%.4g");
  bad |= fputs(" per learner on ", out) == EOF || esc(out, o->kpi_unit ? o->kpi_unit : o->outcome);
  bad |= fprintf(out, " (%g%% interval ", 100 * o->level) < 0 || num_span(out, "ci_low", pm->ci_low, "%.4g");
  bad |= fputs(" to ", out) == EOF || num_span(out, "ci_high", pm->ci_high, "%.4g");
  bad |= fprintf(out, "), by %s <small class=\"tech\">(%s)</small>: ", attrib__analyze_method_title(pm->method), pm->method) < 0 ||
         esc(out, r->primary_reason) || fputs(".</p>\n", out) == EOF;
  bad |= fputs("<ul>\n", out) == EOF;
  for (size_t q = 0; q < r->n_checks; q++) {
    bad |= fprintf(out, "<li>%s: <strong class=\"%s\" data-key=\"check_%s\" data-value=\"%s\">%s</strong> &mdash; ",
                   r->checks[q].name, r->checks[q].verdict, r->checks[q].name, r->checks[q].verdict, r->checks[q].verdict) < 0;
    bad |= esc(out, r->checks[q].reason) || fputs("</li>\n", out) == EOF;
  }
  bad |= fputs("</ul></section>\n", out) == EOF;
  if (r->funnel.n_tiers) bad |= html_funnel(out, r, o);
  if (r->cohort_lines.kind) bad |= html_lines(out, r, o);
  bad |= html_cohort(out, &r->cohort, o);
  bad |= html_methods(out, r, o);
  if (r->n_balance || r->has_scores)
    bad |= fputs("<section id=\"balance\"><h2>Covariate balance and overlap</h2>\n", out) == EOF || svg_love(out, r) ||
           svg_overlap(out, r) || fputs("</section>\n", out) == EOF;
  if (r->n_events)
    bad |= fputs("<section id=\"event-study\"><h2>Event study</h2>\n", out) == EOF || svg_events(out, r, o) ||
           fputs("</section>\n", out) == EOF;
  if (r->roi) bad |= html_roi(out, r, o);
  if (r->by) bad |= html_by(out, r, o);
  if (o->extra_outcomes && o->extra_outcomes[0]) bad |= html_outcomes(out, r, o);
  /* sensitivity and assumptions */
  bad |= fprintf(out, "<section id=\"sensitivity\"><h2>Sensitivity to hidden confounding</h2><ul>"
                      "<li>E-value of the effect: %.3g (confidence limit %.3g): an unmeasured factor would need to be "
                      "associated this strongly (risk ratio) with both training and the KPI to explain the effect "
                      "away</li>", r->evalue, r->evalue_ci) < 0;
  if (isfinite(r->rv_q)) bad |= fprintf(out, "<li>Robustness value: %.3g (significance: %.3g)</li>", r->rv_q, r->rv_qa) < 0;
  if (isfinite(r->breakeven_rv))
    bad |= fprintf(out, "<li>Confounding that would bring ROI to zero (partial R&sup2; with treatment and outcome): %.3g</li>",
                   r->breakeven_rv) < 0;
  if (isfinite(r->critical_gamma)) bad |= fprintf(out, "<li>Rosenbaum critical &Gamma;: %.3g</li>", r->critical_gamma) < 0;
  else if (r->rosenbaum_note)
    bad |= fputs("<li>Rosenbaum bound: ", out) == EOF || esc(out, r->rosenbaum_note) || fputs("</li>", out) == EOF;
  bad |= fputs("</ul></section>\n", out) == EOF || html_honest(out, r);
  if (r->mediation) bad |= html_mediation(out, r, o);
  bad |= html_pilot(out, r, o);
  bad |= fputs("<section id=\"assumptions\"><h2>Assumptions</h2><ul>\n", out) == EOF;
  bad |= fputs("<li>Covariates: ", out) == EOF || esc(out, r->covariates) || fputs("</li>\n", out) == EOF;
  if (o->cluster) bad |= fputs("<li>Clustered by: ", out) == EOF || esc(out, o->cluster) || fputs("</li>\n", out) == EOF;
  if (o->has_roi) {
    char vpu[96];
    attrib__fmt_money(vpu, sizeof vpu, o->roi.value_per_unit, o->currency);
    bad |= fprintf(out, "<li>Learners %g; value per unit ", r->roi_learners) < 0 || esc(out, vpu);
    bad |= fprintf(out, "; horizon %g %s%s; decay %g; attribution %g; margin %g</li>\n", o->roi.horizon,
                   o->period ? o->period : "period", o->roi.horizon == 1 ? "" : "s", o->roi.decay, o->roi.attribution,
                   o->roi.margin) < 0;
  }
  bad |= fprintf(out, "<li>Confidence level %g%%; bootstrap replicates %zu (seed %lu)</li>\n", 100 * o->level, o->bootstrap, o->seed) < 0;
  bad |= fputs("</ul><p>Every number here is in the JSON result of the same analysis (its JSON format).</p></section>\n"
               "</body></html>\n", out) == EOF;
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the report") : ATTRIB_OK;
}
