/* The fast decimal parser must give the bits strtod gives, for every input
 * the grammar accepts, and reject what a data file should not call a number. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "data/data_internal.h"

static void check_same_as_strtod(const char *s) {
  double got = 0.0;
  int ok = attrib__parse_double(s, strlen(s), &got);
  char *end;
  double want = strtod(s, &end);
  if (!ok) fail_msg("'%s' was rejected (strtod gives %.17g)", s, want);
  if (memcmp(&got, &want, sizeof got) != 0)
    fail_msg("'%s': got %.17g (%a), strtod %.17g (%a)", s, got, got, want, want);
}

static void test_edge_cases(void **state) {
  (void)state;
  static const char *cases[] = {
      "0", "-0", "+0", "0.0", "1", "-1", "1.5", ".5", "5.", "-.5", "1e5", "1E5", "1e+5", "1e-5",
      "123456789012345678", "1234567890123456789", "12345678901234567890", "9007199254740992",
      "9007199254740993", "9007199254740991", "0.1", "0.2", "0.3", "3.14159265358979323846",
      "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9406564584124654e-324",
      "1e-400", "1.7976931348623157e308", "1e22", "1e23", "123e25", "1e-22", "1e-23",
      "0.000000000000000000000000000001", "100000000000000000000000", "7.038531e-26",
      "8.98846567431158e307", "0.30000000000000004", "1.00000000000000011102230246251565",
      "2.5", "-2.5e-3", "000123.4500", "1.2345678901234567e-100", "6.02214076e23",
      "89255.0e-22", "4503599627370496.5", "4503599627370497.5", "1.448997445238699"};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) check_same_as_strtod(cases[i]);
}

static void test_random_decimals(void **state) {
  (void)state;
  /* 300,000 random decimals of every shape: digit counts 1-25, exponents
   * -330..330, with and without a point. A fixed seed keeps it repeatable;
   * a failure prints the input. */
  unsigned long long x = 0x9E3779B97F4A7C15ull;
  char buf[64];
  for (int it = 0; it < 300000; it++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int digits = 1 + (int)(x % 25);
    int point = (int)((x >> 8) % (unsigned)(digits + 2)) - 1;
    int shape = (int)((x >> 16) % 4);
    size_t n = 0;
    if ((x >> 20) & 1) buf[n++] = '-';
    unsigned long long y = x;
    for (int d = 0; d < digits; d++) {
      if (d == point) buf[n++] = '.';
      y = y * 6364136223846793005ull + 1442695040888963407ull;
      buf[n++] = (char)('0' + (y >> 60) % 10);
    }
    if (shape >= 2) {
      int e = (int)((x >> 24) % 661) - 330;
      if (shape == 3) e = (int)((x >> 24) % 45) - 22;
      n += (size_t)snprintf(buf + n, sizeof buf - n, "e%d", e);
    }
    buf[n] = '\0';
    char *end;
    double want = strtod(buf, &end);
    if (isinf(want)) continue; /* overflow: rejected on purpose, tested below */
    check_same_as_strtod(buf);
  }
}

static void test_rejects(void **state) {
  (void)state;
  static const char *bad[] = {"",     "-",   "+",    ".",    "e5",   "1e",  "1e+", "abc", "1.2.3",
                              "0x10", "inf", "-inf", "nan",  "NaN",  " 1",  "1 ",  "1,5", "1e5x",
                              "--1",  "1e400", "-1e400", "Infinity", "1d5"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    double v;
    if (attrib__parse_double(bad[i], strlen(bad[i]), &v)) fail_msg("'%s' was accepted as %g", bad[i], v);
  }
}

static void test_tokens(void **state) {
  (void)state;
  assert_true(attrib__is_missing_token("", 0));
  assert_true(attrib__is_missing_token("NA", 2));
  assert_true(attrib__is_missing_token("na", 2));
  assert_true(attrib__is_missing_token("NaN", 3));
  assert_true(attrib__is_missing_token("NULL", 4));
  /* the export codes (issue 14): Excel, Stata, SQL, pandas */
  static const char *const yes[] = {"N/A", "n/a", "#N/A", "#n/a", "None", "NONE", "-", "--", ".", "?", "null", NULL};
  static const char *const no[] = {"NAN1", "---", "..", "??", "N/A.", "#NA", "Non", "nil", "0", "-1", "NA ", NULL};
  for (size_t i = 0; yes[i]; i++)
    if (!attrib__is_missing_token(yes[i], strlen(yes[i]))) fail_msg("'%s' should be a missing word", yes[i]);
  for (size_t i = 0; no[i]; i++)
    if (attrib__is_missing_token(no[i], strlen(no[i]))) fail_msg("'%s' should not be a missing word", no[i]);
  double v = -1;
  assert_int_equal(attrib__parse_bool("TRUE", 4, &v), 1);
  assert_true(v == 1.0);
  assert_int_equal(attrib__parse_bool("No", 2, &v), 2);
  assert_true(v == 0.0);
  assert_false(attrib__parse_bool("maybe", 5, &v));
}

/* Formatted numbers (issue 14): cells of exports, against values written by hand. */
static void test_formatted(void **state) {
  (void)state;
  static const struct {
    const char *cell;
    char dec, th;
    int cur, pct;
    int ok;
    double v;
  } fmt_cases[] = {
      {"$3,882", 0, ',', 1, 0, 1, 3882},          {"\xE2\x82\xAC" "1.234,50", ',', '.', 1, 0, 1, 1234.5},
      {"84%", 0, 0, 0, 1, 1, 0.84},               {"1,000,000", 0, ',', 0, 0, 1, 1e6},
      {"(1,234)", 0, ',', 0, 0, 1, -1234},        {"+5", 0, ',', 0, 0, 1, 5},
      {"1 234,5", ',', ' ', 0, 0, 1, 1234.5},     {"1\xC2\xA0" "234", 0, ' ', 0, 0, 1, 1234},
      {"12 EUR", 0, 0, 1, 0, 1, 12},              {"USD 7.25", 0, 0, 1, 0, 1, 7.25},
      {"-$3", 0, 0, 1, 0, 1, -3},                 {"$-3", 0, 0, 1, 0, 1, -3},
      {"1'000.5", 0, '\'', 0, 0, 1, 1000.5},      {"12,5%", ',', 0, 0, 1, 1, 0.125},
      {"1,5e3", ',', 0, 0, 0, 1, 1500},           {"0,1", ',', 0, 0, 0, 1, 0.1},
      /* not numbers: bad grouping, the other mark, two signs, words */
      {"1,00", 0, ',', 0, 0, 0, 0},               {"1,0000", 0, ',', 0, 0, 0, 0},
      {"12,34,567", 0, ',', 0, 0, 0, 0},          {",123", 0, ',', 0, 0, 0, 0},
      {"1.5", ',', '.', 0, 0, 0, 0},              {"1.500", ',', 0, 0, 0, 0, 0},
      {"--5", 0, ',', 0, 0, 0, 0},                {"$", 0, 0, 1, 0, 0, 0},
      {"84%", 0, 0, 0, 0, 0, 0},                  {"$5", 0, ',', 0, 0, 0, 0},
      {"abc", 0, ',', 1, 1, 0, 0},                {"1,234.5.6", 0, ',', 0, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof fmt_cases / sizeof fmt_cases[0]; i++) {
    attrib__number_format f = {fmt_cases[i].dec ? fmt_cases[i].dec : '.', fmt_cases[i].th, fmt_cases[i].cur, fmt_cases[i].pct};
    double v = NAN;
    int ok = attrib__parse_formatted(fmt_cases[i].cell, strlen(fmt_cases[i].cell), &f, &v);
    if (ok != fmt_cases[i].ok) fail_msg("'%s': parsed %d, expected %d", fmt_cases[i].cell, ok, fmt_cases[i].ok);
    if (ok && v != fmt_cases[i].v) fail_msg("'%s': %.17g, expected %.17g", fmt_cases[i].cell, v, fmt_cases[i].v);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_edge_cases),
      cmocka_unit_test(test_formatted),
      cmocka_unit_test(test_random_decimals),
      cmocka_unit_test(test_rejects),
      cmocka_unit_test(test_tokens),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
