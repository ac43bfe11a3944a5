/*
 * server/http/cache.h: rendered answers, keyed on everything an answer depends
 * on (data version, tenant, route, state or id, media type, language,
 * culture, zone), so a repeated request skips the query and the renderer.
 * Entries are immutable and reference-counted: the HTTP layer hands their
 * bytes to libmicrohttpd without copying and drops its reference when the
 * response is freed. A gzip form is made once, on first demand.
 *
 * The key carries the data version, so a data change never serves a stale
 * answer; old entries age out of the byte budget (least recently inserted
 * first). Thread-safe: one mutex per shard.
 */
#ifndef SERVER_CACHE_H
#define SERVER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cache;
struct cache_entry;

/* A cache holding at most @max_bytes of bodies; NULL on OOM. */
struct cache *cache_create(size_t max_bytes);
void cache_destroy(struct cache *cache);

/*
 * The entry for @key at @version with a reference for the caller, or NULL
 * (also when the key's entry is of another version: it is stale, and the
 * next cache_put() of the key replaces it).
 */
struct cache_entry *cache_get(struct cache *cache, const char *key,
	size_t key_len, int64_t version);

/*
 * Store @body (steals it; it must come from malloc) under @key at
 * @version and return the entry with a reference for the caller. On OOM
 * frees @body and returns NULL. The key's entry, of any version, is
 * replaced: a key holds one entry however often its data changes.
 */
struct cache_entry *cache_put(struct cache *cache, const char *key,
	size_t key_len, int64_t version, char *body, size_t body_len);

/*
 * An entry that lives outside any cache (uncached answers share the same
 * path to the HTTP layer): steals @body, one reference for the caller;
 * NULL (and @body freed) on OOM.
 */
struct cache_entry *cache_entry_create(const char *key, size_t key_len,
	char *body, size_t body_len);

/* What the cache did so far, and holds now. */
struct cache_stats {
	uint64_t hits;        /* cache_get() calls that found the key */
	uint64_t misses;      /* ... that did not */
	size_t entries;
	size_t bytes;         /* of bodies and keys */
};
void cache_stats(struct cache *cache, struct cache_stats *out);

/* Drop a reference; the last one frees the entry. NULL is fine. */
void cache_entry_unref(struct cache_entry *entry);

/* The identity body; borrowed while the caller holds a reference. */
const char *cache_entry_body(const struct cache_entry *entry, size_t *len);
/*
 * The gzip body (RFC 1952), compressed on first use and kept; NULL when
 * compression fails or does not pay. Borrowed like the body.
 */
const char *cache_entry_gzip(struct cache_entry *entry, size_t *len);

#endif
