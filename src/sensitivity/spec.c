/*
 * Specification sweeps (include/attrib/sensitivity.h,
 * docs/methods/sensitivity.md).
 */
#include <string.h>

#include <attrib/sensitivity.h>
#include "core/attrib_internal.h"
#include "core/parallel.h"

/* ---- specification sweeps -------------------------------------------------------- */

typedef struct spec_job {
  void (*run)(void *ctx, size_t i, attrib_spec_result *out);
  void *ctx;
  attrib_spec_result *results;
} spec_job;

static void spec_one(void *ctx, size_t i, size_t thread) {
  (void)thread;
  spec_job *j = ctx;
  memset(&j->results[i], 0, sizeof j->results[i]);
  j->run(j->ctx, i, &j->results[i]);
}

void attrib_spec_run(size_t n_specs, size_t threads, void (*run)(void *ctx, size_t i, attrib_spec_result *out),
                     void *ctx, attrib_spec_result *results) {
  spec_job j = {run, ctx, results};
  if (n_specs) attrib__parallel_chunks(n_specs, attrib__threads(threads, n_specs), spec_one, &j);
}
