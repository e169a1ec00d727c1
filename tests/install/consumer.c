/* A client of the installed library (tests/install/run.sh): public headers
 * only, one call that touches the library's dependencies (the settings
 * reader parses JSON with jansson), so a missing link dependency fails. */
#include <stdio.h>
#include <string.h>
#include <attrib/attrib.h>

int main(void) {
  static const char text[] = "{\"effect\": 800}";
  attrib_settings *s = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  if (attrib_settings_read("s.json", text, strlen(text), NULL, &s, &err) != ATTRIB_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  printf("attrib %s: %s = %s\n", attrib_version(), s->entries[0].key, s->entries[0].text);
  attrib_settings_free(s);
  return 0;
}
