/* Shared by the fuzz targets: a check that aborts with a reason (libFuzzer
 * and the replay driver report the input), and a sink that keeps reads
 * from being optimised away. */
#ifndef ATTRIB_FUZZ_COMMON_H
#define ATTRIB_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, what)                                                              \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      fprintf(stderr, "fuzz check failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, what); \
      abort();                                                                              \
    }                                                                                       \
  } while (0)

static inline void fuzz_sink(size_t v) { __asm__ __volatile__("" : : "g"(v) : "memory"); }

#endif
