#include "build-config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_string.h"
#include "strbuf.h"
#include "tap.h"
#include "utf8.h"

#define FFFD "\xef\xbf\xbd"

/* json_string_append() of @n bytes at @in; owned, NULL on failure */
static char *escape(const char *in, size_t n) {
	struct strbuf sb;
	strbuf_init(&sb, 1 << 16);
	json_string_append(&sb, in, n);
	return strbuf_ok(&sb) ? strbuf_detach(&sb, NULL) : NULL;
}

/* What jansson writes for the same (valid UTF-8) bytes; owned. */
static char *jansson(const char *in, size_t n) {
	json_t *v = json_stringn(in, n);
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(v);
	return s;
}

static void same_as_jansson(const char *in, size_t n, const char *what) {
	char *got = escape(in, n);
	char *want = jansson(in, n);
	tap_str(got, want, "as jansson writes it: %s", what);
	free(got);
	free(want);
}

#define SAME(in, what) same_as_jansson(in, sizeof(in) - 1, what)

static void test_valid(void) {
	SAME("", "empty");
	SAME("plain /api/v1/BatchTask/All", "plain, '/' unescaped");
	SAME("quote \" backslash \\ tab \t nl \n cr \r bs \b ff \f",
		"named escapes");
	SAME("\x01\x1f\x7f", "\\u0001, \\u001F upper case, DEL raw");
	SAME("Leverand\xc3\xb8r \xe2\x82\xac \xf0\x9f\x98\x80",
		"2-, 3- and 4-byte UTF-8 raw");
	SAME("\xe2\x80\xa8\xe2\x80\xa9", "U+2028 and U+2029 raw");
	SAME("\xef\xbf\xbf\xf4\x8f\xbf\xbf", "U+FFFF and U+10FFFF raw");
	SAME("a\0b", "NUL as \\u0000");
	char all[128];
	for (int i = 0; i < 128; i++) {
		all[i] = (char)i;
	}
	same_as_jansson(all, sizeof(all), "every ASCII byte");
}

static void bad(const char *in, size_t n, const char *want,
		const char *what) {
	char *got = escape(in, n);
	tap_str(got, want, "%s", what);
	free(got);
}

#define BAD(in, want, what) bad(in, sizeof(in) - 1, want, what)

static void test_invalid(void) {
	BAD("\xff", "\"" FFFD "\"", "a byte that is never UTF-8");
	BAD("/\xc3\xa6\xff", "\"/\xc3\xa6" FFFD "\"",
		"a valid character then an invalid byte");
	BAD("\x80\xbf", "\"" FFFD FFFD "\"",
		"stray continuation bytes, one U+FFFD each");
	BAD("a\xc3", "\"a" FFFD "\"", "truncated at the end");
	BAD("\xe2\x82\"", "\"" FFFD FFFD "\\\"\"",
		"truncated before a quote, which is still escaped");
	BAD("\xc0\xaf", "\"" FFFD FFFD "\"", "overlong '/'");
	BAD("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"", "a surrogate");
	BAD("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"",
		"past U+10FFFF");
	/* the length is the caller's: a sequence cut by it is not valid */
	bad("\xc3\xa6", 1, "\"" FFFD "\"", "a sequence cut by the length");
}

/* Any bytes in: the output is valid UTF-8 and one JSON string. */
static void test_any_bytes(void) {
	uint32_t seed = 12345;
	int good = 0;
	const int rounds = 2000;
	for (int r = 0; r < rounds; r++) {
		unsigned char in[32];
		size_t n = (size_t)r % sizeof(in);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = (unsigned char)(seed >> 16);
		}
		char *got = escape((const char *)in, n);
		json_t *v = got ? json_loads(got, JSON_DECODE_ANY |
			JSON_ALLOW_NUL, NULL) : NULL;
		if (v && json_is_string(v) && utf8_valid(got, strlen(got)) &&
				(!utf8_valid((const char *)in, n) ||
				(json_string_length(v) == n && !memcmp(
				json_string_value(v), in, n)))) {
			good++;
		}
		json_decref(v);
		free(got);
	}
	tap_int(good, rounds, "random bytes: always one valid JSON string in "
		"valid UTF-8, the input itself when that was UTF-8");
}

static void test_cap(void) {
	struct strbuf sb;
	strbuf_init(&sb, 8);
	json_string_append(&sb, "\x01\x02\x03", 3);
	tap_ok(!strbuf_ok(&sb), "past the buffer cap fails cleanly");
	strbuf_finish(&sb);
}

int main(void) {
	test_valid();
	test_invalid();
	test_any_bytes();
	test_cap();
	return tap_done();
}
