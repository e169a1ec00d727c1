/*
 * CSV -> columnar table.
 *
 * Design (docs/design.md, "Loading"):
 *  - The input is streamed through one reusable buffer; a first pass counts
 *    newlines so every column is allocated once at its final size (no
 *    doubling realloc, no per-cell allocation; fresh memory is the slowest
 *    thing on this machine).
 *  - Records without a quote character take a hand-written fast path;
 *    a record with a quote is handed to libcsv, line by line, until libcsv
 *    reports its end, so quoted delimiters and newlines follow libcsv's
 *    rules exactly. Both paths trim blanks around unquoted fields as libcsv
 *    does.
 *  - Types are inferred in the same pass: a column starts numeric and turns
 *    categorical at its first value that is neither a number, a boolean word
 *    nor a missing token. If numbers were already stored, their text is gone,
 *    so those columns alone are read again in a second pass.
 *  - Standard input cannot be rewound: it is read into memory first.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

#include <attrib/table.h>
#include "core/parallel.h"
#include "data/data_internal.h"

#define BUF_INITIAL ((size_t)1 << 20)
/* A header line must end within this many bytes: without the cap, the
 * counting pass read an endless source (describe /dev/zero) forever. */
#define HEADER_MAX ((size_t)16 << 20)
/* Any line, and any record (a quoted field may span lines), must be
 * shorter: 1 MB fields load, a runaway quote or a binary file stops with a
 * message instead of growing the buffer without bound. */
#define RECORD_MAX ((size_t)64 << 20)

/* ------------------------------------------------------------ column build */

typedef struct colbuild {
  attrib_column_type type;
  char forced;          /* 0, 'n' numeric, 'c' categorical */
  int skip;             /* second pass: column already final; or dropped */
  int dropped;          /* no name in the header: left out of the table (attrib_table.dropped) */
  int not_read;         /* a stream's column not asked for: parsed over, never stored */
  int reparse;          /* turned categorical after numbers were stored */
  int flip;             /* worker: saw text in a numeric column (deferred) */
  size_t n_numbers;     /* non-missing numeric values stored */
  size_t n_bools;       /* of which boolean words */
  int bool_words;       /* 1 true/false, 2 yes/no: the first kind seen */
  size_t n_missing;
  double *values;
  uint64_t *missing;
  int32_t *codes;
  attrib__level_dict dict;
  size_t first_text_line;
  char *first_text;
  /* inferred categorical columns: cells that read as numbers, cells that
   * did not, and the first distinct ones that did not (attrib_column) */
  size_t n_number_cells, n_text_cells, n_samples;
  char *samples[ATTRIB_TEXT_SAMPLES];
  size_t sample_lines[ATTRIB_TEXT_SAMPLES];
} colbuild;

/* ------------------------------------------------------------ prefault */

/* First touch of fresh memory costs the kernel a page clear, and on this
 * machine that is as slow as parsing (docs/performance.md, fact 1). A helper
 * thread asks the kernel to populate the column arrays ahead of the parser
 * (MADV_POPULATE_WRITE never changes a page already present, so racing with
 * the parser's writes is safe), moving that cost to the other core. */
#define PREFAULT_BLOCK_ROWS ((size_t)1 << 16)
#define PREFAULT_MIN_BYTES ((size_t)32 << 20)

typedef struct prefault {
  pthread_t thread;
  int running;
  atomic_int stop;
  void **arrays;
  size_t *elem;
  size_t n_arrays, rows;
} prefault;

static void populate(void *base, size_t from, size_t to) {
#ifdef MADV_POPULATE_WRITE
  const uintptr_t page = 4096;
  uintptr_t a = ((uintptr_t)base + from) & ~(page - 1);
  uintptr_t b = ((uintptr_t)base + to + page - 1) & ~(page - 1);
  (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
  (void)base, (void)from, (void)to;
#endif
}

static void *prefault_main(void *arg) {
  prefault *p = arg;
  for (size_t r0 = 0; r0 < p->rows; r0 += PREFAULT_BLOCK_ROWS) {
    if (atomic_load_explicit(&p->stop, memory_order_relaxed)) break;
    size_t r1 = r0 + PREFAULT_BLOCK_ROWS < p->rows ? r0 + PREFAULT_BLOCK_ROWS : p->rows;
    for (size_t a = 0; a < p->n_arrays; a++) populate(p->arrays[a], r0 * p->elem[a], r1 * p->elem[a]);
  }
  return NULL;
}

static void prefault_start(prefault *p, colbuild *cols, size_t n_cols, size_t rows) {
  memset(p, 0, sizeof *p);
  size_t bytes = 0;
  for (size_t j = 0; j < n_cols; j++) bytes += rows * (cols[j].values ? sizeof(double) : sizeof(int32_t));
  if (bytes < PREFAULT_MIN_BYTES) return;
  p->arrays = attrib__malloc(n_cols, sizeof *p->arrays);
  p->elem = attrib__malloc(n_cols, sizeof *p->elem);
  if (!p->arrays || !p->elem) goto off; /* an optimisation only: go on without */
  for (size_t j = 0; j < n_cols; j++) {
    p->arrays[j] = cols[j].values ? (void *)cols[j].values : (void *)cols[j].codes;
    p->elem[j] = cols[j].values ? sizeof(double) : sizeof(int32_t);
  }
  p->n_arrays = n_cols;
  p->rows = rows;
  atomic_init(&p->stop, 0);
  if (pthread_create(&p->thread, NULL, prefault_main, p) == 0) {
    p->running = 1;
    return;
  }
off:
  attrib__free(p->arrays);
  attrib__free(p->elem);
  p->arrays = NULL;
  p->elem = NULL;
}

static void prefault_stop(prefault *p) {
  if (p->running) {
    atomic_store(&p->stop, 1);
    pthread_join(p->thread, NULL);
    p->running = 0;
  }
  attrib__free(p->arrays);
  attrib__free(p->elem);
  p->arrays = NULL;
  p->elem = NULL;
}

/* Shared by the reader and its range workers (see the options' progress). */
typedef struct load_progress {
  void (*fn)(void *ctx, const char *phase, size_t done, size_t total);
  void *ctx;
  const char *phase;
  size_t total, step;
  atomic_size_t done, next;
} load_progress;

typedef struct reader {
  const char *name;
  load_progress *prog; /* NULL: no progress reports */
  /* source */
  int fd;
  gzFile gz;
  size_t gz_out; /* bytes decompressed in this pass */
  const char *mem;
  size_t mem_len, mem_pos;
  /* buffer */
  char *buf;
  size_t cap, len, pos;
  size_t cap0; /* the initial size (attrib_csv_options.read_buffer) */
  int eof;
  /* parse state */
  char delim;
  size_t line;     /* physical line of the scan position, 1-based */
  size_t rec_line; /* line where the current record began */
  size_t field;    /* fields seen in the current record */
  size_t row;      /* data rows stored */
  size_t row_cap;
  size_t max_rows;
  int in_header;
  int second_pass;
  int done;
  struct csv_parser csv;
  int csv_ready, csv_active, csv_record_ended;
  /* header */
  char **names;
  size_t n_names, names_cap;
  size_t n_cols;
  colbuild *cols;
  attrib__arena *strings;
  prefault pf;
  const attrib_csv_options *opts;
  attrib_status status;
  attrib_error *err;
  /* parallel parsing (csv_parallel section) */
  int use_pread;        /* read [fd_off, fd_end) with pread */
  size_t fd_off, fd_end;
  int worker;           /* a range worker: flips and missing bits deferred or atomic */
  size_t rows_end;      /* a range worker: the row after its range's last (at most) */
  int no_prefault;
  int stream_resume;    /* a stream's next chunk: the start of the pass (BOM, delimiter) is behind */
  const char *const *only; /* a stream's columns to store (NULL: all) */
  int has_quote;        /* the counting pass saw a '"' */
  int lone_cr;          /* the counting pass saw a CR not followed by LF: records also end there */
  int has_nul;          /* the counting pass saw a NUL byte: fields are checked for it */
  size_t rec_bytes;     /* bytes of the current quoted record fed to libcsv (RECORD_MAX) */
  size_t file_size;
  size_t *ck_off, *ck_nlb, *ck_fnl; /* per read chunk: offset, newlines before, first newline (or SIZE_MAX) */
  size_t n_ck, ck_cap;
  size_t min_blank_line, max_record_line;
  /* values (attrib_csv_options): missing words, number formats */
  const char *const *na; /* NULL: the default words (attrib__is_missing_token) */
  size_t *na_len;
  int formatted;         /* some number format is on: cells that are not plain numbers are tried formatted */
  int decimal_comma;     /* the decimal mark is ',': plain numbers are parsed formatted too */
  attrib__number_format fmt;
} reader;

/* The given missing words (attrib_csv_options.na). Out of line, as the
 * formatted parse below: data_field runs once per cell, and code inlined
 * into it for options a clean file does not use made every call dearer
 * (callgrind: +2.5% instructions on a 100k x 20 describe). */
__attribute__((noinline)) static int missing_word(const reader *r, const char *s, size_t n) {
  if (n == 0) return 1;
  for (size_t k = 0; r->na[k]; k++)
    if (r->na_len[k] == n && memcmp(r->na[k], s, n) == 0) return 1;
  return 0;
}

/* Whether the cell is missing: empty, or one of the missing words. */
static inline int is_missing(const reader *r, const char *s, size_t n) {
  return r->na ? missing_word(r, s, n) : attrib__is_missing_token(s, n);
}

static attrib_status fail_oom(reader *r) {
  if (r->status == ATTRIB_OK)
    r->status = attrib__fail(r->err, ATTRIB_ENOMEM, "%s: out of memory while loading", r->name);
  return r->status;
}

static attrib_status col_make_categorical(reader *r, colbuild *c) {
  /* the helper may be populating the array about to be unmapped */
  prefault_stop(&r->pf);
  attrib__free_large(c->values, r->row_cap * sizeof(double));
  c->values = NULL;
  attrib__free(c->missing);
  c->missing = NULL;
  c->codes = attrib__alloc_large(r->row_cap * sizeof(int32_t));
  if (!c->codes && r->row_cap) return fail_oom(r);
  /* rows before this one hold no text we kept: all missing, or re-read in
   * the second pass */
  for (size_t i = 0; i < r->row; i++) c->codes[i] = -1;
  c->type = ATTRIB_COLUMN_CATEGORICAL;
  return ATTRIB_OK;
}

static void set_missing_bit(reader *r, colbuild *c, size_t i) {
  if (r->worker) { /* preallocated; neighbouring ranges may share a word */
    __atomic_fetch_or(&c->missing[i >> 6], (uint64_t)1 << (i & 63), __ATOMIC_RELAXED);
    return;
  }
  if (!c->missing) {
    c->missing = attrib__calloc((r->row_cap + 63) / 64, sizeof(uint64_t));
    if (!c->missing) {
      fail_oom(r);
      return;
    }
  }
  c->missing[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* ------------------------------------------------------------ fields */

static int is_blank(reader *r, char ch) { return ch == ' ' || (ch == '\t' && r->delim != '\t'); }

/* A NUL byte in a field: the file is binary, or text in an encoding with
 * NULs (UTF-16); never cut at the NUL silently. */
static void fail_nul(reader *r, size_t col) {
  r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, r->rec_line, col,
                              "%s: line %zu, column %zu: a NUL byte; this is binary data or text that is "
                              "not UTF-8 (UTF-16?): save the file as CSV UTF-8",
                              r->name, r->rec_line, col);
}

/* Names and text cells must be UTF-8: JSON output and the report need it,
 * and mojibake in a table helps nobody. */
static int check_utf8(reader *r, const char *s, size_t n, size_t col) {
  size_t bad = attrib__utf8_invalid(s, n);
  if (bad == n) return 1;
  char q[96];
  attrib__quote(q, sizeof q, s, n);
  r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, r->rec_line, col,
                              "%s: not UTF-8 at line %zu, column %zu: byte 0x%02X in %s; read it with its "
                              "encoding (csv.encoding cp1252 for Windows exports, latin1) or save it as CSV UTF-8",
                              r->name, r->rec_line, col, (unsigned char)s[bad], q);
  return 0;
}

static void header_field(reader *r, const char *s, size_t n) {
  if (r->second_pass) return;
  while (n && is_blank(r, *s)) s++, n--;
  while (n && is_blank(r, s[n - 1])) n--;
  if (!check_utf8(r, s, n, r->n_names + 1)) return;
  if (r->n_names == r->names_cap) {
    size_t cap = r->names_cap ? r->names_cap * 2 : 32;
    char **nn = attrib__realloc(r->names, cap, sizeof *nn);
    if (!nn) {
      fail_oom(r);
      return;
    }
    r->names = nn;
    r->names_cap = cap;
  }
  char *copy = attrib__strndup(s, n);
  if (!copy) {
    fail_oom(r);
    return;
  }
  r->names[r->n_names++] = copy;
}

/* Keeps s as one of the first distinct text cells of c, with its line. */
static void sample_text(reader *r, colbuild *c, const char *s, size_t n) {
  /* A long cell keeps its first 64 bytes, cut at a character's start, and
   * says that it was cut: "n/a_zzz...(154 bytes in all)". */
  char tmp[64 + 48];
  size_t m = n;
  if (n > 64) {
    m = 64;
    while (m > 0 && ((unsigned char)s[m] & 0xC0) == 0x80) m--;
    memcpy(tmp, s, m);
    m += (size_t)snprintf(tmp + m, sizeof tmp - m, "...(%zu bytes in all)", n);
    s = tmp;
  }
  for (size_t k = 0; k < c->n_samples; k++)
    if (strlen(c->samples[k]) == m && memcmp(c->samples[k], s, m) == 0) return;
  char *copy = attrib__strndup(s, m);
  if (!copy) {
    fail_oom(r);
    return;
  }
  c->samples[c->n_samples] = copy;
  c->sample_lines[c->n_samples++] = r->rec_line;
}

/* A numeric column's cell that is not a plain number: a formatted number,
 * a missing word, a boolean word, or text (an error in a forced-numeric
 * column; else the column turns categorical and the cell is interned by the
 * caller). Returns 1 when the cell is done, 0 when the caller interns it.
 * Out of line: the plain-number path of data_field stays as short as it is
 * for clean files (callgrind, 100k x 20 describe). */
__attribute__((noinline)) static int numeric_cell_slow(reader *r, colbuild *c, size_t j, size_t i, const char *s,
                                                       size_t n) {
  double v;
  if (r->formatted && n > 0 && attrib__parse_formatted(s, n, &r->fmt, &v)) {
    c->values[i] = v;
    c->n_numbers++;
    return 1;
  }
  if (is_missing(r, s, n)) {
    c->n_missing++;
    c->values[i] = NAN;
    set_missing_bit(r, c, i);
    return 1;
  }
  int words = attrib__parse_bool(s, n, &v);
  if (words) {
    c->values[i] = v;
    c->n_numbers++;
    c->n_bools++;
    if (!c->bool_words) c->bool_words = words;
    return 1;
  }
  if (c->forced == 'n') {
    char q[64];
    attrib__quote(q, sizeof q, s, n);
    r->status = attrib__fail_at(r->err, ATTRIB_ETYPE, r->rec_line, j + 1,
                                "%s: line %zu, column %zu ('%s'): %s is not a number "
                                "(the column was declared numeric)",
                                r->name, r->rec_line, j + 1, r->names[j], q);
    return 1;
  }
  if (r->worker) { /* storage cannot change under other threads: defer */
    /* but check the text as the sequential parser does when it interns
     * it, so both paths stop at the same error (found by tests/fuzz) */
    if (!check_utf8(r, s, n, j + 1)) return 1;
    if (!c->flip) {
      c->flip = 1;
      c->first_text_line = r->rec_line;
      c->first_text = attrib__strndup(s, n > 64 ? 64 : n);
      if (!c->first_text) fail_oom(r);
    }
    return 1;
  }
  c->first_text_line = r->rec_line;
  c->first_text = attrib__strndup(s, n > 64 ? 64 : n);
  if (!c->first_text) {
    fail_oom(r);
    return 1;
  }
  /* the cells before this one: numbers, boolean words (text), missing */
  c->n_number_cells = c->n_numbers - c->n_bools;
  c->n_text_cells = c->n_bools;
  if (c->n_numbers > 0) c->reparse = 1;
  return col_make_categorical(r, c) != ATTRIB_OK;
}

/* Inlined into both callers: at 200M cells for a 10M x 20 file the call
 * itself (prologue, spills, the reload of r's fields) was a fifth of this
 * function's samples (perf, issue 19); inlined, describe of 100k x 20 ran
 * 493.8M instructions instead of 529.6M (callgrind). */
static inline __attribute__((always_inline)) void data_field(reader *r, const char *s, size_t n, int trim) {
  size_t j = r->field++;
  if (j >= r->n_cols) return; /* counted; reported at the end of the record */
  colbuild *c = &r->cols[j];
  if (c->skip) return;
  size_t i = r->row;
  if (i >= r->row_cap) { /* cannot happen: count_newlines bounds the records */
    r->status = attrib__fail(r->err, ATTRIB_EPARSE, "%s: line %zu: more records than line ends "
                             "(internal error in the row count)", r->name, r->rec_line);
    return;
  }
  if (trim) {
    while (n && is_blank(r, *s)) s++, n--;
    while (n && is_blank(r, s[n - 1])) n--;
  }
  if (c->type == ATTRIB_COLUMN_NUMERIC) {
    /* Numbers first: they are most fields, and the grammar check rejects
     * NA/NaN/null before any other work. */
    double v;
    /* The plain parse first, as for clean files (the hot path). With a
     * decimal comma a plain parse that succeeded may still be wrong ("1.500"
     * is 1500 with thousands '.'): such cells take the formatted parse. */
    if (n > 0 && attrib__parse_double(s, n, &v)) {
      if (__builtin_expect(!r->decimal_comma, 1)) {
        c->values[i] = v;
        c->n_numbers++;
        return;
      }
    }
    if (numeric_cell_slow(r, c, j, i, s, n)) return;
  } else if (is_missing(r, s, n)) {
    c->n_missing++;
    c->codes[i] = -1;
    return;
  }
  if (c->forced != 'c') { /* inferred: how numeric is it (attrib_column_near_numeric) */
    double v;
    unsigned char c0 = n ? (unsigned char)s[0] : 0; /* most text fails here, before the parser */
    if (r->formatted ? attrib__parse_formatted(s, n, &r->fmt, &v)
                     : ((unsigned)(c0 - '0') < 10 || c0 == '-' || c0 == '+' || c0 == '.') && attrib__parse_double(s, n, &v)) {
      c->n_number_cells++;
    } else {
      c->n_text_cells++;
      if (c->n_samples < ATTRIB_TEXT_SAMPLES) sample_text(r, c, s, n);
    }
  }
  size_t before = c->dict.n;
  int32_t code = attrib__level_dict_intern(&c->dict, r->strings, s, n);
  if (code < 0) {
    fail_oom(r);
    return;
  }
  if (c->dict.n > before && !check_utf8(r, s, n, j + 1)) return;
  c->codes[i] = code;
}

static attrib_status start_columns(reader *r);

static void record_end(reader *r) {
  if (r->status != ATTRIB_OK || r->done) return;
  if (r->in_header) {
    r->in_header = 0;
    r->field = 0;
    if (!r->second_pass) r->status = start_columns(r);
    return;
  }
  if (r->field != r->n_cols) {
    r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, r->rec_line, 0,
                                "%s: line %zu: %zu field%s, header has %zu", r->name, r->rec_line,
                                r->field, r->field == 1 ? "" : "s", r->n_cols);
    return;
  }
  r->field = 0;
  r->row++;
  if (r->max_rows && r->row >= r->max_rows) r->done = 1;
}

/* libcsv callbacks: they cannot return errors, so failures are kept in the
 * reader (r->status) and parsing stops at the next check. */
static void csv_cb_field(void *s, size_t n, void *data) {
  reader *r = data;
  if (r->status != ATTRIB_OK || r->done) return;
  if (r->has_nul && s && memchr(s, '\0', n)) {
    fail_nul(r, (r->in_header ? r->n_names : r->field) + 1);
    return;
  }
  if (r->in_header) {
    header_field(r, s ? s : "", s ? n : 0);
    /* counted as fast_record counts it, so that an error in a quoted header
     * (an unterminated quote, text after a closing quote) names its column */
    r->field++;
  } else
    data_field(r, s ? s : "", s ? n : 0, 0); /* libcsv already trimmed */
}

static void csv_cb_record(int c, void *data) {
  (void)c;
  reader *r = data;
  r->csv_record_ended = 1;
  record_end(r);
}

static int csv_space(unsigned char c) { return c == ' ' || c == '\t'; }
static int csv_space_no_tab(unsigned char c) { return c == ' '; }

/* ------------------------------------------------------------ header */

static long find_name(char **names, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0) return (long)i;
  return -1;
}

static attrib_status unknown_forced(reader *r, const char *name) {
  const char *best = NULL;
  size_t bestd = (size_t)-1;
  for (size_t i = 0; i < r->n_names; i++) {
    size_t d = attrib__edit_distance(name, r->names[i]);
    if (d < bestd) bestd = d, best = r->names[i];
  }
  if (best && bestd <= 2 + strlen(name) / 4)
    return attrib__fail(r->err, ATTRIB_ENOCOL, "%s: no column '%s' in the header; did you mean '%s'?",
                        r->name, name, best);
  return attrib__fail(r->err, ATTRIB_ENOCOL, "%s: no column '%s' in the header", r->name, name);
}

/* Empty and duplicate names, with a hash of the names seen: O(columns)
 * (the pairwise check took 42 s for 100k columns). */
static attrib_status check_names(reader *r) {
  size_t n = r->n_names, ns = 16;
  while (ns < 2 * n) ns <<= 1;
  size_t *slot = attrib__calloc(ns, sizeof *slot); /* index + 1, 0 = empty */
  if (!slot) return fail_oom(r);
  attrib_status s = ATTRIB_OK;
  for (size_t j = 0; j < n && s == ATTRIB_OK; j++) {
    const char *nm = r->names[j];
    if (nm[0] == '\0') {
      if (!r->opts->strict_header) continue; /* left out (start_columns) */
      s = attrib__fail_at(r->err, ATTRIB_EPARSE, r->rec_line, j + 1,
                          "%s: line %zu, column %zu: empty column name in the header", r->name, r->rec_line, j + 1);
      break;
    }
    size_t len = strlen(nm), h = attrib__hash_bytes(nm, len) & (ns - 1);
    for (; slot[h]; h = (h + 1) & (ns - 1)) {
      size_t k = slot[h] - 1;
      if (strcmp(r->names[k], nm) == 0) {
        char q[96];
        attrib__quote(q, sizeof q, nm, len);
        s = attrib__fail_at(r->err, ATTRIB_EPARSE, r->rec_line, j + 1,
                            "%s: line %zu: duplicate column name %s (columns %zu and %zu)", r->name, r->rec_line, q,
                            k + 1, j + 1);
        break;
      }
    }
    slot[h] = j + 1;
  }
  attrib__free(slot);
  return s;
}

static attrib_status start_columns(reader *r) {
  r->n_cols = r->n_names;
  ATTRIB__TRY(check_names(r));
  r->cols = attrib__calloc(r->n_cols, sizeof *r->cols);
  if (!r->cols) return fail_oom(r);
  const attrib_csv_options *o = r->opts;
  for (int pass = 0; pass < 2; pass++) {
    const char *const *list = pass == 0 ? o->numeric : o->categorical;
    for (size_t i = 0; list && list[i]; i++) {
      long j = find_name(r->names, r->n_names, list[i]);
      if (j < 0) return unknown_forced(r, list[i]);
      r->cols[j].forced = pass == 0 ? 'n' : 'c';
    }
  }
  for (size_t i = 0; o->identifiers && o->identifiers[i]; i++) {
    long j = find_name(r->names, r->n_names, o->identifiers[i]);
    if (j >= 0 && r->cols[j].forced != 'n') r->cols[j].forced = 'c';
  }
  size_t named = 0;
  for (size_t j = 0; j < r->n_cols; j++) {
    /* a column with no name is parsed over (its fields still count for the
     * row's width) and left out of the table */
    r->cols[j].dropped = r->cols[j].skip = r->names[j][0] == '\0';
    named += !r->cols[j].dropped;
    if (r->only && !r->cols[j].dropped) {
      int want = 0;
      for (size_t q = 0; !want && r->only[q]; q++) want = strcmp(r->only[q], r->names[j]) == 0;
      r->cols[j].not_read = r->cols[j].skip = !want;
    }
  }
  if (named == 0)
    return attrib__fail_at(r->err, ATTRIB_EPARSE, r->rec_line, 1, "%s: line %zu: no column of the header has a name",
                           r->name, r->rec_line);
  for (size_t j = 0; j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    if (c->not_read) continue;
    if (c->forced == 'c') {
      c->type = ATTRIB_COLUMN_CATEGORICAL;
      c->codes = attrib__alloc_large(r->row_cap * sizeof(int32_t));
      if (!c->codes && r->row_cap) return fail_oom(r);
    } else {
      c->type = ATTRIB_COLUMN_NUMERIC;
      c->values = attrib__alloc_large(r->row_cap * sizeof(double));
      if (!c->values && r->row_cap) return fail_oom(r);
    }
  }
  if (!r->no_prefault) prefault_start(&r->pf, r->cols, r->n_cols, r->row_cap);
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ source */

static void progress_phase(reader *r, const char *phase) {
  load_progress *p = r->prog;
  if (!p) return;
  p->phase = phase;
  atomic_store(&p->done, 0);
  atomic_store(&p->next, p->step);
  p->fn(p->ctx, phase, 0, p->total);
}

/* Counts n more bytes; the thread that moves the next mark reports. */
static void progress_add(reader *r, size_t n) {
  load_progress *p = r->prog;
  if (!p || !n) return;
  size_t d = atomic_fetch_add(&p->done, n) + n, next = atomic_load(&p->next);
  while (d >= next) {
    if (atomic_compare_exchange_weak(&p->next, &next, (d / p->step + 1) * p->step)) {
      p->fn(p->ctx, p->phase, d, p->total);
      break;
    }
  }
}

static attrib_status src_read_raw(reader *r, char *dst, size_t want, size_t *got);

static attrib_status src_read(reader *r, char *dst, size_t want, size_t *got) {
  attrib_status s = src_read_raw(r, dst, want, got);
  if (s == ATTRIB_OK) progress_add(r, *got);
  return s;
}

static attrib_status src_read_raw(reader *r, char *dst, size_t want, size_t *got) {
  if (r->mem) {
    size_t n = r->mem_len - r->mem_pos;
    if (n > want) n = want;
    memcpy(dst, r->mem + r->mem_pos, n);
    r->mem_pos += n;
    *got = n;
    return ATTRIB_OK;
  }
  if (r->gz) {
    unsigned w = want > (1u << 30) ? (1u << 30) : (unsigned)want;
    int n = gzread(r->gz, dst, w);
    int e = Z_OK;
    const char *m = gzerror(r->gz, &e);
    if (n < 0 && e != Z_BUF_ERROR) {
      /* zlib names the stream "<fd:N>" (gzdopen): the file's name is ours */
      if (m && m[0] == '<') {
        const char *c = strstr(m, ">: ");
        if (c) m = c + 3;
      }
      return attrib__fail(r->err, ATTRIB_EPARSE, "%s: not a valid gzip stream (%s)", r->name, m ? m : "?");
    }
    /* zlib returns what it could decompress of a truncated stream and then
     * end of file; only gzerror tells (Z_BUF_ERROR) */
    if (n <= 0 && e == Z_BUF_ERROR)
      return attrib__fail(r->err, ATTRIB_EPARSE,
                          "%s: the gzip stream is truncated (it ends after %zu bytes of text, before its "
                          "end marker): the file is incomplete",
                          r->name, r->gz_out);
    r->gz_out += (size_t)n;
    *got = (size_t)n;
    return ATTRIB_OK;
  }
  if (r->use_pread) {
    if (want > r->fd_end - r->fd_off) want = r->fd_end - r->fd_off;
    for (;;) {
      ssize_t n = want ? pread(r->fd, dst, want, (off_t)r->fd_off) : 0;
      if (n >= 0) {
        r->fd_off += (size_t)n;
        *got = (size_t)n;
        return ATTRIB_OK;
      }
      if (errno != EINTR)
        return attrib__fail(r->err, ATTRIB_EIO, "%s: cannot read: %s", r->name, strerror(errno));
    }
  }
  for (;;) {
    ssize_t n = read(r->fd, dst, want);
    if (n >= 0) {
      *got = (size_t)n;
      return ATTRIB_OK;
    }
    if (errno != EINTR)
      return attrib__fail(r->err, ATTRIB_EIO, "%s: cannot read: %s", r->name, strerror(errno));
  }
}

static attrib_status src_rewind(reader *r) {
  if (r->mem) {
    r->mem_pos = 0;
  } else if (r->gz) {
    if (gzrewind(r->gz) != 0)
      return attrib__fail(r->err, ATTRIB_EIO, "%s: cannot rewind the compressed stream", r->name);
    r->gz_out = 0;
  } else if (lseek(r->fd, 0, SEEK_SET) != 0) {
    return attrib__fail(r->err, ATTRIB_EIO, "%s: cannot seek: %s", r->name, strerror(errno));
  }
  r->len = r->pos = 0;
  r->eof = 0;
  return ATTRIB_OK;
}

/* Moves the unconsumed tail to the front and reads more; grows the buffer
 * only when one line is longer than it. */
static attrib_status refill(reader *r) {
  if (r->pos > 0) {
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->pos = 0;
  }
  if (r->len == r->cap) {
    if (r->cap >= RECORD_MAX)
      return r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, r->line, 0,
                                         "%s: line %zu is longer than %zu MiB (no line end: is this a CSV text "
                                         "file?)",
                                         r->name, r->line, RECORD_MAX >> 20);
    char *nb = attrib__realloc(r->buf, r->cap * 2, 1);
    if (!nb) return fail_oom(r);
    r->buf = nb;
    r->cap *= 2;
  }
  size_t got;
  ATTRIB__TRY(src_read(r, r->buf + r->len, r->cap - r->len, &got));
  if (got == 0) r->eof = 1;
  r->len += got;
  return ATTRIB_OK;
}

/* Record terminators, counted the way records are split (find_eol below and
 * libcsv alike): LF, CRLF (one terminator) and a lone CR (old Mac exports).
 * The count sizes every column, so it must never be smaller than the number
 * of records any path can produce: each record ends at one of these bytes
 * outside quotes, or at the end of the file. *pending says the previous
 * block ended in CR, which is lone unless this block starts with LF. */
static void count_block(const char *p, size_t n, int *pending, size_t *lf, size_t *lone) {
  if (*pending && n) {
    if (p[0] != '\n') (*lone)++;
    *pending = 0;
  }
  const char *end = p + n;
  for (const char *q = p; q < end && (q = memchr(q, '\n', (size_t)(end - q))); q++) (*lf)++;
  for (const char *q = p; q < end && (q = memchr(q, '\r', (size_t)(end - q))); q++) {
    if (q + 1 == end) *pending = 1;
    else if (q[1] != '\n') (*lone)++;
  }
}

/* The header must end within HEADER_MAX bytes: an endless source (a
 * device, a binary file without line ends) would be counted forever. */
static attrib_status header_too_long(reader *r) {
  if (r->has_nul)
    return attrib__fail_at(r->err, ATTRIB_EPARSE, 1, 0,
                           "%s: no line end in the first %zu MiB, and NUL bytes: this is binary data, not a "
                           "CSV text file",
                           r->name, HEADER_MAX >> 20);
  return attrib__fail_at(r->err, ATTRIB_EPARSE, 1, 0,
                         "%s: no line end in the first %zu MiB: the header line is too long (is this a CSV "
                         "text file?)",
                         r->name, HEADER_MAX >> 20);
}

static int has_eol(const char *p, size_t n) { return memchr(p, '\n', n) || memchr(p, '\r', n); }

static attrib_status count_newlines(reader *r, size_t *count, size_t *last_len) {
  size_t lf = 0, lone = 0, tail = 0;
  int pending = 0;
  if (r->mem) {
    r->has_nul = memchr(r->mem, '\0', r->mem_len) != NULL;
    size_t head = r->mem_len < HEADER_MAX ? r->mem_len : HEADER_MAX;
    if (r->mem_len > HEADER_MAX && !has_eol(r->mem, head)) return header_too_long(r);
    count_block(r->mem, r->mem_len, &pending, &lf, &lone);
    const char *q = r->mem_len ? memrchr(r->mem, '\n', r->mem_len) : NULL;
    tail = q ? (size_t)(r->mem + r->mem_len - q - 1) : r->mem_len;
  } else {
    size_t off = 0;
    int eol_seen = 0;
    for (;;) {
      size_t got;
      ATTRIB__TRY(src_read(r, r->buf, r->cap, &got));
      if (got == 0) break;
      const char *p = r->buf;
      if (!r->has_nul && memchr(p, '\0', got)) r->has_nul = 1;
      if (!eol_seen) {
        eol_seen = has_eol(p, got);
        if (!eol_seen && off + got > HEADER_MAX) return header_too_long(r);
      }
      if (!r->gz) { /* checkpoints for splitting a plain file between threads */
        if (r->n_ck == r->ck_cap) {
          size_t cap = r->ck_cap ? r->ck_cap * 2 : 256;
          size_t *a = attrib__realloc(r->ck_off, cap, sizeof *a);
          if (a) r->ck_off = a;
          size_t *b = a ? attrib__realloc(r->ck_nlb, cap, sizeof *b) : NULL;
          if (b) r->ck_nlb = b;
          size_t *c = b ? attrib__realloc(r->ck_fnl, cap, sizeof *c) : NULL;
          if (!c) return fail_oom(r);
          r->ck_fnl = c;
          r->ck_cap = cap;
        }
        const char *q = memchr(p, '\n', got);
        r->ck_off[r->n_ck] = off;
        r->ck_nlb[r->n_ck] = lf;
        r->ck_fnl[r->n_ck] = q ? off + (size_t)(q - p) : SIZE_MAX;
        r->n_ck++;
        if (!r->has_quote && memchr(p, '"', got)) r->has_quote = 1;
      }
      off += got;
      r->file_size = off;
      count_block(p, got, &pending, &lf, &lone);
      const char *q = memrchr(p, '\n', got);
      tail = q ? (size_t)(p + got - q - 1) : tail + got;
    }
  }
  /* a CR at the very end is a terminator with nothing after it */
  if (pending) lone++;
  r->lone_cr = lone > 0;
  /* with lone CRs the tail after the last LF is not the last record's
   * length; one spare row keeps the bound an upper bound */
  *count = lf + lone;
  *last_len = lone ? 1 : tail;
  return src_rewind(r);
}

/* ------------------------------------------------------------ parsing */

/* The delimiter is detected on the header line (a quoted field may take it
 * over line ends) within the first DETECT_MAX bytes, after any blank lines:
 * the same bytes however the input is read (memory, file, read size).
 * Returns 0 with *d set, or 1 when the header line does not end within
 * s[0..n) and more input could still change the counts. */
#define DETECT_MAX ((size_t)64 << 10)

static int detect_delim(const char *s, size_t n, int eof, char *d) {
  static const char cand[4] = {',', '\t', ';', '|'};
  size_t counts[4] = {0, 0, 0, 0};
  int inq = 0, ended = 0;
  size_t start = 0;
  for (;;) { /* blank lines (spaces and tabs only): the parser skips them too */
    size_t k = start;
    while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
    if (k < n && (s[k] == '\n' || s[k] == '\r')) {
      start = k + 1 + (s[k] == '\r' && k + 1 < n && s[k + 1] == '\n');
      continue;
    }
    break;
  }
  size_t end = n - start > DETECT_MAX ? start + DETECT_MAX : n;
  for (size_t i = start; i < end; i++) {
    if (!inq && (s[i] == '\n' || s[i] == '\r')) {
      ended = 1;
      break;
    }
    if (s[i] == '"') inq = !inq;
    if (inq) continue;
    for (int k = 0; k < 4; k++) counts[k] += s[i] == cand[k];
  }
  if (!ended && !eof && end == n) return 1; /* read more first */
  int best = 0;
  for (int k = 1; k < 4; k++)
    if (counts[k] > counts[best]) best = k;
  *d = cand[best];
  return 0;
}

/* One unquoted record: split on the delimiter. */
static void fast_record(reader *r, const char *s, size_t n) {
  if (n && s[n - 1] == '\r') n--;
  size_t k = 0;
  while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
  if (k == n) { /* blank line */
    if (r->line < r->min_blank_line) r->min_blank_line = r->line;
    return;
  }
  r->max_record_line = r->line;
  r->rec_line = r->line;
  r->field = 0;
  const char *f = s, *end = s + n;
  const char d = r->delim;
  const char *z = r->has_nul ? memchr(s, '\0', n) : NULL;
  if (z) { /* the column: delimiters before the NUL, plus one */
    size_t col = 1;
    for (const char *q = s; q < z; q++) col += *q == d;
    fail_nul(r, col);
    return;
  }
  for (;;) {
    /* fields are short: a byte loop beats a memchr call per field */
    const char *q = f;
    while (q < end && *q != d) q++;
    if (q == end) q = NULL;
    size_t len = q ? (size_t)(q - f) : (size_t)(end - f);
    if (r->in_header) {
      header_field(r, f, len);
      r->field++;
    } else {
      data_field(r, f, len, 1);
    }
    if (!q) break;
    f = q + 1;
  }
  record_end(r);
}

static attrib_status csv_feed(reader *r, const char *s, size_t n) {
  if (!r->csv_active) {
    r->csv_active = 1;
    r->csv_record_ended = 0;
    r->rec_line = r->line;
    r->field = 0;
    r->rec_bytes = 0;
  }
  /* libcsv grows its field buffer by a fixed block (128 bytes): quadratic
   * copying for a long quoted field (a 64 MiB one took minutes under ASan).
   * A block as large as the buffer makes the growth geometric. */
  size_t have = csv_get_buffer_size(&r->csv);
  csv_set_blk_size(&r->csv, have > 4096 ? have : 4096);
  r->rec_bytes += n;
  if (r->rec_bytes > RECORD_MAX)
    return r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, r->rec_line, r->field + 1,
                                       "%s: line %zu, column %zu: a quoted field longer than %zu MiB (a quote "
                                       "that is never closed?)",
                                       r->name, r->rec_line, r->field + 1, RECORD_MAX >> 20);
  if (csv_parse(&r->csv, s, n, csv_cb_field, csv_cb_record, r) != n && r->status == ATTRIB_OK) {
    int e = csv_error(&r->csv);
    if (e == CSV_ENOMEM || e == CSV_ETOOBIG) return fail_oom(r);
    return r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, r->line, r->field + 1,
                                       "%s: line %zu, column %zu: malformed quoted field "
                                       "(a quote inside an unquoted field, or text after a "
                                       "closing quote)",
                                       r->name, r->line, r->field + 1);
  }
  if (r->csv_record_ended) r->csv_active = 0;
  return r->status;
}

/* The end of the record line starting at p: its LF, or with lone CRs in the
 * file (count_newlines) also a CR not followed by LF. Returns the terminator
 * or NULL when more data is needed to tell (a CR at the end of the buffer). */
static char *find_eol(const reader *r, char *p, size_t avail) {
  if (!r->lone_cr) return memchr(p, '\n', avail);
  for (size_t i = 0; i < avail; i++) {
    if (p[i] == '\n') return p + i;
    if (p[i] == '\r') {
      if (i + 1 < avail) return p[i + 1] == '\n' ? p + i + 1 : p + i;
      return r->eof ? p + i : NULL;
    }
  }
  return NULL;
}

static attrib_status parse_all(reader *r) {
  int first = !r->stream_resume;
  for (;;) {
    ATTRIB__TRY(refill(r));
    if (first) {
      first = 0;
      if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
      if (r->len >= 2 && ((unsigned char)r->buf[0] == 0xFF || (unsigned char)r->buf[0] == 0xFE) &&
          (unsigned char)r->buf[1] == ((unsigned char)r->buf[0] ^ 0x01))
        return r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, 1, 0,
                                           /* plain UTF-16 files are converted before this (source_encoding) */
                                           "%s: UTF-16 text inside a gzip file: decompress it first (it is then "
                                           "converted), or save the file as 'CSV UTF-8'",
                                           r->name);
      if ((r->len >= 4 && memcmp(r->buf, "PK\x03\x04", 4) == 0) ||
          (r->len >= 8 && memcmp(r->buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0))
        return r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, 1, 0,
                                           "%s: %s, not a CSV file: in Excel, File > Save As > 'CSV UTF-8 (Comma "
                                           "delimited)', then read that file",
                                           r->name, r->buf[0] == 'P' ? "a zip archive (an Excel .xlsx workbook?)"
                                                                     : "an Excel workbook (.xls)");
      if (r->len - r->pos == 0)
        return attrib__fail(r->err, ATTRIB_EPARSE, "%s: empty file (a header row is required)", r->name);
      while (!r->delim) {
        char d = 0;
        if (!detect_delim(r->buf + r->pos, r->len - r->pos, r->eof, &d)) {
          r->delim = d;
          break;
        }
        ATTRIB__TRY(refill(r)); /* grows the buffer when it is full */
      }
      csv_set_delim(&r->csv, (unsigned char)r->delim);
      csv_set_space_func(&r->csv, r->delim == '\t' ? csv_space_no_tab : csv_space);
    }
    for (;;) {
      if (r->status != ATTRIB_OK) return r->status;
      if (r->done) return ATTRIB_OK;
      char *p = r->buf + r->pos;
      size_t avail = r->len - r->pos;
      char *nl = find_eol(r, p, avail);
      size_t linelen;
      if (nl) {
        linelen = (size_t)(nl - p);
      } else if (r->eof && avail > 0) {
        linelen = avail;
      } else {
        break; /* need more data */
      }
      size_t consumed = nl ? linelen + 1 : linelen;
      if (r->csv_active || memchr(p, '"', linelen)) {
        ATTRIB__TRY(csv_feed(r, p, consumed));
      } else {
        fast_record(r, p, linelen);
      }
      r->pos += consumed;
      if (nl) r->line++;
    }
    if (r->eof) break;
  }
  if (r->status != ATTRIB_OK || r->done) return r->status;
  if (r->csv_active) {
    if (csv_fini(&r->csv, csv_cb_field, csv_cb_record, r) != 0 && r->status == ATTRIB_OK)
      return r->status = attrib__fail_at(r->err, ATTRIB_EPARSE, r->rec_line, r->field + 1,
                                         "%s: line %zu, column %zu: unterminated quote (the "
                                         "file ends inside a quoted field)",
                                         r->name, r->rec_line, r->field + 1);
    r->csv_active = 0;
  }
  if (r->status == ATTRIB_OK && r->in_header) {
    /* the first range of a threaded read held only blank lines: the header
     * comes later, and parse_parallel reads the file again on one thread
     * (found by tests/fuzz) */
    if (r->use_pread && r->fd_end < r->file_size) return ATTRIB_OK;
    return attrib__fail(r->err, ATTRIB_EPARSE, "%s: empty file (a header row is required)", r->name);
  }
  return r->status;
}

/* ------------------------------------------------------------ finishing */

/* Sorts a categorical column's levels as R's factor() does and remaps the
 * codes in one pass. */
static attrib_status finish_categorical(reader *r, colbuild *c, attrib_column *out) {
  size_t L = c->dict.n;
  int32_t *map = attrib__malloc(L ? L : 1, sizeof *map);
  out->levels = attrib__malloc(L ? L : 1, sizeof *out->levels);
  if (!map || !out->levels || !attrib__level_dict_sort(&c->dict, out->levels, map)) {
    attrib__free(map);
    return fail_oom(r);
  }
  for (size_t i = 0; i < r->row; i++)
    if (c->codes[i] >= 0) c->codes[i] = map[c->codes[i]];
  out->n_levels = L;
  attrib__free(map);
  return ATTRIB_OK;
}

static void samples_free(colbuild *c) {
  for (size_t k = 0; k < c->n_samples; k++) attrib__free(c->samples[k]);
  c->n_samples = 0;
}

/* Frees the columns under construction and the header names. */
static void columns_release(reader *r) {
  for (size_t j = 0; r->cols && j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    attrib__free_large(c->values, r->row_cap * sizeof(double));
    attrib__free_large(c->codes, r->row_cap * sizeof(int32_t));
    attrib__free(c->missing);
    attrib__free(c->first_text);
    samples_free(c);
    attrib__level_dict_free(&c->dict);
  }
  attrib__free(r->cols);
  r->cols = NULL;
  for (size_t i = 0; i < r->n_names; i++) attrib__free(r->names[i]);
  attrib__free(r->names);
  r->names = NULL;
  r->n_names = r->names_cap = r->n_cols = 0;
}

static void reader_release(reader *r) {
  prefault_stop(&r->pf);
  columns_release(r);
  attrib__free(r->buf);
  attrib__free(r->ck_off);
  attrib__free(r->ck_nlb);
  attrib__free(r->ck_fnl);
  if (r->csv_ready) csv_free(&r->csv);
  if (r->gz) gzclose(r->gz);
  else if (r->fd >= 0) close(r->fd);
  attrib__free(r->na_len);
  r->na_len = NULL;
}

/* The text cells a column keeps for its messages (the strings are shared,
 * not copied). */
static void column_samples(const colbuild *c, attrib_column *o) {
  o->n_text_samples = c->n_samples;
  for (size_t k = 0; k < c->n_samples; k++) {
    o->text_samples[k] = c->samples[k];
    o->text_sample_lines[k] = c->sample_lines[k];
  }
}

/* Whether a numeric column is boolean: every value a boolean word. */
static void column_boolean(const colbuild *c, attrib_column *o) {
  o->is_boolean = c->n_numbers > 0 && c->n_bools == c->n_numbers;
  o->bool_words = o->is_boolean ? c->bool_words : 0;
}

static attrib_status build_table(reader *r, attrib_table **out) {
  attrib_table *t = attrib__calloc(1, sizeof *t);
  if (!t) return fail_oom(r);
  size_t nd = 0;
  for (size_t j = 0; j < r->n_cols; j++) nd += r->cols[j].dropped;
  t->n_rows = r->row;
  t->n_cols = 0;
  t->delim = r->delim;
  t->source = attrib__strdup(r->name);
  t->cols = attrib__calloc(r->n_cols ? r->n_cols : 1, sizeof *t->cols);
  t->dropped = nd ? attrib__malloc(nd, sizeof *t->dropped) : NULL;
  if (!t->source || !t->cols || (nd && !t->dropped)) {
    attrib__free(t->source);
    attrib__free(t->cols);
    attrib__free(t->dropped);
    attrib__free(t);
    return fail_oom(r);
  }
  t->arena_ = r->strings;
  for (size_t j = 0; j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    if (c->dropped) {
      t->dropped[t->n_dropped++] = j + 1;
      continue;
    }
    attrib_column *o = &t->cols[t->n_cols++];
    o->name = r->names[j];
    r->names[j] = NULL;
    o->type = c->type;
    o->n_missing = c->n_missing;
    o->first_text_line = c->first_text_line;
    o->first_text = c->first_text;
    c->first_text = NULL;
    if (c->type == ATTRIB_COLUMN_CATEGORICAL) {
      o->n_number_cells = c->n_number_cells;
      o->n_text_cells = c->n_text_cells;
    }
    column_samples(c, o);
    c->n_samples = 0;
    if (c->type == ATTRIB_COLUMN_NUMERIC) {
      o->values = c->values;
      o->values_bytes_ = r->row_cap * sizeof(double);
      o->missing = c->missing;
      column_boolean(c, o);
      c->values = NULL;
      c->missing = NULL;
    } else {
      if (finish_categorical(r, c, o) != ATTRIB_OK) {
        /* t->n_cols counts what was moved so far, this column's name included */
        r->strings = NULL;
        attrib_table_free(t);
        return r->status;
      }
      o->codes = c->codes;
      o->codes_bytes_ = r->row_cap * sizeof(int32_t);
      c->codes = NULL;
    }
  }
  r->strings = NULL;
  *out = t;
  return ATTRIB_OK;
}

/* Selects the columns that turned categorical after numbers had been
 * stored (every other column is skipped) and forgets what was counted of
 * them, to be counted again over all rows. Returns whether there are any. */
static int reparse_select(reader *r) {
  int any = 0;
  for (size_t j = 0; j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    c->skip = c->dropped || !c->reparse;
    if (c->reparse) {
      any = 1;
      attrib__level_dict_free(&c->dict);
      c->n_missing = 0;
      c->n_number_cells = c->n_text_cells = 0; /* counted again, all rows */
      samples_free(c);
    }
  }
  return any;
}

/* A fresh CSV parser at the file's first line (the source already rewound). */
static attrib_status parse_restart(reader *r) {
  csv_free(&r->csv);
  r->csv_ready = 0;
  if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) return fail_oom(r);
  r->csv_ready = 1;
  r->line = 1;
  r->in_header = 1;
  r->row = r->field = 0;
  r->done = 0;
  r->csv_active = 0;
  return ATTRIB_OK;
}

/* Second pass for columns that turned categorical after numbers had been
 * stored: every other column is skipped, and the header is only stepped over. */
static attrib_status reparse_late_columns(reader *r) {
  if (!reparse_select(r)) return ATTRIB_OK;
  ATTRIB__TRY(src_rewind(r));
  progress_phase(r, "re-reading text columns");
  r->second_pass = 1;
  ATTRIB__TRY(parse_restart(r));
  return parse_all(r);
}

/* ------------------------------------------------------------ parallel */

/*
 * Plain files without any quote character are parsed on several threads:
 * then every line is one record, so the file splits at newlines into
 * ranges whose first row and line numbers the counting pass already knows.
 * The first MiB is parsed alone first (it settles the column types). Each
 * range gets a reader of its own: own buffer (pread), counters, level
 * dictionaries and strings; values go straight into the shared column
 * arrays at their final rows. A numeric column that meets text in a range
 * is only flagged there and re-read afterwards (the second pass), missing
 * bits are set atomically in preallocated masks, level codes are remapped
 * to the merged dictionary in range order. Blank lines followed by records
 * would shift rows: then the whole file is read again on one thread.
 */
#define PAR_RANGES 8
/* internal only: blank lines would shift rows, read again on one thread */
#define PAR_REDO ((attrib_status)ATTRIB_STATUS_COUNT)

typedef struct par_job {
  reader *w; /* per range */
} par_job;

/* The worker's rows of every column, populated by the thread that fills
 * them, before it parses: one madvise per column instead of a page fault
 * per 4 KiB page. 10M x 20 rows: system time 1.04-1.13 s -> 0.81-0.89 s
 * (benchmarks/README.md, "issue 19: load"). The range's last row is an
 * upper bound (blank lines are not records): the pages past the rows read
 * are only zero pages of the column's own allocation. */
static void populate_range(reader *w) {
  if (w->rows_end <= w->row) return;
  for (size_t j = 0; j < w->n_cols; j++) {
    colbuild *c = &w->cols[j];
    if (c->values) populate(c->values, w->row * sizeof(double), w->rows_end * sizeof(double));
    else if (c->codes) populate(c->codes, w->row * sizeof(int32_t), w->rows_end * sizeof(int32_t));
  }
}

static void par_range(void *ctx, size_t c, size_t t) {
  (void)t;
  reader *w = &((par_job *)ctx)->w[c];
  populate_range(w);
  for (;;) {
    if (refill(w) != ATTRIB_OK) return;
    for (;;) {
      if (w->status != ATTRIB_OK) return;
      char *p = w->buf + w->pos;
      size_t avail = w->len - w->pos;
      char *nl = memchr(p, '\n', avail);
      size_t linelen;
      if (nl) linelen = (size_t)(nl - p);
      else if (w->eof && avail > 0) linelen = avail;
      else break;
      fast_record(w, p, linelen);
      w->pos += nl ? linelen + 1 : linelen;
      if (nl) w->line++;
    }
    if (w->eof) return;
  }
}

/* Where range c starts: just after the first newline of chunk ck. */
static size_t range_start(const reader *r, size_t ck) { return r->ck_fnl[ck] + 1; }

static void worker_release(reader *w, size_t n_cols) {
  for (size_t j = 0; w->cols && j < n_cols; j++) {
    attrib__level_dict_free(&w->cols[j].dict);
    attrib__free(w->cols[j].first_text);
    samples_free(&w->cols[j]);
  }
  attrib__free(w->cols);
  attrib__free(w->buf);
  attrib__arena_free(w->strings);
  attrib__free(w->strings);
}

/* Worker c's reader for range c: a copy of r's settings over its own
 * bytes [fd_off, fd_end), its own buffer, column counters and strings;
 * values, missing masks and codes are written straight into r's columns
 * at rows from base[c] (its first row). */
static attrib_status worker_init(reader *r, reader *x, size_t c, size_t R, const size_t *cand, size_t *base, size_t rows0,
                                 size_t nl0, attrib_error *errs) {
  *x = *r;
  x->csv_ready = 0;
  x->names_cap = 0;
  memset(&x->pf, 0, sizeof x->pf);
  x->worker = 1;
  x->err = &errs[c];
  attrib_error_clear(x->err);
  x->fd_off = range_start(r, cand[c]);
  x->fd_end = c + 1 < R ? range_start(r, cand[c + 1]) : r->file_size;
  size_t nl_before = r->ck_nlb[cand[c]] + 1;
  x->line = nl_before + 1;
  x->row = base[c] = rows0 + (nl_before - nl0);
  x->rows_end = c + 1 < R ? rows0 + (r->ck_nlb[cand[c + 1]] + 1 - nl0) : r->row_cap;
  if (x->rows_end > r->row_cap) x->rows_end = r->row_cap;
  x->len = x->pos = 0;
  x->eof = 0;
  x->min_blank_line = SIZE_MAX;
  x->max_record_line = 0;
  x->ck_off = x->ck_nlb = x->ck_fnl = NULL;
  x->buf = attrib__malloc(r->cap0, 1);
  x->cap = r->cap0;
  x->cols = attrib__calloc(r->n_cols, sizeof *x->cols);
  x->strings = attrib__calloc(1, sizeof *x->strings);
  if (!x->buf || !x->cols || !x->strings) return fail_oom(r);
  for (size_t j = 0; j < r->n_cols; j++) {
    colbuild *src = &r->cols[j], *dst = &x->cols[j];
    dst->type = src->type;
    dst->forced = src->forced;
    dst->skip = dst->dropped = src->dropped; /* a column with no name is stepped over on every thread */
    dst->values = src->values;
    dst->missing = src->missing;
    dst->codes = src->codes;
  }
  return ATTRIB_OK;
}

/* Column j's counters, text samples, first text cell and categorical
 * levels from every range, in range order (so the codes are those of a
 * sequential read). */
static attrib_status merge_column(reader *r, size_t j, reader *w, size_t R, const size_t *base) {
  attrib_status s = ATTRIB_OK;
  colbuild *c = &r->cols[j];
  for (size_t q = 0; q < R; q++) {
    colbuild *x = &w[q].cols[j];
    c->n_numbers += x->n_numbers;
    c->n_bools += x->n_bools;
    c->n_missing += x->n_missing;
    c->n_number_cells += x->n_number_cells;
    c->n_text_cells += x->n_text_cells;
    for (size_t k = 0; k < x->n_samples; k++) { /* ranges in file order: the first cells first */
      int dup = 0;
      for (size_t m = 0; m < c->n_samples; m++) dup |= strcmp(c->samples[m], x->samples[k]) == 0;
      if (dup || c->n_samples == ATTRIB_TEXT_SAMPLES) continue;
      c->samples[c->n_samples] = x->samples[k];
      c->sample_lines[c->n_samples++] = x->sample_lines[k];
      x->samples[k] = NULL;
    }
    if (!c->bool_words) c->bool_words = x->bool_words;
    if (x->flip && !c->first_text) { /* the earliest text decides the message */
      c->first_text = x->first_text;
      c->first_text_line = x->first_text_line;
      x->first_text = NULL;
    }
    if (x->flip) c->flip = 1;
    if (c->type == ATTRIB_COLUMN_CATEGORICAL && x->dict.n) {
      int32_t *map = attrib__malloc(x->dict.n, sizeof *map);
      if (!map) return fail_oom(r);
      for (size_t l = 0; l < x->dict.n && s == ATTRIB_OK; l++)
        if ((map[l] = attrib__level_dict_intern(&c->dict, r->strings, x->dict.levels[l], x->dict.lens[l])) < 0) s = fail_oom(r);
      for (size_t i = base[q]; s == ATTRIB_OK && i < w[q].row; i++)
        if (c->codes[i] >= 0) c->codes[i] = map[c->codes[i]];
      attrib__free(map);
    }
  }
  return s;
}

/* The row count after the ranges, and each column's final form (a numeric
 * column with no missing cell drops its mask; one that met text is re-read
 * as categorical). */
static attrib_status finish_ranges(reader *r, const reader *w, size_t R, const size_t *base, size_t rows0) {
  attrib_status s = ATTRIB_OK;
  /* the rows each range read: a range's first row assumes every line
   * before it is a record, which holds up to its last record (blank lines
   * before a record were redone above) but not for the empty or blank
   * ranges after trailing blank lines (found by tests/fuzz: one row too
   * many) */
  size_t rows = rows0;
  for (size_t c = 0; c < R; c++) rows += w[c].row - base[c];
  r->row = rows;
  r->line = w[R - 1].line;
  for (size_t j = 0; s == ATTRIB_OK && j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    if (c->type == ATTRIB_COLUMN_NUMERIC && c->n_missing == 0 && !c->flip) {
      attrib__free(c->missing);
      c->missing = NULL;
    }
    if (c->flip && c->type == ATTRIB_COLUMN_NUMERIC) { /* re-read as categorical in the second pass */
      if ((s = col_make_categorical(r, c)) == ATTRIB_OK) c->reparse = 1;
    }
  }
  return s;
}

/* Returns ATTRIB_OK (done), ATTRIB_EDIM (not applicable or must be redone
 * on one thread: the caller continues sequentially) or an error. */
static attrib_status parse_parallel(reader *r) {
  const attrib_csv_options *o = r->opts;
  size_t min_bytes = o->parallel_min_bytes ? o->parallel_min_bytes : ((size_t)16 << 20);
  size_t threads = o->threads;
  if (threads == 0) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cpus > 0 ? (size_t)cpus : 1;
  }
  if (r->gz || r->mem || r->has_quote || r->lone_cr || r->max_rows || threads < 2 || r->file_size < min_bytes || r->n_ck < 3)
    return ATTRIB_EDIM;
  /* chunks with a newline after the first: candidate range starts */
  size_t cand[PAR_RANGES + 1], n_cand = 0, step = (r->n_ck - 1) / PAR_RANGES;
  if (step == 0) step = 1;
  for (size_t ck = 1; ck < r->n_ck && n_cand < PAR_RANGES; ck += step)
    if (r->ck_fnl[ck] != SIZE_MAX && (n_cand == 0 || r->ck_fnl[ck] > r->ck_fnl[cand[n_cand - 1]])) cand[n_cand++] = ck;
  if (n_cand < 2) return ATTRIB_EDIM;
  r->no_prefault = 1;
  /* 1. the first MiB (and the header) on this thread */
  r->use_pread = 1;
  r->fd_off = 0;
  r->fd_end = range_start(r, cand[0]);
  r->min_blank_line = r->max_record_line = 0;
  r->min_blank_line = SIZE_MAX;
  ATTRIB__TRY(parse_all(r));
  if (r->in_header) return PAR_REDO;
  if (r->done) return ATTRIB_OK;
  size_t rows0 = r->row, nl0 = r->ck_nlb[cand[0]] + 1;
  /* masks for every numeric column, so workers never allocate */
  for (size_t j = 0; j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    if (c->type == ATTRIB_COLUMN_NUMERIC && !c->missing) {
      c->missing = attrib__calloc((r->row_cap + 63) / 64, sizeof(uint64_t));
      if (!c->missing) return fail_oom(r);
    }
  }
  /* 2. the ranges */
  size_t R = n_cand, base[PAR_RANGES];
  reader *w = attrib__calloc(R, sizeof *w);
  attrib_error *errs = attrib__calloc(R, sizeof *errs);
  attrib_status s = ATTRIB_OK;
  if (!w || !errs) {
    attrib__free(w);
    attrib__free(errs);
    return fail_oom(r);
  }
  for (size_t c = 0; c < R && s == ATTRIB_OK; c++) s = worker_init(r, &w[c], c, R, cand, base, rows0, nl0, errs);
  if (s == ATTRIB_OK) {
    par_job job = {w};
    attrib__parallel_chunks(R, threads, par_range, &job);
  }
  /* 3. merge, in range order */
  size_t min_blank = r->min_blank_line, max_rec = r->max_record_line;
  for (size_t c = 0; s == ATTRIB_OK && c < R; c++) {
    if (w[c].status != ATTRIB_OK) { /* the earliest range's error is the file's first */
      if (r->err) *r->err = errs[c];
      s = r->status = w[c].status;
      break;
    }
    if (w[c].min_blank_line < min_blank) min_blank = w[c].min_blank_line;
    if (w[c].max_record_line > max_rec) max_rec = w[c].max_record_line;
  }
  if (s == ATTRIB_OK && min_blank < max_rec) s = PAR_REDO;
  for (size_t j = 0; s == ATTRIB_OK && j < r->n_cols; j++) s = merge_column(r, j, w, R, base);
  if (s == ATTRIB_OK) s = finish_ranges(r, w, R, base, rows0);
  for (size_t c = 0; c < R; c++) worker_release(&w[c], r->n_cols);
  attrib__free(w);
  attrib__free(errs);
  r->use_pread = 0;
  return s;
}

/* Back to the state before the header, for a sequential re-read. */
static attrib_status reset_for_sequential(reader *r) {
  columns_release(r);
  attrib__arena_free(r->strings);
  r->row = r->field = 0;
  r->line = 1;
  r->in_header = 1;
  r->done = 0;
  r->status = ATTRIB_OK;
  r->use_pread = 0;
  r->delim = r->opts->delim;
  csv_free(&r->csv);
  r->csv_ready = 0;
  if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) return fail_oom(r);
  r->csv_ready = 1;
  r->csv_active = 0;
  return src_rewind(r);
}

static attrib_status read_common(reader *r, attrib_table **out) {
  r->line = 1;
  r->in_header = 1;
  r->status = ATTRIB_OK;
  /* a small read buffer (tests, fuzzing) puts records across refills and
   * gives small files the chunks the threaded path splits at */
  r->cap = r->opts->read_buffer ? r->opts->read_buffer : BUF_INITIAL;
  if (r->cap < 16) r->cap = 16;
  if (r->cap > RECORD_MAX) r->cap = RECORD_MAX;
  r->cap0 = r->cap;
  r->buf = attrib__malloc(r->cap, 1);
  if (!r->buf) return fail_oom(r);
  if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) return fail_oom(r);
  r->csv_ready = 1;
  size_t newlines = 0, tail = 0;
  progress_phase(r, "counting rows");
  ATTRIB__TRY(count_newlines(r, &newlines, &tail));
  if (r->prog && !r->prog->total && r->file_size) { /* gzip: the counting pass measured it */
    r->prog->total = r->file_size;
    r->prog->step = r->file_size / 100 > ((size_t)1 << 20) ? r->file_size / 100 : (size_t)1 << 20;
  }
  progress_phase(r, "reading");
  /* Data rows <= lines - 1 (header); quoted newlines only make it smaller. */
  size_t lines = newlines + (tail > 0);
  r->row_cap = lines > 0 ? lines - 1 : 0;
  if (r->max_rows && r->max_rows < r->row_cap) r->row_cap = r->max_rows;
  /* every column array is row_cap * 8 bytes (and the masks row_cap / 8):
   * the product must not wrap, however many line ends a stream holds */
  if (r->row_cap > SIZE_MAX / sizeof(double) / 2) return fail_oom(r);
  attrib_status s = parse_parallel(r);
  if (s == PAR_REDO) s = reset_for_sequential(r) == ATTRIB_OK ? ATTRIB_EDIM : r->status;
  if (s == ATTRIB_EDIM) s = parse_all(r); /* one thread */
  prefault_stop(&r->pf);
  ATTRIB__TRY(s);
  ATTRIB__TRY(reparse_late_columns(r));
  return build_table(r, out);
}

void attrib_csv_options_init(attrib_csv_options *opts) { memset(opts, 0, sizeof *opts); }

static attrib_status reader_fail_option(reader *r, attrib_error *err, const char *option, const char *fmt, ...)
    ATTRIB__PRINTF(4, 5);
static attrib_status reader_fail_option(reader *r, attrib_error *err, const char *option, const char *fmt, ...) {
  char msg[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap); /* fixed option texts, no user input */
  va_end(ap);
  reader_release(r);
  return attrib__fail_option(err, ATTRIB_EUSAGE, option, "%s", msg);
}

static attrib_status read_with(reader *r, const attrib_csv_options *opts, attrib_table **out,
                               attrib_error *err) {
  attrib_csv_options defaults;
  if (!opts) {
    attrib_csv_options_init(&defaults);
    opts = &defaults;
  }
  r->opts = opts;
  r->delim = opts->delim;
  {
    char dec = opts->decimal ? opts->decimal : '.', th = opts->thousands;
    if (dec != '.' && dec != ',')
      return reader_fail_option(r, err, "csv.decimal", "the decimal mark must be '.' or ','");
    if (th && th != ',' && th != '.' && th != ' ' && th != '\'')
      return reader_fail_option(r, err, "csv.thousands", "the thousands separator must be ',', '.', ' ' or '''");
    if (th == dec)
      return reader_fail_option(r, err, "csv.thousands", "the thousands separator and the decimal mark are both '%c'",
                                dec);
    r->fmt = (attrib__number_format){dec, th, opts->currency != 0, opts->percent != 0};
    r->formatted = dec != '.' || th || opts->currency || opts->percent;
    r->decimal_comma = dec == ',';
  }
  if (opts->na) {
    size_t k = 0;
    while (opts->na[k]) k++;
    r->na_len = attrib__malloc(k + 1, sizeof *r->na_len);
    if (!r->na_len) {
      reader_release(r);
      return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", r->name);
    }
    for (size_t q = 0; q < k; q++) r->na_len[q] = strlen(opts->na[q]);
    r->na = opts->na;
  }
  load_progress prog;
  if (opts->progress) {
    memset(&prog, 0, sizeof prog);
    prog.fn = opts->progress;
    prog.ctx = opts->progress_ctx;
    prog.total = r->mem ? r->mem_len : r->file_size;
    prog.step = prog.total ? prog.total / 100 : (size_t)16 << 20;
    if (prog.step < ((size_t)1 << 20)) prog.step = (size_t)1 << 20;
    r->prog = &prog;
  }
  r->max_rows = opts->max_rows;
  r->err = err;
  attrib__arena *strings = attrib__calloc(1, sizeof *strings);
  if (!strings) {
    reader_release(r);
    return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", r->name);
  }
  r->strings = strings;
  attrib_status s = read_common(r, out);
  if (s != ATTRIB_OK && r->strings) {
    attrib__arena_free(r->strings);
    attrib__free(r->strings);
  }
  reader_release(r);
  return s;
}

static int is_utf16_bom(const char *d, size_t n) {
  return n >= 2 && (((unsigned char)d[0] == 0xFF && (unsigned char)d[1] == 0xFE) ||
                    ((unsigned char)d[0] == 0xFE && (unsigned char)d[1] == 0xFF));
}

/* The encoding the input must be converted from, or NULL for UTF-8. */
static const char *source_encoding(const attrib_csv_options *opts, const char *d, size_t n) {
  const char *e = opts ? opts->encoding : NULL;
  if (e && *e && strcasecmp(e, "utf-8") != 0 && strcasecmp(e, "utf8") != 0) return e;
  return is_utf16_bom(d, n) ? "UTF-16" : NULL;
}

/* Converts data[0..len) from enc to UTF-8 with glibc's iconv; *out is a new
 * buffer (attrib__free). An invalid byte is an error naming its offset. */
static attrib_status to_utf8(const char *data, size_t len, const char *enc, const char *name, char **out,
                             size_t *out_len, attrib_error *err) {
  *out = NULL;
  iconv_t cd = iconv_open("UTF-8", enc);
  if (cd == (iconv_t)-1)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "csv.encoding",
                               "unknown encoding '%s' (e.g. latin1, cp1252, utf-16, utf-8)", enc);
  size_t cap = len + len / 2 + 64, used = 0;
  char *buf = attrib__malloc(cap, 1);
  char *in; /* iconv takes char **; it does not write the input */
  memcpy(&in, &data, sizeof in);
  size_t left = len;
  attrib_status s = ATTRIB_OK;
  while (buf) {
    char *o = buf + used;
    size_t room = cap - used;
    size_t rc = iconv(cd, left ? &in : NULL, &left, &o, &room);
    used = (size_t)(o - buf);
    if (rc != (size_t)-1 && !left) break;
    if (rc == (size_t)-1 && errno == E2BIG) {
      char *nb = cap <= SIZE_MAX / 2 ? attrib__realloc(buf, cap * 2, 1) : NULL;
      if (!nb) break;
      buf = nb;
      cap *= 2;
      continue;
    }
    s = attrib__fail(err, ATTRIB_EPARSE, "%s: byte %zu (0x%02X) is not valid %s text%s", name, len - left + 1,
                     left ? (unsigned char)*in : 0, enc, errno == EINVAL ? " (the file ends inside a character)" : "");
    break;
  }
  iconv_close(cd);
  if (!buf) return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory converting from %s", name, enc);
  if (s != ATTRIB_OK) {
    attrib__free(buf);
    return s;
  }
  *out = buf;
  *out_len = used;
  return ATTRIB_OK;
}

attrib_status attrib_table_read_csv_buffer(const char *data, size_t len, const char *name,
                                           const attrib_csv_options *opts, attrib_table **out,
                                           attrib_error *err) {
  if (!out || (!data && len)) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_read_csv_buffer: NULL argument");
  *out = NULL;
  const char *enc = source_encoding(opts, data, len);
  if (enc) {
    char *u = NULL;
    size_t ulen = 0;
    ATTRIB__TRY(to_utf8(data, len, enc, name ? name : "<buffer>", &u, &ulen, err));
    attrib_csv_options o;
    if (opts) o = *opts;
    else attrib_csv_options_init(&o);
    o.encoding = NULL;
    attrib_status s = ulen >= 2 && is_utf16_bom(u, ulen)
                          ? attrib__fail(err, ATTRIB_EPARSE, "%s: a second byte-order mark after conversion", name)
                          : attrib_table_read_csv_buffer(u, ulen, name, &o, out, err);
    attrib__free(u);
    return s;
  }
  reader r;
  memset(&r, 0, sizeof r);
  r.fd = -1;
  r.name = name ? name : "<buffer>";
  r.mem = data ? data : "";
  r.mem_len = len;
  return read_with(&r, opts, out, err);
}

/*
 * Standard input, a FIFO or a device cannot be rewound for the row count:
 * it is read whole into memory (gzip or plain text) and parsed from there.
 * Two guards end an input that would otherwise be read for ever: the
 * header must end within HEADER_MAX (< /dev/zero), and reading stops at the
 * first NUL byte, which the parse then reports with its line and column
 * (< /dev/urandom, or text followed by binary data).
 */
static attrib_status read_whole_stream(int fd, const char *name, const attrib_csv_options *opts,
                                       attrib_table **out, attrib_error *err) {
  int converting = -1; /* decided on the first bytes: UTF-16 and other encodings have NUL bytes */
  size_t cap = BUF_INITIAL, len = 0;
  char *data = attrib__malloc(cap, 1);
  if (!data) {
    close(fd);
    return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", name);
  }
  gzFile gz = gzdopen(fd, "rb"); /* also reads plain text */
  if (!gz) {
    close(fd);
    attrib__free(data);
    return attrib__fail(err, ATTRIB_EIO, "%s: cannot read the input", name);
  }
  for (;;) {
    if (len == cap) {
      char *nd = cap <= SIZE_MAX / 2 ? attrib__realloc(data, cap * 2, 1) : NULL;
      if (!nd) {
        gzclose(gz);
        attrib__free(data);
        return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", name);
      }
      data = nd;
      cap *= 2;
    }
    size_t want = cap - len > (1u << 30) ? (1u << 30) : cap - len;
    int n = gzread(gz, data + len, (unsigned)want), e = Z_OK;
    (void)gzerror(gz, &e);
    if (n <= 0 && e == Z_BUF_ERROR) {
      gzclose(gz);
      attrib__free(data);
      return attrib__fail(err, ATTRIB_EPARSE,
                          "%s: the gzip stream is truncated (it ends after %zu bytes of text, before its "
                          "end marker): the input is incomplete",
                          name, len);
    }
    if (n < 0) {
      gzclose(gz);
      attrib__free(data);
      return attrib__fail(err, ATTRIB_EIO, "%s: cannot read the input", name);
    }
    if (n == 0) break;
    len += (size_t)n;
    /* an endless stream without line ends (< /dev/zero) would be read
     * until memory runs out: the header must end early */
    if (len > HEADER_MAX && len - (size_t)n <= HEADER_MAX && !has_eol(data, HEADER_MAX)) {
      int nul = memchr(data, '\0', HEADER_MAX) != NULL;
      gzclose(gz);
      attrib__free(data);
      return attrib__fail_at(err, ATTRIB_EPARSE, 1, 0, "%s: no line end in the first %zu MiB%s", name,
                             HEADER_MAX >> 20,
                             nul ? ", and NUL bytes: this is binary data, not a CSV text file"
                                 : ": the header line is too long (is this a CSV text file?)");
    }
    /* a NUL byte is an error wherever it stands: what follows need not be
     * read (the parse reports the byte's line and column); not so in text
     * that is converted to UTF-8 first */
    if (converting < 0) converting = source_encoding(opts, data, len) != NULL;
    if (!converting && memchr(data + len - (size_t)n, '\0', (size_t)n)) break;
  }
  gzclose(gz);
  attrib_status s = attrib_table_read_csv_buffer(data, len, name, opts, out, err);
  attrib__free(data);
  return s;
}

attrib_status attrib_table_read_csv(const char *path, const attrib_csv_options *opts,
                                    attrib_table **out, attrib_error *err) {
  if (!path || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_read_csv: NULL argument");
  *out = NULL;
  if (strcmp(path, "-") == 0) {
    int fd = dup(STDIN_FILENO);
    if (fd < 0) return attrib__fail(err, ATTRIB_EIO, "<stdin>: cannot read standard input: %s", strerror(errno));
    return read_whole_stream(fd, "<stdin>", opts, out, err);
  }
  reader r;
  memset(&r, 0, sizeof r);
  r.name = path;
  r.fd = open(path, O_RDONLY | O_CLOEXEC);
  if (r.fd < 0) return attrib__fail(err, ATTRIB_EIO, "%s: cannot open: %s", path, strerror(errno));
  struct stat st;
  if (fstat(r.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(r.fd);
    return attrib__fail(err, ATTRIB_EIO, "%s: is a directory, not a CSV file", path);
  }
  /* a FIFO, a device or a socket: read once, like standard input (the
   * counting pass would read it to its end and then fail to rewind) */
  if (fstat(r.fd, &st) == 0 && !S_ISREG(st.st_mode)) return read_whole_stream(r.fd, path, opts, out, err);
  size_t size = fstat(r.fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
  unsigned char magic[2];
  ssize_t m = pread(r.fd, magic, 2, 0);
  /* text to convert (another encoding, UTF-16) is read whole and converted */
  if (source_encoding(opts, (const char *)magic, m == 2 ? 2 : 0)) return read_whole_stream(r.fd, path, opts, out, err);
  if (m == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    /* UTF-16 inside the gzip stream: read whole and converted, as a plain
     * UTF-16 file is (the paths must agree: tests/fuzz/fuzz_csv.c). The
     * peek uses a handle of its own; a damaged stream is reported by the
     * read itself. */
    int pfd = dup(r.fd);
    gzFile peek = pfd >= 0 ? gzdopen(pfd, "rb") : NULL;
    char head[2];
    int k = peek ? gzread(peek, head, 2) : 0;
    if (peek) gzclose(peek);
    else if (pfd >= 0) close(pfd);
    if (lseek(r.fd, 0, SEEK_SET) != 0) {
      close(r.fd);
      return attrib__fail(err, ATTRIB_EIO, "%s: cannot seek: %s", path, strerror(errno));
    }
    if (source_encoding(opts, head, k == 2 ? 2 : 0)) return read_whole_stream(r.fd, path, opts, out, err);
    r.gz = gzdopen(r.fd, "rb");
    if (!r.gz) {
      close(r.fd);
      return attrib__fail(err, ATTRIB_ENOMEM, "%s: cannot open the gzip stream", path);
    }
    gzbuffer(r.gz, 1u << 18);
    size = 0; /* the decompressed size is not known in advance */
  }
  r.file_size = size; /* the progress total; the counting pass sets it again */
  return read_with(&r, opts, out, err);
}

/* ------------------------------------------------------------ streaming */

/*
 * attrib_csv_stream (table.h, docs/scale.md). One reader whose column
 * arrays hold chunk_rows rows; record_end stops the parse when they are
 * full (max_rows), and the next chunk resumes where it stopped
 * (stream_resume). The level dictionaries live as long as the stream, so a
 * level has one dictionary code in every chunk and every pass.
 *
 * Opening reads the file once (discovery): types flip exactly as in a
 * whole read, numbers stored before a column turned categorical are read
 * again by a second discovery pass over those columns alone (as
 * reparse_late_columns does), and the counts behind a column's metadata
 * (boolean words, near-numeric cells and samples) run over the whole file.
 * Then the metadata is frozen: categorical levels sorted as
 * finish_categorical sorts them, and data passes only store values.
 */
#define STREAM_CHUNK_ROWS ((size_t)1 << 16)

struct attrib_csv_stream {
  reader r;
  attrib_csv_options opts;
  char *name;
  size_t chunk_rows, total_rows, offset;
  int in_pass, finished;
  attrib_table schema, chunk;   /* columns share their metadata; chunk's arrays change */
  size_t *col_of;               /* table column -> reader column */
  int32_t **map;                /* reader column: dictionary code -> sorted level (categorical) */
  size_t *dict_n;               /* reader column: levels frozen at discovery */
  double *nan_values;           /* chunk_rows NaN: the columns not read */
  uint64_t *all_missing;
  size_t table_bytes;
};

static attrib_status stream_begin_pass(attrib_csv_stream *s) {
  reader *r = &s->r;
  if (r->cols) { /* not the first pass: the header is stepped over */
    ATTRIB__TRY(src_rewind(r));
    r->second_pass = 1;
  }
  ATTRIB__TRY(parse_restart(r));
  r->stream_resume = 0;
  s->offset = 0;
  s->in_pass = 1;
  s->finished = 0;
  return ATTRIB_OK;
}

/* Parses the next chunk into the column arrays; *rows 0 at the end. */
static attrib_status stream_chunk(attrib_csv_stream *s, size_t *rows) {
  reader *r = &s->r;
  r->row = 0;
  r->done = 0;
  for (size_t j = 0; r->cols && j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    if (c->missing) memset(c->missing, 0, (r->row_cap + 63) / 64 * sizeof(uint64_t));
  }
  r->status = ATTRIB_OK;
  attrib_status st = parse_all(r);
  r->stream_resume = 1;
  *rows = r->row;
  if (st == ATTRIB_OK && r->row == 0) s->finished = 1;
  return st;
}

static attrib_status stream_discovery(attrib_csv_stream *s) {
  reader *r = &s->r;
  size_t rows, total = 0;
  ATTRIB__TRY(stream_begin_pass(s));
  do {
    ATTRIB__TRY(stream_chunk(s, &rows));
    total += rows;
  } while (rows);
  if (!r->cols) return attrib__fail(r->err, ATTRIB_EPARSE, "%s: empty file (a header row is required)", r->name);
  if (reparse_select(r)) { /* numbers stored before the column turned categorical: its text again */
    ATTRIB__TRY(stream_begin_pass(s));
    do ATTRIB__TRY(stream_chunk(s, &rows));
    while (rows);
  }
  for (size_t j = 0; j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    c->skip = c->dropped || c->not_read;
    c->reparse = 0;
  }
  s->total_rows = total;
  return ATTRIB_OK;
}

/* Freezes what discovery found into the schema's columns (shared with the
 * chunk view): names, types, metadata, sorted levels and each dictionary's
 * map to them. */
static attrib_status stream_freeze(attrib_csv_stream *s) {
  reader *r = &s->r;
  size_t n = 0, nd = 0;
  for (size_t j = 0; j < r->n_cols; j++) nd += r->cols[j].dropped;
  attrib_column *cols = attrib__calloc(r->n_cols ? r->n_cols : 1, sizeof *cols);
  s->col_of = attrib__calloc(r->n_cols ? r->n_cols : 1, sizeof *s->col_of);
  s->map = attrib__calloc(r->n_cols ? r->n_cols : 1, sizeof *s->map);
  s->dict_n = attrib__calloc(r->n_cols ? r->n_cols : 1, sizeof *s->dict_n);
  s->nan_values = attrib__malloc(s->chunk_rows, sizeof *s->nan_values);
  s->all_missing = attrib__malloc((s->chunk_rows + 63) / 64, sizeof *s->all_missing);
  size_t *dropped = nd ? attrib__malloc(nd, sizeof *dropped) : NULL;
  s->schema.cols = cols;
  s->schema.dropped = dropped;
  if (!cols || !s->col_of || !s->map || !s->dict_n || !s->nan_values || !s->all_missing || (nd && !dropped))
    return fail_oom(r);
  for (size_t i = 0; i < s->chunk_rows; i++) s->nan_values[i] = NAN;
  memset(s->all_missing, 0xff, (s->chunk_rows + 63) / 64 * sizeof *s->all_missing);
  size_t bytes = 0;
  for (size_t j = 0; j < r->n_cols; j++) {
    colbuild *c = &r->cols[j];
    if (c->dropped) {
      dropped[s->schema.n_dropped++] = j + 1;
      continue;
    }
    attrib_column *o = &cols[n];
    s->col_of[n++] = j;
    o->name = r->names[j];
    o->type = c->not_read ? ATTRIB_COLUMN_NUMERIC : c->type;
    o->n_missing = c->not_read ? s->total_rows : c->n_missing; /* of the whole file */
    o->first_text_line = c->first_text_line;
    o->first_text = c->first_text;
    column_samples(c, o);
    if (c->not_read) {
      bytes += s->total_rows * sizeof(double);
      continue;
    }
    if (c->type == ATTRIB_COLUMN_NUMERIC) {
      column_boolean(c, o);
      bytes += s->total_rows * sizeof(double);
      continue;
    }
    o->n_number_cells = c->n_number_cells;
    o->n_text_cells = c->n_text_cells;
    bytes += s->total_rows * sizeof(int32_t);
    /* the levels sorted as finish_categorical sorts them */
    size_t L = c->dict.n;
    s->map[j] = attrib__malloc(L ? L : 1, sizeof *s->map[j]);
    o->levels = attrib__malloc(L ? L : 1, sizeof *o->levels);
    if (!s->map[j] || !o->levels || !attrib__level_dict_sort(&c->dict, o->levels, s->map[j])) return fail_oom(r);
    for (size_t i = 0; i < L; i++) bytes += c->dict.lens[i] + 1;
    o->n_levels = L;
    s->dict_n[j] = L;
    /* data passes store codes only: no near-numeric counts or samples again */
    c->forced = 'c';
  }
  s->table_bytes = bytes;
  s->schema.n_cols = n;
  s->schema.source = s->name;
  s->schema.delim = r->delim;
  s->chunk = s->schema;
  s->chunk.cols = attrib__calloc(n ? n : 1, sizeof *s->chunk.cols);
  if (!s->chunk.cols) return fail_oom(r);
  memcpy(s->chunk.cols, cols, n * sizeof *cols);
  return ATTRIB_OK;
}

attrib_status attrib_csv_file_size(const char *path, size_t *bytes, int *compressed, attrib_error *err) {
  *bytes = 0;
  *compressed = 0;
  if (!path || strcmp(path, "-") == 0) return ATTRIB_OK;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return attrib__fail(err, ATTRIB_EIO, "%s: cannot open: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) *bytes = (size_t)st.st_size;
  unsigned char magic[2];
  *compressed = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  close(fd);
  return ATTRIB_OK;
}

attrib_status attrib_csv_stream_open(const char *path, const attrib_csv_options *opts, const char *const *columns,
                                     size_t chunk_rows, attrib_csv_stream **out, attrib_error *err) {
  if (!path || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_csv_stream_open: NULL argument");
  *out = NULL;
  if (strcmp(path, "-") == 0)
    return attrib__fail(err, ATTRIB_EUSAGE,
                        "<stdin>: standard input cannot be streamed (a stream reads the file more than once): "
                        "save it to a file first");
  attrib_csv_stream *s = attrib__calloc(1, sizeof *s);
  if (!s) return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", path);
  if (opts) s->opts = *opts;
  else attrib_csv_options_init(&s->opts);
  s->chunk_rows = chunk_rows ? chunk_rows : STREAM_CHUNK_ROWS;
  reader *r = &s->r;
  r->fd = -1;
  s->name = attrib__strdup(path);
  attrib_status st = ATTRIB_OK;
  if (!s->name) {
    attrib__free(s);
    return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", path);
  }
  r->name = s->name;
  r->err = err;
  r->opts = &s->opts;
  r->only = columns;
  r->delim = s->opts.delim;
  r->no_prefault = 1;
  r->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (r->fd < 0) {
    st = attrib__fail(err, ATTRIB_EIO, "%s: cannot open: %s", path, strerror(errno));
    goto fail;
  }
  struct stat sb;
  if (fstat(r->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    st = S_ISDIR(sb.st_mode) ? attrib__fail(err, ATTRIB_EIO, "%s: is a directory, not a CSV file", path)
                             : attrib__fail(err, ATTRIB_EUSAGE,
                                            "%s: not a regular file: a stream reads the file more than once, which "
                                            "a pipe or a device cannot give; save it to a file first",
                                            path);
    goto fail;
  }
  unsigned char magic[2];
  ssize_t m = pread(r->fd, magic, 2, 0);
  int gz = m == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (!gz && source_encoding(&s->opts, (const char *)magic, m == 2 ? 2 : 0)) {
    st = attrib__fail(err, ATTRIB_EUSAGE,
                      "%s: text in another encoding (or UTF-16) is converted whole before it is read and cannot "
                      "be streamed: convert the file to UTF-8 first (iconv -t UTF-8)",
                      path);
    goto fail;
  }
  if (gz) {
    r->gz = gzdopen(r->fd, "rb");
    if (!r->gz) {
      st = attrib__fail(err, ATTRIB_ENOMEM, "%s: cannot open the gzip stream", path);
      goto fail;
    }
    r->fd = -1;
    gzbuffer(r->gz, 1u << 18);
  } else {
    r->file_size = (size_t)sb.st_size;
  }
  {
    char dec = s->opts.decimal ? s->opts.decimal : '.', th = s->opts.thousands;
    if ((dec != '.' && dec != ',') || (th && th != ',' && th != '.' && th != ' ' && th != '\'') || th == dec) {
      st = attrib__fail_option(err, ATTRIB_EUSAGE, "csv.decimal", "bad number format (decimal mark and thousands separator)");
      goto fail;
    }
    r->fmt = (attrib__number_format){dec, th, s->opts.currency != 0, s->opts.percent != 0};
    r->formatted = dec != '.' || th || s->opts.currency || s->opts.percent;
    r->decimal_comma = dec == ',';
  }
  if (s->opts.na) {
    size_t k = 0;
    while (s->opts.na[k]) k++;
    r->na_len = attrib__malloc(k + 1, sizeof *r->na_len);
    if (!r->na_len) {
      st = fail_oom(r);
      goto fail;
    }
    for (size_t q = 0; q < k; q++) r->na_len[q] = strlen(s->opts.na[q]);
    r->na = s->opts.na;
  }
  r->strings = attrib__calloc(1, sizeof *r->strings);
  r->cap = s->opts.read_buffer ? s->opts.read_buffer : BUF_INITIAL;
  if (r->cap < 16) r->cap = 16;
  if (r->cap > RECORD_MAX) r->cap = RECORD_MAX;
  r->cap0 = r->cap;
  r->buf = attrib__malloc(r->cap, 1);
  if (!r->strings || !r->buf) {
    st = fail_oom(r);
    goto fail;
  }
  r->row_cap = s->chunk_rows;
  r->max_rows = s->chunk_rows;
  {
    /* the whole read's counting pass, for what it learns of the bytes: NUL
     * bytes and lone CRs (records end there too) change how lines are
     * split, and an endless header is refused before any parse */
    size_t newlines = 0, tail = 0;
    if ((st = count_newlines(r, &newlines, &tail)) != ATTRIB_OK) goto fail;
  }
  if ((st = stream_discovery(s)) != ATTRIB_OK) goto fail;
  if ((st = stream_freeze(s)) != ATTRIB_OK) goto fail;
  s->in_pass = 0;
  *out = s;
  return ATTRIB_OK;
fail:
  attrib_csv_stream_close(s);
  return st;
}

attrib_status attrib_csv_stream_rewind(attrib_csv_stream *s, attrib_error *err) {
  if (!s) return attrib__fail(err, ATTRIB_EINVAL, "attrib_csv_stream_rewind: NULL argument");
  s->in_pass = 0;
  return ATTRIB_OK;
}

attrib_status attrib_csv_stream_next(attrib_csv_stream *s, const attrib_table **chunk, attrib_error *err) {
  if (!s || !chunk) return attrib__fail(err, ATTRIB_EINVAL, "attrib_csv_stream_next: NULL argument");
  *chunk = NULL;
  reader *r = &s->r;
  r->err = err;
  if (!s->in_pass) ATTRIB__TRY(stream_begin_pass(s));
  if (s->finished) return ATTRIB_OK;
  size_t rows;
  ATTRIB__TRY(stream_chunk(s, &rows));
  if (!rows) return ATTRIB_OK;
  attrib_table *t = &s->chunk;
  t->n_rows = rows;
  t->row_offset = s->offset;
  s->offset += rows;
  for (size_t q = 0; q < t->n_cols; q++) {
    size_t j = s->col_of[q];
    colbuild *c = &r->cols[j];
    attrib_column *o = &t->cols[q];
    if (c->not_read) {
      o->values = s->nan_values;
      o->missing = s->all_missing;
      o->n_missing = rows;
      continue;
    }
    if (c->type == ATTRIB_COLUMN_NUMERIC) {
      o->values = c->values;
      o->missing = c->missing;
      size_t nm = 0;
      for (size_t w = 0; c->missing && w < (rows + 63) / 64; w++) nm += (size_t)__builtin_popcountll(c->missing[w]);
      o->n_missing = nm;
      continue;
    }
    if (c->dict.n != s->dict_n[j])
      return attrib__fail(err, ATTRIB_EIO, "%s: the file changed while it was streamed (column '%s' has a new value)",
                          s->name, o->name);
    size_t nm = 0;
    const int32_t *map = s->map[j];
    for (size_t i = 0; i < rows; i++) {
      int32_t code = c->codes[i];
      if (code < 0) nm++;
      else c->codes[i] = map[code];
    }
    o->codes = c->codes;
    o->n_missing = nm;
  }
  *chunk = t;
  return ATTRIB_OK;
}

size_t attrib_csv_stream_rows(const attrib_csv_stream *s) { return s ? s->total_rows : 0; }

const attrib_table *attrib_csv_stream_schema(const attrib_csv_stream *s) { return s ? &s->schema : NULL; }

size_t attrib_csv_stream_table_bytes(const attrib_csv_stream *s) { return s ? s->table_bytes : 0; }

void attrib_csv_stream_close(attrib_csv_stream *s) {
  if (!s) return;
  reader *r = &s->r;
  if (s->schema.cols)
    for (size_t q = 0; q < s->schema.n_cols; q++) attrib__free(s->schema.cols[q].levels);
  attrib__free(s->schema.cols);
  attrib__free(s->schema.dropped);
  attrib__free(s->chunk.cols);
  for (size_t j = 0; s->map && j < r->n_cols; j++) attrib__free(s->map[j]);
  attrib__free(s->map);
  attrib__free(s->dict_n);
  attrib__free(s->col_of);
  attrib__free(s->nan_values);
  attrib__free(s->all_missing);
  if (r->strings) {
    attrib__arena_free(r->strings);
    attrib__free(r->strings);
  }
  reader_release(r); /* names, first texts and samples: the schema borrowed them */
  attrib__free(s->name);
  attrib__free(s);
}

/* Reads the first MiB of text: rows are estimated from the bytes per line
 * there and the file's size (for gzip, its compressed size times the ratio
 * seen so far). */
attrib_status attrib_csv_estimate(const char *path, const attrib_csv_options *opts, size_t *rows, size_t *table_bytes,
                                  attrib_error *err) {
  *rows = *table_bytes = 0;
  if (!path || strcmp(path, "-") == 0) return ATTRIB_OK;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return attrib__fail(err, ATTRIB_EIO, "%s: cannot open: %s", path, strerror(errno));
  struct stat st;
  size_t size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
  gzFile gz = gzdopen(fd, "rb");
  if (!gz) {
    close(fd);
    return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", path);
  }
  size_t cap = (size_t)1 << 20;
  char *buf = attrib__malloc(cap, 1);
  if (!buf) {
    gzclose(gz);
    return attrib__fail(err, ATTRIB_ENOMEM, "%s: out of memory", path);
  }
  int got = gzread(gz, buf, (unsigned)cap);
  int direct = gzdirect(gz);
  long consumed = (long)gzoffset(gz);
  gzclose(gz);
  if (got <= 0) {
    attrib__free(buf);
    return ATTRIB_OK;
  }
  size_t n = (size_t)got, lines = 0, cols = 1;
  char d = opts && opts->delim ? opts->delim : 0;
  if (!d) detect_delim(buf, n, 1, &d);
  const char *nl = memchr(buf, '\n', n);
  for (const char *p = buf; p < (nl ? nl : buf + n); p++) cols += *p == d;
  for (const char *p = buf; p < buf + n && (p = memchr(p, '\n', (size_t)(buf + n - p))); p++) lines++;
  attrib__free(buf);
  if (!lines) lines = 1;
  double text = direct || consumed <= 0 ? (double)size : (double)size * ((double)n / (double)consumed);
  if ((size_t)got < cap) text = (double)n; /* the whole text was read */
  double r = text * (double)lines / (double)n - 1.0;
  *rows = r > 0 ? (size_t)r : 0;
  *table_bytes = *rows * cols * sizeof(double);
  return ATTRIB_OK;
}
