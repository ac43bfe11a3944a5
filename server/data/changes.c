#include "build-config.h"
#include "changes.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* the changeset iterator is declared only with these (see store.c) */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

/* "name" with its quotes doubled, appended to @s. */
static void append_name(sqlite3_str *s, const char *name) {
	sqlite3_str_appendf(s, "\"%w\"", name);
}

/* Prepare what @s built (and free it); NULL on any error. */
static sqlite3_stmt *prepare_built(sqlite3 *db, sqlite3_str *s) {
	char *sql = sqlite3_str_finish(s);
	sqlite3_stmt *st = NULL;
	if (sql && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			&st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		st = NULL;
	}
	sqlite3_free(sql);
	return st;
}

static void table_finish(struct change_table *t) {
	sqlite3_finalize(t->insert);
	sqlite3_finalize(t->del);
	for (size_t i = 0; i < CHANGES_UPDATE_SHAPES; i++) {
		sqlite3_finalize(t->update[i].st);
	}
	for (int i = 0; t->cols && i < t->n_cols; i++) {
		free(t->cols[i]);
	}
	free(t->cols);
	free(t->pk);
	free(t->name);
	memset(t, 0, sizeof(*t));
}

void changes_applier_finish(struct change_applier *a) {
	for (size_t i = 0; i < a->n_tables; i++) {
		table_finish(&a->tables[i]);
	}
	a->n_tables = 0;
}

/*
 * The kept statements of table @name, its column names read once from
 * @db; the changeset's @n_cols and @pk must match. NULL: cannot.
 */
static struct change_table *table_of(struct change_applier *a, sqlite3 *db,
		const char *name, int n_cols, const unsigned char *pk) {
	for (size_t i = 0; i < a->n_tables; i++) {
		struct change_table *t = &a->tables[i];
		if (!strcmp(t->name, name)) {
			return t->n_cols == n_cols &&
				!memcmp(t->pk, pk, (size_t)n_cols) ? t : NULL;
		}
	}
	if (a->n_tables == CHANGES_TABLES || n_cols < 1 || n_cols > 64) {
		return NULL;
	}
	struct change_table *t = &a->tables[a->n_tables];
	sqlite3_str *s = sqlite3_str_new(db);
	sqlite3_str_appendall(s, "SELECT * FROM ");
	append_name(s, name);
	sqlite3_stmt *cols = prepare_built(db, s);
	bool ok = cols && sqlite3_column_count(cols) == n_cols;
	t->name = strdup(name);
	t->n_cols = n_cols;
	t->cols = calloc((size_t)n_cols, sizeof(*t->cols));
	t->pk = malloc((size_t)n_cols);
	ok = ok && t->name && t->cols && t->pk;
	for (int i = 0; ok && i < n_cols; i++) {
		const char *c = sqlite3_column_name(cols, i);
		t->cols[i] = c ? strdup(c) : NULL;
		ok = t->cols[i] != NULL;
	}
	sqlite3_finalize(cols);
	if (!ok) {
		table_finish(t);
		return NULL;
	}
	memcpy(t->pk, pk, (size_t)n_cols);
	a->n_tables++;
	return t;
}

/* " WHERE pk1 IS ?N AND ..." numbering the parameters from @first. */
static void append_where_pk(sqlite3_str *s, const struct change_table *t,
		int first) {
	const char *sep = " WHERE ";
	for (int i = 0; i < t->n_cols; i++) {
		if (t->pk[i]) {
			sqlite3_str_appendall(s, sep);
			append_name(s, t->cols[i]);
			sqlite3_str_appendf(s, " IS ?%d", first++);
			sep = " AND ";
		}
	}
}

static sqlite3_stmt *insert_stmt(struct change_table *t, sqlite3 *db) {
	if (!t->insert) {
		sqlite3_str *s = sqlite3_str_new(db);
		sqlite3_str_appendall(s, "INSERT INTO ");
		append_name(s, t->name);
		sqlite3_str_appendall(s, " VALUES (");
		for (int i = 0; i < t->n_cols; i++) {
			sqlite3_str_appendf(s, "%s?%d", i ? ", " : "", i + 1);
		}
		sqlite3_str_appendall(s, ")");
		t->insert = prepare_built(db, s);
	}
	return t->insert;
}

static sqlite3_stmt *delete_stmt(struct change_table *t, sqlite3 *db) {
	if (!t->del) {
		sqlite3_str *s = sqlite3_str_new(db);
		sqlite3_str_appendall(s, "DELETE FROM ");
		append_name(s, t->name);
		append_where_pk(s, t, 1);
		t->del = prepare_built(db, s);
	}
	return t->del;
}

/* The update setting the columns of @cols (bit i: column i). */
static sqlite3_stmt *update_stmt(struct change_table *t, sqlite3 *db,
		uint64_t cols) {
	size_t i = 0;
	while (i < CHANGES_UPDATE_SHAPES && t->update[i].st &&
			t->update[i].cols != cols) {
		i++;
	}
	if (i < CHANGES_UPDATE_SHAPES && t->update[i].st) {
		return t->update[i].st;
	}
	if (i == CHANGES_UPDATE_SHAPES) {
		/* more shapes than kept: make room, oldest first */
		sqlite3_finalize(t->update[0].st);
		memmove(t->update, t->update + 1, sizeof(t->update[0]) *
			(CHANGES_UPDATE_SHAPES - 1));
		i = CHANGES_UPDATE_SHAPES - 1;
		t->update[i].st = NULL;
	}
	sqlite3_str *s = sqlite3_str_new(db);
	sqlite3_str_appendall(s, "UPDATE ");
	append_name(s, t->name);
	const char *sep = " SET ";
	int n = 1;
	for (int c = 0; c < t->n_cols; c++) {
		if (cols & (UINT64_C(1) << c)) {
			sqlite3_str_appendall(s, sep);
			append_name(s, t->cols[c]);
			sqlite3_str_appendf(s, " = ?%d", n++);
			sep = ", ";
		}
	}
	append_where_pk(s, t, n);
	t->update[i].cols = cols;
	t->update[i].st = prepare_built(db, s);
	return t->update[i].st;
}

/* Run @st (bound) once; it must change exactly one row. */
static int run_one(sqlite3 *db, sqlite3_stmt *st) {
	int rc = sqlite3_step(st);
	int changed = sqlite3_changes(db);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE && changed == 1 ? 0 : -EIO;
}

/* Bind the primary key's old values from @it, from parameter @first. */
static int bind_pk(sqlite3_stmt *st, const struct change_table *t,
		sqlite3_changeset_iter *it, int first) {
	for (int i = 0; i < t->n_cols; i++) {
		sqlite3_value *v = NULL;
		if (!t->pk[i]) {
			continue;
		}
		if (sqlite3changeset_old(it, i, &v) != SQLITE_OK || !v ||
				sqlite3_bind_value(st, first++, v) != SQLITE_OK) {
			return -EIO;
		}
	}
	return 0;
}

static int apply_one(struct change_applier *a, sqlite3 *db,
		sqlite3_changeset_iter *it) {
	const char *name = NULL;
	int n_cols = 0, op = 0, indirect = 0;
	unsigned char *pk = NULL;
	int pk_n = 0;
	if (sqlite3changeset_op(it, &name, &n_cols, &op, &indirect) !=
			SQLITE_OK || sqlite3changeset_pk(it, &pk, &pk_n) !=
			SQLITE_OK || pk_n != n_cols) {
		return -EIO;
	}
	struct change_table *t = table_of(a, db, name, n_cols, pk);
	if (!t) {
		return -EIO;
	}
	sqlite3_stmt *st = NULL;
	switch (op) {
	case SQLITE_INSERT:
		st = insert_stmt(t, db);
		for (int i = 0; st && i < n_cols; i++) {
			sqlite3_value *v = NULL;
			if (sqlite3changeset_new(it, i, &v) != SQLITE_OK || !v ||
					sqlite3_bind_value(st, i + 1, v) !=
					SQLITE_OK) {
				return -EIO;
			}
		}
		break;
	case SQLITE_DELETE:
		st = delete_stmt(t, db);
		if (st && bind_pk(st, t, it, 1)) {
			return -EIO;
		}
		break;
	case SQLITE_UPDATE: {
		/* the new values of the columns it changed; NULL: unchanged */
		sqlite3_value *nv[64] = { NULL };
		uint64_t cols = 0;
		int n = 0;
		for (int i = 0; i < n_cols; i++) {
			if (sqlite3changeset_new(it, i, &nv[i]) != SQLITE_OK) {
				return -EIO;
			}
			if (nv[i]) {
				cols |= UINT64_C(1) << i;
				n++;
			}
		}
		if (!cols) {
			return 0;
		}
		st = update_stmt(t, db, cols);
		for (int i = 0, p = 1; st && i < n_cols; i++) {
			if (nv[i] && sqlite3_bind_value(st, p++, nv[i]) !=
					SQLITE_OK) {
				return -EIO;
			}
		}
		if (st && bind_pk(st, t, it, n + 1)) {
			return -EIO;
		}
		break;
	}
	default:
		return -EIO;
	}
	return st ? run_one(db, st) : -EIO;
}

int changes_apply(struct change_applier *a, sqlite3 *db, const void *set,
		int len) {
	sqlite3_changeset_iter *it = NULL;
	if (sqlite3changeset_start(&it, len, (void *)set) != SQLITE_OK) {
		return -ENOMEM;
	}
	int ret = sqlite3_exec(db, "SAVEPOINT apply", NULL, NULL, NULL) ==
		SQLITE_OK ? 0 : -EIO;
	int rc = SQLITE_ROW;
	while (!ret && (rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
		ret = apply_one(a, db, it);
	}
	if (!ret && rc != SQLITE_DONE) {
		ret = -EIO;
	}
	if (sqlite3changeset_finalize(it) != SQLITE_OK && !ret) {
		ret = -EIO;
	}
	if (ret) {
		sqlite3_exec(db, "ROLLBACK TO apply", NULL, NULL, NULL);
	}
	sqlite3_exec(db, "RELEASE apply", NULL, NULL, NULL);
	return ret;
}
