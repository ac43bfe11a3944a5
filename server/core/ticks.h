/*
 * server/core/ticks.h: the one unit of time somock stores and computes
 * with: .NET ticks, 100 ns since 0001-01-01T00:00:00 UTC on the proleptic
 * Gregorian calendar (what SuperOffice stores). Constants only.
 */
#ifndef SERVER_CORE_TICKS_H
#define SERVER_CORE_TICKS_H

#include <stdint.h>

#define TICKS_PER_SECOND INT64_C(10000000)
/* ticks of 1970-01-01T00:00:00Z */
#define TICKS_UNIX_EPOCH INT64_C(621355968000000000)
/* ticks of 9999-12-31T23:59:59.9999999 (DateTime.MaxValue) */
#define TICKS_MAX INT64_C(3155378975999999999)

#endif
