#include "build-config.h"
#include "queries.h"

#include <errno.h>
#include <stdbool.h>

#include <sqlite3.h>

#include "model.h"
#include "reader.h"
#include "task_list.h"

/* What follows the column list in each query. */
static const char *const task_rest[TASK_QUERY_COUNT] = {
	[TASK_QUERY_LIST_STATE] = "WHERE tenant = ?1 AND isSystemTask = 0 "
		"AND state = ?2 ORDER BY BatchTask_id",
	[TASK_QUERY_LIST_ALL] = "WHERE tenant = ?1 AND isSystemTask = 0 "
		"ORDER BY BatchTask_id",
	[TASK_QUERY_GET] = "WHERE BatchTask_id = ?2 AND tenant = ?1",
	/* the name as SQL Server's default collation compares it */
	[TASK_QUERY_FIND] = "WHERE tenant = ?1 "
		"AND (?2 = 2 OR isSystemTask = ?2) "
		"AND (?3 = 99999 OR state = ?3) "
		"AND (?4 IS NULL OR name = ?4 COLLATE NOCASE) "
		"AND (?5 IS NULL OR registered_associate_id IN "
		"(SELECT value FROM json_each(?5))) "
		"ORDER BY BatchTask_id",
};

/*
 * "SELECT <the column of every task field> FROM batchtask @rest", so that
 * column i of a row is task_fields[i]. The names come from the table,
 * never from input. sqlite3_free() it; NULL on OOM.
 */
static char *select_sql(const char *rest) {
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendall(s, "SELECT ");
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		sqlite3_str_appendf(s, "%s%s", i ? ", " : "",
			task_fields[i].column);
	}
	sqlite3_str_appendf(s, " FROM batchtask %s", rest);
	return sqlite3_str_finish(s);
}

/* Query @i of @r, prepared on first use; NULL (logged) on error. */
static sqlite3_stmt *task_stmt(struct store_reader *r, enum task_query i) {
	if (r->tasks.st[i]) {
		return r->tasks.st[i];
	}
	char *sql = select_sql(task_rest[i]);
	sqlite3_stmt *st = sql ? reader_stmt(r->db, &r->tasks.st[i], sql) :
		NULL;
	sqlite3_free(sql);
	return st;
}

void task_queries_finish(struct task_queries *q) {
	reader_finalize(q->st, TASK_QUERY_COUNT);
}

/* Fill @t from the current row of a query made by select_sql(). */
static int read_row(sqlite3_stmt *st, struct task_list *list,
		struct task *t) {
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		const struct task_field *f = &task_fields[i];
		int col = (int)i;
		if (!task_field_kind_is_text(f->kind)) {
			task_field_set_number(t, f, sqlite3_column_int64(st, col));
			continue;
		}
		const char *s = (const char *)sqlite3_column_text(st, col);
		if (!s) {
			continue;   /* NULL: the task came zeroed */
		}
		const char *copy = task_list_strdup(list, s);
		if (!copy) {
			return -ENOMEM;
		}
		*task_field_text_ref(t, f) = copy;
	}
	return 0;
}

static int read_tasks(sqlite3_stmt *st, struct task_list *out) {
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct task *t = task_list_add(out);
		if (!t) {
			return -ENOMEM;
		}
		int ret = read_row(st, out, t);
		if (ret) {
			return ret;
		}
	}
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int store_list_tasks(struct store_reader *r, const char *tenant, int state,
		struct task_list *out) {
	if (reader_sync(r)) {
		return -EIO;
	}
	bool all = state == TASK_STATE_ALL;
	sqlite3_stmt *st = task_stmt(r, all ? TASK_QUERY_LIST_ALL :
		TASK_QUERY_LIST_STATE);
	if (!st) {
		return -EIO;
	}
	sqlite3_bind_text(st, 1, tenant ? tenant : "", -1, SQLITE_STATIC);
	if (!all) {
		sqlite3_bind_int(st, 2, state);
	}
	int ret = read_tasks(st, out);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

int store_get_task(struct store_reader *r, const char *tenant, int64_t id,
		struct task_list *out) {
	if (reader_sync(r)) {
		return -EIO;
	}
	sqlite3_stmt *st = task_stmt(r, TASK_QUERY_GET);
	if (!st) {
		return -EIO;
	}
	size_t before = out->n;
	sqlite3_bind_text(st, 1, tenant ? tenant : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	int ret = read_tasks(st, out);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (!ret && out->n == before) {
		ret = -ENOENT;
	}
	return ret;
}

int store_find_tasks(struct store_reader *r, const struct task_filter *f,
		struct task_list *out) {
	if (reader_sync(r)) {
		return -EIO;
	}
	sqlite3_stmt *st = task_stmt(r, TASK_QUERY_FIND);
	if (!st) {
		return -EIO;
	}
	sqlite3_bind_text(st, 1, f->tenant ? f->tenant : "", -1,
		SQLITE_STATIC);
	sqlite3_bind_int(st, 2, (int)f->kinds);
	sqlite3_bind_int(st, 3, f->state);
	if (f->name) {
		sqlite3_bind_text(st, 4, f->name, -1, SQLITE_STATIC);
	}
	if (f->associates) {
		sqlite3_bind_text(st, 5, f->associates, -1, SQLITE_STATIC);
	}
	int ret = read_tasks(st, out);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}
