/*
 * server/data/store.h: the mock's data in SQLite, the data layer's public
 * face: opening, copy-on-write changes, reset, sandbox clones and the
 * reader pool (store.c), and applying the schema (schema.c). What is read
 * through a reader is declared by queries.h (tasks), credentials.h
 * (authentication) and resources.h ([SR_...] texts).
 *
 * A store keeps its start-up data, and a master copy made on the first
 * write (store_write: fixtures loaded on top, the simulator, demo logins)
 * that reset drops. Requests read through a pool of reader connections,
 * one per concurrent request, each with its prepared statements. Where the
 * data is in memory (demo data, --fixtures, any write), each reader holds
 * its own copy made with the backup API, so readers never contend; the
 * rows a row write (store_write_rows) changes are recorded, and a reader
 * behind replays them before it next reads a task (changes.h); other
 * changes make readers copy the data again. With --db alone, readers
 * open the file read-only. Serving never writes to any file.
 *
 * Thread-safety: store_reader_acquire/release and the store_* loading calls
 * are thread-safe; a reader is used by one thread at a time.
 */
#ifndef SERVER_STORE_H
#define SERVER_STORE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_reader;
struct sqlite3;
struct sqlite3_stmt;
struct stmt_cache;

struct store_options {
	const char *db_path;            /* borrowed; NULL: in memory */
	const char *const *fixtures;    /* borrowed; files loaded in order */
	size_t n_fixtures;
	bool demo;                      /* no db, no fixtures: bundled demo */
	const unsigned char *demo_image;/* borrowed SQLite image of the demo
	                                   data, or NULL: parse demo.json */
	size_t demo_image_len;
	unsigned readers;               /* pool size, >= 1 */
};

/*
 * Set SQLite up for the store, before any other SQLite call of the process
 * (main() calls it first): no memory statistics, whose global mutex every
 * allocation of every connection took (a tenth of a sandbox test's CPU,
 * in futex waits under parallel load). 0 or -EIO when SQLite was already
 * initialised.
 */
int store_library_init(void);

/*
 * Open the store. On failure returns NULL and writes a message naming the
 * file, entry and field to @err (@errlen bytes).
 */
struct store *store_open(const struct store_options *opt, char *err,
	size_t errlen);
void store_destroy(struct store *store);

/* A bound on the bytes clones may copy, shared by all of them. */
struct store_budget {
	_Atomic size_t used;
	size_t max;
};

/*
 * A store for a sandbox over @base's start-up data (not its changes).
 * Until it changes, it reads that data through readers it shares with
 * @base's other clones: it costs next to nothing. Its first change copies
 * the data once, reserving those bytes from @budget (may be NULL); past
 * the budget the change fails with -ENOSPC. From then on its requests
 * read that copy directly, one at a time (a sandbox serves one test), and
 * a request may write while it reads. A reset gives the bytes back. NULL
 * on OOM.
 */
struct store *store_clone(struct store *base, struct store_budget *budget);
/* The bytes a clone has reserved for its own copies (0: none). */
size_t store_own_bytes(struct store *store);

/*
 * Change the data: @fn runs on the master database inside a transaction,
 * under the store's write lock; when it returns 0 the change is committed
 * and the version moves on (readers and cached answers follow). On error
 * nothing changes. The master is copied from the start-up data on first
 * write, so the --db file itself is never written.
 */
typedef int (*store_write_fn)(struct sqlite3 *db, void *ud, char *err,
	size_t errlen);
/*
 * A change of unknown extent (a fixture load, the simulator's tick): every
 * cached answer of the store is stale after it (the epoch moves on).
 */
int store_write(struct store *store, store_write_fn fn, void *ud,
	char *err, size_t errlen);
/*
 * A row write's view of the master: its connection, inside the write's
 * transaction, and the statements the store keeps on it (stmt_cache.h),
 * valid while the function runs.
 */
struct store_txn {
	struct sqlite3 *db;
	struct stmt_cache *stmts;
};
typedef int (*store_rows_fn)(struct store_txn *txn, void *ud, char *err,
	size_t errlen);
/*
 * A change of known rows: @fn must call store_dep_bump() for everything
 * an answer could have read that it changes, and only answers that
 * depended on those stay behind; every other cached answer stays valid.
 * It should prepare its statements with store_txn_stmt(): they are kept
 * from one write to the next.
 */
int store_write_rows(struct store *store, store_rows_fn fn, void *ud,
	char *err, size_t errlen);
/* The statement for @sql, kept on the master; NULL on error (see errmsg). */
struct sqlite3_stmt *store_txn_stmt(struct store_txn *txn, const char *sql);
/*
 * Inside a store_write_rows() function: the @n (1 to 4) dependencies
 * @deps moved on, in one statement. Dependencies name what answers read:
 * "T|tenant" (any task of a tenant), "S|tenant|state" (its tasks in one
 * state), "I|tenant|id" (one task). 0, -EINVAL (@n) or -EIO.
 */
int store_dep_bump(struct store_txn *txn, const char *const *deps,
	size_t n);
/* Load a fixture document on top of the current data, all or nothing. */
int store_load_fixture(struct store *store, const char *name,
	const char *text, size_t len, char *err, size_t errlen);
/* Back to the start-up data. Cannot fail. */
void store_reset(struct store *store);
/*
 * Rebuild the start-up data from @opt (hot reload) and reset to it; on
 * error the store is unchanged and @err says why.
 */
int store_rebuild(struct store *store, const struct store_options *opt,
	char *err, size_t errlen);

/*
 * Apply the bundled schema to @db and fill the TZLocation table (idempotent;
 * schema.c). 0 or a negative errno; message in @err, @db rolled back.
 */
int store_apply_schema(struct sqlite3 *db, char *err, size_t errlen);

/*
 * Take a reader for one request; blocks while all are busy. Returns NULL
 * only when a stale reader cannot be refreshed (out of memory).
 */
struct store_reader *store_reader_acquire(struct store *store);
void store_reader_release(struct store *store, struct store_reader *r);

/*
 * The size in bytes of the start-up data (the in-memory snapshot, or the
 * --db file), what one copy of it costs; 0 when it cannot be told.
 */
size_t store_snapshot_bytes(struct store *store);

/* Counter bumped by every data change; cache keys include it. */
uint64_t store_version(struct store *store);
/* The version of the data @reader reads (may be older than the store's). */
uint64_t store_reader_version(const struct store_reader *reader);
/*
 * The epoch of the data @reader reads: it moves on with every change
 * store_write() makes, reset and reload, never with store_write_rows().
 * Unique across a store and its clones.
 */
uint64_t store_reader_epoch(const struct store_reader *reader);
/*
 * Whether @reader reads a sandbox's own data (it changed something since
 * it was made): its answers are not worth keeping in a shared cache, since
 * one test reads them and they would outlive the sandbox.
 */
bool store_reader_private(const struct store_reader *reader);
/* The version of dependency @dep in the data @reader reads; 0: never. */
int64_t store_reader_dep(struct store_reader *reader, const char *dep);

#endif
