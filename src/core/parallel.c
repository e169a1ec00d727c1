#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "core/attrib_internal.h"
#include "core/linalg.h"
#include "core/parallel.h"
#include <attrib/version.h>

#define MAX_CHUNKS 16
#define MIN_CHUNK_ROWS ((size_t)1 << 14)
#define MAX_THREADS 64

/* attrib_threads_limit: 0 = no limit. Set once at start-up by the program
 * (the CLI under a memory limit), read by every attrib__threads call. */
static atomic_size_t thread_limit;

void attrib_threads_limit(size_t max) { atomic_store_explicit(&thread_limit, max, memory_order_relaxed); }

size_t attrib__chunks(size_t n, size_t *chunk_rows) {
  size_t c = n / MIN_CHUNK_ROWS;
  if (c < 1) c = 1;
  if (c > MAX_CHUNKS) c = MAX_CHUNKS;
  size_t rows = (n + c - 1) / c;
  rows = (rows + ATTRIB__BLOCK_ROWS - 1) / ATTRIB__BLOCK_ROWS * ATTRIB__BLOCK_ROWS;
  if (rows == 0) rows = ATTRIB__BLOCK_ROWS;
  *chunk_rows = rows;
  return n ? (n + rows - 1) / rows : 1;
}

size_t attrib__threads(size_t requested, size_t n_chunks) {
  size_t t = requested;
  if (t == 0) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    t = cpus > 0 ? (size_t)cpus : 1;
  }
  if (t > n_chunks) t = n_chunks;
  if (t > MAX_THREADS) t = MAX_THREADS;
  size_t lim = atomic_load_explicit(&thread_limit, memory_order_relaxed);
  if (lim && t > lim) t = lim;
  return t ? t : 1;
}

typedef struct job {
  size_t n_chunks;
  atomic_size_t next;
  void (*fn)(void *, size_t, size_t);
  void *ctx;
} job;

typedef struct worker {
  job *j;
  size_t thread;
} worker;

static void run(job *j, size_t thread) {
  for (;;) {
    size_t c = atomic_fetch_add(&j->next, 1);
    if (c >= j->n_chunks) return;
    j->fn(j->ctx, c, thread);
  }
}

static void *worker_main(void *arg) {
  worker *w = arg;
  run(w->j, w->thread);
  return NULL;
}

void attrib__parallel_chunks(size_t n_chunks, size_t threads, void (*fn)(void *ctx, size_t chunk, size_t thread),
                             void *ctx) {
  job j;
  j.n_chunks = n_chunks;
  atomic_init(&j.next, 0);
  j.fn = fn;
  j.ctx = ctx;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  pthread_t tid[MAX_THREADS];
  worker w[MAX_THREADS];
  size_t started = 0;
  for (size_t t = 1; t < threads; t++) {
    w[t].j = &j;
    w[t].thread = t;
    if (pthread_create(&tid[t], NULL, worker_main, &w[t]) != 0) break;
    started = t;
  }
  run(&j, 0);
  for (size_t t = 1; t <= started; t++) pthread_join(tid[t], NULL);
}
