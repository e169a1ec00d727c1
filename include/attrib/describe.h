/*
 * Per-column summary of a table (the describe command): type, counts,
 * missingness, mean/sd/min/max for numeric columns, level counts for
 * categorical ones. The result copies what it needs: it outlives the table.
 */
#ifndef ATTRIB_DESCRIBE_H
#define ATTRIB_DESCRIBE_H

#include <stddef.h>
#include <stdio.h>
#include <attrib/export.h>
#include <attrib/status.h>
#include <attrib/table.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct attrib_describe_column {
  char *name;
  attrib_column_type type;
  int is_boolean;
  size_t n;         /* non-missing values */
  size_t n_missing;
  double mean, sd, min, max; /* numeric, n > 0 (sd needs n > 1, else NaN) */
  size_t n_levels;  /* categorical */
  char **levels;    /* n_levels, sorted as the table sorts them */
  size_t *counts;   /* n_levels */
  /* A categorical column that is numeric but for a few cells
   * (attrib_column_near_numeric): its description, "column 'tenure' is
   * 99.5% numeric; not numbers: ..."; NULL otherwise. */
  char *near_numeric;
  /* A categorical column whose cells are numbers in a format the reader
   * can be told about (attrib_csv_options: decimal, thousands, currency,
   * percent): has_format = 1 and the options that read at least 95% of its
   * non-missing cells as numbers, the first that do in the order
   * thousands ','; currency (+ thousands ','); percent; decimal ',';
   * decimal ',' + thousands '.'; the same with currency or percent;
   * thousands ' '. format_share: the share of cells those options read. */
  int has_format;
  char format_decimal, format_thousands;
  int format_currency, format_percent;
  double format_share;
} attrib_describe_column;

typedef struct attrib_describe_result {
  char *source;
  size_t n_rows;
  size_t n_cols;
  attrib_describe_column *cols;
} attrib_describe_result;

/* Summarises every column of t. out: new result, freed with
 * attrib_describe_result_free. Returns ATTRIB_OK or ATTRIB_ENOMEM. */
ATTRIB_API attrib_status attrib_describe(const attrib_table *t, attrib_describe_result **out,
                                         attrib_error *err);

/* The same for the named columns only (names: NULL-terminated, in the order
 * wanted; a wide file's few columns of interest). A name that is not a
 * column is ATTRIB_ENOCOL with the nearest name. names NULL: every column. */
ATTRIB_API attrib_status attrib_describe_columns(const attrib_table *t, const char *const *names,
                                                 attrib_describe_result **out, attrib_error *err);

ATTRIB_API void attrib_describe_result_free(attrib_describe_result *r);

#ifdef __cplusplus
}
#endif

#endif
