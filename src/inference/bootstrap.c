/*
 * Bootstrap inference for one OLS coefficient (include/attrib/bootstrap.h,
 * docs/methods/bootstrap.md). Every bootstrap here works on sufficient
 * statistics, never by refitting:
 *  - cluster: per-cluster X_g'X_g and X_g'y_g; a replicate's normal
 *    equations are sum_g c_gb (X_g'X_g, X_g'y_g) for its cluster counts
 *    c_gb: one GEMM (counts B x G) x (statistics G x q) for all replicates;
 *  - wild (cluster): Roodman, MacKinnon, Nielsen & Webb (2019, Stata J.
 *    19(1), "Fast and wild", sec. 5): with a = (X'X)^-1 e_j, the replicate's
 *    coefficient is beta0 + sum_g v_g s_g with s_g = a'X_g'u_g, and its
 *    cluster scores are diag(s) v - M v with M_gh = (X_g'X_g a)'(X'X)^-1
 *    X_h'u_h: one G x G x B product gives every t*;
 *  - pairs: row counts, the normal equations of a batch of replicates as a
 *    GEMM of counts (batch x rows) by the rows' products x x' and x y.
 * Replicate b's random numbers are a counter-based hash of (seed, b, draw),
 * so any thread may compute any replicate and results never depend on it.
 */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/bootstrap.h>
#include <attrib/logit.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "regression/regression_internal.h"
#include "design/design_internal.h"

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
  if (i < 0) return attrib__fail(err, ATTRIB_EINVAL, "unknown bootstrap type '%s' (pairs, cluster, wild, multiplier)", s ? s : "");
  *out = (attrib_boot_type)i;
  return ATTRIB_OK;
}

attrib_status attrib_boot_weights_parse(const char *s, attrib_boot_weights *out, attrib_error *err) {
  int i = lookup(s, weight_names, 3);
  if (i < 0) return attrib__fail(err, ATTRIB_EINVAL, "unknown wild weights '%s' (rademacher, webb, mammen)", s ? s : "");
  *out = (attrib_boot_weights)i;
  return ATTRIB_OK;
}

attrib_status attrib_boot_ci_parse(const char *s, attrib_boot_ci *out, attrib_error *err) {
  int i = lookup(s, ci_names, 5);
  if (i < 0)
    return attrib__fail(err, ATTRIB_EINVAL, "unknown interval '%s' (percentile, basic, normal, bca, studentized)", s ? s : "");
  *out = (attrib_boot_ci)i;
  return ATTRIB_OK;
}

/* the replicates option within [99, ATTRIB_BOOT_MAX_REPLICATES] */
static attrib_status check_replicates(const attrib_boot_options *o, attrib_error *err) {
  if (o->replicates < 99)
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: at least 99 replicates are needed (replicates = %zu)", o->replicates);
  if (o->replicates > ATTRIB_BOOT_MAX_REPLICATES)
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: at most %zu replicates are taken (replicates = %zu)",
                        ATTRIB_BOOT_MAX_REPLICATES, o->replicates);
  return ATTRIB_OK;
}

void attrib_boot_result_free(attrib_boot_result *r) {
  if (!r) return;
  attrib__free(r->draws);
  attrib__free(r);
}

/* ---- random numbers -------------------------------------------------------- */

/* Replicate b's stream: the one source (core/rng.h), purpose BOOT; draw j of
 * it is index j of a resample or the weight of cluster j. */
static uint64_t stream(uint64_t seed, size_t b) { return attrib__rng_key(seed, ATTRIB__RNG_BOOT, b); }

static size_t draw_index(uint64_t s, size_t j, size_t m) { return attrib__rng_below(attrib__rng_bits(s, j), m); }

/* the wild weight of cluster g in stream s */
static double wild_weight(uint64_t s, size_t g, attrib_boot_weights w) {
  uint64_t h = attrib__rng_bits(s, g);
  switch (w) {
  case ATTRIB_BOOT_WEBB: { /* six points, each with probability 1/6 */
    static const double v[6] = {-1.2247448713915890, -1.0, -0.70710678118654752, 0.70710678118654752, 1.0,
                                1.2247448713915890};
    return v[attrib__rng_below(h, 6)];
  }
  case ATTRIB_BOOT_MAMMEN: { /* -(sqrt5-1)/2 w.p. (sqrt5+1)/(2 sqrt5), else (sqrt5+1)/2 */
    const double s5 = 2.2360679774997897, p = (s5 + 1.0) / (2.0 * s5);
    double u = attrib__rng_unit(h);
    return u < p ? -(s5 - 1.0) / 2.0 : (s5 + 1.0) / 2.0;
  }
  default: return h >> 63 ? 1.0 : -1.0;
  }
}

/* ---- small dense algebra ------------------------------------------------ */

/* a * b, or SIZE_MAX when the product overflows: attrib__malloc(count, size)
 * then fails cleanly (it checks count * size), so no size computed here can
 * wrap around to a small allocation */
static size_t mulsz(size_t a, size_t b) { return a && b > SIZE_MAX / a ? SIZE_MAX : a * b; }

/* packed index of (a, b), a <= b, in the upper triangle by columns */
static size_t up(size_t a, size_t b) { return b * (b + 1) / 2 + a; }

/* solves (the packed SPD A) x = rhs; returns -1 when A is not positive
 * definite; inv (k x k, full) receives A^-1 when not NULL */
static int spd_solve(const double *Ap, const double *rhs, size_t k, double *work, double *x, double *inv) {
  for (size_t b = 0; b < k; b++)
    for (size_t a = 0; a <= b; a++) work[b * k + a] = work[a * k + b] = Ap[up(a, b)];
  if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)k, work, (lapack_int)k) != 0) return -1;
  memcpy(x, rhs, k * sizeof *x);
  if (LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'U', (lapack_int)k, 1, work, (lapack_int)k, x, (lapack_int)k) != 0) return -1;
  if (inv) {
    memcpy(inv, work, k * k * sizeof *inv);
    if (LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)k, inv, (lapack_int)k) != 0) return -1;
    for (size_t b = 0; b < k; b++)
      for (size_t a = b + 1; a < k; a++) inv[b * k + a] = inv[a * k + b];
  }
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* R's type-7 quantile of sorted v */
static double quantile(const double *v, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h), hi = lo + 1 < n ? lo + 1 : lo;
  return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

/* ---- the data as sufficient statistics ---------------------------------- */

typedef struct suff {
  size_t n, k, G, q;   /* q = k(k+1)/2 + k: packed X'X then X'y */
  double *X, *y;       /* kept for the pairs bootstrap: n x k (demeaned), n */
  size_t *cols;        /* design columns used (not aliased) */
  size_t j;            /* position of the coefficient among them */
  double *S;           /* G x q, row-major by cluster: per-cluster statistics */
  double *tot;         /* q: the totals */
  double *ng;          /* G: rows per cluster */
  double yy;
} suff;

static void suff_free(suff *s) {
  attrib__free(s->X);
  attrib__free(s->y);
  attrib__free(s->cols);
  attrib__free(s->S);
  attrib__free(s->tot);
  attrib__free(s->ng);
  memset(s, 0, sizeof *s);
}

/* one part of the rows (see suff_build) */
typedef struct stream_job {
  const attrib_design *d;
  const suff *s;
  const int32_t *cl;
  size_t G, k, kd, n, part_rows;
  double *full, *xy, *ng, *yy; /* per part: G k k, G k, G, 1 */
} stream_job;

static void stream_part(void *ctx, size_t pt, size_t thread) {
  (void)thread;
  stream_job *j = ctx;
  const attrib_design *d = j->d;
  size_t G = j->G, k = j->k, kd = j->kd, B = ATTRIB__BLOCK_ROWS, R = 16384;
  size_t lo = pt * j->part_rows, hi = lo + j->part_rows < j->n ? lo + j->part_rows : j->n;
  double *full = j->full + pt * G * k * k, *xy = j->xy + pt * G * k, *ng = j->ng + pt * G;
  double *blk = attrib__malloc(mulsz(B, kd ? kd : 1), sizeof *blk), *Xs = attrib__malloc(mulsz(R, k), sizeof *Xs);
  double *ys = attrib__malloc(R, sizeof *ys);
  size_t *start = attrib__malloc(G + 1, sizeof *start), *pos = attrib__malloc(G + 1, sizeof *pos);
  if (!blk || !Xs || !ys || !start || !pos) {
    j->yy[pt] = NAN;
    attrib__free(blk), attrib__free(Xs), attrib__free(ys), attrib__free(start), attrib__free(pos);
    return;
  }
  double yy = 0.0;
  for (size_t c0 = lo; c0 < hi; c0 += R) {
    size_t m = hi - c0 < R ? hi - c0 : R;
    memset(start, 0, (G + 1) * sizeof *start);
    for (size_t i = 0; i < m; i++) start[(size_t)j->cl[c0 + i] + 1]++;
    for (size_t g = 0; g < G; g++) start[g + 1] += start[g];
    memcpy(pos, start, (G + 1) * sizeof *pos);
    for (size_t r0 = 0; r0 < m; r0 += B) {
      size_t p = m - r0 < B ? m - r0 : B;
      attrib_design_fill_rows(d, c0 + r0, p, blk, p);
      size_t dest[ATTRIB__BLOCK_ROWS];
      double sws[ATTRIB__BLOCK_ROWS];
      for (size_t i = 0; i < p; i++) {
        size_t g = (size_t)j->cl[c0 + r0 + i];
        dest[i] = pos[g]++;
        sws[i] = d->w ? sqrt(d->w[c0 + r0 + i]) : 1.0;
        ng[g] += 1.0;
        double v = sws[i] * d->y[c0 + r0 + i];
        ys[dest[i]] = v;
        yy += v * v;
      }
      for (size_t c = 0; c < k; c++) { /* column by column: the scatter stays within one column */
        const double *src = blk + j->s->cols[c] * p;
        double *dst = Xs + c * R;
        for (size_t i = 0; i < p; i++) dst[dest[i]] = sws[i] * src[i];
      }
    }
    for (size_t g = 0; g < G; g++) {
      size_t a = start[g], len = start[g + 1] - a;
      if (!len) continue;
      cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)k, (int)len, 1.0, Xs + a, (int)R, 1.0, full + g * k * k,
                  (int)k);
      cblas_dgemv(CblasColMajor, CblasTrans, (int)len, (int)k, 1.0, Xs + a, (int)R, ys + a, 1, 1.0, xy + g * k, 1);
    }
  }
  j->yy[pt] = yy;
  attrib__free(blk), attrib__free(Xs), attrib__free(ys), attrib__free(start), attrib__free(pos);
}

/* The wild bootstrap with absorbed fixed effects: it may run on the
 * demeaned data (Frisch-Waugh-Lovell) only for the fixed effects nested
 * within its clusters. For those the projection of the bootstrap errors
 * v_g u_i is v times the projection of u, which is zero; for the others it
 * is not, and the replicate's residuals, hence its cluster scores and t*,
 * would differ from the dummy regression's (the coefficients would not).
 * Those fixed effects' dummies therefore join X (at most this many
 * columns), the others are absorbed. */
#define WILD_FE_DUMMIES_MAX 200

/* Per-cluster statistics of (sqrt(w) x, sqrt(w) y); X and y demeaned first
 * when the design absorbs fixed effects (Frisch-Waugh-Lovell). wild: the
 * fixed effects not nested in the clusters cl (all of them without cl)
 * become dummy columns after the design's (see WILD_FE_DUMMIES_MAX). */
static attrib_status suff_build(const attrib_design *d, const attrib_ols_result *fit, size_t coef, const int32_t *cl,
                                size_t G, int keep_rows, int wild, size_t threads, suff *s, attrib_error *err) {
  size_t j0 = d->n_fe && d->intercept ? 1 : 0; /* the fit's coefficients skip an absorbed intercept */
  size_t n = d->n, kd = d->k;
  memset(s, 0, sizeof *s);
  if (d->n_fe > 8) return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: at most 8 absorbed fixed effects");
  s->n = n;
  s->G = G;
  if (!(s->cols = attrib__malloc(kd ? kd : 1, sizeof *s->cols))) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t c = 0; c < fit->coef.k; c++) {
    if (fit->coef.aliased[c]) continue;
    if (c == coef) s->j = s->k;
    s->cols[s->k++] = c + j0;
  }
  size_t k0 = s->k, extra = 0, n_absorbed = d->n_fe;
  unsigned char nested[8] = {0};
  if (wild && d->n_fe) {
    n_absorbed = 0;
    for (size_t e = 0; e < d->n_fe; e++) {
      nested[e] = cl && attrib__nested(n, d->fe[e].codes, d->fe[e].n_levels, cl, G);
      n_absorbed += nested[e];
    }
    int full = !n_absorbed; /* nothing absorbed: the first dummy set keeps every level (the intercept) */
    for (size_t e = 0; e < d->n_fe; e++) {
      if (nested[e]) continue;
      size_t add = d->fe[e].n_levels - (full ? 0 : 1);
      full = 0;
      if (extra + add > WILD_FE_DUMMIES_MAX) {
        suff_free(s);
        return attrib__fail(err, ATTRIB_EINVAL,
                            "the wild bootstrap needs the fixed effects not nested within its clusters as dummy "
                            "columns, and '%s' (%zu levels) %s: %s", d->fe[e].name, d->fe[e].n_levels,
                            cl ? "is not nested within the clusters" : "is not absorbed row by row",
                            cl ? "cluster by a column within which it is nested, or use --boot-type cluster"
                               : "cluster by a column within which it is nested (--cluster COL), or use --boot-type pairs");
      }
      extra += add;
    }
  }
  s->k = k0 + extra;
  size_t k = s->k;
  s->q = k * (k + 1) / 2 + k;
  s->S = attrib__calloc(G ? mulsz(G, s->q) : 1, sizeof *s->S);
  s->tot = attrib__calloc(s->q, sizeof *s->tot);
  s->ng = attrib__calloc(G, sizeof *s->ng);
  int stream = !keep_rows && !d->n_fe && G; /* cluster statistics straight from the design's row blocks */
  double *X = stream ? NULL : attrib__malloc(n && k ? mulsz(n, k) : 1, sizeof *X);
  double *y = stream ? NULL : attrib__malloc(n ? n : 1, sizeof *y);
  double *blk = attrib__malloc(mulsz(ATTRIB__BLOCK_ROWS, kd ? kd : 1), sizeof *blk);
  attrib_status st = ATTRIB_OK;
  attrib__fe fe;
  memset(&fe, 0, sizeof fe);
  if (!s->S || !s->tot || !s->ng || (!stream && (!X || !y)) || !blk) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory (%zu rows x %zu columns)", n, k);
    goto done;
  }
  if (stream) {
    /* The rows are split into a fixed number of parts (the same for any
     * thread count, so the sums are too), each on a thread with its own
     * accumulators, merged in part order. Within a part, rows come in
     * chunks sorted by cluster (a counting sort), and each cluster's run
     * updates its k x k X_g'X_g with one dsyrk and X_g'y_g with one dgemv:
     * BLAS speed instead of a scalar loop per row (sqrt(w) folded in). */
    size_t parts = n >= 4 * 65536 ? 4 : 1;
    stream_job sj = {d, s, cl, G, k, kd, n, (n + parts - 1) / parts, NULL, NULL, NULL, NULL};
    sj.full = attrib__calloc(mulsz(parts, mulsz(G, k * k)), sizeof *sj.full);
    sj.xy = attrib__calloc(mulsz(parts, mulsz(G, k)), sizeof *sj.xy);
    sj.ng = attrib__calloc(mulsz(parts, G), sizeof *sj.ng);
    sj.yy = attrib__calloc(parts, sizeof *sj.yy);
    if (!sj.full || !sj.xy || !sj.ng || !sj.yy) {
      attrib__free(sj.full), attrib__free(sj.xy), attrib__free(sj.ng), attrib__free(sj.yy);
      st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory (%zu clusters)", G);
      goto done;
    }
    attrib__parallel_chunks(parts, attrib__threads(threads, parts), stream_part, &sj);
    size_t kk = k * (k + 1) / 2;
    int failed = 0;
    for (size_t pt = 0; pt < parts; pt++) {
      failed |= isnan(sj.yy[pt]);
      s->yy += sj.yy[pt];
      for (size_t g = 0; g < G; g++) {
        const double *F = sj.full + (pt * G + g) * k * k;
        double *Sg = s->S + g * s->q;
        for (size_t b = 0; b < k; b++)
          for (size_t a = 0; a <= b; a++) Sg[up(a, b)] += F[b * k + a];
        for (size_t b = 0; b < k; b++) Sg[kk + b] += sj.xy[(pt * G + g) * k + b];
        s->ng[g] += sj.ng[pt * G + g];
      }
    }
    attrib__free(sj.full), attrib__free(sj.xy), attrib__free(sj.ng), attrib__free(sj.yy);
    if (failed) {
      st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
      goto done;
    }
    for (size_t g = 0; g < G; g++)
      for (size_t q = 0; q < s->q; q++) s->tot[q] += s->S[g * s->q + q];
    goto done;
  }
  for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS;
    attrib_design_fill_rows(d, r0, p, blk, p);
    for (size_t c = 0; c < k0; c++) memcpy(X + c * n + r0, blk + s->cols[c] * p, p * sizeof *X);
  }
  memcpy(y, d->y, n * sizeof *y);
  if (extra) { /* the dummies of the fixed effects that are not absorbed */
    size_t c = k0;
    int full = !n_absorbed;
    for (size_t e = 0; e < d->n_fe; e++) {
      if (nested[e]) continue;
      const int32_t *code = d->fe[e].codes;
      for (size_t l = full ? 0 : 1; l < d->fe[e].n_levels; l++, c++) {
        double *x = X + c * n;
        for (size_t i = 0; i < n; i++) x[i] = code[i] == (int32_t)l ? 1.0 : 0.0;
      }
      full = 0;
    }
  }
  if (n_absorbed) {
    const int32_t *codes[8];
    size_t levels[8], D = 0;
    for (size_t e = 0; e < d->n_fe; e++)
      if (!wild || nested[e]) codes[D] = d->fe[e].codes, levels[D++] = d->fe[e].n_levels;
    if ((st = attrib__fe_init(&fe, n, D, codes, levels, d->w, err))) goto done;
    size_t it;
    int conv;
    for (size_t c = 0; c < k && !st; c++) st = attrib__fe_demean(&fe, X + c * n, 1e-12, 100000, &it, &conv, err);
    if (!st) st = attrib__fe_demean(&fe, y, 1e-12, 100000, &it, &conv, err);
    if (st) goto done;
  }
  for (size_t i = 0; i < n && G; i++) {
    double w = d->w ? d->w[i] : 1.0;
    size_t g = cl ? (size_t)cl[i] : i;
    double *Sg = s->S + g * s->q;
    s->ng[g] += 1.0;
    for (size_t b = 0; b < k; b++) {
      double xb = w * X[b * n + i];
      for (size_t a = 0; a <= b; a++) Sg[up(a, b)] += xb * X[a * n + i];
      Sg[k * (k + 1) / 2 + b] += xb * y[i];
    }
    s->yy += w * y[i] * y[i];
  }
  for (size_t g = 0; g < G; g++)
    for (size_t q = 0; q < s->q; q++) s->tot[q] += s->S[g * s->q + q];
  if (!G) /* pairs: the totals only */
    for (size_t i = 0; i < n; i++) {
      double w = d->w ? d->w[i] : 1.0;
      for (size_t b = 0; b < k; b++) {
        double xb = w * X[b * n + i];
        for (size_t a = 0; a <= b; a++) s->tot[up(a, b)] += xb * X[a * n + i];
        s->tot[k * (k + 1) / 2 + b] += xb * y[i];
      }
    }
  if (keep_rows) s->X = X, s->y = y, X = y = NULL;
done:
  attrib__fe_free(&fe);
  attrib__free(X);
  attrib__free(y);
  attrib__free(blk);
  if (st) suff_free(s);
  return st;
}

/* ---- intervals from draws -------------------------------------------------- */

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
    r->ci_low = 2.0 * est - quantile(draws, B, 1.0 - alpha / 2.0);
    r->ci_high = 2.0 * est - quantile(draws, B, alpha / 2.0);
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
      out[e] = quantile(draws, B, gsl_cdf_ugaussian_P(z0 + (z0 + z) / (1.0 - acc * (z0 + z))));
    }
    r->ci_low = out[0], r->ci_high = out[1];
    break;
  }
  case ATTRIB_CI_STUDENTIZED:
    r->ci_low = est - quantile(tstar, B, 1.0 - alpha / 2.0) * se;
    r->ci_high = est - quantile(tstar, B, alpha / 2.0) * se;
    break;
  default:
    r->ci_low = quantile(draws, B, alpha / 2.0);
    r->ci_high = quantile(draws, B, 1.0 - alpha / 2.0);
  }
}

/* ---- cluster (and pairs) bootstrap from counts ------------------------------- */

typedef struct rep_out {
  double *beta_j;  /* B */
  double *t;       /* B studentized (NaN when not asked) */
  unsigned char *ok;
} rep_out;

/* Solves every replicate's normal equations A_b (B x q, row-major) and,
 * when studentize, its CR1 (cluster) SE from the statistics S and counts C
 * (B x G, row-major). */
static int solve_replicates(const suff *s, const double *A, const double *C, size_t B, int studentize, double est,
                            rep_out *o) {
  size_t k = s->k, q = s->q, G = s->G;
  double *work = attrib__malloc(k * k, sizeof *work), *x = attrib__malloc(k, sizeof *x);
  double *inv = attrib__malloc(k * k, sizeof *inv);
  if (!work || !x || !inv) {
    attrib__free(work), attrib__free(x), attrib__free(inv);
    return -1;
  }
  for (size_t b = 0; b < B; b++) {
    const double *Ab = A + b * q;
    o->ok[b] = spd_solve(Ab, Ab + k * (k + 1) / 2, k, work, x, studentize ? inv : NULL) == 0;
    o->beta_j[b] = o->ok[b] ? x[s->j] : NAN;
    o->t[b] = NAN;
    if (!o->ok[b] || !studentize) continue;
    /* CR1 of coefficient j: sum_g c_gb (a_b'(X_g'y_g - X_g'X_g beta_b))^2 */
    const double *a = inv + s->j * k;
    double v = 0.0, nb = 0.0, Gb = 0.0;
    for (size_t g = 0; g < G; g++) {
      double c = C[b * G + g];
      if (c == 0.0) continue;
      const double *Sg = s->S + g * q;
      double u = 0.0;
      for (size_t r = 0; r < k; r++) {
        double sc = Sg[k * (k + 1) / 2 + r];
        for (size_t m = 0; m < k; m++) sc -= Sg[r <= m ? up(r, m) : up(m, r)] * x[m];
        u += a[r] * sc;
      }
      v += c * u * u;
      nb += c * s->ng[g];
      Gb += c;
    }
    double fac = Gb / (Gb - 1.0) * (nb - 1.0) / (nb - (double)k);
    o->t[b] = (x[s->j] - est) / sqrt(fac * v);
  }
  attrib__free(work), attrib__free(x), attrib__free(inv);
  return 0;
}

/* ---- the entry --------------------------------------------------------------- */

static attrib_status finish(attrib_boot_result *r, const attrib_boot_options *o, const rep_out *ro, size_t B,
                            double se_full, double acc, double null_value, attrib_error *err) {
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
  qsort(d, m, sizeof *d, cmp_double);
  if (o->ci == ATTRIB_CI_STUDENTIZED) qsort(t, m, sizeof *t, cmp_double);
  interval(r, d, m, t, se_full, acc);
  attrib__free(d), attrib__free(t);
  return ATTRIB_OK;
}

static attrib_status cluster_boot(const suff *s, const attrib_boot_options *o, double est, attrib_boot_result *r,
                                  attrib_error *err) {
  size_t B = o->replicates, G = s->G, q = s->q, k = s->k;
  attrib_status st = ATTRIB_OK;
  double *C = attrib__malloc(mulsz(B, G), sizeof *C), *A = attrib__malloc(mulsz(B, q), sizeof *A);
  rep_out ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  double *work = attrib__malloc(k * k, sizeof *work), *x = attrib__malloc(k, sizeof *x), *inv = attrib__malloc(k * k, sizeof *inv);
  if (!C || !A || !ro.beta_j || !ro.t || !ro.ok || !work || !x || !inv) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    goto done;
  }
  memset(C, 0, B * G * sizeof *C);
  for (size_t b = 0; b < B; b++) {
    uint64_t sb = stream(o->seed, b);
    for (size_t j = 0; j < G; j++) C[b * G + draw_index(sb, j, G)] += 1.0;
  }
  /* A (B x q) = C (B x G) S (G x q), both row-major */
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)q, (int)G, 1.0, C, (int)G, s->S, (int)q, 0.0, A,
              (int)q);
  if (solve_replicates(s, A, C, B, o->ci == ATTRIB_CI_STUDENTIZED, est, &ro)) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    goto done;
  }
  /* full-sample CR1 SE (studentized) and cluster influence values L_g =
   * a'(X_g'y_g - X_g'X_g beta) for the BCa acceleration */
  double se_full = NAN, acc = 0.0;
  if (spd_solve(s->tot, s->tot + k * (k + 1) / 2, k, work, x, inv)) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "bootstrap: the design is singular");
    goto done;
  }
  {
    const double *a = inv + s->j * k;
    double v = 0.0, l2 = 0.0, l3 = 0.0;
    for (size_t g = 0; g < G; g++) {
      const double *Sg = s->S + g * q;
      double u = 0.0;
      for (size_t rr = 0; rr < k; rr++) {
        double sc = Sg[k * (k + 1) / 2 + rr];
        for (size_t m = 0; m < k; m++) sc -= Sg[rr <= m ? up(rr, m) : up(m, rr)] * x[m];
        u += a[rr] * sc;
      }
      v += u * u, l2 += u * u, l3 += u * u * u;
    }
    double fac = (double)G / ((double)G - 1.0) * ((double)s->n - 1.0) / ((double)s->n - (double)k);
    se_full = sqrt(fac * v);
    acc = l2 > 0 ? l3 / (6.0 * pow(l2, 1.5)) : 0.0;
  }
  st = finish(r, o, &ro, B, se_full, acc, o->null_value, err);
done:
  attrib__free(C), attrib__free(A), attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  attrib__free(work), attrib__free(x), attrib__free(inv);
  return st;
}

/* ---- pairs bootstrap ---------------------------------------------------------
 * Replicate b resamples n rows with replacement: row i enters c_bi times.
 * Its normal equations sum_i c_bi w_i (x_i x_i', x_i y_i) are, for a batch
 * of replicates, the GEMM counts (batch x rows) times the rows' products
 * (rows x q), accumulated over row chunks on the threads (each chunk owns
 * its partial sums, merged in chunk order: the same for any thread count).
 * Counts come from n draws of the replicate's own stream. */
#define PAIRS_BATCH 64
#define PAIRS_ROWS 256

typedef struct pairs_job {
  const suff *s;
  const double *w;          /* analytic weights or NULL */
  const unsigned char *cnt; /* batch x n counts */
  size_t nb, chunk;         /* replicates in the batch; rows per chunk */
  double *part;             /* per chunk: nb x q, column-major (nb rows) */
  /* second pass (studentized): per replicate a_b (k) and beta_b (k) */
  const double *A, *Bt;     /* k x nb each, column-major */
  double *meat;             /* per chunk: nb */
  int pass;
} pairs_job;

static void pairs_chunk(void *ctx, size_t c, size_t thread) {
  (void)thread;
  pairs_job *j = ctx;
  const suff *s = j->s;
  size_t n = s->n, k = s->k, q = s->q, nb = j->nb, kk = k * (k + 1) / 2;
  size_t lo = c * j->chunk, hi = lo + j->chunk < n ? lo + j->chunk : n;
  double *Z = attrib__malloc(PAIRS_ROWS * (j->pass ? 2 * nb : q), sizeof *Z), *C = attrib__malloc(nb * PAIRS_ROWS, sizeof *C);
  double *Xb = attrib__malloc(PAIRS_ROWS * k, sizeof *Xb);
  double *part = j->pass ? j->meat + c * nb : j->part + c * nb * q;
  memset(part, 0, (j->pass ? nb : nb * q) * sizeof *part);
  if (!Z || !C || !Xb) {
    part[0] = NAN; /* reported by the caller */
    attrib__free(Z), attrib__free(C), attrib__free(Xb);
    return;
  }
  for (size_t r0 = lo; r0 < hi; r0 += PAIRS_ROWS) {
    size_t m = hi - r0 < PAIRS_ROWS ? hi - r0 : PAIRS_ROWS;
    for (size_t i = 0; i < m; i++)
      for (size_t b = 0; b < nb; b++) C[i * nb + b] = (double)j->cnt[b * n + r0 + i]; /* nb x m, column-major */
    if (!j->pass) {
      /* Z (m x q): w x_a x_b (packed) then w x_a y */
      for (size_t bb = 0; bb < k; bb++)
        for (size_t a = 0; a <= bb; a++) {
          const double *xa = s->X + a * n + r0, *xb = s->X + bb * n + r0;
          double *z = Z + up(a, bb) * m;
          for (size_t i = 0; i < m; i++) z[i] = (j->w ? j->w[r0 + i] : 1.0) * xa[i] * xb[i];
        }
      for (size_t a = 0; a < k; a++) {
        const double *xa = s->X + a * n + r0;
        double *z = Z + (kk + a) * m;
        for (size_t i = 0; i < m; i++) z[i] = (j->w ? j->w[r0 + i] : 1.0) * xa[i] * s->y[r0 + i];
      }
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)nb, (int)q, (int)m, 1.0, C, (int)nb, Z, (int)m, 1.0,
                  part, (int)nb);
    } else {
      /* per (row, replicate): s = a_b'x_i, f = x_i'beta_b; meat_b += c w^2 s^2 (y - f)^2 */
      for (size_t a = 0; a < k; a++) memcpy(Xb + a * m, s->X + a * n + r0, m * sizeof *Xb);
      double *SA = Z, *FB = Z + m * nb;
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)nb, (int)k, 1.0, Xb, (int)m, j->A, (int)k, 0.0,
                  SA, (int)m);
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)nb, (int)k, 1.0, Xb, (int)m, j->Bt, (int)k, 0.0,
                  FB, (int)m);
      for (size_t b = 0; b < nb; b++) {
        double acc = 0.0;
        for (size_t i = 0; i < m; i++) {
          double w = j->w ? j->w[r0 + i] : 1.0, e = s->y[r0 + i] - FB[b * m + i], v = w * SA[b * m + i] * e;
          acc += C[i * nb + b] * v * v;
        }
        part[b] += acc;
      }
    }
  }
  attrib__free(Z), attrib__free(C), attrib__free(Xb);
}

typedef struct count_job {
  unsigned char *cnt;
  size_t n, b0, nb;
  uint64_t seed;
} count_job;

static void count_one(void *ctx, size_t b, size_t thread) {
  (void)thread;
  count_job *j = ctx;
  unsigned char *row = j->cnt + b * j->n;
  memset(row, 0, j->n);
  uint64_t sb = stream(j->seed, j->b0 + b);
  for (size_t t = 0; t < j->n; t++) {
    size_t i = draw_index(sb, t, j->n);
    if (row[i] < 255) row[i]++; /* counts above 255 have probability ~1e-500 */
  }
}

static attrib_status pairs_boot(const suff *s, const double *w, const attrib_boot_options *o, attrib_boot_result *r,
                                attrib_error *err) {
  size_t n = s->n, k = s->k, q = s->q, B = o->replicates, kk = k * (k + 1) / 2;
  size_t chunk_rows, C = attrib__chunks(n, &chunk_rows);
  size_t T = attrib__threads(o->threads, C);
  int stud = o->ci == ATTRIB_CI_STUDENTIZED;
  attrib_status st = ATTRIB_OK;
  unsigned char *cnt = attrib__malloc(mulsz(PAIRS_BATCH, n), 1);
  double *part = attrib__malloc(mulsz(C, PAIRS_BATCH * q), sizeof *part), *meat = attrib__malloc(C * PAIRS_BATCH, sizeof *meat);
  double *A = attrib__malloc(mulsz(B, q), sizeof *A), *Ab = attrib__malloc(k * PAIRS_BATCH, sizeof *Ab);
  double *Bt = attrib__malloc(k * PAIRS_BATCH, sizeof *Bt), *work = attrib__malloc(k * k, sizeof *work);
  double *x = attrib__malloc(k, sizeof *x), *inv = attrib__malloc(k * k, sizeof *inv), *bhat = attrib__malloc(k, sizeof *bhat);
  rep_out ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  if (!cnt || !part || !meat || !A || !Ab || !Bt || !work || !x || !inv || !bhat || !ro.beta_j || !ro.t || !ro.ok) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "pairs bootstrap: out of memory");
    goto done;
  }
  if (spd_solve(s->tot, s->tot + kk, k, work, bhat, inv)) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "pairs bootstrap: the design is singular");
    goto done;
  }
  for (size_t b0 = 0; b0 < B; b0 += PAIRS_BATCH) {
    size_t nb = B - b0 < PAIRS_BATCH ? B - b0 : PAIRS_BATCH;
    count_job cj = {cnt, n, b0, nb, (uint64_t)o->seed};
    attrib__parallel_chunks(nb, attrib__threads(o->threads, nb), count_one, &cj);
    pairs_job pj = {s, w, cnt, nb, chunk_rows, part, NULL, NULL, meat, 0};
    attrib__parallel_chunks(C, T, pairs_chunk, &pj);
    for (size_t b = 0; b < nb; b++) {
      double *Ar = A + (b0 + b) * q;
      for (size_t c = 0; c < q; c++) {
        double v = 0.0;
        for (size_t ch = 0; ch < C; ch++) v += part[ch * nb * q + c * nb + b];
        Ar[c] = v;
      }
      if (isnan(Ar[0])) {
        st = attrib__fail(err, ATTRIB_ENOMEM, "pairs bootstrap: out of memory");
        goto done;
      }
      ro.ok[b0 + b] = spd_solve(Ar, Ar + kk, k, work, x, stud ? inv : NULL) == 0;
      ro.beta_j[b0 + b] = ro.ok[b0 + b] ? x[s->j] : NAN;
      ro.t[b0 + b] = NAN;
      for (size_t a = 0; a < k; a++) {
        Ab[b * k + a] = ro.ok[b0 + b] && stud ? inv[s->j * k + a] : 0.0;
        Bt[b * k + a] = ro.ok[b0 + b] ? x[a] : 0.0;
      }
    }
    if (o->progress) o->progress(o->progress_ctx, b0 + nb, B);
    if (stud) {
      pairs_job pm = {s, w, cnt, nb, chunk_rows, part, Ab, Bt, meat, 1};
      attrib__parallel_chunks(C, T, pairs_chunk, &pm);
      for (size_t b = 0; b < nb; b++) {
        double v = 0.0;
        for (size_t ch = 0; ch < C; ch++) v += meat[ch * nb + b];
        if (ro.ok[b0 + b]) ro.t[b0 + b] = (ro.beta_j[b0 + b] - bhat[s->j]) / sqrt(v * (double)n / ((double)n - (double)k));
      }
    }
  }
  /* the full sample: HC1 SE and the rows' influence values a'x_i w_i e_i for
   * the BCa acceleration */
  double se_full, acc;
  {
    const double *a = inv + s->j * k;
    long double l2 = 0, l3 = 0;
    for (size_t i = 0; i < n; i++) {
      double sa = 0.0, f = 0.0;
      for (size_t c = 0; c < k; c++) sa += a[c] * s->X[c * n + i], f += bhat[c] * s->X[c * n + i];
      double L = (w ? w[i] : 1.0) * sa * (s->y[i] - f);
      l2 += (long double)L * L, l3 += (long double)L * L * L;
    }
    se_full = sqrt((double)l2 * (double)n / ((double)n - (double)k));
    acc = l2 > 0 ? (double)(l3 / (6.0L * powl(l2, 1.5L))) : 0.0;
  }
  st = finish(r, o, &ro, B, se_full, acc, o->null_value, err);
done:
  attrib__free(cnt), attrib__free(part), attrib__free(meat), attrib__free(A), attrib__free(Ab), attrib__free(Bt);
  attrib__free(work), attrib__free(x), attrib__free(inv), attrib__free(bhat);
  attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  return st;
}

/* ---- wild bootstrap: what both paths share ----------------------------------------
 * Roodman, MacKinnon, Nielsen & Webb (2019, Stata J. 19(1), "Fast and
 * wild"). Imposing beta_j = theta moves the residuals along one direction:
 * u(theta) = u - tau r with tau = theta - beta_j and r = x_j residualised on
 * the other columns, which is X a / a_j for a = (X'X)^-1 e_j (by
 * Frisch-Waugh-Lovell a is proportional to (-Gamma, 1), a_j = 1 / r'r), so
 * X_g'r_g = X_g'X_g a / a_j. Replicate b's numerator beta*_b - theta and its
 * cluster scores are then linear in tau, and the WCR statistic at any null
 * is a ratio of a square and a quadratic in tau (sec. 3.5; fwildclusterboot's
 * "ABCD"): one pass over the data gives the p-value at every null, hence
 * the confidence interval by test inversion. tau = 0 is the unrestricted
 * (WCU) replicate. */
typedef struct wpoly {
  double *A, *C;       /* numerator A_b - tau C_b */
  double *EE, *EF, *FF; /* squared CR score sum EE_b - 2 tau EF_b + tau^2 FF_b */
} wpoly;

static void wpoly_free(wpoly *w) {
  attrib__free(w->A), attrib__free(w->C), attrib__free(w->EE), attrib__free(w->EF), attrib__free(w->FF);
  memset(w, 0, sizeof *w);
}

static int wpoly_alloc(wpoly *w, size_t B) {
  memset(w, 0, sizeof *w);
  w->A = attrib__malloc(B, sizeof *w->A), w->C = attrib__malloc(B, sizeof *w->C);
  w->EE = attrib__malloc(B, sizeof *w->EE), w->EF = attrib__malloc(B, sizeof *w->EF);
  w->FF = attrib__malloc(B, sizeof *w->FF);
  if (w->A && w->C && w->EE && w->EF && w->FF) return 0;
  wpoly_free(w);
  return -1;
}

/* Replicates whose |t*| at the null beta_j + tau is at least the sample's
 * |t| = |tau| / se (less a relative 1e-12, so that ties, such as the
 * all-ones sign vector, count): num^2 se^2 >= tau^2 fac den. */
static size_t wcr_count(const wpoly *w, size_t B, double tau, double se, double fac) {
  const double tol = (1.0 - 1e-12) * (1.0 - 1e-12);
  double rhs = tol * tau * tau * fac / (se * se);
  size_t c = 0;
  for (size_t b = 0; b < B; b++) {
    double num = w->A[b] - tau * w->C[b];
    double den = w->EE[b] - 2.0 * tau * w->EF[b] + tau * tau * w->FF[b];
    c += num * num >= rhs * (den > 0.0 ? den : 0.0);
  }
  return c;
}

/* The WCR confidence set: the nulls whose p-value count / B exceeds
 * 1 - level (a null is rejected when p <= alpha). p = 1 at tau = 0; each
 * side doubles tau from se until p falls to alpha, then bisects the step
 * function to a relative 1e-15 (the end point is the root of one
 * replicate's quartic). A grid over three times the interval's width looks
 * for further pieces (the set need not be an interval). */
static void wcr_invert(attrib_boot_result *r, const wpoly *w, size_t B, double bj, double se, double fac,
                       double level) {
  r->inv_low = r->inv_high = NAN;
  r->inv_disjoint = 0;
  if (!(se > 0.0) || !isfinite(se)) return;
  double need = (1.0 - level) * (double)B, end[2];
  for (int side = 0; side < 2; side++) {
    double sg = side ? 1.0 : -1.0, lo = 0.0, hi = se;
    int found = 0;
    for (int it = 0; it < 80 && !found; it++) {
      if ((double)wcr_count(w, B, sg * hi, se, fac) <= need) found = 1;
      else lo = hi, hi *= 2.0;
    }
    if (!found) {
      end[side] = sg * INFINITY;
      continue;
    }
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
      double mid = 0.5 * (lo + hi);
      if (!(mid > lo && mid < hi)) break;
      if ((double)wcr_count(w, B, sg * mid, se, fac) > need) lo = mid;
      else hi = mid;
    }
    end[side] = sg * 0.5 * (lo + hi);
  }
  r->inv_low = bj + end[0];
  r->inv_high = bj + end[1];
  if (!isfinite(end[0]) || !isfinite(end[1])) return;
  double width = end[1] - end[0];
  for (int g = 0; g <= 120 && width > 0.0; g++) {
    double tau = end[0] - width + 3.0 * width * g / 120.0;
    if (fmin(fabs(tau - end[0]), fabs(tau - end[1])) < 1e-9 * width) continue;
    int in = (double)wcr_count(w, B, tau, se, fac) > need;
    if (in != (tau > end[0] && tau < end[1])) {
      r->inv_disjoint = 1;
      break;
    }
  }
}

/* The result of a wild bootstrap from its polynomials: WCU draws bj + A_b
 * and studentized t*_b = A_b / sqrt(fac EE_b) for the --ci interval; the
 * WCR p-value, counted at the null (extreme, or SIZE_MAX to count it from
 * the polynomials); the test-inversion interval. */
static attrib_status wild_finish(attrib_boot_result *r, const attrib_boot_options *o, size_t B, int enumerate,
                                 double bj, double se, double fac, const wpoly *w, size_t extreme, attrib_error *err) {
  rep_out ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  attrib_status st = ATTRIB_OK;
  if (!ro.beta_j || !ro.t || !ro.ok) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  for (size_t b = 0; b < B; b++) {
    ro.ok[b] = 1;
    ro.beta_j[b] = bj + w->A[b];
    ro.t[b] = w->A[b] / sqrt(fac * w->EE[b]);
  }
  attrib_boot_options oo = *o;
  oo.replicates = B;
  if ((st = finish(r, &oo, &ro, B, se, 0.0, o->null_value, err))) goto done;
  r->replicates = B;
  r->enumerated = enumerate;
  if (extreme == SIZE_MAX) extreme = wcr_count(w, B, o->null_value - bj, se, fac);
  r->p_value_bound = extreme == 0;
  r->p_value = extreme ? (double)extreme / (double)B : 1.0 / ((double)B + 1.0);
  r->p_value_method = "wild cluster restricted (WCR): share of |t*| >= |t|";
  r->inv_low = r->inv_high = NAN;
  if (o->invert) wcr_invert(r, w, B, bj, se, fac, o->level);
done:
  attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  return st;
}

/* the restricted and unrestricted quantities of the model: beta (k), the
 * inverse (k x k) and a = its row j; returns -1 when X'X is singular */
static int wild_solve(const double *tot, size_t k, double *work, double *bhat, double *inv) {
  return spd_solve(tot, tot + k * (k + 1) / 2, k, work, bhat, inv);
}

/* Rademacher enumeration (boottest): all 2^G sign vectors when that is no
 * more than B, or when G is small enough that they cost nothing */
static int wild_enumerates(const attrib_boot_options *o, size_t G) {
  return o->weights == ATTRIB_BOOT_RADEMACHER && G < 63 &&
         (((size_t)1 << G) <= o->replicates || G <= ATTRIB_BOOT_ENUMERATE_MAX_G);
}

/* ---- wild cluster bootstrap with a G x B matrix of weights -------------------------
 * Per-cluster s_g = a'X_g'u_g and d_g = (X'X)^-1 X_g'u_g for residuals u =
 * y - X beta (from the statistics: X_g'u_g = X_g'y_g - X_g'X_g beta).
 * Returns -1 when out of memory. */
static int scores(const suff *s, const double *inv, const double *beta, double *sg, double *D) {
  size_t k = s->k, q = s->q;
  double *xu = attrib__malloc(k, sizeof *xu);
  if (!xu) return -1;
  const double *a = inv + s->j * k;
  for (size_t g = 0; g < s->G; g++) {
    const double *Sg = s->S + g * q;
    for (size_t r = 0; r < k; r++) {
      double v = Sg[k * (k + 1) / 2 + r];
      for (size_t m = 0; m < k; m++) v -= Sg[r <= m ? up(r, m) : up(m, r)] * beta[m];
      xu[r] = v;
    }
    double sv = 0.0;
    for (size_t r = 0; r < k; r++) sv += a[r] * xu[r];
    sg[g] = sv;
    for (size_t r = 0; r < k; r++) {
      double v = 0.0;
      for (size_t m = 0; m < k; m++) v += inv[m * k + r] * xu[m];
      D[g * k + r] = v;
    }
  }
  attrib__free(xu);
  return 0;
}

/* t* of every replicate for residual scores (sg, D): numerators s'v and
 * CR scores diag(s) v - M v with M = Cm D' (Cm_g = X_g'X_g a). M has rank
 * k, so M v = Cm (D'v): two thin products, O(G k B) rather than the
 * O(G^2 B) of forming M. With the scores (sg1, D1) of the direction r
 * also, the cross and squared sums of the two score sets (the inversion
 * polynomial). Replicates are independent columns of V, split into fixed
 * blocks across threads. */
typedef struct wild_job {
  const double *Cm, *D, *V, *sg, *D1, *sg1;
  size_t G, k, B, cols;
  double *num, *den2, *num1, *ef, *ff;
  _Atomic int failed;
} wild_job;

static void wild_block(void *ctx, size_t c, size_t thread) {
  (void)thread;
  wild_job *j = ctx;
  size_t b0 = c * j->cols, nb = j->B - b0 < j->cols ? j->B - b0 : j->cols, G = j->G, k = j->k;
  int two = j->D1 != NULL;
  double *P = attrib__malloc(mulsz(k, nb), sizeof *P), *E = attrib__malloc(mulsz(G, nb), sizeof *E);
  double *P1 = two ? attrib__malloc(mulsz(k, nb), sizeof *P1) : NULL;
  double *E1 = two ? attrib__malloc(mulsz(G, nb), sizeof *E1) : NULL;
  if (!P || !E || (two && (!P1 || !E1))) {
    attrib__free(P), attrib__free(E), attrib__free(P1), attrib__free(E1);
    j->failed = 1;
    return;
  }
  /* P (k x nb) = D' V[:, b0 ..), E (G x nb) = Cm P; all row-major */
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)nb, (int)G, 1.0, j->D, (int)k, j->V + b0, (int)j->B,
              0.0, P, (int)nb);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)G, (int)nb, (int)k, 1.0, j->Cm, (int)k, P, (int)nb, 0.0, E,
              (int)nb);
  cblas_dgemv(CblasRowMajor, CblasTrans, (int)G, (int)nb, 1.0, j->V + b0, (int)j->B, j->sg, 1, 0.0, j->num + b0, 1);
  for (size_t b = 0; b < nb; b++) j->den2[b0 + b] = 0.0;
  for (size_t g = 0; g < G; g++) {
    const double *v = j->V + g * j->B + b0;
    for (size_t b = 0; b < nb; b++) {
      double e = E[g * nb + b] - j->sg[g] * v[b];
      j->den2[b0 + b] += e * e;
    }
  }
  if (two) {
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)nb, (int)G, 1.0, j->D1, (int)k, j->V + b0,
                (int)j->B, 0.0, P1, (int)nb);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)G, (int)nb, (int)k, 1.0, j->Cm, (int)k, P1, (int)nb, 0.0,
                E1, (int)nb);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)G, (int)nb, 1.0, j->V + b0, (int)j->B, j->sg1, 1, 0.0, j->num1 + b0, 1);
    for (size_t b = 0; b < nb; b++) j->ef[b0 + b] = j->ff[b0 + b] = 0.0;
    for (size_t g = 0; g < G; g++) {
      const double *v = j->V + g * j->B + b0;
      for (size_t b = 0; b < nb; b++) {
        double e = E[g * nb + b] - j->sg[g] * v[b], f = E1[g * nb + b] - j->sg1[g] * v[b];
        j->ef[b0 + b] += e * f;
        j->ff[b0 + b] += f * f;
      }
    }
  }
  attrib__free(P), attrib__free(E), attrib__free(P1), attrib__free(E1);
}

static attrib_status wild_t(const suff *s, const double *Cm, const double *sg, const double *D, const double *sg1,
                            const double *D1, const double *V, size_t B, size_t threads, double *num, double *den2,
                            double *num1, double *ef, double *ff, attrib_error *err) {
  wild_job j = {Cm, D, V, sg, D1, sg1, s->G, s->k, B, 128, num, den2, num1, ef, ff, 0};
  size_t nblk = (B + j.cols - 1) / j.cols;
  attrib__parallel_chunks(nblk, attrib__threads(threads, nblk), wild_block, &j);
  return j.failed ? attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory") : ATTRIB_OK;
}

/* the restricted fit beta_j = null, the other coefficients by least
 * squares of y - null x_j on the rest (from the totals) */
static attrib_status restricted_fit(const suff *s, double null_value, double *btil, attrib_error *err) {
  size_t k = s->k, kk = k * (k + 1) / 2, k1 = k - 1, at = 0;
  double *Ap = attrib__malloc(k1 * (k1 + 1) / 2 + k1 + 1, sizeof *Ap), *x1 = attrib__malloc(k1 + 1, sizeof *x1);
  double *w1 = attrib__malloc(k1 * k1 + 1, sizeof *w1);
  size_t *map = attrib__malloc(k1 + 1, sizeof *map);
  if (!Ap || !x1 || !w1 || !map) {
    attrib__free(Ap), attrib__free(x1), attrib__free(w1), attrib__free(map);
    return attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
  }
  for (size_t c = 0; c < k; c++)
    if (c != s->j) map[at++] = c;
  for (size_t b = 0; b < k1; b++)
    for (size_t a = 0; a <= b; a++) Ap[up(a, b)] = s->tot[map[a] <= map[b] ? up(map[a], map[b]) : up(map[b], map[a])];
  double *rhs = Ap + k1 * (k1 + 1) / 2;
  for (size_t b = 0; b < k1; b++) {
    size_t c = map[b], j = s->j;
    rhs[b] = s->tot[kk + c] - null_value * s->tot[c <= j ? up(c, j) : up(j, c)];
  }
  int bad = k1 > 0 && spd_solve(Ap, rhs, k1, w1, x1, NULL);
  for (size_t c = 0; c < k; c++) btil[c] = 0.0;
  btil[s->j] = null_value;
  for (size_t b = 0; !bad && b < k1; b++) btil[map[b]] = x1[b];
  attrib__free(map), attrib__free(Ap), attrib__free(x1), attrib__free(w1);
  return bad ? attrib__fail(err, ATTRIB_ECOLLINEAR, "wild bootstrap: the restricted design is singular") : ATTRIB_OK;
}

static attrib_status wild_boot(const suff *s, const attrib_boot_options *o, attrib_boot_result *r, attrib_error *err) {
  size_t G = s->G, k = s->k, q = s->q, B = o->replicates;
  attrib_status st = ATTRIB_OK;
  /* full enumeration of the 2^G Rademacher sign vectors (as boottest):
   * the p-value is then exact, not random */
  int enumerate = wild_enumerates(o, G);
  if (enumerate) B = (size_t)1 << G;
  double *work = attrib__malloc(mulsz(k, k), sizeof *work), *inv = attrib__malloc(mulsz(k, k), sizeof *inv);
  double *bhat = attrib__malloc(k, sizeof *bhat), *btil = attrib__malloc(k, sizeof *btil);
  double *sg = attrib__malloc(G, sizeof *sg), *D = attrib__malloc(mulsz(G, k), sizeof *D);
  double *Cm = attrib__malloc(mulsz(G, k), sizeof *Cm), *sg1 = attrib__malloc(G, sizeof *sg1);
  double *D1 = attrib__malloc(mulsz(G, k), sizeof *D1), *V = attrib__malloc(mulsz(G, B), sizeof *V);
  double *num = attrib__malloc(B, sizeof *num), *den = attrib__malloc(B, sizeof *den);
  wpoly w;
  int wfail = wpoly_alloc(&w, B);
  if (!work || !inv || !bhat || !btil || !sg || !D || !Cm || !sg1 || !D1 || !V || !num || !den || wfail) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  if (wild_solve(s->tot, k, work, bhat, inv)) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "wild bootstrap: the design is singular");
    goto done;
  }
  if ((st = restricted_fit(s, o->null_value, btil, err))) goto done;
  /* Cm_g = X_g'X_g a; the direction r's scores s1_g = a'Cm_g / a_j and
   * d1_g = (X'X)^-1 Cm_g / a_j */
  const double *a = inv + s->j * k;
  double aj = a[s->j];
  for (size_t g = 0; g < G; g++) {
    const double *Sg = s->S + g * q;
    for (size_t r0 = 0; r0 < k; r0++) {
      double v = 0.0;
      for (size_t m = 0; m < k; m++) v += Sg[r0 <= m ? up(r0, m) : up(m, r0)] * a[m];
      Cm[g * k + r0] = v;
    }
    double v1 = 0.0;
    for (size_t r0 = 0; r0 < k; r0++) v1 += a[r0] * Cm[g * k + r0];
    sg1[g] = v1 / aj;
    for (size_t r0 = 0; r0 < k; r0++) {
      double v = 0.0;
      for (size_t m = 0; m < k; m++) v += inv[m * k + r0] * Cm[g * k + m];
      D1[g * k + r0] = v / aj;
    }
  }
  for (size_t g = 0; g < G; g++)
    for (size_t b = 0; b < B; b++)
      V[g * B + b] = enumerate ? (((b >> g) & 1) ? -1.0 : 1.0) : wild_weight(stream(o->seed, b), g, o->weights);
  double fac = (double)G / ((double)G - 1.0) * ((double)s->n - 1.0) / ((double)s->n - (double)k);
  /* the sample t from the unrestricted scores */
  if (scores(s, inv, bhat, sg, D)) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  double se = 0.0;
  for (size_t g = 0; g < G; g++) se += sg[g] * sg[g];
  se = sqrt(fac * se);
  double t0 = (bhat[s->j] - o->null_value) / se;
  /* WCU: draws beta* = beta + s'v and studentized t* for the interval,
   * with the direction r's sums for the inversion polynomial */
  if ((st = wild_t(s, Cm, sg, D, sg1, D1, V, B, o->threads, w.A, w.EE, w.C, w.EF, w.FF, err))) goto done;
  /* WCR: t* under the null for the p-value, from the restricted residuals
   * directly (the polynomial at the null agrees to rounding) */
  if (scores(s, inv, btil, sg, D)) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  if ((st = wild_t(s, Cm, sg, D, NULL, NULL, V, B, o->threads, num, den, NULL, NULL, NULL, err))) goto done;
  size_t extreme = 0;
  for (size_t b = 0; b < B; b++) extreme += fabs(num[b] / sqrt(fac * den[b])) >= fabs(t0) * (1.0 - 1e-12);
  st = wild_finish(r, o, B, enumerate, bhat[s->j], se, fac, &w, extreme, err);
done:
  attrib__free(work), attrib__free(inv), attrib__free(bhat), attrib__free(btil), attrib__free(sg), attrib__free(D);
  attrib__free(Cm), attrib__free(sg1), attrib__free(D1), attrib__free(V), attrib__free(num), attrib__free(den);
  wpoly_free(&w);
  return st;
}

/* ---- the blocked wild bootstrap: rows (no cluster), or clusters when G x B is too big --
 * The same algebra with the weights never stored: unit g (a row, or a
 * cluster) enters through two k-vectors, xu_g = X_g'u_g (unrestricted
 * residuals) and cm_g = X_g'X_g a (a row: c_i x_i with c_i = x_i'a), its
 * scores s_g = a'xu_g and s1_g = a'cm_g / a_j. For replicate b,
 *   A_b = a'T_b, C_b = a'T1_b, T_b = sum_g v_gb xu_g, T1_b = sum_g v_gb cm_g / a_j,
 * and with P_b = (X'X)^-1 T_b, P1_b = (X'X)^-1 T1_b the cluster scores are
 * e_gb = cm_g'P_b - s_g v_gb and f_gb = cm_g'P1_b - s1_g v_gb, so
 *   EE_b = sum_g e_gb^2 = P_b'H P_b - 2 P_b'Q_b + sum_g s_g^2 v_gb^2,
 *   EF_b = P_b'H P1_b - P_b'Q1_b - P1_b'Q_b + sum_g s_g s1_g v_gb^2,
 *   FF_b = P1_b'H P1_b - 2 P1_b'Q1_b + sum_g s1_g^2 v_gb^2,
 * with H = sum_g cm_g cm_g' (once), Q_b = sum_g v_gb s_g cm_g, Q1_b =
 * sum_g v_gb s1_g cm_g. Every replicate thus needs four k-vectors of sums
 * over units of v_gb times the units' features (xu, cm / a_j, s cm, s1 cm):
 * a GEMM of a block of units' features (m x 4k) by a block of their weights
 * (m x replicates), drawn from the counter-based streams as the block is
 * needed (the same draws as the G x B path: weight of unit g in replicate
 * b's stream, draw g). Units are cut into fixed chunks (attrib__chunks: the
 * same for any thread count), each with its own sums, merged in chunk
 * order. The squared terms dominate EE (the others are O(k / G) of it), so
 * the expansion costs no accuracy: the tests find the G x B path's numbers
 * to 1e-12. Memory: the chunks' sums, 16 x 4k x (a batch of replicates). */
#define WB_UNITS 1024 /* units per block */
#define WB_REPS 256    /* replicates per block of weights */

typedef struct wb_src {
  /* rows: from the design (X NULL) or the demeaned columns X (n x k), y */
  const attrib_design *d;
  const size_t *cols;
  const double *X, *y, *w;
  /* clusters: the per-cluster statistics (NULL for rows) */
  const suff *s;
  size_t n, k, kd;
} wb_src;

/* sqrt(w)-scaled rows [r0, r0 + m) into Xb (m x k) and yb (m) */
static void wb_rows(const wb_src *src, size_t r0, size_t m, double *blk, double *Xb, double *yb) {
  size_t k = src->k, n = src->n;
  if (!src->X) attrib_design_fill_rows(src->d, r0, m, blk, m);
  for (size_t c = 0; c < k; c++) {
    const double *x = src->X ? src->X + c * n + r0 : blk + src->cols[c] * m;
    memcpy(Xb + c * m, x, m * sizeof *Xb);
  }
  memcpy(yb, (src->X ? src->y : src->d->y) + r0, m * sizeof *yb);
  if (src->w)
    for (size_t i = 0; i < m; i++) {
      double sw = sqrt(src->w[r0 + i]);
      yb[i] *= sw;
      for (size_t c = 0; c < k; c++) Xb[c * m + i] *= sw;
    }
}

/* pass 1 over rows: X'X and X'y per chunk (k x k upper, then k) */
typedef struct wb_tot_job {
  const wb_src *src;
  size_t chunk;
  double *part; /* per chunk: k k + k */
  _Atomic int failed;
} wb_tot_job;

static void wb_tot_chunk(void *ctx, size_t c, size_t thread) {
  (void)thread;
  wb_tot_job *j = ctx;
  const wb_src *src = j->src;
  size_t k = src->k, n = src->n, lo = c * j->chunk, hi = lo + j->chunk < n ? lo + j->chunk : n, M = ATTRIB__BLOCK_ROWS;
  double *part = j->part + c * (k * k + k);
  double *blk = src->X ? NULL : attrib__malloc(mulsz(M, src->kd ? src->kd : 1), sizeof *blk);
  double *Xb = attrib__malloc(mulsz(M, k), sizeof *Xb), *yb = attrib__malloc(M, sizeof *yb);
  if ((!src->X && !blk) || !Xb || !yb) {
    j->failed = 1;
    attrib__free(blk), attrib__free(Xb), attrib__free(yb);
    return;
  }
  memset(part, 0, (k * k + k) * sizeof *part);
  for (size_t r0 = lo; r0 < hi; r0 += M) {
    size_t m = hi - r0 < M ? hi - r0 : M;
    wb_rows(src, r0, m, blk, Xb, yb);
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)k, (int)m, 1.0, Xb, (int)m, 1.0, part, (int)k);
    cblas_dgemv(CblasColMajor, CblasTrans, (int)m, (int)k, 1.0, Xb, (int)m, yb, 1, 1.0, part + k * k, 1);
  }
  attrib__free(blk), attrib__free(Xb), attrib__free(yb);
}

typedef struct wb_job {
  const wb_src *src;
  size_t N, k, chunk;
  const double *a, *bhat;
  double aj;
  uint64_t seed;
  attrib_boot_weights weights;
  int enumerate, squares; /* squares: v^2 is not 1 (Webb, Mammen) */
  size_t b0, nb;          /* this batch of replicates */
  int first;              /* the first batch also sums H and the scores' squares */
  double *acc;            /* per chunk: 4k x nb, column-major */
  double *acc2;           /* per chunk: 3 x nb (squares) */
  double *H;              /* per chunk: k x k (upper) */
  double *R;              /* per chunk: sum s^2, s s1, s1^2 */
  _Atomic int failed;
} wb_job;

static void wb_chunk(void *ctx, size_t c, size_t thread) {
  (void)thread;
  wb_job *j = ctx;
  const wb_src *src = j->src;
  size_t k = j->k, k4 = 4 * k, M = WB_UNITS, lo = c * j->chunk, hi = lo + j->chunk < j->N ? lo + j->chunk : j->N;
  double *acc = j->acc + c * k4 * j->nb, *acc2 = j->squares ? j->acc2 + c * 3 * j->nb : NULL;
  double *H = j->H + c * k * k, *R = j->R + c * 3;
  int rows = src->s == NULL;
  double *blk = rows && !src->X ? attrib__malloc(mulsz(M, src->kd ? src->kd : 1), sizeof *blk) : NULL;
  double *Xb = rows ? attrib__malloc(mulsz(M, k), sizeof *Xb) : NULL, *yb = rows ? attrib__malloc(M, sizeof *yb) : NULL;
  double *Z = attrib__malloc(mulsz(M, k4), sizeof *Z), *V = attrib__malloc(mulsz(M, WB_REPS), sizeof *V);
  double *sv = attrib__malloc(mulsz(M, 3), sizeof *sv), *cc = attrib__malloc(M, sizeof *cc);
  if ((rows && !src->X && !blk) || (rows && (!Xb || !yb)) || !Z || !V || !sv || !cc) {
    j->failed = 1;
    goto done;
  }
  memset(acc, 0, k4 * j->nb * sizeof *acc);
  if (acc2) memset(acc2, 0, 3 * j->nb * sizeof *acc2);
  if (j->first) memset(H, 0, k * k * sizeof *H), memset(R, 0, 3 * sizeof *R);
  for (size_t u0 = lo; u0 < hi; u0 += M) {
    size_t m = hi - u0 < M ? hi - u0 : M;
    double *XU = Z, *CM = Z + k * m, *SC = Z + 2 * k * m, *S1C = Z + 3 * k * m, *s = sv, *s1 = sv + m, *sq = sv;
    /* the features: XU = xu_g', CM = cm_g' (rows of m x k, column-major) */
    if (rows) {
      wb_rows(src, u0, m, blk, Xb, yb);
      for (size_t i = 0; i < m; i++) s[i] = yb[i], cc[i] = 0.0; /* s: the residual, cc: x'a */
      for (size_t q = 0; q < k; q++) {
        const double *x = Xb + q * m;
        double bq = j->bhat[q], aq = j->a[q];
        for (size_t i = 0; i < m; i++) s[i] -= x[i] * bq, cc[i] += x[i] * aq;
      }
      for (size_t q = 0; q < k; q++) {
        const double *x = Xb + q * m;
        for (size_t i = 0; i < m; i++) XU[q * m + i] = x[i] * s[i], CM[q * m + i] = x[i] * cc[i];
      }
    } else {
      const suff *S = src->s;
      size_t kk = k * (k + 1) / 2;
      for (size_t i = 0; i < m; i++) {
        const double *Sg = S->S + (u0 + i) * S->q;
        for (size_t r0 = 0; r0 < k; r0++) {
          double v = Sg[kk + r0], w = 0.0;
          for (size_t q = 0; q < k; q++) {
            double x = Sg[r0 <= q ? up(r0, q) : up(q, r0)];
            v -= x * j->bhat[q], w += x * j->a[q];
          }
          XU[r0 * m + i] = v, CM[r0 * m + i] = w;
        }
      }
    }
    /* s = XU a, s1 = CM a / a_j; then SC = s cm, S1C = s1 cm, CM / a_j */
    for (size_t i = 0; i < m; i++) s[i] = s1[i] = 0.0;
    for (size_t q = 0; q < k; q++) {
      double aq = j->a[q];
      for (size_t i = 0; i < m; i++) s[i] += XU[q * m + i] * aq, s1[i] += CM[q * m + i] * aq;
    }
    for (size_t i = 0; i < m; i++) s1[i] /= j->aj;
    for (size_t q = 0; q < k; q++)
      for (size_t i = 0; i < m; i++) {
        double cm = CM[q * m + i];
        SC[q * m + i] = s[i] * cm, S1C[q * m + i] = s1[i] * cm, CM[q * m + i] = cm / j->aj;
      }
    if (j->first) {
      /* H = sum cm cm' = a_j^2 (CM / a_j)'(CM / a_j) */
      cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)k, (int)m, j->aj * j->aj, CM, (int)m, 1.0, H, (int)k);
      for (size_t i = 0; i < m; i++) R[0] += s[i] * s[i], R[1] += s[i] * s1[i], R[2] += s1[i] * s1[i];
    }
    if (acc2) /* the squares' columns: s^2, s s1, s1^2 (s1 last: it is overwritten in place) */
      for (size_t i = 0; i < m; i++) {
        double a0 = s[i], a1 = s1[i];
        sq[i] = a0 * a0, sq[m + i] = a0 * a1, sq[2 * m + i] = a1 * a1;
      }
    for (size_t bs = 0; bs < j->nb; bs += WB_REPS) {
      size_t nr = j->nb - bs < WB_REPS ? j->nb - bs : WB_REPS;
      for (size_t bb = 0; bb < nr; bb++) {
        size_t b = j->b0 + bs + bb;
        double *v = V + bb * m;
        if (j->enumerate) {
          for (size_t i = 0; i < m; i++) v[i] = ((b >> (u0 + i)) & 1) ? -1.0 : 1.0;
        } else {
          uint64_t key = stream(j->seed, b);
          if (j->weights == ATTRIB_BOOT_RADEMACHER)
            for (size_t i = 0; i < m; i++) { /* +1 when the top bit is set, as wild_weight, without a branch */
              uint64_t u = 0xBFF0000000000000ULL ^ (attrib__rng_bits(key, u0 + i) & 0x8000000000000000ULL);
              memcpy(v + i, &u, sizeof u);
            }
          else
            for (size_t i = 0; i < m; i++) v[i] = wild_weight(key, u0 + i, j->weights);
        }
      }
      cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)k4, (int)nr, (int)m, 1.0, Z, (int)m, V, (int)m, 1.0,
                  acc + bs * k4, (int)k4);
      if (acc2) {
        for (size_t q = 0; q < nr * m; q++) V[q] *= V[q];
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, 3, (int)nr, (int)m, 1.0, sq, (int)m, V, (int)m, 1.0,
                    acc2 + bs * 3, 3);
      }
    }
  }
done:
  attrib__free(blk), attrib__free(Xb), attrib__free(yb), attrib__free(Z), attrib__free(V), attrib__free(sv);
  attrib__free(cc);
}

/* The blocked wild bootstrap of coefficient j over N units (src: rows or
 * clusters) of n rows, from the totals tot (packed X'X, X'y). */
static attrib_status wild_blocked(const wb_src *src, size_t N, size_t j, const double *tot, const attrib_boot_options *o,
                                  attrib_boot_result *r, attrib_error *err) {
  size_t k = src->k, k4 = 4 * k, n = src->n, B = o->replicates;
  int enumerate = wild_enumerates(o, N);
  if (enumerate) B = (size_t)1 << N;
  int squares = !enumerate && o->weights != ATTRIB_BOOT_RADEMACHER;
  size_t chunk, C = attrib__chunks(N, &chunk);
  /* a batch of replicates: all of them unless the chunks' sums would pass
   * 2^24 doubles (128 MB); each batch streams the units once */
  size_t Bb = ((size_t)1 << 24) / (C * (k4 + 3));
  if (Bb < WB_REPS) Bb = WB_REPS;
  if (Bb > B) Bb = B;
  attrib_status st = ATTRIB_OK;
  double *work = attrib__malloc(mulsz(k, k), sizeof *work), *inv = attrib__malloc(mulsz(k, k), sizeof *inv);
  double *bhat = attrib__malloc(k, sizeof *bhat), *H = attrib__malloc(mulsz(k, k), sizeof *H);
  double *acc = attrib__malloc(mulsz(C, mulsz(k4, Bb)), sizeof *acc);
  double *acc2 = squares ? attrib__malloc(mulsz(C, mulsz(3, Bb)), sizeof *acc2) : NULL;
  double *Hc = attrib__malloc(mulsz(C, mulsz(k, k)), sizeof *Hc), *Rc = attrib__malloc(mulsz(C, 3), sizeof *Rc);
  double *T = attrib__malloc(mulsz(k4, Bb), sizeof *T), *T2 = attrib__malloc(mulsz(3, Bb), sizeof *T2);
  double *P = attrib__malloc(mulsz(2 * k, Bb), sizeof *P), *HP = attrib__malloc(mulsz(2 * k, Bb), sizeof *HP);
  wpoly w;
  int wfail = wpoly_alloc(&w, B);
  if (!work || !inv || !bhat || !H || !acc || (squares && !acc2) || !Hc || !Rc || !T || !T2 || !P || !HP || wfail) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory (%zu units, %zu replicates)", N, B);
    goto done;
  }
  if (wild_solve(tot, k, work, bhat, inv)) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "wild bootstrap: the design is singular");
    goto done;
  }
  const double *a = inv + j * k;
  double R[3] = {0.0, 0.0, 0.0};
  wb_job job = {src, N, k, chunk, a, bhat, a[j], (uint64_t)o->seed, o->weights, enumerate, squares,
                0, 0, 1, acc, acc2, Hc, Rc, 0};
  for (size_t b0 = 0; b0 < B; b0 += Bb) {
    size_t nb = B - b0 < Bb ? B - b0 : Bb;
    job.b0 = b0, job.nb = nb, job.first = b0 == 0;
    attrib__parallel_chunks(C, attrib__threads(o->threads, C), wb_chunk, &job);
    if (job.failed) {
      st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
      goto done;
    }
    /* merge in chunk order: the same sums for any thread count */
    memcpy(T, acc, k4 * nb * sizeof *T);
    for (size_t c = 1; c < C; c++)
      for (size_t q = 0; q < k4 * nb; q++) T[q] += acc[c * k4 * nb + q];
    if (squares) {
      memcpy(T2, acc2, 3 * nb * sizeof *T2);
      for (size_t c = 1; c < C; c++)
        for (size_t q = 0; q < 3 * nb; q++) T2[q] += acc2[c * 3 * nb + q];
    }
    if (b0 == 0) {
      memcpy(H, Hc, k * k * sizeof *H);
      for (size_t c = 1; c < C; c++)
        for (size_t q = 0; q < k * k; q++) H[q] += Hc[c * k * k + q];
      for (size_t bq = 0; bq < k; bq++)
        for (size_t aq = bq + 1; aq < k; aq++) H[bq * k + aq] = H[aq * k + bq]; /* lower from upper */
      for (size_t c = 0; c < C; c++) R[0] += Rc[3 * c], R[1] += Rc[3 * c + 1], R[2] += Rc[3 * c + 2];
    }
    /* P = (X'X)^-1 [T_b  T1_b] (k x 2 nb, replicate b's pair in columns b
     * and nb + b), HP = H P */
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)nb, (int)k, 1.0, inv, (int)k, T, (int)k4, 0.0, P,
                (int)k);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)nb, (int)k, 1.0, inv, (int)k, T + k, (int)k4, 0.0,
                P + k * nb, (int)k);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)(2 * nb), (int)k, 1.0, H, (int)k, P, (int)k, 0.0,
                HP, (int)k);
    for (size_t b = 0; b < nb; b++) {
      const double *t = T + b * k4, *tu = t, *t1 = t + k, *qu = t + 2 * k, *q1 = t + 3 * k;
      const double *pu = P + b * k, *p1 = P + (nb + b) * k, *hpu = HP + b * k, *hp1 = HP + (nb + b) * k;
      double A = 0.0, Cc = 0.0, uhu = 0.0, uh1 = 0.0, h11 = 0.0, uqu = 0.0, uq1 = 0.0, q1u = 0.0, q11 = 0.0;
      for (size_t q = 0; q < k; q++) {
        A += a[q] * tu[q], Cc += a[q] * t1[q];
        uhu += pu[q] * hpu[q], uh1 += pu[q] * hp1[q], h11 += p1[q] * hp1[q];
        uqu += pu[q] * qu[q], uq1 += pu[q] * q1[q], q1u += p1[q] * qu[q], q11 += p1[q] * q1[q];
      }
      const double *rr = squares ? T2 + 3 * b : R;
      size_t bb = b0 + b;
      w.A[bb] = A, w.C[bb] = Cc;
      w.EE[bb] = uhu - 2.0 * uqu + rr[0];
      w.EF[bb] = uh1 - uq1 - q1u + rr[1];
      w.FF[bb] = h11 - 2.0 * q11 + rr[2];
    }
    if (o->progress) o->progress(o->progress_ctx, b0 + nb, B);
  }
  {
    double fac = (double)N / ((double)N - 1.0) * ((double)n - 1.0) / ((double)n - (double)k);
    double se = sqrt(fac * R[0]);
    r->blocked = 1;
    st = wild_finish(r, o, B, enumerate, bhat[j], se, fac, &w, SIZE_MAX, err);
  }
done:
  attrib__free(work), attrib__free(inv), attrib__free(bhat), attrib__free(H), attrib__free(acc), attrib__free(acc2);
  attrib__free(Hc), attrib__free(Rc), attrib__free(T), attrib__free(T2), attrib__free(P), attrib__free(HP);
  wpoly_free(&w);
  return st;
}

/* The heteroskedastic wild bootstrap (every row its own cluster), blocked.
 * Without absorbed fixed effects the rows are streamed from the design
 * (memory O(n + B k)); with them, the demeaned columns are kept. */
static attrib_status wild_rows(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                               const attrib_boot_options *o, attrib_boot_result *r, attrib_error *err) {
  attrib_status st = ATTRIB_OK;
  suff s;
  memset(&s, 0, sizeof s);
  wb_src src = {d, NULL, NULL, NULL, d->w, NULL, d->n, 0, d->k};
  double *tot = NULL, *part = NULL;
  if (d->n_fe) { /* the demeaned columns and their totals, as the pairs bootstrap builds them */
    if ((st = suff_build(d, fit, coef, NULL, 0, 1, 1, o->threads, &s, err))) return st;
    src.cols = s.cols, src.X = s.X, src.y = s.y, src.k = s.k;
    st = wild_blocked(&src, d->n, s.j, s.tot, o, r, err);
    suff_free(&s);
    return st;
  }
  size_t j0 = d->intercept && d->n_fe ? 1 : 0, k = 0, jj = 0;
  size_t *cols = attrib__malloc(d->k ? d->k : 1, sizeof *cols);
  if (!cols) return attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
  for (size_t c = 0; c < fit->coef.k; c++) {
    if (fit->coef.aliased[c]) continue;
    if (c == coef) jj = k;
    cols[k++] = c + j0;
  }
  src.cols = cols, src.k = k;
  size_t chunk, C = attrib__chunks(d->n, &chunk), kk = k * (k + 1) / 2;
  tot = attrib__calloc(kk + k, sizeof *tot);
  part = attrib__malloc(mulsz(C, k * k + k), sizeof *part);
  if (!tot || !part) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  wb_tot_job tj = {&src, chunk, part, 0};
  attrib__parallel_chunks(C, attrib__threads(o->threads, C), wb_tot_chunk, &tj);
  if (tj.failed) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  for (size_t c = 0; c < C; c++) { /* chunk order */
    const double *F = part + c * (k * k + k);
    for (size_t b = 0; b < k; b++) {
      for (size_t a = 0; a <= b; a++) tot[up(a, b)] += F[b * k + a];
      tot[kk + b] += F[k * k + b];
    }
  }
  st = wild_blocked(&src, d->n, jj, tot, o, r, err);
done:
  attrib__free(cols), attrib__free(tot), attrib__free(part);
  return st;
}

/* Thread-local test hook (as the allocation-failure countdown): 1 sends the
 * clustered wild bootstrap through the blocked path even when its G x B
 * matrix would fit, so that the tests compare the two. */
static _Thread_local int force_blocked;
void attrib__boot_debug_force_blocked(int on) { force_blocked = on; }

/* The clustered wild bootstrap: the G x B path (every number as it has
 * always been) while its weight matrix fits in 2^28 doubles (2 GiB), else
 * the blocked one on the same per-cluster statistics. */
static attrib_status wild_clusters(const suff *s, const attrib_boot_options *o, attrib_boot_result *r,
                                   attrib_error *err) {
  size_t B = wild_enumerates(o, s->G) ? (size_t)1 << s->G : o->replicates;
  if (!force_blocked && s->G <= ((size_t)1 << 28) / B) return wild_boot(s, o, r, err);
  wb_src src = {NULL, s->cols, NULL, NULL, NULL, s, s->n, s->k, 0};
  return wild_blocked(&src, s->G, s->j, s->tot, o, r, err);
}

/* Replicate b's resampling weights for a refit: how often each row (pairs)
 * or its cluster (cluster) is drawn, times the design's own weights. The
 * same draws as the sufficient-statistics paths (stream, draw_index), so
 * a refit and an algebraic replicate resample the same rows. */
static void resample_weights(attrib_boot_type type, uint64_t sb, size_t n, const int32_t *cl, size_t G, double *gc,
                             const double *dw, double *w) {
  if (type == ATTRIB_BOOT_CLUSTER) {
    memset(gc, 0, G * sizeof *gc);
    for (size_t j = 0; j < G; j++) gc[draw_index(sb, j, G)] += 1.0;
    for (size_t i = 0; i < n; i++) w[i] = gc[cl[i]];
  } else {
    memset(w, 0, n * sizeof *w);
    for (size_t j = 0; j < n; j++) w[draw_index(sb, j, n)] += 1.0;
  }
  if (dw)
    for (size_t i = 0; i < n; i++) w[i] *= dw[i];
}

/* One replicate's refit on a design view carrying its weights: the
 * coefficient and its t (NaN when not available), ok = 0 when the replicate
 * cannot be estimated; ATTRIB_ENOMEM stops the bootstrap. */
typedef attrib_status (*refit_fn)(const attrib_design *dd, void *ctx, size_t coef, double *beta, double *t, int *ok);

/* The refit bootstraps' loop: replicate b's resampling weights, then the
 * estimator's fit on the same rows with those weights. */
static attrib_status refit_replicates(const attrib_design *d, const attrib_boot_options *o, const int32_t *cl, size_t G,
                                      size_t coef, refit_fn fit, void *ctx, rep_out *ro, attrib_error *err) {
  size_t n = d->n, B = o->replicates;
  double *w = attrib__malloc(n ? n : 1, sizeof *w), *gc = cl ? attrib__calloc(G, sizeof *gc) : NULL;
  attrib_status st = ATTRIB_OK;
  if (!w || (cl && !gc)) st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
  for (size_t b = 0; !st && b < B; b++) {
    resample_weights(o->type, stream(o->seed, b), n, cl, G, gc, d->w, w);
    attrib_design dd = *d; /* a shallow view with the replicate's weights */
    dd.w = w;
    dd.n_cluster = 0;
    int ok = 0;
    double beta = NAN, t = NAN;
    if (fit(&dd, ctx, coef, &beta, &t, &ok) == ATTRIB_ENOMEM) {
      st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
      break;
    }
    ro->ok[b] = (unsigned char)ok;
    ro->beta_j[b] = ok ? beta : NAN;
    ro->t[b] = ok ? t : NAN;
    if (o->progress && (b + 1) % 10 == 0) o->progress(o->progress_ctx, b + 1, B);
  }
  attrib__free(w), attrib__free(gc);
  return st;
}

static attrib_status ols_refit(const attrib_design *dd, void *ctx, size_t coef, double *beta, double *t, int *ok) {
  attrib_ols_result *rb = NULL;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status sr = attrib_ols_fit(dd, ctx, &rb, &e);
  *ok = sr == ATTRIB_OK && !rb->coef.aliased[coef];
  if (*ok) *beta = rb->coef.estimate[coef];
  (void)t; /* a weighted refit's SE is not the resample's: no t */
  attrib_ols_result_free(rb);
  return sr;
}

/* Pairs and cluster bootstraps of OLS with absorbed fixed effects: every
 * replicate refits with its resampling weights, so the fixed effects are
 * re-absorbed on the resample (a weighted within transformation equals
 * the dummy regression on the duplicated rows, Frisch-Waugh-Lovell). The
 * algebraic paths cannot serve here: demeaning depends on the sample. */
static attrib_status ols_refit_boot(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                    const attrib_boot_options *o, const int32_t *cl, size_t G, attrib_boot_result *r,
                                    attrib_error *err) {
  size_t B = o->replicates;
  attrib_status st;
  rep_out ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.vcov = ATTRIB_VCOV_IID; /* only the coefficient is used */
  oo.threads = o->threads;
  if (!ro.beta_j || !ro.t || !ro.ok) st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
  else if (!(st = refit_replicates(d, o, cl, G, coef, ols_refit, &oo, &ro, err)))
    st = finish(r, o, &ro, B, fit->coef.std_error[coef], 0.0, o->null_value, err);
  attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  return st;
}

attrib_status attrib_ols_bootstrap(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                   const attrib_boot_options *o, attrib_boot_result **out, attrib_error *err) {
  *out = NULL;
  if (!d || !fit || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_bootstrap: NULL argument");
  if (coef >= fit->coef.k || fit->coef.aliased[coef])
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: the coefficient is not estimable");
  attrib_status st0 = check_replicates(o, err);
  if (st0) return st0;
  if (!(o->level > 0.0 && o->level < 1.0)) return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: level must lie in (0, 1)");
  if (o->type == ATTRIB_BOOT_MULTIPLIER)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the multiplier bootstrap is for estimators with influence functions (did, psm --method aipw); "
                        "for OLS use pairs, cluster or wild");
  if (o->type != ATTRIB_BOOT_WILD && d->n_fe && (o->ci == ATTRIB_CI_BCA || o->ci == ATTRIB_CI_STUDENTIZED))
    return attrib__fail(err, ATTRIB_EINVAL,
                        "with absorbed fixed effects the %s bootstrap refits every replicate, which gives percentile, "
                        "basic and normal intervals (not BCa or studentized); for studentized use --boot-type wild",
                        attrib_boot_type_name(o->type));
  if (o->type == ATTRIB_BOOT_WILD && o->ci == ATTRIB_CI_BCA)
    return attrib__fail(err, ATTRIB_EINVAL, "BCa intervals are for resampling bootstraps; with --boot-type wild use studentized");
  if (d->n_fe && fit->n_dropped_singletons)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the fit dropped %zu singleton rows; refit with --keep-singletons to bootstrap the same rows",
                        fit->n_dropped_singletons);
  const int32_t *cl = d->n_cluster ? d->cluster[0].codes : NULL;
  size_t G = d->n_cluster ? d->cluster[0].n_levels : d->n;
  if (o->type == ATTRIB_BOOT_CLUSTER && !cl)
    return attrib__fail(err, ATTRIB_EINVAL, "the cluster bootstrap needs --cluster COL");
  if (o->type != ATTRIB_BOOT_PAIRS && d->n_cluster > 1)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the %s bootstrap resamples one clustering, and the design has two ('%s' and '%s'): cluster by "
                        "one column (the coarser)", attrib_boot_type_name(o->type), d->cluster[0].name,
                        d->cluster[1].name);
  if (G < 2) return attrib__fail(err, ATTRIB_EDESIGN, "bootstrap: one cluster: nothing to resample");
  attrib_boot_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
  r->replicates = o->replicates;
  r->type = o->type;
  r->weights = o->weights;
  r->ci = o->ci;
  r->level = o->level;
  r->n_clusters = G;
  r->estimate = fit->coef.estimate[coef];
  r->inv_low = r->inv_high = NAN;
  int pairs = o->type == ATTRIB_BOOT_PAIRS;
  if (o->type == ATTRIB_BOOT_WILD && !cl) { /* every row its own cluster: blocked, no G x B matrix */
    attrib_status st = wild_rows(d, fit, coef, o, r, err);
    if (st) {
      attrib_boot_result_free(r);
      return st;
    }
    *out = r;
    return ATTRIB_OK;
  }
  if (d->n_fe && o->type != ATTRIB_BOOT_WILD) {
    if (pairs) r->n_clusters = 0;
    attrib_status st = ols_refit_boot(d, fit, coef, o, pairs ? NULL : cl, G, r, err);
    if (st) {
      attrib_boot_result_free(r);
      return st;
    }
    *out = r;
    return ATTRIB_OK;
  }
  suff s;
  attrib_status st =
      suff_build(d, fit, coef, pairs ? NULL : cl, pairs ? 0 : G, pairs, o->type == ATTRIB_BOOT_WILD, o->threads, &s, err);
  if (!st) {
    if (pairs) r->n_clusters = 0;
    st = pairs ? pairs_boot(&s, d->w, o, r, err)
         : o->type == ATTRIB_BOOT_WILD ? wild_clusters(&s, o, r, err) : cluster_boot(&s, o, r->estimate, r, err);
    suff_free(&s);
  }
  if (st) {
    attrib_boot_result_free(r);
    return st;
  }
  *out = r;
  return ATTRIB_OK;
}

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
    uint64_t sb = stream(j->o->seed, b);
    double acc = 0.0;
    for (size_t g = lo; g < hi; g++) acc += wild_weight(sb, g, j->o->weights) * j->psi[g];
    out[b] = acc;
  }
}

attrib_status attrib_multiplier_bootstrap(const double *psi, size_t n, const int32_t *cl, size_t G, double estimate,
                                          const attrib_boot_options *o, attrib_boot_result **out, attrib_error *err) {
  *out = NULL;
  if (!psi || !o || !n) return attrib__fail(err, ATTRIB_EINVAL, "attrib_multiplier_bootstrap: no influence values");
  attrib_status st0 = check_replicates(o, err);
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
  double *part = attrib__malloc(mulsz(C, B), sizeof *part);
  rep_out ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
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
  if ((st = finish(r, o, &ro, B, se_full, 0.0, o->null_value, err))) goto done;
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

/* ---- logit / probit: weighted refits --------------------------------------
 * A likelihood has no sufficient statistics to merge, so every replicate
 * is a refit: the design's weights times the replicate's row (pairs) or
 * cluster counts, through the same IRLS (which threads over rows). Refits
 * that fail (separation or a term absent from the resample) are counted
 * and left out. */
typedef struct logit_refit_ctx {
  const attrib_logit_options *lo;
  double estimate; /* the full fit's, for t */
} logit_refit_ctx;

static attrib_status logit_refit(const attrib_design *dd, void *ctx, size_t coef, double *beta, double *t, int *ok) {
  const logit_refit_ctx *c = ctx;
  attrib_logit_result *rb = NULL;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status sr = attrib_logit_fit(dd, c->lo, &rb, &e);
  *ok = sr == ATTRIB_OK && rb->converged && !rb->coef.aliased[coef];
  if (*ok) *beta = rb->coef.estimate[coef], *t = (*beta - c->estimate) / rb->coef.std_error[coef];
  attrib_logit_result_free(rb);
  return sr;
}

attrib_status attrib_logit_bootstrap(const attrib_design *d, const attrib_logit_result *fit, size_t coef,
                                     const attrib_boot_options *o, attrib_boot_result **out, attrib_error *err) {
  *out = NULL;
  if (!d || !fit || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_logit_bootstrap: NULL argument");
  if (coef >= fit->coef.k || fit->coef.aliased[coef])
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: the coefficient is not estimable");
  attrib_status st0 = check_replicates(o, err);
  if (st0) return st0;
  if (o->type != ATTRIB_BOOT_PAIRS && o->type != ATTRIB_BOOT_CLUSTER)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the %s bootstrap is for linear models and influence functions; for logit use pairs or cluster",
                        attrib_boot_type_name(o->type));
  const int32_t *cl = d->n_cluster ? d->cluster[0].codes : NULL;
  size_t G = d->n_cluster ? d->cluster[0].n_levels : 0, n = d->n, B = o->replicates;
  if (o->type == ATTRIB_BOOT_CLUSTER && !cl) return attrib__fail(err, ATTRIB_EINVAL, "the cluster bootstrap needs --cluster COL");
  if (o->ci == ATTRIB_CI_BCA && (!fit->fitted || !fit->linear_predictor || !fit->vcov || fit->coef.k != d->k))
    return attrib__fail(err, ATTRIB_EINVAL, "BCa needs the fit's fitted values (fit with keep_fitted)");
  attrib_status st = ATTRIB_OK;
  attrib_boot_result *r = attrib__calloc(1, sizeof *r);
  rep_out ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  if (!r || !ro.beta_j || !ro.t || !ro.ok) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
    goto done;
  }
  r->replicates = B, r->type = o->type, r->ci = o->ci, r->level = o->level;
  r->estimate = fit->coef.estimate[coef];
  r->n_clusters = o->type == ATTRIB_BOOT_CLUSTER ? G : 0;
  attrib_logit_options lo;
  attrib_logit_options_init(&lo);
  lo.link = fit->link;
  lo.threads = o->threads;
  lo.warm_start = 0; /* the weights make every replicate a different problem */
  logit_refit_ctx lc = {&lo, r->estimate};
  if ((st = refit_replicates(d, o, cl, G, coef, logit_refit, &lc, &ro, err))) goto done;
  /* BCa: the acceleration from the full fit's influence values
   * L_i = a' s_i, a = row j of the inverse information (fit->vcov, iid),
   * s_i = w_i (y_i - mu_i) x_i for the logit, w_i (y_i - Phi_i) phi_i /
   * (Phi_i (1 - Phi_i)) x_i for the probit (the score of row i) */
  double acc = 0.0;
  if (o->ci == ATTRIB_CI_BCA) {
    size_t k = d->k, Bk = ATTRIB__BLOCK_ROWS;
    double *blk = attrib__malloc(Bk * (k ? k : 1), sizeof *blk);
    if (!blk) {
      st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory");
      goto done;
    }
    const double *a = fit->vcov + coef * fit->coef.k;
    long double l2 = 0, l3 = 0;
    for (size_t r0 = 0; r0 < n; r0 += Bk) {
      size_t p = n - r0 < Bk ? n - r0 : Bk;
      attrib_design_fill_rows(d, r0, p, blk, p);
      for (size_t i = 0; i < p; i++) {
        double mu = fit->fitted[r0 + i], eta = fit->linear_predictor[r0 + i], yv = d->y[r0 + i];
        double f = fit->link == ATTRIB_LINK_LOGIT ? yv - mu
                                                  : (yv - mu) * exp(-0.5 * eta * eta) / sqrt(2.0 * M_PI) / (mu * (1.0 - mu));
        f *= d->w ? d->w[r0 + i] : 1.0;
        double L = 0.0;
        for (size_t c = 0; c < k; c++)
          if (!fit->coef.aliased[c]) L += a[c] * blk[c * p + i];
        L *= f;
        l2 += (long double)L * L, l3 += (long double)L * L * L;
      }
    }
    attrib__free(blk);
    acc = l2 > 0 ? (double)(l3 / (6.0L * powl(l2, 1.5L))) : 0.0;
  }
  st = finish(r, o, &ro, B, fit->coef.std_error[coef], acc, o->null_value, err);
done:
  attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  if (st) {
    attrib_boot_result_free(r);
    return st;
  }
  *out = r;
  return ATTRIB_OK;
}

/* ---- warnings the bootstrap answers ------------------------------------------ */

char *attrib__few_clusters_warning(size_t G, const char *coarse) {
  /* the actions named are ones the commands accept (issue 12, defect 10):
   * `--bootstrap 999 --boot-type wild` runs the wild cluster bootstrap of
   * the --treat coefficient (ols; did 2x2 and twfe), which
   * attrib_ols_settle_warnings then takes as done */
  attrib__sbuf b = {0};
  if (coarse) { /* two-way: the wild bootstrap takes one clustering */
    attrib__sbuf_addf(&b, "only %zu clusters in '", G);
    attrib__sbuf_add(&b, coarse, strlen(coarse));
    attrib__sbuf_addf(&b, "': cluster-robust t tests over-reject with fewer than about 30; the wild cluster "
                          "bootstrap takes one clustering: cluster by it alone (--cluster ");
    attrib__sbuf_add(&b, coarse, strlen(coarse));
    attrib__sbuf_addf(&b, " --bootstrap 999 --boot-type wild)");
  } else {
    attrib__sbuf_addf(&b, "only %zu clusters: cluster-robust t tests over-reject with fewer than about 30; use the "
                          "wild cluster bootstrap (--bootstrap 999 --boot-type wild)", G);
  }
  if (b.failed) {
    attrib__sbuf_free(&b);
    return NULL;
  }
  return b.s;
}

size_t attrib_ols_settle_warnings(attrib_ols_result *fit, const attrib_boot_result *b) {
  if (!fit || !b || b->type != ATTRIB_BOOT_WILD || fit->vcov_type != ATTRIB_VCOV_CLUSTER || fit->n_cluster_dims != 1 ||
      b->n_clusters != fit->n_clusters[0])
    return 0;
  char *text = attrib__few_clusters_warning(fit->n_clusters[0], NULL);
  if (!text) return 0;
  size_t kept = 0, removed = 0;
  for (size_t i = 0; i < fit->n_warnings; i++) {
    if (!strcmp(fit->warnings[i], text)) {
      attrib__free(fit->warnings[i]);
      removed++;
    } else {
      fit->warnings[kept++] = fit->warnings[i];
    }
  }
  fit->n_warnings = kept;
  attrib__free(text);
  return removed;
}
