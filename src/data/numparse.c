/*
 * Exact decimal-to-double conversion with a fast path.
 *
 * Clinger (1990), "How to read floating point numbers accurately", PLDI:
 * when the decimal significand w is an integer below 2^53 and the power of
 * ten |e| <= 22, both w and 10^|e| are exact doubles, so one IEEE multiply or
 * divide gives the correctly rounded result, the same bits strtod returns.
 * Everything else (more than 19 significant digits, larger exponents) goes
 * to strtod_l in the C locale. The grammar is checked here first, so
 * strtod's extras (hex floats, "inf", "nan", leading blanks) never count as
 * numbers in a data file.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_internal.h"

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale; /* written once under pthread_once, then read-only */

static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static int slow_path(const char *s, size_t n, double *out) {
  char stack[128];
  char *buf = n < sizeof stack ? stack : attrib__malloc(n + 1, 1);
  if (!buf) return 0;
  memcpy(buf, s, n);
  buf[n] = '\0';
  pthread_once(&c_locale_once, make_c_locale);
  char *end;
  errno = 0;
  double v = c_locale ? strtod_l(buf, &end, c_locale) : strtod(buf, &end);
  int ok = end == buf + n && !isinf(v);
  if (buf != stack) attrib__free(buf);
  if (ok) *out = v;
  return ok;
}

int attrib__parse_double(const char *s, size_t n, double *out) {
  const char *p = s, *end = s + n;
  int neg = 0;
  if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';

  uint64_t w = 0;
  int sig = 0;       /* significant digits taken into w */
  int dropped = 0;   /* significant digits beyond 19 (forces the slow path) */
  int exp10 = 0;     /* decimal exponent to apply to w */
  int digits = 0;    /* any digit seen in the significand */

  for (; p < end && (unsigned)(*p - '0') < 10; p++) {
    digits = 1;
    if (w == 0 && *p == '0') continue; /* leading zeros are not significant */
    if (sig < 19) {
      w = w * 10 + (uint64_t)(*p - '0');
      sig++;
    } else {
      dropped = 1;
      exp10++;
    }
  }
  if (p < end && *p == '.') {
    p++;
    for (; p < end && (unsigned)(*p - '0') < 10; p++) {
      digits = 1;
      if (w == 0 && *p == '0') {
        exp10--;
        continue;
      }
      if (sig < 19) {
        w = w * 10 + (uint64_t)(*p - '0');
        sig++;
        exp10--;
      } else {
        dropped = 1;
      }
    }
  }
  if (!digits) return 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    int eneg = 0;
    if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
    if (p == end || (unsigned)(*p - '0') >= 10) return 0;
    int e = 0;
    for (; p < end && (unsigned)(*p - '0') < 10; p++)
      if (e < 100000) e = e * 10 + (*p - '0');
    exp10 += eneg ? -e : e;
  }
  if (p != end) return 0;

  if (w == 0) {
    *out = neg ? -0.0 : 0.0;
    return 1;
  }
  if (!dropped && w <= ((uint64_t)1 << 53)) {
    double d = (double)w;
    if (exp10 >= 0 && exp10 <= 22) {
      *out = neg ? -(d * pow10_exact[exp10]) : d * pow10_exact[exp10];
      return 1;
    }
    if (exp10 < 0 && exp10 >= -22) {
      *out = neg ? -(d / pow10_exact[-exp10]) : d / pow10_exact[-exp10];
      return 1;
    }
    /* "Disguised" fast case: 123e25 = 123000 * 1e22 while the shifted
     * integer stays below 2^53. */
    if (exp10 > 22 && exp10 <= 22 + 15) {
      uint64_t ww = w;
      int k = exp10 - 22;
      while (k > 0 && ww <= ((uint64_t)1 << 53) / 10) {
        ww *= 10;
        k--;
      }
      if (k == 0) {
        d = (double)ww * pow10_exact[22];
        *out = neg ? -d : d;
        return 1;
      }
    }
  }
  return slow_path(s, n, out);
}

int attrib__is_missing_token(const char *s, size_t n) {
  if (n == 0) return 1;
  if (n > 4) return 0;
  return attrib__ieq(s, n, "NA") || attrib__ieq(s, n, "NaN") || attrib__ieq(s, n, "null");
}

int attrib__parse_bool(const char *s, size_t n, double *out) {
  if (n < 2 || n > 5) return 0;
  if (attrib__ieq(s, n, "true")) return *out = 1.0, 1;
  if (attrib__ieq(s, n, "false")) return *out = 0.0, 1;
  if (attrib__ieq(s, n, "yes")) return *out = 1.0, 2;
  if (attrib__ieq(s, n, "no")) return *out = 0.0, 2;
  return 0;
}
