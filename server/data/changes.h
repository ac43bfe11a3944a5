/*
 * server/data/changes.h: applying a row write's changeset to a reader's
 * copy of the data, with statements kept per reader.
 *
 * SQLite's own sqlite3changeset_apply() prepares its statements, and reads
 * each table's columns with a PRAGMA, on every call: under a stream of
 * writes that was a third of what a write cost, since every reader applies
 * every write it missed. An applier keeps them for the reader's life.
 *
 * The copy must hold exactly the data the changeset was recorded against
 * (the reader's version is the change's @from): every insert must add a
 * row, and every update and delete must find its row. Anything else is an
 * error, and the caller copies the data again rather than trust the copy.
 *
 * Not thread-safe: an applier belongs to one reader, used by one thread.
 */
#ifndef SERVER_CHANGES_H
#define SERVER_CHANGES_H

#include <stddef.h>
#include <stdint.h>

struct sqlite3;
struct sqlite3_stmt;

/* Statements kept for one table; see changes.c. */
#define CHANGES_UPDATE_SHAPES 8

struct change_table {
	char *name;                  /* owned */
	int n_cols;
	char **cols;                 /* owned, n_cols names */
	unsigned char *pk;           /* owned: n_cols flags, from a changeset */
	struct sqlite3_stmt *insert; /* owned, each NULL until first used */
	struct sqlite3_stmt *del;
	struct {
		uint64_t cols;       /* the columns it sets, a bit each */
		struct sqlite3_stmt *st;
	} update[CHANGES_UPDATE_SHAPES];
};

#define CHANGES_TABLES 4

/* Zeroed is empty and ready; the statements belong to one db. */
struct change_applier {
	struct change_table tables[CHANGES_TABLES];
	size_t n_tables;
};

/*
 * Apply the changeset @set (@len bytes) to @db, inside a savepoint: all of
 * it, or nothing and -EIO (a change that does not fit the data, a table
 * with more than 64 columns, or more than CHANGES_TABLES tables), or
 * -ENOMEM. @db must be the db @a's statements were made on.
 */
int changes_apply(struct change_applier *a, struct sqlite3 *db,
	const void *set, int len);

/* Finalize @a's statements (before its db closes) and empty it. */
void changes_applier_finish(struct change_applier *a);

#endif
