/* Covariate balance tables (conventions in include/attrib/balance.h). One
 * pass over the design's rows accumulates weighted sums per group, before
 * and after adjustment; X is read in blocks, never stored. */
#include <math.h>
#include <string.h>

#include <attrib/balance.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "design/design_internal.h"

attrib_status attrib_estimand_parse(const char *s, attrib_estimand *out, attrib_error *err) {
  if (s && strcmp(s, "att") == 0) *out = ATTRIB_ESTIMAND_ATT;
  else if (s && strcmp(s, "atc") == 0) *out = ATTRIB_ESTIMAND_ATC;
  else if (s && strcmp(s, "ate") == 0) *out = ATTRIB_ESTIMAND_ATE;
  else return attrib__fail(err, ATTRIB_EINVAL, "unknown estimand '%s' (expected att, atc or ate)", s ? s : "");
  return ATTRIB_OK;
}

const char *attrib_estimand_name(attrib_estimand e) {
  return e == ATTRIB_ESTIMAND_ATC ? "atc" : e == ATTRIB_ESTIMAND_ATE ? "ate" : "att";
}

void attrib_balance_free(attrib_balance *b) {
  if (!b) return;
  for (size_t j = 0; b->rows && j < b->k; j++) attrib__free(b->rows[j].term);
  attrib__free(b->rows);
  attrib__free(b);
}

attrib_status attrib_balance_compute(const attrib_design *d, const int *treat, const double *w_after,
                                     attrib_estimand est, attrib_balance **out, attrib_error *err) {
  if (!d || !treat || !out) return attrib__fail(err, ATTRIB_EINVAL, "attrib_balance_compute: NULL argument");
  *out = NULL;
  size_t n = d->n, j0 = d->intercept ? 1 : 0, k = d->k > j0 ? d->k - j0 : 0, B = ATTRIB__BLOCK_ROWS;
  attrib_balance *b = attrib__calloc(1, sizeof *b);
  double *sx = attrib__calloc(4 * (k ? k : 1), sizeof *sx), *ss = attrib__calloc(4 * (k ? k : 1), sizeof *ss);
  int *binary = attrib__malloc(k ? k : 1, sizeof *binary);
  double *buf = attrib__malloc(B * (d->k ? d->k : 1), sizeof *buf);
  attrib_status s = ATTRIB_OK;
  double sw[2][2] = {{0, 0}, {0, 0}}, sw2[2][2] = {{0, 0}, {0, 0}};
  if (!b || !sx || !ss || !binary || !buf) goto oom;
  b->estimand = est;
  b->k = k;
  b->rows = attrib__calloc(k ? k : 1, sizeof *b->rows);
  if (!b->rows) goto oom;
  for (size_t j = 0; j < k; j++) binary[j] = 1;
  attrib__xsrc X = attrib__design_xsrc(d);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t r0 = 0; r0 < n; r0 += B) {
      size_t p = n - r0 < B ? n - r0 : B, ld;
      const double *blk = attrib__xsrc_block(&X, r0, p, buf, &ld);
      for (size_t i = 0; i < p; i++) {
        size_t row = r0 + i;
        int g = treat[row] ? 1 : 0;
        double base = d->w ? d->w[row] : 1.0;
        double w[2] = {base, w_after ? base * w_after[row] : base};
        if (pass == 0) {
          if (g) b->n_treated++;
          else b->n_control++;
          for (int a = 0; a < 2; a++) sw[a][g] += w[a], sw2[a][g] += w[a] * w[a];
        }
        for (size_t j = 0; j < k; j++) {
          double x = blk[(j0 + j) * ld + i];
          for (int a = 0; a < 2; a++) {
            if (w[a] == 0.0) continue;
            size_t at = 4 * j + 2 * (size_t)a + (size_t)g;
            if (pass == 0) sx[at] += w[a] * x;
            else {
              double dv = x - sx[at];
              ss[at] += w[a] * dv * dv;
            }
          }
          if (pass == 0 && binary[j] && x != 0.0 && x != 1.0) binary[j] = 0;
        }
      }
    }
    if (pass == 0) {
      for (int a = 0; a < 2; a++)
        for (int g = 0; g < 2; g++)
          if (!(sw[a][g] > 0.0)) {
            s = attrib__fail(err, ATTRIB_ENODATA, "balance: no %s units %s", g ? "treated" : "control",
                             a ? "remain after matching or weighting" : "in the data");
            goto done;
          }
      for (size_t j = 0; j < k; j++) /* sums -> means, used by the second pass */
        for (int a = 0; a < 2; a++)
          for (int g = 0; g < 2; g++) sx[4 * j + 2 * a + g] /= sw[a][g];
    }
  }
  size_t bal[2] = {0, 0};
  for (size_t j = 0; j < k; j++) {
    attrib_balance_row *row = &b->rows[j];
    if (!(row->term = attrib__strdup(d->names[j0 + j]))) goto oom;
    row->binary = binary[j];
    double var[2][2];
    for (int a = 0; a < 2; a++)
      for (int g = 0; g < 2; g++) {
        double den = sw[a][g] - sw2[a][g] / sw[a][g];
        var[a][g] = den > 0.0 ? ss[4 * j + 2 * a + g] / den : NAN;
      }
    double sstar;
    if (est == ATTRIB_ESTIMAND_ATT) sstar = sqrt(var[0][1]);
    else if (est == ATTRIB_ESTIMAND_ATC) sstar = sqrt(var[0][0]);
    else sstar = sqrt(0.5 * (var[0][1] + var[0][0]));
    row->mean_treated_before = sx[4 * j + 1];
    row->mean_control_before = sx[4 * j + 0];
    row->mean_treated_after = sx[4 * j + 3];
    row->mean_control_after = sx[4 * j + 2];
    double raw0 = row->mean_treated_before - row->mean_control_before;
    double raw1 = row->mean_treated_after - row->mean_control_after;
    if (binary[j]) {
      row->diff_before = raw0;
      row->diff_after = raw1;
      row->var_ratio_before = row->var_ratio_after = NAN;
    } else {
      /* a term with no spread in the reference group has no SMD: report raw */
      row->diff_before = sstar > 0.0 ? raw0 / sstar : raw0;
      row->diff_after = sstar > 0.0 ? raw1 / sstar : raw1;
      row->var_ratio_before = var[0][1] / var[0][0];
      row->var_ratio_after = var[1][1] / var[1][0];
    }
    double a0 = fabs(row->diff_before), a1 = fabs(row->diff_after);
    bal[0] += a0 < 0.1;
    bal[1] += a1 < 0.1;
    if (a0 > b->max_abs_diff_before) b->max_abs_diff_before = a0;
    if (a1 > b->max_abs_diff_after) b->max_abs_diff_after = a1;
  }
  b->share_balanced_before = k ? (double)bal[0] / (double)k : NAN;
  b->share_balanced_after = k ? (double)bal[1] / (double)k : NAN;
  b->ess_treated = sw[1][1] * sw[1][1] / sw2[1][1];
  b->ess_control = sw[1][0] * sw[1][0] / sw2[1][0];
  *out = b;
  b = NULL;
  goto done;
oom:
  s = attrib__fail(err, ATTRIB_ENOMEM, "balance: out of memory");
done:
  attrib_balance_free(b);
  attrib__free(sx);
  attrib__free(ss);
  attrib__free(binary);
  attrib__free(buf);
  return s;
}
