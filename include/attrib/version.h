/* Library version. */
#ifndef ATTRIB_VERSION_H
#define ATTRIB_VERSION_H

#include <stddef.h>

#include <attrib/export.h>

#define ATTRIB_VERSION_MAJOR 0
#define ATTRIB_VERSION_MINOR 1
#define ATTRIB_VERSION_PATCH 0
#define ATTRIB_VERSION_TEXT "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version as "MAJOR.MINOR.PATCH". */
ATTRIB_API const char *attrib_version(void);

/* Sets the number of threads OpenBLAS uses inside one BLAS call. attrib's
 * kernels call BLAS on cache-sized blocks, where OpenBLAS's own threads only
 * add synchronisation (measured: a quarter of an OLS fit spent spinning), so
 * programs should set 1 and let attrib split work across threads itself.
 * This changes process-wide OpenBLAS state: call it once at start-up. */
ATTRIB_API void attrib_blas_threads(int n);

/* Caps the threads any attrib call starts (0, the default: no cap beyond
 * each call's own `threads` option). Results do not depend on the thread
 * count, so this only trades speed. A program under an address-space
 * limit uses it to bound the BLAS work buffers that can be in use at once
 * (one per thread inside a BLAS call: the attrib CLI reserves them up
 * front, docs/design.md). Process-wide: call it once at start-up. */
ATTRIB_API void attrib_threads_limit(size_t max);

#ifdef __cplusplus
}
#endif

#endif
