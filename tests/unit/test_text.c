/* Text helpers every message and name goes through: the growable buffer
 * never cuts what it is given (it cut at 511 bytes, which silently dropped
 * 35 of 120 covariates from a propensity model), escapes for messages, and
 * the error message's visible truncation. */
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void test_sbuf_addf_is_unbounded(void **state) {
  (void)state;
  char *big = malloc(100001);
  assert_non_null(big);
  for (size_t i = 0; i < 100000; i++) big[i] = (char)('a' + i % 26);
  big[100000] = 0;
  attrib__sbuf b = {0};
  attrib__sbuf_addf(&b, "%s ~ %s", "treat", big);
  assert_false(b.failed);
  assert_int_equal(b.len, 100000 + 8);
  assert_int_equal(strlen(b.s), b.len);
  assert_memory_equal(b.s + 8, big, 100000);
  /* appending after a long piece, into the spare capacity and beyond it */
  for (int i = 0; i < 1000; i++) attrib__sbuf_addf(&b, " + x%d", i);
  assert_int_equal(strlen(b.s), b.len);
  assert_non_null(strstr(b.s, " + x999"));
  attrib__sbuf_free(&b);
  free(big);
  /* out of memory is reported, never a partial string taken as whole */
  attrib__sbuf c = {0};
  attrib_debug_fail_alloc_after(1);
  attrib__sbuf_addf(&c, "%0600d", 1);
  attrib_debug_fail_alloc_after(0);
  assert_true(c.failed);
  attrib__sbuf_free(&c);
}

static void test_escaped(void **state) {
  (void)state;
  attrib__sbuf b = {0};
  const char in[] = "a\x01" "b\tc\x7f" "formé\xff\xc3(";
  attrib__sbuf_add_escaped(&b, in, sizeof in - 1, 0);
  assert_string_equal(b.s, "a\\x01b\\x09c\\x7fformé\\xff\\xc3(");
  attrib__sbuf_free(&b);
  /* a long name is elided in the middle, at character boundaries */
  char name[1001];
  for (int i = 0; i < 1000; i += 2) memcpy(name + i, "é", 2);
  name[1000] = 0;
  attrib__sbuf e = {0};
  attrib__sbuf_add_escaped(&e, name, 1000, 100);
  assert_non_null(strstr(e.s, "...(1000 bytes in all)..."));
  assert_true(e.len < 160);
  for (const char *p = e.s; *p; p++) /* every é whole */
    if ((unsigned char)*p == 0xc3) assert_int_equal((unsigned char)p[1], 0xa9);
  assert_int_equal(attrib__utf8_chars("formé", 6), 5);
  attrib__sbuf_free(&e);
}

static void test_error_truncation_is_visible(void **state) {
  (void)state;
  char name[2001];
  for (int i = 0; i < 2000; i += 2) memcpy(name + i, "é", 2);
  name[2000] = 0;
  attrib_error err;
  attrib_error_clear(&err);
  attrib__fail(&err, ATTRIB_ENOCOL, "no column '%s'", name);
  size_t n = strlen(err.message);
  assert_true(n < ATTRIB_ERROR_MESSAGE_MAX);
  assert_string_equal(err.message + n - 3, "...");
  /* still valid UTF-8 before the mark */
  for (size_t i = 0; i + 3 < n; i++)
    if ((unsigned char)err.message[i] == 0xc3) assert_int_equal((unsigned char)err.message[i + 1], 0xa9);
  /* the messages that quote a name elide it instead, keeping the sentence */
  attrib_table *t = test_table("y,x\n1,2\n3,4\n");
  size_t j;
  name[1] = '\x01';
  name[0] = 'a';
  assert_int_equal(attrib_table_column_require(t, name, "covariate", &j, &err), ATTRIB_ENOCOL);
  assert_non_null(strstr(err.message, "no column 'a\\x01"));
  assert_non_null(strstr(err.message, "...(2000 bytes in all)..."));
  assert_non_null(strstr(err.message, "' (covariate)"));
  attrib_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sbuf_addf_is_unbounded),
      cmocka_unit_test(test_escaped),
      cmocka_unit_test(test_error_truncation_is_visible),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
