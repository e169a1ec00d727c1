/* The statistics file of an OLS fit (attrib_report_write_ols_stats):
 * read back by attrib_ols_stats_read (src/regression/ols_stats.c). */
#include <math.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

/* k numbers, or the upper triangle of the k x k matrix v row by row */
static json_t *numbers(const double *v, size_t k, int triangle, int *ok) {
  json_t *a = json_array();
  if (!a) *ok = 0;
  for (size_t i = 0; a && i < k; i++)
    for (size_t j = triangle ? i : 0; j < (triangle ? k : 1); j++)
      if (json_array_append_new(a, json_real(triangle ? v[i * k + j] : v[i]))) *ok = 0;
  return a;
}

attrib_status attrib_report_write_ols_stats(FILE *out, const attrib_ols_stats *s, attrib_error *err) {
  if (!out || !s) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_ols_stats: NULL argument");
  int ok = 1;
  json_t *root = json_object();
  if (!root) ok = 0;
  attrib__json_set(root, "attrib_stats", json_integer(1), &ok);
  attrib__json_set(root, "model", json_string("ols"), &ok);
  attrib__json_set(root, "outcome", json_string(s->outcome ? s->outcome : ""), &ok);
  attrib__json_set(root, "formula", s->formula ? json_string(s->formula) : json_null(), &ok);
  attrib__json_set(root, "intercept", json_boolean(s->intercept), &ok);
  attrib__json_set(root, "terms", attrib__json_strings(s->terms, s->k), &ok);
  attrib__json_set(root, "parts", json_integer((json_int_t)s->parts), &ok);
  attrib__json_set(root, "n_input", json_real(s->n_input), &ok);
  attrib__json_set(root, "n", json_real(s->n), &ok);
  attrib__json_set(root, "sum_y", json_real(s->sum_y), &ok);
  attrib__json_set(root, "xtx", numbers(s->xtx, s->k, 1, &ok), &ok);
  attrib__json_set(root, "xty", numbers(s->xty, s->k, 0, &ok), &ok);
  if (s->has_residuals) {
    json_t *r = json_object();
    attrib__json_set(root, "residuals", r, &ok);
    attrib__json_set(r, "vcov", json_string(attrib_vcov_type_name(s->vcov)), &ok);
    attrib__json_set(r, "coefficients", numbers(s->coefficients, s->k, 0, &ok), &ok);
    attrib__json_set(r, "ybar", json_real(s->ybar), &ok);
    attrib__json_set(r, "rss", json_real(s->rss), &ok);
    attrib__json_set(r, "tss", json_real(s->tss), &ok);
    if (s->meat) attrib__json_set(r, "meat", numbers(s->meat, s->k, 1, &ok), &ok);
    /* merged parts whose meats were at different coefficients: iid only */
    if (s->meat_dropped) attrib__json_set(r, "meat_dropped", json_true(), &ok);
    if (s->vcov == ATTRIB_VCOV_CLUSTER) {
      attrib__json_set(r, "cluster", json_string(s->cluster ? s->cluster : ""), &ok);
      attrib__json_set(r, "clusters", json_real(s->clusters), &ok);
    }
  } else {
    attrib__json_set(root, "residuals", json_null(), &ok);
  }
  return attrib__json_write(out, root, ok, err);
}
