/*
 * tests/unit/test-store.c: the store over a fixture file, called directly:
 * task queries by tenant and state, every field read back, writes and
 * reset, clones kept apart, versions moving with the data, the credential
 * and resource look-ups, a --db file never written; and the schema file's
 * batchtask table against the task field table, so the two cannot drift.
 */
#include "build-config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "credentials.h"
#include "fixtures.h"
#include "model.h"
#include "queries.h"
#include "resources.h"
#include "store.h"
#include "tap.h"
#include "task_list.h"
#include "ticks.h"

static const char fixture[] = "{"
	"\"associates\": ["
	" {\"AssociateId\": 53, \"Name\": \"tje0\", \"Password\": \"Tje0\"},"
	" {\"AssociateId\": 54, \"Name\": \"cust\", \"Tenant\": \"Cust12345\"},"
	" {\"AssociateId\": 55, \"Name\": \"cust2\", \"Tenant\": \"Cust12345\"}],"
	"\"tickets\": [{\"Ticket\": \"7T:abc\", \"AssociateId\": 54}],"
	"\"resources\": ["
	" {\"Id\": \"SR_X\", \"Language\": \"US\", \"Text\": \"Export\"},"
	" {\"Id\": \"SR_X\", \"Language\": \"NO\", \"Text\": \"Eksport\"}],"
	"\"batchTasks\": ["
	" {\"Id\": 10, \"State\": \"New\"},"
	" {\"Id\": 6, \"Name\": \"[SR_X]\", \"AssociateId\": 53,"
	"  \"DetailsTable\": -32768, \"DetailsRecord\": 2147483647,"
	"  \"IsSystemTask\": false, \"IsInternalTask\": true,"
	"  \"ParameterObject\": {\"k\": \"v\"},"
	"  \"LastStarted\": \"2020-01-22T17:54:08.6793184+01:00\","
	"  \"Created\": \"1970-01-01T00:00:00Z\", \"StartCount\": 3,"
	"  \"DatabaseSerialNumber\": \"146286\", \"Context\": \"c\","
	"  \"Result\": \"r\", \"State\": \"Failed\", \"Description\": \"d\","
	"  \"Response\": null, \"Request\": \"q\","
	"  \"ProgressDescription\": \"pd\", \"ProgressPercent\": 100,"
	"  \"FileName\": \"f.csv\", \"CancellationBehaviour\": \"CannotCancel\","
	"  \"TableRight\": {\"Mask\": \"FULL\", \"Reason\": null},"
	"  \"FieldProperties\": null},"
	" {\"Id\": 1, \"AssociateId\": 53, \"State\": \"New\"},"
	" {\"Id\": 2, \"AssociateId\": 53, \"State\": \"Failed\"},"
	" {\"Id\": 3, \"AssociateId\": 53, \"State\": \"Failed\","
	"  \"IsSystemTask\": true},"
	" {\"Id\": 4, \"AssociateId\": 54, \"State\": \"Failed\"},"
	" {\"Id\": 5, \"AssociateId\": 55, \"State\": \"Started\"}]"
	"}";

static char *write_temp(const char *text) {
	char path[] = "/tmp/somock-test-store-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		return NULL;
	}
	fputs(text, f);
	fclose(f);
	return strdup(path);
}

/* The ids of the tasks a query returns, "1,2,6", or "error N". */
static const char *ids(struct store_reader *r, const char *tenant,
		int state, int64_t id) {
	static char buf[256];
	struct task_list list = { 0 };
	int ret = id ? store_get_task(r, tenant, id, &list) :
		store_list_tasks(r, tenant, state, &list);
	size_t used = 0;
	buf[0] = '\0';
	if (ret) {
		snprintf(buf, sizeof(buf), "error %d", ret);
	}
	for (size_t i = 0; !ret && i < list.n && used < sizeof(buf); i++) {
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
			"%s%lld", i ? "," : "", (long long)list.items[i].id);
	}
	task_list_finish(&list);
	return buf;
}

static void queries(struct store *store) {
	struct store_reader *r = store_reader_acquire(store);
	if (!tap_ok(r, "a reader")) {
		return;
	}
	tap_str(ids(r, "", TASK_STATE_ALL, 0), "1,2,6,10", "the default "
		"tenant's user tasks, by Id, with an owner or none");
	tap_str(ids(r, NULL, TASK_STATE_ALL, 0), "1,2,6,10",
		"NULL is the default tenant");
	tap_str(ids(r, "", TASK_STATE_FAILED, 0), "2,6", "by state");
	tap_str(ids(r, "", TASK_STATE_UNKNOWN, 0), "", "none in a state: "
		"an empty list");
	tap_str(ids(r, "Cust12345", TASK_STATE_ALL, 0), "4,5",
		"a tenant's tasks, whoever of it owns them");
	tap_str(ids(r, "cust12345", TASK_STATE_STARTED, 0), "5",
		"tenant names compare case-insensitively");
	tap_str(ids(r, "Cust999", TASK_STATE_ALL, 0), "", "an unknown tenant "
		"has none");
	tap_str(ids(r, "", 0, 3), "3", "by id, a system task too");
	tap_str(ids(r, "", 0, 4), "error -2", "another tenant's task: "
		"-ENOENT");
	tap_str(ids(r, "Cust12345", 0, 4), "4", "in its own tenant");
	tap_str(ids(r, "", 0, 999), "error -2", "no such task: -ENOENT");

	/* every field of one task, compared through the field table */
	struct task want = {
		.id = 6, .name = "[SR_X]", .associate_id = 53,
		.details_table = -32768, .details_record = 2147483647,
		.is_internal_task = true, .parameter_object = "{\"k\":\"v\"}",
		.last_started = TICKS_UNIX_EPOCH + INT64_C(1579712048) *
			TICKS_PER_SECOND + 6793184,
		.created = TICKS_UNIX_EPOCH, .start_count = 3,
		.database_serial_number = "146286", .context = "c",
		.result = "r", .state = TASK_STATE_FAILED, .description = "d",
		.request = "q", .progress_description = "pd",
		.progress_percent = 100, .file_name = "f.csv",
		.cancellation = TASK_CANCEL_CANNOT_CANCEL,
		.table_right = "{\"Mask\":\"FULL\",\"Reason\":null}",
	};
	struct task_list list = { 0 };
	if (tap_int(store_get_task(r, "", 6, &list), 0, "task 6") &&
			tap_int((long long)list.n, 1, "one task")) {
		for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
			const struct task_field *f = &task_fields[i];
			if (task_field_kind_is_text(f->kind)) {
				tap_str(task_field_text(&list.items[0], f),
					task_field_text(&want, f), "read: %s",
					f->name);
			} else {
				tap_int(task_field_number(&list.items[0], f),
					task_field_number(&want, f), "read: %s",
					f->name);
			}
		}
	}
	task_list_finish(&list);

	struct store_associate a;
	tap_ok(!store_find_associate_by_name(r, "TJE0", 4, "Tje0", 4, &a) &&
		a.id == 53 && a.has_password && a.password_ok,
		"an associate by login name, any case, and its password");
	tap_ok(!store_find_associate_by_name(r, "tje0", 4, "Tje", 3, &a) &&
		!a.password_ok, "a password's prefix does not match");
	tap_ok(!store_find_associate_by_name(r, "tje0", 4, "Tje00", 5, &a) &&
		!a.password_ok, "a password with more does not match");
	tap_ok(!store_find_associate(r, 54, &a) &&
		!strcmp(a.tenant, "Cust12345") && !a.has_password,
		"an associate by id, with its tenant");
	int64_t who = 0, expires = 0;
	tap_ok(!store_match_ticket(r, "7T:abc", 6, &who, &expires) &&
		who == 54 && expires == INT64_MAX, "a ticket without Expires "
		"never expires");
	tap_int(store_match_ticket(r, "7T:abd", 6, &who, &expires), -ENOENT,
		"an unknown ticket");
	tap_str(store_resource(r, "SR_X", 4, "NO"), "Eksport",
		"a resource in a language");
	tap_ok(!store_resource(r, "SR_X", 4, "DE") &&
		!store_resource(r, "SR_Y", 4, "US"), "no such resource: NULL");
	store_reader_release(store, r);
}

static int set_state(sqlite3 *db, void *ud, char *err, size_t errlen) {
	const int *state = ud;
	sqlite3_stmt *st = NULL;
	int ret = -EIO;
	if (sqlite3_prepare_v2(db, "UPDATE batchtask SET state = ?1 "
			"WHERE BatchTask_id = 1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, *state);
		ret = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
	}
	sqlite3_finalize(st);
	if (ret) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	}
	return ret;
}

/* Change the data, then refuse: store_write must undo the change. */
static int change_then_fail(sqlite3 *db, void *ud, char *err,
		size_t errlen) {
	set_state(db, ud, err, errlen);
	snprintf(err, errlen, "refused");
	return -EINVAL;
}

/* State of task 1 as a fresh reader of @store sees it. */
static int state_of_1(struct store *store) {
	struct store_reader *r = store_reader_acquire(store);
	struct task_list list = { 0 };
	int state = r && !store_get_task(r, "", 1, &list) ?
		list.items[0].state : -1;
	task_list_finish(&list);
	store_reader_release(store, r);
	return state;
}

static void writes(struct store *store) {
	char err[256] = "";
	int succeeded = TASK_STATE_SUCCEEDED;
	uint64_t v0 = store_version(store);
	struct store_reader *held = store_reader_acquire(store);
	tap_int(store_write(store, set_state, &succeeded, err, sizeof(err)),
		0, "a write");
	uint64_t v1 = store_version(store);
	tap_ok(v1 > v0, "moves the version on");
	tap_ok(held && store_reader_version(held) == v0, "a reader held "
		"across it still reads the data it copied");
	store_reader_release(store, held);
	tap_int(state_of_1(store), TASK_STATE_SUCCEEDED, "a reader taken "
		"after it sees the change");

	int failed = TASK_STATE_FAILED;
	tap_int(store_write(store, change_then_fail, &failed, err,
		sizeof(err)), -EINVAL, "a write that fails");
	tap_ok(store_version(store) == v1 && state_of_1(store) ==
		TASK_STATE_SUCCEEDED, "changes nothing, version included");

	static const char more[] = "{\"batchTasks\": [{\"Id\": 20}]}";
	static const char bad[] = "{\"batchTasks\": [{\"Id\": 21}, "
		"{\"Id\": true}]}";
	tap_int(store_load_fixture(store, "more.json", more, strlen(more),
		err, sizeof(err)), 0, "a fixture loaded on top");
	uint64_t v2 = store_version(store);
	tap_ok(v2 > v1, "moves the version on");
	tap_ok(store_load_fixture(store, "bad.json", bad, strlen(bad), err,
		sizeof(err)) == -EINVAL && store_version(store) == v2,
		"a bad one is refused, the version kept");
	tap_str(err, "bad.json: batchTasks[1].Id: must be an integer",
		"  ... naming file, entry and field");
	struct store_reader *r = store_reader_acquire(store);
	tap_str(r ? ids(r, "", TASK_STATE_ALL, 0) : NULL, "1,2,6,10,20",
		"the good fixture's task is there, none of the bad one's");
	store_reader_release(store, r);

	store_reset(store);
	tap_ok(store_version(store) > v2, "reset moves the version on");
	r = store_reader_acquire(store);
	tap_str(r ? ids(r, "", TASK_STATE_ALL, 0) : NULL, "1,2,6,10",
		"reset drops what was loaded on top");
	store_reader_release(store, r);
	tap_int(state_of_1(store), TASK_STATE_NEW, "and what was written");
}

static void clones(struct store *base) {
	char err[256] = "";
	int started = TASK_STATE_STARTED, failed = TASK_STATE_FAILED;
	store_write(base, set_state, &started, err, sizeof(err));
	struct store *clone = store_clone(base, NULL);
	if (!tap_ok(clone, "a clone")) {
		return;
	}
	tap_int(state_of_1(clone), TASK_STATE_NEW, "starts from the "
		"start-up data, not the base's changes");
	tap_ok(store_version(clone) != store_version(base), "with a version "
		"of its own");
	tap_int(store_write(clone, set_state, &failed, err, sizeof(err)), 0,
		"a write to the clone");
	tap_ok(state_of_1(clone) == TASK_STATE_FAILED &&
		state_of_1(base) == TASK_STATE_STARTED,
		"changes the clone only");
	tap_ok(store_version(clone) != store_version(base), "the versions "
		"still differ");
	store_reset(base);
	tap_ok(state_of_1(base) == TASK_STATE_NEW &&
		state_of_1(clone) == TASK_STATE_FAILED,
		"a reset of the base leaves the clone alone");
	store_reset(clone);
	tap_int(state_of_1(clone), TASK_STATE_NEW, "the clone resets to "
		"the start-up data");
	store_destroy(clone);

	/* clones copy only when they change, within a budget */
	/* room for one clone's copy, not two */
	struct store_budget budget = {
		.max = store_snapshot_bytes(base) * 3 / 2 };
	struct store *a = store_clone(base, &budget);
	struct store *b = store_clone(base, &budget);
	tap_ok(a && b && store_own_bytes(a) == 0 && !atomic_load(&budget.used),
		"clones that read copy nothing");
	tap_int(state_of_1(a), TASK_STATE_NEW, "and read the start-up data");
	tap_int(store_write(a, set_state, &failed, err, sizeof(err)), 0,
		"the first write of a clone");
	tap_ok(store_own_bytes(a) > 0 && atomic_load(&budget.used) ==
		store_own_bytes(a), "reserves its copies from the budget");
	tap_int(state_of_1(b), TASK_STATE_NEW, "another clone still reads "
		"the start-up data");
	tap_int(store_write(b, set_state, &failed, err, sizeof(err)), -ENOSPC,
		"a write past the budget fails");
	tap_int(state_of_1(b), TASK_STATE_NEW, "and changes nothing");
	store_reset(a);
	tap_ok(store_own_bytes(a) == 0 && !atomic_load(&budget.used),
		"a reset gives the bytes back");
	tap_int(store_write(b, set_state, &failed, err, sizeof(err)), 0,
		"then the other clone may write");
	store_destroy(a);
	store_destroy(b);
	tap_ok(!atomic_load(&budget.used), "destroyed clones give it all back");
}

static char *slurp(const char *path, size_t *len) {
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	*len = 0;
	if (f) {
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		rewind(f);
		buf = n > 0 ? malloc((size_t)n) : NULL;
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			*len = (size_t)n;
		}
		fclose(f);
	}
	return buf;
}

/* A --db file is the start-up data; writes go to a copy in memory. */
static void db_file(const char *fixture_path) {
	char path[] = "/tmp/somock-test-store-db-XXXXXX";
	int fd = mkstemp(path);
	char err[256] = "";
	sqlite3 *db = NULL;
	if (fd < 0 || sqlite3_open(path, &db) != SQLITE_OK ||
			store_apply_schema(db, err, sizeof(err)) ||
			fixtures_load_file(db, fixture_path, err, sizeof(err))) {
		tap_ok(false, "a --db file: %s", err);
		sqlite3_close(db);
		return;
	}
	sqlite3_close(db);
	close(fd);
	size_t before_len, after_len;
	char *before = slurp(path, &before_len);
	struct store_options opt = { .db_path = path, .readers = 1 };
	struct store *store = store_open(&opt, err, sizeof(err));
	if (tap_ok(store, "a store over a --db file (%s)", err)) {
		int failed = TASK_STATE_FAILED;
		tap_int(store_write(store, set_state, &failed, err,
			sizeof(err)), 0, "a write");
		tap_int(state_of_1(store), TASK_STATE_FAILED, "is read back");
		store_reset(store);
		tap_int(state_of_1(store), TASK_STATE_NEW, "reset: the file's "
			"data again");
		store_destroy(store);
	}
	char *after = slurp(path, &after_len);
	tap_ok(before && after && before_len == after_len &&
		!memcmp(before, after, before_len), "the file was never "
		"written");
	free(before);
	free(after);

	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 7", NULL, NULL, NULL);
	sqlite3_close(db);
	store = store_open(&opt, err, sizeof(err));
	tap_ok(!store && strstr(err, "is not a somock database"),
		"a file of another schema version is refused: %s", err);
	store_destroy(store);
	unlink(path);
}

/*
 * The schema file's CREATE TABLE batchtask is SQL of its own: compare it
 * with the field table column by column (name, position, type, NOT NULL).
 */
static void schema_agrees(void) {
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char err[256] = "";
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
			store_apply_schema(db, err, sizeof(err)) ||
			sqlite3_prepare_v2(db, "SELECT cid, name, type, "
			"\"notnull\", pk FROM pragma_table_info('batchtask') "
			"ORDER BY cid", -1,
			&st, NULL) != SQLITE_OK) {
		tap_ok(false, "the schema applies: %s", err);
		sqlite3_close(db);
		return;
	}
	size_t i = 0;
	bool tenant = false;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *type = (const char *)sqlite3_column_text(st, 2);
		/* INTEGER PRIMARY KEY is the rowid: never NULL */
		bool notnull = sqlite3_column_int(st, 3) ||
			(sqlite3_column_int(st, 4) && !strcmp(type, "INTEGER"));
		if (i == TASK_FIELD_COUNT && !strcmp(name, "tenant")) {
			/* the loader's own column: the owner's tenant */
			tenant = true;
			continue;
		}
		if (i >= TASK_FIELD_COUNT) {
			tap_ok(false, "column %s is in no task field", name);
			continue;
		}
		const struct task_field *f = &task_fields[i++];
		const char *want = task_field_kind_is_text(f->kind) ? "TEXT" :
			"INTEGER";
		tap_ok(!strcmp(name, f->column) && !strcmp(type, want) &&
			notnull == !f->nullable, "column %zu is %s %s%s (%s: "
			"%s %s%s)", i - 1, f->column, want,
			f->nullable ? "" : " NOT NULL", f->name, name, type,
			notnull ? " NOT NULL" : "");
	}
	tap_ok(i == TASK_FIELD_COUNT && tenant, "every task field has its "
		"column, then the tenant");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int main(void) {
	schema_agrees();
	char *path = write_temp(fixture);
	const char *const files[] = { path };
	char err[256] = "";
	struct store_options opt = { .fixtures = files, .n_fixtures = 1,
		.readers = 2 };
	struct store *store = path ? store_open(&opt, err, sizeof(err)) : NULL;
	if (!tap_ok(store, "a store over a fixture file (%s)", err)) {
		free(path);
		return tap_done();
	}
	queries(store);
	writes(store);
	clones(store);
	store_destroy(store);
	db_file(path);
	unlink(path);
	free(path);
	return tap_done();
}
