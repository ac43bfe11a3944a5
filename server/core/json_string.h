/*
 * server/core/json_string.h: the one writer of JSON string literals, for
 * the task renderer (which streams its answers instead of building
 * jansson trees) and the JSON access log. Whatever bytes come in, what
 * goes out is one valid JSON string in valid UTF-8. For valid UTF-8 input
 * the output is byte for byte what jansson writes with JSON_COMPACT (and
 * without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH), so a streamed answer
 * cannot be told from a dumped one: '"' and '\\' escaped, \b \f \n \r \t
 * by name, the other C0 controls as \u00XX with upper-case hex, and
 * everything else, DEL and U+2028 included, raw. Pure; thread-safe as
 * long as each thread uses its own buffer.
 */
#ifndef SERVER_JSON_STRING_H
#define SERVER_JSON_STRING_H

#include <stddef.h>

struct strbuf;

/*
 * Append the @n bytes at @s (need not be NUL-terminated, may contain NUL,
 * written \u0000) as a quoted JSON string. Each byte that is not part of
 * well-formed UTF-8 (utf8_decode()) becomes U+FFFD, where jansson would
 * refuse the whole string. Failure (out of memory, past the cap) is
 * recorded in the strbuf.
 */
void json_string_append(struct strbuf *out, const char *s, size_t n);

#endif
