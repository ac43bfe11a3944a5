/*
 * server/time/iso8601.h: the one ISO 8601 form somock reads, the form its
 * fixtures and tz_format() write: yyyy-MM-ddTHH:mm:ss, an optional '.'
 * and 1-7 fraction digits, then "Z", "+hh:mm", "-hh:mm" or nothing. A
 * value without an offset is UTC. Years run 0001-9999, offsets to
 * +-14:00, and the instant must fall within the .NET tick range.
 */
#ifndef SERVER_TIME_ISO8601_H
#define SERVER_TIME_ISO8601_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ticks.h"

/*
 * Parse the @n bytes at @s (not NUL-terminated; an embedded NUL is an
 * error) into .NET ticks in *ticks. false on anything else, *ticks then
 * untouched. Thread-safe.
 */
bool tz_parse_iso(const char *s, size_t n, int64_t *ticks);

#endif
