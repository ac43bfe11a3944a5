/*
 * server/time/locations.h: the location table, every SuperOffice time-zone
 * location code somock knows with its numeric id and IANA zone. Documented
 * and hand-derived codes come from schema/tzlocations.tsv; single-zone
 * countries are derived from tzdata's zone1970.tab and zone.tab at build
 * time (zones.h holds the generated rows and their invariants).
 *
 * Read-only data compiled into the binary: every function here is
 * thread-safe, allocates nothing and cannot fail.
 */
#ifndef SERVER_TIME_LOCATIONS_H
#define SERVER_TIME_LOCATIONS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The row named by the @n bytes at @name (not NUL-terminated): a location
 * code, ASCII case-insensitive ("no" is "NO"), or a documented numeric id
 * without leading zeros ("261"). On a match sets *code (canonical case)
 * and *iana to static strings and returns true; false otherwise, the
 * outputs untouched.
 */
bool locations_find(const char *name, size_t n, const char **code,
	const char **iana);

/*
 * Calls @fn once per row in code (strcmp) order, for the schema's
 * TZLocation table and docs; @id is 0 where SuperOffice documents none.
 * Stops when @fn returns false, and then returns false; true when every
 * row was handed over.
 */
typedef bool (*tz_location_fn)(void *ud, const char *code, int id,
	const char *iana, bool documented);
bool tz_locations_foreach(tz_location_fn fn, void *ud);

#endif
