#include "build-config.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "json_string.h"
#include "strbuf.h"

/*
 * How much of a method and a path a JSON access line shows, and the cap
 * on a JSON line: even if every byte shown needed a six-byte escape the
 * line fits.
 */
#define METHOD_MAX 64
#define PATH_MAX_BYTES 4096
#define LINE_MAX_BYTES (6 * (METHOD_MAX + PATH_MAX_BYTES) + 256)

static enum log_level current_level = LOG_ERROR;
static FILE *current_sink;
static bool json_lines;

void log_set_json(bool json) {
	json_lines = json;
}

/*
 * Write one finished JSON line from @sb (consumed) with one stdio call, so
 * concurrent lines stay whole. A line that could not be built (out of
 * memory) is replaced by one that says so, still valid JSON.
 */
static void put_json_line(FILE *out, struct strbuf *sb) {
	strbuf_putc(sb, '\n');
	if (strbuf_ok(sb)) {
		fwrite(sb->data, 1, sb->len, out);
	} else {
		fputs("{\"level\":\"error\",\"message\":\"cannot format a "
			"log line\"}\n", out);
	}
	fflush(out);
	strbuf_finish(sb);
}

void log_set_level(enum log_level level) {
	current_level = level;
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
		char full[2400];
		int n = snprintf(full, sizeof(full), "%s%s%s", msg,
			suffix ? ": " : "", suffix ? suffix : "");
		struct strbuf sb;
		strbuf_init(&sb, LINE_MAX_BYTES);
		/* level names and source file names are ours: plain ASCII */
		strbuf_printf(&sb, "{\"level\":\"%s\",\"source\":\"%s:%d\","
			"\"message\":", names[lvl], base ? base + 1 : file, line);
		json_string_append(&sb, full, n < 0 ? 0 :
			(size_t)n < sizeof(full) ? (size_t)n : sizeof(full) - 1);
		strbuf_putc(&sb, '}');
		put_json_line(out, &sb);
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

/* A line without the [file:line] prefix. */
static void put_raw(const char *fmt, ...) LOG_PRINTF(1, 2);

static void put_raw(const char *fmt, ...) {
	char msg[4096];
	FILE *out = current_sink ? current_sink : stderr;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(out, "%s\n", msg);
	fflush(out);
}

void log_access(const char *method, const char *path, int status,
		double ms, long long associate) {
	if (current_level < LOG_INFO) {
		return;
	}
	if (json_lines) {
		struct strbuf sb;
		strbuf_init(&sb, LINE_MAX_BYTES);
		strbuf_puts(&sb, "{\"method\":");
		json_string_append(&sb, method, strnlen(method, METHOD_MAX));
		strbuf_puts(&sb, ",\"path\":");
		json_string_append(&sb, path, strnlen(path, PATH_MAX_BYTES));
		strbuf_printf(&sb, ",\"status\":%d,\"ms\":%.3f,"
			"\"associate\":%lld}", status, ms, associate);
		put_json_line(current_sink ? current_sink : stderr, &sb);
		return;
	}
	put_raw("%s %s %d %.3fms", method, path, status, ms);
}

#undef LINE_MAX_BYTES
#undef PATH_MAX_BYTES
#undef METHOD_MAX
