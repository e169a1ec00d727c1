#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>

#include <attrib/status.h>
#include <attrib/version.h>
#include "core/attrib_internal.h"

static const char *const status_names[] = {
#define NAME(name, msg) "ATTRIB_" #name,
    ATTRIB_STATUS_LIST(NAME)
#undef NAME
};

static const char *const status_messages[] = {
#define MSG(name, msg) msg,
    ATTRIB_STATUS_LIST(MSG)
#undef MSG
};

const char *attrib_status_name(attrib_status code) {
  if ((unsigned)code >= ATTRIB_STATUS_COUNT) return "ATTRIB_UNKNOWN";
  return status_names[code];
}

const char *attrib_strerror(attrib_status code) {
  if ((unsigned)code >= ATTRIB_STATUS_COUNT) return "unknown status";
  return status_messages[code];
}

const char *attrib_version(void) { return ATTRIB_VERSION_TEXT; }

void attrib_blas_threads(int n) { openblas_set_num_threads(n > 0 ? n : 1); }

void attrib_error_clear(attrib_error *err) {
  if (!err) return;
  err->code = ATTRIB_OK;
  err->line = 0;
  err->column = 0;
  err->offset = SIZE_MAX;
  err->option = NULL;
  err->message[0] = '\0';
}

static void vfill(attrib_error *err, attrib_status code, size_t line, size_t column,
                  const char *fmt, va_list ap) {
  err->code = code;
  err->line = line;
  err->column = column;
  err->offset = SIZE_MAX;
  err->option = NULL;
  int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
  if (n >= 0 && (size_t)n >= sizeof err->message) {
    /* The message has a fixed size (it lives in the caller's attrib_error):
     * a longer one ends in "..." at a character boundary, so that a cut
     * shows and never splits a UTF-8 sequence. The data itself is never
     * cut: only this sentence about it. */
    static const char mark[] = "...";
    size_t end = sizeof err->message - sizeof mark;
    while (end > 0 && ((unsigned char)err->message[end] & 0xC0) == 0x80) end--;
    memcpy(err->message + end, mark, sizeof mark);
  }
}

attrib_status attrib__fail(attrib_error *err, attrib_status code, const char *fmt, ...) {
  if (!err) return code;
  va_list ap;
  va_start(ap, fmt);
  vfill(err, code, 0, 0, fmt, ap);
  va_end(ap);
  return code;
}

attrib_status attrib__fail_at(attrib_error *err, attrib_status code, size_t line, size_t column,
                              const char *fmt, ...) {
  if (!err) return code;
  va_list ap;
  va_start(ap, fmt);
  vfill(err, code, line, column, fmt, ap);
  va_end(ap);
  return code;
}

attrib_status attrib__fail_option(attrib_error *err, attrib_status code, const char *option, const char *fmt, ...) {
  if (!err) return code;
  va_list ap;
  va_start(ap, fmt);
  vfill(err, code, 0, 0, fmt, ap);
  va_end(ap);
  err->option = option;
  return code;
}

attrib_status attrib__check_level(double level, const char *option, attrib_error *err) {
  if (level > 0.0 && level < 1.0) return ATTRIB_OK; /* NaN fails here too */
  return attrib__fail_option(err, ATTRIB_EUSAGE, option,
                             "the confidence level must be strictly between 0 and 1 (0.95 for 95%% intervals), got %g",
                             level);
}

void attrib_library_init(void) { gsl_set_error_handler_off(); }
