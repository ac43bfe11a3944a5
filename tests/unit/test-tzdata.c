/*
 * tests/unit/test-tzdata.c: the time layer against the tz database that is
 * installed, whatever its release. No expectation here is a number copied
 * from a tzdata release: each is computed at test time, from the same
 * files somock reads, by another implementation.
 *
 * - Offsets: in every zone named by zone1970.tab or zone.tab and every
 *   zone of the location table, tz_zone_offset() must agree with glibc's
 *   own TZif reader (localtime_r() with TZ=":DIR/ZONE"; this test process
 *   may set TZ, the server never does) at random instants in [1900, 2400),
 *   at both ends of the .NET range, and on both sides (t - 1, t) of every
 *   offset change glibc finds in 2024, 2051 and 2199. The last two years
 *   lie past the zones' final transitions, so they exercise the POSIX TZ
 *   footers.
 * - Dates: tz_format() for every location code at those instants must
 *   equal a string built from glibc's offset and gmtime_r().
 * - The location table must be, row for row, schema/tzlocations.tsv plus
 *   the single-zone countries that the rule in gen-zones.py derives from
 *   the installed zone1970.tab and zone.tab, recomputed here in C.
 * - Names: every zone in the tab files loads by its own IANA name, and a
 *   few optional names load exactly when the installed tzdata ships them.
 *
 * Usage: test-tzdata TZDATA_DIR TZLOCATIONS.TSV (meson passes both).
 */
#define _DEFAULT_SOURCE /* tm_gmtoff, timegm(): glibc is the reference */

#include "tz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "locations.h"
#include "log.h"
#include "tap.h"
#include "ticks.h"
#include "tz_format.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define NAME_LEN 128            /* IANA names and codes, NUL included */
#define ZONES_MAX 2048
#define ROWS_MAX 2048
#define INSTANTS_MAX 256
#define COUNTRIES (26 * 26)
/* Unix times of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
#define T_FIRST INT64_C(-62135596800)
#define T_LAST INT64_C(253402300799)

static const char *tzdir;
static struct tz_db *db;

static const struct tz_zone *get(const char *name) {
	return tz_db_lookup(db, name, strlen(name));
}

/* xorshift64*: deterministic, so failures reproduce */
static uint64_t rng_state = UINT64_C(0x2545F4914F6CDD1D);

static int64_t rng_range(int64_t lo, int64_t hi) {
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	uint64_t r = rng_state * UINT64_C(2685821657736338717);
	return lo + (int64_t)(r % (uint64_t)(hi - lo + 1));
}

static bool is_tzif_file(const char *name) {
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tzdir, name);
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode)) {
		return false;
	}
	FILE *f = fopen(path, "rb");
	char magic[4] = "";
	bool ok = f && fread(magic, 1, 4, f) == 4 && !memcmp(magic, "TZif", 4);
	if (f) {
		fclose(f);
	}
	return ok;
}

/* ---- the reference: glibc reading the same file --------------------- */

/* Make @iana glibc's local zone; false when it is not installed. */
static bool ref_zone(const char *iana) {
	/* glibc falls back to UTC on a missing file: refuse that here */
	if (!is_tzif_file(iana)) {
		return false;
	}
	char tz[600];
	snprintf(tz, sizeof(tz), ":%s/%s", tzdir, iana);
	if (setenv("TZ", tz, 1)) {
		return false;
	}
	tzset();
	return true;
}

static int32_t ref_offset(int64_t t) {
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm)) {
		return INT32_MIN;
	}
	return (int32_t)tm.tm_gmtoff;
}

static int64_t year_start(int64_t y) {
	struct tm tm = { .tm_year = (int)(y - 1900), .tm_mday = 1 };
	return (int64_t)timegm(&tm);
}

/*
 * Both sides (t - 1, t) of every offset change the reference shows in
 * year @y, appended to @out. Days are sampled, then each change is found
 * to the second by bisection; two changes within one day would be seen
 * as none, which no zone has.
 */
static size_t ref_changes(int64_t y, int64_t *out, size_t n, size_t cap) {
	int64_t end = year_start(y + 1);
	int64_t t = year_start(y);
	int32_t prev = ref_offset(t);
	for (; t < end; t += 86400) {
		int64_t hi = t + 86400;
		int32_t off = ref_offset(hi);
		if (off == prev) {
			continue;
		}
		int64_t lo = t;  /* ref_offset(lo) == prev, ref_offset(hi) != */
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;
			if (ref_offset(mid) == prev) {
				lo = mid;
			} else {
				hi = mid;
			}
		}
		if (n + 2 <= cap) {
			out[n++] = hi - 1;
			out[n++] = hi;
		}
		prev = off;
	}
	return n;
}

static int64_t floor_div(int64_t a, int64_t b) {
	int64_t q = a / b;
	return (a % b && (a < 0) != (b < 0)) ? q - 1 : q;
}

/*
 * What tz_format() must write for @ticks when the zone's offset is @off
 * seconds (ignored for UTC): the offset cut to whole minutes, the local
 * time from that offset clamped to the .NET range, broken down by glibc.
 */
static void want_format(int64_t ticks, int32_t off, bool utc, char *out,
		size_t cap) {
	if (ticks <= 0) {
		snprintf(out, cap, "0001-01-01T00:00:00");
		return;
	}
	if (ticks > TICKS_MAX) {
		ticks = TICKS_MAX;
	}
	int32_t cut = utc ? 0 : off / 60 * 60;
	int64_t local = ticks + cut * TICKS_PER_SECOND;
	if (local < 0) {
		local = 0;
	} else if (local > TICKS_MAX) {
		local = TICKS_MAX;
	}
	time_t secs = (time_t)floor_div(local - TICKS_UNIX_EPOCH,
		TICKS_PER_SECOND);
	int64_t frac = local % TICKS_PER_SECOND;
	struct tm tm;
	gmtime_r(&secs, &tm);
	char fraction[16] = "";
	if (frac) {
		snprintf(fraction, sizeof(fraction), ".%07lld", (long long)frac);
		size_t n = strlen(fraction);
		while (fraction[n - 1] == '0') {
			fraction[--n] = '\0';
		}
	}
	char zone[16] = "Z";
	if (!utc) {
		int32_t m = (cut < 0 ? -cut : cut) / 60;
		snprintf(zone, sizeof(zone), "%c%02d:%02d", cut < 0 ? '-' : '+',
			(int)(m / 60), (int)(m % 60));
	}
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		tm.tm_min, tm.tm_sec, fraction, zone);
}

/* ---- the tab files and the tsv ------------------------------------- */

struct loc {
	char code[32];
	int id;
	char iana[NAME_LEN];
	bool documented;
};

struct tabs {
	/* zones of each country in zone1970.tab and zone.tab */
	int n1970[COUNTRIES], ntab[COUNTRIES];
	char first1970[COUNTRIES][NAME_LEN], firsttab[COUNTRIES][NAME_LEN];
	bool have_tab;           /* zone.tab is installed */
	/* every zone either file names, once */
	char (*zones)[NAME_LEN];
	size_t nzones;
};

static int country(const char *cc, size_t n) {
	if (n != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' ||
			cc[1] > 'Z') {
		return -1;
	}
	return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static bool add_zone(struct tabs *tabs, const char *zone) {
	for (size_t i = 0; i < tabs->nzones; i++) {
		if (!strcmp(tabs->zones[i], zone)) {
			return true;
		}
	}
	if (tabs->nzones == ZONES_MAX || strlen(zone) >= NAME_LEN) {
		return false;
	}
	snprintf(tabs->zones[tabs->nzones++], NAME_LEN, "%s", zone);
	return true;
}

/* Split @line at tabs into at most @max fields; returns how many. */
static size_t split_tabs(char *line, char **fields, size_t max) {
	size_t n = 0;
	char *p = line;
	while (n < max) {
		fields[n++] = p;
		char *tab = strchr(p, '\t');
		if (!tab) {
			break;
		}
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

static void chomp(char *line) {
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
		line[--n] = '\0';
	}
}

/* One zone1970.tab or zone.tab; false when unreadable or malformed. */
static bool read_tab(const char *name, int *count,
		char (*first)[NAME_LEN], struct tabs *tabs) {
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tzdir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		return false;
	}
	bool ok = true;
	char *line = NULL;
	size_t cap = 0;
	while (ok && getline(&line, &cap, f) > 0) {
		chomp(line);
		if (!line[0] || line[0] == '#') {
			continue;
		}
		char *fields[4];
		if (split_tabs(line, fields, 4) < 3 ||
				strlen(fields[2]) >= NAME_LEN) {
			ok = false;
			break;
		}
		for (char *cc = fields[0]; ok; ) {
			char *comma = strchr(cc, ',');
			size_t len = comma ? (size_t)(comma - cc) : strlen(cc);
			int c = country(cc, len);
			if (c < 0) {
				ok = false;
				break;
			}
			if (!count[c]++) {
				snprintf(first[c], NAME_LEN, "%s", fields[2]);
			}
			if (!comma) {
				break;
			}
			cc = comma + 1;
		}
		ok = ok && add_zone(tabs, fields[2]);
	}
	free(line);
	fclose(f);
	return ok;
}

static bool read_tsv(const char *path, struct loc *rows, size_t *n) {
	FILE *f = fopen(path, "r");
	if (!f) {
		return false;
	}
	bool ok = true;
	char *line = NULL;
	size_t cap = 0;
	while (ok && getline(&line, &cap, f) > 0) {
		chomp(line);
		if (line[0] == '#' || !line[strspn(line, " \t")]) {
			continue;
		}
		char *fields[6];
		if (split_tabs(line, fields, 6) != 5 || *n == ROWS_MAX ||
				strlen(fields[0]) >= sizeof(rows->code) ||
				strlen(fields[2]) >= NAME_LEN) {
			ok = false;
			break;
		}
		struct loc *r = &rows[(*n)++];
		snprintf(r->code, sizeof(r->code), "%s", fields[0]);
		r->id = strcmp(fields[1], "-") ? (int)strtol(fields[1], NULL,
			10) : 0;
		snprintf(r->iana, sizeof(r->iana), "%s", fields[2]);
		r->documented = !strcmp(fields[3], "documented");
	}
	free(line);
	fclose(f);
	return ok;
}

static int loc_cmp(const void *a, const void *b) {
	const struct loc *x = a;
	const struct loc *y = b;
	return strcmp(x->code, y->code);
}

/*
 * The table gen-zones.py must have produced: the tsv's rows, plus a row
 * for each country with exactly one line in zone.tab and at most one zone
 * in zone1970.tab (its zone.tab zone), unless the tsv has that code; with
 * no zone.tab, each country with exactly one zone in zone1970.tab.
 */
static size_t want_table(const struct tabs *tabs, struct loc *rows,
		size_t n) {
	size_t from_tsv = n;
	for (int c = 0; c < COUNTRIES && n < ROWS_MAX; c++) {
		bool single = tabs->have_tab ?
			tabs->ntab[c] == 1 && tabs->n1970[c] <= 1 :
			tabs->n1970[c] == 1;
		if (!single) {
			continue;
		}
		char code[3] = { (char)('A' + c / 26), (char)('A' + c % 26), 0 };
		bool in_tsv = false;
		for (size_t i = 0; i < from_tsv && !in_tsv; i++) {
			in_tsv = !strcmp(rows[i].code, code);
		}
		if (in_tsv) {
			continue;
		}
		struct loc *r = &rows[n++];
		memset(r, 0, sizeof(*r));
		memcpy(r->code, code, 3);
		snprintf(r->iana, sizeof(r->iana), "%s", tabs->have_tab ?
			tabs->firsttab[c] : tabs->first1970[c]);
	}
	qsort(rows, n, sizeof(*rows), loc_cmp);
	return n;
}

struct got_table {
	struct loc *rows;
	size_t n;
};

static bool collect_row(void *ud, const char *code, int id, const char *iana,
		bool documented) {
	struct got_table *g = ud;
	if (g->n == ROWS_MAX) {
		return false;
	}
	struct loc *r = &g->rows[g->n++];
	snprintf(r->code, sizeof(r->code), "%s", code);
	r->id = id;
	snprintf(r->iana, sizeof(r->iana), "%s", iana);
	r->documented = documented;
	return true;
}

/* ---- the checks ------------------------------------------------------ */

static void test_table(const struct tabs *tabs, const char *tsv,
		struct loc *want, size_t *nwant, struct got_table *got) {
	bool read = read_tsv(tsv, want, nwant);
	tap_ok(read, "read %s", tsv);
	size_t from_tsv = *nwant;
	*nwant = want_table(tabs, want, *nwant);
	tz_locations_foreach(collect_row, got);
	tap_int((long long)got->n, (long long)*nwant,
		"location table: %zu tsv rows + %zu single-zone countries",
		from_tsv, *nwant - from_tsv);
	int bad = 0;
	for (size_t i = 0; i < got->n && i < *nwant; i++) {
		const struct loc *g = &got->rows[i];
		const struct loc *w = &want[i];
		if ((strcmp(g->code, w->code) || g->id != w->id ||
				strcmp(g->iana, w->iana) ||
				g->documented != w->documented) && bad++ < 10) {
			tap_diag("row %zu: got %s %d %s %d, want %s %d %s %d", i,
				g->code, g->id, g->iana, (int)g->documented,
				w->code, w->id, w->iana, (int)w->documented);
		}
	}
	tap_ok(!bad && got->n == *nwant, "every row is the one the tsv and "
		"the installed tab files give");

	bad = 0;
	for (size_t i = 0; i < got->n; i++) {
		const struct loc *r = &got->rows[i];
		char lower[sizeof(r->code)];
		for (size_t j = 0; j < sizeof(lower); j++) {
			char c = r->code[j];
			lower[j] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		const struct tz_zone *z = get(r->code);
		if (!z || strcmp(tz_zone_code(z), r->code) ||
				strcmp(tz_zone_iana(z), r->iana) ||
				get(lower) != z) {
			if (bad++ < 10) {
				tap_diag("code %s (%s) does not load as itself in "
					"either case", r->code, r->iana);
			}
		}
	}
	tap_ok(!bad, "%zu codes load, in upper and lower case", got->n);
}

struct counts {
	size_t zones, instants, changes, formats;
	int bad_load, bad_offset, bad_format;
};

/*
 * Instants to probe the reference zone at, into @t; *changes counts the
 * offset changes among them.
 */
static size_t instants(int64_t *t, size_t cap, size_t *changes) {
	size_t n = 0;
	t[n++] = T_FIRST;
	t[n++] = T_LAST;
	for (int i = 0; i < 12; i++) {
		t[n++] = rng_range(year_start(1900), year_start(2400) - 1);
	}
	size_t fixed = n;
	static const int years[] = { 2024, 2051, 2199 };
	for (size_t i = 0; i < COUNT(years); i++) {
		n = ref_changes(years[i], t, n, cap);
	}
	*changes += (n - fixed) / 2;
	return n;
}

static void check_formats(const struct got_table *table, const char *iana,
		const int64_t *t, size_t nt, struct counts *c) {
	bool utc = !strcmp(iana, "Etc/UTC");
	for (size_t r = 0; r < table->n; r++) {
		if (strcmp(table->rows[r].iana, iana)) {
			continue;
		}
		const char *code = table->rows[r].code;
		const struct tz_zone *z = get(code);
		for (size_t i = 0; i < nt + 2; i++) {
			/* every instant, a random fraction on most; the ends */
			int64_t ticks = i == nt ? 1 : i == nt + 1 ? TICKS_MAX :
				TICKS_UNIX_EPOCH + t[i] * TICKS_PER_SECOND +
				(i % 3 ? rng_range(0, TICKS_PER_SECOND - 1) : 0);
			int64_t unix_t = floor_div(ticks - TICKS_UNIX_EPOCH,
				TICKS_PER_SECOND);
			char want[64];
			want_format(ticks, ref_offset(unix_t), utc, want,
				sizeof(want));
			char got[TZ_FORMAT_MAX] = "";
			if (z) {
				tz_format(z, ticks, got);
			}
			c->formats++;
			if (strcmp(got, want) && c->bad_format++ < 10) {
				tap_diag("%s at ticks %lld: got '%s' want '%s'",
					code, (long long)ticks, got, want);
			}
		}
	}
}

static void test_zones(const struct tabs *tabs,
		const struct got_table *table) {
	/* the tab files' zones, then any other zone the table uses */
	static char names[ZONES_MAX][NAME_LEN];
	size_t nnames = 0;
	for (size_t i = 0; i < tabs->nzones; i++) {
		memcpy(names[nnames++], tabs->zones[i], NAME_LEN);
	}
	for (size_t r = 0; r < table->n && nnames < ZONES_MAX; r++) {
		bool seen = false;
		for (size_t i = 0; i < nnames && !seen; i++) {
			seen = !strcmp(names[i], table->rows[r].iana);
		}
		if (!seen) {
			snprintf(names[nnames++], NAME_LEN, "%s",
				table->rows[r].iana);
		}
	}
	struct counts c = { 0 };
	static int64_t t[INSTANTS_MAX];
	for (size_t zi = 0; zi < nnames; zi++) {
		const char *iana = names[zi];
		const struct tz_zone *z = get(iana);
		if (!ref_zone(iana) || !z || strcmp(tz_zone_code(z), iana) ||
				strcmp(tz_zone_iana(z), iana)) {
			if (c.bad_load++ < 10) {
				tap_diag("zone %s is not installed or does not "
					"load as itself", iana);
			}
			continue;
		}
		c.zones++;
		size_t nt = instants(t, COUNT(t), &c.changes);
		for (size_t i = 0; i < nt; i++) {
			int32_t want = ref_offset(t[i]);
			int32_t got = tz_zone_offset(z, t[i]);
			c.instants++;
			if (got != want && c.bad_offset++ < 10) {
				tap_diag("%s at %lld: got %d, glibc says %d", iana,
					(long long)t[i], (int)got, (int)want);
			}
		}
		check_formats(table, iana, t, nt, &c);
	}
	unsetenv("TZ");
	tap_ok(!c.bad_load, "all %zu zones of the tab files and the location "
		"table load by their IANA names", nnames);
	tap_ok(c.changes > 0, "glibc shows %zu offset changes in 2024, 2051 "
		"and 2199 across %zu zones", c.changes, c.zones);
	tap_ok(!c.bad_offset, "%zu offsets agree with glibc (random instants, "
		"range ends, both sides of each change)", c.instants);
	tap_ok(!c.bad_format, "%zu dates by location code agree with glibc's "
		"offset and gmtime_r()", c.formats);
}

static void test_optional_names(void) {
	/* installed or not depending on the tzdata build; never code-shaped */
	static const char *const names[] = {
		"Etc/GMT+5", "Etc/GMT-14", "Etc/GMT", "EST5EDT", "CST6CDT",
		"America/Argentina/Buenos_Aires",
	};
	for (size_t i = 0; i < COUNT(names); i++) {
		bool installed = is_tzif_file(names[i]);
		const struct tz_zone *z = get(names[i]);
		tap_ok(installed ? z && !strcmp(tz_zone_code(z), names[i]) : !z,
			"%s loads exactly when installed (%s)", names[i],
			installed ? "installed" : "not installed");
	}
}

int main(int argc, char **argv) {
	if (argc != 3) {
		fprintf(stderr, "usage: test-tzdata TZDATA_DIR TZLOCATIONS.TSV\n");
		return 2;
	}
	tzdir = argv[1];
	db = tz_db_create(tzdir);
	static struct tabs tabs;
	static char zones[ZONES_MAX][NAME_LEN];
	static struct loc want[ROWS_MAX];
	static struct loc got_rows[ROWS_MAX];
	tabs.zones = zones;
	tap_ok(db != NULL, "tz_db_create(%s)", tzdir);
	bool read = read_tab("zone1970.tab", tabs.n1970, tabs.first1970,
		&tabs);
	tap_ok(read, "read %s/zone1970.tab", tzdir);
	tabs.have_tab = read_tab("zone.tab", tabs.ntab, tabs.firsttab, &tabs);
	if (!tabs.have_tab) {
		tap_diag("no usable zone.tab: zone1970.tab alone decides");
		memset(tabs.ntab, 0, sizeof(tabs.ntab));
	}
	if (!db || !read) {
		return tap_done();
	}
	size_t nwant = 0;
	struct got_table got = { got_rows, 0 };
	test_table(&tabs, argv[2], want, &nwant, &got);
	test_zones(&tabs, &got);
	test_optional_names();
	tz_db_destroy(db);
	return tap_done();
}
