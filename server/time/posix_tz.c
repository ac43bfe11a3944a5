/*
 * server/time/posix_tz.c: POSIX TZ strings. The parser walks a
 * length-bounded slice once, left to right; evaluation finds the latest
 * rule transition at or before the instant.
 */
#include "build-config.h"

#include "posix_tz.h"

#include <string.h>

#include "civil.h"

static bool is_alpha(char c) {
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c) {
	return c >= '0' && c <= '9';
}

static bool parse_digits(const char **p, const char *end, int max_digits,
		int *out) {
	int v = 0;
	int nd = 0;
	while (*p < end && is_digit(**p) && nd < max_digits) {
		v = v * 10 + (**p - '0');
		(*p)++;
		nd++;
	}
	if (!nd) {
		return false;
	}
	*out = v;
	return true;
}

/* [+-]hh[:mm[:ss]] with hh <= max_h; returns seconds with the sign. */
static bool parse_hms(const char **p, const char *end, int max_h,
		int32_t *out) {
	int sign = 1;
	if (*p < end && (**p == '+' || **p == '-')) {
		sign = **p == '-' ? -1 : 1;
		(*p)++;
	}
	int h = 0;
	int mi = 0;
	int s = 0;
	if (!parse_digits(p, end, 3, &h) || h > max_h) {
		return false;
	}
	if (*p < end && **p == ':') {
		(*p)++;
		if (!parse_digits(p, end, 2, &mi) || mi > 59) {
			return false;
		}
		if (*p < end && **p == ':') {
			(*p)++;
			if (!parse_digits(p, end, 2, &s) || s > 59) {
				return false;
			}
		}
	}
	*out = sign * (h * 3600 + mi * 60 + s);
	return true;
}

/* A zone abbreviation: 3+ letters, or <...> of [A-Za-z0-9+-]. */
static bool parse_abbr(const char **p, const char *end) {
	const char *s = *p;
	size_t n = 0;
	if (s < end && *s == '<') {
		s++;
		while (s < end && *s != '>') {
			char c = *s;
			bool ok = is_alpha(c) || is_digit(c) || c == '+' ||
				c == '-';
			if (!ok) {
				return false;
			}
			s++;
			n++;
		}
		if (s == end || n < 3) {
			return false;
		}
		*p = s + 1;
		return true;
	}
	while (s < end && is_alpha(*s)) {
		s++;
		n++;
	}
	if (n < 3) {
		return false;
	}
	*p = s;
	return true;
}

static bool parse_rule(const char **p, const char *end,
		struct posix_tz_rule *r) {
	int a = 0;
	int b = 0;
	int c = 0;
	if (*p < end && **p == 'J') {
		(*p)++;
		if (!parse_digits(p, end, 3, &a) || a < 1 || a > 365) {
			return false;
		}
		r->kind = POSIX_TZ_JULIAN;
		r->day = a;
	} else if (*p < end && **p == 'M') {
		(*p)++;
		if (!parse_digits(p, end, 2, &a) || a < 1 || a > 12 ||
				*p == end || **p != '.') {
			return false;
		}
		(*p)++;
		if (!parse_digits(p, end, 1, &b) || b < 1 || b > 5 ||
				*p == end || **p != '.') {
			return false;
		}
		(*p)++;
		if (!parse_digits(p, end, 1, &c) || c > 6) {
			return false;
		}
		r->kind = POSIX_TZ_MONTH;
		r->mon = a;
		r->week = b;
		r->wday = c;
	} else {
		if (!parse_digits(p, end, 3, &a) || a > 365) {
			return false;
		}
		r->kind = POSIX_TZ_DAY;
		r->day = a;
	}
	r->time = 7200;
	if (*p < end && **p == '/') {
		(*p)++;
		/* RFC 8536 §3.3.1 extends the hour range to [-167, 167] */
		if (!parse_hms(p, end, 167, &r->time)) {
			return false;
		}
	}
	return true;
}

bool posix_tz_parse(const char *s, size_t n, struct posix_tz *tz) {
	const char *p = s;
	const char *end = s + n;
	int32_t off = 0;
	memset(tz, 0, sizeof(*tz));
	if (!parse_abbr(&p, end) || !parse_hms(&p, end, 24, &off)) {
		return false;
	}
	tz->std_off = -off;
	if (p == end) {
		return true;
	}
	if (!parse_abbr(&p, end)) {
		return false;
	}
	tz->has_dst = true;
	tz->dst_off = tz->std_off + 3600;
	if (p < end && *p != ',') {
		if (!parse_hms(&p, end, 24, &off)) {
			return false;
		}
		tz->dst_off = -off;
	}
	if (p == end) {
		/* no rule: the US rules, as tzcode assumes */
		tz->start = (struct posix_tz_rule){
			.kind = POSIX_TZ_MONTH, .mon = 3, .week = 2,
			.time = 7200,
		};
		tz->end = (struct posix_tz_rule){
			.kind = POSIX_TZ_MONTH, .mon = 11, .week = 1,
			.time = 7200,
		};
		return true;
	}
	if (*p != ',') {
		return false;
	}
	p++;
	if (!parse_rule(&p, end, &tz->start) || p == end || *p != ',') {
		return false;
	}
	p++;
	return parse_rule(&p, end, &tz->end) && p == end;
}

/* Unix time of rule @r in year @y, local time offset @off before it. */
static int64_t rule_time(const struct posix_tz_rule *r, int64_t y,
		int32_t off) {
	int64_t days = 0;
	switch (r->kind) {
	case POSIX_TZ_JULIAN:
		days = civil_to_days(y, 1, 1) + r->day - 1 +
			(civil_is_leap(y) && r->day >= 60);
		break;
	case POSIX_TZ_DAY:
		days = civil_to_days(y, 1, 1) + r->day;
		break;
	case POSIX_TZ_MONTH: {
		int64_t first = civil_to_days(y, (unsigned)r->mon, 1);
		/* 1970-01-01 was a Thursday (4) */
		int64_t wd = first + 4 - civil_floor_div(first + 4, 7) * 7;
		int64_t mday = 1 + (r->wday - wd + 7) % 7 + (r->week - 1) * 7;
		int64_t last = civil_days_in_month(y, (unsigned)r->mon);
		while (mday > last) {
			mday -= 7;
		}
		days = first + mday - 1;
		break;
	}
	}
	return days * CIVIL_SECS_PER_DAY + r->time - off;
}

int32_t posix_tz_offset(const struct posix_tz *tz, int64_t t) {
	if (!tz->has_dst) {
		return tz->std_off;
	}
	int64_t y = 0;
	unsigned m = 0;
	unsigned d = 0;
	int64_t days = civil_floor_div(t + tz->std_off, CIVIL_SECS_PER_DAY);
	civil_from_days(days, &y, &m, &d);
	/*
	 * The latest of the six transitions around t decides. On a tie a
	 * start beats an end, so "all year DST" rules (end of year y ==
	 * start of y+1, e.g. "EST5EDT,0/0,J365/25") stay in DST.
	 */
	bool found = false;
	int64_t best = 0;
	bool best_dst = false;
	for (int64_t yy = y - 1; yy <= y + 1; yy++) {
		int64_t ts[2] = {
			rule_time(&tz->end, yy, tz->dst_off),
			rule_time(&tz->start, yy, tz->std_off),
		};
		for (int i = 0; i < 2; i++) {
			bool dst = i == 1;
			if (ts[i] > t) {
				continue;
			}
			if (!found || ts[i] > best || (ts[i] == best && dst)) {
				found = true;
				best = ts[i];
				best_dst = dst;
			}
		}
	}
	return best_dst ? tz->dst_off : tz->std_off;
}
