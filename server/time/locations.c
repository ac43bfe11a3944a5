/*
 * server/time/locations.c: search and walk the generated location table.
 * Codes are found by binary search (the generator sorts the rows); ids,
 * of which only a handful exist, by a linear scan.
 */
#include "build-config.h"

#include "locations.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "zones.h"

#define CODE_MAX 29           /* TZLocation.locationCode is String(29) */

static int row_cmp(const void *key, const void *elem) {
	const struct zones_row *row = elem;
	return strcmp(key, row->code);
}

static const struct zones_row *find_id(const char *name, size_t n) {
	int64_t id = 0;
	if (name[0] == '0' || !parse_int64_n(name, n, 1, INT_MAX, &id)) {
		return NULL;
	}
	for (size_t i = 0; i < zones_count; i++) {
		if (zones_rows[i].id == id) {
			return &zones_rows[i];
		}
	}
	return NULL;
}

static const struct zones_row *find_code(const char *name, size_t n) {
	if (n > CODE_MAX) {
		return NULL;
	}
	char up[CODE_MAX + 1];
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		up[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	up[n] = '\0';
	return bsearch(up, zones_rows, zones_count, sizeof(zones_rows[0]),
		row_cmp);
}

bool locations_find(const char *name, size_t n, const char **code,
		const char **iana) {
	if (!name || !n || memchr(name, '\0', n)) {
		return false;
	}
	bool digit = name[0] >= '0' && name[0] <= '9';
	const struct zones_row *row = digit ? find_id(name, n) :
		find_code(name, n);
	if (!row) {
		return false;
	}
	*code = row->code;
	*iana = row->iana;
	return true;
}

bool tz_locations_foreach(tz_location_fn fn, void *ud) {
	for (size_t i = 0; i < zones_count; i++) {
		const struct zones_row *r = &zones_rows[i];
		if (!fn(ud, r->code, r->id, r->iana, r->documented)) {
			return false;
		}
	}
	return true;
}
