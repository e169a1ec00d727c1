/* Internals of the PostgreSQL source (pg_source.c) that the pushed-down
 * estimators (regression/ols_pushdown.c) build their queries on. */
#ifndef ATTRIB_PG_INTERNAL_H
#define ATTRIB_PG_INTERNAL_H

#include <stddef.h>
#include "core/attrib_internal.h"

/* An open connection and the relation the data is: a quoted table name, or
 * "(query)", ready to follow FROM. */
typedef struct attrib__pg {
  void *conn;     /* PGconn */
  char *relation; /* "\"learners\"" or "(SELECT ...)" */
} attrib__pg;

/* The kind of a column of the relation, from its declared type. */
enum {
  ATTRIB__PG_ABSENT = 0,
  ATTRIB__PG_NUMBER, /* smallint ... numeric: read as double precision */
  ATTRIB__PG_BOOL,
  ATTRIB__PG_TEXT, /* text, varchar, char, name */
  ATTRIB__PG_OTHER /* read as its text */
};

/* Connects (ATTRIB_EIO with the server's first line on failure) and sets
 * p->relation from the URI's table= or from sql (exactly one of them). */
attrib_status attrib__pg_open(const char *uri, const char *sql, attrib__pg *p, attrib_error *err);
void attrib__pg_close(attrib__pg *p);

/* name quoted as an SQL identifier by libpq (PQescapeIdentifier: no name
 * can close the quotes), in attrib__malloc'd memory; NULL when out of
 * memory. */
char *attrib__pg_ident(attrib__pg *p, const char *name);

/* value quoted as an SQL string literal by libpq (PQescapeLiteral), in
 * attrib__malloc'd memory; NULL when out of memory. */
char *attrib__pg_literal(attrib__pg *p, const char *value);

/* The relation's column names and kinds (ATTRIB__PG_*), n of them; the
 * caller frees names with attrib__strlist_free and kinds with attrib__free. */
attrib_status attrib__pg_describe(attrib__pg *p, char ***names, int **kinds, size_t *n, attrib_error *err);

/* Runs sql, which returns exactly one row of n double precision columns,
 * in binary (the exact doubles); NULL comes back as NaN. */
attrib_status attrib__pg_query_row(attrib__pg *p, const char *sql, double *out, size_t n, attrib_error *err);

/* Runs sql, which returns one text column; *rows and *n are new (NULL
 * cells are skipped), freed with attrib__strlist_free. */
attrib_status attrib__pg_query_texts(attrib__pg *p, const char *sql, char ***rows, size_t *n, attrib_error *err);

#endif
