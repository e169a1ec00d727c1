/*
 * first_touch: what fresh memory costs on this machine, by page kind
 * (benchmarks/README.md, "issue 19: load").
 *
 *   cc -O2 -pthread -o first_touch benchmarks/first_touch.c
 *   for m in 0 1 2 3; do sleep 5; ./first_touch $m 1536; done
 *
 * Maps MiB of anonymous memory and writes one byte per 4 KiB page:
 *   0  small pages (MADV_NOHUGEPAGE)          as attrib__alloc_large maps
 *   1  transparent huge pages (MADV_HUGEPAGE)  as it did before issue 19
 *   2  small pages, MAP_POPULATE (the kernel fills the mapping in mmap)
 *   3  small pages, MADV_POPULATE_WRITE, then the writes
 * and prints wall, user and system seconds and the page faults. Sleep a
 * few seconds between runs: this guest reports freed memory to its host
 * about 2 s after it is freed, and memory another process has just freed
 * is first-touched several times faster than reported memory.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void usage(double *u, double *s, long *f) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  *u = (double)r.ru_utime.tv_sec + (double)r.ru_utime.tv_usec * 1e-6;
  *s = (double)r.ru_stime.tv_sec + (double)r.ru_stime.tv_usec * 1e-6;
  *f = r.ru_minflt;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: first_touch MODE(0-3) MIB\n");
    return 2;
  }
  int mode = atoi(argv[1]);
  size_t n = (size_t)atol(argv[2]) << 20;
  double u0, s0, u1, s1;
  long f0, f1;
  usage(&u0, &s0, &f0);
  double t0 = now();
  char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (mode == 2 ? MAP_POPULATE : 0), -1, 0);
  if (p == MAP_FAILED) return 1;
  (void)madvise(p, n, mode == 1 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  if (mode == 3) (void)madvise(p, n, MADV_POPULATE_WRITE);
  for (size_t i = 0; i < n; i += 4096) p[i] = 1;
  double t = now() - t0;
  usage(&u1, &s1, &f1);
  static const char *const kind[] = {"small pages", "huge pages", "MAP_POPULATE", "MADV_POPULATE_WRITE"};
  printf("%-20s %zu MiB: %.3f s wall (%.2f GB/s), user %.3f s, sys %.3f s, %ld faults\n", kind[mode & 3], n >> 20, t,
         (double)n / 1e9 / t, u1 - u0, s1 - s0, f1 - f0);
  munmap(p, n);
  return 0;
}
