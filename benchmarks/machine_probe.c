/*
 * machine_probe: this machine's speed right now, printed beside benchmark
 * figures (benchmarks/run.sh) so that a slow or busy shared machine shows
 * in the table instead of passing for a slow program.
 *
 *   cc -O2 -o machine_probe benchmarks/machine_probe.c && ./machine_probe
 *
 * One line, three figures, each the best of a few short repetitions
 * (about 0.5 s in all):
 *   copy         STREAM-style copy of 64 MiB (memory already touched), GB/s
 *                counting bytes read plus bytes written, as STREAM does;
 *   scalar       one step of a fixed dependent integer chain, ns (the
 *                single-thread speed: no memory, no vector units);
 *   first touch  writing one byte per 4 KiB page of a fresh 256 MiB mapping
 *                of small pages, GB/s: what a program pays for new memory
 *                (this machine's slowest resource, docs/performance.md).
 * and the 1-minute load average.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double copy_gbs(void) {
  size_t n = (size_t)8 << 20; /* doubles: 64 MiB per array */
  double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
  if (!a || !b) return 0;
  for (size_t i = 0; i < n; i++) a[i] = (double)i, b[i] = 0;
  double best = 1e30;
  for (int r = 0; r < 5; r++) {
    double t0 = now();
    for (size_t i = 0; i < n; i++) b[i] = a[i];
    double t = now() - t0;
    if (t < best) best = t;
    a[r] = b[n - 1 - (size_t)r]; /* the copies are used */
  }
  volatile double sink = b[n / 2];
  (void)sink;
  free(a);
  free(b);
  return 2.0 * (double)n * sizeof(double) / 1e9 / best;
}

static double scalar_ns(void) {
  const long steps = 50000000;
  double best = 1e30;
  volatile uint64_t sink;
  for (int r = 0; r < 3; r++) {
    uint64_t x = 88172645463325252u + (uint64_t)r;
    double t0 = now();
    for (long i = 0; i < steps; i++) x = x * 6364136223846793005u + 1442695040888963407u; /* 4-5 cycles a step */
    double t = now() - t0;
    sink = x;
    if (t < best) best = t;
  }
  (void)sink;
  return best / (double)steps * 1e9;
}

static double first_touch_gbs(void) {
  size_t bytes = (size_t)256 << 20;
  double best = 0;
  for (int r = 0; r < 2; r++) {
    char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 0;
#ifdef MADV_NOHUGEPAGE
    (void)madvise(p, bytes, MADV_NOHUGEPAGE); /* as attrib__alloc_large maps columns */
#endif
    double t0 = now();
    for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    double g = (double)bytes / 1e9 / (now() - t0);
    if (g > best) best = g;
    munmap(p, bytes);
  }
  return best;
}

int main(void) {
  double copy = copy_gbs(), scalar = scalar_ns(), touch = first_touch_gbs();
  double load = 0;
  FILE *f = fopen("/proc/loadavg", "r");
  if (f) {
    if (fscanf(f, "%lf", &load) != 1) load = 0;
    fclose(f);
  }
  printf("copy %.1f GB/s, scalar %.2f ns/step, first touch %.2f GB/s, load %.1f\n", copy, scalar, touch, load);
  return 0;
}
