/*
 * server/core/log.h: the one logging module. Levels, a replaceable sink,
 * text or JSON lines, and the access line. The level, the format, the
 * sink and whether lines show their source location are the process's
 * only globals: set them once at start-up, before threads start.
 * log_write() and log_access() are thread-safe (each line is one write
 * to the sink).
 *
 * A text line reads "somock: LEVEL: message"; with log_set_locations()
 * (-vvv) it reads "[file.c:LINE] LEVEL: message" instead. A JSON line is
 * {"time", "level", ["source",] "message"}.
 */
#ifndef SERVER_LOG_H
#define SERVER_LOG_H

#include <stdbool.h>
#include <stdio.h>

#if defined(__GNUC__) || defined(__clang__)
#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LOG_PRINTF(a, b)
#endif

enum log_level {
	LOG_SILENT = 0,
	LOG_ERROR = 1,
	LOG_WARN = 2,
	LOG_INFO = 3,
	LOG_DEBUG = 4,
};

/* Lines at or below @level are written; the default is LOG_WARN. */
void log_set_level(enum log_level level);
/*
 * Write every line as one JSON object (--log-format json), in valid UTF-8
 * whatever the message holds.
 */
void log_set_json(bool json);
/* Show each line's source file and line (-vvv); off by default. */
void log_set_locations(bool on);
/* @sink is borrowed until replaced; NULL means stderr. */
void log_set_sink(FILE *sink);
/* Would a line at @lvl be written? For work done only to be logged. */
bool log_enabled(enum log_level lvl);

void log_write(enum log_level lvl, const char *file, int line,
	const char *fmt, ...) LOG_PRINTF(4, 5);
/* Like log_write, with ": strerror(errno)" appended. */
void log_write_errno(enum log_level lvl, const char *file, int line,
	const char *fmt, ...) LOG_PRINTF(4, 5);

/* One request as the access log shows it; every string borrowed. */
struct log_access {
	const char *client;     /* numeric address, or NULL: unknown */
	const char *method;
	const char *path;       /* no query string */
	int status;             /* 0: the connection was dropped */
	double ms;
	long long associate;    /* 0: none */
	const char *reason;     /* why a 4xx was refused, or NULL */
};

/*
 * The access line for one request, written at LOG_INFO and above: the
 * wall-clock time (UTC, milliseconds), client address, method, path,
 * status, duration, associate, and for a 4xx the reason the answer's
 * message gives. No query string and no header is shown, so no secret.
 * Text: "TIME CLIENT METHOD PATH STATUS MSms associate=ID|- [reason="..."]"
 * with control bytes written \xNN; JSON: one valid object whatever bytes
 * the client sent, the first 64 bytes of the method and 4096 of the path,
 * each byte that is not UTF-8 as U+FFFD.
 */
void log_access(const struct log_access *a);

#define log_error(...) log_write(LOG_ERROR, __FILE__, __LINE__, __VA_ARGS__)
#define log_warn(...) log_write(LOG_WARN, __FILE__, __LINE__, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __FILE__, __LINE__, __VA_ARGS__)
#define log_debug(...) log_write(LOG_DEBUG, __FILE__, __LINE__, __VA_ARGS__)
#define log_errno(...) \
	log_write_errno(LOG_ERROR, __FILE__, __LINE__, __VA_ARGS__)

#endif
