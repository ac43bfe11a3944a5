#include "build-config.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "json_string.h"
#include "strbuf.h"

/*
 * How much of a method, a path and a reason an access line shows, and
 * the cap on a line: even if every byte shown needed a six-byte escape
 * the line fits.
 */
#define METHOD_MAX 64
#define PATH_MAX_BYTES 4096
#define REASON_MAX 1024
#define LINE_MAX_BYTES (6 * (METHOD_MAX + PATH_MAX_BYTES + REASON_MAX) + 256)

static enum log_level current_level = LOG_WARN;
static FILE *current_sink;
static bool json_lines;
static bool locations;

void log_set_json(bool json) {
	json_lines = json;
}

void log_set_locations(bool on) {
	locations = on;
}

void log_set_level(enum log_level level) {
	current_level = level;
}

void log_set_sink(FILE *sink) {
	current_sink = sink;
}

bool log_enabled(enum log_level lvl) {
	return lvl <= current_level;
}

/*
 * Write one finished line from @sb (consumed) with one stdio call, so
 * concurrent lines stay whole. A line that could not be built (out of
 * memory) is replaced by one that says so, still valid JSON.
 */
static void put_line(struct strbuf *sb) {
	FILE *out = current_sink ? current_sink : stderr;
	strbuf_putc(sb, '\n');
	if (strbuf_ok(sb)) {
		fwrite(sb->data, 1, sb->len, out);
	} else if (json_lines) {
		fputs("{\"level\":\"error\",\"message\":\"cannot format a "
			"log line\"}\n", out);
	} else {
		fputs("somock: error: cannot format a log line\n", out);
	}
	fflush(out);
	strbuf_finish(sb);
}

/* The wall-clock time, UTC, to the millisecond: 2030-01-01T00:00:00.000Z */
static void put_time(struct strbuf *sb) {
	struct timespec ts;
	struct tm tm;
	if (clock_gettime(CLOCK_REALTIME, &ts) || !gmtime_r(&ts.tv_sec, &tm)) {
		strbuf_puts(sb, "-");
		return;
	}
	strbuf_printf(sb, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/*
 * At most @cap of the @n bytes at @s, for a text line: control bytes as
 * \xNN, so a client cannot start a line of its own; with @quoted, '"'
 * and '\\' escaped too, for a value between quotes.
 */
static void put_text(struct strbuf *sb, const char *s, size_t n, size_t cap,
		bool quoted) {
	for (size_t i = 0; i < n && i < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			strbuf_printf(sb, "\\x%02x", c);
		} else if (quoted && (c == '"' || c == '\\')) {
			strbuf_putc(sb, '\\');
			strbuf_putc(sb, (char)c);
		} else {
			strbuf_putc(sb, (char)c);
		}
	}
}

static void emit(enum log_level lvl, const char *file, int line,
		const char *suffix, const char *fmt, va_list ap)
	LOG_PRINTF(5, 0);

static void emit(enum log_level lvl, const char *file, int line,
		const char *suffix, const char *fmt, va_list ap) {
	static const char *const names[] = { "", "error", "warning", "info",
		"debug" };
	char msg[2400];
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n >= 0 && suffix && (size_t)n < sizeof(msg)) {
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", suffix);
	}
	size_t len = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n :
		sizeof(msg) - 1;
	struct strbuf sb;
	strbuf_init(&sb, LINE_MAX_BYTES);
	if (json_lines) {
		/* level names and source file names are ours: plain ASCII */
		strbuf_puts(&sb, "{\"time\":\"");
		put_time(&sb);
		strbuf_printf(&sb, "\",\"level\":\"%s\",", names[lvl]);
		if (locations) {
			strbuf_printf(&sb, "\"source\":\"%s:%d\",", base, line);
		}
		strbuf_puts(&sb, "\"message\":");
		json_string_append(&sb, msg, len);
		strbuf_putc(&sb, '}');
	} else {
		if (locations) {
			strbuf_printf(&sb, "[%s:%d] ", base, line);
		} else {
			strbuf_puts(&sb, "somock: ");
		}
		strbuf_printf(&sb, "%s: ", names[lvl]);
		strbuf_append(&sb, msg, len);
	}
	put_line(&sb);
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

static void access_json(struct strbuf *sb, const struct log_access *a) {
	strbuf_puts(sb, "{\"time\":\"");
	put_time(sb);
	strbuf_puts(sb, "\",\"client\":");
	if (a->client) {
		json_string_append(sb, a->client, strlen(a->client));
	} else {
		strbuf_puts(sb, "null");
	}
	strbuf_puts(sb, ",\"method\":");
	json_string_append(sb, a->method, strnlen(a->method, METHOD_MAX));
	strbuf_puts(sb, ",\"path\":");
	json_string_append(sb, a->path, strnlen(a->path, PATH_MAX_BYTES));
	strbuf_printf(sb, ",\"status\":%d,\"ms\":%.3f,\"associate\":%lld",
		a->status, a->ms, a->associate);
	if (a->reason) {
		strbuf_puts(sb, ",\"reason\":");
		json_string_append(sb, a->reason,
			strnlen(a->reason, REASON_MAX));
	}
	strbuf_putc(sb, '}');
}

static void access_text(struct strbuf *sb, const struct log_access *a) {
	put_time(sb);
	strbuf_printf(sb, " %s ", a->client ? a->client : "-");
	put_text(sb, a->method, strlen(a->method), METHOD_MAX, false);
	strbuf_putc(sb, ' ');
	put_text(sb, a->path, strlen(a->path), PATH_MAX_BYTES, false);
	strbuf_printf(sb, " %d %.3fms associate=", a->status, a->ms);
	if (a->associate) {
		strbuf_printf(sb, "%lld", a->associate);
	} else {
		strbuf_putc(sb, '-');
	}
	if (a->reason) {
		strbuf_puts(sb, " reason=\"");
		put_text(sb, a->reason, strlen(a->reason), REASON_MAX, true);
		strbuf_putc(sb, '"');
	}
}

void log_access(const struct log_access *a) {
	if (current_level < LOG_INFO) {
		return;
	}
	struct strbuf sb;
	strbuf_init(&sb, LINE_MAX_BYTES);
	if (json_lines) {
		access_json(&sb, a);
	} else {
		access_text(&sb, a);
	}
	put_line(&sb);
}

#undef LINE_MAX_BYTES
#undef REASON_MAX
#undef PATH_MAX_BYTES
#undef METHOD_MAX
