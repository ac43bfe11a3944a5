/*
 * tests/fuzz/fuzz-fixtures.c: the fixture loader (fixtures_load). Any JSON
 * (any bytes) in: either a load or a clean error with a message, never a
 * crash. One in-memory database with the schema is created once; every
 * input is loaded inside a transaction that is rolled back, so inputs do
 * not see each other's rows. A load that fails must leave no rows behind.
 */
#include "fuzz.h"

#include <errno.h>

#include <sqlite3.h>

#include "fixtures.h"
#include "store.h"

static sqlite3 *db;

static void exec(const char *sql) {
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
		abort();
	}
}

static long long count_rows(void) {
	sqlite3_stmt *st = NULL;
	long long n = -1;
	FUZZ_CHECK(sqlite3_prepare_v2(db, "SELECT "
		"(SELECT count(*) FROM sqlite_schema WHERE type = 'table')",
		-1, &st, NULL) == SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

static long long total_rows(void) {
	/* sum of count(*) over every table, built from the schema */
	sqlite3_stmt *st = NULL;
	long long total = 0;
	FUZZ_CHECK(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema "
		"WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
		"AND name <> 'tzlocation' COLLATE NOCASE", -1, &st, NULL) ==
		SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char sql[256];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"",
			(const char *)sqlite3_column_text(st, 0));
		sqlite3_stmt *c = NULL;
		FUZZ_CHECK(sqlite3_prepare_v2(db, sql, -1, &c, NULL) ==
			SQLITE_OK);
		FUZZ_CHECK(sqlite3_step(c) == SQLITE_ROW);
		total += sqlite3_column_int64(c, 0);
		sqlite3_finalize(c);
	}
	sqlite3_finalize(st);
	return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static long long tables;
	static long long base_rows;
	char err[1024];
	if (!db) {
		FUZZ_CHECK(sqlite3_open_v2(":memory:", &db,
			SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
		FUZZ_CHECK(store_apply_schema(db, err, sizeof(err)) == 0);
		tables = count_rows();
		base_rows = total_rows();
	}
	char *text = fuzz_dup(data, size);
	exec("BEGIN");
	err[0] = '\0';
	int rc = fixtures_load(db, "fuzz.json", text, size, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -EIO);
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)));
	if (rc) {
		FUZZ_CHECK(err[0] != '\0');
		FUZZ_CHECK(total_rows() == base_rows);
	}
	FUZZ_CHECK(sqlite3_get_autocommit(db) == 0);
	exec("ROLLBACK");
	FUZZ_CHECK(count_rows() == tables);
	free(text);
	return 0;
}
