/*
 * Table helpers for subgroup effects (by.h): binning a numeric column into
 * a grouping column, and a table of some rows (a group's own fit).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/by.h>
#include <attrib/table.h>
#include "core/attrib_internal.h"
#include "data/data_internal.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* R's quantile type 7 of sorted x[0..n) at probability p. */
static double quantile7(const double *x, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= n) return x[n - 1];
  return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* The bin of value v: the first cut at or above it ((c_{j-1}, c_j]). */
static size_t bin_of(double v, const double *cuts, size_t n_cuts) {
  size_t j = 0;
  while (j < n_cuts && v > cuts[j]) j++;
  return j;
}

/* Appends a categorical column to t: codes (owned by it afterwards) and
 * level strings copied into the table's arena. */
static attrib_status append_column(attrib_table *t, const char *name, int32_t *codes, char **labels, size_t L,
                                   size_t n_missing, attrib_error *err) {
  attrib_column *cols = attrib__realloc(t->cols, t->n_cols + 1, sizeof *cols);
  if (!cols) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  t->cols = cols;
  attrib_column *c = &cols[t->n_cols];
  memset(c, 0, sizeof *c);
  c->name = attrib__strdup(name);
  c->levels = attrib__malloc(L ? L : 1, sizeof *c->levels);
  if (!c->name || !c->levels) goto oom;
  for (size_t l = 0; l < L; l++)
    if (!(c->levels[l] = attrib__arena_strndup(t->arena_, labels[l], strlen(labels[l])))) goto oom;
  c->type = ATTRIB_COLUMN_CATEGORICAL;
  c->codes = codes;
  c->codes_bytes_ = t->n_rows * sizeof *codes;
  c->n_levels = L;
  c->n_missing = n_missing;
  t->n_cols++;
  return ATTRIB_OK;
oom:
  attrib__free(c->name);
  attrib__free(c->levels);
  return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
}

/* The cut points of `bins` equal-count bins: the inner quantiles, ties merged. */
static attrib_status quantile_cuts(const double *v, size_t n, size_t bins, double *cuts, size_t *n_cuts,
                                   attrib_error *err) {
  double *x = attrib__malloc(n ? n : 1, sizeof *x);
  if (!x) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(v[i])) x[m++] = v[i];
  qsort(x, m, sizeof *x, cmp_double);
  *n_cuts = 0;
  for (size_t j = 1; m && j < bins; j++) {
    double q = quantile7(x, m, (double)j / (double)bins);
    /* a cut at or above the largest value leaves an empty last bin */
    if (q >= x[m - 1]) break;
    if (*n_cuts == 0 || q > cuts[*n_cuts - 1]) cuts[(*n_cuts)++] = q;
  }
  attrib__free(x);
  return ATTRIB_OK;
}

attrib_status attrib_table_add_bins(attrib_table *t, const char *source, size_t bins, const double *cuts_in,
                                    size_t n_cuts_in, const char *name, attrib_error *err) {
  if (!t || !source || !name) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_add_bins: NULL argument");
  long sc = attrib_table_column_find(t, source);
  if (sc < 0) return attrib__fail(err, ATTRIB_ENOCOL, "no column '%s' to bin", source);
  const attrib_column *src = &t->cols[sc];
  if (src->type != ATTRIB_COLUMN_NUMERIC)
    return attrib__fail(err, ATTRIB_ETYPE, "column '%s' is text: bins need numbers (group a text column as it is)",
                        source);
  if (attrib_table_column_find(t, name) >= 0)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "by.column", "the table already has a column '%s'", name);
  if (!cuts_in && (bins < 2 || bins > ATTRIB_BY_MAX_LEVELS))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "by.bins", "bins must be 2 to %d, got %zu", ATTRIB_BY_MAX_LEVELS,
                               bins);
  if (cuts_in && (n_cuts_in < 1 || n_cuts_in >= ATTRIB_BY_MAX_LEVELS))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "by.cuts", "give 1 to %d cut points, got %zu",
                               ATTRIB_BY_MAX_LEVELS - 1, n_cuts_in);
  for (size_t j = 0; cuts_in && j < n_cuts_in; j++)
    if (!isfinite(cuts_in[j]) || (j && !(cuts_in[j] > cuts_in[j - 1])))
      return attrib__fail_option(err, ATTRIB_EUSAGE, "by.cuts", "cut points must be finite and ascending");
  size_t n = t->n_rows, nc = 0;
  double cuts[ATTRIB_BY_MAX_LEVELS];
  attrib_status s = ATTRIB_OK;
  if (cuts_in) {
    memcpy(cuts, cuts_in, n_cuts_in * sizeof *cuts);
    nc = n_cuts_in;
  } else if ((s = quantile_cuts(src->values, n, bins, cuts, &nc, err)) != ATTRIB_OK)
    return s;
  size_t L = nc + 1, n_missing = 0;
  int32_t *codes = attrib__alloc_large(n * sizeof *codes);
  double lo[ATTRIB_BY_MAX_LEVELS], hi[ATTRIB_BY_MAX_LEVELS];
  size_t cnt[ATTRIB_BY_MAX_LEVELS] = {0};
  if (!codes) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t j = 0; j < L; j++) lo[j] = INFINITY, hi[j] = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    double v = src->values[i];
    if (isnan(v)) {
      codes[i] = -1, n_missing++;
      continue;
    }
    size_t b = bin_of(v, cuts, nc);
    codes[i] = (int32_t)b, cnt[b]++;
    if (v < lo[b]) lo[b] = v;
    if (v > hi[b]) hi[b] = v;
  }
  /* empty bins (cut points outside the data) are left out: renumber */
  int32_t map[ATTRIB_BY_MAX_LEVELS];
  size_t used = 0;
  for (size_t j = 0; j < L; j++) map[j] = cnt[j] ? (int32_t)used++ : -1;
  if (used < 2) {
    attrib__free_large(codes, n * sizeof *codes);
    return attrib__fail(err, ATTRIB_EDESIGN, "column '%s' falls in fewer than 2 bins: nothing to compare", source);
  }
  for (size_t i = 0; i < n; i++)
    if (codes[i] >= 0) codes[i] = map[codes[i]];
  char *labels[ATTRIB_BY_MAX_LEVELS];
  char buf[ATTRIB_BY_MAX_LEVELS][96];
  int width = used >= 10 ? 2 : 1;
  for (size_t j = 0, u = 0; j < L; j++) {
    if (!cnt[j]) continue;
    snprintf(buf[u], sizeof buf[u], "%0*zu [%.6g, %.6g]", width, u + 1, lo[j], hi[j]);
    labels[u] = buf[u];
    u++;
  }
  s = append_column(t, name, codes, labels, used, n_missing, err);
  if (s != ATTRIB_OK) attrib__free_large(codes, n * sizeof *codes);
  return s;
}

/* ------------------------------------------------------------ subset */

static attrib_status copy_column(attrib_column *d, const attrib_column *c, const size_t *rows, size_t n,
                                 attrib__arena *arena) {
  d->name = attrib__strdup(c->name);
  if (!d->name) return ATTRIB_ENOMEM;
  d->type = c->type;
  d->is_boolean = c->is_boolean, d->bool_words = c->bool_words;
  if (c->type == ATTRIB_COLUMN_NUMERIC) {
    d->values_bytes_ = (n ? n : 1) * sizeof *d->values;
    if (!(d->values = attrib__alloc_large(d->values_bytes_))) return ATTRIB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
      double v = c->values[rows[i]];
      d->values[i] = v;
      if (!isnan(v)) continue;
      if (!d->missing && !(d->missing = attrib__calloc((n + 63) / 64, sizeof *d->missing))) return ATTRIB_ENOMEM;
      d->missing[i / 64] |= (uint64_t)1 << (i % 64);
      d->n_missing++;
    }
    return ATTRIB_OK;
  }
  d->codes_bytes_ = (n ? n : 1) * sizeof *d->codes;
  if (!(d->codes = attrib__alloc_large(d->codes_bytes_))) return ATTRIB_ENOMEM;
  d->levels = attrib__malloc(c->n_levels ? c->n_levels : 1, sizeof *d->levels);
  if (!d->levels) return ATTRIB_ENOMEM;
  d->n_levels = c->n_levels;
  for (size_t l = 0; l < c->n_levels; l++)
    if (!(d->levels[l] = attrib__arena_strndup(arena, c->levels[l], strlen(c->levels[l])))) return ATTRIB_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    d->codes[i] = c->codes[rows[i]];
    if (d->codes[i] < 0) d->n_missing++;
  }
  return ATTRIB_OK;
}

attrib_status attrib_table_subset(const attrib_table *t, const size_t *rows, size_t n, attrib_table **out,
                                  attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_subset: NULL argument");
  *out = NULL;
  if (!t || (!rows && n)) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_subset: NULL argument");
  for (size_t i = 0; i < n; i++)
    if (rows[i] >= t->n_rows) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_subset: row %zu out of range", rows[i]);
  attrib_table *s = attrib__calloc(1, sizeof *s);
  if (!s) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  s->n_rows = n;
  s->delim = t->delim;
  s->source = attrib__strdup(t->source ? t->source : "<subset>");
  s->arena_ = attrib__calloc(1, sizeof(attrib__arena));
  s->cols = attrib__calloc(t->n_cols ? t->n_cols : 1, sizeof *s->cols);
  attrib_status st = (s->source && s->arena_ && s->cols) ? ATTRIB_OK : ATTRIB_ENOMEM;
  for (size_t j = 0; st == ATTRIB_OK && j < t->n_cols; j++) {
    s->n_cols = j + 1; /* freed by attrib_table_free when a copy fails part way */
    st = copy_column(&s->cols[j], &t->cols[j], rows, n, s->arena_);
  }
  if (st != ATTRIB_OK) {
    if (s->arena_ && s->cols) attrib_table_free(s);
    else {
      attrib__free(s->source), attrib__free(s->arena_), attrib__free(s->cols), attrib__free(s);
    }
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  *out = s;
  return ATTRIB_OK;
}
