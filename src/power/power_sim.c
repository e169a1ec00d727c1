/* attrib power: the simulation check of a design through attrib's own OLS
 * (did: its 2x2 estimator),
 * and the baseline estimates (SD, ICC, R2) of attrib_power_from_data. */
#include <math.h>
#include <string.h>

#include <attrib/design.h>
#include <attrib/did.h>
#include <attrib/formula.h>
#include <attrib/ols.h>

#include "core/attrib_internal.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "power/power_internal.h"

/* The simulated data's frame: y (filled each replicate), treat, the team
 * of each row (cluster design) and a covariate x (when r2 > 0), read once
 * from CSV text so every replicate refits the same table through the
 * public path (the design builder and attrib_ols_fit) an analyst's data
 * takes. */
static attrib_status make_frame(size_t nt_units, size_t nc_units, size_t m, int cluster, int covariate, int did,
                                attrib_table **out, attrib_error *err) {
  attrib__sbuf b = {0};
  if (did) /* two rows a learner, pre and post, in unit order */
    attrib__sbuf_addf(&b, "y,treat,post,unit\n");
  else
    attrib__sbuf_addf(&b, "y,treat%s%s\n", cluster ? ",team" : "", covariate ? ",x" : "");
  size_t units = nt_units + nc_units;
  for (size_t j = 0; j < units; j++)
    for (size_t i = 0; i < m; i++) {
      if (did) {
        attrib__sbuf_addf(&b, "0,%d,0,u%zu\n0,%d,1,u%zu\n", j < nt_units ? 1 : 0, j, j < nt_units ? 1 : 0, j);
        continue;
      }
      attrib__sbuf_addf(&b, "0,%d", j < nt_units ? 1 : 0);
      if (cluster) attrib__sbuf_addf(&b, ",t%zu", j);
      attrib__sbuf_add(&b, covariate ? ",0\n" : "\n", covariate ? 3 : 1);
    }
  if (b.failed) {
    attrib__sbuf_free(&b);
    return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  }
  attrib_csv_options co;
  attrib_csv_options_init(&co);
  co.threads = 1;
  static const char *const team[] = {"team", NULL}, *const unit[] = {"unit", NULL};
  if (cluster) co.categorical = team;
  if (did) co.categorical = unit;
  attrib_status s = attrib_table_read_csv_buffer(b.s, b.len, "power simulation", &co, out, err);
  attrib__sbuf_free(&b);
  return s;
}

/* One replicate's data and fit, on the frame of the thread that runs it.
 * Each replicate writes only its own slots (est, p, st), and the caller
 * sums them in replicate order: the result is the same for any thread
 * count and any order the replicates run in. */
typedef struct sim_job {
  const attrib_power_options *o;
  double mde, s_x, s_u, s_e;
  double rho;         /* did: the pre/post correlation */
  size_t nt, nc, m, rows;
  int cluster, covariate, did;
  attrib_table **t;   /* one frame per thread */
  attrib_formula **f; /* and its formula */
  double *est, *p;
  attrib_status *st;
} sim_job;

static void sim_rep(void *ctx, size_t b, size_t thread) {
  sim_job *j = ctx;
  attrib_table *t = j->t[thread];
  double *y = t->cols[0].values, *x = j->covariate ? t->cols[j->cluster ? 3 : 2].values : NULL;
  /* replicate b's data come from stream (seed, POWER_SIM, b): team effects
   * first, then each learner's error and covariate */
  attrib__rng g;
  attrib__rng_init(&g, j->o->seed, ATTRIB__RNG_POWER_SIM, b);
  size_t units = j->nt + j->nc;
  if (j->did) {
    /* learner u: pre sd z0, post sd (rho z0 + sqrt(1 - rho^2) z1) + effect
     * when treated, so the two correlate rho with equal variance */
    double c = sqrt(1.0 - j->rho * j->rho);
    for (size_t u = 0; u < units; u++) {
      double z0 = attrib__rng_next_normal(&g), z1 = attrib__rng_next_normal(&g);
      y[2 * u] = j->o->sd * z0;
      y[2 * u + 1] = j->o->sd * (j->rho * z0 + c * z1) + (u < j->nt ? j->mde : 0.0);
    }
    /* the engine's 2x2 (y ~ treat * post), SEs clustered by learner: the
     * difference in mean changes of a balanced panel */
    attrib_did_options dopt;
    attrib_did_options_init(&dopt);
    dopt.outcome = "y", dopt.treat = "treat", dopt.post = "post", dopt.cluster = "unit";
    dopt.estimator = ATTRIB_DID_2X2, dopt.threads = 1;
    attrib_did_result *fit = NULL;
    j->st[b] = attrib_did_fit(t, &dopt, &fit, NULL);
    j->est[b] = fit ? fit->effect.estimate : NAN;
    j->p[b] = fit ? fit->effect.p_value : NAN;
    attrib_did_result_free(fit);
    return;
  }
  for (size_t u = 0; u < units; u++) {
    double team = j->cluster ? j->s_u * attrib__rng_next_normal(&g) : 0.0;
    for (size_t i = 0; i < j->m; i++) y[u * j->m + i] = (u < j->nt ? j->mde : 0.0) + team;
  }
  for (size_t i = 0; i < j->rows; i++) {
    y[i] += j->s_e * attrib__rng_next_normal(&g);
    if (x) {
      x[i] = attrib__rng_next_normal(&g);
      y[i] += j->s_x * x[i];
    }
  }
  attrib_design_options dopts;
  attrib_design_options_init(&dopts);
  static const char *const teams[] = {"team", NULL};
  if (j->cluster) dopts.cluster = teams;
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.treat = "treat";
  oo.threads = 1; /* the replicates are the parallel loop */
  if (j->cluster) oo.vcov = ATTRIB_VCOV_CLUSTER;
  attrib_design *d = NULL;
  attrib_ols_result *fit = NULL;
  attrib_status s = attrib_design_build(t, j->f[thread], &dopts, &d, NULL);
  if (!s) s = attrib_ols_fit(d, &oo, &fit, NULL);
  attrib_design_free(d);
  j->st[b] = s;
  j->est[b] = fit ? fit->effect.estimate : NAN;
  j->p[b] = fit ? fit->effect.p_value : NAN;
  attrib_ols_result_free(fit);
}

attrib_status attrib__power_simulate(const attrib_power_options *o, attrib_power_result *r, attrib_error *err) {
  sim_job j = {.o = o, .mde = r->mde, .cluster = o->design == ATTRIB_POWER_CLUSTER, .covariate = o->r2 > 0,
               .did = o->design == ATTRIB_POWER_DID, .rho = o->rho};
  /* whole learners (rct) or whole clusters of a whole size (cluster) in each arm */
  j.m = j.cluster ? (size_t)fmax(1.0, round(o->cluster_size)) : 1;
  double unit = (double)j.m;
  j.nt = (size_t)fmax(1.0, round(r->n_treated / unit)), j.nc = (size_t)fmax(1.0, round(r->n_control / unit));
  if (j.nt + j.nc < 3) j.nt = j.nc = 2;
  j.rows = (j.nt + j.nc) * j.m * (j.did ? 2 : 1);
  if (j.rows > 10000000)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "power.simulate",
                               "a simulated data set of %zu rows is too large (at most 10000000)", j.rows);
  attrib_power_options a = *o; /* the analytic power at the simulated size */
  a.n = (double)((j.nt + j.nc) * j.m), a.mde = r->mde, a.treated_share = (double)j.nt / (double)(j.nt + j.nc);
  if (j.cluster) a.cluster_size = unit;
  r->sim_analytic_power = attrib__power_at(&a, a.n, a.mde);
  r->sim_n = a.n;
  double icc = j.cluster ? o->icc : 0.0, s_res = sqrt(1.0 - o->r2) * o->sd;
  j.s_x = sqrt(o->r2) * o->sd, j.s_u = s_res * sqrt(icc), j.s_e = s_res * sqrt(1.0 - icc);

  size_t threads = attrib__threads(o->threads, o->reps), reps = o->reps;
  attrib_status s = ATTRIB_OK;
  j.t = attrib__calloc(threads, sizeof *j.t);
  j.f = attrib__calloc(threads, sizeof *j.f);
  j.est = attrib__alloc_large(reps * sizeof *j.est);
  j.p = attrib__alloc_large(reps * sizeof *j.p);
  j.st = attrib__alloc_large(reps * sizeof *j.st);
  if (!j.t || !j.f || !j.est || !j.p || !j.st) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  /* every frame and formula before the loop: the replicates allocate only
   * in the design builder and the fit */
  for (size_t k = 0; k < threads; k++) {
    if ((s = make_frame(j.nt, j.nc, j.m, j.cluster, j.covariate, j.did, &j.t[k], err))) goto done;
    if ((s = attrib_formula_parse(j.covariate ? "y ~ treat + x" : "y ~ treat", &j.f[k], err))) goto done;
  }
  attrib__parallel_chunks(reps, threads, sim_rep, &j);
  size_t rejections = 0, failed = 0;
  double sum_est = 0.0;
  for (size_t b = 0; b < reps; b++) {
    if (j.st[b] == ATTRIB_ENOMEM) { /* out of memory is the run's failure, not a replicate's */
      s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
      goto done;
    }
    if (j.st[b] != ATTRIB_OK || !isfinite(j.p[b])) {
      failed++;
      continue;
    }
    sum_est += j.est[b];
    if (o->sides == 2 ? j.p[b] < o->alpha : j.est[b] > 0 && j.p[b] / 2.0 < o->alpha) rejections++;
  }
  size_t used = reps - failed;
  r->has_sim = 1;
  r->sim_reps = used, r->sim_rejections = rejections, r->sim_failed = failed;
  r->sim_power = used ? (double)rejections / (double)used : NAN;
  r->sim_mcse = used ? sqrt(r->sim_power * (1.0 - r->sim_power) / (double)used) : NAN;
  r->sim_mean_estimate = used ? sum_est / (double)used : NAN;
  if (failed && attrib__strlist_push(&r->warnings, &r->n_warnings,
                                     "some simulated data sets could not be fitted: they are left out of the power"))
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
done:
  for (size_t k = 0; j.t && k < threads; k++) attrib_table_free(j.t[k]);
  for (size_t k = 0; j.f && k < threads; k++) attrib_formula_free(j.f[k]);
  attrib__free(j.t);
  attrib__free(j.f);
  attrib__free_large(j.est, reps * sizeof *j.est);
  attrib__free_large(j.p, reps * sizeof *j.p);
  attrib__free_large(j.st, reps * sizeof *j.st);
  return s;
}

/* ---- baseline estimates ------------------------------------------------ */

attrib_status attrib_power_from_data(const attrib_table *t, const char *outcome, const char *cluster,
                                     const char *covariates, attrib_power_data_estimates *out, attrib_error *err) {
  if (!t || !outcome || !out) return attrib__fail(err, ATTRIB_EINVAL, "power: NULL argument");
  memset(out, 0, sizeof *out);
  out->icc = out->r2 = out->cluster_size = NAN;
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  attrib_ols_result *fit = NULL;
  double *sum = NULL;
  size_t *cnt = NULL;
  attrib_status s;
  if (covariates && *covariates) {
    if ((s = attrib_formula_parse_rhs(covariates, &f, err))) return s;
    if ((s = attrib_formula_set_response(f, outcome, err))) goto done;
  } else if ((s = attrib_formula_new(outcome, &f, err))) {
    return s;
  }
  attrib_design_options dopts;
  attrib_design_options_init(&dopts);
  const char *cl[] = {cluster, NULL};
  if (cluster) dopts.cluster = cl;
  if ((s = attrib_design_build(t, f, &dopts, &d, err))) goto done;
  size_t n = d->n;
  if (n < 3) {
    s = attrib__fail(err, ATTRIB_ENODATA, "%zu complete rows: the baseline needs at least 3", n);
    goto done;
  }
  double mean = 0.0, ss = 0.0;
  for (size_t i = 0; i < n; i++) mean += d->y[i];
  mean /= (double)n;
  for (size_t i = 0; i < n; i++) ss += (d->y[i] - mean) * (d->y[i] - mean);
  out->n = n, out->mean = mean, out->sd = sqrt(ss / (double)(n - 1));
  if (cluster) {
    /* one-way ANOVA (Donner & Klar 2000, ch. 3): the between and within
     * mean squares and the adjusted mean cluster size m0 */
    const attrib_coding *c = &d->cluster[0];
    size_t k = c->n_levels;
    if (k < 2) {
      s = attrib__fail_option(err, ATTRIB_ENODATA, "design.cluster", "one cluster: the ICC needs at least 2");
      goto done;
    }
    sum = attrib__calloc(k, sizeof *sum), cnt = attrib__calloc(k, sizeof *cnt);
    if (!sum || !cnt) {
      s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
      goto done;
    }
    for (size_t i = 0; i < n; i++) sum[c->codes[i]] += d->y[i], cnt[c->codes[i]]++;
    double ssb = 0.0, ssw = 0.0, sq = 0.0;
    size_t used = 0;
    for (size_t j = 0; j < k; j++)
      if (cnt[j]) used++, ssb += (double)cnt[j] * pow(sum[j] / (double)cnt[j] - mean, 2), sq += (double)cnt[j] * (double)cnt[j];
    for (size_t i = 0; i < n; i++) {
      double mj = sum[c->codes[i]] / (double)cnt[c->codes[i]];
      ssw += (d->y[i] - mj) * (d->y[i] - mj);
    }
    if (used < 2 || n <= used) {
      s = attrib__fail_option(err, ATTRIB_ENODATA, "design.cluster",
                              "%zu clusters in %zu rows: the ICC needs at least 2 clusters and one with 2 rows", used, n);
      goto done;
    }
    double msb = ssb / (double)(used - 1), msw = ssw / (double)(n - used);
    double m0 = ((double)n - sq / (double)n) / (double)(used - 1);
    double icc = (msb - msw) / (msb + (m0 - 1.0) * msw);
    out->clusters = used;
    out->cluster_size = (double)n / (double)used;
    out->icc = icc > 0 ? icc : 0.0; /* a negative estimate is noise around 0 */
  }
  if (covariates && *covariates) {
    attrib_ols_options oo;
    attrib_ols_options_init(&oo);
    if (cluster) oo.vcov = ATTRIB_VCOV_CLUSTER; /* the R2 does not depend on it; the check asks for it */
    if ((s = attrib_ols_fit(d, &oo, &fit, err))) goto done;
    out->r2 = fit->r_squared;
    out->k = fit->rank > 0 ? fit->rank - 1 : 0;
  }
done:
  attrib__free(sum);
  attrib__free(cnt);
  attrib_ols_result_free(fit);
  attrib_design_free(d);
  attrib_formula_free(f);
  return s;
}
