#include <string.h>

#include <attrib/table.h>
#include "data/data_internal.h"

void attrib_table_free(attrib_table *t) {
  if (!t) return;
  for (size_t j = 0; j < t->n_cols; j++) {
    attrib_column *c = &t->cols[j];
    attrib__free(c->name);
    attrib__free(c->first_text);
    attrib__free_large(c->values, c->values_bytes_);
    attrib__free_large(c->codes, c->codes_bytes_);
    attrib__free(c->missing);
    attrib__free(c->levels); /* the strings live in the arena */
  }
  attrib__free(t->cols);
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
