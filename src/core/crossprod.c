/*
 * The cross-products of a block of columns, C' C, for the tall, skinny
 * blocks the estimators stream (core/linalg.h, attrib__crossprod).
 *
 * Why not BLAS dsyrk: on this project's machines the block shape (2048 rows,
 * 20-30 columns) reached 15-23 GFLOP/s at best, and on CPUs that OpenBLAS
 * 0.3.21 does not recognise (a virtual "Intel Xeon Processor", family 6
 * model 207) it falls back to its Prescott (SSE3) kernels, where the
 * logit's X'WX alone was half of a Newton step. Its sums also run in an
 * order that depends on the kernel chosen, so the last bits of X'X differed
 * between machines. Here the order is fixed by the source: every product
 * goes to one of 8 lanes (row i to lane i mod 8), the lanes are added in one
 * fixed tree, then the rows past the last multiple of 8 in order. The
 * vectors are GCC/Clang generic vectors, so the same lanewise IEEE
 * operations run whether the compiler emits AVX-512, AVX2 or SSE2 for them
 * (the library is built with -ffp-contract=off: no fused multiply-adds), and
 * the result is bit-identical on every x86-64 (and any other) machine. The
 * function is compiled for those three targets and the loader picks one
 * (GCC's target_clones) where the toolchain supports it.
 */
#include <string.h>

#include "core/linalg.h"

typedef double v8d __attribute__((vector_size(64)));

/* Macros rather than functions: a function taking or returning a 64-byte
 * vector would have a different ABI in each target clone (-Wpsabi). */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8d))
/* (l0 + l1) + (l2 + l3) + ((l4 + l5) + (l6 + l7)): the one order of the lanes */
#define LANES(v) ((((v)[0] + (v)[1]) + ((v)[2] + (v)[3])) + (((v)[4] + (v)[5]) + ((v)[6] + (v)[7])))

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(ATTRIB_NO_CLONES)
#define ATTRIB__CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ATTRIB__CLONES
#endif

/* Columns a[0..3] against b[0..3] over p rows: out[u * 4 + v] = sum a_u b_v. */
static inline void tile4x4(size_t p, const double *const *a, const double *const *b, double *out) {
  v8d acc[16];
  for (int q = 0; q < 16; q++) acc[q] = (v8d){0};
  size_t p8 = p & ~(size_t)7;
  for (size_t i = 0; i < p8; i += 8) {
    v8d a0, a1, a2, a3, b0, b1, b2, b3;
    LOAD8(a0, a[0] + i), LOAD8(a1, a[1] + i), LOAD8(a2, a[2] + i), LOAD8(a3, a[3] + i);
    LOAD8(b0, b[0] + i), LOAD8(b1, b[1] + i), LOAD8(b2, b[2] + i), LOAD8(b3, b[3] + i);
    acc[0] += a0 * b0, acc[1] += a0 * b1, acc[2] += a0 * b2, acc[3] += a0 * b3;
    acc[4] += a1 * b0, acc[5] += a1 * b1, acc[6] += a1 * b2, acc[7] += a1 * b3;
    acc[8] += a2 * b0, acc[9] += a2 * b1, acc[10] += a2 * b2, acc[11] += a2 * b3;
    acc[12] += a3 * b0, acc[13] += a3 * b1, acc[14] += a3 * b2, acc[15] += a3 * b3;
  }
  for (int u = 0; u < 4; u++)
    for (int v = 0; v < 4; v++) {
      double s = LANES(acc[u * 4 + v]);
      for (size_t i = p8; i < p; i++) s += a[u][i] * b[v][i];
      out[u * 4 + v] = s;
    }
}

ATTRIB__CLONES
void attrib__crossprod(size_t p, size_t m, const double *A, size_t lda, const double *extra, double *G, size_t ldg) {
  /* 4-column tiles; the last tile repeats the last column, whose extra
   * products are computed and dropped */
  size_t mm = m + (extra != NULL), tiles = (mm + 3) / 4;
#define COL(j) ((j) < m ? A + (j) * lda : extra)
  for (size_t tb = 0; tb < tiles; tb++) {
    const double *b[4];
    for (size_t v = 0; v < 4; v++) b[v] = COL(tb * 4 + v < mm ? tb * 4 + v : mm - 1);
    for (size_t ta = 0; ta <= tb; ta++) {
      const double *a[4];
      for (size_t u = 0; u < 4; u++) a[u] = COL(ta * 4 + u < mm ? ta * 4 + u : mm - 1);
      double out[16];
      tile4x4(p, a, b, out);
      for (size_t v = 0; v < 4; v++) {
        size_t j = tb * 4 + v;
        if (j >= mm) break;
        for (size_t u = 0; u < 4; u++) {
          size_t i = ta * 4 + u;
          if (i > j) break;
          G[j * ldg + i] += out[u * 4 + v];
        }
      }
    }
  }
#undef COL
}
