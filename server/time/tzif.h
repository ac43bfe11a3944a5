/*
 * server/time/tzif.h: one time zone read from a TZif file (RFC 8536,
 * versions 1 to 4), answering the UTC offset in force at any instant.
 * Offsets come from the file's transition table (the 64-bit one when
 * present), from type 0 before the first transition, and from the POSIX
 * TZ footer after the last (posix_tz.h).
 *
 * Files that count leap seconds ("right/" zones) are refused, as is
 * anything malformed or larger than the caps in tzif.c. A struct tzif is
 * immutable once made, so any number of threads may query it at once.
 */
#ifndef SERVER_TIME_TZIF_H
#define SERVER_TIME_TZIF_H

#include <stddef.h>
#include <stdint.h>

struct tzif;

/*
 * Parse the @n bytes of a TZif file at @buf (borrowed for the call).
 * Owned result; NULL with errno EINVAL when the bytes are not a usable
 * TZif file, ENOMEM when out of memory. Thread-safe.
 */
struct tzif *tzif_parse(const unsigned char *buf, size_t n);

/*
 * Read and parse the file @dir/@name. @name is joined to @dir as is, so
 * the caller must have vetted it (no "..", no leading '/'). Owned result;
 * NULL with errno set when the file cannot be read or is not a regular
 * file (open(2) and read(2) errors, EINVAL for a wrong type or size) or
 * is not usable TZif (EINVAL, logged at debug level, since names come
 * from requests). Thread-safe.
 */
struct tzif *tzif_load(const char *dir, const char *name);

void tzif_destroy(struct tzif *tzif);   /* NULL is fine */

/* Offset in seconds east of UTC in force at Unix time @t. Cannot fail. */
int32_t tzif_offset(const struct tzif *tzif, int64_t t);

#endif
