/*
 * The bootstrap engine (include/attrib/bootstrap.h, docs/methods/bootstrap.md):
 * options and their names, the replicate loop over an estimator's refit
 * callback, and the result from the replicates: SE, p-value and the
 * percentile, basic, normal, BCa and studentized intervals. It calls no
 * estimator: the bootstraps of OLS and logit (src/regression/
 * ols_bootstrap.c, pairs_bootstrap.c, wild_bootstrap.c) draw their
 * replicates and hand them here; the multiplier bootstrap of an influence
 * function is multiplier_bootstrap.c. Replicate b's random numbers are a
 * counter-based hash of (seed, b, draw) (inference_internal.h), so any
 * thread may compute any replicate and results never depend on it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/bootstrap.h>
#include "core/attrib_internal.h"
#include "core/parallel.h"
#include "inference/inference_internal.h"

void attrib_boot_options_init(attrib_boot_options *o) {
  memset(o, 0, sizeof *o);
  o->replicates = 999;
  o->seed = 1;
  o->level = 0.95;
  o->invert = 1;
}

static const char *const type_names[] = {"pairs", "cluster", "wild", "multiplier", "parametric"};
static const char *const weight_names[] = {"rademacher", "webb", "mammen"};
static const char *const ci_names[] = {"percentile", "basic", "normal", "bca", "studentized"};

const char *attrib_boot_type_name(attrib_boot_type t) { return (unsigned)t < 5 ? type_names[t] : "?"; }
const char *attrib_boot_weights_name(attrib_boot_weights w) { return (unsigned)w < 3 ? weight_names[w] : "?"; }
const char *attrib_boot_ci_name(attrib_boot_ci c) { return (unsigned)c < 5 ? ci_names[c] : "?"; }

static int lookup(const char *s, const char *const *names, int n) {
  for (int i = 0; s && i < n; i++)
    if (!strcmp(s, names[i])) return i;
  return -1;
}

attrib_status attrib_boot_type_parse(const char *s, attrib_boot_type *out, attrib_error *err) {
  int i = lookup(s, type_names, 4);
  if (i < 0)
    return attrib__fail(err, ATTRIB_EINVAL, "unknown bootstrap type '%s' (pairs, cluster, wild, multiplier)",
                        s ? s : "");
  *out = (attrib_boot_type)i;
  return ATTRIB_OK;
}

attrib_status attrib_boot_weights_parse(const char *s, attrib_boot_weights *out, attrib_error *err) {
  int i = lookup(s, weight_names, 3);
  if (i < 0)
    return attrib__fail(err, ATTRIB_EINVAL, "unknown wild weights '%s' (rademacher, webb, mammen)", s ? s : "");
  *out = (attrib_boot_weights)i;
  return ATTRIB_OK;
}

attrib_status attrib_boot_ci_parse(const char *s, attrib_boot_ci *out, attrib_error *err) {
  int i = lookup(s, ci_names, 5);
  if (i < 0)
    return attrib__fail(err, ATTRIB_EINVAL, "unknown interval '%s' (percentile, basic, normal, bca, studentized)",
                        s ? s : "");
  *out = (attrib_boot_ci)i;
  return ATTRIB_OK;
}

attrib_status attrib__boot_check_replicates(const attrib_boot_options *o, attrib_error *err) {
  if (o->replicates < 99)
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: at least 99 replicates are needed (replicates = %zu)",
                        o->replicates);
  if (o->replicates > ATTRIB_BOOT_MAX_REPLICATES)
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: at most %zu replicates are taken (replicates = %zu)",
                        ATTRIB_BOOT_MAX_REPLICATES, o->replicates);
  return ATTRIB_OK;
}

void attrib_boot_result_free(attrib_boot_result *r) {
  if (!r) return;
  attrib__free(r->draws);
  attrib__free(r->t_null);
  attrib__free(r);
}

/* ---- intervals from draws -------------------------------------------------- */

int attrib__cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double attrib__quantile7(const double *v, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h), hi = lo + 1 < n ? lo + 1 : lo;
  return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}
/* draws sorted; tstar sorted studentized draws (or NULL); se: the
 * full-sample SE for studentized and normal; acc: BCa acceleration */
static void interval(attrib_boot_result *r, const double *draws, size_t B, const double *tstar, double se, double acc) {
  double alpha = 1.0 - r->level, est = r->estimate;
  double mean = 0.0, var = 0.0;
  for (size_t b = 0; b < B; b++) mean += draws[b];
  mean /= (double)B;
  for (size_t b = 0; b < B; b++) var += (draws[b] - mean) * (draws[b] - mean);
  r->std_error = sqrt(var / (double)(B - 1));
  switch (r->ci) {
  case ATTRIB_CI_BASIC:
    r->ci_low = 2.0 * est - attrib__quantile7(draws, B, 1.0 - alpha / 2.0);
    r->ci_high = 2.0 * est - attrib__quantile7(draws, B, alpha / 2.0);
    break;
  case ATTRIB_CI_NORMAL: { /* as boot.ci: bias-corrected, bootstrap SD */
    double z = gsl_cdf_ugaussian_Pinv(1.0 - alpha / 2.0), bias = mean - est;
    r->ci_low = est - bias - z * r->std_error;
    r->ci_high = est - bias + z * r->std_error;
    break;
  }
  case ATTRIB_CI_BCA: { /* Efron (1987): z0 from the share below the estimate, a from influence values */
    size_t below = 0;
    for (size_t b = 0; b < B; b++) below += draws[b] < est;
    double z0 = gsl_cdf_ugaussian_Pinv(fmin(fmax((double)below / (double)B, 0.5 / (double)B), 1.0 - 0.5 / (double)B));
    double p[2] = {alpha / 2.0, 1.0 - alpha / 2.0}, out[2];
    for (int e = 0; e < 2; e++) {
      double z = gsl_cdf_ugaussian_Pinv(p[e]);
      out[e] = attrib__quantile7(draws, B, gsl_cdf_ugaussian_P(z0 + (z0 + z) / (1.0 - acc * (z0 + z))));
    }
    r->ci_low = out[0], r->ci_high = out[1];
    break;
  }
  case ATTRIB_CI_STUDENTIZED:
    r->ci_low = est - attrib__quantile7(tstar, B, 1.0 - alpha / 2.0) * se;
    r->ci_high = est - attrib__quantile7(tstar, B, alpha / 2.0) * se;
    break;
  default:
    r->ci_low = attrib__quantile7(draws, B, alpha / 2.0);
    r->ci_high = attrib__quantile7(draws, B, 1.0 - alpha / 2.0);
  }
}
/* ---- the result from the replicates ------------------------------------------ */

attrib_status attrib__boot_finish(attrib_boot_result *r, const attrib_boot_options *o, const attrib__boot_reps *ro,
                                  size_t B, double se_full, double acc, double null_value, attrib_error *err) {
  size_t m = 0;
  double *d = attrib__malloc(B, sizeof *d), *t = attrib__malloc(B, sizeof *t);
  if (!d || !t) {
    attrib__free(d), attrib__free(t);
    return attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
  }
  size_t extreme = 0;
  for (size_t b = 0; b < B; b++) {
    if (!ro->ok[b]) continue;
    d[m] = ro->beta_j[b];
    t[m] = ro->t[b];
    extreme += fabs(ro->beta_j[b] - r->estimate) >= fabs(r->estimate - null_value);
    m++;
  }
  r->n_failed = B - m;
  if (m < 10) {
    attrib__free(d), attrib__free(t);
    return attrib__fail(err, ATTRIB_ENUMERIC, "bootstrap: %zu of %zu replicates failed (singular resamples)", B - m, B);
  }
  if (o->keep_draws) {
    if (!(r->draws = attrib__malloc(m, sizeof *r->draws))) {
      attrib__free(d), attrib__free(t);
      return attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    }
    memcpy(r->draws, d, m * sizeof *d);
    r->n_draws = m;
  }
  /* no replicate as extreme: the p-value is below 1/(m+1), not 0 */
  r->p_value_bound = extreme == 0;
  r->p_value = extreme ? (double)extreme / (double)m : 1.0 / ((double)m + 1.0);
  r->p_value_method = "share of |beta* - beta| >= |beta - null| (recentred, symmetric)";
  r->inv_low = r->inv_high = NAN;
  qsort(d, m, sizeof *d, attrib__cmp_double);
  if (o->ci == ATTRIB_CI_STUDENTIZED) qsort(t, m, sizeof *t, attrib__cmp_double);
  interval(r, d, m, t, se_full, acc);
  attrib__free(d), attrib__free(t);
  return ATTRIB_OK;
}

/* ---- the refit loop ------------------------------------------------------------ */

/* Replicate b's resampling weights for a refit: how often each row (pairs)
 * or its cluster (cluster) is drawn, times the design's own weights. The
 * same draws as the sufficient-statistics paths (stream, draw_index), so
 * a refit and an algebraic replicate resample the same rows. */
static void resample_weights(attrib_boot_type type, uint64_t sb, size_t n, const int32_t *cl, size_t G, double *gc,
                             const double *dw, double *w) {
  if (type == ATTRIB_BOOT_CLUSTER) {
    memset(gc, 0, G * sizeof *gc);
    for (size_t j = 0; j < G; j++) gc[attrib__boot_draw_index(sb, j, G)] += 1.0;
    for (size_t i = 0; i < n; i++) w[i] = gc[cl[i]];
  } else {
    memset(w, 0, n * sizeof *w);
    for (size_t j = 0; j < n; j++) w[attrib__boot_draw_index(sb, j, n)] += 1.0;
  }
  if (dw)
    for (size_t i = 0; i < n; i++) w[i] *= dw[i];
}

/* The refit bootstraps' loop: replicate b's resampling weights, then the
 * estimator's fit on the same rows with those weights. Replicates run in
 * batches of ten on up to `threads` threads, each thread with its own
 * weights and the estimator's scratch of that thread index (a refit's
 * result depends only on b's stream, never on the thread that ran it);
 * between batches the caller's thread reports progress, every ten
 * replicates as a sequential loop would. */
typedef struct refit_job {
  const attrib_design *d;
  const attrib_boot_options *o;
  const int32_t *cl;
  size_t G, coef, b0;
  attrib__boot_refit_fn fit;
  void *ctx;
  double *w, *gc;            /* per thread: n and G */
  attrib__boot_reps *ro;
  attrib_status st[ATTRIB__BOOT_REFIT_BATCH]; /* per replicate of the batch */
} refit_job;

static void refit_one(void *ctx, size_t i, size_t thread) {
  refit_job *j = ctx;
  size_t n = j->d->n, b = j->b0 + i;
  double *w = j->w + thread * (n ? n : 1), *gc = j->gc ? j->gc + thread * j->G : NULL;
  resample_weights(j->o->type, attrib__boot_stream(j->o->seed, b), n, j->cl, j->G, gc, j->d->w, w);
  attrib_design dd = *j->d; /* a shallow view with the replicate's weights */
  dd.w = w;
  dd.n_cluster = 0;
  int ok = 0;
  double beta = NAN, t = NAN;
  j->st[i] = j->fit(&dd, j->ctx, thread, j->coef, &beta, &t, &ok);
  j->ro->ok[b] = (unsigned char)ok;
  j->ro->beta_j[b] = ok ? beta : NAN;
  j->ro->t[b] = ok ? t : NAN;
}

attrib_status attrib__boot_refit(const attrib_design *d, const attrib_boot_options *o, const int32_t *cl, size_t G,
                                 size_t coef, size_t threads, attrib__boot_refit_fn fit, void *ctx,
                                 attrib__boot_reps *ro, attrib_error *err) {
  size_t n = d->n, B = o->replicates, T = threads ? threads : 1;
  refit_job j = {d, o, cl, G, coef, 0, fit, ctx, NULL, NULL, ro, {0}};
  j.w = attrib__malloc(attrib__mulsz(T, n ? n : 1), sizeof *j.w);
  j.gc = cl ? attrib__calloc(attrib__mulsz(T, G ? G : 1), sizeof *j.gc) : NULL;
  attrib_status st = ATTRIB_OK;
  if (!j.w || (cl && !j.gc)) st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
  for (size_t b0 = 0; !st && b0 < B; b0 += ATTRIB__BOOT_REFIT_BATCH) {
    size_t nb = B - b0 < ATTRIB__BOOT_REFIT_BATCH ? B - b0 : ATTRIB__BOOT_REFIT_BATCH;
    j.b0 = b0;
    attrib__parallel_chunks(nb, T < nb ? T : nb, refit_one, &j);
    for (size_t i = 0; i < nb; i++)
      if (j.st[i] == ATTRIB_ENOMEM) st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    if (!st && o->progress && (b0 + nb) % 10 == 0) o->progress(o->progress_ctx, b0 + nb, B);
  }
  attrib__free(j.w), attrib__free(j.gc);
  return st;
}
