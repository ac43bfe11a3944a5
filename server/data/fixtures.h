/*
 * server/data/fixtures.h: fixture documents into a store database.
 *
 * A document is loaded whole or not at all: everything happens inside one
 * SAVEPOINT that is rolled back on the first error, and the message names
 * the file, the entry and the field (`demo.json: batchTasks[3].State:
 * unknown state 'Foo'`). A batchTasks entry is a carrier: its keys, their
 * checks and columns come from task_fields (model.h). Not thread-safe per
 * database handle.
 */
#ifndef SERVER_FIXTURES_H
#define SERVER_FIXTURES_H

#include <stddef.h>

struct json_t;
struct sqlite3;
struct stmt_cache;

/*
 * Load the JSON document @text (@len bytes) named @name into @db, which must
 * carry the schema. 0, or -EINVAL (bad document) / -EIO (database error)
 * with a message in @err.
 */
int fixtures_load(struct sqlite3 *db, const char *name, const char *text,
	size_t len, char *err, size_t errlen);
/*
 * Insert one carrier, a batchTasks entry (must have an integer "Id"),
 * checked as a fixture's entries are; its tenant is its owner's. The
 * message names @what and the field ("BatchTaskInfo.State: unknown state
 * 'Foo'"). 0, -EINVAL or -EIO. The caller holds the transaction. Its
 * statements come from @kept (statements on @db), or are made for the
 * call when it is NULL.
 */
int fixtures_insert_task(struct sqlite3 *db, struct stmt_cache *kept,
	const char *what, struct json_t *carrier, char *err, size_t errlen);
/*
 * Check every member of @carrier the task record has (but @skip, which
 * may be NULL) as an entry's would be checked, without storing anything:
 * for writes, whose bodies must be readable even in members they ignore
 * or replace. Other members are not the record's and pass. 0, or -EINVAL
 * (-EIO) with a message naming @what and the member in @err.
 */
int fixtures_check_task_members(struct sqlite3 *db, struct stmt_cache *kept,
	const char *what, struct json_t *carrier, const char *skip, char *err,
	size_t errlen);
/* The same for a file; -errno when it cannot be read. */
int fixtures_load_file(struct sqlite3 *db, const char *path, char *err,
	size_t errlen);

#endif
