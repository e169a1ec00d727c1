/*
 * The analyst's next two questions, over the same load of the data
 * (docs/methods/analyze.md, "Through the mediator" and "The next pilot"):
 * did the training work through the skill it taught (attrib_mediate_fit,
 * Imai, Keele & Tingley 2010), and how big must the next pilot be
 * (attrib_power_run, Bloom 1995). Each is the library call the single
 * command makes, so analyze's numbers equal attrib mediate's and attrib
 * power's on the same file and settings.
 */
#include <math.h>
#include <string.h>

#include <attrib/mediate.h>
#include <attrib/power.h>
#include "analyze/analyze_internal.h"

void attrib__analyze_next_free(attrib_analyze_result *r) {
  attrib_mediate_result_free(r->mediation);
  attrib_power_result_free(r->pilot.at_n);
  attrib_power_result_free(r->pilot.at_effect);
  attrib_power_result_free(r->pilot.required);
  attrib__free(r->pilot.note);
}

/* The mediation is asked for by name: a failure fails the study (a study
 * that silently lacks the asked section reads as "no mediation"). */
attrib_status attrib__analyze_mediation(const attrib_table *t, attrib__analyze_ctx *c, attrib_error *err) {
  const attrib_analyze_options *o = c->o;
  if (!o->mediator) return ATTRIB_OK;
  attrib__analyze_step(o, "mediation");
  attrib_mediate_options mo;
  attrib_mediate_options_init(&mo); /* mediate's defaults: quasi-Bayesian, 1000 draws, no interaction */
  mo.treat = o->treat, mo.mediator = o->mediator, mo.outcome = o->outcome;
  mo.covariates = c->r->covariates, mo.covariate_terms = o->covariate_terms;
  mo.seed = o->seed, mo.level = o->level, mo.threads = o->threads;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status s = attrib_mediate_fit(t, &mo, &c->r->mediation, &e);
  if (!s) return ATTRIB_OK;
  c->r->mediation = NULL;
  /* the options' mistakes (the mediator is the outcome, say) are the study's */
  return attrib__fail(err, s == ATTRIB_EUSAGE ? ATTRIB_EINVAL : s, "mediation (analyze.mediator '%s'): %s", o->mediator,
                      e.message);
}

/* the test's level from the study's confidence level, as written: 1 - 0.95
 * is 0.050000000000000044 in binary, and attrib power --alpha 0.05 must
 * give the same numbers */
static double alpha_of(double level) { return round((1.0 - level) * 1e12) / 1e12; }

static void pilot_note(attrib__analyze_ctx *c, char *note) {
  attrib__free(c->r->pilot.note);
  c->r->pilot.note = note;
  if (!note) c->oom = 1;
}

/* the inputs from the data: a cross-section's table, a single-date panel's
 * learner windows. 0, or 1 with the reason in the note. */
static int pilot_inputs(const attrib_table *t, attrib__analyze_ctx *c, attrib_power_options *po) {
  const attrib_analyze_options *o = c->o;
  attrib_analyze_pilot *p = &c->r->pilot;
  const attrib__analyze_panel_data *P = c->panel;
  if (P) {
    if (P->design != ATTRIB_ANALYZE_PANEL_SINGLE || !P->pilot_n) {
      pilot_note(c, attrib__analyze_printf(
                        "not computed: with staggered adoption each cohort has its own before and after window, so the "
                        "data give no single pre/post correlation; plan a did pilot with attrib power's did design and "
                        "a correlation of your own"));
      return 1;
    }
    po->design = ATTRIB_POWER_DID;
    po->sd = P->pilot_sd, po->rho = P->pilot_rho;
    p->rho = P->pilot_rho;
    p->baseline.n = P->pilot_n, p->baseline.mean = P->pilot_mean, p->baseline.sd = P->pilot_sd;
    return 0;
  }
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status s = attrib_power_from_data(t, o->outcome, o->cluster, c->r->covariates, &p->baseline, &e);
  if (s) {
    if (s == ATTRIB_ENOMEM) c->oom = 1;
    pilot_note(c, attrib__analyze_printf("not computed: the data's SD, ICC or R2: %s", e.message));
    return 1;
  }
  po->sd = p->baseline.sd;
  if (isfinite(p->baseline.r2)) po->r2 = p->baseline.r2;
  if (o->cluster) {
    po->design = ATTRIB_POWER_CLUSTER;
    po->icc = p->baseline.icc, po->cluster_size = p->baseline.cluster_size;
  }
  return 0;
}

static char *pilot_words(const attrib_analyze_pilot *p) {
  const attrib_power_options *po = &p->options;
  if (po->design == ATTRIB_POWER_DID)
    return attrib__analyze_printf("a pre/post pilot with a control group of %g learners (did), at the SD %.6g of the "
                                  "learners' window means and their pre/post correlation %.4g in the data (%zu learners; "
                                  "covariates not used: R2 0)",
                                  po->n, po->sd, po->rho, p->baseline.n);
  if (po->design == ATTRIB_POWER_CLUSTER)
    return attrib__analyze_printf("a cluster-randomised pilot of %g learners in teams of %.4g, at the data's SD %.6g, "
                                  "ICC %.4g and covariates' R2 %.4g (%zu rows)",
                                  po->n, po->cluster_size, po->sd, po->icc, po->r2, p->baseline.n);
  return attrib__analyze_printf("an RCT of %g learners, at the data's SD %.6g and covariates' R2 %.4g (%zu rows)", po->n,
                                po->sd, po->r2, p->baseline.n);
}

/* The next pilot: never fails the study; what could not be planned is
 * said in pilot.note. */
void attrib__analyze_pilot(const attrib_table *t, attrib__analyze_ctx *c) {
  const attrib_analyze_options *o = c->o;
  attrib_analyze_result *r = c->r;
  attrib_analyze_pilot *p = &r->pilot;
  p->rho = NAN;
  p->effect = r->methods[r->primary].estimate;
  p->baseline.icc = p->baseline.r2 = p->baseline.cluster_size = NAN;
  if (o->no_pilot) {
    pilot_note(c, attrib__analyze_printf("not requested"));
    return;
  }
  attrib__analyze_step(o, "planning the next pilot");
  attrib_power_options *po = &p->options;
  attrib_power_options_init(po);
  po->n = o->pilot_n > 0 ? o->pilot_n : 150.0;
  po->alpha = alpha_of(o->level);
  if (o->has_roi) {
    po->has_roi = 1;
    po->roi = o->roi; /* learners 0: the pilot's n, as attrib power counts them */
    po->roi.level = o->level;
    po->roi.periods_per_year = attrib__analyze_periods_per_year(o);
  }
  if (pilot_inputs(t, c, po)) return;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status s = attrib_power_run(po, &p->at_n, &e);
  char *words = pilot_words(p);
  if (s) {
    if (s == ATTRIB_ENOMEM) c->oom = 1;
    p->at_n = NULL;
    pilot_note(c, words ? attrib__analyze_printf("not computed: %s: %s", words, e.message) : NULL);
    attrib__free(words);
    return;
  }
  p->computed = 1;
  double size = fabs(p->effect);
  if (!(isfinite(size) && size > 0)) {
    pilot_note(c, words ? attrib__analyze_printf("%s; the estimated effect is 0: no power or size for it", words) : NULL);
    attrib__free(words);
    return;
  }
  attrib_power_options q = *po;
  q.has_roi = 0, q.mde = size;
  if ((s = attrib_power_run(&q, &p->at_effect, &e))) p->at_effect = NULL;
  if (s == ATTRIB_ENOMEM) c->oom = 1;
  q.n = NAN;
  attrib_status s2 = attrib_power_run(&q, &p->required, &e);
  if (s2) p->required = NULL;
  if (s2 == ATTRIB_ENOMEM) c->oom = 1;
  if (!words) {
    c->oom = 1;
    return;
  }
  if (s || s2)
    pilot_note(c, attrib__analyze_printf("%s; the estimated effect's power or size: %s", words, e.message));
  else
    pilot_note(c, attrib__analyze_printf("%s", words));
  attrib__free(words);
}
