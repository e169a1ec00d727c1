/*
 * Causal mediation (docs/methods/mediation.md): how much of a training's
 * effect on a KPI passes through a mediator (a skill score, an activity
 * count), for a binary treatment T, a linear mediator model and a linear
 * outcome model (Imai, Keele & Tingley 2010, Psychological Methods 15(4);
 * the linear-linear case of R's mediation::mediate):
 *
 *   mediator model  M = a0 + a T + X'xi + e2
 *   outcome model   Y = c0 + c T + b M [+ g T M] + X'beta + e3
 *
 *   ACME(t) = a (b + g t)                  the effect through M, treatment held at t
 *   ADE(t)  = c + g (a0 + a t + Xbar'xi)   the effect not through M, mediator at M(t)
 *   total   = ACME(1) + ADE(0) = ACME(0) + ADE(1)
 *   prop_mediated(t) = ACME(t) / total
 *
 * (g = 0 without the interaction: ACME = ab, ADE = c.) The averages over
 * t = 0, 1 are what mediate's summary reports as ACME (average) and so on.
 *
 *   attrib_mediate_options o; attrib_mediate_options_init(&o);
 *   o.treat = "trained"; o.mediator = "practice_hours"; o.outcome = "sales";
 *   attrib_mediate_result *r; attrib_mediate_fit(table, &o, &r, &err); ... attrib_mediate_result_free(r);
 *
 * Intervals: quasi-Bayesian (King, Tomz & Wittenberg 2000, as mediate's
 * default: each model's coefficients drawn from the normal with the fit's
 * estimate and classical covariance, independently, the quantities computed
 * per draw, percentile intervals) or the nonparametric bootstrap (rows
 * resampled, both models refitted). Every draw comes from the project's one
 * random source, so the result depends on the seed, never on the threads.
 *
 * Sensitivity (Imai, Keele & Yamamoto 2010, Statistical Science 25(1),
 * Section 4, without the interaction): rho is the correlation of e2 and e3,
 * 0 under sequential ignorability; ACME(rho) = a (s1 / s2) (rt - rho
 * sqrt((1 - rt^2) / (1 - rho^2))), with s1, s2 the residual SDs of the
 * outcome model without M (Y ~ T + X) and of the mediator model, and rt
 * their residuals' correlation; ACME = 0 at rho = rt (rho_at_zero).
 */
#ifndef ATTRIB_MEDIATE_H
#define ATTRIB_MEDIATE_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/formula.h>
#include <attrib/status.h>
#include <attrib/table.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_mediate_ci {
  ATTRIB_MEDIATE_QUASI_BAYES = 0, /* coefficients drawn from their fits' normal approximation (default) */
  ATTRIB_MEDIATE_BOOTSTRAP = 1    /* rows resampled, both models refitted */
} attrib_mediate_ci;

typedef struct attrib_mediate_options {
  const char *treat;      /* the 0/1 treatment column */
  const char *mediator;   /* the numeric mediator column */
  const char *outcome;    /* the numeric outcome column */
  const char *covariates; /* pre-treatment covariates, a right-hand side ("tenure + factor(role)"), or NULL */
  const attrib_formula *covariate_terms; /* or as terms (attrib_formula_parse_rhs); used instead of
                                          * covariates when set; borrowed */
  int interaction;        /* 1: the outcome model has T:M (ACME and ADE differ by t) */
  attrib_mediate_ci ci_method;
  size_t sims;            /* draws or bootstrap replicates (default 1000) */
  unsigned long seed;     /* default 1 */
  double level;           /* the intervals' confidence level (default 0.95) */
  size_t threads;         /* 0 (default) = the online CPUs; the result does not depend on it */
} attrib_mediate_options;

/* One quantity: the plug-in estimate from the two fits, the SD of its draws
 * (std_error), the percentile interval of the draws, and mediate's p-value
 * (twice the smaller share of draws on either side of 0, at most 1).
 * mean_of_draws is what mediate prints as the quasi-Bayesian estimate (the
 * mean of the draws; the median for the proportion mediated): it differs
 * from the plug-in estimate by Monte Carlo error, and for the proportion
 * by the ratio's bias too. */
typedef struct attrib_mediate_effect {
  double estimate, std_error, ci_low, ci_high, p_value;
  double mean_of_draws;
} attrib_mediate_effect;

/* The quantities, in this order in attrib_mediate_result.effects. */
typedef enum attrib_mediate_quantity {
  ATTRIB_MEDIATE_ACME = 0,      /* (ACME(1) + ACME(0)) / 2 */
  ATTRIB_MEDIATE_ACME_TREATED,  /* ACME(1): mediate's d1 */
  ATTRIB_MEDIATE_ACME_CONTROL,  /* ACME(0): d0 */
  ATTRIB_MEDIATE_ADE,           /* (ADE(1) + ADE(0)) / 2 */
  ATTRIB_MEDIATE_ADE_TREATED,   /* ADE(1): z1 */
  ATTRIB_MEDIATE_ADE_CONTROL,   /* ADE(0): z0 */
  ATTRIB_MEDIATE_TOTAL,         /* tau */
  ATTRIB_MEDIATE_PROP,          /* (prop(1) + prop(0)) / 2: n.avg */
  ATTRIB_MEDIATE_PROP_TREATED,  /* n1 */
  ATTRIB_MEDIATE_PROP_CONTROL,  /* n0 */
  ATTRIB_MEDIATE_N_QUANTITIES
} attrib_mediate_quantity;

/* A coefficient of one of the fits, with its classical SE. */
typedef struct attrib_mediate_coef {
  double estimate, std_error;
} attrib_mediate_coef;

typedef struct attrib_mediate_result {
  size_t n;                 /* rows used (treatment, mediator, outcome and covariates present) */
  size_t n_input, n_dropped_missing;
  size_t n_treated, n_control;
  size_t k_covariates;      /* covariate columns (not counting the intercept) */
  int interaction;
  attrib_mediate_effect effects[ATTRIB_MEDIATE_N_QUANTITIES];
  /* the fits */
  attrib_mediate_coef med_treat;   /* a: T in the mediator model */
  attrib_mediate_coef out_treat;   /* c: T in the outcome model */
  attrib_mediate_coef out_mediator;/* b: M in the outcome model */
  attrib_mediate_coef out_interaction; /* g: T:M (NaN without the interaction) */
  double med_mean_control;  /* a0 + Xbar'xi: the fitted mediator's mean at T = 0 */
  double med_sigma, out_sigma;     /* residual SDs (SSR / (n - p)) */
  double med_r2, out_r2;           /* R2 of each model */
  size_t med_df, out_df;           /* residual degrees of freedom */
  /* sensitivity (NaN with the interaction) */
  double rho_at_zero;       /* rt: the rho at which ACME = 0 */
  double r2_star_prod_at_zero;  /* R2*_M R2*_Y at ACME = 0 (shares of the residual variances): rt^2 */
  double r2_tilde_prod_at_zero; /* R2~_M R2~_Y at ACME = 0 (shares of the total variances):
                                 * (1 - R2_M)(1 - R2_Y) rt^2 */
  size_t n_sensitivity;
  double *sens_rho, *sens_acme; /* ACME(rho) at rho = -0.9, -0.8, ..., 0.9 */
  /* the intervals */
  attrib_mediate_ci ci_method;
  size_t sims, sims_failed;  /* draws, and bootstrap replicates whose refit was singular (left out) */
  unsigned long seed;
  double level;
  size_t n_warnings;
  char **warnings;
} attrib_mediate_result;

/* Defaults: no columns, no covariates, no interaction, quasi-Bayesian,
 * 1000 sims, seed 1, level 0.95, threads 0. */
ATTRIB_API void attrib_mediate_options_init(attrib_mediate_options *o);

/*
 * Checks the options alone, naming the field at fault (err->option
 * "mediate.sims" and so on) with ATTRIB_EUSAGE: a column not named, the same
 * column in two roles, a level outside (0, 1), sims outside [10, 1000000],
 * an unknown interval method.
 */
ATTRIB_API attrib_status attrib_mediate_check(const attrib_mediate_options *o, attrib_error *err);

/*
 * Fits both models on the rows where every column is present and computes
 * the effects, their intervals and the sensitivity figures. t, o: borrowed.
 * *out: a new result (attrib_mediate_result_free). Returns ATTRIB_OK;
 * ATTRIB_EUSAGE (attrib_mediate_check); ATTRIB_ENOCOL; ATTRIB_ETYPE (a text
 * column; a treatment that is not 0/1; a covariate that uses the treatment,
 * mediator or outcome); ATTRIB_ENODATA (no complete rows; one arm empty;
 * too few rows for the outcome model); ATTRIB_ENUMERIC (a constant
 * mediator; a covariate, the treatment, the mediator or the interaction
 * collinear with the columns before it); ATTRIB_EFORMULA; ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_mediate_fit(const attrib_table *t, const attrib_mediate_options *o,
                                            attrib_mediate_result **out, attrib_error *err);
ATTRIB_API void attrib_mediate_result_free(attrib_mediate_result *r);

/* "quasi-bayes" or "bootstrap"; NULL for another value. */
ATTRIB_API const char *attrib_mediate_ci_name(attrib_mediate_ci m);
/* The inverse: ATTRIB_OK, or ATTRIB_EINVAL for another word. */
ATTRIB_API attrib_status attrib_mediate_ci_parse(const char *s, attrib_mediate_ci *out, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
