/*
 * server/time/tz_format.c: the .NET round-trip date writer. It sits on
 * every date of every answer, so digits are written by hand rather than
 * through snprintf.
 */
#include "build-config.h"

#include "tz_format.h"

#include <stdbool.h>
#include <string.h>

#include "civil.h"
#include "tz.h"

#define TICKS_PER_DAY (CIVIL_SECS_PER_DAY * TICKS_PER_SECOND)

/* @v as exactly @width digits, zero-padded (v < 10^width). */
static void put_digits(char *buf, size_t *pos, uint64_t v, size_t width) {
	for (size_t i = width; i > 0; i--) {
		buf[*pos + i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	*pos += width;
}

size_t tz_format(const struct tz_zone *zone, int64_t ticks, char *buf) {
	return tz_format_with(zone, ticks, 0, buf);
}

size_t tz_format_with(const struct tz_zone *zone, int64_t ticks,
		enum tz_format_flags flags, char *buf) {
	if (ticks <= 0) {
		/* DateTime.MinValue means "unset": no offset in any zone */
		memcpy(buf, "0001-01-01T00:00:00", 20);
		return 19;
	}
	if (ticks > TICKS_MAX) {
		ticks = TICKS_MAX;
	}
	bool utc = !zone || tz_zone_is_utc(zone);
	int32_t off = 0;
	if (!utc) {
		int64_t t = civil_floor_div(ticks - TICKS_UNIX_EPOCH,
			TICKS_PER_SECOND);
		/*
		 * Whole minutes only (old LMT offsets have seconds), and the
		 * local time uses the same truncated offset, so the string
		 * still names the exact instant.
		 */
		off = tz_zone_offset(zone, t) / 60 * 60;
	}
	int64_t local = ticks + off * TICKS_PER_SECOND;
	if (local < 0) {
		local = 0;
	} else if (local > TICKS_MAX) {
		local = TICKS_MAX;
	}
	int64_t y = 0;
	unsigned mo = 0;
	unsigned d = 0;
	civil_from_days(local / TICKS_PER_DAY - CIVIL_EPOCH_DAYS, &y, &mo, &d);
	int64_t rem = local % TICKS_PER_DAY;
	int64_t secs = rem / TICKS_PER_SECOND;
	int64_t frac = rem % TICKS_PER_SECOND;
	/* digits by hand: snprintf was 8% of an uncached answer */
	size_t pos = 0;
	put_digits(buf, &pos, (uint64_t)y, 4);
	buf[pos++] = '-';
	put_digits(buf, &pos, mo, 2);
	buf[pos++] = '-';
	put_digits(buf, &pos, d, 2);
	buf[pos++] = 'T';
	put_digits(buf, &pos, (uint64_t)(secs / 3600), 2);
	buf[pos++] = ':';
	put_digits(buf, &pos, (uint64_t)(secs / 60 % 60), 2);
	buf[pos++] = ':';
	put_digits(buf, &pos, (uint64_t)(secs % 60), 2);
	if (frac) {
		size_t start = pos;
		buf[pos++] = '.';
		put_digits(buf, &pos, (uint64_t)frac, 7);
		while (buf[pos - 1] == '0' && pos > start + 1) {
			pos--;
		}
	}
	if (flags & TZ_FORMAT_NO_DESIGNATOR) {
		buf[pos] = '\0';
		return pos;
	}
	if (utc) {
		buf[pos++] = 'Z';
		buf[pos] = '\0';
		return pos;
	}
	int32_t amin = (off < 0 ? -off : off) / 60;
	buf[pos++] = off < 0 ? '-' : '+';
	put_digits(buf, &pos, (uint64_t)(amin / 60), 2);
	buf[pos++] = ':';
	put_digits(buf, &pos, (uint64_t)(amin % 60), 2);
	buf[pos] = '\0';
	return pos;
}
