#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count;
static int failed;

/*
 * Print @s with control characters escaped (C style), so that text from a
 * test case, which may hold a newline, never breaks a TAP line in two.
 */
static void put_escaped(const char *s) {
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n') {
			fputs("\\n", stdout);
		} else if (c == '\r') {
			fputs("\\r", stdout);
		} else if (c == '\t') {
			fputs("\\t", stdout);
		} else if (c < 0x20 || c == 0x7f) {
			printf("\\x%02x", c);
		} else {
			putchar(c);
		}
	}
}

/* Format @fmt/@ap and print it escaped; a description has no limit. */
static void put_formatted(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

static void put_formatted(const char *fmt, va_list ap) {
	char small[512];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0) {
		fputs("(unprintable description)", stdout);
		return;
	}
	char *big = (size_t)n < sizeof(small) ? NULL : malloc((size_t)n + 1);
	if (big) {
		vsnprintf(big, (size_t)n + 1, fmt, ap);
	}
	put_escaped(big ? big : small);   /* cut short only on OOM */
	free(big);
}

/* a printf format for the compiler's checks, like tap.h's */
static void result(bool ok, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void result(bool ok, const char *fmt, va_list ap) {
	count++;
	if (!ok) {
		failed++;
	}
	printf("%s %d - ", ok ? "ok" : "not ok", count);
	put_formatted(fmt, ap);
	putchar('\n');
}

bool tap_ok(bool ok, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	result(ok, fmt, ap);
	va_end(ap);
	return ok;
}

bool tap_str(const char *got, const char *want, const char *fmt, ...) {
	bool ok = (!got && !want) || (got && want && !strcmp(got, want));
	va_list ap;
	va_start(ap, fmt);
	result(ok, fmt, ap);
	va_end(ap);
	if (!ok) {
		fputs("#   got:  '", stdout);
		put_escaped(got ? got : "(null)");
		fputs("'\n#   want: '", stdout);
		put_escaped(want ? want : "(null)");
		fputs("'\n", stdout);
	}
	return ok;
}

bool tap_int(long long got, long long want, const char *fmt, ...) {
	bool ok = got == want;
	va_list ap;
	va_start(ap, fmt);
	result(ok, fmt, ap);
	va_end(ap);
	if (!ok) {
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	}
	return ok;
}

void tap_diag(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	fputs("# ", stdout);
	put_formatted(fmt, ap);
	putchar('\n');
	va_end(ap);
}

int tap_done(void) {
	printf("1..%d\n", count);
	return failed ? 1 : 0;
}
