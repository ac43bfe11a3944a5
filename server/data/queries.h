/*
 * server/data/queries.h: the task queries the API answers from, read
 * through a store reader into a task list. A task's tenant is its
 * owner's, kept in the batchtask table by the fixture loader. Each call
 * uses one reader, on the thread holding it.
 */
#ifndef SERVER_DATA_QUERIES_H
#define SERVER_DATA_QUERIES_H

#include <stdint.h>

struct sqlite3;
struct sqlite3_stmt;
struct store_reader;
struct task_list;

/*
 * The user tasks (not system tasks) of @tenant ("" or NULL: the default
 * tenant) in @state (TASK_STATE_ALL: every state), ordered by Id, appended
 * to @out. 0 or a negative errno (-ENOMEM, -EIO).
 */
int store_list_tasks(struct store_reader *r, const char *tenant, int state,
	struct task_list *out);
/* Which tasks a search takes, by their IsSystemTask. */
enum task_kinds {
	TASKS_USER = 0,
	TASKS_SYSTEM = 1,
	TASKS_ANY = 2,
};

/* A search of the Agents API; every criterion is optional. */
struct task_filter {
	const char *tenant;          /* "" or NULL: the default tenant */
	enum task_kinds kinds;
	int state;                   /* TASK_STATE_ALL: any */
	const char *name;            /* NULL: any; ASCII case-insensitive */
	const char *associates;      /* NULL: any; else a JSON array of ids */
};

/*
 * The tasks of @f->tenant that match every criterion of @f, ordered by
 * Id, appended to @out. 0 or a negative errno (-ENOMEM, -EIO).
 */
int store_find_tasks(struct store_reader *r, const struct task_filter *f,
	struct task_list *out);
/* One task of @tenant by id, system tasks included; -ENOENT if none. */
int store_get_task(struct store_reader *r, const char *tenant, int64_t id,
	struct task_list *out);

/* --- for store.c: the statements a reader keeps for these queries --- */

enum task_query {
	TASK_QUERY_LIST_STATE,
	TASK_QUERY_LIST_ALL,
	TASK_QUERY_GET,
	TASK_QUERY_FIND,
	TASK_QUERY_COUNT,
};

/* A reader's task queries, each prepared when first used (queries.c). */
struct task_queries {
	struct sqlite3_stmt *st[TASK_QUERY_COUNT];    /* owned, or NULL */
};

/* Finalize them; a zeroed struct is fine. Cannot fail. */
void task_queries_finish(struct task_queries *q);

#endif
