#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/attrib_internal.h"

/* Failure injection for tests: thread-local so that it is not shared
 * mutable state between threads. 0 = off. */
static _Thread_local long fail_countdown;

void attrib_debug_fail_alloc_after(long k) { fail_countdown = k; }
long attrib_debug_fail_alloc_countdown(void) { return fail_countdown; }

static int injected_failure(void) {
  if (fail_countdown <= 0) return 0;
  if (fail_countdown == 1) return 1; /* stays at 1: every later call fails too */
  fail_countdown--;
  return 0;
}

static int mul_overflows(size_t a, size_t b, size_t *out) {
  if (a != 0 && b > SIZE_MAX / a) return 1;
  *out = a * b;
  return 0;
}

void *attrib__malloc(size_t count, size_t size) {
  size_t bytes;
  if (mul_overflows(count, size, &bytes) || injected_failure()) return NULL;
  return malloc(bytes ? bytes : 1);
}

void *attrib__calloc(size_t count, size_t size) {
  size_t bytes;
  if (mul_overflows(count, size, &bytes) || injected_failure()) return NULL;
  return calloc(bytes ? count : 1, bytes ? size : 1);
}

void *attrib__realloc(void *p, size_t count, size_t size) {
  size_t bytes;
  if (mul_overflows(count, size, &bytes) || injected_failure()) return NULL;
  return realloc(p, bytes ? bytes : 1);
}

void attrib__free(void *p) { free(p); }

int attrib__scratch_init(attrib__scratch *s, size_t bytes) {
  memset(s, 0, sizeof *s);
  /* one spare line so that the first pointer can be aligned up to 64 */
  if (!(s->base = attrib__malloc(bytes + 64, 1))) return -1;
  s->cap = bytes + 64;
  return 0;
}

void attrib__scratch_release(attrib__scratch *s) {
  if (!s) return;
  attrib__free(s->base);
  memset(s, 0, sizeof *s);
}

void *attrib__scratch_malloc(attrib__scratch *s, size_t count, size_t size) {
  size_t bytes;
  if (!s || !s->base || mul_overflows(count, size, &bytes) || bytes > SIZE_MAX / 2) return attrib__malloc(count, size);
  size_t start = (size_t)((64 - (uintptr_t)(s->base + s->used) % 64) % 64) + s->used;
  size_t need = bytes ? bytes : 1;
  if (start > s->cap || need > s->cap - start) return attrib__malloc(count, size); /* the estimate fell short */
  s->used = start + need;
  return s->base + start;
}

void *attrib__scratch_calloc(attrib__scratch *s, size_t count, size_t size) {
  void *p = attrib__scratch_malloc(s, count, size);
  if (p) memset(p, 0, count * size); /* count * size did not overflow: p came back */
  return p;
}

void attrib__scratch_free(attrib__scratch *s, void *p) {
  if (!p) return;
  if (s && s->base && (uintptr_t)p >= (uintptr_t)s->base && (uintptr_t)p < (uintptr_t)(s->base + s->cap)) return;
  attrib__free(p);
}

char *attrib__strndup(const char *s, size_t n) {
  char *d = attrib__malloc(n + 1, 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *attrib__strdup(const char *s) { return attrib__strndup(s, strlen(s)); }

/* Below this size malloc is as good; above it, a mapping of its own is
 * returned to the system whole when freed. */
#define LARGE_THRESHOLD ((size_t)1 << 16)

void *attrib__alloc_large(size_t bytes) {
  if (bytes < LARGE_THRESHOLD) return attrib__malloc(bytes, 1);
  if (injected_failure()) return NULL;
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
#ifdef MADV_NOHUGEPAGE
  /* Small pages, whatever the system's THP setting. On the project's
   * machine (a Firecracker guest whose balloon reports free 2 MiB blocks
   * to the host) a fresh huge page is always such a reported block, which
   * the host must fault back in: first touch of 1.5 GiB cost 2.2-2.7 s of
   * system time with MADV_HUGEPAGE and 0.5-1.4 s with small pages, and the
   * 10M-row load's system time fell from 2.7-3.3 s to 1.0 s
   * (benchmarks/README.md, "issue 19: load"). Advisory: failure is
   * harmless. */
  (void)madvise(p, bytes, MADV_NOHUGEPAGE);
#endif
  return p;
}

void attrib__free_large(void *p, size_t bytes) {
  if (!p) return;
  if (bytes < LARGE_THRESHOLD) {
    free(p);
    return;
  }
  munmap(p, bytes);
}

int attrib__ieq(const char *s, size_t n, const char *word) {
  /* ASCII case folding without the locale: words here are ASCII letters */
  size_t i = 0;
  for (; i < n && word[i]; i++)
    if (((unsigned char)s[i] | 0x20) != ((unsigned char)word[i] | 0x20)) return 0;
  return i == n && word[i] == '\0';
}

size_t attrib__edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return (size_t)-1; /* names that long are not typos */
  size_t prev[65], cur[65];
  for (size_t j = 0; j <= lb; j++) prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, (lb + 1) * sizeof *prev);
  }
  return prev[lb];
}

void attrib__sbuf_add(attrib__sbuf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    char *t = attrib__realloc(b->s, cap, 1);
    if (!t) {
      b->failed = 1;
      return;
    }
    b->s = t;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

/* Formats straight into the buffer, grown to the length vsnprintf reports:
 * no intermediate array, so no length of argument is ever cut (a formula
 * of 120 covariates once lost 35 of them to a 512-byte scratch array). */
void attrib__sbuf_addf(attrib__sbuf *b, const char *fmt, ...) {
  if (b->failed) return;
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  int n = vsnprintf(room ? b->s + b->len : NULL, room, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    if (b->s) b->s[b->len] = '\0';
    va_end(ap2);
    return;
  }
  if ((size_t)n >= room) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + (size_t)n + 1) {
      if (cap > SIZE_MAX / 2) {
        b->failed = 1;
        va_end(ap2);
        return;
      }
      cap *= 2;
    }
    char *t = attrib__realloc(b->s, cap, 1);
    if (!t) {
      b->failed = 1;
      if (b->s) b->s[b->len] = '\0';
      va_end(ap2);
      return;
    }
    b->s = t;
    b->cap = cap;
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap2);
  }
  va_end(ap2);
  b->len += (size_t)n;
}

/* Is s[0..n) a well-formed UTF-8 sequence starting at s[0]? Returns its
 * length (2-4), or 0 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (!len || c > 0xF4 || n < len) return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && s[1] < 0xA0) return 0;
  if (c == 0xED && s[1] > 0x9F) return 0;
  if (c == 0xF0 && s[1] < 0x90) return 0;
  if (c == 0xF4 && s[1] > 0x8F) return 0;
  return len;
}

static void add_escaped_range(attrib__sbuf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, run = 0; /* run: start of the bytes copied as they are */
  while (i < n) {
    size_t len = u[i] < 0x80 ? (u[i] >= 0x20 && u[i] != 0x7F) : utf8_seq(u + i, n - i);
    if (len) {
      i += len;
      continue;
    }
    attrib__sbuf_add(b, s + run, i - run);
    char e[4] = {'\\', 'x', hex[u[i] >> 4], hex[u[i] & 15]};
    attrib__sbuf_add(b, e, 4);
    run = ++i;
  }
  attrib__sbuf_add(b, s + run, n - run);
}

/* Cuts n back to a character boundary (never inside a UTF-8 sequence). */
static size_t char_floor(const char *s, size_t n) {
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}

void attrib__sbuf_add_escaped(attrib__sbuf *b, const char *s, size_t n, size_t max) {
  if (max && n > max) {
    size_t half = char_floor(s, max / 2), tail = n - max / 2;
    while (tail < n && ((unsigned char)s[tail] & 0xC0) == 0x80) tail++;
    add_escaped_range(b, s, half);
    attrib__sbuf_addf(b, "...(%zu bytes in all)...", n);
    add_escaped_range(b, s + tail, n - tail);
    return;
  }
  add_escaped_range(b, s, n);
}

size_t attrib__utf8_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

void attrib__sbuf_free(attrib__sbuf *b) {
  attrib__free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}

char *attrib__arena_strndup(attrib__arena *a, const char *s, size_t n) {
  attrib__arena_block *b = a->head;
  if (!b || b->cap - b->used < n + 1) {
    size_t cap = n + 1 > 65536 ? n + 1 : 65536;
    b = attrib__malloc(1, sizeof *b + cap);
    if (!b) return NULL;
    b->next = a->head;
    b->used = 0;
    b->cap = cap;
    a->head = b;
  }
  char *d = b->data + b->used;
  memcpy(d, s, n);
  d[n] = '\0';
  b->used += n + 1;
  return d;
}

void attrib__arena_free(attrib__arena *a) {
  while (a && a->head) {
    attrib__arena_block *next = a->head->next;
    attrib__free(a->head);
    a->head = next;
  }
}

attrib_status attrib__strlist_push(char ***list, size_t *n, const char *text) {
  char **l = attrib__realloc(*list, *n + 1, sizeof *l);
  if (!l) return ATTRIB_ENOMEM;
  *list = l;
  if (!(l[*n] = attrib__strdup(text))) return ATTRIB_ENOMEM;
  (*n)++;
  return ATTRIB_OK;
}

void attrib__strlist_free(char **list, size_t n) {
  for (size_t i = 0; list && i < n; i++) attrib__free(list[i]);
  attrib__free(list);
}
