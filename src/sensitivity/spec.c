/*
 * Specification sweeps, the sweep over an estimator's options (psm, did),
 * and the specification curve's summary (include/attrib/sensitivity.h,
 * docs/methods/sensitivity.md).
 */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h> /* qsort */
#include <string.h>

#include <attrib/sensitivity.h>
#include "core/attrib_internal.h"
#include "core/parallel.h"

/* ---- specification sweeps -------------------------------------------------------- */

typedef struct spec_job {
  void (*run)(void *ctx, size_t i, attrib_spec_result *out);
  void *ctx;
  attrib_spec_result *results;
} spec_job;

static void spec_one(void *ctx, size_t i, size_t thread) {
  (void)thread;
  spec_job *j = ctx;
  attrib_spec_result *r = &j->results[i];
  memset(r, 0, sizeof *r);
  j->run(j->ctx, i, r);
  /* "estimated" must mean a number: a NaN estimate would otherwise enter the
   * summary (and a JSON null would read as 0 downstream) */
  if (r->status == ATTRIB_OK && !isfinite(r->estimate)) {
    r->status = ATTRIB_ENUMERIC;
    snprintf(r->message, sizeof r->message, "the estimate is not a finite number");
  }
}

void attrib_spec_run(size_t n_specs, size_t threads, void (*run)(void *ctx, size_t i, attrib_spec_result *out),
                     void *ctx, attrib_spec_result *results) {
  spec_job j = {run, ctx, results};
  if (n_specs) attrib__parallel_chunks(n_specs, attrib__threads(threads, n_specs), spec_one, &j);
}

/* ---- sweeps over an estimator's options ------------------------------------------- */

void attrib_spec_options_init(attrib_spec_options *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->estimator = ATTRIB_SPEC_PSM;
  attrib_psm_options_init(&o->psm);
  attrib_did_options_init(&o->did);
}

/* a whole string as a finite number (no trailing text) */
static int number(const char *s, double *x) {
  char *end;
  *x = strtod(s, &end);
  return end != s && !*end && isfinite(*x);
}

static int is_integer(double x, double min) { return x >= min && x == floor(x); }

static attrib_status bad_value(const char *name, const char *value, attrib_error *err) {
  attrib_status s = attrib__fail(err, ATTRIB_EUSAGE, "%s: '%s' is not a valid value", name, value);
  if (err) err->option = "spec.dims.values";
  return s;
}

/* The names set_psm and set_did take, in the order a message lists them: a
 * name is checked against these before its value, so that a typo in the name
 * is not reported as a bad value. */
static const char *const psm_names[] = {"caliper", "ratio",    "replace", "method",     "estimand",
                                        "discard", "distance", "link",    "covariates", NULL};
static const char *const did_names[] = {"control", "anticipation", "base_period", "estimator", "covariates", NULL};

/* ATTRIB_OK when names holds name, else a usage error listing names */
static attrib_status known_name(const char *name, const char *const *names, const char *estimator, attrib_error *err) {
  for (const char *const *n = names; *n; n++)
    if (!strcmp(*n, name)) return ATTRIB_OK;
  char list[160] = "";
  size_t len = 0;
  for (const char *const *n = names; *n && len < sizeof list; n++)
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", n == names ? "" : ", ", *n);
  attrib_status s = attrib__fail(err, ATTRIB_EUSAGE, "%s cannot vary '%s' (%s)", estimator, name, list);
  if (err) err->option = "spec.dims.names";
  return s;
}

/* 0 when value was set, -1 when it is not a value of option name */
static int set_psm(attrib_psm_options *o, const char *name, const char *val, const char *rhs) {
  double x;
  if (!strcmp(name, "caliper")) return number(val, &x) && x >= 0 ? (o->caliper = x, 0) : -1;
  if (!strcmp(name, "ratio")) return number(val, &x) && is_integer(x, 1) ? (o->ratio = (size_t)x, 0) : -1;
  if (!strcmp(name, "replace")) {
    if (strcmp(val, "0") && strcmp(val, "1") && strcmp(val, "true") && strcmp(val, "false")) return -1;
    return (o->replace = !strcmp(val, "1") || !strcmp(val, "true")), 0;
  }
  if (!strcmp(name, "method")) return attrib_psm_method_parse(val, &o->method, NULL) ? -1 : 0;
  if (!strcmp(name, "estimand")) return attrib_estimand_parse(val, &o->estimand, NULL) ? -1 : 0;
  if (!strcmp(name, "discard")) return attrib_discard_parse(val, &o->discard, NULL) ? -1 : 0;
  if (!strcmp(name, "link")) return attrib_link_parse(val, &o->link, NULL) ? -1 : 0;
  if (!strcmp(name, "distance"))
    return strcmp(val, "logit") && strcmp(val, "score") ? -1 : (o->distance_logit = !strcmp(val, "logit"), 0);
  if (!strcmp(name, "covariates")) return (o->covariates = rhs), 0;
  return -1;
}

static int set_did(attrib_did_options *o, const char *name, const char *val, const char *rhs) {
  double x;
  if (!strcmp(name, "control"))
    return strcmp(val, "never") && strcmp(val, "notyet") ? -1 : (o->control_notyet = !strcmp(val, "notyet"), 0);
  if (!strcmp(name, "anticipation")) return number(val, &x) && is_integer(x, 0) ? (o->anticipation = (size_t)x, 0) : -1;
  if (!strcmp(name, "base_period"))
    return strcmp(val, "varying") && strcmp(val, "universal") ? -1 : (o->base_universal = !strcmp(val, "universal"), 0);
  if (!strcmp(name, "estimator")) {
    if (!strcmp(val, "cs")) return o->estimator = ATTRIB_DID_CS, 0;
    if (!strcmp(val, "twfe")) return o->estimator = ATTRIB_DID_TWFE, 0;
    if (!strcmp(val, "sunab")) return o->estimator = ATTRIB_DID_SUNAB, 0;
    if (!strcmp(val, "imputation")) return o->estimator = ATTRIB_DID_IMPUTATION, 0;
    return -1;
  }
  /* "none": no covariates (a did without covariates is the usual one) */
  if (!strcmp(name, "covariates")) return (o->covariates = rhs && strcmp(rhs, "none") ? rhs : NULL), 0;
  return -1;
}

attrib_status attrib_spec_set_psm(attrib_psm_options *o, const char *name, const char *value, const char *covariates,
                                  attrib_error *err) {
  if (!o || !name || !value) return attrib__fail(err, ATTRIB_EINVAL, "attrib_spec_set_psm: NULL argument");
  attrib_status s = known_name(name, psm_names, "psm", err);
  if (s) return s;
  return set_psm(o, name, value, covariates) ? bad_value(name, value, err) : ATTRIB_OK;
}

attrib_status attrib_spec_set_did(attrib_did_options *o, const char *name, const char *value, const char *covariates,
                                  attrib_error *err) {
  if (!o || !name || !value) return attrib__fail(err, ATTRIB_EINVAL, "attrib_spec_set_did: NULL argument");
  attrib_status s = known_name(name, did_names, "did", err);
  if (s) return s;
  return set_did(o, name, value, covariates) ? bad_value(name, value, err) : ATTRIB_OK;
}

size_t attrib_spec_count(const attrib_spec_options *o) {
  if (!o) return 0;
  size_t n = 1;
  for (size_t d = 0; d < o->n_dims; d++) {
    if (o->dims[d].n && n > SIZE_MAX / o->dims[d].n) return SIZE_MAX;
    n *= o->dims[d].n;
  }
  return n;
}

size_t attrib_spec_value(const attrib_spec_options *o, size_t i, size_t d) {
  for (size_t e = o->n_dims; e-- > d + 1;) i /= o->dims[e].n;
  return i % o->dims[d].n;
}

/* sets dimension d to its value k in po or dop, whichever the sweep fits */
static int set_value(const attrib_spec_options *o, size_t d, size_t k, attrib_psm_options *po, attrib_did_options *dop,
                     attrib_error *err) {
  const attrib_spec_dim *dm = &o->dims[d];
  const char *rhs = dm->covariates ? dm->covariates[k] : NULL;
  return o->estimator == ATTRIB_SPEC_DID ? attrib_spec_set_did(dop, dm->name, dm->values[k], rhs, err) != ATTRIB_OK
                                         : attrib_spec_set_psm(po, dm->name, dm->values[k], rhs, err) != ATTRIB_OK;
}

attrib_status attrib_spec_check(const attrib_spec_options *o, attrib_error *err) {
  if (!o || (o->n_dims && !o->dims)) return attrib__fail(err, ATTRIB_EINVAL, "attrib_spec_check: NULL argument");
  if (!o->n_dims || o->n_dims > ATTRIB_SPEC_MAX_DIMS)
    return attrib__fail(err, ATTRIB_EINVAL, "a sweep varies 1 to %d options, got %zu", ATTRIB_SPEC_MAX_DIMS, o->n_dims);
  for (size_t d = 0; d < o->n_dims; d++) {
    const attrib_spec_dim *dm = &o->dims[d];
    if (!dm->name || !dm->n || !dm->values)
      return attrib__fail(err, ATTRIB_EINVAL, "option %zu of the sweep has no name or no values", d + 1);
    /* every value on a scratch copy of the base options */
    for (size_t k = 0; k < dm->n; k++) {
      attrib_psm_options po = o->psm;
      attrib_did_options dop = o->did;
      if (set_value(o, d, k, &po, &dop, err)) return err ? err->code : ATTRIB_EUSAGE;
    }
  }
  size_t n = attrib_spec_count(o);
  if (n > ATTRIB_SPEC_MAX_SPECS) {
    attrib_status s = attrib__fail(err, ATTRIB_EUSAGE, "%zu specifications: at most 100,000", n);
    if (err) err->option = "spec.dims";
    return s;
  }
  return ATTRIB_OK;
}

typedef struct sweep_ctx {
  const attrib_table *t;
  const attrib_spec_options *o;
  atomic_size_t done;
  size_t total;
} sweep_ctx;

/* a fitted specification's row: the estimator's effect and the units it used */
static void spec_effect(attrib_spec_result *out, const attrib_effect *e, size_t n_used) {
  out->estimate = e->estimate, out->std_error = e->std_error;
  out->ci_low = e->ci_low, out->ci_high = e->ci_high, out->p_value = e->p_value;
  out->n_used = n_used;
}

/* specification i: the base options with its values, one thread per fit */
static void sweep_one(void *ctx, size_t i, attrib_spec_result *out) {
  sweep_ctx *c = ctx;
  const attrib_spec_options *o = c->o;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_psm_options po = o->psm;
  attrib_did_options dop = o->did;
  po.threads = dop.threads = 1; /* the specifications run in parallel instead */
  for (size_t d = 0; d < o->n_dims; d++)
    if (set_value(o, d, attrib_spec_value(o, i, d), &po, &dop, NULL)) {
      /* not reached after attrib_spec_check */
      out->status = ATTRIB_EINVAL;
      snprintf(out->message, sizeof out->message, "invalid value for %s", o->dims[d].name);
      return;
    }
  if (o->estimator == ATTRIB_SPEC_DID) {
    attrib_did_result *r = NULL;
    if (!(out->status = attrib_did_fit(c->t, &dop, &r, &err))) spec_effect(out, &r->effect, r->n_units);
    attrib_did_result_free(r);
  } else {
    attrib_psm_result *r = NULL;
    if (!(out->status = attrib_psm_fit(c->t, &po, &r, &err))) spec_effect(out, &r->effect, r->n_treated_matched);
    attrib_psm_result_free(r);
  }
  if (out->status) snprintf(out->message, sizeof out->message, "%s", err.message);
  size_t done = atomic_fetch_add(&c->done, 1) + 1;
  if (o->progress) o->progress(o->progress_ctx, done, c->total);
}

attrib_status attrib_spec_sweep(const attrib_table *t, const attrib_spec_options *o, attrib_spec_result **out,
                                attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_spec_sweep: NULL argument");
  *out = NULL;
  if (!t) return attrib__fail(err, ATTRIB_EINVAL, "attrib_spec_sweep: NULL argument");
  attrib_status s = attrib_spec_check(o, err);
  if (s) return s;
  size_t n = attrib_spec_count(o);
  attrib_spec_result *res = attrib__calloc(n, sizeof *res);
  if (!res) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  sweep_ctx c = {.t = t, .o = o, .total = n};
  atomic_init(&c.done, 0);
  attrib_spec_run(n, o->threads, sweep_one, &c, res);
  /* Every specification failed on the same missing column: no varied value
   * names a column but the covariates, so it is the base options' (a
   * --treat typo) or in every covariate set, and the sweep failed before
   * any variation could matter; a curve of identical failures would read as
   * a result (issue 15). Specifications that fail for their own reasons,
   * even all of them, stay a curve (issue 12). */
  size_t same = 0;
  while (same < n && res[same].status == ATTRIB_ENOCOL && !strcmp(res[same].message, res[0].message)) same++;
  if (n && same == n) {
    attrib_status st = attrib__fail(err, ATTRIB_ENOCOL, "%s", res[0].message);
    attrib__free(res);
    return st;
  }
  *out = res;
  return ATTRIB_OK;
}

void attrib_spec_results_free(attrib_spec_result *results) { attrib__free(results); }

/* ---- the summary --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct failed_ref {
  const attrib_spec_result *r;
  size_t index;
} failed_ref;

/* by status, then message, then index: each reason's specifications end up
 * together with the first one first */
static int cmp_failed(const void *a, const void *b) {
  const failed_ref *x = a, *y = b;
  if (x->r->status != y->r->status) return x->r->status < y->r->status ? -1 : 1;
  int c = strcmp(x->r->message, y->r->message);
  if (c) return c;
  return (x->index > y->index) - (x->index < y->index);
}

static int same_reason(const attrib_spec_result *a, const attrib_spec_result *b) {
  return a->status == b->status && !strcmp(a->message, b->message);
}

static int cmp_reason(const void *a, const void *b) {
  const attrib_spec_failure *x = a, *y = b;
  return (x->first > y->first) - (x->first < y->first);
}

void attrib_spec_summary_free(attrib_spec_summary *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n_reasons; i++) attrib__free(s->reasons[i].reason);
  attrib__free(s->reasons);
  attrib__free(s);
}

attrib_status attrib_spec_summarize(const attrib_spec_result *results, size_t n, attrib_spec_summary **out,
                                    attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_spec_summarize: NULL argument");
  *out = NULL;
  if (!results && n) return attrib__fail(err, ATTRIB_EINVAL, "attrib_spec_summarize: NULL argument");
  attrib_spec_summary *s = attrib__calloc(1, sizeof *s);
  double *est = attrib__malloc(n ? n : 1, sizeof *est);
  failed_ref *bad = attrib__malloc(n ? n : 1, sizeof *bad);
  attrib_status st = ATTRIB_OK;
  if (!s || !est || !bad) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  s->n_specs = n;
  for (size_t i = 0; i < n; i++) {
    const attrib_spec_result *r = &results[i];
    if (r->status == ATTRIB_OK && isfinite(r->estimate)) {
      est[s->n_estimated++] = r->estimate;
      s->n_significant += r->ci_low > 0 || r->ci_high < 0;
      s->n_positive += r->estimate > 0;
    } else {
      bad[s->n_failed++] = (failed_ref){r, i};
    }
  }
  s->min_estimate = s->median_estimate = s->max_estimate = s->share_significant = s->share_positive = NAN;
  size_t k = s->n_estimated;
  if (k) {
    qsort(est, k, sizeof *est, cmp_double);
    s->min_estimate = est[0], s->max_estimate = est[k - 1];
    s->median_estimate = 0.5 * (est[(k - 1) / 2] + est[k / 2]);
    s->share_significant = (double)s->n_significant / (double)k;
    s->share_positive = (double)s->n_positive / (double)k;
  }
  if (s->n_failed) {
    qsort(bad, s->n_failed, sizeof *bad, cmp_failed);
    size_t groups = 1;
    for (size_t i = 1; i < s->n_failed; i++) groups += !same_reason(bad[i - 1].r, bad[i].r);
    if (!(s->reasons = attrib__calloc(groups, sizeof *s->reasons))) {
      st = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
      goto done;
    }
    for (size_t i = 0; i < s->n_failed; i++) {
      const attrib_spec_result *r = bad[i].r;
      if (i == 0 || !same_reason(bad[i - 1].r, r)) {
        attrib_spec_failure *g = &s->reasons[s->n_reasons++];
        /* status OK with no finite estimate (results not made by attrib_spec_run) */
        int nan_ok = r->status == ATTRIB_OK;
        g->status = nan_ok ? ATTRIB_ENUMERIC : r->status;
        g->first = bad[i].index;
        const char *why = nan_ok ? "the estimate is not a finite number" : r->message[0] ? r->message : attrib_strerror(r->status);
        if (!(g->reason = attrib__strdup(why))) {
          st = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
          goto done;
        }
      }
      s->reasons[s->n_reasons - 1].count++;
    }
    qsort(s->reasons, s->n_reasons, sizeof *s->reasons, cmp_reason);
  }
done:
  attrib__free(est), attrib__free(bad);
  if (st) attrib_spec_summary_free(s);
  else *out = s;
  return st;
}
