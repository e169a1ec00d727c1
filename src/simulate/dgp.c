/*
 * Data-generating processes with known effects (docs/methods/simulate.md).
 *
 * Randomness comes only from the counter-based streams of core/rng.h:
 * learner i draws from its own stream (seed, SIM_LEARNER, i + 1) through a
 * gsl_rng (so gsl_ran_gamma & co. work), the teams from (seed, SIM_LEARNER,
 * 0), and learner i's period noise from (seed, SIM_PERIOD, i). The truth
 * (who was trained, the cohort sizes) is recomputed by replaying each
 * learner's stream. Numbers are printed at fixed precision in the C locale:
 * same options, same bytes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <attrib/simulate.h>
#include "core/attrib_internal.h"
#include "core/rng.h"

static const char *const regions[8] = {"Central", "Coastal", "East",  "Metro",
                                       "North",   "Rural",   "South", "West"};
static const double region_effect[8] = {0.0, 1.5, -1.0, 3.0, 0.5, -2.5, -0.5, 1.0};
static const char *const roles[6] = {"Associate", "Specialist", "Senior", "Lead", "Manager", "Director"};
static const double role_prob[6] = {0.35, 0.25, 0.15, 0.10, 0.10, 0.05};
static const double role_effect[6] = {0.0, 2.0, 4.0, 5.0, 6.5, 8.0};
static const double role_select[6] = {0.0, 0.1, 0.15, 0.2, -0.15, -0.4};

/* The selection model's intercept is calibrated on a pilot of learners from
 * streams no data set uses (index 2^40 + k; data sets use at most 2^32 + 1),
 * under a fixed seed: it depends on the options only, not on the seed. */
#define PILOT_SEED 0x5eedULL
#define PILOT_INDEX ((uint64_t)1 << 40)
#define PILOT_N 20000

void attrib_simulate_options_init(attrib_simulate_options *o) {
  memset(o, 0, sizeof *o);
  o->design = ATTRIB_SIM_COHORT;
  o->rows = 2000;
  o->periods = 8;
  o->seed = 1;
  o->effect = 2.0;
  o->heterogeneity = NAN;
  o->treated_share = NAN;
  o->selection = 1.0;
  o->pretrend = 0.0;
  o->adoption = ATTRIB_SIM_STAGGERED;
  attrib_roi_input_init(&o->roi);
}

static double het_of(const attrib_simulate_options *o) {
  return isnan(o->heterogeneity) ? (o->design == ATTRIB_SIM_PANEL ? 1.0 : 0.0) : o->heterogeneity;
}

static double share_of(const attrib_simulate_options *o) {
  return isnan(o->treated_share) ? (o->design == ATTRIB_SIM_PANEL ? 0.6 : 0.3) : o->treated_share;
}

attrib_status attrib_simulate_check(const attrib_simulate_options *o, attrib_error *err) {
  if (!o) return attrib__fail(err, ATTRIB_EINVAL, "simulate: NULL options");
  if (o->design != ATTRIB_SIM_COHORT && o->design != ATTRIB_SIM_PANEL)
    return attrib__fail(err, ATTRIB_EINVAL, "simulate: unknown design");
  if (o->rows < 2) return attrib__fail(err, ATTRIB_EINVAL, "rows must be at least 2 (got %zu)", o->rows);
  if (o->rows > (size_t)1 << 32)
    return attrib__fail(err, ATTRIB_EINVAL, "rows must be at most 4294967296");
  if (o->design == ATTRIB_SIM_PANEL && (o->periods < 4 || o->periods > 1000))
    return attrib__fail(err, ATTRIB_EINVAL, "periods must be between 4 and 1000 (got %zu)", o->periods);
  if (o->teams > o->rows)
    return attrib__fail(err, ATTRIB_EINVAL, "teams (%zu) cannot exceed rows (%zu)", o->teams, o->rows);
  if (o->teams == 1) return attrib__fail(err, ATTRIB_EINVAL, "teams must be at least 2 (clusters)");
  /* sales are about 50 a learner: an effect of 1e308 made sales of inf
   * (printed with 300 digits) and a true ATT of inf with exit 0 (issue
   * 15); 1e9 leaves room for any unit of money and keeps every square finite */
  if (!(fabs(o->effect) <= 1e9))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "simulate.effect",
                               "the effect must be a finite number between -1e9 and 1e9 (sales are about 50 a "
                               "learner), got %g", o->effect);
  if (!isnan(o->heterogeneity) && !isfinite(o->heterogeneity))
    return attrib__fail(err, ATTRIB_EINVAL, "heterogeneity must be a finite number");
  if (!isnan(o->treated_share) && !(o->treated_share >= 0.01 && o->treated_share <= 0.99))
    return attrib__fail(err, ATTRIB_EINVAL, "treated share must lie in [0.01, 0.99] (got %g)", o->treated_share);
  if (!(isfinite(o->selection) && o->selection >= 0.0))
    return attrib__fail(err, ATTRIB_EINVAL, "selection must be a number >= 0 (got %g)", o->selection);
  if (!isfinite(o->pretrend)) return attrib__fail(err, ATTRIB_EINVAL, "pretrend must be a finite number");
  if (o->design == ATTRIB_SIM_COHORT && (o->pretrend != 0.0 || o->adoption != ATTRIB_SIM_STAGGERED))
    return attrib__fail(err, ATTRIB_EINVAL, "pretrend and adoption apply to the panel design");
  if (!(fabs(o->role_step) <= 1e9))
    return attrib__fail_option(err, ATTRIB_EUSAGE, "simulate.role_step",
                               "the effect's step by role must be a finite number between -1e9 and 1e9, got %g",
                               o->role_step);
  if (o->design == ATTRIB_SIM_PANEL && o->role_step != 0.0)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "simulate.role_step", "an effect by role applies to the cohort design");
  if (o->design == ATTRIB_SIM_PANEL && o->selection != 1.0)
    return attrib__fail(err, ATTRIB_EINVAL, "selection applies to the cohort design");
  if (o->adoption != ATTRIB_SIM_STAGGERED && o->adoption != ATTRIB_SIM_SINGLE)
    return attrib__fail(err, ATTRIB_EINVAL, "simulate: unknown adoption");
  return ATTRIB_OK;
}

static size_t n_teams(const attrib_simulate_options *o) {
  if (o->teams) return o->teams;
  size_t g = o->rows / 25;
  return g < 2 ? 2 : g;
}

static size_t draw_role(gsl_rng *r) {
  double u = gsl_rng_uniform(r), acc = 0.0;
  for (size_t k = 0; k < 5; k++) {
    acc += role_prob[k];
    if (u < acc) return k;
  }
  return 5;
}

static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

/* the intercept a with mean(logistic(a + lin[k])) = share, by bisection
 * (the mean is increasing in a) */
static double solve_intercept(const double *lin, size_t n, double share) {
  double lo = -60.0, hi = 60.0;
  for (int it = 0; it < 200 && hi - lo > 1e-13; it++) {
    double a = 0.5 * (lo + hi), m = 0.0;
    for (size_t k = 0; k < n; k++) m += logistic(a + lin[k]);
    if (m / (double)n < share) lo = a;
    else hi = a;
  }
  return 0.5 * (lo + hi);
}

/* ---- cohort design --------------------------------------------------- */

typedef struct cohort_learner {
  size_t team, region, role;
  double tenure, age, edu, prior, eng, eng_z, rating, quota, territory, calls, tickets, certs;
  int remote, trained, churned;
  double hours, tau, sales;
} cohort_learner;

/* the covariates, in the order of the stream's draws */
static void cohort_covariates(gsl_rng *r, size_t G, cohort_learner *x) {
  x->team = gsl_rng_uniform_int(r, G);
  x->role = draw_role(r);
  x->tenure = gsl_ran_gamma(r, 2.0, 2.0);
  x->age = 22.0 + x->tenure + gsl_ran_gamma(r, 3.0, 3.0);
  x->edu = 12.0 + (double)gsl_ran_poisson(r, 4.0);
  x->prior = 0.1 * (x->tenure - 4.0) + gsl_ran_gaussian(r, 1.0);
  x->eng = 100.0 * gsl_ran_beta(r, 2.0, 2.0);
  x->eng_z = (x->eng - 50.0) / 22.4; /* Beta(2, 2) has SD 1 / sqrt(20): 100 / sqrt(20) = 22.4 */
}

/* the selection index without its intercept, times the selection strength */
static double cohort_index(const cohort_learner *x, double selection) {
  return selection * (0.6 * x->prior + 0.9 * x->eng_z + 0.1 * (x->tenure - 4.0) + role_select[x->role]);
}

/* Learner i: every draw from its own stream (r is re-keyed by the caller). */
static void cohort_draw(gsl_rng *r, const attrib_simulate_options *o, size_t G, const double *ue, const size_t *reg,
                        double intercept, double het, cohort_learner *x) {
  cohort_covariates(r, G, x);
  x->region = reg[x->team];
  x->rating = round(3.0 + 0.5 * x->prior + gsl_ran_gaussian(r, 0.7));
  x->rating = x->rating < 1 ? 1 : x->rating > 5 ? 5 : x->rating;
  x->quota = 100.0 + 5.0 * (double)x->role + gsl_ran_gaussian(r, 15.0);
  x->territory = exp(3.0 + gsl_ran_gaussian(r, 0.5));
  double mu = 40.0 + 5.0 * x->eng_z;
  x->calls = (double)gsl_ran_poisson(r, mu > 1.0 ? mu : 1.0);
  x->tickets = (double)gsl_ran_poisson(r, 3.0);
  x->certs = (double)gsl_ran_poisson(r, 0.3 * x->tenure);
  x->remote = gsl_rng_uniform(r) < 0.3;
  /* selection on observables */
  x->trained = gsl_rng_uniform(r) < logistic(intercept + cohort_index(x, o->selection));
  x->hours = x->trained ? 8.0 + gsl_ran_gamma(r, 2.0, 4.0) : 0.0;
  x->tau = o->effect * (1.0 + het * x->eng_z) + o->role_step * (double)x->role;
  x->sales = 50.0 + 4.0 * x->prior + 3.0 * x->eng_z + 0.8 * x->tenure + role_effect[x->role] + region_effect[x->region] +
             ue[x->team] + 0.1 * (x->calls - 40.0) + 0.02 * (x->quota - 100.0) + x->tau * x->trained +
             gsl_ran_gaussian(r, 8.0);
  double churn_lin = -1.5 - 0.3 * x->prior - 0.4 * x->eng_z - 0.6 * x->trained + 0.05 * x->tickets;
  x->churned = gsl_rng_uniform(r) < logistic(churn_lin);
}

/* re-key r to stream (seed, SIM_LEARNER, index) */
static gsl_rng *stream(gsl_rng *old, uint64_t seed, uint64_t index) {
  if (old) gsl_rng_free(old);
  return attrib__rng_gsl(seed, ATTRIB__RNG_SIM_LEARNER, index);
}

static int cohort_intercept(const attrib_simulate_options *o, double *a) {
  double *lin = attrib__malloc(PILOT_N, sizeof *lin);
  if (!lin) return -2;
  gsl_rng *r = NULL;
  for (size_t k = 0; k < PILOT_N; k++) {
    if (!(r = stream(r, PILOT_SEED, PILOT_INDEX + k))) {
      attrib__free(lin);
      return -2;
    }
    cohort_learner x;
    cohort_covariates(r, 2, &x);
    lin[k] = cohort_index(&x, o->selection);
  }
  gsl_rng_free(r);
  *a = solve_intercept(lin, PILOT_N, share_of(o));
  attrib__free(lin);
  return 0;
}

/* The teams: effects u_g ~ N(0, 1.5^2) and regions, from stream 0. */
static int draw_teams(const attrib_simulate_options *o, double **ue, size_t **reg) {
  size_t G = n_teams(o);
  *ue = attrib__malloc(G, sizeof **ue);
  *reg = attrib__malloc(G, sizeof **reg);
  gsl_rng *r = stream(NULL, o->seed, 0);
  if (!*ue || !*reg || !r) {
    gsl_rng_free(r);
    return -2;
  }
  for (size_t g = 0; g < G; g++) {
    (*ue)[g] = gsl_ran_gaussian(r, 1.5);
    (*reg)[g] = gsl_rng_uniform_int(r, 8);
  }
  gsl_rng_free(r);
  return 0;
}

/* Visits every learner of the cohort design (write or truth). */
typedef int (*cohort_visit)(void *ctx, size_t i, const cohort_learner *x);

static int cohort_run(const attrib_simulate_options *o, double *intercept, cohort_visit visit, void *ctx) {
  double *ue = NULL;
  size_t *reg = NULL;
  gsl_rng *r = NULL;
  int rc = cohort_intercept(o, intercept);
  if (!rc) rc = draw_teams(o, &ue, &reg);
  double het = het_of(o);
  for (size_t i = 0; !rc && i < o->rows; i++) {
    if (!(r = stream(r, o->seed, (uint64_t)i + 1))) {
      rc = -2;
      break;
    }
    cohort_learner x;
    cohort_draw(r, o, n_teams(o), ue, reg, *intercept, het, &x);
    rc = visit(ctx, i, &x);
  }
  gsl_rng_free(r);
  attrib__free(ue);
  attrib__free(reg);
  return rc;
}

static int cohort_write_row(void *ctx, size_t i, const cohort_learner *x) {
  FILE *out = ctx;
  return fprintf(out, "%zu,%zu,%s,%s,%.2f,%.0f,%.0f,%.3f,%.1f,%.0f,%.1f,%.1f,%.0f,%.0f,%.0f,%d,%d,%.1f,%.2f,%d\n", i + 1,
                 x->team + 1, regions[x->region], roles[x->role], x->tenure, floor(x->age), x->edu, x->prior, x->eng,
                 x->rating, x->quota, x->territory, x->calls, x->tickets, x->certs, x->remote, x->trained, x->hours,
                 x->sales, x->churned) < 0
             ? -1
             : 0;
}

static int write_cohort(FILE *out, const attrib_simulate_options *o) {
  if (fprintf(out, "learner_id,team,region,role,tenure,age,education_years,prior_perf,"
                   "engagement,manager_rating,quota,territory_size,calls_per_week,tickets,"
                   "certifications,remote,trained,training_hours,sales,churned\n") < 0)
    return -1;
  double a;
  return cohort_run(o, &a, cohort_write_row, out);
}

typedef struct cohort_sums {
  double tau_treated, tau_all;
  size_t n_treated;
  double role_treated[6], role_all[6];
  size_t role_n[6], role_nt[6];
} cohort_sums;

static int cohort_truth_row(void *ctx, size_t i, const cohort_learner *x) {
  cohort_sums *s = ctx;
  (void)i;
  s->tau_all += x->tau;
  if (x->trained) s->tau_treated += x->tau, s->n_treated++;
  s->role_all[x->role] += x->tau, s->role_n[x->role]++;
  if (x->trained) s->role_treated[x->role] += x->tau, s->role_nt[x->role]++;
  return 0;
}

/* ---- panel design ---------------------------------------------------- */

/* Cohorts (first treated periods): staggered 3, 5, 7 (those <= T - 1, at
 * most three); a single adoption date T / 2 + 1. */
static size_t panel_cohorts(const attrib_simulate_options *o, size_t *g) {
  size_t T = o->periods, n = 0;
  g[0] = g[1] = g[2] = 0;
  if (o->adoption == ATTRIB_SIM_SINGLE) {
    g[0] = T / 2 + 1;
    return 1;
  }
  for (size_t c = 3; c <= T - 1 && n < 3; c += 2) g[n++] = c;
  return n;
}

/* Cohort heterogeneity: earlier cohorts gain more (1.5, 1.0, 0.5 at H = 1). */
static double cohort_scale(size_t idx, size_t n, double het) {
  if (n == 1) return 1.0;
  return 1.0 + het * (0.5 - (double)idx / (double)(n - 1));
}

static double panel_tau(double effect, double het, size_t gi, size_t ng, size_t g, size_t t) {
  if (t < g) return 0.0;
  return effect * cohort_scale(gi, ng, het) * (1.0 + 0.25 * het * (double)(t - g));
}

/* The latent z = 0.5 prior + N(0, 1) drives both treatment and timing; P(ever
 * treated) = logistic(a + 0.8 z), with a set so that the population share
 * is treated_share: E over z ~ N(0, 1.25) by Simpson's rule (no draws). */
#define PANEL_SELECT 0.8
static double panel_intercept(double share) {
  enum { M = 4000 };
  static const double sd = 1.118033988749895; /* sqrt(1.25) */
  double lo = -60.0, hi = 60.0;
  for (int it = 0; it < 200 && hi - lo > 1e-13; it++) {
    double a = 0.5 * (lo + hi), s = 0.0, h = 16.0 * sd / M;
    for (int k = 0; k <= M; k++) {
      double z = -8.0 * sd + h * k, w = k == 0 || k == M ? 1.0 : k % 2 ? 4.0 : 2.0;
      s += w * logistic(a + PANEL_SELECT * z) * exp(-0.5 * z * z / 1.25);
    }
    s *= h / 3.0 / (sd * 2.5066282746310002);
    if (s < share) lo = a;
    else hi = a;
  }
  return 0.5 * (lo + hi);
}

typedef struct panel_unit {
  size_t team, region, role, cohort_idx; /* cohort_idx == ng: never treated */
  double alpha, tenure, prior;
} panel_unit;

static void draw_panel_unit(gsl_rng *r, size_t G, size_t ng, const size_t *team_region, double intercept,
                            panel_unit *u) {
  u->team = gsl_rng_uniform_int(r, G);
  u->region = team_region[u->team];
  u->role = draw_role(r);
  u->tenure = gsl_ran_gamma(r, 2.0, 2.0);
  u->prior = gsl_ran_gaussian(r, 1.0);
  u->alpha = 2.0 * u->prior + role_effect[u->role] + gsl_ran_gaussian(r, 2.0);
  /* Higher-z learners are trained more often and earlier; z shares prior_perf
   * with the level alpha, so the groups' levels differ (unit fixed effects
   * absorb them; trends are parallel unless pretrend is set). */
  double z = 0.5 * u->prior + gsl_ran_gaussian(r, 1.0);
  double q = logistic(intercept + PANEL_SELECT * z);
  if (gsl_rng_uniform(r) >= q) {
    u->cohort_idx = ng;
  } else {
    size_t idx = (size_t)((1.0 - logistic(z)) * (double)ng); /* high z -> earliest cohort */
    u->cohort_idx = idx >= ng ? ng - 1 : idx;
  }
}

typedef int (*panel_visit)(void *ctx, size_t i, const panel_unit *u, uint64_t noise_key);

static int panel_run(const attrib_simulate_options *o, panel_visit visit, void *ctx) {
  size_t G = n_teams(o), g[3], ng = panel_cohorts(o, g);
  double *ue = NULL, a = panel_intercept(share_of(o));
  size_t *reg = NULL;
  gsl_rng *r = NULL;
  int rc = draw_teams(o, &ue, &reg);
  for (size_t i = 0; !rc && i < o->rows; i++) {
    if (!(r = stream(r, o->seed, (uint64_t)i + 1))) {
      rc = -2;
      break;
    }
    panel_unit u;
    draw_panel_unit(r, G, ng, reg, a, &u);
    rc = visit(ctx, i, &u, attrib__rng_key(o->seed, ATTRIB__RNG_SIM_PERIOD, i));
  }
  gsl_rng_free(r);
  attrib__free(ue);
  attrib__free(reg);
  return rc;
}

typedef struct panel_writer {
  FILE *out;
  const attrib_simulate_options *o;
  size_t g[3], ng;
  double het;
} panel_writer;

static int panel_write_unit(void *ctx, size_t i, const panel_unit *u, uint64_t noise_key) {
  const panel_writer *w = ctx;
  size_t T = w->o->periods, cohort = u->cohort_idx < w->ng ? w->g[u->cohort_idx] : 0;
  for (size_t t = 1; t <= T; t++) {
    double lambda = 0.6 * (double)t + 1.5 * sin((double)t);
    double tau = cohort ? panel_tau(w->o->effect, w->het, u->cohort_idx, w->ng, cohort, t) : 0.0;
    double trend = cohort ? w->o->pretrend * (double)t : 0.0;
    double y = 50.0 + u->alpha + lambda + trend + tau + 2.0 * attrib__rng_normal(attrib__rng_bits(noise_key, t - 1));
    if (fprintf(w->out, "%zu,%zu,%zu,%zu,%d,%s,%s,%.2f,%.3f,%.3f\n", i + 1, u->team + 1, t, cohort,
                cohort && t >= cohort, roles[u->role], regions[u->region], u->tenure + (double)(t - 1) / 12.0, u->prior,
                y) < 0)
      return -1;
  }
  return 0;
}

static int write_panel(FILE *out, const attrib_simulate_options *o) {
  panel_writer w = {out, o, {0}, 0, het_of(o)};
  w.ng = panel_cohorts(o, w.g);
  if (fprintf(out, "learner_id,team,period,cohort,treated,role,region,tenure,prior_perf,sales\n") < 0) return -1;
  return panel_run(o, panel_write_unit, &w);
}

typedef struct panel_counts {
  size_t ng, *size, never;
} panel_counts;

static int panel_count_unit(void *ctx, size_t i, const panel_unit *u, uint64_t noise_key) {
  panel_counts *c = ctx;
  (void)i, (void)noise_key;
  if (u->cohort_idx < c->ng) c->size[u->cohort_idx]++;
  else c->never++;
  return 0;
}

/* ---- entry points ------------------------------------------------------ */

attrib_status attrib_simulate_write(FILE *out, const attrib_simulate_options *o, attrib_error *err) {
  ATTRIB__TRY(attrib_simulate_check(o, err));
  int rc = o->design == ATTRIB_SIM_COHORT ? write_cohort(out, o) : write_panel(out, o);
  if (rc == -2) return attrib__fail(err, ATTRIB_ENOMEM, "simulate: out of memory");
  if (rc != 0 || ferror(out)) return attrib__fail(err, ATTRIB_EIO, "simulate: write failed");
  return ATTRIB_OK;
}

void attrib_simulate_truth_free(attrib_simulate_truth *t) {
  if (!t) return;
  attrib__free(t->group);
  attrib__free(t->event_att);
  attrib__free(t->att_gt);
  attrib__free(t->group_size);
  attrib__free(t);
}

static attrib_status panel_truth(const attrib_simulate_options *o, attrib_simulate_truth *t, attrib_error *err) {
  size_t T = o->periods, g[3], ng = panel_cohorts(o, g);
  double het = het_of(o);
  t->n_groups = ng;
  t->periods = T;
  t->intercept = panel_intercept(share_of(o));
  t->group = attrib__calloc(ng, sizeof *t->group);
  t->group_size = attrib__calloc(ng, sizeof *t->group_size);
  t->att_gt = attrib__calloc(ng * T, sizeof *t->att_gt);
  t->n_event = T - g[0] + 1;
  t->event_att = attrib__calloc(t->n_event, sizeof *t->event_att);
  if (!t->group || !t->group_size || !t->att_gt || !t->event_att)
    return attrib__fail(err, ATTRIB_ENOMEM, "simulate: out of memory");
  panel_counts c = {ng, t->group_size, 0};
  if (panel_run(o, panel_count_unit, &c)) return attrib__fail(err, ATTRIB_ENOMEM, "simulate: out of memory");
  t->never_treated = c.never;
  double num = 0.0, den = 0.0;
  for (size_t k = 0; k < ng; k++) {
    t->group[k] = (double)g[k];
    t->n_treated += t->group_size[k];
    for (size_t p = 1; p <= T; p++) {
      double tau = p >= g[k] ? panel_tau(o->effect, het, k, ng, g[k], p) : NAN;
      t->att_gt[k * T + (p - 1)] = tau;
      if (p >= g[k]) num += (double)t->group_size[k] * tau, den += (double)t->group_size[k];
    }
  }
  t->att = den > 0 ? num / den : NAN;
  for (size_t e = 0; e < t->n_event; e++) {
    double a = 0.0, b = 0.0;
    for (size_t k = 0; k < ng; k++)
      if (g[k] + e <= T) {
        a += (double)t->group_size[k] * panel_tau(o->effect, het, k, ng, g[k], g[k] + e);
        b += (double)t->group_size[k];
      }
    t->event_att[e] = b > 0 ? a / b : NAN;
  }
  return ATTRIB_OK;
}

/* the ROI at the true ATT, with the learners trained in the data unless given */
static attrib_status truth_roi(const attrib_simulate_options *o, attrib_simulate_truth *t, attrib_error *err) {
  attrib_roi_input in = o->roi;
  in.effect = t->att, in.se = 0.0, in.has_effect = 1, in.draws = NULL, in.n_draws = 0;
  if (!(in.learners > 0)) in.learners = (double)t->n_treated;
  attrib_roi_result *r = NULL;
  attrib_error e;
  attrib_error_clear(&e);
  attrib_status s = attrib_roi_compute(&in, &r, &e);
  if (s) return attrib__fail(err, s, "simulate: the true ROI: %s", e.message);
  t->has_roi = 1;
  t->roi_learners = in.learners;
  t->roi_pct = r->roi_pct, t->roi_benefit = r->benefit_total, t->roi_cost = r->cost_total;
  t->roi_net_benefit = r->net_benefit;
  attrib_roi_result_free(r);
  return ATTRIB_OK;
}

attrib_status attrib_simulate_truth_compute(const attrib_simulate_options *o, attrib_simulate_truth **out,
                                            attrib_error *err) {
  *out = NULL;
  ATTRIB__TRY(attrib_simulate_check(o, err));
  attrib_simulate_truth *t = attrib__calloc(1, sizeof *t);
  if (!t) return attrib__fail(err, ATTRIB_ENOMEM, "simulate: out of memory");
  t->n_learners = o->rows;
  t->heterogeneity = het_of(o), t->treated_share = share_of(o);
  t->ate = NAN;
  attrib_status s = ATTRIB_OK;
  if (o->design == ATTRIB_SIM_COHORT) {
    cohort_sums c = {0};
    if (cohort_run(o, &t->intercept, cohort_truth_row, &c)) s = attrib__fail(err, ATTRIB_ENOMEM, "simulate: out of memory");
    t->n_treated = c.n_treated;
    t->att = c.n_treated ? c.tau_treated / (double)c.n_treated : NAN;
    t->ate = c.tau_all / (double)o->rows;
    for (size_t k = 0; k < 6; k++) {
      t->role_name[k] = roles[k];
      t->role_n[k] = c.role_n[k], t->role_treated[k] = c.role_nt[k];
      t->role_att[k] = c.role_nt[k] ? c.role_treated[k] / (double)c.role_nt[k] : NAN;
      t->role_ate[k] = c.role_n[k] ? c.role_all[k] / (double)c.role_n[k] : NAN;
    }
  } else {
    s = panel_truth(o, t, err);
  }
  if (!s && o->has_roi && isfinite(t->att)) s = truth_roi(o, t, err);
  if (s) {
    attrib_simulate_truth_free(t);
    return s;
  }
  *out = t;
  return ATTRIB_OK;
}
