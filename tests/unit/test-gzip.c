#include "build-config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "gzip.h"
#include "tap.h"

/* Inflate a gzip stream of @n bytes into @out (@cap); the length or -1. */
static long gunzip(const char *in, size_t n, char *out, size_t cap) {
	z_stream zs = { 0 };
	if (inflateInit2(&zs, 15 + 16) != Z_OK) {
		return -1;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	int rc = inflate(&zs, Z_FINISH);
	long len = rc == Z_STREAM_END && !zs.avail_in ? (long)zs.total_out : -1;
	inflateEnd(&zs);
	return len;
}

int main(void) {
	static char body[65536], back[65536];
	for (size_t i = 0; i < sizeof(body); i++) {
		body[i] = "[{\"Id\":1,\"Name\":\"x\"},"[i % 21];
	}
	size_t len = 0;
	char *gz = gzip_compress(body, sizeof(body), &len);
	tap_ok(gz && len > 18 && len < sizeof(body) / 10,
		"a repetitive body compresses");
	tap_ok(gz && (unsigned char)gz[0] == 0x1f &&
		(unsigned char)gz[1] == 0x8b, "with a gzip header (RFC 1952)");
	tap_ok(gz && gunzip(gz, len, back, sizeof(back)) ==
		(long)sizeof(body) && !memcmp(back, body, sizeof(body)),
		"and inflates back to the body");
	free(gz);
	len = 7;
	tap_ok(!gzip_compress("{}", 2, &len) && len == 7,
		"a body gzip would not shrink: NULL, length untouched");
	tap_ok(!gzip_compress("", 0, &len), "an empty body: NULL");
	return tap_done();
}
