/*
 * tests/unit/test-cache.c: the answer cache (server/http/cache.c): hits
 * and misses, replacement, the byte budget and eviction order, entries
 * that outlive their eviction while referenced, gzip forms, and many
 * threads at once.
 */
#include "build-config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "cache.h"
#include "tap.h"

static char *dup_text(const char *s) {
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	memcpy(p, s, n + 1);
	return p;
}

static struct cache_entry *put(struct cache *c, const char *key,
		const char *body) {
	return cache_put(c, key, strlen(key), 0, dup_text(body), strlen(body));
}

static bool has(struct cache *c, const char *key, const char *want) {
	struct cache_entry *e = cache_get(c, key, strlen(key), 0);
	if (!e) {
		return want == NULL;
	}
	size_t len;
	const char *body = cache_entry_body(e, &len);
	bool ok = want && len == strlen(want) && !memcmp(body, want, len);
	cache_entry_unref(e);
	return ok;
}

static void test_get_put(void) {
	struct cache *c = cache_create(1 << 20);
	tap_ok(c != NULL, "create");
	tap_ok(has(c, "k", NULL), "empty cache misses");
	cache_entry_unref(put(c, "k", "one"));
	tap_ok(has(c, "k", "one"), "hit after put");
	tap_ok(has(c, "K", NULL), "keys are exact bytes");
	cache_entry_unref(put(c, "k", "two"));
	tap_ok(has(c, "k", "two"), "put replaces");
	/* keys with NUL bytes and the empty key are keys like any other */
	struct cache_entry *e = cache_put(c, "a\0b", 3, 0, dup_text("nul"), 3);
	cache_entry_unref(e);
	e = cache_get(c, "a\0b", 3, 0);
	tap_ok(e != NULL, "key with a NUL byte");
	cache_entry_unref(e);
	tap_ok(cache_get(c, "a", 1, 0) == NULL, "its prefix is another key");
	cache_destroy(c);
}

static void test_versions(void) {
	struct cache *c = cache_create(1 << 20);
	cache_entry_unref(cache_put(c, "k", 1, 1, dup_text("one"), 3));
	struct cache_entry *e = cache_get(c, "k", 1, 1);
	size_t len;
	tap_ok(e && cache_entry_body(e, &len) && len == 3,
		"an entry is found at its version");
	cache_entry_unref(e);
	tap_ok(cache_get(c, "k", 1, 2) == NULL,
		"at another version the key's entry is stale: a miss");
	cache_entry_unref(cache_put(c, "k", 1, 2, dup_text("two!"), 4));
	e = cache_get(c, "k", 1, 2);
	tap_ok(e && cache_entry_body(e, &len) && len == 4 &&
		!memcmp(cache_entry_body(e, &len), "two!", 4),
		"the next put replaces it");
	cache_entry_unref(e);
	tap_ok(cache_get(c, "k", 1, 1) == NULL, "the old version is gone");
	for (int v = 3; v < 1000; v++) {
		cache_entry_unref(cache_put(c, "k", 1, v, dup_text("x"), 1));
	}
	struct cache_stats st;
	cache_stats(c, &st);
	tap_ok(st.entries == 1, "a key written 1000 times holds one entry "
		"(%zu)", st.entries);
	cache_destroy(c);
}

static void test_budget(void) {
	/*
	 * 16 shards: 16 * 300 bytes, 300 a shard. An entry costs its body,
	 * key and bookkeeping (a struct of about 150 bytes).
	 */
	struct cache *c = cache_create(16 * 300);
	char key[32], body[64];
	memset(body, 'x', 59);
	body[59] = '\0';
	/* many entries of ~210 bytes: each shard keeps at most one */
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		cache_entry_unref(put(c, key, body));
	}
	int kept = 0;
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		kept += !has(c, key, NULL);
	}
	tap_ok(kept > 0 && kept <= 16, "the budget bounds what is kept "
		"(%d of 200 kept)", kept);
	snprintf(key, sizeof(key), "key%d", 199);
	tap_ok(has(c, key, body), "the newest entry is kept");
	/* an answer larger than a shard's budget is served, not kept */
	char big[400];
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	struct cache_entry *e = put(c, "big", big);
	size_t len;
	tap_ok(e && cache_entry_body(e, &len) && len == sizeof(big) - 1,
		"an oversized entry is still handed back");
	cache_entry_unref(e);
	tap_ok(has(c, "big", NULL), "an oversized entry is not kept");
	cache_destroy(c);
}

static void test_references(void) {
	struct cache *c = cache_create(16 * 100);
	struct cache_entry *held = put(c, "held", "still here");
	char key[32];
	for (int i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "evict%d", i);
		cache_entry_unref(put(c, key, "0123456789012345678901234567890"
			"123456789012345678901234567890"));
	}
	size_t len;
	const char *body = cache_entry_body(held, &len);
	tap_ok(len == 10 && !memcmp(body, "still here", 10),
		"a referenced entry outlives its eviction");
	cache_entry_unref(held);
	cache_destroy(c);
	/* an entry that belongs to no cache */
	struct cache_entry *lone = cache_entry_create("k", 1,
		dup_text("alone"), 5);
	tap_ok(lone && cache_entry_body(lone, &len) && len == 5,
		"an entry outside any cache");
	cache_entry_unref(lone);
	cache_entry_unref(NULL);
	tap_ok(true, "unref NULL is fine");
}

static bool gunzip_equals(const char *gz, size_t n, const char *want,
		size_t want_len) {
	z_stream z = { 0 };
	char out[4096];
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		return false;
	}
	z.next_in = (unsigned char *)(uintptr_t)gz;
	z.avail_in = (unsigned)n;
	z.next_out = (unsigned char *)out;
	z.avail_out = sizeof(out);
	int ret = inflate(&z, Z_FINISH);
	size_t got = sizeof(out) - z.avail_out;
	inflateEnd(&z);
	return ret == Z_STREAM_END && got == want_len &&
		!memcmp(out, want, got);
}

static void test_gzip(void) {
	struct cache *c = cache_create(1 << 20);
	char body[2000];
	for (size_t i = 0; i < sizeof(body) - 1; i++) {
		body[i] = "[{\"Id\":1,\"Name\":\"x\"},"[i % 21];
	}
	body[sizeof(body) - 1] = '\0';
	struct cache_entry *e = put(c, "gz", body);
	size_t n, n2;
	const char *gz = cache_entry_gzip(e, &n);
	tap_ok(gz && n < strlen(body), "a compressible body has a gzip form "
		"(%zu bytes of %zu)", n, strlen(body));
	tap_ok(gz && gunzip_equals(gz, n, body, strlen(body)),
		"the gzip form decompresses to the body");
	tap_ok(cache_entry_gzip(e, &n2) == gz && n2 == n,
		"the gzip form is made once");
	cache_entry_unref(e);
	e = put(c, "tiny", "{}");
	tap_ok(cache_entry_gzip(e, &n) == NULL,
		"no gzip form when it would not be smaller");
	cache_entry_unref(e);
	cache_destroy(c);
}

struct worker {
	struct cache *cache;
	int id;
	int bad;
};

static void *work(void *arg) {
	struct worker *w = arg;
	char key[32], body[32];
	for (int i = 0; i < 2000; i++) {
		int k = (i * 7 + w->id) % 64;
		snprintf(key, sizeof(key), "k%d", k);
		snprintf(body, sizeof(body), "body of %d", k);
		struct cache_entry *e = cache_get(w->cache, key, strlen(key), 0);
		if (!e) {
			e = put(w->cache, key, body);
		}
		size_t len;
		const char *b = cache_entry_body(e, &len);
		if (len != strlen(body) || memcmp(b, body, len)) {
			w->bad++;
		}
		if (i % 5 == 0) {
			size_t gl;
			cache_entry_gzip(e, &gl);
		}
		cache_entry_unref(e);
	}
	return NULL;
}

static void test_threads(void) {
	/* a small budget, so eviction races with readers */
	struct cache *c = cache_create(16 * 512);
	pthread_t t[8];
	struct worker w[8];
	for (int i = 0; i < 8; i++) {
		w[i] = (struct worker){ c, i, 0 };
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	int bad = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		bad += w[i].bad;
	}
	tap_int(bad, 0, "8 threads: every body read matches its key");
	cache_destroy(c);
}

int main(void) {
	test_get_put();
	test_versions();
	test_budget();
	test_references();
	test_gzip();
	test_threads();
	return tap_done();
}
