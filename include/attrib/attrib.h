/*
 * attrib: statistical attribution engine.
 *
 * Umbrella header. The pipeline is data -> design -> estimate -> inference ->
 * ROI/sensitivity -> output; each stage has its own header below.
 */
#ifndef ATTRIB_ATTRIB_H
#define ATTRIB_ATTRIB_H

#include <attrib/export.h>
#include <attrib/status.h>
#include <attrib/version.h>
#include <attrib/table.h>
#include <attrib/pg.h>
#include <attrib/formula.h>
#include <attrib/design.h>
#include <attrib/describe.h>
#include <attrib/simulate.h>
#include <attrib/report.h>
#include <attrib/vcov.h>
#include <attrib/by.h>
#include <attrib/ols.h>
#include <attrib/did.h>
#include <attrib/roi.h>
#include <attrib/sensitivity.h>
#include <attrib/mediate.h>
#include <attrib/power.h>
#include <attrib/analyze.h>
#include <attrib/bootstrap.h>
#include <attrib/logit.h>
#include <attrib/match.h>
#include <attrib/balance.h>
#include <attrib/weighting.h>
#include <attrib/psm.h>
#include <attrib/settings.h>
#include <attrib/honest_did.h>
#include <attrib/multitest.h>

#endif
