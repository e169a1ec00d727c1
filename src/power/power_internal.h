/* The power library's kernels, shared by its files and the unit tests. */
#ifndef ATTRIB_POWER_INTERNAL_H
#define ATTRIB_POWER_INTERNAL_H

#include <attrib/power.h>

/* The power of the test at noncentrality ncp (the true effect over the
 * estimate's SE), level alpha, 1 or 2 sides, df degrees of freedom
 * (INFINITY: normal). Two-sided counts rejections in either tail, as pwr. */
double attrib__power_ncp(double ncp, double alpha, int sides, double df);
/* The design's power at n learners and effect mde (options checked). */
double attrib__power_at(const attrib_power_options *o, double n, double mde);
/* The MDE at n with o->power; the n (real) at which mde has o->power, NaN
 * beyond 1e9 learners. */
double attrib__power_mde(const attrib_power_options *o, double n);
double attrib__power_n(const attrib_power_options *o, double mde);
/* Fills r's simulation fields (power_sim.c). */
attrib_status attrib__power_simulate(const attrib_power_options *o, attrib_power_result *r, attrib_error *err);

#endif
