/*
 * tests/fuzz/fuzz-xml.c: the XML writer's escaping (xml_escape,
 * xml_escape_attr). Any bytes in; the output must be well-formed XML 1.0
 * character data, checked here independently of server/core/utf8.c:
 *   - valid UTF-8 (no overlongs, surrogates or > U+10FFFF);
 *   - only characters of the Char production (§2.2): tab, LF, CR,
 *     U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF; raw CR never
 *     (it must be &#xD;);
 *   - no raw '<', '>' and every '&' starts one of the references the writer
 *     emits; so "]]>" cannot appear;
 *   - in attribute values also no raw '"', tab or LF.
 * Then the two are wrapped in a document and checked as a whole.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "strbuf.h"
#include "utf8.h"
#include "xml.h"

static const char *const refs[] = {
	"&amp;", "&lt;", "&gt;", "&quot;", "&#xD;", "&#x9;", "&#xA;",
};

/* Decode one UTF-8 sequence at s[i]; its length, or 0 when invalid. */
static size_t decode(const unsigned char *s, size_t n, size_t i,
		uint32_t *cp) {
	unsigned char c = s[i];
	size_t len;
	uint32_t min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2;
		min = 0x80;
		*cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		min = 0x800;
		*cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		min = 0x10000;
		*cp = c & 0x07;
	} else {
		return 0;
	}
	if (n - i < len) {
		return 0;
	}
	for (size_t k = 1; k < len; k++) {
		if ((s[i + k] & 0xc0) != 0x80) {
			return 0;
		}
		*cp = (*cp << 6) | (s[i + k] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff)) {
		return 0;
	}
	return len;
}

static bool xml_char(uint32_t c) {
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
		(c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

static void check_text(const char *out, size_t n, bool attr) {
	const unsigned char *s = (const unsigned char *)out;
	size_t i = 0;
	while (i < n) {
		uint32_t cp = 0;
		size_t len = decode(s, n, i, &cp);
		FUZZ_CHECK(len > 0);
		FUZZ_CHECK(xml_char(cp));
		FUZZ_CHECK(cp != '\r' && cp != '<' && cp != '>');
		if (attr) {
			FUZZ_CHECK(cp != '"' && cp != '\t' && cp != '\n');
		}
		if (cp == '&') {
			bool known = false;
			for (size_t k = 0; k < sizeof(refs) / sizeof(refs[0]);
					k++) {
				size_t rl = strlen(refs[k]);
				if (n - i >= rl && !memcmp(out + i, refs[k], rl)) {
					known = true;
					len = rl;
					break;
				}
			}
			FUZZ_CHECK(known);
		}
		i += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *in = fuzz_dup(data, size);
	struct strbuf text;
	strbuf_init(&text, (size_t)16 << 20);
	xml_escape(&text, in, size);
	FUZZ_CHECK(strbuf_ok(&text));
	check_text(text.data ? text.data : "", text.len, false);
	/* each input byte gives at most "&#xD;" or U+FFFD (3 bytes) */
	FUZZ_CHECK(text.len <= size * 5);
	FUZZ_CHECK(size == 0 || text.len > 0);

	struct strbuf attr;
	strbuf_init(&attr, (size_t)16 << 20);
	xml_escape_attr(&attr, in, size);
	FUZZ_CHECK(strbuf_ok(&attr));
	check_text(attr.data ? attr.data : "", attr.len, true);

	/* a tiny cap must fail cleanly, never write past it */
	struct strbuf small;
	strbuf_init(&small, 7);
	xml_escape(&small, in, size);
	FUZZ_CHECK(small.len <= 7);
	strbuf_finish(&small);

	/* the whole document: <a b="ATTR">TEXT</a> */
	struct strbuf doc;
	strbuf_init(&doc, (size_t)48 << 20);
	strbuf_puts(&doc, "<a b=\"");
	strbuf_append(&doc, attr.data ? attr.data : "", attr.len);
	strbuf_puts(&doc, "\">");
	strbuf_append(&doc, text.data ? text.data : "", text.len);
	strbuf_puts(&doc, "</a>");
	FUZZ_CHECK(strbuf_ok(&doc));
	FUZZ_CHECK(utf8_valid(doc.data, doc.len));
	for (size_t i = 0; i + 3 <= doc.len; i++) {
		FUZZ_CHECK(memcmp(doc.data + i, "]]>", 3) != 0);
	}
	strbuf_finish(&doc);
	strbuf_finish(&attr);
	strbuf_finish(&text);
	free(in);
	return 0;
}
