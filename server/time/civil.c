/*
 * server/time/civil.c: days <-> proleptic Gregorian dates, after Howard
 * Hinnant's "chrono-Compatible Low-Level Date Algorithms": 400-year eras
 * of 146097 days, with years starting on 1 March so the leap day is last.
 */
#include "build-config.h"

#include "civil.h"

/* days from 0000-03-01 to 1970-01-01 */
#define MARCH_EPOCH INT64_C(719468)

int64_t civil_floor_div(int64_t a, int64_t b) {
	int64_t q = a / b;
	if ((a % b) && ((a < 0) != (b < 0))) {
		q--;
	}
	return q;
}

int64_t civil_to_days(int64_t y, unsigned m, unsigned d) {
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - MARCH_EPOCH;
}

void civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d) {
	int64_t z = days + MARCH_EPOCH;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

#undef MARCH_EPOCH

bool civil_is_leap(int64_t y) {
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned civil_days_in_month(int64_t y, unsigned m) {
	static const unsigned char mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	return m == 2 && civil_is_leap(y) ? 29 : mdays[m - 1];
}
