/*
 * ROI translation (include/attrib/roi.h, docs/methods/roi.md).
 *
 * With the costs fixed, ROI is linear in the effect E: ROI(E) = 100 (k E +
 * B_other - C) / C with k = N V A M sum_t (1 - D)^t, so a normal interval
 * for E maps exactly onto ROI and P(ROI > 0) = Phi((E - E_breakeven) / SE).
 * When cost lines carry uncertainty, ROI + 1 = B / C is a ratio of two
 * independent normal quantities, B ~ N(b, s_b^2) and C ~ N(c, s_c^2), and
 * the interval is Fieller's (1954, JRSS B 16, 175-185): the rho with
 * (b - rho c)^2 <= z^2 (s_b^2 + rho^2 s_c^2), bounded when c^2 > z^2 s_c^2
 * (the cost is significantly away from 0). The same equation gives the
 * alpha/2 and 1 - alpha/2 quantiles of the random ratio B / C when C > 0
 * (P(B - rho C <= 0) = Phi((rho c - b) / sqrt(s_b^2 + rho^2 s_c^2))), so the
 * percentile interval of draws of B / C converges to Fieller's: the
 * analytic cross-check reported beside the draws. The delta method is
 * reported too, labelled as an approximation.
 *
 * Draws: the effect's from stream (seed, ATTRIB__RNG_ROI_EFFECT, 0), or the
 * bootstrap replicates given; cost line i's from stream (seed,
 * ATTRIB__RNG_ROI_COST, i), each line on its own (roi.h says why). The two
 * purposes are independent streams: when the CLI drew the effect from an
 * MT19937 seeded with the seed and this file drew the costs from another
 * seeded alike, every effect draw moved with its cost draw and a
 * [-45%, 81%] interval came out as [-0.00%, 0.00%] (issue 12, defect 1).
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/roi.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "data/data_internal.h"

void attrib_roi_input_init(attrib_roi_input *in) {
  memset(in, 0, sizeof *in);
  in->effect = NAN;
  in->se = NAN;
  in->value_per_unit = 1.0;
  in->horizon = 1.0;
  in->attribution = 1.0;
  in->margin = 1.0;
  in->simulations = 10000;
  in->seed = 1;
  in->level = 0.95;
}

void attrib_roi_result_free(attrib_roi_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_benefits; i++) attrib__free(r->benefits[i].name);
  for (size_t i = 0; i < r->n_costs; i++) attrib__free(r->costs[i].name);
  attrib__free(r->benefits);
  attrib__free(r->costs);
  for (size_t i = 0; i < r->n_warnings; i++) attrib__free(r->warnings[i]);
  attrib__free(r->warnings);
  attrib__free(r->roi_draws);
  attrib__free(r->effect_draws);
  attrib__free(r->cost_draws);
  attrib__free(r);
}

attrib_status attrib_roi_amount_parse(const char *s, double *out, attrib_error *err) {
  if (!s || !*s) return attrib__fail(err, ATTRIB_EINVAL, "empty amount");
  /* a copy without the separators, as long as the text (no fixed buffer: a
   * long factor must never be cut short and read as another number) */
  size_t len = strlen(s);
  char *buf = attrib__malloc(len + 1, 1);
  if (!buf) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  double v = 1.0;
  int ok = 1;
  const char *p = s;
  for (;;) {
    size_t n = 0;
    for (; *p && *p != '*'; p++)
      if (*p != ',' && *p != '_' && !isspace((unsigned char)*p)) buf[n++] = *p;
    buf[n] = 0;
    char *end;
    double f = strtod(buf, &end);
    if (!n || *end || !isfinite(f)) ok = 0;
    v *= f;
    if (!ok || *p != '*') break;
    p++;
  }
  attrib__free(buf);
  if (!ok) return attrib__fail(err, ATTRIB_EINVAL, "amount '%s' is not a number or a product such as 200*75", s);
  if (!isfinite(v)) return attrib__fail(err, ATTRIB_EINVAL, "amount '%s' overflows (the product is not finite)", s);
  *out = v;
  return ATTRIB_OK;
}

/* ---- input domains ------------------------------------------------------- */

typedef struct domain {
  const char *name;
  double lo, hi;
  int lo_open, hi_open;
  const char *what;
} domain;

static const domain domains[] = {
    {"learners", 0.0, INFINITY, 1, 1, "a positive number (the learners reached)"},
    {"value_per_unit", -INFINITY, INFINITY, 1, 1, "a finite number (money per unit of the KPI)"},
    {"horizon", 0.0, INFINITY, 1, 1, "a positive number of periods"},
    {"decay", 0.0, 1.0, 0, 1, "in [0, 1) (the share of the effect lost per period)"},
    {"attribution", 0.0, 1.0, 0, 0, "in [0, 1] (the share of the effect credited to the programme)"},
    {"margin", 0.0, 1.0, 0, 0, "in [0, 1] (the contribution margin, a share)"},
    {"cost_per_learner", 0.0, INFINITY, 0, 1, "a non-negative amount"},
    {"periods_per_year", 0.0, INFINITY, 1, 1, "a positive number (52 for weeks, 12 for months)"},
    {"effect", -INFINITY, INFINITY, 1, 1, "a finite number"},
    {"se", 0.0, INFINITY, 0, 1, "a non-negative number"},
    {"level", 0.0, 1.0, 1, 1, "strictly between 0 and 1"},
    {"cost", 0.0, INFINITY, 0, 1, "a non-negative amount (savings are benefit lines)"},
    {"cost_sd", 0.0, INFINITY, 0, 1, "a non-negative number"},
    {"benefit", -INFINITY, INFINITY, 1, 1, "a finite amount"},
};

attrib_status attrib_roi_check_value(const char *input, const char *label, double v, attrib_error *err) {
  if (!input) return attrib__fail(err, ATTRIB_EINVAL, "attrib_roi_check_value: NULL input");
  for (size_t i = 0; i < sizeof domains / sizeof *domains; i++) {
    const domain *d = &domains[i];
    if (strcmp(d->name, input)) continue;
    int ok = isfinite(v) && (d->lo_open ? v > d->lo : v >= d->lo) && (d->hi_open ? v < d->hi : v <= d->hi);
    if (ok) return ATTRIB_OK;
    return attrib__fail(err, ATTRIB_EINVAL, "%s must be %s, got %g", label ? label : input, d->what, v);
  }
  return attrib__fail(err, ATTRIB_EINVAL, "attrib_roi_check_value: unknown input '%s'", input);
}

static int push_line(attrib_roi_line **lines, size_t *n, const char *name, double amount, double sd) {
  attrib_roi_line *l = attrib__realloc(*lines, *n + 1, sizeof *l);
  if (!l) return -1;
  *lines = l;
  if (!(l[*n].name = attrib__strdup(name))) return -1;
  l[*n].amount = amount;
  l[*n].sd = sd;
  (*n)++;
  return 0;
}

/* sum over periods t = 0.. of (1 - D)^t, the last period pro rata when H is fractional */
static double decay_sum(double H, double D) {
  double s = 0.0, f = 1.0;
  for (double t = 0.0; t < H; t += 1.0) {
    s += f * fmin(1.0, H - t);
    f *= 1.0 - D;
  }
  return s;
}

/* fractional periods until cumulative benefit reaches C: the effect's
 * benefit of period t is e0 (1 - D)^t, the other benefits spread evenly */
static double payback(double e0, double D, double other_per_period, double H, double C) {
  double cum = 0.0, f = 1.0;
  for (double t = 0.0; t < H; t += 1.0) {
    double share = fmin(1.0, H - t), b = (e0 * f + other_per_period) * share;
    if (b > 0.0 && cum + b >= C) return t + (C - cum) / b * share;
    cum += b;
    f *= 1.0 - D;
  }
  return INFINITY;
}

/* Fieller's interval for rho = B / C, B ~ N(b, sb^2), C ~ N(c, sc^2)
 * independent (Fieller 1954): the roots of (c^2 - z^2 sc^2) rho^2 - 2 b c
 * rho + b^2 - z^2 sb^2 = 0; bounded only when c^2 > z^2 sc^2. With sc = 0
 * it is (b +- z sb) / c, the exact linear interval. Returns 0 when
 * unbounded. */
static int fieller(double b, double sb, double c, double sc, double z, double *lo, double *hi) {
  double qa = c * c - z * z * sc * sc, qb = -2.0 * b * c, qc = b * b - z * z * sb * sb, disc = qb * qb - 4.0 * qa * qc;
  if (!(qa > 0.0) || !(disc >= 0.0)) return 0;
  /* the stable form of the two roots (no cancellation when b c is large) */
  double sq = sqrt(disc), q = -0.5 * (qb + (qb < 0 ? -sq : sq));
  double r1 = q / qa, r2 = q != 0.0 ? qc / q : r1;
  *lo = fmin(r1, r2), *hi = fmax(r1, r2);
  return 1;
}

/* an uncertain cost line's stream */
typedef struct cost_stream {
  uint64_t key;
  double amount, sd;
} cost_stream;

/* A line's name keys the JSON output's costs and benefits objects and
 * labels the text: it must be UTF-8 text without control bytes (a name
 * that is not was dropped from the JSON, silently, by the JSON library). */
static attrib_status check_line_name(const char *kind, const char *name, attrib_error *err) {
  if (!name) return ATTRIB_OK;
  size_t n = strlen(name), bad = attrib__utf8_invalid(name, n);
  for (size_t i = 0; bad == n && i < n; i++)
    if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F) bad = i;
  if (bad == n) return ATTRIB_OK;
  attrib__sbuf b = {0};
  attrib__sbuf_add_escaped(&b, name, n, ATTRIB__NAME_SHOWN);
  attrib_status s = attrib__fail(err, ATTRIB_EINVAL, "%s line '%s': its name has a byte that is not UTF-8 text at "
                                                     "byte %zu (a control byte, or another encoding such as Latin-1)",
                                 kind, b.s && !b.failed ? b.s : "?", bad + 1);
  attrib__sbuf_free(&b);
  return s;
}

static attrib_status check_inputs(const attrib_roi_input *in, attrib_error *err) {
  if (in->has_effect) ATTRIB__TRY(attrib_roi_check_value("effect", NULL, in->effect, err));
  if (!isnan(in->se)) ATTRIB__TRY(attrib_roi_check_value("se", "the effect's SE", in->se, err));
  if (in->learners != 0.0) ATTRIB__TRY(attrib_roi_check_value("learners", NULL, in->learners, err));
  ATTRIB__TRY(attrib_roi_check_value("value_per_unit", NULL, in->value_per_unit, err));
  ATTRIB__TRY(attrib_roi_check_value("horizon", NULL, in->horizon, err));
  ATTRIB__TRY(attrib_roi_check_value("decay", NULL, in->decay, err));
  ATTRIB__TRY(attrib_roi_check_value("attribution", NULL, in->attribution, err));
  ATTRIB__TRY(attrib_roi_check_value("margin", NULL, in->margin, err));
  ATTRIB__TRY(attrib_roi_check_value("cost_per_learner", NULL, in->cost_per_learner, err));
  if (in->periods_per_year != 0.0) ATTRIB__TRY(attrib_roi_check_value("periods_per_year", NULL, in->periods_per_year, err));
  ATTRIB__TRY(attrib_roi_check_value("level", NULL, in->level, err));
  for (size_t i = 0; i < in->n_costs; i++) ATTRIB__TRY(check_line_name("cost", in->costs[i].name, err));
  for (size_t i = 0; i < in->n_benefits; i++) ATTRIB__TRY(check_line_name("benefit", in->benefits[i].name, err));
  for (size_t i = 0; i < in->n_costs; i++) {
    const attrib_roi_line *l = &in->costs[i];
    attrib_error e;
    attrib_error_clear(&e);
    if (attrib_roi_check_value("cost", "the cost", l->amount, &e) || attrib_roi_check_value("cost_sd", "its sd", l->sd, &e))
      return attrib__fail(err, ATTRIB_EINVAL, "cost line '%s': %s", l->name ? l->name : "", e.message);
  }
  for (size_t i = 0; i < in->n_benefits; i++) {
    attrib_error e;
    attrib_error_clear(&e);
    if (attrib_roi_check_value("benefit", "the amount", in->benefits[i].amount, &e))
      return attrib__fail(err, ATTRIB_EINVAL, "benefit line '%s': %s", in->benefits[i].name ? in->benefits[i].name : "",
                          e.message);
  }
  for (size_t b = 0; in->draws && b < in->n_draws; b++)
    if (!isfinite(in->draws[b])) return attrib__fail(err, ATTRIB_EINVAL, "effect draw %zu is not a finite number", b + 1);
  return ATTRIB_OK;
}

/* The scalars the point estimate and the intervals share. */
typedef struct roi_terms {
  double N, ds, k;              /* learners, the decay sum, benefit per unit of effect */
  double other, cost, cost_var; /* benefit lines' total, costs' total and variance */
  double E;                     /* the effect (0 without one) */
} roi_terms;

/* The lines, totals, ROI, per-learner and annual figures, payback and
 * break-even (docs/methods/roi.md). */
static attrib_status roi_point(const attrib_roi_input *in, attrib_roi_result *r, roi_terms *tm, attrib_error *err) {
  double N = tm->N, ds = tm->ds, k = tm->k;
  double other = 0.0, cost = 0.0, cost_var = 0.0;
  double E = in->has_effect ? in->effect : 0.0;
  if (in->has_effect && push_line(&r->benefits, &r->n_benefits, "effect", in->effect * k, 0.0)) goto oom;
  for (size_t i = 0; i < in->n_benefits; i++) {
    other += in->benefits[i].amount;
    if (push_line(&r->benefits, &r->n_benefits, in->benefits[i].name, in->benefits[i].amount, 0.0)) goto oom;
  }
  for (size_t i = 0; i < in->n_costs; i++) {
    cost += in->costs[i].amount;
    cost_var += in->costs[i].sd * in->costs[i].sd;
    if (push_line(&r->costs, &r->n_costs, in->costs[i].name, in->costs[i].amount, in->costs[i].sd)) goto oom;
  }
  if (in->cost_per_learner != 0.0) {
    cost += N * in->cost_per_learner;
    if (push_line(&r->costs, &r->n_costs, "per_learner", N * in->cost_per_learner, 0.0)) goto oom;
  }
  if (!(cost > 0.0))
    return attrib__fail(err, ATTRIB_EINVAL, "the costs total %g: ROI = (benefit - cost) / cost needs positive costs", cost);
  r->benefit_effect = E * k;
  r->benefit_total = r->benefit_effect + other;
  r->cost_total = cost;
  r->net_benefit = r->benefit_total - cost;
  r->roi_pct = 100.0 * r->net_benefit / cost;
  r->bcr = r->benefit_total / cost;
  /* inputs each within its domain can still multiply past a double: an
   * effect of 1e300 for 1e300 learners gave a benefit of inf and an ROI of
   * inf% with exit 0 (issue 15). Name the product that overflowed. */
  if (!isfinite(cost) || !isfinite(r->benefit_effect) || !isfinite(r->benefit_total) || !isfinite(r->net_benefit) ||
      !isfinite(r->roi_pct)) {
    double be = r->benefit_effect, bt = r->benefit_total;
    if (!isfinite(cost))
      return attrib__fail(err, ATTRIB_ENUMERIC, "the costs total more than a double holds (learners %g x cost per "
                          "learner %g, plus the cost lines): check their units", N, in->cost_per_learner);
    if (!isfinite(be))
      return attrib__fail(err, ATTRIB_ENUMERIC, "the effect's benefit, effect %g x learners %g x value per unit %g "
                          "(x attribution, margin and horizon), is more than a double holds: check the units of the "
                          "effect and the learners", E, N, in->value_per_unit);
    return attrib__fail(err, ATTRIB_ENUMERIC, "the benefits total more than a double holds, or the ROI does (benefit "
                        "%g over costs of %g): check the units of the amounts", bt, cost);
  }
  r->per_learner_net_benefit = N > 0.0 ? r->net_benefit / N : NAN;
  r->per_learner_roi_pct = N > 0.0 ? r->roi_pct : NAN; /* both sides scale with N: the same percentage */
  r->annual_benefit = r->annual_net_benefit = r->annualised_roi_pct = NAN;
  if (in->periods_per_year > 0.0) {
    double years = in->horizon / in->periods_per_year;
    r->annual_benefit = r->benefit_total / years;
    r->annual_net_benefit = (r->benefit_total - cost) / years;
    /* the compound annual rate: (1 + ROI)^(1 / years) - 1 (undefined below -100%) */
    double g = 1.0 + r->net_benefit / cost;
    r->annualised_roi_pct = g > 0.0 ? 100.0 * (pow(g, 1.0 / years) - 1.0) : NAN;
  }
  r->payback_periods = payback(in->has_effect ? E * k / ds : 0.0, in->decay, other / in->horizon, in->horizon, cost);
  r->breakeven_effect = k != 0.0 ? (cost - other) / k : NAN;
  double k_no_a = in->has_effect ? N * in->value_per_unit * in->margin * ds : 0.0;
  r->breakeven_attribution = in->has_effect && E * k_no_a != 0.0 ? (cost - other) / (E * k_no_a) : NAN;
  if (isinf(r->payback_periods) &&
      attrib__strlist_push(&r->warnings, &r->n_warnings, "the benefits do not cover the costs within the horizon: no payback"))
    goto oom;
  if (isfinite(r->breakeven_attribution) && r->breakeven_attribution > 1.0 &&
      attrib__strlist_push(&r->warnings, &r->n_warnings,
                           "even a 100% attribution share does not reach break-even"))
    goto oom;
  tm->other = other, tm->cost = cost, tm->cost_var = cost_var, tm->E = E;
  return ATTRIB_OK;
oom:
  return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
}

/* The percentile interval from effect draws (given, or simulated from
 * N(E, SE^2)) with the uncertain cost lines drawn beside them, each on its
 * own stream of the seed (core/rng.h). */
static attrib_status roi_draws_interval(const attrib_roi_input *in, attrib_roi_result *r,
                                        const roi_terms *tm, attrib_error *err) {
  double k = tm->k, other = tm->other, cost = tm->cost, E = tm->E, alpha = 1.0 - in->level;
  cost_stream *cs = NULL;
  double *v = NULL;
  attrib_status s = ATTRIB_OK;
  size_t m = in->draws ? in->n_draws : in->simulations;
  /* the uncertain cost lines' streams; the fixed lines and N x C are a constant */
  size_t nu = 0;
  double fixed = cost;
  cs = attrib__malloc(in->n_costs + 1, sizeof *cs);
  v = attrib__malloc(m, sizeof *v);
  if (!cs || !v) goto fail;
  for (size_t i = 0; i < in->n_costs; i++)
    if (in->costs[i].sd > 0.0) {
      cs[nu].key = attrib__rng_key((uint64_t)in->seed, ATTRIB__RNG_ROI_COST, (uint64_t)i);
      cs[nu].amount = in->costs[i].amount;
      cs[nu].sd = in->costs[i].sd;
      fixed -= in->costs[i].amount;
      nu++;
    }
  if (nu == 0) fixed = cost; /* exactly, not a difference of sums */
  if (in->keep_draws) {
    r->roi_draws = attrib__malloc(m, sizeof *r->roi_draws);
    r->effect_draws = attrib__malloc(m, sizeof *r->effect_draws);
    r->cost_draws = attrib__malloc(m, sizeof *r->cost_draws);
    if (!r->roi_draws || !r->effect_draws || !r->cost_draws) goto fail;
  }
  uint64_t ekey = attrib__rng_key((uint64_t)in->seed, ATTRIB__RNG_ROI_EFFECT, 0);
  size_t used = 0, pos = 0, bad = 0;
  double s1 = 0, s2 = 0, e1 = 0, e2 = 0;
  for (size_t j = 0; j < m; j++) {
    double e = in->draws ? in->draws[j] : E + in->se * attrib__rng_normal(attrib__rng_bits(ekey, j));
    double cj = fixed;
    for (size_t q = 0; q < nu; q++) cj += cs[q].amount + cs[q].sd * attrib__rng_normal(attrib__rng_bits(cs[q].key, j));
    if (nu == 0) cj = cost;
    double roi = NAN;
    if (cj > 0.0) {
      roi = 100.0 * (e * k + other - cj) / cj;
      v[used++] = roi;
      pos += roi > 0.0;
      s1 += roi, s2 += roi * roi;
    } else {
      bad++;
    }
    e1 += e, e2 += e * e;
    if (in->keep_draws) r->roi_draws[j] = roi, r->effect_draws[j] = e, r->cost_draws[j] = cj;
  }
  r->n_sim = m;
  r->n_cost_nonpositive = bad;
  r->interval_method = in->draws ? "draws (percentile)" : "simulation (percentile)";
  r->has_interval = 1;
  if (bad) {
    char msg[320];
    snprintf(msg, sizeof msg,
             "%zu of %zu cost draws were zero or negative (the uncertain costs reach 0): their ROI is undefined and "
             "they are left out%s", bad, m,
             (double)bad >= 0.5 * alpha * (double)m ? "; too many for a bounded interval at this level" : "");
    if (attrib__strlist_push(&r->warnings, &r->n_warnings, msg)) goto fail;
  }
  if (used >= 2 && (double)bad < 0.5 * alpha * (double)m) {
    qsort(v, used, sizeof *v, attrib__cmp_double);
    r->roi_ci_low_pct = attrib__quantile7(v, used, alpha / 2.0);
    r->roi_ci_high_pct = attrib__quantile7(v, used, 1.0 - alpha / 2.0);
    r->prob_roi_positive = (double)pos / (double)used;
    r->roi_sd_pct = sqrt(fmax(0.0, (s2 - s1 * s1 / (double)used) / (double)(used - 1)));
  }
  /* the analytic cross-check needs the effect's SE: the one given, else the draws' SD */
  if (isnan(r->effect_se_used) && in->draws)
    r->effect_se_used = sqrt(fmax(0.0, (e2 - e1 * e1 / (double)m) / (double)(m - 1)));
  goto done;
fail:
  s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
done:
  attrib__free(cs);
  attrib__free(v);
  return s;
}

/* The analytic intervals (delta method and Fieller) from the effect's SE;
 * without draws, the reported interval (exact when the costs are fixed). */
static attrib_status roi_analytic_interval(const attrib_roi_input *in, attrib_roi_result *r, int use_draws,
                                           const roi_terms *tm, attrib_error *err) {
  double k = tm->k, cost_var = tm->cost_var;
  double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * in->level);
  double sc = sqrt(cost_var), b = r->benefit_total, c = tm->cost;
  double sb = fabs(k) * r->effect_se_used, lo, hi;
  double dsd = 100.0 * sqrt(sb * sb + (b / c) * (b / c) * cost_var) / c; /* delta */
  r->roi_ci_delta_low_pct = r->roi_pct - z * dsd;
  r->roi_ci_delta_high_pct = r->roi_pct + z * dsd;
  int bounded = fieller(b, sb, c, sc, z, &lo, &hi);
  if (bounded) r->roi_ci_fieller_low_pct = 100.0 * (lo - 1.0), r->roi_ci_fieller_high_pct = 100.0 * (hi - 1.0);
  if (!use_draws) {
    r->has_interval = 1;
    r->roi_sd_pct = dsd;
    r->roi_ci_low_pct = r->roi_ci_fieller_low_pct;
    r->roi_ci_high_pct = r->roi_ci_fieller_high_pct;
    if (cost_var == 0.0) {
      /* ROI is linear in E: the exact image of E +- z SE (Fieller with s_c = 0) */
      r->prob_roi_positive = sb > 0.0 ? gsl_cdf_ugaussian_P((b - c) / sb) : (b > c ? 1.0 : 0.0);
      r->interval_method = "exact (linear in the effect)";
    } else {
      /* P(B - C > 0) for independent normals: P(ROI > 0) when C > 0 */
      r->prob_roi_positive = gsl_cdf_ugaussian_P((b - c) / sqrt(sb * sb + cost_var));
      r->interval_method = "fieller";
    }
  }
  if (!bounded && cost_var > 0.0 &&
      attrib__strlist_push(&r->warnings, &r->n_warnings,
                           use_draws ? "the costs are too uncertain for a bounded Fieller interval (the cost could be "
                                       "zero at this level): the draws' interval has no analytic cross-check"
                                     : "the costs are too uncertain for a bounded Fieller interval (the cost could be "
                                       "zero at this level); only the delta-method approximation is given"))
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  return ATTRIB_OK;
}

attrib_status attrib_roi_compute(const attrib_roi_input *in, attrib_roi_result **out, attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_roi_compute: NULL argument");
  *out = NULL;
  if (!in) return attrib__fail(err, ATTRIB_EINVAL, "attrib_roi_compute: NULL argument");
  ATTRIB__TRY(check_inputs(in, err));
  if (in->has_effect && !(in->learners > 0.0))
    return attrib__fail(err, ATTRIB_EINVAL, "the effect is per learner: it needs the number of learners reached (learners)");
  if (!in->has_effect && !in->n_benefits)
    return attrib__fail(err, ATTRIB_EINVAL, "no benefit: an effect with the learners reached, or benefit lines, are needed");
  if (in->draws && !in->has_effect) return attrib__fail(err, ATTRIB_EINVAL, "effect draws need the effect they are draws of");
  if (in->draws && in->n_draws < 10)
    return attrib__fail(err, ATTRIB_EINVAL, "%zu effect draws: a percentile interval needs at least 10", in->n_draws);
  if (in->cost_per_learner != 0.0 && !(in->learners > 0.0))
    return attrib__fail(err, ATTRIB_EINVAL, "a cost per learner needs the number of learners (learners)");
  int simulate = in->simulate && !in->draws;
  if (simulate && (!in->has_effect || isnan(in->se)))
    return attrib__fail(err, ATTRIB_EINVAL, "simulating the effect needs the effect and its SE");
  if (simulate && in->simulations < 10)
    return attrib__fail(err, ATTRIB_EINVAL, "%zu simulations: a percentile interval needs at least 10", in->simulations);

  attrib_roi_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  attrib_status s;
  r->level = in->level;
  roi_terms tm = {.N = in->learners, .ds = decay_sum(in->horizon, in->decay)};
  tm.k = in->has_effect ? tm.N * in->value_per_unit * in->attribution * in->margin * tm.ds : 0.0;
  if ((s = roi_point(in, r, &tm, err))) goto fail;

  /* intervals */
  r->roi_ci_low_pct = r->roi_ci_high_pct = r->prob_roi_positive = NAN;
  r->roi_ci_delta_low_pct = r->roi_ci_delta_high_pct = r->roi_sd_pct = NAN;
  r->roi_ci_fieller_low_pct = r->roi_ci_fieller_high_pct = r->effect_se_used = NAN;
  if (in->has_effect && !isnan(in->se)) r->effect_se_used = in->se;
  int use_draws = in->draws != NULL || simulate;
  if (use_draws && (s = roi_draws_interval(in, r, &tm, err))) goto fail;
  if (in->has_effect && !isnan(r->effect_se_used) && (s = roi_analytic_interval(in, r, use_draws, &tm, err))) goto fail;
  *out = r;
  return ATTRIB_OK;
fail:
  attrib_roi_result_free(r);
  return s;
}

/* ---- sweeps ------------------------------------------------------------------ */

/* the scalar inputs one cell needs, and which of them a dimension sets */
typedef struct cell_in {
  double effect, learners, value, horizon, decay, attribution, margin, cpl, other, cost;
} cell_in;

static double cell_roi(const cell_in *c, double *net) {
  double k = c->learners * c->value * c->attribution * c->margin * decay_sum(c->horizon, c->decay);
  double cost = c->cost + c->learners * c->cpl, b = c->effect * k + c->other;
  *net = b - cost;
  return cost > 0 ? 100.0 * (b - cost) / cost : NAN;
}

/* a dimension's target: which field, or which cost / benefit line */
typedef struct target {
  int field;      /* 0..7 the scalars, 8 a cost line, 9 a benefit line */
  double base;    /* the line's base amount (for lines) */
} target;

static void apply(cell_in *c, const target *t, double v) {
  switch (t->field) {
  case 0: c->effect = v; break;
  case 1: c->learners = v; break;
  case 2: c->value = v; break;
  case 3: c->horizon = v; break;
  case 4: c->decay = v; break;
  case 5: c->attribution = v; break;
  case 6: c->margin = v; break;
  case 7: c->cpl = v; break;
  case 8: c->cost += v - t->base; break;
  default: c->other += v - t->base; break;
  }
}

static double value_of(const cell_in *c, const target *t) {
  const double v[8] = {c->effect, c->learners, c->value, c->horizon, c->decay, c->attribution, c->margin, c->cpl};
  return t->field < 8 ? v[t->field] : t->base;
}

typedef struct sweep_job {
  const cell_in *base;
  const attrib_roi_sweep_dim *dims;
  const target *tg;
  size_t n_dims, n_cells, chunk;
  double *roi, *net;
} sweep_job;

static void sweep_chunk(void *ctx, size_t ch, size_t thread) {
  (void)thread;
  sweep_job *j = ctx;
  size_t lo = ch * j->chunk, hi = lo + j->chunk < j->n_cells ? lo + j->chunk : j->n_cells;
  for (size_t cell = lo; cell < hi; cell++) {
    cell_in c = *j->base;
    size_t rest = cell;
    for (size_t d = j->n_dims; d-- > 0;) { /* the last dimension varies fastest */
      apply(&c, &j->tg[d], j->dims[d].values[rest % j->dims[d].n]);
      rest /= j->dims[d].n;
    }
    j->roi[cell] = cell_roi(&c, &j->net[cell]);
  }
}

void attrib_roi_sweep_free(attrib_roi_sweep *s) {
  if (!s) return;
  attrib__free(s->roi_pct);
  attrib__free(s->net_benefit);
  attrib__free(s->tornado);
  attrib__free(s->scenario_values);
  attrib__free(s);
}

static int cmp_tornado(const void *a, const void *b) {
  double x = ((const attrib_roi_tornado *)a)->swing, y = ((const attrib_roi_tornado *)b)->swing;
  return (x < y) - (x > y);
}

attrib_status attrib_roi_sweep_compute(const attrib_roi_input *in, const attrib_roi_sweep_dim *dims, size_t n_dims,
                                       size_t threads, attrib_roi_sweep **out, attrib_error *err) {
  *out = NULL;
  if (!in || !dims || !n_dims) return attrib__fail(err, ATTRIB_EINVAL, "sweep: no dimensions");
  ATTRIB__TRY(check_inputs(in, err));
  static const char *const fields[] = {"effect", "learners", "value_per_unit", "horizon", "decay", "attribution",
                                       "margin", "cost_per_learner"};
  cell_in base = {in->has_effect ? in->effect : 0.0, in->learners, in->value_per_unit, in->horizon, in->decay,
                  in->attribution, in->margin, in->cost_per_learner, 0.0, 0.0};
  for (size_t i = 0; i < in->n_benefits; i++) base.other += in->benefits[i].amount;
  for (size_t i = 0; i < in->n_costs; i++) base.cost += in->costs[i].amount;
  target *tg = attrib__calloc(n_dims, sizeof *tg);
  if (!tg) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  size_t cells = 1;
  for (size_t d = 0; d < n_dims; d++) {
    const char *nm = dims[d].name;
    int f = -1;
    for (int q = 0; q < 8; q++)
      if (!strcmp(nm, fields[q])) f = q;
    if (f < 0 && (!strncmp(nm, "cost.", 5) || !strncmp(nm, "benefit.", 8))) {
      int is_cost = nm[0] == 'c';
      const attrib_roi_line *l = is_cost ? in->costs : in->benefits;
      size_t nl = is_cost ? in->n_costs : in->n_benefits;
      const char *line = nm + (is_cost ? 5 : 8);
      for (size_t i = 0; i < nl; i++)
        if (!strcmp(l[i].name, line)) f = is_cost ? 8 : 9, tg[d].base = l[i].amount;
      if (f < 0) {
        attrib__free(tg);
        return attrib__fail(err, ATTRIB_EINVAL, "sweep: no %s line named '%s'", is_cost ? "cost" : "benefit", line);
      }
    }
    if (f < 0) {
      attrib__free(tg);
      return attrib__fail(err, ATTRIB_EINVAL,
                          "sweep: unknown input '%s' (effect, learners, value_per_unit, horizon, decay, attribution, "
                          "margin, cost_per_learner, cost.NAME, benefit.NAME)", nm);
    }
    if (f == 0 && !in->has_effect) {
      attrib__free(tg);
      return attrib__fail(err, ATTRIB_EINVAL, "sweep: the effect can be swept only when there is one (roi.effect)");
    }
    tg[d].field = f;
    for (size_t i = 0; i < dims[d].n; i++) {
      attrib_error e;
      attrib_error_clear(&e);
      if (attrib_roi_check_value(f < 8 ? fields[f] : f == 8 ? "cost" : "benefit", nm, dims[d].values[i], &e)) {
        attrib__free(tg);
        return attrib__fail(err, ATTRIB_EINVAL, "sweep: %s", e.message);
      }
    }
    if (!dims[d].n || cells > ((size_t)1 << 32) / dims[d].n) {
      attrib__free(tg);
      return attrib__fail(err, ATTRIB_EINVAL, "sweep: the grid is empty or above 2^32 cells");
    }
    cells *= dims[d].n;
  }
  attrib_roi_sweep *s = attrib__calloc(1, sizeof *s);
  if (s) {
    s->roi_pct = attrib__malloc(cells, sizeof *s->roi_pct);
    s->net_benefit = attrib__malloc(cells, sizeof *s->net_benefit);
    s->tornado = attrib__calloc(n_dims, sizeof *s->tornado);
    s->scenario_values = attrib__malloc(3 * n_dims, sizeof *s->scenario_values);
  }
  if (!s || !s->roi_pct || !s->net_benefit || !s->tornado || !s->scenario_values) {
    attrib__free(tg);
    attrib_roi_sweep_free(s);
    return attrib__fail(err, ATTRIB_ENOMEM, "sweep: out of memory (%zu cells)", cells);
  }
  s->n_dims = n_dims, s->n_cells = cells;
  size_t chunk = 65536, C = (cells + chunk - 1) / chunk;
  sweep_job j = {&base, dims, tg, n_dims, cells, chunk, s->roi_pct, s->net_benefit};
  attrib__parallel_chunks(C, attrib__threads(threads, C), sweep_chunk, &j);
  /* tornado and scenarios: each input at its extremes, others at base */
  double net;
  double r0 = cell_roi(&base, &net);
  cell_in lo_all = base, hi_all = base;
  for (size_t d = 0; d < n_dims; d++) {
    double mn = INFINITY, mx = -INFINITY;
    for (size_t i = 0; i < dims[d].n; i++) mn = fmin(mn, dims[d].values[i]), mx = fmax(mx, dims[d].values[i]);
    cell_in a = base, b = base;
    apply(&a, &tg[d], mn);
    apply(&b, &tg[d], mx);
    double ra = cell_roi(&a, &net), rb = cell_roi(&b, &net);
    s->tornado[d] = (attrib_roi_tornado){dims[d].name, mn, mx, ra, rb, fabs(rb - ra), d};
    /* the least and most favourable values (ROI is monotone in each input) */
    double worst = ra <= rb ? mn : mx, best = ra <= rb ? mx : mn;
    apply(&lo_all, &tg[d], worst);
    apply(&hi_all, &tg[d], best);
    s->scenario_values[d] = worst;
    s->scenario_values[n_dims + d] = value_of(&base, &tg[d]);
    s->scenario_values[2 * n_dims + d] = best;
  }
  s->scenario_roi[0] = cell_roi(&lo_all, &net);
  s->scenario_roi[1] = r0;
  s->scenario_roi[2] = cell_roi(&hi_all, &net);
  qsort(s->tornado, n_dims, sizeof *s->tornado, cmp_tornado);
  attrib__free(tg);
  *out = s;
  return ATTRIB_OK;
}
