/*
 * tests/unit/test-changes.c: a reader's copy follows a master through the
 * rows changes.c records with SQLite's pre-update hook and replays with
 * the statements it keeps: inserts, updates of some columns, deletes, a
 * changed rowid, INSERT OR REPLACE, in a rowid table and a WITHOUT ROWID
 * one, several sets replayed at once; and a set that does not fit the
 * copy is refused whole, leaving the copy as it was.
 */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Run @sql on @db, recording what it changes into @cs. */
static void record(sqlite3 *db, const char *sql, struct change_set *cs) {
	changes_record_start(cs, db);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	changes_record_stop(db);
	if (rc != SQLITE_OK || cs->failed) {
		tap_diag("cannot record '%s': %s", sql, sqlite3_errmsg(db));
		exit(1);
	}
}

/* Make the change on @master, replay it on @copy; both must then agree. */
static void step(struct change_applier *a, sqlite3 *master, sqlite3 *copy,
		const char *sql, const char *what) {
	struct change_set cs = { 0 };
	record(master, sql, &cs);
	const struct change_set *sets[] = { &cs };
	int ret = changes_apply(a, copy, sets, 1);
	change_set_free(&cs);
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
	step(&a, master, copy, "UPDATE task SET id = 7 WHERE id = 4",
		"a changed rowid");
	step(&a, master, copy, "INSERT OR REPLACE INTO task VALUES (7, 'seven',"
		" 1, NULL)", "INSERT OR REPLACE over a row");
	step(&a, master, copy, "INSERT INTO dep VALUES ('S|0', 1) ON CONFLICT"
		" (dep) DO UPDATE SET v = v + 1; UPDATE dep SET v = v + 1 WHERE "
		"dep = 'T|'", "a WITHOUT ROWID table: insert and update");
	step(&a, master, copy, "UPDATE task SET state = 3 WHERE id = 7; "
		"INSERT INTO task VALUES (9, 'nine', 1, NULL); DELETE FROM dep "
		"WHERE dep = 'S|0'", "one set over both tables");
	tap_int((long long)a.n_tables, 2, "one entry a table, kept");

	/* three writes replayed at once, as a reader behind does */
	struct change_set cs[3] = { { 0 } };
	record(master, "INSERT INTO task VALUES (20, 'a', 0, NULL)", &cs[0]);
	record(master, "UPDATE task SET name = 'b' WHERE id = 20", &cs[1]);
	record(master, "DELETE FROM task WHERE id = 9", &cs[2]);
	const struct change_set *three[] = { &cs[0], &cs[1], &cs[2] };
	int ret = changes_apply(&a, copy, three, 3);
	char *want = dump(master), *got = dump(copy);
	tap_ok(ret == 0 && !strcmp(want, got), "three sets at once, in order");
	free(want);
	free(got);
	for (size_t i = 0; i < 3; i++) {
		change_set_free(&cs[i]);
	}

	/* a set the copy cannot take: the row it deletes is gone there */
	sqlite3_exec(copy, "DELETE FROM task WHERE id = 20", NULL, NULL, NULL);
	char *before = dump(copy);
	struct change_set bad = { 0 };
	record(master, "INSERT INTO task VALUES (10, 'ten', 0, NULL); "
		"DELETE FROM task WHERE id = 20", &bad);
	const struct change_set *one[] = { &bad };
	tap_int(changes_apply(&a, copy, one, 1), -EIO,
		"a delete whose row is missing is refused");
	change_set_free(&bad);
	char *after = dump(copy);
	tap_str(after, before, "and the copy is as it was (no half of it)");
	free(before);
	free(after);
	struct change_set failed = { .failed = true };
	const struct change_set *f[] = { &failed };
	tap_int(changes_apply(&a, copy, f, 1), -EIO,
		"a set whose recording failed is refused");
	struct change_set none = { 0 };
	record(master, "DELETE FROM task WHERE id = 12345", &none);
	tap_int((long long)none.n, 0, "a change of nothing records nothing");
	const struct change_set *z[] = { &none };
	tap_int(changes_apply(&a, copy, z, 1), 0, "and replays as nothing");

	changes_applier_finish(&a);
	tap_int((long long)a.n_tables, 0, "finish empties it");
	tap_ok(sqlite3_close(copy) == SQLITE_OK, "and leaves no statement open "
		"on the copy");
	sqlite3_close(master);
	return tap_done();
}
