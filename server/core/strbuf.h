/*
 * server/core/strbuf.h: a growable byte buffer with a hard cap, the one
 * way the server builds text of unknown length (answer bodies, cache keys,
 * error messages). Once an append fails (out of memory or past the cap)
 * the buffer is marked failed and every later append is a no-op, so a
 * writer appends freely and checks strbuf_ok() once at the end. A buffer
 * is not thread-safe; use one per thread.
 */
#ifndef SERVER_STRBUF_H
#define SERVER_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strbuf {
	char *data;     /* owned, always NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
	size_t max;     /* hard cap on len */
	bool failed;
};

/* An empty buffer that will hold at most @max bytes; cannot fail. */
void strbuf_init(struct strbuf *sb, size_t max);
/* Free the data; the buffer is empty and usable again. NULL is fine. */
void strbuf_finish(struct strbuf *sb);
/* false once any append has failed. */
bool strbuf_ok(const struct strbuf *sb);
/* strbuf_reserve()'s slow half: grow the buffer (strbuf.c). */
bool strbuf_grow(struct strbuf *sb, size_t extra);

/*
 * Make room for @extra more bytes (and the NUL). false, and the buffer
 * marked failed, on OOM or when len + extra would pass the cap. Inline,
 * like the appends: the renderers call them thousands of times an answer,
 * and the calls were a sixth of an uncached answer's CPU.
 */
static inline bool strbuf_reserve(struct strbuf *sb, size_t extra) {
	if (!sb->failed && extra < sb->cap - sb->len &&
			extra <= sb->max - sb->len) {
		return true;
	}
	return strbuf_grow(sb, extra);
}

/* Append @n bytes (may contain NUL); failure is recorded in @sb. */
static inline void strbuf_append(struct strbuf *sb, const char *s,
		size_t n) {
	if (!strbuf_reserve(sb, n)) {
		return;
	}
	if (n) {
		memcpy(sb->data + sb->len, s, n);
	}
	sb->len += n;
	sb->data[sb->len] = '\0';
}

static inline void strbuf_puts(struct strbuf *sb, const char *s) {
	strbuf_append(sb, s, strlen(s));
}

static inline void strbuf_putc(struct strbuf *sb, char c) {
	strbuf_append(sb, &c, 1);
}
void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Append the decimal form of @v (no printf: the renderers' hot path). */
void strbuf_put_i64(struct strbuf *sb, int64_t v);
/* Append "<name>", "</name>" or "<name i:nil=\"true\"/>" (XML tags). */
void strbuf_put_tag(struct strbuf *sb, const char *open, const char *name,
	const char *close);

/*
 * Hand the data to the caller (owned; "" when empty, NULL only on OOM)
 * and reset the buffer. The length goes to *@len unless @len is NULL.
 */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
