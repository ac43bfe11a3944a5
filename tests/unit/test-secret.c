#include "build-config.h"

#include "secret.h"
#include "tap.h"

static void test_secret(void) {
	tap_ok(secret_equal("abc", 3, "abc", 3), "secret_equal same");
	tap_ok(!secret_equal("abd", 3, "abc", 3), "secret_equal differs");
	tap_ok(!secret_equal("ab", 2, "abc", 3), "secret_equal prefix");
	tap_ok(!secret_equal("abcd", 4, "abc", 3), "secret_equal longer");
	tap_ok(!secret_equal("", 0, "a", 1), "secret_equal empty");
}

int main(void) {
	test_secret();
	return tap_done();
}
