#include "build-config.h"
#include "json_string.h"

#include <stdint.h>

#include "strbuf.h"
#include "utf8.h"

/*
 * The escape for an ASCII byte that cannot go out raw: jansson's
 * (dump.c's dump_string) names, else \u00XX in upper case into @u.
 */
static const char *ascii_escape(unsigned char c, char u[7]) {
	static const char hex[] = "0123456789ABCDEF";
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		u[0] = '\\';
		u[1] = 'u';
		u[2] = '0';
		u[3] = '0';
		u[4] = hex[c >> 4];
		u[5] = hex[c & 15];
		u[6] = '\0';
		return u;
	}
}

void json_string_append(struct strbuf *out, const char *str, size_t n) {
	const unsigned char *s = (const unsigned char *)str;
	size_t plain = 0;   /* the first byte not yet copied */
	size_t i = 0;
	strbuf_putc(out, '"');
	while (i < n) {
		unsigned char c = s[i];
		/* the common case first: the renderers' hot path */
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		char u[7] = { 0 };
		const char *esc = NULL;
		size_t len = 1;
		if (c >= 0x80) {
			uint32_t cp = 0;
			len = utf8_decode(str + i, n - i, &cp);
			if (len) {
				i += len;
				continue;
			}
			/* one U+FFFD per byte that starts no character */
			len = 1;
			esc = UTF8_REPLACEMENT;
		} else {
			esc = ascii_escape(c, u);
		}
		strbuf_append(out, str + plain, i - plain);
		strbuf_puts(out, esc);
		i += len;
		plain = i;
	}
	strbuf_append(out, str + plain, n - plain);
	strbuf_putc(out, '"');
}
