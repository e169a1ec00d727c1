#include <math.h>
#include <stdio.h>
#include <string.h>

#include <attrib/table.h>
#include "data/data_internal.h"

void attrib_table_free(attrib_table *t) {
  if (!t) return;
  for (size_t j = 0; j < t->n_cols; j++) {
    attrib_column *c = &t->cols[j];
    attrib__free(c->name);
    attrib__free(c->first_text);
    for (size_t k = 0; k < c->n_text_samples; k++) attrib__free(c->text_samples[k]);
    attrib__free_large(c->values, c->values_bytes_);
    attrib__free_large(c->codes, c->codes_bytes_);
    attrib__free(c->missing);
    attrib__free(c->levels); /* the strings live in the arena */
  }
  attrib__free(t->cols);
  attrib__free(t->dropped);
  attrib__free(t->source);
  attrib__arena_free(t->arena_);
  attrib__free(t->arena_);
  attrib__free(t);
}

long attrib_table_column_find(const attrib_table *t, const char *name) {
  for (size_t j = 0; j < t->n_cols; j++)
    if (strcmp(t->cols[j].name, name) == 0) return (long)j;
  return -1;
}

attrib_status attrib_table_column_require(const attrib_table *t, const char *name, const char *what,
                                          size_t *index, attrib_error *err) {
  long j = attrib_table_column_find(t, name);
  if (j >= 0) {
    if (index) *index = (size_t)j;
    return ATTRIB_OK;
  }
  const char *best = NULL;
  size_t bestd = (size_t)-1;
  for (size_t i = 0; i < t->n_cols; i++) {
    size_t d = attrib__edit_distance(name, t->cols[i].name);
    if (d < bestd) bestd = d, best = t->cols[i].name;
  }
  const char *w = what ? what : "column";
  /* the names as a person can read them: control bytes as \xNN (a name
   * from a formula's backquotes or a flag can hold any byte), a very long
   * one elided in the middle */
  attrib__sbuf a = {0}, b = {0};
  attrib__sbuf_add_escaped(&a, name, strlen(name), 200);
  if (best) attrib__sbuf_add_escaped(&b, best, strlen(best), 200);
  attrib_status s;
  if (a.failed || b.failed) s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  else if (best && bestd <= 2 + strlen(name) / 4)
    s = attrib__fail(err, ATTRIB_ENOCOL, "%s: no column '%s' (%s); did you mean '%s'?", t->source, a.s ? a.s : "", w,
                     b.s ? b.s : "");
  else s = attrib__fail(err, ATTRIB_ENOCOL, "%s: no column '%s' (%s)", t->source, a.s ? a.s : "", w);
  attrib__sbuf_free(&a);
  attrib__sbuf_free(&b);
  return s;
}

int attrib_column_is_missing(const attrib_column *c, size_t i) {
  if (c->type == ATTRIB_COLUMN_CATEGORICAL) return c->codes[i] < 0;
  return c->missing && (c->missing[i >> 6] >> (i & 63)) & 1;
}

int attrib_column_near_numeric(const attrib_column *c) {
  return c && c->type == ATTRIB_COLUMN_CATEGORICAL && c->n_text_cells > 0 && c->n_number_cells > c->n_text_cells;
}

void attrib__near_numeric_describe(attrib__sbuf *b, const attrib_column *c) {
  size_t cells = c->n_number_cells + c->n_text_cells;
  /* rounded down to 0.1%: one text cell in a million is 99.9%, never 100% */
  double pct = cells ? floor(1000.0 * (double)c->n_number_cells / (double)cells) / 10.0 : 0.0;
  attrib__sbuf_add(b, "column '", 8);
  attrib__sbuf_add_escaped(b, c->name, strlen(c->name), ATTRIB__NAME_SHOWN);
  attrib__sbuf_addf(b, "' is %.1f%% numeric; not numbers:", pct);
  for (size_t k = 0; k < c->n_text_samples; k++) {
    attrib__sbuf_add(b, k ? ", '" : " '", k ? 3 : 2);
    attrib__sbuf_add_escaped(b, c->text_samples[k], strlen(c->text_samples[k]), 0);
    attrib__sbuf_addf(b, "' (line %zu)", c->text_sample_lines[k]);
  }
  if (c->n_text_cells > c->n_text_samples)
    attrib__sbuf_addf(b, " and %zu more cell%s", c->n_text_cells - c->n_text_samples,
                      c->n_text_cells - c->n_text_samples == 1 ? "" : "s");
}

char *attrib_column_near_numeric_text(const attrib_column *c, char *buf, size_t cap) {
  if (!buf || cap == 0) return buf;
  buf[0] = '\0';
  if (!c) return buf;
  attrib__sbuf b = {0};
  attrib__near_numeric_describe(&b, c);
  if (b.failed || !b.s) {
    snprintf(buf, cap, "column is near-numeric (no memory to describe it)");
  } else if (b.len < cap) {
    memcpy(buf, b.s, b.len + 1);
  } else { /* cut visibly, at a character's start */
    size_t m = cap > 4 ? cap - 4 : 0;
    while (m > 0 && ((unsigned char)b.s[m] & 0xC0) == 0x80) m--;
    memcpy(buf, b.s, m);
    snprintf(buf + m, cap - m, "...");
  }
  attrib__sbuf_free(&b);
  return buf;
}

attrib_status attrib__check_outcome(const char *source, const char *name, const double *y, const size_t *rows,
                                    size_t n, int allow_constant, attrib_error *err) {
  double lo = INFINITY, hi = -INFINITY;
  size_t used = 0;
  for (size_t i = 0; i < n; i++) {
    double v = y[rows ? rows[i] : i];
    if (isnan(v)) continue;
    used++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (used == 0) return ATTRIB_OK; /* the callers report rows left */
  /* squares of values beyond ~1.3e154 overflow: sums of squares, variances
   * and standard errors become inf and NaN */
  double big = fmax(fabs(lo), fabs(hi));
  if (big > ATTRIB__MAX_MAGNITUDE || isinf(big))
    return attrib__fail(err, ATTRIB_ENUMERIC,
                        "%s: the outcome '%s' reaches %.3g; its squares overflow double precision, "
                        "so no standard error can be computed: rescale it (e.g. divide by 1e%d)",
                        source ? source : "the data", name, big == lo ? lo : hi,
                        (int)floor(log10(big)) - 6);
  if (big > 0.0 && big < ATTRIB__MIN_MAGNITUDE)
    return attrib__fail(err, ATTRIB_ENUMERIC,
                        "%s: the outcome '%s' is at most %.3g in magnitude; its squares underflow double "
                        "precision, so no standard error can be computed: rescale it (e.g. multiply by 1e%d)",
                        source ? source : "the data", name, big, -(int)floor(log10(big)));
  if (!allow_constant && used > 1 && lo == hi)
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "%s: the outcome '%s' is constant (%.17g in all %zu rows used): there is no "
                        "variation to explain",
                        source ? source : "the data", name, lo, used);
  return ATTRIB_OK;
}

attrib_status attrib__require_not_near_numeric(const attrib_table *t, const attrib_column *c, const char *use,
                                               attrib_error *err) {
  if (!attrib_column_near_numeric(c)) return ATTRIB_OK;
  attrib__sbuf what = {0};
  attrib__near_numeric_describe(&what, c);
  int short_name = strlen(c->name) <= ATTRIB__NAME_SHOWN;
  attrib_status s = attrib__fail(err, ATTRIB_ETYPE,
                                 "%s: %s; %s needs numbers (write factor(%s) to use it as categorical, or fix those cells)",
                                 t && t->source ? t->source : "the data", what.s && !what.failed ? what.s : "a column is near-numeric",
                                 use, short_name ? c->name : "the column");
  attrib__sbuf_free(&what);
  return s;
}

attrib_status attrib__require_indicator(const attrib_table *t, const char *name, const char *role, size_t *index,
                                        attrib_error *err) {
  attrib__sbuf what = {0};
  attrib__sbuf_addf(&what, "the %s: expected a 0/1 column", role);
  size_t j = 0;
  attrib_status s = what.failed ? attrib__fail(err, ATTRIB_ENOMEM, "out of memory")
                                : attrib_table_column_require(t, name, what.s, &j, err);
  attrib__sbuf_free(&what);
  if (s) return s;
  if (index) *index = j;
  const attrib_column *c = &t->cols[j];
  if (c->type == ATTRIB_COLUMN_NUMERIC) return ATTRIB_OK;
  /* the first cell that is not a number, with its line: the one to fix */
  attrib__sbuf m = {0};
  attrib__sbuf_addf(&m, "%s: the %s '", t->source ? t->source : "the data", role);
  attrib__sbuf_add_escaped(&m, c->name, strlen(c->name), ATTRIB__NAME_SHOWN);
  if (c->first_text_line) {
    attrib__sbuf_addf(&m, "' must be a 0/1 column, but line %zu holds '", c->first_text_line);
    if (c->first_text) attrib__sbuf_add_escaped(&m, c->first_text, strlen(c->first_text), ATTRIB__NAME_SHOWN);
    attrib__sbuf_add(&m, "'", 1);
    size_t more = c->n_text_cells > 1 ? c->n_text_cells - 1 : 0;
    if (more) attrib__sbuf_addf(&m, " and %zu more cell%s hold%s text", more, more == 1 ? "" : "s", more == 1 ? "s" : "");
  } else {
    attrib__sbuf_add(&m, "' must be a 0/1 column, but it was read as categorical", 54);
  }
  s = m.failed || !m.s ? attrib__fail(err, ATTRIB_ENOMEM, "out of memory") : attrib__fail(err, ATTRIB_ETYPE, "%s", m.s);
  attrib__sbuf_free(&m);
  return s;
}
