#include "build-config.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

static enum log_level current_level = LOG_ERROR;
static FILE *current_sink;

void log_set_level(enum log_level level) {
	current_level = level;
}

enum log_level log_get_level(void) {
	return current_level;
}

void log_set_sink(FILE *sink) {
	current_sink = sink;
}

static void emit(enum log_level lvl, const char *file, int line,
		const char *suffix, const char *fmt, va_list ap) {
	static const char *const names[] = { "", "error", "info", "debug" };
	char msg[2048];
	FILE *out = current_sink ? current_sink : stderr;
	const char *base = strrchr(file, '/');
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* one fprintf per line keeps concurrent lines whole (stdio locks) */
	fprintf(out, "[%s:%d] %s: %s%s%s\n", base ? base + 1 : file, line,
		names[lvl], msg, suffix ? ": " : "", suffix ? suffix : "");
	fflush(out);
}

void log_write(enum log_level lvl, const char *file, int line,
		const char *fmt, ...) {
	if (lvl > current_level) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	emit(lvl, file, line, NULL, fmt, ap);
	va_end(ap);
}

void log_write_errno(enum log_level lvl, const char *file, int line,
		const char *fmt, ...) {
	int err = errno;
	if (lvl > current_level) {
		return;
	}
	char buf[256];
	const char *msg = buf;
	if (strerror_r(err, buf, sizeof(buf))) {
		msg = "unknown error";
	}
	va_list ap;
	va_start(ap, fmt);
	emit(lvl, file, line, msg, fmt, ap);
	va_end(ap);
}

void log_raw(const char *fmt, ...) {
	char msg[4096];
	FILE *out = current_sink ? current_sink : stderr;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(out, "%s\n", msg);
	fflush(out);
}
