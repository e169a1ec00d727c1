/*
 * The wild (cluster) bootstrap of one OLS coefficient
 * (include/attrib/bootstrap.h, docs/methods/bootstrap.md): Roodman,
 * MacKinnon, Nielsen & Webb (2019, Stata J. 19(1), "Fast and wild"), on the
 * sufficient statistics of ols_bootstrap.c by the G x B algebra (its weights
 * drawn per block of replicates), or blocked (the algebra expanded into
 * k-vectors) for rows and for clusters when G x B is too big. The WCR p-value, the WCU draws for the --ci interval
 * (finished by the engine, src/inference/bootstrap.c) and the WCR interval
 * by test inversion. Weights come from replicate b's stream
 * (inference/inference_internal.h).
 */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <attrib/bootstrap.h>
#include <attrib/ols.h>
#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include "design/design_internal.h"
#include "inference/inference_internal.h"
#include "regression/regression_internal.h"

/* ---- wild bootstrap: what both paths share ----------------------------------------
 * Roodman, MacKinnon, Nielsen & Webb (2019, Stata J. 19(1), "Fast and
 * wild"). Imposing beta_j = theta moves the residuals along one direction:
 * u(theta) = u - tau r with tau = theta - beta_j and r = x_j residualised on
 * the other columns, which is X a / a_j for a = (X'X)^-1 e_j (by
 * Frisch-Waugh-Lovell a is proportional to (-Gamma, 1), a_j = 1 / r'r), so
 * X_g'r_g = X_g'X_g a / a_j. Replicate b's numerator beta*_b - theta and its
 * cluster scores are then linear in tau, and the WCR statistic at any null
 * is a ratio of a square and a quadratic in tau (sec. 3.5; fwildclusterboot's
 * "ABCD"): one pass over the data gives the p-value at every null, hence
 * the confidence interval by test inversion. tau = 0 is the unrestricted
 * (WCU) replicate. */
typedef struct wpoly {
  double *A, *C;       /* numerator A_b - tau C_b */
  double *EE, *EF, *FF; /* squared CR score sum EE_b - 2 tau EF_b + tau^2 FF_b */
} wpoly;

static void wpoly_free(wpoly *w) {
  attrib__free(w->A), attrib__free(w->C), attrib__free(w->EE), attrib__free(w->EF), attrib__free(w->FF);
  memset(w, 0, sizeof *w);
}

static int wpoly_alloc(wpoly *w, size_t B) {
  memset(w, 0, sizeof *w);
  w->A = attrib__malloc(B, sizeof *w->A), w->C = attrib__malloc(B, sizeof *w->C);
  w->EE = attrib__malloc(B, sizeof *w->EE), w->EF = attrib__malloc(B, sizeof *w->EF);
  w->FF = attrib__malloc(B, sizeof *w->FF);
  if (w->A && w->C && w->EE && w->EF && w->FF) return 0;
  wpoly_free(w);
  return -1;
}

/* Replicates whose |t*| at the null beta_j + tau is at least the sample's
 * |t| = |tau| / se (less a relative 1e-12, so that ties, such as the
 * all-ones sign vector, count): num^2 se^2 >= tau^2 fac den. */
static size_t wcr_count(const wpoly *w, size_t B, double tau, double se, double fac) {
  const double tol = (1.0 - 1e-12) * (1.0 - 1e-12);
  double rhs = tol * tau * tau * fac / (se * se);
  size_t c = 0;
  for (size_t b = 0; b < B; b++) {
    double num = w->A[b] - tau * w->C[b];
    double den = w->EE[b] - 2.0 * tau * w->EF[b] + tau * tau * w->FF[b];
    c += num * num >= rhs * (den > 0.0 ? den : 0.0);
  }
  return c;
}

/* The WCR confidence set: the nulls whose p-value count / B exceeds
 * 1 - level (a null is rejected when p <= alpha). p = 1 at tau = 0; each
 * side doubles tau from se until p falls to alpha, then bisects the step
 * function to a relative 1e-15 (the end point is the root of one
 * replicate's quartic). A grid over three times the interval's width looks
 * for further pieces (the set need not be an interval). */
static void wcr_invert(attrib_boot_result *r, const wpoly *w, size_t B, double bj, double se, double fac,
                       double level) {
  r->inv_low = r->inv_high = NAN;
  r->inv_disjoint = 0;
  if (!(se > 0.0) || !isfinite(se)) return;
  double need = (1.0 - level) * (double)B, end[2];
  for (int side = 0; side < 2; side++) {
    double sg = side ? 1.0 : -1.0, lo = 0.0, hi = se;
    int found = 0;
    for (int it = 0; it < 80 && !found; it++) {
      if ((double)wcr_count(w, B, sg * hi, se, fac) <= need) found = 1;
      else lo = hi, hi *= 2.0;
    }
    if (!found) {
      end[side] = sg * INFINITY;
      continue;
    }
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
      double mid = 0.5 * (lo + hi);
      if (!(mid > lo && mid < hi)) break;
      if ((double)wcr_count(w, B, sg * mid, se, fac) > need) lo = mid;
      else hi = mid;
    }
    end[side] = sg * 0.5 * (lo + hi);
  }
  r->inv_low = bj + end[0];
  r->inv_high = bj + end[1];
  if (!isfinite(end[0]) || !isfinite(end[1])) return;
  double width = end[1] - end[0];
  for (int g = 0; g <= 120 && width > 0.0; g++) {
    double tau = end[0] - width + 3.0 * width * g / 120.0;
    if (fmin(fabs(tau - end[0]), fabs(tau - end[1])) < 1e-9 * width) continue;
    int in = (double)wcr_count(w, B, tau, se, fac) > need;
    if (in != (tau > end[0] && tau < end[1])) {
      r->inv_disjoint = 1;
      break;
    }
  }
}

/* The result of a wild bootstrap from its polynomials: WCU draws bj + A_b
 * and studentized t*_b = A_b / sqrt(fac EE_b) for the --ci interval; the
 * WCR p-value, counted at the null (extreme, or SIZE_MAX to count it from
 * the polynomials); the test-inversion interval. */
static attrib_status wild_finish(attrib_boot_result *r, const attrib_boot_options *o, size_t B, int enumerate,
                                 double bj, double se, double fac, const wpoly *w, size_t extreme, const double *tnull,
                                 attrib_error *err) {
  attrib__boot_reps ro = {attrib__malloc(B, sizeof(double)), attrib__malloc(B, sizeof(double)), attrib__malloc(B, 1)};
  attrib_status st = ATTRIB_OK;
  if (!ro.beta_j || !ro.t || !ro.ok) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  for (size_t b = 0; b < B; b++) {
    ro.ok[b] = 1;
    ro.beta_j[b] = bj + w->A[b];
    ro.t[b] = w->A[b] / sqrt(fac * w->EE[b]);
  }
  attrib_boot_options oo = *o;
  oo.replicates = B;
  if ((st = attrib__boot_finish(r, &oo, &ro, B, se, 0.0, o->null_value, err))) goto done;
  r->replicates = B;
  r->enumerated = enumerate;
  if (extreme == SIZE_MAX) extreme = wcr_count(w, B, o->null_value - bj, se, fac);
  r->p_value_bound = extreme == 0;
  r->p_value = extreme ? (double)extreme / (double)B : 1.0 / ((double)B + 1.0);
  r->p_value_method = "wild cluster restricted (WCR): share of |t*| >= |t|";
  r->inv_low = r->inv_high = NAN;
  if (o->invert) wcr_invert(r, w, B, bj, se, fac, o->level);
  r->t_stat = (bj - o->null_value) / se;
  if (o->keep_t_null) {
    /* the statistics the p-value counted: the G x B path's direct ones, or
     * the polynomial at the null (tau = null - bj, as wcr_count) */
    if (!(r->t_null = attrib__malloc(B, sizeof *r->t_null))) {
      st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
      goto done;
    }
    double tau = o->null_value - bj;
    for (size_t b = 0; b < B; b++) {
      if (tnull) {
        r->t_null[b] = tnull[b];
        continue;
      }
      double num = w->A[b] - tau * w->C[b], den = w->EE[b] - 2.0 * tau * w->EF[b] + tau * tau * w->FF[b];
      r->t_null[b] = num / sqrt(fac * (den > 0.0 ? den : 0.0));
    }
  }
done:
  attrib__free(ro.beta_j), attrib__free(ro.t), attrib__free(ro.ok);
  return st;
}

/* the restricted and unrestricted quantities of the model: beta (k), the
 * inverse (k x k) and a = its row j; returns -1 when X'X is singular */
static int wild_solve(const double *tot, size_t k, double *work, double *bhat, double *inv) {
  return attrib__spd_solve(tot, tot + k * (k + 1) / 2, k, work, bhat, inv);
}

/* Rademacher enumeration (boottest): all 2^G sign vectors when that is no
 * more than B, or when G is small enough that they cost nothing */
static int wild_enumerates(const attrib_boot_options *o, size_t G) {
  return o->weights == ATTRIB_BOOT_RADEMACHER && G < 63 &&
         (((size_t)1 << G) <= o->replicates || G <= ATTRIB_BOOT_ENUMERATE_MAX_G);
}

/* ---- wild cluster bootstrap with a G x B matrix of weights -------------------------
 * Per-cluster s_g = a'X_g'u_g and d_g = (X'X)^-1 X_g'u_g for residuals u =
 * y - X beta (from the statistics: X_g'u_g = X_g'y_g - X_g'X_g beta).
 * Returns -1 when out of memory. */
static int scores(const attrib__boot_suff *s, const double *inv, const double *beta, double *sg, double *D) {
  size_t k = s->k, q = s->q;
  double *xu = attrib__malloc(k, sizeof *xu);
  if (!xu) return -1;
  const double *a = inv + s->j * k;
  for (size_t g = 0; g < s->G; g++) {
    const double *Sg = s->S + g * q;
    for (size_t r = 0; r < k; r++) {
      double v = Sg[k * (k + 1) / 2 + r];
      for (size_t m = 0; m < k; m++) v -= Sg[r <= m ? attrib__packed(r, m) : attrib__packed(m, r)] * beta[m];
      xu[r] = v;
    }
    double sv = 0.0;
    for (size_t r = 0; r < k; r++) sv += a[r] * xu[r];
    sg[g] = sv;
    for (size_t r = 0; r < k; r++) {
      double v = 0.0;
      for (size_t m = 0; m < k; m++) v += inv[m * k + r] * xu[m];
      D[g * k + r] = v;
    }
  }
  attrib__free(xu);
  return 0;
}

/* t* of every replicate for residual scores (sg, D): numerators s'v and
 * CR scores diag(s) v - M v with M = Cm D' (Cm_g = X_g'X_g a). M has rank
 * k, so M v = Cm (D'v): two thin products, O(G k B) rather than the
 * O(G^2 B) of forming M. Two score sets: the unrestricted (sg, D), with the
 * direction r's (sg1, D1) for the cross and squared sums of the inversion
 * polynomial, and the restricted (sgr, Dr) for the WCR t* at the null.
 * Replicates are independent columns of V, taken in fixed blocks of
 * WILD_COLS on the threads; a block's weights (G x WILD_COLS) are drawn
 * when the block is taken and serve all three score sets, so the G x B
 * matrix of weights is never stored (320 MB at 40,000 clusters), and the
 * products E = Cm P run over WILD_ROWS clusters at a time (cache-sized,
 * where the whole G x WILD_COLS product was 41 MB per score set). Every
 * call has the shapes it had with V whole, the sums over clusters run in
 * cluster order, and the scratch keeps one 64-byte alignment per thread:
 * the same bits as before. */
#define WILD_COLS 128
#define WILD_ROWS 1024

typedef struct wild_job {
  const double *Cm, *D, *sg, *D1, *sg1, *Dr, *sgr;
  size_t G, k, B;
  uint64_t seed;
  attrib_boot_weights weights;
  int enumerate;
  double *num, *den2, *num1, *ef, *ff, *numr, *denr;
  double *scratch; /* per thread: WILD_SCRATCH(k, G), made before the blocks */
} wild_job;

/* a thread's scratch in wild_block: V (G x cols), P, P1 (k x cols), E, E1 (WILD_ROWS x cols), padded to
 * 64 bytes */
#define WILD_SCRATCH(k, G) ((((G) + 2 * (k) + 2 * WILD_ROWS) * WILD_COLS + 7) / 8 * 8)

/* den (nb) += sum over the rows g0 .. g0 + m of (E_g - s_g v_g)^2, and with
 * E1 (not NULL) ef += e f and ff += f^2 for f = E1_g - s1_g v_g */
static void wild_sums(const double *E, const double *E1, const double *V, const double *s, const double *s1, size_t g0,
                      size_t m, size_t nb, double *den, double *ef, double *ff) {
  for (size_t g = 0; g < m; g++) {
    const double *v = V + (g0 + g) * nb;
    for (size_t b = 0; b < nb; b++) {
      double e = E[g * nb + b] - s[g0 + g] * v[b];
      den[b] += e * e;
    }
  }
  if (!E1) return;
  for (size_t g = 0; g < m; g++) {
    const double *v = V + (g0 + g) * nb;
    for (size_t b = 0; b < nb; b++) {
      double e = E[g * nb + b] - s[g0 + g] * v[b], f = E1[g * nb + b] - s1[g0 + g] * v[b];
      ef[b] += e * f;
      ff[b] += f * f;
    }
  }
}

static void wild_block(void *ctx, size_t c, size_t thread) {
  wild_job *j = ctx;
  size_t b0 = c * WILD_COLS, nb = j->B - b0 < WILD_COLS ? j->B - b0 : WILD_COLS, G = j->G, k = j->k;
  double *V = j->scratch + thread * WILD_SCRATCH(k, G), *P = V + G * WILD_COLS, *P1 = P + k * WILD_COLS,
         *E = P1 + k * WILD_COLS, *E1 = E + WILD_ROWS * WILD_COLS;
  /* the block's weights, V (G x nb, row-major): weight g of replicate b's stream */
  uint64_t key[WILD_COLS];
  for (size_t b = 0; b < nb; b++) key[b] = attrib__boot_stream(j->seed, b0 + b);
  if (j->enumerate)
    for (size_t g = 0; g < G; g++)
      for (size_t b = 0; b < nb; b++) V[g * nb + b] = (((b0 + b) >> g) & 1) ? -1.0 : 1.0;
  else if (j->weights == ATTRIB_BOOT_RADEMACHER)
    for (size_t g = 0; g < G; g++)
      for (size_t b = 0; b < nb; b++) { /* +1 when the top bit is set, as wild_weight, without a branch */
        uint64_t u = 0xBFF0000000000000ULL ^ (attrib__rng_bits(key[b], g) & 0x8000000000000000ULL);
        memcpy(V + g * nb + b, &u, sizeof u);
      }
  else
    for (size_t g = 0; g < G; g++)
      for (size_t b = 0; b < nb; b++) V[g * nb + b] = attrib__boot_wild_weight(key[b], g, j->weights);
  /* unrestricted, with the direction r: P (k x nb) = D' V, P1 = D1' V, E = Cm P, E1 = Cm P1, all row-major */
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)nb, (int)G, 1.0, j->D, (int)k, V, (int)nb, 0.0, P,
              (int)nb);
  cblas_dgemv(CblasRowMajor, CblasTrans, (int)G, (int)nb, 1.0, V, (int)nb, j->sg, 1, 0.0, j->num + b0, 1);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)nb, (int)G, 1.0, j->D1, (int)k, V, (int)nb, 0.0,
              P1, (int)nb);
  cblas_dgemv(CblasRowMajor, CblasTrans, (int)G, (int)nb, 1.0, V, (int)nb, j->sg1, 1, 0.0, j->num1 + b0, 1);
  double *den = j->den2 + b0, *ef = j->ef + b0, *ff = j->ff + b0;
  for (size_t b = 0; b < nb; b++) den[b] = ef[b] = ff[b] = 0.0;
  for (size_t g0 = 0; g0 < G; g0 += WILD_ROWS) {
    size_t m = G - g0 < WILD_ROWS ? G - g0 : WILD_ROWS;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)nb, (int)k, 1.0, j->Cm + g0 * k, (int)k, P,
                (int)nb, 0.0, E, (int)nb);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)nb, (int)k, 1.0, j->Cm + g0 * k, (int)k, P1,
                (int)nb, 0.0, E1, (int)nb);
    wild_sums(E, E1, V, j->sg, j->sg1, g0, m, nb, den, ef, ff);
  }
  /* restricted: P = Dr' V, E = Cm P */
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)nb, (int)G, 1.0, j->Dr, (int)k, V, (int)nb, 0.0, P,
              (int)nb);
  cblas_dgemv(CblasRowMajor, CblasTrans, (int)G, (int)nb, 1.0, V, (int)nb, j->sgr, 1, 0.0, j->numr + b0, 1);
  den = j->denr + b0;
  for (size_t b = 0; b < nb; b++) den[b] = 0.0;
  for (size_t g0 = 0; g0 < G; g0 += WILD_ROWS) {
    size_t m = G - g0 < WILD_ROWS ? G - g0 : WILD_ROWS;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)nb, (int)k, 1.0, j->Cm + g0 * k, (int)k, P,
                (int)nb, 0.0, E, (int)nb);
    wild_sums(E, NULL, V, j->sgr, NULL, g0, m, nb, den, NULL, NULL);
  }
}

/* the restricted fit beta_j = null, the other coefficients by least
 * squares of y - null x_j on the rest (from the totals) */
static attrib_status restricted_fit(const attrib__boot_suff *s, double null_value, double *btil, attrib_error *err) {
  size_t k = s->k, kk = k * (k + 1) / 2, k1 = k - 1, at = 0;
  double *Ap = attrib__malloc(k1 * (k1 + 1) / 2 + k1 + 1, sizeof *Ap), *x1 = attrib__malloc(k1 + 1, sizeof *x1);
  double *w1 = attrib__malloc(k1 * k1 + 1, sizeof *w1);
  size_t *map = attrib__malloc(k1 + 1, sizeof *map);
  if (!Ap || !x1 || !w1 || !map) {
    attrib__free(Ap), attrib__free(x1), attrib__free(w1), attrib__free(map);
    return attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
  }
  for (size_t c = 0; c < k; c++)
    if (c != s->j) map[at++] = c;
  for (size_t b = 0; b < k1; b++)
    for (size_t a = 0; a <= b; a++)
      Ap[attrib__packed(a, b)] =
          s->tot[map[a] <= map[b] ? attrib__packed(map[a], map[b]) : attrib__packed(map[b], map[a])];
  double *rhs = Ap + k1 * (k1 + 1) / 2;
  for (size_t b = 0; b < k1; b++) {
    size_t c = map[b], j = s->j;
    rhs[b] = s->tot[kk + c] - null_value * s->tot[c <= j ? attrib__packed(c, j) : attrib__packed(j, c)];
  }
  int bad = k1 > 0 && attrib__spd_solve(Ap, rhs, k1, w1, x1, NULL);
  for (size_t c = 0; c < k; c++) btil[c] = 0.0;
  btil[s->j] = null_value;
  for (size_t b = 0; !bad && b < k1; b++) btil[map[b]] = x1[b];
  attrib__free(map), attrib__free(Ap), attrib__free(x1), attrib__free(w1);
  return bad ? attrib__fail(err, ATTRIB_ECOLLINEAR, "wild bootstrap: the restricted design is singular") : ATTRIB_OK;
}

static attrib_status wild_boot(attrib__boot_suff *s, const attrib_boot_options *o, attrib_boot_result *r,
                               attrib_error *err) {
  size_t G = s->G, k = s->k, q = s->q, B = o->replicates;
  attrib_status st = ATTRIB_OK;
  /* full enumeration of the 2^G Rademacher sign vectors (as boottest):
   * the p-value is then exact, not random */
  int enumerate = wild_enumerates(o, G);
  if (enumerate) B = (size_t)1 << G;
  double *work = attrib__malloc(attrib__mulsz(k, k), sizeof *work),
         *inv = attrib__malloc(attrib__mulsz(k, k), sizeof *inv);
  double *bhat = attrib__malloc(k, sizeof *bhat), *btil = attrib__malloc(k, sizeof *btil);
  double *sg = attrib__malloc(G, sizeof *sg), *D = attrib__malloc(attrib__mulsz(G, k), sizeof *D);
  double *Cm = attrib__malloc(attrib__mulsz(G, k), sizeof *Cm), *sg1 = attrib__malloc(G, sizeof *sg1);
  double *D1 = attrib__malloc(attrib__mulsz(G, k), sizeof *D1), *sgr = attrib__malloc(G, sizeof *sgr);
  double *Dr = attrib__malloc(attrib__mulsz(G, k), sizeof *Dr);
  double *num = attrib__malloc(B, sizeof *num), *den = attrib__malloc(B, sizeof *den);
  size_t nblk = (B + WILD_COLS - 1) / WILD_COLS, T = attrib__threads(o->threads, nblk);
  double *scratch = NULL;
  wpoly w;
  int wfail = wpoly_alloc(&w, B);
  if (!work || !inv || !bhat || !btil || !sg || !D || !Cm || !sg1 || !D1 || !sgr || !Dr || !num || !den || wfail) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  if (wild_solve(s->tot, k, work, bhat, inv)) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "wild bootstrap: the design is singular");
    goto done;
  }
  if ((st = restricted_fit(s, o->null_value, btil, err))) goto done;
  /* Cm_g = X_g'X_g a; the direction r's scores s1_g = a'Cm_g / a_j and
   * d1_g = (X'X)^-1 Cm_g / a_j */
  const double *a = inv + s->j * k;
  double aj = a[s->j];
  for (size_t g = 0; g < G; g++) {
    const double *Sg = s->S + g * q;
    for (size_t r0 = 0; r0 < k; r0++) {
      double v = 0.0;
      for (size_t m = 0; m < k; m++) v += Sg[r0 <= m ? attrib__packed(r0, m) : attrib__packed(m, r0)] * a[m];
      Cm[g * k + r0] = v;
    }
    double v1 = 0.0;
    for (size_t r0 = 0; r0 < k; r0++) v1 += a[r0] * Cm[g * k + r0];
    sg1[g] = v1 / aj;
    for (size_t r0 = 0; r0 < k; r0++) {
      double v = 0.0;
      for (size_t m = 0; m < k; m++) v += inv[m * k + r0] * Cm[g * k + m];
      D1[g * k + r0] = v / aj;
    }
  }
  double fac = (double)G / ((double)G - 1.0) * ((double)s->n - 1.0) / ((double)s->n - (double)k);
  /* the sample t from the unrestricted scores */
  if (scores(s, inv, bhat, sg, D)) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  double se = 0.0;
  for (size_t g = 0; g < G; g++) se += sg[g] * sg[g];
  se = sqrt(fac * se);
  double t0 = (bhat[s->j] - o->null_value) / se;
  /* WCR: t* under the null for the p-value, from the restricted residuals
   * directly (the polynomial at the null agrees to rounding) */
  if (scores(s, inv, btil, sgr, Dr)) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  /* the replicates need only the clusters' scores now: the statistics
   * (G x q, 120 MB at 40,000 clusters and k = 26) go before the blocks'
   * weights come, which halves the peak */
  attrib__free(s->S);
  s->S = NULL;
  if (!(scratch = attrib__malloc(attrib__mulsz(T, WILD_SCRATCH(k, G)), sizeof *scratch))) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  /* WCU: draws beta* = beta + s'v and studentized t* for the interval,
   * with the direction r's sums for the inversion polynomial; WCR: num and
   * den at the null */
  {
    wild_job j = {Cm, D, sg, D1, sg1, Dr, sgr, G, k, B, (uint64_t)o->seed, o->weights, enumerate,
                  w.A, w.EE, w.C, w.EF, w.FF, num, den, scratch};
    attrib__parallel_chunks(nblk, T, wild_block, &j);
  }
  size_t extreme = 0;
  for (size_t b = 0; b < B; b++) {
    num[b] /= sqrt(fac * den[b]); /* num becomes t*_b */
    extreme += fabs(num[b]) >= fabs(t0) * (1.0 - 1e-12);
  }
  st = wild_finish(r, o, B, enumerate, bhat[s->j], se, fac, &w, extreme, num, err);
done:
  attrib__free(work), attrib__free(inv), attrib__free(bhat), attrib__free(btil), attrib__free(sg), attrib__free(D);
  attrib__free(Cm), attrib__free(sg1), attrib__free(D1), attrib__free(sgr), attrib__free(Dr), attrib__free(num);
  attrib__free(den), attrib__free(scratch);
  wpoly_free(&w);
  return st;
}

/* ---- the blocked wild bootstrap: rows (no cluster), or clusters when G x B is too big --
 * The same algebra with the weights never stored: unit g (a row, or a
 * cluster) enters through two k-vectors, xu_g = X_g'u_g (unrestricted
 * residuals) and cm_g = X_g'X_g a (a row: c_i x_i with c_i = x_i'a), its
 * scores s_g = a'xu_g and s1_g = a'cm_g / a_j. For replicate b,
 *   A_b = a'T_b, C_b = a'T1_b, T_b = sum_g v_gb xu_g, T1_b = sum_g v_gb cm_g / a_j,
 * and with P_b = (X'X)^-1 T_b, P1_b = (X'X)^-1 T1_b the cluster scores are
 * e_gb = cm_g'P_b - s_g v_gb and f_gb = cm_g'P1_b - s1_g v_gb, so
 *   EE_b = sum_g e_gb^2 = P_b'H P_b - 2 P_b'Q_b + sum_g s_g^2 v_gb^2,
 *   EF_b = P_b'H P1_b - P_b'Q1_b - P1_b'Q_b + sum_g s_g s1_g v_gb^2,
 *   FF_b = P1_b'H P1_b - 2 P1_b'Q1_b + sum_g s1_g^2 v_gb^2,
 * with H = sum_g cm_g cm_g' (once), Q_b = sum_g v_gb s_g cm_g, Q1_b =
 * sum_g v_gb s1_g cm_g. Every replicate thus needs four k-vectors of sums
 * over units of v_gb times the units' features (xu, cm / a_j, s cm, s1 cm):
 * a GEMM of a block of units' features (m x 4k) by a block of their weights
 * (m x replicates), drawn from the counter-based streams as the block is
 * needed (the same draws as the G x B path: weight of unit g in replicate
 * b's stream, draw g). Units are cut into fixed chunks (attrib__chunks: the
 * same for any thread count), each with its own sums, merged in chunk
 * order. The squared terms dominate EE (the others are O(k / G) of it), so
 * the expansion costs no accuracy: the tests find the G x B path's numbers
 * to 1e-12. Memory: the chunks' sums, 16 x 4k x (a batch of replicates). */
#define WB_UNITS 1024 /* units per block */
#define WB_REPS 256    /* replicates per block of weights */

typedef struct wb_src {
  /* rows: from the design (X NULL) or the demeaned columns X (n x k), y */
  const attrib_design *d;
  const size_t *cols;
  const double *X, *y, *w;
  /* clusters: the per-cluster statistics (NULL for rows) */
  const attrib__boot_suff *s;
  size_t n, k, kd;
} wb_src;

/* sqrt(w)-scaled rows [r0, r0 + m) into Xb (m x k) and yb (m) */
static void wb_rows(const wb_src *src, size_t r0, size_t m, double *blk, double *Xb, double *yb) {
  size_t k = src->k, n = src->n;
  if (!src->X) attrib_design_fill_rows(src->d, r0, m, blk, m);
  for (size_t c = 0; c < k; c++) {
    const double *x = src->X ? src->X + c * n + r0 : blk + src->cols[c] * m;
    memcpy(Xb + c * m, x, m * sizeof *Xb);
  }
  memcpy(yb, (src->X ? src->y : src->d->y) + r0, m * sizeof *yb);
  if (src->w)
    for (size_t i = 0; i < m; i++) {
      double sw = sqrt(src->w[r0 + i]);
      yb[i] *= sw;
      for (size_t c = 0; c < k; c++) Xb[c * m + i] *= sw;
    }
}

/* pass 1 over rows: X'X and X'y per chunk (k x k upper, then k) */
typedef struct wb_tot_job {
  const wb_src *src;
  size_t chunk;
  double *part; /* per chunk: k k + k */
  double *scratch; /* per thread: WB_TOT_SCRATCH(src), made before the chunks */
} wb_tot_job;

/* a thread's scratch in wb_tot_chunk: the design block (M x kd, rows from
 * the design), Xb (M x k), yb (M), M = ATTRIB__BLOCK_ROWS */
#define WB_TOT_SCRATCH(src) (ATTRIB__BLOCK_ROWS * ((src)->kd + (src)->k + 2))

static void wb_tot_chunk(void *ctx, size_t c, size_t thread) {
  wb_tot_job *j = ctx;
  const wb_src *src = j->src;
  size_t k = src->k, n = src->n, lo = c * j->chunk, hi = lo + j->chunk < n ? lo + j->chunk : n, M = ATTRIB__BLOCK_ROWS;
  double *part = j->part + c * (k * k + k);
  double *Xb = j->scratch + thread * WB_TOT_SCRATCH(src), *yb = Xb + M * k, *blk = src->X ? NULL : yb + M;
  memset(part, 0, (k * k + k) * sizeof *part);
  for (size_t r0 = lo; r0 < hi; r0 += M) {
    size_t m = hi - r0 < M ? hi - r0 : M;
    wb_rows(src, r0, m, blk, Xb, yb);
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)k, (int)m, 1.0, Xb, (int)m, 1.0, part, (int)k);
    cblas_dgemv(CblasColMajor, CblasTrans, (int)m, (int)k, 1.0, Xb, (int)m, yb, 1, 1.0, part + k * k, 1);
  }
}

typedef struct wb_job {
  const wb_src *src;
  size_t N, k, chunk;
  const double *a, *bhat;
  double aj;
  uint64_t seed;
  attrib_boot_weights weights;
  int enumerate, squares; /* squares: v^2 is not 1 (Webb, Mammen) */
  size_t b0, nb;          /* this batch of replicates */
  int first;              /* the first batch also sums H and the scores' squares */
  double *acc;            /* per chunk: 4k x nb, column-major */
  double *acc2;           /* per chunk: 3 x nb (squares) */
  double *H;              /* per chunk: k x k (upper) */
  double *R;              /* per chunk: sum s^2, s s1, s1^2 */
  double *scratch;        /* per thread: WB_SCRATCH(src, k), made before the batches */
} wb_job;

/* a thread's scratch in wb_chunk (M = WB_UNITS): Z (M x 4k), V (M x
 * WB_REPS), sv (M x 3), cc (M), and for rows Xb (M x k), yb (M) and the
 * design block (M x kd) */
#define WB_SCRATCH(src, k) (WB_UNITS * (4 * (k) + WB_REPS + 4 + (k) + 1 + (src)->kd))

static void wb_chunk(void *ctx, size_t c, size_t thread) {
  wb_job *j = ctx;
  const wb_src *src = j->src;
  size_t k = j->k, k4 = 4 * k, M = WB_UNITS, lo = c * j->chunk, hi = lo + j->chunk < j->N ? lo + j->chunk : j->N;
  double *acc = j->acc + c * k4 * j->nb, *acc2 = j->squares ? j->acc2 + c * 3 * j->nb : NULL;
  double *H = j->H + c * k * k, *R = j->R + c * 3;
  int rows = src->s == NULL;
  double *Z = j->scratch + thread * WB_SCRATCH(src, k), *V = Z + M * k4, *sv = V + M * WB_REPS, *cc = sv + M * 3;
  double *Xb = rows ? cc + M : NULL, *yb = rows ? Xb + M * k : NULL, *blk = rows && !src->X ? yb + M : NULL;
  memset(acc, 0, k4 * j->nb * sizeof *acc);
  if (acc2) memset(acc2, 0, 3 * j->nb * sizeof *acc2);
  if (j->first) memset(H, 0, k * k * sizeof *H), memset(R, 0, 3 * sizeof *R);
  for (size_t u0 = lo; u0 < hi; u0 += M) {
    size_t m = hi - u0 < M ? hi - u0 : M;
    double *XU = Z, *CM = Z + k * m, *SC = Z + 2 * k * m, *S1C = Z + 3 * k * m, *s = sv, *s1 = sv + m, *sq = sv;
    /* the features: XU = xu_g', CM = cm_g' (rows of m x k, column-major) */
    if (rows) {
      wb_rows(src, u0, m, blk, Xb, yb);
      for (size_t i = 0; i < m; i++) s[i] = yb[i], cc[i] = 0.0; /* s: the residual, cc: x'a */
      for (size_t q = 0; q < k; q++) {
        const double *x = Xb + q * m;
        double bq = j->bhat[q], aq = j->a[q];
        for (size_t i = 0; i < m; i++) s[i] -= x[i] * bq, cc[i] += x[i] * aq;
      }
      for (size_t q = 0; q < k; q++) {
        const double *x = Xb + q * m;
        for (size_t i = 0; i < m; i++) XU[q * m + i] = x[i] * s[i], CM[q * m + i] = x[i] * cc[i];
      }
    } else {
      const attrib__boot_suff *S = src->s;
      size_t kk = k * (k + 1) / 2;
      for (size_t i = 0; i < m; i++) {
        const double *Sg = S->S + (u0 + i) * S->q;
        for (size_t r0 = 0; r0 < k; r0++) {
          double v = Sg[kk + r0], w = 0.0;
          for (size_t q = 0; q < k; q++) {
            double x = Sg[r0 <= q ? attrib__packed(r0, q) : attrib__packed(q, r0)];
            v -= x * j->bhat[q], w += x * j->a[q];
          }
          XU[r0 * m + i] = v, CM[r0 * m + i] = w;
        }
      }
    }
    /* s = XU a, s1 = CM a / a_j; then SC = s cm, S1C = s1 cm, CM / a_j */
    for (size_t i = 0; i < m; i++) s[i] = s1[i] = 0.0;
    for (size_t q = 0; q < k; q++) {
      double aq = j->a[q];
      for (size_t i = 0; i < m; i++) s[i] += XU[q * m + i] * aq, s1[i] += CM[q * m + i] * aq;
    }
    for (size_t i = 0; i < m; i++) s1[i] /= j->aj;
    for (size_t q = 0; q < k; q++)
      for (size_t i = 0; i < m; i++) {
        double cm = CM[q * m + i];
        SC[q * m + i] = s[i] * cm, S1C[q * m + i] = s1[i] * cm, CM[q * m + i] = cm / j->aj;
      }
    if (j->first) {
      /* H = sum cm cm' = a_j^2 (CM / a_j)'(CM / a_j) */
      cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)k, (int)m, j->aj * j->aj, CM, (int)m, 1.0, H, (int)k);
      for (size_t i = 0; i < m; i++) R[0] += s[i] * s[i], R[1] += s[i] * s1[i], R[2] += s1[i] * s1[i];
    }
    if (acc2) /* the squares' columns: s^2, s s1, s1^2 (s1 last: it is overwritten in place) */
      for (size_t i = 0; i < m; i++) {
        double a0 = s[i], a1 = s1[i];
        sq[i] = a0 * a0, sq[m + i] = a0 * a1, sq[2 * m + i] = a1 * a1;
      }
    for (size_t bs = 0; bs < j->nb; bs += WB_REPS) {
      size_t nr = j->nb - bs < WB_REPS ? j->nb - bs : WB_REPS;
      for (size_t bb = 0; bb < nr; bb++) {
        size_t b = j->b0 + bs + bb;
        double *v = V + bb * m;
        if (j->enumerate) {
          for (size_t i = 0; i < m; i++) v[i] = ((b >> (u0 + i)) & 1) ? -1.0 : 1.0;
        } else {
          uint64_t key = attrib__boot_stream(j->seed, b);
          if (j->weights == ATTRIB_BOOT_RADEMACHER)
            for (size_t i = 0; i < m; i++) { /* +1 when the top bit is set, as wild_weight, without a branch */
              uint64_t u = 0xBFF0000000000000ULL ^ (attrib__rng_bits(key, u0 + i) & 0x8000000000000000ULL);
              memcpy(v + i, &u, sizeof u);
            }
          else
            for (size_t i = 0; i < m; i++) v[i] = attrib__boot_wild_weight(key, u0 + i, j->weights);
        }
      }
      cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)k4, (int)nr, (int)m, 1.0, Z, (int)m, V, (int)m, 1.0,
                  acc + bs * k4, (int)k4);
      if (acc2) {
        for (size_t q = 0; q < nr * m; q++) V[q] *= V[q];
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, 3, (int)nr, (int)m, 1.0, sq, (int)m, V, (int)m, 1.0,
                    acc2 + bs * 3, 3);
      }
    }
  }
}

/* The blocked wild bootstrap of coefficient j over N units (src: rows or
 * clusters) of n rows, from the totals tot (packed X'X, X'y). */
static attrib_status wild_blocked(const wb_src *src, size_t N, size_t j, const double *tot,
                                  const attrib_boot_options *o, attrib_boot_result *r, attrib_error *err) {
  size_t k = src->k, k4 = 4 * k, n = src->n, B = o->replicates;
  int enumerate = wild_enumerates(o, N);
  if (enumerate) B = (size_t)1 << N;
  int squares = !enumerate && o->weights != ATTRIB_BOOT_RADEMACHER;
  size_t chunk, C = attrib__chunks(N, &chunk);
  /* a batch of replicates: all of them unless the chunks' sums would pass
   * 2^24 doubles (128 MB); each batch streams the units once */
  size_t Bb = ((size_t)1 << 24) / (C * (k4 + 3));
  if (Bb < WB_REPS) Bb = WB_REPS;
  if (Bb > B) Bb = B;
  attrib_status st = ATTRIB_OK;
  double *work = attrib__malloc(attrib__mulsz(k, k), sizeof *work),
         *inv = attrib__malloc(attrib__mulsz(k, k), sizeof *inv);
  double *bhat = attrib__malloc(k, sizeof *bhat), *H = attrib__malloc(attrib__mulsz(k, k), sizeof *H);
  double *acc = attrib__malloc(attrib__mulsz(C, attrib__mulsz(k4, Bb)), sizeof *acc);
  double *acc2 = squares ? attrib__malloc(attrib__mulsz(C, attrib__mulsz(3, Bb)), sizeof *acc2) : NULL;
  double *Hc = attrib__malloc(attrib__mulsz(C, attrib__mulsz(k, k)), sizeof *Hc),
         *Rc = attrib__malloc(attrib__mulsz(C, 3), sizeof *Rc);
  double *T = attrib__malloc(attrib__mulsz(k4, Bb), sizeof *T), *T2 = attrib__malloc(attrib__mulsz(3, Bb), sizeof *T2);
  double *P = attrib__malloc(attrib__mulsz(2 * k, Bb), sizeof *P),
         *HP = attrib__malloc(attrib__mulsz(2 * k, Bb), sizeof *HP);
  size_t TH = attrib__threads(o->threads, C);
  double *scratch = attrib__malloc(attrib__mulsz(TH, WB_SCRATCH(src, k)), sizeof *scratch);
  wpoly w;
  int wfail = wpoly_alloc(&w, B);
  if (!work || !inv || !bhat || !H || !acc || (squares && !acc2) || !Hc || !Rc || !T || !T2 || !P || !HP || !scratch ||
      wfail) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory (%zu units, %zu replicates)", N, B);
    goto done;
  }
  if (wild_solve(tot, k, work, bhat, inv)) {
    st = attrib__fail(err, ATTRIB_ECOLLINEAR, "wild bootstrap: the design is singular");
    goto done;
  }
  const double *a = inv + j * k;
  double R[3] = {0.0, 0.0, 0.0};
  wb_job job = {src, N, k, chunk, a, bhat, a[j], (uint64_t)o->seed, o->weights, enumerate, squares,
                0, 0, 1, acc, acc2, Hc, Rc, scratch};
  for (size_t b0 = 0; b0 < B; b0 += Bb) {
    size_t nb = B - b0 < Bb ? B - b0 : Bb;
    job.b0 = b0, job.nb = nb, job.first = b0 == 0;
    attrib__parallel_chunks(C, TH, wb_chunk, &job);
    /* merge in chunk order: the same sums for any thread count */
    memcpy(T, acc, k4 * nb * sizeof *T);
    for (size_t c = 1; c < C; c++)
      for (size_t q = 0; q < k4 * nb; q++) T[q] += acc[c * k4 * nb + q];
    if (squares) {
      memcpy(T2, acc2, 3 * nb * sizeof *T2);
      for (size_t c = 1; c < C; c++)
        for (size_t q = 0; q < 3 * nb; q++) T2[q] += acc2[c * 3 * nb + q];
    }
    if (b0 == 0) {
      memcpy(H, Hc, k * k * sizeof *H);
      for (size_t c = 1; c < C; c++)
        for (size_t q = 0; q < k * k; q++) H[q] += Hc[c * k * k + q];
      for (size_t bq = 0; bq < k; bq++)
        for (size_t aq = bq + 1; aq < k; aq++) H[bq * k + aq] = H[aq * k + bq]; /* lower from upper */
      for (size_t c = 0; c < C; c++) R[0] += Rc[3 * c], R[1] += Rc[3 * c + 1], R[2] += Rc[3 * c + 2];
    }
    /* P = (X'X)^-1 [T_b  T1_b] (k x 2 nb, replicate b's pair in columns b
     * and nb + b), HP = H P */
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)nb, (int)k, 1.0, inv, (int)k, T, (int)k4, 0.0,
                P, (int)k);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)nb, (int)k, 1.0, inv, (int)k, T + k, (int)k4,
                0.0, P + k * nb, (int)k);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)(2 * nb), (int)k, 1.0, H, (int)k, P, (int)k,
                0.0, HP, (int)k);
    for (size_t b = 0; b < nb; b++) {
      const double *t = T + b * k4, *tu = t, *t1 = t + k, *qu = t + 2 * k, *q1 = t + 3 * k;
      const double *pu = P + b * k, *p1 = P + (nb + b) * k, *hpu = HP + b * k, *hp1 = HP + (nb + b) * k;
      double A = 0.0, Cc = 0.0, uhu = 0.0, uh1 = 0.0, h11 = 0.0, uqu = 0.0, uq1 = 0.0, q1u = 0.0, q11 = 0.0;
      for (size_t q = 0; q < k; q++) {
        A += a[q] * tu[q], Cc += a[q] * t1[q];
        uhu += pu[q] * hpu[q], uh1 += pu[q] * hp1[q], h11 += p1[q] * hp1[q];
        uqu += pu[q] * qu[q], uq1 += pu[q] * q1[q], q1u += p1[q] * qu[q], q11 += p1[q] * q1[q];
      }
      const double *rr = squares ? T2 + 3 * b : R;
      size_t bb = b0 + b;
      w.A[bb] = A, w.C[bb] = Cc;
      w.EE[bb] = uhu - 2.0 * uqu + rr[0];
      w.EF[bb] = uh1 - uq1 - q1u + rr[1];
      w.FF[bb] = h11 - 2.0 * q11 + rr[2];
    }
    if (o->progress) o->progress(o->progress_ctx, b0 + nb, B);
  }
  {
    double fac = (double)N / ((double)N - 1.0) * ((double)n - 1.0) / ((double)n - (double)k);
    double se = sqrt(fac * R[0]);
    r->blocked = 1;
    st = wild_finish(r, o, B, enumerate, bhat[j], se, fac, &w, SIZE_MAX, NULL, err);
  }
done:
  attrib__free(work), attrib__free(inv), attrib__free(bhat), attrib__free(H), attrib__free(acc), attrib__free(acc2);
  attrib__free(Hc), attrib__free(Rc), attrib__free(T), attrib__free(T2), attrib__free(P), attrib__free(HP);
  attrib__free(scratch);
  wpoly_free(&w);
  return st;
}

/* The heteroskedastic wild bootstrap (every row its own cluster), blocked.
 * Without absorbed fixed effects the rows are streamed from the design
 * (memory O(n + B k)); with them, the demeaned columns are kept. */
attrib_status attrib__boot_wild_rows(const attrib_design *d, const attrib_ols_result *fit, size_t coef,
                                     const attrib_boot_options *o, attrib_boot_result *r, attrib_error *err) {
  attrib_status st = ATTRIB_OK;
  attrib__boot_suff s;
  memset(&s, 0, sizeof s);
  wb_src src = {d, NULL, NULL, NULL, d->w, NULL, d->n, 0, d->k};
  double *tot = NULL, *part = NULL;
  if (d->n_fe) { /* the demeaned columns and their totals, as the pairs bootstrap builds them */
    if ((st = attrib__boot_suff_build(d, fit, coef, NULL, 0, 1, 1, o->threads, &s, err))) return st;
    src.cols = s.cols, src.X = s.X, src.y = s.y, src.k = s.k;
    st = wild_blocked(&src, d->n, s.j, s.tot, o, r, err);
    attrib__boot_suff_free(&s);
    return st;
  }
  size_t j0 = d->intercept && d->n_fe ? 1 : 0, k = 0, jj = 0;
  size_t *cols = attrib__malloc(d->k ? d->k : 1, sizeof *cols);
  if (!cols) return attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
  for (size_t c = 0; c < fit->coef.k; c++) {
    if (fit->coef.aliased[c]) continue;
    if (c == coef) jj = k;
    cols[k++] = c + j0;
  }
  src.cols = cols, src.k = k;
  size_t chunk, C = attrib__chunks(d->n, &chunk), kk = k * (k + 1) / 2;
  tot = attrib__calloc(kk + k, sizeof *tot);
  part = attrib__malloc(attrib__mulsz(C, k * k + k), sizeof *part);
  if (!tot || !part) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  size_t T = attrib__threads(o->threads, C);
  wb_tot_job tj = {&src, chunk, part, attrib__malloc(attrib__mulsz(T, WB_TOT_SCRATCH(&src)), sizeof(double))};
  if (!tj.scratch) {
    st = attrib__fail(err, ATTRIB_ENOMEM, "wild bootstrap: out of memory");
    goto done;
  }
  attrib__parallel_chunks(C, T, wb_tot_chunk, &tj);
  attrib__free(tj.scratch);
  for (size_t c = 0; c < C; c++) { /* chunk order */
    const double *F = part + c * (k * k + k);
    for (size_t b = 0; b < k; b++) {
      for (size_t a = 0; a <= b; a++) tot[attrib__packed(a, b)] += F[b * k + a];
      tot[kk + b] += F[k * k + b];
    }
  }
  st = wild_blocked(&src, d->n, jj, tot, o, r, err);
done:
  attrib__free(cols), attrib__free(tot), attrib__free(part);
  return st;
}

/* Thread-local test hook (as the allocation-failure countdown): 1 sends the
 * clustered wild bootstrap through the blocked path even when its G x B
 * matrix would fit, so that the tests compare the two. */
static _Thread_local int force_blocked;
void attrib__boot_debug_force_blocked(int on) { force_blocked = on; }

/* The clustered wild bootstrap: the G x B path (every number as it has
 * always been) while G x B is at most 2^28 (the bound from when it stored
 * that matrix, kept so that no result moves from one path to the other),
 * else the blocked one on the same per-cluster statistics. */
attrib_status attrib__boot_wild_clusters(attrib__boot_suff *s, const attrib_boot_options *o,
                                         attrib_boot_result *r, attrib_error *err) {
  size_t B = wild_enumerates(o, s->G) ? (size_t)1 << s->G : o->replicates;
  if (!force_blocked && s->G <= ((size_t)1 << 28) / B) return wild_boot(s, o, r, err);
  wb_src src = {NULL, s->cols, NULL, NULL, NULL, s, s->n, s->k, 0};
  return wild_blocked(&src, s->G, s->j, s->tot, o, r, err);
}
