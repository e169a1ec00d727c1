/*
 * Pilot design (docs/methods/power.md): the minimum detectable effect
 * (MDE), the required number of learners, or the power, of a two-arm
 * comparison of a KPI under four designs, with the MDE in money.
 *
 *   attrib_power_options o; attrib_power_options_init(&o);
 *   o.design = ATTRIB_POWER_RCT; o.n = 150; o.sd = 40;   // n given: solve the MDE
 *   attrib_power_result *r; attrib_power_run(&o, &r, &err); ... attrib_power_result_free(r);
 *
 * Every design is a comparison of the treated and control means of an
 * outcome whose variance the design scales: the estimate's SE at n learners
 * (n_t = n R / (1 + R) treated, n_c = n / (1 + R) controls) is
 *
 *   SE = sd sqrt(f (1/n_t + 1/n_c)),   f = (1 - r2) x the design's factor:
 *     rct      1
 *     cluster  1 + (m - 1) icc            (the design effect; Donner & Klar 2000)
 *     did      2 (1 - rho)                (the change score of one pre and one post
 *                                          measure with correlation rho; McKenzie 2012)
 *     match    1, with 1/n_t + 1/n_c taken as 2 / min(n_t, n_c): 1:1 matching without
 *              replacement makes min(n_t, n_c) pairs
 *
 * and the test of no effect is the exact noncentral t (as R's pwr.t2n.test)
 * with n - 2 degrees of freedom (rct, did) or clusters - 2 (cluster), or
 * the normal approximation (match; and any design with normal = 1).
 */
#ifndef ATTRIB_POWER_H
#define ATTRIB_POWER_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/roi.h>
#include <attrib/status.h>
#include <attrib/table.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_power_design {
  ATTRIB_POWER_RCT = 0,     /* learners randomised one by one */
  ATTRIB_POWER_CLUSTER = 1, /* whole teams randomised */
  ATTRIB_POWER_DID = 2,     /* a pre and a post measure, treated and control (change score) */
  ATTRIB_POWER_MATCH = 3    /* observational: treated learners matched 1:1 (no replacement) to controls */
} attrib_power_design;

typedef struct attrib_power_options {
  attrib_power_design design;
  double n;             /* total learners (treated + control); NaN = solve for it */
  double mde;           /* the effect on the KPI, in its units; NaN = solve for it. Both given: the power */
  double sd;            /* the outcome's standard deviation (default 1: the MDE in SD units) */
  double alpha;         /* the test's level (default 0.05) */
  int sides;            /* 2 (default): a two-sided test; 1: one-sided, for an effect > 0 */
  double power;         /* the target power when n or the MDE is solved (default 0.8) */
  double ratio;         /* treated : control (default 1); NaN with treated_share */
  double treated_share; /* the treated share of n, in (0, 1); NaN (default) = from ratio */
  double icc;           /* cluster: the intra-cluster correlation, in [0, 1) */
  double cluster_size;  /* cluster: learners per cluster m, >= 1 (the mean size) */
  double r2;            /* the share of the outcome's variance covariates explain, in [0, 1) (default 0) */
  double rho;           /* did: the pre/post correlation of the outcome, in [-1, 1) */
  int normal;           /* 1: the normal approximation for every design (default 0: the t where it applies) */
  /* In money: with has_roi, roi's value and cost inputs (its effect is
   * ignored; roi.learners NaN or 0 = the pilot's n) give the ROI at the MDE
   * (mde_roi_pct), the break-even effect and the n at which it is detected
   * with the target power (n_breakeven). */
  int has_roi;
  attrib_roi_input roi;
  /* Simulation (rct, cluster and did): reps data sets with the effect
   * planted at the MDE, each fitted by attrib's OLS (cluster SEs by team for
   * cluster) or, for did, its 2x2 estimator on the pre/post panel (SEs
   * clustered by learner; r2 must be 0); the share of rejections is the
   * empirical power. */
  int simulate;
  size_t reps;          /* default 1000 */
  unsigned long seed;   /* default 1 */
  size_t threads;       /* replicates run on this many threads, 0 (default) = the online CPUs; the
                         * result does not depend on it */
} attrib_power_options;

/* A baseline's variance, ICC and R2 (attrib_power_from_data). */
typedef struct attrib_power_data_estimates {
  size_t n;             /* rows used (the outcome, cluster and covariates present) */
  double mean, sd;      /* the outcome's mean and SD (n - 1) */
  size_t clusters;      /* with a cluster column: clusters, their mean size, and the one-way */
  double cluster_size;  /* ANOVA ICC (s_b^2 - s_w^2) / (s_b^2 + (m0 - 1) s_w^2), m0 the */
  double icc;           /* adjusted mean size; floored at 0 (NaN without a cluster column) */
  double r2;            /* R2 of the outcome on the covariates by OLS (NaN without covariates) */
  size_t k;             /* covariate columns in that fit */
} attrib_power_data_estimates;

typedef struct attrib_power_result {
  attrib_power_design design;
  const char *solved;     /* "mde", "n" or "power" (static) */
  const char *test;       /* "noncentral t" or "normal" (static) */
  double n;               /* total learners (when solved: the real root, as pwr reports it) */
  double n_treated, n_control; /* at n */
  size_t n_treated_whole, n_control_whole; /* when n was solved: each arm rounded up (cluster: whole
                                 * clusters of m); else n's own arms rounded to whole learners */
  double mde, power;
  double effect_size;     /* mde / sd, Cohen's d */
  double design_factor;   /* f above, with the (1 - r2) */
  double design_effect;   /* cluster: 1 + (m - 1) icc; 1 otherwise */
  double clusters;        /* cluster: n / m; NaN otherwise */
  double df;              /* the t's degrees of freedom; INFINITY for the normal */
  double se;              /* the estimate's SE at n (in KPI units) */
  double alpha, target_power;
  int sides;
  /* money (has_roi) */
  int has_roi;
  double roi_learners;    /* learners the ROI counts */
  double roi_effect;      /* the effect the ROI is taken at: the MDE, or -MDE when roi.value_per_unit < 0
                           * (a KPI that costs money, such as churn, pays when it falls) */
  double mde_roi_pct;     /* ROI % with the effect at roi_effect */
  double breakeven_effect;/* the effect at which ROI = 0 */
  double n_breakeven;     /* learners at which the break-even effect (its size) has the target power
                           * (NaN: it is 0 or on the losing side, or needs over 1e9 learners) */
  /* simulation (simulate) */
  int has_sim;
  size_t sim_reps, sim_rejections, sim_failed;
  double sim_power, sim_mcse;  /* rejections / reps and sqrt(p (1 - p) / reps) */
  double sim_mean_estimate;    /* the mean estimate over the reps (the planted MDE, unbiased) */
  double sim_n;                /* the data sets' size (each arm rounded to whole learners, or to whole
                                * clusters of the cluster size rounded) */
  double sim_analytic_power;   /* the analytic power at that size, for the comparison */
  unsigned long seed;
  size_t n_warnings;
  char **warnings;
} attrib_power_result;

/* Defaults: rct; n, mde NaN; sd 1; alpha 0.05; two-sided; power 0.8; ratio 1;
 * icc, cluster_size, rho, treated_share NaN; r2 0; no ROI; 1000 reps, seed 1. */
ATTRIB_API void attrib_power_options_init(attrib_power_options *o);

/*
 * Checks the options, naming the field at fault (attrib_error.option
 * "power.icc" and so on) with ATTRIB_EUSAGE: neither n nor the MDE, an
 * alpha outside (0, 1), a power not in (alpha, 1) (two-sided: the power at
 * no effect is alpha), an icc outside [0, 1), a cluster size below 1, the
 * cluster inputs missing from the cluster design or given to another, rho
 * missing from did or outside [-1, 1), r2 outside [0, 1), a ratio or sd not
 * positive, a treated share outside (0, 1), n too small for the test (over
 * 2 learners, or over 2 clusters, and at least one learner in each arm),
 * simulation of match (or of did with r2 > 0).
 */
ATTRIB_API attrib_status attrib_power_check(const attrib_power_options *o, attrib_error *err);

/*
 * Solves the MDE (n given), n (MDE given) or the power (both), then the
 * money figures and the simulation when asked. o: borrowed. *out: a new
 * result (attrib_power_result_free). Returns ATTRIB_OK, ATTRIB_EUSAGE (as
 * attrib_power_check), ATTRIB_ENUMERIC (no n up to 1e9 reaches the
 * power), or an error of the ROI inputs (attrib_roi_compute) or of a
 * simulated fit; ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_power_run(const attrib_power_options *o, attrib_power_result **out,
                                          attrib_error *err);
ATTRIB_API void attrib_power_result_free(attrib_power_result *r);

/*
 * The power of the two-sample test at n_t treated and n_c controls,
 * standardised effect d (the mean difference over the SD of what is
 * compared), level alpha, sides 1 or 2, and df degrees of freedom
 * (INFINITY: the normal approximation). As R's pwr.t2n.test when
 * df = n_t + n_c - 2 (pwr.t.test with n_t = n_c); pwr.norm.test's
 * one-sample power is this with 1/n_t + 1/n_c = 1/n. NaN for a bad input.
 */
ATTRIB_API double attrib_power_two_sample(double n_t, double n_c, double d, double alpha, int sides, double df);

/* The noncentral t distribution function P(T <= t) with df degrees of
 * freedom and noncentrality ncp: AS 243 (Lenth 1989) as R's pt(t, df, ncp)
 * computes it, to about 1e-12. */
ATTRIB_API double attrib_power_pnt(double t, double df, double ncp);

/*
 * Estimates the outcome's SD, the ICC within cluster (one-way ANOVA,
 * Donner & Klar 2000) and the covariates' R2 (OLS) from a baseline table.
 * cluster and covariates may be NULL (covariates: a right-hand side such
 * as "tenure + factor(role)"). Rows missing any of them are left out.
 * ATTRIB_OK, ATTRIB_ENOCOL, ATTRIB_ETYPE (a text outcome), ATTRIB_ENODATA
 * (under 3 rows; a cluster column with one cluster), or the fit's error.
 */
ATTRIB_API attrib_status attrib_power_from_data(const attrib_table *t, const char *outcome, const char *cluster,
                                                const char *covariates, attrib_power_data_estimates *out,
                                                attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
