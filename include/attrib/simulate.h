/*
 * Learner-level data with a known treatment effect (the DGPs are documented
 * in docs/methods/simulate.md). Same options and seed -> same bytes.
 *
 * cohort: one row per learner; selection into training on observables
 *   (prior performance, engagement, tenure, role); outcome `sales` with a
 *   constant additive effect `effect`, and a binary `churned`.
 * panel: learners x periods; training rolls out in staggered cohorts
 *   (first treated period; 0 = never); the effect grows with time since
 *   training and is larger in earlier cohorts, so two-way fixed effects is
 *   biased while group-time estimators are not.
 */
#ifndef ATTRIB_SIMULATE_H
#define ATTRIB_SIMULATE_H

#include <stddef.h>
#include <stdio.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_sim_design {
  ATTRIB_SIM_COHORT = 0,
  ATTRIB_SIM_PANEL = 1
} attrib_sim_design;

typedef struct attrib_simulate_options {
  attrib_sim_design design;
  size_t rows;          /* learners (the panel has rows * periods lines) */
  size_t periods;       /* panel: periods 1..T, default 8 */
  size_t teams;         /* clusters; 0 = rows / 25 (at least 2) */
  unsigned long seed;
  double effect;        /* cohort: additive effect; panel: effect at event time 0, cohort-average scale */
} attrib_simulate_options;

/* Defaults: cohort, 2000 learners, 8 periods, seed 1, effect 2.0. */
ATTRIB_API void attrib_simulate_options_init(attrib_simulate_options *opts);

/* Checks the options; ATTRIB_EINVAL with the reason when one is off. */
ATTRIB_API attrib_status attrib_simulate_check(const attrib_simulate_options *opts, attrib_error *err);

/*
 * Writes the CSV (header + rows) to out, streaming: memory does not grow
 * with rows. Returns ATTRIB_OK, ATTRIB_EINVAL, ATTRIB_EIO (write failed),
 * ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_simulate_write(FILE *out, const attrib_simulate_options *opts,
                                               attrib_error *err);

/* The true estimands of a simulated data set. */
typedef struct attrib_simulate_truth {
  double att;             /* cohort: ATT = ATE = effect; panel: simple-aggregated ATT */
  size_t n_groups;        /* panel: treated cohorts */
  double *group;          /* n_groups first-treatment periods */
  size_t n_event;         /* panel: event times 0..n_event-1 */
  double *event_att;      /* n_event: cohort-size-weighted true effect at each event time */
  size_t periods;
  double *att_gt;         /* n_groups x periods, row-major; NaN before treatment */
  size_t *group_size;     /* n_groups: learners in each cohort (from the realised draw) */
  size_t never_treated;
} attrib_simulate_truth;

/* Computes the truth for opts (panel cohort sizes are those the same seed
 * draws). out freed with attrib_simulate_truth_free. */
ATTRIB_API attrib_status attrib_simulate_truth_compute(const attrib_simulate_options *opts,
                                                       attrib_simulate_truth **out,
                                                       attrib_error *err);
ATTRIB_API void attrib_simulate_truth_free(attrib_simulate_truth *t);

#ifdef __cplusplus
}
#endif

#endif
