/*
 * server/data/sandbox.h: named, isolated copies of the data for parallel tests
 * (X-Somock-Sandbox: NAME). A sandbox is made on first use from the
 * start-up data, changes only through requests that name it, and is
 * dropped when idle. A sandbox reads the start-up data through readers all
 * sandboxes share until it changes something; only then does it copy the
 * data. Two limits bound them: a count, and the bytes their own copies may
 * take (a change past it fails with -ENOSPC, see store_clone()).
 * Thread-safe; a store handed out stays valid until released, even if the
 * sandbox is dropped meanwhile.
 */
#ifndef SERVER_SANDBOX_H
#define SERVER_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct sandboxes;
struct store;

/*
 * Sandboxes cloned from @base (borrowed for their life): at most @max at
 * once and @max_bytes of data copies, dropped after @idle_seconds unused.
 * NULL on OOM.
 */
struct sandboxes *sandboxes_create(struct store *base, unsigned max,
	size_t max_bytes, unsigned idle_seconds);
void sandboxes_destroy(struct sandboxes *sb);

/* A valid name: 1-63 of [A-Za-z0-9._-]. */
bool sandbox_name_valid(const char *name);

/* Why sandboxes_acquire() gave no store. */
enum sandbox_refusal {
	SANDBOX_OK = 0,
	SANDBOX_ABSENT,     /* no such sandbox, and @create was false */
	SANDBOX_FULL,       /* --sandbox-max sandboxes exist */
	SANDBOX_NOMEM,      /* out of memory */
};

/*
 * The store of sandbox @name, with a use reference for the caller; when
 * there is none, made if @create (the caller is trusted: authenticated, or
 * the control API). NULL with *why set otherwise.
 */
struct store *sandboxes_acquire(struct sandboxes *sb, const char *name,
	bool create, enum sandbox_refusal *why);
void sandboxes_release(struct sandboxes *sb, struct store *store);
/* Drop sandbox @name (false if none) or all of them. */
bool sandboxes_drop(struct sandboxes *sb, const char *name);
void sandboxes_drop_all(struct sandboxes *sb);
/* Call @fn for every live sandbox store (the simulator's ticks). */
void sandboxes_foreach(struct sandboxes *sb,
	void (*fn)(void *ud, struct store *store), void *ud);
/* Bytes the sandboxes' own copies take now. */
size_t sandboxes_bytes(struct sandboxes *sb);
/* [{"name":..,"idleSeconds":..,"inUse":..,"bytes":..}] (owned) */
json_t *sandboxes_to_json(struct sandboxes *sb);

#endif
