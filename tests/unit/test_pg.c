/* PostgreSQL sources (include/attrib/pg.h): the URI handling that needs no
 * server, and, when ATTRIB_PG_TEST_URI names a server with the bundled
 * tables (tests/pg/pg_test.sh runs this binary so), every allocation of a
 * fetch and of a pushed-down fit failed in turn: ENOMEM and nothing leaked
 * (the ASan build's leak check), never a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include <attrib/attrib.h>
#include "core/attrib_internal.h"

static void test_is_uri(void **state) {
  (void)state;
  assert_true(attrib_pg_is_uri("postgresql://u@h/db?table=t"));
  assert_true(attrib_pg_is_uri("postgres://h/db"));
  assert_false(attrib_pg_is_uri("learners.csv"));
  assert_false(attrib_pg_is_uri("postgresql:/x"));
  assert_false(attrib_pg_is_uri(NULL));
}

static void test_redact(void **state) {
  (void)state;
  char buf[256];
  assert_string_equal(attrib_pg_redact("postgresql://ann:s3cret@db.example/lms?table=t", buf, sizeof buf),
                      "postgresql://ann:***@db.example/lms?table=t");
  assert_string_equal(attrib_pg_redact("postgresql://ann@db/lms?password=s3cret&table=t", buf, sizeof buf),
                      "postgresql://ann@db/lms?password=***&table=t");
  assert_string_equal(attrib_pg_redact("postgresql://db/lms?table=t", buf, sizeof buf), "postgresql://db/lms?table=t");
  /* a user name with no password, an '@' in the query part */
  assert_string_equal(attrib_pg_redact("postgresql://ann@db/x?application_name=a@b", buf, sizeof buf),
                      "postgresql://ann@db/x?application_name=a@b");
  /* cut to the buffer, always terminated */
  attrib_pg_redact("postgresql://ann:s3cret@db/lms", buf, 10);
  assert_int_equal(strlen(buf), 9);
}

/* Errors that need no server: not a URI, neither a table nor a query,
 * both; or, built without libpq, that. */
static void test_source_errors(void **state) {
  (void)state;
  attrib_table *t = (attrib_table *)1;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_pg_options o;
  attrib_pg_options_init(&o);
  if (!attrib_pg_supported()) {
    assert_int_equal(attrib_table_read_pg("postgresql://h/db?table=t", NULL, &t, &err), ATTRIB_EINVAL);
    assert_non_null(strstr(err.message, "built without PostgreSQL support"));
    assert_null(t);
    return;
  }
  assert_int_equal(attrib_table_read_pg("learners.csv", NULL, &t, &err), ATTRIB_EINVAL);
  assert_null(t);
  assert_int_equal(attrib_table_read_pg("postgresql://h/db", NULL, &t, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "needs a table"));
  o.sql = "SELECT 1";
  assert_int_equal(attrib_table_read_pg("postgresql://h/db?table=t", &o, &t, &err), ATTRIB_EINVAL);
  assert_non_null(strstr(err.message, "not both"));
}

/* Every allocation of a fetch failed in turn (a small FETCH, so that the
 * columns grow several times): ENOMEM or, once past the last, OK with as
 * many rows and columns as the first run read. */
static void test_fetch_oom(void **state) {
  (void)state;
  const char *base = getenv("ATTRIB_PG_TEST_URI");
  if (!base || !attrib_pg_supported()) skip();
  char uri[1024];
  snprintf(uri, sizeof uri, "%s&table=learners_sample", base);
  attrib_pg_options o;
  attrib_pg_options_init(&o);
  o.fetch_rows = 300;
  const char *text[] = {"team", NULL};
  o.text_columns = text;
  attrib_table *ref = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  assert_int_equal(attrib_table_read_pg(uri, &o, &ref, &err), ATTRIB_OK);
  assert_int_equal(ref->n_rows, 2000);
  int done = 0;
  for (long k = 1; k < 10000 && !done; k++) {
    attrib_table *t = NULL;
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_table_read_pg(uri, &o, &t, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      assert_int_equal(t->n_rows, ref->n_rows);
      assert_int_equal(t->n_cols, ref->n_cols);
      done = 1;
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(t);
    }
    attrib_table_free(t);
  }
  assert_true(done);
  attrib_table_free(ref);
}

static void test_pushdown_oom(void **state) {
  (void)state;
  const char *base = getenv("ATTRIB_PG_TEST_URI");
  if (!base || !attrib_pg_supported()) skip();
  char uri[1024];
  snprintf(uri, sizeof uri, "%s&table=learners_sample", base);
  attrib_ols_options o;
  attrib_ols_options_init(&o);
  o.treat = "trained";
  int done = 0;
  for (long k = 1; k < 10000 && !done; k++) {
    attrib_ols_result *r = NULL;
    char *q = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_ols_pushdown(uri, NULL, "sales ~ trained + tenure + factor(region)", "team", &o, &r, &q, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      assert_non_null(q);
      assert_int_equal(r->n_obs, 2000);
      done = 1;
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(r);
    }
    attrib_pg_free(q);
    attrib_ols_result_free(r);
  }
  assert_true(done);
}

/* The failure points of the logit sweep: each one up to half the run's
 * allocations, then every 7th, then total + 1 (none fails: the run must
 * succeed); past it, total + 2 ends the sweep. */
static long next_k(long k, long total) {
  if (k > total) return total + 2;
  long step = k < total / 2 ? 1 : 7;
  return k + step > total ? total + 1 : k + step;
}

/* every allocation of a pushed-down logit failed in turn: ENOMEM, no result */
static void test_logit_pushdown_oom(void **state) {
  (void)state;
  const char *base = getenv("ATTRIB_PG_TEST_URI");
  if (!base || !attrib_pg_supported()) skip();
  char uri[1024];
  snprintf(uri, sizeof uri, "%s&table=learners_sample", base);
  attrib_logit_options o;
  attrib_logit_options_init(&o);
  /* the allocations of one run, counted (the same calls as the sweep's);
   * then the sweep of next_k (each run is 8 or so queries against the
   * server: failing every allocation took a minute) */
  attrib_debug_fail_alloc_after(1000000);
  {
    attrib_logit_result *r = NULL;
    char *q = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    assert_int_equal(attrib_logit_pushdown(uri, NULL, "trained ~ tenure + factor(region)", "team", &o, &r, &q, &err),
                     ATTRIB_OK);
    attrib_pg_free(q);
    attrib_logit_result_free(r);
  }
  long total = 1000000 - attrib_debug_fail_alloc_countdown();
  attrib_debug_fail_alloc_after(0);
  assert_true(total > 10);
  int done = 0;
  for (long k = 1; !done && k <= total + 1; k = next_k(k, total)) {
    attrib_logit_result *r = NULL;
    char *q = NULL;
    attrib_error err;
    attrib_error_clear(&err);
    attrib_debug_fail_alloc_after(k);
    attrib_status s = attrib_logit_pushdown(uri, NULL, "trained ~ tenure + factor(region)", "team", &o, &r, &q, &err);
    attrib_debug_fail_alloc_after(0);
    if (s == ATTRIB_OK) {
      assert_non_null(q);
      assert_int_equal(r->n_obs, 2000);
      assert_true(r->converged);
      done = 1;
    } else {
      assert_int_equal(s, ATTRIB_ENOMEM);
      assert_null(r);
    }
    attrib_pg_free(q);
    attrib_logit_result_free(r);
  }
  assert_true(done);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_is_uri),        cmocka_unit_test(test_redact),       cmocka_unit_test(test_source_errors),
      cmocka_unit_test(test_fetch_oom),     cmocka_unit_test(test_pushdown_oom), cmocka_unit_test(test_logit_pushdown_oom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
