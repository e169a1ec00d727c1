/*
 * numdiff EXPECTED GOT: compares two text files line by line as the CLI
 * golden cases need. Text must match exactly; numbers match when they agree
 * to a relative tolerance of 1e-11 (or both are the same non-finite value).
 *
 * Why: goldens hold results printed to 17 significant digits (JSON, CSV).
 * Their last few bits come from BLAS-3 reductions (dsyrk, dgemm) whose
 * summation order depends on the CPU kernel OpenBLAS picks at run time, so
 * an exact comparison fails on another processor for numbers that agree to
 * 1e-15. A number printed to six digits still has to match to the digit:
 * any change a reader could see is far above 1e-11.
 *
 * Exit 0 when the files agree, 1 (with the first differing line on stderr)
 * when they do not, 2 on a usage or read error.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RTOL 1e-11

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap + 1);
  for (size_t got; b && (got = fread(b + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap) {
      char *nb = realloc(b, 2 * cap + 1);
      if (!nb) {
        free(b);
        b = NULL;
        break;
      }
      b = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (b) b[n] = '\0';
  *len = n;
  return b;
}

/* A number starts at a digit, or at a sign or '.' followed by a digit, and
 * is not glued to a letter or underscore before it (so "x1" and "HC3" stay
 * text, compared exactly). */
static int number_at(const char *s, const char *line, const char *end, double *v, const char **after) {
  if (s > line && (isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '.')) return 0;
  const char *p = s;
  if (p < end && (*p == '-' || *p == '+')) p++;
  if (p < end && *p == '.') p++;
  if (!(p < end && isdigit((unsigned char)*p))) return 0;
  char *e;
  *v = strtod(s, &e);
  if (e == s || e > end) return 0;
  *after = e;
  return 1;
}

static int same_number(double a, double b) {
  if (a == b) return 1;
  if (isnan(a) && isnan(b)) return 1;
  if (!isfinite(a) || !isfinite(b)) return 0;
  return fabs(a - b) <= RTOL * fmax(fabs(a), fabs(b));
}

/* Compares one line of each (without their line ends). */
static int same_line(const char *a, const char *ae, const char *b, const char *be) {
  const char *la = a, *lb = b;
  while (a < ae && b < be) {
    double x = 0.0, y = 0.0;
    const char *na = a, *nb = b;
    int ia = number_at(a, la, ae, &x, &na), ib = number_at(b, lb, be, &y, &nb);
    if (ia != ib) return 0;
    if (ia) {
      if (!same_number(x, y)) return 0;
      a = na;
      b = nb;
      continue;
    }
    if (*a != *b) return 0;
    a++;
    b++;
  }
  return a == ae && b == be;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: numdiff EXPECTED GOT\n");
    return 2;
  }
  size_t na, nb;
  char *A = slurp(argv[1], &na), *B = slurp(argv[2], &nb);
  if (!A || !B) {
    fprintf(stderr, "numdiff: cannot read %s\n", A ? argv[2] : argv[1]);
    free(A);
    free(B);
    return 2;
  }
  const char *a = A, *b = B, *ea = A + na, *eb = B + nb;
  size_t line = 1;
  int rc = (na && A[na - 1] == '\n') != (nb && B[nb - 1] == '\n');
  if (rc) fprintf(stderr, "numdiff: one file ends with a line end, the other does not\n");
  while (!rc && (a < ea || b < eb)) {
    const char *a1 = memchr(a, '\n', (size_t)(ea - a)), *b1 = memchr(b, '\n', (size_t)(eb - b));
    if (!a1) a1 = ea;
    if (!b1) b1 = eb;
    if ((a < ea) != (b < eb) || !same_line(a, a1, b, b1)) {
      fprintf(stderr, "numdiff: line %zu differs beyond a relative %g:\n- %.*s\n+ %.*s\n", line, RTOL,
              (int)(a1 - a), a, (int)(b1 - b), b);
      rc = 1;
      break;
    }
    a = a1 < ea ? a1 + 1 : ea;
    b = b1 < eb ? b1 + 1 : eb;
    line++;
  }
  free(A);
  free(B);
  return rc;
}
