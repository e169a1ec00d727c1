/*
 * Model formulas in R/fixest syntax:
 *
 *   sales ~ trained + tenure + factor(role) + tenure:trained | team + period
 *
 * Terms are numeric variables, factor(x) (dummy-coded, reference level the
 * first in sorted order, as R does), interactions a:b, crossings a*b
 * (= a + b + a:b), parentheses, "- 1" or "+ 0" to drop the intercept,
 * "- term" to remove a term; after "|", fixed effects to absorb. Names that
 * are not plain identifiers can be written in backquotes. As in R, terms are
 * ordered by degree (main effects, then two-way interactions, ...), keeping
 * the written order within a degree.
 */
#ifndef ATTRIB_FORMULA_H
#define ATTRIB_FORMULA_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct attrib_formula_var {
  char *name;     /* column name */
  int is_factor;  /* written as factor(name) */
  size_t offset;  /* byte offset of its first mention, for carets */
} attrib_formula_var;

typedef struct attrib_formula_term {
  size_t n_vars;
  size_t *vars; /* indices into attrib_formula.vars, in written order */
} attrib_formula_term;

typedef struct attrib_formula {
  char *text;
  char *response;
  size_t response_offset;
  int intercept;
  attrib_formula_var *vars;
  size_t n_vars;
  attrib_formula_term *terms;
  size_t n_terms;
  char **fe; /* absorbed fixed-effect columns */
  size_t *fe_offsets;
  size_t n_fe;
} attrib_formula;

/* Maximum distinct variables in one formula. */
#define ATTRIB_FORMULA_MAX_VARS 256

/*
 * Parses text into a new formula (caller frees with attrib_formula_free).
 * On a syntax error returns ATTRIB_EFORMULA with err->offset at the
 * offending byte, so a caller can print the formula with a caret under it.
 */
ATTRIB_API attrib_status attrib_formula_parse(const char *text, attrib_formula **out,
                                              attrib_error *err);

/* Releases a formula. NULL is a no-op. */
ATTRIB_API void attrib_formula_free(attrib_formula *f);

#ifdef __cplusplus
}
#endif

#endif
