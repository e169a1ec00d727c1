/*
 * attrib psm: propensity score -> common support -> matching or weighting
 * -> effect with a design-valid SE -> balance and audit
 * (docs/methods/psm.md). The estimators themselves live in match_nearest.c,
 * weighting.c and balance.c; this file wires them and owns the diagnosis
 * of designs that cannot answer the question.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <attrib/design.h>
#include <attrib/formula.h>
#include <attrib/multitest.h>
#include <attrib/psm.h>
#include <attrib/weighting.h>
#include "core/attrib_internal.h"
#include "data/data_internal.h"
#include "core/parallel.h"
#include "regression/regression_internal.h"
#include "matching/matching_internal.h"

void attrib_psm_options_init(attrib_psm_options *o) {
  memset(o, 0, sizeof *o);
  o->method = ATTRIB_PSM_NEAREST;
  o->estimand = ATTRIB_ESTIMAND_ATT;
  o->link = ATTRIB_LINK_LOGIT;
  o->distance_logit = 1;
  o->discard = ATTRIB_DISCARD_NONE;
  o->ratio = 1;
  o->order = ATTRIB_MATCH_LARGEST;
  o->level = 0.95;
}

static const char *const method_names[] = {"nearest", "ipw", "aipw"};
static const char *const discard_names[] = {"none", "treated", "control", "both"};
static const char *const reason_names[] = {"missing", "off_support", "no_match", "not_selected", "trimmed"};

attrib_status attrib_psm_method_parse(const char *s, attrib_psm_method *out, attrib_error *err) {
  for (int i = 0; s && i < 3; i++)
    if (!strcmp(s, method_names[i])) return *out = (attrib_psm_method)i, ATTRIB_OK;
  return attrib__fail(err, ATTRIB_EINVAL, "method: expected nearest, ipw or aipw, got '%s'", s ? s : "");
}
const char *attrib_psm_method_name(attrib_psm_method m) { return (unsigned)m < 3 ? method_names[m] : "?"; }
attrib_status attrib_discard_parse(const char *s, attrib_discard *out, attrib_error *err) {
  for (int i = 0; s && i < 4; i++)
    if (!strcmp(s, discard_names[i])) return *out = (attrib_discard)i, ATTRIB_OK;
  return attrib__fail(err, ATTRIB_EINVAL, "discard: expected none, treated, control or both, got '%s'", s ? s : "");
}
const char *attrib_discard_name(attrib_discard d) { return (unsigned)d < 4 ? discard_names[d] : "?"; }
const char *attrib_psm_reason_name(attrib_psm_reason r) { return (unsigned)r < 5 ? reason_names[r] : "?"; }

void attrib_psm_result_free(attrib_psm_result *r) {
  if (!r) return;
  attrib__free(r->effect.term);
  attrib_by_result_free(r->by);
  attrib_logit_result_free(r->ps_model);
  attrib_balance_free(r->balance);
  attrib_boot_result_free(r->boot);
  for (size_t j = 0; r->outcomes && j < r->n_outcomes; j++) {
    attrib__free(r->outcomes[j].outcome);
    attrib__free(r->outcomes[j].effect.term);
    if (j) attrib_boot_result_free(r->outcomes[j].boot); /* outcomes[0]'s is r->boot */
  }
  attrib__free(r->outcomes);
  attrib__free(r->pairs);
  attrib__free(r->audit_row);
  attrib__free(r->audit_reason);
  attrib__strlist_free(r->warnings, r->n_warnings);
  attrib__free(r);
}

/* Combinations that have no valid estimator here are refused by name rather
 * than silently changed. */
attrib_status attrib_psm_check(const attrib_psm_options *o, attrib_error *err) {
  if (!o->treat || !o->outcome) return attrib__fail(err, ATTRIB_EINVAL, "the treatment and the outcome are required");
  if (!o->score && !o->covariate_terms && (!o->covariates || !*o->covariates))
    return attrib__fail(err, ATTRIB_EINVAL, "covariates for the propensity model are required (or a given score)");
  ATTRIB__TRY(attrib__check_level(o->level, "psm.level", err));
  if (o->ratio < 1) return attrib__fail(err, ATTRIB_EINVAL, "the ratio must be at least 1");
  if (!isfinite(o->caliper)) return attrib__fail(err, ATTRIB_EINVAL, "the caliper must be a finite number");
  /* 0 means none; a negative caliper was read as none too, silently (the
   * rosenbaum bounds of --caliper -1 were those of no caliper: issue 15) */
  if (o->caliper < 0.0)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "psm.caliper",
                               "the caliper must be positive (standard deviations of the distance), got %g", o->caliper);
  if (!(o->tie_tolerance >= 0.0) || !isfinite(o->tie_tolerance))
    return attrib__fail(err, ATTRIB_EINVAL, "the tie tolerance must be a finite number >= 0 (squared SDs of the distance), got %g",
                        o->tie_tolerance);
  if (o->tie_tolerance > 0.0 && (o->method != ATTRIB_PSM_NEAREST || !o->replace))
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the tie tolerance applies to matching with replacement, which keeps tied controls; without "
                        "replacement each control serves one set and ties go to the smaller id");
  if ((unsigned)o->estimand > ATTRIB_ESTIMAND_ATE) return attrib__fail(err, ATTRIB_EINVAL, "unknown estimand");
  int has_exact = o->exact && o->exact[0];
  if (o->trim != 0.0 && !(o->trim > 0.0 && o->trim < 0.5))
    return attrib__fail(err, ATTRIB_EINVAL, "trim must lie in (0, 0.5), got %g", o->trim);
  if (o->trim > 0.0 && o->method == ATTRIB_PSM_NEAREST)
    return attrib__fail(err, ATTRIB_EINVAL, "trim applies to weighting (psm.method ipw|aipw); for matching use psm.discard or psm.caliper");
  if (o->method != ATTRIB_PSM_NEAREST) {
    const char *m = attrib_psm_method_name(o->method);
    if (o->score)
      return attrib__fail_option(err, ATTRIB_EUSAGE, "psm.method",
                          "psm.method %s fits its own propensity model (its estimation enters the SE); drop the given score", m);
    if (o->link != ATTRIB_LINK_LOGIT)
      return attrib__fail_option(err, ATTRIB_EUSAGE, "psm.method", "psm.method %s uses the logit score equations; the probit link is for matching", m);
    if (o->caliper > 0.0 || has_exact || o->discard != ATTRIB_DISCARD_NONE || o->replace || o->ratio != 1 || o->bias_adjust)
      return attrib__fail(err, ATTRIB_EINVAL,
                          "caliper, exact, discard, replace, ratio and bias adjustment apply to matching, not to psm.method %s", m);
    if (o->estimand == ATTRIB_ESTIMAND_ATC)
      return attrib__fail_option(err, ATTRIB_EUSAGE, "psm.method", "psm.method %s estimates the ATE or the ATT, not the ATC", m);
    return ATTRIB_OK;
  }
  if (o->estimand == ATTRIB_ESTIMAND_ATE) {
    if (!o->replace)
      return attrib__fail(err, ATTRIB_EINVAL,
                          "the ATE by matching matches every unit, which needs psm.replace (without replacement "
                          "only the ATT or the ATC is defined)");
    if (o->caliper > 0.0 || o->discard != ATTRIB_DISCARD_NONE)
      return attrib__fail(err, ATTRIB_EINVAL,
                          "a caliper or discard would drop units and change the ATE into an effect on an unnamed "
                          "subpopulation; use the ATT or the ATC");
    if (o->bias_adjust)
      return attrib__fail(err, ATTRIB_EINVAL, "the bias adjustment is implemented for the ATT and the ATC");
  }
  if (o->bootstrap)
    return attrib__fail(err, ATTRIB_EINVAL,
                        "the naive bootstrap is invalid for nearest-neighbour matching (Abadie & Imbens 2008, "
                        "Econometrica 76(6)); the reported SE is valid: Abadie-Imbens with psm.replace (corrected for the "
                        "estimated score), cluster-robust over matched sets without. Weighting (psm.method ipw|aipw) "
                        "takes a multiplier bootstrap");
  if (o->bias_adjust && !o->replace)
    return attrib__fail(err, ATTRIB_EINVAL, "the Abadie-Imbens bias adjustment is for matching with replacement");
  return ATTRIB_OK;
}

/* ---- exact strata and ranks ------------------------------------------ */

typedef struct strata {
  size_t n_strata;
  size_t *start;  /* n_strata + 1 offsets into unit */
  size_t *unit;   /* active design rows grouped by stratum, rank order within;
                     NULL: one stratum holding every row in row order */
} strata;

static void strata_free(strata *s) {
  attrib__free(s->start);
  attrib__free(s->unit);
  memset(s, 0, sizeof *s);
}

typedef struct id_key {
  double v; /* the id, or its level's code (levels are sorted) */
  size_t i;
} id_key;
static int cmp_id(const void *a, const void *b) {
  double x = ((const id_key *)a)->v, y = ((const id_key *)b)->v;
  return (x > y) - (x < y);
}

/* *out[r] = design row with rank r in id order; without ids the rank is
 * the row order and *out stays NULL (no n-long identity array: at 10M rows
 * its fresh pages cost a tenth of a second). Duplicated ids are an error:
 * they would make the tie rule depend on row order. */
static attrib_status rank_order(const attrib_table *t, const attrib_design *d, const char *id, size_t **out,
                                attrib_error *err) {
  *out = NULL;
  if (!id) return ATTRIB_OK;
  size_t *order = attrib__alloc_large((d->n ? d->n : 1) * sizeof *order);
  if (!order) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory ranking ids");
  *out = order;
  size_t c;
  attrib_status s = attrib_table_column_require(t, id, "id", &c, err);
  if (s) return s;
  const attrib_column *col = &t->cols[c];
  for (size_t i = 0; i < d->n; i++)
    if (attrib_column_is_missing(col, d->rows[i]))
      return attrib__fail(err, ATTRIB_EINVAL, "id column '%s' is missing at data row %zu", id, d->rows[i] + 1);
  id_key *k = attrib__malloc(d->n ? d->n : 1, sizeof *k);
  if (!k) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory ranking ids");
  for (size_t i = 0; i < d->n; i++) {
    k[i].v = col->type == ATTRIB_COLUMN_CATEGORICAL ? (double)col->codes[d->rows[i]] : col->values[d->rows[i]];
    k[i].i = i;
  }
  qsort(k, d->n, sizeof *k, cmp_id); /* ids are distinct (checked next), so qsort's instability is moot */
  for (size_t r = 0; r < d->n; r++) order[r] = k[r].i;
  for (size_t r = 1; r < d->n; r++)
    if (k[r - 1].v == k[r].v) {
      s = attrib__fail(err, ATTRIB_EINVAL, "id column '%s' has the same value at data rows %zu and %zu: ids must be unique",
                       id, d->rows[k[r - 1].i] + 1, d->rows[k[r].i] + 1);
      break;
    }
  attrib__free(k);
  return s;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* Groups the active units by the exact columns (the design's cluster
 * codings), each stratum in rank order: a counting sort by stratum key over
 * units visited in rank order, so the result depends on ids only. */
static attrib_status build_strata(const attrib_design *d, const size_t *order, const unsigned char *active, strata *st,
                                  attrib_error *err) {
  size_t n = d->n;
  uint64_t *key = NULL;
  size_t *code = NULL;
  memset(st, 0, sizeof *st);
  size_t nk = 1;
  if (!d->n_cluster && !order) { /* no exact columns, no ids: all active rows form one stratum */
    size_t n_active = 0;
    for (size_t i = 0; i < n; i++) n_active += active[i] != 0;
    if (n_active == n) {
      st->n_strata = 1;
      if (!(st->start = attrib__malloc(2, sizeof *st->start))) goto oom;
      st->start[0] = 0;
      st->start[1] = n;
      return ATTRIB_OK; /* unit = NULL: the identity */
    }
  }
  if (d->n_cluster) {
    key = attrib__malloc(n ? n : 1, sizeof *key);
    if (!key) goto oom;
    uint64_t radix = 1;
    for (size_t i = 0; i < n; i++) key[i] = 0;
    for (size_t c = 0; c < d->n_cluster; c++) {
      uint64_t L = d->cluster[c].n_levels ? d->cluster[c].n_levels : 1;
      if (radix > UINT64_MAX / L)
        return attrib__free(key), attrib__fail(err, ATTRIB_EINVAL, "too many exact-match strata");
      for (size_t i = 0; i < n; i++) key[i] += radix * (uint64_t)d->cluster[c].codes[i];
      radix *= L;
    }
    /* compact the keys to 0..nk-1 in increasing key order */
    uint64_t *sorted = attrib__malloc(n ? n : 1, sizeof *sorted);
    if (!sorted) goto oom;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
      if (active[i]) sorted[m++] = key[i];
    qsort(sorted, m, sizeof *sorted, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
      if (!u || sorted[u - 1] != sorted[i]) sorted[u++] = sorted[i];
    nk = u ? u : 1;
    code = attrib__malloc(n ? n : 1, sizeof *code);
    if (!code) {
      attrib__free(sorted);
      goto oom;
    }
    for (size_t i = 0; i < n; i++) {
      if (!active[i]) continue;
      size_t lo = 0, hi = u; /* binary search */
      while (lo + 1 < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] <= key[i]) lo = mid;
        else hi = mid;
      }
      code[i] = lo;
    }
    attrib__free(sorted);
  }
  st->n_strata = nk;
  st->start = attrib__calloc(nk + 1, sizeof *st->start);
  st->unit = attrib__malloc(n ? n : 1, sizeof *st->unit);
  if (!st->start || !st->unit) goto oom;
  for (size_t i = 0; i < n; i++)
    if (active[i]) st->start[(code ? code[i] : 0) + 1]++;
  for (size_t s = 0; s < nk; s++) st->start[s + 1] += st->start[s];
  size_t *fill = attrib__malloc(nk, sizeof *fill);
  if (!fill) goto oom;
  memcpy(fill, st->start, nk * sizeof *fill);
  for (size_t r = 0; r < n; r++) {
    size_t i = order ? order[r] : r;
    if (active[i]) st->unit[fill[code ? code[i] : 0]++] = i;
  }
  attrib__free(fill);
  attrib__free(key);
  attrib__free(code);
  return ATTRIB_OK;
oom:
  attrib__free(key);
  attrib__free(code);
  strata_free(st);
  return attrib__fail(err, ATTRIB_ENOMEM, "out of memory grouping the exact-match strata");
}

/* ---- matching within strata, in parallel ------------------------------ */

typedef struct match_job {
  const strata *st;
  const double *D;
  const int *focal; /* 1 = focal (is matched), 0 = candidate */
  const attrib_match_options *mo;
  attrib_matches **part; /* per stratum */
  attrib_status *status;
  attrib_error *errs;
} match_job;

static void match_stratum(void *ctx, size_t s, size_t thread) {
  (void)thread;
  match_job *j = ctx;
  size_t a = j->st->start[s], m = j->st->start[s + 1] - a;
  const size_t *u = j->st->unit ? j->st->unit + a : NULL;
  j->status[s] = ATTRIB_OK;
  j->part[s] = NULL;
  if (!m) return;
  /* The common case, one stratum holding units 0..m-1 in row order (no
   * exact columns, no discard, no --id): match the caller's arrays in place
   * instead of copying three n-long arrays. */
  int in_place = a == 0;
  for (size_t i = 0; u && in_place && i < m; i++) in_place = u[i] == i;
  if (in_place) {
    size_t nf = 0;
    for (size_t i = 0; i < m; i++) nf += j->focal[i] != 0;
    if (!nf || nf == m) return;
    j->status[s] = attrib_match_nearest(j->D, j->focal, NULL, m, j->mo, &j->part[s], &j->errs[s]);
    return;
  }
  double *dd = attrib__alloc_large(m * sizeof *dd);
  int *tt = attrib__alloc_large(m * sizeof *tt);
  size_t *rk = attrib__alloc_large(m * sizeof *rk);
  size_t n_focal = 0, n_cand = 0;
  if (!dd || !tt || !rk) {
    j->status[s] = ATTRIB_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < m; i++) {
    dd[i] = j->D[u[i]];
    tt[i] = j->focal[u[i]];
    rk[i] = i; /* units are already in rank order */
    n_focal += tt[i] != 0;
  }
  n_cand = m - n_focal;
  if (!n_focal || !n_cand) goto done; /* nothing to match here: focal units stay unmatched */
  attrib_matches *mm = NULL;
  j->status[s] = attrib_match_nearest(dd, tt, rk, m, j->mo, &mm, &j->errs[s]);
  if (j->status[s] == ATTRIB_OK) {
    for (size_t q = 0; q < mm->n_sets; q++) mm->focal[q] = u[mm->focal[q]];
    for (size_t q = 0; q < mm->n_members; q++) mm->members[q] = u[mm->members[q]];
    j->part[s] = mm;
  }
done:
  attrib__free_large(dd, m * sizeof *dd);
  attrib__free_large(tt, m * sizeof *tt);
  attrib__free_large(rk, m * sizeof *rk);
}

/* Matches the focal units of every stratum and merges the pairs in stratum
 * order (deterministic whatever the thread count). */
static attrib_status match_all(const strata *st, const double *D, const int *focal, const attrib_match_options *mo,
                               size_t threads, attrib_matches **out, attrib_error *err) {
  size_t S = st->n_strata;
  match_job j = {.st = st, .D = D, .focal = focal, .mo = mo};
  j.part = attrib__calloc(S, sizeof *j.part);
  j.status = attrib__calloc(S, sizeof *j.status);
  j.errs = attrib__calloc(S, sizeof *j.errs);
  attrib_matches *m = attrib__calloc(1, sizeof *m);
  attrib_status s = ATTRIB_OK;
  if (!j.part || !j.status || !j.errs || !m) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory matching");
    goto done;
  }
  attrib__parallel_chunks(S, attrib__threads(threads, S), match_stratum, &j);
  if (S == 1 && j.status[0] == ATTRIB_OK && j.part[0]) { /* one stratum: its pairs are the result, uncopied */
    attrib__free(m);
    m = j.part[0];
    j.part[0] = NULL;
    goto done;
  }
  size_t ns = 0, nm = 0;
  for (size_t k = 0; k < S; k++) {
    if (j.status[k] != ATTRIB_OK) {
      s = j.status[k];
      if (err) *err = j.errs[k];
      if (s == ATTRIB_ENOMEM) s = attrib__fail(err, s, "out of memory matching");
      goto done;
    }
    if (j.part[k]) ns += j.part[k]->n_sets, nm += j.part[k]->n_members;
  }
  m->replace = mo->replace != 0;
  m->focal = attrib__malloc(ns ? ns : 1, sizeof *m->focal);
  m->begin = attrib__malloc(ns ? ns : 1, sizeof *m->begin);
  m->end = attrib__malloc(ns ? ns : 1, sizeof *m->end);
  m->members = attrib__malloc(nm ? nm : 1, sizeof *m->members);
  if (!m->focal || !m->begin || !m->end || !m->members) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory matching");
    goto done;
  }
  for (size_t k = 0; k < S; k++) {
    for (size_t i = st->start[k]; i < st->start[k + 1]; i++) m->n_treated += focal[st->unit ? st->unit[i] : i] != 0;
    attrib_matches *p = j.part[k];
    if (!p) continue;
    /* a stratum's runs index its own members: shift them past the earlier strata's */
    for (size_t q = 0; q < p->n_sets; q++) {
      m->focal[m->n_sets + q] = p->focal[q];
      m->begin[m->n_sets + q] = p->begin[q] + m->n_members;
      m->end[m->n_sets + q] = p->end[q] + m->n_members;
    }
    memcpy(m->members + m->n_members, p->members, p->n_members * sizeof *m->members);
    m->n_sets += p->n_sets;
    m->n_members += p->n_members;
    m->n_pairs += p->n_pairs;
    m->n_tied += p->n_tied;
    m->n_treated_matched += p->n_treated_matched;
    m->n_controls_used += p->n_controls_used;
  }
done:
  for (size_t k = 0; j.part && k < S; k++) attrib_matches_free(j.part[k]);
  attrib__free(j.part);
  attrib__free(j.status);
  attrib__free(j.errs);
  if (s != ATTRIB_OK) {
    attrib_matches_free(m);
    m = NULL;
  }
  *out = m;
  return s;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* seconds since *t0, which moves to now */
static double lap(double *t0) {
  double t = now(), d = t - *t0;
  *t0 = t;
  return d;
}

/* ---- the effect -------------------------------------------------------- */

/* Balance weights of matching with replacement (Matching's convention):
 * a matched focal unit weighs 1 and each member of its set of M weighs 1/M
 * (ties included); for the ATE both directions add up, w_i = 1 + K_i. */
static attrib_status replace_weights(const attrib_matches *m, size_t n, double *w, attrib_error *err) {
  for (size_t q = 0; q < m->n_sets; q++) w[m->focal[q]] += 1.0;
  return attrib_match_uses(m, n, w, NULL, err);
}

static attrib_status warn(attrib_psm_result *r, const char *text) {
  return attrib__strlist_push(&r->warnings, &r->n_warnings, text);
}

/* Matching with replacement on a fitted score: the Abadie-Imbens (2016)
 * correction for the score's estimation (Stata's teffects psmatch with
 * nn(2)). The known-score SE stays beside it. When the correction would
 * leave no variance (possible in small samples: it is a difference of
 * estimates), the known-score SE is kept and a warning says so. */
static attrib_status ps_adjust(attrib_psm_result *r, const attrib_design *d, const double *D, const int *treat,
                               const double *y, const size_t *order, double tie_window, attrib_error *err) {
  size_t n = d->n;
  const attrib_logit_result *pm = r->ps_model;
  double *dens = attrib__malloc(n ? n : 1, sizeof *dens);
  size_t *rank = order ? attrib__malloc(n ? n : 1, sizeof *rank) : NULL; /* NULL: ranks are row order */
  attrib_status s = ATTRIB_OK;
  if (!dens || (order && !rank)) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; order && i < n; i++) rank[order[i]] = i;
  for (size_t i = 0; i < n; i++) {
    double e = pm->fitted[i], eta = pm->linear_predictor[i];
    dens[i] = pm->link == ATTRIB_LINK_LOGIT ? e * (1.0 - e) : exp(-0.5 * eta * eta) / sqrt(2.0 * M_PI);
  }
  double adj = 0.0;
  if ((s = attrib_match_ps_adjust(d, pm->vcov, pm->fitted, dens, D, treat, y, rank, r->estimand, r->effect.estimate, 2,
                                  tie_window, &adj, err)))
    goto done;
  double se = r->effect.std_error, v = se * se + adj;
  if (v > 0.0) {
    r->std_error_known_ps = se;
    r->effect.std_error = sqrt(v);
    r->ps_adjusted = 1;
    r->se_method = "abadie-imbens-2016";
  } else if (warn(r, "the estimated-score correction (Abadie-Imbens 2016) left no variance in this sample; "
                     "the standard error treats the score as known (psm.ps_known asks for that one)")) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
done:
  attrib__free(dens);
  attrib__free(rank);
  return s;
}

/* ---- trimming (weighting) ---------------------------------------------- */

/* Crump, Hotz, Imbens & Mitnik (2009, Biometrika 96(1)): units whose score
 * lies outside [a, 1 - a] are dropped and the score is re-fitted on the
 * rest, so the weighting SE's score equations hold for the sample used.
 * The drop is a view of the table with one extra column, missing on the
 * trimmed rows, that the design then carries: no table is copied. */
#define TRIM_COLUMN "(trim)"
typedef struct trim_view {
  attrib_table t;
  attrib_column *cols;
  double *values;
  uint64_t *missing;
  size_t n_trimmed;
} trim_view;

static void trim_view_free(trim_view *v) {
  attrib__free(v->cols);
  attrib__free(v->values);
  attrib__free(v->missing);
  memset(v, 0, sizeof *v);
}

static attrib_status trim_prepare(const attrib_table *t, const attrib_psm_options *o, const attrib_formula *f,
                                  trim_view *v, attrib_error *err) {
  attrib_design *d = NULL;
  attrib_logit_result *lr = NULL;
  attrib_status s = ATTRIB_OK;
  /* the rows the analysis will use: every outcome present */
  size_t ne = 0;
  while (o->extra_outcomes && o->extra_outcomes[ne]) ne++;
  const char **keep = attrib__calloc(ne + 2, sizeof *keep);
  if (!keep) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory trimming");
  keep[0] = o->outcome;
  for (size_t j = 0; j < ne; j++) keep[1 + j] = o->extra_outcomes[j];
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.keep = (const char *const *)keep;
  dopt.check_collinearity = 0;
  dopt.levels_advice = ATTRIB_DESIGN_ADVICE_EXACT; /* the score model absorbs nothing */
  if ((s = attrib_design_build(t, f, &dopt, &d, err))) goto done;
  attrib_logit_options lo;
  attrib_logit_options_init(&lo);
  lo.keep_fitted = 1;
  lo.threads = o->threads;
  if ((s = attrib_logit_fit(d, &lo, &lr, err))) goto done;
  size_t N = t->n_rows, W = (N + 63) / 64;
  v->values = attrib__malloc(N ? N : 1, sizeof *v->values);
  v->missing = attrib__calloc(W ? W : 1, sizeof *v->missing);
  v->cols = attrib__malloc(t->n_cols + 1, sizeof *v->cols);
  if (!v->values || !v->missing || !v->cols) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory trimming");
    goto done;
  }
  for (size_t i = 0; i < N; i++) v->values[i] = 1.0;
  for (size_t i = 0; i < d->n; i++) {
    double e = lr->fitted[i];
    if (e < o->trim || e > 1.0 - o->trim) {
      size_t row = d->rows[i];
      v->values[row] = NAN;
      v->missing[row >> 6] |= (uint64_t)1 << (row & 63);
      v->n_trimmed++;
    }
  }
  memcpy(v->cols, t->cols, t->n_cols * sizeof *v->cols);
  attrib_column *c = &v->cols[t->n_cols];
  memset(c, 0, sizeof *c);
  c->name = (char *)TRIM_COLUMN; /* never freed: the view frees only its arrays */
  c->type = ATTRIB_COLUMN_NUMERIC;
  c->n_missing = v->n_trimmed;
  c->values = v->values;
  c->missing = v->n_trimmed ? v->missing : NULL;
  v->t = *t;
  v->t.cols = v->cols;
  v->t.n_cols = t->n_cols + 1;
done:
  attrib__free(keep);
  attrib_logit_result_free(lr);
  attrib_design_free(d);
  return s;
}

/* Dense codes of a cluster column over the design's rows (sorted by the
 * column's value or level), for a clustered multiplier bootstrap. */
typedef struct ckey {
  double v;
  size_t i;
} ckey;

static int cmp_ckey(const void *a, const void *b) {
  const ckey *x = a, *y = b;
  if (x->v != y->v) return x->v < y->v ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

static attrib_status cluster_codes(const attrib_table *t, const attrib_design *d, const char *name, int32_t **out,
                                   size_t *G, attrib_error *err) {
  size_t c;
  attrib_status s = attrib_table_column_require(t, name, "cluster", &c, err);
  if (s) return s;
  const attrib_column *col = &t->cols[c];
  size_t n = d->n;
  ckey *k = attrib__malloc(n ? n : 1, sizeof *k);
  int32_t *codes = attrib__malloc(n ? n : 1, sizeof *codes);
  if (!k || !codes) {
    attrib__free(k), attrib__free(codes);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    size_t row = d->rows[i];
    if (attrib_column_is_missing(col, row)) {
      attrib__free(k), attrib__free(codes);
      return attrib__fail(err, ATTRIB_ENODATA, "cluster column '%s' is missing at data row %zu", name, row + 1);
    }
    k[i] = (ckey){col->type == ATTRIB_COLUMN_NUMERIC ? col->values[row] : (double)col->codes[row], i};
  }
  qsort(k, n, sizeof *k, cmp_ckey);
  size_t g = 0;
  for (size_t a = 0; a < n; a++) {
    if (a && k[a].v != k[a - 1].v) g++;
    codes[k[a].i] = (int32_t)g;
  }
  attrib__free(k);
  *G = n ? g + 1 : 0;
  if (*G < 2) {
    attrib__free(codes);
    return attrib__fail(err, ATTRIB_EDESIGN, "one cluster in '%s': nothing to perturb", name);
  }
  *out = codes;
  return ATTRIB_OK;
}

/* ---- the fit ----------------------------------------------------------- */

/* The fit's state, shared by its steps: what they read (table, options),
 * what they build (design, score, distance, matches) and the n-long work
 * arrays, freed together at the end. */
typedef struct psm_fit {
  const attrib_table *t;
  const attrib_psm_options *o;
  attrib_psm_result *r;
  double t0;                   /* the clock of the current step (lap) */
  attrib_formula *f, *cov;
  trim_view tv;
  attrib_design *d;
  size_t n, nb;                /* rows, n at least 1: the work arrays' length */
  const double *y, *e;         /* outcome, score */
  const double *D;             /* the distance: an array of the score model's, or D_buf */
  double *D_buf, *w;
  double lo1, hi1, lo0, hi0;   /* the groups' distance ranges */
  int *treat, *focal, *subclass;
  unsigned char *active, *reason;
  size_t *order;
  strata st;
  attrib_matches *m1, *m0;
  attrib_match_options mo;
  int focal_is_treated;
  size_t n_extra;              /* extra outcomes: d->keep[1 .. n_extra] */
  size_t n_without_extra;      /* rows the design would keep without them */
} psm_fit;

static attrib_status psm_oom(attrib_error *err) { return attrib__fail(err, ATTRIB_ENOMEM, "out of memory"); }

/* every named column must exist; each message names its role and what it
 * should hold (the design builder would only know them as a response or a
 * cluster: issue 15.7) */
static attrib_status psm_check_columns(const attrib_table *t, const attrib_psm_options *o, attrib_error *err) {
  attrib_status s;
  {
    size_t ci;
    if ((s = attrib__require_indicator(t, o->treat, "treatment", &ci, err))) return s;
    for (size_t k = 0; o->exact && o->exact[k]; k++)
      if ((s = attrib_table_column_require(t, o->exact[k], "exact matching: expected a column whose values form the strata",
                                           &ci, err)))
        return s;
  }
  /* outcome and score must be numeric: a text column here is a data mistake */
  for (size_t j = 0; o->extra_outcomes && o->extra_outcomes[j]; j++) {
    if (!strcmp(o->extra_outcomes[j], o->outcome))
      return attrib__fail(err, ATTRIB_EINVAL, "the outcome '%s' is listed twice", o->outcome);
    for (size_t q = 0; q < j; q++)
      if (!strcmp(o->extra_outcomes[j], o->extra_outcomes[q]))
        return attrib__fail(err, ATTRIB_EINVAL, "the outcome '%s' is listed twice", o->extra_outcomes[j]);
    if (!strcmp(o->extra_outcomes[j], o->treat))
      return attrib__fail(err, ATTRIB_EINVAL, "the outcome '%s' is the treatment", o->treat);
  }
  for (size_t c = 0; c < 2 || (o->extra_outcomes && o->extra_outcomes[c - 2]); c++) {
    const char *col = c == 0 ? o->outcome : c == 1 ? o->score : o->extra_outcomes[c - 2];
    const char *what = c == 1 ? "score" : "outcome";
    if (!col) continue;
    size_t ci;
    if ((s = attrib_table_column_require(t, col, what, &ci, err))) return s;
    if (t->cols[ci].type == ATTRIB_COLUMN_CATEGORICAL)
      return attrib__fail(err, ATTRIB_ETYPE, "%s column '%s' in %s is text (first at line %zu: '%s'); expected numbers",
                          what, col, t->source ? t->source : "the data",
                          t->cols[ci].first_text_line, t->cols[ci].first_text ? t->cols[ci].first_text : "");
    /* a constant outcome gave an effect of 0 with SE 0 and a NaN interval,
     * one scaled to 1e300 inf standard errors (issue 15) */
    if (c != 1 && (s = attrib__check_outcome(t->source, col, t->cols[ci].values, NULL, t->n_rows, 0, err)))
      return s;
  }
  return ATTRIB_OK;
}

/* the options the result reports back */
static void psm_result_settings(attrib_psm_result *r, const attrib_table *t, const attrib_psm_options *o) {
  r->method = o->method;
  r->estimand = o->estimand;
  r->link = o->link;
  r->score_given = o->score != NULL;
  r->distance_logit = o->distance_logit;
  r->replace = o->replace;
  r->bias_adjust = o->bias_adjust;
  r->ratio = o->ratio;
  r->order = o->order;
  r->caliper = o->caliper > 0.0 ? o->caliper : NAN;
  r->caliper_width = NAN;
  r->tie_tolerance = o->tie_tolerance;
  r->discard = o->discard;
  r->level = o->level;
  r->df = INFINITY;
  r->n_input = t->n_rows;
}

/* the propensity model's design: treat ~ covariates, carrying the
 * outcome (and score) along and the exact columns as codings. Built from
 * the treatment's name and the covariates' terms (parsed once, when given
 * as text): never a string to parse again, so no length or name is cut. */
static attrib_status psm_design(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  attrib_status s;
  const attrib_formula *covs = o->covariate_terms;
  if (!covs && o->covariates && *o->covariates) {
    if ((s = attrib_formula_parse_rhs(o->covariates, &c->cov, err))) return s;
    covs = c->cov;
  }
  if ((s = attrib_formula_new(o->treat, &c->f, err))) return s;
  if (covs && (s = attrib_formula_add_formula(c->f, covs, err))) return s;
  const attrib_table *tt = c->t; /* the table, or its trimmed view */
  if (o->trim > 0.0) {
    if ((s = trim_prepare(c->t, o, c->f, &c->tv, err))) return s;
    tt = &c->tv.t;
    r->n_trimmed = c->tv.n_trimmed;
  }
  r->trim = o->trim;
  /* keep: the outcome, the extra outcomes, then the score (or the trim
   * marker); a row missing any of them is dropped for all outcomes */
  size_t ne = 0;
  while (o->extra_outcomes && o->extra_outcomes[ne]) ne++;
  const char **keep = attrib__calloc(ne + 3, sizeof *keep);
  if (!keep) return psm_oom(err);
  keep[0] = o->outcome;
  for (size_t j = 0; j < ne; j++) keep[1 + j] = o->extra_outcomes[j];
  keep[1 + ne] = o->trim > 0.0 ? TRIM_COLUMN : o->score;
  c->n_extra = ne;
  if (ne) { /* the rows that an extra outcome alone drops, counted (before trimming) */
    const char *k1[3] = {o->outcome, o->trim > 0.0 ? TRIM_COLUMN : o->score, NULL};
    attrib_design_options d1;
    attrib_design_options_init(&d1);
    d1.keep = k1;
    d1.cluster = o->exact && o->exact[0] ? o->exact : NULL;
    d1.check_collinearity = 0;
    d1.levels_advice = ATTRIB_DESIGN_ADVICE_EXACT;
    attrib_design *dd = NULL;
    if ((s = attrib_design_build(tt, c->f, &d1, &dd, err))) {
      attrib__free(keep);
      return s;
    }
    c->n_without_extra = dd->n;
    attrib_design_free(dd);
  }
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.keep = (const char *const *)keep;
  dopt.cluster = o->exact && o->exact[0] ? o->exact : NULL;
  dopt.check_collinearity = 0;
  /* the score model absorbs no fixed effects, and psm takes covariates, not
   * a formula: too many levels are dropped, grouped or matched exactly */
  dopt.levels_advice = ATTRIB_DESIGN_ADVICE_EXACT;
  s = attrib_design_build(tt, c->f, &dopt, &c->d, err);
  attrib__free(keep);
  if (s) return s;
  c->n = c->d->n;
  if (ne) r->n_dropped_outcomes = c->n_without_extra - c->n;
  c->nb = c->n ? c->n : 1;
  c->y = c->d->keep[0];
  r->n_missing = c->d->n_dropped_missing + c->d->n_dropped_weight - r->n_trimmed;
  return ATTRIB_OK;
}

/* the treatment must be 0/1, with at least two units on each side; the
 * naive difference of means beside the estimate */
static attrib_status psm_treatment(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  const attrib_design *d = c->d;
  size_t n = c->n;
  int *treat = c->treat = attrib__alloc_large(c->nb * sizeof *treat);
  if (!treat) return psm_oom(err);
  for (size_t i = 0; i < n; i++) {
    double v = d->y[i];
    if (v != 0.0 && v != 1.0)
      return attrib__fail(err, ATTRIB_ETYPE, "treatment column '%s' must be 0/1; data row %zu has %g", o->treat,
                          d->rows[i] + 1, v);
    treat[i] = v == 1.0;
    r->n_treated += treat[i];
  }
  r->n_control = n - r->n_treated;
  if (!r->n_treated || !r->n_control)
    return attrib__fail(err, ATTRIB_ENODATA, "no %s units among the %zu complete rows: there is nothing to compare",
                        r->n_treated ? "control" : "treated", n);
  if (r->n_treated == 1 || r->n_control == 1)
    return attrib__fail(err, ATTRIB_ENODATA,
                        "a single %s unit: its outcome cannot be told apart from its noise, so no standard error exists",
                        r->n_treated == 1 ? "treated" : "control");
  double sy1 = 0, sy0 = 0;
  for (size_t i = 0; i < n; i++) {
    if (treat[i]) sy1 += c->y[i];
    else sy0 += c->y[i];
  }
  r->naive_difference = sy1 / (double)r->n_treated - sy0 / (double)r->n_control;
  return ATTRIB_OK;
}

/* the score e (given, or the propensity model's fit) and the distance D
 * (e, or its logit) */
static attrib_status psm_score(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  attrib_design *d = c->d;
  size_t n = c->n, nb = c->nb;
  attrib_status s;
  const double *e = NULL;
  if (o->score) {
    e = c->e = d->keep[1 + c->n_extra];
    for (size_t i = 0; i < n; i++)
      if (!(e[i] > 0.0 && e[i] < 1.0) && (o->distance_logit || !isfinite(e[i])))
        return attrib__fail(err, ATTRIB_ETYPE, "score column '%s' must lie strictly between 0 and 1; data row %zu has %g",
                            o->score, d->rows[i] + 1, e[i]);
    if (o->distance_logit) {
      if (!(c->D_buf = attrib__alloc_large(nb * sizeof *c->D_buf))) return psm_oom(err);
      for (size_t i = 0; i < n; i++) c->D_buf[i] = log(e[i] / (1.0 - e[i]));
      c->D = c->D_buf;
    } else {
      c->D = e;
    }
    return ATTRIB_OK;
  }
  attrib_logit_options lo;
  attrib_logit_options_init(&lo);
  lo.link = o->link;
  lo.keep_fitted = 1;
  lo.threads = o->threads;
  /* the exact columns ride in the design's cluster slot (they are
   * codings); hide them from the score model, which would read them as
   * a request for clustered errors */
  size_t n_exact = d->n_cluster;
  d->n_cluster = 0;
  s = attrib_logit_fit(d, &lo, &r->ps_model, err);
  d->n_cluster = n_exact;
  if (s) return s;
  if (!r->ps_model->converged)
    if (warn(r, "the propensity model did not converge: the scores, and all that follows, are suspect; simplify it "
                "(fewer psm.covariates) or give a score (psm.score COL)"))
      return psm_oom(err);
  e = c->e = r->ps_model->fitted;
  for (size_t i = 0; i < n; i++) {
    if (!(e[i] > 0.0 && e[i] < 1.0))
      return attrib__fail(err, ATTRIB_ENOOVERLAP,
                          "the propensity model predicts %s exactly for data row %zu: no overlap (separation); "
                          "drop or coarsen the covariate that separates the groups",
                          e[i] >= 1.0 ? "treatment" : "control", d->rows[i] + 1);
  }
  /* the model's own arrays serve as the distance where they are it: an
   * n-long copy is fresh memory, the dearest thing here */
  if (!o->distance_logit) {
    c->D = e;
  } else if (o->link == ATTRIB_LINK_LOGIT) {
    c->D = r->ps_model->linear_predictor;
  } else {
    if (!(c->D_buf = attrib__alloc_large(nb * sizeof *c->D_buf))) return psm_oom(err);
    for (size_t i = 0; i < n; i++) c->D_buf[i] = log(e[i] / (1.0 - e[i]));
    c->D = c->D_buf;
  }
  return ATTRIB_OK;
}

/* overlap: the groups' distance ranges must meet */
static attrib_status psm_overlap(psm_fit *c, attrib_error *err) {
  const double *D = c->D;
  const int *treat = c->treat;
  double lo1 = INFINITY, hi1 = -INFINITY, lo0 = INFINITY, hi0 = -INFINITY;
  for (size_t i = 0; i < c->n; i++) {
    double v = D[i]; /* comparisons, not fmin/fmax: those are libm calls here */
    if (treat[i]) {
      lo1 = v < lo1 ? v : lo1;
      hi1 = v > hi1 ? v : hi1;
    } else {
      lo0 = v < lo0 ? v : lo0;
      hi0 = v > hi0 ? v : hi0;
    }
  }
  c->lo1 = lo1, c->hi1 = hi1, c->lo0 = lo0, c->hi0 = hi0;
  if (lo1 > hi0 || lo0 > hi1)
    return attrib__fail(err, ATTRIB_ENOOVERLAP,
                        "no overlap: the treated units' distances [%g, %g] and the controls' [%g, %g] do not meet; "
                        "no comparison is possible without extrapolation",
                        lo1, hi1, lo0, hi0);
  return ATTRIB_OK;
}

/* psm.method ipw or aipw: the weighting estimator with its influence-function
 * SE (and a multiplier bootstrap of the influence function), and the IPW
 * weights for the balance table */
static attrib_status psm_weighting(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  size_t n = c->n;
  const double *e = c->e;
  attrib_status s;
  attrib_weighting_result wr;
  double *psi = o->bootstrap ? attrib__malloc(c->nb, sizeof *psi) : NULL;
  if (o->bootstrap && !psi) return psm_oom(err);
  s = attrib_weighting_fit_influence(c->d, e, c->y, o->method == ATTRIB_PSM_AIPW ? ATTRIB_WEIGHT_AIPW : ATTRIB_WEIGHT_IPW,
                                     o->estimand, &wr, psi, err);
  if (!s && o->bootstrap) {
    attrib_boot_options bo;
    attrib_boot_options_init(&bo);
    bo.replicates = o->bootstrap;
    bo.seed = o->seed;
    bo.type = ATTRIB_BOOT_MULTIPLIER;
    bo.weights = o->boot_weights;
    bo.ci = o->boot_ci;
    bo.level = o->level;
    bo.threads = o->threads;
    bo.keep_draws = o->keep_draws || c->n_extra; /* several outcomes: Romano-Wolf reads them */
    int32_t *cl = NULL;
    size_t G = 0;
    if (o->boot_cluster) s = cluster_codes(c->t, c->d, o->boot_cluster, &cl, &G, err);
    if (!s) s = attrib_multiplier_bootstrap(psi, n, cl, G, wr.estimate, &bo, &r->boot, err);
    attrib__free(cl);
  }
  attrib__free(psi);
  if (s) return s;
  r->effect.estimate = wr.estimate;
  r->effect.std_error = wr.std_error;
  r->se_method = o->method == ATTRIB_PSM_IPW         ? "m-estimation (Lunceford-Davidian 2004)"
                 : o->estimand == ATTRIB_ESTIMAND_ATT ? "influence function (Sant'Anna-Zhao 2020, as DRDID)"
                                                      : "influence function (Robins-Rotnitzky-Zhao 1994)";
  r->ess_treated = wr.ess_treated;
  r->ess_control = wr.ess_control;
  for (size_t i = 0; i < n; i++) {
    /* the IPW weights of the estimand (AIPW is checked with the ATE's) */
    c->w[i] = o->estimand == ATTRIB_ESTIMAND_ATT ? (c->treat[i] ? 1.0 : e[i] / (1.0 - e[i]))
                                                  : (c->treat[i] ? 1.0 / e[i] : 1.0 / (1.0 - e[i]));
  }
  r->n_treated_matched = r->n_treated;
  r->n_control_matched = r->n_control;
  return ATTRIB_OK;
}

/* Nearest matching, step 1: the focal units (the treated for the ATT, the
 * controls for the ATC), common support (psm.discard), and the matching
 * options with the caliper and the tie window in the distance's units */
static attrib_status nearest_support(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  size_t n = c->n;
  const double *D = c->D;
  const int *treat = c->treat;
  int *focal = c->focal = attrib__alloc_large(c->nb * sizeof *focal);
  unsigned char *active = c->active = attrib__alloc_large(c->nb);
  if (!focal || !active) return psm_oom(err);
  int focal_is_treated = c->focal_is_treated = o->estimand != ATTRIB_ESTIMAND_ATC;
  for (size_t i = 0; i < n; i++) {
    focal[i] = focal_is_treated ? treat[i] : !treat[i];
    int off = (treat[i] && (o->discard & ATTRIB_DISCARD_TREATED) && (D[i] < c->lo0 || D[i] > c->hi0)) ||
              (!treat[i] && (o->discard & ATTRIB_DISCARD_CONTROL) && (D[i] < c->lo1 || D[i] > c->hi1));
    active[i] = !off;
    if (off) {
      c->reason[i] = ATTRIB_PSM_OFF_SUPPORT;
      *(treat[i] ? &r->n_treated_discarded : &r->n_control_discarded) += 1;
    }
  }
  size_t focal_active = 0, cand_active = 0;
  double sum = 0, sum2 = 0, cnt = 0;
  for (size_t i = 0; i < n; i++)
    if (active[i]) {
      focal_active += focal[i] != 0;
      cand_active += focal[i] == 0;
      sum += D[i];
      cnt += 1.0;
    }
  if (!focal_active || !cand_active)
    return attrib__fail(err, ATTRIB_ENOOVERLAP, "no overlap: discarding units outside common support left no %s units",
                        !focal_active ? (focal_is_treated ? "treated" : "control") : (focal_is_treated ? "control" : "treated"));
  /* MatchIt's convention: the caliper is in SDs of the distance over
   * the units kept after discarding, both groups together */
  double mean = sum / cnt;
  for (size_t i = 0; i < n; i++)
    if (active[i]) sum2 += (D[i] - mean) * (D[i] - mean);
  attrib_match_options *mo = &c->mo;
  attrib_match_options_init(mo);
  mo->ratio = o->ratio;
  mo->replace = o->replace;
  mo->order = o->order;
  mo->seed = o->seed;
  if (o->caliper > 0.0) {
    r->caliper_width = o->caliper * sqrt(sum2 / (cnt - 1.0));
    mo->caliper = r->caliper_width;
  }
  /* Matching's distance.tolerance is in squared SDs of what it matches
   * on (it standardises X by its sample SD, then compares squared
   * distances: matching.cc, Dist <= Distmax + cdd); here in squared
   * distance units, with the SD over the units kept, as for the caliper */
  mo->tie_tolerance = o->tie_tolerance > 0.0 ? o->tie_tolerance * (sum2 / (cnt - 1.0)) : 0.0;
  return ATTRIB_OK;
}

/* Nearest matching, step 2: the strata (psm.exact) in the units' rank
 * order, the focal units matched (and, for the ATE, the others too); fewer
 * than two matched focal units is an error that names the option to blame */
static attrib_status nearest_match(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  size_t n = c->n;
  attrib_status s;
  if ((s = rank_order(c->t, c->d, o->id, &c->order, err))) return s;
  if ((s = build_strata(c->d, c->order, c->active, &c->st, err))) return s;
  r->n_strata = c->st.n_strata;
  if ((s = match_all(&c->st, c->D, c->focal, &c->mo, o->threads, &c->m1, err))) return s;
  if (c->m1->n_treated_matched < 2) {
    /* nothing, or one unit, to estimate from: say which option left them
     * out (a single matched set used to surface as a complaint about
     * clustered SEs: issue 15.7) */
    const char *who = c->focal_is_treated ? "treated" : "control";
    char why[160];
    if (o->caliper > 0.0)
      snprintf(why, sizeof why, "within the caliper (%g SD = %g on the distance)%s", o->caliper, r->caliper_width,
               c->st.n_strata > 1 ? " and its exact-match stratum" : "");
    else
      snprintf(why, sizeof why, "within its exact-match stratum");
    const char *fix = o->caliper > 0.0 ? "widen the caliper" : "match exactly on fewer or coarser columns";
    if (!c->m1->n_treated_matched)
      return attrib__fail(err, ATTRIB_ENOOVERLAP, "no %s unit has a match %s; %s", who, why, fix);
    return attrib__fail(err, ATTRIB_ENOOVERLAP,
                        "only 1 of the %zu %s units has a match %s: an effect and its standard error need at least "
                        "two matched units; %s",
                        c->m1->n_treated, who, why, fix);
  }
  if (o->estimand == ATTRIB_ESTIMAND_ATE) {
    for (size_t i = 0; i < n; i++) c->focal[i] = !c->treat[i];
    if ((s = match_all(&c->st, c->D, c->focal, &c->mo, o->threads, &c->m0, err))) return s;
    for (size_t i = 0; i < n; i++) c->focal[i] = c->treat[i];
  }
  return ATTRIB_OK;
}

/* Nearest matching, step 3: the matched and unmatched units counted, each
 * unmatched one given its reason, and a warning when focal units are left
 * out (the estimate is then for the matched ones only) */
static attrib_status nearest_unmatched(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  attrib_matches *m1 = c->m1, *m0 = c->m0;
  const int *treat = c->treat, *focal = c->focal;
  int focal_is_treated = c->focal_is_treated;
  attrib_status s;
  unsigned char *hit = c->active; /* reuse: 2 = matched focal or used candidate */
  if ((s = attrib__match_mark(m1, hit, 2, err)) || (m0 && (s = attrib__match_mark(m0, hit, 2, err)))) return s;
  r->n_matches = m1->n_pairs + (m0 ? m0->n_pairs : 0);
  r->n_tied_sets = m1->n_tied + (m0 ? m0->n_tied : 0);
  for (size_t i = 0; i < c->n; i++) {
    if (hit[i] == 2) {
      *(treat[i] ? &r->n_treated_matched : &r->n_control_matched) += 1;
    } else if (hit[i] == 1) {
      if (focal[i] || o->estimand == ATTRIB_ESTIMAND_ATE) {
        c->reason[i] = ATTRIB_PSM_NO_MATCH;
        *(treat[i] ? &r->n_treated_unmatched : &r->n_control_unmatched) += 1;
      } else {
        c->reason[i] = ATTRIB_PSM_NOT_SELECTED;
      }
    }
  }
  size_t n_focal_unmatched = focal_is_treated ? r->n_treated_unmatched : r->n_control_unmatched;
  if (n_focal_unmatched) {
    char msg[400];
    snprintf(msg, sizeof msg,
             "%zu %s units found no match%s and are left out: the estimate is for the matched %s units, not all of "
             "them; %s, or weight instead (psm.method ipw or aipw)",
             n_focal_unmatched, focal_is_treated ? "treated" : "control",
             o->caliper > 0.0 ? " within the caliper" : " in their stratum", focal_is_treated ? "treated" : "control",
             o->caliper > 0.0 ? "widen psm.caliper" : "coarsen psm.exact");
    if (warn(r, msg)) return psm_oom(err);
  }
  return ATTRIB_OK;
}

/* Nearest matching, step 4: the effect and its SE. The matched outcome
 * differences of the focal units estimate the ATT; the ATC is minus that of
 * the flipped problem. With replacement: Abadie-Imbens (2006), bias-adjusted
 * (2011) on request, and the Abadie-Imbens (2016) correction for an
 * estimated score where it applies; without: cluster-robust over the
 * matched sets (MatchIt's recommendation). */
static attrib_status nearest_effect(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  attrib_matches *m1 = c->m1, *m0 = c->m0;
  size_t n = c->n;
  attrib_status s;
  double sign = c->focal_is_treated ? 1.0 : -1.0;
  if (o->estimand == ATTRIB_ESTIMAND_ATE) {
    s = attrib_match_ate_ai(c->y, n, m1, m0, &r->effect.estimate, &r->effect.std_error, err);
    r->se_method = "abadie-imbens-2006";
  } else if (o->replace) {
    if (o->bias_adjust) {
      s = attrib_match_att_ai_bc(c->y, c->D, 1, n, n, m1, &r->effect.estimate, &r->effect.std_error, err);
      r->se_method = "abadie-imbens-2011-bias-adjusted";
    } else {
      s = attrib_match_att_ai(c->y, n, m1, &r->effect.estimate, &r->effect.std_error, err);
      r->se_method = "abadie-imbens-2006";
    }
  } else {
    if (!c->subclass) { /* the sets and weights: once, whatever the outcome */
      c->subclass = attrib__alloc_large(c->nb * sizeof *c->subclass);
      if (!c->subclass) return psm_oom(err);
      if ((s = attrib_match_weights(m1, n, c->w, c->subclass, err))) return s;
    }
    s = attrib_match_att_sets(c->y, c->focal, c->w, c->subclass, n, &r->effect.estimate, &r->effect.std_error, &r->n_sets,
                              err);
    r->se_method = "cluster-robust-matched-sets";
    r->df = r->n_sets > 1 ? (double)(r->n_sets - 1) : NAN;
    if (s == ATTRIB_OK && r->n_sets < 2)
      return attrib__fail(err, ATTRIB_ENODATA, "a single matched set: the cluster-robust standard error needs at least two");
  }
  if (s) return s;
  if (!(r->effect.std_error > 0.0)) /* a zero SE would print a NaN test and interval with exit 0 */
    return attrib__fail(err, ATTRIB_ENUMERIC,
                        "the standard error is 0: the outcome differences within the %zu matched sets do not vary, so "
                        "no interval or test exists (is the outcome constant within the exact-match strata?)",
                        m1->n_sets + (m0 ? m0->n_sets : 0));
  r->std_error_known_ps = NAN;
  if (o->replace && !o->bias_adjust && !o->score && !o->ps_known && o->caliper <= 0.0 &&
      o->discard == ATTRIB_DISCARD_NONE && c->st.n_strata == 1) {
    if ((s = ps_adjust(r, c->d, c->D, c->treat, c->y, c->order, c->mo.tie_tolerance, err))) return s;
  }
  r->effect.estimate *= sign;
  return ATTRIB_OK;
}

/* Nearest matching with replacement, step 5: the balance weights
 * (Matching's convention), the candidates' scaled to their number as
 * MatchIt does */
static attrib_status nearest_replace_weights(psm_fit *c, attrib_error *err) {
  attrib_matches *m1 = c->m1, *m0 = c->m0;
  size_t n = c->n;
  double *w = c->w;
  attrib_status s;
  memset(w, 0, n * sizeof *w);
  if ((s = replace_weights(m1, n, w, err)) || (m0 && (s = replace_weights(m0, n, w, err)))) return s;
  if (!m0) { /* scale the candidates' weights to their number, as MatchIt does */
    double sw = 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
      if (!c->focal[i] && w[i] > 0) sw += w[i], used++;
    for (size_t i = 0; i < n; i++)
      if (!c->focal[i] && w[i] > 0) w[i] *= (double)used / sw;
  }
  c->r->n_sets = m1->n_treated_matched + (m0 ? m0->n_treated_matched : 0);
  return ATTRIB_OK;
}

/* psm.keep_pairs: every matched pair as (treated row, control row), its set,
 * distance and weight; too many to list is an error */
static attrib_status nearest_pairs(psm_fit *c, attrib_error *err) {
  attrib_psm_result *r = c->r;
  attrib_matches *m1 = c->m1, *m0 = c->m0;
  size_t np = m1->n_pairs + (m0 ? m0->n_pairs : 0);
  if (np > ATTRIB_PSM_MAX_PAIRS)
    return attrib__fail(err, ATTRIB_ENOMEM,
                        "the matched pairs are too many to list: %zu (more than %zu); with replacement every control "
                        "tied with the nearest is kept, and %zu sets have ties (the distance takes few distinct values)",
                        np, (size_t)ATTRIB_PSM_MAX_PAIRS, r->n_tied_sets);
  r->pairs = attrib__malloc(np ? np : 1, sizeof *r->pairs);
  if (!r->pairs) return psm_oom(err);
  size_t set = 0;
  for (int pass = 0; pass < 2; pass++) {
    const attrib_matches *mm = pass ? m0 : m1;
    int flip = pass ? 1 : !c->focal_is_treated;
    for (size_t q = 0; mm && q < mm->n_sets; q++, set++) {
      size_t lo = mm->begin[q], hi = mm->end[q], fu = mm->focal[q];
      for (size_t k = lo; k < hi; k++) {
        attrib_psm_pair *pp = &r->pairs[r->n_pairs++];
        size_t cu = mm->members[k], a = c->d->rows[fu], b = c->d->rows[cu];
        pp->treated_row = flip ? b : a;
        pp->control_row = flip ? a : b;
        pp->set = set;
        pp->distance = fabs(c->D[fu] - c->D[cu]);
        pp->weight = 1.0 / (double)(hi - lo);
      }
    }
  }
  return ATTRIB_OK;
}

/* psm.method nearest: support, matching, the unmatched, the effect, the
 * balance weights and the pairs, in that order */
static attrib_status psm_nearest(psm_fit *c, attrib_error *err) {
  attrib_status s;
  if ((s = nearest_support(c, err)) || (s = nearest_match(c, err)) || (s = nearest_unmatched(c, err))) return s;
  c->r->seconds_match = lap(&c->t0);
  if ((s = nearest_effect(c, err))) return s;
  if (c->o->replace && (s = nearest_replace_weights(c, err))) return s;
  if (c->o->keep_pairs && (s = nearest_pairs(c, err))) return s;
  return ATTRIB_OK;
}

/* the audit: every table row left out, with its reason */
static attrib_status psm_audit(psm_fit *c, attrib_error *err) {
  const attrib_table *t = c->t;
  attrib_psm_result *r = c->r;
  const unsigned char *reason = c->reason;
  size_t n = c->n;
  for (size_t i = 0; i < n; i++) r->n_audit += reason[i] != 0xff;
  r->n_audit += t->n_rows - n;
  if (c->o->keep_audit && r->n_audit) {
    r->audit_row = attrib__malloc(r->n_audit, sizeof *r->audit_row);
    r->audit_reason = attrib__malloc(r->n_audit, 1);
    if (!r->audit_row || !r->audit_reason) return psm_oom(err);
    size_t k = 0, i = 0;
    for (size_t row = 0; row < t->n_rows; row++) {
      if (i < n && c->d->rows[i] == row) {
        if (reason[i] != 0xff) {
          r->audit_row[k] = row;
          r->audit_reason[k++] = reason[i];
        }
        i++;
      } else {
        r->audit_row[k] = row;
        r->audit_reason[k++] = c->tv.values && isnan(c->tv.values[row]) ? ATTRIB_PSM_TRIMMED : ATTRIB_PSM_MISSING;
      }
    }
  }
  return ATTRIB_OK;
}

/* Several outcomes: the effect of each on the one score model and matching
 * (or weighting) done for the first, then the adjusted p-values. The
 * result's own fields stay the first outcome's. */
static void outcome_take(attrib_psm_outcome *po, const attrib_psm_result *r, const double *y, const int *treat,
                         size_t n) {
  char *term = po->effect.term; /* the outcome's own copy */
  po->effect = r->effect;
  po->effect.term = term;
  po->n_obs = r->n_treated + r->n_control;
  po->se_method = r->se_method;
  po->ps_adjusted = r->ps_adjusted;
  po->std_error_known_ps = r->std_error_known_ps;
  po->boot = r->boot;
  double s1 = 0.0, s0 = 0.0;
  size_t n1 = 0;
  for (size_t i = 0; i < n; i++) {
    if (treat[i]) s1 += y[i], n1++;
    else s0 += y[i];
  }
  po->naive_difference = s1 / (double)n1 - s0 / (double)(n - n1);
}

static attrib_status psm_adjust(attrib_psm_result *r, attrib_error *err) {
  size_t S = r->n_outcomes;
  double *p = attrib__malloc(S, sizeof *p), *q = attrib__malloc(S, sizeof *q), *t = attrib__malloc(S, sizeof *t);
  double *tb = NULL;
  attrib_status s = ATTRIB_OK;
  if (!p || !q || !t) {
    s = psm_oom(err);
    goto done;
  }
  for (size_t j = 0; j < S; j++) p[j] = r->outcomes[j].effect.p_value, r->outcomes[j].p_romano_wolf = NAN;
  attrib_p_adjust_bonferroni(p, S, q);
  for (size_t j = 0; j < S; j++) r->outcomes[j].p_bonferroni = q[j];
  if ((s = attrib_p_adjust_holm(p, S, q, err))) goto done;
  for (size_t j = 0; j < S; j++) r->outcomes[j].p_holm = q[j];
  /* Romano-Wolf: every outcome's multiplier draws, centred and scaled by
   * its SE (the sample t = estimate / SE) */
  size_t B = r->outcomes[0].boot ? r->outcomes[0].boot->n_draws : 0;
  for (size_t j = 0; j < S; j++)
    if (!r->outcomes[j].boot || !r->outcomes[j].boot->draws || r->outcomes[j].boot->n_draws != B) B = 0;
  if (!B) goto done;
  if (!(tb = attrib__malloc(S * B, sizeof *tb))) {
    s = psm_oom(err);
    goto done;
  }
  for (size_t j = 0; j < S; j++) {
    const attrib_effect *e = &r->outcomes[j].effect;
    t[j] = e->estimate / e->std_error;
    for (size_t b = 0; b < B; b++) tb[j * B + b] = (r->outcomes[j].boot->draws[b] - e->estimate) / e->std_error;
  }
  if ((s = attrib_romano_wolf(t, tb, S, B, q, err))) goto done;
  for (size_t j = 0; j < S; j++) r->outcomes[j].p_romano_wolf = q[j];
done:
  attrib__free(p), attrib__free(q), attrib__free(t), attrib__free(tb);
  return s;
}

static attrib_status psm_outcomes(psm_fit *c, attrib_error *err) {
  const attrib_psm_options *o = c->o;
  attrib_psm_result *r = c->r;
  size_t S = c->n_extra + 1;
  attrib_status s = ATTRIB_OK;
  if (!(r->outcomes = attrib__calloc(S, sizeof *r->outcomes))) return psm_oom(err);
  r->n_outcomes = S;
  for (size_t j = 0; j < S; j++)
    if (!(r->outcomes[j].outcome = attrib__strdup(j ? o->extra_outcomes[j - 1] : o->outcome)) ||
        !(r->outcomes[j].effect.term = attrib__strdup(o->treat)))
      return psm_oom(err);
  outcome_take(&r->outcomes[0], r, c->y, c->treat, c->n);
  /* the first outcome's fields, restored after the others */
  attrib_psm_result keep = *r;
  for (size_t j = 1; j < S && !s; j++) {
    c->y = c->d->keep[j];
    r->boot = NULL;
    r->ps_adjusted = 0;
    s = o->method != ATTRIB_PSM_NEAREST ? psm_weighting(c, err) : nearest_effect(c, err);
    if (!s) {
      attrib__effect_infer(&r->effect, r->df, o->level);
      outcome_take(&r->outcomes[j], r, c->y, c->treat, c->n);
    } else {
      attrib_boot_result_free(r->boot);
      attrib_error e = *err;
      attrib__fail(err, s, "outcome '%s': %s", o->extra_outcomes[j - 1], e.message);
      err->option = e.option;
    }
  }
  /* restore (the warnings' list may have grown: keep it) */
  char **w = r->warnings;
  size_t nw2 = r->n_warnings;
  keep.effect.term = r->effect.term;
  *r = keep;
  r->warnings = w, r->n_warnings = nw2;
  c->y = c->d->keep[0];
  if (s) return s;
  return psm_adjust(r, err);
}

static void psm_fit_free(psm_fit *c) {
  size_t nb = c->nb;
  attrib_matches_free(c->m1);
  attrib_matches_free(c->m0);
  strata_free(&c->st);
  /* the work arrays are n-long: large mappings, returned whole
   * (docs/design.md) */
  attrib__free_large(c->order, nb * sizeof *c->order);
  attrib__free_large(c->active, nb);
  attrib__free_large(c->reason, nb);
  attrib__free_large(c->focal, nb * sizeof *c->focal);
  attrib__free_large(c->subclass, nb * sizeof *c->subclass);
  attrib__free_large(c->treat, nb * sizeof *c->treat);
  attrib__free_large(c->w, nb * sizeof *c->w);
  attrib__free_large(c->D_buf, nb * sizeof *c->D_buf);
  attrib_design_free(c->d);
  attrib_formula_free(c->f);
  attrib_formula_free(c->cov);
  trim_view_free(&c->tv);
}

static attrib_status psm_fit_one(const attrib_table *t, const attrib_psm_options *o, attrib_psm_result **out,
                                 attrib_error *err);

/* psm.per_outcome_rows: one complete analysis per outcome, each on the rows
 * that outcome has; the first outcome's result carries the others'
 * effects, adjusted by Bonferroni and Holm. */
static attrib_status psm_per_outcome(const attrib_table *t, const attrib_psm_options *o, attrib_psm_result **out,
                                     attrib_error *err) {
  size_t S = 1;
  while (o->extra_outcomes[S - 1]) S++;
  attrib_psm_options oj = *o;
  oj.extra_outcomes = NULL;
  attrib_psm_result *r = NULL;
  attrib_status s = psm_fit_one(t, &oj, &r, err);
  if (s) return s;
  if (!(r->outcomes = attrib__calloc(S, sizeof *r->outcomes))) goto oom;
  r->n_outcomes = S;
  for (size_t j = 0; j < S; j++) {
    attrib_psm_outcome *po = &r->outcomes[j];
    attrib_psm_result *rj = r;
    if (j) {
      oj.outcome = o->extra_outcomes[j - 1];
      oj.keep_pairs = oj.keep_audit = 0;
      if ((s = psm_fit_one(t, &oj, &rj, err))) {
        attrib_error e = *err;
        attrib__fail(err, s, "outcome '%s': %s", oj.outcome, e.message);
        err->option = e.option;
        goto fail;
      }
    }
    po->effect = rj->effect;
    po->effect.term = NULL;
    po->n_obs = rj->n_treated + rj->n_control;
    po->naive_difference = rj->naive_difference;
    po->se_method = rj->se_method;
    po->ps_adjusted = rj->ps_adjusted;
    po->std_error_known_ps = rj->std_error_known_ps;
    po->boot = rj->boot;
    if (j) rj->boot = NULL; /* moved */
    po->outcome = attrib__strdup(j ? oj.outcome : o->outcome);
    po->effect.term = attrib__strdup(o->treat);
    /* the other analyses' warnings, named */
    for (size_t w = 0; j && w < rj->n_warnings && po->outcome; w++) {
      attrib__sbuf b = {0};
      attrib__sbuf_addf(&b, "outcome '%s': %s", oj.outcome, rj->warnings[w]);
      int bad = b.failed || attrib__strlist_push(&r->warnings, &r->n_warnings, b.s);
      attrib__sbuf_free(&b);
      if (bad) { /* reported as out of memory below */
        attrib__free(po->outcome);
        po->outcome = NULL;
      }
    }
    if (j) attrib_psm_result_free(rj);
    if (!po->outcome || !po->effect.term) goto oom;
  }
  r->per_outcome_rows = 1;
  if ((s = psm_adjust(r, err))) goto fail;
  for (size_t j = 0; j < S; j++) r->outcomes[j].p_romano_wolf = NAN; /* the units differ between outcomes */
  *out = r;
  return ATTRIB_OK;
oom:
  s = psm_oom(err);
fail:
  attrib_psm_result_free(r);
  return s;
}

attrib_status attrib_psm_fit(const attrib_table *t, const attrib_psm_options *o, attrib_psm_result **out,
                             attrib_error *err) {
  if (out) *out = NULL;
  if (!t || !o || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_psm_fit: NULL argument");
  if (o->per_outcome_rows && o->extra_outcomes && o->extra_outcomes[0]) {
    attrib_status s = attrib_psm_check(o, err);
    if (!s) s = psm_check_columns(t, o, err);
    return s ? s : psm_per_outcome(t, o, out, err);
  }
  return psm_fit_one(t, o, out, err);
}

static attrib_status psm_fit_one(const attrib_table *t, const attrib_psm_options *o, attrib_psm_result **out,
                                 attrib_error *err) {
  *out = NULL;
  double t0 = now();
  attrib_status s = attrib_psm_check(o, err);
  if (s) return s;
  if ((s = psm_check_columns(t, o, err))) return s;

  attrib_psm_result *r = attrib__calloc(1, sizeof *r);
  psm_fit c = {.t = t, .o = o, .r = r, .t0 = t0, .nb = 1};
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  psm_result_settings(r, t, o);
  if (!(r->effect.term = attrib__strdup(o->treat))) goto oom;
  if ((s = psm_design(&c, err)) || (s = psm_treatment(&c, err)) || (s = psm_score(&c, err))) goto fail;
  r->seconds_score = lap(&c.t0);
  if ((s = psm_overlap(&c, err))) goto fail;

  c.reason = attrib__alloc_large(c.nb);
  c.w = attrib__alloc_large(c.nb * sizeof *c.w); /* zeroed pages */
  if (!c.reason || !c.w) goto oom;
  memset(c.reason, 0xff, c.n);
  if (o->method != ATTRIB_PSM_NEAREST) {
    if ((s = psm_weighting(&c, err))) goto fail;
    r->seconds_match = lap(&c.t0); /* weighting: estimate and SE together */
  } else if ((s = psm_nearest(&c, err))) {
    goto fail;
  }
  attrib__effect_infer(&r->effect, r->df, o->level);
  if (c.n_extra && (s = psm_outcomes(&c, err))) goto fail;
  r->seconds_effect = lap(&c.t0);

  /* balance of every covariate column, before and after */
  const attrib_design *d = c.d;
  if (d->k > (size_t)(d->intercept ? 1 : 0)) {
    if ((s = attrib_balance_compute(d, c.treat, c.w, o->estimand, &r->balance, err))) goto fail;
    if (o->method == ATTRIB_PSM_NEAREST) {
      r->ess_treated = r->balance->ess_treated;
      r->ess_control = r->balance->ess_control;
    }
  }
  if ((s = psm_audit(&c, err))) goto fail;
  r->seconds_balance = lap(&c.t0);
  s = ATTRIB_OK;
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
fail:
  attrib_psm_result_free(r);
  r = NULL;
done:
  psm_fit_free(&c);
  *out = r;
  return s;
}
