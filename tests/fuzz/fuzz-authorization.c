/*
 * tests/fuzz/fuzz-authorization.c: the Authorization header. Splits the
 * scheme off (auth_split_scheme), then decodes the credentials as Basic
 * (auth_basic_decode) and as raw base64 (base64_decode) into buffers of
 * exact size, so any overrun is an ASan report.
 */
#include "fuzz.h"

#include "auth.h"
#include "base64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *header = fuzz_cstr(data, size);
	size_t hlen = strlen(header);
	const char *scheme = NULL;
	const char *cred = header;
	size_t scheme_len = 0;
	size_t cred_len = hlen;
	if (auth_split_scheme(header, &scheme, &scheme_len, &cred,
			&cred_len)) {
		FUZZ_CHECK(scheme_len > 0);
		FUZZ_CHECK(fuzz_within(scheme, scheme_len, header, hlen));
		FUZZ_CHECK(fuzz_within(cred, cred_len, header, hlen));
	}
	/* Basic into a buffer the size auth.c uses, and into tiny ones */
	size_t caps[] = { 0, 1, 2, 5, 512 };
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		char *buf = malloc(caps[i] ? caps[i] : 1);
		const char *name = NULL;
		const char *pass = NULL;
		size_t name_len = 0;
		size_t pass_len = 0;
		if (auth_basic_decode(cred, cred_len, buf, caps[i], &name,
				&name_len, &pass, &pass_len)) {
			FUZZ_CHECK(name_len > 0);
			FUZZ_CHECK(fuzz_within(name, name_len, buf, caps[i]));
			FUZZ_CHECK(fuzz_within(pass, pass_len, buf, caps[i]));
			FUZZ_CHECK(!memchr(name, ':', name_len));
			FUZZ_CHECK(name_len + 1 + pass_len < caps[i]);
		}
		free(buf);
	}
	/* strict base64 over the whole input, embedded NULs included */
	size_t cap = size / 4 * 3 + 3;
	unsigned char *out = malloc(cap);
	long n = base64_decode((const char *)data, size, out, cap);
	FUZZ_CHECK(n >= -1 && (n < 0 || (size_t)n <= cap));
	if (n >= 0) {
		FUZZ_CHECK(size % 4 == 0);
		/* a too-small buffer must be refused, never overrun */
		if (n > 0) {
			unsigned char *small = malloc((size_t)n - 1 ? (size_t)n - 1 : 1);
			FUZZ_CHECK(base64_decode((const char *)data, size, small,
				(size_t)n - 1) == -1);
			free(small);
		}
	}
	free(out);
	free(header);
	return 0;
}
