/*
 * server/data/schema.h: the bundled schema (schema/001_init.sql, version 1).
 * store_apply_schema(), declared in store.h for the command line, applies
 * it and fills the TZLocation table; this header adds what the store
 * needs to recognise a database that carries it. The batchtask table's
 * columns must agree with task_fields (model.h): a unit test compares them.
 * Thread-safe as far as the sqlite3 handle passed in is.
 */
#ifndef SERVER_DATA_SCHEMA_H
#define SERVER_DATA_SCHEMA_H

#include <stddef.h>

struct sqlite3;

/*
 * 0 when @db (opened from @path) carries the schema's version; -EINVAL
 * otherwise, with a message in @err naming @path that says how to make one
 * (or that an interrupted init-db left a journal to roll back).
 */
int schema_check_version(struct sqlite3 *db, const char *path, char *err,
	size_t errlen);

/*
 * 0 when every batchtask row of @db (opened from @path) holds what the
 * task table says its columns hold (numbers in their .NET ranges, known
 * states, JSON objects where JSON is stored), so every answer rendered
 * from it is valid; -EINVAL with a message naming @path, the row's Id and
 * the field otherwise (a file changed by hand), -EIO when it cannot be
 * read.
 */
int schema_check_data(struct sqlite3 *db, const char *path, char *err,
	size_t errlen);

/*
 * For init-db, once the data is in: check @db's rows (opened read-write
 * from @path) as above, then stamp the file with the change counter its
 * stamping transaction leaves it at and the check's rules. While no other
 * program writes to the file, schema_check_data() then trusts the stamp
 * and reads no row, so a big file starts in milliseconds; any write moves
 * the counter on and the next start checks every row again. A file in WAL
 * mode is not stamped. 0, or -EINVAL / -EIO with a message.
 */
int schema_stamp_checked(struct sqlite3 *db, const char *path, char *err,
	size_t errlen);

#endif
