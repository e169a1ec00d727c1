/* Test helpers: relative-tolerance asserts, fixture paths. */
#ifndef ATTRIB_TEST_SUPPORT_H
#define ATTRIB_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <attrib/attrib.h>
#include "core/attrib_internal.h" /* attrib_debug_fail_alloc_after */

/* |actual - expected| <= rel_tol * |expected| (absolute when expected is 0);
 * NaN and infinities must match exactly. Fails with the label and both values
 * at full precision (GSL's gsl_test_rel). */
void test_assert_rel_close(double actual, double expected, double rel_tol, const char *label,
                           const char *file, int line);
#define assert_rel_close(a, e, tol, label) test_assert_rel_close((a), (e), (tol), (label), __FILE__, __LINE__)

/* Log relative error as NIST defines it: -log10(|a - e| / |e|), capped at 15.9. */
double test_lre(double actual, double expected);

/* Path of a file under the repository (the tests read nothing outside it):
 * a new string the caller frees. */
char *test_source_path(const char *rel);

/* Loads a CSV under the repository (fixtures), failing the test on error. */
attrib_table *test_load(const char *rel);

/* Row of a reference table whose categorical key columns hold the given
 * values (n keys), searching from start; -1 when there is none. */
long test_find_row(const attrib_table *t, const char *const *cols, const char *const *vals, size_t n, size_t start);

/* Numeric value of column col at row (fails the test on a bad name). */
double test_value(const attrib_table *t, const char *col, long row);

/* Simulated data read back into a table (cohort design when panel is 0). */
attrib_table *test_simulated(size_t rows, unsigned long seed, double effect, int panel);

/* Reads a CSV from a string literal, failing the test on error. */
attrib_table *test_table(const char *csv);

/* Allocation-failure sweep of attrib_analyze: fails allocation k = 1, 2, ...
 * (k < max_k) until complete accepts a run's result. A failing run must
 * return ATTRIB_ENOMEM (else the test fails with its message) and no result;
 * a run that succeeds (a failure may have turned a step into a note) goes to
 * complete, which returns 0 to go on. Fails the test when no run completes. */
void test_analyze_until_complete(const attrib_table *t, const attrib_analyze_options *o, long max_k,
                                 int (*complete)(const attrib_analyze_result *r));

/* Checks status and prints err's message when it differs. */
void test_assert_status(attrib_status s, attrib_status expected, const attrib_error *err,
                        const char *file, int line);
#define assert_status(s, expected, err) test_assert_status((s), (expected), (err), __FILE__, __LINE__)

#endif
