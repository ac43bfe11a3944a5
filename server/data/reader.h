/*
 * server/data/reader.h: what one reader of a store holds. Internal to
 * data/: store.c opens, pools and closes readers; queries.c,
 * credentials.c and resources.c each fill and use their own part of one.
 * Nothing outside data/ includes this; there a reader is opaque.
 *
 * A reader is used by one thread at a time, the one that acquired it.
 */
#ifndef SERVER_DATA_READER_H
#define SERVER_DATA_READER_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "changes.h"
#include "credentials.h"
#include "queries.h"
#include "resources.h"

struct sqlite3;
struct sqlite3_stmt;
struct store;

struct store_reader {
	struct store *home;            /* the store whose pool it is in */
	struct sqlite3 *db;            /* owned: a copy, or the --db file */
	uint64_t version;              /* of the master data it copied */
	uint64_t epoch;                /* of that data: see store_epoch */
	bool copy;                     /* @db is an in-memory copy: row
	                                  writes' changes replay on it */
	struct sqlite3_stmt *dep;      /* the dependency look-up, or NULL */
	struct task_queries tasks;
	struct credential_queries creds;
	struct resources res;
	struct change_applier apply;   /* row writes' changes, for @db */
	struct store_reader *next_free;
};

/*
 * The statement in @slot, prepared from @sql on @db the first time it is
 * needed, to live as long as the reader (a reader that answers a few kinds
 * of request prepares only those: a sandbox's reader lives for one test).
 * NULL, logged, when it cannot be prepared. store.c.
 */
struct sqlite3_stmt *reader_stmt(struct sqlite3 *db,
	struct sqlite3_stmt **slot, const char *sql);
/*
 * Bring @r to its store's current version before it reads tasks or their
 * versions: store_reader_acquire() leaves a reader behind by row writes
 * (which change tasks only) for requests that only authenticate. 0, or
 * -EIO (logged) when the data cannot be copied again. store.c.
 */
int reader_sync(struct store_reader *r);
/* Finalize @n statements and set them NULL; NULLs are fine. */
void reader_finalize(struct sqlite3_stmt **st, size_t n);

#endif
