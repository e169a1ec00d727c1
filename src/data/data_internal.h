/* Internals of the data stage shared by the reader and its tests. */
#ifndef ATTRIB_DATA_INTERNAL_H
#define ATTRIB_DATA_INTERNAL_H

#include <stddef.h>
#include "core/attrib_internal.h"

/* Parses s[0..n) as a plain decimal number ([+-]digits[.digits][e[+-]digits],
 * at least one digit before the exponent). On success stores the correctly
 * rounded double, bit-identical to strtod in the C locale, and returns 1.
 * Returns 0 for anything else: other text, hexadecimal, inf/nan words, or a
 * value that overflows a double. Thread-safe. */
ATTRIB_API int attrib__parse_double(const char *s, size_t n, double *out);

/* Whether s[0..n) is one of the missing-value tokens: empty, NA, NaN, null
 * (case-insensitive). */
int attrib__is_missing_token(const char *s, size_t n);

/* Boolean words read as 0/1: true/false, yes/no (case-insensitive).
 * Returns 0 when s is not one; else 1 for true/false, 2 for yes/no, and
 * sets *out. */
int attrib__parse_bool(const char *s, size_t n, double *out);

#endif
