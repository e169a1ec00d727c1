/*
 * Multiple-testing adjustment of p-values for several outcomes tested on
 * one design (issue 18; docs/methods/multiple-testing.md): Bonferroni and
 * Holm (closed forms, as R's p.adjust) and the Romano-Wolf step-down
 * (Romano & Wolf 2005; Clarke, Romano & Wolf 2020, Stata J. 20(4), rwolf)
 * from bootstrap t statistics drawn with the same weights for every
 * outcome. All three control the family-wise error rate; Romano-Wolf uses
 * the dependence between the outcomes' statistics and so is less
 * conservative.
 *
 *   double holm[3]; attrib_p_adjust_holm(p, 3, holm);
 */
#ifndef ATTRIB_MULTITEST_H
#define ATTRIB_MULTITEST_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* out[i] = min(1, m p[i]) with m the non-NaN p-values (NaN stays NaN, as
 * p.adjust's NA). out may be p. */
ATTRIB_API void attrib_p_adjust_bonferroni(const double *p, size_t m, double *out);

/* Holm (1979) step-down: with p sorted ascending, out_(i) =
 * min(1, max_{j <= i} (m - j + 1) p_(j)) (p.adjust "holm"); NaN as above.
 * Ties keep their input order. out may be p. Returns ATTRIB_OK or
 * ATTRIB_ENOMEM (a sort index of m entries). */
ATTRIB_API attrib_status attrib_p_adjust_holm(const double *p, size_t m, double *out, attrib_error *err);

/*
 * Romano-Wolf step-down adjusted p-values for S hypotheses from their
 * sample t statistics t[0..S) and B bootstrap t statistics each under the
 * null, tboot[s * B + b] (outcome s's B draws contiguous; replicate b must
 * use the same resampling weights for every s). With the hypotheses
 * ordered by |t| descending, hypothesis (j)'s raw p-value is
 * (1 + #{b : max_{i >= j} |t*_(i)b| >= |t_(j)|}) / (B + 1), and the
 * adjusted p-values are made monotone: p_(j) = max(p_(j), p_(j-1)), as
 * rwolf (Clarke, Romano & Wolf 2020) and wildrwolf/pyfixest's rwolf. A NaN
 * statistic gives NaN and leaves the others' steps. Returns ATTRIB_OK,
 * ATTRIB_EINVAL (NULL argument, B = 0), ATTRIB_ENOMEM.
 */
ATTRIB_API attrib_status attrib_romano_wolf(const double *t, const double *tboot, size_t S, size_t B, double *out,
                                            attrib_error *err);

#ifdef __cplusplus
}
#endif

#endif
