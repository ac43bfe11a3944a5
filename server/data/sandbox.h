/*
 * server/data/sandbox.h: named, isolated copies of the data for parallel tests
 * (X-Somock-Sandbox: NAME). A sandbox is made on first use from the
 * start-up data, changes only through requests that name it, and is
 * dropped when idle. Thread-safe; a store handed out stays valid until
 * released, even if the sandbox is dropped meanwhile.
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
 * once, dropped after @idle_seconds unused. NULL on OOM.
 */
struct sandboxes *sandboxes_create(struct store *base, unsigned max,
	unsigned idle_seconds);
void sandboxes_destroy(struct sandboxes *sb);

/* A valid name: 1-63 of [A-Za-z0-9._-]. */
bool sandbox_name_valid(const char *name);

/*
 * The store of sandbox @name, made if needed, with a use reference for
 * the caller. NULL with *full set when the limit is reached, or on OOM.
 */
struct store *sandboxes_acquire(struct sandboxes *sb, const char *name,
	bool *full);
void sandboxes_release(struct sandboxes *sb, struct store *store);
/* Drop sandbox @name (false if none) or all of them. */
bool sandboxes_drop(struct sandboxes *sb, const char *name);
void sandboxes_drop_all(struct sandboxes *sb);
/* Call @fn for every live sandbox store (the simulator's ticks). */
void sandboxes_foreach(struct sandboxes *sb,
	void (*fn)(void *ud, struct store *store), void *ud);
/* [{"name":..,"idleSeconds":..}] (owned) */
json_t *sandboxes_to_json(struct sandboxes *sb);

#endif
