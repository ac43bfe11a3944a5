#include "build-config.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "utf8.h"

static enum log_level current_level = LOG_ERROR;
static FILE *current_sink;
static bool json_lines;

void log_set_json(bool json) {
	json_lines = json;
}

/* The length of the UTF-8 sequence @s starts (at most what remains). */
static size_t utf8_len(const char *s) {
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	return strnlen(s, n);
}

/* @s as the inside of a JSON string into @out (@cap bytes). */
static void json_escape(char *out, size_t cap, const char *s) {
	size_t o = 0;
	for (; *s && o + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f || (c >= 0x80 &&
				!utf8_valid(s, utf8_len(s)))) {
			/* a byte that is not UTF-8 is shown, not passed on */
			o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

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
		const char *suffix, const char *fmt, va_list ap)
	LOG_PRINTF(5, 0);

static void emit(enum log_level lvl, const char *file, int line,
		const char *suffix, const char *fmt, va_list ap) {
	static const char *const names[] = { "", "error", "info", "debug" };
	char msg[2048];
	FILE *out = current_sink ? current_sink : stderr;
	const char *base = strrchr(file, '/');
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (json_lines) {
		char full[2400], esc[4800];
		snprintf(full, sizeof(full), "%s%s%s", msg, suffix ? ": " : "",
			suffix ? suffix : "");
		json_escape(esc, sizeof(esc), full);
		fprintf(out, "{\"level\":\"%s\",\"source\":\"%s:%d\","
			"\"message\":\"%s\"}\n", names[lvl],
			base ? base + 1 : file, line, esc);
		fflush(out);
		return;
	}
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

void log_access(const char *method, const char *path, int status,
		double ms, long long associate) {
	if (current_level < LOG_INFO) {
		return;
	}
	if (json_lines) {
		char m[64], p[4200];
		json_escape(m, sizeof(m), method);
		json_escape(p, sizeof(p), path);
		log_raw("{\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,"
			"\"ms\":%.3f,\"associate\":%lld}", m, p, status, ms,
			associate);
		return;
	}
	log_raw("%s %s %d %.3fms", method, path, status, ms);
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
