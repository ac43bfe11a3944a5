#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int count;
static int failed;

/* a printf format for the compiler's checks, like tap.h's */
static void result(bool ok, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void result(bool ok, const char *fmt, va_list ap) {
	count++;
	if (!ok) {
		failed++;
	}
	printf("%s %d - ", ok ? "ok" : "not ok", count);
	vprintf(fmt, ap);
	printf("\n");
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
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
			want ? want : "(null)");
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
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

int tap_done(void) {
	printf("1..%d\n", count);
	return failed ? 1 : 0;
}
