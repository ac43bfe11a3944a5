#include "build-config.h"
#include "timer.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct job {
	struct job *next;       /* sorted by deadline */
	struct timespec when;
	timer_fn fn;
	void *arg;
};

struct timer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct job *jobs;
	bool stopping;
};

static bool before(const struct timespec *a, const struct timespec *b) {
	return a->tv_sec < b->tv_sec ||
		(a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *run(void *arg) {
	struct timer *t = arg;
	pthread_mutex_lock(&t->lock);
	for (;;) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		struct job *j = t->jobs;
		if (j && (t->stopping || !before(&now, &j->when))) {
			t->jobs = j->next;
			pthread_mutex_unlock(&t->lock);
			j->fn(j->arg);
			free(j);
			pthread_mutex_lock(&t->lock);
			continue;
		}
		if (t->stopping) {
			break;
		}
		if (j) {
			pthread_cond_timedwait(&t->wake, &t->lock, &j->when);
		} else {
			pthread_cond_wait(&t->wake, &t->lock);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct timer *timer_create_thread(void) {
	struct timer *t = calloc(1, sizeof(*t));
	if (!t) {
		return NULL;
	}
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&t->lock, NULL);
	if (pthread_create(&t->thread, NULL, run, t)) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	return t;
}

bool timer_schedule(struct timer *t, unsigned delay_ms, timer_fn fn,
		void *arg) {
	struct job *j = calloc(1, sizeof(*j));
	if (!j) {
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &j->when);
	j->when.tv_sec += delay_ms / 1000;
	j->when.tv_nsec += (long)(delay_ms % 1000) * 1000000;
	if (j->when.tv_nsec >= 1000000000) {
		j->when.tv_sec++;
		j->when.tv_nsec -= 1000000000;
	}
	j->fn = fn;
	j->arg = arg;
	pthread_mutex_lock(&t->lock);
	struct job **p = &t->jobs;
	while (*p && !before(&j->when, &(*p)->when)) {
		p = &(*p)->next;
	}
	j->next = *p;
	*p = j;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	return true;
}

void timer_destroy(struct timer *t) {
	if (!t) {
		return;
	}
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
