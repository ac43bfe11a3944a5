/*
 * server/core/gzip.h: gzip (RFC 1952) compression of a whole body in one
 * call, with zlib at its default level. Used for Content-Encoding: gzip;
 * keeps no state, so it is thread-safe.
 */
#ifndef SERVER_GZIP_H
#define SERVER_GZIP_H

#include <stddef.h>

/*
 * gzip the @n bytes at @in into a malloc'd buffer (owned), its length in
 * *@out_len. NULL on failure (out of memory, more than 4 GiB in) and when
 * the result would not be smaller than the input; *@out_len is then left
 * alone.
 */
char *gzip_compress(const char *in, size_t n, size_t *out_len);

#endif
