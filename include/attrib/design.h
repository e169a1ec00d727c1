/*
 * Model frame: a table and a formula turned into what estimators consume.
 *
 * Rows with a missing value in any used column are dropped (listwise, like
 * R's na.omit; a NaN weight is missing), and so are rows of weight 0 (as
 * R's lm.wfit drops them, from the residual degrees of freedom too); both
 * are counted. A negative or infinite weight is an error. Factor
 * levels are those present in the rows used (as lm's drop.unused.levels);
 * fixed-effect and cluster columns become compact integer codes 0..L-1.
 *
 * X is not stored by default: the design keeps a plan of each column (a
 * product of numeric table columns and factor-level indicators) and writes
 * any block of rows on demand (attrib_design_fill_rows), so estimators
 * stream it in cache-sized blocks and the n-by-k matrix is never allocated.
 * The design therefore borrows the table: keep the table alive as long as
 * the design. attrib_design_materialize fills d->X when a caller wants it.
 */
#ifndef ATTRIB_DESIGN_H
#define ATTRIB_DESIGN_H

#include <stddef.h>
#include <stdint.h>
#include <attrib/export.h>
#include <attrib/formula.h>
#include <attrib/status.h>
#include <attrib/table.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Dense designs wider than this are refused (in OLS a factor with many
 * levels belongs after '|' as an absorbed fixed effect; levels_advice). */
#define ATTRIB_DESIGN_MAX_COLUMNS 4096

/* Why a column of X cannot be estimated. */
typedef enum attrib_alias_reason {
  ATTRIB_ALIAS_NONE = 0,
  ATTRIB_ALIAS_CONSTANT = 1,  /* no variation in the rows used */
  ATTRIB_ALIAS_COLLINEAR = 2  /* a linear combination of earlier columns */
} attrib_alias_reason;

/* What a design wider than ATTRIB_DESIGN_MAX_COLUMNS advises for the factor
 * with the most levels: only what the caller's model can do, since advice a
 * command refuses is a dead end (issue 15). */
typedef enum attrib_design_levels_advice {
  ATTRIB_DESIGN_ADVICE_ABSORB = 0, /* absorb it as a fixed effect ('| g' in the formula): OLS */
  ATTRIB_DESIGN_ADVICE_GROUP = 1,  /* no absorbed fixed effects (logit): drop it or group its levels */
  ATTRIB_DESIGN_ADVICE_EXACT = 2   /* as GROUP, or match exactly on it (the psm exact option) */
} attrib_design_levels_advice;

typedef struct attrib_design_options {
  const char *weights;            /* analytic weights column, or NULL */
  const char *const *cluster;     /* NULL-terminated cluster columns, or NULL */
  const char *const *keep;        /* extra numeric columns carried along (treatment, ...) */
  int check_collinearity;         /* 1 (default): fill design->alias (one pass over X) */
  double collinearity_tol;        /* relative tolerance, default 1e-10 */
  attrib_design_levels_advice levels_advice; /* default ATTRIB_DESIGN_ADVICE_ABSORB */
} attrib_design_options;

/* An integer coding of a column over the rows used. */
typedef struct attrib_coding {
  char *name;
  int32_t *codes;  /* n codes in 0..n_levels-1 */
  size_t n_levels;
} attrib_coding;

typedef struct attrib_design {
  size_t n;           /* rows used */
  size_t k;           /* columns of X */
  double *X;          /* n-by-k, column-major, ld = n: NULL until attrib_design_materialize */
  double *y;          /* n (the table's own column when no row was dropped: do not modify) */
  double *w;          /* n weights, or NULL (likewise) */
  char **names;       /* k column names: (Intercept), tenure, factor(role)Manager, a:b */
  size_t *term;       /* k: index of the formula term of each column (SIZE_MAX for the intercept) */
  int *alias;         /* k: attrib_alias_reason, when collinearity was checked */
  size_t n_aliased;
  char *response;
  int intercept;
  attrib_coding *fe;  /* absorbed fixed effects, n_fe codings */
  size_t n_fe;
  attrib_coding *cluster;
  size_t n_cluster;
  double **keep;      /* n values of each extra column, in option order */
  size_t n_keep;
  size_t *rows;       /* n: the table row of each design row */
  size_t n_input;     /* table rows */
  size_t n_dropped_missing;
  size_t n_dropped_weight;
  /* c(y1, y2, ...) formulas: every response over the same rows (a row
   * missing any outcome is dropped for all of them); outcomes[j] holds n
   * values and y is the one attrib_design_use_outcome chose (the first at
   * build). NULL and 0 for a single response. */
  double **outcomes;
  char **outcome_names;
  size_t n_outcomes;
  /* rows complete in every other column but missing an outcome of c(...)
   * (counted within n_dropped_missing); 0 for a single response */
  size_t n_dropped_outcomes;
  /* private: the column plan and what it reads */
  size_t X_bytes_;
  int borrowed_;      /* y, w and keep point into the table (no row was dropped) */
  const attrib_table *table_;
  void *plan_;
} attrib_design;

/* Defaults: no weights, clusters or extra columns; collinearity checked. */
ATTRIB_API void attrib_design_options_init(attrib_design_options *opts);

/*
 * Builds the model frame. table, formula, opts: borrowed (opts may be NULL).
 * out: new design, freed with attrib_design_free. Returns ATTRIB_ENOCOL
 * (a name not in the table, with the nearest name), ATTRIB_ETYPE (a
 * categorical outcome or weight; a negative or infinite weight, a value
 * in the data: the message names the data row and the column),
 * ATTRIB_ENODATA (no data rows, or no complete rows), ATTRIB_EFORMULA (a formula without a response),
 * ATTRIB_EDESIGN (more than
 * ATTRIB_DESIGN_MAX_COLUMNS columns: the message names the factor to absorb),
 * ATTRIB_ENUMERIC, ATTRIB_ENOMEM.
 * Aliased columns are reported, not removed: estimators skip them.
 */
ATTRIB_API attrib_status attrib_design_build(const attrib_table *table, const attrib_formula *formula,
                                             const attrib_design_options *opts, attrib_design **out,
                                             attrib_error *err);

/*
 * Makes outcome j of a c(...) design current: d->y and d->response become
 * outcome j's, so that any estimator fits that response on the same X,
 * rows, weights and codings. j = 0 on a single-response design is a no-op.
 * Returns ATTRIB_OK, ATTRIB_EINVAL (j out of range), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_design_use_outcome(attrib_design *d, size_t j, attrib_error *err);

/* Releases a design. NULL is a no-op. */
ATTRIB_API void attrib_design_free(attrib_design *d);

/* Writes rows [r0, r0 + p) of X (all k columns) into out, column-major with
 * leading dimension ld >= p. The table must still exist. */
ATTRIB_API void attrib_design_fill_rows(const attrib_design *d, size_t r0, size_t p, double *out, size_t ld);

/* Allocates and fills d->X (n-by-k, ld n) if it is not already there.
 * Returns ATTRIB_OK or ATTRIB_ENOMEM. */
ATTRIB_API attrib_status attrib_design_materialize(attrib_design *d, attrib_error *err);

/*
 * Finds the columns of the n-by-k matrix X (column-major, leading dimension
 * ld) that are linear combinations of earlier columns, as R's lm does
 * (LINPACK dqrdc2 limited pivoting): a column whose norm, after projecting
 * out the kept columns before it, is at most tol times its own norm is
 * aliased. With w non-NULL the rows are weighted by sqrt(w).
 * aliased: k flags (output). Cost: one pass over X (streaming TSQR).
 */
ATTRIB_API attrib_status attrib_collinear_detect(const double *X, size_t n, size_t k, size_t ld,
                                                 const double *w, double tol, int *aliased,
                                                 attrib_error *err);

/*
 * Integer-codes a column over a subset of rows: codes[i] in 0..L-1 for
 * table row rows[i] (all rows when rows is NULL, n = table rows), levels in
 * sorted order (numeric values numerically). The rows must not be missing.
 * level_names (optional): L new strings, freed by the caller with
 * attrib_coding_names_free.
 */
ATTRIB_API attrib_status attrib_column_encode(const attrib_column *col, const size_t *rows, size_t n,
                                              int32_t *codes, size_t *n_levels, char ***level_names,
                                              attrib_error *err);
ATTRIB_API void attrib_coding_names_free(char **names, size_t n);

#ifdef __cplusplus
}
#endif

#endif
