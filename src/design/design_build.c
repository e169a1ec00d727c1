/*
 * Table + formula -> model frame (design.h).
 *
 * Factor coding follows R's model.matrix (Chambers & Hastie 1992,
 * "Statistical Models in S", sec. 2.4.1): a factor F in term T is coded by
 * treatment contrasts (reference = first level) when the margin T \ {F} is
 * in the model (the intercept is the empty margin), and by indicators for
 * every level otherwise; without an intercept the first factor main effect
 * gets indicators. Columns of an interaction vary the first variable
 * fastest, as R names them ("a1:b2").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/design.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/xsrc.h"
#include "data/data_internal.h"
#include "design/design_internal.h"

/* ------------------------------------------------------------ encoding */

typedef struct vi {
  double v;
  size_t i;
} vi;

static int cmp_vi(const void *a, const void *b) {
  const vi *x = a, *y = b;
  if (x->v < y->v) return -1;
  if (x->v > y->v) return 1;
  return (x->i > y->i) - (x->i < y->i);
}

static char *format_level(const attrib_column *col, double v) {
  /* booleans are named as R names them: logical FALSE/TRUE, or the words */
  if (col->bool_words == 1) return attrib__strdup(v != 0.0 ? "TRUE" : "FALSE");
  if (col->bool_words == 2) return attrib__strdup(v != 0.0 ? "yes" : "no");
  char buf[64];
  /* R's as.character() of a double: 15 significant digits */
  snprintf(buf, sizeof buf, "%.15g", v);
  return attrib__strdup(buf);
}

void attrib_coding_names_free(char **names, size_t n) {
  if (!names) return;
  for (size_t i = 0; i < n; i++) attrib__free(names[i]);
  attrib__free(names);
}

static attrib_status encode_numeric(const attrib_column *col, const size_t *rows, size_t n,
                                    int32_t *codes, size_t *n_levels, char ***names,
                                    attrib_error *err) {
  const double *x = col->values;
  double lo = INFINITY, hi = -INFINITY;
  int integral = 1;
  for (size_t i = 0; i < n; i++) {
    double v = x[rows ? rows[i] : i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (integral && v != floor(v)) integral = 0;
  }
  size_t L = 0;
  double *levels = NULL;
  if (n == 0) {
    *n_levels = 0;
    if (names) *names = NULL;
    return ATTRIB_OK;
  }
  if (integral && hi - lo < 8.0 * (double)n + 1024.0) {
    /* Integer ids (teams, learners, periods): a direct-indexed map, O(n). */
    size_t span = (size_t)(hi - lo) + 1;
    int32_t *map = attrib__malloc(span, sizeof *map);
    if (!map) return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
    for (size_t s = 0; s < span; s++) map[s] = -1;
    for (size_t i = 0; i < n; i++) map[(size_t)(x[rows ? rows[i] : i] - lo)] = 0;
    for (size_t s = 0; s < span; s++)
      if (map[s] == 0) map[s] = (int32_t)L++;
    for (size_t i = 0; i < n; i++) codes[i] = map[(size_t)(x[rows ? rows[i] : i] - lo)];
    if (names) {
      levels = attrib__malloc(L, sizeof *levels);
      if (!levels) {
        attrib__free(map);
        return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
      }
      for (size_t s = 0; s < span; s++)
        if (map[s] >= 0) levels[map[s]] = lo + (double)s;
    }
    attrib__free(map);
  } else {
    vi *t = attrib__malloc(n, sizeof *t);
    if (!t) return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
    for (size_t i = 0; i < n; i++) t[i] = (vi){x[rows ? rows[i] : i], i};
    qsort(t, n, sizeof *t, cmp_vi);
    if (names) levels = attrib__malloc(n, sizeof *levels);
    if (names && !levels) {
      attrib__free(t);
      return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
    }
    for (size_t i = 0; i < n; i++) {
      if (i == 0 || t[i].v != t[i - 1].v) {
        if (levels) levels[L] = t[i].v;
        L++;
      }
      codes[t[i].i] = (int32_t)(L - 1);
    }
    attrib__free(t);
  }
  *n_levels = L;
  if (names) {
    *names = attrib__calloc(L ? L : 1, sizeof **names);
    int ok = *names != NULL;
    for (size_t l = 0; ok && l < L; l++) ok = ((*names)[l] = format_level(col, levels[l])) != NULL;
    attrib__free(levels);
    if (!ok) {
      attrib_coding_names_free(*names, L);
      *names = NULL;
      return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
    }
  }
  return ATTRIB_OK;
}

attrib_status attrib_column_encode(const attrib_column *col, const size_t *rows, size_t n,
                                   int32_t *codes, size_t *n_levels, char ***names,
                                   attrib_error *err) {
  if (col->type == ATTRIB_COLUMN_NUMERIC) return encode_numeric(col, rows, n, codes, n_levels, names, err);
  /* categorical: levels are already sorted; keep those present */
  int32_t *map = attrib__malloc(col->n_levels ? col->n_levels : 1, sizeof *map);
  if (!map) return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
  for (size_t l = 0; l < col->n_levels; l++) map[l] = -1;
  for (size_t i = 0; i < n; i++) map[col->codes[rows ? rows[i] : i]] = 0;
  size_t L = 0;
  for (size_t l = 0; l < col->n_levels; l++)
    if (map[l] == 0) map[l] = (int32_t)L++;
  for (size_t i = 0; i < n; i++) codes[i] = map[col->codes[rows ? rows[i] : i]];
  *n_levels = L;
  if (names) {
    *names = attrib__calloc(L ? L : 1, sizeof **names);
    int ok = *names != NULL;
    for (size_t l = 0; ok && l < col->n_levels; l++)
      if (map[l] >= 0) ok = ((*names)[map[l]] = attrib__strdup(col->levels[l])) != NULL;
    if (!ok) {
      attrib_coding_names_free(*names, L);
      *names = NULL;
    }
    if (!ok) {
      attrib__free(map);
      return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
    }
  }
  attrib__free(map);
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ building */

/* One factor of a column's product: a numeric table column (read at the
 * design row's table row) or an indicator (design codes == level). */
typedef struct comp {
  const double *x;
  const int32_t *codes;
  int32_t level;
} comp;

typedef struct plan {
  size_t k;
  size_t *first;      /* k + 1 offsets into comps; an empty product is the intercept */
  comp *comps;
  int32_t **fac_codes; /* owned factor codes over design rows, one per formula variable (or NULL) */
  size_t n_fac;
  const size_t *rows;  /* the design's rows (table row of each design row) */
  size_t n_rows;
  int identity;        /* rows[i] == i for every row: no gather needed */
} plan;

typedef struct factor_info {
  int32_t *codes; /* n */
  size_t n_levels;
  char **levels;
} factor_info;

typedef struct build {
  const attrib_table *t;
  const attrib_formula *f;
  attrib_design *d;
  attrib_error *err;
  size_t *var_col;     /* table column of each formula variable */
  factor_info *fac;    /* per formula variable (factors only) */
  int *full;           /* per (term, var position): indicator coding */
} build;

static void design_options_default(attrib_design_options *o) {
  memset(o, 0, sizeof *o);
  o->check_collinearity = 1;
  o->collinearity_tol = 1e-10;
}

void attrib_design_options_init(attrib_design_options *opts) { design_options_default(opts); }

static int var_is_factor(const build *b, size_t v) {
  return b->f->vars[v].is_factor || b->t->cols[b->var_col[v]].type == ATTRIB_COLUMN_CATEGORICAL;
}

static attrib_status require_numeric(const attrib_table *t, size_t j, const char *what,
                                     attrib_error *err) {
  const attrib_column *c = &t->cols[j];
  if (c->type == ATTRIB_COLUMN_NUMERIC) return ATTRIB_OK;
  if (attrib_column_near_numeric(c)) { /* say how close it came, and which cells */
    attrib__sbuf desc = {0};
    attrib__near_numeric_describe(&desc, c);
    attrib__sbuf_add(&desc, "; ", 2);
    attrib__near_numeric_advice(&desc, c);
    attrib_status s = attrib__fail(err, ATTRIB_ETYPE, "%s: %s '%s' must be numeric, but %s", t->source, what, c->name,
                                   desc.s && !desc.failed ? desc.s : "it is near-numeric");
    attrib__sbuf_free(&desc);
    return s;
  }
  if (c->first_text_line)
    return attrib__fail(err, ATTRIB_ETYPE,
                        "%s: %s '%s' must be numeric, but line %zu holds '%s'", t->source, what,
                        c->name, c->first_text_line, c->first_text ? c->first_text : "");
  return attrib__fail(err, ATTRIB_ETYPE, "%s: %s '%s' must be numeric, but it is categorical",
                      t->source, what, c->name);
}

/* Whether the term of vars (t without position skip) is among terms [0, upto). */
static int margin_present(const attrib_formula *f, size_t ti, size_t skip, size_t upto) {
  const attrib_formula_term *t = &f->terms[ti];
  for (size_t u = 0; u < upto; u++) {
    const attrib_formula_term *m = &f->terms[u];
    if (m->n_vars != t->n_vars - 1) continue;
    size_t match = 0;
    for (size_t a = 0; a < t->n_vars; a++) {
      if (a == skip) continue;
      for (size_t c = 0; c < m->n_vars; c++)
        if (m->vars[c] == t->vars[a]) match++;
    }
    if (match == m->n_vars) return 1;
  }
  return 0;
}

static attrib_status plan_coding(build *b, size_t *k_out) {
  const attrib_formula *f = b->f;
  size_t total = 0;
  for (size_t ti = 0; ti < f->n_terms; ti++) total += f->terms[ti].n_vars;
  b->full = attrib__calloc(total ? total : 1, sizeof *b->full);
  if (!b->full) return attrib__fail(b->err, ATTRIB_ENOMEM, "design: out of memory");
  size_t k = f->intercept ? 1 : 0;
  int gave_full = 0; /* no intercept: the first factor main effect is coded fully */
  size_t pos = 0;
  for (size_t ti = 0; ti < f->n_terms; ti++) {
    const attrib_formula_term *t = &f->terms[ti];
    size_t cols = 1;
    for (size_t a = 0; a < t->n_vars; a++, pos++) {
      size_t v = t->vars[a];
      if (!var_is_factor(b, v)) continue;
      int full;
      if (t->n_vars == 1) {
        full = !f->intercept && !gave_full;
        if (full) gave_full = 1;
      } else {
        full = !margin_present(f, ti, a, ti);
      }
      b->full[pos] = full;
      size_t L = b->fac[v].n_levels;
      cols *= full ? L : (L > 0 ? L - 1 : 0);
    }
    k += cols;
  }
  *k_out = k;
  return ATTRIB_OK;
}

/* Names every column of X and records how to compute it (the plan). */
static attrib_status build_plan(build *b, plan *pl) {
  attrib_design *d = b->d;
  const attrib_formula *f = b->f;
  size_t j = 0, pos = 0, nc = 0, cap = 16, maxdeg = 1;
  attrib__sbuf name = {0};
  for (size_t ti = 0; ti < f->n_terms; ti++)
    if (f->terms[ti].n_vars > maxdeg) maxdeg = f->terms[ti].n_vars;
  pl->k = d->k;
  pl->first = attrib__calloc(d->k + 1, sizeof *pl->first);
  pl->comps = attrib__malloc(cap, sizeof *pl->comps);
  /* a mixed-radix counter over the factor levels of a term: idx, lo, hi
   * (sized by the longest term, not by the variable limit on the stack) */
  size_t *counter = attrib__malloc(3 * maxdeg, sizeof *counter);
  if (!pl->first || !pl->comps || !counter) {
    attrib__free(counter);
    return attrib__fail(b->err, ATTRIB_ENOMEM, "design: out of memory");
  }
  size_t *idx = counter, *lo = counter + maxdeg, *hi = counter + 2 * maxdeg;
  attrib_status s = ATTRIB_OK;
  if (f->intercept) {
    d->names[0] = attrib__strdup("(Intercept)");
    if (!d->names[0]) {
      s = attrib__fail(b->err, ATTRIB_ENOMEM, "design: out of memory");
      goto done;
    }
    d->term[0] = SIZE_MAX;
    pl->first[1] = 0;
    j = 1;
  }
  for (size_t ti = 0; ti < f->n_terms; ti++, pos += f->terms[ti - 1].n_vars) {
    const attrib_formula_term *t = &f->terms[ti];
    int any_empty = 0;
    for (size_t a = 0; a < t->n_vars; a++) {
      size_t v = t->vars[a];
      if (var_is_factor(b, v)) {
        lo[a] = b->full[pos + a] ? 0 : 1;
        hi[a] = b->fac[v].n_levels;
        if (lo[a] >= hi[a]) any_empty = 1;
      } else {
        lo[a] = 0;
        hi[a] = 1;
      }
      idx[a] = lo[a];
    }
    if (any_empty) continue;
    for (;;) {
      name.len = 0;
      for (size_t a = 0; a < t->n_vars; a++) {
        size_t v = t->vars[a];
        const attrib_formula_var *fv = &f->vars[v];
        if (a) attrib__sbuf_add(&name, ":", 1);
        if (fv->is_factor) attrib__sbuf_addf(&name, "factor(%s)", fv->name);
        else attrib__sbuf_add(&name, fv->name, strlen(fv->name));
        if (var_is_factor(b, v)) {
          const char *lv = b->fac[v].levels[idx[a]];
          attrib__sbuf_add(&name, lv, strlen(lv));
        }
        if (nc == cap) {
          comp *nc2 = attrib__realloc(pl->comps, cap * 2, sizeof *nc2);
          if (!nc2) {
            s = attrib__fail(b->err, ATTRIB_ENOMEM, "design: out of memory");
            goto done;
          }
          pl->comps = nc2;
          cap *= 2;
        }
        comp *c = &pl->comps[nc++];
        if (var_is_factor(b, v)) {
          c->x = NULL;
          c->codes = b->fac[v].codes;
          c->level = (int32_t)idx[a];
        } else {
          c->x = b->t->cols[b->var_col[v]].values;
          c->codes = NULL;
          c->level = 0;
        }
      }
      if (name.failed || !(d->names[j] = attrib__strdup(name.s ? name.s : ""))) {
        s = attrib__fail(b->err, ATTRIB_ENOMEM, "design: out of memory");
        goto done;
      }
      d->term[j] = ti;
      pl->first[++j] = nc;
      size_t a = 0;
      for (; a < t->n_vars; a++) {
        if (++idx[a] < hi[a]) break;
        idx[a] = lo[a];
      }
      if (a == t->n_vars) break;
    }
  }
done:
  attrib__sbuf_free(&name);
  attrib__free(counter);
  return s;
}

void attrib_design_fill_rows(const attrib_design *d, size_t r0, size_t p, double *out, size_t ld) {
  const plan *pl = d->plan_;
  const size_t *rows = pl->rows + r0;
  for (size_t j = 0; j < pl->k; j++) {
    double *o = out + j * ld;
    size_t c0 = pl->first[j], c1 = pl->first[j + 1];
    if (c0 == c1) { /* the intercept */
      for (size_t i = 0; i < p; i++) o[i] = 1.0;
      continue;
    }
    for (size_t c = c0; c < c1; c++) {
      const comp *cp = &pl->comps[c];
      if (cp->x) {
        const double *x = cp->x;
        if (c == c0 && pl->identity) memcpy(o, x + r0, p * sizeof *o);
        else if (c == c0) for (size_t i = 0; i < p; i++) o[i] = x[rows[i]];
        else if (pl->identity) for (size_t i = 0; i < p; i++) o[i] *= x[r0 + i];
        else for (size_t i = 0; i < p; i++) o[i] *= x[rows[i]];
      } else {
        const int32_t *codes = cp->codes + r0;
        int32_t lv = cp->level;
        if (c == c0) for (size_t i = 0; i < p; i++) o[i] = codes[i] == lv ? 1.0 : 0.0;
        else for (size_t i = 0; i < p; i++) o[i] = codes[i] == lv ? o[i] : 0.0;
      }
    }
  }
}

static void design_fill_block(const void *ctx, size_t r0, size_t p, double *buf) {
  attrib_design_fill_rows(ctx, r0, p, buf, p);
}

attrib__xsrc attrib__design_xsrc(const attrib_design *d) {
  if (d->X) return attrib__xsrc_matrix(d->X, d->n, d->k, d->n);
  attrib__xsrc s = {d->n, d->k, NULL, 0, design_fill_block, d, 1};
  return s;
}

attrib_status attrib_design_materialize(attrib_design *d, attrib_error *err) {
  if (!d) return attrib__fail(err, ATTRIB_EINVAL, "attrib_design_materialize: NULL argument");
  if (d->X || d->k == 0) return ATTRIB_OK;
  d->X_bytes_ = d->n * d->k * sizeof(double);
  d->X = attrib__alloc_large(d->X_bytes_);
  if (!d->X) return attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory (%zu rows x %zu columns)", d->n, d->k);
  for (size_t r0 = 0; r0 < d->n; r0 += ATTRIB__BLOCK_ROWS) {
    size_t p = d->n - r0 < ATTRIB__BLOCK_ROWS ? d->n - r0 : ATTRIB__BLOCK_ROWS;
    attrib_design_fill_rows(d, r0, p, d->X + r0, d->n);
  }
  return ATTRIB_OK;
}

static void plan_free(plan *pl) {
  if (!pl) return;
  attrib__free(pl->first);
  attrib__free(pl->comps);
  for (size_t v = 0; pl->fac_codes && v < pl->n_fac; v++)
    attrib__free_large(pl->fac_codes[v], pl->n_rows * sizeof(int32_t));
  attrib__free(pl->fac_codes);
  attrib__free(pl);
}

static attrib_status make_coding(build *b, size_t col, attrib_coding *c) {
  const attrib_column *src = &b->t->cols[col];
  c->name = attrib__strdup(src->name);
  c->codes = attrib__alloc_large((b->d->n ? b->d->n : 1) * sizeof *c->codes);
  if (!c->name || !c->codes) return attrib__fail(b->err, ATTRIB_ENOMEM, "design: out of memory");
  return attrib_column_encode(src, b->d->rows, b->d->n, c->codes, &c->n_levels, NULL, b->err);
}

/* Frees the builder's scratch (on success and failure alike). */
static void build_release(build *b, size_t *fe_col, size_t *cl_col, size_t *kp_col, unsigned char *bad) {
  for (size_t v = 0; b->fac && v < b->f->n_vars; v++) {
    attrib__free_large(b->fac[v].codes, b->d->n * sizeof(int32_t));
    attrib_coding_names_free(b->fac[v].levels, b->fac[v].n_levels);
  }
  attrib__free(b->fac);
  attrib__free(b->var_col);
  attrib__free(b->full);
  attrib__free(fe_col);
  attrib__free(cl_col);
  attrib__free(kp_col);
  attrib__free(bad);
}

static attrib_status make_codings(build *b, const size_t *cols, size_t n, attrib_coding **out,
                                  size_t *n_out) {
  if (n == 0) return ATTRIB_OK;
  *out = attrib__calloc(n, sizeof **out);
  if (!*out) return attrib__fail(b->err, ATTRIB_ENOMEM, "design: out of memory");
  *n_out = n;
  for (size_t e = 0; e < n; e++) ATTRIB__TRY(make_coding(b, cols[e], &(*out)[e]));
  return ATTRIB_OK;
}

static void mark_missing(const attrib_column *c, unsigned char *bad, size_t n) {
  if (c->type == ATTRIB_COLUMN_CATEGORICAL) {
    for (size_t i = 0; i < n; i++) bad[i] |= c->codes[i] < 0;
  } else if (c->missing) {
    for (size_t i = 0; i < n; i++) bad[i] |= (c->missing[i >> 6] >> (i & 63)) & 1;
  }
}

static size_t count_list(const char *const *l) {
  size_t n = 0;
  while (l && l[n]) n++;
  return n;
}

/* The table columns the design reads besides the formula's variables. */
typedef struct build_cols {
  size_t ycol, wcol;
  size_t *ycols; /* c(...): every response's column (ycols[0] == ycol), f->n_responses of them */
  size_t *fe_col, *cl_col, *kp_col;
  size_t n_cl, n_keep;
} build_cols;

/* Names -> columns, each failure naming the closest column. */
static attrib_status resolve_columns(build *b, const attrib_design_options *opts, build_cols *c_) {
  const attrib_table *t = b->t;
  const attrib_formula *f = b->f;
  attrib_error *err = b->err;
  size_t *fe_col = c_->fe_col, *cl_col = c_->cl_col, *kp_col = c_->kp_col, n_cl = c_->n_cl, n_keep = c_->n_keep;
  attrib_status s;
  if ((s = attrib_table_column_require(t, f->response, "outcome", &c_->ycol, err))) return s;
  if ((s = require_numeric(t, c_->ycol, "the outcome", err))) return s;
  for (size_t r = 0; r < f->n_responses; r++) {
    if ((s = attrib_table_column_require(t, f->responses[r], "outcome", &c_->ycols[r], err))) return s;
    if ((s = require_numeric(t, c_->ycols[r], "the outcome", err))) return s;
  }
  for (size_t v = 0; v < f->n_vars; v++) {
    if ((s = attrib_table_column_require(t, f->vars[v].name, "formula term", &b->var_col[v], err))) {
      if (err) err->offset = f->vars[v].offset;
      return s;
    }
    /* a numeric column re-typed by a few text cells would silently become a
     * factor with one indicator per distinct number (issue 15): refused
     * unless the formula says factor() */
    if (!f->vars[v].is_factor &&
        (s = attrib__require_not_near_numeric(t, &t->cols[b->var_col[v]], "a term of the model", err))) {
      if (err) err->offset = f->vars[v].offset;
      return s;
    }
  }
  for (size_t e = 0; e < f->n_fe; e++)
    if ((s = attrib_table_column_require(t, f->fe[e], "fixed effect", &fe_col[e], err))) {
      if (err) err->offset = f->fe_offsets[e];
      return s;
    }
  for (size_t c = 0; c < n_cl; c++)
    if ((s = attrib_table_column_require(t, opts->cluster[c], "cluster", &cl_col[c], err))) return s;
  for (size_t c = 0; c < n_keep; c++) {
    if ((s = attrib_table_column_require(t, opts->keep[c], "column", &kp_col[c], err))) return s;
    if ((s = require_numeric(t, kp_col[c], "column", err))) return s;
  }
  if (opts->weights) {
    if ((s = attrib_table_column_require(t, opts->weights, "weights", &c_->wcol, err))) return s;
    if ((s = require_numeric(t, c_->wcol, "the weights column", err))) return s;
  }
  return ATTRIB_OK;
}

/* Listwise deletion (a NaN weight is a missing weight, as in R) and the
 * weights' checks: fills d->rows with the rows used (bad[i] != 0 marks
 * the others) and the drop counts. */
static attrib_status select_rows(build *b, const attrib_design_options *opts, const build_cols *c_, unsigned char *bad) {
  const attrib_table *t = b->t;
  const attrib_formula *f = b->f;
  attrib_design *d = b->d;
  attrib_error *err = b->err;
  size_t ycol = c_->ycol, wcol = c_->wcol, n_cl = c_->n_cl, n_keep = c_->n_keep;
  const size_t *fe_col = c_->fe_col, *cl_col = c_->cl_col, *kp_col = c_->kp_col;
  attrib_status s;
  size_t N = t->n_rows;
  if (opts->weights) {
    const double *w = t->cols[wcol].values;
    for (size_t i = 0; i < N; i++) bad[i] |= isnan(w[i]);
  }
  for (size_t v = 0; v < f->n_vars; v++) mark_missing(&t->cols[b->var_col[v]], bad, N);
  for (size_t e = 0; e < f->n_fe; e++) mark_missing(&t->cols[fe_col[e]], bad, N);
  for (size_t c = 0; c < n_cl; c++) mark_missing(&t->cols[cl_col[c]], bad, N);
  for (size_t c = 0; c < n_keep; c++) mark_missing(&t->cols[kp_col[c]], bad, N);
  if (opts->weights) mark_missing(&t->cols[wcol], bad, N);
  /* the outcomes last: a row complete but for an outcome of c(...) is
   * dropped for every outcome (one design), and counted */
  size_t before = 0, n = 0;
  for (size_t i = 0; i < N; i++) before += !bad[i];
  mark_missing(&t->cols[ycol], bad, N);
  for (size_t r = 1; r < f->n_responses; r++) mark_missing(&t->cols[c_->ycols[r]], bad, N);
  for (size_t i = 0; i < N; i++) n += !bad[i];
  d->n_dropped_outcomes = f->n_responses ? before - n : 0;
  d->n_dropped_missing = N - n;
  if (opts->weights) {
    /* A negative or infinite weight is an error in the data, refused as
     * R's lm refuses it ("missing or negative weights not allowed"): a data
     * error (ATTRIB_ETYPE, exit 1), not a usage one. A zero
     * weight drops its row from the fit and from the residual degrees of
     * freedom, as lm.wfit does; the rows are counted (n_dropped_weight) and
     * reported. */
    const double *w = t->cols[wcol].values;
    for (size_t i = 0; i < N; i++) {
      if (bad[i]) continue;
      if (w[i] < 0.0 || isinf(w[i])) {
        attrib__sbuf nm = {0};
        attrib__sbuf_add_escaped(&nm, t->cols[wcol].name, strlen(t->cols[wcol].name), 200);
        s = attrib__fail(err, ATTRIB_ETYPE, "%s: data row %zu: the weight '%s' is %g; weights must be finite and >= 0",
                         t->source ? t->source : "the data", t->row_offset + i + 1, nm.s ? nm.s : "", w[i]);
        attrib__sbuf_free(&nm);
        return s;
      }
      if (w[i] > ATTRIB__MAX_MAGNITUDE) {
        /* one weight of 1e308 among weights of 1 gave R2 = 1 and a t value
         * of 155 digits with exit 0 (issue 15): sums of w y^2 overflow, and
         * the fit is that one row */
        attrib__sbuf nm = {0};
        attrib__sbuf_add_escaped(&nm, t->cols[wcol].name, strlen(t->cols[wcol].name), 200);
        s = attrib__fail(err, ATTRIB_ETYPE,
                         "%s: data row %zu: the weight '%s' is %g; weights above %g overflow the weighted sums of "
                         "squares (rescale the weights: only their ratios matter)",
                         t->source ? t->source : "the data", t->row_offset + i + 1, nm.s ? nm.s : "", w[i], ATTRIB__MAX_MAGNITUDE);
        attrib__sbuf_free(&nm);
        return s;
      }
      if (w[i] == 0.0) {
        bad[i] = 2;
        d->n_dropped_weight++;
        n--;
      }
    }
  }
  d->n_input = N;
  d->n = n;
  if (N == 0) { /* not "0 of 0 rows have a missing value": there were none */
    s = attrib__fail(err, ATTRIB_ENODATA, "%s: no data rows: the file has a header and nothing after it",
                     t->source ? t->source : "the data");
    return s;
  }
  if (n == 0) {
    s = attrib__fail(err, ATTRIB_ENODATA,
                     "%s: no rows left for the model: %zu of %zu rows have a missing value in a "
                     "used column%s",
                     t->source, d->n_dropped_missing, N,
                     d->n_dropped_weight ? " and the rest a weight of 0" : "");
    return s;
  }
  d->rows = attrib__alloc_large(n * sizeof *d->rows);
  if (!d->rows) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
    return s;
  }
  for (size_t i = 0, r = 0; i < N; i++)
    if (!bad[i]) d->rows[r++] = i;
  return ATTRIB_OK;
}

/* A model wider than dense least squares handles: name the factor that
 * blows the design up, and say what to do instead. */
static attrib_status too_many_columns(build *b, const attrib_design_options *opts, size_t k) {
  const attrib_formula *f = b->f;
  attrib_error *err = b->err;
  attrib_status s;
  size_t worst = SIZE_MAX, most = 0;
  for (size_t v = 0; v < f->n_vars; v++)
    if (var_is_factor(b, v) && b->fac[v].n_levels > most) most = b->fac[v].n_levels, worst = v;
  const char *name = worst != SIZE_MAX ? f->vars[worst].name : NULL;
  if (name && opts->levels_advice == ATTRIB_DESIGN_ADVICE_GROUP)
    s = attrib__fail(err, ATTRIB_EDESIGN,
                     "the model has %zu columns, more than the %d that dense least squares handles: '%s' has %zu "
                     "levels, and this model cannot absorb fixed effects: drop '%s' or group its levels into fewer",
                     k, ATTRIB_DESIGN_MAX_COLUMNS, name, most, name);
  else if (name && opts->levels_advice == ATTRIB_DESIGN_ADVICE_EXACT)
    s = attrib__fail(err, ATTRIB_EDESIGN,
                     "the model has %zu columns, more than the %d that dense least squares handles: '%s' has %zu "
                     "levels; drop it from the covariates, group its levels into fewer, or match exactly on it "
                     "instead (exact matching, its levels as strata)",
                     k, ATTRIB_DESIGN_MAX_COLUMNS, name, most);
  else if (name)
    s = attrib__fail(err, ATTRIB_EDESIGN,
                     "the model has %zu columns, more than the %d that dense least squares handles: '%s' has %zu "
                     "levels; absorb it as a fixed effect instead (write '| %s' at the end of the formula)",
                     k, ATTRIB_DESIGN_MAX_COLUMNS, name, most, name);
  else
    s = attrib__fail(err, ATTRIB_EDESIGN, "the model has %zu columns, more than the %d supported", k,
                     ATTRIB_DESIGN_MAX_COLUMNS);
  if (err && worst != SIZE_MAX) err->offset = f->vars[worst].offset;
  return s;
}

/* The outcome, weights and kept columns over the rows used: the table's
 * own arrays when no row is dropped (no copy, and none of the first-touch
 * cost of fresh memory), copies otherwise. */
static attrib_status copy_columns(build *b, const attrib_design_options *opts, const build_cols *c_) {
  const attrib_table *t = b->t;
  const attrib_formula *f = b->f;
  attrib_design *d = b->d;
  attrib_error *err = b->err;
  size_t n = d->n, ycol = c_->ycol, wcol = c_->wcol, n_cl = c_->n_cl, n_keep = c_->n_keep;
  const size_t *fe_col = c_->fe_col, *cl_col = c_->cl_col, *kp_col = c_->kp_col;
  attrib_status s;
  if (!d->borrowed_) {
    const double *ysrc = t->cols[ycol].values;
    for (size_t i = 0; i < n; i++) d->y[i] = ysrc[d->rows[i]];
  }
  /* an outcome whose squares overflow gave inf and NaN standard errors;
   * a constant one is each estimator's to judge (OLS refuses, logit names
   * the one class) */
  if ((s = attrib__check_outcome(t->source, f->response, d->y, NULL, n, 1, err))) return s;
  if (f->n_responses) {
    /* outcomes[0] is y from here on: attrib_design_free frees it there */
    if (!(d->outcomes = attrib__calloc(f->n_responses, sizeof *d->outcomes)))
      return attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
    d->n_outcomes = f->n_responses;
    d->outcomes[0] = d->y;
    if (!(d->outcome_names = attrib__calloc(f->n_responses, sizeof *d->outcome_names)))
      return attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
    for (size_t r = 0; r < f->n_responses; r++) {
      if (!(d->outcome_names[r] = attrib__strdup(f->responses[r])))
        return attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
      if (r == 0) continue;
      const double *src = t->cols[c_->ycols[r]].values;
      d->outcomes[r] = d->borrowed_ ? t->cols[c_->ycols[r]].values : attrib__alloc_large(n * sizeof(double));
      if (!d->outcomes[r]) return attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
      if (!d->borrowed_)
        for (size_t i = 0; i < n; i++) d->outcomes[r][i] = src[d->rows[i]];
      if ((s = attrib__check_outcome(t->source, f->responses[r], d->outcomes[r], NULL, n, 1, err))) return s;
    }
  }
  if (opts->weights) {
    d->w = d->borrowed_ ? t->cols[wcol].values : attrib__alloc_large(n * sizeof *d->w);
    if (!d->w) {
      s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
      return s;
    }
    const double *wsrc = t->cols[wcol].values;
    if (!d->borrowed_)
      for (size_t i = 0; i < n; i++) d->w[i] = wsrc[d->rows[i]];
  }
  if ((s = make_codings(b, fe_col, f->n_fe, &d->fe, &d->n_fe))) return s;
  if ((s = make_codings(b, cl_col, n_cl, &d->cluster, &d->n_cluster))) return s;
  if (n_keep) {
    d->keep = attrib__calloc(n_keep, sizeof *d->keep);
    if (!d->keep) {
      s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
      return s;
    }
    d->n_keep = n_keep;
    for (size_t c = 0; c < n_keep; c++) {
      d->keep[c] = d->borrowed_ ? t->cols[kp_col[c]].values : attrib__alloc_large(n * sizeof **d->keep);
      if (!d->keep[c]) {
        s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
        return s;
      }
      const double *src = t->cols[kp_col[c]].values;
      if (!d->borrowed_)
        for (size_t i = 0; i < n; i++) d->keep[c][i] = src[d->rows[i]];
    }
  }
  return ATTRIB_OK;
}

/* Flags the aliased columns (pivoted QR of R's lm, dqrdc2 with its
 * tolerance), each as constant or collinear with the earlier ones. */
static attrib_status mark_aliased(attrib_design *d, plan *pl, const attrib_design_options *opts, attrib_error *err) {
  size_t n = d->n, k = d->k;
  attrib_status s = ATTRIB_OK;
  int *aliased = attrib__malloc(k, sizeof *aliased);
  if (!aliased) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
    return s;
  }
  attrib__xsrc src = {n, k, NULL, 0, design_fill_block, d, 1};
  double *R = attrib__malloc(k * k, sizeof *R), *norm2 = attrib__malloc(k, sizeof *norm2);
  double *col = attrib__malloc(n, sizeof *col);
  if (!R || !norm2 || !col) s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
  if (s == ATTRIB_OK) s = attrib__tsqr(&src, NULL, d->w, R, norm2, NULL, err);
  if (s == ATTRIB_OK) s = attrib__dqrdc2(R, k, k, norm2, opts->collinearity_tol, aliased, NULL, err);
  attrib__free(R);
  attrib__free(norm2);
  for (size_t j = 0; s == ATTRIB_OK && j < k; j++) {
    if (!aliased[j]) continue;
    /* one column at a time: a single-column view of the plan */
    for (size_t r0 = 0; r0 < n; r0 += ATTRIB__BLOCK_ROWS) {
      size_t p = n - r0 < ATTRIB__BLOCK_ROWS ? n - r0 : ATTRIB__BLOCK_ROWS;
      plan one = *pl;
      one.k = 1;
      one.first = pl->first + j;
      attrib_design tmp = *d;
      tmp.plan_ = &one;
      attrib_design_fill_rows(&tmp, r0, p, col + r0, p);
    }
    const double *x = col;
    int constant = !(d->intercept && j == 0);
    for (size_t i = 1; constant && i < n; i++) constant = x[i] == x[0];
    d->alias[j] = constant ? ATTRIB_ALIAS_CONSTANT : ATTRIB_ALIAS_COLLINEAR;
    d->n_aliased++;
  }
  attrib__free(col);
  attrib__free(aliased);
  return s;
}

/* A factor coded over levels fixed by the caller (attrib__design_build_levels). */
static attrib_status encode_fixed(const attrib_column *col, const size_t *rows, size_t n,
                                  const attrib__design_levels *lv, int32_t *codes, size_t *n_levels, char ***names,
                                  attrib_error *err) {
  size_t L = lv->n;
  *names = attrib__calloc(L ? L : 1, sizeof **names);
  if (!*names) return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
  *n_levels = L;
  if (col->type == ATTRIB_COLUMN_NUMERIC) {
    for (size_t l = 0; l < L; l++)
      if (!((*names)[l] = format_level(col, lv->values[l]))) return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
    for (size_t i = 0; i < n; i++) {
      double v = col->values[rows ? rows[i] : i];
      size_t lo = 0, hi = L; /* binary search: the levels are sorted */
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lv->values[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      if (lo == L || lv->values[lo] != v)
        return attrib__fail(err, ATTRIB_EINVAL, "encoding '%s': %g is not among the levels given", col->name, v);
      codes[i] = (int32_t)lo;
    }
    return ATTRIB_OK;
  }
  for (size_t l = 0; l < col->n_levels; l++)
    if (lv->map[l] >= 0 && !((*names)[lv->map[l]] = attrib__strdup(col->levels[l])))
      return attrib__fail(err, ATTRIB_ENOMEM, "encoding '%s': out of memory", col->name);
  for (size_t i = 0; i < n; i++) {
    int32_t c = lv->map[col->codes[rows ? rows[i] : i]];
    if (c < 0)
      return attrib__fail(err, ATTRIB_EINVAL, "encoding '%s': '%s' is not among the levels given", col->name,
                          col->levels[col->codes[rows ? rows[i] : i]]);
    codes[i] = c;
  }
  return ATTRIB_OK;
}

static attrib_status design_build(const attrib_table *t, const attrib_formula *f, const attrib_design_options *opts,
                                  const attrib__design_levels *levels, attrib_design **out, attrib_error *err);

attrib_status attrib_design_build(const attrib_table *t, const attrib_formula *f,
                                  const attrib_design_options *opts, attrib_design **out,
                                  attrib_error *err) {
  return design_build(t, f, opts, NULL, out, err);
}

attrib_status attrib__design_build_levels(const attrib_table *t, const attrib_formula *f,
                                          const attrib_design_options *opts, const attrib__design_levels *levels,
                                          attrib_design **out, attrib_error *err) {
  return design_build(t, f, opts, levels, out, err);
}

int attrib__design_var_is_factor(const attrib_table *t, const attrib_formula *f, size_t v, size_t *col) {
  long j = attrib_table_column_find(t, f->vars[v].name);
  if (j < 0) return 0;
  if (col) *col = (size_t)j;
  return f->vars[v].is_factor || t->cols[j].type == ATTRIB_COLUMN_CATEGORICAL;
}

static attrib_status design_build(const attrib_table *t, const attrib_formula *f, const attrib_design_options *opts,
                                  const attrib__design_levels *levels, attrib_design **out, attrib_error *err) {
  if (!t || !f || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_design_build: NULL argument");
  *out = NULL;
  if (!f->response)
    return attrib__fail(err, ATTRIB_EFORMULA, "the formula has no outcome (a right-hand side alone: give it one)");
  attrib_design_options defaults;
  if (!opts) {
    design_options_default(&defaults);
    opts = &defaults;
  }
  attrib_status s = ATTRIB_OK;
  build b = {.t = t, .f = f, .err = err};
  unsigned char *bad = NULL;
  attrib_design *d = attrib__calloc(1, sizeof *d);
  if (!d) return attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
  b.d = d;
  build_cols c_ = {.n_cl = count_list(opts->cluster), .n_keep = count_list(opts->keep)};
  size_t n_cl = c_.n_cl, n_keep = c_.n_keep;
  size_t *fe_col = c_.fe_col = attrib__calloc(f->n_fe + 1, sizeof *fe_col);
  size_t *cl_col = c_.cl_col = attrib__calloc(n_cl + 1, sizeof *cl_col);
  size_t *kp_col = c_.kp_col = attrib__calloc(n_keep + 1, sizeof *kp_col);
  c_.ycols = attrib__calloc(f->n_responses + 1, sizeof *c_.ycols);
  b.var_col = attrib__calloc(f->n_vars + 1, sizeof *b.var_col);
  b.fac = attrib__calloc(f->n_vars + 1, sizeof *b.fac);
  bad = attrib__calloc(t->n_rows ? t->n_rows : 1, 1);
  if (!fe_col || !cl_col || !kp_col || !c_.ycols || !b.var_col || !b.fac || !bad) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
    goto fail;
  }
  if ((s = resolve_columns(&b, opts, &c_))) goto fail;
  if ((s = select_rows(&b, opts, &c_, bad))) goto fail;
  attrib__free(bad);
  bad = NULL;
  size_t n = d->n, N = d->n_input;

  /* factors over the rows used */
  for (size_t v = 0; v < f->n_vars; v++) {
    if (!var_is_factor(&b, v)) continue;
    factor_info *fi = &b.fac[v];
    fi->codes = attrib__alloc_large(n * sizeof *fi->codes);
    if (!fi->codes) {
      s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
      goto fail;
    }
    if (levels ? (s = encode_fixed(&t->cols[b.var_col[v]], d->rows, n, &levels[v], fi->codes, &fi->n_levels,
                                   &fi->levels, err))
               : (s = attrib_column_encode(&t->cols[b.var_col[v]], d->rows, n, fi->codes, &fi->n_levels,
                                           &fi->levels, err)))
      goto fail;
  }

  size_t k = 0;
  if ((s = plan_coding(&b, &k))) goto fail;
  if (k > ATTRIB_DESIGN_MAX_COLUMNS) {
    s = too_many_columns(&b, opts, k);
    goto fail;
  }
  d->k = k;
  d->intercept = f->intercept;
  /* No row dropped: the outcome, weights and kept columns are the table's
   * own arrays (no copy, and none of the first-touch cost of fresh memory). */
  d->borrowed_ = n == N;
  d->y = d->borrowed_ ? t->cols[c_.ycol].values : attrib__alloc_large(n * sizeof *d->y);
  d->names = attrib__calloc(k ? k : 1, sizeof *d->names);
  d->term = attrib__calloc(k ? k : 1, sizeof *d->term);
  d->alias = attrib__calloc(k ? k : 1, sizeof *d->alias);
  d->response = attrib__strdup(f->response);
  plan *pl = attrib__calloc(1, sizeof *pl);
  d->plan_ = pl;
  d->table_ = t;
  if (!pl || !d->y || !d->names || !d->term || !d->alias || !d->response) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory (%zu rows x %zu columns)", n, k);
    goto fail;
  }
  if ((s = build_plan(&b, pl))) goto fail;
  /* the factor codes now belong to the plan */
  pl->fac_codes = attrib__calloc(f->n_vars + 1, sizeof *pl->fac_codes);
  if (!pl->fac_codes) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
    goto fail;
  }
  pl->n_fac = f->n_vars;
  for (size_t v = 0; v < f->n_vars; v++) {
    pl->fac_codes[v] = b.fac[v].codes;
    b.fac[v].codes = NULL;
  }
  pl->rows = d->rows;
  pl->n_rows = n;
  pl->identity = n == N;
  if ((s = copy_columns(&b, opts, &c_))) goto fail;
  if (opts->check_collinearity && k > 0 && (s = mark_aliased(d, pl, opts, err))) goto fail;

  build_release(&b, fe_col, cl_col, kp_col, bad);
  attrib__free(c_.ycols);
  *out = d;
  return ATTRIB_OK;

fail:
  build_release(&b, fe_col, cl_col, kp_col, bad);
  attrib__free(c_.ycols);
  attrib_design_free(d);
  return s;
}

static void coding_free(attrib_coding *c, size_t n, size_t rows) {
  for (size_t i = 0; c && i < n; i++) {
    attrib__free(c[i].name);
    attrib__free_large(c[i].codes, (rows ? rows : 1) * sizeof(int32_t));
  }
  attrib__free(c);
}

void attrib_design_free(attrib_design *d) {
  if (!d) return;
  plan_free(d->plan_);
  attrib__free_large(d->X, d->X_bytes_);
  if (!d->borrowed_) {
    /* with c(...), y is one of the outcomes, each freed once below */
    if (!d->outcomes) attrib__free_large(d->y, d->n * sizeof(double));
    for (size_t r = 0; d->outcomes && r < d->n_outcomes; r++) attrib__free_large(d->outcomes[r], d->n * sizeof(double));
    attrib__free_large(d->w, d->n * sizeof(double));
  }
  for (size_t r = 0; d->outcome_names && r < d->n_outcomes; r++) attrib__free(d->outcome_names[r]);
  attrib__free(d->outcomes);
  attrib__free(d->outcome_names);
  for (size_t j = 0; d->names && j < d->k; j++) attrib__free(d->names[j]);
  attrib__free(d->names);
  attrib__free(d->term);
  attrib__free(d->alias);
  attrib__free(d->response);
  coding_free(d->fe, d->n_fe, d->n);
  coding_free(d->cluster, d->n_cluster, d->n);
  for (size_t c = 0; !d->borrowed_ && d->keep && c < d->n_keep; c++) attrib__free_large(d->keep[c], d->n * sizeof(double));
  attrib__free(d->keep);
  attrib__free_large(d->rows, d->n * sizeof(size_t));
  attrib__free(d);
}

attrib_status attrib_design_use_outcome(attrib_design *d, size_t j, attrib_error *err) {
  if (!d || j >= (d->n_outcomes ? d->n_outcomes : 1))
    return attrib__fail(err, ATTRIB_EINVAL, "attrib_design_use_outcome: no outcome %zu", j);
  if (!d->n_outcomes) return ATTRIB_OK;
  char *name = attrib__strdup(d->outcome_names[j]);
  if (!name) return attrib__fail(err, ATTRIB_ENOMEM, "design: out of memory");
  attrib__free(d->response);
  d->response = name;
  d->y = d->outcomes[j];
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ counterfactuals */

/* (design_internal.h) Column j must be a main effect: one numeric variable
 * or one level indicator of a factor. */
attrib_status attrib__design_cf_init(const attrib_design *d, size_t j, attrib__design_cf *cf, attrib_error *err) {
  const plan *pl = d->plan_;
  memset(cf, 0, sizeof *cf);
  if (!pl || j >= pl->k) return attrib__fail(err, ATTRIB_EINVAL, "design: no column %zu", j);
  size_t c0 = pl->first[j], c1 = pl->first[j + 1];
  if (c0 == c1) return attrib__fail(err, ATTRIB_EDESIGN, "'%s' is the intercept, not a variable", d->names[j]);
  if (c1 - c0 > 1)
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "'%s' is an interaction, not a variable that can be set: its effect depends on the other "
                        "variables of the product", d->names[j]);
  const comp *cp = &pl->comps[c0];
  cf->x = cp->x;
  cf->codes = cp->x ? NULL : cp->codes;
  cf->level = cp->level;
  return ATTRIB_OK;
}

/* The columns of attrib_design_fill_rows that involve cf's variable, with
 * every component that reads it replaced: a numeric variable by cf->value, a
 * factor's codes by cf->code. The other columns of out are not written. */
void attrib__design_fill_rows_cf(const attrib_design *d, const attrib__design_cf *cf, size_t r0, size_t p, double *out,
                                 size_t ld) {
  const plan *pl = d->plan_;
  for (size_t j = 0; j < pl->k; j++) {
    size_t c0 = pl->first[j], c1 = pl->first[j + 1];
    int touched = 0;
    for (size_t c = c0; c < c1 && !touched; c++)
      touched = cf->x ? pl->comps[c].x == cf->x : pl->comps[c].codes == cf->codes;
    if (!touched) continue;
    double *o = out + j * ld;
    /* the product again, with the variable at its set value */
    for (size_t i = 0; i < p; i++) o[i] = 1.0;
    for (size_t c = c0; c < c1; c++) {
      const comp *cp = &pl->comps[c];
      if (cf->x && cp->x == cf->x) {
        for (size_t i = 0; i < p; i++) o[i] *= cf->value;
      } else if (!cf->x && cp->codes == cf->codes) {
        double ind = cf->code == cp->level ? 1.0 : 0.0;
        for (size_t i = 0; i < p; i++) o[i] *= ind;
      } else if (cp->x) {
        const double *x = cp->x;
        if (pl->identity) for (size_t i = 0; i < p; i++) o[i] *= x[r0 + i];
        else for (size_t i = 0; i < p; i++) o[i] *= x[pl->rows[r0 + i]];
      } else {
        const int32_t *codes = cp->codes + r0;
        for (size_t i = 0; i < p; i++) o[i] = codes[i] == cp->level ? o[i] : 0.0;
      }
    }
  }
}
