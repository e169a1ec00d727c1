/*
 * The analyze one-pager as Markdown (issue 16): the headline in words, the
 * quick-card, the funnel, the cohort lines, the methods in plain language
 * with what their SE and interval really are, the checks, ROI and the
 * attribution sweep, for pasting into a wiki or an e-mail. The same words
 * as the HTML report and the JSON's headline.text (report_words.c).
 * Strings from the data are written with Markdown's table and emphasis
 * characters escaped.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

/* text in a Markdown table cell or line: | * _ ` [ ] < > \ escaped, line breaks as spaces */
static int md(FILE *out, const char *s) {
  int bad = 0;
  for (; s && *s && !bad; s++) {
    if (strchr("|*_`[]<>\\#", *s)) bad = fputc('\\', out) == EOF;
    bad |= fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out) == EOF;
  }
  return bad;
}

static int md_funnel(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_analyze_funnel *f = &r->funnel;
  char a[64];
  attrib__fmt_grouped(a, sizeof a, (double)f->n_eligible, 0);
  int bad = fprintf(out, "\n## From adoption to business impact\n\n%s eligible learners.\n\n"
                         "| tier | learners | share of eligible | trained arm | untrained arm |\n|---|---:|---:|---:|---:|\n", a) < 0;
  for (size_t q = 0; q < f->n_tiers; q++) {
    const attrib_analyze_funnel_tier *t = &f->tiers[q];
    attrib__fmt_grouped(a, sizeof a, (double)t->n, 0);
    bad |= fprintf(out, "| %c%s (%s, `", t->tier[0] - 32, t->tier + 1, t->name) < 0 || md(out, t->column);
    bad |= fprintf(out, "`) | %s | %.1f%% | %.1f%% | %.1f%% |\n", a, 100 * t->share, 100 * t->share_treated,
                   100 * t->share_control) < 0;
  }
  const attrib_analyze_method *pm = &r->methods[r->primary];
  bad |= fputs("| Business impact (effect on ", out) == EOF || md(out, o->kpi_unit ? o->kpi_unit : o->outcome);
  bad |= fprintf(out, ") | %+.4g per learner | %g%% interval %.4g to %.4g | | |\n", pm->estimate, 100 * o->level, pm->ci_low,
                 pm->ci_high) < 0;
  return bad;
}

static int md_lines(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_analyze_cohort_lines *cl = &r->cohort_lines;
  int bad = fputs("\n## The KPI over time\n\nMean of ", out) == EOF || md(out, o->outcome);
  bad |= fputs(cl->kind == 1 ? " by period for each rollout cohort.\n\n| cohort | learners |" : " before (", out) == EOF;
  if (cl->kind == 2) bad |= md(out, o->baseline) || fputs(") and after, by arm.\n\n| arm | learners |", out) == EOF;
  for (size_t p = 0; p < cl->n_points; p++)
    bad |= cl->kind == 1 ? fprintf(out, " %g |", cl->points[p]) < 0 : fprintf(out, " %s |", p ? "after" : "before") < 0;
  bad |= fputs("\n|---|---:|", out) == EOF;
  for (size_t p = 0; p < cl->n_points; p++) bad |= fputs("---:|", out) == EOF;
  bad |= fputc('\n', out) == EOF;
  for (size_t k = 0; k < cl->n_lines; k++) {
    const attrib_analyze_cohort_line *l = &cl->lines[k];
    bad |= fprintf(out, "| %s | %zu |", l->label, l->n_units) < 0;
    for (size_t p = 0; p < cl->n_points; p++) bad |= fprintf(out, " %.4g%s |", l->mean[p], l->start == cl->points[p] ? " ▸" : "") < 0;
    bad |= fputc('\n', out) == EOF;
  }
  if (cl->kind == 1) bad |= fputs("\n▸ marks the period training started.\n", out) == EOF;
  return bad;
}

/* options.mediator: the four quantities with their intervals, and rho at zero */
static int md_mediation(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  const attrib_mediate_result *m = r->mediation;
  static const struct { attrib_mediate_quantity q; const char *words; } rows[] = {
      {ATTRIB_MEDIATE_ACME, "through the mediator (ACME)"}, {ATTRIB_MEDIATE_ADE, "direct (ADE)"},
      {ATTRIB_MEDIATE_TOTAL, "total"}, {ATTRIB_MEDIATE_PROP, "share mediated"}};
  int bad = fputs("\n## Through the mediator: ", out) == EOF || md(out, o->mediator) ||
            fprintf(out, "\n\nImai, Keele & Tingley (2010), %zu learners, %g%% intervals (%s, %zu draws).\n\n"
                         "| effect | estimate | interval |\n|---|---:|---:|\n",
                    m->n, 100 * m->level, attrib_mediate_ci_name(m->ci_method), m->sims) < 0;
  for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
    const attrib_mediate_effect *e = &m->effects[rows[k].q];
    bad |= fprintf(out, "| %s | %.4g | %.4g to %.4g |\n", rows[k].words, e->estimate, e->ci_low, e->ci_high) < 0;
  }
  if (isfinite(m->rho_at_zero))
    bad |= fprintf(out, "\nThe effect through the mediator would vanish if the two models' errors correlated at rho = "
                        "%.3g (0 when nothing unmeasured drives both the mediator and the KPI).\n", m->rho_at_zero) < 0;
  return bad;
}

/* the next pilot, or why there is none */
static int md_pilot(FILE *out, const attrib_analyze_result *r) {
  const attrib_analyze_pilot *p = &r->pilot;
  const attrib_power_result *a = p->at_n;
  int bad = fputs("\n## The next pilot\n\n", out) == EOF;
  if (!p->computed || !a) return bad || fputs("Not planned: ", out) == EOF || md(out, p->note ? p->note : "") ||
                                 fputs(".\n", out) == EOF;
  bad |= fputs("Planned as ", out) == EOF || md(out, p->note ? p->note : "") ||
         fprintf(out, ".\n\n- Minimum detectable effect with %g learners: %.4g (%.2g SD)\n", a->n, a->mde, a->effect_size) < 0;
  if (p->at_effect)
    bad |= fprintf(out, "- Power to detect this study's effect (%.4g): %.2f\n", fabs(p->effect), p->at_effect->power) < 0;
  if (p->required) bad |= fprintf(out, "- Learners needed for it at power %g: %.0f\n", a->target_power, p->required->n) < 0;
  if (a->has_roi && isfinite(a->n_breakeven))
    bad |= fprintf(out, "- Learners to detect the break-even effect (%.4g): %.0f\n", a->breakeven_effect, a->n_breakeven) < 0;
  return bad;
}

/* options.extra_outcomes: the primary method on every KPI, p-values adjusted across them */
static int md_outcomes(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o) {
  int bad = fprintf(out, "\n## Several KPIs\n\nThe primary method (%s) on each KPI", r->outcomes_method ? r->outcomes_method : "") < 0;
  if (r->outcomes_note) return bad || fputs(": ", out) == EOF || md(out, r->outcomes_note) || fputs(".\n", out) == EOF;
  bad |= fprintf(out, ", %s; p-values adjusted across the %zu KPIs (Romano-Wolf: ",
                 r->outcomes_per_outcome_rows ? "each on its own rows" : "on the same rows", r->n_outcomes) < 0 ||
         md(out, r->outcomes_romano_wolf ? r->outcomes_romano_wolf : "") ||
         fprintf(out, ").\n\n| KPI | n | estimate | %g%% interval | p | Holm | Romano-Wolf |\n|---|---:|---:|---|---:|---:|---:|\n",
                 100 * o->level) < 0;
  for (size_t j = 0; j < r->n_outcomes; j++) {
    const attrib_analyze_outcome *x = &r->outcomes[j];
    char p[3][32];
    attrib__fmt_p(p[0], sizeof p[0], x->effect.p_value);
    attrib__fmt_p(p[1], sizeof p[1], x->p_holm);
    attrib__fmt_p(p[2], sizeof p[2], x->p_romano_wolf);
    bad |= fputs("| ", out) == EOF || md(out, x->outcome) ||
           fprintf(out, " | %zu | %.4g | %.4g to %.4g | %s | %s | %s |\n", x->n_obs, x->effect.estimate, x->effect.ci_low,
                   x->effect.ci_high, p[0], p[1], p[2]) < 0;
  }
  return bad;
}

attrib_status attrib_report_write_analyze_md(FILE *out, const attrib_analyze_result *r, const attrib_analyze_options *o,
                                             const attrib_report_context *ctx, attrib_error *err) {
  if (!out || !r || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_analyze_md: NULL argument");
  int panel = r->design != ATTRIB_ANALYZE_CROSS_SECTION;
  int bad = fputs("# Attribution study: ", out) == EOF || md(out, o->treat);
  bad |= fputs(" → ", out) == EOF || md(out, o->outcome);
  bad |= fputs("\n\nData: ", out) == EOF || md(out, ctx && ctx->source ? ctx->source : "");
  bad |= fputs("\n\n## Headline\n\n**", out) == EOF;
  char *text = attrib__analyze_headline_text(r, o);
  if (!text) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  bad |= md(out, text);
  attrib__free(text);
  bad |= fputs("**\n\n| ", out) == EOF;
  attrib__card c[8];
  size_t n = attrib__analyze_cards(r, o, c);
  for (size_t q = 0; q < n; q++) bad |= fprintf(out, "%s |%s", c[q].label, q + 1 < n ? " " : "\n|") < 0;
  for (size_t q = 0; q < n; q++) bad |= fputs("---|", out) == EOF;
  bad |= fputs("\n|", out) == EOF;
  for (size_t q = 0; q < n; q++) bad |= fputs(" **", out) == EOF || md(out, c[q].value) || fputs("** |", out) == EOF;
  bad |= fputs("\n|", out) == EOF;
  for (size_t q = 0; q < n; q++) bad |= fputc(' ', out) == EOF || md(out, c[q].note) || fputs(" |", out) == EOF;
  bad |= fputc('\n', out) == EOF;
  if (r->funnel.n_tiers) bad |= md_funnel(out, r, o);
  if (r->cohort_lines.kind) bad |= md_lines(out, r, o);
  bad |= fprintf(out, "\n## Effect by method (%g%% intervals)\n\n| method | what it estimates | estimate | SE | SE is | "
                      "interval | interval from |\n|---|---|---:|---:|---|---|---|\n", 100 * o->level) < 0;
  for (size_t q = 0; q < r->n_methods; q++) {
    const attrib_analyze_method *m = &r->methods[q];
    bad |= fprintf(out, "| %s%s | %s <sub>(%s)</sub> |", attrib__analyze_method_title(m->method),
                   (long)q == r->primary ? " (primary)" : "", attrib__analyze_estimand_words(m, panel), m->estimand) < 0;
    if (m->status)
      bad |= fputs(m->skipped ? " " : " not estimated: ", out) == EOF || md(out, m->message) || fputs(" | | | | |\n", out) == EOF;
    else
      bad |= fprintf(out, " %.4g | %.4g | %s | %.4g to %.4g | %s |\n", m->estimate, m->std_error, m->se_kind ? m->se_kind : "",
                     m->ci_low, m->ci_high, m->interval_method ? m->interval_method : "") < 0;
  }
  bad |= fputs("\n## Design checks\n\n| check | verdict | why |\n|---|---|---|\n", out) == EOF;
  for (size_t q = 0; q < r->n_checks; q++)
    bad |= fprintf(out, "| %s | **%s** | ", r->checks[q].name, r->checks[q].verdict) < 0 || md(out, r->checks[q].reason) ||
           fputs(" |\n", out) == EOF;
  if (r->roi) {
    const attrib_roi_result *x = r->roi;
    char a[96];
    bad |= fputs("\n## Return on investment\n\n| line | amount |\n|---|---:|\n", out) == EOF;
    for (size_t q = 0; q < x->n_benefits; q++) {
      attrib__fmt_money(a, sizeof a, x->benefits[q].amount, o->currency);
      bad |= fputs("| benefit: ", out) == EOF || md(out, x->benefits[q].name) || fprintf(out, " | %s |\n", a) < 0;
    }
    for (size_t q = 0; q < x->n_costs; q++) {
      attrib__fmt_money(a, sizeof a, -x->costs[q].amount, o->currency);
      bad |= fputs("| cost: ", out) == EOF || md(out, x->costs[q].name) || fprintf(out, " | %s |\n", a) < 0;
    }
    attrib__fmt_money(a, sizeof a, x->net_benefit, o->currency);
    bad |= fprintf(out, "| **net benefit** | **%s** |\n", a) < 0;
    if (r->attribution_sweep && r->attribution_sweep->n_cells >= 9) {
      const double *v = r->attribution_sweep->roi_pct;
      bad |= fprintf(out, "\nROI if training explains 50%% / 70%% / 90%% of the effect: %.0f%% / %.0f%% / %.0f%%.\n", v[4],
                     v[6], v[8]) < 0;
    }
    attrib__fmt_grouped(a, sizeof a, x->breakeven_effect, 4);
    bad |= fprintf(out, "\nThe programme breaks even at an effect of %s per learner, or when training explains %.0f%% of the "
                        "effect.\n", a, 100 * x->breakeven_attribution) < 0;
  }
  if (r->by) {
    const attrib_by_result *b = r->by;
    char p[32];
    attrib__fmt_p(p, sizeof p, b->p_value);
    /* with --value-per-unit-by, each group's value per unit beside its ROI */
    int own_value = r->by_roi && r->by_roi_value_per_unit && o->n_by_value_per_unit;
    bad |= fputs("\n## By subgroup: ", out) == EOF || md(out, b->column) ||
           fprintf(out, "\n\nThe %s estimate in each group, from one joint fit. Equal effects: Wald %s %.4g on %.0f df, "
                        "p = %s.\n\n| group | n | estimate | SE | %g%% interval |%s%s\n|---|---:|---:|---:|---|%s%s\n",
                   r->by_method ? r->by_method : "", b->test ? b->test : "", b->statistic, b->test_df, p, 100 * o->level,
                   own_value ? " value per unit |" : "", r->by_roi ? " ROI | ROI interval |" : "",
                   own_value ? "---:|" : "", r->by_roi ? "---:|---|" : "") < 0;
    for (size_t g = 0; g < b->n_groups; g++) {
      const attrib_by_group *gr = &b->groups[g];
      bad |= fputs("| ", out) == EOF || md(out, gr->level) ||
             fprintf(out, " | %zu | %.4g | %.4g | %.4g to %.4g |", gr->n, gr->effect.estimate, gr->effect.std_error,
                     gr->effect.ci_low, gr->effect.ci_high) < 0;
      if (own_value) bad |= fprintf(out, " %.6g |", r->by_roi_value_per_unit[g]) < 0;
      if (r->by_roi) {
        const attrib_roi_result *x = r->by_roi[g];
        if (!x) bad |= fputs(" n/a | |", out) == EOF;
        else if (x->has_interval)
          bad |= fprintf(out, " %.0f%% | %.0f%% to %.0f%% |", x->roi_pct, x->roi_ci_low_pct, x->roi_ci_high_pct) < 0;
        else bad |= fprintf(out, " %.0f%% | |", x->roi_pct) < 0;
      }
      bad |= fputc('\n', out) == EOF;
    }
  }
  if (o->extra_outcomes && o->extra_outcomes[0]) bad |= md_outcomes(out, r, o);
  bad |= fprintf(out, "\n## Sensitivity to hidden confounding\n\nE-value %.3g (confidence limit %.3g)", r->evalue, r->evalue_ci) < 0;
  if (isfinite(r->critical_gamma)) bad |= fprintf(out, "; Rosenbaum critical Gamma %.3g", r->critical_gamma) < 0;
  if (isfinite(r->rv_q)) bad |= fprintf(out, "; robustness value %.3g", r->rv_q) < 0;
  bad |= fputs(".\n", out) == EOF;
  if (r->design != ATTRIB_ANALYZE_CROSS_SECTION) { /* a panel: the honest parallel-trends break-even in money */
    char sentence[512];
    attrib__analyze_honest_sentence(sentence, sizeof sentence, r);
    if (sentence[0] >= 'a' && sentence[0] <= 'z') sentence[0] = (char)(sentence[0] - 'a' + 'A');
    bad |= fputs("\n## Sensitivity to parallel trends\n\n", out) == EOF || md(out, sentence) || fputs(".\n", out) == EOF;
  }
  if (r->mediation) bad |= md_mediation(out, r, o);
  bad |= md_pilot(out, r);
  bad |= fputs("\n*Every number here is in the JSON result of the same analysis (its JSON format).*\n", out) == EOF;
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the report") : ATTRIB_OK;
}
