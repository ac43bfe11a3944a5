#include "build-config.h"

#include <string.h>

#include "ascii.h"
#include "tap.h"

static void test_ascii(void) {
	tap_ok(!ascii_casecmp("BatchTask", "batchtask"), "casecmp equal");
	tap_ok(ascii_casecmp("BatchTask", "batchtasks") < 0, "casecmp order");
	tap_ok(ascii_casecmp_n("FAILED!", 6, "failed"), "casecmp_n slice");
	tap_ok(!ascii_casecmp_n("fail", 4, "failed"), "casecmp_n length");
	const char *s = " \t x y \t";
	size_t n = strlen(s);
	trim_slice(&s, &n);
	tap_ok(n == 3 && !memcmp(s, "x y", 3), "trim_slice");
}

int main(void) {
	test_ascii();
	return tap_done();
}
