#include "build-config.h"
#include "cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gzip.h"

#define SHARDS 16
/*
 * Per shard: 65 536 chains in all keep them short at the 100 000 entries a
 * write-heavy run leaves (stale answers linger until evicted).
 */
#define BUCKETS 4096

struct cache_entry {
	struct cache_entry *next;        /* bucket chain */
	struct cache_entry *older;       /* insertion order (FIFO eviction) */
	struct cache_entry *newer;
	_Atomic unsigned refs;
	uint64_t hash;
	int64_t version;                 /* of the data it was made from */
	char *key;
	size_t key_len;
	char *body;
	size_t body_len;
	pthread_mutex_t gz_lock;
	bool gz_done;
	char *gz;
	size_t gz_len;
};

struct shard {
	pthread_mutex_t lock;
	struct cache_entry *buckets[BUCKETS];
	struct cache_entry *oldest;
	struct cache_entry *newest;
	size_t bytes;
};

struct cache {
	_Atomic uint64_t hits;
	_Atomic uint64_t misses;
	size_t max_bytes_per_shard;
	struct shard shards[SHARDS];
};

/* FNV-1a, 64 bit */
static uint64_t hash_key(const char *s, size_t n) {
	uint64_t h = UINT64_C(14695981039346656037);
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

struct cache *cache_create(size_t max_bytes) {
	struct cache *cache = calloc(1, sizeof(*cache));
	if (!cache) {
		return NULL;
	}
	cache->max_bytes_per_shard = max_bytes / SHARDS;
	for (int i = 0; i < SHARDS; i++) {
		pthread_mutex_init(&cache->shards[i].lock, NULL);
	}
	return cache;
}

static void entry_free(struct cache_entry *e) {
	pthread_mutex_destroy(&e->gz_lock);
	free(e->key);
	free(e->body);
	free(e->gz);
	free(e);
}

void cache_entry_unref(struct cache_entry *e) {
	if (e && atomic_fetch_sub(&e->refs, 1) == 1) {
		entry_free(e);
	}
}

static struct cache_entry *entry_ref(struct cache_entry *e) {
	atomic_fetch_add(&e->refs, 1);
	return e;
}

void cache_destroy(struct cache *cache) {
	if (!cache) {
		return;
	}
	for (int i = 0; i < SHARDS; i++) {
		struct cache_entry *e = cache->shards[i].oldest;
		while (e) {
			struct cache_entry *next = e->newer;
			cache_entry_unref(e);
			e = next;
		}
		pthread_mutex_destroy(&cache->shards[i].lock);
	}
	free(cache);
}

static struct cache_entry **find(struct shard *s, uint64_t h,
		const char *key, size_t n) {
	struct cache_entry **p = &s->buckets[h % BUCKETS];
	while (*p && ((*p)->hash != h || (*p)->key_len != n ||
			memcmp((*p)->key, key, n))) {
		p = &(*p)->next;
	}
	return p;
}

/* Unlink @e from its shard (lock held); drops the shard's reference. */
/* What an entry takes, as the budget counts it: all but its gzip copy. */
static size_t entry_cost(const struct cache_entry *e) {
	return sizeof(*e) + e->key_len + e->body_len;
}

static void unlink_entry(struct shard *s, struct cache_entry *e) {
	struct cache_entry **p = find(s, e->hash, e->key, e->key_len);
	if (*p == e) {
		*p = e->next;
	}
	if (e->older) {
		e->older->newer = e->newer;
	} else {
		s->oldest = e->newer;
	}
	if (e->newer) {
		e->newer->older = e->older;
	} else {
		s->newest = e->older;
	}
	s->bytes -= entry_cost(e);
	cache_entry_unref(e);
}

struct cache_entry *cache_get(struct cache *cache, const char *key,
		size_t n, int64_t version) {
	uint64_t h = hash_key(key, n);
	struct shard *s = &cache->shards[h % SHARDS];
	pthread_mutex_lock(&s->lock);
	struct cache_entry *e = *find(s, h, key, n);
	if (e && e->version != version) {
		e = NULL;
	}
	if (e) {
		entry_ref(e);
	}
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add(e ? &cache->hits : &cache->misses, 1);
	return e;
}

struct cache_entry *cache_entry_create(const char *key, size_t n,
		char *body, size_t body_len) {
	struct cache_entry *e = calloc(1, sizeof(*e));
	char *k = malloc(n ? n : 1);
	if (!e || !k) {
		free(e);
		free(k);
		free(body);
		return NULL;
	}
	if (n) {
		memcpy(k, key, n);
	}
	/* a render buffer has room to spare: a kept body has none */
	char *trimmed = realloc(body, body_len ? body_len : 1);
	if (trimmed) {
		body = trimmed;
	}
	*e = (struct cache_entry){ .hash = hash_key(key, n), .key = k,
		.key_len = n, .body = body, .body_len = body_len };
	atomic_init(&e->refs, 1);
	pthread_mutex_init(&e->gz_lock, NULL);
	return e;
}

struct cache_entry *cache_put(struct cache *cache, const char *key,
		size_t n, int64_t version, char *body, size_t body_len) {
	struct cache_entry *e = cache_entry_create(key, n, body, body_len);
	if (!e) {
		return NULL;
	}
	e->version = version;
	atomic_store(&e->refs, 2); /* the shard's and the caller's */
	struct shard *s = &cache->shards[e->hash % SHARDS];
	pthread_mutex_lock(&s->lock);
	struct cache_entry *old = *find(s, e->hash, key, n);
	if (old) {
		unlink_entry(s, old);
	}
	/* make room; an entry larger than the budget is not kept */
	size_t cost = entry_cost(e);
	while (s->oldest && s->bytes + cost > cache->max_bytes_per_shard) {
		unlink_entry(s, s->oldest);
	}
	if (cost > cache->max_bytes_per_shard) {
		pthread_mutex_unlock(&s->lock);
		atomic_store(&e->refs, 1);
		return e;
	}
	struct cache_entry **bucket = &s->buckets[e->hash % BUCKETS];
	e->next = *bucket;
	*bucket = e;
	e->older = s->newest;
	if (s->newest) {
		s->newest->newer = e;
	} else {
		s->oldest = e;
	}
	s->newest = e;
	s->bytes += cost;
	pthread_mutex_unlock(&s->lock);
	return e;
}

const char *cache_entry_body(const struct cache_entry *e, size_t *len) {
	*len = e->body_len;
	return e->body;
}

const char *cache_entry_gzip(struct cache_entry *e, size_t *len) {
	pthread_mutex_lock(&e->gz_lock);
	if (!e->gz_done) {
		e->gz = gzip_compress(e->body, e->body_len, &e->gz_len);
		e->gz_done = true;
	}
	pthread_mutex_unlock(&e->gz_lock);
	*len = e->gz_len;
	return e->gz;
}

void cache_stats(struct cache *cache, struct cache_stats *out) {
	*out = (struct cache_stats){ .hits = atomic_load(&cache->hits),
		.misses = atomic_load(&cache->misses) };
	for (int i = 0; i < SHARDS; i++) {
		struct shard *s = &cache->shards[i];
		pthread_mutex_lock(&s->lock);
		for (struct cache_entry *e = s->oldest; e; e = e->newer) {
			out->entries++;
		}
		out->bytes += s->bytes;
		pthread_mutex_unlock(&s->lock);
	}
}
