/*
 * Model formulas in R/fixest syntax:
 *
 *   sales ~ trained + tenure + factor(role) + tenure:trained | team + period
 *   c(sales, churned) ~ trained + tenure | team     (several responses)
 *
 * Terms are numeric variables, factor(x) (dummy-coded, reference level the
 * first in sorted order, as R does), interactions a:b, crossings a*b
 * (= a + b + a:b), parentheses, "- 1" or "+ 0" to drop the intercept,
 * "- term" to remove a term; after "|", fixed effects to absorb. As in R,
 * terms are ordered by degree (main effects, then two-way interactions,
 * ...), keeping the written order within a degree, and a term written
 * twice is kept once.
 *
 * Names: a plain name is letters (any non-ASCII byte counts as a letter,
 * so UTF-8 names such as formé are plain), digits, '_' and '.', not
 * starting with a digit. Any other name is written in backquotes, as in R:
 * `Weekly Sales`; inside backquotes \` stands for a backquote and \\ for a
 * backslash (every other byte is taken as it is).
 *
 * Formulas can also be built term by term (attrib_formula_new and the
 * attrib_formula_add_* functions below) from column names used exactly as
 * given, with no quoting and no text to parse: programs that assemble a
 * model (a treatment and its covariates, relative-time dummies) build it;
 * only text a person wrote is parsed, once.
 *
 * Limits, all checked before any expansion grows past them, each with its
 * own error: ATTRIB_FORMULA_MAX_VARS distinct variables,
 * ATTRIB_FORMULA_MAX_TERMS terms (also while a crossing a*b*c... is being
 * expanded: the expansion stops at the limit instead of listing 2^n terms),
 * and ATTRIB_FORMULA_MAX_DEPTH nested parentheses.
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
  size_t offset;  /* byte offset of its first mention in text, for carets; SIZE_MAX when built */
} attrib_formula_var;

typedef struct attrib_formula_term {
  size_t n_vars;
  size_t *vars; /* indices into attrib_formula.vars, ascending (the order the variables were first met) */
} attrib_formula_term;

typedef struct attrib_formula {
  char *text;              /* the text parsed; NULL after an edit (attrib_formula_text makes it again) */
  char *response;          /* NULL for a right-hand side alone; the first of c(...) */
  size_t response_offset;
  /* "c(sales, churned) ~ ...": every response, in the order written, when
   * there are two or more (one design, one fit per response: ols); NULL
   * and 0 for a single response (c(y) ~ x is y ~ x) */
  char **responses;
  size_t n_responses;
  int intercept;
  attrib_formula_var *vars;  /* every variable mentioned, including in removed terms (R's variables) */
  size_t n_vars;
  attrib_formula_term *terms; /* ordered by degree */
  size_t n_terms;
  char **fe; /* absorbed fixed-effect columns */
  size_t *fe_offsets;
  size_t n_fe;
} attrib_formula;

/* Maximum distinct variables in one formula (a model has at most
 * ATTRIB_DESIGN_MAX_COLUMNS columns, and each variable needs one). */
#define ATTRIB_FORMULA_MAX_VARS 4096
/* Maximum terms in one formula, and in any list of terms met while
 * expanding one (the same bound: each term is at least one column). */
#define ATTRIB_FORMULA_MAX_TERMS 4096
/* Maximum nesting of parentheses. */
#define ATTRIB_FORMULA_MAX_DEPTH 256

/*
 * Parses text into a new formula (caller frees with attrib_formula_free).
 * On a syntax error returns ATTRIB_EFORMULA with err->offset at the
 * offending byte, so a caller can print the formula with a caret under it;
 * the message gives the position in characters (UTF-8), with control bytes
 * shown as \xNN. Other errors: ATTRIB_EINVAL (NULL argument), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_formula_parse(const char *text, attrib_formula **out,
                                              attrib_error *err);

/*
 * Parses a right-hand side alone, e.g. a list of covariates:
 * "tenure + factor(role) + tenure:prior | team". The result has no response
 * (response NULL): add it to a formula with attrib_formula_add_formula, or
 * give it one with attrib_formula_set_response. Errors as attrib_formula_parse.
 */
ATTRIB_API attrib_status attrib_formula_parse_rhs(const char *text, attrib_formula **out,
                                                  attrib_error *err);

/* Releases a formula. NULL is a no-op. */
ATTRIB_API void attrib_formula_free(attrib_formula *f);

/*
 * A new formula "response ~ 1": an intercept and no term. response is used
 * exactly as given (any bytes, no quoting); NULL makes a right-hand side
 * alone. Returns ATTRIB_OK, ATTRIB_EINVAL (out NULL or response empty),
 * ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_formula_new(const char *response, attrib_formula **out, attrib_error *err);

/*
 * Appends the term multiplying the n columns names[0..n): n = 1 is a main
 * effect, n >= 2 the interaction names[0]:names[1]:... as_factor[i] non-zero
 * codes column i as factor() (a categorical column is coded as a factor in
 * any case); as_factor NULL means none. Names are used as given. As in a
 * parsed formula, a term already present is not added again, a name listed
 * twice in one term counts once, and the term takes its place by degree.
 * Returns ATTRIB_OK; ATTRIB_EFORMULA (the response used as a term, more than
 * ATTRIB_FORMULA_MAX_VARS variables or ATTRIB_FORMULA_MAX_TERMS terms);
 * ATTRIB_EINVAL (a NULL or empty name, n = 0); ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_formula_add_term(attrib_formula *f, size_t n, const char *const *names,
                                                 const int *as_factor, attrib_error *err);

/* attrib_formula_add_term for one column: "+ name" or "+ factor(name)". */
ATTRIB_API attrib_status attrib_formula_add_column(attrib_formula *f, const char *name, int as_factor,
                                                   attrib_error *err);

/*
 * Appends everything src's right-hand side holds: its terms (in its order),
 * its absorbed fixed effects, and its removal of the intercept (src without
 * an intercept removes f's). Variables keep src's order of first mention, so
 * "y ~ t + <src>" built this way equals the text parsed, term for term and
 * column for column. src is borrowed and may have a response (ignored).
 * Errors as attrib_formula_add_term and attrib_formula_add_fe.
 */
ATTRIB_API attrib_status attrib_formula_add_formula(attrib_formula *f, const attrib_formula *src,
                                                    attrib_error *err);

/*
 * Removes a term, as "- a:b" does in a formula (terms are matched as sets:
 * b:a is a:b). *removed (optional) tells whether it was there; removing a
 * term that is not there is not an error. Errors: ATTRIB_EINVAL, ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_formula_remove_term(attrib_formula *f, size_t n, const char *const *names,
                                                    const int *as_factor, int *removed, attrib_error *err);

/* Appends a fixed effect to absorb ("| name"). ATTRIB_EFORMULA when it is
 * already absorbed; ATTRIB_EINVAL, ATTRIB_ENOMEM. */
ATTRIB_API attrib_status attrib_formula_add_fe(attrib_formula *f, const char *name, attrib_error *err);

/* Keeps (1) or drops (0) the intercept ("- 1"). */
ATTRIB_API void attrib_formula_set_intercept(attrib_formula *f, int intercept);

/*
 * Gives f the response name (replacing any). ATTRIB_EFORMULA when a term
 * of f uses that column; ATTRIB_EINVAL, ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_formula_set_response(attrib_formula *f, const char *name, attrib_error *err);

/* Index of the term that is exactly the columns names[0..n) (in any order,
 * factor() as given by as_factor, NULL = none), or -1. */
ATTRIB_API long attrib_formula_find_term(const attrib_formula *f, size_t n, const char *const *names,
                                         const int *as_factor);

/* Whether a term of f uses the column name (as itself or as factor()). */
ATTRIB_API int attrib_formula_uses(const attrib_formula *f, const char *name);

/*
 * The formula as text, for display: f->text when it was parsed and not
 * edited since; else made from the structure ("y ~ a + factor(b) + a:c - 1
 * | fe", names that are not plain in backquotes) and kept in f->text until
 * the next edit. Text made this way parses back to the same terms (the
 * variables of an interaction may then be listed in another order, as with
 * R's deparse), but programs never need to parse it: they hold the
 * structure. NULL when out of memory.
 */
ATTRIB_API const char *attrib_formula_text(attrib_formula *f);

#ifdef __cplusplus
}
#endif

#endif
