#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "tap.h"
#include "utf8.h"

/*
 * The lines written while @fn runs, through a memory sink; owned, NULL on
 * failure.
 */
static char *capture(void (*fn)(void)) {
	char *buf = NULL;
	size_t len = 0;
	FILE *sink = open_memstream(&buf, &len);
	if (!sink) {
		return NULL;
	}
	log_set_sink(sink);
	fn();
	log_set_sink(NULL);
	if (fclose(sink)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void access_odd_path(void) {
	log_access("GET", "/api/v1/BatchTask/\xc3\xa6\xff", 404, 1.5, 53);
}

static void access_control_bytes(void) {
	log_access("G\"T", "/a\nb\\c\x01", 400, 0.25, 0);
}

static void error_odd_bytes(void) {
	log_error("cannot open '%s'", "\xe2\x82\xac\xc0\xaf\n");
}

static void debug_line(void) {
	log_debug("not shown at LOG_INFO");
}

/* @text is one line holding one JSON object; it, owned, or NULL. */
static json_t *one_object(const char *text) {
	size_t n = text ? strlen(text) : 0;
	if (!n || text[n - 1] != '\n' || memchr(text, '\n', n - 1) ||
			!utf8_valid(text, n)) {
		return NULL;
	}
	json_t *v = json_loads(text, 0, NULL);
	if (v && !json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static void test_json(void) {
	log_set_level(LOG_INFO);
	log_set_json(true);
	char *got = capture(access_odd_path);
	json_t *v = one_object(got);
	tap_ok(v != NULL, "access line: one JSON object, one line, UTF-8");
	tap_str(json_string_value(json_object_get(v, "path")),
		"/api/v1/BatchTask/\xc3\xa6\xef\xbf\xbd",
		"the path's characters kept, the invalid byte U+FFFD");
	tap_str(json_string_value(json_object_get(v, "method")), "GET",
		"method");
	tap_int(json_integer_value(json_object_get(v, "status")), 404,
		"status");
	tap_int(json_integer_value(json_object_get(v, "associate")), 53,
		"associate");
	json_decref(v);
	free(got);

	got = capture(access_control_bytes);
	v = one_object(got);
	tap_str(json_string_value(json_object_get(v, "path")), "/a\nb\\c\x01",
		"newline, backslash and control bytes escaped, not raw");
	tap_str(json_string_value(json_object_get(v, "method")), "G\"T",
		"a quote in the method escaped");
	json_decref(v);
	free(got);

	got = capture(error_odd_bytes);
	v = one_object(got);
	tap_str(json_string_value(json_object_get(v, "message")),
		"cannot open '\xe2\x82\xac\xef\xbf\xbd\xef\xbf\xbd\n'",
		"a message line is JSON too, bad bytes U+FFFD");
	tap_str(json_string_value(json_object_get(v, "level")), "error",
		"its level");
	json_decref(v);
	free(got);
	log_set_json(false);
}

static void test_text(void) {
	log_set_level(LOG_INFO);
	char *got = capture(access_odd_path);
	tap_str(got, "GET /api/v1/BatchTask/\xc3\xa6\xff 404 1.500ms\n",
		"text access line: METHOD PATH STATUS ms");
	free(got);
	got = capture(debug_line);
	tap_str(got, "", "a debug line is not written at LOG_INFO");
	free(got);
	log_set_level(LOG_ERROR);
	got = capture(access_odd_path);
	tap_str(got, "", "no access line below LOG_INFO");
	free(got);
}

int main(void) {
	test_json();
	test_text();
	return tap_done();
}
