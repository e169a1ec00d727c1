/*
 * libFuzzer target: the reader's number parser (src/data/numparse.c, the
 * Clinger fast path with strtod_l as fallback) against strtod in the C
 * locale, the definition it promises to match bit for bit on the strings
 * it accepts: [+-]digits[.digits][e[+-]digits]. It must also accept every
 * such string that strtod reads to a finite double, and nothing else (no
 * hex, inf, nan, blanks). The missing-token and boolean-word checks run on
 * the same bytes, and the formatted-number parser of exports (below).
 */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_internal.h"
#include "fuzz_common.h"

/* the grammar, written out independently of the parser */
static int grammar(const char *s, size_t n) {
  size_t i = 0, digits = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) i++;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
  if (i < n && s[i] == '.') {
    i++;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
  }
  if (!digits) return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t ed = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, ed++;
    if (!ed) return 0;
  }
  return i == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static locale_t c;
  if (!c) c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  if (size > 4096) return 0;
  const char *s = (const char *)data;
  double v = 0;
  int ok = attrib__parse_double(s, size, &v);
  int g = grammar(s, size);
  if (g) {
    char *buf = malloc(size + 1);
    memcpy(buf, s, size);
    buf[size] = '\0';
    char *end;
    double ref = strtod_l(buf, &end, c);
    FUZZ_CHECK(end == buf + size, "strtod reads the whole string");
    if (isfinite(ref)) {
      FUZZ_CHECK(ok, "a finite decimal is accepted");
      FUZZ_CHECK(memcmp(&v, &ref, sizeof v) == 0, "bit-identical to strtod");
    } else {
      FUZZ_CHECK(!ok, "an overflowing decimal is refused");
    }
    free(buf);
  } else {
    FUZZ_CHECK(!ok, "outside the grammar nothing is a number");
  }
  double b;
  fuzz_sink((size_t)attrib__is_missing_token(s, size) + (size_t)attrib__parse_bool(s, size, &b));
  /* The formatted-number parser (issue 14), its options from the first
   * byte: it accepts every plain number the plain parser accepts, with the
   * same bits, whatever the options (unless the decimal mark is ',', or '.'
   * separates thousands); what it accepts is finite. */
  if (size >= 1) {
    static const char decs[2] = {'.', ','}, ths[5] = {0, ',', '.', ' ', '\''};
    unsigned o = data[0];
    attrib__number_format f = {decs[o & 1], ths[(o >> 1) % 5], (o >> 4) & 1, (o >> 5) & 1};
    if (f.thousands == f.decimal) f.thousands = 0;
    const char *r = s + 1;
    size_t rn = size - 1;
    double pf = 0, pd = 0;
    int okf = attrib__parse_formatted(r, rn, &f, &pf);
    int okd = attrib__parse_double(r, rn, &pd);
    if (okf) FUZZ_CHECK(isfinite(pf), "a formatted number is finite");
    if (okd && f.decimal == '.' && f.thousands != '.' && memchr(r, 'e', rn) == NULL && memchr(r, 'E', rn) == NULL) {
      FUZZ_CHECK(okf, "a plain number is also a formatted one");
      FUZZ_CHECK(memcmp(&pf, &pd, sizeof pf) == 0 || (pf == 0 && pd == 0), "the same value as the plain parser");
    }
  }
  return 0;
}
