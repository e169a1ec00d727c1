/* Shared between the DiD estimators: the balanced panel the group-time
 * estimator works on (built and checked in did.c). */
#ifndef ATTRIB_DID_INTERNAL_H
#define ATTRIB_DID_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <attrib/did.h>
#include "core/attrib_internal.h"

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
  /* covariates (doubly robust group-time effects): per period q a block
   * n_units x k, column-major, the intercept first, at X + q n_units k;
   * NULL = none */
  double *X;
  size_t k;
  /* did.unbalanced: units missing periods are kept (their Y is NaN there)
   * and each cell uses the units observed in its two periods */
  int unbalanced;
} did_panel;

/* The locally efficient doubly robust DiD for repeated cross sections
 * (Sant'Anna & Zhao 2020 eq. 3.4; dr_rc.c): the caller fills the N rows'
 * y, D (cohort), T (later period), X (N x k column-major, intercept
 * first; the row stride is N) and unit; attrib__did_dr_rc leaves the ATT
 * and each row's influence value in ifr (est - truth ~ (1/N) sum ifr).
 * The workspace holds max_rows rows and is reused across cells. */
typedef struct attrib__did_rc_work {
  size_t k;
  double *X, *y, *ps, *ifr;
  double *pred; /* 4 x max_rows: each row's prediction by the four outcome regressions */
  unsigned char *D, *T;
  size_t *unit;
  double *kk, *kv; /* k x k and k-vector scratch */
} attrib__did_rc_work;
int attrib__did_rc_work_init(attrib__did_rc_work *w, size_t max_rows, size_t k);
void attrib__did_rc_work_free(attrib__did_rc_work *w);
/* 0, or -1 with a reason in why (collinear, no overlap, separation). */
int attrib__did_dr_rc(attrib__did_rc_work *w, size_t N, double *att, char *why, size_t whylen);

/* The panel's rows as indexed in did.c, every row kept (the regression
 * estimators use unbalanced panels as they are); borrowed. */
typedef struct did_rows {
  size_t n;               /* table rows */
  const int32_t *unit;    /* n: unit code 0..n_units-1 */
  size_t n_units;
  const int32_t *tix;     /* n: period index into times */
  const double *times;    /* nT sorted periods */
  size_t nT;
  const double *cohort;   /* n_units: first treated period, 0 = never (cohorts after the panel included) */
  const int32_t *cluster; /* n_units cluster codes 0..G-1, or NULL: the unit is the cluster */
  size_t G;
} did_rows;

/* The options the staggered regression estimators (sunab, imputation)
 * refuse: covariates, the CS-only settings, a bootstrap (did_check). */
attrib_status attrib__did_staggered_check(const attrib_did_options *o, attrib_did_estimator est, attrib_error *err);

/* Sun & Abraham (2021) interaction-weighted event study (sunab.c). */
attrib_status attrib__did_sunab(const attrib_table *t, const attrib_did_options *o, const did_rows *p,
                                attrib_did_result *r, attrib_error *err);

/* Borusyak, Jaravel & Spiess (2024) imputation estimator (imputation.c). */
attrib_status attrib__did_imputation(const attrib_table *t, const attrib_did_options *o, const did_rows *p,
                                     attrib_did_result *r, attrib_error *err);

/* Shared by sunab.c and imputation.c (attrib__did_note in did.c, the others in sunab.c): a warning of
 * any length appended to r (non-zero when out of memory); r's cohorts
 * (groups, group_units, n_groups), n_never and n_units_used recounted over
 * the units of p flagged in used (the estimation sample); the 1-based data
 * row of unit u's first row. */
/* The Wald test of the leads from r's event study (did.c). */
attrib_status attrib__did_wald_leads(attrib_did_result *r);
int attrib__did_note(attrib_did_result *r, const char *fmt, ...) ATTRIB__PRINTF(2, 3);
attrib_status attrib__did_recount_cohorts(const did_rows *p, const unsigned char *used, attrib_did_result *r,
                                          attrib_error *err);
size_t attrib__did_first_row(const did_rows *p, size_t u);

/* y ~ factor(code) | unit + time on the rows flagged in keep (the others
 * are missing), clustered by did.cluster or the unit (CR1), through the OLS
 * core: code's level 0 is the baseline, level k is the coefficient
 * "factor(<code_name>)k". out: a new result (attrib_ols_result_free). */
struct attrib_ols_result;
attrib_status attrib__did_factor_fe_ols(const attrib_table *t, const attrib_did_options *o, const double *y,
                                        const unsigned char *keep, const double *code, const char *code_name,
                                        struct attrib_ols_result **out, attrib_error *err);

attrib_status attrib__did_cs(const did_panel *P, const attrib_did_options *o, attrib_did_result *r,
                             attrib_error *err);

#endif
