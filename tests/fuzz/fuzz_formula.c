/*
 * libFuzzer target: formula parser -> design builder -> a small OLS fit.
 * The input is a formula, then optionally a newline and a CSV table; with
 * no table (or one that does not load) the formula runs on a fixed table
 * with every kind of column: numeric, boolean words, text, a near-numeric
 * column, a constant, missing cells, a weight and a cluster. The first
 * byte chooses the variance (iid, HC1, cluster) and whether rows are
 * weighted. Checked: every failure has a message; a fit has finite
 * coefficients wherever it reports them, and a parse's caret offset lies
 * inside the formula.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attrib/attrib.h>

#include "fuzz_common.h"

static const char fixed_csv[] =
    "y,x,z,b,role,g,near,k,w,c\n"
    "1.5,1,0.2,yes,A,1,3,7,1,u1\n"
    "2.1,2,0.1,no,B,2,4,7,2,u1\n"
    "2.9,3,,yes,C,1,-,7,1,u2\n"
    "4.2,4,0.7,no,A,2,6,7,0.5,u2\n"
    "5.1,5,0.3,yes,B,1,7,7,1,u3\n"
    "5.8,6,0.9,no,C,2,8,7,3,u3\n"
    "7.2,7,0.4,yes,A,1,9,7,1,u4\n"
    "8.1,8,0.8,no,B,2,10,7,2,u4\n"
    "8.8,9,0.6,yes,C,1,11,7,1,u5\n"
    "10.2,10,0.5,no,A,2,12,7,1,u5\n"
    "NA,11,0.1,yes,B,1,13,7,1,u6\n"
    "12.1,12,0.2,no,C,2,14,7,1,u6\n";

static attrib_table *fixed;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fixed) {
    attrib_error e;
    if (attrib_table_read_csv_buffer(fixed_csv, sizeof fixed_csv - 1, "fixed.csv", NULL, &fixed, &e) != ATTRIB_OK) abort();
  }
  if (size < 1 || size > 65536) return 0;
  uint8_t mode = data[0];
  const char *d = (const char *)data + 1;
  size_t n = size - 1;
  const char *nl = memchr(d, '\n', n);
  size_t flen = nl ? (size_t)(nl - d) : n;
  if (memchr(d, '\0', flen)) return 0; /* a C string: the API takes no length */
  char *formula = strndup(d, flen);
  if (!formula) return 0;
  attrib_table *own = NULL;
  if (nl) {
    attrib_error e;
    if (attrib_table_read_csv_buffer(nl + 1, n - flen - 1, "data.csv", NULL, &own, &e) != ATTRIB_OK) own = NULL;
  }
  const attrib_table *t = own ? own : fixed;

  attrib_formula *f = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_formula_parse(formula, &f, &err);
  FUZZ_CHECK((s == ATTRIB_OK) == (f != NULL), "parse: status and formula agree");
  if (s != ATTRIB_OK) {
    FUZZ_CHECK(err.message[0], "parse: an error has a message");
    FUZZ_CHECK(err.offset == SIZE_MAX || err.offset <= flen, "parse: the caret lies in the formula");
  } else {
    attrib_design_options dopts;
    attrib_design_options_init(&dopts);
    const char *cl[2] = {"c", NULL};
    if (!own && (mode & 4)) dopts.weights = "w";
    if (!own && (mode & 3) == 2) dopts.cluster = cl;
    attrib_design *d2 = NULL;
    attrib_error_clear(&err);
    s = attrib_design_build(t, f, &dopts, &d2, &err);
    FUZZ_CHECK((s == ATTRIB_OK) == (d2 != NULL), "design: status and design agree");
    if (s != ATTRIB_OK) FUZZ_CHECK(err.message[0], "design: an error has a message");
    if (d2 && d2->k <= 64 && d2->n <= 4096) {
      attrib_ols_options o;
      attrib_ols_options_init(&o);
      static const attrib_vcov_type vt[4] = {ATTRIB_VCOV_IID, ATTRIB_VCOV_HC1, ATTRIB_VCOV_CLUSTER, ATTRIB_VCOV_HC3};
      o.vcov = vt[mode & 3];
      if (o.vcov == ATTRIB_VCOV_CLUSTER && d2->n_cluster == 0) o.vcov = ATTRIB_VCOV_IID;
      o.threads = 1 + ((mode >> 3) & 1);
      attrib_ols_result *r = NULL;
      attrib_error_clear(&err);
      s = attrib_ols_fit(d2, &o, &r, &err);
      FUZZ_CHECK((s == ATTRIB_OK) == (r != NULL), "ols: status and result agree");
      if (s != ATTRIB_OK) FUZZ_CHECK(err.message[0], "ols: an error has a message");
      if (r) {
        for (size_t j = 0; j < r->coef.k; j++) {
          double b = r->coef.estimate[j];
          FUZZ_CHECK(isnan(b) || isfinite(b), "ols: an estimate is NaN (aliased) or finite");
        }
        attrib_ols_result_free(r);
      }
    }
    attrib_design_free(d2);
  }
  attrib_formula_free(f);
  attrib_table_free(own);
  free(formula);
  return 0;
}
