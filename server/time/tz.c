/*
 * server/time/tz.c: a TZif (RFC 8536) reader, whose footer rules
 * posix_tz.c evaluates, and the zone database behind SO-TimeZone.
 *
 * Nothing here touches process-wide time state: no TZ variable and none of
 * libc's local-time functions. A loaded zone is immutable, so once
 * tz_db_lookup() returns it any thread may use it without locking; only
 * the db's zone cache is guarded by its mutex.
 */
#include "build-config.h"

#include "tz.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "civil.h"
#include "log.h"
#include "parse.h"
#include "posix_tz.h"
#include "zones.h"

#define TICKS_PER_DAY (CIVIL_SECS_PER_DAY * TICKS_PER_SECOND)

/* Caps on hostile or broken input. */
#define IANA_NAME_MAX 128     /* longest real name is ~32 bytes */
#define CODE_MAX 29           /* TZLocation.locationCode is String(29) */
#define TZIF_FILE_MAX (1 << 20)
#define TZIF_TIMES_MAX 100000
#define FOOTER_MAX 256
#define ZONES_MAX 4096        /* distinct codes/names kept per db */
/* RFC 8536 §3.2: utoff must be in [-89999, 93599] */
#define UTOFF_MIN (-89999)
#define UTOFF_MAX 93599

/* One loaded TZif file, shared by every code that maps to it. */
struct tz_data {
	struct tz_data *next;
	char *iana;             /* owned */
	int64_t *times;         /* owned, strictly ascending */
	unsigned char *idx;     /* owned, type of each transition */
	size_t timecnt;
	int32_t utoff[256];
	size_t typecnt;
	bool has_footer;
	struct posix_tz footer;
};

struct tz_zone {
	char *code;             /* owned, canonical case */
	const struct tz_data *data;
	bool utc;
};

struct tz_db {
	const char *dir;        /* borrowed */
	pthread_mutex_t lock;
	/* everything below is guarded by lock */
	struct tz_data *datas;  /* list of loaded files */
	struct tz_zone **slots; /* open-addressing hash keyed by code */
	size_t nslots;
	size_t nzones;
};

/* The UTC zone needs no file: it is fixed at offset 0 forever. */
static const struct tz_data utc_data = { .typecnt = 1 };

static bool is_alpha(char c) {
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c) {
	return c >= '0' && c <= '9';
}

/* ---- TZif files ------------------------------------------------------- */

static uint32_t be32(const unsigned char *p) {
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t be64(const unsigned char *p) {
	uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
	return (int64_t)v;
}

struct tzif_header {
	char version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static bool read_header(const unsigned char *p, size_t n,
		struct tzif_header *h) {
	if (n < 44 || memcmp(p, "TZif", 4)) {
		return false;
	}
	h->version = (char)p[4];
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	return h->typecnt >= 1 && h->typecnt <= 256 &&
		h->timecnt <= TZIF_TIMES_MAX && h->charcnt <= 65536 &&
		(h->isstdcnt == 0 || h->isstdcnt == h->typecnt) &&
		(h->isutcnt == 0 || h->isutcnt == h->typecnt) &&
		h->leapcnt <= 65536;
}

static size_t block_size(const struct tzif_header *h, size_t tsize) {
	return (size_t)h->timecnt * tsize + h->timecnt + h->typecnt * 6 +
		h->charcnt + (size_t)h->leapcnt * (tsize + 4) + h->isstdcnt +
		h->isutcnt;
}

/* Parse a whole TZif file into @data (times/idx owned by it). */
static bool parse_tzif(const unsigned char *p, size_t n,
		struct tz_data *data) {
	struct tzif_header h = { 0 };
	if (!read_header(p, n, &h)) {
		return false;
	}
	size_t tsize = 4;
	if (h.version >= '2') {
		size_t skip = 44 + block_size(&h, 4);
		if (skip > n) {
			return false;
		}
		p += skip;
		n -= skip;
		if (!read_header(p, n, &h)) {
			return false;
		}
		tsize = 8;
	}
	p += 44;
	n -= 44;
	size_t need = block_size(&h, tsize);
	if (need > n) {
		return false;
	}
	if (h.leapcnt) {
		/* "right/" zones count leap seconds; we do not model them */
		return false;
	}
	data->timecnt = h.timecnt;
	data->typecnt = h.typecnt;
	if (h.timecnt) {
		data->times = calloc(h.timecnt, sizeof(*data->times));
		data->idx = calloc(h.timecnt, 1);
		if (!data->times || !data->idx) {
			return false;
		}
	}
	const unsigned char *q = p;
	for (size_t i = 0; i < h.timecnt; i++, q += tsize) {
		data->times[i] = tsize == 8 ? be64(q) : (int32_t)be32(q);
		if (i && data->times[i] <= data->times[i - 1]) {
			return false;
		}
	}
	for (size_t i = 0; i < h.timecnt; i++, q++) {
		if (*q >= h.typecnt) {
			return false;
		}
		data->idx[i] = *q;
	}
	for (size_t i = 0; i < h.typecnt; i++, q += 6) {
		int32_t off = (int32_t)be32(q);
		if (off < UTOFF_MIN || off > UTOFF_MAX || q[4] > 1) {
			return false;
		}
		data->utoff[i] = off;
	}
	if (h.version < '2') {
		return true;
	}
	p += need;
	n -= need;
	/* RFC 8536 §3.3: "\n" TZ-string "\n", the string possibly empty */
	if (n < 2 || p[0] != '\n') {
		return false;
	}
	const unsigned char *nl = memchr(p + 1, '\n', n - 1);
	if (!nl || nl - (p + 1) > FOOTER_MAX) {
		return false;
	}
	size_t flen = (size_t)(nl - (p + 1));
	if (!flen) {
		return true;
	}
	if (!posix_tz_parse((const char *)p + 1, flen, &data->footer)) {
		return false;
	}
	data->has_footer = true;
	return true;
}

static void data_free(struct tz_data *data) {
	if (!data || data == &utc_data) {
		return;
	}
	free(data->iana);
	free(data->times);
	free(data->idx);
	free(data);
}

/* Read @dir/@iana (a validated name). NULL when missing or not TZif. */
static struct tz_data *data_load(const char *dir, const char *iana) {
	struct tz_data *data = NULL;
	unsigned char *buf = NULL;
	int fd = -1;
	char path[PATH_MAX];
	int len = snprintf(path, sizeof(path), "%s/%s", dir, iana);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		goto fail;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		goto fail;
	}
	struct stat st = { 0 };
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 44 ||
			st.st_size > TZIF_FILE_MAX) {
		goto fail;
	}
	size_t size = (size_t)st.st_size;
	buf = malloc(size);
	if (!buf) {
		goto fail;
	}
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			goto fail;
		}
		got += (size_t)r;
	}
	data = calloc(1, sizeof(*data));
	if (!data) {
		goto fail;
	}
	data->iana = strdup(iana);
	if (!data->iana || !parse_tzif(buf, size, data)) {
		/* debug only: names come from requests ("leapseconds") */
		log_debug("'%s' is not a usable TZif file", path);
		goto fail;
	}
	free(buf);
	close(fd);
	return data;
fail:
	data_free(data);
	free(buf);
	if (fd >= 0) {
		close(fd);
	}
	return NULL;
}

static int32_t data_offset(const struct tz_data *data, int64_t t) {
	size_t n = data->timecnt;
	if (!n || t < data->times[0]) {
		/* RFC 8536 §3.2: type 0 before the first transition */
		return n || !data->has_footer ? data->utoff[0] :
			posix_tz_offset(&data->footer, t);
	}
	size_t lo = 0;
	size_t hi = n;
	/* last transition <= t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (data->times[mid] <= t) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	if (lo == n - 1 && data->has_footer) {
		return posix_tz_offset(&data->footer, t);
	}
	return data->utoff[data->idx[lo]];
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

static int row_cmp(const void *key, const void *elem) {
	const struct zones_row *row = elem;
	return strcmp(key, row->code);
}

static const struct zones_row *find_row(const char *name, size_t n) {
	if (is_digit(name[0])) {
		int64_t id = 0;
		if (name[0] == '0' ||
				!parse_int64_n(name, n, 1, INT_MAX, &id)) {
			return NULL;
		}
		for (size_t i = 0; i < zones_count; i++) {
			if (zones_rows[i].id == id) {
				return &zones_rows[i];
			}
		}
		return NULL;
	}
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

/* Caller holds db->lock. */
static const struct tz_data *data_get(struct tz_db *db, const char *iana) {
	if (!strcmp(iana, "Etc/UTC")) {
		return &utc_data;
	}
	for (struct tz_data *d = db->datas; d; d = d->next) {
		if (!strcmp(d->iana, iana)) {
			return d;
		}
	}
	struct tz_data *d = data_load(db->dir, iana);
	if (d) {
		d->next = db->datas;
		db->datas = d;
	}
	return d;
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
	struct tz_data *d = db->datas;
	while (d) {
		struct tz_data *next = d->next;
		data_free(d);
		d = next;
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
	const struct zones_row *row = find_row(name, n);
	if (row) {
		size_t len = strlen(row->code);
		memcpy(code, row->code, len + 1);
		iana = row->iana;
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
	const struct tz_data *data = data_get(db, iana);
	if (!data) {
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
	zone->data = data;
	zone->utc = data == &utc_data;
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
	return zone->data == &utc_data ? "Etc/UTC" : zone->data->iana;
}

bool tz_zone_is_utc(const struct tz_zone *zone) {
	return zone->utc;
}

int32_t tz_zone_offset(const struct tz_zone *zone, int64_t t) {
	return data_offset(zone->data, t);
}

/* ---- formatting and parsing ------------------------------------------- */

/* @v as exactly @width digits, zero-padded (v < 10^width). */
static void put_digits(char *buf, size_t *pos, uint64_t v, size_t width) {
	for (size_t i = width; i > 0; i--) {
		buf[*pos + i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	*pos += width;
}

size_t tz_format(const struct tz_zone *zone, int64_t ticks, char *buf) {
	if (ticks <= 0) {
		/* DateTime.MinValue means "unset": no offset in any zone */
		memcpy(buf, "0001-01-01T00:00:00", 20);
		return 19;
	}
	if (ticks > TICKS_MAX) {
		ticks = TICKS_MAX;
	}
	bool utc = !zone || zone->utc;
	int32_t off = 0;
	if (!utc) {
		int64_t t = civil_floor_div(ticks - TICKS_UNIX_EPOCH,
			TICKS_PER_SECOND);
		/*
		 * Whole minutes only (old LMT offsets have seconds), and the
		 * local time uses the same truncated offset, so the string
		 * still names the exact instant.
		 */
		off = data_offset(zone->data, t) / 60 * 60;
	}
	int64_t local = ticks + off * TICKS_PER_SECOND;
	if (local < 0) {
		local = 0;
	} else if (local > TICKS_MAX) {
		local = TICKS_MAX;
	}
	int64_t y = 0;
	unsigned mo = 0;
	unsigned d = 0;
	civil_from_days(local / TICKS_PER_DAY - CIVIL_EPOCH_DAYS, &y, &mo, &d);
	int64_t rem = local % TICKS_PER_DAY;
	int64_t secs = rem / TICKS_PER_SECOND;
	int64_t frac = rem % TICKS_PER_SECOND;
	/* digits by hand: snprintf was 8% of an uncached answer */
	size_t pos = 0;
	put_digits(buf, &pos, (uint64_t)y, 4);
	buf[pos++] = '-';
	put_digits(buf, &pos, mo, 2);
	buf[pos++] = '-';
	put_digits(buf, &pos, d, 2);
	buf[pos++] = 'T';
	put_digits(buf, &pos, (uint64_t)(secs / 3600), 2);
	buf[pos++] = ':';
	put_digits(buf, &pos, (uint64_t)(secs / 60 % 60), 2);
	buf[pos++] = ':';
	put_digits(buf, &pos, (uint64_t)(secs % 60), 2);
	if (frac) {
		size_t start = pos;
		buf[pos++] = '.';
		put_digits(buf, &pos, (uint64_t)frac, 7);
		while (buf[pos - 1] == '0' && pos > start + 1) {
			pos--;
		}
	}
	if (utc) {
		buf[pos++] = 'Z';
		buf[pos] = '\0';
		return pos;
	}
	int32_t amin = (off < 0 ? -off : off) / 60;
	buf[pos++] = off < 0 ? '-' : '+';
	put_digits(buf, &pos, (uint64_t)(amin / 60), 2);
	buf[pos++] = ':';
	put_digits(buf, &pos, (uint64_t)(amin % 60), 2);
	buf[pos] = '\0';
	return pos;
}

/* Exactly @n decimal digits at @s. */
static bool fixed_digits(const char *s, size_t n, int *out) {
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i])) {
			return false;
		}
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool tz_parse_iso(const char *s, size_t n, int64_t *ticks) {
	int y = 0;
	int mo = 0;
	int d = 0;
	int h = 0;
	int mi = 0;
	int se = 0;
	if (!s || n < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
			s[13] != ':' || s[16] != ':') {
		return false;
	}
	if (!fixed_digits(s, 4, &y) || !fixed_digits(s + 5, 2, &mo) ||
			!fixed_digits(s + 8, 2, &d) ||
			!fixed_digits(s + 11, 2, &h) ||
			!fixed_digits(s + 14, 2, &mi) ||
			!fixed_digits(s + 17, 2, &se)) {
		return false;
	}
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 ||
			se > 59 ||
			(unsigned)d > civil_days_in_month(y, (unsigned)mo)) {
		return false;
	}
	size_t i = 19;
	int64_t frac = 0;
	if (i < n && s[i] == '.') {
		i++;
		size_t nd = 0;
		while (i < n && is_digit(s[i])) {
			if (++nd > 7) {
				return false;
			}
			frac = frac * 10 + (s[i] - '0');
			i++;
		}
		if (!nd) {
			return false;
		}
		for (; nd < 7; nd++) {
			frac *= 10;
		}
	}
	int64_t off = 0;
	if (i < n && s[i] == 'Z') {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int oh = 0;
		int om = 0;
		if (n - i != 6 || s[i + 3] != ':' ||
				!fixed_digits(s + i + 1, 2, &oh) ||
				!fixed_digits(s + i + 4, 2, &om) || oh > 14 ||
				om > 59 || (oh == 14 && om)) {
			return false;
		}
		off = (oh * 60 + om) * 60 * (s[i] == '-' ? -1 : 1);
		i += 6;
	}
	if (i != n) {
		return false;
	}
	int64_t days = civil_to_days(y, (unsigned)mo, (unsigned)d) +
		CIVIL_EPOCH_DAYS;
	int64_t t = days * TICKS_PER_DAY +
		((int64_t)h * 3600 + mi * 60 + se - off) * TICKS_PER_SECOND +
		frac;
	if (t < 0 || t > TICKS_MAX) {
		return false;
	}
	*ticks = t;
	return true;
}

/* Printable ASCII without space or comma: a plausible code or name. */
static bool header_token_ok(const char *s, size_t n) {
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == ',') {
			return false;
		}
	}
	return n > 0;
}

bool tz_parse_header(const char *s, size_t n, struct tz_header *out) {
	static const char modifier[] = "includeTZOffset";
	if (!s || memchr(s, '\0', n)) {
		return false;
	}
	const char *comma = memchr(s, ',', n);
	const char *a = s;
	size_t an = comma ? (size_t)(comma - s) : n;
	trim_slice(&a, &an);
	if (!header_token_ok(a, an)) {
		return false;
	}
	if (!comma) {
		bool mod = ascii_casecmp_n(a, an, modifier);
		out->code = mod ? NULL : a;
		out->code_len = mod ? 0 : an;
		out->include_offset = mod;
		return true;
	}
	const char *b = comma + 1;
	size_t bn = n - (size_t)(b - s);
	trim_slice(&b, &bn);
	if (!ascii_casecmp_n(b, bn, modifier) ||
			ascii_casecmp_n(a, an, modifier)) {
		return false;
	}
	out->code = a;
	out->code_len = an;
	out->include_offset = true;
	return true;
}

void tz_locations_foreach(tz_location_fn fn, void *ud) {
	for (size_t i = 0; i < zones_count; i++) {
		const struct zones_row *r = &zones_rows[i];
		if (!fn(ud, r->code, r->id, r->iana, r->documented)) {
			return;
		}
	}
}
