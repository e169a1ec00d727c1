/* Covariate balance tables (conventions in include/attrib/balance.h). One
 * pass over the design's rows accumulates weighted sums per group, before
 * and after adjustment; X is read in blocks, never stored. */
#include <math.h>
#include <string.h>

#include <attrib/balance.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "design/design_internal.h"

attrib_status attrib_estimand_parse(const char *s, attrib_estimand *out, attrib_error *err) {
  if (s && strcmp(s, "att") == 0) *out = ATTRIB_ESTIMAND_ATT;
  else if (s && strcmp(s, "atc") == 0) *out = ATTRIB_ESTIMAND_ATC;
  else if (s && strcmp(s, "ate") == 0) *out = ATTRIB_ESTIMAND_ATE;
  else return attrib__fail(err, ATTRIB_EINVAL, "unknown estimand '%s' (expected att, atc or ate)", s ? s : "");
  return ATTRIB_OK;
}

const char *attrib_estimand_name(attrib_estimand e) {
  return e == ATTRIB_ESTIMAND_ATC ? "atc" : e == ATTRIB_ESTIMAND_ATE ? "ate" : "att";
}

void attrib_balance_free(attrib_balance *b) {
  if (!b) return;
  for (size_t j = 0; b->rows && j < b->k; j++) attrib__free(b->rows[j].term);
  attrib__free(b->rows);
  attrib__free(b);
}

/* One pass over a chunk of rows sums weights, weighted values and weighted
 * squares per (adjustment, group), of the values shifted by the column's
 * first value: with the shift near the data, the squares' sum minus the
 * squared sum loses no more than the digits of (mean - shift)^2 / variance
 * (the "shifted data" algorithm: Chan, Golub & LeVeque 1983, The American
 * Statistician 37(3)), and X is read once instead of twice. Each chunk owns
 * its partial sums; the caller merges them in chunk order, so the result
 * does not depend on the thread count. */
typedef struct bal_job {
  const attrib_design *d;
  attrib__xsrc X;
  const int *treat;
  const double *w_after;
  size_t n, k, j0, chunk_rows;
  double *sx, *ss, *sw; /* per chunk: 4k, 4k, 8 (sw[2][2] then sw2[2][2]) */
  size_t *n1;           /* per chunk: treated count */
  int *binary;          /* per chunk: k flags */
  const double *shift;  /* k: each column's first value */
  double **bufs;        /* per thread */
} bal_job;

static void bal_chunk(void *ctx, size_t c, size_t thread) {
  bal_job *j = ctx;
  size_t k = j->k, j0 = j->j0, B = ATTRIB__BLOCK_ROWS;
  size_t lo = c * j->chunk_rows, hi = lo + j->chunk_rows < j->n ? lo + j->chunk_rows : j->n;
  double *sx = j->sx + 4 * k * c, *ss = j->ss + 4 * k * c, *sw = j->sw + 8 * c;
  int *binary = j->binary + k * c;
  const double *dw = j->d->w;
  /* the block's four weight columns, (adjustment a, group g) at 2a + g:
   * zero outside the group, so each column's sums are branch-free loops */
  double *wt = j->bufs[thread] + B * (j->d->k ? j->d->k : 1);
  for (size_t r0 = lo; r0 < hi; r0 += B) {
    size_t p = hi - r0 < B ? hi - r0 : B, ld;
    const double *blk = attrib__xsrc_block(&j->X, r0, p, j->bufs[thread], &ld);
    for (size_t i = 0; i < p; i++) {
      size_t row = r0 + i;
      double g = j->treat[row] ? 1.0 : 0.0, base = dw ? dw[row] : 1.0;
      double after = j->w_after ? base * j->w_after[row] : base;
      wt[i] = base * (1.0 - g);
      wt[B + i] = base * g;
      wt[2 * B + i] = after * (1.0 - g);
      wt[3 * B + i] = after * g;
    }
    for (size_t i = 0; i < p; i++) j->n1[c] += j->treat[r0 + i] != 0;
    for (size_t a = 0; a < 4; a++) {
      double s1 = 0.0, s2 = 0.0;
      for (size_t i = 0; i < p; i++) s1 += wt[a * B + i], s2 += wt[a * B + i] * wt[a * B + i];
      sw[a] += s1;
      sw[4 + a] += s2;
    }
    for (size_t q = 0; q < k; q++) {
      const double *x = blk + (j0 + q) * ld;
      double c0 = j->shift[q], s1[4] = {0, 0, 0, 0}, s2[4] = {0, 0, 0, 0};
      int nonbinary = 0;
      for (size_t i = 0; i < p; i++) {
        double dv = x[i] - c0;
        for (size_t a = 0; a < 4; a++) {
          double wd = wt[a * B + i] * dv;
          s1[a] += wd;
          s2[a] += wd * dv;
        }
        nonbinary |= x[i] != 0.0 && x[i] != 1.0;
      }
      for (size_t a = 0; a < 4; a++) sx[4 * q + a] += s1[a], ss[4 * q + a] += s2[a];
      if (nonbinary) binary[q] = 0;
    }
  }
}

attrib_status attrib_balance_compute(const attrib_design *d, const int *treat, const double *w_after,
                                     attrib_estimand est, attrib_balance **out, attrib_error *err) {
  if (!d || !treat || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_balance_compute: NULL argument");
  *out = NULL;
  size_t n = d->n, j0 = d->intercept ? 1 : 0, k = d->k > j0 ? d->k - j0 : 0, B = ATTRIB__BLOCK_ROWS;
  size_t chunk_rows, C = attrib__chunks(n, &chunk_rows);
  if (!C) C = 1, chunk_rows = n;
  size_t T = attrib__threads(0, C), K4 = 4 * (k ? k : 1);
  attrib_balance *b = attrib__calloc(1, sizeof *b);
  double *sx = attrib__calloc(K4, sizeof *sx), *ss = attrib__calloc(K4, sizeof *ss), *shift = NULL;
  int *binary = attrib__malloc(k ? k : 1, sizeof *binary);
  bal_job job = {.d = d, .treat = treat, .w_after = w_after, .n = n, .k = k, .j0 = j0, .chunk_rows = chunk_rows};
  job.sx = attrib__calloc(C * K4, sizeof *job.sx);
  job.ss = attrib__calloc(C * K4, sizeof *job.ss);
  job.sw = attrib__calloc(C * 8, sizeof *job.sw);
  job.n1 = attrib__calloc(C, sizeof *job.n1);
  job.binary = attrib__malloc(C * (k ? k : 1), sizeof *job.binary);
  job.bufs = attrib__calloc(T, sizeof *job.bufs);
  attrib_status s = ATTRIB_OK;
  double sw[2][2] = {{0, 0}, {0, 0}}, sw2[2][2] = {{0, 0}, {0, 0}};
  if (!b || !sx || !ss || !binary || !job.sx || !job.ss || !job.sw || !job.n1 || !job.binary || !job.bufs) goto oom;
  for (size_t t = 0; t < T; t++)
    if (!(job.bufs[t] = attrib__malloc(B * ((d->k ? d->k : 1) + 4), sizeof **job.bufs))) goto oom;
  b->estimand = est;
  b->k = k;
  b->rows = attrib__calloc(k ? k : 1, sizeof *b->rows);
  if (!b->rows) goto oom;
  for (size_t q = 0; q < C * k; q++) job.binary[q] = 1;
  job.X = attrib__design_xsrc(d);
  if (!(shift = attrib__calloc(k ? k : 1, sizeof *shift))) goto oom;
  if (n) {
    size_t ld;
    const double *first = attrib__xsrc_block(&job.X, 0, 1, job.bufs[0], &ld);
    for (size_t q = 0; q < k; q++) shift[q] = first[(j0 + q) * ld];
  }
  job.shift = shift;
  if (n) attrib__parallel_chunks(C, T, bal_chunk, &job);
  for (size_t j = 0; j < k; j++) binary[j] = 1;
  for (size_t c = 0; c < C; c++) { /* merge in chunk order */
    b->n_treated += job.n1[c];
    for (int a = 0; a < 2; a++)
      for (int g = 0; g < 2; g++) {
        sw[a][g] += job.sw[8 * c + 2 * a + g];
        sw2[a][g] += job.sw[8 * c + 4 + 2 * a + g];
      }
    for (size_t q = 0; q < 4 * k; q++) sx[q] += job.sx[K4 * c + q], ss[q] += job.ss[K4 * c + q];
    for (size_t j = 0; j < k; j++) binary[j] &= job.binary[k * c + j];
  }
  b->n_control = n - b->n_treated;
  for (int a = 0; a < 2; a++)
    for (int g = 0; g < 2; g++)
      if (!(sw[a][g] > 0.0)) {
        s = attrib__fail(err, ATTRIB_ENODATA, "balance: no %s units %s", g ? "treated" : "control",
                         a ? "remain after matching or weighting" : "in the data");
        goto done;
      }
  for (size_t j = 0; j < k; j++) /* shifted sums -> means, and squares about the mean */
    for (int a = 0; a < 2; a++)
      for (int g = 0; g < 2; g++) {
        size_t q = 4 * j + 2 * a + g;
        double d1 = sx[q] / sw[a][g];
        ss[q] = ss[q] - sx[q] * d1;
        if (ss[q] < 0.0) ss[q] = 0.0; /* rounding of a constant column */
        sx[q] = shift[j] + d1;
      }
  size_t bal[2] = {0, 0};
  for (size_t j = 0; j < k; j++) {
    attrib_balance_row *row = &b->rows[j];
    if (!(row->term = attrib__strdup(d->names[j0 + j]))) goto oom;
    row->binary = binary[j];
    double var[2][2];
    for (int a = 0; a < 2; a++)
      for (int g = 0; g < 2; g++) {
        double den = sw[a][g] - sw2[a][g] / sw[a][g];
        var[a][g] = den > 0.0 ? ss[4 * j + 2 * a + g] / den : NAN;
      }
    double sstar;
    if (est == ATTRIB_ESTIMAND_ATT) sstar = sqrt(var[0][1]);
    else if (est == ATTRIB_ESTIMAND_ATC) sstar = sqrt(var[0][0]);
    else sstar = sqrt(0.5 * (var[0][1] + var[0][0]));
    row->mean_treated_before = sx[4 * j + 1];
    row->mean_control_before = sx[4 * j + 0];
    row->mean_treated_after = sx[4 * j + 3];
    row->mean_control_after = sx[4 * j + 2];
    double raw0 = row->mean_treated_before - row->mean_control_before;
    double raw1 = row->mean_treated_after - row->mean_control_after;
    if (binary[j]) {
      row->diff_before = raw0;
      row->diff_after = raw1;
      row->var_ratio_before = row->var_ratio_after = NAN;
    } else {
      /* a term with no spread in the reference group has no SMD: report raw */
      row->diff_before = sstar > 0.0 ? raw0 / sstar : raw0;
      row->diff_after = sstar > 0.0 ? raw1 / sstar : raw1;
      row->var_ratio_before = var[0][1] / var[0][0];
      row->var_ratio_after = var[1][1] / var[1][0];
    }
    double a0 = fabs(row->diff_before), a1 = fabs(row->diff_after);
    bal[0] += a0 < 0.1;
    bal[1] += a1 < 0.1;
    if (a0 > b->max_abs_diff_before) b->max_abs_diff_before = a0;
    if (a1 > b->max_abs_diff_after) b->max_abs_diff_after = a1;
  }
  b->share_balanced_before = k ? (double)bal[0] / (double)k : NAN;
  b->share_balanced_after = k ? (double)bal[1] / (double)k : NAN;
  b->ess_treated = sw[1][1] * sw[1][1] / sw2[1][1];
  b->ess_control = sw[1][0] * sw[1][0] / sw2[1][0];
  *out = b;
  b = NULL;
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "balance: out of memory");
done:
  for (size_t t = 0; job.bufs && t < T; t++) attrib__free(job.bufs[t]);
  attrib__free(job.bufs);
  attrib__free(job.sx);
  attrib__free(job.ss);
  attrib__free(job.sw);
  attrib__free(job.n1);
  attrib__free(job.binary);
  attrib_balance_free(b);
  attrib__free(sx);
  attrib__free(ss);
  attrib__free(binary);
  attrib__free(shift);
  return s;
}
