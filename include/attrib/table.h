/*
 * Columnar data table loaded from CSV.
 *
 * One contiguous array per column: doubles for numeric columns (NaN where
 * missing, with a missing bitmask), int32 codes into one dictionary of
 * distinct strings for categorical columns (-1 where missing). No cell owns
 * an allocation. A table is read-only after loading; its fields may be read
 * directly.
 */
#ifndef ATTRIB_TABLE_H
#define ATTRIB_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_column_type {
  ATTRIB_COLUMN_NUMERIC = 0,
  ATTRIB_COLUMN_CATEGORICAL = 1
} attrib_column_type;

/* Text cells an inferred categorical column remembers (attrib_column). */
#define ATTRIB_TEXT_SAMPLES 3

typedef struct attrib_column {
  char *name;
  attrib_column_type type;
  size_t n_missing;
  /* ATTRIB_COLUMN_NUMERIC */
  double *values;    /* n_rows values, NaN where missing */
  uint64_t *missing; /* bit i set = row i missing; NULL when none is */
  int is_boolean;    /* every value was true/false/yes/no */
  int bool_words;    /* 1: true/false, 2: yes/no (the first seen): names of 0/1 as factor levels */
  /* ATTRIB_COLUMN_CATEGORICAL */
  int32_t *codes;    /* n_rows codes into levels, -1 where missing */
  char **levels;     /* n_levels distinct strings, sorted (see below) */
  size_t n_levels;
  /* where inference turned the column categorical: the first value that is
   * not a number (1-based line; 0 when the type was forced) */
  size_t first_text_line;
  char *first_text;
  /* A categorical column that type inference made so (not --categorical):
   * of its non-missing cells, how many read as numbers and how many did
   * not, and the first n_text_samples distinct cells that did not, with
   * their lines, so that a numeric column re-typed by a few text cells
   * ('-', '#N/A') is recognised and refused where numbers are needed
   * (attrib_column_near_numeric). 0 for forced and numeric columns. */
  size_t n_number_cells, n_text_cells;
  size_t n_text_samples;
  char *text_samples[ATTRIB_TEXT_SAMPLES];
  size_t text_sample_lines[ATTRIB_TEXT_SAMPLES];
  /* private: storage sizes */
  size_t values_bytes_, codes_bytes_;
} attrib_column;

typedef struct attrib_table {
  size_t n_rows;
  size_t n_cols;
  attrib_column *cols;
  char *source; /* file name as given, or "<stdin>" */
  char delim;   /* the delimiter used */
  void *arena_; /* private: level strings */
  /* Columns of the file left out because their header name is empty
   * (Excel's trailing empty columns, the row names R's write.csv writes
   * under ""): n_dropped positions, 1-based, ascending; the reader option
   * strict_header makes them an error instead. */
  size_t n_dropped;
  size_t *dropped;
  /* Data rows of the file before row 0 of this table: 0 for a whole table,
   * the chunk's place for a chunk of a stream (attrib_csv_stream_next), so
   * that messages name the row of the file. */
  size_t row_offset;
} attrib_table;

typedef struct attrib_csv_options {
  char delim;                    /* 0 = detect from the header (, \t ; |) */
  const char *const *categorical; /* column names forced categorical, NULL-terminated or NULL */
  const char *const *numeric;     /* column names forced numeric; a non-number is an error */
  size_t max_rows;               /* 0 = all rows */
  size_t threads;                /* parsing threads, 0 = the online CPUs */
  size_t parallel_min_bytes;     /* files at least this large (and with no quote character)
                                    are parsed on several threads; 0 = 16 MiB */
  size_t read_buffer;            /* bytes read at a time, 0 = 1 MiB; small values (at least 16)
                                    are for tests and fuzzing: records cross buffer refills,
                                    and small files split between threads */
  /* Progress of the read, e.g. for a progress line; NULL = none. Called at
   * the start of each pass over the file (phase "counting rows", "reading",
   * "re-reading text columns") and then about every 1% of it, from
   * whichever parsing thread crossed the mark, with the bytes done and the
   * file's size (total 0 when unknown: gzip, standard input). */
  void (*progress)(void *ctx, const char *phase, size_t done, size_t total);
  void *progress_ctx;
  /* Missing-value words, NULL-terminated. NULL: the default set, NA, NaN,
   * null, N/A, #N/A, None (any case), -, --, . (Stata) and ?. Given: exactly
   * these words (case-sensitive), replacing the default set, as
   * fread(na.strings =) does. An empty cell is always missing. */
  const char *const *na;
  /* Formatted numbers (exports from Excel, an LMS or a CRM), all off by
   * default; any of them makes the reader try each numeric cell as a
   * formatted number:
   *   decimal: the decimal mark, 0 or '.' (default) or ',' ("1234,5");
   *   thousands: a separator between groups of three digits before the
   *     decimal mark, 0 (none), ',', '.', ' ' (also U+00A0 and U+202F, the
   *     no-break spaces spreadsheets write) or '\'' ("1,000,000");
   *   currency: strip one currency symbol ($ EUR-sign GBP-sign YEN-sign and
   *     the like) or three-letter code (USD, EUR) before or after the number;
   *   percent: read "84%" as 0.84 (the value divided by 100).
   * A negative number may be written in parentheses ("(1,234)") and may
   * carry a leading '+' when any of them is on. decimal and thousands must
   * differ. */
  char decimal;
  char thousands;
  int currency;
  int percent;
  /* The file's text encoding: NULL or "utf-8" (default), or any name
   * glibc's iconv knows ("latin1", "cp1252", "utf-16", ...): the input is
   * converted to UTF-8 before it is read. UTF-16 with a byte-order mark
   * (Excel's "Unicode text") is converted without being asked. */
  const char *encoding;
  /* An empty column name in the header is an error (1), or the column is
   * left out and listed in attrib_table.dropped (0, the default). */
  int strict_header;
  /* Identifier columns (a learner id, a unit, a cluster), NULL-terminated or
   * NULL: read as text, exactly as written ("00171" stays "00171"), unless
   * also listed in numeric. A name that is not in the header is ignored
   * here (the analysis that uses it reports it). */
  const char *const *identifiers;
} attrib_csv_options;

/* Defaults: detect the delimiter, infer all types, read all rows. */
ATTRIB_API void attrib_csv_options_init(attrib_csv_options *opts);

/*
 * Reads a CSV file (path "-" = standard input; gzip detected by its magic
 * bytes, whatever the name) into a new table.
 *   path: borrowed. opts: borrowed, NULL for defaults. out: set on success,
 *   caller frees with attrib_table_free. err: optional.
 * Header row required; blank lines before it are skipped (as R's read.csv
 * and fread do). Quoted fields (with delimiters, newlines, doubled quotes),
 * LF, CRLF and CR-only line ends and a UTF-8 BOM are accepted. Missing
 * values: empty and the words of opts->na (by default NA, NaN, null, N/A,
 * #N/A, None, -, --, . and ?). true/false and yes/no read as
 * 1/0. Text must be UTF-8 (header names and text cells are checked); a NUL
 * byte, a UTF-16 byte-order mark, a header line longer than 16 MiB (no line
 * end: an endless or binary source) or a line or record longer than 64 MiB
 * is an ATTRIB_EPARSE error naming the line (and column), never a silent
 * truncation; so is a truncated gzip stream.
 * Categorical levels are sorted as R's factor() sorts them: numerically when
 * every level is a number, otherwise by byte value (the C locale).
 * Returns ATTRIB_OK, ATTRIB_EIO (cannot open/read), ATTRIB_EPARSE (ragged
 * row, unterminated quote, empty file, bad header), ATTRIB_ETYPE (a value
 * that is not of the forced type), ATTRIB_ENOCOL (forced column not in the
 * header), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_table_read_csv(const char *path, const attrib_csv_options *opts,
                                               attrib_table **out, attrib_error *err);

/* Same, from a buffer in memory; name is used in messages. */
ATTRIB_API attrib_status attrib_table_read_csv_buffer(const char *data, size_t len, const char *name,
                                                      const attrib_csv_options *opts,
                                                      attrib_table **out, attrib_error *err);

/* Releases the table and everything it owns. NULL is a no-op. */
ATTRIB_API void attrib_table_free(attrib_table *t);

/*
 * Streaming (out of core, docs/scale.md): a CSV file read in chunks of rows,
 * each handed out as a small table, so that the whole table is never in
 * memory. The parse is the reader's own (attrib_table_read_csv): the same
 * options, the same values, the same messages with the file's line and
 * column. Opening the stream reads the file once to settle what a whole
 * table would hold (each column's type, its categorical levels in the same
 * sorted order, its boolean words and near-numeric cells), so that every
 * chunk is typed and coded as attrib_table_read_csv would type and code the
 * whole file: a categorical column's chunk codes index the levels of the
 * whole file, levels absent from the chunk included.
 *
 * Memory: chunk_rows rows of the columns read, the level dictionaries of
 * categorical columns, and one read buffer. columns (NULL-terminated, or
 * NULL for all) names the columns worth storing: every other column is
 * parsed over (its fields still count for the row's width) and appears in
 * the chunks as a numeric column that is missing in every row, so that
 * names are still found and suggested. A name that is not in the header is
 * ignored here (the analysis that uses it reports it).
 * A regular file (plain or gzip) is required: standard input, a FIFO and
 * text to convert from another encoding cannot be read more than once
 * (ATTRIB_EUSAGE). opts->max_rows and opts->progress are not used; the
 * other pointers of opts are borrowed until the stream is closed.
 */
typedef struct attrib_csv_stream attrib_csv_stream;

/* Opens path and reads it once (types and levels). chunk_rows 0 = 65536.
 * Errors: as attrib_table_read_csv, and ATTRIB_EUSAGE (not a regular file). */
ATTRIB_API attrib_status attrib_csv_stream_open(const char *path, const attrib_csv_options *opts,
                                                const char *const *columns, size_t chunk_rows,
                                                attrib_csv_stream **out, attrib_error *err);

/* The next chunk of the current pass over the file (the first pass starts
 * at the first data row), or *chunk = NULL after the last. The chunk is the
 * stream's: valid until the next call on the stream, read-only; its
 * row_offset is its place in the file. */
ATTRIB_API attrib_status attrib_csv_stream_next(attrib_csv_stream *s, const attrib_table **chunk,
                                                attrib_error *err);

/* Starts a new pass: the next attrib_csv_stream_next returns the first
 * chunk again. */
ATTRIB_API attrib_status attrib_csv_stream_rewind(attrib_csv_stream *s, attrib_error *err);

/* Data rows of the file (known once the stream is open). */
ATTRIB_API size_t attrib_csv_stream_rows(const attrib_csv_stream *s);

/* The file's columns as a table of 0 rows: names, types, levels, and
 * n_missing counted over the whole file (for messages and for checks
 * before a pass). Valid until the stream is closed. */
ATTRIB_API const attrib_table *attrib_csv_stream_schema(const attrib_csv_stream *s);

/* Bytes a whole table of this file would take in memory (attrib_table_read_csv:
 * 8 bytes per numeric cell, 4 per categorical one, and the level strings),
 * for a caller that decides between streaming and loading. */
ATTRIB_API size_t attrib_csv_stream_table_bytes(const attrib_csv_stream *s);

/* The data rows of the CSV file at path and the bytes its table would take
 * in memory (8 per cell), estimated from the first MiB of its text and the
 * file's size (gzip: the compression ratio seen there), without reading
 * it: for a caller that decides whether to stream, and for messages that
 * say how much memory a whole table needs. 0 and 0 for standard input. */
ATTRIB_API attrib_status attrib_csv_estimate(const char *path, const attrib_csv_options *opts, size_t *rows,
                                             size_t *table_bytes, attrib_error *err);

/* Closes the file and frees the stream. NULL is a no-op. */
ATTRIB_API void attrib_csv_stream_close(attrib_csv_stream *s);

/* Bytes of a file (plain or gzip) and whether it is compressed, for a
 * caller that decides whether to stream before opening it: *compressed is
 * 1 for gzip (its text is then several times larger). ATTRIB_EIO when it
 * cannot be read; 0 bytes for standard input. */
ATTRIB_API attrib_status attrib_csv_file_size(const char *path, size_t *bytes, int *compressed, attrib_error *err);

/* Index of the column called name, or -1. */
ATTRIB_API long attrib_table_column_find(const attrib_table *t, const char *name);

/*
 * Looks up a column for use, failing with ATTRIB_ENOCOL and a message that
 * names the nearest existing column ("no column 'tenur' in learners.csv;
 * did you mean 'tenure'?"). what describes the use ("outcome", "cluster").
 */
ATTRIB_API attrib_status attrib_table_column_require(const attrib_table *t, const char *name,
                                                     const char *what, size_t *index,
                                                     attrib_error *err);

/* Whether row i of column c is missing. */
ATTRIB_API int attrib_column_is_missing(const attrib_column *c, size_t i);

/* Whether type inference made c categorical although more than half of its
 * non-missing cells are numbers: a numeric column re-typed by a few text
 * cells (an export's '-' or '#N/A'). */
ATTRIB_API int attrib_column_near_numeric(const attrib_column *c);

/* Writes "column 'tenure' is 99.5% numeric; not numbers: '-' (line 14),
 * '#N/A' (line 202)" (and "and N more cells" when there are more) into buf
 * (NUL-terminated; a text longer than cap is cut at a character and ends in
 * "..."); the share is rounded down, so a
 * single text cell never shows as 100%. Text is quoted with control bytes
 * and invalid UTF-8 escaped. Returns buf. */
ATTRIB_API char *attrib_column_near_numeric_text(const attrib_column *c, char *buf, size_t cap);

/* What attrib_table_binarize did: the rows coded 1, 0 and missing, and the
 * other values (levels or numbers) that became 0, as text for a note
 * ("'control'", or "'control', 'waitlist'"; at most 5 named). */
typedef struct attrib_binarize_info {
  size_t n_one, n_zero, n_missing;
  size_t n_other_values;
  char others[256];
} attrib_binarize_info;

/* How dates become periods (attrib_table_dates_to_periods). */
typedef enum attrib_period {
  ATTRIB_PERIOD_DAY = 0, /* days since 1970-01-01 */
  ATTRIB_PERIOD_WEEK,    /* weeks since the Monday 1969-12-29 (ISO weeks start on Monday) */
  ATTRIB_PERIOD_MONTH,   /* 12 * year + month - 1 */
  ATTRIB_PERIOD_QUARTER  /* 4 * year + quarter - 1 */
} attrib_period;

/* What attrib_table_dates_to_periods found: the format the dates were read
 * in ("YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "DD.MM.YYYY"), and the
 * first and last period. */
typedef struct attrib_dates_info {
  char format[16];
  long first, last;
  size_t n_dates, n_missing;
} attrib_dates_info;

/*
 * Recodes the text column `name` of t in place as whole-number periods
 * from the dates it holds, for the time and cohort columns of a panel
 * (training rolls out by date). The format is found from the column: ISO
 * 2025-12-31 (or 2025/12/31), 12/31/2025 (US) or 31/12/2025 (a first field
 * above 12 somewhere), 31.12.2025 (German); slashes whose fields never
 * exceed 12 are read as US dates and info->format says so. A missing cell
 * stays missing, and so does 0 or an empty cell (a cohort's "never").
 * Errors: a cell that is not a date in the column's format
 * (ATTRIB_ETYPE, naming the cell, its line and the format seen), a numeric
 * column (ATTRIB_ETYPE: already periods), ATTRIB_ENOCOL, ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_table_dates_to_periods(attrib_table *t, const char *name, attrib_period by,
                                                       attrib_dates_info *info, attrib_error *err);

/*
 * Recodes the column `name` of t in place as a numeric 0/1 column: 1 where
 * the cell is `level`, 0 for every other non-missing cell, missing where it
 * was missing. For a treatment exported as text (trained/control, Yes/No
 * read as words) or coded 1/2. A categorical column compares its levels as
 * text, exactly; a numeric column compares numbers (`level` is parsed: "2"
 * in a 1/2 coding). info: optional.
 * Errors: no such column (ATTRIB_ENOCOL, with the nearest name); `level`
 * not among the column's values (ATTRIB_EINVAL, the values listed); no row
 * coded 0 or none coded 1 (ATTRIB_EDESIGN); ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_table_binarize(attrib_table *t, const char *name, const char *level,
                                               attrib_binarize_info *info, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
