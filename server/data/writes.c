#include "build-config.h"
#include "writes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "fixtures.h"
#include "model.h"
#include "store.h"

/* --- what a changed task makes stale ----------------------------------- */

/* A task of @tenant in @state, Id @id, changed: its answers are stale. */
static int touched(struct store_txn *txn, const char *tenant, int state,
		int64_t id) {
	char t[160], st[160], one[160];
	snprintf(t, sizeof(t), "T|%s", tenant);
	snprintf(st, sizeof(st), "S|%s|%d", tenant, state);
	snprintf(one, sizeof(one), "I|%s|%lld", tenant, (long long)id);
	const char *const deps[] = { t, st, one };
	return store_dep_bump(txn, deps, 3);
}

static int db_error(sqlite3 *db, char *err, size_t errlen) {
	snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	return -EIO;
}

/*
 * Every member of @carrier the task record has must be of its type, even
 * those a write ignores or replaces: JSON.NET refuses a body it cannot
 * read before the service sees it. State may also be a state's number.
 */
static int carrier_check(struct store_txn *txn, json_t *carrier, char *err,
		size_t errlen) {
	json_t *state = json_object_get(carrier, "State");
	json_int_t n = json_integer_value(state);
	bool state_number = json_is_integer(state) && n >= 0 &&
		n <= INT32_MAX && task_state_name((int)n);
	return fixtures_check_task_members(txn->db, txn->stmts, "BatchTaskInfo",
		carrier,
		state_number ? "State" : NULL, err, errlen);
}

/* The state of task @id of @tenant: 0, -ENOENT or -EIO. */
static int task_row(struct store_txn *txn, const char *tenant, int64_t id,
		int *state, int *cancel) {
	sqlite3_stmt *st = store_txn_stmt(txn, "SELECT state, "
		"cancellationBehaviour FROM batchtask WHERE BatchTask_id = ? AND "
		"tenant = ?");
	if (!st) {
		return -EIO;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
	if (!ret) {
		*state = sqlite3_column_int(st, 0);
		if (cancel) {
			*cancel = sqlite3_column_int(st, 1);
		}
	}
	sqlite3_reset(st);
	return ret;
}

/* --- start ------------------------------------------------------------- */

struct start {
	json_t *carrier;
	int64_t associate_id;
	int64_t now;
	int64_t id;
};

static int do_start(struct store_txn *txn, void *ud, char *err,
		size_t errlen) {
	struct start *s = ud;
	sqlite3 *db = txn->db;
	sqlite3_stmt *st = store_txn_stmt(txn, "SELECT "
		"coalesce(max(BatchTask_id), 0) + 1 FROM batchtask");
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		return db_error(db, err, errlen);
	}
	s->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s->id > INT32_MAX) {
		snprintf(err, errlen, "BatchTaskInfo.Id: no Id is left below "
			"2147483648");
		return -EINVAL;
	}
	int ret = carrier_check(txn, s->carrier, err, errlen);
	if (ret) {
		return ret;
	}
	/* the body's members, but for those a new job always has */
	static const char *const reset[] = { "State", "Created", "StartCount",
		"LastStarted", "AssociateId" };
	json_t *entry = json_deep_copy(s->carrier);
	if (!entry) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < sizeof(reset) / sizeof(reset[0]); i++) {
		json_object_del(entry, reset[i]);
	}
	ret = json_object_set_new(entry, "Id", json_integer(s->id)) ||
		json_object_set_new(entry, "AssociateId",
		json_integer(s->associate_id)) ? -ENOMEM : 0;
	if (!ret) {
		ret = fixtures_insert_task(db, txn->stmts, "BatchTaskInfo",
			entry, err, errlen);
	}
	json_decref(entry);
	if (ret) {
		return ret;
	}
	st = store_txn_stmt(txn, "UPDATE batchtask SET state = ?, "
		"registered = ?, startCount = 0, lastStarted = 0 WHERE "
		"BatchTask_id = ? RETURNING tenant");
	if (!st) {
		return db_error(db, err, errlen);
	}
	sqlite3_bind_int(st, 1, TASK_STATE_NEW);
	sqlite3_bind_int64(st, 2, s->now);
	sqlite3_bind_int64(st, 3, s->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_error(db, err, errlen);
	}
	char tenant[128];
	snprintf(tenant, sizeof(tenant), "%s",
		(const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	ret = touched(txn, tenant, TASK_STATE_NEW, s->id);
	return ret ? db_error(db, err, errlen) : 0;
}

int store_start_task(struct store *store, json_t *carrier,
		int64_t associate_id, int64_t now, int64_t *id, char *err,
		size_t errlen) {
	struct start s = { carrier, associate_id, now, 0 };
	int ret = store_write_rows(store, do_start, &s, err, errlen);
	if (!ret) {
		*id = s.id;
	}
	return ret;
}

/* --- update ------------------------------------------------------------ */

struct update {
	const char *tenant;
	int64_t id;
	json_t *changes;
	json_t *carrier;
	bool found;
};

static int do_update(struct store_txn *txn, void *ud, char *err,
		size_t errlen) {
	struct update *u = ud;
	sqlite3 *db = txn->db;
	static const struct {
		const char *member;
		const char *column;
	} fields[] = {
		{ "State", "state" }, { "Description", "description" },
		{ "Response", "response" }, { "Request", "request" },
	};
	int old;
	int ret = u->carrier ? carrier_check(txn, u->carrier, err, errlen) :
		0;
	if (ret) {
		return ret;
	}
	ret = task_row(txn, u->tenant, u->id, &old, NULL);
	u->found = ret != -ENOENT;
	if (ret) {
		return ret == -ENOENT ? 0 : db_error(db, err, errlen);
	}
	int state = old;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *v = json_object_get(u->changes, fields[i].member);
		if (!v) {
			continue;
		}
		char sql[128];
		snprintf(sql, sizeof(sql), "UPDATE batchtask SET %s = ? WHERE "
			"BatchTask_id = ?", fields[i].column);
		sqlite3_stmt *st = store_txn_stmt(txn, sql);
		if (!st) {
			return db_error(db, err, errlen);
		}
		if (json_is_integer(v)) {
			state = (int)json_integer_value(v);
			sqlite3_bind_int(st, 1, state);
		} else if (json_is_string(v)) {
			sqlite3_bind_text(st, 1, json_string_value(v),
				(int)json_string_length(v), SQLITE_STATIC);
		}
		sqlite3_bind_int64(st, 2, u->id);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			return db_error(db, err, errlen);
		}
	}
	ret = touched(txn, u->tenant, old, u->id);
	if (!ret && state != old) {
		ret = touched(txn, u->tenant, state, u->id);
	}
	return ret ? db_error(db, err, errlen) : 0;
}

int store_update_task(struct store *store, const char *tenant, int64_t id,
		json_t *changes, json_t *carrier, bool *found, char *err,
		size_t errlen) {
	struct update u = { tenant ? tenant : "", id, changes, carrier,
		false };
	int ret = store_write_rows(store, do_update, &u, err, errlen);
	*found = u.found;
	return ret;
}

/* --- stop -------------------------------------------------------------- */

struct stop {
	const char *tenant;
	int64_t id;
	bool stopped;
};

static int do_stop(struct store_txn *txn, void *ud, char *err,
		size_t errlen) {
	struct stop *s = ud;
	sqlite3 *db = txn->db;
	int state, cancel;
	int ret = task_row(txn, s->tenant, s->id, &state, &cancel);
	if (ret) {
		return ret == -ENOENT ? 0 : db_error(db, err, errlen);
	}
	bool running = state == TASK_STATE_NEW || state == TASK_STATE_AQUIRED ||
		state == TASK_STATE_STARTED;
	if (!running || cancel == TASK_CANCEL_CANNOT_CANCEL) {
		return 0;
	}
	sqlite3_stmt *st = store_txn_stmt(txn, "UPDATE batchtask SET state = "
		"?, result = 'Stopped' WHERE BatchTask_id = ?");
	if (!st) {
		return db_error(db, err, errlen);
	}
	sqlite3_bind_int(st, 1, TASK_STATE_FAILED);
	sqlite3_bind_int64(st, 2, s->id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || touched(txn, s->tenant, state, s->id) ||
			touched(txn, s->tenant, TASK_STATE_FAILED, s->id)) {
		return db_error(db, err, errlen);
	}
	s->stopped = true;
	return 0;
}

int store_stop_task(struct store *store, const char *tenant, int64_t id,
		bool *stopped, char *err, size_t errlen) {
	struct stop s = { tenant ? tenant : "", id, false };
	int ret = store_write_rows(store, do_stop, &s, err, errlen);
	*stopped = s.stopped;
	return ret;
}

/* --- delete ------------------------------------------------------------ */

struct del {
	const char *tenant;
	const int64_t *ids;
	size_t n;
};

static int do_delete(struct store_txn *txn, void *ud, char *err,
		size_t errlen) {
	struct del *d = ud;
	sqlite3 *db = txn->db;
	for (size_t i = 0; i < d->n; i++) {
		int state;
		int ret = task_row(txn, d->tenant, d->ids[i], &state, NULL);
		if (ret == -ENOENT) {
			continue;
		}
		sqlite3_stmt *st = ret ? NULL : store_txn_stmt(txn, "DELETE "
			"FROM batchtask WHERE BatchTask_id = ?");
		if (!st) {
			return db_error(db, err, errlen);
		}
		sqlite3_bind_int64(st, 1, d->ids[i]);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE || touched(txn, d->tenant, state,
				d->ids[i])) {
			return db_error(db, err, errlen);
		}
	}
	return 0;
}

int store_delete_tasks(struct store *store, const char *tenant,
		const int64_t *ids, size_t n, char *err, size_t errlen) {
	struct del d = { tenant ? tenant : "", ids, n };
	return store_write_rows(store, do_delete, &d, err, errlen);
}
