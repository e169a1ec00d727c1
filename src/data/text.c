/*
 * Text checks and quoting for the data stage: UTF-8 validation (header names
 * and text cells must be UTF-8: JSON output and the HTML report need it) and
 * the quoting of user text in messages, so a control byte or a stray Latin-1
 * byte never reaches a terminal or a JSON string raw.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "data/data_internal.h"

/* RFC 3629, section 4 (the UTF8-octets grammar): no overlong forms, no
 * surrogates (U+D800..DFFF), nothing above U+10FFFF. */
size_t attrib__utf8_invalid(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    /* ASCII runs, 8 bytes at a time */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    else return i;
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; k++)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    i += len;
  }
  return n;
}

void attrib__quote(char *dst, size_t cap, const char *s, size_t n) {
  if (cap == 0) return;
  size_t o = 0;
  /* room for the closing quote, "..." and the NUL */
  const size_t reserve = 5;
  int cut = 0;
  if (cap > reserve) dst[o++] = '\'';
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    char tmp[8];
    size_t tl;
    if (c >= 0x80) {
      size_t bad = attrib__utf8_invalid(s + i, n - i);
      if (bad > 0) { /* a valid multi-byte sequence: copy it whole */
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (o + len + reserve > cap) {
          cut = 1;
          break;
        }
        memcpy(dst + o, s + i, len);
        o += len, i += len;
        continue;
      }
      tl = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", c);
    } else if (c < 0x20 || c == 0x7F) {
      tl = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", c);
    } else {
      tmp[0] = (char)c, tl = 1;
    }
    if (o + tl + reserve > cap) {
      cut = 1;
      break;
    }
    memcpy(dst + o, tmp, tl);
    o += tl, i++;
  }
  if (cap > reserve) {
    if (cut) memcpy(dst + o, "...", 3), o += 3;
    dst[o++] = '\'';
  }
  dst[o < cap ? o : cap - 1] = '\0';
}
