/*
 * server/core/clock.h: the mock's clock. It runs with real time by default, and
 * the control API can freeze it, set it or move it on, so expiry checks and
 * the task simulator are deterministic in CI. Times are .NET ticks.
 * Thread-safe.
 */
#ifndef SERVER_CLOCK_H
#define SERVER_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct clock;

struct clock *clock_create(void);   /* NULL on OOM */
void clock_destroy(struct clock *clock);

/* The mock's current time in ticks. */
int64_t clock_now(struct clock *clock);
/* Real UTC time in ticks. */
int64_t clock_real_now(void);
bool clock_frozen(struct clock *clock);

/* Freeze at the current mock time, or let it run on from there. */
void clock_freeze(struct clock *clock, bool freeze);
/*
 * Jump to @ticks (staying frozen or running), clamped to the dates a
 * DateTime holds: [0, TICKS_MAX].
 */
void clock_set(struct clock *clock, int64_t ticks);
/*
 * Move on by @ticks (may be negative). false, and the clock unchanged,
 * when the result would leave [0, TICKS_MAX].
 */
bool clock_advance(struct clock *clock, int64_t ticks);

#endif
