#include "build-config.h"
#include "utf8.h"

size_t utf8_decode(const char *str, size_t n, uint32_t *cp) {
	const unsigned char *s = (const unsigned char *)str;
	if (!n) {
		return 0;
	}
	unsigned c = s[0];
	size_t len;
	uint32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else {
		/* a continuation byte, C0/C1 (always overlong), F5-FF */
		return 0;
	}
	if (n < len) {
		return 0;
	}
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80) {
			return 0;
		}
		v = (v << 6) | (s[k] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
			v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		return 0;
	}
	*cp = v;
	return len;
}

bool utf8_valid(const char *s, size_t n) {
	size_t i = 0;
	while (i < n) {
		uint32_t cp = 0;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			return false;
		}
		i += len;
	}
	return true;
}
