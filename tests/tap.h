/*
 * tests/tap.h: a tiny TAP producer for unit tests (meson test protocol
 * 'tap'). Descriptions and diagnostics are printed with control
 * characters escaped (\n, \x01), so test data never breaks a TAP line.
 * Not thread-safe; one plan per process.
 */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdbool.h>

/* Record one result; returns @ok so callers can chain diagnostics. */
bool tap_ok(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Compare strings (NULL-safe); prints both on failure. */
bool tap_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool tap_int(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the plan (1..N) and return the exit status (1 if any failed). */
int tap_done(void);

#endif
