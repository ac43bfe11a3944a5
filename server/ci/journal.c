#include "build-config.h"
#include "journal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "glob.h"

struct journal {
	pthread_mutex_t lock;
	struct journal_entry *ring;
	size_t capacity;
	size_t count;            /* entries held, <= capacity */
	size_t next;             /* slot of the next record */
	uint64_t seq;
};

struct journal *journal_create(size_t capacity) {
	struct journal *j = calloc(1, sizeof(*j));
	if (!j) {
		return NULL;
	}
	j->capacity = capacity ? capacity : 1;
	j->ring = calloc(j->capacity, sizeof(*j->ring));
	if (!j->ring) {
		free(j);
		return NULL;
	}
	pthread_mutex_init(&j->lock, NULL);
	return j;
}

void journal_destroy(struct journal *j) {
	if (!j) {
		return;
	}
	pthread_mutex_destroy(&j->lock);
	free(j->ring);
	free(j);
}

void journal_record(struct journal *j, const struct journal_entry *e) {
	pthread_mutex_lock(&j->lock);
	struct journal_entry *slot = &j->ring[j->next];
	*slot = *e;
	slot->seq = ++j->seq;
	j->next = (j->next + 1) % j->capacity;
	if (j->count < j->capacity) {
		j->count++;
	}
	pthread_mutex_unlock(&j->lock);
}

void journal_clear(struct journal *j) {
	pthread_mutex_lock(&j->lock);
	j->count = 0;
	j->next = 0;
	pthread_mutex_unlock(&j->lock);
}

static bool matches(const struct journal_filter *f,
		const struct journal_entry *e) {
	if (f->path && !glob_match(f->path, e->path)) {
		return false;
	}
	if (f->method && ascii_casecmp(f->method, e->method)) {
		return false;
	}
	if (f->status && f->status != e->status) {
		return false;
	}
	if (f->associate_id && f->associate_id != e->associate_id) {
		return false;
	}
	return !f->sandbox || !strcmp(f->sandbox, e->sandbox);
}

size_t journal_query(struct journal *j, const struct journal_filter *filter,
		journal_fn fn, void *ud) {
	size_t n = 0;
	pthread_mutex_lock(&j->lock);
	size_t start = (j->next + j->capacity - j->count) % j->capacity;
	for (size_t i = 0; i < j->count; i++) {
		const struct journal_entry *e =
			&j->ring[(start + i) % j->capacity];
		if (matches(filter, e)) {
			n++;
			if (fn) {
				fn(ud, e);
			}
		}
	}
	pthread_mutex_unlock(&j->lock);
	return n;
}
