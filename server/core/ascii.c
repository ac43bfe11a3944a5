#include "build-config.h"
#include "ascii.h"

#include <string.h>

char ascii_lower(char c) {
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool ascii_isspace(char c) {
	return c == ' ' || c == '\t';
}

int ascii_casecmp(const char *a, const char *b) {
	for (;; a++, b++) {
		int d = (unsigned char)ascii_lower(*a) -
			(unsigned char)ascii_lower(*b);
		if (d || !*a) {
			return d;
		}
	}
}

bool ascii_casecmp_n(const char *a, size_t an, const char *b) {
	size_t bn = strlen(b);
	if (an != bn) {
		return false;
	}
	for (size_t i = 0; i < an; i++) {
		if (ascii_lower(a[i]) != ascii_lower(b[i])) {
			return false;
		}
	}
	return true;
}

void trim_slice(const char **s, size_t *n) {
	while (*n && ascii_isspace(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && ascii_isspace((*s)[*n - 1])) {
		(*n)--;
	}
}
