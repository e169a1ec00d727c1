/*
 * attrib_ols_fit_stream: OLS out of core (ols.h, docs/scale.md).
 *
 * A chunk of the file is a small table (attrib_csv_stream), and its design
 * is built by the design builder itself, with the factor levels of the
 * whole file (attrib__design_build_levels), so every chunk's X has the
 * columns, names and reference levels of the whole table's design. From
 * each chunk only sufficient statistics are kept:
 *   pass 0 (factors only): the levels present in the rows used;
 *   pass 1: the R factor of [sqrt(w) X, sqrt(w) y], merged chunk by chunk
 *           (TSQR: the chunk's R stacked under the running R, reduced by
 *           dgeqrf; Demmel et al. 2012), the columns' squared norms (the
 *           collinearity rule's reference), the outcome's weighted mean
 *           and centred sum of squares (merged as Chan, Golub & LeVeque
 *           1979), the counts;
 *   solve: the QR path of ls_solve.c on that R (dqrdc2 rank, beta, rss);
 *   pass 2 (robust SEs): residuals with beta, then the meat of the
 *           sandwich, sum_i (w_i e_i)^2 / (1 - h_i)^a x_i x_i' (HC; the
 *           leverage from R), or per-cluster scores s_g (CR1) in a hash map
 *           of cluster ids, O(G k).
 * The meat needs beta, which needs every row: hence two passes for robust
 * standard errors, not one pass with O(k^4) fourth moments.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_cdf.h>
#include <lapacke.h>

#include <attrib/formula.h>
#include <attrib/logit.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/rng.h"
#include "data/data_internal.h"
#include "design/design_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

/* ------------------------------------------------------------ key maps */

/* Distinct 64-bit keys -> 0, 1, 2, ... in order of first sight (levels of a
 * numeric factor, cluster ids). Open addressing on core's attrib__mix64,
 * kept at most half full; the slots never decide an order (indices do). */
typedef struct keymap {
  uint64_t *keys;
  size_t *idx; /* SIZE_MAX = empty */
  size_t slots, n;
  uint64_t *order; /* n keys by index */
  size_t order_cap;
} keymap;

static void keymap_free(keymap *m) {
  attrib__free(m->keys);
  attrib__free(m->idx);
  attrib__free(m->order);
  memset(m, 0, sizeof *m);
}

static int keymap_grow(keymap *m) {
  size_t ns = m->slots ? m->slots * 2 : 1024;
  uint64_t *keys = attrib__malloc(ns, sizeof *keys);
  size_t *idx = attrib__malloc(ns, sizeof *idx);
  if (!keys || !idx) {
    attrib__free(keys);
    attrib__free(idx);
    return 0;
  }
  for (size_t i = 0; i < ns; i++) idx[i] = SIZE_MAX;
  for (size_t i = 0; i < m->slots; i++) {
    if (m->idx[i] == SIZE_MAX) continue;
    size_t j = attrib__mix64(m->keys[i]) & (ns - 1);
    while (idx[j] != SIZE_MAX) j = (j + 1) & (ns - 1);
    keys[j] = m->keys[i];
    idx[j] = m->idx[i];
  }
  attrib__free(m->keys);
  attrib__free(m->idx);
  m->keys = keys;
  m->idx = idx;
  m->slots = ns;
  return 1;
}

/* The index of key, added if new; SIZE_MAX when out of memory. */
static size_t keymap_get(keymap *m, uint64_t key) {
  if ((m->n + 1) * 2 > m->slots && !keymap_grow(m)) return SIZE_MAX;
  size_t j = attrib__mix64(key) & (m->slots - 1);
  while (m->idx[j] != SIZE_MAX) {
    if (m->keys[j] == key) return m->idx[j];
    j = (j + 1) & (m->slots - 1);
  }
  if (m->n == m->order_cap) {
    size_t cap = m->order_cap ? m->order_cap * 2 : 256;
    uint64_t *o = attrib__realloc(m->order, cap, sizeof *o);
    if (!o) return SIZE_MAX;
    m->order = o;
    m->order_cap = cap;
  }
  m->keys[j] = key;
  m->idx[j] = m->n;
  m->order[m->n] = key;
  return m->n++;
}

static uint64_t double_key(double v) {
  if (v == 0.0) v = 0.0; /* -0 and 0 are one level, as encode_numeric compares them */
  uint64_t k;
  memcpy(&k, &v, sizeof k);
  return k;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* ------------------------------------------------------------ the fit */

typedef struct sfit {
  const char *path;
  attrib_csv_stream *st;
  const attrib_formula *f;
  const attrib_design_options *dopts;
  attrib_design_options dnocheck;
  const attrib_ols_options *o;
  const char *const *cols; /* the columns the model reads, NULL-terminated */
  attrib__stream_hook hook; /* the caller's look at each chunk of the fit pass (did's 2x2 cells), or NULL */
  void *hook_ctx;
  attrib_error *err;
  /* factor levels of the whole file */
  attrib__design_levels *lv;
  int any_factor;
  int32_t **lv_map;  /* per variable (categorical) */
  double **lv_values; /* per variable (numeric) */
  /* pass 1 */
  attrib_design *d0; /* the first chunk's design: names, k, intercept */
  size_t k, m, n, n_input, n_missing, n_weight;
  double *R, *norm2, *Rc, *n2c, *stack, *tau, *work;
  int have_R;
  double sw, mean, m2, sy2, ymin, ymax;
} sfit;

static attrib_status oom(sfit *s) { return attrib__fail(s->err, ATTRIB_ENOMEM, "OLS (streamed): out of memory"); }

/* The design of one chunk: NULL (and ATTRIB_OK) when no row of the chunk
 * is used. */
static attrib_status chunk_design(sfit *s, const attrib_table *t, const attrib__design_levels *lv, attrib_design **d) {
  attrib_error e2;
  attrib_error_clear(&e2);
  attrib_status st = lv ? attrib__design_build_levels(t, s->f, &s->dnocheck, lv, d, &e2)
                        : attrib_design_build(t, s->f, &s->dnocheck, d, &e2);
  if (st == ATTRIB_ENODATA && t->n_rows > 0) { /* every row of this chunk dropped: missing, or of weight 0 */
    *d = NULL;
    long wc = s->dopts->weights ? attrib_table_column_find(t, s->dopts->weights) : -1;
    for (size_t i = 0; i < t->n_rows; i++) {
      int miss = 0;
      for (size_t q = 0; !miss && s->cols[q]; q++) {
        long j = attrib_table_column_find(t, s->cols[q]);
        if (j >= 0) miss = attrib_column_is_missing(&t->cols[j], i);
      }
      if (!miss && wc >= 0 && t->cols[wc].values[i] == 0.0) s->n_weight++;
      else s->n_missing++;
    }
    return ATTRIB_OK;
  }
  if (st != ATTRIB_OK && s->err) *s->err = e2;
  return st;
}

/* The next chunk (*t NULL at the end) and its design, for the passes after
 * pass_r: the dropped-row counts are pass_r's alone, so left as they are. */
static attrib_status next_design(sfit *s, const attrib_table **t, attrib_design **d) {
  *d = NULL;
  attrib_status st = attrib_csv_stream_next(s->st, t, s->err);
  if (st || !*t) return st;
  size_t saved = s->n_missing, savedw = s->n_weight;
  st = chunk_design(s, *t, s->lv, d);
  s->n_missing = saved;
  s->n_weight = savedw;
  return st;
}

/* Row's cluster score sum *sg (a new cluster's zeroed) in *S, the r x
 * *Gcap sums of the clusters met so far (keys in km), grown by doubling. */
static attrib_status cluster_sum(sfit *s, keymap *km, const attrib_column *cc, size_t row, size_t r, double **S,
                                 size_t *Gcap, double **sg) {
  uint64_t key = cc->type == ATTRIB_COLUMN_CATEGORICAL ? (uint64_t)(uint32_t)cc->codes[row] : double_key(cc->values[row]);
  size_t g = keymap_get(km, key);
  if (g == SIZE_MAX) return oom(s);
  if (g >= *Gcap) {
    size_t cap = *Gcap ? *Gcap * 2 : 1024;
    double *nS = attrib__realloc(*S, cap * (r ? r : 1), sizeof *nS);
    if (!nS) return oom(s);
    memset(nS + *Gcap * r, 0, (cap - *Gcap) * r * sizeof *nS);
    *S = nS;
    *Gcap = cap;
  }
  *sg = *S + g * r;
  return ATTRIB_OK;
}

/* Pass 0: the levels of each factor present in the rows used. */
static attrib_status pass_levels(sfit *s) {
  const attrib_table *sc = attrib_csv_stream_schema(s->st);
  size_t V = s->f->n_vars;
  keymap *num = attrib__calloc(V ? V : 1, sizeof *num);
  unsigned char **seen = attrib__calloc(V ? V : 1, sizeof *seen);
  size_t *colv = attrib__calloc(V ? V : 1, sizeof *colv);
  int *isf = attrib__calloc(V ? V : 1, sizeof *isf);
  attrib_status st = ATTRIB_OK;
  if (!num || !seen || !colv || !isf) {
    st = oom(s);
    goto done;
  }
  for (size_t v = 0; v < V; v++) {
    isf[v] = attrib__design_var_is_factor(sc, s->f, v, &colv[v]);
    s->any_factor |= isf[v];
    if (isf[v] && sc->cols[colv[v]].type == ATTRIB_COLUMN_CATEGORICAL &&
        !(seen[v] = attrib__calloc(sc->cols[colv[v]].n_levels + 1, 1))) {
      st = oom(s);
      goto done;
    }
  }
  if (!s->any_factor) goto done;
  /* Every row used (no cell missing in a column the model reads, no
   * weights that could be 0) and every factor a text column: the levels
   * present are all the column's levels, each of which some row holds,
   * and the pass is not needed. */
  int all_rows = !s->dopts->weights;
  for (size_t q = 0; all_rows && s->cols[q]; q++) {
    long j = attrib_table_column_find(sc, s->cols[q]);
    all_rows = j >= 0 && sc->cols[j].n_missing == 0;
  }
  for (size_t v = 0; all_rows && v < V; v++) all_rows = !isf[v] || sc->cols[colv[v]].type == ATTRIB_COLUMN_CATEGORICAL;
  if (all_rows)
    for (size_t v = 0; v < V; v++)
      if (isf[v]) memset(seen[v], 1, sc->cols[colv[v]].n_levels);
  if (!all_rows && (st = attrib_csv_stream_rewind(s->st, s->err))) goto done;
  for (; !all_rows;) {
    const attrib_table *t;
    attrib_design *d = NULL;
    if ((st = attrib_csv_stream_next(s->st, &t, s->err)) || !t) break;
    size_t saved = s->n_missing, savedw = s->n_weight;
    if ((st = chunk_design(s, t, NULL, &d))) break;
    s->n_missing = saved; /* counted by pass 1 */
    s->n_weight = savedw;
    for (size_t v = 0; d && v < V; v++) {
      if (!isf[v]) continue;
      const attrib_column *c = &t->cols[colv[v]];
      for (size_t i = 0; i < d->n; i++) {
        size_t row = d->rows[i];
        if (c->type == ATTRIB_COLUMN_CATEGORICAL) seen[v][c->codes[row]] = 1;
        else if (keymap_get(&num[v], double_key(c->values[row])) == SIZE_MAX) st = oom(s);
      }
    }
    attrib_design_free(d);
    if (st) break;
  }
  if (st) goto done;
  s->lv = attrib__calloc(V, sizeof *s->lv);
  s->lv_map = attrib__calloc(V, sizeof *s->lv_map);
  s->lv_values = attrib__calloc(V, sizeof *s->lv_values);
  if (!s->lv || !s->lv_map || !s->lv_values) {
    st = oom(s);
    goto done;
  }
  for (size_t v = 0; v < V; v++) {
    if (!isf[v]) continue;
    const attrib_column *c = &sc->cols[colv[v]];
    if (c->type == ATTRIB_COLUMN_CATEGORICAL) {
      /* the table's sorted levels, those present: attrib_column_encode's order */
      if (!(s->lv_map[v] = attrib__malloc(c->n_levels + 1, sizeof *s->lv_map[v]))) {
        st = oom(s);
        goto done;
      }
      size_t L = 0;
      for (size_t l = 0; l < c->n_levels; l++) s->lv_map[v][l] = seen[v][l] ? (int32_t)L++ : -1;
      s->lv[v].n = L;
      s->lv[v].map = s->lv_map[v];
    } else {
      /* ascending values: encode_numeric's order */
      size_t L = num[v].n;
      if (!(s->lv_values[v] = attrib__malloc(L + 1, sizeof *s->lv_values[v]))) {
        st = oom(s);
        goto done;
      }
      for (size_t l = 0; l < L; l++) memcpy(&s->lv_values[v][l], &num[v].order[l], sizeof(double));
      qsort(s->lv_values[v], L, sizeof(double), cmp_double);
      s->lv[v].n = L;
      s->lv[v].values = s->lv_values[v];
    }
  }
done:
  for (size_t v = 0; num && v < V; v++) keymap_free(&num[v]);
  for (size_t v = 0; seen && v < V; v++) attrib__free(seen[v]);
  attrib__free(num);
  attrib__free(seen);
  attrib__free(colv);
  attrib__free(isf);
  return st;
}

/* Merges a chunk's R (m x m) into the running one. */
static attrib_status merge_r(sfit *s) {
  size_t m = s->m, m2 = 2 * m;
  for (size_t j = 0; j < m; j++) s->norm2[j] += s->n2c[j];
  if (!s->have_R) {
    for (size_t j = 0; j < m; j++)
      for (size_t i = 0; i < m; i++) s->R[j * m + i] = i <= j ? s->Rc[j * m + i] : 0.0;
    s->have_R = 1;
    return ATTRIB_OK;
  }
  memset(s->stack, 0, m2 * m * sizeof *s->stack);
  for (size_t j = 0; j < m; j++)
    for (size_t i = 0; i <= j; i++) {
      s->stack[j * m2 + i] = s->R[j * m + i];
      s->stack[j * m2 + m + i] = s->Rc[j * m + i];
    }
  int info = attrib__dgeqrf((int)m2, (int)m, s->stack, (int)m2, s->tau, s->work, ATTRIB__GEQRF_WORK(m));
  if (info != 0) return attrib__fail(s->err, ATTRIB_ENUMERIC, "least squares: LAPACK dgeqrf failed (info %d)", info);
  for (size_t j = 0; j < m; j++)
    for (size_t i = 0; i < m; i++) s->R[j * m + i] = i <= j ? s->stack[j * m2 + i] : 0.0;
  return ATTRIB_OK;
}

/* The first design's k columns: R and the merge's work space, m = k + 1
 * (the outcome's column last). Returns 0 when out of memory. */
static int r_alloc(sfit *s, size_t k) {
  s->k = k;
  s->m = k + 1;
  size_t m = s->m;
  s->R = attrib__calloc(m * m, sizeof *s->R);
  s->Rc = attrib__calloc(m * m, sizeof *s->Rc);
  s->norm2 = attrib__calloc(m, sizeof *s->norm2);
  s->n2c = attrib__calloc(m, sizeof *s->n2c);
  s->stack = attrib__calloc(2 * m * m, sizeof *s->stack);
  s->tau = attrib__calloc(m, sizeof *s->tau);
  s->work = attrib__calloc(ATTRIB__GEQRF_WORK(m), sizeof *s->work);
  return s->R && s->Rc && s->norm2 && s->n2c && s->stack && s->tau && s->work;
}

static attrib_status pass_r(sfit *s) {
  attrib_status st = attrib_csv_stream_rewind(s->st, s->err);
  s->ymin = INFINITY;
  s->ymax = -INFINITY;
  while (st == ATTRIB_OK) {
    const attrib_table *t;
    attrib_design *d = NULL;
    if ((st = attrib_csv_stream_next(s->st, &t, s->err)) || !t) break;
    s->n_input += t->n_rows;
    if ((st = chunk_design(s, t, s->lv, &d))) continue;
    if (s->hook && (st = s->hook(s->hook_ctx, t, d, s->err))) {
      if (d != s->d0) attrib_design_free(d);
      break;
    }
    if (!d) continue;
    s->n_missing += d->n_dropped_missing;
    s->n_weight += d->n_dropped_weight;
    if (!s->d0) {
      if (!r_alloc(s, d->k)) {
        attrib_design_free(d);
        st = oom(s);
        break;
      }
      s->d0 = d;
    } else if (d->k != s->k) { /* cannot happen: the levels are fixed */
      attrib_design_free(d);
      st = attrib__fail(s->err, ATTRIB_EDESIGN, "OLS (streamed): a chunk's design has %zu columns, not %zu", d->k, s->k);
      break;
    }
    attrib__xsrc src = attrib__design_xsrc(d);
    src.threads = s->o->threads;
    st = attrib__tsqr(&src, d->y, d->w, s->Rc, s->n2c, NULL, s->err);
    if (st == ATTRIB_OK) st = merge_r(s);
    /* the outcome's weighted mean and centred sum of squares, merged */
    double sw = 0.0, sy = 0.0;
    for (size_t i = 0; i < d->n; i++) {
      double wi = d->w ? d->w[i] : 1.0, y = d->y[i];
      sw += wi;
      sy += wi * y;
      if (y < s->ymin) s->ymin = y;
      if (y > s->ymax) s->ymax = y;
    }
    double mean = sy / sw, m2 = 0.0, sy2 = 0.0;
    for (size_t i = 0; i < d->n; i++) {
      double wi = d->w ? d->w[i] : 1.0, dy = d->y[i] - mean;
      m2 += wi * dy * dy;
      sy2 += wi * d->y[i] * d->y[i];
    }
    double tot = s->sw + sw, delta = mean - s->mean;
    s->m2 += m2 + delta * delta * s->sw * sw / tot;
    s->mean += delta * sw / tot;
    s->sw = tot;
    s->sy2 += sy2;
    s->n += d->n;
    if (d != s->d0) attrib_design_free(d);
  }
  if (st == ATTRIB_OK && s->hook) st = s->hook(s->hook_ctx, NULL, NULL, s->err);
  return st;
}

/* Pass 2: the meat of the sandwich (HC: mt = sum om_i x x'; cluster: the
 * score sums S, G x r, and *G). */
static attrib_status pass_meat(sfit *s, const attrib__ls *ls, double *M, double **Sout, size_t *G, size_t *Gcap) {
  size_t r = ls->r, n_seen = 0;
  int cluster = s->o->vcov == ATTRIB_VCOV_CLUSTER, lev = s->o->vcov == ATTRIB_VCOV_HC2 || s->o->vcov == ATTRIB_VCOV_HC3;
  const attrib_table *sc = attrib_csv_stream_schema(s->st);
  long ccol = cluster ? attrib_table_column_find(sc, s->dopts->cluster[0]) : -1;
  keymap km = {0};
  double *S = NULL;
  size_t B = ATTRIB__BLOCK_ROWS;
  double *buf = attrib__malloc(B * (s->k ? s->k : 1), sizeof *buf);
  double *e = attrib__malloc(B, sizeof *e), *sq = attrib__malloc(B, sizeof *sq);
  double *sbuf = attrib__malloc(B * (r ? r : 1), sizeof *sbuf);
  double *h = lev ? attrib__malloc(B, sizeof *h) : NULL;
  attrib_status st = ATTRIB_OK;
  if (!buf || !e || !sq || !sbuf || (lev && !h)) {
    st = oom(s);
    goto done;
  }
  memset(M, 0, r * r * sizeof *M);
  *G = 0;
  if ((st = attrib_csv_stream_rewind(s->st, s->err))) goto done;
  for (;;) {
    const attrib_table *t;
    attrib_design *d = NULL;
    if ((st = next_design(s, &t, &d)) || !t) break;
    if (!d) continue;
    attrib__xsrc src = attrib__design_xsrc(d);
    for (size_t r0 = 0; r0 < d->n && st == ATTRIB_OK; r0 += B) {
      size_t p = d->n - r0 < B ? d->n - r0 : B, ld;
      const double *blk = attrib__xsrc_block(&src, r0, p, buf, &ld);
      attrib__xb(p, r, blk, ld, ls->cols, ls->beta, e);
      for (size_t i = 0; i < p; i++) e[i] = d->y[r0 + i] - e[i];
      const double *w = d->w ? d->w + r0 : NULL;
      if (lev) { /* h_i = w_i || R^-T x_i ||^2 over the kept columns */
        attrib__xsrc one = attrib__xsrc_matrix(blk, p, s->k, ld);
        if ((st = attrib__leverage(&one, ls->cols, r, ls->R, w, h, s->err))) break;
        for (size_t i = 0; i < p; i++)
          if (h[i] >= 1.0 - 1e-10) {
            st = attrib__fail(s->err, ATTRIB_EDESIGN,
                              "vcov '%s' is undefined: row %zu has leverage 1 (it alone determines a coefficient); "
                              "use hc1",
                              attrib_vcov_type_name(s->o->vcov), n_seen + r0 + i + 1);
            break;
          }
        if (st) break;
      }
      if (!cluster) {
        for (size_t i = 0; i < p; i++) {
          double we = (w ? w[i] : 1.0) * e[i], om = we * we;
          if (s->o->vcov == ATTRIB_VCOV_HC2) om /= 1.0 - h[i];
          if (s->o->vcov == ATTRIB_VCOV_HC3) om /= (1.0 - h[i]) * (1.0 - h[i]);
          sq[i] = sqrt(om);
        }
        for (size_t a = 0; a < r; a++) {
          const double *x = blk + ls->cols[a] * ld;
          double *o = sbuf + a * p;
          for (size_t i = 0; i < p; i++) o[i] = sq[i] * x[i];
        }
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)r, (int)p, 1.0, sbuf, (int)p, 1.0, M, (int)r);
        continue;
      }
      const attrib_column *cc = &t->cols[ccol];
      for (size_t i = 0; i < p; i++) {
        double *sg;
        if ((st = cluster_sum(s, &km, cc, d->rows[r0 + i], r, &S, Gcap, &sg))) break;
        double we = (w ? w[i] : 1.0) * e[i];
        for (size_t a = 0; a < r; a++) sg[a] += we * blk[ls->cols[a] * ld + i];
      }
    }
    n_seen += d->n;
    attrib_design_free(d);
    if (st) break;
  }
  if (st == ATTRIB_OK && cluster) {
    *G = km.n;
    /* M = sum_g s_g s_g' (S is r x G column-major) */
    if (*G) cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, (int)r, (int)*G, 1.0, S, (int)r, 0.0, M, (int)r);
  }
  if (st == ATTRIB_OK) attrib__symmetrize(M, r);
done:
  keymap_free(&km);
  attrib__free(buf);
  attrib__free(e);
  attrib__free(sq);
  attrib__free(sbuf);
  attrib__free(h);
  *Sout = S;
  return st;
}

/* V = scale * B M B (vcov.c's sandwich), with this fit's message when out
 * of memory. */
static attrib_status sandwich(sfit *s, const double *B, const double *M, size_t r, double scale, double *V) {
  return attrib__sandwich(B, M, r, scale, V, s->err) ? oom(s) : ATTRIB_OK;
}

static void human_bytes(double b, char *buf, size_t cap) {
  const char *u[] = {"bytes", "KB", "MB", "GB", "TB"};
  int i = 0;
  while (b >= 1000.0 && i < 4) b /= 1000.0, i++;
  snprintf(buf, cap, i ? "%.1f %s" : "%.0f %s", b, u[i]);
}

/* The refusal of what a stream cannot compute: the table must be in memory. */
static attrib_status needs_memory(const char *path, const attrib_csv_options *copts, const char *option,
                                  const char *what, attrib_error *err) {
  size_t rows = 0, bytes = 0;
  attrib_error e2;
  attrib_error_clear(&e2);
  (void)attrib_csv_estimate(path, copts, &rows, &bytes, &e2);
  char hb[32];
  human_bytes((double)bytes, hb, sizeof hb);
  if (rows)
    return attrib__fail_option(err, ATTRIB_EUSAGE, option,
                               "%s needs the table in memory and cannot be streamed: %s holds about %zu rows, "
                               "about %s in memory",
                               what, path, rows, hb);
  return attrib__fail_option(err, ATTRIB_EUSAGE, option, "%s needs the table in memory and cannot be streamed", what);
}

/* Frees what the passes made (not the formula, which is the caller's). */
static void sfit_free(sfit *s) {
  attrib_design_free(s->d0);
  for (size_t v = 0; s->lv_map && v < s->f->n_vars; v++) attrib__free(s->lv_map[v]);
  for (size_t v = 0; s->lv_values && v < s->f->n_vars; v++) attrib__free(s->lv_values[v]);
  attrib__free(s->lv_map);
  attrib__free(s->lv_values);
  attrib__free(s->lv);
  attrib__free(s->R);
  attrib__free(s->Rc);
  attrib__free(s->norm2);
  attrib__free(s->n2c);
  attrib__free(s->stack);
  attrib__free(s->tau);
  attrib__free(s->work);
  attrib_csv_stream_close(s->st);
}

/* The columns the model reads, NULL-terminated (attrib_csv_stream_open's list). */
static attrib_status stream_columns(sfit *s, const attrib_design_options *dopts, const char ***out) {
  size_t n_cl = 0, n_keep = 0, nc = 0;
  while (dopts->cluster && dopts->cluster[n_cl]) n_cl++;
  while (dopts->keep && dopts->keep[n_keep]) n_keep++;
  const char **cols = *out = attrib__calloc(s->f->n_vars + n_cl + n_keep + 4, sizeof *cols);
  if (!cols) return oom(s);
  s->cols = cols;
  cols[nc++] = s->f->response;
  for (size_t v = 0; v < s->f->n_vars; v++) cols[nc++] = s->f->vars[v].name;
  for (size_t c = 0; c < n_cl; c++) cols[nc++] = dopts->cluster[c];
  if (dopts->weights) cols[nc++] = dopts->weights;
  for (size_t c = 0; c < n_keep; c++) cols[nc++] = dopts->keep[c];
  return ATTRIB_OK;
}

/* The passes' state for path, before any pass (opts: the threads the
 * passes use). */
static void sfit_init(sfit *s, const char *path, const attrib_ols_options *opts, const attrib_design_options *dopts,
                      attrib_error *err) {
  memset(s, 0, sizeof *s);
  s->path = path;
  s->o = opts;
  s->dopts = dopts;
  s->dnocheck = *dopts;
  s->dnocheck.check_collinearity = 0; /* the rank is the solver's, from R */
  s->err = err;
}

/* Opens the stream on the columns the model reads (*cols, the caller's to
 * free) and runs the levels pass. A file with a header alone gets the
 * design's own message, else "no data rows". */
static attrib_status stream_open_levels(sfit *s, const attrib_csv_options *copts, size_t chunk_rows, const char ***cols) {
  attrib_status st;
  if ((st = stream_columns(s, s->dopts, cols))) return st;
  if ((st = attrib_csv_stream_open(s->path, copts, *cols, chunk_rows, &s->st, s->err))) return st;
  if (attrib_csv_stream_rows(s->st) == 0) {
    attrib_design *d = NULL;
    st = attrib_design_build(attrib_csv_stream_schema(s->st), s->f, &s->dnocheck, &d, s->err);
    attrib_design_free(d);
    return st == ATTRIB_OK ? attrib__fail(s->err, ATTRIB_ENODATA, "%s: no data rows", s->path) : st;
  }
  return pass_levels(s);
}

/* The message when the first pass kept no row. */
static attrib_status no_rows_left(const sfit *s) {
  return attrib__fail(s->err, ATTRIB_ENODATA,
                      "%s: no rows left for the model: %zu of %zu rows have a missing value in a used column%s", s->path,
                      s->n_missing, s->n_input, s->n_weight ? " and the rest a weight of 0" : "");
}

/* Two-way clustering needs the rows in memory (both fits refuse it). */
static attrib_status two_way_needs_memory(const char *path, const attrib_csv_options *copts, attrib_error *err) {
  return needs_memory(path, copts, "design.cluster", "two-way clustering (the intersection of the clusters' scores)", err);
}

/* The result's cluster facts for one clustering column of G clusters
 * (the fields of attrib_ols_result and attrib_logit_result). */
static attrib_status cluster_facts(sfit *s, const char *name, size_t G, size_t *n_dims, char ***names,
                                   size_t **n_clusters) {
  *n_dims = 1;
  *names = attrib__calloc(1, sizeof **names);
  *n_clusters = attrib__calloc(1, sizeof **n_clusters);
  if (!*names || !*n_clusters || !((*names)[0] = attrib__strdup(name))) return oom(s);
  (*n_clusters)[0] = G;
  return ATTRIB_OK;
}

/* The covariance of the kept coefficients into Vr (iid from R; HC and CR1
 * from the meat pass), with the result's cluster facts and df. */
static attrib_status ols_stream_vcov(sfit *s, const attrib__ls *ls, const attrib_ols_options *opts,
                                     const attrib_design_options *dopts, attrib_ols_result *r, double *Vr,
                                     double *M_out, double *G_out) {
  size_t rk = ls->r, G = 0, Gcap = 0;
  double *bread = attrib__malloc(rk * rk, sizeof *bread), *M = attrib__malloc(rk * rk, sizeof *M), *S = NULL;
  attrib_status st = ATTRIB_OK;
  double K = (double)ls->r;
  r->df_inference = r->df_resid;
  if (!bread || !M) st = oom(s);
  else st = attrib__ls_bread(ls, bread, s->err);
  if (st == ATTRIB_OK && opts->vcov == ATTRIB_VCOV_IID) {
    for (size_t q = 0; q < rk * rk; q++) Vr[q] = bread[q] * r->rss / r->df_resid;
  } else if (st == ATTRIB_OK && (st = pass_meat(s, ls, M, &S, &G, &Gcap)) == ATTRIB_OK) {
    if (opts->vcov == ATTRIB_VCOV_CLUSTER) {
      st = cluster_facts(s, dopts->cluster[0], G, &r->n_cluster_dims, &r->cluster_names, &r->n_clusters);
      if (st == ATTRIB_OK && G < 2)
        st = attrib__fail(s->err, ATTRIB_EDESIGN,
                          "one cluster in '%s': cluster-robust standard errors need at least two (CR1 divides by G - 1)",
                          dopts->cluster[0]);
      r->df_inference = (double)G - 1.0;
    }
    if (st == ATTRIB_OK && M_out) { /* the statistics file's meat, before the sandwich */
      memcpy(M_out, M, rk * rk * sizeof *M);
      *G_out = (double)G;
    }
    if (st == ATTRIB_OK) {
      double scale = attrib__sandwich_scale(opts->vcov, (double)s->n, (double)G, K);
      st = sandwich(s, bread, M, rk, scale, Vr);
    }
  }
  attrib__free(bread);
  attrib__free(M);
  attrib__free(S);
  return st;
}

attrib_status attrib_ols_fit_stream(const char *path, const attrib_csv_options *copts, const char *formula,
                                    const attrib_design_options *dopts, const attrib_ols_options *opts,
                                    size_t chunk_rows, attrib_ols_result **out, attrib_error *err) {
  if (!path || !formula || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_fit_stream: NULL argument");
  *out = NULL;
  attrib_formula *f = NULL;
  attrib_status st = attrib_formula_parse(formula, &f, err);
  if (st) return st;
  st = attrib__ols_fit_stream_f(path, copts, f, dopts, opts, chunk_rows, NULL, NULL, out, err);
  attrib_formula_free(f);
  return st;
}

static attrib_status ols_stream_core(const char *path, const attrib_csv_options *copts, const attrib_formula *formula,
                                     const attrib_design_options *dopts, const attrib_ols_options *opts,
                                     size_t chunk_rows, attrib__stream_hook hook, void *hook_ctx,
                                     const attrib_ols_stats *at, attrib_ols_stats **stats, attrib_ols_result **out,
                                     attrib_error *err);

/* The statistics file of a streamed fit (attrib_ols_stream_stats): n, sum
 * y, X'X and X'y from R'R = [X y]'[X y], the coefficients (this fit's, or
 * at's with the residual sum of squares moved to them exactly), tss around
 * the mean. Unweighted, and every column kept (a merge cannot drop one). */
static attrib_status stream_stats(sfit *s, const attrib__ls *ls, const attrib_ols_stats *at, attrib_ols_stats **out) {
  size_t k = s->k, m = s->m;
  const attrib_design *d0 = s->d0;
  if (s->dopts->weights)
    return attrib__fail_option(s->err, ATTRIB_EUSAGE, "design.weights", "weighted sums are not written as statistics");
  if (ls->r < k)
    return attrib__fail(s->err, ATTRIB_ECOLLINEAR,
                        "%zu of the %zu terms are collinear or constant: statistics keep every term (a merge could not "
                        "drop one); remove them from the formula",
                        k - ls->r, k);
  if (at && (at->k != k || !at->has_residuals))
    return attrib__fail(s->err, ATTRIB_EDESIGN,
                        at->has_residuals ? "the coefficients' statistics have %zu terms and this model %zu: the same "
                                            "formula and factor levels are needed"
                                          : "the statistics to take the coefficients from have none (%zu, %zu)",
                        at->k, k);
  for (size_t j = 0; at && j < k; j++)
    if (strcmp(at->terms[j], d0->names[j]))
      return attrib__fail(s->err, ATTRIB_EDESIGN, "the coefficients' statistics name term %zu '%s', this model '%s'",
                          j + 1, at->terms[j], d0->names[j]);
  attrib_ols_stats *x = NULL;
  ATTRIB__TRY(attrib__ols_stats_new(k, 1, &x, s->err));
  *out = x;
  for (size_t a = 0; a < k; a++) {
    for (size_t b = a; b < k; b++) {
      double v = 0.0; /* column a of R dotted with column b, over the rows both reach */
      for (size_t i = 0; i <= a; i++) v += s->R[a * m + i] * s->R[b * m + i];
      x->xtx[a * k + b] = x->xtx[b * k + a] = v;
    }
    double v = 0.0;
    for (size_t i = 0; i <= a; i++) v += s->R[a * m + i] * s->R[k * m + i];
    x->xty[a] = v;
  }
  x->intercept = d0->intercept;
  x->n_input = (double)s->n_input;
  x->n = (double)s->n;
  x->sum_y = s->mean * s->sw;
  x->vcov = s->o->vcov;
  x->ybar = d0->intercept ? s->mean : 0.0;
  x->tss = d0->intercept ? s->m2 : s->sy2;
  x->rss = ls->rss;
  for (size_t a = 0; a < ls->r; a++) x->coefficients[ls->cols[a]] = ls->beta[a];
  if (!(x->outcome = attrib__strdup(s->f->response)) ||
      (s->o->vcov == ATTRIB_VCOV_CLUSTER && !(x->cluster = attrib__strdup(s->dopts->cluster[0]))) ||
      (s->o->vcov != ATTRIB_VCOV_IID && !(x->meat = attrib__calloc(k * k, sizeof *x->meat))))
    return oom(s);
  for (size_t j = 0; j < k; j++)
    if (!(x->terms[j] = attrib__strdup(d0->names[j]))) return oom(s);
  return at ? attrib__ols_stats_move(x, at->coefficients, s->err) : ATTRIB_OK;
}

/* The residual pass at the given statistics' coefficients (the parts of a
 * distributed fit): only the meat, into st (hc1, cluster). */
static attrib_status stream_meat_at(sfit *s, const attrib__ls *ls, attrib_ols_stats *st) {
  if (s->o->vcov == ATTRIB_VCOV_IID) return ATTRIB_OK;
  attrib__ls at = *ls; /* every column kept: beta in design order */
  at.beta = st->coefficients;
  double *S = NULL;
  size_t G = 0, Gcap = 0;
  attrib_status r = pass_meat(s, &at, st->meat, &S, &G, &Gcap);
  attrib__free(S);
  st->clusters = (double)G;
  return r;
}

attrib_status attrib_ols_stream_stats(const char *path, const attrib_csv_options *copts, const char *formula,
                                      const attrib_design_options *dopts, const attrib_ols_options *opts,
                                      size_t chunk_rows, const attrib_ols_stats *at, attrib_ols_stats **stats,
                                      attrib_ols_result **out, attrib_error *err) {
  if (!path || !formula || !stats || (!at && !out))
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_stream_stats: NULL argument");
  *stats = NULL;
  if (out) *out = NULL;
  attrib_ols_options o;
  if (opts) o = *opts;
  else attrib_ols_options_init(&o);
  if (o.vcov != ATTRIB_VCOV_IID && o.vcov != ATTRIB_VCOV_HC1 && o.vcov != ATTRIB_VCOV_CLUSTER)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "ols.vcov",
                               "statistics carry iid, hc1 and one-way cluster (CR1) sums, not %s",
                               attrib_vcov_type_name(o.vcov));
  attrib_formula *f = NULL;
  attrib_status st = attrib_formula_parse(formula, &f, err);
  if (st) return st;
  st = ols_stream_core(path, copts, f, dopts, &o, chunk_rows, NULL, NULL, at, stats, at ? NULL : out, err);
  attrib_formula_free(f);
  return st;
}

attrib_status attrib__ols_fit_stream_f(const char *path, const attrib_csv_options *copts, const attrib_formula *formula,
                                       const attrib_design_options *dopts, const attrib_ols_options *opts,
                                       size_t chunk_rows, attrib__stream_hook hook, void *hook_ctx,
                                       attrib_ols_result **out, attrib_error *err) {
  return ols_stream_core(path, copts, formula, dopts, opts, chunk_rows, hook, hook_ctx, NULL, NULL, out, err);
}

/* The streamed fit; with stats, its statistics too (at: the residual pass
 * at at's coefficients, and no fit: out is NULL then). */
static attrib_status ols_stream_core(const char *path, const attrib_csv_options *copts, const attrib_formula *formula,
                                     const attrib_design_options *dopts, const attrib_ols_options *opts,
                                     size_t chunk_rows, attrib__stream_hook hook, void *hook_ctx,
                                     const attrib_ols_stats *at, attrib_ols_stats **stats, attrib_ols_result **out,
                                     attrib_error *err) {
  if (out) *out = NULL;
  attrib_ols_options odef;
  attrib_design_options ddef;
  if (!opts) {
    attrib_ols_options_init(&odef);
    opts = &odef;
  }
  if (!dopts) {
    attrib_design_options_init(&ddef);
    dopts = &ddef;
  }
  sfit s;
  sfit_init(&s, path, opts, dopts, err);
  attrib_ols_result *r = NULL;
  attrib__ls ls;
  memset(&ls, 0, sizeof ls);
  double *Vr = NULL;
  const char **cols = NULL;
  attrib_status st = ATTRIB_OK;
  s.f = formula;
  s.hook = hook;
  s.hook_ctx = hook_ctx;
  size_t n_cl = 0;
  while (dopts->cluster && dopts->cluster[n_cl]) n_cl++;
  /* what needs the rows in memory, refused before the file is read */
  if (s.f->n_fe) {
    st = needs_memory(path, copts, "ols.stream", "absorbing fixed effects ('| fe': demeaning sweeps every row many times)", err);
    goto done;
  }
  if (n_cl > 1) {
    st = two_way_needs_memory(path, copts, err);
    goto done;
  }
  if (opts->keep_residuals) {
    st = needs_memory(path, copts, "ols.keep_residuals", "keeping residuals (one per row)", err);
    goto done;
  }
  if ((st = attrib__check_level(opts->level, "ols.level", err))) goto done;
  if (!(opts->collinearity_tol > 0.0 && opts->collinearity_tol < 1.0)) {
    st = attrib__fail(err, ATTRIB_EINVAL, "collinearity tolerance must be in (0, 1) (got %g)", opts->collinearity_tol);
    goto done;
  }
  if ((st = attrib__check_vcov_clusters(opts->vcov, n_cl, err))) goto done;
  if ((st = stream_open_levels(&s, copts, chunk_rows, &cols))) goto done;
  if ((st = pass_r(&s))) goto done;
  if (s.n == 0) {
    st = no_rows_left(&s);
    goto done;
  }
  {
    double yy[2] = {s.ymin, s.ymax};
    if ((st = attrib__check_outcome(path, s.f->response, yy, NULL, 2, 0, err))) goto done;
  }
  attrib_design *d0 = s.d0;
  size_t k = s.k, n = s.n;
  if (k == 0) {
    st = attrib__fail(err, ATTRIB_EDESIGN, "the model has no coefficient to estimate");
    goto done;
  }
  if (!(r = attrib__calloc(1, sizeof *r))) {
    st = oom(&s);
    goto done;
  }
  r->streamed = 1;
  r->effect_index = -1;
  r->level = opts->level;
  r->vcov_type = opts->vcov;
  r->n_input = s.n_input;
  r->n_dropped_missing = s.n_missing;
  r->n_dropped_weight = s.n_weight;
  r->n_obs = n;
  r->fe_converged = 1;
  r->r_squared_within = NAN;
  if (!(r->response = attrib__strdup(s.f->response))) {
    st = oom(&s);
    goto done;
  }
  if ((st = attrib__ls_from_r(s.R, s.norm2, k, opts->collinearity_tol, &ls, err))) goto done;
  r->method = ls.method;
  r->rank = ls.r;
  if (ls.r == 0) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "no coefficient can be estimated: every term is constant or collinear");
    goto done;
  }
  r->df_resid = (double)n - (double)ls.r;
  if (!(r->df_resid > 0.0)) {
    st = k > ls.r ? attrib__fail(err, ATTRIB_EDESIGN,
                                 "no residual degrees of freedom: %zu rows for %zu coefficients (%zu collinear with the rest)",
                                 n, k, k - ls.r)
                  : attrib__fail(err, ATTRIB_EDESIGN, "no residual degrees of freedom: %zu rows for %zu coefficients", n, k);
    goto done;
  }
  r->rss = ls.rss;
  r->sigma = sqrt(r->rss / r->df_resid);
  if (stats && (st = stream_stats(&s, &ls, at, stats))) goto done;
  if (at) { /* a part's residual pass at the merged coefficients: no fit */
    st = stream_meat_at(&s, &ls, *stats);
    goto done;
  }
  if (!(Vr = attrib__malloc(ls.r * ls.r, sizeof *Vr))) {
    st = oom(&s);
    goto done;
  }
  if ((st = ols_stream_vcov(&s, &ls, opts, dopts, r, Vr, stats && (*stats)->meat ? (*stats)->meat : NULL,
                            stats ? &(*stats)->clusters : NULL)))
    goto done;
  /* fit statistics (as summary.lm) */
  r->tss = d0->intercept ? s.m2 : s.sy2;
  r->r_squared = r->tss > 0.0 ? 1.0 - r->rss / r->tss : NAN;
  r->adj_r_squared = 1.0 - (1.0 - r->r_squared) * ((double)n - (d0->intercept ? 1.0 : 0.0)) / r->df_resid;
  if ((st = attrib__ols_finish(d0, opts, &ls, Vr, r, err))) goto done;
  *out = r;
  r = NULL;
done:
  if (st && stats) {
    attrib_ols_stats_free(*stats);
    *stats = NULL;
  }
  attrib_ols_result_free(r);
  attrib__ls_free(&ls);
  attrib__free(Vr);
  attrib__free(cols);
  sfit_free(&s);
  return st;
}

/* ------------------------------------------------------------ logit and probit */

/*
 * attrib_logit_fit_stream (logit.h): the passes of ols_stream.c's OLS with
 * IRLS on top. The start pass merges the R of [sqrt(W) X, sqrt(W) z] at
 * R's glm start (mu = (y + 1/2) / 2), which names the aliased columns and
 * gives the first coefficients; each Newton step is one pass that
 * accumulates the information G = X' W X, the score g = X' u and the
 * deviance at the current coefficients, with logit.c's link (attrib__link_eval);
 * step halving and the convergence test are logit.c's.
 */
typedef struct lfit {
  sfit *s;
  const attrib_logit_options *lo;
  attrib__ls ls;       /* the start: kept columns */
  size_t rk;
  double *beta, *beta_old, *delta, *G, *g, *scale;
  double *buf, *eta, *sw, *ub, *sbuf;
  size_t extreme;      /* rows with fitted probability 0 or 1 (last pass) */
  double *m1, *m2;     /* kept columns' sums and sums of squares (last pass) */
  size_t ones;
  double sw0, sy0;
} lfit;

/* The start pass: the outcome checked (0/1, both present), the glm start's
 * R merged, the counts. */
static attrib_status lpass_start(lfit *L) {
  sfit *s = L->s;
  const char *yname = s->f->response;
  attrib_status st = attrib_csv_stream_rewind(s->st, s->err);
  double *z = NULL, *W = NULL;
  size_t zcap = 0;
  while (st == ATTRIB_OK) {
    const attrib_table *t;
    attrib_design *d = NULL;
    if ((st = attrib_csv_stream_next(s->st, &t, s->err)) || !t) break;
    s->n_input += t->n_rows;
    if ((st = chunk_design(s, t, s->lv, &d)) || !d) continue;
    s->n_missing += d->n_dropped_missing;
    s->n_weight += d->n_dropped_weight;
    for (size_t i = 0; i < d->n && st == ATTRIB_OK; i++) {
      if (d->y[i] != 0.0 && d->y[i] != 1.0)
        st = attrib__fail(s->err, ATTRIB_ETYPE, "the outcome '%s' of a binary model must be 0 or 1, but row %zu holds %g",
                          yname, t->row_offset + d->rows[i] + 1, d->y[i]);
      L->ones += d->y[i] == 1.0;
      double wi = d->w ? d->w[i] : 1.0;
      L->sw0 += wi;
      L->sy0 += wi * d->y[i];
    }
    if (st == ATTRIB_OK && !s->d0) {
      attrib_logit_options lo = *L->lo;
      lo.keep_fitted = 0;
      if ((st = attrib_logit_check(d, &lo, s->err)) == ATTRIB_OK) {
        if (!r_alloc(s, d->k)) st = oom(s);
        s->d0 = d;
      }
    }
    if (st == ATTRIB_OK && d->n > zcap) {
      attrib__free(z);
      attrib__free(W);
      zcap = d->n;
      z = attrib__malloc(zcap, sizeof *z);
      W = attrib__malloc(zcap, sizeof *W);
      if (!z || !W) st = oom(s);
    }
    for (size_t i = 0; st == ATTRIB_OK && i < d->n; i++) { /* logit_qr_start's weights and working outcome */
      double mm = (d->y[i] + 0.5) / 2.0, me, var = mm * (1.0 - mm), eta0;
      if (L->lo->link == ATTRIB_LINK_LOGIT) {
        eta0 = log(mm / (1.0 - mm));
        me = var;
      } else {
        eta0 = gsl_cdf_ugaussian_Pinv(mm);
        me = exp(-0.5 * eta0 * eta0) / sqrt(2.0 * M_PI);
      }
      W[i] = (d->w ? d->w[i] : 1.0) * me * me / var;
      z[i] = eta0 + (d->y[i] - mm) / me;
    }
    if (st == ATTRIB_OK) {
      attrib__xsrc src = attrib__design_xsrc(d);
      st = attrib__tsqr(&src, z, W, s->Rc, s->n2c, NULL, s->err);
      if (st == ATTRIB_OK) st = merge_r(s);
    }
    s->n += d->n;
    if (d != s->d0) attrib_design_free(d);
  }
  attrib__free(z);
  attrib__free(W);
  return st;
}

/* Row i's IRLS weight *W and working score *u at eta (logit.c's link,
 * attrib__link_eval; the variance kept above DBL_EPSILON), and its deviance
 * term *di (unweighted). */
static void link_row(const lfit *L, double eta, double y, double wi, double *W, double *u, double *di) {
  double mu, me;
  attrib__link_eval(L->lo->link, eta, y, &mu, &me, di);
  double var = fmax(mu * (1.0 - mu), DBL_EPSILON);
  *W = wi * me * me / var;
  *u = wi * (y - mu) * me / var;
}

/* One pass at L->beta: G, g and the deviance (logit.c's pass_chunk), and
 * the separation check's counts. */
static attrib_status lpass_newton(lfit *L, double *dev_out) {
  sfit *s = L->s;
  size_t rk = L->rk, B = ATTRIB__BLOCK_ROWS;
  const size_t *cols = L->ls.cols;
  double thresh = attrib__link_thresh(L->lo->link), dev = 0.0;
  memset(L->G, 0, rk * rk * sizeof *L->G);
  memset(L->g, 0, rk * sizeof *L->g);
  memset(L->m1, 0, rk * sizeof *L->m1);
  memset(L->m2, 0, rk * sizeof *L->m2);
  L->extreme = 0;
  attrib_status st = attrib_csv_stream_rewind(s->st, s->err);
  while (st == ATTRIB_OK) {
    const attrib_table *t;
    attrib_design *d = NULL;
    if ((st = next_design(s, &t, &d)) || !t) break;
    if (!d) continue;
    attrib__xsrc src = attrib__design_xsrc(d);
    for (size_t r0 = 0; r0 < d->n; r0 += B) {
      size_t p = d->n - r0 < B ? d->n - r0 : B, ld;
      const double *blk = attrib__xsrc_block(&src, r0, p, L->buf, &ld);
      attrib__xb(p, rk, blk, ld, cols, L->beta, L->eta);
      for (size_t i = 0; i < p; i++) {
        double Wi, di, wi = d->w ? d->w[r0 + i] : 1.0;
        link_row(L, L->eta[i], d->y[r0 + i], wi, &Wi, &L->ub[i], &di);
        L->sw[i] = sqrt(Wi);
        dev += wi * di;
        L->extreme += fabs(L->eta[i]) >= thresh;
      }
      for (size_t q = 0; q < rk; q++) {
        const double *x = blk + cols[q] * ld;
        double s1 = 0.0, s2 = 0.0, gq = 0.0;
        for (size_t i = 0; i < p; i++) {
          L->sbuf[q * p + i] = L->sw[i] * x[i];
          s1 += x[i];
          s2 += x[i] * x[i];
          gq += x[i] * L->ub[i];
        }
        L->m1[q] += s1;
        L->m2[q] += s2;
        L->g[q] += gq;
      }
      cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)rk, (int)p, 1.0, L->sbuf, (int)p, 1.0, L->G, (int)rk);
    }
    attrib_design_free(d);
  }
  *dev_out = dev;
  return st;
}

/* The sandwich's meat at the estimate: sum u_i^2 x_i x_i' (HC) or the
 * cluster sums of u_i x_i; *G clusters. */
static attrib_status lpass_meat(lfit *L, double *M, double **Sout, size_t *G) {
  sfit *s = L->s;
  size_t rk = L->rk, B = ATTRIB__BLOCK_ROWS, Gcap = 0;
  const size_t *cols = L->ls.cols;
  int cluster = L->lo->vcov == ATTRIB_VCOV_CLUSTER;
  long ccol = cluster ? attrib_table_column_find(attrib_csv_stream_schema(s->st), s->dopts->cluster[0]) : -1;
  keymap km = {0};
  double *S = NULL;
  memset(M, 0, rk * rk * sizeof *M);
  attrib_status st = attrib_csv_stream_rewind(s->st, s->err);
  while (st == ATTRIB_OK) {
    const attrib_table *t;
    attrib_design *d = NULL;
    if ((st = next_design(s, &t, &d)) || !t) break;
    if (!d) continue;
    attrib__xsrc src = attrib__design_xsrc(d);
    for (size_t r0 = 0; r0 < d->n && st == ATTRIB_OK; r0 += B) {
      size_t p = d->n - r0 < B ? d->n - r0 : B, ld;
      const double *blk = attrib__xsrc_block(&src, r0, p, L->buf, &ld);
      attrib__xb(p, rk, blk, ld, cols, L->beta, L->eta);
      for (size_t i = 0; i < p; i++) {
        double Wi, ui, di;
        link_row(L, L->eta[i], d->y[r0 + i], d->w ? d->w[r0 + i] : 1.0, &Wi, &ui, &di);
        /* vcov.c's weights and residuals: (W e)^2 with e = u / W, as logit_vcov passes them */
        double e = Wi > 0.0 ? ui / Wi : 0.0;
        L->ub[i] = Wi * e;
      }
      if (!cluster) {
        for (size_t q = 0; q < rk; q++)
          for (size_t i = 0; i < p; i++) L->sbuf[q * p + i] = fabs(L->ub[i]) * blk[cols[q] * ld + i];
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)rk, (int)p, 1.0, L->sbuf, (int)p, 1.0, M, (int)rk);
        continue;
      }
      const attrib_column *cc = &t->cols[ccol];
      for (size_t i = 0; i < p; i++) {
        double *sg;
        if ((st = cluster_sum(s, &km, cc, d->rows[r0 + i], rk, &S, &Gcap, &sg))) break;
        for (size_t q = 0; q < rk; q++) sg[q] += L->ub[i] * blk[cols[q] * ld + i];
      }
    }
    attrib_design_free(d);
  }
  *G = km.n;
  if (st == ATTRIB_OK && cluster && *G)
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, (int)rk, (int)*G, 1.0, S, (int)rk, 0.0, M, (int)rk);
  if (st == ATTRIB_OK) attrib__symmetrize(M, rk);
  keymap_free(&km);
  *Sout = S;
  return st;
}

/* Newton (Fisher scoring) from the start, as logit_newton: one pass per
 * step, step halving, logit.c's convergence test; then the separation
 * check (logit_separation). *dev: the deviance at the estimate. */
static attrib_status lpass_cb(void *ctx, double *dev) { return lpass_newton(ctx, dev); }

static attrib_status lstream_newton(lfit *L, attrib_logit_result *r, double *dev) {
  sfit *s = L->s;
  const attrib_logit_options *opts = L->lo;
  size_t rk = L->rk;
  attrib_status st = ATTRIB_OK;
  attrib__newton nw = {L, lpass_cb, rk, opts->max_iter, opts->tol, L->beta, L->beta_old, L->delta, L->G, L->g, L->scale};
  if ((st = attrib__newton_run(&nw, dev, &r->iterations, &r->converged, s->err))) return st;
  return attrib__separation_verdict(s->f->response, (double)L->extreme, L->m1, L->m2, L->beta, (double)s->n, rk,
                                    (const char *const *)s->d0->names, L->ls.cols, s->err);
}

/* The covariance of the kept coefficients into Vr: the inverse information
 * at the estimate (logit_bread), and for hc0, hc1 and cluster the
 * sandwich with the meat pass. */
static attrib_status lstream_vcov(lfit *L, const attrib_design_options *dopts, attrib_logit_result *r, double *Vr) {
  sfit *s = L->s;
  const attrib_logit_options *opts = L->lo;
  size_t rk = L->rk;
  double *bread = attrib__malloc(rk * rk, sizeof *bread), *M = attrib__malloc(rk * rk, sizeof *M), *S = NULL;
  attrib_status st = ATTRIB_OK;
  /* covariance: the inverse information at the estimate (logit_bread) */
  if (!bread || !M) {
    st = oom(s);
    goto out;
  }
  memcpy(bread, L->G, rk * rk * sizeof *bread);
  if (LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)rk, bread, (lapack_int)rk) != 0) {
    st = attrib__fail(s->err, ATTRIB_ENUMERIC, "logit: the information matrix is singular at the estimate");
    goto out;
  }
  attrib__symmetrize(bread, rk);
  for (size_t a = 0; a < rk; a++)
    for (size_t b = 0; b < rk; b++) bread[b * rk + a] *= L->scale[a] * L->scale[b];
  if (opts->vcov == ATTRIB_VCOV_IID) {
    memcpy(Vr, bread, rk * rk * sizeof *Vr);
  } else {
    size_t G = 0;
    if ((st = lpass_meat(L, M, &S, &G))) goto out;
    if (opts->vcov == ATTRIB_VCOV_CLUSTER) {
      if ((st = cluster_facts(s, dopts->cluster[0], G, &r->n_cluster_dims, &r->cluster_names, &r->n_clusters))) goto out;
      if (G < 2) {
        st = attrib__fail(s->err, ATTRIB_EDESIGN, "one cluster in '%s': cluster-robust standard errors need at least two",
                          dopts->cluster[0]);
        goto out;
      }
    }
    double scale = attrib__sandwich_scale(opts->vcov, (double)s->n, (double)G, (double)rk);
    if ((st = sandwich(s, bread, M, rk, scale, Vr))) goto out;
  }
out:
  attrib__free(bread);
  attrib__free(M);
  attrib__free(S);
  return st;
}

/* The table over all columns (NaN where aliased), the likelihood and fit
 * statistics, the effect and the warnings (logit_results). */
static attrib_status lstream_table(lfit *L, double dev, const double *Vr, attrib_logit_result *r) {
  sfit *s = L->s;
  const attrib_logit_options *opts = L->lo;
  size_t rk = L->rk, k = s->k;
  attrib_status st = ATTRIB_OK;
  /* the table and the fit statistics (logit_results) */
  const attrib_design *d0 = s->d0;
  if (attrib__coef_alloc(&r->coef, k) != ATTRIB_OK || !(r->vcov = attrib__malloc(k * k, sizeof *r->vcov))) {
    st = oom(s);
    return st;
  }
  for (size_t q = 0; q < k * k; q++) r->vcov[q] = NAN;
  for (size_t j = 0; j < k; j++) {
    if (!(r->coef.term[j] = attrib__strdup(d0->names[j]))) {
      st = oom(s);
      return st;
    }
    r->coef.aliased[j] = L->ls.aliased[j];
    if (L->ls.aliased[j] && attrib__strlist_push(&r->aliased_names, &r->n_aliased, d0->names[j])) {
      st = oom(s);
      return st;
    }
  }
  for (size_t a = 0; a < rk; a++) {
    size_t ca = L->ls.cols[a];
    r->coef.estimate[ca] = L->beta[a];
    r->coef.std_error[ca] = sqrt(Vr[a * rk + a]);
    for (size_t b = 0; b < rk; b++) r->vcov[L->ls.cols[b] * k + ca] = Vr[b * rk + a];
  }
  attrib__coef_infer(&r->coef, INFINITY, opts->level);
  r->rank = rk;
  if (opts->treat) {
    for (size_t j = 0; j < k; j++)
      if (strcmp(r->coef.term[j], opts->treat) == 0) r->effect_index = (long)j;
    if (r->effect_index < 0) {
      st = attrib__fail(s->err, ATTRIB_EDESIGN, "the treatment '%s' is not a coefficient of the model", opts->treat);
      return st;
    }
    if (L->ls.aliased[r->effect_index]) {
      st = attrib__fail(s->err, ATTRIB_ECOLLINEAR, "the treatment '%s' was dropped as constant or collinear", opts->treat);
      return st;
    }
    if (!(r->effect.term = attrib__strdup(opts->treat))) {
      st = oom(s);
      return st;
    }
    attrib__effect_from(&r->effect, &r->coef, (size_t)r->effect_index);
  }
  if (attrib__logit_ooc_stats(r, opts, dev, L->sw0, L->sy0, (double)s->n, rk, d0->intercept)) return oom(s);
  return ATTRIB_OK;
}

attrib_status attrib_logit_fit_stream(const char *path, const attrib_csv_options *copts, const char *formula,
                                      const attrib_design_options *dopts, const attrib_logit_options *opts,
                                      size_t chunk_rows, attrib_logit_result **out, attrib_error *err) {
  if (!path || !formula || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_logit_fit_stream: NULL argument");
  *out = NULL;
  attrib_logit_options odef;
  attrib_design_options ddef;
  if (!opts) {
    attrib_logit_options_init(&odef);
    opts = &odef;
  }
  if (!dopts) {
    attrib_design_options_init(&ddef);
    dopts = &ddef;
  }
  attrib_ols_options oo; /* the shared passes read threads from it */
  attrib_ols_options_init(&oo);
  oo.threads = opts->threads;
  sfit s;
  sfit_init(&s, path, &oo, dopts, err);
  lfit L;
  memset(&L, 0, sizeof L);
  L.s = &s;
  L.lo = opts;
  attrib_logit_result *r = NULL;
  attrib_formula *f = NULL;
  const char **cols = NULL;
  double *Vr = NULL;
  attrib_status st = attrib_formula_parse(formula, &f, err);
  if (st) return st;
  s.f = f;
  size_t n_cl = 0;
  while (dopts->cluster && dopts->cluster[n_cl]) n_cl++;
  if (opts->keep_fitted) {
    st = needs_memory(path, copts, "logit.keep_fitted", "keeping fitted values (one per row)", err);
    goto done;
  }
  if (n_cl > 1) {
    st = two_way_needs_memory(path, copts, err);
    goto done;
  }
  if (f->n_fe) {
    st = attrib__fail(err, ATTRIB_EINVAL, "fixed effects after '|' are not supported by logit: write them as factor() terms");
    goto done;
  }
  if ((st = stream_open_levels(&s, copts, chunk_rows, &cols))) goto done;
  if ((st = lpass_start(&L))) goto done;
  if (s.n == 0) {
    st = no_rows_left(&s);
    goto done;
  }
  if (L.ones == 0 || L.ones == s.n) {
    st = attrib__fail(err, ATTRIB_EDESIGN, "the outcome '%s' is %d in every row used: there is nothing to model",
                      f->response, L.ones ? 1 : 0);
    goto done;
  }
  size_t k = s.k, n = s.n;
  if (k == 0) {
    st = attrib__fail(err, ATTRIB_EDESIGN, "the model has no term");
    goto done;
  }
  if ((st = attrib__ls_from_r(s.R, s.norm2, k, opts->collinearity_tol, &L.ls, err))) goto done;
  size_t rk = L.rk = L.ls.r;
  if (rk == 0) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "no coefficient can be estimated: every term is constant or collinear");
    goto done;
  }
  size_t B = ATTRIB__BLOCK_ROWS;
  L.beta = attrib__malloc(rk, sizeof *L.beta);
  L.beta_old = attrib__malloc(rk, sizeof *L.beta_old);
  L.delta = attrib__malloc(rk, sizeof *L.delta);
  L.G = attrib__malloc(rk * rk, sizeof *L.G);
  L.g = attrib__malloc(rk, sizeof *L.g);
  L.scale = attrib__malloc(rk, sizeof *L.scale);
  L.m1 = attrib__malloc(rk, sizeof *L.m1);
  L.m2 = attrib__malloc(rk, sizeof *L.m2);
  L.buf = attrib__malloc(B * k, sizeof *L.buf);
  L.sbuf = attrib__malloc(B * rk, sizeof *L.sbuf);
  L.eta = attrib__malloc(B, sizeof *L.eta);
  L.sw = attrib__malloc(B, sizeof *L.sw);
  L.ub = attrib__malloc(B, sizeof *L.ub);
  if (!(r = attrib__calloc(1, sizeof *r)) || !L.beta || !L.beta_old || !L.delta || !L.G || !L.g || !L.scale || !L.m1 ||
      !L.m2 || !L.buf || !L.sbuf || !L.eta || !L.sw || !L.ub) {
    st = oom(&s);
    goto done;
  }
  memcpy(L.beta, L.ls.beta, rk * sizeof *L.beta);
  r->streamed = 1;
  r->effect_index = -1;
  r->level = opts->level;
  r->link = opts->link;
  r->vcov_type = opts->vcov;
  r->n_obs = n;
  r->n_input = s.n_input;
  r->n_dropped_missing = s.n_missing;
  r->n_dropped_weight = s.n_weight;
  if (!(r->response = attrib__strdup(f->response))) {
    st = oom(&s);
    goto done;
  }
  double dev;
  if ((st = lstream_newton(&L, r, &dev))) goto done;
  if (!(Vr = attrib__malloc(rk * rk, sizeof *Vr))) {
    st = oom(&s);
    goto done;
  }
  if ((st = lstream_vcov(&L, dopts, r, Vr))) goto done;
  if ((st = lstream_table(&L, dev, Vr, r))) goto done;
  *out = r;
  r = NULL;
done:
  attrib_logit_result_free(r);
  attrib__ls_free(&L.ls);
  attrib__free(L.beta), attrib__free(L.beta_old), attrib__free(L.delta), attrib__free(L.G), attrib__free(L.g);
  attrib__free(L.scale), attrib__free(L.m1), attrib__free(L.m2), attrib__free(L.buf), attrib__free(L.sbuf);
  attrib__free(L.eta), attrib__free(L.sw), attrib__free(L.ub);
  attrib__free(Vr);
  attrib__free(cols);
  sfit_free(&s);
  attrib_formula_free(f);
  return st;
}
