/*
 * The multiplier bootstrap of an estimator with influence values
 * (include/attrib/bootstrap.h, attrib_multiplier_bootstrap): replicate b
 * perturbs the influence values with the wild weights of its own stream
 * (inference_internal.h), so results never depend on the thread count.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/bootstrap.h>
#include "core/attrib_internal.h"
#include "core/parallel.h"
#include "inference/inference_internal.h"

/* ---- the multiplier bootstrap of one influence function ------------------------
 * theta*_b = theta + (1/n) sum_i xi_bi psi_i (xi per unit, or per cluster
 * on the clusters' sums), drawn in blocks of units as GEMVs; the SE is
 * the replicates' SD. */
typedef struct mult_job {
  const double *psi;
  size_t G, B, chunk;
  const attrib_boot_options *o;
  double *part; /* per chunk: B */
} mult_job;

static void mult_chunk(void *ctx, size_t c, size_t thread) {
  (void)thread;
  mult_job *j = ctx;
  size_t lo = c * j->chunk, hi = lo + j->chunk < j->G ? lo + j->chunk : j->G, B = j->B;
  double *out = j->part + c * B;
  for (size_t b = 0; b < B; b++) {
    uint64_t sb = attrib__boot_stream(j->o->seed, b);
    double acc = 0.0;
    for (size_t g = lo; g < hi; g++) acc += attrib__boot_wild_weight(sb, g, j->o->weights) * j->psi[g];
    out[b] = acc;
  }
}

attrib_status attrib_multiplier_bootstrap(const double *psi, size_t n, const int32_t *cl, size_t G, double estimate,
                                          const attrib_boot_options *o, attrib_boot_result **out, attrib_error *err) {
  *out = NULL;
  if (!psi || !o || !n) return attrib__fail(err, ATTRIB_EINVAL, "attrib_multiplier_bootstrap: no influence values");
  attrib_status st0 = attrib__boot_check_replicates(o, err);
  if (st0) return st0;
  if (o->ci == ATTRIB_CI_BCA || o->ci == ATTRIB_CI_STUDENTIZED)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the multiplier bootstrap perturbs influence functions: its intervals are percentile, basic or "
                        "normal, not %s", attrib_boot_ci_name(o->ci));
  size_t B = o->replicates, Gn = cl ? G : n;
  double *sums = NULL;
  const double *p = psi;
  if (cl) {
    if (!(sums = attrib__calloc(G, sizeof *sums))) return attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    for (size_t i = 0; i < n; i++) sums[cl[i]] += psi[i];
    p = sums;
  }
  size_t chunk_rows, C = attrib__chunks(Gn, &chunk_rows);
  attrib_boot_result *r = attrib__calloc(1, sizeof *r);
  double *part = attrib__malloc(attrib__mulsz(C, B), sizeof *part);
  attrib__boot_reps ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  attrib_status st = ATTRIB_OK;
  if (!r || !part || !ro.beta_j || !ro.t || !ro.ok) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    goto done;
  }
  mult_job j = {p, Gn, B, chunk_rows, o, part};
  attrib__parallel_chunks(C, attrib__threads(o->threads, C), mult_chunk, &j);
  for (size_t b = 0; b < B; b++) {
    double v = 0.0;
    for (size_t c = 0; c < C; c++) v += part[c * B + b]; /* chunk order: any thread count */
    ro.beta_j[b] = estimate + v / (double)n;
    ro.t[b] = NAN;
    ro.ok[b] = 1;
  }
  r->replicates = B;
  r->type = ATTRIB_BOOT_MULTIPLIER;
  r->weights = o->weights;
  r->ci = o->ci;
  r->level = o->level;
  r->estimate = estimate;
  r->n_clusters = Gn;
  double se_full = 0.0;
  for (size_t g = 0; g < Gn; g++) se_full += p[g] * p[g];
  se_full = sqrt(se_full) / (double)n;
  if ((st = attrib__boot_finish(r, o, &ro, B, se_full, 0.0, o->null_value, err))) goto done;
  if (o->ci == ATTRIB_CI_NORMAL) { /* normal here: the estimate +- z SE (the replicates are centred by construction) */
    double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * o->level);
    r->ci_low = estimate - z * r->std_error;
    r->ci_high = estimate + z * r->std_error;
  }
  r->p_value_method = "share of |theta* - theta| >= |theta - null| (recentred, symmetric)";
done:
  attrib__free(sums), attrib__free(part), attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  if (st) {
    attrib_boot_result_free(r);
    return st;
  }
  *out = r;
  return ATTRIB_OK;
}
