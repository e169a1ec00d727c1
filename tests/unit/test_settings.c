/* The settings reader (include/attrib/settings.h): entries in file order
 * with their kinds, numbers and INI lines, the caller's sections and list
 * sections, the check hook stopping the read at the first problem, and the
 * refusals a front end's users see (the CLI's --spec goldens hold the rest
 * of the messages). */
#include <string.h>

#include <attrib/settings.h>

#include "test_support.h"

static const char *const sections[] = {"costs", "benefits", "sweep", NULL};
static const char *const lists[] = {"sweep", NULL};

static attrib_status read_text(const char *text, const attrib_settings_options *o, attrib_settings **s,
                               attrib_error *err) {
  attrib_error_clear(err);
  return attrib_settings_read("f", text, strlen(text), o, s, err);
}

/* the status, and with msg the message */
#define expect(call, status, msg) expect_at((call), (status), (msg), &err, __LINE__)
static void expect_at(attrib_status got, attrib_status status, const char *msg, const attrib_error *err, int line) {
  if (got != status) fail_msg("line %d: status %d, expected %d (%s)", line, (int)got, (int)status, err->message);
  if (msg && strcmp(err->message, msg)) fail_msg("line %d: message '%s', expected '%s'", line, err->message, msg);
}

static void spec_options(attrib_settings_options *o) {
  attrib_settings_options_init(o);
  o->sections = sections;
  o->list_sections = lists;
}

static void test_ini(void **state) {
  (void)state;
  attrib_settings_options o;
  spec_options(&o);
  attrib_settings *s = NULL;
  attrib_error err;
  const char *text = "# a comment\n effect = 800 \r\n; another\n\n[costs]\nroom hire-x = 5*20\n[ sweep ]\nhorizon=1,2\n";
  expect(read_text("effect = 8\n[costs]\nprogram = 5000\n", NULL, &s, &err), ATTRIB_EPARSE, "f: line 2: unknown "
                "section [costs]; this file has none");
  assert_null(s);
  expect(read_text(text, &o, &s, &err), ATTRIB_EPARSE,
                "f: line 6: 'room hire-x' is not a setting name (letters, digits, '_' and '-')");
  assert_int_equal(err.line, 6);
  text = "# a comment\n effect = 800 \r\n; another\n\n[costs]\nroom_hire = 5*20\n[ sweep ]\nhorizon=1,2\n";
  expect(read_text(text, &o, &s, &err), ATTRIB_OK, NULL);
  assert_int_equal(s->n, 3);
  assert_null(s->entries[0].section);
  assert_string_equal(s->entries[0].key, "effect");
  assert_string_equal(s->entries[0].text, "800");
  assert_int_equal(s->entries[0].kind, ATTRIB_SETTING_TEXT);
  assert_int_equal(s->entries[0].line, 2);
  assert_string_equal(s->entries[1].section, "costs");
  assert_string_equal(s->entries[1].text, "5*20");
  assert_int_equal(s->entries[1].line, 6);
  assert_string_equal(s->entries[2].section, "sweep");
  assert_string_equal(s->entries[2].key, "horizon");
  assert_int_equal(s->entries[2].line, 8);
  attrib_settings_free(s);
  expect(read_text("[cost]\n", &o, &s, &err), ATTRIB_EPARSE,
                "f: line 1: unknown section [cost]; the sections are [costs], [benefits] and [sweep]");
  expect(read_text("a = 1\nb\n", &o, &s, &err), ATTRIB_EPARSE, "f: line 2: expected key = value");
  expect(read_text("", &o, &s, &err), ATTRIB_OK, NULL);
  assert_int_equal(s->n, 0);
  attrib_settings_free(s);
}

static void test_json(void **state) {
  (void)state;
  attrib_settings_options o;
  spec_options(&o);
  attrib_settings *s = NULL;
  attrib_error err;
  expect(read_text(" {\"effect\": 0.1, \"learners\": 9007199254740993, \"costs\": {\"a=b\": 1}}", &o, &s, &err),
                ATTRIB_EPARSE, "f: 'costs.a=b': a line's name must be non-empty and without '='");
  expect(read_text("{\"effect\": 0.1, \"learners\": 9007199254740993, \"note\": \"x\", \"sweep\": {\"effect\": "
                          "[400, 800.5]}, \"costs\": {\"room hire\": 5}}",
                          &o, &s, &err),
                ATTRIB_OK, NULL);
  assert_int_equal(s->n, 5);
  assert_int_equal(s->entries[0].kind, ATTRIB_SETTING_NUMBER);
  assert_string_equal(s->entries[0].text, "0.1");
  assert_true(s->entries[0].number == 0.1);
  assert_int_equal(s->entries[0].line, 0);
  assert_string_equal(s->entries[1].text, "9007199254740993"); /* exact, though the double is not */
  assert_int_equal(s->entries[2].kind, ATTRIB_SETTING_TEXT);
  assert_string_equal(s->entries[2].text, "x");
  assert_int_equal(s->entries[3].kind, ATTRIB_SETTING_LIST);
  assert_string_equal(s->entries[3].section, "sweep");
  assert_string_equal(s->entries[3].text, "400,800.5");
  assert_int_equal(s->entries[3].n_values, 2);
  assert_true(s->entries[3].values[1] == 800.5);
  assert_string_equal(s->entries[4].key, "room hire"); /* a line's name, not a setting name */
  attrib_settings_free(s);
  expect(read_text("{\"costs\": {\"p\": [1]}}", &o, &s, &err), ATTRIB_EPARSE,
                "f: 'costs.p': expected a number or a string, got an array");
  expect(read_text("{\"effect\": {\"a\": 1}}", &o, &s, &err), ATTRIB_EPARSE,
                "f: 'effect': expected a number or a string, got an object (only costs, benefits and sweep hold "
                "objects)");
  expect(read_text("{\"effect\": 8", &o, &s, &err), ATTRIB_EPARSE,
                "f: line 1, column 12: '}' expected near end of file");
  assert_int_equal(err.line, 1);
  assert_int_equal(err.column, 12);
  expect(read_text("{\"a\": 1, \"a\": 2}", &o, &s, &err), ATTRIB_EPARSE, NULL);
  assert_null(s);
}

typedef struct seen {
  size_t n;
  const char *stop_at;
} seen;

static attrib_status check(void *ctx, const char *name, const attrib_setting *e, attrib_error *err) {
  seen *c = ctx;
  c->n++;
  if (strcmp(e->key, c->stop_at)) return ATTRIB_OK;
  snprintf(err->message, sizeof err->message, "%s: line %zu: no %s", name, e->line, e->key);
  err->code = ATTRIB_EINVAL;
  return ATTRIB_EINVAL;
}

/* The hook sees each entry as it is read: its error comes before a later
 * line's syntax error, as the first problem in the file. */
static void test_check_hook(void **state) {
  (void)state;
  attrib_settings_options o;
  spec_options(&o);
  seen c = {0, "b"};
  o.check = check;
  o.check_ctx = &c;
  attrib_settings *s = NULL;
  attrib_error err;
  expect(read_text("a = 1\nb = 2\nthis is wrong\n", &o, &s, &err), ATTRIB_EINVAL, "f: line 2: no b");
  assert_int_equal(c.n, 2);
  assert_null(s);
}

/* Switches: on/off in INI words or JSON booleans, '-' and '_' alike, in a
 * section an ordinary key; any other value refused naming the key, and
 * JSON booleans still refused for a key that is not a switch. */
static void test_switches(void **state) {
  (void)state;
  static const char *const sw[] = {"per-outcome-rows", "no_pilot", NULL};
  attrib_settings_options o;
  spec_options(&o);
  o.switches = sw;
  attrib_settings *s = NULL;
  attrib_error err;
  expect(read_text("per_outcome_rows = Yes\nno-pilot = 0\n[costs]\nno_pilot = 5\n", &o, &s, &err), ATTRIB_OK, NULL);
  assert_int_equal(s->n, 3);
  assert_int_equal(s->entries[0].kind, ATTRIB_SETTING_SWITCH);
  assert_true(s->entries[0].number == 1.0);
  assert_string_equal(s->entries[0].text, "true");
  assert_int_equal(s->entries[0].line, 1);
  assert_int_equal(s->entries[1].kind, ATTRIB_SETTING_SWITCH);
  assert_true(s->entries[1].number == 0.0);
  assert_string_equal(s->entries[1].text, "false");
  assert_int_equal(s->entries[2].kind, ATTRIB_SETTING_TEXT); /* [costs] no_pilot: a cost line */
  attrib_settings_free(s);
  expect(read_text("{\"per-outcome-rows\": false, \"no_pilot\": true}", &o, &s, &err), ATTRIB_OK, NULL);
  assert_int_equal(s->n, 2);
  assert_true(s->entries[0].kind == ATTRIB_SETTING_SWITCH && s->entries[0].number == 0.0);
  assert_true(s->entries[1].kind == ATTRIB_SETTING_SWITCH && s->entries[1].number == 1.0);
  attrib_settings_free(s);
  expect(read_text("a = 1\nno_pilot = maybe\n", &o, &s, &err), ATTRIB_EPARSE,
         "f: line 2: 'no_pilot' is a switch: expected true or false, got 'maybe'");
  assert_int_equal(err.line, 2);
  assert_null(s);
  expect(read_text("{\"no-pilot\": \"true\"}", &o, &s, &err), ATTRIB_EPARSE,
         "f: 'no-pilot' is a switch: expected true or false, got a string");
  expect(read_text("{\"effect\": true}", &o, &s, &err), ATTRIB_EPARSE, "f: 'effect': expected a number or a string, got true");
  o.switches = NULL;
  expect(read_text("{\"no_pilot\": true}", &o, &s, &err), ATTRIB_EPARSE,
         "f: 'no_pilot': expected a number or a string, got true");
}

static void test_out_of_memory(void **state) {
  (void)state;
  attrib_settings_options o;
  spec_options(&o);
  const char *texts[] = {"effect = 8\n[costs]\na = 1\nb = 2\n[sweep]\nc = 1,2\n",
                         "{\"effect\": 8, \"costs\": {\"a\": \"1\"}, \"sweep\": {\"c\": [1, 2, 3]}}"};
  for (size_t t = 0; t < 2; t++) {
    int succeeded = 0;
    for (long k = 1; k < 200 && !succeeded; k++) {
      attrib_settings *s = NULL;
      attrib_error err;
      attrib_debug_fail_alloc_after(k);
      attrib_status st = read_text(texts[t], &o, &s, &err);
      attrib_debug_fail_alloc_after(0);
      if (st == ATTRIB_OK) {
        succeeded = 1;
        assert_int_equal(s->n, 4 - t);
      } else {
        assert_int_equal(st, ATTRIB_ENOMEM);
        assert_string_equal(err.message, "f: out of memory");
        assert_null(s);
      }
      attrib_settings_free(s);
    }
    assert_true(succeeded);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ini),
      cmocka_unit_test(test_json),
      cmocka_unit_test(test_check_hook),
      cmocka_unit_test(test_switches),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
