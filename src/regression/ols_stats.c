/* OLS from sufficient statistics (docs/scale.md, "Feeding the result
 * back"): the normal equations and the residual pass's sums, read from a
 * file, merged over parts of the data, and finished into a fit. The pushed-
 * down fit (ols_pushdown.c) finishes with attrib_ols_from_stats too, so the
 * two cannot drift apart. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <lapacke.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

static attrib_status stats_oom(attrib_error *err) {
  return attrib__fail(err, ATTRIB_ENOMEM, "OLS from statistics: out of memory");
}

void attrib_ols_stats_free(attrib_ols_stats *s) {
  if (!s) return;
  attrib__free(s->outcome);
  attrib__free(s->formula);
  for (size_t j = 0; s->terms && j < s->k; j++) attrib__free(s->terms[j]);
  attrib__free(s->terms);
  attrib__free(s->xtx);
  attrib__free(s->xty);
  attrib__free(s->cluster);
  attrib__free(s->coefficients);
  attrib__free(s->meat);
  attrib__free(s);
}

/* A new statistics struct for k terms: arrays allocated and zero. */
attrib_status attrib__ols_stats_new(size_t k, int residuals, attrib_ols_stats **out, attrib_error *err) {
  *out = NULL;
  attrib_ols_stats *s = attrib__calloc(1, sizeof *s);
  if (!s) return stats_oom(err);
  s->k = k;
  s->parts = 1;
  s->vcov = ATTRIB_VCOV_IID;
  s->terms = attrib__calloc(k ? k : 1, sizeof *s->terms);
  s->xtx = attrib__calloc(k ? k * k : 1, sizeof *s->xtx);
  s->xty = attrib__calloc(k ? k : 1, sizeof *s->xty);
  s->has_residuals = residuals;
  if (residuals) s->coefficients = attrib__calloc(k ? k : 1, sizeof *s->coefficients);
  if (!s->terms || !s->xtx || !s->xty || (residuals && !s->coefficients)) {
    attrib_ols_stats_free(s);
    return stats_oom(err);
  }
  *out = s;
  return ATTRIB_OK;
}

/* d'Ad for symmetric A (k x k) */
static double quad(const double *A, const double *d, size_t k) {
  double q = 0.0;
  for (size_t a = 0; a < k; a++) {
    double t = 0.0;
    for (size_t b = 0; b < k; b++) t += A[a * k + b] * d[b];
    q += d[a] * t;
  }
  return q;
}

/* The residual sum of squares moved from the coefficients c to b, exactly:
 * e(b) = e(c) - X d with d = b - c, so rss(b) = rss(c) - 2 d'X'e(c) + d'X'X d
 * and X'e(c) = X'y - X'X c. */
static double rss_at(const attrib_ols_stats *s, const double *b, double *d) {
  size_t k = s->k;
  double cross = 0.0;
  for (size_t a = 0; a < k; a++) d[a] = b[a] - s->coefficients[a];
  for (size_t a = 0; a < k; a++) {
    double xe = s->xty[a];
    for (size_t j = 0; j < k; j++) xe -= s->xtx[a * k + j] * s->coefficients[j];
    cross += d[a] * xe;
  }
  return s->rss - 2.0 * cross + quad(s->xtx, d, k);
}

/* The total sum of squares moved from the mean m0 to m: sum (y - m)^2 =
 * sum (y - m0)^2 + 2 (m0 - m)(sum y - n m0) + n (m0 - m)^2. */
static double tss_at(const attrib_ols_stats *s, double m) {
  double dm = s->ybar - m;
  return s->tss + 2.0 * dm * (s->sum_y - s->n * s->ybar) + s->n * dm * dm;
}

attrib_status attrib__ols_stats_move(attrib_ols_stats *s, const double *b, attrib_error *err) {
  double *d = attrib__malloc(s->k ? s->k : 1, sizeof *d);
  if (!d) return stats_oom(err);
  s->rss = rss_at(s, b, d);
  memcpy(s->coefficients, b, s->k * sizeof *b);
  attrib__free(d);
  return ATTRIB_OK;
}

static int same_doubles(const double *a, const double *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

static attrib_status stats_copy(const attrib_ols_stats *p, attrib_ols_stats **out, attrib_error *err) {
  attrib_ols_stats *s = NULL;
  ATTRIB__TRY(attrib__ols_stats_new(p->k, p->has_residuals, &s, err));
  size_t k = p->k;
  int ok = !!(s->outcome = attrib__strdup(p->outcome ? p->outcome : ""));
  for (size_t j = 0; ok && j < k; j++) ok = !!(s->terms[j] = attrib__strdup(p->terms[j]));
  if (ok && p->cluster) ok = !!(s->cluster = attrib__strdup(p->cluster));
  if (ok && p->formula) ok = !!(s->formula = attrib__strdup(p->formula));
  if (ok && p->meat) ok = !!(s->meat = attrib__malloc(k * k, sizeof *s->meat));
  if (!ok) {
    attrib_ols_stats_free(s);
    return stats_oom(err);
  }
  s->intercept = p->intercept;
  s->n_input = p->n_input;
  s->n = p->n;
  s->sum_y = p->sum_y;
  memcpy(s->xtx, p->xtx, k * k * sizeof *s->xtx);
  memcpy(s->xty, p->xty, k * sizeof *s->xty);
  s->vcov = p->vcov;
  if (p->has_residuals) memcpy(s->coefficients, p->coefficients, k * sizeof *s->coefficients);
  s->ybar = p->ybar;
  s->rss = p->rss;
  s->tss = p->tss;
  if (p->meat) memcpy(s->meat, p->meat, k * k * sizeof *s->meat);
  s->clusters = p->clusters;
  s->parts = p->parts;
  s->meat_dropped = p->meat_dropped;
  *out = s;
  return ATTRIB_OK;
}

static void drop_meat(attrib_ols_stats *a) {
  attrib__free(a->meat);
  a->meat = NULL;
  attrib__free(a->cluster);
  a->cluster = NULL;
  a->vcov = ATTRIB_VCOV_IID;
  a->clusters = 0.0;
  a->meat_dropped = 1;
}

attrib_status attrib_ols_stats_merge(attrib_ols_stats **acc, const attrib_ols_stats *part, attrib_error *err) {
  if (!acc || !part) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_stats_merge: NULL argument");
  if (!*acc) return stats_copy(part, acc, err);
  attrib_ols_stats *a = *acc;
  size_t k = a->k;
  if (strcmp(a->outcome ? a->outcome : "", part->outcome ? part->outcome : ""))
    return attrib__fail(err, ATTRIB_EDESIGN, "the parts' outcomes differ: '%s' and '%s'", a->outcome, part->outcome);
  if (part->k != k)
    return attrib__fail(err, ATTRIB_EDESIGN, "the parts have %zu and %zu terms: the same formula and factor levels are needed",
                        k, part->k);
  for (size_t j = 0; j < k; j++)
    if (strcmp(a->terms[j], part->terms[j]))
      return attrib__fail(err, ATTRIB_EDESIGN, "the parts' term %zu differs: '%s' and '%s'", j + 1, a->terms[j],
                          part->terms[j]);
  if (a->intercept != part->intercept)
    return attrib__fail(err, ATTRIB_EDESIGN, "one part's model has an intercept and the other's not");
  if (a->has_residuals && part->has_residuals) {
    double *d = attrib__malloc(k ? k : 1, sizeof *d);
    if (!d) return stats_oom(err);
    /* the part's sums moved to acc's coefficients and mean, then added */
    a->rss += rss_at(part, a->coefficients, d);
    a->tss += tss_at(part, a->ybar);
    attrib__free(d);
    int same = a->vcov == part->vcov && same_doubles(a->coefficients, part->coefficients, k) &&
               (a->vcov != ATTRIB_VCOV_CLUSTER || !strcmp(a->cluster ? a->cluster : "", part->cluster ? part->cluster : ""));
    if (!same && a->meat) drop_meat(a);
    if (part->meat_dropped) drop_meat(a);
    if (a->meat && part->meat) {
      for (size_t q = 0; q < k * k; q++) a->meat[q] += part->meat[q];
      a->clusters += part->clusters;
    }
  } else if (a->has_residuals) { /* a part without them: the merge has none */
    a->has_residuals = 0;
    attrib__free(a->meat);
    a->meat = NULL;
    a->vcov = ATTRIB_VCOV_IID;
  }
  a->n_input += part->n_input;
  a->n += part->n;
  a->sum_y += part->sum_y;
  for (size_t q = 0; q < k * k; q++) a->xtx[q] += part->xtx[q];
  for (size_t j = 0; j < k; j++) a->xty[j] += part->xty[j];
  a->parts += part->parts;
  return ATTRIB_OK;
}

/* Cholesky solve of X'X b = X'y, and B = (X'X)^-1 (full). A column whose
 * remaining norm is below tol of its own, or zero, is collinear or
 * constant: nothing is dropped, since the sums cannot be asked again. */
attrib_status attrib__ols_stats_solve(const double *XtX, const double *Xty, size_t k, double tol, double *beta,
                                      double *B, attrib_error *err) {
  memcpy(B, XtX, k * k * sizeof *B);
  double dmax = 0.0;
  for (size_t a = 0; a < k; a++) dmax = fmax(dmax, XtX[a * k + a]);
  int bad = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)k, B, (lapack_int)k) != 0;
  for (size_t a = 0; !bad && a < k; a++)
    if (B[a * k + a] * B[a * k + a] <= tol * XtX[a * k + a] || XtX[a * k + a] <= 1e-300 * dmax) bad = 1;
  if (bad)
    return attrib__fail(err, ATTRIB_ECOLLINEAR,
                        "the design's sums are collinear or have a constant column (nothing is dropped from sufficient "
                        "statistics): remove it from the formula, or fit the rows themselves");
  memcpy(beta, Xty, k * sizeof *beta);
  LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'U', (lapack_int)k, 1, B, (lapack_int)k, beta, (lapack_int)k);
  LAPACKE_dpotri(LAPACK_COL_MAJOR, 'U', (lapack_int)k, B, (lapack_int)k);
  for (size_t a = 0; a < k; a++)
    for (size_t b = a + 1; b < k; b++) B[a * k + b] = B[b * k + a]; /* lower from upper */
  return ATTRIB_OK;
}

attrib_status attrib_ols_stats_solve(attrib_ols_stats *s, double collinearity_tol, attrib_error *err) {
  if (!s) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_stats_solve: NULL argument");
  if (!s->has_residuals)
    return attrib__fail(err, ATTRIB_EDESIGN, "the statistics have no residual pass (rss, tss) to move to their solution");
  size_t k = s->k;
  double *beta = attrib__malloc(k ? k : 1, sizeof *beta), *B = attrib__malloc(k ? k * k : 1, sizeof *B);
  double *d = attrib__malloc(k ? k : 1, sizeof *d);
  attrib_status st = !beta || !B || !d ? stats_oom(err)
                                       : attrib__ols_stats_solve(s->xtx, s->xty, k, collinearity_tol, beta, B, err);
  if (st == ATTRIB_OK) {
    double rss = rss_at(s, beta, d), dfit = quad(s->xtx, d, k), ybar = s->intercept && s->n > 0 ? s->sum_y / s->n : 0.0;
    s->tss = tss_at(s, ybar);
    s->ybar = ybar;
    if (s->meat && !(dfit <= 1e-10 * rss)) drop_meat(s);
    s->rss = rss;
    memcpy(s->coefficients, beta, k * sizeof *beta);
  }
  attrib__free(beta);
  attrib__free(B);
  attrib__free(d);
  return st;
}

/* The covariance V of the opts' type, or an error saying what is missing. */
static attrib_status stats_vcov(const attrib_ols_stats *s, attrib_vcov_type vcov, const double *B, double rss,
                                double dfit, double *V, attrib_error *err) {
  size_t k = s->k;
  double df = s->n - (double)k;
  if (vcov == ATTRIB_VCOV_IID) {
    for (size_t q = 0; q < k * k; q++) V[q] = B[q] * rss / df;
    return ATTRIB_OK;
  }
  const char *want = attrib_vcov_type_name(vcov);
  if (s->meat_dropped)
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "vcov %s: the merged parts' meats were taken at different coefficients, so only iid standard "
                        "errors can be finished; run each part's residual pass at the merged coefficients "
                        "(docs/scale.md, \"Feeding the result back\")",
                        want);
  if (!s->meat || s->vcov != vcov)
    return attrib__fail(err, ATTRIB_EDESIGN, "vcov %s needs its meat in the statistics, which hold %s", want,
                        s->has_residuals ? (s->meat ? attrib_vcov_type_name(s->vcov) : "none (iid only)")
                                         : "no residual pass");
  /* the meat is a sum over the residuals at s->coefficients: it belongs
   * to this solution only if those are the solution (rss grows by d'X'X d) */
  if (!(dfit <= 1e-10 * rss))
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "vcov %s: the meat was taken at coefficients that are not these statistics' solution (the "
                        "residual sum of squares differs by %.3g relative); run the residual pass at the merged "
                        "coefficients (docs/scale.md, \"Feeding the result back\")",
                        want, dfit / rss);
  if (vcov == ATTRIB_VCOV_CLUSTER && s->clusters < 2)
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "one cluster in '%s': cluster-robust standard errors need at least two (CR1 divides by G - 1)",
                        s->cluster ? s->cluster : "the cluster column");
  double scale = attrib__sandwich_scale(vcov, s->n, s->clusters, (double)k);
  if (attrib__sandwich(B, s->meat, k, scale, V, err)) return stats_oom(err);
  return ATTRIB_OK;
}

/* The result's cluster facts, warnings and the effect. */
static attrib_status stats_result_extras(const attrib_ols_stats *s, const attrib_ols_options *o, attrib_ols_result *r,
                                         attrib_error *err) {
  if (o->vcov == ATTRIB_VCOV_CLUSTER) {
    double G = s->clusters;
    r->n_cluster_dims = 1;
    r->cluster_names = attrib__calloc(1, sizeof *r->cluster_names);
    r->n_clusters = attrib__calloc(1, sizeof *r->n_clusters);
    if (!r->cluster_names || !r->n_clusters || !(r->cluster_names[0] = attrib__strdup(s->cluster ? s->cluster : "")))
      return stats_oom(err);
    r->n_clusters[0] = (size_t)G;
    r->df_inference = G - 1.0;
    if (G < 30) { /* the CSV path's warning, word for word */
      char *fc = attrib__few_clusters_warning((size_t)G, NULL);
      attrib_status st = fc ? attrib__strlist_push(&r->warnings, &r->n_warnings, fc) : ATTRIB_ENOMEM;
      attrib__free(fc);
      if (st) return stats_oom(err);
    }
    if (s->parts > 1 &&
        attrib__strlist_push(&r->warnings, &r->n_warnings,
                             "the clustered standard errors of merged parts assume that each cluster lies in one "
                             "part (the parts' sums of s_g s_g' were added, and their cluster counts)"))
      return stats_oom(err);
  }
  if (!o->treat) return ATTRIB_OK;
  for (size_t j = 0; j < s->k; j++)
    if (!strcmp(r->coef.term[j], o->treat)) r->effect_index = (long)j;
  if (r->effect_index < 0)
    return attrib__fail(err, ATTRIB_EDESIGN, "the treatment '%s' is not a coefficient of the model (add it to the formula)",
                        o->treat);
  if (!(r->effect.term = attrib__strdup(o->treat))) return stats_oom(err);
  return ATTRIB_OK; /* its numbers once the table's are inferred */
}

attrib_status attrib_ols_from_stats(const attrib_ols_stats *s, const attrib_ols_options *opts, attrib_ols_result **out,
                                    attrib_error *err) {
  if (!s || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_from_stats: NULL argument");
  *out = NULL;
  attrib_ols_options o;
  if (opts) o = *opts;
  else attrib_ols_options_init(&o);
  if (o.vcov != ATTRIB_VCOV_IID && o.vcov != ATTRIB_VCOV_HC1 && o.vcov != ATTRIB_VCOV_CLUSTER)
    return attrib__fail_option(err, ATTRIB_EUSAGE, "ols.vcov",
                               "OLS from sufficient statistics computes iid, hc1 and one-way cluster (CR1) standard "
                               "errors, not %s",
                               attrib_vcov_type_name(o.vcov));
  ATTRIB__TRY(attrib__check_level(o.level, "ols.level", err));
  size_t k = s->k;
  double n = s->n;
  if (k == 0) return attrib__fail(err, ATTRIB_EDESIGN, "the model has no coefficient to estimate");
  if (!(n > 0)) return attrib__fail(err, ATTRIB_ENODATA, "no complete row in the statistics (n = %g)", n);
  if ((double)k >= n)
    return attrib__fail(err, ATTRIB_EDESIGN, "no residual degrees of freedom: %.0f rows for %zu coefficients", n, k);
  if (!s->has_residuals)
    return attrib__fail(err, ATTRIB_EDESIGN,
                        "the statistics have no residual pass (rss, tss): standard errors need it (docs/scale.md)");
  double *beta = attrib__malloc(k, sizeof *beta), *B = attrib__malloc(k * k, sizeof *B);
  double *V = attrib__malloc(k * k, sizeof *V), *d = attrib__malloc(k, sizeof *d);
  attrib_ols_result *r = NULL;
  attrib_status st = ATTRIB_OK;
  if (!beta || !B || !V || !d) {
    st = stats_oom(err);
    goto done;
  }
  if ((st = attrib__ols_stats_solve(s->xtx, s->xty, k, o.collinearity_tol, beta, B, err))) goto done;
  double rss = rss_at(s, beta, d), dfit = quad(s->xtx, d, k);
  double ybar = s->intercept ? s->sum_y / n : 0.0, tss = tss_at(s, ybar);
  double df = n - (double)k;
  if ((st = stats_vcov(s, o.vcov, B, rss, dfit, V, err))) goto done;
  r = attrib__calloc(1, sizeof *r);
  if (!r || !(r->response = attrib__strdup(s->outcome ? s->outcome : "")) || attrib__coef_alloc(&r->coef, k) ||
      !(r->vcov = attrib__malloc(k * k, sizeof *r->vcov))) {
    st = stats_oom(err);
    goto done;
  }
  r->effect_index = -1;
  r->level = o.level;
  r->vcov_type = o.vcov;
  r->n_obs = (size_t)n;
  r->n_input = (size_t)s->n_input;
  r->n_dropped_missing = s->n_input > n ? (size_t)(s->n_input - n) : 0;
  r->rank = k;
  r->df_resid = df;
  r->df_inference = df;
  r->method = "cholesky";
  memcpy(r->vcov, V, k * k * sizeof *V);
  for (size_t j = 0; j < k; j++) {
    if (!(r->coef.term[j] = attrib__strdup(s->terms[j]))) {
      st = stats_oom(err);
      goto done;
    }
    r->coef.aliased[j] = 0;
    r->coef.estimate[j] = beta[j];
    r->coef.std_error[j] = sqrt(V[j * k + j]);
  }
  if ((st = stats_result_extras(s, &o, r, err))) goto done;
  attrib__coef_infer(&r->coef, r->df_inference, o.level);
  if (r->effect_index >= 0) attrib__effect_from(&r->effect, &r->coef, (size_t)r->effect_index);
  r->rss = rss;
  r->tss = tss;
  r->sigma = sqrt(rss / df);
  r->r_squared = tss > 0.0 ? 1.0 - rss / tss : NAN;
  r->adj_r_squared = 1.0 - (1.0 - r->r_squared) * (n - (s->intercept ? 1.0 : 0.0)) / df;
  r->r_squared_within = NAN;
  r->fe_converged = 1;
  attrib__ols_wald(r, r->coef.estimate, r->vcov, k, s->intercept ? 0 : SIZE_MAX); /* the intercept is term 0 */
  *out = r;
  r = NULL;
done:
  attrib_ols_result_free(r);
  attrib__free(beta);
  attrib__free(B);
  attrib__free(V);
  attrib__free(d);
  return st;
}

/* ------------------------------------------------------------ the file */

typedef struct sreader {
  const char *path;
  json_t *root;
  attrib_error *err;
} sreader;

static attrib_status bad_key(const sreader *R, const char *key, const char *what) {
  return attrib__fail(R->err, ATTRIB_EPARSE, "%s: \"%s\" %s", R->path, key, what);
}

static attrib_status get_number(const sreader *R, json_t *obj, const char *key, double *v) {
  json_t *x = json_object_get(obj, key);
  if (!x) return bad_key(R, key, "is missing");
  if (!json_is_number(x)) return bad_key(R, key, "must be a number");
  *v = json_number_value(x);
  if (!isfinite(*v)) return bad_key(R, key, "must be finite");
  return ATTRIB_OK;
}

/* n numbers, or the upper triangle (row by row, as the SQL's SUM(xi * xj),
 * i <= j) of a k x k symmetric matrix into v (full) */
static attrib_status get_array(const sreader *R, json_t *obj, const char *key, size_t k, int triangle, double *v) {
  json_t *x = json_object_get(obj, key);
  size_t want = triangle ? k * (k + 1) / 2 : k;
  if (!x) return bad_key(R, key, "is missing");
  if (!json_is_array(x)) return bad_key(R, key, "must be an array of numbers");
  if (json_array_size(x) != want)
    return attrib__fail(R->err, ATTRIB_EPARSE, "%s: \"%s\" has %zu numbers, expected %zu (%s of %zu terms)", R->path, key,
                        json_array_size(x), want, triangle ? "the upper triangle, row by row," : "one for each", k);
  size_t c = 0;
  for (size_t a = 0; a < k; a++)
    for (size_t b = triangle ? a : 0; b < (triangle ? k : 1); b++, c++) {
      json_t *e = json_array_get(x, c);
      double u = json_is_number(e) ? json_number_value(e) : NAN;
      if (!isfinite(u))
        return attrib__fail(R->err, ATTRIB_EPARSE, "%s: \"%s\" item %zu must be a finite number", R->path, key, c + 1);
      if (triangle) v[a * k + b] = v[b * k + a] = u;
      else v[a] = u;
    }
  return ATTRIB_OK;
}

static attrib_status read_residuals(const sreader *R, json_t *res, attrib_ols_stats *s) {
  size_t k = s->k;
  attrib_error *err = R->err;
  json_t *vc = json_object_get(res, "vcov");
  if (!json_is_string(vc) || attrib_vcov_type_parse(json_string_value(vc), &s->vcov, NULL) ||
      (s->vcov != ATTRIB_VCOV_IID && s->vcov != ATTRIB_VCOV_HC1 && s->vcov != ATTRIB_VCOV_CLUSTER))
    return bad_key(R, "vcov", "must be \"iid\", \"hc1\" or \"cluster\"");
  ATTRIB__TRY(get_array(R, res, "coefficients", k, 0, s->coefficients));
  ATTRIB__TRY(get_number(R, res, "ybar", &s->ybar));
  ATTRIB__TRY(get_number(R, res, "rss", &s->rss));
  ATTRIB__TRY(get_number(R, res, "tss", &s->tss));
  if (s->rss < 0 || s->tss < 0) return bad_key(R, s->rss < 0 ? "rss" : "tss", "must not be negative");
  json_t *dropped = json_object_get(res, "meat_dropped");
  if (dropped && !json_is_boolean(dropped)) return bad_key(R, "meat_dropped", "must be true or false");
  s->meat_dropped = json_is_true(dropped);
  if (s->vcov == ATTRIB_VCOV_IID) return ATTRIB_OK;
  if (!(s->meat = attrib__calloc(k * k, sizeof *s->meat))) return stats_oom(err);
  ATTRIB__TRY(get_array(R, res, "meat", k, 1, s->meat));
  if (s->vcov == ATTRIB_VCOV_CLUSTER) {
    json_t *cl = json_object_get(res, "cluster");
    if (!json_is_string(cl)) return bad_key(R, "cluster", "must be the cluster column's name");
    if (!(s->cluster = attrib__strdup(json_string_value(cl)))) return stats_oom(err);
    ATTRIB__TRY(get_number(R, res, "clusters", &s->clusters));
    if (s->clusters < 1 || s->clusters != floor(s->clusters)) return bad_key(R, "clusters", "must be a whole number >= 1");
  }
  return ATTRIB_OK;
}

static attrib_status read_stats(const sreader *R, attrib_ols_stats **out) {
  json_t *root = R->root, *fmt = json_object_get(root, "attrib_stats"), *terms = json_object_get(root, "terms");
  attrib_error *err = R->err;
  if (!json_is_object(root)) return attrib__fail(err, ATTRIB_EPARSE, "%s: not a JSON object", R->path);
  if (!json_is_integer(fmt) || json_integer_value(fmt) != 1)
    return bad_key(R, "attrib_stats", "must be 1 (the format's version; is this an attrib statistics file?)");
  json_t *model = json_object_get(root, "model"), *outcome = json_object_get(root, "outcome");
  if (!json_is_string(model) || strcmp(json_string_value(model), "ols")) return bad_key(R, "model", "must be \"ols\"");
  if (!json_is_string(outcome)) return bad_key(R, "outcome", "must be the outcome's name");
  if (!json_is_array(terms) || json_array_size(terms) == 0) return bad_key(R, "terms", "must be an array of term names");
  size_t k = json_array_size(terms);
  json_t *res = json_object_get(root, "residuals"), *ic = json_object_get(root, "intercept");
  if (!json_is_boolean(ic)) return bad_key(R, "intercept", "must be true or false");
  if (res && !json_is_null(res) && !json_is_object(res)) return bad_key(R, "residuals", "must be an object or null");
  attrib_ols_stats *s = NULL;
  ATTRIB__TRY(attrib__ols_stats_new(k, res && json_is_object(res), &s, err));
  attrib_status st = ATTRIB_OK;
  s->intercept = json_is_true(ic);
  json_t *fm = json_object_get(root, "formula");
  if (fm && !json_is_null(fm) && !json_is_string(fm)) st = bad_key(R, "formula", "must be a string or null");
  else if (json_is_string(fm) && !(s->formula = attrib__strdup(json_string_value(fm)))) st = stats_oom(err);
  if (!st && !(s->outcome = attrib__strdup(json_string_value(outcome)))) st = stats_oom(err);
  for (size_t j = 0; !st && j < k; j++) {
    json_t *t = json_array_get(terms, j);
    if (!json_is_string(t)) st = attrib__fail(err, ATTRIB_EPARSE, "%s: \"terms\" item %zu must be a string", R->path, j + 1);
    else if (!(s->terms[j] = attrib__strdup(json_string_value(t)))) st = stats_oom(err);
  }
  if (!st) st = get_number(R, root, "n_input", &s->n_input);
  if (!st) st = get_number(R, root, "n", &s->n);
  if (!st && (s->n < 0 || s->n != floor(s->n))) st = bad_key(R, "n", "must be a whole number of rows");
  if (!st) st = get_number(R, root, "sum_y", &s->sum_y);
  if (!st) st = get_array(R, root, "xtx", k, 1, s->xtx);
  if (!st) st = get_array(R, root, "xty", k, 0, s->xty);
  if (!st && s->has_residuals) st = read_residuals(R, res, s);
  if (!st && json_object_get(root, "parts")) {
    double p;
    if (!(st = get_number(R, root, "parts", &p))) {
      if (p < 1 || p != floor(p)) st = bad_key(R, "parts", "must be a whole number >= 1");
      else s->parts = (size_t)p;
    }
  }
  if (st) {
    attrib_ols_stats_free(s);
    return st;
  }
  *out = s;
  return ATTRIB_OK;
}

attrib_status attrib_ols_stats_read(const char *path, attrib_ols_stats **out, attrib_error *err) {
  if (!path || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_ols_stats_read: NULL argument");
  *out = NULL;
  FILE *fp = fopen(path, "rb");
  if (!fp) return attrib__fail(err, ATTRIB_EIO, "%s: cannot open: %s", path, strerror(errno));
  json_error_t je;
  json_t *root = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
  fclose(fp);
  if (!root) {
    if (je.line > 0) return attrib__fail(err, ATTRIB_EPARSE, "%s: line %d: %s", path, je.line, je.text);
    return attrib__fail(err, ATTRIB_EPARSE, "%s: %s", path, je.text);
  }
  sreader R = {path, root, err};
  attrib_status st = read_stats(&R, out);
  json_decref(root);
  return st;
}
