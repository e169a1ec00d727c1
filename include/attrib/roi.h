/*
 * ROI translation (docs/methods/roi.md): from an effect on a KPI, its
 * uncertainty and the programme's value and cost lines to benefit, cost,
 * net benefit, ROI %, benefit-cost ratio, payback and break-even figures,
 * with intervals that carry the effect's (and the costs') uncertainty.
 *
 *   benefit from the effect = sum over periods t = 0..H-1 of
 *       E (1 - D)^t x N x V x A (x M)
 *   ROI % = 100 (benefits - costs) / costs
 *
 * Intervals. With an SE for the effect and no draws: the exact image of
 * E +- z SE when the costs are fixed (ROI is linear in E), Fieller's
 * interval when cost lines are uncertain. With draws (simulate, or the
 * replicate estimates of a bootstrap in draws): the percentile interval of
 * the ROI of each draw, with Fieller's interval reported beside it as an
 * analytic cross-check (roi_ci_fieller_*).
 *
 * Draws are made in the library from core/rng's counter-based streams: the
 * effect's b-th draw from stream (seed, ROI effect, 0), cost line i's b-th
 * draw from stream (seed, ROI cost, i). Each uncertain cost line is drawn on
 * its own, N(amount, sd^2), rather than one total with the summed variance:
 * the two have the same distribution (independent normals add), but a
 * line's draws then depend only on (seed, its position, its amount and sd),
 * so adding, removing or re-weighting another line leaves them unchanged,
 * and each line's draws can be kept for an audit. Cost lines are taken as
 * independent of each other and of the effect (the effect is estimated from
 * outcome data; the costs come from a budget).
 */
#ifndef ATTRIB_ROI_H
#define ATTRIB_ROI_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct attrib_by_result; /* <attrib/by.h>: subgroup effects */

typedef struct attrib_roi_line {
  char *name;
  double amount;
  double sd;        /* uncertainty of a cost line (0 = fixed); a range lo..hi enters as (hi - lo) / sqrt(12) */
} attrib_roi_line;

typedef struct attrib_roi_input {
  double effect, se;            /* the effect per learner per period, its SE (NaN = none; 0 = fixed) */
  int has_effect;
  const char *effect_source;    /* where the effect comes from, echoed in reports (NULL: given as a number) */
  double learners;              /* N */
  double value_per_unit;        /* V, default 1 */
  double horizon;               /* H periods, default 1 (whole periods are summed; a fraction counts pro rata) */
  double periods_per_year;      /* for annualised figures (52 for weeks, 12 for months); 0 = none */
  double decay;                 /* D per period, default 0 */
  double attribution;           /* A, default 1 */
  double margin;                /* M, default 1 */
  double cost_per_learner;      /* adds N x C to the costs */
  const attrib_roi_line *costs; /* named cost lines */
  size_t n_costs;
  const attrib_roi_line *benefits; /* named benefit lines (added to the effect's) */
  size_t n_benefits;
  const double *draws;          /* replicate estimates of the effect (bootstrap draws), or NULL: the
                                 * interval is their ROI's percentiles, uncertain costs drawn beside them */
  size_t n_draws;               /* at least 10 */
  int simulate;                 /* 1 (and no draws): `simulations` draws of the effect from N(effect, se^2),
                                 * with each uncertain cost line drawn beside them; the interval is the
                                 * percentile one (a parametric bootstrap) */
  size_t simulations;           /* draws when simulating (default 10000) */
  unsigned long seed;           /* the streams' seed (default 1) */
  double level;                 /* default 0.95 */
  int keep_draws;               /* keep each draw (result->roi_draws, effect_draws, cost_draws) */
} attrib_roi_input;

typedef struct attrib_roi_result {
  double benefit_total, benefit_effect, cost_total, net_benefit, roi_pct, bcr;
  double per_learner_net_benefit, per_learner_roi_pct;
  double annual_benefit, annual_net_benefit, annualised_roi_pct; /* with periods_per_year: benefit and net
                                  * benefit per year of the horizon, and the compound annual ROI (1 + ROI)^(1/years) - 1
                                  * (NaN otherwise) */
  double payback_periods;       /* fractional periods until cumulative benefit covers the costs; INFINITY if never */
  double breakeven_effect;      /* the effect at which ROI = 0 (other inputs fixed) */
  double breakeven_attribution; /* the attribution share at which ROI = 0 */
  size_t n_benefits, n_costs;
  attrib_roi_line *benefits, *costs; /* as given plus the derived lines ("effect", "per_learner") */
  /* uncertainty */
  int has_interval;
  const char *interval_method;  /* "exact (linear in the effect)", "fieller", "draws (percentile)",
                                 * "simulation (percentile)" */
  double roi_ci_low_pct, roi_ci_high_pct, prob_roi_positive; /* NaN end points: no bounded interval (a warning says why) */
  double roi_ci_delta_low_pct, roi_ci_delta_high_pct; /* the delta method, labelled as an approximation */
  double roi_ci_fieller_low_pct, roi_ci_fieller_high_pct; /* Fieller's interval for (k E + other - C) / C (the
                                 * exact linear one when the costs are fixed), whenever the effect has an SE
                                 * (with draws and no SE: the draws' SD); the cross-check of the draws' interval */
  double effect_se_used;        /* the effect SE behind the analytic intervals (NaN: none) */
  double roi_sd_pct;            /* SD of the ROI draws (simulation or draws); the delta method's SD otherwise */
  size_t n_sim;                 /* draws made */
  size_t n_cost_nonpositive;    /* draws whose total cost was <= 0: their ROI is undefined and left out */
  double *roi_draws;            /* keep_draws: the ROI % of each draw, in draw order (NaN when its cost was <= 0) */
  double *effect_draws;         /* keep_draws: the effect of each draw */
  double *cost_draws;           /* keep_draws: the total cost of each draw */
  double level;
  size_t n_warnings;
  char **warnings;
} attrib_roi_result;

/* Defaults: no effect, value per unit, horizon, attribution and margin 1, decay 0, 10000 simulations,
 * seed 1, level 0.95. */
ATTRIB_API void attrib_roi_input_init(attrib_roi_input *in);

/* An effect read from an estimator's JSON result (attrib_roi_read_effect). */
typedef struct attrib_roi_effect_file {
  double effect, se; /* se NaN when the file has none */
  int binary;        /* a logit/probit fit: the effect is its average marginal effect, and its
                        bootstrap draws are the coefficient's, not the effect's */
  char *source;      /* for binary fits, "the average marginal effect of T (type) from FILE";
                        for one outcome of several, "outcome Y from FILE"; else NULL */
  char *outcome;     /* the outcome picked from a several-KPI file (outcomes: [...]), else NULL */
  /* The file's subgroups (by: {column, groups: [...]}), NULL when it has
   * none: each group's level, n, n_treated (0 when the file does not count
   * them) and effect (estimate, std_error, ci_low, ci_high), with level the
   * fit's interval level and df its t degrees of freedom (INFINITY: normal).
   * The equality test, the differences and the joint vcov are not read. */
  struct attrib_by_result *by;
} attrib_roi_effect_file;

/*
 * Reads the effect from the JSON an estimating command wrote with --treat
 * (effect.estimate, effect.std_error). A logit/probit fit's effect is a
 * coefficient on the log-odds (probit) scale, not a change in the KPI: its
 * average_marginal_effect is taken instead, or the file is refused with the
 * reason. A file of several outcomes (outcomes: [{outcome, effect}, ...])
 * has no one effect: outcome names the one to read (NULL is refused, the
 * outcomes listed, unless the file holds a single outcome); outcome given
 * for a file without an outcomes list is refused unless it names the
 * file's own outcome (response or outcome). A file with subgroups (by) has
 * them read into out->by (attrib_roi_by_compute).
 * ATTRIB_OK, or ATTRIB_EPARSE naming the file (not JSON, no effect, a
 * binary fit without a marginal effect, a malformed by object), ATTRIB_EINVAL
 * (no outcome or an unknown one, the outcomes named), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_roi_read_effect(const char *path, const char *outcome, attrib_roi_effect_file *out,
                                                attrib_error *err);

/* Releases what attrib_roi_read_effect allocated in f (source, outcome, by); f itself is the caller's. NULL: nothing. */
ATTRIB_API void attrib_roi_effect_file_free(attrib_roi_effect_file *f);

/* A value per unit for one level of a subgroup column (attrib_roi_by_compute). */
typedef struct attrib_roi_level_value {
  const char *level;
  double value_per_unit;
} attrib_roi_level_value;

/*
 * The ROI in each group of a subgroup fit (docs/methods/subgroups.md,
 * "ROI by subgroup"): base's inputs (costs, benefit lines, horizon, ...)
 * with the group's effect, the SE whose normal interval at by->level is
 * the group's interval (its half-width / z: a t interval, say, is carried
 * whole; the group's std_error when the interval is missing), and the
 * group's share of base->learners: by treated learners when by counts them
 * (any n_treated > 0), else by the groups' sizes n. Cost lines are the
 * whole programme's in every group; cost_per_learner scales with the
 * group's learners. values (n_values, may be NULL): a value per unit for
 * named levels, the others keeping base->value_per_unit; every level named
 * must be one of by's, and at most once.
 * Outputs, each of by->n_groups elements, allocated by the caller:
 * learners[g], value_per_unit[g] (NULL: not wanted) and roi[g] (a new
 * result, attrib_roi_result_free; NULL where the group's ROI could not be
 * computed, no learners say). base->draws are the overall effect's and are
 * not used; base->simulate draws each group from N(E_g, SE_g^2) on the same
 * seed. Returns ATTRIB_OK, ATTRIB_EINVAL (an unknown or repeated level, a
 * value out of its domain, the level named), ATTRIB_ENOMEM (roi[] then
 * freed and NULL).
 */
ATTRIB_API attrib_status attrib_roi_by_compute(const attrib_roi_input *base, const struct attrib_by_result *by,
                                               const attrib_roi_level_value *values, size_t n_values,
                                               double *learners, double *value_per_unit, attrib_roi_result **roi,
                                               attrib_error *err);

/*
 * Checks one input against its domain; input names as in the sweeps
 * (learners, value_per_unit, horizon, decay, attribution, margin,
 * cost_per_learner, periods_per_year, effect, se, level) plus "cost" (a
 * cost line's amount), "cost_sd" and "benefit" (a benefit line's amount).
 * label: what the message calls the input (a flag, say), NULL for its
 * name. Returns ATTRIB_OK, or ATTRIB_EINVAL with "LABEL must be DOMAIN,
 * got V". attrib_roi_compute and attrib_roi_sweep_compute apply the same
 * checks.
 */
ATTRIB_API attrib_status attrib_roi_check_value(const char *input, const char *label, double v, attrib_error *err);

/*
 * The figures and, with an SE or draws, the interval. in: borrowed. out: a
 * new result (attrib_roi_result_free). Returns ATTRIB_OK, ATTRIB_EINVAL
 * (an input out of its domain, no benefit, costs that do not total a
 * positive amount, a simulation without an SE), ATTRIB_ENUMERIC (a
 * benefit, cost or ROI beyond a double: the product is named) or
 * ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_roi_compute(const attrib_roi_input *in, attrib_roi_result **out, attrib_error *err);
ATTRIB_API void attrib_roi_result_free(attrib_roi_result *r);

/* One swept input: its name (as in attrib_roi_sweep_compute) and its values. */
typedef struct attrib_roi_sweep_dim {
  const char *name;
  const double *values;
  size_t n;
} attrib_roi_sweep_dim;

typedef struct attrib_roi_tornado {
  const char *name;
  double low, high, roi_low, roi_high, swing; /* swing = |roi_high - roi_low| */
  size_t dim;                 /* the input's index in dims (the tornado is sorted by swing) */
} attrib_roi_tornado;

typedef struct attrib_roi_sweep {
  size_t n_dims, n_cells;
  double *roi_pct;             /* n_cells, grid order */
  double *net_benefit;         /* n_cells */
  attrib_roi_tornado *tornado; /* n_dims, largest swing first */
  double scenario_roi[3];      /* conservative, moderate (base), optimistic */
  double *scenario_values;     /* 3 x n_dims: each scenario's input values, in dims order */
} attrib_roi_sweep;

/*
 * Assumption sweeps: ROI over the full grid of the inputs' value lists
 * (one cell per combination, the last input varying fastest), a tornado
 * table (ROI at each input's lowest and highest value, the others at their
 * base) and three scenarios (every input at its least favourable value,
 * at base, at its most favourable). Inputs by name: effect, learners,
 * value_per_unit, horizon, decay, attribution, margin, cost_per_learner,
 * cost.NAME, benefit.NAME.
 * threads: workers for the grid (the result does not depend on it). Errors:
 * no dimension, an unknown input or line name, sweeping the effect when
 * there is none (ATTRIB_EINVAL); ATTRIB_ENOMEM. Free with
 * attrib_roi_sweep_free.
 */
ATTRIB_API attrib_status attrib_roi_sweep_compute(const attrib_roi_input *base, const attrib_roi_sweep_dim *dims,
                                                  size_t n_dims, size_t threads, attrib_roi_sweep **out,
                                                  attrib_error *err);
ATTRIB_API void attrib_roi_sweep_free(attrib_roi_sweep *s);

/* "200*75", "1e6", "12,500" -> a number (a product of factors; commas,
 * underscores and spaces as thousands separators are dropped). Returns
 * ATTRIB_EINVAL naming s when a factor is not a number or the product is
 * not finite. */
ATTRIB_API attrib_status attrib_roi_amount_parse(const char *s, double *out, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
