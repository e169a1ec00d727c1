/* The block cross-product kernel (src/core/crossprod.c): its AVX-512, AVX2
 * and baseline versions give the same bits as a plain scalar loop that sums
 * in the documented order (row i in lane i mod 8, the lanes' fixed tree,
 * then the tail rows), for block lengths with and without a tail and column
 * counts that do and do not fill the last tile, with and without the extra
 * column; and the sums are the cross-products (to rounding). */
#include "test_support.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* the kernel's static versions, to call each one whatever this CPU picks */
#include "core/crossprod.c"

/* the documented order, one scalar at a time */
static double reference(size_t p, const double *x, const double *y) {
  double l[8] = {0};
  size_t p8 = p & ~(size_t)7;
  for (size_t i = 0; i < p8; i++) l[i & 7] += x[i] * y[i];
  double s = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
  for (size_t i = p8; i < p; i++) s += x[i] * y[i];
  return s;
}

static uint64_t state = 88172645463325252ull;
static double unif(void) { /* xorshift64: a fixed stream, no library RNG needed */
  state ^= state << 13, state ^= state >> 7, state ^= state << 17;
  return (double)(state >> 11) * 0x1p-53 * 2.0 - 1.0;
}

typedef void (*kernel)(size_t, size_t, const double *, size_t, const double *, double *, size_t);

static void check(kernel f, const char *name) {
  enum { P = 2100, M = 11 };
  static double A[P * M], extra[P], G[(M + 1) * (M + 1)];
  for (size_t q = 0; q < P * M; q++) A[q] = unif() * 1e3;
  for (size_t q = 0; q < P; q++) extra[q] = unif();
  const size_t ps[] = {2048, 2047, 1000, 13, 8, 7, 1, 0};
  for (size_t a = 0; a < sizeof ps / sizeof *ps; a++)
    for (size_t m = 1; m <= 9; m++)
      for (int ex = 0; ex < 2; ex++) {
        size_t p = ps[a], mm = m + (size_t)ex, ld = mm + 1;
        for (size_t q = 0; q < ld * ld; q++) G[q] = (double)q; /* accumulated into; lower triangle untouched */
        f(p, m, A, P, ex ? extra : NULL, G, ld);
        for (size_t j = 0; j < ld; j++)
          for (size_t i = 0; i < ld; i++) {
            double want = (double)(j * ld + i);
            if (i <= j && j < mm) {
              const double *x = i < m ? A + i * P : extra, *y = j < m ? A + j * P : extra;
              double s = reference(p, x, y);
              want += s;
              long double exact = 0.0L;
              for (size_t r = 0; r < p; r++) exact += (long double)x[r] * y[r];
              double scale = 0.0;
              for (size_t r = 0; r < p; r++) scale += fabs(x[r] * y[r]);
              if (fabs((double)exact - s) > 1e-13 * scale + 1e-300)
                fail_msg("%s: p %zu m %zu: sum %zu,%zu off by %g", name, p, m, i, j, fabs((double)exact - s));
            }
            if (memcmp(&G[j * ld + i], &want, sizeof want) != 0)
              fail_msg("%s: p %zu m %zu extra %d: G[%zu,%zu] = %.17g, the documented order gives %.17g", name, p, m,
                       ex, i, j, G[j * ld + i], want);
          }
      }
}

static void test_orders(void **st) {
  (void)st;
  check(crossprod_plain, "baseline");
  check(attrib__crossprod, "dispatched");
#ifdef ATTRIB__CROSSPROD_DISPATCH
  if (__builtin_cpu_supports("avx2")) check(crossprod_avx2, "avx2");
  if (__builtin_cpu_supports("avx512f")) check(crossprod_avx512, "avx512");
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_orders)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
