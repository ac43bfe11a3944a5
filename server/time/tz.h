/*
 * server/time/tz.h: the zone database. Turns the names a client may give
 * into zones and answers each zone's UTC offset at any instant. A name is
 * a SuperOffice location code ("NO", "US-NY", "UTC"; ASCII
 * case-insensitive), a documented numeric id ("261"), or, as an
 * extension, a plain IANA name ("Europe/Oslo", exact case). Zones come
 * from the tz database's TZif files, read by our own reader (tzif.h), so
 * nothing here sets TZ or calls libc's local-time functions.
 *
 * Thread-safety: a db may be shared by any number of threads; lookups
 * serialise on one mutex only while a zone is first loaded or found in
 * the cache, and a zone, once returned, is immutable.
 */
#ifndef SERVER_TIME_TZ_H
#define SERVER_TIME_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tz_db;
struct tz_zone;

/*
 * Create a zone database reading TZif files from @zoneinfo_dir (borrowed
 * for the db's life; NULL means /usr/share/zoneinfo). Zones are loaded
 * lazily and kept until tz_db_destroy(). NULL with errno set on failure.
 */
struct tz_db *tz_db_create(const char *zoneinfo_dir);
/* Frees the db and every zone it returned; no lookup may be running. */
void tz_db_destroy(struct tz_db *db);   /* NULL is fine */

/*
 * The zone named by @name/@n (code, id or IANA name; not NUL-terminated),
 * or NULL when unknown or its TZif file cannot be read. A name shaped
 * like a location code (CC or CC-R{1,3}) is only ever a code, never an
 * IANA file name. The result is borrowed until tz_db_destroy().
 * Thread-safe.
 */
const struct tz_zone *tz_db_lookup(struct tz_db *db, const char *name,
	size_t n);

/*
 * Questions about a zone from tz_db_lookup(). None can fail and all are
 * thread-safe; returned strings are borrowed like the zone itself.
 */

/* The code the zone was found by, canonical case ("NO", "Europe/Oslo"). */
const char *tz_zone_code(const struct tz_zone *zone);
/* The IANA zone behind it ("Europe/Oslo"; "Etc/UTC" for UTC). */
const char *tz_zone_iana(const struct tz_zone *zone);
/* True for the UTC zone itself, which formats as "Z". */
bool tz_zone_is_utc(const struct tz_zone *zone);
/* Offset in seconds east of UTC in force at the Unix time @t. */
int32_t tz_zone_offset(const struct tz_zone *zone, int64_t t);

#endif
