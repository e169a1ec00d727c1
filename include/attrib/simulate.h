/*
 * Learner-level data with a known treatment effect (the DGPs are documented
 * in docs/methods/simulate.md). Same options and seed -> same bytes.
 *
 * cohort: one row per learner; selection into training on observables
 *   (prior performance, engagement, tenure, role); outcome `sales` with an
 *   additive effect of training (constant by default; with heterogeneity it
 *   grows with engagement, so the ATT exceeds the ATE), and a binary
 *   `churned`.
 * panel: learners x periods; training starts at one date or rolls out in
 *   staggered cohorts (first treated period; 0 = never); the effect grows
 *   with time since training and is larger in earlier cohorts, so two-way
 *   fixed effects is biased while group-time estimators are not; optionally
 *   the trained learners' outcome trends apart before training (parallel
 *   trends fail).
 *
 * Every random draw comes from the counter-based streams of src/core/rng.h:
 * learner i's own stream (seed, SIM_LEARNER, i + 1), the teams' stream
 * (seed, SIM_LEARNER, 0) and learner i's period noise (seed, SIM_PERIOD, i),
 * so the truth is computed by replaying learners' draws, in any order.
 */
#ifndef ATTRIB_SIMULATE_H
#define ATTRIB_SIMULATE_H

#include <stddef.h>
#include <stdio.h>
#include <attrib/export.h>
#include <attrib/roi.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_sim_design {
  ATTRIB_SIM_COHORT = 0,
  ATTRIB_SIM_PANEL = 1
} attrib_sim_design;

typedef enum attrib_sim_adoption {
  ATTRIB_SIM_STAGGERED = 0, /* cohorts first treated in periods 3, 5, 7 (those <= T - 1) */
  ATTRIB_SIM_SINGLE = 1     /* one adoption date, period T / 2 + 1 */
} attrib_sim_adoption;

typedef struct attrib_simulate_options {
  attrib_sim_design design;
  size_t rows;          /* learners (the panel has rows * periods lines) */
  size_t periods;       /* panel: periods 1..T, default 8 */
  size_t teams;         /* clusters; 0 = rows / 25 (at least 2) */
  unsigned long seed;
  /* The planted effect. cohort: tau_i = effect (1 + heterogeneity z_i), z_i
   * the learner's standardised engagement (mean 0, SD 1), so `effect` is
   * the ATE in the population. panel: tau_gt = effect h_g (1 + growth (t - g))
   * for t >= g: `effect` is the effect in the first treated period of a
   * cohort with h_g = 1 (the middle cohort; the only one with a single
   * adoption date). The ATT these imply is in the truth. */
  double effect;
  double heterogeneity; /* NaN = the design's default: cohort 0 (a constant effect); panel 1 (cohort
                         * scales h = 1 + H (0.5 - k / (K - 1)) = 1.5, 1, 0.5 and growth 0.25 H per period) */
  /* cohort: an effect that differs by role, planted for subgroup analyses
   * (--by role): tau_i gains role_step * k, k = 0 Associate, 1 Specialist,
   * 2 Senior, 3 Lead, 4 Manager, 5 Director. 0 (default) = none. The truth's
   * ATT and ATE include it. */
  double role_step;
  double treated_share; /* NaN = default: cohort 0.30 (the population share trained), panel 0.60 (ever treated) */
  double selection;     /* cohort: multiplier of the selection index (default 1; 3 gives poor overlap) */
  double pretrend;      /* panel: the ever-treated learners' extra trend per period, before and after
                         * training (0 = parallel trends hold) */
  attrib_sim_adoption adoption; /* panel */
  /* ROI inputs for the true ROI (the ROI at the true ATT); has_roi = 0:
   * none. learners 0 = the learners trained in the data. The effect fields
   * are ignored. */
  int has_roi;
  attrib_roi_input roi;
} attrib_simulate_options;

/* Defaults: cohort, 2000 learners, 8 periods, seed 1, effect 2.0, the
 * design's default heterogeneity and treated share, selection 1, pretrend 0,
 * staggered adoption, no ROI. */
ATTRIB_API void attrib_simulate_options_init(attrib_simulate_options *opts);

/* Checks the options; ATTRIB_EINVAL with the reason when one is off
 * (ATTRIB_EUSAGE naming simulate.effect for an effect beyond 1e9). */
ATTRIB_API attrib_status attrib_simulate_check(const attrib_simulate_options *opts, attrib_error *err);

/*
 * Writes the CSV (header + rows) to out, streaming: memory does not grow
 * with rows (beyond the teams). Returns ATTRIB_OK, ATTRIB_EINVAL,
 * ATTRIB_EIO (write failed), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_simulate_write(FILE *out, const attrib_simulate_options *opts,
                                               attrib_error *err);

/* The true estimands of a simulated data set (of the sample drawn: the
 * learners actually trained, the cohort sizes actually drawn). */
typedef struct attrib_simulate_truth {
  double att;             /* cohort: mean tau_i over the trained; panel: the cohort-size-weighted mean of
                           * ATT(g,t) over post-treatment cells (Callaway-Sant'Anna's simple aggregation) */
  double ate;             /* cohort: mean tau_i over all learners; panel: NaN */
  size_t n_learners, n_treated; /* learners; trained (cohort) or ever treated within the panel */
  double intercept;       /* cohort: the selection model's intercept calibrated to treated_share;
                           * panel: the intercept of P(ever treated) */
  double heterogeneity, treated_share; /* as used (the defaults resolved) */
  size_t n_groups;        /* panel: treated cohorts */
  double *group;          /* n_groups first-treatment periods */
  size_t n_event;         /* panel: event times 0..n_event-1 */
  double *event_att;      /* n_event: cohort-size-weighted true effect at each event time */
  size_t periods;
  double *att_gt;         /* n_groups x periods, row-major; NaN before treatment */
  size_t *group_size;     /* n_groups: learners in each cohort (from the realised draw) */
  size_t never_treated;
  /* the true ROI (has_roi): the ROI at effect = att with the options' ROI
   * inputs, learners = roi.learners or, when 0, n_treated */
  int has_roi;
  double roi_learners, roi_pct, roi_benefit, roi_cost, roi_net_benefit;
  /* cohort: the truth in each role (in the order Associate, Specialist,
   * Senior, Lead, Manager, Director: k = 0..5 of role_step) */
  const char *role_name[6]; /* static strings */
  double role_att[6], role_ate[6];
  size_t role_n[6], role_treated[6];
} attrib_simulate_truth;

/* Computes the truth for opts (by replaying the learners' draws). out freed
 * with attrib_simulate_truth_free. */
ATTRIB_API attrib_status attrib_simulate_truth_compute(const attrib_simulate_options *opts,
                                                       attrib_simulate_truth **out,
                                                       attrib_error *err);
ATTRIB_API void attrib_simulate_truth_free(attrib_simulate_truth *t);

#ifdef __cplusplus
}
#endif

#endif
