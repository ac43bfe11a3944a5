/*
 * tests/fuzz/fuzz-timezone.c: the SO-TimeZone header (tz_parse_header)
 * and the zone look-up by code, id or IANA name (tz_db_lookup) against the
 * system tz database, created once and kept for the whole run (zones are
 * cached, as in the server).
 */
#include "fuzz.h"

#include "ticks.h"
#include "tz.h"
#include "tz_format.h"
#include "tz_header.h"

static struct tz_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	if (!db) {
		db = tz_db_create(NULL);
		FUZZ_CHECK(db != NULL);
	}
	char *s = fuzz_dup(data, size);
	struct tz_header h;
	if (tz_parse_header(s, size, &h)) {
		FUZZ_CHECK(h.code_len == 0 || fuzz_within(h.code, h.code_len,
			s, size));
		if (h.code_len) {
			const struct tz_zone *z = tz_db_lookup(db, h.code,
				h.code_len);
			if (z) {
				FUZZ_CHECK(tz_zone_code(z) && tz_zone_iana(z));
				int32_t off = tz_zone_offset(z, 0);
				FUZZ_CHECK(off > -86400 && off < 86400);
				char buf[TZ_FORMAT_MAX];
				FUZZ_CHECK(tz_format(z, TICKS_MAX, buf) <
					TZ_FORMAT_MAX);
			}
		}
	}
	/* the raw bytes as a zone name too */
	const struct tz_zone *z = tz_db_lookup(db, s, size);
	if (z) {
		FUZZ_CHECK(tz_zone_code(z) != NULL);
	}
	free(s);
	return 0;
}
