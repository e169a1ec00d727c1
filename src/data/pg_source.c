/* Tables from PostgreSQL through libpq: a binary cursor fetched in chunks
 * into the columnar table (include/attrib/pg.h), and the few queries the
 * pushed-down estimators run (pg_internal.h). Without libpq
 * (ATTRIB_HAVE_LIBPQ undefined) every entry point says so. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/pg.h>
#include "data/data_internal.h"
#include "data/pg_internal.h"

#ifdef ATTRIB_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

void attrib_pg_options_init(attrib_pg_options *o) { memset(o, 0, sizeof *o); }

int attrib_pg_is_uri(const char *s) {
  return s && (!strncmp(s, "postgresql://", 13) || !strncmp(s, "postgres://", 11));
}

void attrib_pg_free(void *p) { attrib__free(p); }

int attrib_pg_supported(void) {
#ifdef ATTRIB_HAVE_LIBPQ
  return 1;
#else
  return 0;
#endif
}

char *attrib_pg_redact(const char *uri, char *buf, size_t cap) {
  attrib__sbuf b = {0};
  const char *p = strstr(uri, "://");
  const char *auth = p ? p + 3 : uri;
  size_t alen = strcspn(auth, "/?");
  const char *at = memchr(auth, '@', alen);
  const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
  if (colon) { /* user:password@ */
    attrib__sbuf_add(&b, uri, (size_t)(colon + 1 - uri));
    attrib__sbuf_add(&b, "***", 3);
    uri = at;
  }
  /* password=... among the parameters */
  for (const char *s = uri; *s;) {
    const char *q = strstr(s, "password=");
    if (!q || (q != s && q[-1] != '?' && q[-1] != '&')) {
      if (!q) {
        attrib__sbuf_add(&b, s, strlen(s));
        break;
      }
      attrib__sbuf_add(&b, s, (size_t)(q + 9 - s));
      s = q + 9;
      continue;
    }
    attrib__sbuf_add(&b, s, (size_t)(q + 9 - s));
    attrib__sbuf_add(&b, "***", 3);
    s = q + 9 + strcspn(q + 9, "&");
  }
  size_t n = b.s ? b.len : 0;
  if (cap) {
    if (n >= cap) n = cap - 1;
    if (n) memcpy(buf, b.s, n);
    buf[n] = '\0';
  }
  attrib__sbuf_free(&b);
  return buf;
}

#ifndef ATTRIB_HAVE_LIBPQ

static attrib_status no_pg(attrib_error *err) {
  return attrib__fail(err, ATTRIB_EINVAL,
                      "built without PostgreSQL support (libpq): rebuild with libpq-dev installed and the CMake "
                      "option ATTRIB_POSTGRES on");
}

attrib_status attrib_table_read_pg(const char *uri, const attrib_pg_options *o, attrib_table **out,
                                   attrib_error *err) {
  (void)uri;
  (void)o;
  if (out) *out = NULL;
  return no_pg(err);
}

attrib_status attrib__pg_open(const char *uri, const char *sql, attrib__pg *p, attrib_error *err) {
  (void)uri;
  (void)sql;
  memset(p, 0, sizeof *p);
  return no_pg(err);
}
void attrib__pg_close(attrib__pg *p) { (void)p; }
char *attrib__pg_ident(attrib__pg *p, const char *name) {
  (void)p;
  (void)name;
  return NULL;
}
char *attrib__pg_literal(attrib__pg *p, const char *value) {
  (void)p;
  (void)value;
  return NULL;
}
attrib_status attrib__pg_describe(attrib__pg *p, char ***names, int **kinds, size_t *n, attrib_error *err) {
  (void)p;
  (void)names;
  (void)kinds;
  (void)n;
  return no_pg(err);
}
attrib_status attrib__pg_query_row(attrib__pg *p, const char *sql, double *out, size_t n, attrib_error *err) {
  (void)p;
  (void)sql;
  (void)out;
  (void)n;
  return no_pg(err);
}
attrib_status attrib__pg_query_texts(attrib__pg *p, const char *sql, char ***rows, size_t *n, attrib_error *err) {
  (void)p;
  (void)sql;
  (void)rows;
  (void)n;
  return no_pg(err);
}

#else

/* ------------------------------------------------------------ connection */

static attrib_status oom(attrib_error *err) {
  return attrib__fail(err, ATTRIB_ENOMEM, "PostgreSQL source: out of memory");
}

/* The first line of a libpq message, without its trailing blanks. */
static attrib_status fail_pg(attrib_error *err, const char *what, const char *msg) {
  size_t n = msg ? strcspn(msg, "\n") : 0;
  while (n && (msg[n - 1] == ' ' || msg[n - 1] == '\r')) n--;
  return attrib__fail(err, ATTRIB_EIO, "%s: %.*s", what, (int)n, msg ? msg : "");
}

static attrib_status fail_result(attrib_error *err, PGresult *r, PGconn *c) {
  const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  attrib_status s = fail_pg(err, "PostgreSQL", m ? m : PQerrorMessage(c));
  PQclear(r);
  return s;
}

/* Decodes %XX in s[0..n) into a new string. */
static char *url_decode(const char *s, size_t n) {
  char *d = attrib__malloc(n + 1, 1);
  if (!d) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%' && i + 2 < n) {
      char hex[3] = {s[i + 1], s[i + 2], 0};
      char *end;
      long v = strtol(hex, &end, 16);
      if (end == hex + 2) {
        d[o++] = (char)v;
        i += 2;
        continue;
      }
    }
    d[o++] = s[i];
  }
  d[o] = '\0';
  return d;
}

/* Splits the URI's table=NAME parameter off: libpq refuses parameters it
 * does not know. *conninfo and *table are new (table NULL when absent). */
static attrib_status split_uri(const char *uri, char **conninfo, char **table, attrib_error *err) {
  *conninfo = *table = NULL;
  attrib__sbuf b = {0};
  const char *q = strchr(uri, '?');
  attrib__sbuf_add(&b, uri, q ? (size_t)(q - uri) : strlen(uri));
  int first = 1;
  for (const char *s = q ? q + 1 : NULL; s && *s;) {
    size_t n = strcspn(s, "&");
    if (n > 6 && !strncmp(s, "table=", 6)) {
      attrib__free(*table);
      if (!(*table = url_decode(s + 6, n - 6))) {
        attrib__sbuf_free(&b);
        return oom(err);
      }
    } else if (n) {
      attrib__sbuf_add(&b, first ? "?" : "&", 1);
      attrib__sbuf_add(&b, s, n);
      first = 0;
    }
    s += n + (s[n] == '&');
  }
  if (b.failed || !b.s) {
    attrib__sbuf_free(&b);
    attrib__free(*table);
    *table = NULL;
    return oom(err);
  }
  *conninfo = attrib__strdup(b.s);
  attrib__sbuf_free(&b);
  if (!*conninfo) {
    attrib__free(*table);
    *table = NULL;
    return oom(err);
  }
  return ATTRIB_OK;
}

char *attrib__pg_ident(attrib__pg *p, const char *name) {
  char *q = PQescapeIdentifier(p->conn, name, strlen(name));
  if (!q) return NULL;
  char *c = attrib__strdup(q);
  PQfreemem(q);
  return c;
}

/* The buffer's text (the project allocator's memory), or NULL when
 * building it ran out of memory. */
static char *sbuf_take(attrib__sbuf *b) {
  if (b->failed) {
    attrib__sbuf_free(b);
    return NULL;
  }
  return b->s;
}

char *attrib__pg_literal(attrib__pg *p, const char *value) {
  char *q = PQescapeLiteral(p->conn, value, strlen(value));
  if (!q) return NULL;
  char *c = attrib__strdup(q);
  PQfreemem(q);
  return c;
}

/* SCHEMA.NAME or NAME, each part quoted. */
static char *quote_table(attrib__pg *p, const char *t) {
  const char *dot = strchr(t, '.');
  if (!dot) return attrib__pg_ident(p, t);
  char *schema = attrib__strndup(t, (size_t)(dot - t));
  char *a = schema ? attrib__pg_ident(p, schema) : NULL;
  char *b = a ? attrib__pg_ident(p, dot + 1) : NULL;
  attrib__sbuf s = {0};
  if (b) attrib__sbuf_addf(&s, "%s.%s", a, b);
  attrib__free(schema);
  attrib__free(a);
  attrib__free(b);
  return sbuf_take(&s);
}

attrib_status attrib__pg_open(const char *uri, const char *sql, attrib__pg *p, attrib_error *err) {
  memset(p, 0, sizeof *p);
  if (!attrib_pg_is_uri(uri))
    return attrib__fail(err, ATTRIB_EINVAL, "not a PostgreSQL URI (postgresql://...): '%s'", uri ? uri : "");
  char *conninfo, *table;
  ATTRIB__TRY(split_uri(uri, &conninfo, &table, err));
  attrib_status s = ATTRIB_OK;
  if (table && sql) {
    s = attrib__fail(err, ATTRIB_EINVAL, "a PostgreSQL source takes a table (table=%s in the URI) or a query, not both",
                     table);
  } else if (!table && !sql) {
    s = attrib__fail(err, ATTRIB_EINVAL,
                     "a PostgreSQL source needs a table (postgresql://.../db?table=NAME) or a query");
  } else if (table && !*table) {
    s = attrib__fail(err, ATTRIB_EINVAL, "the URI's table= is empty");
  }
  if (s) {
    attrib__free(conninfo);
    attrib__free(table);
    return s;
  }
  PGconn *c = PQconnectdb(conninfo);
  attrib__free(conninfo);
  if (!c) {
    attrib__free(table);
    return oom(err);
  }
  if (PQstatus(c) != CONNECTION_OK) {
    /* "connection to server on socket ... failed: FATAL:  password
     * authentication failed for user "x"": the reason is after "failed: " */
    const char *m = PQerrorMessage(c);
    const char *r = strstr(m, "failed: ");
    s = fail_pg(err, "cannot connect to PostgreSQL", r && r + 8 < m + strcspn(m, "\n") ? r + 8 : m);
    PQfinish(c);
    attrib__free(table);
    return s;
  }
  p->conn = c;
  /* text arrives as UTF-8 whatever the database's encoding; dates in ISO */
  if (PQsetClientEncoding(c, "UTF8") != 0) {
    s = fail_pg(err, "PostgreSQL", PQerrorMessage(c));
  } else if (table) {
    if (!(p->relation = quote_table(p, table))) s = oom(err);
  } else {
    size_t n = strlen(sql);
    while (n && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' || sql[n - 1] == '\t')) n--;
    attrib__sbuf b = {0};
    attrib__sbuf_addf(&b, "(%.*s)", (int)n, sql);
    if (!(p->relation = sbuf_take(&b))) s = oom(err);
  }
  attrib__free(table);
  if (s == ATTRIB_OK) {
    PGresult *r = PQexec(c, "SET DateStyle = ISO");
    if (PQresultStatus(r) != PGRES_COMMAND_OK) s = fail_result(err, r, c);
    else PQclear(r);
  }
  if (s) attrib__pg_close(p);
  return s;
}

void attrib__pg_close(attrib__pg *p) {
  if (p->conn) PQfinish(p->conn);
  attrib__free(p->relation);
  memset(p, 0, sizeof *p);
}

/* Type OIDs of the catalogue (pg_type.dat); stable across versions. */
enum {
  OID_BOOL = 16, OID_CHAR = 18, OID_NAME = 19, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25,
  OID_OID = 26, OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_BPCHAR = 1042, OID_VARCHAR = 1043, OID_NUMERIC = 1700
};

static int kind_of(Oid t) {
  switch (t) {
  case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
    return ATTRIB__PG_NUMBER;
  case OID_BOOL: return ATTRIB__PG_BOOL;
  case OID_TEXT: case OID_VARCHAR: case OID_BPCHAR: case OID_NAME: case OID_CHAR: return ATTRIB__PG_TEXT;
  default: return ATTRIB__PG_OTHER;
  }
}

/* The relation's columns with no row: names and type OIDs. */
static attrib_status describe(attrib__pg *p, PGresult **out, attrib_error *err) {
  attrib__sbuf q = {0};
  attrib__sbuf_addf(&q, "SELECT * FROM %s AS attrib_src LIMIT 0", p->relation);
  if (q.failed || !q.s) {
    attrib__sbuf_free(&q);
    return oom(err);
  }
  PGresult *r = PQexec(p->conn, q.s);
  attrib__sbuf_free(&q);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) return fail_result(err, r, p->conn);
  *out = r;
  return ATTRIB_OK;
}

attrib_status attrib__pg_describe(attrib__pg *p, char ***names, int **kinds, size_t *n, attrib_error *err) {
  PGresult *r;
  *names = NULL;
  *kinds = NULL;
  *n = 0;
  ATTRIB__TRY(describe(p, &r, err));
  size_t m = (size_t)PQnfields(r);
  int *k = attrib__malloc(m ? m : 1, sizeof *k);
  char **nm = NULL;
  size_t got = 0;
  attrib_status s = k ? ATTRIB_OK : ATTRIB_ENOMEM;
  for (size_t j = 0; s == ATTRIB_OK && j < m; j++) {
    s = attrib__strlist_push(&nm, &got, PQfname(r, (int)j));
    k[j] = kind_of(PQftype(r, (int)j));
  }
  PQclear(r);
  if (s) {
    attrib__free(k);
    attrib__strlist_free(nm, got);
    return oom(err);
  }
  *names = nm;
  *kinds = k;
  *n = m;
  return ATTRIB_OK;
}

static double be_double(const char *b) {
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u = (u << 8) | (unsigned char)b[i];
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

attrib_status attrib__pg_query_row(attrib__pg *p, const char *sql, double *out, size_t n, attrib_error *err) {
  PGresult *r = PQexecParams(p->conn, sql, 0, NULL, NULL, NULL, NULL, 1);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) return fail_result(err, r, p->conn);
  if (PQntuples(r) != 1 || (size_t)PQnfields(r) != n) {
    int nr = PQntuples(r), nc = PQnfields(r);
    PQclear(r);
    return attrib__fail(err, ATTRIB_EIO, "PostgreSQL: the aggregate query returned %d rows of %d columns, "
                                         "expected 1 of %zu", nr, nc, n);
  }
  for (size_t j = 0; j < n; j++) {
    if (PQgetisnull(r, 0, (int)j)) out[j] = NAN;
    else if (PQftype(r, (int)j) == OID_FLOAT8 && PQgetlength(r, 0, (int)j) == 8) out[j] = be_double(PQgetvalue(r, 0, (int)j));
    else {
      PQclear(r);
      return attrib__fail(err, ATTRIB_EIO, "PostgreSQL: column %zu of the aggregate query is not double precision", j + 1);
    }
  }
  PQclear(r);
  return ATTRIB_OK;
}

attrib_status attrib__pg_query_texts(attrib__pg *p, const char *sql, char ***rows, size_t *n, attrib_error *err) {
  *rows = NULL;
  *n = 0;
  PGresult *r = PQexec(p->conn, sql);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) return fail_result(err, r, p->conn);
  for (int i = 0; i < PQntuples(r); i++) {
    if (PQgetisnull(r, i, 0)) continue;
    if (attrib__strlist_push(rows, n, PQgetvalue(r, i, 0))) {
      PQclear(r);
      attrib__strlist_free(*rows, *n);
      *rows = NULL;
      *n = 0;
      return oom(err);
    }
  }
  PQclear(r);
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ the table */

typedef struct pg_col {
  int kind;     /* ATTRIB__PG_* as fetched: NUMBER (float8), BOOL, or TEXT (any text) */
  double *values;
  uint64_t *missing;
  int32_t *codes;
  size_t n_missing, n_bools;
  size_t cap; /* rows the arrays hold (each column's own: growing can fail halfway through) */
  attrib__level_dict dict;
} pg_col;

/* Grows every column's arrays to ncap rows (doubling: no allocation per
 * row or per FETCH once the table is large). */
static int cols_grow(pg_col *cols, size_t m, size_t ncap) {
  for (size_t j = 0; j < m; j++) {
    pg_col *c = &cols[j];
    size_t cap = c->cap;
    if (c->kind == ATTRIB__PG_TEXT) {
      int32_t *codes = attrib__alloc_large(ncap * sizeof *codes);
      if (!codes) return 0;
      if (cap) memcpy(codes, c->codes, cap * sizeof *codes);
      attrib__free_large(c->codes, cap * sizeof *codes);
      c->codes = codes;
    } else {
      size_t ow = (cap + 63) / 64, nw = (ncap + 63) / 64;
      uint64_t *mb = attrib__realloc(c->missing, nw, sizeof *mb);
      if (!mb) return 0;
      memset(mb + ow, 0, (nw - ow) * sizeof *mb);
      c->missing = mb;
      double *v = attrib__alloc_large(ncap * sizeof *v);
      if (!v) return 0;
      if (cap) memcpy(v, c->values, cap * sizeof *v);
      attrib__free_large(c->values, cap * sizeof *v);
      c->values = v;
    }
    c->cap = ncap;
  }
  return 1;
}

/* Levels sorted as the CSV reader sorts them (R's factor(): numerically
 * when every level is a number, else by bytes), codes remapped. */
static int finish_text(pg_col *c, size_t rows, attrib_column *o) {
  size_t L = c->dict.n;
  int32_t *map = attrib__malloc(L ? L : 1, sizeof *map);
  o->levels = attrib__malloc(L ? L : 1, sizeof *o->levels);
  if (!map || !o->levels || !attrib__level_dict_sort(&c->dict, o->levels, map)) {
    attrib__free(map);
    return 0;
  }
  for (size_t i = 0; i < rows; i++)
    if (c->codes[i] >= 0) c->codes[i] = map[c->codes[i]];
  o->n_levels = L;
  attrib__free(map);
  return 1;
}

static int listed(const char *const *list, const char *name) {
  for (size_t i = 0; list && list[i]; i++)
    if (!strcmp(list[i], name)) return 1;
  return 0;
}

/* Whether the result has a column called name, exactly as written (not
 * PQfnumber, which folds an unquoted name to lower case). */
static int listed_name(const PGresult *d, const char *name) {
  for (int j = 0; j < PQnfields(d); j++)
    if (!strcmp(PQfname(d, j), name)) return 1;
  return 0;
}

static attrib_status exec_ok(PGconn *c, const char *sql, attrib_error *err) {
  PGresult *r = PQexec(c, sql);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) return fail_result(err, r, c);
  PQclear(r);
  return ATTRIB_OK;
}

/* Stores one FETCH's rows at row0. */
static attrib_status store_rows(PGresult *r, pg_col *cols, size_t m, size_t row0, attrib__arena *arena,
                                attrib_error *err) {
  size_t nr = (size_t)PQntuples(r);
  for (size_t j = 0; j < m; j++) {
    pg_col *c = &cols[j];
    for (size_t i = 0; i < nr; i++) {
      size_t row = row0 + i;
      int null = PQgetisnull(r, (int)i, (int)j);
      if (c->kind == ATTRIB__PG_TEXT) {
        if (null) {
          c->codes[row] = -1;
          c->n_missing++;
          continue;
        }
        int32_t code = attrib__level_dict_intern(&c->dict, arena, PQgetvalue(r, (int)i, (int)j), (size_t)PQgetlength(r, (int)i, (int)j));
        if (code < 0) return oom(err);
        c->codes[row] = code;
        continue;
      }
      double v = NAN;
      if (!null) {
        const char *b = PQgetvalue(r, (int)i, (int)j);
        if (c->kind == ATTRIB__PG_BOOL) {
          v = b[0] ? 1.0 : 0.0;
          c->n_bools++;
        } else {
          v = be_double(b);
        }
      }
      if (isnan(v)) { /* NULL, and a double NaN, which the CSV reader reads as missing too */
        v = NAN;
        c->missing[row / 64] |= (uint64_t)1 << (row % 64);
        c->n_missing++;
      }
      c->values[row] = v;
    }
  }
  return ATTRIB_OK;
}

/* long: describe, the cursor's select list, the FETCH loop and the move
 * into the table share the connection, the columns and one cleanup. */
attrib_status attrib_table_read_pg(const char *uri, const attrib_pg_options *opts, attrib_table **out,
                                   attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_table_read_pg: NULL argument");
  *out = NULL;
  attrib_pg_options o;
  if (opts) o = *opts;
  else attrib_pg_options_init(&o);
  size_t chunk = o.fetch_rows ? o.fetch_rows : 10000;
  if (chunk > (size_t)1 << 24) chunk = (size_t)1 << 24;
  attrib__pg p;
  ATTRIB__TRY(attrib__pg_open(uri, o.sql, &p, err));
  PGresult *d = NULL;
  attrib_status s = describe(&p, &d, err);
  if (s) {
    attrib__pg_close(&p);
    return s;
  }
  size_t nf = (size_t)PQnfields(d), m = 0;
  size_t *sel = attrib__malloc(nf ? nf : 1, sizeof *sel); /* result columns fetched */
  if (!sel) {
    PQclear(d);
    attrib__pg_close(&p);
    return oom(err);
  }
  int all = o.columns == NULL;
  for (size_t i = 0; !all && o.columns[i]; i++)
    if (!listed_name(d, o.columns[i])) all = 1;
  for (size_t j = 0; j < nf; j++)
    if (all || listed(o.columns, PQfname(d, (int)j))) sel[m++] = j;
  pg_col *cols = attrib__calloc(m ? m : 1, sizeof *cols);
  attrib__arena *arena = attrib__calloc(1, sizeof *arena);
  attrib__sbuf q = {0};
  size_t rows = 0, cap = 0;
  attrib_table *t = NULL;
  if (!cols || !arena) {
    s = oom(err);
    goto done;
  }
  attrib__sbuf_add(&q, "DECLARE attrib_cur BINARY NO SCROLL CURSOR FOR SELECT ", 54);
  for (size_t j = 0; j < m && s == ATTRIB_OK; j++) {
    const char *name = PQfname(d, (int)sel[j]);
    for (size_t i = 0; i < j; i++)
      if (!strcmp(PQfname(d, (int)sel[i]), name))
        s = attrib__fail(err, ATTRIB_EINVAL, "PostgreSQL: the column name '%s' appears twice in the result", name);
    char *id = s ? NULL : attrib__pg_ident(&p, name);
    if (!s && !id) s = oom(err);
    if (s) break;
    Oid ty = PQftype(d, (int)sel[j]);
    int kind = kind_of(ty);
    const char *cast = "";
    if (listed(o.text_columns, name)) kind = ATTRIB__PG_TEXT, cast = "::text";
    else if (listed(o.numeric_columns, name) && kind != ATTRIB__PG_NUMBER) kind = ATTRIB__PG_NUMBER, cast = "::float8";
    else if (kind == ATTRIB__PG_OTHER) kind = ATTRIB__PG_TEXT, cast = "::text";
    /* numeric and real through their text: the double strtod makes of the
     * digits, as from a CSV file (real's own widening would give
     * 1.100000023841858 for 1.1) */
    if (kind == ATTRIB__PG_NUMBER && (ty == OID_NUMERIC || ty == OID_FLOAT4)) cast = "::text::float8";
    else if (kind == ATTRIB__PG_NUMBER && ty != OID_FLOAT8) cast = "::float8";
    if (kind == ATTRIB__PG_TEXT && !*cast && ty != OID_TEXT) cast = "::text";
    cols[j].kind = kind;
    attrib__sbuf_addf(&q, "%s%s%s", j ? ", " : "", id, cast);
    attrib__free(id);
  }
  if (s) goto done;
  attrib__sbuf_addf(&q, " FROM %s AS attrib_src", p.relation);
  if (q.failed || !q.s) {
    s = oom(err);
    goto done;
  }
  if ((s = exec_ok(p.conn, "BEGIN READ ONLY", err)) || (s = exec_ok(p.conn, q.s, err))) goto done;
  char fetch[64];
  snprintf(fetch, sizeof fetch, "FETCH %zu FROM attrib_cur", chunk);
  for (;;) {
    PGresult *r = PQexecParams(p.conn, fetch, 0, NULL, NULL, NULL, NULL, 1);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      s = fail_result(err, r, p.conn);
      goto done;
    }
    size_t nr = (size_t)PQntuples(r);
    if (nr == 0) {
      PQclear(r);
      break;
    }
    if (rows + nr > cap) {
      size_t ncap = cap ? cap : chunk;
      while (ncap < rows + nr) ncap *= 2;
      if (!cols_grow(cols, m, ncap)) {
        PQclear(r);
        s = oom(err);
        goto done;
      }
      cap = ncap;
    }
    s = store_rows(r, cols, m, rows, arena, err);
    PQclear(r);
    if (s) goto done;
    rows += nr;
  }
  if ((s = exec_ok(p.conn, "CLOSE attrib_cur", err)) || (s = exec_ok(p.conn, "COMMIT", err))) goto done;
  if (cap == 0) { /* no row: columns of length 0 still have arrays */
    if (!cols_grow(cols, m, 1)) {
      s = oom(err);
      goto done;
    }
    cap = 1;
  }
  t = attrib__calloc(1, sizeof *t);
  if (!t || !(t->cols = attrib__calloc(m ? m : 1, sizeof *t->cols))) {
    s = oom(err);
    goto done;
  }
  {
    char shown[512];
    attrib_pg_redact(uri, shown, sizeof shown);
    if (!(t->source = attrib__strdup(o.sql ? "the PostgreSQL query" : shown))) {
      s = oom(err);
      goto done;
    }
  }
  t->n_rows = rows;
  t->delim = ',';
  t->arena_ = arena;
  arena = NULL;
  for (size_t j = 0; j < m; j++) {
    pg_col *c = &cols[j];
    attrib_column *oc = &t->cols[t->n_cols++];
    if (!(oc->name = attrib__strdup(PQfname(d, (int)sel[j])))) {
      s = oom(err);
      goto done;
    }
    oc->n_missing = c->n_missing;
    if (c->kind == ATTRIB__PG_TEXT) {
      oc->type = ATTRIB_COLUMN_CATEGORICAL;
      if (!finish_text(c, rows, oc)) {
        s = oom(err);
        goto done;
      }
      oc->codes = c->codes;
      oc->codes_bytes_ = c->cap * sizeof(int32_t);
      c->codes = NULL;
    } else {
      oc->type = ATTRIB_COLUMN_NUMERIC;
      oc->values = c->values;
      oc->values_bytes_ = c->cap * sizeof(double);
      c->values = NULL;
      if (c->n_missing) oc->missing = c->missing;
      else attrib__free(c->missing);
      c->missing = NULL;
      oc->is_boolean = c->kind == ATTRIB__PG_BOOL && c->n_bools > 0;
      oc->bool_words = oc->is_boolean ? 1 : 0;
    }
  }
  *out = t;
  t = NULL;
done:
  for (size_t j = 0; cols && j < m; j++) {
    attrib__free_large(cols[j].values, cols[j].cap * sizeof(double));
    attrib__free_large(cols[j].codes, cols[j].cap * sizeof(int32_t));
    attrib__free(cols[j].missing);
    attrib__level_dict_free(&cols[j].dict);
  }
  attrib__free(cols);
  attrib__free(sel);
  if (arena) {
    attrib__arena_free(arena);
    attrib__free(arena);
  }
  attrib_table_free(t);
  attrib__sbuf_free(&q);
  PQclear(d);
  attrib__pg_close(&p);
  return s;
}

#endif
