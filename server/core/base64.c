#include "build-config.h"
#include "base64.h"

#include <stdint.h>

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
