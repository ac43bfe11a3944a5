/*
 * tests/fuzz/fuzz-accept.c: the Accept header (negotiate_accept), both as
 * the NUL-terminated value MHD gives and as an exact-length slice.
 */
#include "fuzz.h"

#include "negotiate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *exact = fuzz_dup(data, size);
	enum media_type t = negotiate_accept(exact, size);
	FUZZ_CHECK((int)t >= 0 && t < MEDIA_COUNT);
	free(exact);
	char *s = fuzz_cstr(data, size);
	t = negotiate_accept(s, strlen(s));
	FUZZ_CHECK((int)t >= 0 && t < MEDIA_COUNT);
	free(s);
	return 0;
}
