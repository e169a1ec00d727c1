/*
 * Data-generating processes with known effects (docs/methods/simulate.md).
 *
 * Two GSL mt19937 streams: one for learner-level draws (seeded with seed)
 * and one for period-level noise (seeded with a value derived from seed), so
 * the truth of a panel (its realised cohort sizes) can be recomputed by
 * replaying the learner stream alone. Numbers are printed at fixed
 * precision in the C locale: same options, same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <attrib/simulate.h>
#include "core/attrib_internal.h"

static const char *const regions[8] = {"Central", "Coastal", "East",  "Metro",
                                       "North",   "Rural",   "South", "West"};
static const double region_effect[8] = {0.0, 1.5, -1.0, 3.0, 0.5, -2.5, -0.5, 1.0};
static const char *const roles[6] = {"Associate", "Specialist", "Senior", "Lead", "Manager", "Director"};
static const double role_prob[6] = {0.35, 0.25, 0.15, 0.10, 0.10, 0.05};
static const double role_effect[6] = {0.0, 2.0, 4.0, 5.0, 6.5, 8.0};
static const double role_select[6] = {0.0, 0.1, 0.2, 0.3, -0.2, -0.5};

void attrib_simulate_options_init(attrib_simulate_options *o) {
  memset(o, 0, sizeof *o);
  o->design = ATTRIB_SIM_COHORT;
  o->rows = 2000;
  o->periods = 8;
  o->seed = 1;
  o->effect = 2.0;
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
  if (!isfinite(o->effect)) return attrib__fail(err, ATTRIB_EINVAL, "effect must be a finite number");
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

/* Staggered cohorts: first treated periods 3, 5, 7, ... (at most 3). */
static size_t panel_cohorts(size_t T, size_t *g) {
  size_t n = 0;
  for (size_t c = 3; c <= T - 1 && n < 3; c += 2) g[n++] = c;
  return n;
}

/* Cohort heterogeneity: earlier cohorts gain more (1.5, 1.0, 0.5). */
static double cohort_scale(size_t idx, size_t n) {
  if (n == 1) return 1.0;
  return 1.5 - (double)idx / (double)(n - 1);
}

static double panel_tau(double effect, size_t gi, size_t ng, size_t g, size_t t) {
  if (t < g) return 0.0;
  return effect * cohort_scale(gi, ng) * (1.0 + 0.25 * (double)(t - g));
}

/* Learner-level panel draws, shared by the writer and the truth. */
typedef struct panel_unit {
  size_t team, region, role, cohort_idx; /* cohort_idx == ng: never treated */
  double alpha, tenure, prior;
} panel_unit;

static void draw_panel_unit(gsl_rng *r, const attrib_simulate_options *o, size_t ng,
                            const size_t *team_region, panel_unit *u) {
  size_t G = n_teams(o);
  u->team = gsl_rng_uniform_int(r, G);
  u->region = team_region[u->team];
  u->role = draw_role(r);
  u->tenure = gsl_ran_gamma(r, 2.0, 2.0);
  u->prior = gsl_ran_gaussian(r, 1.0);
  u->alpha = 2.0 * u->prior + role_effect[u->role] + gsl_ran_gaussian(r, 2.0);
  /* Higher-alpha learners are trained earlier: levels differ by cohort, which
   * unit fixed effects absorb (parallel trends hold by construction). */
  double z = 0.5 * u->prior + gsl_ran_gaussian(r, 1.0);
  double p_never = 0.4;
  double u01 = gsl_rng_uniform(r);
  if (u01 < p_never) {
    u->cohort_idx = ng;
  } else {
    /* ordered by z: high z -> earliest cohort */
    double q = logistic(z);
    size_t idx = (size_t)((1.0 - q) * (double)ng);
    u->cohort_idx = idx >= ng ? ng - 1 : idx;
  }
}

static int write_cohort(FILE *out, const attrib_simulate_options *o, gsl_rng *r) {
  size_t G = n_teams(o);
  /* team effects and regions, drawn up front */
  double *ue = attrib__malloc(G, sizeof *ue);
  size_t *reg = attrib__malloc(G, sizeof *reg);
  if (!ue || !reg) {
    attrib__free(ue);
    attrib__free(reg);
    return -2;
  }
  for (size_t g = 0; g < G; g++) {
    ue[g] = gsl_ran_gaussian(r, 1.5);
    reg[g] = gsl_rng_uniform_int(r, 8);
  }
  int bad = fprintf(out, "learner_id,team,region,role,tenure,age,education_years,prior_perf,"
                         "engagement,manager_rating,quota,territory_size,calls_per_week,tickets,"
                         "certifications,remote,trained,training_hours,sales,churned\n") < 0;
  for (size_t i = 0; i < o->rows && !bad; i++) {
    size_t team = gsl_rng_uniform_int(r, G);
    size_t region = reg[team];
    size_t role = draw_role(r);
    double tenure = gsl_ran_gamma(r, 2.0, 2.0);
    double age = 22.0 + tenure + gsl_ran_gamma(r, 3.0, 3.0);
    double edu = 12.0 + (double)gsl_ran_poisson(r, 4.0);
    double prior = 0.1 * (tenure - 4.0) + gsl_ran_gaussian(r, 1.0);
    double eng = 100.0 * gsl_ran_beta(r, 2.0, 2.0);
    double eng_z = (eng - 50.0) / 22.4;
    double rating = round(3.0 + 0.5 * prior + gsl_ran_gaussian(r, 0.7));
    rating = rating < 1 ? 1 : rating > 5 ? 5 : rating;
    double quota = 100.0 + 5.0 * (double)role + gsl_ran_gaussian(r, 15.0);
    double territory = exp(3.0 + gsl_ran_gaussian(r, 0.5));
    double calls = (double)gsl_ran_poisson(r, 40.0 + 5.0 * eng_z > 1.0 ? 40.0 + 5.0 * eng_z : 1.0);
    double tickets = (double)gsl_ran_poisson(r, 3.0);
    double certs = (double)gsl_ran_poisson(r, 0.3 * tenure);
    int remote = gsl_rng_uniform(r) < 0.3;
    /* selection on observables */
    double lin = -1.2 + 0.8 * prior + 1.2 * eng_z + 0.15 * (tenure - 4.0) + role_select[role];
    int trained = gsl_rng_uniform(r) < logistic(lin);
    double hours = trained ? 8.0 + gsl_ran_gamma(r, 2.0, 4.0) : 0.0;
    double sales = 50.0 + 4.0 * prior + 3.0 * eng_z + 0.8 * tenure + role_effect[role] +
                   region_effect[region] + ue[team] + 0.1 * (calls - 40.0) + 0.02 * (quota - 100.0) +
                   o->effect * trained + gsl_ran_gaussian(r, 8.0);
    double churn_lin = -1.5 - 0.3 * prior - 0.4 * eng_z - 0.6 * trained + 0.05 * tickets;
    int churned = gsl_rng_uniform(r) < logistic(churn_lin);
    bad = fprintf(out, "%zu,%zu,%s,%s,%.2f,%.0f,%.0f,%.3f,%.1f,%.0f,%.1f,%.1f,%.0f,%.0f,%.0f,%d,%d,%.1f,%.2f,%d\n",
                  i + 1, team + 1, regions[region], roles[role], tenure, floor(age), edu, prior, eng,
                  rating, quota, territory, calls, tickets, certs, remote, trained, hours, sales,
                  churned) < 0;
  }
  attrib__free(ue);
  attrib__free(reg);
  return bad ? -1 : 0;
}

static gsl_rng *rng_seeded(unsigned long seed) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (r) gsl_rng_set(r, seed);
  return r;
}

/* Period-noise stream: a fixed odd offset keeps it apart from the learner stream. */
static unsigned long noise_seed(unsigned long seed) { return seed * 2654435761ul + 0x9e3779b9ul; }

static int draw_team_regions(gsl_rng *r, size_t G, size_t *team_region) {
  for (size_t g = 0; g < G; g++) team_region[g] = gsl_rng_uniform_int(r, 8);
  return 0;
}

static int write_panel(FILE *out, const attrib_simulate_options *o, gsl_rng *r, gsl_rng *noise) {
  size_t T = o->periods, G = n_teams(o);
  size_t g[3];
  size_t ng = panel_cohorts(T, g);
  size_t *team_region = attrib__malloc(G, sizeof *team_region);
  if (!team_region) return -2;
  draw_team_regions(r, G, team_region);
  int bad = fprintf(out, "learner_id,team,period,cohort,treated,role,region,tenure,prior_perf,sales\n") < 0;
  for (size_t i = 0; i < o->rows && !bad; i++) {
    panel_unit u;
    draw_panel_unit(r, o, ng, team_region, &u);
    size_t cohort = u.cohort_idx < ng ? g[u.cohort_idx] : 0;
    for (size_t t = 1; t <= T && !bad; t++) {
      double lambda = 0.6 * (double)t + 1.5 * sin((double)t);
      double tau = cohort ? panel_tau(o->effect, u.cohort_idx, ng, cohort, t) : 0.0;
      double y = 50.0 + u.alpha + lambda + tau + gsl_ran_gaussian(noise, 2.0);
      bad = fprintf(out, "%zu,%zu,%zu,%zu,%d,%s,%s,%.2f,%.3f,%.3f\n", i + 1, u.team + 1, t, cohort,
                    cohort && t >= cohort, roles[u.role], regions[u.region],
                    u.tenure + (double)(t - 1) / 12.0, u.prior, y) < 0;
    }
  }
  attrib__free(team_region);
  return bad ? -1 : 0;
}

attrib_status attrib_simulate_write(FILE *out, const attrib_simulate_options *o, attrib_error *err) {
  ATTRIB__TRY(attrib_simulate_check(o, err));
  gsl_rng *r = rng_seeded(o->seed);
  gsl_rng *noise = rng_seeded(noise_seed(o->seed));
  if (!r || !noise) {
    gsl_rng_free(r);
    gsl_rng_free(noise);
    return attrib__fail(err, ATTRIB_ENOMEM, "simulate: out of memory");
  }
  int rc = o->design == ATTRIB_SIM_COHORT ? write_cohort(out, o, r) : write_panel(out, o, r, noise);
  gsl_rng_free(r);
  gsl_rng_free(noise);
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

attrib_status attrib_simulate_truth_compute(const attrib_simulate_options *o, attrib_simulate_truth **out,
                                            attrib_error *err) {
  ATTRIB__TRY(attrib_simulate_check(o, err));
  *out = NULL;
  attrib_simulate_truth *t = attrib__calloc(1, sizeof *t);
  if (!t) return attrib__fail(err, ATTRIB_ENOMEM, "simulate: out of memory");
  if (o->design == ATTRIB_SIM_COHORT) {
    t->att = o->effect;
    *out = t;
    return ATTRIB_OK;
  }
  size_t T = o->periods, G = n_teams(o), g[3];
  size_t ng = panel_cohorts(T, g);
  t->n_groups = ng;
  t->periods = T;
  t->group = attrib__calloc(ng, sizeof *t->group);
  t->group_size = attrib__calloc(ng, sizeof *t->group_size);
  t->att_gt = attrib__calloc(ng * T, sizeof *t->att_gt);
  t->n_event = T - g[0] + 1;
  t->event_att = attrib__calloc(t->n_event, sizeof *t->event_att);
  size_t *team_region = attrib__malloc(G, sizeof *team_region);
  gsl_rng *r = rng_seeded(o->seed);
  if (!t->group || !t->group_size || !t->att_gt || !t->event_att || !team_region || !r) {
    attrib__free(team_region);
    gsl_rng_free(r);
    attrib_simulate_truth_free(t);
    return attrib__fail(err, ATTRIB_ENOMEM, "simulate: out of memory");
  }
  draw_team_regions(r, G, team_region);
  for (size_t i = 0; i < o->rows; i++) {
    panel_unit u;
    draw_panel_unit(r, o, ng, team_region, &u);
    if (u.cohort_idx < ng) t->group_size[u.cohort_idx]++;
    else t->never_treated++;
  }
  attrib__free(team_region);
  gsl_rng_free(r);
  double num = 0.0, den = 0.0;
  for (size_t c = 0; c < ng; c++) {
    t->group[c] = (double)g[c];
    for (size_t p = 1; p <= T; p++) {
      double tau = p >= g[c] ? panel_tau(o->effect, c, ng, g[c], p) : NAN;
      t->att_gt[c * T + (p - 1)] = tau;
      if (p >= g[c]) {
        num += (double)t->group_size[c] * tau;
        den += (double)t->group_size[c];
      }
    }
  }
  t->att = den > 0 ? num / den : NAN;
  for (size_t e = 0; e < t->n_event; e++) {
    double a = 0.0, b = 0.0;
    for (size_t c = 0; c < ng; c++)
      if (g[c] + e <= T) {
        a += (double)t->group_size[c] * panel_tau(o->effect, c, ng, g[c], g[c] + e);
        b += (double)t->group_size[c];
      }
    t->event_att[e] = b > 0 ? a / b : NAN;
  }
  *out = t;
  return ATTRIB_OK;
}
