#include "build-config.h"
#include "stmt_cache.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

sqlite3_stmt *stmt_cache_get(struct stmt_cache *c, sqlite3 *db,
		const char *sql) {
	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->e[i].sql, sql)) {
			sqlite3_reset(c->e[i].st);
			sqlite3_clear_bindings(c->e[i].st);
			return c->e[i].st;
		}
	}
	sqlite3_stmt *st = NULL;
	char *copy = strdup(sql);
	if (!copy || sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			&st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		free(copy);
		return NULL;
	}
	size_t i = c->n;
	if (i == STMT_CACHE_SIZE) {
		/* full: replace entries in turn */
		i = c->next;
		c->next = (c->next + 1) % STMT_CACHE_SIZE;
		sqlite3_finalize(c->e[i].st);
		free(c->e[i].sql);
	} else {
		c->n++;
	}
	c->e[i].sql = copy;
	c->e[i].st = st;
	return st;
}

void stmt_cache_reset(struct stmt_cache *c) {
	for (size_t i = 0; i < c->n; i++) {
		sqlite3_reset(c->e[i].st);
	}
}

void stmt_cache_clear(struct stmt_cache *c) {
	for (size_t i = 0; i < c->n; i++) {
		sqlite3_finalize(c->e[i].st);
		free(c->e[i].sql);
	}
	memset(c, 0, sizeof(*c));
}
