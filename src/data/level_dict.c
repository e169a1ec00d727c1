/*
 * The level dictionary of a text column: its distinct values in the order
 * first seen, each with its code (the index), looked up by open addressing
 * on FNV-1a. One for every source that builds categorical columns (the CSV
 * reader, the PostgreSQL source), so codes and level order are built the
 * same way whatever the table was read from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_internal.h"

/* Doubles the slots (64 at first) and re-places the codes: the load stays
 * at most one half, so a probe run is short. */
static int dict_grow(attrib__level_dict *d) {
  size_t ns = d->n_slots ? d->n_slots * 2 : 64;
  int32_t *slots = attrib__malloc(ns, sizeof *slots);
  uint32_t *hashes = attrib__malloc(ns, sizeof *hashes);
  if (!slots || !hashes) {
    attrib__free(slots);
    attrib__free(hashes);
    return 0;
  }
  for (size_t i = 0; i < ns; i++) slots[i] = -1;
  for (size_t i = 0; i < d->n_slots; i++) {
    if (d->slots[i] < 0) continue;
    size_t j = d->hashes[i] & (ns - 1);
    while (slots[j] >= 0) j = (j + 1) & (ns - 1);
    slots[j] = d->slots[i];
    hashes[j] = d->hashes[i];
  }
  attrib__free(d->slots);
  attrib__free(d->hashes);
  d->slots = slots;
  d->hashes = hashes;
  d->n_slots = ns;
  return 1;
}

int32_t attrib__level_dict_intern(attrib__level_dict *d, attrib__arena *a, const char *s, size_t n) {
  if ((d->n + 1) * 2 > d->n_slots && !dict_grow(d)) return -1;
  uint32_t h = attrib__hash_bytes(s, n);
  size_t j = h & (d->n_slots - 1);
  while (d->slots[j] >= 0) {
    int32_t c = d->slots[j];
    if (d->hashes[j] == h && d->lens[c] == n && memcmp(d->levels[c], s, n) == 0) return c;
    j = (j + 1) & (d->n_slots - 1);
  }
  if (d->n == (size_t)INT32_MAX) return -1;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 16;
    char **lv = attrib__realloc(d->levels, cap, sizeof *lv);
    if (!lv) return -1;
    d->levels = lv;
    size_t *ln = attrib__realloc(d->lens, cap, sizeof *ln);
    if (!ln) return -1;
    d->lens = ln;
    d->cap = cap;
  }
  char *copy = attrib__arena_strndup(a, s, n);
  if (!copy) return -1;
  d->levels[d->n] = copy;
  d->lens[d->n] = n;
  d->slots[j] = (int32_t)d->n;
  d->hashes[j] = h;
  return (int32_t)d->n++;
}

void attrib__level_dict_free(attrib__level_dict *d) {
  attrib__free(d->slots);
  attrib__free(d->hashes);
  attrib__free(d->levels);
  attrib__free(d->lens);
  memset(d, 0, sizeof *d);
}

typedef struct level_sort {
  char *s;
  double v;
  int32_t old;
} level_sort;

static int cmp_level_num(const void *a, const void *b) {
  const level_sort *x = a, *y = b;
  return (x->v > y->v) - (x->v < y->v);
}

static int cmp_level_str(const void *a, const void *b) {
  const level_sort *x = a, *y = b;
  return strcmp(x->s, y->s);
}

int attrib__levels_sort(char *const *levels, const size_t *lens, size_t L, char **sorted, int32_t *map) {
  level_sort *ls = attrib__malloc(L ? L : 1, sizeof *ls);
  if (!ls) return 0;
  int all_num = 1;
  for (size_t i = 0; i < L; i++) {
    ls[i].s = levels[i];
    ls[i].old = (int32_t)i;
    if (all_num && !attrib__parse_double(ls[i].s, lens ? lens[i] : strlen(ls[i].s), &ls[i].v)) all_num = 0;
  }
  qsort(ls, L, sizeof *ls, all_num ? cmp_level_num : cmp_level_str);
  for (size_t i = 0; i < L; i++) {
    if (map) map[ls[i].old] = (int32_t)i;
    sorted[i] = ls[i].s; /* the caller's strings, not copies */
  }
  attrib__free(ls);
  return 1;
}

int attrib__level_dict_sort(const attrib__level_dict *d, char **levels, int32_t *map) {
  return attrib__levels_sort(d->levels, d->lens, d->n, levels, map);
}
