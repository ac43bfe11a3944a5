#include "build-config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "base64.h"
#include "glob.h"
#include "number.h"
#include "secret.h"
#include "strbuf.h"
#include "tap.h"
#include "utf8.h"

static void test_int64(void) {
	int64_t v = 0;
	tap_ok(parse_int64("0", 0, 10, &v) && v == 0, "0");
	tap_ok(parse_int64("-12", -20, 0, &v) && v == -12, "negative");
	tap_ok(parse_int64("+7", 0, 10, &v) && v == 7, "explicit plus");
	tap_ok(parse_int64("9223372036854775807", INT64_MIN, INT64_MAX, &v) &&
		v == INT64_MAX, "INT64_MAX");
	tap_ok(parse_int64("-9223372036854775808", INT64_MIN, INT64_MAX, &v) &&
		v == INT64_MIN, "INT64_MIN");
	v = 42;
	const char *bad[] = { "", "-", "+", " 1", "1 ", "1x", "0x10",
		"9223372036854775808", "-9223372036854775809",
		"99999999999999999999999", "1.0", "١" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tap_ok(!parse_int64(bad[i], INT64_MIN, INT64_MAX, &v) && v == 42,
			"rejects '%s'", bad[i]);
	}
	tap_ok(!parse_int64("11", 0, 10, &v), "above max");
	tap_ok(!parse_int64("-1", 0, 10, &v), "below min");
	tap_ok(!parse_int64(NULL, 0, 10, &v), "NULL");
	tap_ok(parse_int64_n("123abc", 3, 0, 1000, &v) && v == 123,
		"slice stops at its length");
}

static void test_base64(void) {
	unsigned char out[64];
	struct {
		const char *in;
		const char *want; /* NULL: rejected */
	} cases[] = {
		{ "", "" },
		{ "Zg==", "f" }, { "Zm8=", "fo" }, { "Zm9v", "foo" },
		{ "Zm9vYg==", "foob" }, { "Zm9vYmE=", "fooba" },
		{ "Zm9vYmFy", "foobar" },            /* RFC 4648 §10 */
		{ "dGplMDpUamUw", "tje0:Tje0" },     /* the seed page */
		{ "Zg", NULL }, { "Zg=", NULL }, { "Z===", NULL },
		{ "Zh==", NULL },                    /* non-zero pad bits */
		{ "Zm9=", NULL }, { "Zm 9v", NULL }, { "Zm9v\n", NULL },
		{ "Zm-_", NULL }, { "=Zm9", NULL }, { "Zg==Zg==", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long n = base64_decode(cases[i].in, strlen(cases[i].in), out,
			sizeof(out));
		if (!cases[i].want) {
			tap_int(n, -1, "base64 rejects '%s'", cases[i].in);
			continue;
		}
		tap_ok(n == (long)strlen(cases[i].want) &&
			!memcmp(out, cases[i].want, (size_t)n),
			"base64 '%s'", cases[i].in);
	}
	tap_int(base64_decode("Zm9vYmFy", 8, out, 5), -1,
		"output past the capacity is refused");
}

static void test_utf8(void) {
	struct {
		const char *s;
		bool ok;
	} cases[] = {
		{ "plain", true }, { "Leverand\xc3\xb8r", true },
		{ "\xf0\x9f\x98\x80", true }, { "\xe2\x82\xac", true },
		{ "\xc3", false }, { "\xc0\xaf", false }, { "\xe0\x80\xaf", false },
		{ "\xed\xa0\x80", false }, { "\xf4\x90\x80\x80", false },
		{ "\xff", false }, { "\x80", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tap_ok(utf8_valid(cases[i].s, strlen(cases[i].s)) == cases[i].ok,
			"utf8 case %zu", i);
	}
	struct {
		const char *s;
		size_t n;
		size_t len;    /* 0: not a character */
		uint32_t cp;
	} seqs[] = {
		{ "", 0, 0, 0 }, { "\0", 1, 1, 0 }, { "A", 1, 1, 'A' },
		{ "\x7f", 1, 1, 0x7f }, { "\xc2\x80", 2, 2, 0x80 },
		{ "\xc3\xa6x", 3, 2, 0xe6 }, { "\xdf\xbf", 2, 2, 0x7ff },
		{ "\xe0\xa0\x80", 3, 3, 0x800 },
		{ "\xed\x9f\xbf", 3, 3, 0xd7ff },
		{ "\xee\x80\x80", 3, 3, 0xe000 },
		{ "\xef\xbf\xbf", 3, 3, 0xffff },
		{ "\xf0\x90\x80\x80", 4, 4, 0x10000 },
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
		{ "\x80", 1, 0, 0 }, { "\xbf", 1, 0, 0 },
		{ "\xc0\x80", 2, 0, 0 }, { "\xc1\xbf", 2, 0, 0 },
		{ "\xe0\x9f\xbf", 3, 0, 0 }, { "\xf0\x8f\xbf\xbf", 4, 0, 0 },
		{ "\xed\xa0\x80", 3, 0, 0 }, { "\xed\xbf\xbf", 3, 0, 0 },
		{ "\xf4\x90\x80\x80", 4, 0, 0 }, { "\xf5\x80\x80\x80", 4, 0, 0 },
		{ "\xff", 1, 0, 0 }, { "\xc3", 1, 0, 0 },
		{ "\xe2\x82", 2, 0, 0 }, { "\xe2\x82\xac", 2, 0, 0 },
		{ "\xc3(", 2, 0, 0 }, { "\xe2\x28\xac", 3, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		uint32_t cp = 0xabcdef;
		size_t len = utf8_decode(seqs[i].s, seqs[i].n, &cp);
		tap_ok(len == seqs[i].len && cp == (len ? seqs[i].cp :
			0xabcdef), "utf8_decode case %zu", i);
	}
}

static void test_strings(void) {
	tap_ok(!ascii_casecmp("BatchTask", "batchtask"), "casecmp equal");
	tap_ok(ascii_casecmp("BatchTask", "batchtasks") < 0, "casecmp order");
	tap_ok(ascii_casecmp_n("FAILED!", 6, "failed"), "casecmp_n slice");
	tap_ok(!ascii_casecmp_n("fail", 4, "failed"), "casecmp_n length");
	const char *s = " \t x y \t";
	size_t n = strlen(s);
	trim_slice(&s, &n);
	tap_ok(n == 3 && !memcmp(s, "x y", 3), "trim_slice");
	tap_ok(secret_equal("abc", 3, "abc", 3), "secret_equal same");
	tap_ok(!secret_equal("abd", 3, "abc", 3), "secret_equal differs");
	tap_ok(!secret_equal("ab", 2, "abc", 3), "secret_equal prefix");
	tap_ok(!secret_equal("abcd", 4, "abc", 3), "secret_equal longer");
	tap_ok(!secret_equal("", 0, "a", 1), "secret_equal empty");
}

static void test_strbuf(void) {
	struct strbuf sb;
	strbuf_init(&sb, 16);
	strbuf_puts(&sb, "hello");
	strbuf_printf(&sb, " %d", 42);
	tap_ok(strbuf_ok(&sb) && !strcmp(sb.data, "hello 42"), "append");
	strbuf_puts(&sb, "0123456789");
	tap_ok(!strbuf_ok(&sb), "past the cap fails");
	strbuf_puts(&sb, "x");
	tap_int((long long)sb.len, 8, "later appends are no-ops");
	strbuf_finish(&sb);
	strbuf_init(&sb, 1 << 20);
	for (int i = 0; i < 1000; i++) {
		strbuf_printf(&sb, "%0300d", i);
	}
	tap_ok(strbuf_ok(&sb) && sb.len == 300000, "growth, long printf");
	strbuf_finish(&sb);
	strbuf_init(&sb, 256);
	const int64_t nums[] = { 0, 7, -7, 1234567890123, INT64_MAX, INT64_MIN };
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		strbuf_put_i64(&sb, nums[i]);
		strbuf_putc(&sb, ' ');
	}
	tap_str(sb.data, "0 7 -7 1234567890123 9223372036854775807 "
		"-9223372036854775808 ", "strbuf_put_i64, INT64_MIN included");
	strbuf_finish(&sb);
	strbuf_init(&sb, 1 << 20);
	for (int i = 0; i < 1000; i++) {
		strbuf_printf(&sb, "%0300d", i);
	}
	size_t len;
	char *p = strbuf_detach(&sb, &len);
	tap_ok(len == 300000 && !sb.data && !sb.len, "detach");
	free(p);
	p = strbuf_detach(&sb, &len);
	tap_ok(p && !*p && !len, "detach empty gives \"\"");
	free(p);
}

static void test_glob(void) {
	struct {
		const char *p, *s;
		bool ok;
	} cases[] = {
		{ "/api/v1/BatchTask/*", "/api/v1/BatchTask/All", true },
		{ "/api/v1/batchtask/*", "/API/v1/BatchTask/All", true },
		{ "*/BatchTask/*", "/Cust1/api/v1/BatchTask/5", true },
		{ "*", "", true }, { "", "", true }, { "", "x", false },
		{ "/a?c", "/abc", true }, { "/a?c", "/ac", false },
		{ "*a*b*c", "xxaxxbxxc", true }, { "*a*b*c", "xxaxxcxxb", false },
		{ "/api/*/Agents/*", "/api/v1/BatchTask/All", false },
		{ "a**b", "ab", true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tap_ok(glob_match(cases[i].p, cases[i].s) == cases[i].ok,
			"glob '%s' ~ '%s'", cases[i].p, cases[i].s);
	}
	/* a pathological pattern stays fast: one backtrack point */
	char s[4097];
	memset(s, 'a', 4096);
	s[4096] = '\0';
	tap_ok(!glob_match("*a*a*a*a*a*a*a*a*a*b", s), "no blow-up");
}

int main(void) {
	test_glob();
	test_int64();
	test_base64();
	test_utf8();
	test_strings();
	test_strbuf();
	return tap_done();
}
