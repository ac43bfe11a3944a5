/*
 * server/time/tz.h: instants, civil time and time zones, without TZ or
 * localtime(). Instants are .NET ticks (100 ns since 0001-01-01T00:00:00
 * UTC, proleptic Gregorian), the unit SuperOffice stores. Zones are read
 * from the system's tz database (TZif files under /usr/share/zoneinfo) by
 * our own reader, so lookups are thread-safe and never touch process state.
 *
 * Names a zone can be looked up by (SPEC §7): a SuperOffice location code
 * ("NO", "US-NY", "UTC"; ASCII case-insensitive), its numeric id ("261",
 * only for documented codes), or a plain IANA name ("Europe/Oslo", exact
 * case) as an extension.
 */
#ifndef SERVER_TZ_H
#define SERVER_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ticks.h"

/* tz_format() writes at most this many bytes, NUL included */
#define TZ_FORMAT_MAX 40

struct tz_db;
struct tz_zone;

/*
 * Create a zone database reading TZif files from @zoneinfo_dir (borrowed
 * for the db's life; NULL means /usr/share/zoneinfo). Zones are loaded
 * lazily and kept until tz_db_destroy(). NULL with errno set on failure.
 */
struct tz_db *tz_db_create(const char *zoneinfo_dir);
void tz_db_destroy(struct tz_db *db);

/*
 * The zone named by @name/@n (code, id or IANA name; not NUL-terminated),
 * or NULL when unknown or its TZif file cannot be read. The result is
 * borrowed until tz_db_destroy(). Thread-safe.
 */
const struct tz_zone *tz_db_lookup(struct tz_db *db, const char *name,
	size_t n);

/* The code the zone was found by, canonical case ("NO", "Europe/Oslo"). */
const char *tz_zone_code(const struct tz_zone *zone);
/* The IANA zone behind it ("Europe/Oslo"; "Etc/UTC" for UTC). */
const char *tz_zone_iana(const struct tz_zone *zone);
/* True for the UTC zone itself, which formats as "Z". */
bool tz_zone_is_utc(const struct tz_zone *zone);
/* Offset in seconds east of UTC in force at the Unix time @t. */
int32_t tz_zone_offset(const struct tz_zone *zone, int64_t t);

/*
 * Format @ticks in @zone the .NET round-trip way (SPEC §4):
 * yyyy-MM-ddTHH:mm:ss, then '.' and 1-7 fraction digits with trailing
 * zeros dropped (nothing when the fraction is zero), then "Z" for the UTC
 * zone or "+hh:mm"/"-hh:mm". Ticks 0 (DateTime.MinValue, "unset") is
 * "0001-01-01T00:00:00" in every zone. Writes a NUL-terminated string to
 * @buf (at least TZ_FORMAT_MAX bytes), returns its length. Cannot fail;
 * ticks outside [0, TICKS_MAX] are clamped.
 */
size_t tz_format(const struct tz_zone *zone, int64_t ticks, char *buf);

/*
 * Parse an ISO 8601 date-time as fixtures write it:
 * yyyy-MM-ddTHH:mm:ss[.f{1,7}][Z|+hh:mm|-hh:mm]. Without an offset the value
 * is UTC (SPEC §2). false on anything else, *ticks untouched.
 */
bool tz_parse_iso(const char *s, size_t n, int64_t *ticks);

/*
 * The SO-TimeZone request header: "CODE", "CODE,includeTZOffset",
 * "CODE, includeTZOffset" or "includeTZOffset" alone (modifier
 * case-insensitive, spaces optional). On success @code/@code_len slice the
 * zone part (code_len 0 when absent). false when malformed (empty, two
 * codes, unknown modifier).
 */
struct tz_header {
	const char *code;
	size_t code_len;
	bool include_offset;
};
bool tz_parse_header(const char *s, size_t n, struct tz_header *out);

#endif
