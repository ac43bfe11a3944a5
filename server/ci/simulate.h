/*
 * server/ci/simulate.h: the live task lifecycle (--simulate). Every second of
 * the mock clock is one tick; on each tick tasks move on like real batch
 * tasks: New -> Aquired -> Started (StartCount and LastStarted set), then
 * ProgressPercent and ProgressDescription move until the task ends
 * Succeeded or Failed. Which task moves on which tick depends only on its
 * Id and the tick number, so a frozen clock advanced by N seconds gives
 * the same data every run. Applies to the main data and every sandbox.
 * Thread-safe.
 */
#ifndef SERVER_SIMULATE_H
#define SERVER_SIMULATE_H

#include <stdint.h>

struct clock;
struct sandboxes;
struct simulator;
struct store;

/* Start ticking from the clock's current time; NULL on failure. */
struct simulator *simulator_create(struct store *store,
	struct sandboxes *sandboxes, struct clock *clock);
/* Apply every tick up to the clock's time now (after a clock change). */
void simulator_sync(struct simulator *sim);
/* Ticks applied so far. */
uint64_t simulator_ticks(struct simulator *sim);
/*
 * Set the clock to @ticks as a jump: the time skipped is not simulated,
 * ticks go on from there (so freeze + set + advance is deterministic).
 */
void simulator_set_clock(struct simulator *sim, int64_t ticks);
void simulator_destroy(struct simulator *sim);

#endif
