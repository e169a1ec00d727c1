/*
 * Specification sweeps and the specification curve's summary
 * (include/attrib/sensitivity.h, docs/methods/sensitivity.md).
 */
#include <math.h>
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
