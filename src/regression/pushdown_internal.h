/* The pushed-down fits' shared part (pushdown.c; docs/scale.md). */
#ifndef ATTRIB_REGRESSION_PUSHDOWN_INTERNAL_H
#define ATTRIB_REGRESSION_PUSHDOWN_INTERNAL_H

#include <attrib/formula.h>
#include "core/attrib_internal.h"
#include "data/pg_internal.h"

typedef struct attrib__pd {
  attrib__pg pg;
  char **names;  /* relation's columns */
  int *kinds;
  size_t n_names;
  attrib__sbuf where; /* complete cases */
  attrib__sbuf log;   /* the queries run, for the caller */
  char **terms;       /* k coefficient names */
  char **exprs;       /* k SQL expressions */
  size_t k, n_exprs;  /* n_exprs = k but while a term's push fails halfway */
  char *yid, *gid;    /* the outcome's SQL expression, the cluster's quoted name (or NULL) */
} attrib__pd;

attrib_status attrib__pd_oom(attrib_error *err);
/* Opens the source and builds the model's rows and terms for formula f
 * (plain numeric columns, products of them, factors; no '|'), the cluster
 * column's (cluster NULL: none), and runs the count of the relation's rows
 * into *n_input. Each query run is logged in p->log. p zeroed before;
 * attrib__pd_free after, whatever the status. */
attrib_status attrib__pd_setup(attrib__pd *p, const attrib_formula *f, const char *uri, const char *sql,
                               const char *cluster, double *n_input, attrib_error *err);
/* The rows as a subquery: y, x0..x{k-1}, and g (the cluster, as text)
 * when with_cluster. */
void attrib__pd_rows_query(const attrib__pd *p, attrib__sbuf *b, int with_cluster);
void attrib__pd_free(attrib__pd *p);
/* The queries run (p->log) as a new string into *queries, when queries is
 * not NULL. */
/* Runs the one-row aggregate query q (logged in p->log) into row[0..n-1];
 * frees q whatever the status (a failed q: out of memory). */
attrib_status attrib__pd_run(attrib__pd *p, attrib__sbuf *q, double *row, size_t n, attrib_error *err);
attrib_status attrib__pd_queries(const attrib__pd *p, char **queries, attrib_error *err);

struct attrib_ols_options;
struct attrib_ols_stats;
/* attrib_ols_pushdown_stats on a parsed formula (formula: its text for the
 * statistics file, or NULL). */
attrib_status attrib__ols_pushdown_f(const char *uri, const char *sql, const attrib_formula *f, const char *formula,
                                     const char *cluster, const struct attrib_ols_options *opts,
                                     const struct attrib_ols_stats *at, struct attrib_ols_stats **out, char **queries,
                                     attrib_error *err);

#endif
