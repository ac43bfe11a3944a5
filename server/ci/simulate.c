#include "build-config.h"
#include "simulate.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include <sqlite3.h>

#include "clock.h"
#include "log.h"
#include "model.h"
#include "sandbox.h"
#include "store.h"
#include "ticks.h"

/* Most ticks applied at once: a clock moved a year on stays bounded. */
#define MAX_CATCH_UP 86400

struct simulator {
	struct store *store;
	struct sandboxes *sandboxes;
	struct clock *clock;
	pthread_mutex_t lock;        /* serializes syncs */
	int64_t origin;              /* mock time of tick 0 */
	uint64_t applied;            /* ticks applied */
	pthread_t thread;
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	bool stopping;
};

/*
 * One tick, four steps in this order so a task moves at most one state
 * per tick. :tick is the tick number, :now its mock time; the states are
 * parameters too, bound from enum task_state (see bind_states), so their
 * numbers are written once.
 */
static const char *const tick_sql[] = {
	/* Started: progress moves on every other tick */
	"UPDATE batchtask SET "
	"progressPercent = min(100, progressPercent + 7 + BatchTask_id % 9), "
	"progressDescription = 'Processing: ' || "
	"min(100, progressPercent + 7 + BatchTask_id % 9) || '% done' "
	"WHERE state = :started AND (BatchTask_id + :tick) % 2 = 0",
	/* Started at 100%: done; every fifth task fails */
	"UPDATE batchtask SET "
	"state = CASE WHEN BatchTask_id % 5 = 0 THEN :failed "
	"ELSE :succeeded END, "
	"progressDescription = CASE WHEN BatchTask_id % 5 = 0 "
	"THEN 'Failed: the batch server stopped the task' ELSE 'Done' END, "
	"result = CASE WHEN BatchTask_id % 5 = 0 THEN 'Error' ELSE 'OK' END, "
	/* what a job hands back, unless it was given a Response already */
	"response = coalesce(response, CASE WHEN BatchTask_id % 5 = 0 "
	"THEN '{\"Succeeded\":false,\"Message\":\"the batch server "
	"stopped the task\"}' ELSE '{\"Succeeded\":true,\"TaskId\":' || "
	"BatchTask_id || '}' END) "
	"WHERE state = :started AND progressPercent >= 100",
	/* Aquired: starts on every third tick */
	"UPDATE batchtask SET state = :started, startCount = startCount + 1, "
	"lastStarted = :now, progressPercent = 0, "
	"progressDescription = 'Starting' "
	"WHERE state = :aquired AND (BatchTask_id + :tick) % 3 = 0",
	/* New: picked up by a batch server on every fourth tick */
	"UPDATE batchtask SET state = :aquired, "
	"progressDescription = 'Queued on the batch server' "
	"WHERE state = :new AND (BatchTask_id + :tick) % 4 = 0",
};

#define N_STEPS (sizeof(tick_sql) / sizeof(tick_sql[0]))

/* Bind @v to parameter @name of @st, if @st has it. */
static bool bind(sqlite3_stmt *st, const char *name, int64_t v) {
	int idx = sqlite3_bind_parameter_index(st, name);
	return !idx || sqlite3_bind_int64(st, idx, v) == SQLITE_OK;
}

/*
 * Bind each state parameter @st has. Bindings survive sqlite3_reset, so
 * once per prepared statement is enough.
 */
static bool bind_states(sqlite3_stmt *st) {
	static const struct {
		const char *param;
		int state;
	} states[] = {
		{ ":new", TASK_STATE_NEW },
		{ ":aquired", TASK_STATE_AQUIRED },
		{ ":started", TASK_STATE_STARTED },
		{ ":succeeded", TASK_STATE_SUCCEEDED },
		{ ":failed", TASK_STATE_FAILED },
	};
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (!bind(st, states[i].param, states[i].state)) {
			return false;
		}
	}
	return true;
}

static int apply_ticks(sqlite3 *db, uint64_t first, uint64_t count,
		int64_t now) {
	sqlite3_stmt *st[N_STEPS] = { 0 };
	int ret = 0;
	for (size_t i = 0; i < N_STEPS && !ret; i++) {
		if (sqlite3_prepare_v2(db, tick_sql[i], -1, &st[i], NULL) !=
				SQLITE_OK || !bind_states(st[i])) {
			log_error("cannot prepare a simulator step: %s",
				sqlite3_errmsg(db));
			ret = -EIO;
		}
	}
	for (uint64_t t = first; !ret && t < first + count; t++) {
		/* LastStarted: the tick's own moment, not the catch-up's */
		int64_t at = now - (int64_t)(first + count - 1 - t) *
			TICKS_PER_SECOND;
		for (size_t i = 0; i < N_STEPS && !ret; i++) {
			if (!bind(st[i], ":tick", (int64_t)t) ||
					!bind(st[i], ":now", at) ||
					sqlite3_step(st[i]) != SQLITE_DONE) {
				ret = -EIO;
			}
			sqlite3_reset(st[i]);
		}
	}
	for (size_t i = 0; i < N_STEPS; i++) {
		sqlite3_finalize(st[i]);
	}
	return ret;
}

struct tick_batch {
	uint64_t first;
	uint64_t count;
	int64_t now;
};

static int apply(sqlite3 *db, void *ud, char *err, size_t errlen) {
	const struct tick_batch *b = ud;
	return apply_ticks(db, b->first, b->count, b->now);
}

static void apply_store(void *ud, struct store *store) {
	char err[256];
	if (store_write(store, apply, ud, err, sizeof(err))) {
		log_error("simulator: %s", err);
	}
}

void simulator_sync(struct simulator *sim) {
	pthread_mutex_lock(&sim->lock);
	int64_t now = clock_now(sim->clock);
	int64_t due = (now - sim->origin) / TICKS_PER_SECOND;
	if (due > (int64_t)sim->applied) {
		uint64_t count = (uint64_t)due - sim->applied;
		uint64_t first = sim->applied;
		if (count > MAX_CATCH_UP) {
			first += count - MAX_CATCH_UP;
			count = MAX_CATCH_UP;
		}
		struct tick_batch b = { first, count, now };
		apply_store(&b, sim->store);
		sandboxes_foreach(sim->sandboxes, apply_store, &b);
		sim->applied = (uint64_t)due;
	}
	pthread_mutex_unlock(&sim->lock);
}

void simulator_set_clock(struct simulator *sim, int64_t ticks) {
	pthread_mutex_lock(&sim->lock);
	clock_set(sim->clock, ticks);
	sim->origin = clock_now(sim->clock) -
		(int64_t)sim->applied * TICKS_PER_SECOND;
	pthread_mutex_unlock(&sim->lock);
}

uint64_t simulator_ticks(struct simulator *sim) {
	pthread_mutex_lock(&sim->lock);
	uint64_t n = sim->applied;
	pthread_mutex_unlock(&sim->lock);
	return n;
}

static void *run(void *arg) {
	struct simulator *sim = arg;
	pthread_mutex_lock(&sim->stop_lock);
	while (!sim->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 200 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&sim->stop_cond, &sim->stop_lock, &ts);
		if (sim->stopping) {
			break;
		}
		pthread_mutex_unlock(&sim->stop_lock);
		simulator_sync(sim);
		pthread_mutex_lock(&sim->stop_lock);
	}
	pthread_mutex_unlock(&sim->stop_lock);
	return NULL;
}

struct simulator *simulator_create(struct store *store,
		struct sandboxes *sandboxes, struct clock *clock) {
	struct simulator *sim = calloc(1, sizeof(*sim));
	if (!sim) {
		return NULL;
	}
	*sim = (struct simulator){ .store = store, .sandboxes = sandboxes,
		.clock = clock, .origin = clock_now(clock) };
	pthread_mutex_init(&sim->lock, NULL);
	pthread_mutex_init(&sim->stop_lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&sim->stop_cond, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&sim->thread, NULL, run, sim)) {
		pthread_cond_destroy(&sim->stop_cond);
		pthread_mutex_destroy(&sim->stop_lock);
		pthread_mutex_destroy(&sim->lock);
		free(sim);
		return NULL;
	}
	return sim;
}

void simulator_destroy(struct simulator *sim) {
	if (!sim) {
		return;
	}
	pthread_mutex_lock(&sim->stop_lock);
	sim->stopping = true;
	pthread_cond_signal(&sim->stop_cond);
	pthread_mutex_unlock(&sim->stop_lock);
	pthread_join(sim->thread, NULL);
	pthread_cond_destroy(&sim->stop_cond);
	pthread_mutex_destroy(&sim->stop_lock);
	pthread_mutex_destroy(&sim->lock);
	free(sim);
}
