/*
 * server/time/tz_header.c: the SO-TimeZone request header, split into a
 * zone name and the includeTZOffset modifier. Only the shape is checked
 * here; whether the name is a known zone is tz_db_lookup()'s question.
 */
#include "build-config.h"

#include "tz_header.h"

#include <string.h>

#include "ascii.h"

/* Printable ASCII without space or comma: a plausible code or name. */
static bool header_token_ok(const char *s, size_t n) {
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == ',') {
			return false;
		}
	}
	return n > 0;
}

bool tz_parse_header(const char *s, size_t n, struct tz_header *out) {
	static const char modifier[] = "includeTZOffset";
	if (!s || memchr(s, '\0', n)) {
		return false;
	}
	const char *comma = memchr(s, ',', n);
	const char *a = s;
	size_t an = comma ? (size_t)(comma - s) : n;
	trim_slice(&a, &an);
	if (!header_token_ok(a, an)) {
		return false;
	}
	if (!comma) {
		bool mod = ascii_casecmp_n(a, an, modifier);
		out->code = mod ? NULL : a;
		out->code_len = mod ? 0 : an;
		out->include_offset = mod;
		return true;
	}
	const char *b = comma + 1;
	size_t bn = n - (size_t)(b - s);
	trim_slice(&b, &bn);
	if (!ascii_casecmp_n(b, bn, modifier) ||
			ascii_casecmp_n(a, an, modifier)) {
		return false;
	}
	out->code = a;
	out->code_len = an;
	out->include_offset = true;
	return true;
}
