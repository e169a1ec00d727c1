/*
 * Bootstrap inference for one OLS coefficient (include/attrib/bootstrap.h,
 * docs/methods/bootstrap.md): the entry, attrib_ols_bootstrap, and the data
 * as sufficient statistics that its bootstraps share. Without absorbed
 * fixed effects every bootstrap works on those statistics, never by
 * refitting (pairs and cluster: pairs_bootstrap.c; wild: wild_bootstrap.c):
 *  - cluster: per-cluster X_g'X_g and X_g'y_g; a replicate's normal
 *    equations are sum_g c_gb (X_g'X_g, X_g'y_g) for its cluster counts
 *    c_gb: a GEMM (counts 64 x G) x (statistics G x q) per batch of 64
 *    replicates;
 *  - wild (cluster): Roodman, MacKinnon, Nielsen & Webb (2019, Stata J.
 *    19(1), "Fast and wild", sec. 5): with a = (X'X)^-1 e_j, the replicate's
 *    coefficient is beta0 + sum_g v_g s_g with s_g = a'X_g'u_g, and its
 *    cluster scores are diag(s) v - M v with M_gh = (X_g'X_g a)'(X'X)^-1
 *    X_h'u_h: one G x G x B product gives every t*;
 *  - pairs: row counts, the normal equations of a batch of replicates as a
 *    GEMM of counts (batch x rows) by the rows' products x x' and x y.
 * With absorbed fixed effects pairs and cluster replicates refit
 * (pairs_bootstrap.c, through the engine's refit loop). Replicate b's
 * random numbers are a counter-based hash of (seed, b, draw), so any
 * thread may compute any replicate and results never depend on it.
 */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <attrib/bootstrap.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "design/design_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

/* solves (the packed SPD A) x = rhs; returns -1 when A is not positive
 * definite; inv (k x k, full) receives A^-1 when not NULL */
int attrib__spd_solve(const double *Ap, const double *rhs, size_t k, double *work, double *x, double *inv) {
  for (size_t b = 0; b < k; b++)
    for (size_t a = 0; a <= b; a++) work[b * k + a] = work[a * k + b] = Ap[attrib__packed(a, b)];
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

/* ---- the data as sufficient statistics ---------------------------------- */

void attrib__boot_suff_free(attrib__boot_suff *s) {
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
  const attrib__boot_suff *s;
  const int32_t *cl;
  size_t G, k, kd, n, part_rows;
  double *full, *xy, *ng, *yy; /* per part: G k k, G k, G, 1 */
  double *dbuf;                 /* per thread: STREAM_DBUF(kd, k) doubles, made before the parts */
  size_t *ibuf;                 /* per thread: 2 (G + 1) */
} stream_job;

#define STREAM_R 16384 /* rows per counting-sort chunk */
/* a thread's doubles in stream_part: the design block (B x kd), Xs (R x k), ys (R) */
#define STREAM_DBUF(kd, k) (ATTRIB__BLOCK_ROWS * ((kd) ? (kd) : 1) + STREAM_R * ((k) + 1))

static void stream_part(void *ctx, size_t pt, size_t thread) {
  stream_job *j = ctx;
  const attrib_design *d = j->d;
  size_t G = j->G, k = j->k, kd = j->kd, B = ATTRIB__BLOCK_ROWS, R = STREAM_R;
  size_t lo = pt * j->part_rows, hi = lo + j->part_rows < j->n ? lo + j->part_rows : j->n;
  double *full = j->full + pt * G * k * k, *xy = j->xy + pt * G * k, *ng = j->ng + pt * G;
  double *blk = j->dbuf + thread * STREAM_DBUF(kd, k), *Xs = blk + B * (kd ? kd : 1), *ys = Xs + R * k;
  size_t *start = j->ibuf + thread * 2 * (G + 1), *pos = start + G + 1;
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
}

/* ---- many clusters ----------------------------------------------------------
 * With many clusters a chunk of STREAM_R rows holds about STREAM_R / G rows
 * of each (0.4 at 40,000 clusters): stream_part's runs are single rows, so
 * it made one dsyrk call per row (most of the time in BLAS call overhead)
 * and held a full k x k accumulator per cluster and part (865 MB at 40,000
 * clusters and k = 26). Past WIDE_G clusters the clusters are instead cut
 * into WIDE_PARTS fixed ranges, each owned by one task: it reads every
 * block of rows and adds each of its rows' products straight into its
 * clusters' packed statistics, in row order. One writer per cluster, so no
 * partial sums, no merge, and the same sums for any thread count; memory is
 * the G x q statistics alone. The sums are the same numbers summed in
 * another order than the runs' dsyrk's, so they differ from that path in
 * the last bits; WIDE_G keeps every data set with up to 4,096 clusters (the
 * bundled data, the 1,000-team benchmarks) on the dsyrk path, to the bit. */
#define WIDE_G 4096
#define WIDE_PARTS 4
#define WIDE_AHEAD 8 /* rows ahead (any of the parts') whose statistics are prefetched */

static _Thread_local int force_wide;
void attrib__boot_debug_force_wide(int on) { force_wide = on; }

typedef struct wide_job {
  const attrib_design *d;
  attrib__boot_suff *s;
  const int32_t *cl;
  size_t G, kd;
  double *yy;     /* per part */
  double *scratch; /* per thread: WIDE_SCRATCH(kd, k) doubles, made before the parts */
} wide_job;

/* a thread's scratch in wide_part: the design block (B x kd) and one row (k) */
#define WIDE_SCRATCH(kd, k) (ATTRIB__BLOCK_ROWS * ((kd) ? (kd) : 1) + (k))

static void wide_part(void *ctx, size_t pt, size_t thread) {
  wide_job *j = ctx;
  const attrib_design *d = j->d;
  attrib__boot_suff *s = j->s;
  size_t n = d->n, k = s->k, q = s->q, kk = k * (k + 1) / 2, B = ATTRIB__BLOCK_ROWS;
  int32_t glo = (int32_t)(j->G * pt / WIDE_PARTS), ghi = (int32_t)(j->G * (pt + 1) / WIDE_PARTS);
  double *blk = j->scratch + thread * WIDE_SCRATCH(j->kd, k), *x = blk + B * (j->kd ? j->kd : 1);
  double yy = 0.0;
  for (size_t r0 = 0; r0 < n; r0 += B) {
    size_t p = n - r0 < B ? n - r0 : B;
    attrib_design_fill_rows(d, r0, p, blk, p);
    for (size_t i = 0; i < p; i++) {
      int32_t g = j->cl[r0 + i];
      if (i + WIDE_AHEAD < p) { /* the statistics are a random 3 KB per row: fetch a later row's early */
        int32_t h = j->cl[r0 + i + WIDE_AHEAD];
        if (h >= glo && h < ghi)
          for (size_t o = 0; o < q; o += 8) __builtin_prefetch(s->S + (size_t)h * q + o, 1);
      }
      if (g < glo || g >= ghi) continue;
      double sw = d->w ? sqrt(d->w[r0 + i]) : 1.0, yv = sw * d->y[r0 + i];
      for (size_t c = 0; c < k; c++) x[c] = sw * blk[s->cols[c] * p + i];
      double *Sg = s->S + (size_t)g * q;
      for (size_t b = 0; b < k; b++) {
        double xb = x[b], *col = Sg + b * (b + 1) / 2; /* attrib__packed(a, b) = col + a */
        for (size_t a = 0; a <= b; a++) col[a] += xb * x[a];
        Sg[kk + b] += xb * yv;
      }
      s->ng[g] += 1.0;
      yy += yv * yv;
    }
  }
  j->yy[pt] = yy;
}

static attrib_status suff_wide(const attrib_design *d, attrib__boot_suff *s, const int32_t *cl, size_t G, size_t kd,
                               size_t threads, attrib_error *err) {
  size_t T = attrib__threads(threads, WIDE_PARTS);
  double yy[WIDE_PARTS];
  wide_job wj = {d, s, cl, G, kd, yy, attrib__malloc(attrib__mulsz(T, WIDE_SCRATCH(kd, s->k)), sizeof(double))};
  if (!wj.scratch) return attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory (%zu clusters)", G);
  attrib__parallel_chunks(WIDE_PARTS, T, wide_part, &wj);
  attrib__free(wj.scratch);
  for (size_t pt = 0; pt < WIDE_PARTS; pt++) s->yy += yy[pt];
  for (size_t g = 0; g < G; g++)
    for (size_t q = 0; q < s->q; q++) s->tot[q] += s->S[g * s->q + q];
  return ATTRIB_OK;
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

/* The wild bootstrap's plan for the fixed effects (see
 * WILD_FE_DUMMIES_MAX): nested[e] for those absorbed, *extra_out the dummy
 * columns of the others. */
static attrib_status suff_wild_fe(const attrib_design *d, const int32_t *cl, size_t G, unsigned char *nested,
                                  size_t *extra_out, size_t *n_absorbed_out, attrib_error *err) {
  size_t n = d->n, extra = 0, n_absorbed = 0;
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
      return attrib__fail(
          err, ATTRIB_EINVAL,
          "the wild bootstrap needs the fixed effects not nested within its clusters as dummy "
          "columns, and '%s' (%zu levels) %s: %s",
          d->fe[e].name, d->fe[e].n_levels, cl ? "is not nested within the clusters" : "is not absorbed row by row",
          cl ? "cluster by a column within which it is nested, or use boot.type cluster"
             : "cluster by a column within which it is nested (design.cluster COL), or use boot.type pairs");
    }
    extra += add;
  }
  *extra_out = extra, *n_absorbed_out = n_absorbed;
  return ATTRIB_OK;
}

/* Cluster statistics straight from the design's row blocks (no fixed
 * effects, no rows kept). */
static attrib_status suff_stream(const attrib_design *d, attrib__boot_suff *s, const int32_t *cl, size_t G, size_t k,
                                 size_t kd, size_t threads, attrib_error *err) {
  size_t n = d->n;
  /* The rows are split into a fixed number of parts (the same for any
   * thread count, so the sums are too), each on a thread with its own
   * accumulators, merged in part order. Within a part, rows come in
   * chunks sorted by cluster (a counting sort), and each cluster's run
   * updates its k x k X_g'X_g with one dsyrk and X_g'y_g with one dgemv:
   * BLAS speed instead of a scalar loop per row (sqrt(w) folded in). */
  size_t parts = n >= 4 * 65536 ? 4 : 1;
  size_t T = attrib__threads(threads, parts);
  stream_job sj = {d, s, cl, G, k, kd, n, (n + parts - 1) / parts, NULL, NULL, NULL, NULL, NULL, NULL};
  sj.full = attrib__calloc(attrib__mulsz(parts, attrib__mulsz(G, k * k)), sizeof *sj.full);
  sj.xy = attrib__calloc(attrib__mulsz(parts, attrib__mulsz(G, k)), sizeof *sj.xy);
  sj.ng = attrib__calloc(attrib__mulsz(parts, G), sizeof *sj.ng);
  sj.yy = attrib__calloc(parts, sizeof *sj.yy);
  sj.dbuf = attrib__malloc(attrib__mulsz(T, STREAM_DBUF(kd, k)), sizeof *sj.dbuf);
  sj.ibuf = attrib__malloc(attrib__mulsz(T, 2 * (G + 1)), sizeof *sj.ibuf);
  if (!sj.full || !sj.xy || !sj.ng || !sj.yy || !sj.dbuf || !sj.ibuf) {
    attrib__free(sj.full), attrib__free(sj.xy), attrib__free(sj.ng), attrib__free(sj.yy);
    attrib__free(sj.dbuf), attrib__free(sj.ibuf);
    return attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory (%zu clusters)", G);
  }
  attrib__parallel_chunks(parts, T, stream_part, &sj);
  attrib__free(sj.dbuf), attrib__free(sj.ibuf);
  size_t kk = k * (k + 1) / 2;
  for (size_t pt = 0; pt < parts; pt++) {
    s->yy += sj.yy[pt];
    for (size_t g = 0; g < G; g++) {
      const double *F = sj.full + (pt * G + g) * k * k;
      double *Sg = s->S + g * s->q;
      for (size_t b = 0; b < k; b++)
        for (size_t a = 0; a <= b; a++) Sg[attrib__packed(a, b)] += F[b * k + a];
      for (size_t b = 0; b < k; b++) Sg[kk + b] += sj.xy[(pt * G + g) * k + b];
      s->ng[g] += sj.ng[pt * G + g];
    }
  }
  attrib__free(sj.full), attrib__free(sj.xy), attrib__free(sj.ng), attrib__free(sj.yy);
  for (size_t g = 0; g < G; g++)
    for (size_t q = 0; q < s->q; q++) s->tot[q] += s->S[g * s->q + q];
  return ATTRIB_OK;
}

/* X (the kept coefficients' columns, then the dummies of the fixed effects
 * not absorbed) and y, demeaned by the absorbed fixed effects
 * (Frisch-Waugh-Lovell). */
static attrib_status suff_fill(const attrib_design *d, const attrib__boot_suff *s, size_t k0, size_t extra,
                               const unsigned char *nested, size_t n_absorbed, int wild, double *X, double *y,
                               double *blk, attrib__fe *fe, attrib_error *err) {
  size_t n = d->n, k = s->k;
  attrib_status st = ATTRIB_OK;
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
    if ((st = attrib__fe_init(fe, n, D, codes, levels, d->w, err))) return st;
    size_t it;
    int conv;
    for (size_t c = 0; c < k && !st; c++) st = attrib__fe_demean(fe, X + c * n, 1e-12, 100000, &it, &conv, err);
    if (!st) st = attrib__fe_demean(fe, y, 1e-12, 100000, &it, &conv, err);
    if (st) return st;
  }
  return ATTRIB_OK;
}

/* Per-cluster sums of w x x' and w x y (packed), their totals, and sum w y^2;
 * for the pairs bootstrap (G = 0) the totals only. */
static void suff_accumulate(const attrib_design *d, attrib__boot_suff *s, const double *X, const double *y,
                            const int32_t *cl, size_t G) {
  size_t n = d->n, k = s->k;
  for (size_t i = 0; i < n && G; i++) {
    double w = d->w ? d->w[i] : 1.0;
    size_t g = cl ? (size_t)cl[i] : i;
    double *Sg = s->S + g * s->q;
    s->ng[g] += 1.0;
    for (size_t b = 0; b < k; b++) {
      double xb = w * X[b * n + i];
      for (size_t a = 0; a <= b; a++) Sg[attrib__packed(a, b)] += xb * X[a * n + i];
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
        for (size_t a = 0; a <= b; a++) s->tot[attrib__packed(a, b)] += xb * X[a * n + i];
        s->tot[k * (k + 1) / 2 + b] += xb * y[i];
      }
    }
}

/* Per-cluster statistics of (sqrt(w) x, sqrt(w) y); X and y demeaned first
 * when the design absorbs fixed effects (Frisch-Waugh-Lovell). wild: the
 * fixed effects not nested in the clusters cl (all of them without cl)
 * become dummy columns after the design's (see WILD_FE_DUMMIES_MAX). */
attrib_status attrib__boot_suff_build(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                      const int32_t *cl, size_t G, int keep_rows, int wild, size_t threads,
                                      attrib__boot_suff *s, attrib_error *err) {
  size_t j0 = d->n_fe && d->intercept ? 1 : 0; /* the fit's coefficients skip an absorbed intercept */
  size_t n = d->n, kd = d->k;
  memset(s, 0, sizeof *s);
  if (d->n_fe > 8) return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: at most 8 absorbed fixed effects");
  s->n = n;
  s->G = G;
  if (!(s->cols = attrib__malloc(kd ? kd : 1, sizeof *s->cols)))
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t c = 0; c < fit->coef.k; c++) {
    if (fit->coef.aliased[c]) continue;
    if (c == coef) s->j = s->k;
    s->cols[s->k++] = c + j0;
  }
  size_t k0 = s->k, extra = 0, n_absorbed = d->n_fe;
  unsigned char nested[8] = {0};
  if (wild && d->n_fe) {
    attrib_status sw = suff_wild_fe(d, cl, G, nested, &extra, &n_absorbed, err);
    if (sw) {
      attrib__boot_suff_free(s);
      return sw;
    }
  }
  s->k = k0 + extra;
  size_t k = s->k;
  s->q = k * (k + 1) / 2 + k;
  s->S = attrib__calloc(G ? attrib__mulsz(G, s->q) : 1, sizeof *s->S);
  s->tot = attrib__calloc(s->q, sizeof *s->tot);
  s->ng = attrib__calloc(G, sizeof *s->ng);
  int stream = !keep_rows && !d->n_fe && G; /* cluster statistics straight from the design's row blocks */
  double *X = stream ? NULL : attrib__malloc(n && k ? attrib__mulsz(n, k) : 1, sizeof *X);
  double *y = stream ? NULL : attrib__malloc(n ? n : 1, sizeof *y);
  double *blk = attrib__malloc(attrib__mulsz(ATTRIB__BLOCK_ROWS, kd ? kd : 1), sizeof *blk);
  attrib_status st = ATTRIB_OK;
  attrib__fe fe;
  memset(&fe, 0, sizeof fe);
  if (!s->S || !s->tot || !s->ng || (!stream && (!X || !y)) || !blk) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "bootstrap: out of memory (%zu rows x %zu columns)", n, k);
    goto done;
  }
  if (stream) {
    st = G > WIDE_G || force_wide ? suff_wide(d, s, cl, G, kd, threads, err)
                                  : suff_stream(d, s, cl, G, k, kd, threads, err);
    goto done;
  }
  if ((st = suff_fill(d, s, k0, extra, nested, n_absorbed, wild, X, y, blk, &fe, err))) goto done;
  suff_accumulate(d, s, X, y, cl, G);
  if (keep_rows) s->X = X, s->y = y, X = y = NULL;
done:
  attrib__fe_free(&fe);
  attrib__free(X);
  attrib__free(y);
  attrib__free(blk);
  if (st) attrib__boot_suff_free(s);
  return st;
}
attrib_status attrib_ols_bootstrap(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                   const attrib_boot_options *o, attrib_boot_result **out, attrib_error *err) {
  *out = NULL;
  if (!d || !fit || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_bootstrap: NULL argument");
  if (coef >= fit->coef.k || fit->coef.aliased[coef])
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: the coefficient is not estimable");
  attrib_status st0 = attrib__boot_check_replicates(o, err);
  if (st0) return st0;
  if (!(o->level > 0.0 && o->level < 1.0))
    return attrib__fail(err, ATTRIB_EINVAL, "bootstrap: level must lie in (0, 1)");
  if (o->type == ATTRIB_BOOT_MULTIPLIER)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the multiplier bootstrap is for estimators with influence functions (did, psm with psm.method aipw); "
                        "for OLS use pairs, cluster or wild");
  if (o->type != ATTRIB_BOOT_WILD && d->n_fe && (o->ci == ATTRIB_CI_BCA || o->ci == ATTRIB_CI_STUDENTIZED))
    return attrib__fail(err, ATTRIB_EINVAL,
                        "with absorbed fixed effects the %s bootstrap refits every replicate, which gives percentile, "
                        "basic and normal intervals (not BCa or studentized); for studentized use boot.type wild",
                        attrib_boot_type_name(o->type));
  if (o->type == ATTRIB_BOOT_WILD && o->ci == ATTRIB_CI_BCA)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "BCa intervals are for resampling bootstraps; with boot.type wild use studentized");
  if (d->n_fe && fit->n_dropped_singletons)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the fit dropped %zu singleton rows; refit with ols.drop_singletons=0 to bootstrap the same rows",
                        fit->n_dropped_singletons);
  const int32_t *cl = d->n_cluster ? d->cluster[0].codes : NULL;
  size_t G = d->n_cluster ? d->cluster[0].n_levels : d->n;
  if (o->type == ATTRIB_BOOT_CLUSTER && !cl)
    return attrib__fail(err, ATTRIB_EINVAL, "the cluster bootstrap needs design.cluster COL");
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
    attrib_status st = attrib__boot_wild_rows(d, fit, coef, o, r, err);
    if (st) {
      attrib_boot_result_free(r);
      return st;
    }
    *out = r;
    return ATTRIB_OK;
  }
  if (d->n_fe && o->type != ATTRIB_BOOT_WILD) {
    if (pairs) r->n_clusters = 0;
    attrib_status st = attrib__boot_ols_refit(d, fit, coef, o, pairs ? NULL : cl, G, r, err);
    if (st) {
      attrib_boot_result_free(r);
      return st;
    }
    *out = r;
    return ATTRIB_OK;
  }
  attrib__boot_suff s;
  attrib_status st = attrib__boot_suff_build(d, fit, coef, pairs ? NULL : cl, pairs ? 0 : G, pairs,
                                             o->type == ATTRIB_BOOT_WILD, o->threads, &s, err);
  if (!st) {
    if (pairs) r->n_clusters = 0;
    st = pairs                         ? attrib__boot_pairs(&s, d->w, o, r, err)
         : o->type == ATTRIB_BOOT_WILD ? attrib__boot_wild_clusters(&s, o, r, err)
                                       : attrib__boot_cluster(&s, o, r->estimate, r, err);
    attrib__boot_suff_free(&s);
  }
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
   * `boot.replicates 999 boot.type wild` runs the wild cluster bootstrap of
   * the treat coefficient (ols; did 2x2 and twfe), which
   * attrib_ols_settle_warnings then takes as done */
  attrib__sbuf b = {0};
  if (coarse) { /* two-way: the wild bootstrap takes one clustering */
    attrib__sbuf_addf(&b, "only %zu clusters in '", G);
    attrib__sbuf_add(&b, coarse, strlen(coarse));
    attrib__sbuf_addf(&b, "': cluster-robust t tests over-reject with fewer than about 30; the wild cluster "
                          "bootstrap takes one clustering: cluster by it alone (design.cluster ");
    attrib__sbuf_add(&b, coarse, strlen(coarse));
    attrib__sbuf_addf(&b, " boot.replicates 999 boot.type wild)");
  } else {
    attrib__sbuf_addf(&b, "only %zu clusters: cluster-robust t tests over-reject with fewer than about 30; use the "
                          "wild cluster bootstrap (boot.replicates 999 boot.type wild)", G);
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
