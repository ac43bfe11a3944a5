/*
 * server/core/utf8.h: UTF-8 validation (RFC 3629). Well-formed means no
 * overlong forms, no surrogates (U+D800-U+DFFF), nothing past U+10FFFF
 * and no truncated sequence. Pure functions; thread-safe.
 */
#ifndef SERVER_UTF8_H
#define SERVER_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the @n bytes at @s (may contain NUL) are well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);

#endif
