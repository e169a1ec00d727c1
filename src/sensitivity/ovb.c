/*
 * Omitted-variable bias for OLS (Cinelli & Hazlett 2020, "Making sense of
 * sensitivity: extending omitted variable bias", JRSS B 82(1)):
 * sensitivity statistics, bias-adjusted estimates, bounds from benchmark
 * covariates, the contour grid, and the fit that produces them from a
 * table (include/attrib/sensitivity.h, docs/methods/sensitivity.md).
 * Checked against sensemakr's published Darfur figures and
 * tests/reference/sensitivity/make_ovb_reference.R.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <attrib/design.h>
#include <attrib/formula.h>
#include <attrib/ols.h>
#include <attrib/sensitivity.h>
#include "core/attrib_internal.h"
#include "design/design_internal.h"

/* ---- sensitivity statistics ------------------------------------------------------ */

double attrib_ovb_partial_r2(double t, double dof) {
  if (!(dof > 0) || isnan(t)) return NAN;
  return t * t / (t * t + dof);
}

/* (sqrt(f^4 + 4 f^2) - f^2) / 2: the equal partial R2 a confounder needs with
 * treatment and outcome to remove a partial Cohen's f (eq. 19) */
static double rv_of_f(double f) { return 0.5 * (sqrt(f * f * f * f + 4.0 * f * f) - f * f); }

double attrib_ovb_rv(double t, double dof, double q, double alpha) {
  if (!(dof > 1) || !(q > 0) || !(alpha > 0 && alpha <= 1) || isnan(t)) return NAN;
  double fq = q * fabs(t) / sqrt(dof);
  /* f* = |t_{alpha/2, df-1}| / sqrt(df - 1) (eq. 18); 0 for alpha = 1 */
  double fs = alpha < 1.0 ? gsl_cdf_tdist_Qinv(alpha / 2.0, dof - 1.0) / sqrt(dof - 1.0) : 0.0;
  double fqa = fq - fs;
  if (!(fqa > 0.0)) return 0.0;
  /* When f_q > 1/f*, the cheapest confounder that makes the estimate
   * insignificant has R2yz.dx = R2dz.x / (R2dz.x + f*^2) < R2dz.x: the
   * equal-strength constraint does not bind and the RV is
   * (f_q^2 - f*^2) / (1 + f_q^2) (eq. 18's second case; sensemakr's
   * robustness_value since 0.1.4). The unit tests check both cases by
   * brute force over (R2dz.x, R2yz.dx). */
  if (fs > 0.0 && fq > 1.0 / fs) return (fq * fq - fs * fs) / (1.0 + fq * fq);
  return rv_of_f(fqa);
}

attrib_status attrib_ovb_compute(double estimate, double se, double dof, double q, double alpha, attrib_ovb *out,
                                 attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ovb_compute: NULL argument");
  if (!isfinite(estimate)) return attrib__fail(err, ATTRIB_EDESIGN, "the treatment's estimate is not a number");
  if (!(se > 0) || !(dof > 1)) return attrib__fail(err, ATTRIB_EDESIGN, "the treatment's SE and residual df must be positive");
  if (!(q > 0)) return attrib__fail(err, ATTRIB_EINVAL, "q must be positive, got %g", q);
  if (!(alpha > 0 && alpha < 1)) return attrib__fail(err, ATTRIB_EINVAL, "alpha must lie in (0, 1), got %g", alpha);
  double t = estimate / se;
  out->estimate = estimate, out->std_error = se, out->t = t, out->dof = dof, out->q = q, out->alpha = alpha;
  out->partial_r2_treat = attrib_ovb_partial_r2(t, dof);
  out->rv_q = attrib_ovb_rv(t, dof, q, 1.0);
  out->rv_qa = attrib_ovb_rv(t, dof, q, alpha);
  return ATTRIB_OK;
}

/* ---- bias-adjusted estimates ------------------------------------------------------ */

double attrib_ovb_bias(const attrib_ovb *o, double r2dz_x, double r2yz_dx) {
  /* eq. 14: |bias| = se sqrt(df) sqrt(R2yz.dx R2dz.x / (1 - R2dz.x)); se sqrt(df)
   * stands for sd(Y resid) / sd(D resid) */
  return o->std_error * sqrt(o->dof) * sqrt(r2yz_dx * r2dz_x / (1.0 - r2dz_x));
}

double attrib_ovb_adjusted(const attrib_ovb *o, double r2dz_x, double r2yz_dx) {
  /* the bias reduces the estimate's magnitude: sign(b) (|b| - |bias|), as
   * sensemakr's adjusted_estimate(reduce = TRUE) (0 stays 0) */
  double b = attrib_ovb_bias(o, r2dz_x, r2yz_dx);
  return o->estimate > 0 ? o->estimate - b : o->estimate < 0 ? o->estimate + b : 0.0;
}

double attrib_ovb_adjusted_se(const attrib_ovb *o, double r2dz_x, double r2yz_dx) {
  /* the SE the regression with the confounder would report: its residual
   * variance shrinks by 1 - R2yz.dx, the treatment's by 1 - R2dz.x, and it
   * has one residual df less (sensemakr's adjusted_se) */
  return o->std_error * sqrt((1.0 - r2yz_dx) / (1.0 - r2dz_x)) * sqrt(o->dof / (o->dof - 1.0));
}

attrib_status attrib_ovb_adjust(const attrib_ovb *o, double r2dz_x, double r2yz_dx, attrib_ovb_bound *out,
                                attrib_error *err) {
  if (!o || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ovb_adjust: NULL argument");
  if (!(r2dz_x >= 0 && r2dz_x < 1) || !(r2yz_dx >= 0 && r2yz_dx <= 1))
    return attrib__fail(err, ATTRIB_EINVAL, "a confounder's partial R2s must lie in [0, 1) (treatment) and [0, 1] "
                        "(outcome), got %g and %g", r2dz_x, r2yz_dx);
  memset(out, 0, sizeof *out);
  out->kd = out->ky = NAN;
  out->r2dz_x = r2dz_x, out->r2yz_dx = r2yz_dx;
  out->adjusted_estimate = attrib_ovb_adjusted(o, r2dz_x, r2yz_dx);
  out->adjusted_se = attrib_ovb_adjusted_se(o, r2dz_x, r2yz_dx);
  /* t for H0: beta = (1 - q) estimate, the threshold of RV_{q,alpha} (sensemakr's
   * sensemakr() passes h0 = estimate (1 - q) to adjusted_t; q = 1 gives H0: 0).
   * With R2yz.dx = 1 the adjusted SE is 0 and there is no t (NaN). */
  double h0 = (1.0 - o->q) * o->estimate;
  out->adjusted_t = out->adjusted_se > 0 ? (out->adjusted_estimate - h0) / out->adjusted_se : NAN;
  /* the interval with the model's residual df, as sensemakr's ovb_bounds
   * (qt(alpha/2, df.residual)); RV_{q,alpha} uses df - 1, as the paper */
  double tc = gsl_cdf_tdist_Qinv(o->alpha / 2.0, o->dof);
  out->adjusted_lower = out->adjusted_estimate - tc * out->adjusted_se;
  out->adjusted_upper = out->adjusted_estimate + tc * out->adjusted_se;
  return ATTRIB_OK;
}

/* ---- bounds from a benchmark covariate ------------------------------------------------ */

attrib_status attrib_ovb_bound_compute(const attrib_ovb *o, double r2dxj_x, double r2yxj_dx, double kd, double ky,
                                       attrib_ovb_bound *out, attrib_error *err) {
  if (!o || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ovb_bound_compute: NULL argument");
  if (!(kd > 0) || !(ky > 0) || !isfinite(kd) || !isfinite(ky))
    return attrib__fail(err, ATTRIB_EINVAL, "kd and ky must be positive numbers, got %g and %g", kd, ky);
  if (!(r2dxj_x >= 0 && r2dxj_x < 1) || !(r2yxj_dx >= 0 && r2yxj_dx < 1))
    return attrib__fail(err, ATTRIB_EDESIGN, "the benchmark's partial R2s must lie in [0, 1), got %g and %g", r2dxj_x,
                        r2yxj_dx);
  /* Cinelli & Hazlett (2020) sec. 6 (sensemakr's ovb_partial_r2_bound): a
   * confounder Z with kd times the benchmark's explanatory power for the
   * treatment, R2(D~Z|X) / R2(D~Xj|X-j) = kd, as a ratio of partial f^2:
   * R2dz.x = kd R2dxj.x / (1 - R2dxj.x). (attrib had kd R2 / (1 - kd R2),
   * wrong for kd != 1: issue 12.) */
  double r2dz = kd * r2dxj_x / (1.0 - r2dxj_x);
  if (!(r2dz < 1.0))
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "a confounder %g times as strong as the benchmark would explain all of the treatment's "
                        "residual variance (R2dz.x = %g >= 1): lower kd", kd, r2dz);
  /* footnote 10: the partial R2 of Z with X_j given D and the other
   * covariates; r2dz < 1 implies (1 + kd) R2dxj.x < 1, so this is < 1 */
  double r2zxj = kd * r2dxj_x * r2dxj_x / ((1.0 - kd * r2dxj_x) * (1.0 - r2dxj_x));
  /* R2yz.dx = eta^2 f^2(Y~Xj|D,X-j), eta = (sqrt(ky) + sqrt(R2zxj)) / sqrt(1 - R2zxj) */
  double eta = (sqrt(ky) + sqrt(r2zxj)) / sqrt(1.0 - r2zxj);
  double r2yz = eta * eta * r2yxj_dx / (1.0 - r2yxj_dx);
  int capped = r2yz > 1.0;
  if (capped) r2yz = 1.0; /* as sensemakr: the bound can be no larger than 1 */
  attrib_status s = attrib_ovb_adjust(o, r2dz, r2yz, out, err);
  if (s) return s;
  out->kd = kd, out->ky = ky, out->capped = capped;
  return ATTRIB_OK;
}

/* ---- break-even confounding ---------------------------------------------------------- */

double attrib_ovb_breakeven_rv(const attrib_ovb *o, double target) {
  if (!(o->estimate != 0.0)) return 0.0;
  double q = 1.0 - target / o->estimate;
  if (!(q > 0.0)) return 0.0;
  return attrib_ovb_rv(o->t, o->dof, q, 1.0);
}

/* ---- the fit: outcome and treatment regressions, bounds, grid ---------------------------- */

static const double default_kd[3] = {1.0, 2.0, 3.0};

void attrib_ovb_options_init(attrib_ovb_options *o) {
  memset(o, 0, sizeof *o);
  o->kd = default_kd;
  o->n_k = 3;
  o->q = 1.0;
  o->alpha = 0.05;
  o->grid_max = 0.5;
  o->grid_n = 11;
}

void attrib_ovb_result_free(attrib_ovb_result *r) {
  if (!r) return;
  attrib__free(r->treat);
  for (size_t b = 0; b < r->n_benchmarks; b++) attrib__free(r->benchmarks[b]);
  attrib__free(r->benchmarks);
  attrib__free(r->r2dxj_x);
  attrib__free(r->r2yxj_dx);
  attrib__free(r->bounds);
  attrib__free(r->grid.r2);
  attrib__free(r->grid.adjusted);
  attrib__free(r);
}

static attrib_status ovb_check(const attrib_ovb_options *o, attrib_error *err) {
  if (!o->formula || !o->treat) return attrib__fail(err, ATTRIB_EINVAL, "sensitivity ovb: the formula and the treatment are required");
  if (!(o->q > 0) || !isfinite(o->q)) return attrib__fail(err, ATTRIB_EINVAL, "q must be a positive number, got %g", o->q);
  if (!(o->alpha > 0 && o->alpha < 1)) return attrib__fail(err, ATTRIB_EINVAL, "alpha must lie in (0, 1), got %g", o->alpha);
  if (o->n_benchmarks && (!o->benchmarks || !o->n_k || !o->kd))
    return attrib__fail(err, ATTRIB_EINVAL, "benchmark bounds need at least one kd");
  for (size_t k = 0; o->n_benchmarks && k < o->n_k; k++) {
    double ky = o->ky ? o->ky[k] : o->kd[k];
    if (!(o->kd[k] > 0) || !(ky > 0) || !isfinite(o->kd[k]) || !isfinite(ky))
      return attrib__fail(err, ATTRIB_EINVAL, "kd and ky must be positive numbers, got %g and %g", o->kd[k], ky);
  }
  if (o->grid_n < 2 || !(o->grid_max > 0 && o->grid_max < 1))
    return attrib__fail(err, ATTRIB_EINVAL, "the contour grid needs at least 2 points per axis and a maximum in (0, 1)");
  return ATTRIB_OK;
}

/* whether a term is the treatment alone, a numeric variable (not factor());
 * read from the structure (attrib_formula_find_term allocates, and a
 * failed allocation must stay ATTRIB_ENOMEM, not read as "no such term") */
static int has_treat_term(const attrib_formula *f, const char *treat) {
  for (size_t i = 0; i < f->n_terms; i++) {
    if (f->terms[i].n_vars != 1) continue;
    const attrib_formula_var *v = &f->vars[f->terms[i].vars[0]];
    if (!v->is_factor && !strcmp(v->name, treat)) return 1;
  }
  return 0;
}

/* The treatment regression, built from the outcome model's structure (no
 * text): its right-hand side without the treatment term, the treatment as
 * the response, the same fixed effects and intercept. Other terms that
 * mention the treatment (d:x) stay, as sensemakr's model.matrix(model)
 * minus the treatment column does; the variables keep the outcome model's
 * order, so the columns come out in the same order and with the same names. */
static attrib_status treatment_formula(const attrib_formula *fy, const char *treat, attrib_formula **out,
                                       attrib_error *err) {
  attrib_formula *f = NULL;
  const int numeric = 0;
  attrib_status s = attrib_formula_new(NULL, &f, err);
  if (!s) s = attrib_formula_add_formula(f, fy, err);
  if (!s) s = attrib_formula_remove_term(f, 1, &treat, &numeric, NULL, err);
  if (!s) s = attrib__formula_set_response_in_terms(f, treat, err);
  if (s) attrib_formula_free(f);
  else *out = f;
  return s;
}

static attrib_status fit_one(const attrib_table *t, const attrib_formula *f, const attrib_ovb_options *o,
                             const char *treat, const char *const *keep, attrib_ols_result **r, attrib_error *err) {
  const char *cl[2] = {o->cluster, NULL};
  attrib_design_options dopt;
  attrib_design_options_init(&dopt);
  dopt.cluster = o->cluster ? cl : NULL;
  dopt.weights = o->weights;
  dopt.keep = keep;
  attrib_design *d = NULL;
  attrib_status s = attrib_design_build(t, f, &dopt, &d, err);
  if (s) return s;
  attrib_ols_options oo;
  attrib_ols_options_init(&oo);
  oo.vcov = o->cluster ? ATTRIB_VCOV_CLUSTER : ATTRIB_VCOV_IID;
  oo.treat = treat;
  oo.threads = o->threads;
  s = attrib_ols_fit(d, &oo, r, err);
  attrib_design_free(d);
  return s;
}

static long coef_of(const attrib_ols_result *r, const char *name, int *aliased) {
  for (size_t j = 0; j < r->coef.k; j++)
    if (!strcmp(r->coef.term[j], name)) {
      *aliased = r->coef.aliased[j] != 0;
      return *aliased ? -1 : (long)j;
    }
  *aliased = 0;
  return -1;
}

static attrib_status grid_fill(attrib_ovb_result *r, const attrib_ovb_options *o, attrib_error *err) {
  size_t n = o->grid_n;
  r->grid.n = n;
  r->grid.r2 = attrib__malloc(n, sizeof *r->grid.r2);
  r->grid.adjusted = attrib__malloc(n * n, sizeof *r->grid.adjusted);
  if (!r->grid.r2 || !r->grid.adjusted) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  double step = o->grid_max / (double)(n - 1);
  for (size_t i = 0; i < n; i++) r->grid.r2[i] = step * (double)i;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) r->grid.adjusted[i * n + j] = attrib_ovb_adjusted(&r->stats, r->grid.r2[i], r->grid.r2[j]);
  return ATTRIB_OK;
}

attrib_status attrib_ovb_fit(const attrib_table *t, const attrib_ovb_options *o, attrib_ovb_result **out,
                             attrib_error *err) {
  if (!out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ovb_fit: NULL argument");
  *out = NULL;
  if (!t || !o) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ovb_fit: NULL argument");
  attrib_status s = ovb_check(o, err);
  if (s) return s;
  attrib_formula *fy = NULL, *fd = NULL;
  attrib_ols_result *ry = NULL, *rd = NULL;
  attrib_ovb_result *r = attrib__calloc(1, sizeof *r);
  if (!r) return attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
  if ((s = attrib_formula_parse(o->formula, &fy, err))) goto done;
  if (!has_treat_term(fy, o->treat)) {
    /* a data error, as ols's treatment not among the coefficients (exit 1,
     * not 2), and a name that is no column gets the nearest one (issue 15) */
    if (attrib_table_column_find(t, o->treat) < 0)
      s = attrib_table_column_require(t, o->treat, "the treatment: expected a numeric term of the formula", NULL, err);
    else
      s = attrib__fail(err, ATTRIB_EDESIGN, "the treatment '%s' must be a numeric term of its own in the formula '%s'",
                       o->treat, o->formula);
    goto done;
  }
  r->treat = attrib__strdup(o->treat);
  if (!r->treat) {
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  if ((s = fit_one(t, fy, o, o->treat, NULL, &ry, err))) goto done;
  /* clustered: the cluster-robust t with the residual degrees of freedom
   * (issue 7's choice; sensemakr uses the iid t: docs/methods/sensitivity.md) */
  long jt = ry->effect_index;
  if ((s = attrib_ovb_compute(ry->coef.estimate[jt], ry->coef.std_error[jt], ry->df_resid, o->q, o->alpha, &r->stats, err)))
    goto done;
  r->clustered = o->cluster != NULL;
  r->n_obs = ry->n_obs;
  if ((s = grid_fill(r, o, err))) goto done;
  if (!o->n_benchmarks) goto done;

  /* every benchmark must be an estimated coefficient of the outcome model */
  for (size_t b = 0; b < o->n_benchmarks; b++) {
    int al;
    if (coef_of(ry, o->benchmarks[b], &al) < 0) {
      if (al)
        s = attrib__fail(err, ATTRIB_EDESIGN, "benchmark '%s' was dropped from the outcome model as collinear",
                         o->benchmarks[b]);
      else if (attrib_table_column_find(t, o->benchmarks[b]) < 0 && !strpbrk(o->benchmarks[b], "(:"))
        /* a name that is no column (a typo): a data error, as a treatment
         * or an ols --treat that is no column, with the nearest column
         * (issue 15); a factor level's or interaction's name is checked
         * against the coefficients below */
        s = attrib_table_column_require(t, o->benchmarks[b], "the benchmark: expected a coefficient of the model", NULL,
                                        err);
      else
        s = attrib__fail(err, ATTRIB_EINVAL, "benchmark '%s' is not a coefficient of the model (terms are named as "
                         "in the ols output, e.g. factor(g)b)", o->benchmarks[b]);
      goto done;
    }
  }
  /* the treatment regression on the outcome model's rows: the outcome is
   * carried along so a row without it is dropped from both (sensemakr
   * regresses the treatment column of model.matrix(model) on the rest) */
  if ((s = treatment_formula(fy, o->treat, &fd, err))) goto done;
  const char *keep[2] = {fy->response, NULL};
  if ((s = fit_one(t, fd, o, NULL, keep, &rd, err))) goto done;
  r->n_benchmarks = o->n_benchmarks;
  r->benchmarks = attrib__calloc(o->n_benchmarks, sizeof *r->benchmarks);
  r->r2dxj_x = attrib__malloc(o->n_benchmarks, sizeof *r->r2dxj_x);
  r->r2yxj_dx = attrib__malloc(o->n_benchmarks, sizeof *r->r2yxj_dx);
  r->bounds = attrib__calloc(o->n_benchmarks * o->n_k, sizeof *r->bounds);
  if (!r->benchmarks || !r->r2dxj_x || !r->r2yxj_dx || !r->bounds) {
    r->n_benchmarks = r->benchmarks ? r->n_benchmarks : 0;
    s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t b = 0; b < o->n_benchmarks; b++) {
    if (!(r->benchmarks[b] = attrib__strdup(o->benchmarks[b]))) {
      s = attrib__fail(err, ATTRIB_ENOMEM, "out of memory");
      goto done;
    }
    int al;
    long jy = coef_of(ry, o->benchmarks[b], &al), jd = coef_of(rd, o->benchmarks[b], &al);
    if (jd < 0) {
      s = attrib__fail(err, ATTRIB_EDESIGN, "benchmark '%s' %s", o->benchmarks[b],
                       al ? "was dropped from the treatment regression as collinear"
                          : "is not a coefficient of the treatment regression");
      goto done;
    }
    /* the benchmark's partial R2s from its t statistics (sensemakr's partial_r2):
     * with the outcome given D and the other covariates, and with D given the
     * other covariates (the treatment regression's own residual df) */
    r->r2yxj_dx[b] = attrib_ovb_partial_r2(ry->coef.estimate[jy] / ry->coef.std_error[jy], ry->df_resid);
    r->r2dxj_x[b] = attrib_ovb_partial_r2(rd->coef.estimate[jd] / rd->coef.std_error[jd], rd->df_resid);
    for (size_t k = 0; k < o->n_k; k++) {
      attrib_ovb_bound *bd = &r->bounds[r->n_bounds];
      attrib_error e;
      attrib_error_clear(&e);
      if ((s = attrib_ovb_bound_compute(&r->stats, r->r2dxj_x[b], r->r2yxj_dx[b], o->kd[k], o->ky ? o->ky[k] : o->kd[k],
                                        bd, &e))) {
        attrib__fail(err, s, "benchmark '%s': %s", o->benchmarks[b], e.message);
        goto done;
      }
      bd->benchmark = b;
      r->n_bounds++;
    }
  }
done:
  attrib_formula_free(fy), attrib_formula_free(fd);
  attrib_ols_result_free(ry), attrib_ols_result_free(rd);
  if (s) attrib_ovb_result_free(r);
  else *out = r;
  return s;
}
