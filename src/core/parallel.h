/*
 * Deterministic parallel loops over row chunks.
 *
 * Work over n rows is cut into a fixed number of chunks that depends only
 * on n (never on the thread count); each chunk accumulates its own partial
 * result, and the caller merges the partials in chunk order. So sums come
 * out bit-identical whether one thread or eight ran them (the style guide's
 * reproducibility rule), while threads claim chunks dynamically, which
 * copes with a second vCPU that comes and goes (docs/performance.md, fact 3).
 */
#ifndef ATTRIB_PARALLEL_H
#define ATTRIB_PARALLEL_H

#include <stddef.h>

/* Chunks for n rows: up to 16, each at least 16k rows, aligned to blocks. */
size_t attrib__chunks(size_t n, size_t *chunk_rows);

/* Threads to use: requested (0 = the online CPUs), at most n_chunks. */
size_t attrib__threads(size_t requested, size_t n_chunks);

/* Calls fn(ctx, chunk, thread) for every chunk in [0, n_chunks) on up to
 * threads threads; thread (< threads) names the caller's per-thread
 * scratch. Falls back to running everything on the calling thread when
 * threads cannot be started. */
void attrib__parallel_chunks(size_t n_chunks, size_t threads, void (*fn)(void *ctx, size_t chunk, size_t thread),
                             void *ctx);

#endif
