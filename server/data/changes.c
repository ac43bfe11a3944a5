#include "build-config.h"
#include "changes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* the pre-update hook is declared only with this; Debian builds it in */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

/* --- recording on the master ------------------------------------------ */

static void free_row(struct row_change *r) {
	for (int i = 0; r->vals && i < r->n; i++) {
		sqlite3_value_free(r->vals[i]);
	}
	free(r->vals);
	free(r->table);
}

void change_set_free(struct change_set *cs) {
	for (size_t i = 0; i < cs->n; i++) {
		free_row(&cs->rows[i]);
	}
	free(cs->rows);
	memset(cs, 0, sizeof(*cs));
}

/* Append one row: the new values (@new) or the old ones. */
static void record_row(struct change_set *cs, sqlite3 *db, const char *table,
		bool del, bool new) {
	if (cs->failed) {
		return;
	}
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 8;
		struct row_change *rows = realloc(cs->rows, cap *
			sizeof(*rows));
		if (!rows) {
			cs->failed = true;
			return;
		}
		cs->rows = rows;
		cs->cap = cap;
	}
	struct row_change *r = &cs->rows[cs->n];
	int n = sqlite3_preupdate_count(db);
	*r = (struct row_change){ .table = strdup(table), .del = del, .n = n,
		.vals = calloc(n > 0 ? (size_t)n : 1, sizeof(*r->vals)) };
	bool ok = r->table && r->vals;
	for (int i = 0; ok && i < n; i++) {
		sqlite3_value *v = NULL;
		ok = (new ? sqlite3_preupdate_new(db, i, &v) :
			sqlite3_preupdate_old(db, i, &v)) == SQLITE_OK && v &&
			(r->vals[i] = sqlite3_value_dup(v)) != NULL;
		if (ok) {
			cs->bytes += 16 + (size_t)sqlite3_value_bytes(v);
		}
	}
	if (!ok) {
		free_row(r);
		cs->failed = true;
		return;
	}
	cs->bytes += sizeof(*r) + strlen(table);
	cs->n++;
}

static void on_preupdate(void *ud, sqlite3 *db, int op, const char *schema,
		const char *table, sqlite3_int64 old_key,
		sqlite3_int64 new_key) {
	struct change_set *cs = ud;
	if (strcmp(schema, "main")) {
		return;
	}
	switch (op) {
	case SQLITE_INSERT:
		record_row(cs, db, table, false, true);
		break;
	case SQLITE_DELETE:
		record_row(cs, db, table, true, false);
		break;
	case SQLITE_UPDATE:
		/* a new rowid: the old row goes, the new one comes */
		if (old_key != new_key) {
			record_row(cs, db, table, true, false);
		}
		record_row(cs, db, table, false, true);
		break;
	default:
		cs->failed = true;
	}
}

void changes_record_start(struct change_set *cs, sqlite3 *db) {
	sqlite3_preupdate_hook(db, on_preupdate, cs);
}

void changes_record_stop(sqlite3 *db) {
	sqlite3_preupdate_hook(db, NULL, NULL);
}

/* --- replaying on a reader's copy ------------------------------------- */

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
	sqlite3_finalize(t->upsert);
	sqlite3_finalize(t->del);
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
 * The statements of table @name on @db, made the first time: an upsert of
 * every column in order, and a delete by the primary key (the rowid for a
 * table without one). NULL: cannot.
 */
static struct change_table *table_of(struct change_applier *a, sqlite3 *db,
		const char *name) {
	for (size_t i = 0; i < a->n_tables; i++) {
		if (!strcmp(a->tables[i].name, name)) {
			return &a->tables[i];
		}
	}
	if (a->n_tables == CHANGES_TABLES) {
		return NULL;
	}
	struct change_table *t = &a->tables[a->n_tables];
	sqlite3_str *s = sqlite3_str_new(db);
	sqlite3_str_appendall(s, "SELECT * FROM ");
	append_name(s, name);
	sqlite3_stmt *cols = prepare_built(db, s);
	int n = cols ? sqlite3_column_count(cols) : 0;
	t->name = strdup(name);
	t->n_cols = n;
	bool ok = t->name && n > 0 && n <= 64;
	/* the upsert: INSERT OR REPLACE INTO t VALUES (?1, ..., ?n) */
	s = sqlite3_str_new(db);
	sqlite3_str_appendall(s, "INSERT OR REPLACE INTO ");
	append_name(s, name);
	sqlite3_str_appendall(s, " VALUES (");
	for (int i = 0; i < n; i++) {
		sqlite3_str_appendf(s, "%s?%d", i ? ", " : "", i + 1);
	}
	sqlite3_str_appendall(s, ")");
	t->upsert = ok ? prepare_built(db, s) : NULL;
	if (!ok) {
		sqlite3_free(sqlite3_str_finish(s));
	}
	/* the delete: by the primary key's columns, numbered as the row's */
	s = sqlite3_str_new(db);
	sqlite3_str_appendall(s, "DELETE FROM ");
	append_name(s, name);
	const char *sep = " WHERE ";
	for (int i = 0; ok && i < n; i++) {
		const char *col = sqlite3_column_name(cols, i);
		int pk = 0;
		if (!col || sqlite3_table_column_metadata(db, "main", name, col,
				NULL, NULL, NULL, &pk, NULL) != SQLITE_OK) {
			ok = false;
		} else if (pk) {
			t->pk |= UINT64_C(1) << i;
			sqlite3_str_appendall(s, sep);
			append_name(s, col);
			sqlite3_str_appendf(s, " IS ?%d", i + 1);
			sep = " AND ";
		}
	}
	if (ok && !t->pk) {
		/* no declared key: the rowid, kept as no column */
		ok = false;
	}
	t->del = ok ? prepare_built(db, s) : NULL;
	if (!ok) {
		sqlite3_free(sqlite3_str_finish(s));
	}
	sqlite3_finalize(cols);
	if (!ok || !t->upsert || !t->del) {
		table_finish(t);
		return NULL;
	}
	a->n_tables++;
	return t;
}

static int replay_row(struct change_applier *a, sqlite3 *db,
		const struct row_change *r) {
	struct change_table *t = table_of(a, db, r->table);
	if (!t || r->n != t->n_cols) {
		return -EIO;
	}
	sqlite3_stmt *st = r->del ? t->del : t->upsert;
	for (int i = 0; i < r->n; i++) {
		/* a delete binds the key's columns only; the SQL numbers them */
		if ((!r->del || (t->pk & (UINT64_C(1) << i))) &&
				sqlite3_bind_value(st, i + 1, r->vals[i]) !=
				SQLITE_OK) {
			sqlite3_clear_bindings(st);
			return -EIO;
		}
	}
	int rc = sqlite3_step(st);
	int changed = sqlite3_changes(db);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	/* a delete must find its row: else the copy is not the master's */
	return rc == SQLITE_DONE && (!r->del || changed == 1) ? 0 : -EIO;
}

int changes_apply(struct change_applier *a, sqlite3 *db,
		const struct change_set *const *sets, size_t n) {
	int ret = sqlite3_exec(db, "SAVEPOINT replay", NULL, NULL, NULL) ==
		SQLITE_OK ? 0 : -EIO;
	for (size_t i = 0; !ret && i < n; i++) {
		if (sets[i]->failed) {
			ret = -EIO;
		}
		for (size_t k = 0; !ret && k < sets[i]->n; k++) {
			ret = replay_row(a, db, &sets[i]->rows[k]);
		}
	}
	if (ret) {
		sqlite3_exec(db, "ROLLBACK TO replay", NULL, NULL, NULL);
	}
	sqlite3_exec(db, "RELEASE replay", NULL, NULL, NULL);
	return ret;
}
