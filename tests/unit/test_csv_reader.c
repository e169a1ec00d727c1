/* CSV reader: table-driven quirks and errors, files, gzip, type inference,
 * forced types, level order, failure injection. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "test_support.h"

typedef struct csv_case {
  const char *label;
  const char *text;
  attrib_status status;
  size_t rows, cols;
  const char *msg_part; /* substring of the error message, or of "colname=type" checks */
  size_t err_line;
} csv_case;

static const csv_case cases[] = {
    {"plain", "a,b\n1,2\n3,4\n", ATTRIB_OK, 2, 2, NULL, 0},
    {"no final newline", "a,b\n1,2\n3,4", ATTRIB_OK, 2, 2, NULL, 0},
    {"crlf", "a,b\r\n1,2\r\n3,4\r\n", ATTRIB_OK, 2, 2, NULL, 0},
    {"bom", "\xEF\xBB\xBF" "a,b\n1,2\n", ATTRIB_OK, 1, 2, NULL, 0},
    /* old-Mac CR-only line ends: rows are sized and split at the same CRs
     * (a quoted field once wrote past the columns: issue 15, defect 1) */
    {"cr only", "a,b\r1,2\r3,4\r", ATTRIB_OK, 2, 2, NULL, 0},
    {"cr only, no final cr", "a,b\r1,2\r3,4", ATTRIB_OK, 2, 2, NULL, 0},
    {"cr only, quoted field", "a,b\r1,\"2\"\r\"x\",4\r5,6\r", ATTRIB_OK, 3, 2, NULL, 0},
    {"cr only, quoted cr inside", "a,b\r1,\"2\r2\"\r3,4\r", ATTRIB_OK, 2, 2, NULL, 0},
    {"cr only, unterminated quote", "M\r\t\"", ATTRIB_EPARSE, 0, 0, "line 2, column 1: unterminated quote", 2},
    {"cr only, quoted, no header end", "\"a\"\r\"1\"\r\"2\"\r\"3\"", ATTRIB_OK, 3, 1, NULL, 0},
    {"cr only, ragged", "a,b\r1,2\r3\r", ATTRIB_EPARSE, 0, 0, "line 3: 1 field, header has 2", 3},
    {"mixed lf and lone cr", "a,b\n1,2\r3,4\n", ATTRIB_OK, 2, 2, NULL, 0},
    {"lone cr between quoted records", "a,b\n\"1\",2\r\"3\",4\r\"5\",6", ATTRIB_OK, 3, 2, NULL, 0},
    {"quoted delimiter", "a,b\n\"x,y\",2\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"embedded newline", "a,b\n\"line1\nline2\",2\n3,4\n", ATTRIB_OK, 2, 2, NULL, 0},
    {"doubled quote", "a,b\n\"say \"\"hi\"\"\",2\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"quoted header", "\"a\",\"b c\"\n1,2\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"blank lines skipped", "a,b\n1,2\n\n3,4\n\n", ATTRIB_OK, 2, 2, NULL, 0},
    {"semicolon detected", "a;b;c\n1;2;3\n", ATTRIB_OK, 1, 3, NULL, 0},
    {"tab detected", "a\tb\n1\t2\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"header only", "a,b\n", ATTRIB_OK, 0, 2, NULL, 0},
    {"single column", "a\n1\n2\n", ATTRIB_OK, 2, 1, NULL, 0},
    {"trailing empty field", "a,b\n1,\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"ragged short", "a,b,c\n1,2,3\n4,5\n", ATTRIB_EPARSE, 0, 0, "line 3: 2 fields, header has 3", 3},
    {"ragged long", "a,b\n1,2\n3,4,5\n", ATTRIB_EPARSE, 0, 0, "line 3: 3 fields, header has 2", 3},
    {"ragged after quoted newline", "a,b\n\"x\ny\",1\n2\n", ATTRIB_EPARSE, 0, 0, "line 4: 1 field, header has 2", 4},
    {"unterminated quote", "a,b\n1,\"open\n2,3\n", ATTRIB_EPARSE, 0, 0, "unterminated quote", 2},
    {"text after closing quote", "a,b\n\"x\"y,1\n", ATTRIB_EPARSE, 0, 0, "malformed quoted field", 2},
    {"duplicate header", "a,b,a\n1,2,3\n", ATTRIB_EPARSE, 0, 0, "duplicate column name 'a' (columns 1 and 3)", 1},
    {"empty header name: the column is left out", "a,,c\n1,2,3\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"empty file", "", ATTRIB_EPARSE, 0, 0, "empty file", 0},
    {"only blank lines", "\n\n", ATTRIB_EPARSE, 0, 0, "empty file", 0},
    {"only a bom", "\xEF\xBB\xBF", ATTRIB_EPARSE, 0, 0, "empty file", 0},
    /* issue 15: blank lines before the header are skipped, also when the
     * delimiter is detected (a leading blank line made ';' files one column) */
    {"blank line before a ; header", "\na;b\n1;2\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"blank lines with blanks before a tab header", " \t\n\r\na\tb\n1\t2\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"blank line before a cr-only header", "\ra;b\r1;2\r", ATTRIB_OK, 1, 2, NULL, 0},
    {"header after blank lines: its line", "\n\na,a\n1,2\n", ATTRIB_EPARSE, 0, 0, "line 3: duplicate column name 'a'", 3},
    {"no named column", ",\n1,2\n", ATTRIB_EPARSE, 0, 0, "line 1: no column of the header has a name", 1},
    /* text must be UTF-8 (JSON output said "out of memory") */
    {"latin-1 cell", "a,b\n1,caf\xe9\n", ATTRIB_EPARSE, 0, 0, "not UTF-8 at line 2, column 2: byte 0xE9 in 'caf\\xE9'", 2},
    {"latin-1 header", "a,\xff" "b\n1,2\n", ATTRIB_EPARSE, 0, 0, "not UTF-8 at line 1, column 2: byte 0xFF", 1},
    {"overlong utf-8", "a\n\xc0\xaf\n", ATTRIB_EPARSE, 0, 0, "not UTF-8 at line 2, column 1", 2},
    {"utf-8 surrogate", "a\n\xed\xa0\x80\n", ATTRIB_EPARSE, 0, 0, "not UTF-8 at line 2, column 1", 2},
    {"truncated utf-8 in a quoted cell", "a,b\n1,\"x\xe2\x82\"\n", ATTRIB_EPARSE, 0, 0, "not UTF-8 at line 2, column 2", 2},
    {"valid utf-8", "na\xc3\xafve,b\n\xc3\xbc,\xf0\x9f\x98\x80\n", ATTRIB_OK, 1, 2, NULL, 0},
    {"utf-16 bom, a byte short", "\xff\xfe" "a", ATTRIB_EPARSE, 0, 0, "byte 3 (0x61) is not valid UTF-16 text (the file ends inside a character)", 0},
    {"control byte quoted in a message", "a,b,a\x01" "\n1,2,3\n", ATTRIB_OK, 1, 3, NULL, 0},
    {"duplicate name with a control byte", "a\x01" ",a\x01" "\n1,2\n", ATTRIB_EPARSE, 0, 0, "duplicate column name 'a\\x01'", 1},
};

static void test_table_driven(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const csv_case *c = &cases[i];
    attrib_table *t = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    attrib_status s = attrib_table_read_csv_buffer(c->text, strlen(c->text), "case.csv", NULL, &t, &err);
    if (s != c->status)
      fail_msg("case '%s': status %s, expected %s (%s)", c->label, attrib_status_name(s),
               attrib_status_name(c->status), err.message);
    if (s == ATTRIB_OK) {
      if (t->n_rows != c->rows || t->n_cols != c->cols)
        fail_msg("case '%s': %zu x %zu, expected %zu x %zu", c->label, t->n_rows, t->n_cols, c->rows, c->cols);
      attrib_table_free(t);
    } else {
      assert_null(t);
      if (c->msg_part && !strstr(err.message, c->msg_part))
        fail_msg("case '%s': message '%s' lacks '%s'", c->label, err.message, c->msg_part);
      if (!strstr(err.message, "case.csv")) fail_msg("case '%s': message does not name the file", c->label);
      if (c->err_line && err.line != c->err_line)
        fail_msg("case '%s': error line %zu, expected %zu", c->label, err.line, c->err_line);
    }
  }
}

static void test_values_and_types(void **state) {
  (void)state;
  attrib_table *t = test_table(
      "id,score,flag,role,mixed,empty, spaced \n"
      "1, 2.5 ,true,Manager,1,,\" keep \"\n"
      "2,NA,FALSE,Associate,x,NA,b\n"
      "3,-1e3,yes,\"Manager\",2,null,\n"
      "4,NaN,no,Director,3,,c\n");
  assert_int_equal(t->n_rows, 4);
  assert_string_equal(t->cols[6].name, "spaced"); /* header blanks trimmed */
  const attrib_column *score = &t->cols[1];
  assert_int_equal(score->type, ATTRIB_COLUMN_NUMERIC);
  assert_true(score->values[0] == 2.5);
  assert_true(isnan(score->values[1]));
  assert_true(attrib_column_is_missing(score, 1));
  assert_true(attrib_column_is_missing(score, 3));
  assert_false(attrib_column_is_missing(score, 2));
  assert_true(score->values[2] == -1000.0);
  assert_int_equal(score->n_missing, 2);
  const attrib_column *flag = &t->cols[2];
  assert_int_equal(flag->type, ATTRIB_COLUMN_NUMERIC);
  assert_true(flag->is_boolean);
  assert_true(flag->values[0] == 1.0 && flag->values[1] == 0.0 && flag->values[3] == 0.0);
  const attrib_column *role = &t->cols[3];
  assert_int_equal(role->type, ATTRIB_COLUMN_CATEGORICAL);
  assert_int_equal(role->n_levels, 3);
  /* sorted like R's factor(): Associate, Director, Manager */
  assert_string_equal(role->levels[0], "Associate");
  assert_string_equal(role->levels[2], "Manager");
  assert_int_equal(role->codes[0], 2);
  assert_int_equal(role->codes[2], 2); /* quoted and unquoted are the same level */
  /* a column that turns categorical after numbers: re-read, numbers kept as text */
  const attrib_column *mixed = &t->cols[4];
  assert_int_equal(mixed->type, ATTRIB_COLUMN_CATEGORICAL);
  assert_int_equal(mixed->n_levels, 4);
  assert_string_equal(mixed->levels[mixed->codes[0]], "1");
  assert_string_equal(mixed->levels[mixed->codes[1]], "x");
  assert_int_equal(mixed->first_text_line, 3);
  assert_string_equal(mixed->first_text, "x");
  const attrib_column *empty = &t->cols[5];
  assert_int_equal(empty->type, ATTRIB_COLUMN_NUMERIC);
  assert_int_equal(empty->n_missing, 4);
  const attrib_column *sp = &t->cols[6];
  assert_int_equal(sp->type, ATTRIB_COLUMN_CATEGORICAL);
  assert_string_equal(sp->levels[sp->codes[0]], " keep "); /* quoted blanks are data */
  assert_int_equal(sp->codes[2], -1);
  attrib_table_free(t);
}

static void test_numeric_levels_sort_numerically(void **state) {
  (void)state;
  const char *csv = "team\n10\n9\n100\n9\n";
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  const char *cat[] = {"team", NULL};
  o.categorical = cat;
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "t.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->cols[0].type, ATTRIB_COLUMN_CATEGORICAL);
  assert_int_equal(t->cols[0].n_levels, 3);
  assert_string_equal(t->cols[0].levels[0], "9");
  assert_string_equal(t->cols[0].levels[1], "10");
  assert_string_equal(t->cols[0].levels[2], "100");
  assert_int_equal(t->cols[0].codes[0], 1);
  attrib_table_free(t);
}

static void test_forced_types(void **state) {
  (void)state;
  const char *csv = "a,b\n1,x\n2,y\nthree,z\n";
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  const char *num[] = {"a", NULL};
  o.numeric = num;
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "f.csv", &o, &t, &err), ATTRIB_ETYPE, &err);
  assert_non_null(strstr(err.message, "f.csv: line 4, column 1 ('a'): 'three' is not a number"));
  assert_int_equal(err.line, 4);
  assert_int_equal(err.column, 1);
  const char *typo[] = {"bb", NULL};
  o.numeric = NULL;
  o.categorical = typo;
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "f.csv", &o, &t, &err), ATTRIB_ENOCOL, &err);
  assert_non_null(strstr(err.message, "no column 'bb' in the header; did you mean 'b'?"));
}

static void test_explicit_delim_and_max_rows(void **state) {
  (void)state;
  const char *csv = "a|b\n1|2\n3|4\n5|6\n";
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  o.delim = '|';
  o.max_rows = 2;
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "d.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->n_rows, 2);
  assert_true(t->cols[1].values[1] == 4.0);
  assert_int_equal(t->delim, '|');
  attrib_table_free(t);
}

static char *write_temp(const char *content, size_t len, int gz) {
  char *path = strdup("/tmp/attrib_test_XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  if (gz) {
    gzFile g = gzdopen(fd, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, content, (unsigned)len), (int)len);
    gzclose(g);
  } else {
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
  }
  return path;
}

static attrib_status read_mem(const char *text, size_t len, attrib_table **t, attrib_error *err) {
  attrib_error_clear(err);
  *t = NULL;
  return attrib_table_read_csv_buffer(text, len, "h.csv", NULL, t, err);
}

static void expect_error(attrib_status s, const attrib_error *err, const char *part, size_t line) {
  assert_int_equal(s, ATTRIB_EPARSE);
  if (!strstr(err->message, part)) fail_msg("message '%s' lacks '%s'", err->message, part);
  if (line && err->line != line) fail_msg("error line %zu, expected %zu (%s)", err->line, line, err->message);
}

/* Issue 15: hostile inputs end with a message naming the place, never a
 * silent truncation or an endless read. */
static void test_hostile_bytes(void **state) {
  (void)state;
  attrib_table *t;
  attrib_error err;
  /* a NUL byte cut the field ("2x" was read) */
  static const char nul[] = "a,b\n1,2x\0yz\n3,4\n";
  expect_error(read_mem(nul, sizeof nul - 1, &t, &err), &err, "line 2, column 2: a NUL byte", 2);
  static const char nulq[] = "a,b\n1,\"2\0\"\n";
  expect_error(read_mem(nulq, sizeof nulq - 1, &t, &err), &err, "line 2, column 2: a NUL byte", 2);
  static const char nulh[] = "a,b\0c\n1,2\n";
  expect_error(read_mem(nulh, sizeof nulh - 1, &t, &err), &err, "line 1, column 2: a NUL byte", 1);
  /* UTF-16 without a BOM: NULs */
  static const char u16[] = "a\0,\0b\0\n\0001\0,\0002\0\n\0";
  expect_error(read_mem(u16, sizeof u16 - 1, &t, &err), &err, "a NUL byte", 1);
  /* no line end: an endless source was counted forever */
  size_t big = ((size_t)16 << 20) + 10;
  char *b = malloc(big + 4);
  memset(b, 'a', big);
  expect_error(read_mem(b, big, &t, &err), &err, "no line end in the first 16 MiB: the header line is too long", 1);
  b[100] = '\0';
  expect_error(read_mem(b, big, &t, &err), &err, "NUL bytes: this is binary data", 1);
  free(b);
  /* a line or a quoted record over 64 MiB */
  size_t huge = ((size_t)64 << 20) + 100;
  b = malloc(huge + 16);
  memcpy(b, "a\n", 2);
  memset(b + 2, 'x', huge);
  char *path = write_temp(b, huge + 2, 0);
  attrib_error_clear(&err);
  expect_error(attrib_table_read_csv(path, NULL, &t, &err), &err, "line 2 is longer than 64 MiB", 2);
  unlink(path);
  free(path);
  b[2] = '"';
  for (size_t i = 100; i < huge; i += 100) b[2 + i] = '\n';
  expect_error(read_mem(b, huge + 2, &t, &err), &err, "line 2, column 1: a quoted field longer than 64 MiB", 2);
  free(b);
  /* a 1 MB field loads */
  size_t mb = (size_t)1 << 20;
  b = malloc(mb + 16);
  memcpy(b, "a,b\n1,", 6);
  memset(b + 6, 'y', mb);
  memcpy(b + 6 + mb, "\n", 1);
  assert_status(read_mem(b, mb + 7, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(strlen(t->cols[1].levels[0]), mb);
  attrib_table_free(t);
  free(b);
}

/* A truncated gzip stream was read as far as it went ("line 714: 6 fields,
 * header has 20"); zlib says so only through gzerror. */
static void test_truncated_gzip(void **state) {
  (void)state;
  size_t cap = 200000, n = 0;
  char *csv = malloc(cap);
  n += (size_t)sprintf(csv, "a,b,c,d,e,f\n");
  for (int i = 0; i < 4000; i++) n += (size_t)sprintf(csv + n, "%d,%d,%d,%d,%d,%d\n", i, i * 3, i * 7, i, i, i);
  char *path = write_temp(csv, n, 1);
  free(csv);
  FILE *f = fopen(path, "rb");
  char gz[65536];
  size_t gzlen = fread(gz, 1, sizeof gz, f);
  fclose(f);
  assert_true(gzlen > 3000);
  f = fopen(path, "wb");
  assert_int_equal(fwrite(gz, 1, 3000, f), 3000);
  fclose(f);
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  expect_error(attrib_table_read_csv(path, NULL, &t, &err), &err, "the gzip stream is truncated", 0);
  assert_null(t);
  unlink(path);
  free(path);
}

/* 100k header names: the duplicate check was pairwise (42 s) */
static void test_wide_header(void **state) {
  (void)state;
  size_t cols = 100000, cap = cols * 16 + 64, n = 0;
  char *csv = malloc(cap);
  for (size_t j = 0; j < cols; j++) n += (size_t)sprintf(csv + n, "%sv%zu", j ? "," : "", j);
  n += (size_t)sprintf(csv + n, "\n");
  for (size_t j = 0; j < cols; j++) n += (size_t)sprintf(csv + n, "%s1", j ? "," : "");
  n += (size_t)sprintf(csv + n, "\n");
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  attrib_table *t = NULL;
  attrib_error err;
  assert_status(read_mem(csv, n, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->n_cols, cols);
  attrib_table_free(t);
  /* the last name repeats the sixth */
  char *last = strrchr(csv, 'v');
  (void)last;
  char *hdr_end = strchr(csv, '\n');
  char *p = hdr_end;
  while (p[-1] != 'v') p--;
  memcpy(p, "5", 1);
  for (char *q = p + 1; q < hdr_end; q++) *q = ' '; /* trailing blanks are trimmed */
  expect_error(read_mem(csv, n, &t, &err), &err, "duplicate column name 'v5' (columns 6 and 100000)", 1);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  if (sec > 5.0) fail_msg("two reads of a 100k-column header took %.1f s", sec);
  free(csv);
}

/* Issue 15 and 14: a numeric column re-typed by a few text cells is
 * recognised: counts of number and text cells, the first distinct text
 * cells with their lines, also when the column was read twice (numbers
 * before the first text) and never for forced or real text columns. */
static void test_near_numeric(void **state) {
  (void)state;
  attrib_table *t = test_table("t,y,role,f\n1,1,A,1\n2,2,B,2\nn.a.,3,A,x\n4,4,B,4\n#REF!,5,A,5\nn.a.,6,B,6\n7,7,A,7\n");
  const attrib_column *c = &t->cols[0];
  assert_int_equal(c->type, ATTRIB_COLUMN_CATEGORICAL);
  assert_int_equal(c->n_number_cells, 4);
  assert_int_equal(c->n_text_cells, 3);
  assert_int_equal(c->n_text_samples, 2);
  assert_string_equal(c->text_samples[0], "n.a.");
  assert_int_equal(c->text_sample_lines[0], 4);
  assert_string_equal(c->text_samples[1], "#REF!");
  assert_int_equal(c->text_sample_lines[1], 6);
  assert_true(attrib_column_near_numeric(c));
  char msg[256];
  assert_string_equal(attrib_column_near_numeric_text(c, msg, sizeof msg),
                      "column 't' is 57.1% numeric; not numbers: 'n.a.' (line 4), '#REF!' (line 6) and 1 more cell");
  assert_false(attrib_column_near_numeric(&t->cols[1])); /* numeric */
  assert_false(attrib_column_near_numeric(&t->cols[2])); /* text */
  assert_true(attrib_column_near_numeric(&t->cols[3]));
  assert_int_equal(t->cols[3].n_number_cells, 6);
  attrib_table_free(t);
  /* forced categorical: not counted */
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  const char *cat[] = {"t", NULL};
  o.categorical = cat;
  attrib_error err;
  attrib_error_clear(&err);
  const char *csv = "t\n1\n2\nx\n";
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "f.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_false(attrib_column_near_numeric(&t->cols[0]));
  attrib_table_free(t);
  /* half text: not near-numeric; quoting of odd bytes in the message */
  t = test_table("t\n1\nx\n2\n\x01y\n");
  assert_false(attrib_column_near_numeric(&t->cols[0]));
  assert_string_equal(attrib_column_near_numeric_text(&t->cols[0], msg, sizeof msg),
                      "column 't' is 50.0% numeric; not numbers: 'x' (line 3), '\\x01y' (line 5)");
  attrib_table_free(t);
}

/* Missing-value words (issue 14): the default set, and --na replacing it. */
static void test_missing_words(void **state) {
  (void)state;
  const char *csv = "tenure,role\n3,A\n-,B\n#N/A,--\n.,None\n?,C\nn/a,NULL\n5,A\n";
  attrib_table *t = test_table(csv);
  assert_int_equal(t->cols[0].type, ATTRIB_COLUMN_NUMERIC); /* was an 7-level factor */
  assert_int_equal(t->cols[0].n_missing, 5);
  assert_int_equal(t->cols[1].type, ATTRIB_COLUMN_CATEGORICAL);
  assert_int_equal(t->cols[1].n_missing, 3);
  assert_int_equal(t->cols[1].n_levels, 3);
  attrib_table_free(t);
  /* given words replace the default set, exactly (case-sensitive) */
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  const char *na[] = {"missing", "-", NULL};
  o.na = na;
  attrib_error err;
  attrib_error_clear(&err);
  csv = "x,y\n1,a\nmissing,b\n-,NA\nMISSING,c\n";
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "n.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->cols[0].type, ATTRIB_COLUMN_CATEGORICAL); /* MISSING is text now */
  assert_int_equal(t->cols[0].n_missing, 2);
  assert_int_equal(t->cols[1].n_missing, 0); /* NA is a level once the set is replaced */
  attrib_table_free(t);
  /* forced numeric: the words are missing, other text an error */
  const char *num[] = {"x", NULL};
  o.na = NULL;
  o.numeric = num;
  csv = "x\n1\n-\n#N/A\n4\n";
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "n.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->cols[0].n_missing, 2);
  attrib_table_free(t);
  csv = "x\n1\nn.a.\n";
  assert_int_equal(attrib_table_read_csv_buffer(csv, strlen(csv), "n.csv", &o, &t, &err), ATTRIB_ETYPE);
  assert_string_equal(err.message, "n.csv: line 3, column 1 ('x'): 'n.a.' is not a number (the column was declared numeric)");
}

/* Formatted numbers in a file (issue 14; the cell grammar: test_numparse.c). */
static void test_formatted_numbers(void **state) {
  (void)state;
  /* a European file: ';' and decimal commas load with one option */
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  o.decimal = ',';
  attrib_error err;
  attrib_error_clear(&err);
  attrib_table *t = NULL;
  const char *csv = "sales;share\n1234,5;0,25\n17;1\n-3,75;0\n";
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "eu.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->cols[0].type, ATTRIB_COLUMN_NUMERIC);
  assert_true(t->cols[0].values[0] == 1234.5 && t->cols[0].values[2] == -3.75 && t->cols[1].values[0] == 0.25);
  attrib_table_free(t);
  /* the same file without the option: text columns that say so */
  attrib_csv_options_init(&o);
  assert_status(attrib_table_read_csv_buffer(csv, strlen(csv), "eu.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->cols[0].type, ATTRIB_COLUMN_CATEGORICAL);
  attrib_table_free(t);
  /* options that cannot be */
  attrib_csv_options_init(&o);
  o.decimal = ',';
  o.thousands = ',';
  assert_int_equal(attrib_table_read_csv_buffer(csv, strlen(csv), "eu.csv", &o, &t, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "csv.thousands");
  o.thousands = 0;
  o.decimal = ';';
  assert_int_equal(attrib_table_read_csv_buffer(csv, strlen(csv), "eu.csv", &o, &t, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "csv.decimal");
}

/* Encodings and workbooks (issue 14): cp1252 and latin1 converted when
 * asked, UTF-16 with a byte-order mark without being asked (Excel's
 * "Unicode text"), an Excel workbook named as such. */
static void test_encodings(void **state) {
  (void)state;
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  attrib_error err;
  attrib_error_clear(&err);
  attrib_table *t = NULL;
  const char *cp = "name,score\ncaf\xe9,1\nna\xefve \x80,2\n";
  /* not UTF-8: the message says which option reads it */
  assert_int_equal(attrib_table_read_csv_buffer(cp, strlen(cp), "w.csv", &o, &t, &err), ATTRIB_EPARSE);
  assert_non_null(strstr(err.message, "w.csv: not UTF-8 at line 2, column 1: byte 0xE9"));
  assert_non_null(strstr(err.message, "csv.encoding cp1252"));
  o.encoding = "cp1252";
  assert_status(attrib_table_read_csv_buffer(cp, strlen(cp), "w.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_string_equal(t->cols[0].levels[0], "caf\xc3\xa9");
  assert_string_equal(t->cols[0].levels[1], "na\xc3\xafve \xe2\x82\xac"); /* 0x80 is the euro sign in cp1252 */
  attrib_table_free(t);
  o.encoding = "latin1";
  const char *l1 = "name\ncaf\xe9\n";
  assert_status(attrib_table_read_csv_buffer(l1, strlen(l1), "l.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_string_equal(t->cols[0].levels[0], "caf\xc3\xa9");
  attrib_table_free(t);
  /* 0x81 has no character in cp1252 */
  o.encoding = "cp1252";
  assert_int_equal(attrib_table_read_csv_buffer("a\n\x81\n", 4, "b.csv", &o, &t, &err), ATTRIB_EPARSE);
  assert_string_equal(err.message, "b.csv: byte 3 (0x81) is not valid cp1252 text");
  o.encoding = "klingon";
  assert_int_equal(attrib_table_read_csv_buffer("a\n1\n", 4, "b.csv", &o, &t, &err), ATTRIB_EUSAGE);
  assert_string_equal(err.option, "csv.encoding");
  /* UTF-16 LE and BE with a BOM, from memory and from a file: no option */
  attrib_csv_options_init(&o);
  static const char le[] = "\xff\xfe" "a\0,\0b\0\r\0\n\0" "1\0,\0\xe9\0\n\0";
  static const char be[] = "\xfe\xff" "\0a\0,\0b\0\n" "\0" "1\0,\0\xe9\0\n";
  const char *const src[2] = {le, be};
  size_t lens[2] = {sizeof le - 1, sizeof be - 1};
  for (int k = 0; k < 2; k++) {
    assert_status(attrib_table_read_csv_buffer(src[k], lens[k], "u.csv", &o, &t, &err), ATTRIB_OK, &err);
    assert_int_equal(t->n_rows, 1);
    assert_true(t->cols[0].values[0] == 1.0);
    assert_string_equal(t->cols[1].levels[0], "\xc3\xa9");
    attrib_table_free(t);
    char *path = write_temp(src[k], lens[k], 0);
    assert_status(attrib_table_read_csv(path, &o, &t, &err), ATTRIB_OK, &err);
    assert_string_equal(t->cols[1].levels[0], "\xc3\xa9");
    attrib_table_free(t);
    unlink(path);
    free(path);
  }
  /* workbooks */
  assert_int_equal(attrib_table_read_csv_buffer("PK\x03\x04\x14\0\x06\0", 8, "s.xlsx", &o, &t, &err), ATTRIB_EPARSE);
  assert_string_equal(err.message, "s.xlsx: a zip archive (an Excel .xlsx workbook?), not a CSV file: in Excel, File > "
                                   "Save As > 'CSV UTF-8 (Comma delimited)', then read that file");
  assert_int_equal(attrib_table_read_csv_buffer("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10, "s.csv", &o, &t, &err),
                   ATTRIB_EPARSE);
  assert_non_null(strstr(err.message, "s.csv: an Excel workbook (.xls)"));
}

/* Columns with no name (issue 14): Excel's trailing empty columns and R's
 * row names are left out and listed; strict_header keeps the error. */
static void test_unnamed_columns(void **state) {
  (void)state;
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  attrib_error err;
  attrib_error_clear(&err);
  attrib_table *t = NULL;
  const char *rn = "\"\",\"a\",\"b\"\n\"1\",2,x\n\"2\",4,y\n"; /* write.csv with row names */
  assert_status(attrib_table_read_csv_buffer(rn, strlen(rn), "r.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->n_cols, 2);
  assert_string_equal(t->cols[0].name, "a");
  assert_true(t->cols[0].values[1] == 4.0);
  assert_string_equal(t->cols[1].levels[1], "y");
  assert_int_equal(t->n_dropped, 1);
  assert_int_equal(t->dropped[0], 1);
  attrib_table_free(t);
  const char *xl = "a,b,,\n1,2,,\n3,4,,\n"; /* Excel's trailing empty columns */
  assert_status(attrib_table_read_csv_buffer(xl, strlen(xl), "x.csv", &o, &t, &err), ATTRIB_OK, &err);
  assert_int_equal(t->n_cols, 2);
  assert_int_equal(t->n_dropped, 2);
  assert_true(t->dropped[0] == 3 && t->dropped[1] == 4);
  attrib_table_free(t);
  /* a forced type cannot name a dropped column; a ragged row still counts them */
  const char *rag = "a,b,,\n1,2,\n";
  assert_int_equal(attrib_table_read_csv_buffer(rag, strlen(rag), "x.csv", &o, &t, &err), ATTRIB_EPARSE);
  assert_string_equal(err.message, "x.csv: line 2: 3 fields, header has 4");
  o.strict_header = 1;
  const char *e2 = "\na,,c\n1,2,3\n";
  assert_int_equal(attrib_table_read_csv_buffer(e2, strlen(e2), "s.csv", &o, &t, &err), ATTRIB_EPARSE);
  assert_string_equal(err.message, "s.csv: line 2, column 2: empty column name in the header");
}

/* A treatment exported as text or coded 1/2 (issue 14): recoded 0/1. */
static void test_binarize(void **state) {
  (void)state;
  attrib_table *t = test_table("group,code,y\ntrained,2,1\ncontrol,1,2\n,2,3\ntrained,,4\nwaitlist,1,5\n");
  attrib_error err;
  attrib_error_clear(&err);
  attrib_binarize_info info;
  assert_status(attrib_table_binarize(t, "group", "trained", &info, &err), ATTRIB_OK, &err);
  const attrib_column *c = &t->cols[0];
  assert_int_equal(c->type, ATTRIB_COLUMN_NUMERIC);
  assert_true(c->values[0] == 1.0 && c->values[1] == 0.0 && isnan(c->values[2]) && c->values[3] == 1.0 &&
              c->values[4] == 0.0);
  assert_true(attrib_column_is_missing(c, 2) && !attrib_column_is_missing(c, 1));
  assert_true(info.n_one == 2 && info.n_zero == 2 && info.n_missing == 1 && info.n_other_values == 2);
  assert_string_equal(info.others, "'control', 'waitlist'");
  /* a 1/2 coding: numbers compared as numbers */
  assert_status(attrib_table_binarize(t, "code", "2", &info, &err), ATTRIB_OK, &err);
  assert_true(t->cols[1].values[0] == 1.0 && t->cols[1].values[1] == 0.0 && isnan(t->cols[1].values[3]));
  /* errors: an unknown level lists the values; one value only; no column */
  assert_int_equal(attrib_table_binarize(t, "y", "9", &info, &err), ATTRIB_EINVAL);
  assert_string_equal(err.message, "test.csv: the treated level '9' is not a value of 'y'; its values are '1', '2', '3', '4', '5'");
  attrib_table_free(t);
  t = test_table("g\na\na\n");
  assert_int_equal(attrib_table_binarize(t, "g", "a", &info, &err), ATTRIB_EDESIGN);
  assert_string_equal(err.message, "test.csv: every non-missing row of 'g' is 'a': no control rows");
  assert_int_equal(attrib_table_binarize(t, "gg", "a", &info, &err), ATTRIB_ENOCOL);
  attrib_table_free(t);
}

/* Dates as periods (issue 14): formats found from the column, buckets
 * against dates counted by hand. */
static void test_dates_to_periods(void **state) {
  (void)state;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_dates_info info;
  /* 1970-01-01 is day 0 (a Thursday: week 0 began on Monday 1969-12-29);
   * 2024-02-29 is a leap day, day 19782 */
  attrib_table *t = test_table("d,c\n1970-01-01,0\n2024-02-29,2024-03-01\n1969-12-28,\n2025-12-31,2025-12-31\n");
  assert_status(attrib_table_dates_to_periods(t, "d", ATTRIB_PERIOD_DAY, &info, &err), ATTRIB_OK, &err);
  assert_string_equal(info.format, "YYYY-MM-DD");
  assert_true(t->cols[0].values[0] == 0 && t->cols[0].values[1] == 19782 && t->cols[0].values[2] == -4 &&
              t->cols[0].values[3] == 20453);
  assert_status(attrib_table_dates_to_periods(t, "c", ATTRIB_PERIOD_QUARTER, &info, &err), ATTRIB_OK, &err);
  assert_true(t->cols[1].values[0] == 0.0 && t->cols[1].values[1] == 4 * 2024 + 0 && isnan(t->cols[1].values[2]) &&
              t->cols[1].values[3] == 4 * 2025 + 3);
  attrib_table_free(t);
  t = test_table("d\n1970-01-04\n1970-01-05\n1969-12-29\n1969-12-28\n");
  assert_status(attrib_table_dates_to_periods(t, "d", ATTRIB_PERIOD_WEEK, &info, &err), ATTRIB_OK, &err);
  assert_true(t->cols[0].values[0] == 0 && t->cols[0].values[1] == 1 && t->cols[0].values[2] == 0 &&
              t->cols[0].values[3] == -1);
  attrib_table_free(t);
  /* slashes: month first unless a first field exceeds 12; dots: day first */
  t = test_table("us,eu,de\n12/31/2025,31/12/2025,31.12.2025\n01/02/2025,01/02/2025,01.02.2025\n");
  assert_status(attrib_table_dates_to_periods(t, "us", ATTRIB_PERIOD_MONTH, &info, &err), ATTRIB_OK, &err);
  assert_string_equal(info.format, "MM/DD/YYYY");
  assert_true(t->cols[0].values[0] == 12 * 2025 + 11 && t->cols[0].values[1] == 12 * 2025 + 0);
  assert_status(attrib_table_dates_to_periods(t, "eu", ATTRIB_PERIOD_MONTH, &info, &err), ATTRIB_OK, &err);
  assert_string_equal(info.format, "DD/MM/YYYY");
  assert_true(t->cols[1].values[0] == 12 * 2025 + 11 && t->cols[1].values[1] == 12 * 2025 + 1);
  assert_status(attrib_table_dates_to_periods(t, "de", ATTRIB_PERIOD_MONTH, &info, &err), ATTRIB_OK, &err);
  assert_string_equal(info.format, "DD.MM.YYYY");
  assert_true(t->cols[2].values[1] == 12 * 2025 + 1);
  attrib_table_free(t);
  /* errors: not a date (a day that does not exist), no date at all, numbers */
  t = test_table("d,e,n\n2025-02-29,soon,1\n2025-03-01,later,2\n");
  assert_int_equal(attrib_table_dates_to_periods(t, "d", ATTRIB_PERIOD_DAY, &info, &err), ATTRIB_ETYPE);
  assert_string_equal(err.message, "test.csv: '2025-02-29' in 'd' (data row 1) is not a date in the column's format, YYYY-MM-DD");
  assert_int_equal(attrib_table_dates_to_periods(t, "e", ATTRIB_PERIOD_DAY, &info, &err), ATTRIB_ETYPE);
  assert_non_null(strstr(err.message, "is not a date: expected 2025-12-31, 12/31/2025, 31/12/2025 or 31.12.2025"));
  assert_int_equal(attrib_table_dates_to_periods(t, "n", ATTRIB_PERIOD_DAY, &info, &err), ATTRIB_ETYPE);
  attrib_table_free(t);
}

static void assert_tables_equal(const attrib_table *a, const attrib_table *b) {
  assert_int_equal(a->n_rows, b->n_rows);
  assert_int_equal(a->n_cols, b->n_cols);
  for (size_t j = 0; j < a->n_cols; j++) {
    const attrib_column *x = &a->cols[j], *y = &b->cols[j];
    assert_string_equal(x->name, y->name);
    assert_int_equal(x->type, y->type);
    assert_int_equal(x->n_missing, y->n_missing);
    if (x->type == ATTRIB_COLUMN_NUMERIC) {
      for (size_t i = 0; i < a->n_rows; i++) {
        assert_int_equal(attrib_column_is_missing(x, i), attrib_column_is_missing(y, i));
        if (!attrib_column_is_missing(x, i)) assert_true(x->values[i] == y->values[i]);
      }
    } else {
      assert_int_equal(x->n_levels, y->n_levels);
      for (size_t l = 0; l < x->n_levels; l++) assert_string_equal(x->levels[l], y->levels[l]);
      assert_memory_equal(x->codes, y->codes, a->n_rows * sizeof(int32_t));
    }
  }
}

/* Issue 15, found by tests/fuzz: read in small pieces and on two threads,
 * a file whose first range is only blank lines said "empty file", and the
 * delimiter was detected on the first read buffer (a quoted header ran
 * over it). Both now load as from memory. */
static void test_small_reads_agree(void **state) {
  (void)state;
  static const char *const texts[] = {
      "\n                                        \n                    \nid,x\n1,2\n3,4\n5,6\n7,8\n9,10\n",
      "a;\"b,c,d,e\nf\";g\n1;2;3\n4;5;6\n",
      "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\na,,b\n1,2,3\n",
      /* a trailing blank line over several chunks: one row too many */
      "a&f,g\nyes,TRUE\nno,false\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n",
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    size_t len = strlen(texts[i]);
    attrib_table *m = NULL, *f = NULL;
    attrib_error em, ef;
    attrib_status sm = read_mem(texts[i], len, &m, &em);
    char *path = write_temp(texts[i], len, 0);
    attrib_csv_options o;
    attrib_csv_options_init(&o);
    o.read_buffer = 16;
    o.threads = 2;
    o.parallel_min_bytes = 1;
    attrib_error_clear(&ef);
    attrib_status sf = attrib_table_read_csv(path, &o, &f, &ef);
    unlink(path);
    free(path);
    if (sm != sf) fail_msg("text %zu: from memory %s (%s), in 16-byte reads on two threads %s (%s)", i,
                           attrib_status_name(sm), em.message, attrib_status_name(sf), ef.message);
    if (sm == ATTRIB_OK) assert_tables_equal(m, f);
    else assert_int_equal(em.line, ef.line);
    attrib_table_free(m);
    attrib_table_free(f);
  }
}

/* What the progress callback saw: the phases in order, and per phase the
 * totals and the largest count (calls may come from two threads). */
typedef struct progress_log {
  pthread_mutex_t lock;
  char phases[4][32];
  size_t n_phases, total[4], max_done[4], calls;
  int bad; /* a call for a phase other than the current one, or a total that changed */
} progress_log;

static void progress_record(void *ctx, const char *phase, size_t done, size_t total) {
  progress_log *l = ctx;
  pthread_mutex_lock(&l->lock);
  l->calls++;
  if (!l->n_phases || strcmp(l->phases[l->n_phases - 1], phase) != 0) {
    if (l->n_phases == 4 || done != 0) l->bad = 1;
    else {
      snprintf(l->phases[l->n_phases], sizeof l->phases[0], "%s", phase);
      l->total[l->n_phases] = total;
      l->max_done[l->n_phases] = 0;
      l->n_phases++;
    }
  } else {
    size_t k = l->n_phases - 1;
    if (total != l->total[k]) l->bad = 1;
    if (done > l->max_done[k]) l->max_done[k] = done;
  }
  pthread_mutex_unlock(&l->lock);
}

/* Reads path with a progress log, and checks the log against the file:
 * counting, reading and (when a column turned to text late) re-reading,
 * each over all of the bytes, reported at least every 1 MiB. */
static void check_progress(const char *path, size_t bytes, int gz, int threads, int reread) {
  progress_log l;
  memset(&l, 0, sizeof l);
  pthread_mutex_init(&l.lock, NULL);
  attrib_csv_options o;
  attrib_csv_options_init(&o);
  o.progress = progress_record;
  o.progress_ctx = &l;
  o.threads = (size_t)threads;
  o.parallel_min_bytes = 1;
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_read_csv(path, &o, &t, &err), ATTRIB_OK, &err);
  attrib_table_free(t);
  pthread_mutex_destroy(&l.lock);
  assert_false(l.bad);
  assert_int_equal(l.n_phases, reread ? 3 : 2);
  assert_string_equal(l.phases[0], "counting rows");
  assert_string_equal(l.phases[1], "reading");
  if (reread) assert_string_equal(l.phases[2], "re-reading text columns");
  assert_int_equal(l.total[0], gz ? 0 : bytes); /* the compressed file's decompressed size is learnt by counting */
  for (size_t k = 1; k < l.n_phases; k++) {
    assert_int_equal(l.total[k], bytes);
    assert_true(l.max_done[k] <= bytes);
    assert_true(l.max_done[k] + ((size_t)1 << 20) >= bytes); /* the last mark is within a step of the end */
  }
  assert_true(l.calls >= l.n_phases + bytes / ((size_t)1 << 20) - 1);
}

static void test_files_and_gzip(void **state) {
  (void)state;
  /* large enough to cross the 1 MiB read buffer, with a quoted record and a
   * late categorical flip straddling buffer boundaries */
  size_t rows = 120000;
  size_t cap = rows * 40 + 100, n = 0;
  char *buf = malloc(cap);
  n += (size_t)sprintf(buf + n, "id,x,label,late\n");
  for (size_t i = 0; i < rows; i++) {
    if (i == 70000)
      n += (size_t)sprintf(buf + n, "%zu,%zu.25,\"multi\nline, quoted\",text\n", i, i);
    else
      n += (size_t)sprintf(buf + n, "%zu,%zu.25,L%zu,%zu\n", i, i, i % 7, i);
  }
  for (int gz = 0; gz < 2; gz++) {
    char *path = write_temp(buf, n, gz);
    attrib_table *t = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_status(attrib_table_read_csv(path, NULL, &t, &err), ATTRIB_OK, &err);
    assert_int_equal(t->n_rows, rows);
    assert_true(t->cols[1].values[rows - 1] == (double)(rows - 1) + 0.25);
    assert_int_equal(t->cols[2].n_levels, 8);
    assert_int_equal(t->cols[3].type, ATTRIB_COLUMN_CATEGORICAL);
    assert_string_equal(t->cols[3].levels[t->cols[3].codes[5]], "5");
    assert_string_equal(t->cols[3].levels[t->cols[3].codes[70000]], "text");
    assert_int_equal(t->cols[3].first_text_line, 70002);
    assert_string_equal(t->cols[2].levels[t->cols[2].codes[70000]], "multi\nline, quoted");
    attrib_table_free(t);
    check_progress(path, n, gz, 1, 1);
    unlink(path);
    free(path);
  }
  free(buf);
}

static void test_file_errors(void **state) {
  (void)state;
  attrib_table *t = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_read_csv("/nonexistent/learners.csv", NULL, &t, &err), ATTRIB_EIO, &err);
  assert_non_null(strstr(err.message, "/nonexistent/learners.csv: cannot open"));
  assert_status(attrib_table_read_csv("/tmp", NULL, &t, &err), ATTRIB_EIO, &err);
  assert_non_null(strstr(err.message, "is a directory"));
  const char *junk = "\x1f\x8b not really gzip";
  char *path = write_temp(junk, strlen(junk), 0);
  attrib_status s = attrib_table_read_csv(path, NULL, &t, &err);
  assert_true(s == ATTRIB_EIO || s == ATTRIB_EPARSE);
  /* the file's name, not zlib's "<fd:3>" */
  if (!strstr(err.message, "not a valid gzip stream") || strstr(err.message, "<fd:"))
    fail_msg("message '%s'", err.message);
  unlink(path);
  free(path);
}

static void test_column_require(void **state) {
  (void)state;
  attrib_table *t = test_table("tenure,sales\n1,2\n");
  size_t j = 99;
  attrib_error err;
  attrib_error_clear(&err);
  assert_status(attrib_table_column_require(t, "sales", "outcome", &j, &err), ATTRIB_OK, &err);
  assert_int_equal(j, 1);
  assert_status(attrib_table_column_require(t, "tenur", "covariate", &j, &err), ATTRIB_ENOCOL, &err);
  assert_string_equal(err.message, "test.csv: no column 'tenur' (covariate); did you mean 'tenure'?");
  assert_status(attrib_table_column_require(t, "zzzzzz", "outcome", &j, &err), ATTRIB_ENOCOL, &err);
  assert_string_equal(err.message, "test.csv: no column 'zzzzzz' (outcome)");
  attrib_table_free(t);
}

/* Every allocation failure must surface as ATTRIB_ENOMEM without a leak
 * (ASan checks the leaks). */
static void test_out_of_memory(void **state) {
  (void)state;
  const char *csv = "id,role,x\n1,A,1.5\n2,B,x\n3,\"C\",2\n";
  int succeeded = 0;
  for (long k = 1; k < 200 && !succeeded; k++) {
    attrib_table *t = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_table_read_csv_buffer(csv, strlen(csv), "oom.csv", NULL, &t, NULL);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      succeeded = 1;
      assert_int_equal(t->n_rows, 3);
      attrib_table_free(t);
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(t);
    }
  }
  assert_true(succeeded);
}

/* Parallel parsing (plain files without quotes, ranges at newlines) must
 * give exactly the sequential table: values, missing bits, levels and codes,
 * the first-text diagnostics, and the same errors at the same lines. The
 * files are 4-5 MB so that they span several 1 MiB read chunks. */
static char *big_csv(size_t rows, int variant, size_t *len) {
  size_t cap = rows * 64 + 256, n = 0;
  char *b = malloc(cap);
  n += (size_t)sprintf(b, "id,x,g,flag,late,y\n");
  for (size_t i = 0; i < rows; i++) {
    if (variant == 2 && i == rows / 2) n += (size_t)sprintf(b + n, "\n\n"); /* blank lines mid-file */
    const char *late = (variant == 1 && i == rows - 10) ? "oops" : "7.5";
    /* variant 4: text cells in several ranges of a column that is text from
     * its first row (the samples merge in file order) */
    if (variant == 4) late = i == 0 ? "tbd" : i % 20011 == 5 ? "#REF!" : i == rows - 3 ? "unk" : "7.5";
    char xbuf[32];
    if (i % 97 == 0) strcpy(xbuf, "NA");
    else snprintf(xbuf, sizeof xbuf, "%.3f", (double)i * 0.37);
    if (variant == 3 && i == rows - 5)
      n += (size_t)sprintf(b + n, "%zu,%s,L%zu\n", i, xbuf, i % 13); /* ragged, near the end */
    else
      n += (size_t)sprintf(b + n, "%zu,%s,L%zu,%s,%s,%zu\n", i, xbuf, (i * 7) % 13, i % 3 ? "yes" : "no", late, i % 1000);
  }
  *len = n;
  return b;
}

static void test_parallel_equals_sequential(void **state) {
  (void)state;
  for (int variant = 0; variant < 5; variant++) {
    size_t len;
    char *csv = big_csv(120000, variant, &len);
    char *path = write_temp(csv, len, 0);
    free(csv);
    if (variant == 0) check_progress(path, len, 0, 2, 0); /* reports from two parsing threads */
    attrib_table *t[2] = {NULL, NULL};
    attrib_error err[2];
    attrib_status st[2];
    for (int par = 0; par < 2; par++) {
      attrib_csv_options o;
      attrib_csv_options_init(&o);
      o.threads = par ? 2 : 1;
      o.parallel_min_bytes = 1;
      attrib_error_clear(&err[par]);
      st[par] = attrib_table_read_csv(path, &o, &t[par], &err[par]);
    }
    unlink(path);
    free(path);
    if (st[0] != st[1]) fail_msg("variant %d: sequential %s, parallel %s (%s)", variant, attrib_status_name(st[0]),
                                 attrib_status_name(st[1]), err[1].message);
    if (st[0] != ATTRIB_OK) {
      assert_int_equal(variant, 3);
      assert_string_equal(err[0].message, err[1].message);
      assert_int_equal(err[0].line, err[1].line);
      continue;
    }
    assert_int_equal(t[0]->n_rows, t[1]->n_rows);
    assert_int_equal(t[0]->n_rows, 120000);
    for (size_t j = 0; j < t[0]->n_cols; j++) {
      const attrib_column *a = &t[0]->cols[j], *b = &t[1]->cols[j];
      assert_int_equal(a->type, b->type);
      assert_int_equal(a->n_missing, b->n_missing);
      assert_int_equal(a->is_boolean, b->is_boolean);
      assert_int_equal(a->first_text_line, b->first_text_line);
      assert_int_equal(a->n_number_cells, b->n_number_cells);
      assert_int_equal(a->n_text_cells, b->n_text_cells);
      assert_int_equal(a->n_text_samples, b->n_text_samples);
      for (size_t k = 0; k < a->n_text_samples; k++) {
        assert_string_equal(a->text_samples[k], b->text_samples[k]);
        assert_int_equal(a->text_sample_lines[k], b->text_sample_lines[k]);
      }
      if (a->type == ATTRIB_COLUMN_NUMERIC) {
        assert_memory_equal(a->values, b->values, t[0]->n_rows * sizeof(double) - 0 * 0);
        for (size_t i = 0; i < t[0]->n_rows; i++)
          assert_int_equal(attrib_column_is_missing(a, i), attrib_column_is_missing(b, i));
      } else {
        assert_int_equal(a->n_levels, b->n_levels);
        for (size_t l = 0; l < a->n_levels; l++) assert_string_equal(a->levels[l], b->levels[l]);
        assert_memory_equal(a->codes, b->codes, t[0]->n_rows * sizeof(int32_t));
      }
    }
    if (variant == 1) {
      const attrib_column *c = &t[1]->cols[4];
      assert_int_equal(c->type, ATTRIB_COLUMN_CATEGORICAL);
      assert_int_equal(c->n_number_cells, 119999);
      assert_int_equal(c->n_text_cells, 1);
      assert_true(attrib_column_near_numeric(c));
      char msg[256];
      assert_string_equal(attrib_column_near_numeric_text(c, msg, sizeof msg),
                          "column 'late' is 99.9% numeric; not numbers: 'oops' (line 119992)");
    }
    if (variant == 4) {
      const attrib_column *c = &t[1]->cols[4];
      assert_int_equal(c->n_text_samples, 3);
      assert_string_equal(c->text_samples[0], "tbd");
      assert_int_equal(c->text_sample_lines[0], 2);
      assert_string_equal(c->text_samples[1], "#REF!");
      assert_int_equal(c->text_sample_lines[1], 7);
      assert_string_equal(c->text_samples[2], "unk");
      assert_int_equal(c->text_sample_lines[2], 119999);
      assert_int_equal(c->n_text_cells, 2 + 6);
      assert_false(attrib_column_near_numeric(&t[1]->cols[2])); /* L0..L12: text */
    }
    attrib_table_free(t[0]);
    attrib_table_free(t[1]);
  }
}


/* The same rows with LF, CRLF and CR-only line ends, with and without a
 * quoted field, from a file (both thread settings, from gzip) and from memory,
 * load to the same table. A CR-only file with a quote once overflowed the
 * columns, and without one it was read as a single header line. */
static void test_line_endings_agree(void **state) {
  (void)state;
  for (int quoted = 0; quoted < 2; quoted++) {
    size_t len;
    char *lf = big_csv(60000, 0, &len);
    if (quoted) memcpy(lf + len - 4, "\"9\"", 3); /* the last field 999 becomes "9" */
    char *cr = malloc(len), *crlf = malloc(2 * len);
    size_t m = 0;
    for (size_t i = 0; i < len; i++) {
      cr[i] = lf[i] == '\n' ? '\r' : lf[i];
      if (lf[i] == '\n') crlf[m++] = '\r';
      crlf[m++] = lf[i];
    }
    attrib_table *ref = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_int_equal(attrib_table_read_csv_buffer(lf, len, "lf.csv", NULL, &ref, &err), ATTRIB_OK);
    assert_int_equal(ref->n_rows, 60000);
    const char *texts[2] = {cr, crlf};
    size_t lens[2] = {len, m};
    for (int v = 0; v < 2; v++) {
      for (int src = 0; src < 4; src++) {
        attrib_table *t = NULL;
        attrib_csv_options o;
        attrib_csv_options_init(&o);
        o.threads = src == 2 ? 2 : 1;
        o.parallel_min_bytes = 1;
        attrib_error_clear(&err);
        attrib_status s;
        if (src == 0) {
          s = attrib_table_read_csv_buffer(texts[v], lens[v], "x.csv", &o, &t, &err);
        } else {
          char *path = write_temp(texts[v], lens[v], src == 3);
          s = attrib_table_read_csv(path, &o, &t, &err);
          unlink(path);
          free(path);
        }
        if (s != ATTRIB_OK) fail_msg("quoted %d, variant %d, source %d: %s", quoted, v, src, err.message);
        assert_tables_equal(ref, t);
        attrib_table_free(t);
      }
    }
    attrib_table_free(ref);
    free(lf);
    free(cr);
    free(crlf);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_line_endings_agree),
      cmocka_unit_test(test_hostile_bytes),
      cmocka_unit_test(test_truncated_gzip),
      cmocka_unit_test(test_wide_header),
      cmocka_unit_test(test_near_numeric),
      cmocka_unit_test(test_missing_words),
      cmocka_unit_test(test_formatted_numbers),
      cmocka_unit_test(test_encodings),
      cmocka_unit_test(test_unnamed_columns),
      cmocka_unit_test(test_binarize),
      cmocka_unit_test(test_dates_to_periods),
      cmocka_unit_test(test_small_reads_agree),
      cmocka_unit_test(test_table_driven),
      cmocka_unit_test(test_values_and_types),
      cmocka_unit_test(test_numeric_levels_sort_numerically),
      cmocka_unit_test(test_forced_types),
      cmocka_unit_test(test_explicit_delim_and_max_rows),
      cmocka_unit_test(test_files_and_gzip),
      cmocka_unit_test(test_file_errors),
      cmocka_unit_test(test_column_require),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_parallel_equals_sequential),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
