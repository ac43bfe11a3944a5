/*
 * tests/fuzz/fuzz-tzif.c: the TZif reader (tzif_parse) on any bytes, as a
 * damaged or hostile file under the zone directory would give it. A file
 * it accepts must answer, for every instant, an offset in the range
 * RFC 8536 §3.2 allows.
 */
#include "fuzz.h"

#include "tzif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	struct tzif *z = tzif_parse(data, size);
	if (z) {
		static const int64_t probes[] = { INT64_MIN / 2, -1, 0, 1,
			1700000000, 4102444800, INT64_MAX / 2 };
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]);
				i++) {
			int32_t off = tzif_offset(z, probes[i]);
			/* RFC 8536 §3.2: [-89999, 93599] */
			FUZZ_CHECK(off >= -89999 && off <= 93599);
		}
		tzif_destroy(z);
	}
	return 0;
}
