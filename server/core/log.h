/*
 * server/core/log.h: the one logging module. Levels, a replaceable sink and the
 * [file:line] prefix. The level and sink are the process's only globals
 * besides nothing else: set them once at start-up, before threads start.
 * log_write() is thread-safe (each line is one write to the sink).
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
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

/* Lines at or below @level are written; the default is LOG_ERROR. */
void log_set_level(enum log_level level);
/*
 * Write every line as one JSON object (--log-format json), in valid UTF-8
 * whatever the message holds.
 */
void log_set_json(bool json);
/* @sink is borrowed until replaced; NULL means stderr. */
void log_set_sink(FILE *sink);

void log_write(enum log_level lvl, const char *file, int line,
	const char *fmt, ...) LOG_PRINTF(4, 5);
/* Like log_write, with ": strerror(errno)" appended. */
void log_write_errno(enum log_level lvl, const char *file, int line,
	const char *fmt, ...) LOG_PRINTF(4, 5);
/*
 * The access line for one request: method, path (no query, no headers, so
 * no secrets), status, duration; text or JSON. Written at LOG_INFO and
 * above. A JSON line is one valid JSON object whatever bytes the client
 * sent: it shows the first 64 bytes of the method and 4096 of the path,
 * each byte that is not UTF-8 as U+FFFD.
 */
void log_access(const char *method, const char *path, int status,
	double ms, long long associate);

#define log_error(...) log_write(LOG_ERROR, __FILE__, __LINE__, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __FILE__, __LINE__, __VA_ARGS__)
#define log_debug(...) log_write(LOG_DEBUG, __FILE__, __LINE__, __VA_ARGS__)
#define log_errno(...) \
	log_write_errno(LOG_ERROR, __FILE__, __LINE__, __VA_ARGS__)

#endif
