/*
 * server/data/changes.h: what a row write changed, recorded on the master
 * and replayed on a reader's copy of the data.
 *
 * After a Batch write each reader must see it. Copying the whole data
 * again and preparing every statement was most of what a write cost;
 * SQLite's session extension, which records a changeset, reads each
 * table's columns with a PRAGMA in every new session and its apply
 * prepares its statements at every call, which together were a third of
 * it. So the master records, through SQLite's pre-update hook, every row
 * a write inserts, updates or deletes (the whole new row, or the deleted
 * row's key), and a reader replays the rows it missed with INSERT OR
 * REPLACE and DELETE statements it keeps for its life.
 *
 * A replay is exact only on a copy that holds the data the changes were
 * recorded against (the reader's version is the first change's "from"):
 * the store guarantees that, and a delete that finds no row, or a row
 * whose columns do not match the copy's table, is an error that undoes
 * the whole replay; the reader then copies the data again.
 *
 * Not thread-safe: a recording belongs to the master under the store's
 * write lock, an applier to one reader used by one thread.
 */
#ifndef SERVER_CHANGES_H
#define SERVER_CHANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_value;

/* One row a write changed. */
struct row_change {
	char *table;                  /* owned */
	bool del;                     /* deleted; else inserted or updated */
	int n;                        /* values: every column of the row */
	struct sqlite3_value **vals;  /* owned: new row, or the deleted one */
};

/* The rows one write changed, in the order it changed them. */
struct change_set {
	struct row_change *rows;      /* owned */
	size_t n, cap;
	size_t bytes;                 /* about what they take */
	bool failed;                  /* out of memory while recording */
};

/*
 * Record into @cs (zeroed) every change made on @db's main database until
 * changes_record_stop(). Recording cannot fail the write: on OOM @cs is
 * marked failed, and the store makes readers copy the data instead.
 */
void changes_record_start(struct change_set *cs, struct sqlite3 *db);
void changes_record_stop(struct sqlite3 *db);
/* Free what @cs holds; it is empty and zeroed again. */
void change_set_free(struct change_set *cs);

/* Statements kept for one table of a reader's copy; see changes.c. */
struct change_table {
	char *name;                  /* owned */
	int n_cols;
	uint64_t pk;                 /* its primary key's columns, a bit each */
	struct sqlite3_stmt *upsert; /* owned, each NULL until first used */
	struct sqlite3_stmt *del;
};

#define CHANGES_TABLES 4

/* Zeroed is empty and ready; the statements belong to one db. */
struct change_applier {
	struct change_table tables[CHANGES_TABLES];
	size_t n_tables;
};

/*
 * Replay the @n change sets @sets, in order, on @db, inside a savepoint:
 * all of them, or nothing and -EIO (a change that does not fit, a table
 * of more than 64 columns, more than CHANGES_TABLES tables). @db must be
 * the db @a's statements were made on.
 */
int changes_apply(struct change_applier *a, struct sqlite3 *db,
	const struct change_set *const *sets, size_t n);

/* Finalize @a's statements (before its db closes) and empty it. */
void changes_applier_finish(struct change_applier *a);

#endif
