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
 * the result is bit-identical on every x86-64 (and any other) machine. With
 * GCC on x86-64 the kernel is compiled for AVX-512 and AVX2 beside the
 * baseline and picked at run time.
 */
#include <string.h>

#include "core/linalg.h"

/* GCC on x86-64 builds the AVX-512 and AVX2 clones and picks one at run
 * time; other compilers (clang for the fuzz targets) build the plain tile
 * only, with the same bits. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(ATTRIB_NO_CLONES)
#define ATTRIB__CROSSPROD_DISPATCH 1
#endif

typedef double v8d __attribute__((vector_size(64)));

/* Macros rather than functions: a function taking or returning a 64-byte
 * vector would have a different ABI in each target clone (-Wpsabi). */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8d))
/* (l0 + l1) + (l2 + l3) + ((l4 + l5) + (l6 + l7)): the one order of the lanes */
#define LANES(v) ((((v)[0] + (v)[1]) + ((v)[2] + (v)[3])) + (((v)[4] + (v)[5]) + ((v)[6] + (v)[7])))

#ifdef ATTRIB__CROSSPROD_DISPATCH
/* Columns a[0..3] against b[0..3] over p rows: out[u * 4 + v] = sum a_u b_v
 * (16 accumulators of 8 lanes: 16 of AVX-512's 32 registers). */
static inline void tile4(size_t p, const double *const *a, const double *const *b, double *out) {
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
#endif

/* Columns a[0..1] against b[0..1]: the same sums (each lane, then the
 * tree, then the tail, per pair) with each 8-lane accumulator held as 8 / W
 * vectors of W lanes (VT): 64-byte vectors without AVX-512 compile to
 * spills, 4 x 2 ymm accumulators fit AVX2's 16 registers. */
#define TILE2_BODY(VT, W)                                                                     \
  VT c[4][8 / (W)];                                                                           \
  memset(c, 0, sizeof c);                                                                     \
  size_t p8 = p & ~(size_t)7;                                                                 \
  for (size_t i = 0; i < p8; i += 8)                                                          \
    for (size_t h = 0; h < 8 / (W); h++) {                                                    \
      VT a0, a1, b0, b1;                                                                      \
      memcpy(&a0, a[0] + i + h * (W), sizeof a0), memcpy(&a1, a[1] + i + h * (W), sizeof a1); \
      memcpy(&b0, b[0] + i + h * (W), sizeof b0), memcpy(&b1, b[1] + i + h * (W), sizeof b1); \
      c[0][h] += a0 * b0, c[1][h] += a0 * b1, c[2][h] += a1 * b0, c[3][h] += a1 * b1;         \
    }                                                                                         \
  for (int q = 0; q < 4; q++) {                                                               \
    double l[8];                                                                              \
    memcpy(l, c[q], sizeof l); /* lane h * W + w */                                           \
    double s = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));              \
    for (size_t i = p8; i < p; i++) s += a[q >> 1][i] * b[q & 1][i];                           \
    out[q] = s;                                                                               \
  }

typedef double v4d __attribute__((vector_size(32)));
typedef double v2d __attribute__((vector_size(16)));
#ifdef ATTRIB__CROSSPROD_DISPATCH
static inline void tile2_v4(size_t p, const double *const *a, const double *const *b, double *out) {
  TILE2_BODY(v4d, 4)
}
#endif
static inline void tile2_v2(size_t p, const double *const *a, const double *const *b, double *out) {
  TILE2_BODY(v2d, 2)
}

/* The upper triangle in T-column tiles (T = 4 or 2); the last tile repeats
 * the last column, whose extra products are computed and dropped. The tile
 * shape decides only which pairs share a loop, never a pair's sum. */
#define CROSSPROD_BODY(T, TILE)                                                  \
  size_t mm = m + (extra != NULL), tiles = (mm + (T)-1) / (T);                   \
  for (size_t tb = 0; tb < tiles; tb++) {                                        \
    const double *b[T];                                                          \
    for (size_t v = 0; v < (T); v++) b[v] = COL(tb * (T) + v < mm ? tb * (T) + v : mm - 1); \
    for (size_t ta = 0; ta <= tb; ta++) {                                        \
      const double *a[T];                                                        \
      for (size_t u = 0; u < (T); u++) a[u] = COL(ta * (T) + u < mm ? ta * (T) + u : mm - 1); \
      double out[(T) * (T)];                                                     \
      TILE(p, a, b, out);                                                        \
      for (size_t v = 0; v < (T); v++) {                                         \
        size_t j = tb * (T) + v;                                                 \
        if (j >= mm) break;                                                      \
        for (size_t u = 0; u < (T); u++) {                                       \
          size_t i = ta * (T) + u;                                               \
          if (i > j) break;                                                      \
          G[j * ldg + i] += out[u * (T) + v];                                    \
        }                                                                        \
      }                                                                          \
    }                                                                            \
  }
#define COL(j) ((j) < m ? A + (j) * lda : extra)

#ifdef ATTRIB__CROSSPROD_DISPATCH
/* Each instruction set gets the tile its registers hold, chosen at run
 * time; the bits are the same on all three. */
__attribute__((target("avx512f"))) static void crossprod_avx512(size_t p, size_t m, const double *A, size_t lda,
                                                                const double *extra, double *G, size_t ldg) {
  CROSSPROD_BODY(4, tile4)
}
__attribute__((target("avx2"))) static void crossprod_avx2(size_t p, size_t m, const double *A, size_t lda,
                                                           const double *extra, double *G, size_t ldg) {
  CROSSPROD_BODY(2, tile2_v4)
}
#endif

static void crossprod_plain(size_t p, size_t m, const double *A, size_t lda, const double *extra, double *G,
                            size_t ldg) {
  CROSSPROD_BODY(2, tile2_v2)
}

void attrib__crossprod(size_t p, size_t m, const double *A, size_t lda, const double *extra, double *G, size_t ldg) {
#ifdef ATTRIB__CROSSPROD_DISPATCH
  if (__builtin_cpu_supports("avx512f")) {
    crossprod_avx512(p, m, A, lda, extra, G, ldg);
    return;
  }
  if (__builtin_cpu_supports("avx2")) {
    crossprod_avx2(p, m, A, lda, extra, G, ldg);
    return;
  }
#endif
  crossprod_plain(p, m, A, lda, extra, G, ldg);
}
