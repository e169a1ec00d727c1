/* The pushed-down fits' shared part (docs/scale.md): the source opened and
 * described, the model's rows as a WHERE clause over the complete cases, and
 * its design as SQL expressions, one per coefficient: a numeric column cast
 * to double precision, a boolean as CASE WHEN, a product for an interaction
 * of numeric columns, one CASE WHEN dummy per non-reference level of a
 * factor (levels sorted as the CSV reader sorts them). OLS (ols_pushdown.c)
 * and logit (logit_pushdown.c) then sum over these rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <attrib/formula.h>
#include "core/attrib_internal.h"
#include "data/data_internal.h"
#include "data/pg_internal.h"
#include "regression/pushdown_internal.h"

attrib_status attrib__pd_oom(attrib_error *err) { return attrib__fail(err, ATTRIB_ENOMEM, "pushdown: out of memory"); }

static int kind_of(const attrib__pd *p, const char *name) {
  for (size_t j = 0; j < p->n_names; j++)
    if (!strcmp(p->names[j], name)) return p->kinds[j];
  return ATTRIB__PG_ABSENT;
}

static attrib_status need_column(attrib__pd *p, const char *name, const char *what, int *kind, attrib_error *err) {
  *kind = kind_of(p, name);
  if (*kind == ATTRIB__PG_ABSENT)
    return attrib__fail(err, ATTRIB_ENOCOL, "no column '%s' (the %s) in %s", name, what, p->pg.relation);
  return ATTRIB_OK;
}

/* A number column as double precision; NULL and NaN are missing (the CSV
 * reader reads NaN as missing), so both leave the rows. */
static void add_number(const char *id, int kind, attrib__sbuf *expr) {
  if (kind == ATTRIB__PG_BOOL) attrib__sbuf_addf(expr, "CASE WHEN %s THEN 1.0 ELSE 0.0 END::float8", id);
  else attrib__sbuf_addf(expr, "CAST(%s AS double precision)", id);
}

static void where_number(attrib__pd *p, const char *id, int kind) {
  attrib__sbuf_addf(&p->where, " AND %s IS NOT NULL", id);
  if (kind != ATTRIB__PG_BOOL) attrib__sbuf_addf(&p->where, " AND CAST(%s AS double precision) <> 'NaN'", id);
}

static attrib_status push_term(attrib__pd *p, const char *term, const char *expr, attrib_error *err) {
  if (attrib__strlist_push(&p->exprs, &p->n_exprs, expr)) return attrib__pd_oom(err);
  if (attrib__strlist_push(&p->terms, &p->k, term)) return attrib__pd_oom(err);
  return ATTRIB_OK;
}

/* A factor: its levels among the complete rows, sorted as the CSV reader
 * sorts them, one CASE WHEN dummy per level (the first left out when the
 * model has an intercept or an earlier factor, as R's contrasts do). */
static attrib_status add_factor(attrib__pd *p, const char *name, const char *id, int written_factor, int full,
                                const char *where_all, attrib_error *err) {
  attrib__sbuf q = {0};
  attrib__sbuf_addf(&q, "SELECT DISTINCT CAST(%s AS text) FROM %s AS attrib_src WHERE %s", id, p->pg.relation, where_all);
  if (q.failed) return attrib__pd_oom(err);
  attrib__sbuf_addf(&p->log, "%s;\n\n", q.s);
  char **lv = NULL;
  size_t L = 0;
  attrib_status s = attrib__pg_query_texts(&p->pg, q.s, &lv, &L, err);
  attrib__sbuf_free(&q);
  if (s) return s;
  char **ls = attrib__malloc(L ? L : 1, sizeof *ls);
  if (!ls || !attrib__levels_sort(lv, NULL, L, ls, NULL)) {
    attrib__free(ls);
    attrib__strlist_free(lv, L);
    return attrib__pd_oom(err);
  }
  for (size_t i = full ? 0 : 1; i < L && s == ATTRIB_OK; i++) {
    char *lit = attrib__pg_literal(&p->pg, ls[i]);
    attrib__sbuf term = {0}, expr = {0};
    if (written_factor) attrib__sbuf_addf(&term, "factor(%s)%s", name, ls[i]);
    else attrib__sbuf_addf(&term, "%s%s", name, ls[i]);
    if (lit) attrib__sbuf_addf(&expr, "CASE WHEN CAST(%s AS text) = %s THEN 1.0 ELSE 0.0 END::float8", id, lit);
    if (!lit || term.failed || expr.failed) s = attrib__pd_oom(err);
    else s = push_term(p, term.s, expr.s, err);
    attrib__free(lit);
    attrib__sbuf_free(&term);
    attrib__sbuf_free(&expr);
  }
  attrib__free(ls);
  attrib__strlist_free(lv, L);
  return s;
}

void attrib__pd_free(attrib__pd *p) {
  attrib__pg_close(&p->pg);
  attrib__strlist_free(p->names, p->n_names);
  attrib__free(p->kinds);
  attrib__sbuf_free(&p->where);
  attrib__sbuf_free(&p->log);
  attrib__strlist_free(p->terms, p->k);
  attrib__strlist_free(p->exprs, p->n_exprs);
  attrib__free(p->yid);
  attrib__free(p->gid);
}

/* The rows as a subquery: y, x0..x{k-1} and g (the cluster, as text). */
void attrib__pd_rows_query(const attrib__pd *p, attrib__sbuf *b, int with_cluster) {
  attrib__sbuf_addf(b, "SELECT %s AS y", p->yid);
  for (size_t j = 0; j < p->k; j++) attrib__sbuf_addf(b, ", %s AS x%zu", p->exprs[j], j);
  if (with_cluster && p->gid) attrib__sbuf_addf(b, ", CAST(%s AS text) AS g", p->gid);
  /* OFFSET 0 keeps PostgreSQL from pulling the subquery up into the
   * aggregates, which would evaluate each column's expression (a factor's
   * CASE WHEN) once per sum it enters: k times per row instead of once */
  attrib__sbuf_addf(b, " FROM %s AS attrib_src WHERE %s OFFSET 0", p->pg.relation, p->where.s);
}

attrib_status attrib__pd_setup(attrib__pd *p, const attrib_formula *f, const char *uri, const char *sql,
                               const char *cluster, double *n_input, attrib_error *err) {
  attrib_status s = ATTRIB_OK;
  if (!f->response) s = attrib__fail(err, ATTRIB_EFORMULA, "the formula has no response (y ~ ...)");
  else if (f->n_fe)
    s = attrib__fail(err, ATTRIB_EUSAGE, "absorbed fixed effects (| %s) are not pushed down: write them as factor(%s)",
                     f->fe[0], f->fe[0]);
  if (s) goto done;
  if ((s = attrib__pg_open(uri, sql, &p->pg, err))) goto done;
  if ((s = attrib__pg_describe(&p->pg, &p->names, &p->kinds, &p->n_names, err))) goto done;
  int ky;
  if ((s = need_column(p, f->response, "outcome", &ky, err))) goto done;
  if (ky != ATTRIB__PG_NUMBER && ky != ATTRIB__PG_BOOL) {
    s = attrib__fail(err, ATTRIB_ETYPE, "the outcome '%s' is not a number column in the database (cast it in the query)",
                     f->response);
    goto done;
  }
  attrib__sbuf ye = {0};
  char *id = attrib__pg_ident(&p->pg, f->response);
  if (!id) {
    s = attrib__pd_oom(err);
    goto done;
  }
  attrib__sbuf_add(&p->where, "TRUE", 4);
  add_number(id, ky, &ye);
  where_number(p, id, ky);
  attrib__free(id);
  if (ye.failed || !(p->yid = attrib__strdup(ye.s))) s = attrib__pd_oom(err);
  attrib__sbuf_free(&ye);
  if (s) goto done;
  if (cluster) {
    int kg;
    if ((s = need_column(p, cluster, "cluster", &kg, err))) goto done;
    if (!(p->gid = attrib__pg_ident(&p->pg, cluster))) {
      s = attrib__pd_oom(err);
      goto done;
    }
    attrib__sbuf_addf(&p->where, " AND %s IS NOT NULL", p->gid);
  }
  /* every column's missing values leave the rows before any factor's levels are read */
  /* per variable: its kind and quoted name; every variable's missing
   * values leave the rows before any factor's levels are read */
  int *kinds = attrib__calloc(f->n_vars ? f->n_vars : 1, sizeof *kinds);
  char **ids = attrib__calloc(f->n_vars ? f->n_vars : 1, sizeof *ids);
  if (!kinds || !ids) s = attrib__pd_oom(err);
  for (size_t i = 0; !s && i < f->n_vars; i++) {
    const attrib_formula_var *v = &f->vars[i];
    /* a removed term's variable (y ~ a + b - b) too: R's model frame, and
     * the CSV path, drop the rows where it is missing */
    if ((s = need_column(p, v->name, "formula term", &kinds[i], err))) break;
    if (!(ids[i] = attrib__pg_ident(&p->pg, v->name))) s = attrib__pd_oom(err);
    else if (v->is_factor || kinds[i] == ATTRIB__PG_TEXT || kinds[i] == ATTRIB__PG_OTHER)
      attrib__sbuf_addf(&p->where, " AND %s IS NOT NULL", ids[i]);
    else where_number(p, ids[i], kinds[i]);
  }
  for (size_t t = 0; !s && t < f->n_terms; t++) {
    if (f->terms[t].n_vars == 1) continue;
    for (size_t q = 0; q < f->terms[t].n_vars && !s; q++) {
      size_t i = f->terms[t].vars[q];
      if (f->vars[i].is_factor || kinds[i] == ATTRIB__PG_TEXT || kinds[i] == ATTRIB__PG_OTHER)
        s = attrib__fail(err, ATTRIB_EUSAGE,
                         "the interaction with the factor '%s' is not pushed down: products of numeric columns, plain "
                         "numeric columns and factor() are", f->vars[i].name);
    }
  }
  if (!s && f->intercept) s = push_term(p, "(Intercept)", "1.0::float8", err);
  int had_factor = 0;
  for (size_t t = 0; !s && t < f->n_terms; t++) {
    size_t i0 = f->terms[t].vars[0];
    const attrib_formula_var *v = &f->vars[i0];
    if (f->terms[t].n_vars == 1 && (v->is_factor || kinds[i0] == ATTRIB__PG_TEXT || kinds[i0] == ATTRIB__PG_OTHER)) {
      /* levels among the complete cases: p->where is whole by now */
      s = p->where.failed ? attrib__pd_oom(err)
                         : add_factor(p, v->name, ids[i0], v->is_factor, !f->intercept && !had_factor, p->where.s, err);
      had_factor = 1;
    } else { /* a column, or the product of the columns of an interaction ("a:b") */
      attrib__sbuf e = {0}, name = {0};
      for (size_t q = 0; q < f->terms[t].n_vars; q++) {
        size_t i = f->terms[t].vars[q];
        if (q) attrib__sbuf_addf(&e, "%s", " * ");
        add_number(ids[i], kinds[i], &e);
        attrib__sbuf_addf(&name, "%s%s", q ? ":" : "", f->vars[i].name);
      }
      if (e.failed || name.failed) s = attrib__pd_oom(err);
      else s = push_term(p, name.s, e.s, err);
      attrib__sbuf_free(&e);
      attrib__sbuf_free(&name);
    }
  }
  for (size_t i = 0; ids && i < f->n_vars; i++) attrib__free(ids[i]);
  attrib__free(ids);
  attrib__free(kinds);
  if (s) goto done;
  if (p->where.failed) {
    s = attrib__pd_oom(err);
    goto done;
  }
  if (p->k == 0) {
    s = attrib__fail(err, ATTRIB_EDESIGN, "the model has no coefficient to estimate");
    goto done;
  }
  /* 1. n_input */
  {
    attrib__sbuf q = {0};
    attrib__sbuf_addf(&q, "SELECT CAST(count(*) AS double precision) FROM %s AS attrib_src", p->pg.relation);
    if ((s = attrib__pd_run(p, &q, n_input, 1, err))) goto done;
  }
done:
  return s;
}

attrib_status attrib__pd_queries(const attrib__pd *p, char **queries, attrib_error *err) {
  if (!queries) return ATTRIB_OK;
  if (p->log.failed || !(*queries = attrib__strdup(p->log.s ? p->log.s : ""))) return attrib__pd_oom(err);
  return ATTRIB_OK;
}

attrib_status attrib__pd_run(attrib__pd *p, attrib__sbuf *q, double *row, size_t n, attrib_error *err) {
  attrib_status s;
  if (q->failed) s = attrib__pd_oom(err);
  else {
    attrib__sbuf_addf(&p->log, "%s;\n\n", q->s);
    s = attrib__pg_query_row(&p->pg, q->s, row, n, err);
  }
  attrib__sbuf_free(q);
  return s;
}
