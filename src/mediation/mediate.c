/*
 * attrib mediate: causal mediation with a linear mediator and a linear
 * outcome model (include/attrib/mediate.h, docs/methods/mediation.md).
 *
 * One matrix holds everything: Z = [X, T, M, (T M), Y] on the rows where
 * every column is present, X the intercept and the covariates' columns. The
 * R factor of Z's QR holds both fits at once, because the mediator model's
 * regressors [X, T] are Z's leading columns and M is the next one:
 *   mediator model  M on [X, T]:        R11 coef = R[0:p_m, M],  SSR = R[M, M]^2
 *   outcome model   Y on [X, T, M, TM]: R coef = R[0:p_y, Y],    SSR = R[Y, Y]^2
 *   reduced form    Y on [X, T]:        SSR = sum_{j > T} R[j, Y]^2, and the
 *                   cross product of its residuals with the mediator model's
 *                   is R[M, M] R[M, Y] (both residuals lie in the span of
 *                   Q's columns after T).
 * So both models are fitted on the same rows by construction, as mediate
 * requires. A bootstrap replicate is the same from the R factor of W^1/2 Z,
 * W the replicate's counts of each row (R'R = Z'WZ, the resample's
 * cross-products), by the streaming TSQR: no resampled copy of Z.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/design.h>
#include <attrib/mediate.h>

#include "core/attrib_internal.h"
#include "inference/inference_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "core/xsrc.h"

/* R's lm: a column whose norm after projecting out the columns before it
 * is at most 1e-7 of its own norm is aliased (qr's default tol). */
#define MED_TOL 1e-7
#define MED_NQ ATTRIB_MEDIATE_N_QUANTITIES

void attrib_mediate_options_init(attrib_mediate_options *o) {
  memset(o, 0, sizeof *o);
  o->ci_method = ATTRIB_MEDIATE_QUASI_BAYES;
  o->sims = 1000;
  o->seed = 1;
  o->level = 0.95;
}

const char *attrib_mediate_ci_name(attrib_mediate_ci m) {
  return m == ATTRIB_MEDIATE_QUASI_BAYES ? "quasi-bayes" : m == ATTRIB_MEDIATE_BOOTSTRAP ? "bootstrap" : NULL;
}

attrib_status attrib_mediate_ci_parse(const char *s, attrib_mediate_ci *out, attrib_error *err) {
  if (s && !strcmp(s, "quasi-bayes")) return *out = ATTRIB_MEDIATE_QUASI_BAYES, ATTRIB_OK;
  if (s && !strcmp(s, "bootstrap")) return *out = ATTRIB_MEDIATE_BOOTSTRAP, ATTRIB_OK;
  return attrib__fail(err, ATTRIB_EINVAL, "unknown interval method '%s' (quasi-bayes, bootstrap)", s ? s : "");
}

attrib_status attrib_mediate_check(const attrib_mediate_options *o, attrib_error *err) {
  if (!o) return attrib__fail(err, ATTRIB_EINVAL, "mediate: NULL options");
  const char *names[3] = {o->treat, o->mediator, o->outcome};
  const char *fields[3] = {"mediate.treat", "mediate.mediator", "mediate.outcome"};
  const char *words[3] = {"the treatment", "the mediator", "the outcome"};
  for (int i = 0; i < 3; i++)
    if (!names[i] || !*names[i])
      return attrib__fail_option(err, ATTRIB_EUSAGE, fields[i], "mediation needs %s column", words[i]);
  for (int i = 0; i < 3; i++)
    for (int j = i + 1; j < 3; j++)
      if (!strcmp(names[i], names[j]))
        return attrib__fail_option(err, ATTRIB_EUSAGE, fields[j], "'%s' cannot be both %s and %s", names[i],
                                   words[i], words[j]);
  if (o->ci_method != ATTRIB_MEDIATE_QUASI_BAYES && o->ci_method != ATTRIB_MEDIATE_BOOTSTRAP)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "mediate.ci_method", "the interval method must be quasi-bayes or "
                                                                        "bootstrap");
  if (o->sims < 10 || o->sims > 1000000)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "mediate.sims", "the simulations must lie in [10, 1000000], got %zu",
                               o->sims);
  return attrib__check_level(o->level, "mediate.level", err);
}

void attrib_mediate_result_free(attrib_mediate_result *r) {
  if (!r) return;
  attrib__free(r->sens_rho);
  attrib__free(r->sens_acme);
  attrib__strlist_free(r->warnings, r->n_warnings);
  attrib__free(r);
}

/* ------------------------------------------------------------ the fits */

/* Z's shape: n rows; kx columns of X; then T, M, (T M), Y. */
typedef struct med_shape {
  size_t n, kx, q; /* q = kx + 3 (+ 1 with the interaction) */
  int inter;
} med_shape;

/* One fit of both models from Z (or a resample of it). */
typedef struct med_fit {
  double *R;       /* q-by-q upper triangle, ld q */
  double *coef_m;  /* p_m = kx + 1: X's coefficients, then a */
  double *coef_y;  /* p_y = q - 1: X's, then c, b, (g) */
  double *xbar;    /* kx column means of X (the intercept's is 1) */
  double ssr_m, ssr_y, ssr_red, cross;
  size_t bad;      /* 0, or 1 + the first aliased column of Z */
} med_fit;

/* Per-thread room for one fit. */
typedef struct med_ws {
  double *A, *tau, *work, *norm, *u;
  double *counts;     /* bootstrap: how often the replicate drew each row */
  attrib__scratch sc; /* bootstrap: the TSQR's working arrays, taken once */
  attrib_status st;   /* bootstrap: a failure other than a singular refit */
  med_fit fit;
} med_ws;

static size_t ws_doubles(const med_shape *s, int copy) {
  size_t q = s->q;
  return (copy ? s->n * q : 0) + q + ATTRIB__GEQRF_WORK(q) + q + q + q * q + q + q + s->kx;
}

/* The bytes of attrib__tsqr's working arrays for q columns of a materialised source. */
static size_t tsqr_bytes(size_t q) {
  return attrib__scratch_bytes((q + ATTRIB__BLOCK_ROWS) * q, sizeof(double)) + attrib__scratch_bytes(q, sizeof(double)) +
         attrib__scratch_bytes(ATTRIB__BLOCK_ROWS, sizeof(double)) +
         attrib__scratch_bytes(ATTRIB__GEQRF_WORK(q), sizeof(double));
}

/* Carves a workspace out of one block of ws_doubles() doubles. */
static void ws_carve(med_ws *w, const med_shape *s, double *block, int copy) {
  size_t q = s->q;
  double *p = block;
  w->A = copy ? p : NULL, p += copy ? s->n * q : 0;
  w->tau = p, p += q;
  w->work = p, p += ATTRIB__GEQRF_WORK(q);
  w->norm = p, p += q;
  w->u = p, p += q;
  w->fit.R = p, p += q * q;
  w->fit.coef_m = p, p += q;
  w->fit.coef_y = p, p += q;
  w->fit.xbar = p;
}

/* Solves the leading p-by-p block of R (ld q) x = rhs by back substitution. */
static void back_solve(const double *R, size_t q, size_t p, const double *rhs, double *x) {
  for (size_t ii = p; ii-- > 0;) {
    double s = rhs[ii];
    for (size_t j = ii + 1; j < p; j++) s -= R[ii + j * q] * x[j];
    x[ii] = s / R[ii + ii * q];
  }
}

/* Both models from the fit's R (q-by-q) and Z's column norms (w->norm). */
static void fit_from_r(const med_shape *s, med_ws *w) {
  size_t q = s->q, kx = s->kx, iM = kx + 1, iY = q - 1;
  med_fit *f = &w->fit;
  f->bad = 0;
  /* every regressor column must keep some of its norm (Y is the response) */
  for (size_t j = 0; j < iY && !f->bad; j++)
    if (!(fabs(f->R[j + j * q]) > MED_TOL * w->norm[j])) f->bad = j + 1;
  if (f->bad) return;
  for (size_t j = 0; j <= kx; j++) w->u[j] = f->R[j + iM * q];
  back_solve(f->R, q, kx + 1, w->u, f->coef_m);
  for (size_t j = 0; j < iY; j++) w->u[j] = f->R[j + iY * q];
  back_solve(f->R, q, iY, w->u, f->coef_y);
  f->ssr_m = f->R[iM + iM * q] * f->R[iM + iM * q];
  f->ssr_y = f->R[iY + iY * q] * f->R[iY + iY * q];
  f->ssr_red = 0;
  for (size_t j = kx + 1; j <= iY; j++) f->ssr_red += f->R[j + iY * q] * f->R[j + iY * q];
  f->cross = f->R[iM + iM * q] * f->R[iM + iY * q];
}

/* Fits both models from A (n-by-q, ld n; overwritten by its QR). */
static void fit_qr(const med_shape *s, double *A, med_ws *w) {
  size_t n = s->n, q = s->q, kx = s->kx;
  med_fit *f = &w->fit;
  for (size_t j = 0; j < kx; j++) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += A[i + j * n];
    f->xbar[j] = sum / (double)n;
  }
  for (size_t j = 0; j < q; j++) {
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += A[i + j * n] * A[i + j * n];
    w->norm[j] = sqrt(ss);
  }
  if (attrib__dgeqrf((int)n, (int)q, A, (int)n, w->tau, w->work, ATTRIB__GEQRF_WORK(q)) != 0) {
    f->bad = 1;
    return;
  }
  for (size_t j = 0; j < q; j++)
    for (size_t i = 0; i < q; i++) f->R[i + j * q] = i <= j ? A[i + j * n] : 0.0;
  fit_from_r(s, w);
}

/*
 * The quantities of one set of coefficients (Imai, Keele & Tingley 2010,
 * Psychological Methods, Section "Estimation": with linear models the
 * mediation formula's integrals have closed forms). Under sequential
 * ignorability ACME(t) = E[Y(t, M(1)) - Y(t, M(0))] and ADE(t) = E[Y(1, M(t))
 * - Y(0, M(t))] (the unit-level effects defined in their section on causal
 * mediation effects and in Imai, Keele & Yamamoto 2010, Section 2, averaged
 * over the sample). With E[Y(t, m) | X] = c0 + c t + b m + g t m + X'beta
 * and M(t) = a0 + a t + X'xi + e2:
 *   Y(t, M(1)) - Y(t, M(0)) = (b + g t) (M(1) - M(0)) = (b + g t) a
 *     (the unit's e2 cancels), so ACME(t) = a (b + g t);
 *   Y(1, M(t)) - Y(0, M(t)) = c + g M(t), whose mean over the sample is
 *     c + g (a0 + a t + Xbar'xi) (E[e2] = 0), so ADE(t) = c + g mbar(t);
 *   total = E[Y(1, M(1)) - Y(0, M(0))] = ACME(1) + ADE(0) = ACME(0) + ADE(1).
 * mediate computes the same means by predicting each row's mediator with a
 * simulated error shared by both arms; the error cancels from the ACME and
 * adds only mean-zero noise to the ADE with an interaction, so the closed
 * form is the value its simulation estimates.
 */
static void quantities(const med_shape *s, const double *coef_m, const double *coef_y, const double *xbar,
                       double *v) {
  size_t kx = s->kx;
  double a = coef_m[kx], c = coef_y[kx], b = coef_y[kx + 1], g = s->inter ? coef_y[kx + 2] : 0.0;
  double m0 = 0;
  for (size_t j = 0; j < kx; j++) m0 += xbar[j] * coef_m[j];
  double acme1 = a * (b + g), acme0 = a * b, ade1 = c + g * (m0 + a), ade0 = c + g * m0, total = acme1 + ade0;
  v[ATTRIB_MEDIATE_ACME_TREATED] = acme1, v[ATTRIB_MEDIATE_ACME_CONTROL] = acme0;
  v[ATTRIB_MEDIATE_ACME] = 0.5 * (acme1 + acme0);
  v[ATTRIB_MEDIATE_ADE_TREATED] = ade1, v[ATTRIB_MEDIATE_ADE_CONTROL] = ade0;
  v[ATTRIB_MEDIATE_ADE] = 0.5 * (ade1 + ade0);
  v[ATTRIB_MEDIATE_TOTAL] = total;
  v[ATTRIB_MEDIATE_PROP_TREATED] = acme1 / total, v[ATTRIB_MEDIATE_PROP_CONTROL] = acme0 / total;
  v[ATTRIB_MEDIATE_PROP] = 0.5 * (acme1 + acme0) / total;
}

/* ------------------------------------------------------------ the draws */

typedef struct med_job {
  const med_shape *s;
  const attrib_mediate_options *o;
  const double *Z;        /* the data (bootstrap) */
  const med_fit *est;     /* the estimate's fit (quasi-Bayes) */
  double sig_m, sig_y;    /* the residual SDs (quasi-Bayes) */
  med_ws *ws;             /* one per thread */
  size_t per_chunk;
  double *draws;          /* MED_NQ x sims: quantity j of draw b at j * sims + b */
} med_job;

/* Quasi-Bayesian draw b (King, Tomz & Wittenberg 2000): coef + sigma R^-1 z
 * has the fit's covariance sigma^2 (X'X)^-1 = sigma^2 R^-1 R^-T, so no
 * Cholesky factor is needed. The mediator model's p_m normals come first
 * in stream (seed, MEDIATE_QB, b), then the outcome model's p_y. */
static void qb_draw(med_job *j, size_t b, med_ws *w, double *v) {
  const med_shape *s = j->s;
  size_t q = s->q, pm = s->kx + 1, py = q - 1;
  attrib__rng g;
  attrib__rng_init(&g, j->o->seed, ATTRIB__RNG_MEDIATE_QB, b);
  double *z = w->norm, *cm = w->fit.coef_m, *cy = w->fit.coef_y;
  for (size_t i = 0; i < pm; i++) z[i] = attrib__rng_next_normal(&g);
  back_solve(j->est->R, q, pm, z, w->u);
  for (size_t i = 0; i < pm; i++) cm[i] = j->est->coef_m[i] + j->sig_m * w->u[i];
  for (size_t i = 0; i < py; i++) z[i] = attrib__rng_next_normal(&g);
  back_solve(j->est->R, q, py, z, w->u);
  for (size_t i = 0; i < py; i++) cy[i] = j->est->coef_y[i] + j->sig_y * w->u[i];
  quantities(s, cm, cy, j->est->xbar, v);
}

/* Bootstrap replicate b: n rows drawn with replacement from stream (seed,
 * MEDIATE_BOOT, b), both models refitted from the R factor of W^1/2 Z, W
 * the draws' counts (the resample's cross-products Z'WZ, without a copy);
 * a singular refit is NaN. */
static void boot_draw(med_job *j, size_t b, med_ws *w, double *v) {
  const med_shape *s = j->s;
  size_t n = s->n, q = s->q;
  attrib__rng g;
  attrib__rng_init(&g, j->o->seed, ATTRIB__RNG_MEDIATE_BOOT, b);
  memset(w->counts, 0, n * sizeof *w->counts);
  for (size_t i = 0; i < n; i++) w->counts[attrib__rng_below(attrib__rng_next(&g), n)] += 1.0;
  for (size_t k = 0; k < MED_NQ; k++) v[k] = NAN;
  for (size_t c = 0; c < s->kx; c++) {
    const double *z = j->Z + c * n;
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += w->counts[i] * z[i];
    w->fit.xbar[c] = sum / (double)n;
  }
  attrib__xsrc X = attrib__xsrc_matrix(j->Z, n, q, n);
  attrib__scratch_reset(&w->sc);
  attrib_status st = attrib__tsqr(&X, NULL, w->counts, w->fit.R, w->u, &w->sc, NULL);
  if (st) {
    if (!w->st) w->st = st;
    return;
  }
  for (size_t c = 0; c < q; c++) w->norm[c] = sqrt(w->u[c]);
  fit_from_r(s, w);
  if (!w->fit.bad) quantities(s, w->fit.coef_m, w->fit.coef_y, w->fit.xbar, v);
}

static void draw_chunk(void *ctx, size_t chunk, size_t thread) {
  med_job *j = ctx;
  size_t sims = j->o->sims, b0 = chunk * j->per_chunk, b1 = b0 + j->per_chunk < sims ? b0 + j->per_chunk : sims;
  double v[MED_NQ];
  for (size_t b = b0; b < b1; b++) {
    if (j->o->ci_method == ATTRIB_MEDIATE_BOOTSTRAP)
      boot_draw(j, b, &j->ws[thread], v);
    else
      qb_draw(j, b, &j->ws[thread], v);
    for (size_t k = 0; k < MED_NQ; k++) j->draws[k * sims + b] = v[k];
  }
}

/* Each quantity's SD, percentile interval and p-value from its draws
 * (sorted in place; NaN draws, from singular bootstrap refits, left out). */
static void summarise(attrib_mediate_result *r, double *draws, size_t sims) {
  double alpha = 1.0 - r->level;
  for (size_t k = 0; k < MED_NQ; k++) {
    double *d = draws + k * sims;
    size_t m = 0;
    for (size_t b = 0; b < sims; b++)
      if (!isnan(d[b])) d[m++] = d[b];
    attrib_mediate_effect *e = &r->effects[k];
    if (m < 2) {
      e->std_error = e->ci_low = e->ci_high = e->p_value = e->mean_of_draws = NAN;
      continue;
    }
    double mean = 0, ss = 0;
    size_t pos = 0, neg = 0;
    for (size_t b = 0; b < m; b++) mean += d[b];
    mean /= (double)m;
    e->mean_of_draws = mean;
    for (size_t b = 0; b < m; b++) {
      ss += (d[b] - mean) * (d[b] - mean);
      pos += d[b] > 0, neg += d[b] < 0;
    }
    e->std_error = sqrt(ss / (double)(m - 1));
    qsort(d, m, sizeof *d, attrib__cmp_double);
    e->ci_low = attrib__quantile7(d, m, alpha / 2.0);
    e->ci_high = attrib__quantile7(d, m, 1.0 - alpha / 2.0);
    /* mediate's pval(): 1 for an estimate of exactly 0 */
    double p = e->estimate == 0.0 ? 1.0 : 2.0 * (double)(pos < neg ? pos : neg) / (double)m;
    e->p_value = p < 1.0 ? p : 1.0;
  }
}

/* Frees what run_draws allocated (NULL pointers are fine). */
static void draws_free(double *draws, double *block, med_ws *ws, size_t threads, double *counts) {
  for (size_t t = 0; ws && t < threads; t++) attrib__scratch_release(&ws[t].sc);
  attrib__free(draws), attrib__free(block), attrib__free(ws), attrib__free(counts);
}

/* The draws on up to o->threads threads, each draw in its own slot. */
static attrib_status run_draws(const med_shape *s, const attrib_mediate_options *o, const double *Z,
                               const med_fit *est, attrib_mediate_result *r, attrib_error *err) {
  int boot = o->ci_method == ATTRIB_MEDIATE_BOOTSTRAP;
  size_t sims = o->sims, per = 16, n_chunks = (sims + per - 1) / per;
  size_t threads = attrib__threads(o->threads, n_chunks), wsz = ws_doubles(s, 0);
  double *draws = attrib__malloc(MED_NQ * sims, sizeof *draws);
  double *block = attrib__malloc(threads * wsz, sizeof *block);
  med_ws *ws = attrib__calloc(threads, sizeof *ws);
  double *counts = boot ? attrib__malloc(threads * s->n, sizeof *counts) : NULL;
  int ok = draws && block && ws && (!boot || counts);
  for (size_t t = 0; ok && t < threads; t++) {
    ws_carve(&ws[t], s, block + t * wsz, 0);
    ws[t].counts = boot ? counts + t * s->n : NULL;
    if (boot && attrib__scratch_init(&ws[t].sc, tsqr_bytes(s->q))) ok = 0;
  }
  if (!ok) {
    draws_free(draws, block, ws, threads, counts);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  med_job j = {.s = s, .o = o, .Z = Z, .est = est, .ws = ws, .per_chunk = per, .draws = draws,
               .sig_m = r->med_sigma, .sig_y = r->out_sigma};
  attrib__parallel_chunks(n_chunks, threads, draw_chunk, &j);
  attrib_status st = ATTRIB_OK;
  for (size_t t = 0; t < threads && !st; t++) st = ws[t].st;
  r->sims_failed = 0;
  for (size_t b = 0; b < sims; b++) r->sims_failed += isnan(draws[b]);
  if (!st) summarise(r, draws, sims);
  draws_free(draws, block, ws, threads, counts);
  if (st) return attrib__fail(err, st, "bootstrap refit: out of memory");
  if (boot && r->sims_failed) {
    char msg[200];
    snprintf(msg, sizeof msg, "%zu of %zu bootstrap replicates had a singular refit and were left out",
             r->sims_failed, sims);
    if (attrib__strlist_push(&r->warnings, &r->n_warnings, msg)) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ the data */

/* The model frame: outcome ~ covariates with the treatment and mediator
 * carried along, so every row used has all of them. */
static attrib_status build_design(const attrib_table *t, const attrib_mediate_options *o, attrib_design **d,
                                  attrib_error *err) {
  attrib_formula *covs = NULL, *f = NULL;
  const attrib_formula *terms = o->covariate_terms;
  attrib_status s = ATTRIB_OK;
  size_t idx;
  /* each column named by its role first (the design would call them all "column") */
  ATTRIB__TRY(attrib_table_column_require(t, o->treat, "treatment", &idx, err));
  ATTRIB__TRY(attrib_table_column_require(t, o->mediator, "mediator", &idx, err));
  ATTRIB__TRY(attrib_table_column_require(t, o->outcome, "outcome", &idx, err));
  if (!terms && o->covariates && *o->covariates) {
    if ((s = attrib_formula_parse_rhs(o->covariates, &covs, err))) return s;
    terms = covs;
  }
  const char *roles[3] = {o->treat, o->mediator, o->outcome};
  const char *words[3] = {"treatment", "mediator", "outcome"};
  for (int i = 0; terms && i < 3 && !s; i++)
    if (attrib_formula_uses(terms, roles[i]))
      s = attrib__fail_option(err, ATTRIB_EUSAGE, "mediate.covariates",
                              "the covariates use the %s '%s': they must be measured before the treatment", words[i],
                              roles[i]);
  if (!s && terms && (terms->n_fe || !terms->intercept))
    s = attrib__fail_option(err, ATTRIB_EUSAGE, "mediate.covariates",
                            "the covariates may not absorb fixed effects or drop the intercept (give factor(g))");
  if (!s) s = attrib_formula_new(o->outcome, &f, err);
  if (!s && terms) s = attrib_formula_add_formula(f, terms, err);
  if (!s) {
    attrib_design_options dopts;
    attrib_design_options_init(&dopts);
    const char *keep[3] = {o->treat, o->mediator, NULL};
    dopts.keep = keep;
    dopts.levels_advice = ATTRIB_DESIGN_ADVICE_GROUP;
    s = attrib_design_build(t, f, &dopts, d, err);
  }
  attrib_formula_free(f);
  attrib_formula_free(covs);
  return s;
}

/* The treatment 0/1 with both arms, the mediator not constant, and no
 * covariate column aliased. */
static attrib_status check_frame(const attrib_design *d, const attrib_mediate_options *o, attrib_mediate_result *r,
                                 attrib_error *err) {
  const double *T = d->keep[0], *M = d->keep[1];
  for (size_t i = 0; i < d->n; i++) {
    if (T[i] != 0.0 && T[i] != 1.0)
      return attrib__fail(err, ATTRIB_ETYPE, "the treatment '%s' must be 0/1, got %g in data row %zu", o->treat, T[i],
                          d->rows[i] + 1);
    r->n_treated += T[i] == 1.0;
  }
  r->n_control = d->n - r->n_treated;
  if (!r->n_treated || !r->n_control)
    return attrib__fail(err, ATTRIB_ENODATA, "the treatment '%s' is %d in all %zu rows used: mediation needs both arms",
                        o->treat, r->n_treated ? 1 : 0, d->n);
  size_t i = 1;
  while (i < d->n && M[i] == M[0]) i++;
  if (i == d->n)
    return attrib__fail(err, ATTRIB_ENUMERIC, "the mediator '%s' is constant (%g) in the %zu rows used", o->mediator,
                        M[0], d->n);
  for (size_t j = 0; j < d->k; j++)
    if (d->alias && d->alias[j])
      return attrib__fail(err, ATTRIB_ENUMERIC, "the covariate column '%s' is %s: drop it", d->names[j],
                          d->alias[j] == ATTRIB_ALIAS_CONSTANT ? "constant" : "collinear with the columns before it");
  return ATTRIB_OK;
}

/* Z = [X, T, M, (T M), Y] from the design (a new n-by-q array). */
static attrib_status make_z(attrib_design *d, const med_shape *s, double **Z, attrib_error *err) {
  ATTRIB__TRY(attrib_design_materialize(d, err));
  size_t n = s->n, kx = s->kx;
  double *z = attrib__malloc(n * s->q, sizeof *z);
  if (!z) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  memcpy(z, d->X, n * kx * sizeof *z);
  memcpy(z + kx * n, d->keep[0], n * sizeof *z);
  memcpy(z + (kx + 1) * n, d->keep[1], n * sizeof *z);
  if (s->inter)
    for (size_t i = 0; i < n; i++) z[(kx + 2) * n + i] = d->keep[0][i] * d->keep[1][i];
  memcpy(z + (s->q - 1) * n, d->y, n * sizeof *z);
  *Z = z;
  return ATTRIB_OK;
}

/* ------------------------------------------------------------ the estimate */

/* SE of coefficient j of the model whose R is the leading p-by-p block:
 * sigma sqrt(((R'R)^-1)_jj) = sigma |row j of R^-1|. */
static double coef_se(const double *R, size_t q, size_t p, size_t j, double sigma, double *e, double *x) {
  double ss = 0;
  for (size_t k = 0; k < p; k++) {
    memset(e, 0, p * sizeof *e);
    e[k] = 1.0;
    back_solve(R, q, p, e, x);
    ss += x[j] * x[j];
  }
  return sigma * sqrt(ss);
}

static double centred_ss(const double *v, size_t n) {
  double mean = 0, ss = 0;
  for (size_t i = 0; i < n; i++) mean += v[i];
  mean /= (double)n;
  for (size_t i = 0; i < n; i++) ss += (v[i] - mean) * (v[i] - mean);
  return ss;
}

/* The fits' figures and the sensitivity analysis into r. */
static attrib_status describe_fit(const med_shape *s, const double *Z, const med_fit *f, med_ws *w,
                                  attrib_mediate_result *r, attrib_error *err) {
  size_t n = s->n, q = s->q, kx = s->kx, pm = kx + 1, py = q - 1;
  r->med_df = n - pm, r->out_df = n - py;
  r->med_sigma = sqrt(f->ssr_m / (double)r->med_df), r->out_sigma = sqrt(f->ssr_y / (double)r->out_df);
  r->med_r2 = 1.0 - f->ssr_m / centred_ss(Z + (kx + 1) * n, n);
  r->out_r2 = 1.0 - f->ssr_y / centred_ss(Z + (q - 1) * n, n);
  double *e = w->norm, *x = w->u;
  r->med_treat = (attrib_mediate_coef){f->coef_m[kx], coef_se(f->R, q, pm, kx, r->med_sigma, e, x)};
  r->out_treat = (attrib_mediate_coef){f->coef_y[kx], coef_se(f->R, q, py, kx, r->out_sigma, e, x)};
  r->out_mediator = (attrib_mediate_coef){f->coef_y[kx + 1], coef_se(f->R, q, py, kx + 1, r->out_sigma, e, x)};
  r->out_interaction = s->inter ? (attrib_mediate_coef){f->coef_y[kx + 2], coef_se(f->R, q, py, kx + 2, r->out_sigma, e, x)}
                                : (attrib_mediate_coef){NAN, NAN};
  r->med_mean_control = 0;
  for (size_t j = 0; j < kx; j++) r->med_mean_control += f->xbar[j] * f->coef_m[j];
  double v[MED_NQ];
  quantities(s, f->coef_m, f->coef_y, f->xbar, v);
  for (size_t k = 0; k < MED_NQ; k++) r->effects[k].estimate = v[k];
  r->rho_at_zero = r->r2_star_prod_at_zero = r->r2_tilde_prod_at_zero = NAN;
  if (s->inter)
    return attrib__strlist_push(&r->warnings, &r->n_warnings,
                                "the sensitivity analysis (rho_at_zero) is defined for the model without the "
                                "treatment-mediator interaction (Imai, Keele & Yamamoto 2010); not computed")
               ? attrib__fail(err, ATTRIB_ENOMEM, "out of memory")
               : ATTRIB_OK;
  /* Imai, Keele & Yamamoto (2010), Section 4: ACME(rho) = a (s1 / s2)
   * (rt - rho sqrt((1 - rt^2) / (1 - rho^2))); s1 / s2 = sqrt(ssr_red /
   * ssr_m) and rt = cross / sqrt(ssr_red ssr_m) (the denominators cancel),
   * so ACME(0) = a cross / ssr_m = ab (Frisch-Waugh-Lovell). */
  double a = f->coef_m[kx], rt = f->cross / sqrt(f->ssr_red * f->ssr_m), ratio = sqrt(f->ssr_red / f->ssr_m);
  r->rho_at_zero = rt;
  r->r2_star_prod_at_zero = rt * rt;
  r->r2_tilde_prod_at_zero = (1.0 - r->med_r2) * (1.0 - r->out_r2) * rt * rt;
  r->n_sensitivity = 19;
  r->sens_rho = attrib__malloc(19, sizeof *r->sens_rho);
  r->sens_acme = attrib__malloc(19, sizeof *r->sens_acme);
  if (!r->sens_rho || !r->sens_acme) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  for (size_t i = 0; i < 19; i++) {
    double rho = ((double)i - 9.0) / 10.0;
    r->sens_rho[i] = rho;
    r->sens_acme[i] = a * ratio * (rt - rho * sqrt((1.0 - rt * rt) / (1.0 - rho * rho)));
  }
  return ATTRIB_OK;
}

/* Why the estimate's fit is singular, in the analyst's words. */
static attrib_status singular(const med_shape *s, const attrib_design *d, const attrib_mediate_options *o, size_t col,
                              attrib_error *err) {
  size_t kx = s->kx;
  if (col < kx)
    return attrib__fail(err, ATTRIB_ENUMERIC, "the covariate column '%s' is collinear with the columns before it: "
                                              "drop it", d->names[col]);
  if (col == kx)
    return attrib__fail(err, ATTRIB_ENUMERIC, "the treatment '%s' is collinear with the covariates", o->treat);
  if (col == kx + 1)
    return attrib__fail(err, ATTRIB_ENUMERIC, "the mediator '%s' is a linear function of the treatment and the "
                                              "covariates: nothing is left to separate its effect", o->mediator);
  return attrib__fail(err, ATTRIB_ENUMERIC, "the treatment x mediator interaction is collinear with the other "
                                            "columns");
}

static attrib_status mediate_run(const attrib_table *t, const attrib_mediate_options *o, attrib_mediate_result *r,
                                 attrib_error *err) {
  attrib_design *d = NULL;
  double *Z = NULL, *A = NULL, *block = NULL;
  attrib_status s = build_design(t, o, &d, err);
  if (s) return s;
  r->n = d->n, r->n_input = d->n_input, r->n_dropped_missing = d->n_dropped_missing;
  med_shape sh = {.n = d->n, .kx = d->k, .inter = o->interaction};
  sh.q = sh.kx + 3 + (sh.inter ? 1 : 0);
  r->k_covariates = d->k - 1;
  if ((s = check_frame(d, o, r, err))) goto done;
  if (d->n <= sh.q - 1 || d->n > INT_MAX) {
    s = attrib__fail(err, ATTRIB_ENODATA, "%zu rows are too few for the outcome model's %zu coefficients", d->n,
                     sh.q - 1);
    goto done;
  }
  if ((s = make_z(d, &sh, &Z, err))) goto done;
  med_ws w;
  A = attrib__malloc(sh.n * sh.q, sizeof *A);
  block = attrib__malloc(ws_doubles(&sh, 0), sizeof *block);
  if (!A || !block) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  ws_carve(&w, &sh, block, 0);
  memcpy(A, Z, sh.n * sh.q * sizeof *A);
  fit_qr(&sh, A, &w);
  if (w.fit.bad) {
    s = singular(&sh, d, o, w.fit.bad - 1, err);
    goto done;
  }
  if ((s = describe_fit(&sh, Z, &w.fit, &w, r, err))) goto done;
  s = run_draws(&sh, o, Z, &w.fit, r, err);
done:
  attrib__free(A);
  attrib__free(block);
  attrib__free(Z);
  attrib_design_free(d);
  return s;
}

attrib_status attrib_mediate_fit(const attrib_table *t, const attrib_mediate_options *o, attrib_mediate_result **out,
                                 attrib_error *err) {
  if (!t || !out) return attrib__fail(err, ATTRIB_EINVAL, "mediate: NULL argument");
  *out = NULL;
  ATTRIB__TRY(attrib_mediate_check(o, err));
  attrib_mediate_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  r->interaction = o->interaction != 0;
  r->ci_method = o->ci_method, r->sims = o->sims, r->seed = o->seed, r->level = o->level;
  attrib_status s = mediate_run(t, o, r, err);
  if (s) {
    attrib_mediate_result_free(r);
    return s;
  }
  *out = r;
  return ATTRIB_OK;
}
