/*
 * server/time/civil.h: proleptic Gregorian calendar arithmetic. Days are
 * counted from 1970-01-01 (day 0), negative before it, and a date is a
 * year, a month 1-12 and a day 1-31. Pure integer functions with no state,
 * so all of them are thread-safe and none can fail; ranges are the
 * caller's to keep: exact for every year a 64-bit Unix time can name.
 */
#ifndef SERVER_TIME_CIVIL_H
#define SERVER_TIME_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

/* seconds in a day: tz and .NET both ignore leap seconds */
#define CIVIL_SECS_PER_DAY INT64_C(86400)
/* days from 0001-01-01 to 1970-01-01 (the .NET and Unix day origins) */
#define CIVIL_EPOCH_DAYS INT64_C(719162)

/* Days since 1970-01-01 of @y-@m-@d (@m 1-12, @d 1-31). */
int64_t civil_to_days(int64_t y, unsigned m, unsigned d);
/* The date of day @days since 1970-01-01 into *y, *m, *d. */
void civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
bool civil_is_leap(int64_t y);
/* Length of month @m (1-12) of year @y. */
unsigned civil_days_in_month(int64_t y, unsigned m);
/* @a / @b rounded towards minus infinity (@b != 0). */
int64_t civil_floor_div(int64_t a, int64_t b);

#endif
