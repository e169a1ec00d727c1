/* The analyze module's steps, shared between its files. */
#ifndef ATTRIB_ANALYZE_INTERNAL_H
#define ATTRIB_ANALYZE_INTERNAL_H

#include <attrib/analyze.h>

/* Step 1: counts, missingness and baselines by group (cohort.c). On
 * failure c is left empty. */
attrib_status attrib__analyze_cohort(const attrib_table *t, const attrib_analyze_options *o, attrib_analyze_cohort *c,
                                     attrib_error *err);
void attrib__analyze_cohort_free(attrib_analyze_cohort *c);

#endif
