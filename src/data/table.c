#include <limits.h>
#include <math.h>
#include <stdlib.h>
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

int attrib__guess_number_format(const char *const *cells, const size_t *weights, size_t n, double min_share,
                                attrib__number_format *f, double *share) {
  /* the formats exports use, most common first */
  static const attrib__number_format cand[] = {
      {'.', ',', 0, 0}, {'.', ',', 1, 0}, {'.', 0, 0, 1}, {'.', 0, 1, 0}, {',', 0, 0, 0},
      {',', '.', 0, 0}, {',', '.', 1, 0}, {',', 0, 0, 1}, {'.', ',', 1, 1}, {'.', ' ', 0, 0},
  };
  size_t total = 0, plain = 0;
  for (size_t i = 0; i < n; i++) {
    double v;
    size_t w = weights ? weights[i] : 1;
    total += w;
    if (attrib__parse_double(cells[i], strlen(cells[i]), &v)) plain += w;
  }
  if (!total || plain == total) return 0;
  for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++) {
    size_t ok = 0;
    for (size_t i = 0; i < n; i++) {
      double v;
      if (attrib__parse_formatted(cells[i], strlen(cells[i]), &cand[k], &v)) ok += weights ? weights[i] : 1;
    }
    double sh = (double)ok / (double)total;
    if (ok > plain && sh >= min_share) {
      *f = cand[k];
      if (share) *share = sh;
      return 1;
    }
  }
  return 0;
}

void attrib__near_numeric_advice(attrib__sbuf *b, const attrib_column *c) {
  attrib__number_format f;
  if (attrib__guess_number_format((const char *const *)c->text_samples, NULL, c->n_text_samples, 1.0, &f, NULL)) {
    attrib__sbuf_addf(b, "read them as numbers with");
    if (f.decimal == ',') attrib__sbuf_addf(b, " csv.decimal ','");
    if (f.thousands) attrib__sbuf_addf(b, " csv.thousands '%c'", f.thousands);
    if (f.currency) attrib__sbuf_addf(b, " csv.currency");
    if (f.percent) attrib__sbuf_addf(b, " csv.percent");
    return;
  }
  attrib__sbuf_addf(b, "if they are missing-value codes, list them with csv.na");
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
  attrib__sbuf adv = {0};
  attrib__near_numeric_advice(&adv, c);
  attrib_status s = attrib__fail(err, ATTRIB_ETYPE,
                                 "%s: %s; %s needs numbers: %s (or write factor(%s) to use it as categorical)",
                                 t && t->source ? t->source : "the data", what.s && !what.failed ? what.s : "a column is near-numeric",
                                 use, adv.s && !adv.failed ? adv.s : "fix those cells", short_name ? c->name : "the column");
  attrib__sbuf_free(&adv);
  attrib__sbuf_free(&what);
  return s;
}

static void list_values(attrib__sbuf *b, const attrib_column *c, size_t n_rows, size_t most, const char *skip);

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
  if (c->n_levels >= 2 && c->n_levels <= 10) { /* a treatment exported as text: say how to name the treated one */
    static const char values_are[] = "; its values are ";
    attrib__sbuf_add(&m, values_are, sizeof values_are - 1);
    list_values(&m, c, t->n_rows, 10, NULL);
    static const char name_it[] = ": name the treated one (the treat_level option)";
    attrib__sbuf_add(&m, name_it, sizeof name_it - 1);
  }
  s = m.failed || !m.s ? attrib__fail(err, ATTRIB_ENOMEM, "out of memory") : attrib__fail(err, ATTRIB_ETYPE, "%s", m.s);
  attrib__sbuf_free(&m);
  return s;
}

/* The column's distinct values as text, for messages: "'a', 'b', 'c'" (at
 * most `most`, then "and N more"). */
static void list_values(attrib__sbuf *b, const attrib_column *c, size_t n_rows, size_t most, const char *skip) {
  size_t shown = 0, total = 0;
  if (c->type == ATTRIB_COLUMN_CATEGORICAL) {
    for (size_t l = 0; l < c->n_levels; l++) {
      if (skip && !strcmp(c->levels[l], skip)) continue;
      if (shown < most) {
        attrib__sbuf_add(b, shown ? ", '" : "'", shown ? 3 : 1);
        attrib__sbuf_add_escaped(b, c->levels[l], strlen(c->levels[l]), ATTRIB__NAME_SHOWN);
        attrib__sbuf_add(b, "'", 1);
        shown++;
      }
      total++;
    }
  } else { /* distinct numbers in row order, a few */
    double seen[8];
    size_t ns = 0;
    double sk = skip ? strtod(skip, NULL) : NAN;
    for (size_t i = 0; i < n_rows && ns < 8; i++) {
      double v = c->values[i];
      if (isnan(v) || v == sk) continue;
      size_t k = 0;
      while (k < ns && seen[k] != v) k++;
      if (k == ns) seen[ns++] = v;
    }
    for (size_t k = 0; k < ns && k < most; k++) attrib__sbuf_addf(b, "%s'%.15g'", k ? ", " : "", seen[k]), shown++;
    total = ns; /* at least */
    if (ns == 8) total = ns + 1;
  }
  if (total > shown) attrib__sbuf_addf(b, " and more");
}

/* Gives column c the numeric storage v (n values) and the missing bits
 * miss (freed when n_missing is 0), freeing what it held: the recodings of
 * a treatment and of dates end here. */
static void become_numeric(attrib_column *c, double *v, uint64_t *miss, size_t n_missing, size_t n) {
  attrib__free_large(c->values, c->values_bytes_);
  attrib__free_large(c->codes, c->codes_bytes_);
  attrib__free(c->missing);
  attrib__free(c->levels); /* the strings live in the table's arena */
  c->codes = NULL, c->levels = NULL, c->n_levels = 0, c->codes_bytes_ = 0;
  c->type = ATTRIB_COLUMN_NUMERIC;
  c->values = v;
  c->values_bytes_ = n * sizeof *v;
  if (n_missing) c->missing = miss;
  else {
    attrib__free(miss);
    c->missing = NULL;
  }
  c->n_missing = n_missing;
  c->is_boolean = 0, c->bool_words = 0;
  c->n_number_cells = c->n_text_cells = 0;
  for (size_t k = 0; k < c->n_text_samples; k++) attrib__free(c->text_samples[k]);
  c->n_text_samples = 0;
}

attrib_status attrib_table_binarize(attrib_table *t, const char *name, const char *level, attrib_binarize_info *info,
                                    attrib_error *err) {
  if (!t || !name || !level) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_binarize: NULL argument");
  size_t j = 0;
  ATTRIB__TRY(attrib_table_column_require(t, name, "the treatment", &j, err));
  attrib_column *c = &t->cols[j];
  size_t n = t->n_rows;
  long code = -1;
  double num = NAN;
  if (c->type == ATTRIB_COLUMN_CATEGORICAL) {
    for (size_t l = 0; l < c->n_levels && code < 0; l++)
      if (!strcmp(c->levels[l], level)) code = (long)l;
  } else {
    char *end;
    num = strtod(level, &end);
    if (end == level || *end) num = NAN;
    int found = 0;
    for (size_t i = 0; i < n && !found && !isnan(num); i++) found = c->values[i] == num;
    if (!found) num = NAN;
  }
  if (code < 0 && isnan(num)) {
    attrib__sbuf b = {0};
    list_values(&b, c, n, 10, NULL);
    attrib__sbuf q = {0};
    attrib__sbuf_add_escaped(&q, level, strlen(level), ATTRIB__NAME_SHOWN);
    attrib_status s = attrib__fail_option(err, ATTRIB_EINVAL, "treat_level",
                                          "%s: the treated level '%s' is not a value of '%s'; its values are %s",
                                          t->source ? t->source : "the data", q.s ? q.s : "", c->name,
                                          b.s ? b.s : "none");
    attrib__sbuf_free(&b);
    attrib__sbuf_free(&q);
    return s;
  }
  attrib_binarize_info in;
  memset(&in, 0, sizeof in);
  {
    attrib__sbuf b = {0};
    list_values(&b, c, n, 5, level);
    if (b.s) snprintf(in.others, sizeof in.others, "%s", b.s); /* a note; the list is already cut at 5 values */
    attrib__sbuf_free(&b);
  }
  size_t words = (n + 63) / 64;
  double *v = attrib__alloc_large(n * sizeof *v);
  uint64_t *miss = attrib__calloc(words ? words : 1, sizeof *miss);
  if ((n && !v) || !miss) {
    attrib__free_large(v, n * sizeof *v);
    attrib__free(miss);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    int missing = c->type == ATTRIB_COLUMN_CATEGORICAL ? c->codes[i] < 0 : isnan(c->values[i]);
    if (missing) {
      v[i] = NAN;
      miss[i >> 6] |= (uint64_t)1 << (i & 63);
      in.n_missing++;
      continue;
    }
    int one = c->type == ATTRIB_COLUMN_CATEGORICAL ? c->codes[i] == code : c->values[i] == num;
    v[i] = one ? 1.0 : 0.0;
    in.n_one += one, in.n_zero += !one;
  }
  if (c->type == ATTRIB_COLUMN_CATEGORICAL) in.n_other_values = c->n_levels - 1;
  if (!in.n_one || !in.n_zero) {
    attrib__free_large(v, n * sizeof *v);
    attrib__free(miss);
    return attrib__fail(err, ATTRIB_EDESIGN, "%s: every non-missing row of '%s' %s '%s': no %s rows",
                        t->source ? t->source : "the data", c->name, in.n_one ? "is" : "is not", level,
                        in.n_one ? "control" : "treated");
  }
  become_numeric(c, v, miss, in.n_missing, n);
  if (info) *info = in;
  return ATTRIB_OK;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Hinnant's
 * days_from_civil, http://howardhinnant.github.io/date_algorithms.html). */
static long days_from_civil(long y, long m, long d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int month_days(long y, long m) {
  static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : md[m - 1];
}

/* Splits "a<sep>b<sep>c" (digits only) into three numbers; returns the
 * separator, or 0 when s is not such a text. */
static char date_fields(const char *s, long f[3], int w[3]) {
  char sep = 0;
  int k = 0;
  long v = 0;
  int digits = 0;
  for (const char *p = s;; p++) {
    if (*p >= '0' && *p <= '9') {
      if (++digits > 4) return 0;
      v = 10 * v + (*p - '0');
      continue;
    }
    if (!digits) return 0;
    f[k] = v, w[k] = digits, k++;
    v = 0, digits = 0;
    if (*p == '\0') break;
    if (k == 3 || (*p != '-' && *p != '/' && *p != '.')) return 0;
    if (sep && *p != sep) return 0;
    sep = *p;
  }
  return k == 3 ? sep : 0;
}

enum { DATE_ISO, DATE_US, DATE_EU_SLASH, DATE_EU_DOT };

static int date_to_ymd(const char *s, int fmt, long *y, long *m, long *d) {
  long f[3];
  int w[3];
  char sep = date_fields(s, f, w);
  if (!sep) return 0;
  switch (fmt) {
  case DATE_ISO:
    if (sep == '.' || w[0] != 4) return 0;
    *y = f[0], *m = f[1], *d = f[2];
    break;
  case DATE_US:
  case DATE_EU_SLASH:
    if (sep != '/' || w[2] != 4) return 0;
    *y = f[2], *m = fmt == DATE_US ? f[0] : f[1], *d = fmt == DATE_US ? f[1] : f[0];
    break;
  default:
    if (sep != '.' || w[2] != 4) return 0;
    *y = f[2], *m = f[1], *d = f[0];
  }
  return *m >= 1 && *m <= 12 && *d >= 1 && *d <= month_days(*y, *m);
}

attrib_status attrib_table_dates_to_periods(attrib_table *t, const char *name, attrib_period by,
                                            attrib_dates_info *info, attrib_error *err) {
  if (!t || !name) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_dates_to_periods: NULL argument");
  size_t j = 0;
  ATTRIB__TRY(attrib_table_column_require(t, name, "the dates", &j, err));
  attrib_column *c = &t->cols[j];
  if (c->type != ATTRIB_COLUMN_CATEGORICAL)
    return attrib__fail(err, ATTRIB_ETYPE, "%s: '%s' holds numbers, not dates: they are used as periods as they are",
                        t->source ? t->source : "the data", c->name);
  /* the format, from the levels: ISO by its four-digit year first; slashes
   * are day first when a first field exceeds 12 */
  int fmt = -1, day_first = 0;
  for (size_t l = 0; l < c->n_levels; l++) {
    long f[3];
    int w[3];
    const char *s = c->levels[l];
    if (!strcmp(s, "0")) continue;
    char sep = date_fields(s, f, w);
    if (!sep) continue;
    int this = w[0] == 4 && sep != '.' ? DATE_ISO : sep == '.' ? DATE_EU_DOT : DATE_US;
    if (fmt < 0) fmt = this;
    if (this == DATE_US && f[0] > 12) day_first = 1;
  }
  if (fmt == DATE_US && day_first) fmt = DATE_EU_SLASH;
  static const char *const names[] = {"YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "DD.MM.YYYY"};
  long *per = attrib__malloc(c->n_levels ? c->n_levels : 1, sizeof *per);
  if (!per) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t l = 0; l < c->n_levels; l++) {
    long y, m, d;
    const char *s = c->levels[l];
    if (!strcmp(s, "0")) { /* a cohort's never-treated */
      per[l] = LONG_MIN;
      continue;
    }
    if (fmt < 0 || !date_to_ymd(s, fmt, &y, &m, &d)) {
      size_t line = 0;
      for (size_t i = 0; i < t->n_rows && !line; i++)
        if (c->codes[i] == (int32_t)l) line = i + 2; /* data row i is on line i + 2 after the header */
      attrib__sbuf q = {0};
      attrib__sbuf_add_escaped(&q, s, strlen(s), ATTRIB__NAME_SHOWN);
      attrib_status st =
          fmt < 0 ? attrib__fail(err, ATTRIB_ETYPE,
                                 "%s: '%s' in '%s' (data row %zu) is not a date: expected 2025-12-31, 12/31/2025, "
                                 "31/12/2025 or 31.12.2025",
                                 t->source ? t->source : "the data", q.s ? q.s : "", c->name, line ? line - 1 : 0)
                  : attrib__fail(err, ATTRIB_ETYPE,
                                 "%s: '%s' in '%s' (data row %zu) is not a date in the column's format, %s",
                                 t->source ? t->source : "the data", q.s ? q.s : "", c->name, line ? line - 1 : 0,
                                 names[fmt]);
      attrib__sbuf_free(&q);
      attrib__free(per);
      return st;
    }
    long days = days_from_civil(y, m, d);
    switch (by) {
    case ATTRIB_PERIOD_WEEK: per[l] = (days + 3 >= 0 ? (days + 3) / 7 : -((-(days + 3) + 6) / 7)); break;
    case ATTRIB_PERIOD_MONTH: per[l] = 12 * y + m - 1; break;
    case ATTRIB_PERIOD_QUARTER: per[l] = 4 * y + (m - 1) / 3; break;
    default: per[l] = days;
    }
  }
  size_t n = t->n_rows, words = (n + 63) / 64;
  double *v = attrib__alloc_large(n * sizeof *v);
  uint64_t *miss = attrib__calloc(words ? words : 1, sizeof *miss);
  if ((n && !v) || !miss) {
    attrib__free(per);
    attrib__free_large(v, n * sizeof *v);
    attrib__free(miss);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  attrib_dates_info in;
  memset(&in, 0, sizeof in);
  snprintf(in.format, sizeof in.format, "%s", fmt >= 0 ? names[fmt] : "none");
  in.first = LONG_MAX, in.last = LONG_MIN;
  for (size_t i = 0; i < n; i++) {
    int32_t code = c->codes[i];
    if (code < 0 || per[code] == LONG_MIN) {
      v[i] = code < 0 ? NAN : 0.0; /* "0" stays 0: the never-treated cohort */
      if (code < 0) {
        miss[i >> 6] |= (uint64_t)1 << (i & 63);
        in.n_missing++;
      }
      continue;
    }
    v[i] = (double)per[code];
    in.n_dates++;
    if (per[code] < in.first) in.first = per[code];
    if (per[code] > in.last) in.last = per[code];
  }
  attrib__free(per);
  become_numeric(c, v, miss, in.n_missing, n);
  if (info) *info = in;
  return ATTRIB_OK;
}
