#include "build-config.h"

#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

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

int main(void) {
	test_utf8();
	return tap_done();
}
