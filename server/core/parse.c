#include "build-config.h"
#include "parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool parse_int64_n(const char *s, size_t n, int64_t min, int64_t max,
		int64_t *out) {
	if (!s || !n || n > 20) {
		return false;
	}
	size_t i = 0;
	bool neg = false;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
		if (n == 1) {
			return false;
		}
	}
	uint64_t v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			return false;
		}
		v = v * 10 + d;
	}
	int64_t r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1) {
			return false;
		}
		r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX) {
			return false;
		}
		r = (int64_t)v;
	}
	if (r < min || r > max) {
		return false;
	}
	*out = r;
	return true;
}

bool parse_int64(const char *s, int64_t min, int64_t max, int64_t *out) {
	return s && parse_int64_n(s, strlen(s), min, max, out);
}

/*
 * RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
 * Gives thousandths. Anything else (".5", "0.1234", "1.5", "-1") is false.
 */
bool parse_qvalue(const char *s, size_t n, int *out) {
	if (!n || n > 5 || (s[0] != '0' && s[0] != '1')) {
		return false;
	}
	int v = (s[0] - '0') * 1000;
	if (n == 1) {
		*out = v;
		return true;
	}
	if (s[1] != '.') {
		return false;
	}
	int scale = 100;
	for (size_t i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		v += (s[i] - '0') * scale;
		scale /= 10;
	}
	if (v > 1000) {
		return false;
	}
	*out = v;
	return true;
}

char ascii_lower(char c) {
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool ascii_isspace(char c) {
	return c == ' ' || c == '\t';
}

int ascii_casecmp(const char *a, const char *b) {
	for (;; a++, b++) {
		int d = (unsigned char)ascii_lower(*a) -
			(unsigned char)ascii_lower(*b);
		if (d || !*a) {
			return d;
		}
	}
}

bool ascii_casecmp_n(const char *a, size_t an, const char *b) {
	size_t bn = strlen(b);
	if (an != bn) {
		return false;
	}
	for (size_t i = 0; i < an; i++) {
		if (ascii_lower(a[i]) != ascii_lower(b[i])) {
			return false;
		}
	}
	return true;
}

bool glob_match(const char *p, const char *s) {
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p && (*p == '?' || ascii_lower(*p) ==
				ascii_lower(*s))) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*') {
		p++;
	}
	return !*p;
}

void trim_slice(const char **s, size_t *n) {
	while (*n && ascii_isspace(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && ascii_isspace((*s)[*n - 1])) {
		(*n)--;
	}
}

bool utf8_valid(const char *str, size_t n) {
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i < len) {
			return false;
		}
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				return false;
			}
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
				cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			return false;
		}
		i += len;
	}
	return true;
}

static int b64_value(unsigned char c) {
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	if (c == '+') {
		return 62;
	}
	if (c == '/') {
		return 63;
	}
	return -1;
}

long base64_decode(const char *in, size_t n, unsigned char *out, size_t cap) {
	if (n % 4) {
		return -1;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)in[i + k];
			if (c == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad) {
				return -1; /* data after padding */
			}
			v[k] = b64_value(c);
			if (v[k] < 0) {
				return -1;
			}
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
			(uint32_t)v[2] << 6 | (uint32_t)v[3];
		size_t bytes = 3 - (size_t)pad;
		/* RFC 4648 §3.5: unused bits of the last quantum must be zero */
		if ((pad == 1 && (w & 0xff)) || (pad == 2 && (w & 0xffff))) {
			return -1;
		}
		if (o + bytes > cap) {
			return -1;
		}
		out[o++] = (unsigned char)(w >> 16);
		if (bytes > 1) {
			out[o++] = (unsigned char)(w >> 8);
		}
		if (bytes > 2) {
			out[o++] = (unsigned char)w;
		}
	}
	return (long)o;
}

bool secret_equal(const char *a, size_t an, const char *b, size_t bn) {
	/* walk the stored secret's length whatever the input is */
	unsigned char diff = an != bn;
	for (size_t i = 0; i < bn; i++) {
		unsigned char ca = i < an ? (unsigned char)a[i] : 0;
		diff |= (unsigned char)(ca ^ (unsigned char)b[i]);
	}
	return !diff;
}

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

bool strbuf_reserve(struct strbuf *sb, size_t extra) {
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

void strbuf_append(struct strbuf *sb, const char *s, size_t n) {
	if (!strbuf_reserve(sb, n)) {
		return;
	}
	if (n) {
		memcpy(sb->data + sb->len, s, n);
	}
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s) {
	strbuf_append(sb, s, strlen(s));
}

void strbuf_putc(struct strbuf *sb, char c) {
	strbuf_append(sb, &c, 1);
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
