/*
 * server/core/utf8.h: the one UTF-8 decoder (RFC 3629). Every place that
 * must tell UTF-8 from other bytes (validating input, escaping for JSON,
 * XML and the log, quoting input in error messages) asks utf8_decode(),
 * so they all agree on what is a character: no overlong forms, no
 * surrogates (U+D800-U+DFFF), nothing past U+10FFFF, no truncated
 * sequence. Pure functions; thread-safe.
 */
#ifndef SERVER_UTF8_H
#define SERVER_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* U+FFFD REPLACEMENT CHARACTER, encoded: what writers put for bad bytes. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/*
 * The length (1 to 4) of the well-formed UTF-8 sequence that starts the
 * @n bytes at @s, its code point in *@cp. 0 when @n is 0 or the bytes
 * there are not one (then *@cp is left alone); the caller decides what a
 * bad byte becomes and moves on by one. NUL is a character like any
 * other: the caller says where the input ends.
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Whether the @n bytes at @s (may contain NUL) are well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);

#endif
