/*
 * Internals shared across the library's files (attrib__ prefix, libuv's
 * convention). Not installed; unit tests reach it by an explicit include.
 */
#ifndef ATTRIB_INTERNAL_H
#define ATTRIB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <attrib/status.h>

#if defined(__GNUC__)
#define ATTRIB__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ATTRIB__INTERNAL __attribute__((visibility("hidden")))
#else
#define ATTRIB__PRINTF(a, b)
#define ATTRIB__INTERNAL
/* ------------------------------------------------------------------ string lists */

/* Appends a copy of text to a growable string list (warnings, dropped
 * terms). Returns ATTRIB_OK or ATTRIB_ENOMEM. */
attrib_status attrib__strlist_push(char ***list, size_t *n, const char *text);
void attrib__strlist_free(char **list, size_t n);

#endif

/* ------------------------------------------------------------------ errors */

/* Fills err (when non-NULL) with code and a printf-formatted one-line
 * message, and returns code, so a failing function ends with
 *     return attrib__fail(err, ATTRIB_EPARSE, "%s: line %zu: ...", ...);  */
attrib_status attrib__fail(attrib_error *err, attrib_status code, const char *fmt, ...)
    ATTRIB__PRINTF(3, 4);

/* Same, recording a location (line, column; both 1-based, 0 = none). */
attrib_status attrib__fail_at(attrib_error *err, attrib_status code, size_t line, size_t column,
                              const char *fmt, ...) ATTRIB__PRINTF(5, 6);

/* Same, naming the options field the error is about ("did.bootstrap": see
 * attrib_error.option); code is ATTRIB_EUSAGE for a value or combination of
 * options that cannot be used, ATTRIB_EINVAL for an argument that is wrong in
 * itself. The message describes the option's meaning, not a CLI flag. */
attrib_status attrib__fail_option(attrib_error *err, attrib_status code, const char *option, const char *fmt, ...)
    ATTRIB__PRINTF(4, 5);

/* A confidence level, which every estimator takes: strictly between 0 and
 * 1 (0.95, not 95). ATTRIB_EUSAGE naming option ("ols.level") otherwise,
 * one message for all of them (issue 15: ols said "between 0 and 1" of a
 * level of 0, and no estimator named the option). */
attrib_status attrib__check_level(double level, const char *option, attrib_error *err);

/* Forward a failed status from a callee. */
#define ATTRIB__TRY(expr)                                                      \
  do {                                                                         \
    attrib_status attrib__s = (expr);                                          \
    if (attrib__s != ATTRIB_OK) return attrib__s;                              \
  } while (0)

/* ------------------------------------------------------------------ memory */

/* All allocation goes through these: count * size is overflow-checked, and a
 * failure-injection countdown lets tests fail the k-th allocation. */
void *attrib__malloc(size_t count, size_t size);
void *attrib__calloc(size_t count, size_t size);
void *attrib__realloc(void *p, size_t count, size_t size);
void attrib__free(void *p);
char *attrib__strdup(const char *s);
char *attrib__strndup(const char *s, size_t n);

/* Large arrays (columns, design matrices): anonymous mappings of small
 * pages, whose first touch costs a third of a huge page's on this machine
 * (alloc.c; benchmarks/README.md, "issue 19: load"). The caller keeps the
 * byte size. */
void *attrib__alloc_large(size_t bytes);
void attrib__free_large(void *p, size_t bytes);

/* Test hook: the k-th allocation from now (k >= 1) and every later one fail
 * until reset with k = 0. Thread-local, so parallel tests do not interfere. */
ATTRIB_API void attrib_debug_fail_alloc_after(long k);
/* The countdown's value: after attrib_debug_fail_alloc_after(K) and a run
 * that did not reach it, K minus the allocations the run made (tests that
 * sample failure points over a long run count them this way). */
ATTRIB_API long attrib_debug_fail_alloc_countdown(void);

/* ------------------------------------------------------------------ arena */

/* Strings that live as long as their owner (level names): 64 KiB blocks,
 * one free for all, no allocation per string. */
typedef struct attrib__arena_block {
  struct attrib__arena_block *next;
  size_t used, cap;
  char data[];
} attrib__arena_block;

typedef struct attrib__arena {
  attrib__arena_block *head;
} attrib__arena;

char *attrib__arena_strndup(attrib__arena *a, const char *s, size_t n);
void attrib__arena_free(attrib__arena *a); /* frees the blocks; a itself stays */

/* ---------------------------------------------------------------- scratch */

/* One block handed out by a bump pointer to code that runs many times on
 * the same sizes (a bootstrap's refits) and so should not allocate inside
 * its loop. The block's size is the caller's estimate, never a condition of
 * correctness: a request that does not fit falls back to attrib__malloc,
 * and attrib__scratch_free frees only such fallbacks. Every pointer is
 * aligned to 64 bytes (long double needs 16). A NULL scratch is plain
 * attrib__malloc / calloc / free. */
typedef struct attrib__scratch {
  unsigned char *base;
  size_t cap, used;
} attrib__scratch;

/* 0, or -1 when out of memory */
int attrib__scratch_init(attrib__scratch *s, size_t bytes);
void attrib__scratch_release(attrib__scratch *s);
/* every earlier block of s free again (fallbacks must have been freed) */
static inline void attrib__scratch_reset(attrib__scratch *s) {
  if (s) s->used = 0;
}
void *attrib__scratch_malloc(attrib__scratch *s, size_t count, size_t size);
void *attrib__scratch_calloc(attrib__scratch *s, size_t count, size_t size);
void attrib__scratch_free(attrib__scratch *s, void *p);
/* the bytes a request of count * size takes from a scratch block */
static inline size_t attrib__scratch_bytes(size_t count, size_t size) { return (count * size + 63) / 64 * 64 + 64; }

/* ------------------------------------------------------------------ text */

/* Case-insensitive comparison of s[0..n) with the NUL-terminated word. */
int attrib__ieq(const char *s, size_t n, const char *word);

/* Levenshtein distance, for "did you mean" suggestions. */
size_t attrib__edit_distance(const char *a, const char *b);

/* Growable string buffer for building messages and names (not hot). */
typedef struct attrib__sbuf {
  char *s;
  size_t len, cap;
  int failed;
} attrib__sbuf;
void attrib__sbuf_add(attrib__sbuf *b, const char *s, size_t n);
void attrib__sbuf_addf(attrib__sbuf *b, const char *fmt, ...) ATTRIB__PRINTF(2, 3);
void attrib__sbuf_free(attrib__sbuf *b);

/* Appends s[0..n) for a message a person reads: control bytes and bytes
 * that are not UTF-8 as \xNN (a raw \x01 or a stray Latin-1 byte would
 * reach the terminal, or break the JSON output). When max > 0 and n >
 * max, the middle is elided visibly: "abc...(1000 bytes in all)...xyz". */
void attrib__sbuf_add_escaped(attrib__sbuf *b, const char *s, size_t n, size_t max);

/* Characters (UTF-8 code points) in s[0..n): a caret's column. */
size_t attrib__utf8_chars(const char *s, size_t n);

/* ------------------------------------------------------------------ string lists */

/* Appends a copy of text to a growable string list (warnings, dropped
 * terms). Returns ATTRIB_OK or ATTRIB_ENOMEM. */
attrib_status attrib__strlist_push(char ***list, size_t *n, const char *text);
void attrib__strlist_free(char **list, size_t n);

#endif
