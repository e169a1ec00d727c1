/*
 * attrib: the command-line tool. A table of commands; each parses its flags
 * into the library's options, runs, and hands results to the writers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>


#include "cli.h"

#ifndef ATTRIB_VERSION_STRING
#define ATTRIB_VERSION_STRING "unknown"
#endif

static const cli_command commands[] = {
    {"describe", cmd_describe, "summarise every column of a CSV file"},
    {"simulate", cmd_simulate, "write learner data with a known training effect"},
    {"ols", cmd_ols, "least squares with covariates, fixed effects and robust/cluster SEs"},
    {"logit", cmd_logit, "logistic or probit regression (propensity scores), robust/cluster SEs"},
    {"psm", cmd_psm, "propensity-score matching and weighting, balance, valid SEs"},
    {"did", cmd_did, "difference-in-differences: 2x2, two-way FE, event study, Callaway-Sant'Anna"},
    {"roi", cmd_roi, "ROI of an effect: benefit, cost, ROI %, payback, break-even, intervals"},
    {"power", cmd_power, "pilot design: minimum detectable effect, learners needed or power, in money"},
    {"mediate", cmd_mediate, "causal mediation: the effect through a mediator (ACME), direct effect, sensitivity"},
    {"sensitivity", cmd_sensitivity, "unmeasured confounding: E-values, Rosenbaum bounds, omitted-variable bias"},
    {"analyze", cmd_analyze, "the whole study: methods side by side, checks, ROI, sensitivity"},
};

static void usage(FILE *out) {
  fprintf(out,
          "Usage: attrib <command> [options]\n"
          "       attrib <command> --help\n"
          "       attrib --version\n\n"
          "attrib estimates the causal effect of a training programme on a business KPI\n"
          "and turns it into an ROI figure with its uncertainty.\n\n"
          "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\nEvery command takes --format text|json|csv and -o FILE.\n"
          "Exit status: 0 success, 1 data or computation error, 2 usage error.\n");
}

/* ---- OpenBLAS: one thread, and its work buffers under a memory limit ----
 *
 * attrib keeps BLAS on one thread and splits rows itself (docs/design.md):
 * OpenBLAS's own threads only added synchronisation to block-sized calls.
 * Two facts about Debian's OpenBLAS 0.3.21 (pthread build) shape this code:
 *
 * 1. Its constructor starts blas_num_threads - 1 worker threads before
 *    main, and each worker at once allocates a BUFFER_SIZE (128 MiB) work
 *    buffer; blas_memory_alloc retries a failed allocation forever. Under
 *    `ulimit -v 190000` every command, even --version, hung: a worker
 *    retried its buffer while main waited for it in blas_thread_shutdown_.
 *    What does not help: openblas_set_num_threads(1) in main (the workers
 *    exist by then), a constructor of ours (the executable's constructors
 *    run after its libraries'), and setenv("OPENBLAS_NUM_THREADS") from a
 *    .preinit_array function (it does run first, but libc's initialiser then
 *    resets environ to the original envp: OpenBLAS never sees it). What
 *    works: the .preinit_array function below sets OpenBLAS's exported
 *    blas_num_threads and blas_cpu_number to 1 before its constructor runs
 *    (gotoblas_init keeps a thread count that is already set), so no worker
 *    is ever started. Where those symbols are missing or ignored, main
 *    re-executes the program with OPENBLAS_NUM_THREADS=1 (measured: 3.5 ms),
 *    and only if that fails stops the workers as before.
 *
 * 2. Even on one thread, every thread that is inside a BLAS call holds a
 *    work buffer from OpenBLAS's process-wide pool, allocated on first need,
 *    and that allocation too retries forever: `ols` hung under any limit
 *    between 64 and 160 MB. So under an address-space or data limit the
 *    commands that call BLAS reserve the buffers first: each allocation is
 *    preceded by a probe mapping of the same size (while the process has a
 *    single thread, so the probe's success means the allocation succeeds),
 *    the buffers go back to the pool, and attrib_threads_limit caps attrib's
 *    threads at the number reserved, so no BLAS call ever allocates later.
 *    No buffer fits: a one-line out-of-memory error. Without a limit none
 *    of this runs. */
extern int blas_num_threads __attribute__((weak));
extern int blas_cpu_number __attribute__((weak));
extern int openblas_get_num_threads(void) __attribute__((weak));
extern int blas_thread_shutdown_(void) __attribute__((weak));
extern void *blas_memory_alloc(int procpos) __attribute__((weak));
extern void blas_memory_free(void *buffer) __attribute__((weak));

static void blas_before_init(int argc, char **argv, char **envp) {
  (void)argc, (void)argv, (void)envp;
  if (&blas_num_threads && &blas_cpu_number && blas_num_threads == 0 && blas_cpu_number == 0)
    blas_num_threads = blas_cpu_number = 1;
}
__attribute__((section(".preinit_array"), used)) static void (*const blas_before_init_p)(int, char **, char **) =
    blas_before_init;

/* The fallbacks of fact 1, for an OpenBLAS that started workers anyway. */
static void blas_one_thread(char **argv) {
  if (!openblas_get_num_threads || openblas_get_num_threads() <= 1) return;
  const char *env = getenv("OPENBLAS_NUM_THREADS");
  if (!env || strcmp(env, "1") != 0) {
    if (setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0) execv("/proc/self/exe", argv);
    /* no /proc: carry on in this process */
  }
  attrib_blas_threads(1);
  if (blas_thread_shutdown_) (void)blas_thread_shutdown_();
}

/* Pages of the address space and of the data segment in use (statm). */
static int vm_pages(unsigned long long *size, unsigned long long *data) {
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return -1;
  unsigned long long v[6];
  int n = fscanf(f, "%llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]);
  fclose(f);
  if (n != 6) return -1;
  *size = v[0], *data = v[5];
  return 0;
}

/* Bytes that can still be mapped under RLIMIT_AS and RLIMIT_DATA, or -1 when
 * neither is set; *limit and *which name the limit that leaves less. */
static double vm_room(double *limit, const char **which) {
  struct rlimit as, dt;
  if (getrlimit(RLIMIT_AS, &as) != 0) as.rlim_cur = RLIM_INFINITY;
  if (getrlimit(RLIMIT_DATA, &dt) != 0) dt.rlim_cur = RLIM_INFINITY;
  if (as.rlim_cur == RLIM_INFINITY && dt.rlim_cur == RLIM_INFINITY) return -1.0;
  unsigned long long size = 0, data = 0;
  double page = (double)sysconf(_SC_PAGESIZE), room = INFINITY;
  if (vm_pages(&size, &data) != 0) size = data = 0;
  if (as.rlim_cur != RLIM_INFINITY) {
    room = (double)as.rlim_cur - (double)size * page;
    *limit = (double)as.rlim_cur, *which = "address-space limit (ulimit -v)";
  }
  if (dt.rlim_cur != RLIM_INFINITY && (double)dt.rlim_cur - (double)data * page < room) {
    room = (double)dt.rlim_cur - (double)data * page;
    *limit = (double)dt.rlim_cur, *which = "data-size limit (ulimit -d)";
  }
  return room > 0 ? room : 0.0;
}

/* Fact 2: reserve OpenBLAS work buffers for up to one per CPU (at most 16,
 * attrib's chunk count), keeping at least half of the room for the data
 * once one buffer is held. 0, or CLI_EXIT_DATA after the message. */
static int blas_reserve(const char *cmd) {
  double limit = 0;
  const char *which = "";
  double room = vm_room(&limit, &which);
  if (room < 0 || !blas_memory_alloc || !blas_memory_free) return 0;
  const double MiB = 1048576.0;
  /* OpenBLAS's BUFFER_SIZE is 128 MiB on x86-64 (32 << 22); the probe
   * takes 1 MiB more, and is corrected by what the first buffer took. */
  double probe = 129.0 * MiB;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  size_t want = cpus > 1 ? (size_t)cpus : 1, got = 0;
  if (want > 16) want = 16;
  void *held[16];
  while (got < want) {
    double free_now = vm_room(&limit, &which);
    if (free_now < probe || (got > 0 && probe > free_now / 2)) break;
    void *p = mmap(NULL, (size_t)probe, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) break;
    munmap(p, (size_t)probe);
    held[got] = blas_memory_alloc(0);
    if (!held[got]) break;
    if (got++ == 0) { /* what one buffer really took */
      double taken = free_now - vm_room(&limit, &which);
      if (taken + MiB > probe) probe = taken + MiB;
    }
  }
  for (size_t i = 0; i < got; i++) blas_memory_free(held[i]);
  if (got == 0) {
    fprintf(stderr,
            "attrib %s: out of memory: the %s of %.0f MiB leaves %.0f MiB free, "
            "and the BLAS library needs a %.0f MiB work buffer\n",
            cmd, which, limit / MiB, room / MiB, probe / MiB - 1);
    return CLI_EXIT_DATA;
  }
  attrib_threads_limit(got);
  return 0;
}

/* Commands (and sensitivity analyses) that never call BLAS need no buffer. */
static int uses_blas(int argc, char **argv) {
  const char *cmd = argv[1];
  for (int i = 2; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 0;
  if (strcmp(cmd, "describe") == 0 || strcmp(cmd, "simulate") == 0 || strcmp(cmd, "roi") == 0) return 0;
  if (strcmp(cmd, "sensitivity") == 0)
    return argc > 2 && (strcmp(argv[2], "ovb") == 0 || strcmp(argv[2], "spec") == 0);
  return 1;
}

int main(int argc, char **argv) {
  attrib_library_init(); /* GSL's aborting error handler off */
  blas_one_thread(argv);
  attrib_blas_threads(1);
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    printf("attrib %s (library %s)\n", ATTRIB_VERSION_STRING, attrib_version());
    return CLI_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(cmd, commands[i].name) == 0) {
      if (uses_blas(argc, argv)) {
        int rc = blas_reserve(cmd);
        if (rc) return rc;
      }
      return commands[i].run(argc - 1, argv + 1);
    }
  fprintf(stderr, "attrib: unknown command '%s'\n", cmd);
  usage(stderr);
  return CLI_EXIT_USAGE;
}
