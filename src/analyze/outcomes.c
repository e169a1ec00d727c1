/*
 * analyze with several KPIs (analyze.h, options.extra_outcomes; issue 18,
 * docs/methods/analyze.md "Several KPIs"): the primary method estimated for
 * the headline outcome and every further one through the estimator's own
 * multi-outcome call (attrib_ols_fit_outcomes, attrib_psm_fit or
 * attrib_did_fit with extra_outcomes), with the options the study gave the
 * primary method, so each row equals what those calls return for a
 * c(y1, y2) formula or psm / did extra_outcomes: one design, the rows complete in every
 * outcome (unless per_outcome_rows), one score model and matching, and the
 * p-values adjusted across the outcomes (Bonferroni, Holm, Romano-Wolf from
 * the same bootstrap draws for every outcome).
 */
#include <math.h>
#include <string.h>

#include <attrib/analyze.h>
#include <attrib/bootstrap.h>
#include <attrib/did.h>
#include <attrib/ols.h>
#include <attrib/psm.h>
#include "analyze/analyze_internal.h"
#include "core/attrib_internal.h"

/* one row of the table from an estimator's outcome: the name and the effect
 * copied (the term is the treatment column, owned here) */
static attrib_status add_row(attrib_analyze_result *r, size_t j, const char *name, const attrib_effect *e,
                             const char *treat, size_t n_obs, double pb, double ph, double prw, attrib_error *err) {
  attrib_analyze_outcome *x = &r->outcomes[j];
  x->effect = *e;
  x->effect.term = NULL;
  x->n_obs = n_obs;
  x->p_bonferroni = pb, x->p_holm = ph, x->p_romano_wolf = prw;
  /* counted before its strings, so the free sees a name copied before the term failed */
  r->n_outcomes = j + 1;
  if (!(x->outcome = attrib__strdup(name)) || !(x->effect.term = attrib__strdup(treat)))
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  return ATTRIB_OK;
}

static attrib_status alloc_rows(attrib_analyze_result *r, size_t n, attrib_error *err) {
  if (!(r->outcomes = attrib__calloc(n ? n : 1, sizeof *r->outcomes))) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  return ATTRIB_OK;
}

/* the outcomes as one list: the headline first */
static size_t count_outcomes(const attrib_analyze_options *o) {
  size_t n = 1;
  while (o->extra_outcomes && o->extra_outcomes[n - 1]) n++;
  return n;
}

/* OLS: c(y1, y2, ...) ~ treat + covariates on one design, HC1 or CR1 as
 * the study's OLS; with the bootstrap the wild (cluster) bootstrap, the one
 * whose t* under the null give Romano-Wolf (as ols --bootstrap with c(...)) */
static attrib_status outcomes_ols(attrib__analyze_ctx *c, size_t *reps, attrib_error *e) {
  const attrib_analyze_options *o = c->o;
  attrib_analyze_result *r = c->r;
  size_t n = count_outcomes(o);
  const char *cl[2];
  attrib_design_options dopt;
  attrib_ols_options oo;
  attrib__analyze_ols_options(o, cl, &dopt, &oo);
  attrib_boot_options bo;
  attrib_boot_options_init(&bo);
  bo.replicates = o->bootstrap, bo.seed = o->seed, bo.level = o->level, bo.threads = o->threads;
  bo.type = ATTRIB_BOOT_WILD;
  attrib_formula *fm = NULL;
  attrib_design *d = NULL;
  attrib_ols_multi *m = NULL;
  attrib_status s;
  if ((s = attrib_formula_new(o->outcome, &fm, e)) || (s = attrib_formula_add_column(fm, o->treat, 0, e)) ||
      (s = attrib_formula_add_formula(fm, o->covariate_terms, e)))
    goto done;
  /* the responses of c(y1, y2, ...), as the parser fills them */
  if (!(fm->responses = attrib__calloc(n, sizeof *fm->responses))) {
    s = attrib__fail(e, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t j = 0; j < n; j++) {
    if (!(fm->responses[j] = attrib__strdup(j ? o->extra_outcomes[j - 1] : o->outcome))) {
      s = attrib__fail(e, ATTRIB_ENOMEM, "out of memory");
      goto done;
    }
    fm->n_responses = j + 1;
  }
  if (o->per_outcome_rows) s = attrib_ols_fit_outcomes_each(c->xt, fm, &dopt, &oo, o->bootstrap ? &bo : NULL, &m, e);
  else if (!(s = attrib_design_build(c->xt, fm, &dopt, &d, e)))
    s = attrib_ols_fit_outcomes(d, &oo, o->bootstrap ? &bo : NULL, &m, e);
  if (s) goto done;
  if ((s = alloc_rows(r, m->n_outcomes, e))) goto done;
  for (size_t j = 0; !s && j < m->n_outcomes; j++)
    s = add_row(r, j, fm->responses[j], &m->fits[j]->effect, o->treat, m->fits[j]->n_obs, m->p_bonferroni[j],
                m->p_holm[j], m->p_romano_wolf[j], e);
  r->outcomes_rows_dropped = m->n_dropped_outcomes;
  if (m->boots && m->boots[0]) *reps = m->boots[0]->replicates;
done:
  attrib_ols_multi_free(m);
  attrib_design_free(d);
  attrib_formula_free(fm);
  return s;
}

/* matching (with replacement, no bootstrap: Abadie & Imbens 2008) or the
 * doubly robust ATT (the multiplier bootstrap, by cluster when given), as
 * the study's own */
static attrib_status outcomes_psm(attrib__analyze_ctx *c, int aipw, size_t *reps, attrib_error *e) {
  const attrib_analyze_options *o = c->o;
  attrib_analyze_result *r = c->r;
  attrib_psm_options po;
  attrib__analyze_psm_options(o, aipw, &po);
  po.extra_outcomes = o->extra_outcomes, po.per_outcome_rows = o->per_outcome_rows;
  if (aipw) po.bootstrap = o->bootstrap, po.boot_cluster = o->cluster;
  attrib_psm_result *p = NULL;
  attrib_status s = attrib_psm_fit(c->xt, &po, &p, e);
  if (!s) s = alloc_rows(r, p->n_outcomes, e);
  for (size_t j = 0; !s && j < p->n_outcomes; j++) {
    const attrib_psm_outcome *x = &p->outcomes[j];
    s = add_row(r, j, x->outcome, &x->effect, o->treat, x->n_obs, x->p_bonferroni, x->p_holm, x->p_romano_wolf, e);
  }
  if (!s) {
    r->outcomes_rows_dropped = p->n_dropped_outcomes;
    if (p->n_outcomes && p->outcomes[0].boot) *reps = p->outcomes[0].boot->n_draws;
  }
  attrib_psm_result_free(p);
  return s;
}

/* a DiD estimator on the person-period rows, as the study's; the bootstrap
 * for Callaway-Sant'Anna (multiplier) and two-way fixed effects (wild
 * cluster), the estimators whose draws give Romano-Wolf */
static attrib_status outcomes_did(attrib__analyze_ctx *c, attrib_did_estimator est, size_t *reps, attrib_error *e) {
  const attrib_analyze_options *o = c->o;
  const attrib__analyze_panel_data *P = c->panel;
  attrib_analyze_result *r = c->r;
  attrib_did_options dop;
  attrib__analyze_did_options(c, est, &dop);
  dop.extra_outcomes = o->extra_outcomes, dop.per_outcome_rows = o->per_outcome_rows;
  if (est == ATTRIB_DID_CS || est == ATTRIB_DID_TWFE) dop.bootstrap = o->bootstrap;
  attrib_did_result *dr = NULL;
  attrib_status s = attrib_did_fit(P->did_table, &dop, &dr, e);
  if (!s) s = alloc_rows(r, dr->n_outcomes, e);
  for (size_t j = 0; !s && j < dr->n_outcomes; j++) {
    const attrib_did_outcome *x = &dr->outcomes[j];
    s = add_row(r, j, x->outcome, &x->effect, o->treat, x->n_obs, x->p_bonferroni, x->p_holm, x->p_romano_wolf, e);
  }
  if (!s) {
    r->outcomes_rows_dropped = dr->n_rows_some_outcome_missing;
    const attrib_boot_result *b = dr->n_outcomes ? dr->outcomes[0].boot : NULL;
    if (b) *reps = b->t_null ? b->replicates : b->n_draws;
  }
  attrib_did_result_free(dr);
  return s;
}

/* how the Romano-Wolf p-values were made, or why there are none */
static char *romano_wolf_note(const attrib_analyze_result *r, const attrib_analyze_options *o, const char *m,
                              size_t reps) {
  if (r->n_outcomes && !isnan(r->outcomes[0].p_romano_wolf))
    return attrib__analyze_printf("step-down over the bootstrap's %zu replicates, the same draws for every outcome; "
                                  "(count + 1) / (B + 1)", reps);
  if (o->per_outcome_rows) return attrib__analyze_printf("not computed: each outcome has its own rows (analyze.per_outcome_rows)");
  if (!strcmp(m, "psm"))
    return attrib__analyze_printf("not computed: matching has no valid bootstrap (Abadie & Imbens 2008); Bonferroni and "
                                  "Holm apply");
  if (!strcmp(m, "sunab") || !strcmp(m, "imputation"))
    return attrib__analyze_printf("not computed: the %s estimator has no bootstrap; Bonferroni and Holm apply", m);
  return attrib__analyze_printf("not computed: it needs the bootstrap (analyze.bootstrap)");
}

attrib_status attrib__analyze_outcomes(attrib__analyze_ctx *c, attrib_error *err) {
  const attrib_analyze_options *o = c->o;
  attrib_analyze_result *r = c->r;
  if (!o->extra_outcomes || !o->extra_outcomes[0]) return ATTRIB_OK;
  attrib__analyze_step(o, "several KPIs");
  const char *m = r->methods[r->primary].method;
  r->outcomes_method = m;
  r->outcomes_per_outcome_rows = o->per_outcome_rows;
  int cross = !strcmp(m, "ols") || !strcmp(m, "psm") || !strcmp(m, "aipw");
  if (cross && c->panel) {
    /* the learner rows hold the headline's outcome change only */
    if (!(r->outcomes_note = attrib__analyze_printf(
              "not computed: on a panel the %s method reads each learner's change in the headline outcome only; choose "
              "a DiD method as the primary (analyze.primary) for several KPIs", m)))
      return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    return ATTRIB_OK;
  }
  attrib_error e;
  attrib_error_clear(&e);
  size_t reps = 0;
  attrib_status s;
  if (!strcmp(m, "ols")) s = outcomes_ols(c, &reps, &e);
  else if (cross) s = outcomes_psm(c, !strcmp(m, "aipw"), &reps, &e);
  else {
    attrib_did_estimator est = !strcmp(m, "twfe")         ? ATTRIB_DID_TWFE
                               : !strcmp(m, "sunab")      ? ATTRIB_DID_SUNAB
                               : !strcmp(m, "imputation") ? ATTRIB_DID_IMPUTATION
                                                          : ATTRIB_DID_CS;
    s = outcomes_did(c, est, &reps, &e);
  }
  if (s == ATTRIB_ENOMEM) return attrib__fail(err, s, "out of memory");
  if (s) {
    /* the headline stands; the table says why it is missing */
    attrib__analyze_outcomes_free(r);
    r->outcomes_method = m;
    if (!(r->outcomes_note = attrib__analyze_printf("not computed: %s", e.message)))
      return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    return ATTRIB_OK;
  }
  r->outcomes_replicates = isnan(r->outcomes[0].p_romano_wolf) ? 0 : reps;
  if (!(r->outcomes_romano_wolf = romano_wolf_note(r, o, m, reps))) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  return ATTRIB_OK;
}

void attrib__analyze_outcomes_free(attrib_analyze_result *r) {
  for (size_t j = 0; j < r->n_outcomes; j++) attrib__free(r->outcomes[j].outcome), attrib__free(r->outcomes[j].effect.term);
  attrib__free(r->outcomes);
  attrib__free(r->outcomes_romano_wolf);
  attrib__free(r->outcomes_note);
  r->outcomes = NULL, r->n_outcomes = 0, r->outcomes_romano_wolf = r->outcomes_note = NULL;
}
