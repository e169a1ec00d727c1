/*
 * Several outcomes on one design (include/attrib/bootstrap.h,
 * attrib_ols_fit_outcomes; docs/methods/multiple-testing.md). The design
 * (rows, X plan, weights, clusters) is built once; each outcome is fitted
 * by the single-outcome path on it, so an outcome's numbers are exactly
 * those of "y ~ ..." on the same rows. The wild bootstraps share their
 * weights because replicate b's weight of cluster g is a function of
 * (seed, b, g) alone, and the clusters are the design's: the Romano-Wolf
 * step-down then sees the joint distribution of the outcomes' t*.
 */
#include <math.h>
#include <string.h>

#include <attrib/bootstrap.h>
#include <attrib/multitest.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

void attrib_ols_multi_free(attrib_ols_multi *m) {
  if (!m) return;
  for (size_t j = 0; j < m->n_outcomes; j++) {
    if (m->fits) attrib_ols_result_free(m->fits[j]);
    if (m->boots) attrib_boot_result_free(m->boots[j]);
  }
  attrib__free(m->fits);
  attrib__free(m->boots);
  attrib__free(m->effect_term);
  attrib__free(m->p_bonferroni);
  attrib__free(m->p_holm);
  attrib__free(m->p_romano_wolf);
  attrib__free(m);
}

/* The error of outcome j's step, prefixed with its name when there are several. */
static attrib_status outcome_fail(const attrib_design *d, size_t j, attrib_status s, attrib_error *err) {
  if (!err || d->n_outcomes < 2) return s;
  attrib_error e = *err;
  attrib__fail(err, s, "outcome '%s': %s", d->outcome_names[j], e.message);
  err->offset = e.offset, err->line = e.line, err->column = e.column, err->option = e.option;
  return s;
}

/* A result for S outcomes with its arrays (boots when boot), or NULL
 * (ENOMEM in err). */
static attrib_ols_multi *multi_new(size_t S, int boot, attrib_error *err) {
  attrib_ols_multi *m = attrib__calloc(1, sizeof *m);
  if (!m) {
    attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
    return NULL;
  }
  m->n_outcomes = S;
  m->fits = attrib__calloc(S, sizeof *m->fits);
  m->boots = boot ? attrib__calloc(S, sizeof *m->boots) : NULL;
  m->p_bonferroni = attrib__malloc(S, sizeof(double));
  m->p_holm = attrib__malloc(S, sizeof(double));
  m->p_romano_wolf = attrib__malloc(S, sizeof(double));
  if (!m->fits || (boot && !m->boots) || !m->p_bonferroni || !m->p_holm || !m->p_romano_wolf) {
    attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
    attrib_ols_multi_free(m);
    return NULL;
  }
  return m;
}

/* Bonferroni, Holm and (with every outcome's t* under the null) Romano-Wolf. */
static attrib_status adjust(attrib_ols_multi *m, attrib_error *err) {
  size_t S = m->n_outcomes;
  double *p = attrib__malloc(S, sizeof *p), *t = attrib__malloc(S, sizeof *t), *tb = NULL;
  attrib_status s = ATTRIB_OK;
  if (!p || !t) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
    goto done;
  }
  for (size_t j = 0; j < S; j++) {
    p[j] = m->fits[j]->effect.p_value;
    m->p_romano_wolf[j] = NAN;
  }
  attrib_p_adjust_bonferroni(p, S, m->p_bonferroni);
  if ((s = attrib_p_adjust_holm(p, S, m->p_holm, err))) goto done;
  /* per-outcome rows: the bootstraps resampled different rows, so their
   * replicates do not pair up (Romano-Wolf stays NaN) */
  if (m->per_outcome_rows || !m->boots || !m->boots[0]->t_null) goto done;
  size_t B = m->boots[0]->replicates;
  for (size_t j = 1; j < S; j++)
    if (!m->boots[j]->t_null || m->boots[j]->replicates != B) goto done; /* cannot happen: same design and options */
  if (!(tb = attrib__malloc(attrib__mulsz(S, B), sizeof *tb))) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
    goto done;
  }
  for (size_t j = 0; j < S; j++) {
    t[j] = m->boots[j]->t_stat;
    memcpy(tb + j * B, m->boots[j]->t_null, B * sizeof *tb);
  }
  s = attrib_romano_wolf(t, tb, S, B, m->p_romano_wolf, err);
done:
  attrib__free(p), attrib__free(t), attrib__free(tb);
  return s;
}

attrib_status attrib_ols_fit_outcomes(attrib_design *d, const attrib_ols_options *opts, const attrib_boot_options *bo,
                                      attrib_ols_multi **out, attrib_error *err) {
  if (!d || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_fit_outcomes: NULL argument");
  *out = NULL;
  attrib_ols_options o;
  if (opts) o = *opts;
  else attrib_ols_options_init(&o);
  size_t S = d->n_outcomes ? d->n_outcomes : 1;
  /* the demeaned columns, shared by the outcomes' fits */
  attrib__ols_xcache xc;
  memset(&xc, 0, sizeof xc);
  attrib_ols_multi *m = multi_new(S, bo != NULL, err);
  if (!m) return ATTRIB_ENOMEM;
  m->n_dropped_outcomes = d->n_dropped_outcomes;
  attrib_status s = ATTRIB_OK;
  /* the effect: the treat option, else the first coefficient that is not
   * the intercept (the analyst's "x" of c(y1, y2) ~ x + controls) */
  if (!o.treat) {
    size_t first = d->intercept ? 1 : 0;
    if (first >= d->k) {
      s = attrib__fail(err, ATTRIB_EDESIGN, "the model has no coefficient besides the intercept to test");
      goto fail;
    }
    o.treat = d->names[first];
    m->effect_defaulted = 1;
  }
  if (!(m->effect_term = attrib__strdup(o.treat))) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
    goto fail;
  }
  attrib_boot_options b;
  if (bo) {
    b = *bo;
    b.keep_t_null = bo->type == ATTRIB_BOOT_WILD;
  }
  for (size_t j = 0; j < S; j++) {
    if ((s = attrib_design_use_outcome(d, j, err))) goto fail;
    if ((s = attrib__ols_fit_cached(d, &o, &xc, &m->fits[j], err))) {
      s = outcome_fail(d, j, s, err);
      goto fail;
    }
    if (bo) {
      s = attrib_ols_bootstrap(d, m->fits[j], (size_t)m->fits[j]->effect_index, &b, &m->boots[j], err);
      if (s) {
        s = outcome_fail(d, j, s, err);
        goto fail;
      }
      attrib_ols_settle_warnings(m->fits[j], m->boots[j]);
    }
  }
  if ((s = adjust(m, err))) goto fail;
  attrib__ols_xcache_free(&xc);
  attrib_design_use_outcome(d, 0, NULL);
  *out = m;
  return ATTRIB_OK;
fail:
  attrib__ols_xcache_free(&xc);
  attrib_design_use_outcome(d, 0, NULL);
  attrib_ols_multi_free(m);
  return s;
}

/* One outcome of f alone: "y_j ~ rhs" on its own design. */
static attrib_status fit_each(const attrib_table *t, const attrib_formula *f, size_t j,
                              const attrib_design_options *dopts, const attrib_ols_options *opts,
                              const attrib_boot_options *bo, attrib_ols_multi **one, attrib_error *err) {
  attrib_formula *fj = NULL;
  attrib_design *dj = NULL;
  attrib_status s = ATTRIB_OK;
  attrib_formula tmp = *f; /* a shallow view with the outcomes hidden, for the text */
  tmp.n_responses = 0, tmp.responses = NULL, tmp.text = NULL;
  const char *rhs = attrib_formula_text(&tmp); /* "y1 ~ rhs": allocates tmp.text */
  if (!rhs) return attrib__fail(err, ATTRIB_ENOMEM, "OLS: out of memory");
  s = attrib_formula_parse(rhs, &fj, err);
  attrib__free(tmp.text);
  if (!s) s = attrib_formula_set_response(fj, f->responses[j], err);
  if (!s) s = attrib_design_build(t, fj, dopts, &dj, err);
  if (!s) s = attrib_ols_fit_outcomes(dj, opts, bo, one, err);
  if (s && err) {
    attrib_error e = *err;
    attrib__fail(err, s, "outcome '%s': %s", f->responses[j], e.message);
    err->option = e.option;
  }
  attrib_design_free(dj);
  attrib_formula_free(fj);
  return s;
}

attrib_status attrib_ols_fit_outcomes_each(const attrib_table *t, const attrib_formula *f,
                                           const attrib_design_options *dopts, const attrib_ols_options *opts,
                                           const attrib_boot_options *bo, attrib_ols_multi **out, attrib_error *err) {
  if (!t || !f || !out || f->n_responses < 2)
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_fit_outcomes_each: a formula with several outcomes is needed");
  *out = NULL;
  size_t S = f->n_responses;
  attrib_ols_multi *m = multi_new(S, bo != NULL, err);
  if (!m) return ATTRIB_ENOMEM;
  m->per_outcome_rows = 1;
  attrib_status s = ATTRIB_OK;
  for (size_t j = 0; j < S; j++) {
    attrib_ols_multi *one = NULL;
    if ((s = fit_each(t, f, j, dopts, opts, bo, &one, err))) goto fail;
    /* take the one fit (and its bootstrap) over */
    m->fits[j] = one->fits[0], one->fits[0] = NULL;
    if (bo) m->boots[j] = one->boots[0], one->boots[0] = NULL;
    if (!j) {
      m->effect_term = one->effect_term, one->effect_term = NULL;
      m->effect_defaulted = one->effect_defaulted;
    }
    attrib_ols_multi_free(one);
  }
  if ((s = adjust(m, err))) goto fail;
  *out = m;
  return ATTRIB_OK;
fail:
  attrib_ols_multi_free(m);
  return s;
}
