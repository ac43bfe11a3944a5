/*
 * server/data/stmt_cache.h: statements kept on one connection, found by
 * their SQL text.
 *
 * For the master database, where every Batch write runs: preparing its
 * half dozen statements anew for each write (parsing SQL) was a third of
 * what a write cost. A statement handed out is reset, with no bindings;
 * the caller steps it and may leave it unreset (the next get of it, or
 * stmt_cache_reset(), resets it). It stays valid until the cache has
 * prepared STMT_CACHE_SIZE - 1 other new ones (a full cache replaces its
 * entries in turn) or is cleared.
 *
 * Ownership: the cache owns its statements and copies of their SQL;
 * stmt_cache_clear() finalizes them, and must run before the connection
 * closes. Not thread-safe: the store uses it under its write lock.
 */
#ifndef SERVER_STMT_CACHE_H
#define SERVER_STMT_CACHE_H

#include <stddef.h>

struct sqlite3;
struct sqlite3_stmt;

#define STMT_CACHE_SIZE 32

struct stmt_cache {
	struct {
		char *sql;                  /* owned */
		struct sqlite3_stmt *st;    /* owned */
	} e[STMT_CACHE_SIZE];
	size_t n;
	size_t next;    /* the entry a new statement replaces when full */
};

/*
 * The statement for @sql on @db (the db of every statement in @c), reset
 * and unbound; prepared and kept the first time. NULL when it cannot be
 * prepared (sqlite3_errmsg(@db) says why) or on OOM.
 */
struct sqlite3_stmt *stmt_cache_get(struct stmt_cache *c,
	struct sqlite3 *db, const char *sql);

/* Reset every statement (before a COMMIT): none is left running. */
void stmt_cache_reset(struct stmt_cache *c);

/* Finalize every statement; @c is empty and usable again. */
void stmt_cache_clear(struct stmt_cache *c);

#endif
