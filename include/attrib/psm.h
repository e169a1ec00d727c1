/*
 * Propensity-score matching and weighting: the whole of `attrib psm`
 * (docs/methods/psm.md) as one library call over a table.
 *
 * Pipeline: the propensity model (logit or probit from the regression core,
 * or a given score column) -> common support (discard) -> nearest-neighbour
 * matching on the distance within exact-match strata -> the effect and a
 * standard error that is valid for the design -> covariate balance before
 * and after, and an audit of every unit left out.
 *
 * Standard errors:
 *  - matching with replacement: Abadie & Imbens (2006), optionally with the
 *    bias correction of Abadie & Imbens (2011), as R's Matching::Match;
 *  - matching without replacement: CR1 cluster-robust SE over matched sets
 *    of the weighted regression y ~ treat on the matched sample (MatchIt's
 *    recommendation), t with G - 1 degrees of freedom;
 *  - IPW: M-estimation sandwich with the score's estimation; AIPW: the
 *    influence function (attrib/weighting.h).
 */
#ifndef ATTRIB_PSM_H
#define ATTRIB_PSM_H

#include <stddef.h>
#include <attrib/balance.h>
#include <attrib/bootstrap.h>
#include <attrib/by.h>
#include <attrib/export.h>
#include <attrib/formula.h>
#include <attrib/logit.h>
#include <attrib/match.h>
#include <attrib/status.h>
#include <attrib/table.h>
#include <attrib/vcov.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_psm_method {
  ATTRIB_PSM_NEAREST = 0, /* nearest-neighbour matching */
  ATTRIB_PSM_IPW = 1,
  ATTRIB_PSM_AIPW = 2
} attrib_psm_method;

/* Common support by the distance's range (MatchIt's discard): "treated"
 * drops treated units outside the controls' range, "control" the reverse. */
typedef enum attrib_discard {
  ATTRIB_DISCARD_NONE = 0,
  ATTRIB_DISCARD_TREATED = 1,
  ATTRIB_DISCARD_CONTROL = 2,
  ATTRIB_DISCARD_BOTH = 3
} attrib_discard;

/* Why a unit took no part in the estimate (the audit). */
typedef enum attrib_psm_reason {
  ATTRIB_PSM_MISSING = 0,     /* a missing value in the treatment, outcome, covariates, score or exact columns */
  ATTRIB_PSM_OFF_SUPPORT,     /* discarded: outside the other group's distance range */
  ATTRIB_PSM_NO_MATCH,        /* treated (focal) unit with no control within the caliper or its stratum */
  ATTRIB_PSM_NOT_SELECTED,    /* control (non-focal) unit that no focal unit chose */
  ATTRIB_PSM_TRIMMED          /* weighting: score outside [trim, 1 - trim] */
} attrib_psm_reason;

typedef struct attrib_psm_options {
  const char *treat;          /* 0/1 treatment column (required) */
  const char *outcome;        /* numeric outcome column (required) */
  /* NULL-terminated further outcome columns analysed beside outcome (issue
   * 18): the same rows (a row missing any outcome is dropped for all), one
   * score model and one matching or weighting, an effect per outcome with
   * p-values adjusted across them (attrib_psm_result.outcomes); NULL = none */
  const char *const *extra_outcomes;
  /* with extra_outcomes: 1 = each outcome keeps its own rows (a row is
   * dropped only for the outcome it lacks): one complete analysis per
   * outcome, so the score model and matching may differ between them;
   * Bonferroni and Holm only (Romano-Wolf needs one set of units). 0
   * (default): the same rows, one score model and one matching. */
  int per_outcome_rows;
  const char *covariates;     /* right-hand side in formula syntax: "tenure + prior_perf + factor(role)" */
  const attrib_formula *covariate_terms; /* or the covariates as terms (attrib_formula_parse_rhs, or
                                 * built from column names); used instead of covariates when set; borrowed */
  const char *score;          /* a given propensity score column in (0, 1), or NULL: fit the model */
  const char *id;             /* unit id column ranking ties, or NULL: row order */
  const char *const *exact;   /* NULL-terminated columns to match exactly on, or NULL */
  attrib_psm_method method;   /* default nearest */
  attrib_estimand estimand;   /* default ATT */
  attrib_link link;           /* default logit */
  int distance_logit;         /* 1 (default): match on the logit of the score; 0: on the score */
  attrib_discard discard;     /* default none */
  size_t ratio;               /* default 1 */
  int replace;                /* default 0 */
  double caliper;             /* in standard deviations of the distance; 0 = none, < 0 refused */
  double tie_tolerance;       /* with replacement: controls whose squared distance exceeds the M-th
                               * nearest's by at most this many squared SDs of the distance are tied
                               * with it, as Matching::Match's distance.tolerance (1e-5 there by
                               * default); 0 (default): ties are equal distances (up to rounding) */
  attrib_match_order order;   /* default largest */
  unsigned long seed;         /* for the random order */
  int bias_adjust;            /* Abadie-Imbens (2011) bias correction (matching with replacement, ATT/ATC) */
  int ps_known;               /* 1: treat a fitted score as known (Matching::Match's SE); 0 (default):
                               * matching with replacement on a fitted score gets the Abadie-Imbens
                               * (2016) correction for its estimation, as Stata's teffects psmatch */
  double trim;                /* weighting: drop units with a score outside [trim, 1 - trim] and re-fit
                               * the score on the rest (Crump et al. 2009); 0 = none, else in (0, 0.5) */
  double level;               /* default 0.95 */
  size_t bootstrap;           /* weighting: multiplier bootstrap replicates of the influence function (0 = none);
                               * matching refuses it (Abadie & Imbens 2008) */
  attrib_boot_weights boot_weights; /* default Rademacher */
  attrib_boot_ci boot_ci;     /* percentile (default), basic or normal */
  int keep_draws;             /* keep the replicates (result->boot->draws) */
  const char *boot_cluster;   /* draw the multipliers per level of this column (whole clusters), or NULL */
  size_t threads;             /* 0 = the online CPUs; results do not depend on it */
  int keep_pairs;             /* store the matched pairs (attrib_psm_result.pairs) */
  int keep_audit;             /* store the rows of the units left out */
} attrib_psm_options;

typedef struct attrib_psm_pair {
  size_t treated_row, control_row; /* table rows (0-based, data rows) */
  size_t set;                      /* the focal unit's matched set, 0-based */
  double distance, weight;         /* |d_t - d_c| and the control's weight in the set (1/M, M its size with ties) */
} attrib_psm_pair;

/* keep_pairs refuses to list more pairs than this (40 bytes each): only
 * many ties with replacement make so many, and the estimate never needs
 * them listed. */
#define ATTRIB_PSM_MAX_PAIRS ((size_t)1 << 25)

/* One outcome's effect when several are analysed on one matching. */
typedef struct attrib_psm_outcome {
  char *outcome;
  attrib_effect effect;            /* term = the treatment column */
  size_t n_obs;                    /* units with complete data for this outcome's analysis */
  double naive_difference;
  const char *se_method;           /* static string */
  int ps_adjusted;
  double std_error_known_ps;
  attrib_boot_result *boot;        /* with bootstrap (weighting); outcomes[0]'s is the result's boot */
  /* the effect's p-value adjusted across the outcomes: Bonferroni and Holm
   * from effect.p_value; Romano-Wolf from the multiplier bootstrap's draws
   * (the same multipliers for every outcome) as t*_b = (draw_b -
   * estimate) / std_error, NaN without a bootstrap (matching has none:
   * Abadie & Imbens 2008) */
  double p_bonferroni, p_holm, p_romano_wolf;
} attrib_psm_outcome;

typedef struct attrib_psm_result {
  attrib_psm_method method;
  attrib_estimand estimand;
  attrib_link link;
  int score_given, distance_logit, replace, bias_adjust;
  size_t ratio;
  attrib_match_order order;
  double caliper, caliper_width;   /* SD units and distance units (NaN: none) */
  double tie_tolerance;            /* as given (squared SD units; 0 = equal distances) */
  attrib_discard discard;
  attrib_effect effect;            /* term = the treatment column */
  double level, df;                /* df: t degrees of freedom, INFINITY for normal inference */
  const char *se_method;           /* static string naming the variance */
  int ps_adjusted;                 /* the SE carries the Abadie-Imbens (2016) estimated-score correction */
  double std_error_known_ps;       /* with ps_adjusted: the SE had the score been known (AI 2006) */
  double naive_difference;         /* unadjusted difference in mean outcomes */
  /* counts */
  size_t n_input, n_missing, n_trimmed;
  double trim;
  size_t n_treated, n_control;     /* with complete data */
  size_t n_treated_discarded, n_control_discarded;
  size_t n_treated_matched, n_control_matched;
  size_t n_treated_unmatched, n_control_unmatched; /* focal units without a match within the caliper or stratum */
  size_t n_strata, n_sets;
  size_t n_matches;                /* matching: (focal, match) pairs in the estimate, ties included */
  size_t n_tied_sets;              /* with replacement: sets holding more than the ratio (ties kept) */
  double ess_treated, ess_control;
  attrib_logit_result *ps_model;   /* NULL when the score was given */
  attrib_balance *balance;
  size_t n_pairs;
  attrib_psm_pair *pairs;          /* when keep_pairs */
  size_t n_audit;
  size_t *audit_row;               /* when keep_audit: table rows left out, ascending */
  unsigned char *audit_reason;     /* attrib_psm_reason of each */
  size_t n_warnings;
  char **warnings;
  /* wall seconds of each stage, for -v and benchmarks/: the data and score
   * model, the overlap checks and matching (or weighting), the effect and
   * its SE, the balance table and audit */
  double seconds_score, seconds_match, seconds_effect, seconds_balance;
  attrib_boot_result *boot;        /* with bootstrap: the multiplier bootstrap of the effect */
  /* with extra_outcomes: every outcome (outcome first), its effect and its
   * adjusted p-values; effect, naive_difference, se_method and boot above
   * are outcomes[0]'s. n_dropped_outcomes: rows complete but for an
   * outcome (within n_missing). 0 and NULL for one outcome. */
  size_t n_outcomes;
  attrib_psm_outcome *outcomes;
  size_t n_dropped_outcomes;
  int per_outcome_rows;            /* the outcomes were analysed separately, each on its own rows */
  attrib_by_result *by;            /* subgroup effects (attrib_psm_by), or NULL; freed with the result */
} attrib_psm_result;

/* Defaults: 1:1 nearest-neighbour matching on the logit of a logit score,
 * without replacement, the ATT, largest score first, level 0.95. */
ATTRIB_API void attrib_psm_options_init(attrib_psm_options *opts);
/* The method's name ("nearest", "ipw", "aipw") to its value, and back;
 * an unknown name is ATTRIB_EINVAL listing the names. */
ATTRIB_API attrib_status attrib_psm_method_parse(const char *s, attrib_psm_method *out, attrib_error *err);
ATTRIB_API const char *attrib_psm_method_name(attrib_psm_method m);
/* The discard rule's name ("none", "both", "treated", "control") to its
 * value, and back. */
ATTRIB_API attrib_status attrib_discard_parse(const char *s, attrib_discard *out, attrib_error *err);
ATTRIB_API const char *attrib_discard_name(attrib_discard d);
/* Why a unit was left out of the matching, as the audit file writes it. */
ATTRIB_API const char *attrib_psm_reason_name(attrib_psm_reason r);

/* Checks the options alone, before any data is read: ratio, caliper, tie
 * tolerance, trim and level in range; settings that go together (weighting
 * takes no caliper, exact strata, discard, replacement or ratio; the ATE
 * by matching needs replacement; the naive bootstrap is refused for
 * matching, Abadie & Imbens 2008). ATTRIB_OK, or ATTRIB_EINVAL /
 * ATTRIB_EUSAGE naming the option. attrib_psm_fit runs it first. */
ATTRIB_API attrib_status attrib_psm_check(const attrib_psm_options *opts, attrib_error *err);

/*
 * Runs the analysis. Returns ATTRIB_OK, ATTRIB_EINVAL (bad options or an
 * unsupported combination, named), ATTRIB_EDATA-style statuses from the data
 * (a treatment that is not 0/1, a score outside (0, 1)), ATTRIB_ENODATA (no
 * treated or no control units, a single treated unit, no overlap, nothing
 * matched within the caliper), ATTRIB_ENUMERIC, ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_psm_fit(const attrib_table *t, const attrib_psm_options *opts,
                                        attrib_psm_result **out, attrib_error *err);
ATTRIB_API void attrib_psm_result_free(attrib_psm_result *r);

/*
 * Subgroup effects (by.h): attrib_psm_fit with opts on the rows of each
 * level of by->column alone (rows with a missing group are left out,
 * counted): the propensity model, the matching or weighting and the
 * variance are all within the group, so each group's effect and SE are
 * those of a run on its rows. The groups are independent samples: the
 * joint vcov is diagonal, and the equality test is chi2 on G-1 degrees of
 * freedom (F with the groups' smallest df when every group has t inference).
 * Errors: ATTRIB_ENOCOL, ATTRIB_EDESIGN (one level, more than
 * ATTRIB_BY_MAX_LEVELS, a level without treated or control rows, a
 * boot_cluster whose clusters span groups), and a group's fit's error,
 * prefixed with the group.
 */
ATTRIB_API attrib_status attrib_psm_by(const attrib_table *t, const attrib_psm_options *opts,
                                       const attrib_by_options *by, attrib_by_result **out, attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
