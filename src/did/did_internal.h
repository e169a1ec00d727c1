/* Shared between the DiD estimators: the balanced panel the group-time
 * estimator works on (built and checked in did.c). */
#ifndef ATTRIB_DID_INTERNAL_H
#define ATTRIB_DID_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <attrib/did.h>

typedef struct did_panel {
  size_t n_units, nT;
  double *times;       /* nT sorted periods */
  double *Y;           /* nT x n_units: Y[ti * n_units + i] */
  double *unit_cohort; /* n_units: first treated period, 0 = never */
  size_t n_groups;
  double *groups;      /* n_groups cohorts with a pre-period */
  size_t *group_units;
  int *unit_group;     /* n_units: index into groups, -1 = never treated */
  int32_t *cluster;    /* n_units cluster codes, or NULL: the unit is the cluster */
  size_t G;
  /* covariates (doubly robust group-time effects): n_units x k, column-major,
   * the intercept first, read at each unit's first period; NULL = none */
  double *X;
  size_t k;
} did_panel;

attrib_status attrib__did_cs(const did_panel *P, const attrib_did_options *o, attrib_did_result *r,
                             attrib_error *err);

#endif
