#include <math.h>
#include <string.h>

#include <attrib/describe.h>
#include "core/attrib_internal.h"
#include "core/parallel.h"
#include "data/data_internal.h"

static void describe_numeric(const attrib_column *c, size_t N, attrib_describe_column *o) {
  /* Two passes (mean, then squared deviations): no cancellation on large,
   * offset data, and both passes stream at memory speed. */
  double sum = 0.0, lo = INFINITY, hi = -INFINITY;
  size_t n = 0;
  for (size_t i = 0; i < N; i++) {
    double v = c->values[i];
    if (isnan(v)) continue;
    sum += v;
    n++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  o->n = n;
  o->mean = n ? sum / (double)n : NAN;
  o->min = n ? lo : NAN;
  o->max = n ? hi : NAN;
  double ss = 0.0, comp = 0.0;
  for (size_t i = 0; i < N; i++) {
    double v = c->values[i];
    if (isnan(v)) continue;
    double dv = v - o->mean;
    ss += dv * dv;
    comp += dv;
  }
  /* corrected two-pass formula (Chan, Golub & LeVeque 1983, eq. 1.7) */
  o->sd = n > 1 ? sqrt((ss - comp * comp / (double)n) / (double)(n - 1)) : NAN;
}

/* Numeric columns are summarised on every core, one column per task: each
 * column's sums run in the same order on whichever thread takes it, so the
 * figures are bit-identical to a one-thread run. No allocation happens in
 * the tasks (the failure-injection countdown is the calling thread's). */
typedef struct numeric_job {
  const attrib_table *t;
  const size_t *col;           /* table column of each task */
  attrib_describe_column *out; /* result of each task */
} numeric_job;

static void numeric_task(void *ctx, size_t k, size_t thread) {
  (void)thread;
  const numeric_job *j = ctx;
  describe_numeric(&j->t->cols[j->col[k]], j->t->n_rows, &j->out[k]);
}

/* Below this many cells a second thread costs more than it saves. */
#define PARALLEL_MIN_CELLS ((size_t)1 << 20)

/* Which number-format options would read the column's cells as numbers
 * (attrib_describe_column.has_format): its levels weighted by their counts. */
static void guess_format(const attrib_column *c, attrib_describe_column *o) {
  if (o->n == 0 || c->n_levels > 1000000) return;
  attrib__number_format f;
  if (!attrib__guess_number_format((const char *const *)c->levels, o->counts, c->n_levels, 0.95, &f,
                                   &o->format_share))
    return;
  o->has_format = 1;
  o->format_decimal = f.decimal, o->format_thousands = f.thousands;
  o->format_currency = f.currency, o->format_percent = f.percent;
}

static attrib_status describe_categorical(const attrib_column *c, size_t N, attrib_describe_column *o) {
  o->n_levels = c->n_levels;
  o->counts = attrib__calloc(c->n_levels ? c->n_levels : 1, sizeof *o->counts);
  o->levels = attrib__calloc(c->n_levels ? c->n_levels : 1, sizeof *o->levels);
  if (!o->counts || !o->levels) return ATTRIB_ENOMEM;
  for (size_t i = 0; i < N; i++)
    if (c->codes[i] >= 0) o->counts[c->codes[i]]++;
  for (size_t l = 0; l < c->n_levels; l++) {
    o->n += o->counts[l];
    if (!(o->levels[l] = attrib__strdup(c->levels[l]))) return ATTRIB_ENOMEM;
  }
  o->mean = o->sd = o->min = o->max = NAN;
  if (attrib_column_near_numeric(c)) {
    attrib__sbuf b = {0};
    attrib__near_numeric_describe(&b, c);
    if (b.failed || !b.s) return ATTRIB_ENOMEM;
    o->near_numeric = b.s;
  }
  guess_format(c, o);
  return ATTRIB_OK;
}

attrib_status attrib_describe(const attrib_table *t, attrib_describe_result **out, attrib_error *err) {
  return attrib_describe_columns(t, NULL, out, err);
}

attrib_status attrib_describe_columns(const attrib_table *t, const char *const *names, attrib_describe_result **out,
                                      attrib_error *err) {
  if (!t || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_describe: NULL argument");
  *out = NULL;
  size_t want = 0;
  while (names && names[want]) want++;
  for (size_t k = 0; k < want; k++) ATTRIB__TRY(attrib_table_column_require(t, names[k], "columns to describe", NULL, err));
  size_t ncols = names ? want : t->n_cols;
  attrib_describe_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "describe: out of memory");
  r->n_rows = t->n_rows;
  r->source = attrib__strdup(t->source);
  r->cols = attrib__calloc(ncols ? ncols : 1, sizeof *r->cols);
  if (!r->source || !r->cols) {
    attrib_describe_result_free(r);
    return attrib__fail(err, ATTRIB_ENOMEM, "describe: out of memory");
  }
  /* the numeric tasks: their columns in the table, their slots in r */
  size_t *num_col = attrib__malloc(ncols ? ncols : 1, sizeof *num_col);
  attrib_describe_column *num_out = attrib__malloc(ncols ? ncols : 1, sizeof *num_out);
  size_t n_num = 0;
  attrib_status s = num_col && num_out ? ATTRIB_OK : ATTRIB_ENOMEM;
  for (size_t j = 0; s == ATTRIB_OK && j < ncols; j++) {
    size_t q = names ? (size_t)attrib_table_column_find(t, names[j]) : j;
    const attrib_column *c = &t->cols[q];
    attrib_describe_column *o = &r->cols[j];
    r->n_cols = j + 1;
    o->type = c->type;
    o->is_boolean = c->is_boolean;
    o->n_missing = c->n_missing;
    o->name = attrib__strdup(c->name);
    if (!o->name) s = ATTRIB_ENOMEM;
    else if (c->type == ATTRIB_COLUMN_NUMERIC) num_col[n_num++] = q;
    else s = describe_categorical(c, t->n_rows, o);
  }
  if (s == ATTRIB_OK && n_num) {
    numeric_job job = {t, num_col, num_out};
    size_t threads = t->n_rows * n_num >= PARALLEL_MIN_CELLS ? attrib__threads(0, n_num) : 1;
    attrib__parallel_chunks(n_num, threads, numeric_task, &job);
    for (size_t j = 0, k = 0; j < ncols; j++) {
      attrib_describe_column *o = &r->cols[j];
      if (o->type != ATTRIB_COLUMN_NUMERIC) continue;
      o->n = num_out[k].n;
      o->mean = num_out[k].mean, o->sd = num_out[k].sd;
      o->min = num_out[k].min, o->max = num_out[k].max;
      k++;
    }
  }
  attrib__free(num_col);
  attrib__free(num_out);
  if (s != ATTRIB_OK) {
    attrib_describe_result_free(r);
    return attrib__fail(err, ATTRIB_ENOMEM, "describe: out of memory");
  }
  *out = r;
  return ATTRIB_OK;
}

void attrib_describe_result_free(attrib_describe_result *r) {
  if (!r) return;
  for (size_t j = 0; j < r->n_cols; j++) {
    attrib_describe_column *o = &r->cols[j];
    attrib__free(o->name);
    for (size_t l = 0; o->levels && l < o->n_levels; l++) attrib__free(o->levels[l]);
    attrib__free(o->levels);
    attrib__free(o->counts);
    attrib__free(o->near_numeric);
  }
  attrib__free(r->cols);
  attrib__free(r->source);
  attrib__free(r);
}
