#include "build-config.h"
#include "clock.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "ticks.h"

struct clock {
	pthread_mutex_t lock;
	bool frozen;
	int64_t frozen_at;   /* when frozen */
	int64_t offset;      /* when running: mock = real + offset */
};

int64_t clock_real_now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return TICKS_UNIX_EPOCH + (int64_t)ts.tv_sec * TICKS_PER_SECOND +
		ts.tv_nsec / 100;
}

struct clock *clock_create(void) {
	struct clock *clock = calloc(1, sizeof(*clock));
	if (clock) {
		pthread_mutex_init(&clock->lock, NULL);
	}
	return clock;
}

void clock_destroy(struct clock *clock) {
	if (!clock) {
		return;
	}
	pthread_mutex_destroy(&clock->lock);
	free(clock);
}

static int64_t now_locked(const struct clock *clock) {
	return clock->frozen ? clock->frozen_at :
		clock_real_now() + clock->offset;
}

int64_t clock_now(struct clock *clock) {
	pthread_mutex_lock(&clock->lock);
	int64_t t = now_locked(clock);
	pthread_mutex_unlock(&clock->lock);
	return t;
}

bool clock_frozen(struct clock *clock) {
	pthread_mutex_lock(&clock->lock);
	bool f = clock->frozen;
	pthread_mutex_unlock(&clock->lock);
	return f;
}

void clock_freeze(struct clock *clock, bool freeze) {
	pthread_mutex_lock(&clock->lock);
	int64_t t = now_locked(clock);
	clock->frozen = freeze;
	clock->frozen_at = t;
	clock->offset = t - clock_real_now();
	pthread_mutex_unlock(&clock->lock);
}

void clock_set(struct clock *clock, int64_t ticks) {
	ticks = ticks < 0 ? 0 : ticks > TICKS_MAX ? TICKS_MAX : ticks;
	pthread_mutex_lock(&clock->lock);
	clock->frozen_at = ticks;
	clock->offset = ticks - clock_real_now();
	pthread_mutex_unlock(&clock->lock);
}

bool clock_advance(struct clock *clock, int64_t ticks) {
	if (ticks < -TICKS_MAX || ticks > TICKS_MAX) {
		return false;
	}
	pthread_mutex_lock(&clock->lock);
	/* both in [0, TICKS_MAX], so the sum cannot overflow */
	int64_t t = now_locked(clock) + ticks;
	bool ok = t >= 0 && t <= TICKS_MAX;
	if (ok) {
		clock->frozen_at += ticks;
		clock->offset += ticks;
	}
	pthread_mutex_unlock(&clock->lock);
	return ok;
}
