/*
 * tests/fuzz/fuzz.h: helpers shared by the libFuzzer targets. Header
 * values reach the parsers as NUL-terminated strings (libmicrohttpd never
 * hands out a value with an embedded NUL), so most targets work on a
 * NUL-terminated copy of the input; a NUL inside the input just ends it.
 * Invariant violations abort, which libFuzzer reports as a crash.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An owned, NUL-terminated copy of @data (exactly sized, so ASan sees it). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size) {
	char *s = malloc(size + 1);
	if (!s) {
		abort();
	}
	if (size) {
		memcpy(s, data, size);
	}
	s[size] = '\0';
	return s;
}

/* An owned copy of exactly @size bytes, not terminated. */
static inline char *fuzz_dup(const uint8_t *data, size_t size) {
	char *s = malloc(size ? size : 1);
	if (!s) {
		abort();
	}
	if (size) {
		memcpy(s, data, size);
	}
	return s;
}

/*
 * Split @s at the first '\n' (replaced by NUL): the text before it and the
 * text after it (NULL when there is no newline).
 */
static inline const char *fuzz_split(char *s) {
	char *nl = strchr(s, '\n');
	if (!nl) {
		return NULL;
	}
	*nl = '\0';
	return nl + 1;
}

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, \
			__LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* true when [p, p + n) lies inside [base, base + size] */
static inline int fuzz_within(const char *p, size_t n, const char *base,
		size_t size) {
	return p >= base && p <= base + size && n <= (size_t)(base + size - p);
}

#endif
