/*
 * tests/fuzz/fuzz-iso.c: ISO 8601 date-times as fixtures write them
 * (tz_parse_iso). A parsed instant in range must survive a round trip
 * through tz_format in UTC.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "iso8601.h"
#include "ticks.h"
#include "tz.h"
#include "tz_format.h"

static struct tz_db *db;
static const struct tz_zone *utc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	if (!db) {
		db = tz_db_create(NULL);
		FUZZ_CHECK(db != NULL);
		utc = tz_db_lookup(db, "UTC", 3);
		FUZZ_CHECK(utc != NULL);
	}
	char *s = fuzz_dup(data, size);
	int64_t ticks = INT64_MIN;
	if (tz_parse_iso(s, size, &ticks)) {
		FUZZ_CHECK(ticks != INT64_MIN);
		if (ticks >= 0 && ticks <= TICKS_MAX) {
			char buf[TZ_FORMAT_MAX];
			size_t n = tz_format(utc, ticks, buf);
			FUZZ_CHECK(n < TZ_FORMAT_MAX && buf[n] == '\0');
			int64_t back = INT64_MIN;
			FUZZ_CHECK(tz_parse_iso(buf, n, &back));
			FUZZ_CHECK(back == ticks);
		}
	} else {
		FUZZ_CHECK(ticks == INT64_MIN);
	}
	free(s);
	return 0;
}
