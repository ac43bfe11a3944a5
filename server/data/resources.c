#include "build-config.h"
#include "resources.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "strbuf.h"
#include "reader.h"

struct resource_entry {
	const char *id;
	size_t id_len;
	const char *lang;   /* two letters */
	const char *text;
};

int resources_load(struct resources *res, sqlite3 *db) {
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT resource_id, language, text "
			"FROM resource ORDER BY resource_id, language", -1, &st,
			NULL) != SQLITE_OK) {
		log_error("cannot prepare a query: %s", sqlite3_errmsg(db));
		return -EIO;
	}
	struct strbuf text;
	size_t cap = 0;
	int rc;
	strbuf_init(&text, (size_t)1 << 30);
	/* first pass: the texts, NUL-separated; offsets in the entries */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (res->n == cap) {
			cap = cap ? cap * 2 : 64;
			struct resource_entry *p = realloc(res->entries,
				cap * sizeof(*p));
			if (!p) {
				rc = SQLITE_NOMEM;
				break;
			}
			res->entries = p;
		}
		struct resource_entry *e = &res->entries[res->n++];
		e->id_len = (size_t)sqlite3_column_bytes(st, 0);
		/* offsets for now: the buffer may move while it grows */
		e->id = (const char *)(uintptr_t)text.len;
		strbuf_append(&text, (const char *)sqlite3_column_text(st, 0),
			e->id_len + 1);
		e->lang = (const char *)(uintptr_t)text.len;
		strbuf_append(&text, (const char *)sqlite3_column_text(st, 1),
			(size_t)sqlite3_column_bytes(st, 1) + 1);
		e->text = (const char *)(uintptr_t)text.len;
		strbuf_append(&text, (const char *)sqlite3_column_text(st, 2),
			(size_t)sqlite3_column_bytes(st, 2) + 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || !strbuf_ok(&text)) {
		strbuf_finish(&text);
		return -ENOMEM;
	}
	/* second pass: offsets to pointers, now that the text stays put */
	res->text = strbuf_detach(&text, NULL);
	for (size_t i = 0; i < res->n; i++) {
		struct resource_entry *e = &res->entries[i];
		e->id = res->text + (uintptr_t)e->id;
		e->lang = res->text + (uintptr_t)e->lang;
		e->text = res->text + (uintptr_t)e->text;
	}
	return 0;
}

void resources_finish(struct resources *res) {
	free(res->entries);
	free(res->text);
	*res = (struct resources){ 0 };
}

/* Order of (id, language) keys, as SQLite's BINARY collation sorts. */
static int resource_cmp(const char *id, size_t n, const char *lang,
		const struct resource_entry *e) {
	size_t m = n < e->id_len ? n : e->id_len;
	int c = memcmp(id, e->id, m);
	if (c) {
		return c;
	}
	if (n != e->id_len) {
		return n < e->id_len ? -1 : 1;
	}
	return strcmp(lang, e->lang);
}

const char *store_resource(void *reader, const char *id, size_t n,
		const char *prefix) {
	const struct resources *res = &((const struct store_reader *)reader)->res;
	size_t lo = 0, hi = res->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = resource_cmp(id, n, prefix, &res->entries[mid]);
		if (!c) {
			return res->entries[mid].text;
		}
		if (c < 0) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return NULL;
}
