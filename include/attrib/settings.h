/*
 * Settings files: the bytes of an INI or JSON file of key/value settings
 * (the CLI's --spec FILE for roi and analyze) as an ordered, typed list of
 * entries. The reader knows the two formats and refuses what it cannot read
 * exactly; what a setting means (which flag or option it becomes, whether
 * an amount is valid) is the caller's: a check hook sees each entry as it
 * is read, so the first problem in the file is the one reported.
 *
 * INI: "key = value" lines; "[name]" starts a section; blank lines and
 * lines starting with '#' or ';' are skipped; blanks around keys and values
 * and a trailing '\r' are ignored; a line may be of any length. JSON (the
 * file's first non-blank byte is '{'): an object of settings, a section
 * being a member whose value is an object; duplicate keys are refused.
 */
#ifndef ATTRIB_SETTINGS_H
#define ATTRIB_SETTINGS_H

#include <stddef.h>
#include <attrib/export.h>
#include <attrib/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attrib_setting_kind {
  ATTRIB_SETTING_TEXT,   /* an INI value, or a JSON string */
  ATTRIB_SETTING_NUMBER, /* a JSON number */
  ATTRIB_SETTING_LIST,   /* a JSON array of numbers (only in options.list_sections) */
  ATTRIB_SETTING_SWITCH  /* a key in options.switches: on or off (number 1 or 0; text "true" or "false") */
} attrib_setting_kind;

typedef struct attrib_setting {
  char *section; /* the section's name as listed in options.sections; NULL at the top level */
  char *key;     /* as written: a top-level key and an INI key are letters, digits, '_' and '-';
                    a JSON section member's key is non-empty and holds no '=' */
  /* The value as text, never empty: an INI value as written (blanks around
   * it removed), a JSON string as is, a JSON number in the shortest decimal
   * that reads back as the same double (integers as integers), a list as
   * its numbers so written, joined by ','. */
  char *text;
  attrib_setting_kind kind;
  double number;  /* ATTRIB_SETTING_NUMBER: the value (integers beyond 2^53 rounded); else 0 */
  double *values; /* ATTRIB_SETTING_LIST: its numbers (at least one); else NULL */
  size_t n_values;
  size_t line; /* 1-based line of an INI entry; 0 for JSON (its parser reports no positions of values) */
} attrib_setting;

typedef struct attrib_settings {
  attrib_setting *entries; /* in file order */
  size_t n;
} attrib_settings;

/* Called with each entry as soon as it is read, in file order. Returns
 * ATTRIB_OK to go on; anything else stops the read, which returns that
 * status with err as the hook filled it (err may be NULL). */
typedef attrib_status (*attrib_settings_check_fn)(void *ctx, const char *name, const attrib_setting *entry,
                                                  attrib_error *err);

typedef struct attrib_settings_options {
  /* NULL-terminated names of the sections the file may have; any other is
   * refused, with the list in the message. NULL: sections are refused in
   * INI, and a JSON object where a value belongs is refused. */
  const char *const *sections;
  /* NULL-terminated names of the sections whose JSON members may be arrays
   * of numbers (ATTRIB_SETTING_LIST); NULL: none. */
  const char *const *list_sections;
  /* NULL-terminated top-level keys that are on/off switches ('-' and '_'
   * alike): their value must be JSON true or false, or in INI true or
   * false (also yes/no, on/off, 1/0); anything else is refused naming the
   * key. NULL: none (JSON true and false are then refused everywhere). */
  const char *const *switches;
  attrib_settings_check_fn check; /* NULL: none */
  void *check_ctx;
} attrib_settings_options;

/* No sections, no lists, no check. */
ATTRIB_API void attrib_settings_options_init(attrib_settings_options *o);

/*
 * Reads text[0..len) (not NUL-terminated; a NUL byte is refused) as
 * settings. name is the file's name for messages, which all start with it:
 * "spec.ini: line 3: expected key = value". opts NULL: the defaults of
 * attrib_settings_options_init. out: a new list (attrib_settings_free),
 * NULL on failure. Returns ATTRIB_OK, ATTRIB_EPARSE (with err->line, and
 * err->column for JSON syntax, when known), ATTRIB_ENOMEM, ATTRIB_EINVAL (a
 * NULL argument) or the check hook's status. Refused: a line that is
 * neither a section header, a comment nor key = value; a key that is not a
 * setting name; an empty value; an unknown section; in JSON, invalid
 * syntax, a document that is not an object, duplicate keys, and an array,
 * object, true, false or null where a value belongs (true and false are a
 * switch's values); a switch's value other than on or off. Thread-safe.
 */
ATTRIB_API attrib_status attrib_settings_read(const char *name, const char *text, size_t len,
                                              const attrib_settings_options *opts, attrib_settings **out,
                                              attrib_error *err);

/* Frees s and its entries; NULL does nothing. */
ATTRIB_API void attrib_settings_free(attrib_settings *s);

#ifdef __cplusplus
}
#endif

#endif
