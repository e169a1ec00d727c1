/* Internals of the data stage shared by the reader and its tests. */
#ifndef ATTRIB_DATA_INTERNAL_H
#define ATTRIB_DATA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "core/attrib_internal.h"

/* Parses s[0..n) as a plain decimal number ([+-]digits[.digits][e[+-]digits],
 * at least one digit before the exponent). On success stores the correctly
 * rounded double, bit-identical to strtod in the C locale, and returns 1.
 * Returns 0 for anything else: other text, hexadecimal, inf/nan words, or a
 * value that overflows a double. Thread-safe. */
int attrib__parse_double(const char *s, size_t n, double *out);

/* Whether s[0..n) is one of the default missing-value tokens: empty, NA,
 * NaN, null, N/A, #N/A, None (case-insensitive), -, --, . and ?
 * (attrib_csv_options.na). */
int attrib__is_missing_token(const char *s, size_t n);

/* How numbers are formatted (attrib_csv_options: decimal, thousands,
 * currency, percent). */
typedef struct attrib__number_format {
  char decimal, thousands;
  int currency, percent;
} attrib__number_format;

/* Parses s[0..n) as a formatted number: blanks around it, a sign or
 * accounting parentheses, a currency symbol or code (f->currency), a
 * trailing % (f->percent: the value / 100), thousands separators between
 * groups of three digits, the decimal mark f->decimal. The digits left are
 * parsed by attrib__parse_double (correctly rounded). Returns 1 and sets
 * *out, or 0 when s is not such a number. Thread-safe. */
int attrib__parse_formatted(const char *s, size_t n, const attrib__number_format *f, double *out);

/* Boolean words read as 0/1: true/false, yes/no (case-insensitive).
 * Returns 0 when s is not one; else 1 for true/false, 2 for yes/no, and
 * sets *out. */
int attrib__parse_bool(const char *s, size_t n, double *out);

/* Copies s[0..n) into dst as a quoted value for a message: 'text', with
 * control bytes and invalid UTF-8 written as \xHH, cut to fit cap (with
 * "..." when cut). Always NUL-terminates. */
void attrib__quote(char *dst, size_t cap, const char *s, size_t n);

/* Offset of the first byte of s[0..n) that is not valid UTF-8 (overlong
 * forms, surrogates and code points above U+10FFFF included), or n. */
size_t attrib__utf8_invalid(const char *s, size_t n);

/* FNV-1a of s[0..n): the hash of the data stage's string tables (level
 * dictionaries, the header's duplicate-name check). */
static inline uint32_t attrib__hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* A text column's distinct values (levels) in the order first seen; a
 * level's code is its index. Open addressing on attrib__hash_bytes; the
 * strings live in the caller's arena. A zeroed struct is empty. */
typedef struct attrib__level_dict {
  int32_t *slots; /* index into levels or -1 */
  uint32_t *hashes;
  size_t n_slots;
  char **levels;
  size_t *lens;
  size_t n, cap;
} attrib__level_dict;

/* The code of the level s[0..n), added (copied into a) if new; -1 when out
 * of memory or past INT32_MAX levels. */
int32_t attrib__level_dict_intern(attrib__level_dict *d, attrib__arena *a, const char *s, size_t n);

/* Frees d's arrays (not the strings: they are the arena's) and zeroes it. */
void attrib__level_dict_free(attrib__level_dict *d);

/* The levels in the order R's factor() sorts them (numerically when every
 * level is a number, else by bytes): levels[0..d->n) point at d's strings,
 * map[old code] = new code. The caller allocates both (d->n entries).
 * Returns 0 when out of memory. */
int attrib__level_dict_sort(const attrib__level_dict *d, char **levels, int32_t *map);

/* The same order for any L strings (lens: their lengths, or NULL for
 * NUL-terminated): sorted[0..L) point at levels' strings, map[old index] =
 * new index (map may be NULL). A source that reads levels some other way
 * (the pushed-down fit's SELECT DISTINCT) sorts them by this rule too, so
 * its reference level is the CSV reader's. Returns 0 when out of memory. */
int attrib__levels_sort(char *const *levels, const size_t *lens, size_t L, char **sorted, int32_t *map);

/* Values larger than this in magnitude overflow when squared (sqrt of
 * DBL_MAX is 1.34e154): a margin of 1e4 for sums over rows. */
#define ATTRIB__MAX_MAGNITUDE 1e150
/* An outcome whose largest magnitude is below this has squares that
 * underflow (DBL_MIN is 2.2e-308): variances and SEs become 0 and t NaN. */
#define ATTRIB__MIN_MAGNITUDE 1e-140

/* Bytes of a column's name shown in a message before the middle is elided
 * visibly ("abc...(1000 bytes in all)...xyz"): short enough that a message
 * quoting the name and three cells fits ATTRIB_ERROR_MESSAGE_MAX. */
#define ATTRIB__NAME_SHOWN 64

struct attrib_table;
struct attrib_column;

/* An outcome estimators can use: not so large that its squares overflow
 * (ATTRIB_ENUMERIC) and, unless allow_constant, not constant over the rows
 * used (ATTRIB_EDESIGN): rows are n indices into y, or NULL for the first
 * n. The message names the column; NaNs are skipped (missing). */
attrib_status attrib__check_outcome(const char *source, const char *name, const double *y,
                                    const size_t *rows, size_t n, int allow_constant, attrib_error *err);

/* Appends "column 'tenure' is 99.5% numeric; not numbers: '-' (line 14),
 * '#N/A' (line 202) and 3 more cells" to b: the whole text, escaped, with
 * no length limit (attrib_column_near_numeric_text cuts it to a buffer). */
void attrib__near_numeric_describe(attrib__sbuf *b, const struct attrib_column *c);

/* Appends what reads a near-numeric column's text cells: the number-format
 * options when every sample cell is a number in one format ("read them
 * with --thousands ','"), else the missing-value words ("if they are
 * missing-value codes, list them with --na"). The options are named by
 * their command-line flags, which are also the option fields' names
 * (attrib_csv_options). */
void attrib__near_numeric_advice(attrib__sbuf *b, const struct attrib_column *c);

/* The number format (thousands ','; currency; percent; decimal ','; ...,
 * the order exports use) that reads at least min_share of the cells
 * (weighted by weights, or 1 each) as numbers, and more of them than plain
 * parsing does. Returns 1 with *f (and *share), or 0: the cells are plain
 * numbers already, or mostly words. */
int attrib__guess_number_format(const char *const *cells, const size_t *weights, size_t n, double min_share,
                                attrib__number_format *f, double *share);

/* ATTRIB_ETYPE when c is near-numeric (attrib_column_near_numeric) and use
 * (e.g. "the formula term 'tenure'") needs numbers. */
attrib_status attrib__require_not_near_numeric(const struct attrib_table *t,
                                               const struct attrib_column *c, const char *use,
                                               attrib_error *err);

/* A 0/1 indicator named by an option (a treatment, a post-period flag):
 * the column must exist (ATTRIB_ENOCOL, "no column 'x' (the treatment:
 * expected a 0/1 column)") and be numeric (ATTRIB_ETYPE naming the role and
 * the first text cell with its line). The type inference would otherwise
 * make a column with one stray word categorical, and the estimator would
 * then speak of it as whatever it is to the design (an outcome, a formula
 * term) with advice that does not apply to an indicator (issue 15). Values
 * other than 0 and 1 are the caller's to check: the rows it uses are. */
attrib_status attrib__require_indicator(const struct attrib_table *t, const char *name, const char *role,
                                        size_t *index, attrib_error *err);

#endif
