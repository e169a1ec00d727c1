/* Helpers shared by the writers. */
#ifndef ATTRIB_OUTPUT_INTERNAL_H
#define ATTRIB_OUTPUT_INTERNAL_H

#include <stdio.h>
#include <jansson.h>

#include "core/attrib_internal.h"

/* A JSON number, or null for NaN/Inf (JSON has no such values). */
json_t *attrib__json_num(double v);

/* Sets key to value in obj, taking the reference; records failure in *ok. */
void attrib__json_set(json_t *obj, const char *key, json_t *value, int *ok);

/* Dumps root to out with a trailing newline and drops the reference. */
attrib_status attrib__json_write(FILE *out, json_t *root, int ok, attrib_error *err);

/* Writes one CSV field, quoting when needed (RFC 4180). */
int attrib__csv_field(FILE *out, const char *s);

/* Formats v for a text table in at most width characters ("NA" for NaN). */
void attrib__fmt_num(char *buf, size_t size, double v, int sig);

#endif
