/*
 * Status codes and error context.
 *
 * Every fallible public function returns an attrib_status and, when the
 * caller passes a non-NULL attrib_error, fills it with one line a person can
 * act on ("learners.csv: line 120431: 11 fields, header has 12") plus the
 * location as numbers. The list below generates the enum, the names and the
 * messages (libuv's X-macro); docs/errors.md documents it.
 */
#ifndef ATTRIB_STATUS_H
#define ATTRIB_STATUS_H

#include <stddef.h>
#include <attrib/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ATTRIB_STATUS_LIST(X)                                                  \
  X(OK, "success")                                                             \
  X(EINVAL, "invalid argument or option")                                      \
  X(ENOMEM, "out of memory")                                                   \
  X(EIO, "cannot read or write a file")                                        \
  X(EPARSE, "malformed input")                                                 \
  X(ETYPE, "value or column of the wrong type")                                \
  X(ENOCOL, "no such column")                                                  \
  X(EFORMULA, "invalid formula")                                               \
  X(EDIM, "inconsistent dimensions")                                           \
  X(ENODATA, "no usable data")                                                 \
  X(ECOLLINEAR, "collinear design")                                            \
  X(ESEPARATION, "perfect separation")                                         \
  X(ENOOVERLAP, "no overlap between treated and control units")                \
  X(ENOCONV, "did not converge")                                               \
  X(ENUMERIC, "numerical failure")                                             \
  X(EDESIGN, "degenerate design")                                             \
  X(EUSAGE, "invalid option value or combination of options")

typedef enum attrib_status {
#define ATTRIB__STATUS_ENUM(name, msg) ATTRIB_##name,
  ATTRIB_STATUS_LIST(ATTRIB__STATUS_ENUM)
#undef ATTRIB__STATUS_ENUM
  ATTRIB_STATUS_COUNT
} attrib_status;

/* Capacity of attrib_error.message. A longer message (one quoting a very
 * long column name, say) ends in "..." at a character boundary: the cut is
 * visible, and only the sentence is cut, never the data it describes.
 * Results that keep a method's error message for later use this size too. */
#define ATTRIB_ERROR_MESSAGE_MAX 512

/* Caller-owned error context. Zero-initialise it or call attrib_error_clear;
 * pass NULL to any function to keep only the returned code.
 * line and column are 1-based (0 = not applicable); offset is the 0-based
 * byte position in a formula for the caret (SIZE_MAX = not applicable;
 * count the UTF-8 characters before it for the caret's column). */
typedef struct attrib_error {
  attrib_status code;
  size_t line;
  size_t column;
  size_t offset;
  /* With ATTRIB_EUSAGE (and some ATTRIB_EINVAL): the options field the error
   * is about, as "struct.field" without the attrib_ prefix and _options
   * suffix ("did.bootstrap", "psm.caliper", "roi.learners"), a static string;
   * NULL otherwise. The message speaks of the option's meaning, never of a
   * command-line flag: where it, or any warning of a result, names an
   * option, it writes the field the same way ("psm.method ipw estimates
   * ..."), and a front end maps the field to its own spelling (the CLI to
   * --method, --bootstrap, --caliper, ...). */
  const char *option;
  char message[ATTRIB_ERROR_MESSAGE_MAX];
} attrib_error;

/* Resets err (if non-NULL) to ATTRIB_OK with an empty message. */
ATTRIB_API void attrib_error_clear(attrib_error *err);

/* "ATTRIB_ENOCOL" and so on; "ATTRIB_UNKNOWN" for a value outside the list. */
ATTRIB_API const char *attrib_status_name(attrib_status code);

/* A short generic message for the code ("no such column"). */
ATTRIB_API const char *attrib_strerror(attrib_status code);

/* Call once at program start, before any thread uses the library: turns
 * GSL's default error handler off (it aborts the process; the library
 * checks every GSL return value and reports it as an attrib_status). */
ATTRIB_API void attrib_library_init(void);

#ifdef __cplusplus
}
#endif

#endif
