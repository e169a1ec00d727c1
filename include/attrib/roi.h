/*
 * ROI translation (docs/methods/roi.md): from an effect on a KPI, its
 * uncertainty and the programme's value and cost lines to benefit, cost,
 * net benefit, ROI %, benefit-cost ratio, payback and break-even figures,
 * with intervals that carry the effect's (and the costs') uncertainty.
 *
 *   benefit from the effect = sum over periods t = 0..H-1 of
 *       E (1 - D)^t x N x V x A (x M)
 *   ROI % = 100 (benefits - costs) / costs
 */
#ifndef ATTRIB_ROI_H
#define ATTRIB_ROI_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct attrib_roi_line {
  char *name;
  double amount;
  double sd;        /* uncertainty of a cost line (0 = fixed); a range lo..hi enters as (hi - lo) / sqrt(12) */
} attrib_roi_line;

typedef struct attrib_roi_input {
  double effect, se;            /* the effect per learner per period, its SE (NaN = none; 0 = fixed) */
  int has_effect;
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
  const double *draws;          /* replicate estimates of the effect (bootstrap draws), or NULL */
  size_t n_draws;
  size_t simulations;           /* Monte Carlo draws for the interval (default 10000) */
  unsigned long seed;
  double level;                 /* default 0.95 */
  int keep_draws;               /* keep the ROI % of each draw (result->roi_draws) */
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
  const char *interval_method;  /* "exact (linear in the effect)", "fieller", "draws", "simulation" */
  double roi_ci_low_pct, roi_ci_high_pct, prob_roi_positive;
  double roi_ci_delta_low_pct, roi_ci_delta_high_pct; /* the delta method, labelled as an approximation */
  double roi_sd_pct;            /* SD of the ROI draws (simulation or draws) */
  size_t n_sim;                 /* draws used */
  double *roi_draws;            /* keep_draws: the ROI % of each draw, in draw order */
  double level;
  size_t n_warnings;
  char **warnings;
} attrib_roi_result;

ATTRIB_API void attrib_roi_input_init(attrib_roi_input *in);
ATTRIB_API attrib_status attrib_roi_compute(const attrib_roi_input *in, attrib_roi_result **out, attrib_error *err);
ATTRIB_API void attrib_roi_result_free(attrib_roi_result *r);

/*
 * Assumption sweeps: ROI over the full grid of the inputs' value lists
 * (one cell per combination, the last input varying fastest), a tornado
 * table (ROI at each input's lowest and highest value, the others at their
 * base) and three scenarios (every input at its least favourable value,
 * at base, at its most favourable). Inputs by name: effect, learners,
 * value_per_unit, horizon, decay, attribution, margin, cost_per_learner,
 * cost.NAME, benefit.NAME.
 */
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

ATTRIB_API attrib_status attrib_roi_sweep_compute(const attrib_roi_input *base, const attrib_roi_sweep_dim *dims,
                                                  size_t n_dims, size_t threads, attrib_roi_sweep **out,
                                                  attrib_error *err);
ATTRIB_API void attrib_roi_sweep_free(attrib_roi_sweep *s);

/* "200*75", "1e6", "12,500" -> a number (a product of factors; commas as
 * thousands separators are dropped). Returns ATTRIB_EINVAL naming s. */
ATTRIB_API attrib_status attrib_roi_amount_parse(const char *s, double *out, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
