/*
 * libFuzzer target: the settings reader (attrib_settings_read,
 * src/data/settings.c; INI and JSON) on arbitrary bytes, twice: with no
 * sections, and as the roi/analyze --spec reader reads it (cli_spec_parse,
 * src/cli/cli_spec.c: sections, lists, the ROI figures' check, the mapping
 * to flags). Checked: a failure has a one-line message that names the file
 * and returns nothing; a success gives entries with a setting name, a
 * non-empty value and their INI line, and options that are all "--name"
 * flags followed by a value, never an empty string (a switch, "on" here,
 * is its flag alone), so the command's own option parser sees exactly
 * what the file said.
 */
#include <stdint.h>
#include <string.h>

#include <attrib/settings.h>

#include "cli.h"
#include "fuzz_common.h"

static void check_reader(const char *text, size_t size) {
  static attrib_settings sentinel;
  attrib_settings *s = &sentinel; /* a failure must set it to NULL */
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status st = attrib_settings_read("spec.ini", text, size, NULL, &s, &err);
  if (st) {
    FUZZ_CHECK(s == NULL, "a failure returns no list");
    FUZZ_CHECK(st == ATTRIB_EPARSE || st == ATTRIB_ENOMEM, "a failure is a parse error");
    FUZZ_CHECK(err.code == st, "the error holds the status");
    FUZZ_CHECK(!strncmp(err.message, "spec.ini: ", 10), "the message names the file");
    FUZZ_CHECK(!strchr(err.message, '\n'), "the message is one line");
    return;
  }
  size_t line = 0;
  for (size_t i = 0; i < s->n; i++) {
    const attrib_setting *e = &s->entries[i];
    FUZZ_CHECK(e->section == NULL, "no sections without a list of them");
    FUZZ_CHECK(e->key[0] != '\0' && e->text[0] != '\0', "a key and a value");
    FUZZ_CHECK(e->kind != ATTRIB_SETTING_LIST && e->values == NULL, "no lists without a list of sections");
    FUZZ_CHECK(e->line == 0 || e->line > line, "INI lines in order");
    line = e->line;
  }
  attrib_settings_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20)) return 0;
  check_reader((const char *)data, size);
  int argc = 0;
  char **argv = NULL;
  char err[1024];
  err[0] = '\0';
  static const char *const switches[] = {"on", NULL};
  int bad = cli_spec_parse("spec.ini", (const char *)data, size, switches, &argc, &argv, err, sizeof err);
  if (bad) {
    FUZZ_CHECK(argv == NULL && argc == 0, "a failure returns no options");
    FUZZ_CHECK(!strncmp(err, "spec.ini: ", 10), "the message names the file");
    FUZZ_CHECK(!strchr(err, '\n'), "the message is one line");
    return 0;
  }
  for (int i = 0; i < argc; i++) {
    FUZZ_CHECK(!strncmp(argv[i], "--", 2) && argv[i][2], "a flag");
    if (!strcmp(argv[i], "--on")) continue; /* the switch, alone */
    FUZZ_CHECK(i + 1 < argc && argv[i + 1][0] != '\0', "a non-empty value");
    i++;
  }
  FUZZ_CHECK(argc == 0 || argv[argc] == NULL, "NULL-terminated");
  cli_spec_free(argc, argv);
  return 0;
}
