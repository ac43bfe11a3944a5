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
	log_access(&(struct log_access){ .client = "127.0.0.1",
		.method = "GET", .path = "/api/v1/BatchTask/\xc3\xa6\xff",
		.status = 404, .ms = 1.5, .associate = 53,
		.reason = "No task \"7\"\n" });
}

static void access_control_bytes(void) {
	log_access(&(struct log_access){ .method = "G\"T",
		.path = "/a\nb\\c\x01", .status = 200, .ms = 0.25 });
}

static void warning_line(void) {
	log_warn("no associates");
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

/* Is @s a time as the log writes it: 2030-01-01T00:00:00.000Z? */
static bool is_time(const char *s, size_t n) {
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	if (!s || n != sizeof(shape) - 1) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		bool digit = s[i] >= '0' && s[i] <= '9';
		if (shape[i] == 'd' ? !digit : s[i] != shape[i]) {
			return false;
		}
	}
	return true;
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
	tap_str(json_string_value(json_object_get(v, "client")), "127.0.0.1",
		"client address");
	tap_str(json_string_value(json_object_get(v, "reason")),
		"No task \"7\"\n", "reason");
	const char *time = json_string_value(json_object_get(v, "time"));
	tap_ok(is_time(time, time ? strlen(time) : 0),
		"time: UTC, to the millisecond (%s)", time ? time : "none");
	json_decref(v);
	free(got);

	got = capture(access_control_bytes);
	v = one_object(got);
	tap_str(json_string_value(json_object_get(v, "path")), "/a\nb\\c\x01",
		"newline, backslash and control bytes escaped, not raw");
	tap_str(json_string_value(json_object_get(v, "method")), "G\"T",
		"a quote in the method escaped");
	tap_ok(json_is_null(json_object_get(v, "client")),
		"an unknown client is null");
	tap_ok(!json_object_get(v, "reason"), "no reason when none is given");
	json_decref(v);
	free(got);

	got = capture(error_odd_bytes);
	v = one_object(got);
	tap_str(json_string_value(json_object_get(v, "message")),
		"cannot open '\xe2\x82\xac\xef\xbf\xbd\xef\xbf\xbd\n'",
		"a message line is JSON too, bad bytes U+FFFD");
	tap_str(json_string_value(json_object_get(v, "level")), "error",
		"its level");
	tap_ok(!json_object_get(v, "source"), "no source location by default");
	time = json_string_value(json_object_get(v, "time"));
	tap_ok(is_time(time, time ? strlen(time) : 0), "and its time");
	json_decref(v);
	free(got);

	log_set_locations(true);
	got = capture(error_odd_bytes);
	v = one_object(got);
	const char *src = json_string_value(json_object_get(v, "source"));
	tap_ok(src && !strncmp(src, "test-log.c:", 11),
		"with locations: the source file and line (%s)",
		src ? src : "none");
	json_decref(v);
	free(got);
	log_set_locations(false);
	log_set_json(false);
}

/* @got without its leading time and space, if it has them; else NULL. */
static const char *after_time(const char *got) {
	const char *sp = got ? strchr(got, ' ') : NULL;
	return sp && is_time(got, (size_t)(sp - got)) ? sp + 1 : NULL;
}

static void test_text(void) {
	log_set_level(LOG_INFO);
	char *got = capture(access_odd_path);
	tap_str(after_time(got), "127.0.0.1 GET /api/v1/BatchTask/\xc3\xa6\xff "
		"404 1.500ms associate=53 reason=\"No task \\\"7\\\"\\x0a\"\n",
		"text access line: TIME CLIENT METHOD PATH STATUS ms associate "
		"reason, the reason's quotes and newline escaped");
	free(got);
	got = capture(access_control_bytes);
	tap_str(after_time(got), "- G\"T /a\\x0ab\\c\\x01 200 0.250ms "
		"associate=-\n", "control bytes in the path as \\xNN, no "
		"client, no associate, no reason");
	free(got);
	got = capture(error_odd_bytes);
	tap_ok(got && !strncmp(got, "somock: error: cannot open '", 28),
		"a message line: somock: LEVEL: message (%s)", got ? got : "");
	free(got);
	log_set_locations(true);
	got = capture(warning_line);
	tap_ok(got && !strncmp(got, "[test-log.c:", 12) &&
		strstr(got, "] warning: no associates\n"),
		"with locations: [file:line] LEVEL: message (%s)",
		got ? got : "");
	free(got);
	log_set_locations(false);
	got = capture(debug_line);
	tap_str(got, "", "a debug line is not written at LOG_INFO");
	free(got);
	log_set_level(LOG_WARN);
	got = capture(access_odd_path);
	tap_str(got, "", "no access line below LOG_INFO");
	free(got);
	got = capture(warning_line);
	tap_str(got, "somock: warning: no associates\n",
		"a warning is written at LOG_WARN, the default");
	free(got);
	log_set_level(LOG_ERROR);
	got = capture(warning_line);
	tap_str(got, "", "and not at LOG_ERROR");
	free(got);
}

int main(void) {
	test_json();
	test_text();
	return tap_done();
}
