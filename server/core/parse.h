/*
 * server/core/parse.h: small, strict parsers and a bounded growable buffer shared
 * by every module that touches request bytes. Nothing here allocates except
 * struct strbuf; every function is thread-safe and reentrant.
 */
#ifndef SERVER_PARSE_H
#define SERVER_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parse the whole of @s (no leading/trailing bytes, not empty) as a decimal
 * integer in [min, max]. Returns false and leaves *out alone otherwise.
 */
bool parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* The same for a slice that need not be NUL-terminated. */
bool parse_int64_n(const char *s, size_t n, int64_t min, int64_t max,
	int64_t *out);

/*
 * RFC 9110 §12.4.2 qvalue ("0", "0.5", "1.000", ...) in thousandths into
 * *out; false when malformed (".5", "0.1234", "1.5").
 */
bool parse_qvalue(const char *s, size_t n, int *out);

/* ASCII-only case-insensitive comparisons (locale-free). */
int ascii_casecmp(const char *a, const char *b);
bool ascii_casecmp_n(const char *a, size_t an, const char *b);
char ascii_lower(char c);
bool ascii_isspace(char c);

/*
 * Glob match, ASCII case-insensitive: '*' matches any run of bytes ('/'
 * included), '?' one byte, everything else itself. Linear in practice
 * (one backtrack point), so hostile patterns cannot blow up.
 */
bool glob_match(const char *pattern, const char *s);

/* Trim ASCII space and tab around [*s, *s + *n). */
void trim_slice(const char **s, size_t *n);

/* Valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF) of length n? */
bool utf8_valid(const char *s, size_t n);

/*
 * Decode RFC 4648 base64 (standard alphabet, padding required, no
 * whitespace) from @in/@n into @out (capacity @cap). Returns the decoded
 * length, or -1 when the input is not strict base64 or does not fit.
 */
long base64_decode(const char *in, size_t n, unsigned char *out, size_t cap);

/* Compare two byte strings in time that depends only on their lengths. */
bool secret_equal(const char *a, size_t an, const char *b, size_t bn);

/*
 * A growable buffer with a hard cap. Once an append fails (out of memory or
 * past the cap) the buffer is marked failed, and every later append is a
 * no-op; check strbuf_ok() once at the end.
 */
struct strbuf {
	char *data;     /* owned, always NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
	size_t max;     /* hard cap on len */
	bool failed;
};

void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_finish(struct strbuf *sb);
bool strbuf_ok(const struct strbuf *sb);
bool strbuf_reserve(struct strbuf *sb, size_t extra);
void strbuf_append(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Append the decimal form of @v (no printf: the renderers' hot path). */
void strbuf_put_i64(struct strbuf *sb, int64_t v);
/* Append "<name>", "</name>" or "<name i:nil=\"true\"/>" (XML tags). */
void strbuf_put_tag(struct strbuf *sb, const char *open, const char *name,
	const char *close);

/* Hand the data to the caller (owned; "" when empty), reset the buffer. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
