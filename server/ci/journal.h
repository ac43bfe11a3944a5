/*
 * server/ci/journal.h: the request journal behind GET /__somock/requests: a
 * bounded ring of the last N API requests (oldest dropped first), for
 * request verification in tests. Entries hold no secrets: no header
 * values other than the ones listed, never Authorization or Cookie.
 * Thread-safe; recording is one mutex and a copy.
 */
#ifndef SERVER_JOURNAL_H
#define SERVER_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct journal;

struct journal_entry {
	uint64_t seq;            /* 1, 2, ... since start */
	int64_t time;            /* ticks (real UTC) */
	char method[12];
	char path[512];          /* decoded path, cut at 511 bytes */
	char query[256];
	int status;
	int64_t associate_id;    /* 0 when not authenticated */
	char scheme[12];         /* "Basic", "SOTicket", ... or "" */
	char sandbox[64];
	char accept[128];
	char language[64];       /* SO-Language, else Accept-Language */
	char timezone[64];       /* SO-TimeZone */
	double ms;
};

/* A journal of @capacity entries (>= 1); NULL on OOM. */
struct journal *journal_create(size_t capacity);
void journal_destroy(struct journal *journal);
void journal_record(struct journal *journal, const struct journal_entry *e);
void journal_clear(struct journal *journal);

struct journal_filter {
	const char *path;        /* glob_match pattern; NULL: any */
	const char *method;      /* NULL: any */
	int status;              /* 0: any */
	int64_t associate_id;    /* 0: any */
	const char *sandbox;     /* NULL: any ("" matches the default) */
};

/*
 * Call @fn for each entry matching @filter, oldest first, with the lock
 * held (keep @fn short; it must not call back into the journal). Returns
 * the number of matches.
 */
typedef void (*journal_fn)(void *ud, const struct journal_entry *e);
size_t journal_query(struct journal *journal,
	const struct journal_filter *filter, journal_fn fn, void *ud);

#endif
