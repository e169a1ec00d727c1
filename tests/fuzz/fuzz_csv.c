/*
 * libFuzzer target: the CSV reader, on every path it has, checked against
 * itself. Each input is read from memory (the sequential parser); then,
 * by its first byte, also from a file (sequential), from a file split
 * between two threads (a small read buffer makes even a short input many
 * chunks), or from a gzip file, with a small read buffer so records cross
 * refills. Every path must give the same status, the same message and the
 * same table: a difference aborts (a finding), as do the sanitizers.
 *
 * The first byte also picks options: a forced delimiter, a row limit, and
 * forced numeric/categorical columns named in the data's own header.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include <attrib/attrib.h>

#include "fuzz_common.h"

static char path[64];

static void setup(void) {
  if (path[0]) return;
  snprintf(path, sizeof path, "/tmp/attrib_fuzz_csv_%ld.csv", (long)getpid());
}

static int write_file(const uint8_t *d, size_t n, int gz) {
  if (gz) {
    gzFile g = gzopen(path, "wb1");
    if (!g) return -1;
    int ok = n == 0 || gzwrite(g, d, (unsigned)n) == (int)n;
    return gzclose(g) == Z_OK && ok ? 0 : -1;
  }
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  int ok = fwrite(d, 1, n, f) == n;
  return fclose(f) == 0 && ok ? 0 : -1;
}

static void same_tables(const attrib_table *a, const attrib_table *b, const char *how) {
  FUZZ_CHECK(a->n_rows == b->n_rows && a->n_cols == b->n_cols, how);
  for (size_t j = 0; j < a->n_cols; j++) {
    const attrib_column *x = &a->cols[j], *y = &b->cols[j];
    FUZZ_CHECK(!strcmp(x->name, y->name) && x->type == y->type && x->n_missing == y->n_missing, how);
    FUZZ_CHECK(x->first_text_line == y->first_text_line, how);
    FUZZ_CHECK(x->n_number_cells == y->n_number_cells && x->n_text_cells == y->n_text_cells, how);
    FUZZ_CHECK(x->n_text_samples == y->n_text_samples, how);
    for (size_t k = 0; k < x->n_text_samples; k++)
      FUZZ_CHECK(!strcmp(x->text_samples[k], y->text_samples[k]) && x->text_sample_lines[k] == y->text_sample_lines[k],
                 how);
    if (x->type == ATTRIB_COLUMN_NUMERIC) {
      FUZZ_CHECK(x->is_boolean == y->is_boolean && x->bool_words == y->bool_words, how);
      for (size_t i = 0; i < a->n_rows; i++) {
        int mx = attrib_column_is_missing(x, i), my = attrib_column_is_missing(y, i);
        FUZZ_CHECK(mx == my, how);
        FUZZ_CHECK(mx || memcmp(&x->values[i], &y->values[i], sizeof(double)) == 0, how);
      }
    } else {
      FUZZ_CHECK(x->n_levels == y->n_levels, how);
      for (size_t l = 0; l < x->n_levels; l++) FUZZ_CHECK(!strcmp(x->levels[l], y->levels[l]), how);
      FUZZ_CHECK(memcmp(x->codes, y->codes, a->n_rows * sizeof(int32_t)) == 0, how);
    }
  }
}

/* the text of every level and name is UTF-8 and NUL-free by the reader's
 * contract: touch it all (ASan sees any read past the end) */
static void walk(const attrib_table *t) {
  size_t sum = 0;
  for (size_t j = 0; j < t->n_cols; j++) {
    const attrib_column *c = &t->cols[j];
    sum += strlen(c->name);
    if (c->type == ATTRIB_COLUMN_CATEGORICAL) {
      for (size_t l = 0; l < c->n_levels; l++) sum += strlen(c->levels[l]);
      for (size_t i = 0; i < t->n_rows; i++) FUZZ_CHECK(c->codes[i] >= -1 && c->codes[i] < (int32_t)c->n_levels, "code range");
    }
    char msg[512];
    attrib_column_near_numeric_text(c, msg, sizeof msg);
    sum += strlen(msg);
  }
  fuzz_sink(sum);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup();
  if (size < 1 || size > (1u << 20)) return 0;
  uint8_t mode = data[0];
  const uint8_t *d = data + 1;
  size_t n = size - 1;
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  static const char delims[4] = {0, ',', ';', '\t'};
  o.delim = delims[(mode >> 2) & 3];
  if (mode & 0x10) o.max_rows = 1 + (mode >> 5);
  /* forced types: the header's first name numeric, its second categorical */
  char *names[2] = {NULL, NULL};
  const char *num[2] = {NULL, NULL}, *cat[2] = {NULL, NULL};
  if (mode & 0x20) {
    const uint8_t *nl = memchr(d, '\n', n);
    size_t hl = nl ? (size_t)(nl - d) : n;
    const uint8_t *comma = memchr(d, ',', hl);
    if (comma) {
      names[0] = strndup((const char *)d, (size_t)(comma - d));
      const uint8_t *c2 = memchr(comma + 1, ',', hl - (size_t)(comma + 1 - d));
      names[1] = strndup((const char *)comma + 1, c2 ? (size_t)(c2 - comma - 1) : hl - (size_t)(comma + 1 - d));
      num[0] = names[0];
      cat[0] = names[1];
      o.numeric = num;
      o.categorical = cat;
    }
  }
  attrib_table *a = NULL, *b = NULL;
  attrib_error ea, eb;
  attrib_error_clear(&ea);
  attrib_error_clear(&eb);
  attrib_status sa = attrib_table_read_csv_buffer((const char *)d, n, path, &o, &a, &ea);
  FUZZ_CHECK((sa == ATTRIB_OK) == (a != NULL), "memory: status and table agree");
  FUZZ_CHECK(sa == ATTRIB_OK || ea.message[0], "memory: an error has a message");
  if (a) walk(a);
  int how = mode & 3;
  /* a plain file starting with gzip's magic bytes is read as gzip (by
   * design); from memory it is text: nothing to compare */
  if (how && how != 3 && n >= 2 && d[0] == 0x1f && d[1] == 0x8b) how = 0;
  if (how) {
    o.read_buffer = 16 + (size_t)(mode >> 4) * 7; /* 16 .. 121 bytes */
    if (how == 2) {
      o.threads = 2;
      o.parallel_min_bytes = 1;
    }
    if (write_file(d, n, how == 3) == 0) {
      attrib_status sb = attrib_table_read_csv(path, &o, &b, &eb);
      static const char *const label[4] = {"", "file", "threads", "gzip"};
      FUZZ_CHECK(sa == sb, label[how]);
      if (sa != ATTRIB_OK && strcmp(ea.message, eb.message) != 0) {
        fprintf(stderr, "memory: %s\n%s: %s\n", ea.message, label[how], eb.message);
        FUZZ_CHECK(0, "the same message");
      }
      FUZZ_CHECK(ea.line == eb.line && ea.column == eb.column, label[how]);
      if (a && b) same_tables(a, b, label[how]);
      unlink(path);
    }
  }
  attrib_table_free(a);
  attrib_table_free(b);
  free(names[0]);
  free(names[1]);
  return 0;
}
