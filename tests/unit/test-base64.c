#include "build-config.h"

#include <string.h>

#include "base64.h"
#include "tap.h"

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

int main(void) {
	test_base64();
	return tap_done();
}
