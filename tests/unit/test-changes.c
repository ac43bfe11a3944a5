/*
 * tests/unit/test-changes.c: a reader's copy follows a master through the
 * changesets SQLite's session extension records, applied by changes.c
 * with the statements it keeps: inserts, updates of some columns, deletes,
 * in a rowid table and a WITHOUT ROWID one, several changesets in a row on
 * the same applier; and a changeset that does not fit the copy is refused
 * whole, leaving the copy as it was.
 */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "changes.h"
#include "tap.h"

static const char schema[] =
	"CREATE TABLE task (id INTEGER PRIMARY KEY, name TEXT, state INT,"
	" note TEXT);"
	"CREATE TABLE dep (dep TEXT PRIMARY KEY, v INTEGER NOT NULL)"
	" WITHOUT ROWID;"
	"INSERT INTO task VALUES (1, 'one', 0, NULL), (2, 'two', 1, 'x'),"
	" (3, 'three', 2, 'y');"
	"INSERT INTO dep VALUES ('T|', 1);";

static sqlite3 *open_db(void) {
	sqlite3 *db = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
			sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		tap_diag("cannot open: %s", sqlite3_errmsg(db));
		exit(1);
	}
	return db;
}

/* Every row of both tables, as one string, in key order. */
static char *dump(sqlite3 *db) {
	static char buf[4096];
	size_t o = 0;
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db, "SELECT 'task', id, name, state, note FROM task"
		" UNION ALL SELECT 'dep', dep, v, NULL, NULL FROM dep"
		" ORDER BY 1, 2", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW && o < sizeof(buf) - 200) {
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s|%s|%s|%s|%s;",
			sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			sqlite3_column_text(st, 2) ? (const char *)
			sqlite3_column_text(st, 2) : "NULL",
			sqlite3_column_text(st, 3) ? (const char *)
			sqlite3_column_text(st, 3) : "NULL",
			sqlite3_column_text(st, 4) ? (const char *)
			sqlite3_column_text(st, 4) : "NULL");
	}
	sqlite3_finalize(st);
	buf[o] = '\0';
	return strdup(buf);
}

/* Run @sql on @db and return the changeset it makes (sqlite3_free). */
static void *record(sqlite3 *db, const char *sql, int *len) {
	sqlite3_session *s = NULL;
	void *set = NULL;
	if (sqlite3session_create(db, "main", &s) != SQLITE_OK ||
			sqlite3session_attach(s, NULL) != SQLITE_OK ||
			sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
			sqlite3session_changeset(s, len, &set) != SQLITE_OK) {
		tap_diag("cannot record '%s': %s", sql, sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3session_delete(s);
	return set;
}

/* Make the change on @master, apply it to @copy; both must then agree. */
static void step(struct change_applier *a, sqlite3 *master, sqlite3 *copy,
		const char *sql, const char *what) {
	int len = 0;
	void *set = record(master, sql, &len);
	int ret = changes_apply(a, copy, set, len);
	sqlite3_free(set);
	char *want = dump(master), *got = dump(copy);
	tap_ok(ret == 0 && !strcmp(want, got), "%s: the copy follows", what);
	if (strcmp(want, got)) {
		tap_diag("want %s", want);
		tap_diag("got  %s", got);
	}
	free(want);
	free(got);
}

int main(void) {
	sqlite3 *master = open_db(), *copy = open_db();
	struct change_applier a = { 0 };
	step(&a, master, copy, "INSERT INTO task VALUES (4, 'four', 0, 'z')",
		"an insert");
	step(&a, master, copy, "UPDATE task SET state = 3 WHERE id = 2",
		"an update of one column");
	step(&a, master, copy, "UPDATE task SET name = 'uno', note = 'n' "
		"WHERE id = 1", "an update of two others");
	step(&a, master, copy, "UPDATE task SET note = NULL WHERE id = 3",
		"a column set to NULL");
	step(&a, master, copy, "DELETE FROM task WHERE id = 3", "a delete");
	step(&a, master, copy, "INSERT INTO dep VALUES ('S|0', 1) ON CONFLICT"
		" (dep) DO UPDATE SET v = v + 1; UPDATE dep SET v = v + 1 WHERE "
		"dep = 'T|'", "a WITHOUT ROWID table: insert and update");
	step(&a, master, copy, "UPDATE task SET state = 3 WHERE id = 4; "
		"INSERT INTO task VALUES (9, 'nine', 1, NULL); DELETE FROM dep "
		"WHERE dep = 'S|0'", "one changeset over both tables");
	step(&a, master, copy, "UPDATE task SET state = 0 WHERE id = 2",
		"a shape of update seen before");
	tap_int((long long)a.n_tables, 2, "one entry a table, kept");

	/* a change the copy cannot take: the row it updates is gone there */
	sqlite3_exec(copy, "DELETE FROM task WHERE id = 4", NULL, NULL, NULL);
	char *before = dump(copy);
	int len = 0;
	void *set = record(master, "INSERT INTO task VALUES (10, 'ten', 0, "
		"NULL); UPDATE task SET name = 'vier' WHERE id = 4", &len);
	tap_int(changes_apply(&a, copy, set, len), -EIO,
		"an update whose row is missing is refused");
	sqlite3_free(set);
	char *after = dump(copy);
	tap_str(after, before, "and the copy is as it was (no half of it)");
	free(before);
	free(after);
	set = record(master, "DELETE FROM task WHERE id = 1", &len);
	tap_int(changes_apply(&a, copy, set, len), 0,
		"the applier still works after a refusal");
	sqlite3_free(set);
	set = record(master, "DELETE FROM task WHERE id = 1", &len);
	tap_int(len, 0, "(a change of nothing records nothing)");
	sqlite3_free(set);
	sqlite3_exec(copy, "INSERT INTO task VALUES (11, 'x', 0, NULL)", NULL,
		NULL, NULL);
	set = record(master, "INSERT INTO task VALUES (11, 'y', 0, NULL)",
		&len);
	tap_int(changes_apply(&a, copy, set, len), -EIO,
		"an insert whose key the copy has is refused");
	sqlite3_free(set);

	changes_applier_finish(&a);
	tap_int((long long)a.n_tables, 0, "finish empties it");
	tap_ok(sqlite3_close(copy) == SQLITE_OK, "and leaves no statement open "
		"on the copy");
	sqlite3_close(master);
	return tap_done();
}
