/* Internals of the design stage used by the estimators. */
#ifndef ATTRIB_DESIGN_INTERNAL_H
#define ATTRIB_DESIGN_INTERNAL_H

#include <attrib/design.h>
#include "core/xsrc.h"

/* The design's X as a row source: the materialised matrix when there is
 * one, else the plan (rows generated block by block). */
attrib__xsrc attrib__design_xsrc(const attrib_design *d);

#endif
