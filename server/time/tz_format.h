/*
 * server/time/tz_format.h: instants written the .NET round-trip way, as
 * SuperOffice's own service writes DateTime values, in a given zone:
 * yyyy-MM-ddTHH:mm:ss, then '.' and 1-7 fraction digits with trailing
 * zeros dropped (nothing when the fraction is zero), then "Z" for the UTC
 * zone or "+hh:mm"/"-hh:mm" for any other, even at offset zero.
 *
 * Offsets are whole minutes: old local-mean-time offsets with seconds are
 * truncated, and the local time uses the same truncated offset, so the
 * string still names the exact instant and tz_parse_iso() reads it back.
 *
 * TZ_FORMAT_NO_DESIGNATOR drops the "Z" or offset, leaving the local time
 * alone, as SuperOffice writes dates for an SO-TimeZone header without
 * includeTZOffset. Such a string names an instant only to a reader who
 * knows the zone; tz_parse_iso() takes it as UTC.
 */
#ifndef SERVER_TIME_TZ_FORMAT_H
#define SERVER_TIME_TZ_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "ticks.h"

/* tz_format() writes at most this many bytes, NUL included */
#define TZ_FORMAT_MAX 40

struct tz_zone;

/* How tz_format_with() writes a date; 0 is tz_format()'s form. */
enum tz_format_flags {
	TZ_FORMAT_NO_DESIGNATOR = 1 << 0,  /* no "Z" or "+hh:mm" suffix */
};

/*
 * Write @ticks (.NET ticks, ticks.h) as seen in @zone (borrowed; NULL
 * means UTC) to @buf, which holds at least TZ_FORMAT_MAX bytes, NUL
 * terminated; returns the length. Ticks 0 or less (DateTime.MinValue,
 * SuperOffice's "unset") is "0001-01-01T00:00:00" in every zone, with no
 * offset. Ticks above TICKS_MAX, and local times before 0001-01-01 or
 * after TICKS_MAX, are clamped to that bound. Cannot fail; thread-safe.
 */
size_t tz_format(const struct tz_zone *zone, int64_t ticks, char *buf);

/*
 * tz_format() with @flags: the same local time, and with
 * TZ_FORMAT_NO_DESIGNATOR nothing after it. MinValue is
 * "0001-01-01T00:00:00" whatever the flags. Cannot fail; thread-safe.
 */
size_t tz_format_with(const struct tz_zone *zone, int64_t ticks,
	enum tz_format_flags flags, char *buf);

#endif
