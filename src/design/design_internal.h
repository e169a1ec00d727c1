/* Internals of the design stage used by the estimators. */
#ifndef ATTRIB_DESIGN_INTERNAL_H
#define ATTRIB_DESIGN_INTERNAL_H

#include <attrib/design.h>
#include <stdint.h>
#include "core/attrib_internal.h"
#include "core/xsrc.h"

/* attrib_formula_set_response without refusing a column that terms of f
 * use: for the one model whose response is a regressor of another model,
 * the omitted-variable-bias treatment regression (src/sensitivity/ovb.c),
 * which regresses the treatment on the outcome model's other columns,
 * interactions with the treatment (d:x) included, as sensemakr regresses
 * the treatment column of model.matrix(model) on the rest. A term that is
 * the response alone must have been removed by the caller. */
attrib_status attrib__formula_set_response_in_terms(attrib_formula *f, const char *name, attrib_error *err);

/* Factor levels fixed by the caller instead of found in the rows used: a
 * stream (regression/ols_stream.c) builds the design of each chunk of a file
 * with the levels of the whole file's rows used, so that every chunk has the
 * columns, names and reference levels of the whole file's design. One per
 * formula variable; read only for factors. */
typedef struct attrib__design_levels {
  size_t n;             /* levels */
  const double *values; /* a numeric column (factor(x)): the n levels, ascending */
  const int32_t *map;   /* a categorical column: its level l -> level map[l], or -1 (absent) */
} attrib__design_levels;

/* attrib_design_build with levels[v] as the levels of factor variable v; a
 * row whose value is not among them is ATTRIB_EINVAL. */
attrib_status attrib__design_build_levels(const attrib_table *t, const attrib_formula *f,
                                          const attrib_design_options *opts, const attrib__design_levels *levels,
                                          attrib_design **out, attrib_error *err);

/* Whether formula variable v is a factor in a design of t (factor() or a
 * categorical column), with its column (*col, optional); 0 when t has no
 * such column. */
int attrib__design_var_is_factor(const attrib_table *t, const attrib_formula *f, size_t v, size_t *col);

/* The design's X as a row source: the materialised matrix when there is
 * one, else the plan (rows generated block by block). */
attrib__xsrc attrib__design_xsrc(const attrib_design *d);

/* A counterfactual X (average marginal effects, regression/logit_margins.c):
 * the variable behind one main-effect column set to a value in every row,
 * in that column and in every interaction that involves it. */
typedef struct attrib__design_cf {
  const double *x;      /* a numeric variable's table column, or NULL */
  const int32_t *codes; /* a factor's codes over the design rows, or NULL */
  int32_t level;        /* the factor level that column j indicates */
  double value;         /* numeric: the value set (the caller's) */
  int32_t code;         /* factor: the level set (the caller's) */
} attrib__design_cf;

/* The variable behind column j, which must be a main effect (one numeric
 * variable or one factor-level indicator): ATTRIB_EDESIGN, with the reason,
 * for the intercept or an interaction. */
attrib_status attrib__design_cf_init(const attrib_design *d, size_t j, attrib__design_cf *cf, attrib_error *err);

/* Rows [r0, r0 + p) of the columns of X that involve cf's variable (its
 * main effect and every interaction with it), as attrib_design_fill_rows
 * writes them, with the variable set; the other columns of out are left as
 * they are (copy the observed X there first for the whole counterfactual). */
void attrib__design_fill_rows_cf(const attrib_design *d, const attrib__design_cf *cf, size_t r0, size_t p, double *out,
                                 size_t ld);

/* ------------------------------------------------------------ fixed effects */

typedef struct attrib__fe {
  size_t n, D;
  const int32_t *const *codes; /* D arrays of n codes */
  const size_t *levels;        /* D */
  const double *w;             /* n weights or NULL */
  double **inv_wsum;           /* D arrays: 1 / (sum of weights) per level */
  double **sums;               /* D scratch arrays, one per level */
  double *scratch;             /* 3 n doubles for the accelerated iteration */
} attrib__fe;

attrib_status attrib__fe_init(attrib__fe *fe, size_t n, size_t D, const int32_t *const *codes,
                              const size_t *levels, const double *w, attrib_error *err);
void attrib__fe_free(attrib__fe *fe);

/* Sets new weights (n, or NULL) on an initialised fe, recomputing the
 * per-level weight sums in place: a bootstrap's refits reweight the same
 * rows and codes, so they reuse the arrays instead of a new init. */
void attrib__fe_reweight(attrib__fe *fe, const double *w);

/* Replaces v by its residual from the projection on all fixed-effect
 * dummies (weighted). iters: sweeps used. converged: 0 if max_iter ran out. */
attrib_status attrib__fe_demean(attrib__fe *fe, double *v, double tol, size_t max_iter, size_t *iters,
                                int *converged, attrib_error *err);

/* Absorbed degrees of freedom: levels less redundancies (exact for D <= 2:
 * connected components of the bipartite level graph; for D > 2 one per
 * extra dimension, a lower bound as reghdfe's default). */
size_t attrib__fe_dof(size_t n, size_t D, const int32_t *const *codes, const size_t *levels);

/* Whether every level of a is inside one level of b (a nested in b). */
int attrib__nested(size_t n, const int32_t *a, size_t la, const int32_t *b, size_t lb);

#endif
