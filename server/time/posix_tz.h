/*
 * server/time/posix_tz.h: POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3"),
 * the rule a TZif file's footer gives for every instant after its last
 * transition (RFC 8536 §3.3, POSIX.1-2017 §8.3). Parses one into a plain
 * value and answers the UTC offset it puts in force at a given instant.
 *
 * Accepted: quoted (<+0530>) and unquoted abbreviations, signed offsets
 * with minutes and seconds, the Jn, n and Mm.w.d date forms, RFC 8536's
 * rule times of -167 to 167 hours, and "all year" DST (a year's end
 * transition at the next year's start). A DST name without a rule gets
 * the US rules, as tzcode assumes. Value types and pure functions: no
 * state, thread-safe.
 */
#ifndef SERVER_TIME_POSIX_TZ_H
#define SERVER_TIME_POSIX_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum posix_tz_rule_kind {
	POSIX_TZ_JULIAN,    /* Jn: 1-365, Feb 29 never counted */
	POSIX_TZ_DAY,       /* n: 0-365, Feb 29 counted */
	POSIX_TZ_MONTH,     /* Mm.w.d */
};

/* When in a year a change happens, in local time before the change. */
struct posix_tz_rule {
	enum posix_tz_rule_kind kind;
	int day;            /* Jn / n */
	int mon, week, wday;
	int32_t time;       /* seconds after local midnight, may be < 0 */
};

/* A parsed TZ string; offsets are seconds east of UTC (POSIX is west). */
struct posix_tz {
	int32_t std_off;
	int32_t dst_off;
	bool has_dst;
	struct posix_tz_rule start, end;
};

/*
 * Parse the @n bytes at @s (not NUL-terminated) into @tz. false when they
 * are not a whole, valid TZ string; *tz is then unspecified.
 */
bool posix_tz_parse(const char *s, size_t n, struct posix_tz *tz);

/* Offset in seconds east of UTC that @tz puts in force at Unix time @t. */
int32_t posix_tz_offset(const struct posix_tz *tz, int64_t t);

#endif
