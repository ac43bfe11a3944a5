/*
 * server/core/number.h: the one way request text becomes a number. Every
 * parser is strict (no leading or trailing bytes, no whitespace, no
 * empty input), locale-free and allocation-free; thread-safe.
 */
#ifndef SERVER_NUMBER_H
#define SERVER_NUMBER_H

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

#endif
