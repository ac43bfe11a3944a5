/*
 * server/time/tz.c: the zone database behind SO-TimeZone. A name is
 * resolved through the location table (locations.c) or, vetted, used as
 * an IANA file name; each TZif file (tzif.c) is loaded once, and each
 * zone is cached under its canonical code.
 *
 * Nothing here touches process-wide time state: no TZ variable and none of
 * libc's local-time functions. A loaded zone is immutable, so once
 * tz_db_lookup() returns it any thread may use it without locking; only
 * the db's zone cache is guarded by its mutex.
 */
#include "build-config.h"

#include "tz.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "locations.h"
#include "log.h"
#include "number.h"
#include "tzif.h"

/* Caps on hostile or broken input. */
#define IANA_NAME_MAX 128     /* longest real name is ~32 bytes */
#define ZONES_MAX 4096        /* distinct codes/names kept per db */

/* One loaded TZif file, shared by every code that maps to it. */
struct zone_file {
	struct zone_file *next;
	char *iana;             /* owned */
	struct tzif *tzif;      /* owned */
};

struct tz_zone {
	char *code;             /* owned, canonical case */
	const char *iana;       /* borrowed from its zone_file, or "Etc/UTC" */
	/* borrowed from its zone_file; NULL for UTC, which needs no file */
	const struct tzif *tzif;
};

struct tz_db {
	const char *dir;        /* borrowed */
	pthread_mutex_t lock;
	/* everything below is guarded by lock */
	struct zone_file *files; /* every file loaded so far */
	struct tz_zone **slots; /* open-addressing hash keyed by code */
	size_t nslots;
	size_t nzones;
};

/* The UTC zone needs no file: it is fixed at offset 0 forever. */
static const char utc_iana[] = "Etc/UTC";

static bool is_alpha(char c) {
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c) {
	return c >= '0' && c <= '9';
}

/* ---- names ------------------------------------------------------------ */

/*
 * IANA names are opened as files, so only the characters real names use
 * are allowed: [A-Za-z0-9/_+-]. That leaves no '.', hence no "." or ".."
 * component; a leading, trailing or doubled '/' is refused too.
 */
static bool iana_name_ok(const char *s, size_t n) {
	if (!n || n > IANA_NAME_MAX || s[0] == '/' || s[n - 1] == '/') {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = is_alpha(c) || is_digit(c) || c == '_' || c == '+' ||
			c == '-' || c == '/';
		if (!ok || (c == '/' && i + 1 < n && s[i + 1] == '/')) {
			return false;
		}
	}
	return true;
}

/*
 * Shaped like a SuperOffice code (CC or CC-R{1,3}, any case)? Such names
 * never fall through to IANA, so an unknown code is unknown everywhere
 * instead of depending on legacy links like "NZ" or "GB" in zoneinfo.
 */
static bool code_shaped(const char *s, size_t n) {
	for (size_t i = 0; i < n; i++) {
		char c = ascii_lower(s[i]);
		bool alpha = c >= 'a' && c <= 'z';
		bool ok = i < 2 ? alpha : i == 2 ? c == '-' :
			alpha || is_digit(c);
		if (!ok) {
			return false;
		}
	}
	return n == 2 || (n >= 4 && n <= 6);
}

/* ---- the db ----------------------------------------------------------- */

static uint64_t hash_str(const char *s) {
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++) {
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	}
	return h;
}

/* Caller holds db->lock. */
static struct tz_zone *cache_find(struct tz_db *db, const char *code) {
	if (!db->nslots) {
		return NULL;
	}
	size_t mask = db->nslots - 1;
	size_t i = hash_str(code) & mask;
	while (db->slots[i]) {
		if (!strcmp(db->slots[i]->code, code)) {
			return db->slots[i];
		}
		i = (i + 1) & mask;
	}
	return NULL;
}

/* Caller holds db->lock; @zone is not in the cache yet. */
static bool cache_insert(struct tz_db *db, struct tz_zone *zone) {
	if (db->nzones >= ZONES_MAX) {
		return false;
	}
	if ((db->nzones + 1) * 2 > db->nslots) {
		size_t nslots = db->nslots ? db->nslots * 2 : 64;
		struct tz_zone **slots = calloc(nslots, sizeof(*slots));
		if (!slots) {
			return false;
		}
		for (size_t i = 0; i < db->nslots; i++) {
			struct tz_zone *z = db->slots[i];
			if (!z) {
				continue;
			}
			size_t j = hash_str(z->code) & (nslots - 1);
			while (slots[j]) {
				j = (j + 1) & (nslots - 1);
			}
			slots[j] = z;
		}
		free(db->slots);
		db->slots = slots;
		db->nslots = nslots;
	}
	size_t mask = db->nslots - 1;
	size_t i = hash_str(zone->code) & mask;
	while (db->slots[i]) {
		i = (i + 1) & mask;
	}
	db->slots[i] = zone;
	db->nzones++;
	return true;
}

static void file_free(struct zone_file *file) {
	if (!file) {
		return;
	}
	free(file->iana);
	tzif_destroy(file->tzif);
	free(file);
}

/* Caller holds db->lock; @iana is vetted and not UTC. */
static const struct zone_file *file_get(struct tz_db *db, const char *iana) {
	for (struct zone_file *f = db->files; f; f = f->next) {
		if (!strcmp(f->iana, iana)) {
			return f;
		}
	}
	struct zone_file *f = calloc(1, sizeof(*f));
	if (!f) {
		return NULL;
	}
	f->iana = strdup(iana);
	f->tzif = f->iana ? tzif_load(db->dir, iana) : NULL;
	if (!f->tzif) {
		file_free(f);
		return NULL;
	}
	f->next = db->files;
	db->files = f;
	return f;
}

struct tz_db *tz_db_create(const char *zoneinfo_dir) {
	struct tz_db *db = calloc(1, sizeof(*db));
	if (!db) {
		return NULL;
	}
	db->dir = zoneinfo_dir ? zoneinfo_dir : "/usr/share/zoneinfo";
	int err = pthread_mutex_init(&db->lock, NULL);
	if (err) {
		free(db);
		errno = err;
		return NULL;
	}
	return db;
}

void tz_db_destroy(struct tz_db *db) {
	if (!db) {
		return;
	}
	for (size_t i = 0; i < db->nslots; i++) {
		if (db->slots[i]) {
			free(db->slots[i]->code);
			free(db->slots[i]);
		}
	}
	free(db->slots);
	struct zone_file *f = db->files;
	while (f) {
		struct zone_file *next = f->next;
		file_free(f);
		f = next;
	}
	pthread_mutex_destroy(&db->lock);
	free(db);
}

const struct tz_zone *tz_db_lookup(struct tz_db *db, const char *name,
		size_t n) {
	if (!db || !name || !n || n > IANA_NAME_MAX || memchr(name, '\0', n)) {
		return NULL;
	}
	char code[IANA_NAME_MAX + 1];
	const char *iana = code;
	const char *row_code = NULL;
	bool row = locations_find(name, n, &row_code, &iana);
	if (row) {
		size_t len = strlen(row_code);
		memcpy(code, row_code, len + 1);
	} else if (code_shaped(name, n) || !iana_name_ok(name, n)) {
		return NULL;
	} else {
		memcpy(code, name, n);
		code[n] = '\0';
	}
	struct tz_zone *zone = NULL;
	pthread_mutex_lock(&db->lock);
	zone = cache_find(db, code);
	if (zone) {
		goto out;
	}
	bool utc = !strcmp(iana, utc_iana);
	const struct zone_file *file = utc ? NULL : file_get(db, iana);
	if (!utc && !file) {
		if (row) {
			log_error("cannot load zone '%s' for code '%s'", iana,
				code);
		}
		goto out;
	}
	zone = calloc(1, sizeof(*zone));
	if (!zone) {
		goto out;
	}
	zone->code = strdup(code);
	zone->iana = utc ? utc_iana : file->iana;
	zone->tzif = utc ? NULL : file->tzif;
	if (!zone->code || !cache_insert(db, zone)) {
		free(zone->code);
		free(zone);
		zone = NULL;
	}
out:
	pthread_mutex_unlock(&db->lock);
	return zone;
}

const char *tz_zone_code(const struct tz_zone *zone) {
	return zone->code;
}

const char *tz_zone_iana(const struct tz_zone *zone) {
	return zone->iana;
}

bool tz_zone_is_utc(const struct tz_zone *zone) {
	return !zone->tzif;
}

int32_t tz_zone_offset(const struct tz_zone *zone, int64_t t) {
	return zone->tzif ? tzif_offset(zone->tzif, t) : 0;
}
