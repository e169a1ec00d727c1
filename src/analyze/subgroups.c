/*
 * analyze --by (analyze.h, options.by): the primary method's effect in each
 * level of a grouping column, from the estimator's joint subgroup fit
 * (attrib_ols_by, attrib_psm_by, attrib_did_by with the options the study
 * gave the primary method), and the ROI in each group: the group's effect
 * and interval carried through the study's ROI inputs, its learners the
 * group's share of the learners the ROI counts (attrib_roi_by_compute).
 */
#include <math.h>
#include <string.h>

#include <attrib/analyze.h>
#include <attrib/by.h>
#include <attrib/did.h>
#include <attrib/ols.h>
#include <attrib/psm.h>
#include "analyze/analyze_internal.h"
#include "core/attrib_internal.h"

static attrib_status by_ols(const attrib__analyze_ctx *c, const attrib_by_options *bo, attrib_by_result **out,
                            attrib_error *e) {
  const attrib_analyze_options *o = c->o;
  const char *cl[2];
  attrib_design_options dopt;
  attrib_ols_options oo;
  attrib__analyze_ols_options(o, cl, &dopt, &oo);
  attrib_formula *fm = NULL;
  attrib_status s;
  if ((s = attrib_formula_new(o->outcome, &fm, e)) || (s = attrib_formula_add_column(fm, o->treat, 0, e)) ||
      (s = attrib_formula_add_formula(fm, o->covariate_terms, e)))
    goto done;
  s = attrib_ols_by(c->xt, fm, &dopt, &oo, bo, out, e);
done:
  attrib_formula_free(fm);
  return s;
}

static attrib_status by_psm(const attrib__analyze_ctx *c, int aipw, const attrib_by_options *bo,
                            attrib_by_result **out, attrib_error *e) {
  const attrib_analyze_options *o = c->o;
  attrib_psm_options po;
  attrib__analyze_psm_options(o, aipw, &po); /* AIPW: analytic SEs, the groups' bootstrap is not run */
  return attrib_psm_by(c->xt, &po, bo, out, e);
}

static attrib_status by_did(const attrib__analyze_ctx *c, attrib_did_estimator est, const attrib_by_options *bo,
                            attrib_by_result **out, attrib_error *e) {
  attrib_did_options dop;
  attrib__analyze_did_options(c, est, &dop);
  return attrib_did_by(c->panel->did_table, &dop, bo, out, e);
}

/* The ROI of each group (attrib_roi_by_compute, the rule roi --from a
 * subgroup fit uses too): the study's inputs with the group's effect, the
 * SE whose normal interval is the group's interval, the group's share of
 * the learners the ROI counts (by treated learners when counted, else by
 * size) and options.by_value_per_unit's value for the levels it names. */
static attrib_status by_roi(attrib__analyze_ctx *c, const attrib_roi_input *base, attrib_error *err) {
  attrib_analyze_result *r = c->r;
  const attrib_by_result *b = r->by;
  r->by_roi = attrib__calloc(b->n_groups, sizeof *r->by_roi);
  r->by_roi_learners = attrib__calloc(b->n_groups, sizeof *r->by_roi_learners);
  r->by_roi_value_per_unit = attrib__calloc(b->n_groups, sizeof *r->by_roi_value_per_unit);
  if (!r->by_roi || !r->by_roi_learners || !r->by_roi_value_per_unit)
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  attrib_roi_input in = *base;
  in.learners = r->roi_learners;
  return attrib_roi_by_compute(&in, b, c->o->by_value_per_unit, c->o->n_by_value_per_unit, r->by_roi_learners,
                               r->by_roi_value_per_unit, r->by_roi, err);
}

attrib_status attrib__analyze_by(attrib__analyze_ctx *c, const attrib_roi_input *roi, attrib_error *err) {
  const attrib_analyze_options *o = c->o;
  attrib_analyze_result *r = c->r;
  if (!o->by) return ATTRIB_OK;
  attrib__analyze_step(o, "subgroups");
  attrib_by_options bo;
  attrib_by_options_init(&bo);
  bo.column = o->by;
  const char *m = r->methods[r->primary].method;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status s;
  if (!strcmp(m, "ols")) s = by_ols(c, &bo, &r->by, &e);
  else if (!strcmp(m, "psm") || !strcmp(m, "aipw")) s = by_psm(c, !strcmp(m, "aipw"), &bo, &r->by, &e);
  else {
    attrib_did_estimator est = !strcmp(m, "twfe")    ? ATTRIB_DID_TWFE
                               : !strcmp(m, "sunab") ? ATTRIB_DID_SUNAB
                               : !strcmp(m, "imputation") ? ATTRIB_DID_IMPUTATION
                                                          : ATTRIB_DID_CS;
    s = by_did(c, est, &bo, &r->by, &e);
  }
  if (s) {
    *err = e;
    return s;
  }
  r->by_method = m;
  return o->has_roi && roi ? by_roi(c, roi, err) : ATTRIB_OK;
}

void attrib__analyze_by_free(attrib_analyze_result *r) {
  for (size_t g = 0; r->by_roi && r->by && g < r->by->n_groups; g++) attrib_roi_result_free(r->by_roi[g]);
  attrib__free(r->by_roi);
  attrib__free(r->by_roi_learners);
  attrib__free(r->by_roi_value_per_unit);
  attrib_by_result_free(r->by);
}
