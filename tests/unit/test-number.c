#include "build-config.h"

#include <stdint.h>
#include <string.h>

#include "number.h"
#include "tap.h"

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

static void test_qvalue(void) {
	struct {
		const char *s;
		int want;   /* -1: rejected */
	} cases[] = {
		{ "0", 0 }, { "1", 1000 }, { "0.5", 500 }, { "0.123", 123 },
		{ "0.", 0 }, { "1.", 1000 }, { "1.000", 1000 }, { "0.05", 50 },
		{ ".5", -1 }, { "0.1234", -1 }, { "1.5", -1 }, { "1.001", -1 },
		{ "-1", -1 }, { "2", -1 }, { "", -1 }, { "0.x", -1 },
		{ "0,5", -1 }, { " 1", -1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int v = 42;
		bool ok = parse_qvalue(cases[i].s, strlen(cases[i].s), &v);
		if (cases[i].want < 0) {
			tap_ok(!ok && v == 42, "qvalue rejects '%s'", cases[i].s);
		} else {
			tap_ok(ok && v == cases[i].want, "qvalue '%s'",
				cases[i].s);
		}
	}
}

int main(void) {
	test_int64();
	test_qvalue();
	return tap_done();
}
