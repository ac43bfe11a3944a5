/*
 * tests/fuzz/fuzz-cookie.c: the Cookie header (auth_cookie_value) for the
 * names auth.c asks for and a few awkward ones. A found value must lie
 * inside the header.
 */
#include "fuzz.h"

#include "auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static const char *const names[] = {
		"ASP.NET_SessionId", "XSRF-TOKEN", "a", "", "=", ";",
	};
	char *cookie = fuzz_cstr(data, size);
	size_t clen = strlen(cookie);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *value = NULL;
		size_t len = 0;
		if (auth_cookie_value(cookie, names[i], &value, &len)) {
			FUZZ_CHECK(fuzz_within(value, len, cookie, clen));
		}
	}
	free(cookie);
	return 0;
}
