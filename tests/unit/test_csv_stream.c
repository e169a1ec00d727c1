/* attrib_csv_stream (data/csv_reader.c): chunks of a file are the whole
 * read's table, cut into rows, on every input the CSV fuzzer keeps
 * (tests/fuzz/corpus/csv: quoted newlines, lone CRs, NUL bytes, BOMs,
 * blank lines, late type flips, hostile bytes), the bundled data and the
 * export fixtures; a file the whole read refuses is refused by the stream
 * with the same status and message (line and column). Chunks of 1, 2, 7
 * and 4096 rows, with a 64-byte read buffer so records cross refills. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static int same_double(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

static void fail_at(const char *path, size_t chunk, const char *what, size_t row, const char *col) {
  fprintf(stderr, "%s (chunks of %zu): %s differs at row %zu, column '%s'\n", path, chunk, what, row, col ? col : "");
  fail();
}

static void compare_meta(const char *path, size_t chunk, const attrib_table *w, const attrib_table *s) {
  if (s->n_cols != w->n_cols) fail_at(path, chunk, "column count", 0, NULL);
  assert_int_equal(s->n_dropped, w->n_dropped);
  for (size_t j = 0; j < w->n_cols; j++) {
    const attrib_column *a = &w->cols[j], *b = &s->cols[j];
    assert_string_equal(b->name, a->name);
    if (a->type != b->type) fail_at(path, chunk, "type", 0, a->name);
    if (a->n_missing != b->n_missing) fail_at(path, chunk, "missing count", 0, a->name);
    assert_int_equal(b->first_text_line, a->first_text_line);
    if (a->first_text || b->first_text) assert_string_equal(b->first_text, a->first_text);
    assert_int_equal(b->n_text_samples, a->n_text_samples);
    for (size_t k = 0; k < a->n_text_samples; k++) {
      assert_string_equal(b->text_samples[k], a->text_samples[k]);
      assert_int_equal(b->text_sample_lines[k], a->text_sample_lines[k]);
    }
    if (a->type == ATTRIB_COLUMN_NUMERIC) {
      assert_int_equal(b->is_boolean, a->is_boolean);
      assert_int_equal(b->bool_words, a->bool_words);
    } else {
      assert_int_equal(b->n_number_cells, a->n_number_cells);
      assert_int_equal(b->n_text_cells, a->n_text_cells);
      assert_int_equal(b->n_levels, a->n_levels);
      for (size_t l = 0; l < a->n_levels; l++) assert_string_equal(b->levels[l], a->levels[l]);
    }
  }
}

/* Returns 1 when both agreed (0 when the stream refused what it cannot do). */
static int compare_file(const char *path, size_t chunk) {
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  o.read_buffer = 64;
  attrib_error e1, e2;
  attrib_error_clear(&e1);
  attrib_error_clear(&e2);
  attrib_table *w = NULL;
  attrib_csv_stream *st = NULL;
  attrib_status s1 = attrib_table_read_csv(path, &o, &w, &e1);
  attrib_status s2 = attrib_csv_stream_open(path, &o, NULL, chunk, &st, &e2);
  if (s2 == ATTRIB_EUSAGE && (strstr(e2.message, "encoding") || strstr(e2.message, "regular file"))) {
    attrib_table_free(w);
    return 0; /* converted whole (UTF-16, another encoding): not streamed, and said so */
  }
  if (s1 != ATTRIB_OK || s2 != ATTRIB_OK) {
    if (s1 != s2 || strcmp(e1.message, e2.message) != 0) {
      fprintf(stderr, "%s (chunks of %zu): whole read %s '%s', stream %s '%s'\n", path, chunk, attrib_strerror(s1),
              e1.message, attrib_strerror(s2), e2.message);
      fail();
    }
    attrib_table_free(w);
    attrib_csv_stream_close(st);
    return 1;
  }
  assert_int_equal(attrib_csv_stream_rows(st), w->n_rows);
  compare_meta(path, chunk, w, attrib_csv_stream_schema(st));
  size_t row = 0;
  for (;;) {
    const attrib_table *c = NULL;
    attrib_status s = attrib_csv_stream_next(st, &c, &e2);
    assert_status(s, ATTRIB_OK, &e2);
    if (!c) break;
    assert_int_equal(c->row_offset, row);
    assert_true(c->n_rows <= chunk);
    for (size_t j = 0; j < w->n_cols; j++) {
      const attrib_column *a = &w->cols[j], *b = &c->cols[j];
      for (size_t i = 0; i < c->n_rows; i++) {
        if (attrib_column_is_missing(a, row + i) != attrib_column_is_missing(b, i))
          fail_at(path, chunk, "missing", row + i, a->name);
        if (a->type == ATTRIB_COLUMN_NUMERIC) {
          if (!same_double(a->values[row + i], b->values[i])) fail_at(path, chunk, "value", row + i, a->name);
        } else if (a->codes[row + i] != b->codes[i]) {
          fail_at(path, chunk, "level", row + i, a->name);
        }
      }
    }
    row += c->n_rows;
  }
  assert_int_equal(row, w->n_rows);
  /* a second pass gives the same chunks */
  assert_status(attrib_csv_stream_rewind(st, &e2), ATTRIB_OK, &e2);
  size_t again = 0;
  for (;;) {
    const attrib_table *c = NULL;
    assert_status(attrib_csv_stream_next(st, &c, &e2), ATTRIB_OK, &e2);
    if (!c) break;
    again += c->n_rows;
  }
  assert_int_equal(again, w->n_rows);
  attrib_table_free(w);
  attrib_csv_stream_close(st);
  return 1;
}

static void compare_dir(const char *rel, const char *suffix, size_t *files) {
  char *dir = test_source_path(rel);
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    size_t n = strlen(e->d_name), m = suffix ? strlen(suffix) : 0;
    if (suffix && (n < m || strcmp(e->d_name + n - m, suffix) != 0)) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    static const size_t chunks[] = {1, 2, 7, 4096};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) *files += (size_t)compare_file(path, chunks[c]);
  }
  closedir(d);
  free(dir);
}

static void test_corpus(void **state) {
  (void)state;
  size_t files = 0;
  compare_dir("tests/fuzz/corpus/csv", NULL, &files);
  compare_dir("datasets", ".csv", &files);
  compare_dir("tests/data/exports", ".csv", &files);
  compare_dir("tests/cli/data", ".csv", &files);
  assert_true(files > 800);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_corpus)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
