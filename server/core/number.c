#include "build-config.h"
#include "number.h"

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
