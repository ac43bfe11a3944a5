#include "build-config.h"
#include "xml.h"

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"
#include "utf8.h"

/* The replacement for one ASCII byte, or NULL when it goes out raw. */
static const char *ascii_escape(unsigned char c, bool attr) {
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '\r':
		return "&#xD;";
	case '"':
		return attr ? "&quot;" : NULL;
	case '\t':
		return attr ? "&#x9;" : NULL;
	case '\n':
		return attr ? "&#xA;" : NULL;
	default:
		/*
		 * XML 1.0 §2.2 Char excludes the other C0 controls, and §4.1
		 * forbids them as character references too: U+FFFD is the
		 * only faithful thing left.
		 */
		return c < 0x20 ? UTF8_REPLACEMENT : NULL;
	}
}

static void escape(struct strbuf *out, const char *str, size_t n, bool attr) {
	const unsigned char *s = (const unsigned char *)str;
	size_t plain = 0;
	size_t i = 0;
	while (i < n) {
		const char *rep = NULL;
		size_t len = 1;
		if (s[i] < 0x80) {
			rep = ascii_escape(s[i], attr);
		} else {
			uint32_t cp = 0;
			len = utf8_decode(str + i, n - i, &cp);
			if (!len) {
				/* one U+FFFD per byte that starts no character */
				len = 1;
				rep = UTF8_REPLACEMENT;
			} else if (cp == 0xfffe || cp == 0xffff) {
				rep = UTF8_REPLACEMENT;
			} else {
				rep = NULL;
			}
		}
		if (!rep) {
			i += len;
			continue;
		}
		strbuf_append(out, str + plain, i - plain);
		strbuf_puts(out, rep);
		i += len;
		plain = i;
	}
	strbuf_append(out, str + plain, n - plain);
}

void xml_escape(struct strbuf *out, const char *s, size_t n) {
	escape(out, s, n, false);
}

void xml_escape_attr(struct strbuf *out, const char *s, size_t n) {
	escape(out, s, n, true);
}
