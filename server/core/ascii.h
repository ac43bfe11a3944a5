/*
 * server/core/ascii.h: locale-free ASCII character helpers. Header names,
 * media types, routes and enum names are ASCII case-insensitive whatever
 * the process locale says, so nothing here consults <ctype.h>. Bytes
 * >= 0x80 are never letters or space. Pure functions; thread-safe.
 */
#ifndef SERVER_ASCII_H
#define SERVER_ASCII_H

#include <stdbool.h>
#include <stddef.h>

/* 'A'-'Z' to 'a'-'z'; every other byte as it is. */
char ascii_lower(char c);
/* Space or tab: the whitespace (OWS) of RFC 9110 §5.6.3. */
bool ascii_isspace(char c);
/* strcmp() with ASCII letters folded to lower case. */
int ascii_casecmp(const char *a, const char *b);
/*
 * Whether the @an bytes at @a (need not be NUL-terminated) equal the
 * string @b, ASCII case-insensitively.
 */
bool ascii_casecmp_n(const char *a, size_t an, const char *b);
/* Trim space and tab around [*s, *s + *n); cannot fail. */
void trim_slice(const char **s, size_t *n);

#endif
