/*
 * The fit alone, in process: wall and process CPU time of attrib_logit_fit,
 * attrib_psm_fit or attrib_ols_fit (CR1 by team) on one of run.sh's cohort
 * files, repeated REPS times after one load, with the models of
 * benchmarks/run.sh (logit 25 coefficients, psm's 24-term score model, ols
 * 26 coefficients). CPU time is what a machine shared with other jobs
 * distorts least; with THREADS 1 it is also the single-core cost. Prints the
 * first fit's coefficients (to compare builds) on stdout, times on stderr.
 * Not built by CMake (a benchmark, not a test); against a build directory:
 *   gcc -O2 -Iinclude benchmarks/fit_cpu.c build/libattrib.a -o fit_cpu \
 *     -llapacke -lopenblas -lgsl -lcsv -lz -ljansson -lpq -lm -lpthread
 *   OPENBLAS_NUM_THREADS=1 ./fit_cpu logit|psm|ols FILE REPS THREADS
 * (OPENBLAS_NUM_THREADS=1: the CLI keeps OpenBLAS on one thread itself, this
 * program does not, and idle OpenBLAS workers spin.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <attrib/attrib.h>
#include <attrib/design.h>
#include <attrib/formula.h>
#include <attrib/logit.h>
#include <attrib/ols.h>
#include <attrib/psm.h>
#include <attrib/table.h>

#define NUM                                                                                                      \
  "tenure + age + education_years + prior_perf + engagement + manager_rating + quota + territory_size + " \
  "calls_per_week + tickets + certifications + remote"

static double now(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void print_coef(const attrib_coef_table *c) {
  for (size_t j = 0; j < c->k; j++) printf("%s %.17g %.17g\n", c->term[j], c->estimate[j], c->std_error[j]);
}

/* One fit; prints its numbers when first. Returns 0 on success. */
static int fit(const char *mode, const attrib_table *t, const attrib_design *d, size_t threads, int first) {
  attrib_error err;
  attrib_error_clear(&err);
  if (strcmp(mode, "ols") == 0) {
    attrib_ols_options o;
    attrib_ols_options_init(&o);
    o.vcov = ATTRIB_VCOV_CLUSTER;
    o.threads = threads;
    attrib_ols_result *r;
    if (attrib_ols_fit(d, &o, &r, &err)) return fprintf(stderr, "%s\n", err.message), 1;
    if (first) print_coef(&r->coef);
    attrib_ols_result_free(r);
  } else if (strcmp(mode, "logit") == 0) {
    attrib_logit_options o;
    attrib_logit_options_init(&o);
    o.threads = threads;
    attrib_logit_result *r;
    if (attrib_logit_fit(d, &o, &r, &err)) return fprintf(stderr, "%s\n", err.message), 1;
    if (first) print_coef(&r->coef), printf("deviance %.17g iterations %zu\n", r->deviance, r->iterations);
    attrib_logit_result_free(r);
  } else {
    attrib_psm_options o;
    attrib_psm_options_init(&o);
    o.threads = threads;
    o.treat = "trained";
    o.outcome = "sales";
    o.covariates = NUM " + factor(role) + factor(region)";
    o.caliper = 0.2;
    attrib_psm_result *r;
    if (attrib_psm_fit(t, &o, &r, &err)) return fprintf(stderr, "%s\n", err.message), 1;
    if (first)
      printf("effect %.17g se %.17g matches %zu\n", r->effect.estimate, r->effect.std_error, r->n_matches);
    attrib_psm_result_free(r);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 5) return fprintf(stderr, "usage: fit_cpu logit|psm|ols FILE REPS THREADS\n"), 2;
  const char *mode = argv[1];
  int reps = atoi(argv[3]);
  size_t threads = (size_t)atoi(argv[4]);
  if (reps < 1) reps = 1;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_table *t = NULL;
  attrib_formula *f = NULL;
  attrib_design *d = NULL;
  if (attrib_table_read_csv(argv[2], NULL, &t, &err)) return fprintf(stderr, "%s\n", err.message), 1;
  if (strcmp(mode, "psm") != 0) {
    const char *fo = strcmp(mode, "ols") == 0 ? "sales ~ trained + " NUM " + factor(role) + factor(region)"
                                              : "trained ~ " NUM " + factor(role) + factor(region)";
    const char *cl[] = {"team", NULL};
    attrib_design_options dopt;
    attrib_design_options_init(&dopt);
    if (strcmp(mode, "ols") == 0) dopt.cluster = cl;
    if (attrib_formula_parse(fo, &f, &err) || attrib_design_build(t, f, &dopt, &d, &err))
      return fprintf(stderr, "%s\n", err.message), 1;
  }
  double *wall = malloc((size_t)reps * sizeof *wall), *cpu = malloc((size_t)reps * sizeof *cpu);
  if (!wall || !cpu) return 1;
  for (int r = 0; r < reps; r++) {
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    if (fit(mode, t, d, threads, r == 0)) return 1;
    wall[r] = now(CLOCK_MONOTONIC) - w0, cpu[r] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    fprintf(stderr, "%s run %d: wall %.4f s, cpu %.4f s\n", mode, r + 1, wall[r], cpu[r]);
  }
  qsort(wall, (size_t)reps, sizeof *wall, cmp);
  qsort(cpu, (size_t)reps, sizeof *cpu, cmp);
  fprintf(stderr, "%s median of %d: wall %.4f s, cpu %.4f s (min %.4f)\n", mode, reps, wall[reps / 2], cpu[reps / 2],
          cpu[0]);
  free(wall), free(cpu);
  attrib_design_free(d);
  attrib_formula_free(f);
  attrib_table_free(t);
  return 0;
}
