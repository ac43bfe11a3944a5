/*
 * tests/fuzz/fuzz-accept-encoding.c: Accept-Encoding (negotiate_gzip).
 */
#include "fuzz.h"

#include "negotiate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *s = fuzz_cstr(data, size);
	volatile bool gzip = negotiate_gzip(s);
	(void)gzip;
	free(s);
	return 0;
}
