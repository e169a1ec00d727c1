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
  switch (n) {
  case 0: return 1;
  case 1: return s[0] == '-' || s[0] == '.' || s[0] == '?';
  case 2: return attrib__ieq(s, n, "NA") || (s[0] == '-' && s[1] == '-');
  case 3: return attrib__ieq(s, n, "NaN") || attrib__ieq(s, n, "N/A");
  case 4: return attrib__ieq(s, n, "null") || attrib__ieq(s, n, "#N/A") || attrib__ieq(s, n, "None");
  default: return 0;
  }
}

/* Currency symbols written before or after an amount (UTF-8). */
static const char *const currency_symbols[] = {"$", "\xE2\x82\xAC" /* euro */, "\xC2\xA3" /* pound */,
                                                "\xC2\xA5" /* yen */, "\xE2\x82\xB9" /* rupee */,
                                                "\xE2\x82\xA9" /* won */, "\xE2\x82\xBD" /* rouble */,
                                                "\xE2\x82\xBA" /* lira */, "R$", "kr", "Fr.", NULL};

static int is_blank_at(const char *s, size_t n, size_t *len) {
  if (n >= 1 && s[0] == ' ') return *len = 1, 1;
  if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) return *len = 2, 1; /* U+00A0 */
  if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xAF)
    return *len = 3, 1; /* U+202F */
  return 0;
}

static void trim_blanks(const char **s, size_t *n) {
  size_t k;
  while (*n && is_blank_at(*s, *n, &k)) *s += k, *n -= k;
  for (;;) {
    if (*n >= 1 && (*s)[*n - 1] == ' ') { --*n; continue; }
    if (*n >= 2 && is_blank_at(*s + *n - 2, 2, &k) && k == 2) { *n -= 2; continue; }
    if (*n >= 3 && is_blank_at(*s + *n - 3, 3, &k) && k == 3) { *n -= 3; continue; }
    break;
  }
}

/* Strips one currency symbol or three-letter code (USD) from the front or
 * the back of s. */
static void strip_currency(const char **s, size_t *n) {
  for (const char *const *c = currency_symbols; *c; c++) {
    size_t m = strlen(*c);
    if (*n > m && memcmp(*s, *c, m) == 0) {
      *s += m, *n -= m;
      return;
    }
    if (*n > m && memcmp(*s + *n - m, *c, m) == 0) {
      *n -= m;
      return;
    }
  }
  /* ISO 4217 codes; the C locale's letters, whatever the program's locale */
#define UP(c) ((c) >= 'A' && (c) <= 'Z')
#define ALPHA(c) (UP(c) || ((c) >= 'a' && (c) <= 'z'))
  const char *p = *s;
  if (*n > 3 && UP(p[0]) && UP(p[1]) && UP(p[2]) && !ALPHA(p[3])) {
    *s += 3, *n -= 3;
    return;
  }
  p = *s + *n - 3;
  if (*n > 3 && UP(p[0]) && UP(p[1]) && UP(p[2]) && !ALPHA(p[-1])) *n -= 3;
#undef UP
#undef ALPHA
}

__attribute__((noinline)) int attrib__parse_formatted(const char *s, size_t n, const attrib__number_format *f,
                                                      double *out) {
  trim_blanks(&s, &n);
  int neg = 0;
  if (n >= 2 && s[0] == '(' && s[n - 1] == ')') { /* accounting negatives: (1,234) */
    neg = 1, s++, n -= 2;
    trim_blanks(&s, &n);
  }
  /* a sign may stand before or after the currency: -$3, $-3 */
  if (n && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') neg = !neg;
    s++, n--;
    trim_blanks(&s, &n);
  }
  if (f->currency) {
    size_t before = n;
    strip_currency(&s, &n);
    if (n != before) {
      trim_blanks(&s, &n);
      if (n && (s[0] == '-' || s[0] == '+')) {
        if (s[0] == '-') neg = !neg;
        s++, n--;
      }
    }
  }
  double scale = 1.0;
  if (f->percent && n && s[n - 1] == '%') {
    n--;
    trim_blanks(&s, &n);
    scale = 0.01;
  }
  if (n == 0) return 0;
  /* digits, the decimal mark as '.', thousands separators checked and
   * dropped: groups of exactly three digits after the first (1 to 3). The
   * copy is never longer than the cell; a long one (the plain parser
   * takes any number of digits) goes to the heap. */
  char small[128], *buf = n <= sizeof small ? small : attrib__malloc(n, 1);
  if (!buf) return 0;
  int ok = 0;
  size_t o = 0, run = 0, groups = 0, i = 0;
  int seen_decimal = 0, seen_exp = 0;
  char dec = f->decimal ? f->decimal : '.';
  while (i < n) {
    char c = s[i];
    size_t k = 1;
    int is_sep = 0;
    if (f->thousands == ' ') is_sep = is_blank_at(s + i, n - i, &k);
    else if (f->thousands && c == f->thousands) is_sep = 1;
    if (is_sep && !seen_decimal && !seen_exp) {
      if (run == 0 || run > 3 || (groups > 0 && run != 3)) goto done;
      groups++, run = 0, i += k;
      continue;
    }
    if (c >= '0' && c <= '9') {
      buf[o++] = c;
      if (!seen_decimal && !seen_exp) run++;
    } else if (c == dec && !seen_decimal && !seen_exp) {
      if (groups > 0 && run != 3) goto done;
      buf[o++] = '.';
      seen_decimal = 1;
    } else if ((c == 'e' || c == 'E') && !seen_exp && !groups) {
      buf[o++] = c;
      seen_exp = 1;
      if (i + 1 < n && (s[i + 1] == '-' || s[i + 1] == '+')) buf[o++] = s[++i];
    } else {
      goto done;
    }
    i++;
  }
  if (groups > 0 && !seen_decimal && run != 3) goto done;
  double v;
  if (!attrib__parse_double(buf, o, &v)) goto done;
  *out = (neg ? -v : v) * scale;
  ok = 1;
done:
  if (buf != small) attrib__free(buf);
  return ok;
}

int attrib__parse_bool(const char *s, size_t n, double *out) {
  if (n < 2 || n > 5) return 0;
  if (attrib__ieq(s, n, "true")) return *out = 1.0, 1;
  if (attrib__ieq(s, n, "false")) return *out = 0.0, 1;
  if (attrib__ieq(s, n, "yes")) return *out = 1.0, 2;
  if (attrib__ieq(s, n, "no")) return *out = 0.0, 2;
  return 0;
}
