#include "build-config.h"
#include "queries.h"

#include <errno.h>
#include <stdbool.h>

#include <sqlite3.h>

#include "model.h"
#include "reader.h"
#include "task_list.h"

#define TASK_COLUMNS "BatchTask_id, name, registered_associate_id, " \
	"detailsTable, detailsRecord, isSystemTask, isInternalTask, " \
	"parameterObject, lastStarted, registered, startCount, dbTag, " \
	"context, result, state, description, response, request, " \
	"progressDescription, progressPercent, FileName, " \
	"cancellationBehaviour, tableRight, fieldProperties"

static const char *const task_sql[TASK_QUERY_COUNT] = {
	[TASK_QUERY_LIST_STATE] = "SELECT " TASK_COLUMNS " FROM batchtask "
		"WHERE tenant = ?1 AND isSystemTask = 0 AND state = ?2 "
		"ORDER BY BatchTask_id",
	[TASK_QUERY_LIST_ALL] = "SELECT " TASK_COLUMNS " FROM batchtask "
		"WHERE tenant = ?1 AND isSystemTask = 0 ORDER BY BatchTask_id",
	[TASK_QUERY_GET] = "SELECT " TASK_COLUMNS " FROM batchtask "
		"WHERE BatchTask_id = ?2 AND tenant = ?1",
};

#undef TASK_COLUMNS

int task_queries_prepare(struct task_queries *q, sqlite3 *db) {
	return reader_prepare(db, task_sql, TASK_QUERY_COUNT, q->st);
}

void task_queries_finish(struct task_queries *q) {
	reader_finalize(q->st, TASK_QUERY_COUNT);
}

static const char *col_text(struct task_list *list, sqlite3_stmt *st, int i,
		bool *oom) {
	const char *s = (const char *)sqlite3_column_text(st, i);
	if (!s) {
		return NULL;
	}
	const char *p = task_list_strdup(list, s);
	if (!p) {
		*oom = true;
	}
	return p;
}

static int read_tasks(sqlite3_stmt *st, struct task_list *out) {
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct task *t = task_list_add(out);
		if (!t) {
			return -ENOMEM;
		}
		*t = (struct task){
			.id = sqlite3_column_int64(st, 0),
			.name = col_text(out, st, 1, &oom),
			.associate_id = sqlite3_column_int64(st, 2),
			.details_table = sqlite3_column_int64(st, 3),
			.details_record = sqlite3_column_int64(st, 4),
			.is_system_task = sqlite3_column_int(st, 5),
			.is_internal_task = sqlite3_column_int(st, 6),
			.parameter_object = col_text(out, st, 7, &oom),
			.last_started = sqlite3_column_int64(st, 8),
			.created = sqlite3_column_int64(st, 9),
			.start_count = sqlite3_column_int64(st, 10),
			.database_serial_number = col_text(out, st, 11, &oom),
			.context = col_text(out, st, 12, &oom),
			.result = col_text(out, st, 13, &oom),
			.state = sqlite3_column_int(st, 14),
			.description = col_text(out, st, 15, &oom),
			.response = col_text(out, st, 16, &oom),
			.request = col_text(out, st, 17, &oom),
			.progress_description = col_text(out, st, 18, &oom),
			.progress_percent = sqlite3_column_int64(st, 19),
			.file_name = col_text(out, st, 20, &oom),
			.cancellation = sqlite3_column_int(st, 21),
			.table_right = col_text(out, st, 22, &oom),
			.field_properties = col_text(out, st, 23, &oom),
		};
		if (oom) {
			return -ENOMEM;
		}
	}
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int store_list_tasks(struct store_reader *r, const char *tenant, int state,
		struct task_list *out) {
	bool all = state == TASK_STATE_ALL;
	sqlite3_stmt *st = r->tasks.st[all ? TASK_QUERY_LIST_ALL :
		TASK_QUERY_LIST_STATE];
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
	sqlite3_stmt *st = r->tasks.st[TASK_QUERY_GET];
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
