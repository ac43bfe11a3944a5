/*
 * server/time/zones.h: the compiled time-zone location table, generated
 * at build time by scripts/gen-zones.py (zones_gen.c) from
 * schema/tzlocations.tsv and tzdata's zone1970.tab/zone.tab. Read-only
 * static data, so thread-safe.
 *
 * Invariants the generator guarantees: rows are sorted by code in byte
 * (strcmp) order; codes are unique, upper case and match [A-Z][A-Z0-9-]*;
 * ids are unique where non-zero; every IANA name matches
 * [A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)* and existed under the build machine's
 * zoneinfo directory. Only locations.c reads this table directly; other
 * modules go through locations.h and tz_db_lookup().
 */
#ifndef SERVER_TIME_ZONES_H
#define SERVER_TIME_ZONES_H

#include <stdbool.h>
#include <stddef.h>

struct zones_row {
	const char *code;   /* SuperOffice location code ("NO", "US-NY") */
	const char *iana;   /* IANA zone ("Europe/Oslo") */
	int id;             /* documented TZLocation id, 0 when none */
	bool documented;    /* code appears in SuperOffice material */
};

extern const struct zones_row zones_rows[];
extern const size_t zones_count;

#endif
