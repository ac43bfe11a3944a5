#include "build-config.h"
#include "gzip.h"

#include <stdint.h>
#include <stdlib.h>

#include <zlib.h>

char *gzip_compress(const char *in, size_t n, size_t *out_len) {
	z_stream zs = { 0 };
	/* windowBits 15 + 16: a gzip header and trailer (RFC 1952) */
	if (n > UINT32_MAX || deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
			Z_DEFAULT_STRATEGY) != Z_OK) {
		return NULL;
	}
	uLong cap = deflateBound(&zs, (uLong)n);
	char *out = malloc(cap);
	if (!out) {
		deflateEnd(&zs);
		return NULL;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	int rc = deflate(&zs, Z_FINISH);
	size_t len = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END || len >= n) {
		free(out);
		return NULL;
	}
	*out_len = len;
	return out;
}
