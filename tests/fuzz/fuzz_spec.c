/*
 * libFuzzer target: the ROI spec reader (INI and JSON, src/cli/cli_spec.c)
 * on arbitrary bytes. Checked: a failure has a one-line message that names
 * the file; a success gives options that are all "--name" flags followed
 * by a value, never an empty string, so the
 * command's own option parser sees exactly what the file said.
 */
#include <stdint.h>
#include <string.h>

#include "cli/cli.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20)) return 0;
  int argc = 0;
  char **argv = NULL;
  char err[1024];
  err[0] = '\0';
  int bad = cli_spec_parse("spec.ini", (const char *)data, size, &argc, &argv, err, sizeof err);
  if (bad) {
    FUZZ_CHECK(argv == NULL && argc == 0, "a failure returns no options");
    FUZZ_CHECK(!strncmp(err, "spec.ini: ", 10), "the message names the file");
    FUZZ_CHECK(!strchr(err, '\n'), "the message is one line");
    return 0;
  }
  FUZZ_CHECK(argc % 2 == 0, "options come in pairs");
  for (int i = 0; i < argc; i += 2) {
    FUZZ_CHECK(!strncmp(argv[i], "--", 2) && argv[i][2], "a flag");
    FUZZ_CHECK(argv[i + 1][0] != '\0', "a non-empty value");
  }
  FUZZ_CHECK(argc == 0 || argv[argc] == NULL, "NULL-terminated");
  cli_spec_free(argc, argv);
  return 0;
}
