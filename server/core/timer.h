/*
 * server/core/timer.h: one thread that calls functions at given times. The HTTP
 * layer uses it to resume connections it suspended for an injected delay
 * or a dripping body, so no worker thread ever sleeps. Thread-safe.
 */
#ifndef SERVER_TIMER_H
#define SERVER_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer;

typedef void (*timer_fn)(void *arg);

/* Start the thread; NULL on failure. */
struct timer *timer_create_thread(void);
/*
 * Call @fn(@arg) on the timer thread once @delay_ms have passed. false on
 * OOM (then the caller must act at once itself).
 */
bool timer_schedule(struct timer *timer, unsigned delay_ms, timer_fn fn,
	void *arg);
/* Call every pending function now, then stop the thread. NULL is fine. */
void timer_destroy(struct timer *timer);

#endif
