/*
 * Tables read from PostgreSQL (libpq), where learner-level data usually
 * lives (docs/scale.md).
 *
 * A source is a libpq connection URI, "postgresql://user:pw@host:port/db",
 * naming what to read with the extra query parameter table=NAME (or
 * SCHEMA.NAME), or given a query (attrib_pg_options.sql). The rows arrive
 * through a binary cursor, FETCH by FETCH, into the same columnar table the
 * CSV reader makes (attrib_table); no cell owns an allocation.
 *
 * Built without libpq (the CMake option ATTRIB_POSTGRES off, or libpq not
 * found), every function here that would connect fails with ATTRIB_EINVAL
 * and the message "built without PostgreSQL support".
 */
#ifndef ATTRIB_PG_H
#define ATTRIB_PG_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>
#include <attrib/table.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct attrib_pg_options {
  /* A SELECT whose result is the table, or NULL: the URI's table=NAME. */
  const char *sql;
  /* Rows per FETCH; 0 = 10000. */
  size_t fetch_rows;
  /* Columns read as text (categorical), NULL-terminated or NULL: a number
   * column of identifiers (a cluster, a learner id) is cast to text by the
   * server, as the CSV reader reads attrib_csv_options.identifiers and
   * .categorical. A name not in the result is ignored here. */
  const char *const *text_columns;
  /* Columns cast to double precision by the server (a number stored as
   * text), NULL-terminated or NULL; a value that is not a number is the
   * server's error. */
  const char *const *numeric_columns;
  /* The columns to fetch, NULL-terminated, or NULL for all: a model
   * needs a few columns of a wide table. When one of them is not in the
   * result every column is fetched, so that the analysis reports the
   * missing one as it would from a CSV file (with the nearest name). */
  const char *const *columns;
} attrib_pg_options;

/* Defaults: the URI's table, 10000 rows per FETCH, types as declared. */
ATTRIB_API void attrib_pg_options_init(attrib_pg_options *opts);

/* Whether s is a PostgreSQL connection URI (postgresql:// or postgres://),
 * which a front end takes where it takes a file name. */
ATTRIB_API int attrib_pg_is_uri(const char *s);

/* 1 when the library was built with libpq, else 0. */
ATTRIB_API int attrib_pg_supported(void);

/* Copies uri into buf (NUL-terminated, cut to cap) with its password, if
 * any, written as "***": for a report's "source" and for messages.
 * Returns buf. */
ATTRIB_API char *attrib_pg_redact(const char *uri, char *buf, size_t cap);

/*
 * Reads a table from PostgreSQL.
 *   uri: libpq connection URI; its parameter table=NAME names the table
 *   (quoted as an identifier; SCHEMA.NAME splits at the first dot) unless
 *   opts->sql gives a query (then table= is an error). opts: NULL for
 *   defaults. out: new table on success, freed with attrib_table_free.
 * Column types follow the result's declared types: smallint, integer,
 * bigint, real, double precision, numeric and oid become numeric columns
 * (the server casts to double precision; numeric and real go through
 * their text, so a value is the double the CSV reader parses from the same
 * digits); boolean becomes a numeric 0/1 column read as true/false words;
 * text, varchar, char and name become categorical columns with their
 * levels sorted as the CSV reader sorts them; any other type (date,
 * timestamp, uuid, ...) is read as its text. NULL, and a double NaN, are
 * missing. Text must be UTF-8 (the connection asks for it).
 * Errors, one line each: ATTRIB_EIO (cannot connect: bad credentials, no
 * server; the server refused the query: no such table; a non-number cast to
 * numeric), ATTRIB_EINVAL (not a URI, no table and no query, both, a
 * duplicate column name, built without PostgreSQL support), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_table_read_pg(const char *uri, const attrib_pg_options *opts,
                                              attrib_table **out, attrib_error *err);

/* Frees text the library returned (the queries of attrib_ols_pushdown).
 * NULL is a no-op. */
ATTRIB_API void attrib_pg_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
