/*
 * server/core/base64.h: strict base64 decoding for the Basic scheme
 * (RFC 7617). Allocation-free; thread-safe.
 */
#ifndef SERVER_BASE64_H
#define SERVER_BASE64_H

#include <stddef.h>

/*
 * Decode RFC 4648 base64 (standard alphabet, padding required, no
 * whitespace, zero pad bits) from @in/@n into @out (capacity @cap).
 * Returns the decoded length, or -1 when the input is not strict base64
 * or does not fit; @out may then hold part of the result.
 */
long base64_decode(const char *in, size_t n, unsigned char *out, size_t cap);

#endif
