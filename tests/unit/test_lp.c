/* The dense simplex (src/core/lp.c) on LPs solved by hand, on Beale's
 * classic cycling example (a rule without an anti-cycling guarantee loops
 * on it forever; Bland's rule must reach the optimum -1/20), on infeasible,
 * unbounded and redundant problems, and on random two-variable LPs checked
 * against an enumeration of every vertex (each pair of constraints). */
#include "test_support.h"

#include <math.h>
#include <string.h>

#include "core/lp.h"

static void test_textbook(void **state) {
  (void)state;
  /* max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18, x, y >= 0: (2, 6), 36 */
  const double G[] = {1, 0, 0, 2, 3, 2, -1, 0, 0, -1};
  const double h[] = {4, 12, 18, 0, 0};
  const double c[] = {3, 5};
  double x[2], v;
  attrib__lp_outcome o;
  assert_int_equal(attrib__lp_solve_ineq(5, 2, G, h, c, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_rel_close(v, 36, 1e-13, "value");
  assert_rel_close(x[0], 2, 1e-13, "x");
  assert_rel_close(x[1], 6, 1e-13, "y");
  /* equality form: max x1 + x2 s.t. x1 + 2 x2 = 4: (4, 0) */
  const double A[] = {1, 2};
  const double b[] = {4};
  const double c2[] = {1, 1};
  assert_int_equal(attrib__lp_solve_std(1, 2, A, b, c2, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_rel_close(v, 4, 1e-14, "value");
  assert_rel_close(x[0], 4, 1e-14, "x1");
  assert_true(x[1] == 0);
  /* negative right-hand side: max -x1 - x2 s.t. -x1 - x2 = -3 -> -3 */
  const double A2[] = {-1, -1};
  const double b2[] = {-3};
  const double c3[] = {-1, -1};
  assert_int_equal(attrib__lp_solve_std(1, 2, A2, b2, c3, NULL, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_rel_close(v, -3, 1e-14, "value");
}

static void test_beale_cycling(void **state) {
  (void)state;
  /* Beale (1955): min -3/4 x4 + 150 x5 - 1/50 x6 + 6 x7 with slacks x1..x3.
   * Optimum -1/20 at x4 = 1/25, x6 = 1, x1 = 3/100 (Chvatal, Linear
   * Programming, 1983, p. 31). */
  const double A[] = {1, 0, 0, 0.25, -60, -1.0 / 25, 9, /**/ 0, 1, 0, 0.5, -90, -1.0 / 50, 3, /**/ 0, 0, 1, 0, 0, 1, 0};
  const double b[] = {0, 0, 1};
  const double c[] = {0, 0, 0, 0.75, -150, 1.0 / 50, -6}; /* maximise the negative */
  double x[7], v;
  attrib__lp_outcome o;
  assert_int_equal(attrib__lp_solve_std(3, 7, A, b, c, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_rel_close(v, 0.05, 1e-13, "Beale optimum");
  assert_rel_close(x[3], 1.0 / 25, 1e-13, "x4");
  assert_rel_close(x[5], 1, 1e-13, "x6");
  assert_rel_close(x[0], 3.0 / 100, 1e-12, "x1");
}

static void test_infeasible_unbounded_redundant(void **state) {
  (void)state;
  double x[3], v;
  attrib__lp_outcome o;
  /* x1 + x2 = -1 with x >= 0 */
  const double A[] = {1, 1};
  const double b[] = {-1};
  const double c[] = {1, 0};
  assert_int_equal(attrib__lp_solve_std(1, 2, A, b, c, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_INFEASIBLE);
  assert_true(isnan(v) && isnan(x[0]));
  /* max x1 s.t. x1 - x2 = 1 */
  const double A2[] = {1, -1};
  const double b2[] = {1};
  assert_int_equal(attrib__lp_solve_std(1, 2, A2, b2, c, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_UNBOUNDED);
  /* the same row twice (and once doubled): max x1 + 2 x2 + 3 x3 s.t.
   * x1 + x2 + x3 = 1 (three times), x2 + x3 = 0.5 -> x1 = x3 = 0.5, 2 */
  const double A3[] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 1, 1};
  const double b3[] = {1, 1, 2, 0.5};
  const double c3[] = {1, 2, 3};
  assert_int_equal(attrib__lp_solve_std(4, 3, A3, b3, c3, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_rel_close(v, 2, 1e-14, "redundant rows");
  assert_rel_close(x[0], 0.5, 1e-14, "x1");
  assert_rel_close(x[2], 0.5, 1e-14, "x3");
  /* free variables: max x + y s.t. x + y <= 1, x - y <= 0, y - x <= 0 */
  const double G[] = {1, 1, 1, -1, -1, 1};
  const double h[] = {1, 0, 0};
  const double c4[] = {1, 1};
  assert_int_equal(attrib__lp_solve_ineq(3, 2, G, h, c4, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_rel_close(x[0], 0.5, 1e-14, "x");
  assert_rel_close(x[1], 0.5, 1e-14, "y");
  /* a free variable with no constraint on it is unbounded */
  const double G2[] = {1, 0};
  const double h2[] = {1};
  const double c5[] = {0, -1};
  assert_int_equal(attrib__lp_solve_ineq(1, 2, G2, h2, c5, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_UNBOUNDED);
  /* no rows at all: max 0'x is 0 */
  const double c6[] = {0, 0};
  assert_int_equal(attrib__lp_solve_std(0, 2, NULL, NULL, c6, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_true(v == 0);
}

static unsigned long lcg(unsigned long *s) {
  *s = *s * 6364136223846793005UL + 1442695040888963407UL;
  return *s >> 33;
}
static double unif(unsigned long *s) { return (double)lcg(s) / 2147483648.0 * 2 - 1; }

static void test_random_vs_vertices(void **state) {
  (void)state;
  unsigned long seed = 17;
  for (int rep = 0; rep < 300; rep++) {
    enum { M = 7 };
    double G[M * 2], h[M], c[2];
    for (int i = 0; i < M; i++) {
      G[2 * i] = unif(&seed), G[2 * i + 1] = unif(&seed);
      h[i] = unif(&seed) + (rep % 3 == 0 ? 0.0 : 1.2); /* a third may be infeasible */
    }
    /* some degenerate ties: a row repeated, a row through the same vertex */
    if (rep % 5 == 0) G[2] = G[0], G[3] = G[1], h[1] = h[0];
    c[0] = unif(&seed), c[1] = unif(&seed);
    /* enumeration: the best feasible intersection of two constraint lines;
     * the LP is unbounded when some feasible direction improves c with no
     * vertex ahead, which the enumeration cannot see: check that case via
     * a large box instead */
    double best = -INFINITY;
    int any_feasible = 0;
    for (int i = 0; i < M; i++)
      for (int j = i + 1; j < M; j++) {
        const double det = G[2 * i] * G[2 * j + 1] - G[2 * i + 1] * G[2 * j];
        if (fabs(det) < 1e-9) continue;
        const double x0 = (h[i] * G[2 * j + 1] - G[2 * i + 1] * h[j]) / det;
        const double x1 = (G[2 * i] * h[j] - h[i] * G[2 * j]) / det;
        int ok = 1;
        for (int r = 0; r < M; r++)
          if (G[2 * r] * x0 + G[2 * r + 1] * x1 > h[r] + 1e-9) ok = 0;
        if (ok) any_feasible = 1, best = fmax(best, c[0] * x0 + c[1] * x1);
      }
    double x[2], v;
    attrib__lp_outcome o;
    assert_int_equal(attrib__lp_solve_ineq(M, 2, G, h, c, x, &v, &o), ATTRIB_OK);
    /* the same LP inside the box |x| <= 1e4: always bounded when feasible */
    double Gb[(M + 4) * 2], hb[M + 4];
    memcpy(Gb, G, sizeof G);
    memcpy(hb, h, sizeof h);
    const double box[8] = {1, 0, -1, 0, 0, 1, 0, -1};
    memcpy(Gb + 2 * M, box, sizeof box);
    for (int k = 0; k < 4; k++) hb[M + k] = 1e4;
    double xb[2], vb;
    attrib__lp_outcome ob;
    assert_int_equal(attrib__lp_solve_ineq(M + 4, 2, Gb, hb, c, xb, &vb, &ob), ATTRIB_OK);
    if (o == ATTRIB__LP_INFEASIBLE) {
      assert_int_equal(ob, ATTRIB__LP_INFEASIBLE);
      assert_false(any_feasible);
      continue;
    }
    assert_int_equal(ob, ATTRIB__LP_OPTIMAL);
    if (o == ATTRIB__LP_UNBOUNDED) {
      assert_true(vb > 1e3); /* the box binds */
      continue;
    }
    assert_int_equal(o, ATTRIB__LP_OPTIMAL);
    assert_true(any_feasible);
    assert_true(fabs(v - best) <= 1e-9 * (1 + fabs(best)));
    assert_true(fabs(vb - best) <= 1e-9 * (1 + fabs(best)));
    for (int r = 0; r < M; r++) assert_true(G[2 * r] * x[0] + G[2 * r + 1] * x[1] <= h[r] + 1e-9);
  }
}

/* The ARP statistic's LP on HonestDiD's own check case (R's
 * .test_delta_lp_fn; tests/reference/honest_did/README.md): eta =
 * min_{eta, delta} eta s.t. y - X delta <= eta sd, solved here through its
 * dual max g'y s.t. g >= 0, g'[sd X] = e1, whose optimum is eta and whose
 * solution is R's Lagrange multipliers lambda; delta from the primal. */
static void test_honestdid_lp(void **state) {
  (void)state;
  const double y[6] = {-0.7844590084, -0.8509075942, -2.41420765, 0.03612260689, 0.2059986002, -0.3610572985};
  const double X[12] = {0.7581632357,  -0.4314462026, -0.7267048271, 0.6556478834, -1.368281044, 0.3219252652,
                        0.4328180259,  -0.7838389409, -0.8113931762, 1.57572752,   1.444101262,  0.6428993057};
  const double sdiag[6] = {16.84823176, 3.830366126, 6.455325174, 8.461476176, 3.443142245, 18.12991184};
  const double lambda[6] = {0, 0, 0.006250017517, 0.2574409169, 0.1267859922, 0};
  double A[3 * 6], b[3] = {1, 0, 0}, g[6], eta;
  for (int i = 0; i < 6; i++) A[i] = sqrt(sdiag[i]), A[6 + i] = X[2 * i], A[12 + i] = X[2 * i + 1];
  attrib__lp_outcome o;
  assert_int_equal(attrib__lp_solve_std(3, 6, A, b, y, g, &eta, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_true(fabs(eta - 0.0203283338582324) <= 1e-9);
  for (int i = 0; i < 6; i++) assert_true(fabs(g[i] - lambda[i]) <= 1e-9);
  /* the primal: max -eta s.t. -sd eta - X delta <= -y over (eta, delta) free */
  double G[6 * 3], h[6], c[3] = {-1, 0, 0}, x[3], v;
  for (int i = 0; i < 6; i++) G[3 * i] = -sqrt(sdiag[i]), G[3 * i + 1] = -X[2 * i], G[3 * i + 2] = -X[2 * i + 1], h[i] = -y[i];
  assert_int_equal(attrib__lp_solve_ineq(6, 3, G, h, c, x, &v, &o), ATTRIB_OK);
  assert_int_equal(o, ATTRIB__LP_OPTIMAL);
  assert_true(fabs(x[0] - 0.0203283338582324) <= 1e-9);
  assert_true(fabs(x[1] - 2.079178938) <= 1e-8);
  assert_true(fabs(x[2] - 1.177430438) <= 1e-8);
}

static void test_oom(void **state) {
  (void)state;
  const double A[] = {1, 2};
  const double b[] = {4};
  const double c[] = {1, 1};
  double v;
  attrib__lp_outcome o;
  attrib_debug_fail_alloc_after(1);
  assert_int_equal(attrib__lp_solve_std(1, 2, A, b, c, NULL, &v, &o), ATTRIB_ENOMEM);
  attrib_debug_fail_alloc_after(0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_textbook), cmocka_unit_test(test_beale_cycling),
                                     cmocka_unit_test(test_infeasible_unbounded_redundant),
                                     cmocka_unit_test(test_random_vs_vertices), cmocka_unit_test(test_honestdid_lp),
                                     cmocka_unit_test(test_oom)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
