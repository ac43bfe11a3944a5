/*
 * server/time/iso8601.c: the ISO 8601 date-time reader for fixtures, the
 * command line and the control API. Fixed-width fields are read by
 * position, so the grammar needs no backtracking.
 */
#include "build-config.h"

#include "iso8601.h"

#include <stdbool.h>

#include "civil.h"

#define TICKS_PER_DAY (CIVIL_SECS_PER_DAY * TICKS_PER_SECOND)

static bool is_digit(char c) {
	return c >= '0' && c <= '9';
}

/* Exactly @n decimal digits at @s. */
static bool fixed_digits(const char *s, size_t n, int *out) {
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i])) {
			return false;
		}
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool tz_parse_iso(const char *s, size_t n, int64_t *ticks) {
	int y = 0;
	int mo = 0;
	int d = 0;
	int h = 0;
	int mi = 0;
	int se = 0;
	if (!s || n < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
			s[13] != ':' || s[16] != ':') {
		return false;
	}
	if (!fixed_digits(s, 4, &y) || !fixed_digits(s + 5, 2, &mo) ||
			!fixed_digits(s + 8, 2, &d) ||
			!fixed_digits(s + 11, 2, &h) ||
			!fixed_digits(s + 14, 2, &mi) ||
			!fixed_digits(s + 17, 2, &se)) {
		return false;
	}
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 ||
			se > 59 ||
			(unsigned)d > civil_days_in_month(y, (unsigned)mo)) {
		return false;
	}
	size_t i = 19;
	int64_t frac = 0;
	if (i < n && s[i] == '.') {
		i++;
		size_t nd = 0;
		while (i < n && is_digit(s[i])) {
			if (++nd > 7) {
				return false;
			}
			frac = frac * 10 + (s[i] - '0');
			i++;
		}
		if (!nd) {
			return false;
		}
		for (; nd < 7; nd++) {
			frac *= 10;
		}
	}
	int64_t off = 0;
	if (i < n && s[i] == 'Z') {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int oh = 0;
		int om = 0;
		if (n - i != 6 || s[i + 3] != ':' ||
				!fixed_digits(s + i + 1, 2, &oh) ||
				!fixed_digits(s + i + 4, 2, &om) || oh > 14 ||
				om > 59 || (oh == 14 && om)) {
			return false;
		}
		off = (oh * 60 + om) * 60 * (s[i] == '-' ? -1 : 1);
		i += 6;
	}
	if (i != n) {
		return false;
	}
	int64_t days = civil_to_days(y, (unsigned)mo, (unsigned)d) +
		CIVIL_EPOCH_DAYS;
	int64_t t = days * TICKS_PER_DAY +
		((int64_t)h * 3600 + mi * 60 + se - off) * TICKS_PER_SECOND +
		frac;
	if (t < 0 || t > TICKS_MAX) {
		return false;
	}
	*ticks = t;
	return true;
}
