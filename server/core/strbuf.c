#include "build-config.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct strbuf *sb, size_t max) {
	*sb = (struct strbuf){ .max = max };
}

void strbuf_finish(struct strbuf *sb) {
	if (!sb) {
		return;
	}
	free(sb->data);
	*sb = (struct strbuf){ .max = sb->max };
}

bool strbuf_ok(const struct strbuf *sb) {
	return !sb->failed;
}

bool strbuf_grow(struct strbuf *sb, size_t extra) {
	if (sb->failed) {
		return false;
	}
	if (extra > sb->max || sb->len > sb->max - extra) {
		sb->failed = true;
		return false;
	}
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap) {
		return true;
	}
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < need) {
		cap *= 2;
	}
	char *p = realloc(sb->data, cap);
	if (!p) {
		sb->failed = true;
		return false;
	}
	sb->data = p;
	sb->cap = cap;
	return true;
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...) {
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->failed = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		strbuf_append(sb, small, (size_t)n);
		return;
	}
	if (!strbuf_reserve(sb, (size_t)n)) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void strbuf_put_i64(struct strbuf *sb, int64_t v) {
	char buf[24];
	char *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0) {
		*--p = '-';
	}
	strbuf_append(sb, p, (size_t)(buf + sizeof(buf) - p));
}

void strbuf_put_tag(struct strbuf *sb, const char *open, const char *name,
		const char *close) {
	strbuf_puts(sb, open);
	strbuf_puts(sb, name);
	strbuf_puts(sb, close);
}

char *strbuf_detach(struct strbuf *sb, size_t *len) {
	char *p = sb->data;
	if (len) {
		*len = sb->len;
	}
	if (!p) {
		p = calloc(1, 1);
	}
	*sb = (struct strbuf){ .max = sb->max };
	return p;
}
