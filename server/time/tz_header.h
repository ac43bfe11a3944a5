/*
 * server/time/tz_header.h: the SO-TimeZone request header. Its value is
 * "CODE", "CODE,includeTZOffset", "CODE, includeTZOffset" or
 * "includeTZOffset" alone; the modifier is ASCII case-insensitive and
 * spaces around either part are optional. The zone part is any run of
 * printable ASCII without space or comma.
 */
#ifndef SERVER_TIME_TZ_HEADER_H
#define SERVER_TIME_TZ_HEADER_H

#include <stdbool.h>
#include <stddef.h>

struct tz_header {
	const char *code;       /* borrowed from the parsed value */
	size_t code_len;        /* 0 when the header names no zone */
	bool include_offset;
};

/*
 * Split the @n bytes at @s (not NUL-terminated) into *out; @code then
 * slices @s. false when malformed (empty, two codes, an unknown modifier,
 * control or non-ASCII bytes, an embedded NUL), *out then unspecified.
 * Thread-safe.
 */
bool tz_parse_header(const char *s, size_t n, struct tz_header *out);

#endif
